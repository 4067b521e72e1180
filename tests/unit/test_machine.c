/*
 * The request machine (src/machine.h) over a scripted transport
 * (script_io.h): every test scripts the server's side frame by frame (and
 * stalls, cancels, link losses), drives dqe_machine_* as src/statement.c
 * does, and asserts the exact outcome: return codes, messages, the requests
 * written (decoded from the bytes), the rows read, and whether the link was
 * closed. The machine's invariants are checked after every operation.
 *
 * These are faults a real server cannot be made to produce on cue, which is
 * why they are scripted here; the engine suites test the same paths against
 * real nodes where a real node can produce them.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "script_io.h"

#ifdef SIO_ASAN
#include <sanitizer/lsan_interface.h>
#endif

#define PEER "10.0.0.1:9001"
#define DB 7u

static script_io S;
static dqe_machine M;
static dqe_cancel C;
/* Results not closed yet: a test that fails half-way leaves some, and the
 * teardown frees them so the leak check speaks only of the machine. */
static dqc_rows *open_rows[16];
static unsigned n_open;

/* ------------------------------------------------------------- checks */

/* The machine's invariants, and the transport's view of them. */
static void inv_at(int line)
{
	if (M.active != NULL) {
		cr_assert_eq(M.active->m, &M, "line %d: the active result names "
			     "another machine", line);
		cr_assert(M.up, "line %d: an active result on a machine that is down",
			  line);
		cr_assert(M.active->streaming ||
				  (M.active->cur_owned == NULL && M.active->pg.body != NULL),
			  "line %d: a result stays active only while pages are due "
			  "or its page lives in the transport's buffer", line);
	}
	if (!M.up) {
		cr_assert_null(M.active, "line %d: down, yet a result is active", line);
		cr_assert_eq(M.pending, 0, "line %d: down, yet %u replies pending",
			     line, M.pending);
		cr_assert_eq(M.out.len, 0, "line %d: down, yet %zu bytes queued",
			     line, M.out.len);
	}
	cr_assert_eq(S.closed, !M.up, "line %d: the transport is %s but the "
		     "machine is %s", line, S.closed ? "closed" : "open",
		     M.up ? "up" : "down");
	cr_assert_eq(S.ops_after_close, 0, "line %d: the machine used a closed "
		     "transport", line);
	cr_assert_eq(S.writes_after_endless, 0, "line %d: a request was written "
		     "after an endless (empty, more) ROWS page", line);
	cr_assert_eq(S.unbounded_stalls, 0, "line %d: a read without a deadline "
		     "met a stall (a real wait would hang)", line);
}
#define INV() inv_at(__LINE__)

static long leak_check(void)
{
#ifdef SIO_ASAN
	return __lsan_do_recoverable_leak_check() != 0 ? 1 : 0;
#else
	return 0;
#endif
}

static void setup(void)
{
	sio_init(&S, PEER);
	dqe_cancel_init(&C);
	S.cancel = &C;
	dqe_machine_init(&M);
	dqe_machine_attach(&M, &S.io, PEER);
	M.db_id = DB;
	/* a call's scope, as dqe_conn_enter() opens it */
	dqe_cancel_open(&C);
	M.wait.deadline_ms = dqe_now_ms() + 60000;
	M.wait.cancel = &C;
}

static void teardown(void)
{
	unsigned past_end = S.past_end;
	dqe_machine_fini(&M);
	while (n_open > 0)
		dqe_rows_free(open_rows[--n_open]);
	sio_free(&S);
	cr_assert_eq(past_end, 0, "the machine read past the end of the script");
	cr_assert_eq(leak_check(), 0, "memory leaked");
}

TestSuite(machine, .init = setup, .fini = teardown);

/* ----------------------------------------------------------- builders */

/* A ROWS page of one INTEGER column "n": first .. first+count-1. */
static void push_ints(int64_t first, unsigned count, int more)
{
	static const char *const names[] = {"n"};
	dqw_buf b;
	dqw_buf_init(&b);
	sio_rows_columns(&b, 1, names);
	for (unsigned i = 0; i < count; i++) {
		dqc_value v = sio_int(first + i);
		sio_rows_row(&b, 1, &v);
	}
	sio_rows_end(&b, more);
	sio_push_buf(&S, DQW_RESP_ROWS, &b);
	dqw_buf_free(&b);
}

/* `pages` ROWS pages of per_page integers from 0 on, each with the "more"
 * marker but the last, which has last_more. */
static void push_pages(unsigned pages, unsigned per_page, int last_more)
{
	for (unsigned p = 0; p < pages; p++)
		push_ints((int64_t)p * per_page, per_page, p + 1 < pages ? 1 : last_more);
}

/* A ROWS page with no row and the "more" marker: the server's endless
 * reply when the column names fill a page. */
static void push_endless_page(void)
{
	static const char *const names[] = {"n"};
	dqw_buf b;
	dqw_buf_init(&b);
	sio_rows_columns(&b, 1, names);
	sio_rows_end(&b, 1);
	sio_push_buf(&S, DQW_RESP_ROWS, &b);
	dqw_buf_free(&b);
}

/* ------------------------------------------------------------ drivers */

/* Starts a request as the public API does: begin, then encode. */
static int begin_exec(const char *sql)
{
	int rc = dqe_machine_begin(&M);
	INV();
	if (rc == 0)
		cr_assert_eq(dqw_encode_exec_sql(&M.out, M.db_id, sql, NULL, 0, 0), DQW_OK);
	return rc;
}

static int exec_sql(const char *sql, dqw_result *res)
{
	dqw_header h;
	const uint8_t *body;
	int rc = begin_exec(sql);
	if (rc == 0)
		rc = dqe_machine_roundtrip(&M, DQW_RESP_RESULT, &h, &body);
	INV();
	if (rc == 0) {
		cr_assert_eq(dqw_decode_result(body, dqw_body_size(&h), res), DQW_OK);
	}
	return rc;
}

static int query_sql(const char *sql, uint64_t max_rows, uint64_t max_pages,
		     dqc_rows **r)
{
	int rc = dqe_machine_begin(&M);
	INV();
	*r = NULL;
	if (rc != 0)
		return rc;
	cr_assert_eq(dqw_encode_query_sql(&M.out, M.db_id, sql, NULL, 0, 0), DQW_OK);
	rc = dqe_machine_query(&M, max_rows, max_pages, r);
	INV();
	if (rc == 0) {
		cr_assert_not_null(*r);
		cr_assert_lt(n_open, sizeof open_rows / sizeof open_rows[0]);
		open_rows[n_open++] = *r;
	} else {
		cr_assert_null(*r);
	}
	return rc;
}

