/*
 * SQLGetInfo and SQLGetFunctions against behaviour, through the driver
 * manager and a real node (docs/info.md).
 *
 * Table-driven so that a claim without a test is visible: every bit a
 * bitmask information type claims needs a row in `bit_cases` running SQL
 * that uses it; every information type the driver answers needs a row in
 * `value_cases` (its exact value, and SQL or a check proving it when it
 * claims something) or must be named in `owned_elsewhere`; every function
 * SQLGetFunctions reports needs a minimal call in `call_function`.
 *
 * Each statement runs in a transaction that is rolled back afterwards (DDL
 * is transactional: SQL_TC_ALL), so the SQL may create what it needs.
 */
#include "odbc_util.h"

static odbc_fixture fx;
static SQLHDBC dbc;

static void setup(void)
{
	odbc_fixture_up(&fx, "info");
	dbc = fx.dbc;
}

static void teardown(void)
{
	odbc_fixture_down(&fx);
	cr_assert_eq(dqt_leak_check(), 0, "handles or memory leaked");
}

TestSuite(info, .init = setup, .fini = teardown, .timeout = 180);

/* Runs sql (one statement or a `;` batch) and returns the first value of
 * the first row of its last result set as text ("NULL", "no row"), or
 * "ERR <SQLSTATE>" when it fails. Rolls back afterwards. */
static const char *outcome(const char *sql)
{
	static char buf[256];
	SQLHSTMT st;
	SQLSMALLINT cols;
	SQLLEN ind;
	SQLRETURN rc;

	strcpy(buf, "no result set");
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
	if (!SQL_SUCCEEDED(rc))
		snprintf(buf, sizeof buf, "ERR %s", sqlstate(SQL_HANDLE_STMT, st));
	while (SQL_SUCCEEDED(rc)) {
		OKS(SQLNumResultCols(st, &cols), st);
		if (cols > 0) {
			rc = SQLFetch(st);
			if (rc == SQL_NO_DATA)
				strcpy(buf, "no row");
			else {
				OKS(rc, st);
				OKS(SQLGetData(st, 1, SQL_C_CHAR, buf, sizeof buf, &ind), st);
				if (ind == SQL_NULL_DATA)
					strcpy(buf, "NULL");
			}
		}
		rc = SQLMoreResults(st);
		cr_assert(rc == SQL_NO_DATA || SQL_SUCCEEDED(rc), "%s",
			  diag(SQL_HANDLE_STMT, st));
	}
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
	return buf;
}

/* got equals want, or the failure says both. */
#define EXPECT_TEXT(got, want, fmt, ...)                                                      \
	do {                                                                                   \
		const char *got_ = (got);                                                      \
		cr_expect(strcmp(got_, (want)) == 0, fmt ": got [%s], want [%s]", __VA_ARGS__, \
			  got_, (want));                                                       \
	} while (0)

static SQLUINTEGER info_u32(SQLUSMALLINT id)
{
	SQLUINTEGER v = 0;
	OKC(SQLGetInfo(dbc, id, &v, sizeof v, NULL), dbc);
	return v;
}

/* ------------------------------------------------------------ bitmasks */

/* A formatted float is compared in SQL: the rows read "1" for true. */
#define NEAR(expr, v) "SELECT abs((" expr ") - (" v ")) < 1e-12"
#define TS0 "{ts '2024-01-01 00:00:00'}"

typedef struct bit_case {
	SQLUSMALLINT info;
	SQLUINTEGER bit;
	const char *sql, *want;
} bit_case;

static const bit_case bit_cases[] = {
	/* SQL_STRING_FUNCTIONS: the {fn} escapes escape.c translates */
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_ASCII, "SELECT {fn ASCII('A')}", "65"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_BIT_LENGTH, "SELECT {fn BIT_LENGTH('ab')}", "16"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_CHAR, "SELECT {fn CHAR(65)}", "A"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_CHAR_LENGTH, "SELECT {fn CHAR_LENGTH('h\xc3\xa9!')}", "3"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_CHARACTER_LENGTH,
	 "SELECT {fn CHARACTER_LENGTH('h\xc3\xa9!')}", "3"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_CONCAT, "SELECT {fn CONCAT('ab', 'cd')}", "abcd"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_INSERT, "SELECT {fn INSERT('abcdef', 2, 3, 'XY')}", "aXYef"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_LCASE, "SELECT {fn LCASE('AbC')}", "abc"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_LEFT, "SELECT {fn LEFT('abcdef', 2)}", "ab"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_LENGTH, "SELECT {fn LENGTH('ab  ')}", "2"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_LOCATE, "SELECT {fn LOCATE('c', 'abcabc')}", "3"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_LOCATE_2, "SELECT {fn LOCATE('c', 'abcabc', 4)}", "6"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_LTRIM, "SELECT '[' || {fn LTRIM('  a ')} || ']'", "[a ]"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_OCTET_LENGTH, "SELECT {fn OCTET_LENGTH('h\xc3\xa9')}", "3"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_REPEAT, "SELECT {fn REPEAT('ab', 3)}", "ababab"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_REPLACE, "SELECT {fn REPLACE('abab', 'b', 'x')}", "axax"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_RIGHT, "SELECT {fn RIGHT('abcdef', 2)}", "ef"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_RTRIM, "SELECT '[' || {fn RTRIM(' a  ')} || ']'", "[ a]"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_SPACE, "SELECT '[' || {fn SPACE(3)} || ']'", "[   ]"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_SUBSTRING, "SELECT {fn SUBSTRING('abcdef', 2, 3)}", "bcd"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_SUBSTRING, "SELECT {fn SUBSTRING('abcdef', 4)}", "def"},
	{SQL_STRING_FUNCTIONS, SQL_FN_STR_UCASE, "SELECT {fn UCASE('abc')}", "ABC"},
	/* SQL_NUMERIC_FUNCTIONS */
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ABS, "SELECT {fn ABS(-3)}", "3"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ACOS, NEAR("{fn ACOS(-1)}", "3.141592653589793"), "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ASIN, NEAR("{fn ASIN(1)}", "1.5707963267948966"), "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ATAN, NEAR("{fn ATAN(1)}", "0.7853981633974483"), "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ATAN2, NEAR("{fn ATAN2(1, -1)}", "2.356194490192345"), "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_CEILING, "SELECT {fn CEILING(1.2)} = 2", "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_COS, "SELECT {fn COS(0)} = 1", "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_COT, NEAR("{fn COT(1)}", "0.6420926159343306"), "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_DEGREES, NEAR("{fn DEGREES({fn PI()})}", "180"), "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_EXP, NEAR("{fn EXP(1)}", "2.718281828459045"), "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_FLOOR, "SELECT {fn FLOOR(-1.5)} = -2", "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_LOG, NEAR("{fn LOG(2.718281828459045)}", "1"), "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_LOG10, NEAR("{fn LOG10(1000)}", "3"), "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_MOD, "SELECT {fn MOD(17, 5)}", "2"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_PI, NEAR("{fn PI()}", "3.141592653589793"), "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_POWER, "SELECT {fn POWER(2, 10)} = 1024", "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_RADIANS, NEAR("{fn RADIANS(180)}", "3.141592653589793"),
	 "1"},
	/* RAND(): in [0, 1) and not constant; RAND(seed): the same value
	 * for the same seed, another for another seed */
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_RAND,
	 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)"
	 " SELECT count(DISTINCT r) = 200 AND min(r) >= 0 AND max(r) < 1"
	 " FROM (SELECT {fn RAND()} AS r FROM n)", "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_RAND,
	 "SELECT {fn RAND(5)} = {fn RAND(5)} AND {fn RAND(5)} <> {fn RAND(6)}"
	 " AND {fn RAND(-5)} >= 0 AND {fn RAND(-5)} < 1", "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ROUND, "SELECT {fn ROUND(3.14159, 2)} = 3.14", "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_SIGN, "SELECT {fn SIGN(-5)}", "-1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_SIN, "SELECT {fn SIN(0)} = 0", "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_SQRT, "SELECT {fn SQRT(16)} = 4", "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_TAN, NEAR("{fn TAN(1)}", "1.5574077246549023"), "1"},
	{SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_TRUNCATE, "SELECT {fn TRUNCATE(3.14159, 2)} = 3.14", "1"},
	/* SQL_TIMEDATE_FUNCTIONS */
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURDATE,
	 "SELECT {fn CURDATE()} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'", "1"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURRENT_DATE,
	 "SELECT {fn CURRENT_DATE()} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'", "1"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURTIME,
	 "SELECT {fn CURTIME()} GLOB '[0-2][0-9]:[0-5][0-9]:[0-6][0-9]'", "1"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURRENT_TIME,
	 "SELECT {fn CURRENT_TIME()} GLOB '[0-2][0-9]:[0-5][0-9]:[0-6][0-9]'", "1"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_NOW,
	 "SELECT {fn NOW()} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9] [0-2][0-9]:*'", "1"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURRENT_TIMESTAMP,
	 "SELECT {fn CURRENT_TIMESTAMP()} GLOB"
	 " '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9] [0-2][0-9]:*'", "1"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_DAYNAME, "SELECT {fn DAYNAME({d '2024-01-07'})}", "Sunday"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_DAYOFMONTH, "SELECT {fn DAYOFMONTH({d '2024-03-07'})}", "7"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_DAYOFWEEK, "SELECT {fn DAYOFWEEK({d '2024-01-07'})}", "1"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_DAYOFYEAR, "SELECT {fn DAYOFYEAR({d '2024-03-01'})}", "61"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_HOUR, "SELECT {fn HOUR({ts '2024-01-02 10:11:12'})}", "10"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_MINUTE, "SELECT {fn MINUTE({t '10:11:12'})}", "11"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_SECOND, "SELECT {fn SECOND({t '10:11:12'})}", "12"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_MONTH, "SELECT {fn MONTH({d '2024-03-07'})}", "3"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_MONTHNAME, "SELECT {fn MONTHNAME({d '2024-03-07'})}",
	 "March"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_QUARTER, "SELECT {fn QUARTER({d '2024-08-01'})}", "3"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_YEAR, "SELECT {fn YEAR({d '2024-03-07'})}", "2024"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_TIMESTAMPADD,
	 "SELECT {fn TIMESTAMPADD(SQL_TSI_DAY, 1, {ts '2024-02-28 10:00:00'})}",
	 "2024-02-29 10:00:00"},
	{SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_TIMESTAMPDIFF,
	 "SELECT {fn TIMESTAMPDIFF(SQL_TSI_HOUR, " TS0 ", {ts '2024-01-02 06:30:00'})}", "30"},
	/* SQL_TIMEDATE_ADD_INTERVALS / _DIFF_INTERVALS */
