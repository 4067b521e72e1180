/*
 * statement.c -- statement handles: attributes, SQLPrepare / SQLExecute /
 * SQLExecDirect, multi-statement batches, parameter arrays, SQLCancel.
 *
 * EXEC or QUERY is decided from the SQL text (sql_classify), never guessed
 * by trial: a write sent as QUERY is not replicated by servers < 1.15.
 * RETURNING is refused before anything is sent on such servers.
 */
#include "internal.h"

#include "escape.h"

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
	s->row_count = -1;
	s->metadata_id = dbc->metadata_id;
	snprintf(s->cursor_name, sizeof s->cursor_name, "SQL_CUR%p", (void *)s);
	s->next = dbc->stmts;
	dbc->stmts = s;
	*out = s;
	return SQL_SUCCESS;
}

static void finalize_prepared(dq_stmt *s)
{
	if (s->dbc->conn)
		dqc_finalize(s->dbc->conn, &s->prepared); /* no-op if stale */
	s->prepared.live = 0;
}

void dq_stmt_close_result(dq_stmt *s)
{
	dq_result_clear(s);
	for (size_t i = s->batch_pos; i < s->batch_n; i++)
		dqc_rows_close(s->batch[i].rows);
	free(s->batch);
	s->batch = NULL;
	s->batch_n = s->batch_pos = 0;
	if (s->state == DQ_S_CURSOR || s->state == DQ_S_EXECUTED ||
	    s->state == DQ_S_NEED_DATA)
		s->state = s->prepared.live || s->sql ? DQ_S_PREPARED : DQ_S_ALLOCATED;
	dq_params_reset_dae(s);
}

SQLRETURN dq_stmt_free(dq_stmt *s)
{
	dq_stmt **pp;
	dq_stmt_close_result(s);
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
	dq_schema_stmt_free(s);
	dq_diag_free(&s->h.diag);
	s->h.magic = 0;
	free(s);
	return SQL_SUCCESS;
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
	    !(dqc_features(s->dbc->conn) & DQC_FEATURE_PREPARE_TAIL))
		return dq_error(&s->h, "HYC00",
				"RETURNING needs dqlite >= 1.15: older servers "
				"return its rows without replicating the write, so "
				"the driver does not send it");
	return SQL_SUCCESS;
}

static SQLRETURN engine_failed(dq_stmt *s, int rc)
{
	dq_dbc_engine_failed(s->dbc, rc);
	return dq_engine_error(&s->h, s->dbc->conn, rc);
}

/* Per-statement timeout (SQL_ATTR_QUERY_TIMEOUT) over the connection's. */
static void timeout_push(dq_stmt *s)
{
	if (s->query_timeout)
		dqc_set_timeout(s->dbc->conn, (unsigned)s->query_timeout * 1000u);
}

static void timeout_pop(dq_stmt *s)
{
	if (s->query_timeout) {
		unsigned t = s->dbc->connection_timeout ? s->dbc->connection_timeout
							: s->dbc->cfg.timeout_s;
		dqc_set_timeout(s->dbc->conn, t * 1000u);
	}
}

/* Runs one statement: prepared (st != NULL) or as text. On success either
 * *rows is a result or *count the rows affected. */
