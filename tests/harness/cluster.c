/*
 * cluster.c -- start/stop real dqlite clusters of node processes.
 *
 * Node 1 bootstraps on an empty data dir. Every further node is started
 * first (so a taken port can be retried with another one before the cluster
 * knows the address), then joined through the engine: ADD, then ASSIGN voter,
 * both sent to the leader. The leader is found with raw LEADER probes
 * (probe.c), independent of the engine.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dqt_internal.h"

#define START_BUDGET_MS 30000   /* whole dqt_cluster_start() */
#define READY_TIMEOUT_MS 10000  /* one launcher's "ready" line */
#define PORT_TIMEOUT_MS 5000    /* "ready" -> accepting connections */
#define PORT_ATTEMPTS 8
#define STOP_GRACE_MS 5000
#define PROBE_TIMEOUT_MS 500
#define DEFAULT_LATENCY_MS 5

static unsigned latency_from_env(void)
{
	const char *s = getenv("DQT_LATENCY_MS");
	long v;

	if (s == NULL || *s == '\0')
		return DEFAULT_LATENCY_MS;
	v = strtol(s, NULL, 10);
	return v > 0 && v <= 10000 ? (unsigned)v : DEFAULT_LATENCY_MS;
}

static void build_addresses(dqt_cluster *c)
{
	size_t off = 0;
	unsigned i;

	c->addresses[0] = '\0';
	for (i = 0; i < c->n; i++) {
		if (c->nodes[i].address[0] == '\0')
			continue;
		off += (size_t)snprintf(c->addresses + off, sizeof c->addresses - off,
					"%s%s", off > 0 ? "," : "",
					c->nodes[i].address);
		if (off >= sizeof c->addresses)
			break;
	}
}

static void log_path(const dqt_cluster *c, unsigned i, char *buf, size_t size)
{
	snprintf(buf, size, "%s/n%llu.log", c->root,
		 (unsigned long long)c->nodes[i].id);
}

/* Starts node i for the first time: fresh dir, free port, retried when the
 * port turns out to be taken. */
static int start_fresh(dqt_cluster *c, unsigned i, int64_t deadline)
{
	dqt_node *n = &c->nodes[i];
	char logp[300];
	int attempt;

	log_path(c, i, logp, sizeof logp);
	for (attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
		int64_t left = deadline - dqti_now_ms();
		int rv;

		if (left <= 0)
			break;
		n->port = dqti_free_port();
		if (n->port <= 0)
			return -1;
		snprintf(n->address, sizeof n->address, "127.0.0.1:%d", n->port);
		/* A data dir belongs to one address for life: a fresh one per
		 * attempt. */
		dqti_remove_tree(n->dir);
		if (mkdir(n->dir, 0700) != 0) {
			fprintf(stderr, "dqtest: mkdir %s: %s\n", n->dir, strerror(errno));
			return -1;
		}
		rv = dqti_spawn_node(n, c->latency_ms, logp,
				     left < READY_TIMEOUT_MS ? (unsigned)left
							     : READY_TIMEOUT_MS);
		if (rv == DQTI_EPORT)
			continue;
		if (rv != 0)
			return -1;
		if (dqti_wait_port(n->port, PORT_TIMEOUT_MS) != 0) {
			fprintf(stderr, "dqtest: node %llu never accepted on %s\n",
				(unsigned long long)n->id, n->address);
			return -1;
		}
		return 0;
	}
	n->address[0] = '\0';
	fprintf(stderr, "dqtest: node %llu: no usable port after %d attempts\n",
		(unsigned long long)n->id, attempt);
	return -1;
}

/* Polls until raw LEADER on node i names node i itself. */
static int wait_self_leader(dqt_cluster *c, unsigned i, int64_t deadline)
{
	while (dqti_now_ms() < deadline) {
		uint64_t id = 0;
		char addr[64];

		if (dqt_raw_leader(c->nodes[i].address, PROBE_TIMEOUT_MS, &id, addr,
				   sizeof addr) == 0 &&
		    id == c->nodes[i].id)
			return 0;
		dqti_sleep_ms(10);
	}
	return -1;
}

static const dqc_node_info *find_node(const dqc_node_info *nodes, unsigned n,
				      uint64_t id)
{
	unsigned k;

	for (k = 0; k < n; k++)
		if (nodes[k].id == id)
			return &nodes[k];
	return NULL;
}