#define ADD(tsi, n, want)                                                                      \
	{SQL_TIMEDATE_ADD_INTERVALS, SQL_FN_TSI_##tsi,                                         \
	 "SELECT {fn TIMESTAMPADD(SQL_TSI_" #tsi ", " #n ", " TS0 ")}", want}
	ADD(SECOND, 90, "2024-01-01 00:01:30"), ADD(MINUTE, 90, "2024-01-01 01:30:00"),
	ADD(HOUR, 30, "2024-01-02 06:00:00"), ADD(DAY, 31, "2024-02-01 00:00:00"),
	ADD(WEEK, 2, "2024-01-15 00:00:00"), ADD(MONTH, 14, "2025-03-01 00:00:00"),
	ADD(QUARTER, 2, "2024-07-01 00:00:00"), ADD(YEAR, -1, "2023-01-01 00:00:00"),
#define DIFF(tsi, end, want)                                                                   \
	{SQL_TIMEDATE_DIFF_INTERVALS, SQL_FN_TSI_##tsi,                                        \
	 "SELECT {fn TIMESTAMPDIFF(SQL_TSI_" #tsi ", " TS0 ", {ts '" end "'})}", want}
	DIFF(SECOND, "2024-01-01 00:01:30", "90"), DIFF(MINUTE, "2024-01-01 02:30:59", "150"),
	DIFF(HOUR, "2024-01-02 06:30:00", "30"), DIFF(DAY, "2024-03-01 12:00:00", "60"),
	DIFF(WEEK, "2024-01-22 00:00:00", "3"), DIFF(MONTH, "2024-08-01 00:00:00", "7"),
	DIFF(QUARTER, "2024-08-01 00:00:00", "2"), DIFF(YEAR, "2027-06-01 00:00:00", "3"),
	/* SQL_SYSTEM_FUNCTIONS: dqlite has no users (SQL_USER_NAME is "") */
	{SQL_SYSTEM_FUNCTIONS, SQL_FN_SYS_IFNULL, "SELECT {fn IFNULL(NULL, 'dflt')}", "dflt"},
	{SQL_SYSTEM_FUNCTIONS, SQL_FN_SYS_USERNAME, "SELECT '[' || {fn USER()} || ']'", "[]"},
	/* SQL_CONVERT_FUNCTIONS (each SQL_CONVERT_* pair: convert_cases) */
	{SQL_CONVERT_FUNCTIONS, SQL_FN_CVT_CAST, "SELECT CAST('42' AS INTEGER) + 1", "43"},
	{SQL_CONVERT_FUNCTIONS, SQL_FN_CVT_CONVERT, "SELECT {fn CONVERT('42', SQL_INTEGER)} + 1",
	 "43"},
	/* SQL_AGGREGATE_FUNCTIONS */
#define V3 " FROM (VALUES (1), (1), (2), (NULL))"
	{SQL_AGGREGATE_FUNCTIONS, SQL_AF_ALL, "SELECT count(ALL column1)" V3, "3"},
	{SQL_AGGREGATE_FUNCTIONS, SQL_AF_AVG, "SELECT avg(column1) * 3" V3, "4"},
	{SQL_AGGREGATE_FUNCTIONS, SQL_AF_COUNT, "SELECT count(*)" V3, "4"},
	{SQL_AGGREGATE_FUNCTIONS, SQL_AF_DISTINCT, "SELECT count(DISTINCT column1)" V3, "2"},
	{SQL_AGGREGATE_FUNCTIONS, SQL_AF_MAX, "SELECT max(column1)" V3, "2"},
	{SQL_AGGREGATE_FUNCTIONS, SQL_AF_MIN, "SELECT min(column1)" V3, "1"},
	{SQL_AGGREGATE_FUNCTIONS, SQL_AF_SUM, "SELECT sum(column1)" V3, "4"},
	/* SQL_SQL92_* */
	{SQL_SQL92_PREDICATES, SQL_SP_BETWEEN, "SELECT 2 BETWEEN 1 AND 3", "1"},
	{SQL_SQL92_PREDICATES, SQL_SP_COMPARISON, "SELECT (1 < 2) + (2 <> 2) + (3 >= 3)", "2"},
	{SQL_SQL92_PREDICATES, SQL_SP_EXISTS, "SELECT EXISTS (SELECT 1 WHERE 0)", "0"},
	{SQL_SQL92_PREDICATES, SQL_SP_IN, "SELECT 2 IN (1, 2)", "1"},
	{SQL_SQL92_PREDICATES, SQL_SP_ISNOTNULL, "SELECT NULL IS NOT NULL", "0"},
	{SQL_SQL92_PREDICATES, SQL_SP_ISNULL, "SELECT NULL IS NULL", "1"},
	{SQL_SQL92_PREDICATES, SQL_SP_LIKE, "SELECT 'abc' LIKE 'a_c'", "1"},
#define AB " (VALUES (1), (2)) a"
#define B2 " (VALUES (2), (3), (4)) b"
	{SQL_SQL92_RELATIONAL_JOIN_OPERATORS, SQL_SRJO_CROSS_JOIN,
	 "SELECT count(*) FROM" AB " CROSS JOIN" B2, "6"},
	{SQL_SQL92_RELATIONAL_JOIN_OPERATORS, SQL_SRJO_INNER_JOIN,
	 "SELECT count(*) FROM" AB " INNER JOIN" B2 " ON a.column1 = b.column1", "1"},
	{SQL_SQL92_RELATIONAL_JOIN_OPERATORS, SQL_SRJO_LEFT_OUTER_JOIN,
	 "SELECT count(*) FROM" AB " LEFT OUTER JOIN" B2 " ON a.column1 = b.column1", "2"},
	{SQL_SQL92_RELATIONAL_JOIN_OPERATORS, SQL_SRJO_NATURAL_JOIN,
	 "SELECT count(*) FROM (SELECT 1 AS k) NATURAL JOIN (SELECT 1 AS k UNION SELECT 2)", "1"},
	{SQL_SQL92_VALUE_EXPRESSIONS, SQL_SVE_CASE, "SELECT CASE WHEN 1 = 2 THEN 'y' ELSE 'n' END",
	 "n"},
	{SQL_SQL92_VALUE_EXPRESSIONS, SQL_SVE_CAST, "SELECT CAST(7.9 AS INTEGER)", "7"},
	{SQL_SQL92_VALUE_EXPRESSIONS, SQL_SVE_COALESCE, "SELECT COALESCE(NULL, NULL, 'c')", "c"},
	{SQL_SQL92_VALUE_EXPRESSIONS, SQL_SVE_NULLIF, "SELECT NULLIF(1, 1) IS NULL", "1"},
	{SQL_SQL92_STRING_FUNCTIONS, SQL_SSF_LOWER, "SELECT LOWER('AbC')", "abc"},
	{SQL_SQL92_STRING_FUNCTIONS, SQL_SSF_UPPER, "SELECT UPPER('AbC')", "ABC"},
	{SQL_SQL92_DATETIME_FUNCTIONS, SQL_SDF_CURRENT_DATE,
	 "SELECT CURRENT_DATE = {fn CURDATE()} OR CURRENT_DATE > {fn CURDATE()}", "1"},
	{SQL_SQL92_DATETIME_FUNCTIONS, SQL_SDF_CURRENT_TIME,
	 "SELECT CURRENT_TIME GLOB '[0-2][0-9]:[0-5][0-9]:[0-6][0-9]'", "1"},
	{SQL_SQL92_DATETIME_FUNCTIONS, SQL_SDF_CURRENT_TIMESTAMP,
	 "SELECT CURRENT_TIMESTAMP GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9] *'", "1"},
	{SQL_SQL92_ROW_VALUE_CONSTRUCTOR, SQL_SRVC_VALUE_EXPRESSION, "SELECT (1, 'a') = (1, 'a')",
	 "1"},
	{SQL_SQL92_ROW_VALUE_CONSTRUCTOR, SQL_SRVC_NULL,
	 "CREATE TABLE r (a, b); INSERT INTO r VALUES (1, NULL); SELECT count(*) FROM r"
	 " WHERE b IS NULL", "1"},
	/* foreign keys: the server enforces them */
#define FK(rule, change)                                                                       \
	"CREATE TABLE p (id INTEGER PRIMARY KEY); INSERT INTO p VALUES (1), (9);"              \
	" CREATE TABLE c (pid INTEGER DEFAULT 9 REFERENCES p ON " rule ");"                    \
	" INSERT INTO c VALUES (1); " change "; SELECT ifnull(pid, 'null') FROM c"
#define DEL "DELETE FROM p WHERE id = 1"
#define UPD "UPDATE p SET id = 2 WHERE id = 1"
	{SQL_SQL92_FOREIGN_KEY_DELETE_RULE, SQL_SFKD_CASCADE, FK("DELETE CASCADE", DEL), "no row"},
	{SQL_SQL92_FOREIGN_KEY_DELETE_RULE, SQL_SFKD_NO_ACTION, FK("DELETE NO ACTION", DEL),
	 "ERR 23000"},
	{SQL_SQL92_FOREIGN_KEY_DELETE_RULE, SQL_SFKD_SET_DEFAULT, FK("DELETE SET DEFAULT", DEL),
	 "9"},
	{SQL_SQL92_FOREIGN_KEY_DELETE_RULE, SQL_SFKD_SET_NULL, FK("DELETE SET NULL", DEL), "null"},
	{SQL_SQL92_FOREIGN_KEY_UPDATE_RULE, SQL_SFKU_CASCADE, FK("UPDATE CASCADE", UPD), "2"},
	{SQL_SQL92_FOREIGN_KEY_UPDATE_RULE, SQL_SFKU_NO_ACTION, FK("UPDATE NO ACTION", UPD),
	 "ERR 23000"},
	{SQL_SQL92_FOREIGN_KEY_UPDATE_RULE, SQL_SFKU_SET_DEFAULT, FK("UPDATE SET DEFAULT", UPD),
	 "9"},
	{SQL_SQL92_FOREIGN_KEY_UPDATE_RULE, SQL_SFKU_SET_NULL, FK("UPDATE SET NULL", UPD), "null"},
	/* DDL */
#define EXISTS(name) "; SELECT count(*) FROM sqlite_master WHERE name = '" name "'"
	{SQL_CREATE_TABLE, SQL_CT_CREATE_TABLE, "CREATE TABLE ct (a)" EXISTS("ct"), "1"},
	{SQL_CREATE_TABLE, SQL_CT_COLUMN_CONSTRAINT,
	 "CREATE TABLE ct (a INTEGER NOT NULL); INSERT INTO ct VALUES (NULL)", "ERR 23000"},
	{SQL_CREATE_TABLE, SQL_CT_COLUMN_DEFAULT,
	 "CREATE TABLE ct (a, b DEFAULT 7); INSERT INTO ct (a) VALUES (1); SELECT b FROM ct", "7"},
	{SQL_CREATE_TABLE, SQL_CT_TABLE_CONSTRAINT,
	 "CREATE TABLE ct (a, b, UNIQUE (a, b)); INSERT INTO ct VALUES (1, 2), (1, 2)",
	 "ERR 23000"},
	{SQL_DROP_TABLE, SQL_DT_DROP_TABLE, "CREATE TABLE dt (a); DROP TABLE dt" EXISTS("dt"), "0"},
	{SQL_CREATE_VIEW, SQL_CV_CREATE_VIEW, "CREATE VIEW v AS SELECT 5 AS x; SELECT x FROM v",
	 "5"},
	{SQL_DROP_VIEW, SQL_DV_DROP_VIEW, "CREATE VIEW v AS SELECT 5; DROP VIEW v" EXISTS("v"), "0"},
	{SQL_DDL_INDEX, SQL_DI_CREATE_INDEX,
	 "CREATE TABLE ix (a); CREATE INDEX ix_a ON ix (a)" EXISTS("ix_a"), "1"},
	{SQL_DDL_INDEX, SQL_DI_DROP_INDEX,
	 "CREATE TABLE ix (a); CREATE INDEX ix_a ON ix (a); DROP INDEX ix_a" EXISTS("ix_a"), "0"},
	{SQL_INDEX_KEYWORDS, SQL_IK_ASC,
	 "CREATE TABLE ix (a); CREATE INDEX ix_a ON ix (a ASC)" EXISTS("ix_a"), "1"},
	{SQL_INDEX_KEYWORDS, SQL_IK_DESC,
	 "CREATE TABLE ix (a); INSERT INTO ix VALUES (1), (3), (2); CREATE INDEX ix_a ON ix"
	 " (a DESC); SELECT a FROM ix INDEXED BY ix_a WHERE a > 0", "3"},
	{SQL_INSERT_STATEMENT, SQL_IS_INSERT_LITERALS,
	 "CREATE TABLE ins (a); INSERT INTO ins VALUES (4); SELECT a FROM ins", "4"},
	{SQL_INSERT_STATEMENT, SQL_IS_INSERT_SEARCHED,
	 "CREATE TABLE ins (a); INSERT INTO ins SELECT 4 UNION ALL SELECT 5;"
	 " SELECT sum(a) FROM ins", "9"},
#define ALTER(stmt, check) "CREATE TABLE al (a); INSERT INTO al VALUES (1); " stmt "; " check
	{SQL_ALTER_TABLE, SQL_AT_ADD_COLUMN,
	 ALTER("ALTER TABLE al ADD COLUMN b", "SELECT count(*) FROM pragma_table_info('al')"), "2"},
	{SQL_ALTER_TABLE, SQL_AT_ADD_COLUMN_SINGLE,
	 ALTER("ALTER TABLE al ADD b", "SELECT count(*) FROM pragma_table_info('al')"), "2"},
	{SQL_ALTER_TABLE, SQL_AT_ADD_COLUMN_DEFAULT,
	 ALTER("ALTER TABLE al ADD COLUMN b DEFAULT 7", "SELECT b FROM al"), "7"},
	{SQL_ALTER_TABLE, SQL_AT_ADD_COLUMN_COLLATION,
	 ALTER("ALTER TABLE al ADD COLUMN b TEXT DEFAULT 'X' COLLATE NOCASE",
	       "SELECT count(*) FROM al WHERE b = 'x'"), "1"},
	{SQL_ALTER_TABLE, SQL_AT_DROP_COLUMN,
	 ALTER("ALTER TABLE al ADD b; ALTER TABLE al DROP COLUMN a",
	       "SELECT group_concat(name) FROM pragma_table_info('al')"), "b"},
	/* SQL_SUBQUERIES: no SQL_SQ_QUANTIFIED (see quantified_... below) */
	{SQL_SUBQUERIES, SQL_SQ_COMPARISON, "SELECT 2 = (SELECT 2)", "1"},
	{SQL_SUBQUERIES, SQL_SQ_EXISTS, "SELECT EXISTS (SELECT 1)", "1"},
	{SQL_SUBQUERIES, SQL_SQ_IN, "SELECT 2 IN (SELECT 1 UNION SELECT 2)", "1"},
	{SQL_SUBQUERIES, SQL_SQ_CORRELATED_SUBQUERIES,
	 "SELECT sum((SELECT count(*) FROM (VALUES (1), (2), (3)) b WHERE b.column1 <= a.column1))"
	 " FROM (VALUES (1), (2), (3)) a", "6"},
	{SQL_UNION, SQL_U_UNION, "SELECT count(*) FROM (SELECT 1 UNION SELECT 1)", "1"},
	{SQL_UNION, SQL_U_UNION_ALL, "SELECT count(*) FROM (SELECT 1 UNION ALL SELECT 1)", "2"},
	/* SQL_OJ_CAPABILITIES, through the {oj} escape */
	{SQL_OJ_CAPABILITIES, SQL_OJ_LEFT,
	 "SELECT count(*) FROM {oj" AB " LEFT OUTER JOIN" B2 " ON a.column1 = b.column1}", "2"},
	{SQL_OJ_CAPABILITIES, SQL_OJ_NOT_ORDERED,
	 "SELECT count(b.column1) FROM {oj" AB " LEFT OUTER JOIN" B2 " ON b.column1 = a.column1}",
	 "1"},
	{SQL_OJ_CAPABILITIES, SQL_OJ_NESTED,
	 "SELECT count(*) FROM {oj" AB " LEFT OUTER JOIN" B2 " ON a.column1 = b.column1"
	 " LEFT OUTER JOIN (VALUES (2)) c ON b.column1 = c.column1}", "2"},
	{SQL_OJ_CAPABILITIES, SQL_OJ_INNER,
	 "SELECT count(*) FROM {oj" AB " LEFT OUTER JOIN" B2 " ON a.column1 = b.column1}"
	 " INNER JOIN (VALUES (2)) c ON b.column1 = c.column1", "1"},
	{SQL_OJ_CAPABILITIES, SQL_OJ_ALL_COMPARISON_OPS,
	 "SELECT count(b.column1) FROM {oj" AB " LEFT OUTER JOIN" B2 " ON a.column1 > b.column1}",
	 "0"},
	/* batches: every statement runs, SQLMoreResults reaches the last */
	{SQL_BATCH_SUPPORT, SQL_BS_SELECT_EXPLICIT, "SELECT 1; SELECT 2; SELECT 3", "3"},
	{SQL_BATCH_SUPPORT, SQL_BS_ROW_COUNT_EXPLICIT,
	 "CREATE TABLE bs (a); INSERT INTO bs VALUES (1), (2); SELECT count(*) FROM bs", "2"},
};
#define N_BIT_CASES (sizeof bit_cases / sizeof bit_cases[0])

/* Claims whose proof is not one SQL text: checked by the tests below. */
static const struct {
	SQLUSMALLINT info;
	SQLUINTEGER bit;
	const char *test;
} bit_checks[] = {
	{SQL_BATCH_ROW_COUNT, SQL_BRC_EXPLICIT, "batch_row_counts_are_per_statement"},
	{SQL_TXN_ISOLATION_OPTION, SQL_TXN_SERIALIZABLE, "transactions_as_claimed"},
};

/* Every bitmask information type the driver answers (except the
 * conversions: convert_sources) */
static const SQLUSMALLINT bitmask_infos[] = {
	SQL_STRING_FUNCTIONS, SQL_NUMERIC_FUNCTIONS, SQL_TIMEDATE_FUNCTIONS,
	SQL_SYSTEM_FUNCTIONS, SQL_TIMEDATE_ADD_INTERVALS, SQL_TIMEDATE_DIFF_INTERVALS,
	SQL_CONVERT_FUNCTIONS, SQL_AGGREGATE_FUNCTIONS, SQL_SQL92_PREDICATES,
	SQL_SQL92_RELATIONAL_JOIN_OPERATORS, SQL_SQL92_VALUE_EXPRESSIONS,
	SQL_SQL92_STRING_FUNCTIONS, SQL_SQL92_NUMERIC_VALUE_FUNCTIONS,
	SQL_SQL92_DATETIME_FUNCTIONS, SQL_SQL92_ROW_VALUE_CONSTRUCTOR,
	SQL_SQL92_FOREIGN_KEY_DELETE_RULE, SQL_SQL92_FOREIGN_KEY_UPDATE_RULE,
	SQL_SQL92_GRANT, SQL_SQL92_REVOKE, SQL_CREATE_TABLE, SQL_DROP_TABLE,
	SQL_CREATE_VIEW, SQL_DROP_VIEW, SQL_CREATE_SCHEMA, SQL_DROP_SCHEMA,
	SQL_CREATE_ASSERTION, SQL_DROP_ASSERTION, SQL_CREATE_CHARACTER_SET,
	SQL_DROP_CHARACTER_SET, SQL_CREATE_COLLATION, SQL_DROP_COLLATION,
	SQL_CREATE_DOMAIN, SQL_DROP_DOMAIN, SQL_CREATE_TRANSLATION,
	SQL_DROP_TRANSLATION, SQL_DDL_INDEX, SQL_INDEX_KEYWORDS, SQL_INSERT_STATEMENT,
	SQL_ALTER_TABLE, SQL_SUBQUERIES, SQL_UNION, SQL_OJ_CAPABILITIES,
	SQL_DATETIME_LITERALS, SQL_BATCH_SUPPORT, SQL_BATCH_ROW_COUNT, SQL_CATALOG_USAGE,
	SQL_SCHEMA_USAGE, SQL_INFO_SCHEMA_VIEWS, SQL_TXN_ISOLATION_OPTION,
};

static int has_check(SQLUSMALLINT info, SQLUINTEGER bit)
{
	for (size_t i = 0; i < sizeof bit_checks / sizeof bit_checks[0]; i++)
		if (bit_checks[i].info == info && bit_checks[i].bit == bit)
			return 1;
	return 0;
}

Test(info, every_claimed_bit_runs_as_claimed)
{
	for (size_t k = 0; k < sizeof bitmask_infos / sizeof bitmask_infos[0]; k++) {
		SQLUSMALLINT info = bitmask_infos[k];
		SQLUINTEGER mask = info_u32(info);
		for (int b = 0; b < 32; b++) {
			SQLUINTEGER bit = 1u << b;
			int rows = 0;
			if (!(mask & bit))
				continue;
			for (size_t i = 0; i < N_BIT_CASES; i++) {
				if (bit_cases[i].info != info || bit_cases[i].bit != bit)
					continue;
				rows++;
				EXPECT_TEXT(outcome(bit_cases[i].sql), bit_cases[i].want,
					    "info %u bit 0x%x: %s", info, bit, bit_cases[i].sql);
			}
			cr_expect(rows > 0 || has_check(info, bit),
				  "info %u claims bit 0x%x, which no row of bit_cases tests", info,
				  bit);
		}
	}
	/* a row for a bit no longer claimed is stale: the claim went away */
	for (size_t i = 0; i < N_BIT_CASES; i++)
		cr_expect(info_u32(bit_cases[i].info) & bit_cases[i].bit,
			  "bit_cases row for info %u bit 0x%x, which is not claimed",
			  bit_cases[i].info, bit_cases[i].bit);
}

/* The claims the driver does not make, shown false by the server: no
 * quantified comparisons, no SELECT INTO, no SQL-92 TRIM, GRANT, CREATE
 * SCHEMA or DATE literal (also why SQL_SQL_CONFORMANCE is 0). */
Test(info, unclaimed_features_really_fail)
{
	static const struct {
		SQLUSMALLINT info;
		SQLUINTEGER bit;
		const char *sql, *state;
	} cases[] = {
		{SQL_SUBQUERIES, SQL_SQ_QUANTIFIED, "SELECT 1 WHERE 1 > ALL (SELECT 0)", "ERR 42000"},
		{SQL_SUBQUERIES, SQL_SQ_QUANTIFIED, "SELECT 1 WHERE 1 = ANY (SELECT 1)", "ERR 42000"},
		{SQL_INSERT_STATEMENT, SQL_IS_SELECT_INTO,
		 "CREATE TABLE si (a); SELECT a INTO si2 FROM si", "ERR 42000"},
		{SQL_SQL92_STRING_FUNCTIONS, SQL_SSF_TRIM_BOTH, "SELECT TRIM(BOTH ' ' FROM ' a ')", "ERR 42000"},
		{SQL_SQL92_GRANT, SQL_SG_SELECT_TABLE, "CREATE TABLE g (a); GRANT SELECT ON g TO PUBLIC", "ERR 42000"},
		{SQL_CREATE_SCHEMA, SQL_CS_CREATE_SCHEMA, "CREATE SCHEMA s", "ERR 42000"},
		/* DATE is read as a column name */
		{SQL_DATETIME_LITERALS, SQL_DL_SQL92_DATE, "SELECT DATE '2024-01-02'", "ERR HY000"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cr_expect_eq(info_u32(cases[i].info) & cases[i].bit, 0, "%s", cases[i].sql);
		EXPECT_TEXT(outcome(cases[i].sql), cases[i].state, "%s", cases[i].sql);
	}
}

Test(info, batch_row_counts_are_per_statement)
{
	static const SQLLEN want[] = {-1, 2, 1, 2};
	SQLHSTMT st;
	SQLLEN n;
	cr_assert_eq(info_u32(SQL_BATCH_ROW_COUNT), SQL_BRC_EXPLICIT, "not SQL_BRC_ROLLED_UP");
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	OKS(SQLExecDirect(st, (SQLCHAR *)"CREATE TABLE rc (a); INSERT INTO rc VALUES (1), (2);"
					" UPDATE rc SET a = 3 WHERE a = 1; DELETE FROM rc",
			  SQL_NTS), st);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (i > 0)
			OKS(SQLMoreResults(st), st);
		OKS(SQLRowCount(st, &n), st);
		cr_expect_eq(n, want[i], "statement %zu: %ld rows", i, (long)n);
	}
	cr_assert_eq(SQLMoreResults(st), SQL_NO_DATA);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
}

/* SQL_PARC_NO_BATCH: one total row count for the array; SQL_PAS_NO_SELECT:
 * a statement returning rows is refused with an array. */
Test(info, param_arrays_one_total_and_no_selects)
{
	SQLINTEGER v[3] = {1, 2, 3};
	SQLLEN n;
	SQLHSTMT st;
	cr_assert_eq(info_u32(SQL_PARAM_ARRAY_ROW_COUNTS), SQL_PARC_NO_BATCH);
	cr_assert_eq(info_u32(SQL_PARAM_ARRAY_SELECTS), SQL_PAS_NO_SELECT);
	exec_ok(dbc, "CREATE TABLE pa (a INTEGER)");
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)3, 0), st);
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, v, 0, NULL),
	    st);
	OKS(SQLExecDirect(st, (SQLCHAR *)"INSERT INTO pa VALUES (?)", SQL_NTS), st);
	OKS(SQLRowCount(st, &n), st);
	cr_assert_eq(n, 3, "the total of the three sets");
	cr_assert_eq(SQLMoreResults(st), SQL_NO_DATA, "no count per set");
	OKS(SQLExecDirect(st, (SQLCHAR *)"UPDATE pa SET a = a + 10 WHERE a <= ?", SQL_NTS), st);
	OKS(SQLRowCount(st, &n), st);
	cr_assert_eq(n, 3, "each set updates one row");
	cr_assert_eq(SQLExecDirect(st, (SQLCHAR *)"SELECT a FROM pa WHERE a = ?", SQL_NTS),
		     SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HYC00");
	cr_assert(strstr(diag(SQL_HANDLE_STMT, st), "parameter array"), "%s",
		  diag(SQL_HANDLE_STMT, st));
	/* one set is no array: the SELECT runs */
	OKS(SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0), st);
	v[0] = 12;
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT count(*) FROM pa WHERE a = ?", SQL_NTS), st);
	OKS(SQLFetch(st), st);
	OKS(SQLGetData(st, 1, SQL_C_SLONG, &v[1], 0, NULL), st);
	cr_assert_eq(v[1], 1);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
}