/* The query "SELECT n FROM t" under the caps; it must succeed. */
static dqc_rows *query_n(uint64_t max_rows, uint64_t max_pages)
{
	dqc_rows *r;
	cr_assert_eq(query_sql("SELECT n FROM t", max_rows, max_pages, &r), 0, "%s", M.err.msg);
	return r;
}

/* "SELECT 1" as the next request; it must succeed. */
static void exec_select_1(void)
{
	dqw_result res;
	cr_assert_eq(exec_sql("SELECT 1", &res), 0, "%s", M.err.msg);
}

/* dqc_rows_next() at machine level: 1 with a row, 0 at the end, or the
 * error (a cap or malformed row abandons the stream, as the API does). */
static int next_row(dqc_rows *r, const dqc_value **cells)
{
	for (;;) {
		int k = dqe_rows_step(r, cells);
		INV();
		if (k == DQE_ROWS_ROW)
			return 1;
		if (k == DQE_ROWS_END)
			return 0;
		if (k < 0) {
			if (M.active == r) {
				dqe_machine_abandon(&M, r);
				INV();
			}
			return k;
		}
		cr_assert_eq(k, DQE_ROWS_NEED_PAGE);
		cr_assert_eq(M.active, r, "a page is needed from a result that "
			     "is not the active one");
		k = dqe_machine_next_page(&M, r);
		INV();
		if (k != 0)
			return k;
	}
}

/* dqc_rows_close() at machine level. */
static int close_rows(dqc_rows *r)
{
	int rc = 0;
	if (M.active == r) {
		rc = dqe_machine_abandon(&M, r);
		INV();
	}
	if (!r->finished)
		dqe_rows_fail(r, DQC_ECLOSED, 0, "the result was closed");
	for (unsigned i = 0; i < n_open; i++)
		if (open_rows[i] == r)
			open_rows[i] = open_rows[--n_open];
	dqe_rows_free(r);
	INV();
	return rc;
}

/* Reads count INTEGER rows first.. from r. */
static void expect_ints(dqc_rows *r, int64_t first, unsigned count)
{
	const dqc_value *cells;
	for (unsigned i = 0; i < count; i++) {
		int k = next_row(r, &cells);
		cr_assert_eq(k, 1, "row %u (value %lld): %d (%s) instead of a row", i,
			     (long long)(first + i), k, r->errmsg);
		cr_assert_eq(cells[0].type, DQC_INTEGER);
		cr_assert_eq(cells[0].v.integer, first + i, "row %u: %lld, want %lld",
			     i, (long long)cells[0].v.integer, (long long)(first + i));
	}
}

/* The next step of r ends it with rc (0: the normal end). */
static void expect_end(dqc_rows *r, int rc)
{
	const dqc_value *cells;
	int k = next_row(r, &cells);
	cr_assert_eq(k, rc, "after the rows: %d (%s), want %d", k, r->errmsg, rc);
}

