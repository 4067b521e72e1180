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
 * Transaction-control statements are parsed further so the driver can keep
 * its transaction and savepoint tracker in step with raw SQL.
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

/* Longest savepoint name the tracker keeps (longer names are untracked). */
#define DQC_SQL_NAME_MAX 63

typedef struct dqc_sql_info {
	int kind;           /* enum dqc_sql_kind */
	int returns_rows;   /* 1: send QUERY; 0: send EXEC */
	int maybe_rows;     /* PRAGMA: try QUERY, fall back to EXEC */
	int is_write;       /* may modify the database (INSERT/UPDATE/DELETE/DDL/OTHER) */
	int has_returning;  /* INSERT/UPDATE/DELETE ... RETURNING (needs server >= 1.15) */
	/* SAVEPOINT / RELEASE / ROLLBACK TO: the name, lower-cased, when it is a
	 * bare ASCII identifier [A-Za-z_][A-Za-z0-9_]* of at most
	 * DQC_SQL_NAME_MAX bytes; then name_tracked = 1. A quoted, backticked,
	 * bracketed, non-ASCII, leading-digit or too-long name leaves name ""
	 * and name_tracked = 0. */
	char name[DQC_SQL_NAME_MAX + 1];
	int name_tracked;
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

#endif /* DQ_SQL_CLASSIFY_H */
