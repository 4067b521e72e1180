/*
 * Helpers shared by the transaction suites (test_transactions.c,
 * test_cluster_tx.c): a statement's whole outcome (return code, first
 * diagnostic, time taken) without asserting, so the tests can assert
 * exactly what the contract promises and worker threads can record it.
 */
#ifndef TX_UTIL_H
#define TX_UTIL_H

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "odbc_util.h"

static inline double tx_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static inline void tx_sleep_ms(unsigned ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

typedef struct tx_outcome {
	SQLRETURN rc;
	char state[6];     /* first record's SQLSTATE, "" when none */
	char msg[1024];    /* first record's message */
	int n_diag;        /* records posted */
	long native;       /* first record's native error (the server's code) */
	double ms;         /* time the call took */
} tx_outcome;

/* Reads the first diagnostic record of h into o (thread-safe: no statics). */
static inline void tx_diag(SQLSMALLINT type, SQLHANDLE h, tx_outcome *o)
{
	SQLINTEGER native = 0, n = 0;
	SQLSMALLINT len = 0;
	o->state[0] = '\0';
	o->msg[0] = '\0';
	o->n_diag = 0;
	o->native = 0;
	if (SQLGetDiagField(type, h, 0, SQL_DIAG_NUMBER, &n, 0, NULL) == SQL_SUCCESS)
		o->n_diag = (int)n;
	if (SQLGetDiagRec(type, h, 1, (SQLCHAR *)o->state, &native, (SQLCHAR *)o->msg,
			  sizeof o->msg, &len) != SQL_SUCCESS) {
		o->state[0] = '\0';
		o->msg[0] = '\0';
		return;
	}
	o->native = (long)native;
}

/* Clears *o and allocates a statement of dbc into *st: 1, or 0 with the
 * failure (SQL_ERROR and the connection's diagnostic) in *o. */
static inline int tx_new_stmt(SQLHDBC dbc, SQLHSTMT *st, tx_outcome *o)
{
	memset(o, 0, sizeof *o);
	*st = SQL_NULL_HSTMT;
	if (SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, st)))
		return 1;
	o->rc = SQL_ERROR;
	tx_diag(SQL_HANDLE_DBC, dbc, o);
	return 0;
}

/* Runs sql on a fresh statement of dbc; a result, if any, is discarded. */
static inline tx_outcome tx_exec(SQLHDBC dbc, const char *sql)
{
	tx_outcome o;
	SQLHSTMT st;
	double t0;
	if (!tx_new_stmt(dbc, &st, &o))
		return o;
	t0 = tx_now_ms();
	o.rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
	o.ms = tx_now_ms() - t0;
	tx_diag(SQL_HANDLE_STMT, st, &o);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	return o;
}

/* Runs a one-value query; *value gets the first column of the first row
 * (as a 64-bit integer, -1 when NULL). The outcome is the first failing
 * call's (SQLExecDirect, SQLFetch or SQLGetData); SQL_NO_DATA when there
 * was no row. */
static inline tx_outcome tx_query(SQLHDBC dbc, const char *sql, long long *value)
{
	tx_outcome o;
	SQLHSTMT st;
	SQLBIGINT v = -1;
	SQLLEN ind = 0;
	double t0;
	*value = -1;
	if (!tx_new_stmt(dbc, &st, &o))
		return o;
	t0 = tx_now_ms();
	o.rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
	if (SQL_SUCCEEDED(o.rc))
		o.rc = SQLFetch(st);
	if (SQL_SUCCEEDED(o.rc))
		o.rc = SQLGetData(st, 1, SQL_C_SBIGINT, &v, 0, &ind);
	o.ms = tx_now_ms() - t0;
	tx_diag(SQL_HANDLE_STMT, st, &o);
	if (SQL_SUCCEEDED(o.rc))
		*value = ind == SQL_NULL_DATA ? -1 : (long long)v;
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	return o;
}

/* SQLEndTran on dbc, with its outcome. */
static inline tx_outcome tx_end(SQLHDBC dbc, SQLSMALLINT completion)
{
	tx_outcome o;
	double t0 = tx_now_ms();
	memset(&o, 0, sizeof o);
	o.rc = SQLEndTran(SQL_HANDLE_DBC, dbc, completion);
	o.ms = tx_now_ms() - t0;
	tx_diag(SQL_HANDLE_DBC, dbc, &o);
	return o;
}

/* SQLDisconnect with its outcome. */
static inline tx_outcome tx_disconnect(SQLHDBC dbc)
{
	tx_outcome o;
	double t0 = tx_now_ms();
	memset(&o, 0, sizeof o);
	o.rc = SQLDisconnect(dbc);
	o.ms = tx_now_ms() - t0;
	tx_diag(SQL_HANDLE_DBC, dbc, &o);
	return o;
}

/* SQLSetConnectAttr(SQL_ATTR_AUTOCOMMIT, v) with its outcome. */
static inline tx_outcome tx_autocommit(SQLHDBC dbc, SQLULEN v)
{
	tx_outcome o;
	memset(&o, 0, sizeof o);
	o.rc = SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)v, 0);
	tx_diag(SQL_HANDLE_DBC, dbc, &o);
	return o;
}

/* Assertions on an outcome (test thread only). */
#define TX_OK(o)                                                                \
	cr_assert((o).rc == SQL_SUCCESS, "expected SQL_SUCCESS, got rc %d %s: %s", \
		  (int)(o).rc, (o).state, (o).msg)
#define TX_FAILS(o, st, needle)                                                  \
	do {                                                                     \
		cr_assert_eq((o).rc, SQL_ERROR, "expected SQL_ERROR %s, got rc %d %s: %s", \
			     st, (int)(o).rc, (o).state, (o).msg);                     \
		cr_assert_str_eq((o).state, st, "%s: %s", (o).state, (o).msg);  \
		cr_assert(strstr((o).msg, needle) != NULL,                      \
			  "message lacks \"%s\": %s", needle, (o).msg);           \
	} while (0)

#endif
