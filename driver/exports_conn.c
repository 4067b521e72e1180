/*
 * exports_conn.c -- ODBC entry points for handles, environments,
 * connections, transactions, information and diagnostics.
 *
 * Each one validates the handle, takes the connection's lock, clears the
 * handle's diagnostics, brackets the call for the session (its deadline and
 * cancel scope), converts UTF-16 arguments, and calls one internal
 * function. Nothing else lives here.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "unicode.h"

/* ------------------------------------------------------------ entry glue */

static dq_dbc *enter_dbc(SQLHDBC h)
{
	dq_dbc *dbc = h;
	if (!dq_valid(dbc, DQ_HDBC))
		return NULL;
	pthread_mutex_lock(&dbc->lock);
	dq_diag_clear(&dbc->h.diag);
	dq_sess_call_begin(&dbc->sess, dbc, dq_dbc_timeout(dbc));
	return dbc;
}

static SQLRETURN leave_dbc(dq_dbc *dbc, SQLRETURN rc)
{
	dq_sess_call_end(&dbc->sess);
	dbc->h.diag.rc = rc;
	pthread_mutex_unlock(&dbc->lock);
	return rc;
}

static dq_env *enter_env(SQLHENV h)
{
	dq_env *env = h;
	if (!dq_valid(env, DQ_HENV))
		return NULL;
	pthread_mutex_lock(&env->lock);
	dq_diag_clear(&env->h.diag);
	return env;
}

static SQLRETURN leave_env(dq_env *env, SQLRETURN rc)
{
	env->h.diag.rc = rc;
	pthread_mutex_unlock(&env->lock);
	return rc;
}

/* Converts a W / ANSI string argument; on failure posts the reason on h
 * and returns 0. */
static int wide_arg(dq_handle *h, const SQLWCHAR *s, SQLINTEGER len, char **out,
		    const char *what)
{
	int ok;
	*out = dq_utf16_to_utf8(s, len, &ok);
	if (ok != 1)
		dq_input_error(h, ok, what);
	return ok == 1;
}

static int narrow_arg(dq_handle *h, const SQLCHAR *s, SQLINTEGER len, char **out,
		      const char *what)
{
	int ok;
	*out = dq_str_dup_n(s, len, &ok);
	if (ok != 1)
		dq_input_error(h, ok, what);
	return ok == 1;
}

/* ------------------------------------------------------------- handles */

SQLRETURN SQL_API SQLAllocHandle(SQLSMALLINT type, SQLHANDLE in, SQLHANDLE *out)
{
	if (out == NULL)
		return SQL_ERROR;
	switch (type) {
	case SQL_HANDLE_ENV:
		*out = SQL_NULL_HANDLE;
		return dq_env_alloc((dq_env **)out);
	case SQL_HANDLE_DBC: {
		dq_env *env = enter_env(in);
		if (env == NULL)
			return SQL_INVALID_HANDLE;
		return leave_env(env, dq_dbc_alloc(env, (dq_dbc **)out));
	}
	case SQL_HANDLE_STMT: {
		DQ_ASYNC_GATE(in, 0);
		dq_dbc *dbc = enter_dbc(in);
		if (dbc == NULL)
			return SQL_INVALID_HANDLE;
		if (dbc->state != DQ_C_CONNECTED)
			return leave_dbc(dbc, dq_error(&dbc->h, "08003",
						       "the connection is not open"));
		return leave_dbc(dbc, dq_stmt_alloc(dbc, (dq_stmt **)out));
	}
	case SQL_HANDLE_DESC: {
		dq_dbc *dbc = enter_dbc(in);
		if (dbc == NULL)
			return SQL_INVALID_HANDLE;
		return leave_dbc(dbc, dq_desc_alloc(dbc, (dq_desc **)out));
	}
	default:
		return SQL_ERROR;
	}
}

