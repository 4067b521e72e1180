/*
 * cluster.c -- finding the leader from the bootstrap list (see cluster.h).
 */
#include "cluster.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* No address gets less than this of the remaining time (unless less is
 * left): enough for a TCP connect and one round trip on a LAN. */
#define MIN_SHARE_MS 250u

/* The wait one of `left` remaining attempts may spend of `whole`. */
static dqe_wait share(const dqe_wait *whole, size_t left)
{
	dqe_wait w = *whole;
	uint64_t now, remaining, slice;

	if (whole->deadline_ms == 0 || left <= 1)
		return w;
	now = dqe_now_ms();
	remaining = whole->deadline_ms > now ? whole->deadline_ms - now : 0;
	slice = remaining / left;
	if (slice < MIN_SHARE_MS)
		slice = remaining < MIN_SHARE_MS ? remaining : MIN_SHARE_MS;
	w.deadline_ms = now + slice;
	return w;
}

/* Connects the link to address and asks it for the leader. */
static int ask_leader(dqe_link *link, dqe_machine *m, const char *address,
		      const struct dqc_tls_config *tls, char *leader, size_t cap,
		      char *why, size_t whycap)
{
	dqw_header h;
	const uint8_t *body;
	dqw_server s;
	int rc;

	dqe_machine_detach(m, DQC_ECLOSED, "reconnecting");
	rc = dqe_link_connect(link, address, tls, &m->wait);
	if (rc != 0) {
		snprintf(why, whycap, "%s", link->err[0] ? link->err : "connect failed");
		return rc;
	}
	dqe_machine_attach(m, &link->io, address);
	rc = dqe_machine_begin(m);
	if (rc == 0 && dqw_encode_leader(&m->out) != DQW_OK)
		rc = dqe_machine_error(m, DQC_ENOMEM, 0, "out of memory");
	if (rc == 0)
		rc = dqe_machine_roundtrip(m, DQW_RESP_SERVER, &h, &body);
	if (rc == 0 && dqw_decode_server(body, dqw_body_size(&h), &s) != DQW_OK)
		rc = dqe_machine_malformed(m, "LEADER reply");
	if (rc != 0) {
		snprintf(why, whycap, "%s", m->err.msg);
		dqe_machine_detach(m, DQC_ECLOSED, "reconnecting");
		return rc;
	}
	snprintf(leader, cap, "%s", s.address);
	return 0;
}

static void append(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;
	if (n + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, cap - n, fmt, ap);
	va_end(ap);
}

int dqe_cluster_connect(dqe_link *link, dqe_machine *m,
			char *const *addresses, size_t n,
			const struct dqc_tls_config *tls)
{
	char tried[900] = "";
	char leader[256], confirm[256], why[512];
	const dqe_wait whole = m->wait;
	int last = DQC_ECONNECT, rc = DQC_ECONNECT;

	for (size_t i = 0; i < n; i++) {
		const char *a = addresses[i];
		m->wait = share(&whole, n - i);
		rc = ask_leader(link, m, a, tls, leader, sizeof leader, why,
				sizeof why);
		if (rc == DQC_ECANCELED)
			break;
		if (rc != 0) {
			if (rc == DQC_ETLS)
				last = DQC_ETLS;
			append(tried, sizeof tried, "%s%s: %s", *tried ? "; " : "", a,
			       why);
			continue;
		}
		if (leader[0] == '\0') {
			dqe_machine_detach(m, DQC_ECLOSED, "reconnecting");
			append(tried, sizeof tried, "%s%s: no leader known (no quorum?)",
			       *tried ? "; " : "", a);
			continue;
		}
		if (strcmp(leader, a) == 0) {
			m->wait = whole;
			return 0;
		}
		m->wait = share(&whole, n - i);
		rc = ask_leader(link, m, leader, tls, confirm, sizeof confirm, why,
				sizeof why);
		if (rc == 0 && strcmp(confirm, leader) == 0) {
			m->wait = whole;
			return 0;
		}
		if (rc == DQC_ECANCELED)
			break;
		if (rc == 0) {
			dqe_machine_detach(m, DQC_ECLOSED, "reconnecting");
			snprintf(why, sizeof why, "no longer leader (it names %s)",
				 confirm[0] ? confirm : "none");
		}
		append(tried, sizeof tried, "%s%s: leader %s: %s", *tried ? "; " : "",
		       a, leader, why);
	}
	m->wait = whole;
	if (rc == DQC_ECANCELED)
		return dqe_machine_error(m, rc, 0, "connect canceled");
	if (whole.deadline_ms && dqe_now_ms() >= whole.deadline_ms)
		last = DQC_ETIMEDOUT;
	return dqe_machine_error(m, last, 0,
				 "cannot connect to a dqlite leader%s (%s)",
				 last == DQC_ETIMEDOUT ? " in time" : "", tried);
}
