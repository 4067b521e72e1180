/*
 * results.c -- a statement's current result set (a server stream or
 * in-memory rows): reading rows and converting them into bound columns
 * (cursor.c moves the block cursor and serves SQLGetData; batch.c queues
 * a batch's results for SQLMoreResults), SQLDescribeCol /
 * SQLColAttribute, SQLRowCount, SQLCloseCursor.
 *
 * Column types and names: dq_result_columns (result_schema.c).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "unicode.h"

SQLRETURN dq_rows_discard(dq_stmt *s, dqc_rows *rows)
{
	int rc = rows ? dqc_rows_abandon(rows) : 0;
	dqc_rows_close(rows);
	return rc ? dq_sess_failed_aside(&s->dbc->sess, &s->h, rc) : SQL_SUCCESS;
}

SQLRETURN dq_result_clear(dq_stmt *s)
{
	dq_result *r = &s->res;
	SQLRETURN ret = dq_rows_discard(s, r->rows);
	dq_memrows_free(r->mem);
	dq_colmeta_free(r->cols, r->ncols);
	memset(r, 0, sizeof *r);
	s->ird.count = 0;
	s->gd_col = 0;
	memset(&s->gd_piece, 0, sizeof s->gd_piece);
	return ret;
}

SQLRETURN dq_results_close(dq_stmt *s)
{
	SQLRETURN ret = dq_result_clear(s), r2;
	/* the cursor closes whatever discarding its rest cost */
	dq_batch *b = &s->batch;

	for (size_t i = b->pos; i < b->n; i++)
		if ((r2 = dq_rows_discard(s, b->items[i].rows)) != SQL_SUCCESS)
			ret = r2;
	free(b->items);
	memset(b, 0, sizeof *b);
	if (s->state == DQ_S_CURSOR || s->state == DQ_S_EXECUTED)
		dq_stmt_set_state(s, dq_stmt_idle_state(s));
	return ret;
}

/* Fills one IRD record from a column's metadata: its sizes from the
 * declared type when the schema gave it (so they agree with SQLColumns),
 * else from the type table; the per-type attributes from the type table
 * (so they agree with SQLGetTypeInfo). */
static void fill_ird_rec(dq_desc_rec *d, const dq_colmeta *m)
{
	const dq_type *t = dq_type_of(m->sql_type);
	SQLLEN display = t->display, octets = t->octets;

	dq_desc_set_type(d, m->sql_type);
	d->length = t->size;
	d->scale = t->digits;
	if (m->declared_known) {
		d->length = m->column_size;
		d->scale = m->decimal_digits;
		display = m->display;
		octets = m->octets;
	} else if (m->column_size) {
		/* a catalog column's width */
		d->length = m->column_size;
		if (m->sql_type == SQL_CHAR || m->sql_type == SQL_VARCHAR)
			display = octets = (SQLLEN)m->column_size;
	}
	d->precision = (SQLSMALLINT)(d->length > 32767 ? 32767 : d->length);
	if (m->sql_type == SQL_TYPE_TIME || m->sql_type == SQL_TYPE_TIMESTAMP)
		d->precision = d->scale; /* of the fractional seconds */
	d->octet_length = octets;
	d->display_size = (SQLINTEGER)display;
	d->nullable = m->nullable;
	d->unnamed = d->name && *d->name ? SQL_NAMED : SQL_UNNAMED;
	d->searchable = t->searchable;
	d->case_sensitive = t->case_sensitive ? SQL_TRUE : SQL_FALSE;
	d->updatable = SQL_ATTR_READONLY;
	/* SQLColAttribute: SQL_TRUE for a type that is not numeric (whose
	 * UNSIGNED_ATTRIBUTE SQLGetTypeInfo gives as NULL) */
	d->is_unsigned = t->unsigned_attr == 0 ? SQL_FALSE : SQL_TRUE;
	d->num_prec_radix = t->radix;
}

/* A copy of s, or of "" for NULL; NULL only when memory runs out. */
static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* Fills the IRD from column metadata (the result's or the description's):
 * the record's names too, so SQLGetDescField on the IRD and
 * SQLColAttribute answer alike. */
