/*
 * convert.h -- dqlite cell -> ODBC C type conversions (pure functions).
 *
 * docs/types.md documents the mapping and the SQLSTATEs.
 */
#ifndef DQ_CONVERT_H
#define DQ_CONVERT_H

#include <stddef.h>
#include <sql.h>
#include <sqlext.h>

#include "dqlite_client.h"

typedef struct dq_conv {
	char state[6];   /* SQLSTATE of a warning/error, "" if none */
	char msg[160];
} dq_conv;

/* Where a value read in pieces (SQLGetData) stands. Zero it for a new
 * value; conversions keep it up to date.
 *  offset: bytes of the converted form already returned (0 for SQLFetch).
 *  at, pos, half, units: for SQL_C_WCHAR, the UTF-8 position matching
 *          offset `at` and the value's length in UTF-16 units, so the next
 *          piece converts only itself (used when at == offset). */
typedef struct dq_piece {
	size_t offset;
	size_t at, pos, units;
	int half;
} dq_piece;

/* 1 when the cell is SQL NULL. An ISO8601("") cell is NULL too: released
 * dqlite servers send a NULL of a DATE/DATETIME/TIMESTAMP column that way. */
int dq_cell_is_null(const dqc_value *v);

/* The C type SQL_C_DEFAULT means for a cell of this wire type. */
SQLSMALLINT dq_default_ctype(int wire_type);

/* Converts a non-NULL cell to ctype into target.
 *  buflen: capacity in bytes for variable-length targets (CHAR, WCHAR,
 *          BINARY); ignored for fixed-size ones.
 *  p:      where earlier SQLGetData calls on this column left the value
 *          (zeroed for SQLFetch and a new column); updated.
 *  *len:   receives the remaining length before this call (bytes), or the
 *          fixed size.
 * Returns SQL_SUCCESS, SQL_SUCCESS_WITH_INFO (c->state 01004 / 01S07),
 * SQL_NO_DATA (every piece already returned), or SQL_ERROR (c->state one of
 * 22003, 22018, 22007, 07006, HY003, HY001). */
SQLRETURN dq_convert(const dqc_value *v, SQLSMALLINT ctype, SQLPOINTER target,
		     SQLLEN buflen, dq_piece *p, SQLLEN *len, dq_conv *c);

/* dq_convert with an SQL_C_NUMERIC target's precision (1..38; another
 * value means 38) and scale (-38..38), as its ARD record gives them
 * (SQLBindCol's defaults are 38 and 0, which dq_convert uses); other C
 * types ignore them. */
SQLRETURN dq_convert_numeric(const dqc_value *v, SQLSMALLINT ctype, SQLPOINTER target,
			     SQLLEN buflen, dq_piece *p, SQLLEN *len, dq_conv *c,
			     int precision, int scale);

/* Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.fff]]" (also 'T'
 * separator and a trailing Z / +hh:mm, which are ignored) or "HH:MM[:SS]".
 * Returns 0; 1 when it parsed but a fraction of a second finer than a
 * nanosecond (non-zero digits past the ninth) was dropped; -1 for text
 * that is no such literal; -2 for one with the form but no real date or
 * time. has_date/has_time tell which parts were present. */
int dq_parse_datetime(const char *s, size_t n, SQL_TIMESTAMP_STRUCT *ts,
		      int *has_date, int *has_time);

#endif /* DQ_CONVERT_H */
