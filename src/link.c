/*
 * link.c -- synchronous transport over a private libuv loop (see link.h).
 *
 * Why a loop per link, run only while a call waits: ODBC calls block, and a
 * background I/O thread would put a cross-thread hand-off on every fetch.
 * Here the calling thread runs uv_run(UV_RUN_ONCE) until its condition holds;
 * a uv_timer ends the wait at its deadline and a uv_async lets another thread
 * wake it to notice a cancel.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* POLLRDHUP */
#endif
#include "link.h"

#include <netdb.h>
#include <poll.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

/* Room offered to each socket read. */
#define READ_CHUNK 65536u
/* A receive buffer larger than this is released once it is empty again. */
#define RBUF_KEEP (2u << 20)
/* Seconds of idleness before TCP keepalive probes start. */
#define KEEPALIVE_IDLE_S 15

static int link_write(dqe_io *io, const uint8_t *data, size_t len,
		      const dqe_wait *w);
static int link_read(dqe_io *io, dqw_header *h, const uint8_t **body,
		     const dqe_wait *w);
static void link_close_io(dqe_io *io);
static const char *link_errmsg(const dqe_io *io);

static void link_settle(dqe_io *io);
static const dqe_io_ops link_ops = {link_write, link_read, link_close_io,
				    link_errmsg, link_settle};

/* ------------------------------------------------------------ loop basics */

static void on_timer(uv_timer_t *t)
{
	dqe_link *l = t->data;
	l->timer_fired = 1;
}

static void on_async(uv_async_t *a)
{
	(void)a; /* waking the loop is the point; waits check their scope */
}

int dqe_link_init(dqe_link *l)
{
	memset(l, 0, sizeof *l);
	l->io.ops = &link_ops;
	if (uv_loop_init(&l->loop) != 0)
		return DQC_ENOMEM;
	uv_timer_init(&l->loop, &l->timer);
	l->timer.data = l;
	uv_async_init(&l->loop, &l->async, on_async);
	l->async.data = l;
	l->loop_ready = 1;
	dqw_buf_init(&l->rbuf);
	dqw_buf_init(&l->net);
	return 0;
}

static void on_tcp_closed(uv_handle_t *h)
{
	dqe_link *l = h->data;
	l->tcp_open = 0;
}

static void tls_free(dqe_link *l)
{
	if (l->ssl)
		SSL_free(l->ssl); /* frees rbio and wbio too */
	if (l->ssl_ctx)
		SSL_CTX_free(l->ssl_ctx);
	l->ssl = NULL;
	l->ssl_ctx = NULL;
	l->rbio = l->wbio = NULL;
}

void dqe_link_close(dqe_link *l)
{
	if (l->tcp_open) {
		if (!uv_is_closing((uv_handle_t *)&l->tcp))
			uv_close((uv_handle_t *)&l->tcp, on_tcp_closed);
		/* Close callbacks (and canceled write/connect callbacks) run on
		 * the next loop iterations; bounded because nothing blocks. */
		for (int i = 0; l->tcp_open && i < 1000; i++)
			uv_run(&l->loop, UV_RUN_NOWAIT);
	}
	tls_free(l);
	l->up = 0;
	l->reading = 0;
	l->eof = 0;
	l->fatal = 0;
	dqw_buf_free(&l->rbuf);
	dqw_buf_free(&l->net);
	l->rpos = 0;
}

static void on_any_closed(uv_handle_t *h)
{
	(void)h;
}

void dqe_link_fini(dqe_link *l)
{
	if (!l->loop_ready)
		return;
	dqe_link_close(l);
	uv_close((uv_handle_t *)&l->timer, on_any_closed);
	uv_close((uv_handle_t *)&l->async, on_any_closed);
	uv_run(&l->loop, UV_RUN_DEFAULT);
	uv_loop_close(&l->loop);
	l->loop_ready = 0;
}

void dqe_link_wake(dqe_link *l)
{
	uv_async_send(&l->async);
}

