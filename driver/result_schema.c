/*
 * result_schema.c -- result-column types from the schema, for statements
 * that read one plain table.
 *
 * dqlite sends a type per cell, not the declared type of a column, so
 * results.c types columns from the first row. That cannot tell a DECIMAL
 * from a REAL, a VARCHAR(40) from a TEXT, says nothing about nullability,
 * and leaves an empty result all VARCHAR. When the statement is
 *
 *     SELECT [DISTINCT|ALL] item, ... FROM [schema.]table [[AS] alias] [rest]
 *
 * with one table and no join or compound (UNION, ...), the items that are
 * `*`, `t.*` or a bare column reference (optionally aliased) take the
 * declared type of that column (decltype.c), its nullability and its base
 * table / column names. Expressions keep the first-row rule. A declared
 * type is not used when the first row's value contradicts it (text in an
 * INTEGER column, say: SQLite's flexible typing allows that), so a
 * description never promises a conversion the data cannot make.
 *
 * The schema of a table is read once per transaction (one round trip,
 * before the query is sent so a streaming result is never buffered for
 * it) and kept on the connection until the transaction ends or this
 * connection runs DDL. Other clients' DDL cannot change what a running
 * transaction sees, so the cache is never stale.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"

#define MAX_TABLES 32
#define MAX_ITEMS 256

typedef struct schema_col {
	char *name;
	dq_decl decl;
	int not_null;
	int alias;   /* INTEGER PRIMARY KEY (the rowid) */
	int star;    /* part of SELECT * (not a hidden column) */
} schema_col;

typedef struct schema_table {
	char *key;        /* the table name as written, lower-cased ASCII */
	char *name;       /* as the schema spells it; NULL: no such table */
	schema_col *cols;
	int ncols;
} schema_table;

struct dq_schema {
	schema_table t[MAX_TABLES];
	int n;
};

/* The mapping computed for one result (freed once applied). */
struct dq_src {
	dqc_rows *rows;
	unsigned ncols;
	dq_colmeta *cols; /* sql_type 0 = no declared information */
};

/* ------------------------------------------------------------ the parser */

enum tok { T_END, T_IDENT, T_STAR, T_COMMA, T_DOT, T_LPAREN, T_RPAREN, T_SEMI, T_OTHER };

typedef struct {
	const char *p, *end;
	int type;
	const char *s;   /* token text */
	size_t n;
	int quoted;      /* identifier was "..", `..` or [..] */
} lexer;

static void skip_blank(lexer *lx)
{
	while (lx->p < lx->end) {
		if (isspace((unsigned char)*lx->p))
			lx->p++;
		else if (lx->p + 1 < lx->end && lx->p[0] == '-' && lx->p[1] == '-') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (lx->p + 1 < lx->end && lx->p[0] == '/' && lx->p[1] == '*') {
			lx->p += 2;
			while (lx->p + 1 < lx->end && !(lx->p[0] == '*' && lx->p[1] == '/'))
				lx->p++;
			lx->p = lx->p + 2 < lx->end ? lx->p + 2 : lx->end;
		} else
			break;
	}
}

static int ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static void next(lexer *lx)
{
	char close;
	skip_blank(lx);
	lx->s = lx->p;
	lx->quoted = 0;
	if (lx->p >= lx->end) {
		lx->type = T_END;
		lx->n = 0;
		return;
	}
	switch (*lx->p) {
	case '*': lx->type = T_STAR; lx->p++; break;
	case ',': lx->type = T_COMMA; lx->p++; break;
	case '.': lx->type = T_DOT; lx->p++; break;
	case '(': lx->type = T_LPAREN; lx->p++; break;
	case ')': lx->type = T_RPAREN; lx->p++; break;
	case ';': lx->type = T_SEMI; lx->p++; break;
	case '"': case '`': case '[': case '\'':
		close = *lx->p == '[' ? ']' : *lx->p;
		lx->type = *lx->p == '\'' ? T_OTHER : T_IDENT;
		lx->quoted = 1;
		for (lx->p++; lx->p < lx->end; lx->p++) {
			if (*lx->p == close) {
				if (close != ']' && lx->p + 1 < lx->end && lx->p[1] == close) {
					lx->p++;
					continue;
				}
				break;
			}
		}
		lx->s++;
		lx->n = (size_t)(lx->p - lx->s);
		if (lx->p < lx->end)
			lx->p++;
		return;
	default:
		if (ident_char((unsigned char)*lx->p) && !isdigit((unsigned char)*lx->p)) {
			lx->type = T_IDENT;
			while (lx->p < lx->end && ident_char((unsigned char)*lx->p))
				lx->p++;
		} else {
			lx->type = T_OTHER;
			lx->p++;
		}
	}
	lx->n = (size_t)(lx->p - lx->s);
}

