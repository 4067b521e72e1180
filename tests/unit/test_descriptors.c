/*
 * driver/descriptors.c without a server: descriptor records and header
 * fields, SQLGet/SetDescField semantics, SQLCopyDesc, C type sizes, bound
 * addresses for column- and row-wise binding with bind offsets, and the
 * unaligned length words (internal.h). Descriptors live on the stack with a
 * zeroed connection, as the driver's implicit ones live in a statement.
 */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static dq_dbc dbc;   /* zeroed: no server, no environment */
static dq_stmt stmt; /* zeroed: an owner for implicit descriptors */

/* Descriptors of the running test, freed by the suite's .fini even when an
 * assertion ends the test early (so a failure is reported as a failure,
 * not as a leak). */
static dq_desc pool[4];
static int pool_used;

static dq_desc *mk(dq_stmt *owner, int kind, int implicit)
{
	cr_assert_lt(pool_used, 4);
	dq_desc_init(&pool[pool_used], &dbc, owner, kind, implicit);
	return &pool[pool_used++];
}

static void desc_done(dq_desc *d);

static void free_pool(void)
{
	for (int i = 0; i < pool_used; i++)
		desc_done(&pool[i]);
	pool_used = 0;
}

TestSuite(descriptors, .fini = free_pool);

#define IV(x) ((SQLPOINTER)(intptr_t)(x))

/* SQLSTATE of the last diagnostic posted on d ("" when none). */
static const char *last_state(const dq_desc *d)
{
	return d->h.diag.n ? d->h.diag.recs[d->h.diag.n - 1].sqlstate : "";
}

static void desc_done(dq_desc *d)
{
	dq_desc_free_recs(d);
	dq_diag_free(&d->h.diag);
}

static SQLSMALLINT get_small(dq_desc *d, SQLSMALLINT rec, SQLSMALLINT field)
{
	SQLSMALLINT v = -12345;
	SQLINTEGER len = -1;
	cr_assert_eq(dq_desc_get_field(d, rec, field, &v, 0, &len, 0), SQL_SUCCESS,
		     "field %d of record %d", field, rec);
	cr_assert_eq(len, (SQLINTEGER)sizeof v, "field %d is a SQLSMALLINT", field);
	return v;
}

Test(descriptors, init_sets_the_header_defaults)
{
	SQLULEN size = 0;
	SQLINTEGER bind = -1;
	dq_desc *d;
	memset(&pool[pool_used], 0x5a, sizeof pool[0]); /* init must not rely on zeroed memory */
	d = mk(&stmt, DQ_ARD, 1);
	cr_assert_eq(d->h.magic, DQ_MAGIC);
	cr_assert_eq(d->h.type, DQ_HDESC);
	cr_assert_eq(d->h.diag.n, 0);
	cr_assert_eq(d->dbc, &dbc);
	cr_assert_eq(d->stmt, &stmt);
	cr_assert_eq(d->kind, DQ_ARD);
	cr_assert_eq(d->count, 0);
	cr_assert_null(d->recs);
	cr_assert_null(d->array_status_ptr);
	cr_assert_null(d->bind_offset_ptr);
	cr_assert_null(d->rows_processed_ptr);
	cr_assert_eq(dq_desc_get_field(d, 0, SQL_DESC_ARRAY_SIZE, &size, 0, NULL, 0), SQL_SUCCESS);
	cr_assert_eq(size, 1);
	cr_assert_eq(dq_desc_get_field(d, 0, SQL_DESC_BIND_TYPE, &bind, 0, NULL, 0), SQL_SUCCESS);
	cr_assert_eq(bind, SQL_BIND_BY_COLUMN);
	cr_assert_eq(get_small(d, 0, SQL_DESC_COUNT), 0);
	cr_assert_eq(get_small(d, 0, SQL_DESC_ALLOC_TYPE), SQL_DESC_ALLOC_AUTO);
	dq_desc *u = mk(NULL, DQ_APD, 0);
	cr_assert_eq(get_small(u, 0, SQL_DESC_ALLOC_TYPE), SQL_DESC_ALLOC_USER);
	desc_done(d);
	desc_done(u);
}