/* --------------------------------------------------------- conversions */

/* What a value can be: the source families of SQL_CONVERT_* and the target
 * families of SQL_CVT_* */
enum { F_BIT, F_INT, F_EXACT, F_APPROX, F_TEXT, F_BIN, F_DATE, F_TIME, F_TS, F_N, F_NONE };

/* A column of table src per source type (row 1: numbers, row 2: the text
 * columns hold a timestamp), checked to describe as that type. */
static const struct {
	SQLUSMALLINT info;
	const char *col;
	SQLSMALLINT type;
	int family;
} convert_sources[] = {
	{SQL_CONVERT_BIT, "bit", SQL_BIT, F_BIT},
	{SQL_CONVERT_TINYINT, "ti", SQL_TINYINT, F_INT},
	{SQL_CONVERT_SMALLINT, "si", SQL_SMALLINT, F_INT},
	{SQL_CONVERT_INTEGER, "i", SQL_INTEGER, F_INT},
	{SQL_CONVERT_BIGINT, "bi", SQL_BIGINT, F_INT},
	{SQL_CONVERT_DECIMAL, "de", SQL_DECIMAL, F_EXACT},
	{SQL_CONVERT_NUMERIC, "nu", SQL_NUMERIC, F_EXACT},
	{SQL_CONVERT_FLOAT, "fl", SQL_FLOAT, F_APPROX},
	{SQL_CONVERT_DOUBLE, "db", SQL_DOUBLE, F_APPROX},
	{SQL_CONVERT_CHAR, "ch", SQL_CHAR, F_TEXT},
	{SQL_CONVERT_VARCHAR, "vc", SQL_VARCHAR, F_TEXT},
	{SQL_CONVERT_LONGVARCHAR, "lvc", SQL_LONGVARCHAR, F_TEXT},
	{SQL_CONVERT_WCHAR, "wc", SQL_WCHAR, F_TEXT},
	{SQL_CONVERT_WVARCHAR, "wvc", SQL_WVARCHAR, F_TEXT},
	{SQL_CONVERT_WLONGVARCHAR, "wlvc", SQL_WLONGVARCHAR, F_TEXT},
	{SQL_CONVERT_BINARY, "bn", SQL_BINARY, F_BIN},
	{SQL_CONVERT_VARBINARY, "vb", SQL_VARBINARY, F_BIN},
	{SQL_CONVERT_LONGVARBINARY, "lvb", SQL_LONGVARBINARY, F_BIN},
	{SQL_CONVERT_DATE, "d", SQL_TYPE_DATE, F_DATE},
	{SQL_CONVERT_TIME, "t", SQL_TYPE_TIME, F_TIME},
	{SQL_CONVERT_TIMESTAMP, "ts", SQL_TYPE_TIMESTAMP, F_TS},
	/* no value is of these types here: nothing may be claimed */
	{SQL_CONVERT_REAL, NULL, 0, F_NONE},
	{SQL_CONVERT_GUID, NULL, 0, F_NONE},
	{SQL_CONVERT_INTERVAL_YEAR_MONTH, NULL, 0, F_NONE},
	{SQL_CONVERT_INTERVAL_DAY_TIME, NULL, 0, F_NONE},
};

