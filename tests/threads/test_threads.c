/*
 * test_threads.c -- the driver used from several threads at once, through
 * unixODBC's driver manager, against a real dqlite node.
 *
 * A plain C program (no Criterion: Criterion's runner cannot start under
 * ThreadSanitizer on this machine), so the same binary is a functional test
 * in every build and, in the DQODBC_TSAN build, the ThreadSanitizer test of
 * the driver and the engine (TSAN_OPTIONS=halt_on_error=1: any report fails
 * it). Exit status 0 only when every check passed.
 *
 *   1. eight threads, each with its own connection on ONE environment,
 *      insert, commit and select; every thread's rows are all there at the
 *      end;
 *   2. two threads sharing ONE connection, each with its own statements,
 *      interleave executes, fetches and inserts; every row read is the one
 *      expected, and every insert is there;
 *   3. SQLCancel from another thread during a long SQLExecDirect: HY008;
 *   4. SQLCancel during a fetch blocked on a paused node (SIGSTOP): HY008;
 *   5. SQLCancel during a reconnect (after the node was restarted): a
 *      reconnect blocked on a paused node ends with HY008; then calls that
 *      reconnect while another thread calls the driver's SQLCancel over
 *      and over end with success or HY008 and nothing else.
 *   6. asynchronous calls (docs/statements.md): two statements of one
 *      connection started with SQL_ATTR_ASYNC_ENABLE and polled from this
 *      thread while their worker threads run; another thread's SQLCancel
 *      ends a pending call (HY008 on the poll); SQLEndTran and
 *      SQLDisconnect polled with SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE. Under
 *      ThreadSanitizer this checks the hand-over between the worker
 *      threads and the application's.
 *
 * Every wait is bounded: a watchdog thread ends the program (stopping the
 * node) when a phase overruns its budget, so a hang is a failure, never a
 * stuck test.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sql.h>
#include <sqlext.h>

#include "dqtest.h"

/* The connection string of every connection: a call may take 30 s at most
 * (far above anything here: a hang still ends), a connect 10 s. */
#define CONN_STR "DSN=dqtest;Timeout=30;LoginTimeout=10"
/* The product promises a canceled call ends within a 200 ms grace after the
 * cancel (plus processing). Allowed here: 2 s, so that scheduling noise on
 * a loaded 2-core machine (and ThreadSanitizer's slowdown) cannot fail it,
 * while a call that waits for its 30 s timeout instead still fails. */
#define CANCEL_BOUND_MS 2000
/* A call that "returns at once" (SQLCancel itself). */
#define PROMPT_MS 1000

/* ------------------------------------------------------------ reporting */

static atomic_int failures;
static atomic_int checks;

static void failf(int line, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void failf(int line, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fprintf(stderr, "FAIL test_threads.c:%d: %s\n", line, buf);
	atomic_fetch_add(&failures, 1);
}

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		atomic_fetch_add(&checks, 1);                                \
		if (!(cond))                                                 \
			failf(__LINE__, __VA_ARGS__);                        \
	} while (0)

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* First diagnostic record of a handle: state (6 bytes) and "STATE: text". */
static void diag(SQLSMALLINT type, SQLHANDLE h, char state[6], char *text,
		 size_t size)
{
	SQLCHAR st[6] = "", msg[1024] = "";
	SQLINTEGER native = 0;
	SQLSMALLINT len = 0;

	if (!SQL_SUCCEEDED(SQLGetDiagRec(type, h, 1, st, &native, msg,
					 sizeof msg, &len))) {
		st[0] = '\0';
		snprintf((char *)msg, sizeof msg, "(no diagnostic record)");
	}
	if (state != NULL)
		memcpy(state, st, 6);
	if (text != NULL)
		snprintf(text, size, "%s (native %d): %s", (char *)st, (int)native,
			 (char *)msg);
}

/* The SQLite primary result code the server reported (native error). */
static int native_code(SQLSMALLINT type, SQLHANDLE h)
{
	SQLCHAR st[6], msg[8];
	SQLINTEGER native = 0;
	SQLSMALLINT len;

	if (!SQL_SUCCEEDED(SQLGetDiagRec(type, h, 1, st, &native, msg, sizeof msg,
					 &len)))
		return -1;
	return (int)(native & 0xff);
}

#define SQLITE_BUSY 5

/* ------------------------------------------------------------- watchdog */

static dqt_cluster cl;
/* Held by the main thread around every harness call that changes `cl`, and
 * by the watchdog when it stops the cluster. */
static pthread_mutex_t cl_mu = PTHREAD_MUTEX_INITIALIZER;

static pthread_mutex_t wd_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wd_cond = PTHREAD_COND_INITIALIZER;
static const char *wd_phase = "(none)";
static int64_t wd_deadline; /* 0: not armed */
static int wd_quit;

static void *watchdog(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&wd_mu);
	while (!wd_quit) {
		int64_t now = now_ms();

		if (wd_deadline != 0 && now >= wd_deadline) {
			struct timespec ts;

			fprintf(stderr,
				"FAIL watchdog: phase '%s' overran its budget: "
				"a call hangs; stopping the node and exiting\n",
				wd_phase);
			pthread_mutex_unlock(&wd_mu);
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 40;
			if (pthread_mutex_timedlock(&cl_mu, &ts) == 0)
				dqt_cluster_stop(&cl);
			_exit(3);
		}
		if (wd_deadline == 0) {
			pthread_cond_wait(&wd_cond, &wd_mu);
		} else {
			struct timespec ts;
			int64_t left = wd_deadline - now;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += left / 1000;
			ts.tv_nsec += (left % 1000) * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&wd_cond, &wd_mu, &ts);
		}
	}
	pthread_mutex_unlock(&wd_mu);
	return NULL;
}

/* Arms the watchdog: the phase must end within `seconds`. */
static void phase_begin(const char *name, unsigned seconds)
{
	pthread_mutex_lock(&wd_mu);
	wd_phase = name;
	wd_deadline = now_ms() + (int64_t)seconds * 1000;
	pthread_cond_signal(&wd_cond);
	pthread_mutex_unlock(&wd_mu);
	fprintf(stderr, "== %s\n", name);
}

static void phase_end(void)
{
	pthread_mutex_lock(&wd_mu);
	wd_deadline = 0;
	pthread_cond_signal(&wd_cond);
	pthread_mutex_unlock(&wd_mu);
}

/* Harness calls that change the cluster, under cl_mu. */
static int node_op(int (*op)(dqt_cluster *, unsigned))
{
	int rc;

	pthread_mutex_lock(&cl_mu);
	rc = op(&cl, 0);
	pthread_mutex_unlock(&cl_mu);
	return rc;
}

static int wait_leader(void)
{
	int rc;

	pthread_mutex_lock(&cl_mu);
	rc = dqt_cluster_leader(&cl, 15000);
	pthread_mutex_unlock(&cl_mu);
	return rc;
}

/* ---------------------------------------------------------- ODBC helpers */

static SQLHENV env; /* the one environment every connection shares */

