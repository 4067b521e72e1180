/*
 * ODBC 3.x conformance of conversions, return codes and metadata through
 * unixODBC's driver manager against a real node (issue 11):
 *   - numbers into too-short character buffers: 22003 when the whole part
 *     does not fit, 01004 when only fractional digits are cut; into binary
 *     buffers shorter than their image: 22003;
 *   - a searched UPDATE / DELETE (or INSERT ... SELECT) that touches no
 *     row returns SQL_NO_DATA to ODBC 3 applications, SQL_SUCCESS to ODBC 2;
 *   - fetch diagnostics inside a rowset carry the row's number in the
 *     rowset and the column's number; the row status array agrees;
 *   - server errors map to their SQLSTATE whatever the message's length;
 *   - SQL_ATTR_SIMULATE_CURSOR reads SQL_SC_UNIQUE; other values: 01S02;
 *   - SQLColAttribute agrees with SQLColumns and SQLGetTypeInfo for every
 *     declared type family; approximate types count decimal digits (radix
 *     10).
 */
#include <stdlib.h>

#include "odbc_util.h"
#include <sqlucode.h>

#define S(x) (SQLCHAR *)(x), SQL_NTS

static odbc_fixture fx;
static SQLHDBC dbc;
static SQLHSTMT st;

static void setup(void)
{
	odbc_fixture_up(&fx, "conformance");
	dbc = fx.dbc;
	st = fx.st;
}

static void teardown(void)
{
	odbc_fixture_down(&fx);
	cr_assert_eq(dqt_leak_check(), 0, "memory leaked");
}

TestSuite(conv, .init = setup, .fini = teardown, .timeout = 60);

/* SQLSTATE of diagnostic record rec of the statement. */
static const char *state_of(SQLHSTMT h, SQLSMALLINT rec)
{
	static char st5[6];
	SQLINTEGER native;
	SQLSMALLINT len;
	SQLCHAR msg[8];
	st5[0] = '\0';
	SQLGetDiagRec(SQL_HANDLE_STMT, h, rec, (SQLCHAR *)st5, &native, msg, sizeof msg, &len);
	return st5;
}

/* ------------------------------------------------ numbers into characters */

/* Runs `sql` (one row, one column) and reads column 1 as SQL_C_CHAR into a
 * buffer of buflen bytes; returns the SQLGetData code. */
static SQLRETURN get_char(const char *sql, char *buf, SQLLEN buflen, SQLLEN *ind)
{
	SQLRETURN rc;
	SQLFreeStmt(st, SQL_CLOSE);
	OKS(SQLExecDirect(st, S(sql)), st);
	OKS(SQLFetch(st), st);
	memset(buf, '#', (size_t)buflen);
	rc = SQLGetData(st, 1, SQL_C_CHAR, buf, buflen, ind);
	return rc;
}

#define EXPECT_CHAR(sql, buflen, want_rc, want_state, want_text)                   \
	do {                                                                         \
		char b_[64];                                                         \
		SQLLEN i_ = 0;                                                       \
		SQLRETURN r_ = get_char(sql, b_, buflen, &i_);                       \
		cr_expect_eq(r_, want_rc, "%s into %d bytes: rc %d (%s)", sql,       \
			     (int)(buflen), r_, diag(SQL_HANDLE_STMT, st));          \
		if (r_ != SQL_SUCCESS)                                               \
			cr_expect_str_eq(state_of(st, 1), want_state, "%s into %d",  \
					 sql, (int)(buflen));                         \
		if (want_text)                                                       \
			cr_expect_str_eq(b_, (const char *)(want_text), "%s into %d", \
					 sql, (int)(buflen));                         \
	} while (0)

Test(conv, integer_too_long_for_the_char_buffer_is_22003_not_a_cut_number)
{
	EXPECT_CHAR("SELECT 12345", 6, SQL_SUCCESS, "", "12345");
	EXPECT_CHAR("SELECT 12345", 5, SQL_ERROR, "22003", NULL);
	EXPECT_CHAR("SELECT 12345", 2, SQL_ERROR, "22003", NULL);
	/* the sign is part of the whole number */
	EXPECT_CHAR("SELECT -42", 4, SQL_SUCCESS, "", "-42");
	EXPECT_CHAR("SELECT -42", 3, SQL_ERROR, "22003", NULL);
}