static const struct {
	SQLUINTEGER bit;
	const char *name;
	int family;
} convert_targets[] = {
	{SQL_CVT_BIT, "SQL_BIT", F_BIT},
	{SQL_CVT_TINYINT, "SQL_TINYINT", F_INT},
	{SQL_CVT_SMALLINT, "SQL_SMALLINT", F_INT},
	{SQL_CVT_INTEGER, "SQL_INTEGER", F_INT},
	{SQL_CVT_BIGINT, "SQL_BIGINT", F_INT},
	{SQL_CVT_DECIMAL, "SQL_DECIMAL", F_EXACT},
	{SQL_CVT_NUMERIC, "SQL_NUMERIC", F_EXACT},
	{SQL_CVT_FLOAT, "SQL_FLOAT", F_APPROX},
	{SQL_CVT_REAL, "SQL_REAL", F_APPROX},
	{SQL_CVT_DOUBLE, "SQL_DOUBLE", F_APPROX},
	{SQL_CVT_CHAR, "SQL_CHAR", F_TEXT},
	{SQL_CVT_VARCHAR, "SQL_VARCHAR", F_TEXT},
	{SQL_CVT_LONGVARCHAR, "SQL_LONGVARCHAR", F_TEXT},
	{SQL_CVT_WCHAR, "SQL_WCHAR", F_TEXT},
	{SQL_CVT_WVARCHAR, "SQL_WVARCHAR", F_TEXT},
	{SQL_CVT_WLONGVARCHAR, "SQL_WLONGVARCHAR", F_TEXT},
	{SQL_CVT_BINARY, "SQL_BINARY", F_BIN},
	{SQL_CVT_VARBINARY, "SQL_VARBINARY", F_BIN},
	{SQL_CVT_LONGVARBINARY, "SQL_LONGVARBINARY", F_BIN},
	{SQL_CVT_DATE, "SQL_DATE", F_DATE},
	{SQL_CVT_TIME, "SQL_TIME", F_TIME},
	{SQL_CVT_TIMESTAMP, "SQL_TIMESTAMP", F_TS},
};

/* [source][target]: the row of src and what CONVERT gives, as
 * typeof(v) || ':' || quote(v) (the storage class and the exact value);
 * NULL: no such conversion is claimable (a claim of it fails the test). */
static const struct {
	int row;
	const char *want;
} convert_results[F_N][F_N] = {
#define NUMS(bit, i, exact, approx, text) {1, bit}, {1, i}, {1, exact}, {1, approx}, {1, text}
	[F_BIT] = {NUMS("integer:1", "integer:1", "integer:1", "real:1.0", "text:'1'")},
	[F_INT] = {NUMS("integer:1", "integer:42", "integer:42", "real:42.0", "text:'42'")},
	[F_EXACT] = {NUMS("integer:1", "integer:42", "real:42.5", "real:42.5", "text:'42.5'")},
	[F_APPROX] = {NUMS("integer:1", "integer:42", "real:42.5", "real:42.5", "text:'42.5'")},
	[F_TEXT] = {NUMS("integer:1", "integer:42", "integer:42", "real:42.0", "text:'42'"),
		    {1, "blob:X'3432'"}, {2, "text:'2024-01-02'"}, {2, "text:'10:11:12'"},
		    {2, "text:'2024-01-02 10:11:12'"}},
	[F_BIN] = {[F_TEXT] = {1, "text:'42'"}, [F_BIN] = {1, "blob:X'3432'"}},
	[F_DATE] = {[F_TEXT] = {1, "text:'2024-01-02'"}, [F_DATE] = {1, "text:'2024-01-02'"},
		    [F_TS] = {1, "text:'2024-01-02 00:00:00'"}},
	[F_TIME] = {[F_TEXT] = {1, "text:'10:11:12'"}, [F_TIME] = {1, "text:'10:11:12'"}},
	[F_TS] = {[F_TEXT] = {1, "text:'2024-01-02 10:11:12'"}, [F_DATE] = {1, "text:'2024-01-02'"},
		  [F_TIME] = {1, "text:'10:11:12'"}, [F_TS] = {1, "text:'2024-01-02 10:11:12'"}},
};

static void make_convert_source(void)
{
	exec_ok(dbc, "CREATE TABLE src (k INTEGER, bit BOOLEAN, ti TINYINT, si SMALLINT, i INT,"
		     " bi BIGINT, de DECIMAL(10,2), nu NUMERIC(10,2), fl FLOAT, db DOUBLE,"
		     " ch CHAR(20), vc VARCHAR(20), lvc TEXT, wc NCHAR(20), wvc NVARCHAR(20),"
		     " wlvc NTEXT, bn BINARY(2), vb VARBINARY(2), lvb BLOB, d DATE, t TIME,"
		     " ts TIMESTAMP)");
	exec_ok(dbc, "INSERT INTO src VALUES (1, 1, 42, 42, 42, 42, 42.5, 42.5, 42.5, 42.5,"
		     " '42', '42', '42', '42', '42', '42', x'3432', x'3432', x'3432',"
		     " '2024-01-02', '10:11:12', '2024-01-02 10:11:12')");
	exec_ok(dbc, "INSERT INTO src SELECT 2, bit, ti, si, i, bi, de, nu, fl, db, ts, ts, ts,"
		     " ts, ts, ts, bn, vb, lvb, d, t, ts FROM src");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
}

/* The source column really has the SQL type its SQL_CONVERT_* names. */
static void expect_column_type(const char *col, SQLSMALLINT type)
{
	char sql[64];
	SQLHSTMT st;
	SQLSMALLINT got = 0;
	snprintf(sql, sizeof sql, "SELECT %s FROM src", col);
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	OKS(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS), st);
	OKS(SQLDescribeCol(st, 1, NULL, 0, NULL, &got, NULL, NULL, NULL), st);
	cr_expect_eq(got, type, "column %s describes as %d, not %d", col, got, type);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
}

