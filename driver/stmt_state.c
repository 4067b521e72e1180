/*
 * stmt_state.c -- the one place a statement's state changes.
 *
 * The driver's states fold ODBC's statement state table (Appendix B of the
 * ODBC reference): S1 allocated; S2/S3 prepared; S4 executed without a
 * result set; S5-S7 a cursor open; S8-S10 data at execution pending. Only
 * one move is never legal: from an open cursor straight to pending data
 * (SQLExecute on a cursor is 24000 before anything runs). The rest of the
 * table is checked where the function is called (24000 / HY010 before any
 * work); here the move and what each state implies about the statement's
 * own fields are asserted, so a wrong move fails in debug builds.
 */
#include "internal.h"

#include <assert.h>

int dq_stmt_idle_state(const dq_stmt *s)
{
	return s->sql && s->app_prepared ? DQ_S_PREPARED : DQ_S_ALLOCATED;
}

void dq_stmt_set_state(dq_stmt *s, int to)
{
	assert(to >= DQ_S_ALLOCATED && to <= DQ_S_NEED_DATA);
	assert(!(s->state == DQ_S_CURSOR && to == DQ_S_NEED_DATA));
	/* a cursor has columns and a source of rows */
	assert(to != DQ_S_CURSOR || s->res.rows || s->res.mem || s->res.done);
	/* without a cursor there is no result */
	assert(to == DQ_S_CURSOR || (s->res.rows == NULL && s->res.mem == NULL));
	/* prepared, executed and pending data need the SQL text */
	assert(to == DQ_S_ALLOCATED || to == DQ_S_CURSOR || s->sql);
	/* pending data has data-at-execution parameters */
	assert(to != DQ_S_NEED_DATA || s->dae_n > 0 || s->apd->count > 0);
	s->state = to;
	s->cursor_canceled = 0;
}
