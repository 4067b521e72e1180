/*
 * param_describe.c -- SQLDescribeParam: each parameter marker described
 * from what the statement says it stands for (param_parse.h): a column's
 * declared type (types.h, as SQLColumns maps it) and nullability, an
 * integer row count for LIMIT / OFFSET, else a type any value fits.
 *
 * Sizes never truncate what SQLite stores: SQLite does not enforce a
 * declared length (a VARCHAR(40) column keeps 600 characters), so a
 * character or binary target reports column size 0, "no fixed limit" (as
 * SQL Server's (max) types do; pyodbc's fast_executemany then sends such
 * values as data at execution instead of sizing buffers from it). A
 * marker without a target is SQL_VARCHAR of size 0: a value of any type
 * converts to it, and bytes bound as SQL_C_BINARY stay a BLOB.
 *
 * The first call describes every marker of the statement at once: one
 * schema lookup per table named (PRAGMA table_xinfo through the session's
 * schema cache, a read that begins no transaction, as describe.c's); the
 * answers are kept until the SQL text changes.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "param_parse.h"

typedef struct pdesc {
	SQLSMALLINT type, digits, nullable;
	SQLULEN size;
} pdesc;

/* What the statement's markers are (dq_described.params). */
struct dq_param_descs {
	int n;
	pdesc d[];
};

void dq_param_descs_free(struct dq_param_descs *d)
{
	free(d);
}

static void any_value(pdesc *d)
{
	d->type = SQL_VARCHAR;
	d->size = 0;
	d->digits = 0;
	d->nullable = SQL_NULLABLE;
}

static int unbounded(SQLSMALLINT t)
{
	switch (t) {
	case SQL_CHAR: case SQL_VARCHAR: case SQL_LONGVARCHAR:
	case SQL_WCHAR: case SQL_WVARCHAR: case SQL_WLONGVARCHAR:
	case SQL_BINARY: case SQL_VARBINARY: case SQL_LONGVARBINARY:
		return 1;
	default:
		return 0;
	}
}

static void from_column(pdesc *d, const dq_schema_col *c)
{
	any_value(d);
	d->nullable = c->not_null ? SQL_NO_NULLS : SQL_NULLABLE;
	if (c->decl.name[0] == '\0')
		return; /* no declared type: any value */
	d->type = c->decl.sql_type;
	d->size = unbounded(d->type) ? 0 : c->decl.size;
	d->digits = unbounded(d->type) ? 0 : c->decl.digits;
}

/* The cached columns of table `name` (*out NULL: no such table), read
 * through the session like a statement's (riding out a leader change).
 * SQL_SUCCESS or the failure posted. */
