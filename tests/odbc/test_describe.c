/*
 * Prepared statements described before they run (driver/describe.c),
 * through unixODBC's driver manager against a real node: SQLNumResultCols,
 * SQLDescribeCol and SQLColAttribute between SQLPrepare and SQLExecute,
 * what that costs in round trips, that it begins no transaction, and that
 * the execution's description agrees with it.
 */
#include <stdlib.h>

#include "odbc_util.h"
#include "dqlite_odbc.h"

static odbc_fixture fx;
static SQLHDBC dbc;
static SQLHSTMT st;

static void setup(void)
{
	odbc_fixture_up(&fx, "describe");
	dbc = fx.dbc;
	st = fx.st;
	exec_ok(dbc, "CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL,"
		     " price DECIMAL(10,2), data BLOB)");
	exec_ok(dbc, "INSERT INTO item VALUES (1, 'one', 1.5, x'01'), (2, 'two', 2.5, x'02'),"
		     " (3, 'three', 3.5, NULL)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
}

static void teardown(void)
{
	odbc_fixture_down(&fx);
}

TestSuite(describe, .init = setup, .fini = teardown, .timeout = 120);

static SQLULEN requests(SQLHDBC c)
{
	SQLULEN n = 0;
	OKC(SQLGetConnectAttr(c, SQL_ATTR_DQLITE_REQUESTS, &n, sizeof n, NULL), c);
	return n;
}

typedef struct col {
	char name[64];
	SQLSMALLINT type, digits, nullable;
	SQLULEN size;
} col;

static col describe_col(SQLHSTMT s, SQLUSMALLINT i)
{
	col c;
	SQLSMALLINT len;
	OKS(SQLDescribeCol(s, i, (SQLCHAR *)c.name, sizeof c.name, &len, &c.type, &c.size,
			   &c.digits, &c.nullable), s);
	return c;
}

static SQLSMALLINT num_cols(SQLHSTMT s)
{
	SQLSMALLINT n = -1;
	OKS(SQLNumResultCols(s, &n), s);
	return n;
}

/* The five columns of the item query, as described before and after. */
static void assert_item_columns(SQLHSTMT s, const char *when)
{
	col c;
	char tn[32];
	SQLSMALLINT tl;
	SQLLEN num;

	cr_assert_eq(num_cols(s), 5, "%s", when);
	c = describe_col(s, 1);
	cr_assert_str_eq(c.name, "id", "%s", when);
	cr_assert_eq(c.type, SQL_BIGINT, "%s: id type %d", when, c.type);
	cr_assert_eq(c.nullable, SQL_NO_NULLS, "%s", when);
	c = describe_col(s, 2);
	cr_assert_str_eq(c.name, "label", "%s", when);
	cr_assert_eq(c.type, SQL_VARCHAR, "%s", when);
	cr_assert_eq(c.size, 40, "%s", when);
	cr_assert_eq(c.nullable, SQL_NO_NULLS, "%s", when);
	c = describe_col(s, 3);
	cr_assert_eq(c.type, SQL_DECIMAL, "%s: price type %d", when, c.type);
	cr_assert_eq(c.size, 10, "%s", when);
	cr_assert_eq(c.digits, 2, "%s", when);
	cr_assert_eq(c.nullable, SQL_NULLABLE, "%s", when);
	c = describe_col(s, 4);
	cr_assert_eq(c.type, SQL_LONGVARBINARY, "%s", when);
	/* an expression: no declared type, and no row before it runs */
	c = describe_col(s, 5);
	cr_assert_str_eq(c.name, "n", "%s", when);
	cr_assert_eq(c.type, SQL_VARCHAR, "%s: n type %d", when, c.type);
	cr_assert_eq(c.nullable, SQL_NULLABLE_UNKNOWN, "%s", when);
	OKS(SQLColAttribute(s, 2, SQL_DESC_BASE_TABLE_NAME, tn, sizeof tn, &tl, NULL), s);
	cr_assert_str_eq(tn, "item", "%s", when);
	OKS(SQLColAttribute(s, 2, SQL_DESC_BASE_COLUMN_NAME, tn, sizeof tn, &tl, NULL), s);
	cr_assert_str_eq(tn, "name", "%s", when);
	/* the declared type's lengths, as SQLColumns reports them */
	OKS(SQLColAttribute(s, 2, SQL_DESC_DISPLAY_SIZE, NULL, 0, NULL, &num), s);
	cr_assert_eq(num, 40, "%s: display size %ld", when, (long)num);
	OKS(SQLColAttribute(s, 2, SQL_DESC_OCTET_LENGTH, NULL, 0, NULL, &num), s);
	cr_assert_eq(num, 40, "%s: octet length %ld", when, (long)num);
	OKS(SQLColAttribute(s, 3, SQL_DESC_TYPE_NAME, tn, sizeof tn, &tl, NULL), s);
	cr_assert_str_eq(tn, "DECIMAL", "%s", when);
	OKS(SQLColAttribute(s, 1, SQL_DESC_AUTO_UNIQUE_VALUE, NULL, 0, NULL, &num), s);
	cr_assert_eq(num, SQL_TRUE, "%s", when);
	OKS(SQLColAttribute(s, 0, SQL_DESC_COUNT, NULL, 0, NULL, &num), s);
	cr_assert_eq(num, 5, "%s", when);
}

#define ITEM_QUERY "SELECT id, name AS label, price, data, length(name) AS n FROM item " \
		   "WHERE id >= ? ORDER BY id"

Test(describe, prepared_select_is_described_before_it_runs_and_the_same_after)
{
	SQLINTEGER from = 2;
	SQLLEN ind = 0, nlen;
	SQLBIGINT id;
	char n[16];
	SQLULEN before, after;

	OKS(SQLPrepare(st, (SQLCHAR *)ITEM_QUERY, SQL_NTS), st);
	before = requests(dbc);
	assert_item_columns(st, "before SQLExecute");
	after = requests(dbc);
	/* the table's declared columns (once per transaction) and the
	 * no-rows query; nothing else: no BEGIN */
	cr_assert_eq(after - before, 2, "describing cost %lu round trips",
		     (unsigned long)(after - before));
	/* nothing was begun: ending nothing costs no round trip */
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
	cr_assert_eq(requests(dbc), after);
	/* asked again: no round trip */
	assert_item_columns(st, "described twice");
	cr_assert_eq(requests(dbc), after);

	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &from, 0,
			     &ind), st);
	OKS(SQLExecute(st), st);
	assert_item_columns(st, "after SQLExecute");
	OKS(SQLFetch(st), st);
	OKS(SQLGetData(st, 1, SQL_C_SBIGINT, &id, 0, NULL), st);
	cr_assert_eq(id, 2);
	/* n is described VARCHAR (an integer cell would make a fresh
	 * result BIGINT); its value reads as the text the binding expects */
	OKS(SQLGetData(st, 5, SQL_C_CHAR, n, sizeof n, &nlen), st);
	cr_assert_str_eq(n, "3");
	OKS(SQLCloseCursor(st), st);
	/* back in the prepared state: still described, at no cost */
	before = requests(dbc);
	assert_item_columns(st, "after SQLCloseCursor");
	cr_assert_eq(requests(dbc), before);
}

