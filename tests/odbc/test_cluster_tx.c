/*
 * Transactions on a real 3-node dqlite cluster through unixODBC's driver
 * manager (docs/transactions.md, "Clusters"): a COMMIT whose reply is lost
 * is 08007 (outcome unknown), a transaction cut by a leader kill is lost
 * and refused until rolled back, idle connections and reads ride out a
 * leader change within FailoverTimeout, and a Jepsen-style bank workload
 * under leader kills and pauses keeps every acknowledged commit and applies
 * nothing reported as failed.
 *
 * Nodes run with 5 ms network latency (elections in 0.1-0.5 s). The DSN
 * "dqtest" lists every node as a bootstrap address. Faults (kill, pause,
 * restart) are injected from the test's own thread: nodes die with the
 * thread that started them. Worker threads never assert; they record
 * outcomes for the test thread to check.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "tx_util.h"

static dqt_cluster cl;

static void setup(void)
{
	cr_assert_eq(dqt_cluster_start(&cl, 3), 0, "cluster did not start");
	cr_assert_eq(dqt_odbc_setup(&cl, "ctx"), 0);
}

static void teardown(void)
{
	dqt_cluster_stop(&cl);
	cr_assert_eq(dqt_leak_check(), 0, "memory leaked");
}

TestSuite(cluster_tx, .init = setup, .fini = teardown, .timeout = 180);

/* ----------------------------------------------------------- helpers */

static int leader_now(void)
{
	int l = dqt_cluster_leader(&cl, 15000);
	cr_assert_geq(l, 0, "no leader elected within 15 s");
	return l;
}

/* Waits (bounded) until every running, unpaused node names the same
 * leader, which names itself: the cluster is whole again. */
static int wait_all_agree(unsigned timeout_ms)
{
	double until = tx_now_ms() + timeout_ms;
	for (;;) {
		int l = dqt_cluster_leader(&cl, 2000), agree = l >= 0;
		for (unsigned i = 0; agree && i < cl.n; i++) {
			uint64_t id = 0;
			char addr[64];
			if (cl.nodes[i].pid <= 0 || cl.nodes[i].paused)
				continue;
			agree = dqt_raw_leader(cl.nodes[i].address, 500, &id, addr,
					       sizeof addr) == 0 &&
				id == cl.nodes[l].id;
		}
		if (agree)
			return l;
		if (tx_now_ms() >= until)
			return -1;
		tx_sleep_ms(20);
	}
}

/* 1 when every node the harness believes running still is (none died on
 * its own); the processes are not reaped here. */
static int all_nodes_alive(void)
{
	for (unsigned i = 0; i < cl.n; i++) {
		siginfo_t info;
		if (cl.nodes[i].pid <= 0)
			continue;
		memset(&info, 0, sizeof info);
		if (waitid(P_PID, (id_t)cl.nodes[i].pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
		    info.si_pid != 0) {
			fprintf(stderr, "node %u (pid %d) is gone\n", i + 1, (int)cl.nodes[i].pid);
			return 0;
		}
	}
	return 1;
}

/* Joins th within ms; 0 or an errno (ETIMEDOUT). */
static int join_bounded(pthread_t th, unsigned ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return pthread_timedjoin_np(th, NULL, &ts);
}

/* Kills the leader with SIGKILL; returns its index. */
static unsigned kill_leader(void)
{
	int l = leader_now();
	cr_assert_eq(dqt_node_kill(&cl, (unsigned)l), 0);
	return (unsigned)l;
}

/* Restarts node i and waits until the whole cluster agrees on a leader. */
static void bring_back(unsigned i)
{
	cr_assert_eq(dqt_node_restart(&cl, i), 0, "restart of node %u", i + 1);
	cr_assert_geq(wait_all_agree(20000), 0, "the cluster did not heal after restarting node %u",
		      i + 1);
}

/* A value as a fresh managed connection sees it, once the running nodes
 * agree on a leader (a connect does not wait out an election). */
static long long fresh_value(const char *sql)
{
	SQLHENV env;
	SQLHDBC dbc;
	cr_assert_geq(wait_all_agree(20000), 0, "no leader the running nodes agree on");
	dbc = odbc_connect(&env, "Timeout=20");
	long long v = -1;
	tx_outcome o = tx_query(dbc, sql, &v);
	TX_OK(o);
	odbc_close(env, dbc);
	return v;
}

static void setup_table(const char *ddl)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, NULL);
	TX_OK(tx_exec(dbc, ddl));
	TX_OK(tx_end(dbc, SQL_COMMIT));
	odbc_close(env, dbc);
}

#define UNKNOWN_OUTCOME "may or may not have been committed"

/* Creates table u, connects (extra as for odbc_connect; then
 * SQL_ATTR_CONNECTION_TIMEOUT when connection_timeout is not 0) and writes
 * row 1 in the connection's open transaction. */
static SQLHDBC connect_and_write_row_1_of_u(SQLHENV *env, const char *extra,
					   SQLULEN connection_timeout)
{
	SQLHDBC m;

	setup_table("CREATE TABLE u (i INTEGER)");
	m = odbc_connect(env, extra);
	if (connection_timeout != 0)
		OKC(SQLSetConnectAttr(m, SQL_ATTR_CONNECTION_TIMEOUT,
				      (SQLPOINTER)connection_timeout, 0), m);
	TX_OK(tx_exec(m, "INSERT INTO u VALUES (1)"));
	return m;
}

/* What a fresh connection sees of the commit whose outcome was unknown
 * (the rows of u), printed with `fault` naming what cut it. */
static long long rows_of_u_after(const char *fault)
{
	long long n = fresh_value("SELECT count(*) FROM u");
	printf("outcome unknown (%s): the commit %s\n", fault,
	       n == 1 ? "WAS applied" : n == 0 ? "was NOT applied" : "?");
	return n;
}

/* The connection m carries on (a new transaction, on the leader) and
 * agrees with a fresh one; then it is rolled back and closed. */
static void carries_on_as_a_fresh_connection_sees_u(SQLHENV env, SQLHDBC m)
{
	long long n = -1;

	TX_OK(tx_query(m, "SELECT count(*) FROM u", &n));
	cr_assert_eq(n, fresh_value("SELECT count(*) FROM u"));
	TX_OK(tx_end(m, SQL_ROLLBACK));
	odbc_close(env, m);
}

/* --------------------------------------------------- outcome unknown */

Test(cluster_tx, commit_to_a_paused_leader_times_out_as_08007)
{
	SQLHENV env;
	SQLHDBC m;
	unsigned l;
	long long n = -1;
	tx_outcome o;

	m = connect_and_write_row_1_of_u(&env, NULL, 2);
	l = (unsigned)leader_now();
	cr_assert_eq(dqt_node_pause(&cl, l), 0);
	o = tx_end(m, SQL_COMMIT);
	printf("outcome unknown (leader SIGSTOPped, SQL_ATTR_CONNECTION_TIMEOUT=2): "
	       "SQLEndTran(COMMIT) -> %s after %.0f ms: %s\n", o.state, o.ms, o.msg);
	TX_FAILS(o, "08007", UNKNOWN_OUTCOME);
	cr_assert_geq(o.ms, 1990.0, "no reply can have come from a stopped leader");
	cr_assert_lt(o.ms, 2000.0 * 1.1 + 250.0 + 1000.0, "took %.0f ms", o.ms);
	cr_assert_eq(dqt_node_resume(&cl, l), 0);
	cr_assert_geq(wait_all_agree(20000), 0);

	n = rows_of_u_after("leader SIGSTOPped");
	cr_assert(n == 0 || n == 1, "count %lld", n);
	carries_on_as_a_fresh_connection_sees_u(env, m);
}