static dqc_conn *connect_quiet(dqt_cluster *c, int i, char *err, size_t errsz);

/* Joins the (running) node i: ADD then ASSIGN voter, each only when the
 * CLUSTER listing says it is still needed, so a retry after a transient
 * error (leader change, timeout) is harmless. */
static int join_node(dqt_cluster *c, unsigned i, int64_t deadline)
{
	dqt_node *n = &c->nodes[i];
	dqc_conn *conn = NULL;
	char last[512] = "";
	int rv = -1;

	while (dqti_now_ms() < deadline) {
		dqc_node_info *nodes = NULL;
		const dqc_node_info *me;
		unsigned count = 0;
		int r;

		if (conn == NULL) {
			conn = connect_quiet(c, -1, last, sizeof last);
			if (conn == NULL) {
				dqti_sleep_ms(50);
				continue;
			}
		}
		r = dqc_cluster(conn, &nodes, &count);
		if (r == 0) {
			me = find_node(nodes, count, n->id);
			if (me == NULL)
				r = dqc_add(conn, n->id, n->address);
			else if (me->role != DQC_VOTER)
				r = dqc_assign(conn, n->id, DQC_VOTER);
			else
				rv = 0;
		}
		free(nodes);
		if (rv == 0)
			break;
		if (r != 0) {
			snprintf(last, sizeof last, "%s: %s", dqc_strerror(r),
				 dqc_errmsg(conn));
			dqc_conn_free(conn);
			conn = NULL;
			dqti_sleep_ms(50);
		}
	}
	dqc_conn_free(conn);
	if (rv != 0)
		fprintf(stderr, "dqtest: node %llu (%s) did not join as voter%s%s\n",
			(unsigned long long)n->id, n->address,
			last[0] ? ": " : "", last);
	return rv;
}

static int make_root(dqt_cluster *c)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(c->root, sizeof c->root, "%s/dqtest-XXXXXX", tmp) >=
	    sizeof c->root - 16) /* room for "/nN.log" */
		return -1;
	if (mkdtemp(c->root) == NULL) {
		fprintf(stderr, "dqtest: mkdtemp %s: %s\n", c->root, strerror(errno));
		c->root[0] = '\0';
		return -1;
	}
	dqti_track_root(c->root);
	return 0;
}

/* The tail of every node's log on stderr: the temp root (and the logs) is
 * removed right after a failed start. */
static void dump_logs(const dqt_cluster *c)
{
	unsigned i;

	for (i = 0; i < c->n; i++) {
		char path[300], buf[2048];
		size_t len;
		FILE *f;

		log_path(c, i, path, sizeof path);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fseek(f, 0, SEEK_END) == 0 && ftell(f) > (long)sizeof buf - 1)
			fseek(f, -(long)(sizeof buf - 1), SEEK_END);
		else
			rewind(f);
		len = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[len] = '\0';
		if (len > 0)
			fprintf(stderr, "dqtest: --- log of node %u ---\n%s%s", i + 1, buf,
				buf[len - 1] == '\n' ? "" : "\n");
	}
}

int dqt_cluster_start(dqt_cluster *c, unsigned n)
{
	int64_t deadline = dqti_now_ms() + START_BUDGET_MS;
	unsigned i;

	if (c == NULL)
		return -1;
	memset(c, 0, sizeof *c);
	if (n < 1 || n > DQT_MAX_NODES) {
		fprintf(stderr, "dqtest: cluster size %u out of range\n", n);
		return -1;
	}
	c->n = n;
	c->latency_ms = latency_from_env();
	if (make_root(c) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		c->nodes[i].id = i + 1;
		if (snprintf(c->nodes[i].dir, sizeof c->nodes[i].dir, "%s/n%u",
			     c->root, i + 1) >= (int)sizeof c->nodes[i].dir)
			goto fail;
	}

	if (start_fresh(c, 0, deadline) != 0)
		goto fail;
	build_addresses(c);
	if (wait_self_leader(c, 0, deadline) != 0) {
		fprintf(stderr, "dqtest: node 1 never became leader\n");
		goto fail;
	}
	for (i = 1; i < n; i++) {
		if (start_fresh(c, i, deadline) != 0)
			goto fail;
		if (join_node(c, i, deadline) != 0)
			goto fail;
		build_addresses(c);
	}
	if (n > 1 && dqt_cluster_leader(c, 5000) < 0) {
		fprintf(stderr, "dqtest: no leader after joining %u nodes\n", n);
		goto fail;
	}
	return 0;

fail:
	fprintf(stderr, "dqtest: cluster start failed\n");
	dump_logs(c);
	dqt_cluster_stop(c);
	return -1;
}

