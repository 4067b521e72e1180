/*
 * exports_stmt.c -- ODBC entry points for statements, parameters, results
 * and descriptors. Thin: validate, lock the connection, clear diagnostics,
 * bracket the call for the session (deadline, cancel scope), convert
 * UTF-16, call one internal function.
 */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unicode.h"

dq_stmt *dq_stmt_enter(SQLHSTMT h)
{
	dq_stmt *s = h;
	if (!dq_valid(s, DQ_HSTMT))
		return NULL;
	pthread_mutex_lock(&s->dbc->lock);
	dq_diag_clear(&s->h.diag);
	if (atomic_load(&s->cancel_dae))
		dq_stmt_apply_cancel(s);
	dq_sess_call_begin(&s->dbc->sess, s, dq_stmt_timeout(s));
	return s;
}

SQLRETURN dq_stmt_leave(dq_stmt *s, SQLRETURN rc)
{
	dq_sess_call_end(&s->dbc->sess);
	s->h.diag.rc = rc;
	pthread_mutex_unlock(&s->dbc->lock);
	return rc;
}

static dq_stmt *enter(SQLHSTMT h)
{
	return dq_stmt_enter(h);
}

static SQLRETURN leave(dq_stmt *s, SQLRETURN rc)
{
	return dq_stmt_leave(s, rc);
}

static dq_desc *enter_desc(SQLHDESC h)
{
	dq_desc *d = h;
	if (!dq_valid(d, DQ_HDESC))
		return NULL;
	pthread_mutex_lock(&d->dbc->lock);
	dq_diag_clear(&d->h.diag);
	return d;
}

static SQLRETURN leave_desc(dq_desc *d, SQLRETURN rc)
{
	d->h.diag.rc = rc;
	pthread_mutex_unlock(&d->dbc->lock);
	return rc;
}

/* A prepared statement's IRD is filled when the statement is first
 * described (results.c describes on demand): SQLGetDescField, SQLGetDescRec
 * and SQLCopyDesc read it only after describing it, as SQLNumResultCols
 * would. A failure's records are copied onto the descriptor. Called with
 * the connection locked. */
static SQLRETURN ird_described(dq_desc *d, dq_handle *to)
{
	dq_stmt *s = d->stmt;
	SQLRETURN rc;
	int before;

	if (d->kind != DQ_IRD || s == NULL || s->state != DQ_S_PREPARED)
		return SQL_SUCCESS;
	before = s->h.diag.n;
	dq_sess_call_begin(&s->dbc->sess, s, dq_stmt_timeout(s));
	rc = dq_num_result_cols(s, NULL);
	dq_sess_call_end(&s->dbc->sess);
	if (rc != SQL_ERROR)
		return SQL_SUCCESS;
	/* only what this describe posted: the statement may still hold the
	 * records of its own last call */
	for (int i = before; i < s->h.diag.n; i++) {
		const dq_diag_rec *r = &s->h.diag.recs[i];
		const char *m = r->message ? r->message : "";
		if (strncmp(m, "[dqlite-odbc]", 13) == 0)
			m += 13;
		dq_diag_push(to, r->sqlstate, r->native, "describing the statement: %s", m);
	}
	if (s->h.diag.n == before)
		dq_diag_push(to, "HY000", 0, "describing the statement failed");
	return SQL_ERROR;
}

static SQLRETURN with_text(dq_stmt *s, const SQLCHAR *sql, SQLINTEGER len,
			   SQLRETURN (*fn)(dq_stmt *, const char *))
{
	int ok;
	char *t;
	SQLRETURN rc;
	if (sql == NULL)
		return dq_error(&s->h, "HY009", "invalid use of null pointer");
	t = dq_str_dup_n(sql, len, &ok);
	if (ok != 1)
		return dq_input_error(&s->h, ok, "SQL text");
	rc = fn(s, t);
	free(t);
	return rc;
}

static SQLRETURN with_wtext(dq_stmt *s, const SQLWCHAR *sql, SQLINTEGER len,
			    SQLRETURN (*fn)(dq_stmt *, const char *))
{
	int ok;
	char *t;
	SQLRETURN rc;
	if (sql == NULL)
		return dq_error(&s->h, "HY009", "invalid use of null pointer");
	t = dq_utf16_to_utf8(sql, len, &ok);
	if (ok != 1)
		return dq_input_error(&s->h, ok, "SQL text");
	rc = fn(s, t);
	free(t);
	return rc;
}