Test(cluster_tx, commit_when_leadership_is_lost_is_08007)
{
	SQLHENV env;
	SQLHDBC m;
	unsigned l;
	long long n = -1;
	tx_outcome o;

	m = connect_and_write_row_1_of_u(&env, NULL, 10);
	l = (unsigned)leader_now();
	/* the leader loses its quorum and steps down while committing */
	cr_assert_eq(dqt_node_pause(&cl, (l + 1) % 3), 0);
	cr_assert_eq(dqt_node_pause(&cl, (l + 2) % 3), 0);
	o = tx_end(m, SQL_COMMIT);
	printf("outcome unknown (both followers SIGSTOPped): SQLEndTran(COMMIT) -> %s "
	       "(native %ld) after %.0f ms: %s\n", o.state, o.native, o.ms, o.msg);
	cr_assert_eq(dqt_node_resume(&cl, (l + 1) % 3), 0);
	cr_assert_eq(dqt_node_resume(&cl, (l + 2) % 3), 0);
	TX_FAILS(o, "08007", UNKNOWN_OUTCOME);
	cr_assert_eq(o.native, 10506, "the server's leadership-lost answer, not a timeout");
	cr_assert_lt(o.ms, 10000.0, "took %.0f ms", o.ms);
	cr_assert_geq(wait_all_agree(20000), 0);

	n = rows_of_u_after("leadership lost, 10506");
	cr_assert(n == 0 || n == 1, "count %lld", n);
	carries_on_as_a_fresh_connection_sees_u(env, m);
}

Test(cluster_tx, commit_to_a_killed_leader_is_08007_and_was_not_applied)
{
	SQLHENV env;
	SQLHDBC m;
	long long n = -1;
	tx_outcome o;

	m = connect_and_write_row_1_of_u(&env, "Timeout=10", 0);
	kill_leader();
	o = tx_end(m, SQL_COMMIT);
	printf("outcome unknown (leader killed): SQLEndTran(COMMIT) -> %s after %.0f ms: %s\n",
	       o.state, o.ms, o.msg);
	/* the driver cannot know the COMMIT did not arrive: never "rolled
	 * back" */
	TX_FAILS(o, "08007", UNKNOWN_OUTCOME);
	/* it did not: the leader was dead before it was sent, and writes
	 * reach the followers only with the COMMIT */
	n = rows_of_u_after("leader killed");
	cr_assert_eq(n, 0);
	TX_OK(tx_query(m, "SELECT count(*) FROM u", &n));
	cr_assert_eq(n, 0);
	TX_OK(tx_end(m, SQL_ROLLBACK));
	odbc_close(env, m);
}

/* ------------------------------------------------ no half transactions */

Test(cluster_tx, a_transaction_cut_by_a_leader_kill_is_refused_until_rolled_back)
{
	SQLHENV env;
	SQLHDBC m;
	SQLHSTMT st;
	SQLINTEGER val = 3;
	tx_outcome o;

	setup_table("CREATE TABLE h (i INTEGER)");
	m = odbc_connect(&env, "Timeout=10");
	TX_OK(tx_exec(m, "INSERT INTO h VALUES (1)"));
	kill_leader();

	o = tx_exec(m, "INSERT INTO h VALUES (2)");
	printf("lost transaction: next statement -> %s after %.0f ms: %s\n", o.state, o.ms,
	       o.msg);
	TX_FAILS(o, "08S01", "rolled back");
	/* every further statement: 25000 until rolled back */
	TX_FAILS(tx_exec(m, "INSERT INTO h VALUES (3)"), "25000", "lost");
	o = tx_exec(m, "SELECT count(*) FROM h");
	TX_FAILS(o, "25000", "roll back");
	TX_FAILS(tx_exec(m, "COMMIT"), "25000", "lost");
	/* a prepared statement: preparing is harmless, executing is refused */
	SQLAllocHandle(SQL_HANDLE_STMT, m, &st);
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &val, 0,
			     NULL), st);
	cr_assert_eq(SQLPrepare(st, (SQLCHAR *)"INSERT INTO h VALUES (?)", SQL_NTS) == SQL_ERROR ||
			     SQLExecute(st) == SQL_ERROR,
		     1, "a prepared statement is refused too");
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "25000", "%s", diag(SQL_HANDLE_STMT, st));
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	o = tx_end(m, SQL_COMMIT);
	TX_FAILS(o, "25000", "nothing was committed");
	TX_FAILS(tx_exec(m, "SELECT 1"), "25000", "lost");

	/* the application rolls back: no round trip, nothing left to undo */
	o = tx_end(m, SQL_ROLLBACK);
	TX_OK(o);
	/* a new transaction works, on the new leader */
	o = tx_exec(m, "INSERT INTO h VALUES (4)");
	TX_OK(o);
	TX_OK(tx_end(m, SQL_COMMIT));
	cr_assert_eq(fresh_value("SELECT count(*) FROM h"), 1);
	cr_assert_eq(fresh_value("SELECT sum(i) FROM h"), 4);
	odbc_close(env, m);
}

Test(cluster_tx, a_raw_transaction_cut_by_a_leader_kill_is_refused_until_raw_rollback)
{
	SQLHENV env;
	SQLHDBC u;
	tx_outcome o;

	setup_table("CREATE TABLE h (i INTEGER)");
	u = odbc_connect_unmanaged(&env, "Timeout=10");
	TX_OK(tx_exec(u, "BEGIN"));
	TX_OK(tx_exec(u, "INSERT INTO h VALUES (1)"));
	kill_leader();

	o = tx_exec(u, "INSERT INTO h VALUES (2)");
	TX_FAILS(o, "08S01", "rolled back");
	TX_FAILS(tx_exec(u, "SELECT count(*) FROM h"), "25000", "lost");
	TX_FAILS(tx_exec(u, "COMMIT"), "25000", "lost");
	TX_FAILS(tx_end(u, SQL_COMMIT), "25000", "nothing was committed");
	TX_FAILS(tx_exec(u, "BEGIN"), "25000", "lost");
	TX_OK(tx_exec(u, "ROLLBACK"));
	/* over: unmanaged again (a bare write needs a BEGIN), and a new raw
	 * transaction works on the new leader */
	TX_FAILS(tx_exec(u, "INSERT INTO h VALUES (3)"), "25000", "writes need a transaction");
	TX_OK(tx_exec(u, "BEGIN"));
	TX_OK(tx_exec(u, "INSERT INTO h VALUES (4)"));
	TX_OK(tx_exec(u, "COMMIT"));
	cr_assert_eq(fresh_value("SELECT count(*) FROM h"), 1);
	cr_assert_eq(fresh_value("SELECT sum(i) FROM h"), 4);
	odbc_close(env, u);
}

