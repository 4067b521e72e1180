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
	if (d == 0)
		d = 0; /* -0.0: ODBC's numeric-to-character rule signs only NS < 0 */
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

	if (v->type == DQC_ISO8601 || v->type == DQC_UNIXTIME) {
		/* a date, time or timestamp column (ODBC's datetime-to-character
		 * rows): a buffer shorter than the value without its fraction
		 * of a second is 22003, only the fraction may be cut (01004) */
		SQL_TIMESTAMP_STRUCT ts;
		int d, t;
		if (dq_parse_datetime(s, n, &ts, &d, &t) < 0)
			return 0;
		return d && t ? 19 : d ? 10 : 8;
	}
	if (v->type != DQC_INTEGER && v->type != DQC_FLOAT && v->type != DQC_BOOLEAN)
		return 0;
	if (memchr(s, 'e', n) || memchr(s, 'n', n) || memchr(s, 'N', n))
		return n; /* exponent, NaN, Inf */
	dot = memchr(s, '.', n);
	return dot ? (size_t)(dot - s) : n;
}

/* 22003 when a first piece of a number (or datetime) would not hold its
 * whole part:
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
		return put_bytes(v->v.text.ptr, v->v.text.len, target, buflen,
				 offset, len, 0, c);
	case DQC_ISO8601: /* ODBC's timestamp-to-binary row: whole or 22003 */
		return fixed_binary(v->v.text.ptr, v->v.text.len, target, buflen,
				    offset, len, c);
	case DQC_BOOLEAN: { /* ODBC's bit-to-binary row: one byte */
		static const unsigned char bits[2] = {0, 1};
		return fixed_binary(&bits[v->v.boolean ? 1 : 0], 1, target, buflen,
				    offset, len, c);
	}
	case DQC_FLOAT:
		return fixed_binary(&v->v.real, sizeof v->v.real, target, buflen,
				    offset, len, c);
	default:
		return fixed_binary(&v->v.integer, sizeof v->v.integer, target,
				    buflen, offset, len, c);
	}
}

/* A cell's number: an exact integer (i, or u above INT64_MAX for text),
 * or a double. */
typedef struct cnum {
	int is_int, is_u;
	long long i;
	unsigned long long u;
	double d;
} cnum;

/* Bounds of an SQL numeric literal in s[0, n) (ODBC's numeric-literal:
 * [sign] digits [. [digits]] | [sign] . digits, then [E [sign] digits]),
 * spaces around it allowed (ODBC ignores them). No hex, inf or nan, which
 * strtod would take. *p and *e: where the literal starts and ends;
 * *exact: no point and no exponent. 0, or -1 when it is no literal. */
static int numeric_literal(const char *s, size_t n, size_t *p, size_t *e, int *exact)
{
	size_t k = 0, digits = 0;

	while (k < n && s[k] == ' ')
		k++;
	*p = k;
	*exact = 1;
	if (k < n && (s[k] == '+' || s[k] == '-'))
		k++;
	while (k < n && s[k] >= '0' && s[k] <= '9')
		k++, digits++;
	if (k < n && s[k] == '.') {
		*exact = 0;
		for (k++; k < n && s[k] >= '0' && s[k] <= '9'; k++)
			digits++;
	}
	if (digits == 0)
		return -1;
	if (k < n && (s[k] == 'e' || s[k] == 'E')) {
		size_t ed = 0;
		*exact = 0;
		k++;
		if (k < n && (s[k] == '+' || s[k] == '-'))
			k++;
		for (; k < n && s[k] >= '0' && s[k] <= '9'; k++)
			ed++;
		if (ed == 0)
			return -1;
	}
	*e = k;
	while (k < n && s[k] == ' ')
		k++;
	return k == n ? 0 : -1;
}

/* The number of a TEXT cell: 22018 when it is no numeric literal, 22003
 * beyond a double's range (ODBC's character-to-numeric rules). */
