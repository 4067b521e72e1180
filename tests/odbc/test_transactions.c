/*
 * The transaction contract of docs/transactions.md on one real dqlite node,
 * through unixODBC's driver manager: managed and unmanaged connections,
 * SQL_ATTR_AUTOCOMMIT, BeginMode, SQLDisconnect with pending writes, and
 * waiting out a busy database (BusyTimeout), including SQLite's
 * BUSY_SNAPSHOT.
 */
#include <pthread.h>
#include <stdlib.h>

#include "tx_util.h"

static dqt_cluster cl;

static void setup(void)
{
	cr_assert_eq(dqt_cluster_start(&cl, 1), 0);
	cr_assert_eq(dqt_odbc_setup(&cl, "tx"), 0);
}

static void teardown(void)
{
	dqt_cluster_stop(&cl);
	cr_assert_eq(dqt_leak_check(), 0, "memory leaked");
}

TestSuite(transactions, .init = setup, .fini = teardown, .timeout = 120);

/* What a refused bare write must say: both ways out. */
#define WRITES_NEED "writes need a transaction"

/* Creates table `name` (one INTEGER column i) and commits, on a connection
 * of its own. */
static void make_table(const char *name)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, NULL);
	char sql[128];
	snprintf(sql, sizeof sql, "CREATE TABLE %s (i INTEGER)", name);
	TX_OK(tx_exec(dbc, sql));
	TX_OK(tx_end(dbc, SQL_COMMIT));
	odbc_close(env, dbc);
}

/* A committed value as another (fresh, managed) connection sees it. */
static long long seen_by_other(const char *sql)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, NULL);
	long long v = query_int(dbc, sql);
	odbc_close(env, dbc);
	return v;
}

/* dbc writes row 2 of `table`, which holds row 1, and commits: another
 * connection sees both. */
static void row_2_commits(SQLHDBC dbc, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (2)", table);
	TX_OK(tx_exec(dbc, sql));
	TX_OK(tx_end(dbc, SQL_COMMIT));
	snprintf(sql, sizeof sql, "SELECT sum(i) FROM %s", table);
	cr_assert_eq(seen_by_other(sql), 3);
}

static void assert_unmanaged_refuses_writes(SQLHDBC dbc, const char *sql)
{
	tx_outcome o = tx_exec(dbc, sql);
	TX_FAILS(o, "25000", WRITES_NEED);
	cr_assert(strstr(o.msg, "SQLEndTran") && strstr(o.msg, "BEGIN ... COMMIT"),
		  "the message names both ways out: %s", o.msg);
}

/* ------------------------------------------------------------ unmanaged */

Test(transactions, unmanaged_reads_run_and_a_bare_write_is_refused_before_it_is_sent)
{
	SQLHENV ue, we;
	SQLHDBC u = odbc_connect_unmanaged(&ue, NULL), w;
	SQLHSTMT st;
	SQLUINTEGER ac = 99;
	tx_outcome o;

	/* it reads OFF like every connection */
	OKC(SQLGetConnectAttr(u, SQL_ATTR_AUTOCOMMIT, &ac, 0, NULL), u);
	cr_assert_eq(ac, SQL_AUTOCOMMIT_OFF);

	/* 1. Nobody else writes: had the CREATE been sent outside a
	 * transaction, the server would have run and kept it. */
	assert_unmanaged_refuses_writes(u, "CREATE TABLE never_made (x)");
	cr_assert_eq(seen_by_other("SELECT count(*) FROM sqlite_master WHERE name = 'never_made'"),
		     0, "the refused CREATE TABLE reached the server");

	make_table("t");
	cr_assert_eq(query_int(u, "SELECT count(*) FROM t"), 0, "an unmanaged read runs");

	/* 2. Another connection holds the write lock: had the writes been
	 * sent, the server would have answered "database is locked". */
	w = odbc_connect(&we, NULL);
	TX_OK(tx_exec(w, "INSERT INTO t VALUES (1)"));
	assert_unmanaged_refuses_writes(u, "INSERT INTO t VALUES (2)");
	assert_unmanaged_refuses_writes(u, "UPDATE t SET i = 3");
	assert_unmanaged_refuses_writes(u, "DELETE FROM t");
	assert_unmanaged_refuses_writes(u, "CREATE TABLE never_made (x)");
	/* prepared, then executed: the refusal comes at SQLExecute */
	SQLAllocHandle(SQL_HANDLE_STMT, u, &st);
	OKS(SQLPrepare(st, (SQLCHAR *)"INSERT INTO t VALUES (4)", SQL_NTS), st);
	cr_assert_eq(SQLExecute(st), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "25000", "%s", diag(SQL_HANDLE_STMT, st));
	cr_assert(strstr(diag(SQL_HANDLE_STMT, st), WRITES_NEED), "%s", diag(SQL_HANDLE_STMT, st));
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	/* reads still run while w holds the write lock (w's row is not
	 * committed, so it is not seen) */
	cr_assert_eq(query_int(u, "SELECT count(*) FROM t"), 0);
	TX_OK(tx_end(w, SQL_COMMIT));
	odbc_close(we, w);

	/* only w's row exists, and never_made was never created */
	cr_assert_eq(seen_by_other("SELECT count(*) FROM t"), 1);
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM t"), 1);
	cr_assert_eq(seen_by_other("SELECT count(*) FROM sqlite_master WHERE name = 'never_made'"),
		     0);
	cr_assert_eq(query_int(u, "SELECT count(*) FROM t"), 1, "unmanaged reads see commits");
	/* nothing open: SQLEndTran succeeds in unmanaged mode too */
	o = tx_end(u, SQL_COMMIT);
	TX_OK(o);
	o = tx_end(u, SQL_ROLLBACK);
	TX_OK(o);
	odbc_close(ue, u);
}