Test(info, every_claimed_conversion_converts)
{
	make_convert_source();
	for (size_t s = 0; s < sizeof convert_sources / sizeof convert_sources[0]; s++) {
		SQLUINTEGER mask = info_u32(convert_sources[s].info);
		int from = convert_sources[s].family;
		if (from == F_NONE) {
			cr_expect_eq(mask, 0, "SQL_CONVERT info %u", convert_sources[s].info);
			continue;
		}
		expect_column_type(convert_sources[s].col, convert_sources[s].type);
		cr_expect_neq(mask, 0, "%s converts to nothing?", convert_sources[s].col);
		for (size_t t = 0; t < sizeof convert_targets / sizeof convert_targets[0]; t++) {
			int to = convert_targets[t].family;
			char sql[192];
			if (!(mask & convert_targets[t].bit))
				continue;
			mask &= ~convert_targets[t].bit;
			cr_expect_not_null(convert_results[from][to].want, "%s -> %s claimed",
					   convert_sources[s].col, convert_targets[t].name);
			if (convert_results[from][to].want == NULL)
				continue;
			snprintf(sql, sizeof sql,
				 "SELECT typeof(v) || ':' || quote(v) FROM"
				 " (SELECT {fn CONVERT(%s, %s)} AS v FROM src WHERE k = %d)",
				 convert_sources[s].col, convert_targets[t].name,
				 convert_results[from][to].row);
			EXPECT_TEXT(outcome(sql), convert_results[from][to].want, "%s", sql);
		}
		cr_expect_eq(mask, 0, "%s: claimed targets 0x%x have no row in convert_targets",
			     convert_sources[s].col, mask);
	}
}

/* ------------------------------------------------------ single values */

enum { VS, V16, V32 };

/* The exact answer, and (when it claims something SQL can show) SQL and
 * its outcome. Claims shown by a test of their own name it in a comment. */
typedef struct value_case {
	SQLUSMALLINT info;
	int kind;
	const char *s;
	SQLUINTEGER n;
	const char *sql, *want;
} value_case;

#define STR(id, v, ...) {id, VS, v, 0, __VA_ARGS__}
#define U16(id, v, ...) {id, V16, NULL, v, __VA_ARGS__}
#define U32(id, v, ...) {id, V32, NULL, v, __VA_ARGS__}

static const value_case value_cases[] = {
	STR(SQL_DRIVER_NAME, "libdqliteodbc.so"),
	STR(SQL_DRIVER_VER, "00.01.0000"),
	STR(SQL_DRIVER_ODBC_VER, "03.51"),
	STR(SQL_DBMS_NAME, "dqlite"),
	/* ##.##.####: Debian 12's SQLite behind libdqlite0 */
	STR(SQL_DBMS_VER, "03.40.0001", "SELECT sqlite_version()", "3.40.1"),
	STR(SQL_DATA_SOURCE_NAME, "dqtest"),
	STR(SQL_DATABASE_NAME, "info"),
	STR(SQL_DATA_SOURCE_READ_ONLY, "N",
	    "CREATE TABLE ro (a); INSERT INTO ro VALUES (1); SELECT count(*) FROM ro", "1"),
	STR(SQL_ACCESSIBLE_PROCEDURES, "N"),
	STR(SQL_ACCESSIBLE_TABLES, "Y", "CREATE TABLE acc (a); SELECT count(*) FROM acc", "0"),
	STR(SQL_USER_NAME, "", "SELECT '[' || {fn USER()} || ']'", "[]"),
	STR(SQL_SEARCH_PATTERN_ESCAPE, "\\"), /* names_and_pattern_escape */
	STR(SQL_IDENTIFIER_QUOTE_CHAR, "\"", "SELECT \"a b\" FROM (SELECT 5 AS \"a b\")", "5"),
	STR(SQL_SPECIAL_CHARACTERS, ""),
	STR(SQL_CATALOG_NAME, "N"),
	STR(SQL_CATALOG_NAME_SEPARATOR, ""),
	STR(SQL_CATALOG_TERM, ""),
	STR(SQL_SCHEMA_TERM, ""),
	STR(SQL_TABLE_TERM, "table"),
	STR(SQL_PROCEDURE_TERM, ""),
	STR(SQL_PROCEDURES, "N"),
	STR(SQL_COLUMN_ALIAS, "Y", "SELECT x + 1 FROM (SELECT 3 AS x)", "4"),
	STR(SQL_EXPRESSIONS_IN_ORDERBY, "Y",
	    "SELECT column1 FROM (VALUES (1), (2)) ORDER BY -column1", "2"),
	STR(SQL_ORDER_BY_COLUMNS_IN_SELECT, "N",
	    "SELECT column1 FROM (VALUES (1, 2), (2, 1)) ORDER BY column2", "2"),
	STR(SQL_OUTER_JOINS, "Y",
	    "SELECT count(*) FROM {oj (VALUES (1), (2)) a LEFT OUTER JOIN (VALUES (2)) b"
	    " ON a.column1 = b.column1}", "2"),
	STR(SQL_LIKE_ESCAPE_CLAUSE, "Y",
	    "SELECT ('a%' LIKE 'a!%' ESCAPE '!') + ('ab' LIKE 'a!%' ESCAPE '!')", "1"),
	STR(SQL_MULT_RESULT_SETS, "Y", "SELECT 1; SELECT 2", "2"),
	STR(SQL_MULTIPLE_ACTIVE_TXN, "Y"), /* transactions_as_claimed */
	STR(SQL_NEED_LONG_DATA_LEN, "N"),
	STR(SQL_INTEGRITY, "Y", "CREATE TABLE ig (a CHECK (a > 0)); INSERT INTO ig VALUES (0)",
	    "ERR 23000"),
	STR(SQL_MAX_ROW_SIZE_INCLUDES_LONG, "Y"), /* moot: SQL_MAX_ROW_SIZE is 0 */
	STR(SQL_COLLATION_SEQ, "BINARY", "SELECT ('B' < 'a') + ('a' = 'A')", "1"),
	STR(SQL_KEYWORDS,
	    "ABORT,ANALYZE,ATTACH,AUTOINCREMENT,CONFLICT,DATABASE,DETACH,"
	    "EXCLUSIVE,EXPLAIN,FAIL,GLOB,IF,IGNORE,INDEXED,INSTEAD,ISNULL,"
	    "LIMIT,NOTNULL,OFFSET,PLAN,PRAGMA,QUERY,RAISE,RECURSIVE,REGEXP,"
	    "REINDEX,RELEASE,RENAME,REPLACE,RETURNING,ROW,SAVEPOINT,TEMP,"
	    "TEMPORARY,VACUUM,VIRTUAL,WITHOUT"),
	STR(SQL_XOPEN_CLI_YEAR, "1995"),
	/* conformance: SQLite's dialect meets no SQL-92 level (no ANY / SOME /
	 * ALL, no GRANT) and only ODBC's minimum SQL grammar */
	U16(SQL_ODBC_API_CONFORMANCE, SQL_OAC_LEVEL1),
	U16(SQL_ODBC_SQL_CONFORMANCE, SQL_OSC_MINIMUM,
	    "CREATE TABLE mg (a CHAR(5), b VARCHAR(5), c LONG VARCHAR); INSERT INTO mg VALUES"
	    " ('x', 'y', 'z'); UPDATE mg SET a = 'w' WHERE b = 'y'; DELETE FROM mg WHERE c = 'q';"
	    " SELECT a || b || c FROM mg; DROP TABLE mg; SELECT 'dropped'", "dropped"),
	U32(SQL_ODBC_INTERFACE_CONFORMANCE, SQL_OIC_CORE), /* every_reported_function_works */
	U32(SQL_SQL_CONFORMANCE, 0), /* unclaimed_features_really_fail */
	U16(SQL_ODBC_SAG_CLI_CONFORMANCE, SQL_OSCC_COMPLIANT),
	U32(SQL_STANDARD_CLI_CONFORMANCE, SQL_SCC_XOPEN_CLI_VERSION1),
	/* limits: 0 is "no limit or unknown" */
	U16(SQL_MAX_CONCURRENT_ACTIVITIES, 0), /* limits_hold */
	U16(SQL_MAX_DRIVER_CONNECTIONS, 0),
	U16(SQL_MAX_COLUMN_NAME_LEN, 0),
	U16(SQL_MAX_CURSOR_NAME_LEN, 63), /* limits_hold */
	U16(SQL_MAX_SCHEMA_NAME_LEN, 0),
	U16(SQL_MAX_CATALOG_NAME_LEN, 0),
	U16(SQL_MAX_TABLE_NAME_LEN, 0),
	U16(SQL_MAX_PROCEDURE_NAME_LEN, 0),
	U16(SQL_MAX_USER_NAME_LEN, 0),
	U16(SQL_MAX_COLUMNS_IN_GROUP_BY, 0),
	U16(SQL_MAX_COLUMNS_IN_INDEX, 0),
	U16(SQL_MAX_COLUMNS_IN_ORDER_BY, 0),
	U16(SQL_MAX_COLUMNS_IN_SELECT, 509), /* test_safety.c: the page limit */
	U16(SQL_MAX_COLUMNS_IN_TABLE, 2000), /* limits_hold */
	U16(SQL_MAX_TABLES_IN_SELECT, 64),   /* limits_hold */
	U16(SQL_MAX_IDENTIFIER_LEN, 0),
	U32(SQL_MAX_INDEX_SIZE, 0),
	U32(SQL_MAX_ROW_SIZE, 0),
	U32(SQL_MAX_STATEMENT_LEN, 1000000000), /* not cheap: 1 GB of SQL */
	U32(SQL_MAX_CHAR_LITERAL_LEN, 0),
	U32(SQL_MAX_BINARY_LITERAL_LEN, 0),
	U32(SQL_MAX_ASYNC_CONCURRENT_STATEMENTS, 1),
	/* param_arrays_one_total_and_no_selects */
	U32(SQL_PARAM_ARRAY_ROW_COUNTS, SQL_PARC_NO_BATCH),
	U32(SQL_PARAM_ARRAY_SELECTS, SQL_PAS_NO_SELECT),
	/* transactions_as_claimed */
	U16(SQL_TXN_CAPABLE, SQL_TC_ALL),
	U32(SQL_DEFAULT_TXN_ISOLATION, SQL_TXN_SERIALIZABLE),
	U16(SQL_CURSOR_COMMIT_BEHAVIOR, SQL_CB_CLOSE),
	U16(SQL_CURSOR_ROLLBACK_BEHAVIOR, SQL_CB_CLOSE),
	U32(SQL_ASYNC_MODE, SQL_AM_STATEMENT),
	U32(SQL_ASYNC_DBC_FUNCTIONS, SQL_ASYNC_DBC_CAPABLE),
	U32(SQL_DRIVER_AWARE_POOLING_SUPPORTED, SQL_DRIVER_AWARE_POOLING_NOT_CAPABLE),
	U16(SQL_CATALOG_LOCATION, 0),
	U16(SQL_IDENTIFIER_CASE, SQL_IC_MIXED,
	    "CREATE TABLE MiXed (a); INSERT INTO MIXED VALUES (1);"
	    " SELECT name FROM sqlite_master WHERE (SELECT count(*) FROM mixed) = 1", "MiXed"),
	U16(SQL_QUOTED_IDENTIFIER_CASE, SQL_IC_MIXED,
	    "CREATE TABLE \"QuO\" (a); INSERT INTO \"quo\" VALUES (1);"
	    " SELECT name FROM sqlite_master WHERE (SELECT count(*) FROM \"QUO\") = 1", "QuO"),
	U16(SQL_CONCAT_NULL_BEHAVIOR, SQL_CB_NULL, "SELECT ('a' || NULL) IS NULL", "1"),
	U16(SQL_CORRELATION_NAME, SQL_CN_ANY,
	    "CREATE TABLE cn (a); INSERT INTO cn VALUES (4); SELECT cn.a + x.a FROM cn AS x,"
	    " cn AS cn", "8"),
	U16(SQL_GROUP_BY, SQL_GB_NO_RELATION,
	    "SELECT count(*) FROM (VALUES (1), (1), (2)) GROUP BY column1 ORDER BY 1 DESC", "2"),
	U16(SQL_NON_NULLABLE_COLUMNS, SQL_NNC_NON_NULL,
	    "CREATE TABLE nn (a NOT NULL); INSERT INTO nn VALUES (NULL)", "ERR 23000"),
	U16(SQL_NULL_COLLATION, SQL_NC_LOW,
	    "SELECT column1 FROM (VALUES (1), (NULL)) ORDER BY column1", "NULL"),
	U16(SQL_NULL_COLLATION, SQL_NC_LOW,
	    "SELECT column1 FROM (VALUES (NULL), (1)) ORDER BY column1 DESC", "1"),
	U16(SQL_FILE_USAGE, SQL_FILE_NOT_SUPPORTED),
	U16(SQL_ACTIVE_ENVIRONMENTS, 0),
	U32(SQL_DTC_TRANSITION_COST, 0),
};
#define N_VALUE_CASES (sizeof value_cases / sizeof value_cases[0])

