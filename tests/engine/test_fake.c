/*
 * test_fake.c -- the scripted fake dqlite server (tests/harness/dqfake.h).
 *
 * Two kinds of tests:
 *  - engine_*: the engine's PUBLIC API against the fake's default replies,
 *    to show a real client connects and queries through it. They never
 *    depend on how many requests (or which) the engine sends while
 *    connecting: handlers match on SQL text, never on request order.
 *  - raw_*: each fault primitive of the fixture, observed on a plain socket
 *    (no engine): truncated frame, stall mid-frame, garbage, wrong reply
 *    type, endless empty ROWS pages, close mid-result, RST, delayed reply,
 *    silent listener, bounded stop.
 * Fault behaviour of the engine itself is tested elsewhere.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dqfake.h"
#include "dqtest.h"

static dqt_fake f;

static void teardown(void)
{
	dqt_fake_stop(&f);
	cr_assert_eq(dqt_leak_check(), 0, "memory leaked");
}

TestSuite(fake, .fini = teardown, .timeout = 60);

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int sql_is(const dqt_fake_req *req, const char *sql)
{
	const char *s = dqt_fake_req_sql(req);

	return s != NULL && strcmp(s, sql) == 0;
}

/* ================================================================ engine */

static dqc_conn *engine_connect(unsigned connect_timeout_ms, unsigned timeout_ms,
				int *rc)
{
	const char *addr[1] = { f.address };
	struct dqc_config cfg = { .addresses = addr, .n_addresses = 1,
				  .connect_timeout_ms = connect_timeout_ms,
				  .timeout_ms = timeout_ms };
	dqc_conn *c = dqc_conn_new();

	cr_assert_not_null(c);
	*rc = dqc_connect(c, &cfg);
	return c;
}

/* Every connection the engine opened was closed by it. */
static void assert_engine_closed_all(void)
{
	unsigned n = dqt_fake_connections(&f);

	cr_assert_geq(n, 1);
	cr_assert_eq(dqt_fake_wait(&f, DQT_FAKE_COUNT_CLIENT_CLOSED, n, 3000), 0,
		     "%u connections, %u closed by the client", n,
		     dqt_fake_client_closed(&f));
}

static void expect_one_row(dqc_conn *c, const char *sql)
{
	dqc_rows *rows = NULL;
	const dqc_value *cells;

	cr_assert_eq(dqc_query_sql(c, sql, NULL, 0, &rows), 0, "%s", dqc_errmsg(c));
	cr_assert_eq(dqc_rows_column_count(rows), 1);
	cr_assert_str_eq(dqc_rows_column_name(rows, 0), "x");
	cr_assert_eq(dqc_rows_next(rows, &cells), 1, "%s", dqc_errmsg(c));
	cr_assert_eq(cells[0].type, DQC_INTEGER);
	cr_assert_eq(cells[0].v.integer, 1);
	cr_assert_eq(dqc_rows_next(rows, &cells), 0, "%s", dqc_errmsg(c));
	dqc_rows_close(rows);
}

Test(fake, engine_default_query)
{
	dqc_conn *c;
	int rc;

	cr_assert_eq(dqt_fake_start(&f, NULL, NULL), 0);
	c = engine_connect(2000, 5000, &rc);
	cr_assert_eq(rc, 0, "connect: %s", dqc_errmsg(c));
	cr_assert_eq(dqc_open(c, "fake-db"), 0, "open: %s", dqc_errmsg(c));
	expect_one_row(c, "SELECT anything");
	cr_assert_eq(dqc_exec_sql(c, "CREATE TABLE t (x)", NULL, 0, NULL), 0, "%s",
		     dqc_errmsg(c));
	cr_assert_geq(dqt_fake_requests(&f, DQT_FAKE_REQ_LEADER), 1);
	cr_assert_geq(dqt_fake_requests(&f, DQT_FAKE_REQ_OPEN), 1);
	cr_assert_geq(dqt_fake_requests(&f, DQT_FAKE_REQ_QUERY_SQL), 1);
	cr_assert_geq(dqt_fake_requests(&f, DQT_FAKE_REQ_EXEC_SQL), 1);
	dqc_conn_free(c);
	assert_engine_closed_all();
}

