/*
 * Cursors through unixODBC's driver manager against a real node (issue 11):
 * the static cursor's every SQLFetchScroll orientation by the positioning
 * rules of the ODBC reference (before the start, after the end, partial
 * rowsets, 01S06, a rowset size changed between fetches), the row status
 * array, the rows fetched pointer and SQL_ATTR_ROW_NUMBER;
 * SQLSetPos(SQL_POSITION) + SQLGetData in a rowset (SQL_GD_BLOCK); the
 * forward-only cursor's refusals (HY106, HY109); KEYSET / DYNAMIC
 * substituted with 01S02; the static cursor's snapshot and memory bound;
 * catalog results and a stream beside it; SQLExtendedFetch and
 * SQLSetScrollOptions for an ODBC 2 application; the SQLGetInfo cursor
 * claims; and unixODBC's cursor library staying away under
 * SQL_CUR_USE_IF_NEEDED.
 */
#include "odbc_util.h"

static odbc_fixture fx;
static SQLHDBC dbc;
static SQLHSTMT st;

#define NROWS 10
#define MAXSET 16

/* The bound rowset of the tests: column 1 (id) into ids[], a row status
 * array and the rows fetched count. */
static SQLINTEGER ids[MAXSET];
static SQLLEN ind[MAXSET];
static SQLUSMALLINT status[MAXSET];
static SQLULEN fetched;

static void setup(void)
{
	odbc_fixture_up(&fx, "cursors");
	dbc = fx.dbc;
	st = fx.st;
	exec_ok(dbc, "CREATE TABLE cur (id INTEGER PRIMARY KEY, t TEXT)");
	for (int i = 1; i <= NROWS; i++) {
		char sql[96];
		snprintf(sql, sizeof sql, "INSERT INTO cur VALUES (%d, 'row %d')", i, i);
		exec_ok(dbc, sql);
	}
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
}

static void teardown(void)
{
	odbc_fixture_down(&fx);
}

TestSuite(cursors, .init = setup, .fini = teardown, .timeout = 120);

static void set_rowset(SQLULEN n)
{
	OKS(SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)n, 0), st);
}

/* Opens `sql` on st with a static cursor and the bound rowset above. */
static void open_static(const char *sql, SQLULEN rowset)
{
	OKS(SQLSetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_STATIC, 0), st);
	set_rowset(rowset);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_ROW_STATUS_PTR, status, 0), st);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0), st);
	OKS(SQLBindCol(st, 1, SQL_C_SLONG, ids, 0, ind), st);
	OKS(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS), st);
}

static SQLULEN row_number(void)
{
	SQLULEN n = 99;
	OKS(SQLGetStmtAttr(st, SQL_ATTR_ROW_NUMBER, &n, 0, NULL), st);
	return n;
}

/* One SQLFetchScroll: its return code, then (unless SQL_NO_DATA) the ids
 * first.. first+count-1 in the rowset, SQL_ROW_NOROW after them up to the
 * rowset size, the rows fetched count and SQL_ATTR_ROW_NUMBER (the first
 * row of the rowset). */
static void expect_fetch(const char *what, SQLSMALLINT o, SQLLEN off, SQLRETURN rc,
			 int first, int count, SQLULEN size)
{
	memset(ids, 0, sizeof ids);
	for (int i = 0; i < MAXSET; i++)
		status[i] = 0xBEEF;
	fetched = 99;
	SQLRETURN got = SQLFetchScroll(st, o, off);
	cr_assert_eq(got, rc, "%s: returned %d, expected %d (%s)", what, got, rc,
		     diag(SQL_HANDLE_STMT, st));
	if (rc == SQL_ERROR)
		return;
	if (rc == SQL_SUCCESS_WITH_INFO)
		cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "01S06", "%s", what);
	cr_assert_eq(fetched, (SQLULEN)count, "%s: %lu rows fetched, expected %d", what,
		     (unsigned long)fetched, count);
	if (rc == SQL_NO_DATA)
		return;
	for (int i = 0; i < count; i++) {
		cr_assert_eq(ids[i], first + i, "%s: row %d is id %d, expected %d", what,
			     i + 1, (int)ids[i], first + i);
		cr_assert_eq(status[i], SQL_ROW_SUCCESS, "%s: status of row %d", what, i + 1);
	}
	for (SQLULEN i = (SQLULEN)count; i < size; i++)
		cr_assert_eq(status[i], SQL_ROW_NOROW, "%s: status of empty row %lu", what,
			     (unsigned long)i + 1);
	cr_assert_eq(row_number(), (SQLULEN)first, "%s: SQL_ATTR_ROW_NUMBER", what);
}

