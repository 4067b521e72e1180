/*
 * Helpers for the ODBC tests: everything goes through unixODBC's driver
 * manager (libodbc), which loads the freshly built libdqliteodbc.so from the
 * temporary odbcinst.ini written by dqt_odbc_setup().
 */
#ifndef ODBC_UTIL_H
#define ODBC_UTIL_H

#include <criterion/criterion.h>
#include <sql.h>
#include <sqlext.h>

#include "odbc_compat.h" /* ODBC 3.8 names iODBC lacks (driver/) */
#include <stdio.h>
#include <string.h>

#include "dqtest.h"

/*
 * Built for iODBC (the iodbc_* tests, DQT_IODBC_BUILD): SQLWCHAR is
 * wchar_t (UTF-32) and Debian 12's libiodbc2 (3.52.9) differs from
 * unixODBC where the driver manager itself converts or decides
 * (docs/iodbc.md). DQT_ANSI_ROOM: that iODBC passes an ANSI call's
 * BufferLength, a count of characters, on to the driver's W function, where
 * ODBC counts bytes: the driver sees a quarter of the room, so ANSI string
 * buffers of SQLGetDiagField get four times the room under iODBC.
 */
#ifdef DQT_IODBC_BUILD
#define DQT_ANSI_ROOM 4
#else
#define DQT_ANSI_ROOM 1
#endif

/* Text of the first diagnostic record ("STATE: message"). */
static inline const char *diag(SQLSMALLINT type, SQLHANDLE h)
{
	static char buf[1200];
	SQLCHAR state[6] = "", msg[1024] = "";
	SQLINTEGER native = 0;
	SQLSMALLINT len;
	if (SQLGetDiagRec(type, h, 1, state, &native, msg, sizeof msg, &len) != SQL_SUCCESS)
		return "(no diagnostic)";
	snprintf(buf, sizeof buf, "%s: %s", state, msg);
	return buf;
}

static inline const char *sqlstate(SQLSMALLINT type, SQLHANDLE h)
{
	static char st[6];
	SQLINTEGER native;
	SQLSMALLINT len;
	SQLCHAR msg[8];
	st[0] = '\0';
	SQLGetDiagRec(type, h, 1, (SQLCHAR *)st, &native, msg, sizeof msg, &len);
	return st;
}

#define OKH(rc, type, h) cr_assert(SQL_SUCCEEDED(rc), "%s", diag(type, h))
#define OKS(rc, st) OKH(rc, SQL_HANDLE_STMT, st)
#define OKC(rc, dbc) OKH(rc, SQL_HANDLE_DBC, dbc)

/* An unmanaged connection (docs/transactions.md): SQL_ATTR_AUTOCOMMIT is
 * never set, as by a client that keeps ODBC's default (isql, LibreOffice):
 * no implicit BEGIN, reads run, writes need the application's own BEGIN. */
static inline SQLHDBC odbc_connect_unmanaged(SQLHENV *env, const char *extra)
{
	SQLHDBC dbc;
	char cs[512];
	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, env);
	SQLSetEnvAttr(*env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
	SQLAllocHandle(SQL_HANDLE_DBC, *env, &dbc);
	snprintf(cs, sizeof cs, "DSN=dqtest;%s", extra ? extra : "");
	OKC(SQLDriverConnect(dbc, NULL, (SQLCHAR *)cs, SQL_NTS, NULL, 0, NULL,
			     SQL_DRIVER_NOPROMPT), dbc);
	return dbc;
}

static inline SQLHDBC odbc_connect(SQLHENV *env, const char *extra)
{
	SQLHDBC dbc = odbc_connect_unmanaged(env, extra);
	/* managed: the driver begins transactions, SQLEndTran ends them
	 * (docs/transactions.md); tests of the unmanaged mode use
	 * odbc_connect_unmanaged */
	OKC(SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0),
	    dbc);
	return dbc;
}

static inline void odbc_close(SQLHENV env, SQLHDBC dbc)
{
	SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK);
	cr_assert_eq(SQLDisconnect(dbc), SQL_SUCCESS, "%s", diag(SQL_HANDLE_DBC, dbc));
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
}

/* Runs sql, which must succeed (a write that touches no row, SQL_NO_DATA
 * in ODBC 3, counts: setup code empties tables that may be empty). */
static inline void exec_ok(SQLHDBC dbc, const char *sql)
{
	SQLHSTMT st;
	SQLRETURN rc;
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
	cr_assert(SQL_SUCCEEDED(rc) || rc == SQL_NO_DATA, "%s: %s", sql,
		  diag(SQL_HANDLE_STMT, st));
	SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static inline long long query_int(SQLHDBC dbc, const char *sql)
{
	SQLHSTMT st;
	SQLBIGINT v = -1;
	SQLLEN ind;
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	OKS(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS), st);
	OKS(SQLFetch(st), st);
	OKS(SQLGetData(st, 1, SQL_C_SBIGINT, &v, 0, &ind), st);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	return v;
}

/* The usual suite fixture: one fresh node, a private odbc.ini naming
 * database `db`, a connection and a statement on it. */
typedef struct odbc_fixture {
	dqt_cluster cl;
	SQLHENV env;
	SQLHDBC dbc;
	SQLHSTMT st;
} odbc_fixture;

static inline void odbc_fixture_up(odbc_fixture *f, const char *db)
{
	cr_assert_eq(dqt_cluster_start(&f->cl, 1), 0);
	cr_assert_eq(dqt_odbc_setup(&f->cl, db), 0);
	f->dbc = odbc_connect(&f->env, NULL);
	SQLAllocHandle(SQL_HANDLE_STMT, f->dbc, &f->st);
}

static inline void odbc_fixture_down(odbc_fixture *f)
{
	SQLFreeHandle(SQL_HANDLE_STMT, f->st);
	odbc_close(f->env, f->dbc);
	dqt_cluster_stop(&f->cl);
}

#endif
