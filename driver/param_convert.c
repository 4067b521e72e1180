/*
 * param_convert.c -- a parameter's C value -> its SQL type -> dqlite value
 * (see param_convert.h, docs/types.md "Parameters").
 *
 * Two steps: the C value is read into a source (an integer, a double, exact
 * decimal text, text, bytes, a date/time/timestamp or a GUID), then the
 * source is converted to the SQL type's class. SQLite stores integer SQL
 * types as INTEGER, approximate ones as FLOAT, exact decimals as their text
 * (a NUMERIC column's affinity converts it; no digit is lost on the way),
 * character types as TEXT, binary ones as BLOB, dates and times as TEXT in
 * SQLite's own format, GUIDs as their 36-character text. A value that does
 * not fit its SQL type is refused with the SQLSTATE of ODBC's tables, so a
 * column never receives a storage class its SQL type did not promise (a
 * TEXT in a BOOLEAN column aborts a dqlite node when read back).
 */
#include "param_convert.h"

#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum src_kind { S_INT, S_UINT, S_REAL, S_DEC, S_TEXT, S_BIN, S_DATE, S_TIME,
		S_TS, S_GUID };

/* A C value read into one of the kinds above. */
typedef struct src {
	int kind;
	int64_t i;              /* S_INT */
	uint64_t u;             /* S_UINT (above INT64_MAX only) */
	double d;               /* S_REAL */
	const char *p;          /* S_DEC, S_TEXT, S_BIN */
	size_t n;
	SQL_TIMESTAMP_STRUCT ts; /* S_DATE, S_TIME, S_TS */
	SQLGUID g;              /* S_GUID */
	int is_float;           /* S_REAL read from SQL_C_FLOAT */
} src;

enum tgt_class { T_NATIVE, T_CHAR, T_INT, T_BIT, T_DEC, T_APPROX, T_BIN,
		 T_DATE, T_TIME, T_TS, T_GUID };

static SQLRETURN fail(dq_pconv *c, const char *state, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static SQLRETURN fail(dq_pconv *c, const char *state, const char *fmt, ...)
{
	va_list ap;
	snprintf(c->state, sizeof c->state, "%s", state);
	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof c->msg, fmt, ap);
	va_end(ap);
	return SQL_ERROR;
}

static const char *sql_name(SQLSMALLINT t)
{
	switch (t) {
	case SQL_CHAR: return "SQL_CHAR";
	case SQL_VARCHAR: return "SQL_VARCHAR";
	case SQL_LONGVARCHAR: return "SQL_LONGVARCHAR";
	case SQL_WCHAR: return "SQL_WCHAR";
	case SQL_WVARCHAR: return "SQL_WVARCHAR";
	case SQL_WLONGVARCHAR: return "SQL_WLONGVARCHAR";
	case SQL_TINYINT: return "SQL_TINYINT";
	case SQL_SMALLINT: return "SQL_SMALLINT";
	case SQL_INTEGER: return "SQL_INTEGER";
	case SQL_BIGINT: return "SQL_BIGINT";
	case SQL_BIT: return "SQL_BIT";
	case SQL_NUMERIC: return "SQL_NUMERIC";
	case SQL_DECIMAL: return "SQL_DECIMAL";
	case SQL_REAL: return "SQL_REAL";
	case SQL_FLOAT: return "SQL_FLOAT";
	case SQL_DOUBLE: return "SQL_DOUBLE";
	case SQL_BINARY: return "SQL_BINARY";
	case SQL_VARBINARY: return "SQL_VARBINARY";
	case SQL_LONGVARBINARY: return "SQL_LONGVARBINARY";
	case SQL_TYPE_DATE: case SQL_DATE: return "SQL_TYPE_DATE";
	case SQL_TYPE_TIME: case SQL_TIME: return "SQL_TYPE_TIME";
	case SQL_TYPE_TIMESTAMP: case SQL_TIMESTAMP: return "SQL_TYPE_TIMESTAMP";
	case SQL_GUID: return "SQL_GUID";
	default: return "this SQL type";
	}
}

static const char *c_name(SQLSMALLINT t)
{
	switch (t) {
	case SQL_C_CHAR: return "SQL_C_CHAR";
	case SQL_C_BINARY: return "SQL_C_BINARY";
	case SQL_C_BIT: return "SQL_C_BIT";
	case SQL_C_FLOAT: return "SQL_C_FLOAT";
	case SQL_C_DOUBLE: return "SQL_C_DOUBLE";
	case SQL_C_NUMERIC: return "SQL_C_NUMERIC";
	case SQL_C_TYPE_DATE: case SQL_C_DATE: return "SQL_C_TYPE_DATE";
	case SQL_C_TYPE_TIME: case SQL_C_TIME: return "SQL_C_TYPE_TIME";
	case SQL_C_TYPE_TIMESTAMP: case SQL_C_TIMESTAMP: return "SQL_C_TYPE_TIMESTAMP";
	case SQL_C_GUID: return "SQL_C_GUID";
	default: return "an integer C type";
	}
}