/* Text the driver cannot classify counts as a write, which an unmanaged
 * connection refuses before sending. A misspelt statement is such text: it
 * must be reported as the syntax error it is (42000, the server's message),
 * not as a missing transaction (the client matrix found "SELEC 1" answered
 * with 25000 in node odbc, PHP and isql's default mode). Unclassified text
 * that parses is still refused and never runs. */
Test(transactions, unmanaged_misspelt_sql_is_a_syntax_error_not_a_missing_transaction)
{
	SQLHENV ue, me;
	SQLHDBC u = odbc_connect_unmanaged(&ue, NULL), m;
	tx_outcome o;

	make_table("t");
	o = tx_exec(u, "SELEC 1");
	TX_FAILS(o, "42000", "syntax error");
	cr_assert(strstr(o.msg, "SELEC") != NULL, "the server's message names the token: %s", o.msg);
	o = tx_exec(u, "INSRT INTO t VALUES (1)");
	TX_FAILS(o, "42000", "syntax error");

	/* ANALYZE parses and is no statement the driver classifies: still
	 * refused, and it never ran (it would have made sqlite_stat1) */
	assert_unmanaged_refuses_writes(u, "ANALYZE");
	cr_assert_eq(seen_by_other("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"),
		     0, "the refused ANALYZE ran");
	cr_assert_eq(query_int(u, "SELECT count(*) FROM t"), 0, "the connection reads on");
	/* the control: run where it may, ANALYZE does make sqlite_stat1 */
	m = odbc_connect(&me, NULL);
	TX_OK(tx_exec(m, "ANALYZE"));
	TX_OK(tx_end(m, SQL_COMMIT));
	odbc_close(me, m);
	cr_assert_eq(seen_by_other("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"),
		     1, "ANALYZE makes sqlite_stat1");

	/* inside the application's own BEGIN the text is sent as it is */
	TX_OK(tx_exec(u, "BEGIN"));
	o = tx_exec(u, "SELEC 1");
	TX_FAILS(o, "42000", "syntax error");
	TX_OK(tx_exec(u, "ROLLBACK"));
	odbc_close(ue, u);
}