Test(describe, with_query_and_its_parameters)
{
	SQLINTEGER v[3] = {1, 5, 3};
	SQLLEN ind[3] = {0, 0, 0};
	SQLBIGINT got[3];
	col c;

	OKS(SQLPrepare(st, (SQLCHAR *)"WITH RECURSIVE c(k) AS (SELECT ? UNION ALL SELECT k + 1 "
			  "FROM c WHERE k < ?) SELECT k, k * 2 AS twice FROM c LIMIT ?", SQL_NTS),
	    st);
	cr_assert_eq(num_cols(st), 2);
	c = describe_col(st, 1);
	cr_assert_str_eq(c.name, "k");
	cr_assert_eq(c.type, SQL_VARCHAR);
	c = describe_col(st, 2);
	cr_assert_str_eq(c.name, "twice");
	for (int i = 0; i < 3; i++)
		OKS(SQLBindParameter(st, (SQLUSMALLINT)(i + 1), SQL_PARAM_INPUT, SQL_C_SLONG,
				     SQL_INTEGER, 0, 0, &v[i], 0, &ind[i]), st);
	OKS(SQLExecute(st), st);
	cr_assert_eq(num_cols(st), 2);
	cr_assert_str_eq(describe_col(st, 2).name, "twice");
	for (int i = 0; i < 3; i++) {
		OKS(SQLFetch(st), st);
		OKS(SQLGetData(st, 1, SQL_C_SBIGINT, &got[i], 0, NULL), st);
		cr_assert_eq(got[i], i + 1, "the LIMIT ? of the statement applies");
	}
	cr_assert_eq(SQLFetch(st), SQL_NO_DATA);
}

