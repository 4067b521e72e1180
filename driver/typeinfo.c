/*
 * typeinfo.c -- the SQL type table: SQLGetTypeInfo and the per-type
 * properties (column size, digits, display size, octet length, name) used
 * by result metadata and the catalog.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

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

/* UNSIGNED_ATTRIBUTE and AUTO_UNIQUE_VALUE are NULL (-1) for types that
 * are not numeric, as the reference asks.
 * Sorted by DATA_TYPE, as SQLGetTypeInfo must return them; within one
 * DATA_TYPE the closest name comes first (dq_type_props uses that row).
 * Every DATA_TYPE that SQLColumns / result metadata report (decltype.c) has
 * a row here, and the aliases SQLite schemas use most (INTEGER, REAL,
 * DATETIME, CLOB) are listed under the type decltype.c maps them to. */
static const dq_type types[] = {
	{"NTEXT", SQL_WLONGVARCHAR, 1073741823, "'", "'", NULL, 1, SQL_SEARCHABLE, -1, -1, -1, -1, 0, 0, 1073741823, 2147483646},
	{"NVARCHAR", SQL_WVARCHAR, 65535, "'", "'", "max length", 1, SQL_SEARCHABLE, -1, -1, -1, -1, 0, 0, 65535, 131070},
	{"NCHAR", SQL_WCHAR, 255, "'", "'", "length", 1, SQL_SEARCHABLE, -1, -1, -1, -1, 0, 0, 255, 510},
	{"BOOLEAN", SQL_BIT, 1, NULL, NULL, NULL, 0, SQL_PRED_BASIC, -1, -1, 0, 0, 0, 0, 1, 1},
	{"TINYINT", SQL_TINYINT, 3, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0, 0, 0, 10, 0, 4, 1},
	{"BIGINT", SQL_BIGINT, 19, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0, 0, 0, 10, 0, 20, 8},
	{"INTEGER", SQL_BIGINT, 19, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0, 0, 0, 10, 0, 20, 8},
	{"BLOB", SQL_LONGVARBINARY, 2147483647, "X'", "'", NULL, 0, SQL_PRED_NONE, -1, -1, -1, -1, 0, 0, 2147483647, 2147483647},
	{"VARBINARY", SQL_VARBINARY, 65535, "X'", "'", "max length", 0, SQL_PRED_NONE, -1, -1, -1, -1, 0, 0, 131070, 65535},
	{"BINARY", SQL_BINARY, 65535, "X'", "'", "length", 0, SQL_PRED_NONE, -1, -1, -1, -1, 0, 0, 131070, 65535},
	{"TEXT", SQL_LONGVARCHAR, 2147483647, "'", "'", NULL, 1, SQL_SEARCHABLE, -1, -1, -1, -1, 0, 0, 2147483647, 2147483647},
	{"CLOB", SQL_LONGVARCHAR, 2147483647, "'", "'", NULL, 1, SQL_SEARCHABLE, -1, -1, -1, -1, 0, 0, 2147483647, 2147483647},
	{"CHAR", SQL_CHAR, 255, "'", "'", "length", 1, SQL_SEARCHABLE, -1, -1, -1, -1, 0, 0, 255, 255},
	{"NUMERIC", SQL_NUMERIC, 15, NULL, NULL, "precision,scale", 0, SQL_PRED_BASIC, 0, 0, 0, 15, 10, 0, 17, 17},
	{"DECIMAL", SQL_DECIMAL, 15, NULL, NULL, "precision,scale", 0, SQL_PRED_BASIC, 0, 0, 0, 15, 10, 0, 17, 17},
	{"INT", SQL_INTEGER, 10, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0, 0, 0, 10, 0, 11, 4},
	{"SMALLINT", SQL_SMALLINT, 5, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0, 0, 0, 10, 0, 6, 2},
	{"FLOAT", SQL_FLOAT, 15, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0, -1, -1, 2, 0, 24, 8},
	{"DOUBLE", SQL_DOUBLE, 15, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0, -1, -1, 2, 0, 24, 8},
	{"REAL", SQL_DOUBLE, 15, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0, -1, -1, 2, 0, 24, 8},
	{"VARCHAR", SQL_VARCHAR, 65535, "'", "'", "max length", 1, SQL_SEARCHABLE, -1, -1, -1, -1, 0, 0, 65535, 65535},
	{"DATE", SQL_TYPE_DATE, 10, "'", "'", NULL, 0, SQL_PRED_BASIC, -1, -1, -1, -1, 0, 0, 10, 6},
	{"TIME", SQL_TYPE_TIME, 8, "'", "'", NULL, 0, SQL_PRED_BASIC, -1, -1, 0, 0, 0, 0, 8, 6},
	{"TIMESTAMP", SQL_TYPE_TIMESTAMP, 26, "'", "'", NULL, 0, SQL_PRED_BASIC, -1, -1, 0, 6, 0, 6, 26, 16},
	{"DATETIME", SQL_TYPE_TIMESTAMP, 26, "'", "'", NULL, 0, SQL_PRED_BASIC, -1, -1, 0, 6, 0, 6, 26, 16},
};
#define N_TYPES (sizeof types / sizeof types[0])