static SQLRETURN run_one(dq_stmt *s, const char *sql, dqc_stmt *st,
			 const dqc_sql_info *info, const dqc_value *vals,
			 unsigned n, dqc_rows **rows, SQLLEN *count)
{
	dqc_conn *c = s->dbc->conn;
	dqc_result res = {0, 0};
	SQLRETURN ret;
	int rc;

	*rows = NULL;
	*count = -1;
	ret = refuse_returning(s, info);
	if (ret != SQL_SUCCESS)
		return ret;
	if (s->dbc->access_mode == SQL_MODE_READ_ONLY && info->is_write)
		return dq_error(&s->h, "25000",
				"the connection is read-only (SQL_ATTR_ACCESS_MODE)");
	ret = dq_tx_begin_if_needed(s->dbc, &s->h);
	if (ret != SQL_SUCCESS)
		return ret;
	c = s->dbc->conn;
	if (st && st->generation != dqc_generation(c)) {
		/* reconnected since it was prepared: prepare again */
		rc = dqc_prepare(c, sql, st);
		if (rc != 0)
			return engine_failed(s, rc);
	}
	if (info->kind == DQC_SQL_SELECT)
		dq_schema_prefetch(s, sql);
	timeout_push(s);
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
	timeout_pop(s);
	if (rc != 0)
		return engine_failed(s, rc);
	dq_tx_after_statement(s->dbc, info);
	if (!*rows && (info->kind == DQC_SQL_DDL || info->kind == DQC_SQL_BEGIN ||
		       info->kind == DQC_SQL_COMMIT || info->kind == DQC_SQL_ROLLBACK ||
		       info->kind == DQC_SQL_SAVEPOINT || info->kind == DQC_SQL_RELEASE ||
		       info->kind == DQC_SQL_ROLLBACK_TO))
		*count = -1;
	return SQL_SUCCESS;
}

/* Makes batch item i the current result. */
static SQLRETURN take_item(dq_stmt *s, size_t i)
{
	dq_batch_item *it = &s->batch[i];
	s->batch_pos = i + 1;
	if (it->rows) {
		dqc_rows *r = it->rows;
		it->rows = NULL;
		return dq_result_from_rows(s, r);
	}
	s->row_count = it->row_count;
	s->state = DQ_S_EXECUTED;
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
		dq_batch_item item = {NULL, -1};

		if (dqc_sql_is_blank(sql + pos, end - pos)) {
			pos = end;
			continue;
		}
		piece = strndup(sql + pos, end - pos);
		if (piece == NULL)
			return dq_error(&s->h, "HY001", "memory allocation failure");
		dqc_sql_classify(piece, strlen(piece), &info);
		ret = run_one(s, piece, NULL, &info, NULL, 0, &item.rows,
			      &item.row_count);
		free(piece);
		if (ret != SQL_SUCCESS)
			break;
		if (s->batch_n % 8 == 0) {
			dq_batch_item *b = realloc(s->batch, (s->batch_n + 8) * sizeof *b);
			if (b == NULL) {
				dqc_rows_close(item.rows);
				return dq_error(&s->h, "HY001", "memory allocation failure");
			}
			s->batch = b;
		}
		s->batch[s->batch_n++] = item;
		pos = end;
	}
	if (ret != SQL_SUCCESS) {
		dq_stmt_close_result(s);
		return ret;
	}
	if (s->batch_n == 0) {
		s->row_count = -1;
		s->state = DQ_S_EXECUTED;
		return SQL_SUCCESS;
	}
	return take_item(s, 0);
}

