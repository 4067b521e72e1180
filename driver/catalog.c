/*
 * catalog.c -- the shared machinery of the catalog functions (catalog.h)
 * and the ones with the least to say: SQLTables, SQLProcedures,
 * SQLProcedureColumns, SQLTablePrivileges, SQLColumnPrivileges.
 * Columns: catalog_columns.c. Keys and indexes: catalog_keys.c.
 */
#include "catalog.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Identifier columns: SQLite names have no limit, tools want a width. */
#define NAME_SIZE 128

/* ------------------------------------------------------------ machinery */

SQLRETURN dq_cat_begin(dq_cat *c, dq_stmt *s, const dq_catcol *cols,
		       unsigned ncols)
{
	SQLRETURN ret;

	memset(c, 0, sizeof *c);
	if ((ret = dq_stmt_no_cursor(s)) != SQL_SUCCESS)
		return ret;
	if (s->state == DQ_S_NEED_DATA)
		return dq_error(&s->h, "HY010", "data at execution is pending");
	if (!dq_sess_ready(&s->dbc->sess, &s->h))
		return SQL_ERROR;
	c->s = s;
	c->cols = cols;
	c->ncols = ncols;
	c->mem = dq_memrows_new(ncols);
	if (c->mem == NULL)
		return dq_error(&s->h, "HY001", "memory allocation failure");
	return SQL_SUCCESS;
}

SQLRETURN dq_cat_add(dq_cat *c, const dqc_value *cells)
{
	if (dq_memrows_add(c->mem, cells) != 0)
		return dq_error(&c->s->h, "HY001", "memory allocation failure");
	return SQL_SUCCESS;
}

SQLRETURN dq_cat_abort(dq_cat *c, SQLRETURN rc)
{
	dq_memrows_free(c->mem);
	c->mem = NULL;
	return rc;
}

SQLRETURN dq_cat_finish(dq_cat *c, SQLRETURN rc)
{
	return rc == SQL_SUCCESS ? dq_cat_end(c) : dq_cat_abort(c, rc);
}

SQLRETURN dq_cat_end(dq_cat *c)
{
	dq_colmeta *meta = calloc(c->ncols, sizeof *meta);
	if (meta == NULL)
		return dq_cat_abort(c, dq_error(&c->s->h, "HY001", "memory allocation failure"));
	for (unsigned i = 0; i < c->ncols; i++) {
		meta[i].name = strdup(c->cols[i].name);
		meta[i].sql_type = c->cols[i].type;
		meta[i].nullable = c->cols[i].nullable;
		if (c->cols[i].type == SQL_VARCHAR)
			meta[i].column_size = NAME_SIZE;
		if (meta[i].name == NULL) {
			dq_colmeta_free(meta, i);
			return dq_cat_abort(c, dq_error(&c->s->h, "HY001",
							"memory allocation failure"));
		}
	}
	return dq_result_from_memory(c->s, meta, c->ncols, c->mem);
}

SQLRETURN dq_cat_query(dq_cat *c, const char *sql, const dqc_value *params,
		       unsigned nparams, dq_cat_row_fn fn, void *ctx)
{
	dq_session *ss = &c->s->dbc->sess;
	dqc_rows *rows = NULL;
	const dqc_value *cells;
	SQLRETURN ret = SQL_SUCCESS;
	int rc = dqc_query_sql(ss->conn, sql, params, nparams, &rows);

	if (rc != 0)
		return dq_sess_failed(ss, &c->s->h, rc);
	unsigned n = dqc_rows_column_count(rows);
	while ((rc = dqc_rows_next(rows, &cells)) == 1) {
		ret = fn(c, cells, n, ctx);
		if (ret != SQL_SUCCESS)
			break;
	}
	if (rc < 0)
		ret = dq_sess_rows_failed(ss, &c->s->h, rows, rc);
	else if ((rc = dqc_rows_abandon(rows)) != 0)
		ret = dq_sess_failed(ss, &c->s->h, rc);
	dqc_rows_close(rows);
	return ret;
}

