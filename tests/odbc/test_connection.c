/*
 * Connecting, attributes, transactions, information and diagnostics through
 * unixODBC's driver manager against a real dqlite node.
 */
#include <dlfcn.h>
#include <stdlib.h>

#include "odbc_util.h"
#include <sqlucode.h>

static dqt_cluster cl;

static void setup(void)
{
	cr_assert_eq(dqt_cluster_start(&cl, 1), 0);
	cr_assert_eq(dqt_odbc_setup(&cl, "conn"), 0);
}

static void teardown(void)
{
	dqt_cluster_stop(&cl);
}

TestSuite(connection, .init = setup, .fini = teardown, .timeout = 120);

Test(connection, dsn_connect_and_connection_string_out)
{
	SQLHENV env;
	SQLHDBC dbc;
	SQLCHAR out[512];
	SQLSMALLINT outlen;
	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
	SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
	SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
	OKC(SQLConnect(dbc, (SQLCHAR *)"dqtest", SQL_NTS, NULL, 0, NULL, 0), dbc);
	OKC(SQLDisconnect(dbc), dbc);
	OKC(SQLDriverConnect(dbc, NULL, (SQLCHAR *)"DSN=dqtest;Timeout=30", SQL_NTS, out,
			     sizeof out, &outlen, SQL_DRIVER_NOPROMPT), dbc);
	cr_assert(strstr((char *)out, "DSN=dqtest"), "%s", out);
	cr_assert(strstr((char *)out, "Timeout=30"), "%s", out);
	cr_assert(strstr((char *)out, cl.nodes[0].address), "%s", out);
	cr_assert_eq(outlen, (SQLSMALLINT)strlen((char *)out));
	OKC(SQLDisconnect(dbc), dbc);
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
}

Test(connection, wide_connect)
{
	SQLHENV env;
	SQLHDBC dbc;
	SQLWCHAR in[64], out[256];
	SQLSMALLINT outlen;
	const char *s = "DSN=dqtest;Database=wide";
	size_t i;
	for (i = 0; s[i]; i++)
		in[i] = (SQLWCHAR)s[i];
	in[i] = 0;
	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
	SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
	SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
	OKC(SQLDriverConnectW(dbc, NULL, in, SQL_NTS, out, 256, &outlen,
			      SQL_DRIVER_NOPROMPT), dbc);
	cr_assert_gt(outlen, 10);
	cr_assert_eq(query_int(dbc, "SELECT 7"), 7);
	odbc_close(env, dbc);
}

static void expect_connect_error(const char *cs, const char *state, const char *needle)
{
	SQLHENV env;
	SQLHDBC dbc;
	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
	SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
	SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
	cr_assert_eq(SQLDriverConnect(dbc, NULL, (SQLCHAR *)cs, SQL_NTS, NULL, 0, NULL,
				      SQL_DRIVER_NOPROMPT), SQL_ERROR, "%s connected", cs);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_DBC, dbc), state, "%s", diag(SQL_HANDLE_DBC, dbc));
	cr_assert(strstr(diag(SQL_HANDLE_DBC, dbc), needle), "%s", diag(SQL_HANDLE_DBC, dbc));
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
}

Test(connection, bad_keywords_values_and_servers_are_clear_errors)
{
	expect_connect_error("DSN=dqtest;Sever=x", "HY000", "unknown keyword 'Sever'");
	expect_connect_error("DSN=dqtest;Sever=x", "HY000", "known keywords: Server");
	expect_connect_error("DSN=dqtest;Port=99999", "HY000", "'Port'");
	expect_connect_error("DSN=dqtest;MaxTotalRows=abc", "HY000", "MaxTotalRows");
	expect_connect_error("Driver=dqlite-test;Server=127.0.0.1:1;LoginTimeout=2", "08001",
			     "127.0.0.1:1");
}

