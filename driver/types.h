/*
 * types.h -- the SQL types the driver reports: the type table, declared
 * column types mapped to ODBC, and column metadata. Below everything that
 * describes columns (results, result_schema, catalog, typeinfo); it knows
 * no handle.
 */
#ifndef DQ_TYPES_H
#define DQ_TYPES_H

#include <stddef.h>

#include <sql.h>
#include <sqlext.h>

/* One row of the type table (SQLGetTypeInfo's columns). */
typedef struct dq_type {
	const char *name;
	SQLSMALLINT type;
	SQLULEN size;       /* COLUMN_SIZE */
	const char *prefix, *suffix, *params;
	SQLSMALLINT case_sensitive, searchable, unsigned_attr, auto_unique;
	SQLSMALLINT min_scale, max_scale, radix;
	SQLSMALLINT digits; /* decimal digits reported for results */
	SQLLEN display, octets;
} dq_type;

/* The table, sorted by DATA_TYPE as SQLGetTypeInfo returns it. */
size_t dq_type_count(void);
const dq_type *dq_type_at(size_t i);

/* The type table's row for an SQL type (the first of its DATA_TYPE, as
 * SQLGetTypeInfo lists it); an unknown type answers as SQL_VARCHAR. The
 * per-type column attributes (literal prefix / suffix, case sensitivity,
 * searchability, sign, radix) come from here, so SQLColAttribute says what
 * SQLGetTypeInfo says. */
const dq_type *dq_type_of(SQLSMALLINT sqltype);

/* Properties of an SQL type (any out pointer may be NULL); an unknown type
 * answers as SQL_VARCHAR. */
void dq_type_props(SQLSMALLINT sqltype, SQLULEN *size, SQLSMALLINT *digits,
		   SQLLEN *display, SQLLEN *octets, const char **name);

/* A declared column type mapped to ODBC. */
typedef struct dq_decl {
	SQLSMALLINT sql_type; /* concise SQL type */
	SQLULEN size;         /* COLUMN_SIZE */
	SQLSMALLINT digits;   /* DECIMAL_DIGITS (meaningful for numeric and
	                         timestamp types) */
	SQLLEN display;       /* SQL_DESC_DISPLAY_SIZE */
	SQLLEN octets;        /* BUFFER_LENGTH / CHAR_OCTET_LENGTH */
	char name[48];        /* upper-case base name, "" when none declared */
} dq_decl;

/* Maps the declared type `decl` (NULL or "" when the column has none) into
 * *out. Never fails: an unknown name falls back to SQLite's affinity rules.
 * out->name is the declared base name in upper case with any "(n[,m])"
 * dropped and blanks collapsed ("" for no declared type). */
void dq_decltype(const char *decl, dq_decl *out);

/* Column metadata of a result set (feeds the IRD). */
typedef struct dq_colmeta {
	char *name;           /* malloc'd */
	SQLSMALLINT sql_type; /* concise SQL type (SQL_BIGINT, SQL_DOUBLE, ...) */
	SQLULEN column_size;
	SQLSMALLINT decimal_digits;
	SQLLEN display, octets; /* of the declared type (declared_known): as
	                           dq_decl has them, as SQLColumns reports */
	SQLSMALLINT nullable; /* SQL_NULLABLE_UNKNOWN unless known */
	char *table_name;     /* malloc'd or NULL (plain-table queries) */
	char *base_column_name;
	char *type_name;      /* malloc'd declared type name, or NULL: the
	                         type table's name for sql_type */
	int declared_known;   /* type came from the schema, not a cell */
	int auto_unique;      /* INTEGER PRIMARY KEY (rowid alias) */
} dq_colmeta;

/* Frees n column descriptions (calloc'd, strings malloc'd or NULL) and the
 * array; NULL is a no-op. */
void dq_colmeta_free(dq_colmeta *cols, unsigned n);
/* Copies what src says of its column's type (SQL type, size, digits,
 * display and octet lengths, nullability, key and declared flags) into
 * dst; names and strings stay dst's. */
void dq_colmeta_copy_type(dq_colmeta *dst, const dq_colmeta *src);
/* Column metadata for a memory result: n (name, SQL type) pairs; NULL on
 * ENOMEM. */
dq_colmeta *dq_colmeta_make(const char *const *names, const SQLSMALLINT *sqltypes,
			    unsigned n);

#endif /* DQ_TYPES_H */