Test(conv, float_keeps_its_whole_digits_and_may_lose_fraction_digits_with_01004)
{
	char b[16];
	SQLLEN ind = 0;
	EXPECT_CHAR("SELECT 123.456", 8, SQL_SUCCESS, "", "123.456");
	EXPECT_CHAR("SELECT 123.456", 6, SQL_SUCCESS_WITH_INFO, "01004", "123.4");
	EXPECT_CHAR("SELECT 123.456", 4, SQL_SUCCESS_WITH_INFO, "01004", "123");
	EXPECT_CHAR("SELECT 123.456", 3, SQL_ERROR, "22003", NULL);
	EXPECT_CHAR("SELECT -0.25", 3, SQL_SUCCESS_WITH_INFO, "01004", "-0");
	EXPECT_CHAR("SELECT -0.25", 2, SQL_ERROR, "22003", NULL);
	/* an exponent form loses its magnitude when cut anywhere */
	EXPECT_CHAR("SELECT 1.5e300", 9, SQL_SUCCESS, "", "1.5e+300");
	EXPECT_CHAR("SELECT 1.5e300", 8, SQL_ERROR, "22003", NULL);
	/* the indicator of a fraction cut gives the whole length */
	cr_expect_eq(get_char("SELECT 123.456", b, 6, &ind), SQL_SUCCESS_WITH_INFO);
	cr_expect_eq(ind, 7);
}

Test(conv, decimal_column_value_follows_the_numeric_rule)
{
	exec_ok(dbc, "CREATE TABLE dec (d DECIMAL(10,2))");
	exec_ok(dbc, "INSERT INTO dec VALUES (98765.25)");
	EXPECT_CHAR("SELECT d FROM dec", 7, SQL_SUCCESS_WITH_INFO, "01004", "98765.");
	EXPECT_CHAR("SELECT d FROM dec", 6, SQL_SUCCESS_WITH_INFO, "01004", "98765");
	EXPECT_CHAR("SELECT d FROM dec", 5, SQL_ERROR, "22003", NULL);
}

Test(conv, character_data_is_still_cut_with_01004)
{
	EXPECT_CHAR("SELECT '12345'", 4, SQL_SUCCESS_WITH_INFO, "01004", "123");
}

Test(conv, wchar_buffer_follows_the_same_rule_in_characters)
{
	SQLWCHAR w[8];
	SQLLEN ind;
	OKS(SQLExecDirect(st, S("SELECT 12345, 123.456")), st);
	OKS(SQLFetch(st), st);
	/* 3 characters and the terminator: the 5 digits do not fit */
	cr_expect_eq(SQLGetData(st, 1, SQL_C_WCHAR, w, 4 * sizeof(SQLWCHAR), &ind), SQL_ERROR);
	cr_expect_str_eq(state_of(st, 1), "22003");
	/* 4 characters: "123." and 01004 */
	cr_expect_eq(SQLGetData(st, 2, SQL_C_WCHAR, w, 5 * sizeof(SQLWCHAR), &ind),
		     SQL_SUCCESS_WITH_INFO);
	cr_expect_str_eq(state_of(st, 1), "01004");
	cr_expect(w[0] == '1' && w[1] == '2' && w[2] == '3' && w[3] == '.' && w[4] == 0);
	cr_expect_eq(ind, 7 * (SQLLEN)sizeof(SQLWCHAR));
}

Test(conv, number_into_a_binary_buffer_shorter_than_its_image_is_22003)
{
	unsigned char b[8];
	SQLBIGINT v = 0;
	SQLLEN ind;
	OKS(SQLExecDirect(st, S("SELECT 12345")), st);
	OKS(SQLFetch(st), st);
	cr_expect_eq(SQLGetData(st, 1, SQL_C_BINARY, b, 4, &ind), SQL_ERROR);
	cr_expect_str_eq(state_of(st, 1), "22003");
	cr_expect_eq(SQLGetData(st, 1, SQL_C_BINARY, b, sizeof b, &ind), SQL_SUCCESS);
	cr_expect_eq(ind, 8);
	memcpy(&v, b, sizeof v);
	cr_expect_eq(v, 12345);
}

Test(conv, bound_integer_column_too_short_is_a_row_error_22003)
{
	char b[3];
	SQLLEN ind;
	OKS(SQLBindCol(st, 1, SQL_C_CHAR, b, sizeof b, &ind), st);
	OKS(SQLExecDirect(st, S("SELECT 1234")), st);
	cr_expect_eq(SQLFetch(st), SQL_ERROR);
	cr_expect_str_eq(state_of(st, 1), "22003");
}

/* ------------------------------------------ searched writes of no row */