/* A connection on the shared environment, or NULL (failure recorded). */
static SQLHDBC connect_dbc(int line)
{
	SQLHDBC dbc = SQL_NULL_HDBC;
	char text[1200];
	SQLRETURN rc;

	rc = SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
	if (!SQL_SUCCEEDED(rc)) {
		diag(SQL_HANDLE_ENV, env, NULL, text, sizeof text);
		failf(line, "SQLAllocHandle(DBC) on the shared environment: %s", text);
		return SQL_NULL_HDBC;
	}
	rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *)CONN_STR, SQL_NTS, NULL, 0,
			      NULL, SQL_DRIVER_NOPROMPT);
	if (!SQL_SUCCEEDED(rc)) {
		diag(SQL_HANDLE_DBC, dbc, NULL, text, sizeof text);
		failf(line, "SQLDriverConnect: %s", text);
		SQLFreeHandle(SQL_HANDLE_DBC, dbc);
		return SQL_NULL_HDBC;
	}
	/* managed: the driver begins, SQLEndTran ends (docs/transactions.md) */
	rc = SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
	if (!SQL_SUCCEEDED(rc)) {
		diag(SQL_HANDLE_DBC, dbc, NULL, text, sizeof text);
		failf(line, "SQL_ATTR_AUTOCOMMIT OFF: %s", text);
	}
	return dbc;
}

static void disconnect_dbc(SQLHDBC dbc, int line)
{
	char text[1200];
	SQLRETURN rc;

	if (dbc == SQL_NULL_HDBC)
		return;
	SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK);
	rc = SQLDisconnect(dbc);
	if (rc != SQL_SUCCESS) {
		diag(SQL_HANDLE_DBC, dbc, NULL, text, sizeof text);
		failf(line, "SQLDisconnect returned %d: %s", rc, text);
	}
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
}

static SQLHSTMT new_stmt(SQLHDBC dbc)
{
	SQLHSTMT st = SQL_NULL_HSTMT;

	if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st)))
		return SQL_NULL_HSTMT;
	return st;
}

/* Runs sql on a fresh statement; 1 when it succeeded (failure recorded). */
static int exec_ok(SQLHDBC dbc, const char *sql, int line)
{
	SQLHSTMT st = new_stmt(dbc);
	char text[1200];
	SQLRETURN rc;

	if (st == SQL_NULL_HSTMT) {
		failf(line, "SQLAllocHandle(STMT) failed");
		return 0;
	}
	rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
	if (!SQL_SUCCEEDED(rc)) {
		diag(SQL_HANDLE_STMT, st, NULL, text, sizeof text);
		failf(line, "%s: %s", sql, text);
	}
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	return SQL_SUCCEEDED(rc);
}

static int commit_ok(SQLHDBC dbc, int line)
{
	char text[1200];
	SQLRETURN rc = SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT);

	if (!SQL_SUCCEEDED(rc)) {
		diag(SQL_HANDLE_DBC, dbc, NULL, text, sizeof text);
		failf(line, "SQLEndTran(SQL_COMMIT): %s", text);
	}
	return SQL_SUCCEEDED(rc);
}

/* Reads columns 1..n of the current row as integers. */
static int get_ints(SQLHSTMT st, long long *v, int n)
{
	for (int i = 0; i < n; i++) {
		SQLBIGINT x = 0;
		SQLLEN ind = 0;

		if (!SQL_SUCCEEDED(SQLGetData(st, (SQLUSMALLINT)(i + 1),
					      SQL_C_SBIGINT, &x, 0, &ind)) ||
		    ind == SQL_NULL_DATA)
			return 0;
		v[i] = x;
	}
	return 1;
}

/* The first row of a query on a fresh statement, as integers; 1 when it
 * worked (failure recorded). */
static int query_ints(SQLHDBC dbc, const char *sql, long long *v, int n,
		      int line)
{
	SQLHSTMT st = new_stmt(dbc);
	char text[1200];
	int ok = 0;

	if (st == SQL_NULL_HSTMT) {
		failf(line, "SQLAllocHandle(STMT) failed");
		return 0;
	}
	if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS)) ||
	    !SQL_SUCCEEDED(SQLFetch(st)) || !get_ints(st, v, n)) {
		diag(SQL_HANDLE_STMT, st, NULL, text, sizeof text);
		failf(line, "%s: %s", sql, text);
	} else {
		ok = 1;
	}
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	return ok;
}

/* ============================================================ phase 1
 * Eight threads, each with its own connection on the one environment.
 * Each commits ROUNDS transactions of PER_ROUND rows into t8, checking
 * after every commit (in a read transaction of its own) that all its rows
 * so far are there. The server has one writer: a write that meets another
 * connection's write transaction fails with "database is locked" (HY000,
 * SQLITE_BUSY), and the thread rolls back and runs the round again. */

#define N_CONN 8
#define ROUNDS 8
#define PER_ROUND 6
#define PHASE1_BUDGET_MS 150000

typedef struct conn_worker {
	int k;
	pthread_t th;
	int committed;  /* rounds committed */
	int busy_retries;
} conn_worker;

static atomic_int phase1_go;

/* Runs one round: PER_ROUND inserts then COMMIT. 1 committed, 0 busy (rolled
 * back: run again), -1 failed (recorded). */
static int insert_round(conn_worker *w, SQLHDBC dbc, SQLHSTMT ins, int round)
{
	char text[1200];
	char state[6];

	for (int j = 0; j < PER_ROUND; j++) {
		SQLBIGINT th = w->k, i = round * PER_ROUND + j;
		char v[32];
		SQLLEN vlen;
		SQLRETURN rc;

		snprintf(v, sizeof v, "t%d-%lld", w->k, (long long)i);
		vlen = (SQLLEN)strlen(v);
		if (!SQL_SUCCEEDED(SQLBindParameter(ins, 1, SQL_PARAM_INPUT,
						    SQL_C_SBIGINT, SQL_BIGINT, 0,
						    0, &th, 0, NULL)) ||
		    !SQL_SUCCEEDED(SQLBindParameter(ins, 2, SQL_PARAM_INPUT,
						    SQL_C_SBIGINT, SQL_BIGINT, 0,
						    0, &i, 0, NULL)) ||
		    !SQL_SUCCEEDED(SQLBindParameter(ins, 3, SQL_PARAM_INPUT,
						    SQL_C_CHAR, SQL_VARCHAR, 32,
						    0, v, (SQLLEN)sizeof v, &vlen))) {
			diag(SQL_HANDLE_STMT, ins, NULL, text, sizeof text);
			failf(__LINE__, "thread %d: SQLBindParameter: %s", w->k, text);
			return -1;
		}
		rc = SQLExecute(ins);
		if (SQL_SUCCEEDED(rc))
			continue;
		diag(SQL_HANDLE_STMT, ins, state, text, sizeof text);
		if (strcmp(state, "HY000") == 0 &&
		    native_code(SQL_HANDLE_STMT, ins) == SQLITE_BUSY) {
			rc = SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK);
			if (!SQL_SUCCEEDED(rc)) {
				diag(SQL_HANDLE_DBC, dbc, NULL, text, sizeof text);
				failf(__LINE__, "thread %d: ROLLBACK after busy: %s",
				      w->k, text);
				return -1;
			}
			return 0;
		}
		failf(__LINE__, "thread %d round %d row %d: INSERT: %s", w->k,
		      round, j, text);
		return -1;
	}
	if (!SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT))) {
		diag(SQL_HANDLE_DBC, dbc, NULL, text, sizeof text);
		failf(__LINE__, "thread %d round %d: COMMIT: %s", w->k, round, text);
		return -1;
	}
	return 1;
}