static int is_kw(const lexer *lx, const char *kw)
{
	return lx->type == T_IDENT && !lx->quoted && strlen(kw) == lx->n &&
	       strncasecmp(lx->s, kw, lx->n) == 0;
}

/* An identifier token's text, unquoted (a doubled quote becomes one). */
static char *ident_dup(const lexer *lx)
{
	char *out = malloc(lx->n + 1), *w = out;
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < lx->n; i++) {
		*w++ = lx->s[i];
		if (lx->quoted && i + 1 < lx->n && lx->s[i] == lx->s[i + 1] &&
		    (lx->s[i] == '"' || lx->s[i] == '`'))
			i++;
	}
	*w = '\0';
	return out;
}

typedef struct {
	int star;          /* `*` or `t.*` */
	char *column;      /* a bare column reference, else NULL (expression) */
} select_item;

typedef struct {
	char *table;
	select_item items[MAX_ITEMS];
	int nitems;
} plain_select;

static void plain_free(plain_select *ps)
{
	free(ps->table);
	for (int i = 0; i < ps->nitems; i++)
		free(ps->items[i].column);
	memset(ps, 0, sizeof *ps);
}

static int is_clause_kw(const lexer *lx)
{
	static const char *const kws[] = {"WHERE", "ORDER", "GROUP", "LIMIT", "HAVING",
					  "WINDOW", "INDEXED", "NOT", NULL};
	for (int i = 0; kws[i]; i++)
		if (is_kw(lx, kws[i]))
			return 1;
	return 0;
}

/* Reads one select item up to the ',' or FROM that ends it. Only
 * `*`, `t.*`, `col`, `t.col`, each with an optional `[AS] alias`, are
 * references; anything else is an expression. */
static int parse_item(lexer *lx, select_item *it)
{
	enum { START, REF, DOT, QREF, AS, ALIASED, STAR, EXPR } st = START;
	int depth = 0;
	char *col = NULL;
	for (; lx->type != T_END && lx->type != T_SEMI; next(lx)) {
		if (depth == 0 && (lx->type == T_COMMA || is_kw(lx, "FROM")))
			break;
		if (lx->type == T_LPAREN)
			depth++;
		else if (lx->type == T_RPAREN)
			depth--;
		switch (st) {
		case START:
			st = lx->type == T_STAR ? STAR : lx->type == T_IDENT ? REF : EXPR;
			if (st == REF)
				col = ident_dup(lx);
			break;
		case REF:
		case QREF:
			st = lx->type == T_DOT && st == REF ? DOT
			     : is_kw(lx, "AS")	    ? AS
			     : lx->type == T_IDENT    ? ALIASED
						      : EXPR;
			break;
		case DOT:
			st = lx->type == T_STAR ? STAR : lx->type == T_IDENT ? QREF : EXPR;
			if (st == QREF) {
				free(col);
				col = ident_dup(lx);
			}
			break;
		case AS:
			st = lx->type == T_IDENT ? ALIASED : EXPR;
			break;
		default:
			st = EXPR;
		}
	}
	it->star = st == STAR;
	it->column = st == REF || st == QREF || st == ALIASED ? col : NULL;
	if (it->column == NULL)
		free(col);
	return depth == 0;
}

