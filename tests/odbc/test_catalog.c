/*
 * Catalog functions through unixODBC's driver manager against a real node
 * holding a schema with tables, a view, composite and foreign keys with ON
 * DELETE / ON UPDATE rules, unique and plain indexes, quoted and unicode
 * identifiers, WITHOUT ROWID, and every declared type family. Each
 * function's rows are asserted exactly, as "|"-joined text (NULL as "~").
 * Also: result-set column types of ordinary queries (docs/types.md).
 */
#include <stdlib.h>

#include "odbc_util.h"
#include <sqlucode.h>

static odbc_fixture fx;
static SQLHDBC dbc;
static SQLHSTMT st;

static const char *const schema[] = {
	"CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL,"
	" email TEXT UNIQUE, balance DECIMAL(10,2) DEFAULT 0, created DATETIME,"
	" active BOOLEAN DEFAULT 1)",
	"CREATE TABLE orders (order_id INTEGER NOT NULL, line INT NOT NULL,"
	" customer_id INTEGER REFERENCES customers(id) ON DELETE CASCADE,"
	" amount REAL, note CLOB, PRIMARY KEY (order_id, line))",
	"CREATE TABLE shipments (sid INTEGER PRIMARY KEY AUTOINCREMENT, order_id INTEGER,"
	" line INT, shipped DATE, payload BLOB, FOREIGN KEY (order_id, line)"
	" REFERENCES orders ON DELETE SET NULL ON UPDATE RESTRICT)",
	"CREATE INDEX ix_orders_customer ON orders(customer_id)",
	"CREATE UNIQUE INDEX ux_ship ON shipments(order_id DESC, line)",
	"CREATE VIEW big_orders AS SELECT order_id, amount FROM orders WHERE amount > 100",
	"CREATE TABLE \"Ünïcode Täble\" (\"çolumn ü\" NVARCHAR(10), \"quoted\"\"name\" TEXT)",
	"CREATE TABLE kv (k TEXT PRIMARY KEY, v) WITHOUT ROWID",
	"CREATE TABLE typefam (a TINYINT, b SMALLINT, c INT, d BIGINT, e FLOAT,"
	" f DOUBLE PRECISION, g NUMERIC(12,3), h CHAR(5), i NCHAR(3), j BINARY(8),"
	" k VARBINARY(16), l TIME, m TIMESTAMP, n JSON, o)",
	"CREATE TABLE under_score (x INT)",
	"CREATE TABLE underXscore (x INT)",
};

static void setup(void)
{
	odbc_fixture_up(&fx, "catalog");
	dbc = fx.dbc;
	st = fx.st;
	for (size_t i = 0; i < sizeof schema / sizeof *schema; i++)
		exec_ok(dbc, schema[i]);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
}

static void teardown(void)
{
	odbc_fixture_down(&fx);
}

TestSuite(catalog, .init = setup, .fini = teardown, .timeout = 120);

/* Fetches every row of st as "c1|c2|..." (NULL as "~") into rows[] and
 * closes the cursor. Returns the row count. */
static int fetch_all(char rows[][512], int max)
{
	SQLSMALLINT ncols = 0;
	int n = 0;
	OKS(SQLNumResultCols(st, &ncols), st);
	for (;;) {
		SQLRETURN rc = SQLFetch(st);
		if (rc == SQL_NO_DATA)
			break;
		OKS(rc, st);
		cr_assert_lt(n, max, "more rows than expected");
		rows[n][0] = '\0';
		for (SQLSMALLINT c = 1; c <= ncols; c++) {
			char cell[256];
			SQLLEN ind;
			OKS(SQLGetData(st, (SQLUSMALLINT)c, SQL_C_CHAR, cell, sizeof cell, &ind), st);
			if (c > 1)
				strcat(rows[n], "|");
			strcat(rows[n], ind == SQL_NULL_DATA ? "~" : cell);
		}
		n++;
	}
	OKS(SQLCloseCursor(st), st);
	return n;
}

static void expect_rows(const char *what, const char *const *want, int nwant)
{
	char got[64][512];
	int n = fetch_all(got, 64);
	for (int i = 0; i < n && i < nwant; i++)
		cr_expect_str_eq(got[i], want[i], "%s row %d:\n got  %s\n want %s", what,
				 i + 1, got[i], want[i]);
	cr_assert_eq(n, nwant, "%s: %d rows, expected %d", what, n, nwant);
}

#define EXPECT(what, ...)                                                      \
	do {                                                                   \
		const char *const want_[] = {__VA_ARGS__};                     \
		expect_rows(what, want_, sizeof want_ / sizeof *want_);        \
	} while (0)

/* The result set's column names, "|"-joined. */
static const char *column_names(void)
{
	static char out[1024];
	SQLSMALLINT n = 0;
	out[0] = '\0';
	OKS(SQLNumResultCols(st, &n), st);
	for (SQLSMALLINT c = 1; c <= n; c++) {
		SQLCHAR name[64];
		SQLSMALLINT len, type, digits, nullable;
		SQLULEN size;
		OKS(SQLDescribeCol(st, (SQLUSMALLINT)c, name, sizeof name, &len, &type, &size,
				   &digits, &nullable), st);
		if (c > 1)
			strcat(out, "|");
		strcat(out, (char *)name);
	}
	return out;
}

#define S(x) (SQLCHAR *)(x), SQL_NTS