/* The requests written, by type, in order. */
static void expect_requests(const int *types, size_t n)
{
	long got = sio_req_count(&S);
	cr_assert_eq(got, (long)n, "%ld requests written, want %zu", got, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(sio_req_type(&S, i), types[i],
			     "request %zu is type %d, want %d", i,
			     sio_req_type(&S, i), types[i]);
}
#define EXPECT_REQUESTS(...)                                                   \
	do {                                                                   \
		static const int want_[] = {__VA_ARGS__};                      \
		expect_requests(want_, sizeof want_ / sizeof want_[0]);        \
	} while (0)

/* The db id carried by the i-th request (its first u32). */
static uint32_t req_db(size_t i)
{
	const uint8_t *body;
	size_t len;
	cr_assert_eq(sio_req(&S, i, NULL, &body, &len), 1);
	cr_assert_geq(len, 8);
	return (uint32_t)body[0] | (uint32_t)body[1] << 8 |
	       (uint32_t)body[2] << 16 | (uint32_t)body[3] << 24;
}

static void expect_up(void)
{
	cr_assert(M.up, "the link was dropped: %s", M.err.msg);
	cr_assert_eq(S.close_calls, 0, "the transport was closed");
}

static void expect_closed(void)
{
	cr_assert(!M.up, "the link should have been dropped");
	cr_assert_eq(S.close_calls, 1, "close() called %u times, want 1",
		     S.close_calls);
}

/* ----------------------------------------------------- request/reply */

Test(machine, roundtrip_writes_one_request_and_reads_its_reply)
{
	dqw_result res;
	sio_push_result(&S, 42, 3);
	cr_assert_eq(exec_sql("UPDATE t SET x = 1", &res), 0, "%s", M.err.msg);
	cr_assert_eq(res.last_insert_id, 42);
	cr_assert_eq(res.rows_affected, 3);
	cr_assert_eq(M.err.rc, 0);
	cr_assert_eq(S.writes, 1);
	cr_assert_eq(S.reads, 1);
	EXPECT_REQUESTS(DQW_REQ_EXEC_SQL);
	cr_assert_eq(req_db(0), DB);
	cr_assert_eq(sio_left(&S), 0);
	expect_up();
}

Test(machine, failure_reply_is_eserver_with_code_and_message_link_stays_up)
{
	dqw_result res;
	sio_push_failure(&S, 2067, "UNIQUE constraint failed: t.id");
	sio_push_result(&S, 1, 1);
	cr_assert_eq(exec_sql("INSERT INTO t VALUES (1)", &res), DQC_ESERVER);
	cr_assert_eq(M.err.rc, DQC_ESERVER);
	cr_assert_eq(M.err.code, 2067);
	cr_assert_str_eq(M.err.msg, "UNIQUE constraint failed: t.id");
	cr_assert_eq(M.err.sent, 1);
	expect_up();
	/* still in step: the next request gets its own reply */
	cr_assert_eq(exec_sql("INSERT INTO t VALUES (2)", &res), 0, "%s", M.err.msg);
	cr_assert_eq(res.last_insert_id, 1);
	cr_assert_eq(M.err.code, 0);
	EXPECT_REQUESTS(DQW_REQ_EXEC_SQL, DQW_REQ_EXEC_SQL);
	expect_up();
}

Test(machine, failure_10250_is_enotleader_and_10506_is_eleaderlost)
{
	dqw_result res;
	sio_push_failure(&S, 10250, "not leader");
	sio_push_failure(&S, 10506, "leadership lost");
	cr_assert_eq(exec_sql("INSERT INTO t VALUES (1)", &res), DQC_ENOTLEADER);
	cr_assert_eq(M.err.code, 10250);
	cr_assert_str_eq(M.err.msg, "not leader");
	expect_up();
	cr_assert_eq(exec_sql("COMMIT", &res), DQC_ELEADERLOST);
	cr_assert_eq(M.err.code, 10506);
	cr_assert_str_eq(M.err.msg, "leadership lost");
	expect_up();
}

Test(machine, reply_of_the_wrong_type_is_eproto_and_closes_the_link)
{
	dqw_result res;
	sio_push_stmt(&S, DB, 1, 0);
	cr_assert_eq(exec_sql("UPDATE t SET x = 1", &res), DQC_EPROTO);
	cr_assert_str_eq(M.err.msg, "protocol error: " PEER
			 " sent message type 5, expected 6");
	expect_closed();
	/* down: the next request is refused before anything is written */
	cr_assert_eq(begin_exec("SELECT 1"), DQC_ECLOSED);
	cr_assert_eq(M.err.sent, 0);
	cr_assert_eq(S.writes, 1);
}

Test(machine, malformed_failure_reply_is_eproto_and_closes_the_link)
{
	dqw_result res;
	static const uint8_t nonul[16] = {1, 0, 0, 0, 0, 0, 0, 0,
					  'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
	sio_push_frame(&S, DQW_RESP_FAILURE, 0, nonul, sizeof nonul);
	cr_assert_eq(exec_sql("UPDATE t SET x = 1", &res), DQC_EPROTO);
	cr_assert_str_eq(M.err.msg, "protocol error: malformed FAILURE from " PEER);
	expect_closed();
}

Test(machine, oversized_frame_is_eproto_with_the_transport_reason)
{
	dqw_result res;
	sio_push_oversized(&S);
	cr_assert_eq(exec_sql("SELECT 1", &res), DQC_EPROTO);
	cr_assert_str_eq(M.err.msg, "protocol error: " PEER
			 " announced a 4294967288-byte message");
	expect_closed();
}

/* ------------------------------------------------------------ results */

Test(machine, one_page_result_stays_active_in_the_transport_buffer_until_the_next_request)
{
	static const char *const names[] = {"id", "name"};
	const dqc_value *cells;
	const char *kept;
	dqw_result res;
	dqc_rows *r;
	dqw_buf b;
	dqc_value row[2];

	dqw_buf_init(&b);
	sio_rows_columns(&b, 2, names);
	row[0] = sio_int(1), row[1] = sio_text("alpha");
	sio_rows_row(&b, 2, row);
	row[0] = sio_int(2), row[1] = sio_text("beta");
	sio_rows_row(&b, 2, row);
	row[0] = sio_int(3), row[1] = sio_null();
	sio_rows_row(&b, 2, row);
	sio_rows_end(&b, 0);
	sio_push_buf(&S, DQW_RESP_ROWS, &b);
	dqw_buf_free(&b);
	sio_push_result(&S, 0, 0);

	cr_assert_eq(query_sql("SELECT id, name FROM t", 0, 0, &r), 0, "%s", M.err.msg);
	cr_assert_eq(r->ncols, 2);
	cr_assert_str_eq(r->names[0], "id");
	cr_assert_str_eq(r->names[1], "name");
	/* the whole result is in hand, read in place */
	cr_assert_eq(r->streaming, 0);
	cr_assert_eq(M.active, r, "the page lives in the transport's buffer: "
		     "the result must stay the active one");
	cr_assert_null(r->cur_owned);
	cr_assert_eq(r->pg.body, S.cur, "the page is read in place, not copied");

	cr_assert_eq(next_row(r, &cells), 1);
	cr_assert_eq(cells[0].v.integer, 1);
	cr_assert_str_eq(cells[1].v.text.ptr, "alpha");
	cr_assert_eq(next_row(r, &cells), 1);
	cr_assert_eq(cells[1].type, DQC_TEXT);
	kept = cells[1].v.text.ptr;
	cr_assert_eq((const void *)kept >= (const void *)S.cur &&
			     (const uint8_t *)kept < S.cur + S.cur_len,
		     1, "the cell points into the transport's buffer");

	/* the next request copies the page first: the current row's cells
	 * point into the copy, and reading the reply does not touch them */
	cr_assert_eq(exec_sql("UPDATE t SET x = 1", &res), 0, "%s", M.err.msg);
	cr_assert_null(M.active);
	cr_assert_null(r->m);
	cr_assert_not_null(r->cur_owned);
	cr_assert_eq(cells, r->cells);
	cr_assert_eq(cells[0].v.integer, 2);
	cr_assert_eq(cells[1].type, DQC_TEXT);
	cr_assert_eq(cells[1].v.text.len, 4);
	cr_assert_str_eq(cells[1].v.text.ptr, "beta");
	cr_assert_neq(cells[1].v.text.ptr, kept, "the cell was not re-pointed");
	cr_assert_eq(next_row(r, &cells), 1);
	cr_assert_eq(cells[0].v.integer, 3);
	cr_assert_eq(cells[1].type, DQC_NULL);
	expect_end(r, 0);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_EXEC_SQL);
	cr_assert_eq(close_rows(r), 0);
	cr_assert_eq(S.writes, 2, "closing a finished result sends nothing");
	expect_up();
}

Test(machine, a_query_answered_by_failure_has_no_result_and_keeps_the_link)
{
	dqc_rows *r;
	sio_push_failure(&S, 1, "no such table: t");
	sio_push_result(&S, 0, 0);
	cr_assert_eq(query_sql("SELECT n FROM t", 0, 0, &r), DQC_ESERVER);
	cr_assert_eq(M.err.code, 1);
	cr_assert_str_eq(M.err.msg, "no such table: t");
	cr_assert_null(M.active);
	expect_up();
	exec_select_1();
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_EXEC_SQL);
}

Test(machine, an_empty_result_ends_at_once_and_needs_nothing_more)
{
	static const char *const names[] = {"n"};
	dqc_rows *r;
	dqw_buf b;
	dqw_buf_init(&b);
	sio_rows_columns(&b, 1, names);
	sio_rows_end(&b, 0);
	sio_push_buf(&S, DQW_RESP_ROWS, &b);
	dqw_buf_free(&b);
	sio_push_result(&S, 0, 0);
	cr_assert_eq(query_sql("SELECT n FROM t WHERE 0", 0, 0, &r), 0, "%s", M.err.msg);
	cr_assert_eq(r->streaming, 0);
	cr_assert_eq(r->ncols, 1);
	cr_assert_str_eq(r->names[0], "n");
	expect_end(r, 0);
	exec_select_1();
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_EXEC_SQL);
	expect_end(r, 0);
	cr_assert_eq(close_rows(r), 0);
	cr_assert_eq(S.writes, 2);
	expect_up();
}

