/*
 * param_convert.h -- a parameter's C value converted to its SQL type, as
 * the dqlite value to send (pure functions; no handle).
 *
 * The rules are ODBC's "Converting Data from C to SQL Data Types" tables;
 * docs/types.md ("Parameters") lists them with this driver's choices.
 */
#ifndef DQ_PARAM_CONVERT_H
#define DQ_PARAM_CONVERT_H

#include <stddef.h>
#include <sql.h>
#include <sqlext.h>

#include "dqlite_client.h"

/* Outcome of one conversion: SQLSTATE of a warning/error ("" if none) and
 * a message naming the value and the types (no parameter number). */
typedef struct dq_pconv {
	char state[6];
	char msg[256];
} dq_pconv;

/* Converts one non-NULL C value to the dqlite value for the SQL type.
 *  ctype:   the C type (not SQL_C_DEFAULT); SQL_C_WCHAR data must already
 *           be UTF-8 and be passed as SQL_C_CHAR.
 *  data:    the value; len is its byte length for SQL_C_CHAR / SQL_C_BINARY
 *           (ignored for fixed-size C types, whose size is the C type's).
 *  sqltype: the parameter's concise SQL type (ODBC 2 date codes too). 0 or
 *           a type the driver does not map (intervals) sends the C value's
 *           natural dqlite type, as if no SQL type were given.
 *  *out:    may point into data, or into *heap (malloc'd, the caller frees
 *           it; NULL when unused, also on failure).
 * Returns SQL_SUCCESS, SQL_SUCCESS_WITH_INFO (c->state 01S07: a fraction
 * dropped) or SQL_ERROR (c->state 22001, 22003, 22007, 22008, 22018,
 * 07006, HYC00 or HY001). */
SQLRETURN dq_param_convert(SQLSMALLINT ctype, const char *data, size_t len,
			   SQLSMALLINT sqltype, dqc_value *out, char **heap,
			   dq_pconv *c);

/* The canonical text of a GUID: 36 lower-case characters,
 * "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (Data1, Data2, Data3 as numbers,
 * Data4 as 8 bytes in order); buf holds at least 37 bytes. */
void dq_guid_format(const SQLGUID *g, char *buf);

/* Parses a GUID's text (36 characters as above, either case, optionally in
 * braces; blanks around it ignored). 0 or -1. */
int dq_guid_parse(const char *s, size_t n, SQLGUID *g);

#endif /* DQ_PARAM_CONVERT_H */
