/*
 * catalog.h -- what the catalog files (catalog*.c) share: building an
 * in-memory result set with the reference's columns, running schema queries
 * on the connection, and turning ODBC name arguments into LIKE patterns.
 *
 * dqlite is SQLite: one database per connection, no catalogs, no schemas.
 * TABLE_CAT and TABLE_SCHEM are NULL in every row, and catalog / schema
 * arguments are accepted and ignored (docs/catalog.md).
 */
#ifndef DQ_CATALOG_H
#define DQ_CATALOG_H

#include "internal.h"

/* One column of a catalog result set as the ODBC reference defines it. */
typedef struct dq_catcol {
	const char *name;
	SQLSMALLINT type;     /* SQL_VARCHAR, SQL_SMALLINT, SQL_INTEGER */
	SQLSMALLINT nullable; /* SQL_NO_NULLS for the "not NULL" columns */
} dq_catcol;

/* A catalog result being built. */
typedef struct dq_cat {
	dq_stmt *s;
	const dq_catcol *cols;
	unsigned ncols;
	dq_memrows *mem;
} dq_cat;

/* Starts a result with the given columns: refuses with 24000 / HY010 when
 * the statement has an open cursor or pending data at execution, and checks
 * the link (reconnecting when needed). SQL_SUCCESS or SQL_ERROR (diag
 * posted, nothing to free). */
SQLRETURN dq_cat_begin(dq_cat *c, dq_stmt *s, const dq_catcol *cols,
		       unsigned ncols);
/* Appends a row of c->ncols cells (copied). SQL_SUCCESS or SQL_ERROR
 * (HY001 posted). */
SQLRETURN dq_cat_add(dq_cat *c, const dqc_value *cells);
/* Makes the rows the statement's result set (the result takes them). */
SQLRETURN dq_cat_end(dq_cat *c);
/* Drops a result being built (after a failure); returns rc. */
SQLRETURN dq_cat_abort(dq_cat *c, SQLRETURN rc);
/* The usual last step: dq_cat_end when rc is SQL_SUCCESS, else
 * dq_cat_abort(c, rc). */
SQLRETURN dq_cat_finish(dq_cat *c, SQLRETURN rc);

/* The number of columns of a dq_catcol table (a constant expression). */
#define DQ_NCOLS(cols) ((unsigned)(sizeof(cols) / sizeof *(cols)))

/* Called for each row of a schema query; returns SQL_SUCCESS to go on. */
typedef SQLRETURN (*dq_cat_row_fn)(dq_cat *c, const dqc_value *cells,
				   unsigned ncells, void *ctx);
/* Runs one read-only query on the connection (inside the transaction if
 * one is open, so uncommitted DDL is visible; none is started) and calls
 * fn for every row. Engine failures are posted with their SQLSTATE. */
SQLRETURN dq_cat_query(dq_cat *c, const char *sql, const dqc_value *params,
		       unsigned nparams, dq_cat_row_fn fn, void *ctx);

/* How a name argument is read (the reference's "argument types"). */
enum dq_arg_kind {
	DQ_ARG_PATTERN,  /* pattern value: % _ and the \ escape */
	DQ_ARG_ORDINARY  /* ordinary: the literal name */
};

/* Turns a name argument into a LIKE pattern (ESCAPE '\') matched against
 * SQLite names (ASCII case-insensitive, as SQLite resolves names). With
 * SQL_ATTR_METADATA_ID true the argument is an identifier: enclosing
 * double quotes are removed ("" inside becomes ") and it matches exactly.
 * A NULL pattern argument matches everything; a NULL ordinary argument or
 * any NULL argument under METADATA_ID is HY009 (`what` names it in the
 * message). *out is malloc'd. */
SQLRETURN dq_cat_pattern(dq_stmt *s, const char *arg, int kind,
			 const char *what, char **out);

/* Cell helpers for building rows. */
void dq_cell_text(dqc_value *v, const char *s);       /* NULL s -> NULL */
void dq_cell_textn(dqc_value *v, const char *s, size_t n);
void dq_cell_int(dqc_value *v, long long n);
void dq_cell_null(dqc_value *v);
/* A query cell's text (NULL for a NULL cell); copied into buf (cap bytes,
 * truncated) so the caller gets a NUL-terminated string. */
const char *dq_cell_str(const dqc_value *v, char *buf, size_t cap);
/* A query cell's integer (0 for NULL / non-integers). */
long long dq_cell_i64(const dqc_value *v);

/* The SQL_DATA_TYPE, SQL_DATETIME_SUB, DECIMAL_DIGITS, NUM_PREC_RADIX and
 * CHAR_OCTET_LENGTH of a mapped type, as SQLColumns and
 * SQLProcedureColumns report them (NULL where the reference says so). */
void dq_cat_type_cells(const dq_decl *d, dqc_value *sql_data_type,
		       dqc_value *datetime_sub, dqc_value *digits,
		       dqc_value *radix, dqc_value *char_octets);

/* 1 when CREATE TABLE text declares the table WITHOUT ROWID. */
int dq_sql_without_rowid(const char *create_sql);

#endif /* DQ_CATALOG_H */
