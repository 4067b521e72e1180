/*
 * driver/memrows.c: in-memory result sets (internal.h). Rows are deep copies
 * owned by the object: the caller's text and blob buffers may change or go
 * away right after dq_memrows_add.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static dqc_value v_int(int64_t i)
{
	dqc_value x = {.type = DQC_INTEGER};
	x.v.integer = i;
	return x;
}

static dqc_value v_text(int type, const char *s, size_t len)
{
	dqc_value x = {.type = type};
	x.v.text.ptr = s;
	x.v.text.len = len;
	return x;
}

static dqc_value v_blob(const void *p, size_t len)
{
	dqc_value x = {.type = DQC_BLOB};
	x.v.blob.ptr = p;
	x.v.blob.len = len;
	return x;
}

Test(memrows, empty_object)
{
	dq_memrows *m = dq_memrows_new(3);
	cr_assert_not_null(m);
	cr_assert_eq(dq_memrows_count(m), 0);
	cr_assert_null(dq_memrows_row(m, 0), "no row 0 in an empty set");
	dq_memrows_free(m);
	dq_memrows_free(NULL); /* a no-op */
}

Test(memrows, every_value_type_is_kept)
{
	dq_memrows *m = dq_memrows_new(8);
	dqc_value in[8], n = {.type = DQC_NULL};
	const dqc_value *r;
	in[0] = v_int(-9223372036854775807LL - 1);
	in[1].type = DQC_FLOAT, in[1].v.real = -2.5;
	in[2] = v_text(DQC_TEXT, "héllo", strlen("héllo"));
	in[3] = v_blob("\x00\x01\xff", 3);
	in[4] = n;
	in[5] = v_text(DQC_ISO8601, "2024-01-02 03:04:05", 19);
	in[6].type = DQC_BOOLEAN, in[6].v.boolean = 1;
	in[7].type = DQC_UNIXTIME, in[7].v.integer = 1700000000;
	cr_assert_eq(dq_memrows_add(m, in), 0);
	cr_assert_eq(dq_memrows_count(m), 1);
	r = dq_memrows_row(m, 0);
	cr_assert_not_null(r);
	cr_assert_eq(r[0].type, DQC_INTEGER);
	cr_assert_eq(r[0].v.integer, -9223372036854775807LL - 1);
	cr_assert_eq(r[1].type, DQC_FLOAT);
	cr_assert_float_eq(r[1].v.real, -2.5, 0);
	cr_assert_eq(r[2].type, DQC_TEXT);
	cr_assert_eq(r[2].v.text.len, strlen("héllo"));
	cr_assert_str_eq(r[2].v.text.ptr, "héllo");
	cr_assert_eq(r[3].type, DQC_BLOB);
	cr_assert_eq(r[3].v.blob.len, 3);
	cr_assert_eq(memcmp(r[3].v.blob.ptr, "\x00\x01\xff", 3), 0);
	cr_assert_eq(r[4].type, DQC_NULL, "NULL cells stay NULL");
	cr_assert_eq(r[5].type, DQC_ISO8601);
	cr_assert_eq(r[5].v.text.len, 19);
	cr_assert_str_eq(r[5].v.text.ptr, "2024-01-02 03:04:05");
	cr_assert_eq(r[6].type, DQC_BOOLEAN);
	cr_assert_eq(r[6].v.boolean, 1);
	cr_assert_eq(r[7].type, DQC_UNIXTIME);
	cr_assert_eq(r[7].v.integer, 1700000000);
	cr_assert_null(dq_memrows_row(m, 1));
	dq_memrows_free(m);
}

Test(memrows, text_and_blob_are_deep_copies)
{
	dq_memrows *m = dq_memrows_new(3);
	char *text = strdup("catalog"), *iso = strdup("2024-05-06");
	unsigned char *blob = malloc(4);
	dqc_value in[3];
	const dqc_value *r;
	memcpy(blob, "\xde\xad\xbe\xef", 4);
	in[0] = v_text(DQC_TEXT, text, strlen(text));
	in[1] = v_blob(blob, 4);
	in[2] = v_text(DQC_ISO8601, iso, strlen(iso));
	cr_assert_eq(dq_memrows_add(m, in), 0);
	r = dq_memrows_row(m, 0);
	cr_assert_neq((const void *)r[0].v.text.ptr, (const void *)text);
	cr_assert_neq(r[1].v.blob.ptr, (const void *)blob);
	cr_assert_neq((const void *)r[2].v.text.ptr, (const void *)iso);
	/* the caller's buffers change and go away: the row is unaffected */
	memset(text, 'X', strlen(text));
	memset(blob, 0, 4);
	memset(iso, 'Y', strlen(iso));
	free(text);
	free(blob);
	free(iso);
	cr_assert_str_eq(r[0].v.text.ptr, "catalog");
	cr_assert_eq(memcmp(r[1].v.blob.ptr, "\xde\xad\xbe\xef", 4), 0);
	cr_assert_str_eq(r[2].v.text.ptr, "2024-05-06");
	dq_memrows_free(m);
}