struct delayed_kill {
	unsigned after_ms;
	int killed; /* the index of the node killed, or -1 */
};

static void *kill_leader_later(void *arg)
{
	struct delayed_kill *k = arg;
	int l;
	tx_sleep_ms(k->after_ms);
	l = dqt_cluster_leader(&cl, 15000);
	k->killed = l >= 0 && dqt_node_kill(&cl, (unsigned)l) == 0 ? l : -1;
	return NULL;
}

/* The link dies while a statement of a transaction waits for a busy
 * database: the transaction died with it, so the statement must not run
 * on a new leader (there it would run outside any transaction and commit
 * on its own). Found by the bank test: its transfers lost money. */
Test(cluster_tx, a_link_lost_during_a_busy_wait_fails_the_statement_instead_of_autocommitting_it)
{
	SQLHENV he, ve;
	SQLHDBC holder, victim;
	struct delayed_kill k = {600, -1};
	pthread_t th;
	long long n = -1;
	tx_outcome o;

	setup_table("CREATE TABLE b (i INTEGER)");
	/* the holder takes the write lock and keeps it */
	holder = odbc_connect(&he, "Timeout=10");
	TX_OK(tx_exec(holder, "INSERT INTO b VALUES (1)"));
	/* the victim's transaction reads, then waits for the lock */
	victim = odbc_connect(&ve, "Timeout=20;BusyTimeout=10000");
	TX_OK(tx_query(victim, "SELECT count(*) FROM b", &n));
	cr_assert_eq(n, 0);
	cr_assert_eq(pthread_create(&th, NULL, kill_leader_later, &k), 0);
	o = tx_exec(victim, "INSERT INTO b VALUES (7)");
	cr_assert_eq(join_bounded(th, 20000), 0);
	cr_assert_geq(k.killed, 0, "the leader was not killed");
	printf("busy wait cut by a leader kill: %s after %.0f ms: %s\n", o.state, o.ms, o.msg);
	cr_assert_eq(o.rc, SQL_ERROR, "the statement of a lost transaction succeeded");
	cr_assert(strcmp(o.state, "08S01") == 0 || strcmp(o.state, "25000") == 0, "%s: %s",
		  o.state, o.msg);
	TX_OK(tx_end(victim, SQL_ROLLBACK));
	bring_back((unsigned)k.killed);
	cr_assert_eq(fresh_value("SELECT count(*) FROM b"), 0,
		     "a row of a transaction that was never committed is in the table");
	/* the victim carries on */
	TX_OK(tx_exec(victim, "INSERT INTO b VALUES (8)"));
	TX_OK(tx_end(victim, SQL_COMMIT));
	cr_assert_eq(fresh_value("SELECT sum(i) FROM b"), 8);
	odbc_close(ve, victim);
	odbc_close(he, holder);
}

/* ----------------------------------------------------------- ride out */

/* Riding out (docs/transactions.md): a call with nothing of a transaction
 * at stake after the leader was killed succeeds with no diagnostic at all,
 * within FailoverTimeout (5000 ms here); the time it took is the failover
 * time an application sees. */
#define FAILOVER_MS 5000.0

static void assert_rode_out(const tx_outcome *o, const char *what)
{
	printf("failover time: %s: %.0f ms (%s)\n", what, o->ms,
	       o->rc == SQL_SUCCESS ? "no error" : o->msg);
	TX_OK(*o);
	cr_assert_eq(o->n_diag, 0, "no diagnostic at all: %s", o->msg);
	cr_assert_lt(o->ms, FAILOVER_MS + 1500.0, "%s took %.0f ms", what, o->ms);
}

Test(cluster_tx, ride_out_an_idle_managed_connections_next_transaction)
{
	SQLHENV env;
	SQLHDBC m;

	setup_table("CREATE TABLE r (i INTEGER)");
	m = odbc_connect(&env, "FailoverTimeout=5000");
	TX_OK(tx_exec(m, "INSERT INTO r VALUES (1)"));
	TX_OK(tx_end(m, SQL_COMMIT));
	kill_leader();
	assert_rode_out((tx_outcome[]){tx_exec(m, "INSERT INTO r VALUES (2)")},
			"managed, first statement of a transaction");
	TX_OK(tx_end(m, SQL_COMMIT));
	cr_assert_eq(fresh_value("SELECT sum(i) FROM r"), 3);
	odbc_close(env, m);
}

Test(cluster_tx, ride_out_an_unmanaged_read)
{
	SQLHENV env;
	SQLHDBC u;
	long long n = -1;

	setup_table("CREATE TABLE r (i INTEGER)");
	u = odbc_connect_unmanaged(&env, "FailoverTimeout=5000");
	TX_OK(tx_exec(u, "BEGIN"));
	TX_OK(tx_exec(u, "INSERT INTO r VALUES (5)"));
	TX_OK(tx_exec(u, "COMMIT"));
	TX_OK(tx_query(u, "SELECT i FROM r", &n));
	kill_leader();
	assert_rode_out((tx_outcome[]){tx_query(u, "SELECT i FROM r", &n)},
			"unmanaged read (of a table read before)");
	cr_assert_eq(n, 5);
	odbc_close(env, u);
}

Test(cluster_tx, ride_out_an_unmanaged_first_read_of_a_table)
{
	SQLHENV env;
	SQLHDBC u;
	long long n = -1;

	setup_table("CREATE TABLE r (i INTEGER)");
	setup_table("CREATE TABLE r2 (i INTEGER)");
	u = odbc_connect_unmanaged(&env, "FailoverTimeout=5000");
	TX_OK(tx_exec(u, "BEGIN"));
	TX_OK(tx_exec(u, "INSERT INTO r2 VALUES (7)"));
	TX_OK(tx_exec(u, "COMMIT"));
	TX_OK(tx_query(u, "SELECT count(*) FROM r", &n));
	kill_leader();
	/* a plain SELECT of a table whose declared types the driver has not
	 * looked up yet: it looks them up first */
	assert_rode_out((tx_outcome[]){tx_query(u, "SELECT i FROM r2", &n)},
			"unmanaged read of a table not read before");
	cr_assert_eq(n, 7);
	odbc_close(env, u);
}

/* SQLPrepare itself on a connection whose leader was killed while it sat
 * idle (the driver has not noticed): prepared on the new leader. */
