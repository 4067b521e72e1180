/*
 * The conversion matrix (issue 11), through unixODBC's driver manager
 * against a real node, one static table per direction, each row one cell:
 *
 *   results:    a value of each wire type the server sends (INTEGER, FLOAT,
 *               TEXT, BLOB, NULL, BOOLEAN of a BOOLEAN column, ISO8601 of a
 *               DATE / DATETIME / TIMESTAMP column, UNIXTIME of an integer
 *               in a DATETIME column) read by SQLGetData into each C type,
 *               with the outcome of ODBC's "Converting Data from SQL to C
 *               Data Types" tables (the column's reported SQL type picks
 *               the table: docs/types.md) -- return code, SQLSTATE, the
 *               bytes and the length/indicator;
 *   parameters: each C type bound as each SQL type family, inserted into
 *               an untyped column and read back with typeof() and quote()
 *               (so no affinity hides what was sent), or refused with the
 *               SQLSTATE of "Converting Data from C to SQL Data Types".
 *
 * Where docs/types.md documents a deliberate choice (integers and REALs
 * as dates, a BLOB of 16 bytes as a GUID, odd hex digits refused), the row
 * says so. Each loop names the failing cell and prints the cells checked.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "odbc_util.h"
#include <sqlucode.h>

static odbc_fixture fx;
static SQLHDBC dbc;
static SQLHSTMT st;

static void setup(void)
{
	odbc_fixture_up(&fx, "convmatrix");
	dbc = fx.dbc;
	st = fx.st;
	/* typed columns: dqlite sends BOOLEAN, ISO8601 and UNIXTIME values
	 * only for columns declared so */
	exec_ok(dbc, "CREATE TABLE typed (id INTEGER PRIMARY KEY, b BOOLEAN, d DATE, "
		     "dt DATETIME, ts TIMESTAMP)");
	exec_ok(dbc, "INSERT INTO typed VALUES (1, 1, '2024-02-29', "
		     "'2024-02-29 10:20:30', '2024-02-29 10:20:30.25')");
	exec_ok(dbc, "INSERT INTO typed VALUES (2, 0, NULL, 86400, NULL)");
	exec_ok(dbc, "CREATE TABLE p (x)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
}

static void teardown(void)
{
	odbc_fixture_down(&fx);
	cr_assert_eq(dqt_leak_check(), 0, "leaks (see the report above)");
}

TestSuite(convmatrix, .init = setup, .fini = teardown, .timeout = 300);

static const char *state_of(SQLHSTMT h)
{
	static char s5[6];
	SQLINTEGER native;
	SQLSMALLINT len;
	SQLCHAR msg[8];
	s5[0] = '\0';
	SQLGetDiagRec(SQL_HANDLE_STMT, h, 1, (SQLCHAR *)s5, &native, msg, sizeof msg, &len);
	return s5;
}

/* ================================================================ results */

/* The values, each one query returning one row and one column. */
typedef struct source {
	const char *name, *sql;
} source;

static const source sources[] = {
	/* INTEGER (reported SQL_BIGINT: the numeric table) */
	{"int 42", "SELECT 42"},
	{"int 1", "SELECT 1"},
	{"int -5", "SELECT -5"},
	{"int 300", "SELECT 300"},
	{"int 70000", "SELECT 70000"},
	{"int 5e9", "SELECT 5000000000"},
	{"int max", "SELECT 9223372036854775807"},
	{"int min", "SELECT -9223372036854775808"},
	/* FLOAT (SQL_DOUBLE: the numeric table) */
	{"real 2.5", "SELECT 2.5"},
	{"real -2.5", "SELECT -2.5"},
	{"real 0.5", "SELECT 0.5"},
	{"real 1.5", "SELECT 1.5"},
	{"real -0.0", "SELECT -0.0"},
	{"real inf", "SELECT 1e999"},
	{"real 1e300", "SELECT 1e300"},
	{"real 1e20", "SELECT 1e20"},
	{"real julian", "SELECT 2460369.5"}, /* 2024-02-29 00:00 UTC */
	/* TEXT (SQL_VARCHAR: the character table) */
	{"text 42", "SELECT '42'"},
	{"text abc", "SELECT 'abc'"},
	{"text ' 2.5 '", "SELECT ' 2.5 '"},
	{"text 0x10", "SELECT '0x10'"},
	{"text inf", "SELECT 'inf'"},
	{"text 1e400", "SELECT '1e400'"},
	{"text u64 max", "SELECT '18446744073709551615'"},
	{"text 23 digits", "SELECT '12345678901234567890123'"},
	{"text date", "SELECT '2024-02-29'"},
	{"text timestamp", "SELECT '2024-02-29 10:20:30.5'"},
	{"text sub-ns", "SELECT '2024-02-29 10:20:30.1234567891'"},
	{"text sub-ns 0", "SELECT '2024-02-29 10:20:30.1234567890'"},
	{"text time", "SELECT '10:20:30'"},
	{"text Feb 29 2023", "SELECT '2023-02-29'"},
	{"text hour 25", "SELECT '2024-01-01 25:00:00'"},
	{"text guid", "SELECT '6f9619ff-8b86-d011-b42d-00c04fc964ff'"},
	{"text non-BMP", "SELECT 'é😀'"},
	/* BLOB (SQL_VARBINARY: the binary table) */
	{"blob 00AB", "SELECT X'00AB'"},
	{"blob 16", "SELECT X'6F9619FF8B86D011B42D00C04FC964FF'"},
	/* NULL */
	{"null", "SELECT NULL"},
	/* BOOLEAN (a BOOLEAN column: SQL_BIT, the bit table) */
	{"bool true", "SELECT b FROM typed WHERE id = 1"},
	{"bool false", "SELECT b FROM typed WHERE id = 2"},
	/* ISO8601 (DATE / DATETIME / TIMESTAMP columns: the date and
	 * timestamp tables) */
	{"iso date", "SELECT d FROM typed WHERE id = 1"},
	{"iso timestamp", "SELECT dt FROM typed WHERE id = 1"},
	{"iso fraction", "SELECT ts FROM typed WHERE id = 1"},
	/* UNIXTIME (an integer in a DATETIME column: SQL_TYPE_TIMESTAMP) */
	{"unixtime", "SELECT dt FROM typed WHERE id = 2"},
};

/* One cell: the source, the C type, the buffer length (0: 64 bytes), the
 * return code, the SQLSTATE ("" for none), the bytes expected (NULL: not
 * compared) and their length, and the length/indicator (0: the bytes'
 * length; for SQL_C_WCHAR the bytes are given as UTF-8 and the indicator
 * defaults to their UTF-16 length). */
typedef struct rcell {
	const char *src;
	SQLSMALLINT ctype;
	SQLLEN buflen;
	SQLRETURN rc;
	const char *state;
	const void *want;
	SQLLEN wantlen, ind;
} rcell;

#define S(str) (str), (SQLLEN)(sizeof(str) - 1)
#define SC(x) &(SQLSCHAR){x}, 1
#define UC(x) &(SQLCHAR){x}, 1
#define SS(x) &(SQLSMALLINT){x}, 2
#define US(x) &(SQLUSMALLINT){x}, 2
#define SL(x) &(SQLINTEGER){x}, 4
#define UL(x) &(SQLUINTEGER){x}, 4
#define SB(x) &(SQLBIGINT){x}, 8
#define UB(x) &(SQLUBIGINT){x}, 8
#define FL(x) &(SQLREAL){x}, 4
#define DB(x) &(SQLDOUBLE){x}, 8
#define NUM(sign, ...) &(SQL_NUMERIC_STRUCT){38, 0, sign, {__VA_ARGS__}}, \
	(SQLLEN)sizeof(SQL_NUMERIC_STRUCT)
#define DT(y, m, d) &(SQL_DATE_STRUCT){y, m, d}, (SQLLEN)sizeof(SQL_DATE_STRUCT)
#define TM(h, m, s) &(SQL_TIME_STRUCT){h, m, s}, (SQLLEN)sizeof(SQL_TIME_STRUCT)
#define TS(y, mo, d, h, mi, s, f) &(SQL_TIMESTAMP_STRUCT){y, mo, d, h, mi, s, f}, \
	(SQLLEN)sizeof(SQL_TIMESTAMP_STRUCT)
#define GUID0 &(SQLGUID){0x6f9619ff, 0x8b86, 0xd011, \
	{0xb4, 0x2d, 0x00, 0xc0, 0x4f, 0xc9, 0x64, 0xff}}, (SQLLEN)sizeof(SQLGUID)
#define BYTES(...) (const unsigned char[]){__VA_ARGS__}, \
	(SQLLEN)sizeof((const unsigned char[]){__VA_ARGS__})

#define OK(v) SQL_SUCCESS, "", v, 0
#define OKI(v, ind) SQL_SUCCESS, "", v, ind
#define W(st, v) SQL_SUCCESS_WITH_INFO, st, v, 0
#define WI(st, v, ind) SQL_SUCCESS_WITH_INFO, st, v, ind
#define E(st) SQL_ERROR, st, NULL, 0, 0
#define NUL SQL_SUCCESS, "", NULL, 0, SQL_NULL_DATA
#define ANY SQL_SUCCESS, "", NULL, 0, 0 /* success, value checked elsewhere */

/* integer, approximate and exact numeric C types: the same outcome */
#define NUMERIC_ERR(src, st)                                                   \
	{src, SQL_C_BIT, 0, E(st)}, {src, SQL_C_STINYINT, 0, E(st)},            \
	{src, SQL_C_UTINYINT, 0, E(st)}, {src, SQL_C_SSHORT, 0, E(st)},         \
	{src, SQL_C_USHORT, 0, E(st)}, {src, SQL_C_SLONG, 0, E(st)},            \
	{src, SQL_C_ULONG, 0, E(st)}, {src, SQL_C_SBIGINT, 0, E(st)},           \
	{src, SQL_C_UBIGINT, 0, E(st)}, {src, SQL_C_FLOAT, 0, E(st)},           \
	{src, SQL_C_DOUBLE, 0, E(st)}, {src, SQL_C_NUMERIC, 0, E(st)}