static int fail_boom(dqt_fake_conn *fc, const dqt_fake_req *req, void *arg)
{
	(void)arg;
	if (req->type == DQT_FAKE_REQ_QUERY_SQL && sql_is(req, "SELECT boom")) {
		dqt_fake_send_failure(fc, 1, "fake: boom");
		return DQT_FAKE_HANDLED;
	}
	return DQT_FAKE_DEFAULT;
}

Test(fake, engine_server_failure)
{
	dqc_rows *rows = NULL;
	dqc_conn *c;
	int rc;

	cr_assert_eq(dqt_fake_start(&f, fail_boom, NULL), 0);
	c = engine_connect(2000, 5000, &rc);
	cr_assert_eq(rc, 0, "connect: %s", dqc_errmsg(c));
	cr_assert_eq(dqc_open(c, "fake-db"), 0, "open: %s", dqc_errmsg(c));
	rc = dqc_query_sql(c, "SELECT boom", NULL, 0, &rows);
	cr_assert_eq(rc, DQC_ESERVER, "rc %s: %s", dqc_strerror(rc), dqc_errmsg(c));
	cr_assert_null(rows);
	cr_assert_eq(dqc_server_code(c), 1);
	cr_assert_not_null(strstr(dqc_errmsg(c), "fake: boom"), "errmsg: %s",
			   dqc_errmsg(c));
	/* A FAILURE is an ordinary reply: the link stays usable. */
	expect_one_row(c, "SELECT after");
	dqc_conn_free(c);
	assert_engine_closed_all();
}

Test(fake, engine_silent_listener_connect_timeout)
{
	const unsigned timeout = 300;
	int64_t t0, elapsed;
	dqc_conn *c;
	int rc;

	cr_assert_eq(dqt_fake_start_silent(&f), 0);
	t0 = now_ms();
	c = engine_connect(timeout, timeout, &rc);
	elapsed = now_ms() - t0;
	cr_assert_lt(rc, 0, "connected to a silent listener");
	cr_assert_geq(elapsed, timeout - 50, "gave up after %lld ms",
		      (long long)elapsed);
	/* Only "fails, and not forever" is asserted here: how far past its
	 * connect timeout the engine may go (e.g. an INTERRUPT + resync wait
	 * after the unanswered LEADER) is for the engine's own tests. */
	cr_assert_leq(elapsed, 8 * timeout + 5000, "took %lld ms", (long long)elapsed);
	cr_assert_eq(dqt_fake_requests(&f, -1), 0);
	dqc_conn_free(c);
	assert_engine_closed_all();
}

/* ============================================================ raw client */

static int raw_connect(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)f.port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;

	cr_assert_geq(fd, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0, "%s",
		     strerror(errno));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static void raw_send(int fd, const void *p, size_t n)
{
	cr_assert_eq(send(fd, p, n, MSG_NOSIGNAL), (ssize_t)n);
}

static void raw_handshake(int fd)
{
	dqt_fake_buf b = { 0 };

	dqt_fake_put_u64(&b, 1);
	raw_send(fd, b.data, b.len);
	dqt_fake_buf_free(&b);
}

static void raw_request(int fd, uint8_t type, uint8_t schema, const void *body,
			size_t len)
{
	dqt_fake_buf b = { 0 };

	dqt_fake_put_frame(&b, type, schema, body, len);
	cr_assert(!b.failed);
	raw_send(fd, b.data, b.len);
	dqt_fake_buf_free(&b);
}

/* u64 db 0, then the SQL text: PREPARE / EXEC_SQL / QUERY_SQL. */
static void raw_sql(int fd, uint8_t type, uint8_t schema, const char *sql)
{
	dqt_fake_buf b = { 0 };

	dqt_fake_put_u64(&b, 0);
	dqt_fake_put_text(&b, sql);
	raw_request(fd, type, schema, b.data, b.len);
	dqt_fake_buf_free(&b);
}

static void raw_u64_request(int fd, uint8_t type, uint8_t schema, uint64_t v)
{
	dqt_fake_buf b = { 0 };

	dqt_fake_put_u64(&b, v);
	raw_request(fd, type, schema, b.data, b.len);
	dqt_fake_buf_free(&b);
}

enum { RAW_EOF = -1, RAW_TIMEOUT = -2, RAW_ERR = -3 };

/* Reads up to n bytes, waiting at most timeout_ms in total. Returns the
 * number read when n arrived, else RAW_EOF / RAW_TIMEOUT / RAW_ERR (errno
 * kept); *got (if not NULL) receives the count read in every case. */
