/*
 * cursor.c -- the block cursor: which rows a fetch delivers, where the
 * cursor then stands, and which row SQLGetData reads.
 *
 * Two kinds of cursor (docs/statements.md, "Cursors"):
 *  - forward-only, the default: rows stream from the server page by page
 *    and only SQL_FETCH_NEXT moves the cursor. A rowset of more than one
 *    row can be bound, but SQLGetData and SQLSetPos refuse it (HY109): the
 *    rows before the last are gone, and the ODBC reference forbids it.
 *  - static (SQL_ATTR_CURSOR_TYPE SQL_CURSOR_STATIC; KEYSET_DRIVEN and
 *    DYNAMIC are substituted with 01S02; SQL_ATTR_CURSOR_SCROLLABLE on):
 *    the whole result is read into memory when it is made, so its rows
 *    never change, bounded by the StaticCursorMaxBytes keyword. Every
 *    orientation but SQL_FETCH_BOOKMARK (no bookmarks: HY106) follows the
 *    positioning rules of SQLFetchScroll; SQLSetPos(SQL_POSITION) picks
 *    the rowset's row SQLGetData reads (SQL_GD_BLOCK).
 * Because the driver scrolls itself, unixODBC never loads its cursor
 * library for it (it does for SQL_CUR_USE_IF_NEEDED, PDO_ODBC's default,
 * when SQL_STATIC_CURSOR_ATTRIBUTES1 lacks SQL_CA1_ABSOLUTE).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "convert.h"

/* What one fetch call asks for and where its answers go. */
typedef struct rowset_req {
	SQLULEN size;          /* rows in the rowset */
	SQLUSMALLINT *status;  /* row status array, or NULL */
	SQLULEN *fetched;      /* rows fetched, or NULL */
	int odbc2;             /* SQLExtendedFetch: ODBC 2 has no
	                          SQL_ROW_SUCCESS_WITH_INFO */
} rowset_req;

/* Rows a static cursor holds (SQL_ATTR_MAX_ROWS applies to in-memory
 * catalog results too). */
static SQLLEN scroll_count(const dq_stmt *s)
{
	size_t n = dq_memrows_count(s->res.mem);
	if (s->max_rows && n > s->max_rows)
		n = s->max_rows;
	return (SQLLEN)n;
}

/* Abandons what is left of the stream and closes it: SQL_SUCCESS, or
 * SQL_SUCCESS_WITH_INFO when discarding cost the link (the session says
 * what that did). */
static SQLRETURN drop_stream(dq_stmt *s)
{
	int rc = dqc_rows_abandon(s->res.rows);
	dqc_rows_close(s->res.rows);
	s->res.rows = NULL;
	return rc ? dq_sess_failed_aside(&s->dbc->sess, &s->h, rc) : SQL_SUCCESS;
}

SQLRETURN dq_cursor_materialize(dq_stmt *s)
{
	dq_result *r = &s->res;
	uint64_t limit = s->dbc->cfg.static_cursor_max_bytes;
	dq_memrows *m = dq_memrows_new(r->ncols);
	const dqc_value *cells = r->peek;
	int rc = r->peeked;

	if (m == NULL)
		return dq_error(&s->h, "HY001", "memory allocation failure");
	while (rc == 1 && !(s->max_rows && dq_memrows_count(m) >= s->max_rows)) {
		if (dq_memrows_add(m, cells) != 0) {
			dq_memrows_free(m);
			return dq_error(&s->h, "HY001", "memory allocation failure "
					"reading the result into a static cursor");
		}
		if (dq_memrows_bytes(m) > limit) {
			dq_memrows_free(m);
			return dq_error(&s->h, "HY000",
					"the result needs more than StaticCursorMaxBytes=%llu "
					"bytes of memory for a static cursor: raise the "
					"keyword, narrow the query, or use a forward-only cursor",
					(unsigned long long)limit);
		}
		rc = dqc_rows_next(r->rows, &cells);
	}
	if (rc < 0) {
		dq_memrows_free(m);
		return dq_sess_rows_failed(&s->dbc->sess, &s->h, r->rows, rc);
	}
	r->peek = NULL;
	r->peeked = 0;
	r->mem = m;
	r->scroll = 1;
	/* SQL_DIAG_CURSOR_ROW_COUNT, exact (SQL_CA2_CRC_EXACT) */
	s->h.diag.cursor_row_count = (SQLLEN)dq_memrows_count(m);
	return drop_stream(s);
}

/* ------------------------------------------------------------ positions */

/* The new rowset's first row for SQL_FETCH_ABSOLUTE (n rows, rowset size
 * `size`): 0 before the start, n + 1 after the end. *moved is set when
 * the rowset was moved to row 1 (01S06). */
