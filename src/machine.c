/*
 * machine.c -- the request machine (see machine.h for the rules).
 */
#include "machine.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_NOT_LEADER 10250u
#define CODE_LEADERSHIP_LOST 10506u
/* An output buffer larger than this is released after its request. */
#define OUT_KEEP (1u << 20)

void dqe_machine_init(dqe_machine *m)
{
	memset(m, 0, sizeof *m);
	dqw_buf_init(&m->out);
}

void dqe_machine_fini(dqe_machine *m)
{
	dqe_machine_detach(m, DQC_ECLOSED, "the connection was closed");
	dqw_buf_free(&m->out);
}

int dqe_machine_error(dqe_machine *m, int rc, uint64_t code, const char *fmt,
		      ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->err.msg, sizeof m->err.msg, fmt, ap);
	va_end(ap);
	m->err.rc = rc;
	m->err.code = code;
	return rc;
}

void dqe_machine_attach(dqe_machine *m, dqe_io *io, const char *peer)
{
	assert(m->active == NULL && m->pending == 0);
	m->io = io;
	m->up = 1;
	snprintf(m->peer, sizeof m->peer, "%s", peer);
	dqw_buf_reset(&m->out);
}

/* r no longer depends on the link. */
static void release(dqe_machine *m, dqc_rows *r)
{
	if (m->active == r)
		m->active = NULL;
	r->m = NULL;
	r->streaming = 0;
}

/* The active result loses the link: it keeps the rows in hand (its page is
 * copied out of the transport's buffer first), then ends with rc. */
static void cut_active(dqe_machine *m, int rc, uint64_t code, const char *why)
{
	dqc_rows *r = m->active;
	int complete;
	if (r == NULL)
		return;
	complete = !r->streaming; /* its last page is in hand: it loses nothing */
	release(m, r);
	if (dqe_rows_own_current(r) != DQC_OK)
		dqe_rows_fail(r, DQC_ENOMEM, 0, "out of memory keeping the result");
	else if (!complete)
		dqe_rows_cut(r, rc, code, why);
}

void dqe_machine_detach(dqe_machine *m, int rc, const char *why)
{
	cut_active(m, rc, 0, why);
	if (m->io && m->up)
		m->io->ops->close(m->io);
	m->up = 0;
	m->pending = 0;
	dqw_buf_reset(&m->out);
}

