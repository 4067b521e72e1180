/*
 * params.c -- SQLBindParameter, the bound C values of a parameter set
 * (converted to their SQL types by param_convert.c), data at execution.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "param_convert.h"
#include "unicode.h"

void *dq_arena_alloc(dq_arena *a, size_t n)
{
	void *p;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 8;
		void **b = realloc(a->blocks, cap * sizeof *b);
		if (b == NULL)
			return NULL;
		a->blocks = b;
		a->cap = cap;
	}
	p = malloc(n ? n : 1);
	if (p)
		a->blocks[a->n++] = p;
	return p;
}

void dq_arena_free(dq_arena *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->blocks[i]);
	free(a->blocks);
	a->blocks = NULL;
	a->n = a->cap = 0;
}

static SQLSMALLINT default_ctype(SQLSMALLINT sqltype)
{
	switch (sqltype) {
	case SQL_WCHAR: case SQL_WVARCHAR: case SQL_WLONGVARCHAR: return SQL_C_WCHAR;
	case SQL_INTEGER: return SQL_C_SLONG;
	case SQL_SMALLINT: return SQL_C_SSHORT;
	case SQL_TINYINT: return SQL_C_STINYINT;
	case SQL_BIGINT: return SQL_C_SBIGINT;
	case SQL_REAL: return SQL_C_FLOAT;
	case SQL_FLOAT: case SQL_DOUBLE: return SQL_C_DOUBLE;
	case SQL_BIT: return SQL_C_BIT;
	case SQL_BINARY: case SQL_VARBINARY: case SQL_LONGVARBINARY: return SQL_C_BINARY;
	case SQL_TYPE_DATE: case SQL_DATE: return SQL_C_TYPE_DATE;
	case SQL_TYPE_TIME: case SQL_TIME: return SQL_C_TYPE_TIME;
	case SQL_TYPE_TIMESTAMP: case SQL_TIMESTAMP: return SQL_C_TYPE_TIMESTAMP;
	case SQL_GUID: return SQL_C_GUID;
	default: return SQL_C_CHAR;
	}
}

SQLRETURN dq_bind_parameter(dq_stmt *s, SQLUSMALLINT num, SQLSMALLINT io,
			    SQLSMALLINT ctype, SQLSMALLINT sqltype,
			    SQLULEN colsize, SQLSMALLINT digits,
			    SQLPOINTER value, SQLLEN buflen, SQLLEN *ind)
{
	dq_desc_rec *a, *p;

	if (num < 1)
		return dq_error(&s->h, "07009", "invalid parameter number %u", num);
	if (io != SQL_PARAM_INPUT)
		return dq_error(&s->h, "HYC00",
				"only input parameters are supported (dqlite has no "
				"stored procedures)");
	if (buflen < 0 && (ctype == SQL_C_CHAR || ctype == SQL_C_WCHAR ||
			   ctype == SQL_C_BINARY))
		return dq_error(&s->h, "HY090", "invalid buffer length %ld",
				(long)buflen);
	if (dq_desc_ensure(s->apd, (SQLSMALLINT)num) != 0 ||
	    dq_desc_ensure(&s->ipd, (SQLSMALLINT)num) != 0)
		return dq_error(&s->h, "HY001", "memory allocation failure");
	a = &s->apd->recs[num];
	p = &s->ipd.recs[num];
	dq_desc_set_type(a, ctype == SQL_C_DEFAULT ? default_ctype(sqltype) : ctype);
	a->data_ptr = value;
	a->octet_length = buflen;
	a->indicator_ptr = ind;
	a->octet_length_ptr = ind;
	dq_desc_set_type(p, sqltype);
	/* which IPD field ColumnSize and DecimalDigits set depends on the
	 * type (SQLBindParameter): the length of character, binary and
	 * datetime types, the precision of the decimals and floats; the
	 * scale of the decimals, the seconds precision of times and
	 * timestamps; for other types they are ignored */
	switch (sqltype) {
	case SQL_CHAR: case SQL_VARCHAR: case SQL_LONGVARCHAR:
	case SQL_WCHAR: case SQL_WVARCHAR: case SQL_WLONGVARCHAR:
	case SQL_BINARY: case SQL_VARBINARY: case SQL_LONGVARBINARY:
	case SQL_TYPE_DATE: case SQL_TYPE_TIME: case SQL_TYPE_TIMESTAMP:
		p->length = colsize;
		break;
	case SQL_DECIMAL: case SQL_NUMERIC: case SQL_FLOAT: case SQL_REAL:
	case SQL_DOUBLE:
		p->precision = (SQLSMALLINT)colsize;
		break;
	default:
		break;
	}
	if (sqltype == SQL_DECIMAL || sqltype == SQL_NUMERIC)
		p->scale = digits;
	else if (sqltype == SQL_TYPE_TIME || sqltype == SQL_TYPE_TIMESTAMP)
		p->precision = digits;
	p->parameter_type = io;
	p->nullable = SQL_NULLABLE;
	return SQL_SUCCESS;
}