static SQLRETURN text_number(const char *s, size_t n, cnum *x, dq_conv *c)
{
	char buf[400], *end;
	size_t p, e;
	int exact;

	if (numeric_literal(s, n, &p, &e, &exact) != 0)
		return fail(c, "22018", "invalid character value for cast "
			    "specification: the text is not a number");
	if (e - p >= sizeof buf)
		return fail(c, "22003", "numeric value out of range: the number "
			    "has too many digits");
	memcpy(buf, s + p, e - p);
	buf[e - p] = '\0';
	if (exact) {
		errno = 0;
		x->i = strtoll(buf, &end, 10);
		if (errno == 0) {
			x->is_int = 1;
			x->d = (double)x->i;
			return SQL_SUCCESS;
		}
		if (buf[0] != '-') {
			errno = 0;
			x->u = strtoull(buf, &end, 10);
			if (errno == 0) {
				x->is_u = 1;
				x->d = (double)x->u;
				return SQL_SUCCESS;
			}
		}
	}
	x->d = strtod(buf, NULL);
	if (isinf(x->d))
		return fail(c, "22003", "numeric value out of range: the number is "
			    "beyond the range of a double");
	return SQL_SUCCESS;
}

/* Numeric value of a cell. Text must be a numeric literal (22018); a
 * BLOB and a date/time/timestamp column's text (ISO8601: ODBC's datetime
 * tables have no numeric C types) are 07006. An integer in such a column
 * (UNIXTIME) is the number the application stored there, Unix seconds,
 * and reads as that number (docs/types.md). */
static SQLRETURN as_number(const dqc_value *v, cnum *x, dq_conv *c)
{
	memset(x, 0, sizeof *x);
	switch (v->type) {
	case DQC_INTEGER:
	case DQC_UNIXTIME:
		x->is_int = 1;
		x->i = v->v.integer;
		x->d = (double)x->i;
		return SQL_SUCCESS;
	case DQC_BOOLEAN:
		x->is_int = 1;
		x->i = v->v.boolean ? 1 : 0;
		x->d = (double)x->i;
		return SQL_SUCCESS;
	case DQC_FLOAT:
		x->d = v->v.real;
		return SQL_SUCCESS;
	case DQC_TEXT:
		return text_number(v->v.text.ptr, v->v.text.len, x, c);
	case DQC_ISO8601:
		return fail(c, "07006", "restricted data type attribute violation: "
			    "a date/time column's text converts to character, "
			    "binary and date/time C types only");
	default:
		return fail(c, "07006", "restricted data type attribute violation: "
			    "a BLOB converts to character, binary and SQL_C_GUID only");
	}
}

static SQLRETURN to_integer(const dqc_value *v, SQLSMALLINT ctype,
			    SQLPOINTER target, SQLLEN *len, dq_conv *c)
{
	cnum x;
	long long lo, hi;
	int is_unsigned = 0, frac = 0;
	size_t size;
	SQLRETURN rc = as_number(v, &x, c);

	if (rc != SQL_SUCCESS)
		return rc;
	switch (ctype) {
	case SQL_C_STINYINT: case SQL_C_TINYINT:
		lo = -128, hi = 127, size = 1; break;
	case SQL_C_UTINYINT:
		lo = 0, hi = 255, is_unsigned = 1, size = 1; break;
	case SQL_C_SSHORT: case SQL_C_SHORT:
		lo = -32768, hi = 32767, size = 2; break;
	case SQL_C_USHORT:
		lo = 0, hi = 65535, is_unsigned = 1, size = 2; break;
	case SQL_C_SLONG: case SQL_C_LONG:
		lo = INT32_MIN, hi = INT32_MAX, size = 4; break;
	case SQL_C_ULONG:
		lo = 0, hi = UINT32_MAX, is_unsigned = 1, size = 4; break;
	case SQL_C_UBIGINT:
		lo = 0, hi = INT64_MAX, is_unsigned = 1, size = 8; break;
	default: /* SBIGINT */
		lo = INT64_MIN, hi = INT64_MAX, size = 8; break;
	}
	if (x.is_u || (!x.is_int && is_unsigned && size == 8)) {
		/* beyond INT64_MAX (text), or a double into SQL_C_UBIGINT */
		unsigned long long u = x.u;
		if (!x.is_u) {
			double t = trunc(x.d);
			/* 2^64 is the first double out of range */
			if (isnan(x.d) || t < 0 || t >= 18446744073709551616.0)
				return fail(c, "22003", "numeric value out of range");
			frac = t != x.d;
			u = (unsigned long long)t;
		} else if (!(is_unsigned && size == 8)) {
			return fail(c, "22003", "numeric value out of range");
		}
		memcpy(target, &u, 8);
		*len = 8;
		return frac ? warn(c, "01S07", "fractional truncation") : SQL_SUCCESS;
	}
	if (!x.is_int) {
		double t = trunc(x.d);
		/* (double)hi of a 64-bit type is 2^63, itself out of range */
		if (isnan(x.d) || t < (double)lo || t > (double)hi ||
		    (size == 8 && t >= 9223372036854775808.0))
			return fail(c, "22003", "numeric value out of range");
		frac = t != x.d;
		x.i = (long long)t;
	} else if (x.i < lo || x.i > hi) {
		return fail(c, "22003", "numeric value out of range");
	}
	switch (size) {
	case 1: { int8_t s8 = (int8_t)x.i; uint8_t u8 = (uint8_t)x.i;
		memcpy(target, is_unsigned ? (void *)&u8 : (void *)&s8, 1); break; }
	case 2: { int16_t s16 = (int16_t)x.i; uint16_t u16 = (uint16_t)x.i;
		memcpy(target, is_unsigned ? (void *)&u16 : (void *)&s16, 2); break; }
	case 4: { int32_t s32 = (int32_t)x.i; uint32_t u32 = (uint32_t)x.i;
		memcpy(target, is_unsigned ? (void *)&u32 : (void *)&s32, 4); break; }
	default: { int64_t s64 = x.i; memcpy(target, &s64, 8); break; }
	}
	*len = (SQLLEN)size;
	return frac ? warn(c, "01S07", "fractional truncation") : SQL_SUCCESS;
}

