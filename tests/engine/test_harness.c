/*
 * test_harness.c -- smoke tests of the real-dqlite fixtures (dqtest.h).
 *
 * The single-node tests need no engine: they check the node with a plain
 * socket and a LEADER request written by hand. The three-node test joins
 * nodes through the engine (ADD/ASSIGN) and kills the leader.
 */
#define _GNU_SOURCE /* nftw */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dqtest.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int remove_entry(const char *path, const struct stat *sb, int flag,
			struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 ? 0 : -1;
}

static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* 1 while pid exists and is not a zombie. */
static int process_alive(pid_t pid)
{
	char path[64], buf[256];
	const char *rp;
	FILE *f;
	size_t n;

	if (kill(pid, 0) != 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	rp = strrchr(buf, ')'); /* "pid (comm) S ..." */
	return rp == NULL || rp[1] == '\0' || rp[2] != 'Z';
}

static int path_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

/* A blocking loopback socket connected to port, with 2 s IO timeouts, or -1. */
static int tcp_connect(int port)
{
	struct timeval tv = { .tv_sec = 2, .tv_usec = 0 };
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int read_full(int fd, unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* The handshake and a LEADER request, byte by byte as the protocol notes
 * describe them, independent of both the engine and the harness's probe. */
static void check_raw_leader_by_hand(const dqt_node *n)
{
	static const unsigned char req[24] = {
		1, 0, 0, 0, 0, 0, 0, 0, /* protocol version 1 (u64 LE) */
		1, 0, 0, 0,             /* body: 1 word */
		0,                      /* type LEADER */
		0, 0, 0,                /* schema 0, u16 zero */
		0, 0, 0, 0, 0, 0, 0, 0  /* unused u64 */
	};
	unsigned char hdr[8], body[256];
	size_t words;
	uint64_t id = 0;
	int fd, i;

	fd = tcp_connect(n->port);
	cr_assert_geq(fd, 0, "port %d does not accept connections", n->port);
	cr_assert_eq(write(fd, req, sizeof req), (ssize_t)sizeof req);
	cr_assert_eq(read_full(fd, hdr, sizeof hdr), 0, "no reply header");
	words = (size_t)hdr[0] | (size_t)hdr[1] << 8 | (size_t)hdr[2] << 16 |
		(size_t)hdr[3] << 24;
	cr_assert_eq(hdr[4], 1, "reply type %d, want 1 (SERVER)", hdr[4]);
	cr_assert(words >= 2 && words * 8 <= sizeof body, "body words %zu", words);
	cr_assert_eq(read_full(fd, body, words * 8), 0, "short body");
	for (i = 7; i >= 0; i--)
		id = id << 8 | body[i];
	cr_assert_eq(id, n->id, "leader id %llu, want %llu",
		     (unsigned long long)id, (unsigned long long)n->id);
	cr_assert(memchr(body + 8, '\0', words * 8 - 8) != NULL);
	cr_assert_str_eq((const char *)body + 8, n->address);
	close(fd);
}

static void check_leaks(void)
{
	cr_assert_eq(dqt_leak_check(), 0, "leaks (see stderr)");
}

Test(harness, single_node, .fini = check_leaks)
{
	dqt_cluster c;
	uint64_t id = 0;
	char addr[64];
	char root[256];
	pid_t pid;
	double t0 = now_s(), dt;

	cr_assert_eq(dqt_cluster_start(&c, 1), 0);
	dt = now_s() - t0;
	cr_log_info("1-node cluster start (node ready + leader): %.3f s", dt);
	cr_assert_eq(c.n, 1);
	cr_assert_gt(c.nodes[0].pid, 0);
	cr_assert_eq(c.nodes[0].id, 1);
	cr_assert_gt(c.nodes[0].port, 0);
	cr_assert_str_eq(c.addresses, c.nodes[0].address);
	cr_assert(path_exists(c.root));
	cr_assert(path_exists(c.nodes[0].dir));
	cr_assert_eq(c.latency_ms, 5);

	check_raw_leader_by_hand(&c.nodes[0]);
	cr_assert_eq(dqt_raw_leader(c.nodes[0].address, 2000, &id, addr, sizeof addr), 0);
	cr_assert_eq(id, 1);
	cr_assert_str_eq(addr, c.nodes[0].address);
	cr_assert_eq(dqt_cluster_leader(&c, 5000), 0);

	pid = c.nodes[0].pid;
	snprintf(root, sizeof root, "%s", c.root);
	dqt_cluster_stop(&c);
	cr_assert_eq(c.nodes[0].pid, 0);
	cr_assert_eq(kill(pid, 0), -1, "node process %d survived stop", (int)pid);
	cr_assert_eq(errno, ESRCH);
	cr_assert_not(path_exists(root), "temp root %s not removed", root);
	dqt_cluster_stop(&c); /* safe twice */
	cr_assert_eq(dqt_cluster_leader(&c, 100), -1, "no running node, no leader");
}

Test(harness, node_lifecycle, .fini = check_leaks)
{
	dqt_cluster c;
	uint64_t id = 0;
	char addr[64];
	double t0;
	int fd;

	cr_assert_eq(dqt_cluster_start(&c, 1), 0);

	/* Paused: the kernel still accepts TCP, but nothing answers. */
	cr_assert_eq(dqt_node_pause(&c, 0), 0);
	cr_assert_eq(c.nodes[0].paused, 1);
	cr_assert_eq(dqt_raw_leader(c.nodes[0].address, 300, &id, addr, sizeof addr), -1);
	cr_assert_eq(dqt_cluster_leader(&c, 100), -1, "a paused node is not probed");
	cr_assert_eq(dqt_node_resume(&c, 0), 0);
	cr_assert_eq(c.nodes[0].paused, 0);
	cr_assert_eq(dqt_raw_leader(c.nodes[0].address, 2000, &id, addr, sizeof addr), 0);
	cr_assert_eq(id, 1);

	/* Clean stop (SIGTERM -> exit 0), then the port is closed. */
	cr_assert_eq(dqt_node_stop(&c, 0), 0);
	cr_assert_eq(c.nodes[0].pid, 0);
	fd = tcp_connect(c.nodes[0].port);
	cr_assert_lt(fd, 0, "port still open after stop");
	cr_assert_eq(dqt_node_stop(&c, 0), -1, "not running");

	/* Restart on the same dir and address: a lone voter re-elects itself. */
	t0 = now_s();
	cr_assert_eq(dqt_node_restart(&c, 0), 0);
	cr_assert_eq(dqt_cluster_leader(&c, 10000), 0);
	cr_log_info("1-node restart on existing data to leader: %.3f s", now_s() - t0);
	check_raw_leader_by_hand(&c.nodes[0]);

	cr_assert_eq(dqt_node_kill(&c, 0), 0);
	cr_assert_eq(c.nodes[0].pid, 0);
	cr_assert_eq(dqt_node_kill(&c, 0), -1, "not running");
	cr_assert_eq(dqt_node_restart(&c, 0), 0, "restart after SIGKILL");
	cr_assert_eq(dqt_cluster_leader(&c, 10000), 0);
	dqt_cluster_stop(&c);
}

/* A node must die with the process that started it, even when that process
 * skips every cleanup (_exit): PR_SET_PDEATHSIG. */
Test(harness, nodes_die_with_their_parent, .fini = check_leaks)
{
	int fds[2];
	pid_t helper, node = 0;
	char root[256] = "";
	int st, i;

	cr_assert_eq(pipe(fds), 0);
	helper = fork();
	cr_assert_geq(helper, 0);
	if (helper == 0) {
		dqt_cluster c;
		ssize_t w;

		close(fds[0]);
		if (dqt_cluster_start(&c, 1) != 0)
			_exit(1);
		w = write(fds[1], &c.nodes[0].pid, sizeof c.nodes[0].pid);
		w += write(fds[1], c.root, sizeof c.root);
		_exit(w == (ssize_t)(sizeof c.nodes[0].pid + sizeof c.root) ? 0 : 1);
	}
	close(fds[1]);
	cr_assert_eq(read_full(fds[0], (unsigned char *)&node, sizeof node), 0);
	cr_assert_eq(read_full(fds[0], (unsigned char *)root, sizeof root), 0);
	close(fds[0]);
	cr_assert_eq(waitpid(helper, &st, 0), helper);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	cr_assert_gt(node, 0);
	/* Killed, then reparented: dead once gone or a zombie (a container's
	 * init may be slow to reap). */
	for (i = 0; i < 500 && process_alive(node); i++)
		sleep_ms(10);
	cr_assert_not(process_alive(node), "node %d outlived its parent", (int)node);
	/* _exit skipped the atexit cleanup, so the root is still there. */
	cr_assert(path_exists(root));
	remove_tree(root);
	cr_assert_not(path_exists(root));
}

Test(harness, odbc_setup, .fini = check_leaks)
{
	dqt_cluster c;
	char cmd[512], out[2048], want[1200];
	const char *v;
	size_t len;
	FILE *p;

	cr_assert_eq(dqt_cluster_start(&c, 1), 0);
	cr_assert_eq(dqt_odbc_setup(&c, "harnessdb"), 0);
	v = getenv("ODBCSYSINI");
	cr_assert(v != NULL && strcmp(v, c.root) == 0);
	v = getenv("ODBCINSTINI");
	cr_assert(v != NULL && strcmp(v, "odbcinst.ini") == 0);
	v = getenv("ODBCINI");
	cr_assert(v != NULL);
	snprintf(want, sizeof want, "%s/odbc.ini", c.root);
	cr_assert_str_eq(v, want);

	/* unixODBC's own tool resolves the DSN and the driver through the
	 * environment we set: the same lookup the driver manager does. */
	snprintf(cmd, sizeof cmd,
		 "odbcinst -q -s -n dqtest 2>&1; odbcinst -q -d -n dqlite-test 2>&1");
	p = popen(cmd, "r");
	cr_assert(p != NULL);
	len = fread(out, 1, sizeof out - 1, p);
	out[len] = '\0';
	cr_assert_eq(pclose(p), 0, "odbcinst failed: %s", out);
	snprintf(want, sizeof want, "Server=%s\n", c.addresses);
	cr_assert(strstr(out, want) != NULL, "no %s in:\n%s", want, out);
	cr_assert(strstr(out, "Database=harnessdb\n") != NULL, "%s", out);
	cr_assert(strstr(out, "Driver=dqlite-test\n") != NULL, "%s", out);
	snprintf(want, sizeof want, "Driver=%s\n", dqt_driver_path());
	cr_assert(strstr(out, want) != NULL, "no %s in:\n%s", want, out);
	dqt_cluster_stop(&c);
}

/* Every running node names node `leader` when asked by raw LEADER. */
static int all_agree_on(dqt_cluster *c, int leader, unsigned timeout_ms)
{
	double deadline = now_s() + timeout_ms / 1000.0;

	do {
		unsigned i, ok = 0, running = 0;

		for (i = 0; i < c->n; i++) {
			uint64_t id = 0;
			char addr[64];

			if (c->nodes[i].pid <= 0)
				continue;
			running++;
			if (dqt_raw_leader(c->nodes[i].address, 500, &id, addr,
					   sizeof addr) == 0 &&
			    id == c->nodes[leader].id &&
			    strcmp(addr, c->nodes[leader].address) == 0)
				ok++;
		}
		if (running > 0 && ok == running)
			return 1;
		sleep_ms(20);
	} while (now_s() < deadline);
	return 0;
}

static void check_voters(dqc_conn *conn, const dqt_cluster *c)
{
	dqc_node_info *nodes = NULL;
	unsigned n = 0, i, k;
	int rv = dqc_cluster(conn, &nodes, &n);

	cr_assert_eq(rv, 0, "dqc_cluster: %s: %s", dqc_strerror(rv), dqc_errmsg(conn));
	cr_assert_eq(n, c->n, "cluster lists %u nodes", n);
	for (i = 0; i < c->n; i++) {
		const dqc_node_info *found = NULL;

		for (k = 0; k < n; k++)
			if (nodes[k].id == c->nodes[i].id)
				found = &nodes[k];
		cr_assert(found != NULL, "node %u missing", i + 1);
		cr_assert_str_eq(found->address, c->nodes[i].address);
		cr_assert_eq(found->role, DQC_VOTER, "node %u role %d", i + 1, found->role);
	}
	free(nodes);
}

/* Needs the engine: the joins go through dqc_add/dqc_assign. */
Test(harness, three_nodes_failover, .fini = check_leaks)
{
	dqt_cluster c;
	dqc_node_info info;
	dqc_rows *rows = NULL;
	const dqc_value *cells = NULL;
	dqc_conn *conn;
	double t0, t_start, t_fail;
	int leader, next, rv;

	t0 = now_s();
	cr_assert_eq(dqt_cluster_start(&c, 3), 0);
	t_start = now_s() - t0;
	cr_log_info("3-node cluster start (all voters): %.3f s", t_start);
	leader = dqt_cluster_leader(&c, 10000);
	cr_assert_geq(leader, 0, "no leader");
	cr_assert(all_agree_on(&c, leader, 5000));

	conn = dqt_connect(&c, -1);
	cr_assert(conn != NULL);
	check_voters(conn, &c);
	cr_assert_eq(dqc_leader(conn, &info), 0);
	cr_assert_eq(info.id, c.nodes[leader].id, "engine and probe disagree");
	cr_assert_str_eq(dqc_peer_address(conn), c.nodes[leader].address);
	rv = dqc_open(conn, "harness");
	cr_assert_eq(rv, 0, "open: %s", dqc_errmsg(conn));
	rv = dqc_exec_sql(conn, "CREATE TABLE t (x INTEGER)", NULL, 0, NULL);
	cr_assert_eq(rv, 0, "create: %s", dqc_errmsg(conn));
	rv = dqc_exec_sql(conn, "INSERT INTO t VALUES (42)", NULL, 0, NULL);
	cr_assert_eq(rv, 0, "insert: %s", dqc_errmsg(conn));
	dqc_conn_free(conn);

	/* Kill the leader: the two others elect one of them. */
	t0 = now_s();
	cr_assert_eq(dqt_node_kill(&c, (unsigned)leader), 0);
	next = dqt_cluster_leader(&c, 10000);
	t_fail = now_s() - t0;
	cr_log_info("failover after SIGKILL of the leader (latency %u ms): %.3f s",
		    c.latency_ms, t_fail);
	cr_assert_geq(next, 0, "no new leader within 10 s");
	cr_assert_neq(next, leader);

	/* The committed row survived on the new leader. */
	conn = dqt_connect(&c, -1);
	cr_assert(conn != NULL);
	cr_assert_str_eq(dqc_peer_address(conn), c.nodes[next].address);
	cr_assert_eq(dqc_open(conn, "harness"), 0, "%s", dqc_errmsg(conn));
	rv = dqc_query_sql(conn, "SELECT x FROM t", NULL, 0, &rows);
	cr_assert_eq(rv, 0, "query: %s", dqc_errmsg(conn));
	cr_assert_eq(dqc_rows_next(rows, &cells), 1);
	cr_assert_eq(cells[0].type, DQC_INTEGER);
	cr_assert_eq(cells[0].v.integer, 42);
	cr_assert_eq(dqc_rows_next(rows, &cells), 0);
	dqc_rows_close(rows);

	/* The killed node comes back on its data and follows the new leader. */
	t0 = now_s();
	cr_assert_eq(dqt_node_restart(&c, (unsigned)leader), 0);
	cr_assert(all_agree_on(&c, next, 10000), "restarted node does not follow");
	cr_log_info("restarted node follows the leader after %.3f s", now_s() - t0);
	check_voters(conn, &c);
	dqc_conn_free(conn);
	dqt_cluster_stop(&c);
}
