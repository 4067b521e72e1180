/*
 * fuzz_classify -- the SQL classifier reads arbitrary application text: it
 * must never read past the end, and statement splitting must always make
 * progress within bounds.
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
		if (info.name_tracked && strlen(info.name) == 0)
			abort();
		dqc_sql_is_blank(s + pos, end);
		pos += end;
	}
	free(s);
	return 0;
}
