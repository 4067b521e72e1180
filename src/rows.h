/*
 * rows.h -- a query result as data (internal to src/): its column names, the
 * ROWS page being read, and the pages held in memory. Pure: no I/O. The
 * request machine (machine.h) feeds pages in; dqc_rows_next() takes rows out.
 *
 * While a result streams, the page being read lives in the transport's
 * buffer and cells point into it: no copy, no malloc per row or cell. When
 * the machine needs the link for another request it copies that page
 * (re-pointing the current row's cells) and queues the remaining pages as
 * owned copies, so the result stays readable.
 */
#ifndef DQE_ROWS_H
#define DQE_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "dqlite_client.h"
#include "wire.h"

struct dqe_machine;

/* One page held in memory (owned copy of a ROWS body). */
typedef struct dqe_page {
	struct dqe_page *next;
	size_t len;
	uint8_t data[];
} dqe_page;

struct dqc_rows {
	/* m and streaming belong to the request machine and only it sets
	 * them: m while the result is its active one (pages due on the
	 * link, or its last page still in the transport's buffer),
	 * streaming while pages are due; dqe_rows_step reads streaming to
	 * tell "need a page" from the end. */
	struct dqe_machine *m; /* the machine that streams it, while it does */
	unsigned ncols;
	char **names;
	dqc_value *cells;
	dqw_rows_page pg;      /* the page being read */
	dqe_page *cur_owned;   /* pg's body when it is an owned copy; NULL
	                          while pg.body is in the transport's buffer */
	dqe_page *head, *tail; /* owned pages not yet read */
	int streaming;         /* pages are still due on the link */
	int finished;          /* the end was reached, or err ended it */
	int err;               /* DQC_E* that ended the result early, or 0 */
	uint64_t err_code;     /* server code with err, if any */
	char errmsg[512];      /* why it ended early: kept here because the
	                          connection's own error moves on */
	uint64_t rows_seen, pages_seen;
	uint64_t max_rows, max_pages; /* caps (0: none) */
};

/* What dqe_rows_step() found. */
enum {
	DQE_ROWS_END = 0,      /* no more rows */
	DQE_ROWS_ROW = 1,      /* *cells is the next row */
	DQE_ROWS_NEED_PAGE = 2 /* the pages in hand are read; the next page
	                          must come from the link */
};

/* What a page holds, for the machine's sanity checks. */
enum {
	DQE_PAGE_ROWS = 1,       /* at least one row */
	DQE_PAGE_EMPTY_DONE = 2, /* no row, end marker: an empty result */
	DQE_PAGE_EMPTY_MORE = 3  /* no row, "more" marker: never legitimate.
	                            Servers send it forever when the column
	                            names fill a page (docs/protocol.md). */
};

/* Starts a result from its first ROWS page, read in place (body must stay
 * valid until the next page is given or dqe_rows_own_current()). Returns
 * DQC_OK, DQC_ENOMEM or DQC_EPROTO (malformed page). */
int dqe_rows_new(const uint8_t *body, size_t len, uint64_t max_rows,
		 uint64_t max_pages, dqc_rows **out);

/* The next row from the pages in hand. Returns DQE_ROWS_ROW with *cells
 * set (valid until the next step, page change or free), DQE_ROWS_END,
 * DQE_ROWS_NEED_PAGE, or a negative code: DQC_EPROTO (malformed row),
 * DQC_ELIMIT (max_rows passed), or the error a finished result ended with.
 * Errors finish the result (dqe_rows_fail). */
int dqe_rows_step(dqc_rows *r, const dqc_value **cells);

/* Makes body the page being read, in place. DQC_OK, DQC_EPROTO (malformed or
 * a different column count) or DQC_ELIMIT (max_pages). */
int dqe_rows_page_in_place(dqc_rows *r, const uint8_t *body, size_t len);

/* Copies the page being read if it lives in the transport's buffer and
 * re-points the current row's cells into the copy. DQC_OK / DQC_ENOMEM. */
int dqe_rows_own_current(dqc_rows *r);

/* Queues an owned copy of a page (dqe_rows_last_in_hand() tells whether it
 * carried the result's end marker). DQC_OK, DQC_ENOMEM, DQC_EPROTO,
 * DQC_ELIMIT (max_pages). */
int dqe_rows_queue_page(dqc_rows *r, const uint8_t *body, size_t len);

/* 1 when the pages in hand end with the result's end marker, so nothing
 * more is due from the server. */
int dqe_rows_last_in_hand(const dqc_rows *r);

/* 1 when a ROWS body ends with the result's end marker (its last 8 bytes;
 * checked against the row walk by dqw_rows_next when the page is read). */
int dqe_rows_page_done(const uint8_t *body, size_t len);

/* Classifies a ROWS body: DQE_PAGE_* or DQC_EPROTO. */
int dqe_rows_page_kind(const uint8_t *body, size_t len);

/* Copies the text src into dst[cap] (cap > 0). A server message is fixed
 * words around names of any length ("near "<token>": syntax error",
 * "table <name> has no column named <name>"), and a reader -- and the
 * SQLSTATE mapping -- needs every fixed word: so a text too long for dst
 * has its long runs of non-blank characters cut in their middle ("..."),
 * or, when short words alone overflow, keeps its beginning and its end
 * joined by " ... ". */
void dqe_msg_fit(char *dst, size_t cap, const char *src);

/* Ends the result early with rc (and the server code and message, if any):
 * later steps return rc. Frees the queued pages. */
void dqe_rows_fail(dqc_rows *r, int rc, uint64_t code, const char *msg);

/* Records why no more pages will come (the link failed, a cap was
 * reached): the rows in hand stay readable, then steps return rc once the
 * stream is over. Keeps the first error. */
void dqe_rows_cut(dqc_rows *r, int rc, uint64_t code, const char *msg);

/* Frees the result (it must no longer be the machine's active one). */
void dqe_rows_free(dqc_rows *r);

#endif /* DQE_ROWS_H */
