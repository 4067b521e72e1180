/*
 * fault_util.h -- helpers shared by the fault and safety suites
 * (test_faults.c, test_safety.c): clocks, bounds, node liveness, threads
 * that cancel or resume later, connection strings of any length.
 */
#ifndef FAULT_UTIL_H
#define FAULT_UTIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "odbc_util.h"

/* Seconds on the monotonic clock. */
static inline double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* What issue 9 allows a bounded call: its timeout plus 10 % plus 250 ms. */
static inline double bound_s(double timeout_s)
{
	return timeout_s * 1.1 + 0.25;
}

/* The timeout really was the one configured: the call did not give up
 * before it (the engine's deadline is in whole milliseconds). */
#define assert_took_between(el, lo, hi, what)                                   \
	do {                                                                    \
		cr_assert_geq((el), (lo) - 0.005, "%s returned after %.3f s, before " \
			      "its %.3f s", (what), (el), (double)(lo));        \
		cr_assert_leq((el), (hi), "%s took %.3f s, more than %.3f s",    \
			      (what), (el), (double)(hi));                      \
	} while (0)

/* Asserts the call failed with the SQLSTATE. */
#define assert_fails_with(rc, type, h, state)                                   \
	do {                                                                    \
		cr_assert_eq((rc), SQL_ERROR, "expected %s, got rc %d (%s)", (state), \
			     (int)(rc), diag((type), (h)));                     \
		cr_assert_str_eq(sqlstate((type), (h)), (state), "%s", diag((type), (h))); \
	} while (0)

static inline SQLHSTMT new_stmt(SQLHDBC dbc)
{
	SQLHSTMT st;
	cr_assert_eq(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st), SQL_SUCCESS);
	return st;
}

static inline int msg_has(SQLSMALLINT type, SQLHANDLE h, const char *needle)
{
	return strstr(diag(type, h), needle) != NULL;
}

/* Asserts the first diagnostic of h contains needle. */
#define assert_msg_has(type, h, needle)                                         \
	cr_assert(msg_has((type), (h), (needle)), "%s", diag((type), (h)))

/* SQLExecDirect(sql) on st; *el gets the seconds it took. */
static inline SQLRETURN timed_exec(SQLHSTMT st, const char *sql, double *el)
{
	double t0 = now_s();
	SQLRETURN rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
	*el = now_s() - t0;
	return rc;
}

/* Creates `table` (i INTEGER) and commits it, then writes row 1 in a new
 * transaction, left open. */
static inline void table_with_an_open_write_of_row_1(SQLHDBC dbc, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "CREATE TABLE %s (i INTEGER)", table);
	exec_ok(dbc, sql);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (1)", table);
	exec_ok(dbc, sql);
}

/* Resident set size of this process in bytes (VmRSS of /proc/self/status). */
static inline long long vm_rss_bytes(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long long kb = -1;
	cr_assert_not_null(f);
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %lld kB", &kb) == 1)
			break;
	fclose(f);
	cr_assert_geq(kb, 0, "no VmRSS in /proc/self/status");
	return kb * 1024;
}

/* Node i is still the process pid0 that the fixture started, it has not
 * exited (not a zombie), and it answers a LEADER request on a fresh socket
 * naming itself (one-node cluster). */
static inline void assert_node_alive(dqt_cluster *c, unsigned i, pid_t pid0)
{
	char path[64], buf[512], leader[64];
	uint64_t id = 0;
	FILE *f;
	char *p;
	cr_assert_eq(c->nodes[i].pid, pid0, "node %u was restarted", i + 1);
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid0);
	f = fopen(path, "r");
	cr_assert_not_null(f, "node %u (pid %d) is gone", i + 1, (int)pid0);
	cr_assert_not_null(fgets(buf, sizeof buf, f));
	fclose(f);
	p = strrchr(buf, ')');
	cr_assert_not_null(p);
	cr_assert(p[2] != 'Z' && p[2] != 'X', "node %u (pid %d) died (state %c)",
		  i + 1, (int)pid0, p[2]);
	cr_assert_eq(dqt_raw_leader(c->nodes[i].address, 3000, &id, leader, sizeof leader),
		     0, "node %u does not answer LEADER", i + 1);
	cr_assert_eq(id, c->nodes[i].id, "node %u names leader %llu (%s)", i + 1,
		     (unsigned long long)id, leader);
}