Test(cursors, next_prior_first_last_with_partial_rowsets_and_both_ends)
{
	open_static("SELECT id FROM cur ORDER BY id", 4);
	expect_fetch("NEXT from before the start", SQL_FETCH_NEXT, 0, SQL_SUCCESS, 1, 4, 4);
	expect_fetch("NEXT", SQL_FETCH_NEXT, 0, SQL_SUCCESS, 5, 4, 4);
	expect_fetch("NEXT: partial last rowset", SQL_FETCH_NEXT, 0, SQL_SUCCESS, 9, 2, 4);
	expect_fetch("NEXT past the end", SQL_FETCH_NEXT, 0, SQL_NO_DATA, 0, 0, 4);
	expect_fetch("NEXT after the end", SQL_FETCH_NEXT, 0, SQL_NO_DATA, 0, 0, 4);
	expect_fetch("PRIOR from after the end", SQL_FETCH_PRIOR, 0, SQL_SUCCESS, 7, 4, 4);
	expect_fetch("PRIOR", SQL_FETCH_PRIOR, 0, SQL_SUCCESS, 3, 4, 4);
	expect_fetch("PRIOR overlapping the start: row 1 and 01S06", SQL_FETCH_PRIOR, 0,
		     SQL_SUCCESS_WITH_INFO, 1, 4, 4);
	expect_fetch("PRIOR from row 1", SQL_FETCH_PRIOR, 0, SQL_NO_DATA, 0, 0, 4);
	expect_fetch("PRIOR before the start", SQL_FETCH_PRIOR, 0, SQL_NO_DATA, 0, 0, 4);
	expect_fetch("LAST: the last complete rowset", SQL_FETCH_LAST, 0, SQL_SUCCESS, 7, 4, 4);
	expect_fetch("FIRST", SQL_FETCH_FIRST, 0, SQL_SUCCESS, 1, 4, 4);
	/* SQLFetch is SQL_FETCH_NEXT on the same cursor */
	cr_assert_eq(SQLFetch(st), SQL_SUCCESS, "%s", diag(SQL_HANDLE_STMT, st));
	cr_assert_eq(ids[0], 5);
	cr_assert_eq(fetched, 4);
}

Test(cursors, absolute_and_relative_at_and_past_both_ends)
{
	open_static("SELECT id FROM cur ORDER BY id", 4);
	expect_fetch("ABSOLUTE 0: before the start", SQL_FETCH_ABSOLUTE, 0, SQL_NO_DATA, 0, 0, 4);
	expect_fetch("ABSOLUTE 3", SQL_FETCH_ABSOLUTE, 3, SQL_SUCCESS, 3, 4, 4);
	expect_fetch("ABSOLUTE -1: the last row", SQL_FETCH_ABSOLUTE, -1, SQL_SUCCESS, 10, 1, 4);
	expect_fetch("ABSOLUTE -3", SQL_FETCH_ABSOLUTE, -3, SQL_SUCCESS, 8, 3, 4);
	expect_fetch("ABSOLUTE -10: row 1", SQL_FETCH_ABSOLUTE, -10, SQL_SUCCESS, 1, 4, 4);
	expect_fetch("ABSOLUTE -11 (more than the rowset before row 1)",
		     SQL_FETCH_ABSOLUTE, -11, SQL_NO_DATA, 0, 0, 4);
	expect_fetch("ABSOLUTE 11: after the end", SQL_FETCH_ABSOLUTE, 11, SQL_NO_DATA, 0, 0, 4);
	expect_fetch("RELATIVE -2 from after the end: as ABSOLUTE -2", SQL_FETCH_RELATIVE, -2,
		     SQL_SUCCESS, 9, 2, 4);
	expect_fetch("RELATIVE 0 refetches", SQL_FETCH_RELATIVE, 0, SQL_SUCCESS, 9, 2, 4);
	expect_fetch("RELATIVE -8", SQL_FETCH_RELATIVE, -8, SQL_SUCCESS, 1, 4, 4);
	expect_fetch("RELATIVE -1 from row 1: before the start", SQL_FETCH_RELATIVE, -1,
		     SQL_NO_DATA, 0, 0, 4);
	expect_fetch("RELATIVE 0 before the start", SQL_FETCH_RELATIVE, 0, SQL_NO_DATA, 0, 0, 4);
	expect_fetch("RELATIVE 3 from before the start: as ABSOLUTE 3", SQL_FETCH_RELATIVE, 3,
		     SQL_SUCCESS, 3, 4, 4);
	expect_fetch("RELATIVE -4 from row 3: row 1 and 01S06", SQL_FETCH_RELATIVE, -4,
		     SQL_SUCCESS_WITH_INFO, 1, 4, 4);
	expect_fetch("ABSOLUTE 5", SQL_FETCH_ABSOLUTE, 5, SQL_SUCCESS, 5, 4, 4);
	expect_fetch("RELATIVE -9 from row 5 (more than the rowset before row 1)",
		     SQL_FETCH_RELATIVE, -9, SQL_NO_DATA, 0, 0, 4);
	expect_fetch("ABSOLUTE 5 again", SQL_FETCH_ABSOLUTE, 5, SQL_SUCCESS, 5, 4, 4);
	expect_fetch("RELATIVE 6 from row 5: after the end", SQL_FETCH_RELATIVE, 6,
		     SQL_NO_DATA, 0, 0, 4);
	expect_fetch("RELATIVE 1 after the end", SQL_FETCH_RELATIVE, 1, SQL_NO_DATA, 0, 0, 4);
	expect_fetch("RELATIVE huge after the end", SQL_FETCH_RELATIVE, INT64_MAX,
		     SQL_NO_DATA, 0, 0, 4);
	expect_fetch("ABSOLUTE most negative", SQL_FETCH_ABSOLUTE, INT64_MIN,
		     SQL_NO_DATA, 0, 0, 4);
	/* a rowset bigger than the result: ABSOLUTE -11 lands on row 1 (01S06) */
	set_rowset(12);
	expect_fetch("ABSOLUTE -11 with a rowset of 12: row 1 and 01S06", SQL_FETCH_ABSOLUTE,
		     -11, SQL_SUCCESS_WITH_INFO, 1, 10, 12);
	expect_fetch("LAST with a rowset bigger than the result", SQL_FETCH_LAST, 0,
		     SQL_SUCCESS, 1, 10, 12);
	expect_fetch("BOOKMARK: no bookmarks", SQL_FETCH_BOOKMARK, 0, SQL_ERROR, 0, 0, 12);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY106");
}

