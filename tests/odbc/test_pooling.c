/*
 * unixODBC's own connection pooling ([ODBC] Pooling = Yes, CPTimeout on the
 * driver) against a real node: nothing one user of a pooled connection
 * leaves behind reaches the next one, a clean reset costs no round trip,
 * and a connection whose node restarted is not handed out dead.
 *
 * Which driver connection a user got is read from the driver manager
 * (SQLGetInfo SQL_DRIVER_HDBC: the driver's own handle) and its round trips
 * from SQL_ATTR_DQLITE_REQUESTS, which counts on across users of one
 * pooled connection. Each test is its own process, so each has its own
 * driver-manager pool. pooling.c explains what unixODBC 2.3.11 does.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dqlite_odbc.h"
#include "odbc_util.h"

static dqt_cluster cl;
static SQLHENV env;

/* Pooling on for the driver under test, in the private odbcinst.ini. */
static void enable_pooling(void)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof path, "%s/odbcinst.ini", cl.root);
	f = fopen(path, "w");
	cr_assert(f);
	fprintf(f,
		"[ODBC]\n"
		"Pooling = Yes\n"
		"\n"
		"[dqlite-test]\n"
		"Description = dqlite ODBC driver under test\n"
		"Driver = %s\n"
		"Threading = 0\n"
		"CPTimeout = 60\n",
		dqt_driver_path());
	cr_assert_eq(fclose(f), 0);
}

static void up(SQLINTEGER odbc_version)
{
	cr_assert_eq(dqt_cluster_start(&cl, 1), 0);
	cr_assert_eq(dqt_odbc_setup(&cl, "pool"), 0);
	enable_pooling();
	/* one environment for every user, as in an application server; the
	 * driver manager reads Pooling when it is allocated */
	cr_assert(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env)));
	cr_assert(SQL_SUCCEEDED(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION,
					      (SQLPOINTER)(intptr_t)odbc_version, 0)));
}

static void up30(void) { up(SQL_OV_ODBC3); }
static void up38(void) { up(SQL_OV_ODBC3_80); }

static void down(void)
{
	/* pooled connections stay with the driver manager until exit */
	SQLFreeHandle(SQL_HANDLE_ENV, env);
	dqt_cluster_stop(&cl);
}

TestSuite(pool30, .init = up30, .fini = down, .timeout = 120);
TestSuite(pool38, .init = up38, .fini = down, .timeout = 120);

typedef struct user {
	SQLHDBC dbc;
	SQLHANDLE driver_dbc;  /* the driver's connection behind it */
	SQLULEN requests;      /* its round trips so far, at connect */
} user;

static SQLULEN requests(SQLHDBC dbc)
{
	SQLULEN n = 0;
	OKC(SQLGetConnectAttr(dbc, SQL_ATTR_DQLITE_REQUESTS, &n, sizeof n, NULL), dbc);
	return n;
}

/* A user connects through the pool; managed: AUTOCOMMIT OFF. */
static user login(int managed)
{
	user u;
	SQLSMALLINT len;

	cr_assert(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, env, &u.dbc)));
	OKC(SQLDriverConnect(u.dbc, NULL, (SQLCHAR *)"DSN=dqtest;", SQL_NTS, NULL, 0,
			     NULL, SQL_DRIVER_NOPROMPT), u.dbc);
	OKC(SQLGetInfo(u.dbc, SQL_DRIVER_HDBC, &u.driver_dbc, sizeof u.driver_dbc, &len),
	    u.dbc);
	u.requests = requests(u.dbc);
	if (managed)
		OKC(SQLSetConnectAttr(u.dbc, SQL_ATTR_AUTOCOMMIT,
				      (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0), u.dbc);
	return u;
}

/* The user leaves: SQLDisconnect (the driver manager keeps the connection
 * in its pool) and frees its handle. Returns the round trips so far. */
static SQLULEN logout(user *u)
{
	SQLULEN n = requests(u->dbc);
	cr_assert_eq(SQLDisconnect(u->dbc), SQL_SUCCESS, "%s", diag(SQL_HANDLE_DBC, u->dbc));
	SQLFreeHandle(SQL_HANDLE_DBC, u->dbc);
	return n;
}

static void run(SQLHDBC dbc, const char *sql)
{
	SQLHSTMT st;
	cr_assert(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st)));
	OKS(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS), st);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void end(const user *u, SQLSMALLINT how)
{
	OKC(SQLEndTran(SQL_HANDLE_DBC, u->dbc, how), u->dbc);
}

/* The next user (managed) gets the connection the previous one, who left
 * after `left` requests, gave back, and the hand-over cost `cost`. */
static user next_on_same(const user *prev, SQLULEN left, SQLULEN cost)
{
	user u = login(1);
	cr_assert_eq(u.driver_dbc, prev->driver_dbc, "the pool did not hand the connection on");
	cr_assert_eq(u.requests - left, cost, "the hand-over cost %lu requests, not %lu",
		     (unsigned long)(u.requests - left), (unsigned long)cost);
	return u;
}

