/*
 * The lexical SQL classifier decides EXEC vs QUERY (safety-critical: a write
 * sent as QUERY to a server < 1.15 is not replicated) and parses
 * transaction-control statements for the driver's tracker.
 */
#include <criterion/criterion.h>
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
