/*
 * probe.c -- a LEADER request spoken by hand over a plain socket.
 *
 * The harness uses it to find the leader without going through the engine,
 * so fixtures for engine tests do not depend on the code under test (and
 * work before the engine does). Only LEADER is ever sent: it is read-only
 * and answered by every server version.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dqt_internal.h"

/* Request/response type codes of the dqlite wire protocol. */
#define PROBE_REQ_LEADER 0
#define PROBE_RESP_FAILURE 0
#define PROBE_RESP_SERVER 1
#define PROBE_MAX_BODY 4096

static void put_u64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static int parse_ipv4(const char *address, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(address, ':');
	size_t hl;
	long port;
	char *end;

	if (colon == NULL)
		return -1;
	hl = (size_t)(colon - address);
	if (hl == 0 || hl >= sizeof host)
		return -1;
	memcpy(host, address, hl);
	host[hl] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port <= 0 || port > 65535)
		return -1;
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

/* Waits for events on fd until the deadline. Returns 1 ready, 0 timeout,
 * -1 error. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - dqti_now_ms();
		struct pollfd p = { .fd = fd, .events = events };
		int r;

		if (left <= 0)
			return 0;
		r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		return 1;
	}
}

static int send_all(int fd, const uint8_t *p, size_t n, int64_t deadline)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLOUT, deadline) != 1)
				return -1;
			continue;
		}
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int recv_all(int fd, uint8_t *p, size_t n, int64_t deadline)
{
	while (n > 0) {
		ssize_t r = recv(fd, p, n, 0);

		if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLIN, deadline) != 1)
				return -1;
			continue;
		}
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int connect_nb(const struct sockaddr_in *sa, int64_t deadline)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int err = 0;
	socklen_t len = sizeof err;

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) == 0)
		return fd;
	if (errno != EINPROGRESS ||
	    wait_fd(fd, POLLOUT, deadline) != 1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int dqt_raw_leader(const char *address, unsigned timeout_ms, uint64_t *id,
		   char *leader, size_t leader_size)
{
	int64_t deadline = dqti_now_ms() + timeout_ms;
	struct sockaddr_in sa;
	uint8_t req[24];
	uint8_t hdr[8];
	uint8_t *body = NULL;
	size_t body_len;
	int fd, rv = -1;

	if (address == NULL || id == NULL || leader == NULL || leader_size == 0 ||
	    parse_ipv4(address, &sa) != 0)
		return -1;
	fd = connect_nb(&sa, deadline);
	if (fd < 0)
		return -1;

	/* Protocol version 1, then header (1 word, LEADER, schema 0) and an
	 * unused u64 body. */
	put_u64(req, 1);
	memset(req + 8, 0, 16);
	req[8] = 1;
	req[12] = PROBE_REQ_LEADER;
	if (send_all(fd, req, sizeof req, deadline) != 0 ||
	    recv_all(fd, hdr, sizeof hdr, deadline) != 0)
		goto out;
	body_len = (size_t)(hdr[0] | hdr[1] << 8 | hdr[2] << 16 |
			    (uint32_t)hdr[3] << 24) * 8;
	if (hdr[4] != PROBE_RESP_SERVER || body_len < 16 ||
	    body_len > PROBE_MAX_BODY)
		goto out;
	body = malloc(body_len);
	if (body == NULL || recv_all(fd, body, body_len, deadline) != 0)
		goto out;
	/* u64 id, then NUL-terminated text padded to 8. */
	if (memchr(body + 8, '\0', body_len - 8) == NULL)
		goto out;
	*id = get_u64(body);
	if (strlen((const char *)body + 8) >= leader_size)
		goto out;
	strcpy(leader, (const char *)body + 8);
	rv = 0;
out:
	free(body);
	close(fd);
	return rv;
}

/* ------------------------------------------------------------------------
 * dqt_raw_prepare_tail: OPEN + PREPARE (schema 1) spoken by hand, so tests
 * can decide version-dependent behaviour by asking the server itself rather
 * than the engine under test.
 */
#define PROBE_REQ_OPEN 3
#define PROBE_REQ_PREPARE 4
#define PROBE_RESP_DB 4
#define PROBE_RESP_STMT 5