Test(transactions, unmanaged_raw_begin_commit_and_sqlendtran_end_raw_transactions)
{
	SQLHENV ue;
	SQLHDBC u = odbc_connect_unmanaged(&ue, NULL);

	/* raw BEGIN ... COMMIT */
	TX_OK(tx_exec(u, "BEGIN"));
	TX_OK(tx_exec(u, "CREATE TABLE r (i INTEGER)"));
	TX_OK(tx_exec(u, "INSERT INTO r VALUES (1)"));
	cr_assert_eq(seen_by_other("SELECT count(*) FROM sqlite_master WHERE name = 'r'"), 0,
		     "the raw transaction is not committed yet");
	TX_OK(tx_exec(u, "COMMIT"));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM r"), 1);
	assert_unmanaged_refuses_writes(u, "INSERT INTO r VALUES (100)");

	/* raw BEGIN, SQLEndTran(SQL_COMMIT) */
	TX_OK(tx_exec(u, "BEGIN"));
	row_2_commits(u, "r");
	/* the raw transaction is over: the connection is unmanaged again */
	assert_unmanaged_refuses_writes(u, "INSERT INTO r VALUES (100)");

	/* raw BEGIN, SQLEndTran(SQL_ROLLBACK) */
	TX_OK(tx_exec(u, "BEGIN"));
	TX_OK(tx_exec(u, "INSERT INTO r VALUES (4)"));
	cr_assert_eq(query_int(u, "SELECT sum(i) FROM r"), 7, "its own write, inside");
	TX_OK(tx_end(u, SQL_ROLLBACK));
	cr_assert_eq(query_int(u, "SELECT sum(i) FROM r"), 3);
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM r"), 3);
	assert_unmanaged_refuses_writes(u, "INSERT INTO r VALUES (100)");

	/* raw BEGIN ... raw ROLLBACK; then a raw BEGIN works again (the
	 * driver kept in step: nothing is open) */
	TX_OK(tx_exec(u, "BEGIN"));
	TX_OK(tx_exec(u, "INSERT INTO r VALUES (8)"));
	TX_OK(tx_exec(u, "ROLLBACK"));
	TX_OK(tx_exec(u, "BEGIN IMMEDIATE"));
	TX_OK(tx_exec(u, "INSERT INTO r VALUES (16)"));
	TX_OK(tx_exec(u, "END"));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM r"), 19);
	odbc_close(ue, u);
}

/* ------------------------------------------------- SQL_ATTR_AUTOCOMMIT */

Test(transactions, autocommit_on_is_01S02_reads_off_and_makes_a_managed_connection_unmanaged)
{
	SQLHENV env;
	SQLHDBC m = odbc_connect(&env, NULL);
	SQLUINTEGER ac = 99;
	tx_outcome o;

	make_table("a");
	/* managed: a raw BEGIN meets the driver's implicit one */
	TX_FAILS(tx_exec(m, "BEGIN"), "25000",
		 "cannot start a transaction within a transaction");
	TX_OK(tx_end(m, SQL_ROLLBACK));

	o = tx_autocommit(m, SQL_AUTOCOMMIT_ON);
	cr_assert_eq(o.rc, SQL_SUCCESS_WITH_INFO, "rc %d %s: %s", (int)o.rc, o.state, o.msg);
	cr_assert_str_eq(o.state, "01S02", "%s", o.msg);
	cr_assert(strstr(o.msg, "no autocommit") && strstr(o.msg, "SQLEndTran"), "%s", o.msg);
	OKC(SQLGetConnectAttr(m, SQL_ATTR_AUTOCOMMIT, &ac, 0, NULL), m);
	cr_assert_eq(ac, SQL_AUTOCOMMIT_OFF, "the value stays OFF");

	/* now unmanaged: a bare write is refused, a raw BEGIN is the
	 * application's own */
	assert_unmanaged_refuses_writes(m, "INSERT INTO a VALUES (1)");
	TX_OK(tx_exec(m, "BEGIN"));
	TX_OK(tx_exec(m, "INSERT INTO a VALUES (2)"));
	TX_OK(tx_exec(m, "COMMIT"));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM a"), 2);

	/* asking again, on an unmanaged connection, answers the same */
	o = tx_autocommit(m, SQL_AUTOCOMMIT_ON);
	cr_assert_eq(o.rc, SQL_SUCCESS_WITH_INFO, "rc %d %s: %s", (int)o.rc, o.state, o.msg);
	cr_assert_str_eq(o.state, "01S02", "%s", o.msg);

	/* OFF makes it managed again: the implicit BEGIN is back */
	TX_OK(tx_autocommit(m, SQL_AUTOCOMMIT_OFF));
	TX_OK(tx_exec(m, "INSERT INTO a VALUES (4)"));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM a"), 2, "not committed yet");
	TX_OK(tx_end(m, SQL_COMMIT));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM a"), 6);
	odbc_close(env, m);
}

