/*
 * A parameter's SQL type is honoured: through unixODBC's driver manager
 * against a real node, each (C type, SQL type, input) row of the table
 * below is bound, executed, and either read back (SQLite's typeof() and
 * quote() of what was stored in an untyped column, so no column affinity
 * hides what the driver sent) or refused with its SQLSTATE and nothing
 * stored. Then: parameter arrays mark only the bad set, the diagnostic
 * names the parameter, PHP's false ('' as SQL_C_CHAR data at execution)
 * reaches a BOOLEAN column as 0, and GUIDs go in and come back.
 */
#include <stdint.h>
#include <stdlib.h>

#include "odbc_util.h"
#include <sqlucode.h>

static odbc_fixture fx;
static SQLHDBC dbc;
static SQLHSTMT st;

static void setup(void)
{
	odbc_fixture_up(&fx, "ptypes");
	dbc = fx.dbc;
	st = fx.st;
	exec_ok(dbc, "CREATE TABLE t (x)");
	exec_ok(dbc, "CREATE TABLE b (id INTEGER PRIMARY KEY, flag BOOLEAN)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
}

static void teardown(void)
{
	odbc_fixture_down(&fx);
	cr_assert_eq(dqt_leak_check(), 0, "leaks (see the report above)");
}

TestSuite(ptypes, .init = setup, .fini = teardown, .timeout = 120);

/* One row: the C value (len: bytes for SQL_C_CHAR / SQL_C_BINARY, SQL_NTS
 * for a C string; ignored for fixed-size types), the SQL type, and either
 * what is stored ("typeof quote", state NULL or "01S07") or the SQLSTATE
 * of the refusal (stored NULL). */
typedef struct pcase {
	const char *name;
	SQLSMALLINT ctype, sqltype;
	const void *val;
	SQLLEN len;
	const char *state;
	const char *stored;
} pcase;

#define I32(v) &(SQLINTEGER){v}
#define I64(v) &(SQLBIGINT){v}
#define DBL(v) &(SQLDOUBLE){v}
#define BIT(v) &(unsigned char){v}
#define DATE(y, m, d) &(SQL_DATE_STRUCT){y, m, d}
#define TIME(h, m, s) &(SQL_TIME_STRUCT){h, m, s}
#define TS(y, mo, d, h, mi, s, f) &(SQL_TIMESTAMP_STRUCT){y, mo, d, h, mi, s, f}
#define STR(s) s, SQL_NTS

/* 123.45 as SQL_NUMERIC_STRUCT: 12345 scale 2 */
static const SQL_NUMERIC_STRUCT num12345 = {5, 2, 1, {0x39, 0x30}};
static const SQLGUID guid = {0x6F9619FF, 0x8B86, 0xD011,
			     {0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF}};
#define GUID_TEXT "6f9619ff-8b86-d011-b42d-00c04fc964ff"

static const pcase cases[] = {
	/* integer SQL types */
	{"char abc -> INTEGER", SQL_C_CHAR, SQL_INTEGER, STR("abc"), "22018", NULL},
	{"char 123 -> INTEGER", SQL_C_CHAR, SQL_INTEGER, STR("123"), NULL, "integer 123"},
	{"char ' -42 ' -> INTEGER", SQL_C_CHAR, SQL_INTEGER, STR(" -42 "), NULL, "integer -42"},
	{"char 2.5 -> INTEGER", SQL_C_CHAR, SQL_INTEGER, STR("2.5"), "22001", NULL},
	{"char 2.0 -> INTEGER", SQL_C_CHAR, SQL_INTEGER, STR("2.0"), NULL, "integer 2"},
	{"char 1e3 -> BIGINT", SQL_C_CHAR, SQL_BIGINT, STR("1e3"), NULL, "integer 1000"},
	{"char 0x10 -> INTEGER", SQL_C_CHAR, SQL_INTEGER, STR("0x10"), "22018", NULL},
	{"char empty -> INTEGER", SQL_C_CHAR, SQL_INTEGER, STR(""), "22018", NULL},
	{"char 2^64 -> BIGINT", SQL_C_CHAR, SQL_BIGINT, STR("18446744073709551616"), "22003", NULL},
	{"char 40000 -> SMALLINT", SQL_C_CHAR, SQL_SMALLINT, STR("-40000"), "22003", NULL},
	{"char 255 -> TINYINT", SQL_C_CHAR, SQL_TINYINT, STR("255"), NULL, "integer 255"},
	{"double 2.5 -> INTEGER", SQL_C_DOUBLE, SQL_INTEGER, DBL(2.5), 0, "01S07", "integer 2"},
	{"double -2.5 -> INTEGER", SQL_C_DOUBLE, SQL_INTEGER, DBL(-2.5), 0, "01S07", "integer -2"},
	{"double 1e10 -> INTEGER", SQL_C_DOUBLE, SQL_INTEGER, DBL(1e10), 0, "22003", NULL},
	{"sbigint 5e9 -> INTEGER", SQL_C_SBIGINT, SQL_INTEGER, I64(5000000000LL), 0, "22003", NULL},
	{"sbigint 5e9 -> BIGINT", SQL_C_SBIGINT, SQL_BIGINT, I64(5000000000LL), 0, NULL, "integer 5000000000"},
	{"slong 300 -> TINYINT", SQL_C_SLONG, SQL_TINYINT, I32(300), 0, "22003", NULL},
	{"ubigint 2^63 -> BIGINT", SQL_C_UBIGINT, SQL_BIGINT, &(SQLUBIGINT){1ULL << 63}, 0, "22003", NULL},
	{"numeric 123.45 -> INTEGER", SQL_C_NUMERIC, SQL_INTEGER, &num12345, 0, "01S07", "integer 123"},
	{"bit 1 -> INTEGER", SQL_C_BIT, SQL_INTEGER, BIT(1), 0, NULL, "integer 1"},
	{"date -> INTEGER", SQL_C_TYPE_DATE, SQL_INTEGER, DATE(2024, 1, 2), 0, "07006", NULL},
	{"binary 4 bytes -> INTEGER", SQL_C_BINARY, SQL_INTEGER, "\x05\0\0\0", 4, NULL, "integer 5"},
	{"binary 3 bytes -> INTEGER", SQL_C_BINARY, SQL_INTEGER, "\x05\0\0", 3, "22003", NULL},
	/* SQL_BIT */
	{"bit 2 -> BIT", SQL_C_BIT, SQL_BIT, BIT(2), 0, "22003", NULL},
	{"bit 1 -> BIT", SQL_C_BIT, SQL_BIT, BIT(1), 0, NULL, "integer 1"},
	{"char empty -> BIT", SQL_C_CHAR, SQL_BIT, STR(""), NULL, "integer 0"},
	{"char 1 -> BIT", SQL_C_CHAR, SQL_BIT, STR("1"), NULL, "integer 1"},
	{"char 0 -> BIT", SQL_C_CHAR, SQL_BIT, STR("0"), NULL, "integer 0"},
	{"char 0.5 -> BIT", SQL_C_CHAR, SQL_BIT, STR("0.5"), "22001", NULL},
	{"char 2 -> BIT", SQL_C_CHAR, SQL_BIT, STR("2"), "22003", NULL},
	{"char -1 -> BIT", SQL_C_CHAR, SQL_BIT, STR("-1"), "22003", NULL},
	{"char true -> BIT", SQL_C_CHAR, SQL_BIT, STR("true"), "22018", NULL},
	{"double 1.0 -> BIT", SQL_C_DOUBLE, SQL_BIT, DBL(1.0), 0, NULL, "integer 1"},
	{"double 1.5 -> BIT", SQL_C_DOUBLE, SQL_BIT, DBL(1.5), 0, "22001", NULL},
	{"slong 2 -> BIT", SQL_C_SLONG, SQL_BIT, I32(2), 0, "22003", NULL},
	{"bit 0 -> VARCHAR", SQL_C_BIT, SQL_VARCHAR, BIT(0), 0, NULL, "text '0'"},
	/* approximate numerics */
	{"char 2.5 -> DOUBLE", SQL_C_CHAR, SQL_DOUBLE, STR("2.5"), NULL, "real 2.5"},
	{"char 12 -> FLOAT", SQL_C_CHAR, SQL_FLOAT, STR("12"), NULL, "real 12.0"},
	{"char abc -> DOUBLE", SQL_C_CHAR, SQL_DOUBLE, STR("abc"), "22018", NULL},
	{"char nan -> DOUBLE", SQL_C_CHAR, SQL_DOUBLE, STR("nan"), "22018", NULL},
	{"char 1e400 -> DOUBLE", SQL_C_CHAR, SQL_DOUBLE, STR("1e400"), "22003", NULL},
	{"double 1e39 -> REAL", SQL_C_DOUBLE, SQL_REAL, DBL(1e39), 0, "22003", NULL},
	{"slong 7 -> DOUBLE", SQL_C_SLONG, SQL_DOUBLE, I32(7), 0, NULL, "real 7.0"},
	/* exact numerics keep their digits */
	{"char 12.50 -> DECIMAL", SQL_C_CHAR, SQL_DECIMAL, STR(" 12.50 "), NULL, "text '12.50'"},
	{"char abc -> NUMERIC", SQL_C_CHAR, SQL_NUMERIC, STR("abc"), "22018", NULL},
	{"slong 5 -> NUMERIC", SQL_C_SLONG, SQL_NUMERIC, I32(5), 0, NULL, "integer 5"},
	{"double 2.5 -> DECIMAL", SQL_C_DOUBLE, SQL_DECIMAL, DBL(2.5), 0, NULL, "real 2.5"},
	{"numeric 123.45 -> NUMERIC", SQL_C_NUMERIC, SQL_NUMERIC, &num12345, 0, NULL, "text '123.45'"},
	/* character types */
	{"slong 42 -> VARCHAR", SQL_C_SLONG, SQL_VARCHAR, I32(42), 0, NULL, "text '42'"},
	{"double 2.5 -> CHAR", SQL_C_DOUBLE, SQL_CHAR, DBL(2.5), 0, NULL, "text '2.5'"},
	{"char abc -> VARCHAR", SQL_C_CHAR, SQL_VARCHAR, STR("abc"), NULL, "text 'abc'"},
	{"date -> VARCHAR", SQL_C_TYPE_DATE, SQL_VARCHAR, DATE(2024, 2, 29), 0, NULL, "text '2024-02-29'"},
	{"date 2023-02-30 -> VARCHAR", SQL_C_TYPE_DATE, SQL_VARCHAR, DATE(2023, 2, 30), 0, "22008", NULL},
	{"binary ab -> VARCHAR", SQL_C_BINARY, SQL_VARCHAR, "ab", 2, NULL, "text 'ab'"},
	{"guid -> WVARCHAR", SQL_C_GUID, SQL_WVARCHAR, &guid, 0, NULL, "text '" GUID_TEXT "'"},
	/* binary types */
	{"char hex -> VARBINARY", SQL_C_CHAR, SQL_VARBINARY, STR("00FF7a"), NULL, "blob X'00FF7A'"},
	{"char odd hex -> VARBINARY", SQL_C_CHAR, SQL_VARBINARY, STR("ABC"), "22018", NULL},
	{"char zz -> BINARY", SQL_C_CHAR, SQL_BINARY, STR("zz"), "22018", NULL},
	{"binary -> LONGVARBINARY", SQL_C_BINARY, SQL_LONGVARBINARY, "\0\1", 2, NULL, "blob X'0001'"},
	{"slong -> VARBINARY", SQL_C_SLONG, SQL_VARBINARY, I32(1), 0, "07006", NULL},
	/* dates and times */
	{"char 2023-02-30 -> DATE", SQL_C_CHAR, SQL_TYPE_DATE, STR("2023-02-30"), "22018", NULL},
	{"char 2024-02-29 -> DATE", SQL_C_CHAR, SQL_TYPE_DATE, STR("2024-02-29"), NULL, "text '2024-02-29'"},
	{"char midnight ts -> DATE", SQL_C_CHAR, SQL_TYPE_DATE, STR("2024-02-29 00:00:00"), NULL, "text '2024-02-29'"},
	{"char ts -> DATE", SQL_C_CHAR, SQL_TYPE_DATE, STR("2024-02-29 10:00:00"), "22008", NULL},
	{"char 25:00:00 -> TIME", SQL_C_CHAR, SQL_TYPE_TIME, STR("25:00:00"), "22018", NULL},
	{"char 12:34:56 -> TIME", SQL_C_CHAR, SQL_TYPE_TIME, STR(" 12:34:56 "), NULL, "text '12:34:56'"},
	{"char T ts -> TIMESTAMP", SQL_C_CHAR, SQL_TYPE_TIMESTAMP, STR("2024-02-29T01:02:03.120"), NULL,
	 "text '2024-02-29 01:02:03.12'"},
	{"char date -> TIMESTAMP", SQL_C_CHAR, SQL_TYPE_TIMESTAMP, STR("2024-02-29"), NULL,
	 "text '2024-02-29 00:00:00'"},
	{"char 10 fraction digits -> TIMESTAMP", SQL_C_CHAR, SQL_TYPE_TIMESTAMP,
	 STR("2024-02-29 01:02:03.1234567891"), "22008", NULL},
	{"date 2023-02-30 -> DATE", SQL_C_TYPE_DATE, SQL_TYPE_DATE, DATE(2023, 2, 30), 0, "22007", NULL},
	{"date -> TIMESTAMP", SQL_C_TYPE_DATE, SQL_TYPE_TIMESTAMP, DATE(2024, 2, 29), 0, NULL,
	 "text '2024-02-29 00:00:00'"},
	{"timestamp 2023-02-30 -> TIMESTAMP", SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP,
	 TS(2023, 2, 30, 1, 2, 3, 0), 0, "22007", NULL},
	{"timestamp -> TIMESTAMP", SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP,
	 TS(2024, 2, 29, 23, 59, 58, 500000000), 0, NULL, "text '2024-02-29 23:59:58.5'"},
	{"timestamp with time -> DATE", SQL_C_TYPE_TIMESTAMP, SQL_TYPE_DATE,
	 TS(2024, 2, 29, 23, 59, 58, 0), 0, "22008", NULL},
	{"timestamp midnight -> DATE", SQL_C_TYPE_TIMESTAMP, SQL_TYPE_DATE,
	 TS(2024, 2, 29, 0, 0, 0, 0), 0, NULL, "text '2024-02-29'"},
	{"timestamp -> TIME", SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIME,
	 TS(2024, 2, 29, 23, 59, 58, 0), 0, NULL, "text '23:59:58'"},
	{"timestamp with fraction -> TIME", SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIME,
	 TS(2024, 2, 29, 23, 59, 58, 1000), 0, "22008", NULL},
	{"time 24:00:00 -> TIME", SQL_C_TYPE_TIME, SQL_TYPE_TIME, TIME(24, 0, 0), 0, "22007", NULL},
	{"time -> DATE", SQL_C_TYPE_TIME, SQL_TYPE_DATE, TIME(1, 2, 3), 0, "07006", NULL},
	{"slong -> DATE", SQL_C_SLONG, SQL_TYPE_DATE, I32(20240229), 0, "07006", NULL},
	/* GUID */
	{"guid -> GUID", SQL_C_GUID, SQL_GUID, &guid, 0, NULL, "text '" GUID_TEXT "'"},
	{"char braced guid -> GUID", SQL_C_CHAR, SQL_GUID, STR("{6F9619FF-8B86-D011-B42D-00C04FC964FF}"),
	 NULL, "text '" GUID_TEXT "'"},
	{"char not a guid -> GUID", SQL_C_CHAR, SQL_GUID, STR("6F9619FF-8B86-D011-B42D"), "22018", NULL},
	{"slong -> GUID", SQL_C_SLONG, SQL_GUID, I32(1), 0, "07006", NULL},
	/* wide text takes the same rules */
	{"wchar 123 -> INTEGER", SQL_C_WCHAR, SQL_INTEGER, (SQLWCHAR[]){'1', '2', '3', 0}, SQL_NTS,
	 NULL, "integer 123"},
	{"wchar x -> BIT", SQL_C_WCHAR, SQL_BIT, (SQLWCHAR[]){'x', 0}, SQL_NTS, "22018", NULL},
};

/* "typeof quote" of the one row of t, or "(no row)". */
static const char *stored(void)
{
	static char out[200];
	char type[16] = "", q[160] = "";
	SQLHSTMT q1;
	SQLLEN ind;
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &q1);
	OKS(SQLExecDirect(q1, (SQLCHAR *)"SELECT typeof(x), quote(x) FROM t", SQL_NTS), q1);
	if (SQLFetch(q1) != SQL_SUCCESS) {
		SQLFreeHandle(SQL_HANDLE_STMT, q1);
		return "(no row)";
	}
	OKS(SQLGetData(q1, 1, SQL_C_CHAR, type, sizeof type, &ind), q1);
	OKS(SQLGetData(q1, 2, SQL_C_CHAR, q, sizeof q, &ind), q1);
	SQLFreeHandle(SQL_HANDLE_STMT, q1);
	snprintf(out, sizeof out, "%s %s", type, q);
	return out;
}

