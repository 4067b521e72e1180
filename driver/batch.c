/*
 * batch.c -- the outcomes of one execution, in order: the result set or row
 * count made current now, and those a batch of statements queued for
 * SQLMoreResults. Making a result current opens its cursor: a static cursor
 * (cursor.c) reads its rows into memory there.
 */
#include "internal.h"

#include <stdlib.h>

SQLRETURN dq_result_open(dq_stmt *s, dqc_rows *rows)
{
	SQLRETURN ret = dq_result_from_rows(s, rows), held;

	if (!SQL_SUCCEEDED(ret) || s->cursor_type != SQL_CURSOR_STATIC)
		return ret;
	/* with info when dropping the rest (SQL_ATTR_MAX_ROWS) cost the
	 * link: the rows are held all the same */
	held = dq_cursor_materialize(s);
	if (!SQL_SUCCEEDED(held)) {
		/* this result goes; a batch's queued ones stay */
		dq_result_clear(s);
		dq_stmt_set_state(s, dq_stmt_idle_state(s));
		return held;
	}
	return held == SQL_SUCCESS ? ret : held;
}

SQLRETURN dq_results_queue(dq_stmt *s, dqc_rows *rows, SQLLEN row_count)
{
	dq_batch *b = &s->batch;
	if (b->n % 8 == 0) {
		dq_batch_item *p = realloc(b->items, (b->n + 8) * sizeof *p);
		if (p == NULL) {
			dq_rows_discard(s, rows);
			return dq_error(&s->h, "HY001", "memory allocation failure");
		}
		b->items = p;
	}
	b->items[b->n].rows = rows;
	b->items[b->n].row_count = row_count;
	b->n++;
	return SQL_SUCCESS;
}

/* Makes the next queued outcome current. SQL_NO_DATA when none is left. */
static SQLRETURN take_next(dq_stmt *s)
{
	dq_batch *b = &s->batch;
	dq_batch_item it;

	if (b->pos >= b->n)
		return SQL_NO_DATA;
	it = b->items[b->pos++];
	b->items[b->pos - 1].rows = NULL;
	if (it.rows)
		return dq_result_open(s, it.rows);
	s->row_count = it.row_count;
	dq_stmt_set_state(s, DQ_S_EXECUTED);
	return SQL_SUCCESS;
}

SQLRETURN dq_results_first(dq_stmt *s)
{
	SQLRETURN ret = take_next(s);
	if (ret != SQL_NO_DATA)
		return ret;
	/* only blank statements: nothing ran */
	s->row_count = -1;
	dq_stmt_set_state(s, DQ_S_EXECUTED);
	return SQL_SUCCESS;
}

SQLRETURN dq_more_results(dq_stmt *s)
{
	SQLRETURN ret;

	if (s->state != DQ_S_EXECUTED && s->state != DQ_S_CURSOR)
		return SQL_NO_DATA;
	SQLRETURN cleared = dq_result_clear(s); /* info when it cost the link */
	/* the cursor is closed: executed, or for a catalog result (which has
	 * no SQL text and queues nothing) straight back to allocated */
	if (s->state == DQ_S_CURSOR)
		dq_stmt_set_state(s, s->sql ? DQ_S_EXECUTED : dq_stmt_idle_state(s));
	/* the queued results are in memory already */
	ret = take_next(s);
	if (ret == SQL_NO_DATA)
		dq_results_close(s);
	return ret == SQL_SUCCESS ? cleared : ret;
}