static int fill_ird(dq_stmt *s, const dq_colmeta *cols, unsigned ncols)
{
	dq_desc_free_recs(&s->ird);
	if (dq_desc_ensure(&s->ird, (SQLSMALLINT)ncols) != 0)
		return -1;
	for (unsigned i = 0; i < ncols; i++) {
		dq_desc_rec *d = &s->ird.recs[i + 1];
		const char *type_name = cols[i].type_name;
		if (type_name == NULL)
			dq_type_props(cols[i].sql_type, NULL, NULL, NULL, NULL, &type_name);
		d->name = cols[i].name ? strdup(cols[i].name) : NULL;
		d->table_name = dup_or_empty(cols[i].table_name);
		d->base_column_name = dup_or_empty(cols[i].base_column_name
						   ? cols[i].base_column_name
						   : cols[i].name);
		d->type_name = dup_or_empty(type_name);
		if ((cols[i].name && !d->name) || !d->table_name ||
		    !d->base_column_name || !d->type_name)
			return -1;
		fill_ird_rec(d, &cols[i]);
		d->auto_unique_value = cols[i].auto_unique ? SQL_TRUE : SQL_FALSE;
	}
	s->ird.count = (SQLSMALLINT)ncols;
	return 0;
}

/* A result that could not be made: it is dropped and s rests idle. */
static SQLRETURN fail_new_result(dq_stmt *s, SQLRETURN ret)
{
	dq_result_clear(s);
	if (s->state == DQ_S_CURSOR)
		dq_stmt_set_state(s, dq_stmt_idle_state(s));
	return ret;
}

SQLRETURN dq_result_from_rows(dq_stmt *s, dqc_rows *rows)
{
	dq_result *r = &s->res;
	const dqc_value *cells = NULL;
	int rc;

	dq_result_clear(s);
	r->rows = rows;
	r->ncols = dqc_rows_column_count(rows);
	/* The first row came with the reply: read it now to type the columns,
	 * and hand it out on the first fetch. */
	rc = dqc_rows_next(rows, &cells);
	if (rc < 0)
		return fail_new_result(s, dq_sess_rows_failed(&s->dbc->sess, &s->h,
							      rows, rc));
	r->peeked = rc == 1;
	r->peek = rc == 1 ? cells : NULL;
	r->done = rc == 0;
	r->cols = dq_result_columns(s, rows, r->peek);
	if (r->cols == NULL || dq_describe_pin(s, r->cols, r->ncols) != 0 ||
	    fill_ird(s, r->cols, r->ncols) != 0)
		return fail_new_result(s, dq_error(&s->h, "HY001",
						   "memory allocation failure"));
	s->row_count = -1;
	dq_stmt_set_state(s, DQ_S_CURSOR);
	return SQL_SUCCESS;
}

SQLRETURN dq_result_from_memory(dq_stmt *s, dq_colmeta *cols, unsigned ncols,
				dq_memrows *mem)
{
	dq_results_close(s);
	s->res.cols = cols;
	s->res.ncols = ncols;
	s->res.mem = mem;
	s->res.scroll = s->cursor_type == SQL_CURSOR_STATIC; /* already in memory */
	if (fill_ird(s, cols, ncols) != 0)
		return fail_new_result(s, dq_error(&s->h, "HY001",
						   "memory allocation failure"));
	s->row_count = -1;
	dq_stmt_set_state(s, DQ_S_CURSOR);
	return SQL_SUCCESS;
}

