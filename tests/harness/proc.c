/*
 * proc.c -- node processes: free ports, fork/exec of the launcher, the
 * "ready" handshake, port waits, reaping, and the atexit safety net.
 */
#define _GNU_SOURCE /* pipe2, nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dqt_internal.h"

#ifndef DQT_DEFAULT_NODE_BIN
#define DQT_DEFAULT_NODE_BIN "dqlite-test-node"
#endif

int64_t dqti_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void dqti_sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int dqti_free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int port = -1;

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

const char *dqti_node_bin(void)
{
	const char *p = getenv("DQT_NODE_BIN");

	return p != NULL && p[0] != '\0' ? p : DQT_DEFAULT_NODE_BIN;
}

/* ------------------------------------------------------------------------
 * Registry + atexit hook
 * ---------------------------------------------------------------------- */

#define DQTI_MAX_PIDS 64
#define DQTI_MAX_ROOTS 16

static pid_t tracked_pids[DQTI_MAX_PIDS];
static char tracked_roots[DQTI_MAX_ROOTS][256];
static int atexit_done;

static void cleanup_at_exit(void)
{
	int i;

	for (i = 0; i < DQTI_MAX_PIDS; i++) {
		pid_t pid = tracked_pids[i];

		if (pid <= 0)
			continue;
		kill(pid, SIGKILL);
		dqti_reap(pid, 2000, NULL);
		tracked_pids[i] = 0;
	}
	for (i = 0; i < DQTI_MAX_ROOTS; i++) {
		if (tracked_roots[i][0] == '\0')
			continue;
		dqti_remove_tree(tracked_roots[i]);
		tracked_roots[i][0] = '\0';
	}
}

static void ensure_atexit(void)
{
	if (!atexit_done) {
		atexit_done = 1;
		atexit(cleanup_at_exit);
	}
}

void dqti_track_pid(pid_t pid)
{
	int i;

	ensure_atexit();
	for (i = 0; i < DQTI_MAX_PIDS; i++) {
		if (tracked_pids[i] == 0) {
			tracked_pids[i] = pid;
			return;
		}
	}
	/* Full: PR_SET_PDEATHSIG still covers this child. */
}

void dqti_untrack_pid(pid_t pid)
{
	int i;

	for (i = 0; i < DQTI_MAX_PIDS; i++)
		if (tracked_pids[i] == pid)
			tracked_pids[i] = 0;
}

void dqti_track_root(const char *root)
{
	int i;

	ensure_atexit();
	for (i = 0; i < DQTI_MAX_ROOTS; i++) {
		if (tracked_roots[i][0] == '\0') {
			snprintf(tracked_roots[i], sizeof tracked_roots[i], "%s", root);
			return;
		}
	}
}

void dqti_untrack_root(const char *root)
{
	int i;

	for (i = 0; i < DQTI_MAX_ROOTS; i++)
		if (strcmp(tracked_roots[i], root) == 0)
			tracked_roots[i][0] = '\0';
}

static int remove_entry(const char *path, const struct stat *sb, int flag,
			struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0; /* keep going: remove as much as possible */
}

int dqti_remove_tree(const char *path)
{
	if (path == NULL || path[0] == '\0')
		return -1;
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return access(path, F_OK) == 0 ? -1 : 0;
}

/* ------------------------------------------------------------------------
 * Processes
 * ---------------------------------------------------------------------- */

int dqti_reap(pid_t pid, unsigned timeout_ms, int *status)
{
	int64_t deadline = dqti_now_ms() + timeout_ms;
	int st = 0;

	if (status != NULL)
		*status = 0;
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid) {
			if (status != NULL)
				*status = st;
			return 0;
		}
		if (r < 0 && errno != EINTR)
			return 0; /* ECHILD: already reaped elsewhere */
		if (dqti_now_ms() >= deadline)
			return -1;
		dqti_sleep_ms(5);
	}
}

/* Kills and reaps a child that failed to become ready. */
static void discard_child(pid_t pid)
{
	kill(pid, SIGKILL);
	dqti_reap(pid, 5000, NULL);
	dqti_untrack_pid(pid);
}

/* Reads from fd until a full line arrives, EOF, or the deadline. Returns 1
 * on a "ready" line, 0 on EOF/other line, -1 on timeout. */
