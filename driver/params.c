/*
 * params.c -- SQLBindParameter, C value -> dqlite value, data at execution.
 *
 * Dates and times travel as TEXT in SQLite's own format ("YYYY-MM-DD",
 * "HH:MM:SS", "YYYY-MM-DD HH:MM:SS[.fffffffff]"), exact numerics as TEXT so
 * no digit is lost on the way (a NUMERIC column's affinity converts them).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	p->length = colsize;
	p->precision = (SQLSMALLINT)colsize;
	p->scale = digits;
	p->parameter_type = io;
	p->nullable = SQL_NULLABLE;
	return SQL_SUCCESS;
}

static char *numeric_text(const SQL_NUMERIC_STRUCT *n, dq_arena *a)
{
	unsigned __int128 mag = 0;
	char digits[48], *out;
	int nd = 0, scale = n->scale;
	size_t k = 0;

	for (int i = 15; i >= 0; i--)
		mag = (mag << 8) | n->val[i];
	do {
		digits[nd++] = (char)('0' + (int)(mag % 10));
		mag /= 10;
	} while (mag && nd < 40);
	while (nd <= scale)
		digits[nd++] = '0';
	out = dq_arena_alloc(a, (size_t)nd + 4);
	if (out == NULL)
		return NULL;
	if (n->sign == 0)
		out[k++] = '-';
	for (int i = nd - 1; i >= 0; i--) {
		out[k++] = digits[i];
		if (i == scale && scale > 0)
			out[k++] = '.';
	}
	out[k] = '\0';
	return out;
}

static void set_text(dqc_value *v, const char *p, size_t n)
{
	v->type = DQC_TEXT;
	v->v.text.ptr = p;
	v->v.text.len = n;
}

static int is_binary_sqltype(SQLSMALLINT t)
{
	return t == SQL_BINARY || t == SQL_VARBINARY || t == SQL_LONGVARBINARY;
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

/* Converts bytes of a variable-length C value (CHAR / WCHAR / BINARY) of
 * parameter num. */
static SQLRETURN var_value(dq_stmt *s, unsigned num, SQLSMALLINT ctype,
			   SQLSMALLINT sqltype, const char *p, size_t n,
			   dqc_value *v, dq_arena *a)
{
	long z;

	if (ctype == SQL_C_BINARY || (ctype == SQL_C_CHAR && is_binary_sqltype(sqltype))) {
		v->type = DQC_BLOB;
		v->v.blob.ptr = p;
		v->v.blob.len = n;
		return SQL_SUCCESS;
	}
	/* dqlite sends text NUL-terminated: a NUL inside would cut it */
	if ((z = nul_at(ctype, p, n)) >= 0)
		return dq_error(&s->h, "22018",
				"parameter %u: the text holds a NUL character at "
				"byte %ld; dqlite carries text only up to a NUL, so "
				"it would be cut there: bind it as SQL_C_BINARY to "
				"store a BLOB, or remove the NUL", num, z);
	if (ctype == SQL_C_WCHAR) {
		int ok;
		char *u = dq_utf16_to_utf8((const SQLWCHAR *)(const void *)p,
					   (SQLINTEGER)(n / sizeof(SQLWCHAR)), &ok);
		if (ok == 0)
			return dq_error(&s->h, "HY001", "memory allocation failure");
		if (ok != 1)
			return dq_error(&s->h, "22018",
					"parameter %u: invalid UTF-16 text", num);
		if (u) {
			void **slot = dq_arena_alloc(a, 0);
			if (slot == NULL) {
				free(u);
				return dq_error(&s->h, "HY001", "memory allocation failure");
			}
			/* swap the placeholder block for the converted text */
			free(a->blocks[a->n - 1]);
			a->blocks[a->n - 1] = u;
			set_text(v, u, strlen(u));
		} else {
			set_text(v, "", 0);
		}
		return SQL_SUCCESS;
	}
	set_text(v, p, n);
	return SQL_SUCCESS;
}