Test(cluster_tx, ride_out_sqlprepare)
{
	SQLHENV env;
	SQLHDBC p;
	SQLHSTMT ps;
	SQLINTEGER val = 5;
	long long n;
	tx_outcome o;
	double t0;

	setup_table("CREATE TABLE r (i INTEGER)");
	p = odbc_connect(&env, "FailoverTimeout=5000");
	SQLAllocHandle(SQL_HANDLE_STMT, p, &ps);
	TX_OK(tx_query(p, "SELECT count(*) FROM r", &n));
	TX_OK(tx_end(p, SQL_COMMIT));
	kill_leader();
	memset(&o, 0, sizeof o);
	t0 = tx_now_ms();
	o.rc = SQLPrepare(ps, (SQLCHAR *)"INSERT INTO r VALUES (?)", SQL_NTS);
	o.ms = tx_now_ms() - t0;
	tx_diag(SQL_HANDLE_STMT, ps, &o);
	assert_rode_out(&o, "SQLPrepare");
	OKS(SQLBindParameter(ps, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &val, 0,
			     NULL), ps);
	OKS(SQLExecute(ps), ps);
	TX_OK(tx_end(p, SQL_COMMIT));
	SQLFreeHandle(SQL_HANDLE_STMT, ps);
	cr_assert_eq(fresh_value("SELECT sum(i) FROM r"), 5);
	odbc_close(env, p);
}

Test(cluster_tx, ride_out_a_prepared_statement)
{
	SQLHENV env;
	SQLHDBC p;
	SQLHSTMT ps;
	SQLINTEGER val = 10;
	tx_outcome o;
	double t0;

	setup_table("CREATE TABLE r (i INTEGER)");
	p = odbc_connect(&env, "FailoverTimeout=5000");
	SQLAllocHandle(SQL_HANDLE_STMT, p, &ps);
	OKS(SQLPrepare(ps, (SQLCHAR *)"INSERT INTO r VALUES (?)", SQL_NTS), ps);
	OKS(SQLBindParameter(ps, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &val, 0,
			     NULL), ps);
	OKS(SQLExecute(ps), ps);
	TX_OK(tx_end(p, SQL_COMMIT));
	kill_leader();
	/* the statement is prepared again on the new leader */
	val = 20;
	memset(&o, 0, sizeof o);
	t0 = tx_now_ms();
	o.rc = SQLExecute(ps);
	o.ms = tx_now_ms() - t0;
	tx_diag(SQL_HANDLE_STMT, ps, &o);
	assert_rode_out(&o, "managed, prepared SQLExecute");
	TX_OK(tx_end(p, SQL_COMMIT));
	SQLFreeHandle(SQL_HANDLE_STMT, ps);
	cr_assert_eq(fresh_value("SELECT sum(i) FROM r"), 30);
	odbc_close(env, p);
}

/* No quorum: the leader and one follower are killed (hang = 0) or the
 * leader is killed and one follower stopped (hang = 1: that node accepts
 * connections and never answers). Returns the follower's index. */
static unsigned break_quorum(int hang, unsigned *victim)
{
	unsigned follower;
	*victim = kill_leader();
	follower = (*victim + 1) % 3;
	if (hang)
		cr_assert_eq(dqt_node_pause(&cl, follower), 0);
	else
		cr_assert_eq(dqt_node_kill(&cl, follower), 0);
	return follower;
}

static void heal_quorum(int hang, unsigned victim, unsigned follower)
{
	if (hang)
		cr_assert_eq(dqt_node_resume(&cl, follower), 0);
	else
		cr_assert_eq(dqt_node_restart(&cl, follower), 0);
	cr_assert_eq(dqt_node_restart(&cl, victim), 0);
	cr_assert_geq(wait_all_agree(20000), 0, "the cluster did not heal");
}

/* An idle connection's next statement rides out a leader change for
 * FailoverTimeout at most (here shorter than the call's Timeout), then
 * fails as a link failure; nothing was at stake, so it works on after. */
static void ride_out_stops_at_failover_timeout(int hang)
{
	SQLHENV env;
	SQLHDBC f;
	unsigned victim, follower;
	long long n = -1;
	tx_outcome o;

	setup_table("CREATE TABLE b (i INTEGER)");
	f = odbc_connect(&env, "FailoverTimeout=500;Timeout=10");
	TX_OK(tx_query(f, "SELECT count(*) FROM b", &n));
	TX_OK(tx_end(f, SQL_ROLLBACK));
	follower = break_quorum(hang, &victim);
	o = tx_exec(f, "INSERT INTO b VALUES (1)");
	printf("ride-out without a quorum (%s), FailoverTimeout=500, Timeout=10: %s after "
	       "%.0f ms: %s\n", hang ? "a follower stopped" : "a follower killed", o.state, o.ms,
	       o.msg);
	cr_assert_eq(o.rc, SQL_ERROR);
	cr_assert_geq(o.ms, 495.0, "gave up after %.0f ms, before FailoverTimeout", o.ms);
	cr_assert_lt(o.ms, 500.0 + 1500.0, "FailoverTimeout=500, yet the call took %.0f ms", o.ms);
	cr_assert_str_eq(o.state, "08S01", "%s", o.msg);
	heal_quorum(hang, victim, follower);
	TX_OK(tx_end(f, SQL_ROLLBACK));
	TX_OK(tx_exec(f, "INSERT INTO b VALUES (1)"));
	TX_OK(tx_end(f, SQL_COMMIT));
	cr_assert_eq(fresh_value("SELECT sum(i) FROM b"), 1);
	odbc_close(env, f);
}

Test(cluster_tx, riding_out_stops_at_failover_timeout)
{
	ride_out_stops_at_failover_timeout(0);
}

Test(cluster_tx, riding_out_stops_at_failover_timeout_when_a_node_hangs)
{
	ride_out_stops_at_failover_timeout(1);
}

/* The same with FailoverTimeout longer than the call's Timeout: the call
 * ends at its Timeout, as a timeout (docs/errors.md: HYT00). */
Test(cluster_tx, riding_out_stops_at_the_calls_timeout)
{
	SQLHENV env;
	SQLHDBC t;
	unsigned victim, follower;
	long long n = -1;
	tx_outcome o;

	setup_table("CREATE TABLE b (i INTEGER)");
	t = odbc_connect(&env, "Timeout=2"); /* FailoverTimeout: the default 15000 */
	TX_OK(tx_query(t, "SELECT count(*) FROM b", &n));
	TX_OK(tx_end(t, SQL_ROLLBACK));
	follower = break_quorum(0, &victim);
	o = tx_exec(t, "INSERT INTO b VALUES (2)");
	printf("ride-out without a quorum, Timeout=2 (FailoverTimeout 15000): %s after %.0f ms: "
	       "%s\n", o.state, o.ms, o.msg);
	cr_assert_eq(o.rc, SQL_ERROR);
	cr_assert_geq(o.ms, 1990.0, "gave up after %.0f ms, before the call's timeout", o.ms);
	cr_assert_lt(o.ms, 2000.0 * 1.1 + 250.0 + 1000.0, "Timeout=2, yet the call took %.0f ms",
		     o.ms);
	cr_assert_str_eq(o.state, "HYT00", "%s", o.msg);
	heal_quorum(0, victim, follower);
	TX_OK(tx_end(t, SQL_ROLLBACK));
	TX_OK(tx_exec(t, "INSERT INTO b VALUES (2)"));
	TX_OK(tx_end(t, SQL_COMMIT));
	cr_assert_eq(fresh_value("SELECT sum(i) FROM b"), 2);
	odbc_close(env, t);
}

