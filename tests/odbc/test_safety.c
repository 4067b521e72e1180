/*
 * Issue 9, "never crash a server": the requests that hang or kill released
 * dqlite nodes (docs/protocol.md, measured in /tmp/probe/FINDINGS.md) are
 * refused or handled, through unixODBC's driver manager against a real
 * node. After each one the node is asserted to be the same process, alive
 * and answering, and the connection (or its documented reconnect) works.
 *
 * "Refused before sending" is shown by what sending would have cost: a write
 * of the open transaction survives and commits (a result the server cannot
 * send is only stopped by closing the link, which rolls the transaction
 * back).
 */
#include <stdarg.h>

#include "fault_util.h"

static dqt_cluster cl;
static pid_t node_pid;

static void setup(void)
{
	cr_assert_eq(dqt_cluster_start(&cl, 1), 0);
	cr_assert_eq(dqt_odbc_setup(&cl, "safety"), 0);
	node_pid = cl.nodes[0].pid;
}

static void teardown(void)
{
	dqt_cluster_stop(&cl);
	cr_assert_eq(dqt_leak_check(), 0, "memory leaked");
}

TestSuite(safety, .init = setup, .fini = teardown, .timeout = 120);

/* A growable SQL text. */
typedef struct text {
	char *s;
	size_t len, cap;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(text *t, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (t->len + (size_t)n + 1 > t->cap) {
		t->cap = (t->len + (size_t)n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		cr_assert_not_null(t->s);
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* SELECT 1, 2, ..., n (unaliased: column i is named "i"), or with
 * alias_prefix: SELECT 1 AS <prefix>1, ... */
static char *select_n(unsigned n, const char *alias_prefix)
{
	text t = { 0 };
	add(&t, "SELECT ");
	for (unsigned i = 1; i <= n; i++) {
		if (alias_prefix)
			add(&t, "%s%u AS %s%u", i > 1 ? ", " : "", i, alias_prefix, i);
		else
			add(&t, "%s%u", i > 1 ? ", " : "", i);
	}
	return t.s;
}

static void assert_link_alive(SQLHDBC dbc)
{
	SQLUINTEGER dead = 99;
	OKC(SQLGetConnectAttr(dbc, SQL_ATTR_CONNECTION_DEAD, &dead, 0, NULL), dbc);
	cr_assert_eq(dead, SQL_CD_FALSE, "the link was closed");
}

/* Runs sql (which must return one row of n integer columns 1..n) and checks
 * every column's value and the last column's name. */
static void assert_row_1_to_n(SQLHDBC dbc, const char *sql, unsigned n, const char *last_name)
{
	SQLHSTMT st = new_stmt(dbc);
	SQLSMALLINT cols = 0, namelen;
	SQLCHAR name[32];
	OKS(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS), st);
	OKS(SQLNumResultCols(st, &cols), st);
	cr_assert_eq(cols, (SQLSMALLINT)n);
	OKS(SQLDescribeCol(st, (SQLUSMALLINT)n, name, sizeof name, &namelen, NULL, NULL, NULL,
			   NULL), st);
	cr_assert_str_eq((char *)name, last_name);
	OKS(SQLFetch(st), st);
	for (unsigned i = 1; i <= n; i++) {
		SQLBIGINT v = -1;
		SQLLEN ind;
		OKS(SQLGetData(st, (SQLUSMALLINT)i, SQL_C_SBIGINT, &v, 0, &ind), st);
		cr_assert_eq(v, (SQLBIGINT)i, "column %u", i);
	}
	cr_assert_eq(SQLFetch(st), SQL_NO_DATA);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
}

/* Commits the open transaction of dbc and checks, on a fresh connection,
 * that table t holds exactly the row 1. */
static void commit_and_assert_row(SQLHENV env, SQLHDBC dbc, const char *t)
{
	SQLHENV env2;
	SQLHDBC check;
	char sql[128];
	(void)env;
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	check = odbc_connect(&env2, NULL);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", t);
	cr_assert_eq(query_int(check, sql), 1, "the transaction's row was committed");
	snprintf(sql, sizeof sql, "SELECT i FROM %s", t);
	cr_assert_eq(query_int(check, sql), 1);
	odbc_close(env2, check);
}

/* ---------------------------------------------------------- refused */

/* With row 1 of s written in an open transaction: sql on st is refused
 * 54000 before sending, within 1 s, and the link stays up. */
static void assert_refused_before_sending(SQLHDBC dbc, SQLHSTMT st, const char *sql)
{
	SQLRETURN rc;
	double el;

	rc = timed_exec(st, sql, &el);
	assert_fails_with(rc, SQL_HANDLE_STMT, st, "54000");
	assert_msg_has(SQL_HANDLE_STMT, st, "refused before sending");
	cr_assert_lt(el, 1.0, "took %.3f s", el);
	assert_link_alive(dbc);
}

Test(safety, select_with_a_4100_space_comment_in_its_column_name_is_refused_54000_in_1s_and_the_open_transaction_commits)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, "Timeout=10");
	SQLHSTMT st = new_stmt(dbc);
	text sql = { 0 };

	table_with_an_open_write_of_row_1(dbc, "s");
	add(&sql, "SELECT 7 /*");
	for (int i = 0; i < 4100; i++)
		add(&sql, " ");
	add(&sql, "*/");
	assert_refused_before_sending(dbc, st, sql.s);
	/* the same statement runs the next query */
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT count(*) FROM s", SQL_NTS), st);
	OKS(SQLFreeStmt(st, SQL_CLOSE), st);
	commit_and_assert_row(env, dbc, "s");
	free(sql.s);
	close_and_assert_node_alive(env, dbc, st, &cl, node_pid);
}

Test(safety, select_of_510_unaliased_columns_is_refused_54000_before_sending_and_the_open_transaction_commits)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, "Timeout=10");
	SQLHSTMT st = new_stmt(dbc);
	char *sql = select_n(510, NULL);

	table_with_an_open_write_of_row_1(dbc, "s");
	assert_refused_before_sending(dbc, st, sql);
	commit_and_assert_row(env, dbc, "s");
	free(sql);
	close_and_assert_node_alive(env, dbc, st, &cl, node_pid);
}

