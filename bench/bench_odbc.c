/*
 * bench_odbc -- the driver against the raw engine, side by side, in one run.
 *
 * Starts one real dqlite node (tests/harness), loads libdqliteodbc.so through
 * unixODBC's driver manager, and measures:
 *   1. SELECT 1 round trip: ODBC SQLExecDirect+SQLFetch vs engine query_sql
 *   2. inserting N rows in one transaction: one SQLExecute per row vs one
 *      SQLExecute with a parameter array (pipelined in the engine)
 *   3. streaming a large SELECT: ODBC bound rowset fetch vs the engine's
 *      dqc_rows_next with no conversion (the ceiling)
 *   4. the same result read two ODBC ways: a block cursor (columns bound,
 *      rowset of 1000) vs SQLFetch + SQLGetData per cell; best of 3 each,
 *      interleaved
 * Prints absolute figures and the ratios; machines are shared and noisy, so
 * only the ratios of one run mean much. Usage: bench_odbc [rows]
 */
#include <sql.h>
#include <sqlext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dqtest.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die_odbc(SQLSMALLINT type, SQLHANDLE h, const char *what)
{
	SQLCHAR state[6], msg[512];
	SQLINTEGER native;
	SQLSMALLINT len;
	fprintf(stderr, "bench_odbc: %s failed\n", what);
	for (SQLSMALLINT i = 1; SQLGetDiagRec(type, h, i, state, &native, msg,
					  sizeof msg, &len) == SQL_SUCCESS; i++)
		fprintf(stderr, "  %s (%d) %s\n", state, (int)native, msg);
	exit(1);
}

#define OK(rc, type, h, what)                                   \
	do {                                                    \
		if (!SQL_SUCCEEDED(rc))                         \
			die_odbc(type, h, what);                \
	} while (0)

static void exec(SQLHDBC dbc, const char *sql)
{
	SQLHSTMT st;
	OK(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st), SQL_HANDLE_DBC, dbc, "alloc");
	OK(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS), SQL_HANDLE_STMT, st, sql);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static double bench_select1_odbc(SQLHDBC dbc, int n)
{
	SQLHSTMT st;
	SQLBIGINT v = 0;
	OK(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st), SQL_HANDLE_DBC, dbc, "alloc");
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		OK(SQLExecDirect(st, (SQLCHAR *)"SELECT 1", SQL_NTS), SQL_HANDLE_STMT, st, "SELECT 1");
		OK(SQLFetch(st), SQL_HANDLE_STMT, st, "fetch");
		OK(SQLGetData(st, 1, SQL_C_SBIGINT, &v, 0, NULL), SQL_HANDLE_STMT, st, "getdata");
		SQLCloseCursor(st);
	}
	double dt = now_s() - t0;
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	if (v != 1) {
		fprintf(stderr, "bench_odbc: SELECT 1 returned %lld\n", (long long)v);
		exit(1);
	}
	return dt / n;
}

static double bench_select1_engine(dqc_conn *c, int n)
{
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		dqc_rows *r;
		const dqc_value *cells;
		if (dqc_query_sql(c, "SELECT 1", NULL, 0, &r) != 0 ||
		    dqc_rows_next(r, &cells) != 1) {
			fprintf(stderr, "bench_odbc: engine SELECT 1: %s\n", dqc_errmsg(c));
			exit(1);
		}
		while (dqc_rows_next(r, &cells) == 1)
			;
		dqc_rows_close(r);
	}
	return (now_s() - t0) / n;
}

/* Inserts rows [first, first+n) one SQLExecute per row. */
static double bench_insert_serial(SQLHDBC dbc, int first, int n)
{
	SQLHSTMT st;
	SQLBIGINT id;
	double a;
	char b[32];
	SQLLEN blen = SQL_NTS;
	OK(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st), SQL_HANDLE_DBC, dbc, "alloc");
	OK(SQLPrepare(st, (SQLCHAR *)"INSERT INTO t (id, a, b) VALUES (?, ?, ?)", SQL_NTS),
	   SQL_HANDLE_STMT, st, "prepare");
	SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &id, 0, NULL);
	SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_DOUBLE, SQL_DOUBLE, 0, 0, &a, 0, NULL);
	SQLBindParameter(st, 3, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 31, 0, b, sizeof b, &blen);
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		id = first + i;
		a = id * 0.5;
		snprintf(b, sizeof b, "row-%d", first + i);
		OK(SQLExecute(st), SQL_HANDLE_STMT, st, "execute");
	}
	OK(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), SQL_HANDLE_DBC, dbc, "commit");
	double dt = now_s() - t0;
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	return dt / n;
}