static SQLRETURN exec(SQLHSTMT h, const char *sql)
{
	SQLFreeStmt(h, SQL_CLOSE);
	return SQLExecDirect(h, S(sql));
}

static SQLLEN row_count(SQLHSTMT h)
{
	SQLLEN n = -7;
	OKS(SQLRowCount(h, &n), h);
	return n;
}

static void make_t(void)
{
	exec_ok(dbc, "CREATE TABLE t (a INTEGER)");
	exec_ok(dbc, "INSERT INTO t VALUES (1), (2)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
}

Test(conv, searched_update_and_delete_of_no_row_return_no_data_and_count_0)
{
	make_t();
	cr_expect_eq(exec(st, "UPDATE t SET a = 5 WHERE a = 99"), SQL_NO_DATA);
	cr_expect_eq(row_count(st), 0);
	cr_expect_eq(exec(st, "DELETE FROM t WHERE a > 10"), SQL_NO_DATA);
	cr_expect_eq(row_count(st), 0);
	cr_expect_eq(exec(st, "INSERT INTO t SELECT a FROM t WHERE 0"), SQL_NO_DATA);
	cr_expect_eq(row_count(st), 0);
	/* rows touched: success and the count */
	cr_expect_eq(exec(st, "UPDATE t SET a = a + 10"), SQL_SUCCESS);
	cr_expect_eq(row_count(st), 2);
}

Test(conv, prepared_update_of_no_row_returns_no_data_each_execution)
{
	SQLINTEGER v = 99;
	SQLLEN ind = 0;
	make_t();
	OKS(SQLPrepare(st, S("DELETE FROM t WHERE a = ?")), st);
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &v, 0,
			     &ind), st);
	cr_expect_eq(SQLExecute(st), SQL_NO_DATA);
	cr_expect_eq(row_count(st), 0);
	v = 1;
	cr_expect_eq(SQLExecute(st), SQL_SUCCESS);
	cr_expect_eq(row_count(st), 1);
	cr_expect_eq(SQLExecute(st), SQL_NO_DATA);
	cr_expect_eq(row_count(st), 0);
}

Test(conv, parameter_array_of_no_row_returns_no_data_and_count_0)
{
	SQLINTEGER v[3] = {97, 98, 99};
	SQLUSMALLINT status[3];
	make_t();
	OKS(SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)3, 0), st);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_PARAM_STATUS_PTR, status, 0), st);
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, v, 0, NULL),
	    st);
	cr_expect_eq(exec(st, "UPDATE t SET a = 0 WHERE a = ?"), SQL_NO_DATA);
	cr_expect_eq(row_count(st), 0);
	cr_expect_eq(status[0], SQL_PARAM_SUCCESS);
	cr_expect_eq(status[2], SQL_PARAM_SUCCESS);
	v[2] = 2;
	cr_expect_eq(exec(st, "UPDATE t SET a = 0 WHERE a = ?"), SQL_SUCCESS);
	cr_expect_eq(row_count(st), 1);
}

Test(conv, no_data_write_is_a_successful_statement_of_the_managed_transaction)
{
	SQLHENV env2;
	SQLHDBC dbc2;
	make_t();
	exec_ok(dbc, "INSERT INTO t VALUES (3)");
	cr_expect_eq(exec(st, "UPDATE t SET a = 0 WHERE a = 99"), SQL_NO_DATA);
	exec_ok(dbc, "INSERT INTO t VALUES (4)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	dbc2 = odbc_connect(&env2, NULL);
	cr_expect_eq(query_int(dbc2, "SELECT count(*) FROM t"), 4);
	odbc_close(env2, dbc2);
	/* as the first statement of a transaction, too */
	cr_expect_eq(exec(st, "DELETE FROM t WHERE a = 99"), SQL_NO_DATA);
	exec_ok(dbc, "DELETE FROM t WHERE a = 4");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	cr_expect_eq(query_int(dbc, "SELECT count(*) FROM t"), 3);
}

Test(conv, odbc2_application_gets_success_for_a_write_of_no_row)
{
	SQLHENV env2;
	SQLHDBC dbc2;
	SQLHSTMT st2;
	make_t();
	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env2);
	OKH(SQLSetEnvAttr(env2, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC2, 0),
	    SQL_HANDLE_ENV, env2);
	SQLAllocHandle(SQL_HANDLE_DBC, env2, &dbc2);
	OKC(SQLDriverConnect(dbc2, NULL, S("DSN=dqtest"), NULL, 0, NULL, SQL_DRIVER_NOPROMPT),
	    dbc2);
	OKC(SQLSetConnectAttr(dbc2, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0),
	    dbc2);
	SQLAllocHandle(SQL_HANDLE_STMT, dbc2, &st2);
	cr_expect_eq(exec(st2, "UPDATE t SET a = 5 WHERE a = 99"), SQL_SUCCESS);
	cr_expect_eq(row_count(st2), 0);
	SQLFreeHandle(SQL_HANDLE_STMT, st2);
	odbc_close(env2, dbc2);
}

