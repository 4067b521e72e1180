/*
 * schema_cache.h -- the declared columns of tables a transaction has read,
 * so plain SELECTs can describe their columns from the schema
 * (result_schema.c). The session owns one cache per connection and drops it
 * when the transaction ends, after a statement run outside a transaction,
 * and when the connection runs DDL: other clients' DDL cannot change what
 * a running transaction sees, so it is never stale.
 */
#ifndef DQ_SCHEMA_CACHE_H
#define DQ_SCHEMA_CACHE_H

#include "dqlite_client.h"
#include "types.h"

typedef struct dq_schema_col {
	char *name;
	dq_decl decl;
	int not_null;
	int alias;   /* INTEGER PRIMARY KEY (the rowid) */
	int star;    /* part of SELECT * (not a hidden column) */
} dq_schema_col;

typedef struct dq_schema_table {
	char *key;        /* the table name as written, lower-cased ASCII */
	char *name;       /* as the schema spells it; NULL: no such table */
	dq_schema_col *cols;
	int ncols;
} dq_schema_table;

typedef struct dq_schema dq_schema;

/* The cached table under key, or NULL. sc may be NULL (empty cache). */
const dq_schema_table *dq_schema_find(const dq_schema *sc, const char *key);

/* Reads table's columns over conn (one query) and caches them under key,
 * creating the cache when *sc is NULL. 0 (also when the cache is full or
 * out of memory: nothing is cached then), or the engine's failure code. */
int dq_schema_load(dq_schema **sc, dqc_conn *conn, const char *key,
		   const char *table);

/* Frees the cache; NULL is a no-op. */
void dq_schema_free(dq_schema *sc);

#endif /* DQ_SCHEMA_CACHE_H */