static int raw_read(int fd, void *buf, size_t n, int timeout_ms, size_t *got)
{
	int64_t deadline = now_ms() + timeout_ms;
	uint8_t *p = buf;
	size_t done = 0;
	int rv = (int)n;

	while (done < n) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - now_ms();
		ssize_t r;

		if (left <= 0 || poll(&pf, 1, (int)left) == 0) {
			rv = RAW_TIMEOUT;
			break;
		}
		r = recv(fd, p + done, n - done, 0);
		if (r == 0) {
			rv = RAW_EOF;
			break;
		}
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rv = RAW_ERR;
			break;
		}
		done += (size_t)r;
	}
	if (got != NULL)
		*got = done;
	return rv;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

typedef struct raw_frame {
	uint8_t type, schema;
	size_t len;
	uint8_t body[8192];
} raw_frame;

static void raw_frame_read(int fd, raw_frame *fr)
{
	uint8_t h[8];

	cr_assert_eq(raw_read(fd, h, 8, 3000, NULL), 8, "no frame header");
	fr->len = (size_t)le32(h) * 8;
	fr->type = h[4];
	fr->schema = h[5];
	cr_assert_eq(h[6] | h[7], 0);
	cr_assert_leq(fr->len, sizeof fr->body);
	cr_assert_eq(raw_read(fd, fr->body, fr->len, 3000, NULL), (int)fr->len,
		     "short frame body");
}

/* The default ROWS page: column "x", one INTEGER row 1, done. */
static const uint8_t default_rows[40] = {
	1, 0, 0, 0, 0, 0, 0, 0,                         /* 1 column */
	'x', 0, 0, 0, 0, 0, 0, 0,                       /* "x" */
	1, 0, 0, 0, 0, 0, 0, 0,                         /* row header: INTEGER */
	1, 0, 0, 0, 0, 0, 0, 0,                         /* 1 */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* done */
};

/* The client closes first; the fake reports it. */
static void raw_close_and_expect_seen(int fd, unsigned closed_before)
{
	close(fd);
	cr_assert_eq(dqt_fake_wait(&f, DQT_FAKE_COUNT_CLIENT_CLOSED,
				   closed_before + 1, 3000),
		     0, "the fake did not see the client close");
}

/* ============================================================ raw tests */

