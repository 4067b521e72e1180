/*
 * The engine against a real 3-node dqlite cluster: leader discovery from
 * any bootstrap address, failover, membership changes.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dqtest.h"

static dqt_cluster cl;

static void setup(void)
{
	cr_assert_eq(dqt_cluster_start(&cl, 3), 0, "cluster did not start");
}

static void teardown(void)
{
	dqt_cluster_stop(&cl);
	cr_assert_eq(dqt_leak_check(), 0, "memory leaked");
}

TestSuite(cluster, .init = setup, .fini = teardown, .timeout = 180);

static dqc_conn *connect_list(const char *const *addrs, size_t n)
{
	struct dqc_config cfg = {.addresses = addrs, .n_addresses = n,
				 .connect_timeout_ms = 2000, .timeout_ms = 10000};
	dqc_conn *c = dqc_conn_new();
	cr_assert_not_null(c);
	cr_assert_eq(dqc_connect(c, &cfg), 0, "%s", dqc_errmsg(c));
	return c;
}

static int64_t count(dqc_conn *c, const char *sql)
{
	dqc_rows *r;
	const dqc_value *v;
	int64_t n;
	cr_assert_eq(dqc_query_sql(c, sql, NULL, 0, &r), 0, "%s", dqc_errmsg(c));
	cr_assert_eq(dqc_rows_next(r, &v), 1);
	n = v[0].v.integer;
	dqc_rows_close(r);
	return n;
}

Test(cluster, a_followers_address_leads_to_the_leader)
{
	int leader = dqt_cluster_leader(&cl, 10000);
	int follower = (leader + 1) % 3;
	const char *addrs[] = {cl.nodes[follower].address};
	dqc_conn *c;
	dqc_node_info li;

	cr_assert_geq(leader, 0);
	c = connect_list(addrs, 1);
	cr_assert_str_eq(dqc_peer_address(c), cl.nodes[leader].address);
	cr_assert_eq(dqc_leader(c, &li), 0);
	cr_assert_eq(li.id, cl.nodes[leader].id);
	cr_assert_eq(dqc_open(c, "t"), 0, "%s", dqc_errmsg(c));
	cr_assert_eq(dqc_exec_sql(c, "CREATE TABLE x (i)", NULL, 0, NULL), 0, "%s",
		     dqc_errmsg(c));
	dqc_conn_free(c);
}

Test(cluster, a_dead_first_address_is_skipped_and_named)
{
	int leader = dqt_cluster_leader(&cl, 10000);
	const char *addrs[] = {"127.0.0.1:1", cl.nodes[(leader + 2) % 3].address};
	const char *bad[] = {"127.0.0.1:1"};
	struct dqc_config cfg = {.addresses = bad, .n_addresses = 1,
				 .connect_timeout_ms = 1000};
	dqc_conn *c = connect_list(addrs, 2);
	cr_assert_str_eq(dqc_peer_address(c), cl.nodes[leader].address);
	dqc_conn_free(c);

	c = dqc_conn_new();
	cr_assert_eq(dqc_connect(c, &cfg), DQC_ECONNECT);
	cr_assert(strstr(dqc_errmsg(c), "127.0.0.1:1"), "%s", dqc_errmsg(c));
	dqc_conn_free(c);
}

Test(cluster, failover_keeps_committed_data)
{
	int leader = dqt_cluster_leader(&cl, 10000), next;
	const char *addrs[3] = {cl.nodes[0].address, cl.nodes[1].address,
				cl.nodes[2].address};
	dqc_conn *c = connect_list(addrs, 3);
	int rc;

	cr_assert_eq(dqc_open(c, "f"), 0, "%s", dqc_errmsg(c));
	cr_assert_eq(dqc_exec_sql(c, "CREATE TABLE k (i INTEGER)", NULL, 0, NULL), 0);
	cr_assert_eq(dqc_exec_sql(c, "BEGIN", NULL, 0, NULL), 0);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(dqc_pipeline_exec_sql(c, "INSERT INTO k VALUES (1)", NULL, 0), 0);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(dqc_pipeline_recv(c, NULL), 0, "%s", dqc_errmsg(c));
	cr_assert_eq(dqc_exec_sql(c, "COMMIT", NULL, 0, NULL), 0, "%s", dqc_errmsg(c));

	cr_assert_eq(dqt_node_kill(&cl, (unsigned)leader), 0);
	rc = dqc_exec_sql(c, "INSERT INTO k VALUES (2)", NULL, 0, NULL);
	cr_assert(rc == DQC_EIO || rc == DQC_ENOTLEADER || rc == DQC_ECLOSED,
		  "got %s", dqc_strerror(rc));
	cr_assert(!dqc_is_alive(c));
	next = dqt_cluster_leader(&cl, 15000);
	cr_assert_geq(next, 0, "no new leader");
	cr_assert_neq(next, leader);
	rc = -1;
	for (int attempt = 0; attempt < 20 && rc != 0; attempt++)
		rc = dqc_reconnect(c);
	cr_assert_eq(rc, 0, "%s", dqc_errmsg(c));
	cr_assert_str_eq(dqc_peer_address(c), cl.nodes[next].address);
	cr_assert_eq(count(c, "SELECT count(*) FROM k"), 100);
	dqc_conn_free(c);
}

Test(cluster, remove_and_add_a_node)
{
	int leader = dqt_cluster_leader(&cl, 10000);
	unsigned victim = (unsigned)(leader + 1) % 3;
	const char *addrs[] = {cl.nodes[leader].address};
	dqc_conn *c = connect_list(addrs, 1);
	dqc_node_info *nodes;
	unsigned n;

	cr_assert_eq(dqc_remove(c, cl.nodes[victim].id), 0, "%s", dqc_errmsg(c));
	cr_assert_eq(dqc_cluster(c, &nodes, &n), 0);
	cr_assert_eq(n, 2);
	for (unsigned i = 0; i < n; i++)
		cr_assert_neq(nodes[i].id, cl.nodes[victim].id);
	free(nodes);

	cr_assert_eq(dqc_add(c, 17, "127.0.0.1:1"), 0, "%s", dqc_errmsg(c));
	cr_assert_eq(dqc_cluster(c, &nodes, &n), 0);
	cr_assert_eq(n, 3);
	int found = 0;
	for (unsigned i = 0; i < n; i++)
		if (nodes[i].id == 17) {
			found = 1;
			cr_assert_str_eq(nodes[i].address, "127.0.0.1:1");
			cr_assert_eq(nodes[i].role, DQC_SPARE, "a new node starts as spare");
		}
	cr_assert(found);
	free(nodes);
	cr_assert_eq(dqc_remove(c, 17), 0, "%s", dqc_errmsg(c));
	dqc_conn_free(c);
}
