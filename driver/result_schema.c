/*
 * result_schema.c -- a result's column names and types: from the first
 * row, and from the schema for statements that read one plain table.
 *
 * Column types: dqlite sends a type per cell, not per column, so a result's
 * column types are read from its first row (which arrives with the QUERY
 * reply, so this costs no round trip): INTEGER -> SQL_BIGINT, FLOAT ->
 * SQL_DOUBLE, TEXT -> SQL_VARCHAR (SQL_TYPE_DATE / TIME / TIMESTAMP when
 * the text is a date, time or timestamp), BLOB -> SQL_VARBINARY, BOOLEAN
 * -> SQL_BIT, ISO8601 / UNIXTIME -> SQL_TYPE_TIMESTAMP; NULL or no rows ->
 * SQL_VARCHAR. docs/types.md states this rule and the next.
 *
 * The first row cannot tell a DECIMAL from a REAL, a VARCHAR(40) from a
 * TEXT, says nothing about nullability, and leaves an empty result all
 * VARCHAR. So when the statement is
 *
 *     SELECT [DISTINCT|ALL] item, ... FROM [schema.]table [[AS] alias] [rest]
 *
 * with one table and no join or compound (UNION, ...), the items that are
 * `*`, `t.*` or a bare column reference (optionally aliased) take the
 * declared type of that column (types.h), its nullability and its base
 * table / column names. Expressions keep the first-row rule. A declared
 * type is not used when the first row's value contradicts it (text in an
 * INTEGER column, say: SQLite's flexible typing allows that), so a
 * description never promises a conversion the data cannot make.
 *
 * The parse is select_parse.c's. The schema of a table is read once per
 * transaction (one round trip, before the query is sent so a streaming
 * result is never buffered for it) into the session's schema cache
 * (schema_cache.h).
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "convert.h"
#include "select_parse.h"

/* The mapping computed for one result (freed once applied). */
struct dq_src {
	dqc_rows *rows;
	unsigned ncols;
	dq_colmeta *cols; /* sql_type 0 = no declared information */
};

/* The last text parsed on a statement: a prepared SELECT run many times
 * is parsed once. */
struct dq_parse {
	char *sql;
	int plain;     /* a plain single-table SELECT: ps and key are set */
	dq_plain_select ps;
	char *key;     /* ps.table lower-cased: the cache key */
};

static void parse_free(struct dq_parse *p)
{
	if (p == NULL)
		return;
	if (p->plain)
		dq_plain_select_free(&p->ps);
	free(p->sql);
	free(p->key);
	free(p);
}