Test(descriptors, ensure_grows_with_record_defaults_by_kind)
{
	dq_desc *ard = mk(NULL, DQ_ARD, 1);
	dq_desc *ird = mk(NULL, DQ_IRD, 1);
	cr_assert_eq(dq_desc_ensure(ard, -1), -1);
	cr_assert_eq(dq_desc_ensure(ard, 0), 0);
	cr_assert_eq(ard->count, 0, "ensure(0) adds no record");
	cr_assert_eq(dq_desc_ensure(ard, 3), 0);
	cr_assert_eq(ard->count, 3);
	cr_assert_geq(ard->cap, 4, "records 0..3 exist");
	for (int i = 0; i <= 3; i++) {
		cr_assert_eq(ard->recs[i].concise_type, SQL_C_DEFAULT, "ARD record %d", i);
		cr_assert_eq(ard->recs[i].type, SQL_C_DEFAULT);
		cr_assert_eq(ard->recs[i].parameter_type, SQL_PARAM_INPUT);
		cr_assert_eq(ard->recs[i].nullable, SQL_NULLABLE_UNKNOWN);
		cr_assert_eq(ard->recs[i].unnamed, SQL_UNNAMED);
		cr_assert_null(ard->recs[i].data_ptr);
		cr_assert_null(ard->recs[i].indicator_ptr);
		cr_assert_null(ard->recs[i].name);
	}
	cr_assert_eq(dq_desc_ensure(ird, 2), 0);
	cr_assert_eq(ird->recs[1].concise_type, 0, "implementation records have no C default");
	cr_assert_eq(ird->recs[1].nullable, SQL_NULLABLE_UNKNOWN);
	/* growing far keeps what the records already hold */
	ard->recs[2].data_ptr = ard;
	ard->recs[2].octet_length = 77;
	cr_assert_eq(dq_desc_ensure(ard, 300), 0);
	cr_assert_eq(ard->count, 300);
	cr_assert_geq(ard->cap, 301);
	cr_assert_eq(ard->recs[2].data_ptr, ard);
	cr_assert_eq(ard->recs[2].octet_length, 77);
	cr_assert_eq(ard->recs[300].concise_type, SQL_C_DEFAULT);
	/* ensure never shrinks */
	cr_assert_eq(dq_desc_ensure(ard, 5), 0);
	cr_assert_eq(ard->count, 300);
	desc_done(ard);
	desc_done(ird);
	cr_assert_eq(ard->count, 0);
	cr_assert_null(ard->recs);
}

Test(descriptors, set_type_derives_verbose_type_and_interval_code)
{
	dq_desc_rec r;
	memset(&r, 0, sizeof r);
	dq_desc_set_type(&r, SQL_TYPE_DATE);
	cr_assert_eq(r.concise_type, SQL_TYPE_DATE);
	cr_assert_eq(r.type, SQL_DATETIME);
	cr_assert_eq(r.datetime_interval_code, SQL_CODE_DATE);
	dq_desc_set_type(&r, SQL_TYPE_TIME);
	cr_assert_eq(r.type, SQL_DATETIME);
	cr_assert_eq(r.datetime_interval_code, SQL_CODE_TIME);
	dq_desc_set_type(&r, SQL_C_TYPE_TIMESTAMP);
	cr_assert_eq(r.concise_type, SQL_C_TYPE_TIMESTAMP);
	cr_assert_eq(r.type, SQL_DATETIME);
	cr_assert_eq(r.datetime_interval_code, SQL_CODE_TIMESTAMP);
	dq_desc_set_type(&r, SQL_C_SLONG);
	cr_assert_eq(r.concise_type, SQL_C_SLONG);
	cr_assert_eq(r.type, SQL_C_SLONG, "non-datetime: verbose == concise");
	cr_assert_eq(r.datetime_interval_code, 0, "the old datetime code is cleared");
}

