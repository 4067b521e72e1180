/*
 * client.c -- connections, leader discovery, statements and pipelining.
 *
 * Every request follows the same path: begin_request() (link up, no
 * pipelined replies outstanding, any streaming result buffered first), encode
 * into c->out, roundtrip() (one write, one reply). FAILURE replies become
 * errors with the server's code and message kept for the caller.
 */
#include "client_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_NOT_LEADER 10250u
#define CODE_LEADERSHIP_LOST 10506u
#define RESYNC_TIMEOUT_MS 2000u

const char *dqc_strerror(int rc)
{
	switch (rc) {
	case DQC_OK: return "DQC_OK";
	case DQC_ENOMEM: return "DQC_ENOMEM";
	case DQC_EINVAL: return "DQC_EINVAL";
	case DQC_EPROTO: return "DQC_EPROTO";
	case DQC_ECONNECT: return "DQC_ECONNECT";
	case DQC_EIO: return "DQC_EIO";
	case DQC_ETIMEDOUT: return "DQC_ETIMEDOUT";
	case DQC_ECANCELED: return "DQC_ECANCELED";
	case DQC_ESERVER: return "DQC_ESERVER";
	case DQC_ENOTLEADER: return "DQC_ENOTLEADER";
	case DQC_ELEADERLOST: return "DQC_ELEADERLOST";
	case DQC_ETLS: return "DQC_ETLS";
	case DQC_ELIMIT: return "DQC_ELIMIT";
	case DQC_ESTALE: return "DQC_ESTALE";
	case DQC_EUNSUPPORTED: return "DQC_EUNSUPPORTED";
	case DQC_EBUSY: return "DQC_EBUSY";
	case DQC_ECLOSED: return "DQC_ECLOSED";
	default: return "DQC_E?";
	}
}

int dq_set_error(dqc_conn *c, int rc, uint64_t code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof c->errmsg, fmt, ap);
	va_end(ap);
	c->err_rc = rc;
	c->err_code = code;
	return rc;
}

/* ------------------------------------------------------------ lifecycle */

dqc_conn *dqc_conn_new(void)
{
	dqc_conn *c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	if (dq_link_init(&c->link) != 0) {
		free(c);
		return NULL;
	}
	dqw_buf_init(&c->out);
	return c;
}

static void free_config(dqc_conn *c)
{
	for (size_t i = 0; i < c->n_addresses; i++)
		free(c->addresses[i]);
	free(c->addresses);
	c->addresses = NULL;
	c->n_addresses = 0;
	free((char *)(uintptr_t)c->tls.ca_file);
	free((char *)(uintptr_t)c->tls.cert_file);
	free((char *)(uintptr_t)c->tls.key_file);
	free((char *)(uintptr_t)c->tls.server_name);
	memset(&c->tls, 0, sizeof c->tls);
}

/* A result that can no longer stream: it keeps what it has buffered. */
static void detach_active(dqc_conn *c)
{
	if (c->active) {
		c->active->streaming = 0;
		c->active = NULL;
	}
}

void dqc_disconnect(dqc_conn *c)
{
	if (c == NULL)
		return;
	detach_active(c);
	dq_link_close(&c->link);
	c->connected = 0;
	c->db_open = 0;
	c->pending = 0;
	dqw_buf_reset(&c->out);
}

void dqc_conn_free(dqc_conn *c)
{
	if (c == NULL)
		return;
	dqc_disconnect(c);
	dq_link_fini(&c->link);
	dqw_buf_free(&c->out);
	free_config(c);
	free(c->db_name);
	free(c);
}

int dqc_is_alive(const dqc_conn *c)
{
	return c && c->connected && c->link.up && !c->link.fatal &&
	       !c->link.eof && c->err_rc != DQC_ENOTLEADER &&
	       c->err_rc != DQC_ELEADERLOST;
}

void dqc_set_timeout(dqc_conn *c, unsigned timeout_ms)
{
	c->timeout_ms = timeout_ms;
}

void dqc_set_limits(dqc_conn *c, uint64_t max_rows, uint64_t max_pages)
{
	c->max_rows = max_rows;
	c->max_pages = max_pages;
}