/* ------------------------------------------------------------ executing */

/* The calls that may run asynchronously (async.c): each one's synchronous
 * body as a job. SQLFetch, SQLFetchScroll, SQLMoreResults and SQLParamData
 * always complete synchronously: unixODBC (2.3.11 to 2.3.14) loses track of
 * them after SQL_STILL_EXECUTING (a polled SQLFetch ending in SQL_NO_DATA
 * or an error, a polled SQLFetchScroll ending in an error, leave its
 * statement "still executing" for good; a pending SQLMoreResults is
 * recorded as SQLExecute, so its poll is refused), and a statement wedged
 * there could never be closed or freed. */
static SQLRETURN run_prepare(void *h, dq_job *j)
{
	return dq_prepare(h, j->str[0]);
}

static SQLRETURN run_exec_direct(void *h, dq_job *j)
{
	return dq_exec_direct(h, j->str[0]);
}

static SQLRETURN run_execute(void *h, dq_job *j)
{
	(void)j;
	return dq_execute(h);
}

static SQLRETURN run_extended_fetch(void *h, dq_job *j)
{
	return dq_extended_fetch(h, (SQLUSMALLINT)j->n[0], j->n[1], j->p[0], j->p[1]);
}

static SQLRETURN run_get_data(void *h, dq_job *j)
{
	return dq_get_data(h, (SQLUSMALLINT)j->n[0], (SQLSMALLINT)j->n[1], j->p[0],
			   j->n[2], j->p[1]);
}

static SQLRETURN run_get_type_info(void *h, dq_job *j)
{
	return dq_get_type_info(h, (SQLSMALLINT)j->n[0]);
}

static SQLRETURN prepare(dq_stmt *s, const char *sql)
{
	dq_job j = {.run = run_prepare, .str = {sql}};
	return dq_async_stmt_call(s, SQL_API_SQLPREPARE, &j);
}

static SQLRETURN exec_direct(dq_stmt *s, const char *sql)
{
	dq_job j = {.run = run_exec_direct, .str = {sql}};
	return dq_async_stmt_call(s, SQL_API_SQLEXECDIRECT, &j);
}

static SQLRETURN get_type_info(dq_stmt *s, SQLSMALLINT type)
{
	dq_job j = {.run = run_get_type_info, .n = {type}};
	return dq_async_stmt_call(s, SQL_API_SQLGETTYPEINFO, &j);
}

SQLRETURN SQL_API SQLPrepare(SQLHSTMT h, SQLCHAR *sql, SQLINTEGER len)
{
	DQ_ASYNC_GATE(h, SQL_API_SQLPREPARE);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, with_text(s, sql, len, prepare));
}

SQLRETURN SQL_API SQLPrepareW(SQLHSTMT h, SQLWCHAR *sql, SQLINTEGER len)
{
	DQ_ASYNC_GATE(h, SQL_API_SQLPREPARE);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, with_wtext(s, sql, len, prepare));
}

SQLRETURN SQL_API SQLExecDirect(SQLHSTMT h, SQLCHAR *sql, SQLINTEGER len)
{
	DQ_ASYNC_GATE(h, SQL_API_SQLEXECDIRECT);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, with_text(s, sql, len, exec_direct));
}

SQLRETURN SQL_API SQLExecDirectW(SQLHSTMT h, SQLWCHAR *sql, SQLINTEGER len)
{
	DQ_ASYNC_GATE(h, SQL_API_SQLEXECDIRECT);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, with_wtext(s, sql, len, exec_direct));
}

SQLRETURN SQL_API SQLExecute(SQLHSTMT h)
{
	DQ_ASYNC_GATE(h, SQL_API_SQLEXECUTE);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	dq_job j = {.run = run_execute};
	return leave(s, dq_async_stmt_call(s, SQL_API_SQLEXECUTE, &j));
}

SQLRETURN SQL_API SQLNumParams(SQLHSTMT h, SQLSMALLINT *n)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_num_params(s, n));
}

SQLRETURN SQL_API SQLBindParameter(SQLHSTMT h, SQLUSMALLINT num, SQLSMALLINT io,
				   SQLSMALLINT ctype, SQLSMALLINT sqltype,
				   SQLULEN colsize, SQLSMALLINT digits,
				   SQLPOINTER value, SQLLEN buflen, SQLLEN *ind)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_bind_parameter(s, num, io, ctype, sqltype, colsize, digits,
					  value, buflen, ind));
}

