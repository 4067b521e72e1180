/*
 * tx_tracker.h -- what the driver knows of the server's transaction on one
 * connection: whether one is open, whether it wrote, and its savepoints.
 * Pure bookkeeping, no I/O: the session layer (session.h) feeds it what
 * succeeded on the server, so it never disagrees with the server.
 *
 * Savepoints are tracked by name when the name is a bare ASCII identifier
 * ([A-Za-z_][A-Za-z0-9_]*, at most DQ_TX_NAME_MAX bytes, compared
 * case-insensitively, as SQLite does). Any other name (quoted, unicode,
 * too long, or one the tracker never saw) marks the connection `untracked`
 * until a pooled reset: that reset pays one safety ROLLBACK, after which
 * nothing is open on the server (the session clears the flag).
 */
#ifndef DQ_TX_TRACKER_H
#define DQ_TX_TRACKER_H

#include "sql_classify.h"

#define DQ_TX_MAX_SAVEPOINTS 64
#define DQ_TX_NAME_MAX 63

typedef struct dq_tx {
	int open;          /* the server has a transaction open */
	int implicit;      /* the driver's own BEGIN opened it (managed mode) */
	int stmts;         /* statements that ran in it since it began */
	int lost;          /* the server dropped a transaction that had work
	                      in it (link or leadership lost): statements are
	                      refused until the application rolls back */
	int has_writes;    /* a write ran inside it */
	int untracked;     /* a savepoint could not be followed (sticky) */
	int by_savepoint;  /* a SAVEPOINT began it: releasing that savepoint
	                      commits it (SQLite's rule) */
	int n_savepoints;  /* tracked, innermost last */
	char savepoints[DQ_TX_MAX_SAVEPOINTS][DQ_TX_NAME_MAX + 1];
} dq_tx;

/* A transaction began (implicit: the driver's BEGIN; else the
 * application's own). */
void dq_tx_began(dq_tx *tx, int implicit);
/* It ended: COMMIT / ROLLBACK succeeded, or nothing of it is lost. Keeps
 * `untracked`; clears `lost`. */
void dq_tx_ended(dq_tx *tx);
/* The server dropped it: lost when it had work in it (statements after
 * BEGIN) or the application began it, else (the driver's own BEGIN alone)
 * simply ended. */
void dq_tx_dropped(dq_tx *tx);
/* 1 when the open transaction holds work the server would lose with the
 * link: a statement after BEGIN, or the application's own BEGIN. */
int dq_tx_at_stake(const dq_tx *tx);
/* A statement classified as info ran successfully (sql is its text). */
void dq_tx_after(dq_tx *tx, const char *sql, const dqc_sql_info *info);
/* A write ran inside the open transaction (dq_tx_after calls it for each
 * write statement). */
void dq_tx_wrote(dq_tx *tx);
/* 1 when a pooled reset must send ROLLBACK: a transaction is open or a
 * savepoint went untracked. */
int dq_tx_needs_rollback(const dq_tx *tx);

/* The savepoint name of a SAVEPOINT / RELEASE / ROLLBACK TO statement when
 * it can be tracked, lower-cased into out. 1, or 0 (untrackable / none). */
int dq_tx_savepoint_name(const char *sql, const dqc_sql_info *info,
			 char out[DQ_TX_NAME_MAX + 1]);

#endif /* DQ_TX_TRACKER_H */
