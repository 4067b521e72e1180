/*
 * dqlite_client.h -- the dqlite protocol engine's public API.
 *
 * A small synchronous client for dqlite's wire protocol. It knows nothing of
 * ODBC. Every call that talks to the server blocks the calling thread until
 * the reply arrives, the operation's timeout fires, or dqc_cancel() is called
 * from another thread. Inside, each connection owns a private libuv loop that
 * runs only while a call waits (no background thread).
 *
 * Conventions (libuv/SQLite style):
 *  - Names are prefixed dqc_. Functions return 0 on success and a negative
 *    DQC_E* code on failure; functions that return a boolean-ish result say
 *    so in their comment.
 *  - After a failure, dqc_errmsg() holds a human-readable message and
 *    dqc_server_code() the server's FAILURE code (0 when the failure was not
 *    a server FAILURE response). Both stay valid until the next call on the
 *    same connection.
 *  - A dqc_conn is not thread-safe: one thread at a time (the ODBC layer
 *    holds a mutex). The single exception is dqc_cancel().
 *  - Memory: the caller owns every buffer it passes in; the engine copies
 *    what it keeps. Pointers the engine hands out (column names, cell text
 *    and blobs) point into engine buffers; each function says how long they
 *    stay valid.
 */
#ifndef DQLITE_CLIENT_H
#define DQLITE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------
 * Error codes (negative). DQC_ESERVER and the two leadership codes carry the
 * server's FAILURE code in dqc_server_code().
 * ------------------------------------------------------------------------- */
enum {
	DQC_OK = 0,
	DQC_ENOMEM = -1,      /* allocation failed */
	DQC_EINVAL = -2,      /* bad argument (NULL, out of range, too many params) */
	DQC_EPROTO = -3,      /* malformed or unexpected frame from the server */
	DQC_ECONNECT = -4,    /* no bootstrap address could be reached / no leader */
	DQC_EIO = -5,         /* the link broke (reset, EOF, write error) */
	DQC_ETIMEDOUT = -6,   /* the operation's timeout fired */
	DQC_ECANCELED = -7,   /* dqc_cancel() interrupted the operation */
	DQC_ESERVER = -8,     /* the server answered FAILURE (see dqc_server_code) */
	DQC_ENOTLEADER = -9,  /* FAILURE 10250: this node is not (or no longer) leader */
	DQC_ELEADERLOST = -10,/* FAILURE 10506: leadership lost during a commit; the
	                         write may or may not have been applied */
	DQC_ETLS = -11,       /* TLS handshake / certificate verification failed */
	DQC_ELIMIT = -12,     /* a configured cap (max rows / max pages) was hit */
	DQC_ESTALE = -13,     /* statement belongs to an earlier link (reconnected),
	                         was finalized, or was never prepared */
	DQC_EUNSUPPORTED = -14,/* the server's version lacks the feature */
	DQC_EBUSY = -15,      /* misuse: a request while replies are still pending */
	DQC_ECLOSED = -16,    /* the connection is not connected */
	DQC_ETOOWIDE = -17    /* the server cannot send the result: its column
	                         names take 4080 bytes or more of a 4 KiB page
	                         (refused before sending when the SQL text shows
	                         it; otherwise the link was closed to stop the
	                         server's endless empty pages) */
};

/* A short constant name for an error code ("DQC_EIO"), never NULL. */
const char *dqc_strerror(int rc);

/* ---------------------------------------------------------------------------
 * Values. Used for parameters (client -> server) and cells (server -> client).
 * The numeric codes are the wire codes.
 * ------------------------------------------------------------------------- */
enum dqc_type {
	DQC_INTEGER = 1,
	DQC_FLOAT = 2,
	DQC_TEXT = 3,
	DQC_BLOB = 4,
	DQC_NULL = 5,
	DQC_UNIXTIME = 9, /* server -> client only: i64 seconds since the epoch */
	DQC_ISO8601 = 10, /* text, e.g. "2024-01-02 03:04:05"; "" from old servers = NULL */
	DQC_BOOLEAN = 11  /* u64 0/1 */
};

