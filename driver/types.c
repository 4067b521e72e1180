/*
 * types.c -- the SQL types the driver reports (types.h): the type table
 * (sizes, names, literal forms; SQLGetTypeInfo lists it), declared column
 * types (the text of CREATE TABLE) mapped to ODBC types, and the column
 * metadata that result sets and the catalog share.
 *
 * Declared types: SQLite keeps whatever type name the schema says and
 * stores values by affinity. The driver reports what the name means to a
 * reader of the schema: exact, well-known names first (the table below),
 * then SQLite's own affinity rules (https://sqlite.org/datatype3.html, 3.1)
 * for anything else. Two choices are deliberate (docs/types.md explains):
 *   - INTEGER is SQLite's 64-bit integer (and the rowid alias), so it is
 *     SQL_BIGINT; INT / INT4 / MEDIUMINT stay SQL_INTEGER for schemas
 *     written for other databases.
 *   - REAL is an 8-byte IEEE double in SQLite, so it is SQL_DOUBLE.
 * Names with NUMERIC affinity that are not numeric types (JSON, UUID,
 * STRING, ...) are reported as SQL_VARCHAR: SQLite keeps their text as
 * text unless it looks like a number, and a reader expects a string.
 */
#include "types.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------------- the type table */

/* UNSIGNED_ATTRIBUTE and AUTO_UNIQUE_VALUE are NULL (-1) for types that
 * are not numeric, as the reference asks. NUM_PREC_RADIX says what
 * COLUMN_SIZE counts: the approximate types count 15 decimal digits (what
 * a double keeps exactly), so their radix is 10, not 2 (which would make
 * 15 a number of bits).
 * Sorted by DATA_TYPE, as SQLGetTypeInfo must return them; within one
 * DATA_TYPE the closest name comes first (dq_type_props uses that row).
 * Every DATA_TYPE that SQLColumns / result metadata report (dq_decltype) has
 * a row here, and the aliases SQLite schemas use most (INTEGER, REAL,
 * DATETIME, CLOB) are listed under the type dq_decltype maps them to. */
static const dq_type table[] = {
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
	{"FLOAT", SQL_FLOAT, 15, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0, -1, -1, 10, 0, 24, 8},
	{"DOUBLE", SQL_DOUBLE, 15, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0, -1, -1, 10, 0, 24, 8},
	{"REAL", SQL_DOUBLE, 15, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0, -1, -1, 10, 0, 24, 8},
	{"VARCHAR", SQL_VARCHAR, 65535, "'", "'", "max length", 1, SQL_SEARCHABLE, -1, -1, -1, -1, 0, 0, 65535, 65535},
	{"DATE", SQL_TYPE_DATE, 10, "'", "'", NULL, 0, SQL_PRED_BASIC, -1, -1, -1, -1, 0, 0, 10, 6},
	{"TIME", SQL_TYPE_TIME, 8, "'", "'", NULL, 0, SQL_PRED_BASIC, -1, -1, 0, 0, 0, 0, 8, 6},
	{"TIMESTAMP", SQL_TYPE_TIMESTAMP, 26, "'", "'", NULL, 0, SQL_PRED_BASIC, -1, -1, 0, 6, 0, 6, 26, 16},
	{"DATETIME", SQL_TYPE_TIMESTAMP, 26, "'", "'", NULL, 0, SQL_PRED_BASIC, -1, -1, 0, 6, 0, 6, 26, 16},
};
#define N_TYPES (sizeof table / sizeof table[0])

static const dq_type *find(SQLSMALLINT t)
{
	for (size_t i = 0; i < N_TYPES; i++)
		if (table[i].type == t)
			return &table[i];
	return NULL;
}

const dq_type *dq_type_of(SQLSMALLINT sqltype)
{
	const dq_type *t = find(sqltype);
	return t ? t : find(SQL_VARCHAR);
}

