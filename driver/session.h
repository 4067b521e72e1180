/*
 * session.h -- the session layer: one per connection handle, below the
 * statements. It owns the engine connection and what only the server can
 * make true:
 *   - the link: usable, or re-established (leader found again) before the
 *     next request;
 *   - the engine-failure policy: what a failed engine call means for the
 *     connection, its transaction and its caches, and which SQLSTATE the
 *     application sees (the mapping itself is diag.c's);
 *   - the transaction contract (docs/transactions.md): managed (the
 *     application turned autocommit off: the driver begins transactions) or
 *     unmanaged (no implicit BEGIN; a write outside a transaction is refused
 *     before it is sent); the tracker (tx_tracker.h), fed only with what the
 *     server did; a transaction lost with the link blocks statements until
 *     the application rolls back; a COMMIT whose reply is lost is 08007;
 *   - riding out: a lost link or a leader change when nothing of a
 *     transaction is at stake (FailoverTimeout), a busy database where
 *     waiting can help (BusyTimeout);
 *   - the schema cache (schema_cache.h);
 *   - the call in progress: one ODBC call is one engine scope (deadline and
 *     cancel), and SQLCancel from another thread reaches exactly that call.
 *
 * Everything here runs under the connection's mutex, except
 * dq_sess_cancel(), which may run on any thread at any time.
 */
#ifndef DQ_SESSION_H
#define DQ_SESSION_H

#include <pthread.h>

#include <sql.h>

#include "dqlite_client.h"
#include "schema_cache.h"
#include "tx_tracker.h"

struct dq_handle;

typedef struct dq_session {
	dqc_conn *conn;          /* engine connection: created at the first
	                            connect, kept until dq_sess_fini (so a
	                            cancel never meets a freed one) */
	int connected;           /* between connect and disconnect */
	int dead;                /* the link was lost: the next request
	                            re-establishes it */
	int managed;             /* the application set SQL_AUTOCOMMIT_OFF */
	int begin_mode;          /* enum dq_begin_mode (BeginMode) */
	unsigned busy_timeout_ms;     /* BusyTimeout */
	unsigned failover_timeout_ms; /* FailoverTimeout */
	dq_tx tx;                /* the server's transaction, as known */
	dq_schema *schema;       /* declared columns read in this transaction */
	pthread_mutex_t cancel_lock; /* guards `running` (and conn's lifetime)
	                                between a call and SQLCancel */
	const void *running;     /* the handle whose call is in progress */
} dq_session;

void dq_sess_init(dq_session *s);
/* Closes and frees everything (the connection must be disconnected). */
void dq_sess_fini(dq_session *s);

/* Connects to the leader found from cfg's bootstrap list and opens the
 * database, all within login_s seconds (0: no limit). Diagnostics on h:
 * 08001 (no leader reachable, TLS), HYT00 (login timeout), HY000 (refused
 * name, ...). */
SQLRETURN dq_sess_connect(dq_session *s, struct dq_handle *h,
			  const struct dqc_config *cfg, const char *database,
			  unsigned login_s);
/* Closes the link; the transaction and caches are gone. */
void dq_sess_disconnect(dq_session *s);

/* Brackets one ODBC call by `who` (a handle): the engine calls in between
 * share one deadline, timeout_s from now (0: none), and one cancel scope. */
void dq_sess_call_begin(dq_session *s, const void *who, unsigned timeout_s);
void dq_sess_call_end(dq_session *s);
/* Any thread: cancels the call in progress if `who` made it. Never blocks
 * on I/O. 1 when a call was canceled. */
int dq_sess_cancel(dq_session *s, const void *who);
/* Any thread: the handle whose call is in progress, or NULL (it may end
 * at once: dq_sess_cancel checks again). */
const void *dq_sess_running(dq_session *s);

/* Before a request: 1 when the link is usable, re-establishing it first if
 * it was lost (a new leader is found; prepared statements become stale);
 * 0 with 08003 / 08S01 posted on h when there is no way to the server. */
int dq_sess_ready(dq_session *s, struct dq_handle *h);

/* The failure policy: after an engine call on the session failed with rc,
 * applies what it means (a link that is gone or a node no longer leader:
 * the connection is dead until the next request re-establishes it, and the
 * server has dropped the transaction) and posts the diagnostic on h.
 * Returns SQL_ERROR. */
SQLRETURN dq_sess_failed(dq_session *s, struct dq_handle *h, int rc);
/* The same for a failure beside the call's purpose, which still succeeded
 * (a cursor closed, though discarding its rest cost the link): the policy
 * applies and the reason is posted as a warning (01000); returns
 * SQL_SUCCESS_WITH_INFO. */
SQLRETURN dq_sess_failed_aside(dq_session *s, struct dq_handle *h, int rc);
/* The same for a result that ended with an error (the engine's message is
 * the result's own). */
SQLRETURN dq_sess_rows_failed(dq_session *s, struct dq_handle *h,
			      dqc_rows *rows, int rc);