Test(describe, duplicate_names_and_values_keep_the_statements_names)
{
	const char *names[] = {"a", "a", "b"};

	exec_ok(dbc, "CREATE TABLE other (id INTEGER, name TEXT)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	OKS(SQLPrepare(st, (SQLCHAR *)"SELECT item.id, other.id, item.name, other.name "
			  "FROM item JOIN other ON other.id = item.id", SQL_NTS), st);
	cr_assert_eq(num_cols(st), 4);
	cr_assert_str_eq(describe_col(st, 2).name, "id");
	cr_assert_str_eq(describe_col(st, 4).name, "name");
	/* a compound ending in VALUES is described as a subquery (SQLite
	 * allows no LIMIT after it): the names are still the statement's */
	OKS(SQLPrepare(st, (SQLCHAR *)"SELECT 1 AS a, 2 AS A, 3 AS b UNION ALL VALUES (4, 5, 6);",
			SQL_NTS), st);
	cr_assert_eq(num_cols(st), 3);
	names[1] = "A";
	for (SQLUSMALLINT i = 1; i <= 3; i++)
		cr_assert_str_eq(describe_col(st, i).name, names[i - 1]);
	OKS(SQLExecute(st), st);
	for (SQLUSMALLINT i = 1; i <= 3; i++)
		cr_assert_str_eq(describe_col(st, i).name, names[i - 1]);
	OKS(SQLCloseCursor(st), st);
	OKS(SQLPrepare(st, (SQLCHAR *)"VALUES (1, 'x')", SQL_NTS), st);
	cr_assert_eq(num_cols(st), 2);
	cr_assert_str_eq(describe_col(st, 2).name, "column2");
}

Test(describe, statements_without_a_result_describe_as_none_at_no_cost)
{
	SQLULEN before;
	col c;
	SQLSMALLINT len;

	OKS(SQLPrepare(st, (SQLCHAR *)"INSERT INTO item (id, name) VALUES (?, ?)", SQL_NTS), st);
	before = requests(dbc);
	cr_assert_eq(num_cols(st), 0);
	cr_assert_eq(SQLDescribeCol(st, 1, (SQLCHAR *)c.name, sizeof c.name, &len, &c.type,
				    &c.size, &c.digits, &c.nullable), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "07005");
	cr_assert_eq(requests(dbc), before, "nothing was sent");
	OKS(SQLPrepare(st, (SQLCHAR *)"UPDATE item SET name = ? WHERE id = ?", SQL_NTS), st);
	cr_assert_eq(num_cols(st), 0);
	OKS(SQLPrepare(st, (SQLCHAR *)"CREATE TABLE z (a INT)", SQL_NTS), st);
	cr_assert_eq(num_cols(st), 0);
	cr_assert_eq(requests(dbc), before + 4,
		     "only the two PREPAREs, each finalizing the statement before");
}

/* A listing PRAGMA is described through its table-valued function, with
 * the names its execution gives. */
