/*
 * statement.c -- statement handles: attributes, SQLPrepare / SQLExecute /
 * SQLExecDirect, multi-statement batches, parameter arrays, SQLCancel.
 *
 * EXEC or QUERY is decided from the SQL text (sql_classify), never guessed
 * by trial: a write sent as QUERY is not replicated by servers < 1.15.
 * RETURNING is refused before anything is sent on such servers. What a
 * statement does to the connection (the transaction, the link, the schema
 * cache) goes through the session (session.h).
 */
#include "internal.h"

#include "escape.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parameter sets pipelined per write: bounded so the server's replies
 * never outgrow what the link reads ahead while we are still writing. */
#define PIPELINE_CHUNK 2048

SQLRETURN dq_stmt_alloc(dq_dbc *dbc, dq_stmt **out)
{
	dq_stmt *s = calloc(1, sizeof *s);
	if (s == NULL)
		return dq_error(&dbc->h, "HY001", "memory allocation failure");
	s->h.magic = DQ_MAGIC;
	s->h.type = DQ_HSTMT;
	s->dbc = dbc;
	atomic_init(&s->cancel_dae, 0);
	dq_desc_init(&s->ard_i, dbc, s, DQ_ARD, 1);
	dq_desc_init(&s->apd_i, dbc, s, DQ_APD, 1);
	dq_desc_init(&s->ird, dbc, s, DQ_IRD, 1);
	dq_desc_init(&s->ipd, dbc, s, DQ_IPD, 1);
	s->ard = &s->ard_i;
	s->apd = &s->apd_i;
	s->cursor_type = SQL_CURSOR_FORWARD_ONLY;
	s->concurrency = SQL_CONCUR_READ_ONLY;
	s->retrieve_data = SQL_RD_ON;
	s->noscan = SQL_NOSCAN_OFF;
	s->cursor_scrollable = SQL_NONSCROLLABLE;
	s->cursor_sensitivity = SQL_INSENSITIVE;
	s->rowset_size = 1;
	s->row_count = -1;
	s->metadata_id = dbc->metadata_id;
	s->async_enable = dbc->async_enable;
	dq_async_init(&s->async);
	atomic_init(&s->h.busy, 0);
	snprintf(s->cursor_name, sizeof s->cursor_name, "SQL_CUR%p", (void *)s);
	s->next = dbc->stmts;
	dbc->stmts = s;
	*out = s;
	return SQL_SUCCESS;
}

static void finalize_prepared(dq_stmt *s)
{
	if (s->dbc->sess.conn)
		dqc_finalize(s->dbc->sess.conn, &s->prepared); /* no-op if stale */
	s->prepared.live = 0;
}

/* Drops the SQL text: the statement is back to S1. */
static void forget_sql(dq_stmt *s)
{
	finalize_prepared(s);
	dq_describe_forget(s);
	free(s->sql);
	s->sql = NULL;
	s->app_prepared = 0;
	dq_stmt_set_state(s, DQ_S_ALLOCATED);
}

