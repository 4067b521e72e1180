/*
 * The plain single-table SELECT recogniser (driver/select_parse.c),
 * server-free: what it accepts, what each item becomes, and what it must
 * refuse (joins, compounds, subqueries as the source).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "select_parse.h"

Test(select_parse, items_columns_stars_and_expressions)
{
	dq_plain_select ps;
	cr_assert(dq_parse_plain_select(
		"SELECT id, t.name AS n, \"Quoted\"\"Col\", *, t.*, count(*), a + 1 b "
		"FROM main.t AS t WHERE id > 1 ORDER BY id LIMIT 3", &ps));
	cr_assert_str_eq(ps.table, "t");
	cr_assert_eq(ps.nitems, 7);
	cr_assert_str_eq(ps.items[0].column, "id");
	cr_assert_str_eq(ps.items[1].column, "name", "a qualified reference, aliased");
	cr_assert_str_eq(ps.items[2].column, "Quoted\"Col", "unquoted, doubled quote undone");
	cr_assert(ps.items[3].star && ps.items[3].column == NULL);
	cr_assert(ps.items[4].star);
	cr_assert_null(ps.items[5].column, "an expression");
	cr_assert_not(ps.items[5].star);
	cr_assert_null(ps.items[6].column);
	dq_plain_select_free(&ps);
}

Test(select_parse, distinct_brackets_backticks_and_semicolon)
{
	dq_plain_select ps;
	cr_assert(dq_parse_plain_select("select distinct [a b], `c` from [my table];", &ps));
	cr_assert_str_eq(ps.table, "my table");
	cr_assert_str_eq(ps.items[0].column, "a b");
	cr_assert_str_eq(ps.items[1].column, "c");
	dq_plain_select_free(&ps);
}

Test(select_parse, not_plain_is_refused)
{
	static const char *not_plain[] = {
		"SELECT a FROM t JOIN u ON t.id = u.id",
		"SELECT a FROM t, u",
		"SELECT a FROM t NATURAL JOIN u",
		"SELECT a FROM t LEFT JOIN u USING (id)",
		"SELECT a FROM t UNION SELECT a FROM u",
		"SELECT a FROM t WHERE x IN (SELECT 1) EXCEPT SELECT 2",
		"SELECT a FROM (SELECT 1 AS a)",
		"SELECT 1",
		"VALUES (1)",
		"WITH c AS (SELECT 1) SELECT * FROM c",
		"INSERT INTO t VALUES (1)",
		"SELECT (a FROM t",
		"",
	};
	for (size_t i = 0; i < sizeof not_plain / sizeof not_plain[0]; i++) {
		dq_plain_select ps;
		cr_assert_not(dq_parse_plain_select(not_plain[i], &ps), "%s", not_plain[i]);
	}
}

Test(select_parse, comments_are_skipped)
{
	dq_plain_select ps;
	cr_assert(dq_parse_plain_select("/* c */ SELECT -- x\n a /* y */ FROM t -- z", &ps));
	cr_assert_eq(ps.nitems, 1);
	cr_assert_str_eq(ps.items[0].column, "a");
	cr_assert_str_eq(ps.table, "t");
	dq_plain_select_free(&ps);
}

/* dq_select_no_rows: the text a prepared SELECT is described with. */
static void no_rows_is(const char *sql, const char *want, int want_wrapped)
{
	int wrapped = -1;
	char *got = dq_select_no_rows(sql, &wrapped);
	cr_assert_not_null(got);
	cr_assert_str_eq(got, want, "for %s", sql);
	cr_assert_eq(wrapped, want_wrapped, "for %s", sql);
	free(got);
}

Test(select_no_rows, limit_0_is_appended_before_the_terminator)
{
	no_rows_is("SELECT a, b FROM t WHERE a = ?", "SELECT a, b FROM t WHERE a = ?\nLIMIT 0", 0);
	no_rows_is("select 1;  ", "select 1\nLIMIT 0", 0);
	no_rows_is("select 1 -- note", "select 1 -- note\nLIMIT 0", 0);
	no_rows_is("SELECT x FROM t UNION SELECT y FROM u ORDER BY 1",
		   "SELECT x FROM t UNION SELECT y FROM u ORDER BY 1\nLIMIT 0", 0);
	no_rows_is("WITH c(n) AS (SELECT 1 LIMIT 5) SELECT n FROM c",
		   "WITH c(n) AS (SELECT 1 LIMIT 5) SELECT n FROM c\nLIMIT 0", 0);
	no_rows_is("SELECT 'LIMIT 3', \"limit\" FROM t WHERE x IN (SELECT y FROM u LIMIT 1)",
		   "SELECT 'LIMIT 3', \"limit\" FROM t WHERE x IN (SELECT y FROM u LIMIT 1)\nLIMIT 0",
		   0);
	no_rows_is("SELECT 1; SELECT 2", "SELECT 1\nLIMIT 0", 0);
}