#define DATETIME_ERR(src, st)                                                  \
	{src, SQL_C_TYPE_DATE, 0, E(st)}, {src, SQL_C_TYPE_TIME, 0, E(st)},     \
	{src, SQL_C_TYPE_TIMESTAMP, 0, E(st)}
/* SQLite has no interval type; the driver claims none (docs/types.md) */
#define INTERVALS(src)                                                         \
	{src, SQL_C_INTERVAL_DAY, 0, E("07006")},                               \
	{src, SQL_C_INTERVAL_YEAR_TO_MONTH, 0, E("07006")},                     \
	{src, SQL_C_INTERVAL_HOUR_TO_SECOND, 0, E("07006")}

static const rcell rcells[] = {
	/* ---- INTEGER 42 into every C type (SQL to C: Numeric) */
	{"int 42", SQL_C_CHAR, 0, OK(S("42"))},
	{"int 42", SQL_C_CHAR, 3, OK(S("42"))},
	{"int 42", SQL_C_CHAR, 2, E("22003")}, /* whole digits >= BufferLength */
	{"int 42", SQL_C_WCHAR, 0, OK(S("42"))},
	{"int 42", SQL_C_WCHAR, 4, E("22003")},
	{"int 42", SQL_C_BINARY, 0, OK(SB(42))},
	{"int 42", SQL_C_BINARY, 4, E("22003")}, /* length of data > BufferLength */
	{"int 42", SQL_C_BIT, 0, E("22003")},    /* >= 2 */
	{"int 42", SQL_C_STINYINT, 0, OK(SC(42))},
	{"int 42", SQL_C_UTINYINT, 0, OK(UC(42))},
	{"int 42", SQL_C_SSHORT, 0, OK(SS(42))},
	{"int 42", SQL_C_USHORT, 0, OK(US(42))},
	{"int 42", SQL_C_SLONG, 0, OK(SL(42))},
	{"int 42", SQL_C_ULONG, 0, OK(UL(42))},
	{"int 42", SQL_C_SBIGINT, 0, OK(SB(42))},
	{"int 42", SQL_C_UBIGINT, 0, OK(UB(42))},
	{"int 42", SQL_C_FLOAT, 0, OK(FL(42))},
	{"int 42", SQL_C_DOUBLE, 0, OK(DB(42))},
	{"int 42", SQL_C_NUMERIC, 0, OK(NUM(1, 42))},
	/* documented choice: an integer is Unix seconds as a date */
	{"int 42", SQL_C_TYPE_DATE, 0, W("01S07", DT(1970, 1, 1))},
	{"int 42", SQL_C_TYPE_TIME, 0, OK(TM(0, 0, 42))},
	{"int 42", SQL_C_TYPE_TIMESTAMP, 0, OK(TS(1970, 1, 1, 0, 0, 42, 0))},
	{"int 42", SQL_C_GUID, 0, E("07006")},
	{"int 42", SQL_C_DEFAULT, 0, OK(SB(42))},
	INTERVALS("int 42"),
	/* ---- INTEGER edges */
	{"int 1", SQL_C_BIT, 0, OK(UC(1))},
	{"int 1", SQL_C_CHAR, 1, E("22003")},
	{"int -5", SQL_C_STINYINT, 0, OK(SC(-5))},
	{"int -5", SQL_C_UTINYINT, 0, E("22003")},
	{"int -5", SQL_C_USHORT, 0, E("22003")},
	{"int -5", SQL_C_ULONG, 0, E("22003")},
	{"int -5", SQL_C_UBIGINT, 0, E("22003")},
	{"int -5", SQL_C_BIT, 0, E("22003")},
	{"int -5", SQL_C_NUMERIC, 0, OK(NUM(0, 5))},
	{"int -5", SQL_C_CHAR, 2, E("22003")}, /* the sign is a whole digit's */
	{"int -5", SQL_C_CHAR, 3, OK(S("-5"))},
	{"int 300", SQL_C_STINYINT, 0, E("22003")},
	{"int 300", SQL_C_UTINYINT, 0, E("22003")},
	{"int 300", SQL_C_SSHORT, 0, OK(SS(300))},
	{"int 300", SQL_C_CHAR, 3, E("22003")},
	{"int 70000", SQL_C_SSHORT, 0, E("22003")},
	{"int 70000", SQL_C_USHORT, 0, E("22003")},
	{"int 70000", SQL_C_SLONG, 0, OK(SL(70000))},
	{"int 5e9", SQL_C_SLONG, 0, E("22003")},
	{"int 5e9", SQL_C_ULONG, 0, E("22003")},
	{"int 5e9", SQL_C_SBIGINT, 0, OK(SB(5000000000LL))},
	{"int 5e9", SQL_C_DOUBLE, 0, OK(DB(5e9))},
	{"int max", SQL_C_SBIGINT, 0, OK(SB(INT64_MAX))},
	{"int max", SQL_C_UBIGINT, 0, OK(UB(INT64_MAX))},
	{"int max", SQL_C_SLONG, 0, E("22003")},
	{"int max", SQL_C_DOUBLE, 0, OK(DB(9223372036854775807.0))},
	{"int max", SQL_C_FLOAT, 0, OK(FL(9223372036854775807.0f))},
	{"int max", SQL_C_CHAR, 0, OK(S("9223372036854775807"))},
	{"int max", SQL_C_NUMERIC, 0, OK(NUM(1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f))},
	{"int min", SQL_C_SBIGINT, 0, OK(SB(INT64_MIN))},
	{"int min", SQL_C_UBIGINT, 0, E("22003")},
	{"int min", SQL_C_STINYINT, 0, E("22003")},
	{"int min", SQL_C_CHAR, 0, OK(S("-9223372036854775808"))},
	{"int min", SQL_C_NUMERIC, 0, OK(NUM(0, 0, 0, 0, 0, 0, 0, 0, 0x80))},
	/* ---- FLOAT 2.5 into every C type (SQL to C: Numeric) */
	{"real 2.5", SQL_C_CHAR, 0, OK(S("2.5"))},
	{"real 2.5", SQL_C_CHAR, 3, WI("01004", S("2."), 3)}, /* fraction cut */
	{"real 2.5", SQL_C_CHAR, 1, E("22003")},
	{"real 2.5", SQL_C_WCHAR, 0, OK(S("2.5"))},
	{"real 2.5", SQL_C_WCHAR, 6, WI("01004", S("2."), 6)},
	{"real 2.5", SQL_C_BINARY, 0, OK(DB(2.5))},
	{"real 2.5", SQL_C_BINARY, 7, E("22003")},
	{"real 2.5", SQL_C_BIT, 0, E("22003")},
	{"real 2.5", SQL_C_STINYINT, 0, W("01S07", SC(2))},
	{"real 2.5", SQL_C_UTINYINT, 0, W("01S07", UC(2))},
	{"real 2.5", SQL_C_SSHORT, 0, W("01S07", SS(2))},
	{"real 2.5", SQL_C_USHORT, 0, W("01S07", US(2))},
	{"real 2.5", SQL_C_SLONG, 0, W("01S07", SL(2))},
	{"real 2.5", SQL_C_ULONG, 0, W("01S07", UL(2))},
	{"real 2.5", SQL_C_SBIGINT, 0, W("01S07", SB(2))},
	{"real 2.5", SQL_C_UBIGINT, 0, W("01S07", UB(2))},
	{"real 2.5", SQL_C_FLOAT, 0, OK(FL(2.5f))},
	{"real 2.5", SQL_C_DOUBLE, 0, OK(DB(2.5))},
	{"real 2.5", SQL_C_NUMERIC, 0, W("01S07", NUM(1, 2))},
	/* documented choice: a REAL is a Julian day number as a date */
	{"real 2.5", SQL_C_TYPE_DATE, 0, OK(DT(-4713, 11, 27))},
	{"real 2.5", SQL_C_TYPE_TIME, 0, OK(TM(0, 0, 0))},
	{"real 2.5", SQL_C_TYPE_TIMESTAMP, 0, OK(TS(-4713, 11, 27, 0, 0, 0, 0))},
	{"real 2.5", SQL_C_GUID, 0, E("07006")},
	{"real 2.5", SQL_C_DEFAULT, 0, OK(DB(2.5))},
	INTERVALS("real 2.5"),
	/* ---- FLOAT edges */
	{"real -2.5", SQL_C_SLONG, 0, W("01S07", SL(-2))},
	{"real -2.5", SQL_C_ULONG, 0, E("22003")},
	{"real -2.5", SQL_C_BIT, 0, E("22003")},
	{"real -2.5", SQL_C_NUMERIC, 0, W("01S07", NUM(0, 2))},
	{"real -2.5", SQL_C_CHAR, 0, OK(S("-2.5"))},
	{"real 0.5", SQL_C_BIT, 0, W("01S07", UC(0))}, /* 0 < x < 2, not 1 */
	{"real 0.5", SQL_C_SLONG, 0, W("01S07", SL(0))},
	{"real 1.5", SQL_C_BIT, 0, W("01S07", UC(1))},
	{"real -0.0", SQL_C_CHAR, 0, OK(S("0"))}, /* signed only below 0 */
	{"real -0.0", SQL_C_SLONG, 0, OK(SL(0))},
	{"real inf", SQL_C_CHAR, 0, OK(S("Inf"))},
	{"real inf", SQL_C_CHAR, 3, E("22003")},
	{"real inf", SQL_C_DOUBLE, 0, OK(DB(INFINITY))},
	{"real inf", SQL_C_SLONG, 0, E("22003")},
	{"real inf", SQL_C_BIT, 0, E("22003")},
	{"real inf", SQL_C_NUMERIC, 0, E("22003")},
	{"real inf", SQL_C_TYPE_TIMESTAMP, 0, E("22007")},
	{"real 1e300", SQL_C_FLOAT, 0, E("22003")},
	{"real 1e300", SQL_C_DOUBLE, 0, OK(DB(1e300))},
	{"real 1e300", SQL_C_SBIGINT, 0, E("22003")},
	{"real 1e300", SQL_C_NUMERIC, 0, E("22003")}, /* beyond 38 digits */
	{"real 1e300", SQL_C_CHAR, 0, OK(S("1e+300"))},
	{"real 1e300", SQL_C_CHAR, 6, E("22003")}, /* an exponent must fit */
	{"real 1e20", SQL_C_UBIGINT, 0, E("22003")},
	{"real 1e20", SQL_C_NUMERIC, 0,
	 OK(NUM(1, 0x00, 0x00, 0x10, 0x63, 0x2d, 0x5e, 0xc7, 0x6b, 0x05))},
	{"real julian", SQL_C_TYPE_DATE, 0, OK(DT(2024, 2, 29))},
	/* ---- TEXT '42' into every C type (SQL to C: Character) */
	{"text 42", SQL_C_CHAR, 0, OK(S("42"))},
	{"text 42", SQL_C_CHAR, 2, WI("01004", S("4"), 2)}, /* character data */
	{"text 42", SQL_C_WCHAR, 0, OK(S("42"))},
	{"text 42", SQL_C_BINARY, 0, OK(S("42"))},
	{"text 42", SQL_C_BINARY, 1, WI("01004", S("4"), 2)},
	{"text 42", SQL_C_BIT, 0, E("22003")},
	{"text 42", SQL_C_STINYINT, 0, OK(SC(42))},
	{"text 42", SQL_C_UTINYINT, 0, OK(UC(42))},
	{"text 42", SQL_C_SSHORT, 0, OK(SS(42))},
	{"text 42", SQL_C_USHORT, 0, OK(US(42))},
	{"text 42", SQL_C_SLONG, 0, OK(SL(42))},
	{"text 42", SQL_C_ULONG, 0, OK(UL(42))},
	{"text 42", SQL_C_SBIGINT, 0, OK(SB(42))},
	{"text 42", SQL_C_UBIGINT, 0, OK(UB(42))},
	{"text 42", SQL_C_FLOAT, 0, OK(FL(42))},
	{"text 42", SQL_C_DOUBLE, 0, OK(DB(42))},
	{"text 42", SQL_C_NUMERIC, 0, OK(NUM(1, 42))},
	DATETIME_ERR("text 42", "22018"),
	{"text 42", SQL_C_GUID, 0, E("22018")},
	{"text 42", SQL_C_DEFAULT, 0, OK(S("42"))},
	/* ODBC's character table has interval rows; the driver has none */
	INTERVALS("text 42"),
	/* ---- TEXT 'abc' into every C type */
	{"text abc", SQL_C_CHAR, 0, OK(S("abc"))},
	{"text abc", SQL_C_WCHAR, 0, OK(S("abc"))},
	{"text abc", SQL_C_BINARY, 0, OK(S("abc"))},
	NUMERIC_ERR("text abc", "22018"),
	DATETIME_ERR("text abc", "22018"),
	{"text abc", SQL_C_GUID, 0, E("22018")},
	{"text abc", SQL_C_DEFAULT, 0, OK(S("abc"))},
	INTERVALS("text abc"),
	/* ---- TEXT edges */
	{"text ' 2.5 '", SQL_C_SLONG, 0, W("01S07", SL(2))}, /* spaces ignored */
	{"text ' 2.5 '", SQL_C_DOUBLE, 0, OK(DB(2.5))},
	{"text ' 2.5 '", SQL_C_BIT, 0, E("22003")},
	{"text ' 2.5 '", SQL_C_NUMERIC, 0, W("01S07", NUM(1, 2))},
	{"text ' 2.5 '", SQL_C_CHAR, 0, OK(S(" 2.5 "))},
	{"text 0x10", SQL_C_SLONG, 0, E("22018")}, /* no numeric-literal */
	{"text 0x10", SQL_C_DOUBLE, 0, E("22018")},
	{"text inf", SQL_C_DOUBLE, 0, E("22018")},
	{"text inf", SQL_C_FLOAT, 0, E("22018")},
	{"text 1e400", SQL_C_DOUBLE, 0, E("22003")},
	{"text 1e400", SQL_C_FLOAT, 0, E("22003")},
	{"text 1e400", SQL_C_SLONG, 0, E("22003")},
	{"text u64 max", SQL_C_UBIGINT, 0, OK(UB(UINT64_MAX))},
	{"text u64 max", SQL_C_SBIGINT, 0, E("22003")},
	{"text u64 max", SQL_C_DOUBLE, 0, OK(DB(18446744073709551615.0))},
	{"text u64 max", SQL_C_NUMERIC, 0,
	 OK(NUM(1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))},
	{"text 23 digits", SQL_C_NUMERIC, 0,
	 OK(NUM(1, 0xcb, 0x44, 0x42, 0x71, 0x76, 0x4e, 0xb6, 0x42, 0x9d, 0x02))},
	{"text 23 digits", SQL_C_SBIGINT, 0, E("22003")},
	{"text date", SQL_C_TYPE_DATE, 0, OK(DT(2024, 2, 29))},
	{"text date", SQL_C_TYPE_TIME, 0, E("22018")}, /* no time-value */
	{"text date", SQL_C_TYPE_TIMESTAMP, 0, OK(TS(2024, 2, 29, 0, 0, 0, 0))},
	{"text date", SQL_C_SLONG, 0, E("22018")},
	{"text timestamp", SQL_C_TYPE_DATE, 0, W("01S07", DT(2024, 2, 29))},
	{"text timestamp", SQL_C_TYPE_TIME, 0, W("01S07", TM(10, 20, 30))},
	{"text timestamp", SQL_C_TYPE_TIMESTAMP, 0,
	 OK(TS(2024, 2, 29, 10, 20, 30, 500000000))},
	{"text time", SQL_C_TYPE_DATE, 0, E("22018")}, /* no date-value */
	{"text time", SQL_C_TYPE_TIME, 0, OK(TM(10, 20, 30))},
	{"text time", SQL_C_TYPE_TIMESTAMP, 0, ANY}, /* today: checked below */
	{"text Feb 29 2023", SQL_C_TYPE_DATE, 0, E("22007")}, /* no such date */
	{"text Feb 29 2023", SQL_C_TYPE_TIMESTAMP, 0, E("22007")},
	{"text hour 25", SQL_C_TYPE_TIMESTAMP, 0, E("22007")},
	{"text hour 25", SQL_C_TYPE_TIME, 0, E("22007")},
	{"text guid", SQL_C_GUID, 0, OK(GUID0)},
	{"text guid", SQL_C_CHAR, 0, OK(S("6f9619ff-8b86-d011-b42d-00c04fc964ff"))},
	{"text non-BMP", SQL_C_CHAR, 0, OK(S("é😀"))},
	/* bytes, as ODBC's character table counts them: a character may be
	 * cut, and the next SQLGetData goes on from that byte */
	{"text non-BMP", SQL_C_CHAR, 4, WI("01004", S("é\xF0"), 6)},
	{"text non-BMP", SQL_C_WCHAR, 0, OKI(S("é😀"), 6)}, /* a surrogate pair */
	{"text non-BMP", SQL_C_WCHAR, 4, WI("01004", S("é"), 6)},
	{"text non-BMP", SQL_C_BINARY, 0, OK(S("é😀"))},
	/* ---- BLOB into every C type (SQL to C: Binary) */
	{"blob 00AB", SQL_C_CHAR, 0, OK(S("00AB"))},
	{"blob 00AB", SQL_C_CHAR, 4, WI("01004", S("00A"), 4)},
	{"blob 00AB", SQL_C_WCHAR, 0, OK(S("00AB"))},
	{"blob 00AB", SQL_C_BINARY, 0, OK(BYTES(0x00, 0xab))},
	{"blob 00AB", SQL_C_BINARY, 1, WI("01004", BYTES(0x00), 2)},
	NUMERIC_ERR("blob 00AB", "07006"),
	DATETIME_ERR("blob 00AB", "07006"),
	{"blob 00AB", SQL_C_GUID, 0, E("07006")},
	{"blob 00AB", SQL_C_DEFAULT, 0, OK(BYTES(0x00, 0xab))},
	INTERVALS("blob 00AB"),
	/* documented choice: 16 bytes in RFC 4122 order (uuid_blob()) */
	{"blob 16", SQL_C_GUID, 0, OK(GUID0)},
	/* ---- NULL into every C type */
	{"null", SQL_C_CHAR, 0, NUL}, {"null", SQL_C_WCHAR, 0, NUL},
	{"null", SQL_C_BINARY, 0, NUL}, {"null", SQL_C_BIT, 0, NUL},
	{"null", SQL_C_STINYINT, 0, NUL}, {"null", SQL_C_UTINYINT, 0, NUL},
	{"null", SQL_C_SSHORT, 0, NUL}, {"null", SQL_C_USHORT, 0, NUL},
	{"null", SQL_C_SLONG, 0, NUL}, {"null", SQL_C_ULONG, 0, NUL},
	{"null", SQL_C_SBIGINT, 0, NUL}, {"null", SQL_C_UBIGINT, 0, NUL},
	{"null", SQL_C_FLOAT, 0, NUL}, {"null", SQL_C_DOUBLE, 0, NUL},
	{"null", SQL_C_NUMERIC, 0, NUL}, {"null", SQL_C_TYPE_DATE, 0, NUL},
	{"null", SQL_C_TYPE_TIME, 0, NUL}, {"null", SQL_C_TYPE_TIMESTAMP, 0, NUL},
	{"null", SQL_C_GUID, 0, NUL}, {"null", SQL_C_DEFAULT, 0, NUL},
	{"null", SQL_C_INTERVAL_DAY, 0, NUL},
	/* ---- BOOLEAN true into every C type (SQL to C: Bit) */
	{"bool true", SQL_C_CHAR, 0, OK(S("1"))},
	{"bool true", SQL_C_CHAR, 1, E("22003")}, /* BufferLength <= 1 */
	{"bool true", SQL_C_WCHAR, 0, OK(S("1"))},
	{"bool true", SQL_C_BINARY, 0, OK(UC(1))}, /* one byte */
	{"bool true", SQL_C_BINARY, 0 + 1, OK(UC(1))},
	{"bool true", SQL_C_BIT, 0, OK(UC(1))},
	{"bool true", SQL_C_STINYINT, 0, OK(SC(1))},
	{"bool true", SQL_C_UTINYINT, 0, OK(UC(1))},
	{"bool true", SQL_C_SSHORT, 0, OK(SS(1))},
	{"bool true", SQL_C_USHORT, 0, OK(US(1))},
	{"bool true", SQL_C_SLONG, 0, OK(SL(1))},
	{"bool true", SQL_C_ULONG, 0, OK(UL(1))},
	{"bool true", SQL_C_SBIGINT, 0, OK(SB(1))},
	{"bool true", SQL_C_UBIGINT, 0, OK(UB(1))},
	{"bool true", SQL_C_FLOAT, 0, OK(FL(1))},
	{"bool true", SQL_C_DOUBLE, 0, OK(DB(1))},
	{"bool true", SQL_C_NUMERIC, 0, OK(NUM(1, 1))},
	DATETIME_ERR("bool true", "07006"),
	{"bool true", SQL_C_GUID, 0, E("07006")},
	{"bool true", SQL_C_DEFAULT, 0, OK(UC(1))},
	INTERVALS("bool true"),
	{"bool false", SQL_C_BIT, 0, OK(UC(0))},
	{"bool false", SQL_C_CHAR, 0, OK(S("0"))},
	{"bool false", SQL_C_SLONG, 0, OK(SL(0))},
	/* ---- ISO8601 timestamp into every C type (SQL to C: Timestamp) */
	{"iso timestamp", SQL_C_CHAR, 0, OK(S("2024-02-29 10:20:30"))},
	{"iso timestamp", SQL_C_CHAR, 20, OK(S("2024-02-29 10:20:30"))},
	{"iso timestamp", SQL_C_CHAR, 19, E("22003")}, /* BufferLength < 20 */
	{"iso timestamp", SQL_C_WCHAR, 0, OK(S("2024-02-29 10:20:30"))},
	{"iso timestamp", SQL_C_WCHAR, 38, E("22003")},
	{"iso timestamp", SQL_C_BINARY, 0, OK(S("2024-02-29 10:20:30"))},
	{"iso timestamp", SQL_C_BINARY, 10, E("22003")}, /* whole or 22003 */
	NUMERIC_ERR("iso timestamp", "07006"),
	{"iso timestamp", SQL_C_TYPE_DATE, 0, W("01S07", DT(2024, 2, 29))},
	{"iso timestamp", SQL_C_TYPE_TIME, 0, OK(TM(10, 20, 30))},
	{"iso timestamp", SQL_C_TYPE_TIMESTAMP, 0, OK(TS(2024, 2, 29, 10, 20, 30, 0))},
	{"iso timestamp", SQL_C_GUID, 0, E("07006")},
	{"iso timestamp", SQL_C_DEFAULT, 0, OK(TS(2024, 2, 29, 10, 20, 30, 0))},
	INTERVALS("iso timestamp"),
	/* ---- ISO8601 date (SQL to C: Date) and with a fraction */
	{"iso date", SQL_C_CHAR, 0, OK(S("2024-02-29"))},
	{"iso date", SQL_C_CHAR, 10, E("22003")}, /* BufferLength < 11 */
	{"iso date", SQL_C_TYPE_DATE, 0, OK(DT(2024, 2, 29))},
	{"iso date", SQL_C_TYPE_TIMESTAMP, 0, OK(TS(2024, 2, 29, 0, 0, 0, 0))},
	{"iso date", SQL_C_TYPE_TIME, 0, E("07006")}, /* not in the date table */
	{"iso date", SQL_C_SLONG, 0, E("07006")},
	{"iso fraction", SQL_C_CHAR, 20, WI("01004", S("2024-02-29 10:20:30"), 22)},
	{"iso fraction", SQL_C_TYPE_TIME, 0, W("01S07", TM(10, 20, 30))},
	{"iso fraction", SQL_C_TYPE_TIMESTAMP, 0,
	 OK(TS(2024, 2, 29, 10, 20, 30, 250000000))},
	/* a fraction finer than the struct's nanoseconds: cut with 01S07
	 * (the character table's "fractional seconds portion truncated");
	 * trailing zeros cut nothing */
	{"text sub-ns", SQL_C_TYPE_TIMESTAMP, 0,
	 W("01S07", TS(2024, 2, 29, 10, 20, 30, 123456789))},
	{"text sub-ns", SQL_C_TYPE_TIME, 0, W("01S07", TM(10, 20, 30))},
	{"text sub-ns", SQL_C_TYPE_DATE, 0, W("01S07", DT(2024, 2, 29))},
	{"text sub-ns 0", SQL_C_TYPE_TIMESTAMP, 0,
	 OK(TS(2024, 2, 29, 10, 20, 30, 123456789))},
	/* ---- UNIXTIME into every C type (SQL to C: Timestamp) */
	{"unixtime", SQL_C_CHAR, 0, OK(S("1970-01-02 00:00:00"))},
	{"unixtime", SQL_C_CHAR, 19, E("22003")},
	{"unixtime", SQL_C_WCHAR, 0, OK(S("1970-01-02 00:00:00"))},
	{"unixtime", SQL_C_BINARY, 0, OK(SB(86400))},
	/* documented choice: the integer an application stored in a
	 * DATETIME column reads back as that number (Unix seconds) */
	{"unixtime", SQL_C_BIT, 0, E("22003")},
	{"unixtime", SQL_C_STINYINT, 0, E("22003")},
	{"unixtime", SQL_C_USHORT, 0, E("22003")},
	{"unixtime", SQL_C_SLONG, 0, OK(SL(86400))},
	{"unixtime", SQL_C_ULONG, 0, OK(UL(86400))},
	{"unixtime", SQL_C_SBIGINT, 0, OK(SB(86400))},
	{"unixtime", SQL_C_UBIGINT, 0, OK(UB(86400))},
	{"unixtime", SQL_C_DOUBLE, 0, OK(DB(86400))},
	{"unixtime", SQL_C_NUMERIC, 0, OK(NUM(1, 0x80, 0x51, 0x01))},
	{"unixtime", SQL_C_TYPE_DATE, 0, OK(DT(1970, 1, 2))},
	{"unixtime", SQL_C_TYPE_TIME, 0, OK(TM(0, 0, 0))},
	{"unixtime", SQL_C_TYPE_TIMESTAMP, 0, OK(TS(1970, 1, 2, 0, 0, 0, 0))},
	{"unixtime", SQL_C_GUID, 0, E("07006")},
	{"unixtime", SQL_C_DEFAULT, 0, OK(TS(1970, 1, 2, 0, 0, 0, 0))},
	INTERVALS("unixtime"),
};