/* The rowset size applies from the next fetch; NEXT steps by the size the
 * previous fetch used, PRIOR by the new one (the ODBC reference's rules). */
/* SQL_CA2_CRC_EXACT: after executing, SQL_DIAG_CURSOR_ROW_COUNT is the
 * static cursor's exact row count (SQL_ATTR_MAX_ROWS applied). */
Test(cursors, diag_cursor_row_count_is_exact_for_a_static_cursor)
{
	SQLLEN n = -1;

	open_static("SELECT id FROM cur ORDER BY id", 1);
	OKS(SQLGetDiagField(SQL_HANDLE_STMT, st, 0, SQL_DIAG_CURSOR_ROW_COUNT, &n, 0, NULL), st);
	cr_assert_eq(n, NROWS);
	OKS(SQLCloseCursor(st), st);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_MAX_ROWS, (SQLPOINTER)3, 0), st);
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT id FROM cur", SQL_NTS), st);
	OKS(SQLGetDiagField(SQL_HANDLE_STMT, st, 0, SQL_DIAG_CURSOR_ROW_COUNT, &n, 0, NULL), st);
	cr_assert_eq(n, 3);
}

Test(cursors, rowset_size_changed_between_fetches)
{
	open_static("SELECT id FROM cur ORDER BY id", 4);
	expect_fetch("FIRST with 4", SQL_FETCH_FIRST, 0, SQL_SUCCESS, 1, 4, 4);
	set_rowset(2);
	expect_fetch("NEXT steps by the previous 4, fetches 2", SQL_FETCH_NEXT, 0,
		     SQL_SUCCESS, 5, 2, 2);
	set_rowset(3);
	expect_fetch("PRIOR steps back by the new 3", SQL_FETCH_PRIOR, 0, SQL_SUCCESS, 2, 3, 3);
	set_rowset(5);
	expect_fetch("LAST with 5", SQL_FETCH_LAST, 0, SQL_SUCCESS, 6, 5, 5);
}

/* An empty result: every orientation is SQL_NO_DATA. */
Test(cursors, every_orientation_on_an_empty_result_is_no_data)
{
	static const SQLSMALLINT o[] = {SQL_FETCH_NEXT, SQL_FETCH_PRIOR, SQL_FETCH_FIRST,
					SQL_FETCH_LAST, SQL_FETCH_ABSOLUTE, SQL_FETCH_RELATIVE};
	open_static("SELECT id FROM cur WHERE id < 0", 3);
	for (size_t i = 0; i < sizeof o / sizeof o[0]; i++)
		expect_fetch("empty", o[i], 1, SQL_NO_DATA, 0, 0, 3);
}

/* SQL_GD_BLOCK: after a fetch the cursor is on the rowset's first row;
 * SQLSetPos(SQL_POSITION) moves it within the rowset; SQLGetData reads
 * that row, in pieces. */