typedef struct dqc_value {
	int type; /* enum dqc_type */
	union {
		int64_t integer;   /* DQC_INTEGER, DQC_UNIXTIME */
		double real;       /* DQC_FLOAT */
		uint64_t boolean;  /* DQC_BOOLEAN */
		struct {
			const char *ptr; /* DQC_TEXT, DQC_ISO8601: UTF-8; ptr[len] == '\0' */
			size_t len;
		} text;
		struct {
			const void *ptr; /* DQC_BLOB */
			size_t len;
		} blob;
	} v;
} dqc_value;

/* ---------------------------------------------------------------------------
 * Connection
 * ------------------------------------------------------------------------- */
typedef struct dqc_conn dqc_conn;

struct dqc_tls_config {
	int enabled;             /* 0: plain TCP (the other fields are ignored) */
	int verify_peer;         /* default 1: verify the chain and the name */
	const char *ca_file;     /* PEM CA bundle; NULL: OpenSSL's default paths */
	const char *cert_file;   /* PEM client certificate, or NULL */
	const char *key_file;    /* PEM client key, or NULL */
	const char *server_name; /* SNI + name to verify; NULL: the host part of
	                            the address being connected to */
};

struct dqc_config {
	/* Bootstrap addresses, "host:port", "[v6]:port" or "host" (port 9001).
	 * Tried in order until one answers LEADER; the engine then follows the
	 * leader it names. At least one. Copied at dqc_connect(). */
	const char *const *addresses;
	size_t n_addresses;
	unsigned connect_timeout_ms; /* bounds a whole dqc_connect/dqc_reconnect/
	                                dqc_open outside a scope; 0: 5000 */
	unsigned timeout_ms;         /* bounds each other call outside a scope;
	                                0: no limit */
	uint64_t max_rows;           /* per query result; 0: no limit */
	uint64_t max_pages;          /* ROWS pages per query result; 0: no limit */
	struct dqc_tls_config tls;
};

/* Allocates an unconnected connection. Returns NULL only on ENOMEM. */
dqc_conn *dqc_conn_new(void);

/* Closes the link (if any) and frees everything, including any result still
 * open. Statements need not be finalized first (the server frees them when
 * the link closes). NULL is a no-op. */
void dqc_conn_free(dqc_conn *c);

/* Connects: walks the bootstrap list, asks each node for the leader, connects
 * to the leader and verifies it is leader. On failure returns DQC_ECONNECT
 * (or DQC_ETLS / DQC_ETIMEDOUT / DQC_ECANCELED), and dqc_errmsg() names every
 * address tried with its reason. One deadline bounds the whole walk (the
 * scope's, or connect_timeout_ms); each address gets a fair share of it. */
int dqc_connect(dqc_conn *c, const struct dqc_config *cfg);

/* Drops the current link and runs dqc_connect() again with the same config,
 * then re-opens the database that was open (if any). Every statement prepared
 * before becomes stale (DQC_ESTALE on use, finalize is a harmless no-op) and
 * any open transaction is gone. Used after DQC_ENOTLEADER / DQC_EIO. */
int dqc_reconnect(dqc_conn *c);
/* dqc_reconnect, over by by_ms as well (absolute, dqc_now_ms() clock; 0:
 * no extra bound): the earlier of by_ms and the scope's deadline (or
 * connect_timeout_ms outside a scope) bounds the walk, so a caller riding
 * out a failover keeps to its own budget even when a node accepts and never
 * answers. DQC_ETIMEDOUT when either ran out. */
int dqc_reconnect_by(dqc_conn *c, uint64_t by_ms);

/* Closes the link; the conn can be connected again. */
void dqc_disconnect(dqc_conn *c);

/* 1 if the link is up and no fatal error has been seen on it, else 0.
 * Never blocks and sends nothing (SQL_ATTR_CONNECTION_DEAD). */