SQLRETURN SQL_API SQLFreeHandle(SQLSMALLINT type, SQLHANDLE h)
{
	switch (type) {
	case SQL_HANDLE_ENV: {
		dq_env *env = h;
		if (!dq_valid(env, DQ_HENV))
			return SQL_INVALID_HANDLE;
		dq_diag_clear(&env->h.diag);
		return dq_env_free(env);
	}
	case SQL_HANDLE_DBC: {
		DQ_ASYNC_GATE(h, 0);
		dq_dbc *dbc = h;
		SQLRETURN rc;
		if (!dq_valid(dbc, DQ_HDBC))
			return SQL_INVALID_HANDLE;
		dq_diag_clear(&dbc->h.diag);
		rc = dq_dbc_free(dbc); /* frees the lock with the handle */
		return rc;
	}
	case SQL_HANDLE_STMT: {
		DQ_ASYNC_GATE(h, 0); /* no worker outlives its statement */
		dq_stmt *s = h;
		dq_dbc *dbc;
		if (!dq_valid(s, DQ_HSTMT))
			return SQL_INVALID_HANDLE;
		dbc = s->dbc;
		pthread_mutex_lock(&dbc->lock);
		dq_sess_call_begin(&dbc->sess, s, dq_stmt_timeout(s));
		dq_stmt_free(s);
		dq_sess_call_end(&dbc->sess);
		pthread_mutex_unlock(&dbc->lock);
		return SQL_SUCCESS;
	}
	case SQL_HANDLE_DESC: {
		dq_desc *d = h;
		dq_dbc *dbc;
		SQLRETURN rc;
		if (!dq_valid(d, DQ_HDESC))
			return SQL_INVALID_HANDLE;
		dbc = d->dbc;
		pthread_mutex_lock(&dbc->lock);
		dq_diag_clear(&d->h.diag);
		rc = dq_desc_free(d);
		pthread_mutex_unlock(&dbc->lock);
		return rc;
	}
	default:
		return SQL_ERROR;
	}
}

SQLRETURN SQL_API SQLSetEnvAttr(SQLHENV h, SQLINTEGER attr, SQLPOINTER value,
				SQLINTEGER len)
{
	dq_env *env = enter_env(h);
	(void)len;
	if (env == NULL)
		return SQL_INVALID_HANDLE;
	return leave_env(env, dq_env_set_attr(env, attr, value));
}

SQLRETURN SQL_API SQLGetEnvAttr(SQLHENV h, SQLINTEGER attr, SQLPOINTER value,
				SQLINTEGER buflen, SQLINTEGER *outlen)
{
	dq_env *env = enter_env(h);
	if (env == NULL)
		return SQL_INVALID_HANDLE;
	return leave_env(env, dq_env_get_attr(env, attr, value, buflen, outlen));
}

/* ---------------------------------------------------------- connecting */

SQLRETURN SQL_API SQLConnect(SQLHDBC h, SQLCHAR *dsn, SQLSMALLINT dsnlen,
			     SQLCHAR *uid, SQLSMALLINT uidlen, SQLCHAR *pwd,
			     SQLSMALLINT pwdlen)
{
	DQ_ASYNC_GATE(h, 0);
	dq_dbc *dbc = enter_dbc(h);
	char *d = NULL, *u = NULL, *p = NULL;
	SQLRETURN rc = SQL_ERROR;
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	if (narrow_arg(&dbc->h, dsn, dsnlen, &d, "data source name") &&
	    narrow_arg(&dbc->h, uid, uidlen, &u, "user name") &&
	    narrow_arg(&dbc->h, pwd, pwdlen, &p, "password"))
		rc = dq_connect_dsn(dbc, d, u, p);
	free(d), free(u), free(p);
	return leave_dbc(dbc, rc);
}

SQLRETURN SQL_API SQLConnectW(SQLHDBC h, SQLWCHAR *dsn, SQLSMALLINT dsnlen,
			      SQLWCHAR *uid, SQLSMALLINT uidlen, SQLWCHAR *pwd,
			      SQLSMALLINT pwdlen)
{
	DQ_ASYNC_GATE(h, 0);
	dq_dbc *dbc = enter_dbc(h);
	char *d = NULL, *u = NULL, *p = NULL;
	SQLRETURN rc = SQL_ERROR;
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	if (wide_arg(&dbc->h, dsn, dsnlen, &d, "data source name") &&
	    wide_arg(&dbc->h, uid, uidlen, &u, "user name") &&
	    wide_arg(&dbc->h, pwd, pwdlen, &p, "password"))
		rc = dq_connect_dsn(dbc, d, u, p);
	free(d), free(u), free(p);
	return leave_dbc(dbc, rc);
}