Test(connection, autocommit_reads_off_and_turning_it_on_is_01S02)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, NULL);
	SQLUINTEGER ac = 99;
	OKC(SQLGetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, &ac, 0, NULL), dbc);
	cr_assert_eq(ac, SQL_AUTOCOMMIT_OFF);
	OKC(SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0), dbc);
	/* refused the standard way for an unsupported value: success with
	 * information, the value unchanged, advice in the message */
	cr_assert_eq(SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0),
		     SQL_SUCCESS_WITH_INFO);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_DBC, dbc), "01S02");
	cr_assert(strstr(diag(SQL_HANDLE_DBC, dbc), "SQLEndTran"), "%s", diag(SQL_HANDLE_DBC, dbc));
	ac = 99;
	OKC(SQLGetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, &ac, 0, NULL), dbc);
	cr_assert_eq(ac, SQL_AUTOCOMMIT_OFF);
	cr_assert_eq(SQLSetConnectAttr(dbc, SQL_ATTR_TXN_ISOLATION,
				       (SQLPOINTER)SQL_TXN_READ_COMMITTED, 0), SQL_ERROR);
	odbc_close(env, dbc);
}

Test(connection, implicit_transaction_commit_and_rollback)
{
	SQLHENV env, env2;
	SQLHDBC a = odbc_connect(&env, NULL), b;
	exec_ok(a, "CREATE TABLE tx (i INTEGER)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, a, SQL_COMMIT), a);
	exec_ok(a, "INSERT INTO tx VALUES (1)");
	b = odbc_connect(&env2, NULL);
	cr_assert_eq(query_int(b, "SELECT count(*) FROM tx"), 0, "uncommitted is invisible");
	OKC(SQLEndTran(SQL_HANDLE_DBC, b, SQL_ROLLBACK), b);
	OKC(SQLEndTran(SQL_HANDLE_DBC, a, SQL_ROLLBACK), a);
	exec_ok(a, "INSERT INTO tx VALUES (2)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, a, SQL_COMMIT), a);
	cr_assert_eq(query_int(b, "SELECT sum(i) FROM tx"), 2);
	/* nothing open: SQLEndTran is free and succeeds */
	OKC(SQLEndTran(SQL_HANDLE_DBC, b, SQL_ROLLBACK), b);
	OKC(SQLEndTran(SQL_HANDLE_DBC, b, SQL_COMMIT), b);
	odbc_close(env2, b);
	odbc_close(env, a);
}

Test(connection, raw_begin_fails_with_25000_and_raw_commit_keeps_state)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, NULL);
	SQLHSTMT st;
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	cr_assert_eq(SQLExecDirect(st, (SQLCHAR *)"BEGIN", SQL_NTS), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "25000");
	cr_assert(strstr(diag(SQL_HANDLE_STMT, st),
			 "cannot start a transaction within a transaction"));
	exec_ok(dbc, "CREATE TABLE raw (i INTEGER)");
	exec_ok(dbc, "INSERT INTO raw VALUES (1)");
	exec_ok(dbc, "COMMIT");
	/* the tracker knows nothing is open: disconnect is allowed */
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	OKC(SQLDisconnect(dbc), dbc);
	OKC(SQLDriverConnect(dbc, NULL, (SQLCHAR *)"DSN=dqtest", SQL_NTS, NULL, 0, NULL,
			     SQL_DRIVER_NOPROMPT), dbc);
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM raw"), 1);
	odbc_close(env, dbc);
}

Test(connection, disconnect_with_uncommitted_writes_is_refused)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, NULL);
	exec_ok(dbc, "CREATE TABLE keep (i INTEGER)");
	exec_ok(dbc, "INSERT INTO keep VALUES (42)");
	cr_assert_eq(SQLDisconnect(dbc), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_DBC, dbc), "25000");
	cr_assert(strstr(diag(SQL_HANDLE_DBC, dbc), "SQLEndTran"));
	/* still connected, nothing lost */
	cr_assert_eq(query_int(dbc, "SELECT i FROM keep"), 42);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	/* reads only: disconnect rolls back and succeeds */
	cr_assert_eq(query_int(dbc, "SELECT i FROM keep"), 42);
	OKC(SQLDisconnect(dbc), dbc);
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
}

Test(connection, savepoints_are_tracked_for_pool_reset)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, NULL);
	exec_ok(dbc, "CREATE TABLE sp (i INTEGER)");
	exec_ok(dbc, "SAVEPOINT sp_1");
	exec_ok(dbc, "INSERT INTO sp VALUES (1)");
	exec_ok(dbc, "ROLLBACK TO sp_1");
	exec_ok(dbc, "RELEASE SAVEPOINT sp_1");
	exec_ok(dbc, "SAVEPOINT \"quoted name\"");
	exec_ok(dbc, "RELEASE \"quoted name\"");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	/* an untracked name was seen: a reset still rolls back safely */
	OKC(SQLSetConnectAttr(dbc, SQL_ATTR_RESET_CONNECTION,
			      (SQLPOINTER)SQL_RESET_CONNECTION_YES, 0), dbc);
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM sp"), 0);
	odbc_close(env, dbc);
}