const char *dqc_peer_address(const dqc_conn *c)
{
	return c->connected ? c->link.peer : "";
}

uint64_t dqc_generation(const dqc_conn *c)
{
	return c->generation;
}

void dqc_cancel(dqc_conn *c)
{
	if (c)
		dq_link_cancel(&c->link);
}

const char *dqc_errmsg(const dqc_conn *c)
{
	return c->errmsg;
}

uint64_t dqc_server_code(const dqc_conn *c)
{
	return c->err_code;
}

unsigned dqc_features(const dqc_conn *c)
{
	return c->features;
}

/* ------------------------------------------------------- request plumbing */

int dq_link_failed(dqc_conn *c, int rc)
{
	switch (rc) {
	case DQC_ECANCELED:
		return dq_set_error(c, rc, 0, "operation canceled");
	case DQC_ETIMEDOUT:
		return dq_set_error(c, rc, 0,
				    "no reply from %s within %u ms (Timeout)",
				    c->link.peer, c->timeout_ms);
	case DQC_ENOMEM:
		return dq_set_error(c, rc, 0, "out of memory");
	case DQC_EPROTO:
		dq_link_close(&c->link);
		return dq_set_error(c, rc, 0, "%s", c->link.err[0] ? c->link.err
				    : "protocol error: malformed reply");
	default:
		dq_set_error(c, rc == DQC_ECLOSED ? DQC_ECLOSED : DQC_EIO, 0,
			     "%s", c->link.err[0] ? c->link.err
						  : "connection lost");
		detach_active(c);
		dq_link_close(&c->link);
		return c->err_rc;
	}
}

static int map_failure(dqc_conn *c, const uint8_t *body, size_t len)
{
	dqw_failure f;
	int rc;

	if (dqw_decode_failure(body, len, &f) != DQW_OK) {
		c->link.fatal = 1;
		return dq_link_failed(c, DQC_EPROTO);
	}
	rc = f.code == CODE_NOT_LEADER	    ? DQC_ENOTLEADER
	     : f.code == CODE_LEADERSHIP_LOST ? DQC_ELEADERLOST
					      : DQC_ESERVER;
	return dq_set_error(c, rc, f.code, "%s", f.message);
}

int dq_interrupt_and_drain(dqc_conn *c)
{
	dqw_buf b;
	dqw_header h;
	const uint8_t *body;
	unsigned wait = c->timeout_ms > RESYNC_TIMEOUT_MS ? c->timeout_ms
							  : RESYNC_TIMEOUT_MS;
	int rc;

	dq_link_clear_cancel(&c->link);
	dqw_buf_init(&b);
	if (dqw_encode_interrupt(&b, c->db_id) != DQW_OK) {
		dqw_buf_free(&b);
		return DQC_ENOMEM;
	}
	rc = dq_link_write(&c->link, b.data, b.len, wait);
	dqw_buf_free(&b);
	/* Replies to the interrupted request (ROWS pages, a FAILURE or a
	 * RESULT) come first; the INTERRUPT's own EMPTY closes the sequence. */
	for (long i = 0; rc == 0 && i < 10000000L; i++) {
		rc = dq_link_read_frame(&c->link, &h, &body, wait);
		if (rc == 0 && h.type == DQW_RESP_EMPTY)
			return 0;
	}
	detach_active(c);
	dq_link_close(&c->link);
	return rc ? rc : DQC_EPROTO;
}

int dq_read_reply(dqc_conn *c, dqw_header *h, const uint8_t **body)
{
	int rc = dq_link_read_frame(&c->link, h, body, c->timeout_ms);

	if (rc == DQC_ECANCELED || rc == DQC_ETIMEDOUT) {
		/* The request is still in flight: interrupt it and wait for
		 * the server to catch up, so the link stays usable. */
		detach_active(c);
		if (dq_interrupt_and_drain(c) != 0) {
			dq_link_failed(c, rc);
			return c->err_rc == DQC_ECLOSED ? rc : rc;
		}
		return dq_link_failed(c, rc);
	}
	if (rc != 0)
		return dq_link_failed(c, rc);
	if (h->type == DQW_RESP_FAILURE)
		return map_failure(c, *body, dqw_body_size(h));
	return 0;
}

