/*
 * sql_classify.h -- lexical SQL classification (part of the engine, no ODBC).
 *
 * dqlite does not say whether a statement returns rows, and sending the wrong
 * request is harmful (EXEC of a row-returning statement fails; QUERY of a
 * write on servers < 1.15 returns rows WITHOUT replicating the write and
 * later aborts the node). So the client decides from the SQL text, the way
 * the upstream clients do: skip comments and whitespace, read the leading
 * keyword (looking through WITH ... AS (...) to the statement it introduces,
 * and EXPLAIN), and look for RETURNING in INSERT/UPDATE/DELETE.
 *
 * Transaction-control statements are parsed further (the savepoint name's
 * place in the text), so a client can keep a transaction and savepoint
 * tracker in step with raw SQL.
 */
#ifndef DQ_SQL_CLASSIFY_H
#define DQ_SQL_CLASSIFY_H

#include <stddef.h>

enum dqc_sql_kind {
	DQC_SQL_EMPTY = 0,     /* only whitespace / comments / ';' */
	DQC_SQL_SELECT,        /* SELECT, VALUES, WITH..SELECT: returns rows, reads */
	DQC_SQL_EXPLAIN,       /* EXPLAIN [QUERY PLAN] ...: returns rows, reads */
	DQC_SQL_PRAGMA,        /* may or may not return rows (see maybe_rows) */
	DQC_SQL_INSERT,        /* INSERT / REPLACE (and WITH..INSERT) */
	DQC_SQL_UPDATE,
	DQC_SQL_DELETE,
	DQC_SQL_DDL,           /* CREATE / DROP / ALTER */
	DQC_SQL_BEGIN,         /* BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION] */
	DQC_SQL_COMMIT,        /* COMMIT / END [TRANSACTION] */
	DQC_SQL_ROLLBACK,      /* ROLLBACK [TRANSACTION] (not TO) */
	DQC_SQL_SAVEPOINT,     /* SAVEPOINT name */
	DQC_SQL_RELEASE,       /* RELEASE [SAVEPOINT] name */
	DQC_SQL_ROLLBACK_TO,   /* ROLLBACK [TRANSACTION] TO [SAVEPOINT] name */
	DQC_SQL_OTHER          /* ANALYZE, VACUUM, REINDEX, ATTACH, ...: treated as a write */
};

typedef struct dqc_sql_info {
	int kind;           /* enum dqc_sql_kind */
	int returns_rows;   /* 1: send QUERY; 0: send EXEC */
	int maybe_rows;     /* PRAGMA: try QUERY, fall back to EXEC */
	int is_write;       /* may modify the database (INSERT/UPDATE/DELETE/DDL/OTHER) */
	int has_returning;  /* INSERT/UPDATE/DELETE ... RETURNING (needs server >= 1.15) */
	int begin_locks;    /* BEGIN IMMEDIATE / EXCLUSIVE: takes the write lock */
	/* SAVEPOINT / RELEASE / ROLLBACK TO: where the savepoint name token
	 * is in the text, as written (quotes included); name_len 0 when the
	 * statement has none. */
	size_t name_off, name_len;
} dqc_sql_info;

/* Classifies the FIRST statement of sql[0..len) (len may be the strlen).
 * Never fails: unknown text is DQC_SQL_OTHER (a write, EXEC). */
void dqc_sql_classify(const char *sql, size_t len, dqc_sql_info *out);

/* Returns the offset just past the end of the first statement in
 * sql[0..len): past its terminating ';', or len if there is none. Quotes
 * ('..', "..", `..`, [..]), comments (-- and / * * /) and the BEGIN..END
 * body of CREATE TRIGGER are honoured, so a ';' inside them does not end the
 * statement. Used to run multi-statement text one statement at a time. */
size_t dqc_sql_statement_end(const char *sql, size_t len);

/* 1 if sql[0..len) holds nothing but whitespace, comments and ';'. */
int dqc_sql_is_blank(const char *sql, size_t len);

/* Released and current dqlite servers write a result's column names at the
 * top of every 4 KiB ROWS page and add rows only while the page has room:
 * when the names take DQC_SQL_NAMES_LIMIT bytes or more (each name with its
 * NUL, padded to 8), no row ever fits and the server sends empty pages
 * forever. */
#define DQC_SQL_NAMES_LIMIT 4080u

/* A lower bound, from the text alone, of the bytes the result column names
 * of the first statement take in a ROWS page (each name + NUL, padded to
 * 8). SQLite names a result column by its alias, by the column name for a
 * plain column reference, and otherwise by the expression's text as written
 * (up to the next token, comments included); VALUES columns are "column1",
 * "column2", ... A `*` counts 0. 0 for statements that are not SELECT or
 * VALUES. Never more than what the server will send. */
size_t dqc_sql_names_min(const char *sql, size_t len);

#endif /* DQ_SQL_CLASSIFY_H */
