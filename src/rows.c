/*
 * rows.c -- a query result as data (see rows.h). No I/O.
 */
#include "rows.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void free_queue(dqc_rows *r)
{
	dqe_page *p = r->head;
	while (p) {
		dqe_page *next = p->next;
		free(p);
		p = next;
	}
	r->head = r->tail = NULL;
}

/* Length of src once every run of non-blank characters longer than lim is
 * cut to lim (its ends kept around "..."). */
static size_t fit_len(const char *src, size_t lim)
{
	size_t total = 0, run = 0;

	for (const char *p = src;; p++) {
		if (*p != ' ' && *p != '\0') {
			run++;
			continue;
		}
		total += (run > lim ? lim : run) + (*p == ' ');
		run = 0;
		if (*p == '\0')
			return total;
	}
}

/* Writes src with every run longer than lim cut to lim (dst is big
 * enough: fit_len). */
static void fit_runs(char *dst, const char *src, size_t lim)
{
	while (*src) {
		size_t run = strcspn(src, " ");
		if (run > lim) {
			size_t tail = (lim - 3) / 2, head = lim - 3 - tail;
			memcpy(dst, src, head);
			memcpy(dst + head, "...", 3);
			memcpy(dst + head + 3, src + run - tail, tail);
			dst += lim;
		} else {
			memcpy(dst, src, run);
			dst += run;
		}
		src += run;
		if (*src == ' ')
			*dst++ = *src++;
	}
	*dst = '\0';
}

void dqe_msg_fit(char *dst, size_t cap, const char *src)
{
	static const char gap[] = " ... ";
	size_t n = strlen(src), head, tail, lo = 16, hi = n;

	if (n < cap || cap < 2 * sizeof gap) {
		snprintf(dst, cap, "%s", src);
		return;
	}
	/* the fixed words of a message are short, its names long: cut the
	 * long runs (the longest run allowed: the largest that fits) */
	if (fit_len(src, lo) < cap) {
		while (lo < hi) {
			size_t mid = lo + (hi - lo + 1) / 2;
			if (fit_len(src, mid) < cap)
				lo = mid;
			else
				hi = mid - 1;
		}
		fit_runs(dst, src, lo);
		return;
	}
	/* many short words: keep both ends, the end (the kind of error in
	 * SQLite's "<names>: what" messages) the smaller share */
	tail = (cap - sizeof gap) / 3;
	head = cap - sizeof gap - tail;
	memcpy(dst, src, head);
	memcpy(dst + head, gap, sizeof gap - 1);
	memcpy(dst + head + sizeof gap - 1, src + n - tail, tail);
	dst[cap - 1] = '\0';
}

void dqe_rows_fail(dqc_rows *r, int rc, uint64_t code, const char *msg)
{
	assert(rc < 0);
	if (r->err == 0 || !r->finished) {
		r->err = rc;
		r->err_code = code;
		if (msg != r->errmsg)
			dqe_msg_fit(r->errmsg, sizeof r->errmsg, msg ? msg : "");
	}
	r->finished = 1;
	free_queue(r);
}

void dqe_rows_cut(dqc_rows *r, int rc, uint64_t code, const char *msg)
{
	assert(rc < 0);
	if (r->err == 0) {
		r->err = rc;
		r->err_code = code;
		dqe_msg_fit(r->errmsg, sizeof r->errmsg, msg ? msg : "");
	}
}

static int fail_proto(dqc_rows *r, const char *what)
{
	dqe_rows_fail(r, DQC_EPROTO, 0, what);
	return DQC_EPROTO;
}

/* Starts reading a later page of r into pg: its names must parse and their
 * count be r's. DQC_OK, or r fails with DQC_EPROTO. */
static int begin_page(dqc_rows *r, dqw_rows_page *pg, const uint8_t *body,
		      size_t len)
{
	if (dqw_rows_begin(pg, body, len) != DQW_OK || pg->column_count != r->ncols)
		return fail_proto(r, "malformed ROWS page");
	return DQC_OK;
}

int dqe_rows_page_kind(const uint8_t *body, size_t len)
{
	dqw_rows_page pg;

	if (dqw_rows_begin(&pg, body, len) != DQW_OK)
		return DQC_EPROTO;
	/* a row that follows is checked when it is read; servers >= 1.18.2
	 * answer a zero-column query with an empty page (no row can follow) */
	switch (dqw_rows_peek(&pg)) {
	case DQW_ROWS_ROW:
		return pg.column_count ? DQE_PAGE_ROWS : DQC_EPROTO;
	case DQW_ROWS_DONE: return DQE_PAGE_EMPTY_DONE;
	case DQW_ROWS_MORE: return DQE_PAGE_EMPTY_MORE;
	default: return DQC_EPROTO;
	}
}

int dqe_rows_new(const uint8_t *body, size_t len, uint64_t max_rows,
		 uint64_t max_pages, dqc_rows **out)
{
	dqc_rows *r = calloc(1, sizeof *r);

	*out = NULL;
	if (r == NULL)
		return DQC_ENOMEM;
	if (dqw_rows_begin(&r->pg, body, len) != DQW_OK) {
		free(r);
		return DQC_EPROTO;
	}
	r->ncols = (unsigned)r->pg.column_count;
	r->max_rows = max_rows;
	r->max_pages = max_pages;
	r->pages_seen = 1;
	r->names = calloc(r->ncols ? r->ncols : 1, sizeof *r->names);
	r->cells = calloc(r->ncols ? r->ncols : 1, sizeof *r->cells);
	if (r->names == NULL || r->cells == NULL)
		goto nomem;
	for (unsigned i = 0; i < r->ncols; i++) {
		r->names[i] = strdup(dqw_rows_column_name(&r->pg, i));
		if (r->names[i] == NULL)
			goto nomem;
	}
	*out = r;
	return DQC_OK;
nomem:
	dqe_rows_free(r);
	return DQC_ENOMEM;
}