Test(machine, every_value_type_survives_the_copy_of_the_page)
{
	static const char *const names[] = {"i", "f", "t", "b", "z", "d", "o"};
	static const uint8_t blob[5] = {0, 1, 0xfe, 0xff, 0x5a};
	const dqc_value *cells;
	dqc_rows *r;
	dqw_buf b;
	dqc_value row[7];

	dqw_buf_init(&b);
	sio_rows_columns(&b, 7, names);
	row[0] = sio_int(-5);
	row[1].type = DQC_FLOAT, row[1].v.real = 2.5;
	row[2] = sio_text("héllo");
	row[3] = sio_blob(blob, sizeof blob);
	row[4] = sio_null();
	row[5].type = DQC_ISO8601, row[5].v.text.ptr = "2024-01-02 03:04:05",
	row[5].v.text.len = 19;
	row[6].type = DQC_BOOLEAN, row[6].v.boolean = 1;
	sio_rows_row(&b, 7, row);
	sio_rows_end(&b, 0);
	sio_push_buf(&S, DQW_RESP_ROWS, &b);
	dqw_buf_free(&b);
	sio_push_result(&S, 0, 0);

	cr_assert_eq(query_sql("SELECT ...", 0, 0, &r), 0, "%s", M.err.msg);
	cr_assert_eq(next_row(r, &cells), 1);
	exec_select_1();
	cr_assert_eq(cells[0].type, DQC_INTEGER);
	cr_assert_eq(cells[0].v.integer, -5);
	cr_assert_eq(cells[1].type, DQC_FLOAT);
	cr_assert_float_eq(cells[1].v.real, 2.5, 0);
	cr_assert_eq(cells[2].type, DQC_TEXT);
	cr_assert_str_eq(cells[2].v.text.ptr, "héllo");
	cr_assert_eq(cells[3].type, DQC_BLOB);
	cr_assert_eq(cells[3].v.blob.len, sizeof blob);
	cr_assert_eq(memcmp(cells[3].v.blob.ptr, blob, sizeof blob), 0);
	cr_assert_eq(cells[4].type, DQC_NULL);
	cr_assert_eq(cells[5].type, DQC_ISO8601);
	cr_assert_str_eq(cells[5].v.text.ptr, "2024-01-02 03:04:05");
	cr_assert_eq(cells[6].type, DQC_BOOLEAN);
	cr_assert_eq(cells[6].v.boolean, 1);
	expect_end(r, 0);
	cr_assert_eq(close_rows(r), 0);
}

Test(machine, multi_page_result_streams_page_by_page)
{
	dqc_rows *r;
	push_pages(3, 3, 0);
	r = query_n(0, 0);
	cr_assert_eq(r->streaming, 1);
	cr_assert_eq(M.active, r);
	cr_assert_eq(S.reads, 1, "only the first page is read by the query");
	expect_ints(r, 0, 3);
	cr_assert_eq(S.reads, 1, "a page is read only when its rows are needed");
	expect_ints(r, 3, 1);
	cr_assert_eq(S.reads, 2);
	cr_assert_eq(r->streaming, 1);
	expect_ints(r, 4, 5);
	cr_assert_eq(S.reads, 3);
	/* the last page is in hand: nothing more is due */
	cr_assert_eq(r->streaming, 0);
	expect_end(r, 0);
	cr_assert_eq(S.reads, 3);
	cr_assert_eq(r->rows_seen, 9);
	cr_assert_eq(r->pages_seen, 3);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
	cr_assert_eq(close_rows(r), 0);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
	cr_assert_eq(sio_left(&S), 0);
	expect_up();
}

Test(machine, a_request_while_a_result_streams_reads_the_result_into_memory_first)
{
	const dqc_value *cells;
	dqw_result res;
	dqc_rows *r;
	push_pages(2, 3, 1);
	push_ints(6, 2, 0);
	sio_push_result(&S, 9, 1);

	r = query_n(0, 0);
	cr_assert_eq(next_row(r, &cells), 1);
	cr_assert_eq(cells[0].v.integer, 0);
	cr_assert_eq(next_row(r, &cells), 1);
	cr_assert_eq(cells[0].v.integer, 1);

	cr_assert_eq(exec_sql("INSERT INTO u VALUES (1)", &res), 0, "%s", M.err.msg);
	cr_assert_eq(res.last_insert_id, 9);
	cr_assert_null(M.active);
	cr_assert_null(r->m);
	cr_assert_eq(r->streaming, 0);
	/* the pages were read before the request went out */
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_EXEC_SQL);
	cr_assert_eq(S.reads, 4);
	/* the current row is still readable, then every row, in order */
	cr_assert_eq(cells[0].type, DQC_INTEGER);
	cr_assert_eq(cells[0].v.integer, 1);
	expect_ints(r, 2, 6);
	expect_end(r, 0);
	cr_assert_eq(S.reads, 4, "a buffered result reads nothing more");
	cr_assert_eq(close_rows(r), 0);
	cr_assert_eq(S.writes, 2);
	cr_assert_eq(sio_left(&S), 0);
	expect_up();
}

/* --------------------------------------------------------------- caps */

Test(machine, max_rows_ends_the_result_and_resynchronises_the_link)
{
	dqc_rows *r;
	push_pages(3, 3, 0); /* the third is due when the cap is hit: discarded */
	sio_push_empty(&S); /* the INTERRUPT's reply */
	sio_push_result(&S, 0, 0);

	r = query_n(4, 0);
	expect_ints(r, 0, 4);
	expect_end(r, DQC_ELIMIT);
	cr_assert_str_eq(r->errmsg, "the result has more than 4 rows (the "
			 "connection's row limit)");
	cr_assert_null(M.active);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_INTERRUPT);
	cr_assert_eq(req_db(1), DB);
	cr_assert_eq(sio_left(&S), 1, "discarding stops at the INTERRUPT's EMPTY");
	expect_up();
	/* the result stays failed */
	expect_end(r, DQC_ELIMIT);
	/* and the link is in step */
	exec_select_1();
	cr_assert_eq(close_rows(r), 0);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_INTERRUPT, DQW_REQ_EXEC_SQL);
	expect_up();
}