Test(transactions, autocommit_on_with_a_write_open_is_25000_and_the_transaction_stays_open)
{
	SQLHENV env, e2;
	SQLHDBC m = odbc_connect(&env, NULL), b;
	SQLUINTEGER ac = 99;
	tx_outcome o;

	make_table("w");
	TX_OK(tx_exec(m, "INSERT INTO w VALUES (5)"));
	o = tx_autocommit(m, SQL_AUTOCOMMIT_ON);
	TX_FAILS(o, "25000", "stays open");
	OKC(SQLGetConnectAttr(m, SQL_ATTR_AUTOCOMMIT, &ac, 0, NULL), m);
	cr_assert_eq(ac, SQL_AUTOCOMMIT_OFF);

	/* still open and uncommitted: m sees its row, nobody else does, and
	 * m still holds the write lock */
	cr_assert_eq(query_int(m, "SELECT count(*) FROM w"), 1);
	cr_assert_eq(seen_by_other("SELECT count(*) FROM w"), 0, "never an implicit commit");
	b = odbc_connect(&e2, "BusyTimeout=0");
	TX_FAILS(tx_exec(b, "INSERT INTO w VALUES (6)"), "HY000", "database is locked");
	TX_OK(tx_end(b, SQL_ROLLBACK));

	/* the application commits it */
	TX_OK(tx_end(m, SQL_COMMIT));
	cr_assert_eq(seen_by_other("SELECT count(*) FROM w"), 1);
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM w"), 5);
	TX_OK(tx_exec(b, "INSERT INTO w VALUES (6)"));
	TX_OK(tx_end(b, SQL_COMMIT));
	odbc_close(e2, b);

	/* the same with the application's own raw transaction */
	odbc_close(env, m);
	m = odbc_connect_unmanaged(&env, NULL);
	TX_OK(tx_exec(m, "BEGIN"));
	TX_OK(tx_exec(m, "INSERT INTO w VALUES (7)"));
	TX_FAILS(tx_autocommit(m, SQL_AUTOCOMMIT_ON), "25000", "stays open");
	cr_assert_eq(seen_by_other("SELECT count(*) FROM w"), 2);
	TX_OK(tx_exec(m, "COMMIT"));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM w"), 18);
	odbc_close(env, m);
}

Test(transactions, autocommit_on_rolls_back_the_drivers_read_only_transaction)
{
	SQLHENV ae, be;
	SQLHDBC a, b;
	tx_outcome o;

	make_table("ro");
	/* BeginMode=immediate: the driver's own transaction holds the write
	 * lock although it only reads */
	a = odbc_connect(&ae, "BeginMode=immediate");
	b = odbc_connect(&be, "BusyTimeout=0");
	cr_assert_eq(query_int(a, "SELECT count(*) FROM ro"), 0);
	TX_FAILS(tx_exec(b, "INSERT INTO ro VALUES (1)"), "HY000", "database is locked");
	TX_OK(tx_end(b, SQL_ROLLBACK));
	o = tx_autocommit(a, SQL_AUTOCOMMIT_ON);
	cr_assert_eq(o.rc, SQL_SUCCESS_WITH_INFO, "rc %d %s: %s", (int)o.rc, o.state, o.msg);
	cr_assert_str_eq(o.state, "01S02", "%s", o.msg);
	/* rolled back: the lock is free */
	TX_OK(tx_exec(b, "INSERT INTO ro VALUES (1)"));
	TX_OK(tx_end(b, SQL_COMMIT));
	odbc_close(ae, a);

	/* default (deferred) mode: the read transaction holds a snapshot;
	 * once rolled back, a's next read (unmanaged: no transaction) sees
	 * what b committed since */
	a = odbc_connect(&ae, NULL);
	cr_assert_eq(query_int(a, "SELECT count(*) FROM ro"), 1);
	TX_OK(tx_exec(b, "INSERT INTO ro VALUES (2)"));
	TX_OK(tx_end(b, SQL_COMMIT));
	cr_assert_eq(query_int(a, "SELECT count(*) FROM ro"), 1, "a's snapshot");
	o = tx_autocommit(a, SQL_AUTOCOMMIT_ON);
	cr_assert_eq(o.rc, SQL_SUCCESS_WITH_INFO, "rc %d %s: %s", (int)o.rc, o.state, o.msg);
	cr_assert_eq(query_int(a, "SELECT count(*) FROM ro"), 2, "the snapshot was released");
	odbc_close(ae, a);
	odbc_close(be, b);
}

/* -------------------------------------------------------------- managed */