Test(fake, raw_default_replies)
{
	raw_frame fr;
	dqt_fake_buf b = { 0 };
	int fd;

	cr_assert_eq(dqt_fake_start(&f, NULL, NULL), 0);
	cr_assert_eq(strncmp(f.address, "127.0.0.1:", 10), 0);
	fd = raw_connect();
	raw_handshake(fd);

	raw_u64_request(fd, DQT_FAKE_REQ_LEADER, 0, 0);
	raw_frame_read(fd, &fr);
	cr_assert_eq(fr.type, DQT_FAKE_RESP_SERVER);
	cr_assert_eq(le64(fr.body), 1);
	cr_assert_str_eq((const char *)fr.body + 8, f.address);

	dqt_fake_put_text(&b, "db");
	dqt_fake_put_u64(&b, 0);
	dqt_fake_put_text(&b, "volatile");
	raw_request(fd, DQT_FAKE_REQ_OPEN, 0, b.data, b.len);
	dqt_fake_buf_free(&b);
	raw_frame_read(fd, &fr);
	cr_assert_eq(fr.type, DQT_FAKE_RESP_DB);
	cr_assert_eq(fr.len, 8);
	cr_assert_eq(le32(fr.body), 0);

	/* A schema-1 PREPARE gets an old server's schema-0, 16-byte STMT. */
	dqt_fake_put_u64(&b, 0);
	dqt_fake_put_text(&b, "SELECT 1");
	raw_request(fd, DQT_FAKE_REQ_PREPARE, 1, b.data, b.len);
	raw_request(fd, DQT_FAKE_REQ_PREPARE, 0, b.data, b.len);
	dqt_fake_buf_free(&b);
	for (uint32_t id = 0; id < 2; id++) {
		raw_frame_read(fd, &fr);
		cr_assert_eq(fr.type, DQT_FAKE_RESP_STMT);
		cr_assert_eq(fr.schema, 0);
		cr_assert_eq(fr.len, 16);
		cr_assert_eq(le32(fr.body + 4), id, "statement ids count up");
		cr_assert_eq(le64(fr.body + 8), 0);
	}

	raw_u64_request(fd, DQT_FAKE_REQ_FINALIZE, 0, 0);
	raw_frame_read(fd, &fr);
	cr_assert_eq(fr.type, DQT_FAKE_RESP_EMPTY);
	cr_assert_eq(fr.len, 8);
	cr_assert_eq(le64(fr.body), 0);

	raw_u64_request(fd, DQT_FAKE_REQ_EXEC, 0, 0);
	raw_sql(fd, DQT_FAKE_REQ_EXEC_SQL, 0, "CREATE TABLE t (x)");
	for (int i = 0; i < 2; i++) {
		raw_frame_read(fd, &fr);
		cr_assert_eq(fr.type, DQT_FAKE_RESP_RESULT);
		cr_assert_eq(fr.len, 16);
		cr_assert_eq(le64(fr.body) | le64(fr.body + 8), 0);
	}

	raw_u64_request(fd, DQT_FAKE_REQ_QUERY, 0, 0);
	raw_sql(fd, DQT_FAKE_REQ_QUERY_SQL, 0, "SELECT 1");
	for (int i = 0; i < 2; i++) {
		raw_frame_read(fd, &fr);
		cr_assert_eq(fr.type, DQT_FAKE_RESP_ROWS);
		cr_assert_eq(fr.len, sizeof default_rows);
		cr_assert_eq(memcmp(fr.body, default_rows, sizeof default_rows), 0);
	}

	raw_u64_request(fd, DQT_FAKE_REQ_INTERRUPT, 0, 0);
	raw_frame_read(fd, &fr);
	cr_assert_eq(fr.type, DQT_FAKE_RESP_EMPTY);

	raw_u64_request(fd, DQT_FAKE_REQ_CLUSTER, 0, 1);
	raw_frame_read(fd, &fr);
	cr_assert_eq(fr.type, DQT_FAKE_RESP_FAILURE);
	cr_assert_eq(le64(fr.body), 1);
	cr_assert_str_eq((const char *)fr.body + 8, "fake: unsupported request");

	cr_assert_eq(dqt_fake_connections(&f), 1);
	cr_assert_eq(dqt_fake_requests(&f, -1), 11);
	cr_assert_eq(dqt_fake_requests(&f, DQT_FAKE_REQ_PREPARE), 2);
	cr_assert_eq(dqt_fake_requests(&f, DQT_FAKE_REQ_INTERRUPT), 1);
	cr_assert_eq(dqt_fake_requests(&f, DQT_FAKE_REQ_CLUSTER), 1);
	cr_assert_eq(dqt_fake_client_closed(&f), 0);
	raw_close_and_expect_seen(fd, 0);
}

Test(fake, raw_bad_handshake_is_closed)
{
	dqt_fake_buf b = { 0 };
	uint8_t x[8];
	int fd;

	cr_assert_eq(dqt_fake_start(&f, NULL, NULL), 0);
	fd = raw_connect();
	dqt_fake_put_u64(&b, 2);
	raw_send(fd, b.data, b.len);
	dqt_fake_buf_free(&b);
	cr_assert_eq(raw_read(fd, x, sizeof x, 3000, NULL), RAW_EOF);
	close(fd);
	cr_assert_eq(dqt_fake_client_closed(&f), 0);
}

/* ---- one handler for the fault scripts, chosen by the QUERY_SQL text */

static atomic_uint endless_pages;