static SQLRETURN table_columns(dq_stmt *s, const char *name, const dq_schema_table **out)
{
	static const dqc_sql_info read = {.kind = DQC_SQL_SELECT, .returns_rows = 1};
	dq_session *ss = &s->dbc->sess;
	dq_retry retry = {0, 0};
	char *key = strdup(name);
	SQLRETURN ret;

	if (key == NULL)
		return dq_error(&s->h, "HY001", "memory allocation failure");
	for (char *p = key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (;;) {
		int at_stake = dq_sess_at_stake(ss), rc;
		ret = dq_sess_before_aside(ss, &s->h, &read);
		if (ret != SQL_SUCCESS)
			break;
		rc = dq_sess_schema(ss, key, name, out);
		if (rc == 0)
			break;
		if (!dq_sess_retry(ss, &read, at_stake, &rc, &retry)) {
			ret = dq_sess_failed(ss, &s->h, rc);
			break;
		}
	}
	free(key);
	return ret;
}

static const dq_schema_col *column_named(const dq_schema_table *t, const char *name)
{
	for (int i = 0; t && t->name && i < t->ncols; i++)
		if (strcasecmp(t->cols[i].name, name) == 0)
			return &t->cols[i];
	return NULL;
}

static const dq_schema_col *column_at(const dq_schema_table *t, int position)
{
	for (int i = 0; t && t->name && i < t->ncols; i++)
		if (t->cols[i].star && position-- == 0)
			return &t->cols[i];
	return NULL;
}

/* The column a COLUMN target names: in its table, or the first of the
 * statement's tables that has it (as SQLite resolves an unqualified name).
 * *col NULL when none. */
static SQLRETURN target_column(dq_stmt *s, const dq_param_map *m,
			       const dq_param_target *tg, const dq_schema_col **col)
{
	int n = tg->table ? 1 : m->ntables;
	SQLRETURN ret = SQL_SUCCESS;

	*col = NULL;
	for (int i = 0; i < n && *col == NULL && ret == SQL_SUCCESS; i++) {
		const dq_schema_table *t;
		ret = table_columns(s, tg->table ? tg->table : m->tables[i], &t);
		if (ret == SQL_SUCCESS)
			*col = tg->column ? column_named(t, tg->column)
					  : column_at(t, tg->position);
	}
	return ret;
}

/* Describes all n markers of s into kept->d. */
static SQLRETURN describe_all(dq_stmt *s, const dq_param_map *m,
			      struct dq_param_descs *kept)
{
	SQLRETURN ret = SQL_SUCCESS;

	for (int i = 0; i < kept->n && ret == SQL_SUCCESS; i++) {
		const dq_param_target *tg = i < m->n ? &m->targets[i] : NULL;
		const dq_schema_col *col = NULL;
		any_value(&kept->d[i]);
		if (tg && tg->kind == DQ_TARGET_COUNT) {
			kept->d[i].type = SQL_BIGINT;
			kept->d[i].size = 19;
			kept->d[i].nullable = SQL_NO_NULLS;
		} else if (tg && tg->kind == DQ_TARGET_COLUMN) {
			ret = target_column(s, m, tg, &col);
			if (col)
				from_column(&kept->d[i], col);
		}
	}
	/* what was cached outside a transaction goes with it */
	dq_sess_after_aside(&s->dbc->sess);
	return ret;
}

/* The statement's markers described (once per SQL text). */
static SQLRETURN described(dq_stmt *s, const struct dq_param_descs **out)
{
	unsigned n = (unsigned)s->prepared.n_params;
	struct dq_param_descs *kept;
	dq_param_map m;
	SQLRETURN ret;

	*out = s->described.params;
	if (*out)
		return SQL_SUCCESS;
	kept = calloc(1, sizeof *kept + (n ? n : 1) * sizeof kept->d[0]);
	if (kept == NULL || dq_param_map_parse(s->sql, &m) != 0) {
		free(kept);
		return dq_error(&s->h, "HY001", "memory allocation failure");
	}
	kept->n = (int)n;
	ret = describe_all(s, &m, kept);
	dq_param_map_free(&m);
	if (ret != SQL_SUCCESS) {
		free(kept);
		return ret;
	}
	s->described.params = kept;
	*out = kept;
	return SQL_SUCCESS;
}

SQLRETURN dq_describe_param(dq_stmt *s, SQLUSMALLINT num, SQLSMALLINT *type,
			    SQLULEN *size, SQLSMALLINT *digits,
			    SQLSMALLINT *nullable)
{
	const struct dq_param_descs *kept;
	const pdesc *d;
	SQLRETURN ret;

	if (s->sql == NULL || !s->prepared.live)
		return dq_error(&s->h, "HY010",
				"the statement is not prepared (SQLDescribeParam "
				"describes the markers of a prepared single statement)");
	if (num < 1 || num > s->prepared.n_params)
		return dq_error(&s->h, "07009",
				"invalid parameter number %u (the statement has %u)",
				num, (unsigned)s->prepared.n_params);
	ret = described(s, &kept);
	if (ret != SQL_SUCCESS)
		return ret;
	d = &kept->d[num - 1];
	if (type) *type = d->type;
	if (size) *size = d->size;
	if (digits) *digits = d->digits;
	if (nullable) *nullable = d->nullable;
	return SQL_SUCCESS;
}