Test(select_no_rows, its_own_limit_keeps_its_parameters)
{
	no_rows_is("SELECT * FROM t LIMIT ?", "SELECT * FROM t LIMIT 0 AND ( ?\n) ", 0);
	no_rows_is("SELECT * FROM t LIMIT ? OFFSET ?;",
		   "SELECT * FROM t LIMIT 0 AND ( ? \n) OFFSET ?", 0);
	no_rows_is("SELECT * FROM t LIMIT ?, (?) -- c",
		   "SELECT * FROM t LIMIT ?, 0 AND ( (?) -- c\n) ", 0);
	/* not SQL, found by fuzzing: the last LIMIT counts, nothing is cut */
	no_rows_is("LIMIT 1 OFFSET 2 LIMIT 3", "LIMIT 1 OFFSET 2 LIMIT 0 AND ( 3\n) ", 0);
	no_rows_is("SELECT * FROM t ORDER BY a LIMIT (SELECT n FROM c LIMIT 1)",
		   "SELECT * FROM t ORDER BY a LIMIT 0 AND ( (SELECT n FROM c LIMIT 1)\n) ", 0);
}

Test(select_no_rows, a_compound_ending_in_values_is_wrapped)
{
	no_rows_is("VALUES (1, 2), (3, ?)", "SELECT * FROM (VALUES (1, 2), (3, ?)\n) LIMIT 0", 1);
	no_rows_is("SELECT 1 UNION ALL VALUES (2); ", "SELECT * FROM (SELECT 1 UNION ALL VALUES (2)\n) LIMIT 0", 1);
	no_rows_is("VALUES (1) UNION SELECT 2", "VALUES (1) UNION SELECT 2\nLIMIT 0", 0);
	no_rows_is("WITH c AS (VALUES (1)) SELECT * FROM c", "WITH c AS (VALUES (1)) SELECT * FROM c\nLIMIT 0", 0);
}

/* dq_pragma_no_rows: a listing PRAGMA's table-valued form; anything else
 * is left alone (NULL, other = 1). */
static void pragma_is(const char *sql, const char *want)
{
	int other = -1;
	char *got = dq_pragma_no_rows(sql, &other);
	if (want == NULL) {
		cr_assert_null(got, "for %s: %s", sql, got);
		cr_assert_eq(other, 1, "for %s", sql);
		return;
	}
	cr_assert_not_null(got, "for %s", sql);
	cr_assert_str_eq(got, want, "for %s", sql);
	cr_assert_eq(other, 0);
	free(got);
}

Test(pragma_no_rows, listing_pragmas_take_their_table_valued_form)
{
	pragma_is("PRAGMA table_info(item)", "SELECT * FROM pragma_table_info('item') LIMIT 0");
	pragma_is("  pragma TABLE_INFO ( 'it em' ) ;  ",
		  "SELECT * FROM pragma_TABLE_INFO('it em') LIMIT 0");
	pragma_is("PRAGMA main.index_list(t)", "SELECT * FROM pragma_index_list('t', 'main') LIMIT 0");
	pragma_is("PRAGMA database_list", "SELECT * FROM pragma_database_list() LIMIT 0");
	pragma_is("PRAGMA compile_options;", "SELECT * FROM pragma_compile_options() LIMIT 0");
	pragma_is("PRAGMA index_info(7)", "SELECT * FROM pragma_index_info(7) LIMIT 0");
}

Test(pragma_no_rows, anything_else_is_left_to_its_execution)
{
	pragma_is("PRAGMA user_version = 5", NULL);      /* writes */
	pragma_is("PRAGMA journal_mode", NULL);          /* not a listing */
	pragma_is("PRAGMA optimize", NULL);              /* side effects */
	pragma_is("PRAGMA table_info(item); DROP TABLE item", NULL);
	pragma_is("PRAGMA table_info(\"item\")", NULL);  /* quoted name */
	pragma_is("PRAGMA table_info('it''em')", NULL);  /* a quote inside */
	pragma_is("PRAGMA main.database_list", NULL);    /* no argument slot */
	pragma_is("PRAGMAtable_info(t)", NULL);
	pragma_is("PRAGMA table_info(t", NULL);
	pragma_is("SELECT 1", NULL);
	pragma_is("", NULL);
}
