/*
 * describe.c -- a prepared statement described before it runs: what
 * SQLNumResultCols, SQLDescribeCol and SQLColAttribute answer between
 * SQLPrepare and SQLExecute (report builders and grid tools bind their
 * columns then).
 *
 * dqlite's PREPARE reply carries only the parameter count, so the result
 * columns are learned by running the statement changed to return no rows
 * (select_parse.h, dq_select_no_rows: LIMIT 0, which SQLite checks before
 * it reads a table or evaluates anything): one QUERY, made lazily the
 * first time the application asks, with every parameter bound to the
 * integer 0 (a LIMIT ? needs an integer; nothing else reads it). Only
 * SELECT / VALUES / WITH ... SELECT are described this way, as reads that
 * write nothing; they run inside the transaction that is open and never
 * begin one (dq_sess_before_aside). Declared types come from the schema
 * for a plain single-table SELECT, as for an execution (result_schema.c);
 * other columns are SQL_VARCHAR, as for an empty result. EXPLAIN and
 * EXPLAIN QUERY PLAN change nothing (SQLite lists the program or the plan
 * without running the statement): the text itself is sent, its first row
 * types the columns as an execution's would, and the rest is abandoned.
 * The listing PRAGMAs (table_info, index_list, ...: select_parse.h) are
 * described through their table-valued functions (SELECT * FROM
 * pragma_table_info('t') LIMIT 0), which SQLite has only for pragmas
 * without side effects. The statements that write (INSERT, UPDATE,
 * DELETE, DDL, ...) have no result set: 0 columns, no round trip. Other
 * PRAGMAs (which may write), RETURNING and multi-statement texts cannot be
 * described without running them: 0 columns until they execute.
 *
 * The description then holds for the statement's executions: a result
 * with the same number of columns keeps its types (names come from the
 * server), so what the application bound from it stays true.
 * docs/statements.md says so.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "select_parse.h"

void dq_describe_forget(dq_stmt *s)
{
	dq_param_descs_free(s->described.params);
	dq_colmeta_free(s->described.cols, s->described.ncols);
	memset(&s->described, 0, sizeof s->described);
}

/* A subquery's duplicate column name comes back from SQLite as
 * "name:N"; the statement itself calls that column "name" (wrapped
 * descriptions only). A column really named "x:1" after a column "x" is
 * indistinguishable and loses its suffix too (docs/statements.md). */
static void undo_dedup(dq_colmeta *cols, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		char *name = cols[i].name, *colon = strrchr(name, ':');
		size_t base;
		if (colon == NULL || colon == name || colon[1] == '\0' ||
		    strspn(colon + 1, "0123456789") != strlen(colon + 1))
			continue;
		base = (size_t)(colon - name);
		for (unsigned j = 0; j < i; j++)
			if (strlen(cols[j].name) == base &&
			    strncasecmp(cols[j].name, name, base) == 0) {
				*colon = '\0';
				break;
			}
	}
}

/* Sends the no-rows form of the statement (riding out a leader change as
 * a statement does). 0 with *rows, or SQL_ERROR posted. */
static SQLRETURN send_describe(dq_stmt *s, const char *sql, dqc_rows **rows)
{
	dq_session *ss = &s->dbc->sess;
	unsigned n = (unsigned)s->prepared.n_params;
	dqc_value *vals = calloc(n ? n : 1, sizeof *vals);
	dq_retry retry = {0, 0};
	SQLRETURN ret = SQL_SUCCESS;
	int rc;

	if (vals == NULL)
		return dq_error(&s->h, "HY001", "memory allocation failure");
	for (unsigned i = 0; i < n; i++)
		vals[i].type = DQC_INTEGER; /* 0 */
	for (;;) {
		int at_stake = dq_sess_at_stake(ss);
		ret = dq_sess_before_aside(ss, &s->h, &s->info);
		if (ret != SQL_SUCCESS)
			break;
		/* the declared types of a plain SELECT's table: part of the
		 * attempt, as for an execution */
		rc = dq_schema_prefetch(s, s->sql);
		if (rc == 0)
			rc = dqc_query_sql(ss->conn, sql, vals, n, rows);
		if (rc == 0)
			break;
		if (!dq_sess_retry(ss, &s->info, at_stake, &rc, &retry)) {
			ret = dq_sess_failed(ss, &s->h, rc);
			break;
		}
	}
	free(vals);
	return ret;
}

/* The columns of rows (the no-rows result of a SELECT; an EXPLAIN's whole
 * result, of which the first row types the columns), into s->described. */