static int tgt_class(SQLSMALLINT t)
{
	switch (t) {
	case SQL_CHAR: case SQL_VARCHAR: case SQL_LONGVARCHAR:
	case SQL_WCHAR: case SQL_WVARCHAR: case SQL_WLONGVARCHAR: return T_CHAR;
	case SQL_TINYINT: case SQL_SMALLINT: case SQL_INTEGER: case SQL_BIGINT:
		return T_INT;
	case SQL_BIT: return T_BIT;
	case SQL_NUMERIC: case SQL_DECIMAL: return T_DEC;
	case SQL_REAL: case SQL_FLOAT: case SQL_DOUBLE: return T_APPROX;
	case SQL_BINARY: case SQL_VARBINARY: case SQL_LONGVARBINARY: return T_BIN;
	case SQL_TYPE_DATE: case SQL_DATE: return T_DATE;
	case SQL_TYPE_TIME: case SQL_TIME: return T_TIME;
	case SQL_TYPE_TIMESTAMP: case SQL_TIMESTAMP: return T_TS;
	case SQL_GUID: return T_GUID;
	default: return T_NATIVE;
	}
}

/* ------------------------------------------------------------ the source */

/* Exact decimal text of an SQL_NUMERIC_STRUCT (a 128-bit magnitude). */
static char *numeric_text(const SQL_NUMERIC_STRUCT *v)
{
	unsigned __int128 mag = 0;
	char digits[48], *out;
	int nd = 0, scale = v->scale;
	size_t k = 0;

	for (int i = 15; i >= 0; i--)
		mag = (mag << 8) | v->val[i];
	do {
		digits[nd++] = (char)('0' + (int)(mag % 10));
		mag /= 10;
	} while (mag && nd < 40);
	while (scale > 0 && nd <= scale && nd < 46)
		digits[nd++] = '0';
	out = malloc((size_t)nd + 4);
	if (out == NULL)
		return NULL;
	if (v->sign == 0)
		out[k++] = '-';
	for (int i = nd - 1; i >= 0; i--) {
		out[k++] = digits[i];
		if (i == scale && scale > 0)
			out[k++] = '.';
	}
	out[k] = '\0';
	return out;
}

/* Reads a fixed-size C value (or CHAR/BINARY bytes) into *s. */
static SQLRETURN read_source(SQLSMALLINT ctype, const char *p, size_t len,
			     src *s, char **heap, dq_pconv *c)
{
	memset(s, 0, sizeof *s);
	s->kind = S_INT;
	switch (ctype) {
	case SQL_C_CHAR: s->kind = S_TEXT, s->p = p, s->n = len; break;
	case SQL_C_BINARY: s->kind = S_BIN, s->p = p, s->n = len; break;
	case SQL_C_STINYINT: case SQL_C_TINYINT: s->i = *(const signed char *)p; break;
	case SQL_C_UTINYINT: s->i = *(const unsigned char *)p; break;
	case SQL_C_BIT:
		s->i = *(const unsigned char *)p;
		if (s->i > 1)
			return fail(c, "22003", "SQL_C_BIT value %d is neither 0 nor 1",
				    (int)s->i);
		break;
	case SQL_C_SSHORT: case SQL_C_SHORT: { int16_t x; memcpy(&x, p, 2); s->i = x; break; }
	case SQL_C_USHORT: { uint16_t x; memcpy(&x, p, 2); s->i = x; break; }
	case SQL_C_SLONG: case SQL_C_LONG: { int32_t x; memcpy(&x, p, 4); s->i = x; break; }
	case SQL_C_ULONG: { uint32_t x; memcpy(&x, p, 4); s->i = x; break; }
	case SQL_C_SBIGINT: memcpy(&s->i, p, 8); break;
	case SQL_C_UBIGINT:
		memcpy(&s->u, p, 8);
		if (s->u <= INT64_MAX)
			s->i = (int64_t)s->u;
		else
			s->kind = S_UINT;
		break;
	case SQL_C_FLOAT: { float x; memcpy(&x, p, 4); s->kind = S_REAL, s->d = x, s->is_float = 1; break; }
	case SQL_C_DOUBLE: s->kind = S_REAL, memcpy(&s->d, p, 8); break;
	case SQL_C_NUMERIC: {
		SQL_NUMERIC_STRUCT v;
		memcpy(&v, p, sizeof v);
		*heap = numeric_text(&v);
		if (*heap == NULL)
			return fail(c, "HY001", "memory allocation failure");
		s->kind = S_DEC, s->p = *heap, s->n = strlen(*heap);
		break;
	}
	case SQL_C_TYPE_DATE: case SQL_C_DATE: {
		SQL_DATE_STRUCT d;
		memcpy(&d, p, sizeof d);
		s->kind = S_DATE;
		s->ts.year = d.year, s->ts.month = d.month, s->ts.day = d.day;
		break;
	}
	case SQL_C_TYPE_TIME: case SQL_C_TIME: {
		SQL_TIME_STRUCT t;
		memcpy(&t, p, sizeof t);
		s->kind = S_TIME;
		s->ts.hour = t.hour, s->ts.minute = t.minute, s->ts.second = t.second;
		break;
	}
	case SQL_C_TYPE_TIMESTAMP: case SQL_C_TIMESTAMP:
		s->kind = S_TS, memcpy(&s->ts, p, sizeof s->ts); break;
	case SQL_C_GUID: s->kind = S_GUID, memcpy(&s->g, p, sizeof s->g); break;
	default:
		return fail(c, "HYC00", "C type %d is not supported for parameters",
			    ctype);
	}
	return SQL_SUCCESS;
}