static int begin_request(dqc_conn *c)
{
	c->err_rc = 0;
	c->err_code = 0;
	c->errmsg[0] = '\0';
	if (!c->connected || !c->link.up)
		return dq_set_error(c, DQC_ECLOSED, 0,
				    "not connected to a dqlite node");
	if (c->pending)
		return dq_set_error(c, DQC_EBUSY, 0,
				    "%u pipelined replies have not been read",
				    c->pending);
	dq_link_clear_cancel(&c->link);
	if (c->active) {
		int rc = dqc_rows_buffer(c->active);
		if (rc != 0)
			return rc;
	}
	dqw_buf_reset(&c->out);
	return 0;
}

static int encode_failed(dqc_conn *c, int wrc)
{
	dqw_buf_reset(&c->out);
	if (wrc == DQW_ENOMEM)
		return dq_set_error(c, DQC_ENOMEM, 0, "out of memory");
	if (wrc == DQW_ETOOBIG)
		return dq_set_error(c, DQC_EINVAL, 0,
				    "request too large (more than 255 "
				    "parameters need a newer server)");
	return dq_set_error(c, DQC_EINVAL, 0,
			    "a parameter has a type that cannot be sent");
}

static int flush_out(dqc_conn *c)
{
	int rc;
	if (c->out.len == 0)
		return 0;
	rc = dq_link_write(&c->link, c->out.data, c->out.len, c->timeout_ms);
	dqw_buf_reset(&c->out);
	return rc ? dq_link_failed(c, rc) : 0;
}

/* Writes c->out and reads one reply of the expected type. */
static int roundtrip(dqc_conn *c, uint8_t expect, dqw_header *h,
		     const uint8_t **body)
{
	int rc = flush_out(c);
	if (rc == 0)
		rc = dq_read_reply(c, h, body);
	if (rc != 0)
		return rc;
	if (h->type != expect) {
		c->link.fatal = 1;
		snprintf(c->link.err, sizeof c->link.err,
			 "protocol error: %s sent message type %u, expected %u",
			 c->link.peer, h->type, expect);
		return dq_link_failed(c, DQC_EPROTO);
	}
	return 0;
}

static int decoded(dqc_conn *c, int wrc)
{
	if (wrc == DQW_OK)
		return 0;
	snprintf(c->link.err, sizeof c->link.err,
		 "protocol error: malformed reply from %s", c->link.peer);
	return dq_link_failed(c, DQC_EPROTO);
}

/* ------------------------------------------------------------- connecting */

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int copy_config(dqc_conn *c, const struct dqc_config *cfg)
{
	free_config(c);
	c->addresses = calloc(cfg->n_addresses, sizeof *c->addresses);
	if (c->addresses == NULL)
		return DQC_ENOMEM;
	for (size_t i = 0; i < cfg->n_addresses; i++) {
		c->addresses[i] = strdup(cfg->addresses[i]);
		if (c->addresses[i] == NULL)
			return DQC_ENOMEM;
		c->n_addresses = i + 1;
	}
	c->connect_timeout_ms = cfg->connect_timeout_ms ? cfg->connect_timeout_ms : 5000;
	c->timeout_ms = cfg->timeout_ms;
	c->max_rows = cfg->max_rows;
	c->max_pages = cfg->max_pages;
	c->tls = cfg->tls;
	c->tls.ca_file = dup_or_null(cfg->tls.ca_file);
	c->tls.cert_file = dup_or_null(cfg->tls.cert_file);
	c->tls.key_file = dup_or_null(cfg->tls.key_file);
	c->tls.server_name = dup_or_null(cfg->tls.server_name);
	return 0;
}