SQLRETURN SQL_API SQLDescribeParam(SQLHSTMT h, SQLUSMALLINT num, SQLSMALLINT *type,
				   SQLULEN *size, SQLSMALLINT *digits,
				   SQLSMALLINT *nullable)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_describe_param(s, num, type, size, digits, nullable));
}

SQLRETURN SQL_API SQLParamData(SQLHSTMT h, SQLPOINTER *token)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_param_data(s, token));
}

SQLRETURN SQL_API SQLPutData(SQLHSTMT h, SQLPOINTER data, SQLLEN len)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_put_data(s, data, len));
}

SQLRETURN SQL_API SQLCancel(SQLHSTMT h)
{
	/* No lock: cancel must reach a call blocked on another thread. The
	 * engine's cancel is thread-safe. */
	dq_stmt *s = h;
	if (!dq_valid(s, DQ_HSTMT))
		return SQL_INVALID_HANDLE;
	return dq_cancel(s);
}

SQLRETURN SQL_API SQLFreeStmt(SQLHSTMT h, SQLUSMALLINT option)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	dq_dbc *dbc;
	SQLRETURN rc;
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	dbc = s->dbc;
	rc = dq_free_stmt(s, option);
	if (option == SQL_DROP) { /* s is gone */
		dq_sess_call_end(&dbc->sess);
		pthread_mutex_unlock(&dbc->lock);
		return rc;
	}
	return leave(s, rc);
}

/* ---------------------------------------------------------------- results */

SQLRETURN SQL_API SQLNumResultCols(SQLHSTMT h, SQLSMALLINT *n)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_num_result_cols(s, n));
}

SQLRETURN SQL_API SQLDescribeCol(SQLHSTMT h, SQLUSMALLINT col, SQLCHAR *name,
				 SQLSMALLINT buflen, SQLSMALLINT *namelen,
				 SQLSMALLINT *type, SQLULEN *size,
				 SQLSMALLINT *digits, SQLSMALLINT *nullable)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_describe_col(s, col, name, buflen, namelen, type, size,
					digits, nullable, 0));
}

SQLRETURN SQL_API SQLDescribeColW(SQLHSTMT h, SQLUSMALLINT col, SQLWCHAR *name,
				  SQLSMALLINT buflen, SQLSMALLINT *namelen,
				  SQLSMALLINT *type, SQLULEN *size,
				  SQLSMALLINT *digits, SQLSMALLINT *nullable)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_describe_col(s, col, name, buflen, namelen, type, size,
					digits, nullable, 1));
}

SQLRETURN SQL_API SQLColAttribute(SQLHSTMT h, SQLUSMALLINT col, SQLUSMALLINT field,
				  SQLPOINTER cattr, SQLSMALLINT buflen,
				  SQLSMALLINT *outlen, SQLLEN *nattr)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_col_attribute(s, col, field, cattr, buflen, outlen, nattr, 0));
}

SQLRETURN SQL_API SQLColAttributeW(SQLHSTMT h, SQLUSMALLINT col, SQLUSMALLINT field,
				   SQLPOINTER cattr, SQLSMALLINT buflen,
				   SQLSMALLINT *outlen, SQLLEN *nattr)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_col_attribute(s, col, field, cattr, buflen, outlen, nattr, 1));
}

SQLRETURN SQL_API SQLBindCol(SQLHSTMT h, SQLUSMALLINT col, SQLSMALLINT ctype,
			     SQLPOINTER target, SQLLEN buflen, SQLLEN *ind)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	dq_desc_rec *r;
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	if (col == 0)
		return leave(s, dq_error(&s->h, "07006", "bookmarks are not supported"));
	if (buflen < 0)
		return leave(s, dq_error(&s->h, "HY090", "invalid buffer length %ld",
					 (long)buflen));
	if (dq_desc_ensure(s->ard, (SQLSMALLINT)col) != 0)
		return leave(s, dq_error(&s->h, "HY001", "memory allocation failure"));
	r = &s->ard->recs[col];
	dq_desc_set_type(r, ctype);
	r->data_ptr = target;
	r->octet_length = buflen;
	r->indicator_ptr = ind;
	r->octet_length_ptr = ind;
	if (target == NULL && ind == NULL) {
		/* unbinding the highest column shrinks the descriptor */
		while (s->ard->count > 0 && s->ard->recs[s->ard->count].data_ptr == NULL &&
		       s->ard->recs[s->ard->count].indicator_ptr == NULL)
			s->ard->count--;
	}
	return leave(s, SQL_SUCCESS);
}