static const char *source_sql(const char *name)
{
	for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
		if (strcmp(sources[i].name, name) == 0)
			return sources[i].sql;
	cr_assert_fail("no source named '%s'", name);
	return NULL;
}

/* UTF-16 units of UTF-8 text. */
static size_t utf16_units(const char *s, size_t n)
{
	size_t u = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch & 0xC0) != 0x80)
			u += ch >= 0xF0 ? 2 : 1;
	}
	return u;
}

/* A NUL-terminated SQLWCHAR string as UTF-8 into out (cap bytes). */
static void wide_to_utf8(const SQLWCHAR *w, char *out, size_t cap)
{
	size_t k = 0;
	for (; *w && k + 5 < cap; w++) {
		unsigned long cp = *w;
		if (cp >= 0xD800 && cp < 0xDC00 && w[1] >= 0xDC00 && w[1] < 0xE000) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (w[1] - 0xDC00);
			w++;
		}
		if (cp < 0x80) {
			out[k++] = (char)cp;
		} else if (cp < 0x800) {
			out[k++] = (char)(0xC0 | cp >> 6);
			out[k++] = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			out[k++] = (char)(0xE0 | cp >> 12);
			out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[k++] = (char)(0x80 | (cp & 0x3F));
		} else {
			out[k++] = (char)(0xF0 | cp >> 18);
			out[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
			out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[k++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	out[k] = '\0';
}

/* Runs one cell, by SQLGetData or (bound) by SQLBindCol and SQLFetch;
 * 1 when it holds (a failure is reported with its name). */
static int run_rcell(const rcell *c, int bound)
{
	unsigned char buf[256];
	SQLLEN ind = 12345, buflen = c->buflen ? c->buflen : 64, want_ind;
	SQLRETURN rc;
	int ok = 1;

	SQLFreeStmt(st, SQL_CLOSE);
	SQLFreeStmt(st, SQL_UNBIND);
	memset(buf, 0xEE, sizeof buf);
	OKS(SQLExecDirect(st, (SQLCHAR *)source_sql(c->src), SQL_NTS), st);
	if (bound) {
		OKS(SQLBindCol(st, 1, c->ctype, buf, buflen, &ind), st);
		rc = SQLFetch(st);
	} else {
		OKS(SQLFetch(st), st);
		rc = SQLGetData(st, 1, c->ctype, buf, buflen, &ind);
	}
	if (rc != c->rc) {
		cr_log_error("cell (%s, C type %d, %ld bytes, %s): rc %d, expected %d (%s)",
			     c->src, c->ctype, (long)buflen, bound ? "SQLFetch" : "SQLGetData",
			     rc, c->rc,
			     rc == SQL_SUCCESS ? "no diagnostic" : diag(SQL_HANDLE_STMT, st));
		return 0;
	}
	if (c->state[0] && strcmp(state_of(st), c->state) != 0) {
		cr_log_error("cell (%s, C type %d, %ld bytes): SQLSTATE %s, expected %s (%s)",
			     c->src, c->ctype, (long)buflen, state_of(st), c->state,
			     diag(SQL_HANDLE_STMT, st));
		return 0;
	}
	if (c->ind == SQL_NULL_DATA) {
		if (ind != SQL_NULL_DATA) {
			cr_log_error("cell (%s, C type %d): indicator %ld, expected "
				     "SQL_NULL_DATA", c->src, c->ctype, (long)ind);
			ok = 0;
		}
		return ok;
	}
	if (c->want == NULL)
		return 1;
	if (c->ctype == SQL_C_WCHAR) {
		char u8[256];
		wide_to_utf8((const SQLWCHAR *)buf, u8, sizeof u8);
		want_ind = c->ind ? c->ind
				  : (SQLLEN)(utf16_units(c->want, (size_t)c->wantlen) *
					     sizeof(SQLWCHAR));
		if (strlen(u8) != (size_t)c->wantlen || memcmp(u8, c->want, (size_t)c->wantlen)) {
			cr_log_error("cell (%s, SQL_C_WCHAR, %ld bytes): '%s', expected '%.*s'",
				     c->src, (long)buflen, u8, (int)c->wantlen,
				     (const char *)c->want);
			ok = 0;
		}
	} else {
		want_ind = c->ind ? c->ind : c->wantlen;
		if (memcmp(buf, c->want, (size_t)c->wantlen) != 0) {
			cr_log_error("cell (%s, C type %d, %ld bytes): the bytes differ "
				     "(first: %02x, expected %02x)", c->src, c->ctype,
				     (long)buflen, buf[0], ((const unsigned char *)c->want)[0]);
			ok = 0;
		}
		if (c->ctype == SQL_C_CHAR && buf[c->wantlen] != '\0') {
			cr_log_error("cell (%s, SQL_C_CHAR): no terminator after %ld bytes",
				     c->src, (long)c->wantlen);
			ok = 0;
		}
	}
	if (ind != want_ind) {
		cr_log_error("cell (%s, C type %d, %ld bytes): indicator %ld, expected %ld",
			     c->src, c->ctype, (long)buflen, (long)ind, (long)want_ind);
		ok = 0;
	}
	return ok;
}

Test(convmatrix, results_sql_to_c)
{
	size_t n = sizeof rcells / sizeof rcells[0], failed = 0;

	for (size_t i = 0; i < n; i++)
		failed += !run_rcell(&rcells[i], 0);
	printf("conversion matrix, results (SQL to C) by SQLGetData: %zu cells checked\n", n);
	cr_assert_eq(failed, 0, "%zu of %zu result cells failed (see above)", failed, n);
}

/* The same cells through a bound column: SQLFetch converts as SQLGetData
 * does (the row's return code is the cell's). */
Test(convmatrix, results_sql_to_c_bound)
{
	size_t n = sizeof rcells / sizeof rcells[0], failed = 0;

	for (size_t i = 0; i < n; i++)
		failed += !run_rcell(&rcells[i], 1);
	printf("conversion matrix, results (SQL to C) by SQLBindCol: %zu cells checked\n", n);
	cr_assert_eq(failed, 0, "%zu of %zu bound result cells failed (see above)", failed, n);
}

/* A time read as a timestamp takes today's date (UTC): checked apart from
 * the table, whose rows are static. */
Test(convmatrix, time_text_as_timestamp_is_today)
{
	SQL_TIMESTAMP_STRUCT ts;
	SQLLEN ind;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT '10:20:30'", SQL_NTS), st);
	OKS(SQLFetch(st), st);
	cr_assert_eq(SQLGetData(st, 1, SQL_C_TYPE_TIMESTAMP, &ts, 0, &ind), SQL_SUCCESS);
	cr_assert_eq(ts.year, tm.tm_year + 1900);
	cr_assert_eq(ts.hour, 10);
	cr_assert_eq(ts.minute, 20);
	cr_assert_eq(ts.second, 30);
}

/* NULL without an indicator is 22002, whatever the C type. */
Test(convmatrix, null_without_indicator_is_22002)
{
	SQLINTEGER v;
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT NULL", SQL_NTS), st);
	OKS(SQLFetch(st), st);
	cr_assert_eq(SQLGetData(st, 1, SQL_C_SLONG, &v, 0, NULL), SQL_ERROR);
	cr_assert_str_eq(state_of(st), "22002");
}

/* ============================================================= parameters */

/* SQL type families whose members behave alike: a row with a family is
 * one cell per member. */
#define F_CHAR 1001   /* CHAR, VARCHAR, LONGVARCHAR, WCHAR, WVARCHAR, WLONGVARCHAR */
#define F_INT 1002    /* TINYINT, SMALLINT, INTEGER, BIGINT */
#define F_APPROX 1003 /* REAL, FLOAT, DOUBLE */
#define F_DEC 1004    /* NUMERIC, DECIMAL */
#define F_BIN 1005    /* BINARY, VARBINARY, LONGVARBINARY */

static const SQLSMALLINT fam_char[] = {SQL_CHAR, SQL_VARCHAR, SQL_LONGVARCHAR,
				       SQL_WCHAR, SQL_WVARCHAR, SQL_WLONGVARCHAR, 0};
static const SQLSMALLINT fam_int[] = {SQL_TINYINT, SQL_SMALLINT, SQL_INTEGER,
				      SQL_BIGINT, 0};
static const SQLSMALLINT fam_approx[] = {SQL_REAL, SQL_FLOAT, SQL_DOUBLE, 0};
static const SQLSMALLINT fam_dec[] = {SQL_NUMERIC, SQL_DECIMAL, 0};
static const SQLSMALLINT fam_bin[] = {SQL_BINARY, SQL_VARBINARY, SQL_LONGVARBINARY, 0};

/* One row: the C type and value (len: bytes for SQL_C_CHAR / WCHAR (as
 * UTF-8, converted before binding) / BINARY; ignored for fixed types), the
 * SQL type or family, and either what is stored ("typeof quote"; a '*'
 * stands for any text) with the warning, or the SQLSTATE of the refusal. */
typedef struct pcell {
	SQLSMALLINT ctype;
	const void *val;
	SQLLEN len;
	SQLSMALLINT sqltype;
	const char *state;  /* NULL, "01S07", or the error */
	const char *stored; /* NULL for an error */
} pcell;

#define CS(s) SQL_C_CHAR, s, (SQLLEN)(sizeof(s) - 1)
#define WS(s) SQL_C_WCHAR, s, (SQLLEN)(sizeof(s) - 1)
#define BIN(...) SQL_C_BINARY, (const unsigned char[]){__VA_ARGS__}, \
	(SQLLEN)sizeof((const unsigned char[]){__VA_ARGS__})
#define BINV(type, ...) SQL_C_BINARY, &(type){__VA_ARGS__}, (SQLLEN)sizeof(type)
#define CV(ct, type, ...) ct, &(type){__VA_ARGS__}, 0
#define STORE(s) NULL, s
#define TRUNC(s) "01S07", s
#define REFUSE(st) st, NULL

#define DATE0 CV(SQL_C_TYPE_DATE, SQL_DATE_STRUCT, 2024, 2, 29)
#define TIME0 CV(SQL_C_TYPE_TIME, SQL_TIME_STRUCT, 10, 20, 30)
#define TS0 CV(SQL_C_TYPE_TIMESTAMP, SQL_TIMESTAMP_STRUCT, 2024, 2, 29, 10, 20, 30, 500000000)
#define TSMID CV(SQL_C_TYPE_TIMESTAMP, SQL_TIMESTAMP_STRUCT, 2024, 2, 29, 0, 0, 0, 0)
#define TSWHOLE CV(SQL_C_TYPE_TIMESTAMP, SQL_TIMESTAMP_STRUCT, 2024, 2, 29, 10, 20, 30, 0)
#define GUIDV CV(SQL_C_GUID, SQLGUID, 0x6f9619ff, 0x8b86, 0xd011, \
		 {0xb4, 0x2d, 0x00, 0xc0, 0x4f, 0xc9, 0x64, 0xff})
#define NUMV(prec, scale, sign, ...) \
	CV(SQL_C_NUMERIC, SQL_NUMERIC_STRUCT, prec, scale, sign, {__VA_ARGS__})

/* Non-character C types to the date/time, binary and GUID SQL types:
 * ODBC's tables have no such rows (07006). */
#define NOT_DATETIME_BIN_GUID(cv)                                      \
	{cv, F_BIN, REFUSE("07006")}, {cv, SQL_TYPE_DATE, REFUSE("07006")}, \
	{cv, SQL_TYPE_TIME, REFUSE("07006")},                               \
	{cv, SQL_TYPE_TIMESTAMP, REFUSE("07006")}, {cv, SQL_GUID, REFUSE("07006")}

static const pcell pcells[] = {
	/* ---- SQL_C_CHAR (C to SQL: Character) */
	{CS("hello"), F_CHAR, STORE("text 'hello'")},
	{CS("1"), SQL_BIT, STORE("integer 1")},
	{CS("0"), SQL_BIT, STORE("integer 0")},
	{CS("0.5"), SQL_BIT, REFUSE("22001")}, /* 0 < x < 2, not 1 */
	{CS("2"), SQL_BIT, REFUSE("22003")},
	{CS("abc"), SQL_BIT, REFUSE("22018")},
	{CS(" 42 "), F_INT, STORE("integer 42")}, /* blanks ignored */
	{CS("1e2"), F_INT, STORE("integer 100")},
	{CS("2.5"), SQL_INTEGER, REFUSE("22001")}, /* the table's fraction row */
	{CS("300"), SQL_TINYINT, REFUSE("22003")}, /* whole digits lost */
	{CS("70000"), SQL_SMALLINT, REFUSE("22003")},
	{CS("99999999999999999999"), SQL_BIGINT, REFUSE("22003")},
	{CS("abc"), F_INT, REFUSE("22018")},
	{CS("0x10"), SQL_INTEGER, REFUSE("22018")},
	{CS("2.5"), F_APPROX, STORE("real 2.5")},
	{CS("1e400"), SQL_DOUBLE, REFUSE("22003")},
	{CS("1e39"), SQL_REAL, REFUSE("22003")},
	{CS("inf"), SQL_DOUBLE, REFUSE("22018")},
	{CS("12.50"), F_DEC, STORE("text '12.50'")},
	{CS("x"), F_DEC, REFUSE("22018")},
	{CS("00ff7a"), F_BIN, STORE("blob X'00FF7A'")},
	{CS("0g"), F_BIN, REFUSE("22018")},
	{CS("abc"), F_BIN, REFUSE("22018")}, /* documented: an odd digit is refused */
	{CS("2024-02-29"), SQL_TYPE_DATE, STORE("text '2024-02-29'")},
	{CS("2024-02-29 00:00:00"), SQL_TYPE_DATE, STORE("text '2024-02-29'")},
	{CS("2024-02-29 10:00:00"), SQL_TYPE_DATE, REFUSE("22008")},
	{CS("2023-02-29"), SQL_TYPE_DATE, REFUSE("22018")},
	{CS("10:20:30"), SQL_TYPE_DATE, REFUSE("22018")},
	{CS("10:20:30"), SQL_TYPE_TIME, STORE("text '10:20:30'")},
	{CS("2024-02-29 10:20:30"), SQL_TYPE_TIME, STORE("text '10:20:30'")},
	{CS("2024-02-29 10:20:30.5"), SQL_TYPE_TIME, REFUSE("22008")},
	{CS("later"), SQL_TYPE_TIME, REFUSE("22018")},
	{CS("2024-02-29 10:20:30.5"), SQL_TYPE_TIMESTAMP,
	 STORE("text '2024-02-29 10:20:30.5'")},
	{CS("2024-02-29"), SQL_TYPE_TIMESTAMP, STORE("text '2024-02-29 00:00:00'")},
	{CS("10:20:30"), SQL_TYPE_TIMESTAMP, STORE("text '* 10:20:30'")}, /* today */
	{CS("2024-02-29 10:20:30.1234567891"), SQL_TYPE_TIMESTAMP, REFUSE("22008")},
	{CS("soon"), SQL_TYPE_TIMESTAMP, REFUSE("22018")},
	{CS("{6F9619FF-8B86-D011-B42D-00C04FC964FF}"), SQL_GUID,
	 STORE("text '6f9619ff-8b86-d011-b42d-00c04fc964ff'")},
	{CS("nope"), SQL_GUID, REFUSE("22018")},
	/* ---- SQL_C_WCHAR: UTF-16 to UTF-8, then as SQL_C_CHAR */
	{WS("héllo😀"), F_CHAR, STORE("text 'héllo😀'")},
	{WS("1"), SQL_BIT, STORE("integer 1")},
	{WS("42"), F_INT, STORE("integer 42")},
	{WS("x"), F_INT, REFUSE("22018")},
	{WS("2.5"), F_APPROX, STORE("real 2.5")},
	{WS("12.50"), F_DEC, STORE("text '12.50'")},
	{WS("00ff"), F_BIN, STORE("blob X'00FF'")},
	{WS("2024-02-29"), SQL_TYPE_DATE, STORE("text '2024-02-29'")},
	{WS("10:20:30"), SQL_TYPE_TIME, STORE("text '10:20:30'")},
	{WS("2024-02-29 10:20:30"), SQL_TYPE_TIMESTAMP, STORE("text '2024-02-29 10:20:30'")},
	{WS("6f9619ff-8b86-d011-b42d-00c04fc964ff"), SQL_GUID,
	 STORE("text '6f9619ff-8b86-d011-b42d-00c04fc964ff'")},
	/* ---- SQL_C_BINARY (C to SQL: Binary) */
	{BIN('a', 'b', 'c'), F_CHAR, STORE("text 'abc'")},
	{BIN('a', 0, 'c'), SQL_VARCHAR, REFUSE("22018")}, /* documented: no NUL in text */
	{BIN(1), SQL_BIT, STORE("integer 1")},
	{BIN(1, 2), SQL_BIT, REFUSE("22003")}, /* length <> the SQL type's */
	{BINV(SQLSCHAR, -5), SQL_TINYINT, STORE("integer -5")},
	{BINV(SQLSMALLINT, -300), SQL_SMALLINT, STORE("integer -300")},
	{BINV(SQLINTEGER, 70000), SQL_INTEGER, STORE("integer 70000")},
	{BINV(SQLBIGINT, 42), SQL_BIGINT, STORE("integer 42")},
	{BIN(1, 2, 3), SQL_INTEGER, REFUSE("22003")},
	{BINV(SQLREAL, 2.5f), SQL_REAL, STORE("real 2.5")},
	{BINV(SQLDOUBLE, 2.5), SQL_FLOAT, STORE("real 2.5")},
	{BINV(SQLDOUBLE, 2.5), SQL_DOUBLE, STORE("real 2.5")},
	{BINV(SQLREAL, 2.5f), SQL_DOUBLE, REFUSE("22003")},
	{BINV(SQL_NUMERIC_STRUCT, 38, 0, 1, {42}), F_DEC, STORE("text '42'")},
	{BIN(0x00, 0xab), F_BIN, STORE("blob X'00AB'")},
	{BINV(SQL_DATE_STRUCT, 2024, 2, 29), SQL_TYPE_DATE, STORE("text '2024-02-29'")},
	{BINV(SQL_TIME_STRUCT, 10, 20, 30), SQL_TYPE_TIME, STORE("text '10:20:30'")},
	{BINV(SQL_TIMESTAMP_STRUCT, 2024, 2, 29, 10, 20, 30, 0), SQL_TYPE_TIMESTAMP,
	 STORE("text '2024-02-29 10:20:30'")},
	{BIN(1, 2, 3), SQL_TYPE_DATE, REFUSE("22003")},
	{BIN(0x6f, 0x96, 0x19, 0xff, 0x8b, 0x86, 0xd0, 0x11, 0xb4, 0x2d, 0x00, 0xc0,
	     0x4f, 0xc9, 0x64, 0xff), SQL_GUID, REFUSE("07006")},
	/* ---- SQL_C_BIT (C to SQL: Bit) */
	{CV(SQL_C_BIT, SQLCHAR, 1), F_CHAR, STORE("text '1'")},
	{CV(SQL_C_BIT, SQLCHAR, 1), SQL_BIT, STORE("integer 1")},
	{CV(SQL_C_BIT, SQLCHAR, 0), SQL_BIT, STORE("integer 0")},
	{CV(SQL_C_BIT, SQLCHAR, 1), F_INT, STORE("integer 1")},
	{CV(SQL_C_BIT, SQLCHAR, 1), F_APPROX, STORE("real 1.0")},
	{CV(SQL_C_BIT, SQLCHAR, 1), F_DEC, STORE("integer 1")},
	{CV(SQL_C_BIT, SQLCHAR, 2), SQL_BIT, REFUSE("22003")}, /* documented */
	NOT_DATETIME_BIN_GUID(CV(SQL_C_BIT, SQLCHAR, 1)),
	/* ---- integer C types (C to SQL: Numeric) */
	{CV(SQL_C_STINYINT, SQLSCHAR, -5), F_CHAR, STORE("text '-5'")},
	{CV(SQL_C_STINYINT, SQLSCHAR, -5), SQL_BIT, REFUSE("22003")},
	{CV(SQL_C_STINYINT, SQLSCHAR, -5), F_INT, STORE("integer -5")},
	{CV(SQL_C_STINYINT, SQLSCHAR, -5), F_APPROX, STORE("real -5.0")},
	{CV(SQL_C_STINYINT, SQLSCHAR, -5), F_DEC, STORE("integer -5")},
	NOT_DATETIME_BIN_GUID(CV(SQL_C_STINYINT, SQLSCHAR, -5)),
	{CV(SQL_C_UTINYINT, SQLCHAR, 200), F_CHAR, STORE("text '200'")},
	{CV(SQL_C_UTINYINT, SQLCHAR, 1), SQL_BIT, STORE("integer 1")},
	{CV(SQL_C_UTINYINT, SQLCHAR, 200), F_INT, STORE("integer 200")}, /* documented */
	{CV(SQL_C_UTINYINT, SQLCHAR, 200), F_APPROX, STORE("real 200.0")},
	{CV(SQL_C_UTINYINT, SQLCHAR, 200), F_DEC, STORE("integer 200")},
	NOT_DATETIME_BIN_GUID(CV(SQL_C_UTINYINT, SQLCHAR, 200)),
	{CV(SQL_C_SSHORT, SQLSMALLINT, -300), F_CHAR, STORE("text '-300'")},
	{CV(SQL_C_SSHORT, SQLSMALLINT, -300), SQL_TINYINT, REFUSE("22003")},
	{CV(SQL_C_SSHORT, SQLSMALLINT, -300), SQL_SMALLINT, STORE("integer -300")},
	{CV(SQL_C_SSHORT, SQLSMALLINT, -300), SQL_INTEGER, STORE("integer -300")},
	{CV(SQL_C_SSHORT, SQLSMALLINT, -300), SQL_BIGINT, STORE("integer -300")},
	{CV(SQL_C_SSHORT, SQLSMALLINT, 0), SQL_BIT, STORE("integer 0")},
	{CV(SQL_C_SSHORT, SQLSMALLINT, -300), F_APPROX, STORE("real -300.0")},
	{CV(SQL_C_SSHORT, SQLSMALLINT, -300), F_DEC, STORE("integer -300")},
	NOT_DATETIME_BIN_GUID(CV(SQL_C_SSHORT, SQLSMALLINT, -300)),
	{CV(SQL_C_USHORT, SQLUSMALLINT, 65535), F_CHAR, STORE("text '65535'")},
	{CV(SQL_C_USHORT, SQLUSMALLINT, 65535), SQL_TINYINT, REFUSE("22003")},
	{CV(SQL_C_USHORT, SQLUSMALLINT, 65535), SQL_SMALLINT, STORE("integer 65535")},
	{CV(SQL_C_USHORT, SQLUSMALLINT, 65535), SQL_BIGINT, STORE("integer 65535")},
	{CV(SQL_C_USHORT, SQLUSMALLINT, 65535), SQL_BIT, REFUSE("22003")},
	{CV(SQL_C_USHORT, SQLUSMALLINT, 65535), F_APPROX, STORE("real 65535.0")},
	{CV(SQL_C_USHORT, SQLUSMALLINT, 65535), F_DEC, STORE("integer 65535")},
	NOT_DATETIME_BIN_GUID(CV(SQL_C_USHORT, SQLUSMALLINT, 65535)),
	{CV(SQL_C_SLONG, SQLINTEGER, 42), F_CHAR, STORE("text '42'")},
	{CV(SQL_C_SLONG, SQLINTEGER, 1), SQL_BIT, STORE("integer 1")},
	{CV(SQL_C_SLONG, SQLINTEGER, 42), F_INT, STORE("integer 42")},
	{CV(SQL_C_SLONG, SQLINTEGER, 70000), SQL_SMALLINT, REFUSE("22003")},
	{CV(SQL_C_SLONG, SQLINTEGER, 42), F_APPROX, STORE("real 42.0")},
	{CV(SQL_C_SLONG, SQLINTEGER, 42), F_DEC, STORE("integer 42")},
	NOT_DATETIME_BIN_GUID(CV(SQL_C_SLONG, SQLINTEGER, 42)),
	{CV(SQL_C_ULONG, SQLUINTEGER, 4294967295u), F_CHAR, STORE("text '4294967295'")},
	{CV(SQL_C_ULONG, SQLUINTEGER, 4294967295u), SQL_INTEGER, STORE("integer 4294967295")},
	{CV(SQL_C_ULONG, SQLUINTEGER, 4294967295u), SQL_SMALLINT, REFUSE("22003")},
	{CV(SQL_C_ULONG, SQLUINTEGER, 4294967295u), SQL_BIGINT, STORE("integer 4294967295")},
	{CV(SQL_C_ULONG, SQLUINTEGER, 4294967295u), SQL_BIT, REFUSE("22003")},
	{CV(SQL_C_ULONG, SQLUINTEGER, 4294967295u), F_APPROX, STORE("real 4294967295.0")},
	{CV(SQL_C_ULONG, SQLUINTEGER, 4294967295u), F_DEC, STORE("integer 4294967295")},
	NOT_DATETIME_BIN_GUID(CV(SQL_C_ULONG, SQLUINTEGER, 4294967295u)),
	{CV(SQL_C_SBIGINT, SQLBIGINT, INT64_MAX), F_CHAR, STORE("text '9223372036854775807'")},
	{CV(SQL_C_SBIGINT, SQLBIGINT, INT64_MAX), SQL_BIGINT,
	 STORE("integer 9223372036854775807")},
	{CV(SQL_C_SBIGINT, SQLBIGINT, INT64_MAX), SQL_INTEGER, REFUSE("22003")},
	{CV(SQL_C_SBIGINT, SQLBIGINT, INT64_MAX), SQL_BIT, REFUSE("22003")},
	{CV(SQL_C_SBIGINT, SQLBIGINT, INT64_MAX), SQL_DOUBLE,
	 STORE("real 9.2233720368547758078e+18")},
	{CV(SQL_C_SBIGINT, SQLBIGINT, INT64_MAX), F_DEC,
	 STORE("integer 9223372036854775807")},
	NOT_DATETIME_BIN_GUID(CV(SQL_C_SBIGINT, SQLBIGINT, INT64_MAX)),
	{CV(SQL_C_UBIGINT, SQLUBIGINT, UINT64_MAX), F_CHAR,
	 STORE("text '18446744073709551615'")},
	{CV(SQL_C_UBIGINT, SQLUBIGINT, UINT64_MAX), F_INT, REFUSE("22003")},
	{CV(SQL_C_UBIGINT, SQLUBIGINT, 42), F_INT, STORE("integer 42")},
	{CV(SQL_C_UBIGINT, SQLUBIGINT, UINT64_MAX), SQL_BIT, REFUSE("22003")},
	{CV(SQL_C_UBIGINT, SQLUBIGINT, UINT64_MAX), SQL_DOUBLE,
	 STORE("real 1.84467440737095516156e+19")},
	{CV(SQL_C_UBIGINT, SQLUBIGINT, UINT64_MAX), F_DEC,
	 STORE("text '18446744073709551615'")}, /* exact, beyond 64-bit signed */
	NOT_DATETIME_BIN_GUID(CV(SQL_C_UBIGINT, SQLUBIGINT, UINT64_MAX)),
	/* ---- SQL_C_FLOAT, SQL_C_DOUBLE */
	{CV(SQL_C_FLOAT, SQLREAL, 0.1f), F_CHAR, STORE("text '0.1'")}, /* the float's digits */
	{CV(SQL_C_FLOAT, SQLREAL, 2.5f), F_INT, TRUNC("integer 2")},
	{CV(SQL_C_FLOAT, SQLREAL, 1.0f), SQL_BIT, STORE("integer 1")},
	{CV(SQL_C_FLOAT, SQLREAL, 0.5f), SQL_BIT, REFUSE("22001")},
	{CV(SQL_C_FLOAT, SQLREAL, 2.5f), F_APPROX, STORE("real 2.5")},
	{CV(SQL_C_FLOAT, SQLREAL, 2.5f), F_DEC, STORE("real 2.5")},
	NOT_DATETIME_BIN_GUID(CV(SQL_C_FLOAT, SQLREAL, 2.5f)),
	{CV(SQL_C_DOUBLE, SQLDOUBLE, 2.5), F_CHAR, STORE("text '2.5'")},
	{CV(SQL_C_DOUBLE, SQLDOUBLE, -0.0), SQL_VARCHAR, STORE("text '0'")},
	{CV(SQL_C_DOUBLE, SQLDOUBLE, 2.5), F_INT, TRUNC("integer 2")},
	{CV(SQL_C_DOUBLE, SQLDOUBLE, -2.5), SQL_INTEGER, TRUNC("integer -2")},
	{CV(SQL_C_DOUBLE, SQLDOUBLE, 300.0), SQL_TINYINT, REFUSE("22003")},
	{CV(SQL_C_DOUBLE, SQLDOUBLE, 1e20), SQL_BIGINT, REFUSE("22003")},
	{CV(SQL_C_DOUBLE, SQLDOUBLE, 0.0), SQL_BIT, STORE("integer 0")},
	{CV(SQL_C_DOUBLE, SQLDOUBLE, 1.5), SQL_BIT, REFUSE("22001")},
	{CV(SQL_C_DOUBLE, SQLDOUBLE, 2.5), SQL_BIT, REFUSE("22003")},
	{CV(SQL_C_DOUBLE, SQLDOUBLE, 2.5), F_APPROX, STORE("real 2.5")},
	{CV(SQL_C_DOUBLE, SQLDOUBLE, 1e300), SQL_REAL, REFUSE("22003")},
	{CV(SQL_C_DOUBLE, SQLDOUBLE, 1e300), SQL_DOUBLE, STORE("real 1.0e+300")},
	{CV(SQL_C_DOUBLE, SQLDOUBLE, 2.5), F_DEC, STORE("real 2.5")},
	NOT_DATETIME_BIN_GUID(CV(SQL_C_DOUBLE, SQLDOUBLE, 2.5)),
	/* ---- SQL_C_NUMERIC: 12.50 (precision 4, scale 2) */
	{NUMV(4, 2, 1, 0xe2, 0x04), F_CHAR, STORE("text '12.50'")},
	{NUMV(4, 2, 1, 0xe2, 0x04), F_INT, TRUNC("integer 12")},
	{NUMV(4, 2, 1, 0xe2, 0x04), SQL_BIT, REFUSE("22003")},
	{NUMV(4, 2, 0, 0xe2, 0x04), F_APPROX, STORE("real -12.5")},
	{NUMV(4, 2, 1, 0xe2, 0x04), F_DEC, STORE("text '12.50'")},
	NOT_DATETIME_BIN_GUID(NUMV(4, 2, 1, 0xe2, 0x04)),
	/* ---- SQL_C_TYPE_DATE (C to SQL: Date) */
	{DATE0, F_CHAR, STORE("text '2024-02-29'")},
	{DATE0, SQL_TYPE_DATE, STORE("text '2024-02-29'")},
	{DATE0, SQL_TYPE_TIMESTAMP, STORE("text '2024-02-29 00:00:00'")},
	{DATE0, SQL_TYPE_TIME, REFUSE("07006")},
	{CV(SQL_C_TYPE_DATE, SQL_DATE_STRUCT, 2023, 2, 29), SQL_TYPE_DATE, REFUSE("22007")},
	{CV(SQL_C_TYPE_DATE, SQL_DATE_STRUCT, 2023, 2, 29), SQL_VARCHAR, REFUSE("22008")},
	{DATE0, SQL_BIT, REFUSE("07006")}, {DATE0, F_INT, REFUSE("07006")},
	{DATE0, F_APPROX, REFUSE("07006")}, {DATE0, F_DEC, REFUSE("07006")},
	{DATE0, F_BIN, REFUSE("07006")}, {DATE0, SQL_GUID, REFUSE("07006")},
	/* ---- SQL_C_TYPE_TIME (C to SQL: Time) */
	{TIME0, F_CHAR, STORE("text '10:20:30'")},
	{TIME0, SQL_TYPE_TIME, STORE("text '10:20:30'")},
	{TIME0, SQL_TYPE_TIMESTAMP, STORE("text '* 10:20:30'")}, /* today */
	{TIME0, SQL_TYPE_DATE, REFUSE("07006")},
	{CV(SQL_C_TYPE_TIME, SQL_TIME_STRUCT, 24, 0, 0), SQL_TYPE_TIME, REFUSE("22007")},
	{CV(SQL_C_TYPE_TIME, SQL_TIME_STRUCT, 24, 0, 0), SQL_CHAR, REFUSE("22008")},
	{TIME0, SQL_BIT, REFUSE("07006")}, {TIME0, F_INT, REFUSE("07006")},
	{TIME0, F_APPROX, REFUSE("07006")}, {TIME0, F_DEC, REFUSE("07006")},
	{TIME0, F_BIN, REFUSE("07006")}, {TIME0, SQL_GUID, REFUSE("07006")},
	/* ---- SQL_C_TYPE_TIMESTAMP (C to SQL: Timestamp) */
	{TS0, F_CHAR, STORE("text '2024-02-29 10:20:30.5'")},
	{TS0, SQL_TYPE_TIMESTAMP, STORE("text '2024-02-29 10:20:30.5'")},
	{TS0, SQL_TYPE_DATE, REFUSE("22008")},  /* time fields nonzero */
	{TSMID, SQL_TYPE_DATE, STORE("text '2024-02-29'")},
	{TS0, SQL_TYPE_TIME, REFUSE("22008")},  /* fractional seconds nonzero */
	{TSWHOLE, SQL_TYPE_TIME, STORE("text '10:20:30'")},
	{CV(SQL_C_TYPE_TIMESTAMP, SQL_TIMESTAMP_STRUCT, 2024, 13, 1, 0, 0, 0, 0),
	 SQL_TYPE_TIMESTAMP, REFUSE("22007")},
	{CV(SQL_C_TYPE_TIMESTAMP, SQL_TIMESTAMP_STRUCT, 2024, 13, 1, 0, 0, 0, 0),
	 SQL_VARCHAR, REFUSE("22008")},
	{TS0, SQL_BIT, REFUSE("07006")}, {TS0, F_INT, REFUSE("07006")},
	{TS0, F_APPROX, REFUSE("07006")}, {TS0, F_DEC, REFUSE("07006")},
	{TS0, F_BIN, REFUSE("07006")}, {TS0, SQL_GUID, REFUSE("07006")},
	/* ---- SQL_C_GUID (C to SQL: GUID) */
	{GUIDV, F_CHAR, STORE("text '6f9619ff-8b86-d011-b42d-00c04fc964ff'")},
	{GUIDV, SQL_GUID, STORE("text '6f9619ff-8b86-d011-b42d-00c04fc964ff'")},
	{GUIDV, SQL_BIT, REFUSE("07006")}, {GUIDV, F_INT, REFUSE("07006")},
	{GUIDV, F_APPROX, REFUSE("07006")}, {GUIDV, F_DEC, REFUSE("07006")},
	{GUIDV, F_BIN, REFUSE("07006")}, {GUIDV, SQL_TYPE_DATE, REFUSE("07006")},
	{GUIDV, SQL_TYPE_TIME, REFUSE("07006")}, {GUIDV, SQL_TYPE_TIMESTAMP, REFUSE("07006")},
	/* ---- SQL_C_DEFAULT: the SQL type's default C type ("C Data Types") */
	{CV(SQL_C_DEFAULT, SQLINTEGER, 42), SQL_INTEGER, STORE("integer 42")},
	{CV(SQL_C_DEFAULT, SQLSMALLINT, -300), SQL_SMALLINT, STORE("integer -300")},
	{CV(SQL_C_DEFAULT, SQLBIGINT, INT64_MAX), SQL_BIGINT,
	 STORE("integer 9223372036854775807")},
	{CV(SQL_C_DEFAULT, SQLCHAR, 1), SQL_BIT, STORE("integer 1")},
	{CV(SQL_C_DEFAULT, SQLREAL, 2.5f), SQL_REAL, STORE("real 2.5")},
	{CV(SQL_C_DEFAULT, SQLDOUBLE, 2.5), SQL_DOUBLE, STORE("real 2.5")},
	{SQL_C_DEFAULT, "abc", 3, SQL_VARCHAR, STORE("text 'abc'")},
	{SQL_C_DEFAULT, "12.50", 5, SQL_DECIMAL, STORE("text '12.50'")}, /* SQL_C_CHAR */
	{SQL_C_DEFAULT, (const unsigned char[]){0x00, 0xab}, 2, SQL_VARBINARY,
	 STORE("blob X'00AB'")},
	{CV(SQL_C_DEFAULT, SQL_DATE_STRUCT, 2024, 2, 29), SQL_TYPE_DATE,
	 STORE("text '2024-02-29'")},
	{CV(SQL_C_DEFAULT, SQL_TIMESTAMP_STRUCT, 2024, 2, 29, 10, 20, 30, 0),
	 SQL_TYPE_TIMESTAMP, STORE("text '2024-02-29 10:20:30'")},
	{CV(SQL_C_DEFAULT, SQLGUID, 0x6f9619ff, 0x8b86, 0xd011,
	    {0xb4, 0x2d, 0x00, 0xc0, 0x4f, 0xc9, 0x64, 0xff}), SQL_GUID,
	 STORE("text '6f9619ff-8b86-d011-b42d-00c04fc964ff'")},
};

static const SQLSMALLINT *family(SQLSMALLINT t, SQLSMALLINT *one)
{
	switch (t) {
	case F_CHAR: return fam_char;
	case F_INT: return fam_int;
	case F_APPROX: return fam_approx;
	case F_DEC: return fam_dec;
	case F_BIN: return fam_bin;
	default: one[0] = t, one[1] = 0; return one;
	}
}

/* UTF-8 to SQLWCHAR (BMP and surrogate pairs); returns the units. */
static size_t utf8_to_wide(const char *s, size_t n, SQLWCHAR *w)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		unsigned char ch = (unsigned char)s[i];
		unsigned long cp;
		int more = ch >= 0xF0 ? 3 : ch >= 0xE0 ? 2 : ch >= 0xC0 ? 1 : 0;
		cp = more ? ch & (0x3F >> more) : ch;
		for (int m = 1; m <= more; m++)
			cp = cp << 6 | ((unsigned char)s[i + m] & 0x3F);
		i += (size_t)more + 1;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			w[k++] = (SQLWCHAR)(0xD800 + (cp >> 10));
			w[k++] = (SQLWCHAR)(0xDC00 + (cp & 0x3FF));
		} else {
			w[k++] = (SQLWCHAR)cp;
		}
	}
	return k;
}