static SQLRETURN to_double(const dqc_value *v, SQLSMALLINT ctype,
			   SQLPOINTER target, SQLLEN *len, dq_conv *c)
{
	cnum x;
	double d;
	SQLRETURN rc = as_number(v, &x, c);
	if (rc != SQL_SUCCESS)
		return rc;
	d = x.d;
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
	cnum x;
	double d;
	unsigned char b;
	SQLRETURN rc = as_number(v, &x, c);
	if (rc != SQL_SUCCESS)
		return rc;
	d = x.d;
	if (isnan(d) || d < 0 || d >= 2)
		return fail(c, "22003", "numeric value out of range for SQL_C_BIT");
	b = d >= 1 ? 1 : 0;
	memcpy(target, &b, 1);
	*len = 1;
	if (d != 0 && d != 1)
		return warn(c, "01S07", "fractional truncation");
	return SQL_SUCCESS;
}

/* A number as decimal digits: value = (-1 if neg) digits x 10^exp10, the
 * digits without leading zeros (none at all for zero). From a numeric
 * literal (s, n), which the caller has checked. 0, or -1 when it has more
 * digits than fit cap. */
static int decimal_parts(const char *s, size_t n, int *neg, char *dig, size_t cap,
			 size_t *nd, long *exp10)
{
	size_t k = 0;
	int point = 0;

	*neg = 0, *nd = 0, *exp10 = 0;
	while (k < n && s[k] == ' ')
		k++;
	if (k < n && (s[k] == '+' || s[k] == '-'))
		*neg = s[k++] == '-';
	for (; k < n && ((s[k] >= '0' && s[k] <= '9') || s[k] == '.'); k++) {
		if (s[k] == '.') {
			point = 1;
			continue;
		}
		if (point)
			(*exp10)--;
		if (*nd == 0 && s[k] == '0')
			continue; /* a leading zero */
		if (*nd == cap)
			return -1;
		dig[(*nd)++] = s[k];
	}
	if (k < n && (s[k] == 'e' || s[k] == 'E')) {
		long e = strtol(s + k + 1, NULL, 10);
		if (e > 100000 || e < -100000)
			return -1;
		*exp10 += e;
	}
	return 0;
}

/* SQL_C_NUMERIC with the ARD record's precision (1..38) and scale (ODBC's
 * "SQL to C: Numeric": the default record has scale 0): the value times
 * 10^scale, its dropped digits 01S07 when any is not zero, 22003 when the
 * result needs more digits than the precision. The number goes through
 * its decimal text (integers exactly, a double in its shortest exact form,
 * text as written), so 0.1 is 1 at scale 1, not 1.00000000000000005551. */