/* ------------------------------------------------------------ numbers */

/* A number read from text or a source. is_int: exact integer i; else the
 * double d, frac telling whether a fraction is present. big: an integer
 * literal beyond 64 bits (out of range for every integer type). */
typedef struct num {
	int is_int, big;
	int64_t i;
	double d;
} num;

/* Skips blanks around [p, p+n): ODBC ignores them around numbers and
 * datetimes given as text. */
static void trim(const char **p, size_t *n)
{
	while (*n && (**p == ' ' || **p == '\t'))
		(*p)++, (*n)--;
	while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
		(*n)--;
}

/* Parses an SQL numeric literal: [sign] digits [. [digits]] or . digits,
 * then [E [sign] digits]. No hex, inf or nan (strtod would take them).
 * Returns 0 or -1. */
static int parse_number(const char *p, size_t n, num *out)
{
	char buf[400];
	size_t k = 0, digits = 0;
	int has_exp = 0;

	trim(&p, &n);
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (buf[k] == '+' || buf[k] == '-')
		k++;
	while (buf[k] >= '0' && buf[k] <= '9')
		k++, digits++;
	if (buf[k] == '.') {
		k++;
		while (buf[k] >= '0' && buf[k] <= '9')
			k++, digits++;
	}
	if (digits == 0)
		return -1;
	if (buf[k] == 'e' || buf[k] == 'E') {
		size_t e = 0;
		has_exp = 1;
		k++;
		if (buf[k] == '+' || buf[k] == '-')
			k++;
		while (buf[k] >= '0' && buf[k] <= '9')
			k++, e++;
		if (e == 0)
			return -1;
	}
	if (k != n)
		return -1;
	memset(out, 0, sizeof *out);
	if (!has_exp && strchr(buf, '.') == NULL) {
		char *end;
		errno = 0;
		out->i = strtoll(buf, &end, 10);
		out->is_int = errno == 0;
		out->big = errno == ERANGE;
		out->d = strtod(buf, NULL);
		return 0;
	}
	out->d = strtod(buf, NULL); /* ±HUGE_VAL past the double range */
	return 0;
}

/* The number of a numeric source (text as a literal). 22018 for text that
 * is not a number, 07006 for kinds no number comes from. */
static SQLRETURN source_number(const src *s, SQLSMALLINT sqltype, num *v,
			       dq_pconv *c)
{
	memset(v, 0, sizeof *v);
	switch (s->kind) {
	case S_INT: v->is_int = 1, v->i = s->i, v->d = (double)s->i; return SQL_SUCCESS;
	case S_UINT: v->big = 1, v->d = (double)s->u; return SQL_SUCCESS;
	case S_REAL: v->d = s->d; return SQL_SUCCESS;
	case S_DEC:
	case S_TEXT:
		if (parse_number(s->p, s->n, v) == 0)
			return SQL_SUCCESS;
		return fail(c, "22018", "'%.*s' is not a number, so it cannot be sent "
			    "as %s: bind a number, or declare the parameter "
			    "SQL_VARCHAR to store text", (int)(s->n > 40 ? 40 : s->n),
			    s->p, sql_name(sqltype));
	default:
		return SQL_ERROR; /* the caller posts 07006 */
	}
}

/* Range of an integer SQL type: signed or unsigned (ODBC leaves the sign
 * to the column, which SQLite does not have), so both are accepted. */
static void int_range(SQLSMALLINT t, double *lo, double *hi)
{
	switch (t) {
	case SQL_TINYINT: *lo = -128, *hi = 255; break;
	case SQL_SMALLINT: *lo = -32768, *hi = 65535; break;
	case SQL_INTEGER: *lo = -2147483648.0, *hi = 4294967295.0; break;
	default: *lo = -9223372036854775808.0, *hi = 9223372036854775807.0; break;
	}
}

/* SQL_TINYINT .. SQL_BIGINT: an INTEGER. Fraction dropped: 22001 when the
 * value came as text, else the optional 01S07 warning (ODBC's character and
 * numeric tables differ there); whole digits lost: 22003. */
