/*
 * conn.h -- the connection object behind dqlite_client.h (internal to src/).
 * Shared by conn.c (lifecycle, connect, open), statement.c (statements,
 * results, pipelining) and admin.c (cluster requests).
 *
 * Ownership: the conn owns its link (the transport), its request machine
 * (which uses the link through the dqe_io interface), its cancel scope and
 * its configuration. The machine owns the last error (c->m.err).
 */
#ifndef DQE_CONN_H
#define DQE_CONN_H

#include "dqlite_client.h"
#include "io.h"
#include "link.h"
#include "machine.h"

struct dqc_conn {
	dqe_link link;
	dqe_machine m;
	dqe_cancel cancel;
	int connected;         /* a leader link was established */
	/* configuration (owned copies) */
	char **addresses;
	size_t n_addresses;
	unsigned connect_timeout_ms;
	unsigned timeout_ms;
	uint64_t max_rows, max_pages;
	struct dqc_tls_config tls;
	/* database */
	char *db_name;         /* re-opened by dqc_reconnect */
	int db_open;
	unsigned features;
	char sqlite_version[32];
	uint64_t generation;
	/* scopes: an explicit one (dqc_scope_begin) or nested implicit ones */
	int scope_explicit;
	int scope_depth;
};

/* Every public call that may wait runs between these: inside the caller's
 * explicit scope, or in one of its own bounded by `timeout_ms` (the
 * per-request timeout, or connect_timeout_ms for connecting). */
void dqe_conn_enter(dqc_conn *c, unsigned timeout_ms);
void dqe_conn_leave(dqc_conn *c);
/* dqe_conn_leave, then rc: the one exit of a bracketed public call. */
static inline int dqe_conn_leave_rc(dqc_conn *c, int rc)
{
	dqe_conn_leave(c);
	return rc;
}

/* The usual failure return: records rc with a message and returns rc. */
#define dqe_conn_error(c, rc, ...) dqe_machine_error(&(c)->m, (rc), 0, __VA_ARGS__)

#endif /* DQE_CONN_H */