static const dq_type *find(SQLSMALLINT t)
{
	for (size_t i = 0; i < N_TYPES; i++)
		if (types[i].type == t)
			return &types[i];
	return NULL;
}

void dq_type_props(SQLSMALLINT sqltype, SQLULEN *size, SQLSMALLINT *digits,
		   SQLLEN *display, SQLLEN *octets, const char **name)
{
	const dq_type *t = find(sqltype);
	if (t == NULL)
		t = find(SQL_VARCHAR);
	if (size) *size = t->size;
	if (digits) *digits = t->digits;
	if (display) *display = t->display;
	if (octets) *octets = t->octets;
	if (name) *name = t->name;
}

static void text_cell(dqc_value *v, const char *s)
{
	if (s == NULL) {
		v->type = DQC_NULL;
		return;
	}
	v->type = DQC_TEXT;
	v->v.text.ptr = s;
	v->v.text.len = strlen(s);
}

static void int_cell(dqc_value *v, long long n, int null_if_neg)
{
	if (null_if_neg && n < 0) {
		v->type = DQC_NULL;
		return;
	}
	v->type = DQC_INTEGER;
	v->v.integer = n;
}

/* The 19 columns SQLGetTypeInfo returns, in the order the reference gives. */
static const struct { const char *name; SQLSMALLINT type; } ti_cols[] = {
	{"TYPE_NAME", SQL_VARCHAR}, {"DATA_TYPE", SQL_SMALLINT},
	{"COLUMN_SIZE", SQL_INTEGER}, {"LITERAL_PREFIX", SQL_VARCHAR},
	{"LITERAL_SUFFIX", SQL_VARCHAR}, {"CREATE_PARAMS", SQL_VARCHAR},
	{"NULLABLE", SQL_SMALLINT}, {"CASE_SENSITIVE", SQL_SMALLINT},
	{"SEARCHABLE", SQL_SMALLINT}, {"UNSIGNED_ATTRIBUTE", SQL_SMALLINT},
	{"FIXED_PREC_SCALE", SQL_SMALLINT}, {"AUTO_UNIQUE_VALUE", SQL_SMALLINT},
	{"LOCAL_TYPE_NAME", SQL_VARCHAR}, {"MINIMUM_SCALE", SQL_SMALLINT},
	{"MAXIMUM_SCALE", SQL_SMALLINT}, {"SQL_DATA_TYPE", SQL_SMALLINT},
	{"SQL_DATETIME_SUB", SQL_SMALLINT}, {"NUM_PREC_RADIX", SQL_INTEGER},
	{"INTERVAL_PRECISION", SQL_SMALLINT},
};
#define TI_NCOLS (sizeof ti_cols / sizeof ti_cols[0])

