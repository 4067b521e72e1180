/*
 * catalog_keys.c -- SQLPrimaryKeys, SQLForeignKeys, SQLStatistics.
 *
 * SQLite does not keep constraint names it can report: PK_NAME is NULL,
 * and FK_NAME is made up as "<child table>_fk<n>" (n = SQLite's foreign
 * key id for that table) so that tools can tell two keys between the same
 * tables apart. docs/catalog.md says so.
 */
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* -------------------------------------------------------- SQLPrimaryKeys */

static const dq_catcol pk_cols[] = {
	{"TABLE_CAT", SQL_VARCHAR, SQL_NULLABLE},
	{"TABLE_SCHEM", SQL_VARCHAR, SQL_NULLABLE},
	{"TABLE_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"COLUMN_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"KEY_SEQ", SQL_SMALLINT, SQL_NO_NULLS},
	{"PK_NAME", SQL_VARCHAR, SQL_NULLABLE},
};

static SQLRETURN pk_row(dq_cat *c, const dqc_value *q, unsigned n, void *ctx)
{
	dqc_value v[DQ_NCOLS(pk_cols)];
	(void)ctx;
	if (n < 3)
		return SQL_SUCCESS;
	dq_cell_null(&v[0]);
	dq_cell_null(&v[1]);
	v[2] = q[0];
	v[3] = q[1];
	v[4] = q[2];
	dq_cell_null(&v[5]);
	return dq_cat_add(c, v);
}

SQLRETURN dq_primary_keys(dq_stmt *s, const char *cat, const char *schem,
			  const char *table)
{
	static const char sql[] =
		"SELECT m.name, p.name, p.pk"
		" FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p"
		" WHERE m.type = 'table' AND m.name LIKE ?1 ESCAPE '\\' AND p.pk > 0"
		" ORDER BY m.name, p.pk";
	dq_cat c;
	dqc_value p;
	char *pat = NULL;
	SQLRETURN ret = dq_cat_begin(&c, s, pk_cols, DQ_NCOLS(pk_cols));
	(void)cat, (void)schem;
	if (ret != SQL_SUCCESS)
		return ret;
	ret = dq_cat_pattern(s, table, DQ_ARG_ORDINARY, "TableName", &pat);
	if (ret == SQL_SUCCESS) {
		dq_cell_text(&p, pat);
		ret = dq_cat_query(&c, sql, &p, 1, pk_row, NULL);
	}
	free(pat);
	return dq_cat_finish(&c, ret);
}

/* -------------------------------------------------------- SQLForeignKeys */

static const dq_catcol fk_cols[] = {
	{"PKTABLE_CAT", SQL_VARCHAR, SQL_NULLABLE},
	{"PKTABLE_SCHEM", SQL_VARCHAR, SQL_NULLABLE},
	{"PKTABLE_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"PKCOLUMN_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"FKTABLE_CAT", SQL_VARCHAR, SQL_NULLABLE},
	{"FKTABLE_SCHEM", SQL_VARCHAR, SQL_NULLABLE},
	{"FKTABLE_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"FKCOLUMN_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"KEY_SEQ", SQL_SMALLINT, SQL_NO_NULLS},
	{"UPDATE_RULE", SQL_SMALLINT, SQL_NULLABLE},
	{"DELETE_RULE", SQL_SMALLINT, SQL_NULLABLE},
	{"FK_NAME", SQL_VARCHAR, SQL_NULLABLE},
	{"PK_NAME", SQL_VARCHAR, SQL_NULLABLE},
	{"DEFERRABILITY", SQL_SMALLINT, SQL_NULLABLE},
};
#define N_FK_COLS DQ_NCOLS(fk_cols)

/* Every foreign key of every table, the parent's name as the schema knows
 * it (the child may spell it in another case), the parent column filled in
 * from its primary key when the child's REFERENCES names none. */