/* Whether the stored text matches the expected one ('*' is any text). */
static int stored_matches(const char *got, const char *want)
{
	const char *star = strchr(want, '*');
	size_t pre, post, n = strlen(got);
	if (star == NULL)
		return strcmp(got, want) == 0;
	pre = (size_t)(star - want);
	post = strlen(star + 1);
	return n >= pre + post && strncmp(got, want, pre) == 0 &&
	       strcmp(got + n - post, star + 1) == 0;
}

/* Runs one (row, SQL type) cell; 1 when it holds. */
static int run_pcell(const pcell *c, SQLSMALLINT sqltype)
{
	SQLHSTMT ins;
	SQLWCHAR wide[128];
	const void *val = c->val;
	SQLLEN len = c->len, ind;
	SQLRETURN rc;
	char got[200] = "";
	int ok = 1;

	exec_ok(dbc, "DELETE FROM p");
	if (c->ctype == SQL_C_WCHAR) {
		len = (SQLLEN)(utf8_to_wide(c->val, (size_t)c->len, wide) * sizeof(SQLWCHAR));
		val = wide;
	}
	ind = len;
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &ins);
	OKS(SQLBindParameter(ins, 1, SQL_PARAM_INPUT, c->ctype, sqltype, 40, 9,
			     (SQLPOINTER)val, len, &ind), ins);
	rc = SQLExecDirect(ins, (SQLCHAR *)"INSERT INTO p VALUES (?)", SQL_NTS);
	if (c->stored == NULL) {
		if (rc != SQL_ERROR || strcmp(state_of(ins), c->state) != 0) {
			cr_log_error("param cell (C type %d, SQL type %d, row value len %ld): "
				     "rc %d %s, expected SQL_ERROR %s", c->ctype, sqltype,
				     (long)c->len, rc, rc == SQL_SUCCESS ? "" :
				     diag(SQL_HANDLE_STMT, ins), c->state);
			ok = 0;
		}
	} else if (rc != (c->state ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS) ||
		   (c->state && strcmp(state_of(ins), c->state) != 0)) {
		cr_log_error("param cell (C type %d, SQL type %d, stored %s): rc %d (%s), "
			     "expected %s", c->ctype, sqltype, c->stored, rc,
			     rc == SQL_SUCCESS ? "no diagnostic" : diag(SQL_HANDLE_STMT, ins),
			     c->state ? c->state : "SQL_SUCCESS");
		ok = 0;
	}
	SQLFreeHandle(SQL_HANDLE_STMT, ins);
	SQLFreeStmt(st, SQL_CLOSE);
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT typeof(x) || ' ' || quote(x) FROM p",
			  SQL_NTS), st);
	rc = SQLFetch(st);
	if (rc == SQL_SUCCESS)
		OKS(SQLGetData(st, 1, SQL_C_CHAR, got, sizeof got, &ind), st);
	if (c->stored == NULL && rc != SQL_NO_DATA) {
		cr_log_error("param cell (C type %d, SQL type %d): refused, yet '%s' "
			     "was stored", c->ctype, sqltype, got);
		ok = 0;
	}
	if (c->stored && !stored_matches(got, c->stored)) {
		cr_log_error("param cell (C type %d, SQL type %d): stored '%s', expected '%s'",
			     c->ctype, sqltype, got, c->stored);
		ok = 0;
	}
	return ok;
}

Test(convmatrix, parameters_c_to_sql)
{
	size_t rows = sizeof pcells / sizeof pcells[0], n = 0, failed = 0;

	for (size_t i = 0; i < rows; i++) {
		SQLSMALLINT one[2];
		for (const SQLSMALLINT *t = family(pcells[i].sqltype, one); *t; t++, n++)
			failed += !run_pcell(&pcells[i], *t);
	}
	printf("conversion matrix, parameters (C to SQL): %zu cells checked\n", n);
	cr_assert_eq(failed, 0, "%zu of %zu parameter cells failed (see above)", failed, n);
}
