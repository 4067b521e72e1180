/*
 * session.c -- the session layer (session.h): the link, the failure policy,
 * the transaction contract and the schema cache of one connection.
 */
#include "internal.h"

#include <stdio.h>
#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Pauses between retries: doubling from RETRY_FIRST_MS up to RETRY_MAX_MS. */
#define RETRY_FIRST_MS 10u
#define RETRY_MAX_MS 250u
/* SQLite's "database is locked" and its variant that no wait can cure. */
#define SQLITE_BUSY_CODE 5u
#define SQLITE_BUSY_SNAPSHOT_CODE 517u

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

const void *dq_sess_running(dq_session *s)
{
	const void *who;

	pthread_mutex_lock(&s->cancel_lock);
	who = s->running;
	pthread_mutex_unlock(&s->cancel_lock);
	return who;
}

/* ------------------------------------------------------ the failure policy */

/* The server dropped the link's transaction (with the link or the
 * leadership). */
static void drop_transaction(dq_session *s)
{
	s->dead = 1;
	dq_tx_dropped(&s->tx);
	dq_sess_schema_forget(s);
}

/* 1 when rc (or the state it left) means the link is gone for good. */
static int link_gone(const dq_session *s, int rc)
{
	return rc == DQC_ENOTLEADER || rc == DQC_ELEADERLOST ||
	       !dqc_is_alive(s->conn);
}

/* Applies the policy to a failure with the engine's message and code; with
 * warn, the record is a warning (01000) and the call still succeeds. */
static SQLRETURN policy(dq_session *s, dq_handle *h, int rc, uint64_t code,
			const char *msg, int warn)
{
	const char *consequence = NULL;

	if (link_gone(s, rc)) {
		int had_work = dq_sess_at_stake(s);
		drop_transaction(s);
		consequence = had_work
			? "the server rolled back the open transaction: roll back "
			  "(SQLEndTran) and run it again; until then statements on "
			  "this connection are refused"
			: "the next call reconnects";
	}
	if (warn)
		return dq_warn(h, "01000", "%s%s%s", msg, consequence ? "; " : "",
			       consequence ? consequence : "");
	return dq_engine_diag(h, rc, code, msg, consequence);
}

SQLRETURN dq_sess_failed(dq_session *s, dq_handle *h, int rc)
{
	return policy(s, h, rc, dqc_server_code(s->conn), dqc_errmsg(s->conn), 0);
}

SQLRETURN dq_sess_failed_aside(dq_session *s, dq_handle *h, int rc)
{
	return policy(s, h, rc, dqc_server_code(s->conn), dqc_errmsg(s->conn), 1);
}

SQLRETURN dq_sess_rows_failed(dq_session *s, dq_handle *h, dqc_rows *rows,
			      int rc)
{
	return policy(s, h, rc, dqc_rows_server_code(rows), dqc_rows_errmsg(rows), 0);
}

