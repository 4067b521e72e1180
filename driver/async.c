/*
 * async.c -- asynchronous execution, ODBC's polling method
 * (docs/statements.md, "Asynchronous execution").
 *
 * A call on a handle with async enabled does its argument checks in the
 * application's thread, then runs its ordinary synchronous body on a
 * worker thread of its own (one per pending call, ended when its result is
 * collected) and returns SQL_STILL_EXECUTING. The worker takes the
 * connection's lock and brackets the call for the session exactly as an
 * entry point does, so deadlines, failover, the transaction contract and
 * SQLCancel apply unchanged. Each later call of the same function polls:
 * SQL_STILL_EXECUTING until the worker finished, then its return code
 * with its diagnostics on the handle, once; then the handle is idle.
 *
 * Uses only the session layer and diag.c, so every file above may call it.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void dq_async_init(dq_async *a)
{
	memset(a, 0, sizeof *a);
	pthread_mutex_init(&a->lock, NULL);
	atomic_init(&a->cancel, 0);
}

void dq_async_fini(dq_async *a)
{
	pthread_mutex_destroy(&a->lock);
}

static void job_free_strings(dq_job *j)
{
	for (size_t i = 0; i < sizeof j->str / sizeof j->str[0]; i++) {
		free((void *)(uintptr_t)j->str[i]); /* owned while pending */
		j->str[i] = NULL;
	}
}

/* Copies j's borrowed strings: the worker outlives the entry point's
 * arguments. 0, or -1 (nothing left allocated). */
static int job_own_strings(dq_job *j)
{
	size_t n = sizeof j->str / sizeof j->str[0];

	for (size_t i = 0; i < n; i++) {
		if (j->str[i] == NULL || (j->str[i] = strdup(j->str[i])) != NULL)
			continue;
		for (size_t k = 0; k < i; k++)
			free((void *)(uintptr_t)j->str[k]);
		memset(j->str, 0, sizeof j->str);
		return -1;
	}
	return 0;
}

static dq_async *async_of(dq_handle *h)
{
	if (h->type == DQ_HSTMT)
		return &((dq_stmt *)h)->async;
	if (h->type == DQ_HDBC)
		return &((dq_dbc *)h)->async;
	return NULL;
}

static dq_dbc *dbc_of(dq_handle *h)
{
	return h->type == DQ_HSTMT ? ((dq_stmt *)h)->dbc : (dq_dbc *)h;
}

/* The worker: the entry point's bracket (lock, diagnostics cleared,
 * deadline and cancel scope) around the call's synchronous body. A cancel
 * that came before the worker got the lock (it may wait for another
 * statement's call) is honoured here; one that comes later fires the
 * session's cancel like SQLCancel on a synchronous call. */
