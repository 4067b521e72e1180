/*
 * dqfake.h -- a scripted FAKE dqlite server, for fault injection only.
 *
 * Project rule: tests run against REAL dqlite servers (dqtest.h). The fake is
 * for the frames and faults a real server will not produce on demand:
 * malformed or truncated frames, a stall in the middle of a frame, a silent
 * peer, endless empty ROWS pages, a connection closed mid-result, a reply of
 * the wrong type. It does not understand SQL and keeps no data.
 *
 * Shape: dqt_fake_start() binds 127.0.0.1 on a port the kernel picks (port 0)
 * and runs a listener thread; every accepted connection gets its own thread,
 * which reads the 8-byte handshake (u64 LE 1), then loops reading requests
 * (8-byte header + body) and calls the test's handler for each one. A
 * handler returning DQT_FAKE_DEFAULT gets the default reply (below), so a
 * handler only scripts the requests it cares about. Handlers match on the
 * request's type and, for PREPARE/EXEC_SQL/QUERY_SQL, its SQL text
 * (dqt_fake_req_sql) -- never on the request's position, because the
 * engine's connect sequence (LEADER, OPEN, probes, warm-up queries) may change.
 *
 * Default replies (enough for a real client to connect and run queries):
 *   LEADER -> SERVER(id 1, the fake's own address)   OPEN -> DB(0)
 *   PREPARE -> STMT(db 0, next stmt id, 0 params), always schema 0 / 16 bytes
 *              (an "old server": a schema-1 PREPARE gets a schema-0 reply)
 *   FINALIZE, INTERRUPT -> EMPTY        EXEC, EXEC_SQL -> RESULT(0, 0)
 *   QUERY, QUERY_SQL -> one ROWS page: column "x", one row INTEGER 1, done
 *   anything else -> FAILURE(1, "fake: unsupported request")
 *
 * Threads: the handler runs on the connection's thread, one thread per
 * connection, so a handler's shared state must be atomic or locked. Every
 * blocking helper returns early (with -1) once dqt_fake_stop() is called.
 * dqt_fake_stop() wakes every thread (eventfd + shutdown()) and joins them
 * within about 1 s. The fake does not depend on the engine or its codec
 * (src/wire.h): frames are built with the small byte builder below.
 *
 * Counters (thread-safe; see dqt_fake_wait): connections accepted, requests
 * by type, and connections the CLIENT closed. A connection counts as closed
 * by the client when the fake saw EOF/RST from it before closing it itself
 * and before stop; it is counted only after every request the client sent
 * before closing has been counted (so "INTERRUPT was sent, then the link was
 * closed" can be asserted without races).
 */
#ifndef DQFAKE_H
#define DQFAKE_H

#include <stddef.h>
#include <stdint.h>

/* Request types (client -> server). */
enum {
	DQT_FAKE_REQ_LEADER = 0,
	DQT_FAKE_REQ_CLIENT = 1,
	DQT_FAKE_REQ_HEARTBEAT = 2,
	DQT_FAKE_REQ_OPEN = 3,
	DQT_FAKE_REQ_PREPARE = 4,
	DQT_FAKE_REQ_EXEC = 5,
	DQT_FAKE_REQ_QUERY = 6,
	DQT_FAKE_REQ_FINALIZE = 7,
	DQT_FAKE_REQ_EXEC_SQL = 8,
	DQT_FAKE_REQ_QUERY_SQL = 9,
	DQT_FAKE_REQ_INTERRUPT = 10,
	DQT_FAKE_REQ_CLUSTER = 16
};

/* Response types (server -> client). */
enum {
	DQT_FAKE_RESP_FAILURE = 0,
	DQT_FAKE_RESP_SERVER = 1,
	DQT_FAKE_RESP_WELCOME = 2,
	DQT_FAKE_RESP_SERVERS = 3,
	DQT_FAKE_RESP_DB = 4,
	DQT_FAKE_RESP_STMT = 5,
	DQT_FAKE_RESP_RESULT = 6,
	DQT_FAKE_RESP_ROWS = 7,
	DQT_FAKE_RESP_EMPTY = 8
};

/* Value type codes in ROWS (the wire codes). */
enum {
	DQT_FAKE_INTEGER = 1,
	DQT_FAKE_FLOAT = 2,
	DQT_FAKE_TEXT = 3,
	DQT_FAKE_BLOB = 4,
	DQT_FAKE_NULL = 5,
	DQT_FAKE_UNIXTIME = 9,
	DQT_FAKE_ISO8601 = 10,
	DQT_FAKE_BOOLEAN = 11
};