/* The end of a test on node 1 of c: frees st (unless SQL_NULL_HSTMT),
 * closes the connection, and asserts the node is still pid0 and answers. */
static inline void close_and_assert_node_alive(SQLHENV env, SQLHDBC dbc, SQLHSTMT st,
					       dqt_cluster *c, pid_t pid0)
{
	if (st != SQL_NULL_HSTMT)
		SQLFreeHandle(SQL_HANDLE_STMT, st);
	odbc_close(env, dbc);
	assert_node_alive(c, 0, pid0);
}

/* A connection with the full string cs (any length); NULL on failure with
 * the handles freed and the diagnostic copied to err. */
static inline SQLRETURN try_connect(SQLHENV *env, SQLHDBC *dbc, const char *cs,
				    char *out, SQLSMALLINT outsize, char *err,
				    size_t errsize)
{
	SQLRETURN rc;
	SQLSMALLINT outlen = 0;
	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, env);
	SQLSetEnvAttr(*env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
	SQLAllocHandle(SQL_HANDLE_DBC, *env, dbc);
	rc = SQLDriverConnect(*dbc, NULL, (SQLCHAR *)cs, SQL_NTS, (SQLCHAR *)out,
			      out ? outsize : 0, out ? &outlen : NULL,
			      SQL_DRIVER_NOPROMPT);
	if (err)
		snprintf(err, errsize, "%s", diag(SQL_HANDLE_DBC, *dbc));
	if (!SQL_SUCCEEDED(rc)) {
		SQLFreeHandle(SQL_HANDLE_DBC, *dbc);
		SQLFreeHandle(SQL_HANDLE_ENV, *env);
		*dbc = SQL_NULL_HDBC;
		*env = SQL_NULL_HENV;
	}
	return rc;
}

/* ------------------------------------------------ threads acting later */

/* Calls SQLCancel(st) delay_ms after it starts; records when. */
typedef struct canceller {
	SQLHSTMT st;
	unsigned delay_ms;
	double t_call, t_return;
	SQLRETURN rc;
	pthread_t th;
} canceller;

static inline void *canceller_main(void *arg)
{
	canceller *k = arg;
	sleep_ms(k->delay_ms);
	k->t_call = now_s();
	k->rc = SQLCancel(k->st);
	k->t_return = now_s();
	return NULL;
}

static inline void canceller_start(canceller *k, SQLHSTMT st, unsigned delay_ms)
{
	memset(k, 0, sizeof *k);
	k->st = st;
	k->delay_ms = delay_ms;
	cr_assert_eq(pthread_create(&k->th, NULL, canceller_main, k), 0);
}

/* Resumes node i of c delay_ms after it starts. */
typedef struct resumer {
	dqt_cluster *c;
	unsigned i, delay_ms;
	int rc;
	double t_resumed;
	pthread_t th;
} resumer;

static inline void *resumer_main(void *arg)
{
	resumer *r = arg;
	sleep_ms(r->delay_ms);
	r->rc = dqt_node_resume(r->c, r->i);
	r->t_resumed = now_s();
	return NULL;
}

static inline void resumer_start(resumer *r, dqt_cluster *c, unsigned i,
				 unsigned delay_ms)
{
	memset(r, 0, sizeof *r);
	r->c = c;
	r->i = i;
	r->delay_ms = delay_ms;
	r->rc = -1;
	cr_assert_eq(pthread_create(&r->th, NULL, resumer_main, r), 0);
}

#endif
