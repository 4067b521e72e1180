/*
 * Connection strings: syntax, keyword validation, precedence, addresses and
 * the printed form.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "connstr.h"

static char err[600];

static int apply(dq_config *c, const char *s, int source)
{
	dq_kvlist l;
	int rc;
	if (dq_connstr_parse(s, strlen(s), &l, err, sizeof err) != 0)
		return -2;
	rc = dq_config_apply(c, &l, source, err, sizeof err);
	dq_kvlist_free(&l);
	return rc;
}

Test(connstr, syntax_braces_trimming_and_last_wins)
{
	dq_kvlist l;
	cr_assert_eq(dq_connstr_parse(" DSN = a ;;Database={x;y}}z} ; database = last ;",
				      strlen(" DSN = a ;;Database={x;y}}z} ; database = last ;"),
				      &l, err, sizeof err), 0, "%s", err);
	cr_assert_eq(l.n, 3);
	cr_assert_str_eq(l.items[0].key, "DSN");
	cr_assert_str_eq(l.items[0].value, "a");
	cr_assert_str_eq(l.items[1].value, "x;y}z");
	cr_assert_str_eq(dq_kvlist_get(&l, "DATABASE"), "last");
	dq_kvlist_free(&l);
	cr_assert_eq(dq_connstr_parse("Server={abc", 11, &l, err, sizeof err), -1);
	cr_assert(strstr(err, "unterminated"), "%s", err);
	cr_assert_eq(dq_connstr_parse("novalue;Server=x", 16, &l, err, sizeof err), -1);
	cr_assert_eq(dq_connstr_parse("=x", 2, &l, err, sizeof err), -1);
}

Test(connstr, keywords_values_and_errors)
{
	dq_config c;
	dq_config_init(&c);
	cr_assert_eq(c.port, 9001);
	cr_assert_eq(c.max_total_rows, 10000000);
	cr_assert_eq(c.max_continuation_frames, 100000);
	cr_assert_eq(apply(&c, "server=h1;PORT=7000;Database=d;Timeout=5;LoginTimeout=3;"
			       "MaxTotalRows=10;MaxContinuationFrames=2;TLS=on;TLSVerify=NO;"
			       "TrustServerHeartbeat=true;TLSCAFile=/ca;UID=u",
			 DQ_CFG_FROM_STRING), 0, "%s", err);
	cr_assert_str_eq(c.server, "h1");
	cr_assert_eq(c.port, 7000);
	cr_assert_eq(c.timeout_s, 5);
	cr_assert_eq(c.login_timeout_s, 3);
	cr_assert_eq(c.max_total_rows, 10);
	cr_assert_eq(c.max_continuation_frames, 2);
	cr_assert(c.tls);
	cr_assert_not(c.tls_verify);
	cr_assert(c.trust_server_heartbeat);
	cr_assert_eq(apply(&c, "Sever=x", DQ_CFG_FROM_STRING), -1);
	cr_assert(strstr(err, "unknown keyword 'Sever'") && strstr(err, "Server, Port"), "%s", err);
	cr_assert_eq(apply(&c, "Sever=x", DQ_CFG_FROM_DSN), 0, "DSN keys may be foreign");
	static const char *bad[] = {"Port=0", "Port=65536", "Port=x", "LoginTimeout=0", "Timeout=-1",
				    "MaxTotalRows=0", "MaxTotalRows=1e3", "TLS=maybe"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char key[32];
		cr_assert_eq(apply(&c, bad[i], DQ_CFG_FROM_STRING), -1, "%s accepted", bad[i]);
		snprintf(key, sizeof key, "'%.*s'", (int)(strchr(bad[i], '=') - bad[i]), bad[i]);
		cr_assert(strstr(err, key), "%s: %s", bad[i], err);
	}
	dq_config_free(&c);
}

/* No call waits forever unless the application asks: Timeout defaults to
 * 60 s, and Timeout=0 is the way to say "no limit". */