/* Handler verdicts. */
enum {
	DQT_FAKE_DEFAULT = 0, /* send the default reply for this request */
	DQT_FAKE_HANDLED = 1, /* the handler replied, or chose not to: read on */
	DQT_FAKE_CLOSE = 2,   /* close now: FIN after what was sent; the fake
	                         then reads on (requests counted, not answered)
	                         until the client closes too, stop, or 2 s, so
	                         no RST destroys the data in flight. Not counted
	                         as a client close. */
	DQT_FAKE_RESET = 3    /* close now with RST (SO_LINGER 0) */
};

typedef struct dqt_fake_impl dqt_fake_impl;
typedef struct dqt_fake_conn dqt_fake_conn; /* one accepted connection */

typedef struct dqt_fake {
	int port;
	char address[32];    /* "127.0.0.1:PORT" */
	dqt_fake_impl *impl; /* private */
} dqt_fake;

/* One request as received. body/len stay valid during the handler call. */
typedef struct dqt_fake_req {
	uint8_t type;
	uint8_t schema;
	const uint8_t *body;
	size_t len;
	unsigned conn;  /* 0-based connection number (accept order) */
	unsigned seq;   /* 0-based request number on this connection */
} dqt_fake_req;

/* Returns one of DQT_FAKE_DEFAULT/HANDLED/CLOSE/RESET. */
typedef int (*dqt_fake_handler)(dqt_fake_conn *fc, const dqt_fake_req *req,
				void *arg);

/* ------------------------------------------------------------ lifecycle */

/* Starts the fake on 127.0.0.1:<free port>; handler may be NULL (all
 * defaults). Fills f->port and f->address. Returns 0, or -1 (message on
 * stderr, nothing left running). */
int dqt_fake_start(dqt_fake *f, dqt_fake_handler handler, void *arg);

/* A silent listener: accepts TCP connections and never reads or writes (for
 * login/connect-timeout tests). Connections and client closes are counted
 * (closes are seen with POLLRDHUP, without reading). Returns 0 or -1. */
int dqt_fake_start_silent(dqt_fake *f);

/* Wakes, closes and joins everything; returns within about 1 s even when a
 * handler is stalled or sleeping in the helpers below. Safe to call twice
 * and on a zeroed struct that never started. Call it from the thread that
 * owns f, not while another thread is in dqt_fake_wait() or a counter; the
 * dqt_fake struct must not move between start and stop (the connection
 * threads read its address). */
void dqt_fake_stop(dqt_fake *f);

/* ------------------------------------------------------------- counters */

unsigned dqt_fake_connections(dqt_fake *f);           /* accepted so far */
unsigned dqt_fake_requests(dqt_fake *f, int type);     /* of one type; -1: all */
unsigned dqt_fake_client_closed(dqt_fake *f);         /* see the top comment */

enum { DQT_FAKE_COUNT_CONNECTIONS = -2, DQT_FAKE_COUNT_CLIENT_CLOSED = -3,
       DQT_FAKE_COUNT_REQUESTS = -1 /* all types */ };
/* Waits (condition variable, no polling) until the counter `what` -- a
 * request type 0..255 or one of DQT_FAKE_COUNT_* -- reaches at least n.
 * Returns 0, or -1 after timeout_ms. */
int dqt_fake_wait(dqt_fake *f, int what, unsigned n, unsigned timeout_ms);

/* ------------------------------------------- helpers for handlers (fc) */

/* Sends one frame: header (ceil(len/8) words, type, schema, 0) then body,
 * zero-padded to 8. Returns 0, or -1 when the client is gone or on stop
 * (a write blocked on a client that does not read waits until one of those). */
int dqt_fake_send(dqt_fake_conn *fc, uint8_t type, uint8_t schema,
		  const void *body, size_t len);
/* Sends bytes exactly as given (half frames, garbage). Returns 0 or -1. */
int dqt_fake_send_raw(dqt_fake_conn *fc, const void *data, size_t len);
/* Sends FAILURE(code, message). Returns 0 or -1. */
int dqt_fake_send_failure(dqt_fake_conn *fc, uint64_t code, const char *message);
/* Sends the default reply for req (what DQT_FAKE_DEFAULT does). 0 or -1. */
int dqt_fake_reply_default(dqt_fake_conn *fc, const dqt_fake_req *req);