SQLRETURN SQL_API SQLFetch(SQLHSTMT h)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_fetch_scroll(s, SQL_FETCH_NEXT, 0));
}

SQLRETURN SQL_API SQLFetchScroll(SQLHSTMT h, SQLSMALLINT orientation, SQLLEN offset)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_fetch_scroll(s, orientation, offset));
}

SQLRETURN SQL_API SQLExtendedFetch(SQLHSTMT h, SQLUSMALLINT orientation, SQLLEN offset,
				   SQLULEN *fetched, SQLUSMALLINT *status)
{
	DQ_ASYNC_GATE(h, SQL_API_SQLEXTENDEDFETCH);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	dq_job j = {.run = run_extended_fetch, .n = {orientation, offset},
		    .p = {fetched, status}};
	return leave(s, dq_async_stmt_call(s, SQL_API_SQLEXTENDEDFETCH, &j));
}

SQLRETURN SQL_API SQLSetPos(SQLHSTMT h, SQLSETPOSIROW row, SQLUSMALLINT op,
			    SQLUSMALLINT lock)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_set_pos(s, row, op, lock));
}

SQLRETURN SQL_API SQLGetData(SQLHSTMT h, SQLUSMALLINT col, SQLSMALLINT ctype,
			     SQLPOINTER target, SQLLEN buflen, SQLLEN *ind)
{
	DQ_ASYNC_GATE(h, SQL_API_SQLGETDATA);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	dq_job j = {.run = run_get_data, .n = {col, ctype, buflen}, .p = {target, ind}};
	return leave(s, dq_async_stmt_call(s, SQL_API_SQLGETDATA, &j));
}

SQLRETURN SQL_API SQLRowCount(SQLHSTMT h, SQLLEN *n)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_row_count(s, n));
}

SQLRETURN SQL_API SQLMoreResults(SQLHSTMT h)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_more_results(s));
}

SQLRETURN SQL_API SQLCloseCursor(SQLHSTMT h)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_close_cursor(s));
}

SQLRETURN SQL_API SQLGetTypeInfo(SQLHSTMT h, SQLSMALLINT type)
{
	DQ_ASYNC_GATE(h, SQL_API_SQLGETTYPEINFO);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, get_type_info(s, type));
}

SQLRETURN SQL_API SQLGetTypeInfoW(SQLHSTMT h, SQLSMALLINT type)
{
	DQ_ASYNC_GATE(h, SQL_API_SQLGETTYPEINFO);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, get_type_info(s, type));
}

/* ------------------------------------------------------------ cursor name */

static SQLRETURN get_cursor_name(dq_stmt *s, void *buf, SQLSMALLINT cap,
				 SQLSMALLINT *len, int wide)
{
	SQLRETURN rc = wide ? dq_out_w_small(s->cursor_name, buf, cap, len, 0)
			    : dq_out_a_small(s->cursor_name, buf, cap, len);
	if (rc == SQL_SUCCESS_WITH_INFO)
		dq_diag_push(&s->h, "01004", 0, "cursor name truncated");
	return rc;
}

static SQLRETURN set_cursor_name(dq_stmt *s, const char *name)
{
	if (name == NULL || *name == '\0' || strlen(name) >= sizeof s->cursor_name)
		return dq_error(&s->h, "34000", "invalid cursor name");
	if (strncasecmp(name, "SQL_CUR", 7) == 0 || strncasecmp(name, "SQLCUR", 6) == 0)
		return dq_error(&s->h, "34000", "cursor names may not start with SQL_CUR");
	for (dq_stmt *o = s->dbc->stmts; o; o = o->next)
		if (o != s && strcasecmp(o->cursor_name, name) == 0)
			return dq_error(&s->h, "3C000", "duplicate cursor name");
	strcpy(s->cursor_name, name);
	return SQL_SUCCESS;
}

SQLRETURN SQL_API SQLGetCursorName(SQLHSTMT h, SQLCHAR *buf, SQLSMALLINT cap,
				   SQLSMALLINT *len)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, get_cursor_name(s, buf, cap, len, 0));
}

