/*
 * param_parse.h -- what each parameter marker of a statement stands for,
 * where the text says so, so SQLDescribeParam can describe it from the
 * schema (param_describe.c). Pure: text in, struct out.
 *
 * A marker's target is a column when it is
 *   - an element of an INSERT's VALUES row: the column at that position
 *     of the column list, or of the table when there is none;
 *   - one side of a comparison with a column reference, at the top of
 *     its operand (`col = ?`, `t.col <> ?`, `? < col`, and so UPDATE's
 *     `SET col = ?`): = == != <> < <= > >= IS [NOT];
 *   - a bound of `col [NOT] BETWEEN ? AND ?` or an element of
 *     `col [NOT] IN (?, ...)`;
 * and a row count for `LIMIT ?` / `OFFSET ?` (`LIMIT ?, ?`). Any other
 * marker has no target (an expression's operand, LIKE's pattern, ...).
 * Markers are numbered as SQLite numbers them: `?` takes the next number,
 * `?NNN` that number, `:name` / `@name` / `$name` the number of the first
 * use of the name.
 */
#ifndef DQ_PARAM_PARSE_H
#define DQ_PARAM_PARSE_H

enum dq_target_kind {
	DQ_TARGET_NONE = 0,
	DQ_TARGET_COLUMN,  /* table / column (or position) below */
	DQ_TARGET_COUNT    /* LIMIT / OFFSET: an integer row count */
};

typedef struct dq_param_target {
	int kind;          /* enum dq_target_kind */
	char *table;       /* unquoted table name; NULL: the statement's
	                      tables in order (dq_param_map.tables) */
	char *column;      /* unquoted column name; NULL with position */
	int position;      /* INSERT without a column list: the 0-based
	                      position among the table's columns */
} dq_param_target;

typedef struct dq_param_map {
	dq_param_target *targets; /* [i] for parameter number i + 1 */
	int n;                    /* the highest parameter number */
	char **tables;            /* tables the statement names, in order */
	int ntables;
} dq_param_map;

/* Maps sql's first statement. 0, or -1 when out of memory (nothing to
 * free then). Never fails on input: text it does not follow gives markers
 * without a target. */
int dq_param_map_parse(const char *sql, dq_param_map *out);
void dq_param_map_free(dq_param_map *m);

#endif /* DQ_PARAM_PARSE_H */
