/*
 * admin.c -- cluster administration requests: LEADER, CLUSTER, ADD, ASSIGN,
 * REMOVE, TRANSFER, DESCRIBE, WEIGHT, DUMP.
 */
#include "client_internal.h"

#include <stdlib.h>
#include <string.h>

struct u64_arg {
	int (*enc)(dqw_buf *, uint64_t);
	uint64_t v;
};

static int enc_u64(dqc_conn *c, void *arg)
{
	struct u64_arg *a = arg;
	return a->enc(&c->out, a->v);
}

static int enc_leader(dqc_conn *c, void *arg)
{
	(void)arg;
	return dqw_encode_leader(&c->out);
}

int dqc_leader(dqc_conn *c, dqc_node_info *leader)
{
	dqw_header h;
	const uint8_t *body;
	dqw_server s;
	int rc = dq_admin_roundtrip(c, enc_leader, NULL, DQW_RESP_SERVER, &h, &body);

	if (rc == 0)
		rc = dq_admin_decoded(c, dqw_decode_server(body, dqw_body_size(&h), &s));
	if (rc != 0)
		return rc;
	memset(leader, 0, sizeof *leader);
	leader->id = s.id;
	if (strlen(s.address) >= sizeof leader->address)
		return dq_admin_decoded(c, DQW_EMALFORMED);
	strcpy(leader->address, s.address);
	leader->role = DQC_VOTER;
	return 0;
}

int dqc_cluster(dqc_conn *c, dqc_node_info **nodes, unsigned *n)
{
	struct u64_arg a = {dqw_encode_cluster, 1};
	dqw_header h;
	const uint8_t *body;
	dqw_iter it;
	uint64_t count;
	dqc_node_info *out;
	int rc = dq_admin_roundtrip(c, enc_u64, &a, DQW_RESP_SERVERS, &h, &body);

	*nodes = NULL;
	*n = 0;
	if (rc == 0)
		rc = dq_admin_decoded(
			c, dqw_servers_begin(&it, body, dqw_body_size(&h), &count));
	if (rc != 0)
		return rc;
	out = calloc(count ? count : 1, sizeof *out);
	if (out == NULL)
		return dq_set_error(c, DQC_ENOMEM, 0, "out of memory");
	for (uint64_t i = 0; i < count; i++) {
		if (dqw_servers_next(&it, &out[i]) != 1) {
			free(out);
			return dq_admin_decoded(c, DQW_EMALFORMED);
		}
	}
	*nodes = out;
	*n = (unsigned)count;
	return 0;
}

struct add_arg {
	uint64_t id;
	const char *address;
};

static int enc_add(dqc_conn *c, void *arg)
{
	struct add_arg *a = arg;
	return dqw_encode_add(&c->out, a->id, a->address);
}

static int empty_reply(dqc_conn *c, int (*enc)(dqc_conn *, void *), void *arg)
{
	dqw_header h;
	const uint8_t *body;
	return dq_admin_roundtrip(c, enc, arg, DQW_RESP_EMPTY, &h, &body);
}

int dqc_add(dqc_conn *c, uint64_t id, const char *address)
{
	struct add_arg a = {id, address};
	return empty_reply(c, enc_add, &a);
}

struct assign_arg {
	uint64_t id, role;
};

static int enc_assign(dqc_conn *c, void *arg)
{
	struct assign_arg *a = arg;
	return dqw_encode_assign(&c->out, a->id, a->role);
}

int dqc_assign(dqc_conn *c, uint64_t id, int role)
{
	struct assign_arg a = {id, (uint64_t)role};
	if (role < DQC_VOTER || role > DQC_SPARE)
		return dq_set_error(c, DQC_EINVAL, 0, "invalid role %d", role);
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
	int rc = dq_admin_roundtrip(c, enc_u64, &a, DQW_RESP_METADATA, &h, &body);
	if (rc != 0)
		return rc;
	return dq_admin_decoded(c, dqw_decode_metadata(body, dqw_body_size(&h),
						       failure_domain, weight));
}

int dqc_weight(dqc_conn *c, uint64_t weight)
{
	struct u64_arg a = {dqw_encode_weight, weight};
	return empty_reply(c, enc_u64, &a);
}

static int enc_dump(dqc_conn *c, void *arg)
{
	return dqw_encode_dump(&c->out, arg);
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
	int rc = dq_admin_roundtrip(c, enc_dump, (void *)(uintptr_t)db,
				    DQW_RESP_FILES, &h, &body);

	*files = NULL;
	*n = 0;
	if (rc == 0)
		rc = dq_admin_decoded(
			c, dqw_files_begin(&it, body, dqw_body_size(&h), &count));
	if (rc != 0)
		return rc;
	out = calloc(count ? count : 1, sizeof *out);
	if (out == NULL)
		return dq_set_error(c, DQC_ENOMEM, 0, "out of memory");
	for (uint64_t i = 0; i < count; i++) {
		const char *name;
		const uint8_t *data;
		uint64_t size;
		if (dqw_files_next(&it, &name, &data, &size) != 1) {
			dqc_files_free(out, (unsigned)count);
			return dq_admin_decoded(c, DQW_EMALFORMED);
		}
		out[i].name = strdup(name);
		out[i].data = malloc(size ? size : 1);
		out[i].size = size;
		if (out[i].name == NULL || out[i].data == NULL) {
			dqc_files_free(out, (unsigned)count);
			return dq_set_error(c, DQC_ENOMEM, 0, "out of memory");
		}
		memcpy(out[i].data, data, size);
	}
	*files = out;
	*n = (unsigned)count;
	return 0;
}