int dqc_is_alive(const dqc_conn *c);

/* dqc_is_alive, after asking the kernel (no request, no wait) whether the
 * server has closed or reset the socket since it was last read: a node that
 * restarted while the connection sat idle shows as dead here. A paused or
 * unreachable peer still looks alive (only a round trip can tell). */
int dqc_probe(dqc_conn *c);

/* Requests written to servers by this connection since it was created
 * (the cluster walk's and reconnects' included): round trips, for
 * statistics (SQL_ATTR_DQLITE_REQUESTS) and tests. */
uint64_t dqc_requests_sent(const dqc_conn *c);

/* Changes timeout_ms (0: none): the bound of each later call made outside
 * a scope (inside one, the scope's deadline rules). */
void dqc_set_timeout(dqc_conn *c, unsigned timeout_ms);
/* Changes the caps of later query results (0: none). */
void dqc_set_limits(dqc_conn *c, uint64_t max_rows, uint64_t max_pages);

/* The address ("host:port") of the node the link is connected to, or "". */
const char *dqc_peer_address(const dqc_conn *c);

/* Bumped by every successful (re)connect. Statements remember the value they
 * were prepared under. */
uint64_t dqc_generation(const dqc_conn *c);

/* Milliseconds on the monotonic clock that scope deadlines use. */
uint64_t dqc_now_ms(void);

/* A scope groups the calls that serve one call of the caller (an ODBC call
 * that sends BEGIN, PREPARE and QUERY, say): until dqc_scope_end() they share
 * one deadline (absolute, dqc_now_ms() clock; 0: none) and one cancel scope.
 * Outside a scope each call is its own, bounded by timeout_ms. Scopes do not
 * nest. A call whose deadline passes or that is canceled gives the reply
 * that is due a short grace (200 ms), then closes the link to stop the
 * request: every call returns by its deadline plus that grace. */
void dqc_scope_begin(dqc_conn *c, uint64_t deadline_ms);
void dqc_scope_end(dqc_conn *c);

/* The running scope's deadline (dqc_now_ms() clock), 0 when it has none. */
uint64_t dqc_scope_deadline(const dqc_conn *c);

/* Waits ms milliseconds within the scope (a backoff before a retry): 0, or
 * DQC_ETIMEDOUT when the scope's deadline came first ("the call's time ran
 * out while waiting for <what>"), DQC_ECANCELED when it was canceled.
 * Sends nothing. */
int dqc_pause(dqc_conn *c, unsigned ms, const char *what);

/* Thread-safe (any thread, while c is alive): cancels the scope running on
 * c, if any: the call blocked in it (or the next one in the same scope)
 * returns DQC_ECANCELED after the grace, unless its reply arrives within the
 * grace, which then counts. Nothing happens when no call is in progress. */
void dqc_cancel(dqc_conn *c);

const char *dqc_errmsg(const dqc_conn *c);
uint64_t dqc_server_code(const dqc_conn *c);
/* 1 when the last failed call had written (part of) a request, so the server
 * may have acted on it; 0 when it failed before sending anything. */
int dqc_request_sent(const dqc_conn *c);

/* Feature bits of the server, detected (never negotiated) after dqc_open(). */
enum {
	DQC_FEATURE_PARAMS_SCHEMA1 = 1 << 0, /* >255 parameters (server >= 1.12) */
	DQC_FEATURE_PREPARE_TAIL = 1 << 1,   /* PREPARE reports the tail offset,
	                                        QUERY of writes and RETURNING are
	                                        safe (server >= 1.15) */
};
unsigned dqc_features(const dqc_conn *c);

/* ---------------------------------------------------------------------------
 * Database and statements
 * ------------------------------------------------------------------------- */