/* -------------------------------------------- measure: kills every 10 s */

#define MAX_STATES 32

typedef struct errtab {
	int n;
	char state[MAX_STATES][32]; /* SQLSTATE, and where it came from */
	long count[MAX_STATES];
	double min_ms[MAX_STATES], max_ms[MAX_STATES]; /* time the failing calls took */
	char example[MAX_STATES][300];
} errtab;

static void errtab_add(errtab *t, const tx_outcome *o, const char *where)
{
	char st[32];
	snprintf(st, sizeof st, "%s%s%s%s", o->state[0] ? o->state : "(none)",
		 where ? " (" : "", where ? where : "", where ? ")" : "");
	for (int i = 0; i < t->n; i++)
		if (strcmp(t->state[i], st) == 0) {
			t->count[i]++;
			if (o->ms < t->min_ms[i])
				t->min_ms[i] = o->ms;
			if (o->ms > t->max_ms[i])
				t->max_ms[i] = o->ms;
			return;
		}
	if (t->n == MAX_STATES)
		return;
	snprintf(t->state[t->n], sizeof t->state[t->n], "%s", st);
	snprintf(t->example[t->n], sizeof t->example[t->n], "%s", o->msg);
	t->min_ms[t->n] = t->max_ms[t->n] = o->ms;
	t->count[t->n++] = 1;
}

static void errtab_merge(errtab *t, const errtab *from)
{
	for (int k = 0; k < from->n; k++) {
		int i;
		for (i = 0; i < t->n && strcmp(t->state[i], from->state[k]) != 0; i++)
			;
		if (i == t->n) {
			if (t->n == MAX_STATES)
				continue;
			t->n++;
			memcpy(t->state[i], from->state[k], sizeof t->state[i]);
			memcpy(t->example[i], from->example[k], sizeof t->example[i]);
			t->count[i] = 0;
			t->min_ms[i] = from->min_ms[k];
			t->max_ms[i] = from->max_ms[k];
		}
		t->count[i] += from->count[k];
		if (from->min_ms[k] < t->min_ms[i])
			t->min_ms[i] = from->min_ms[k];
		if (from->max_ms[k] > t->max_ms[i])
			t->max_ms[i] = from->max_ms[k];
	}
}

static long errtab_total(const errtab *t)
{
	long n = 0;
	for (int i = 0; i < t->n; i++)
		n += t->count[i];
	return n;
}

static void errtab_print(const char *who, const errtab *t)
{
	if (t->n == 0)
		printf("  %s: no errors\n", who);
	for (int i = 0; i < t->n; i++)
		printf("  %s: %s x %ld, calls took %.0f-%.0f ms (e.g. %s)\n", who, t->state[i],
		       t->count[i], t->min_ms[i], t->max_ms[i], t->example[i]);
}

#define MAX_ROUNDS 16

typedef struct measure {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int gate_closed;   /* the writer may not begin a transaction */
	int writer_in_tx;
	int round;         /* kills so far */
	atomic_int stop;

	SQLHDBC rdbc, wdbc;
	/* reader */
	long reads;
	errtab rerr;
	double read_max_ms;
	double read_round_max[MAX_ROUNDS + 1];
	/* writer */
	long commits;
	errtab werr;
	long unscheduled;  /* commits cut by a leader change the test did not cause */
	int n_unknown;
	long unknown_ids[16]; /* those of them that were 08007 */
	double first_stmt_ms[MAX_ROUNDS + 1]; /* first statement after each kill */
	/* when each kill and restart happened, and when errors did */
	double t0, kill_at[MAX_ROUNDS + 1], back_at[MAX_ROUNDS + 1];
	int n_events;
	char events[16][400];
} measure;

/* Notes an error with its time relative to the faults (under ms->lock). */
static void measure_event(measure *ms, const char *who, const tx_outcome *o)
{
	double now = tx_now_ms();
	int r;
	pthread_mutex_lock(&ms->lock);
	r = ms->round;
	if (ms->n_events < 16)
		snprintf(ms->events[ms->n_events++], sizeof ms->events[0],
			 "%s: %s at %.0f ms (round %d: %.0f ms after the kill, restart %s%.0f ms): "
			 "call took %.0f ms: %.200s",
			 who, o->state, now - ms->t0, r, r ? now - ms->kill_at[r] : 0.0,
			 r && ms->back_at[r] ? "+" : "pending ",
			 r && ms->back_at[r] ? now - ms->back_at[r] : 0.0, o->ms, o->msg);
	pthread_mutex_unlock(&ms->lock);
}

static void *measure_reader(void *arg)
{
	measure *ms = arg;
	while (!atomic_load(&ms->stop)) {
		long long n;
		int round;
		tx_outcome o = tx_query(ms->rdbc, "SELECT count(*) FROM m", &n);
		pthread_mutex_lock(&ms->lock);
		round = ms->round;
		pthread_mutex_unlock(&ms->lock);
		if (o.rc != SQL_SUCCESS || n < 0) {
			errtab_add(&ms->rerr, &o, NULL);
			measure_event(ms, "reader", &o);
		} else {
			ms->reads++;
			if (o.ms > ms->read_max_ms)
				ms->read_max_ms = o.ms;
			if (round <= MAX_ROUNDS && o.ms > ms->read_round_max[round])
				ms->read_round_max[round] = o.ms;
		}
		tx_sleep_ms(2);
	}
	return NULL;
}

static void *measure_writer(void *arg)
{
	measure *ms = arg;
	int seen_round = 0;
	long id = 0;
	while (!atomic_load(&ms->stop)) {
		char sql[64];
		int round;
		tx_outcome o;
		pthread_mutex_lock(&ms->lock);
		while (ms->gate_closed && !atomic_load(&ms->stop))
			pthread_cond_wait(&ms->cond, &ms->lock);
		ms->writer_in_tx = 1;
		round = ms->round;
		pthread_mutex_unlock(&ms->lock);
		if (atomic_load(&ms->stop)) {
			pthread_mutex_lock(&ms->lock);
			ms->writer_in_tx = 0;
			pthread_cond_broadcast(&ms->cond);
			pthread_mutex_unlock(&ms->lock);
			break;
		}
		/* one transaction, begun after the last kill */
		snprintf(sql, sizeof sql, "INSERT INTO m VALUES (%ld)", ++id);
		o = tx_exec(ms->wdbc, sql);
		if (o.rc == SQL_SUCCESS && round != seen_round && round <= MAX_ROUNDS)
			ms->first_stmt_ms[round] = o.ms;
		seen_round = round;
		if (o.rc != SQL_SUCCESS) {
			/* the ride-out itself failed */
			errtab_add(&ms->werr, &o, "first statement");
			measure_event(ms, "writer", &o);
			tx_end(ms->wdbc, SQL_ROLLBACK);
		} else if ((o = tx_end(ms->wdbc, SQL_COMMIT)).rc == SQL_SUCCESS) {
			ms->commits++;
		} else if (o.native == 10506 || o.native == 10250) {
			/* The leader that served this transaction's first
			 * statement lost its leadership afterwards: not a kill
			 * (none happens while a transaction is open), an
			 * election of the cluster's own (a node starved of CPU
			 * for an election timeout, 75 ms at 5 ms latency). The
			 * transaction did not start after that change, so the
			 * claim does not cover it; it is counted apart. */
			ms->unscheduled++;
			if (strcmp(o.state, "08007") == 0 && ms->n_unknown < 16)
				ms->unknown_ids[ms->n_unknown++] = id;
			measure_event(ms, "writer (unscheduled leader change)", &o);
			tx_end(ms->wdbc, SQL_ROLLBACK);
		} else {
			errtab_add(&ms->werr, &o, "COMMIT");
			measure_event(ms, "writer", &o);
			tx_end(ms->wdbc, SQL_ROLLBACK);
		}
		pthread_mutex_lock(&ms->lock);
		ms->writer_in_tx = 0;
		pthread_cond_broadcast(&ms->cond);
		pthread_mutex_unlock(&ms->lock);
		tx_sleep_ms(5);
	}
	return NULL;
}

