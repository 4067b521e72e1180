/*
 * ODBC escape clauses -> SQLite SQL (driver/escape.c): exact output for
 * every escape kind, nesting, text that only looks like an escape, and
 * the refusals.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

static char msg[256];

static char *tr(const char *in)
{
	char *out = NULL;
	int rc = dq_escape_translate(in, &out, msg, sizeof msg);
	cr_assert_eq(rc, 0, "%s: %s", in, msg);
	return out;
}

#define EXPECT(in, want)                                                       \
	do {                                                                   \
		char *got_ = tr(in);                                           \
		cr_expect_str_eq(got_, want, "%s", in);                        \
		free(got_);                                                    \
	} while (0)

Test(escape, literals_and_joins)
{
	EXPECT("SELECT 1", "SELECT 1");
	EXPECT("SELECT {d '2024-01-02'}", "SELECT '2024-01-02'");
	EXPECT("SELECT { t '10:11:12' }, {ts '2024-01-02 10:11:12.5'}",
	       "SELECT '10:11:12', '2024-01-02 10:11:12.5'");
	EXPECT("SELECT * FROM {oj a LEFT OUTER JOIN b ON a.x = b.x}",
	       "SELECT * FROM a LEFT OUTER JOIN b ON a.x = b.x");
	EXPECT("SELECT x FROM t WHERE x LIKE 'a\\%' {escape '\\'}",
	       "SELECT x FROM t WHERE x LIKE 'a\\%' ESCAPE '\\'");
	EXPECT("SELECT {guid 'aa-bb'}", "SELECT 'aa-bb'");
}

Test(escape, functions)
{
	EXPECT("SELECT {fn UCASE(name)} FROM t", "SELECT upper(name) FROM t");
	EXPECT("SELECT {fn ucase('a,b')}", "SELECT upper('a,b')");
	EXPECT("SELECT {fn CONCAT('a', {fn LCASE('B')})}", "SELECT ('a' || lower('B'))");
	EXPECT("SELECT {fn LOCATE('c', 'abc')}", "SELECT instr('abc', 'c')");
	EXPECT("SELECT {fn MOD(7, 3)}", "SELECT ((7) % (3))");
	EXPECT("SELECT {fn LOG(x)}", "SELECT ln(x)");
	/* [0, 1) without abs(), which overflows on random()'s minimum */
	EXPECT("SELECT {fn RAND()}", "SELECT ((random() & 9007199254740991) / 9007199254740992.0)");
	EXPECT("SELECT {fn RAND(7)}",
	       "SELECT (((((7) % 2147483648 + 2147483648) % 2147483648 * 1103515245 + 12345)"
	       " % 2147483648) / 2147483648.0)");
	EXPECT("SELECT {fn CURDATE()}, {fn NOW()}", "SELECT date('now'), datetime('now')");
	EXPECT("SELECT {fn CURRENT_DATE}", "SELECT date('now')");
	EXPECT("SELECT {fn YEAR(d)}", "SELECT CAST(strftime('%Y', d) AS INTEGER)");
	EXPECT("SELECT {fn SUBSTRING(s, 2, f(1, 2))}", "SELECT substr(s, 2, f(1, 2))");
	EXPECT("SELECT {fn CONVERT(x, SQL_INTEGER)}", "SELECT CAST(x AS INTEGER)");
	EXPECT("SELECT {fn CONVERT(x, SQL_TYPE_DATE)}", "SELECT date(x)");
	EXPECT("SELECT {fn TIMESTAMPADD(SQL_TSI_DAY, 2, d)}", "SELECT datetime(d, (2) || ' days')");
	EXPECT("SELECT {fn TIMESTAMPDIFF(SQL_TSI_YEAR, a, b)}",
	       "SELECT (CAST(strftime('%Y', b) AS INTEGER) - CAST(strftime('%Y', a) AS INTEGER))");
	/* not in the table: passed through under its own name */
	EXPECT("SELECT {fn COALESCE(a, b, c)}", "SELECT COALESCE(a, b, c)");
}

Test(escape, braces_in_text_are_not_escapes)
{
	EXPECT("SELECT '{fn UCASE(x)}', \"{d\", `}` -- {oj\n",
	       "SELECT '{fn UCASE(x)}', \"{d\", `}` -- {oj\n");
	EXPECT("SELECT /* { */ 1", "SELECT /* { */ 1");
	EXPECT("SELECT json_extract('{\"a\":1}', '$.a')", "SELECT json_extract('{\"a\":1}', '$.a')");
	EXPECT("SELECT {fn UCASE('}')}", "SELECT upper('}')");
}

Test(escape, refusals)
{
	static const struct { const char *sql; int rc; } bad[] = {
		{"{call p(1)}", DQ_ESC_UNSUPPORTED},
		{"{?= call p(1)}", DQ_ESC_UNSUPPORTED},
		{"SELECT {interval '1' day}", DQ_ESC_UNSUPPORTED},
		{"SELECT {fn CONVERT(x, SQL_INTERVAL_DAY)}", DQ_ESC_UNSUPPORTED},
		{"SELECT {fn UCASE('a')", DQ_ESC_SYNTAX},
		{"SELECT 1 }", DQ_ESC_SYNTAX},
		{"SELECT {bogus 1}", DQ_ESC_SYNTAX},
		{"SELECT {fn (1)}", DQ_ESC_SYNTAX},
		{"SELECT {fn UCASE 'a'}", DQ_ESC_SYNTAX},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *out = (char *)1;
		msg[0] = '\0';
		cr_expect_eq(dq_escape_translate(bad[i].sql, &out, msg, sizeof msg), bad[i].rc,
			     "%s", bad[i].sql);
		cr_expect_null(out);
		cr_expect_neq(msg[0], '\0', "%s: a message", bad[i].sql);
	}
}

Test(escape, deep_nesting_is_bounded)
{
	char sql[2000] = "SELECT ";
	for (int i = 0; i < 100; i++)
		strcat(sql, "{fn UCASE(");
	strcat(sql, "'x'");
	for (int i = 0; i < 100; i++)
		strcat(sql, ")}");
	char *out = NULL;
	cr_assert_eq(dq_escape_translate(sql, &out, msg, sizeof msg), DQ_ESC_SYNTAX);
	cr_assert_null(out);
}