Test(cursors, setpos_position_then_getdata_reads_that_row_of_the_rowset)
{
	char t[32];
	SQLLEN len;

	open_static("SELECT id, t FROM cur ORDER BY id", 4);
	expect_fetch("ABSOLUTE 7", SQL_FETCH_ABSOLUTE, 7, SQL_SUCCESS, 7, 4, 4);
	OKS(SQLGetData(st, 2, SQL_C_CHAR, t, sizeof t, &len), st);
	cr_assert_str_eq(t, "row 7", "after a fetch SQLGetData reads the rowset's first row");
	OKS(SQLSetPos(st, 3, SQL_POSITION, SQL_LOCK_NO_CHANGE), st);
	cr_assert_eq(row_number(), 9);
	OKS(SQLGetData(st, 2, SQL_C_CHAR, t, sizeof t, &len), st);
	cr_assert_str_eq(t, "row 9");
	cr_assert_eq(len, 5);
	/* in pieces, then SQL_NO_DATA for that column */
	OKS(SQLSetPos(st, 2, SQL_POSITION, SQL_LOCK_NO_CHANGE), st);
	cr_assert_eq(SQLGetData(st, 2, SQL_C_CHAR, t, 4, &len), SQL_SUCCESS_WITH_INFO);
	cr_assert_str_eq(t, "row");
	OKS(SQLGetData(st, 2, SQL_C_CHAR, t, sizeof t, &len), st);
	cr_assert_str_eq(t, " 8");
	cr_assert_eq(SQLGetData(st, 2, SQL_C_CHAR, t, sizeof t, &len), SQL_NO_DATA);
	/* repositioning restarts the pieces */
	OKS(SQLSetPos(st, 2, SQL_POSITION, SQL_LOCK_NO_CHANGE), st);
	OKS(SQLGetData(st, 2, SQL_C_CHAR, t, sizeof t, &len), st);
	cr_assert_str_eq(t, "row 8");
	/* row 4 of this rowset (id 10) exists; beyond the rowset size: HY107 */
	OKS(SQLSetPos(st, 4, SQL_POSITION, SQL_LOCK_NO_CHANGE), st);
	cr_assert_eq(SQLSetPos(st, 5, SQL_POSITION, SQL_LOCK_NO_CHANGE), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY107");
	/* a partial rowset: a row not fetched is HY109 */
	expect_fetch("ABSOLUTE 9: 2 rows", SQL_FETCH_ABSOLUTE, 9, SQL_SUCCESS, 9, 2, 4);
	cr_assert_eq(SQLSetPos(st, 3, SQL_POSITION, SQL_LOCK_NO_CHANGE), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY109");
	/* the cursor is read-only: only SQL_POSITION */
	cr_assert_eq(SQLSetPos(st, 1, SQL_REFRESH, SQL_LOCK_NO_CHANGE), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HYC00");
	cr_assert_eq(SQLSetPos(st, 1, SQL_UPDATE, SQL_LOCK_NO_CHANGE), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY092");
	cr_assert_eq(SQLSetPos(st, 1, SQL_POSITION, SQL_LOCK_EXCLUSIVE), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HYC00");
	/* after the end there is no row to read */
	expect_fetch("NEXT past the end", SQL_FETCH_NEXT, 0, SQL_NO_DATA, 0, 0, 4);
	cr_assert_eq(SQLGetData(st, 2, SQL_C_CHAR, t, sizeof t, &len), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "24000");
	cr_assert_eq(SQLSetPos(st, 1, SQL_POSITION, SQL_LOCK_NO_CHANGE), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "24000");
}

/* A forward-only cursor with a rowset of more than one row keeps only the
 * last row read: SQLGetData and SQLSetPos refuse it (HY109) rather than
 * answer from the wrong row; scrolling is HY106. */
Test(cursors, forward_only_rowset_refuses_getdata_setpos_and_scrolling)
{
	char t[32];
	SQLLEN len;

	set_rowset(3);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0), st);
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT id, t FROM cur ORDER BY id", SQL_NTS), st);
	OKS(SQLFetch(st), st);
	cr_assert_eq(fetched, 3);
	cr_assert_eq(row_number(), 1, "the current row is the rowset's first");
	cr_assert_eq(SQLGetData(st, 2, SQL_C_CHAR, t, sizeof t, &len), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY109", "%s", diag(SQL_HANDLE_STMT, st));
	cr_assert_eq(SQLSetPos(st, 1, SQL_POSITION, SQL_LOCK_NO_CHANGE), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY109");
	cr_assert_eq(SQLFetchScroll(st, SQL_FETCH_PRIOR, 0), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY106");
	OKS(SQLFetchScroll(st, SQL_FETCH_NEXT, 0), st);
	cr_assert_eq(row_number(), 4);
	/* a rowset of one row reads as always */
	OKS(SQLFreeStmt(st, SQL_CLOSE), st);
	set_rowset(1);
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT id, t FROM cur ORDER BY id", SQL_NTS), st);
	OKS(SQLFetch(st), st);
	OKS(SQLFetch(st), st);
	OKS(SQLGetData(st, 2, SQL_C_CHAR, t, sizeof t, &len), st);
	cr_assert_str_eq(t, "row 2");
	cr_assert_eq(row_number(), 2);
}

Test(cursors, keyset_and_dynamic_become_static_with_01S02_and_scroll)
{
	SQLULEN v = 0;

	cr_assert_eq(SQLSetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_KEYSET_DRIVEN,
				    0), SQL_SUCCESS_WITH_INFO);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "01S02");
	OKS(SQLGetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, &v, 0, NULL), st);
	cr_assert_eq(v, SQL_CURSOR_STATIC);
	OKS(SQLGetStmtAttr(st, SQL_ATTR_CURSOR_SCROLLABLE, &v, 0, NULL), st);
	cr_assert_eq(v, SQL_SCROLLABLE);
	cr_assert_eq(SQLSetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_DYNAMIC, 0),
		     SQL_SUCCESS_WITH_INFO);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "01S02");
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT id FROM cur ORDER BY id", SQL_NTS), st);
	OKS(SQLBindCol(st, 1, SQL_C_SLONG, ids, 0, ind), st);
	OKS(SQLFetchScroll(st, SQL_FETCH_LAST, 0), st);
	cr_assert_eq(ids[0], NROWS);
	OKS(SQLCloseCursor(st), st);
	/* SQL_ATTR_CURSOR_SCROLLABLE alone picks the static cursor, and off
	 * goes back to forward-only */
	OKS(SQLSetStmtAttr(st, SQL_ATTR_CURSOR_SCROLLABLE, (SQLPOINTER)SQL_NONSCROLLABLE, 0), st);
	OKS(SQLGetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, &v, 0, NULL), st);
	cr_assert_eq(v, SQL_CURSOR_FORWARD_ONLY);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_CURSOR_SCROLLABLE, (SQLPOINTER)SQL_SCROLLABLE, 0), st);
	OKS(SQLGetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, &v, 0, NULL), st);
	cr_assert_eq(v, SQL_CURSOR_STATIC);
	OKS(SQLExecDirect(st, (SQLCHAR *)"SELECT id FROM cur ORDER BY id", SQL_NTS), st);
	OKS(SQLFetchScroll(st, SQL_FETCH_ABSOLUTE, -2), st);
	cr_assert_eq(ids[0], NROWS - 1);
	OKS(SQLCloseCursor(st), st);
	/* no cursor shows later changes: SQL_SENSITIVE is substituted */
	cr_assert_eq(SQLSetStmtAttr(st, SQL_ATTR_CURSOR_SENSITIVITY, (SQLPOINTER)SQL_SENSITIVE, 0),
		     SQL_SUCCESS_WITH_INFO);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "01S02");
	OKS(SQLGetStmtAttr(st, SQL_ATTR_CURSOR_SENSITIVITY, &v, 0, NULL), st);
	cr_assert_eq(v, SQL_INSENSITIVE);
}