/* Answered, but claimed and tested by others: the cursor attributes
 * (scrollable cursors' suite), SQL_DESCRIBE_PARAMETER (SQLDescribeParam's),
 * handles (test_pooling.c), the driver manager's own version; and
 * SQL_SERVER_NAME (names_and_pattern_escape: it is the node's address). */
static const SQLUSMALLINT owned_elsewhere[] = {
	SQL_SCROLL_OPTIONS, SQL_SCROLL_CONCURRENCY, SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1,
	SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2, SQL_STATIC_CURSOR_ATTRIBUTES1,
	SQL_STATIC_CURSOR_ATTRIBUTES2, SQL_DYNAMIC_CURSOR_ATTRIBUTES1,
	SQL_DYNAMIC_CURSOR_ATTRIBUTES2, SQL_KEYSET_CURSOR_ATTRIBUTES1,
	SQL_KEYSET_CURSOR_ATTRIBUTES2, SQL_CURSOR_SENSITIVITY, SQL_FETCH_DIRECTION,
	SQL_LOCK_TYPES, SQL_POS_OPERATIONS, SQL_POSITIONED_STATEMENTS,
	SQL_STATIC_SENSITIVITY, SQL_BOOKMARK_PERSISTENCE, SQL_GETDATA_EXTENSIONS,
	SQL_ROW_UPDATES, SQL_DESCRIBE_PARAMETER, SQL_DRIVER_HENV, SQL_DRIVER_HDBC,
	SQL_ODBC_VER, SQL_DM_VER, SQL_SERVER_NAME,
};

Test(info, every_value_is_exact_and_shown)
{
	for (size_t i = 0; i < N_VALUE_CASES; i++) {
		const value_case *c = &value_cases[i];
		SQLCHAR s[512] = "";
		SQLUSMALLINT u16 = 0xbeef;
		SQLUINTEGER u32 = 0xdeadbeef;
		SQLSMALLINT len = -1;
		switch (c->kind) {
		case VS:
			OKC(SQLGetInfo(dbc, c->info, s, sizeof s, &len), dbc);
			cr_expect_str_eq((char *)s, c->s, "info %u", c->info);
			cr_expect_eq(len, (SQLSMALLINT)strlen(c->s), "info %u length", c->info);
			break;
		case V16:
			OKC(SQLGetInfo(dbc, c->info, &u16, sizeof u16, &len), dbc);
			cr_expect_eq(u16, c->n, "info %u: %u", c->info, u16);
			cr_expect_eq(len, 2, "info %u is a SQLUSMALLINT", c->info);
			break;
		default:
			OKC(SQLGetInfo(dbc, c->info, &u32, sizeof u32, &len), dbc);
			cr_expect_eq(u32, c->n, "info %u: 0x%x", c->info, u32);
			cr_expect_eq(len, 4, "info %u is a SQLUINTEGER", c->info);
		}
		if (c->sql)
			EXPECT_TEXT(outcome(c->sql), c->want, "info %u: %s", c->info, c->sql);
	}
}

static int listed(const SQLUSMALLINT *ids, size_t n, SQLUSMALLINT id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static int has_row(SQLUSMALLINT id)
{
	for (size_t i = 0; i < N_VALUE_CASES; i++)
		if (value_cases[i].info == id)
			return 1;
	for (size_t i = 0; i < sizeof convert_sources / sizeof convert_sources[0]; i++)
		if (convert_sources[i].info == id)
			return 1;
	return listed(bitmask_infos, sizeof bitmask_infos / sizeof bitmask_infos[0], id) ||
	       listed(owned_elsewhere, sizeof owned_elsewhere / sizeof owned_elsewhere[0], id);
}

/* Every information type the driver answers has a row above: a new claim
 * without a test fails here. Unknown types are HY096. */
Test(info, every_answered_type_has_a_test_row)
{
	int answered = 0;
	for (unsigned id = 0; id < 20000; id++) {
		SQLCHAR buf[1024];
		SQLSMALLINT len;
		SQLRETURN rc;
		if (id == 200)
			id = 10000; /* ODBC's two ranges */
		if (id == 10100)
			break;
		if (id == SQL_DRIVER_HSTMT || id == SQL_DRIVER_HLIB || id == SQL_DRIVER_HDESC)
			continue; /* the driver manager's: they read a handle from buf */
		rc = SQLGetInfo(dbc, (SQLUSMALLINT)id, buf, sizeof buf, &len);
		if (!SQL_SUCCEEDED(rc)) {
			cr_expect_str_eq(sqlstate(SQL_HANDLE_DBC, dbc), "HY096", "info %u", id);
			continue;
		}
		answered++;
		cr_expect(has_row((SQLUSMALLINT)id), "info %u is answered but has no test row", id);
	}
	cr_expect_gt(answered, 150);
}

/* ------------------------------------------------- claims shown by calls */

Test(info, names_and_pattern_escape)
{
	SQLCHAR s[64];
	SQLHSTMT st;
	int rows = 0;
	OKC(SQLGetInfo(dbc, SQL_SERVER_NAME, s, sizeof s, NULL), dbc);
	cr_expect_str_eq((char *)s, fx.cl.nodes[0].address);
	/* SQL_SEARCH_PATTERN_ESCAPE: "a\_b" matches a_b, not axb */
	exec_ok(dbc, "CREATE TABLE a_b (x)");
	exec_ok(dbc, "CREATE TABLE axb (x)");
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	OKS(SQLTables(st, NULL, 0, NULL, 0, (SQLCHAR *)"a\\_b", SQL_NTS, NULL, 0), st);
	while (SQL_SUCCEEDED(SQLFetch(st))) {
		OKS(SQLGetData(st, 3, SQL_C_CHAR, s, sizeof s, NULL), st);
		cr_expect_str_eq((char *)s, "a_b");
		rows++;
	}
	cr_expect_eq(rows, 1);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
}

/* Runs sql on a fresh statement: its diagnostic ("STATE: message") if it
 * fails, "" if not. */
static const char *run_diag(const char *sql)
{
	static char text[1200];
	SQLHSTMT st;
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	text[0] = '\0';
	if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS)))
		snprintf(text, sizeof text, "%s", diag(SQL_HANDLE_STMT, st));
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	return text;
}

/* SQL text for a table of n columns, or a select joining n tables. */
static char *wide_sql(int n, int join)
{
	char *sql = malloc((size_t)n * 16 + 64), *p = sql;
	p += sprintf(p, join ? "SELECT count(*) FROM j t0" : "CREATE TABLE w%d (c0", n);
	for (int i = 1; i < n; i++)
		p += sprintf(p, join ? ", j t%d" : ", c%d", i);
	strcpy(p, join ? "" : ")");
	return sql;
}

Test(info, limits_hold)
{
	char name[80];
	SQLHSTMT a, b;
	SQLINTEGER v = 0;
	/* SQL_MAX_CURSOR_NAME_LEN: that long works, one more is 34000 */
	SQLUSMALLINT max = 0;
	OKC(SQLGetInfo(dbc, SQL_MAX_CURSOR_NAME_LEN, &max, 0, NULL), dbc);
	cr_assert(max > 0 && max < sizeof name - 1);
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &a);
	memset(name, 'c', max + 1u);
	name[max + 1] = '\0';
	cr_expect_eq(SQLSetCursorName(a, (SQLCHAR *)name, SQL_NTS), SQL_ERROR);
	cr_expect_str_eq(sqlstate(SQL_HANDLE_STMT, a), "34000");
	name[max] = '\0';
	OKS(SQLSetCursorName(a, (SQLCHAR *)name, SQL_NTS), a);
	/* SQL_MAX_CONCURRENT_ACTIVITIES 0: two open cursors, fetched in turn */
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &b);
	OKS(SQLExecDirect(a, (SQLCHAR *)"SELECT 1 UNION ALL SELECT 2", SQL_NTS), a);
	OKS(SQLExecDirect(b, (SQLCHAR *)"SELECT 10 UNION ALL SELECT 20", SQL_NTS), b);
	for (int i = 1; i <= 2; i++) {
		OKS(SQLFetch(a), a);
		OKS(SQLGetData(a, 1, SQL_C_SLONG, &v, 0, NULL), a);
		cr_expect_eq(v, i);
		OKS(SQLFetch(b), b);
		OKS(SQLGetData(b, 1, SQL_C_SLONG, &v, 0, NULL), b);
		cr_expect_eq(v, 10 * i);
	}
	SQLFreeHandle(SQL_HANDLE_STMT, a);
	SQLFreeHandle(SQL_HANDLE_STMT, b);
	/* SQL_MAX_COLUMNS_IN_TABLE and SQL_MAX_TABLES_IN_SELECT: the limit
	 * works, one more is the server's error */
	exec_ok(dbc, "CREATE TABLE j (x)");
	for (int join = 0; join <= 1; join++) {
		char want[128], *sql;
		OKC(SQLGetInfo(dbc, join ? SQL_MAX_TABLES_IN_SELECT : SQL_MAX_COLUMNS_IN_TABLE, &max,
			       0, NULL), dbc);
		cr_assert_gt(max, 1);
		sql = wide_sql(max, join);
		EXPECT_TEXT(run_diag(sql), "", "%u %s", max, join ? "tables" : "columns");
		free(sql);
		sql = wide_sql(max + 1, join);
		if (join)
			snprintf(want, sizeof want, "HY000: [dqlite-odbc]at most %u tables in a join",
				 max);
		else
			snprintf(want, sizeof want, "HY000: [dqlite-odbc]too many columns on w%u",
				 max + 1);
		EXPECT_TEXT(run_diag(sql), want, "%u + 1", max);
		free(sql);
	}
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
}

/* SQL_TXN_CAPABLE (DDL and DML roll back together), the isolation level,
 * SQL_MULTIPLE_ACTIVE_TXN and SQL_CB_CLOSE on commit and rollback. */