static int read_ready(int fd, int64_t deadline)
{
	char buf[128];
	size_t len = 0;

	for (;;) {
		int64_t left = deadline - dqti_now_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;
		char *nl;
		int pr;

		if (left <= 0)
			return -1;
		pr = poll(&p, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			return pr == 0 ? -1 : 0;
		r = read(fd, buf + len, sizeof buf - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		len += (size_t)r;
		buf[len] = '\0';
		nl = strchr(buf, '\n');
		if (nl != NULL) {
			*nl = '\0';
			return strcmp(buf, "ready") == 0 ? 1 : 0;
		}
		if (len >= sizeof buf - 1)
			return 0;
	}
}

/* Only async-signal-safe calls between fork and exec. */
static void exec_child(pid_t parent, int out_fd, int log_fd, int null_fd,
		       const char *bin, char *const argv[])
{
	struct sigaction sa;
	sigset_t none;

	/* The node must not outlive the test; the getppid() check closes the
	 * race where the parent died before prctl(). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(log_fd, 2) < 0)
		_exit(127);
	execv(bin, argv);
	{
		static const char msg[] = "dqtest: cannot exec the node launcher\n";
		ssize_t w = write(2, msg, sizeof msg - 1);

		(void)w;
	}
	_exit(127);
}

int dqti_spawn_node(dqt_node *n, unsigned latency_ms, const char *log_path,
		    unsigned timeout_ms)
{
	const char *bin = dqti_node_bin();
	char id[24], lat[16];
	char *argv[12];
	int fds[2];
	int null_fd, log_fd, rv, st = 0, argc = 0;
	pid_t parent = getpid(), pid;

	snprintf(id, sizeof id, "%llu", (unsigned long long)n->id);
	snprintf(lat, sizeof lat, "%u", latency_ms);
	argv[argc++] = (char *)(uintptr_t)bin;
	argv[argc++] = (char *)(uintptr_t)"--id";
	argv[argc++] = id;
	argv[argc++] = (char *)(uintptr_t)"--address";
	argv[argc++] = n->address;
	argv[argc++] = (char *)(uintptr_t)"--dir";
	argv[argc++] = n->dir;
	if (latency_ms > 0) {
		argv[argc++] = (char *)(uintptr_t)"--latency-ms";
		argv[argc++] = lat;
	}
	argv[argc] = NULL;

	if (pipe2(fds, O_CLOEXEC) != 0) {
		fprintf(stderr, "dqtest: pipe: %s\n", strerror(errno));
		return -1;
	}
	null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (null_fd < 0 || log_fd < 0) {
		fprintf(stderr, "dqtest: open %s: %s\n", log_path, strerror(errno));
		goto fail_fds;
	}
	fflush(NULL); /* no duplicated stdio buffers in the child */
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "dqtest: fork: %s\n", strerror(errno));
		goto fail_fds;
	}
	if (pid == 0)
		exec_child(parent, fds[1], log_fd, null_fd, bin, argv);

	dqti_track_pid(pid);
	close(fds[1]);
	close(null_fd);
	close(log_fd);
	rv = read_ready(fds[0], dqti_now_ms() + timeout_ms);
	close(fds[0]);
	if (rv == 1) {
		n->pid = pid;
		n->paused = 0;
		return 0;
	}
	if (rv < 0) {
		fprintf(stderr, "dqtest: node %llu (%s) not ready after %u ms (log %s)\n",
			(unsigned long long)n->id, n->address, timeout_ms, log_path);
		discard_child(pid);
		return -1;
	}
	/* EOF: the launcher exited (or printed garbage); learn why. */
	if (dqti_reap(pid, 5000, &st) != 0) {
		discard_child(pid);
		return -1;
	}
	dqti_untrack_pid(pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
		return DQTI_EPORT;
	fprintf(stderr, "dqtest: node %llu (%s) failed to start (%s %d, log %s, bin %s)\n",
		(unsigned long long)n->id, n->address,
		WIFEXITED(st) ? "exit" : "signal",
		WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), log_path, bin);
	return -1;

fail_fds:
	close(fds[0]);
	close(fds[1]);
	if (null_fd >= 0)
		close(null_fd);
	if (log_fd >= 0)
		close(log_fd);
	return -1;
}

int dqti_wait_port(int port, unsigned timeout_ms)
{
	int64_t deadline = dqti_now_ms() + timeout_ms;
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	for (;;) {
		/* Loopback connects complete or fail at once: no poll needed. */
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int ok;

		if (fd < 0)
			return -1;
		ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
		close(fd);
		if (ok)
			return 0;
		if (dqti_now_ms() >= deadline)
			return -1;
		dqti_sleep_ms(10);
	}
}