Test(conv, batch_starting_with_a_write_of_no_row_is_success_so_results_follow)
{
	SQLLEN ind;
	SQLBIGINT v = 0;
	make_t();
	cr_expect_eq(exec(st, "UPDATE t SET a = 5 WHERE a = 99; SELECT 7"), SQL_SUCCESS);
	cr_expect_eq(row_count(st), 0);
	OKS(SQLMoreResults(st), st);
	OKS(SQLFetch(st), st);
	OKS(SQLGetData(st, 1, SQL_C_SBIGINT, &v, 0, &ind), st);
	cr_expect_eq(v, 7);
}

/* ------------------------------------------- rowset fetch diagnostics */

static void diag_rowcol(SQLHSTMT h, SQLSMALLINT rec, SQLLEN *row, SQLINTEGER *col)
{
	OKS(SQLGetDiagField(SQL_HANDLE_STMT, h, rec, SQL_DIAG_ROW_NUMBER, row, 0, NULL), h);
	OKS(SQLGetDiagField(SQL_HANDLE_STMT, h, rec, SQL_DIAG_COLUMN_NUMBER, col, 0, NULL), h);
}

static void make_rows(void)
{
	exec_ok(dbc, "CREATE TABLE r (id INTEGER, s TEXT, n INTEGER)");
	exec_ok(dbc, "INSERT INTO r VALUES (1, 'ab', 1), (2, 'cd', 2), (3, 'long text', 3),"
		     " (4, 'ef', 12345), (5, 'gh', 5)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
}

Test(conv, rowset_diagnostics_name_the_row_in_the_rowset_and_the_column)
{
	char s[5][4], n[5][4];
	SQLLEN si[5], ni[5];
	SQLUSMALLINT status[5];
	SQLULEN fetched = 0;
	SQLLEN row;
	SQLINTEGER col, count = 0;

	make_rows();
	OKS(SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)5, 0), st);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_ROW_STATUS_PTR, status, 0), st);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0), st);
	OKS(SQLBindCol(st, 1, SQL_C_CHAR, s, sizeof s[0], si), st);
	OKS(SQLBindCol(st, 2, SQL_C_CHAR, n, sizeof n[0], ni), st);
	OKS(SQLExecDirect(st, S("SELECT s, n FROM r ORDER BY id")), st);
	cr_assert_eq(SQLFetchScroll(st, SQL_FETCH_NEXT, 0), SQL_SUCCESS_WITH_INFO, "%s",
		     diag(SQL_HANDLE_STMT, st));
	cr_expect_eq(fetched, 5);
	OKS(SQLGetDiagField(SQL_HANDLE_STMT, st, 0, SQL_DIAG_NUMBER, &count, 0, NULL), st);
	cr_assert_eq(count, 2);
	/* row 3: 'long text' cut (01004) in column 1 */
	cr_expect_str_eq(state_of(st, 1), "01004");
	diag_rowcol(st, 1, &row, &col);
	cr_expect_eq(row, 3);
	cr_expect_eq(col, 1);
	/* row 4: 12345 does not fit 3 characters (22003) in column 2 */
	cr_expect_str_eq(state_of(st, 2), "22003");
	diag_rowcol(st, 2, &row, &col);
	cr_expect_eq(row, 4);
	cr_expect_eq(col, 2);
	cr_expect_eq(status[0], SQL_ROW_SUCCESS);
	cr_expect_eq(status[1], SQL_ROW_SUCCESS);
	cr_expect_eq(status[2], SQL_ROW_SUCCESS_WITH_INFO);
	cr_expect_eq(status[3], SQL_ROW_ERROR);
	cr_expect_eq(status[4], SQL_ROW_SUCCESS);
	cr_expect_str_eq(s[2], "lon");
	cr_expect_str_eq(n[4], "5");
}

