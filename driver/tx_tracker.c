/*
 * tx_tracker.c -- the transaction and savepoint tracker (tx_tracker.h).
 */
#include "tx_tracker.h"

#include <ctype.h>
#include <string.h>

void dq_tx_ended(dq_tx *tx)
{
	tx->open = 0;
	tx->implicit = 0;
	tx->stmts = 0;
	tx->lost = 0;
	tx->by_savepoint = 0;
	tx->has_writes = 0;
	tx->n_savepoints = 0;
}

void dq_tx_began(dq_tx *tx, int implicit)
{
	dq_tx_ended(tx); /* a fresh one: nothing of a previous one remains */
	tx->open = 1;
	tx->implicit = implicit;
}

int dq_tx_at_stake(const dq_tx *tx)
{
	return tx->open && (tx->stmts > 0 || !tx->implicit);
}

void dq_tx_dropped(dq_tx *tx)
{
	/* the application's own BEGIN cannot be redone for it either; a
	 * transaction already lost stays lost until rolled back */
	int lost = tx->lost || dq_tx_at_stake(tx);
	dq_tx_ended(tx);
	tx->lost = lost;
}

void dq_tx_wrote(dq_tx *tx)
{
	if (tx->open)
		tx->has_writes = 1;
}

int dq_tx_needs_rollback(const dq_tx *tx)
{
	return tx->open || tx->untracked;
}

int dq_tx_savepoint_name(const char *sql, const dqc_sql_info *info,
			 char out[DQ_TX_NAME_MAX + 1])
{
	const char *p = sql + info->name_off;
	size_t n = info->name_len;

	out[0] = '\0';
	if (n == 0 || n > DQ_TX_NAME_MAX)
		return 0;
	if (!(isalpha((unsigned char)p[0]) || p[0] == '_'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x80 || !(isalnum(c) || c == '_'))
			return 0;
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	return 1;
}

static int find_savepoint(const dq_tx *tx, const char *name)
{
	for (int i = tx->n_savepoints - 1; i >= 0; i--)
		if (strcmp(tx->savepoints[i], name) == 0)
			return i;
	return -1;
}

void dq_tx_after(dq_tx *tx, const char *sql, const dqc_sql_info *info)
{
	char name[DQ_TX_NAME_MAX + 1];
	int tracked = 0, i;

	if (info->kind == DQC_SQL_SAVEPOINT || info->kind == DQC_SQL_RELEASE ||
	    info->kind == DQC_SQL_ROLLBACK_TO)
		tracked = dq_tx_savepoint_name(sql, info, name);
	if (tx->open && info->kind != DQC_SQL_BEGIN)
		tx->stmts++;
	switch (info->kind) {
	case DQC_SQL_BEGIN:
		dq_tx_began(tx, 0);
		return;
	case DQC_SQL_COMMIT:
	case DQC_SQL_ROLLBACK:
		dq_tx_ended(tx);
		return;
	case DQC_SQL_SAVEPOINT:
		/* outside a transaction SAVEPOINT begins one */
		if (!tx->open) {
			dq_tx_began(tx, 0);
			tx->by_savepoint = 1;
			tx->stmts = 1;
		}
		if (!tracked || tx->n_savepoints == DQ_TX_MAX_SAVEPOINTS) {
			tx->untracked = 1;
			return;
		}
		strcpy(tx->savepoints[tx->n_savepoints++], name);
		return;
	case DQC_SQL_RELEASE:
		i = tracked ? find_savepoint(tx, name) : -1;
		if (i < 0) {
			tx->untracked = 1; /* released something we never saw */
			return;
		}
		tx->n_savepoints = i;
		if (i == 0 && tx->by_savepoint)
			dq_tx_ended(tx);
		return;
	case DQC_SQL_ROLLBACK_TO:
		i = tracked ? find_savepoint(tx, name) : -1;
		if (i < 0) {
			tx->untracked = 1;
			return;
		}
		tx->n_savepoints = i + 1;
		return;
	default:
		if (info->is_write)
			dq_tx_wrote(tx);
		return;
	}
}
