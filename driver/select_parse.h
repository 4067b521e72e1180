/*
 * select_parse.h -- recognises a plain single-table SELECT, so result
 * columns can take the declared types of the table (result_schema.c):
 *
 *     SELECT [DISTINCT|ALL] item, ... FROM [schema.]table [[AS] alias] [rest]
 *
 * with one table and no join or compound (UNION, ...). Pure: text in,
 * struct out.
 */
#ifndef DQ_SELECT_PARSE_H
#define DQ_SELECT_PARSE_H

#define DQ_SELECT_MAX_ITEMS 256

typedef struct dq_select_item {
	int star;          /* `*` or `t.*` */
	char *column;      /* a bare column reference (optionally aliased),
	                      unquoted; NULL for an expression */
} dq_select_item;

typedef struct dq_plain_select {
	char *table;       /* unquoted table name */
	dq_select_item items[DQ_SELECT_MAX_ITEMS];
	int nitems;
} dq_plain_select;

/* 1 when sql is a plain single-table SELECT, with *ps filled (free it with
 * dq_plain_select_free); 0 otherwise (nothing to free). Never fails on
 * input; out of memory answers 0. */
int dq_parse_plain_select(const char *sql, dq_plain_select *ps);
void dq_plain_select_free(dq_plain_select *ps);

/* The first statement of sql (a SELECT, VALUES or WITH ... SELECT, as
 * sql_classify calls DQC_SQL_SELECT) changed to return no rows, with the
 * same result columns and the same parameter markers in the same order,
 * so it can be described by running it (describe.c): without a LIMIT, "\nLIMIT 0" is appended (before a
 * terminating ';'); its own top-level LIMIT e becomes LIMIT 0 AND (e)
 * (LIMIT o, e: LIMIT o, 0 AND (e)). SQLite allows no LIMIT after a
 * compound whose last member is VALUES: that text becomes
 * SELECT * FROM (sql) LIMIT 0 and *wrapped is 1 (SQLite then names the
 * columns as a subquery's: a duplicate name gets ":N" appended).
 * malloc'd; NULL when out of memory. */
char *dq_select_no_rows(const char *sql, int *wrapped);

/* The no-rows form of a PRAGMA that only reads, for describing it:
 * `PRAGMA [schema.]name[(arg)][;]` where name is one of the listing
 * pragmas (table_info, table_xinfo, table_list, index_list, index_info,
 * index_xinfo, foreign_key_list, database_list, collation_list,
 * compile_options) becomes SELECT * FROM pragma_name([arg[, 'schema']])
 * LIMIT 0, a bare-word arg quoted as a string. SQLite's table-valued
 * pragma functions exist only for pragmas without side effects, and these
 * name the same columns as the PRAGMA. Any other text (an assignment,
 * another pragma, a quoted name, more statements) answers NULL with
 * *other set to 1; out of memory answers NULL with *other 0. */
char *dq_pragma_no_rows(const char *sql, int *other);

#endif /* DQ_SELECT_PARSE_H */
