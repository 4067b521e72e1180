/*
 * ODBC 3.x conformance of conversions, return codes and metadata through
 * unixODBC's driver manager against a real node (issue 11):
 *   - numbers into too-short character buffers: 22003 when the whole part
 *     does not fit, 01004 when only fractional digits are cut.
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

Test(conv, bound_integer_column_too_short_is_a_row_error_22003)
{
	char b[3];
	SQLLEN ind;
	OKS(SQLBindCol(st, 1, SQL_C_CHAR, b, sizeof b, &ind), st);
	OKS(SQLExecDirect(st, S("SELECT 1234")), st);
	cr_expect_eq(SQLFetch(st), SQL_ERROR);
	cr_expect_str_eq(state_of(st, 1), "22003");
}