Test(catalog, tables_lists_tables_views_and_system_tables_in_order)
{
	OKS(SQLTables(st, NULL, 0, NULL, 0, NULL, 0, NULL, 0), st);
	cr_assert_str_eq(column_names(), "TABLE_CAT|TABLE_SCHEM|TABLE_NAME|TABLE_TYPE|REMARKS");
	EXPECT("all tables",
	       "~|~|sqlite_master|SYSTEM TABLE|~", "~|~|sqlite_sequence|SYSTEM TABLE|~",
	       "~|~|customers|TABLE|~", "~|~|kv|TABLE|~", "~|~|orders|TABLE|~",
	       "~|~|shipments|TABLE|~", "~|~|typefam|TABLE|~", "~|~|underXscore|TABLE|~",
	       "~|~|under_score|TABLE|~", "~|~|Ünïcode Täble|TABLE|~",
	       "~|~|big_orders|VIEW|~");
	OKS(SQLTables(st, NULL, 0, NULL, 0, S("%orders"), S("'VIEW', 'TABLE'")), st);
	EXPECT("type filter", "~|~|orders|TABLE|~", "~|~|big_orders|VIEW|~");
	OKS(SQLTables(st, NULL, 0, NULL, 0, NULL, 0, S("SYSTEM TABLE")), st);
	EXPECT("system only", "~|~|sqlite_master|SYSTEM TABLE|~",
	       "~|~|sqlite_sequence|SYSTEM TABLE|~");
	OKS(SQLTables(st, NULL, 0, NULL, 0, S("CUSTOMERS"), NULL, 0), st);
	EXPECT("names match without case, as SQLite resolves them", "~|~|customers|TABLE|~");
}

/* A catalog result is one result set: SQLMoreResults after it (DBD::ODBC
 * asks it when a fetch reaches the end, as the client matrix's table_info
 * did) is SQL_NO_DATA, read to the end or not, and the handle runs the next
 * function. It once moved the statement to "executed" on the way, a state
 * that needs SQL text a catalog statement lacks (an assertion in debug
 * builds). */
Test(catalog, more_results_after_a_catalog_result_is_no_data)
{
	char rows[64][512];

	OKS(SQLTables(st, NULL, 0, NULL, 0, S("customers"), NULL, 0), st);
	cr_assert_eq(SQLFetch(st), SQL_SUCCESS);
	cr_assert_eq(SQLFetch(st), SQL_NO_DATA);
	cr_assert_eq(SQLMoreResults(st), SQL_NO_DATA, "after the last row");
	OKS(SQLColumns(st, NULL, 0, NULL, 0, S("kv"), NULL, 0), st);
	cr_assert_eq(SQLFetch(st), SQL_SUCCESS);
	cr_assert_eq(SQLMoreResults(st), SQL_NO_DATA, "with rows left");
	OKS(SQLTables(st, NULL, 0, NULL, 0, S("kv"), NULL, 0), st);
	cr_assert_eq(fetch_all(rows, 64), 1, "the handle runs the next catalog function");
	OKS(SQLExecDirect(st, S("SELECT count(*) FROM kv")), st);
	cr_assert_eq(fetch_all(rows, 64), 1, "and a statement");
}

Test(catalog, tables_enumerations_from_the_reference)
{
	OKS(SQLTables(st, S(""), S(""), S(""), S(SQL_ALL_TABLE_TYPES)), st);
	EXPECT("table types", "~|~|~|SYSTEM TABLE|~", "~|~|~|TABLE|~", "~|~|~|VIEW|~");
	/* dqlite has no catalogs or schemas: the lists are empty but
	 * well formed */
	OKS(SQLTables(st, S(SQL_ALL_CATALOGS), S(""), S(""), NULL, 0), st);
	cr_assert_str_eq(column_names(), "TABLE_CAT|TABLE_SCHEM|TABLE_NAME|TABLE_TYPE|REMARKS");
	EXPECT("catalogs", );
	OKS(SQLTables(st, S(""), S(SQL_ALL_SCHEMAS), S(""), NULL, 0), st);
	EXPECT("schemas", );
}

