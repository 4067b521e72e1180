/*
 * fuzz_machine -- the request machine (src/machine.c) against hostile
 * scripted streams (tests/unit/script_io.h).
 *
 * Input layout:
 *   byte 0          n: the number of operations (1 + byte % 32)
 *   bytes 1..n      the operations (see op_* below: low bits pick the
 *                   operation, high bits its argument)
 *   byte n+1        the caps: max_rows = low nibble, max_pages = high nibble
 *                   (0: no cap)
 *   the rest        the server's side, as frames split by their own 8-byte
 *                   headers (u32 words, u8 type, u8 schema, u16 extra);
 *                   bodies are capped at 4 KiB (the header reports what is
 *                   delivered), a body cut short by the end of the input is a
 *                   link loss (truncation). A header whose extra is 0xFFFF is
 *                   an event instead: type % 5 = 0 stall (words % 4 reads,
 *                   0: forever), 1 link loss, 2 oversized frame, 3 cancel,
 *                   4 the (words % 8 + 1)-th write fails.
 *
 * After every operation: the machine's invariants (an active result belongs
 * to it and it is up; down means no active result, nothing pending, nothing
 * queued; the transport is closed exactly when the machine is down; no
 * operation on a closed transport; the endless reply always closes the link
 * and is never followed by a write; no write while a result streams; every
 * other result has let go of the machine). At the end: what was written
 * splits into whole requests of the types the machine sends; every result is
 * closed and freed and the machine finished (LeakSanitizer checks the rest).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "script_io.h"

#define NSLOTS 4
#define MAX_EVENTS 256
#define MAX_BODY 4096u

typedef struct fz {
	script_io s;
	dqe_machine m;
	dqe_cancel c;
	dqc_rows *slot[NSLOTS];
	uint64_t max_rows, max_pages;
} fz;

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_machine: invariant broken: %s\n", what);
	abort();
}

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			fail(#cond);                                           \
	} while (0)

static void invariants(fz *f)
{
	dqe_machine *m = &f->m;
	if (m->active) {
		CHECK(m->active->m == m);
		CHECK(m->up);
		CHECK(m->active->streaming ||
		      (m->active->cur_owned == NULL && m->active->pg.body != NULL));
	}
	if (!m->up) {
		CHECK(m->active == NULL);
		CHECK(m->pending == 0);
		CHECK(m->out.len == 0);
	}
	CHECK(f->s.closed == !m->up);
	CHECK(f->s.ops_after_close == 0);
	CHECK(f->s.writes_after_endless == 0);
	CHECK(!f->s.last_endless || f->s.closed);
	CHECK(f->s.unbounded_stalls == 0);
	for (int i = 0; i < NSLOTS; i++) {
		dqc_rows *r = f->slot[i];
		if (r == NULL || r == m->active)
			continue;
		CHECK(r->m == NULL);
		CHECK(!r->streaming);
	}
}

/* No request goes out while a result streams. */
static void on_write(script_io *s, const uint8_t *data, size_t len, void *ctx)
{
	fz *f = ctx;
	(void)s;
	(void)data;
	(void)len;
	CHECK(!(f->m.active && f->m.active->streaming));
}

/* ------------------------------------------------------------- script */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void build_script(fz *f, const uint8_t *p, size_t n)
{
	size_t off = 0;
	unsigned events = 0;

	while (n - off >= DQW_HEADER_SIZE && events++ < MAX_EVENTS) {
		const uint8_t *h = p + off;
		uint32_t words = le32(h);
		off += DQW_HEADER_SIZE;
		if (h[6] == 0xff && h[7] == 0xff) {
			switch (h[4] % 5) {
			case 0: sio_push_stall(&f->s, words % 4 ? words % 4 : SIO_FOREVER); break;
			case 1: sio_push_loss(&f->s); break;
			case 2: sio_push_oversized(&f->s); break;
			case 3: sio_push_cancel(&f->s); break;
			default: sio_fail_write(&f->s, words % 8 + 1, DQC_EIO, words % 13); break;
			}
			continue;
		}
		size_t len = (size_t)(words < MAX_BODY / 8 ? words : MAX_BODY / 8) * 8;
		if (n - off < len) {
			sio_push_loss(&f->s); /* the stream ends mid-frame */
			return;
		}
		sio_push_frame(&f->s, h[4], h[5], p + off, len);
		f->s.ev[f->s.nev - 1].extra = (uint16_t)(h[6] | h[7] << 8);
		off += len;
	}
}

