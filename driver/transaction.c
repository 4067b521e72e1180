/*
 * transaction.c -- the driver owns BEGIN / COMMIT / ROLLBACK.
 *
 * dqlite replicates writes through Raft at COMMIT and has no per-statement
 * autocommit, so the driver keeps a transaction open: it sends BEGIN before
 * the first statement and ends it in SQLEndTran. SQLEndTran with nothing
 * open costs no round trip. Raw COMMIT / ROLLBACK / SAVEPOINT / RELEASE /
 * ROLLBACK TO from the application keep the tracker in step, so a pooled
 * connection's reset knows whether it must roll back.
 *
 * Savepoint names the tracker cannot follow (quoted, unicode, ...) set
 * tx.untracked: from then on every reset pays one safety ROLLBACK.
 */
#include "internal.h"

#include <string.h>

SQLRETURN dq_tx_begin_if_needed(dq_dbc *dbc, dq_handle *report_to)
{
	int rc;

	if (!dq_dbc_check_link(dbc, report_to))
		return SQL_ERROR;
	if (dbc->tx.open)
		return SQL_SUCCESS;
	/* A new transaction may see schema changes other clients committed. */
	dq_schema_forget(dbc);
	rc = dqc_exec_sql(dbc->conn, "BEGIN", NULL, 0, NULL);
	if (rc != 0) {
		dq_dbc_engine_failed(dbc, rc);
		return dq_engine_error(report_to, dbc->conn, rc);
	}
	dbc->tx.open = 1;
	dbc->tx.has_writes = 0;
	dbc->tx.n_savepoints = 0;
	return SQL_SUCCESS;
}

static int find_savepoint(const dq_tx *tx, const char *name)
{
	for (int i = tx->n_savepoints - 1; i >= 0; i--)
		if (strcmp(tx->savepoints[i], name) == 0)
			return i;
	return -1;
}

void dq_tx_after_statement(dq_dbc *dbc, const dqc_sql_info *info)
{
	dq_tx *tx = &dbc->tx;
	int i;

	switch (info->kind) {
	case DQC_SQL_COMMIT:
	case DQC_SQL_ROLLBACK:
		tx->open = 0;
		tx->has_writes = 0;
		tx->n_savepoints = 0;
		return;
	case DQC_SQL_BEGIN:
		tx->open = 1;
		return;
	case DQC_SQL_SAVEPOINT:
		if (!info->name_tracked ||
		    tx->n_savepoints == DQ_MAX_TRACKED_SAVEPOINTS) {
			tx->untracked = 1;
			return;
		}
		strcpy(tx->savepoints[tx->n_savepoints++], info->name);
		return;
	case DQC_SQL_RELEASE:
		if (!info->name_tracked) {
			tx->untracked = 1;
			return;
		}
		i = find_savepoint(tx, info->name);
		if (i >= 0)
			tx->n_savepoints = i;
		else
			tx->untracked = 1; /* released something we never saw */
		return;
	case DQC_SQL_ROLLBACK_TO:
		if (!info->name_tracked) {
			tx->untracked = 1;
			return;
		}
		i = find_savepoint(tx, info->name);
		if (i >= 0)
			tx->n_savepoints = i + 1;
		else
			tx->untracked = 1;
		return;
	default:
		if (info->is_write)
			tx->has_writes = 1;
		if (info->kind == DQC_SQL_DDL || info->kind == DQC_SQL_OTHER)
			dq_schema_forget(dbc);
		return;
	}
}

SQLRETURN dq_tx_end(dq_dbc *dbc, SQLSMALLINT completion, dq_handle *report_to)
{
	int rc;

	if (completion != SQL_COMMIT && completion != SQL_ROLLBACK)
		return dq_error(report_to, "HY012",
				"invalid transaction operation code %d", completion);
	if (!dbc->connected)
		return dq_error(report_to, "08003", "the connection is not open");
	if (!dbc->tx.open)
		return SQL_SUCCESS; /* nothing open: no round trip */
	if (dbc->dead || !dqc_is_alive(dbc->conn)) {
		memset(&dbc->tx, 0, sizeof dbc->tx);
		if (completion == SQL_ROLLBACK)
			return SQL_SUCCESS; /* the server already dropped it */
		return dq_error(report_to, "08S01",
				"communication link failure: the transaction was "
				"lost with the connection to the leader; run it again");
	}
	rc = dqc_exec_sql(dbc->conn, completion == SQL_COMMIT ? "COMMIT" : "ROLLBACK",
			  NULL, 0, NULL);
	if (rc != 0) {
		/* A server-side refusal (e.g. a deferred constraint) leaves the
		 * transaction open; link and leadership failures end it. */
		if (rc != DQC_ESERVER)
			memset(&dbc->tx, 0, sizeof dbc->tx);
		dq_dbc_engine_failed(dbc, rc);
		return dq_engine_error(report_to, dbc->conn, rc);
	}
	dbc->tx.open = 0;
	dbc->tx.has_writes = 0;
	dbc->tx.n_savepoints = 0;
	return SQL_SUCCESS;
}

SQLRETURN dq_tx_reset(dq_dbc *dbc, dq_handle *report_to)
{
	int rc;

	if (!dbc->tx.open && !dbc->tx.untracked)
		return SQL_SUCCESS; /* tracked and idle: the cheap path */
	if (dbc->dead || !dqc_is_alive(dbc->conn)) {
		dbc->tx.open = 0;
		return SQL_SUCCESS;
	}
	rc = dqc_exec_sql(dbc->conn, "ROLLBACK", NULL, 0, NULL);
	if (rc != 0 && !(rc == DQC_ESERVER &&
			 strstr(dqc_errmsg(dbc->conn), "no transaction is active"))) {
		dq_dbc_engine_failed(dbc, rc);
		return dq_engine_error(report_to, dbc->conn, rc);
	}
	dbc->tx.open = 0;
	dbc->tx.has_writes = 0;
	dbc->tx.n_savepoints = 0;
	return SQL_SUCCESS;
}