Test(catalog, patterns_honour_the_escape_and_metadata_id)
{
	OKS(SQLTables(st, NULL, 0, NULL, 0, S("under_score"), NULL, 0), st);
	EXPECT("_ is a wildcard", "~|~|underXscore|TABLE|~", "~|~|under_score|TABLE|~");
	OKS(SQLTables(st, NULL, 0, NULL, 0, S("under\\_score"), NULL, 0), st);
	EXPECT("escaped _ is literal", "~|~|under_score|TABLE|~");
	/* SQL_ATTR_METADATA_ID: arguments are identifiers, no wildcards, and
	 * a quoted one loses its quotes */
	OKS(SQLSetStmtAttr(st, SQL_ATTR_METADATA_ID, (SQLPOINTER)SQL_TRUE, 0), st);
	OKS(SQLTables(st, S(""), S(""), S("under_score"), NULL, 0), st);
	EXPECT("identifier", "~|~|under_score|TABLE|~");
	OKS(SQLTables(st, S(""), S(""), S("\"Ünïcode Täble\""), NULL, 0), st);
	EXPECT("quoted identifier", "~|~|Ünïcode Täble|TABLE|~");
	OKS(SQLColumns(st, S(""), S(""), S("kv"), S("%")), st);
	EXPECT("% is literal under METADATA_ID", );
	cr_assert_eq(SQLTables(st, S(""), S(""), NULL, 0, NULL, 0), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY009");
}

Test(catalog, columns_map_every_declared_type_family)
{
	OKS(SQLColumns(st, NULL, 0, NULL, 0, S("customers"), NULL, 0), st);
	cr_assert_str_eq(column_names(),
			 "TABLE_CAT|TABLE_SCHEM|TABLE_NAME|COLUMN_NAME|DATA_TYPE|TYPE_NAME|"
			 "COLUMN_SIZE|BUFFER_LENGTH|DECIMAL_DIGITS|NUM_PREC_RADIX|NULLABLE|"
			 "REMARKS|COLUMN_DEF|SQL_DATA_TYPE|SQL_DATETIME_SUB|CHAR_OCTET_LENGTH|"
			 "ORDINAL_POSITION|IS_NULLABLE|IS_AUTOINCREMENT");
	EXPECT("customers",
	       "~|~|customers|id|-5|INTEGER|19|8|0|10|0|~|~|-5|~|~|1|NO|YES",
	       "~|~|customers|name|12|VARCHAR|40|40|~|~|0|~|~|12|~|40|2|NO|NO",
	       "~|~|customers|email|-1|TEXT|2147483647|2147483647|~|~|1|~|~|-1|~|2147483647|3|YES|NO",
	       "~|~|customers|balance|3|DECIMAL|10|12|2|10|1|~|0|3|~|~|4|YES|NO",
	       "~|~|customers|created|93|DATETIME|26|16|6|~|1|~|~|9|3|~|5|YES|NO",
	       "~|~|customers|active|-7|BOOLEAN|1|1|0|~|1|~|1|-7|~|~|6|YES|NO");
	OKS(SQLColumns(st, NULL, 0, NULL, 0, S("typefam"), NULL, 0), st);
	EXPECT("typefam",
	       "~|~|typefam|a|-6|TINYINT|3|1|0|10|1|~|~|-6|~|~|1|YES|NO",
	       "~|~|typefam|b|5|SMALLINT|5|2|0|10|1|~|~|5|~|~|2|YES|NO",
	       "~|~|typefam|c|4|INT|10|4|0|10|1|~|~|4|~|~|3|YES|NO",
	       "~|~|typefam|d|-5|BIGINT|19|8|0|10|1|~|~|-5|~|~|4|YES|NO",
	       "~|~|typefam|e|6|FLOAT|15|8|~|10|1|~|~|6|~|~|5|YES|NO",
	       "~|~|typefam|f|8|DOUBLE PRECISION|15|8|~|10|1|~|~|8|~|~|6|YES|NO",
	       "~|~|typefam|g|2|NUMERIC|12|14|3|10|1|~|~|2|~|~|7|YES|NO",
	       "~|~|typefam|h|1|CHAR|5|5|~|~|1|~|~|1|~|5|8|YES|NO",
	       "~|~|typefam|i|-8|NCHAR|3|6|~|~|1|~|~|-8|~|6|9|YES|NO",
	       "~|~|typefam|j|-2|BINARY|8|8|~|~|1|~|~|-2|~|8|10|YES|NO",
	       "~|~|typefam|k|-3|VARBINARY|16|16|~|~|1|~|~|-3|~|16|11|YES|NO",
	       "~|~|typefam|l|92|TIME|8|6|0|~|1|~|~|9|2|~|12|YES|NO",
	       "~|~|typefam|m|93|TIMESTAMP|26|16|6|~|1|~|~|9|3|~|13|YES|NO",
	       "~|~|typefam|n|12|JSON|65535|65535|~|~|1|~|~|12|~|65535|14|YES|NO",
	       "~|~|typefam|o|12||65535|65535|~|~|1|~|~|12|~|65535|15|YES|NO");
	/* views, quoted and unicode names, WITHOUT ROWID keys (NOT NULL) */
	OKS(SQLColumns(st, NULL, 0, NULL, 0, S("big_orders"), NULL, 0), st);
	EXPECT("view",
	       "~|~|big_orders|order_id|-5|INTEGER|19|8|0|10|1|~|~|-5|~|~|1|YES|NO",
	       "~|~|big_orders|amount|8|REAL|15|8|~|10|1|~|~|8|~|~|2|YES|NO");
	OKS(SQLColumns(st, NULL, 0, NULL, 0, S("Ünïcode%"), S("quoted%")), st);
	EXPECT("unicode",
	       "~|~|Ünïcode Täble|quoted\"name|-1|TEXT|2147483647|2147483647|~|~|1|~|~|-1|~|2147483647|2|YES|NO");
	OKS(SQLColumns(st, NULL, 0, NULL, 0, S("kv"), NULL, 0), st);
	EXPECT("without rowid",
	       "~|~|kv|k|-1|TEXT|2147483647|2147483647|~|~|0|~|~|-1|~|2147483647|1|NO|NO",
	       "~|~|kv|v|12||65535|65535|~|~|1|~|~|12|~|65535|2|YES|NO");
}

Test(catalog, columns_see_uncommitted_ddl_of_the_same_connection)
{
	exec_ok(dbc, "CREATE TABLE fresh (z DATE NOT NULL DEFAULT '2024-01-01')");
	OKS(SQLColumns(st, NULL, 0, NULL, 0, S("fresh"), NULL, 0), st);
	EXPECT("fresh", "~|~|fresh|z|91|DATE|10|6|~|~|0|~|'2024-01-01'|9|1|~|1|NO|NO");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
	OKS(SQLColumns(st, NULL, 0, NULL, 0, S("fresh"), NULL, 0), st);
	EXPECT("rolled back", );
}

Test(catalog, primary_keys_composite_and_rowid)
{
	OKS(SQLPrimaryKeys(st, NULL, 0, NULL, 0, S("orders")), st);
	cr_assert_str_eq(column_names(),
			 "TABLE_CAT|TABLE_SCHEM|TABLE_NAME|COLUMN_NAME|KEY_SEQ|PK_NAME");
	EXPECT("orders", "~|~|orders|order_id|1|~", "~|~|orders|line|2|~");
	OKS(SQLPrimaryKeys(st, NULL, 0, NULL, 0, S("CUSTOMERS")), st);
	EXPECT("customers", "~|~|customers|id|1|~");
	OKS(SQLPrimaryKeys(st, NULL, 0, NULL, 0, S("typefam")), st);
	EXPECT("no key", );
	OKS(SQLPrimaryKeys(st, NULL, 0, NULL, 0, S("under_score")), st);
	EXPECT("an ordinary argument has no wildcards", );
	cr_assert_eq(SQLPrimaryKeys(st, NULL, 0, NULL, 0, NULL, 0), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY009");
}

Test(catalog, foreign_keys_both_directions_with_rules)
{
	OKS(SQLForeignKeys(st, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, S("shipments")), st);
	cr_assert_str_eq(column_names(),
			 "PKTABLE_CAT|PKTABLE_SCHEM|PKTABLE_NAME|PKCOLUMN_NAME|FKTABLE_CAT|"
			 "FKTABLE_SCHEM|FKTABLE_NAME|FKCOLUMN_NAME|KEY_SEQ|UPDATE_RULE|"
			 "DELETE_RULE|FK_NAME|PK_NAME|DEFERRABILITY");
	/* REFERENCES orders without columns: the parent's key columns */
	EXPECT("keys shipments holds",
	       "~|~|orders|order_id|~|~|shipments|order_id|1|1|2|shipments_fk0|~|7",
	       "~|~|orders|line|~|~|shipments|line|2|1|2|shipments_fk0|~|7");
	OKS(SQLForeignKeys(st, NULL, 0, NULL, 0, S("customers"), NULL, 0, NULL, 0, NULL, 0), st);
	EXPECT("keys that refer to customers",
	       "~|~|customers|id|~|~|orders|customer_id|1|3|0|orders_fk0|~|7");
	OKS(SQLForeignKeys(st, NULL, 0, NULL, 0, S("orders"), NULL, 0, NULL, 0, S("shipments")), st);
	EXPECT("both",
	       "~|~|orders|order_id|~|~|shipments|order_id|1|1|2|shipments_fk0|~|7",
	       "~|~|orders|line|~|~|shipments|line|2|1|2|shipments_fk0|~|7");
	OKS(SQLForeignKeys(st, NULL, 0, NULL, 0, S("customers"), NULL, 0, NULL, 0, S("shipments")), st);
	EXPECT("unrelated", );
	cr_assert_eq(SQLForeignKeys(st, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0),
		     SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY009");
}

Test(catalog, statistics_indexes_and_uniqueness)
{
	exec_ok(dbc, "INSERT INTO customers (name) VALUES ('a'), ('b'), ('c')");
	OKS(SQLStatistics(st, NULL, 0, NULL, 0, S("orders"), SQL_INDEX_ALL, SQL_QUICK), st);
	cr_assert_str_eq(column_names(),
			 "TABLE_CAT|TABLE_SCHEM|TABLE_NAME|NON_UNIQUE|INDEX_QUALIFIER|"
			 "INDEX_NAME|TYPE|ORDINAL_POSITION|COLUMN_NAME|ASC_OR_DESC|"
			 "CARDINALITY|PAGES|FILTER_CONDITION");
	EXPECT("orders",
	       "~|~|orders|~|~|~|0|~|~|~|~|~|~",
	       "~|~|orders|0|~|sqlite_autoindex_orders_1|3|1|order_id|A|~|~|~",
	       "~|~|orders|0|~|sqlite_autoindex_orders_1|3|2|line|A|~|~|~",
	       "~|~|orders|1|~|ix_orders_customer|3|1|customer_id|A|~|~|~");
	OKS(SQLStatistics(st, NULL, 0, NULL, 0, S("orders"), SQL_INDEX_UNIQUE, SQL_QUICK), st);
	EXPECT("unique only",
	       "~|~|orders|~|~|~|0|~|~|~|~|~|~",
	       "~|~|orders|0|~|sqlite_autoindex_orders_1|3|1|order_id|A|~|~|~",
	       "~|~|orders|0|~|sqlite_autoindex_orders_1|3|2|line|A|~|~|~");
	OKS(SQLStatistics(st, NULL, 0, NULL, 0, S("shipments"), SQL_INDEX_ALL, SQL_QUICK), st);
	EXPECT("descending key",
	       "~|~|shipments|~|~|~|0|~|~|~|~|~|~",
	       "~|~|shipments|0|~|ux_ship|3|1|order_id|D|~|~|~",
	       "~|~|shipments|0|~|ux_ship|3|2|line|A|~|~|~");
	OKS(SQLStatistics(st, NULL, 0, NULL, 0, S("customers"), SQL_INDEX_ALL, SQL_ENSURE), st);
	EXPECT("SQL_ENSURE counts rows",
	       "~|~|customers|~|~|~|0|~|~|~|3|~|~",
	       "~|~|customers|0|~|sqlite_autoindex_customers_1|3|1|email|A|~|~|~");
	OKS(SQLStatistics(st, NULL, 0, NULL, 0, S("nope"), SQL_INDEX_ALL, SQL_ENSURE), st);
	EXPECT("unknown table", );
	cr_assert_eq(SQLStatistics(st, NULL, 0, NULL, 0, S("orders"), 9, SQL_QUICK), SQL_ERROR);
#ifdef DQT_IODBC_BUILD
	/* iODBC checks the argument itself and answers with ODBC 2's code */
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "S1100");
#else
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY100");
#endif
}

Test(catalog, special_columns_best_rowid_and_rowver)
{
	OKS(SQLSpecialColumns(st, SQL_BEST_ROWID, NULL, 0, NULL, 0, S("customers"),
			      SQL_SCOPE_SESSION, SQL_NULLABLE), st);
	cr_assert_str_eq(column_names(), "SCOPE|COLUMN_NAME|DATA_TYPE|TYPE_NAME|COLUMN_SIZE|"
					 "BUFFER_LENGTH|DECIMAL_DIGITS|PSEUDO_COLUMN");
	EXPECT("INTEGER PRIMARY KEY", "2|id|-5|INTEGER|19|8|0|1");
	OKS(SQLSpecialColumns(st, SQL_BEST_ROWID, NULL, 0, NULL, 0, S("orders"),
			      SQL_SCOPE_CURROW, SQL_NO_NULLS), st);
	EXPECT("composite key", "2|order_id|-5|INTEGER|19|8|0|1", "2|line|4|INT|10|4|0|1");
	OKS(SQLSpecialColumns(st, SQL_BEST_ROWID, NULL, 0, NULL, 0, S("kv"),
			      SQL_SCOPE_CURROW, SQL_NULLABLE), st);
	EXPECT("WITHOUT ROWID key", "2|k|-1|TEXT|2147483647|2147483647|~|1");
	OKS(SQLSpecialColumns(st, SQL_BEST_ROWID, NULL, 0, NULL, 0, S("typefam"),
			      SQL_SCOPE_TRANSACTION, SQL_NULLABLE), st);
	EXPECT("rowid pseudo-column", "1|rowid|-5|INTEGER|19|8|0|2");
	OKS(SQLSpecialColumns(st, SQL_BEST_ROWID, NULL, 0, NULL, 0, S("typefam"),
			      SQL_SCOPE_SESSION, SQL_NULLABLE), st);
	EXPECT("the rowid does not last a session", );
	OKS(SQLSpecialColumns(st, SQL_BEST_ROWID, NULL, 0, NULL, 0, S("big_orders"),
			      SQL_SCOPE_CURROW, SQL_NULLABLE), st);
	EXPECT("a view has none", );
	OKS(SQLSpecialColumns(st, SQL_ROWVER, NULL, 0, NULL, 0, S("customers"),
			      SQL_SCOPE_CURROW, SQL_NULLABLE), st);
	EXPECT("no auto-updated columns", );
}

Test(catalog, procedures_and_privileges_are_well_formed)
{
	OKS(SQLProcedures(st, NULL, 0, NULL, 0, S("%")), st);
	cr_assert_str_eq(column_names(),
			 "PROCEDURE_CAT|PROCEDURE_SCHEM|PROCEDURE_NAME|NUM_INPUT_PARAMS|"
			 "NUM_OUTPUT_PARAMS|NUM_RESULT_SETS|REMARKS|PROCEDURE_TYPE");
	EXPECT("procedures", );
	OKS(SQLProcedureColumns(st, NULL, 0, NULL, 0, S("%"), S("%")), st);
	cr_assert_str_eq(column_names(),
			 "PROCEDURE_CAT|PROCEDURE_SCHEM|PROCEDURE_NAME|COLUMN_NAME|COLUMN_TYPE|"
			 "DATA_TYPE|TYPE_NAME|COLUMN_SIZE|BUFFER_LENGTH|DECIMAL_DIGITS|"
			 "NUM_PREC_RADIX|NULLABLE|REMARKS|COLUMN_DEF|SQL_DATA_TYPE|"
			 "SQL_DATETIME_SUB|CHAR_OCTET_LENGTH|ORDINAL_POSITION|IS_NULLABLE");
	EXPECT("procedure columns", );
	OKS(SQLTablePrivileges(st, NULL, 0, NULL, 0, S("big%")), st);
	cr_assert_str_eq(column_names(), "TABLE_CAT|TABLE_SCHEM|TABLE_NAME|GRANTOR|GRANTEE|"
					 "PRIVILEGE|IS_GRANTABLE");
	EXPECT("a view grants SELECT", "~|~|big_orders|~|PUBLIC|SELECT|NO");
	OKS(SQLTablePrivileges(st, NULL, 0, NULL, 0, S("kv")), st);
	EXPECT("a table grants everything", "~|~|kv|~|PUBLIC|DELETE|NO",
	       "~|~|kv|~|PUBLIC|INSERT|NO", "~|~|kv|~|PUBLIC|REFERENCES|NO",
	       "~|~|kv|~|PUBLIC|SELECT|NO", "~|~|kv|~|PUBLIC|UPDATE|NO");
	OKS(SQLColumnPrivileges(st, NULL, 0, NULL, 0, S("kv"), S("v")), st);
	cr_assert_str_eq(column_names(), "TABLE_CAT|TABLE_SCHEM|TABLE_NAME|COLUMN_NAME|"
					 "GRANTOR|GRANTEE|PRIVILEGE|IS_GRANTABLE");
	EXPECT("column", "~|~|kv|v|~|PUBLIC|INSERT|NO", "~|~|kv|v|~|PUBLIC|REFERENCES|NO",
	       "~|~|kv|v|~|PUBLIC|SELECT|NO", "~|~|kv|v|~|PUBLIC|UPDATE|NO");
}

/* UTF-8 of code points below U+0800 to SQLWCHARs (one each: UTF-16 under
 * unixODBC, UTF-32 under iODBC; enough for these names). */
static void to_wide(const char *s, SQLWCHAR *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	while (*p) {
		if (*p < 0x80)
			out[n++] = *p++;
		else {
			out[n++] = (SQLWCHAR)(((p[0] & 0x1f) << 6) | (p[1] & 0x3f));
			p += 2;
		}
	}
	out[n] = 0;
}

Test(catalog, wide_forms_take_wide_names)
{
	SQLWCHAR table[32], col[32], orders[8];
	const char *t = "Ünïcode Täble", *c = "çolumn ü";
	SQLWCHAR name[64];
	SQLLEN ind;
	to_wide(t, table);
	to_wide(c, col);
	OKS(SQLColumnsW(st, NULL, 0, NULL, 0, table, SQL_NTS, col, SQL_NTS), st);
	OKS(SQLFetch(st), st);
	OKS(SQLGetData(st, 4, SQL_C_WCHAR, name, sizeof name, &ind), st);
	cr_assert_eq(ind, (SQLLEN)(8 * sizeof(SQLWCHAR)));
	cr_assert_eq(memcmp(name, col, 9 * sizeof(SQLWCHAR)), 0);
	cr_assert_eq(SQLFetch(st), SQL_NO_DATA);
	OKS(SQLCloseCursor(st), st);
	to_wide("orders", orders);
	OKS(SQLPrimaryKeysW(st, NULL, 0, NULL, 0, orders, SQL_NTS), st);
	EXPECT("W primary keys", "~|~|orders|order_id|1|~", "~|~|orders|line|2|~");
}

Test(catalog, type_info_agrees_with_columns)
{
	/* every DATA_TYPE SQLColumns reports has a SQLGetTypeInfo row */
	static const SQLSMALLINT reported[] = {
		SQL_BIGINT, SQL_VARCHAR, SQL_LONGVARCHAR, SQL_DECIMAL, SQL_TYPE_TIMESTAMP,
		SQL_BIT, SQL_TINYINT, SQL_SMALLINT, SQL_INTEGER, SQL_FLOAT, SQL_DOUBLE,
		SQL_NUMERIC, SQL_CHAR, SQL_WCHAR, SQL_BINARY, SQL_VARBINARY, SQL_TYPE_TIME,
		SQL_TYPE_DATE, SQL_WVARCHAR, SQL_LONGVARBINARY, SQL_WLONGVARCHAR};
	for (size_t i = 0; i < sizeof reported / sizeof *reported; i++) {
		SQLSMALLINT type = 0;
		SQLLEN ind;
		OKS(SQLGetTypeInfo(st, reported[i]), st);
		OKS(SQLFetch(st), st);
		OKS(SQLGetData(st, 2, SQL_C_SSHORT, &type, 0, &ind), st);
		cr_assert_eq(type, reported[i]);
		OKS(SQLCloseCursor(st), st);
	}
	/* and the rows come sorted by DATA_TYPE */
	OKS(SQLGetTypeInfo(st, SQL_ALL_TYPES), st);
	SQLSMALLINT prev = -32768, type;
	SQLLEN ind;
	int rows = 0;
	while (SQLFetch(st) == SQL_SUCCESS) {
		OKS(SQLGetData(st, 2, SQL_C_SSHORT, &type, 0, &ind), st);
		cr_assert_geq(type, prev);
		prev = type;
		rows++;
	}
	cr_assert_eq(rows, 25);
	OKS(SQLCloseCursor(st), st);
}

Test(catalog, get_info_items_bi_tools_read)
{
	SQLCHAR text[512];
	SQLSMALLINT len;
	SQLUINTEGER u32;
	SQLUSMALLINT u16;
	OKC(SQLGetInfo(dbc, SQL_DBMS_NAME, text, sizeof text, &len), dbc);
	cr_assert_str_eq((char *)text, "dqlite");
	OKC(SQLGetInfo(dbc, SQL_IDENTIFIER_QUOTE_CHAR, text, sizeof text, &len), dbc);
	cr_assert_str_eq((char *)text, "\"");
	OKC(SQLGetInfo(dbc, SQL_SEARCH_PATTERN_ESCAPE, text, sizeof text, &len), dbc);
	cr_assert_str_eq((char *)text, "\\");
	OKC(SQLGetInfo(dbc, SQL_CATALOG_NAME, text, sizeof text, &len), dbc);
	cr_assert_str_eq((char *)text, "N");
	OKC(SQLGetInfo(dbc, SQL_CATALOG_USAGE, &u32, 0, NULL), dbc);
	cr_assert_eq(u32, 0);
	OKC(SQLGetInfo(dbc, SQL_SCHEMA_USAGE, &u32, 0, NULL), dbc);
	cr_assert_eq(u32, 0);
	OKC(SQLGetInfo(dbc, SQL_AGGREGATE_FUNCTIONS, &u32, 0, NULL), dbc);
	cr_assert_eq(u32, SQL_AF_ALL | SQL_AF_AVG | SQL_AF_COUNT | SQL_AF_DISTINCT |
				  SQL_AF_MAX | SQL_AF_MIN | SQL_AF_SUM);
	/* the {fn} functions escape.c translates (test_escapes.c runs them) */
	OKC(SQLGetInfo(dbc, SQL_STRING_FUNCTIONS, &u32, 0, NULL), dbc);
	cr_assert(u32 & SQL_FN_STR_UCASE && u32 & SQL_FN_STR_LOCATE && u32 & SQL_FN_STR_CONCAT);
	cr_assert_eq(u32 & SQL_FN_STR_SOUNDEX, 0);
	OKC(SQLGetInfo(dbc, SQL_NUMERIC_FUNCTIONS, &u32, 0, NULL), dbc);
	cr_assert(u32 & SQL_FN_NUM_MOD && u32 & SQL_FN_NUM_LOG10 && u32 & SQL_FN_NUM_TRUNCATE);
	OKC(SQLGetInfo(dbc, SQL_TIMEDATE_FUNCTIONS, &u32, 0, NULL), dbc);
	cr_assert(u32 & SQL_FN_TD_TIMESTAMPADD && u32 & SQL_FN_TD_DAYOFWEEK);
	cr_assert_eq(u32 & SQL_FN_TD_EXTRACT, 0);
	OKC(SQLGetInfo(dbc, SQL_CONVERT_FUNCTIONS, &u32, 0, NULL), dbc);
	cr_assert_eq(u32, SQL_FN_CVT_CAST | SQL_FN_CVT_CONVERT);
	OKC(SQLGetInfo(dbc, SQL_MAX_CONCURRENT_ACTIVITIES, &u16, 0, NULL), dbc);
	cr_assert_eq(u16, 0);
	OKC(SQLGetInfo(dbc, SQL_DATA_SOURCE_READ_ONLY, text, sizeof text, &len), dbc);
	cr_assert_str_eq((char *)text, "N");
	OKC(SQLGetInfo(dbc, SQL_KEYWORDS, text, sizeof text, &len), dbc);
	cr_assert(strstr((char *)text, "LIMIT") && strstr((char *)text, "OFFSET"));
	OKC(SQLGetInfo(dbc, SQL_QUOTED_IDENTIFIER_CASE, &u16, 0, NULL), dbc);
	cr_assert_eq(u16, SQL_IC_MIXED, "SQLite matches even quoted names without case");
	OKC(SQLGetInfo(dbc, SQL_SQL_CONFORMANCE, &u32, 0, NULL), dbc);
	cr_assert_eq(u32, 0, "no SQL-92 level: no ANY/SOME/ALL, no GRANT (test_info.c)");
}

/* ------------------------------------------- result-set column metadata */

static void describe(SQLUSMALLINT col, SQLSMALLINT *type, SQLULEN *size, SQLSMALLINT *digits,
		     SQLSMALLINT *nullable)
{
	SQLCHAR name[64];
	SQLSMALLINT len;
	OKS(SQLDescribeCol(st, col, name, sizeof name, &len, type, size, digits, nullable), st);
}

Test(catalog, plain_table_queries_describe_declared_types_even_when_empty)
{
	SQLSMALLINT type, digits, nullable;
	SQLULEN size;
	SQLCHAR text[64];
	SQLSMALLINT len;
	SQLLEN num;
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT * FROM customers", SQL_NTS), st);
	describe(1, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_BIGINT);
	cr_assert_eq(nullable, SQL_NO_NULLS);
	describe(2, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_VARCHAR);
	cr_assert_eq(size, 40);
	cr_assert_eq(nullable, SQL_NO_NULLS);
	describe(4, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_DECIMAL);
	cr_assert_eq(size, 10);
	cr_assert_eq(digits, 2);
	cr_assert_eq(nullable, SQL_NULLABLE);
	describe(5, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_TYPE_TIMESTAMP);
	describe(6, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_BIT);
	OKS(SQLColAttribute(st, 1, SQL_DESC_AUTO_UNIQUE_VALUE, NULL, 0, NULL, &num), st);
	cr_assert_eq(num, SQL_TRUE);
	OKS(SQLColAttribute(st, 5, SQL_DESC_TYPE_NAME, text, sizeof text, &len, NULL), st);
	cr_assert_str_eq((char *)text, "DATETIME");
	OKS(SQLColAttribute(st, 2, SQL_DESC_BASE_TABLE_NAME, text, sizeof text, &len, NULL), st);
	cr_assert_str_eq((char *)text, "customers");
	OKS(SQLCloseCursor(st), st);

	/* aliases keep the reference; expressions keep the first-row rule */
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT c.balance AS b, balance * 2, count(*) "
			  "FROM customers AS c WHERE id > 0", SQL_NTS), st);
	describe(1, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_DECIMAL);
	OKS(SQLColAttribute(st, 1, SQL_DESC_BASE_COLUMN_NAME, text, sizeof text, &len, NULL), st);
	cr_assert_str_eq((char *)text, "balance");
	describe(2, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_VARCHAR, "NULL first cell: VARCHAR");
	describe(3, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_BIGINT);
	cr_assert_eq(nullable, SQL_NULLABLE_UNKNOWN);
	OKS(SQLCloseCursor(st), st);

	/* a join is not a plain table: cells decide */
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT o.amount FROM orders o JOIN customers c "
			  "ON c.id = o.customer_id", SQL_NTS), st);
	describe(1, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_VARCHAR);
	OKS(SQLCloseCursor(st), st);
}

