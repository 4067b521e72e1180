/*
 * The parameter-target parser (driver/param_parse.c), server-free: which
 * column, row count or nothing each marker stands for, how markers are
 * numbered, and the tables a statement names.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "param_parse.h"

static dq_param_map m;

static void parse_ok(const char *sql, int n)
{
	cr_assert_eq(dq_param_map_parse(sql, &m), 0);
	cr_assert_eq(m.n, n, "%s: %d markers", sql, m.n);
}

static void is_column(int no, const char *table, const char *column)
{
	const dq_param_target *t = &m.targets[no - 1];
	cr_assert_eq(t->kind, DQ_TARGET_COLUMN, "parameter %d: kind %d", no, t->kind);
	if (table)
		cr_assert_str_eq(t->table, table, "parameter %d", no);
	else
		cr_assert_null(t->table, "parameter %d: table %s", no, t->table);
	cr_assert_str_eq(t->column, column, "parameter %d", no);
}

static void is_kind(int no, int kind)
{
	cr_assert_eq(m.targets[no - 1].kind, kind, "parameter %d: kind %d", no,
		     m.targets[no - 1].kind);
}

static void teardown(void)
{
	dq_param_map_free(&m);
}

TestSuite(param_parse, .fini = teardown);

Test(param_parse, insert_with_a_column_list_and_several_rows)
{
	parse_ok("INSERT INTO main.\"Item\" (id, [my name], price) VALUES (?, ?, ?), (?, 'x', ?)", 5);
	is_column(1, "Item", "id");
	is_column(2, "Item", "my name");
	is_column(3, "Item", "price");
	is_column(4, "Item", "id");
	is_column(5, "Item", "price");
	cr_assert_eq(m.ntables, 1);
	cr_assert_str_eq(m.tables[0], "Item");
}

Test(param_parse, insert_without_a_column_list_maps_positions)
{
	parse_ok("insert or replace into t values (?, lower(?), ?)", 3);
	cr_assert_eq(m.targets[0].kind, DQ_TARGET_COLUMN);
	cr_assert_null(m.targets[0].column);
	cr_assert_eq(m.targets[0].position, 0);
	is_kind(2, DQ_TARGET_NONE); /* an argument of a function */
	cr_assert_eq(m.targets[2].position, 2);
	cr_assert_str_eq(m.targets[2].table, "t");
}

Test(param_parse, update_set_and_where_comparisons)
{
	parse_ok("UPDATE OR ROLLBACK acct AS a SET balance = ?, note = ? || 'x' "
		 "WHERE a.id = ? AND ? < limit_ AND owner IS NOT ?", 5);
	is_column(1, NULL, "balance");
	is_kind(2, DQ_TARGET_NONE); /* an operand of || */
	is_column(3, "acct", "id");
	is_column(4, NULL, "limit_");
	is_column(5, NULL, "owner");
}

Test(param_parse, between_in_limit_and_offset)
{
	parse_ok("SELECT * FROM t JOIN u ON u.k = t.k WHERE t.x BETWEEN ? AND ? "
		 "AND y NOT IN (?, ?, ?) ORDER BY 1 LIMIT ? OFFSET ?", 7);
	is_column(1, "t", "x");
	is_column(2, "t", "x");
	is_column(3, NULL, "y");
	is_column(5, NULL, "y");
	is_kind(6, DQ_TARGET_COUNT);
	is_kind(7, DQ_TARGET_COUNT);
	cr_assert_eq(m.ntables, 2);
	cr_assert_str_eq(m.tables[1], "u");
}

Test(param_parse, limit_with_a_comma)
{
	parse_ok("SELECT a FROM t LIMIT ?, ?", 2);
	is_kind(1, DQ_TARGET_COUNT);
	is_kind(2, DQ_TARGET_COUNT);
}

Test(param_parse, expressions_and_like_have_no_target)
{
	parse_ok("SELECT ? + 1, x FROM t WHERE name LIKE ? AND x + y = ? AND z = ? * 2", 4);
	for (int i = 1; i <= 4; i++)
		is_kind(i, DQ_TARGET_NONE);
}

Test(param_parse, numbered_and_named_markers_follow_sqlite)
{
	/* ?2 first: then the anonymous ? is 3; :a is 4 and its second use 4 */
	parse_ok("SELECT * FROM t WHERE b = ?2 AND a = ? AND c = :a AND d = :a AND e = ?1", 4);
	is_column(2, NULL, "b");
	is_column(3, NULL, "a");
	is_column(4, NULL, "c"); /* the first use of :a wins */
	is_column(1, NULL, "e");
}

Test(param_parse, markers_in_strings_and_comments_do_not_count)
{
	parse_ok("SELECT '?', \"?\" /* ? */ FROM t -- ?\n WHERE a = ?", 1);
	is_column(1, NULL, "a");
}

Test(param_parse, delete_and_upsert)
{
	parse_ok("DELETE FROM logs WHERE ts < ?", 1);
	is_column(1, NULL, "ts");
	cr_assert_str_eq(m.tables[0], "logs");
	dq_param_map_free(&m);
	parse_ok("INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = ?", 3);
	is_column(1, "kv", "k");
	is_column(2, "kv", "v");
	is_column(3, NULL, "v");
	cr_assert_eq(m.ntables, 1);
}

Test(param_parse, odd_text_gives_no_target_and_no_crash)
{
	const char *texts[] = {"", "?", "= ?", "? =", "IN (?", "BETWEEN ? AND", "LIMIT",
			       "INSERT INTO", "INSERT INTO t (a, b", "INSERT INTO t VALUES (?",
			       "SELECT replace(a, ?, ?) FROM t", "x IN ?", "UPDATE OR",
			       "UPDATE OR x", "INSERT INTO t AS", "INSERT INTO t AS a",
			       "col BETWEEN ?", "a = ? AND", "LIMIT ?,", "?1 ?2 :a :a @b $c",
			       NULL};
	for (int i = 0; texts[i]; i++) {
		cr_assert_eq(dq_param_map_parse(texts[i], &m), 0, "%s", texts[i]);
		dq_param_map_free(&m);
	}
}