static int faults(dqt_fake_conn *fc, const dqt_fake_req *req, void *arg)
{
	static const char *const names[] = { "x" };
	dqt_fake_buf b = { 0 };
	dqt_fake_value one = DQT_FAKE_INT(1);

	(void)arg;
	if (req->type != DQT_FAKE_REQ_QUERY_SQL)
		return DQT_FAKE_DEFAULT;
	if (sql_is(req, "truncated")) {
		/* A ROWS frame that announces 40 bytes; 12 arrive, then FIN. */
		dqt_fake_put_frame(&b, DQT_FAKE_RESP_ROWS, 0, default_rows,
				   sizeof default_rows);
		dqt_fake_send_raw(fc, b.data, 8 + 12);
		dqt_fake_buf_free(&b);
		return DQT_FAKE_CLOSE;
	}
	if (sql_is(req, "stall")) {
		/* Header + 8 of 40 body bytes, then silence (reading nothing). */
		dqt_fake_put_frame(&b, DQT_FAKE_RESP_ROWS, 0, default_rows,
				   sizeof default_rows);
		dqt_fake_send_raw(fc, b.data, 16);
		dqt_fake_buf_free(&b);
		dqt_fake_stall(fc);
		return DQT_FAKE_HANDLED;
	}
	if (sql_is(req, "garbage")) {
		uint8_t g[16];

		memset(g, 0xAB, sizeof g);
		dqt_fake_send_raw(fc, g, sizeof g);
		return DQT_FAKE_HANDLED;
	}
	if (sql_is(req, "wrong type")) {
		dqt_fake_put_u64(&b, 7);
		dqt_fake_put_u64(&b, 9);
		dqt_fake_send(fc, DQT_FAKE_RESP_RESULT, 0, b.data, b.len);
		dqt_fake_buf_free(&b);
		return DQT_FAKE_HANDLED;
	}
	if (sql_is(req, "endless")) {
		/* What a real server does with a 4 KiB column-name header:
		 * "more" pages with no row, forever, until the client leaves. */
		dqt_fake_put_rows_columns(&b, 1, names);
		dqt_fake_put_rows_end(&b, 1);
		while (dqt_fake_send(fc, DQT_FAKE_RESP_ROWS, 0, b.data, b.len) == 0)
			atomic_fetch_add(&endless_pages, 1);
		dqt_fake_buf_free(&b);
		return DQT_FAKE_HANDLED;
	}
	if (sql_is(req, "cut")) {
		/* One page of a longer result, then the link goes away. */
		dqt_fake_put_rows_columns(&b, 1, names);
		dqt_fake_put_row(&b, 1, &one);
		dqt_fake_put_rows_end(&b, 1);
		dqt_fake_send(fc, DQT_FAKE_RESP_ROWS, 0, b.data, b.len);
		dqt_fake_buf_free(&b);
		return DQT_FAKE_CLOSE;
	}
	if (sql_is(req, "reset"))
		return DQT_FAKE_RESET;
	if (sql_is(req, "slow"))
		return dqt_fake_sleep(fc, 300) == 0 ? DQT_FAKE_DEFAULT
						    : DQT_FAKE_HANDLED;
	if (sql_is(req, "sleep long")) {
		dqt_fake_sleep(fc, 60000);
		return DQT_FAKE_HANDLED;
	}
	if (sql_is(req, "ignore"))
		return DQT_FAKE_HANDLED; /* no reply at all */
	return DQT_FAKE_DEFAULT;
}

static int faults_client(void)
{
	int fd;

	if (f.impl == NULL)
		cr_assert_eq(dqt_fake_start(&f, faults, NULL), 0);
	fd = raw_connect();
	raw_handshake(fd);
	return fd;
}

Test(fake, raw_truncated_frame)
{
	uint8_t buf[48];
	size_t got;
	int fd = faults_client();

	raw_sql(fd, DQT_FAKE_REQ_QUERY_SQL, 0, "truncated");
	cr_assert_eq(raw_read(fd, buf, 8, 3000, NULL), 8);
	cr_assert_eq(le32(buf), 5, "the header announces 40 bytes");
	cr_assert_eq(raw_read(fd, buf, 40, 3000, &got), RAW_EOF);
	cr_assert_eq(got, 12);
	close(fd);
	cr_assert_eq(dqt_fake_client_closed(&f), 0, "the fake closed first");
}

Test(fake, raw_stall_mid_frame_then_interrupt_and_close)
{
	uint8_t buf[40];
	size_t got;
	int fd = faults_client();

	raw_sql(fd, DQT_FAKE_REQ_QUERY_SQL, 0, "stall");
	cr_assert_eq(raw_read(fd, buf, 8, 3000, NULL), 8);
	cr_assert_eq(le32(buf), 5);
	cr_assert_eq(raw_read(fd, buf, 40, 400, &got), RAW_TIMEOUT);
	cr_assert_eq(got, 8, "8 body bytes, then the stall");
	/* The client gives up: INTERRUPT, then hang up. Both are recorded,
	 * the INTERRUPT before the close is reported. */
	raw_u64_request(fd, DQT_FAKE_REQ_INTERRUPT, 0, 0);
	raw_close_and_expect_seen(fd, 0);
	cr_assert_eq(dqt_fake_requests(&f, DQT_FAKE_REQ_INTERRUPT), 1);
	cr_assert_eq(dqt_fake_requests(&f, DQT_FAKE_REQ_QUERY_SQL), 1);
}

