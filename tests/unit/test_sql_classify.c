/*
 * The lexical SQL classifier decides EXEC vs QUERY (safety-critical: a write
 * sent as QUERY to a server < 1.15 is not replicated) and parses
 * transaction-control statements for the driver's tracker.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql_classify.h"

static const struct {
	const char *sql;
	int kind, rows, write, returning;
} cases[] = {
	{"SELECT 1", DQC_SQL_SELECT, 1, 0, 0},
	{"  -- comment\n /* block */ select * from t", DQC_SQL_SELECT, 1, 0, 0},
	{"VALUES (1), (2)", DQC_SQL_SELECT, 1, 0, 0},
	{"(SELECT 1)", DQC_SQL_SELECT, 1, 0, 0},
	{"WITH x AS (SELECT 1) SELECT * FROM x", DQC_SQL_SELECT, 1, 0, 0},
	{"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c) INSERT INTO t SELECT n FROM c",
	 DQC_SQL_INSERT, 0, 1, 0},
	{"WITH a AS MATERIALIZED (SELECT 1), b AS NOT MATERIALIZED (SELECT 2) DELETE FROM t",
	 DQC_SQL_DELETE, 0, 1, 0},
	{"EXPLAIN QUERY PLAN SELECT 1", DQC_SQL_EXPLAIN, 1, 0, 0},
	{"PRAGMA table_info(t)", DQC_SQL_PRAGMA, 1, 0, 0},
	{"INSERT INTO t VALUES (1)", DQC_SQL_INSERT, 0, 1, 0},
	{"replace into t values (1)", DQC_SQL_INSERT, 0, 1, 0},
	{"INSERT INTO t VALUES (1) RETURNING id", DQC_SQL_INSERT, 1, 1, 1},
	{"UPDATE t SET a = 'RETURNING' WHERE b = (SELECT returning FROM u)", DQC_SQL_UPDATE, 0, 1, 0},
	{"DELETE FROM t RETURNING *", DQC_SQL_DELETE, 1, 1, 1},
	{"CREATE TABLE t (a)", DQC_SQL_DDL, 0, 1, 0},
	{"drop table t", DQC_SQL_DDL, 0, 1, 0},
	{"ALTER TABLE t ADD COLUMN b", DQC_SQL_DDL, 0, 1, 0},
	{"BEGIN IMMEDIATE TRANSACTION", DQC_SQL_BEGIN, 0, 0, 0},
	{"COMMIT", DQC_SQL_COMMIT, 0, 0, 0},
	{"END TRANSACTION", DQC_SQL_COMMIT, 0, 0, 0},
	{"ROLLBACK", DQC_SQL_ROLLBACK, 0, 0, 0},
	{"ROLLBACK TRANSACTION", DQC_SQL_ROLLBACK, 0, 0, 0},
	{"VACUUM", DQC_SQL_OTHER, 0, 1, 0},
	{"   ;  -- nothing", DQC_SQL_EMPTY, 0, 0, 0},
	{"", DQC_SQL_EMPTY, 0, 0, 0},
};

Test(classify, kinds_rows_and_writes)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dqc_sql_info in;
		dqc_sql_classify(cases[i].sql, strlen(cases[i].sql), &in);
		cr_assert_eq(in.kind, cases[i].kind, "%s: kind %d", cases[i].sql, in.kind);
		cr_assert_eq(in.returns_rows, cases[i].rows, "%s: rows", cases[i].sql);
		cr_assert_eq(in.is_write, cases[i].write, "%s: write", cases[i].sql);
		cr_assert_eq(in.has_returning, cases[i].returning, "%s: returning", cases[i].sql);
	}
}

/* The classifier says where the savepoint name is, as written; whether
 * the driver can track it is the tracker's business (test_tx_tracker.c). */
static const struct {
	const char *sql;
	int kind;
	const char *token;
} names[] = {
	{"SAVEPOINT sp_1", DQC_SQL_SAVEPOINT, "sp_1"},
	{"savepoint My_SP;", DQC_SQL_SAVEPOINT, "My_SP"},
	{"RELEASE sp_1", DQC_SQL_RELEASE, "sp_1"},
	{"RELEASE SAVEPOINT sp_1", DQC_SQL_RELEASE, "sp_1"},
	{"ROLLBACK TO sp_1", DQC_SQL_ROLLBACK_TO, "sp_1"},
	{"ROLLBACK TRANSACTION TO SAVEPOINT /* c */ sp_1", DQC_SQL_ROLLBACK_TO, "sp_1"},
	{"SAVEPOINT \"quo\"\"ted\"", DQC_SQL_SAVEPOINT, "\"quo\"\"ted\""},
	{"SAVEPOINT `tick`", DQC_SQL_SAVEPOINT, "`tick`"},
	{"SAVEPOINT [br]", DQC_SQL_SAVEPOINT, "[br]"},
	{"SAVEPOINT 'str'", DQC_SQL_SAVEPOINT, "'str'"},
	{"SAVEPOINT sp_é", DQC_SQL_SAVEPOINT, "sp_é"},
	{"SAVEPOINT 1sp", DQC_SQL_SAVEPOINT, "1sp"},
	{"SAVEPOINT", DQC_SQL_SAVEPOINT, ""},
	{"ROLLBACK", DQC_SQL_ROLLBACK, ""},
};