void dqt_cluster_stop(dqt_cluster *c)
{
	int64_t deadline;
	unsigned i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n && i < DQT_MAX_NODES; i++) {
		dqt_node *n = &c->nodes[i];

		if (n->pid <= 0)
			continue;
		if (n->paused)
			kill(n->pid, SIGCONT);
		kill(n->pid, SIGTERM);
	}
	deadline = dqti_now_ms() + STOP_GRACE_MS;
	for (i = 0; i < c->n && i < DQT_MAX_NODES; i++) {
		dqt_node *n = &c->nodes[i];
		int64_t left;

		if (n->pid <= 0)
			continue;
		left = deadline - dqti_now_ms();
		if (dqti_reap(n->pid, left > 0 ? (unsigned)left : 0, NULL) != 0) {
			kill(n->pid, SIGKILL);
			dqti_reap(n->pid, 5000, NULL);
		}
		dqti_untrack_pid(n->pid);
		n->pid = 0;
		n->paused = 0;
	}
	if (c->root[0] != '\0') {
		dqti_remove_tree(c->root);
		dqti_untrack_root(c->root);
		c->root[0] = '\0';
	}
}

int dqt_cluster_leader(dqt_cluster *c, unsigned timeout_ms)
{
	int64_t deadline = dqti_now_ms() + timeout_ms;

	if (c == NULL || c->n == 0 || c->n > DQT_MAX_NODES)
		return -1;
	for (;;) {
		/* says[i]: index node i names as leader, -1 if none/unknown.
		 * A node is leader when it names itself and a majority of the
		 * whole cluster (itself included) names it: a deposed leader
		 * that has not noticed yet cannot pass. */
		int says[DQT_MAX_NODES];
		unsigned i, k;

		for (i = 0; i < c->n; i++) {
			const dqt_node *n = &c->nodes[i];
			uint64_t id = 0;
			char addr[64];

			says[i] = -1;
			if (n->pid <= 0 || n->paused)
				continue;
			if (dqt_raw_leader(n->address, PROBE_TIMEOUT_MS, &id, addr,
					   sizeof addr) != 0)
				continue;
			if (id >= 1 && id <= c->n &&
			    strcmp(addr, c->nodes[id - 1].address) == 0)
				says[i] = (int)(id - 1);
		}
		for (i = 0; i < c->n; i++) {
			unsigned votes = 0;

			if (says[i] != (int)i)
				continue;
			for (k = 0; k < c->n; k++)
				votes += says[k] == (int)i;
			if (votes > c->n / 2)
				return (int)i;
		}
		if (dqti_now_ms() >= deadline)
			return -1;
		dqti_sleep_ms(10);
	}
}

static int valid_node(const dqt_cluster *c, unsigned i)
{
	return c != NULL && i < c->n && i < DQT_MAX_NODES;
}

int dqt_node_kill(dqt_cluster *c, unsigned i)
{
	dqt_node *n;

	if (!valid_node(c, i) || c->nodes[i].pid <= 0)
		return -1;
	n = &c->nodes[i];
	kill(n->pid, SIGKILL);
	if (dqti_reap(n->pid, 5000, NULL) != 0)
		return -1;
	dqti_untrack_pid(n->pid);
	n->pid = 0;
	n->paused = 0;
	return 0;
}

int dqt_node_stop(dqt_cluster *c, unsigned i)
{
	dqt_node *n;
	int st = 0, clean;

	if (!valid_node(c, i) || c->nodes[i].pid <= 0)
		return -1;
	n = &c->nodes[i];
	if (n->paused)
		kill(n->pid, SIGCONT);
	kill(n->pid, SIGTERM);
	if (dqti_reap(n->pid, STOP_GRACE_MS, &st) != 0) {
		kill(n->pid, SIGKILL);
		dqti_reap(n->pid, 5000, NULL);
		st = -1;
	}
	clean = st == 0 || (WIFEXITED(st) && WEXITSTATUS(st) == 0);
	dqti_untrack_pid(n->pid);
	n->pid = 0;
	n->paused = 0;
	return clean ? 0 : -1;
}

