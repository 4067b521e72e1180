/*
 * schema_cache.c -- declared columns of the tables a transaction read
 * (schema_cache.h): one query per table, PRAGMA table_xinfo with the
 * facts that tell an INTEGER PRIMARY KEY (the rowid alias) apart.
 */
#include "schema_cache.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TABLES 32

struct dq_schema {
	dq_schema_table t[MAX_TABLES];
	int n;
};

static void table_free(dq_schema_table *t)
{
	for (int i = 0; i < t->ncols; i++)
		free(t->cols[i].name);
	free(t->cols);
	free(t->key);
	free(t->name);
	memset(t, 0, sizeof *t);
}

void dq_schema_free(dq_schema *sc)
{
	if (sc == NULL)
		return;
	for (int i = 0; i < sc->n; i++)
		table_free(&sc->t[i]);
	free(sc);
}

const dq_schema_table *dq_schema_find(const dq_schema *sc, const char *key)
{
	if (sc == NULL)
		return NULL;
	for (int i = 0; i < sc->n; i++)
		if (strcmp(sc->t[i].key, key) == 0)
			return &sc->t[i];
	return NULL;
}

/* Reads the table's columns into t. 0, or the engine's failure code. */
static int load_table(dqc_conn *conn, dq_schema_table *t, const char *table)
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
	rc = dqc_query_sql(conn, sql, &p, 1, &rows);
	if (rc != 0)
		return rc;
	while ((rc = dqc_rows_next(rows, &q)) == 1 && dqc_rows_column_count(rows) >= 8) {
		dq_schema_col *c;
		char buf[256];
		if (t->ncols == cap) {
			int ncap = cap ? cap * 2 : 16;
			dq_schema_col *n = realloc(t->cols, (size_t)ncap * sizeof *n);
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
	return rc < 0 ? rc : 0;
}

int dq_schema_load(dq_schema **sc, dqc_conn *conn, const char *key,
		   const char *table)
{
	dq_schema_table *t;
	int rc;

	if (*sc == NULL && (*sc = calloc(1, sizeof **sc)) == NULL)
		return 0;
	if ((*sc)->n == MAX_TABLES)
		return 0;
	t = &(*sc)->t[(*sc)->n];
	memset(t, 0, sizeof *t);
	t->key = strdup(key);
	if (t->key == NULL)
		return 0;
	rc = load_table(conn, t, table);
	if (rc == 0)
		(*sc)->n++;
	else
		table_free(t);
	return rc;
}