SQLRETURN SQL_API SQLGetCursorNameW(SQLHSTMT h, SQLWCHAR *buf, SQLSMALLINT cap,
				    SQLSMALLINT *len)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, get_cursor_name(s, buf, cap, len, 1));
}

SQLRETURN SQL_API SQLSetCursorName(SQLHSTMT h, SQLCHAR *name, SQLSMALLINT len)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, with_text(s, name, len, set_cursor_name));
}

SQLRETURN SQL_API SQLSetCursorNameW(SQLHSTMT h, SQLWCHAR *name, SQLSMALLINT len)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, with_wtext(s, name, len, set_cursor_name));
}

/* -------------------------------------------------------------- attributes */

SQLRETURN SQL_API SQLSetStmtAttr(SQLHSTMT h, SQLINTEGER attr, SQLPOINTER value,
				 SQLINTEGER len)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_set_stmt_attr(s, attr, value, len));
}

SQLRETURN SQL_API SQLSetStmtAttrW(SQLHSTMT h, SQLINTEGER attr, SQLPOINTER value,
				  SQLINTEGER len)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_set_stmt_attr(s, attr, value, len));
}

SQLRETURN SQL_API SQLGetStmtAttr(SQLHSTMT h, SQLINTEGER attr, SQLPOINTER value,
				 SQLINTEGER buflen, SQLINTEGER *outlen)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_get_stmt_attr(s, attr, value, buflen, outlen));
}

SQLRETURN SQL_API SQLGetStmtAttrW(SQLHSTMT h, SQLINTEGER attr, SQLPOINTER value,
				  SQLINTEGER buflen, SQLINTEGER *outlen)
{
	DQ_ASYNC_GATE(h, 0);
	dq_stmt *s = enter(h);
	if (s == NULL)
		return SQL_INVALID_HANDLE;
	return leave(s, dq_get_stmt_attr(s, attr, value, buflen, outlen));
}

/* ------------------------------------------------------------- descriptors */

SQLRETURN SQL_API SQLGetDescField(SQLHDESC h, SQLSMALLINT rec, SQLSMALLINT field,
				  SQLPOINTER value, SQLINTEGER buflen,
				  SQLINTEGER *outlen)
{
	dq_desc *d = enter_desc(h);
	if (d == NULL)
		return SQL_INVALID_HANDLE;
	if (ird_described(d, &d->h) != SQL_SUCCESS)
		return leave_desc(d, SQL_ERROR);
	return leave_desc(d, dq_desc_get_field(d, rec, field, value, buflen, outlen, 0));
}

SQLRETURN SQL_API SQLGetDescFieldW(SQLHDESC h, SQLSMALLINT rec, SQLSMALLINT field,
				   SQLPOINTER value, SQLINTEGER buflen,
				   SQLINTEGER *outlen)
{
	dq_desc *d = enter_desc(h);
	if (d == NULL)
		return SQL_INVALID_HANDLE;
	if (ird_described(d, &d->h) != SQL_SUCCESS)
		return leave_desc(d, SQL_ERROR);
	return leave_desc(d, dq_desc_get_field(d, rec, field, value, buflen, outlen, 1));
}

SQLRETURN SQL_API SQLSetDescField(SQLHDESC h, SQLSMALLINT rec, SQLSMALLINT field,
				  SQLPOINTER value, SQLINTEGER len)
{
	dq_desc *d = enter_desc(h);
	if (d == NULL)
		return SQL_INVALID_HANDLE;
	return leave_desc(d, dq_desc_set_field(d, rec, field, value, len));
}

SQLRETURN SQL_API SQLSetDescFieldW(SQLHDESC h, SQLSMALLINT rec, SQLSMALLINT field,
				   SQLPOINTER value, SQLINTEGER len)
{
	dq_desc *d = enter_desc(h);
	if (d == NULL)
		return SQL_INVALID_HANDLE;
	return leave_desc(d, dq_desc_set_field(d, rec, field, value, len));
}