/* Connects the link to one address and asks it for the leader. */
static int ask_leader(dqc_conn *c, const char *address, char *leader,
		      size_t cap, char *why, size_t whycap)
{
	dqw_header h;
	const uint8_t *body;
	dqw_server s;
	int rc;
	unsigned saved = c->timeout_ms;

	rc = dq_link_connect(&c->link, address, c->connect_timeout_ms, &c->tls);
	if (rc != 0) {
		snprintf(why, whycap, "%s", c->link.err);
		return rc;
	}
	c->connected = 1;
	dqw_buf_reset(&c->out);
	if (dqw_encode_leader(&c->out) != DQW_OK)
		return DQC_ENOMEM;
	c->timeout_ms = c->connect_timeout_ms;
	rc = roundtrip(c, DQW_RESP_SERVER, &h, &body);
	c->timeout_ms = saved;
	if (rc == 0)
		rc = decoded(c, dqw_decode_server(body, dqw_body_size(&h), &s));
	if (rc != 0) {
		snprintf(why, whycap, "%s", c->errmsg);
		dq_link_close(&c->link);
		c->connected = 0;
		return rc;
	}
	snprintf(leader, cap, "%s", s.address);
	return 0;
}

static void append(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;
	if (n + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, cap - n, fmt, ap);
	va_end(ap);
}

static int connect_walk(dqc_conn *c)
{
	char tried[900] = "";
	char leader[256], confirm[256], why[512];
	int last = DQC_ECONNECT;

	for (size_t i = 0; i < c->n_addresses; i++) {
		const char *a = c->addresses[i];
		int rc = ask_leader(c, a, leader, sizeof leader, why, sizeof why);
		if (rc == DQC_ECANCELED)
			return dq_set_error(c, rc, 0, "connect canceled");
		if (rc != 0) {
			last = rc == DQC_ETLS ? DQC_ETLS : last;
			append(tried, sizeof tried, "%s%s: %s", *tried ? "; " : "", a, why);
			continue;
		}
		if (leader[0] == '\0') {
			dqc_disconnect(c);
			append(tried, sizeof tried, "%s%s: no leader known (no quorum?)",
			       *tried ? "; " : "", a);
			continue;
		}
		if (strcmp(leader, a) == 0)
			return 0;
		dqc_disconnect(c);
		rc = ask_leader(c, leader, confirm, sizeof confirm, why, sizeof why);
		if (rc == 0 && strcmp(confirm, leader) == 0)
			return 0;
		if (rc == 0) {
			dqc_disconnect(c);
			snprintf(why, sizeof why, "no longer leader (it names %s)",
				 confirm[0] ? confirm : "none");
		}
		append(tried, sizeof tried, "%s%s: leader %s: %s", *tried ? "; " : "",
		       a, leader, why);
	}
	return dq_set_error(c, last, 0, "cannot connect to a dqlite leader (%s)",
			    tried);
}

int dqc_connect(dqc_conn *c, const struct dqc_config *cfg)
{
	int rc;

	if (cfg == NULL || cfg->n_addresses == 0 || cfg->addresses == NULL)
		return dq_set_error(c, DQC_EINVAL, 0, "no server address given");
	dqc_disconnect(c);
	rc = copy_config(c, cfg);
	if (rc != 0)
		return dq_set_error(c, rc, 0, "out of memory");
	dq_link_clear_cancel(&c->link);
	c->err_rc = 0;
	rc = connect_walk(c);
	if (rc != 0)
		return rc;
	c->generation++;
	c->err_rc = 0;
	c->errmsg[0] = '\0';
	return 0;
}

static int open_db(dqc_conn *c, const char *name);

int dqc_reconnect(dqc_conn *c)
{
	int rc;
	dqc_disconnect(c);
	if (c->n_addresses == 0)
		return dq_set_error(c, DQC_EINVAL, 0, "never connected");
	dq_link_clear_cancel(&c->link);
	c->err_rc = 0;
	rc = connect_walk(c);
	if (rc != 0)
		return rc;
	c->generation++;
	if (c->db_name)
		return open_db(c, c->db_name);
	return 0;
}

/* -------------------------------------------------------------- database */

/* PREPARE with schema 1 is answered with a 24-byte schema-1 STMT only by
 * servers >= 1.15; older ones ignore the schema byte. Safe on every version
 * (../shared/protocol-notes.md). The probe statement is finalized once. */