Test(conv, row_number_counts_from_the_start_of_each_rowset)
{
	char s[2][4];
	SQLLEN si[2], row;
	SQLUSMALLINT status[2];
	SQLINTEGER col;

	make_rows();
	OKS(SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)2, 0), st);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_ROW_STATUS_PTR, status, 0), st);
	OKS(SQLBindCol(st, 1, SQL_C_CHAR, s, sizeof s[0], si), st);
	OKS(SQLExecDirect(st, S("SELECT s FROM r ORDER BY id")), st);
	cr_assert_eq(SQLFetch(st), SQL_SUCCESS);
	/* the second rowset holds rows 3 and 4: 'long text' is its row 1 */
	cr_assert_eq(SQLFetch(st), SQL_SUCCESS_WITH_INFO);
	cr_expect_str_eq(state_of(st, 1), "01004");
	diag_rowcol(st, 1, &row, &col);
	cr_expect_eq(row, 1);
	cr_expect_eq(col, 1);
	cr_expect_eq(status[0], SQL_ROW_SUCCESS_WITH_INFO);
	cr_expect_eq(status[1], SQL_ROW_SUCCESS);
}

/* ------------------------------------------- server errors, long texts */

/* A text of n copies of c (static; n < 4000). */
static const char *many(char c, int n)
{
	static char buf[4000];
	memset(buf, c, (size_t)n);
	buf[n] = '\0';
	return buf;
}

static void expect_state(const char *sql, const char *want)
{
	SQLRETURN rc = exec(st, sql);
	cr_expect_eq(rc, SQL_ERROR, "%.60s...: rc %d", sql, rc);
	SQLCHAR msg[4096] = "";
	SQLSMALLINT len;
	SQLGetDiagField(SQL_HANDLE_STMT, st, 1, SQL_DIAG_MESSAGE_TEXT, msg, sizeof msg, &len);
	cr_expect_str_eq(state_of(st, 1), want, "%.60s...: %.100s ... %s", sql, msg,
			 (char *)msg + (len > 100 ? len - 100 : 0));
}

Test(conv, long_server_error_texts_keep_their_sqlstate)
{
	static char sql[8000], name[2001], col[1501];

	snprintf(name, sizeof name, "%s", many('a', 2000));
	snprintf(col, sizeof col, "%s", many('c', 1500));
	/* syntax error near a 2000-character token */
	snprintf(sql, sizeof sql, "SELECT 1 \"b\" \"%s\"", name);
	expect_state("SELECT 1 \"x\" \"b\"", "42000");
	expect_state(sql, "42000");
	snprintf(sql, sizeof sql, "SELECT * FROM %s", name);
	expect_state(sql, "42S02");
	snprintf(sql, sizeof sql, "SELECT %s FROM (SELECT 1)", name);
	expect_state(sql, "42S22");
	snprintf(sql, sizeof sql, "CREATE TABLE %s (x)", name);
	exec_ok(dbc, sql);
	expect_state(sql, "42S01");
	snprintf(sql, sizeof sql, "CREATE INDEX %s ON %s (x)", name, name);
	expect_state(sql, "42S01"); /* a table of that name exists */
	snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES (1)", name, col);
	expect_state(sql, "42S22");
}

Test(conv, short_server_errors_map_as_before)
{
	exec_ok(dbc, "CREATE TABLE u (x INTEGER UNIQUE, y TEXT NOT NULL)");
	exec_ok(dbc, "INSERT INTO u VALUES (1, 'a')");
	expect_state("INSERT INTO u VALUES (1, 'b')", "23000");
	expect_state("INSERT INTO u VALUES (2, NULL)", "23000");
	expect_state("SELEC 1", "42000");
	expect_state("SELECT nope FROM u", "42S22");
	expect_state("SELECT * FROM nope", "42S02");
	expect_state("CREATE TABLE u (z)", "42S01");
	exec_ok(dbc, "CREATE INDEX ix ON u (y)");
	expect_state("CREATE INDEX ix ON u (x)", "42S11");
	expect_state("DROP INDEX nope", "42S12");
	expect_state("INSERT INTO u (nope) VALUES (1)", "42S22");
}

/* ------------------------------------------------- SQL_ATTR_SIMULATE_CURSOR */