Test(machine, max_rows_with_the_last_page_in_hand_sends_nothing)
{
	dqc_rows *r;
	push_ints(0, 5, 0);
	r = query_n(2, 0);
	expect_ints(r, 0, 2);
	expect_end(r, DQC_ELIMIT);
	cr_assert_null(M.active);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
	cr_assert_eq(close_rows(r), 0);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
	expect_up();
}

Test(machine, max_pages_while_streaming_ends_the_result_after_its_rows)
{
	dqc_rows *r;
	push_pages(4, 2, 0); /* the third page: refused; the fourth: discarded */
	sio_push_empty(&S);
	sio_push_result(&S, 0, 0);

	r = query_n(0, 2);
	expect_ints(r, 0, 4);
	expect_end(r, DQC_ELIMIT);
	cr_assert_str_eq(r->errmsg, "the result has more than 2 pages (the "
			 "connection's page limit)");
	cr_assert_eq(M.err.rc, DQC_ELIMIT);
	cr_assert_null(M.active);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_INTERRUPT);
	cr_assert_eq(sio_left(&S), 1);
	expect_up();
	expect_end(r, DQC_ELIMIT);
	exec_select_1();
	cr_assert_eq(close_rows(r), 0);
	expect_up();
}

Test(machine, max_pages_while_buffering_keeps_the_rows_up_to_the_cap)
{
	const dqc_value *cells;
	dqw_result res;
	dqc_rows *r;
	push_pages(4, 3, 0); /* the third: refused, past 2 pages; the fourth: discarded */
	sio_push_empty(&S);
	sio_push_result(&S, 5, 1);

	r = query_n(0, 2);
	cr_assert_eq(next_row(r, &cells), 1);
	cr_assert_eq(exec_sql("INSERT INTO u VALUES (1)", &res), 0, "%s", M.err.msg);
	cr_assert_eq(res.last_insert_id, 5);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_INTERRUPT, DQW_REQ_EXEC_SQL);
	cr_assert_null(M.active);
	cr_assert_eq(cells[0].v.integer, 0);
	expect_ints(r, 1, 5);
	expect_end(r, DQC_ELIMIT);
	cr_assert_str_eq(r->errmsg, "the result has more than 2 pages (the "
			 "connection's page limit)");
	cr_assert_eq(close_rows(r), 0);
	cr_assert_eq(sio_left(&S), 0);
	expect_up();
}

/* --------------------------------------------------------- abandoning */

Test(machine, abandoning_a_stream_sends_interrupt_and_discards_until_empty)
{
	dqc_rows *r;
	push_pages(3, 3, 0);
	sio_push_empty(&S);
	sio_push_result(&S, 0, 0);

	r = query_n(0, 0);
	expect_ints(r, 0, 1);
	cr_assert_eq(close_rows(r), 0, "%s", M.err.msg);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_INTERRUPT);
	cr_assert_eq(req_db(1), DB);
	cr_assert_eq(S.reads, 4, "pages 2 and 3 and the EMPTY were read");
	cr_assert_eq(sio_left(&S), 1);
	expect_up();
	exec_select_1();
	expect_up();
}

Test(machine, abandoning_with_a_failure_among_the_discarded_replies_keeps_the_link)
{
	dqc_rows *r;
	push_ints(0, 3, 1);
	sio_push_failure(&S, 9, "interrupted");
	sio_push_empty(&S);
	r = query_n(0, 0);
	cr_assert_eq(close_rows(r), 0, "%s", M.err.msg);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_INTERRUPT);
	cr_assert_eq(sio_left(&S), 0);
	expect_up();
}

Test(machine, abandoning_when_the_last_page_is_in_hand_sends_nothing)
{
	dqc_rows *r;
	push_pages(2, 3, 0);
	r = query_n(0, 0);
	expect_ints(r, 0, 4); /* into the last page */
	cr_assert_eq(r->streaming, 0);
	cr_assert_eq(close_rows(r), 0);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
	cr_assert_eq(S.writes, 1);
	cr_assert_null(M.active);
	expect_up();
}

Test(machine, abandoning_a_stream_that_never_ends_closes_the_link)
{
	dqc_rows *r;
	push_pages(2, 3, 1);
	sio_push_stall(&S, SIO_FOREVER);
	r = query_n(0, 0);
	cr_assert_eq(close_rows(r), DQC_ETIMEDOUT);
	cr_assert_str_eq(M.err.msg, "no reply from " PEER " in time; the connection "
			 "was closed to stop the request");
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_INTERRUPT);
	expect_closed();
}

/* ----------------------------------------------- the endless reply */

Test(machine, an_empty_page_with_the_more_marker_is_etoowide_closes_and_sends_no_interrupt)
{
	dqc_rows *r;
	push_endless_page();
	push_endless_page(); /* the server would go on forever */
	cr_assert_eq(query_sql("SELECT 7 /* ... */", 0, 0, &r), DQC_ETOOWIDE);
	cr_assert_eq(M.err.rc, DQC_ETOOWIDE);
	cr_assert_str_eq(M.err.msg, PEER " cannot send this result: its column names "
			 "fill a whole 4 KiB reply page, so no row ever fits (the "
			 "server would send empty pages forever); the connection was "
			 "closed to stop it");
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
	cr_assert_eq(S.reads, 1);
	expect_closed();
}

Test(machine, an_endless_page_mid_result_keeps_the_rows_then_fails_etoowide)
{
	dqc_rows *r;
	push_ints(0, 3, 1);
	push_endless_page();
	push_endless_page();
	r = query_n(0, 0);
	expect_ints(r, 0, 3);
	expect_end(r, DQC_ETOOWIDE);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
	expect_closed();
	expect_end(r, DQC_ETOOWIDE);
	cr_assert_eq(close_rows(r), 0);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
}

Test(machine, an_endless_page_while_buffering_closes_the_link_and_sends_nothing)
{
	dqc_rows *r;
	push_ints(0, 3, 1);
	push_endless_page();
	push_endless_page();
	r = query_n(0, 0);
	cr_assert_eq(begin_exec("SELECT 1"), DQC_ETOOWIDE);
	cr_assert_eq(M.err.sent, 0);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
	expect_closed();
	expect_ints(r, 0, 3);
	expect_end(r, DQC_ETOOWIDE);
	cr_assert_eq(close_rows(r), 0);
}

/* ---------------------------------------------- failures mid-result */