static void run_case(const pcase *c)
{
	SQLLEN len = c->len;
	SQLLEN buflen = c->len == SQL_NTS ? 0 : c->len;
	SQLRETURN rc;

	exec_ok(dbc, "DELETE FROM t");
	OKS(SQLPrepare(st, (SQLCHAR *)"INSERT INTO t (x) VALUES (?)", SQL_NTS), st);
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, c->ctype, c->sqltype, 40, 0,
			     (SQLPOINTER)(uintptr_t)c->val, buflen, &len), st);
	rc = SQLExecute(st);
	if (c->stored == NULL) {
		cr_expect_eq(rc, SQL_ERROR, "%s: SQLExecute gave %d, not SQL_ERROR (stored %s)",
			     c->name, rc, stored());
		cr_expect_str_eq(sqlstate(SQL_HANDLE_STMT, st), c->state, "%s: %s", c->name,
				 diag(SQL_HANDLE_STMT, st));
		cr_expect(strstr(diag(SQL_HANDLE_STMT, st), "parameter 1") != NULL,
			  "%s: the message does not name the parameter: %s", c->name,
			  diag(SQL_HANDLE_STMT, st));
		SQLINTEGER col = 0;
		SQLGetDiagField(SQL_HANDLE_STMT, st, 1, SQL_DIAG_COLUMN_NUMBER, &col, 0, NULL);
		cr_expect_eq(col, 1, "%s: SQL_DIAG_COLUMN_NUMBER is %d", c->name, (int)col);
		cr_expect_str_eq(stored(), "(no row)", "%s: a row was stored", c->name);
	} else if (c->state) {
		cr_expect_eq(rc, SQL_SUCCESS_WITH_INFO, "%s: SQLExecute gave %d: %s", c->name,
			     rc, diag(SQL_HANDLE_STMT, st));
		cr_expect_str_eq(sqlstate(SQL_HANDLE_STMT, st), c->state, "%s: %s", c->name,
				 diag(SQL_HANDLE_STMT, st));
		cr_expect_str_eq(stored(), c->stored, "%s", c->name);
	} else {
		cr_expect_eq(rc, SQL_SUCCESS, "%s: SQLExecute gave %d: %s", c->name, rc,
			     diag(SQL_HANDLE_STMT, st));
		cr_expect_str_eq(stored(), c->stored, "%s", c->name);
	}
	OKS(SQLFreeStmt(st, SQL_RESET_PARAMS), st);
}