/* ---------------------------------------------------------- operations */

static void free_slot(fz *f, int i)
{
	dqc_rows *r = f->slot[i];
	if (r == NULL)
		return;
	if (f->m.active == r)
		dqe_machine_abandon(&f->m, r);
	invariants(f);
	if (!r->finished)
		dqe_rows_fail(r, DQC_ECLOSED, 0, "the result was closed");
	dqe_rows_free(r);
	f->slot[i] = NULL;
}

/* dqc_rows_next() */
static int next_row(fz *f, dqc_rows *r)
{
	const dqc_value *cells;
	for (;;) {
		int k = dqe_rows_step(r, &cells);
		invariants(f);
		if (k == DQE_ROWS_ROW) {
			/* touch every cell: they must be readable */
			volatile uint8_t sink = 0;
			for (unsigned i = 0; i < r->ncols; i++) {
				const dqc_value *v = &cells[i];
				if ((v->type == DQC_TEXT || v->type == DQC_ISO8601) &&
				    v->v.text.len)
					sink ^= (uint8_t)v->v.text.ptr[v->v.text.len - 1];
				else if (v->type == DQC_BLOB && v->v.blob.len)
					sink ^= ((const uint8_t *)v->v.blob.ptr)[v->v.blob.len - 1];
			}
			(void)sink;
			return 1;
		}
		if (k == DQE_ROWS_END)
			return 0;
		if (k < 0) {
			if (f->m.active == r)
				dqe_machine_abandon(&f->m, r);
			invariants(f);
			return k;
		}
		CHECK(k == DQE_ROWS_NEED_PAGE);
		CHECK(f->m.active == r && r->streaming);
		k = dqe_machine_next_page(&f->m, r);
		invariants(f);
		if (k != 0)
			return k;
	}
}

static void op_query(fz *f, unsigned arg)
{
	dqc_rows *r = NULL;
	int i = (int)(arg % NSLOTS), rc;
	free_slot(f, i);
	rc = dqe_machine_begin(&f->m);
	invariants(f);
	if (rc != 0)
		return;
	if (dqw_encode_query_sql(&f->m.out, f->m.db_id, "SELECT * FROM t", NULL, 0, 0) != DQW_OK)
		abort();
	rc = dqe_machine_query(&f->m, f->max_rows, f->max_pages, &r);
	invariants(f);
	CHECK((rc == 0) == (r != NULL));
	if (rc == 0)
		CHECK(f->m.active == r);
	f->slot[i] = r;
}

static void op_rows(fz *f, unsigned arg, int all)
{
	dqc_rows *r = f->slot[arg % NSLOTS];
	unsigned want = all ? 100000u : arg / NSLOTS % 5 + 1;
	if (r == NULL)
		return;
	for (unsigned i = 0; i < want; i++)
		if (next_row(f, r) != 1)
			break;
}

/* One request and its reply: an EXEC (RESULT), or a PREPARE (STMT) when
 * prepare; a reply that does not decode is malformed. */
static void op_request(fz *f, int prepare)
{
	dqw_header h;
	const uint8_t *body;
	dqw_result res;
	dqw_stmt_info si;
	int rc = dqe_machine_begin(&f->m);
	invariants(f);
	if (rc != 0)
		return;
	rc = prepare ? dqw_encode_prepare(&f->m.out, f->m.db_id, "SELECT ?", 1)
		     : dqw_encode_exec_sql(&f->m.out, f->m.db_id, "UPDATE t SET x = 1", NULL, 0, 0);
	if (rc != DQW_OK)
		abort();
	rc = dqe_machine_roundtrip(&f->m, prepare ? DQW_RESP_STMT : DQW_RESP_RESULT, &h, &body);
	if (rc == 0 && (prepare ? dqw_decode_stmt(body, dqw_body_size(&h), h.schema, &si)
				: dqw_decode_result(body, dqw_body_size(&h), &res)) != DQW_OK)
		dqe_machine_malformed(&f->m, prepare ? "STMT" : "RESULT");
	invariants(f);
}

