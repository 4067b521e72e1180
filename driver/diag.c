/*
 * diag.c -- diagnostic records, the SQLSTATE table, SQLGetDiagRec/Field.
 *
 * Every failure reaches the application as a record with a SQLSTATE, the
 * server's own code as the native error, and a message a person can act on.
 * docs/errors.md lists the mapping below.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unicode.h"

#define PREFIX "[dqlite-odbc]"

void dq_diag_clear(dq_diag *d)
{
	for (int i = 0; i < d->n; i++)
		free(d->recs[i].message);
	d->n = 0;
	d->rc = SQL_SUCCESS;
	d->cursor_row_count = 0;
}

void dq_diag_free(dq_diag *d)
{
	dq_diag_clear(d);
	free(d->recs);
	d->recs = NULL;
	d->cap = 0;
}

void dq_diag_vpush(dq_handle *h, const char *sqlstate, SQLINTEGER native,
		   const char *fmt, va_list ap)
{
	dq_diag *d = &h->diag;
	dq_diag_rec *r;
	char text[1536];
	size_t n;

	if (d->n == d->cap) {
		int cap = d->cap ? d->cap * 2 : 4;
		dq_diag_rec *p = realloc(d->recs, (size_t)cap * sizeof *p);
		if (p == NULL)
			return;
		d->recs = p;
		d->cap = cap;
	}
	n = (size_t)snprintf(text, sizeof text, "%s", PREFIX);
	vsnprintf(text + n, sizeof text - n, fmt, ap);
	r = &d->recs[d->n];
	memset(r, 0, sizeof *r);
	memcpy(r->sqlstate, sqlstate, 5);
	r->sqlstate[5] = '\0';
	r->native = native;
	r->message = strdup(text);
	r->row_number = SQL_NO_ROW_NUMBER;
	r->column_number = SQL_NO_COLUMN_NUMBER;
	if (r->message == NULL)
		return;
	d->n++;
}

void dq_diag_push(dq_handle *h, const char *sqlstate, SQLINTEGER native,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dq_diag_vpush(h, sqlstate, native, fmt, ap);
	va_end(ap);
}

SQLRETURN dq_error(dq_handle *h, const char *sqlstate, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dq_diag_vpush(h, sqlstate, 0, fmt, ap);
	va_end(ap);
	return SQL_ERROR;
}

SQLRETURN dq_warn(dq_handle *h, const char *sqlstate, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dq_diag_vpush(h, sqlstate, 0, fmt, ap);
	va_end(ap);
	return SQL_SUCCESS_WITH_INFO;
}

/* SQLSTATE for a server FAILURE: by SQLite primary code, refined by the
 * message where SQLite uses the generic SQLITE_ERROR. */
static const char *server_state(uint64_t code, const char *msg)
{
	switch (code & 0xff) {
	case 19: /* SQLITE_CONSTRAINT */
		return "23000";
	case 5:  /* SQLITE_BUSY */
	case 6:  /* SQLITE_LOCKED */
		return "HY000";
	case 8:  /* SQLITE_READONLY */
		return "25000";
	case 9:  /* SQLITE_INTERRUPT */
		return "HY008";
	case 18: /* SQLITE_TOOBIG */
		return "22001";
	case 20: /* SQLITE_MISMATCH */
		return "22018";
	case 25: /* SQLITE_RANGE: bad parameter index */
		return "07009";
	case 7:  /* SQLITE_NOMEM */
		return "HY001";
	case 13: /* SQLITE_FULL */
		return "HY000";
	case 1:  /* SQLITE_ERROR */
		break;
	default:
		return "HY000";
	}
	if (strstr(msg, "within a transaction") || strstr(msg, "no transaction is active"))
		return "25000";
	if (strstr(msg, "syntax error") || strstr(msg, "incomplete input") ||
	    strstr(msg, "unrecognized token"))
		return "42000";
	if (strstr(msg, "no such table") || strstr(msg, "no such view"))
		return "42S02";
	if (strstr(msg, "no such column"))
		return "42S22";
	if (strstr(msg, "no such index"))
		return "42S12";
	if (strstr(msg, "already exists")) {
		if (strstr(msg, "index"))
			return "42S11";
		return "42S01";
	}
	if (strstr(msg, "no such savepoint"))
		return "3B001";
	if (strstr(msg, "no such function") || strstr(msg, "wrong number of arguments"))
		return "42000";
	return "HY000";
}