/* All of this thread's rows, in order, exactly once each: rows 0..n-1 with
 * v = "t<k>-<i>". Runs in its own read transaction. */
static void check_own_rows(conn_worker *w, SQLHDBC dbc, SQLHSTMT sel, int n)
{
	char text[1200];
	SQLBIGINT th = w->k;
	SQLRETURN rc;
	int seen = 0;

	if (!SQL_SUCCEEDED(SQLBindParameter(sel, 1, SQL_PARAM_INPUT, SQL_C_SBIGINT,
					    SQL_BIGINT, 0, 0, &th, 0, NULL)) ||
	    !SQL_SUCCEEDED(SQLExecute(sel))) {
		diag(SQL_HANDLE_STMT, sel, NULL, text, sizeof text);
		failf(__LINE__, "thread %d: SELECT own rows: %s", w->k, text);
		return;
	}
	while ((rc = SQLFetch(sel)) == SQL_SUCCESS) {
		long long i;
		char v[64] = "", want[64];
		SQLLEN ind;

		if (!get_ints(sel, &i, 1) ||
		    !SQL_SUCCEEDED(SQLGetData(sel, 2, SQL_C_CHAR, v, sizeof v, &ind))) {
			diag(SQL_HANDLE_STMT, sel, NULL, text, sizeof text);
			failf(__LINE__, "thread %d: SQLGetData: %s", w->k, text);
			break;
		}
		snprintf(want, sizeof want, "t%d-%lld", w->k, i);
		CHECK(i == seen && strcmp(v, want) == 0,
		      "thread %d: row %d is (%lld, '%s'), expected (%d, '%s')", w->k,
		      seen, i, v, seen, want);
		seen++;
	}
	if (rc != SQL_NO_DATA) {
		diag(SQL_HANDLE_STMT, sel, NULL, text, sizeof text);
		failf(__LINE__, "thread %d: SQLFetch returned %d: %s", w->k, rc, text);
	}
	CHECK(seen == n, "thread %d: sees %d of its rows after commit, expected %d",
	      w->k, seen, n);
	SQLFreeStmt(sel, SQL_CLOSE);
	/* end the read transaction: a later write must not meet an old
	 * snapshot */
	if (!SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK))) {
		diag(SQL_HANDLE_DBC, dbc, NULL, text, sizeof text);
		failf(__LINE__, "thread %d: ROLLBACK of the read: %s", w->k, text);
	}
}

static void *conn_worker_main(void *arg)
{
	conn_worker *w = arg;
	unsigned seed = (unsigned)(w->k * 7919 + 17);
	int64_t deadline;
	SQLHDBC dbc;
	SQLHSTMT ins, sel;

	/* all threads allocate their connection on the environment at once */
	while (!atomic_load(&phase1_go))
		sched_yield();
	dbc = connect_dbc(__LINE__);
	if (dbc == SQL_NULL_HDBC)
		return NULL;
	ins = new_stmt(dbc);
	sel = new_stmt(dbc);
	if (ins == SQL_NULL_HSTMT || sel == SQL_NULL_HSTMT ||
	    !SQL_SUCCEEDED(SQLPrepare(ins, (SQLCHAR *)"INSERT INTO t8 (th, i, v) "
					   "VALUES (?, ?, ?)", SQL_NTS)) ||
	    !SQL_SUCCEEDED(SQLPrepare(sel, (SQLCHAR *)"SELECT i, v FROM t8 WHERE "
					   "th = ? ORDER BY i", SQL_NTS))) {
		failf(__LINE__, "thread %d: statements could not be prepared", w->k);
		disconnect_dbc(dbc, __LINE__);
		return NULL;
	}
	deadline = now_ms() + PHASE1_BUDGET_MS;
	while (w->committed < ROUNDS) {
		int r = insert_round(w, dbc, ins, w->committed);

		if (r < 0)
			break;
		if (r == 0) {
			w->busy_retries++;
			if (now_ms() > deadline) {
				failf(__LINE__, "thread %d: still busy after %d retries",
				      w->k, w->busy_retries);
				break;
			}
			sleep_ms(1 + rand_r(&seed) % 20);
			continue;
		}
		w->committed++;
		check_own_rows(w, dbc, sel, w->committed * PER_ROUND);
	}
	SQLFreeHandle(SQL_HANDLE_STMT, ins);
	SQLFreeHandle(SQL_HANDLE_STMT, sel);
	disconnect_dbc(dbc, __LINE__);
	return NULL;
}

static void phase_eight_connections(SQLHDBC mdbc)
{
	conn_worker w[N_CONN];
	int started = 0;

	phase_begin("eight threads, eight connections, one environment", 240);
	if (!exec_ok(mdbc, "CREATE TABLE t8 (th INTEGER, i INTEGER, v TEXT, "
			   "PRIMARY KEY (th, i))", __LINE__) ||
	    !commit_ok(mdbc, __LINE__))
		goto out;
	atomic_store(&phase1_go, 0);
	for (int k = 0; k < N_CONN; k++) {
		memset(&w[k], 0, sizeof w[k]);
		w[k].k = k;
		if (pthread_create(&w[k].th, NULL, conn_worker_main, &w[k]) != 0) {
			failf(__LINE__, "pthread_create");
			break;
		}
		started++;
	}
	atomic_store(&phase1_go, 1);
	for (int k = 0; k < started; k++)
		pthread_join(w[k].th, NULL);
	for (int k = 0; k < started; k++) {
		CHECK(w[k].committed == ROUNDS, "thread %d committed %d of %d rounds",
		      k, w[k].committed, ROUNDS);
		fprintf(stderr, "   thread %d: %d rounds, %d busy retries\n", k,
			w[k].committed, w[k].busy_retries);
	}
	/* every thread's rows are all there, seen from another connection */
	for (int k = 0; k < N_CONN; k++) {
		char sql[160];
		long long v[3];
		long long n = ROUNDS * PER_ROUND;

		snprintf(sql, sizeof sql,
			 "SELECT count(*), coalesce(sum(i), -1), count(DISTINCT i) "
			 "FROM t8 WHERE th = %d", k);
		if (query_ints(mdbc, sql, v, 3, __LINE__))
			CHECK(v[0] == n && v[1] == n * (n - 1) / 2 && v[2] == n,
			      "thread %d's rows: count %lld sum %lld distinct %lld, "
			      "expected %lld, %lld, %lld", k, v[0], v[1], v[2], n,
			      n * (n - 1) / 2, n);
	}
	{
		long long total;
		if (query_ints(mdbc, "SELECT count(*) FROM t8", &total, 1, __LINE__))
			CHECK(total == (long long)N_CONN * ROUNDS * PER_ROUND,
			      "t8 holds %lld rows, expected %d", total,
			      N_CONN * ROUNDS * PER_ROUND);
	}
	SQLEndTran(SQL_HANDLE_DBC, mdbc, SQL_ROLLBACK);
out:
	phase_end();
}