Test(connection, getinfo_answers_truthfully)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, NULL);
	SQLCHAR s[128];
	SQLSMALLINT len;
	SQLUSMALLINT u16;
	SQLUINTEGER u32;
	OKC(SQLGetInfo(dbc, SQL_DBMS_NAME, s, sizeof s, &len), dbc);
	cr_assert_str_eq((char *)s, "dqlite");
	OKC(SQLGetInfo(dbc, SQL_DBMS_VER, s, sizeof s, &len), dbc);
	cr_assert_str_eq((char *)s, "03.40.0001", "Debian 12's SQLite 3.40.1 as ##.##.####");
	OKC(SQLGetInfo(dbc, SQL_IDENTIFIER_QUOTE_CHAR, s, sizeof s, &len), dbc);
	cr_assert_str_eq((char *)s, "\"");
	OKC(SQLGetInfo(dbc, SQL_TXN_CAPABLE, &u16, 0, NULL), dbc);
	cr_assert_eq(u16, SQL_TC_ALL);
	OKC(SQLGetInfo(dbc, SQL_DEFAULT_TXN_ISOLATION, &u32, 0, NULL), dbc);
	cr_assert_eq(u32, SQL_TXN_SERIALIZABLE);
	OKC(SQLGetInfo(dbc, SQL_CURSOR_COMMIT_BEHAVIOR, &u16, 0, NULL), dbc);
	cr_assert_eq(u16, SQL_CB_CLOSE); /* behaviour: test_robustness.c */
	OKC(SQLGetInfo(dbc, SQL_DRIVER_ODBC_VER, s, sizeof s, &len), dbc);
	cr_assert_str_eq((char *)s, "03.51");
	cr_assert_eq(SQLGetInfo(dbc, 31999, s, sizeof s, &len), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_DBC, dbc), "HY096");
	/* truncation */
	cr_assert_eq(SQLGetInfo(dbc, SQL_DBMS_NAME, s, 3, &len), SQL_SUCCESS_WITH_INFO);
#ifdef DQT_IODBC_BUILD
	/* iODBC converts the driver's wide answer itself and reports the
	 * length of what it converted, not the whole length (docs/iodbc.md) */
	cr_assert_eq(len, 2);
#else
	cr_assert_eq(len, 6);
#endif
	cr_assert_str_eq((char *)s, "dq");
	odbc_close(env, dbc);
}

