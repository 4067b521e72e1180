/*
 * session.c -- the session layer (session.h): the link, the failure policy,
 * the transaction and the schema cache of one connection.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dq_sess_init(dq_session *s)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->cancel_lock, NULL);
}

void dq_sess_fini(dq_session *s)
{
	dqc_conn *c;

	pthread_mutex_lock(&s->cancel_lock);
	c = s->conn;
	s->conn = NULL;
	pthread_mutex_unlock(&s->cancel_lock);
	dqc_conn_free(c);
	dq_schema_free(s->schema);
	s->schema = NULL;
	pthread_mutex_destroy(&s->cancel_lock);
}

void dq_sess_schema_forget(dq_session *s)
{
	dq_schema_free(s->schema);
	s->schema = NULL;
}

/* ------------------------------------------------------------ the call */

void dq_sess_call_begin(dq_session *s, const void *who, unsigned timeout_s)
{
	pthread_mutex_lock(&s->cancel_lock);
	s->running = who;
	if (s->conn)
		dqc_scope_begin(s->conn, timeout_s ? dqc_now_ms() + timeout_s * 1000ull
						   : 0);
	pthread_mutex_unlock(&s->cancel_lock);
}

void dq_sess_call_end(dq_session *s)
{
	pthread_mutex_lock(&s->cancel_lock);
	s->running = NULL;
	if (s->conn)
		dqc_scope_end(s->conn);
	pthread_mutex_unlock(&s->cancel_lock);
}

int dq_sess_cancel(dq_session *s, const void *who)
{
	int hit = 0;

	pthread_mutex_lock(&s->cancel_lock);
	if (s->running == who && s->conn) {
		dqc_cancel(s->conn);
		hit = 1;
	}
	pthread_mutex_unlock(&s->cancel_lock);
	return hit;
}

/* ------------------------------------------------------ the failure policy */

/* The server dropped the transaction with the link or the leadership. */
static void lose_transaction(dq_session *s)
{
	s->dead = 1;
	dq_tx_ended(&s->tx);
	dq_sess_schema_forget(s);
}

/* 1 when rc (or the state it left) means the link is gone for good. */
static int link_gone(const dq_session *s, int rc)
{
	return rc == DQC_ENOTLEADER || rc == DQC_ELEADERLOST ||
	       !dqc_is_alive(s->conn);
}

/* Applies the policy to a failure with the engine's message and code. */
static SQLRETURN policy(dq_session *s, dq_handle *h, int rc, uint64_t code,
			const char *msg)
{
	const char *consequence = NULL;

	if (link_gone(s, rc)) {
		if (s->tx.open)
			consequence = "the server rolled back the open transaction: "
				      "run it again (the next call reconnects)";
		else
			consequence = "the next call reconnects";
		lose_transaction(s);
	}
	return dq_engine_diag(h, rc, code, msg, consequence);
}

SQLRETURN dq_sess_failed(dq_session *s, dq_handle *h, int rc)
{
	return policy(s, h, rc, dqc_server_code(s->conn), dqc_errmsg(s->conn));
}

SQLRETURN dq_sess_rows_failed(dq_session *s, dq_handle *h, dqc_rows *rows,
			      int rc)
{
	return policy(s, h, rc, dqc_rows_server_code(rows), dqc_rows_errmsg(rows));
}

/* ---------------------------------------------------------- the link */

SQLRETURN dq_sess_connect(dq_session *s, dq_handle *h,
			  const struct dqc_config *cfg, const char *database,
			  unsigned login_s)
{
	int rc;

	if (s->conn == NULL) {
		dqc_conn *c = dqc_conn_new();
		if (c == NULL)
			return dq_error(h, "HY001", "memory allocation failure");
		pthread_mutex_lock(&s->cancel_lock);
		s->conn = c;
		pthread_mutex_unlock(&s->cancel_lock);
	}
	dqc_scope_begin(s->conn, login_s ? dqc_now_ms() + login_s * 1000ull : 0);
	rc = dqc_connect(s->conn, cfg);
	if (rc == 0)
		rc = dqc_open(s->conn, database);
	if (rc != 0) {
		SQLRETURN ret;
		if (rc == DQC_ETIMEDOUT)
			ret = dq_error(h, "HYT00", "login timeout (%u s) expired: %s",
				       login_s, dqc_errmsg(s->conn));
		else if (rc == DQC_EIO || rc == DQC_ECLOSED || rc == DQC_ECONNECT ||
			 rc == DQC_ENOTLEADER || rc == DQC_EPROTO)
			ret = dq_error(h, "08001", "%s", dqc_errmsg(s->conn));
		else
			ret = dq_engine_diag(h, rc, dqc_server_code(s->conn),
					     dqc_errmsg(s->conn), NULL);
		dqc_disconnect(s->conn);
		return ret;
	}
	memset(&s->tx, 0, sizeof s->tx);
	dq_sess_schema_forget(s);
	s->connected = 1;
	s->dead = 0;
	return SQL_SUCCESS;
}

void dq_sess_disconnect(dq_session *s)
{
	if (s->conn)
		dqc_disconnect(s->conn);
	memset(&s->tx, 0, sizeof s->tx);
	dq_sess_schema_forget(s);
	s->connected = 0;
	s->dead = 0;
}