/* Byte offset of the first NUL character of a text value, or -1. */
static long nul_at(SQLSMALLINT ctype, const char *p, size_t n)
{
	if (ctype == SQL_C_WCHAR) {
		for (size_t i = 0; i + sizeof(SQLWCHAR) <= n; i += sizeof(SQLWCHAR)) {
			SQLWCHAR c;
			memcpy(&c, p + i, sizeof c);
			if (c == 0)
				return (long)i;
		}
		return -1;
	}
	const char *z = memchr(p, 0, n);
	return z ? (long)(z - p) : -1;
}

/* Keeps a malloc'd block for the execution's lifetime (freed with the
 * arena). -1 (and p freed) on ENOMEM. */
static int arena_adopt(dq_arena *a, void *p)
{
	void **slot = dq_arena_alloc(a, 0);
	if (slot == NULL) {
		free(p);
		return -1;
	}
	/* swap the placeholder block for p */
	free(a->blocks[a->n - 1]);
	a->blocks[a->n - 1] = p;
	return 0;
}

/* Character data as UTF-8: SQL_C_CHAR as it is, SQL_C_WCHAR converted
 * (the UTF-8 copy adopted by the arena). A NUL inside is refused: dqlite
 * sends text NUL-terminated, so it would cut the value there. */
static SQLRETURN text_utf8(dq_stmt *s, unsigned num, SQLSMALLINT ctype,
			   const char **p, size_t *n, dq_arena *a)
{
	long z;
	int ok;
	char *u;

	if ((z = nul_at(ctype, *p, *n)) >= 0)
		return dq_error(&s->h, "22018",
				"parameter %u: the text holds a NUL character at "
				"byte %ld; dqlite carries text only up to a NUL, so "
				"it would be cut there: bind it as SQL_C_BINARY to "
				"store a BLOB, or remove the NUL", num, z);
	if (ctype != SQL_C_WCHAR)
		return SQL_SUCCESS;
	u = dq_utf16_to_utf8((const SQLWCHAR *)(const void *)*p,
			     (SQLINTEGER)(*n / sizeof(SQLWCHAR)), &ok);
	if (ok == 0)
		return dq_error(&s->h, "HY001", "memory allocation failure");
	if (ok != 1)
		return dq_error(&s->h, "22018", "parameter %u: invalid UTF-16 text", num);
	if (u == NULL) {
		*p = "", *n = 0;
		return SQL_SUCCESS;
	}
	if (arena_adopt(a, u) != 0)
		return dq_error(&s->h, "HY001", "memory allocation failure");
	*p = u, *n = strlen(u);
	return SQL_SUCCESS;
}

/* Marks the records posted since `before` as about parameter num of the
 * parameter set (SQL_DIAG_COLUMN_NUMBER; SQL_DIAG_ROW_NUMBER 1, which a
 * parameter array renumbers with the set's row). */
static void mark_param(dq_stmt *s, int before, unsigned num)
{
	for (int k = before; k < s->h.diag.n; k++) {
		s->h.diag.recs[k].row_number = 1;
		s->h.diag.recs[k].column_number = (SQLINTEGER)num;
	}
}

/* Converts the C value of parameter num (len: bytes of CHAR / WCHAR /
 * BINARY data) to its SQL type (param_convert.h). A failure or a warning
 * is posted, marked with the parameter's number. */
static SQLRETURN param_value(dq_stmt *s, unsigned num, SQLSMALLINT ctype,
			     SQLSMALLINT sqltype, const char *p, size_t len,
			     dqc_value *v, dq_arena *a)
{
	int before = s->h.diag.n;
	dq_pconv c;
	char *heap = NULL;
	SQLRETURN rc = SQL_SUCCESS;

	if (ctype == SQL_C_CHAR || ctype == SQL_C_WCHAR) {
		rc = text_utf8(s, num, ctype, &p, &len, a);
		ctype = SQL_C_CHAR;
	}
	if (rc == SQL_SUCCESS)
		rc = dq_param_convert(ctype, p, len, sqltype, v, &heap, &c);
	else
		c.state[0] = '\0'; /* text_utf8 posted its own record */
	if (heap && arena_adopt(a, heap) != 0)
		rc = dq_error(&s->h, "HY001", "memory allocation failure");
	else if (rc != SQL_SUCCESS && c.state[0])
		dq_diag_push(&s->h, c.state, 0, "parameter %u: %s", num, c.msg);
	mark_param(s, before, num);
	return rc;
}