Test(transactions, managed_begins_implicitly_and_a_raw_begin_is_25000)
{
	SQLHENV env;
	SQLHDBC m = odbc_connect(&env, NULL);

	make_table("im");
	/* no BEGIN: the driver began one, so the row is not committed */
	TX_OK(tx_exec(m, "INSERT INTO im VALUES (1)"));
	cr_assert_eq(seen_by_other("SELECT count(*) FROM im"), 0);
	TX_FAILS(tx_exec(m, "BEGIN"), "25000", "cannot start a transaction within a transaction");
	/* the refusal changed nothing: the transaction and its row are there */
	cr_assert_eq(query_int(m, "SELECT count(*) FROM im"), 1);
	TX_OK(tx_end(m, SQL_ROLLBACK));
	cr_assert_eq(query_int(m, "SELECT count(*) FROM im"), 0);
	/* a raw BEGIN as a transaction's first statement meets the implicit
	 * one too */
	TX_OK(tx_end(m, SQL_ROLLBACK));
	TX_FAILS(tx_exec(m, "BEGIN IMMEDIATE"), "25000",
		 "cannot start a transaction within a transaction");
	TX_OK(tx_exec(m, "INSERT INTO im VALUES (2)"));
	TX_OK(tx_end(m, SQL_COMMIT));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM im"), 2);
	/* a raw COMMIT ends the implicit transaction and the next statement
	 * begins a new one */
	TX_OK(tx_exec(m, "INSERT INTO im VALUES (4)"));
	TX_OK(tx_exec(m, "COMMIT"));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM im"), 6);
	TX_OK(tx_exec(m, "INSERT INTO im VALUES (8)"));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM im"), 6);
	TX_OK(tx_end(m, SQL_COMMIT));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM im"), 14);
	odbc_close(env, m);
}

Test(transactions, begin_mode_immediate_takes_the_write_lock_at_the_implicit_begin)
{
	static const char *const modes[] = {"BeginMode=immediate", "BeginMode=exclusive"};
	SQLHENV ae, be;
	SQLHDBC a, b;

	make_table("bm");
	b = odbc_connect(&be, "BusyTimeout=0");

	/* deferred (the default): a reader does not stop a writer */
	a = odbc_connect(&ae, "BeginMode=deferred");
	cr_assert_eq(query_int(a, "SELECT count(*) FROM bm"), 0);
	TX_OK(tx_exec(b, "INSERT INTO bm VALUES (1)"));
	TX_OK(tx_end(b, SQL_COMMIT));
	TX_OK(tx_end(a, SQL_ROLLBACK));
	odbc_close(ae, a);

	for (size_t k = 0; k < sizeof modes / sizeof modes[0]; k++) {
		a = odbc_connect(&ae, modes[k]);
		/* a only reads ... */
		cr_assert_eq(query_int(a, "SELECT count(*) FROM bm"), (long long)(1 + k));
		/* ... yet holds the write lock */
		TX_FAILS(tx_exec(b, "INSERT INTO bm VALUES (1)"), "HY000", "database is locked");
		TX_OK(tx_end(b, SQL_ROLLBACK));
		TX_OK(tx_end(a, SQL_ROLLBACK));
		TX_OK(tx_exec(b, "INSERT INTO bm VALUES (1)"));
		TX_OK(tx_end(b, SQL_COMMIT));
		odbc_close(ae, a);
	}
	odbc_close(be, b);
}

Test(transactions, disconnect_with_uncommitted_writes_is_25000_in_both_modes)
{
	SQLHENV env;
	SQLHDBC m = odbc_connect(&env, NULL);
	tx_outcome o;

	make_table("d");
	/* managed */
	TX_OK(tx_exec(m, "INSERT INTO d VALUES (1)"));
	o = tx_disconnect(m);
	TX_FAILS(o, "25000", "uncommitted writes");
	cr_assert(strstr(o.msg, "SQLEndTran"), "%s", o.msg);
	cr_assert_eq(query_int(m, "SELECT sum(i) FROM d"), 1, "still connected, nothing lost");
	TX_OK(tx_end(m, SQL_COMMIT));
	odbc_close(env, m);

	/* unmanaged, the application's own transaction */
	m = odbc_connect_unmanaged(&env, NULL);
	TX_OK(tx_exec(m, "BEGIN"));
	TX_OK(tx_exec(m, "INSERT INTO d VALUES (2)"));
	TX_FAILS(tx_disconnect(m), "25000", "uncommitted writes");
	cr_assert_eq(query_int(m, "SELECT sum(i) FROM d"), 3);
	TX_OK(tx_exec(m, "COMMIT"));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM d"), 3);
	/* reads only: disconnect rolls back and succeeds, in both modes */
	TX_OK(tx_exec(m, "BEGIN IMMEDIATE"));
	cr_assert_eq(query_int(m, "SELECT count(*) FROM d"), 2);
	TX_OK(tx_disconnect(m));
	SQLFreeHandle(SQL_HANDLE_DBC, m);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
	m = odbc_connect(&env, "BeginMode=immediate");
	cr_assert_eq(query_int(m, "SELECT count(*) FROM d"), 2);
	TX_OK(tx_disconnect(m));
	SQLFreeHandle(SQL_HANDLE_DBC, m);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
	/* both disconnects released the write lock they held */
	m = odbc_connect(&env, "BusyTimeout=0");
	TX_OK(tx_exec(m, "INSERT INTO d VALUES (4)"));
	TX_OK(tx_end(m, SQL_COMMIT));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM d"), 7);
	odbc_close(env, m);
}