static int probe_features(dqc_conn *c)
{
	dqw_header h;
	const uint8_t *body;
	dqw_stmt_info si;
	int rc;

	c->features = 0;
	if (dqw_encode_prepare(&c->out, c->db_id, "SELECT 1", 1) != DQW_OK)
		return encode_failed(c, DQW_ENOMEM);
	rc = roundtrip(c, DQW_RESP_STMT, &h, &body);
	if (rc != 0)
		return rc;
	rc = decoded(c, dqw_decode_stmt(body, dqw_body_size(&h), h.schema, &si));
	if (rc != 0)
		return rc;
	if (h.schema == 1 && dqw_body_size(&h) == 24)
		c->features = DQC_FEATURE_PARAMS_SCHEMA1 | DQC_FEATURE_PREPARE_TAIL;
	if (dqw_encode_finalize(&c->out, c->db_id, si.id) != DQW_OK)
		return encode_failed(c, DQW_ENOMEM);
	return roundtrip(c, DQW_RESP_EMPTY, &h, &body);
}

static int open_db(dqc_conn *c, const char *name)
{
	dqw_header h;
	const uint8_t *body;
	int rc = begin_request(c);

	if (rc != 0)
		return rc;
	if (dqw_encode_open(&c->out, name, 0, "volatile") != DQW_OK)
		return encode_failed(c, DQW_ENOMEM);
	rc = roundtrip(c, DQW_RESP_DB, &h, &body);
	if (rc == 0)
		rc = decoded(c, dqw_decode_db(body, dqw_body_size(&h), &c->db_id));
	if (rc != 0)
		return rc;
	c->db_open = 1;
	return probe_features(c);
}

int dqc_open(dqc_conn *c, const char *name)
{
	char *copy;
	int rc;

	if (name == NULL || *name == '\0')
		return dq_set_error(c, DQC_EINVAL, 0, "empty database name");
	if (c->db_open)
		return dq_set_error(c, DQC_EINVAL, 0,
				    "a database is already open on this connection");
	copy = strdup(name);
	if (copy == NULL)
		return dq_set_error(c, DQC_ENOMEM, 0, "out of memory");
	rc = open_db(c, name);
	if (rc != 0) {
		free(copy);
		return rc;
	}
	free(c->db_name);
	c->db_name = copy;
	return 0;
}

static int need_db(dqc_conn *c)
{
	if (!c->db_open)
		return dq_set_error(c, DQC_EINVAL, 0, "no database is open");
	return 0;
}

/* ------------------------------------------------------------ statements */

/* Parameter tuple schema for n parameters, or an error. */
static int params_schema(dqc_conn *c, unsigned n, int *schema)
{
	*schema = 0;
	if (n <= 255)
		return 0;
	if (!(c->features & DQC_FEATURE_PARAMS_SCHEMA1))
		return dq_set_error(c, DQC_EUNSUPPORTED, 0,
				    "%u parameters: this dqlite server accepts at "
				    "most 255 (more need dqlite >= 1.12)", n);
	*schema = 1;
	return 0;
}

static int check_stmt(dqc_conn *c, const dqc_stmt *st)
{
	if (st == NULL || !st->live || st->generation != c->generation)
		return dq_set_error(c, DQC_ESTALE, 0,
				    "statement is not prepared on the current "
				    "connection (finalized, or the connection was "
				    "re-established)");
	return 0;
}

int dqc_prepare(dqc_conn *c, const char *sql, dqc_stmt *st)
{
	dqw_header h;
	const uint8_t *body;
	dqw_stmt_info si;
	int schema = (c->features & DQC_FEATURE_PREPARE_TAIL) ? 1 : 0;
	int rc = begin_request(c);

	st->live = 0;
	if (rc == 0)
		rc = need_db(c);
	if (rc != 0)
		return rc;
	rc = dqw_encode_prepare(&c->out, c->db_id, sql, schema);
	if (rc != DQW_OK)
		return encode_failed(c, rc);
	rc = roundtrip(c, DQW_RESP_STMT, &h, &body);
	if (rc == 0)
		rc = decoded(c, dqw_decode_stmt(body, dqw_body_size(&h), h.schema, &si));
	if (rc != 0)
		return rc;
	st->id = si.id;
	st->n_params = si.n_params;
	st->tail_offset = si.tail_offset;
	st->generation = c->generation;
	st->live = 1;
	return 0;
}