/* ============================================================ phase 2
 * Two threads share one connection; each has its own statements. Each
 * reads a generated result of SEQ_ROWS rows (several pages, so it streams)
 * row by row, and every INSERT_EVERY rows inserts into its own table
 * through a second statement -- so the other thread's open stream must be
 * read into memory while it is half read. Every row read must be exactly
 * the expected one; every insert must be there at the end. */

#define SEQ_ROWS 1500
#define INSERT_EVERY 300
#define ROUNDS2 6

typedef struct share_worker {
	int k;
	pthread_t th;
	SQLHDBC dbc;
	int rows_ok;      /* rows read and checked */
	int inserted;
} share_worker;

static atomic_int phase2_go;

static void *share_worker_main(void *arg)
{
	share_worker *w = arg;
	char text[1200], sql[400], ins_sql[80];
	SQLHSTMT q, ins;

	while (!atomic_load(&phase2_go))
		sched_yield();
	q = new_stmt(w->dbc);
	ins = new_stmt(w->dbc);
	if (q == SQL_NULL_HSTMT || ins == SQL_NULL_HSTMT) {
		failf(__LINE__, "thread %d: SQLAllocHandle(STMT) on the shared "
				"connection failed", w->k);
		return NULL;
	}
	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
		 "WHERE n < %d) SELECT n, n * 7 + %d, printf('thread-%d-row-%%d', n) "
		 "FROM c", SEQ_ROWS, w->k, w->k);
	snprintf(ins_sql, sizeof ins_sql, "INSERT INTO t2_%d (x) VALUES (?)", w->k);
	if (!SQL_SUCCEEDED(SQLPrepare(ins, (SQLCHAR *)ins_sql, SQL_NTS))) {
		diag(SQL_HANDLE_STMT, ins, NULL, text, sizeof text);
		failf(__LINE__, "thread %d: prepare insert: %s", w->k, text);
		goto out;
	}
	for (int r = 0; r < ROUNDS2; r++) {
		SQLSMALLINT ncols = 0;
		SQLRETURN rc;
		int n = 0;

		if (!SQL_SUCCEEDED(SQLExecDirect(q, (SQLCHAR *)sql, SQL_NTS)) ||
		    !SQL_SUCCEEDED(SQLNumResultCols(q, &ncols))) {
			diag(SQL_HANDLE_STMT, q, NULL, text, sizeof text);
			failf(__LINE__, "thread %d round %d: execute: %s", w->k, r, text);
			goto out;
		}
		CHECK(ncols == 3, "thread %d: %d result columns, expected 3", w->k,
		      (int)ncols);
		while ((rc = SQLFetch(q)) == SQL_SUCCESS) {
			long long v[2];
			char s[64] = "", want[64];
			SQLLEN ind;

			n++;
			if (!get_ints(q, v, 2) ||
			    !SQL_SUCCEEDED(SQLGetData(q, 3, SQL_C_CHAR, s, sizeof s, &ind))) {
				diag(SQL_HANDLE_STMT, q, NULL, text, sizeof text);
				failf(__LINE__, "thread %d: SQLGetData: %s", w->k, text);
				goto out;
			}
			snprintf(want, sizeof want, "thread-%d-row-%d", w->k, n);
			if (v[0] == n && v[1] == n * 7LL + w->k && strcmp(s, want) == 0) {
				w->rows_ok++;
			} else {
				failf(__LINE__, "thread %d round %d: row %d is (%lld, %lld, "
				      "'%s'), expected (%d, %lld, '%s')", w->k, r, n, v[0],
				      v[1], s, n, n * 7LL + w->k, want);
				goto out;
			}
			if (n % INSERT_EVERY == 0) {
				SQLBIGINT x = (SQLBIGINT)r * 100000 + n;

				if (!SQL_SUCCEEDED(SQLBindParameter(ins, 1, SQL_PARAM_INPUT,
								    SQL_C_SBIGINT, SQL_BIGINT,
								    0, 0, &x, 0, NULL)) ||
				    !SQL_SUCCEEDED(SQLExecute(ins))) {
					diag(SQL_HANDLE_STMT, ins, NULL, text, sizeof text);
					failf(__LINE__, "thread %d: insert: %s", w->k, text);
					goto out;
				}
				w->inserted++;
			}
			sched_yield();
		}
		if (rc != SQL_NO_DATA) {
			diag(SQL_HANDLE_STMT, q, NULL, text, sizeof text);
			failf(__LINE__, "thread %d round %d: SQLFetch returned %d after "
			      "%d rows: %s", w->k, r, rc, n, text);
			goto out;
		}
		CHECK(n == SEQ_ROWS, "thread %d round %d: %d rows, expected %d", w->k,
		      r, n, SEQ_ROWS);
		SQLFreeStmt(q, SQL_CLOSE);
	}
out:
	SQLFreeHandle(SQL_HANDLE_STMT, q);
	SQLFreeHandle(SQL_HANDLE_STMT, ins);
	return NULL;
}

static void phase_shared_connection(SQLHDBC mdbc)
{
	share_worker w[2];
	SQLHDBC dbc;
	int started = 0;

	phase_begin("two threads, one connection", 180);
	dbc = connect_dbc(__LINE__);
	if (dbc == SQL_NULL_HDBC)
		goto out;
	if (!exec_ok(dbc, "CREATE TABLE t2_0 (x INTEGER)", __LINE__) ||
	    !exec_ok(dbc, "CREATE TABLE t2_1 (x INTEGER)", __LINE__) ||
	    !commit_ok(dbc, __LINE__))
		goto out_dbc;
	atomic_store(&phase2_go, 0);
	for (int k = 0; k < 2; k++) {
		memset(&w[k], 0, sizeof w[k]);
		w[k].k = k;
		w[k].dbc = dbc;
		if (pthread_create(&w[k].th, NULL, share_worker_main, &w[k]) != 0) {
			failf(__LINE__, "pthread_create");
			break;
		}
		started++;
	}
	atomic_store(&phase2_go, 1);
	for (int k = 0; k < started; k++)
		pthread_join(w[k].th, NULL);
	if (started < 2)
		goto out_dbc;
	for (int k = 0; k < 2; k++) {
		int want = ROUNDS2 * (SEQ_ROWS / INSERT_EVERY);
		char sql[80];
		long long v[2];

		CHECK(w[k].rows_ok == ROUNDS2 * SEQ_ROWS,
		      "thread %d read %d correct rows, expected %d", k, w[k].rows_ok,
		      ROUNDS2 * SEQ_ROWS);
		CHECK(w[k].inserted == want, "thread %d inserted %d rows, expected %d",
		      k, w[k].inserted, want);
		/* the shared connection's transaction holds both threads' rows */
		snprintf(sql, sizeof sql, "SELECT count(*), count(DISTINCT x) FROM t2_%d", k);
		if (query_ints(dbc, sql, v, 2, __LINE__))
			CHECK(v[0] == want && v[1] == want,
			      "t2_%d: %lld rows (%lld distinct) in the shared "
			      "transaction, expected %d", k, v[0], v[1], want);
	}
	if (commit_ok(dbc, __LINE__)) {
		for (int k = 0; k < 2; k++) {
			char sql[80];
			long long n;

			snprintf(sql, sizeof sql, "SELECT count(*) FROM t2_%d", k);
			if (query_ints(mdbc, sql, &n, 1, __LINE__))
				CHECK(n == ROUNDS2 * (SEQ_ROWS / INSERT_EVERY),
				      "t2_%d: %lld rows committed, expected %d", k, n,
				      ROUNDS2 * (SEQ_ROWS / INSERT_EVERY));
		}
		SQLEndTran(SQL_HANDLE_DBC, mdbc, SQL_ROLLBACK);
	}
out_dbc:
	disconnect_dbc(dbc, __LINE__);
out:
	phase_end();
}