int dq_result_next(dq_stmt *s)
{
	dq_result *r = &s->res;
	const dqc_value *cells;
	int rc;

	r->cur = NULL;
	if (r->done)
		return 0;
	if (s->max_rows && (SQLULEN)r->row_number >= s->max_rows) {
		r->done = 1;
		return 0;
	}
	if (r->mem) {
		if (r->mem_pos >= dq_memrows_count(r->mem)) {
			r->done = 1;
			return 0;
		}
		r->cur = dq_memrows_row(r->mem, r->mem_pos++);
		r->row_number++;
		return 1;
	}
	if (r->peeked) {
		r->peeked = 0;
		r->cur = r->peek;
		r->row_number++;
		return 1;
	}
	if (r->rows == NULL) {
		r->done = 1;
		return 0;
	}
	rc = dqc_rows_next(r->rows, &cells);
	if (rc == 1) {
		r->cur = cells;
		r->row_number++;
		return 1;
	}
	r->done = 1;
	if (rc == 0)
		return 0;
	dq_sess_rows_failed(&s->dbc->sess, &s->h, r->rows, rc);
	return SQL_ERROR;
}

/* Numbers a record dq_bind_row just posted (NULL: none could be stored)
 * with its row in the rowset (1-based) and its column, for
 * SQL_DIAG_ROW_NUMBER and SQL_DIAG_COLUMN_NUMBER. */
static void number_rec(dq_diag_rec *d, SQLULEN slot, SQLSMALLINT col)
{
	if (d == NULL)
		return;
	d->row_number = (SQLLEN)slot + 1;
	d->column_number = col;
}

SQLRETURN dq_bind_row(dq_stmt *s, const dqc_value *cells, SQLULEN slot)
{
	SQLRETURN worst = SQL_SUCCESS;
	dq_desc *ard = s->ard;

	for (SQLSMALLINT c = 1; c <= ard->count && c <= (SQLSMALLINT)s->res.ncols; c++) {
		dq_desc_rec *rec = &ard->recs[c];
		const dqc_value *v = &cells[c - 1];
		char *data;
		SQLLEN *ind, *octlen, len = 0;
		dq_piece off = {0};
		dq_conv cv;
		SQLRETURN rc;

		if (rec->data_ptr == NULL && rec->indicator_ptr == NULL)
			continue;
		dq_desc_bound(ard, rec, slot, &data, &ind, &octlen);
		if (dq_cell_is_null(v)) {
			if (ind == NULL) {
				number_rec(dq_diag_push(&s->h, "22002", 0,
							"column %d is NULL and no "
							"indicator was bound", c),
					   slot, c);
				worst = SQL_ERROR;
				continue;
			}
			dq_store_len(ind, SQL_NULL_DATA);
			continue;
		}
		if (data == NULL)
			continue;
		rc = dq_convert_numeric(v, rec->concise_type, data, rec->octet_length,
					&off, &len, &cv, rec->precision, rec->scale);
		if (rc == SQL_ERROR) {
			number_rec(dq_diag_push(&s->h, cv.state, 0, "column %d: %s",
						c, cv.msg),
				   slot, c);
			worst = SQL_ERROR;
			continue;
		}
		if (octlen)
			dq_store_len(octlen, len);
		if (ind && ind != octlen)
			dq_store_len(ind, len);
		if (rc == SQL_SUCCESS_WITH_INFO) {
			number_rec(dq_diag_push(&s->h, cv.state, 0, "column %d: %s",
						c, cv.msg),
				   slot, c);
			if (worst == SQL_SUCCESS)
				worst = SQL_SUCCESS_WITH_INFO;
		}
	}
	return worst;
}

/* In the prepared state, the statement's description before it runs
 * (describe.c: one round trip the first time) is loaded into the IRD;
 * with a cursor open, the result's is there already. */
static SQLRETURN describe_now(dq_stmt *s)
{
	SQLRETURN ret;

	if (s->state != DQ_S_PREPARED)
		return SQL_SUCCESS;
	ret = dq_describe_prepared(s);
	/* (closing a cursor empties the IRD; otherwise it holds this already) */
	if (ret == SQL_SUCCESS && s->ird.count != (SQLSMALLINT)s->described.ncols &&
	    fill_ird(s, s->described.cols, s->described.ncols) != 0)
		ret = dq_error(&s->h, "HY001", "memory allocation failure");
	return ret;
}

/* The columns the statement describes now: its result's, or before it
 * ran its description's (none in other states). */