static char *lower_dup(const char *s)
{
	char *d = strdup(s);
	for (char *p = d; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* sql's parse, or NULL when it is not a plain SELECT (or on ENOMEM). */
static const struct dq_parse *parse(dq_stmt *s, const char *sql)
{
	struct dq_parse *p = s->parse;
	if (p && strcmp(p->sql, sql) == 0)
		return p->plain ? p : NULL;
	parse_free(p);
	s->parse = p = calloc(1, sizeof *p);
	if (p == NULL)
		return NULL;
	p->sql = strdup(sql);
	if (p->sql == NULL) {
		parse_free(p);
		s->parse = NULL;
		return NULL;
	}
	p->plain = dq_parse_plain_select(sql, &p->ps);
	if (p->plain && (p->key = lower_dup(p->ps.table)) == NULL) {
		dq_plain_select_free(&p->ps);
		p->plain = 0;
	}
	return p->plain ? p : NULL;
}

int dq_schema_prefetch(dq_stmt *s, const char *sql)
{
	const struct dq_parse *p = parse(s, sql);
	const dq_schema_table *t;

	if (p == NULL)
		return 0;
	return dq_sess_schema(&s->dbc->sess, p->key, p->ps.table, &t);
}

/* ------------------------------------------------------------ the mapping */

static void src_free(struct dq_src *src)
{
	if (src == NULL)
		return;
	dq_colmeta_free(src->cols, src->ncols);
	free(src);
}

static const dq_schema_col *find_col(const dq_schema_table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcasecmp(t->cols[i].name, name) == 0)
			return &t->cols[i];
	return NULL;
}

static int set_meta(dq_colmeta *m, const dq_schema_table *t, const dq_schema_col *c)
{
	if (c->decl.name[0] == '\0')
		return 0; /* no declared type: nothing better than the cells */
	m->sql_type = c->decl.sql_type;
	m->column_size = c->decl.size;
	m->decimal_digits = c->decl.digits;
	m->display = c->decl.display;
	m->octets = c->decl.octets;
	m->nullable = c->not_null ? SQL_NO_NULLS : SQL_NULLABLE;
	m->auto_unique = c->alias;
	m->declared_known = 1;
	m->table_name = strdup(t->name);
	m->base_column_name = strdup(c->name);
	m->type_name = strdup(c->decl.name);
	return m->table_name && m->base_column_name && m->type_name ? 0 : -1;
}

void dq_schema_describe(dq_stmt *s, const char *sql, dqc_rows *rows)
{
	const struct dq_parse *p;
	const dq_plain_select *ps;
	const dq_schema_table *t;
	struct dq_src *src;
	unsigned ncols = dqc_rows_column_count(rows), k = 0;

	src_free(s->src);
	s->src = NULL;
	if ((p = parse(s, sql)) == NULL)
		return;
	ps = &p->ps;
	t = dq_schema_find(s->dbc->sess.schema, p->key);
	src = t && t->name ? calloc(1, sizeof *src) : NULL;
	if (src)
		src->cols = calloc(ncols ? ncols : 1, sizeof *src->cols);
	if (src == NULL || src->cols == NULL) {
		free(src);
		return;
	}
	src->rows = rows;
	src->ncols = ncols;
	for (int i = 0; i < ps->nitems && k <= ncols; i++) {
		if (ps->items[i].star) {
			for (int j = 0; j < t->ncols; j++)
				if (t->cols[j].star && k++ < ncols)
					set_meta(&src->cols[k - 1], t, &t->cols[j]);
		} else if (k++ < ncols && ps->items[i].column) {
			const dq_schema_col *c = find_col(t, ps->items[i].column);
			if (c)
				set_meta(&src->cols[k - 1], t, c);
		}
	}
	if (k != ncols) { /* the schema and the result disagree: trust cells */
		src_free(src);
		return;
	}
	s->src = src;
}

/* 1 when the cell's value fits the declared type's family. */
static int cell_fits(SQLSMALLINT t, const dqc_value *v)
{
	switch (v->type) {
	case DQC_NULL:
		return 1;
	case DQC_INTEGER:
		return t != SQL_TYPE_DATE && t != SQL_TYPE_TIME && t != SQL_TYPE_TIMESTAMP &&
		       t != SQL_BINARY && t != SQL_VARBINARY && t != SQL_LONGVARBINARY;
	case DQC_FLOAT:
		return t == SQL_FLOAT || t == SQL_DOUBLE || t == SQL_REAL || t == SQL_NUMERIC ||
		       t == SQL_DECIMAL || t == SQL_CHAR || t == SQL_VARCHAR ||
		       t == SQL_LONGVARCHAR || t == SQL_WCHAR || t == SQL_WVARCHAR ||
		       t == SQL_WLONGVARCHAR;
	case DQC_BLOB:
		return t == SQL_BINARY || t == SQL_VARBINARY || t == SQL_LONGVARBINARY;
	case DQC_BOOLEAN:
		return t == SQL_BIT;
	case DQC_UNIXTIME:
		return t == SQL_TYPE_TIMESTAMP || t == SQL_TYPE_DATE;
	case DQC_ISO8601:
	case DQC_TEXT:
		if (t == SQL_TYPE_DATE || t == SQL_TYPE_TIME || t == SQL_TYPE_TIMESTAMP) {
			SQL_TIMESTAMP_STRUCT ts;
			int d, tm;
			return v->v.text.len == 0 ||
			       dq_parse_datetime(v->v.text.ptr, v->v.text.len, &ts, &d, &tm) >= 0;
		}
		return t == SQL_CHAR || t == SQL_VARCHAR || t == SQL_LONGVARCHAR ||
		       t == SQL_WCHAR || t == SQL_WVARCHAR || t == SQL_WLONGVARCHAR;
	default:
		return 0;
	}
}

void dq_schema_apply(dq_stmt *s, dqc_rows *rows, const dqc_value *first,
		     dq_colmeta *cols, unsigned ncols)
{
	struct dq_src *src = s->src;
	if (src == NULL || src->rows != rows || src->ncols != ncols)
		return;
	for (unsigned i = 0; i < ncols; i++) {
		dq_colmeta *m = &src->cols[i];
		if (!m->declared_known || (first && !cell_fits(m->sql_type, &first[i])))
			continue;
		dq_colmeta_copy_type(&cols[i], m); /* declared_known: 1 */
		/* the names move to the result */
		cols[i].table_name = m->table_name;
		cols[i].base_column_name = m->base_column_name;
		cols[i].type_name = m->type_name;
		m->table_name = m->base_column_name = m->type_name = NULL;
	}
	src_free(src);
	s->src = NULL;
}

void dq_schema_stmt_free(dq_stmt *s)
{
	src_free(s->src);
	s->src = NULL;
	parse_free(s->parse);
	s->parse = NULL;
}

static SQLSMALLINT sql_type_of(const dqc_value *v)
{
	switch (v->type) {
	case DQC_INTEGER: return SQL_BIGINT;
	case DQC_FLOAT: return SQL_DOUBLE;
	case DQC_BLOB: return SQL_VARBINARY;
	case DQC_BOOLEAN: return SQL_BIT;
	case DQC_UNIXTIME: return SQL_TYPE_TIMESTAMP;
	case DQC_ISO8601:
	case DQC_TEXT: {
		SQL_TIMESTAMP_STRUCT ts;
		int d, t;
		if (v->v.text.len < 5 || v->v.text.len > 40 ||
		    dq_parse_datetime(v->v.text.ptr, v->v.text.len, &ts, &d, &t) < 0)
			return v->type == DQC_ISO8601 ? SQL_TYPE_TIMESTAMP : SQL_VARCHAR;
		return d && t ? SQL_TYPE_TIMESTAMP : d ? SQL_TYPE_DATE : SQL_TYPE_TIME;
	}
	default: return SQL_VARCHAR;
	}
}

dq_colmeta *dq_result_columns(dq_stmt *s, dqc_rows *rows, const dqc_value *first)
{
	unsigned n = dqc_rows_column_count(rows);
	dq_colmeta *cols = calloc(n ? n : 1, sizeof *cols);

	if (cols == NULL)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		cols[i].name = strdup(dqc_rows_column_name(rows, i));
		cols[i].sql_type = first ? sql_type_of(&first[i]) : SQL_VARCHAR;
		cols[i].nullable = SQL_NULLABLE_UNKNOWN;
		if (cols[i].name == NULL) {
			dq_colmeta_free(cols, n);
			return NULL;
		}
	}
	dq_schema_apply(s, rows, first, cols, n);
	return cols;
}