/* Catalog results follow the cursor type: a static cursor scrolls them. */
Test(cursors, catalog_results_scroll_with_a_static_cursor)
{
	char name[64];
	SQLLEN len;

	OKS(SQLSetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_STATIC, 0), st);
	OKS(SQLColumns(st, NULL, 0, NULL, 0, (SQLCHAR *)"cur", SQL_NTS, NULL, 0), st);
	OKS(SQLFetchScroll(st, SQL_FETCH_LAST, 0), st);
	OKS(SQLGetData(st, 4, SQL_C_CHAR, name, sizeof name, &len), st);
	cr_assert_str_eq(name, "t", "the last column of cur");
	OKS(SQLFetchScroll(st, SQL_FETCH_PRIOR, 0), st);
	OKS(SQLGetData(st, 4, SQL_C_CHAR, name, sizeof name, &len), st);
	cr_assert_str_eq(name, "id");
	cr_assert_eq(SQLFetchScroll(st, SQL_FETCH_PRIOR, 0), SQL_NO_DATA);
	OKS(SQLCloseCursor(st), st);
	/* forward-only catalog results refuse scrolling */
	OKS(SQLSetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_FORWARD_ONLY, 0), st);
	OKS(SQLColumns(st, NULL, 0, NULL, 0, (SQLCHAR *)"cur", SQL_NTS, NULL, 0), st);
	cr_assert_eq(SQLFetchScroll(st, SQL_FETCH_LAST, 0), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "HY106");
}

/* A static cursor is a snapshot: rows another connection deletes and adds
 * after it was opened do not change it. */
Test(cursors, static_cursor_rows_do_not_change)
{
	SQLHENV env2;
	SQLHDBC other;

	/* an unmanaged reader: the SELECT is its own transaction */
	SQLHDBC reader = odbc_connect_unmanaged(&env2, NULL);
	SQLHSTMT rs;
	SQLHENV env3;
	SQLAllocHandle(SQL_HANDLE_STMT, reader, &rs);
	OKS(SQLSetStmtAttr(rs, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_STATIC, 0), rs);
	OKS(SQLExecDirect(rs, (SQLCHAR *)"SELECT id FROM cur ORDER BY id", SQL_NTS), rs);
	other = odbc_connect(&env3, NULL);
	exec_ok(other, "DELETE FROM cur WHERE id = 10");
	exec_ok(other, "INSERT INTO cur VALUES (11, 'new')");
	OKC(SQLEndTran(SQL_HANDLE_DBC, other, SQL_COMMIT), other);
	OKS(SQLBindCol(rs, 1, SQL_C_SLONG, ids, 0, ind), rs);
	OKS(SQLFetchScroll(rs, SQL_FETCH_LAST, 0), rs);
	cr_assert_eq(ids[0], 10, "the deleted row is still the last one");
	OKS(SQLFetchScroll(rs, SQL_FETCH_ABSOLUTE, 10), rs);
	cr_assert_eq(SQLFetchScroll(rs, SQL_FETCH_NEXT, 0), SQL_NO_DATA, "no added row");
	SQLFreeHandle(SQL_HANDLE_STMT, rs);
	odbc_close(env3, other);
	odbc_close(env2, reader);
}

