/*
 * The sans-IO codec: byte-exact request encodings, response decodings, ROWS
 * pages of every value type, and hostile input (every truncation, bad
 * padding, unknown types, missing end markers).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static dqw_buf b;

static void setup(void)
{
	dqw_buf_init(&b);
}

static void teardown(void)
{
	dqw_buf_free(&b);
}

TestSuite(wire, .init = setup, .fini = teardown);

#define EXPECT_BYTES(buf, ...)                                                  \
	do {                                                                    \
		static const uint8_t want_[] = {__VA_ARGS__};                   \
		cr_assert_eq((buf).len, sizeof want_, "length %zu, want %zu",  \
			     (buf).len, sizeof want_);                          \
		for (size_t i_ = 0; i_ < sizeof want_; i_++)                    \
			cr_assert_eq((buf).data[i_], want_[i_],                 \
				     "byte %zu: %02x, want %02x", i_,           \
				     (buf).data[i_], want_[i_]);                \
	} while (0)

/* --------------------------------------------------------------- requests */

Test(wire, handshake_is_u64_version_1)
{
	cr_assert_eq(dqw_encode_handshake(&b), DQW_OK);
	EXPECT_BYTES(b, 1, 0, 0, 0, 0, 0, 0, 0);
}

Test(wire, u64_requests)
{
	cr_assert_eq(dqw_encode_leader(&b), DQW_OK);
	EXPECT_BYTES(b, 1, 0, 0, 0, 0, 0, 0, 0, /* header: 1 word, type 0 */
		     0, 0, 0, 0, 0, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_client(&b, 0x0102), DQW_OK);
	EXPECT_BYTES(b, 1, 0, 0, 0, 1, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_interrupt(&b, 7), DQW_OK);
	EXPECT_BYTES(b, 1, 0, 0, 0, 10, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_remove(&b, 3), DQW_OK);
	EXPECT_BYTES(b, 1, 0, 0, 0, 14, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_cluster(&b, 1), DQW_OK);
	EXPECT_BYTES(b, 1, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_transfer(&b, 2), DQW_OK);
	EXPECT_BYTES(b, 1, 0, 0, 0, 17, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_describe(&b, 0), DQW_OK);
	EXPECT_BYTES(b, 1, 0, 0, 0, 18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_weight(&b, 9), DQW_OK);
	EXPECT_BYTES(b, 1, 0, 0, 0, 19, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_heartbeat(&b, 5), DQW_OK);
	EXPECT_BYTES(b, 1, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0);
}

Test(wire, open_prepare_finalize_add_assign_dump)
{
	cr_assert_eq(dqw_encode_open(&b, "db", 0, "volatile"), DQW_OK);
	EXPECT_BYTES(b, 4, 0, 0, 0, 3, 0, 0, 0,
		     'd', 'b', 0, 0, 0, 0, 0, 0,
		     0, 0, 0, 0, 0, 0, 0, 0,
		     'v', 'o', 'l', 'a', 't', 'i', 'l', 'e',
		     0, 0, 0, 0, 0, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_prepare(&b, 1, "SELECT 1", 1), DQW_OK);
	EXPECT_BYTES(b, 3, 0, 0, 0, 4, 1, 0, 0,
		     1, 0, 0, 0, 0, 0, 0, 0,
		     'S', 'E', 'L', 'E', 'C', 'T', ' ', '1',
		     0, 0, 0, 0, 0, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_finalize(&b, 1, 2), DQW_OK);
	EXPECT_BYTES(b, 1, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_add(&b, 2, "1.2.3.4:5"), DQW_OK);
	EXPECT_BYTES(b, 3, 0, 0, 0, 12, 0, 0, 0,
		     2, 0, 0, 0, 0, 0, 0, 0,
		     '1', '.', '2', '.', '3', '.', '4', ':',
		     '5', 0, 0, 0, 0, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_assign(&b, 2, 0), DQW_OK);
	EXPECT_BYTES(b, 2, 0, 0, 0, 13, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0,
		     0, 0, 0, 0, 0, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_dump(&b, "x"), DQW_OK);
	EXPECT_BYTES(b, 1, 0, 0, 0, 15, 0, 0, 0, 'x', 0, 0, 0, 0, 0, 0, 0);
}

