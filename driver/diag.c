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

/* The record that stands in when memory for a diagnostic runs out, so an
 * application never gets SQL_ERROR without a reason. Never freed. */
static char oom_message[] = PREFIX "memory allocation failure (a diagnostic "
				   "record could not be stored)";

static void rec_free(dq_diag_rec *r)
{
	if (r->message != oom_message)
		free(r->message);
}

void dq_diag_clear(dq_diag *d)
{
	for (int i = 0; i < d->n; i++)
		rec_free(&d->recs[i]);
	d->n = 0;
	d->oom = 0;
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

/* Makes room for one more record. 0 or -1. */
static int grow(dq_diag *d)
{
	dq_diag_rec *p;
	int cap;

	if (d->n < d->cap)
		return 0;
	cap = d->cap ? d->cap * 2 : 4;
	p = realloc(d->recs, (size_t)cap * sizeof *p);
	if (p == NULL)
		return -1;
	d->recs = p;
	d->cap = cap;
	return 0;
}

dq_diag_rec *dq_diag_vpush(dq_handle *h, const char *sqlstate,
			   SQLINTEGER native, const char *fmt, va_list ap)
{
	dq_diag *d = &h->diag;
	dq_diag_rec *r;
	char text[1536];
	size_t n;

	if (grow(d) != 0) {
		d->oom = 1;
		return NULL;
	}
	n = (size_t)snprintf(text, sizeof text, "%s", PREFIX);
	vsnprintf(text + n, sizeof text - n, fmt, ap);
	r = &d->recs[d->n];
	memset(r, 0, sizeof *r);
	r->message = strdup(text);
	if (r->message == NULL) {
		/* keep the state, lose the words */
		r->message = oom_message;
	}
	memcpy(r->sqlstate, sqlstate, 5);
	r->sqlstate[5] = '\0';
	r->native = native;
	r->row_number = SQL_NO_ROW_NUMBER;
	r->column_number = SQL_NO_COLUMN_NUMBER;
	d->n++;
	return r;
}

SQLRETURN dq_busy_error(dq_handle *h, const char *what)
{
	dq_diag *d = &h->busy_diag;
	dq_diag_rec *r;
	char text[512];

	d->rc = SQL_ERROR;
	if (grow(d) != 0) {
		d->oom = 1;
		return SQL_ERROR;
	}
	snprintf(text, sizeof text, "%sfunction sequence error: %s", PREFIX, what);
	r = &d->recs[d->n];
	memset(r, 0, sizeof *r);
	r->message = strdup(text);
	if (r->message == NULL)
		r->message = oom_message;
	memcpy(r->sqlstate, "HY010", 6);
	r->row_number = SQL_NO_ROW_NUMBER;
	r->column_number = SQL_NO_COLUMN_NUMBER;
	d->n++;
	return SQL_ERROR;
}

dq_diag_rec *dq_diag_push(dq_handle *h, const char *sqlstate, SQLINTEGER native,
			  const char *fmt, ...)
{
	dq_diag_rec *r;
	va_list ap;
	va_start(ap, fmt);
	r = dq_diag_vpush(h, sqlstate, native, fmt, ap);
	va_end(ap);
	return r;
}

/* Record rec (1-based) of d, counting the stand-in record after the stored
 * ones; NULL past the end. */
static const dq_diag_rec *diag_rec(const dq_diag *d, int rec)
{
	static const dq_diag_rec oom_rec = {"HY001", 0, oom_message,
					    SQL_NO_ROW_NUMBER,
					    SQL_NO_COLUMN_NUMBER};
	if (rec <= d->n)
		return &d->recs[rec - 1];
	if (rec == d->n + 1 && d->oom)
		return &oom_rec;
	return NULL;
}

int dq_diag_count(const dq_diag *d)
{
	return d->n + (d->oom ? 1 : 0);
}

SQLRETURN dq_error(dq_handle *h, const char *sqlstate, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dq_diag_vpush(h, sqlstate, 0, fmt, ap);
	va_end(ap);
	return SQL_ERROR;
}

SQLRETURN dq_input_error(dq_handle *h, int ok, const char *what)
{
	if (ok == -2)
		return dq_error(h, "22018",
				"the %s is not valid UTF-16 (a lone surrogate)", what);
	if (ok == -1)
		return dq_error(h, "HY090",
				"the %s holds a NUL character followed by more "
				"text within the length given; dqlite carries text "
				"only up to a NUL, so it would be cut: remove the "
				"NUL or pass the right length", what);
	return dq_error(h, "HY001", "memory allocation failure");
}

SQLRETURN dq_warn(dq_handle *h, const char *sqlstate, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dq_diag_vpush(h, sqlstate, 0, fmt, ap);
	va_end(ap);
	return SQL_SUCCESS_WITH_INFO;
}

/* SQLite's SQLITE_ERROR messages that name a SQLSTATE. Each is matched by
 * its fixed parts -- a beginning, a part anywhere, an end -- never by
 * where a name of any length left them, so a long name cannot change the
 * state (the engine keeps both ends of a message too long to keep whole:
 * dqe_msg_fit). Syntax errors come first: their token may read like
 * anything below. */
static const struct error_text {
	const char *head, *part, *end, *state;
} error_texts[] = {
	{"near \"", NULL, ": syntax error", "42000"},
	{"unrecognized token: ", NULL, NULL, "42000"},
	{"incomplete input", NULL, NULL, "42000"},
	{"no such function: ", NULL, NULL, "42000"},
	{"wrong number of arguments to function ", NULL, NULL, "42000"},
	{"no such table: ", NULL, NULL, "42S02"},
	{"no such view: ", NULL, NULL, "42S02"},
	{"no such column: ", NULL, NULL, "42S22"},
	{"table ", " has no column named ", NULL, "42S22"},
	{"no such index: ", NULL, NULL, "42S12"},
	{"table ", NULL, " already exists", "42S01"},
	{"view ", NULL, " already exists", "42S01"},
	{"there is already a table named ", NULL, NULL, "42S01"},
	{"index ", NULL, " already exists", "42S11"},
	{"there is already an index named ", NULL, NULL, "42S11"},
	{"no such savepoint: ", NULL, NULL, "3B001"},
	{"cannot start a transaction within a transaction", NULL, NULL, "25000"},
	{"cannot commit - no transaction is active", NULL, NULL, "25000"},
	{"cannot rollback - no transaction is active", NULL, NULL, "25000"},
	{"", "syntax error", NULL, "42000"}, /* other parsers' wording */
};

/* 1 when msg has the fixed parts of t. */
static int error_text_matches(const struct error_text *t, const char *msg)
{
	size_t n = strlen(msg), h = strlen(t->head), e = t->end ? strlen(t->end) : 0;

	if (strncmp(msg, t->head, h) != 0)
		return 0;
	if (t->part && strstr(msg + h, t->part) == NULL)
		return 0;
	return e == 0 || (n >= h + e && strcmp(msg + n - e, t->end) == 0);
}

/* SQLSTATE of an SQLITE_ERROR message: the table above, else HY000. */
static const char *error_text_state(const char *msg)
{
	for (size_t i = 0; i < sizeof error_texts / sizeof error_texts[0]; i++)
		if (error_text_matches(&error_texts[i], msg))
			return error_texts[i].state;
	return "HY000";
}

/* SQLSTATE for a server FAILURE: by SQLite primary code, refined by the
 * message where SQLite uses the generic SQLITE_ERROR. */
static const char *server_state(uint64_t code, const char *msg)
{
	if (code == 517) /* SQLITE_BUSY_SNAPSHOT: another writer committed
			    since this transaction read; waiting cannot help */
		return "40001";
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
	return error_text_state(msg);
}

SQLRETURN dq_engine_diag(dq_handle *h, int rc, uint64_t code, const char *msg,
			 const char *consequence)
{
	SQLINTEGER native = (SQLINTEGER)code;
	const char *state, *lead = "";
	char tail[300] = "";

	if (msg == NULL)
		msg = "";
	if (consequence && *consequence)
		snprintf(tail, sizeof tail, "; %s", consequence);
	switch (rc) {
	case DQC_ECONNECT:
	case DQC_ETLS:
		state = "08001";
		break;
	case DQC_EIO:
	case DQC_ECLOSED:
	case DQC_EPROTO:
		state = "08S01";
		lead = "communication link failure: ";
		break;
	case DQC_ETIMEDOUT:
		state = "HYT00";
		lead = "timeout expired: ";
		break;
	case DQC_ECANCELED:
		state = "HY008";
		lead = "operation canceled: ";
		break;
	case DQC_ENOTLEADER:
		state = "08S01";
		lead = "the node is no longer the cluster leader: ";
		break;
	case DQC_ELEADERLOST:
		state = "08007";
		lead = "leadership was lost while committing, so the outcome is "
		       "unknown (check before running it again): ";
		break;
	case DQC_ELIMIT:
		state = "HY000";
		snprintf(tail + strlen(tail), sizeof tail - strlen(tail),
			 " (MaxTotalRows and MaxContinuationFrames set the "
			 "limits; or narrow the query with WHERE / LIMIT)");
		break;
	case DQC_ETOOWIDE:
		/* SQL's "program limit exceeded" */
		state = "54000";
		break;
	case DQC_ENOMEM:
		state = "HY001";
		msg = "memory allocation failure";
		break;
	case DQC_EUNSUPPORTED:
		state = "HYC00";
		break;
	case DQC_ESERVER:
		state = server_state(code, msg);
		if (strcmp(state, "40001") == 0)
			snprintf(tail + strlen(tail), sizeof tail - strlen(tail),
				 "; another transaction committed a conflicting "
				 "write: roll back and run this one again");
		break;
	case DQC_ESTALE:
	case DQC_EBUSY:
	case DQC_EINVAL:
	default:
		state = "HY000";
		break;
	}
	dq_diag_push(h, state, native, "%s%s%s", lead, msg, tail);
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
	const dq_diag_rec *r;

	if (h == NULL)
		return SQL_INVALID_HANDLE;
	if (rec <= 0)
		return SQL_ERROR;
	r = diag_rec(dq_diag_shown(h), rec);
	if (r == NULL)
		return SQL_NO_DATA;
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
	const dq_diag_rec *r;
	const dq_diag *d;
	const char *s = NULL;

	if (h == NULL)
		return SQL_INVALID_HANDLE;
	d = dq_diag_shown(h);
	/* header fields */
	switch (field) {
	case SQL_DIAG_NUMBER:
		if (value)
			*(SQLINTEGER *)value = dq_diag_count(d);
		return SQL_SUCCESS;
	case SQL_DIAG_RETURNCODE:
		if (value)
			*(SQLRETURN *)value = d->rc;
		return SQL_SUCCESS;
	case SQL_DIAG_CURSOR_ROW_COUNT:
	case SQL_DIAG_ROW_COUNT:
		if (h->type != DQ_HSTMT)
			return SQL_ERROR;
		if (value)
			*(SQLLEN *)value = d != &h->diag ? -1 /* pending */
						   : field == SQL_DIAG_ROW_COUNT
						   ? ((dq_stmt *)h)->row_count
						   : d->cursor_row_count;
		return SQL_SUCCESS;
	case SQL_DIAG_DYNAMIC_FUNCTION:
		if (h->type != DQ_HSTMT)
			return SQL_ERROR;
		s = d->dynamic_function ? d->dynamic_function : "";
		goto string;
	case SQL_DIAG_DYNAMIC_FUNCTION_CODE:
		if (h->type != DQ_HSTMT)
			return SQL_ERROR;
		if (value)
			*(SQLINTEGER *)value = d->dynamic_function_code;
		return SQL_SUCCESS;
	default:
		break;
	}
	if (rec <= 0)
		return SQL_ERROR;
	r = diag_rec(d, rec);
	if (r == NULL)
		return SQL_NO_DATA;
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
		if (h->type == DQ_HDBC && ((dq_dbc *)h)->sess.conn)
			s = dqc_peer_address(((dq_dbc *)h)->sess.conn);
		else if (h->type == DQ_HSTMT && ((dq_stmt *)h)->dbc->sess.conn)
			s = dqc_peer_address(((dq_stmt *)h)->dbc->sess.conn);
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
