/*
 * wire.c -- encoders and decoders of the dqlite wire protocol (see wire.h).
 *
 * Encoders build a message in place: reserve the 8-byte header, append the
 * body, then patch the header with the body's word count. On any failure the
 * buffer's length is rolled back so callers never send half a message.
 *
 * Decoders walk a body with a bounds-checked reader; every read checks the
 * remaining length first, so malformed input ends in DQW_EMALFORMED, never in
 * an over-read.
 */
#include "wire.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ buffers */

void dqw_buf_init(dqw_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void dqw_buf_free(dqw_buf *b)
{
	free(b->data);
	dqw_buf_init(b);
}

void dqw_buf_reset(dqw_buf *b)
{
	b->len = 0;
}

int dqw_buf_reserve(dqw_buf *b, size_t extra)
{
	size_t need, cap;
	uint8_t *p;

	if (extra > SIZE_MAX - b->len)
		return DQW_ENOMEM;
	need = b->len + extra;
	if (need <= b->cap)
		return DQW_OK;
	cap = b->cap ? b->cap : 256;
	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			return DQW_ENOMEM;
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (p == NULL)
		return DQW_ENOMEM;
	b->data = p;
	b->cap = cap;
	return DQW_OK;
}

/* ------------------------------------------------------------ body writers */

static size_t pad8(size_t n)
{
	return (n + 7u) & ~(size_t)7u;
}

static void put_u64_at(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u32_at(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int put_u64(dqw_buf *b, uint64_t v)
{
	if (dqw_buf_reserve(b, 8) != DQW_OK)
		return DQW_ENOMEM;
	put_u64_at(b->data + b->len, v);
	b->len += 8;
	return DQW_OK;
}

static int put_u32x2(dqw_buf *b, uint32_t a, uint32_t c)
{
	if (dqw_buf_reserve(b, 8) != DQW_OK)
		return DQW_ENOMEM;
	put_u32_at(b->data + b->len, a);
	put_u32_at(b->data + b->len + 4, c);
	b->len += 8;
	return DQW_OK;
}

/* Writes n bytes then zero padding to a multiple of 8. */
static int put_padded(dqw_buf *b, const void *p, size_t n)
{
	size_t total = pad8(n);
	if (total < n || dqw_buf_reserve(b, total) != DQW_OK)
		return DQW_ENOMEM;
	if (n)
		memcpy(b->data + b->len, p, n);
	memset(b->data + b->len + n, 0, total - n);
	b->len += total;
	return DQW_OK;
}

/* Text: bytes, NUL, zero padding. An embedded NUL would end the string on
 * the server, so text is written up to its first NUL only. */
static int put_text_n(dqw_buf *b, const char *s, size_t n)
{
	size_t total = pad8(n + 1);
	if (dqw_buf_reserve(b, total) != DQW_OK)
		return DQW_ENOMEM;
	memcpy(b->data + b->len, s, n);
	memset(b->data + b->len + n, 0, total - n);
	b->len += total;
	return DQW_OK;
}

static int put_text(dqw_buf *b, const char *s)
{
	return put_text_n(b, s ? s : "", s ? strlen(s) : 0);
}

static int put_value(dqw_buf *b, const dqc_value *v)
{
	switch (v->type) {
	case DQC_INTEGER:
		return put_u64(b, (uint64_t)v->v.integer);
	case DQC_FLOAT: {
		uint64_t bits;
		memcpy(&bits, &v->v.real, 8);
		return put_u64(b, bits);
	}
	case DQC_BOOLEAN:
		return put_u64(b, v->v.boolean ? 1 : 0);
	case DQC_NULL:
		return put_u64(b, 0);
	case DQC_TEXT:
	case DQC_ISO8601: {
		const char *p = v->v.text.ptr ? v->v.text.ptr : "";
		size_t n = v->v.text.ptr ? strnlen(p, v->v.text.len) : 0;
		return put_text_n(b, p, n);
	}
	case DQC_BLOB:
		if (put_u64(b, v->v.blob.len) != DQW_OK)
			return DQW_ENOMEM;
		return put_padded(b, v->v.blob.ptr, v->v.blob.len);
	default:
		return DQW_EMALFORMED; /* UNIXTIME and unknown: not a parameter */
	}
}

/* Parameter tuple: count (u8 for schema 0, u32 for schema 1), one type byte
 * per parameter, zero padding to a word, then the values. */
static int put_params(dqw_buf *b, const dqc_value *params, unsigned n,
		      int schema)
{
	size_t head = (schema == 1 ? 4u : 1u) + n;
	size_t total = pad8(head);
	uint8_t *p;
	int rv;

	if (n == 0)
		return DQW_OK;
	if (params == NULL)
		return DQW_EMALFORMED;
	if (schema != 1 && n > 255)
		return DQW_ETOOBIG;
	for (unsigned i = 0; i < n; i++) {
		int t = params[i].type;
		if (t != DQC_INTEGER && t != DQC_FLOAT && t != DQC_TEXT &&
		    t != DQC_BLOB && t != DQC_NULL && t != DQC_ISO8601 &&
		    t != DQC_BOOLEAN)
			return DQW_EMALFORMED;
	}
	if (dqw_buf_reserve(b, total) != DQW_OK)
		return DQW_ENOMEM;
	p = b->data + b->len;
	memset(p, 0, total);
	if (schema == 1) {
		put_u32_at(p, n);
		p += 4;
	} else {
		*p++ = (uint8_t)n;
	}
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)params[i].type;
	b->len += total;
	for (unsigned i = 0; i < n; i++) {
		rv = put_value(b, &params[i]);
		if (rv != DQW_OK)
			return rv;
	}
	return DQW_OK;
}

/* ---------------------------------------------------------- message framing */

/* Starts a message: reserves the header. Returns the header's offset. */
static int begin(dqw_buf *b, size_t *start)
{
	if (dqw_buf_reserve(b, DQW_HEADER_SIZE) != DQW_OK)
		return DQW_ENOMEM;
	*start = b->len;
	memset(b->data + b->len, 0, DQW_HEADER_SIZE);
	b->len += DQW_HEADER_SIZE;
	return DQW_OK;
}

/* Finishes a message begun at start, or rolls it back if rv != OK. */
static int finish(dqw_buf *b, size_t start, int rv, uint8_t type, int schema)
{
	size_t body;

	if (rv != DQW_OK) {
		b->len = start;
		return rv;
	}
	body = b->len - start - DQW_HEADER_SIZE;
	if (body / 8u > UINT32_MAX) {
		b->len = start;
		return DQW_ETOOBIG;
	}
	put_u32_at(b->data + start, (uint32_t)(body / 8u));
	b->data[start + 4] = type;
	b->data[start + 5] = (uint8_t)schema;
	b->data[start + 6] = 0;
	b->data[start + 7] = 0;
	return DQW_OK;
}

#define BEGIN_MSG()                                   \
	size_t start_;                                \
	int rv_ = begin(b, &start_);                  \
	if (rv_ != DQW_OK)                            \
		return rv_

static int encode_u64_msg(dqw_buf *b, uint8_t type, uint64_t v)
{
	BEGIN_MSG();
	rv_ = put_u64(b, v);
	return finish(b, start_, rv_, type, 0);
}

int dqw_encode_handshake(dqw_buf *b)
{
	return put_u64(b, DQW_PROTOCOL_VERSION);
}

int dqw_encode_leader(dqw_buf *b)
{
	return encode_u64_msg(b, DQW_REQ_LEADER, 0);
}

int dqw_encode_client(dqw_buf *b, uint64_t id)
{
	return encode_u64_msg(b, DQW_REQ_CLIENT, id);
}

int dqw_encode_heartbeat(dqw_buf *b, uint64_t timestamp)
{
	return encode_u64_msg(b, DQW_REQ_HEARTBEAT, timestamp);
}

int dqw_encode_open(dqw_buf *b, const char *name, uint64_t flags,
		    const char *vfs)
{
	BEGIN_MSG();
	rv_ = put_text(b, name);
	if (rv_ == DQW_OK)
		rv_ = put_u64(b, flags);
	if (rv_ == DQW_OK)
		rv_ = put_text(b, vfs);
	return finish(b, start_, rv_, DQW_REQ_OPEN, 0);
}

int dqw_encode_prepare(dqw_buf *b, uint32_t db, const char *sql, int schema)
{
	BEGIN_MSG();
	rv_ = put_u64(b, db);
	if (rv_ == DQW_OK)
		rv_ = put_text(b, sql);
	return finish(b, start_, rv_, DQW_REQ_PREPARE, schema);
}

static int encode_stmt_params(dqw_buf *b, uint8_t type, uint32_t db,
			      uint32_t stmt, const dqc_value *params,
			      unsigned n, int schema)
{
	BEGIN_MSG();
	rv_ = put_u32x2(b, db, stmt);
	if (rv_ == DQW_OK)
		rv_ = put_params(b, params, n, schema);
	return finish(b, start_, rv_, type, schema);
}

int dqw_encode_exec(dqw_buf *b, uint32_t db, uint32_t stmt,
		    const dqc_value *params, unsigned n, int schema)
{
	return encode_stmt_params(b, DQW_REQ_EXEC, db, stmt, params, n, schema);
}

int dqw_encode_query(dqw_buf *b, uint32_t db, uint32_t stmt,
		     const dqc_value *params, unsigned n, int schema)
{
	return encode_stmt_params(b, DQW_REQ_QUERY, db, stmt, params, n, schema);
}

int dqw_encode_finalize(dqw_buf *b, uint32_t db, uint32_t stmt)
{
	BEGIN_MSG();
	rv_ = put_u32x2(b, db, stmt);
	return finish(b, start_, rv_, DQW_REQ_FINALIZE, 0);
}

static int encode_sql_params(dqw_buf *b, uint8_t type, uint32_t db,
			     const char *sql, const dqc_value *params,
			     unsigned n, int schema)
{
	BEGIN_MSG();
	rv_ = put_u64(b, db);
	if (rv_ == DQW_OK)
		rv_ = put_text(b, sql);
	if (rv_ == DQW_OK)
		rv_ = put_params(b, params, n, schema);
	return finish(b, start_, rv_, type, schema);
}

int dqw_encode_exec_sql(dqw_buf *b, uint32_t db, const char *sql,
			const dqc_value *params, unsigned n, int schema)
{
	return encode_sql_params(b, DQW_REQ_EXEC_SQL, db, sql, params, n, schema);
}

int dqw_encode_query_sql(dqw_buf *b, uint32_t db, const char *sql,
			 const dqc_value *params, unsigned n, int schema)
{
	return encode_sql_params(b, DQW_REQ_QUERY_SQL, db, sql, params, n,
				 schema);
}

int dqw_encode_interrupt(dqw_buf *b, uint32_t db)
{
	return encode_u64_msg(b, DQW_REQ_INTERRUPT, db);
}

int dqw_encode_add(dqw_buf *b, uint64_t id, const char *address)
{
	BEGIN_MSG();
	rv_ = put_u64(b, id);
	if (rv_ == DQW_OK)
		rv_ = put_text(b, address);
	return finish(b, start_, rv_, DQW_REQ_ADD, 0);
}

int dqw_encode_assign(dqw_buf *b, uint64_t id, uint64_t role)
{
	BEGIN_MSG();
	rv_ = put_u64(b, id);
	if (rv_ == DQW_OK)
		rv_ = put_u64(b, role);
	return finish(b, start_, rv_, DQW_REQ_ASSIGN, 0);
}

int dqw_encode_remove(dqw_buf *b, uint64_t id)
{
	return encode_u64_msg(b, DQW_REQ_REMOVE, id);
}

int dqw_encode_dump(dqw_buf *b, const char *name)
{
	BEGIN_MSG();
	rv_ = put_text(b, name);
	return finish(b, start_, rv_, DQW_REQ_DUMP, 0);
}

int dqw_encode_cluster(dqw_buf *b, uint64_t format)
{
	return encode_u64_msg(b, DQW_REQ_CLUSTER, format);
}

int dqw_encode_transfer(dqw_buf *b, uint64_t id)
{
	return encode_u64_msg(b, DQW_REQ_TRANSFER, id);
}

int dqw_encode_describe(dqw_buf *b, uint64_t format)
{
	return encode_u64_msg(b, DQW_REQ_DESCRIBE, format);
}

int dqw_encode_weight(dqw_buf *b, uint64_t weight)
{
	return encode_u64_msg(b, DQW_REQ_WEIGHT, weight);
}

/* ------------------------------------------------------------- the reader */

static uint64_t get_u64_at(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t get_u32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int dqw_header_decode(const uint8_t *p, dqw_header *h)
{
	h->words = get_u32_at(p);
	h->type = p[4];
	h->schema = p[5];
	h->extra = (uint16_t)(p[6] | p[7] << 8);
	return DQW_OK;
}

typedef struct reader {
	const uint8_t *p;
	size_t len;
	size_t off;
} reader;

static int rd_u64(reader *r, uint64_t *v)
{
	if (r->len - r->off < 8)
		return DQW_EMALFORMED;
	*v = get_u64_at(r->p + r->off);
	r->off += 8;
	return DQW_OK;
}

static int rd_u32x2(reader *r, uint32_t *a, uint32_t *b)
{
	if (r->len - r->off < 8)
		return DQW_EMALFORMED;
	*a = get_u32_at(r->p + r->off);
	*b = get_u32_at(r->p + r->off + 4);
	r->off += 8;
	return DQW_OK;
}

/* Text: NUL inside the body, then the padding (must exist, contents are not
 * checked beyond being inside the body). */
static int rd_text(reader *r, const char **s, size_t *n)
{
	const uint8_t *start = r->p + r->off;
	size_t avail = r->len - r->off;
	const uint8_t *nul = memchr(start, 0, avail);
	size_t used;

	if (nul == NULL)
		return DQW_EMALFORMED;
	used = pad8((size_t)(nul - start) + 1);
	if (used > avail)
		return DQW_EMALFORMED;
	*s = (const char *)start;
	if (n)
		*n = (size_t)(nul - start);
	r->off += used;
	return DQW_OK;
}

static int rd_blob(reader *r, const uint8_t **p, uint64_t *n)
{
	uint64_t len;
	size_t avail;

	if (rd_u64(r, &len) != DQW_OK)
		return DQW_EMALFORMED;
	avail = r->len - r->off;
	if (len > avail || pad8((size_t)len) > avail)
		return DQW_EMALFORMED;
	*p = r->p + r->off;
	*n = len;
	r->off += pad8((size_t)len);
	return DQW_OK;
}

static void rd_init(reader *r, const uint8_t *body, size_t len)
{
	r->p = body;
	r->len = body ? len : 0;
	r->off = 0;
}

/* ---------------------------------------------------------------- decoders */

int dqw_decode_failure(const uint8_t *body, size_t len, dqw_failure *out)
{
	reader r;
	rd_init(&r, body, len);
	if (rd_u64(&r, &out->code) != DQW_OK)
		return DQW_EMALFORMED;
	return rd_text(&r, &out->message, NULL);
}

int dqw_decode_server(const uint8_t *body, size_t len, dqw_server *out)
{
	reader r;
	rd_init(&r, body, len);
	if (rd_u64(&r, &out->id) != DQW_OK)
		return DQW_EMALFORMED;
	return rd_text(&r, &out->address, NULL);
}

int dqw_decode_welcome(const uint8_t *body, size_t len,
		       uint64_t *heartbeat_timeout)
{
	reader r;
	rd_init(&r, body, len);
	return rd_u64(&r, heartbeat_timeout);
}

int dqw_decode_db(const uint8_t *body, size_t len, uint32_t *db)
{
	reader r;
	uint32_t pad;
	rd_init(&r, body, len);
	return rd_u32x2(&r, db, &pad);
}

int dqw_decode_stmt(const uint8_t *body, size_t len, int schema,
		    dqw_stmt_info *out)
{
	reader r;
	rd_init(&r, body, len);
	if (rd_u32x2(&r, &out->db, &out->id) != DQW_OK ||
	    rd_u64(&r, &out->n_params) != DQW_OK)
		return DQW_EMALFORMED;
	out->tail_offset = UINT64_MAX;
	if (schema == 1 && rd_u64(&r, &out->tail_offset) != DQW_OK)
		return DQW_EMALFORMED;
	return DQW_OK;
}

int dqw_decode_result(const uint8_t *body, size_t len, dqw_result *out)
{
	reader r;
	rd_init(&r, body, len);
	if (rd_u64(&r, &out->last_insert_id) != DQW_OK)
		return DQW_EMALFORMED;
	return rd_u64(&r, &out->rows_affected);
}

int dqw_decode_empty(const uint8_t *body, size_t len)
{
	uint64_t zero;
	reader r;
	rd_init(&r, body, len);
	/* Some servers send an empty body, others one zero word. */
	if (len == 0)
		return DQW_OK;
	return rd_u64(&r, &zero);
}

int dqw_decode_metadata(const uint8_t *body, size_t len,
			uint64_t *failure_domain, uint64_t *weight)
{
	reader r;
	rd_init(&r, body, len);
	if (rd_u64(&r, failure_domain) != DQW_OK)
		return DQW_EMALFORMED;
	return rd_u64(&r, weight);
}

/* Counts larger than the body could possibly hold are malformed: each entry
 * takes at least `min_entry` bytes. */
static int iter_begin(dqw_iter *it, const uint8_t *body, size_t len,
		      uint64_t *count, size_t min_entry)
{
	reader r;
	uint64_t n;
	rd_init(&r, body, len);
	if (rd_u64(&r, &n) != DQW_OK)
		return DQW_EMALFORMED;
	if (n > (r.len - r.off) / min_entry)
		return DQW_EMALFORMED;
	it->body = r.p;
	it->len = r.len;
	it->off = r.off;
	it->remaining = n;
	if (count)
		*count = n;
	return DQW_OK;
}

int dqw_servers_begin(dqw_iter *it, const uint8_t *body, size_t len,
		      uint64_t *count)
{
	return iter_begin(it, body, len, count, 24);
}

int dqw_servers_next(dqw_iter *it, dqc_node_info *out)
{
	reader r = {it->body, it->len, it->off};
	const char *addr;
	size_t n;
	uint64_t role;

	if (it->remaining == 0)
		return 0;
	if (rd_u64(&r, &out->id) != DQW_OK || rd_text(&r, &addr, &n) != DQW_OK ||
	    rd_u64(&r, &role) != DQW_OK)
		return DQW_EMALFORMED;
	if (n >= sizeof out->address || role > 2)
		return DQW_EMALFORMED;
	memcpy(out->address, addr, n + 1);
	out->role = (int)role;
	it->off = r.off;
	it->remaining--;
	return 1;
}

int dqw_files_begin(dqw_iter *it, const uint8_t *body, size_t len,
		    uint64_t *count)
{
	return iter_begin(it, body, len, count, 16);
}

int dqw_files_next(dqw_iter *it, const char **name, const uint8_t **data,
		   uint64_t *size)
{
	reader r = {it->body, it->len, it->off};
	uint64_t n;
	size_t avail;

	if (it->remaining == 0)
		return 0;
	if (rd_text(&r, name, NULL) != DQW_OK || rd_u64(&r, &n) != DQW_OK)
		return DQW_EMALFORMED;
	avail = r.len - r.off;
	if (n > avail || pad8((size_t)n) > avail)
		return DQW_EMALFORMED;
	*data = r.p + r.off;
	*size = n;
	r.off += pad8((size_t)n);
	it->off = r.off;
	it->remaining--;
	return 1;
}

/* ------------------------------------------------------------------- rows */

#define DQW_MAX_COLUMNS 32767u
#define MARKER_MORE UINT64_C(0xEEEEEEEEEEEEEEEE)
#define MARKER_DONE UINT64_C(0xFFFFFFFFFFFFFFFF)

int dqw_rows_begin(dqw_rows_page *pg, const uint8_t *body, size_t len)
{
	reader r;
	uint64_t n;
	const char *name;

	rd_init(&r, body, len);
	if (rd_u64(&r, &n) != DQW_OK || n > DQW_MAX_COLUMNS)
		return DQW_EMALFORMED;
	pg->names_off = r.off;
	for (uint64_t i = 0; i < n; i++)
		if (rd_text(&r, &name, NULL) != DQW_OK)
			return DQW_EMALFORMED;
	pg->body = r.p;
	pg->len = r.len;
	pg->off = r.off;
	pg->column_count = n;
	pg->end = 0;
	return DQW_OK;
}

const char *dqw_rows_column_name(const dqw_rows_page *pg, uint64_t i)
{
	reader r = {pg->body, pg->len, pg->names_off};
	const char *name = NULL;

	if (i >= pg->column_count)
		return NULL;
	for (uint64_t k = 0; k <= i; k++)
		if (rd_text(&r, &name, NULL) != DQW_OK)
			return NULL; /* validated by dqw_rows_begin */
	return name;
}

static int rd_cell(reader *r, int type, dqc_value *v)
{
	uint64_t u;
	v->type = type;
	switch (type) {
	case DQC_INTEGER:
	case DQC_UNIXTIME:
		if (rd_u64(r, &u) != DQW_OK)
			return DQW_EMALFORMED;
		v->v.integer = (int64_t)u;
		return DQW_OK;
	case DQC_FLOAT:
		if (rd_u64(r, &u) != DQW_OK)
			return DQW_EMALFORMED;
		memcpy(&v->v.real, &u, 8);
		return DQW_OK;
	case DQC_BOOLEAN:
		if (rd_u64(r, &u) != DQW_OK)
			return DQW_EMALFORMED;
		v->v.boolean = u;
		return DQW_OK;
	case DQC_NULL:
		return rd_u64(r, &u);
	case DQC_TEXT:
	case DQC_ISO8601:
		return rd_text(r, &v->v.text.ptr, &v->v.text.len);
	case DQC_BLOB: {
		const uint8_t *p;
		if (rd_blob(r, &p, &u) != DQW_OK)
			return DQW_EMALFORMED;
		v->v.blob.ptr = p;
		v->v.blob.len = (size_t)u;
		return DQW_OK;
	}
	default:
		return DQW_EMALFORMED;
	}
}

int dqw_rows_peek(const dqw_rows_page *pg)
{
	uint64_t marker;

	if (pg->end)
		return pg->end;
	if (pg->len - pg->off < 8)
		return DQW_EMALFORMED; /* no end marker */
	marker = get_u64_at(pg->body + pg->off);
	if (marker != MARKER_MORE && marker != MARKER_DONE)
		return DQW_ROWS_ROW;
	/* the marker ends the body: nothing may follow it */
	if (pg->off + 8 != pg->len)
		return DQW_EMALFORMED;
	return marker == MARKER_MORE ? DQW_ROWS_MORE : DQW_ROWS_DONE;
}

int dqw_rows_next(dqw_rows_page *pg, dqc_value *cells)
{
	reader r = {pg->body, pg->len, pg->off};
	size_t header = pad8((size_t)(pg->column_count + 1) / 2);
	const uint8_t *types;
	int next = dqw_rows_peek(pg);

	if (next != DQW_ROWS_ROW) {
		if (next == DQW_ROWS_MORE || next == DQW_ROWS_DONE) {
			pg->off += 8;
			pg->end = next;
		}
		return next;
	}
	if (pg->column_count == 0 || r.len - r.off < header)
		return DQW_EMALFORMED;
	types = r.p + r.off;
	r.off += header;
	for (uint64_t i = 0; i < pg->column_count; i++) {
		int t = (types[i / 2] >> ((i % 2) * 4)) & 0x0f;
		if (rd_cell(&r, t, &cells[i]) != DQW_OK)
			return DQW_EMALFORMED;
	}
	pg->off = r.off;
	return DQW_ROWS_ROW;
}
