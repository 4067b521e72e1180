/*
 * statement.c -- prepared statements, EXEC / QUERY, results and pipelining
 * on a connection: each public call checks its arguments, refuses what a
 * server cannot survive, encodes the request and lets the request machine
 * (machine.h) carry it.
 */
#include "conn.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql_classify.h"

static int need_db(dqc_conn *c)
{
	if (!c->db_open)
		return dqe_conn_error(c, DQC_EINVAL, "no database is open");
	return 0;
}

/* Encoders leave the buffer as it was on failure, so requests queued
 * before (pipelining) are intact. */
static int encode_failed(dqc_conn *c, int wrc)
{
	if (wrc == DQW_ENOMEM)
		return dqe_conn_error(c, DQC_ENOMEM, "out of memory");
	if (wrc == DQW_ETOOBIG)
		return dqe_conn_error(c, DQC_EINVAL,
				      "request too large (more than 255 parameters "
				      "need a newer server)");
	return dqe_conn_error(c, DQC_EINVAL,
			      "a parameter has a type that cannot be sent");
}

/* Parameter tuple schema for n parameters, or an error. */
static int params_schema(dqc_conn *c, unsigned n, int *schema)
{
	*schema = 0;
	if (n <= 255)
		return 0;
	if (!(c->features & DQC_FEATURE_PARAMS_SCHEMA1))
		return dqe_conn_error(c, DQC_EUNSUPPORTED,
				      "%u parameters: this dqlite server accepts at "
				      "most 255 (more need dqlite >= 1.12)", n);
	*schema = 1;
	return 0;
}

static int check_stmt(dqc_conn *c, const dqc_stmt *st)
{
	if (st == NULL || !st->live || st->generation != c->generation)
		return dqe_conn_error(c, DQC_ESTALE,
				      "statement is not prepared on the current "
				      "connection (finalized, or the connection was "
				      "re-established)");
	return 0;
}

static int check_exec(dqc_conn *c, const dqc_stmt *st, unsigned n, int *schema)
{
	int rc = check_stmt(c, st);
	if (rc != 0)
		return rc;
	/* The server keeps stale bindings from a previous execution: always
	 * send exactly as many values as it counted. */
	if (n != st->n_params)
		return dqe_conn_error(c, DQC_EINVAL,
				      "statement has %llu parameters, %u given",
				      (unsigned long long)st->n_params, n);
	return params_schema(c, n, schema);
}

/* The safety checks of a QUERY (see dqc_query in dqlite_client.h). */
static int check_query(dqc_conn *c, int writes, size_t names_min)
{
	if (writes && !(c->features & DQC_FEATURE_PREPARE_TAIL))
		return dqe_conn_error(c, DQC_EUNSUPPORTED,
				      "a statement that modifies data cannot return "
				      "rows on this dqlite server (it would not "
				      "replicate the write; needs dqlite >= 1.15)");
	if (names_min >= DQC_SQL_NAMES_LIMIT)
		return dqe_conn_error(c, DQC_ETOOWIDE,
				      "refused before sending: the result's column "
				      "names take at least %zu bytes, and dqlite "
				      "servers can send no row after %u bytes of "
				      "names; give the columns shorter aliases or "
				      "select fewer columns",
				      names_min, DQC_SQL_NAMES_LIMIT);
	return 0;
}

int dqc_prepare(dqc_conn *c, const char *sql, dqc_stmt *st)
{
	dqw_header h;
	const uint8_t *body;
	dqw_stmt_info si;
	dqc_sql_info info;
	int schema = (c->features & DQC_FEATURE_PREPARE_TAIL) ? 1 : 0;
	int rc;

	st->live = 0;
	dqe_conn_enter(c, c->timeout_ms);
	dqe_machine_clear_error(&c->m);
	rc = need_db(c); /* before begin settles an open result for nothing */
	if (rc == 0)
		rc = dqe_machine_begin(&c->m);
	if (rc == 0 && (rc = dqw_encode_prepare(&c->m.out, c->m.db_id, sql,
						schema)) != DQW_OK)
		rc = encode_failed(c, rc);
	if (rc == 0)
		rc = dqe_machine_roundtrip(&c->m, DQW_RESP_STMT, &h, &body);
	if (rc == 0 && dqw_decode_stmt(body, dqw_body_size(&h), h.schema, &si) != DQW_OK)
		rc = dqe_machine_malformed(&c->m, "STMT");
	if (rc != 0)
		return dqe_conn_leave_rc(c, rc);
	dqc_sql_classify(sql, strlen(sql), &info);
	st->id = si.id;
	st->n_params = si.n_params;
	st->tail_offset = si.tail_offset;
	st->generation = c->generation;
	st->writes = info.is_write;
	st->names_min = dqc_sql_names_min(sql, strlen(sql));
	st->live = 1;
	return dqe_conn_leave_rc(c, 0);
}