/* Inserts rows [first, first+n) with one SQLExecute of a parameter array. */
static double bench_insert_array(SQLHDBC dbc, int first, int n)
{
	SQLHSTMT st;
	SQLBIGINT *id = calloc((size_t)n, sizeof *id);
	double *a = calloc((size_t)n, sizeof *a);
	char(*b)[32] = calloc((size_t)n, sizeof *b);
	SQLLEN *blen = calloc((size_t)n, sizeof *blen);
	SQLUSMALLINT *status = calloc((size_t)n, sizeof *status);
	SQLULEN done = 0;
	if (!id || !a || !b || !blen || !status)
		exit(1);
	for (int i = 0; i < n; i++) {
		id[i] = first + i;
		a[i] = id[i] * 0.5;
		snprintf(b[i], sizeof b[i], "row-%d", first + i);
		blen[i] = SQL_NTS;
	}
	OK(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st), SQL_HANDLE_DBC, dbc, "alloc");
	OK(SQLPrepare(st, (SQLCHAR *)"INSERT INTO t (id, a, b) VALUES (?, ?, ?)", SQL_NTS),
	   SQL_HANDLE_STMT, st, "prepare");
	SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)(SQLULEN)n, 0);
	SQLSetStmtAttr(st, SQL_ATTR_PARAM_STATUS_PTR, status, 0);
	SQLSetStmtAttr(st, SQL_ATTR_PARAMS_PROCESSED_PTR, &done, 0);
	SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, id, 0, NULL);
	SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_DOUBLE, SQL_DOUBLE, 0, 0, a, 0, NULL);
	SQLBindParameter(st, 3, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 31, 0, b, sizeof b[0], blen);
	double t0 = now_s();
	OK(SQLExecute(st), SQL_HANDLE_STMT, st, "execute array");
	OK(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), SQL_HANDLE_DBC, dbc, "commit");
	double dt = now_s() - t0;
	if (done != (SQLULEN)n) {
		fprintf(stderr, "bench_odbc: %lu of %d parameter sets processed\n",
			(unsigned long)done, n);
		exit(1);
	}
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	free(id), free(a), free(b), free(blen), free(status);
	return dt / n;
}

#define ROWSET 1000

/* Streams SELECT id, a, b FROM t with a bound rowset; returns seconds. */
static double bench_fetch_odbc(SQLHDBC dbc, long expect)
{
	SQLHSTMT st;
	static SQLBIGINT id[ROWSET];
	static double a[ROWSET];
	static char b[ROWSET][32];
	static SQLLEN ind[3][ROWSET];
	SQLULEN fetched = 0;
	long rows = 0;
	long long sum = 0;
	OK(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st), SQL_HANDLE_DBC, dbc, "alloc");
	SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)ROWSET, 0);
	SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
	double t0 = now_s();
	OK(SQLExecDirect(st, (SQLCHAR *)"SELECT id, a, b FROM t", SQL_NTS), SQL_HANDLE_STMT, st,
	   "select");
	SQLBindCol(st, 1, SQL_C_SBIGINT, id, 0, ind[0]);
	SQLBindCol(st, 2, SQL_C_DOUBLE, a, 0, ind[1]);
	SQLBindCol(st, 3, SQL_C_CHAR, b, sizeof b[0], ind[2]);
	SQLRETURN rc;
	while ((rc = SQLFetch(st)) != SQL_NO_DATA) {
		OK(rc, SQL_HANDLE_STMT, st, "fetch");
		for (SQLULEN i = 0; i < fetched; i++)
			sum += id[i];
		rows += (long)fetched;
	}
	double dt = now_s() - t0;
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	if (rows != expect || sum != (long long)expect * (expect + 1) / 2) {
		fprintf(stderr, "bench_odbc: fetched %ld rows (sum %lld), expected %ld\n", rows,
			sum, expect);
		exit(1);
	}
	return dt;
}

/* Streams the same result with SQLFetch and one SQLGetData per cell (the
 * same C types as bench_fetch_odbc binds); returns seconds. */