Test(cluster_tx, leader_kills_every_10s_do_not_disturb_reads_or_new_transactions, .timeout = 170)
{
	enum { ROUNDS = 5, PERIOD_MS = 10000 };
	static measure ms; /* large: not on the stack */
	SQLHENV re, we;
	pthread_t rt, wt;
	double t_start = tx_now_ms();

	memset(&ms, 0, sizeof ms);
	pthread_mutex_init(&ms.lock, NULL);
	pthread_cond_init(&ms.cond, NULL);
	ms.t0 = t_start;
	setup_table("CREATE TABLE m (i INTEGER)");
	ms.rdbc = odbc_connect_unmanaged(&re, NULL); /* default FailoverTimeout 15000 */
	ms.wdbc = odbc_connect(&we, NULL);
	cr_assert_eq(pthread_create(&rt, NULL, measure_reader, &ms), 0);
	cr_assert_eq(pthread_create(&wt, NULL, measure_writer, &ms), 0);
	tx_sleep_ms(2000);

	for (int r = 1; r <= ROUNDS; r++) {
		double round_start = tx_now_ms(), left;
		unsigned victim;
		int closed_ok = 1;
		struct timespec ts;

		/* no transaction of the writer spans the kill */
		pthread_mutex_lock(&ms.lock);
		ms.gate_closed = 1;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 20;
		while (ms.writer_in_tx && closed_ok)
			closed_ok = pthread_cond_timedwait(&ms.cond, &ms.lock, &ts) == 0;
		pthread_mutex_unlock(&ms.lock);
		if (!closed_ok) {
			atomic_store(&ms.stop, 1);
			cr_assert_fail("the writer's transaction did not end within 20 s");
		}
		victim = kill_leader();
		pthread_mutex_lock(&ms.lock);
		ms.kill_at[r] = tx_now_ms();
		ms.round = r;
		ms.gate_closed = 0;
		pthread_cond_broadcast(&ms.cond);
		pthread_mutex_unlock(&ms.lock);

		/* the killed node comes back as a follower: 3 nodes again */
		tx_sleep_ms(1000);
		pthread_mutex_lock(&ms.lock);
		ms.back_at[r] = tx_now_ms();
		pthread_mutex_unlock(&ms.lock);
		bring_back(victim);
		left = PERIOD_MS - (tx_now_ms() - round_start);
		if (left > 0)
			tx_sleep_ms((unsigned)left);
	}
	atomic_store(&ms.stop, 1);
	pthread_mutex_lock(&ms.lock);
	pthread_cond_broadcast(&ms.cond);
	pthread_mutex_unlock(&ms.lock);
	cr_assert_eq(join_bounded(rt, 30000), 0, "the reader did not stop");
	cr_assert_eq(join_bounded(wt, 30000), 0, "the writer did not stop");

	printf("measure: %d leader kills, one every %d s, %.0f s in all\n", ROUNDS,
	       PERIOD_MS / 1000, (tx_now_ms() - t_start) / 1000.0);
	printf("  reader (unmanaged SELECTs): %ld reads, slowest %.0f ms\n", ms.reads,
	       ms.read_max_ms);
	printf("  writer (managed, transactions begun after each kill): %ld commits\n",
	       ms.commits);
	for (int r = 1; r <= ROUNDS; r++)
		printf("  kill %d: failover time: writer's first statement %.0f ms, "
		       "slowest read %.0f ms\n",
		       r, ms.first_stmt_ms[r], ms.read_round_max[r]);
	errtab_print("reader errors", &ms.rerr);
	errtab_print("writer errors", &ms.werr);
	printf("  writer commits cut by a leader change the test did not cause: %ld\n",
	       ms.unscheduled);
	for (int i = 0; i < ms.n_events; i++)
		printf("  %s\n", ms.events[i]);

	cr_assert_eq(errtab_total(&ms.rerr), 0, "the reader saw errors (first: %s %s)",
		     ms.rerr.state[0], ms.rerr.example[0]);
	cr_assert_eq(errtab_total(&ms.werr), 0, "the writer saw errors (first: %s %s)",
		     ms.werr.state[0], ms.werr.example[0]);
	cr_assert_gt(ms.reads, 100);
	cr_assert_gt(ms.commits, 50);
	for (int r = 1; r <= ROUNDS; r++)
		cr_assert_gt(ms.first_stmt_ms[r], 0.0, "no transaction after kill %d", r);
	/* at most a rare election of the cluster's own, else the run says
	 * little about the kills */
	cr_assert_leq(ms.unscheduled, 2, "%ld leader changes the test did not cause: the "
		      "cluster was too unstable for this measure", ms.unscheduled);
	cr_assert(all_nodes_alive(), "a node died on its own");
	/* every commit is there, once (and any 08007 of an unscheduled change
	 * is counted as it turned out) */
	{
		long long rows = fresh_value("SELECT count(*) FROM m"), applied = 0;
		for (int i = 0; i < ms.n_unknown; i++) {
			char sql[64];
			snprintf(sql, sizeof sql, "SELECT count(*) FROM m WHERE i = %ld",
				 ms.unknown_ids[i]);
			applied += fresh_value(sql);
		}
		cr_assert_eq(rows, ms.commits + applied, "%lld rows, %ld commits, %lld unknown applied",
			     rows, ms.commits, applied);
		cr_assert_eq(fresh_value("SELECT count(DISTINCT i) FROM m"), rows);
	}
	odbc_close(re, ms.rdbc);
	odbc_close(we, ms.wdbc);
	pthread_cond_destroy(&ms.cond);
	pthread_mutex_destroy(&ms.lock);
}

/* ------------------------------------------------------------ bank test */

#define ACCOUNTS 8
#define INITIAL 1000
#define WRITERS 4
#define MAX_ATTEMPTS 20000

enum { T_ACK = 1, T_UNKNOWN, T_FAILED };
enum { CHECK_NONE = 0, CHECK_APPLIED, CHECK_ABSENT, CHECK_UNDETERMINED };