/* Shared by the A and W forms once the input is UTF-8. */
static SQLRETURN driver_connect(dq_dbc *dbc, const char *in, SQLUSMALLINT completion,
				char **out)
{
	if (completion != SQL_DRIVER_NOPROMPT && completion != SQL_DRIVER_COMPLETE &&
	    completion != SQL_DRIVER_PROMPT && completion != SQL_DRIVER_COMPLETE_REQUIRED)
		return dq_error(&dbc->h, "HY110", "invalid driver completion %u", completion);
	/* No dialogs: every completion mode connects with what it was given. */
	return dq_driver_connect(dbc, in, out);
}

SQLRETURN SQL_API SQLDriverConnect(SQLHDBC h, SQLHWND hwnd, SQLCHAR *in,
				   SQLSMALLINT inlen, SQLCHAR *out,
				   SQLSMALLINT outmax, SQLSMALLINT *outlen,
				   SQLUSMALLINT completion)
{
	DQ_ASYNC_GATE(h, 0);
	dq_dbc *dbc = enter_dbc(h);
	char *s = NULL, *full = NULL;
	SQLRETURN rc = SQL_ERROR;
	(void)hwnd;
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	if (narrow_arg(&dbc->h, in, inlen, &s, "connection string"))
		rc = driver_connect(dbc, s, completion, &full);
	if (SQL_SUCCEEDED(rc) &&
	    dq_out_a_small(full ? full : "", out, outmax, outlen) == SQL_SUCCESS_WITH_INFO &&
	    out) {
		dq_diag_push(&dbc->h, "01004", 0, "output connection string truncated");
		rc = SQL_SUCCESS_WITH_INFO;
	}
	free(s), free(full);
	return leave_dbc(dbc, rc);
}

SQLRETURN SQL_API SQLDriverConnectW(SQLHDBC h, SQLHWND hwnd, SQLWCHAR *in,
				    SQLSMALLINT inlen, SQLWCHAR *out,
				    SQLSMALLINT outmax, SQLSMALLINT *outlen,
				    SQLUSMALLINT completion)
{
	DQ_ASYNC_GATE(h, 0);
	dq_dbc *dbc = enter_dbc(h);
	char *s = NULL, *full = NULL;
	SQLRETURN rc = SQL_ERROR;
	(void)hwnd;
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	if (wide_arg(&dbc->h, in, inlen, &s, "connection string"))
		rc = driver_connect(dbc, s, completion, &full);
	if (SQL_SUCCEEDED(rc) &&
	    dq_out_w_small(full ? full : "", out, outmax, outlen, 0) == SQL_SUCCESS_WITH_INFO &&
	    out) {
		dq_diag_push(&dbc->h, "01004", 0, "output connection string truncated");
		rc = SQL_SUCCESS_WITH_INFO;
	}
	free(s), free(full);
	return leave_dbc(dbc, rc);
}

/* SQLDisconnect and SQLEndTran may run asynchronously
 * (SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE, async.c); connecting never does:
 * unixODBC 2.3.11 takes SQL_STILL_EXECUTING from a driver's connect for a
 * failure and frees the driver's connection handle. */
static SQLRETURN run_disconnect(void *h, dq_job *j)
{
	(void)j;
	return dq_disconnect(h);
}

static SQLRETURN run_end_tran(void *h, dq_job *j)
{
	return dq_end_tran(h, (SQLSMALLINT)j->n[0]);
}

SQLRETURN SQL_API SQLDisconnect(SQLHDBC h)
{
	DQ_ASYNC_GATE(h, SQL_API_SQLDISCONNECT);
	if (dq_valid(h, DQ_HDBC) && ((dq_dbc *)h)->pool_configured)
		dq_async_cancel_running(h); /* the pool closing it */
	dq_dbc *dbc = enter_dbc(h);
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	dq_job j = {.run = run_disconnect};
	return leave_dbc(dbc, dbc->state == DQ_C_CONNECTED
				      ? dq_async_dbc_call(dbc, SQL_API_SQLDISCONNECT, &j)
				      : dq_disconnect(dbc));
}

SQLRETURN SQL_API SQLSetConnectAttr(SQLHDBC h, SQLINTEGER attr, SQLPOINTER value,
				    SQLINTEGER len)
{
	DQ_ASYNC_GATE(h, 0);
	if (attr == SQL_ATTR_RESET_CONNECTION && dq_valid(h, DQ_HDBC))
		dq_async_cancel_running(h); /* the pool's reset */
	dq_dbc *dbc = enter_dbc(h);
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	return leave_dbc(dbc, dq_set_connect_attr(dbc, attr, value, len));
}