/* ----------------------------------------------------------------- busy */

typedef struct delayed_end {
	SQLHDBC dbc;
	unsigned after_ms;
	tx_outcome out;
} delayed_end;

static void *commit_later(void *arg)
{
	delayed_end *d = arg;
	tx_sleep_ms(d->after_ms);
	d->out = tx_end(d->dbc, SQL_COMMIT);
	return NULL;
}

/* a holds the write lock (one uncommitted row) and commits ~500 ms later
 * from another thread while b's `sql` (b's transaction's first write or
 * locking BEGIN) waits for it; b succeeds after >= 400 ms. */
static void wait_for_the_holder(SQLHDBC a, SQLHDBC b, const char *sql, const char *what)
{
	delayed_end d = {a, 500, {0}};
	pthread_t th;
	tx_outcome o;

	TX_OK(tx_exec(a, "INSERT INTO bz VALUES (1)"));
	cr_assert_eq(pthread_create(&th, NULL, commit_later, &d), 0);
	o = tx_exec(b, sql);
	pthread_join(th, NULL);
	TX_OK(d.out);
	TX_OK(o);
	printf("busy: %s waited %.0f ms for the holder's commit (BusyTimeout 5000)\n", what,
	       o.ms);
	cr_assert_geq(o.ms, 400.0, "%s took %.0f ms: it cannot have waited for the commit",
		      what, o.ms);
	cr_assert_lt(o.ms, 5000.0, "%s took %.0f ms, past BusyTimeout", what, o.ms);
}

/* a takes the write lock of a new table bz: its row 1, never committed
 * here. */
static void hold_the_lock_of_bz(SQLHDBC a)
{
	make_table("bz");
	TX_OK(tx_exec(a, "INSERT INTO bz VALUES (1)")); /* never committed here */
}

/* Connects *b (extra as for odbc_connect) and tries its write of row 2 of
 * bz, while another connection holds the lock: the write's outcome. */
static tx_outcome connect_and_write_row_2_of_bz(SQLHENV *be, SQLHDBC *b, const char *extra)
{
	*b = odbc_connect(be, extra);
	return tx_exec(*b, "INSERT INTO bz VALUES (2)");
}

static void rollback_and_close(SQLHENV env, SQLHDBC dbc)
{
	TX_OK(tx_end(dbc, SQL_ROLLBACK));
	odbc_close(env, dbc);
}

Test(transactions, busy_first_write_waits_for_the_holder_within_busy_timeout)
{
	SQLHENV ae, be;
	SQLHDBC a = odbc_connect(&ae, NULL), b;

	make_table("bz");
	/* managed, the transaction's first write */
	b = odbc_connect(&be, NULL);
	wait_for_the_holder(a, b, "INSERT INTO bz VALUES (2)", "the first write");
	TX_OK(tx_end(b, SQL_COMMIT));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM bz"), 3);
	odbc_close(be, b);

	/* managed, BeginMode=immediate: the implicit BEGIN IMMEDIATE waits */
	b = odbc_connect(&be, "BeginMode=immediate");
	wait_for_the_holder(a, b, "SELECT count(*) FROM bz", "BeginMode=immediate's BEGIN");
	TX_OK(tx_exec(b, "INSERT INTO bz VALUES (4)"));
	TX_OK(tx_end(b, SQL_COMMIT));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM bz"), 8);
	odbc_close(be, b);

	/* unmanaged, a raw BEGIN IMMEDIATE waits */
	b = odbc_connect_unmanaged(&be, NULL);
	wait_for_the_holder(a, b, "BEGIN IMMEDIATE", "a raw BEGIN IMMEDIATE");
	TX_OK(tx_exec(b, "INSERT INTO bz VALUES (8)"));
	TX_OK(tx_exec(b, "COMMIT"));
	cr_assert_eq(seen_by_other("SELECT sum(i) FROM bz"), 17);
	odbc_close(be, b);
	odbc_close(ae, a);
}