SQLRETURN dq_engine_error(dq_handle *h, dqc_conn *conn, int rc)
{
	const char *msg = conn ? dqc_errmsg(conn) : "";
	uint64_t code = conn ? dqc_server_code(conn) : 0;
	SQLINTEGER native = (SQLINTEGER)code;

	switch (rc) {
	case DQC_ECONNECT:
	case DQC_ETLS:
		dq_diag_push(h, "08001", native, "%s", msg);
		break;
	case DQC_EIO:
	case DQC_ECLOSED:
	case DQC_EPROTO:
		dq_diag_push(h, "08S01", native,
			     "communication link failure: %s; any open "
			     "transaction was rolled back by the server", msg);
		break;
	case DQC_ETIMEDOUT:
		dq_diag_push(h, "HYT00", native, "timeout expired: %s", msg);
		break;
	case DQC_ECANCELED:
		dq_diag_push(h, "HY008", native, "operation canceled");
		break;
	case DQC_ENOTLEADER:
		dq_diag_push(h, "08S01", native,
			     "the node is no longer the cluster leader (%s); the "
			     "transaction is lost: roll back and run it again (the "
			     "driver reconnects to the new leader)", msg);
		break;
	case DQC_ELEADERLOST:
		dq_diag_push(h, "40001", native,
			     "leadership was lost while committing (%s): the "
			     "outcome of the transaction is unknown; check and "
			     "run it again if needed", msg);
		break;
	case DQC_ELIMIT:
		dq_diag_push(h, "HY000", native, "%s", msg);
		break;
	case DQC_ENOMEM:
		dq_diag_push(h, "HY001", native, "memory allocation failure");
		break;
	case DQC_EUNSUPPORTED:
		dq_diag_push(h, "HYC00", native, "%s", msg);
		break;
	case DQC_ESERVER:
		dq_diag_push(h, server_state(code, msg), native, "%s", msg);
		break;
	case DQC_ESTALE:
	case DQC_EBUSY:
	case DQC_EINVAL:
	default:
		dq_diag_push(h, "HY000", native, "%s", msg);
		break;
	}
	return SQL_ERROR;
}

/* ------------------------------------------------- SQLGetDiagRec / Field */

static dq_handle *diag_handle(SQLSMALLINT type, SQLHANDLE handle)
{
	int t = type == SQL_HANDLE_ENV	 ? DQ_HENV
		: type == SQL_HANDLE_DBC  ? DQ_HDBC
		: type == SQL_HANDLE_STMT ? DQ_HSTMT
		: type == SQL_HANDLE_DESC ? DQ_HDESC
					  : 0;
	if (t == 0 || !dq_valid(handle, t))
		return NULL;
	return handle;
}

SQLRETURN dq_get_diag_rec(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT rec,
			  char *state, SQLINTEGER *native, const char **msg)
{
	dq_handle *h = diag_handle(type, handle);
	dq_diag_rec *r;

	if (h == NULL)
		return SQL_INVALID_HANDLE;
	if (rec <= 0)
		return SQL_ERROR;
	if (rec > h->diag.n)
		return SQL_NO_DATA;
	r = &h->diag.recs[rec - 1];
	if (state)
		memcpy(state, r->sqlstate, 6);
	if (native)
		*native = r->native;
	*msg = r->message;
	return SQL_SUCCESS;
}