/* Removes enclosing double quotes ("" -> ") or trailing blanks of an
 * unquoted identifier, in place. */
static void unquote_identifier(char *t)
{
	size_t n = strlen(t);
	if (n >= 2 && t[0] == '"' && t[n - 1] == '"') {
		size_t w = 0;
		for (size_t r = 1; r + 1 < n; r++) {
			t[w++] = t[r];
			if (t[r] == '"' && t[r + 1] == '"')
				r++;
		}
		t[w] = '\0';
		return;
	}
	while (n > 0 && t[n - 1] == ' ')
		t[--n] = '\0';
}

/* Escapes LIKE's wildcards and the escape itself so s matches literally. */
static char *literal_pattern(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *w = out;
	if (out == NULL)
		return NULL;
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*w++ = '\\';
		*w++ = *s;
	}
	*w = '\0';
	return out;
}

SQLRETURN dq_cat_pattern(dq_stmt *s, const char *arg, int kind,
			 const char *what, char **out)
{
	*out = NULL;
	if (arg == NULL) {
		if (kind == DQ_ARG_PATTERN && !s->metadata_id) {
			*out = strdup("%");
			return *out ? SQL_SUCCESS
				    : dq_error(&s->h, "HY001", "memory allocation failure");
		}
		return dq_error(&s->h, "HY009", "invalid use of null pointer: %s is required%s",
				what, s->metadata_id ? " when SQL_ATTR_METADATA_ID is on" : "");
	}
	if (kind == DQ_ARG_PATTERN && !s->metadata_id)
		*out = strdup(arg);
	else {
		char *t = strdup(arg);
		if (t && s->metadata_id)
			unquote_identifier(t);
		*out = t ? literal_pattern(t) : NULL;
		free(t);
	}
	return *out ? SQL_SUCCESS : dq_error(&s->h, "HY001", "memory allocation failure");
}

void dq_cell_text(dqc_value *v, const char *s)
{
	if (s == NULL)
		dq_cell_null(v);
	else
		dq_cell_textn(v, s, strlen(s));
}

void dq_cell_textn(dqc_value *v, const char *s, size_t n)
{
	v->type = DQC_TEXT;
	v->v.text.ptr = s;
	v->v.text.len = n;
}

void dq_cell_int(dqc_value *v, long long n)
{
	v->type = DQC_INTEGER;
	v->v.integer = n;
}

void dq_cell_null(dqc_value *v)
{
	v->type = DQC_NULL;
	v->v.integer = 0;
}

const char *dq_cell_str(const dqc_value *v, char *buf, size_t cap)
{
	size_t n;
	if (v->type != DQC_TEXT && v->type != DQC_ISO8601)
		return v->type == DQC_INTEGER ? (snprintf(buf, cap, "%lld",
							  (long long)v->v.integer), buf)
					      : NULL;
	n = v->v.text.len < cap - 1 ? v->v.text.len : cap - 1;
	memcpy(buf, v->v.text.ptr, n);
	buf[n] = '\0';
	return buf;
}

long long dq_cell_i64(const dqc_value *v)
{
	return v->type == DQC_INTEGER ? (long long)v->v.integer : 0;
}