/* OPEN a database by name (one per connection; a second call fails with
 * DQC_EINVAL without sending anything). Then probes the server's features
 * and runs one query that makes the server's per-connection reply buffer
 * grow past a page: released servers overflow that buffer when a wide row's
 * header crosses its first 4 KiB (docs/protocol.md). In-memory names ("",
 * ":memory:", "file:" URIs) are refused with DQC_EINVAL before sending:
 * they crash released servers on the next statement. So are names longer
 * than 504 bytes, on which servers drop the connection. */
int dqc_open(dqc_conn *c, const char *name);

/* The server's SQLite version ("3.40.1"), known after dqc_open(); "" before. */
const char *dqc_sqlite_version(const dqc_conn *c);

/* A prepared statement handle. A plain struct owned by the caller (zero it
 * before first use). The engine refuses to EXEC/QUERY/FINALIZE a handle that
 * is not live or whose generation is not the connection's: sending a
 * finalized or foreign statement id crashes real servers. */
typedef struct dqc_stmt {
	uint32_t id;
	uint64_t n_params;    /* '?' / named parameters the server counted */
	uint64_t tail_offset; /* byte offset of the first unparsed SQL byte (second
	                         statement), or UINT64_MAX if the server did not
	                         say (server < 1.15) */
	uint64_t generation;
	int live;
	/* set by dqc_prepare from the SQL text, for the safety checks of
	 * dqc_query: */
	int writes;           /* the statement may modify the database */
	size_t names_min;     /* lower bound of its result's column-name bytes */
} dqc_stmt;

/* PREPARE sql (NUL-terminated UTF-8). On success *st is live. */
int dqc_prepare(dqc_conn *c, const char *sql, dqc_stmt *st);

/* FINALIZE st if it is live and current; always leaves st->live == 0.
 * Returns 0 for a non-live or stale handle without sending anything. */
int dqc_finalize(dqc_conn *c, dqc_stmt *st);

/* Outcome of a statement that returns no rows. */
typedef struct dqc_result {
	uint64_t last_insert_id;
	uint64_t rows_affected;
} dqc_result;

/* EXEC a prepared statement with exactly st->n_params parameters (the server
 * keeps stale bindings otherwise, so a count mismatch is DQC_EINVAL without
 * sending). res may be NULL. */
int dqc_exec(dqc_conn *c, dqc_stmt *st, const dqc_value *params, unsigned n,
	     dqc_result *res);

/* EXEC_SQL: prepare+exec+finalize in one round trip. sql may hold several
 * statements only when it has no parameters (released servers bind every
 * parameter to the first statement). res may be NULL. */
int dqc_exec_sql(dqc_conn *c, const char *sql, const dqc_value *params,
		 unsigned n, dqc_result *res);

/* ---------------------------------------------------------------------------
 * Results that return rows: streamed page by page.
 *
 * At most one result streams on a connection at a time. When any other
 * request is made on the connection while a result is still streaming, the
 * engine first reads the rest of that result into memory, so the open result
 * stays readable; past its caps (max_rows / max_pages) it is abandoned
 * instead and fails with DQC_ELIMIT once its rows in hand are read.
 * ------------------------------------------------------------------------- */
typedef struct dqc_rows dqc_rows;

/* QUERY a prepared statement / QUERY_SQL. On success *rows is an open result
 * positioned before its first row; the column names are known. Refused
 * before sending: a statement that writes, on servers < 1.15 (they return
 * its rows without replicating the write: DQC_EUNSUPPORTED); a result whose
 * column names are known from the text to fill a page (DQC_ETOOWIDE). */
int dqc_query(dqc_conn *c, dqc_stmt *st, const dqc_value *params, unsigned n,
	      dqc_rows **rows);
int dqc_query_sql(dqc_conn *c, const char *sql, const dqc_value *params,
		  unsigned n, dqc_rows **rows);

unsigned dqc_rows_column_count(const dqc_rows *r);
/* Valid until dqc_rows_close(). */
const char *dqc_rows_column_name(const dqc_rows *r, unsigned i);