int dqc_finalize(dqc_conn *c, dqc_stmt *st)
{
	dqw_header h;
	const uint8_t *body;
	int rc;

	if (st == NULL || !st->live || st->generation != c->generation ||
	    !c->connected || !c->m.up) {
		if (st)
			st->live = 0;
		return 0;
	}
	/* Never again, whatever happens next: a second FINALIZE of the same
	 * id crashes real servers. */
	st->live = 0;
	dqe_conn_enter(c, c->timeout_ms);
	rc = dqe_machine_begin(&c->m);
	if (rc == 0 && dqw_encode_finalize(&c->m.out, c->m.db_id, st->id) != DQW_OK)
		rc = encode_failed(c, DQW_ENOMEM);
	if (rc == 0)
		rc = dqe_machine_roundtrip(&c->m, DQW_RESP_EMPTY, &h, &body);
	return dqe_conn_leave_rc(c, rc);
}

/* One statement request: a prepared statement (st) or SQL text, its
 * parameters, EXEC or QUERY. */
typedef struct request {
	const dqc_stmt *st;
	const char *sql;
	const dqc_value *params;
	unsigned n;
	int query;
} request;

/* Checks q against the connection and the safety rules: 0 with the
 * parameter schema to use, or the refusal. Pure: run before
 * dqe_machine_begin, which may have to settle an open result first. */
static int check_request(dqc_conn *c, const request *q, int *schema)
{
	int rc;

	if (q->st)
		rc = check_exec(c, q->st, q->n, schema);
	else if ((rc = need_db(c)) == 0)
		rc = params_schema(c, q->n, schema);
	if (rc == 0 && q->query && q->st) {
		rc = check_query(c, q->st->writes, q->st->names_min);
	} else if (rc == 0 && q->query) {
		size_t len = strlen(q->sql);
		dqc_sql_info info;
		dqc_sql_classify(q->sql, len, &info);
		rc = check_query(c, info.is_write, dqc_sql_names_min(q->sql, len));
	}
	return rc;
}

/* Appends q (checked) to the machine's output. */
static int encode_request(dqc_conn *c, const request *q, int schema)
{
	dqw_buf *out = &c->m.out;
	uint32_t db = c->m.db_id;
	int rc;

	if (q->st)
		rc = q->query ? dqw_encode_query(out, db, q->st->id, q->params, q->n, schema)
			      : dqw_encode_exec(out, db, q->st->id, q->params, q->n, schema);
	else
		rc = q->query ? dqw_encode_query_sql(out, db, q->sql, q->params, q->n, schema)
			      : dqw_encode_exec_sql(out, db, q->sql, q->params, q->n, schema);
	return rc == DQW_OK ? 0 : encode_failed(c, rc);
}

/* Opens the call's scope and queues q as the only request; the caller
 * ends with dqe_conn_leave_rc(). */
static int start_request(dqc_conn *c, const request *q)
{
	int schema = 0, rc; /* (set by check_request on success) */

	dqe_conn_enter(c, c->timeout_ms);
	dqe_machine_clear_error(&c->m);
	rc = check_request(c, q, &schema);
	if (rc == 0)
		rc = dqe_machine_begin(&c->m);
	return rc == 0 ? encode_request(c, q, schema) : rc;
}

/* An EXEC or EXEC_SQL and its RESULT. */
static int exec_request(dqc_conn *c, const request *q, dqc_result *res)
{
	dqw_header h;
	const uint8_t *body;
	dqw_result r;
	int rc = start_request(c, q);

	if (rc == 0)
		rc = dqe_machine_roundtrip(&c->m, DQW_RESP_RESULT, &h, &body);
	if (rc == 0 && dqw_decode_result(body, dqw_body_size(&h), &r) != DQW_OK)
		rc = dqe_machine_malformed(&c->m, "RESULT");
	if (rc == 0 && res) {
		res->last_insert_id = r.last_insert_id;
		res->rows_affected = r.rows_affected;
	}
	return dqe_conn_leave_rc(c, rc);
}

/* A QUERY or QUERY_SQL and the start of its result. */
static int query_request(dqc_conn *c, const request *q, dqc_rows **rows)
{
	int rc;

	*rows = NULL;
	rc = start_request(c, q);
	if (rc == 0)
		rc = dqe_machine_query(&c->m, c->max_rows, c->max_pages, rows);
	return dqe_conn_leave_rc(c, rc);
}

int dqc_exec(dqc_conn *c, dqc_stmt *st, const dqc_value *params, unsigned n,
	     dqc_result *res)
{
	request q = {st, NULL, params, n, 0};
	return exec_request(c, &q, res);
}

