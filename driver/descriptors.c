/*
 * descriptors.c -- ARD / APD / IRD / IPD and SQLGet/SetDescField/Rec,
 * SQLCopyDesc.
 *
 * Bindings live in descriptor records exactly as the ODBC model says:
 * SQLBindCol writes the ARD, SQLBindParameter the APD and IPD, a result set
 * fills the IRD. Statement attributes such as SQL_ATTR_ROW_ARRAY_SIZE are
 * views of descriptor header fields.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "unicode.h"

void dq_desc_init(dq_desc *d, dq_dbc *dbc, dq_stmt *stmt, int kind, int implicit)
{
	memset(d, 0, sizeof *d);
	d->h.magic = DQ_MAGIC;
	d->h.type = DQ_HDESC;
	d->dbc = dbc;
	d->stmt = stmt;
	d->kind = kind;
	d->implicit = implicit;
	d->array_size = 1;
	d->bind_type = SQL_BIND_BY_COLUMN;
}

static void rec_defaults(dq_desc *d, dq_desc_rec *r)
{
	memset(r, 0, sizeof *r);
	if (d->kind == DQ_ARD || d->kind == DQ_APD) {
		r->type = r->concise_type = SQL_C_DEFAULT;
	}
	r->parameter_type = SQL_PARAM_INPUT;
	r->nullable = SQL_NULLABLE_UNKNOWN;
	r->unnamed = SQL_UNNAMED;
}

/* Frees a record's strings (its name and the IRD's names). */
static void rec_free_strings(dq_desc_rec *r)
{
	free(r->name);
	free(r->table_name);
	free(r->base_column_name);
	free(r->type_name);
	r->name = r->table_name = r->base_column_name = r->type_name = NULL;
}

void dq_desc_free_recs(dq_desc *d)
{
	for (int i = 0; i < d->cap; i++)
		rec_free_strings(&d->recs[i]);
	free(d->recs);
	d->recs = NULL;
	d->cap = 0;
	d->count = 0;
}

int dq_desc_ensure(dq_desc *d, SQLSMALLINT n)
{
	if (n < 0)
		return -1;
	if (n + 1 > d->cap) {
		int cap = d->cap ? d->cap : 8;
		dq_desc_rec *p;
		while (cap < n + 1)
			cap *= 2;
		p = realloc(d->recs, (size_t)cap * sizeof *p);
		if (p == NULL)
			return -1;
		for (int i = d->cap; i < cap; i++)
			rec_defaults(d, &p[i]);
		d->recs = p;
		d->cap = cap;
	}
	if (n > d->count)
		d->count = n;
	return 0;
}

SQLRETURN dq_desc_alloc(dq_dbc *dbc, dq_desc **out)
{
	dq_desc *d = calloc(1, sizeof *d);
	if (d == NULL)
		return dq_error(&dbc->h, "HY001", "memory allocation failure");
	dq_desc_init(d, dbc, NULL, DQ_ARD, 0);
	d->next = dbc->descs;
	dbc->descs = d;
	*out = d;
	return SQL_SUCCESS;
}