void dq_type_props(SQLSMALLINT sqltype, SQLULEN *size, SQLSMALLINT *digits,
		   SQLLEN *display, SQLLEN *octets, const char **name)
{
	const dq_type *t = dq_type_of(sqltype);
	if (size) *size = t->size;
	if (digits) *digits = t->digits;
	if (display) *display = t->display;
	if (octets) *octets = t->octets;
	if (name) *name = t->name;
}

size_t dq_type_count(void)
{
	return N_TYPES;
}

const dq_type *dq_type_at(size_t i)
{
	return i < N_TYPES ? &table[i] : NULL;
}

/* ------------------------------------------------------ declared types */

static const struct {
	const char *name;
	SQLSMALLINT type;
} exact[] = {
	{"BOOLEAN", SQL_BIT}, {"BOOL", SQL_BIT}, {"BIT", SQL_BIT},
	{"TINYINT", SQL_TINYINT}, {"INT1", SQL_TINYINT},
	{"SMALLINT", SQL_SMALLINT}, {"INT2", SQL_SMALLINT},
	{"INT", SQL_INTEGER}, {"INT4", SQL_INTEGER}, {"MEDIUMINT", SQL_INTEGER},
	{"INTEGER", SQL_BIGINT}, {"BIGINT", SQL_BIGINT}, {"INT8", SQL_BIGINT},
	{"UNSIGNED BIG INT", SQL_BIGINT},
	{"REAL", SQL_DOUBLE}, {"DOUBLE", SQL_DOUBLE},
	{"DOUBLE PRECISION", SQL_DOUBLE}, {"FLOAT8", SQL_DOUBLE},
	{"FLOAT", SQL_FLOAT},
	{"NUMERIC", SQL_NUMERIC}, {"DECIMAL", SQL_DECIMAL},
	{"CHAR", SQL_CHAR}, {"CHARACTER", SQL_CHAR},
	{"NCHAR", SQL_WCHAR}, {"NATIVE CHARACTER", SQL_WCHAR},
	{"VARCHAR", SQL_VARCHAR}, {"VARYING CHARACTER", SQL_VARCHAR},
	{"CHARACTER VARYING", SQL_VARCHAR},
	{"NVARCHAR", SQL_WVARCHAR}, {"NVARCHAR2", SQL_WVARCHAR},
	{"TEXT", SQL_LONGVARCHAR}, {"CLOB", SQL_LONGVARCHAR},
	{"LONGVARCHAR", SQL_LONGVARCHAR}, {"LONG VARCHAR", SQL_LONGVARCHAR},
	{"MEDIUMTEXT", SQL_LONGVARCHAR}, {"LONGTEXT", SQL_LONGVARCHAR},
	{"NTEXT", SQL_WLONGVARCHAR},
	{"BLOB", SQL_LONGVARBINARY}, {"LONGVARBINARY", SQL_LONGVARBINARY},
	{"MEDIUMBLOB", SQL_LONGVARBINARY}, {"LONGBLOB", SQL_LONGVARBINARY},
	{"BINARY", SQL_BINARY}, {"VARBINARY", SQL_VARBINARY},
	{"DATE", SQL_TYPE_DATE}, {"TIME", SQL_TYPE_TIME},
	{"DATETIME", SQL_TYPE_TIMESTAMP}, {"TIMESTAMP", SQL_TYPE_TIMESTAMP},
};

/* SQLite's affinity rules, in its order, for names not in the table. */
static SQLSMALLINT by_affinity(const char *up)
{
	if (strstr(up, "INT"))
		return SQL_BIGINT;
	if (strncmp(up, "TIMESTAMP", 9) == 0 || strncmp(up, "DATETIME", 8) == 0)
		return SQL_TYPE_TIMESTAMP;
	if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT"))
		return SQL_VARCHAR;
	if (strstr(up, "BLOB"))
		return SQL_LONGVARBINARY;
	if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB"))
		return SQL_DOUBLE;
	return SQL_VARCHAR;
}