/* Makes an owned page the one being read. */
static int begin_owned(dqc_rows *r, dqe_page *p)
{
	free(r->cur_owned);
	r->cur_owned = p;
	return begin_page(r, &r->pg, p->data, p->len);
}

int dqe_rows_step(dqc_rows *r, const dqc_value **cells)
{
	char msg[160];

	if (r->finished)
		return r->err ? r->err : DQE_ROWS_END;
	for (;;) {
		int k = dqw_rows_next(&r->pg, r->cells);
		if (k == DQW_ROWS_ROW) {
			if (r->max_rows && r->rows_seen >= r->max_rows) {
				snprintf(msg, sizeof msg,
					 "the result has more than %llu rows (the "
					 "connection's row limit)",
					 (unsigned long long)r->max_rows);
				dqe_rows_fail(r, DQC_ELIMIT, 0, msg);
				return DQC_ELIMIT;
			}
			r->rows_seen++;
			*cells = r->cells;
			return DQE_ROWS_ROW;
		}
		if (k == DQW_ROWS_DONE) {
			r->finished = 1;
			return DQE_ROWS_END;
		}
		if (k != DQW_ROWS_MORE)
			return fail_proto(r, "malformed row in a ROWS page");
		if (r->head == NULL && r->streaming)
			return DQE_ROWS_NEED_PAGE;
		if (r->head == NULL) {
			/* cut: no page will come */
			int rc = r->err ? r->err : DQC_EPROTO;
			dqe_rows_fail(r, rc, r->err_code,
				      r->err ? r->errmsg
					     : "the result ended without its last page");
			return rc;
		}
		dqe_page *p = r->head;
		r->head = p->next;
		if (r->head == NULL)
			r->tail = NULL;
		if (begin_owned(r, p) != DQC_OK)
			return DQC_EPROTO;
	}
}

static int count_page(dqc_rows *r)
{
	char msg[160];
	if (r->max_pages && r->pages_seen >= r->max_pages) {
		snprintf(msg, sizeof msg,
			 "the result has more than %llu pages (the connection's "
			 "page limit)", (unsigned long long)r->max_pages);
		dqe_rows_cut(r, DQC_ELIMIT, 0, msg);
		return DQC_ELIMIT;
	}
	r->pages_seen++;
	return DQC_OK;
}

int dqe_rows_page_in_place(dqc_rows *r, const uint8_t *body, size_t len)
{
	int rc = count_page(r);
	if (rc != DQC_OK)
		return rc;
	free(r->cur_owned);
	r->cur_owned = NULL;
	return begin_page(r, &r->pg, body, len);
}

static dqe_page *copy_page(const uint8_t *body, size_t len)
{
	dqe_page *p = malloc(sizeof *p + (len ? len : 1));
	if (p == NULL)
		return NULL;
	p->next = NULL;
	p->len = len;
	memcpy(p->data, body, len);
	return p;
}

static void repoint(dqc_value *v, const uint8_t *from, const uint8_t *to)
{
	if ((v->type == DQC_TEXT || v->type == DQC_ISO8601) && v->v.text.ptr)
		v->v.text.ptr = (const char *)to + ((const uint8_t *)v->v.text.ptr - from);
	else if (v->type == DQC_BLOB && v->v.blob.ptr)
		v->v.blob.ptr = to + ((const uint8_t *)v->v.blob.ptr - from);
}

int dqe_rows_own_current(dqc_rows *r)
{
	const uint8_t *old;
	dqe_page *p;

	if (r->cur_owned || r->pg.body == NULL)
		return DQC_OK;
	old = r->pg.body;
	p = copy_page(old, r->pg.len);
	if (p == NULL)
		return DQC_ENOMEM;
	for (unsigned i = 0; i < r->ncols; i++)
		repoint(&r->cells[i], old, p->data);
	r->pg.body = p->data;
	r->cur_owned = p;
	return DQC_OK;
}

int dqe_rows_page_done(const uint8_t *body, size_t len)
{
	static const uint8_t done[8] = {0xff, 0xff, 0xff, 0xff,
					0xff, 0xff, 0xff, 0xff};
	return len >= 8 && memcmp(body + len - 8, done, 8) == 0;
}

int dqe_rows_queue_page(dqc_rows *r, const uint8_t *body, size_t len)
{
	dqw_rows_page pg;
	dqe_page *p;
	int rc = count_page(r);

	if (rc != DQC_OK)
		return rc;
	if ((rc = begin_page(r, &pg, body, len)) != DQC_OK)
		return rc;
	p = copy_page(body, len);
	if (p == NULL)
		return DQC_ENOMEM;
	if (r->tail)
		r->tail->next = p;
	else
		r->head = p;
	r->tail = p;
	return DQC_OK;
}

int dqe_rows_last_in_hand(const dqc_rows *r)
{
	if (r->tail)
		return dqe_rows_page_done(r->tail->data, r->tail->len);
	if (r->pg.body == NULL)
		return 0;
	return dqe_rows_page_done(r->pg.body, r->pg.len);
}

void dqe_rows_free(dqc_rows *r)
{
	if (r == NULL)
		return;
	free_queue(r);
	free(r->cur_owned);
	if (r->names)
		for (unsigned i = 0; i < r->ncols; i++)
			free(r->names[i]);
	free(r->names);
	free(r->cells);
	free(r);
}