Test(descriptors, record_fields_round_trip_with_their_odbc_types)
{
	SQLLEN ind, oct;
	char data[8];
	SQLULEN ulen = 0;
	SQLLEN slen = 0;
	SQLPOINTER p = NULL;
	SQLINTEGER outlen = -1;
	dq_desc *d = mk(NULL, DQ_APD, 0);
	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_CONCISE_TYPE, IV(SQL_C_TYPE_DATE), 0),
		     SQL_SUCCESS);
	cr_assert_eq(d->count, 2, "setting a record field creates the records up to it");
	cr_assert_eq(get_small(d, 2, SQL_DESC_CONCISE_TYPE), SQL_C_TYPE_DATE);
	cr_assert_eq(get_small(d, 2, SQL_DESC_TYPE), SQL_DATETIME);
	cr_assert_eq(get_small(d, 2, SQL_DESC_DATETIME_INTERVAL_CODE), SQL_CODE_DATE);
	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_TYPE, IV(SQL_C_CHAR), 0), SQL_SUCCESS);
	cr_assert_eq(get_small(d, 2, SQL_DESC_CONCISE_TYPE), SQL_C_CHAR);
	cr_assert_eq(get_small(d, 2, SQL_DESC_DATETIME_INTERVAL_CODE), 0);

	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_LENGTH, IV(40), 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_get_field(d, 2, SQL_DESC_LENGTH, &ulen, 0, &outlen, 0), SQL_SUCCESS);
	cr_assert_eq(ulen, 40);
	cr_assert_eq(outlen, (SQLINTEGER)sizeof(SQLULEN));
	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_OCTET_LENGTH, IV(41), 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_get_field(d, 2, SQL_DESC_OCTET_LENGTH, &slen, 0, &outlen, 0),
		     SQL_SUCCESS);
	cr_assert_eq(slen, 41);
	cr_assert_eq(outlen, (SQLINTEGER)sizeof(SQLLEN));
	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_PRECISION, IV(10), 0), SQL_SUCCESS);
	cr_assert_eq(get_small(d, 2, SQL_DESC_PRECISION), 10);
	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_SCALE, IV(3), 0), SQL_SUCCESS);
	cr_assert_eq(get_small(d, 2, SQL_DESC_SCALE), 3);
	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_NULLABLE, IV(SQL_NO_NULLS), 0), SQL_SUCCESS);
	cr_assert_eq(get_small(d, 2, SQL_DESC_NULLABLE), SQL_NO_NULLS);
	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_PARAMETER_TYPE, IV(SQL_PARAM_INPUT), 0),
		     SQL_SUCCESS);
	cr_assert_eq(get_small(d, 2, SQL_DESC_PARAMETER_TYPE), SQL_PARAM_INPUT);

	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_DATA_PTR, data, 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_get_field(d, 2, SQL_DESC_DATA_PTR, &p, 0, &outlen, 0), SQL_SUCCESS);
	cr_assert_eq(p, data);
	cr_assert_eq(outlen, (SQLINTEGER)sizeof(SQLPOINTER));
	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_INDICATOR_PTR, &ind, 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_get_field(d, 2, SQL_DESC_INDICATOR_PTR, &p, 0, NULL, 0), SQL_SUCCESS);
	cr_assert_eq(p, &ind);
	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_OCTET_LENGTH_PTR, &oct, 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_get_field(d, 2, SQL_DESC_OCTET_LENGTH_PTR, &p, 0, NULL, 0),
		     SQL_SUCCESS);
	cr_assert_eq(p, &oct);
	cr_assert_eq(d->h.diag.n, 0, "no diagnostics on success");
	desc_done(d);
}

/* SQLSetDescRec(rec, SQL_DATETIME, SQL_CODE_TIMESTAMP, ...) sets TYPE, then
 * DATETIME_INTERVAL_CODE: the ODBC reference makes the three fields
 * interdependent, so the concise type becomes SQL_TYPE_TIMESTAMP (and the
 * record then converts as a timestamp, not as code 9 = SQL_C_DATE). */
Test(descriptors, datetime_type_and_code_make_the_concise_type)
{
	dq_desc *d = mk(NULL, DQ_ARD, 0);
	cr_assert_eq(dq_desc_set_field(d, 1, SQL_DESC_TYPE, IV(SQL_DATETIME), 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_set_field(d, 1, SQL_DESC_DATETIME_INTERVAL_CODE,
				       IV(SQL_CODE_TIMESTAMP), 0), SQL_SUCCESS);
	cr_assert_eq(get_small(d, 1, SQL_DESC_TYPE), SQL_DATETIME);
	cr_assert_eq(get_small(d, 1, SQL_DESC_DATETIME_INTERVAL_CODE), SQL_CODE_TIMESTAMP);
	cr_assert_eq(get_small(d, 1, SQL_DESC_CONCISE_TYPE), SQL_C_TYPE_TIMESTAMP,
		     "TYPE SQL_DATETIME + CODE SQL_CODE_TIMESTAMP is concise type %d, got %d",
		     SQL_C_TYPE_TIMESTAMP, get_small(d, 1, SQL_DESC_CONCISE_TYPE));
	desc_done(d);
}

Test(descriptors, header_fields_round_trip)
{
	SQLUSMALLINT status[4];
	SQLLEN off = 0;
	SQLULEN done = 0, size = 0;
	SQLINTEGER bind = 0;
	SQLPOINTER p = NULL;
	dq_desc *d = mk(NULL, DQ_ARD, 1);
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_ARRAY_SIZE, IV(4), 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_get_field(d, 0, SQL_DESC_ARRAY_SIZE, &size, 0, NULL, 0), SQL_SUCCESS);
	cr_assert_eq(size, 4);
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_ARRAY_STATUS_PTR, status, 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_get_field(d, 0, SQL_DESC_ARRAY_STATUS_PTR, &p, 0, NULL, 0),
		     SQL_SUCCESS);
	cr_assert_eq(p, status);
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_BIND_OFFSET_PTR, &off, 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_get_field(d, 0, SQL_DESC_BIND_OFFSET_PTR, &p, 0, NULL, 0),
		     SQL_SUCCESS);
	cr_assert_eq(p, &off);
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_BIND_TYPE, IV(48), 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_get_field(d, 0, SQL_DESC_BIND_TYPE, &bind, 0, NULL, 0), SQL_SUCCESS);
	cr_assert_eq(bind, 48);
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_ROWS_PROCESSED_PTR, &done, 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_get_field(d, 0, SQL_DESC_ROWS_PROCESSED_PTR, &p, 0, NULL, 0),
		     SQL_SUCCESS);
	cr_assert_eq(p, &done);
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_COUNT, IV(3), 0), SQL_SUCCESS);
	cr_assert_eq(get_small(d, 0, SQL_DESC_COUNT), 3);
	cr_assert_eq(d->h.diag.n, 0);
	desc_done(d);
}

