/*
 * decltype.c -- a column's declared type (the text of CREATE TABLE) mapped
 * to an ODBC SQL type, size and digits.
 *
 * SQLite keeps whatever type name the schema says and stores values by
 * affinity. The driver reports what the name means to a reader of the
 * schema: exact, well-known names first (the table below), then SQLite's
 * own affinity rules (https://sqlite.org/datatype3.html, 3.1) for anything
 * else. Two choices are deliberate (docs/types.md explains them):
 *   - INTEGER is SQLite's 64-bit integer (and the rowid alias), so it is
 *     SQL_BIGINT; INT / INT4 / MEDIUMINT stay SQL_INTEGER for schemas
 *     written for other databases.
 *   - REAL is an 8-byte IEEE double in SQLite, so it is SQL_DOUBLE.
 * Names with NUMERIC affinity that are not numeric types (JSON, UUID,
 * STRING, ...) are reported as SQL_VARCHAR: SQLite keeps their text as
 * text unless it looks like a number, and a reader expects a string.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * Maps the declared type `decl` (NULL or "" when the column has none) into
 * *out. Never fails: an unknown name falls back to SQLite's affinity rules.
 * out->name is the declared base name in upper case with any "(n[,m])"
 * dropped and blanks collapsed ("" for no declared type).
 */
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