Test(describe, listing_pragma_is_described_before_it_runs)
{
	static const char *names[] = {"cid", "name", "type", "notnull", "dflt_value", "pk"};

	OKS(SQLPrepare(st, (SQLCHAR *)"PRAGMA table_info(item)", SQL_NTS), st);
	cr_assert_eq(num_cols(st), 6);
	for (SQLUSMALLINT i = 1; i <= 6; i++)
		cr_assert_str_eq(describe_col(st, i).name, names[i - 1]);
	OKS(SQLExecute(st), st);
	cr_assert_eq(num_cols(st), 6);
	for (SQLUSMALLINT i = 1; i <= 6; i++)
		cr_assert_str_eq(describe_col(st, i).name, names[i - 1]);
	OKS(SQLFetch(st), st);
	OKS(SQLCloseCursor(st), st);
	OKS(SQLPrepare(st, (SQLCHAR *)"PRAGMA main.index_list(item)", SQL_NTS), st);
	cr_assert_eq(num_cols(st), 5);
	cr_assert_str_eq(describe_col(st, 2).name, "name");
}

/* Other PRAGMAs (they may write: PRAGMA user_version = 5) are described
 * once executed. */
Test(describe, other_pragmas_are_described_once_executed)
{
	col c;
	SQLSMALLINT len;

	OKS(SQLPrepare(st, (SQLCHAR *)"PRAGMA user_version", SQL_NTS), st);
	cr_assert_eq(num_cols(st), 0);
	cr_assert_eq(SQLDescribeCol(st, 1, (SQLCHAR *)c.name, sizeof c.name, &len, &c.type,
				    &c.size, &c.digits, &c.nullable), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "07005");
	cr_assert(strstr(diag(SQL_HANDLE_STMT, st), "once it is executed"), "%s",
		  diag(SQL_HANDLE_STMT, st));
	OKS(SQLExecute(st), st);
	cr_assert_eq(num_cols(st), 1);
	cr_assert_str_eq(describe_col(st, 1).name, "user_version");
}

/* EXPLAIN and EXPLAIN QUERY PLAN change nothing: they are described by
 * running them, before SQLExecute, and the execution agrees; an EXPLAIN
 * of an INSERT inserts nothing and begins no transaction. */
Test(describe, explain_is_described_before_it_runs)
{
	static const char *plan[] = {"id", "parent", "notused", "detail"};
	static const char *prog[] = {"addr", "opcode", "p1", "p2", "p3", "p4", "p5", "comment"};
	SQLULEN after;

	OKS(SQLPrepare(st, (SQLCHAR *)"EXPLAIN QUERY PLAN SELECT name FROM item WHERE id = ?",
			SQL_NTS), st);
	cr_assert_eq(num_cols(st), 4);
	for (SQLUSMALLINT i = 1; i <= 4; i++)
		cr_assert_str_eq(describe_col(st, i).name, plan[i - 1]);
	cr_assert_eq(describe_col(st, 1).type, SQL_BIGINT, "typed from the first row");
	OKS(SQLPrepare(st, (SQLCHAR *)"EXPLAIN INSERT INTO item (id, name) VALUES (?, ?)",
			SQL_NTS), st);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
	cr_assert_eq(num_cols(st), 8);
	for (SQLUSMALLINT i = 1; i <= 8; i++)
		cr_assert_str_eq(describe_col(st, i).name, prog[i - 1]);
	after = requests(dbc);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
	cr_assert_eq(requests(dbc), after, "describing began no transaction: nothing to roll back");
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM item WHERE id = 0"), 0,
		     "describing inserted nothing");
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 0, 0, "7", 0, NULL), st);
	OKS(SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 0, 0, "x", 0, NULL), st);
	OKS(SQLExecute(st), st);
	cr_assert_eq(num_cols(st), 8);
	OKS(SQLFetch(st), st);
	OKS(SQLCloseCursor(st), st);
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM item WHERE id = 7"), 0,
		     "an EXPLAIN runs nothing");
}

/* The statement was fine when prepared; another connection dropped its
 * table before it was described: the describe fails as the execution
 * would, and the statement stays prepared. */
