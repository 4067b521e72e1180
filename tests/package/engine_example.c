/*
 * engine_example.c -- a program that uses the dqlite protocol engine
 * without ODBC, built against the installed dqlite-odbc-dev package
 * (pkg-config dqlite-client). Usage: engine_example host:port; prints the
 * answer to SELECT 40 + 2 and exits 0.
 */
#include <dqlite_client.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	const char *addr[1];
	struct dqc_config cfg = {0};
	const dqc_value *cells;
	dqc_rows *rows = NULL;
	dqc_conn *c;
	int rc;

	if (argc != 2)
		return 2;
	addr[0] = argv[1];
	cfg.addresses = addr;
	cfg.n_addresses = 1;
	cfg.timeout_ms = 10000;
	c = dqc_conn_new();
	if (c == NULL)
		return 1;
	rc = dqc_connect(c, &cfg);
	if (rc == 0)
		rc = dqc_open(c, "pkg");
	if (rc == 0)
		rc = dqc_query_sql(c, "SELECT 40 + 2", NULL, 0, &rows);
	if (rc == 0 && dqc_rows_next(rows, &cells) == 1 && cells[0].type == DQC_INTEGER)
		printf("%lld\n", (long long)cells[0].v.integer);
	else
		fprintf(stderr, "engine_example: %s\n", dqc_errmsg(c));
	dqc_rows_close(rows);
	dqc_conn_free(c);
	return rc == 0 ? 0 : 1;
}
