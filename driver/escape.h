/*
 * escape.h -- ODBC escape clauses translated to SQLite SQL.
 *
 * Applications and BI tools write portable SQL with ODBC escapes:
 *   {d 'yyyy-mm-dd'}  {t 'hh:mm:ss'}  {ts 'yyyy-mm-dd hh:mm:ss[.f]'}
 *   {fn UCASE(x)}  {oj a LEFT OUTER JOIN b ON ...}  LIKE 'a\%' {escape '\'}
 * SQLite knows none of them. The driver rewrites them before the text goes
 * to the server (unless SQL_ATTR_NOSCAN is on); SQLNativeSql shows the
 * result. Pure text in, text out: no handles, so it is unit tested and
 * fuzzed on its own. The function table is in escape.c; docs/catalog.md
 * lists what is supported.
 */
#ifndef DQ_ESCAPE_H
#define DQ_ESCAPE_H

#include <stddef.h>

enum {
	DQ_ESC_SYNTAX = -1,      /* malformed escape (42000) */
	DQ_ESC_UNSUPPORTED = -2, /* {call}, {?= call}, {interval}: (HYC00) */
	DQ_ESC_NOMEM = -3
};

/*
 * Translates the escapes of the NUL-terminated sql. On success returns 0
 * and sets *out to a malloc'd NUL-terminated text the caller frees (a copy
 * of sql when it holds no escape). On failure returns a DQ_ESC_* code,
 * *out is NULL and msg (msgcap bytes, may be 0) says what is wrong.
 * Braces inside string literals, quoted identifiers and comments are text,
 * not escapes. Escapes nest ({fn UCASE({fn LTRIM(x)})}).
 */
int dq_escape_translate(const char *sql, char **out, char *msg, size_t msgcap);

#endif /* DQ_ESCAPE_H */