Test(describe, an_error_when_describing_is_the_statements_own)
{
	SQLHENV uenv;
	SQLHDBC u = odbc_connect_unmanaged(&uenv, NULL);
	SQLHSTMT us;
	SQLSMALLINT n = -1;

	cr_assert(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, u, &us)));
	OKS(SQLPrepare(us, (SQLCHAR *)"SELECT id FROM item", SQL_NTS), us);
	exec_ok(dbc, "DROP TABLE item");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	cr_assert_eq(SQLNumResultCols(us, &n), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, us), "42S02");
	cr_assert(strstr(diag(SQL_HANDLE_STMT, us), "no such table: item"), "%s",
		  diag(SQL_HANDLE_STMT, us));
	exec_ok(dbc, "CREATE TABLE item (id TEXT)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	/* still prepared: described now from the new table */
	OKS(SQLNumResultCols(us, &n), us);
	cr_assert_eq(n, 1);
	cr_assert_eq(describe_col(us, 1).type, SQL_LONGVARCHAR);
	OKS(SQLExecute(us), us);
	cr_assert_eq(SQLFetch(us), SQL_NO_DATA);
	SQLFreeHandle(SQL_HANDLE_STMT, us);
	SQLDisconnect(u);
	SQLFreeHandle(SQL_HANDLE_DBC, u);
	SQLFreeHandle(SQL_HANDLE_ENV, uenv);

	/* a statement the server refuses is not prepared at all */
	cr_assert_eq(SQLPrepare(st, (SQLCHAR *)"SELECT nosuch FROM item", SQL_NTS), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "42S22");
	cr_assert_eq(SQLNumResultCols(st, &n), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY010");
}

/* Managed with BeginMode=immediate: a statement's implicit BEGIN would
 * take the write lock. Describing begins nothing, so another connection
 * writes meanwhile. */
Test(describe, describing_in_managed_mode_begins_no_transaction)
{
	SQLHENV e2, e3;
	SQLHDBC imm = odbc_connect(&e2, "BeginMode=immediate");
	SQLHDBC other = odbc_connect(&e3, "BusyTimeout=0");
	SQLHSTMT s;
	SQLULEN after;

	cr_assert(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, imm, &s)));
	OKS(SQLPrepare(s, (SQLCHAR *)"SELECT id, name FROM item", SQL_NTS), s);
	cr_assert_eq(num_cols(s), 2);
	after = requests(imm);
	exec_ok(other, "INSERT INTO item (id, name) VALUES (10, 'ten')");
	OKC(SQLEndTran(SQL_HANDLE_DBC, other, SQL_COMMIT), other);
	/* nothing open on imm: its rollback costs nothing */
	OKC(SQLEndTran(SQL_HANDLE_DBC, imm, SQL_ROLLBACK), imm);
	cr_assert_eq(requests(imm), after);
	/* the execution begins as usual and sees the other's row */
	OKS(SQLExecute(s), s);
	cr_assert_eq(num_cols(s), 2);
	cr_assert_eq(query_int(imm, "SELECT count(*) FROM item"), 4);
	SQLFreeHandle(SQL_HANDLE_STMT, s);
	odbc_close(e2, imm);
	odbc_close(e3, other);
}

/* Inside a transaction the describe sees what the transaction sees (a
 * table it created), and leaves it open. */
Test(describe, inside_a_transaction_it_sees_the_transactions_schema)
{
	OKS(SQLExecDirect(st, (SQLCHAR *)"CREATE TABLE fresh (a INTEGER, b VARCHAR(7))", SQL_NTS),
	    st);
	OKS(SQLPrepare(st, (SQLCHAR *)"SELECT b, a FROM fresh", SQL_NTS), st);
	cr_assert_eq(num_cols(st), 2);
	col c = describe_col(st, 1);
	cr_assert_str_eq(c.name, "b");
	cr_assert_eq(c.type, SQL_VARCHAR);
	cr_assert_eq(c.size, 7);
	OKS(SQLExecute(st), st);
	cr_assert_eq(SQLFetch(st), SQL_NO_DATA);
	OKS(SQLCloseCursor(st), st);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM sqlite_master WHERE name = 'fresh'"),
		     0, "the transaction stayed open until rolled back");
}

/* Unmanaged, outside a transaction: the describe runs on its own and
 * leaves nothing open (a raw BEGIN then works). */