Test(machine, a_failure_mid_result_ends_it_with_the_server_message_link_stays_up)
{
	dqc_rows *r;
	push_ints(0, 3, 1);
	sio_push_failure(&S, 1, "interrupted by a constraint");
	sio_push_result(&S, 0, 0);
	r = query_n(0, 0);
	expect_ints(r, 0, 3);
	expect_end(r, DQC_ESERVER);
	cr_assert_str_eq(r->errmsg, "interrupted by a constraint");
	cr_assert_eq(r->err_code, 1);
	cr_assert_str_eq(M.err.msg, "interrupted by a constraint");
	cr_assert_null(M.active);
	expect_up();
	expect_end(r, DQC_ESERVER);
	/* in step: no INTERRUPT, the next request gets its reply */
	exec_select_1();
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_EXEC_SQL);
	cr_assert_eq(close_rows(r), 0);
	expect_up();
}

Test(machine, a_reply_of_another_type_mid_result_is_eproto_and_closes)
{
	dqc_rows *r;
	push_ints(0, 2, 1);
	sio_push_result(&S, 0, 0);
	r = query_n(0, 0);
	expect_ints(r, 0, 2);
	expect_end(r, DQC_EPROTO);
	cr_assert_str_eq(M.err.msg, "protocol error: " PEER
			 " sent message type 6 in a result");
	expect_closed();
	cr_assert_eq(close_rows(r), 0);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
}

Test(machine, a_malformed_first_page_is_eproto_and_closes)
{
	static const uint8_t bad[16] = {1, 0, 0, 0, 0, 0, 0, 0,
					'n', 0, 0, 0, 0, 0, 0, 0}; /* no marker */
	dqc_rows *r;
	sio_push_frame(&S, DQW_RESP_ROWS, 0, bad, sizeof bad);
	cr_assert_eq(query_sql("SELECT n FROM t", 0, 0, &r), DQC_EPROTO);
	cr_assert_str_eq(M.err.msg, "protocol error: malformed ROWS page from " PEER);
	expect_closed();
}

Test(machine, a_page_with_another_column_count_is_eproto_and_closes)
{
	static const char *const names[] = {"a", "b"};
	dqc_value row[2] = {sio_int(1), sio_int(2)};
	dqc_rows *r;
	dqw_buf b;
	push_ints(0, 2, 1);
	dqw_buf_init(&b);
	sio_rows_columns(&b, 2, names);
	sio_rows_row(&b, 2, row);
	sio_rows_end(&b, 0);
	sio_push_buf(&S, DQW_RESP_ROWS, &b);
	dqw_buf_free(&b);
	r = query_n(0, 0);
	expect_ints(r, 0, 2);
	expect_end(r, DQC_EPROTO);
	cr_assert_str_eq(M.err.msg, "protocol error: malformed ROWS page from " PEER);
	expect_closed();
	cr_assert_eq(close_rows(r), 0);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
}

Test(machine, link_loss_mid_result_keeps_the_rows_in_hand_then_fails)
{
	dqc_rows *r;
	push_ints(0, 3, 1);
	sio_push_loss(&S);
	r = query_n(0, 0);
	expect_ints(r, 0, 3);
	expect_end(r, DQC_EIO);
	cr_assert_str_eq(r->errmsg, "connection to " PEER " lost: closed by the server");
	cr_assert_str_eq(M.err.msg, "connection to " PEER " lost: closed by the server");
	expect_closed();
	expect_end(r, DQC_EIO);
	cr_assert_eq(close_rows(r), 0);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
}

Test(machine, link_loss_while_buffering_keeps_the_rows_and_sends_nothing_new)
{
	const dqc_value *cells;
	dqc_rows *r;
	push_pages(2, 3, 1);
	sio_push_loss(&S);
	r = query_n(0, 0);
	cr_assert_eq(next_row(r, &cells), 1);
	cr_assert_eq(begin_exec("INSERT INTO u VALUES (1)"), DQC_EIO);
	cr_assert_str_eq(M.err.msg, "connection to " PEER " lost: closed by the server");
	cr_assert_eq(M.err.sent, 0, "nothing of the new request was written");
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
	expect_closed();
	cr_assert_eq(cells[0].v.integer, 0);
	expect_ints(r, 1, 5);
	expect_end(r, DQC_EIO);
	cr_assert_eq(close_rows(r), 0);
}

Test(machine, detaching_keeps_a_streaming_result_readable_then_fails_it)
{
	dqc_rows *r;
	push_ints(0, 3, 1);
	r = query_n(0, 0);
	expect_ints(r, 0, 1);
	dqe_machine_detach(&M, DQC_ECLOSED, "the connection was closed");
	INV();
	expect_closed();
	cr_assert_null(r->m);
	expect_ints(r, 1, 2);
	expect_end(r, DQC_ECLOSED);
	cr_assert_str_eq(r->errmsg, "the connection was closed");
	cr_assert_eq(close_rows(r), 0);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
}

/* ------------------------------------------------- stalls and grace */

Test(machine, a_reply_that_comes_within_the_grace_is_returned_normally)
{
	dqw_result res;
	uint64_t t0 = dqe_now_ms();
	sio_push_stall(&S, 1);
	sio_push_result(&S, 8, 1);
	cr_assert_eq(exec_sql("UPDATE t SET x = 1", &res), 0, "%s", M.err.msg);
	cr_assert_eq(res.last_insert_id, 8);
	cr_assert_eq(S.stalls, 1);
	cr_assert_eq(S.reads, 2);
	/* the first read waited on the call's deadline and scope, the second
	 * only on the grace: DQE_GRACE_MS, no cancel */
	cr_assert_eq(S.waits[0].deadline_ms, M.wait.deadline_ms);
	cr_assert_eq(S.waits[0].cancel, &C);
	cr_assert_null(S.waits[1].cancel);
	cr_assert_geq(S.waits[1].deadline_ms, t0 + DQE_GRACE_MS);
	cr_assert_leq(S.waits[1].deadline_ms, S.waits[1].at_ms + DQE_GRACE_MS);
	expect_up();
}

Test(machine, a_reply_that_does_not_come_within_the_grace_is_etimedout_and_closes)
{
	dqw_result res;
	sio_push_stall(&S, SIO_FOREVER);
	cr_assert_eq(exec_sql("UPDATE t SET x = 1", &res), DQC_ETIMEDOUT);
	cr_assert_str_eq(M.err.msg, "no reply from " PEER " in time; the connection "
			 "was closed to stop the request");
	cr_assert_eq(M.err.sent, 1);
	cr_assert_eq(S.reads, 2, "the wait and its grace");
	expect_closed();
}

