/*
 * Declared column types -> ODBC types (driver/decltype.c): the well-known
 * names, their parameters, SQLite's affinity rules for everything else.
 */
#include <criterion/criterion.h>

#include "internal.h"

static dq_decl map(const char *decl)
{
	dq_decl d;
	dq_decltype(decl, &d);
	return d;
}

Test(decltype, well_known_names)
{
	static const struct { const char *decl; SQLSMALLINT type; const char *name; } cases[] = {
		{"INTEGER", SQL_BIGINT, "INTEGER"}, {"int", SQL_INTEGER, "INT"},
		{"BigInt", SQL_BIGINT, "BIGINT"}, {"UNSIGNED  BIG\tINT", SQL_BIGINT, "UNSIGNED BIG INT"},
		{"TINYINT", SQL_TINYINT, "TINYINT"}, {"smallint", SQL_SMALLINT, "SMALLINT"},
		{"REAL", SQL_DOUBLE, "REAL"}, {"DOUBLE PRECISION", SQL_DOUBLE, "DOUBLE PRECISION"},
		{"FLOAT", SQL_FLOAT, "FLOAT"}, {"BOOLEAN", SQL_BIT, "BOOLEAN"},
		{"TEXT", SQL_LONGVARCHAR, "TEXT"}, {"CLOB", SQL_LONGVARCHAR, "CLOB"},
		{"BLOB", SQL_LONGVARBINARY, "BLOB"}, {"DATE", SQL_TYPE_DATE, "DATE"},
		{"TIME", SQL_TYPE_TIME, "TIME"}, {"DATETIME", SQL_TYPE_TIMESTAMP, "DATETIME"},
		{"TIMESTAMP", SQL_TYPE_TIMESTAMP, "TIMESTAMP"},
		{"NVARCHAR(10)", SQL_WVARCHAR, "NVARCHAR"}, {"NCHAR(2)", SQL_WCHAR, "NCHAR"},
		{"CHARACTER VARYING(7)", SQL_VARCHAR, "CHARACTER VARYING"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		dq_decl d = map(cases[i].decl);
		cr_expect_eq(d.sql_type, cases[i].type, "%s", cases[i].decl);
		cr_expect_str_eq(d.name, cases[i].name, "%s", cases[i].decl);
	}
}

Test(decltype, parameters_give_size_and_digits)
{
	dq_decl d = map("VARCHAR(40)");
	cr_assert_eq(d.size, 40);
	cr_assert_eq(d.octets, 40);
	d = map("NVARCHAR( 10 )");
	cr_assert_eq(d.size, 10);
	cr_assert_eq(d.octets, 20, "UTF-16 octets");
	d = map("decimal(10, 2)");
	cr_assert_eq(d.sql_type, SQL_DECIMAL);
	cr_assert_eq(d.size, 10);
	cr_assert_eq(d.digits, 2);
	d = map("NUMERIC(5,9)");
	cr_assert_eq(d.digits, 0, "a scale above the precision is ignored");
	d = map("VARCHAR");
	cr_assert_eq(d.size, 65535, "no length: the type's maximum");
	d = map("VARCHAR(-3)");
	cr_assert_eq(d.size, 65535);
	d = map("VARCHAR(99999999999999999999)");
	cr_assert_eq(d.size, 65535, "an absurd length is ignored");
}

Test(decltype, other_names_follow_sqlite_affinity)
{
	cr_expect_eq(map("MEDIUMINT UNSIGNED").sql_type, SQL_BIGINT, "contains INT");
	cr_expect_eq(map("POINT").sql_type, SQL_BIGINT, "SQLite's own quirk: contains INT");
	cr_expect_eq(map("VARCHAR2(5)").sql_type, SQL_VARCHAR);
	cr_expect_eq(map("LONGBLOB").sql_type, SQL_LONGVARBINARY);
	cr_expect_eq(map("FLOAT4").sql_type, SQL_DOUBLE);
	cr_expect_eq(map("TIMESTAMP WITH TIME ZONE").sql_type, SQL_TYPE_TIMESTAMP);
	cr_expect_eq(map("JSON").sql_type, SQL_VARCHAR, "NUMERIC affinity, read as text");
	dq_decl d = map("");
	cr_expect_eq(d.sql_type, SQL_VARCHAR);
	cr_expect_str_eq(d.name, "");
	d = map(NULL);
	cr_expect_eq(d.sql_type, SQL_VARCHAR);
}

Test(decltype, long_names_are_truncated_safely)
{
	char big[300];
	memset(big, 'X', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	dq_decl d = map(big);
	cr_assert_eq(strlen(d.name), sizeof d.name - 1);
	cr_assert_eq(d.sql_type, SQL_VARCHAR);
}