/* The data-at-execution slot of parameter i (1-based) of set `row`, or
 * NULL when none was given yet. */
static dq_dae *dae_at(dq_stmt *s, SQLULEN row, int i)
{
	size_t k = (size_t)row * (size_t)s->apd->count + (size_t)(i - 1);
	return s->dae && k < (size_t)s->dae_n ? &s->dae[k] : NULL;
}

static int is_dae(const SQLLEN *ind)
{
	SQLLEN v;
	if (ind == NULL)
		return 0;
	v = dq_load_len(ind);
	return v == SQL_DATA_AT_EXEC || v <= SQL_LEN_DATA_AT_EXEC_OFFSET;
}

/* The C bytes of parameter i in set `row`: *p and *len, or *is_null. Returns
 * SQL_SUCCESS, SQL_NEED_DATA (data at execution not given yet) or an
 * error. */
static SQLRETURN param_bytes(dq_stmt *s, unsigned i, unsigned n, SQLULEN row,
			     const dq_desc_rec **rec, const char **p,
			     size_t *len, int *is_null)
{
	const dq_desc_rec *r;
	char *data;
	SQLLEN *ind, *octlen, fixed;

	*is_null = 0;
	if ((SQLSMALLINT)i > s->apd->count || (r = &s->apd->recs[i])->data_ptr == NULL) {
		r = (SQLSMALLINT)i <= s->apd->count ? &s->apd->recs[i] : NULL;
		if (r == NULL || r->indicator_ptr == NULL) {
			dq_diag_push(&s->h, "07002", 0,
				     "parameter %u is not bound (the statement "
				     "has %u parameter markers)", i, n);
			return SQL_ERROR;
		}
	}
	*rec = r;
	fixed = dq_ctype_size(r->concise_type);
	dq_desc_bound(s->apd, r, row, &data, &ind, &octlen);
	if (ind && (dq_load_len(ind) == SQL_NULL_DATA ||
		    dq_load_len(ind) == SQL_DEFAULT_PARAM)) {
		*is_null = 1;
		return SQL_SUCCESS;
	}
	if (is_dae(ind)) {
		dq_dae *d = dae_at(s, row, (int)i);
		if (d == NULL || !d->given)
			return SQL_NEED_DATA;
		*is_null = d->is_null;
		if (fixed && !d->is_null && d->len < (size_t)fixed)
			return dq_error(&s->h, "HY090",
					"parameter %u: SQLPutData gave %zu bytes, "
					"the C type needs %ld", i, d->len, (long)fixed);
		*p = d->buf ? d->buf : "";
		*len = d->len;
		return SQL_SUCCESS;
	}
	if (data == NULL)
		return dq_error(&s->h, "07002", "parameter %u has no data", i);
	*p = data;
	*len = (size_t)fixed;
	if (fixed == 0) {
		SQLLEN given = octlen ? dq_load_len(octlen) : SQL_NTS;
		if (given == SQL_NTS)
			*len = r->concise_type == SQL_C_WCHAR
				       ? dq_wcslen((const SQLWCHAR *)(const void *)data) *
						 sizeof(SQLWCHAR)
				       : strlen(data);
		else if (given < 0)
			return dq_error(&s->h, "HY090",
					"parameter %u: invalid length %ld", i,
					(long)given);
		else
			*len = (size_t)given;
	}
	return SQL_SUCCESS;
}

