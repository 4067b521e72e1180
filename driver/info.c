/*
 * info.c -- SQLGetInfo and SQLGetFunctions.
 *
 * Answers are truthful for dqlite (SQLite's SQL dialect behind Raft):
 * manual-commit transactions, serializable isolation, no catalogs or
 * schemas, forward-only (streaming) and static (in-memory) cursors.
 * SQLGetFunctions reads the same table of implemented functions that
 * tests/odbc checks against the exported symbols.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#include "unicode.h"

/* Every ODBC function this driver exports (ANSI names). */
static const SQLUSMALLINT implemented[] = {
	SQL_API_SQLALLOCHANDLE, SQL_API_SQLFREEHANDLE, SQL_API_SQLSETENVATTR,
	SQL_API_SQLGETENVATTR, SQL_API_SQLCONNECT, SQL_API_SQLDRIVERCONNECT,
	SQL_API_SQLDISCONNECT, SQL_API_SQLSETCONNECTATTR,
	SQL_API_SQLGETCONNECTATTR, SQL_API_SQLGETINFO, SQL_API_SQLGETFUNCTIONS,
	SQL_API_SQLENDTRAN, SQL_API_SQLGETDIAGREC, SQL_API_SQLGETDIAGFIELD,
	SQL_API_SQLNATIVESQL, SQL_API_SQLPREPARE, SQL_API_SQLEXECUTE,
	SQL_API_SQLEXECDIRECT, SQL_API_SQLNUMPARAMS, SQL_API_SQLBINDPARAMETER,
	SQL_API_SQLDESCRIBEPARAM, SQL_API_SQLPARAMDATA, SQL_API_SQLPUTDATA,
	SQL_API_SQLNUMRESULTCOLS, SQL_API_SQLDESCRIBECOL,
	SQL_API_SQLCOLATTRIBUTE, SQL_API_SQLBINDCOL, SQL_API_SQLFETCH,
	SQL_API_SQLFETCHSCROLL, SQL_API_SQLGETDATA, SQL_API_SQLROWCOUNT,
	SQL_API_SQLMORERESULTS, SQL_API_SQLCLOSECURSOR, SQL_API_SQLFREESTMT,
	SQL_API_SQLCANCEL, SQL_API_SQLGETCURSORNAME, SQL_API_SQLSETCURSORNAME,
	SQL_API_SQLSETSTMTATTR, SQL_API_SQLGETSTMTATTR, SQL_API_SQLGETTYPEINFO,
	SQL_API_SQLTABLES, SQL_API_SQLCOLUMNS, SQL_API_SQLPRIMARYKEYS,
	SQL_API_SQLFOREIGNKEYS, SQL_API_SQLSTATISTICS, SQL_API_SQLSPECIALCOLUMNS,
	SQL_API_SQLPROCEDURES, SQL_API_SQLPROCEDURECOLUMNS,
	SQL_API_SQLTABLEPRIVILEGES, SQL_API_SQLCOLUMNPRIVILEGES,
	SQL_API_SQLGETDESCFIELD, SQL_API_SQLSETDESCFIELD,
	SQL_API_SQLGETDESCREC, SQL_API_SQLSETDESCREC, SQL_API_SQLCOPYDESC,
	SQL_API_SQLEXTENDEDFETCH, SQL_API_SQLSETPOS, SQL_API_SQLCANCELHANDLE,
};
#define N_IMPLEMENTED (sizeof implemented / sizeof implemented[0])

static int is_implemented(SQLUSMALLINT id)
{
	for (size_t i = 0; i < N_IMPLEMENTED; i++)
		if (implemented[i] == id)
			return 1;
	return 0;
}

SQLRETURN dq_get_functions(dq_dbc *dbc, SQLUSMALLINT id, SQLUSMALLINT *supported)
{
	if (id == SQL_API_ODBC3_ALL_FUNCTIONS) {
		memset(supported, 0,
		       SQL_API_ODBC3_ALL_FUNCTIONS_SIZE * sizeof(SQLUSMALLINT));
		for (size_t i = 0; i < N_IMPLEMENTED; i++)
			supported[implemented[i] >> 4] |=
				(SQLUSMALLINT)(1u << (implemented[i] & 0xF));
		return SQL_SUCCESS;
	}
	if (id == SQL_API_ALL_FUNCTIONS) {
		memset(supported, 0, 100 * sizeof(SQLUSMALLINT));
		for (size_t i = 0; i < N_IMPLEMENTED; i++)
			if (implemented[i] < 100)
				supported[implemented[i]] = SQL_TRUE;
		return SQL_SUCCESS;
	}
	if (id > SQL_API_ODBC3_ALL_FUNCTIONS_SIZE * 16)
		return dq_error(&dbc->h, "HY095", "function id %u out of range", id);
	*supported = is_implemented(id) ? SQL_TRUE : SQL_FALSE;
	return SQL_SUCCESS;
}