Test(fake, raw_garbage_and_wrong_type)
{
	raw_frame fr;
	uint8_t g[16];
	int fd = faults_client();

	raw_sql(fd, DQT_FAKE_REQ_QUERY_SQL, 0, "garbage");
	cr_assert_eq(raw_read(fd, g, sizeof g, 3000, NULL), (int)sizeof g);
	for (size_t i = 0; i < sizeof g; i++)
		cr_assert_eq(g[i], 0xAB);
	raw_close_and_expect_seen(fd, 0);

	fd = faults_client();
	raw_sql(fd, DQT_FAKE_REQ_QUERY_SQL, 0, "wrong type");
	raw_frame_read(fd, &fr);
	cr_assert_eq(fr.type, DQT_FAKE_RESP_RESULT, "RESULT in reply to a query");
	cr_assert_eq(le64(fr.body), 7);
	cr_assert_eq(le64(fr.body + 8), 9);
	/* The connection carries on with defaults afterwards. */
	raw_sql(fd, DQT_FAKE_REQ_QUERY_SQL, 0, "SELECT 1");
	raw_frame_read(fd, &fr);
	cr_assert_eq(fr.type, DQT_FAKE_RESP_ROWS);
	raw_close_and_expect_seen(fd, 1);
	cr_assert_eq(dqt_fake_connections(&f), 2);
}

Test(fake, raw_endless_empty_pages)
{
	static const uint8_t page[24] = {
		1, 0, 0, 0, 0, 0, 0, 0, 'x', 0, 0, 0, 0, 0, 0, 0,
		0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee,
	};
	raw_frame fr;
	int fd = faults_client();

	raw_sql(fd, DQT_FAKE_REQ_QUERY_SQL, 0, "endless");
	for (int i = 0; i < 2000; i++) {
		raw_frame_read(fd, &fr);
		cr_assert_eq(fr.type, DQT_FAKE_RESP_ROWS);
		cr_assert_eq(fr.len, sizeof page);
		cr_assert_eq(memcmp(fr.body, page, sizeof page), 0);
	}
	/* Only the client's close ends it (the send fails on the RST). */
	raw_close_and_expect_seen(fd, 0);
	cr_assert_geq(atomic_load(&endless_pages), 2000);
}

Test(fake, raw_close_mid_result)
{
	raw_frame fr;
	uint8_t x[8];
	int fd = faults_client();

	raw_sql(fd, DQT_FAKE_REQ_QUERY_SQL, 0, "cut");
	raw_frame_read(fd, &fr);
	cr_assert_eq(fr.type, DQT_FAKE_RESP_ROWS);
	cr_assert_eq(fr.len, 40);
	cr_assert_eq(fr.body[32], 0xee, "a 'more' page");
	cr_assert_eq(raw_read(fd, x, sizeof x, 3000, NULL), RAW_EOF);
	close(fd);
	cr_assert_eq(dqt_fake_client_closed(&f), 0);
}

Test(fake, raw_reset)
{
	uint8_t x[8];
	int fd = faults_client();

	raw_sql(fd, DQT_FAKE_REQ_QUERY_SQL, 0, "reset");
	cr_assert_eq(raw_read(fd, x, sizeof x, 3000, NULL), RAW_ERR);
	cr_assert_eq(errno, ECONNRESET, "%s", strerror(errno));
	close(fd);
}

Test(fake, raw_sleep_then_default)
{
	raw_frame fr;
	int64_t t0;
	int fd = faults_client();

	t0 = now_ms();
	raw_sql(fd, DQT_FAKE_REQ_QUERY_SQL, 0, "slow");
	raw_frame_read(fd, &fr);
	cr_assert_geq(now_ms() - t0, 280);
	cr_assert_eq(fr.type, DQT_FAKE_RESP_ROWS);
	close(fd);
}

Test(fake, raw_unanswered_request_then_more)
{
	raw_frame fr;
	uint8_t x[8];
	int fd = faults_client();

	/* HANDLED without a reply: the next request is still read. */
	raw_sql(fd, DQT_FAKE_REQ_QUERY_SQL, 0, "ignore");
	cr_assert_eq(raw_read(fd, x, sizeof x, 300, NULL), RAW_TIMEOUT);
	raw_u64_request(fd, DQT_FAKE_REQ_INTERRUPT, 0, 0);
	raw_frame_read(fd, &fr);
	cr_assert_eq(fr.type, DQT_FAKE_RESP_EMPTY);
	raw_close_and_expect_seen(fd, 0);
}