Test(conv, simulate_cursor_reads_unique_and_substitutes_other_values_with_01s02)
{
	SQLULEN v = 77;
	OKS(SQLGetStmtAttr(st, SQL_ATTR_SIMULATE_CURSOR, &v, 0, NULL), st);
	cr_expect_eq(v, SQL_SC_UNIQUE);
	cr_expect_eq(SQLSetStmtAttr(st, SQL_ATTR_SIMULATE_CURSOR, (SQLPOINTER)SQL_SC_UNIQUE, 0),
		     SQL_SUCCESS);
	cr_expect_eq(SQLSetStmtAttr(st, SQL_ATTR_SIMULATE_CURSOR,
				    (SQLPOINTER)SQL_SC_NON_UNIQUE, 0),
		     SQL_SUCCESS_WITH_INFO);
	cr_expect_str_eq(state_of(st, 1), "01S02");
	cr_expect_eq(SQLSetStmtAttr(st, SQL_ATTR_SIMULATE_CURSOR,
				    (SQLPOINTER)SQL_SC_TRY_UNIQUE, 0),
		     SQL_SUCCESS_WITH_INFO);
	cr_expect_str_eq(state_of(st, 1), "01S02");
	v = 77;
	OKS(SQLGetStmtAttr(st, SQL_ATTR_SIMULATE_CURSOR, &v, 0, NULL), st);
	cr_expect_eq(v, SQL_SC_UNIQUE);
	cr_expect_eq(SQLSetStmtAttr(st, SQL_ATTR_SIMULATE_CURSOR, (SQLPOINTER)9, 0), SQL_ERROR);
	cr_expect_str_eq(state_of(st, 1), "HY024");
}

/* ----------------------------------- SQLColAttribute against the catalog */

/* One declared type family: the column's declared type, the display size
 * the reference's "Display Size" appendix gives for it. */
static const struct family {
	const char *decl;
	SQLLEN display;
} families[] = {
	{"INTEGER", 20}, {"BIGINT", 20}, {"INT", 11}, {"SMALLINT", 6}, {"TINYINT", 4},
	{"BOOLEAN", 1}, {"REAL", 24}, {"DOUBLE", 24}, {"FLOAT", 24},
	{"DECIMAL(10,2)", 12}, {"NUMERIC(8,3)", 10},
	{"CHAR(5)", 5}, {"VARCHAR(20)", 20}, {"TEXT", 2147483647},
	{"NCHAR(4)", 4}, {"NVARCHAR(10)", 10}, {"NTEXT", 1073741823},
	{"BLOB", 2147483647}, {"BINARY(4)", 8}, {"VARBINARY(8)", 16},
	{"DATE", 10}, {"TIME", 8}, {"TIMESTAMP", 26}, {"DATETIME", 26},
};
#define N_FAMILIES (sizeof families / sizeof families[0])

/* Column `col` of the current row of h as a number; *null set when NULL. */
static SQLLEN cell_num(SQLHSTMT h, SQLUSMALLINT col, int *null)
{
	SQLLEN v = 0, ind = 0;
	OKS(SQLGetData(h, col, SQL_C_SBIGINT, &v, 0, &ind), h);
	*null = ind == SQL_NULL_DATA;
	return *null ? 0 : v;
}

static void cell_str(SQLHSTMT h, SQLUSMALLINT col, char *buf, SQLLEN cap)
{
	SQLLEN ind = 0;
	OKS(SQLGetData(h, col, SQL_C_CHAR, buf, cap, &ind), h);
	if (ind == SQL_NULL_DATA)
		buf[0] = '\0';
}

static SQLLEN attr_num(SQLUSMALLINT col, SQLUSMALLINT field)
{
	SQLLEN v = -999;
	OKS(SQLColAttribute(st, col, field, NULL, 0, NULL, &v), st);
	return v;
}

static void attr_str(SQLUSMALLINT col, SQLUSMALLINT field, char *buf, SQLSMALLINT cap)
{
	SQLSMALLINT len;
	OKS(SQLColAttribute(st, col, field, buf, cap, &len, NULL), st);
}

/* What SQLColumns and SQLGetTypeInfo say about one column. */
typedef struct catalog_view {
	SQLLEN data_type, size, buffer_length, digits, radix, nullable;
	int digits_null, radix_null;
	char type_name[64];
	char prefix[8], suffix[8];
	SQLLEN case_sensitive, searchable, unsigned_attr, fixed_prec;
	int unsigned_null;
} catalog_view;

static void read_columns_row(SQLHSTMT h, const char *column, catalog_view *c)
{
	int null;
	OKS(SQLColumns(h, NULL, 0, NULL, 0, S("fam"), S(column)), h);
	OKS(SQLFetch(h), h);
	c->data_type = cell_num(h, 5, &null);
	cell_str(h, 6, c->type_name, sizeof c->type_name);
	c->size = cell_num(h, 7, &null);
	c->buffer_length = cell_num(h, 8, &null);
	c->digits = cell_num(h, 9, &c->digits_null);
	c->radix = cell_num(h, 10, &c->radix_null);
	c->nullable = cell_num(h, 11, &null);
	SQLCloseCursor(h);
}