/* StaticCursorMaxBytes bounds the memory of one static cursor: beyond it
 * execution fails with HY000 naming the keyword; the same query streams
 * with a forward-only cursor. SQL_ATTR_MAX_ROWS bounds it too. */
Test(cursors, static_cursor_memory_is_bounded_by_the_keyword_and_max_rows)
{
	SQLHENV env2;
	SQLHDBC small = odbc_connect(&env2, "StaticCursorMaxBytes=4096");
	SQLHSTMT s2;
	const char *big = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
			  "WHERE i < 200) SELECT i, printf('%0100d', i) FROM n";
	char msg[512];
	SQLCHAR state[6];
	SQLINTEGER native;
	SQLSMALLINT len;
	int rows = 0;

	SQLAllocHandle(SQL_HANDLE_STMT, small, &s2);
	OKS(SQLSetStmtAttr(s2, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_STATIC, 0), s2);
	cr_assert_eq(SQLExecDirect(s2, (SQLCHAR *)big, SQL_NTS), SQL_ERROR);
	SQLGetDiagRec(SQL_HANDLE_STMT, s2, 1, state, &native, (SQLCHAR *)msg, sizeof msg, &len);
	cr_assert_str_eq((char *)state, "HY000");
	cr_assert(strstr(msg, "StaticCursorMaxBytes=4096") != NULL, "%s", msg);
	/* the statement and the connection go on: a small result fits */
	OKS(SQLExecDirect(s2, (SQLCHAR *)"SELECT id FROM cur", SQL_NTS), s2);
	OKS(SQLFetchScroll(s2, SQL_FETCH_LAST, 0), s2);
	OKS(SQLCloseCursor(s2), s2);
	/* forward-only streams the big one */
	OKS(SQLSetStmtAttr(s2, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_FORWARD_ONLY, 0), s2);
	OKS(SQLExecDirect(s2, (SQLCHAR *)big, SQL_NTS), s2);
	while (SQLFetch(s2) == SQL_SUCCESS)
		rows++;
	cr_assert_eq(rows, 200);
	SQLFreeHandle(SQL_HANDLE_STMT, s2);
	odbc_close(env2, small);

	/* SQL_ATTR_MAX_ROWS: the static cursor holds only that many */
	OKS(SQLSetStmtAttr(st, SQL_ATTR_MAX_ROWS, (SQLPOINTER)5, 0), st);
	open_static("SELECT id FROM cur ORDER BY id", 2);
	expect_fetch("LAST of 5", SQL_FETCH_LAST, 0, SQL_SUCCESS, 4, 2, 2);
	expect_fetch("ABSOLUTE 6 of 5", SQL_FETCH_ABSOLUTE, 6, SQL_NO_DATA, 0, 0, 2);
}

/* An ODBC 2 application: SQLExtendedFetch with SQL_ROWSET_SIZE rows, its
 * own rows fetched and row status arguments, every orientation. */
