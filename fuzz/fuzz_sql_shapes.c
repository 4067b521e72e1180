/*
 * fuzz_sql_shapes -- any SQL text through the driver's pure statement
 * readers: the parameter-target parser (param_parse.h) and the no-rows form
 * of a SELECT (select_parse.h). No crash, no leak, no read past the text;
 * every target's strings are set as its kind says; the no-rows text always
 * comes back and keeps the statement's text up to its LIMIT, or wraps it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "param_parse.h"
#include "select_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *nr;
	dq_param_map m;
	int wrapped, other, quotes = 0;

	memcpy(s, data, size);
	s[size] = '\0';
	if (dq_param_map_parse(s, &m) == 0) {
		for (int i = 0; i < m.n; i++) {
			const dq_param_target *t = &m.targets[i];
			if (t->kind == DQ_TARGET_NONE && (t->table || t->column))
				abort();
			if (t->kind == DQ_TARGET_COLUMN && !t->column && !t->table)
				abort();
		}
		for (int i = 0; i < m.ntables; i++)
			if (m.tables[i] == NULL)
				abort();
		dq_param_map_free(&m);
	}
	nr = dq_select_no_rows(s, &wrapped);
	if (nr == NULL)
		abort();
	if (wrapped ? strncmp(nr, "SELECT * FROM (", 15) != 0
		    : !strstr(nr, "\nLIMIT 0") && !strstr(nr, " 0 AND ("))
		abort();
	free(nr);
	/* a listing PRAGMA's form: one statement that only selects, its
	 * argument never able to end the quotes it stands in */
	nr = dq_pragma_no_rows(s, &other);
	for (const char *q = nr ? nr : ""; *q; q++)
		quotes += *q == '\'';
	if (nr != NULL && (other || strncmp(nr, "SELECT * FROM pragma_", 21) != 0 ||
			   quotes % 2 != 0 || strstr(nr, ") LIMIT 0") == NULL))
		abort();
	free(nr);
	free(s);
	return 0;
}