static unsigned ncols_now(const dq_stmt *s)
{
	if (s->state == DQ_S_CURSOR)
		return s->res.ncols;
	return s->state == DQ_S_PREPARED ? s->described.ncols : 0;
}

SQLRETURN dq_num_result_cols(dq_stmt *s, SQLSMALLINT *n)
{
	SQLRETURN ret = describe_now(s);

	if (ret != SQL_SUCCESS)
		return ret;
	if (n)
		*n = (SQLSMALLINT)ncols_now(s);
	return SQL_SUCCESS;
}

static SQLRETURN check_col(dq_stmt *s, SQLUSMALLINT col)
{
	SQLRETURN ret = describe_now(s);

	if (ret != SQL_SUCCESS)
		return ret;
	if (s->state == DQ_S_PREPARED && s->described.unknown)
		return dq_error(&s->h, "07005",
				"the prepared statement's result is described once it "
				"is executed: a PRAGMA, RETURNING or multi-statement "
				"text cannot be described without running it");
	if (ncols_now(s) == 0)
		return dq_error(&s->h, "07005", "the statement %s a result set",
				s->state == DQ_S_PREPARED ? "does not return"
							  : "did not return");
	if (col < 1 || col > ncols_now(s))
		return dq_error(&s->h, "07009", "column %u does not exist (the result has %u)",
				col, ncols_now(s));
	return SQL_SUCCESS;
}

SQLRETURN dq_describe_col(dq_stmt *s, SQLUSMALLINT col, void *name,
			  SQLSMALLINT buflen, SQLSMALLINT *namelen,
			  SQLSMALLINT *type, SQLULEN *size, SQLSMALLINT *digits,
			  SQLSMALLINT *nullable, int wide)
{
	const dq_desc_rec *d;
	SQLRETURN rc = check_col(s, col);
	if (rc != SQL_SUCCESS)
		return rc;
	d = &s->ird.recs[col];
	if (type) *type = d->concise_type;
	if (size) *size = d->length;
	if (digits) *digits = d->scale;
	if (nullable) *nullable = d->nullable;
	rc = wide ? dq_out_w_small(d->name ? d->name : "", name, buflen, namelen, 0)
		  : dq_out_a_small(d->name ? d->name : "", name, buflen, namelen);
	if (rc == SQL_SUCCESS_WITH_INFO)
		dq_diag_push(&s->h, "01004", 0, "column name truncated");
	return rc;
}