/* Appends NUL-terminated text padded to 8 bytes at buf + *off. */
static int put_text(uint8_t *buf, size_t cap, size_t *off, const char *s)
{
	size_t n = strlen(s) + 1, padded = (n + 7) / 8 * 8;

	if (*off + padded > cap)
		return -1;
	memset(buf + *off, 0, padded);
	memcpy(buf + *off, s, n);
	*off += padded;
	return 0;
}

/* Sends one message (header + body) and reads the reply's header and body
 * (malloc'd into *body). Returns 0 or -1. */
static int raw_roundtrip(int fd, uint8_t type, uint8_t schema, const uint8_t *req,
			 size_t req_len, int64_t deadline, uint8_t *rtype,
			 uint8_t *rschema, uint8_t **body, size_t *body_len)
{
	uint8_t hdr[8] = {0};
	uint32_t words = (uint32_t)(req_len / 8);

	hdr[0] = (uint8_t)words;
	hdr[1] = (uint8_t)(words >> 8);
	hdr[2] = (uint8_t)(words >> 16);
	hdr[3] = (uint8_t)(words >> 24);
	hdr[4] = type;
	hdr[5] = schema;
	*body = NULL;
	if (send_all(fd, hdr, sizeof hdr, deadline) != 0 ||
	    send_all(fd, req, req_len, deadline) != 0 ||
	    recv_all(fd, hdr, sizeof hdr, deadline) != 0)
		return -1;
	*rtype = hdr[4];
	*rschema = hdr[5];
	*body_len = (size_t)(hdr[0] | hdr[1] << 8 | hdr[2] << 16 |
			     (uint32_t)hdr[3] << 24) * 8;
	if (*body_len > PROBE_MAX_BODY)
		return -1;
	*body = malloc(*body_len ? *body_len : 1);
	if (*body == NULL || recv_all(fd, *body, *body_len, deadline) != 0) {
		free(*body);
		*body = NULL;
		return -1;
	}
	return 0;
}

int dqt_raw_prepare_tail(const char *address, const char *db,
			 unsigned timeout_ms, int *supported)
{
	int64_t deadline = dqti_now_ms() + timeout_ms;
	struct sockaddr_in sa;
	uint8_t req[512], proto[8], rtype, rschema;
	uint8_t *body = NULL;
	size_t off = 0, body_len;
	uint32_t db_id;
	int fd, rv = -1;

	if (address == NULL || db == NULL || supported == NULL ||
	    parse_ipv4(address, &sa) != 0)
		return -1;
	fd = connect_nb(&sa, deadline);
	if (fd < 0)
		return -1;
	put_u64(proto, 1); /* protocol version 1 */
	if (send_all(fd, proto, sizeof proto, deadline) != 0)
		goto out;

	/* OPEN: text name, u64 flags, text vfs -> DB: u32 id, u32 pad */
	if (put_text(req, sizeof req, &off, db) != 0)
		goto out;
	put_u64(req + off, 0);
	off += 8;
	if (put_text(req, sizeof req, &off, "volatile") != 0 ||
	    raw_roundtrip(fd, PROBE_REQ_OPEN, 0, req, off, deadline, &rtype,
			  &rschema, &body, &body_len) != 0 ||
	    rtype != PROBE_RESP_DB || body_len != 8)
		goto out;
	db_id = (uint32_t)get_u64(body);
	free(body);
	body = NULL;

	/* PREPARE with schema 1: u64 db id, text sql. A server >= 1.15 answers
	 * with a schema-1 STMT (u32 db, u32 id, u64 params, u64 tail offset);
	 * older ones ignore the schema byte and send the 16-byte schema-0 STMT. */
	off = 0;
	put_u64(req, db_id);
	off = 8;
	if (put_text(req, sizeof req, &off, "SELECT 1") != 0 ||
	    raw_roundtrip(fd, PROBE_REQ_PREPARE, 1, req, off, deadline, &rtype,
			  &rschema, &body, &body_len) != 0 ||
	    rtype != PROBE_RESP_STMT)
		goto out;
	if (rschema == 1 && body_len == 24) {
		*supported = 1;
		rv = 0;
	} else if (rschema == 0 && body_len == 16) {
		*supported = 0;
		rv = 0;
	}
	/* Closing the connection finalizes the statement server-side. */
out:
	free(body);
	close(fd);
	return rv;
}