Test(info, transactions_as_claimed)
{
	SQLHENV env2;
	SQLHDBC dbc2;
	SQLHSTMT st;
	SQLUINTEGER iso = 0;
	exec_ok(dbc, "CREATE TABLE tx (a)");
	exec_ok(dbc, "INSERT INTO tx VALUES (1)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
	cr_expect_str_eq(outcome("SELECT count(*) FROM sqlite_master WHERE name = 'tx'"), "0");
	/* serializable is the level and the only option */
	OKC(SQLGetConnectAttr(dbc, SQL_ATTR_TXN_ISOLATION, &iso, 0, NULL), dbc);
	cr_expect_eq(iso, SQL_TXN_SERIALIZABLE);
	cr_expect_eq(info_u32(SQL_TXN_ISOLATION_OPTION), SQL_TXN_SERIALIZABLE);
	OKC(SQLSetConnectAttr(dbc, SQL_ATTR_TXN_ISOLATION, (SQLPOINTER)SQL_TXN_SERIALIZABLE, 0),
	    dbc);
	cr_expect_eq(SQLSetConnectAttr(dbc, SQL_ATTR_TXN_ISOLATION,
				       (SQLPOINTER)SQL_TXN_READ_COMMITTED, 0), SQL_ERROR);
	/* two connections, each in its own transaction at once */
	exec_ok(dbc, "CREATE TABLE mt (a)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	dbc2 = odbc_connect(&env2, NULL);
	exec_ok(dbc, "INSERT INTO mt VALUES (1)");
	cr_expect_eq(query_int(dbc2, "SELECT count(*) FROM mt"), 0, "not yet committed");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc2, SQL_COMMIT), dbc2);
	cr_expect_eq(query_int(dbc2, "SELECT count(*) FROM mt"), 1);
	odbc_close(env2, dbc2);
	/* SQL_CB_CLOSE: the cursor closes, the prepared statement stays */
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	OKS(SQLPrepare(st, (SQLCHAR *)"SELECT 1 UNION ALL SELECT 2", SQL_NTS), st);
	for (int commit = 0; commit <= 1; commit++) {
		OKS(SQLExecute(st), st);
		OKS(SQLFetch(st), st);
		OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, commit ? SQL_COMMIT : SQL_ROLLBACK), dbc);
		/* closed: back to prepared, where fetching is out of sequence */
		cr_expect_eq(SQLFetch(st), SQL_ERROR);
		cr_expect_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY010");
	}
	OKS(SQLExecute(st), st);
	OKS(SQLFetch(st), st);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
}

/* -------------------------------------------------------- SQLGetFunctions */

/* A fresh statement with `SELECT 1 AS x` open on it. */
static SQLHSTMT open_stmt(void)
{
	SQLHSTMT st;
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT 1 AS x", SQL_NTS), st);
	return st;
}

/* A connection of its own for the connect functions (not connected). */
static SQLHDBC new_dbc(void)
{
	SQLHDBC d;
	OKC(SQLAllocHandle(SQL_HANDLE_DBC, fx.env, &d), dbc);
	return d;
}

static SQLRETURN done_dbc(SQLHDBC d, SQLRETURN rc)
{
	if (SQL_SUCCEEDED(rc))
		OKC(SQLDisconnect(d), d);
	SQLFreeHandle(SQL_HANDLE_DBC, d);
	return rc;
}

/* Data at execution: SQLParamData asks for the parameter, SQLPutData
 * gives it. */
static SQLRETURN param_data_round(SQLHSTMT st)
{
	SQLLEN ind = SQL_DATA_AT_EXEC;
	SQLPOINTER token;
	SQLRETURN rc;
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 10, 0,
			     (SQLPOINTER)1, 0, &ind), st);
	cr_assert_eq(SQLExecDirect(st, (SQLCHAR *)"SELECT ?", SQL_NTS), SQL_NEED_DATA);
	cr_assert_eq(SQLParamData(st, &token), SQL_NEED_DATA, "%s", diag(SQL_HANDLE_STMT, st));
	OKS(SQLPutData(st, "abc", 3), st);
	rc = SQLParamData(st, &token);
	return rc;
}

#define NO_CALL 12345

/* The catalog functions on table j. NO_CALL for another id. */
static SQLRETURN call_catalog(SQLUSMALLINT id, SQLHSTMT st)
{
	SQLCHAR *t = (SQLCHAR *)"j";
	SQLCloseCursor(st);
	switch (id) {
	case SQL_API_SQLTABLES: return SQLTables(st, NULL, 0, NULL, 0, t, SQL_NTS, NULL, 0);
	case SQL_API_SQLCOLUMNS: return SQLColumns(st, NULL, 0, NULL, 0, t, SQL_NTS, NULL, 0);
	case SQL_API_SQLPRIMARYKEYS: return SQLPrimaryKeys(st, NULL, 0, NULL, 0, t, SQL_NTS);
	case SQL_API_SQLFOREIGNKEYS:
		return SQLForeignKeys(st, NULL, 0, NULL, 0, t, SQL_NTS, NULL, 0, NULL, 0, NULL, 0);
	case SQL_API_SQLSTATISTICS:
		return SQLStatistics(st, NULL, 0, NULL, 0, t, SQL_NTS, SQL_INDEX_ALL, SQL_QUICK);
	case SQL_API_SQLSPECIALCOLUMNS:
		return SQLSpecialColumns(st, SQL_BEST_ROWID, NULL, 0, NULL, 0, t, SQL_NTS,
					 SQL_SCOPE_SESSION, SQL_NULLABLE);
	case SQL_API_SQLPROCEDURES: return SQLProcedures(st, NULL, 0, NULL, 0, NULL, 0);
	case SQL_API_SQLPROCEDURECOLUMNS:
		return SQLProcedureColumns(st, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
	case SQL_API_SQLTABLEPRIVILEGES: return SQLTablePrivileges(st, NULL, 0, NULL, 0, t, SQL_NTS);
	case SQL_API_SQLCOLUMNPRIVILEGES:
		return SQLColumnPrivileges(st, NULL, 0, NULL, 0, t, SQL_NTS, NULL, 0);
	case SQL_API_SQLGETTYPEINFO: return SQLGetTypeInfo(st, SQL_ALL_TYPES);
	}
	return NO_CALL;
}

/* The descriptor functions on st's row descriptors; *h becomes the
 * descriptor the diagnostics are on. NO_CALL for another id. */
static SQLRETURN call_desc(SQLUSMALLINT id, SQLHSTMT st, SQLHANDLE *h)
{
	SQLHDESC ird, ard;
	SQLSMALLINT n, n2;
	SQLLEN len;
	SQLINTEGER i32;
	SQLCHAR s[64];
	OKS(SQLGetStmtAttr(st, SQL_ATTR_IMP_ROW_DESC, &ird, 0, NULL), st);
	OKS(SQLGetStmtAttr(st, SQL_ATTR_APP_ROW_DESC, &ard, 0, NULL), st);
	*h = id == SQL_API_SQLSETDESCFIELD || id == SQL_API_SQLSETDESCREC ? ard : ird;
	switch (id) {
	case SQL_API_SQLGETDESCFIELD:
		return SQLGetDescField(ird, 1, SQL_DESC_TYPE, &n, sizeof n, NULL);
	case SQL_API_SQLSETDESCFIELD:
		return SQLSetDescField(ard, 1, SQL_DESC_CONCISE_TYPE, (SQLPOINTER)SQL_C_CHAR, 0);
	case SQL_API_SQLGETDESCREC:
		return SQLGetDescRec(ird, 1, s, sizeof s, &n, &n, &n2, &len, &n, &n, &n2);
	case SQL_API_SQLSETDESCREC:
		return SQLSetDescRec(ard, 1, SQL_C_SLONG, 0, 4, 0, 0, &i32, NULL, NULL);
	case SQL_API_SQLCOPYDESC: return SQLCopyDesc(ird, ard);
	}
	return NO_CALL;
}

/* The environment and connection functions, ODBC 2 names included; *type
 * and *h become the handle the diagnostics are on. NO_CALL for another. */
static SQLRETURN call_conn(SQLUSMALLINT id, SQLSMALLINT *type, SQLHANDLE *h)
{
	SQLUSMALLINT fns[SQL_API_ODBC3_ALL_FUNCTIONS_SIZE];
	SQLCHAR s[256];
	SQLSMALLINT n, n2;
	SQLINTEGER i32;
	SQLUINTEGER u32;
	SQLHANDLE tmp;
	SQLHDBC d;
	SQLRETURN rc;

	*type = SQL_HANDLE_DBC;
	*h = dbc;
	switch (id) {
	case SQL_API_SQLCONNECT:
	case SQL_API_SQLDISCONNECT:
		d = new_dbc();
		rc = SQLConnect(d, (SQLCHAR *)"dqtest", SQL_NTS, NULL, 0, NULL, 0);
		return done_dbc(d, rc); /* done_dbc disconnects */
	case SQL_API_SQLDRIVERCONNECT:
		d = new_dbc();
		return done_dbc(d, SQLDriverConnect(d, NULL, (SQLCHAR *)"DSN=dqtest", SQL_NTS, NULL, 0,
						    NULL, SQL_DRIVER_NOPROMPT));
	case SQL_API_SQLALLOCCONNECT:
	case SQL_API_SQLFREECONNECT:
		rc = SQLAllocConnect(fx.env, &d);
		return SQL_SUCCEEDED(rc) ? SQLFreeConnect(d) : rc;
	case SQL_API_SQLALLOCENV:
	case SQL_API_SQLFREEENV:
	case SQL_API_SQLALLOCHANDLESTD:
		rc = id == SQL_API_SQLALLOCHANDLESTD
			     ? SQLAllocHandleStd(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &tmp)
			     : SQLAllocEnv(&tmp);
		return SQL_SUCCEEDED(rc) ? SQLFreeEnv(tmp) : rc;
	case SQL_API_SQLSETCONNECTATTR:
		return SQLSetConnectAttr(dbc, SQL_ATTR_CONNECTION_TIMEOUT, (SQLPOINTER)0, 0);
	case SQL_API_SQLGETCONNECTATTR:
		return SQLGetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, &u32, 0, NULL);
	case SQL_API_SQLSETCONNECTOPTION: return SQLSetConnectOption(dbc, SQL_LOGIN_TIMEOUT, 5);
	case SQL_API_SQLGETCONNECTOPTION: return SQLGetConnectOption(dbc, SQL_AUTOCOMMIT, &u32);
	case SQL_API_SQLGETINFO: return SQLGetInfo(dbc, SQL_DBMS_NAME, s, sizeof s, &n);
	case SQL_API_SQLGETFUNCTIONS: return SQLGetFunctions(dbc, SQL_API_ODBC3_ALL_FUNCTIONS, fns);
	case SQL_API_SQLENDTRAN: return SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK);
	case SQL_API_SQLCANCELHANDLE: return SQLCancelHandle(SQL_HANDLE_DBC, dbc);
	case SQL_API_SQLTRANSACT: return SQLTransact(SQL_NULL_HENV, dbc, SQL_ROLLBACK);
	case SQL_API_SQLNATIVESQL:
		return SQLNativeSql(dbc, (SQLCHAR *)"SELECT 1", SQL_NTS, s, sizeof s, &i32);
	}
	*type = SQL_HANDLE_ENV;
	*h = fx.env;
	switch (id) {
	case SQL_API_SQLSETENVATTR:
		return SQLSetEnvAttr(fx.env, SQL_ATTR_OUTPUT_NTS, (SQLPOINTER)SQL_TRUE, 0);
	case SQL_API_SQLGETENVATTR: return SQLGetEnvAttr(fx.env, SQL_ATTR_ODBC_VERSION, &i32, 0, NULL);
	case SQL_API_SQLDRIVERS:
		return SQLDrivers(fx.env, SQL_FETCH_FIRST, s, sizeof s, &n, s + 128, 100, &n2);
	case SQL_API_SQLDATASOURCES:
		return SQLDataSources(fx.env, SQL_FETCH_FIRST, s, sizeof s, &n, s + 128, 100, &n2);
	}
	return NO_CALL;
}

/* Parameters, prepared statements and data at execution, on st (open
 * cursor closed first). NO_CALL for another id. */
