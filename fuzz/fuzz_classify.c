/*
 * fuzz_classify -- the SQL classifier reads arbitrary application text: it
 * must never read past the end, statement splitting must always make
 * progress within bounds, the savepoint name it locates lies inside the
 * statement, and the result-name estimate stays proportionate to the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sql_classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	dqc_sql_info info;
	size_t pos = 0;

	memcpy(s, data, size);
	while (pos < size) {
		size_t end = dqc_sql_statement_end(s + pos, size - pos);
		if (end == 0 || end > size - pos)
			abort();
		dqc_sql_classify(s + pos, end, &info);
		if (info.name_len && (info.name_off >= end ||
				      info.name_len > end - info.name_off))
			abort();
		/* a byte of text adds at most one column, whose generated
		 * name ("column12345") takes at most 24 bytes */
		if (dqc_sql_names_min(s + pos, end) > 24 * (end + 1) + 64)
			abort();
		dqc_sql_is_blank(s + pos, end);
		pos += end;
	}
	free(s);
	return 0;
}