int dqc_exec_sql(dqc_conn *c, const char *sql, const dqc_value *params,
		 unsigned n, dqc_result *res)
{
	request q = {NULL, sql, params, n, 0};
	return exec_request(c, &q, res);
}

int dqc_query(dqc_conn *c, dqc_stmt *st, const dqc_value *params, unsigned n,
	      dqc_rows **rows)
{
	request q = {st, NULL, params, n, 1};
	return query_request(c, &q, rows);
}

int dqc_query_sql(dqc_conn *c, const char *sql, const dqc_value *params,
		  unsigned n, dqc_rows **rows)
{
	request q = {NULL, sql, params, n, 1};
	return query_request(c, &q, rows);
}

/* ---------------------------------------------------------------- results */

unsigned dqc_rows_column_count(const dqc_rows *r)
{
	return r->ncols;
}

const char *dqc_rows_column_name(const dqc_rows *r, unsigned i)
{
	return i < r->ncols ? r->names[i] : NULL;
}

int dqc_rows_complete(const dqc_rows *r)
{
	return !r->streaming;
}

const char *dqc_rows_errmsg(const dqc_rows *r)
{
	return r->errmsg;
}

uint64_t dqc_rows_server_code(const dqc_rows *r)
{
	return r->err_code;
}

/* The conn a streaming result belongs to (its machine is the conn's). */
static dqc_conn *rows_conn(const dqc_rows *r)
{
	return r->m ? (dqc_conn *)((char *)r->m - offsetof(dqc_conn, m)) : NULL;
}

int dqc_rows_next(dqc_rows *r, const dqc_value **cells)
{
	for (;;) {
		int k = dqe_rows_step(r, cells);
		dqc_conn *c;
		if (k == DQE_ROWS_ROW)
			return 1;
		if (k == DQE_ROWS_END)
			return 0;
		c = rows_conn(r);
		if (k < 0) {
			/* a cap or a malformed row: the stream must stop */
			dqc_rows_abandon(r);
			return k;
		}
		/* DQE_ROWS_NEED_PAGE: r is streaming, so it has its conn */
		dqe_conn_enter(c, c->timeout_ms);
		k = dqe_machine_next_page(&c->m, r);
		dqe_conn_leave(c);
		if (k != 0)
			return k;
	}
}

int dqc_rows_abandon(dqc_rows *r)
{
	dqc_conn *c = rows_conn(r);
	int rc = 0;

	if (c && c->m.active == r) {
		dqe_conn_enter(c, c->timeout_ms);
		rc = dqe_machine_abandon(&c->m, r);
		dqe_conn_leave(c);
	}
	if (!r->finished)
		dqe_rows_fail(r, DQC_ECLOSED, 0, "the result was closed");
	return rc;
}

void dqc_rows_close(dqc_rows *r)
{
	if (r == NULL)
		return;
	dqc_rows_abandon(r);
	dqe_rows_free(r);
}

/* ------------------------------------------------------------ pipelining */

/* Queues an EXEC / EXEC_SQL after those already queued. */
static int pipeline_request(dqc_conn *c, const request *q)
{
	int schema = 0, rc; /* (set by check_request on success) */

	dqe_conn_enter(c, c->timeout_ms);
	if (c->m.pending == 0) /* the first of a pipeline */
		dqe_machine_clear_error(&c->m);
	rc = check_request(c, q, &schema);
	if (rc == 0 && c->m.pending == 0)
		rc = dqe_machine_begin(&c->m);
	if (rc == 0)
		rc = encode_request(c, q, schema);
	if (rc == 0)
		dqe_machine_queued(&c->m);
	return dqe_conn_leave_rc(c, rc);
}

int dqc_pipeline_exec(dqc_conn *c, dqc_stmt *st, const dqc_value *params,
		      unsigned n)
{
	request q = {st, NULL, params, n, 0};
	return pipeline_request(c, &q);
}

int dqc_pipeline_exec_sql(dqc_conn *c, const char *sql,
			  const dqc_value *params, unsigned n)
{
	request q = {NULL, sql, params, n, 0};
	return pipeline_request(c, &q);
}

int dqc_pipeline_flush(dqc_conn *c)
{
	int rc;
	dqe_conn_enter(c, c->timeout_ms);
	rc = dqe_machine_flush(&c->m);
	return dqe_conn_leave_rc(c, rc);
}

unsigned dqc_pipeline_pending(const dqc_conn *c)
{
	return c->m.pending;
}

int dqc_pipeline_recv(dqc_conn *c, dqc_result *res)
{
	dqw_result r;
	int rc;

	dqe_conn_enter(c, c->timeout_ms);
	rc = dqe_machine_pipeline_recv(&c->m, &r);
	if (rc == 0 && res) {
		res->last_insert_id = r.last_insert_id;
		res->rows_affected = r.rows_affected;
	}
	return dqe_conn_leave_rc(c, rc);
}