SQLRETURN dq_sess_commit_failed(dq_session *s, dq_handle *h, int rc)
{
	char msg[1200];

	if (!link_gone(s, rc) || rc == DQC_ENOTLEADER || !dqc_request_sent(s->conn))
		return dq_sess_failed(s, h, rc);
	/* The COMMIT may have reached the leader and been applied: only the
	 * application can check. Never retried here. */
	snprintf(msg, sizeof msg, "%s", dqc_errmsg(s->conn));
	s->dead = 1;
	dq_tx_ended(&s->tx);
	dq_sess_schema_forget(s);
	dq_diag_push(h, "08007", (SQLINTEGER)dqc_server_code(s->conn),
		     "connection failure during COMMIT: %s; the transaction may "
		     "or may not have been committed: check before running it "
		     "again", msg);
	return SQL_ERROR;
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

/* The next pause of a retry: doubling, capped, never past `until`. */
static unsigned next_pause(dq_retry *r, uint64_t until)
{
	uint64_t now = dqc_now_ms();
	unsigned ms = RETRY_FIRST_MS << (r->attempts < 5 ? r->attempts : 5);
	if (ms > RETRY_MAX_MS)
		ms = RETRY_MAX_MS;
	if (now + ms > until)
		ms = until > now ? (unsigned)(until - now) : 0;
	r->attempts++;
	return ms;
}

/* 1 when the call's own deadline (its Timeout), not the wait's `until`,
 * is what ended a wait. */
static int call_timed_out(const dq_session *s, uint64_t until)
{
	uint64_t dl = dqc_scope_deadline(s->conn);
	return dl != 0 && dl <= until && dqc_now_ms() >= dl;
}

int dq_sess_ready(dq_session *s, dq_handle *h)
{
	dq_retry r = {0, dqc_now_ms()};
	uint64_t until = r.since_ms + s->failover_timeout_ms;
	char why[512];
	int rc;

	if (!s->connected) {
		dq_diag_push(h, "08003", 0, "the connection is not open");
		return 0;
	}
	if (!s->dead && dqc_is_alive(s->conn))
		return 1;
	/* The failure that killed the link already told the application
	 * what it cost; find the (new) leader so the connection works on,
	 * riding out an election within FailoverTimeout. */
	dq_tx_dropped(&s->tx);
	dq_sess_schema_forget(s);
	for (;;) {
		/* each attempt ends by FailoverTimeout too: a node that
		 * accepts and never answers cannot hold the ride-out longer */
		rc = dqc_reconnect_by(s->conn, until);
		if (rc == 0) {
			s->dead = 0;
			return 1;
		}
		snprintf(why, sizeof why, "%s", dqc_errmsg(s->conn));
		if (rc == DQC_ECANCELED || rc == DQC_ETIMEDOUT || dqc_now_ms() >= until)
			break;
		rc = dqc_pause(s->conn, next_pause(&r, until), "a new leader");
		if (rc != 0)
			break; /* canceled, or the call's deadline came first */
	}
	if (rc == DQC_ECANCELED)
		dq_diag_push(h, "HY008", 0, "operation canceled while reconnecting");
	else if (call_timed_out(s, until))
		dq_diag_push(h, "HYT00", 0,
			     "timeout expired: the call's time ran out while "
			     "looking for a leader (tried for %llu ms): %s",
			     (unsigned long long)(dqc_now_ms() - r.since_ms), why);
	else
		dq_diag_push(h, "08S01", 0,
			     "communication link failure: no leader could be "
			     "reached within FailoverTimeout (tried for %llu ms): %s",
			     (unsigned long long)(dqc_now_ms() - r.since_ms), why);
	return 0;
}

/* ------------------------------------------------------- the transaction */

void dq_sess_manage(dq_session *s)
{
	s->managed = 1;
}

SQLRETURN dq_sess_unmanage(dq_session *s, dq_handle *h)
{
	if (s->tx.lost || (s->tx.open && s->tx.has_writes))
		return dq_error(h, "25000",
				"autocommit cannot be turned on while a transaction "
				"with writes is open (dqlite-odbc never commits "
				"behind the application's back): end it with "
				"SQLEndTran first; it stays open");
	if (s->tx.open && s->tx.implicit) {
		/* the driver's own transaction held reads only (a lost link
		 * ends it without a round trip) */
		SQLRETURN ret = dq_sess_end(s, h, 0);
		if (ret != SQL_SUCCESS)
			return ret;
	}
	s->managed = 0;
	return dq_warn(h, "01S02",
		       "dqlite has no autocommit: SQL_ATTR_AUTOCOMMIT stays "
		       "SQL_AUTOCOMMIT_OFF. Reads run and BEGIN ... COMMIT works, "
		       "but a write outside a transaction is refused. To have the "
		       "driver begin transactions, turn autocommit off and commit "
		       "with SQLEndTran (pyodbc: autocommit=False; Perl DBI: "
		       "AutoCommit => 0)");
}

void dq_sess_forget_mode(dq_session *s)
{
	assert(!s->tx.open);
	s->managed = 0;
}

void dq_sess_close_link(dq_session *s)
{
	if (s->conn)
		dqc_disconnect(s->conn);
	drop_transaction(s);
}

int dq_sess_at_stake(const dq_session *s)
{
	return dq_tx_at_stake(&s->tx);
}

/* The implicit BEGIN of a managed session (BeginMode), riding out a busy
 * database (BEGIN IMMEDIATE / EXCLUSIVE) and a lost link. */
static SQLRETURN implicit_begin(dq_session *s, dq_handle *h)
{
	static const char *const sql[] = {"BEGIN", "BEGIN IMMEDIATE",
					  "BEGIN EXCLUSIVE"};
	dqc_sql_info info;
	dq_retry r = {0, 0};
	int rc;

	dqc_sql_classify(sql[s->begin_mode], strlen(sql[s->begin_mode]), &info);
	for (;;) {
		if (!dq_sess_ready(s, h))
			return SQL_ERROR;
		/* A new transaction may see schema changes other clients
		 * committed. */
		dq_sess_schema_forget(s);
		rc = dqc_exec_sql(s->conn, sql[s->begin_mode], NULL, 0, NULL);
		if (rc == 0)
			break;
		if (!dq_sess_retry(s, &info, 0, &rc, &r))
			return dq_sess_failed(s, h, rc);
	}
	dq_tx_began(&s->tx, 1);
	return SQL_SUCCESS;
}

/* What dq_sess_before checks of the transaction before anything is sent,
 * its BEGIN aside: SQL_SUCCESS, SQL_NO_DATA (a lost transaction's ROLLBACK,
 * done) or SQL_ERROR with the reason posted. */
static SQLRETURN check_contract(dq_session *s, dq_handle *h, const dqc_sql_info *info)
{
	if (!s->connected)
		return dq_error(h, "08003", "the connection is not open");
	if (s->tx.open && !dqc_is_alive(s->conn)) {
		/* The link went since the transaction's last statement (it
		 * was seen closing while a retry waited, or between calls):
		 * the server rolled the transaction back with it. Nothing of
		 * it may run on a new link, where it would run outside any
		 * transaction and commit on its own. */
		int had_work = dq_tx_at_stake(&s->tx);
		drop_transaction(s);
		if (had_work && info->kind != DQC_SQL_ROLLBACK)
			return dq_error(h, "08S01",
					"communication link failure: the connection to "
					"the leader was lost; the server rolled back the "
					"open transaction: roll back (SQLEndTran) and run "
					"it again; until then statements on this "
					"connection are refused");
	}
	if (s->tx.lost) {
		if (info->kind == DQC_SQL_ROLLBACK) {
			/* nothing is left on the server to roll back */
			dq_tx_ended(&s->tx);
			return SQL_NO_DATA;
		}
		return dq_error(h, "25000",
				"the transaction was lost when the connection to "
				"the leader failed (the server rolled it back): "
				"roll back (SQLEndTran SQL_ROLLBACK or ROLLBACK) "
				"before running more statements");
	}
	return SQL_SUCCESS;
}

int dq_sess_refuses_write(const dq_session *s, const dqc_sql_info *info)
{
	return s->connected && !s->managed && info->is_write && !s->tx.open &&
	       !s->tx.lost;
}

SQLRETURN dq_sess_before(dq_session *s, dq_handle *h, const dqc_sql_info *info)
{
	SQLRETURN ret = check_contract(s, h, info);

	if (ret != SQL_SUCCESS)
		return ret;
	if (s->managed) {
		if (s->tx.open)
			return dq_sess_ready(s, h) ? SQL_SUCCESS : SQL_ERROR;
		return implicit_begin(s, h);
	}
	if (dq_sess_refuses_write(s, info))
		return dq_error(h, "25000",
				"writes need a transaction: dqlite-odbc has no "
				"autocommit mode. Turn autocommit off and commit with "
				"SQLEndTran (pyodbc: autocommit=False; Perl DBI: "
				"AutoCommit => 0; PDO: ATTR_AUTOCOMMIT => false and "
				"beginTransaction(); node odbc: beginTransaction()), or "
				"wrap the writes in BEGIN ... COMMIT");
	return dq_sess_ready(s, h) ? SQL_SUCCESS : SQL_ERROR;
}

SQLRETURN dq_sess_before_aside(dq_session *s, dq_handle *h, const dqc_sql_info *info)
{
	SQLRETURN ret;

	assert(!info->is_write);
	ret = check_contract(s, h, info);
	if (ret != SQL_SUCCESS)
		return ret;
	return dq_sess_ready(s, h) ? SQL_SUCCESS : SQL_ERROR;
}

void dq_sess_after_aside(dq_session *s)
{
	/* outside a transaction it was its own: what it cached may be stale
	 * by the next statement */
	if (!s->tx.open)
		dq_sess_schema_forget(s);
}

/* 1 when a busy failure can end by waiting for the other writer. */
static int busy_waitable(const dq_session *s, const dqc_sql_info *info,
			 uint64_t code)
{
	if (code != SQLITE_BUSY_CODE)
		return 0; /* BUSY_SNAPSHOT and the rest: no wait helps */
	if (info->kind == DQC_SQL_BEGIN)
		return info->begin_locks;
	return info->is_write && !s->tx.has_writes;
}

int dq_sess_retry(dq_session *s, const dqc_sql_info *info, int at_stake,
		  int *rc, dq_retry *r)
{
	uint64_t limit, until;
	char what[320];
	int prc;

	if (info->kind == DQC_SQL_COMMIT || *rc == DQC_ETIMEDOUT ||
	    *rc == DQC_ECANCELED)
		return 0;
	if (r->attempts == 0)
		r->since_ms = dqc_now_ms();
	if (*rc == DQC_ESERVER) {
		if (!busy_waitable(s, info, dqc_server_code(s->conn)))
			return 0;
		limit = s->busy_timeout_ms;
		snprintf(what, sizeof what, "the database to be free (%s)",
			 dqc_errmsg(s->conn));
	} else if (link_gone(s, *rc) && !at_stake) {
		/* nothing of a transaction reached the server, or all of it
		 * was dropped with it: the statement can run again on the
		 * new leader */
		limit = s->failover_timeout_ms;
		snprintf(what, sizeof what, "a new leader (%s)", dqc_errmsg(s->conn));
		drop_transaction(s);
	} else {
		return 0;
	}
	until = r->since_ms + limit;
	if (dqc_now_ms() >= until)
		return 0;
	prc = dqc_pause(s->conn, next_pause(r, until), what);
	if (prc != 0)
		*rc = prc; /* the call's Timeout or a cancel ended the wait */
	return prc == 0;
}

void dq_sess_after(dq_session *s, const char *sql, const dqc_sql_info *info)
{
	int was_open = s->tx.open;

	dq_tx_after(&s->tx, sql, info);
	/* what is cached holds for one transaction: outside one (unmanaged
	 * reads) a statement is its own */
	if (info->kind == DQC_SQL_DDL || info->kind == DQC_SQL_OTHER ||
	    !was_open || !s->tx.open)
		dq_sess_schema_forget(s);
}

/* Sends ROLLBACK: 0 when nothing is open on the server afterwards (its
 * "no transaction is active" counts), else the engine's code. */
static int rollback_now(dq_session *s)
{
	int rc = dqc_exec_sql(s->conn, "ROLLBACK", NULL, 0, NULL);
	if (rc == DQC_ESERVER && strstr(dqc_errmsg(s->conn), "no transaction is active"))
		rc = 0;
	return rc;
}

SQLRETURN dq_sess_end(dq_session *s, dq_handle *h, int commit)
{
	int rc;

	if (!s->connected)
		return dq_error(h, "08003", "the connection is not open");
	if (s->tx.lost) {
		if (!commit) {
			dq_tx_ended(&s->tx); /* the server already dropped it */
			return SQL_SUCCESS;
		}
		return dq_error(h, "25000",
				"the transaction was lost when the connection to "
				"the leader failed (the server rolled it back; "
				"nothing was committed): roll back, then run it "
				"again");
	}
	if (!s->tx.open)
		return SQL_SUCCESS; /* nothing open: no round trip */
	if (s->dead || !dqc_is_alive(s->conn)) {
		drop_transaction(s);
		return dq_sess_end(s, h, commit);
	}
	rc = commit ? dqc_exec_sql(s->conn, "COMMIT", NULL, 0, NULL) : rollback_now(s);
	if (rc == 0) {
		dq_tx_ended(&s->tx);
		dq_sess_schema_forget(s);
		return SQL_SUCCESS;
	}
	if (commit)
		return dq_sess_commit_failed(s, h, rc);
	/* A refusal leaves the transaction open; the policy handles a lost
	 * link (after which nothing is left to roll back). */
	if (link_gone(s, rc)) {
		drop_transaction(s);
		dq_tx_ended(&s->tx);
		return SQL_SUCCESS;
	}
	return dq_sess_failed(s, h, rc);
}

SQLRETURN dq_sess_reset(dq_session *s, dq_handle *h)
{
	SQLRETURN ret = SQL_SUCCESS;
	int rc;

	if (!dq_tx_needs_rollback(&s->tx) && !s->tx.lost)
		return SQL_SUCCESS; /* tracked and idle: the cheap path */
	if (s->dead || !dqc_is_alive(s->conn)) {
		drop_transaction(s); /* the server dropped it with the link */
	} else if ((rc = rollback_now(s)) != 0) {
		/* Whatever the reason, nothing may reach the next user: the
		 * link goes, and the server rolls back with it. */
		ret = dq_sess_failed(s, h, rc);
		dq_sess_close_link(s);
	}
	/* nothing at all is open on the server now */
	dq_tx_ended(&s->tx);
	s->tx.untracked = 0;
	dq_sess_schema_forget(s);
	return ret;
}

/* ------------------------------------------------------- the schema cache */

int dq_sess_schema(dq_session *s, const char *key, const char *table,
		   const dq_schema_table **out)
{
	int rc;

	*out = dq_schema_find(s->schema, key);
	if (*out)
		return 0;
	rc = dq_schema_load(&s->schema, s->conn, key, table);
	if (rc == 0)
		*out = dq_schema_find(s->schema, key);
	return rc == DQC_ESERVER ? 0 : rc; /* the statement reports real errors */
}