Test(machine, a_page_that_comes_within_the_grace_keeps_the_stream_going)
{
	dqc_rows *r;
	push_ints(0, 2, 1);
	sio_push_stall(&S, 1);
	push_ints(2, 2, 0);
	r = query_n(0, 0);
	expect_ints(r, 0, 4);
	expect_end(r, 0);
	cr_assert_eq(S.stalls, 1);
	cr_assert_eq(close_rows(r), 0);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
	expect_up();
}

Test(machine, a_page_that_never_comes_is_etimedout_after_the_rows_in_hand)
{
	dqc_rows *r;
	push_ints(0, 2, 1);
	sio_push_stall(&S, SIO_FOREVER);
	r = query_n(0, 0);
	expect_ints(r, 0, 2);
	expect_end(r, DQC_ETIMEDOUT);
	expect_closed();
	cr_assert_eq(close_rows(r), 0);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
}

/* ------------------------------------------------------------ cancel */

Test(machine, a_canceled_request_whose_reply_comes_within_the_grace_returns_it)
{
	dqw_result res;
	sio_push_cancel(&S); /* fires while the first read waits */
	sio_push_result(&S, 4, 1);
	cr_assert_eq(exec_sql("INSERT INTO t VALUES (1)", &res), 0, "%s", M.err.msg);
	cr_assert_eq(res.last_insert_id, 4);
	cr_assert(dqe_cancel_hit(&C));
	cr_assert_eq(S.cancels_seen, 1);
	cr_assert_null(S.waits[1].cancel, "the grace ignores the cancel");
	expect_up();
}

Test(machine, a_canceled_request_without_a_reply_is_ecanceled_and_closes)
{
	dqw_result res;
	sio_push_cancel(&S);
	sio_push_stall(&S, SIO_FOREVER);
	cr_assert_eq(exec_sql("INSERT INTO t VALUES (1)", &res), DQC_ECANCELED);
	cr_assert_str_eq(M.err.msg, "operation canceled; the connection to " PEER
			 " was closed to stop the request");
	cr_assert_eq(M.err.sent, 1);
	expect_closed();
}

Test(machine, begin_in_a_canceled_scope_sends_nothing)
{
	dqe_cancel_fire(&C);
	cr_assert_eq(begin_exec("INSERT INTO t VALUES (1)"), DQC_ECANCELED);
	cr_assert_str_eq(M.err.msg, "operation canceled");
	cr_assert_eq(M.err.sent, 0);
	cr_assert_eq(S.writes, 0);
	cr_assert_eq(S.reads, 0);
	expect_up();
	/* the next call's scope is not canceled */
	dqe_cancel_close(&C);
	dqe_cancel_open(&C);
	sio_push_result(&S, 0, 0);
	{
		dqw_result res;
		cr_assert_eq(exec_sql("INSERT INTO t VALUES (1)", &res), 0, "%s",
			     M.err.msg);
	}
	EXPECT_REQUESTS(DQW_REQ_EXEC_SQL);
}

Test(machine, begin_in_a_canceled_scope_leaves_a_streaming_result_alone)
{
	dqc_rows *r;
	push_pages(2, 2, 0);
	r = query_n(0, 0);
	dqe_cancel_fire(&C);
	cr_assert_eq(begin_exec("SELECT 1"), DQC_ECANCELED);
	cr_assert_eq(M.active, r);
	cr_assert_eq(r->streaming, 1);
	cr_assert_eq(S.reads, 1);
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL);
	expect_up();
	/* a later call reads on */
	dqe_cancel_close(&C);
	dqe_cancel_open(&C);
	expect_ints(r, 0, 4);
	expect_end(r, 0);
	cr_assert_eq(close_rows(r), 0);
	expect_up();
}

Test(machine, a_canceled_streaming_read_stops_the_stream_and_drains_within_the_grace)
{
	dqc_rows *r;
	push_pages(3, 2, 0); /* the second and third: discarded */
	sio_push_empty(&S);
	sio_push_result(&S, 0, 0);
	r = query_n(0, 0);
	expect_ints(r, 0, 2);
	dqe_cancel_fire(&C);
	expect_end(r, DQC_ECANCELED);
	cr_assert_str_eq(M.err.msg, "operation canceled");
	cr_assert_str_eq(r->errmsg, "operation canceled");
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_INTERRUPT);
	cr_assert_null(M.active);
	cr_assert_eq(sio_left(&S), 1);
	expect_up();
	/* the next call, in a new scope, has the link in step */
	dqe_cancel_close(&C);
	dqe_cancel_open(&C);
	exec_select_1();
	cr_assert_eq(close_rows(r), 0);
	expect_up();
}

Test(machine, a_canceled_streaming_read_that_cannot_drain_closes_the_link)
{
	dqc_rows *r;
	push_pages(2, 2, 1);
	sio_push_stall(&S, SIO_FOREVER);
	r = query_n(0, 0);
	expect_ints(r, 0, 2);
	dqe_cancel_fire(&C);
	expect_end(r, DQC_ECANCELED);
	cr_assert_str_eq(M.err.msg, "operation canceled; the connection to " PEER
			 " was closed to stop the result");
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_INTERRUPT);
	expect_closed();
	cr_assert_eq(close_rows(r), 0);
}

Test(machine, a_cancel_while_begin_buffers_a_result_sends_nothing_of_the_new_request)
{
	dqc_rows *r;
	push_ints(0, 2, 1);
	sio_push_cancel(&S); /* fires while begin reads the second page */
	push_ints(2, 2, 1);
	push_ints(4, 2, 0);
	sio_push_empty(&S);
	r = query_n(0, 0);
	cr_assert_eq(begin_exec("INSERT INTO u VALUES (1)"), DQC_ECANCELED,
		     "the call was canceled: begin must not let its request go");
	INV();
	/* the buffered result was stopped: INTERRUPT, discard until EMPTY */
	EXPECT_REQUESTS(DQW_REQ_QUERY_SQL, DQW_REQ_INTERRUPT);
	cr_assert_eq(sio_left(&S), 0);
	expect_up();
	/* what was buffered stays readable */
	expect_ints(r, 0, 4);
	cr_assert_eq(close_rows(r), 0);
}

/* ---------------------------------------------------------- writing */

Test(machine, a_failed_write_is_eio_closes_and_counts_as_sent)
{
	dqw_result res;
	sio_fail_write(&S, 1, DQC_EIO, 5);
	cr_assert_eq(exec_sql("INSERT INTO t VALUES (1)", &res), DQC_EIO);
	cr_assert_str_eq(M.err.msg, "write to " PEER " failed: broken pipe");
	cr_assert_eq(M.err.sent, 1, "part of the request may have gone out");
	cr_assert_eq(S.out.len, 5);
	cr_assert_eq(S.reads, 0);
	expect_closed();
}