/* What a connection outside the pool sees (its own environment with
 * pooling off is not possible in one process: a fresh pooled user that
 * ends its transaction is as good). */
static long long committed_rows(void)
{
	user u = login(1);
	long long n = query_int(u.dbc, "SELECT count(*) FROM p");
	OKC(SQLEndTran(SQL_HANDLE_DBC, u.dbc, SQL_ROLLBACK), u.dbc);
	logout(&u);
	return n;
}

static void create_table(void)
{
	user u = login(1);
	run(u.dbc, "CREATE TABLE p (x INTEGER)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, u.dbc, SQL_COMMIT), u.dbc);
	logout(&u);
}

/* The sequence of issue 15, for an application of either version. */
static void four_users(void)
{
	user a, b, c, d, e;

	create_table();

	/* A writes in a managed transaction and leaves without ending it */
	a = login(1);
	run(a.dbc, "INSERT INTO p VALUES (1)");
	logout(&a);

	/* B sees nothing of it, and committing commits nothing of A's */
	b = login(1);
	cr_assert_eq(query_int(b.dbc, "SELECT count(*) FROM p"), 0,
		     "user B saw user A's uncommitted row");
	OKC(SQLEndTran(SQL_HANDLE_DBC, b.dbc, SQL_COMMIT), b.dbc);
	logout(&b);
	cr_assert_eq(committed_rows(), 0, "user A's row was committed by user B");

	/* C, unmanaged, opens a savepoint the driver cannot track by name */
	c = login(0);
	run(c.dbc, "SAVEPOINT \"weird name\"");
	run(c.dbc, "INSERT INTO p VALUES (3)");
	logout(&c);

	d = login(1);
	cr_assert_eq(query_int(d.dbc, "SELECT count(*) FROM p"), 0,
		     "user D saw user C's row");
	OKC(SQLEndTran(SQL_HANDLE_DBC, d.dbc, SQL_COMMIT), d.dbc);
	logout(&d);

	/* and the pool still works for a user who does things properly */
	e = login(1);
	run(e.dbc, "INSERT INTO p VALUES (5)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, e.dbc, SQL_COMMIT), e.dbc);
	logout(&e);
	cr_assert_eq(committed_rows(), 1);
}

Test(pool30, four_users_nothing_crosses_between_them) { four_users(); }
Test(pool38, four_users_nothing_crosses_between_them) { four_users(); }

/* A user that ended its transaction: the next one gets the same driver
 * connection and the hand-over cost no request. */
static void clean_reuse_costs_nothing(void)
{
	user a, b;
	SQLULEN left;

	create_table();
	a = login(1);
	cr_assert_eq(query_int(a.dbc, "SELECT count(*) FROM p"), 0);
	end(&a, SQL_COMMIT);
	left = logout(&a);
	b = next_on_same(&a, left, 0);
	cr_assert_eq(query_int(b.dbc, "SELECT count(*) FROM p"), 0);
	end(&b, SQL_COMMIT);
	logout(&b);
}

Test(pool30, clean_connection_is_reused_with_zero_requests) { clean_reuse_costs_nothing(); }
Test(pool38, clean_connection_is_reused_with_zero_requests) { clean_reuse_costs_nothing(); }

/* ODBC 3.80: the driver manager resets on return. A connection flagged by
 * an untracked savepoint (no transaction open any more) pays exactly one
 * safety ROLLBACK and is handed on; one with an open transaction pays one
 * ROLLBACK too. */
Test(pool38, flagged_connection_reset_costs_one_request)
{
	user a, b;
	SQLULEN left;

	create_table();
	a = login(0);
	run(a.dbc, "SAVEPOINT \"weird name\"");
	run(a.dbc, "RELEASE \"weird name\"");
	left = logout(&a);
	b = next_on_same(&a, left, 1);
	logout(&b);
}

Test(pool38, open_transaction_reset_costs_one_rollback)
{
	user a, b;
	SQLULEN left;

	create_table();
	a = login(1);
	run(a.dbc, "INSERT INTO p VALUES (1)");
	left = logout(&a);
	b = next_on_same(&a, left, 1);
	cr_assert_eq(query_int(b.dbc, "SELECT count(*) FROM p"), 0);
	end(&b, SQL_ROLLBACK);
	logout(&b);
}

/* A cursor the user left open (its handle dropped by the driver manager)
 * keeps nothing on the next user: ODBC 3.80 frees the statement, 2/3.0
 * releases it at the hand-over (its read transaction would otherwise make
 * the next user's write wait). The release costs two requests: FINALIZE of
 * the statement it prepared and the ROLLBACK of its read transaction (the
 * result was all in hand: closing it sends nothing). */
static void statements_left_open(void)
{
	user a, b;
	SQLHSTMT st;
	SQLULEN left;

	create_table();
	a = login(1);
	run(a.dbc, "INSERT INTO p VALUES (1), (2), (3)");
	end(&a, SQL_COMMIT);
	cr_assert(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, a.dbc, &st)));
	OKS(SQLPrepare(st, (SQLCHAR *)"SELECT x FROM p ORDER BY x", SQL_NTS), st);
	OKS(SQLExecute(st), st);
	OKS(SQLFetch(st), st);
	/* no SQLFreeHandle: the driver manager drops the handle itself */
	left = logout(&a);
	b = next_on_same(&a, left, 2);
	run(b.dbc, "INSERT INTO p VALUES (4)");
	end(&b, SQL_COMMIT);
	cr_assert_eq(query_int(b.dbc, "SELECT count(*) FROM p"), 4);
	end(&b, SQL_COMMIT);
	logout(&b);
}