SQLRETURN dq_stmt_free(dq_stmt *s)
{
	dq_stmt **pp;
	dq_async_drain(s); /* no worker outlives its statement */
	dq_results_close(s);
	dq_params_reset_dae(s);
	finalize_prepared(s);
	for (pp = &s->dbc->stmts; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	dq_desc *implicit[] = {&s->ard_i, &s->apd_i, &s->ird, &s->ipd};
	for (size_t i = 0; i < 4; i++) {
		dq_desc_free_recs(implicit[i]);
		dq_diag_free(&implicit[i]->h.diag);
	}
	free(s->sql);
	dq_describe_forget(s);
	dq_schema_stmt_free(s);
	dq_diag_free(&s->h.diag);
	dq_diag_free(&s->h.busy_diag);
	dq_async_fini(&s->async);
	s->h.magic = 0;
	free(s);
	return SQL_SUCCESS;
}

void dq_stmt_apply_cancel(dq_stmt *s)
{
	atomic_store(&s->cancel_dae, 0);
	if (s->state == DQ_S_CURSOR)
		s->cursor_canceled = 1; /* closed by the next execution */
	if (s->state != DQ_S_NEED_DATA)
		return;
	dq_params_reset_dae(s);
	dq_stmt_set_state(s, dq_stmt_idle_state(s));
}

void dq_stmt_release(dq_stmt *s)
{
	dq_stmt_apply_cancel(s);
	dq_results_close(s);
	if (s->sql)
		forget_sql(s);
}

/* ------------------------------------------------------------ executing */

static int is_multi(const char *sql)
{
	size_t len = strlen(sql), end = dqc_sql_statement_end(sql, len);
	return end < len && !dqc_sql_is_blank(sql + end, len - end);
}

static SQLRETURN refuse_returning(dq_stmt *s, const dqc_sql_info *info)
{
	if (info->has_returning &&
	    !(dqc_features(s->dbc->sess.conn) & DQC_FEATURE_PREPARE_TAIL))
		return dq_error(&s->h, "HYC00",
				"RETURNING needs dqlite >= 1.15: older servers "
				"return its rows without replicating the write, so "
				"the driver does not send it");
	return SQL_SUCCESS;
}

static SQLRETURN fail(dq_stmt *s, int rc)
{
	return dq_sess_failed(&s->dbc->sess, &s->h, rc);
}

void dq_stmts_close_cursors(dq_dbc *dbc, const dq_stmt *except, dq_close_scope scope)
{
	for (dq_stmt *s = dbc->stmts; s; s = s->next) {
		if (s == except)
			continue;
		/* (a driver manager refuses SQLEndTran and SQLDisconnect
		 * while data at execution is pending; a direct caller may
		 * not) */
		if (scope != DQ_CLOSE_CURSORS)
			dq_stmt_apply_cancel(s);
		dq_results_close(s);
		if (scope == DQ_CLOSE_LINK)
			s->prepared.live = 0;
	}
}

/* Sends one statement once: prepared (st != NULL) or as text. 0 with *rows
 * or *count set, or the engine's failure code (nothing posted). */
static int send_one(dq_stmt *s, const char *sql, dqc_stmt *st,
		    const dqc_sql_info *info, const dqc_value *vals, unsigned n,
		    dqc_rows **rows, SQLLEN *count)
{
	dqc_conn *c = s->dbc->sess.conn;
	dqc_result res = {0, 0};
	int rc;

	if (st && st->generation != dqc_generation(c)) {
		/* reconnected since it was prepared: prepare again */
		rc = dqc_prepare(c, sql, st);
		if (rc != 0)
			return rc;
	}
	if (info->returns_rows) {
		rc = st ? dqc_query(c, st, vals, n, rows)
			: dqc_query_sql(c, sql, vals, n, rows);
		if (rc == 0 && info->kind == DQC_SQL_SELECT)
			dq_schema_describe(s, sql, *rows);
		if (rc == DQC_ESERVER && info->maybe_rows) {
			/* a PRAGMA that returns nothing: QUERY refused it */
			rc = st ? dqc_exec(c, st, vals, n, &res)
				: dqc_exec_sql(c, sql, vals, n, &res);
			*count = (SQLLEN)res.rows_affected;
		}
	} else {
		rc = st ? dqc_exec(c, st, vals, n, &res)
			: dqc_exec_sql(c, sql, vals, n, &res);
		*count = (SQLLEN)res.rows_affected;
	}
	return rc;
}

/* Prepares s->sql on the server, riding out a leader change or a busy
 * database under the same rules as a statement (dq_sess_retry). */
static SQLRETURN prepare(dq_stmt *s)
{
	dq_session *ss = &s->dbc->sess;
	dq_retry retry = {0, 0};
	int rc;

	for (;;) {
		int at_stake = dq_sess_at_stake(ss);
		if (!dq_sess_ready(ss, &s->h))
			return SQL_ERROR;
		rc = dqc_prepare(ss->conn, s->sql, &s->prepared);
		if (rc == 0)
			return SQL_SUCCESS;
		if (!dq_sess_retry(ss, &s->info, at_stake, &rc, &retry))
			return fail(s, rc);
	}
}

/* Text the classifier does not know (DQC_SQL_OTHER) counts as a write,
 * which an unmanaged connection refuses before sending (25000, "writes need
 * a transaction"). Misspelt SQL ("SELEC 1") is such text too, and a missing
 * transaction is the wrong diagnosis for it: the server PREPAREs it (it
 * parses the text and runs nothing), so a syntax error is reported as the
 * server's (42000) while text that parses is still refused. SQL_SUCCESS
 * when it parses, else SQL_ERROR with the failure posted. */
static SQLRETURN parse_unknown(dq_stmt *s, const char *sql)
{
	dq_session *ss = &s->dbc->sess;
	dqc_stmt probe = {0};
	int rc;

	if (!dq_sess_ready(ss, &s->h))
		return SQL_ERROR;
	rc = dqc_prepare(ss->conn, sql, &probe);
	if (rc != 0)
		return fail(s, rc);
	rc = dqc_finalize(ss->conn, &probe);
	return rc == 0 ? SQL_SUCCESS : fail(s, rc);
}

/* Runs one statement: prepared (st != NULL) or as text. On success either
 * *rows is a result or *count the rows affected. The session decides what
 * may run (the transaction contract) and when a failed attempt may run
 * again (a leader change with nothing at stake, a busy database). */
static SQLRETURN run_one(dq_stmt *s, const char *sql, dqc_stmt *st,
			 const dqc_sql_info *info, const dqc_value *vals,
			 unsigned n, dqc_rows **rows, SQLLEN *count)
{
	dq_session *ss = &s->dbc->sess;
	dq_retry retry = {0, 0};
	SQLRETURN ret;
	int rc;

	*rows = NULL;
	*count = -1;
	if (s->dbc->access_mode == SQL_MODE_READ_ONLY && info->is_write)
		return dq_error(&s->h, "25000",
				"the connection is read-only (SQL_ATTR_ACCESS_MODE)");
	if (info->kind == DQC_SQL_COMMIT || info->kind == DQC_SQL_ROLLBACK)
		/* SQL_CB_CLOSE, as SQLEndTran: no cursor is read into
		 * memory for the end of the transaction */
		dq_stmts_close_cursors(s->dbc, s, DQ_CLOSE_CURSORS);
	if (st == NULL && info->kind == DQC_SQL_OTHER &&
	    dq_sess_refuses_write(ss, info)) {
		ret = parse_unknown(s, sql);
		if (ret != SQL_SUCCESS)
			return ret;
	}
	for (;;) {
		int at_stake = dq_sess_at_stake(ss);
		ret = dq_sess_before(ss, &s->h, info);
		if (ret == SQL_NO_DATA)
			return SQL_SUCCESS; /* the session did it (count -1) */
		if (ret != SQL_SUCCESS)
			return ret;
		ret = refuse_returning(s, info);
		if (ret != SQL_SUCCESS)
			return ret;
		/* the column-type lookup is part of the attempt: a lost
		 * link there is ridden out like the statement's own */
		rc = info->kind == DQC_SQL_SELECT ? dq_schema_prefetch(s, sql) : 0;
		if (rc == 0)
			rc = send_one(s, sql, st, info, vals, n, rows, count);
		if (rc == 0)
			break;
		if (!dq_sess_retry(ss, info, at_stake, &rc, &retry))
			return info->kind == DQC_SQL_COMMIT
				       ? dq_sess_commit_failed(ss, &s->h, rc)
				       : fail(s, rc);
	}
	dq_sess_after(ss, sql, info);
	if (!*rows && (info->kind == DQC_SQL_DDL || info->kind == DQC_SQL_BEGIN ||
		       info->kind == DQC_SQL_COMMIT || info->kind == DQC_SQL_ROLLBACK ||
		       info->kind == DQC_SQL_SAVEPOINT || info->kind == DQC_SQL_RELEASE ||
		       info->kind == DQC_SQL_ROLLBACK_TO))
		*count = -1;
	return SQL_SUCCESS;
}

/* Makes the outcome of a single statement current. */
static SQLRETURN take_outcome(dq_stmt *s, dqc_rows *rows, SQLLEN count)
{
	if (rows)
		return dq_result_open(s, rows);
	s->row_count = count;
	dq_stmt_set_state(s, DQ_S_EXECUTED);
	return SQL_SUCCESS;
}

/* Runs every statement of a text in order (no parameters). The result sets
 * and counts queue up for SQLMoreResults; the engine reads an earlier result
 * into memory when a later statement needs the link. */
static SQLRETURN run_batch(dq_stmt *s, const char *sql)
{
	size_t len = strlen(sql), pos = 0;
	SQLRETURN ret = SQL_SUCCESS;

	while (pos < len) {
		size_t end = pos + dqc_sql_statement_end(sql + pos, len - pos);
		char *piece;
		dqc_sql_info info;
		dqc_rows *rows;
		SQLLEN count;

		if (dqc_sql_is_blank(sql + pos, end - pos)) {
			pos = end;
			continue;
		}
		piece = strndup(sql + pos, end - pos);
		if (piece == NULL) {
			ret = dq_error(&s->h, "HY001", "memory allocation failure");
			break;
		}
		dqc_sql_classify(piece, strlen(piece), &info);
		ret = run_one(s, piece, NULL, &info, NULL, 0, &rows, &count);
		free(piece);
		if (ret == SQL_SUCCESS)
			ret = dq_results_queue(s, rows, count);
		if (ret != SQL_SUCCESS)
			break;
		pos = end;
	}
	if (ret != SQL_SUCCESS) {
		dq_results_close(s);
		return ret;
	}
	return dq_results_first(s);
}

/* Numbers the records a parameter set just posted (a failure, or
 * conversion warnings of several parameters) with the set's row, for
 * SQL_DIAG_ROW_NUMBER. */
static void number_posted(dq_stmt *s, int before, SQLULEN row)
{
	for (int k = before; k < s->h.diag.n; k++)
		s->h.diag.recs[k].row_number = (SQLLEN)row + 1;
}

/* Parameter arrays: every set's EXEC is pipelined, replies read in order. */
static SQLRETURN run_array(dq_stmt *s, unsigned n)
{
	dq_session *ss = &s->dbc->sess;
	SQLULEN size = s->apd->array_size, done = 0, ok = 0;
	SQLUSMALLINT *status = s->ipd.array_status_ptr;
	SQLUSMALLINT *ops = s->apd->array_status_ptr;
	dqc_value *vals = calloc(n ? n : 1, sizeof *vals);
	SQLLEN total = 0;
	SQLRETURN ret;
	int lost = 0, warned = 0;

	if (vals == NULL)
		return dq_error(&s->h, "HY001", "memory allocation failure");
	ret = dq_sess_before(ss, &s->h, &s->info);
	assert(ret != SQL_NO_DATA); /* only a ROLLBACK, which has no parameters */
	if (ret == SQL_SUCCESS && s->prepared.generation != dqc_generation(ss->conn))
		ret = prepare(s);
	if (ret != SQL_SUCCESS) {
		free(vals);
		return ret;
	}
	for (SQLULEN base = 0; base < size && !lost; base += PIPELINE_CHUNK) {
		SQLULEN end = base + PIPELINE_CHUNK < size ? base + PIPELINE_CHUNK : size;
		/* 0 not sent, 1 sent, 2 sent with a conversion warning */
		unsigned char queued[PIPELINE_CHUNK];
		dq_arena arena = {0};
		for (SQLULEN r = base; r < end && !lost; r++) {
			int before = s->h.diag.n, rc;
			queued[r - base] = 0;
			if (ops && ops[r] == SQL_PARAM_IGNORE) {
				if (status)
					status[r] = SQL_PARAM_UNUSED;
				continue;
			}
			ret = dq_params_build(s, r, vals, n, &arena);
			number_posted(s, before, r);
			if (!SQL_SUCCEEDED(ret)) {
				if (status)
					status[r] = SQL_PARAM_ERROR;
				continue;
			}
			rc = dqc_pipeline_exec(ss->conn, &s->prepared, vals, n);
			if (rc != 0) {
				if (status)
					status[r] = SQL_PARAM_ERROR;
				fail(s, rc);
				number_posted(s, before, r);
				lost = !dqc_is_alive(ss->conn);
				continue;
			}
			queued[r - base] = ret == SQL_SUCCESS_WITH_INFO ? 2 : 1;
		}
		for (SQLULEN r = base; r < end; r++) {
			dqc_result res;
			int before = s->h.diag.n, rc;
			if (!queued[r - base])
				continue;
			if (lost) {
				if (status)
					status[r] = SQL_PARAM_DIAG_UNAVAILABLE;
				continue;
			}
			rc = dqc_pipeline_recv(ss->conn, &res);
			done = r + 1;
			if (rc == 0) {
				total += (SQLLEN)res.rows_affected;
				ok++;
				warned |= queued[r - base] == 2;
				if (status)
					status[r] = queued[r - base] == 2
							    ? SQL_PARAM_SUCCESS_WITH_INFO
							    : SQL_PARAM_SUCCESS;
				continue;
			}
			if (status)
				status[r] = SQL_PARAM_ERROR;
			fail(s, rc);
			number_posted(s, before, r);
			if (rc != DQC_ESERVER)
				lost = 1; /* the link went with every pending set */
		}
		dq_arena_free(&arena);
		if (!lost)
			done = end;
	}
	free(vals);
	if (s->ipd.rows_processed_ptr)
		*s->ipd.rows_processed_ptr = done;
	s->row_count = total;
	dq_stmt_set_state(s, DQ_S_EXECUTED);
	if (ok > 0 && !lost)
		dq_sess_after(ss, s->sql, &s->info);
	if (ok == 0 || lost)
		return SQL_ERROR;
	return ok < size || warned ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS;
}

/* What SQLExecute / SQLExecDirect / SQLParamData return for one executed
 * statement (not a batch): ODBC 3 says SQL_NO_DATA when a searched
 * UPDATE / DELETE or an INSERT (... SELECT) affected no row; an ODBC 2
 * application (SQL_OV_ODBC2) keeps SQL_SUCCESS, as ODBC 2 defined it. The
 * statement ran all the same: SQLRowCount says 0 and the transaction
 * counts it as any successful statement. */
static SQLRETURN no_row_outcome(const dq_stmt *s, SQLRETURN ret)
{
	int k = s->info.kind;

	if (ret != SQL_SUCCESS || s->state != DQ_S_EXECUTED || s->row_count != 0)
		return ret;
	if (k != DQC_SQL_INSERT && k != DQC_SQL_UPDATE && k != DQC_SQL_DELETE)
		return ret;
	return s->dbc->env->odbc_version == SQL_OV_ODBC2 ? ret : SQL_NO_DATA;
}

/* Executes the prepared single statement with the bound parameters. */
static SQLRETURN run_prepared(dq_stmt *s)
{
	unsigned n = (unsigned)s->prepared.n_params;
	dqc_value *vals;
	dq_arena arena = {0};
	dqc_rows *rows;
	SQLLEN count;
	SQLRETURN ret;
	int warned;

	if (s->apd->array_size > 1 && n > 0) {
		SQLULEN row;
		/* SQL_PARAM_ARRAY_SELECTS is SQL_PAS_NO_SELECT: running only
		 * the first set (as before) would drop the others silently */
		if (s->info.returns_rows)
			return dq_error(&s->h, "HYC00",
					"a statement that returns rows cannot run with a "
					"parameter array (SQL_ATTR_PARAMSET_SIZE %lu): run "
					"it once per parameter set",
					(unsigned long)s->apd->array_size);
		if (dq_params_next_dae(s, &row)) {
			/* every set's data at execution first (SQLParamData) */
			s->dae_param = 0;
			dq_stmt_set_state(s, DQ_S_NEED_DATA);
			return SQL_NEED_DATA;
		}
		ret = no_row_outcome(s, run_array(s, n));
		dq_params_reset_dae(s);
		return ret;
	}
	vals = calloc(n ? n : 1, sizeof *vals);
	if (vals == NULL)
		return dq_error(&s->h, "HY001", "memory allocation failure");
	ret = dq_params_build(s, 0, vals, n, &arena);
	if (ret == SQL_NEED_DATA) {
		free(vals);
		dq_arena_free(&arena);
		s->dae_param = 0;
		dq_stmt_set_state(s, DQ_S_NEED_DATA);
		return SQL_NEED_DATA;
	}
	/* a conversion warning (01S07) stays posted; the statement runs */
	warned = ret == SQL_SUCCESS_WITH_INFO;
	if (warned)
		ret = SQL_SUCCESS;
	if (ret == SQL_SUCCESS)
		ret = run_one(s, s->sql, &s->prepared, &s->info, vals, n, &rows, &count);
	free(vals);
	dq_arena_free(&arena);
	dq_params_reset_dae(s);
	if (ret != SQL_SUCCESS) {
		dq_stmt_set_state(s, dq_stmt_idle_state(s));
		return ret;
	}
	if (s->ipd.rows_processed_ptr)
		*s->ipd.rows_processed_ptr = 1;
	if (s->ipd.array_status_ptr)
		s->ipd.array_status_ptr[0] = warned ? SQL_PARAM_SUCCESS_WITH_INFO
						    : SQL_PARAM_SUCCESS;
	/* a warning (01S07) outranks "no row" so the application sees it */
	ret = take_outcome(s, rows, count);
	if (warned && ret == SQL_SUCCESS)
		return SQL_SUCCESS_WITH_INFO;
	return no_row_outcome(s, ret);
}

/* Translates ODBC escapes (escape.h) unless SQL_ATTR_NOSCAN is on. *out is
 * malloc'd; on failure the diagnostic is posted on h. */
SQLRETURN dq_escape_sql(dq_handle *h, const char *sql, int noscan, char **out)
{
	char msg[256];
	int rc;
	if (noscan) {
		*out = strdup(sql);
		return *out ? SQL_SUCCESS : dq_error(h, "HY001", "memory allocation failure");
	}
	rc = dq_escape_translate(sql, out, msg, sizeof msg);
	if (rc == DQ_ESC_NOMEM)
		return dq_error(h, "HY001", "memory allocation failure");
	if (rc == DQ_ESC_UNSUPPORTED)
		return dq_error(h, "HYC00", "%s", msg);
	if (rc != 0)
		return dq_error(h, "42000", "syntax error in an ODBC escape clause: %s", msg);
	return SQL_SUCCESS;
}

/* Takes new SQL text: the old result and server statement go first. */
static SQLRETURN set_sql(dq_stmt *s, const char *sql, int app_prepared)
{
	char *copy;
	SQLRETURN ret = dq_escape_sql(&s->h, sql, s->noscan == SQL_NOSCAN_ON, &copy);
	if (ret != SQL_SUCCESS)
		return ret;
	dq_results_close(s);
	forget_sql(s);
	s->sql = copy;
	s->app_prepared = app_prepared;
	dqc_sql_classify(copy, strlen(copy), &s->info);
	return SQL_SUCCESS;
}

SQLRETURN dq_prepare(dq_stmt *s, const char *sql)
{
	SQLRETURN ret;

	if ((ret = dq_stmt_no_cursor(s)) != SQL_SUCCESS)
		return ret;
	ret = set_sql(s, sql, 1);
	if (ret != SQL_SUCCESS)
		return ret;
	if (!dq_sess_ready(&s->dbc->sess, &s->h)) {
		forget_sql(s);
		return SQL_ERROR;
	}
	if (!is_multi(s->sql) && s->info.kind != DQC_SQL_EMPTY) {
		ret = refuse_returning(s, &s->info);
		if (ret == SQL_SUCCESS)
			ret = prepare(s);
		if (ret != SQL_SUCCESS) {
			forget_sql(s); /* a failed SQLPrepare leaves S1 */
			return ret;
		}
	}
	dq_stmt_set_state(s, DQ_S_PREPARED);
	return SQL_SUCCESS;
}

SQLRETURN dq_execute(dq_stmt *s)
{
	SQLRETURN ret;

	if ((ret = dq_stmt_no_cursor(s)) != SQL_SUCCESS)
		return ret;
	if (s->state == DQ_S_NEED_DATA)
		return dq_error(&s->h, "HY010", "data at execution is pending");
	if (s->sql == NULL || !s->app_prepared)
		return dq_error(&s->h, "HY010", "the statement is not prepared");
	dq_results_close(s);
	s->dae_direct = 0;
	if (!dq_sess_ready(&s->dbc->sess, &s->h))
		return SQL_ERROR;
	if (s->info.kind == DQC_SQL_EMPTY) {
		dq_stmt_set_state(s, DQ_S_EXECUTED);
		return SQL_SUCCESS;
	}
	if (!s->prepared.live && !is_multi(s->sql) && (ret = prepare(s)) != SQL_SUCCESS)
		return ret;
	if (s->prepared.live)
		return run_prepared(s);
	return run_batch(s, s->sql);
}

SQLRETURN dq_exec_direct(dq_stmt *s, const char *sql)
{
	SQLRETURN ret;

	if ((ret = dq_stmt_no_cursor(s)) != SQL_SUCCESS)
		return ret;
	ret = set_sql(s, sql, 0);
	if (ret == SQL_SUCCESS && !dq_sess_ready(&s->dbc->sess, &s->h))
		ret = SQL_ERROR;
	if (ret == SQL_SUCCESS && s->apd->count > 0 && !is_multi(s->sql)) {
		/* parameters: prepare so the count is checked (07002) */
		ret = refuse_returning(s, &s->info);
		if (ret == SQL_SUCCESS)
			ret = prepare(s);
		if (ret == SQL_SUCCESS) {
			s->dae_direct = 1;
			ret = run_prepared(s);
		}
	} else if (ret == SQL_SUCCESS) {
		/* a batch's first outcome is SQL_SUCCESS whatever its count:
		 * SQL_NO_DATA would tell applications no results follow */
		ret = run_batch(s, s->sql);
		if (!is_multi(s->sql))
			ret = no_row_outcome(s, ret);
	}
	if (!SQL_SUCCEEDED(ret) && ret != SQL_NEED_DATA && s->state != DQ_S_CURSOR &&
	    s->state != DQ_S_EXECUTED)
		forget_sql(s); /* a failed SQLExecDirect leaves S1 */
	return ret;
}

SQLRETURN dq_num_params(dq_stmt *s, SQLSMALLINT *n)
{
	if (s->state == DQ_S_ALLOCATED)
		return dq_error(&s->h, "HY010", "the statement is not prepared");
	if (n)
		*n = (SQLSMALLINT)(s->prepared.live ? s->prepared.n_params : 0);
	return SQL_SUCCESS;
}

SQLRETURN dq_param_data(dq_stmt *s, SQLPOINTER *token)
{
	SQLULEN row;
	int next;
	if (s->state != DQ_S_NEED_DATA)
		return dq_error(&s->h, "HY010", "no data-at-execution parameter is pending");
	next = dq_params_next_dae(s, &row);
	if (next == 0) {
		SQLRETURN ret;
		dq_stmt_set_state(s, DQ_S_PREPARED);
		ret = run_prepared(s);
		s->dae_param = 0;
		if (!SQL_SUCCEEDED(ret) && ret != SQL_NO_DATA && s->dae_direct &&
		    s->state != DQ_S_NEED_DATA)
			forget_sql(s);
		return ret;
	}
	s->dae_param = next;
	s->dae_row = row;
	if (token)
		*token = dq_params_dae_token(s, row, next);
	return SQL_NEED_DATA;
}

/* Runs without the connection's lock, on any thread: a call in progress on
 * s is canceled through the session; otherwise the only thing to cancel is
 * pending data at execution, applied now if the lock is free, else by the
 * next entry on s (a call on another statement holds it, so s is idle). */
SQLRETURN dq_cancel(dq_stmt *s)
{
	dq_dbc *dbc = s->dbc;

	if (dq_async_cancel(s)) /* its next poll says whether it stopped */
		return SQL_SUCCESS;
	if (dq_sess_cancel(&dbc->sess, s))
		return SQL_SUCCESS;
	atomic_store(&s->cancel_dae, 1);
	if (pthread_mutex_trylock(&dbc->lock) == 0) {
		dq_stmt_apply_cancel(s);
		pthread_mutex_unlock(&dbc->lock);
	}
	return SQL_SUCCESS;
}

SQLRETURN dq_free_stmt(dq_stmt *s, SQLUSMALLINT option)
{
	switch (option) {
	case SQL_CLOSE:
		return dq_results_close(s); /* with a warning when it cost the link */
	case SQL_UNBIND:
		dq_desc_free_recs(s->ard);
		return SQL_SUCCESS;
	case SQL_RESET_PARAMS:
		dq_desc_free_recs(s->apd);
		dq_desc_free_recs(&s->ipd);
		return SQL_SUCCESS;
	case SQL_DROP:
		return dq_stmt_free(s);
	default:
		return dq_error(&s->h, "HY092", "invalid SQLFreeStmt option %u", option);
	}
}

/* ------------------------------------------------------------ attributes */

/* SQL_ATTR_CURSOR_TYPE: forward-only (streams) or static (in memory,
 * scrollable: cursor.c). Keyset-driven and dynamic cursors would see other
 * connections' changes, which a Raft log read through a single QUERY
 * cannot show: they are substituted by static, with 01S02. The type
 * applies from the next execution. */
static SQLRETURN set_cursor_type(dq_stmt *s, SQLULEN v)
{
	switch (v) {
	case SQL_CURSOR_FORWARD_ONLY:
	case SQL_CURSOR_STATIC:
		s->cursor_type = v;
		return SQL_SUCCESS;
	case SQL_CURSOR_KEYSET_DRIVEN:
	case SQL_CURSOR_DYNAMIC:
		s->cursor_type = SQL_CURSOR_STATIC;
		return dq_warn(&s->h, "01S02", "%s cursors are not supported: "
			       "SQL_CURSOR_STATIC is used (a snapshot of the result)",
			       v == SQL_CURSOR_DYNAMIC ? "dynamic" : "keyset-driven");
	default:
		return dq_error(&s->h, "HY024", "invalid SQL_ATTR_CURSOR_TYPE %lu",
				(unsigned long)v);
	}
}

SQLRETURN dq_set_stmt_attr(dq_stmt *s, SQLINTEGER attr, SQLPOINTER value,
			   SQLINTEGER len)
{
	SQLULEN v = (SQLULEN)(uintptr_t)value;
	(void)len;
	switch (attr) {
	case SQL_ATTR_ROW_ARRAY_SIZE:
		if (v < 1)
			return dq_error(&s->h, "HY024", "row array size must be >= 1");
		s->ard->array_size = v;
		return SQL_SUCCESS;
	case SQL_ROWSET_SIZE: /* SQLExtendedFetch's own (ODBC 2) */
		if (v < 1)
			return dq_error(&s->h, "HY024", "rowset size must be >= 1");
		s->rowset_size = v;
		return SQL_SUCCESS;
	case SQL_ATTR_ROW_BIND_TYPE: s->ard->bind_type = (SQLINTEGER)v; return SQL_SUCCESS;
	case SQL_ATTR_ROW_BIND_OFFSET_PTR: s->ard->bind_offset_ptr = value; return SQL_SUCCESS;
	case SQL_ATTR_ROW_STATUS_PTR: s->ird.array_status_ptr = value; return SQL_SUCCESS;
	case SQL_ATTR_ROWS_FETCHED_PTR: s->ird.rows_processed_ptr = value; return SQL_SUCCESS;
	case SQL_ATTR_ROW_OPERATION_PTR: s->ard->array_status_ptr = value; return SQL_SUCCESS;
	case SQL_ATTR_PARAMSET_SIZE:
		if (v < 1)
			return dq_error(&s->h, "HY024", "paramset size must be >= 1");
		s->apd->array_size = v;
		return SQL_SUCCESS;
	case SQL_ATTR_PARAM_BIND_TYPE: s->apd->bind_type = (SQLINTEGER)v; return SQL_SUCCESS;
	case SQL_ATTR_PARAM_BIND_OFFSET_PTR: s->apd->bind_offset_ptr = value; return SQL_SUCCESS;
	case SQL_ATTR_PARAM_OPERATION_PTR: s->apd->array_status_ptr = value; return SQL_SUCCESS;
	case SQL_ATTR_PARAM_STATUS_PTR: s->ipd.array_status_ptr = value; return SQL_SUCCESS;
	case SQL_ATTR_PARAMS_PROCESSED_PTR: s->ipd.rows_processed_ptr = value; return SQL_SUCCESS;
	case SQL_ATTR_MAX_ROWS: s->max_rows = v; return SQL_SUCCESS;
	case SQL_ATTR_QUERY_TIMEOUT: s->query_timeout = v; return SQL_SUCCESS;
	case SQL_ATTR_MAX_LENGTH: s->max_length = v; return SQL_SUCCESS;
	case SQL_ATTR_NOSCAN: s->noscan = v; return SQL_SUCCESS;
	case SQL_ATTR_RETRIEVE_DATA: s->retrieve_data = v; return SQL_SUCCESS;
	case SQL_ATTR_METADATA_ID: s->metadata_id = v; return SQL_SUCCESS;
	case SQL_ATTR_USE_BOOKMARKS:
		if (v != SQL_UB_OFF)
			return dq_error(&s->h, "HYC00", "bookmarks are not supported");
		return SQL_SUCCESS;
	case SQL_ATTR_ASYNC_ENABLE:
		if (v != SQL_ASYNC_ENABLE_OFF && v != SQL_ASYNC_ENABLE_ON)
			return dq_error(&s->h, "HY024", "invalid SQL_ATTR_ASYNC_ENABLE value %lu",
					(unsigned long)v);
		s->async_enable = v;
		return SQL_SUCCESS;
	case SQL_ATTR_CURSOR_TYPE:
		return set_cursor_type(s, v);
	case SQL_ATTR_CONCURRENCY:
		if (v != SQL_CONCUR_READ_ONLY)
			return dq_warn(&s->h, "01S02",
				       "only read-only cursors are supported");
		return SQL_SUCCESS;
	case SQL_ATTR_CURSOR_SCROLLABLE:
		if (v != SQL_NONSCROLLABLE && v != SQL_SCROLLABLE)
			return dq_error(&s->h, "HY024", "invalid SQL_ATTR_CURSOR_SCROLLABLE %lu",
					(unsigned long)v);
		s->cursor_type = v == SQL_SCROLLABLE ? SQL_CURSOR_STATIC
						     : SQL_CURSOR_FORWARD_ONLY;
		return SQL_SUCCESS;
	case SQL_ATTR_CURSOR_SENSITIVITY:
		/* every cursor reads one snapshot: a stream is one read of the
		 * server, a static cursor a copy of it */
		if (v == SQL_SENSITIVE) {
			s->cursor_sensitivity = SQL_INSENSITIVE;
			return dq_warn(&s->h, "01S02", "cursors never show changes made "
				       "after they were opened: SQL_INSENSITIVE is used");
		}
		if (v != SQL_INSENSITIVE && v != SQL_UNSPECIFIED)
			return dq_error(&s->h, "HY024", "invalid SQL_ATTR_CURSOR_SENSITIVITY %lu",
					(unsigned long)v);
		s->cursor_sensitivity = v;
		return SQL_SUCCESS;
	case SQL_ATTR_KEYSET_SIZE: s->keyset_size = v; return SQL_SUCCESS;
	case SQL_ATTR_SIMULATE_CURSOR:
		/* No positioned UPDATE / DELETE is ever simulated (the
		 * cursors are read-only), so none can touch more than one
		 * row: SQL_SC_UNIQUE holds, and is what reading gives. */
		if (v != SQL_SC_NON_UNIQUE && v != SQL_SC_TRY_UNIQUE && v != SQL_SC_UNIQUE)
			return dq_error(&s->h, "HY024",
					"invalid SQL_ATTR_SIMULATE_CURSOR value %lu",
					(unsigned long)v);
		if (v != SQL_SC_UNIQUE)
			return dq_warn(&s->h, "01S02",
				       "SQL_ATTR_SIMULATE_CURSOR is SQL_SC_UNIQUE: "
				       "the driver simulates no positioned update or "
				       "delete, so none affects more than one row");
		return SQL_SUCCESS;
	case SQL_ATTR_ENABLE_AUTO_IPD:
		return SQL_SUCCESS;
	case SQL_ATTR_APP_ROW_DESC:
	case SQL_ATTR_APP_PARAM_DESC: {
		dq_desc *mine = attr == SQL_ATTR_APP_ROW_DESC ? &s->ard_i : &s->apd_i;
		dq_desc *d = value ? (dq_desc *)value : mine;
		/* SQLSetStmtAttr: an explicitly allocated descriptor of this
		 * connection, or this statement's own implicit one (SQL_NULL_HDESC
		 * goes back to it) */
		if (!dq_valid(d, DQ_HDESC))
			return dq_error(&s->h, "HY024", "the value is not a descriptor handle");
		if (d->implicit && d != mine)
			return dq_error(&s->h, "HY017", "an implicitly allocated descriptor "
					"(another statement's) cannot be used here");
		if (d->dbc != s->dbc)
			return dq_error(&s->h, "HY024", "the descriptor belongs to another "
					"connection");
		if (attr == SQL_ATTR_APP_ROW_DESC)
			s->ard = d;
		else
			s->apd = d;
		return SQL_SUCCESS;
	}
	case SQL_ATTR_IMP_ROW_DESC:
	case SQL_ATTR_IMP_PARAM_DESC:
		return dq_error(&s->h, "HY017", "implementation descriptors cannot be replaced");
	default:
		return dq_error(&s->h, "HY092", "unknown statement attribute %d", (int)attr);
	}
}

SQLRETURN dq_get_stmt_attr(dq_stmt *s, SQLINTEGER attr, SQLPOINTER value,
			   SQLINTEGER buflen, SQLINTEGER *outlen)
{
	SQLULEN v;
	SQLPOINTER p;
	(void)buflen;
	switch (attr) {
	case SQL_ATTR_ROW_ARRAY_SIZE: v = s->ard->array_size; break;
	case SQL_ROWSET_SIZE: v = s->rowset_size; break;
	case SQL_ATTR_ROW_BIND_TYPE: v = (SQLULEN)s->ard->bind_type; break;
	case SQL_ATTR_PARAMSET_SIZE: v = s->apd->array_size; break;
	case SQL_ATTR_PARAM_BIND_TYPE: v = (SQLULEN)s->apd->bind_type; break;
	case SQL_ATTR_MAX_ROWS: v = s->max_rows; break;
	case SQL_ATTR_QUERY_TIMEOUT: v = s->query_timeout; break;
	case SQL_ATTR_MAX_LENGTH: v = s->max_length; break;
	case SQL_ATTR_NOSCAN: v = s->noscan; break;
	case SQL_ATTR_RETRIEVE_DATA: v = s->retrieve_data; break;
	case SQL_ATTR_METADATA_ID: v = s->metadata_id; break;
	case SQL_ATTR_USE_BOOKMARKS: v = SQL_UB_OFF; break;
	case SQL_ATTR_ASYNC_ENABLE: v = s->async_enable; break;
	case SQL_ATTR_CURSOR_TYPE: v = s->cursor_type; break;
	case SQL_ATTR_CONCURRENCY: v = SQL_CONCUR_READ_ONLY; break;
	case SQL_ATTR_CURSOR_SCROLLABLE:
		v = s->cursor_type == SQL_CURSOR_STATIC ? SQL_SCROLLABLE : SQL_NONSCROLLABLE;
		break;
	case SQL_ATTR_CURSOR_SENSITIVITY: v = s->cursor_sensitivity; break;
	case SQL_ATTR_KEYSET_SIZE: v = s->keyset_size; break;
	case SQL_ATTR_SIMULATE_CURSOR: v = SQL_SC_UNIQUE; break;
	case SQL_ATTR_ENABLE_AUTO_IPD: v = SQL_FALSE; break;
	case SQL_ATTR_ROW_NUMBER: v = dq_cursor_row_number(s); break;
	case SQL_ATTR_ROW_BIND_OFFSET_PTR: p = s->ard->bind_offset_ptr; goto ptr;
	case SQL_ATTR_ROW_STATUS_PTR: p = s->ird.array_status_ptr; goto ptr;
	case SQL_ATTR_ROWS_FETCHED_PTR: p = s->ird.rows_processed_ptr; goto ptr;
	case SQL_ATTR_ROW_OPERATION_PTR: p = s->ard->array_status_ptr; goto ptr;
	case SQL_ATTR_PARAM_BIND_OFFSET_PTR: p = s->apd->bind_offset_ptr; goto ptr;
	case SQL_ATTR_PARAM_OPERATION_PTR: p = s->apd->array_status_ptr; goto ptr;
	case SQL_ATTR_PARAM_STATUS_PTR: p = s->ipd.array_status_ptr; goto ptr;
	case SQL_ATTR_PARAMS_PROCESSED_PTR: p = s->ipd.rows_processed_ptr; goto ptr;
	case SQL_ATTR_APP_ROW_DESC: p = s->ard; goto ptr;
	case SQL_ATTR_APP_PARAM_DESC: p = s->apd; goto ptr;
	case SQL_ATTR_IMP_ROW_DESC: p = &s->ird; goto ptr;
	case SQL_ATTR_IMP_PARAM_DESC: p = &s->ipd; goto ptr;
	default:
		return dq_error(&s->h, "HY092", "unknown statement attribute %d", (int)attr);
	}
	if (value)
		*(SQLULEN *)value = v;
	if (outlen)
		*outlen = sizeof v;
	return SQL_SUCCESS;
ptr:
	if (value)
		*(SQLPOINTER *)value = p;
	if (outlen)
		*outlen = sizeof p;
	return SQL_SUCCESS;
}
