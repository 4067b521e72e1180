/*
 * dqlite-test-node -- one real dqlite node (Debian's libdqlite) in the
 * foreground, for the test harness and the README quick start.
 *
 *   dqlite-test-node --id N --address 127.0.0.1:PORT --dir DIR [--latency-ms MS]
 *
 * Prints "ready" on stdout once dqlite_node_start() returned, then runs until
 * SIGTERM or SIGINT and stops the node cleanly. Exit codes:
 *   0  stopped cleanly after a signal
 *   1  bad command line
 *   2  dqlite_node_create/start failed (message on stderr)
 *   3  start failed with rv=1 and an empty message: on 1.11 that is what a
 *      port already in use looks like, so the harness retries another port
 *
 * Each node lives in its own process because server assertions abort the
 * host process; SIGKILL is safe for the data (raft log on disk).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dqlite.h>

enum {
	EXIT_USAGE = 1,
	EXIT_START = 2,
	EXIT_PORT_IN_USE = 3,
};

struct options {
	unsigned long long id;
	const char *address;
	const char *dir;
	long latency_ms; /* -1: keep dqlite's default */
};

static void usage(FILE *f)
{
	fprintf(f, "usage: dqlite-test-node --id N --address 127.0.0.1:PORT "
		   "--dir DIR [--latency-ms MS]\n"
		   "Runs one dqlite node in the foreground; prints \"ready\" once "
		   "started; stops on SIGTERM/SIGINT.\n");
}

static int parse_ulong(const char *s, unsigned long long max,
		       unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s == '\0' || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	unsigned long long v;
	int i;

	o->id = 0;
	o->address = NULL;
	o->dir = NULL;
	o->latency_ms = -1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			exit(0);
		}
		if (strcmp(a, "--foreground") == 0)
			continue; /* always in the foreground */
		if (val == NULL) {
			fprintf(stderr, "dqlite-test-node: %s needs a value\n", a);
			return -1;
		}
		if (strcmp(a, "--id") == 0) {
			if (parse_ulong(val, ULLONG_MAX, &v) != 0 || v == 0) {
				fprintf(stderr, "dqlite-test-node: bad --id %s\n", val);
				return -1;
			}
			o->id = v;
		} else if (strcmp(a, "--address") == 0) {
			o->address = val;
		} else if (strcmp(a, "--dir") == 0) {
			o->dir = val;
		} else if (strcmp(a, "--latency-ms") == 0) {
			if (parse_ulong(val, 60000, &v) != 0 || v == 0) {
				fprintf(stderr, "dqlite-test-node: bad --latency-ms %s\n", val);
				return -1;
			}
			o->latency_ms = (long)v;
		} else {
			fprintf(stderr, "dqlite-test-node: unknown option %s\n", a);
			return -1;
		}
		i++;
	}
	if (o->id == 0 || o->address == NULL || o->dir == NULL) {
		fprintf(stderr, "dqlite-test-node: --id, --address and --dir are required\n");
		return -1;
	}
	return 0;
}

static const char *errmsg(dqlite_node *node)
{
	const char *m = node != NULL ? dqlite_node_errmsg(node) : NULL;

	return m != NULL ? m : "";
}

/* dqlite 1.11 often fails without a message; rv=1 is a taken port. */
static const char *hint(int rv)
{
	return rv == 1 ? "(no message: port in use?)"
		       : "(no message: not an IPv4 host:port?)";
}

int main(int argc, char **argv)
{
	struct options o;
	dqlite_node *node = NULL;
	sigset_t set;
	int rv;
	int sig = 0;

	if (parse_args(argc, argv, &o) != 0) {
		usage(stderr);
		return EXIT_USAGE;
	}

	/* libuv leaves SIGPIPE alone: without this, a write to a peer that
	 * just died (raft traffic to a killed leader) kills the whole node.
	 * Go hosts such as dqlite-demo ignore it implicitly. */
	signal(SIGPIPE, SIG_IGN);

	/* Blocked before dqlite_node_start so that dqlite's threads inherit
	 * the mask and the signal is delivered only to sigwait() below. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0) {
		fprintf(stderr, "dqlite-test-node: cannot block signals\n");
		return EXIT_START;
	}

	rv = dqlite_node_create(o.id, o.address, o.dir, &node);
	if (rv != 0) {
		fprintf(stderr, "dqlite-test-node: create failed (rv=%d): %s\n",
			rv, errmsg(node)[0] != '\0' ? errmsg(node)
						    : "(no message: bad --dir?)");
		if (node != NULL)
			dqlite_node_destroy(node);
		return EXIT_START;
	}
	rv = dqlite_node_set_bind_address(node, o.address);
	if (rv != 0) {
		const char *m = errmsg(node);

		fprintf(stderr, "dqlite-test-node: bind %s failed (rv=%d): %s\n",
			o.address, rv, m[0] != '\0' ? m : hint(rv));
		dqlite_node_destroy(node);
		return rv == 1 && m[0] == '\0' ? EXIT_PORT_IN_USE : EXIT_START;
	}
	if (o.latency_ms > 0) {
		rv = dqlite_node_set_network_latency_ms(node, (unsigned)o.latency_ms);
		if (rv != 0) {
			fprintf(stderr, "dqlite-test-node: latency failed (rv=%d): %s\n",
				rv, errmsg(node));
			dqlite_node_destroy(node);
			return EXIT_START;
		}
	}
	rv = dqlite_node_start(node);
	if (rv != 0) {
		const char *m = errmsg(node);

		fprintf(stderr, "dqlite-test-node: start failed (rv=%d): %s\n",
			rv, m[0] != '\0' ? m : hint(rv));
		dqlite_node_destroy(node);
		return rv == 1 && m[0] == '\0' ? EXIT_PORT_IN_USE : EXIT_START;
	}

	printf("ready\n");
	fflush(stdout);

	for (;;) {
		rv = sigwait(&set, &sig);
		if (rv == 0)
			break;
		if (rv != EINTR) {
			fprintf(stderr, "dqlite-test-node: sigwait: %s\n", strerror(rv));
			break;
		}
	}

	rv = dqlite_node_stop(node);
	if (rv != 0)
		fprintf(stderr, "dqlite-test-node: stop failed (rv=%d): %s\n", rv,
			errmsg(node));
	dqlite_node_destroy(node);
	return 0;
}
