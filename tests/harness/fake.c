/*
 * fake.c -- the scripted fake dqlite server (see dqfake.h).
 *
 * Wake-ups: every blocking point polls its socket together with one eventfd
 * that dqt_fake_stop() makes readable (and never drains), so stop reaches
 * every thread at once without timeouts or busy loops. stop() also calls
 * shutdown() on each socket, which wakes anything that polls only the socket.
 *
 * Sockets: a connection thread owns its fd and is the only one to close it,
 * under the fake's mutex; stop() shuts sockets down under that same mutex,
 * so it never touches a number that was closed and reused.
 */
#define _GNU_SOURCE /* accept4, POLLRDHUP, pthread_timedjoin_np */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dqfake.h"

#define FAKE_MAX_BODY (64u << 20) /* larger requests: the fake hangs up */
#define FAKE_LINGER_MS 2000       /* DQT_FAKE_CLOSE: wait for the client's FIN */
#define FAKE_STOP_BUDGET_MS 1000  /* dqt_fake_stop joins within this */

struct dqt_fake_conn {
	dqt_fake_impl *im;
	int fd;             /* -1 once closed (written under im->mu) */
	unsigned index;
	pthread_t thread;
	/* Owned by the connection thread: */
	int peer_closed;    /* EOF/RST seen from the client */
	int fake_closed;    /* the fake closed first (DQT_FAKE_CLOSE/RESET) */
	int64_t deadline;   /* reads give up at this time (ms); 0: never */
	uint32_t next_stmt;
};

struct dqt_fake_impl {
	dqt_fake *f;
	dqt_fake_handler handler;
	void *arg;
	int silent;
	int listen_fd;
	int stop_fd;         /* eventfd, readable once stopping */
	atomic_int stopping;
	pthread_t listener;
	int listener_started;

	pthread_mutex_t mu;
	pthread_cond_t cond; /* counters changed */
	dqt_fake_conn **conns;
	size_t n_conns, cap_conns;
	unsigned connections;
	unsigned client_closed;
	unsigned requests;
	unsigned by_type[256];
};