/* ===================================================== cancel scenarios */

/* One call run on a thread of its own, observed by the main thread. */
typedef struct call_runner {
	pthread_t th;
	SQLHSTMT st;
	const char *sql;     /* SQLExecDirect(sql), or NULL: fetch until the
	                        result ends */
	atomic_int in_call;  /* 1 while inside the ODBC call */
	atomic_llong entered_ms; /* when the current call began */
	atomic_long fetched; /* rows fetched so far (fetch mode) */
	SQLRETURN rc;
	char state[6];
	char text[1200];
	int64_t returned_ms;
	long bad_rows;       /* rows whose first column was not 1, 2, 3, ... */
} call_runner;

static void *runner_main(void *arg)
{
	call_runner *r = arg;

	if (r->sql != NULL) {
		atomic_store(&r->entered_ms, now_ms());
		atomic_store(&r->in_call, 1);
		r->rc = SQLExecDirect(r->st, (SQLCHAR *)r->sql, SQL_NTS);
		r->returned_ms = now_ms();
		atomic_store(&r->in_call, 0);
	} else {
		for (;;) {
			long long i;

			atomic_store(&r->entered_ms, now_ms());
			atomic_store(&r->in_call, 1);
			r->rc = SQLFetch(r->st);
			r->returned_ms = now_ms();
			atomic_store(&r->in_call, 0);
			if (r->rc != SQL_SUCCESS)
				break;
			if (!get_ints(r->st, &i, 1) || i != atomic_load(&r->fetched) + 1)
				r->bad_rows++;
			atomic_fetch_add(&r->fetched, 1);
		}
	}
	if (r->rc == SQL_SUCCESS || r->rc == SQL_NO_DATA)
		snprintf(r->text, sizeof r->text, "(no error)");
	else
		diag(SQL_HANDLE_STMT, r->st, r->state, r->text, sizeof r->text);
	return NULL;
}

/* Waits (bounded) until the runner has been inside one call for at least
 * ms milliseconds. 1 when it has. */
static int wait_blocked(call_runner *r, unsigned ms, unsigned budget_ms)
{
	int64_t end = now_ms() + budget_ms;

	while (now_ms() < end) {
		if (atomic_load(&r->in_call) &&
		    now_ms() - atomic_load(&r->entered_ms) >= ms)
			return 1;
		sleep_ms(10);
	}
	return 0;
}

/* SQLCancel(st) from this thread: returns at once with SQL_SUCCESS. The
 * time it was called is returned. */
static int64_t cancel_now(SQLHSTMT st, int line)
{
	int64_t t0 = now_ms();
	SQLRETURN rc = SQLCancel(st);
	int64_t took = now_ms() - t0;

	if (rc != SQL_SUCCESS)
		failf(line, "SQLCancel returned %d", rc);
	if (took > PROMPT_MS)
		failf(line, "SQLCancel took %" PRId64 " ms: it must return at once",
		      took);
	return t0;
}

/* The call canceled at cancel_ms ended with SQL_ERROR / HY008 within the
 * bound. */
static void check_canceled(const call_runner *r, int64_t cancel_ms,
			   const char *what, int line)
{
	if (r->rc != SQL_ERROR || strcmp(r->state, "HY008") != 0)
		failf(line, "%s: ended with rc %d, %s; expected SQL_ERROR with HY008",
		      what, r->rc, r->text);
	if (r->returned_ms - cancel_ms > CANCEL_BOUND_MS)
		failf(line, "%s: returned %" PRId64 " ms after SQLCancel (bound %d ms)",
		      what, r->returned_ms - cancel_ms, CANCEL_BOUND_MS);
	fprintf(stderr, "   %s: rc %d, %s, %" PRId64 " ms after SQLCancel\n", what,
		r->rc, r->text, r->returned_ms - cancel_ms);
}

/* Runs "SELECT 1" on st until it returns 1 (the link is re-established
 * after a failure), within budget_ms. Failures on the way are the cost of
 * the earlier failure (the node busy, a reconnect in progress). */
static int recover(SQLHDBC dbc, SQLHSTMT st, unsigned budget_ms, int line)
{
	int64_t end = now_ms() + budget_ms;
	char text[1200] = "";

	SQLFreeStmt(st, SQL_CLOSE);
	/* a call that cost the link mid-transaction lost the transaction:
	 * the application rolls back before going on (docs/transactions.md) */
	SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK);
	while (now_ms() < end) {
		long long one = 0;

		if (SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)"SELECT 1", SQL_NTS)) &&
		    SQL_SUCCEEDED(SQLFetch(st)) && get_ints(st, &one, 1) && one == 1) {
			SQLFreeStmt(st, SQL_CLOSE);
			return 1;
		}
		diag(SQL_HANDLE_STMT, st, NULL, text, sizeof text);
		SQLFreeStmt(st, SQL_CLOSE);
		sleep_ms(200);
	}
	failf(line, "the connection did not work again within %u ms: %s", budget_ms,
	      text);
	return 0;
}

/* ------------------------------------------------------------ phase 3
 * SQLCancel during a long SQLExecDirect: one aggregate step over 30 million
 * generated rows keeps the node busy for seconds (it cannot read INTERRUPT
 * before the step ends), so the call must end by the cancel, with HY008. */
static void phase_cancel_execute(void)
{
	call_runner r;
	SQLHDBC dbc;
	int64_t tc;

	phase_begin("SQLCancel during a long SQLExecDirect", 150);
	dbc = connect_dbc(__LINE__);
	if (dbc == SQL_NULL_HDBC)
		goto out;
	memset(&r, 0, sizeof r);
	r.st = new_stmt(dbc);
	r.sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
		"WHERE i < 30000000) SELECT sum(i) FROM n";
	if (pthread_create(&r.th, NULL, runner_main, &r) != 0) {
		failf(__LINE__, "pthread_create");
		goto out_dbc;
	}
	if (!wait_blocked(&r, 500, 20000))
		failf(__LINE__, "the long SQLExecDirect was not in progress after 20 s "
				"(rc %d, %s)", r.rc, r.text);
	tc = cancel_now(r.st, __LINE__);
	pthread_join(r.th, NULL);
	check_canceled(&r, tc, "SQLExecDirect canceled", __LINE__);
	/* the node is still busy with its step: the next calls reconnect once
	 * it answers */
	recover(dbc, r.st, 90000, __LINE__);
	SQLFreeHandle(SQL_HANDLE_STMT, r.st);
out_dbc:
	disconnect_dbc(dbc, __LINE__);
out:
	phase_end();
}