Test(catalog, a_value_that_contradicts_the_declared_type_wins)
{
	SQLSMALLINT type, digits, nullable;
	SQLULEN size;
	char buf[32];
	SQLLEN ind;
	exec_ok(dbc, "INSERT INTO typefam (d, m, h) VALUES ('not a number', 1700000000, x'01')");
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT d, m, h, c FROM typefam", SQL_NTS), st);
	describe(1, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_VARCHAR, "text in a BIGINT column is described as text");
	describe(2, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_TYPE_TIMESTAMP, "the server sends UNIXTIME: a timestamp");
	describe(3, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_VARBINARY, "a blob in a CHAR column is described as binary");
	describe(4, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_INTEGER, "NULL fits any declared type");
	OKS(SQLFetch(st), st);
	OKS(SQLGetData(st, 1, SQL_C_CHAR, buf, sizeof buf, &ind), st);
	cr_assert_str_eq(buf, "not a number");
	OKS(SQLCloseCursor(st), st);
}

Test(catalog, schema_cache_follows_ddl_on_the_connection)
{
	SQLSMALLINT type, digits, nullable;
	SQLULEN size;
	exec_ok(dbc, "CREATE TABLE morph (x INT)");
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT * FROM morph", SQL_NTS), st);
	describe(1, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_INTEGER);
	OKS(SQLCloseCursor(st), st);
	exec_ok(dbc, "DROP TABLE morph");
	exec_ok(dbc, "CREATE TABLE morph (x DATE, y TEXT)");
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT * FROM morph", SQL_NTS), st);
	describe(1, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_TYPE_DATE);
	describe(2, &type, &size, &digits, &nullable);
	cr_assert_eq(type, SQL_LONGVARCHAR);
	OKS(SQLCloseCursor(st), st);
}