/* The SQLGetTypeInfo row of data_type named like the column's type, else
 * the type's first row. */
static void read_type_info_row(SQLHSTMT h, const catalog_view *col, catalog_view *c)
{
	char name[64];
	int found = 0, null;
	OKS(SQLGetTypeInfo(h, (SQLSMALLINT)col->data_type), h);
	while (SQL_SUCCEEDED(SQLFetch(h))) {
		int same;
		cell_str(h, 1, name, sizeof name);
		same = strcmp(name, col->type_name) == 0;
		if (found && !same)
			continue;
		cell_str(h, 4, c->prefix, sizeof c->prefix);
		cell_str(h, 5, c->suffix, sizeof c->suffix);
		c->case_sensitive = cell_num(h, 8, &null);
		c->searchable = cell_num(h, 9, &null);
		c->unsigned_attr = cell_num(h, 10, &c->unsigned_null);
		c->fixed_prec = cell_num(h, 11, &null);
		found = 1;
		if (same)
			break;
	}
	cr_assert(found, "no SQLGetTypeInfo row for %s", col->type_name);
	SQLCloseCursor(h);
}

Test(conv, col_attribute_agrees_with_sqlcolumns_and_sqlgettypeinfo_for_every_family)
{
	char sql[2048] = "CREATE TABLE fam (", name[16], buf[64];
	SQLHSTMT cat;

	for (size_t i = 0; i < N_FAMILIES; i++) {
		char part[64];
		snprintf(part, sizeof part, "%sc%zu %s", i ? ", " : "", i, families[i].decl);
		strcat(sql, part);
	}
	strcat(sql, ")");
	exec_ok(dbc, sql);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &cat);
	OKS(SQLExecDirect(st, S("SELECT * FROM fam")), st);

	for (size_t i = 0; i < N_FAMILIES; i++) {
		SQLUSMALLINT col = (SQLUSMALLINT)(i + 1);
		const char *decl = families[i].decl;
		catalog_view c = {0};
		SQLSMALLINT dtype, ddigits, dnull, nlen;
		SQLULEN dsize;
		SQLCHAR cname[32];

		snprintf(name, sizeof name, "c%zu", i);
		read_columns_row(cat, name, &c);
		read_type_info_row(cat, &c, &c);

		OKS(SQLDescribeCol(st, col, cname, sizeof cname, &nlen, &dtype, &dsize, &ddigits,
				   &dnull), st);
		cr_expect_eq(dtype, c.data_type, "%s: type", decl);
		cr_expect_eq((SQLLEN)dsize, c.size, "%s: column size %lu vs SQLColumns %ld", decl,
			     (unsigned long)dsize, (long)c.size);
		cr_expect_eq(ddigits, c.digits_null ? 0 : c.digits, "%s: digits", decl);
		cr_expect_eq(attr_num(col, SQL_DESC_CONCISE_TYPE), c.data_type, "%s", decl);
		cr_expect_eq(attr_num(col, SQL_DESC_OCTET_LENGTH), c.buffer_length,
			     "%s: octet length %ld vs BUFFER_LENGTH %ld", decl,
			     (long)attr_num(col, SQL_DESC_OCTET_LENGTH), (long)c.buffer_length);
		cr_expect_eq(attr_num(col, SQL_DESC_DISPLAY_SIZE), families[i].display,
			     "%s: display size %ld", decl,
			     (long)attr_num(col, SQL_DESC_DISPLAY_SIZE));
		cr_expect_eq(attr_num(col, SQL_DESC_NUM_PREC_RADIX), c.radix_null ? 0 : c.radix,
			     "%s: radix", decl);
		cr_expect_eq(attr_num(col, SQL_DESC_SCALE), c.digits_null ? 0 : c.digits,
			     "%s: scale", decl);
		cr_expect_eq(attr_num(col, SQL_DESC_NULLABLE), c.nullable, "%s: nullable", decl);
		/* a numeric type's precision is its size; a time's, its
		 * fractional seconds' (the decimal digits) */
		if (!c.radix_null)
			cr_expect_eq(attr_num(col, SQL_DESC_PRECISION), c.size,
				     "%s: precision", decl);
		if (c.data_type == SQL_TYPE_TIME || c.data_type == SQL_TYPE_TIMESTAMP)
			cr_expect_eq(attr_num(col, SQL_DESC_PRECISION), c.digits,
				     "%s: precision %ld", decl,
				     (long)attr_num(col, SQL_DESC_PRECISION));
		attr_str(col, SQL_DESC_TYPE_NAME, buf, sizeof buf);
		cr_expect_str_eq(buf, c.type_name, "%s: type name", decl);
		attr_str(col, SQL_DESC_LITERAL_PREFIX, buf, sizeof buf);
		cr_expect_str_eq(buf, c.prefix, "%s: literal prefix", decl);
		attr_str(col, SQL_DESC_LITERAL_SUFFIX, buf, sizeof buf);
		cr_expect_str_eq(buf, c.suffix, "%s: literal suffix", decl);
		cr_expect_eq(attr_num(col, SQL_DESC_CASE_SENSITIVE), c.case_sensitive,
			     "%s: case sensitive", decl);
		cr_expect_eq(attr_num(col, SQL_DESC_SEARCHABLE), c.searchable, "%s: searchable",
			     decl);
		/* SQLColAttribute: SQL_TRUE for a column that is not numeric */
		cr_expect_eq(attr_num(col, SQL_DESC_UNSIGNED),
			     c.unsigned_null ? SQL_TRUE : c.unsigned_attr, "%s: unsigned", decl);
		cr_expect_eq(attr_num(col, SQL_DESC_FIXED_PREC_SCALE), c.fixed_prec,
			     "%s: fixed prec scale", decl);
		cr_expect_eq(attr_num(col, SQL_DESC_AUTO_UNIQUE_VALUE), SQL_FALSE, "%s", decl);
	}
	SQLFreeHandle(SQL_HANDLE_STMT, cat);
}