Test(ptypes, each_c_value_is_converted_to_its_sql_type_or_refused)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(&cases[i]);
}

/* A parameter array with a bad set: only that set fails, with its row in
 * SQL_DIAG_ROW_NUMBER and the parameter in SQL_DIAG_COLUMN_NUMBER; a set
 * whose fraction was dropped succeeds with info. */
Test(ptypes, parameter_array_marks_only_the_bad_set)
{
	char texts[3][8] = {"1", "abc", "3"};
	SQLLEN lens[3] = {SQL_NTS, SQL_NTS, SQL_NTS};
	SQLDOUBLE dbls[3] = {1.5, 2, 4};
	SQLUSMALLINT status[3];
	SQLULEN done = 0;
	SQLLEN row = 0;
	SQLINTEGER col = 0;

	OKS(SQLPrepare(st, (SQLCHAR *)"INSERT INTO t (x) VALUES (? + ?)", SQL_NTS), st);
	SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)3, 0);
	SQLSetStmtAttr(st, SQL_ATTR_PARAM_STATUS_PTR, status, 0);
	SQLSetStmtAttr(st, SQL_ATTR_PARAMS_PROCESSED_PTR, &done, 0);
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_DOUBLE, SQL_INTEGER, 0, 0, dbls, 0,
			     NULL), st);
	OKS(SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_INTEGER, 8, 0, texts, 8,
			     lens), st);
	cr_assert_eq(SQLExecute(st), SQL_SUCCESS_WITH_INFO, "%s", diag(SQL_HANDLE_STMT, st));
	cr_assert_eq(done, 3);
	cr_assert_eq(status[0], SQL_PARAM_SUCCESS_WITH_INFO);
	cr_assert_eq(status[1], SQL_PARAM_ERROR);
	cr_assert_eq(status[2], SQL_PARAM_SUCCESS);
	/* record 1: set 1's 01S07 on parameter 1; record 2: set 2's 22018 on
	 * parameter 2 */
	char st1[6] = "", st2[6] = "";
	SQLINTEGER native;
	SQLSMALLINT mlen;
	SQLGetDiagRec(SQL_HANDLE_STMT, st, 1, (SQLCHAR *)st1, &native, NULL, 0, &mlen);
	SQLGetDiagRec(SQL_HANDLE_STMT, st, 2, (SQLCHAR *)st2, &native, NULL, 0, &mlen);
	cr_assert_str_eq(st1, "01S07");
	cr_assert_str_eq(st2, "22018");
	SQLGetDiagField(SQL_HANDLE_STMT, st, 1, SQL_DIAG_ROW_NUMBER, &row, 0, NULL);
	SQLGetDiagField(SQL_HANDLE_STMT, st, 1, SQL_DIAG_COLUMN_NUMBER, &col, 0, NULL);
	cr_assert_eq(row, 1);
	cr_assert_eq(col, 1);
	SQLGetDiagField(SQL_HANDLE_STMT, st, 2, SQL_DIAG_ROW_NUMBER, &row, 0, NULL);
	SQLGetDiagField(SQL_HANDLE_STMT, st, 2, SQL_DIAG_COLUMN_NUMBER, &col, 0, NULL);
	cr_assert_eq(row, 2);
	cr_assert_eq(col, 2);
	SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0);
	SQLSetStmtAttr(st, SQL_ATTR_PARAM_STATUS_PTR, NULL, 0);
	SQLSetStmtAttr(st, SQL_ATTR_PARAMS_PROCESSED_PTR, NULL, 0);
	OKS(SQLFreeStmt(st, SQL_RESET_PARAMS), st);
	/* 1 + 1 (1.5 truncated) and 4 + 3 */
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM t"), 2);
	cr_assert_eq(query_int(dbc, "SELECT sum(x) FROM t WHERE typeof(x) = 'integer'"), 9);
}