/* Parameter arrays: every set's EXEC is pipelined, replies read in order. */
static SQLRETURN run_array(dq_stmt *s, unsigned n)
{
	SQLULEN size = s->apd->array_size, done = 0, ok = 0;
	SQLUSMALLINT *status = s->ipd.array_status_ptr;
	SQLUSMALLINT *ops = s->apd->array_status_ptr;
	dqc_value *vals = calloc(n ? n : 1, sizeof *vals);
	SQLLEN total = 0;
	dqc_conn *c = s->dbc->conn;
	SQLRETURN ret;

	if (vals == NULL)
		return dq_error(&s->h, "HY001", "memory allocation failure");
	ret = dq_tx_begin_if_needed(s->dbc, &s->h);
	if (ret != SQL_SUCCESS) {
		free(vals);
		return ret;
	}
	c = s->dbc->conn;
	if (s->prepared.generation != dqc_generation(c)) {
		int rc = dqc_prepare(c, s->sql, &s->prepared);
		if (rc != 0) {
			free(vals);
			return engine_failed(s, rc);
		}
	}
	for (SQLULEN base = 0; base < size; base += PIPELINE_CHUNK) {
		SQLULEN end = base + PIPELINE_CHUNK < size ? base + PIPELINE_CHUNK : size;
		unsigned char queued[PIPELINE_CHUNK];
		dq_arena arena = {0};
		for (SQLULEN r = base; r < end; r++) {
			queued[r - base] = 0;
			if (ops && ops[r] == SQL_PARAM_IGNORE) {
				if (status)
					status[r] = SQL_PARAM_UNUSED;
				continue;
			}
			if (dq_params_build(s, r, vals, n, &arena) != SQL_SUCCESS ||
			    dqc_pipeline_exec(c, &s->prepared, vals, n) != 0) {
				if (status)
					status[r] = SQL_PARAM_ERROR;
				dq_diag_push(&s->h, "HY000", 0,
					     "parameter set %lu could not be sent",
					     (unsigned long)r + 1);
				continue;
			}
			queued[r - base] = 1;
		}
		for (SQLULEN r = base; r < end; r++) {
			dqc_result res;
			int rc;
			if (!queued[r - base])
				continue;
			rc = dqc_pipeline_recv(c, &res);
			done = r + 1;
			if (rc == 0) {
				total += (SQLLEN)res.rows_affected;
				ok++;
				if (status)
					status[r] = SQL_PARAM_SUCCESS;
				continue;
			}
			if (status)
				status[r] = SQL_PARAM_ERROR;
			dq_engine_error(&s->h, c, rc);
			s->h.diag.recs[s->h.diag.n - 1].row_number = (SQLLEN)r + 1;
			if (rc != DQC_ESERVER) { /* the link is gone */
				dq_dbc_engine_failed(s->dbc, rc);
				dq_arena_free(&arena);
				goto out;
			}
		}
		dq_arena_free(&arena);
		done = end;
	}
out:
	free(vals);
	if (s->ipd.rows_processed_ptr)
		*s->ipd.rows_processed_ptr = done;
	s->row_count = total;
	s->state = DQ_S_EXECUTED;
	if (ok > 0)
		s->dbc->tx.has_writes |= s->info.is_write;
	if (ok == 0 && size > 0)
		return SQL_ERROR;
	return ok < size ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS;
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

	if (s->apd->array_size > 1 && !s->info.returns_rows && n > 0)
		return run_array(s, n);
	vals = calloc(n ? n : 1, sizeof *vals);
	if (vals == NULL)
		return dq_error(&s->h, "HY001", "memory allocation failure");
	ret = dq_params_build(s, 0, vals, n, &arena);
	if (ret == SQL_NEED_DATA) {
		free(vals);
		dq_arena_free(&arena);
		s->state = DQ_S_NEED_DATA;
		s->dae_param = 0;
		return SQL_NEED_DATA;
	}
	if (ret == SQL_SUCCESS)
		ret = run_one(s, s->sql, &s->prepared, &s->info, vals, n, &rows, &count);
	free(vals);
	dq_arena_free(&arena);
	dq_params_reset_dae(s);
	if (ret != SQL_SUCCESS) {
		s->state = DQ_S_PREPARED;
		return ret;
	}
	if (s->ipd.rows_processed_ptr)
		*s->ipd.rows_processed_ptr = 1;
	if (s->ipd.array_status_ptr)
		s->ipd.array_status_ptr[0] = SQL_PARAM_SUCCESS;
	if (rows)
		return dq_result_from_rows(s, rows);
	s->row_count = count;
	s->state = DQ_S_EXECUTED;
	return SQL_SUCCESS;
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

static SQLRETURN set_sql(dq_stmt *s, const char *sql)
{
	char *copy;
	SQLRETURN ret = dq_escape_sql(&s->h, sql, s->noscan == SQL_NOSCAN_ON, &copy);
	if (ret != SQL_SUCCESS)
		return ret;
	dq_stmt_close_result(s);
	finalize_prepared(s);
	free(s->sql);
	s->sql = copy;
	dqc_sql_classify(copy, strlen(copy), &s->info);
	return SQL_SUCCESS;
}

SQLRETURN dq_prepare(dq_stmt *s, const char *sql)
{
	SQLRETURN ret;
	int rc;

	if (s->state == DQ_S_CURSOR)
		return dq_error(&s->h, "24000", "a cursor is open on the statement");
	ret = set_sql(s, sql);
	if (ret != SQL_SUCCESS)
		return ret;
	s->state = DQ_S_ALLOCATED;
	if (!dq_dbc_check_link(s->dbc, &s->h))
		return SQL_ERROR;
	if (!is_multi(s->sql) && s->info.kind != DQC_SQL_EMPTY) {
		ret = refuse_returning(s, &s->info);
		if (ret != SQL_SUCCESS)
			return ret;
		rc = dqc_prepare(s->dbc->conn, s->sql, &s->prepared);
		if (rc != 0)
			return engine_failed(s, rc);
	}
	s->state = DQ_S_PREPARED;
	return SQL_SUCCESS;
}

SQLRETURN dq_execute(dq_stmt *s)
{
	if (s->state == DQ_S_CURSOR)
		return dq_error(&s->h, "24000", "a cursor is open on the statement");
	if (s->state == DQ_S_NEED_DATA)
		return dq_error(&s->h, "HY010", "data at execution is pending");
	if (s->sql == NULL || s->state == DQ_S_ALLOCATED)
		return dq_error(&s->h, "HY010", "the statement is not prepared");
	dq_stmt_close_result(s);
	s->dae_direct = 0;
	if (!dq_dbc_check_link(s->dbc, &s->h))
		return SQL_ERROR;
	if (s->info.kind == DQC_SQL_EMPTY) {
		s->state = DQ_S_EXECUTED;
		return SQL_SUCCESS;
	}
	if (!s->prepared.live && !is_multi(s->sql)) {
		int rc = dqc_prepare(s->dbc->conn, s->sql, &s->prepared);
		if (rc != 0)
			return engine_failed(s, rc);
	}
	if (s->prepared.live)
		return run_prepared(s);
	return run_batch(s, s->sql);
}

SQLRETURN dq_exec_direct(dq_stmt *s, const char *sql)
{
	SQLRETURN ret;

	if (s->state == DQ_S_CURSOR)
		return dq_error(&s->h, "24000", "a cursor is open on the statement");
	ret = set_sql(s, sql);
	if (ret != SQL_SUCCESS)
		return ret;
	s->state = DQ_S_ALLOCATED;
	if (!dq_dbc_check_link(s->dbc, &s->h))
		return SQL_ERROR;
	s->state = DQ_S_PREPARED;
	if (s->apd->count > 0 && !is_multi(s->sql)) {
		/* parameters: prepare so the count is checked (07002) */
		int rc;
		ret = refuse_returning(s, &s->info);
		if (ret != SQL_SUCCESS)
			return ret;
		rc = dqc_prepare(s->dbc->conn, s->sql, &s->prepared);
		if (rc != 0)
			return engine_failed(s, rc);
		s->dae_direct = 1;
		return run_prepared(s);
	}
	return run_batch(s, s->sql);
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
	int next;
	if (s->state != DQ_S_NEED_DATA)
		return dq_error(&s->h, "HY010", "no data-at-execution parameter is pending");
	next = dq_params_next_dae(s);
	if (next == 0 || (s->dae_param && next == s->dae_param &&
			  s->dae_n >= next && s->dae[next - 1].given)) {
		SQLRETURN ret;
		s->state = DQ_S_PREPARED;
		ret = run_prepared(s);
		s->dae_param = 0;
		return ret;
	}
	if (s->dae_param && s->dae_param != next && s->dae_n >= s->dae_param &&
	    !s->dae[s->dae_param - 1].given)
		return dq_error(&s->h, "HY010", "SQLPutData was not called for parameter %d",
				s->dae_param);
	s->dae_param = next;
	if (token)
		*token = s->apd->recs[next].data_ptr;
	return SQL_NEED_DATA;
}

SQLRETURN dq_cancel(dq_stmt *s)
{
	if (s->state == DQ_S_NEED_DATA) {
		dq_params_reset_dae(s);
		s->state = DQ_S_PREPARED;
		return SQL_SUCCESS;
	}
	if (s->dbc->conn)
		dqc_cancel(s->dbc->conn);
	return SQL_SUCCESS;
}

SQLRETURN dq_free_stmt(dq_stmt *s, SQLUSMALLINT option)
{
	switch (option) {
	case SQL_CLOSE:
		dq_stmt_close_result(s);
		return SQL_SUCCESS;
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

SQLRETURN dq_set_stmt_attr(dq_stmt *s, SQLINTEGER attr, SQLPOINTER value,
			   SQLINTEGER len)
{
	SQLULEN v = (SQLULEN)(uintptr_t)value;
	(void)len;
	switch (attr) {
	case SQL_ATTR_ROW_ARRAY_SIZE:
	case SQL_ROWSET_SIZE:
		if (v < 1)
			return dq_error(&s->h, "HY024", "row array size must be >= 1");
		s->ard->array_size = v;
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
		if (v != SQL_ASYNC_ENABLE_OFF)
			return dq_error(&s->h, "HYC00", "asynchronous execution is not supported");
		return SQL_SUCCESS;
	case SQL_ATTR_CURSOR_TYPE:
		if (v != SQL_CURSOR_FORWARD_ONLY) {
			s->cursor_type = SQL_CURSOR_FORWARD_ONLY;
			return dq_warn(&s->h, "01S02",
				       "only forward-only cursors are supported; "
				       "SQL_CURSOR_FORWARD_ONLY is used");
		}
		return SQL_SUCCESS;
	case SQL_ATTR_CONCURRENCY:
		if (v != SQL_CONCUR_READ_ONLY)
			return dq_warn(&s->h, "01S02",
				       "only read-only cursors are supported");
		return SQL_SUCCESS;
	case SQL_ATTR_CURSOR_SCROLLABLE:
		if (v != SQL_NONSCROLLABLE)
			return dq_error(&s->h, "HYC00", "scrollable cursors are not supported");
		return SQL_SUCCESS;
	case SQL_ATTR_CURSOR_SENSITIVITY:
		s->cursor_sensitivity = v;
		return SQL_SUCCESS;
	case SQL_ATTR_KEYSET_SIZE: s->keyset_size = v; return SQL_SUCCESS;
	case SQL_ATTR_ENABLE_AUTO_IPD:
		return SQL_SUCCESS;
	case SQL_ATTR_APP_ROW_DESC:
		s->ard = value ? (dq_desc *)value : &s->ard_i;
		return SQL_SUCCESS;
	case SQL_ATTR_APP_PARAM_DESC:
		s->apd = value ? (dq_desc *)value : &s->apd_i;
		return SQL_SUCCESS;
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
	case SQL_ATTR_ROW_ARRAY_SIZE: case SQL_ROWSET_SIZE: v = s->ard->array_size; break;
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
	case SQL_ATTR_ASYNC_ENABLE: v = SQL_ASYNC_ENABLE_OFF; break;
	case SQL_ATTR_CURSOR_TYPE: v = SQL_CURSOR_FORWARD_ONLY; break;
	case SQL_ATTR_CONCURRENCY: v = SQL_CONCUR_READ_ONLY; break;
	case SQL_ATTR_CURSOR_SCROLLABLE: v = SQL_NONSCROLLABLE; break;
	case SQL_ATTR_CURSOR_SENSITIVITY: v = s->cursor_sensitivity; break;
	case SQL_ATTR_KEYSET_SIZE: v = s->keyset_size; break;
	case SQL_ATTR_ENABLE_AUTO_IPD: v = SQL_FALSE; break;
	case SQL_ATTR_ROW_NUMBER: v = s->res.cur ? (SQLULEN)s->res.row_number : 0; break;
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
