/*
 * result.c -- query results streamed page by page.
 *
 * While a result streams, the page being read lives in the link's receive
 * buffer and cells point into it: no copy, no malloc per row or cell. When
 * another request needs the link first (dqc_rows_buffer), the current page is
 * copied (and the current row's cells re-pointed into the copy) and the
 * remaining pages are read into owned buffers, so the result stays readable.
 */
#include "client_internal.h"

#include <stdlib.h>
#include <string.h>

static void free_pages(dqc_rows *r)
{
	dq_page *p = r->head;
	while (p) {
		dq_page *next = p->next;
		free(p);
		p = next;
	}
	r->head = r->tail = NULL;
	free(r->cur_owned);
	r->cur_owned = NULL;
}

/* Ends the result; when rc != 0 it is remembered and returned again. */
static int finish(dqc_rows *r, int rc)
{
	r->finished = 1;
	r->err = rc;
	if (r->c && r->c->active == r && !r->streaming)
		r->c->active = NULL;
	return rc;
}

static int protocol_error(dqc_rows *r, const char *what)
{
	dqc_conn *c = r->c;
	r->streaming = 0;
	if (c) {
		if (c->active == r)
			c->active = NULL;
		snprintf(c->link.err, sizeof c->link.err,
			 "protocol error: %s from %s", what, c->link.peer);
		c->link.fatal = 1;
		dq_link_failed(c, DQC_EPROTO);
	}
	return finish(r, DQC_EPROTO);
}

int dq_rows_start(dqc_conn *c, const uint8_t *body, size_t len,
		  dqc_rows **out)
{
	dqc_rows *r;

	r = calloc(1, sizeof *r);
	if (r == NULL)
		return dq_set_error(c, DQC_ENOMEM, 0, "out of memory");
	r->c = c;
	if (dqw_rows_begin(&r->pg, body, len) != DQW_OK) {
		free(r);
		snprintf(c->link.err, sizeof c->link.err,
			 "protocol error: malformed ROWS from %s", c->link.peer);
		c->link.fatal = 1;
		return dq_link_failed(c, DQC_EPROTO);
	}
	r->ncols = (unsigned)r->pg.column_count;
	r->names = calloc(r->ncols ? r->ncols : 1, sizeof *r->names);
	r->cells = calloc(r->ncols ? r->ncols : 1, sizeof *r->cells);
	if (r->names == NULL || r->cells == NULL)
		goto nomem;
	for (unsigned i = 0; i < r->ncols; i++) {
		r->names[i] = strdup(dqw_rows_column_name(&r->pg, i));
		if (r->names[i] == NULL)
			goto nomem;
	}
	r->streaming = 1;
	r->pages_seen = 1;
	c->active = r;
	*out = r;
	return 0;
nomem:
	r->streaming = 0;
	dqc_rows_close(r);
	/* The rest of the result is still due: resync the link. */
	dq_interrupt_and_drain(c);
	return dq_set_error(c, DQC_ENOMEM, 0, "out of memory");
}

unsigned dqc_rows_column_count(const dqc_rows *r)
{
	return r->ncols;
}

const char *dqc_rows_column_name(const dqc_rows *r, unsigned i)
{
	return i < r->ncols ? r->names[i] : NULL;
}

int dqc_rows_complete(const dqc_rows *r)
{
	return !r->streaming;
}

static int limit_error(dqc_rows *r, const char *what, uint64_t cap)
{
	dqc_conn *c = r->c;
	if (r->streaming && c && c->active == r) {
		r->streaming = 0;
		c->active = NULL;
		dq_interrupt_and_drain(c);
	}
	r->streaming = 0;
	free_pages(r);
	if (c)
		dq_set_error(c, DQC_ELIMIT, 0,
			     "the result has more than %llu %s; raise the limit "
			     "(%s) or narrow the query (LIMIT / WHERE)",
			     (unsigned long long)cap, what,
			     what[0] == 'r' ? "MaxTotalRows" : "MaxContinuationFrames");
	return finish(r, DQC_ELIMIT);
}

/* Makes an owned page current. */
static int begin_owned(dqc_rows *r, dq_page *p)
{
	free(r->cur_owned);
	r->cur_owned = p;
	if (dqw_rows_begin(&r->pg, p->data, p->len) != DQW_OK ||
	    r->pg.column_count != r->ncols)
		return protocol_error(r, "malformed ROWS page");
	return 0;
}

/* Reads the next ROWS frame from the link (body stays in the link buffer). */
static int read_page(dqc_rows *r, const uint8_t **body, size_t *len)
{
	dqc_conn *c = r->c;
	dqw_header h;
	int rc;

	if (c->max_pages && r->pages_seen >= c->max_pages)
		return limit_error(r, "pages", c->max_pages);
	rc = dq_read_reply(c, &h, body);
	if (rc != 0) {
		/* A FAILURE mid-result ends the result; the link is in step
		 * (or already closed by the engine for link errors). */
		r->streaming = 0;
		if (c->active == r)
			c->active = NULL;
		return finish(r, rc);
	}
	if (h.type != DQW_RESP_ROWS)
		return protocol_error(r, "unexpected message in a result");
	r->pages_seen++;
	*len = dqw_body_size(&h);
	return 0;
}

static int next_page(dqc_rows *r)
{
	const uint8_t *body;
	size_t len;
	int rc;

	if (r->head) {
		dq_page *p = r->head;
		r->head = p->next;
		if (r->head == NULL)
			r->tail = NULL;
		return begin_owned(r, p);
	}
	if (!r->streaming || r->c == NULL || r->c->active != r)
		return protocol_error(r, "result ended without its last page");
	rc = read_page(r, &body, &len);
	if (rc != 0)
		return rc;
	free(r->cur_owned);
	r->cur_owned = NULL;
	if (dqw_rows_begin(&r->pg, body, len) != DQW_OK ||
	    r->pg.column_count != r->ncols)
		return protocol_error(r, "malformed ROWS page");
	return 0;
}