static SQLRETURN take_columns(dq_stmt *s, dqc_rows *rows, int wrapped)
{
	const dqc_value *cells = NULL;
	int rc = dqc_rows_next(rows, &cells); /* a SELECT's: the end, at once */

	if (rc < 0)
		return dq_sess_rows_failed(&s->dbc->sess, &s->h, rows, rc);
	dq_schema_describe(s, s->sql, rows);
	s->described.ncols = dqc_rows_column_count(rows);
	s->described.cols = dq_result_columns(s, rows, rc > 0 ? cells : NULL);
	if (s->described.cols == NULL) {
		s->described.ncols = 0;
		return dq_error(&s->h, "HY001", "memory allocation failure");
	}
	if (wrapped)
		undo_dedup(s->described.cols, s->described.ncols);
	return SQL_SUCCESS;
}

/* Sends sql (a statement's no-rows form, or an EXPLAIN's own text) and
 * takes the columns of its result into s->described. The result is closed
 * (the rest of an EXPLAIN's listing abandoned). */
static SQLRETURN describe_by(dq_stmt *s, const char *sql, int wrapped)
{
	dqc_rows *rows = NULL;
	SQLRETURN ret = send_describe(s, sql, &rows);

	if (ret == SQL_SUCCESS)
		ret = take_columns(s, rows, wrapped);
	dqc_rows_close(rows);
	/* failed or not: a table it found missing may exist by the next
	 * statement */
	dq_sess_after_aside(&s->dbc->sess);
	return ret;
}

/* Describes a prepared SELECT by running its no-rows form. */
static SQLRETURN describe_select(dq_stmt *s)
{
	int wrapped;
	char *sql = dq_select_no_rows(s->sql, &wrapped);
	SQLRETURN ret;

	if (sql == NULL)
		return dq_error(&s->h, "HY001", "memory allocation failure");
	if (wrapped && s->prepared.names_min >= DQC_SQL_NAMES_LIMIT) {
		/* the subquery's `*` hides the names from the engine's own
		 * check: refuse here, as the execution would be */
		free(sql);
		return dq_error(&s->h, "54000",
				"the result's column names take at least %zu bytes "
				"of a %u-byte limit: dqlite servers cannot send such "
				"a result; shorten the column names or aliases",
				s->prepared.names_min, DQC_SQL_NAMES_LIMIT);
	}
	ret = describe_by(s, sql, wrapped);
	free(sql);
	return ret;
}

/* Describes a prepared EXPLAIN by running it (it changes nothing); a
 * text with more statements after it is left to its execution. */
static SQLRETURN describe_explain(dq_stmt *s)
{
	size_t len = strlen(s->sql), end = dqc_sql_statement_end(s->sql, len);

	if (!dqc_sql_is_blank(s->sql + end, len - end)) {
		s->described.unknown = 1;
		return SQL_SUCCESS;
	}
	return describe_by(s, s->sql, 0);
}

/* Describes a prepared listing PRAGMA through its table-valued function;
 * any other PRAGMA is left to its execution. */
static SQLRETURN describe_pragma(dq_stmt *s)
{
	int other;
	char *sql = dq_pragma_no_rows(s->sql, &other);
	SQLRETURN ret;

	if (sql == NULL) {
		if (!other)
			return dq_error(&s->h, "HY001", "memory allocation failure");
		s->described.unknown = 1;
		return SQL_SUCCESS;
	}
	ret = describe_by(s, sql, 0);
	free(sql);
	return ret;
}

SQLRETURN dq_describe_prepared(dq_stmt *s)
{
	SQLRETURN ret = SQL_SUCCESS;

	if (s->described.done)
		return SQL_SUCCESS;
	if (s->info.kind == DQC_SQL_SELECT && s->prepared.live)
		ret = describe_select(s);
	else if (s->info.kind == DQC_SQL_EXPLAIN && s->prepared.live)
		ret = describe_explain(s);
	else if (s->info.kind == DQC_SQL_PRAGMA && s->prepared.live)
		ret = describe_pragma(s);
	else
		s->described.unknown = s->info.returns_rows ||
				       (!s->prepared.live && s->info.kind != DQC_SQL_EMPTY);
	if (ret == SQL_SUCCESS)
		s->described.done = 1;
	else
		dq_describe_forget(s);
	return ret;
}

/* Replaces a string field of m by a copy of src (NULL stays NULL). */
static int copy_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? strdup(src) : NULL;
	return src == NULL || *dst != NULL;
}

int dq_describe_pin(dq_stmt *s, dq_colmeta *cols, unsigned n)
{
	const dq_described *d = &s->described;

	if (!d->done || d->ncols != n)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		const dq_colmeta *m = &d->cols[i];
		dq_colmeta_copy_type(&cols[i], m);
		if (!copy_str(&cols[i].table_name, m->table_name) ||
		    !copy_str(&cols[i].base_column_name, m->base_column_name) ||
		    !copy_str(&cols[i].type_name, m->type_name))
			return -1;
	}
	return 0;
}