Test(describe, unmanaged_describe_leaves_nothing_open)
{
	SQLHENV uenv;
	SQLHDBC u = odbc_connect_unmanaged(&uenv, NULL);
	SQLHSTMT us;

	cr_assert(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, u, &us)));
	OKS(SQLPrepare(us, (SQLCHAR *)"SELECT name FROM item WHERE id = ?", SQL_NTS), us);
	cr_assert_eq(num_cols(us), 1);
	cr_assert_eq(describe_col(us, 1).type, SQL_VARCHAR);
	exec_ok(u, "BEGIN");
	exec_ok(u, "INSERT INTO item (id, name) VALUES (20, 'twenty')");
	exec_ok(u, "COMMIT");
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM item"), 4);
	SQLFreeHandle(SQL_HANDLE_STMT, us);
	SQLDisconnect(u);
	SQLFreeHandle(SQL_HANDLE_DBC, u);
	SQLFreeHandle(SQL_HANDLE_ENV, uenv);
}

/* ------------------------------------------------------------ markers */

static void setup_p(void)
{
	setup();
	exec_ok(dbc, "CREATE TABLE p (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL,"
		     " price DECIMAL(10,2), data BLOB, at DATETIME, note)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
}

TestSuite(describe_param, .init = setup_p, .fini = teardown, .timeout = 120);

typedef struct pdesc {
	SQLSMALLINT type, digits, nullable;
	SQLULEN size;
} pdesc;

static pdesc describe_param(SQLHSTMT s, SQLUSMALLINT i)
{
	pdesc d = {-1, -1, -1, 12345};
	OKS(SQLDescribeParam(s, i, &d.type, &d.size, &d.digits, &d.nullable), s);
	return d;
}

static void param_is(SQLHSTMT s, SQLUSMALLINT i, SQLSMALLINT type, SQLULEN size,
		     SQLSMALLINT digits, SQLSMALLINT nullable)
{
	pdesc d = describe_param(s, i);
	cr_assert_eq(d.type, type, "parameter %u: type %d", i, d.type);
	cr_assert_eq(d.size, size, "parameter %u: size %lu", i, (unsigned long)d.size);
	cr_assert_eq(d.digits, digits, "parameter %u: digits %d", i, d.digits);
	cr_assert_eq(d.nullable, nullable, "parameter %u: nullable %d", i, d.nullable);
}

/* Character and binary targets are size 0 ("no fixed limit"): SQLite
 * keeps 600 characters in a VARCHAR(40) column. */
Test(describe_param, insert_markers_take_their_columns_declared_types)
{
	SQLULEN before;

	OKS(SQLPrepare(st, (SQLCHAR *)"INSERT INTO p (name, id, price, data, at, note) "
			  "VALUES (?, ?, ?, ?, ?, ?)", SQL_NTS), st);
	before = requests(dbc);
	param_is(st, 1, SQL_VARCHAR, 0, 0, SQL_NO_NULLS);
	cr_assert_eq(requests(dbc), before + 1, "one schema lookup for the table");
	param_is(st, 2, SQL_BIGINT, 19, 0, SQL_NO_NULLS);
	param_is(st, 3, SQL_DECIMAL, 10, 2, SQL_NULLABLE);
	param_is(st, 4, SQL_LONGVARBINARY, 0, 0, SQL_NULLABLE);
	param_is(st, 5, SQL_TYPE_TIMESTAMP, 26, 6, SQL_NULLABLE);
	param_is(st, 6, SQL_VARCHAR, 0, 0, SQL_NULLABLE); /* no declared type */
	cr_assert_eq(requests(dbc), before + 1, "the rest from what was described");
	/* nothing was begun */
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
	cr_assert_eq(requests(dbc), before + 1);

	OKS(SQLPrepare(st, (SQLCHAR *)"insert into P values (?, ?, ?, ?, ?, ?)", SQL_NTS), st);
	param_is(st, 1, SQL_BIGINT, 19, 0, SQL_NO_NULLS);
	param_is(st, 2, SQL_VARCHAR, 0, 0, SQL_NO_NULLS);
	param_is(st, 4, SQL_LONGVARBINARY, 0, 0, SQL_NULLABLE);
}

Test(describe_param, comparisons_set_in_and_limit)
{
	OKS(SQLPrepare(st, (SQLCHAR *)"UPDATE p SET price = ? WHERE id = ? AND name LIKE ?",
		       SQL_NTS), st);
	param_is(st, 1, SQL_DECIMAL, 10, 2, SQL_NULLABLE);
	param_is(st, 2, SQL_BIGINT, 19, 0, SQL_NO_NULLS);
	param_is(st, 3, SQL_VARCHAR, 0, 0, SQL_NULLABLE); /* a pattern, not a name */
	OKS(SQLPrepare(st, (SQLCHAR *)"SELECT x.name FROM p AS x JOIN item ON item.id = x.id "
			  "WHERE x.data = ? AND x.note = ? AND item.price BETWEEN ? AND ?"
			  " AND x.id IN (?, ?) LIMIT ? OFFSET ?", SQL_NTS), st);
	param_is(st, 1, SQL_LONGVARBINARY, 0, 0, SQL_NULLABLE);
	param_is(st, 2, SQL_VARCHAR, 0, 0, SQL_NULLABLE); /* no declared type */
	param_is(st, 3, SQL_DECIMAL, 10, 2, SQL_NULLABLE);
	param_is(st, 4, SQL_DECIMAL, 10, 2, SQL_NULLABLE);
	param_is(st, 6, SQL_BIGINT, 19, 0, SQL_NO_NULLS);
	param_is(st, 7, SQL_BIGINT, 19, 0, SQL_NO_NULLS);
	param_is(st, 8, SQL_BIGINT, 19, 0, SQL_NO_NULLS);
	OKS(SQLPrepare(st, (SQLCHAR *)"SELECT ? + 1", SQL_NTS), st);
	param_is(st, 1, SQL_VARCHAR, 0, 0, SQL_NULLABLE);
	cr_assert_eq(SQLDescribeParam(st, 2, NULL, NULL, NULL, NULL), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "07009");
}

/* A parameter array whose values come as data at execution (pyodbc's
 * fast_executemany for size-0 markers): SQLParamData hands back each
 * set's own bound address, in order; NULL and pieces work. */
Test(describe_param, data_at_execution_across_a_parameter_array)
{
	SQLINTEGER ids[3] = {1, 2, 3}, slot[3] = {0, 1, 2};
	SQLLEN id_ind[3] = {0, 0, 0}, dae_ind[3];
	SQLUSMALLINT status[3];
	unsigned char blob[600];
	SQLPOINTER token;
	SQLRETURN rc;
	int asked[3] = {0, 0, 0}, order = 0;

	for (int i = 0; i < 600; i++)
		blob[i] = (unsigned char)(i * 7);
	for (int i = 0; i < 3; i++)
		dae_ind[i] = SQL_LEN_DATA_AT_EXEC(600);
	OKS(SQLPrepare(st, (SQLCHAR *)"INSERT INTO p (id, name, data) VALUES (?, 'n', ?)",
		       SQL_NTS), st);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)3, 0), st);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_PARAM_STATUS_PTR, status, 0), st);
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, ids, 0,
			     id_ind), st);
	OKS(SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_BINARY, SQL_LONGVARBINARY, 0, 0,
			     slot, sizeof slot[0], dae_ind), st);
	cr_assert_eq(SQLExecute(st), SQL_NEED_DATA, "%s", diag(SQL_HANDLE_STMT, st));
	while ((rc = SQLParamData(st, &token)) == SQL_NEED_DATA) {
		int row = *(SQLINTEGER *)token;
		cr_assert_eq(row, order++, "the sets come in order, each its own address");
		asked[row]++;
		if (row == 1) {
			OKS(SQLPutData(st, NULL, SQL_NULL_DATA), st);
			continue;
		}
		OKS(SQLPutData(st, blob, 100), st);
		OKS(SQLPutData(st, blob + 100, 500), st);
	}
	OKS(rc, st);
	cr_assert_eq(asked[0] + asked[1] + asked[2], 3);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(status[i], SQL_PARAM_SUCCESS);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0), st);
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM p WHERE data IS NULL"), 1);
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM p WHERE length(data) = 600"), 2);
	{
		SQLHSTMT q;
		unsigned char got[700];
		SQLLEN len;
		SQLAllocHandle(SQL_HANDLE_STMT, dbc, &q);
		OKS(SQLExecDirect(q, (SQLCHAR *)"SELECT data FROM p WHERE id = 3", SQL_NTS), q);
		OKS(SQLFetch(q), q);
		OKS(SQLGetData(q, 1, SQL_C_BINARY, got, sizeof got, &len), q);
		cr_assert_eq(len, 600);
		cr_assert_eq(memcmp(got, blob, 600), 0);
		SQLFreeHandle(SQL_HANDLE_STMT, q);
	}
}