/* ---------------------------------------------------------------- time */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct timespec deadline_ts(clockid_t clk, int64_t ms_from_now)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	ts.tv_sec += (time_t)(ms_from_now / 1000);
	ts.tv_nsec += (long)(ms_from_now % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* ------------------------------------------------------------ counters */

static void count_add(dqt_fake_impl *im, unsigned *counter)
{
	pthread_mutex_lock(&im->mu);
	(*counter)++;
	pthread_cond_broadcast(&im->cond);
	pthread_mutex_unlock(&im->mu);
}

static void count_request(dqt_fake_impl *im, uint8_t type)
{
	pthread_mutex_lock(&im->mu);
	im->requests++;
	im->by_type[type]++;
	pthread_cond_broadcast(&im->cond);
	pthread_mutex_unlock(&im->mu);
}

static unsigned counter_locked(dqt_fake_impl *im, int what)
{
	switch (what) {
	case DQT_FAKE_COUNT_CONNECTIONS:
		return im->connections;
	case DQT_FAKE_COUNT_CLIENT_CLOSED:
		return im->client_closed;
	case DQT_FAKE_COUNT_REQUESTS:
		return im->requests;
	default:
		return what >= 0 && what < 256 ? im->by_type[what] : 0;
	}
}

static unsigned counter(dqt_fake *f, int what)
{
	unsigned v;

	if (f == NULL || f->impl == NULL)
		return 0;
	pthread_mutex_lock(&f->impl->mu);
	v = counter_locked(f->impl, what);
	pthread_mutex_unlock(&f->impl->mu);
	return v;
}

unsigned dqt_fake_connections(dqt_fake *f)
{
	return counter(f, DQT_FAKE_COUNT_CONNECTIONS);
}

unsigned dqt_fake_requests(dqt_fake *f, int type)
{
	return counter(f, type < 0 ? DQT_FAKE_COUNT_REQUESTS : type);
}

unsigned dqt_fake_client_closed(dqt_fake *f)
{
	return counter(f, DQT_FAKE_COUNT_CLIENT_CLOSED);
}

int dqt_fake_wait(dqt_fake *f, int what, unsigned n, unsigned timeout_ms)
{
	dqt_fake_impl *im;
	struct timespec ts;
	int rv = 0;

	if (f == NULL || f->impl == NULL)
		return -1;
	im = f->impl;
	ts = deadline_ts(CLOCK_MONOTONIC, timeout_ms);
	pthread_mutex_lock(&im->mu);
	while (counter_locked(im, what) < n) {
		if (pthread_cond_timedwait(&im->cond, &im->mu, &ts) == ETIMEDOUT) {
			rv = counter_locked(im, what) >= n ? 0 : -1;
			break;
		}
	}
	pthread_mutex_unlock(&im->mu);
	return rv;
}

/* ------------------------------------------------------------------ IO */

static int is_stopping(dqt_fake_impl *im)
{
	return atomic_load(&im->stopping);
}

/* Waits for events on fd, or stop, or timeout_ms (-1: none). Returns the
 * fd's revents (> 0), 0 on timeout, -1 on stop or poll error. */
static int wait_fd(dqt_fake_impl *im, int fd, short events, int timeout_ms)
{
	struct pollfd p[2] = { { .fd = fd, .events = events },
			       { .fd = im->stop_fd, .events = POLLIN } };
	int64_t deadline = timeout_ms < 0 ? 0 : now_ms() + timeout_ms;

	for (;;) {
		int left = -1, r;

		if (is_stopping(im))
			return -1;
		if (timeout_ms >= 0) {
			int64_t l = deadline - now_ms();
			if (l <= 0)
				return 0;
			left = (int)l;
		}
		r = poll(p, 2, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || p[1].revents != 0)
			return -1;
		if (r == 0)
			return 0;
		return p[0].revents;
	}
}

enum { IO_OK = 0, IO_PEER_CLOSED = 1, IO_STOP = -1 };

/* Reads exactly n bytes. IO_PEER_CLOSED on EOF/RST (also mid-buffer). */
static int recv_exact(dqt_fake_conn *fc, void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n > 0) {
		ssize_t r;

		if (is_stopping(fc->im))
			return IO_STOP;
		r = recv(fc->fd, p, n, 0);
		if (r > 0) {
			p += r;
			n -= (size_t)r;
			continue;
		}
		if (r == 0 || errno == ECONNRESET) {
			fc->peer_closed = 1;
			return IO_PEER_CLOSED;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return IO_STOP;
		if (fc->deadline == 0) {
			if (wait_fd(fc->im, fc->fd, POLLIN, -1) < 0)
				return IO_STOP;
		} else {
			int64_t left = fc->deadline - now_ms();

			if (left <= 0 ||
			    wait_fd(fc->im, fc->fd, POLLIN, (int)left) <= 0)
				return IO_STOP;
		}
	}
	return IO_OK;
}

static int send_all(dqt_fake_conn *fc, const void *data, size_t n)
{
	const uint8_t *p = data;

	if (fc->fd < 0)
		return -1;
	while (n > 0) {
		ssize_t w;

		if (is_stopping(fc->im))
			return -1;
		w = send(fc->fd, p, n, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(fc->im, fc->fd, POLLOUT, -1) < 0)
				return -1;
			continue;
		}
		if (w < 0 && (errno == EPIPE || errno == ECONNRESET))
			fc->peer_closed = 1;
		return -1;
	}
	return 0;
}

