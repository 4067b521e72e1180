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

/* The check before SQLPrepare, SQLExecute, SQLExecDirect and the catalog
 * functions: an open cursor is 24000, unless SQLCancel found it idle.
 * unixODBC takes any successful SQLCancel as SQLFreeStmt(SQL_CLOSE) (S5-S7
 * to S1/S3, as Appendix B and ODBC 2 have it; the ODBC 3 reference says
 * such a cancel has no effect), so its application can no longer fetch
 * that cursor (HY010) nor SQLCloseCursor it (24000), and would be refused
 * here: the cursor is closed now instead. Until then it stays readable (an application calling
 * the driver directly sees the cancel as having no effect). */
SQLRETURN dq_stmt_no_cursor(dq_stmt *s)
{
	if (s->state != DQ_S_CURSOR)
		return SQL_SUCCESS;
	if (!s->cursor_canceled)
		return dq_error(&s->h, "24000", "a cursor is open on the statement");
	return dq_results_close(s) == SQL_ERROR ? SQL_ERROR : SQL_SUCCESS;
}