/* SQLExecDirect converts the same way as SQLExecute. */
Test(ptypes, exec_direct_refuses_text_bound_as_integer)
{
	SQLLEN nts = SQL_NTS;
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_INTEGER, 3, 0,
			     (SQLPOINTER)"abc", 4, &nts), st);
	cr_assert_eq(SQLExecDirect(st, (SQLCHAR *)"INSERT INTO t (x) VALUES (?)", SQL_NTS),
		     SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "22018", "%s", diag(SQL_HANDLE_STMT, st));
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM t"), 0);
}

/* PHP's PDO_ODBC sends false as '' (SQL_C_CHAR, data at execution) with
 * the SQL type SQLDescribeParam gave; as SQL_BIT a BOOLEAN column gets the
 * INTEGER 0, never the text (which aborts a dqlite node when read back),
 * and the row reads back while the node keeps answering. */
Test(ptypes, php_false_as_empty_text_reaches_a_boolean_column_as_0)
{
	SQLLEN dae = SQL_LEN_DATA_AT_EXEC(0);
	SQLPOINTER token = NULL;
	unsigned char flag = 9;
	SQLLEN ind = 0;
	char type[16] = "";

	OKS(SQLPrepare(st, (SQLCHAR *)"INSERT INTO b (id, flag) VALUES (1, ?)", SQL_NTS), st);
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_BIT, 1, 0,
			     (SQLPOINTER)(uintptr_t)1, 0, &dae), st);
	cr_assert_eq(SQLExecute(st), SQL_NEED_DATA, "%s", diag(SQL_HANDLE_STMT, st));
	cr_assert_eq(SQLParamData(st, &token), SQL_NEED_DATA);
	OKS(SQLPutData(st, "", 0), st);
	OKS(SQLParamData(st, &token), st);
	OKS(SQLFreeStmt(st, SQL_RESET_PARAMS), st);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT typeof(flag), flag FROM b", SQL_NTS), st);
	OKS(SQLFetch(st), st);
	OKS(SQLGetData(st, 1, SQL_C_CHAR, type, sizeof type, &ind), st);
	OKS(SQLGetData(st, 2, SQL_C_BIT, &flag, 0, &ind), st);
	cr_assert_str_eq(type, "integer");
	cr_assert_eq(flag, 0);
	OKS(SQLCloseCursor(st), st);
	cr_assert_eq(query_int(dbc, "SELECT 40 + 2"), 42, "the node still answers");
}