/* Every function SQLGetFunctions reports is exported, and vice versa. */
Test(connection, getfunctions_matches_the_exported_symbols)
{
	static const struct { SQLUSMALLINT id; const char *name; } fns[] = {
		{SQL_API_SQLALLOCHANDLE, "SQLAllocHandle"}, {SQL_API_SQLBINDCOL, "SQLBindCol"},
		{SQL_API_SQLBINDPARAMETER, "SQLBindParameter"}, {SQL_API_SQLCANCEL, "SQLCancel"},
		{SQL_API_SQLCLOSECURSOR, "SQLCloseCursor"}, {SQL_API_SQLCOLATTRIBUTE, "SQLColAttribute"},
		{SQL_API_SQLCONNECT, "SQLConnect"}, {SQL_API_SQLCOPYDESC, "SQLCopyDesc"},
		{SQL_API_SQLDESCRIBECOL, "SQLDescribeCol"}, {SQL_API_SQLDESCRIBEPARAM, "SQLDescribeParam"},
		{SQL_API_SQLDISCONNECT, "SQLDisconnect"}, {SQL_API_SQLDRIVERCONNECT, "SQLDriverConnect"},
		{SQL_API_SQLENDTRAN, "SQLEndTran"}, {SQL_API_SQLEXECDIRECT, "SQLExecDirect"},
		{SQL_API_SQLEXECUTE, "SQLExecute"}, {SQL_API_SQLFETCH, "SQLFetch"},
		{SQL_API_SQLFETCHSCROLL, "SQLFetchScroll"}, {SQL_API_SQLFREEHANDLE, "SQLFreeHandle"},
		{SQL_API_SQLFREESTMT, "SQLFreeStmt"}, {SQL_API_SQLGETCONNECTATTR, "SQLGetConnectAttr"},
		{SQL_API_SQLGETCURSORNAME, "SQLGetCursorName"}, {SQL_API_SQLGETDATA, "SQLGetData"},
		{SQL_API_SQLGETDESCFIELD, "SQLGetDescField"}, {SQL_API_SQLGETDESCREC, "SQLGetDescRec"},
		{SQL_API_SQLGETDIAGFIELD, "SQLGetDiagField"}, {SQL_API_SQLGETDIAGREC, "SQLGetDiagRec"},
		{SQL_API_SQLGETENVATTR, "SQLGetEnvAttr"}, {SQL_API_SQLGETFUNCTIONS, "SQLGetFunctions"},
		{SQL_API_SQLGETINFO, "SQLGetInfo"}, {SQL_API_SQLGETSTMTATTR, "SQLGetStmtAttr"},
		{SQL_API_SQLGETTYPEINFO, "SQLGetTypeInfo"}, {SQL_API_SQLMORERESULTS, "SQLMoreResults"},
		{SQL_API_SQLNATIVESQL, "SQLNativeSql"}, {SQL_API_SQLNUMPARAMS, "SQLNumParams"},
		{SQL_API_SQLNUMRESULTCOLS, "SQLNumResultCols"}, {SQL_API_SQLPARAMDATA, "SQLParamData"},
		{SQL_API_SQLPREPARE, "SQLPrepare"}, {SQL_API_SQLPUTDATA, "SQLPutData"},
		{SQL_API_SQLROWCOUNT, "SQLRowCount"}, {SQL_API_SQLSETCONNECTATTR, "SQLSetConnectAttr"},
		{SQL_API_SQLSETCURSORNAME, "SQLSetCursorName"}, {SQL_API_SQLSETDESCFIELD, "SQLSetDescField"},
		{SQL_API_SQLSETDESCREC, "SQLSetDescRec"}, {SQL_API_SQLSETENVATTR, "SQLSetEnvAttr"},
		{SQL_API_SQLSETSTMTATTR, "SQLSetStmtAttr"}, {SQL_API_SQLTABLES, "SQLTables"},
		{SQL_API_SQLCOLUMNS, "SQLColumns"}, {SQL_API_SQLPRIMARYKEYS, "SQLPrimaryKeys"},
		{SQL_API_SQLFOREIGNKEYS, "SQLForeignKeys"}, {SQL_API_SQLSTATISTICS, "SQLStatistics"},
		{SQL_API_SQLSPECIALCOLUMNS, "SQLSpecialColumns"}, {SQL_API_SQLPROCEDURES, "SQLProcedures"},
		{SQL_API_SQLBULKOPERATIONS, "SQLBulkOperations"}, {SQL_API_SQLSETPOS, "SQLSetPos"},
		{SQL_API_SQLEXTENDEDFETCH, "SQLExtendedFetch"},
	};
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, NULL);
	SQLUSMALLINT all[SQL_API_ODBC3_ALL_FUNCTIONS_SIZE];
	void *so = dlopen(dqt_driver_path(), RTLD_NOW | RTLD_LOCAL);
	cr_assert_not_null(so, "%s", dlerror());
	/* ask the driver itself, not the driver manager's mapping */
	SQLRETURN (*getfn)(SQLHDBC, SQLUSMALLINT, SQLUSMALLINT *) =
		(SQLRETURN (*)(SQLHDBC, SQLUSMALLINT, SQLUSMALLINT *))dlsym(so, "SQLGetFunctions");
	SQLRETURN (*alloc)(SQLSMALLINT, SQLHANDLE, SQLHANDLE *) =
		(SQLRETURN (*)(SQLSMALLINT, SQLHANDLE, SQLHANDLE *))dlsym(so, "SQLAllocHandle");
	SQLHENV denv;
	SQLHDBC ddbc;
	cr_assert(getfn && alloc);
	alloc(SQL_HANDLE_ENV, NULL, &denv);
	alloc(SQL_HANDLE_DBC, denv, &ddbc);
	cr_assert_eq(getfn(ddbc, SQL_API_ODBC3_ALL_FUNCTIONS, all), SQL_SUCCESS);
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		int said = SQL_FUNC_EXISTS(all, fns[i].id);
		int there = dlsym(so, fns[i].name) != NULL;
		cr_assert_eq(said, there, "%s: SQLGetFunctions says %d, exported %d",
			     fns[i].name, said, there);
	}
	SQLRETURN (*freeh)(SQLSMALLINT, SQLHANDLE) =
		(SQLRETURN (*)(SQLSMALLINT, SQLHANDLE))dlsym(so, "SQLFreeHandle");
	freeh(SQL_HANDLE_DBC, ddbc);
	freeh(SQL_HANDLE_ENV, denv);
	dlclose(so);
	odbc_close(env, dbc);
}