Test(pool30, statements_left_open_are_released) { statements_left_open(); }
Test(pool38, statements_left_open_are_released) { statements_left_open(); }

/* What the driver does not reset (docs/transactions.md says so): SQLite's
 * own connection state, such as a TEMP table, is seen by the next user. */
Test(pool38, temp_tables_survive_in_a_pooled_connection)
{
	user a, b;
	SQLULEN left;

	a = login(1);
	run(a.dbc, "CREATE TEMP TABLE t (x)");
	run(a.dbc, "INSERT INTO t VALUES (42)");
	end(&a, SQL_COMMIT);
	left = logout(&a);
	b = next_on_same(&a, left, 0);
	cr_assert_eq(query_int(b.dbc, "SELECT x FROM temp.t"), 42);
	end(&b, SQL_COMMIT);
	logout(&b);
}

/* The previous user's autocommit choice does not carry over: a user who
 * never touches SQL_ATTR_AUTOCOMMIT is unmanaged, as after connecting
 * (its bare write is refused, not left in a transaction the pool would
 * later roll back). */
static void mode_does_not_carry_over(void)
{
	user a, b;
	SQLHSTMT st;

	create_table();
	a = login(1);
	cr_assert_eq(query_int(a.dbc, "SELECT count(*) FROM p"), 0);
	OKC(SQLEndTran(SQL_HANDLE_DBC, a.dbc, SQL_COMMIT), a.dbc);
	logout(&a);
	b = login(0);
	cr_assert_eq(b.driver_dbc, a.driver_dbc);
	cr_assert(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, b.dbc, &st)));
	cr_assert_eq(SQLExecDirect(st, (SQLCHAR *)"INSERT INTO p VALUES (1)", SQL_NTS),
		     SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "25000", "%s",
			 diag(SQL_HANDLE_STMT, st));
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	logout(&b);
}

Test(pool30, autocommit_mode_does_not_carry_over) { mode_does_not_carry_over(); }
Test(pool38, autocommit_mode_does_not_carry_over) { mode_does_not_carry_over(); }

/* The node restarts while the connection sits in the pool: the driver
 * manager's dead-connection check sees it (no request sent) and the next
 * user gets a working connection. */
static void node_restart_in_the_pool(void)
{
	user a, b;

	create_table();
	a = login(1);
	cr_assert_eq(query_int(a.dbc, "SELECT count(*) FROM p"), 0);
	OKC(SQLEndTran(SQL_HANDLE_DBC, a.dbc, SQL_COMMIT), a.dbc);
	logout(&a);
	cr_assert_eq(dqt_node_kill(&cl, 0), 0);
	cr_assert_eq(dqt_node_restart(&cl, 0), 0);
	b = login(1);
	run(b.dbc, "INSERT INTO p VALUES (7)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, b.dbc, SQL_COMMIT), b.dbc);
	cr_assert_eq(query_int(b.dbc, "SELECT count(*) FROM p"), 1);
	OKC(SQLEndTran(SQL_HANDLE_DBC, b.dbc, SQL_COMMIT), b.dbc);
	logout(&b);
}

Test(pool30, node_restart_while_pooled_is_not_handed_out_dead) { node_restart_in_the_pool(); }
Test(pool38, node_restart_while_pooled_is_not_handed_out_dead) { node_restart_in_the_pool(); }

/* SQL_ATTR_CONNECTION_DEAD read by an application answers truly and
 * changes nothing: its transaction stays open. */
Test(pool30, connection_dead_asked_by_the_application_keeps_its_transaction)
{
	user a;
	SQLUINTEGER dead = 99;
	SQLINTEGER len = 0;

	create_table();
	a = login(1);
	run(a.dbc, "INSERT INTO p VALUES (1)");
	OKC(SQLGetConnectAttr(a.dbc, SQL_ATTR_CONNECTION_DEAD, &dead, SQL_IS_UINTEGER, &len),
	    a.dbc);
	cr_assert_eq(dead, SQL_CD_FALSE);
	cr_assert_eq(query_int(a.dbc, "SELECT count(*) FROM p"), 1);
	OKC(SQLEndTran(SQL_HANDLE_DBC, a.dbc, SQL_COMMIT), a.dbc);
	logout(&a);
	cr_assert_eq(committed_rows(), 1);
}