/* 509 columns named a1..a509 (8 bytes each in the reply): the first row
 * starts at byte 4088 of the page, which overflowed a fresh server
 * connection's reply buffer and aborted released nodes; the driver's
 * warm-up after OPEN makes it safe. */
Test(safety, select_of_509_short_aliased_columns_as_the_first_query_of_a_fresh_connection_returns_1_to_509_and_the_node_survives)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, NULL);
	char *sql = select_n(509, "a");

	assert_row_1_to_n(dbc, sql, 509, "a509");
	assert_node_alive(&cl, 0, node_pid);
	cr_assert_eq(query_int(dbc, "SELECT 8"), 8);
	free(sql);
	odbc_close(env, dbc);
	assert_node_alive(&cl, 0, node_pid);
}

Test(safety, getinfo_max_columns_in_select_is_509_and_true_509_unaliased_columns_work_and_510_fail_54000)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, NULL);
	SQLHSTMT st;
	SQLUSMALLINT max = 0;
	char *ok = select_n(509, NULL), *bad = select_n(510, NULL);

	OKC(SQLGetInfo(dbc, SQL_MAX_COLUMNS_IN_SELECT, &max, 0, NULL), dbc);
	cr_assert_eq(max, 509);
	assert_row_1_to_n(dbc, ok, max, "509");
	st = new_stmt(dbc);
	assert_fails_with(SQLExecDirect(st, (SQLCHAR *)bad, SQL_NTS), SQL_HANDLE_STMT, st,
			  "54000");
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	assert_link_alive(dbc);
	cr_assert_eq(query_int(dbc, "SELECT 9"), 9);
	free(ok);
	free(bad);
	odbc_close(env, dbc);
	assert_node_alive(&cl, 0, node_pid);
}

/* --------------------------------------- seen only at the first page */