static SQLLEN absolute_start(SQLLEN n, SQLLEN off, SQLLEN size, int *moved)
{
	if (off < 0) {
		if (off >= -n)
			return n + off + 1;
		if (off < -size)
			return 0;
		*moved = 1;
		return 1;
	}
	if (off == 0)
		return 0;
	return off <= n ? off : n + 1;
}

/* The same for SQL_FETCH_RELATIVE from the current rowset. */
static SQLLEN relative_start(const dq_result *r, SQLLEN n, SQLLEN off,
			     SQLLEN size, int *moved)
{
	SQLLEN cur = r->rowset_start;
	int before = cur < 1, after = cur > n;

	if ((before && off > 0) || (after && off < 0))
		return absolute_start(n, off, size, moved);
	if (before)
		return 0;
	if (after)
		return n + 1;
	if (off > n)
		return n + 1;
	if (cur + off >= 1)
		return cur + off <= n ? cur + off : n + 1;
	if (cur == 1 || off < -size)
		return 0;
	*moved = 1;
	return 1;
}

/* The same for SQL_FETCH_PRIOR. */
static SQLLEN prior_start(const dq_result *r, SQLLEN n, SQLLEN size, int *moved)
{
	SQLLEN cur = r->rowset_start;

	if (cur <= 1)
		return 0;
	if (cur > n) {
		if (n >= size)
			return n - size + 1;
		*moved = 1;
		return 1;
	}
	if (cur > size)
		return cur - size;
	*moved = 1;
	return 1;
}

/* The first row of the rowset a static cursor's fetch names, by the
 * rules of SQLFetchScroll ("Cursor positioning rules"): 0 before the
 * start, n + 1 after the end. NEXT steps by the previous fetch's rowset
 * size, the others use the new one. */
static SQLLEN scroll_start(const dq_result *r, SQLLEN n, SQLSMALLINT o,
			   SQLLEN off, SQLLEN size, int *moved)
{
	SQLLEN prev = r->rowset_size ? (SQLLEN)r->rowset_size : size;

	switch (o) {
	case SQL_FETCH_NEXT:
		if (r->rowset_start < 1)
			return 1;
		if (r->rowset_start > n || r->rowset_start + prev > n)
			return n + 1;
		return r->rowset_start + prev;
	case SQL_FETCH_PRIOR: return prior_start(r, n, size, moved);
	case SQL_FETCH_RELATIVE: return relative_start(r, n, off, size, moved);
	case SQL_FETCH_ABSOLUTE: return absolute_start(n, off, size, moved);
	case SQL_FETCH_FIRST: return 1;
	default: /* SQL_FETCH_LAST */
		return size <= n ? n - size + 1 : 1;
	}
}

/* ------------------------------------------------------------- rowsets */

/* Binds one row into slot i and records its status; counts errors. */
static void deliver_row(dq_stmt *s, const rowset_req *q, SQLULEN i,
			const dqc_value *cells, int *errors, SQLRETURN *ret)
{
	SQLRETURN rc = dq_bind_row(s, cells, i);
	if (q->status)
		q->status[i] = rc == SQL_SUCCESS ? SQL_ROW_SUCCESS
			       : rc == SQL_SUCCESS_WITH_INFO
				       ? (q->odbc2 ? SQL_ROW_SUCCESS : SQL_ROW_SUCCESS_WITH_INFO)
				       : SQL_ROW_ERROR;
	if (rc == SQL_ERROR)
		(*errors)++;
	else if (rc == SQL_SUCCESS_WITH_INFO)
		*ret = SQL_SUCCESS_WITH_INFO;
}

/* The end of every fetch: the rest of the status array, the count, the
 * return code (SQL_ERROR when every row failed or the only one did). */
static SQLRETURN finish_rowset(dq_stmt *s, const rowset_req *q, SQLULEN got,
			       int errors, SQLRETURN ret)
{
	dq_result *r = &s->res;

	if (q->status)
		for (SQLULEN i = got; i < q->size; i++)
			q->status[i] = SQL_ROW_NOROW;
	if (q->fetched)
		*q->fetched = got;
	r->rowset_rows = got;
	r->rowset_size = q->size;
	r->rowset_pos = 1;
	if (got == 0)
		return SQL_NO_DATA;
	if (errors)
		return (q->size == 1 || errors == (int)got) ? SQL_ERROR
							    : SQL_SUCCESS_WITH_INFO;
	return ret;
}

/* The next rowset of a forward-only cursor, read from the stream. */
static SQLRETURN fetch_forward(dq_stmt *s, const rowset_req *q)
{
	dq_result *r = &s->res;
	SQLLEN first = r->row_number + 1;
	SQLRETURN ret = SQL_SUCCESS;
	SQLULEN got = 0;
	int errors = 0;

	for (; got < q->size; got++) {
		int k = dq_result_next(s);
		if (k == SQL_ERROR && got == 0) {
			if (q->fetched)
				*q->fetched = 0;
			r->rowset_rows = 0;
			return SQL_ERROR;
		}
		if (k != 1)
			break;
		deliver_row(s, q, got, r->cur, &errors, &ret);
	}
	r->rowset_start = got ? first : 0;
	return finish_rowset(s, q, got, errors, ret);
}