int dqc_finalize(dqc_conn *c, dqc_stmt *st)
{
	dqw_header h;
	const uint8_t *body;
	int rc;

	if (st == NULL || !st->live || st->generation != c->generation ||
	    !c->connected || !c->link.up) {
		if (st)
			st->live = 0;
		return 0;
	}
	/* Never again, whatever happens next: a second FINALIZE of the same
	 * id crashes real servers. */
	st->live = 0;
	rc = begin_request(c);
	if (rc != 0)
		return rc;
	if (dqw_encode_finalize(&c->out, c->db_id, st->id) != DQW_OK)
		return encode_failed(c, DQW_ENOMEM);
	return roundtrip(c, DQW_RESP_EMPTY, &h, &body);
}

static int result_reply(dqc_conn *c, dqc_result *res)
{
	dqw_header h;
	const uint8_t *body;
	dqw_result r;
	int rc = roundtrip(c, DQW_RESP_RESULT, &h, &body);

	if (rc == 0)
		rc = decoded(c, dqw_decode_result(body, dqw_body_size(&h), &r));
	if (rc == 0 && res) {
		res->last_insert_id = r.last_insert_id;
		res->rows_affected = r.rows_affected;
	}
	return rc;
}

static int check_exec(dqc_conn *c, dqc_stmt *st, unsigned n, int *schema)
{
	int rc = check_stmt(c, st);
	if (rc != 0)
		return rc;
	/* The server keeps stale bindings from a previous execution: always
	 * send exactly as many values as it counted. */
	if (n != st->n_params)
		return dq_set_error(c, DQC_EINVAL, 0,
				    "statement has %llu parameters, %u given",
				    (unsigned long long)st->n_params, n);
	return params_schema(c, n, schema);
}

int dqc_exec(dqc_conn *c, dqc_stmt *st, const dqc_value *params, unsigned n,
	     dqc_result *res)
{
	int schema, rc = begin_request(c);

	if (rc == 0)
		rc = check_exec(c, st, n, &schema);
	if (rc != 0)
		return rc;
	rc = dqw_encode_exec(&c->out, c->db_id, st->id, params, n, schema);
	if (rc != DQW_OK)
		return encode_failed(c, rc);
	return result_reply(c, res);
}

int dqc_exec_sql(dqc_conn *c, const char *sql, const dqc_value *params,
		 unsigned n, dqc_result *res)
{
	int schema, rc = begin_request(c);

	if (rc == 0)
		rc = need_db(c);
	if (rc == 0)
		rc = params_schema(c, n, &schema);
	if (rc != 0)
		return rc;
	rc = dqw_encode_exec_sql(&c->out, c->db_id, sql, params, n, schema);
	if (rc != DQW_OK)
		return encode_failed(c, rc);
	return result_reply(c, res);
}

static int rows_reply(dqc_conn *c, dqc_rows **rows)
{
	dqw_header h;
	const uint8_t *body;
	int rc = roundtrip(c, DQW_RESP_ROWS, &h, &body);
	if (rc != 0)
		return rc;
	return dq_rows_start(c, body, dqw_body_size(&h), rows);
}

int dqc_query(dqc_conn *c, dqc_stmt *st, const dqc_value *params, unsigned n,
	      dqc_rows **rows)
{
	int schema, rc = begin_request(c);

	*rows = NULL;
	if (rc == 0)
		rc = check_exec(c, st, n, &schema);
	if (rc != 0)
		return rc;
	rc = dqw_encode_query(&c->out, c->db_id, st->id, params, n, schema);
	if (rc != DQW_OK)
		return encode_failed(c, rc);
	return rows_reply(c, rows);
}