SQLRETURN dq_col_attribute(dq_stmt *s, SQLUSMALLINT col, SQLUSMALLINT field,
			   SQLPOINTER cattr, SQLSMALLINT buflen,
			   SQLSMALLINT *outlen, SQLLEN *nattr, int wide)
{
	const dq_desc_rec *d;
	const char *str = NULL;
	SQLLEN num = 0;
	SQLRETURN rc;

	if (field == SQL_DESC_COUNT || field == SQL_COLUMN_COUNT) {
		rc = describe_now(s);
		if (rc == SQL_SUCCESS && nattr)
			*nattr = ncols_now(s);
		return rc;
	}
	rc = check_col(s, col);
	if (rc != SQL_SUCCESS)
		return rc;
	d = &s->ird.recs[col];
	switch (field) {
	case SQL_DESC_NAME: case SQL_DESC_LABEL: case SQL_COLUMN_NAME:
		str = d->name ? d->name : "";
		break;
	/* the IRD record's names (fill_ird), which SQLGetDescField reads too */
	case SQL_DESC_BASE_COLUMN_NAME:
		str = d->base_column_name ? d->base_column_name : "";
		break;
	case SQL_DESC_TABLE_NAME: case SQL_DESC_BASE_TABLE_NAME:
		str = d->table_name ? d->table_name : "";
		break;
	case SQL_DESC_SCHEMA_NAME: case SQL_DESC_CATALOG_NAME:
		str = "";
		break;
	case SQL_DESC_LITERAL_PREFIX: /* as SQLGetTypeInfo's */
		str = dq_type_of(d->concise_type)->prefix;
		str = str ? str : "";
		break;
	case SQL_DESC_LITERAL_SUFFIX:
		str = dq_type_of(d->concise_type)->suffix;
		str = str ? str : "";
		break;
	case SQL_DESC_TYPE_NAME: case SQL_DESC_LOCAL_TYPE_NAME:
		str = d->type_name ? d->type_name : "";
		break;
	case SQL_DESC_TYPE: num = d->type; break;
	case SQL_DESC_CONCISE_TYPE: num = d->concise_type; break;
	case SQL_DESC_LENGTH: case SQL_COLUMN_LENGTH: num = (SQLLEN)d->length; break;
	case SQL_DESC_OCTET_LENGTH: num = d->octet_length; break;
	case SQL_DESC_PRECISION: case SQL_COLUMN_PRECISION: num = d->precision; break;
	case SQL_DESC_SCALE: case SQL_COLUMN_SCALE: num = d->scale; break;
	case SQL_DESC_NULLABLE: case SQL_COLUMN_NULLABLE: num = d->nullable; break;
	case SQL_DESC_DISPLAY_SIZE: num = d->display_size; break;
	case SQL_DESC_UNSIGNED: num = d->is_unsigned; break;
	case SQL_DESC_FIXED_PREC_SCALE: num = SQL_FALSE; break;
	case SQL_DESC_AUTO_UNIQUE_VALUE: num = d->auto_unique_value; break;
	case SQL_DESC_CASE_SENSITIVE: num = d->case_sensitive; break;
	case SQL_DESC_SEARCHABLE: num = d->searchable; break;
	case SQL_DESC_UPDATABLE: num = d->updatable; break;
	case SQL_DESC_UNNAMED: num = d->unnamed; break;
	case SQL_DESC_NUM_PREC_RADIX: num = d->num_prec_radix; break;
	default:
		return dq_error(&s->h, "HY091", "unknown column attribute %u", field);
	}
	if (str) {
		rc = wide ? dq_out_w_small(str, cattr, buflen / (SQLSMALLINT)sizeof(SQLWCHAR),
					   outlen, 1)
			  : dq_out_a_small(str, cattr, buflen, outlen);
		if (rc == SQL_SUCCESS_WITH_INFO)
			dq_diag_push(&s->h, "01004", 0, "string data, right truncated");
		return rc;
	}
	if (nattr)
		*nattr = num;
	return SQL_SUCCESS;
}

SQLRETURN dq_row_count(dq_stmt *s, SQLLEN *n)
{
	if (s->state < DQ_S_EXECUTED)
		return dq_error(&s->h, "HY010", "the statement has not been executed");
	if (n)
		*n = s->state == DQ_S_CURSOR ? -1 : s->row_count;
	return SQL_SUCCESS;
}

/* The check before SQLPrepare, SQLExecute, SQLExecDirect and the catalog
 * functions: an open cursor is 24000, unless SQLCancel found it idle.
 * unixODBC takes any successful SQLCancel as SQLFreeStmt(SQL_CLOSE) (S5-S7
 * to S1/S3, as Appendix B and ODBC 2 have it; the ODBC 3 reference says
 * such a cancel has no effect), so its application can no longer fetch
 * that cursor (HY010) nor SQLCloseCursor it (24000), and would be refused
 * here: the cursor is closed now instead. Until then it stays readable
 * (an application calling the driver directly sees the cancel as having no
 * effect). */
SQLRETURN dq_stmt_no_cursor(dq_stmt *s)
{
	if (s->state != DQ_S_CURSOR)
		return SQL_SUCCESS;
	if (!s->cursor_canceled)
		return dq_error(&s->h, "24000", "a cursor is open on the statement");
	return dq_results_close(s) == SQL_ERROR ? SQL_ERROR : SQL_SUCCESS;
}

SQLRETURN dq_close_cursor(dq_stmt *s)
{
	if (s->state != DQ_S_CURSOR)
		return dq_error(&s->h, "24000", "no cursor is open");
	return dq_results_close(s);
}