Test(descriptors, names_as_ansi_and_wide_strings_with_truncation)
{
	char a[16];
	SQLCHAR small[3];
	SQLWCHAR w[16];
	SQLINTEGER len = -1;
	dq_desc *d = mk(NULL, DQ_IPD, 1);
	cr_assert_eq(get_small(d, 0, SQL_DESC_COUNT), 0);
	cr_assert_eq(dq_desc_set_field(d, 1, SQL_DESC_NAME, "h\xc3\xa9llo", SQL_NTS), SQL_SUCCESS);
	cr_assert_eq(get_small(d, 1, SQL_DESC_UNNAMED), SQL_NAMED);
	cr_assert_eq(dq_desc_get_field(d, 1, SQL_DESC_NAME, a, sizeof a, &len, 0), SQL_SUCCESS);
	cr_assert_str_eq(a, "h\xc3\xa9llo");
	cr_assert_eq(len, 6, "ANSI length in bytes");
	cr_assert_eq(dq_desc_get_field(d, 1, SQL_DESC_NAME, w, sizeof w, &len, 1), SQL_SUCCESS);
	cr_assert_eq(w[1], 0x00e9);
	cr_assert_eq(w[5], 0);
	cr_assert_eq(len, 10, "wide length in bytes: 5 SQLWCHARs");
	cr_assert_eq(d->h.diag.n, 0);
	/* truncation: SQL_SUCCESS_WITH_INFO and 01004 on the descriptor */
	cr_assert_eq(dq_desc_get_field(d, 1, SQL_DESC_NAME, small, sizeof small, &len, 0),
		     SQL_SUCCESS_WITH_INFO);
	cr_assert_str_eq((char *)small, "h", "not split inside é");
	cr_assert_eq(len, 6);
	cr_assert_str_eq(last_state(d), "01004");
	/* wide buffer length is in bytes: 6 bytes = 3 SQLWCHARs */
	cr_assert_eq(dq_desc_get_field(d, 1, SQL_DESC_NAME, w, 6, &len, 1), SQL_SUCCESS_WITH_INFO);
	cr_assert_eq(w[0], 'h');
	cr_assert_eq(w[1], 0x00e9);
	cr_assert_eq(w[2], 0);
	cr_assert_eq(len, 10);
	/* clearing the name */
	cr_assert_eq(dq_desc_set_field(d, 1, SQL_DESC_NAME, NULL, 0), SQL_SUCCESS);
	cr_assert_eq(get_small(d, 1, SQL_DESC_UNNAMED), SQL_UNNAMED);
	cr_assert_eq(dq_desc_get_field(d, 1, SQL_DESC_NAME, a, sizeof a, &len, 0), SQL_SUCCESS);
	cr_assert_str_eq(a, "");
	cr_assert_eq(len, 0);
	desc_done(d);
}