#define FK_SELECT                                                              \
	"SELECT COALESCE((SELECT name FROM sqlite_master WHERE type = 'table'" \
	"                 AND name = f.\"table\" COLLATE NOCASE), f.\"table\"),"  \
	" COALESCE(f.\"to\", (SELECT name FROM pragma_table_info(f.\"table\")"  \
	"                    WHERE pk = f.seq + 1)),"                           \
	" m.name, f.\"from\", f.seq + 1, f.on_update, f.on_delete, f.id"        \
	" FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS f"    \
	" WHERE m.type = 'table'"

enum { F_PKTABLE, F_PKCOL, F_FKTABLE, F_FKCOL, F_SEQ, F_UPD, F_DEL, F_ID, F_N };

static int fk_rule(const dqc_value *v)
{
	char r[16];
	const char *s = dq_cell_str(v, r, sizeof r);
	if (s == NULL)
		return SQL_NO_ACTION;
	if (strcasecmp(s, "CASCADE") == 0)
		return SQL_CASCADE;
	if (strcasecmp(s, "RESTRICT") == 0)
		return SQL_RESTRICT;
	if (strcasecmp(s, "SET NULL") == 0)
		return SQL_SET_NULL;
	if (strcasecmp(s, "SET DEFAULT") == 0)
		return SQL_SET_DEFAULT;
	return SQL_NO_ACTION;
}

static SQLRETURN fk_row(dq_cat *c, const dqc_value *q, unsigned n, void *ctx)
{
	dqc_value v[N_FK_COLS];
	char fkname[600], table[512];
	(void)ctx;
	if (n < F_N)
		return SQL_SUCCESS;
	snprintf(fkname, sizeof fkname, "%s_fk%lld",
		 dq_cell_str(&q[F_FKTABLE], table, sizeof table),
		 dq_cell_i64(&q[F_ID]));
	dq_cell_null(&v[0]);
	dq_cell_null(&v[1]);
	v[2] = q[F_PKTABLE];
	v[3] = q[F_PKCOL];
	dq_cell_null(&v[4]);
	dq_cell_null(&v[5]);
	v[6] = q[F_FKTABLE];
	v[7] = q[F_FKCOL];
	v[8] = q[F_SEQ];
	dq_cell_int(&v[9], fk_rule(&q[F_UPD]));
	dq_cell_int(&v[10], fk_rule(&q[F_DEL]));
	dq_cell_text(&v[11], fkname);
	dq_cell_null(&v[12]);
	/* DEFERRABLE clauses are not reported by SQLite's pragmas. */
	dq_cell_int(&v[13], SQL_NOT_DEFERRABLE);
	return dq_cat_add(c, v);
}

/*
 * PKTableName only: the keys of other tables that refer to it, ordered by
 * FKTABLE_NAME, KEY_SEQ. FKTableName only: the keys it holds, ordered by
 * PKTABLE_NAME, KEY_SEQ. Both: the keys of FKTableName that refer to
 * PKTableName. Both NULL: HY009.
 */