/* SELECT * of a 600-column table: the names (8 bytes each, 4800) fill the
 * page, which the text does not show; the first page (no row, "more")
 * does, and the link is closed at once to stop the endless pages. */
Test(safety, select_star_of_a_600_column_table_fails_54000_in_2s_closing_the_link_and_the_next_statement_reconnects)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, "Timeout=10");
	SQLHSTMT st = new_stmt(dbc);
	text ddl = { 0 };
	SQLRETURN rc;
	double el;

	add(&ddl, "CREATE TABLE wide (");
	for (int i = 1; i <= 600; i++)
		add(&ddl, "%sc%d INTEGER", i > 1 ? ", " : "", i);
	add(&ddl, ")");
	exec_ok(dbc, ddl.s);
	exec_ok(dbc, "INSERT INTO wide (c1, c600) VALUES (1, 600)");
	exec_ok(dbc, "CREATE TABLE s (i INTEGER)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	exec_ok(dbc, "INSERT INTO s VALUES (5)");
	rc = timed_exec(st, "SELECT * FROM wide", &el);
	assert_fails_with(rc, SQL_HANDLE_STMT, st, "54000");
	assert_msg_has(SQL_HANDLE_STMT, st, "connection was closed");
	/* the link went, and with it the open transaction: the message says so */
	assert_msg_has(SQL_HANDLE_STMT, st, "rolled back the open transaction");
	cr_assert_lt(el, 2.0, "took %.3f s", el);
	assert_node_alive(&cl, 0, node_pid);
	/* the driver's transaction state follows the server's */
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
	/* the next statement on the same connection reconnects and runs */
	cr_assert_eq(query_int(dbc, "SELECT c600 FROM wide"), 600);
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM s"), 0, "the lost write is gone");
	exec_ok(dbc, "INSERT INTO s VALUES (1)");
	commit_and_assert_row(env, dbc, "s");
	free(ddl.s);
	close_and_assert_node_alive(env, dbc, st, &cl, node_pid);
}

/* ------------------------------------------------- database names */

static void expect_refused_database(const char *database, const char *reason1,
				    const char *reason2)
{
	SQLHENV env;
	SQLHDBC dbc;
	text cs = { 0 };
	char err[1200];
	add(&cs, "DSN=dqtest;Database={%s}", database);
	cr_assert_eq(try_connect(&env, &dbc, cs.s, NULL, 0, err, sizeof err), SQL_ERROR,
		     "connected to database '%.40s'", database);
	cr_assert(strncmp(err, "HY000", 5) == 0, "%s", err);
	cr_assert(strstr(err, reason1), "'%s' not in: %s", reason1, err);
	cr_assert(strstr(err, reason2), "'%s' not in: %s", reason2, err);
	free(cs.s);
	assert_node_alive(&cl, 0, node_pid);
}

Test(safety, in_memory_database_names_are_refused_HY000_naming_the_reason_and_the_node_lives)
{
	SQLHENV env;
	SQLHDBC dbc;
	expect_refused_database(":memory:", "':memory:' refused", "in-memory");
	expect_refused_database("file:x?mode=memory", "'file:x?mode=memory' refused",
				"in-memory databases or URI names");
	/* the node still serves a plain name */
	dbc = odbc_connect(&env, NULL);
	exec_ok(dbc, "CREATE TABLE alive (i INTEGER)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM alive"), 0);
	odbc_close(env, dbc);
	assert_node_alive(&cl, 0, node_pid);
}

Test(safety, a_600_byte_database_name_is_refused_HY000_naming_its_length_and_the_limit_and_the_node_lives)
{
	SQLHENV env;
	SQLHDBC dbc;
	char name[601];
	memset(name, 'd', 600);
	name[600] = '\0';
	expect_refused_database(name, "600 bytes", "504 bytes");
	dbc = odbc_connect(&env, NULL);
	cr_assert_eq(query_int(dbc, "SELECT 3"), 3);
	odbc_close(env, dbc);
	assert_node_alive(&cl, 0, node_pid);
}