Test(connection, connection_dead_is_truthful_and_the_link_recovers)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, "LoginTimeout=2;Timeout=3");
	SQLUINTEGER dead = 99;
	SQLHSTMT st;
	OKC(SQLGetConnectAttr(dbc, SQL_ATTR_CONNECTION_DEAD, &dead, 0, NULL), dbc);
	cr_assert_eq(dead, SQL_CD_FALSE);
	cr_assert_eq(dqt_node_kill(&cl, 0), 0);
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	/* the only node is gone: the driver rides out the loss (nothing is at
	 * stake) until the call's Timeout (before FailoverTimeout's 15 s),
	 * then says its time ran out looking for a leader (docs/errors.md: a
	 * call timeout is HYT00) */
	uint64_t t0 = dqc_now_ms();
	cr_assert_eq(SQLExecDirect(st, (SQLCHAR *)"SELECT 1", SQL_NTS), SQL_ERROR);
	cr_assert_leq(dqc_now_ms() - t0, 3000 + 300 + 250, "bounded by Timeout=3");
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HYT00", "%s", diag(SQL_HANDLE_STMT, st));
	cr_assert(strstr(diag(SQL_HANDLE_STMT, st), "looking for a leader"), "%s",
		  diag(SQL_HANDLE_STMT, st));
	OKC(SQLGetConnectAttr(dbc, SQL_ATTR_CONNECTION_DEAD, &dead, 0, NULL), dbc);
	cr_assert_eq(dead, SQL_CD_TRUE);
	cr_assert_eq(dqt_node_restart(&cl, 0), 0);
	cr_assert_geq(dqt_cluster_leader(&cl, 10000), 0);
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT 1", SQL_NTS), st);
	OKC(SQLGetConnectAttr(dbc, SQL_ATTR_CONNECTION_DEAD, &dead, 0, NULL), dbc);
	cr_assert_eq(dead, SQL_CD_FALSE);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	odbc_close(env, dbc);
}

Test(connection, diag_fields)
{
	SQLHENV env;
	SQLHDBC dbc = odbc_connect(&env, NULL);
	SQLHSTMT st;
	SQLINTEGER n = 0, native = 0;
	SQLCHAR state[6 * DQT_ANSI_ROOM], msg[256];
	SQLSMALLINT len;
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	cr_assert_eq(SQLExecDirect(st, (SQLCHAR *)"SELECT * FROM nowhere", SQL_NTS), SQL_ERROR);
	OKS(SQLGetDiagField(SQL_HANDLE_STMT, st, 0, SQL_DIAG_NUMBER, &n, 0, NULL), st);
	cr_assert_eq(n, 1);
	OKS(SQLGetDiagField(SQL_HANDLE_STMT, st, 1, SQL_DIAG_SQLSTATE, state, sizeof state, &len), st);
	cr_assert_str_eq((char *)state, "42S02");
	OKS(SQLGetDiagField(SQL_HANDLE_STMT, st, 1, SQL_DIAG_NATIVE, &native, 0, NULL), st);
	cr_assert_eq(native, 1, "SQLite's SQLITE_ERROR code is the native error");
	OKS(SQLGetDiagField(SQL_HANDLE_STMT, st, 1, SQL_DIAG_MESSAGE_TEXT, msg, sizeof msg, &len), st);
	cr_assert(strstr((char *)msg, "no such table: nowhere"), "%s", msg);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	odbc_close(env, dbc);
}