SQLRETURN dq_foreign_keys(dq_stmt *s, const char *pkcat, const char *pkschem,
			  const char *pktable, const char *fkcat,
			  const char *fkschem, const char *fktable)
{
	static const char by_pk[] = FK_SELECT
		" AND f.\"table\" LIKE ?1 ESCAPE '\\' ORDER BY m.name, f.seq, f.id";
	static const char by_fk[] = FK_SELECT
		" AND m.name LIKE ?1 ESCAPE '\\' ORDER BY 1, f.seq, f.id";
	static const char by_both[] = FK_SELECT
		" AND m.name LIKE ?1 ESCAPE '\\' AND f.\"table\" LIKE ?2 ESCAPE '\\'"
		" ORDER BY 1, f.seq, f.id";
	dq_cat c;
	dqc_value p[2];
	char *pkpat = NULL, *fkpat = NULL;
	SQLRETURN ret;
	(void)pkcat, (void)pkschem, (void)fkcat, (void)fkschem;

	if ((pktable == NULL || *pktable == '\0') && (fktable == NULL || *fktable == '\0'))
		return dq_error(&s->h, "HY009",
				"invalid use of null pointer: PKTableName or FKTableName is required");
	ret = dq_cat_begin(&c, s, fk_cols, N_FK_COLS);
	if (ret != SQL_SUCCESS)
		return ret;
	if (pktable && *pktable)
		ret = dq_cat_pattern(s, pktable, DQ_ARG_ORDINARY, "PKTableName", &pkpat);
	if (ret == SQL_SUCCESS && fktable && *fktable)
		ret = dq_cat_pattern(s, fktable, DQ_ARG_ORDINARY, "FKTableName", &fkpat);
	if (ret == SQL_SUCCESS) {
		if (pkpat && fkpat) {
			dq_cell_text(&p[0], fkpat);
			dq_cell_text(&p[1], pkpat);
			ret = dq_cat_query(&c, by_both, p, 2, fk_row, NULL);
		} else {
			dq_cell_text(&p[0], pkpat ? pkpat : fkpat);
			ret = dq_cat_query(&c, pkpat ? by_pk : by_fk, p, 1, fk_row, NULL);
		}
	}
	free(pkpat);
	free(fkpat);
	return dq_cat_finish(&c, ret);
}

/* --------------------------------------------------------- SQLStatistics */

static const dq_catcol stat_cols[] = {
	{"TABLE_CAT", SQL_VARCHAR, SQL_NULLABLE},
	{"TABLE_SCHEM", SQL_VARCHAR, SQL_NULLABLE},
	{"TABLE_NAME", SQL_VARCHAR, SQL_NO_NULLS},
	{"NON_UNIQUE", SQL_SMALLINT, SQL_NULLABLE},
	{"INDEX_QUALIFIER", SQL_VARCHAR, SQL_NULLABLE},
	{"INDEX_NAME", SQL_VARCHAR, SQL_NULLABLE},
	{"TYPE", SQL_SMALLINT, SQL_NO_NULLS},
	{"ORDINAL_POSITION", SQL_SMALLINT, SQL_NULLABLE},
	{"COLUMN_NAME", SQL_VARCHAR, SQL_NULLABLE},
	{"ASC_OR_DESC", SQL_CHAR, SQL_NULLABLE},
	{"CARDINALITY", SQL_INTEGER, SQL_NULLABLE},
	{"PAGES", SQL_INTEGER, SQL_NULLABLE},
	{"FILTER_CONDITION", SQL_VARCHAR, SQL_NULLABLE},
};
#define N_STAT_COLS DQ_NCOLS(stat_cols)

enum { I_TABLE, I_NONUNIQUE, I_INDEX, I_SEQ, I_COLUMN, I_DESC, I_N };

static SQLRETURN stat_row(dq_cat *c, const dqc_value *q, unsigned n, void *ctx)
{
	dqc_value v[N_STAT_COLS];
	(void)ctx;
	if (n < I_N)
		return SQL_SUCCESS;
	dq_cell_null(&v[0]);
	dq_cell_null(&v[1]);
	v[2] = q[I_TABLE];
	v[3] = q[I_NONUNIQUE];
	dq_cell_null(&v[4]);
	v[5] = q[I_INDEX];
	dq_cell_int(&v[6], SQL_INDEX_OTHER);
	v[7] = q[I_SEQ];
	/* An expression in the index has no column name: the reference asks
	 * for the expression, or "" when it cannot be determined. */
	if (q[I_COLUMN].type == DQC_NULL)
		dq_cell_text(&v[8], "");
	else
		v[8] = q[I_COLUMN];
	dq_cell_text(&v[9], dq_cell_i64(&q[I_DESC]) ? "D" : "A");
	dq_cell_null(&v[10]);
	dq_cell_null(&v[11]);
	dq_cell_null(&v[12]);
	return dq_cat_add(c, v);
}

/* The table-statistics row comes first (its NON_UNIQUE is NULL); with
 * SQL_ENSURE its CARDINALITY is the table's row count. */
typedef struct {
	int found;
	char name[512]; /* the table's name as the schema spells it */
} stat_ctx;