int dqc_query_sql(dqc_conn *c, const char *sql, const dqc_value *params,
		  unsigned n, dqc_rows **rows)
{
	int schema, rc = begin_request(c);

	*rows = NULL;
	if (rc == 0)
		rc = need_db(c);
	if (rc == 0)
		rc = params_schema(c, n, &schema);
	if (rc != 0)
		return rc;
	rc = dqw_encode_query_sql(&c->out, c->db_id, sql, params, n, schema);
	if (rc != DQW_OK)
		return encode_failed(c, rc);
	return rows_reply(c, rows);
}

/* ------------------------------------------------------------ pipelining */

static int pipeline_begin(dqc_conn *c)
{
	int rc;
	if (c->pending)
		return 0; /* already pipelining: keep appending */
	rc = begin_request(c);
	if (rc == 0)
		rc = need_db(c);
	return rc;
}

int dqc_pipeline_exec(dqc_conn *c, dqc_stmt *st, const dqc_value *params,
		      unsigned n)
{
	int schema, rc = pipeline_begin(c);

	if (rc == 0)
		rc = check_exec(c, st, n, &schema);
	if (rc != 0)
		return rc;
	rc = dqw_encode_exec(&c->out, c->db_id, st->id, params, n, schema);
	if (rc != DQW_OK)
		return dq_set_error(c, rc == DQW_ENOMEM ? DQC_ENOMEM : DQC_EINVAL,
				    0, "cannot encode the request");
	c->pending++;
	return 0;
}

int dqc_pipeline_exec_sql(dqc_conn *c, const char *sql,
			  const dqc_value *params, unsigned n)
{
	int schema, rc = pipeline_begin(c);

	if (rc == 0)
		rc = params_schema(c, n, &schema);
	if (rc != 0)
		return rc;
	rc = dqw_encode_exec_sql(&c->out, c->db_id, sql, params, n, schema);
	if (rc != DQW_OK)
		return dq_set_error(c, rc == DQW_ENOMEM ? DQC_ENOMEM : DQC_EINVAL,
				    0, "cannot encode the request");
	c->pending++;
	return 0;
}

int dqc_pipeline_flush(dqc_conn *c)
{
	int rc = flush_out(c);
	if (rc != 0)
		c->pending = 0;
	return rc;
}

unsigned dqc_pipeline_pending(const dqc_conn *c)
{
	return c->pending;
}

int dqc_pipeline_recv(dqc_conn *c, dqc_result *res)
{
	dqw_header h;
	const uint8_t *body;
	dqw_result r;
	int rc;

	if (c->pending == 0)
		return dq_set_error(c, DQC_EINVAL, 0, "no pipelined request pending");
	rc = flush_out(c);
	if (rc == 0) {
		rc = dq_link_read_frame(&c->link, &h, &body, c->timeout_ms);
		if (rc != 0)
			rc = dq_link_failed(c, rc);
	}
	if (rc != 0) {
		c->pending = 0; /* a link error fails every pending request */
		return rc;
	}
	c->pending--;
	if (h.type == DQW_RESP_FAILURE)
		return map_failure(c, body, dqw_body_size(&h));
	if (h.type != DQW_RESP_RESULT ||
	    dqw_decode_result(body, dqw_body_size(&h), &r) != DQW_OK) {
		c->pending = 0;
		snprintf(c->link.err, sizeof c->link.err,
			 "protocol error: unexpected reply type %u to EXEC", h.type);
		return dq_link_failed(c, DQC_EPROTO);
	}
	if (res) {
		res->last_insert_id = r.last_insert_id;
		res->rows_affected = r.rows_affected;
	}
	c->err_rc = 0;
	return 0;
}

/* --------------------------------------------- used by admin.c (cluster) */

int dq_admin_roundtrip(dqc_conn *c, int (*encode)(dqc_conn *, void *),
		       void *arg, uint8_t expect, dqw_header *h,
		       const uint8_t **body)
{
	int rc = begin_request(c);
	if (rc != 0)
		return rc;
	rc = encode(c, arg);
	if (rc != DQW_OK)
		return encode_failed(c, rc);
	rc = roundtrip(c, expect, h, body);
	if (rc == 0 && h->type == DQW_RESP_FAILURE)
		return DQC_ESERVER;
	return rc;
}

int dq_admin_decoded(dqc_conn *c, int wrc)
{
	return decoded(c, wrc);
}