void dq_cat_type_cells(const dq_decl *d, dqc_value *sql_data_type,
		       dqc_value *datetime_sub, dqc_value *digits,
		       dqc_value *radix, dqc_value *char_octets)
{
	SQLSMALLINT t = d->sql_type;
	int dt = t == SQL_TYPE_DATE || t == SQL_TYPE_TIME || t == SQL_TYPE_TIMESTAMP;
	int exact = t == SQL_BIT || t == SQL_TINYINT || t == SQL_SMALLINT ||
		    t == SQL_INTEGER || t == SQL_BIGINT || t == SQL_NUMERIC ||
		    t == SQL_DECIMAL;
	int chars = t == SQL_CHAR || t == SQL_VARCHAR || t == SQL_LONGVARCHAR ||
		    t == SQL_WCHAR || t == SQL_WVARCHAR || t == SQL_WLONGVARCHAR ||
		    t == SQL_BINARY || t == SQL_VARBINARY || t == SQL_LONGVARBINARY;

	dq_cell_int(sql_data_type, dt ? SQL_DATETIME : t);
	if (dt)
		dq_cell_int(datetime_sub, t == SQL_TYPE_DATE   ? SQL_CODE_DATE
					  : t == SQL_TYPE_TIME ? SQL_CODE_TIME
							       : SQL_CODE_TIMESTAMP);
	else
		dq_cell_null(datetime_sub);
	if (exact || t == SQL_TYPE_TIMESTAMP || t == SQL_TYPE_TIME)
		dq_cell_int(digits, d->digits);
	else
		dq_cell_null(digits);
	if (dq_type_of(t)->radix) /* the type table's, as SQLGetTypeInfo */
		dq_cell_int(radix, dq_type_of(t)->radix);
	else
		dq_cell_null(radix);
	if (chars)
		dq_cell_int(char_octets, d->octets);
	else
		dq_cell_null(char_octets);
}

int dq_sql_without_rowid(const char *sql)
{
	const char *p = sql ? strrchr(sql, ')') : NULL;
	char up[64];
	size_t n = 0;
	if (p == NULL)
		return 0;
	/* The table options follow the column list: ") STRICT, WITHOUT ROWID". */
	for (p++; *p && n + 1 < sizeof up; p++)
		if (!isspace((unsigned char)*p))
			up[n++] = (char)toupper((unsigned char)*p);
	up[n] = '\0';
	return strstr(up, "WITHOUTROWID") != NULL;
}

/* ------------------------------------------------------------- SQLTables */

static const dq_catcol tables_cols[] = {
	{"TABLE_CAT", SQL_VARCHAR, SQL_NULLABLE},
	{"TABLE_SCHEM", SQL_VARCHAR, SQL_NULLABLE},
	{"TABLE_NAME", SQL_VARCHAR, SQL_NULLABLE},
	{"TABLE_TYPE", SQL_VARCHAR, SQL_NULLABLE},
	{"REMARKS", SQL_VARCHAR, SQL_NULLABLE},
};
#define N_TABLES_COLS DQ_NCOLS(tables_cols)

/* The table types a data source of SQLite offers, in result order. */
static const char *const table_types[] = {"SYSTEM TABLE", "TABLE", "VIEW"};

/* 1 when `type` is in the comma-separated TableType list (values may be
 * quoted: "'TABLE','VIEW'"); NULL, "" and "%" allow every type. */
static int type_wanted(const char *list, const char *type)
{
	const char *p = list;
	if (list == NULL || *list == '\0' || strcmp(list, "%") == 0)
		return 1;
	while (*p) {
		const char *b, *e;
		while (*p == ' ' || *p == ',' || *p == '\'')
			p++;
		b = p;
		while (*p && *p != ',')
			p++;
		e = p;
		while (e > b && (e[-1] == ' ' || e[-1] == '\''))
			e--;
		if ((size_t)(e - b) == strlen(type) && strncasecmp(b, type, (size_t)(e - b)) == 0)
			return 1;
	}
	return 0;
}

typedef struct { const char *types; } tables_ctx;

static SQLRETURN tables_row(dq_cat *c, const dqc_value *cells, unsigned n, void *vctx)
{
	tables_ctx *ctx = vctx;
	dqc_value v[N_TABLES_COLS];
	char type[16];
	if (n < 2 || dq_cell_str(&cells[1], type, sizeof type) == NULL ||
	    !type_wanted(ctx->types, type))
		return SQL_SUCCESS;
	dq_cell_null(&v[0]);
	dq_cell_null(&v[1]);
	v[2] = cells[0];
	v[3] = cells[1];
	dq_cell_null(&v[4]);
	return dq_cat_add(c, v);
}