SQLRETURN dq_desc_free(dq_desc *d)
{
	dq_desc **pp;
	if (d->implicit)
		return dq_error(&d->h, "HY017",
				"an implicitly allocated descriptor cannot be freed");
	/* statements using it fall back to their implicit descriptors */
	for (dq_stmt *s = d->dbc->stmts; s; s = s->next) {
		if (s->ard == d)
			s->ard = &s->ard_i;
		if (s->apd == d)
			s->apd = &s->apd_i;
	}
	for (pp = &d->dbc->descs; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	dq_desc_free_recs(d);
	dq_diag_free(&d->h.diag);
	d->h.magic = 0;
	free(d);
	return SQL_SUCCESS;
}

/* With the verbose type SQL_DATETIME: the interval code and the concise
 * type it implies (app descriptors use the SQL_C_TYPE_* codes, which equal
 * the SQL_TYPE_* ones). */
static void set_datetime_code(dq_desc_rec *r, SQLSMALLINT code)
{
	r->datetime_interval_code = code;
	switch (code) {
	case SQL_CODE_DATE: r->concise_type = SQL_TYPE_DATE; break;
	case SQL_CODE_TIME: r->concise_type = SQL_TYPE_TIME; break;
	case SQL_CODE_TIMESTAMP: r->concise_type = SQL_TYPE_TIMESTAMP; break;
	default: break; /* not known yet: the code may come next */
	}
}

/* The fields SQLSetDescField's SQL_DESC_TYPE table sets when a type is
 * declared: character types length 1, precision 0; a date or time
 * precision 0, a timestamp 6 (fractional digits); exact numerics scale 0
 * and the type's precision (SQL_C_NUMERIC 38, as convert.c fills it); the
 * floats their precision (15 digits: SQLite's REAL is a double). */
static void type_defaults(dq_desc_rec *r)
{
	switch (r->concise_type) {
	case SQL_CHAR: case SQL_VARCHAR: /* SQL_C_CHAR too */
		r->length = 1, r->precision = 0; break;
	case SQL_TYPE_DATE: case SQL_TYPE_TIME:
		r->precision = 0; break;
	case SQL_TYPE_TIMESTAMP:
		r->precision = 6; break;
	case SQL_C_NUMERIC: /* == SQL_NUMERIC */
	case SQL_DECIMAL:
		r->scale = 0, r->precision = r->concise_type == SQL_DECIMAL ? 15 : 38;
		break;
	case SQL_FLOAT: case SQL_REAL: /* SQL_C_FLOAT == SQL_REAL */
	case SQL_DOUBLE:
		r->precision = 15; break;
	default:
		break;
	}
}

/* Sets concise type and the verbose type / interval code it implies. */
static void set_concise(dq_desc_rec *r, SQLSMALLINT t)
{
	r->concise_type = t;
	switch (t) {
	case SQL_TYPE_DATE:
		r->type = SQL_DATETIME, r->datetime_interval_code = SQL_CODE_DATE; break;
	case SQL_TYPE_TIME:
		r->type = SQL_DATETIME, r->datetime_interval_code = SQL_CODE_TIME; break;
	case SQL_TYPE_TIMESTAMP:
		r->type = SQL_DATETIME, r->datetime_interval_code = SQL_CODE_TIMESTAMP; break;
	default:
		r->type = t, r->datetime_interval_code = 0; break;
	}
	type_defaults(r);
}

/* The concise datetime and interval codes, which SQL_DESC_TYPE may not
 * take (it takes the verbose SQL_DATETIME / SQL_INTERVAL). */
static int concise_only(SQLLEN t)
{
	return t == SQL_TYPE_DATE || t == SQL_TYPE_TIME || t == SQL_TYPE_TIMESTAMP ||
	       (t >= SQL_INTERVAL_YEAR && t <= SQL_INTERVAL_MINUTE_TO_SECOND);
}

/* A C type an application descriptor may hold (SQLSetDescRec's
 * consistency check). */
static int valid_ctype(SQLSMALLINT t)
{
	if (dq_ctype_size(t) != 0)
		return 1;
	switch (t) {
	case SQL_C_CHAR: case SQL_C_WCHAR: case SQL_C_BINARY: case SQL_C_DEFAULT:
		return 1;
	default:
		return t >= SQL_C_INTERVAL_YEAR && t <= SQL_C_INTERVAL_MINUTE_TO_SECOND;
	}
}

/* An SQL type an IPD may hold: one a parameter converts to
 * (param_convert.c), ODBC 2's date codes and the intervals included. */
static int valid_sqltype(SQLSMALLINT t)
{
	switch (t) {
	case SQL_CHAR: case SQL_VARCHAR: case SQL_LONGVARCHAR:
	case SQL_WCHAR: case SQL_WVARCHAR: case SQL_WLONGVARCHAR:
	case SQL_BIT: case SQL_TINYINT: case SQL_SMALLINT: case SQL_INTEGER:
	case SQL_BIGINT: case SQL_REAL: case SQL_FLOAT: case SQL_DOUBLE:
	case SQL_NUMERIC: case SQL_DECIMAL: case SQL_BINARY: case SQL_VARBINARY:
	case SQL_LONGVARBINARY: case SQL_TYPE_DATE: case SQL_TYPE_TIME:
	case SQL_TYPE_TIMESTAMP: case SQL_DATE: case SQL_TIME: case SQL_TIMESTAMP:
	case SQL_GUID:
		return 1;
	default:
		return t >= SQL_INTERVAL_YEAR && t <= SQL_INTERVAL_MINUTE_TO_SECOND;
	}
}

/* The consistency check of SQLSetDescRec, run when SQL_DESC_DATA_PTR is
 * set on an ARD, APD or IPD: a valid type (a C type for the application
 * descriptors, an SQL type the driver knows for the IPD), a datetime
 * code that makes one, an SQL decimal's precision 1..38 and scale
 * 0..precision, an SQL_C_NUMERIC's scale -38..38, a time or timestamp's
 * seconds precision 0..9. 0 or -1.
 *
 * An SQL_C_NUMERIC's precision is not checked: outside 1..38 it reads as
 * 38 (convert.c). pyodbc's fast_executemany sets it from the marker's
 * described column size (0 for TEXT: "no limit") before binding, and
 * ignores a failure: refusing it left Decimal parameters unbound. */
static int consistent(const dq_desc *d, const dq_desc_rec *r)
{
	SQLSMALLINT t = r->concise_type;

	if (r->type == SQL_DATETIME && (r->datetime_interval_code < SQL_CODE_DATE ||
					r->datetime_interval_code > SQL_CODE_TIMESTAMP))
		return -1;
	if (d->kind == DQ_IPD ? !valid_sqltype(t) : !valid_ctype(t))
		return -1;
	/* SQL_C_NUMERIC == SQL_NUMERIC: an application's struct may scale by
	 * a negative power (its scale is signed), an SQL decimal may not */
	if ((t == SQL_NUMERIC || t == SQL_DECIMAL) && d->kind == DQ_IPD &&
	    (r->precision < 1 || r->precision > 38 || r->scale < 0 ||
	     r->scale > r->precision))
		return -1;
	if (t == SQL_C_NUMERIC && d->kind != DQ_IPD && (r->scale < -38 || r->scale > 38))
		return -1;
	if ((t == SQL_TYPE_TIME || t == SQL_TYPE_TIMESTAMP) &&
	    (r->precision < 0 || r->precision > 9))
		return -1;
	return 0;
}

void dq_desc_set_type(dq_desc_rec *r, SQLSMALLINT concise)
{
	set_concise(r, concise);
}

static SQLRETURN out_str(dq_desc *d, const char *s, SQLPOINTER v,
			 SQLINTEGER buflen, SQLINTEGER *outlen, int wide)
{
	SQLRETURN rc = wide ? dq_out_w(s ? s : "", v, buflen / (SQLINTEGER)sizeof(SQLWCHAR),
				       outlen, 1)
			    : dq_out_a(s ? s : "", v, buflen, outlen);
	if (rc == SQL_SUCCESS_WITH_INFO)
		dq_diag_push(&d->h, "01004", 0, "string data, right truncated");
	return rc;
}

#define PUT(type, val)                                     \
	do {                                               \
		if (value)                                 \
			*(type *)value = (type)(val);      \
		if (outlen)                                \
			*outlen = sizeof(type);            \
		return SQL_SUCCESS;                        \
	} while (0)

SQLRETURN dq_desc_get_field(dq_desc *d, SQLSMALLINT recno, SQLSMALLINT field,
			    SQLPOINTER value, SQLINTEGER buflen,
			    SQLINTEGER *outlen, int wide)
{
	dq_desc_rec *r;

	switch (field) {
	case SQL_DESC_ALLOC_TYPE:
		PUT(SQLSMALLINT, d->implicit ? SQL_DESC_ALLOC_AUTO : SQL_DESC_ALLOC_USER);
	case SQL_DESC_ARRAY_SIZE:
		PUT(SQLULEN, d->array_size);
	case SQL_DESC_ARRAY_STATUS_PTR:
		PUT(SQLPOINTER, d->array_status_ptr);
	case SQL_DESC_BIND_OFFSET_PTR:
		PUT(SQLPOINTER, d->bind_offset_ptr);
	case SQL_DESC_BIND_TYPE:
		PUT(SQLINTEGER, d->bind_type);
	case SQL_DESC_COUNT:
		PUT(SQLSMALLINT, d->count);
	case SQL_DESC_ROWS_PROCESSED_PTR:
		PUT(SQLPOINTER, d->rows_processed_ptr);
	default:
		break;
	}
	if (d->kind == DQ_IRD && d->stmt && d->stmt->state == DQ_S_ALLOCATED)
		return dq_error(&d->h, "HY007", "the statement is neither prepared nor "
				"executed, so its row descriptor holds no columns yet");
	if (recno < 0 || (recno == 0 && field != SQL_DESC_DATA_PTR))
		return dq_error(&d->h, "07009", "invalid descriptor index %d", recno);
	if (recno > d->count)
		return SQL_NO_DATA;
	r = &d->recs[recno];
	switch (field) {
	case SQL_DESC_TYPE: PUT(SQLSMALLINT, r->type);
	case SQL_DESC_CONCISE_TYPE: PUT(SQLSMALLINT, r->concise_type);
	case SQL_DESC_DATETIME_INTERVAL_CODE: PUT(SQLSMALLINT, r->datetime_interval_code);
	case SQL_DESC_DATETIME_INTERVAL_PRECISION: PUT(SQLINTEGER, r->datetime_interval_precision);
	case SQL_DESC_LENGTH: PUT(SQLULEN, r->length);
	case SQL_DESC_OCTET_LENGTH: PUT(SQLLEN, r->octet_length);
	case SQL_DESC_PRECISION: PUT(SQLSMALLINT, r->precision);
	case SQL_DESC_SCALE: PUT(SQLSMALLINT, r->scale);
	case SQL_DESC_NULLABLE: PUT(SQLSMALLINT, r->nullable);
	case SQL_DESC_PARAMETER_TYPE: PUT(SQLSMALLINT, r->parameter_type);
	case SQL_DESC_UNNAMED: PUT(SQLSMALLINT, r->unnamed);
	case SQL_DESC_FIXED_PREC_SCALE: PUT(SQLSMALLINT, r->fixed_prec_scale);
	case SQL_DESC_UNSIGNED: PUT(SQLSMALLINT, r->is_unsigned);
	case SQL_DESC_SEARCHABLE: PUT(SQLSMALLINT, r->searchable);
	case SQL_DESC_CASE_SENSITIVE: PUT(SQLINTEGER, r->case_sensitive);
	case SQL_DESC_UPDATABLE: PUT(SQLSMALLINT, r->updatable);
	case SQL_DESC_AUTO_UNIQUE_VALUE: PUT(SQLINTEGER, r->auto_unique_value);
	case SQL_DESC_DISPLAY_SIZE: PUT(SQLLEN, r->display_size);
	case SQL_DESC_NUM_PREC_RADIX: PUT(SQLINTEGER, r->num_prec_radix);
	case SQL_DESC_DATA_PTR: PUT(SQLPOINTER, r->data_ptr);
	case SQL_DESC_INDICATOR_PTR: PUT(SQLPOINTER, r->indicator_ptr);
	case SQL_DESC_OCTET_LENGTH_PTR: PUT(SQLPOINTER, r->octet_length_ptr);
	case SQL_DESC_NAME:
	case SQL_DESC_LABEL:
		return out_str(d, r->name, value, buflen, outlen, wide);
	/* the IRD's names (results.c fills them), as SQLColAttribute has
	 * them; empty in the other descriptors */
	case SQL_DESC_BASE_COLUMN_NAME:
		return out_str(d, r->base_column_name ? r->base_column_name : r->name,
			       value, buflen, outlen, wide);
	case SQL_DESC_TABLE_NAME:
	case SQL_DESC_BASE_TABLE_NAME:
		return out_str(d, r->table_name, value, buflen, outlen, wide);
	case SQL_DESC_LOCAL_TYPE_NAME:
	case SQL_DESC_TYPE_NAME:
		return out_str(d, r->type_name, value, buflen, outlen, wide);
	case SQL_DESC_LITERAL_PREFIX:
		return out_str(d, d->kind == DQ_IRD ? dq_type_of(r->concise_type)->prefix
				  : NULL, value, buflen, outlen, wide);
	case SQL_DESC_LITERAL_SUFFIX:
		return out_str(d, d->kind == DQ_IRD ? dq_type_of(r->concise_type)->suffix
				  : NULL, value, buflen, outlen, wide);
	case SQL_DESC_SCHEMA_NAME:
	case SQL_DESC_CATALOG_NAME:
		return out_str(d, "", value, buflen, outlen, wide);
	default:
		return dq_error(&d->h, "HY091", "invalid descriptor field %d", field);
	}
}

/* 1 for the record fields dq_desc_set_field sets: any other field is
 * refused (HY091) before the record is touched (created, counted or
 * unbound). */
static int rec_field_settable(SQLSMALLINT field)
{
	switch (field) {
	case SQL_DESC_TYPE:
	case SQL_DESC_CONCISE_TYPE:
	case SQL_DESC_DATETIME_INTERVAL_CODE:
	case SQL_DESC_LENGTH:
	case SQL_DESC_OCTET_LENGTH:
	case SQL_DESC_PRECISION:
	case SQL_DESC_SCALE:
	case SQL_DESC_NULLABLE:
	case SQL_DESC_PARAMETER_TYPE:
	case SQL_DESC_UNNAMED:
	case SQL_DESC_DATA_PTR:
	case SQL_DESC_INDICATOR_PTR:
	case SQL_DESC_OCTET_LENGTH_PTR:
	case SQL_DESC_NAME:
		return 1;
	default:
		return 0;
	}
}

SQLRETURN dq_desc_set_field(dq_desc *d, SQLSMALLINT recno, SQLSMALLINT field,
			    SQLPOINTER value, SQLINTEGER len)
{
	dq_desc_rec *r;
	SQLLEN iv = (SQLLEN)(intptr_t)value;
	(void)len;

	if (d->kind == DQ_IRD && field != SQL_DESC_ARRAY_STATUS_PTR &&
	    field != SQL_DESC_ROWS_PROCESSED_PTR)
		return dq_error(&d->h, "HY016",
				"cannot modify an implementation row descriptor");
	switch (field) {
	case SQL_DESC_ARRAY_SIZE:
		if (iv < 1)
			return dq_error(&d->h, "HY024", "array size must be >= 1");
		d->array_size = (SQLULEN)iv;
		return SQL_SUCCESS;
	case SQL_DESC_ARRAY_STATUS_PTR:
		d->array_status_ptr = value;
		return SQL_SUCCESS;
	case SQL_DESC_BIND_OFFSET_PTR:
		d->bind_offset_ptr = value;
		return SQL_SUCCESS;
	case SQL_DESC_BIND_TYPE:
		d->bind_type = (SQLINTEGER)iv;
		return SQL_SUCCESS;
	case SQL_DESC_ROWS_PROCESSED_PTR:
		d->rows_processed_ptr = value;
		return SQL_SUCCESS;
	case SQL_DESC_COUNT:
		if (iv < 0 || iv > 32767)
			return dq_error(&d->h, "07009", "invalid descriptor count");
		if (dq_desc_ensure(d, (SQLSMALLINT)iv) != 0)
			return dq_error(&d->h, "HY001", "memory allocation failure");
		/* records above the new count are gone (unbound), not hidden */
		for (SQLLEN i = iv + 1; i <= d->count; i++) {
			rec_free_strings(&d->recs[i]);
			rec_defaults(d, &d->recs[i]);
		}
		d->count = (SQLSMALLINT)iv;
		return SQL_SUCCESS;
	case SQL_DESC_ALLOC_TYPE:
		return dq_error(&d->h, "HY091", "SQL_DESC_ALLOC_TYPE is read-only");
	default:
		break;
	}
	if (!rec_field_settable(field))
		return dq_error(&d->h, "HY091", "descriptor field %d cannot be set",
				field);
	if (recno <= 0)
		return dq_error(&d->h, "07009", "invalid descriptor index %d", recno);
	if (field == SQL_DESC_TYPE && concise_only(iv))
		return dq_error(&d->h, "HY021", "SQL_DESC_TYPE takes the verbose "
				"SQL_DATETIME with SQL_DESC_DATETIME_INTERVAL_CODE, not "
				"the concise type %ld (set SQL_DESC_CONCISE_TYPE for that)",
				(long)iv);
	if (field == SQL_DESC_UNNAMED && iv == SQL_NAMED)
		return dq_error(&d->h, "HY091", "SQL_DESC_UNNAMED can be set to "
				"SQL_UNNAMED only (naming sets SQL_NAMED)");
	if (dq_desc_ensure(d, recno) != 0)
		return dq_error(&d->h, "HY001", "memory allocation failure");
	r = &d->recs[recno];
	/* Any field but the deferred ones unbinds an application record
	 * (SQLSetDescField: the record must be bound again, after its type
	 * and attributes, so a binding is never half changed). */
	if ((d->kind == DQ_ARD || d->kind == DQ_APD) && field != SQL_DESC_DATA_PTR &&
	    field != SQL_DESC_INDICATOR_PTR && field != SQL_DESC_OCTET_LENGTH_PTR)
		r->data_ptr = NULL;
	switch (field) {
	case SQL_DESC_TYPE:
		if (iv == SQL_DATETIME) {
			/* the verbose type: the interval code picks the
			 * concise one (SQLSetDescField's rules) */
			r->type = SQL_DATETIME;
			set_datetime_code(r, r->datetime_interval_code);
			return SQL_SUCCESS;
		}
		set_concise(r, (SQLSMALLINT)iv);
		return SQL_SUCCESS;
	case SQL_DESC_CONCISE_TYPE:
		set_concise(r, (SQLSMALLINT)iv);
		return SQL_SUCCESS;
	case SQL_DESC_DATETIME_INTERVAL_CODE:
		if (r->type == SQL_DATETIME) {
			set_datetime_code(r, (SQLSMALLINT)iv);
			type_defaults(r);
		} else {
			r->datetime_interval_code = (SQLSMALLINT)iv;
		}
		return SQL_SUCCESS;
	case SQL_DESC_LENGTH: r->length = (SQLULEN)iv; return SQL_SUCCESS;
	case SQL_DESC_OCTET_LENGTH: r->octet_length = iv; return SQL_SUCCESS;
	case SQL_DESC_PRECISION: r->precision = (SQLSMALLINT)iv; return SQL_SUCCESS;
	case SQL_DESC_SCALE: r->scale = (SQLSMALLINT)iv; return SQL_SUCCESS;
	case SQL_DESC_NULLABLE: r->nullable = (SQLSMALLINT)iv; return SQL_SUCCESS;
	case SQL_DESC_PARAMETER_TYPE: r->parameter_type = (SQLSMALLINT)iv; return SQL_SUCCESS;
	case SQL_DESC_UNNAMED: r->unnamed = (SQLSMALLINT)iv; return SQL_SUCCESS;
	case SQL_DESC_DATA_PTR:
		if (value != NULL && consistent(d, r) != 0)
			return dq_error(&d->h, "HY021", "inconsistent descriptor "
					"information: record %d's type %d (code %d, "
					"precision %d, scale %d) is no valid %s type",
					recno, r->concise_type, r->datetime_interval_code,
					r->precision, r->scale, d->kind == DQ_IPD ? "SQL" : "C");
		/* an IPD's pointer only asks for the check; it is not kept */
		if (d->kind != DQ_IPD)
			r->data_ptr = value;
		return SQL_SUCCESS;
	case SQL_DESC_INDICATOR_PTR: r->indicator_ptr = value; return SQL_SUCCESS;
	case SQL_DESC_OCTET_LENGTH_PTR: r->octet_length_ptr = value; return SQL_SUCCESS;
	case SQL_DESC_NAME: {
		char *n = value ? strdup(value) : NULL;
		free(r->name);
		r->name = n;
		r->unnamed = n ? SQL_NAMED : SQL_UNNAMED;
		return SQL_SUCCESS;
	}
	default:
		return dq_error(&d->h, "HY091", "descriptor field %d cannot be set",
				field);
	}
}

SQLRETURN dq_desc_set_rec(dq_desc *d, SQLSMALLINT recno, SQLSMALLINT type,
			  SQLSMALLINT sub, SQLLEN len, SQLSMALLINT prec,
			  SQLSMALLINT scale, SQLPOINTER data, SQLLEN *strlen_ptr,
			  SQLLEN *ind)
{
	SQLRETURN rc;
	dq_desc_rec *r;

	/* A concise date/time type is what SQLBindCol takes, and applications
	 * pass it here too; SQL_DESC_TYPE wants the verbose form with its
	 * code, which it maps to (SQL_C_TYPE_DATE .. TIMESTAMP are the same
	 * numbers as SQL_TYPE_DATE .. TIMESTAMP). */
	if (type >= SQL_TYPE_DATE && type <= SQL_TYPE_TIMESTAMP) {
		sub = (SQLSMALLINT)(type - SQL_TYPE_DATE + SQL_CODE_DATE);
		type = SQL_DATETIME;
	}
	if (type == SQL_DATETIME)
		rc = dq_desc_set_field(d, recno, SQL_DESC_DATETIME_INTERVAL_CODE,
				       (SQLPOINTER)(intptr_t)sub, 0);
	else
		rc = SQL_SUCCESS;
	if (rc == SQL_SUCCESS)
		rc = dq_desc_set_field(d, recno, SQL_DESC_TYPE,
				       (SQLPOINTER)(intptr_t)type, 0);
	if (rc != SQL_SUCCESS)
		return rc;
	r = &d->recs[recno];
	r->octet_length = len;
	r->precision = prec;
	r->scale = scale;
	r->octet_length_ptr = strlen_ptr;
	r->indicator_ptr = ind;
	/* setting the data pointer runs the consistency check (HY021) */
	return dq_desc_set_field(d, recno, SQL_DESC_DATA_PTR, data, 0);
}

SQLRETURN dq_desc_copy(dq_desc *src, dq_desc *dst)
{
	if (dst->kind == DQ_IRD)
		return dq_error(&dst->h, "HY016",
				"cannot copy into an implementation row descriptor");
	if (src->kind == DQ_IRD && src->stmt && src->stmt->state == DQ_S_ALLOCATED)
		return dq_error(&dst->h, "HY007", "the source is the row descriptor "
				"of a statement neither prepared nor executed");
	if (src == dst)
		return SQL_SUCCESS; /* it already holds itself */
	dq_desc_free_recs(dst);
	if (dq_desc_ensure(dst, src->count) != 0)
		return dq_error(&dst->h, "HY001", "memory allocation failure");
	for (int i = 0; i <= src->count && i < src->cap; i++) {
		const dq_desc_rec *from = &src->recs[i];
		dq_desc_rec *to = &dst->recs[i];
		*to = *from;
		to->name = from->name ? strdup(from->name) : NULL;
		to->table_name = from->table_name ? strdup(from->table_name) : NULL;
		to->base_column_name =
			from->base_column_name ? strdup(from->base_column_name) : NULL;
		to->type_name = from->type_name ? strdup(from->type_name) : NULL;
		if ((from->name && !to->name) || (from->table_name && !to->table_name) ||
		    (from->base_column_name && !to->base_column_name) ||
		    (from->type_name && !to->type_name)) {
			dst->count = (SQLSMALLINT)i;
			return dq_error(&dst->h, "HY001", "memory allocation failure");
		}
	}
	dst->count = src->count;
	dst->array_size = src->array_size;
	dst->array_status_ptr = src->array_status_ptr;
	dst->bind_offset_ptr = src->bind_offset_ptr;
	dst->bind_type = src->bind_type;
	dst->rows_processed_ptr = src->rows_processed_ptr;
	return SQL_SUCCESS;
}

/* Size in bytes of one value of a fixed-size C type, 0 for variable ones. */
SQLLEN dq_ctype_size(SQLSMALLINT ctype)
{
	switch (ctype) {
	case SQL_C_STINYINT: case SQL_C_UTINYINT: case SQL_C_TINYINT:
	case SQL_C_BIT: return 1;
	case SQL_C_SSHORT: case SQL_C_USHORT: case SQL_C_SHORT: return 2;
	case SQL_C_SLONG: case SQL_C_ULONG: case SQL_C_LONG:
	case SQL_C_FLOAT: return 4;
	case SQL_C_SBIGINT: case SQL_C_UBIGINT: case SQL_C_DOUBLE: return 8;
	case SQL_C_NUMERIC: return sizeof(SQL_NUMERIC_STRUCT);
	case SQL_C_TYPE_DATE: case SQL_C_DATE: return sizeof(SQL_DATE_STRUCT);
	case SQL_C_TYPE_TIME: case SQL_C_TIME: return sizeof(SQL_TIME_STRUCT);
	case SQL_C_TYPE_TIMESTAMP: case SQL_C_TIMESTAMP:
		return sizeof(SQL_TIMESTAMP_STRUCT);
	case SQL_C_GUID: return sizeof(SQLGUID);
	default: return 0;
	}
}

void dq_desc_bound(const dq_desc *d, const dq_desc_rec *r, SQLULEN row,
		   char **data, SQLLEN **ind, SQLLEN **octlen)
{
	SQLLEN off = d->bind_offset_ptr ? *d->bind_offset_ptr : 0;
	size_t elem, istep;

	if (d->bind_type == SQL_BIND_BY_COLUMN) {
		SQLLEN fixed = dq_ctype_size(r->concise_type);
		elem = (size_t)(fixed ? fixed : r->octet_length);
		istep = sizeof(SQLLEN);
	} else {
		elem = istep = (size_t)d->bind_type;
	}
	*data = r->data_ptr ? (char *)r->data_ptr + off + row * elem : NULL;
	*ind = r->indicator_ptr
		       ? (SQLLEN *)(void *)((char *)r->indicator_ptr + off + row * istep)
		       : NULL;
	*octlen = r->octet_length_ptr
			  ? (SQLLEN *)(void *)((char *)r->octet_length_ptr + off +
					       row * istep)
			  : NULL;
}
