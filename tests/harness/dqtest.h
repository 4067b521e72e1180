/*
 * dqtest.h -- test fixtures on REAL dqlite servers.
 *
 * Each node runs in its own process (tests/node/dqlite-test-node, linked to
 * Debian's libdqlite0) on 127.0.0.1 with a free port picked at start and a
 * fresh data directory under a private temp root. Node 1 bootstraps the
 * cluster; further nodes are joined through the engine (ADD, then ASSIGN
 * voter, sent to the leader), so the admin requests are exercised for real.
 *
 * Every wait is bounded. dqt_cluster_stop() stops exactly the processes the
 * fixture started (never by name) and removes the temp root.
 *
 * Harness notes (additive): the node binary is $DQT_NODE_BIN or the build
 * path; the nodes' network latency is $DQT_LATENCY_MS or 5 ms (elections in
 * about 0.1 s). The temp root is under $TMPDIR or /tmp. Nodes get
 * PR_SET_PDEATHSIG(SIGKILL): they die with the THREAD that started them, so
 * start clusters from a thread that outlives them (the test's own thread);
 * an atexit hook also kills what is left and removes the temp roots. The
 * leader is found with raw LEADER probes (dqt_raw_leader), not the engine.
 *
 * Faults a real server will not produce on demand (malformed/truncated
 * frames, stalls, silent peers, endless pages...) come from the scripted
 * fake server in dqfake.h -- for fault injection only, never instead of a
 * real node.
 */
#ifndef DQTEST_H
#define DQTEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dqlite_client.h"

#define DQT_MAX_NODES 5

typedef struct dqt_node {
	uint64_t id;        /* 1-based raft id */
	int port;
	char address[32];   /* "127.0.0.1:PORT" */
	char dir[256];
	pid_t pid;          /* 0 when not running */
	int paused;
} dqt_node;

typedef struct dqt_cluster {
	unsigned n;
	dqt_node nodes[DQT_MAX_NODES];
	char root[256];
	char addresses[DQT_MAX_NODES * 34]; /* "a1,a2,..." for connect strings */
	unsigned latency_ms;                /* passed to the nodes (fast elections) */
} dqt_cluster;

/* Starts an n-node cluster (1 <= n <= DQT_MAX_NODES) and waits (bounded,
 * ~30 s) until every node serves and every node is a voter. Returns 0, or -1
 * with a message on stderr (everything started is stopped again). */
int dqt_cluster_start(dqt_cluster *c, unsigned n);
/* Stops every node still running (SIGCONT, SIGTERM, then SIGKILL after 5 s),
 * reaps them and removes the temp root. Safe to call twice. */
void dqt_cluster_stop(dqt_cluster *c);

/* Index (0-based) of the current leader, waiting up to timeout_ms for one to
 * be elected among the running nodes; -1 on timeout. */
int dqt_cluster_leader(dqt_cluster *c, unsigned timeout_ms);

int dqt_node_kill(dqt_cluster *c, unsigned i);    /* SIGKILL + reap */
int dqt_node_stop(dqt_cluster *c, unsigned i);    /* SIGTERM, clean stop */
int dqt_node_pause(dqt_cluster *c, unsigned i);   /* SIGSTOP */
int dqt_node_resume(dqt_cluster *c, unsigned i);  /* SIGCONT */
/* Starts node i again on its own data dir and address; waits until it
 * accepts connections. */
int dqt_node_restart(dqt_cluster *c, unsigned i);

/* A connected engine client for node i's address only (no leader following
 * beyond what dqc_connect does), or for the whole cluster (i < 0). Timeouts
 * are short (connect 2 s, requests 10 s). Returns NULL on failure (message
 * on stderr). Free with dqc_conn_free(). */
dqc_conn *dqt_connect(dqt_cluster *c, int i);

/* ODBC fixtures: writes odbcinst.ini (driver "dqlite-test" = the freshly built
 * libdqliteodbc.so) and odbc.ini (DSN "dqtest" -> this cluster's addresses,
 * Database=<db>) under c->root and points ODBCSYSINI/ODBCINI at them, so the
 * real unixODBC driver manager loads our driver. Call before the first ODBC
 * call in the process. Returns 0 or -1. */
int dqt_odbc_setup(dqt_cluster *c, const char *db);

/* Path of the driver .so under test (env DQT_DRIVER_SO or the build path). */
const char *dqt_driver_path(void);

/* With ASan/LSan builds: runs a leak check now and returns the number of
 * leaked bytes found (0 without a sanitizer). Use in a suite's .fini:
 *   cr_assert_eq(dqt_leak_check(), 0) */
long dqt_leak_check(void);

/* Additive (harness): asks the node at address ("127.0.0.1:PORT") which node
 * it believes is leader, with a LEADER request written by hand on a fresh
 * plain socket (protocol version 1, no engine involved). On success stores
 * the leader's id (0 if none known) and address ("" if none) in *id and
 * leader[leader_size]. The whole exchange is bounded by timeout_ms. Returns
 * 0, or -1 on connect/IO failure, timeout, or an unexpected reply. */
int dqt_raw_leader(const char *address, unsigned timeout_ms, uint64_t *id,
		   char *leader, size_t leader_size);

/* Additive (harness): asks the server at address whether it reports the
 * statement tail on PREPARE (dqlite >= 1.15: DQC_FEATURE_PREPARE_TAIL, which
 * also makes RETURNING and QUERY of writes safe), by OPENing database db and
 * PREPAREing "SELECT 1" with schema 1 over a fresh plain socket (no engine
 * involved), exactly the question the engine asks at connect. Stores 1 or 0
 * in *supported and returns 0; -1 on connect/IO failure, timeout or an
 * unexpected reply. */
int dqt_raw_prepare_tail(const char *address, const char *db,
			 unsigned timeout_ms, int *supported);

#endif /* DQTEST_H */