/* The rowset of a static cursor that the orientation names. */
static SQLRETURN fetch_static(dq_stmt *s, const rowset_req *q, SQLSMALLINT o,
			      SQLLEN off)
{
	dq_result *r = &s->res;
	SQLLEN n = scroll_count(s), start;
	SQLRETURN ret = SQL_SUCCESS;
	SQLULEN got = 0;
	int errors = 0, moved = 0;

	start = scroll_start(r, n, o, off, (SQLLEN)q->size, &moved);
	if (start > n)
		start = n + 1; /* after the end (an empty result: always) */
	r->rowset_start = start;
	for (; start >= 1 && got < q->size && start + (SQLLEN)got <= n; got++)
		deliver_row(s, q, got, dq_memrows_row(r->mem, (size_t)(start - 1) + got),
			    &errors, &ret);
	ret = finish_rowset(s, q, got, errors, ret);
	if (moved && got && SQL_SUCCEEDED(ret))
		ret = dq_warn(&s->h, "01S06", "the fetch would have started before the "
			      "first row: the rowset starting at row 1 is returned");
	return ret;
}

/* One fetch of either cursor: the orientation checked, SQLGetData's
 * pieces restarted. */
static SQLRETURN fetch(dq_stmt *s, SQLSMALLINT o, SQLLEN off, const rowset_req *q)
{
	if (s->state != DQ_S_CURSOR)
		return dq_error(&s->h, "24000", "no result set is open (invalid cursor state)");
	switch (o) {
	case SQL_FETCH_NEXT: case SQL_FETCH_PRIOR: case SQL_FETCH_FIRST:
	case SQL_FETCH_LAST: case SQL_FETCH_ABSOLUTE: case SQL_FETCH_RELATIVE:
		break;
	case SQL_FETCH_BOOKMARK:
		return dq_error(&s->h, "HY106", "SQL_FETCH_BOOKMARK: the driver has no "
				"bookmarks (SQL_ATTR_USE_BOOKMARKS is SQL_UB_OFF)");
	default:
		return dq_error(&s->h, "HY106", "fetch orientation %d is out of range", o);
	}
	if (!s->res.scroll && o != SQL_FETCH_NEXT)
		return dq_error(&s->h, "HY106", "the cursor is forward-only: only "
				"SQL_FETCH_NEXT (set SQL_ATTR_CURSOR_TYPE to "
				"SQL_CURSOR_STATIC before executing to scroll)");
	s->gd_col = 0;
	memset(&s->gd_piece, 0, sizeof s->gd_piece);
	return s->res.scroll ? fetch_static(s, q, o, off) : fetch_forward(s, q);
}

SQLRETURN dq_fetch_scroll(dq_stmt *s, SQLSMALLINT orientation, SQLLEN offset)
{
	rowset_req q = {s->ard->array_size, s->ird.array_status_ptr,
			s->ird.rows_processed_ptr, 0};
	return fetch(s, orientation, offset, &q);
}

SQLRETURN dq_extended_fetch(dq_stmt *s, SQLUSMALLINT orientation, SQLLEN offset,
			    SQLULEN *fetched, SQLUSMALLINT *status)
{
	rowset_req q = {s->rowset_size, status, fetched, 1};
	return fetch(s, (SQLSMALLINT)orientation, offset, &q);
}

/* -------------------------------------------------------- positioning */

