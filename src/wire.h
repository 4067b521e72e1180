/*
 * wire.h -- sans-IO codec for the dqlite wire protocol (internal to src/).
 *
 * Encoders append whole messages (8-byte header + body) to a growable byte
 * buffer; decoders take one message body (already split off by the caller
 * using dqw_header_decode) and fill plain structs whose text/blob pointers
 * point INTO that body. Nothing here touches a socket, so the same codec
 * serves the client, the tests and the fuzz harness.
 *
 * Every byte handed to a decoder is hostile: lengths, counts, padding and
 * type codes are bounds-checked; a malformed body returns DQW_EMALFORMED and
 * never reads outside [body, body+len).
 *
 * Protocol summary (all integers little-endian, everything 8-byte aligned):
 *   header: u32 body words, u8 type, u8 schema, u16 reserved (0)
 *   text:   UTF-8 bytes, NUL, zero padding to a multiple of 8
 *   blob:   u64 length, bytes, zero padding to a multiple of 8
 *   params (schema 0): u8 count, count x u8 type, zero pad to 8, values
 *   params (schema 1): u32 count, count x u8 type, zero pad to 8, values
 *   value:  INTEGER/UNIXTIME i64, FLOAT f64, BOOLEAN u64, NULL 8 zero bytes,
 *           TEXT/ISO8601 text, BLOB blob
 */
#ifndef DQ_WIRE_H
#define DQ_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "dqlite_client.h" /* dqc_value, dqc_node_info */

enum {
	DQW_OK = 0,
	DQW_ENOMEM = -1,
	DQW_EMALFORMED = -2, /* decode: truncated, bad padding/type/count */
	DQW_ETOOBIG = -3     /* encode: > 255 params in schema 0, size overflow */
};

#define DQW_PROTOCOL_VERSION 1u
#define DQW_HEADER_SIZE 8u
/* Bodies larger than this are refused by the decoder's caller (a 4 KiB page is
 * the norm; FILES from DUMP can be large). */
#define DQW_MAX_BODY (1u << 30)

enum dqw_request {
	DQW_REQ_LEADER = 0,
	DQW_REQ_CLIENT = 1,
	DQW_REQ_HEARTBEAT = 2,
	DQW_REQ_OPEN = 3,
	DQW_REQ_PREPARE = 4,
	DQW_REQ_EXEC = 5,
	DQW_REQ_QUERY = 6,
	DQW_REQ_FINALIZE = 7,
	DQW_REQ_EXEC_SQL = 8,
	DQW_REQ_QUERY_SQL = 9,
	DQW_REQ_INTERRUPT = 10,
	DQW_REQ_ADD = 12,
	DQW_REQ_ASSIGN = 13,
	DQW_REQ_REMOVE = 14,
	DQW_REQ_DUMP = 15,
	DQW_REQ_CLUSTER = 16,
	DQW_REQ_TRANSFER = 17,
	DQW_REQ_DESCRIBE = 18,
	DQW_REQ_WEIGHT = 19
};

enum dqw_response {
	DQW_RESP_FAILURE = 0,
	DQW_RESP_SERVER = 1,
	DQW_RESP_WELCOME = 2,
	DQW_RESP_SERVERS = 3,
	DQW_RESP_DB = 4,
	DQW_RESP_STMT = 5,
	DQW_RESP_RESULT = 6,
	DQW_RESP_ROWS = 7,
	DQW_RESP_EMPTY = 8,
	DQW_RESP_FILES = 9,
	DQW_RESP_METADATA = 10
};

/* ------------------------------------------------------------------ buffers */
typedef struct dqw_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
} dqw_buf;

void dqw_buf_init(dqw_buf *b);
void dqw_buf_free(dqw_buf *b);
void dqw_buf_reset(dqw_buf *b); /* len = 0, keeps the allocation */
/* Ensure room for `extra` more bytes. DQW_OK or DQW_ENOMEM. */
int dqw_buf_reserve(dqw_buf *b, size_t extra);

/* ----------------------------------------------------------------- encoders
 * Each appends one complete message to b and returns DQW_OK, DQW_ENOMEM or
 * DQW_ETOOBIG. On failure b->len is unchanged. `schema` is the header schema
 * byte; for EXEC/QUERY/EXEC_SQL/QUERY_SQL it also selects the parameter
 * tuple format (0: u8 count, max 255; 1: u32 count). n == 0 omits the tuple.
 * Text arguments are NUL-terminated UTF-8. Parameters of type UNIXTIME are
 * refused (DQW_ETOOBIG is not right for that: DQW_EMALFORMED). */
int dqw_encode_handshake(dqw_buf *b); /* the bare u64 protocol version */
int dqw_encode_leader(dqw_buf *b);
int dqw_encode_client(dqw_buf *b, uint64_t id);
int dqw_encode_heartbeat(dqw_buf *b, uint64_t timestamp);
int dqw_encode_open(dqw_buf *b, const char *name, uint64_t flags, const char *vfs);
int dqw_encode_prepare(dqw_buf *b, uint32_t db, const char *sql, int schema);
int dqw_encode_exec(dqw_buf *b, uint32_t db, uint32_t stmt,
		    const dqc_value *params, unsigned n, int schema);
int dqw_encode_query(dqw_buf *b, uint32_t db, uint32_t stmt,
		     const dqc_value *params, unsigned n, int schema);
int dqw_encode_finalize(dqw_buf *b, uint32_t db, uint32_t stmt);
int dqw_encode_exec_sql(dqw_buf *b, uint32_t db, const char *sql,
			const dqc_value *params, unsigned n, int schema);
int dqw_encode_query_sql(dqw_buf *b, uint32_t db, const char *sql,
			 const dqc_value *params, unsigned n, int schema);