/* Closes the connection's socket (under the mutex, see the top comment). */
static void close_fd(dqt_fake_conn *fc, int reset)
{
	dqt_fake_impl *im = fc->im;

	pthread_mutex_lock(&im->mu);
	if (fc->fd >= 0) {
		if (reset) {
			struct linger l = { .l_onoff = 1, .l_linger = 0 };
			setsockopt(fc->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
		}
		close(fc->fd);
		fc->fd = -1;
	}
	pthread_mutex_unlock(&im->mu);
}

/* --------------------------------------------------------- byte builder */

static int buf_reserve(dqt_fake_buf *b, size_t extra)
{
	size_t need, cap;
	uint8_t *p;

	if (b->failed)
		return -1;
	if (extra > SIZE_MAX - b->len)
		goto fail;
	need = b->len + extra;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (p == NULL)
		goto fail;
	b->data = p;
	b->cap = cap;
	return 0;
fail:
	b->failed = 1;
	return -1;
}

void dqt_fake_buf_free(dqt_fake_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

void dqt_fake_buf_reset(dqt_fake_buf *b)
{
	b->len = 0;
	b->failed = 0;
}

void dqt_fake_put_bytes(dqt_fake_buf *b, const void *p, size_t n)
{
	if (n == 0 || buf_reserve(b, n) != 0)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void dqt_fake_put_zeros(dqt_fake_buf *b, size_t n)
{
	if (n == 0 || buf_reserve(b, n) != 0)
		return;
	memset(b->data + b->len, 0, n);
	b->len += n;
}

void dqt_fake_put_u8(dqt_fake_buf *b, uint8_t v)
{
	dqt_fake_put_bytes(b, &v, 1);
}

void dqt_fake_put_u32(dqt_fake_buf *b, uint32_t v)
{
	uint8_t p[4];

	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	dqt_fake_put_bytes(b, p, sizeof p);
}

void dqt_fake_put_u64(dqt_fake_buf *b, uint64_t v)
{
	uint8_t p[8];

	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	dqt_fake_put_bytes(b, p, sizeof p);
}

void dqt_fake_put_f64(dqt_fake_buf *b, double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof u);
	dqt_fake_put_u64(b, u);
}

void dqt_fake_put_pad8(dqt_fake_buf *b)
{
	dqt_fake_put_zeros(b, (8 - b->len % 8) % 8);
}

void dqt_fake_put_text(dqt_fake_buf *b, const char *s)
{
	size_t n = strlen(s) + 1; /* with the NUL */

	dqt_fake_put_bytes(b, s, n);
	dqt_fake_put_zeros(b, (8 - n % 8) % 8);
}

void dqt_fake_put_blob(dqt_fake_buf *b, const void *p, size_t n)
{
	dqt_fake_put_u64(b, n);
	dqt_fake_put_bytes(b, p, n);
	dqt_fake_put_zeros(b, (8 - n % 8) % 8);
}

void dqt_fake_put_frame(dqt_fake_buf *b, uint8_t type, uint8_t schema,
			const void *body, size_t len)
{
	size_t words = (len + 7) / 8;

	if (words > UINT32_MAX) {
		b->failed = 1;
		return;
	}
	dqt_fake_put_u32(b, (uint32_t)words);
	dqt_fake_put_u8(b, type);
	dqt_fake_put_u8(b, schema);
	dqt_fake_put_zeros(b, 2);
	dqt_fake_put_bytes(b, body, len);
	dqt_fake_put_zeros(b, words * 8 - len);
}

void dqt_fake_put_failure(dqt_fake_buf *b, uint64_t code, const char *message)
{
	dqt_fake_put_u64(b, code);
	dqt_fake_put_text(b, message != NULL ? message : "");
}

void dqt_fake_put_rows_columns(dqt_fake_buf *b, unsigned ncols,
			       const char *const *names)
{
	dqt_fake_put_u64(b, ncols);
	for (unsigned i = 0; i < ncols; i++)
		dqt_fake_put_text(b, names[i]);
}

void dqt_fake_put_row(dqt_fake_buf *b, unsigned ncols, const dqt_fake_value *cells)
{
	size_t hdr = ((size_t)ncols + 1) / 2, start = b->len;

	/* Row header: column i in the low nibble of byte i/2 when i is even,
	 * in the high nibble when it is odd; padded to 8. */
	dqt_fake_put_zeros(b, (hdr + 7) / 8 * 8);
	if (b->failed)
		return;
	for (unsigned i = 0; i < ncols; i++)
		b->data[start + i / 2] |=
			(uint8_t)((cells[i].type & 0x0f) << (i % 2 ? 4 : 0));
	for (unsigned i = 0; i < ncols; i++) {
		const dqt_fake_value *v = &cells[i];

		switch (v->type) {
		case DQT_FAKE_FLOAT:
			dqt_fake_put_f64(b, v->f);
			break;
		case DQT_FAKE_TEXT:
		case DQT_FAKE_ISO8601:
			dqt_fake_put_text(b, v->s != NULL ? v->s : "");
			break;
		case DQT_FAKE_BLOB:
			dqt_fake_put_blob(b, v->p, v->n);
			break;
		case DQT_FAKE_NULL:
			dqt_fake_put_u64(b, 0);
			break;
		default: /* INTEGER, UNIXTIME, BOOLEAN and any other code */
			dqt_fake_put_u64(b, (uint64_t)v->i);
			break;
		}
	}
}

void dqt_fake_put_rows_end(dqt_fake_buf *b, int more)
{
	uint8_t m[8];

	memset(m, more ? 0xEE : 0xFF, sizeof m);
	dqt_fake_put_bytes(b, m, sizeof m);
}

/* ------------------------------------------------------ handler helpers */

int dqt_fake_send_raw(dqt_fake_conn *fc, const void *data, size_t len)
{
	return send_all(fc, data, len);
}

int dqt_fake_send(dqt_fake_conn *fc, uint8_t type, uint8_t schema,
		  const void *body, size_t len)
{
	dqt_fake_buf b = { 0 };
	int rv = -1;

	dqt_fake_put_frame(&b, type, schema, body, len);
	if (!b.failed)
		rv = send_all(fc, b.data, b.len);
	dqt_fake_buf_free(&b);
	return rv;
}

static int send_buf(dqt_fake_conn *fc, uint8_t type, dqt_fake_buf *b)
{
	int rv = b->failed ? -1 : dqt_fake_send(fc, type, 0, b->data, b->len);

	dqt_fake_buf_free(b);
	return rv;
}

int dqt_fake_send_failure(dqt_fake_conn *fc, uint64_t code, const char *message)
{
	dqt_fake_buf b = { 0 };

	dqt_fake_put_failure(&b, code, message);
	return send_buf(fc, DQT_FAKE_RESP_FAILURE, &b);
}

int dqt_fake_reply_default(dqt_fake_conn *fc, const dqt_fake_req *req)
{
	dqt_fake_buf b = { 0 };
	static const char *const names[] = { "x" };
	dqt_fake_value one = DQT_FAKE_INT(1);

	switch (req->type) {
	case DQT_FAKE_REQ_LEADER:
		dqt_fake_put_u64(&b, 1);
		dqt_fake_put_text(&b, fc->im->f->address);
		return send_buf(fc, DQT_FAKE_RESP_SERVER, &b);
	case DQT_FAKE_REQ_OPEN:
		dqt_fake_put_u32(&b, 0);
		dqt_fake_put_u32(&b, 0);
		return send_buf(fc, DQT_FAKE_RESP_DB, &b);
	case DQT_FAKE_REQ_PREPARE:
		/* Schema 0 whatever the request's schema: an old server. */
		dqt_fake_put_u32(&b, 0);
		dqt_fake_put_u32(&b, fc->next_stmt++);
		dqt_fake_put_u64(&b, 0);
		return send_buf(fc, DQT_FAKE_RESP_STMT, &b);
	case DQT_FAKE_REQ_FINALIZE:
	case DQT_FAKE_REQ_INTERRUPT:
		dqt_fake_put_u64(&b, 0);
		return send_buf(fc, DQT_FAKE_RESP_EMPTY, &b);
	case DQT_FAKE_REQ_EXEC:
	case DQT_FAKE_REQ_EXEC_SQL:
		dqt_fake_put_u64(&b, 0);
		dqt_fake_put_u64(&b, 0);
		return send_buf(fc, DQT_FAKE_RESP_RESULT, &b);
	case DQT_FAKE_REQ_QUERY:
	case DQT_FAKE_REQ_QUERY_SQL:
		dqt_fake_put_rows_columns(&b, 1, names);
		dqt_fake_put_row(&b, 1, &one);
		dqt_fake_put_rows_end(&b, 0);
		return send_buf(fc, DQT_FAKE_RESP_ROWS, &b);
	default:
		return dqt_fake_send_failure(fc, 1, "fake: unsupported request");
	}
}

int dqt_fake_sleep(dqt_fake_conn *fc, unsigned ms)
{
	dqt_fake_impl *im = fc->im;
	int64_t deadline = now_ms() + ms;

	for (;;) {
		struct pollfd p = { .fd = im->stop_fd, .events = POLLIN };
		int64_t left = deadline - now_ms();
		int r;

		if (is_stopping(im))
			return -1;
		if (left <= 0)
			return 0;
		r = poll(&p, 1, (int)left);
		if (r > 0)
			return -1;
	}
}

int dqt_fake_stall(dqt_fake_conn *fc)
{
	/* POLLRDHUP reports the client's FIN without reading a byte; an RST
	 * shows as POLLHUP/POLLERR, which poll always reports. */
	int ev;

	if (fc->fd < 0)
		return -1;
	ev = wait_fd(fc->im, fc->fd, POLLRDHUP, -1);
	if (ev < 0)
		return -1;
	fc->peer_closed = 1;
	return 0;
}

const char *dqt_fake_req_sql(const dqt_fake_req *req)
{
	size_t off;

	switch (req->type) {
	case DQT_FAKE_REQ_OPEN:
		off = 0;
		break;
	case DQT_FAKE_REQ_PREPARE:
	case DQT_FAKE_REQ_EXEC_SQL:
	case DQT_FAKE_REQ_QUERY_SQL:
		off = 8;
		break;
	default:
		return NULL;
	}
	if (req->body == NULL || req->len <= off ||
	    memchr(req->body + off, '\0', req->len - off) == NULL)
		return NULL;
	return (const char *)req->body + off;
}

/* ------------------------------------------------------- connections */

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* Reads one request. IO_OK with *body malloc'd (NULL when empty). A body
 * over FAKE_MAX_BODY or an allocation failure: IO_STOP (the fake hangs up). */
static int read_request(dqt_fake_conn *fc, uint8_t hdr[8], uint8_t **body,
			size_t *len)
{
	int rc = recv_exact(fc, hdr, 8);
	uint64_t n;

	*body = NULL;
	*len = 0;
	if (rc != IO_OK)
		return rc;
	n = (uint64_t)get_u32(hdr) * 8;
	if (n > FAKE_MAX_BODY) {
		fprintf(stderr, "dqfake: request body of %llu bytes refused\n",
			(unsigned long long)n);
		return IO_STOP;
	}
	if (n == 0)
		return IO_OK;
	*body = malloc((size_t)n);
	if (*body == NULL)
		return IO_STOP;
	rc = recv_exact(fc, *body, (size_t)n);
	if (rc != IO_OK) {
		free(*body);
		*body = NULL;
		return rc;
	}
	*len = (size_t)n;
	return IO_OK;
}

/* After the client closed: count what it sent before closing, until EOF. */
static void drain_requests(dqt_fake_conn *fc)
{
	for (;;) {
		uint8_t hdr[8], *body;
		size_t len;

		if (read_request(fc, hdr, &body, &len) != IO_OK)
			return;
		count_request(fc->im, hdr[4]);
		free(body);
	}
}

/* DQT_FAKE_CLOSE: FIN now, then read (and count, without replying) until the
 * client closes, stop or FAKE_LINGER_MS; closing with unread input would
 * send an RST that can destroy the data still in flight to the client. */
static void close_gracefully(dqt_fake_conn *fc)
{
	fc->fake_closed = 1;
	shutdown(fc->fd, SHUT_WR);
	fc->deadline = now_ms() + FAKE_LINGER_MS;
	drain_requests(fc);
	close_fd(fc, 0);
}

static void serve(dqt_fake_conn *fc)
{
	dqt_fake_impl *im = fc->im;
	uint8_t hs[8];
	unsigned seq = 0;

	if (im->silent) {
		dqt_fake_stall(fc);
		return;
	}
	if (recv_exact(fc, hs, sizeof hs) != IO_OK)
		return;
	if (get_u64(hs) != 1) {
		fprintf(stderr, "dqfake: bad protocol version %llu: closing\n",
			(unsigned long long)get_u64(hs));
		close_gracefully(fc);
		return;
	}
	while (!fc->peer_closed) {
		uint8_t hdr[8], *body;
		dqt_fake_req req;
		int verdict;

		if (read_request(fc, hdr, &body, &req.len) != IO_OK)
			return;
		count_request(im, hdr[4]);
		req.type = hdr[4];
		req.schema = hdr[5];
		req.body = body;
		req.conn = fc->index;
		req.seq = seq++;
		verdict = im->handler != NULL ? im->handler(fc, &req, im->arg)
					      : DQT_FAKE_DEFAULT;
		if (verdict == DQT_FAKE_DEFAULT)
			dqt_fake_reply_default(fc, &req);
		free(body);
		if (verdict == DQT_FAKE_CLOSE && !fc->peer_closed) {
			close_gracefully(fc);
			return;
		}
		if (verdict == DQT_FAKE_RESET) {
			fc->fake_closed = 1;
			close_fd(fc, 1);
			return;
		}
		if (is_stopping(im))
			return;
	}
	/* The client closed while the handler ran (stall, failed send). */
	drain_requests(fc);
}

static void *conn_main(void *p)
{
	dqt_fake_conn *fc = p;

	serve(fc);
	if (fc->peer_closed && !fc->fake_closed && !is_stopping(fc->im))
		count_add(fc->im, &fc->im->client_closed);
	close_fd(fc, 0);
	return NULL;
}

/* Registers and starts a connection; closes fd on failure. */
static void add_conn(dqt_fake_impl *im, int fd)
{
	dqt_fake_conn *fc = calloc(1, sizeof *fc);
	int one = 1;

	if (fc == NULL) {
		close(fd);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	fc->im = im;
	fc->fd = fd;
	pthread_mutex_lock(&im->mu);
	if (im->n_conns == im->cap_conns) {
		size_t cap = im->cap_conns ? im->cap_conns * 2 : 8;
		dqt_fake_conn **a = realloc(im->conns, cap * sizeof *a);

		if (a == NULL) {
			pthread_mutex_unlock(&im->mu);
			close(fd);
			free(fc);
			return;
		}
		im->conns = a;
		im->cap_conns = cap;
	}
	fc->index = im->connections;
	/* Start the thread under the mutex: stop() then sees either no entry
	 * or an entry with a running thread. */
	if (pthread_create(&fc->thread, NULL, conn_main, fc) != 0) {
		pthread_mutex_unlock(&im->mu);
		close(fd);
		free(fc);
		return;
	}
	im->conns[im->n_conns++] = fc;
	im->connections++;
	pthread_cond_broadcast(&im->cond);
	pthread_mutex_unlock(&im->mu);
}

static void *listener_main(void *p)
{
	dqt_fake_impl *im = p;

	for (;;) {
		int fd;

		if (wait_fd(im, im->listen_fd, POLLIN, -1) < 0)
			return NULL;
		fd = accept4(im->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			continue; /* EAGAIN, ECONNABORTED, EMFILE...: poll again */
		if (is_stopping(im)) {
			close(fd);
			return NULL;
		}
		add_conn(im, fd);
	}
}

/* ----------------------------------------------------------- lifecycle */

static void impl_free(dqt_fake_impl *im)
{
	for (size_t i = 0; i < im->n_conns; i++)
		free(im->conns[i]);
	free(im->conns);
	if (im->listen_fd >= 0)
		close(im->listen_fd);
	if (im->stop_fd >= 0)
		close(im->stop_fd);
	pthread_cond_destroy(&im->cond);
	pthread_mutex_destroy(&im->mu);
	free(im);
}

static int start(dqt_fake *f, dqt_fake_handler handler, void *arg, int silent)
{
	dqt_fake_impl *im;
	pthread_condattr_t ca;
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;

	if (f == NULL)
		return -1;
	memset(f, 0, sizeof *f);
	im = calloc(1, sizeof *im);
	if (im == NULL)
		return -1;
	im->f = f;
	im->handler = handler;
	im->arg = arg;
	im->silent = silent;
	im->listen_fd = -1;
	atomic_init(&im->stopping, 0);
	pthread_mutex_init(&im->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&im->cond, &ca);
	pthread_condattr_destroy(&ca);
	im->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (im->stop_fd < 0)
		goto fail;
	im->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (im->listen_fd < 0)
		goto fail;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0; /* the kernel picks a free port */
	if (bind(im->listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(im->listen_fd, 64) != 0 ||
	    getsockname(im->listen_fd, (struct sockaddr *)&sa, &sl) != 0)
		goto fail;
	f->port = ntohs(sa.sin_port);
	snprintf(f->address, sizeof f->address, "127.0.0.1:%d", f->port);
	f->impl = im;
	if (pthread_create(&im->listener, NULL, listener_main, im) != 0) {
		f->impl = NULL;
		goto fail;
	}
	im->listener_started = 1;
	return 0;
fail:
	fprintf(stderr, "dqfake: cannot start: %s\n", strerror(errno));
	impl_free(im);
	memset(f, 0, sizeof *f);
	return -1;
}

int dqt_fake_start(dqt_fake *f, dqt_fake_handler handler, void *arg)
{
	return start(f, handler, arg, 0);
}

int dqt_fake_start_silent(dqt_fake *f)
{
	return start(f, NULL, NULL, 1);
}

/* Joins t before the absolute CLOCK_REALTIME deadline. 0 or -1. */
static int join_by(pthread_t t, const struct timespec *deadline)
{
	return pthread_timedjoin_np(t, NULL, deadline) == 0 ? 0 : -1;
}

void dqt_fake_stop(dqt_fake *f)
{
	dqt_fake_impl *im;
	struct timespec deadline;
	uint64_t one = 1;
	int stuck = 0;

	if (f == NULL || f->impl == NULL)
		return;
	im = f->impl;
	deadline = deadline_ts(CLOCK_REALTIME, FAKE_STOP_BUDGET_MS);
	atomic_store(&im->stopping, 1);
	if (write(im->stop_fd, &one, sizeof one) != (ssize_t)sizeof one)
		fprintf(stderr, "dqfake: eventfd write failed: %s\n", strerror(errno));
	/* The listener first: once it is joined no connection is added. */
	if (im->listener_started && join_by(im->listener, &deadline) != 0)
		stuck = 1;
	pthread_mutex_lock(&im->mu);
	for (size_t i = 0; i < im->n_conns; i++)
		if (im->conns[i]->fd >= 0)
			shutdown(im->conns[i]->fd, SHUT_RDWR);
	pthread_mutex_unlock(&im->mu);
	if (!stuck) {
		for (size_t i = 0; i < im->n_conns; i++) {
			if (join_by(im->conns[i]->thread, &deadline) != 0) {
				stuck = 1;
				break;
			}
		}
	}
	if (stuck) {
		/* A handler blocked outside the helpers: leave its memory
		 * alone (leaked on purpose) rather than free it under it. */
		fprintf(stderr, "dqfake: a thread did not stop within %d ms; "
				"leaking the fake\n", FAKE_STOP_BUDGET_MS);
		f->impl = NULL;
		return;
	}
	impl_free(im);
	f->impl = NULL;
}