static SQLRETURN to_int(const src *s, SQLSMALLINT t, dqc_value *out, dq_pconv *c)
{
	num v;
	double lo, hi, w;
	int from_text = s->kind == S_TEXT;
	SQLRETURN rc = source_number(s, t, &v, c);

	if (rc != SQL_SUCCESS)
		return rc;
	int_range(t, &lo, &hi);
	if (v.is_int) {
		if ((double)v.i < lo || (double)v.i > hi)
			goto range;
		out->type = DQC_INTEGER, out->v.integer = v.i;
		return SQL_SUCCESS;
	}
	w = trunc(v.d);
	/* hi of BIGINT is 2^63 as a double: excluded */
	if (v.big || isnan(v.d) || w < lo || w > hi ||
	    (t != SQL_TINYINT && t != SQL_SMALLINT && t != SQL_INTEGER &&
	     w >= 9223372036854775808.0))
		goto range;
	if (w != v.d && from_text)
		return fail(c, "22001", "'%.*s' has a fraction, which %s cannot hold "
			    "(ODBC refuses to truncate text): round it first",
			    (int)(s->n > 40 ? 40 : s->n), s->p, sql_name(t));
	out->type = DQC_INTEGER, out->v.integer = (int64_t)w;
	if (w != v.d) {
		fail(c, "01S07", "fractional truncation: %.17g was sent to %s as %"
		     PRId64, v.d, sql_name(t), (int64_t)w);
		return SQL_SUCCESS_WITH_INFO;
	}
	return SQL_SUCCESS;
range:
	return fail(c, "22003", "numeric value out of range for %s (%s)",
		    sql_name(t), t == SQL_BIGINT ? "dqlite integers are 64-bit signed"
		    : "bind it as SQL_BIGINT for a wider range");
}

/* SQL_BIT: 0 or 1 as an INTEGER; 0 < x < 2 other than 1 is 22001, anything
 * else 22003. Empty text is 0: PHP (PDO_ODBC, odbc_execute) sends false as
 * '' and would otherwise be refused. */
static SQLRETURN to_bit(const src *s, dqc_value *out, dq_pconv *c)
{
	num v;
	double d;
	SQLRETURN rc;

	if (s->kind == S_TEXT) {
		const char *p = s->p;
		size_t n = s->n;
		trim(&p, &n);
		if (n == 0) {
			out->type = DQC_INTEGER, out->v.integer = 0;
			return SQL_SUCCESS;
		}
	}
	rc = source_number(s, SQL_BIT, &v, c);
	if (rc != SQL_SUCCESS)
		return rc;
	d = v.is_int ? (double)v.i : v.d;
	if (!v.big && (d == 0 || d == 1)) {
		out->type = DQC_INTEGER, out->v.integer = d == 1;
		return SQL_SUCCESS;
	}
	if (!v.big && d > 0 && d < 2)
		return fail(c, "22001", "%.17g is not 0 or 1, so it cannot be sent as "
			    "SQL_BIT without truncation", d);
	if (v.big)
		return fail(c, "22003", "the value is out of range for SQL_BIT, "
			    "which holds 0 or 1");
	return fail(c, "22003", "%.17g is out of range for SQL_BIT, which holds "
		    "0 or 1", d);
}

/* SQL_REAL / SQL_FLOAT / SQL_DOUBLE: a FLOAT; 22003 beyond the type. */
static SQLRETURN to_approx(const src *s, SQLSMALLINT t, dqc_value *out, dq_pconv *c)
{
	num v;
	SQLRETURN rc = source_number(s, t, &v, c);
	double d;

	if (rc != SQL_SUCCESS)
		return rc;
	d = v.is_int ? (double)v.i : v.d;
	if ((s->kind == S_TEXT || s->kind == S_DEC) && isinf(d))
		return fail(c, "22003", "'%.*s' is out of range for %s",
			    (int)(s->n > 40 ? 40 : s->n), s->p, sql_name(t));
	if (t == SQL_REAL && isfinite(d) && fabs(d) > FLT_MAX)
		return fail(c, "22003", "%.17g is out of range for SQL_REAL (4-byte "
			    "float): bind it as SQL_DOUBLE", d);
	out->type = DQC_FLOAT, out->v.real = d;
	return SQL_SUCCESS;
}

static void set_text(dqc_value *v, const char *p, size_t n)
{
	v->type = DQC_TEXT;
	v->v.text.ptr = p;
	v->v.text.len = n;
}

/* SQL_NUMERIC / SQL_DECIMAL: integers as INTEGER, doubles as FLOAT, exact
 * decimals (text, SQL_C_NUMERIC) as their text, checked to be a number. */
static SQLRETURN to_dec(const src *s, SQLSMALLINT t, dqc_value *out,
			char **heap, dq_pconv *c)
{
	num v;
	const char *p = s->p;
	size_t n = s->n;
	SQLRETURN rc;

	switch (s->kind) {
	case S_INT: out->type = DQC_INTEGER, out->v.integer = s->i; return SQL_SUCCESS;
	case S_REAL: out->type = DQC_FLOAT, out->v.real = s->d; return SQL_SUCCESS;
	case S_UINT:
		*heap = malloc(24);
		if (*heap == NULL)
			return fail(c, "HY001", "memory allocation failure");
		snprintf(*heap, 24, "%" PRIu64, s->u);
		set_text(out, *heap, strlen(*heap));
		return SQL_SUCCESS;
	default:
		rc = source_number(s, t, &v, c);
		if (rc != SQL_SUCCESS)
			return rc;
		trim(&p, &n);
		set_text(out, p, n);
		return SQL_SUCCESS;
	}
}