int dq_sess_ready(dq_session *s, dq_handle *h)
{
	int rc;

	if (!s->connected) {
		dq_diag_push(h, "08003", 0, "the connection is not open");
		return 0;
	}
	if (!s->dead && dqc_is_alive(s->conn))
		return 1;
	/* The failure that killed the link already told the application
	 * what it cost; find the (new) leader so the connection works on. */
	lose_transaction(s);
	rc = dqc_reconnect(s->conn);
	if (rc != 0) {
		dq_diag_push(h, rc == DQC_ETIMEDOUT ? "HYT00" : "08S01", 0,
			     "communication link failure: reconnecting failed: %s",
			     dqc_errmsg(s->conn));
		return 0;
	}
	s->dead = 0;
	return 1;
}

/* ------------------------------------------------------- the transaction */

SQLRETURN dq_sess_begin(dq_session *s, dq_handle *h)
{
	int rc;

	if (!dq_sess_ready(s, h))
		return SQL_ERROR;
	if (s->tx.open)
		return SQL_SUCCESS;
	/* A new transaction may see schema changes other clients committed. */
	dq_sess_schema_forget(s);
	rc = dqc_exec_sql(s->conn, "BEGIN", NULL, 0, NULL);
	if (rc != 0)
		return dq_sess_failed(s, h, rc);
	dq_tx_began(&s->tx);
	return SQL_SUCCESS;
}

void dq_sess_after(dq_session *s, const char *sql, const dqc_sql_info *info)
{
	int was_open = s->tx.open;

	dq_tx_after(&s->tx, sql, info);
	if (info->kind == DQC_SQL_DDL || info->kind == DQC_SQL_OTHER ||
	    (was_open && !s->tx.open))
		dq_sess_schema_forget(s);
}

SQLRETURN dq_sess_end(dq_session *s, dq_handle *h, int commit)
{
	int rc;

	if (!s->connected)
		return dq_error(h, "08003", "the connection is not open");
	if (!s->tx.open)
		return SQL_SUCCESS; /* nothing open: no round trip */
	if (s->dead || !dqc_is_alive(s->conn)) {
		lose_transaction(s);
		if (!commit)
			return SQL_SUCCESS; /* the server already dropped it */
		return dq_error(h, "08S01",
				"communication link failure: the transaction was "
				"lost with the connection to the leader (nothing "
				"was committed); run it again");
	}
	rc = dqc_exec_sql(s->conn, commit ? "COMMIT" : "ROLLBACK", NULL, 0, NULL);
	if (rc == 0) {
		dq_tx_ended(&s->tx);
		dq_sess_schema_forget(s);
		return SQL_SUCCESS;
	}
	if (rc == DQC_ESERVER && !commit &&
	    strstr(dqc_errmsg(s->conn), "no transaction is active")) {
		dq_tx_ended(&s->tx);
		return SQL_SUCCESS;
	}
	if (commit && link_gone(s, rc) && rc != DQC_ENOTLEADER &&
	    dqc_request_sent(s->conn)) {
		/* The COMMIT may have reached the leader and been applied:
		 * only the application can check. Never retried here. */
		char msg[1200];
		snprintf(msg, sizeof msg, "%s", dqc_errmsg(s->conn));
		lose_transaction(s);
		dq_diag_push(h, "08007", (SQLINTEGER)dqc_server_code(s->conn),
			     "connection failure during COMMIT: %s; the transaction "
			     "may or may not have been committed: check before "
			     "running it again", msg);
		return SQL_ERROR;
	}
	/* A refusal (a deferred constraint, a busy database) leaves the
	 * transaction open; the policy handles a lost link. */
	return dq_sess_failed(s, h, rc);
}

SQLRETURN dq_sess_reset(dq_session *s, dq_handle *h)
{
	int rc;

	if (!dq_tx_needs_rollback(&s->tx))
		return SQL_SUCCESS; /* tracked and idle: the cheap path */
	if (s->dead || !dqc_is_alive(s->conn)) {
		lose_transaction(s);
		return SQL_SUCCESS;
	}
	rc = dqc_exec_sql(s->conn, "ROLLBACK", NULL, 0, NULL);
	if (rc != 0 && !(rc == DQC_ESERVER &&
			 strstr(dqc_errmsg(s->conn), "no transaction is active")))
		return dq_sess_failed(s, h, rc);
	dq_tx_ended(&s->tx);
	dq_sess_schema_forget(s);
	return SQL_SUCCESS;
}

/* ------------------------------------------------------- the schema cache */

SQLRETURN dq_sess_schema(dq_session *s, dq_handle *h, const char *key,
			 const char *table, const dq_schema_table **out)
{
	int rc;

	*out = dq_schema_find(s->schema, key);
	if (*out)
		return SQL_SUCCESS;
	rc = dq_schema_load(&s->schema, s->conn, key, table);
	if (rc == 0) {
		*out = dq_schema_find(s->schema, key);
		return SQL_SUCCESS;
	}
	if (rc == DQC_ESERVER)
		return SQL_SUCCESS; /* the statement itself reports real errors */
	return dq_sess_failed(s, h, rc);
}