typedef struct attempt {
	long tid;
	char outcome;      /* T_* */
	char check;        /* CHECK_*: the writer's own check after 08007 */
	char at_commit;    /* the failure came from the COMMIT */
	char state[6];
} attempt;

typedef struct bank_writer {
	int idx;
	SQLHDBC dbc;
	SQLHENV env;
	atomic_int *stop;
	unsigned seed;
	long n;
	attempt *att;
	errtab errs;       /* failures, statements and commits */
	long rollback_failures;
	tx_outcome last_rollback_failure;
} bank_writer;

/* After 08007: is transfer tid in the log? Asked until a leader answers
 * (bounded: 20 s). */
static int check_applied(bank_writer *w, long tid)
{
	char sql[96];
	double until = tx_now_ms() + 20000;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM log WHERE tid = %ld", tid);
	while (tx_now_ms() < until) {
		long long n = -1;
		tx_outcome o = tx_query(w->dbc, sql, &n);
		tx_end(w->dbc, SQL_ROLLBACK);
		if (o.rc == SQL_SUCCESS && (n == 0 || n == 1))
			return n == 1 ? CHECK_APPLIED : CHECK_ABSENT;
		tx_sleep_ms(100);
	}
	return CHECK_UNDETERMINED;
}

static void *bank_worker(void *arg)
{
	bank_writer *w = arg;
	long seq = 0;
	while (!atomic_load(w->stop) && w->n < MAX_ATTEMPTS) {
		attempt *a = &w->att[w->n];
		int from = (int)(rand_r(&w->seed) % ACCOUNTS), to;
		int amount = 1 + (int)(rand_r(&w->seed) % 50);
		long long bf = -1, bt = -1;
		char sql[160];
		tx_outcome o;

		do
			to = (int)(rand_r(&w->seed) % ACCOUNTS);
		while (to == from);
		/* a new transfer id for every attempt, never reused */
		memset(a, 0, sizeof *a);
		a->tid = (long)(w->idx + 1) * 1000000L + ++seq;
		w->n++;

		/* read both balances, write both, log the transfer */
		for (int step = 0; step < 5; step++) {
			static const char *const where[] = {"1st read", "2nd read", "1st update",
							    "2nd update", "log insert"};
			switch (step) {
			case 0:
			case 1:
				snprintf(sql, sizeof sql, "SELECT balance FROM acct WHERE id = %d",
					 step == 0 ? from : to);
				o = tx_query(w->dbc, sql, step == 0 ? &bf : &bt);
				break;
			case 2:
			case 3:
				snprintf(sql, sizeof sql, "UPDATE acct SET balance = %lld WHERE id = %d",
					 step == 2 ? bf - amount : bt + amount, step == 2 ? from : to);
				o = tx_exec(w->dbc, sql);
				break;
			default:
				snprintf(sql, sizeof sql,
					 "INSERT INTO log (tid, src, dst, amount) VALUES (%ld, %d, %d, %d)",
					 a->tid, from, to, amount);
				o = tx_exec(w->dbc, sql);
				break;
			}
			if (o.rc != SQL_SUCCESS) {
				errtab_add(&w->errs, &o, where[step]);
				break;
			}
		}
		if (o.rc != SQL_SUCCESS) {
			tx_outcome rb;
			a->outcome = T_FAILED;
			snprintf(a->state, sizeof a->state, "%s", o.state);
			rb = tx_end(w->dbc, SQL_ROLLBACK);
			if (rb.rc != SQL_SUCCESS) {
				w->rollback_failures++;
				w->last_rollback_failure = rb;
			}
			continue;
		}
		o = tx_end(w->dbc, SQL_COMMIT);
		a->at_commit = 1;
		if (o.rc == SQL_SUCCESS) {
			a->outcome = T_ACK;
			continue;
		}
		snprintf(a->state, sizeof a->state, "%s", o.state);
		errtab_add(&w->errs, &o, "COMMIT");
		if (strcmp(o.state, "08007") == 0) {
			a->outcome = T_UNKNOWN;
			/* check the log before running anything again */
			a->check = (char)check_applied(w, a->tid);
			continue;
		}
		a->outcome = T_FAILED;
		{
			tx_outcome rb = tx_end(w->dbc, SQL_ROLLBACK);
			if (rb.rc != SQL_SUCCESS) {
				w->rollback_failures++;
				w->last_rollback_failure = rb;
			}
		}
	}
	return NULL;
}

typedef struct logrow {
	long tid;
	int src, dst, amount;
} logrow;

static int cmp_tid(const void *a, const void *b)
{
	long x = ((const logrow *)a)->tid, y = ((const logrow *)b)->tid;
	return x < y ? -1 : x > y;
}

static const logrow *find_row(const logrow *rows, long n, long tid)
{
	logrow key = {tid, 0, 0, 0};
	return bsearch(&key, rows, (size_t)n, sizeof *rows, cmp_tid);
}