/* 1 when sql is a plain single-table SELECT; fills *ps (plain_free it). */
static int parse_plain_select(const char *sql, plain_select *ps)
{
	lexer lx = {sql, sql + strlen(sql), 0, NULL, 0, 0};
	memset(ps, 0, sizeof *ps);
	next(&lx);
	if (!is_kw(&lx, "SELECT"))
		return 0;
	next(&lx);
	if (is_kw(&lx, "DISTINCT") || is_kw(&lx, "ALL"))
		next(&lx);
	for (;;) {
		if (ps->nitems == MAX_ITEMS || !parse_item(&lx, &ps->items[ps->nitems]))
			goto no;
		ps->nitems++;
		if (lx.type != T_COMMA)
			break;
		next(&lx);
	}
	if (!is_kw(&lx, "FROM"))
		goto no;
	next(&lx);
	if (lx.type != T_IDENT)
		goto no;
	ps->table = ident_dup(&lx);
	next(&lx);
	if (lx.type == T_DOT) { /* schema.table */
		next(&lx);
		if (lx.type != T_IDENT)
			goto no;
		free(ps->table);
		ps->table = ident_dup(&lx);
		next(&lx);
	}
	if (ps->table == NULL)
		goto no;
	if (is_kw(&lx, "AS"))
		next(&lx);
	if (lx.type == T_IDENT && !is_clause_kw(&lx) && !is_kw(&lx, "JOIN") &&
	    !is_kw(&lx, "NATURAL") && !is_kw(&lx, "LEFT") && !is_kw(&lx, "INNER") &&
	    !is_kw(&lx, "CROSS") && !is_kw(&lx, "RIGHT") && !is_kw(&lx, "FULL") &&
	    !is_kw(&lx, "UNION") && !is_kw(&lx, "EXCEPT") && !is_kw(&lx, "INTERSECT"))
		next(&lx); /* the alias */
	if (lx.type != T_END && lx.type != T_SEMI && !is_clause_kw(&lx))
		goto no;
	/* No compound select anywhere at the top level. */
	for (int depth = 0; lx.type != T_END && lx.type != T_SEMI; next(&lx)) {
		if (lx.type == T_LPAREN)
			depth++;
		else if (lx.type == T_RPAREN)
			depth--;
		else if (depth == 0 && (is_kw(&lx, "UNION") || is_kw(&lx, "EXCEPT") ||
					is_kw(&lx, "INTERSECT")))
			goto no;
	}
	return 1;
no:
	plain_free(ps);
	return 0;
}

/* ------------------------------------------------------------- the cache */

static void table_free(schema_table *t)
{
	for (int i = 0; i < t->ncols; i++)
		free(t->cols[i].name);
	free(t->cols);
	free(t->key);
	free(t->name);
	memset(t, 0, sizeof *t);
}

void dq_schema_forget(dq_dbc *dbc)
{
	if (dbc->schema == NULL)
		return;
	for (int i = 0; i < dbc->schema->n; i++)
		table_free(&dbc->schema->t[i]);
	free(dbc->schema);
	dbc->schema = NULL;
}