int dqe_link_usable(const dqe_link *l)
{
	return l->up && l->tcp_open && !l->fatal && !l->eof;
}

int dqe_link_probe(dqe_link *l)
{
	uv_os_fd_t fd;
	struct pollfd p;

	if (!dqe_link_usable(l) ||
	    uv_fileno((const uv_handle_t *)&l->tcp, &fd) != 0)
		return dqe_link_usable(l);
	p.fd = fd;
	p.events = POLLIN | POLLRDHUP;
	p.revents = 0;
	/* Bytes waiting (a TLS ticket, a late reply) say nothing; a peer
	 * that shut its side down or reset the connection does. */
	if (poll(&p, 1, 0) == 1 &&
	    (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))) {
		l->eof = 1;
		snprintf(l->err, sizeof l->err,
			 "connection to %s lost: closed by the server", l->peer);
	}
	return dqe_link_usable(l);
}

typedef int (*wait_fn)(dqe_link *l, void *arg);

/* Runs the loop until done() holds. Returns 0, DQC_ECANCELED, DQC_ETIMEDOUT
 * or DQC_EIO (link closed or failed while the condition did not hold). A
 * deadline already past still lets done() answer from what has arrived. */
static int wait_until(dqe_link *l, wait_fn done, void *arg, const dqe_wait *w)
{
	int rc = 0, expired = 0;

	l->timer_fired = 0;
	if (w->deadline_ms) {
		uint64_t now = dqe_now_ms();
		if (now >= w->deadline_ms) {
			expired = 1;
		} else {
			uv_update_time(&l->loop);
			uv_timer_start(&l->timer, on_timer, w->deadline_ms - now, 0);
		}
	}
	for (;;) {
		/* Cancel first: a reader slower than the server always finds
		 * data ready and would otherwise never notice the cancel. */
		if (dqe_cancel_hit(w->cancel)) {
			rc = DQC_ECANCELED;
			break;
		}
		if (done(l, arg))
			break;
		if (expired || l->timer_fired) {
			rc = DQC_ETIMEDOUT;
			break;
		}
		if (l->fatal || l->eof) {
			rc = DQC_EIO;
			break;
		}
		uv_run(&l->loop, UV_RUN_ONCE);
	}
	uv_timer_stop(&l->timer);
	return rc;
}

static int never(dqe_link *l, void *arg)
{
	(void)l;
	(void)arg;
	return 0;
}

int dqe_link_sleep(dqe_link *l, const dqe_wait *w)
{
	int fatal = l->fatal, eof = l->eof, rc;
	/* a link already lost is not what this waits for */
	l->fatal = l->eof = 0;
	rc = wait_until(l, never, NULL, w);
	/* one lost meanwhile stays known */
	l->fatal |= fatal;
	l->eof |= eof;
	return rc == DQC_EIO ? 0 : rc;
}

/* ------------------------------------------------------------ buffers */

/* Ensures `want` free bytes after b->len, growing to just what is needed
 * (rounded to READ_CHUNK) rather than doubling: a 64 MiB frame costs 64 MiB
 * and a little, not 128. 0 or -1. */