Test(cursors, extended_fetch_for_an_odbc2_application)
{
	SQLHENV env2;
	SQLHDBC d2;
	SQLHSTMT s2;
	SQLULEN n = 99;
	SQLUSMALLINT rs[4];
	SQLINTEGER v[4];
	SQLLEN vi[4];
	char t[16];
	SQLLEN tl;

	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env2);
	SQLSetEnvAttr(env2, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC2, 0);
	SQLAllocHandle(SQL_HANDLE_DBC, env2, &d2);
	OKC(SQLDriverConnect(d2, NULL, (SQLCHAR *)"DSN=dqtest;", SQL_NTS, NULL, 0, NULL,
			     SQL_DRIVER_NOPROMPT), d2);
	SQLAllocHandle(SQL_HANDLE_STMT, d2, &s2);
	/* ODBC 2's SQLSetScrollOptions: the driver manager maps it to the
	 * cursor type and rowset size attributes */
	OKS(SQLSetScrollOptions(s2, SQL_CONCUR_READ_ONLY, SQL_SCROLL_STATIC, 4), s2);
	OKS(SQLGetStmtOption(s2, SQL_CURSOR_TYPE, &n), s2);
	cr_assert_eq(n, SQL_CURSOR_STATIC);
	OKS(SQLSetStmtOption(s2, SQL_CURSOR_TYPE, SQL_CURSOR_STATIC), s2);
	OKS(SQLSetStmtOption(s2, SQL_ROWSET_SIZE, 4), s2);
	OKS(SQLExecDirect(s2, (SQLCHAR *)"SELECT id, t FROM cur ORDER BY id", SQL_NTS), s2);
	OKS(SQLBindCol(s2, 1, SQL_C_SLONG, v, 0, vi), s2);
	OKS(SQLExtendedFetch(s2, SQL_FETCH_NEXT, 0, &n, rs), s2);
	cr_assert_eq(n, 4);
	cr_assert(v[0] == 1 && v[3] == 4 && rs[0] == SQL_ROW_SUCCESS && rs[3] == SQL_ROW_SUCCESS);
	OKS(SQLExtendedFetch(s2, SQL_FETCH_LAST, 0, &n, rs), s2);
	cr_assert(n == 4 && v[0] == 7 && v[3] == 10);
	OKS(SQLExtendedFetch(s2, SQL_FETCH_ABSOLUTE, 9, &n, rs), s2);
	cr_assert(n == 2 && v[0] == 9 && v[1] == 10);
	cr_assert(rs[2] == SQL_ROW_NOROW && rs[3] == SQL_ROW_NOROW);
	/* SQLSetPos + SQLGetData in the rowset */
	OKS(SQLSetPos(s2, 2, SQL_POSITION, SQL_LOCK_NO_CHANGE), s2);
	OKS(SQLGetData(s2, 2, SQL_C_CHAR, t, sizeof t, &tl), s2);
	cr_assert_str_eq(t, "row 10");
	OKS(SQLExtendedFetch(s2, SQL_FETCH_PRIOR, 0, &n, rs), s2);
	cr_assert(n == 4 && v[0] == 5);
	OKS(SQLExtendedFetch(s2, SQL_FETCH_RELATIVE, -2, &n, rs), s2);
	cr_assert(n == 4 && v[0] == 3);
	OKS(SQLExtendedFetch(s2, SQL_FETCH_FIRST, 0, &n, rs), s2);
	cr_assert(n == 4 && v[0] == 1);
	cr_assert_eq(SQLExtendedFetch(s2, SQL_FETCH_PRIOR, 0, &n, rs), SQL_NO_DATA);
	cr_assert_eq(n, 0);
	OKS(SQLFreeStmt(s2, SQL_CLOSE), s2);
	/* forward-only: SQL_FETCH_NEXT with a rowset of 4, to the end */
	OKS(SQLSetStmtOption(s2, SQL_CURSOR_TYPE, SQL_CURSOR_FORWARD_ONLY), s2);
	OKS(SQLExecDirect(s2, (SQLCHAR *)"SELECT id FROM cur ORDER BY id", SQL_NTS), s2);
	OKS(SQLExtendedFetch(s2, SQL_FETCH_NEXT, 0, &n, rs), s2);
	OKS(SQLExtendedFetch(s2, SQL_FETCH_NEXT, 0, &n, rs), s2);
	OKS(SQLExtendedFetch(s2, SQL_FETCH_NEXT, 0, &n, rs), s2);
	cr_assert(n == 2 && v[0] == 9 && rs[1] == SQL_ROW_SUCCESS && rs[2] == SQL_ROW_NOROW);
	cr_assert_eq(SQLExtendedFetch(s2, SQL_FETCH_NEXT, 0, &n, rs), SQL_NO_DATA);
	SQLFreeHandle(SQL_HANDLE_STMT, s2);
	SQLDisconnect(d2);
	SQLFreeHandle(SQL_HANDLE_DBC, d2);
	SQLFreeHandle(SQL_HANDLE_ENV, env2);
}

/* What SQLGetInfo and SQLGetFunctions claim about cursors is what the
 * tests above show. */
Test(cursors, getinfo_and_getfunctions_claim_what_the_cursors_do)
{
	SQLUINTEGER u = 0;
	SQLUSMALLINT f = 0;

	OKC(SQLGetInfo(dbc, SQL_SCROLL_OPTIONS, &u, 0, NULL), dbc);
	cr_assert_eq(u, SQL_SO_FORWARD_ONLY | SQL_SO_STATIC);
	OKC(SQLGetInfo(dbc, SQL_STATIC_CURSOR_ATTRIBUTES1, &u, 0, NULL), dbc);
	cr_assert_eq(u, SQL_CA1_NEXT | SQL_CA1_ABSOLUTE | SQL_CA1_RELATIVE |
			SQL_CA1_LOCK_NO_CHANGE | SQL_CA1_POS_POSITION);
	OKC(SQLGetInfo(dbc, SQL_STATIC_CURSOR_ATTRIBUTES2, &u, 0, NULL), dbc);
	cr_assert_eq(u, SQL_CA2_READ_ONLY_CONCURRENCY | SQL_CA2_MAX_ROWS_SELECT |
			SQL_CA2_CRC_EXACT);
	OKC(SQLGetInfo(dbc, SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1, &u, 0, NULL), dbc);
	cr_assert_eq(u, SQL_CA1_NEXT);
	OKC(SQLGetInfo(dbc, SQL_KEYSET_CURSOR_ATTRIBUTES1, &u, 0, NULL), dbc);
	cr_assert_eq(u, 0);
	OKC(SQLGetInfo(dbc, SQL_DYNAMIC_CURSOR_ATTRIBUTES1, &u, 0, NULL), dbc);
	cr_assert_eq(u, 0);
	OKC(SQLGetInfo(dbc, SQL_GETDATA_EXTENSIONS, &u, 0, NULL), dbc);
	cr_assert(u & SQL_GD_BLOCK);
	OKC(SQLGetInfo(dbc, SQL_FETCH_DIRECTION, &u, 0, NULL), dbc);
	cr_assert_eq(u, SQL_FD_FETCH_NEXT | SQL_FD_FETCH_FIRST | SQL_FD_FETCH_LAST |
			SQL_FD_FETCH_PRIOR | SQL_FD_FETCH_ABSOLUTE | SQL_FD_FETCH_RELATIVE);
	OKC(SQLGetInfo(dbc, SQL_POS_OPERATIONS, &u, 0, NULL), dbc);
	cr_assert_eq(u, SQL_POS_POSITION);
	OKC(SQLGetInfo(dbc, SQL_SCROLL_CONCURRENCY, &u, 0, NULL), dbc);
	cr_assert_eq(u, SQL_SCCO_READ_ONLY);
	OKC(SQLGetInfo(dbc, SQL_CURSOR_SENSITIVITY, &u, 0, NULL), dbc);
	cr_assert_eq(u, SQL_INSENSITIVE);
	OKC(SQLGetFunctions(dbc, SQL_API_SQLEXTENDEDFETCH, &f), dbc);
	cr_assert_eq(f, SQL_TRUE);
	OKC(SQLGetFunctions(dbc, SQL_API_SQLSETPOS, &f), dbc);
	cr_assert_eq(f, SQL_TRUE);
	OKC(SQLGetFunctions(dbc, SQL_API_SQLFETCHSCROLL, &f), dbc);
	cr_assert_eq(f, SQL_TRUE);
}

