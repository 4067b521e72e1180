/*
 * machine.h -- the request machine (internal to src/): it sequences requests
 * and replies on one connection, streams results, pipelines, and keeps the
 * stream in step after timeouts, cancels and failures. It reads and writes
 * only through a dqe_io (io.h), so unit tests and the fuzz harness drive it
 * with scripted byte streams; link.c is the real transport.
 *
 * The rules it enforces (docs/protocol.md says why):
 *  - One request at a time, except pipelined EXECs whose replies are read in
 *    order. A request never goes out while a result is still streaming: the
 *    result is first read into memory (or, past its caps, abandoned).
 *  - Abandoning a streaming result: INTERRUPT, then discard until EMPTY
 *    (released servers read INTERRUPT only after the last page).
 *  - A ROWS page with no row and the "more" marker is the server's endless
 *    reply (column names that fill a page): the link is closed at once.
 *  - A wait that ends (deadline or cancel) gives the reply DQE_GRACE_MS more
 *    to arrive, then closes the link: a late reply is the truth about the
 *    request, and a closed link is the only way to stop one that never
 *    comes. So every call returns by its deadline plus the grace.
 *  - After any failure the machine is either in step (a FAILURE reply) or
 *    down (the transport closed); never half-way.
 */
#ifndef DQE_MACHINE_H
#define DQE_MACHINE_H

#include <stdint.h>

#include "dqlite_client.h"
#include "io.h"
#include "rows.h"
#include "wire.h"

/* What a reply still gets after its wait ended, before the link goes. */
#define DQE_GRACE_MS 200u

typedef struct dqe_err {
	int rc;          /* DQC_E* of the last failure, 0 after success */
	uint64_t code;   /* the server's FAILURE code, or 0 */
	int sent;        /* the failed call had written (part of) a request */
	char msg[1024];
} dqe_err;

typedef struct dqe_machine {
	dqe_io *io;         /* the transport; NULL before the first attach */
	int up;             /* attached and in step */
	char peer[256];     /* the transport's peer, for messages */
	dqe_wait wait;      /* what the current call's waits may spend */
	uint32_t db_id;
	dqw_buf out;        /* encoded requests not yet written */
	unsigned pending;   /* pipelined requests whose replies are due */
	dqc_rows *active;   /* the result whose pages are due on the link */
	uint64_t requests;  /* frames written since init (statistics) */
	dqe_err err;
} dqe_machine;

void dqe_machine_init(dqe_machine *m);
/* Detaches and frees what the machine owns (not the transport). */
void dqe_machine_fini(dqe_machine *m);
/* Starts using io, freshly connected to peer and in step. */
void dqe_machine_attach(dqe_machine *m, dqe_io *io, const char *peer);
/* Closes the transport and forgets what was in flight. The active result
 * keeps the rows it holds and then fails with rc and why. */
void dqe_machine_detach(dqe_machine *m, int rc, const char *why);

/* Records a failure (message printf-style) and returns rc. */
int dqe_machine_error(dqe_machine *m, int rc, uint64_t code, const char *fmt,
		      ...) __attribute__((format(printf, 4, 5)));

/* A reply that would not decode: drops the link, records DQC_EPROTO
 * ("protocol error: malformed <what> from <peer>") and returns it. */
int dqe_machine_malformed(dqe_machine *m, const char *what);

/* Forgets the last call's failure (dqe_machine_begin starts with it; a
 * caller that checks a request before beginning calls it first). */
void dqe_machine_clear_error(dqe_machine *m);

/* Makes the link ready for a new request: it must be up with no pipelined
 * reply due; a streaming result is first read into memory (within its caps;
 * past them it is abandoned and fails with DQC_ELIMIT when read). Clears the
 * error and m->out. 0 or the failure (nothing of the new request sent). */
int dqe_machine_begin(dqe_machine *m);

/* Writes m->out. 0 or the link failure (the machine is then down). */
int dqe_machine_flush(dqe_machine *m);

/* Writes m->out and reads one reply of type `expect`. A FAILURE reply
 * becomes DQC_ESERVER / DQC_ENOTLEADER / DQC_ELEADERLOST (the link stays in
 * step); any other type is a protocol error (the link is dropped). *body is
 * valid until the next read. */
int dqe_machine_roundtrip(dqe_machine *m, uint8_t expect, dqw_header *h,
			  const uint8_t **body);

/* Writes m->out (a QUERY / QUERY_SQL) and starts its result. Returns 0 with
 * *out positioned before its first row (the machine's active result while
 * pages are due), or the failure; DQC_ETOOWIDE when the server cannot send
 * the result (the link is then dropped). */
int dqe_machine_query(dqe_machine *m, uint64_t max_rows, uint64_t max_pages,
		      dqc_rows **out);

/* Reads the next page of r, the active result. 0 or the failure, which
 * also ends r. */
int dqe_machine_next_page(dqe_machine *m, dqc_rows *r);

/* Reads the rest of the active result r into memory, so the link is free.
 * Past its caps or out of memory, r is abandoned instead and fails when its
 * rows in hand are read; that still returns 0. A link failure returns it. */
int dqe_machine_buffer(dqe_machine *m, dqc_rows *r);

/* Stops streaming r (the active result): INTERRUPT, then discard until
 * EMPTY within the call's wait, else drop the link. 0 when the link is in
 * step again. */
int dqe_machine_abandon(dqe_machine *m, dqc_rows *r);

/* Pipelining: encode EXECs into m->out, calling dqe_machine_queued() after
 * each; dqe_machine_pipeline_recv() writes what is queued and reads the
 * oldest reply. A FAILURE reply fails that request only; a wait that ends or
 * a link failure drops the link and every pending request with it. */
void dqe_machine_queued(dqe_machine *m);
int dqe_machine_pipeline_recv(dqe_machine *m, dqw_result *res);

#endif /* DQE_MACHINE_H */