/* Queues k EXECs (as dqc_pipeline_exec_sql) and reads `recv` replies. */
static void op_pipeline(fz *f, unsigned k, unsigned recv)
{
	dqw_result res;
	if (f->m.pending == 0) {
		int rc = dqe_machine_begin(&f->m);
		invariants(f);
		if (rc != 0)
			return;
	}
	for (unsigned i = 0; i < k; i++) {
		if (dqw_encode_exec_sql(&f->m.out, f->m.db_id, "INSERT INTO t VALUES (1)",
					NULL, 0, 0) != DQW_OK)
			abort();
		dqe_machine_queued(&f->m);
		invariants(f);
	}
	for (unsigned i = 0; i < recv && f->m.pending; i++) {
		unsigned before = f->m.pending;
		int rc = dqe_machine_pipeline_recv(&f->m, &res);
		invariants(f);
		/* a reply was consumed, or the link went with every pending one */
		CHECK(f->m.pending == before - 1 || (f->m.pending == 0 && !f->m.up));
		if (rc != 0 && !f->m.up)
			break;
	}
}

/* What one connection was sent splits into whole requests of the kinds
 * sent here (a scripted write failure may leave the last one partial). */
static void check_requests(fz *f)
{
	long nreq = sio_req_count(&f->s);
	CHECK(nreq >= 0 || (f->s.fail_write_at && f->s.writes >= f->s.fail_write_at));
	for (long k = 0; k < nreq; k++) {
		int t = sio_req_type(&f->s, (size_t)k);
		CHECK(t == DQW_REQ_QUERY_SQL || t == DQW_REQ_EXEC_SQL ||
		      t == DQW_REQ_PREPARE || t == DQW_REQ_INTERRUPT);
	}
}

static void new_scope(fz *f)
{
	dqe_cancel_close(&f->c);
	dqe_cancel_open(&f->c);
	f->m.wait.deadline_ms = dqe_now_ms() + 60000;
	f->m.wait.cancel = &f->c;
}

static void run_op(fz *f, uint8_t op)
{
	unsigned arg = op >> 4;
	switch (op & 0x0f) {
	case 0:
	case 1: op_query(f, arg); break;
	case 2:
	case 3: op_rows(f, arg, 0); break;
	case 4: op_rows(f, arg, 1); break;
	case 5: free_slot(f, (int)(arg % NSLOTS)); break;
	case 6: op_request(f, 0); break;
	case 7: op_request(f, 1); break;
	case 8: op_pipeline(f, arg % 4 + 1, arg % 4 + 1); break;
	case 9: op_pipeline(f, arg % 4 + 1, arg / 4); break;
	case 10: {
		dqw_result res;
		if (f->m.pending)
			dqe_machine_pipeline_recv(&f->m, &res);
		break;
	}
	case 11: dqe_cancel_fire(&f->c); break;
	case 12: new_scope(f); break;
	case 13:
		if (f->m.up)
			dqe_machine_flush(&f->m);
		break;
	case 14:
		if (!f->m.up) {
			/* a new connection: a new request stream */
			check_requests(f);
			dqw_buf_reset(&f->s.out);
			sio_reconnect(&f->s);
			dqe_machine_attach(&f->m, &f->s.io, f->s.peer);
		}
		break;
	default:
		if (f->m.up && arg == 0)
			dqe_machine_detach(&f->m, DQC_ECLOSED, "detached");
		break;
	}
	invariants(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz f;
	size_t nops, i;

	if (size < 2)
		return 0;
	nops = (size_t)data[0] % 32 + 1;
	if (size < nops + 2)
		return 0;
	memset(&f, 0, sizeof f);
	sio_init(&f.s, "10.0.0.1:9001");
	dqe_cancel_init(&f.c);
	f.s.cancel = &f.c;
	f.s.on_write = on_write;
	f.s.hook_ctx = &f;
	f.max_rows = data[nops + 1] & 0x0f;
	f.max_pages = data[nops + 1] >> 4;
	build_script(&f, data + nops + 2, size - nops - 2);

	dqe_machine_init(&f.m);
	dqe_machine_attach(&f.m, &f.s.io, f.s.peer);
	f.m.db_id = 1;
	new_scope(&f);
	invariants(&f);
	for (i = 0; i < nops; i++)
		run_op(&f, data[1 + i]);

	check_requests(&f);

	for (int k = 0; k < NSLOTS; k++)
		free_slot(&f, k);
	CHECK(f.m.active == NULL);
	dqe_machine_fini(&f.m);
	sio_free(&f.s);
	return 0;
}
