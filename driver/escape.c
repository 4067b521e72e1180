/*
 * escape.c -- ODBC escape clauses to SQLite SQL (escape.h).
 *
 * The text is copied as it is except for `{...}` outside string literals,
 * quoted identifiers and comments. An escape's body is translated first
 * (escapes nest), then rewritten by its keyword:
 *   d, t, ts, guid  -> the literal itself ('2024-01-02' is what SQLite's
 *                      date functions and the driver's conversions read)
 *   oj              -> the join, as written
 *   escape 'c'      -> ESCAPE 'c'
 *   fn f(args)      -> SQLite's equivalent from the table below (a name
 *                      not in the table is passed through: SQLite may know it)
 *   call, ?=call, interval: not supported (dqlite has no procedures).
 */
#include "escape.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ out buffer */

typedef struct {
	char *p;
	size_t n, cap;
	int oom;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *p;
		while (cap < b->n + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (p == NULL) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void puts_(sbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

typedef struct {
	const char *s;
	size_t i, len;
	char *msg;
	size_t msgcap;
	int depth;
} scan;

static int fail(scan *sc, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(scan *sc, int code, const char *fmt, ...)
{
	va_list ap;
	if (sc->msgcap) {
		va_start(ap, fmt);
		vsnprintf(sc->msg, sc->msgcap, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* Length of the quoted run or comment starting at s[i], or 0. */
static size_t skip_quoted(const char *s, size_t i, size_t len)
{
	char close;
	size_t j;
	if (s[i] == '-' && i + 1 < len && s[i + 1] == '-') {
		for (j = i; j < len && s[j] != '\n'; j++)
			;
		return j - i;
	}
	if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
		for (j = i + 2; j + 1 < len && !(s[j] == '*' && s[j + 1] == '/'); j++)
			;
		return (j + 1 < len ? j + 2 : len) - i;
	}
	if (s[i] != '\'' && s[i] != '"' && s[i] != '`' && s[i] != '[')
		return 0;
	close = s[i] == '[' ? ']' : s[i];
	for (j = i + 1; j < len; j++) {
		if (s[j] == close) {
			if (close != ']' && j + 1 < len && s[j + 1] == close) {
				j++;
				continue;
			}
			return j + 1 - i;
		}
	}
	return len - i; /* unterminated: the server will say so */
}

/* ------------------------------------------------------- the fn table */

/* $1..$4 are the arguments. nargs -1: any number, passed as "$*". */
static const struct {
	const char *name;
	int nargs;
	const char *sql;
} fns[] = {
	/* string */
	{"ASCII", 1, "unicode($1)"},
	{"BIT_LENGTH", 1, "(8 * length(CAST($1 AS BLOB)))"},
	{"CHAR", 1, "char($1)"},
	{"CHAR_LENGTH", 1, "length($1)"},
	{"CHARACTER_LENGTH", 1, "length($1)"},
	{"CONCAT", 2, "($1 || $2)"},
	{"INSERT", 4, "(substr($1, 1, ($2) - 1) || $4 || substr($1, ($2) + ($3)))"},
	{"LCASE", 1, "lower($1)"},
	{"LEFT", 2, "substr($1, 1, $2)"},
	{"LENGTH", 1, "length(rtrim($1, ' '))"},
	{"LOCATE", 2, "instr($2, $1)"},
	{"LOCATE", 3, "CASE WHEN instr(substr($2, $3), $1) > 0"
		      " THEN instr(substr($2, $3), $1) + ($3) - 1 ELSE 0 END"},
	{"LTRIM", 1, "ltrim($1, ' ')"},
	{"OCTET_LENGTH", 1, "length(CAST($1 AS BLOB))"},
	{"REPEAT", 2, "replace(hex(zeroblob($2)), '00', $1)"},
	{"REPLACE", 3, "replace($1, $2, $3)"},
	{"RIGHT", 2, "CASE WHEN ($2) <= 0 THEN '' ELSE substr($1, -($2)) END"},
	{"RTRIM", 1, "rtrim($1, ' ')"},
	{"SPACE", 1, "replace(hex(zeroblob($1)), '00', ' ')"},
	{"SUBSTRING", 2, "substr($1, $2)"},
	{"SUBSTRING", 3, "substr($1, $2, $3)"},
	{"UCASE", 1, "upper($1)"},
	/* numeric (SQLite's math functions: Debian's and upstream's default
	 * builds have them) */
	{"ABS", 1, "abs($1)"},
	{"ACOS", 1, "acos($1)"},
	{"ASIN", 1, "asin($1)"},
	{"ATAN", 1, "atan($1)"},
	{"ATAN2", 2, "atan2($1, $2)"},
	{"CEILING", 1, "ceiling($1)"},
	{"COS", 1, "cos($1)"},
	{"COT", 1, "(1.0 / tan($1))"},
	{"DEGREES", 1, "degrees($1)"},
	{"EXP", 1, "exp($1)"},
	{"FLOOR", 1, "floor($1)"},
	{"LOG", 1, "ln($1)"},
	{"LOG10", 1, "log10($1)"},
	{"MOD", 2, "(($1) % ($2))"},
	{"PI", 0, "pi()"},
	{"POWER", 2, "power($1, $2)"},
	{"RADIANS", 1, "radians($1)"},
	/* [0, 1): random()'s low 53 bits over 2^53 (abs(random()) could
	 * overflow and reach 1.0). With a seed: the value that seed gives
	 * (one LCG step on it mod 2^31), the same for the same seed;
	 * SQLite's random() cannot be seeded. */
	{"RAND", 0, "((random() & 9007199254740991) / 9007199254740992.0)"},
	{"RAND", 1, "((((($1) % 2147483648 + 2147483648) % 2147483648 * 1103515245 + 12345)"
		    " % 2147483648) / 2147483648.0)"},
	{"ROUND", 2, "round($1, $2)"},
	{"SIGN", 1, "sign($1)"},
	{"SIN", 1, "sin($1)"},
	{"SQRT", 1, "sqrt($1)"},
	{"TAN", 1, "tan($1)"},
	{"TRUNCATE", 2, "(trunc(($1) * power(10, $2)) / power(10, $2))"},
	/* time and date */
	{"CURDATE", 0, "date('now')"},
	{"CURRENT_DATE", 0, "date('now')"},
	{"CURTIME", 0, "time('now')"},
	{"CURRENT_TIME", 0, "time('now')"},
	{"NOW", 0, "datetime('now')"},
	{"CURRENT_TIMESTAMP", 0, "datetime('now')"},
	{"DAYNAME", 1, "CASE strftime('%w', $1) WHEN '0' THEN 'Sunday' WHEN '1' THEN 'Monday'"
		       " WHEN '2' THEN 'Tuesday' WHEN '3' THEN 'Wednesday' WHEN '4' THEN 'Thursday'"
		       " WHEN '5' THEN 'Friday' WHEN '6' THEN 'Saturday' END"},
	{"DAYOFMONTH", 1, "CAST(strftime('%d', $1) AS INTEGER)"},
	{"DAYOFWEEK", 1, "(CAST(strftime('%w', $1) AS INTEGER) + 1)"},
	{"DAYOFYEAR", 1, "CAST(strftime('%j', $1) AS INTEGER)"},
	{"HOUR", 1, "CAST(strftime('%H', $1) AS INTEGER)"},
	{"MINUTE", 1, "CAST(strftime('%M', $1) AS INTEGER)"},
	{"MONTH", 1, "CAST(strftime('%m', $1) AS INTEGER)"},
	{"MONTHNAME", 1, "CASE strftime('%m', $1) WHEN '01' THEN 'January'"
			 " WHEN '02' THEN 'February' WHEN '03' THEN 'March' WHEN '04' THEN 'April'"
			 " WHEN '05' THEN 'May' WHEN '06' THEN 'June' WHEN '07' THEN 'July'"
			 " WHEN '08' THEN 'August' WHEN '09' THEN 'September'"
			 " WHEN '10' THEN 'October' WHEN '11' THEN 'November'"
			 " WHEN '12' THEN 'December' END"},
	{"QUARTER", 1, "((CAST(strftime('%m', $1) AS INTEGER) + 2) / 3)"},
	{"SECOND", 1, "CAST(strftime('%S', $1) AS INTEGER)"},
	{"YEAR", 1, "CAST(strftime('%Y', $1) AS INTEGER)"},
	/* system */
	{"DATABASE", 0, "'main'"},
	{"IFNULL", 2, "ifnull($1, $2)"},
	{"USER", 0, "''"},
};

/* CONVERT(x, SQL_type) target -> SQLite expression around $1. */
static const struct {
	const char *type;
	const char *sql;
} converts[] = {
	{"SQL_BIGINT", "CAST($1 AS INTEGER)"}, {"SQL_INTEGER", "CAST($1 AS INTEGER)"},
	{"SQL_SMALLINT", "CAST($1 AS INTEGER)"}, {"SQL_TINYINT", "CAST($1 AS INTEGER)"},
	{"SQL_BIT", "(CAST($1 AS INTEGER) <> 0)"},
	{"SQL_DOUBLE", "CAST($1 AS REAL)"}, {"SQL_FLOAT", "CAST($1 AS REAL)"},
	{"SQL_REAL", "CAST($1 AS REAL)"}, {"SQL_NUMERIC", "CAST($1 AS NUMERIC)"},
	{"SQL_DECIMAL", "CAST($1 AS NUMERIC)"},
	{"SQL_CHAR", "CAST($1 AS TEXT)"}, {"SQL_VARCHAR", "CAST($1 AS TEXT)"},
	{"SQL_LONGVARCHAR", "CAST($1 AS TEXT)"}, {"SQL_WCHAR", "CAST($1 AS TEXT)"},
	{"SQL_WVARCHAR", "CAST($1 AS TEXT)"}, {"SQL_WLONGVARCHAR", "CAST($1 AS TEXT)"},
	{"SQL_BINARY", "CAST($1 AS BLOB)"}, {"SQL_VARBINARY", "CAST($1 AS BLOB)"},
	{"SQL_LONGVARBINARY", "CAST($1 AS BLOB)"},
	{"SQL_DATE", "date($1)"}, {"SQL_TYPE_DATE", "date($1)"},
	{"SQL_TIME", "time($1)"}, {"SQL_TYPE_TIME", "time($1)"},
	{"SQL_TIMESTAMP", "datetime($1)"}, {"SQL_TYPE_TIMESTAMP", "datetime($1)"},
};

/* TIMESTAMPADD / TIMESTAMPDIFF intervals. */
static const struct {
	const char *name;
	const char *add;  /* datetime($3, <add>) with $2 the count */
	const char *diff; /* expression of $2 (start) and $3 (end) */
} intervals[] = {
	{"SQL_TSI_SECOND", "($2) || ' seconds'",
	 "CAST(round((julianday($3) - julianday($2)) * 86400) AS INTEGER)"},
	{"SQL_TSI_MINUTE", "($2) || ' minutes'",
	 "CAST((julianday($3) - julianday($2)) * 1440 AS INTEGER)"},
	{"SQL_TSI_HOUR", "($2) || ' hours'",
	 "CAST((julianday($3) - julianday($2)) * 24 AS INTEGER)"},
	{"SQL_TSI_DAY", "($2) || ' days'", "CAST(julianday($3) - julianday($2) AS INTEGER)"},
	{"SQL_TSI_WEEK", "(7 * ($2)) || ' days'",
	 "CAST((julianday($3) - julianday($2)) / 7 AS INTEGER)"},
	{"SQL_TSI_MONTH", "($2) || ' months'",
	 "((CAST(strftime('%Y', $3) AS INTEGER) - CAST(strftime('%Y', $2) AS INTEGER)) * 12"
	 " + CAST(strftime('%m', $3) AS INTEGER) - CAST(strftime('%m', $2) AS INTEGER))"},
	{"SQL_TSI_QUARTER", "(3 * ($2)) || ' months'",
	 "(((CAST(strftime('%Y', $3) AS INTEGER) - CAST(strftime('%Y', $2) AS INTEGER)) * 12"
	 " + CAST(strftime('%m', $3) AS INTEGER) - CAST(strftime('%m', $2) AS INTEGER)) / 3)"},
	{"SQL_TSI_YEAR", "($2) || ' years'",
	 "(CAST(strftime('%Y', $3) AS INTEGER) - CAST(strftime('%Y', $2) AS INTEGER))"},
};

/* ------------------------------------------------------------ rewriting */

#define MAX_ARGS 8

typedef struct {
	const char *p[MAX_ARGS];
	size_t n[MAX_ARGS];
	int count;
} args;

static void trim(const char **p, size_t *n)
{
	while (*n && isspace((unsigned char)**p))
		(*p)++, (*n)--;
	while (*n && isspace((unsigned char)(*p)[*n - 1]))
		(*n)--;
}

/* Splits "a, f(b, c), 'x,y'" at its top-level commas. -1 if too many. */
static int split_args(const char *s, size_t len, args *a)
{
	size_t start = 0, i = 0;
	int depth = 0;
	a->count = 0;
	trim(&s, &len);
	if (len == 0)
		return 0;
	while (i <= len) {
		size_t q = i < len ? skip_quoted(s, i, len) : 0;
		if (q) {
			i += q;
			continue;
		}
		if (i == len || (s[i] == ',' && depth == 0)) {
			if (a->count == MAX_ARGS)
				return -1;
			a->p[a->count] = s + start;
			a->n[a->count] = i - start;
			trim(&a->p[a->count], &a->n[a->count]);
			a->count++;
			start = i + 1;
		} else if (s[i] == '(')
			depth++;
		else if (s[i] == ')')
			depth--;
		i++;
	}
	return 0;
}

/* Writes template t with $1..$9 replaced by the arguments. */
static void expand(sbuf *out, const char *t, const args *a)
{
	for (; *t; t++) {
		if (t[0] == '$' && t[1] >= '1' && t[1] <= '9' && t[1] - '1' < a->count) {
			int k = t[1] - '1';
			put(out, a->p[k], a->n[k]);
			t++;
		} else
			put(out, t, 1);
	}
}

static int word_is(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && strncasecmp(p, w, n) == 0;
}

/* {fn body}: body already translated. */
static int rewrite_fn(scan *sc, sbuf *out, const char *body, size_t len)
{
	const char *name = body, *open;
	size_t nlen = 0, alen;
	args a;

	trim(&body, &len);
	name = body;
	while (nlen < len && (isalnum((unsigned char)name[nlen]) || name[nlen] == '_'))
		nlen++;
	if (nlen == 0)
		return fail(sc, DQ_ESC_SYNTAX, "{fn} without a function name");
	open = name + nlen;
	alen = len - nlen;
	trim(&open, &alen);
	if (alen == 0) { /* {fn CURDATE} without parentheses */
		a.count = 0;
	} else {
		if (open[0] != '(' || open[alen - 1] != ')')
			return fail(sc, DQ_ESC_SYNTAX, "{fn %.*s ...}: expected an argument list",
				    (int)nlen, name);
		if (split_args(open + 1, alen - 2, &a) != 0)
			return fail(sc, DQ_ESC_SYNTAX, "{fn %.*s}: too many arguments",
				    (int)nlen, name);
	}
	if (word_is(name, nlen, "CONVERT") && a.count == 2) {
		for (size_t i = 0; i < sizeof converts / sizeof *converts; i++)
			if (word_is(a.p[1], a.n[1], converts[i].type)) {
				expand(out, converts[i].sql, &a);
				return 0;
			}
		return fail(sc, DQ_ESC_UNSUPPORTED, "{fn CONVERT}: unsupported target type %.*s",
			    (int)a.n[1], a.p[1]);
	}
	if ((word_is(name, nlen, "TIMESTAMPADD") || word_is(name, nlen, "TIMESTAMPDIFF")) &&
	    a.count == 3) {
		int add = word_is(name, nlen, "TIMESTAMPADD");
		for (size_t i = 0; i < sizeof intervals / sizeof *intervals; i++)
			if (word_is(a.p[0], a.n[0], intervals[i].name) ||
			    (a.n[0] > 8 && word_is(a.p[0], a.n[0], intervals[i].name + 8))) {
				if (add) {
					expand(out, "datetime($3, ", &a);
					expand(out, intervals[i].add, &a);
					puts_(out, ")");
				} else
					expand(out, intervals[i].diff, &a);
				return 0;
			}
		return fail(sc, DQ_ESC_UNSUPPORTED, "{fn %.*s}: unsupported interval %.*s",
			    (int)nlen, name, (int)a.n[0], a.p[0]);
	}
	for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
		if (word_is(name, nlen, fns[i].name) && fns[i].nargs == a.count) {
			expand(out, fns[i].sql, &a);
			return 0;
		}
	/* Unknown here: SQLite may have it under the same name. */
	put(out, name, nlen);
	put(out, "(", 1);
	for (int i = 0; i < a.count; i++) {
		if (i)
			put(out, ", ", 2);
		put(out, a.p[i], a.n[i]);
	}
	put(out, ")", 1);
	return 0;
}

static int translate(scan *sc, sbuf *out, int nested);

/* At sc->s[sc->i] == '{': one escape. */
static int escape(scan *sc, sbuf *out)
{
	sbuf body = {0};
	const char *kw, *p;
	size_t kwlen = 0, n;
	int rc;

	if (++sc->depth > 64)
		return fail(sc, DQ_ESC_SYNTAX, "ODBC escapes nested too deeply");
	sc->i++;
	while (sc->i < sc->len && isspace((unsigned char)sc->s[sc->i]))
		sc->i++;
	kw = sc->s + sc->i;
	if (sc->i < sc->len && sc->s[sc->i] == '?')
		return fail(sc, DQ_ESC_UNSUPPORTED,
			    "procedure calls ({?= call ...}) are not supported: dqlite has no "
			    "stored procedures");
	while (sc->i + kwlen < sc->len && isalpha((unsigned char)kw[kwlen]))
		kwlen++;
	sc->i += kwlen;
	rc = translate(sc, &body, 1);
	if (rc == 0 && body.oom)
		rc = DQ_ESC_NOMEM;
	if (rc != 0) {
		free(body.p);
		return rc;
	}
	p = body.p ? body.p : "";
	n = body.n;
	trim(&p, &n);
	if (word_is(kw, kwlen, "d") || word_is(kw, kwlen, "t") || word_is(kw, kwlen, "ts") ||
	    word_is(kw, kwlen, "guid") || word_is(kw, kwlen, "oj"))
		put(out, p, n);
	else if (word_is(kw, kwlen, "escape")) {
		puts_(out, "ESCAPE ");
		put(out, p, n);
	} else if (word_is(kw, kwlen, "fn"))
		rc = rewrite_fn(sc, out, p, n);
	else if (word_is(kw, kwlen, "call"))
		rc = fail(sc, DQ_ESC_UNSUPPORTED,
			  "procedure calls ({call ...}) are not supported: dqlite has no "
			  "stored procedures");
	else if (word_is(kw, kwlen, "interval"))
		rc = fail(sc, DQ_ESC_UNSUPPORTED, "{interval ...} literals are not supported");
	else
		rc = fail(sc, DQ_ESC_SYNTAX, "unknown ODBC escape {%.*s ...}", (int)kwlen, kw);
	free(body.p);
	sc->depth--;
	return rc;
}

/* Copies text, translating escapes; nested != 0 stops after the '}' that
 * closes the current escape. */
static int translate(scan *sc, sbuf *out, int nested)
{
	while (sc->i < sc->len) {
		size_t q = skip_quoted(sc->s, sc->i, sc->len);
		char c = sc->s[sc->i];
		if (q) {
			put(out, sc->s + sc->i, q);
			sc->i += q;
		} else if (c == '{') {
			int rc = escape(sc, out);
			if (rc != 0)
				return rc;
		} else if (c == '}') {
			if (!nested)
				return fail(sc, DQ_ESC_SYNTAX, "'}' without an ODBC escape to close");
			sc->i++;
			return 0;
		} else {
			put(out, &c, 1);
			sc->i++;
		}
	}
	return nested ? fail(sc, DQ_ESC_SYNTAX, "unterminated ODBC escape: '{' without '}'")
		      : 0;
}

int dq_escape_translate(const char *sql, char **out, char *msg, size_t msgcap)
{
	scan sc = {sql, 0, strlen(sql), msg, msgcap, 0};
	sbuf b = {0};
	int rc;

	*out = NULL;
	if (msgcap)
		msg[0] = '\0';
	if (strchr(sql, '{') == NULL && strchr(sql, '}') == NULL) {
		*out = strdup(sql); /* the common case: nothing to do */
		return *out ? 0 : DQ_ESC_NOMEM;
	}
	rc = translate(&sc, &b, 0);
	if (rc == 0 && b.oom)
		rc = DQ_ESC_NOMEM;
	if (rc == 0 && b.p == NULL)
		b.p = strdup("");
	if (rc != 0 || b.p == NULL) {
		free(b.p);
		return rc ? rc : DQ_ESC_NOMEM;
	}
	*out = b.p;
	return 0;
}
