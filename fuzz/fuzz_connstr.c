/*
 * fuzz_connstr -- connection strings from users and DSN files: parse, apply,
 * expand the address list, print back, and check the printed string
 * re-parses to the same configuration.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "connstr.h"

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), err[512], **addrs;
	dq_kvlist l, l2;
	dq_config c, d;
	int n;

	memcpy(s, data, size);
	s[size] = '\0';
	dq_config_init(&c);
	if (dq_connstr_parse(s, size, &l, err, sizeof err) == 0) {
		if (dq_config_apply(&c, &l, size % 2, err, sizeof err) == 0) {
			size_t need = dq_config_to_string(&c, NULL, 0);
			char *out = malloc(need + 1);
			dq_config_to_string(&c, out, need + 1);
			if (strlen(out) != need)
				abort();
			dq_config_init(&d);
			/* values with NUL bytes cannot round-trip through text */
			if (memchr(s, 0, size) == NULL) {
				if (dq_connstr_parse(out, need, &l2, err, sizeof err) != 0 ||
				    dq_config_apply(&d, &l2, DQ_CFG_FROM_STRING, err, sizeof err) != 0)
					abort();
				if (!same(c.server, d.server) || !same(c.database, d.database) ||
				    c.port != d.port || c.max_total_rows != d.max_total_rows ||
				    c.timeout_s != d.timeout_s)
					abort();
				dq_kvlist_free(&l2);
			}
			dq_config_free(&d);
			free(out);
			n = dq_config_addresses(&c, &addrs, err, sizeof err);
			if (n > 0)
				dq_addresses_free(addrs, n);
		}
		dq_kvlist_free(&l);
	}
	dq_config_free(&c);
	free(s);
	return 0;
}