Test(conv, literal_prefix_and_case_sensitivity_of_first_row_typed_columns)
{
	char buf[8];
	OKS(SQLExecDirect(st, S("SELECT 'a', x'00', 1")), st);
	attr_str(1, SQL_DESC_LITERAL_PREFIX, buf, sizeof buf);
	cr_expect_str_eq(buf, "'");
	attr_str(2, SQL_DESC_LITERAL_PREFIX, buf, sizeof buf);
	cr_expect_str_eq(buf, "X'");
	attr_str(2, SQL_DESC_LITERAL_SUFFIX, buf, sizeof buf);
	cr_expect_str_eq(buf, "'");
	attr_str(3, SQL_DESC_LITERAL_PREFIX, buf, sizeof buf);
	cr_expect_str_eq(buf, "");
	cr_expect_eq(attr_num(1, SQL_DESC_CASE_SENSITIVE), SQL_TRUE);
	cr_expect_eq(attr_num(1, SQL_DESC_UNSIGNED), SQL_TRUE);
	cr_expect_eq(attr_num(3, SQL_DESC_UNSIGNED), SQL_FALSE);
}

/* NUM_PREC_RADIX says what COLUMN_SIZE counts: 15 for a double is decimal
 * digits, so the radix is 10 (2 would make it 15 bits). */
Test(conv, approximate_types_give_their_size_in_decimal_digits_radix_10)
{
	static const SQLSMALLINT types[] = {SQL_FLOAT, SQL_DOUBLE};
	int null;
	for (size_t i = 0; i < 2; i++) {
		OKS(SQLGetTypeInfo(st, types[i]), st);
		while (SQL_SUCCEEDED(SQLFetch(st))) {
			cr_expect_eq(cell_num(st, 3, &null), 15);
			cr_expect_eq(cell_num(st, 18, &null), 10, "type %d radix", types[i]);
		}
		SQLCloseCursor(st);
	}
	exec_ok(dbc, "CREATE TABLE ap (r REAL, f FLOAT)");
	OKS(SQLColumns(st, NULL, 0, NULL, 0, S("ap"), NULL, 0), st);
	while (SQL_SUCCEEDED(SQLFetch(st))) {
		cr_expect_eq(cell_num(st, 7, &null), 15);
		cr_expect_eq(cell_num(st, 10, &null), 10);
	}
	SQLCloseCursor(st);
	OKS(SQLExecDirect(st, S("SELECT r, f, 1.5 FROM ap UNION ALL SELECT 1.5, 1.5, 1.5")), st);
	for (SQLUSMALLINT c = 1; c <= 3; c++)
		cr_expect_eq(attr_num(c, SQL_DESC_NUM_PREC_RADIX), 10, "column %u", c);
}