SQLRETURN SQL_API SQLSetConnectAttrW(SQLHDBC h, SQLINTEGER attr, SQLPOINTER value,
				     SQLINTEGER len)
{
	DQ_ASYNC_GATE(h, 0);
	if (attr == SQL_ATTR_RESET_CONNECTION && dq_valid(h, DQ_HDBC))
		dq_async_cancel_running(h); /* the pool's reset */
	/* no string-valued attribute is stored, so no conversion is needed */
	dq_dbc *dbc = enter_dbc(h);
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	return leave_dbc(dbc, dq_set_connect_attr(dbc, attr, value, len));
}

SQLRETURN SQL_API SQLGetConnectAttr(SQLHDBC h, SQLINTEGER attr, SQLPOINTER value,
				    SQLINTEGER buflen, SQLINTEGER *outlen)
{
	dq_dbc *dbc = enter_dbc(h);
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	return leave_dbc(dbc, dq_get_connect_attr(dbc, attr, value, buflen, outlen, 0));
}

SQLRETURN SQL_API SQLGetConnectAttrW(SQLHDBC h, SQLINTEGER attr, SQLPOINTER value,
				     SQLINTEGER buflen, SQLINTEGER *outlen)
{
	dq_dbc *dbc = enter_dbc(h);
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	return leave_dbc(dbc, dq_get_connect_attr(dbc, attr, value, buflen, outlen, 1));
}

SQLRETURN SQL_API SQLGetInfo(SQLHDBC h, SQLUSMALLINT type, SQLPOINTER value,
			     SQLSMALLINT buflen, SQLSMALLINT *outlen)
{
	dq_dbc *dbc = enter_dbc(h);
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	return leave_dbc(dbc, dq_get_info(dbc, type, value, buflen, outlen, 0));
}

SQLRETURN SQL_API SQLGetInfoW(SQLHDBC h, SQLUSMALLINT type, SQLPOINTER value,
			      SQLSMALLINT buflen, SQLSMALLINT *outlen)
{
	dq_dbc *dbc = enter_dbc(h);
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	return leave_dbc(dbc, dq_get_info(dbc, type, value, buflen, outlen, 1));
}

SQLRETURN SQL_API SQLGetFunctions(SQLHDBC h, SQLUSMALLINT id, SQLUSMALLINT *supported)
{
	dq_dbc *dbc = enter_dbc(h);
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	return leave_dbc(dbc, dq_get_functions(dbc, id, supported));
}

SQLRETURN SQL_API SQLEndTran(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT completion)
{
	if (type == SQL_HANDLE_DBC) {
		DQ_ASYNC_GATE(h, SQL_API_SQLENDTRAN);
		dq_dbc *dbc = enter_dbc(h);
		if (dbc == NULL)
			return SQL_INVALID_HANDLE;
		dq_job j = {.run = run_end_tran, .n = {completion}};
		return leave_dbc(dbc, completion == SQL_COMMIT || completion == SQL_ROLLBACK
					      ? dq_async_dbc_call(dbc, SQL_API_SQLENDTRAN, &j)
					      : dq_end_tran(dbc, completion));
	}
	if (type == SQL_HANDLE_ENV) {
		/* The driver manager applies an environment-wide SQLEndTran to
		 * each of its connections; reaching here means it did not. */
		dq_env *env = enter_env(h);
		if (env == NULL)
			return SQL_INVALID_HANDLE;
		return leave_env(env, dq_error(&env->h, "HYC00",
					       "call SQLEndTran on each connection handle"));
	}
	return SQL_INVALID_HANDLE;
}

/* SQLCancelHandle (ODBC 3.8): a statement's is SQLCancel; a connection's
 * asks its pending asynchronous SQLEndTran / SQLDisconnect to stop (the
 * next poll returns HY008 unless it already finished). Like SQLCancel it
 * takes no lock. */
SQLRETURN SQL_API SQLCancelHandle(SQLSMALLINT type, SQLHANDLE h)
{
	if (type == SQL_HANDLE_STMT) /* not SQLCancel by name: see docs/iodbc.md */
		return dq_valid(h, DQ_HSTMT) ? dq_cancel(h) : SQL_INVALID_HANDLE;
	if (type != SQL_HANDLE_DBC)
		return SQL_INVALID_HANDLE;
	if (!dq_valid(h, DQ_HDBC))
		return SQL_INVALID_HANDLE;
	dq_async_cancel(h);
	return SQL_SUCCESS;
}