/* ----------------------------------------------------------------- GetInfo */

enum { T_STR, T_U16, T_U32 };

typedef struct info_item {
	SQLUSMALLINT id;
	int type;
	const char *s;
	SQLUINTEGER n;
} info_item;

#define S(id, v) {id, T_STR, v, 0}
#define U16(id, v) {id, T_U16, NULL, (SQLUINTEGER)(v)}
#define U32(id, v) {id, T_U32, NULL, (SQLUINTEGER)(v)}

#define TSI_ALL                                                              \
	(SQL_FN_TSI_SECOND | SQL_FN_TSI_MINUTE | SQL_FN_TSI_HOUR |           \
	 SQL_FN_TSI_DAY | SQL_FN_TSI_WEEK | SQL_FN_TSI_MONTH |                \
	 SQL_FN_TSI_QUARTER | SQL_FN_TSI_YEAR)

/* Targets of {fn CONVERT}, grouped by what a source can become: numbers
 * (CAST AS INTEGER / REAL / NUMERIC, BIT as <> 0), text (CAST AS TEXT),
 * bytes (CAST AS BLOB). */
#define CVT_NUMBER                                                          \
	(SQL_CVT_BIT | SQL_CVT_TINYINT | SQL_CVT_SMALLINT | SQL_CVT_INTEGER | \
	 SQL_CVT_BIGINT | SQL_CVT_DECIMAL | SQL_CVT_NUMERIC | SQL_CVT_FLOAT |  \
	 SQL_CVT_REAL | SQL_CVT_DOUBLE)
#define CVT_TEXT                                                            \
	(SQL_CVT_CHAR | SQL_CVT_VARCHAR | SQL_CVT_LONGVARCHAR | SQL_CVT_WCHAR | \
	 SQL_CVT_WVARCHAR | SQL_CVT_WLONGVARCHAR)
#define CVT_BINARY (SQL_CVT_BINARY | SQL_CVT_VARBINARY | SQL_CVT_LONGVARBINARY)
/* a number becomes another number or its text; text becomes anything
 * it spells (a number, a date, time or timestamp, its UTF-8 bytes) */
#define CVT_FROM_NUMBER (CVT_NUMBER | CVT_TEXT)
#define CVT_FROM_TEXT                                                       \
	(CVT_NUMBER | CVT_TEXT | CVT_BINARY | SQL_CVT_DATE | SQL_CVT_TIME |    \
	 SQL_CVT_TIMESTAMP)