/* PDO_ODBC's default, SQL_CUR_USE_IF_NEEDED: unixODBC puts its cursor
 * library in front of a driver that cannot scroll, and that library
 * answers SQLFetchScroll with SL009 when no column is bound (so PDO read
 * TEXT columns as errors). This driver scrolls, so the library stays out:
 * an unbound TEXT column reads through SQLFetchScroll + SQLGetData. */
Test(cursors, use_if_needed_keeps_the_cursor_library_out)
{
	SQLHENV env2;
	SQLHDBC d2;
	SQLHSTMT s2;
	char t[32];
	SQLLEN tl;

	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env2);
	SQLSetEnvAttr(env2, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
	SQLAllocHandle(SQL_HANDLE_DBC, env2, &d2);
	OKC(SQLSetConnectAttr(d2, SQL_ATTR_ODBC_CURSORS, (SQLPOINTER)SQL_CUR_USE_IF_NEEDED, 0),
	    d2);
	OKC(SQLDriverConnect(d2, NULL, (SQLCHAR *)"DSN=dqtest;", SQL_NTS, NULL, 0, NULL,
			     SQL_DRIVER_NOPROMPT), d2);
	SQLAllocHandle(SQL_HANDLE_STMT, d2, &s2);
	OKS(SQLExecDirect(s2, (SQLCHAR *)"SELECT t FROM cur ORDER BY id", SQL_NTS), s2);
	OKS(SQLFetchScroll(s2, SQL_FETCH_NEXT, 0), s2);
	OKS(SQLGetData(s2, 1, SQL_C_CHAR, t, sizeof t, &tl), s2);
	cr_assert_str_eq(t, "row 1");
	OKS(SQLFetchScroll(s2, SQL_FETCH_NEXT, 0), s2);
	OKS(SQLGetData(s2, 1, SQL_C_CHAR, t, sizeof t, &tl), s2);
	cr_assert_str_eq(t, "row 2");
	SQLFreeHandle(SQL_HANDLE_STMT, s2);
	SQLDisconnect(d2);
	SQLFreeHandle(SQL_HANDLE_DBC, d2);
	SQLFreeHandle(SQL_HANDLE_ENV, env2);
}

/* A static cursor opened while another statement's forward-only result is
 * still streaming on the same connection: both read every row, in order. */
Test(cursors, static_cursor_beside_a_streaming_one_on_the_same_connection)
{
	const char *big = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
			  "WHERE i < 2000) SELECT i, printf('%0200d', i) FROM n";
	SQLHSTMT fwd;
	SQLINTEGER i = 0;
	SQLLEN ii;
	int rows = 1;

	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &fwd);
	OKS(SQLExecDirect(fwd, (SQLCHAR *)big, SQL_NTS), fwd);
	OKS(SQLBindCol(fwd, 1, SQL_C_SLONG, &i, 0, &ii), fwd);
	OKS(SQLFetch(fwd), fwd);
	cr_assert_eq(i, 1);
	open_static("SELECT id FROM cur ORDER BY id", 4);
	expect_fetch("LAST beside a stream", SQL_FETCH_LAST, 0, SQL_SUCCESS, 7, 4, 4);
	while (SQLFetch(fwd) == SQL_SUCCESS)
		cr_assert_eq(i, ++rows);
	cr_assert_eq(rows, 2000, "the streaming result lost no row");
	expect_fetch("FIRST", SQL_FETCH_FIRST, 0, SQL_SUCCESS, 1, 4, 4);
	SQLFreeHandle(SQL_HANDLE_STMT, fwd);
}