SQLRETURN dq_set_pos(dq_stmt *s, SQLSETPOSIROW row, SQLUSMALLINT op,
		     SQLUSMALLINT lock)
{
	dq_result *r = &s->res;

	if (s->state != DQ_S_CURSOR)
		return dq_error(&s->h, "24000", "no result set is open (invalid cursor state)");
	if (op == SQL_UPDATE || op == SQL_DELETE)
		return dq_error(&s->h, "HY092", "the cursor is read-only "
				"(SQL_CONCUR_READ_ONLY): SQLSetPos cannot update or delete");
	if (op != SQL_POSITION)
		return dq_error(&s->h, "HYC00", "SQLSetPos supports only SQL_POSITION "
				"(operation %u)", op);
	if (lock != SQL_LOCK_NO_CHANGE)
		return dq_error(&s->h, "HYC00", "SQLSetPos supports only SQL_LOCK_NO_CHANGE "
				"(rows are never locked)");
	if (!r->scroll)
		return dq_error(&s->h, "HY109", "the cursor is forward-only: it cannot be "
				"positioned within the rowset (set SQL_ATTR_CURSOR_TYPE "
				"to SQL_CURSOR_STATIC before executing)");
	if (r->rowset_rows == 0)
		return dq_error(&s->h, "24000", "the cursor is not on a rowset (fetch "
				"first; it is before the start or after the end)");
	if (row == 0)
		return dq_error(&s->h, "HY109", "SQL_POSITION needs one row (1 to %lu), "
				"not 0 (the whole rowset)", (unsigned long)r->rowset_rows);
	if (row > r->rowset_size)
		return dq_error(&s->h, "HY107", "row %lu is beyond the rowset of %lu rows",
				(unsigned long)row, (unsigned long)r->rowset_size);
	if (row > r->rowset_rows)
		return dq_error(&s->h, "HY109", "row %lu of the rowset was not fetched "
				"(the result ended after row %lu of it)",
				(unsigned long)row, (unsigned long)r->rowset_rows);
	r->rowset_pos = row;
	s->gd_col = 0;
	memset(&s->gd_piece, 0, sizeof s->gd_piece);
	return SQL_SUCCESS;
}

const dqc_value *dq_cursor_row(dq_stmt *s, SQLRETURN *refusal)
{
	dq_result *r = &s->res;

	if (s->state != DQ_S_CURSOR || r->rowset_rows == 0) {
		*refusal = dq_error(&s->h, "24000", "no current row (fetch first; the "
				    "cursor is before the start or after the end)");
		return NULL;
	}
	if (!r->scroll && r->rowset_size > 1) {
		*refusal = dq_error(&s->h, "HY109", "SQLGetData cannot read a forward-only "
				    "cursor's rowset of %lu rows: bind the columns, fetch "
				    "one row at a time, or use SQL_CURSOR_STATIC and SQLSetPos",
				    (unsigned long)r->rowset_size);
		return NULL;
	}
	if (!r->scroll)
		return r->cur;
	return dq_memrows_row(r->mem, (size_t)(r->rowset_start - 1) + r->rowset_pos - 1);
}

SQLULEN dq_cursor_row_number(const dq_stmt *s)
{
	const dq_result *r = &s->res;
	if (s->state != DQ_S_CURSOR || r->rowset_rows == 0)
		return 0;
	return (SQLULEN)r->rowset_start + r->rowset_pos - 1;
}

SQLRETURN dq_get_data(dq_stmt *s, SQLUSMALLINT col, SQLSMALLINT ctype,
		      SQLPOINTER target, SQLLEN buflen, SQLLEN *ind)
{
	const dqc_value *v;
	SQLLEN len = 0;
	dq_conv cv;
	SQLRETURN rc;
	int precision = 38, scale = 0;

	v = dq_cursor_row(s, &rc);
	if (v == NULL)
		return rc;
	if (col == 0)
		return dq_error(&s->h, "07009", "bookmarks are not supported (column 0)");
	if (col > s->res.ncols)
		return dq_error(&s->h, "07009", "column %u does not exist (the result has %u)",
				col, s->res.ncols);
	if (buflen < 0)
		return dq_error(&s->h, "HY090", "invalid buffer length %ld", (long)buflen);
	if (col != s->gd_col) {
		s->gd_col = col;
		memset(&s->gd_piece, 0, sizeof s->gd_piece);
	}
	/* SQL_ARD_TYPE: the ARD record's type, and for SQL_C_NUMERIC its
	 * precision and scale; a C type given here takes the defaults (38, 0) */
	if (ctype == SQL_ARD_TYPE && col <= (SQLUSMALLINT)s->ard->count) {
		ctype = s->ard->recs[col].concise_type;
		precision = s->ard->recs[col].precision;
		scale = s->ard->recs[col].scale;
	} else if (ctype == SQL_ARD_TYPE) {
		ctype = SQL_C_DEFAULT;
	}
	v = &v[col - 1];
	if (dq_cell_is_null(v)) {
		if (s->gd_piece.offset > 0)
			return SQL_NO_DATA;
		s->gd_piece.offset = 1;
		if (ind == NULL)
			return dq_error(&s->h, "22002",
					"column %u is NULL and no indicator was given", col);
		*ind = SQL_NULL_DATA;
		return SQL_SUCCESS;
	}
	rc = dq_convert_numeric(v, ctype, target, buflen, &s->gd_piece, &len, &cv,
				precision, scale);
	if (rc == SQL_NO_DATA)
		return SQL_NO_DATA;
	if (rc == SQL_ERROR)
		return dq_error(&s->h, cv.state, "column %u: %s", col, cv.msg);
	if (ind)
		*ind = len;
	if (rc == SQL_SUCCESS_WITH_INFO)
		dq_diag_push(&s->h, cv.state, 0, "column %u: %s", col, cv.msg);
	return rc;
}