static SQLRETURN to_numeric(const dqc_value *v, SQLPOINTER target, SQLLEN *len,
			    int precision, int scale, dq_conv *c)
{
	SQL_NUMERIC_STRUCT *n = target;
	char tmp[64], dig[400];
	const char *txt;
	size_t tlen, nd, p, e, kept;
	long exp10, shift;
	int neg, exact, frac = 0, ndig = 0;
	unsigned __int128 mag = 0;
	cnum x;
	SQLRETURN rc;

	if (precision < 1 || precision > 38)
		precision = 38;
	/* the struct's scale is a signed char; SQLSetDescField refuses a
	 * scale beyond -38..38 when the record is bound, SQL_ARD_TYPE
	 * reads the record as it is */
	if (scale < -38 || scale > 38)
		return fail(c, "22003", "numeric value out of range: the ARD "
			    "record's scale is outside -38..38");
	rc = as_number(v, &x, c); /* 22018, 07006, 22003 as for every number */
	if (rc != SQL_SUCCESS)
		return rc;
	if (v->type == DQC_TEXT) {
		txt = v->v.text.ptr, tlen = v->v.text.len;
	} else if (v->type == DQC_FLOAT) {
		if (!isfinite(x.d))
			return fail(c, "22003", "numeric value out of range: "
				    "SQL_C_NUMERIC holds no infinity or NaN");
		format_double(x.d, tmp, sizeof tmp);
		txt = tmp, tlen = strlen(tmp);
	} else {
		snprintf(tmp, sizeof tmp, "%lld", x.i);
		txt = tmp, tlen = strlen(tmp);
	}
	if (numeric_literal(txt, tlen, &p, &e, &exact) != 0 ||
	    decimal_parts(txt, tlen, &neg, dig, sizeof dig, &nd, &exp10) != 0)
		return fail(c, "22003", "numeric value out of range for SQL_C_NUMERIC");
	shift = exp10 + scale;
	kept = shift >= 0 ? nd : (long)nd + shift > 0 ? (size_t)((long)nd + shift) : 0;
	for (size_t k = kept; k < nd; k++)
		frac |= dig[k] != '0';
	if (nd > 0 && kept > 0 && (long)kept + (shift > 0 ? shift : 0) > precision)
		return fail(c, "22003", "numeric value out of range: more whole digits "
			    "than SQL_C_NUMERIC's precision");
	for (size_t k = 0; k < kept; k++, ndig++)
		mag = mag * 10 + (unsigned)(dig[k] - '0');
	for (long k = 0; kept > 0 && k < shift; k++)
		mag *= 10;
	memset(n, 0, sizeof *n);
	n->precision = (SQLCHAR)precision;
	n->scale = (SQLSCHAR)scale;
	n->sign = neg && mag != 0 ? 0 : 1;
	for (int k = 0; k < 16; k++)
		n->val[k] = (SQLCHAR)(mag >> (8 * k));
	*len = sizeof *n;
	return frac ? warn(c, "01S07", "fractional truncation") : SQL_SUCCESS;
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
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h = 0, mi = 0, se = 0, bad = 0, cut = 0;
	size_t p = 0;

	memset(ts, 0, sizeof *ts);
	*has_date = *has_time = 0;
	while (p < n && s[p] == ' ')
		p++;
	if (n - p >= 10 && s[p + 4] == '-' && s[p + 7] == '-') {
		if (digits(s + p, 4, &y) || digits(s + p + 5, 2, &mo) ||
		    digits(s + p + 8, 2, &d))
			return -1;
		if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
		    (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
			bad = 1; /* the form of a date, but no date */
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
				} else if (s[p] != '0') {
					cut = 1; /* SQL_TIMESTAMP_STRUCT holds ns */
				}
				p++;
			}
			while (k++ < 9)
				frac *= 10;
			ts->fraction = (SQLUINTEGER)frac;
		}
		if (h > 23 || mi > 59 || se > 60)
			bad = 1;
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
	if (p != n || !(*has_date || *has_time))
		return -1;
	return bad ? -2 : cut;
}