static void *worker(void *arg)
{
	dq_handle *h = arg;
	dq_async *a = async_of(h);
	dq_dbc *dbc = dbc_of(h);
	SQLRETURN rc;

	pthread_mutex_lock(&dbc->lock);
	dq_diag_clear(&h->diag);
	/* the timeout counts from here, read under the lock (the connection's
	 * attributes may change while the call waited for it) */
	dq_sess_call_begin(&dbc->sess, h,
			   h->type == DQ_HSTMT ? dq_stmt_timeout((dq_stmt *)h)
					       : dq_dbc_timeout(dbc));
	if (atomic_load(&a->cancel))
		rc = dq_error(h, "HY008", "operation canceled (SQLCancel) before it "
			      "started");
	else
		rc = a->job.run(h, &a->job);
	dq_sess_call_end(&dbc->sess);
	h->diag.rc = rc;
	pthread_mutex_unlock(&dbc->lock);

	pthread_mutex_lock(&a->lock);
	a->rc = rc;
	a->state = DQ_ASYNC_DONE;
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

/* Hands j to a worker thread; the handle is busy until the poll that
 * collects the result. Runs j here when no thread can be started. */
static SQLRETURN start(dq_handle *h, int fn, dq_job *j)
{
	dq_async *a = async_of(h);
	dq_dbc *dbc = dbc_of(h);
	SQLRETURN rc;

	if (job_own_strings(j) != 0)
		return dq_error(h, "HY001", "memory allocation failure");
	a->job = *j;
	atomic_store(&a->cancel, 0);
	pthread_mutex_lock(&a->lock);
	a->state = DQ_ASYNC_RUNNING;
	a->fn = fn;
	pthread_mutex_unlock(&a->lock);
	dq_diag_clear(&h->busy_diag);
	h->busy_diag.rc = SQL_STILL_EXECUTING;
	if (h->type == DQ_HSTMT)
		atomic_fetch_add(&dbc->async_stmts, 1);
	atomic_store(&h->busy, 1);
	if (pthread_create(&a->thread, NULL, worker, h) == 0)
		return SQL_STILL_EXECUTING;
	/* No thread: the call completes synchronously, which ODBC allows. */
	atomic_store(&h->busy, 0);
	if (h->type == DQ_HSTMT)
		atomic_fetch_sub(&dbc->async_stmts, 1);
	pthread_mutex_lock(&a->lock);
	a->state = DQ_ASYNC_IDLE;
	pthread_mutex_unlock(&a->lock);
	rc = a->job.run(h, &a->job);
	job_free_strings(&a->job);
	return rc;
}

SQLRETURN dq_async_stmt_call(dq_stmt *s, int fn, dq_job *j)
{
	if (s->async_enable != SQL_ASYNC_ENABLE_ON)
		return j->run(s, j);
	return start(&s->h, fn, j);
}

SQLRETURN dq_async_dbc_call(dq_dbc *dbc, int fn, dq_job *j)
{
	if (dbc->async_dbc_enable != SQL_ASYNC_DBC_ENABLE_ON)
		return j->run(dbc, j);
	if (dq_async_stmts_pending(dbc))
		return dq_error(&dbc->h, "HY010", "function sequence error: a "
				"statement of this connection has an asynchronous "
				"call still executing");
	return start(&dbc->h, fn, j);
}

/* The pending call finished and its result was taken: the worker is
 * joined (it has let go of everything) and the handle is idle. */
static void collect(dq_handle *h, dq_async *a)
{
	pthread_join(a->thread, NULL);
	job_free_strings(&a->job);
	if (h->type == DQ_HSTMT)
		atomic_fetch_sub(&dbc_of(h)->async_stmts, 1);
	dq_diag_clear(&h->busy_diag);
	atomic_store(&h->busy, 0);
}

int dq_async_poll(void *handle, int fn, SQLRETURN *rc)
{
	dq_handle *h = handle;
	dq_async *a;
	int state, pending_fn;

	if (h == NULL || h->magic != DQ_MAGIC || !atomic_load(&h->busy))
		return 0;
	a = async_of(h);
	if (a == NULL)
		return 0;
	pthread_mutex_lock(&a->lock);
	state = a->state;
	pending_fn = a->fn;
	if (state == DQ_ASYNC_DONE && fn == pending_fn)
		a->state = DQ_ASYNC_IDLE;
	pthread_mutex_unlock(&a->lock);
	if (state == DQ_ASYNC_IDLE)
		return 0; /* collected meanwhile by another thread */
	dq_diag_clear(&h->busy_diag);
	if (fn != pending_fn) {
		*rc = dq_busy_error(h, "an asynchronous call is still executing on "
				    "this handle: call that function again until it "
				    "returns something other than SQL_STILL_EXECUTING, "
				    "or cancel it");
		return 1;
	}
	if (state == DQ_ASYNC_RUNNING) {
		h->busy_diag.rc = SQL_STILL_EXECUTING;
		*rc = SQL_STILL_EXECUTING;
		return 1;
	}
	collect(h, a);
	*rc = a->rc;
	return 1;
}

int dq_async_cancel(void *handle)
{
	dq_handle *h = handle;
	dq_async *a = async_of(h);

	if (a == NULL || !atomic_load(&h->busy))
		return 0;
	atomic_store(&a->cancel, 1);
	dq_sess_cancel(&dbc_of(h)->sess, h);
	return 1;
}

void dq_async_cancel_running(dq_dbc *dbc)
{
	const void *who;

	if (!dq_async_stmts_pending(dbc))
		return;
	/* A pooled connection has no other user: a statement's call in
	 * progress is a worker's (the handle stays valid: freeing it needs
	 * the lock this call has not taken yet). */
	who = dq_sess_running(&dbc->sess);
	if (who != NULL && ((const dq_handle *)who)->type == DQ_HSTMT)
		dq_sess_cancel(&dbc->sess, who);
}

int dq_async_stmts_pending(dq_dbc *dbc)
{
	return atomic_load(&dbc->async_stmts) > 0;
}

void dq_async_drain(dq_stmt *s)
{
	dq_async *a = &s->async;
	dq_session *sess;
	const void *who;
	uint64_t deadline;
	int state;

	if (!atomic_load(&s->h.busy))
		return;
	dq_async_cancel(s);
	pthread_mutex_lock(&a->lock);
	state = a->state;
	a->state = DQ_ASYNC_IDLE;
	pthread_mutex_unlock(&a->lock);
	if (state == DQ_ASYNC_IDLE)
		return;
	/* The worker may be waiting for the lock the caller holds; its call
	 * bracket replaces the caller's, which is begun again afterwards with
	 * what was left of its time. */
	sess = &s->dbc->sess;
	who = sess->running;
	deadline = sess->conn ? dqc_scope_deadline(sess->conn) : 0;
	dq_sess_call_end(sess);
	pthread_mutex_unlock(&s->dbc->lock);
	collect(&s->h, a);
	pthread_mutex_lock(&s->dbc->lock);
	if (who != NULL) {
		uint64_t now = dqc_now_ms();
		unsigned left = deadline == 0 ? 0
			      : deadline <= now ? 1
			      : (unsigned)((deadline - now + 999) / 1000);
		dq_sess_call_begin(sess, who, left);
	}
}