/* Text that is not 0/1 never reaches a BOOLEAN column bound as SQL_BIT. */
Test(ptypes, text_bound_as_bit_is_refused_before_a_boolean_column_sees_it)
{
	SQLLEN nts = SQL_NTS;
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_BIT, 5, 0,
			     (SQLPOINTER)"false", 6, &nts), st);
	cr_assert_eq(SQLExecDirect(st, (SQLCHAR *)"INSERT INTO b (id, flag) VALUES (2, ?)",
				   SQL_NTS), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "22018", "%s", diag(SQL_HANDLE_STMT, st));
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM b"), 0);
}

/* SQL_C_GUID goes in as its text and comes back from it, from a 16-byte
 * BLOB (RFC 4122 byte order), and refuses other cells. */
Test(ptypes, guid_round_trips_and_reads_from_text_and_16_byte_blob)
{
	SQLGUID back;
	SQLLEN ind = 0;
	char text[64] = "";

	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_GUID, SQL_GUID, 36, 0,
			     (SQLPOINTER)&guid, 0, NULL), st);
	OKS(SQLExecDirect(st, (SQLCHAR *)"INSERT INTO t (x) VALUES (?)", SQL_NTS), st);
	OKS(SQLFreeStmt(st, SQL_RESET_PARAMS), st);
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT x, x, x'6F9619FF8B86D011B42D00C04FC964FF', "
			  "'not a guid', 7 FROM t", SQL_NTS), st);
	OKS(SQLFetch(st), st);
	memset(&back, 0, sizeof back);
	OKS(SQLGetData(st, 1, SQL_C_GUID, &back, sizeof back, &ind), st);
	cr_assert_eq(ind, (SQLLEN)sizeof back);
	cr_assert(memcmp(&back, &guid, sizeof back) == 0, "the GUID read back differs");
	OKS(SQLGetData(st, 2, SQL_C_CHAR, text, sizeof text, &ind), st);
	cr_assert_str_eq(text, GUID_TEXT);
	memset(&back, 0, sizeof back);
	OKS(SQLGetData(st, 3, SQL_C_GUID, &back, sizeof back, &ind), st);
	cr_assert(memcmp(&back, &guid, sizeof back) == 0, "the GUID from the blob differs");
	cr_assert_eq(SQLGetData(st, 4, SQL_C_GUID, &back, sizeof back, &ind), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "22018", "%s", diag(SQL_HANDLE_STMT, st));
	cr_assert_eq(SQLGetData(st, 5, SQL_C_GUID, &back, sizeof back, &ind), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "07006", "%s", diag(SQL_HANDLE_STMT, st));
}