static SQLRETURN as_timestamp(const dqc_value *v, SQL_TIMESTAMP_STRUCT *ts,
			      int *has_date, int *has_time, int *cut, dq_conv *c)
{
	int64_t t;
	struct tm tm;
	time_t tt;

	switch (v->type) {
	case DQC_TEXT:
	case DQC_ISO8601:
		/* SQLGetData's two SQLSTATEs: text that is no date/time literal
		 * is 22018, one with the form but no real date or time (February
		 * 30, hour 25) is 22007 */
		switch (dq_parse_datetime(v->v.text.ptr, v->v.text.len, ts, has_date,
					  has_time)) {
		case 0:
			return SQL_SUCCESS;
		case 1:
			*cut = 1;
			return SQL_SUCCESS;
		case -2:
			return fail(c, "22007", "invalid datetime format: the text has "
				    "the form of a date/time, but names none that exists");
		default:
			return fail(c, "22018", "invalid character value for cast "
				    "specification: the text is not a date, time or "
				    "timestamp literal");
		}
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
	int cut = 0;
	SQLRETURN rc = as_timestamp(v, &ts, &has_date, &has_time, &cut, c);

	if (rc != SQL_SUCCESS)
		return rc;
	/* a date column's value into a time, or a time's into a date: the
	 * rows ODBC's date and time tables do not have */
	if (v->type == DQC_ISO8601 && (ctype == SQL_C_TYPE_TIME || ctype == SQL_C_TIME) &&
	    !has_time)
		return fail(c, "07006", "restricted data type attribute violation: "
			    "a date converts to no SQL_C_TYPE_TIME");
	if (v->type == DQC_ISO8601 && (ctype == SQL_C_TYPE_DATE || ctype == SQL_C_DATE) &&
	    !has_date)
		return fail(c, "07006", "restricted data type attribute violation: "
			    "a time converts to no SQL_C_TYPE_DATE");
	switch (ctype) {
	case SQL_C_TYPE_DATE:
	case SQL_C_DATE: {
		SQL_DATE_STRUCT d = {ts.year, ts.month, ts.day};
		if (!has_date)
			return fail(c, "22018", "invalid character value for cast "
				    "specification: a time is no date or timestamp");
		memcpy(target, &d, sizeof d);
		*len = sizeof d;
		if (ts.hour || ts.minute || ts.second || ts.fraction || cut)
			return warn(c, "01S07", "fractional truncation (time part dropped)");
		return SQL_SUCCESS;
	}
	case SQL_C_TYPE_TIME:
	case SQL_C_TIME: {
		SQL_TIME_STRUCT t = {ts.hour, ts.minute, ts.second};
		if (!has_time && has_date)
			return fail(c, "22018", "invalid character value for cast "
				    "specification: a date is no time or timestamp");
		memcpy(target, &t, sizeof t);
		*len = sizeof t;
		if (ts.fraction || cut)
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
		if (cut)
			return warn(c, "01S07", "fractional truncation: a timestamp "
				    "holds nanoseconds; finer digits were dropped");
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

	if (v->type == DQC_TEXT) {
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
	return dq_convert_numeric(v, ctype, target, buflen, p, len, c, 38, 0);
}

SQLRETURN dq_convert_numeric(const dqc_value *v, SQLSMALLINT ctype, SQLPOINTER target,
			     SQLLEN buflen, dq_piece *p, SQLLEN *len, dq_conv *c,
			     int precision, int scale)
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
		return to_numeric(v, target, len, precision, scale, c);
	case SQL_C_TYPE_DATE: case SQL_C_DATE:
	case SQL_C_TYPE_TIME: case SQL_C_TIME:
	case SQL_C_TYPE_TIMESTAMP: case SQL_C_TIMESTAMP:
		return to_datetime(v, ctype, target, len, c);
	case SQL_C_GUID:
		return to_guid(v, target, len, c);
	case SQL_C_INTERVAL_YEAR: case SQL_C_INTERVAL_MONTH:
	case SQL_C_INTERVAL_DAY: case SQL_C_INTERVAL_HOUR:
	case SQL_C_INTERVAL_MINUTE: case SQL_C_INTERVAL_SECOND:
	case SQL_C_INTERVAL_YEAR_TO_MONTH: case SQL_C_INTERVAL_DAY_TO_HOUR:
	case SQL_C_INTERVAL_DAY_TO_MINUTE: case SQL_C_INTERVAL_DAY_TO_SECOND:
	case SQL_C_INTERVAL_HOUR_TO_MINUTE: case SQL_C_INTERVAL_HOUR_TO_SECOND:
	case SQL_C_INTERVAL_MINUTE_TO_SECOND:
		/* SQLite has no interval type and the driver reports no
		 * interval column (SQL_CONVERT_INTERVAL_* are 0) */
		return fail(c, "07006", "restricted data type attribute violation: "
			    "the driver converts to no interval C type");
	default:
		return fail(c, "HY003", "C data type not supported by the driver");
	}
}
