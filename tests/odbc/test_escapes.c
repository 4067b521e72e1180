/*
 * ODBC escape clauses through the driver manager against a real node: the
 * translated SQL runs on Debian's SQLite and gives the ODBC answers.
 */
#include "odbc_util.h"

static odbc_fixture fx;
static SQLHDBC dbc;
static SQLHSTMT st;

static void setup(void)
{
	odbc_fixture_up(&fx, "escapes");
	dbc = fx.dbc;
	st = fx.st;
}

static void teardown(void)
{
	odbc_fixture_down(&fx);
}

TestSuite(escapes, .init = setup, .fini = teardown, .timeout = 120);

/* The text of the first column of the first row of sql. */
static const char *one(const char *sql)
{
	static char buf[256];
	SQLLEN ind;
	OKS(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS), st);
	OKS(SQLFetch(st), st);
	OKS(SQLGetData(st, 1, SQL_C_CHAR, buf, sizeof buf, &ind), st);
	if (ind == SQL_NULL_DATA)
		strcpy(buf, "NULL");
	OKS(SQLCloseCursor(st), st);
	return buf;
}

Test(escapes, scalar_functions_give_odbc_answers)
{
	static const struct { const char *sql, *want; } cases[] = {
		{"SELECT {fn UCASE('abc')}", "ABC"},
		{"SELECT {fn LENGTH('ab  ')}", "2"},
		{"SELECT {fn LOCATE('c', 'abcabc', 4)}", "6"},
		{"SELECT {fn LEFT('abcdef', 2)} || {fn RIGHT('abcdef', 2)}", "abef"},
		{"SELECT {fn INSERT('abcdef', 2, 3, 'XY')}", "aXYef"},
		{"SELECT {fn REPEAT('ab', 3)}", "ababab"},
		{"SELECT '[' || {fn SPACE(3)} || ']'", "[   ]"},
		{"SELECT {fn MOD(17, 5)}", "2"},
		{"SELECT {fn TRUNCATE(3.14159, 2)}", "3.14"},
		{"SELECT {fn ROUND({fn PI()}, 3)}", "3.142"},
		{"SELECT round({fn LOG10(1000)}, 9) = 3", "1"},
		{"SELECT {fn DAYOFWEEK({d '2024-01-07'})}", "1"},
		{"SELECT {fn DAYNAME({d '2024-01-07'})}", "Sunday"},
		{"SELECT {fn MONTHNAME({ts '2024-03-07 10:00:00'})}", "March"},
		{"SELECT {fn QUARTER({d '2024-08-01'})}", "3"},
		{"SELECT {fn TIMESTAMPADD(SQL_TSI_DAY, 1, {ts '2024-02-28 10:00:00'})}",
		 "2024-02-29 10:00:00"},
		{"SELECT {fn TIMESTAMPADD(SQL_TSI_MONTH, 2, {d '2024-01-15'})}", "2024-03-15 00:00:00"},
		{"SELECT {fn TIMESTAMPDIFF(SQL_TSI_HOUR, {ts '2024-01-01 00:00:00'},"
		 " {ts '2024-01-02 06:30:00'})}", "30"},
		{"SELECT {fn TIMESTAMPDIFF(SQL_TSI_MONTH, {d '2023-11-30'}, {d '2024-02-01'})}", "3"},
		{"SELECT {fn CONVERT('42', SQL_INTEGER)} + 1", "43"},
		{"SELECT {fn IFNULL(NULL, 'dflt')}", "dflt"},
		{"SELECT length({fn CURDATE()})", "10"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		cr_expect_str_eq(one(cases[i].sql), cases[i].want, "%s", cases[i].sql);
}

Test(escapes, literals_outer_joins_and_like_escape)
{
	exec_ok(dbc, "CREATE TABLE a (x INTEGER, d DATE)");
	exec_ok(dbc, "CREATE TABLE b (x INTEGER, s TEXT)");
	exec_ok(dbc, "INSERT INTO a VALUES (1, '2024-01-02'), (2, '2024-05-06')");
	exec_ok(dbc, "INSERT INTO b VALUES (1, '50% off'), (1, '50 off')");
	cr_assert_str_eq(one("SELECT count(*) FROM a WHERE d > {d '2024-03-01'}"), "1");
	cr_assert_str_eq(one("SELECT count(*) FROM {oj a LEFT OUTER JOIN b ON a.x = b.x}"), "3");
	cr_assert_str_eq(one("SELECT count(*) FROM b WHERE s LIKE '50!%%' {escape '!'}"), "1");
	/* with parameters too */
	SQLINTEGER x = 2;
	SQLLEN ind = 0;
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &x, 0, &ind),
	    st);
	cr_assert_str_eq(one("SELECT {fn MONTH(d)} FROM a WHERE x = ?"), "5");
	OKS(SQLFreeStmt(st, SQL_RESET_PARAMS), st);
}

Test(escapes, native_sql_shows_the_translation)
{
	SQLCHAR out[256];
	SQLINTEGER len = 0;
	OKC(SQLNativeSql(dbc, (SQLCHAR *)"SELECT {fn UCASE(x)} FROM t WHERE d = {d '2024-01-02'}",
			 SQL_NTS, out, sizeof out, &len), dbc);
	cr_assert_str_eq((char *)out, "SELECT upper(x) FROM t WHERE d = '2024-01-02'");
	cr_assert_eq(len, (SQLINTEGER)strlen((char *)out));
}

Test(escapes, refusals_and_noscan)
{
	cr_assert_eq(SQLExecDirect(st, (SQLCHAR *)"{call p(1)}", SQL_NTS), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HYC00");
	cr_assert(strstr(diag(SQL_HANDLE_STMT, st), "stored procedures"), "%s",
		  diag(SQL_HANDLE_STMT, st));
	cr_assert_eq(SQLExecDirect(st, (SQLCHAR *)"SELECT {fn UCASE('a')", SQL_NTS), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "42000");
	cr_assert(strstr(diag(SQL_HANDLE_STMT, st), "unterminated"));
	/* SQL_ATTR_NOSCAN: the text goes to the server as written */
	OKS(SQLSetStmtAttr(st, SQL_ATTR_NOSCAN, (SQLPOINTER)SQL_NOSCAN_ON, 0), st);
	cr_assert_eq(SQLExecDirect(st, (SQLCHAR *)"SELECT {fn UCASE('a')}", SQL_NTS), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "42000");
	cr_assert(strstr(diag(SQL_HANDLE_STMT, st), "unrecognized token"), "%s",
		  diag(SQL_HANDLE_STMT, st));
}
