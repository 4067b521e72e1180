/*
 * link.h -- the transport over a real socket: one link to one dqlite node
 * (internal to src/). It implements the dqe_io interface (io.h).
 *
 * A link owns a private libuv loop with a TCP handle, a timer and an async
 * handle (so another thread can wake a wait to cancel it), plus optional
 * OpenSSL TLS over memory BIOs. Every call is synchronous: it runs the loop
 * in the calling thread until its condition holds, its deadline passes or
 * its cancel scope fires.
 *
 * Memory: received bytes wait in one buffer. Reading pauses while more than
 * DQE_LINK_READAHEAD bytes of whole frames wait unconsumed (so a fast server
 * streaming a huge result cannot fill memory), but never while the frame
 * being waited for is incomplete: a frame of any size up to DQW_MAX_BODY is
 * read whole, into a buffer sized for it, which is released afterwards.
 */
#ifndef DQE_LINK_H
#define DQE_LINK_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>
#include <uv.h>

#include "dqlite_client.h"
#include "io.h"
#include "wire.h"

/* Bytes of complete frames the link reads ahead of the consumer. */
#define DQE_LINK_READAHEAD (1u << 20)

typedef struct dqe_link {
	dqe_io io;          /* first: &link->io is the transport interface */
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
	int writes_pending; /* uv_write requests not yet completed */
	int write_status;   /* first write error since the last write call */
	/* received plaintext: [rpos, rbuf.len) not yet consumed */
	dqw_buf rbuf;
	size_t rpos;
	/* TLS */
	SSL_CTX *ssl_ctx;
	SSL *ssl;
	BIO *rbio, *wbio;
	dqw_buf net;        /* ciphertext read from the socket */
	char peer[256];
	char err[512];
} dqe_link;

/* Initialises the loop and its handles. 0 or DQC_ENOMEM. */
int dqe_link_init(dqe_link *l);
/* Closes the socket (if open) and the loop; dqe_link_init may follow. */
void dqe_link_fini(dqe_link *l);

/* Connects to address ("host:port", "[v6]:port", or "host" meaning port
 * 9001), trying every resolved address, runs the TLS handshake when
 * tls->enabled, and writes the protocol handshake; all within w. Returns 0,
 * or DQC_EINVAL (malformed address), DQC_ECONNECT, DQC_ETIMEDOUT,
 * DQC_ECANCELED or DQC_ETLS with l->err saying why. TCP keepalive is on, so
 * a peer host that vanished is noticed on an idle link too. */
int dqe_link_connect(dqe_link *l, const char *address,
		     const struct dqc_tls_config *tls, const dqe_wait *w);
/* Closes the socket (keeps the loop) and drops buffered bytes. */
void dqe_link_close(dqe_link *l);
/* 1 while connected and no I/O failure was seen. */
int dqe_link_usable(const dqe_link *l);
/* Asks the kernel, without waiting or reading, whether the peer closed or
 * reset the socket; if so the link is marked lost (as a read would have).
 * Returns dqe_link_usable(). */
int dqe_link_probe(dqe_link *l);

/* Waits until w's deadline (required) unless its cancel scope fires first
 * or the link is lost meanwhile: DQC_ETIMEDOUT (the normal end),
 * DQC_ECANCELED, or 0 when the link went (it stays marked lost, so the
 * next request finds out). A link already lost does not end the wait. */
int dqe_link_sleep(dqe_link *l, const dqe_wait *w);

/* Thread-safe: wakes a wait of this link so it re-checks its cancel scope.
 * Valid from dqe_link_init to dqe_link_fini. */
void dqe_link_wake(dqe_link *l);

/* Splits "host:port" / "[v6]:port" / "host". 0 or -1 (bad form). */
int dqe_split_address(const char *address, char *host, size_t hostcap,
		      char *port, size_t portcap);

#endif /* DQE_LINK_H */
