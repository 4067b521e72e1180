/*
 * link.h -- one transport link to one dqlite node (internal to src/).
 *
 * A link owns a private libuv loop with a TCP handle, a timer and an async
 * handle (for cross-thread cancel), plus optional OpenSSL TLS over memory
 * BIOs. All calls are synchronous: they run the loop in the calling thread
 * until their condition holds, the deadline passes, or the link is canceled.
 */
#ifndef DQ_LINK_H
#define DQ_LINK_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>
#include <uv.h>

#include "dqlite_client.h"
#include "wire.h"

typedef struct dq_link {
	uv_loop_t loop;
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_async_t async;
	int loop_ready;     /* loop, timer and async initialised */
	int tcp_open;       /* tcp handle initialised (needs uv_close) */
	int up;             /* connected (and TLS handshake done) */
	int reading;
	int eof;            /* peer closed / read error seen */
	int fatal;          /* protocol or I/O error: link unusable */
	int timer_fired;
	atomic_int canceled;
	int writes_pending;  /* uv_write requests not yet completed */
	int write_status;    /* first write error since the last dq_link_write */
	/* received plaintext bytes: [rpos, rbuf.len) not yet consumed */
	dqw_buf rbuf;
	size_t rpos;
	/* TLS */
	SSL_CTX *ssl_ctx;
	SSL *ssl;
	BIO *rbio, *wbio;
	dqw_buf net;        /* ciphertext read from the socket */
	char peer[256];
	char err[512];
} dq_link;

/* Initialises the loop and its handles. 0 or DQC_ENOMEM. */
int dq_link_init(dq_link *l);
/* Closes the socket (if open) and the loop. The link may be reused after
 * dq_link_init again. */
void dq_link_fini(dq_link *l);

/* Connects to address ("host:port", "[v6]:port", or "host" meaning port
 * 9001), trying every resolved address, then runs the TLS handshake when
 * tls->enabled, then writes the protocol handshake. 0 or DQC_ECONNECT /
 * DQC_ETIMEDOUT / DQC_ETLS with l->err set. */
int dq_link_connect(dq_link *l, const char *address, unsigned timeout_ms,
		    const struct dqc_tls_config *tls);
/* Closes the socket (keeps the loop). */
void dq_link_close(dq_link *l);

/* Writes len bytes. 0, DQC_EIO, DQC_ETIMEDOUT or DQC_ECANCELED. */
int dq_link_write(dq_link *l, const uint8_t *data, size_t len,
		  unsigned timeout_ms);

/* Reads the next whole frame. *body points into the link's buffer and stays
 * valid until the next dq_link_read_frame / dq_link_close. 0, DQC_EIO,
 * DQC_EPROTO (oversized body), DQC_ETIMEDOUT or DQC_ECANCELED. timeout_ms 0:
 * no limit. */
int dq_link_read_frame(dq_link *l, dqw_header *h, const uint8_t **body,
		       unsigned timeout_ms);

/* Thread-safe: makes the current or next wait return DQC_ECANCELED. */
void dq_link_cancel(dq_link *l);
/* Clears a pending cancel (after it was handled). */
void dq_link_clear_cancel(dq_link *l);

/* Splits "host:port" / "[v6]:port" / "host". 0 or -1 (bad form). */
int dq_split_address(const char *address, char *host, size_t hostcap,
		     char *port, size_t portcap);

#endif /* DQ_LINK_H */