SQLRETURN dq_tables(dq_stmt *s, const char *cat, const char *schem,
		    const char *table, const char *types)
{
	static const char sql[] =
		"SELECT name, CASE WHEN type = 'view' THEN 'VIEW'"
		" WHEN name LIKE 'sqlite\\_%' ESCAPE '\\' THEN 'SYSTEM TABLE'"
		" ELSE 'TABLE' END AS tt"
		" FROM (SELECT 'table' AS type, 'sqlite_master' AS name"
		"       UNION ALL SELECT type, name FROM sqlite_master"
		"       WHERE type IN ('table', 'view'))"
		" WHERE name LIKE ?1 ESCAPE '\\' ORDER BY tt, name";
	tables_ctx ctx = {types};
	dq_cat c;
	dqc_value p;
	char *pat;
	SQLRETURN ret = dq_cat_begin(&c, s, tables_cols, N_TABLES_COLS);

	if (ret != SQL_SUCCESS)
		return ret;
	/* The reference's enumerations: catalogs, schemas (dqlite has none,
	 * so the lists are empty) and table types. */
	if (!s->metadata_id && cat && schem && table) {
		if (strcmp(cat, SQL_ALL_CATALOGS) == 0 && !*schem && !*table)
			return dq_cat_end(&c);
		if (strcmp(schem, SQL_ALL_SCHEMAS) == 0 && !*cat && !*table)
			return dq_cat_end(&c);
		if (types && strcmp(types, SQL_ALL_TABLE_TYPES) == 0 && !*cat &&
		    !*schem && !*table) {
			for (size_t i = 0; i < sizeof table_types / sizeof *table_types; i++) {
				dqc_value v[N_TABLES_COLS];
				dq_cell_null(&v[0]);
				dq_cell_null(&v[1]);
				dq_cell_null(&v[2]);
				dq_cell_text(&v[3], table_types[i]);
				dq_cell_null(&v[4]);
				if ((ret = dq_cat_add(&c, v)) != SQL_SUCCESS)
					return dq_cat_abort(&c, ret);
			}
			return dq_cat_end(&c);
		}
	}
	ret = dq_cat_pattern(s, table, DQ_ARG_PATTERN, "TableName", &pat);
	if (ret != SQL_SUCCESS)
		return dq_cat_abort(&c, ret);
	dq_cell_text(&p, pat);
	ret = dq_cat_query(&c, sql, &p, 1, tables_row, &ctx);
	free(pat);
	return dq_cat_finish(&c, ret);
}

/* --------------------------------------------------- procedures (none) */