static char *lower_dup(const char *s)
{
	char *d = strdup(s);
	for (char *p = d; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

static schema_table *cache_find(dq_dbc *dbc, const char *key)
{
	if (dbc->schema == NULL)
		return NULL;
	for (int i = 0; i < dbc->schema->n; i++)
		if (strcmp(dbc->schema->t[i].key, key) == 0)
			return &dbc->schema->t[i];
	return NULL;
}

/* Reads the table's columns into t (t->key set). 0, or -1 on a failure
 * (nothing cached then; the statement itself will report real errors). */
static int load_table(dq_dbc *dbc, schema_table *t, const char *table)
{
	static const char sql[] =
		"SELECT (SELECT name FROM sqlite_master WHERE name = ?1 COLLATE NOCASE),"
		" p.name, p.type, p.\"notnull\", p.pk, p.hidden,"
		" (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0),"
		" EXISTS (SELECT 1 FROM pragma_index_list(?1) WHERE origin = 'pk')"
		" FROM pragma_table_xinfo(?1) AS p ORDER BY p.cid";
	dqc_value p;
	dqc_rows *rows;
	const dqc_value *q;
	int rc, cap = 0;

	p.type = DQC_TEXT;
	p.v.text.ptr = table;
	p.v.text.len = strlen(table);
	if (dqc_query_sql(dbc->conn, sql, &p, 1, &rows) != 0)
		return -1;
	while ((rc = dqc_rows_next(rows, &q)) == 1 && dqc_rows_column_count(rows) >= 8) {
		schema_col *c;
		char buf[256];
		if (t->ncols == cap) {
			int ncap = cap ? cap * 2 : 16;
			schema_col *n = realloc(t->cols, (size_t)ncap * sizeof *n);
			if (n == NULL)
				break;
			t->cols = n;
			cap = ncap;
		}
		if (t->name == NULL && q[0].type == DQC_TEXT)
			t->name = strndup(q[0].v.text.ptr, q[0].v.text.len);
		c = &t->cols[t->ncols];
		memset(c, 0, sizeof *c);
		if (q[1].type != DQC_TEXT ||
		    (c->name = strndup(q[1].v.text.ptr, q[1].v.text.len)) == NULL)
			continue;
		if (q[2].type == DQC_TEXT) {
			size_t n = q[2].v.text.len < sizeof buf - 1 ? q[2].v.text.len : sizeof buf - 1;
			memcpy(buf, q[2].v.text.ptr, n);
			buf[n] = '\0';
		} else
			buf[0] = '\0';
		dq_decltype(buf, &c->decl);
		c->alias = q[4].type == DQC_INTEGER && q[4].v.integer == 1 &&
			   q[6].type == DQC_INTEGER && q[6].v.integer == 1 &&
			   q[7].type == DQC_INTEGER && q[7].v.integer == 0 &&
			   strcmp(c->decl.name, "INTEGER") == 0;
		c->not_null = (q[3].type == DQC_INTEGER && q[3].v.integer) || c->alias;
		c->star = !(q[5].type == DQC_INTEGER && q[5].v.integer == 1);
		t->ncols++;
	}
	dqc_rows_close(rows);
	return rc < 0 ? -1 : 0;
}

/* The last text parsed on a statement: a prepared SELECT run many times
 * is parsed once. */
struct dq_parse {
	char *sql;
	int plain;     /* a plain single-table SELECT: ps and key are set */
	plain_select ps;
	char *key;     /* ps.table lower-cased: the cache key */
};

static void parse_free(struct dq_parse *p)
{
	if (p == NULL)
		return;
	plain_free(&p->ps);
	free(p->sql);
	free(p->key);
	free(p);
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
	p->plain = p->sql && parse_plain_select(sql, &p->ps) &&
		   (p->key = lower_dup(p->ps.table)) != NULL;
	if (p->sql == NULL) {
		parse_free(p);
		s->parse = NULL;
		return NULL;
	}
	return p->plain ? p : NULL;
}

void dq_schema_prefetch(dq_stmt *s, const char *sql)
{
	dq_dbc *dbc = s->dbc;
	const struct dq_parse *p = parse(s, sql);
	schema_table *t;

	if (p == NULL || cache_find(dbc, p->key))
		return;
	if (dbc->schema == NULL)
		dbc->schema = calloc(1, sizeof *dbc->schema);
	if (dbc->schema == NULL || dbc->schema->n == MAX_TABLES)
		return;
	t = &dbc->schema->t[dbc->schema->n];
	memset(t, 0, sizeof *t);
	t->key = strdup(p->key);
	if (t->key && load_table(dbc, t, p->ps.table) == 0)
		dbc->schema->n++;
	else
		table_free(t);
}

/* ------------------------------------------------------------ the mapping */

static void src_free(struct dq_src *src)
{
	if (src == NULL)
		return;
	dq_colmeta_free(src->cols, src->ncols);
	free(src);
}

static const schema_col *find_col(const schema_table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcasecmp(t->cols[i].name, name) == 0)
			return &t->cols[i];
	return NULL;
}

static int set_meta(dq_colmeta *m, const schema_table *t, const schema_col *c)
{
	if (c->decl.name[0] == '\0')
		return 0; /* no declared type: nothing better than the cells */
	m->sql_type = c->decl.sql_type;
	m->column_size = c->decl.size;
	m->decimal_digits = c->decl.digits;
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
	const plain_select *ps;
	const schema_table *t;
	struct dq_src *src;
	unsigned ncols = dqc_rows_column_count(rows), k = 0;

	src_free(s->src);
	s->src = NULL;
	if ((p = parse(s, sql)) == NULL)
		return;
	ps = &p->ps;
	t = cache_find(s->dbc, p->key);
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
			const schema_col *c = find_col(t, ps->items[i].column);
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
			       dq_parse_datetime(v->v.text.ptr, v->v.text.len, &ts, &d, &tm) == 0;
		}
		return t == SQL_CHAR || t == SQL_VARCHAR || t == SQL_LONGVARCHAR ||
		       t == SQL_WCHAR || t == SQL_WVARCHAR || t == SQL_WLONGVARCHAR;
	default:
		return 0;
	}
}

void dq_schema_apply(dq_stmt *s, dqc_rows *rows, const dqc_value *first)
{
	struct dq_src *src = s->src;
	dq_result *r = &s->res;
	if (src == NULL || src->rows != rows || src->ncols != r->ncols)
		return;
	for (unsigned i = 0; i < r->ncols; i++) {
		dq_colmeta *m = &src->cols[i];
		if (!m->declared_known || (first && !cell_fits(m->sql_type, &first[i])))
			continue;
		r->cols[i].sql_type = m->sql_type;
		r->cols[i].column_size = m->column_size;
		r->cols[i].decimal_digits = m->decimal_digits;
		r->cols[i].nullable = m->nullable;
		r->cols[i].auto_unique = m->auto_unique;
		r->cols[i].declared_known = 1;
		/* the names move to the result */
		r->cols[i].table_name = m->table_name;
		r->cols[i].base_column_name = m->base_column_name;
		r->cols[i].type_name = m->type_name;
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