static const info_item items[] = {
	/* driver and data source */
	S(SQL_DRIVER_NAME, "libdqliteodbc.so"),
	S(SQL_DRIVER_VER, "00.01.0000"),
	S(SQL_DRIVER_ODBC_VER, "03.51"),
	S(SQL_ODBC_VER, "03.52.0000"),
	S(SQL_DBMS_NAME, "dqlite"),
	S(SQL_DATA_SOURCE_READ_ONLY, "N"),
	S(SQL_ACCESSIBLE_PROCEDURES, "N"),
	S(SQL_ACCESSIBLE_TABLES, "Y"),
	S(SQL_USER_NAME, ""),
	S(SQL_SEARCH_PATTERN_ESCAPE, "\\"),
	S(SQL_IDENTIFIER_QUOTE_CHAR, "\""),
	S(SQL_SPECIAL_CHARACTERS, ""),
	S(SQL_CATALOG_NAME, "N"),
	S(SQL_CATALOG_NAME_SEPARATOR, ""),
	S(SQL_CATALOG_TERM, ""),
	S(SQL_SCHEMA_TERM, ""),
	S(SQL_TABLE_TERM, "table"),
	S(SQL_PROCEDURE_TERM, ""),
	S(SQL_PROCEDURES, "N"),
	S(SQL_COLUMN_ALIAS, "Y"),
	S(SQL_EXPRESSIONS_IN_ORDERBY, "Y"),
	S(SQL_ORDER_BY_COLUMNS_IN_SELECT, "N"),
	S(SQL_OUTER_JOINS, "Y"),
	S(SQL_LIKE_ESCAPE_CLAUSE, "Y"),
	/* `;`-separated statements run in order; SQLMoreResults steps
	 * through their results (statement.c run_batch) */
	S(SQL_MULT_RESULT_SETS, "Y"),
	S(SQL_MULTIPLE_ACTIVE_TXN, "Y"),
	S(SQL_NEED_LONG_DATA_LEN, "N"),
	S(SQL_ROW_UPDATES, "N"),
	S(SQL_DESCRIBE_PARAMETER, "N"),
	S(SQL_INTEGRITY, "Y"),
	S(SQL_MAX_ROW_SIZE_INCLUDES_LONG, "Y"),
	S(SQL_COLLATION_SEQ, "BINARY"),
	S(SQL_KEYWORDS,
	  "ABORT,ANALYZE,ATTACH,AUTOINCREMENT,CONFLICT,DATABASE,DETACH,"
	  "EXCLUSIVE,EXPLAIN,FAIL,GLOB,IF,IGNORE,INDEXED,INSTEAD,ISNULL,"
	  "LIMIT,NOTNULL,OFFSET,PLAN,PRAGMA,QUERY,RAISE,RECURSIVE,REGEXP,"
	  "REINDEX,RELEASE,RENAME,REPLACE,RETURNING,ROW,SAVEPOINT,TEMP,"
	  "TEMPORARY,VACUUM,VIRTUAL,WITHOUT"),
	S(SQL_XOPEN_CLI_YEAR, "1995"),
	/* conformance */
	U16(SQL_ODBC_API_CONFORMANCE, SQL_OAC_LEVEL1),
	/* SQLite's dialect has no GRANT / REVOKE and no quantified (ANY /
	 * SOME / ALL) comparisons: ODBC's minimum SQL grammar, and no level
	 * of SQL-92 (not even entry) */
	U16(SQL_ODBC_SQL_CONFORMANCE, SQL_OSC_MINIMUM),
	U32(SQL_ODBC_INTERFACE_CONFORMANCE, SQL_OIC_CORE),
	U32(SQL_SQL_CONFORMANCE, 0),
	U16(SQL_ODBC_SAG_CLI_CONFORMANCE, SQL_OSCC_COMPLIANT),
	U32(SQL_STANDARD_CLI_CONFORMANCE, SQL_SCC_XOPEN_CLI_VERSION1),
	/* limits (0 = no fixed limit) */
	U16(SQL_MAX_CONCURRENT_ACTIVITIES, 0),
	U16(SQL_MAX_DRIVER_CONNECTIONS, 0),
	U16(SQL_MAX_COLUMN_NAME_LEN, 0),
	U16(SQL_MAX_CURSOR_NAME_LEN, 63),
	U16(SQL_MAX_SCHEMA_NAME_LEN, 0),
	U16(SQL_MAX_CATALOG_NAME_LEN, 0),
	U16(SQL_MAX_TABLE_NAME_LEN, 0),
	U16(SQL_MAX_PROCEDURE_NAME_LEN, 0),
	U16(SQL_MAX_USER_NAME_LEN, 0),
	U16(SQL_MAX_COLUMNS_IN_GROUP_BY, 0),
	U16(SQL_MAX_COLUMNS_IN_INDEX, 0),
	U16(SQL_MAX_COLUMNS_IN_ORDER_BY, 0),
	/* dqlite sends a result's column names at the top of every 4 KiB
	 * page and no row once they take 4080 bytes: with names of up to 7
	 * bytes (8 each, NUL and padding included) that is 509 columns;
	 * longer names allow fewer (docs/protocol.md) */
	U16(SQL_MAX_COLUMNS_IN_SELECT, 509),
	U16(SQL_MAX_COLUMNS_IN_TABLE, 2000),
	U16(SQL_MAX_TABLES_IN_SELECT, 64),
	U16(SQL_MAX_IDENTIFIER_LEN, 0),
	U32(SQL_MAX_INDEX_SIZE, 0),
	U32(SQL_MAX_ROW_SIZE, 0),
	/* SQLite's SQLITE_MAX_SQL_LENGTH as Debian and upstream dqlite
	 * build it (1.11.1 and 1.18.6 answer FAILURE 18 past it) */
	U32(SQL_MAX_STATEMENT_LEN, 1000000000),
	U32(SQL_MAX_CHAR_LITERAL_LEN, 0),
	U32(SQL_MAX_BINARY_LITERAL_LEN, 0),
	/* one call at a time runs on a connection: a second statement's
	 * asynchronous call waits for the first (async.c) */
	U32(SQL_MAX_ASYNC_CONCURRENT_STATEMENTS, 1),
	/* transactions: manual commit, serializable, DDL is transactional */
	U16(SQL_TXN_CAPABLE, SQL_TC_ALL),
	U32(SQL_DEFAULT_TXN_ISOLATION, SQL_TXN_SERIALIZABLE),
	U32(SQL_TXN_ISOLATION_OPTION, SQL_TXN_SERIALIZABLE),
	/* SQLEndTran and raw COMMIT / ROLLBACK close every cursor of the
	 * connection; prepared statements stay (connection.c, statement.c) */
	U16(SQL_CURSOR_COMMIT_BEHAVIOR, SQL_CB_CLOSE),
	U16(SQL_CURSOR_ROLLBACK_BEHAVIOR, SQL_CB_CLOSE),
	/* cursors (cursor.c): forward-only, and static (in memory: every
	 * orientation but bookmarks, SQLSetPos(SQL_POSITION)); read-only.
	 * Keyset-driven and dynamic are substituted by static (01S02), so
	 * neither is claimed. A driver that claims SQL_CA1_ABSOLUTE (ODBC 3)
	 * or SQL_FD_FETCH_PRIOR (ODBC 2) keeps unixODBC's cursor library away
	 * under SQL_CUR_USE_IF_NEEDED. */
	U32(SQL_SCROLL_OPTIONS, SQL_SO_FORWARD_ONLY | SQL_SO_STATIC),
	U32(SQL_SCROLL_CONCURRENCY, SQL_SCCO_READ_ONLY),
	U32(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1, SQL_CA1_NEXT),
	U32(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2,
	    SQL_CA2_READ_ONLY_CONCURRENCY | SQL_CA2_MAX_ROWS_SELECT),
	U32(SQL_STATIC_CURSOR_ATTRIBUTES1,
	    SQL_CA1_NEXT | SQL_CA1_ABSOLUTE | SQL_CA1_RELATIVE |
	    SQL_CA1_LOCK_NO_CHANGE | SQL_CA1_POS_POSITION),
	U32(SQL_STATIC_CURSOR_ATTRIBUTES2,
	    SQL_CA2_READ_ONLY_CONCURRENCY | SQL_CA2_MAX_ROWS_SELECT |
	    SQL_CA2_CRC_EXACT),
	U32(SQL_DYNAMIC_CURSOR_ATTRIBUTES1, 0),
	U32(SQL_DYNAMIC_CURSOR_ATTRIBUTES2, 0),
	U32(SQL_KEYSET_CURSOR_ATTRIBUTES1, 0),
	U32(SQL_KEYSET_CURSOR_ATTRIBUTES2, 0),
	U32(SQL_CURSOR_SENSITIVITY, SQL_INSENSITIVE),
	U32(SQL_FETCH_DIRECTION,
	    SQL_FD_FETCH_NEXT | SQL_FD_FETCH_FIRST | SQL_FD_FETCH_LAST |
	    SQL_FD_FETCH_PRIOR | SQL_FD_FETCH_ABSOLUTE | SQL_FD_FETCH_RELATIVE),
	U32(SQL_LOCK_TYPES, SQL_LCK_NO_CHANGE),
	U32(SQL_POS_OPERATIONS, SQL_POS_POSITION),
	U32(SQL_POSITIONED_STATEMENTS, 0),
	U32(SQL_STATIC_SENSITIVITY, 0),
	U32(SQL_BOOKMARK_PERSISTENCE, 0),
	U32(SQL_GETDATA_EXTENSIONS,
	    SQL_GD_ANY_COLUMN | SQL_GD_ANY_ORDER | SQL_GD_BOUND | SQL_GD_BLOCK),
	/* SQL_ATTR_ASYNC_ENABLE per statement (async.c) */
	U32(SQL_ASYNC_MODE, SQL_AM_STATEMENT),
	/* explicit batches only (no procedures); each statement keeps its
	 * own row count */
	U32(SQL_BATCH_SUPPORT, SQL_BS_SELECT_EXPLICIT | SQL_BS_ROW_COUNT_EXPLICIT),
	U32(SQL_BATCH_ROW_COUNT, SQL_BRC_EXPLICIT),
	/* a parameter array yields one total row count (run_array), and a
	 * statement returning rows is refused with an array (run_prepared) */
	U32(SQL_PARAM_ARRAY_ROW_COUNTS, SQL_PARC_NO_BATCH),
	U32(SQL_PARAM_ARRAY_SELECTS, SQL_PAS_NO_SELECT),
	/* catalogs and schemas: SQLite exposes neither (TABLE_CAT and
	 * TABLE_SCHEM are NULL in catalog results) */
	U32(SQL_CATALOG_USAGE, 0),
	U16(SQL_CATALOG_LOCATION, 0),
	U32(SQL_SCHEMA_USAGE, 0),
	U16(SQL_QUALIFIER_LOCATION, 0),
	/* SQL syntax */
	U16(SQL_IDENTIFIER_CASE, SQL_IC_MIXED),
	U16(SQL_QUOTED_IDENTIFIER_CASE, SQL_IC_MIXED),
	U16(SQL_CONCAT_NULL_BEHAVIOR, SQL_CB_NULL),
	U16(SQL_CORRELATION_NAME, SQL_CN_ANY),
	U16(SQL_GROUP_BY, SQL_GB_NO_RELATION),
	U16(SQL_NON_NULLABLE_COLUMNS, SQL_NNC_NON_NULL),
	U16(SQL_NULL_COLLATION, SQL_NC_LOW),
	U16(SQL_FILE_USAGE, SQL_FILE_NOT_SUPPORTED),
	/* SQLite 3.35+ drops columns; a new column may have a DEFAULT and a
	 * COLLATE clause */
	U32(SQL_ALTER_TABLE,
	    SQL_AT_ADD_COLUMN | SQL_AT_DROP_COLUMN | SQL_AT_ADD_COLUMN_SINGLE |
		    SQL_AT_ADD_COLUMN_DEFAULT | SQL_AT_ADD_COLUMN_COLLATION),
	/* no quantified comparisons: SQLite has no ANY / SOME / ALL */
	U32(SQL_SUBQUERIES,
	    SQL_SQ_COMPARISON | SQL_SQ_EXISTS | SQL_SQ_IN |
		    SQL_SQ_CORRELATED_SUBQUERIES),
	U32(SQL_UNION, SQL_U_UNION | SQL_U_UNION_ALL),
	U32(SQL_OJ_CAPABILITIES,
	    SQL_OJ_LEFT | SQL_OJ_NOT_ORDERED | SQL_OJ_NESTED | SQL_OJ_INNER |
		    SQL_OJ_ALL_COMPARISON_OPS),
	/* The {fn ...} escape functions escape.c translates. The numeric
	 * ones need SQLite's math functions (Debian's and upstream's default
	 * builds have them). */
	U32(SQL_STRING_FUNCTIONS,
	    SQL_FN_STR_ASCII | SQL_FN_STR_BIT_LENGTH | SQL_FN_STR_CHAR |
		    SQL_FN_STR_CHAR_LENGTH | SQL_FN_STR_CHARACTER_LENGTH |
		    SQL_FN_STR_CONCAT | SQL_FN_STR_INSERT | SQL_FN_STR_LCASE |
		    SQL_FN_STR_LEFT | SQL_FN_STR_LENGTH | SQL_FN_STR_LOCATE |
		    SQL_FN_STR_LOCATE_2 | SQL_FN_STR_LTRIM | SQL_FN_STR_OCTET_LENGTH |
		    SQL_FN_STR_REPEAT | SQL_FN_STR_REPLACE | SQL_FN_STR_RIGHT |
		    SQL_FN_STR_RTRIM | SQL_FN_STR_SPACE | SQL_FN_STR_SUBSTRING |
		    SQL_FN_STR_UCASE),
	U32(SQL_NUMERIC_FUNCTIONS,
	    SQL_FN_NUM_ABS | SQL_FN_NUM_ACOS | SQL_FN_NUM_ASIN | SQL_FN_NUM_ATAN |
		    SQL_FN_NUM_ATAN2 | SQL_FN_NUM_CEILING | SQL_FN_NUM_COS |
		    SQL_FN_NUM_COT | SQL_FN_NUM_DEGREES | SQL_FN_NUM_EXP |
		    SQL_FN_NUM_FLOOR | SQL_FN_NUM_LOG | SQL_FN_NUM_LOG10 |
		    SQL_FN_NUM_MOD | SQL_FN_NUM_PI | SQL_FN_NUM_POWER |
		    SQL_FN_NUM_RADIANS | SQL_FN_NUM_RAND | SQL_FN_NUM_ROUND |
		    SQL_FN_NUM_SIGN | SQL_FN_NUM_SIN | SQL_FN_NUM_SQRT |
		    SQL_FN_NUM_TAN | SQL_FN_NUM_TRUNCATE),
	U32(SQL_TIMEDATE_FUNCTIONS,
	    SQL_FN_TD_CURDATE | SQL_FN_TD_CURTIME | SQL_FN_TD_CURRENT_DATE |
		    SQL_FN_TD_CURRENT_TIME | SQL_FN_TD_CURRENT_TIMESTAMP |
		    SQL_FN_TD_NOW | SQL_FN_TD_DAYNAME | SQL_FN_TD_DAYOFMONTH |
		    SQL_FN_TD_DAYOFWEEK | SQL_FN_TD_DAYOFYEAR | SQL_FN_TD_HOUR |
		    SQL_FN_TD_MINUTE | SQL_FN_TD_MONTH | SQL_FN_TD_MONTHNAME |
		    SQL_FN_TD_QUARTER | SQL_FN_TD_SECOND | SQL_FN_TD_YEAR |
		    SQL_FN_TD_TIMESTAMPADD | SQL_FN_TD_TIMESTAMPDIFF),
	/* {fn DATABASE()} gives SQLite's schema name 'main', not the dqlite
	 * database SQL_DATABASE_NAME names: not claimed */
	U32(SQL_SYSTEM_FUNCTIONS, SQL_FN_SYS_IFNULL | SQL_FN_SYS_USERNAME),
	U32(SQL_TIMEDATE_ADD_INTERVALS, TSI_ALL),
	U32(SQL_TIMEDATE_DIFF_INTERVALS, TSI_ALL),
	U32(SQL_CONVERT_FUNCTIONS, SQL_FN_CVT_CAST | SQL_FN_CVT_CONVERT),
	U32(SQL_AGGREGATE_FUNCTIONS,
	    SQL_AF_ALL | SQL_AF_AVG | SQL_AF_COUNT | SQL_AF_DISTINCT |
		    SQL_AF_MAX | SQL_AF_MIN | SQL_AF_SUM),
	U32(SQL_DATETIME_LITERALS, 0),
	U32(SQL_SQL92_PREDICATES,
	    SQL_SP_BETWEEN | SQL_SP_COMPARISON | SQL_SP_EXISTS | SQL_SP_IN |
		    SQL_SP_ISNOTNULL | SQL_SP_ISNULL | SQL_SP_LIKE),
	U32(SQL_SQL92_RELATIONAL_JOIN_OPERATORS,
	    SQL_SRJO_CROSS_JOIN | SQL_SRJO_INNER_JOIN |
		    SQL_SRJO_LEFT_OUTER_JOIN | SQL_SRJO_NATURAL_JOIN),
	U32(SQL_SQL92_VALUE_EXPRESSIONS,
	    SQL_SVE_CASE | SQL_SVE_CAST | SQL_SVE_COALESCE | SQL_SVE_NULLIF),
	/* lower() / upper(); SQLite has no TRIM(BOTH .. FROM ..) syntax */
	U32(SQL_SQL92_STRING_FUNCTIONS, SQL_SSF_LOWER | SQL_SSF_UPPER),
	U32(SQL_SQL92_NUMERIC_VALUE_FUNCTIONS, 0),
	U32(SQL_SQL92_DATETIME_FUNCTIONS,
	    SQL_SDF_CURRENT_DATE | SQL_SDF_CURRENT_TIME |
		    SQL_SDF_CURRENT_TIMESTAMP),
	U32(SQL_SQL92_GRANT, 0),
	U32(SQL_SQL92_REVOKE, 0),
	U32(SQL_SQL92_ROW_VALUE_CONSTRUCTOR,
	    SQL_SRVC_VALUE_EXPRESSION | SQL_SRVC_NULL),
	U32(SQL_SQL92_FOREIGN_KEY_DELETE_RULE,
	    SQL_SFKD_CASCADE | SQL_SFKD_NO_ACTION | SQL_SFKD_SET_DEFAULT |
		    SQL_SFKD_SET_NULL),
	U32(SQL_SQL92_FOREIGN_KEY_UPDATE_RULE,
	    SQL_SFKU_CASCADE | SQL_SFKU_NO_ACTION | SQL_SFKU_SET_DEFAULT |
		    SQL_SFKU_SET_NULL),
	U32(SQL_CREATE_TABLE,
	    SQL_CT_CREATE_TABLE | SQL_CT_COLUMN_CONSTRAINT |
		    SQL_CT_COLUMN_DEFAULT | SQL_CT_TABLE_CONSTRAINT),
	U32(SQL_DROP_TABLE, SQL_DT_DROP_TABLE),
	U32(SQL_CREATE_VIEW, SQL_CV_CREATE_VIEW),
	U32(SQL_DROP_VIEW, SQL_DV_DROP_VIEW),
	U32(SQL_CREATE_SCHEMA, 0),
	U32(SQL_DROP_SCHEMA, 0),
	U32(SQL_CREATE_ASSERTION, 0),
	U32(SQL_DROP_ASSERTION, 0),
	U32(SQL_CREATE_CHARACTER_SET, 0),
	U32(SQL_DROP_CHARACTER_SET, 0),
	U32(SQL_CREATE_COLLATION, 0),
	U32(SQL_DROP_COLLATION, 0),
	U32(SQL_CREATE_DOMAIN, 0),
	U32(SQL_DROP_DOMAIN, 0),
	U32(SQL_CREATE_TRANSLATION, 0),
	U32(SQL_DROP_TRANSLATION, 0),
	U32(SQL_INDEX_KEYWORDS, SQL_IK_ASC | SQL_IK_DESC),
	/* SQLite has no SELECT ... INTO */
	U32(SQL_INSERT_STATEMENT, SQL_IS_INSERT_LITERALS | SQL_IS_INSERT_SEARCHED),
	U32(SQL_DDL_INDEX, SQL_DI_CREATE_INDEX | SQL_DI_DROP_INDEX),
	U32(SQL_INFO_SCHEMA_VIEWS, 0),
	U32(SQL_DTC_TRANSITION_COST, 0),
	/* {fn CONVERT(value, SQL_type)}: what escape.c's CAST / date()
	 * translations give a value of each SQL type (docs/info.md). No value
	 * is ever of type SQL_REAL here (SQLite's REAL is a double), GUID or
	 * an interval. */
	U32(SQL_CONVERT_BIT, CVT_FROM_NUMBER),
	U32(SQL_CONVERT_TINYINT, CVT_FROM_NUMBER),
	U32(SQL_CONVERT_SMALLINT, CVT_FROM_NUMBER),
	U32(SQL_CONVERT_INTEGER, CVT_FROM_NUMBER),
	U32(SQL_CONVERT_BIGINT, CVT_FROM_NUMBER),
	U32(SQL_CONVERT_DECIMAL, CVT_FROM_NUMBER),
	U32(SQL_CONVERT_NUMERIC, CVT_FROM_NUMBER),
	U32(SQL_CONVERT_FLOAT, CVT_FROM_NUMBER),
	U32(SQL_CONVERT_DOUBLE, CVT_FROM_NUMBER),
	U32(SQL_CONVERT_REAL, 0),
	U32(SQL_CONVERT_CHAR, CVT_FROM_TEXT),
	U32(SQL_CONVERT_VARCHAR, CVT_FROM_TEXT),
	U32(SQL_CONVERT_LONGVARCHAR, CVT_FROM_TEXT),
	U32(SQL_CONVERT_WCHAR, CVT_FROM_TEXT),
	U32(SQL_CONVERT_WVARCHAR, CVT_FROM_TEXT),
	U32(SQL_CONVERT_WLONGVARCHAR, CVT_FROM_TEXT),
	U32(SQL_CONVERT_BINARY, CVT_BINARY | CVT_TEXT),
	U32(SQL_CONVERT_VARBINARY, CVT_BINARY | CVT_TEXT),
	U32(SQL_CONVERT_LONGVARBINARY, CVT_BINARY | CVT_TEXT),
	U32(SQL_CONVERT_DATE, SQL_CVT_DATE | SQL_CVT_TIMESTAMP | CVT_TEXT),
	U32(SQL_CONVERT_TIME, SQL_CVT_TIME | CVT_TEXT),
	U32(SQL_CONVERT_TIMESTAMP,
	    SQL_CVT_DATE | SQL_CVT_TIME | SQL_CVT_TIMESTAMP | CVT_TEXT),
	U32(SQL_CONVERT_GUID, 0),
	U32(SQL_CONVERT_INTERVAL_YEAR_MONTH, 0),
	U32(SQL_CONVERT_INTERVAL_DAY_TIME, 0),
	/* SQLEndTran and SQLDisconnect (connecting stays synchronous:
	 * docs/statements.md) */
	U32(SQL_ASYNC_DBC_FUNCTIONS, SQL_ASYNC_DBC_CAPABLE),
	U32(SQL_DRIVER_AWARE_POOLING_SUPPORTED, SQL_DRIVER_AWARE_POOLING_NOT_CAPABLE),
	U16(SQL_ACTIVE_ENVIRONMENTS, 0),
};
#define N_ITEMS (sizeof items / sizeof items[0])

