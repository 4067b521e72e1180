/*
 * script_io.h -- a scripted frame transport (a dqe_io, src/io.h) for driving
 * the request machine (src/machine.h) without a socket: the unit tests
 * (tests/unit/test_machine.c) and the fuzz harness (fuzz/fuzz_machine.c)
 * include it. Header-only: every function is static.
 *
 * Reads consume a queue of scripted events in order:
 *   - a whole frame (type, schema, body; the 8-byte header is implied),
 *   - a stall: the read returns DQC_ETIMEDOUT without consuming anything, as
 *     a real wait does when its deadline passes. A stall of n reads times
 *     out n reads and is then gone ("stall once then deliver": n = 1 followed
 *     by a frame); SIO_FOREVER never ends,
 *   - a link loss: DQC_EIO now and on every later read or write,
 *   - an oversized frame: DQC_EPROTO, as the link refuses a frame larger
 *     than DQW_MAX_BODY (the link is dead after it),
 *   - a cancel: fires the script's cancel scope (as another thread's
 *     dqc_cancel() would while the read waits) and goes on reading.
 * Like the link, a read whose wait's cancel scope has fired returns
 * DQC_ECANCELED before anything else (nothing consumed). A read past the end
 * of the script is a link loss too, counted in past_end so tests can insist
 * the machine read no more than the script holds.
 *
 * Frame bodies obey the transport contract strictly: a body stays valid
 * until the next read (whatever its outcome) or close, then it is filled
 * with 0x5A and, under AddressSanitizer, poisoned (kept one more read, then
 * freed), so a machine that keeps using a body after that reads garbage, and
 * an ASan build reports the exact access. (Defining SIO_KEEP_BODIES keeps
 * every body intact until sio_free(): only for exploring past a known
 * violation of that contract, never for a test's verdict.)
 *
 * Every byte the machine writes is recorded in `out` (sio_req_* decode the
 * requests from it); a write can be scripted to fail. close() is recorded.
 */
#ifndef SCRIPT_IO_H
#define SCRIPT_IO_H

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dqlite_client.h"
#include "io.h"
#include "rows.h"
#include "wire.h"

#if defined(__SANITIZE_ADDRESS__)
#define SIO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIO_ASAN 1
#endif
#endif
#ifdef SIO_ASAN
#include <sanitizer/asan_interface.h>
#define SIO_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define SIO_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define SIO_POISON(p, n) ((void)(p), (void)(n))
#define SIO_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define SIO_FN static __attribute__((unused))

/* A stall that never ends. */
#define SIO_FOREVER UINT_MAX
/* What a stale body is filled with (not a ROWS marker byte). */
#define SIO_POISON_BYTE 0x5A
/* Reads whose waits are remembered (the first ones). */
#define SIO_MAX_WAITS 256

enum sio_kind {
	SIO_FRAME = 1,
	SIO_STALL,
	SIO_LOSS,
	SIO_OVERSIZED,
	SIO_CANCEL
};

typedef struct sio_event {
	int kind;
	uint8_t type, schema;
	uint16_t extra;
	uint8_t *body; /* SIO_FRAME: owned, len bytes */
	size_t len;
	unsigned count; /* SIO_STALL: reads still to time out */
} sio_event;

/* One read's wait, as the machine passed it. */
typedef struct sio_wait_rec {
	uint64_t deadline_ms;
	const dqe_cancel *cancel;
	uint64_t at_ms; /* dqe_now_ms() when the read was called */
} sio_wait_rec;

typedef struct script_io script_io;
typedef void (*sio_write_hook)(script_io *s, const uint8_t *data, size_t len,
			       void *ctx);

struct script_io {
	dqe_io io; /* first member: a script_io * is a dqe_io * */
	char peer[64];
	char err[256];

	/* the script */
	sio_event *ev;
	size_t nev, cap, pos;
	dqe_cancel *cancel; /* fired by SIO_CANCEL events */

	/* state of the transport */
	int closed;  /* close() was called (until sio_reconnect) */
	int dead_rc; /* != 0: the link failed; later reads return it */
	uint8_t *cur;
	size_t cur_len; /* the body handed out by the last read */
	uint8_t *stale;
	size_t stale_len; /* the one before, poisoned */
	uint8_t **kept;   /* SIO_KEEP_BODIES: every body, until sio_free */
	size_t nkept;

	/* what happened */
	unsigned reads, frames, stalls, cancels_seen, past_end;
	unsigned unbounded_stalls; /* stalls hit by a wait with no deadline */
	unsigned close_calls, ops_after_close;
	unsigned writes;
	int last_endless;            /* the last frame read was a ROWS page with
	                                no row and the "more" marker */
	unsigned writes_after_endless; /* a write followed such a page */
	sio_wait_rec waits[SIO_MAX_WAITS];
	unsigned nwaits;
	dqw_buf out; /* every byte written */

