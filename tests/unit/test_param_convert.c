/*
 * Parameter C value -> SQL type -> dqlite value (param_convert.h): the
 * rules no server is needed to check, and the GUID text helpers.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "param_convert.h"

/* Converts a C string given as SQL_C_CHAR; the heap block is freed. */
static SQLRETURN from_text(const char *s, SQLSMALLINT sqltype, dqc_value *v,
			   dq_pconv *c)
{
	char *heap;
	SQLRETURN rc = dq_param_convert(SQL_C_CHAR, s, strlen(s), sqltype, v, &heap, c);
	free(heap);
	return rc;
}

Test(param_convert, integer_text_is_parsed_strictly)
{
	dqc_value v;
	dq_pconv c;
	cr_assert_eq(from_text("9223372036854775807", SQL_BIGINT, &v, &c), SQL_SUCCESS);
	cr_assert_eq(v.type, DQC_INTEGER);
	cr_assert_eq(v.v.integer, INT64_MAX);
	cr_assert_eq(from_text("-9223372036854775808", SQL_BIGINT, &v, &c), SQL_SUCCESS);
	cr_assert_eq(v.v.integer, INT64_MIN);
	cr_assert_eq(from_text("9223372036854775808", SQL_BIGINT, &v, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22003");
	cr_assert_eq(from_text("4294967295", SQL_INTEGER, &v, &c), SQL_SUCCESS);
	cr_assert_eq(from_text("4294967296", SQL_INTEGER, &v, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22003");
	static const char *bad[] = {"", " ", "1 2", "+", "-", ".", "1e", "inf", "nan",
				    "0x1p3", "1,5", "12abc"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(from_text(bad[i], SQL_INTEGER, &v, &c), SQL_ERROR, "'%s'", bad[i]);
		cr_assert_str_eq(c.state, "22018", "'%s'", bad[i]);
	}
	cr_assert_eq(from_text(".5e1", SQL_SMALLINT, &v, &c), SQL_SUCCESS);
	cr_assert_eq(v.v.integer, 5);
	cr_assert_eq(from_text("+7.", SQL_TINYINT, &v, &c), SQL_SUCCESS);
	cr_assert_eq(v.v.integer, 7);
}

Test(param_convert, numeric_struct_keeps_its_digits)
{
	SQL_NUMERIC_STRUCT n = {38, 3, 0, {0}};
	dqc_value v;
	dq_pconv c;
	char *heap;
	n.val[0] = 5; /* -0.005 */
	cr_assert_eq(dq_param_convert(SQL_C_NUMERIC, (const char *)&n, 0, SQL_DECIMAL, &v,
				      &heap, &c), SQL_SUCCESS);
	cr_assert_eq(v.type, DQC_TEXT);
	cr_assert_eq(v.v.text.len, 6);
	cr_assert(memcmp(v.v.text.ptr, "-0.005", 6) == 0);
	free(heap);
	/* as an integer: the fraction goes with 01S07 */
	cr_assert_eq(dq_param_convert(SQL_C_NUMERIC, (const char *)&n, 0, SQL_BIGINT, &v,
				      &heap, &c), SQL_SUCCESS_WITH_INFO);
	cr_assert_str_eq(c.state, "01S07");
	cr_assert_eq(v.v.integer, 0);
	free(heap);
}

Test(param_convert, dates_are_real_calendar_dates)
{
	dqc_value v;
	dq_pconv c;
	cr_assert_eq(from_text("2024-02-29", SQL_TYPE_DATE, &v, &c), SQL_SUCCESS);
	cr_assert_eq(from_text("2023-02-29", SQL_TYPE_DATE, &v, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22018");
	cr_assert_eq(from_text("1900-02-29", SQL_TYPE_DATE, &v, &c), SQL_ERROR);
	cr_assert_eq(from_text("2000-02-29", SQL_TYPE_DATE, &v, &c), SQL_SUCCESS);
	cr_assert_eq(from_text("2024-04-31", SQL_TYPE_DATE, &v, &c), SQL_ERROR);
	cr_assert_eq(from_text("2024-13-01", SQL_TYPE_DATE, &v, &c), SQL_ERROR);
	cr_assert_eq(from_text("2024-1-01", SQL_TYPE_DATE, &v, &c), SQL_ERROR);
	cr_assert_eq(from_text("23:59:60", SQL_TYPE_TIME, &v, &c), SQL_ERROR);
	cr_assert_eq(from_text("12:00", SQL_TYPE_TIME, &v, &c), SQL_ERROR);
	cr_assert_eq(from_text("12:00:00.", SQL_TYPE_TIME, &v, &c), SQL_ERROR);
	SQL_DATE_STRUCT d = {2023, 2, 30};
	char *heap;
	cr_assert_eq(dq_param_convert(SQL_C_TYPE_DATE, (const char *)&d, 0,
				      SQL_TYPE_TIMESTAMP, &v, &heap, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22007");
	cr_assert_null(heap);
	/* ODBC 2 type codes are the same types */
	d.day = 28;
	cr_assert_eq(dq_param_convert(SQL_C_DATE, (const char *)&d, 0, SQL_TIMESTAMP, &v,
				      &heap, &c), SQL_SUCCESS);
	cr_assert_eq(v.v.text.len, 19);
	cr_assert(memcmp(v.v.text.ptr, "2023-02-28 00:00:00", 19) == 0);
	free(heap);
}

Test(param_convert, guid_text_round_trips)
{
	SQLGUID g, back;
	char buf[40];
	memset(&g, 0, sizeof g);
	g.Data1 = 0x01234567, g.Data2 = 0x89ab, g.Data3 = 0xcdef;
	for (int i = 0; i < 8; i++)
		g.Data4[i] = (SQLCHAR)(0xf0 + i);
	dq_guid_format(&g, buf);
	cr_assert_str_eq(buf, "01234567-89ab-cdef-f0f1-f2f3f4f5f6f7");
	cr_assert_eq(dq_guid_parse(buf, strlen(buf), &back), 0);
	cr_assert(memcmp(&g, &back, sizeof g) == 0);
	cr_assert_eq(dq_guid_parse("{01234567-89AB-CDEF-F0F1-F2F3F4F5F6F7}", 38, &back), 0);
	cr_assert(memcmp(&g, &back, sizeof g) == 0);
	cr_assert_eq(dq_guid_parse("01234567-89ab-cdef-f0f1-f2f3f4f5f6f", 35, &back), -1);
	cr_assert_eq(dq_guid_parse("01234567+89ab-cdef-f0f1-f2f3f4f5f6f7", 36, &back), -1);
	cr_assert_eq(dq_guid_parse("0123456g-89ab-cdef-f0f1-f2f3f4f5f6f7", 36, &back), -1);
}