Test(wire, exec_with_every_parameter_type)
{
	static const uint8_t blob[] = {0xde, 0xad};
	dqc_value p[7];
	p[0].type = DQC_INTEGER, p[0].v.integer = -2;
	p[1].type = DQC_FLOAT, p[1].v.real = 1.0;
	p[2].type = DQC_TEXT, p[2].v.text.ptr = "hi", p[2].v.text.len = 2;
	p[3].type = DQC_BLOB, p[3].v.blob.ptr = blob, p[3].v.blob.len = 2;
	p[4].type = DQC_NULL;
	p[5].type = DQC_ISO8601, p[5].v.text.ptr = "2024", p[5].v.text.len = 4;
	p[6].type = DQC_BOOLEAN, p[6].v.boolean = 1;
	cr_assert_eq(dqw_encode_exec(&b, 1, 2, p, 7, 0), DQW_OK);
	EXPECT_BYTES(b, 10, 0, 0, 0, 5, 0, 0, 0,
		     1, 0, 0, 0, 2, 0, 0, 0,                    /* db, stmt */
		     7, 1, 2, 3, 4, 5, 10, 11,                  /* count + types */
		     0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* -2 */
		     0, 0, 0, 0, 0, 0, 0xf0, 0x3f,              /* 1.0 */
		     'h', 'i', 0, 0, 0, 0, 0, 0,
		     2, 0, 0, 0, 0, 0, 0, 0, 0xde, 0xad, 0, 0, 0, 0, 0, 0,
		     0, 0, 0, 0, 0, 0, 0, 0,                    /* NULL */
		     '2', '0', '2', '4', 0, 0, 0, 0,
		     1, 0, 0, 0, 0, 0, 0, 0);
}

Test(wire, exec_sql_schema1_has_u32_count)
{
	dqc_value p = {.type = DQC_INTEGER};
	p.v.integer = 5;
	cr_assert_eq(dqw_encode_exec_sql(&b, 0, "X", &p, 1, 1), DQW_OK);
	EXPECT_BYTES(b, 4, 0, 0, 0, 8, 1, 0, 0,
		     0, 0, 0, 0, 0, 0, 0, 0,
		     'X', 0, 0, 0, 0, 0, 0, 0,
		     1, 0, 0, 0, 1, 0, 0, 0,
		     5, 0, 0, 0, 0, 0, 0, 0);
}

Test(wire, query_without_parameters_omits_the_tuple)
{
	cr_assert_eq(dqw_encode_query(&b, 3, 4, NULL, 0, 0), DQW_OK);
	EXPECT_BYTES(b, 1, 0, 0, 0, 6, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0);
	dqw_buf_reset(&b);
	cr_assert_eq(dqw_encode_query_sql(&b, 0, "S", NULL, 0, 0), DQW_OK);
	EXPECT_BYTES(b, 2, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		     'S', 0, 0, 0, 0, 0, 0, 0);
}

Test(wire, refused_parameters_leave_the_buffer_unchanged)
{
	dqc_value *many = calloc(300, sizeof *many);
	dqc_value t = {.type = DQC_UNIXTIME};
	for (int i = 0; i < 300; i++)
		many[i].type = DQC_NULL;
	cr_assert_eq(dqw_encode_leader(&b), DQW_OK);
	cr_assert_eq(dqw_encode_exec(&b, 0, 0, many, 300, 0), DQW_ETOOBIG);
	cr_assert_eq(b.len, 16);
	cr_assert_eq(dqw_encode_exec(&b, 0, 0, &t, 1, 0), DQW_EMALFORMED);
	cr_assert_eq(b.len, 16);
	cr_assert_eq(dqw_encode_exec(&b, 0, 0, many, 300, 1), DQW_OK);
	free(many);
}

/* -------------------------------------------------------------- responses */

Test(wire, header_decode)
{
	static const uint8_t h[] = {3, 0, 0, 0, 7, 1, 0, 0};
	dqw_header hd;
	dqw_header_decode(h, &hd);
	cr_assert_eq(hd.words, 3);
	cr_assert_eq(hd.type, DQW_RESP_ROWS);
	cr_assert_eq(hd.schema, 1);
	cr_assert_eq(dqw_body_size(&hd), 24);
}