static SQLRETURN fixed_value(dq_stmt *s, SQLSMALLINT ctype, const char *p,
			     dqc_value *v, dq_arena *a)
{
	char *t;
	switch (ctype) {
	case SQL_C_STINYINT: case SQL_C_TINYINT:
		v->type = DQC_INTEGER, v->v.integer = *(const signed char *)p; break;
	case SQL_C_UTINYINT:
		v->type = DQC_INTEGER, v->v.integer = *(const unsigned char *)p; break;
	case SQL_C_BIT:
		v->type = DQC_INTEGER, v->v.integer = *(const unsigned char *)p ? 1 : 0; break;
	case SQL_C_SSHORT: case SQL_C_SHORT: {
		int16_t x; memcpy(&x, p, 2); v->type = DQC_INTEGER, v->v.integer = x; break; }
	case SQL_C_USHORT: {
		uint16_t x; memcpy(&x, p, 2); v->type = DQC_INTEGER, v->v.integer = x; break; }
	case SQL_C_SLONG: case SQL_C_LONG: {
		int32_t x; memcpy(&x, p, 4); v->type = DQC_INTEGER, v->v.integer = x; break; }
	case SQL_C_ULONG: {
		uint32_t x; memcpy(&x, p, 4); v->type = DQC_INTEGER, v->v.integer = x; break; }
	case SQL_C_SBIGINT: {
		int64_t x; memcpy(&x, p, 8); v->type = DQC_INTEGER, v->v.integer = x; break; }
	case SQL_C_UBIGINT: {
		uint64_t x; memcpy(&x, p, 8);
		if (x > INT64_MAX)
			return dq_error(&s->h, "22003",
					"parameter value %llu is out of range for "
					"dqlite's 64-bit signed INTEGER",
					(unsigned long long)x);
		v->type = DQC_INTEGER, v->v.integer = (int64_t)x; break; }
	case SQL_C_FLOAT: {
		float x; memcpy(&x, p, 4); v->type = DQC_FLOAT, v->v.real = x; break; }
	case SQL_C_DOUBLE: {
		double x; memcpy(&x, p, 8); v->type = DQC_FLOAT, v->v.real = x; break; }
	case SQL_C_NUMERIC: {
		SQL_NUMERIC_STRUCT n; memcpy(&n, p, sizeof n);
		t = numeric_text(&n, a);
		if (t == NULL)
			return dq_error(&s->h, "HY001", "memory allocation failure");
		set_text(v, t, strlen(t));
		break; }
	case SQL_C_TYPE_DATE: case SQL_C_DATE: {
		SQL_DATE_STRUCT d; memcpy(&d, p, sizeof d);
		t = dq_arena_alloc(a, 32);
		if (t == NULL)
			return dq_error(&s->h, "HY001", "memory allocation failure");
		snprintf(t, 32, "%04d-%02u-%02u", d.year, d.month, d.day);
		set_text(v, t, strlen(t));
		break; }
	case SQL_C_TYPE_TIME: case SQL_C_TIME: {
		SQL_TIME_STRUCT d; memcpy(&d, p, sizeof d);
		t = dq_arena_alloc(a, 32);
		if (t == NULL)
			return dq_error(&s->h, "HY001", "memory allocation failure");
		snprintf(t, 32, "%02u:%02u:%02u", d.hour, d.minute, d.second);
		set_text(v, t, strlen(t));
		break; }
	case SQL_C_TYPE_TIMESTAMP: case SQL_C_TIMESTAMP: {
		SQL_TIMESTAMP_STRUCT d; int k;
		memcpy(&d, p, sizeof d);
		t = dq_arena_alloc(a, 48);
		if (t == NULL)
			return dq_error(&s->h, "HY001", "memory allocation failure");
		k = snprintf(t, 48, "%04d-%02u-%02u %02u:%02u:%02u", d.year, d.month,
			     d.day, d.hour, d.minute, d.second);
		if (d.fraction) {
			k += snprintf(t + k, (size_t)(48 - k), ".%09u", (unsigned)d.fraction);
			while (t[k - 1] == '0')
				t[--k] = '\0';
		}
		set_text(v, t, (size_t)k);
		break; }
	default:
		return dq_error(&s->h, "HYC00",
				"C type %d is not supported for parameters", ctype);
	}
	return SQL_SUCCESS;
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

SQLRETURN dq_params_build(dq_stmt *s, SQLULEN row, dqc_value *vals,
			  unsigned n, dq_arena *a)
{
	for (unsigned i = 1; i <= n; i++) {
		dq_desc_rec *r, *ip;
		char *data;
		SQLLEN *ind, *octlen;
		dqc_value *v = &vals[i - 1];
		SQLRETURN rc;

		if ((SQLSMALLINT)i > s->apd->count || (r = &s->apd->recs[i])->data_ptr == NULL) {
			r = (SQLSMALLINT)i <= s->apd->count ? &s->apd->recs[i] : NULL;
			if (r == NULL || r->indicator_ptr == NULL) {
				dq_diag_push(&s->h, "07002", 0,
					     "parameter %u is not bound (the statement "
					     "has %u parameter markers)", i, n);
				return SQL_ERROR;
			}
		}
		ip = (SQLSMALLINT)i <= s->ipd.count ? &s->ipd.recs[i] : NULL;
		dq_desc_bound(s->apd, r, row, &data, &ind, &octlen);
		if (ind && (dq_load_len(ind) == SQL_NULL_DATA ||
			    dq_load_len(ind) == SQL_DEFAULT_PARAM)) {
			v->type = DQC_NULL;
			continue;
		}
		if (is_dae(ind)) {
			dq_dae *d = dae_at(s, row, i);
			if (d == NULL || !d->given)
				return SQL_NEED_DATA;
			if (d->is_null) {
				v->type = DQC_NULL;
				continue;
			}
			if (dq_ctype_size(r->concise_type) == 0) {
				rc = var_value(s, i, r->concise_type,
					       ip ? ip->concise_type : 0,
					       d->buf ? d->buf : "", d->len, v, a);
			} else if (d->len >= (size_t)dq_ctype_size(r->concise_type)) {
				rc = fixed_value(s, r->concise_type, d->buf, v, a);
			} else {
				return dq_error(&s->h, "HY090",
						"parameter %u: SQLPutData gave %zu bytes, "
						"the C type needs %ld", i, d->len,
						(long)dq_ctype_size(r->concise_type));
			}
			if (rc != SQL_SUCCESS)
				return rc;
			continue;
		}
		if (data == NULL)
			return dq_error(&s->h, "07002", "parameter %u has no data", i);
		if (dq_ctype_size(r->concise_type) == 0) {
			size_t len;
			SQLLEN given = octlen ? dq_load_len(octlen) : SQL_NTS;
			if (given == SQL_NTS) {
				len = r->concise_type == SQL_C_WCHAR
					      ? dq_wcslen((const SQLWCHAR *)(const void *)data) *
							sizeof(SQLWCHAR)
					      : strlen(data);
			} else if (given < 0) {
				return dq_error(&s->h, "HY090",
						"parameter %u: invalid length %ld", i,
						(long)given);
			} else {
				len = (size_t)given;
			}
			rc = var_value(s, i, r->concise_type, ip ? ip->concise_type : 0,
				       data, len, v, a);
		} else {
			rc = fixed_value(s, r->concise_type, data, v, a);
		}
		if (rc != SQL_SUCCESS)
			return rc;
	}
	return SQL_SUCCESS;
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