static double bench_fetch_getdata(SQLHDBC dbc, long expect)
{
	SQLHSTMT st;
	SQLBIGINT id;
	double a;
	char b[32];
	SQLLEN ind;
	long rows = 0;
	long long sum = 0;
	SQLRETURN rc;
	OK(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st), SQL_HANDLE_DBC, dbc, "alloc");
	double t0 = now_s();
	OK(SQLExecDirect(st, (SQLCHAR *)"SELECT id, a, b FROM t", SQL_NTS), SQL_HANDLE_STMT, st,
	   "select");
	while ((rc = SQLFetch(st)) != SQL_NO_DATA) {
		OK(rc, SQL_HANDLE_STMT, st, "fetch");
		OK(SQLGetData(st, 1, SQL_C_SBIGINT, &id, 0, &ind), SQL_HANDLE_STMT, st, "getdata");
		OK(SQLGetData(st, 2, SQL_C_DOUBLE, &a, 0, &ind), SQL_HANDLE_STMT, st, "getdata");
		OK(SQLGetData(st, 3, SQL_C_CHAR, b, sizeof b, &ind), SQL_HANDLE_STMT, st, "getdata");
		sum += id;
		rows++;
	}
	double dt = now_s() - t0;
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	if (rows != expect || sum != (long long)expect * (expect + 1) / 2) {
		fprintf(stderr, "bench_odbc: getdata read %ld rows (sum %lld), expected %ld\n", rows,
			sum, expect);
		exit(1);
	}
	return dt;
}

static double bench_fetch_engine(dqc_conn *c, long expect)
{
	dqc_rows *r;
	const dqc_value *cells;
	long rows = 0;
	double t0 = now_s();
	if (dqc_query_sql(c, "SELECT id, a, b FROM t", NULL, 0, &r) != 0) {
		fprintf(stderr, "bench_odbc: engine select: %s\n", dqc_errmsg(c));
		exit(1);
	}
	int rc;
	while ((rc = dqc_rows_next(r, &cells)) == 1)
		rows++;
	dqc_rows_close(r);
	double dt = now_s() - t0;
	if (rc != 0 || rows != expect) {
		fprintf(stderr, "bench_odbc: engine streamed %ld rows (rc %d)\n", rows, rc);
		exit(1);
	}
	return dt;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	int n_serial = 5000;
	if (n < 2 * n_serial)
		n = 2 * n_serial;
	dqt_cluster cl;
	if (dqt_cluster_start(&cl, 1) != 0 || dqt_odbc_setup(&cl, "bench") != 0)
		return 1;

	SQLHENV env;
	SQLHDBC dbc;
	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
	SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
	SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
	OK(SQLDriverConnect(dbc, NULL, (SQLCHAR *)"DSN=dqtest", SQL_NTS, NULL, 0, NULL,
			    SQL_DRIVER_NOPROMPT),
	   SQL_HANDLE_DBC, dbc, "connect");
	/* managed: the driver begins, SQLEndTran ends (docs/transactions.md) */
	OK(SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0),
	   SQL_HANDLE_DBC, dbc, "autocommit off");
	dqc_conn *eng = dqt_connect(&cl, 0);
	if (!eng || dqc_open(eng, "bench") != 0)
		return 1;

	exec(dbc, "CREATE TABLE t (id INTEGER PRIMARY KEY, a REAL, b TEXT)");
	OK(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), SQL_HANDLE_DBC, dbc, "commit");

	printf("dqlite-odbc benchmark: 1 node on 127.0.0.1, %ld rows\n\n", n);
	double s_odbc = bench_select1_odbc(dbc, 2000);
	double s_eng = bench_select1_engine(eng, 2000);
	printf("SELECT 1 round trip      odbc %8.1f us   engine %8.1f us   odbc/engine %.2f\n",
	       s_odbc * 1e6, s_eng * 1e6, s_odbc / s_eng);

	double ins_serial = bench_insert_serial(dbc, 1, n_serial);
	double ins_array = bench_insert_array(dbc, n_serial + 1, (int)n - n_serial);
	printf("INSERT per row (in tx)   serial %6.1f us   param array %6.1f us   speed-up %.2fx\n",
	       ins_serial * 1e6, ins_array * 1e6, ins_serial / ins_array);

	double f_eng = bench_fetch_engine(eng, n);
	double f_odbc = bench_fetch_odbc(dbc, n);
	printf("stream %ld rows        odbc %8.0f rows/s   engine %8.0f rows/s   odbc/engine %.2f\n",
	       n, n / f_odbc, n / f_eng, f_eng / f_odbc);
	double f_block = 1e30, f_cell = 1e30;
	for (int k = 0; k < 3; k++) {
		double x = bench_fetch_odbc(dbc, n), y = bench_fetch_getdata(dbc, n);
		f_block = x < f_block ? x : f_block;
		f_cell = y < f_cell ? y : f_cell;
	}
	OK(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), SQL_HANDLE_DBC, dbc, "rollback");
	printf("read %ld rows (best of 3)  block cursor %8.0f rows/s   SQLGetData per cell %8.0f rows/s   "
	       "block/per-cell %.2f\n",
	       n, n / f_block, n / f_cell, f_cell / f_block);

	dqc_conn_free(eng);
	SQLDisconnect(dbc);
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
	dqt_cluster_stop(&cl);
	return 0;
}