static const dq_catcol procedures_cols[] = {
	{"PROCEDURE_CAT", SQL_VARCHAR, SQL_NULLABLE},
	{"PROCEDURE_SCHEM", SQL_VARCHAR, SQL_NULLABLE},
	{"PROCEDURE_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"NUM_INPUT_PARAMS", SQL_INTEGER, SQL_NULLABLE},
	{"NUM_OUTPUT_PARAMS", SQL_INTEGER, SQL_NULLABLE},
	{"NUM_RESULT_SETS", SQL_INTEGER, SQL_NULLABLE},
	{"REMARKS", SQL_VARCHAR, SQL_NULLABLE},
	{"PROCEDURE_TYPE", SQL_SMALLINT, SQL_NULLABLE},
};

static const dq_catcol procedure_columns_cols[] = {
	{"PROCEDURE_CAT", SQL_VARCHAR, SQL_NULLABLE},
	{"PROCEDURE_SCHEM", SQL_VARCHAR, SQL_NULLABLE},
	{"PROCEDURE_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"COLUMN_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"COLUMN_TYPE", SQL_SMALLINT, SQL_NO_NULLS},
	{"DATA_TYPE", SQL_SMALLINT, SQL_NO_NULLS},
	{"TYPE_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"COLUMN_SIZE", SQL_INTEGER, SQL_NULLABLE},
	{"BUFFER_LENGTH", SQL_INTEGER, SQL_NULLABLE},
	{"DECIMAL_DIGITS", SQL_SMALLINT, SQL_NULLABLE},
	{"NUM_PREC_RADIX", SQL_SMALLINT, SQL_NULLABLE},
	{"NULLABLE", SQL_SMALLINT, SQL_NO_NULLS},
	{"REMARKS", SQL_VARCHAR, SQL_NULLABLE},
	{"COLUMN_DEF", SQL_VARCHAR, SQL_NULLABLE},
	{"SQL_DATA_TYPE", SQL_SMALLINT, SQL_NO_NULLS},
	{"SQL_DATETIME_SUB", SQL_SMALLINT, SQL_NULLABLE},
	{"CHAR_OCTET_LENGTH", SQL_INTEGER, SQL_NULLABLE},
	{"ORDINAL_POSITION", SQL_INTEGER, SQL_NO_NULLS},
	{"IS_NULLABLE", SQL_VARCHAR, SQL_NULLABLE},
};

/* SQLite has no stored procedures: the result sets are empty but carry the
 * reference's columns, so tools that read them by position work. */
static SQLRETURN empty_result(dq_stmt *s, const dq_catcol *cols, unsigned n)
{
	dq_cat c;
	SQLRETURN ret = dq_cat_begin(&c, s, cols, n);
	return ret == SQL_SUCCESS ? dq_cat_end(&c) : ret;
}

SQLRETURN dq_procedures(dq_stmt *s, const char *cat, const char *schem,
			const char *proc)
{
	(void)cat, (void)schem, (void)proc;
	return empty_result(s, procedures_cols,
			    DQ_NCOLS(procedures_cols));
}

SQLRETURN dq_procedure_columns(dq_stmt *s, const char *cat, const char *schem,
			       const char *proc, const char *column)
{
	(void)cat, (void)schem, (void)proc, (void)column;
	return empty_result(s, procedure_columns_cols,
			    DQ_NCOLS(procedure_columns_cols));
}

/* ------------------------------------------------------------ privileges */

/* SQLite has no users or grants: whoever can reach the cluster may do
 * anything. The rows say so: each table grants SELECT, INSERT, UPDATE,
 * DELETE and REFERENCES (a view: SELECT) to PUBLIC, not grantable. */
static const char *const table_privileges[] = {"DELETE", "INSERT", "REFERENCES",
					       "SELECT", "UPDATE"};

static const dq_catcol table_priv_cols[] = {
	{"TABLE_CAT", SQL_VARCHAR, SQL_NULLABLE},
	{"TABLE_SCHEM", SQL_VARCHAR, SQL_NULLABLE},
	{"TABLE_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"GRANTOR", SQL_VARCHAR, SQL_NULLABLE},
	{"GRANTEE", SQL_VARCHAR, SQL_NO_NULLS},
	{"PRIVILEGE", SQL_VARCHAR, SQL_NO_NULLS},
	{"IS_GRANTABLE", SQL_VARCHAR, SQL_NULLABLE},
};

static const dq_catcol column_priv_cols[] = {
	{"TABLE_CAT", SQL_VARCHAR, SQL_NULLABLE},
	{"TABLE_SCHEM", SQL_VARCHAR, SQL_NULLABLE},
	{"TABLE_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"COLUMN_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"GRANTOR", SQL_VARCHAR, SQL_NULLABLE},
	{"GRANTEE", SQL_VARCHAR, SQL_NO_NULLS},
	{"PRIVILEGE", SQL_VARCHAR, SQL_NO_NULLS},
	{"IS_GRANTABLE", SQL_VARCHAR, SQL_NULLABLE},
};

/* cells: name, is_view [, column]. with_column selects the layout. */
static SQLRETURN privileges_row(dq_cat *c, const dqc_value *cells, unsigned n,
				void *vctx)
{
	int with_column = vctx != NULL;
	int is_view = n > 1 && dq_cell_i64(&cells[1]) != 0;
	dqc_value v[DQ_NCOLS(column_priv_cols)];
	unsigned k = 0;
	SQLRETURN ret = SQL_SUCCESS;

	dq_cell_null(&v[k++]);
	dq_cell_null(&v[k++]);
	v[k++] = cells[0];
	if (with_column)
		v[k++] = cells[2];
	dq_cell_null(&v[k++]);
	dq_cell_text(&v[k++], "PUBLIC");
	dq_cell_text(&v[k + 1], "NO");
	for (size_t i = 0; i < sizeof table_privileges / sizeof *table_privileges; i++) {
		if (is_view && strcmp(table_privileges[i], "SELECT") != 0)
			continue;
		if (with_column && strcmp(table_privileges[i], "DELETE") == 0)
			continue; /* DELETE is not a column privilege */
		dq_cell_text(&v[k], table_privileges[i]);
		if ((ret = dq_cat_add(c, v)) != SQL_SUCCESS)
			break;
	}
	return ret;
}

SQLRETURN dq_table_privileges(dq_stmt *s, const char *cat, const char *schem,
			      const char *table)
{
	static const char sql[] =
		"SELECT name, type = 'view' FROM sqlite_master"
		" WHERE type IN ('table', 'view') AND name LIKE ?1 ESCAPE '\\'"
		" ORDER BY name";
	dq_cat c;
	dqc_value p;
	char *pat;
	SQLRETURN ret = dq_cat_begin(&c, s, table_priv_cols, DQ_NCOLS(table_priv_cols));
	(void)cat, (void)schem;
	if (ret != SQL_SUCCESS)
		return ret;
	if ((ret = dq_cat_pattern(s, table, DQ_ARG_PATTERN, "TableName", &pat)) != SQL_SUCCESS)
		return dq_cat_abort(&c, ret);
	dq_cell_text(&p, pat);
	ret = dq_cat_query(&c, sql, &p, 1, privileges_row, NULL);
	free(pat);
	return dq_cat_finish(&c, ret);
}

SQLRETURN dq_column_privileges(dq_stmt *s, const char *cat, const char *schem,
			       const char *table, const char *column)
{
	static const char sql[] =
		"SELECT m.name, m.type = 'view', p.name"
		" FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p"
		" WHERE m.type IN ('table', 'view') AND m.name LIKE ?1 ESCAPE '\\'"
		" AND p.name LIKE ?2 ESCAPE '\\' ORDER BY p.name";
	static int layout_with_column = 1;
	dq_cat c;
	dqc_value p[2];
	char *tpat = NULL, *cpat = NULL;
	SQLRETURN ret = dq_cat_begin(&c, s, column_priv_cols, DQ_NCOLS(column_priv_cols));
	(void)cat, (void)schem;
	if (ret != SQL_SUCCESS)
		return ret;
	/* The table is an ordinary argument here, the column a pattern. */
	ret = dq_cat_pattern(s, table, DQ_ARG_ORDINARY, "TableName", &tpat);
	if (ret == SQL_SUCCESS)
		ret = dq_cat_pattern(s, column, DQ_ARG_PATTERN, "ColumnName", &cpat);
	if (ret == SQL_SUCCESS) {
		dq_cell_text(&p[0], tpat);
		dq_cell_text(&p[1], cpat);
		ret = dq_cat_query(&c, sql, p, 2, privileges_row, &layout_with_column);
	}
	free(tpat);
	free(cpat);
	return dq_cat_finish(&c, ret);
}