int dqc_rows_next(dqc_rows *r, const dqc_value **cells)
{
	if (r->finished)
		return r->err;
	for (;;) {
		int k = dqw_rows_next(&r->pg, r->cells);
		if (k == DQW_ROWS_ROW) {
			uint64_t cap = r->c ? r->c->max_rows : 0;
			if (cap && r->rows_seen >= cap)
				return limit_error(r, "rows", cap);
			r->rows_seen++;
			*cells = r->cells;
			return 1;
		}
		if (k == DQW_ROWS_DONE) {
			r->streaming = 0;
			return finish(r, 0);
		}
		if (k == DQW_ROWS_MORE) {
			int rc = next_page(r);
			if (rc != 0)
				return rc;
			continue;
		}
		return protocol_error(r, "malformed row");
	}
}

static dq_page *copy_page(const uint8_t *body, size_t len)
{
	dq_page *p = malloc(sizeof *p + (len ? len : 1));
	if (p == NULL)
		return NULL;
	p->next = NULL;
	p->len = len;
	memcpy(p->data, body, len);
	return p;
}

/* Walks a page from pg's position to its end marker without disturbing the
 * caller's cells. Returns DQW_ROWS_MORE / DQW_ROWS_DONE or DQW_EMALFORMED. */
static int page_end(const dqw_rows_page *pg, dqc_value *scratch)
{
	dqw_rows_page walk = *pg;
	int k;
	while ((k = dqw_rows_next(&walk, scratch)) == DQW_ROWS_ROW)
		;
	return k;
}

int dqc_rows_buffer(dqc_rows *r)
{
	dqc_conn *c = r->c;
	dqc_value *scratch;
	int k, rc = 0;

	if (!r->streaming || r->finished || c == NULL || c->active != r) {
		if (c && c->active == r)
			c->active = NULL;
		return 0;
	}
	scratch = calloc(r->ncols ? r->ncols : 1, sizeof *scratch);
	if (scratch == NULL)
		return dq_set_error(c, DQC_ENOMEM, 0, "out of memory");
	/* 1. The current page still lives in the link buffer: copy it and
	 *    re-point the current row's cells into the copy. */
	if (r->cur_owned == NULL) {
		const uint8_t *old = r->pg.body;
		dq_page *p = copy_page(old, r->pg.len);
		if (p == NULL) {
			free(scratch);
			return dq_set_error(c, DQC_ENOMEM, 0, "out of memory");
		}
		for (unsigned i = 0; i < r->ncols; i++) {
			dqc_value *v = &r->cells[i];
			if (v->type == DQC_TEXT || v->type == DQC_ISO8601) {
				if (v->v.text.ptr)
					v->v.text.ptr = (const char *)p->data +
						((const uint8_t *)v->v.text.ptr - old);
			} else if (v->type == DQC_BLOB && v->v.blob.ptr) {
				v->v.blob.ptr = p->data +
					((const uint8_t *)v->v.blob.ptr - old);
			}
		}
		r->pg.body = p->data;
		r->cur_owned = p;
	}
	/* 2. Read pages until the one carrying the DONE marker. */
	k = page_end(&r->pg, scratch);
	if (r->tail)
		k = DQW_ROWS_MORE; /* pages already queued: keep reading */
	while (rc == 0 && k == DQW_ROWS_MORE) {
		const uint8_t *body;
		size_t len;
		dqw_rows_page pg;
		dq_page *p;
		rc = read_page(r, &body, &len);
		if (rc != 0)
			break;
		p = copy_page(body, len);
		if (p == NULL) {
			rc = dq_set_error(c, DQC_ENOMEM, 0, "out of memory");
			break;
		}
		if (r->tail)
			r->tail->next = p;
		else
			r->head = p;
		r->tail = p;
		if (dqw_rows_begin(&pg, p->data, p->len) != DQW_OK ||
		    pg.column_count != r->ncols) {
			rc = protocol_error(r, "malformed ROWS page");
			break;
		}
		k = page_end(&pg, scratch);
	}
	free(scratch);
	if (rc != 0)
		return rc;
	if (k != DQW_ROWS_DONE)
		return protocol_error(r, "malformed ROWS page");
	r->streaming = 0;
	c->active = NULL;
	return 0;
}

/* 1 when the page being read carries the result's last marker, so nothing
 * more is due from the server (the common case for small results). */
static int last_page_in_hand(const dqc_rows *r)
{
	dqc_value small[16], *scratch = small;
	int k;
	if (r->head || r->ncols == 0 || r->pg.body == NULL)
		return 0;
	if (r->ncols > 16 && !(scratch = calloc(r->ncols, sizeof *scratch)))
		return 0;
	k = page_end(&r->pg, scratch);
	if (scratch != small)
		free(scratch);
	return k == DQW_ROWS_DONE;
}

void dqc_rows_close(dqc_rows *r)
{
	if (r == NULL)
		return;
	if (r->c && r->c->active == r) {
		r->c->active = NULL;
		/* Abandoning a result that is still streaming needs INTERRUPT;
		 * one whose last page is already here needs nothing. */
		if (r->streaming && !last_page_in_hand(r))
			dq_interrupt_and_drain(r->c);
	}
	free_pages(r);
	if (r->names)
		for (unsigned i = 0; i < r->ncols; i++)
			free(r->names[i]);
	free(r->names);
	free(r->cells);
	free(r);
}
