/*
 * fuzz_wire -- every byte from the network is hostile: feed arbitrary bytes
 * to every decoder (the first byte picks the message type, the second the
 * schema) and walk ROWS pages to the end, re-encoding what decoded as
 * parameters to exercise the encoder on hostile values too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static void walk_rows(const uint8_t *body, size_t len)
{
	dqw_rows_page pg;
	dqc_value cells[64];
	dqw_buf b;
	int k;

	if (dqw_rows_begin(&pg, body, len) != DQW_OK)
		return;
	for (uint64_t i = 0; i < pg.column_count; i++)
		if (dqw_rows_column_name(&pg, i) == NULL)
			abort(); /* validated by rows_begin: must be found */
	if (pg.column_count > 64)
		return;
	dqw_buf_init(&b);
	while ((k = dqw_rows_next(&pg, cells)) == DQW_ROWS_ROW) {
		for (uint64_t i = 0; i < pg.column_count; i++)
			if (cells[i].type == DQC_UNIXTIME)
				cells[i].type = DQC_INTEGER;
		dqw_buf_reset(&b);
		dqw_encode_exec(&b, 1, 2, cells, (unsigned)pg.column_count, 1);
	}
	dqw_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dqw_iter it;
	uint64_t n, a, b;
	dqw_failure f;
	dqw_server s;
	dqw_stmt_info si;
	dqw_result r;
	uint32_t db;
	uint8_t *body;
	size_t len;

	if (size < 2)
		return 0;
	/* an exact-size heap copy, so ASan sees any over-read */
	len = size - 2;
	body = malloc(len ? len : 1);
	memcpy(body, data + 2, len);
	switch (data[0] % 11) {
	case DQW_RESP_FAILURE: dqw_decode_failure(body, len, &f); break;
	case DQW_RESP_SERVER: dqw_decode_server(body, len, &s); break;
	case DQW_RESP_WELCOME: dqw_decode_welcome(body, len, &a); break;
	case DQW_RESP_SERVERS:
		if (dqw_servers_begin(&it, body, len, &n) == DQW_OK) {
			dqc_node_info ni;
			while (dqw_servers_next(&it, &ni) == 1)
				;
		}
		break;
	case DQW_RESP_DB: dqw_decode_db(body, len, &db); break;
	case DQW_RESP_STMT: dqw_decode_stmt(body, len, data[1] & 1, &si); break;
	case DQW_RESP_RESULT: dqw_decode_result(body, len, &r); break;
	case DQW_RESP_ROWS: walk_rows(body, len); break;
	case DQW_RESP_EMPTY: dqw_decode_empty(body, len); break;
	case DQW_RESP_FILES:
		if (dqw_files_begin(&it, body, len, &n) == DQW_OK) {
			const char *name;
			const uint8_t *p;
			uint64_t sz;
			while (dqw_files_next(&it, &name, &p, &sz) == 1)
				;
		}
		break;
	default: dqw_decode_metadata(body, len, &a, &b); break;
	}
	free(body);
	return 0;
}
