/*
 * io.h -- the frame transport the request machine talks through (internal to
 * src/), and the two things every wait needs: a deadline and a cancel scope.
 *
 * The request machine (machine.h) never touches a socket: it writes request
 * bytes and reads whole frames through a dqe_io. link.c is the transport over
 * a real socket (libuv, optional TLS); the unit tests and the fuzz harness
 * script one from bytes. So draining, interrupts, pipelining, stalls and
 * truncation run against scripted streams as the codec does.
 */
#ifndef DQE_IO_H
#define DQE_IO_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "wire.h"

/* Milliseconds on the monotonic clock; deadlines are absolute values of it. */
static inline uint64_t dqe_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A cancel scope (thread-safe). A scope groups the waits of one caller's
 * call; dqe_cancel_fire() from any thread ends the scope that is active at
 * that moment and nothing later: `active` holds the running scope's number
 * (0: none) and `fired` the number of the scope that was canceled, so a
 * cancel that arrives after its scope ended matches no later scope. */
typedef struct dqe_cancel {
	atomic_uint_fast64_t active;
	atomic_uint_fast64_t fired;
	uint64_t seq; /* owner thread only: last scope number handed out */
} dqe_cancel;

static inline void dqe_cancel_init(dqe_cancel *c)
{
	atomic_init(&c->active, 0);
	atomic_init(&c->fired, 0);
	c->seq = 0;
}

/* Owner thread: opens a new scope (never 0). */
static inline void dqe_cancel_open(dqe_cancel *c)
{
	if (++c->seq == 0)
		c->seq = 1;
	atomic_store(&c->active, c->seq);
}

/* Owner thread: closes the scope; later cancels are no-ops. */
static inline void dqe_cancel_close(dqe_cancel *c)
{
	atomic_store(&c->active, 0);
}

/* Any thread: cancels the active scope. 1 if a scope was active. */
static inline int dqe_cancel_fire(dqe_cancel *c)
{
	uint_fast64_t a = atomic_load(&c->active);
	if (a == 0)
		return 0;
	atomic_store(&c->fired, a);
	return 1;
}

/* 1 when the active scope was canceled. */
static inline int dqe_cancel_hit(const dqe_cancel *c)
{
	uint_fast64_t a;
	if (c == NULL)
		return 0;
	a = atomic_load(&c->active);
	return a != 0 && atomic_load(&c->fired) == a;
}

/* What one wait may spend: until deadline_ms (dqe_now_ms clock; 0: no limit)
 * unless the cancel scope fires first. */
typedef struct dqe_wait {
	uint64_t deadline_ms;
	const dqe_cancel *cancel;
} dqe_wait;

typedef struct dqe_io dqe_io;

typedef struct dqe_io_ops {
	/* Hands len bytes to the peer. 0 once all are written; otherwise
	 * DQC_ETIMEDOUT, DQC_ECANCELED, DQC_EIO or DQC_ECLOSED, and the
	 * transport is dead (a partly written request leaves the stream out
	 * of step, so a failed write always costs the link). */
	int (*write)(dqe_io *io, const uint8_t *data, size_t len,
		     const dqe_wait *w);
	/* Reads the next whole frame. *body points into the transport's
	 * buffer and stays valid until the next read or close. Returns 0;
	 * DQC_ETIMEDOUT or DQC_ECANCELED when the wait ended first (the
	 * frame may still come: nothing was consumed); DQC_EIO / DQC_ECLOSED
	 * when the link is lost; DQC_EPROTO for a frame larger than
	 * DQW_MAX_BODY. */
	int (*read)(dqe_io *io, dqw_header *h, const uint8_t **body,
		    const dqe_wait *w);
	/* Closes the transport (idempotent); later calls fail DQC_ECLOSED. */
	void (*close)(dqe_io *io);
	/* Why the last operation failed ("connection to X lost: ..."); never
	 * NULL, "" when nothing failed. */
	const char *(*errmsg)(const dqe_io *io);
	/* Optional (may be NULL): no frame body handed out earlier is in use
	 * any more, so a transport may give back memory it grew for a large
	 * frame. Called when a result is closed. */
	void (*settle)(dqe_io *io);
} dqe_io_ops;

/* Transports embed this as their first member. */
struct dqe_io {
	const dqe_io_ops *ops;
};

#endif /* DQE_IO_H */
