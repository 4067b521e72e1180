/*
 * link.c -- synchronous transport over a private libuv loop (see link.h).
 *
 * Why a loop per link run only while a call waits: ODBC calls block, and a
 * background I/O thread would put a cross-thread hand-off on every fetch. Here
 * the calling thread runs uv_run(UV_RUN_ONCE) until its condition holds; a
 * uv_timer bounds every wait and a uv_async lets another thread cancel it.
 *
 * Reads stay armed while the link is up, so the server can stream ROWS pages
 * ahead into our buffer; reading pauses when more than RBUF_HIGH bytes wait
 * unconsumed, which bounds memory whatever the result size.
 */
#include "link.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#define RBUF_HIGH (1u << 20)
#define READ_CHUNK 65536u

/* ------------------------------------------------------------ loop basics */

static void on_timer(uv_timer_t *t)
{
	dq_link *l = t->data;
	l->timer_fired = 1;
}

static void on_async(uv_async_t *a)
{
	(void)a; /* waking the loop is the point; waiters check l->canceled */
}

int dq_link_init(dq_link *l)
{
	memset(l, 0, sizeof *l);
	if (uv_loop_init(&l->loop) != 0)
		return DQC_ENOMEM;
	uv_timer_init(&l->loop, &l->timer);
	l->timer.data = l;
	uv_async_init(&l->loop, &l->async, on_async);
	l->async.data = l;
	l->loop_ready = 1;
	atomic_init(&l->canceled, 0);
	dqw_buf_init(&l->rbuf);
	dqw_buf_init(&l->net);
	return 0;
}

static void on_tcp_closed(uv_handle_t *h)
{
	dq_link *l = h->data;
	l->tcp_open = 0;
}

static void tls_free(dq_link *l)
{
	if (l->ssl)
		SSL_free(l->ssl); /* frees rbio and wbio too */
	if (l->ssl_ctx)
		SSL_CTX_free(l->ssl_ctx);
	l->ssl = NULL;
	l->ssl_ctx = NULL;
	l->rbio = l->wbio = NULL;
}

void dq_link_close(dq_link *l)
{
	if (l->tcp_open) {
		if (!uv_is_closing((uv_handle_t *)&l->tcp))
			uv_close((uv_handle_t *)&l->tcp, on_tcp_closed);
		/* Close callbacks (and cancelled write/connect callbacks) run on
		 * the next loop iterations; bounded because nothing else blocks. */
		for (int i = 0; l->tcp_open && i < 1000; i++)
			uv_run(&l->loop, UV_RUN_NOWAIT);
	}
	tls_free(l);
	l->up = 0;
	l->reading = 0;
	l->eof = 0;
	l->fatal = 0;
	dqw_buf_reset(&l->rbuf);
	dqw_buf_reset(&l->net);
	l->rpos = 0;
}

static void on_any_closed(uv_handle_t *h)
{
	(void)h;
}

void dq_link_fini(dq_link *l)
{
	if (!l->loop_ready)
		return;
	dq_link_close(l);
	uv_close((uv_handle_t *)&l->timer, on_any_closed);
	uv_close((uv_handle_t *)&l->async, on_any_closed);
	uv_run(&l->loop, UV_RUN_DEFAULT);
	uv_loop_close(&l->loop);
	dqw_buf_free(&l->rbuf);
	dqw_buf_free(&l->net);
	l->loop_ready = 0;
}

void dq_link_cancel(dq_link *l)
{
	atomic_store(&l->canceled, 1);
	uv_async_send(&l->async);
}

void dq_link_clear_cancel(dq_link *l)
{
	atomic_store(&l->canceled, 0);
}

typedef int (*wait_fn)(dq_link *l, void *arg);

/* Runs the loop until done() holds. Returns 0, DQC_ECANCELED, DQC_ETIMEDOUT
 * or DQC_EIO (link closed or failed while the condition did not hold). */