Test(descriptors, invalid_requests_are_diagnosed)
{
	SQLSMALLINT v;
	SQLUSMALLINT status[2];
	dq_desc *d = mk(NULL, DQ_ARD, 1);
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_ARRAY_SIZE, IV(0), 0), SQL_ERROR);
	cr_assert_str_eq(last_state(d), "HY024");
	cr_assert_eq(d->array_size, 1, "unchanged");
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_COUNT, IV(-1), 0), SQL_ERROR);
	cr_assert_str_eq(last_state(d), "07009");
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_ALLOC_TYPE, IV(SQL_DESC_ALLOC_USER), 0),
		     SQL_ERROR);
	cr_assert_str_eq(last_state(d), "HY091");
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_CONCISE_TYPE, IV(SQL_C_CHAR), 0), SQL_ERROR,
		     "record 0 (bookmark) cannot be typed: bookmarks are not supported");
	cr_assert_str_eq(last_state(d), "07009");
	cr_assert_eq(dq_desc_set_field(d, 1, SQL_DESC_AUTO_UNIQUE_VALUE, IV(1), 0), SQL_ERROR,
		     "read-only record field");
	cr_assert_str_eq(last_state(d), "HY091");
	cr_assert_eq(d->count, 0, "a refused field makes no record");
	cr_assert_eq(dq_desc_set_field(d, 1, SQL_DESC_CONCISE_TYPE, IV(SQL_C_CHAR), 0),
		     SQL_SUCCESS);
	cr_assert_eq(dq_desc_get_field(d, -1, SQL_DESC_TYPE, &v, 0, NULL, 0), SQL_ERROR);
	cr_assert_str_eq(last_state(d), "07009");
	cr_assert_eq(dq_desc_get_field(d, 0, SQL_DESC_TYPE, &v, 0, NULL, 0), SQL_ERROR);
	cr_assert_str_eq(last_state(d), "07009");
	cr_assert_eq(dq_desc_get_field(d, 5, SQL_DESC_TYPE, &v, 0, NULL, 0), SQL_NO_DATA,
		     "a record beyond SQL_DESC_COUNT");
	cr_assert_eq(dq_desc_get_field(d, 1, 9999, &v, 0, NULL, 0), SQL_ERROR);
	cr_assert_str_eq(last_state(d), "HY091");
	desc_done(d);
	/* an IRD takes only the two application pointers */
	dq_desc *ird = mk(NULL, DQ_IRD, 1);
	cr_assert_eq(dq_desc_set_field(ird, 1, SQL_DESC_CONCISE_TYPE, IV(SQL_C_CHAR), 0), SQL_ERROR);
	cr_assert_str_eq(last_state(ird), "HY016");
	cr_assert_eq(dq_desc_set_field(ird, 0, SQL_DESC_ARRAY_SIZE, IV(2), 0), SQL_ERROR);
	cr_assert_str_eq(last_state(ird), "HY016");
	cr_assert_eq(dq_desc_set_field(ird, 0, SQL_DESC_ARRAY_STATUS_PTR, status, 0), SQL_SUCCESS);
	cr_assert_eq(ird->array_status_ptr, status);
	cr_assert_eq(dq_desc_set_field(ird, 0, SQL_DESC_ROWS_PROCESSED_PTR, status, 0), SQL_SUCCESS);
	desc_done(ird);
}

/* The ODBC reference (SQLSetDescField, SQL_DESC_COUNT): "If the value in
 * SQL_DESC_COUNT is explicitly decreased, all records with numbers greater
 * than the new value in SQL_DESC_COUNT are effectively removed"; 0 on an ARD
 * releases every bound column (SQLFreeStmt(SQL_UNBIND) is defined as this).
 * A record that comes back later is a fresh one, not the old binding. */
Test(descriptors, decreasing_count_removes_the_records_above)
{
	char buf[16];
	SQLLEN ind;
	SQLPOINTER p = NULL;
	dq_desc *d = mk(NULL, DQ_ARD, 1);
	cr_assert_eq(dq_desc_set_field(d, 1, SQL_DESC_DATA_PTR, buf, 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_set_field(d, 3, SQL_DESC_CONCISE_TYPE, IV(SQL_C_SLONG), 0),
		     SQL_SUCCESS);
	cr_assert_eq(dq_desc_set_field(d, 3, SQL_DESC_DATA_PTR, buf, 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_set_field(d, 3, SQL_DESC_INDICATOR_PTR, &ind, 0), SQL_SUCCESS);
	cr_assert_eq(d->count, 3);
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_COUNT, IV(1), 0), SQL_SUCCESS);
	cr_assert_eq(get_small(d, 0, SQL_DESC_COUNT), 1);
	cr_assert_eq(dq_desc_get_field(d, 3, SQL_DESC_DATA_PTR, &p, 0, NULL, 0), SQL_NO_DATA);
	/* record 4 is bound: records 2 and 3 come back empty */
	cr_assert_eq(dq_desc_set_field(d, 4, SQL_DESC_DATA_PTR, buf, 0), SQL_SUCCESS);
	cr_assert_eq(d->count, 4);
	cr_assert_eq(dq_desc_get_field(d, 3, SQL_DESC_DATA_PTR, &p, 0, NULL, 0), SQL_SUCCESS);
	cr_assert_null(p, "record 3 was removed by SQL_DESC_COUNT = 1 but kept its data pointer");
	cr_assert_eq(dq_desc_get_field(d, 3, SQL_DESC_INDICATOR_PTR, &p, 0, NULL, 0), SQL_SUCCESS);
	cr_assert_null(p, "record 3 kept its indicator pointer");
	cr_assert_eq(get_small(d, 3, SQL_DESC_CONCISE_TYPE), SQL_C_DEFAULT);
	/* count 0 releases everything */
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_COUNT, IV(0), 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_CONCISE_TYPE, IV(SQL_C_CHAR), 0),
		     SQL_SUCCESS);
	cr_assert_eq(dq_desc_get_field(d, 1, SQL_DESC_DATA_PTR, &p, 0, NULL, 0), SQL_SUCCESS);
	cr_assert_null(p, "record 1 was released by SQL_DESC_COUNT = 0 but kept its buffer");
	desc_done(d);
}