/* ------------------------------------------------------------ phase 4
 * SQLCancel during a fetch blocked on a paused node: a result of a million
 * 2 KB rows streams; once some rows were read the node is stopped
 * (SIGSTOP); the fetching thread reads what is in flight and then waits in
 * SQLFetch for a page that cannot come. SQLCancel from the main thread must
 * end that fetch with HY008. */
static void phase_cancel_fetch(void)
{
	call_runner r;
	SQLHDBC dbc;
	char text[1200];
	int paused = 0;
	int64_t tc;

	phase_begin("SQLCancel during a fetch blocked on a paused node", 180);
	dbc = connect_dbc(__LINE__);
	if (dbc == SQL_NULL_HDBC)
		goto out;
	memset(&r, 0, sizeof r);
	r.st = new_stmt(dbc);
	if (!SQL_SUCCEEDED(SQLExecDirect(r.st, (SQLCHAR *)
			"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
			"WHERE i < 1000000) SELECT i, zeroblob(2000) FROM n", SQL_NTS))) {
		diag(SQL_HANDLE_STMT, r.st, NULL, text, sizeof text);
		failf(__LINE__, "the streaming query: %s", text);
		goto out_stmt;
	}
	r.sql = NULL; /* fetch mode */
	if (pthread_create(&r.th, NULL, runner_main, &r) != 0) {
		failf(__LINE__, "pthread_create");
		goto out_stmt;
	}
	{
		int64_t end = now_ms() + 20000;
		while (atomic_load(&r.fetched) < 20 && now_ms() < end)
			sleep_ms(5);
	}
	if (node_op(dqt_node_pause) != 0)
		failf(__LINE__, "dqt_node_pause failed");
	else
		paused = 1;
	if (!wait_blocked(&r, 1000, 90000))
		failf(__LINE__, "the fetch never blocked on the paused node: %ld rows, "
				"rc %d, %s", atomic_load(&r.fetched), r.rc, r.text);
	tc = cancel_now(r.st, __LINE__);
	pthread_join(r.th, NULL);
	check_canceled(&r, tc, "SQLFetch canceled", __LINE__);
	CHECK(r.bad_rows == 0, "%ld rows read before the cancel were wrong",
	      r.bad_rows);
	fprintf(stderr, "   %ld rows fetched before the node stopped answering\n",
		atomic_load(&r.fetched));
	if (paused && node_op(dqt_node_resume) != 0)
		failf(__LINE__, "dqt_node_resume failed");
	/* the cancel cost the link (the page due never came): the next call
	 * reconnects to the resumed node */
	recover(dbc, r.st, 30000, __LINE__);
out_stmt:
	SQLFreeHandle(SQL_HANDLE_STMT, r.st);
	disconnect_dbc(dbc, __LINE__);
out:
	phase_end();
}

/* ------------------------------------------------------------ phase 5
 * SQLCancel during a reconnect. The node is killed and started again on its
 * data: the connection's link is dead. */

/* The repeated cancels of (b) go to the driver's own SQLCancel, not through
 * the driver manager: unixODBC 2.3.11's SQLCancel is not safe against a call
 * running on the same statement at Threading=0 except while that call is
 * inside the driver. Before and after calling the driver it clears the
 * statement's diagnostic list (function_entry) and, for a statement with a
 * cursor, resets its own state to S1 as SQLFreeStmt(SQL_CLOSE) would, all
 * without a lock. Racing with the other thread's driver-manager code, that
 * frees records the other thread is reading or writing (ThreadSanitizer
 * reports it inside libodbc.so.2: free vs malloc), loses a diagnostic, or
 * makes the next SQLFetch fail with HY010. A cancel that lands while the
 * other call waits inside the driver -- phases 3, 4 and 5(a) -- is the
 * application's case, and those go through the driver manager. */
typedef SQLRETURN (*cancel_fn)(SQLHSTMT);

/* The driver's SQLCancel and its handle for st (SQL_DRIVER_HSTMT), or
 * NULL. */
static cancel_fn driver_cancel(SQLHDBC dbc, SQLHSTMT st, SQLHSTMT *drv_st)
{
	void *so = dlopen(dqt_driver_path(), RTLD_NOW | RTLD_NOLOAD);
	SQLHSTMT h = st;
	cancel_fn fn;

	if (so == NULL) {
		failf(__LINE__, "the driver %s is not loaded: %s", dqt_driver_path(),
		      dlerror());
		return NULL;
	}
	*(void **)&fn = dlsym(so, "SQLCancel");
	dlclose(so); /* the driver manager's reference keeps it loaded */
	if (fn == NULL ||
	    !SQL_SUCCEEDED(SQLGetInfo(dbc, SQL_DRIVER_HSTMT, &h, sizeof h, NULL)) ||
	    h == st || h == NULL) {
		failf(__LINE__, "no driver SQLCancel / SQL_DRIVER_HSTMT");
		return NULL;
	}
	*drv_st = h;
	return fn;
}

typedef struct canceller {
	pthread_t th;
	cancel_fn cancel;
	SQLHSTMT st;         /* the driver's statement handle */
	atomic_int stop;
	long calls;
	long not_success;
	long slow;
} canceller;

static void *canceller_main(void *arg)
{
	canceller *c = arg;
	unsigned seed = 4242;

	while (!atomic_load(&c->stop)) {
		int64_t t0 = now_ms();
		SQLRETURN rc = c->cancel(c->st);

		if (now_ms() - t0 > PROMPT_MS)
			c->slow++;
		if (rc != SQL_SUCCESS)
			c->not_success++;
		c->calls++;
		/* 0-3 ms apart: some calls are hit, some get through */
		if (rand_r(&seed) % 4 != 0)
			sleep_ms(rand_r(&seed) % 4);
	}
	return NULL;
}