/* An ODBC 2 application (SQL_OV_ODBC2, as SQLAllocEnv-based programs such
 * as isql are) sees the ODBC 2 datetime codes 9/10/11 everywhere: in the
 * catalog result sets (the driver's job) and from SQLDescribeCol (mapped by
 * the driver manager). */
Test(catalog, odbc2_applications_see_odbc2_datetime_codes)
{
	SQLHENV env2;
	SQLHDBC dbc2;
	SQLHSTMT st2;
	SQLCHAR name[64];
	SQLSMALLINT len, type = 0, digits, nullable;
	SQLULEN size;
	char buf[64];
	SQLLEN ind;

	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env2);
	OKH(SQLSetEnvAttr(env2, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC2, 0),
	    SQL_HANDLE_ENV, env2);
	SQLAllocHandle(SQL_HANDLE_DBC, env2, &dbc2);
	OKC(SQLDriverConnect(dbc2, NULL, S("DSN=dqtest"), NULL, 0, NULL, SQL_DRIVER_NOPROMPT),
	    dbc2);
	SQLAllocHandle(SQL_HANDLE_STMT, dbc2, &st2);

	OKS(SQLGetTypeInfo(st2, SQL_DATE), st2);
	OKS(SQLFetch(st2), st2);
	OKS(SQLGetData(st2, 2, SQL_C_CHAR, buf, sizeof buf, &ind), st2);
	cr_expect_str_eq(buf, "9", "DATE's DATA_TYPE for ODBC 2");
	cr_expect_eq(SQLFetch(st2), SQL_NO_DATA);
	OKS(SQLCloseCursor(st2), st2);

	OKS(SQLColumns(st2, NULL, 0, NULL, 0, S("typefam"), S("m")), st2);
	OKS(SQLFetch(st2), st2);
	OKS(SQLGetData(st2, 5, SQL_C_CHAR, buf, sizeof buf, &ind), st2);
	cr_expect_str_eq(buf, "11", "TIMESTAMP column's DATA_TYPE for ODBC 2");
	OKS(SQLGetData(st2, 14, SQL_C_CHAR, buf, sizeof buf, &ind), st2);
	cr_expect_str_eq(buf, "9", "SQL_DATA_TYPE stays SQL_DATETIME");
	OKS(SQLCloseCursor(st2), st2);

	OKS(SQLExecDirect(st2, S("SELECT shipped FROM shipments")), st2);
	OKS(SQLDescribeCol(st2, 1, name, sizeof name, &len, &type, &size, &digits, &nullable),
	    st2);
	cr_expect_eq(type, SQL_DATE, "DATE column described as %d", type);
	OKS(SQLCloseCursor(st2), st2);

	/* The same questions from the ODBC 3 connection keep the 9x codes. */
	OKS(SQLGetTypeInfo(st, SQL_TYPE_DATE), st);
	EXPECT("ODBC 3 DATE row", "DATE|91|10|'|'|~|1|0|2|~|0|~|DATE|~|~|9|1|~|~");

	SQLFreeHandle(SQL_HANDLE_STMT, st2);
	SQLEndTran(SQL_HANDLE_DBC, dbc2, SQL_ROLLBACK);
	OKC(SQLDisconnect(dbc2), dbc2);
	SQLFreeHandle(SQL_HANDLE_DBC, dbc2);
	SQLFreeHandle(SQL_HANDLE_ENV, env2);
}