static SQLRETURN get_desc_rec(dq_desc *d, SQLSMALLINT rec, void *name,
			      SQLSMALLINT cap, SQLSMALLINT *namelen,
			      SQLSMALLINT *type, SQLSMALLINT *sub, SQLLEN *len,
			      SQLSMALLINT *prec, SQLSMALLINT *scale,
			      SQLSMALLINT *nullable, int wide)
{
	dq_desc_rec *r;
	SQLRETURN rc;
	if (d->kind == DQ_IRD && d->stmt && d->stmt->state == DQ_S_ALLOCATED)
		return dq_error(&d->h, "HY007", "the statement is neither prepared nor "
				"executed, so its row descriptor holds no columns yet");
	if (rec < 1)
		return dq_error(&d->h, "07009", "invalid descriptor index %d", rec);
	if (rec > d->count)
		return SQL_NO_DATA;
	r = &d->recs[rec];
	if (type) *type = r->type;
	if (sub) *sub = r->datetime_interval_code;
	if (len) *len = r->octet_length;
	if (prec) *prec = r->precision;
	if (scale) *scale = r->scale;
	if (nullable) *nullable = r->nullable;
	rc = wide ? dq_out_w_small(r->name ? r->name : "", name, cap, namelen, 0)
		  : dq_out_a_small(r->name ? r->name : "", name, cap, namelen);
	if (rc == SQL_SUCCESS_WITH_INFO)
		dq_diag_push(&d->h, "01004", 0, "name truncated");
	return rc;
}

SQLRETURN SQL_API SQLGetDescRec(SQLHDESC h, SQLSMALLINT rec, SQLCHAR *name,
				SQLSMALLINT cap, SQLSMALLINT *namelen,
				SQLSMALLINT *type, SQLSMALLINT *sub, SQLLEN *len,
				SQLSMALLINT *prec, SQLSMALLINT *scale,
				SQLSMALLINT *nullable)
{
	dq_desc *d = enter_desc(h);
	if (d == NULL)
		return SQL_INVALID_HANDLE;
	if (ird_described(d, &d->h) != SQL_SUCCESS)
		return leave_desc(d, SQL_ERROR);
	return leave_desc(d, get_desc_rec(d, rec, name, cap, namelen, type, sub, len,
					  prec, scale, nullable, 0));
}

SQLRETURN SQL_API SQLGetDescRecW(SQLHDESC h, SQLSMALLINT rec, SQLWCHAR *name,
				 SQLSMALLINT cap, SQLSMALLINT *namelen,
				 SQLSMALLINT *type, SQLSMALLINT *sub, SQLLEN *len,
				 SQLSMALLINT *prec, SQLSMALLINT *scale,
				 SQLSMALLINT *nullable)
{
	dq_desc *d = enter_desc(h);
	if (d == NULL)
		return SQL_INVALID_HANDLE;
	if (ird_described(d, &d->h) != SQL_SUCCESS)
		return leave_desc(d, SQL_ERROR);
	return leave_desc(d, get_desc_rec(d, rec, name, cap, namelen, type, sub, len,
					  prec, scale, nullable, 1));
}

SQLRETURN SQL_API SQLSetDescRec(SQLHDESC h, SQLSMALLINT rec, SQLSMALLINT type,
				SQLSMALLINT sub, SQLLEN len, SQLSMALLINT prec,
				SQLSMALLINT scale, SQLPOINTER data, SQLLEN *strlen_ptr,
				SQLLEN *ind)
{
	dq_desc *d = enter_desc(h);
	SQLRETURN rc;
	if (d == NULL)
		return SQL_INVALID_HANDLE;
	rc = dq_desc_set_rec(d, rec, type, sub, len, prec, scale, data, strlen_ptr,
			     ind);
	return leave_desc(d, rc);
}

SQLRETURN SQL_API SQLCopyDesc(SQLHDESC src, SQLHDESC dst)
{
	dq_desc *s = src, *d = dst;
	SQLRETURN rc;
	if (!dq_valid(s, DQ_HDESC) || !dq_valid(d, DQ_HDESC))
		return SQL_INVALID_HANDLE;
	/* two connections' locks are taken in one order (by address), so
	 * copies in opposite directions between them cannot dead-lock */
	dq_dbc *first = (uintptr_t)s->dbc < (uintptr_t)d->dbc ? s->dbc : d->dbc;
	dq_dbc *second = first == s->dbc ? d->dbc : s->dbc;
	pthread_mutex_lock(&first->lock);
	if (second != first)
		pthread_mutex_lock(&second->lock);
	dq_diag_clear(&d->h.diag);
	rc = ird_described(s, &d->h);
	if (rc == SQL_SUCCESS)
		rc = dq_desc_copy(s, d);
	d->h.diag.rc = rc;
	if (second != first)
		pthread_mutex_unlock(&second->lock);
	pthread_mutex_unlock(&first->lock);
	return rc;
}