static int wait_until(dq_link *l, wait_fn done, void *arg, unsigned timeout_ms)
{
	int rc = 0;

	l->timer_fired = 0;
	if (timeout_ms)
		uv_timer_start(&l->timer, on_timer, timeout_ms, 0);
	for (;;) {
		/* Cancel first: a reader slower than the server always finds
		 * data ready and would otherwise never notice the cancel. */
		if (atomic_load(&l->canceled)) {
			rc = DQC_ECANCELED;
			break;
		}
		if (done(l, arg))
			break;
		if (l->timer_fired) {
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
static void tls_pump_in(dq_link *l)
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
		if (dqw_buf_reserve(&l->rbuf, 16384) != DQW_OK) {
			l->fatal = 1;
			return;
		}
		n = SSL_read(l->ssl, l->rbuf.data + l->rbuf.len,
			     (int)(l->rbuf.cap - l->rbuf.len));
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
static int queue_write(dq_link *l, const uint8_t *data, size_t len, int copy)
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
static int tls_flush(dq_link *l)
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

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	dq_link *l = h->data;
	dqw_buf *b = l->ssl ? &l->net : &l->rbuf;
	(void)suggested;
	if (dqw_buf_reserve(b, READ_CHUNK) != DQW_OK) {
		buf->base = NULL;
		buf->len = 0;
		return;
	}
	buf->base = (char *)b->data + b->len;
	buf->len = b->cap - b->len;
}

/* Linux turns delayed ACKs back on after every read. Pipelined requests
 * leave us with nothing to send while the server's small replies wait for
 * our ACK behind Nagle's algorithm (40 ms per batch); ACK at once. */
static void quick_ack(dq_link *l)
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

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	dq_link *l = s->data;
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
		if (l->rbuf.len - l->rpos > RBUF_HIGH && l->reading) {
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

static int start_reading(dq_link *l)
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

/* ------------------------------------------------------------- connecting */

int dq_split_address(const char *address, char *host, size_t hostcap,
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

static int connect_done(dq_link *l, void *arg)
{
	(void)l;
	return ((connect_state *)arg)->done;
}

static int tcp_connect_one(dq_link *l, const struct sockaddr *sa,
			   unsigned timeout_ms)
{
	connect_state s = {.done = 0, .status = 0};
	int rc;

	uv_tcp_init(&l->loop, &l->tcp);
	l->tcp.data = l;
	l->tcp_open = 1;
	s.req.data = &s;
	if (uv_tcp_connect(&s.req, &l->tcp, sa, on_connect) != 0) {
		dq_link_close(l);
		return DQC_ECONNECT;
	}
	rc = wait_until(l, connect_done, &s, timeout_ms);
	if (rc != 0 || s.status != 0) {
		if (rc == 0)
			snprintf(l->err, sizeof l->err, "%s",
				 uv_strerror(s.status));
		else
			snprintf(l->err, sizeof l->err, "%s",
				 rc == DQC_ETIMEDOUT ? "connect timed out"
						     : "connect canceled");
		dq_link_close(l); /* runs the pending on_connect */
		return rc ? rc : DQC_ECONNECT;
	}
	uv_tcp_nodelay(&l->tcp, 1);
	return 0;
}

static int tls_progress(dq_link *l, void *arg)
{
	(void)arg;
	return BIO_ctrl_pending(l->rbio) > 0;
}

static int tls_handshake(dq_link *l, const char *host, unsigned timeout_ms,
			 const struct dqc_tls_config *tls)
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
		int rc = wait_until(l, tls_progress, NULL, timeout_ms);
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

int dq_link_connect(dq_link *l, const char *address, unsigned timeout_ms,
		    const struct dqc_tls_config *tls)
{
	char host[256], port[16];
	struct addrinfo hints, *res = NULL, *ai;
	uv_getaddrinfo_t gai;
	int rc = DQC_ECONNECT;
	uint8_t hs[8];

	dq_link_close(l);
	snprintf(l->peer, sizeof l->peer, "%s", address);
	l->err[0] = '\0';
	if (dq_split_address(address, host, sizeof host, port, sizeof port) != 0) {
		snprintf(l->err, sizeof l->err,
			 "invalid address (expected host, host:port or [v6]:port)");
		return DQC_EINVAL;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	/* A NULL callback makes uv_getaddrinfo synchronous. */
	int g = uv_getaddrinfo(&l->loop, &gai, NULL, host, port, &hints);
	if (g != 0) {
		snprintf(l->err, sizeof l->err, "cannot resolve host '%s': %s", host,
			 uv_strerror(g));
		return DQC_ECONNECT;
	}
	res = gai.addrinfo;
	for (ai = res; ai; ai = ai->ai_next) {
		rc = tcp_connect_one(l, ai->ai_addr, timeout_ms);
		if (rc == 0 || rc == DQC_ECANCELED)
			break;
	}
	uv_freeaddrinfo(res);
	if (rc != 0)
		return rc;
	if (tls && tls->enabled) {
		rc = tls_handshake(l, host, timeout_ms, tls);
		if (rc != 0) {
			char keep[sizeof l->err];
			memcpy(keep, l->err, sizeof keep);
			dq_link_close(l);
			memcpy(l->err, keep, sizeof keep);
			return rc;
		}
	} else if (start_reading(l) != 0) {
		dq_link_close(l);
		return DQC_ECONNECT;
	}
	l->up = 1;
	for (int i = 0; i < 8; i++)
		hs[i] = (uint8_t)((uint64_t)DQW_PROTOCOL_VERSION >> (8 * i));
	rc = dq_link_write(l, hs, sizeof hs, timeout_ms);
	if (rc != 0) {
		dq_link_close(l);
		return rc == DQC_ECANCELED ? rc : DQC_ECONNECT;
	}
	return 0;
}

/* ---------------------------------------------------------------- writing */

static int writes_drained(dq_link *l, void *arg)
{
	(void)arg;
	return l->writes_pending == 0;
}

int dq_link_write(dq_link *l, const uint8_t *data, size_t len,
		  unsigned timeout_ms)
{
	int rc;

	if (!l->up || !l->tcp_open)
		return DQC_ECLOSED;
	l->write_status = 0;
	if (l->ssl) {
		if (SSL_write(l->ssl, data, (int)len) != (int)len) {
			l->fatal = 1;
			snprintf(l->err, sizeof l->err, "TLS write: %s", tls_reason());
			return DQC_EIO;
		}
		rc = tls_flush(l);
	} else {
		rc = queue_write(l, data, len, 0);
	}
	if (rc == 0)
		rc = wait_until(l, writes_drained, NULL, timeout_ms);
	if (rc == 0 && l->write_status != 0) {
		snprintf(l->err, sizeof l->err, "write to %s failed: %s", l->peer,
			 uv_strerror(l->write_status));
		rc = DQC_EIO;
	}
	if (rc != 0 && l->writes_pending) {
		/* The socket still references the caller's bytes: the only safe
		 * way out is to drop the link (cancels the pending write). */
		dq_link_close(l);
		l->fatal = 1;
	}
	if (rc == DQC_EIO)
		l->fatal = 1;
	return rc;
}

/* ---------------------------------------------------------------- frames */

static int frame_ready(dq_link *l, void *arg)
{
	size_t avail = l->rbuf.len - l->rpos;
	dqw_header h;
	(void)arg;
	if (avail < DQW_HEADER_SIZE)
		return 0;
	dqw_header_decode(l->rbuf.data + l->rpos, &h);
	if (dqw_body_size(&h) > DQW_MAX_BODY)
		return 1; /* let the reader report it */
	return avail - DQW_HEADER_SIZE >= dqw_body_size(&h);
}

int dq_link_read_frame(dq_link *l, dqw_header *h, const uint8_t **body,
		       unsigned timeout_ms)
{
	int rc;

	if (!l->tcp_open && l->rbuf.len == l->rpos)
		return DQC_ECLOSED;
	/* l->rpos is the end of the previous frame. A frame already complete
	 * in the buffer is returned in place; only when the next frame is
	 * incomplete are the leftover bytes moved to the front (once per read
	 * burst, not once per frame: streaming stays linear). */
	if (!frame_ready(l, NULL)) {
		size_t rest = l->rbuf.len - l->rpos;
		if (l->rpos) {
			memmove(l->rbuf.data, l->rbuf.data + l->rpos, rest);
			l->rbuf.len = rest;
			l->rpos = 0;
		}
		start_reading(l);
		rc = wait_until(l, frame_ready, NULL, timeout_ms);
		if (rc != 0) {
			if (rc == DQC_EIO && l->err[0] == '\0')
				snprintf(l->err, sizeof l->err, "connection to %s lost",
					 l->peer);
			if (rc == DQC_EIO)
				l->fatal = 1;
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
	if (!l->reading && l->rbuf.len - l->rpos < RBUF_HIGH)
		start_reading(l);
	return 0;
}