static const info_item *find_item(SQLUSMALLINT id)
{
	for (size_t i = 0; i < N_ITEMS; i++)
		if (items[i].id == id)
			return &items[i];
	return NULL;
}

static SQLRETURN put_str(dq_dbc *dbc, const char *s, SQLPOINTER value,
			 SQLSMALLINT buflen, SQLSMALLINT *outlen, int wide)
{
	SQLRETURN rc;
	if (wide)
		rc = dq_out_w_small(s, value, buflen / (SQLSMALLINT)sizeof(SQLWCHAR),
				    outlen, 1);
	else
		rc = dq_out_a_small(s, value, buflen, outlen);
	if (rc == SQL_SUCCESS_WITH_INFO)
		dq_diag_push(&dbc->h, "01004", 0, "string data, right truncated");
	return rc;
}

/* SQL_DBMS_VER in the spec's ##.##.#### form from the server's SQLite
 * version ("3.40.1" -> "03.40.0001"): the SQL dialect and its functions
 * are SQLite's, and the dqlite protocol does not report dqlite's own
 * version. A version not yet known (never connected) reads 00.00.0000. */
static void dq_dbms_ver(const char *sqlite, char *buf, size_t cap)
{
	unsigned major = 0, minor = 0, patch = 0;
	if (sscanf(sqlite, "%u.%u.%u", &major, &minor, &patch) < 2)
		major = minor = patch = 0;
	snprintf(buf, cap, "%02u.%02u.%04u", major % 100, minor % 100, patch % 10000);
}