/* ------------------------------------------------------------ text forms */

/* Shortest text that reads back as the same double; -0.0 is "0" (ODBC's
 * numeric-to-character rule signs only a number below 0). */
static void format_double(double d, char *buf, size_t cap)
{
	if (d == 0)
		d = 0;
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, cap, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

/* An SQL_C_FLOAT's shortest text: the fewest digits that read back as the
 * same float (0.1f is "0.1", not its double's 0.10000000149011612). */
static void format_float(float f, char *buf, size_t cap)
{
	if (f == 0)
		f = 0;
	for (int prec = 6; prec <= 9; prec++) {
		snprintf(buf, cap, "%.*g", prec, (double)f);
		if (strtof(buf, NULL) == f)
			return;
	}
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int valid_date(const SQL_TIMESTAMP_STRUCT *t)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (t->year < 1 || t->year > 9999 || t->month < 1 || t->month > 12 ||
	    t->day < 1)
		return 0;
	return t->day <= mdays[t->month - 1] + (t->month == 2 && is_leap(t->year));
}

static int valid_time(const SQL_TIMESTAMP_STRUCT *t)
{
	return t->hour <= 23 && t->minute <= 59 && t->second <= 59 &&
	       t->fraction <= 999999999;
}

/* Formats the parts of *t that `kind` (S_DATE, S_TIME, S_TS) has into buf
 * (48 bytes): "YYYY-MM-DD", "HH:MM:SS", "YYYY-MM-DD HH:MM:SS[.f]" with the
 * fraction's trailing zeros dropped. */
static size_t format_datetime(int kind, const SQL_TIMESTAMP_STRUCT *t, char *buf)
{
	int k;
	if (kind == S_DATE)
		return (size_t)snprintf(buf, 48, "%04d-%02u-%02u", t->year, t->month, t->day);
	if (kind == S_TIME)
		return (size_t)snprintf(buf, 48, "%02u:%02u:%02u", t->hour, t->minute,
					t->second);
	k = snprintf(buf, 48, "%04d-%02u-%02u %02u:%02u:%02u", t->year, t->month,
		     t->day, t->hour, t->minute, t->second);
	if (t->fraction) {
		k += snprintf(buf + k, (size_t)(48 - k), ".%09u", (unsigned)t->fraction);
		while (buf[k - 1] == '0')
			buf[--k] = '\0';
	}
	return (size_t)k;
}

void dq_guid_format(const SQLGUID *g, char *buf)
{
	snprintf(buf, 37, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 (unsigned)g->Data1, g->Data2, g->Data3, g->Data4[0], g->Data4[1],
		 g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6],
		 g->Data4[7]);
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9') return ch - '0';
	if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
	return -1;
}

int dq_guid_parse(const char *s, size_t n, SQLGUID *g)
{
	unsigned char b[16];
	int k = 0;

	trim(&s, &n);
	if (n == 38 && s[0] == '{' && s[37] == '}')
		s++, n -= 2;
	if (n != 36)
		return -1;
	for (size_t i = 0; i < 36; i++) {
		int hi, lo;
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			continue;
		}
		hi = hexval(s[i]);
		lo = i + 1 < 36 ? hexval(s[i + 1]) : -1;
		if (hi < 0 || lo < 0)
			return -1;
		b[k++] = (unsigned char)(hi << 4 | lo);
		i++;
	}
	g->Data1 = (SQLUINTEGER)b[0] << 24 | (SQLUINTEGER)b[1] << 16 |
		   (SQLUINTEGER)b[2] << 8 | b[3];
	g->Data2 = (SQLUSMALLINT)(b[4] << 8 | b[5]);
	g->Data3 = (SQLUSMALLINT)(b[6] << 8 | b[7]);
	memcpy(g->Data4, b + 8, 8);
	return 0;
}