Test(transactions, busy_past_busy_timeout_is_database_is_locked)
{
	SQLHENV ae, be;
	SQLHDBC a = odbc_connect(&ae, NULL), b;
	tx_outcome o;

	hold_the_lock_of_bz(a);

	o = connect_and_write_row_2_of_bz(&be, &b, "BusyTimeout=300");
	TX_FAILS(o, "HY000", "database is locked");
	printf("busy: BusyTimeout=300 gave up after %.0f ms\n", o.ms);
	cr_assert_geq(o.ms, 299.0, "gave up after %.0f ms, before BusyTimeout", o.ms);
	cr_assert_lt(o.ms, 300.0 + 1500.0, "gave up after %.0f ms", o.ms);
	rollback_and_close(be, b);

	/* BusyTimeout=0: no waiting at all (the default would wait 5 s) */
	o = connect_and_write_row_2_of_bz(&be, &b, "BusyTimeout=0");
	TX_FAILS(o, "HY000", "database is locked");
	printf("busy: BusyTimeout=0 failed after %.0f ms\n", o.ms);
	cr_assert_lt(o.ms, 1000.0, "BusyTimeout=0 took %.0f ms", o.ms);
	rollback_and_close(be, b);

	rollback_and_close(ae, a);
}

Test(transactions, busy_snapshot_is_40001_at_once)
{
	SQLHENV ae, be;
	SQLHDBC a = odbc_connect(&ae, NULL), b = odbc_connect(&be, NULL);
	tx_outcome o;

	make_table("bs");
	/* b's transaction reads: its snapshot is taken */
	cr_assert_eq(query_int(b, "SELECT count(*) FROM bs"), 0);
	/* a writes and commits after that snapshot */
	TX_OK(tx_exec(a, "INSERT INTO bs VALUES (1)"));
	TX_OK(tx_end(a, SQL_COMMIT));
	/* b's write can never succeed: SQLITE_BUSY_SNAPSHOT, no waiting
	 * (BusyTimeout is the default 5000 ms) */
	o = tx_exec(b, "INSERT INTO bs VALUES (2)");
	printf("busy: BUSY_SNAPSHOT answered %s (native %ld) after %.0f ms: %s\n", o.state,
	       o.native, o.ms, o.msg);
	TX_FAILS(o, "40001", "roll back and run this one again");
	cr_assert_eq(o.native, 517, "the server's code: SQLITE_BUSY_SNAPSHOT");
	cr_assert_lt(o.ms, 1000.0, "a write that can never succeed waited %.0f ms", o.ms);
	TX_OK(tx_end(b, SQL_ROLLBACK));
	/* run again, it succeeds */
	row_2_commits(b, "bs");
	odbc_close(be, b);
	odbc_close(ae, a);
}

Test(transactions, busy_waiting_never_outlasts_the_calls_timeout)
{
	SQLHENV ae, be;
	SQLHDBC a = odbc_connect(&ae, NULL), b;
	tx_outcome o;

	hold_the_lock_of_bz(a);
	/* BusyTimeout (default 5000 ms) is longer than the call may take */
	o = connect_and_write_row_2_of_bz(&be, &b, "Timeout=1");
	printf("busy: a wait cut by Timeout=1 ended after %.0f ms: %s: %s\n", o.ms, o.state,
	       o.msg);
	cr_assert_geq(o.ms, 990.0, "gave up after %.0f ms, before the call's timeout", o.ms);
	cr_assert_lt(o.ms, 1000.0 * 1.1 + 250.0 + 1000.0, "the call took %.0f ms", o.ms);
	/* docs/errors.md: a call timeout is HYT00 */
	TX_FAILS(o, "HYT00", "");
	/* nothing was lost: the transaction only began, and the lock is
	 * still a's */
	TX_OK(tx_end(b, SQL_ROLLBACK));
	TX_OK(tx_end(a, SQL_COMMIT));
	row_2_commits(b, "bz");
	odbc_close(be, b);
	odbc_close(ae, a);
}