/* Waits (bounded) until waitpid reports the state change asked for. */
static int wait_state(pid_t pid, int flag, unsigned timeout_ms)
{
	int64_t deadline = dqti_now_ms() + timeout_ms;
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, flag | WNOHANG);

		if (r == pid)
			return (flag == WUNTRACED && WIFSTOPPED(st)) ||
				       (flag == WCONTINUED && WIFCONTINUED(st))
				       ? 0
				       : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		if (dqti_now_ms() >= deadline)
			return -1;
		dqti_sleep_ms(2);
	}
}

int dqt_node_pause(dqt_cluster *c, unsigned i)
{
	dqt_node *n;

	if (!valid_node(c, i) || c->nodes[i].pid <= 0 || c->nodes[i].paused)
		return -1;
	n = &c->nodes[i];
	if (kill(n->pid, SIGSTOP) != 0 || wait_state(n->pid, WUNTRACED, 5000) != 0)
		return -1;
	n->paused = 1;
	return 0;
}

int dqt_node_resume(dqt_cluster *c, unsigned i)
{
	dqt_node *n;

	if (!valid_node(c, i) || c->nodes[i].pid <= 0 || !c->nodes[i].paused)
		return -1;
	n = &c->nodes[i];
	if (kill(n->pid, SIGCONT) != 0 || wait_state(n->pid, WCONTINUED, 5000) != 0)
		return -1;
	n->paused = 0;
	return 0;
}

int dqt_node_restart(dqt_cluster *c, unsigned i)
{
	int64_t deadline = dqti_now_ms() + 10000;
	dqt_node *n;
	char logp[300];

	if (!valid_node(c, i) || c->nodes[i].pid > 0 || c->nodes[i].port <= 0 ||
	    c->root[0] == '\0')
		return -1;
	n = &c->nodes[i];
	log_path(c, i, logp, sizeof logp);
	for (;;) {
		/* Same address for life: if the port is briefly taken (it was
		 * free while the node was down), wait and try again. */
		int rv = dqti_spawn_node(n, c->latency_ms, logp, READY_TIMEOUT_MS);

		if (rv == 0)
			break;
		if (rv != DQTI_EPORT || dqti_now_ms() >= deadline) {
			fprintf(stderr, "dqtest: restart of node %llu on %s failed\n",
				(unsigned long long)n->id, n->address);
			return -1;
		}
		dqti_sleep_ms(200);
	}
	return dqti_wait_port(n->port, PORT_TIMEOUT_MS);
}

/* dqt_connect() without the message on stderr: the reason goes to err. */
static dqc_conn *connect_quiet(dqt_cluster *c, int i, char *err, size_t errsz)
{
	const char *addrs[DQT_MAX_NODES];
	struct dqc_config cfg;
	dqc_conn *conn;
	size_t n = 0;
	unsigned k;
	int rv;

	snprintf(err, errsz, "bad arguments");
	if (c == NULL || c->n == 0 || c->n > DQT_MAX_NODES ||
	    (i >= 0 && (unsigned)i >= c->n))
		return NULL;
	if (i >= 0) {
		addrs[n++] = c->nodes[i].address;
	} else {
		for (k = 0; k < c->n; k++)
			if (c->nodes[k].address[0] != '\0')
				addrs[n++] = c->nodes[k].address;
	}
	if (n == 0 || addrs[0][0] == '\0')
		return NULL;
	memset(&cfg, 0, sizeof cfg);
	cfg.addresses = addrs;
	cfg.n_addresses = n;
	cfg.connect_timeout_ms = 2000;
	cfg.timeout_ms = 10000;
	conn = dqc_conn_new();
	if (conn == NULL) {
		snprintf(err, errsz, "dqc_conn_new: out of memory");
		return NULL;
	}
	rv = dqc_connect(conn, &cfg);
	if (rv != 0) {
		snprintf(err, errsz, "connect to %s failed: %s: %s",
			 i >= 0 ? c->nodes[i].address : c->addresses,
			 dqc_strerror(rv), dqc_errmsg(conn));
		dqc_conn_free(conn);
		return NULL;
	}
	return conn;
}

dqc_conn *dqt_connect(dqt_cluster *c, int i)
{
	char err[512];
	dqc_conn *conn = connect_quiet(c, i, err, sizeof err);

	if (conn == NULL)
		fprintf(stderr, "dqtest: %s\n", err);
	return conn;
}