static int room(dqw_buf *b, size_t want)
{
	size_t need, cap;
	uint8_t *p;

	if (b->cap - b->len >= want)
		return 0;
	if (want > SIZE_MAX - b->len - READ_CHUNK)
		return -1;
	need = b->len + want;
	cap = b->cap * 2;
	if (cap < need || cap > need + (8u << 20))
		cap = (need + READ_CHUNK - 1) / READ_CHUNK * READ_CHUNK;
	p = realloc(b->data, cap);
	if (p == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

static size_t frame_missing(const dqe_link *l);

/* ------------------------------------------------------------------- TLS */

static const char *tls_reason(void)
{
	unsigned long e = ERR_get_error();
	static _Thread_local char buf[256];
	if (e == 0)
		return "unknown TLS error";
	ERR_error_string_n(e, buf, sizeof buf);
	return buf;
}

/* Feeds received ciphertext to OpenSSL and, once the handshake is done,
 * moves decrypted bytes into rbuf. */
static void tls_pump_in(dqe_link *l)
{
	if (l->net.len) {
		int n = BIO_write(l->rbio, l->net.data, (int)l->net.len);
		if (n != (int)l->net.len) {
			l->fatal = 1;
			snprintf(l->err, sizeof l->err, "TLS: cannot buffer input");
			return;
		}
		l->net.len = 0;
	}
	if (!SSL_is_init_finished(l->ssl))
		return;
	for (;;) {
		int n;
		size_t want = frame_missing(l);
		if (room(&l->rbuf, want > 16384 ? want : 16384) != 0) {
			l->fatal = 1;
			snprintf(l->err, sizeof l->err, "out of memory reading from %s",
				 l->peer);
			return;
		}
		n = SSL_read(l->ssl, l->rbuf.data + l->rbuf.len,
			     (int)(l->rbuf.cap - l->rbuf.len > INT32_MAX
					   ? INT32_MAX
					   : l->rbuf.cap - l->rbuf.len));
		if (n > 0) {
			l->rbuf.len += (size_t)n;
			continue;
		}
		int e = SSL_get_error(l->ssl, n);
		if (e == SSL_ERROR_WANT_READ)
			break;
		if (e == SSL_ERROR_ZERO_RETURN) {
			l->eof = 1;
			snprintf(l->err, sizeof l->err, "%s closed the TLS session",
				 l->peer);
		} else {
			l->fatal = 1;
			snprintf(l->err, sizeof l->err, "TLS read from %s: %s",
				 l->peer, tls_reason());
		}
		break;
	}
}

typedef struct write_req {
	uv_write_t req;
	int *pending;
	int *status;
	uint8_t *owned; /* heap copy for TLS output, else NULL */
} write_req;

static void on_write(uv_write_t *req, int status)
{
	write_req *w = (write_req *)req;
	(*w->pending)--;
	if (status < 0 && *w->status == 0)
		*w->status = status;
	free(w->owned);
	free(w);
}

/* Queues bytes on the socket. With copy != 0 the bytes are copied (TLS
 * output); otherwise the caller keeps them alive until the queue drains. */
static int queue_write(dqe_link *l, const uint8_t *data, size_t len, int copy)
{
	write_req *w = calloc(1, sizeof *w);
	uv_buf_t b;

	if (w == NULL)
		return DQC_ENOMEM;
	if (copy) {
		w->owned = malloc(len ? len : 1);
		if (w->owned == NULL) {
			free(w);
			return DQC_ENOMEM;
		}
		memcpy(w->owned, data, len);
		data = w->owned;
	}
	w->pending = &l->writes_pending;
	w->status = &l->write_status;
	b = uv_buf_init((char *)(uintptr_t)data, (unsigned)len);
	if (uv_write(&w->req, (uv_stream_t *)&l->tcp, &b, 1, on_write) != 0) {
		free(w->owned);
		free(w);
		return DQC_EIO;
	}
	l->writes_pending++;
	return 0;
}

/* Sends whatever OpenSSL has produced. */
static int tls_flush(dqe_link *l)
{
	uint8_t buf[16384];
	int n;
	while ((n = BIO_read(l->wbio, buf, sizeof buf)) > 0) {
		int rc = queue_write(l, buf, (size_t)n, 1);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* ---------------------------------------------------------------- reading */

/* Size of the frame at rpos (header + body) once its header has arrived,
 * else 0. */
static size_t frame_size_at_rpos(const dqe_link *l)
{
	dqw_header h;
	if (l->rbuf.len - l->rpos < DQW_HEADER_SIZE)
		return 0;
	dqw_header_decode(l->rbuf.data + l->rpos, &h);
	if (dqw_body_size(&h) > DQW_MAX_BODY)
		return DQW_HEADER_SIZE; /* "complete": the reader reports it */
	return DQW_HEADER_SIZE + dqw_body_size(&h);
}

static int frame_whole(const dqe_link *l)
{
	size_t n = frame_size_at_rpos(l);
	return n != 0 && l->rbuf.len - l->rpos >= n;
}

static int frame_ready(dqe_link *l, void *arg)
{
	(void)arg;
	return frame_whole(l);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	dqe_link *l = h->data;
	dqw_buf *b = l->ssl ? &l->net : &l->rbuf;
	/* Once a frame's header is in, the rest of it is reserved at once: a
	 * 64 MiB reply grows the buffer once, not in 1,000 steps that each
	 * may copy it (a realloc that moves keeps old and new alive). */
	size_t want = l->ssl ? READ_CHUNK : frame_missing(l);
	(void)suggested;
	if (want < READ_CHUNK)
		want = READ_CHUNK;
	if (room(b, want) != 0) {
		buf->base = NULL;
		buf->len = 0;
		return;
	}
	buf->base = (char *)b->data + b->len;
	buf->len = b->cap - b->len > UINT32_MAX ? UINT32_MAX : b->cap - b->len;
}

/* Linux turns delayed ACKs back on after every read. Pipelined requests
 * leave us with nothing to send while the server's small replies wait for
 * our ACK behind Nagle's algorithm (40 ms per batch); ACK at once. */
static void quick_ack(dqe_link *l)
{
#ifdef TCP_QUICKACK
	uv_os_fd_t fd;
	int one = 1;
	if (uv_fileno((uv_handle_t *)&l->tcp, &fd) == 0)
		setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#else
	(void)l;
#endif
}

/* Read-ahead pauses only while the frame at rpos is whole: a frame being
 * waited for is always read to its end, whatever its size. */
static int readahead_full(const dqe_link *l)
{
	return l->rbuf.len - l->rpos > DQE_LINK_READAHEAD && frame_whole(l);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	dqe_link *l = s->data;
	(void)buf;
	if (n > 0) {
		quick_ack(l);
		if (l->ssl) {
			l->net.len += (size_t)n;
			tls_pump_in(l);
			tls_flush(l); /* TLS 1.3 may answer post-handshake */
		} else {
			l->rbuf.len += (size_t)n;
		}
		if (l->reading && readahead_full(l)) {
			uv_read_stop(s);
			l->reading = 0;
		}
	} else if (n < 0) {
		if (n == UV_ENOBUFS) {
			l->fatal = 1;
			snprintf(l->err, sizeof l->err, "out of memory reading from %s",
				 l->peer);
		} else {
			l->eof = 1;
			snprintf(l->err, sizeof l->err, "connection to %s lost: %s",
				 l->peer, n == UV_EOF ? "closed by the server"
						      : uv_strerror((int)n));
		}
		uv_read_stop(s);
		l->reading = 0;
	}
}

static int start_reading(dqe_link *l)
{
	if (l->reading || l->eof || !l->tcp_open)
		return 0;
	if (uv_read_start((uv_stream_t *)&l->tcp, on_alloc, on_read) != 0) {
		l->fatal = 1;
		return DQC_EIO;
	}
	l->reading = 1;
	return 0;
}

/* Bytes of the frame at rpos not yet received, once its header says how
 * big it is; else 0. */
static size_t frame_missing(const dqe_link *l)
{
	size_t n = frame_size_at_rpos(l), have = l->rbuf.len - l->rpos;
	return n > have ? n - have : 0;
}

/* Releases a receive buffer that a large frame left behind, once what is
 * left in it is small and the frame at rpos (if its header is in) is not
 * itself large: streaming large frames keeps the buffer, the first small
 * reply after them gives it back. Earlier frame bodies become invalid.
 * 0 or -1 (no memory; the buffer is unchanged). */
static int shrink(dqe_link *l)
{
	size_t rest = l->rbuf.len - l->rpos;
	dqw_buf small;

	if (l->rbuf.cap <= RBUF_KEEP || rest >= RBUF_KEEP / 2 ||
	    frame_size_at_rpos(l) >= RBUF_KEEP / 2)
		return 0;
	dqw_buf_init(&small);
	if (room(&small, rest + READ_CHUNK) != 0)
		return -1;
	if (rest)
		memcpy(small.data, l->rbuf.data + l->rpos, rest);
	small.len = rest;
	dqw_buf_free(&l->rbuf);
	l->rbuf = small;
	l->rpos = 0;
	return 0;
}

/* Moves the unconsumed bytes to the front and makes room for the whole
 * frame at rpos when its size is known (link_read has already given back a
 * large buffer: shrink). 0 or -1 (no memory). Invalidates earlier frame
 * bodies. */
static int compact(dqe_link *l)
{
	size_t rest = l->rbuf.len - l->rpos;

	if (l->rpos) {
		memmove(l->rbuf.data, l->rbuf.data + l->rpos, rest);
		l->rbuf.len = rest;
		l->rpos = 0;
	}
	return room(&l->rbuf, frame_missing(l) + READ_CHUNK);
}

/* ------------------------------------------------------------- connecting */

int dqe_split_address(const char *address, char *host, size_t hostcap,
		      char *port, size_t portcap)
{
	const char *colon;
	size_t hl;
	const char *p = "9001";

	if (address == NULL || *address == '\0')
		return -1;
	if (address[0] == '[') {
		const char *end = strchr(address, ']');
		if (end == NULL)
			return -1;
		hl = (size_t)(end - address - 1);
		if (end[1] == ':')
			p = end + 2;
		else if (end[1] != '\0')
			return -1;
		address++;
	} else {
		colon = strrchr(address, ':');
		if (colon && strchr(address, ':') != colon)
			colon = NULL; /* bare IPv6 literal without port */
		hl = colon ? (size_t)(colon - address) : strlen(address);
		if (colon)
			p = colon + 1;
	}
	if (hl == 0 || hl >= hostcap || strlen(p) == 0 || strlen(p) >= portcap)
		return -1;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return -1;
	memcpy(host, address, hl);
	host[hl] = '\0';
	strcpy(port, p);
	return 0;
}

/* Name resolution runs on libuv's thread pool so the deadline bounds it. A
 * lookup still running when the wait ends is abandoned: its request stays
 * allocated and frees itself when it completes. */
typedef struct resolve_req {
	uv_getaddrinfo_t req;
	int done;
	int status;
	int abandoned;
	struct addrinfo *res;
} resolve_req;

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	resolve_req *r = req->data;
	if (r->abandoned) {
		uv_freeaddrinfo(res);
		free(r);
		return;
	}
	r->done = 1;
	r->status = status;
	r->res = res;
}

static int resolved(dqe_link *l, void *arg)
{
	(void)l;
	return ((resolve_req *)arg)->done;
}

static int resolve(dqe_link *l, const char *host, const char *port,
		   struct addrinfo **out, const dqe_wait *w)
{
	struct addrinfo hints;
	resolve_req *r = calloc(1, sizeof *r);
	int rc;

	if (r == NULL)
		return DQC_ENOMEM;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	/* A numeric address needs no lookup: answered at once, never by the
	 * thread pool (and never "timed out" when the budget is small). */
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo(host, port, &hints, out) == 0) {
		free(r);
		return 0;
	}
	hints.ai_flags = 0;
	r->req.data = r;
	if (uv_getaddrinfo(&l->loop, &r->req, on_resolved, host, port, &hints) != 0) {
		free(r);
		snprintf(l->err, sizeof l->err, "cannot resolve host '%s'", host);
		return DQC_ECONNECT;
	}
	rc = wait_until(l, resolved, r, w);
	if (rc != 0 && r->done) {
		/* the lookup ended in the same turn as the cancel or the
		 * deadline: nothing will free it later */
		uv_freeaddrinfo(r->res);
		free(r);
	} else if (rc != 0) {
		/* Whether or not the pool thread already runs it, the
		 * callback comes later (UV_EAI_CANCELED if uv_cancel won) and
		 * frees the request. */
		uv_cancel((uv_req_t *)&r->req);
		r->abandoned = 1;
	}
	if (rc != 0) {
		snprintf(l->err, sizeof l->err, "resolving '%s' %s", host,
			 rc == DQC_ETIMEDOUT ? "timed out" : "was canceled");
		return rc;
	}
	if (r->status != 0) {
		snprintf(l->err, sizeof l->err, "cannot resolve host '%s': %s", host,
			 uv_strerror(r->status));
		free(r);
		return DQC_ECONNECT;
	}
	*out = r->res;
	free(r);
	return 0;
}

typedef struct connect_state {
	uv_connect_t req;
	int done;
	int status;
} connect_state;

static void on_connect(uv_connect_t *req, int status)
{
	connect_state *s = req->data;
	s->done = 1;
	s->status = status;
}

static int connect_done(dqe_link *l, void *arg)
{
	(void)l;
	return ((connect_state *)arg)->done;
}

static int tcp_connect_one(dqe_link *l, const struct sockaddr *sa,
			   const dqe_wait *w)
{
	connect_state s = {.done = 0, .status = 0};
	int rc;

	uv_tcp_init(&l->loop, &l->tcp);
	l->tcp.data = l;
	l->tcp_open = 1;
	s.req.data = &s;
	if (uv_tcp_connect(&s.req, &l->tcp, sa, on_connect) != 0) {
		dqe_link_close(l);
		return DQC_ECONNECT;
	}
	rc = wait_until(l, connect_done, &s, w);
	if (rc != 0 || s.status != 0) {
		if (rc == 0)
			snprintf(l->err, sizeof l->err, "%s",
				 uv_strerror(s.status));
		else
			snprintf(l->err, sizeof l->err, "%s",
				 rc == DQC_ETIMEDOUT ? "connect timed out"
						     : "connect canceled");
		dqe_link_close(l); /* runs the pending on_connect */
		return rc ? rc : DQC_ECONNECT;
	}
	uv_tcp_nodelay(&l->tcp, 1);
	uv_tcp_keepalive(&l->tcp, 1, KEEPALIVE_IDLE_S);
	return 0;
}

static int tls_progress(dqe_link *l, void *arg)
{
	(void)arg;
	return BIO_ctrl_pending(l->rbio) > 0;
}

static int tls_handshake(dqe_link *l, const char *host,
			 const struct dqc_tls_config *tls, const dqe_wait *w)
{
	const char *name = tls->server_name ? tls->server_name : host;

	l->ssl_ctx = SSL_CTX_new(TLS_client_method());
	if (l->ssl_ctx == NULL)
		goto fail;
	SSL_CTX_set_min_proto_version(l->ssl_ctx, TLS1_2_VERSION);
	if (tls->verify_peer) {
		SSL_CTX_set_verify(l->ssl_ctx, SSL_VERIFY_PEER, NULL);
		if (tls->ca_file) {
			if (SSL_CTX_load_verify_locations(l->ssl_ctx, tls->ca_file,
							  NULL) != 1)
				goto fail;
		} else if (SSL_CTX_set_default_verify_paths(l->ssl_ctx) != 1) {
			goto fail;
		}
	}
	if (tls->cert_file &&
	    SSL_CTX_use_certificate_chain_file(l->ssl_ctx, tls->cert_file) != 1)
		goto fail;
	if (tls->key_file &&
	    SSL_CTX_use_PrivateKey_file(l->ssl_ctx, tls->key_file,
					SSL_FILETYPE_PEM) != 1)
		goto fail;
	l->ssl = SSL_new(l->ssl_ctx);
	l->rbio = BIO_new(BIO_s_mem());
	l->wbio = BIO_new(BIO_s_mem());
	if (l->ssl == NULL || l->rbio == NULL || l->wbio == NULL)
		goto fail;
	SSL_set_bio(l->ssl, l->rbio, l->wbio);
	SSL_set_connect_state(l->ssl);
	{
		/* the OpenSSL macro takes a non-const pointer */
		char sni[256];
		snprintf(sni, sizeof sni, "%s", name);
		SSL_set_tlsext_host_name(l->ssl, sni);
	}
	if (tls->verify_peer && SSL_set1_host(l->ssl, name) != 1)
		goto fail;
	if (start_reading(l) != 0)
		goto fail;
	for (;;) {
		int r = SSL_do_handshake(l->ssl);
		if (tls_flush(l) != 0)
			goto fail;
		if (r == 1)
			return 0;
		int e = SSL_get_error(l->ssl, r);
		if (e != SSL_ERROR_WANT_READ) {
			long v = SSL_get_verify_result(l->ssl);
			if (v != X509_V_OK)
				snprintf(l->err, sizeof l->err,
					 "TLS certificate verification failed: %s",
					 X509_verify_cert_error_string(v));
			else
				snprintf(l->err, sizeof l->err,
					 "TLS handshake failed: %s", tls_reason());
			return DQC_ETLS;
		}
		int rc = wait_until(l, tls_progress, NULL, w);
		if (rc != 0) {
			snprintf(l->err, sizeof l->err, "TLS handshake: %s",
				 rc == DQC_ETIMEDOUT ? "timed out"
				 : rc == DQC_EIO     ? "connection closed"
						     : "canceled");
			return rc == DQC_EIO ? DQC_ETLS : rc;
		}
	}
fail:
	snprintf(l->err, sizeof l->err, "TLS setup failed: %s", tls_reason());
	return DQC_ETLS;
}

static int writes_drained(dqe_link *l, void *arg)
{
	(void)arg;
	return l->writes_pending == 0;
}

int dqe_link_connect(dqe_link *l, const char *address,
		     const struct dqc_tls_config *tls, const dqe_wait *w)
{
	char host[256], port[16];
	struct addrinfo *res = NULL, *ai;
	int rc = DQC_ECONNECT;
	uint8_t hs[8];

	dqe_link_close(l);
	snprintf(l->peer, sizeof l->peer, "%s", address);
	l->err[0] = '\0';
	if (dqe_split_address(address, host, sizeof host, port, sizeof port) != 0) {
		snprintf(l->err, sizeof l->err,
			 "invalid address (expected host, host:port or [v6]:port)");
		return DQC_EINVAL;
	}
	rc = resolve(l, host, port, &res, w);
	if (rc != 0)
		return rc;
	rc = DQC_ECONNECT;
	for (ai = res; ai; ai = ai->ai_next) {
		rc = tcp_connect_one(l, ai->ai_addr, w);
		if (rc == 0 || rc == DQC_ECANCELED || rc == DQC_ETIMEDOUT)
			break;
	}
	uv_freeaddrinfo(res);
	if (rc != 0)
		return rc;
	if (tls && tls->enabled) {
		rc = tls_handshake(l, host, tls, w);
		if (rc != 0) {
			dqe_link_close(l);
			return rc;
		}
	} else if (start_reading(l) != 0) {
		dqe_link_close(l);
		snprintf(l->err, sizeof l->err, "cannot read from the socket");
		return DQC_ECONNECT;
	}
	l->up = 1;
	for (int i = 0; i < 8; i++)
		hs[i] = (uint8_t)((uint64_t)DQW_PROTOCOL_VERSION >> (8 * i));
	rc = link_write(&l->io, hs, sizeof hs, w);
	if (rc != 0) {
		dqe_link_close(l);
		return rc == DQC_ECANCELED || rc == DQC_ETIMEDOUT ? rc : DQC_ECONNECT;
	}
	return 0;
}

/* ------------------------------------------------------- the io interface */

static int link_write(dqe_io *io, const uint8_t *data, size_t len,
		      const dqe_wait *w)
{
	dqe_link *l = (dqe_link *)io;
	int rc;

	if (!l->up || !l->tcp_open)
		return DQC_ECLOSED;
	l->write_status = 0;
	if (l->ssl) {
		/* SSL_write takes an int: hand over big requests in parts */
		size_t off = 0;
		rc = 0;
		while (rc == 0 && off < len) {
			int part = len - off > (1u << 30) ? (1 << 30) : (int)(len - off);
			if (SSL_write(l->ssl, data + off, part) != part) {
				l->fatal = 1;
				snprintf(l->err, sizeof l->err, "TLS write: %s",
					 tls_reason());
				return DQC_EIO;
			}
			off += (size_t)part;
			rc = tls_flush(l);
		}
	} else {
		rc = queue_write(l, data, len, 0);
	}
	if (rc == 0)
		rc = wait_until(l, writes_drained, NULL, w);
	if (rc == 0 && l->write_status != 0) {
		snprintf(l->err, sizeof l->err, "write to %s failed: %s", l->peer,
			 uv_strerror(l->write_status));
		rc = DQC_EIO;
	}
	if (rc != 0) {
		/* Part of a request may have gone out, and the socket may still
		 * reference the caller's bytes: the stream is out of step and
		 * the only safe way on is to drop the link. */
		if (l->err[0] == '\0')
			snprintf(l->err, sizeof l->err, "write to %s %s", l->peer,
				 rc == DQC_ETIMEDOUT ? "timed out" : "was interrupted");
		dqe_link_close(l);
		if (rc == DQC_ENOMEM)
			rc = DQC_EIO;
	}
	return rc;
}

static int link_read(dqe_io *io, dqw_header *h, const uint8_t **body,
		     const dqe_wait *w)
{
	dqe_link *l = (dqe_link *)io;
	int rc;

	if (!l->tcp_open && l->rbuf.len == l->rpos)
		return DQC_ECLOSED;
	/* The previous body is no longer referenced: a large buffer it
	 * needed goes back now, even when the next frame is already here. */
	if (shrink(l) != 0) {
		l->fatal = 1;
		snprintf(l->err, sizeof l->err,
			 "out of memory reading a reply from %s", l->peer);
		return DQC_EIO;
	}
	/* l->rpos is the end of the previous frame. A frame already complete
	 * in the buffer is returned in place; only when the next frame is
	 * incomplete are the leftover bytes moved to the front (once per read
	 * burst, not once per frame: streaming stays linear). */
	if (!frame_ready(l, NULL)) {
		if (compact(l) != 0) {
			l->fatal = 1;
			snprintf(l->err, sizeof l->err,
				 "out of memory reading a reply from %s", l->peer);
			return DQC_EIO;
		}
		start_reading(l);
		rc = wait_until(l, frame_ready, NULL, w);
		if (rc != 0) {
			if (rc == DQC_EIO) {
				if (l->err[0] == '\0')
					snprintf(l->err, sizeof l->err,
						 "connection to %s lost", l->peer);
				l->fatal = 1;
			}
			return rc;
		}
	}
	dqw_header_decode(l->rbuf.data + l->rpos, h);
	if (dqw_body_size(h) > DQW_MAX_BODY) {
		l->fatal = 1;
		snprintf(l->err, sizeof l->err,
			 "protocol error: %s announced a %zu-byte message",
			 l->peer, dqw_body_size(h));
		return DQC_EPROTO;
	}
	*body = l->rbuf.data + l->rpos + DQW_HEADER_SIZE;
	l->rpos += DQW_HEADER_SIZE + dqw_body_size(h);
	if (!l->reading && !readahead_full(l))
		start_reading(l);
	return 0;
}

/* Nothing references a frame body any more: give back a large buffer
 * (an idle or pooled connection must not pin the last big reply). A
 * failed shrink keeps the buffer, which is still valid. */
static void link_settle(dqe_io *io)
{
	(void)shrink((dqe_link *)io);
}

static void link_close_io(dqe_io *io)
{
	dqe_link *l = (dqe_link *)io;
	dqe_link_close(l);
}

static const char *link_errmsg(const dqe_io *io)
{
	return ((const dqe_link *)io)->err;
}
