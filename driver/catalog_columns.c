/*
 * catalog_columns.c -- SQLColumns and SQLSpecialColumns.
 *
 * One schema query per call: sqlite_master joined with the table-valued
 * pragmas (pragma_table_xinfo, pragma_index_list), so a whole database's
 * columns cost one round trip. Declared types are mapped by decltype.c.
 */
#include "catalog.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ SQLColumns */

static const dq_catcol columns_cols[] = {
	{"TABLE_CAT", SQL_VARCHAR, SQL_NULLABLE},
	{"TABLE_SCHEM", SQL_VARCHAR, SQL_NULLABLE},
	{"TABLE_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"COLUMN_NAME", SQL_VARCHAR, SQL_NO_NULLS},
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
	/* Beyond the reference's 18 (allowed: drivers may add columns after
	 * the last predefined one): "YES" for an INTEGER PRIMARY KEY, which
	 * SQLite fills from the rowid when no value is given. */
	{"IS_AUTOINCREMENT", SQL_VARCHAR, SQL_NULLABLE},
};
#define N_COLUMNS_COLS DQ_NCOLS(columns_cols)

/* Columns of the schema query below, by position. */
enum {
	Q_TABLE, Q_COLUMN, Q_TYPE, Q_NOTNULL, Q_DEFAULT, Q_PK, Q_NPK, Q_PKINDEX,
	Q_SQL, Q_KIND, Q_HIDDEN, Q_CID, Q_NCOLS
};

/* sqlite_master and the pragmas for every table / view matching ?1 and
 * every column matching ?2. NPK counts the key's columns; PKINDEX is 1 when
 * the key has an index of its own (so an INTEGER key is NOT the rowid). */
static const char columns_sql[] =
	"SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk,"
	" (SELECT count(*) FROM pragma_table_info(m.name) WHERE pk > 0),"
	" EXISTS (SELECT 1 FROM pragma_index_list(m.name) WHERE origin = 'pk'),"
	" m.sql, m.type, p.hidden, p.cid"
	" FROM (SELECT 'table' AS type, 'sqlite_master' AS name, NULL AS sql"
	"       UNION ALL SELECT type, name, sql FROM sqlite_master"
	"       WHERE type IN ('table', 'view')) AS m"
	" JOIN pragma_table_xinfo(m.name) AS p"
	" WHERE m.name LIKE ?1 ESCAPE '\\' AND p.name LIKE ?2 ESCAPE '\\'"
	" AND p.hidden <> 1 ORDER BY m.name, p.cid";

/* 1 when the column is an alias of the rowid: the table's only key column,
 * declared exactly INTEGER, with no index of its own. */
static int is_rowid_alias(const dqc_value *q, const dq_decl *d)
{
	char kind[8];
	return dq_cell_i64(&q[Q_PK]) == 1 && dq_cell_i64(&q[Q_NPK]) == 1 &&
	       dq_cell_i64(&q[Q_PKINDEX]) == 0 && strcmp(d->name, "INTEGER") == 0 &&
	       dq_cell_str(&q[Q_KIND], kind, sizeof kind) && strcmp(kind, "table") == 0;
}

static SQLRETURN columns_row(dq_cat *c, const dqc_value *q, unsigned n, void *vctx)
{
	char decl[256], *create_sql;
	dqc_value v[N_COLUMNS_COLS];
	dq_decl d;
	int not_null, alias;

	if (n < Q_NCOLS)
		return dq_error(&c->s->h, "HY000", "unexpected schema query result");
	(void)vctx;
	dq_decltype(dq_cell_str(&q[Q_TYPE], decl, sizeof decl), &d);
	alias = is_rowid_alias(q, &d);
	not_null = dq_cell_i64(&q[Q_NOTNULL]) != 0 || alias;
	if (!not_null && dq_cell_i64(&q[Q_PK]) > 0 && q[Q_SQL].type == DQC_TEXT) {
		/* A WITHOUT ROWID table's key columns are NOT NULL. */
		create_sql = malloc(q[Q_SQL].v.text.len + 1);
		if (create_sql == NULL)
			return dq_error(&c->s->h, "HY001", "memory allocation failure");
		dq_cell_str(&q[Q_SQL], create_sql, q[Q_SQL].v.text.len + 1);
		not_null = dq_sql_without_rowid(create_sql);
		free(create_sql);
	}

	dq_cell_null(&v[0]);
	dq_cell_null(&v[1]);
	v[2] = q[Q_TABLE];
	v[3] = q[Q_COLUMN];
	dq_cell_int(&v[4], dq_app_sql_type(c->s, d.sql_type));
	dq_cell_text(&v[5], d.name);
	dq_cell_int(&v[6], (long long)d.size);
	dq_cell_int(&v[7], d.octets);
	dq_cat_type_cells(&d, &v[13], &v[14], &v[8], &v[9], &v[15]);
	dq_cell_int(&v[10], not_null ? SQL_NO_NULLS : SQL_NULLABLE);
	dq_cell_null(&v[11]);
	v[12] = q[Q_DEFAULT];
	/* the column's place in the table, whatever ColumnName selected */
	dq_cell_int(&v[16], dq_cell_i64(&q[Q_CID]) + 1);
	dq_cell_text(&v[17], not_null ? "NO" : "YES");
	dq_cell_text(&v[18], alias ? "YES" : "NO");
	return dq_cat_add(c, v);
}

SQLRETURN dq_columns(dq_stmt *s, const char *cat, const char *schem,
		     const char *table, const char *column)
{
	dq_cat c;
	dqc_value p[2];
	char *tpat = NULL, *cpat = NULL;
	SQLRETURN ret = dq_cat_begin(&c, s, columns_cols, N_COLUMNS_COLS);
	(void)cat, (void)schem;
	if (ret != SQL_SUCCESS)
		return ret;
	ret = dq_cat_pattern(s, table, DQ_ARG_PATTERN, "TableName", &tpat);
	if (ret == SQL_SUCCESS)
		ret = dq_cat_pattern(s, column, DQ_ARG_PATTERN, "ColumnName", &cpat);
	if (ret == SQL_SUCCESS) {
		dq_cell_text(&p[0], tpat);
		dq_cell_text(&p[1], cpat);
		ret = dq_cat_query(&c, columns_sql, p, 2, columns_row, NULL);
	}
	free(tpat);
	free(cpat);
	return dq_cat_finish(&c, ret);
}

/* ----------------------------------------------------- SQLSpecialColumns */

static const dq_catcol special_cols[] = {
	{"SCOPE", SQL_SMALLINT, SQL_NULLABLE},
	{"COLUMN_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"DATA_TYPE", SQL_SMALLINT, SQL_NO_NULLS},
	{"TYPE_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"COLUMN_SIZE", SQL_INTEGER, SQL_NULLABLE},
	{"BUFFER_LENGTH", SQL_INTEGER, SQL_NULLABLE},
	{"DECIMAL_DIGITS", SQL_SMALLINT, SQL_NULLABLE},
	{"PSEUDO_COLUMN", SQL_SMALLINT, SQL_NULLABLE},
};
#define N_SPECIAL_COLS DQ_NCOLS(special_cols)

/* The key columns of one table, collected before choosing. */
typedef struct {
	int found;          /* the table exists (and is a table) */
	int without_rowid;
	int has_rowid_alias;
	int key_nullable;   /* some key column may hold NULL */
	int names_taken;    /* bit 0..2: rowid, _rowid_, oid used by columns */
	int nkey;
	struct { char name[256]; dq_decl d; int alias; } key[32];
} special_ctx;

enum { S_NAME, S_TYPE, S_NOTNULL, S_PK, S_NPK, S_PKINDEX, S_SQL };

static const char special_sql[] =
	"SELECT p.name, p.type, p.\"notnull\", p.pk,"
	" (SELECT count(*) FROM pragma_table_info(m.name) WHERE pk > 0),"
	" EXISTS (SELECT 1 FROM pragma_index_list(m.name) WHERE origin = 'pk'),"
	" m.sql"
	" FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p"
	" WHERE m.type = 'table' AND m.name LIKE ?1 ESCAPE '\\'"
	" ORDER BY m.name, p.pk";

static SQLRETURN special_row(dq_cat *c, const dqc_value *q, unsigned n, void *vctx)
{
	special_ctx *ctx = vctx;
	char name[256], decl[256];
	long long pk = n > S_PK ? dq_cell_i64(&q[S_PK]) : 0;
	(void)c;
	if (n <= S_SQL)
		return SQL_SUCCESS;
	if (!ctx->found) {
		char *sql = q[S_SQL].type == DQC_TEXT ? malloc(q[S_SQL].v.text.len + 1) : NULL;
		ctx->found = 1;
		if (sql) {
			dq_cell_str(&q[S_SQL], sql, q[S_SQL].v.text.len + 1);
			ctx->without_rowid = dq_sql_without_rowid(sql);
			free(sql);
		}
	}
	dq_cell_str(&q[S_NAME], name, sizeof name);
	if (strcasecmp(name, "rowid") == 0)
		ctx->names_taken |= 1;
	else if (strcasecmp(name, "_rowid_") == 0)
		ctx->names_taken |= 2;
	else if (strcasecmp(name, "oid") == 0)
		ctx->names_taken |= 4;
	if (pk <= 0 || ctx->nkey >= (int)(sizeof ctx->key / sizeof ctx->key[0]))
		return SQL_SUCCESS;
	memcpy(ctx->key[ctx->nkey].name, name, sizeof name);
	dq_decltype(dq_cell_str(&q[S_TYPE], decl, sizeof decl), &ctx->key[ctx->nkey].d);
	ctx->key[ctx->nkey].alias = dq_cell_i64(&q[S_NPK]) == 1 &&
				    dq_cell_i64(&q[S_PKINDEX]) == 0 &&
				    strcmp(ctx->key[ctx->nkey].d.name, "INTEGER") == 0;
	if (ctx->key[ctx->nkey].alias)
		ctx->has_rowid_alias = 1;
	else if (dq_cell_i64(&q[S_NOTNULL]) == 0)
		ctx->key_nullable = 1;
	ctx->nkey++;
	return SQL_SUCCESS;
}

static SQLRETURN special_add(dq_cat *c, int scope, const char *name,
			     const dq_decl *d, int pseudo)
{
	dqc_value v[N_SPECIAL_COLS], unused[3];
	dq_cell_int(&v[0], scope);
	dq_cell_text(&v[1], name);
	dq_cell_int(&v[2], dq_app_sql_type(c->s, d->sql_type));
	dq_cell_text(&v[3], d->name);
	dq_cell_int(&v[4], (long long)d->size);
	dq_cell_int(&v[5], d->octets);
	dq_cat_type_cells(d, &unused[0], &unused[1], &v[6], &unused[2], &unused[2]);
	dq_cell_int(&v[7], pseudo);
	return dq_cat_add(c, v);
}

/*
 * SQL_BEST_ROWID, in order of preference:
 *   1. an INTEGER PRIMARY KEY: it is the rowid, never changes (session);
 *   2. the primary key's columns (session), unless NullableOnly asks for
 *      columns that cannot be NULL and SQLite lets some of them be NULL
 *      (rowid tables keep that old quirk unless NOT NULL is declared);
 *   3. the rowid pseudo-column of a rowid table: stable within a
 *      transaction (VACUUM may renumber a table without such a key).
 * A result narrower than the requested Scope is not returned.
 * SQL_ROWVER: SQLite has no automatically updated columns: empty.
 */
SQLRETURN dq_special_columns(dq_stmt *s, SQLUSMALLINT id_type,
			     const char *cat, const char *schem,
			     const char *table, SQLUSMALLINT scope,
			     SQLUSMALLINT nullable)
{
	special_ctx *ctx;
	dq_cat c;
	dqc_value p;
	char *pat = NULL;
	SQLRETURN ret;
	(void)cat, (void)schem;

	if (id_type != SQL_BEST_ROWID && id_type != SQL_ROWVER)
		return dq_error(&s->h, "HY097", "column type out of range: %u", id_type);
	if (scope != SQL_SCOPE_CURROW && scope != SQL_SCOPE_TRANSACTION &&
	    scope != SQL_SCOPE_SESSION)
		return dq_error(&s->h, "HY098", "scope type out of range: %u", scope);
	if (nullable != SQL_NO_NULLS && nullable != SQL_NULLABLE)
		return dq_error(&s->h, "HY099", "nullable type out of range: %u", nullable);
	ret = dq_cat_begin(&c, s, special_cols, N_SPECIAL_COLS);
	if (ret != SQL_SUCCESS)
		return ret;
	ret = dq_cat_pattern(s, table, DQ_ARG_ORDINARY, "TableName", &pat);
	if (ret != SQL_SUCCESS || id_type == SQL_ROWVER) {
		free(pat);
		return dq_cat_finish(&c, ret);
	}
	ctx = calloc(1, sizeof *ctx);
	if (ctx == NULL) {
		free(pat);
		return dq_cat_abort(&c, dq_error(&s->h, "HY001", "memory allocation failure"));
	}
	dq_cell_text(&p, pat);
	ret = dq_cat_query(&c, special_sql, &p, 1, special_row, ctx);
	free(pat);
	if (ret == SQL_SUCCESS && ctx->found) {
		if (ctx->has_rowid_alias || (ctx->nkey > 0 && !(ctx->key_nullable &&
								nullable == SQL_NO_NULLS))) {
			for (int i = 0; i < ctx->nkey && ret == SQL_SUCCESS; i++)
				ret = special_add(&c, SQL_SCOPE_SESSION, ctx->key[i].name,
						  &ctx->key[i].d, SQL_PC_NOT_PSEUDO);
		} else if (!ctx->without_rowid && scope != SQL_SCOPE_SESSION &&
			   ctx->names_taken != 7) {
			static const char *const names[] = {"rowid", "_rowid_", "oid"};
			dq_decl d;
			int k = !(ctx->names_taken & 1) ? 0 : !(ctx->names_taken & 2) ? 1 : 2;
			dq_decltype("INTEGER", &d);
			ret = special_add(&c, SQL_SCOPE_TRANSACTION, names[k], &d, SQL_PC_PSEUDO);
		}
	}
	free(ctx);
	return dq_cat_finish(&c, ret);
}