Test(fake, raw_silent_listener)
{
	uint8_t x[8];
	int fd;

	cr_assert_eq(dqt_fake_start_silent(&f), 0);
	fd = raw_connect();
	raw_handshake(fd);
	raw_u64_request(fd, DQT_FAKE_REQ_LEADER, 0, 0);
	cr_assert_eq(raw_read(fd, x, sizeof x, 400, NULL), RAW_TIMEOUT);
	cr_assert_eq(dqt_fake_wait(&f, DQT_FAKE_COUNT_CONNECTIONS, 1, 1000), 0);
	cr_assert_eq(dqt_fake_requests(&f, -1), 0, "nothing is read");
	raw_close_and_expect_seen(fd, 0);
}

Test(fake, stop_is_bounded)
{
	int fds[4];
	uint8_t x[8];
	int64_t t0, elapsed;

	fds[0] = faults_client();
	raw_sql(fds[0], DQT_FAKE_REQ_QUERY_SQL, 0, "stall");
	fds[1] = faults_client();
	raw_sql(fds[1], DQT_FAKE_REQ_QUERY_SQL, 0, "sleep long");
	fds[2] = faults_client();
	raw_send(fds[2], "\x02\x00", 2); /* half a header */
	fds[3] = faults_client();
	raw_sql(fds[3], DQT_FAKE_REQ_QUERY_SQL, 0, "endless"); /* never read */
	cr_assert_eq(dqt_fake_wait(&f, DQT_FAKE_REQ_QUERY_SQL, 3, 3000), 0);
	t0 = now_ms();
	dqt_fake_stop(&f);
	elapsed = now_ms() - t0;
	cr_assert_lt(elapsed, 1100, "stop took %lld ms", (long long)elapsed);
	cr_assert_null(f.impl);
	for (int i = 0; i < 4; i++) {
		int r = raw_read(fds[i], x, sizeof x, 2000, NULL);

		/* Everything was closed: EOF, or RST where data was unread. */
		cr_assert(r == RAW_EOF || r == RAW_ERR || r == (int)sizeof x,
			  "connection %d: %d", i, r);
		close(fds[i]);
	}
	dqt_fake_stop(&f); /* twice is fine */
}

/* ================================================================ builder */

Test(fake, rows_builder_layout)
{
	static const char *const names[] = { "a", "bb", "c" };
	dqt_fake_value cells[3] = { DQT_FAKE_INT(-2), DQT_FAKE_STR("hello, world"),
				    DQT_FAKE_BLOBV("\x01\x02\x03", 3) };
	dqt_fake_value many[17];
	dqt_fake_buf b = { 0 };
	size_t off = 0;

	dqt_fake_put_rows_columns(&b, 3, names);
	dqt_fake_put_row(&b, 3, cells);
	dqt_fake_put_rows_end(&b, 0);
	cr_assert(!b.failed);
	cr_assert_eq(le64(b.data), 3);
	off = 8;
	cr_assert_str_eq((const char *)b.data + off, "a");
	off += 8;
	cr_assert_str_eq((const char *)b.data + off, "bb");
	off += 8;
	cr_assert_str_eq((const char *)b.data + off, "c");
	off += 8;
	/* Row header: INTEGER low nibble, TEXT high nibble, then BLOB. */
	cr_assert_eq(b.data[off], 0x31);
	cr_assert_eq(b.data[off + 1], 0x04);
	off += 8;
	cr_assert_eq((int64_t)le64(b.data + off), -2);
	off += 8;
	cr_assert_str_eq((const char *)b.data + off, "hello, world");
	off += 16;
	cr_assert_eq(le64(b.data + off), 3);
	cr_assert_eq(memcmp(b.data + off + 8, "\x01\x02\x03\0\0\0\0\0", 8), 0);
	off += 16;
	for (int i = 0; i < 8; i++)
		cr_assert_eq(b.data[off + i], 0xff);
	cr_assert_eq(b.len, off + 8);

	/* 17 columns: a 9-byte header padded to 16. */
	dqt_fake_buf_reset(&b);
	for (int i = 0; i < 17; i++)
		many[i] = DQT_FAKE_NULLV;
	dqt_fake_put_row(&b, 17, many);
	cr_assert_eq(b.len, 16 + 17 * 8);
	cr_assert_eq(b.data[8], 0x05);
	dqt_fake_buf_free(&b);
}