static SQLRETURN call_params(SQLUSMALLINT id, SQLHSTMT st)
{
	static SQLINTEGER i32;
	SQLSMALLINT n;
	SQLULEN done;
	SQLRETURN rc;
	SQLCloseCursor(st);
	switch (id) {
	case SQL_API_SQLEXECDIRECT: return SQLExecDirect(st, (SQLCHAR *)"SELECT 2", SQL_NTS);
	case SQL_API_SQLPREPARE: return SQLPrepare(st, (SQLCHAR *)"SELECT 2", SQL_NTS);
	case SQL_API_SQLEXECUTE:
		rc = SQLPrepare(st, (SQLCHAR *)"SELECT 2", SQL_NTS);
		return SQL_SUCCEEDED(rc) ? SQLExecute(st) : rc;
	case SQL_API_SQLNUMPARAMS:
	case SQL_API_SQLDESCRIBEPARAM:
		rc = SQLPrepare(st, (SQLCHAR *)"SELECT ?", SQL_NTS);
		if (!SQL_SUCCEEDED(rc))
			return rc;
		return id == SQL_API_SQLNUMPARAMS ? SQLNumParams(st, &n)
						  : SQLDescribeParam(st, 1, &n, NULL, NULL, NULL);
	case SQL_API_SQLBINDPARAMETER:
		return SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &i32,
					0, NULL);
	case SQL_API_SQLBINDPARAM:
		return SQLBindParam(st, 1, SQL_C_SLONG, SQL_INTEGER, 0, 0, &i32, NULL);
	case SQL_API_SQLPARAMOPTIONS: return SQLParamOptions(st, 1, &done);
	case SQL_API_SQLPARAMDATA:
	case SQL_API_SQLPUTDATA: return param_data_round(st);
	}
	return NO_CALL;
}

/* The other statement functions, on st with `SELECT 1 AS x` open. */
static SQLRETURN call_stmt(SQLUSMALLINT id, SQLHSTMT st)
{
	SQLCHAR s[256];
	SQLSMALLINT n, n2;
	SQLLEN len;
	SQLINTEGER i32;
	SQLHANDLE tmp;
	SQLRETURN rc;
	switch (id) {
	case SQL_API_SQLALLOCHANDLE:
	case SQL_API_SQLFREEHANDLE:
	case SQL_API_SQLALLOCSTMT:
	case SQL_API_SQLFREESTMT:
		rc = id == SQL_API_SQLALLOCSTMT ? SQLAllocStmt(dbc, &tmp)
						: SQLAllocHandle(SQL_HANDLE_STMT, dbc, &tmp);
		if (!SQL_SUCCEEDED(rc))
			return rc;
		return id == SQL_API_SQLFREESTMT ? SQLFreeStmt(tmp, SQL_DROP)
						 : SQLFreeHandle(SQL_HANDLE_STMT, tmp);
	case SQL_API_SQLBINDCOL: return SQLBindCol(st, 1, SQL_C_SLONG, &i32, 0, &len);
	case SQL_API_SQLCANCEL: return SQLCancel(st);
	case SQL_API_SQLCOLATTRIBUTE:
		return SQLColAttribute(st, 1, SQL_DESC_NAME, s, sizeof s, &n, NULL);
	case SQL_API_SQLDESCRIBECOL:
		return SQLDescribeCol(st, 1, s, sizeof s, &n, &n2, NULL, NULL, NULL);
	case SQL_API_SQLNUMRESULTCOLS: return SQLNumResultCols(st, &n);
	case SQL_API_SQLFETCH: return SQLFetch(st);
	case SQL_API_SQLGETDATA:
		rc = SQLFetch(st);
		return SQL_SUCCEEDED(rc) ? SQLGetData(st, 1, SQL_C_SLONG, &i32, 0, &len) : rc;
	case SQL_API_SQLROWCOUNT: return SQLRowCount(st, &len);
	case SQL_API_SQLMORERESULTS: /* one result: nothing more */
		return SQLMoreResults(st) == SQL_NO_DATA ? SQL_SUCCESS : SQL_ERROR;
	case SQL_API_SQLCLOSECURSOR: return SQLCloseCursor(st);
	case SQL_API_SQLGETCURSORNAME: return SQLGetCursorName(st, s, sizeof s, &n);
	case SQL_API_SQLSETCURSORNAME:
		SQLCloseCursor(st);
		return SQLSetCursorName(st, (SQLCHAR *)"c1", SQL_NTS);
	case SQL_API_SQLSETSTMTATTR: return SQLSetStmtAttr(st, SQL_ATTR_MAX_ROWS, (SQLPOINTER)5, 0);
	case SQL_API_SQLGETSTMTATTR: return SQLGetStmtAttr(st, SQL_ATTR_MAX_ROWS, &len, 0, NULL);
	case SQL_API_SQLSETSTMTOPTION: return SQLSetStmtOption(st, SQL_MAX_ROWS, 5);
	case SQL_API_SQLGETSTMTOPTION: return SQLGetStmtOption(st, SQL_MAX_ROWS, &len);
	case SQL_API_SQLGETDIAGREC:
	case SQL_API_SQLGETDIAGFIELD:
	case SQL_API_SQLERROR:
		SQLCloseCursor(st);
		cr_assert_eq(SQLExecDirect(st, (SQLCHAR *)"SELEC", SQL_NTS), SQL_ERROR);
		if (id == SQL_API_SQLERROR)
			return SQLError(SQL_NULL_HENV, SQL_NULL_HDBC, st, s, &i32, s + 8, 200, &n);
		return id == SQL_API_SQLGETDIAGREC
			       ? SQLGetDiagRec(SQL_HANDLE_STMT, st, 1, s, &i32, s + 8, 200, &n)
			       : SQLGetDiagField(SQL_HANDLE_STMT, st, 1, SQL_DIAG_SQLSTATE, s, 6, &n);
	}
	return NO_CALL;
}

/* One minimal valid call of function id (st has `SELECT 1 AS x` open);
 * its return code, with the handle its diagnostics are on in *type / *h.
 * NO_CALL: none written for id. */
static SQLRETURN call_function(SQLUSMALLINT id, SQLHSTMT st, SQLSMALLINT *type,
				SQLHANDLE *h)
{
	SQLRETURN rc;

	*type = SQL_HANDLE_STMT;
	*h = st;
	rc = call_stmt(id, st);
	if (rc == NO_CALL) {
		rc = call_desc(id, st, h);
		if (rc != NO_CALL)
			*type = SQL_HANDLE_DESC;
	}
	if (rc == NO_CALL)
		rc = call_conn(id, type, h);
	/* these two close the cursor first */
	if (rc == NO_CALL) {
		*type = SQL_HANDLE_STMT;
		*h = st;
		rc = call_params(id, st);
	}
	if (rc == NO_CALL)
		rc = call_catalog(id, st);
	return rc;
}

/* Functions claimed and tested elsewhere: the scrollable cursors' suite
 * owns the cursor functions. */
static const SQLUSMALLINT functions_elsewhere[] = {
	SQL_API_SQLFETCHSCROLL, SQL_API_SQLEXTENDEDFETCH, SQL_API_SQLSETPOS,
	SQL_API_SQLBULKOPERATIONS, SQL_API_SQLSETSCROLLOPTIONS,
	/* unixODBC reports SQLSetParam (the driver does not: its own
	 * bitmap, test_connection.c) and maps it to SQLBindParameter with
	 * SQL_PARAM_INPUT_OUTPUT, which the driver refuses (HYC00): dqlite
	 * has no output parameters (docs/info.md) */
	SQL_API_SQLSETPARAM,
};

/* ODBC 3's Core interface conformance (SQL_OIC_CORE) needs these. */
static const SQLUSMALLINT core_functions[] = {
	SQL_API_SQLALLOCHANDLE, SQL_API_SQLBINDCOL, SQL_API_SQLBINDPARAMETER,
	SQL_API_SQLCANCEL, SQL_API_SQLCLOSECURSOR, SQL_API_SQLCOLATTRIBUTE,
	SQL_API_SQLCOLUMNS, SQL_API_SQLCONNECT, SQL_API_SQLCOPYDESC,
	SQL_API_SQLDESCRIBECOL, SQL_API_SQLDISCONNECT, SQL_API_SQLDRIVERCONNECT,
	SQL_API_SQLENDTRAN, SQL_API_SQLEXECDIRECT, SQL_API_SQLEXECUTE, SQL_API_SQLFETCH,
	SQL_API_SQLFETCHSCROLL, SQL_API_SQLFREEHANDLE, SQL_API_SQLFREESTMT,
	SQL_API_SQLGETCONNECTATTR, SQL_API_SQLGETCURSORNAME, SQL_API_SQLGETDATA,
	SQL_API_SQLGETDESCFIELD, SQL_API_SQLGETDESCREC, SQL_API_SQLGETDIAGFIELD,
	SQL_API_SQLGETDIAGREC, SQL_API_SQLGETENVATTR, SQL_API_SQLGETFUNCTIONS,
	SQL_API_SQLGETINFO, SQL_API_SQLGETSTMTATTR, SQL_API_SQLGETTYPEINFO,
	SQL_API_SQLNATIVESQL, SQL_API_SQLNUMPARAMS, SQL_API_SQLNUMRESULTCOLS,
	SQL_API_SQLPARAMDATA, SQL_API_SQLPREPARE, SQL_API_SQLPUTDATA, SQL_API_SQLROWCOUNT,
	SQL_API_SQLSETCONNECTATTR, SQL_API_SQLSETCURSORNAME, SQL_API_SQLSETDESCFIELD,
	SQL_API_SQLSETDESCREC, SQL_API_SQLSETENVATTR, SQL_API_SQLSETSTMTATTR,
	SQL_API_SQLSPECIALCOLUMNS, SQL_API_SQLSTATISTICS, SQL_API_SQLTABLES,
};

Test(info, every_reported_function_works)
{
	SQLUSMALLINT all[SQL_API_ODBC3_ALL_FUNCTIONS_SIZE];
	int called = 0;
	exec_ok(dbc, "CREATE TABLE j (x INTEGER PRIMARY KEY)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	OKC(SQLGetFunctions(dbc, SQL_API_ODBC3_ALL_FUNCTIONS, all), dbc);
	for (size_t i = 0; i < sizeof core_functions / sizeof core_functions[0]; i++)
		cr_expect(SQL_FUNC_EXISTS(all, core_functions[i]), "SQL_OIC_CORE needs %u",
			  core_functions[i]);
	for (unsigned id = 1; id < SQL_API_ODBC3_ALL_FUNCTIONS_SIZE * 16; id++) {
		SQLUSMALLINT one = 99;
		SQLSMALLINT type;
		SQLHANDLE h;
		SQLHSTMT st;
		SQLRETURN rc;
		if (!SQL_FUNC_EXISTS(all, id))
			continue;
		/* asking for one function agrees with the bitmap (unixODBC
		 * 2.3.11 answers HY095 for ids past SQL_API_SQLFETCHSCROLL,
		 * such as ODBC 3.8's SQLCancelHandle, asked on its own) */
		if (id <= SQL_API_SQLFETCHSCROLL) {
			OKC(SQLGetFunctions(dbc, (SQLUSMALLINT)id, &one), dbc);
			cr_expect_eq(one, SQL_TRUE, "function %u", id);
		}
		if (listed(functions_elsewhere,
			   sizeof functions_elsewhere / sizeof functions_elsewhere[0], (SQLUSMALLINT)id))
			continue;
		st = open_stmt();
		rc = call_function((SQLUSMALLINT)id, st, &type, &h);
		called++;
		cr_expect_neq(rc, NO_CALL, "function %u is reported but has no call here", id);
		cr_expect(rc == NO_CALL || SQL_SUCCEEDED(rc), "function %u: rc %d, %s", id, rc,
			  diag(type, h));
		SQLFreeHandle(SQL_HANDLE_STMT, st);
	}
	cr_expect_gt(called, 50);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
}
