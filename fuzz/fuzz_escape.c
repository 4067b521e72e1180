/*
 * fuzz_escape -- any SQL text through the ODBC escape translator: no crash,
 * no leak, an error always comes with a message and no output, and text
 * without braces comes back unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *out = NULL, msg[128];
	int rc;

	memcpy(s, data, size);
	s[size] = '\0';
	rc = dq_escape_translate(s, &out, msg, sizeof msg);
	if (rc == 0) {
		if (out == NULL)
			abort();
		if (!strchr(s, '{') && !strchr(s, '}') && strcmp(s, out) != 0)
			abort();
		/* translating again is harmless (may fail on braces in output) */
		char *again = NULL;
		if (dq_escape_translate(out, &again, msg, sizeof msg) == 0)
			free(again);
	} else if (out != NULL || msg[0] == '\0') {
		abort();
	}
	free(out);
	free(s);
	return 0;
}