	/* scripted write failure: the fail_write_at-th write (1-based; 0:
	 * none) records fail_write_keep bytes, then fails with fail_write_rc */
	unsigned fail_write_at;
	int fail_write_rc;
	size_t fail_write_keep;

	sio_write_hook on_write; /* called before each write is recorded */
	void *hook_ctx;
};

/* -------------------------------------------------------------- helpers */

SIO_FN void sio_die(const char *what)
{
	fprintf(stderr, "script_io: %s\n", what);
	abort();
}

SIO_FN void sio_put(dqw_buf *b, const void *p, size_t n)
{
	if (dqw_buf_reserve(b, n) != DQW_OK)
		sio_die("out of memory");
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
}

SIO_FN void sio_put_zeros(dqw_buf *b, size_t n)
{
	if (dqw_buf_reserve(b, n) != DQW_OK)
		sio_die("out of memory");
	memset(b->data + b->len, 0, n);
	b->len += n;
}

SIO_FN void sio_pad8(dqw_buf *b)
{
	sio_put_zeros(b, (8 - b->len % 8) % 8);
}

SIO_FN void sio_put_u64(dqw_buf *b, uint64_t v)
{
	uint8_t x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	sio_put(b, x, 8);
}

SIO_FN void sio_put_u32(dqw_buf *b, uint32_t v)
{
	uint8_t x[4];
	for (int i = 0; i < 4; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	sio_put(b, x, 4);
}

/* Text: the bytes, a NUL, zero padding to 8 (the body must be 8-aligned). */
SIO_FN void sio_put_text(dqw_buf *b, const char *s)
{
	sio_put(b, s, strlen(s) + 1);
	sio_pad8(b);
}

/* ------------------------------------------------------- body builders
 * Each appends a body (no header) to b; push it with sio_push_buf(). */

/* ROWS: the column count and names. */
SIO_FN void sio_rows_columns(dqw_buf *b, unsigned n, const char *const *names)
{
	sio_put_u64(b, n);
	for (unsigned i = 0; i < n; i++)
		sio_put_text(b, names[i]);
}

/* ROWS: one row of n cells (types DQC_INTEGER, DQC_FLOAT, DQC_TEXT,
 * DQC_BLOB, DQC_NULL, DQC_ISO8601, DQC_BOOLEAN, DQC_UNIXTIME). */
SIO_FN void sio_rows_row(dqw_buf *b, unsigned n, const dqc_value *cells)
{
	size_t hdr = ((size_t)n + 1) / 2, at = b->len;
	sio_put_zeros(b, (hdr + 7) / 8 * 8);
	for (unsigned i = 0; i < n; i++)
		b->data[at + i / 2] |= (uint8_t)((cells[i].type & 0x0f) << ((i % 2) * 4));
	for (unsigned i = 0; i < n; i++) {
		const dqc_value *v = &cells[i];
		switch (v->type) {
		case DQC_INTEGER:
		case DQC_UNIXTIME: sio_put_u64(b, (uint64_t)v->v.integer); break;
		case DQC_FLOAT: {
			uint64_t u;
			memcpy(&u, &v->v.real, 8);
			sio_put_u64(b, u);
			break;
		}
		case DQC_BOOLEAN: sio_put_u64(b, v->v.boolean); break;
		case DQC_NULL: sio_put_u64(b, 0); break;
		case DQC_TEXT:
		case DQC_ISO8601:
			sio_put(b, v->v.text.ptr, v->v.text.len);
			sio_put_zeros(b, 1);
			sio_pad8(b);
			break;
		case DQC_BLOB:
			sio_put_u64(b, v->v.blob.len);
			sio_put(b, v->v.blob.ptr, v->v.blob.len);
			sio_pad8(b);
			break;
		default: sio_die("sio_rows_row: unknown value type");
		}
	}
}

/* ROWS: the end marker: 8 x 0xEE (more pages follow) or 8 x 0xFF (done). */
SIO_FN void sio_rows_end(dqw_buf *b, int more)
{
	uint8_t m[8];
	memset(m, more ? 0xEE : 0xFF, 8);
	sio_put(b, m, 8);
}

SIO_FN void sio_body_failure(dqw_buf *b, uint64_t code, const char *msg)
{
	sio_put_u64(b, code);
	sio_put_text(b, msg);
}

SIO_FN void sio_body_result(dqw_buf *b, uint64_t last_insert_id,
			    uint64_t rows_affected)
{
	sio_put_u64(b, last_insert_id);
	sio_put_u64(b, rows_affected);
}

SIO_FN void sio_body_empty(dqw_buf *b)
{
	sio_put_u64(b, 0);
}

/* STMT: schema 1 adds the tail offset. */
SIO_FN void sio_body_stmt(dqw_buf *b, uint32_t db, uint32_t id,
			  uint64_t n_params, int schema, uint64_t tail)
{
	sio_put_u32(b, db);
	sio_put_u32(b, id);
	sio_put_u64(b, n_params);
	if (schema == 1)
		sio_put_u64(b, tail);
}

SIO_FN void sio_body_db(dqw_buf *b, uint32_t id)
{
	sio_put_u32(b, id);
	sio_put_u32(b, 0);
}

/* Value constructors for sio_rows_row. */
SIO_FN dqc_value sio_int(int64_t i)
{
	dqc_value v = {.type = DQC_INTEGER};
	v.v.integer = i;
	return v;
}

SIO_FN dqc_value sio_text(const char *s)
{
	dqc_value v = {.type = DQC_TEXT};
	v.v.text.ptr = s;
	v.v.text.len = strlen(s);
	return v;
}

SIO_FN dqc_value sio_blob(const void *p, size_t n)
{
	dqc_value v = {.type = DQC_BLOB};
	v.v.blob.ptr = p;
	v.v.blob.len = n;
	return v;
}

SIO_FN dqc_value sio_null(void)
{
	dqc_value v = {.type = DQC_NULL};
	return v;
}

/* ----------------------------------------------------------- the script */

SIO_FN sio_event *sio_add(script_io *s, int kind)
{
	if (s->nev == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		sio_event *ev = realloc(s->ev, cap * sizeof *ev);
		if (ev == NULL)
			sio_die("out of memory");
		s->ev = ev;
		s->cap = cap;
	}
	memset(&s->ev[s->nev], 0, sizeof s->ev[s->nev]);
	s->ev[s->nev].kind = kind;
	return &s->ev[s->nev++];
}

/* A frame; the body is copied and zero-padded to a multiple of 8. */
SIO_FN void sio_push_frame(script_io *s, uint8_t type, uint8_t schema,
			   const void *body, size_t len)
{
	sio_event *e = sio_add(s, SIO_FRAME);
	size_t padded = (len + 7) / 8 * 8;
	e->type = type;
	e->schema = schema;
	e->len = padded;
	e->body = calloc(1, padded ? padded : 1);
	if (e->body == NULL)
		sio_die("out of memory");
	if (len)
		memcpy(e->body, body, len);
}

SIO_FN void sio_push_buf(script_io *s, uint8_t type, const dqw_buf *b)
{
	sio_push_frame(s, type, 0, b->data, b->len);
}

SIO_FN void sio_push_failure(script_io *s, uint64_t code, const char *msg)
{
	dqw_buf b;
	dqw_buf_init(&b);
	sio_body_failure(&b, code, msg);
	sio_push_buf(s, DQW_RESP_FAILURE, &b);
	dqw_buf_free(&b);
}

SIO_FN void sio_push_result(script_io *s, uint64_t last_insert_id,
			    uint64_t rows_affected)
{
	dqw_buf b;
	dqw_buf_init(&b);
	sio_body_result(&b, last_insert_id, rows_affected);
	sio_push_buf(s, DQW_RESP_RESULT, &b);
	dqw_buf_free(&b);
}

SIO_FN void sio_push_empty(script_io *s)
{
	dqw_buf b;
	dqw_buf_init(&b);
	sio_body_empty(&b);
	sio_push_buf(s, DQW_RESP_EMPTY, &b);
	dqw_buf_free(&b);
}

SIO_FN void sio_push_stmt(script_io *s, uint32_t db, uint32_t id,
			  uint64_t n_params)
{
	dqw_buf b;
	dqw_buf_init(&b);
	sio_body_stmt(&b, db, id, n_params, 0, 0);
	sio_push_buf(s, DQW_RESP_STMT, &b);
	dqw_buf_free(&b);
}

SIO_FN void sio_push_db(script_io *s, uint32_t id)
{
	dqw_buf b;
	dqw_buf_init(&b);
	sio_body_db(&b, id);
	sio_push_buf(s, DQW_RESP_DB, &b);
	dqw_buf_free(&b);
}

/* A stall of n reads (SIO_FOREVER: every later read). */
SIO_FN void sio_push_stall(script_io *s, unsigned n)
{
	if (n == 0)
		return;
	sio_add(s, SIO_STALL)->count = n;
}

SIO_FN void sio_push_loss(script_io *s)
{
	sio_add(s, SIO_LOSS);
}

SIO_FN void sio_push_oversized(script_io *s)
{
	sio_add(s, SIO_OVERSIZED);
}

SIO_FN void sio_push_cancel(script_io *s)
{
	sio_add(s, SIO_CANCEL);
}

/* Scripted events not consumed yet (a SIO_FOREVER stall stays). */
SIO_FN size_t sio_left(const script_io *s)
{
	return s->nev - s->pos;
}

SIO_FN void sio_fail_write(script_io *s, unsigned nth, int rc, size_t keep)
{
	s->fail_write_at = nth;
	s->fail_write_rc = rc;
	s->fail_write_keep = keep;
}

/* --------------------------------------------------- requests written */

/* The i-th request written (0-based): 1 with its type and body, 0 when
 * there are fewer, -1 when the bytes written do not split into frames. */
SIO_FN int sio_req(const script_io *s, size_t i, uint8_t *type,
		   const uint8_t **body, size_t *len)
{
	size_t off = 0, k = 0;
	while (off < s->out.len) {
		dqw_header h;
		size_t n;
		if (s->out.len - off < DQW_HEADER_SIZE)
			return -1;
		dqw_header_decode(s->out.data + off, &h);
		n = dqw_body_size(&h);
		if (s->out.len - off - DQW_HEADER_SIZE < n)
			return -1;
		if (k == i) {
			if (type)
				*type = h.type;
			if (body)
				*body = s->out.data + off + DQW_HEADER_SIZE;
			if (len)
				*len = n;
			return 1;
		}
		off += DQW_HEADER_SIZE + n;
		k++;
	}
	return 0;
}

/* Requests written, or -1 when the bytes do not split into frames. */
SIO_FN long sio_req_count(const script_io *s)
{
	long n = 0;
	int k;
	while ((k = sio_req(s, (size_t)n, NULL, NULL, NULL)) == 1)
		n++;
	return k < 0 ? -1 : n;
}

/* Requests of one type written. */
SIO_FN long sio_req_count_type(const script_io *s, uint8_t type)
{
	long n = 0;
	uint8_t t;
	for (size_t i = 0; sio_req(s, i, &t, NULL, NULL) == 1; i++)
		n += t == type;
	return n;
}

/* The type of the i-th request, or -1. */
SIO_FN int sio_req_type(const script_io *s, size_t i)
{
	uint8_t t;
	return sio_req(s, i, &t, NULL, NULL) == 1 ? t : -1;
}

/* Forgets what was written (and the write count), e.g. between phases. */
SIO_FN void sio_clear_out(script_io *s)
{
	dqw_buf_reset(&s->out);
	s->writes = 0;
}

/* ------------------------------------------------------- the transport */

/* The body handed out last is no longer valid. */
SIO_FN void sio_invalidate(script_io *s)
{
#ifdef SIO_KEEP_BODIES
	if (s->cur) {
		uint8_t **k = realloc(s->kept, (s->nkept + 1) * sizeof *k);
		if (k == NULL)
			sio_die("out of memory");
		s->kept = k;
		s->kept[s->nkept++] = s->cur;
	}
#else
	if (s->stale) {
		SIO_UNPOISON(s->stale, s->stale_len ? s->stale_len : 1);
		free(s->stale);
	}
	s->stale = s->cur;
	s->stale_len = s->cur_len;
	if (s->stale) {
		memset(s->stale, SIO_POISON_BYTE, s->stale_len);
		SIO_POISON(s->stale, s->stale_len ? s->stale_len : 1);
	}
#endif
	s->cur = NULL;
	s->cur_len = 0;
}

SIO_FN void sio_fail(script_io *s, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
SIO_FN void sio_fail(script_io *s, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	s->dead_rc = rc;
}

SIO_FN int sio_read(dqe_io *io, dqw_header *h, const uint8_t **body,
		    const dqe_wait *w)
{
	script_io *s = (script_io *)io;

	sio_invalidate(s);
	s->reads++;
	if (s->nwaits < SIO_MAX_WAITS) {
		sio_wait_rec *r = &s->waits[s->nwaits++];
		r->deadline_ms = w->deadline_ms;
		r->cancel = w->cancel;
		r->at_ms = dqe_now_ms();
	}
	if (s->closed) {
		s->ops_after_close++;
		return DQC_ECLOSED;
	}
	if (s->dead_rc)
		return s->dead_rc;
	for (;;) {
		sio_event *e;
		if (dqe_cancel_hit(w->cancel)) {
			s->cancels_seen++;
			return DQC_ECANCELED;
		}
		if (s->pos == s->nev) {
			s->past_end++;
			sio_fail(s, DQC_EIO, "connection to %s lost: end of script",
				 s->peer);
			return DQC_EIO;
		}
		e = &s->ev[s->pos];
		switch (e->kind) {
		case SIO_CANCEL:
			s->pos++;
			if (s->cancel)
				dqe_cancel_fire(s->cancel);
			continue;
		case SIO_STALL:
			s->stalls++;
			if (w->deadline_ms == 0)
				s->unbounded_stalls++;
			if (e->count != SIO_FOREVER && --e->count == 0)
				s->pos++;
			return DQC_ETIMEDOUT;
		case SIO_LOSS:
			s->pos++;
			sio_fail(s, DQC_EIO, "connection to %s lost: closed by the server",
				 s->peer);
			return DQC_EIO;
		case SIO_OVERSIZED:
			s->pos++;
			sio_fail(s, DQC_EPROTO,
				 "protocol error: %s announced a 4294967288-byte message",
				 s->peer);
			return DQC_EPROTO;
		default:
			break;
		}
		/* a frame: an exact-size copy, so ASan sees any over-read */
		s->pos++;
		s->cur = malloc(e->len ? e->len : 1);
		if (s->cur == NULL)
			sio_die("out of memory");
		if (e->len)
			memcpy(s->cur, e->body, e->len);
		s->cur_len = e->len;
		h->words = (uint32_t)(e->len / 8);
		h->type = e->type;
		h->schema = e->schema;
		h->extra = e->extra;
		*body = s->cur;
		s->frames++;
		s->last_endless = e->type == DQW_RESP_ROWS &&
				  dqe_rows_page_kind(s->cur, s->cur_len) ==
					  DQE_PAGE_EMPTY_MORE;
		return 0;
	}
}

SIO_FN int sio_write(dqe_io *io, const uint8_t *data, size_t len,
		     const dqe_wait *w)
{
	script_io *s = (script_io *)io;

	s->writes++;
	if (s->closed) {
		s->ops_after_close++;
		return DQC_ECLOSED;
	}
	if (s->dead_rc)
		return DQC_EIO;
	if (s->last_endless)
		s->writes_after_endless++;
	if (s->on_write)
		s->on_write(s, data, len, s->hook_ctx);
	if (s->fail_write_at == s->writes) {
		sio_put(&s->out, data, s->fail_write_keep < len ? s->fail_write_keep : len);
		sio_fail(s, s->fail_write_rc, "write to %s failed: broken pipe", s->peer);
		return s->fail_write_rc;
	}
	/* the link queues the bytes, then waits for them to drain, checking
	 * the cancel scope first: they may well have gone out */
	sio_put(&s->out, data, len);
	if (dqe_cancel_hit(w->cancel)) {
		s->cancels_seen++;
		sio_fail(s, DQC_EIO, "write to %s was interrupted", s->peer);
		return DQC_ECANCELED;
	}
	return 0;
}

SIO_FN void sio_close(dqe_io *io)
{
	script_io *s = (script_io *)io;
	s->close_calls++;
	s->closed = 1;
	sio_invalidate(s);
}

SIO_FN const char *sio_errmsg(const dqe_io *io)
{
	return ((const script_io *)io)->err;
}

static const dqe_io_ops sio_ops __attribute__((unused)) = {
	sio_write, sio_read, sio_close, sio_errmsg, NULL};

SIO_FN void sio_init(script_io *s, const char *peer)
{
	memset(s, 0, sizeof *s);
	s->io.ops = &sio_ops;
	snprintf(s->peer, sizeof s->peer, "%s", peer);
	dqw_buf_init(&s->out);
}

/* A fresh connection on the same script (after the machine dropped the
 * link): the script goes on where it was; what was written is kept. */
SIO_FN void sio_reconnect(script_io *s)
{
	s->closed = 0;
	s->dead_rc = 0;
	s->err[0] = '\0';
	s->last_endless = 0;
}

SIO_FN void sio_free(script_io *s)
{
	sio_invalidate(s);
	sio_invalidate(s); /* frees the stale one too */
	for (size_t i = 0; i < s->nkept; i++)
		free(s->kept[i]);
	free(s->kept);
	s->kept = NULL;
	s->nkept = 0;
	for (size_t i = 0; i < s->nev; i++)
		free(s->ev[i].body);
	free(s->ev);
	dqw_buf_free(&s->out);
	s->ev = NULL;
	s->nev = s->cap = s->pos = 0;
}

#endif /* SCRIPT_IO_H */