static void restart_node(void)
{
	cr_assert_eq(dqt_node_kill(&fx.cl, 0), 0);
	cr_assert_eq(dqt_node_restart(&fx.cl, 0), 0);
}

/* The link dies under an idle prepared statement (its node restarts):
 * describing it, and its markers, find the node again as a statement
 * would (nothing of a transaction was at stake), then it executes. */
Test(describe_param, describing_rides_out_a_lost_link)
{
	SQLHENV uenv;
	SQLHDBC u = odbc_connect_unmanaged(&uenv, NULL);
	SQLHSTMT us;
	SQLINTEGER id = 3;
	SQLLEN ind = 0;
	char name[16];

	cr_assert(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, u, &us)));
	OKS(SQLPrepare(us, (SQLCHAR *)"SELECT name FROM item WHERE id = ?", SQL_NTS), us);
	restart_node();
	cr_assert_eq(num_cols(us), 1);
	cr_assert_str_eq(describe_col(us, 1).name, "name");
	OKS(SQLPrepare(us, (SQLCHAR *)"SELECT name FROM item WHERE id = ?", SQL_NTS), us);
	restart_node();
	param_is(us, 1, SQL_BIGINT, 19, 0, SQL_NO_NULLS);
	OKS(SQLBindParameter(us, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, 0,
			     &ind), us);
	OKS(SQLExecute(us), us);
	OKS(SQLFetch(us), us);
	OKS(SQLGetData(us, 1, SQL_C_CHAR, name, sizeof name, NULL), us);
	cr_assert_str_eq(name, "three");
	SQLFreeHandle(SQL_HANDLE_STMT, us);
	SQLDisconnect(u);
	SQLFreeHandle(SQL_HANDLE_DBC, u);
	SQLFreeHandle(SQL_HANDLE_ENV, uenv);
}

