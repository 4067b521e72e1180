/*
 * admin.c -- cluster administration requests: LEADER, CLUSTER, ADD, ASSIGN,
 * REMOVE, TRANSFER, DESCRIBE, WEIGHT, DUMP. Each is one request and one
 * reply through the request machine.
 */
#include "conn.h"

#include <stdlib.h>
#include <string.h>

typedef int (*encode_fn)(dqw_buf *b, const void *arg);

/* Runs one request inside its own scope: enc(arg) appended to the output,
 * then a reply of type `expect`. */
static int request(dqc_conn *c, encode_fn enc, const void *arg, uint8_t expect,
		   dqw_header *h, const uint8_t **body)
{
	int rc = dqe_machine_begin(&c->m);
	if (rc == 0 && enc(&c->m.out, arg) != DQW_OK)
		rc = dqe_conn_error(c, DQC_ENOMEM, "out of memory");
	if (rc == 0)
		rc = dqe_machine_roundtrip(&c->m, expect, h, body);
	return rc;
}

struct u64_arg {
	int (*enc)(dqw_buf *, uint64_t);
	uint64_t v;
};

static int enc_u64(dqw_buf *b, const void *arg)
{
	const struct u64_arg *a = arg;
	return a->enc(b, a->v);
}

static int enc_leader(dqw_buf *b, const void *arg)
{
	(void)arg;
	return dqw_encode_leader(b);
}

int dqc_leader(dqc_conn *c, dqc_node_info *leader)
{
	dqw_header h;
	const uint8_t *body;
	dqw_server s;
	int rc;

	dqe_conn_enter(c, c->timeout_ms);
	rc = request(c, enc_leader, NULL, DQW_RESP_SERVER, &h, &body);
	if (rc == 0 && (dqw_decode_server(body, dqw_body_size(&h), &s) != DQW_OK ||
			strlen(s.address) >= sizeof leader->address))
		rc = dqe_machine_malformed(&c->m, "SERVER");
	if (rc != 0)
		return dqe_conn_leave_rc(c, rc);
	memset(leader, 0, sizeof *leader);
	leader->id = s.id;
	strcpy(leader->address, s.address);
	leader->role = DQC_VOTER;
	return dqe_conn_leave_rc(c, 0);
}

int dqc_cluster(dqc_conn *c, dqc_node_info **nodes, unsigned *n)
{
	struct u64_arg a = {dqw_encode_cluster, 1};
	dqw_header h;
	const uint8_t *body;
	dqw_iter it;
	uint64_t count;
	dqc_node_info *out;
	int rc;

	*nodes = NULL;
	*n = 0;
	dqe_conn_enter(c, c->timeout_ms);
	rc = request(c, enc_u64, &a, DQW_RESP_SERVERS, &h, &body);
	if (rc == 0 && dqw_servers_begin(&it, body, dqw_body_size(&h), &count) != DQW_OK)
		rc = dqe_machine_malformed(&c->m, "SERVERS");
	if (rc != 0)
		return dqe_conn_leave_rc(c, rc);
	out = calloc(count ? count : 1, sizeof *out);
	if (out == NULL)
		return dqe_conn_leave_rc(c, dqe_conn_error(c, DQC_ENOMEM, "out of memory"));
	for (uint64_t i = 0; i < count; i++) {
		if (dqw_servers_next(&it, &out[i]) != 1) {
			free(out);
			return dqe_conn_leave_rc(c, dqe_machine_malformed(&c->m, "SERVERS"));
		}
	}
	*nodes = out;
	*n = (unsigned)count;
	return dqe_conn_leave_rc(c, 0);
}

/* A request whose reply is EMPTY. */
static int empty_reply(dqc_conn *c, encode_fn enc, const void *arg)
{
	dqw_header h;
	const uint8_t *body;
	dqe_conn_enter(c, c->timeout_ms);
	return dqe_conn_leave_rc(c, request(c, enc, arg, DQW_RESP_EMPTY, &h, &body));
}

struct add_arg {
	uint64_t id;
	const char *address;
};

static int enc_add(dqw_buf *b, const void *arg)
{
	const struct add_arg *a = arg;
	return dqw_encode_add(b, a->id, a->address);
}