/* ------------------------------------------------------------- diagnostics */

SQLRETURN SQL_API SQLGetDiagRec(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT rec,
				SQLCHAR *state, SQLINTEGER *native, SQLCHAR *msg,
				SQLSMALLINT buflen, SQLSMALLINT *msglen)
{
	const char *m;
	char st[6];
	SQLRETURN rc = dq_get_diag_rec(type, h, rec, st, native, &m);
	if (rc != SQL_SUCCESS)
		return rc;
	if (state)
		memcpy(state, st, 6);
	return dq_out_a_small(m, msg, buflen, msglen);
}

SQLRETURN SQL_API SQLGetDiagRecW(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT rec,
				 SQLWCHAR *state, SQLINTEGER *native, SQLWCHAR *msg,
				 SQLSMALLINT buflen, SQLSMALLINT *msglen)
{
	const char *m;
	char st[6];
	SQLRETURN rc = dq_get_diag_rec(type, h, rec, st, native, &m);
	if (rc != SQL_SUCCESS)
		return rc;
	if (state)
		dq_utf8_to_utf16(st, 5, state, 6);
	return dq_out_w_small(m, msg, buflen, msglen, 0);
}

SQLRETURN SQL_API SQLGetDiagField(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT rec,
				  SQLSMALLINT field, SQLPOINTER value,
				  SQLSMALLINT buflen, SQLSMALLINT *outlen)
{
	return dq_get_diag_field(type, h, rec, field, value, buflen, outlen, 0);
}

SQLRETURN SQL_API SQLGetDiagFieldW(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT rec,
				   SQLSMALLINT field, SQLPOINTER value,
				   SQLSMALLINT buflen, SQLSMALLINT *outlen)
{
	return dq_get_diag_field(type, h, rec, field, value, buflen, outlen, 1);
}

/* dqlite takes SQLite SQL as written: the native form is the input. */
/* SQLNativeSql shows the text the driver would send: escapes translated. */
static SQLRETURN native_sql(dq_dbc *dbc, char **sql)
{
	char *t = NULL;
	SQLRETURN rc = dq_escape_sql(&dbc->h, *sql, 0, &t);
	if (rc == SQL_SUCCESS) {
		free(*sql);
		*sql = t;
	}
	return rc;
}

SQLRETURN SQL_API SQLNativeSql(SQLHDBC h, SQLCHAR *in, SQLINTEGER inlen,
			       SQLCHAR *out, SQLINTEGER outmax, SQLINTEGER *outlen)
{
	dq_dbc *dbc = enter_dbc(h);
	char *s = NULL;
	SQLRETURN rc = SQL_ERROR;
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	if (in == NULL)
		rc = dq_error(&dbc->h, "HY009", "invalid use of null pointer");
	else if (narrow_arg(&dbc->h, in, inlen, &s, "SQL text") &&
		 (rc = native_sql(dbc, &s)) == SQL_SUCCESS) {
		rc = dq_out_a(s, out, outmax, outlen);
		if (rc == SQL_SUCCESS_WITH_INFO)
			dq_diag_push(&dbc->h, "01004", 0, "string data, right truncated");
	}
	free(s);
	return leave_dbc(dbc, rc);
}

SQLRETURN SQL_API SQLNativeSqlW(SQLHDBC h, SQLWCHAR *in, SQLINTEGER inlen,
				SQLWCHAR *out, SQLINTEGER outmax, SQLINTEGER *outlen)
{
	dq_dbc *dbc = enter_dbc(h);
	char *s = NULL;
	SQLRETURN rc = SQL_ERROR;
	if (dbc == NULL)
		return SQL_INVALID_HANDLE;
	if (in == NULL)
		rc = dq_error(&dbc->h, "HY009", "invalid use of null pointer");
	else if (wide_arg(&dbc->h, in, inlen, &s, "SQL text") &&
		 (rc = native_sql(dbc, &s)) == SQL_SUCCESS) {
		rc = dq_out_w(s, out, outmax, outlen, 0);
		if (rc == SQL_SUCCESS_WITH_INFO)
			dq_diag_push(&dbc->h, "01004", 0, "string data, right truncated");
	}
	free(s);
	return leave_dbc(dbc, rc);
}