Test(memrows, text_is_copied_by_length_and_nul_terminated)
{
	dq_memrows *m = dq_memrows_new(3);
	static const char src[] = "ab\0cdXYZ";
	dqc_value in[3];
	const dqc_value *r;
	in[0] = v_text(DQC_TEXT, src, 5);  /* "ab\0cd": an embedded NUL */
	in[1] = v_text(DQC_TEXT, src, 0);  /* empty */
	in[2] = v_blob(NULL, 0);           /* empty blob */
	cr_assert_eq(dq_memrows_add(m, in), 0);
	r = dq_memrows_row(m, 0);
	cr_assert_eq(r[0].v.text.len, 5);
	cr_assert_eq(memcmp(r[0].v.text.ptr, "ab\0cd", 5), 0);
	cr_assert_eq(r[0].v.text.ptr[5], '\0', "ptr[len] == NUL (dqc_value contract)");
	cr_assert_eq(r[1].type, DQC_TEXT);
	cr_assert_eq(r[1].v.text.len, 0);
	cr_assert_str_eq(r[1].v.text.ptr, "");
	cr_assert_eq(r[2].type, DQC_BLOB);
	cr_assert_eq(r[2].v.blob.len, 0);
	dq_memrows_free(m);
}

/* Many rows: the row table grows many times; rows added early keep their
 * cells (each row is its own allocation) and come back in order. */
Test(memrows, many_rows_keep_order_and_contents)
{
	enum { N = 20000 };
	dq_memrows *m = dq_memrows_new(4);
	const dqc_value *first;
	for (int i = 0; i < N; i++) {
		char buf[32];
		unsigned char b[2] = {(unsigned char)i, (unsigned char)(i >> 8)};
		dqc_value in[4];
		snprintf(buf, sizeof buf, "row-%d", i);
		in[0] = v_int(i);
		in[1] = v_text(DQC_TEXT, buf, strlen(buf));
		in[2] = v_blob(b, sizeof b);
		in[3].type = i % 3 ? DQC_NULL : DQC_BOOLEAN;
		in[3].v.boolean = (uint64_t)(i & 1);
		cr_assert_eq(dq_memrows_add(m, in), 0, "row %d", i);
	}
	first = dq_memrows_row(m, 0);
	cr_assert_eq(dq_memrows_count(m), N);
	for (int i = 0; i < N; i++) {
		const dqc_value *r = dq_memrows_row(m, (size_t)i);
		char buf[32];
		snprintf(buf, sizeof buf, "row-%d", i);
		cr_assert_not_null(r);
		cr_assert_eq(r[0].v.integer, i);
		cr_assert_str_eq(r[1].v.text.ptr, buf);
		cr_assert_eq(r[1].v.text.len, strlen(buf));
		cr_assert_eq(r[2].v.blob.len, 2);
		cr_assert_eq(((const unsigned char *)r[2].v.blob.ptr)[0], (unsigned char)i);
		cr_assert_eq(((const unsigned char *)r[2].v.blob.ptr)[1], (unsigned char)(i >> 8));
		cr_assert_eq(r[3].type, i % 3 ? DQC_NULL : DQC_BOOLEAN, "row %d", i);
		if (i % 3 == 0)
			cr_assert_eq(r[3].v.boolean, (uint64_t)(i & 1));
	}
	cr_assert_eq(dq_memrows_row(m, 0), first, "row 0 did not move while rows were added");
	cr_assert_str_eq(first[1].v.text.ptr, "row-0");
	cr_assert_null(dq_memrows_row(m, N));
	dq_memrows_free(m); /* ASan builds: every row and copy is freed */
}

/* dq_memrows_bytes counts what the rows hold: a static cursor's bound
 * (StaticCursorMaxBytes) is checked against it, so it must grow with the
 * text and blob bytes of each row, not only with the row count. */
Test(memrows, bytes_grow_with_each_row_and_its_text_and_blob)
{
	static char big[10000];
	dq_memrows *m = dq_memrows_new(2);
	dqc_value small[2] = {v_int(1), v_text(DQC_TEXT, "ab", 2)};
	dqc_value large[2] = {v_int(2), v_blob(big, sizeof big)};
	size_t b0, b1, b2;

	cr_assert_not_null(m);
	b0 = dq_memrows_bytes(m);
	cr_assert_eq(b0, 0);
	cr_assert_eq(dq_memrows_add(m, small), 0);
	b1 = dq_memrows_bytes(m);
	cr_assert_geq(b1, 2 * sizeof(dqc_value) + 3);
	cr_assert_eq(dq_memrows_add(m, large), 0);
	b2 = dq_memrows_bytes(m);
	cr_assert_geq(b2 - b1, 2 * sizeof(dqc_value) + sizeof big);
	dq_memrows_free(m);
}