Test(machine, sent_is_0_when_nothing_was_written)
{
	dqw_result res;
	/* down */
	dqe_machine_detach(&M, DQC_EIO, "gone");
	INV();
	cr_assert_eq(begin_exec("SELECT 1"), DQC_ECLOSED);
	cr_assert_str_eq(M.err.msg, "not connected to a dqlite node");
	cr_assert_eq(M.err.sent, 0);
	cr_assert_eq(S.writes, 0);
	/* a reply lost after the request went out: sent */
	sio_reconnect(&S);
	dqe_machine_attach(&M, &S.io, PEER);
	INV();
	sio_push_loss(&S);
	cr_assert_eq(exec_sql("SELECT 1", &res), DQC_EIO);
	cr_assert_eq(M.err.sent, 1);
	INV();
}

/* -------------------------------------------------------- pipelining */

static void queue_execs(unsigned n)
{
	cr_assert_eq(dqe_machine_begin(&M), 0, "%s", M.err.msg);
	INV();
	for (unsigned i = 0; i < n; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%u)", i);
		cr_assert_eq(dqw_encode_exec_sql(&M.out, M.db_id, sql, NULL, 0, 0),
			     DQW_OK);
		dqe_machine_queued(&M);
		INV();
	}
	cr_assert_eq(M.pending, n);
	cr_assert_eq(S.writes, 0, "queued requests wait for the first recv");
}

Test(machine, pipelined_execs_go_out_in_one_write_and_replies_come_in_order)
{
	dqw_result res;
	sio_push_result(&S, 1, 1);
	sio_push_failure(&S, 19, "constraint failed");
	sio_push_result(&S, 3, 1);
	queue_execs(3);
	cr_assert_eq(dqe_machine_pipeline_recv(&M, &res), 0, "%s", M.err.msg);
	INV();
	cr_assert_eq(res.last_insert_id, 1);
	cr_assert_eq(S.writes, 1);
	EXPECT_REQUESTS(DQW_REQ_EXEC_SQL, DQW_REQ_EXEC_SQL, DQW_REQ_EXEC_SQL);
	cr_assert_eq(M.requests, 3, "one write carried 3 requests: %llu counted",
		     (unsigned long long)M.requests);
	cr_assert_eq(M.pending, 2);
	/* a FAILURE fails that request only */
	cr_assert_eq(dqe_machine_pipeline_recv(&M, &res), DQC_ESERVER);
	INV();
	cr_assert_eq(M.err.code, 19);
	cr_assert_str_eq(M.err.msg, "constraint failed");
	cr_assert_eq(M.pending, 1);
	expect_up();
	cr_assert_eq(dqe_machine_pipeline_recv(&M, &res), 0, "%s", M.err.msg);
	INV();
	cr_assert_eq(res.last_insert_id, 3);
	cr_assert_eq(M.pending, 0);
	cr_assert_eq(S.writes, 1);
	cr_assert_eq(dqe_machine_pipeline_recv(&M, &res), DQC_EINVAL);
	cr_assert_str_eq(M.err.msg, "no pipelined request pending");
	expect_up();
}

Test(machine, a_request_while_pipelined_replies_are_due_is_ebusy)
{
	dqw_result res;
	sio_push_result(&S, 1, 1);
	sio_push_result(&S, 2, 1);
	queue_execs(2);
	cr_assert_eq(dqe_machine_pipeline_recv(&M, &res), 0, "%s", M.err.msg);
	cr_assert_eq(begin_exec("SELECT 1"), DQC_EBUSY);
	cr_assert_str_eq(M.err.msg, "1 pipelined replies have not been read");
	cr_assert_eq(M.err.sent, 0);
	cr_assert_eq(S.writes, 1);
	cr_assert_eq(dqe_machine_pipeline_recv(&M, &res), 0, "%s", M.err.msg);
	cr_assert_eq(res.last_insert_id, 2);
	expect_up();
}

Test(machine, a_stall_drops_the_link_and_every_pending_request)
{
	dqw_result res;
	sio_push_result(&S, 1, 1);
	sio_push_stall(&S, SIO_FOREVER);
	queue_execs(3);
	cr_assert_eq(dqe_machine_pipeline_recv(&M, &res), 0, "%s", M.err.msg);
	cr_assert_eq(dqe_machine_pipeline_recv(&M, &res), DQC_ETIMEDOUT);
	INV();
	cr_assert_str_eq(M.err.msg, "no reply from " PEER " in time; the connection "
			 "was closed to stop the request");
	cr_assert_eq(M.pending, 0);
	expect_closed();
	cr_assert_eq(dqe_machine_pipeline_recv(&M, &res), DQC_EINVAL);
}

Test(machine, a_pipelined_reply_that_comes_within_the_grace_counts)
{
	dqw_result res;
	sio_push_result(&S, 1, 1);
	sio_push_stall(&S, 1);
	sio_push_result(&S, 2, 1);
	queue_execs(2);
	cr_assert_eq(dqe_machine_pipeline_recv(&M, &res), 0, "%s", M.err.msg);
	cr_assert_eq(dqe_machine_pipeline_recv(&M, &res), 0,
		     "a late reply within the %u ms grace is the truth about the "
		     "request: %s", DQE_GRACE_MS, M.err.msg);
	INV();
	cr_assert_eq(res.last_insert_id, 2);
	expect_up();
}

Test(machine, link_loss_in_a_pipeline_drops_every_pending_request)
{
	dqw_result res;
	sio_push_loss(&S);
	queue_execs(3);
	cr_assert_eq(dqe_machine_pipeline_recv(&M, &res), DQC_EIO);
	INV();
	cr_assert_eq(M.err.sent, 1);
	cr_assert_eq(M.pending, 0);
	expect_closed();
}

Test(machine, a_pipelined_reply_of_the_wrong_type_is_eproto_and_closes)
{
	dqw_result res;
	sio_push_empty(&S);
	queue_execs(2);
	cr_assert_eq(dqe_machine_pipeline_recv(&M, &res), DQC_EPROTO);
	INV();
	cr_assert_str_eq(M.err.msg, "protocol error: unexpected reply type 8 to "
			 "EXEC from " PEER);
	cr_assert_eq(M.pending, 0);
	expect_closed();
}