Test(cluster_tx, bank_transfers_under_leader_kills_and_pauses, .timeout = 170)
{
	enum { CYCLES = 10, EVERY_MS = 2500 };
	static bank_writer ws[WRITERS];
	pthread_t th[WRITERS];
	atomic_int stop = 0;
	SQLHENV env;
	SQLHDBC dbc;
	SQLHSTMT st;
	logrow *rows;
	long n_rows = 0, acked = 0, unknown = 0, unknown_applied = 0, failed = 0;
	long lost_acks = 0, failed_applied = 0, phantom = 0, check_wrong = 0, undetermined = 0;
	long kills = 0, pauses = 0;
	long long balances[ACCOUNTS], expect[ACCOUNTS];
	errtab all = {0};
	double t0, elapsed;
	char sql[128];

	/* the bank: a fixed total, and a log of applied transfers */
	dbc = odbc_connect(&env, NULL);
	TX_OK(tx_exec(dbc, "CREATE TABLE acct (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)"));
	TX_OK(tx_exec(dbc, "CREATE TABLE log (tid INTEGER PRIMARY KEY, src INTEGER, "
			   "dst INTEGER, amount INTEGER)"));
	for (int i = 0; i < ACCOUNTS; i++) {
		snprintf(sql, sizeof sql, "INSERT INTO acct VALUES (%d, %d)", i, INITIAL);
		TX_OK(tx_exec(dbc, sql));
	}
	TX_OK(tx_end(dbc, SQL_COMMIT));
	odbc_close(env, dbc);

	/* writers: half take the write lock at BEGIN, half (deferred) meet
	 * BUSY_SNAPSHOT when another transfer commits between their reads and
	 * their writes; a short Timeout so a paused leader costs 2 s */
	for (int i = 0; i < WRITERS; i++) {
		ws[i].idx = i;
		ws[i].stop = &stop;
		ws[i].seed = 12345u + (unsigned)i * 7919u;
		ws[i].att = calloc(MAX_ATTEMPTS, sizeof(attempt));
		cr_assert_not_null(ws[i].att);
		ws[i].dbc = odbc_connect(&ws[i].env,
					 i % 2 ? "Timeout=2;BusyTimeout=1500;BeginMode=immediate"
					       : "Timeout=2;BusyTimeout=1500");
	}
	for (int i = 0; i < WRITERS; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, bank_worker, &ws[i]), 0);

	/* faults, alternating, 2.5 s apart: kill -9 the leader (restarted 1 s
	 * later), or SIGSTOP it for 1.5-3 s (around the writers' 2 s Timeout) */
	t0 = tx_now_ms();
	for (int k = 0; k < CYCLES; k++) {
		int l;
		tx_sleep_ms(EVERY_MS);
		l = dqt_cluster_leader(&cl, 15000);
		if (l < 0)
			break;
		if (k % 2 == 0) {
			if (dqt_node_kill(&cl, (unsigned)l) != 0)
				break;
			kills++;
			tx_sleep_ms(1000);
			if (dqt_node_restart(&cl, (unsigned)l) != 0)
				break;
		} else {
			if (dqt_node_pause(&cl, (unsigned)l) != 0)
				break;
			pauses++;
			tx_sleep_ms(1500 + (unsigned)((k / 2) % 4) * 500);
			if (dqt_node_resume(&cl, (unsigned)l) != 0)
				break;
		}
	}
	tx_sleep_ms(EVERY_MS);
	elapsed = tx_now_ms() - t0;
	atomic_store(&stop, 1);
	for (int i = 0; i < WRITERS; i++)
		cr_assert_eq(join_bounded(th[i], 60000), 0, "writer %d did not stop", i);
	cr_assert_eq(kills + pauses, CYCLES, "the fault schedule broke off (kills %ld, pauses %ld)",
		     kills, pauses);
	cr_assert_geq(wait_all_agree(20000), 0);
	cr_assert(all_nodes_alive(), "a node died on its own");
	for (int i = 0; i < WRITERS; i++)
		odbc_close(ws[i].env, ws[i].dbc);

	/* what the cluster holds */
	dbc = odbc_connect(&env, "Timeout=20");
	for (int i = 0; i < ACCOUNTS; i++) {
		snprintf(sql, sizeof sql, "SELECT balance FROM acct WHERE id = %d", i);
		TX_OK(tx_query(dbc, sql, &balances[i]));
		expect[i] = INITIAL;
	}
	{
		long long cnt = -1;
		TX_OK(tx_query(dbc, "SELECT count(*) FROM log", &cnt));
		rows = calloc((size_t)cnt + 1, sizeof *rows);
		cr_assert_not_null(rows);
	}
	{
		SQLBIGINT tid;
		SQLINTEGER src, dst, amount;
		SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
		OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT tid, src, dst, amount FROM log ORDER BY tid",
				  SQL_NTS), st);
		SQLBindCol(st, 1, SQL_C_SBIGINT, &tid, 0, NULL);
		SQLBindCol(st, 2, SQL_C_SLONG, &src, 0, NULL);
		SQLBindCol(st, 3, SQL_C_SLONG, &dst, 0, NULL);
		SQLBindCol(st, 4, SQL_C_SLONG, &amount, 0, NULL);
		while (SQLFetch(st) == SQL_SUCCESS) {
			rows[n_rows].tid = (long)tid;
			rows[n_rows].src = (int)src;
			rows[n_rows].dst = (int)dst;
			rows[n_rows].amount = (int)amount;
			n_rows++;
		}
		SQLFreeHandle(SQL_HANDLE_STMT, st);
	}
	odbc_close(env, dbc);

	/* reconcile every recorded outcome against the log */
	for (int i = 0; i < WRITERS; i++) {
		for (long j = 0; j < ws[i].n; j++) {
			const attempt *a = &ws[i].att[j];
			int in_log = find_row(rows, n_rows, a->tid) != NULL;
			switch (a->outcome) {
			case T_ACK:
				acked++;
				lost_acks += !in_log;
				break;
			case T_UNKNOWN:
				unknown++;
				unknown_applied += in_log;
				if (a->check == CHECK_UNDETERMINED)
					undetermined++;
				else if ((a->check == CHECK_APPLIED) != in_log)
					check_wrong++;
				break;
			case T_FAILED:
				failed++;
				failed_applied += in_log;
				if (in_log)
					printf("bank: transfer %ld failed with %s but was applied\n",
					       a->tid, a->state);
				break;
			default:
				break; /* not run */
			}
		}
		errtab_merge(&all, &ws[i].errs);
	}
	for (long r = 0; r < n_rows; r++) {
		/* tid = (writer + 1) * 1000000 + attempt number (from 1) */
		long w = rows[r].tid / 1000000L - 1, j = rows[r].tid % 1000000L - 1;
		int known = w >= 0 && w < WRITERS && j >= 0 && j < ws[w].n &&
			    ws[w].att[j].tid == rows[r].tid && ws[w].att[j].outcome != T_FAILED;
		phantom += !known;
		expect[rows[r].src] -= rows[r].amount;
		expect[rows[r].dst] += rows[r].amount;
	}

	printf("bank: %d writers, %.0f s, %ld leader kills (-9), %ld leader pauses (SIGSTOP)\n",
	       WRITERS, elapsed / 1000.0, kills, pauses);
	printf("bank: attempts %ld: acknowledged %ld, 08007 %ld (applied %ld, not applied %ld; "
	       "writers' own checks undetermined %ld, wrong %ld), failed %ld\n",
	       acked + unknown + failed, acked, unknown, unknown_applied,
	       unknown - unknown_applied, undetermined, check_wrong, failed);
	errtab_print("bank errors by SQLSTATE", &all);
	printf("bank: log rows %ld; lost acknowledged %ld; failed but applied %ld; unknown "
	       "rows %ld\n",
	       n_rows, lost_acks, failed_applied, phantom);
	{
		long long total = 0;
		for (int i = 0; i < ACCOUNTS; i++)
			total += balances[i];
		printf("bank: total %lld (expected %d)\n", total, ACCOUNTS * INITIAL);
		for (int i = 0; i < ACCOUNTS; i++)
			if (balances[i] != expect[i])
				printf("bank: account %d holds %lld, its log says %lld\n", i,
				       balances[i], expect[i]);
		cr_assert_eq(total, (long long)ACCOUNTS * INITIAL, "the total is not conserved");
	}
	for (int i = 0; i < WRITERS; i++) {
		cr_assert_eq(ws[i].rollback_failures, 0,
			     "writer %d: SQLEndTran(SQL_ROLLBACK) failed: %s %s", i,
			     ws[i].last_rollback_failure.state, ws[i].last_rollback_failure.msg);
		free(ws[i].att);
	}
	cr_assert_eq(lost_acks, 0, "acknowledged commits were lost");
	cr_assert_eq(failed_applied, 0, "transfers reported as failed were applied");
	cr_assert_eq(phantom, 0, "log rows from no acknowledged or unknown transfer");
	for (int i = 0; i < ACCOUNTS; i++)
		cr_assert_eq(balances[i], expect[i],
			     "account %d holds %lld, its log says %lld (a half transfer)", i,
			     balances[i], expect[i]);
	cr_assert_eq(check_wrong, 0, "a check after 08007 told the writer the wrong outcome");
	cr_assert_gt(acked, 100, "too little progress to mean anything");
	free(rows);
}