SQLRETURN dq_params_build(dq_stmt *s, SQLULEN row, dqc_value *vals,
			  unsigned n, dq_arena *a)
{
	SQLRETURN ret = SQL_SUCCESS;

	for (unsigned i = 1; i <= n; i++) {
		const dq_desc_rec *r = NULL, *ip;
		const char *p = NULL;
		size_t len = 0;
		int is_null;
		SQL_NUMERIC_STRUCT num;
		SQLRETURN rc = param_bytes(s, i, n, row, &r, &p, &len, &is_null);

		if (rc != SQL_SUCCESS)
			return rc;
		if (is_null) {
			vals[i - 1].type = DQC_NULL;
			continue;
		}
		if (r->concise_type == SQL_C_NUMERIC && r->scale != 0 && len >= sizeof num) {
			/* ODBC reads an SQL_C_NUMERIC parameter at the APD's
			 * scale (the struct's own precision and scale are for
			 * output only; KB 222831). SQLBindParameter leaves the
			 * APD at scale 0, and then the struct's scale is used:
			 * applications that fill only the struct mean it. */
			memcpy(&num, p, sizeof num);
			num.scale = (SQLSCHAR)r->scale;
			p = (const char *)&num;
		}
		ip = (SQLSMALLINT)i <= s->ipd.count ? &s->ipd.recs[i] : NULL;
		rc = param_value(s, i, r->concise_type, ip ? ip->concise_type : 0,
				 p, len, &vals[i - 1], a);
		if (rc == SQL_ERROR)
			return rc;
		if (rc == SQL_SUCCESS_WITH_INFO)
			ret = rc;
	}
	return ret;
}

/* The parameter sets an execution sends: the array's rows for a statement
 * without a result (statement.c pipelines them), else one. */
static SQLULEN param_rows(const dq_stmt *s)
{
	return s->apd->array_size > 1 && !s->info.returns_rows ? s->apd->array_size : 1;
}

int dq_params_next_dae(dq_stmt *s, SQLULEN *row_out)
{
	SQLUSMALLINT *ops = s->apd->array_status_ptr;
	SQLULEN rows = param_rows(s);

	for (SQLULEN row = 0; row < rows; row++) {
		if (rows > 1 && ops && ops[row] == SQL_PARAM_IGNORE)
			continue;
		for (int i = 1; i <= s->apd->count; i++) {
			dq_desc_rec *r = &s->apd->recs[i];
			const dq_dae *d = dae_at(s, row, i);
			char *data;
			SQLLEN *ind, *octlen;
			dq_desc_bound(s->apd, r, row, &data, &ind, &octlen);
			if (is_dae(ind) && (d == NULL || !d->given)) {
				*row_out = row;
				return i;
			}
		}
	}
	return 0;
}

void *dq_params_dae_token(dq_stmt *s, SQLULEN row, int i)
{
	char *data;
	SQLLEN *ind, *octlen;
	dq_desc_bound(s->apd, &s->apd->recs[i], row, &data, &ind, &octlen);
	return data;
}

void dq_params_reset_dae(dq_stmt *s)
{
	for (int i = 0; i < s->dae_n; i++)
		free(s->dae[i].buf);
	free(s->dae);
	s->dae = NULL;
	s->dae_n = 0;
	s->dae_param = 0;
	s->dae_row = 0;
}

SQLRETURN dq_put_data(dq_stmt *s, SQLPOINTER data, SQLLEN len)
{
	int i = s->dae_param;
	dq_dae *d;
	size_t n;
	SQLSMALLINT ctype;

	if (s->state != DQ_S_NEED_DATA || i == 0)
		return dq_error(&s->h, "HY010",
				"SQLPutData without a parameter selected by SQLParamData");
	if (s->dae == NULL) {
		/* one slot per parameter of every set sent */
		size_t slots = (size_t)param_rows(s) * (size_t)s->apd->count;
		if ((s->dae = calloc(slots, sizeof *s->dae)) == NULL)
			return dq_error(&s->h, "HY001", "memory allocation failure");
		s->dae_n = (int)slots;
	}
	d = dae_at(s, s->dae_row, i);
	ctype = s->apd->recs[i].concise_type;
	if (len == SQL_NULL_DATA) {
		d->is_null = 1;
		d->given = 1;
		return SQL_SUCCESS;
	}
	if (len == SQL_NTS)
		n = ctype == SQL_C_WCHAR ? dq_wcslen(data) * sizeof(SQLWCHAR)
					 : strlen(data);
	else if (len < 0)
		return dq_error(&s->h, "HY090", "invalid length %ld", (long)len);
	else
		n = (size_t)len;
	if (dq_ctype_size(ctype) && d->given)
		return dq_error(&s->h, "HY019",
				"non-character data sent in pieces");
	{
		char *b = realloc(d->buf, d->len + n + 1);
		if (b == NULL)
			return dq_error(&s->h, "HY001", "memory allocation failure");
		if (n)
			memcpy(b + d->len, data, n);
		d->buf = b;
		d->len += n;
		d->buf[d->len] = '\0';
	}
	d->given = 1;
	return SQL_SUCCESS;
}