/* Data at execution converts once the value is complete: a fixed-size C
 * value given through SQLPutData is refused at SQLParamData like a bound
 * one, and nothing is stored. */
Test(ptypes, data_at_execution_converts_when_complete)
{
	SQLLEN dae = SQL_DATA_AT_EXEC;
	SQLPOINTER token = NULL;
	SQLINTEGER two = 2;

	OKS(SQLPrepare(st, (SQLCHAR *)"INSERT INTO t (x) VALUES (?)", SQL_NTS), st);
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_BIT, 0, 0,
			     (SQLPOINTER)(uintptr_t)1, 0, &dae), st);
	cr_assert_eq(SQLExecute(st), SQL_NEED_DATA, "%s", diag(SQL_HANDLE_STMT, st));
	cr_assert_eq(SQLParamData(st, &token), SQL_NEED_DATA);
	OKS(SQLPutData(st, &two, sizeof two), st);
	cr_assert_eq(SQLParamData(st, &token), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "22003", "%s", diag(SQL_HANDLE_STMT, st));
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM t"), 0);
}

/* SQL_C_DEFAULT for SQL_GUID is SQL_C_GUID (ODBC's default C type). */
Test(ptypes, default_c_type_of_sql_guid_is_sql_c_guid)
{
	char text[64] = "";
	SQLLEN ind = 0;
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_DEFAULT, SQL_GUID, 36, 0,
			     (SQLPOINTER)&guid, 0, NULL), st);
	OKS(SQLExecDirect(st, (SQLCHAR *)"INSERT INTO t (x) VALUES (?)", SQL_NTS), st);
	OKS(SQLFreeStmt(st, SQL_RESET_PARAMS), st);
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT x FROM t", SQL_NTS), st);
	OKS(SQLFetch(st), st);
	OKS(SQLGetData(st, 1, SQL_C_CHAR, text, sizeof text, &ind), st);
	cr_assert_str_eq(text, GUID_TEXT);
}