static void phase_cancel_reconnect(void)
{
	call_runner r;
	canceller cc;
	SQLHDBC dbc;
	SQLHSTMT st;
	char state[6], text[1200];
	SQLRETURN rc;
	int64_t tc, end;
	long ok = 0, canceled = 0, other = 0, calls = 0;

	phase_begin("SQLCancel during a reconnect", 240);
	dbc = connect_dbc(__LINE__);
	if (dbc == SQL_NULL_HDBC)
		goto out;
	st = new_stmt(dbc);
	if (!exec_ok(dbc, "CREATE TABLE t5 (x INTEGER)", __LINE__) ||
	    !exec_ok(dbc, "INSERT INTO t5 VALUES (42)", __LINE__) ||
	    !commit_ok(dbc, __LINE__))
		goto out_dbc;

	/* the node dies and comes back: the link is dead */
	if (node_op(dqt_node_kill) != 0 || node_op(dqt_node_restart) != 0 ||
	    wait_leader() < 0) {
		failf(__LINE__, "the node could not be killed and restarted");
		goto out_dbc;
	}
	/* The first call finds the link dead (the old socket is closed).
	 * Nothing of a transaction is at stake (the last one committed), so
	 * the driver rides the loss out: it reconnects and the call succeeds
	 * (docs/transactions.md). */
	rc = SQLExecDirect(st, (SQLCHAR *)"SELECT 1", SQL_NTS);
	diag(SQL_HANDLE_STMT, st, state, text, sizeof text);
	CHECK(SQL_SUCCEEDED(rc), "the first call after the restart: rc %d, %s; "
	      "expected success (reconnected)", rc, text);
	SQLFreeStmt(st, SQL_CLOSE);
	SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK);

	/* (a) a reconnect that blocks (the node is stopped: the TCP connect
	 * is accepted by the kernel, the handshake never answered) is ended by
	 * SQLCancel with HY008 */
	if (node_op(dqt_node_pause) != 0) {
		failf(__LINE__, "dqt_node_pause failed");
		goto out_dbc;
	}
	memset(&r, 0, sizeof r);
	r.st = st;
	r.sql = "SELECT 1";
	if (pthread_create(&r.th, NULL, runner_main, &r) != 0) {
		failf(__LINE__, "pthread_create");
		node_op(dqt_node_resume);
		goto out_dbc;
	}
	if (!wait_blocked(&r, 1000, 20000))
		failf(__LINE__, "the reconnecting call was not blocked (rc %d, %s)",
		      r.rc, r.text);
	tc = cancel_now(st, __LINE__);
	pthread_join(r.th, NULL);
	check_canceled(&r, tc, "reconnect canceled", __LINE__);
	SQLFreeStmt(st, SQL_CLOSE);
	if (node_op(dqt_node_resume) != 0)
		failf(__LINE__, "dqt_node_resume failed");

	/* (b) calls that reconnect while another thread calls the driver's
	 * SQLCancel over and over (see driver_cancel): each ends with success
	 * or HY008, nothing else; none hangs. A canceled call may cost the link again, so later calls
	 * reconnect under the cancels too. */
	memset(&cc, 0, sizeof cc);
	cc.cancel = driver_cancel(dbc, st, &cc.st);
	if (cc.cancel == NULL)
		goto out_dbc;
	if (pthread_create(&cc.th, NULL, canceller_main, &cc) != 0) {
		failf(__LINE__, "pthread_create");
		goto out_dbc;
	}
	end = now_ms() + 6000;
	while (now_ms() < end) {
		int64_t t0 = now_ms();
		long long v = 0;

		calls++;
		rc = SQLExecDirect(st, (SQLCHAR *)"SELECT x FROM t5", SQL_NTS);
		if (SQL_SUCCEEDED(rc)) {
			rc = SQLFetch(st);
			if (SQL_SUCCEEDED(rc)) {
				if (!get_ints(st, &v, 1) || v != 42) {
					failf(__LINE__, "SELECT x FROM t5 read %lld, expected 42",
					      v);
					break;
				}
			}
		}
		if (now_ms() - t0 > CANCEL_BOUND_MS + 1000)
			failf(__LINE__, "a call under repeated cancels took %" PRId64 " ms",
			      now_ms() - t0);
		if (SQL_SUCCEEDED(rc)) {
			ok++;
		} else {
			diag(SQL_HANDLE_STMT, st, state, text, sizeof text);
			/* a cancel that cost the link lost the read transaction:
			 * roll back, as an application does after an error */
			SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK);
			if (rc == SQL_ERROR && strcmp(state, "HY008") == 0) {
				canceled++;
			} else {
				/* the first few in full, then a count */
				if (other++ < 3)
					fprintf(stderr, "   call %ld: rc %d, %s\n", calls, rc,
						text);
			}
		}
		SQLFreeStmt(st, SQL_CLOSE);
	}
	atomic_store(&cc.stop, 1);
	pthread_join(cc.th, NULL);
	fprintf(stderr, "   %ld calls under %ld cancels: %ld succeeded, %ld HY008, "
		"%ld other\n", calls, cc.calls, ok, canceled, other);
	CHECK(other == 0, "%ld of %ld calls under repeated cancels ended with "
			  "neither success nor HY008 (the first ones above)", other,
	      calls);
	CHECK(cc.not_success == 0, "%ld SQLCancel calls did not return SQL_SUCCESS",
	      cc.not_success);
	CHECK(cc.slow == 0, "%ld SQLCancel calls took over %d ms", cc.slow, PROMPT_MS);
	CHECK(canceled > 0, "no call was canceled in 6 s of repeated SQLCancel "
			    "(the scenario did not happen)");
	/* with the cancels stopped, the connection works and the committed
	 * row survived the restart */
	if (recover(dbc, st, 30000, __LINE__)) {
		long long v = 0;
		if (query_ints(dbc, "SELECT x FROM t5", &v, 1, __LINE__))
			CHECK(v == 42, "t5 holds %lld after the restart, expected 42", v);
	}
out_dbc:
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	disconnect_dbc(dbc, __LINE__);
out:
	phase_end();
}

/* ------------------------------------------------------------ phase 6
 * Asynchronous calls: each pending call runs on a worker thread of the
 * driver; the application's thread polls it. */

/* Repeats call while it returns SQL_STILL_EXECUTING (at most 60 s). */
#define POLL_ASYNC(rc, call)                                                   \
	do {                                                                   \
		int64_t t0_ = now_ms();                                        \
		while (((rc) = (call)) == SQL_STILL_EXECUTING &&               \
		       now_ms() - t0_ < 60000)                                 \
			sleep_ms(1);                                           \
	} while (0)

typedef struct {
	pthread_t th;
	SQLHSTMT st;
	int64_t delay_ms;
	SQLRETURN rc;
} async_canceler;

static void *async_cancel_main(void *arg)
{
	async_canceler *c = arg;
	sleep_ms((unsigned)c->delay_ms);
	c->rc = SQLCancel(c->st);
	return NULL;
}

static SQLHSTMT async_stmt(SQLHDBC dbc)
{
	SQLHSTMT st = new_stmt(dbc);
	if (st != SQL_NULL_HSTMT)
		SQLSetStmtAttr(st, SQL_ATTR_ASYNC_ENABLE, (SQLPOINTER)SQL_ASYNC_ENABLE_ON, 0);
	return st;
}

