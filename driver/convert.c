/*
 * convert.c -- dqlite cell -> ODBC C type (see convert.h, docs/types.md).
 *
 * Every conversion goes through one of three canonical forms of the cell:
 * an integer, a double, or text (numbers print in their shortest exact
 * form; blobs become hex when text is asked for). Errors carry the SQLSTATE
 * the ODBC reference prescribes for that conversion.
 */
#include "convert.h"

#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "param_convert.h"
#include "unicode.h"

int dq_cell_is_null(const dqc_value *v)
{
	return v->type == DQC_NULL ||
	       (v->type == DQC_ISO8601 && v->v.text.len == 0);
}

SQLSMALLINT dq_default_ctype(int wire_type)
{
	switch (wire_type) {
	case DQC_INTEGER: return SQL_C_SBIGINT;
	case DQC_FLOAT: return SQL_C_DOUBLE;
	case DQC_BLOB: return SQL_C_BINARY;
	case DQC_BOOLEAN: return SQL_C_BIT;
	case DQC_UNIXTIME:
	case DQC_ISO8601: return SQL_C_TYPE_TIMESTAMP;
	default: return SQL_C_CHAR;
	}
}

static SQLRETURN fail(dq_conv *c, const char *state, const char *msg)
{
	snprintf(c->state, sizeof c->state, "%s", state);
	snprintf(c->msg, sizeof c->msg, "%s", msg);
	return SQL_ERROR;
}

static SQLRETURN warn(dq_conv *c, const char *state, const char *msg)
{
	snprintf(c->state, sizeof c->state, "%s", state);
	snprintf(c->msg, sizeof c->msg, "%s", msg);
	return SQL_SUCCESS_WITH_INFO;
}