SQLRETURN dq_get_diag_field(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT rec,
			    SQLSMALLINT field, SQLPOINTER value,
			    SQLSMALLINT buflen, SQLSMALLINT *outlen, int wide)
{
	dq_handle *h = diag_handle(type, handle);
	dq_diag_rec *r;
	const char *s = NULL;

	if (h == NULL)
		return SQL_INVALID_HANDLE;
	/* header fields */
	switch (field) {
	case SQL_DIAG_NUMBER:
		if (value)
			*(SQLINTEGER *)value = h->diag.n;
		return SQL_SUCCESS;
	case SQL_DIAG_RETURNCODE:
		if (value)
			*(SQLRETURN *)value = h->diag.rc;
		return SQL_SUCCESS;
	case SQL_DIAG_CURSOR_ROW_COUNT:
	case SQL_DIAG_ROW_COUNT:
		if (h->type != DQ_HSTMT)
			return SQL_ERROR;
		if (value)
			*(SQLLEN *)value = field == SQL_DIAG_ROW_COUNT
						   ? ((dq_stmt *)h)->row_count
						   : h->diag.cursor_row_count;
		return SQL_SUCCESS;
	case SQL_DIAG_DYNAMIC_FUNCTION:
		if (h->type != DQ_HSTMT)
			return SQL_ERROR;
		s = h->diag.dynamic_function ? h->diag.dynamic_function : "";
		goto string;
	case SQL_DIAG_DYNAMIC_FUNCTION_CODE:
		if (h->type != DQ_HSTMT)
			return SQL_ERROR;
		if (value)
			*(SQLINTEGER *)value = h->diag.dynamic_function_code;
		return SQL_SUCCESS;
	default:
		break;
	}
	if (rec <= 0)
		return SQL_ERROR;
	if (rec > h->diag.n)
		return SQL_NO_DATA;
	r = &h->diag.recs[rec - 1];
	switch (field) {
	case SQL_DIAG_SQLSTATE:
		s = r->sqlstate;
		break;
	case SQL_DIAG_NATIVE:
		if (value)
			*(SQLINTEGER *)value = r->native;
		return SQL_SUCCESS;
	case SQL_DIAG_MESSAGE_TEXT:
		s = r->message;
		break;
	case SQL_DIAG_CLASS_ORIGIN:
	case SQL_DIAG_SUBCLASS_ORIGIN:
		s = (r->sqlstate[0] == 'I' && r->sqlstate[1] == 'M') ? "ODBC 3.0"
									 : "ISO 9075";
		if (field == SQL_DIAG_SUBCLASS_ORIGIN &&
		    (strncmp(r->sqlstate, "HY", 2) == 0 ||
		     strncmp(r->sqlstate, "01S", 3) == 0 ||
		     strncmp(r->sqlstate, "07S", 3) == 0 ||
		     strncmp(r->sqlstate, "08S", 3) == 0 ||
		     strncmp(r->sqlstate, "21S", 3) == 0 ||
		     strncmp(r->sqlstate, "42S", 3) == 0))
			s = "ODBC 3.0";
		break;
	case SQL_DIAG_CONNECTION_NAME:
	case SQL_DIAG_SERVER_NAME:
		s = "";
		if (h->type == DQ_HDBC && ((dq_dbc *)h)->conn)
			s = dqc_peer_address(((dq_dbc *)h)->conn);
		else if (h->type == DQ_HSTMT && ((dq_stmt *)h)->dbc->conn)
			s = dqc_peer_address(((dq_stmt *)h)->dbc->conn);
		break;
	case SQL_DIAG_ROW_NUMBER:
		if (value)
			*(SQLLEN *)value = r->row_number;
		return SQL_SUCCESS;
	case SQL_DIAG_COLUMN_NUMBER:
		if (value)
			*(SQLINTEGER *)value = r->column_number;
		return SQL_SUCCESS;
	default:
		return SQL_ERROR;
	}
string:
	if (wide)
		return dq_out_w_small(s, value, buflen / (SQLSMALLINT)sizeof(SQLWCHAR),
				      outlen, 1);
	return dq_out_a_small(s, value, buflen, outlen);
}