/* Reads "(a)" or "(a, b)" after the name; each missing number stays -1. */
static void read_params(const char *p, long *a, long *b)
{
	char *end;
	*a = *b = -1;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p != '(')
		return;
	*a = strtol(p + 1, &end, 10);
	if (end == p + 1 || *a < 0) {
		*a = -1;
		return;
	}
	while (*end == ' ')
		end++;
	if (*end == ',') {
		p = end + 1;
		*b = strtol(p, &end, 10);
		if (end == p || *b < 0)
			*b = -1;
	}
}

static int is_char_type(SQLSMALLINT t)
{
	return t == SQL_CHAR || t == SQL_VARCHAR || t == SQL_WCHAR ||
	       t == SQL_WVARCHAR || t == SQL_BINARY || t == SQL_VARBINARY;
}

void dq_decltype(const char *decl, dq_decl *out)
{
	size_t n = 0;
	const char *p = decl ? decl : "";
	long a, b;

	memset(out, 0, sizeof *out);
	while (isspace((unsigned char)*p))
		p++;
	for (; *p && *p != '('; p++) {
		unsigned char c = (unsigned char)*p;
		if (isspace(c)) {
			if (n > 0 && out->name[n - 1] != ' ' && n + 1 < sizeof out->name)
				out->name[n++] = ' ';
			continue;
		}
		if (n + 1 < sizeof out->name)
			out->name[n++] = (char)toupper(c);
	}
	while (n > 0 && out->name[n - 1] == ' ')
		n--;
	out->name[n] = '\0';

	out->sql_type = SQL_VARCHAR;
	if (n > 0) {
		size_t i;
		for (i = 0; i < sizeof exact / sizeof exact[0]; i++)
			if (strcmp(out->name, exact[i].name) == 0)
				break;
		out->sql_type = i < sizeof exact / sizeof exact[0]
					? exact[i].type
					: by_affinity(out->name);
	}
	dq_type_props(out->sql_type, &out->size, &out->digits, &out->display,
		      &out->octets, NULL);

	read_params(p, &a, &b);
	if (is_char_type(out->sql_type) && a > 0 && a <= 0x7fffffff) {
		int wide = out->sql_type == SQL_WCHAR || out->sql_type == SQL_WVARCHAR;
		out->size = (SQLULEN)a;
		out->display = (SQLLEN)a * (out->sql_type == SQL_BINARY ||
					    out->sql_type == SQL_VARBINARY ? 2 : 1);
		out->octets = (SQLLEN)a * (wide ? 2 : 1);
	} else if ((out->sql_type == SQL_NUMERIC || out->sql_type == SQL_DECIMAL) &&
		   a > 0 && a <= 38) {
		out->size = (SQLULEN)a;
		out->digits = (SQLSMALLINT)(b >= 0 && b <= a ? b : 0);
		out->display = a + 2;
		out->octets = a + 2;
	}
}

/* ------------------------------------------------------ column metadata */

void dq_colmeta_copy_type(dq_colmeta *dst, const dq_colmeta *src)
{
	dst->sql_type = src->sql_type;
	dst->column_size = src->column_size;
	dst->decimal_digits = src->decimal_digits;
	dst->display = src->display;
	dst->octets = src->octets;
	dst->nullable = src->nullable;
	dst->declared_known = src->declared_known;
	dst->auto_unique = src->auto_unique;
}

void dq_colmeta_free(dq_colmeta *cols, unsigned n)
{
	if (cols == NULL)
		return;
	for (unsigned i = 0; i < n; i++) {
		free(cols[i].name);
		free(cols[i].table_name);
		free(cols[i].base_column_name);
		free(cols[i].type_name);
	}
	free(cols);
}

dq_colmeta *dq_colmeta_make(const char *const *names, const SQLSMALLINT *sqltypes,
			    unsigned n)
{
	dq_colmeta *cols = calloc(n ? n : 1, sizeof *cols);
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