/* Describing never splits a transaction: when the link goes under a
 * transaction with work in it, the describe fails as a statement would
 * (08S01: the server rolled it back) and is refused (25000) until the
 * application rolls back; then it works again. */
Test(describe_param, describing_in_a_lost_transaction_is_refused_until_rollback)
{
	SQLHSTMT s2;
	SQLSMALLINT n = -1;

	exec_ok(dbc, "INSERT INTO item (id, name) VALUES (30, 'thirty')"); /* work */
	cr_assert(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &s2)));
	OKS(SQLPrepare(st, (SQLCHAR *)"SELECT name FROM item", SQL_NTS), st);
	OKS(SQLPrepare(s2, (SQLCHAR *)"SELECT id FROM item WHERE id = ?", SQL_NTS), s2);
	restart_node();
	cr_assert_eq(SQLNumResultCols(st, &n), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "08S01", "%s", diag(SQL_HANDLE_STMT, st));
	cr_assert(strstr(diag(SQL_HANDLE_STMT, st), "rolled back the open transaction"), "%s",
		  diag(SQL_HANDLE_STMT, st));
	cr_assert_eq(SQLDescribeParam(s2, 1, NULL, NULL, NULL, NULL), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, s2), "25000", "%s", diag(SQL_HANDLE_STMT, s2));
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), dbc);
	OKS(SQLNumResultCols(st, &n), st);
	cr_assert_eq(n, 1);
	param_is(s2, 1, SQL_BIGINT, 19, 0, SQL_NO_NULLS);
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM item WHERE id = 30"), 0,
		     "the lost write is nowhere");
	SQLFreeHandle(SQL_HANDLE_STMT, s2);
}