Test(classify, savepoint_name_is_located_as_written)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		dqc_sql_info in;
		size_t n = strlen(names[i].token);
		dqc_sql_classify(names[i].sql, strlen(names[i].sql), &in);
		cr_assert_eq(in.kind, names[i].kind, "%s", names[i].sql);
		cr_assert_eq(in.name_len, n, "%s: length %zu", names[i].sql, in.name_len);
		if (n)
			cr_assert(memcmp(names[i].sql + in.name_off, names[i].token, n) == 0,
				  "%s", names[i].sql);
	}
}

Test(classify, statement_splitting)
{
	const char *s = "INSERT INTO t VALUES ('a;b'); SELECT \"x;y\" -- c;\n; "
			"CREATE TRIGGER tr AFTER INSERT ON t BEGIN "
			"UPDATE t SET a = CASE WHEN 1 THEN 2 END; DELETE FROM u; END; SELECT 2";
	size_t len = strlen(s), p = 0, ends[8], n = 0;
	while (p < len && n < 8) {
		size_t e = dqc_sql_statement_end(s + p, len - p);
		cr_assert_gt(e, 0);
		ends[n++] = p + e;
		p += e;
	}
	cr_assert_eq(n, 4, "got %zu statements", n);
	cr_assert_eq(s[ends[0] - 1], ';');
	cr_assert(strncmp(s + ends[1], " CREATE TRIGGER", 15) == 0);
	cr_assert(strncmp(s + ends[2], " SELECT 2", 9) == 0);
	cr_assert_eq(ends[3], len);
	cr_assert(dqc_sql_is_blank(" ; -- x\n /* y */ ;", 18));
	cr_assert_not(dqc_sql_is_blank(" ; x", 4));
}

/* The lower bound of a result's column-name bytes (docs/protocol.md): the
 * server loops forever from 4080 bytes, so the bound must never exceed what
 * it will send, and should reach it where the text shows it. */
static size_t names_min(const char *sql)
{
	return dqc_sql_names_min(sql, strlen(sql));
}

static char *repeat_sql(const char *head, char c, size_t n, const char *tail)
{
	size_t h = strlen(head), t = strlen(tail);
	char *s = malloc(h + n + t + 1);
	cr_assert_not_null(s);
	memcpy(s, head, h);
	memset(s + h, c, n);
	memcpy(s + h + n, tail, t + 1);
	return s;
}

Test(classify, names_min_follows_sqlite_naming)
{
	/* each name takes pad8(len + 1) bytes */
	cr_assert_eq(names_min("SELECT 1"), 8);
	cr_assert_eq(names_min("SELECT a, t.bcdefghi FROM t"), 8 + 16, "column names, not spans");
	cr_assert_eq(names_min("SELECT 1 AS \"a\"\"b\""), 8, "alias unquoted: a\"b");
	cr_assert_eq(names_min("SELECT count(*) FROM t"), 16, "the text: count(*)");
	cr_assert_eq(names_min("SELECT 7 /* c */"), 16, "7 /* c */: the comment counts");
	cr_assert_eq(names_min("SELECT 7 /* c */   ;"), 16, "trailing spaces dropped");
	cr_assert_eq(names_min("SELECT 7 -- c\n"), 8, "7 -- c");
	cr_assert_eq(names_min("SELECT *, t.* FROM t"), 0, "stars are not known from the text");
	cr_assert_eq(names_min("SELECT x y FROM t"), 8, "an implicit alias");
	cr_assert_eq(names_min("VALUES (1, (2), 3)"), 3 * 8, "column1..column3");
	cr_assert_eq(names_min("WITH c AS (SELECT 1) SELECT 2 FROM c"), 8);
	cr_assert_eq(names_min("INSERT INTO t VALUES (1)"), 0);
	cr_assert_eq(names_min("SELECT DISTINCT a FROM t UNION SELECT bbbbbbbbbbbbbbbbb FROM u"), 8,
		     "the first SELECT names a compound's columns");
}

Test(classify, names_min_reaches_the_measured_thresholds)
{
	char *s;
	/* "SELECT 7 /" "*<k spaces>*" "/": the name is k + 6 bytes; the
	 * server loops from k = 4066 (measured on 1.11.1 and 1.18.6) */
	s = repeat_sql("SELECT 7 /*", ' ', 4065, "*/");
	cr_assert_lt(names_min(s), DQC_SQL_NAMES_LIMIT);
	free(s);
	s = repeat_sql("SELECT 7 /*", ' ', 4066, "*/");
	cr_assert_geq(names_min(s), DQC_SQL_NAMES_LIMIT);
	free(s);
	/* one alias of 4071 characters works, 4072 loops */
	s = repeat_sql("SELECT 1 AS \"", 'a', 4071, "\"");
	cr_assert_lt(names_min(s), DQC_SQL_NAMES_LIMIT);
	free(s);
	s = repeat_sql("SELECT 1 AS \"", 'a', 4072, "\"");
	cr_assert_geq(names_min(s), DQC_SQL_NAMES_LIMIT);
	free(s);
	/* 509 unaliased columns work, 510 loop */
	for (int n = 509; n <= 510; n++) {
		char *q = malloc(16 + 8 * (size_t)n), *p = q;
		p += sprintf(p, "SELECT 1");
		for (int i = 2; i <= n; i++)
			p += sprintf(p, ",%d", i);
		if (n == 509)
			cr_assert_lt(names_min(q), DQC_SQL_NAMES_LIMIT);
		else
			cr_assert_geq(names_min(q), DQC_SQL_NAMES_LIMIT);
		free(q);
	}
}