Test(connstr, timeouts_default_and_zero_means_no_limit)
{
	dq_config c;
	dq_config_init(&c);
	cr_assert_eq(c.timeout_s, DQ_DEFAULT_TIMEOUT_S);
	cr_assert_eq(DQ_DEFAULT_TIMEOUT_S, 60);
	cr_assert_eq(c.login_timeout_s, 15);
	cr_assert_eq(apply(&c, "Timeout=0", DQ_CFG_FROM_STRING), 0, "%s", err);
	cr_assert_eq(c.timeout_s, 0);
	dq_config_free(&c);
}

Test(connstr, dsn_then_string_precedence)
{
	dq_config c;
	dq_config_init(&c);
	cr_assert_eq(apply(&c, "Server=dsnhost;Database=dsndb", DQ_CFG_FROM_DSN), 0);
	cr_assert_eq(apply(&c, "Database=strdb", DQ_CFG_FROM_STRING), 0);
	cr_assert_str_eq(c.server, "dsnhost");
	cr_assert_str_eq(c.database, "strdb");
	dq_config_free(&c);
}

Test(connstr, bootstrap_addresses)
{
	dq_config c;
	char **a;
	int n;
	dq_config_init(&c);
	n = dq_config_addresses(&c, &a, err, sizeof err);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(a[0], "localhost:9001");
	dq_addresses_free(a, n);
	cr_assert_eq(apply(&c, "Server= h1 , h2:7, [::1]:8, ::1;Port=9", DQ_CFG_FROM_STRING), 0);
	n = dq_config_addresses(&c, &a, err, sizeof err);
	cr_assert_eq(n, 4);
	cr_assert_str_eq(a[0], "h1:9");
	cr_assert_str_eq(a[1], "h2:7");
	cr_assert_str_eq(a[2], "[::1]:8");
	cr_assert_str_eq(a[3], "[::1]:9");
	dq_addresses_free(a, n);
	cr_assert_eq(apply(&c, "Server=a,,b", DQ_CFG_FROM_STRING), 0);
	cr_assert_eq(dq_config_addresses(&c, &a, err, sizeof err), -1);
	cr_assert(strstr(err, "empty address"), "%s", err);
	dq_config_free(&c);
}

Test(connstr, printed_string_round_trips)
{
	dq_config c, d;
	char buf[512];
	dq_config_init(&c);
	dq_config_init(&d);
	cr_assert_eq(apply(&c, "DSN=x;Server=a,b;Database={we;ird}}};Timeout=7;MaxTotalRows=5",
			   DQ_CFG_FROM_STRING), 0);
	size_t need = dq_config_to_string(&c, buf, sizeof buf);
	cr_assert_eq(need, strlen(buf));
	cr_assert_eq(dq_config_to_string(&c, buf, 10), need, "reports the full length");
	cr_assert_eq(strlen(buf), 9);
	dq_config_to_string(&c, buf, sizeof buf);
	cr_assert_eq(apply(&d, buf, DQ_CFG_FROM_STRING), 0, "%s: %s", buf, err);
	cr_assert_str_eq(d.database, "we;ird}");
	cr_assert_str_eq(d.server, "a,b");
	cr_assert_eq(d.timeout_s, 7);
	cr_assert_eq(d.max_total_rows, 5);
	dq_config_free(&c);
	dq_config_free(&d);
}

/* A braced value that ends (or starts) with white space keeps it when
 * printed and parsed again: the printer braces it, since the parser trims
 * unbraced values (found by fuzz_connstr). */
Test(connstr, value_with_white_space_at_an_end_round_trips)
{
	static const char *const in[] = {
		"Server=\f\f{@ql\f};", "Database={db };", "Database={ db};", "Database={\tdb\t};",
	};
	static const char *const want[] = {"@ql\f", "db ", " db", "\tdb\t"};

	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		dq_config c, d;
		char buf[256];
		dq_config_init(&c);
		dq_config_init(&d);
		cr_assert_eq(apply(&c, in[i], DQ_CFG_FROM_STRING), 0, "%s", in[i]);
		dq_config_to_string(&c, buf, sizeof buf);
		cr_assert_eq(apply(&d, buf, DQ_CFG_FROM_STRING), 0, "%s", buf);
		const char *got = i == 0 ? d.server : d.database;
		cr_assert_str_eq(got, want[i], "%s printed as %s", in[i], buf);
		dq_config_free(&c);
		dq_config_free(&d);
	}
}