int dqw_encode_interrupt(dqw_buf *b, uint32_t db);
int dqw_encode_add(dqw_buf *b, uint64_t id, const char *address);
int dqw_encode_assign(dqw_buf *b, uint64_t id, uint64_t role);
int dqw_encode_remove(dqw_buf *b, uint64_t id);
int dqw_encode_dump(dqw_buf *b, const char *name);
int dqw_encode_cluster(dqw_buf *b, uint64_t format);
int dqw_encode_transfer(dqw_buf *b, uint64_t id);
int dqw_encode_describe(dqw_buf *b, uint64_t format);
int dqw_encode_weight(dqw_buf *b, uint64_t weight);

/* ----------------------------------------------------------------- decoders */
typedef struct dqw_header {
	uint32_t words; /* body length in 8-byte words */
	uint8_t type;
	uint8_t schema;
	uint16_t extra;
} dqw_header;

/* Decodes the 8 header bytes at p. Returns DQW_OK; never fails on content
 * (the caller checks the type and the size against its own limits). */
int dqw_header_decode(const uint8_t *p, dqw_header *h);
/* Body size in bytes (words * 8). */
static inline size_t dqw_body_size(const dqw_header *h)
{
	return (size_t)h->words * 8u;
}

/* Strings in decoded structs point into the body and are NUL-terminated
 * there (the decoder checks the NUL is inside the body). */
typedef struct dqw_failure {
	uint64_t code;
	const char *message;
} dqw_failure;

typedef struct dqw_stmt_info {
	uint32_t db;
	uint32_t id;
	uint64_t n_params;
	uint64_t tail_offset; /* UINT64_MAX unless schema 1 */
} dqw_stmt_info;

typedef struct dqw_result {
	uint64_t last_insert_id;
	uint64_t rows_affected;
} dqw_result;

typedef struct dqw_server {
	uint64_t id;
	const char *address;
} dqw_server;

int dqw_decode_failure(const uint8_t *body, size_t len, dqw_failure *out);
int dqw_decode_server(const uint8_t *body, size_t len, dqw_server *out);
int dqw_decode_welcome(const uint8_t *body, size_t len, uint64_t *heartbeat_timeout);
int dqw_decode_db(const uint8_t *body, size_t len, uint32_t *db);
/* schema: the header's schema byte (1 adds the u64 tail offset). */
int dqw_decode_stmt(const uint8_t *body, size_t len, int schema, dqw_stmt_info *out);
int dqw_decode_result(const uint8_t *body, size_t len, dqw_result *out);
int dqw_decode_empty(const uint8_t *body, size_t len);
int dqw_decode_metadata(const uint8_t *body, size_t len, uint64_t *failure_domain,
			uint64_t *weight);

/* SERVERS: format 1 (id, address, role) entries. The iterator form avoids a
 * malloc: call dqw_servers_begin, then dqw_servers_next until it returns 0. */
typedef struct dqw_iter {
	const uint8_t *body;
	size_t len;
	size_t off;
	uint64_t remaining;
} dqw_iter;
int dqw_servers_begin(dqw_iter *it, const uint8_t *body, size_t len, uint64_t *count);
/* 1 with *out filled (address points into body), 0 at end, <0 malformed. */
int dqw_servers_next(dqw_iter *it, dqc_node_info *out);

/* FILES (DUMP): u64 count, then per file: text name, u64 size, bytes padded. */
int dqw_files_begin(dqw_iter *it, const uint8_t *body, size_t len, uint64_t *count);
/* 1 with name/data pointing into body, 0 at end, <0 malformed. */
int dqw_files_next(dqw_iter *it, const char **name, const uint8_t **data, uint64_t *size);

/* ROWS page decoder. One page = one ROWS body:
 *   u64 column count, count x text column name, then rows:
 *   row header (count nibbles, packed two per byte, low nibble first, padded
 *   to 8) followed by the values; the page ends with 8 bytes of 0xEE (more
 *   pages follow) or 0xFF (last page) where the next row header would be. */
typedef struct dqw_rows_page {
	const uint8_t *body;
	size_t len;
	size_t off;           /* next row header */
	uint64_t column_count;
	size_t names_off;     /* offset of the first column name */
	int end;              /* 0 while rows remain; DQW_ROWS_MORE/DQW_ROWS_DONE after */
} dqw_rows_page;

enum { DQW_ROWS_ROW = 1, DQW_ROWS_MORE = 2, DQW_ROWS_DONE = 3 };

/* Parses the column count and validates the names. DQW_OK or DQW_EMALFORMED.
 * Column counts above 32767 are refused as malformed. */
int dqw_rows_begin(dqw_rows_page *pg, const uint8_t *body, size_t len);
/* Column name i (0-based) for i < column_count; pointer into body. Walks the
 * names, so callers wanting all names should iterate once and copy. */
const char *dqw_rows_column_name(const dqw_rows_page *pg, uint64_t i);
/* Decodes the next row into cells[0..column_count-1]. Returns DQW_ROWS_ROW,
 * DQW_ROWS_MORE (end of this page, another follows), DQW_ROWS_DONE (end of the
 * result) or DQW_EMALFORMED. A page with no end marker is malformed. */
int dqw_rows_next(dqw_rows_page *pg, dqc_value *cells);
/* What dqw_rows_next would meet next, without decoding a row: DQW_ROWS_ROW,
 * DQW_ROWS_MORE / DQW_ROWS_DONE (the end marker, ending the body), or
 * DQW_EMALFORMED (fewer than 8 bytes, or a marker with bytes after it). */
int dqw_rows_peek(const dqw_rows_page *pg);

#endif /* DQ_WIRE_H */
