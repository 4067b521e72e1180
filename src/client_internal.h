/*
 * client_internal.h -- the connection and result structs shared by client.c
 * (connections, statements, pipelining, admin) and result.c (ROWS streaming).
 */
#ifndef DQ_CLIENT_INTERNAL_H
#define DQ_CLIENT_INTERNAL_H

#include "dqlite_client.h"
#include "link.h"
#include "wire.h"

struct dqc_conn {
	dq_link link;
	int connected;
	/* config (owned copies) */
	char **addresses;
	size_t n_addresses;
	unsigned connect_timeout_ms;
	unsigned timeout_ms;
	uint64_t max_rows, max_pages;
	struct dqc_tls_config tls;
	/* state */
	char *db_name;         /* open database, re-opened by dqc_reconnect */
	uint32_t db_id;
	int db_open;
	unsigned features;
	uint64_t generation;
	unsigned pending;      /* pipelined requests without a reply yet */
	dqw_buf out;           /* encoded requests not yet written */
	struct dqc_rows *active; /* result still streaming from the server */
	/* last error */
	int err_rc;
	uint64_t err_code;
	char errmsg[1024];
};

/* One buffered page (owned copy of a ROWS body). */
typedef struct dq_page {
	struct dq_page *next;
	size_t len;
	uint8_t data[];
} dq_page;

struct dqc_rows {
	dqc_conn *c;
	unsigned ncols;
	char **names;
	dqc_value *cells;
	dqw_rows_page pg;      /* the page being read */
	dq_page *cur_owned;    /* pg's body when it is an owned copy */
	dq_page *head, *tail;  /* buffered pages not yet read */
	int streaming;         /* more pages are due from the link */
	int finished;          /* end of result reached (or error) */
	int err;
	uint64_t rows_seen, pages_seen;
};

/* client.c */
int dq_set_error(dqc_conn *c, int rc, uint64_t code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Maps a link-level failure to the conn's error, marking the link dead
 * where needed. Returns rc. */
int dq_link_failed(dqc_conn *c, int rc);
/* Reads one frame; FAILURE frames become errors (returns the mapped code).
 * On success *h / *body describe a non-FAILURE frame. */
int dq_read_reply(dqc_conn *c, dqw_header *h, const uint8_t **body);
/* Sends INTERRUPT and discards replies until EMPTY, so the link is in step
 * again. 0, or a link error (the link is then closed). */
int dq_interrupt_and_drain(dqc_conn *c);

/* One request/reply for admin.c: begin_request, encode(c, arg) appends to
 * c->out, write, read a reply of type `expect`. */
int dq_admin_roundtrip(dqc_conn *c, int (*encode)(dqc_conn *, void *),
		       void *arg, uint8_t expect, dqw_header *h,
		       const uint8_t **body);
/* Turns a decoder's result into 0 or a protocol error on c. */
int dq_admin_decoded(dqc_conn *c, int wrc);

/* result.c */
/* Creates a result from the first ROWS frame (body in the link buffer). */
int dq_rows_start(dqc_conn *c, const uint8_t *body, size_t len,
		  dqc_rows **out);

#endif /* DQ_CLIENT_INTERNAL_H */