/* Shortest text that reads back as the same double. */
static void format_double(double d, char *buf, size_t cap)
{
	if (isnan(d)) {
		snprintf(buf, cap, "NaN");
		return;
	}
	if (isinf(d)) {
		snprintf(buf, cap, d > 0 ? "Inf" : "-Inf");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, cap, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

static void format_unixtime(int64_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, cap, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Text form of a cell. Returns a pointer to either the cell's own text or
 * tmp (or a malloc'd hex buffer in *heap for blobs). */
static const char *as_text(const dqc_value *v, char *tmp, size_t cap,
			   size_t *len, char **heap)
{
	*heap = NULL;
	switch (v->type) {
	case DQC_INTEGER:
		snprintf(tmp, cap, "%lld", (long long)v->v.integer);
		break;
	case DQC_FLOAT:
		format_double(v->v.real, tmp, cap);
		break;
	case DQC_BOOLEAN:
		snprintf(tmp, cap, "%d", v->v.boolean ? 1 : 0);
		break;
	case DQC_UNIXTIME:
		format_unixtime(v->v.integer, tmp, cap);
		break;
	case DQC_TEXT:
	case DQC_ISO8601:
		*len = v->v.text.len;
		return v->v.text.ptr;
	case DQC_BLOB: {
		static const char hex[] = "0123456789ABCDEF";
		const unsigned char *b = v->v.blob.ptr;
		char *h = malloc(v->v.blob.len * 2 + 1);
		if (h == NULL)
			return NULL;
		for (size_t i = 0; i < v->v.blob.len; i++) {
			h[2 * i] = hex[b[i] >> 4];
			h[2 * i + 1] = hex[b[i] & 15];
		}
		h[v->v.blob.len * 2] = '\0';
		*heap = h;
		*len = v->v.blob.len * 2;
		return h;
	}
	default:
		tmp[0] = '\0';
		break;
	}
	*len = strlen(tmp);
	return tmp;
}

/* Piecewise copy of bytes [*offset, n) into target. */
static SQLRETURN put_bytes(const void *src, size_t n, SQLPOINTER target,
			   SQLLEN buflen, size_t *offset, SQLLEN *len,
			   size_t term, dq_conv *c)
{
	size_t off = *offset, rest, room, k;

	if (off > 0 && off >= n)
		return SQL_NO_DATA;
	rest = n - off;
	*len = (SQLLEN)rest;
	if (target == NULL || buflen < 0)
		return SQL_SUCCESS;
	room = (size_t)buflen > term ? (size_t)buflen - term : 0;
	k = rest < room ? rest : room;
	if (term == 2)
		k &= ~(size_t)1; /* whole UTF-16 units */
	memcpy(target, (const char *)src + off, k);
	if (term && (size_t)buflen >= term)
		memset((char *)target + k, 0, term);
	*offset = off + k;
	if (k < rest)
		return warn(c, "01004", "string data, right truncated");
	if (k == 0 && off == 0)
		*offset = n ? n : 1; /* a zero-length value is returned once */
	return SQL_SUCCESS;
}

/* The characters of a number's text that a character buffer must hold
 * whole (0 for a cell that is not a number): the sign and the digits before
 * the point, or all of it when an exponent or NaN/Inf says the magnitude
 * lies at the end. Cutting into these would return another number, which
 * the ODBC numeric-to-character rules forbid (22003); only fractional
 * digits may be cut (01004). */
static size_t whole_chars(const dqc_value *v, const char *s, size_t n)
{
	const char *dot;

	if (v->type != DQC_INTEGER && v->type != DQC_FLOAT && v->type != DQC_BOOLEAN)
		return 0;
	if (memchr(s, 'e', n) || memchr(s, 'n', n) || memchr(s, 'N', n))
		return n; /* exponent, NaN, Inf */
	dot = memchr(s, '.', n);
	return dot ? (size_t)(dot - s) : n;
}

/* 22003 when a first piece of a number would not hold its whole part:
 * `unit` bytes a character, the terminator one more character. */
static SQLRETURN check_whole(const dqc_value *v, const char *s, size_t n,
			     SQLPOINTER target, SQLLEN buflen, size_t offset,
			     size_t unit, dq_conv *c)
{
	size_t whole = whole_chars(v, s, n);

	if (whole == 0 || offset > 0 || target == NULL || buflen < 0)
		return SQL_SUCCESS;
	if ((whole + 1) * unit > (size_t)buflen)
		return fail(c, "22003",
			    "numeric value out of range: the buffer cannot hold the "
			    "number's whole digits (give a buffer of at least the "
			    "column's display size plus the terminator)");
	return SQL_SUCCESS;
}

static SQLRETURN to_char(const dqc_value *v, SQLPOINTER target, SQLLEN buflen,
			 size_t *offset, SQLLEN *len, dq_conv *c)
{
	char tmp[64], *heap;
	size_t n = 0;
	const char *s = as_text(v, tmp, sizeof tmp, &n, &heap);
	SQLRETURN rc;
	if (s == NULL)
		return fail(c, "HY001", "memory allocation failure");
	rc = check_whole(v, s, n, target, buflen, *offset, 1, c);
	if (rc == SQL_SUCCESS)
		rc = put_bytes(s, n, target, buflen, offset, len, 1, c);
	free(heap);
	return rc;
}

/* SQL_C_WCHAR in pieces, each converting only its own part of the text
 * (p->pos resumes where the previous piece ended). Same buffer rules as
 * put_bytes with a 2-byte terminator. */
static SQLRETURN to_wchar(const dqc_value *v, SQLPOINTER target, SQLLEN buflen,
			  dq_piece *p, SQLLEN *len, dq_conv *c)
{
	char tmp[64], *heap;
	size_t n = 0, off = p->offset, total, rest, room, k;
	const char *s = as_text(v, tmp, sizeof tmp, &n, &heap);
	size_t pos;
	int half;

	if (s == NULL)
		return fail(c, "HY001", "memory allocation failure");
	if (check_whole(v, s, n, target, buflen, off, sizeof(SQLWCHAR), c) != SQL_SUCCESS) {
		free(heap);
		return SQL_ERROR;
	}
	if (off > 0 && p->at == off) {
		pos = p->pos;
		half = p->half;
		total = p->units * sizeof(SQLWCHAR);
	} else {
		pos = 0;
		half = 0;
		p->units = dq_utf8_to_utf16(s, n, NULL, 0);
		total = p->units * sizeof(SQLWCHAR);
		if (off > 0 && off < total)
			dq_utf8_to_utf16_step(s, n, &pos, &half, NULL,
					      off / sizeof(SQLWCHAR));
	}
	if (off > 0 && off >= total) {
		free(heap);
		return SQL_NO_DATA;
	}
	rest = total - off;
	*len = (SQLLEN)rest;
	if (target == NULL || buflen < 0) {
		free(heap);
		return SQL_SUCCESS;
	}
	room = (size_t)buflen > sizeof(SQLWCHAR) ? (size_t)buflen - sizeof(SQLWCHAR) : 0;
	k = (rest < room ? rest : room) / sizeof(SQLWCHAR);
	k = dq_utf8_to_utf16_step(s, n, &pos, &half, target, k);
	if ((size_t)buflen >= sizeof(SQLWCHAR))
		((SQLWCHAR *)target)[k] = 0;
	free(heap);
	k *= sizeof(SQLWCHAR);
	p->offset = off + k;
	p->at = p->offset;
	p->pos = pos;
	p->half = half;
	if (k < rest)
		return warn(c, "01004", "string data, right truncated");
	if (k == 0 && off == 0)
		p->offset = total ? total : 1; /* a zero-length value is returned once */
	return SQL_SUCCESS;
}

/* The in-memory image of a number (or a time) as SQL_C_BINARY: returned
 * whole or not at all -- a part of it is no value -- so a buffer shorter
 * than the image is 22003, as the ODBC numeric-to-binary rule says. */
static SQLRETURN fixed_binary(const void *src, size_t n, SQLPOINTER target,
			      SQLLEN buflen, size_t *offset, SQLLEN *len, dq_conv *c)
{
	if (target != NULL && buflen >= 0 && *offset == 0 && (size_t)buflen < n) {
		char m[120];
		snprintf(m, sizeof m, "numeric value out of range: a binary buffer "
			 "of %ld bytes cannot hold the value's %zu", (long)buflen, n);
		return fail(c, "22003", m);
	}
	return put_bytes(src, n, target, buflen, offset, len, 0, c);
}

static SQLRETURN to_binary(const dqc_value *v, SQLPOINTER target, SQLLEN buflen,
			   size_t *offset, SQLLEN *len, dq_conv *c)
{
	switch (v->type) {
	case DQC_BLOB:
		return put_bytes(v->v.blob.ptr, v->v.blob.len, target, buflen,
				 offset, len, 0, c);
	case DQC_TEXT:
	case DQC_ISO8601:
		return put_bytes(v->v.text.ptr, v->v.text.len, target, buflen,
				 offset, len, 0, c);
	case DQC_FLOAT:
		return fixed_binary(&v->v.real, sizeof v->v.real, target, buflen,
				    offset, len, c);
	default:
		return fixed_binary(&v->v.integer, sizeof v->v.integer, target,
				    buflen, offset, len, c);
	}
}

/* Numeric value of a cell: integer (exact) or double. Returns 0, or an
 * error for text that is not a number (22018) and blobs (07006). */
static SQLRETURN as_number(const dqc_value *v, int *is_int, long long *i,
			   double *d, dq_conv *c)
{
	switch (v->type) {
	case DQC_INTEGER:
	case DQC_UNIXTIME:
		*is_int = 1;
		*i = v->v.integer;
		*d = (double)*i;
		return SQL_SUCCESS;
	case DQC_BOOLEAN:
		*is_int = 1;
		*i = v->v.boolean ? 1 : 0;
		*d = (double)*i;
		return SQL_SUCCESS;
	case DQC_FLOAT:
		*is_int = 0;
		*d = v->v.real;
		return SQL_SUCCESS;
	case DQC_TEXT:
	case DQC_ISO8601: {
		const char *s = v->v.text.ptr;
		char *end;
		while (*s == ' ' || *s == '\t')
			s++;
		errno = 0;
		*i = strtoll(s, &end, 10);
		if (end != s && errno == 0) {
			const char *e = end;
			while (*e == ' ')
				e++;
			if (*e == '\0') {
				*is_int = 1;
				*d = (double)*i;
				return SQL_SUCCESS;
			}
		}
		*d = strtod(s, &end);
		if (end == NULL)
			end = (char *)(uintptr_t)s;
		while (*end == ' ')
			end++;
		if (end == s || *end != '\0')
			return fail(c, "22018",
				    "invalid character value for cast specification");
		*is_int = 0;
		return SQL_SUCCESS;
	}
	default:
		return fail(c, "07006", "restricted data type attribute violation");
	}
}

static SQLRETURN to_integer(const dqc_value *v, SQLSMALLINT ctype,
			    SQLPOINTER target, SQLLEN *len, dq_conv *c)
{
	int is_int;
	long long i = 0;
	double d = 0;
	long long lo, hi;
	unsigned long long uhi = 0;
	int is_unsigned = 0, frac = 0;
	size_t size;
	SQLRETURN rc = as_number(v, &is_int, &i, &d, c);

	if (rc != SQL_SUCCESS)
		return rc;
	switch (ctype) {
	case SQL_C_STINYINT: case SQL_C_TINYINT:
		lo = -128, hi = 127, size = 1; break;
	case SQL_C_UTINYINT:
		lo = 0, uhi = 255, is_unsigned = 1, size = 1; hi = 255; break;
	case SQL_C_SSHORT: case SQL_C_SHORT:
		lo = -32768, hi = 32767, size = 2; break;
	case SQL_C_USHORT:
		lo = 0, hi = 65535, is_unsigned = 1, size = 2; uhi = 65535; break;
	case SQL_C_SLONG: case SQL_C_LONG:
		lo = INT32_MIN, hi = INT32_MAX, size = 4; break;
	case SQL_C_ULONG:
		lo = 0, hi = UINT32_MAX, is_unsigned = 1, size = 4; uhi = UINT32_MAX; break;
	case SQL_C_UBIGINT:
		lo = 0, hi = INT64_MAX, is_unsigned = 1, size = 8; uhi = UINT64_MAX; break;
	default: /* SBIGINT */
		lo = INT64_MIN, hi = INT64_MAX, size = 8; break;
	}
	(void)uhi;
	if (!is_int) {
		double t = trunc(d);
		if (isnan(d) || t < (double)lo || t > (is_unsigned && size == 8 ? 18446744073709551615.0 : (double)hi) ||
		    (size == 8 && !is_unsigned && t >= 9223372036854775808.0))
			return fail(c, "22003", "numeric value out of range");
		frac = t != d;
		if (is_unsigned && size == 8) {
			unsigned long long u = (unsigned long long)t;
			memcpy(target, &u, 8);
			*len = 8;
			return frac ? warn(c, "01S07", "fractional truncation") : SQL_SUCCESS;
		}
		i = (long long)t;
	} else if (i < lo || i > hi) {
		return fail(c, "22003", "numeric value out of range");
	}
	switch (size) {
	case 1: { int8_t x = (int8_t)i; uint8_t ux = (uint8_t)i;
		memcpy(target, is_unsigned ? (void *)&ux : (void *)&x, 1); break; }
	case 2: { int16_t x = (int16_t)i; uint16_t ux = (uint16_t)i;
		memcpy(target, is_unsigned ? (void *)&ux : (void *)&x, 2); break; }
	case 4: { int32_t x = (int32_t)i; uint32_t ux = (uint32_t)i;
		memcpy(target, is_unsigned ? (void *)&ux : (void *)&x, 4); break; }
	default: { int64_t x = i; memcpy(target, &x, 8); break; }
	}
	*len = (SQLLEN)size;
	return frac ? warn(c, "01S07", "fractional truncation") : SQL_SUCCESS;
}

static SQLRETURN to_double(const dqc_value *v, SQLSMALLINT ctype,
			   SQLPOINTER target, SQLLEN *len, dq_conv *c)
{
	int is_int;
	long long i;
	double d;
	SQLRETURN rc = as_number(v, &is_int, &i, &d, c);
	if (rc != SQL_SUCCESS)
		return rc;
	if (ctype == SQL_C_FLOAT) {
		float f;
		if (isfinite(d) && fabs(d) > 3.4028234663852886e38)
			return fail(c, "22003", "numeric value out of range");
		f = (float)d;
		memcpy(target, &f, sizeof f);
		*len = sizeof f;
	} else {
		memcpy(target, &d, sizeof d);
		*len = sizeof d;
	}
	return SQL_SUCCESS;
}

static SQLRETURN to_bit(const dqc_value *v, SQLPOINTER target, SQLLEN *len,
			dq_conv *c)
{
	int is_int;
	long long i;
	double d;
	unsigned char b;
	SQLRETURN rc = as_number(v, &is_int, &i, &d, c);
	if (rc != SQL_SUCCESS)
		return rc;
	if (is_int)
		d = (double)i;
	if (d < 0 || d >= 2)
		return fail(c, "22003", "numeric value out of range for SQL_C_BIT");
	b = d >= 1 ? 1 : 0;
	memcpy(target, &b, 1);
	*len = 1;
	if (d != 0 && d != 1)
		return warn(c, "01S07", "fractional truncation");
	return SQL_SUCCESS;
}

static SQLRETURN to_numeric(const dqc_value *v, SQLPOINTER target, SQLLEN *len,
			    dq_conv *c)
{
	SQL_NUMERIC_STRUCT *n = target;
	int is_int;
	long long i;
	double d;
	unsigned long long mag;
	SQLRETURN rc = as_number(v, &is_int, &i, &d, c);
	if (rc != SQL_SUCCESS)
		return rc;
	memset(n, 0, sizeof *n);
	n->precision = 38;
	n->scale = 0;
	if (!is_int) {
		double t = trunc(d);
		if (fabs(t) >= 1.8446744073709552e19)
			return fail(c, "22003", "numeric value out of range");
		n->sign = d >= 0 ? 1 : 0;
		mag = (unsigned long long)fabs(t);
		rc = t != d ? warn(c, "01S07", "fractional truncation") : SQL_SUCCESS;
	} else {
		n->sign = i >= 0 ? 1 : 0;
		mag = i >= 0 ? (unsigned long long)i : 0ull - (unsigned long long)i;
	}
	for (int k = 0; k < 8; k++)
		n->val[k] = (SQLCHAR)(mag >> (8 * k));
	*len = sizeof *n;
	return rc;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int dq_parse_datetime(const char *s, size_t n, SQL_TIMESTAMP_STRUCT *ts,
		      int *has_date, int *has_time)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	size_t p = 0;

	memset(ts, 0, sizeof *ts);
	*has_date = *has_time = 0;
	while (p < n && s[p] == ' ')
		p++;
	if (n - p >= 10 && s[p + 4] == '-' && s[p + 7] == '-') {
		if (digits(s + p, 4, &y) || digits(s + p + 5, 2, &mo) ||
		    digits(s + p + 8, 2, &d))
			return -1;
		if (mo < 1 || mo > 12 || d < 1 || d > 31)
			return -1;
		ts->year = (SQLSMALLINT)y;
		ts->month = (SQLUSMALLINT)mo;
		ts->day = (SQLUSMALLINT)d;
		*has_date = 1;
		p += 10;
		if (p < n && (s[p] == ' ' || s[p] == 'T'))
			p++;
		else if (p < n && s[p] != 'Z')
			return -1;
	}
	if (n - p >= 5 && s[p + 2] == ':') {
		if (digits(s + p, 2, &h) || digits(s + p + 3, 2, &mi))
			return -1;
		p += 5;
		if (p + 3 <= n && s[p] == ':') {
			if (digits(s + p + 1, 2, &se))
				return -1;
			p += 3;
		}
		if (p < n && s[p] == '.') {
			unsigned long frac = 0;
			int k = 0;
			p++;
			while (p < n && s[p] >= '0' && s[p] <= '9') {
				if (k < 9) {
					frac = frac * 10 + (unsigned long)(s[p] - '0');
					k++;
				}
				p++;
			}
			while (k++ < 9)
				frac *= 10;
			ts->fraction = (SQLUINTEGER)frac;
		}
		if (h > 23 || mi > 59 || se > 60)
			return -1;
		ts->hour = (SQLUSMALLINT)h;
		ts->minute = (SQLUSMALLINT)mi;
		ts->second = (SQLUSMALLINT)se;
		*has_time = 1;
	}
	/* a zone suffix is accepted and ignored (SQLite stores UTC) */
	if (p < n && (s[p] == 'Z' || s[p] == '+' || s[p] == '-'))
		p = n;
	while (p < n && s[p] == ' ')
		p++;
	return (p == n && (*has_date || *has_time)) ? 0 : -1;
}

static SQLRETURN as_timestamp(const dqc_value *v, SQL_TIMESTAMP_STRUCT *ts,
			      int *has_date, int *has_time, dq_conv *c)
{
	int64_t t;
	struct tm tm;
	time_t tt;

	switch (v->type) {
	case DQC_TEXT:
	case DQC_ISO8601:
		if (dq_parse_datetime(v->v.text.ptr, v->v.text.len, ts, has_date,
				      has_time) != 0)
			return fail(c, "22007", "invalid datetime format");
		return SQL_SUCCESS;
	case DQC_INTEGER:
	case DQC_UNIXTIME:
		t = v->v.integer;
		break;
	case DQC_FLOAT: /* SQLite's REAL dates are Julian day numbers */
		if (!isfinite(v->v.real))
			return fail(c, "22007", "invalid datetime format");
		t = (int64_t)llround((v->v.real - 2440587.5) * 86400.0);
		break;
	default:
		return fail(c, "07006", "restricted data type attribute violation");
	}
	tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL)
		return fail(c, "22008", "datetime field overflow");
	memset(ts, 0, sizeof *ts);
	ts->year = (SQLSMALLINT)(tm.tm_year + 1900);
	ts->month = (SQLUSMALLINT)(tm.tm_mon + 1);
	ts->day = (SQLUSMALLINT)tm.tm_mday;
	ts->hour = (SQLUSMALLINT)tm.tm_hour;
	ts->minute = (SQLUSMALLINT)tm.tm_min;
	ts->second = (SQLUSMALLINT)tm.tm_sec;
	*has_date = *has_time = 1;
	return SQL_SUCCESS;
}

static SQLRETURN to_datetime(const dqc_value *v, SQLSMALLINT ctype,
			     SQLPOINTER target, SQLLEN *len, dq_conv *c)
{
	SQL_TIMESTAMP_STRUCT ts;
	int has_date, has_time;
	SQLRETURN rc = as_timestamp(v, &ts, &has_date, &has_time, c);

	if (rc != SQL_SUCCESS)
		return rc;
	switch (ctype) {
	case SQL_C_TYPE_DATE:
	case SQL_C_DATE: {
		SQL_DATE_STRUCT d = {ts.year, ts.month, ts.day};
		if (!has_date)
			return fail(c, "22007", "invalid datetime format: no date part");
		memcpy(target, &d, sizeof d);
		*len = sizeof d;
		if (ts.hour || ts.minute || ts.second || ts.fraction)
			return warn(c, "01S07", "fractional truncation (time part dropped)");
		return SQL_SUCCESS;
	}
	case SQL_C_TYPE_TIME:
	case SQL_C_TIME: {
		SQL_TIME_STRUCT t = {ts.hour, ts.minute, ts.second};
		if (!has_time && has_date)
			return fail(c, "22007", "invalid datetime format: no time part");
		memcpy(target, &t, sizeof t);
		*len = sizeof t;
		if (ts.fraction)
			return warn(c, "01S07", "fractional truncation");
		return SQL_SUCCESS;
	}
	default:
		if (!has_date) {
			/* a time alone: today's date, per the ODBC rules */
			time_t now = time(NULL);
			struct tm tm;
			gmtime_r(&now, &tm);
			ts.year = (SQLSMALLINT)(tm.tm_year + 1900);
			ts.month = (SQLUSMALLINT)(tm.tm_mon + 1);
			ts.day = (SQLUSMALLINT)tm.tm_mday;
		}
		memcpy(target, &ts, sizeof ts);
		*len = sizeof ts;
		return SQL_SUCCESS;
	}
}

/* SQL_C_GUID: from the 36-character text parameters store (either case,
 * braces allowed), or from a 16-byte BLOB in RFC 4122 byte order (what
 * SQLite's uuid_blob() makes). Other text is 22018, other cells 07006. */
static SQLRETURN to_guid(const dqc_value *v, SQLPOINTER target, SQLLEN *len,
			 dq_conv *c)
{
	SQLGUID g;
	const unsigned char *b = v->v.blob.ptr;

	if (v->type == DQC_TEXT || v->type == DQC_ISO8601) {
		if (dq_guid_parse(v->v.text.ptr, v->v.text.len, &g) != 0)
			return fail(c, "22018", "invalid character value for cast "
				    "specification: the text is not a GUID");
	} else if (v->type == DQC_BLOB && v->v.blob.len == 16) {
		g.Data1 = (SQLUINTEGER)b[0] << 24 | (SQLUINTEGER)b[1] << 16 |
			  (SQLUINTEGER)b[2] << 8 | b[3];
		g.Data2 = (SQLUSMALLINT)(b[4] << 8 | b[5]);
		g.Data3 = (SQLUSMALLINT)(b[6] << 8 | b[7]);
		memcpy(g.Data4, b + 8, 8);
	} else {
		return fail(c, "07006", "restricted data type attribute violation: "
			    "only a GUID's text or a 16-byte BLOB converts to SQL_C_GUID");
	}
	memcpy(target, &g, sizeof g);
	*len = sizeof g;
	return SQL_SUCCESS;
}

SQLRETURN dq_convert(const dqc_value *v, SQLSMALLINT ctype, SQLPOINTER target,
		     SQLLEN buflen, dq_piece *p, SQLLEN *len, dq_conv *c)
{
	size_t *offset = &p->offset;

	c->state[0] = '\0';
	c->msg[0] = '\0';
	if (ctype == SQL_C_DEFAULT)
		ctype = dq_default_ctype(v->type);
	switch (ctype) {
	case SQL_C_CHAR:
		return to_char(v, target, buflen, &p->offset, len, c);
	case SQL_C_WCHAR:
		return to_wchar(v, target, buflen, p, len, c);
	case SQL_C_BINARY:
		return to_binary(v, target, buflen, &p->offset, len, c);
	default:
		break;
	}
	/* fixed-size targets: returned whole, once */
	if (*offset > 0)
		return SQL_NO_DATA;
	if (target == NULL)
		return fail(c, "HY009", "invalid use of null pointer");
	*offset = 1;
	switch (ctype) {
	case SQL_C_STINYINT: case SQL_C_UTINYINT: case SQL_C_TINYINT:
	case SQL_C_SSHORT: case SQL_C_USHORT: case SQL_C_SHORT:
	case SQL_C_SLONG: case SQL_C_ULONG: case SQL_C_LONG:
	case SQL_C_SBIGINT: case SQL_C_UBIGINT:
		return to_integer(v, ctype, target, len, c);
	case SQL_C_FLOAT:
	case SQL_C_DOUBLE:
		return to_double(v, ctype, target, len, c);
	case SQL_C_BIT:
		return to_bit(v, target, len, c);
	case SQL_C_NUMERIC:
		return to_numeric(v, target, len, c);
	case SQL_C_TYPE_DATE: case SQL_C_DATE:
	case SQL_C_TYPE_TIME: case SQL_C_TIME:
	case SQL_C_TYPE_TIMESTAMP: case SQL_C_TIMESTAMP:
		return to_datetime(v, ctype, target, len, c);
	case SQL_C_GUID:
		return to_guid(v, target, len, c);
	default:
		return fail(c, "HY003", "C data type not supported by the driver");
	}
}