/* The source as text, for the character SQL types. */
static SQLRETURN to_char(const src *s, SQLSMALLINT t, dqc_value *out,
			 char **heap, dq_pconv *c)
{
	char *b;

	if (s->kind == S_TEXT || s->kind == S_DEC) {
		set_text(out, s->p, s->n);
		return SQL_SUCCESS;
	}
	if (s->kind == S_BIN) {
		/* the bytes are the characters (ODBC's binary table) */
		const char *z = memchr(s->p, 0, s->n);
		if (z)
			return fail(c, "22018", "the bytes hold a NUL at byte %td; dqlite "
				    "carries text only up to a NUL: declare the "
				    "parameter SQL_VARBINARY to store a BLOB", z - s->p);
		set_text(out, s->p, s->n);
		return SQL_SUCCESS;
	}
	b = *heap = malloc(48);
	if (b == NULL)
		return fail(c, "HY001", "memory allocation failure");
	switch (s->kind) {
	case S_INT: snprintf(b, 48, "%" PRId64, s->i); break;
	case S_UINT: snprintf(b, 48, "%" PRIu64, s->u); break;
	case S_REAL:
		if (s->is_float)
			format_float((float)s->d, b, 48);
		else
			format_double(s->d, b, 48);
		break;
	case S_GUID: dq_guid_format(&s->g, b); break;
	default: /* S_DATE, S_TIME, S_TS */
		if ((s->kind != S_TIME && !valid_date(&s->ts)) ||
		    (s->kind != S_DATE && !valid_time(&s->ts)))
			return fail(c, "22008", "the %s is not a valid date or time "
				    "(%04d-%02u-%02u %02u:%02u:%02u), so it cannot be "
				    "sent as %s", s->kind == S_DATE ? "date" :
				    s->kind == S_TIME ? "time" : "timestamp",
				    s->ts.year, s->ts.month, s->ts.day, s->ts.hour,
				    s->ts.minute, s->ts.second, sql_name(t));
		format_datetime(s->kind, &s->ts, b);
		break;
	}
	set_text(out, b, strlen(b));
	return SQL_SUCCESS;
}

/* Character data to binary: pairs of hex digits (either case). ODBC drops
 * an odd last digit; the driver refuses it (22018) so no data vanishes. */