int dqc_add(dqc_conn *c, uint64_t id, const char *address)
{
	struct add_arg a = {id, address};
	return empty_reply(c, enc_add, &a);
}

struct assign_arg {
	uint64_t id, role;
};

static int enc_assign(dqw_buf *b, const void *arg)
{
	const struct assign_arg *a = arg;
	return dqw_encode_assign(b, a->id, a->role);
}

int dqc_assign(dqc_conn *c, uint64_t id, int role)
{
	struct assign_arg a = {id, (uint64_t)role};
	if (role < DQC_VOTER || role > DQC_SPARE)
		return dqe_conn_error(c, DQC_EINVAL, "invalid role %d", role);
	return empty_reply(c, enc_assign, &a);
}

int dqc_remove(dqc_conn *c, uint64_t id)
{
	struct u64_arg a = {dqw_encode_remove, id};
	return empty_reply(c, enc_u64, &a);
}

int dqc_transfer(dqc_conn *c, uint64_t id)
{
	struct u64_arg a = {dqw_encode_transfer, id};
	return empty_reply(c, enc_u64, &a);
}

int dqc_describe(dqc_conn *c, uint64_t *failure_domain, uint64_t *weight)
{
	struct u64_arg a = {dqw_encode_describe, 0};
	dqw_header h;
	const uint8_t *body;
	int rc;

	dqe_conn_enter(c, c->timeout_ms);
	rc = request(c, enc_u64, &a, DQW_RESP_METADATA, &h, &body);
	if (rc == 0 && dqw_decode_metadata(body, dqw_body_size(&h), failure_domain,
					   weight) != DQW_OK)
		rc = dqe_machine_malformed(&c->m, "METADATA");
	return dqe_conn_leave_rc(c, rc);
}

int dqc_weight(dqc_conn *c, uint64_t weight)
{
	struct u64_arg a = {dqw_encode_weight, weight};
	return empty_reply(c, enc_u64, &a);
}

static int enc_dump(dqw_buf *b, const void *arg)
{
	return dqw_encode_dump(b, arg);
}

void dqc_files_free(dqc_file *files, unsigned n)
{
	if (files == NULL)
		return;
	for (unsigned i = 0; i < n; i++) {
		free(files[i].name);
		free(files[i].data);
	}
	free(files);
}

int dqc_dump(dqc_conn *c, const char *db, dqc_file **files, unsigned *n)
{
	dqw_header h;
	const uint8_t *body;
	dqw_iter it;
	uint64_t count;
	dqc_file *out;
	int rc;

	*files = NULL;
	*n = 0;
	dqe_conn_enter(c, c->timeout_ms);
	rc = request(c, enc_dump, db, DQW_RESP_FILES, &h, &body);
	if (rc == 0 && dqw_files_begin(&it, body, dqw_body_size(&h), &count) != DQW_OK)
		rc = dqe_machine_malformed(&c->m, "FILES");
	if (rc != 0)
		return dqe_conn_leave_rc(c, rc);
	out = calloc(count ? count : 1, sizeof *out);
	if (out == NULL)
		return dqe_conn_leave_rc(c, dqe_conn_error(c, DQC_ENOMEM, "out of memory"));
	for (uint64_t i = 0; i < count; i++) {
		const char *name;
		const uint8_t *data;
		uint64_t size;
		if (dqw_files_next(&it, &name, &data, &size) != 1) {
			dqc_files_free(out, (unsigned)count);
			return dqe_conn_leave_rc(c, dqe_machine_malformed(&c->m, "FILES"));
		}
		out[i].name = strdup(name);
		out[i].data = malloc(size ? size : 1);
		out[i].size = size;
		if (out[i].name == NULL || out[i].data == NULL) {
			dqc_files_free(out, (unsigned)count);
			return dqe_conn_leave_rc(c, dqe_conn_error(c, DQC_ENOMEM, "out of memory"));
		}
		memcpy(out[i].data, data, size);
	}
	*files = out;
	*n = (unsigned)count;
	return dqe_conn_leave_rc(c, 0);
}