Test(descriptors, copy_is_deep_and_takes_the_header)
{
	SQLUSMALLINT status[2];
	SQLLEN off = 0;
	SQLULEN done;
	char data[4];
	dq_desc *src = mk(NULL, DQ_ARD, 0);
	dq_desc *dst = mk(NULL, DQ_ARD, 0);
	src->array_size = 2;
	src->array_status_ptr = status;
	src->bind_offset_ptr = &off;
	src->bind_type = 24;
	src->rows_processed_ptr = &done;
	cr_assert_eq(dq_desc_set_field(src, 1, SQL_DESC_NAME, "first", 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_set_field(src, 2, SQL_DESC_CONCISE_TYPE, IV(SQL_C_TYPE_TIME), 0),
		     SQL_SUCCESS);
	cr_assert_eq(dq_desc_set_field(src, 2, SQL_DESC_DATA_PTR, data, 0), SQL_SUCCESS);
	/* dst holds more records than src: they go */
	cr_assert_eq(dq_desc_set_field(dst, 5, SQL_DESC_NAME, "old", 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_copy(src, dst), SQL_SUCCESS);
	cr_assert_eq(dst->count, 2);
	cr_assert_eq(dst->array_size, 2);
	cr_assert_eq(dst->array_status_ptr, status);
	cr_assert_eq(dst->bind_offset_ptr, &off);
	cr_assert_eq(dst->bind_type, 24);
	cr_assert_eq(dst->rows_processed_ptr, &done);
	cr_assert_str_eq(dst->recs[1].name, "first");
	cr_assert_neq(dst->recs[1].name, src->recs[1].name, "names are copied, not shared");
	cr_assert_eq(dst->recs[2].concise_type, SQL_C_TYPE_TIME);
	cr_assert_eq(dst->recs[2].type, SQL_DATETIME);
	cr_assert_eq(dst->recs[2].datetime_interval_code, SQL_CODE_TIME);
	cr_assert_eq(dst->recs[2].data_ptr, data);
	cr_assert_eq(dst->kind, DQ_ARD, "the kind is the destination's own");
	desc_done(src); /* dst's name must outlive src's */
	cr_assert_str_eq(dst->recs[1].name, "first");
	desc_done(dst);
}

Test(descriptors, copy_into_an_ird_is_refused)
{
	dq_desc *src = mk(NULL, DQ_ARD, 0);
	dq_desc *ird = mk(NULL, DQ_IRD, 1);
	cr_assert_eq(dq_desc_set_field(src, 1, SQL_DESC_CONCISE_TYPE, IV(SQL_C_CHAR), 0),
		     SQL_SUCCESS);
	cr_assert_eq(dq_desc_ensure(ird, 2), 0);
	cr_assert_eq(dq_desc_copy(src, ird), SQL_ERROR);
	cr_assert_str_eq(last_state(ird), "HY016");
	cr_assert_eq(ird->count, 2, "the IRD is unchanged");
	desc_done(src);
	desc_done(ird);
}

/* SQLCopyDesc(h, h) copies a descriptor onto itself: it must still hold
 * its records afterwards. */
Test(descriptors, copy_onto_itself_keeps_the_records)
{
	char data[4];
	dq_desc *d = mk(NULL, DQ_ARD, 0);
	cr_assert_eq(dq_desc_set_field(d, 1, SQL_DESC_NAME, "kept", 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_CONCISE_TYPE, IV(SQL_C_SLONG), 0),
		     SQL_SUCCESS);
	cr_assert_eq(dq_desc_set_field(d, 2, SQL_DESC_DATA_PTR, data, 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_copy(d, d), SQL_SUCCESS);
	cr_assert_eq(d->count, 2, "SQLCopyDesc(h, h) emptied the descriptor (count %d)", d->count);
	cr_assert_str_eq(d->recs[1].name, "kept");
	cr_assert_eq(d->recs[2].concise_type, SQL_C_SLONG);
	cr_assert_eq(d->recs[2].data_ptr, data);
	desc_done(d);
}

Test(descriptors, ctype_size_of_fixed_and_variable_types)
{
	static const struct {
		SQLSMALLINT t;
		SQLLEN size;
	} cases[] = {
		{SQL_C_STINYINT, 1}, {SQL_C_UTINYINT, 1}, {SQL_C_TINYINT, 1}, {SQL_C_BIT, 1},
		{SQL_C_SSHORT, 2}, {SQL_C_USHORT, 2}, {SQL_C_SHORT, 2},
		{SQL_C_SLONG, 4}, {SQL_C_ULONG, 4}, {SQL_C_LONG, 4}, {SQL_C_FLOAT, 4},
		{SQL_C_SBIGINT, 8}, {SQL_C_UBIGINT, 8}, {SQL_C_DOUBLE, 8},
		{SQL_C_NUMERIC, sizeof(SQL_NUMERIC_STRUCT)},
		{SQL_C_TYPE_DATE, sizeof(SQL_DATE_STRUCT)}, {SQL_C_DATE, sizeof(SQL_DATE_STRUCT)},
		{SQL_C_TYPE_TIME, sizeof(SQL_TIME_STRUCT)}, {SQL_C_TIME, sizeof(SQL_TIME_STRUCT)},
		{SQL_C_TYPE_TIMESTAMP, sizeof(SQL_TIMESTAMP_STRUCT)},
		{SQL_C_TIMESTAMP, sizeof(SQL_TIMESTAMP_STRUCT)},
		{SQL_C_CHAR, 0}, {SQL_C_WCHAR, 0}, {SQL_C_BINARY, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		cr_assert_eq(dq_ctype_size(cases[i].t), cases[i].size, "C type %d", cases[i].t);
	cr_assert_eq(sizeof(SQL_DATE_STRUCT), 6);
	cr_assert_eq(sizeof(SQL_TIMESTAMP_STRUCT), 16);
}

/* ------------------------------------------------------------ binding */

static void bound(const dq_desc *d, SQLSMALLINT rec, SQLULEN row, char **data, SQLLEN **ind,
		  SQLLEN **oct)
{
	dq_desc_bound(d, &d->recs[rec], row, data, ind, oct);
}

Test(descriptors, column_wise_binding_steps_by_element_size)
{
	SQLINTEGER ints[4];
	char names[4][24];
	SQLLEN ind[4], oct[4];
	char *data;
	SQLLEN *pi, *po;
	dq_desc *d = mk(NULL, DQ_ARD, 1);
	cr_assert_eq(dq_desc_ensure(d, 2), 0);
	dq_desc_set_type(&d->recs[1], SQL_C_SLONG);
	d->recs[1].data_ptr = ints;
	d->recs[1].octet_length = 999; /* ignored for a fixed-size type */
	d->recs[1].indicator_ptr = ind;
	d->recs[1].octet_length_ptr = oct;
	dq_desc_set_type(&d->recs[2], SQL_C_CHAR);
	d->recs[2].data_ptr = names;
	d->recs[2].octet_length = sizeof names[0];
	d->recs[2].indicator_ptr = ind;
	for (SQLULEN row = 0; row < 4; row++) {
		bound(d, 1, row, &data, &pi, &po);
		cr_assert_eq(data, (char *)&ints[row], "fixed size: stride sizeof(SQLINTEGER)");
		cr_assert_eq(pi, &ind[row], "indicators: stride sizeof(SQLLEN)");
		cr_assert_eq(po, &oct[row]);
		bound(d, 2, row, &data, &pi, &po);
		cr_assert_eq(data, names[row], "character data: stride BufferLength");
		cr_assert_eq(pi, &ind[row]);
		cr_assert_null(po, "no octet length pointer bound");
	}
	desc_done(d);
}

Test(descriptors, row_wise_binding_steps_by_the_row_size)
{
	struct row {
		SQLINTEGER id;
		SQLLEN id_ind;
		char name[10]; /* leaves name_ind unaligned in a packed layout */
		SQLLEN name_ind;
	} rows[3];
	char *data;
	SQLLEN *pi, *po;
	dq_desc *d = mk(NULL, DQ_ARD, 1);
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_BIND_TYPE, IV(sizeof(struct row)), 0),
		     SQL_SUCCESS);
	cr_assert_eq(dq_desc_ensure(d, 2), 0);
	dq_desc_set_type(&d->recs[1], SQL_C_SLONG);
	d->recs[1].data_ptr = &rows[0].id;
	d->recs[1].indicator_ptr = &rows[0].id_ind;
	dq_desc_set_type(&d->recs[2], SQL_C_CHAR);
	d->recs[2].data_ptr = rows[0].name;
	d->recs[2].octet_length = sizeof rows[0].name;
	d->recs[2].indicator_ptr = &rows[0].name_ind;
	d->recs[2].octet_length_ptr = &rows[0].name_ind;
	for (SQLULEN r = 0; r < 3; r++) {
		bound(d, 1, r, &data, &pi, &po);
		cr_assert_eq(data, (char *)&rows[r].id);
		cr_assert_eq(pi, &rows[r].id_ind);
		cr_assert_null(po);
		bound(d, 2, r, &data, &pi, &po);
		cr_assert_eq(data, rows[r].name);
		cr_assert_eq(pi, &rows[r].name_ind);
		cr_assert_eq(po, &rows[r].name_ind);
	}
	desc_done(d);
}

/* SQL_DESC_BIND_OFFSET_PTR: its value is added to the data, indicator and
 * octet-length addresses, for both binding orientations; unbound (NULL)
 * addresses stay NULL. */
Test(descriptors, bind_offset_applies_to_every_bound_address)
{
	static char area[4096];
	SQLLEN off = 1000;
	char *data;
	SQLLEN *pi, *po;
	dq_desc *d = mk(NULL, DQ_ARD, 1);
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_BIND_OFFSET_PTR, &off, 0), SQL_SUCCESS);
	cr_assert_eq(dq_desc_ensure(d, 2), 0);
	dq_desc_set_type(&d->recs[1], SQL_C_DOUBLE);
	d->recs[1].data_ptr = area;
	d->recs[1].indicator_ptr = (SQLLEN *)(void *)(area + 512);
	d->recs[1].octet_length_ptr = (SQLLEN *)(void *)(area + 768);
	bound(d, 1, 2, &data, &pi, &po);
	cr_assert_eq(data, area + 1000 + 2 * 8);
	cr_assert_eq((char *)pi, area + 512 + 1000 + 2 * sizeof(SQLLEN));
	cr_assert_eq((char *)po, area + 768 + 1000 + 2 * sizeof(SQLLEN));
	/* the offset is read at each call: the application may change it */
	off = 8;
	bound(d, 1, 0, &data, &pi, &po);
	cr_assert_eq(data, area + 8);
	/* row-wise */
	cr_assert_eq(dq_desc_set_field(d, 0, SQL_DESC_BIND_TYPE, IV(40), 0), SQL_SUCCESS);
	bound(d, 1, 3, &data, &pi, &po);
	cr_assert_eq(data, area + 8 + 3 * 40);
	cr_assert_eq((char *)pi, area + 512 + 8 + 3 * 40);
	cr_assert_eq((char *)po, area + 768 + 8 + 3 * 40);
	/* record 2 is not bound at all */
	bound(d, 2, 3, &data, &pi, &po);
	cr_assert_null(data);
	cr_assert_null(pi);
	cr_assert_null(po);
	desc_done(d);
}

Test(descriptors, length_words_load_and_store_unaligned)
{
	unsigned char buf[3 * sizeof(SQLLEN)];
	for (size_t shift = 0; shift < sizeof(SQLLEN); shift++) {
		SQLLEN *p = (SQLLEN *)(void *)(buf + 1 + shift);
		SQLLEN check;
		memset(buf, 0xcc, sizeof buf);
		dq_store_len(p, SQL_NULL_DATA);
		cr_assert_eq(dq_load_len(p), SQL_NULL_DATA, "offset %zu", 1 + shift);
		memcpy(&check, buf + 1 + shift, sizeof check);
		cr_assert_eq(check, SQL_NULL_DATA, "stored in the application's byte layout");
		cr_assert_eq(buf[0], 0xcc, "nothing written before the word");
		cr_assert_eq(buf[1 + shift + sizeof(SQLLEN)], 0xcc, "nothing written after it");
		dq_store_len(p, (SQLLEN)0x0102030405060708LL);
		cr_assert_eq(dq_load_len(p), (SQLLEN)0x0102030405060708LL);
	}
}