Test(wire, simple_responses)
{
	static const uint8_t failure[] = {1, 0, 0, 0, 0, 0, 0, 0, 'n', 'o', 0, 0, 0, 0, 0, 0};
	static const uint8_t server[] = {2, 0, 0, 0, 0, 0, 0, 0, 'a', ':', '1', 0, 0, 0, 0, 0};
	static const uint8_t stmt1[] = {1, 0, 0, 0, 9, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0,
					 8, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t result[] = {5, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t db[] = {4, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t meta[] = {1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0};
	dqw_failure f;
	dqw_server s;
	dqw_stmt_info si;
	dqw_result r;
	uint32_t id;
	uint64_t a, c;
	cr_assert_eq(dqw_decode_failure(failure, sizeof failure, &f), DQW_OK);
	cr_assert_eq(f.code, 1);
	cr_assert_str_eq(f.message, "no");
	cr_assert_eq(dqw_decode_server(server, sizeof server, &s), DQW_OK);
	cr_assert_eq(s.id, 2);
	cr_assert_str_eq(s.address, "a:1");
	cr_assert_eq(dqw_decode_stmt(stmt1, 16, 0, &si), DQW_OK);
	cr_assert_eq(si.id, 9);
	cr_assert_eq(si.n_params, 2);
	cr_assert_eq(si.tail_offset, UINT64_MAX);
	cr_assert_eq(dqw_decode_stmt(stmt1, 24, 1, &si), DQW_OK);
	cr_assert_eq(si.tail_offset, 8);
	cr_assert_eq(dqw_decode_stmt(stmt1, 16, 1, &si), DQW_EMALFORMED);
	cr_assert_eq(dqw_decode_result(result, sizeof result, &r), DQW_OK);
	cr_assert_eq(r.last_insert_id, 5);
	cr_assert_eq(r.rows_affected, 1);
	cr_assert_eq(dqw_decode_db(db, sizeof db, &id), DQW_OK);
	cr_assert_eq(id, 4);
	cr_assert_eq(dqw_decode_metadata(meta, sizeof meta, &a, &c), DQW_OK);
	cr_assert_eq(a, 1);
	cr_assert_eq(c, 2);
	cr_assert_eq(dqw_decode_empty(NULL, 0), DQW_OK);
	cr_assert_eq(dqw_decode_empty(db, 8), DQW_OK);
}

Test(wire, servers_and_files_iterators)
{
	static const uint8_t servers[] = {
		2, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 0, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		2, 0, 0, 0, 0, 0, 0, 0, 'b', 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t files[] = {
		1, 0, 0, 0, 0, 0, 0, 0, 'd', 'b', 0, 0, 0, 0, 0, 0,
		3, 0, 0, 0, 0, 0, 0, 0, 'x', 'y', 'z', 0, 0, 0, 0, 0};
	dqw_iter it;
	uint64_t n, size;
	dqc_node_info ni;
	const char *name;
	const uint8_t *data;
	cr_assert_eq(dqw_servers_begin(&it, servers, sizeof servers, &n), DQW_OK);
	cr_assert_eq(n, 2);
	cr_assert_eq(dqw_servers_next(&it, &ni), 1);
	cr_assert_eq(ni.id, 1);
	cr_assert_str_eq(ni.address, "a");
	cr_assert_eq(ni.role, DQC_VOTER);
	cr_assert_eq(dqw_servers_next(&it, &ni), 1);
	cr_assert_eq(ni.role, DQC_SPARE);
	cr_assert_eq(dqw_servers_next(&it, &ni), 0);
	cr_assert_eq(dqw_files_begin(&it, files, sizeof files, &n), DQW_OK);
	cr_assert_eq(dqw_files_next(&it, &name, &data, &size), 1);
	cr_assert_str_eq(name, "db");
	cr_assert_eq(size, 3);
	cr_assert_eq(memcmp(data, "xyz", 3), 0);
	cr_assert_eq(dqw_files_next(&it, &name, &data, &size), 0);
	/* a count the body cannot hold */
	uint8_t huge[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
	cr_assert_eq(dqw_servers_begin(&it, huge, sizeof huge, &n), DQW_EMALFORMED);
}

/* A page with columns (i, t, b, f, n, d, flag, u) and two rows. */
static const uint8_t page[] = {
	8, 0, 0, 0, 0, 0, 0, 0,
	'i', 0, 0, 0, 0, 0, 0, 0, 't', 0, 0, 0, 0, 0, 0, 0,
	'b', 0, 0, 0, 0, 0, 0, 0, 'f', 0, 0, 0, 0, 0, 0, 0,
	'n', 0, 0, 0, 0, 0, 0, 0, 'd', 0, 0, 0, 0, 0, 0, 0,
	'f', 'l', 'a', 'g', 0, 0, 0, 0, 'u', 0, 0, 0, 0, 0, 0, 0,
	/* row 1: types INTEGER TEXT | BLOB FLOAT | NULL ISO8601 | BOOLEAN UNIXTIME */
	0x31, 0x24, 0xa5, 0x9b, 0, 0, 0, 0,
	42, 0, 0, 0, 0, 0, 0, 0,
	'h', 'e', 'l', 'l', 'o', 0, 0, 0,
	1, 0, 0, 0, 0, 0, 0, 0, 0xab, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0xf8, 0x3f, /* 1.5 */
	0, 0, 0, 0, 0, 0, 0, 0,
	'2', '0', '2', '4', 0, 0, 0, 0,
	1, 0, 0, 0, 0, 0, 0, 0,
	0x10, 0, 0, 0, 0, 0, 0, 0,
	/* row 2: all NULL */
	0x55, 0x55, 0x55, 0x55, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

Test(wire, rows_page_with_every_value_type)
{
	dqw_rows_page pg;
	dqc_value v[8];
	cr_assert_eq(dqw_rows_begin(&pg, page, sizeof page), DQW_OK);
	cr_assert_eq(pg.column_count, 8);
	cr_assert_str_eq(dqw_rows_column_name(&pg, 6), "flag");
	cr_assert_null(dqw_rows_column_name(&pg, 8));
	cr_assert_eq(dqw_rows_next(&pg, v), DQW_ROWS_ROW);
	cr_assert_eq(v[0].type, DQC_INTEGER);
	cr_assert_eq(v[0].v.integer, 42);
	cr_assert_eq(v[1].type, DQC_TEXT);
	cr_assert_str_eq(v[1].v.text.ptr, "hello");
	cr_assert_eq(v[1].v.text.len, 5);
	cr_assert_eq(v[2].type, DQC_BLOB);
	cr_assert_eq(v[2].v.blob.len, 1);
	cr_assert_eq(((const uint8_t *)v[2].v.blob.ptr)[0], 0xab);
	cr_assert_eq(v[3].type, DQC_FLOAT);
	cr_assert_float_eq(v[3].v.real, 1.5, 0);
	cr_assert_eq(v[4].type, DQC_NULL);
	cr_assert_eq(v[5].type, DQC_ISO8601);
	cr_assert_str_eq(v[5].v.text.ptr, "2024");
	cr_assert_eq(v[6].type, DQC_BOOLEAN);
	cr_assert_eq(v[6].v.boolean, 1);
	cr_assert_eq(v[7].type, DQC_UNIXTIME);
	cr_assert_eq(v[7].v.integer, 16);
	cr_assert_eq(dqw_rows_next(&pg, v), DQW_ROWS_ROW);
	for (int i = 0; i < 8; i++)
		cr_assert_eq(v[i].type, DQC_NULL);
	cr_assert_eq(dqw_rows_next(&pg, v), DQW_ROWS_DONE);
	cr_assert_eq(dqw_rows_next(&pg, v), DQW_ROWS_DONE);
}

Test(wire, rows_page_more_marker)
{
	uint8_t p[sizeof page];
	dqw_rows_page pg;
	dqc_value v[8];
	memcpy(p, page, sizeof p);
	memset(p + sizeof p - 8, 0xee, 8);
	cr_assert_eq(dqw_rows_begin(&pg, p, sizeof p), DQW_OK);
	cr_assert_eq(dqw_rows_next(&pg, v), DQW_ROWS_ROW);
	cr_assert_eq(dqw_rows_next(&pg, v), DQW_ROWS_ROW);
	cr_assert_eq(dqw_rows_next(&pg, v), DQW_ROWS_MORE);
}

/* Offsets in `page` where its parts end: the column names, row 1, row 2
 * (the 0xff end marker follows). */
enum { PAGE_NAMES_END = 8 + 8 * 8, PAGE_ROW1_END = PAGE_NAMES_END + 8 + 9 * 8,
       PAGE_ROW2_END = PAGE_ROW1_END + 8 + 8 * 8 };

/* Every prefix of a valid page is rejected exactly where it is cut: names
 * cut short fail dqw_rows_begin; otherwise the rows that are whole decode
 * and the next call is DQW_EMALFORMED (a cut row, or no end marker). The
 * exact-size heap copy lets ASan catch any read past the end. */
Test(wire, every_truncation_of_a_page_is_malformed_where_it_is_cut)
{
	cr_assert_eq(PAGE_ROW2_END + 8, sizeof page, "offsets match the page");
	for (size_t n = 0; n <= sizeof page; n++) {
		uint8_t *p = malloc(n ? n : 1);
		dqw_rows_page pg;
		dqc_value v[8];
		int k, rows = 0, want_rows;
		memcpy(p, page, n);
		k = dqw_rows_begin(&pg, p, n);
		if (n < PAGE_NAMES_END) {
			cr_assert_eq(k, DQW_EMALFORMED, "prefix %zu: names cut, begin gave %d", n, k);
			free(p);
			continue;
		}
		cr_assert_eq(k, DQW_OK, "prefix %zu: names whole, begin gave %d", n, k);
		while ((k = dqw_rows_next(&pg, v)) == DQW_ROWS_ROW)
			rows++;
		want_rows = n >= PAGE_ROW2_END ? 2 : n >= PAGE_ROW1_END ? 1 : 0;
		cr_assert_eq(rows, want_rows, "prefix %zu: %d whole rows decoded, want %d", n,
			     rows, want_rows);
		cr_assert_eq(k, n == sizeof page ? DQW_ROWS_DONE : DQW_EMALFORMED,
			     "prefix %zu ended with %d", n, k);
		free(p);
	}
}

Test(wire, hostile_rows_are_malformed)
{
	uint8_t p[sizeof page];
	dqw_rows_page pg;
	dqc_value v[8];
	/* unknown type nibble (6) */
	memcpy(p, page, sizeof p);
	p[8 + 64] = 0x61;
	cr_assert_eq(dqw_rows_begin(&pg, p, sizeof p), DQW_OK);
	cr_assert_eq(dqw_rows_next(&pg, v), DQW_EMALFORMED);
	/* text without its NUL inside the body */
	static const uint8_t nonul[] = {1, 0, 0, 0, 0, 0, 0, 0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
	cr_assert_eq(dqw_rows_begin(&pg, nonul, sizeof nonul), DQW_EMALFORMED);
	/* column count over the limit */
	static const uint8_t wide[] = {0, 0x80, 0, 0, 0, 0, 0, 0};
	cr_assert_eq(dqw_rows_begin(&pg, wide, sizeof wide), DQW_EMALFORMED);
	/* no end marker after the last row */
	cr_assert_eq(dqw_rows_begin(&pg, page, sizeof page - 8), DQW_OK);
	cr_assert_eq(dqw_rows_next(&pg, v), DQW_ROWS_ROW);
	cr_assert_eq(dqw_rows_next(&pg, v), DQW_ROWS_ROW);
	cr_assert_eq(dqw_rows_next(&pg, v), DQW_EMALFORMED);
	/* a blob length larger than the body */
	memcpy(p, page, sizeof p);
	p[8 + 64 + 8 + 8 + 8] = 0xff;
	cr_assert_eq(dqw_rows_begin(&pg, p, sizeof p), DQW_OK);
	cr_assert_eq(dqw_rows_next(&pg, v), DQW_EMALFORMED);
}

Test(wire, truncated_simple_responses)
{
	static const uint8_t failure[] = {1, 0, 0, 0, 0, 0, 0, 0, 'n', 'o', 0, 0, 0, 0, 0, 0};
	for (size_t n = 0; n < sizeof failure; n++) {
		uint8_t *p = malloc(n ? n : 1);
		dqw_failure f;
		memcpy(p, failure, n);
		cr_assert_eq(dqw_decode_failure(p, n, &f), DQW_EMALFORMED, "prefix %zu", n);
		free(p);
	}
}
