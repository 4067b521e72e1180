/*
 * conn.c -- connections: lifecycle, scopes and cancel, connecting to the
 * leader, opening the database (with the feature probe and the reply-buffer
 * warm-up), and the error accessors.
 */
#include "conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cluster.h"

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
	case DQC_ETOOWIDE: return "DQC_ETOOWIDE";
	default: return "DQC_E?";
	}
}

uint64_t dqc_now_ms(void)
{
	return dqe_now_ms();
}

/* ------------------------------------------------------------ lifecycle */

dqc_conn *dqc_conn_new(void)
{
	dqc_conn *c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	if (dqe_link_init(&c->link) != 0) {
		free(c);
		return NULL;
	}
	dqe_machine_init(&c->m);
	dqe_cancel_init(&c->cancel);
	c->m.wait.cancel = &c->cancel;
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

static void disconnect(dqc_conn *c, const char *why)
{
	dqe_machine_detach(&c->m, DQC_ECLOSED, why);
	dqe_link_close(&c->link);
	c->connected = 0;
	c->db_open = 0;
}

void dqc_disconnect(dqc_conn *c)
{
	if (c)
		disconnect(c, "the connection was closed");
}

void dqc_conn_free(dqc_conn *c)
{
	if (c == NULL)
		return;
	disconnect(c, "the connection was closed");
	dqe_machine_fini(&c->m);
	dqe_link_fini(&c->link);
	free_config(c);
	free(c->db_name);
	free(c);
}

int dqc_is_alive(const dqc_conn *c)
{
	return c && c->connected && c->m.up && dqe_link_usable(&c->link) &&
	       c->m.err.rc != DQC_ENOTLEADER && c->m.err.rc != DQC_ELEADERLOST;
}

int dqc_probe(dqc_conn *c)
{
	if (c && c->connected && c->m.up)
		dqe_link_probe(&c->link);
	return dqc_is_alive(c);
}

uint64_t dqc_requests_sent(const dqc_conn *c)
{
	return c ? c->m.requests : 0;
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

const char *dqc_errmsg(const dqc_conn *c)
{
	return c->m.err.msg;
}

uint64_t dqc_server_code(const dqc_conn *c)
{
	return c->m.err.code;
}

int dqc_request_sent(const dqc_conn *c)
{
	return c->m.err.sent;
}

unsigned dqc_features(const dqc_conn *c)
{
	return c->features;
}

const char *dqc_sqlite_version(const dqc_conn *c)
{
	return c->sqlite_version;
}

/* ------------------------------------------------------ scopes and cancel */

void dqc_scope_begin(dqc_conn *c, uint64_t deadline_ms)
{
	c->scope_explicit = 1;
	c->m.wait.deadline_ms = deadline_ms;
	dqe_cancel_open(&c->cancel);
}

void dqc_scope_end(dqc_conn *c)
{
	dqe_cancel_close(&c->cancel);
	c->scope_explicit = 0;
	c->scope_depth = 0;
	c->m.wait.deadline_ms = 0;
}

void dqe_conn_enter(dqc_conn *c, unsigned timeout_ms)
{
	if (c->scope_explicit || c->scope_depth++ > 0)
		return;
	c->m.wait.deadline_ms = timeout_ms ? dqe_now_ms() + timeout_ms : 0;
	dqe_cancel_open(&c->cancel);
}

void dqe_conn_leave(dqc_conn *c)
{
	if (c->scope_explicit || --c->scope_depth > 0)
		return;
	dqe_cancel_close(&c->cancel);
	c->m.wait.deadline_ms = 0;
}

uint64_t dqc_scope_deadline(const dqc_conn *c)
{
	return c->scope_explicit ? c->m.wait.deadline_ms : 0;
}

int dqc_pause(dqc_conn *c, unsigned ms, const char *what)
{
	dqe_wait w = c->m.wait;
	uint64_t until = dqe_now_ms() + ms;
	int rc;

	if (w.deadline_ms == 0 || until < w.deadline_ms)
		w.deadline_ms = until;
	rc = dqe_link_sleep(&c->link, &w);
	if (rc == DQC_ECANCELED)
		return dqe_conn_error(c, rc, "operation canceled");
	if (c->m.wait.deadline_ms && dqe_now_ms() >= c->m.wait.deadline_ms)
		return dqe_conn_error(c, DQC_ETIMEDOUT,
				      "the call's time ran out while waiting for %s",
				      what ? what : "a retry");
	return 0;
}

void dqc_cancel(dqc_conn *c)
{
	if (c && dqe_cancel_fire(&c->cancel))
		dqe_link_wake(&c->link);
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

static int connect_leader(dqc_conn *c)
{
	int rc;

	disconnect(c, "reconnecting");
	rc = dqe_cluster_connect(&c->link, &c->m, c->addresses, c->n_addresses,
				 &c->tls);
	if (rc != 0)
		return rc;
	c->connected = 1;
	c->generation++;
	c->m.err.rc = 0;
	c->m.err.msg[0] = '\0';
	return 0;
}

int dqc_connect(dqc_conn *c, const struct dqc_config *cfg)
{
	int rc;

	if (cfg == NULL || cfg->n_addresses == 0 || cfg->addresses == NULL)
		return dqe_conn_error(c, DQC_EINVAL, "no server address given");
	disconnect(c, "reconnecting");
	rc = copy_config(c, cfg);
	if (rc != 0)
		return dqe_conn_error(c, rc, "out of memory");
	dqe_conn_enter(c, c->connect_timeout_ms);
	rc = connect_leader(c);
	dqe_conn_leave(c);
	return rc;
}

static int open_db(dqc_conn *c, const char *name);

int dqc_reconnect(dqc_conn *c)
{
	int rc;

	if (c->n_addresses == 0)
		return dqe_conn_error(c, DQC_EINVAL, "never connected");
	dqe_conn_enter(c, c->connect_timeout_ms);
	rc = connect_leader(c);
	if (rc == 0 && c->db_name)
		rc = open_db(c, c->db_name);
	dqe_conn_leave(c);
	return rc;
}

int dqc_reconnect_by(dqc_conn *c, uint64_t by_ms)
{
	uint64_t saved = c->m.wait.deadline_ms, now = dqe_now_ms();
	unsigned saved_connect = c->connect_timeout_ms;
	int rc;

	if (by_ms && by_ms <= now)
		return dqe_conn_error(c, DQC_ETIMEDOUT, "no time left to reconnect");
	if (by_ms && c->scope_explicit && (saved == 0 || by_ms < saved))
		c->m.wait.deadline_ms = by_ms;
	if (by_ms && !c->scope_explicit &&
	    (saved_connect == 0 || by_ms - now < saved_connect))
		c->connect_timeout_ms = (unsigned)(by_ms - now);
	rc = dqc_reconnect(c);
	if (c->scope_explicit)
		c->m.wait.deadline_ms = saved;
	c->connect_timeout_ms = saved_connect;
	return rc;
}

/* -------------------------------------------------------------- database */

/* PREPARE with schema 1 is answered with a 24-byte schema-1 STMT only by
 * servers >= 1.15; older ones ignore the schema byte. Safe on every version.
 * The probe statement is finalized exactly once. */
static int probe_features(dqc_conn *c)
{
	dqw_header h;
	const uint8_t *body;
	dqw_stmt_info si;
	int rc = dqe_machine_begin(&c->m);

	c->features = 0;
	if (rc == 0 && dqw_encode_prepare(&c->m.out, c->m.db_id, "SELECT 1", 1) != DQW_OK)
		rc = dqe_conn_error(c, DQC_ENOMEM, "out of memory");
	if (rc == 0)
		rc = dqe_machine_roundtrip(&c->m, DQW_RESP_STMT, &h, &body);
	if (rc == 0 && dqw_decode_stmt(body, dqw_body_size(&h), h.schema, &si) != DQW_OK)
		rc = dqe_machine_malformed(&c->m, "STMT");
	if (rc != 0)
		return rc;
	if (h.schema == 1 && dqw_body_size(&h) == 24)
		c->features = DQC_FEATURE_PARAMS_SCHEMA1 | DQC_FEATURE_PREPARE_TAIL;
	rc = dqe_machine_begin(&c->m);
	if (rc == 0 && dqw_encode_finalize(&c->m.out, c->m.db_id, si.id) != DQW_OK)
		rc = dqe_conn_error(c, DQC_ENOMEM, "out of memory");
	if (rc == 0)
		rc = dqe_machine_roundtrip(&c->m, DQW_RESP_EMPTY, &h, &body);
	return rc;
}

/* Released servers write a row's type header into their per-connection
 * reply buffer before growing it; the buffer starts at one 4 KiB page and
 * never shrinks, so a wide row starting near the end of the first page
 * overflows it and the node aborts. One reply larger than a page right after
 * OPEN grows the buffer to two pages for the life of the connection, which
 * leaves room for the widest row header SQLite allows. The same query reads
 * the server's SQLite version. */
#define WARM_UP_SQL "SELECT sqlite_version(), zeroblob(5000)"

/* The next row of r inside the call's scope (dqc_open has entered it, so
 * the public dqc_rows_next, which enters its own, is not for here): 1, 0
 * at the end, or a negative DQC_E* code. */
static int next_row_in_scope(dqc_conn *c, dqc_rows *r, const dqc_value **cells)
{
	for (;;) {
		int k = dqe_rows_step(r, cells);
		if (k == DQE_ROWS_ROW)
			return 1;
		if (k == DQE_ROWS_END || k < 0)
			return k;
		k = dqe_machine_next_page(&c->m, r);
		if (k != 0)
			return k;
	}
}

static int warm_up(dqc_conn *c)
{
	dqc_rows *r;
	const dqc_value *cells;
	int rc = dqe_machine_begin(&c->m), k;

	if (rc == 0 && dqw_encode_query_sql(&c->m.out, c->m.db_id, WARM_UP_SQL,
					    NULL, 0, 0) != DQW_OK)
		rc = dqe_conn_error(c, DQC_ENOMEM, "out of memory");
	if (rc == 0)
		rc = dqe_machine_query(&c->m, 0, 0, &r);
	if (rc != 0)
		return rc;
	k = next_row_in_scope(c, r, &cells);
	if (k == 1 && cells[0].type == DQC_TEXT)
		snprintf(c->sqlite_version, sizeof c->sqlite_version, "%s",
			 cells[0].v.text.ptr);
	/* read to the end: the whole reply must have been written */
	while (k == 1)
		k = next_row_in_scope(c, r, &cells);
	if (k < 0) /* a failure of the machine's own is recorded already */
		rc = c->m.err.rc == k ? k : dqe_conn_error(c, k, "%s", r->errmsg);
	if (c->m.active == r)
		dqe_machine_abandon(&c->m, r);
	dqe_rows_free(r);
	return rc;
}

static int open_db(dqc_conn *c, const char *name)
{
	dqw_header h;
	const uint8_t *body;
	int rc = dqe_machine_begin(&c->m);

	if (rc == 0 && dqw_encode_open(&c->m.out, name, 0, "volatile") != DQW_OK)
		rc = dqe_conn_error(c, DQC_ENOMEM, "out of memory");
	if (rc == 0)
		rc = dqe_machine_roundtrip(&c->m, DQW_RESP_DB, &h, &body);
	if (rc == 0 && dqw_decode_db(body, dqw_body_size(&h), &c->m.db_id) != DQW_OK)
		rc = dqe_machine_malformed(&c->m, "DB");
	if (rc != 0)
		return rc;
	c->db_open = 1;
	rc = probe_features(c);
	if (rc == 0)
		rc = warm_up(c);
	return rc;
}

/* OPEN of a longer name makes the server close the connection without a
 * reply (measured on 1.11.1 and 1.18.6, docs/protocol.md). */
#define DQE_MAX_DB_NAME 504u

/* In-memory databases crash released servers at the next statement (the
 * WAL checkpoint check calls through a NULL file-methods pointer). */
static int in_memory_name(const char *name)
{
	return *name == '\0' || strcmp(name, ":memory:") == 0 ||
	       strncasecmp(name, "file:", 5) == 0;
}

int dqc_open(dqc_conn *c, const char *name)
{
	char *copy;
	int rc;

	if (name == NULL || in_memory_name(name))
		return dqe_conn_error(c, DQC_EINVAL,
				      "database name '%s' refused: dqlite servers "
				      "cannot use in-memory databases or URI names "
				      "(they crash on the first statement); use a "
				      "plain name", name ? name : "");
	if (strlen(name) > DQE_MAX_DB_NAME)
		return dqe_conn_error(c, DQC_EINVAL,
				      "database name of %zu bytes refused: dqlite "
				      "servers close the connection on names longer "
				      "than %u bytes", strlen(name), DQE_MAX_DB_NAME);
	if (c->db_open)
		return dqe_conn_error(c, DQC_EINVAL,
				      "a database is already open on this connection");
	copy = strdup(name);
	if (copy == NULL)
		return dqe_conn_error(c, DQC_ENOMEM, "out of memory");
	dqe_conn_enter(c, c->connect_timeout_ms);
	rc = open_db(c, name);
	dqe_conn_leave(c);
	if (rc != 0) {
		free(copy);
		return rc;
	}
	free(c->db_name);
	c->db_name = copy;
	return 0;
}