static SQLRETURN hex_to_blob(const src *s, SQLSMALLINT t, dqc_value *out,
			     char **heap, dq_pconv *c)
{
	unsigned char *b;
	if (s->n % 2)
		return fail(c, "22018", "%s from character data takes pairs of hex "
			    "digits; the text has %zu characters (an odd number)",
			    sql_name(t), s->n);
	b = malloc(s->n / 2 + 1);
	if (b == NULL)
		return fail(c, "HY001", "memory allocation failure");
	*heap = (char *)b;
	for (size_t i = 0; i < s->n; i += 2) {
		int hi = hexval(s->p[i]), lo = hexval(s->p[i + 1]);
		if (hi < 0 || lo < 0)
			return fail(c, "22018", "%s from character data takes hex "
				    "digits; character %zu ('%c') is not one: bind "
				    "the bytes as SQL_C_BINARY", sql_name(t), i + 1 +
				    (hi >= 0), hi < 0 ? s->p[i] : s->p[i + 1]);
		b[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	out->type = DQC_BLOB;
	out->v.blob.ptr = b;
	out->v.blob.len = s->n / 2;
	return SQL_SUCCESS;
}

/* ------------------------------------------------------------ datetimes */

static int digits_at(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Parses ODBC's literals: date "yyyy-mm-dd", time "hh:mm:ss[.f]", timestamp
 * "yyyy-mm-dd hh:mm:ss[.f]" ('T' accepted for the blank), blanks around
 * ignored, fields checked (2023-02-30 is no date). *kind: S_DATE, S_TIME or
 * S_TS; *extra: fraction digits beyond nanoseconds were nonzero. 0 or -1. */
static int parse_literal(const char *p, size_t n, SQL_TIMESTAMP_STRUCT *t,
			 int *kind, int *extra)
{
	int y = 0, mo = 0, d = 0, h, mi, se;
	size_t k = 0;

	trim(&p, &n);
	memset(t, 0, sizeof *t);
	*extra = 0;
	*kind = S_TIME;
	if (n >= 10 && p[4] == '-' && p[7] == '-') {
		if (digits_at(p, 4, &y) || digits_at(p + 5, 2, &mo) ||
		    digits_at(p + 8, 2, &d))
			return -1;
		t->year = (SQLSMALLINT)y, t->month = (SQLUSMALLINT)mo, t->day = (SQLUSMALLINT)d;
		if (!valid_date(t))
			return -1;
		*kind = S_DATE;
		if (n == 10)
			return 0;
		if (p[10] != ' ' && p[10] != 'T')
			return -1;
		k = 11;
		*kind = S_TS;
	}
	if (n - k < 8 || p[k + 2] != ':' || p[k + 5] != ':' ||
	    digits_at(p + k, 2, &h) || digits_at(p + k + 3, 2, &mi) ||
	    digits_at(p + k + 6, 2, &se))
		return -1;
	t->hour = (SQLUSMALLINT)h, t->minute = (SQLUSMALLINT)mi, t->second = (SQLUSMALLINT)se;
	k += 8;
	if (k < n && p[k] == '.') {
		unsigned long f = 0;
		int nd = 0;
		for (k++; k < n && p[k] >= '0' && p[k] <= '9'; k++, nd++) {
			if (nd < 9)
				f = f * 10 + (unsigned long)(p[k] - '0');
			else if (p[k] != '0')
				*extra = 1;
		}
		if (nd == 0)
			return -1;
		for (; nd < 9; nd++)
			f *= 10;
		t->fraction = (SQLUINTEGER)f;
	}
	return k == n && valid_time(t) ? 0 : -1;
}

/* Today's date (UTC, as SQLite's 'now'), for a time sent as a timestamp. */
static void today(SQL_TIMESTAMP_STRUCT *t)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	t->year = (SQLSMALLINT)(tm.tm_year + 1900);
	t->month = (SQLUSMALLINT)(tm.tm_mon + 1);
	t->day = (SQLUSMALLINT)tm.tm_mday;
}

/* SQL_TYPE_DATE / TIME / TIMESTAMP (want = S_DATE, S_TIME, S_TS) from a
 * date/time/timestamp struct or text; TEXT in SQLite's format. */
static SQLRETURN to_datetime(const src *s, SQLSMALLINT t, int want,
			     dqc_value *out, char **heap, dq_pconv *c)
{
	SQL_TIMESTAMP_STRUCT v = s->ts;
	int kind = s->kind, extra = 0;
	const char *bad = "22007"; /* a struct that is no valid date/time */

	if (kind == S_TEXT) {
		bad = "22018";
		if (parse_literal(s->p, s->n, &v, &kind, &extra) != 0)
			return fail(c, "22018", "'%.*s' is not a valid ODBC %s literal "
				    "(yyyy-mm-dd, hh:mm:ss, yyyy-mm-dd hh:mm:ss[.f], "
				    "with real calendar dates)",
				    (int)(s->n > 40 ? 40 : s->n), s->p,
				    want == S_DATE ? "date" : want == S_TIME ? "time"
				    : "timestamp");
	} else if (kind != S_DATE && kind != S_TIME && kind != S_TS) {
		return SQL_ERROR; /* the caller posts 07006 */
	}
	if ((kind == S_DATE && want == S_TIME) || (kind == S_TIME && want == S_DATE))
		return s->kind == S_TEXT
			       ? fail(c, "22018", "'%.*s' has no %s part for %s",
				      (int)(s->n > 40 ? 40 : s->n), s->p,
				      want == S_DATE ? "date" : "time", sql_name(t))
			       : SQL_ERROR;
	/* a timestamp sent as a time: its date is ignored (ODBC) */
	if ((kind != S_TIME && want != S_TIME && !valid_date(&v)) ||
	    (kind != S_DATE && !valid_time(&v)))
		return fail(c, bad, "%04d-%02u-%02u %02u:%02u:%02u.%09u is not a valid "
			    "%s for %s", v.year, v.month, v.day, v.hour, v.minute,
			    v.second, (unsigned)v.fraction, kind == S_DATE ? "date" :
			    kind == S_TIME ? "time" : "timestamp", sql_name(t));
	if (extra)
		return fail(c, "22008", "the fraction of a second has more than 9 "
			    "digits, which %s cannot hold", sql_name(t));
	if (kind == S_TS && want == S_DATE && (v.hour || v.minute || v.second || v.fraction))
		return fail(c, "22008", "the timestamp has a time of day, which %s "
			    "would drop: bind it as SQL_TYPE_TIMESTAMP", sql_name(t));
	if (kind == S_TS && want == S_TIME && v.fraction)
		return fail(c, "22008", "the timestamp has a fraction of a second, "
			    "which %s would drop", sql_name(t));
	if (kind != S_TS && want == S_TIME && v.fraction)
		return fail(c, "22008", "the time has a fraction of a second, which "
			    "%s would drop", sql_name(t));
	if (kind == S_TIME && want == S_TS)
		today(&v);
	*heap = malloc(48);
	if (*heap == NULL)
		return fail(c, "HY001", "memory allocation failure");
	set_text(out, *heap, format_datetime(want, &v, *heap));
	return SQL_SUCCESS;
}

/* SQL_GUID: the canonical text, from SQL_C_GUID or checked text. */
static SQLRETURN to_guid(const src *s, dqc_value *out, char **heap, dq_pconv *c)
{
	SQLGUID g = s->g;
	if (s->kind == S_TEXT && dq_guid_parse(s->p, s->n, &g) != 0)
		return fail(c, "22018", "'%.*s' is not a GUID "
			    "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
			    (int)(s->n > 40 ? 40 : s->n), s->p);
	if (s->kind != S_TEXT && s->kind != S_GUID)
		return SQL_ERROR; /* the caller posts 07006 */
	*heap = malloc(40);
	if (*heap == NULL)
		return fail(c, "HY001", "memory allocation failure");
	dq_guid_format(&g, *heap);
	set_text(out, *heap, 36);
	return SQL_SUCCESS;
}

/* ------------------------------------------------------------ dispatch */

/* ODBC's binary table: bytes sent to a fixed-size SQL type are that type's
 * C value when their length is its size (else 22003). The C type standing
 * for the SQL type, or 0 when it has none. */
static SQLSMALLINT ctype_of(SQLSMALLINT t)
{
	switch (t) {
	case SQL_TINYINT: return SQL_C_STINYINT;
	case SQL_SMALLINT: return SQL_C_SSHORT;
	case SQL_INTEGER: return SQL_C_SLONG;
	case SQL_BIGINT: return SQL_C_SBIGINT;
	case SQL_BIT: return SQL_C_BIT;
	case SQL_REAL: return SQL_C_FLOAT;
	case SQL_FLOAT: case SQL_DOUBLE: return SQL_C_DOUBLE;
	case SQL_NUMERIC: case SQL_DECIMAL: return SQL_C_NUMERIC;
	case SQL_TYPE_DATE: case SQL_DATE: return SQL_C_TYPE_DATE;
	case SQL_TYPE_TIME: case SQL_TIME: return SQL_C_TYPE_TIME;
	case SQL_TYPE_TIMESTAMP: case SQL_TIMESTAMP: return SQL_C_TYPE_TIMESTAMP;
	default: return 0;
	}
}

static size_t ctype_bytes(SQLSMALLINT ct)
{
	switch (ct) {
	case SQL_C_STINYINT: case SQL_C_BIT: return 1;
	case SQL_C_SSHORT: return 2;
	case SQL_C_SLONG: case SQL_C_FLOAT: return 4;
	case SQL_C_SBIGINT: case SQL_C_DOUBLE: return 8;
	case SQL_C_NUMERIC: return sizeof(SQL_NUMERIC_STRUCT);
	case SQL_C_TYPE_DATE: return sizeof(SQL_DATE_STRUCT);
	case SQL_C_TYPE_TIME: return sizeof(SQL_TIME_STRUCT);
	default: return sizeof(SQL_TIMESTAMP_STRUCT);
	}
}

/* The C value's own dqlite type (no SQL type to honour). */
static SQLRETURN to_native(const src *s, SQLSMALLINT t, dqc_value *out,
			   char **heap, dq_pconv *c)
{
	switch (s->kind) {
	case S_INT: out->type = DQC_INTEGER, out->v.integer = s->i; return SQL_SUCCESS;
	case S_UINT:
		return fail(c, "22003", "%" PRIu64 " is out of range for dqlite's "
			    "64-bit signed INTEGER", s->u);
	case S_REAL: out->type = DQC_FLOAT, out->v.real = s->d; return SQL_SUCCESS;
	case S_BIN:
		out->type = DQC_BLOB, out->v.blob.ptr = s->p, out->v.blob.len = s->n;
		return SQL_SUCCESS;
	default:
		return to_char(s, t, out, heap, c);
	}
}

SQLRETURN dq_param_convert(SQLSMALLINT ctype, const char *data, size_t len,
			   SQLSMALLINT sqltype, dqc_value *out, char **heap,
			   dq_pconv *c)
{
	src s;
	int cls = tgt_class(sqltype);
	SQLRETURN rc;

	c->state[0] = c->msg[0] = '\0';
	*heap = NULL;
	rc = read_source(ctype, data, len, &s, heap, c);
	if (rc != SQL_SUCCESS)
		goto done;
	if (s.kind == S_BIN && ctype_of(sqltype)) {
		SQLSMALLINT ct = ctype_of(sqltype);
		if (s.n != ctype_bytes(ct)) {
			rc = fail(c, "22003", "%s takes exactly %zu bytes from "
				  "SQL_C_BINARY; %zu were given", sql_name(sqltype),
				  ctype_bytes(ct), s.n);
			goto done;
		}
		return dq_param_convert(ct, data, s.n, sqltype, out, heap, c);
	}
	switch (cls) {
	case T_CHAR: rc = to_char(&s, sqltype, out, heap, c); break;
	case T_INT: rc = to_int(&s, sqltype, out, c); break;
	case T_BIT: rc = to_bit(&s, out, c); break;
	case T_APPROX: rc = to_approx(&s, sqltype, out, c); break;
	case T_DEC: rc = to_dec(&s, sqltype, out, heap, c); break;
	case T_BIN:
		if (s.kind == S_BIN) {
			out->type = DQC_BLOB, out->v.blob.ptr = s.p, out->v.blob.len = s.n;
			rc = SQL_SUCCESS;
		} else {
			rc = s.kind == S_TEXT ? hex_to_blob(&s, sqltype, out, heap, c)
					      : SQL_ERROR;
		}
		break;
	case T_DATE: rc = to_datetime(&s, sqltype, S_DATE, out, heap, c); break;
	case T_TIME: rc = to_datetime(&s, sqltype, S_TIME, out, heap, c); break;
	case T_TS: rc = to_datetime(&s, sqltype, S_TS, out, heap, c); break;
	case T_GUID: rc = to_guid(&s, out, heap, c); break;
	default: rc = to_native(&s, sqltype, out, heap, c); break;
	}
	if (rc == SQL_ERROR && c->state[0] == '\0')
		fail(c, "07006", "%s cannot be converted to %s (restricted data type "
		     "attribute violation): bind a C type that converts to it",
		     c_name(ctype), sql_name(sqltype));
done:
	if (rc == SQL_ERROR) {
		free(*heap);
		*heap = NULL;
	}
	return rc;
}