/* Sleeps ms milliseconds. Returns 0, or -1 early when the fake stops. */
int dqt_fake_sleep(dqt_fake_conn *fc, unsigned ms);
/* Keeps the socket open and reads nothing until the client closes it
 * (returns 0; the close is counted once the connection ends, after any
 * requests still buffered are counted) or the fake stops (returns -1). */
int dqt_fake_stall(dqt_fake_conn *fc);

/* The SQL text of a PREPARE / EXEC_SQL / QUERY_SQL request (u64 db, then
 * text), or the name of an OPEN; NULL for other types or a malformed body. */
const char *dqt_fake_req_sql(const dqt_fake_req *req);

/* -------------------------------------------------------- byte builder */

/* A growable byte buffer. Allocation failure sets failed (sticky); every
 * put is then a no-op and sends of the buffer fail. Zero-init is valid. */
typedef struct dqt_fake_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	int failed;
} dqt_fake_buf;

void dqt_fake_buf_free(dqt_fake_buf *b);              /* back to zero-init */
void dqt_fake_buf_reset(dqt_fake_buf *b);             /* len = 0, failed = 0 */
void dqt_fake_put_bytes(dqt_fake_buf *b, const void *p, size_t n);
void dqt_fake_put_zeros(dqt_fake_buf *b, size_t n);
void dqt_fake_put_u8(dqt_fake_buf *b, uint8_t v);
void dqt_fake_put_u32(dqt_fake_buf *b, uint32_t v);   /* little-endian */
void dqt_fake_put_u64(dqt_fake_buf *b, uint64_t v);   /* little-endian */
void dqt_fake_put_f64(dqt_fake_buf *b, double v);
void dqt_fake_put_text(dqt_fake_buf *b, const char *s); /* + NUL, pad to 8 */
void dqt_fake_put_blob(dqt_fake_buf *b, const void *p, size_t n); /* u64 n, pad */
void dqt_fake_put_pad8(dqt_fake_buf *b);              /* zeros to a multiple of 8 */
/* A whole frame (header + body padded to 8) appended to b, to be sent with
 * dqt_fake_send_raw, e.g. cut short. */
void dqt_fake_put_frame(dqt_fake_buf *b, uint8_t type, uint8_t schema,
			const void *body, size_t len);
/* FAILURE body: u64 code, text message. */
void dqt_fake_put_failure(dqt_fake_buf *b, uint64_t code, const char *message);

/* One cell of a ROWS row. */
typedef struct dqt_fake_value {
	int type;           /* DQT_FAKE_INTEGER ... DQT_FAKE_BOOLEAN */
	int64_t i;          /* INTEGER, UNIXTIME, BOOLEAN */
	double f;           /* FLOAT */
	const char *s;      /* TEXT, ISO8601 */
	const void *p;      /* BLOB */
	size_t n;           /* BLOB length */
} dqt_fake_value;

#define DQT_FAKE_INT(v) ((dqt_fake_value){ .type = DQT_FAKE_INTEGER, .i = (v) })
#define DQT_FAKE_STR(v) ((dqt_fake_value){ .type = DQT_FAKE_TEXT, .s = (v) })
#define DQT_FAKE_BLOBV(ptr, len) \
	((dqt_fake_value){ .type = DQT_FAKE_BLOB, .p = (ptr), .n = (len) })
#define DQT_FAKE_NULLV ((dqt_fake_value){ .type = DQT_FAKE_NULL })

/* A ROWS page body, in three steps: the column count and names, any number
 * of rows (ncols cells each: a header of 4-bit type codes padded to 8, then
 * the values), then the end marker: 8 x 0xEE when more pages follow (more
 * != 0), else 8 x 0xFF. Send with dqt_fake_send(fc, DQT_FAKE_RESP_ROWS, 0,
 * b.data, b.len). */
void dqt_fake_put_rows_columns(dqt_fake_buf *b, unsigned ncols,
			       const char *const *names);
void dqt_fake_put_row(dqt_fake_buf *b, unsigned ncols, const dqt_fake_value *cells);
void dqt_fake_put_rows_end(dqt_fake_buf *b, int more);

#endif /* DQFAKE_H */