/* The link cannot be kept in step: close it, record rc with the reason. */
static int drop(dqe_machine *m, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int drop(dqe_machine *m, int rc, const char *fmt, ...)
{
	char why[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	dqe_machine_detach(m, rc == DQC_ECLOSED ? DQC_EIO : rc, why);
	dqe_machine_error(m, rc == DQC_ECLOSED ? DQC_EIO : rc, 0, "%s", why);
	return m->err.rc;
}

int dqe_machine_malformed(dqe_machine *m, const char *what)
{
	return drop(m, DQC_EPROTO, "protocol error: malformed %s from %s", what,
		    m->peer);
}

/* The transport's reason, or a default. */
static const char *io_reason(const dqe_machine *m, const char *dflt)
{
	const char *e = m->io ? m->io->ops->errmsg(m->io) : "";
	return e && *e ? e : dflt;
}

/* A transport read failed with rc (and the grace, if any, is spent). */
static int read_failed(dqe_machine *m, int rc)
{
	switch (rc) {
	case DQC_ETIMEDOUT:
		return drop(m, rc,
			    "no reply from %s in time; the connection was closed "
			    "to stop the request", m->peer);
	case DQC_ECANCELED:
		return drop(m, rc,
			    "operation canceled; the connection to %s was closed "
			    "to stop the request", m->peer);
	case DQC_EPROTO:
		return drop(m, rc, "%s", io_reason(m, "protocol error: oversized reply"));
	default:
		return drop(m, DQC_EIO, "%s", io_reason(m, "connection lost"));
	}
}

/* Reads one frame of the reply the link owes a request. A wait that ends
 * gives the reply DQE_GRACE_MS more (cancel no longer counts then), then
 * the link goes. */
static int read_frame(dqe_machine *m, dqw_header *h, const uint8_t **body)
{
	int rc;

	if (!m->up)
		return dqe_machine_error(m, DQC_ECLOSED, 0,
					 "not connected to a dqlite node");
	rc = m->io->ops->read(m->io, h, body, &m->wait);
	if (rc == DQC_ETIMEDOUT || rc == DQC_ECANCELED) {
		dqe_wait grace = {dqe_now_ms() + DQE_GRACE_MS, NULL};
		if (m->io->ops->read(m->io, h, body, &grace) == 0)
			return 0;
	}
	return rc ? read_failed(m, rc) : 0;
}

static int map_failure(dqe_machine *m, const uint8_t *body, size_t len)
{
	dqw_failure f;
	int rc;

	if (dqw_decode_failure(body, len, &f) != DQW_OK)
		return drop(m, DQC_EPROTO, "protocol error: malformed FAILURE from %s",
			    m->peer);
	rc = f.code == CODE_NOT_LEADER	    ? DQC_ENOTLEADER
	     : f.code == CODE_LEADERSHIP_LOST ? DQC_ELEADERLOST
					      : DQC_ESERVER;
	m->err.rc = rc;
	m->err.code = f.code;
	dqe_msg_fit(m->err.msg, sizeof m->err.msg, f.message);
	return rc;
}

int dqe_machine_flush(dqe_machine *m)
{
	int rc;

	if (m->out.len == 0)
		return 0;
	if (!m->up)
		return dqe_machine_error(m, DQC_ECLOSED, 0,
					 "not connected to a dqlite node");
	m->err.sent = 1;
	/* count the requests (whole frames) this write carries */
	for (size_t off = 0; off + DQW_HEADER_SIZE <= m->out.len; m->requests++) {
		dqw_header h;
		dqw_header_decode(m->out.data + off, &h);
		off += DQW_HEADER_SIZE + dqw_body_size(&h);
	}
	rc = m->io->ops->write(m->io, m->out.data, m->out.len, &m->wait);
	if (m->out.cap > OUT_KEEP)
		dqw_buf_free(&m->out);
	else
		dqw_buf_reset(&m->out);
	if (rc == 0)
		return 0;
	if (rc == DQC_ETIMEDOUT || rc == DQC_ECANCELED)
		return read_failed(m, rc);
	return drop(m, rc == DQC_ENOMEM ? DQC_ENOMEM : DQC_EIO, "%s",
		    io_reason(m, "write failed"));
}

/* ------------------------------------------------------------ results */

/* The stream of r is over: its last page is in hand. r stays the active
 * result while that page lives in the transport's buffer. */
static void stream_done(dqe_machine *m, dqc_rows *r)
{
	r->streaming = 0;
	if (r->cur_owned || r->pg.body == NULL)
		release(m, r);
}

static int too_wide(dqe_machine *m)
{
	return drop(m, DQC_ETOOWIDE,
		    "%s cannot send this result: its column names fill a whole "
		    "4 KiB reply page, so no row ever fits (the server would "
		    "send empty pages forever); the connection was closed to "
		    "stop it", m->peer);
}

/* Checks a ROWS page before use: 0, or the link is dropped. */
static int check_page(dqe_machine *m, const uint8_t *body, size_t len)
{
	int kind = dqe_rows_page_kind(body, len);
	if (kind == DQE_PAGE_EMPTY_MORE)
		return too_wide(m);
	if (kind < 0)
		return drop(m, DQC_EPROTO, "protocol error: malformed ROWS page from %s",
			    m->peer);
	return 0;
}

/* Sends INTERRUPT and discards replies until its EMPTY, within w. 0 when
 * the link is in step again; otherwise it was dropped. */
static int drain(dqe_machine *m, const dqe_wait *w)
{
	dqe_wait saved = m->wait;
	dqw_header h;
	const uint8_t *body;
	int rc;

	if (dqw_encode_interrupt(&m->out, m->db_id) != DQW_OK)
		return drop(m, DQC_ENOMEM, "out of memory");
	m->wait = *w;
	rc = dqe_machine_flush(m);
	/* Replies to the interrupted request (ROWS pages, a FAILURE or a
	 * RESULT) come first; the INTERRUPT's own EMPTY closes the sequence.
	 * Released servers send every remaining page first. */
	while (rc == 0) {
		rc = m->io->ops->read(m->io, &h, &body, &m->wait);
		if (rc != 0) {
			rc = read_failed(m, rc);
			break;
		}
		if (h.type == DQW_RESP_EMPTY)
			break;
		if (h.type == DQW_RESP_ROWS &&
		    dqe_rows_page_kind(body, dqw_body_size(&h)) == DQE_PAGE_EMPTY_MORE) {
			rc = too_wide(m);
			break;
		}
	}
	m->wait = saved;
	return rc;
}

int dqe_machine_abandon(dqe_machine *m, dqc_rows *r)
{
	int due;
	int rc;

	assert(m->active == r);
	due = r->streaming && !dqe_rows_last_in_hand(r);
	release(m, r);
	rc = due ? drain(m, &m->wait) : 0; /* nothing due: the end is in hand */
	/* r's page was the last thing pointing into the transport */
	if (m->up && m->active == NULL && m->io->ops->settle)
		m->io->ops->settle(m->io);
	return rc;
}

int dqe_machine_query(dqe_machine *m, uint64_t max_rows, uint64_t max_pages,
		      dqc_rows **out)
{
	dqw_header h;
	const uint8_t *body;
	size_t len;
	dqc_rows *r;
	int rc;

	*out = NULL;
	rc = dqe_machine_roundtrip(m, DQW_RESP_ROWS, &h, &body);
	if (rc != 0)
		return rc;
	len = dqw_body_size(&h);
	rc = check_page(m, body, len);
	if (rc != 0)
		return rc;
	rc = dqe_rows_new(body, len, max_rows, max_pages, &r);
	if (rc != 0) {
		/* out of memory (check_page validated the page): the rest of
		 * the result is still due, get the link in step */
		if (!dqe_rows_page_done(body, len))
			drain(m, &m->wait);
		return dqe_machine_error(m, rc, 0, "out of memory");
	}
	/* active: its page is in the transport's buffer, and pages may be
	 * due */
	r->m = m;
	r->streaming = !dqe_rows_last_in_hand(r);
	m->active = r;
	*out = r;
	return 0;
}

/* Reads one page for the active result r into body and len. On failure the
 * stream is over (r is cut, or the machine is down). */
static int read_page(dqe_machine *m, dqc_rows *r, const uint8_t **body,
		     size_t *len)
{
	dqw_header h;
	int rc;

	assert(m->active == r && r->streaming);
	(void)r;
	if (dqe_cancel_hit(m->wait.cancel)) {
		/* A canceled read stops the stream (pages are always ready
		 * from a fast server, so a grace would never end it). */
		dqe_wait grace = {dqe_now_ms() + DQE_GRACE_MS, NULL};
		cut_active(m, DQC_ECANCELED, 0, "operation canceled");
		drain(m, &grace);
		if (m->up)
			return dqe_machine_error(m, DQC_ECANCELED, 0,
						 "operation canceled");
		return dqe_machine_error(m, DQC_ECANCELED, 0,
					 "operation canceled; the connection to %s "
					 "was closed to stop the result", m->peer);
	}
	/* Every row of the page being read was taken (the next page is
	 * needed), and the read below invalidates a page that lives in the
	 * transport's buffer: forget it now. */
	if (r->cur_owned == NULL) {
		r->pg.body = NULL;
		r->pg.len = 0;
	}
	rc = read_frame(m, &h, body);
	if (rc != 0)
		return rc; /* dropped: r was cut */
	*len = dqw_body_size(&h);
	if (h.type == DQW_RESP_FAILURE) {
		/* the query failed mid-result; the link stays in step */
		rc = map_failure(m, *body, *len);
		cut_active(m, rc, m->err.code, m->err.msg);
		return rc;
	}
	if (h.type != DQW_RESP_ROWS)
		return drop(m, DQC_EPROTO,
			    "protocol error: %s sent message type %u in a result",
			    m->peer, h.type);
	return check_page(m, *body, *len);
}

/* r took a page that it refuses (rc from dqe_rows_*: DQC_ELIMIT past its
 * page cap, DQC_ENOMEM, DQC_EPROTO); r has recorded why. The server still
 * streams: get the link in step again. */
static int page_refused(dqe_machine *m, dqc_rows *r, int rc)
{
	/* either way r is no longer the active result afterwards */
	if (rc == DQC_EPROTO)
		drop(m, rc, "protocol error: malformed ROWS page from %s", m->peer);
	else if (m->active == r)
		dqe_machine_abandon(m, r);
	if (!m->up)
		return m->err.rc; /* resyncing failed: the link error says more */
	return dqe_machine_error(m, rc, 0, "%s",
				 r->errmsg[0] ? r->errmsg : "out of memory");
}

int dqe_machine_next_page(dqe_machine *m, dqc_rows *r)
{
	const uint8_t *body = NULL;
	size_t len = 0;
	int rc = read_page(m, r, &body, &len);

	if (rc != 0)
		return rc;
	rc = dqe_rows_page_in_place(r, body, len);
	if (rc != 0)
		return page_refused(m, r, rc);
	if (dqe_rows_last_in_hand(r))
		stream_done(m, r);
	return 0;
}

int dqe_machine_buffer(dqe_machine *m, dqc_rows *r)
{
	int rc = dqe_rows_own_current(r);

	if (rc != 0) {
		/* its page cannot leave the transport's buffer: it ends now */
		dqe_rows_fail(r, rc, 0,
			      "out of memory keeping the result (another statement "
			      "needed the connection)");
		page_refused(m, r, rc);
		return m->up ? 0 : m->err.rc;
	}
	while (!dqe_rows_last_in_hand(r)) {
		const uint8_t *body = NULL;
		size_t len = 0;
		rc = read_page(m, r, &body, &len);
		if (rc != 0)
			/* a FAILURE ended r (link in step) or the link went */
			return m->up ? 0 : rc;
		rc = dqe_rows_queue_page(r, body, len);
		if (rc == DQC_ENOMEM)
			dqe_rows_cut(r, rc, 0,
				     "out of memory keeping the result (another "
				     "statement needed the connection)");
		if (rc != 0) {
			/* r keeps what it holds and fails after it; the new
			 * request can still go if the link is in step */
			page_refused(m, r, rc);
			return m->up ? 0 : m->err.rc;
		}
	}
	release(m, r);
	return 0;
}

/* ------------------------------------------------------------- requests */

void dqe_machine_clear_error(dqe_machine *m)
{
	m->err.rc = 0;
	m->err.code = 0;
	m->err.sent = 0;
	m->err.msg[0] = '\0';
}

int dqe_machine_begin(dqe_machine *m)
{
	dqe_machine_clear_error(m);
	if (!m->up)
		return dqe_machine_error(m, DQC_ECLOSED, 0,
					 "not connected to a dqlite node");
	if (m->pending)
		return dqe_machine_error(m, DQC_EBUSY, 0,
					 "%u pipelined replies have not been read",
					 m->pending);
	if (dqe_cancel_hit(m->wait.cancel))
		/* the caller's call was canceled: send nothing more for it */
		return dqe_machine_error(m, DQC_ECANCELED, 0, "operation canceled");
	if (m->active && m->active->streaming) {
		int rc = dqe_machine_buffer(m, m->active);
		if (rc != 0)
			return rc;
		/* settling the old result (its INTERRUPT included) is not the
		 * new request: nothing of that is sent yet */
		dqe_machine_clear_error(m);
		if (dqe_cancel_hit(m->wait.cancel))
			return dqe_machine_error(m, DQC_ECANCELED, 0,
						 "operation canceled");
	}
	if (m->active) {
		/* only its page lives in the transport's buffer: copy it */
		dqc_rows *r = m->active;
		release(m, r);
		if (dqe_rows_own_current(r) != DQC_OK)
			dqe_rows_fail(r, DQC_ENOMEM, 0,
				      "out of memory keeping the result (another "
				      "statement needed the connection)");
	}
	assert(m->active == NULL);
	dqw_buf_reset(&m->out);
	return 0;
}

int dqe_machine_roundtrip(dqe_machine *m, uint8_t expect, dqw_header *h,
			  const uint8_t **body)
{
	int rc = dqe_machine_flush(m);
	if (rc == 0)
		rc = read_frame(m, h, body);
	if (rc != 0)
		return rc;
	if (h->type == DQW_RESP_FAILURE)
		return map_failure(m, *body, dqw_body_size(h));
	if (h->type != expect)
		return drop(m, DQC_EPROTO,
			    "protocol error: %s sent message type %u, expected %u",
			    m->peer, h->type, expect);
	return 0;
}

void dqe_machine_queued(dqe_machine *m)
{
	m->pending++;
}

int dqe_machine_pipeline_recv(dqe_machine *m, dqw_result *res)
{
	dqw_header h;
	const uint8_t *body;
	int rc;

	if (m->pending == 0)
		return dqe_machine_error(m, DQC_EINVAL, 0,
					 "no pipelined request pending");
	rc = dqe_machine_flush(m);
	if (rc == 0)
		rc = read_frame(m, &h, &body); /* a failure drops every pending one */
	if (rc != 0)
		return rc;
	m->pending--;
	if (h.type == DQW_RESP_FAILURE)
		return map_failure(m, body, dqw_body_size(&h));
	if (h.type != DQW_RESP_RESULT ||
	    dqw_decode_result(body, dqw_body_size(&h), res) != DQW_OK)
		return drop(m, DQC_EPROTO,
			    "protocol error: unexpected reply type %u to EXEC from %s",
			    h.type, m->peer);
	m->err.rc = 0;
	return 0;
}
