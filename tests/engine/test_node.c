/*
 * The engine against one real dqlite node (Debian's libdqlite 1.11.1):
 * statements, every value type, multi-page streaming, pipelining, caps,
 * early close, auto-buffering, cancel, timeouts and error mapping.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dqtest.h"

static dqt_cluster cl;
static dqc_conn *c;

static void setup(void)
{
	cr_assert_eq(dqt_cluster_start(&cl, 1), 0, "node did not start");
	c = dqt_connect(&cl, 0);
	cr_assert_not_null(c);
	cr_assert_eq(dqc_open(c, "test"), 0, "%s", dqc_errmsg(c));
}

static void teardown(void)
{
	dqc_conn_free(c);
	dqt_cluster_stop(&cl);
	cr_assert_eq(dqt_leak_check(), 0, "memory leaked");
}

TestSuite(node, .init = setup, .fini = teardown, .timeout = 120);

#define OK(x) cr_assert_eq((x), 0, "%s: %s", #x, dqc_errmsg(c))

static dqc_value ival(int64_t v)
{
	dqc_value x = {.type = DQC_INTEGER};
	x.v.integer = v;
	return x;
}

static dqc_value tval(const char *s)
{
	dqc_value x = {.type = DQC_TEXT};
	x.v.text.ptr = s;
	x.v.text.len = strlen(s);
	return x;
}

static long count_rows(const char *sql)
{
	dqc_rows *r;
	const dqc_value *cells;
	long n = 0;
	int rc;
	OK(dqc_query_sql(c, sql, NULL, 0, &r));
	while ((rc = dqc_rows_next(r, &cells)) == 1)
		n++;
	cr_assert_eq(rc, 0, "%s", dqc_errmsg(c));
	dqc_rows_close(r);
	return n;
}

/* Inserts n rows (id, 'row-<id>' padded to make pages fill quickly). */
static void fill(int n)
{
	dqc_stmt st = {0};
	char buf[128];
	OK(dqc_exec_sql(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)", NULL, 0, NULL));
	OK(dqc_exec_sql(c, "BEGIN", NULL, 0, NULL));
	OK(dqc_prepare(c, "INSERT INTO t (id, s) VALUES (?, ?)", &st));
	cr_assert_eq(st.n_params, 2);
	for (int i = 1; i <= n; i++) {
		dqc_value p[2];
		snprintf(buf, sizeof buf, "row-%06d-xxxxxxxxxxxxxxxxxxxxxxxx", i);
		p[0] = ival(i);
		p[1] = tval(buf);
		OK(dqc_pipeline_exec(c, &st, p, 2));
		if (i % 100 == 0 || i == n)
			while (dqc_pipeline_pending(c)) {
				dqc_result res;
				OK(dqc_pipeline_recv(c, &res));
				cr_assert_eq(res.rows_affected, 1);
			}
	}
	OK(dqc_exec_sql(c, "COMMIT", NULL, 0, NULL));
	OK(dqc_finalize(c, &st));
}

Test(node, values_of_every_type_round_trip)
{
	dqc_rows *r;
	const dqc_value *v;
	dqc_value p[7];
	static const unsigned char blob[] = {0, 1, 2, 0xff, 0xfe};
	OK(dqc_exec_sql(c, "CREATE TABLE v (i INTEGER, f REAL, t TEXT, b BLOB, n TEXT,"
			   " d DATETIME, flag BOOLEAN)", NULL, 0, NULL));
	p[0] = ival(-9223372036854775807LL - 1);
	p[1].type = DQC_FLOAT, p[1].v.real = 2.5;
	p[2] = tval("héllo ✓");
	p[3].type = DQC_BLOB, p[3].v.blob.ptr = blob, p[3].v.blob.len = sizeof blob;
	p[4].type = DQC_NULL;
	p[5].type = DQC_ISO8601, p[5].v.text.ptr = "2024-01-02 03:04:05",
	p[5].v.text.len = 19;
	p[6].type = DQC_BOOLEAN, p[6].v.boolean = 1;
	OK(dqc_exec_sql(c, "INSERT INTO v VALUES (?, ?, ?, ?, ?, ?, ?)", p, 7, NULL));
	OK(dqc_query_sql(c, "SELECT i, f, t, b, n, d, flag FROM v", NULL, 0, &r));
	cr_assert_eq(dqc_rows_column_count(r), 7);
	cr_assert_str_eq(dqc_rows_column_name(r, 5), "d");
	cr_assert_eq(dqc_rows_next(r, &v), 1);
	cr_assert_eq(v[0].type, DQC_INTEGER);
	cr_assert_eq(v[0].v.integer, -9223372036854775807LL - 1);
	cr_assert_eq(v[1].type, DQC_FLOAT);
	cr_assert_float_eq(v[1].v.real, 2.5, 0);
	cr_assert_eq(v[2].type, DQC_TEXT);
	cr_assert_str_eq(v[2].v.text.ptr, "héllo ✓");
	cr_assert_eq(v[3].type, DQC_BLOB);
	cr_assert_eq(v[3].v.blob.len, sizeof blob);
	cr_assert_eq(memcmp(v[3].v.blob.ptr, blob, sizeof blob), 0);
	cr_assert_eq(v[4].type, DQC_NULL);
	cr_assert_eq(v[5].type, DQC_ISO8601, "DATETIME column comes back as ISO8601");
	cr_assert_str_eq(v[5].v.text.ptr, "2024-01-02 03:04:05");
	cr_assert_eq(v[6].type, DQC_BOOLEAN);
	cr_assert_eq(v[6].v.boolean, 1);
	cr_assert_eq(dqc_rows_next(r, &v), 0);
	dqc_rows_close(r);
}

/* A NULL stored in a column declared `decl` arrived as the released
 * servers' encoding of it: not a real NULL (a server carrying upstream fix
 * f30fc99 sends that) but a cell of type `want`, the encoding `encoding`. */
static void assert_released_null_encoding(const dqc_value *cell, const char *decl, int want,
					  const char *encoding)
{
	cr_assert_neq(cell->type, DQC_NULL,
		      "NULL in a %s column arrived as a real NULL: this server carries "
		      "upstream fix f30fc99 and is not the released server (libdqlite 1.11.1) "
		      "this test describes", decl);
	cr_assert_eq(cell->type, want,
		     "NULL in a %s column arrived as type %d, neither the released "
		     "encoding %s nor a real NULL", decl, cell->type, encoding);
}

/*
 * This test describes the released servers this project is tested against
 * (Debian 12's libdqlite0 1.11.1; upstream releases up to 1.18.6): a NULL in
 * a DATETIME column arrives as ISO8601("") and in a BOOLEAN column as
 * BOOLEAN(0), the same cell as a stored false (docs/types.md). A server
 * carrying upstream commit f30fc99 sends a real NULL instead: it is not the
 * server this test is about, and the test says so rather than pass.
 */
Test(node, nulls_in_boolean_and_datetime_columns_from_a_released_server)
{
	dqc_rows *r;
	const dqc_value *v;
	OK(dqc_exec_sql(c, "CREATE TABLE z (k INTEGER, d DATETIME, flag BOOLEAN)", NULL, 0, NULL));
	OK(dqc_exec_sql(c, "INSERT INTO z VALUES (1, NULL, NULL), (2, '2024-01-02 03:04:05', 0)",
			NULL, 0, NULL));
	OK(dqc_query_sql(c, "SELECT d, flag, d IS NULL, flag IS NULL FROM z ORDER BY k", NULL, 0, &r));

	/* row 1: the NULLs */
	cr_assert_eq(dqc_rows_next(r, &v), 1);
	cr_assert_eq(v[2].type, DQC_INTEGER);
	cr_assert_eq(v[2].v.integer, 1, "the server stored a NULL date");
	cr_assert_eq(v[3].v.integer, 1, "the server stored a NULL flag");
	assert_released_null_encoding(&v[0], "DATETIME", DQC_ISO8601, "ISO8601(\"\")");
	cr_assert_eq(v[0].v.text.len, 0, "released servers send ISO8601(\"\") for NULL, got \"%s\"",
		     v[0].v.text.ptr);
	cr_assert_str_eq(v[0].v.text.ptr, "");
	assert_released_null_encoding(&v[1], "BOOLEAN", DQC_BOOLEAN, "BOOLEAN(0)");
	cr_assert_eq(v[1].v.boolean, 0, "released servers send BOOLEAN(0) for NULL, got %llu",
		     (unsigned long long)v[1].v.boolean);

	/* row 2: real values in the same columns, so the NULL row's cells are
	 * the released encoding, not what every value looks like */
	cr_assert_eq(dqc_rows_next(r, &v), 1);
	cr_assert_eq(v[0].type, DQC_ISO8601);
	cr_assert_str_eq(v[0].v.text.ptr, "2024-01-02 03:04:05");
	cr_assert_eq(v[1].type, DQC_BOOLEAN, "a stored false arrives as BOOLEAN");
	cr_assert_eq(v[1].v.boolean, 0, "a stored false arrives as BOOLEAN(0): "
		     "on released servers the NULL above cannot be told from it");
	cr_assert_eq(v[2].v.integer, 0);
	cr_assert_eq(v[3].v.integer, 0);
	cr_assert_eq(dqc_rows_next(r, &v), 0);
	dqc_rows_close(r);
}

/* The engine's feature bit is what the server answers to the same question
 * asked by hand (harness, no engine code). */
Test(node, prepare_tail_feature_matches_a_raw_probe_of_the_server)
{
	int tail = -1;
	cr_assert_eq(dqt_raw_prepare_tail(cl.nodes[0].address, "test", 5000, &tail), 0,
		     "raw PREPARE probe of %s failed", cl.nodes[0].address);
	cr_assert_eq(!!(dqc_features(c) & DQC_FEATURE_PREPARE_TAIL), tail,
		     "engine says PREPARE_TAIL=%d, the server's schema-1 STMT reply says %d",
		     !!(dqc_features(c) & DQC_FEATURE_PREPARE_TAIL), tail);
	cr_assert_eq(!!(dqc_features(c) & DQC_FEATURE_PARAMS_SCHEMA1), tail,
		     "servers that report the tail (>= 1.15) also take schema-1 parameters");
}

Test(node, thousands_of_rows_stream_across_pages)
{
	dqc_rows *r;
	const dqc_value *v;
	long n = 0, sum = 0;
	int rc;
	fill(20000);
	OK(dqc_query_sql(c, "SELECT id, s FROM t ORDER BY id", NULL, 0, &r));
	while ((rc = dqc_rows_next(r, &v)) == 1) {
		n++;
		sum += v[0].v.integer;
		cr_assert_eq(v[0].v.integer, n);
		cr_assert_eq(strncmp(v[1].v.text.ptr, "row-", 4), 0);
	}
	cr_assert_eq(rc, 0);
	cr_assert_eq(n, 20000);
	cr_assert_eq(sum, 20000L * 20001 / 2);
	dqc_rows_close(r);
}

Test(node, caps_on_rows_and_pages_are_errors_and_the_link_survives)
{
	dqc_rows *r;
	const dqc_value *v;
	long n = 0;
	int rc;
	fill(5000);
	dqc_set_limits(c, 1000, 0);
	OK(dqc_query_sql(c, "SELECT id, s FROM t", NULL, 0, &r));
	while ((rc = dqc_rows_next(r, &v)) == 1)
		n++;
	cr_assert_eq(rc, DQC_ELIMIT);
	cr_assert_eq(n, 1000);
	cr_assert(strstr(dqc_rows_errmsg(r), "more than 1000 rows"), "%s",
		  dqc_rows_errmsg(r));
	dqc_rows_close(r);
	dqc_set_limits(c, 0, 2);
	OK(dqc_query_sql(c, "SELECT id, s FROM t", NULL, 0, &r));
	while ((rc = dqc_rows_next(r, &v)) == 1)
		;
	cr_assert_eq(rc, DQC_ELIMIT);
	cr_assert(strstr(dqc_rows_errmsg(r), "more than 2 pages"), "%s",
		  dqc_rows_errmsg(r));
	dqc_rows_close(r);
	dqc_set_limits(c, 0, 0);
	cr_assert_eq(count_rows("SELECT id FROM t"), 5000);
}

Test(node, early_close_interrupts_and_the_link_stays_usable)
{
	dqc_rows *r;
	const dqc_value *v;
	fill(5000);
	OK(dqc_query_sql(c, "SELECT id, s FROM t", NULL, 0, &r));
	for (int i = 0; i < 10; i++)
		cr_assert_eq(dqc_rows_next(r, &v), 1);
	dqc_rows_close(r);
	cr_assert_eq(count_rows("SELECT 1"), 1);
	cr_assert(dqc_is_alive(c));
}

Test(node, a_second_request_buffers_the_streaming_result)
{
	dqc_rows *r, *r2;
	const dqc_value *v;
	long n = 1;
	int rc;
	fill(5000);
	OK(dqc_query_sql(c, "SELECT id, s FROM t ORDER BY id", NULL, 0, &r));
	cr_assert_eq(dqc_rows_next(r, &v), 1);
	cr_assert_eq(v[0].v.integer, 1);
	OK(dqc_query_sql(c, "SELECT count(*) FROM t", NULL, 0, &r2));
	/* the current row of the first result is still readable */
	cr_assert_eq(v[0].v.integer, 1);
	cr_assert_str_eq(v[1].v.text.ptr, "row-000001-xxxxxxxxxxxxxxxxxxxxxxxx");
	cr_assert(dqc_rows_complete(r));
	cr_assert_eq(dqc_rows_next(r2, &v), 1);
	cr_assert_eq(v[0].v.integer, 5000);
	dqc_rows_close(r2);
	while ((rc = dqc_rows_next(r, &v)) == 1)
		cr_assert_eq(v[0].v.integer, ++n);
	cr_assert_eq(rc, 0);
	cr_assert_eq(n, 5000);
	dqc_rows_close(r);
}

Test(node, server_failures_keep_code_and_message)
{
	cr_assert_eq(dqc_exec_sql(c, "SELEKT 1", NULL, 0, NULL), DQC_ESERVER);
	cr_assert_eq(dqc_server_code(c), 1);
	cr_assert(strstr(dqc_errmsg(c), "syntax error"));
	OK(dqc_exec_sql(c, "BEGIN", NULL, 0, NULL));
	cr_assert_eq(dqc_exec_sql(c, "BEGIN", NULL, 0, NULL), DQC_ESERVER);
	cr_assert(strstr(dqc_errmsg(c), "cannot start a transaction within a transaction"));
	OK(dqc_exec_sql(c, "ROLLBACK", NULL, 0, NULL));
	OK(dqc_exec_sql(c, "CREATE TABLE u (x INTEGER UNIQUE)", NULL, 0, NULL));
	OK(dqc_exec_sql(c, "INSERT INTO u VALUES (1)", NULL, 0, NULL));
	cr_assert_eq(dqc_exec_sql(c, "INSERT INTO u VALUES (1)", NULL, 0, NULL), DQC_ESERVER);
	cr_assert_eq(dqc_server_code(c) & 0xff, 19, "SQLITE_CONSTRAINT");
}

Test(node, finalized_and_stale_statements_are_never_sent)
{
	dqc_stmt st = {0};
	OK(dqc_prepare(c, "SELECT ?", &st));
	cr_assert_eq(st.n_params, 1);
	cr_assert_eq(dqc_exec(c, &st, NULL, 0, NULL), DQC_EINVAL, "parameter count checked");
	OK(dqc_finalize(c, &st));
	OK(dqc_finalize(c, &st)); /* harmless, sends nothing */
	cr_assert_eq(dqc_exec(c, &st, NULL, 0, NULL), DQC_ESTALE);
	cr_assert_eq(count_rows("SELECT 1"), 1, "the node is still alive");
}

Test(node, pipelined_failures_are_per_request)
{
	dqc_result res;
	OK(dqc_exec_sql(c, "CREATE TABLE p (x INTEGER UNIQUE)", NULL, 0, NULL));
	OK(dqc_pipeline_exec_sql(c, "INSERT INTO p VALUES (1)", NULL, 0));
	OK(dqc_pipeline_exec_sql(c, "INSERT INTO p VALUES (1)", NULL, 0));
	OK(dqc_pipeline_exec_sql(c, "INSERT INTO p VALUES (2)", NULL, 0));
	cr_assert_eq(dqc_pipeline_pending(c), 3);
	OK(dqc_pipeline_recv(c, &res));
	cr_assert_eq(dqc_pipeline_recv(c, &res), DQC_ESERVER);
	OK(dqc_pipeline_recv(c, &res));
	cr_assert_eq(res.rows_affected, 1);
	cr_assert_eq(count_rows("SELECT x FROM p"), 2);
}

static void *cancel_later(void *arg)
{
	usleep(200 * 1000);
	dqc_cancel(arg);
	return NULL;
}

/* A cancel reaches the reads of a scope. Released servers read INTERRUPT
 * only after the last page, so a long stream cannot be drained within the
 * grace: the link is closed to stop it, promptly, and a reconnect finds the
 * node serving again. */
Test(node, cancel_from_another_thread_stops_a_streaming_query_promptly)
{
	pthread_t th;
	dqc_rows *r;
	const dqc_value *v;
	long n = 0;
	uint64_t t0, took;
	int rc;
	dqc_scope_begin(c, 0);
	OK(dqc_query_sql(c,
			 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
			 " WHERE i < 20000000) SELECT i, 'some text to fill pages' FROM n",
			 NULL, 0, &r));
	t0 = dqc_now_ms();
	pthread_create(&th, NULL, cancel_later, c);
	while ((rc = dqc_rows_next(r, &v)) == 1)
		n++;
	took = dqc_now_ms() - t0;
	pthread_join(th, NULL);
	dqc_scope_end(c);
	cr_assert_eq(rc, DQC_ECANCELED, "got %s after %ld rows", dqc_strerror(rc), n);
	cr_assert(n > 0 && n < 20000000, "the cancel stopped the stream early");
	/* canceled at 200 ms; the grace is 200 ms more */
	cr_assert_lt(took, 200 + 200 + 250, "returned %llu ms after the start",
		     (unsigned long long)took);
	cr_assert_eq(dqc_rows_next(r, &v), DQC_ECANCELED, "the result stays ended");
	dqc_rows_close(r);
	cr_assert_not(dqc_is_alive(c), "the stream could not be drained in time");
	OK(dqc_reconnect(c));
	cr_assert_eq(count_rows("SELECT 1"), 1, "usable after reconnecting");
}

/* A cancel after the last page is in hand costs nothing: nothing is due. */
Test(node, cancel_with_nothing_due_keeps_the_link)
{
	dqc_rows *r;
	const dqc_value *v;
	dqc_scope_begin(c, 0);
	OK(dqc_query_sql(c, "SELECT 1 UNION ALL SELECT 2", NULL, 0, &r));
	dqc_cancel(c);
	cr_assert_eq(dqc_rows_next(r, &v), 1);
	cr_assert_eq(dqc_rows_next(r, &v), 1);
	cr_assert_eq(dqc_rows_next(r, &v), 0);
	dqc_rows_close(r);
	dqc_scope_end(c);
	cr_assert(dqc_is_alive(c));
	cr_assert_eq(count_rows("SELECT 1"), 1);
}

/* One long sqlite3_step runs on the node's event loop, so the server can
 * not see INTERRUPT until it finishes: cancel returns promptly and the
 * connection is reported dead, so the caller reconnects. */
Test(node, cancel_of_an_uninterruptible_step_returns_and_reconnects)
{
	pthread_t th;
	dqc_rows *r = NULL;
	const dqc_value *v;
	int rc;
	pthread_create(&th, NULL, cancel_later, c);
	rc = dqc_query_sql(c,
			   "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
			   " WHERE i < 30000000) SELECT sum(i) FROM n",
			   NULL, 0, &r);
	pthread_join(th, NULL);
	if (rc == 0) {
		rc = dqc_rows_next(r, &v);
		dqc_rows_close(r);
	}
	cr_assert_eq(rc, DQC_ECANCELED, "got %s", dqc_strerror(rc));
	/* The node answers nobody until its step ends (seconds on a loaded
	 * machine): reconnecting fails with a timeout until then. */
	for (int attempt = 0; attempt < 15 && !dqc_is_alive(c); attempt++)
		if (dqc_reconnect(c) != 0)
			fprintf(stderr, "reconnect attempt %d: %s\n", attempt + 1, dqc_errmsg(c));
	cr_assert(dqc_is_alive(c), "reconnected once the node finished its step");
	cr_assert_eq(count_rows("SELECT 1"), 1, "usable again");
}

Test(node, a_paused_node_times_out)
{
	dqc_set_timeout(c, 300);
	cr_assert_eq(dqt_node_pause(&cl, 0), 0);
	cr_assert_eq(dqc_exec_sql(c, "CREATE TABLE w (x)", NULL, 0, NULL), DQC_ETIMEDOUT);
	cr_assert_eq(dqt_node_resume(&cl, 0), 0);
}