SQLRETURN dq_get_info(dq_dbc *dbc, SQLUSMALLINT type, SQLPOINTER value,
		      SQLSMALLINT buflen, SQLSMALLINT *outlen, int wide)
{
	const info_item *it;
	char buf[128];

	switch (type) {
	case SQL_DBMS_VER:
		dq_dbms_ver(dbc->sess.conn ? dqc_sqlite_version(dbc->sess.conn) : "", buf,
			    sizeof buf);
		return put_str(dbc, buf, value, buflen, outlen, wide);
	case SQL_DATA_SOURCE_NAME:
		return put_str(dbc, dbc->cfg.dsn ? dbc->cfg.dsn : "", value, buflen,
			       outlen, wide);
	case SQL_SERVER_NAME:
		return put_str(dbc, dbc->sess.conn ? dqc_peer_address(dbc->sess.conn) : "",
			       value, buflen, outlen, wide);
	case SQL_DATABASE_NAME:
		return put_str(dbc, dbc->cfg.database ? dbc->cfg.database : "default",
			       value, buflen, outlen, wide);
	case SQL_DATA_SOURCE_READ_ONLY:
		return put_str(dbc, dbc->access_mode == SQL_MODE_READ_ONLY ? "Y" : "N",
			       value, buflen, outlen, wide);
	case SQL_DRIVER_HENV:
	case SQL_DRIVER_HDBC:
		if (value)
			*(SQLULEN *)value = type == SQL_DRIVER_HENV ? (SQLULEN)(uintptr_t)dbc->env
								    : (SQLULEN)(uintptr_t)dbc;
		if (outlen)
			*outlen = sizeof(SQLULEN);
		return SQL_SUCCESS;
	default:
		break;
	}
	it = find_item(type);
	if (it == NULL)
		return dq_error(&dbc->h, "HY096",
				"information type %u is not known to this driver", type);
	switch (it->type) {
	case T_STR:
		return put_str(dbc, it->s, value, buflen, outlen, wide);
	case T_U16:
		if (value)
			*(SQLUSMALLINT *)value = (SQLUSMALLINT)it->n;
		if (outlen)
			*outlen = sizeof(SQLUSMALLINT);
		return SQL_SUCCESS;
	default:
		if (value)
			*(SQLUINTEGER *)value = it->n;
		if (outlen)
			*outlen = sizeof(SQLUINTEGER);
		return SQL_SUCCESS;
	}
}