/* SQL_ATTR_AUTOCOMMIT. OFF: the session is managed from now on. ON: it is
 * unmanaged again and the value stays OFF (SQL_SUCCESS_WITH_INFO, 01S02,
 * with advice); refused with 25000 while a transaction with writes is open
 * (never an implicit commit); the driver's own read-only transaction is
 * rolled back. */
void dq_sess_manage(dq_session *s);
SQLRETURN dq_sess_unmanage(dq_session *s, struct dq_handle *h);
/* A pooled connection's next user starts unmanaged, as after connect (no
 * transaction may be open). */
void dq_sess_forget_mode(dq_session *s);
/* Closes the link now, as if it had been lost: the server rolls back what
 * was open (the tracker records a transaction with work as lost). The
 * next request re-establishes the link. */
void dq_sess_close_link(dq_session *s);

/* Before a statement classified as info is sent: the link (re-established
 * if it was lost), the contract, and in managed mode the implicit BEGIN.
 * SQL_SUCCESS to send it; SQL_NO_DATA when the session did the statement
 * itself (ROLLBACK of a lost transaction: nothing is left on the server);
 * SQL_ERROR with the reason posted (a lost transaction: 25000; a write
 * outside a transaction in unmanaged mode: 25000; no way to the server). */
SQLRETURN dq_sess_before(dq_session *s, struct dq_handle *h,
			 const dqc_sql_info *info);
/* 1 when dq_sess_before would refuse info as a write outside a transaction
 * on an unmanaged connection (25000), nothing else standing in its way. */
int dq_sess_refuses_write(const dq_session *s, const dqc_sql_info *info);
/* Before a read the application did not run itself (describing a prepared
 * statement before it executes): the same link and contract checks as
 * dq_sess_before (a lost transaction: 25000; a link lost under work: 08S01),
 * but never a BEGIN, in either mode: the read runs inside the transaction
 * that is open, else on its own, and starts none. info must not be a
 * write. SQL_SUCCESS, or SQL_ERROR with the reason posted. */
SQLRETURN dq_sess_before_aside(dq_session *s, struct dq_handle *h,
			       const dqc_sql_info *info);
/* After it (whether it succeeded or not): the tracker is not told (it is not the application's
 * work, so a leader change still finds nothing at stake); outside a
 * transaction the schema it cached is dropped, as after an unmanaged read. */
void dq_sess_after_aside(dq_session *s);
/* 1 when the open transaction holds work the server could lose: a retry
 * after a lost link would split it. */
int dq_sess_at_stake(const dq_session *s);

/* Retrying a statement that failed with rc. A retry keeps the state of one
 * statement's attempts. */
typedef struct dq_retry {
	int attempts;
	uint64_t since_ms;     /* first failure */
} dq_retry;
/* 1 when sending the statement again is right, after a pause: the link
 * was lost or the node is no longer leader and nothing was at stake
 * (at_stake: dq_sess_at_stake() before the statement ran) — within
 * FailoverTimeout; or the database was busy where waiting helps (BEGIN
 * IMMEDIATE / EXCLUSIVE, the first write of a transaction) — within
 * BusyTimeout. Posts nothing; 0 leaves the failure in *rc to the caller
 * (DQC_ETIMEDOUT when the call's Timeout ended the pause: a timeout, HYT00,
 * naming what it waited for). Never for COMMIT. */
int dq_sess_retry(dq_session *s, const dqc_sql_info *info, int at_stake,
		  int *rc, dq_retry *r);

/* After a statement ran: what it did to the transaction. */
void dq_sess_after(dq_session *s, const char *sql, const dqc_sql_info *info);
/* A COMMIT (SQLEndTran or raw) failed with rc: 08007 when its reply was
 * lost after it was sent (the outcome is unknown); else the policy. */
SQLRETURN dq_sess_commit_failed(dq_session *s, struct dq_handle *h, int rc);
/* COMMIT (commit != 0) or ROLLBACK of the open transaction; nothing to do
 * costs no round trip. */
SQLRETURN dq_sess_end(dq_session *s, struct dq_handle *h, int commit);
/* Pooled reset: ROLLBACK when a transaction is open or a savepoint went
 * untracked; otherwise no round trip. Afterwards no transaction is open or
 * lost: if the ROLLBACK fails (reason posted on h) the link is closed. */
SQLRETURN dq_sess_reset(dq_session *s, struct dq_handle *h);

/* The schema cache: the declared columns of table (key: its name
 * lower-cased), read on first use in the transaction. *out is NULL when
 * unknown. 0, or the engine's code when reading it failed beside the
 * server's own answer (nothing posted: the caller's failure policy and
 * retry apply, as for the statement itself). */
int dq_sess_schema(dq_session *s, const char *key, const char *table,
		   const dq_schema_table **out);
void dq_sess_schema_forget(dq_session *s);

#endif /* DQ_SESSION_H */