static void phase_async(void)
{
	const char *slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
			   "FROM n WHERE i < 1000000) SELECT count(*) FROM n";
	char state[6], text[1200];
	SQLHDBC dbc, dbc2;
	SQLHSTMT a, b;
	SQLRETURN ra, rb, rc;
	async_canceler c;
	long long v[1];

	phase_begin("asynchronous calls polled while worker threads run", 180);
	dbc = connect_dbc(__LINE__);
	if (dbc == SQL_NULL_HDBC)
		goto out;
	a = async_stmt(dbc);
	b = async_stmt(dbc);
	/* two statements of one connection: both pending, polled in turn */
	ra = SQLExecDirect(a, (SQLCHAR *)slow, SQL_NTS);
	CHECK(ra == SQL_STILL_EXECUTING, "async SQLExecDirect returned %d", ra);
	rb = SQLExecDirect(b, (SQLCHAR *)"SELECT 2", SQL_NTS);
	CHECK(rb == SQL_STILL_EXECUTING || rb == SQL_SUCCESS,
	      "second statement's async SQLExecDirect returned %d", rb);
	SQLGetDiagRec(SQL_HANDLE_STMT, a, 1, NULL, NULL, NULL, 0, NULL);
	POLL_ASYNC(ra, SQLExecDirect(a, (SQLCHAR *)slow, SQL_NTS));
	POLL_ASYNC(rb, SQLExecDirect(b, (SQLCHAR *)"SELECT 2", SQL_NTS));
	diag(SQL_HANDLE_STMT, a, state, text, sizeof text);
	CHECK(ra == SQL_SUCCESS, "polled SQLExecDirect ended with %d: %s", ra, text);
	CHECK(rb == SQL_SUCCESS, "second polled SQLExecDirect ended with %d", rb);
	/* the rows, read synchronously (get_ints's SQLGetData) */
	SQLSetStmtAttr(a, SQL_ATTR_ASYNC_ENABLE, (SQLPOINTER)SQL_ASYNC_ENABLE_OFF, 0);
	SQLSetStmtAttr(b, SQL_ATTR_ASYNC_ENABLE, (SQLPOINTER)SQL_ASYNC_ENABLE_OFF, 0);
	if (ra == SQL_SUCCESS && SQL_SUCCEEDED(SQLFetch(a)) && get_ints(a, v, 1))
		CHECK(v[0] == 1000000, "count %lld, expected 1000000", v[0]);
	if (rb == SQL_SUCCESS && SQL_SUCCEEDED(SQLFetch(b)) && get_ints(b, v, 1))
		CHECK(v[0] == 2, "second statement read %lld, expected 2", v[0]);
	SQLSetStmtAttr(a, SQL_ATTR_ASYNC_ENABLE, (SQLPOINTER)SQL_ASYNC_ENABLE_ON, 0);
	SQLFreeStmt(a, SQL_CLOSE);
	SQLFreeStmt(b, SQL_CLOSE);
	/* another thread's SQLCancel ends the pending call */
	ra = SQLExecDirect(a, (SQLCHAR *)slow, SQL_NTS);
	CHECK(ra == SQL_STILL_EXECUTING, "async SQLExecDirect returned %d", ra);
	memset(&c, 0, sizeof c);
	c.st = a;
	c.delay_ms = 20;
	if (pthread_create(&c.th, NULL, async_cancel_main, &c) != 0) {
		failf(__LINE__, "pthread_create");
	} else {
		POLL_ASYNC(ra, SQLExecDirect(a, (SQLCHAR *)slow, SQL_NTS));
		pthread_join(c.th, NULL);
		diag(SQL_HANDLE_STMT, a, state, text, sizeof text);
		CHECK(c.rc == SQL_SUCCESS, "SQLCancel returned %d", c.rc);
		CHECK(ra == SQL_SUCCESS || (ra == SQL_ERROR && strcmp(state, "HY008") == 0),
		      "canceled async call ended with %d: %s", ra, text);
		SQLSetStmtAttr(a, SQL_ATTR_ASYNC_ENABLE, (SQLPOINTER)SQL_ASYNC_ENABLE_OFF, 0);
		recover(dbc, a, 90000, __LINE__);
	}
	SQLFreeHandle(SQL_HANDLE_STMT, a);
	SQLFreeHandle(SQL_HANDLE_STMT, b);
	disconnect_dbc(dbc, __LINE__);
	/* connection functions */
	dbc2 = connect_dbc(__LINE__);
	if (dbc2 == SQL_NULL_HDBC)
		goto out;
	SQLSetConnectAttr(dbc2, SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE,
			  (SQLPOINTER)SQL_ASYNC_DBC_ENABLE_ON, SQL_IS_UINTEGER);
	if (exec_ok(dbc2, "CREATE TABLE IF NOT EXISTS t6 (x INTEGER)", __LINE__) &&
	    exec_ok(dbc2, "INSERT INTO t6 VALUES (6)", __LINE__)) {
		POLL_ASYNC(rc, SQLEndTran(SQL_HANDLE_DBC, dbc2, SQL_COMMIT));
		CHECK(rc == SQL_SUCCESS, "polled SQLEndTran ended with %d", rc);
	}
	POLL_ASYNC(rc, SQLDisconnect(dbc2));
	CHECK(rc == SQL_SUCCESS, "polled SQLDisconnect ended with %d", rc);
	SQLFreeHandle(SQL_HANDLE_DBC, dbc2);
out:
	phase_end();
}

/* ------------------------------------------------------------------ main */

int main(void)
{
	pthread_t wd;
	SQLHDBC mdbc;
	int rc;

	setvbuf(stderr, NULL, _IOLBF, 0);
	if (pthread_create(&wd, NULL, watchdog, NULL) != 0) {
		fprintf(stderr, "FAIL: cannot start the watchdog\n");
		return 1;
	}
	phase_begin("start a node", 60);
	pthread_mutex_lock(&cl_mu);
	rc = dqt_cluster_start(&cl, 1);
	pthread_mutex_unlock(&cl_mu);
	if (rc != 0 || dqt_odbc_setup(&cl, "threads") != 0) {
		fprintf(stderr, "FAIL: could not start a node / write odbc.ini\n");
		pthread_mutex_lock(&cl_mu);
		dqt_cluster_stop(&cl);
		pthread_mutex_unlock(&cl_mu);
		return 1;
	}
	if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env)) ||
	    !SQL_SUCCEEDED(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION,
					 (SQLPOINTER)SQL_OV_ODBC3, 0))) {
		fprintf(stderr, "FAIL: no ODBC environment\n");
		atomic_fetch_add(&failures, 1);
		goto stop;
	}
	mdbc = connect_dbc(__LINE__);
	phase_end();
	if (mdbc != SQL_NULL_HDBC) {
		phase_eight_connections(mdbc);
		phase_shared_connection(mdbc);
		phase_async();
		phase_cancel_execute();
		phase_cancel_fetch();
		phase_cancel_reconnect();
		phase_begin("disconnect", 60);
		/* mdbc's link died with the restart in phase 5 and it has no
		 * transaction open: SQLDisconnect succeeds all the same */
		disconnect_dbc(mdbc, __LINE__);
		phase_end();
	}
	SQLFreeHandle(SQL_HANDLE_ENV, env);
stop:
	phase_begin("stop the node", 60);
	pthread_mutex_lock(&cl_mu);
	dqt_cluster_stop(&cl);
	pthread_mutex_unlock(&cl_mu);
	pthread_mutex_lock(&wd_mu);
	wd_quit = 1;
	wd_deadline = 0;
	pthread_cond_signal(&wd_cond);
	pthread_mutex_unlock(&wd_mu);
	pthread_join(wd, NULL);
	if (atomic_load(&failures) == 0)
		fprintf(stderr, "test_threads: all %d checks passed\n",
			atomic_load(&checks));
	else
		fprintf(stderr, "test_threads: %d of %d checks FAILED\n",
			atomic_load(&failures), atomic_load(&checks));
	return atomic_load(&failures) == 0 ? 0 : 1;
}
