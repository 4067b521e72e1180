/*
 * The plain single-table SELECT recogniser (driver/select_parse.c),
 * server-free: what it accepts, what each item becomes, and what it must
 * refuse (joins, compounds, subqueries as the source).
 */
#include <criterion/criterion.h>
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