/* Builds column metadata for a memory result from (name, type) pairs. */
dq_colmeta *dq_colmeta_make(const char *const *names, const SQLSMALLINT *sqltypes,
			    unsigned n);
dq_colmeta *dq_colmeta_make(const char *const *names, const SQLSMALLINT *sqltypes,
			    unsigned n)
{
	dq_colmeta *cols = calloc(n, sizeof *cols);
	if (cols == NULL)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		cols[i].name = strdup(names[i]);
		cols[i].sql_type = sqltypes[i];
		cols[i].nullable = SQL_NULLABLE_UNKNOWN;
		if (cols[i].name == NULL) {
			dq_colmeta_free(cols, i);
			return NULL;
		}
	}
	return cols;
}

SQLRETURN dq_get_type_info(dq_stmt *s, SQLSMALLINT want)
{
	const char *names[TI_NCOLS];
	SQLSMALLINT sqltypes[TI_NCOLS];
	dq_memrows *m = dq_memrows_new(TI_NCOLS);
	dq_colmeta *cols;

	/* ODBC 2 codes are accepted whatever the application's version. */
	want = want == SQL_DATE ? SQL_TYPE_DATE
	       : want == SQL_TIME ? SQL_TYPE_TIME
	       : want == SQL_TIMESTAMP ? SQL_TYPE_TIMESTAMP : want;
	for (size_t i = 0; i < TI_NCOLS; i++) {
		names[i] = ti_cols[i].name;
		sqltypes[i] = ti_cols[i].type;
	}
	cols = dq_colmeta_make(names, sqltypes, TI_NCOLS);
	if (m == NULL || cols == NULL) {
		dq_memrows_free(m);
		dq_colmeta_free(cols, TI_NCOLS);
		return dq_error(&s->h, "HY001", "memory allocation failure");
	}
	for (size_t i = 0; i < N_TYPES; i++) {
		const dq_type *t = &types[i];
		dqc_value v[TI_NCOLS];
		int datetime = t->type == SQL_TYPE_DATE || t->type == SQL_TYPE_TIME ||
			       t->type == SQL_TYPE_TIMESTAMP;
		if (want != SQL_ALL_TYPES && want != t->type)
			continue;
		text_cell(&v[0], t->name);
		int_cell(&v[1], dq_app_sql_type(s, t->type), 0);
		int_cell(&v[2], (long long)t->size, 0);
		text_cell(&v[3], t->prefix);
		text_cell(&v[4], t->suffix);
		text_cell(&v[5], t->params);
		int_cell(&v[6], SQL_NULLABLE, 0);
		int_cell(&v[7], t->case_sensitive, 0);
		int_cell(&v[8], t->searchable, 0);
		int_cell(&v[9], t->unsigned_attr, 1);
		int_cell(&v[10], 0, 0);
		int_cell(&v[11], t->auto_unique, 1);
		text_cell(&v[12], t->name);
		int_cell(&v[13], t->min_scale, 1);
		int_cell(&v[14], t->max_scale, 1);
		int_cell(&v[15], datetime ? SQL_DATETIME : t->type, 0);
		int_cell(&v[16], t->type == SQL_TYPE_DATE	  ? SQL_CODE_DATE
				 : t->type == SQL_TYPE_TIME	  ? SQL_CODE_TIME
				 : t->type == SQL_TYPE_TIMESTAMP ? SQL_CODE_TIMESTAMP
								 : -1,
			 1);
		int_cell(&v[17], t->radix ? t->radix : -1, 1);
		int_cell(&v[18], -1, 1);
		if (dq_memrows_add(m, v) != 0) {
			dq_memrows_free(m);
			dq_colmeta_free(cols, TI_NCOLS);
			return dq_error(&s->h, "HY001", "memory allocation failure");
		}
	}
	return dq_stmt_set_memresult(s, cols, TI_NCOLS, m);
}
