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

#endif /* DQ_SELECT_PARSE_H */