/* Advances to the next row. Returns 1 and points *cells at an array of
 * dqc_rows_column_count() values, 0 at the end of the result, or a negative
 * DQC_E* code (the result is then finished; dqc_rows_errmsg() says why).
 * Cells point into the receive buffer and stay valid until the next
 * dqc_rows_next()/dqc_rows_close() on this result. Reads the next page from
 * the server only when the current one is exhausted, within the scope's
 * deadline. Exceeding max_rows/max_pages returns DQC_ELIMIT. */
int dqc_rows_next(dqc_rows *r, const dqc_value **cells);

/* Why the result ended early ("" if it did not), and the server's code. */
const char *dqc_rows_errmsg(const dqc_rows *r);
uint64_t dqc_rows_server_code(const dqc_rows *r);

/* 1 once every page of the result has been received (streamed or buffered). */
int dqc_rows_complete(const dqc_rows *r);

/* Stops reading the result early, so the link is free for other requests:
 * if pages are still due, sends INTERRUPT and discards until EMPTY within
 * the scope's deadline (released servers send the whole rest first), else
 * closes the link. The result stays allocated and reads as finished. 0, or
 * the link failure. */
int dqc_rows_abandon(dqc_rows *r);

/* Frees the result, abandoning it first if pages are still due. NULL is a
 * no-op. */
void dqc_rows_close(dqc_rows *r);

/* ---------------------------------------------------------------------------
 * Pipelining: queue several requests, write them in one go, read the replies
 * in order. Only statements that return no rows.
 * ------------------------------------------------------------------------- */

/* Queue an EXEC / EXEC_SQL without waiting. Nothing is written until
 * dqc_pipeline_flush() or the first dqc_pipeline_recv(). */
int dqc_pipeline_exec(dqc_conn *c, dqc_stmt *st, const dqc_value *params,
		      unsigned n);
int dqc_pipeline_exec_sql(dqc_conn *c, const char *sql,
			  const dqc_value *params, unsigned n);
int dqc_pipeline_flush(dqc_conn *c);
/* Number of queued or written requests whose reply has not been read. */
unsigned dqc_pipeline_pending(const dqc_conn *c);
/* Reads the reply of the oldest pending request. A FAILURE reply returns its
 * error code (DQC_ESERVER...) for that request only; the rest stay pending
 * and readable. A link error, or a wait that ends (deadline, cancel), closes
 * the link and fails every pending request. */
int dqc_pipeline_recv(dqc_conn *c, dqc_result *res);

/* ---------------------------------------------------------------------------
 * Cluster administration (on the connected node, normally the leader)
 * ------------------------------------------------------------------------- */
enum dqc_role { DQC_VOTER = 0, DQC_STANDBY = 1, DQC_SPARE = 2 };

typedef struct dqc_node_info {
	uint64_t id;
	char address[256];
	int role; /* enum dqc_role */
} dqc_node_info;

/* LEADER: the leader as the connected node knows it; id 0 and "" if none. */
int dqc_leader(dqc_conn *c, dqc_node_info *leader);
/* CLUSTER (format 1, with roles). *nodes is malloc'd: free() it. */
int dqc_cluster(dqc_conn *c, dqc_node_info **nodes, unsigned *n);
int dqc_add(dqc_conn *c, uint64_t id, const char *address);
int dqc_assign(dqc_conn *c, uint64_t id, int role);
int dqc_remove(dqc_conn *c, uint64_t id);
int dqc_transfer(dqc_conn *c, uint64_t id);
int dqc_describe(dqc_conn *c, uint64_t *failure_domain, uint64_t *weight);
int dqc_weight(dqc_conn *c, uint64_t weight);

typedef struct dqc_file {
	char *name;  /* malloc'd */
	void *data;  /* malloc'd */
	size_t size;
} dqc_file;
/* DUMP the named database. Free with dqc_files_free(). */
int dqc_dump(dqc_conn *c, const char *db, dqc_file **files, unsigned *n);
void dqc_files_free(dqc_file *files, unsigned n);

#ifdef __cplusplus
}
#endif
#endif /* DQLITE_CLIENT_H */