static SQLRETURN table_found(dq_cat *c, const dqc_value *q, unsigned n, void *vctx)
{
	stat_ctx *ctx = vctx;
	(void)c;
	if (n > 0 && dq_cell_str(&q[0], ctx->name, sizeof ctx->name)) {
		ctx->found = 1;
		if (q[0].v.text.len >= sizeof ctx->name)
			ctx->found = 0; /* too long to quote from here: no count */
	}
	return SQL_SUCCESS;
}

static SQLRETURN count_row(dq_cat *c, const dqc_value *q, unsigned n, void *vctx)
{
	stat_ctx *ctx = vctx;
	dqc_value v[N_STAT_COLS];
	for (unsigned i = 0; i < N_STAT_COLS; i++)
		dq_cell_null(&v[i]);
	dq_cell_text(&v[2], ctx->name);
	dq_cell_int(&v[6], SQL_TABLE_STAT);
	if (n > 0 && q)
		v[10] = q[0];
	return dq_cat_add(c, v);
}

/* Appends the SQL_TABLE_STAT row of the table in ctx. */
static SQLRETURN table_stat(dq_cat *c, stat_ctx *ctx, int ensure)
{
	char sql[1100], *w = sql;
	if (!ensure)
		return count_row(c, NULL, 0, ctx);
	w += sprintf(w, "SELECT count(*) FROM \"");
	for (const char *r = ctx->name; *r; r++) {
		if (*r == '"')
			*w++ = '"';
		*w++ = *r;
	}
	strcpy(w, "\"");
	return dq_cat_query(c, sql, NULL, 0, count_row, ctx);
}

SQLRETURN dq_statistics(dq_stmt *s, const char *cat, const char *schem,
			const char *table, SQLUSMALLINT unique,
			SQLUSMALLINT reserved)
{
	static const char index_sql[] =
		"SELECT m.name, NOT il.\"unique\", il.name, x.seqno + 1, x.name, x.desc"
		" FROM sqlite_master AS m JOIN pragma_index_list(m.name) AS il"
		" JOIN pragma_index_xinfo(il.name) AS x"
		" WHERE m.type = 'table' AND m.name LIKE ?1 ESCAPE '\\' AND x.key = 1"
		" AND (?2 = 0 OR il.\"unique\")"
		" ORDER BY 2, il.name, x.seqno";
	static const char table_sql[] =
		"SELECT name FROM sqlite_master WHERE type = 'table'"
		" AND name LIKE ?1 ESCAPE '\\'";
	stat_ctx ctx;
	dq_cat c;
	dqc_value p[2];
	char *pat = NULL;
	SQLRETURN ret;
	(void)cat, (void)schem;

	if (unique != SQL_INDEX_UNIQUE && unique != SQL_INDEX_ALL)
		return dq_error(&s->h, "HY100", "uniqueness option type out of range: %u", unique);
	if (reserved != SQL_ENSURE && reserved != SQL_QUICK)
		return dq_error(&s->h, "HY101", "accuracy option type out of range: %u", reserved);
	ret = dq_cat_begin(&c, s, stat_cols, N_STAT_COLS);
	if (ret != SQL_SUCCESS)
		return ret;
	memset(&ctx, 0, sizeof ctx);
	ret = dq_cat_pattern(s, table, DQ_ARG_ORDINARY, "TableName", &pat);
	if (ret == SQL_SUCCESS) {
		dq_cell_text(&p[0], pat);
		dq_cell_int(&p[1], unique == SQL_INDEX_UNIQUE);
		ret = dq_cat_query(&c, table_sql, p, 1, table_found, &ctx);
	}
	if (ret == SQL_SUCCESS && ctx.found)
		ret = table_stat(&c, &ctx, reserved == SQL_ENSURE);
	if (ret == SQL_SUCCESS && ctx.found)
		ret = dq_cat_query(&c, index_sql, p, 2, stat_row, NULL);
	free(pat);
	return dq_cat_finish(&c, ret);
}
