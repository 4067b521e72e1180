/*
 * dqt_internal.h -- helpers shared by the harness's .c files (not for tests).
 */
#ifndef DQT_INTERNAL_H
#define DQT_INTERNAL_H

#include <stdint.h>
#include <sys/types.h>

#include "dqtest.h"

/* dqti_spawn_node() result when the node exited with code 3: its port was
 * taken (dqlite 1.11 fails the bind with rv=1 and no message). */
#define DQTI_EPORT (-3)

/* Monotonic clock in milliseconds. */
int64_t dqti_now_ms(void);
void dqti_sleep_ms(unsigned ms);

/* A port that was free on 127.0.0.1 a moment ago (bind to port 0, read it,
 * close), or -1. Racy by nature: callers retry on DQTI_EPORT. */
int dqti_free_port(void);

/* Path of the node launcher: env DQT_NODE_BIN, else the build path. */
const char *dqti_node_bin(void);

/* Forks and execs the node launcher for n (id, address, dir already set),
 * stdout on a pipe, stderr appended to log_path, and waits up to timeout_ms
 * for its "ready" line. The child gets PR_SET_PDEATHSIG(SIGKILL) so it dies
 * with the thread that spawned it. On success sets n->pid and returns 0.
 * Returns DQTI_EPORT when the launcher exited with code 3, -1 on any other
 * failure (message on stderr); the child is reaped in both cases. */
int dqti_spawn_node(dqt_node *n, unsigned latency_ms, const char *log_path,
		    unsigned timeout_ms);

/* Waits up to timeout_ms until 127.0.0.1:port accepts a TCP connection.
 * Returns 0 or -1. */
int dqti_wait_port(int port, unsigned timeout_ms);

/* Waits up to timeout_ms for pid to exit and reaps it. Returns 0 when it was
 * reaped (or is not our child any more), -1 on timeout. If status is not
 * NULL it receives the wait status (0 when unknown). */
int dqti_reap(pid_t pid, unsigned timeout_ms, int *status);

/* Registry of what the harness started, cleaned by an atexit hook so that
 * nothing survives the test process even when a test forgets to stop its
 * cluster (or an assertion ends it early). */
void dqti_track_pid(pid_t pid);
void dqti_untrack_pid(pid_t pid);
void dqti_track_root(const char *root);
void dqti_untrack_root(const char *root);

/* rm -rf path (no symlink following). Returns 0 or -1. */
int dqti_remove_tree(const char *path);

#endif /* DQT_INTERNAL_H */
