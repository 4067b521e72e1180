/*
 * Cell -> C type conversions and their SQLSTATEs, and UTF-8/UTF-16 helpers.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "convert.h"
#include "unicode.h"

static dqc_value cell_int(int64_t v)
{
	dqc_value x = {.type = DQC_INTEGER};
	x.v.integer = v;
	return x;
}

static dqc_value cell_text(int type, const char *s)
{
	dqc_value x = {.type = type};
	x.v.text.ptr = s;
	x.v.text.len = strlen(s);
	return x;
}

static dqc_value cell_real(double d)
{
	dqc_value x = {.type = DQC_FLOAT};
	x.v.real = d;
	return x;
}

static SQLRETURN conv(dqc_value v, SQLSMALLINT ctype, void *out, SQLLEN cap,
		      SQLLEN *len, dq_conv *c)
{
	dq_piece off = {0};
	return dq_convert(&v, ctype, out, cap, &off, len, c);
}

Test(convert, integers_with_range_and_fraction_checks)
{
	dq_conv c;
	SQLLEN len;
	SQLINTEGER i32;
	SQLSMALLINT i16;
	unsigned char u8;
	SQLBIGINT i64;
	cr_assert_eq(conv(cell_int(-5), SQL_C_SLONG, &i32, 0, &len, &c), SQL_SUCCESS);
	cr_assert_eq(i32, -5);
	cr_assert_eq(len, 4);
	cr_assert_eq(conv(cell_int(40000), SQL_C_SSHORT, &i16, 0, &len, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22003");
	cr_assert_eq(conv(cell_int(-1), SQL_C_UTINYINT, &u8, 0, &len, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22003");
	cr_assert_eq(conv(cell_real(2.75), SQL_C_SBIGINT, &i64, 0, &len, &c), SQL_SUCCESS_WITH_INFO);
	cr_assert_str_eq(c.state, "01S07");
	cr_assert_eq(i64, 2);
	cr_assert_eq(conv(cell_real(1e30), SQL_C_SBIGINT, &i64, 0, &len, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22003");
	cr_assert_eq(conv(cell_text(DQC_TEXT, " 42 "), SQL_C_SLONG, &i32, 0, &len, &c), SQL_SUCCESS);
	cr_assert_eq(i32, 42);
	cr_assert_eq(conv(cell_text(DQC_TEXT, "abc"), SQL_C_SLONG, &i32, 0, &len, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22018");
	dqc_value blob = {.type = DQC_BLOB};
	cr_assert_eq(conv(blob, SQL_C_SLONG, &i32, 0, &len, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "07006");
}

Test(convert, bit_double_and_numeric)
{
	dq_conv c;
	SQLLEN len;
	unsigned char bit;
	double d;
	SQL_NUMERIC_STRUCT n;
	cr_assert_eq(conv(cell_int(1), SQL_C_BIT, &bit, 0, &len, &c), SQL_SUCCESS);
	cr_assert_eq(bit, 1);
	cr_assert_eq(conv(cell_int(2), SQL_C_BIT, &bit, 0, &len, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22003");
	cr_assert_eq(conv(cell_text(DQC_TEXT, "2.5e3"), SQL_C_DOUBLE, &d, 0, &len, &c), SQL_SUCCESS);
	cr_assert_float_eq(d, 2500.0, 0);
	cr_assert_eq(conv(cell_int(-258), SQL_C_NUMERIC, &n, 0, &len, &c), SQL_SUCCESS);
	cr_assert_eq(n.sign, 0);
	cr_assert_eq(n.val[0], 2);
	cr_assert_eq(n.val[1], 1);
}

Test(convert, char_in_pieces_and_text_forms)
{
	dq_conv c;
	SQLLEN len;
	char buf[5];
	dq_piece off = {0};
	dqc_value v = cell_text(DQC_TEXT, "abcdefghij");
	cr_assert_eq(dq_convert(&v, SQL_C_CHAR, buf, sizeof buf, &off, &len, &c),
		     SQL_SUCCESS_WITH_INFO);
	cr_assert_str_eq(c.state, "01004");
	cr_assert_eq(len, 10);
	cr_assert_str_eq(buf, "abcd");
	cr_assert_eq(dq_convert(&v, SQL_C_CHAR, buf, sizeof buf, &off, &len, &c),
		     SQL_SUCCESS_WITH_INFO);
	cr_assert_eq(len, 6);
	cr_assert_eq(dq_convert(&v, SQL_C_CHAR, buf, sizeof buf, &off, &len, &c), SQL_SUCCESS);
	cr_assert_eq(len, 2);
	cr_assert_str_eq(buf, "ij");
	cr_assert_eq(dq_convert(&v, SQL_C_CHAR, buf, sizeof buf, &off, &len, &c), SQL_NO_DATA);
	char out[40];
	cr_assert_eq(conv(cell_real(0.1), SQL_C_CHAR, out, sizeof out, &len, &c), SQL_SUCCESS);
	cr_assert_str_eq(out, "0.1", "shortest exact form");
	static const unsigned char bytes[] = {0x00, 0xab};
	dqc_value b = {.type = DQC_BLOB};
	b.v.blob.ptr = bytes, b.v.blob.len = 2;
	cr_assert_eq(conv(b, SQL_C_CHAR, out, sizeof out, &len, &c), SQL_SUCCESS);
	cr_assert_str_eq(out, "00AB");
	dqc_value t = {.type = DQC_UNIXTIME};
	t.v.integer = 86400;
	cr_assert_eq(conv(t, SQL_C_CHAR, out, sizeof out, &len, &c), SQL_SUCCESS);
	cr_assert_str_eq(out, "1970-01-02 00:00:00");
}

/* ODBC's numeric-to-character rule: the whole digits (and sign) must fit
 * with the terminator (else 22003); only fractional digits may be cut. */
Test(convert, numbers_into_short_char_buffers)
{
	dq_conv c;
	SQLLEN len;
	char out[8];
	dq_piece off = {0};
	dqc_value b = {.type = DQC_BOOLEAN}, v = cell_real(123.456);
	b.v.boolean = 1;
	cr_assert_eq(conv(b, SQL_C_CHAR, out, 1, &len, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22003");
	cr_assert_eq(conv(b, SQL_C_CHAR, out, 2, &len, &c), SQL_SUCCESS);
	cr_assert_str_eq(out, "1");
	cr_assert_eq(conv(cell_real(NAN), SQL_C_CHAR, out, 3, &len, &c), SQL_ERROR);
	cr_assert_eq(conv(cell_real(NAN), SQL_C_CHAR, out, 4, &len, &c), SQL_SUCCESS);
	cr_assert_eq(conv(cell_real(-INFINITY), SQL_C_CHAR, out, 4, &len, &c), SQL_ERROR);
	cr_assert_eq(conv(cell_real(1e20), SQL_C_CHAR, out, 5, &len, &c), SQL_ERROR);
	cr_assert_eq(conv(cell_real(1e20), SQL_C_CHAR, out, 6, &len, &c), SQL_SUCCESS);
	cr_assert_str_eq(out, "1e+20");
	cr_assert_eq(conv(cell_int(-7), SQL_C_CHAR, NULL, 0, &len, &c), SQL_SUCCESS,
		     "no buffer: the length only");
	cr_assert_eq(len, 2);
	/* a fraction cut, then the rest as the next piece */
	cr_assert_eq(dq_convert(&v, SQL_C_CHAR, out, 5, &off, &len, &c), SQL_SUCCESS_WITH_INFO);
	cr_assert_str_eq(c.state, "01004");
	cr_assert_str_eq(out, "123.");
	cr_assert_eq(dq_convert(&v, SQL_C_CHAR, out, 5, &off, &len, &c), SQL_SUCCESS);
	cr_assert_str_eq(out, "456");
}

/* A number's binary image comes whole or not at all (22003). */
Test(convert, number_into_a_short_binary_buffer_is_22003)
{
	dq_conv c;
	SQLLEN len;
	unsigned char out[8];
	double d = 0;
	cr_assert_eq(conv(cell_int(12345), SQL_C_BINARY, out, 4, &len, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22003");
	cr_assert_eq(conv(cell_real(2.5), SQL_C_BINARY, out, 7, &len, &c), SQL_ERROR);
	cr_assert_eq(conv(cell_real(2.5), SQL_C_BINARY, out, 8, &len, &c), SQL_SUCCESS);
	cr_assert_eq(len, 8);
	memcpy(&d, out, sizeof d);
	cr_assert_eq(d, 2.5);
	cr_assert_eq(conv(cell_text(DQC_TEXT, "abcdef"), SQL_C_BINARY, out, 4, &len, &c),
		     SQL_SUCCESS_WITH_INFO, "bytes of text are cut (01004)");
}

Test(convert, datetimes)
{
	dq_conv c;
	SQLLEN len;
	SQL_TIMESTAMP_STRUCT ts;
	SQL_DATE_STRUCT d;
	cr_assert_eq(conv(cell_text(DQC_ISO8601, "2024-02-29T23:59:58.25Z"), SQL_C_TYPE_TIMESTAMP,
			  &ts, 0, &len, &c), SQL_SUCCESS);
	cr_assert_eq(ts.year, 2024);
	cr_assert_eq(ts.day, 29);
	cr_assert_eq(ts.second, 58);
	cr_assert_eq(ts.fraction, 250000000);
	cr_assert_eq(conv(cell_text(DQC_TEXT, "2024-02-29 10:00:00"), SQL_C_TYPE_DATE, &d, 0,
			  &len, &c), SQL_SUCCESS_WITH_INFO);
	cr_assert_str_eq(c.state, "01S07");
	cr_assert_eq(conv(cell_text(DQC_TEXT, "not a date"), SQL_C_TYPE_DATE, &d, 0, &len, &c),
		     SQL_ERROR);
	cr_assert_str_eq(c.state, "22018", "no date literal (SQLGetData: 22018)");
	cr_assert_eq(conv(cell_text(DQC_TEXT, "2023-02-29"), SQL_C_TYPE_DATE, &d, 0, &len, &c),
		     SQL_ERROR);
	cr_assert_str_eq(c.state, "22007", "the form of a date, but none (SQLGetData: 22007)");
	cr_assert_eq(conv(cell_int(0), SQL_C_TYPE_TIMESTAMP, &ts, 0, &len, &c), SQL_SUCCESS);
	cr_assert_eq(ts.year, 1970);
	cr_assert_eq(conv(cell_real(2440588.5), SQL_C_TYPE_DATE, &d, 0, &len, &c), SQL_SUCCESS,
		     "Julian day");
	cr_assert_eq(d.year, 1970);
	cr_assert_eq(d.day, 2);
}

Test(convert, old_server_nulls)
{
	dqc_value empty_date = cell_text(DQC_ISO8601, "");
	dqc_value null = {.type = DQC_NULL};
	dqc_value false_bool = {.type = DQC_BOOLEAN};
	cr_assert(dq_cell_is_null(&empty_date), "ISO8601(\"\") is NULL");
	cr_assert(dq_cell_is_null(&null));
	cr_assert_not(dq_cell_is_null(&false_bool), "BOOLEAN(0) cannot be told from false");
	cr_assert_eq(dq_default_ctype(DQC_BOOLEAN), SQL_C_BIT);
}

Test(unicode, utf16_round_trip_and_truncation)
{
	int ok;
	const char *s = "a\xc3\xa9\xf0\x9d\x84\x9e"; /* a é 𝄞 */
	SQLWCHAR w[8];
	cr_assert_eq(dq_utf8_to_utf16(s, strlen(s), w, 8), 4);
	cr_assert_eq(w[1], 0x00e9);
	cr_assert_eq(w[2], 0xD834);
	cr_assert_eq(w[3], 0xDD1E);
	char *back = dq_utf16_to_utf8(w, SQL_NTS, &ok);
	cr_assert(ok);
	cr_assert_str_eq(back, s);
	free(back);
	/* room for 3 units + NUL: the pair is not split, so only "aé" fits */
	cr_assert_eq(dq_utf8_to_utf16(s, strlen(s), w, 4), 4);
	cr_assert_eq(w[2], 0);
	SQLWCHAR lone[] = {0xD800, 'x', 0};
	cr_assert_null(dq_utf16_to_utf8(lone, SQL_NTS, &ok));
	cr_assert_eq(ok, -2, "invalid UTF-16");
	char a[4];
	SQLINTEGER n;
	cr_assert_eq(dq_out_a("hello", (SQLCHAR *)a, sizeof a, &n), SQL_SUCCESS_WITH_INFO);
	cr_assert_eq(n, 5);
	cr_assert_str_eq(a, "hel");
	cr_assert_eq(dq_out_w("hi", w, 8, &n, 1), SQL_SUCCESS);
	cr_assert_eq(n, 4, "length in bytes");
}

/* SQL_C_WCHAR in pieces of every size from 2 to 13 bytes (pieces that end
 * between the two halves of a surrogate pair included) gives exactly the
 * units of a whole conversion, the right remaining length each time, and
 * SQL_NO_DATA after the last piece. */
Test(convert, wchar_pieces_resume_and_match_the_whole_conversion)
{
	static const char text[] = "a\xF0\x9F\x98\x80" "b\xC3\xA9\xF0\x90\x8D\x88" "cd\xE2\x82\xAC"
				   "\xF0\x9F\x98\x81\xFF" "z";
	dqc_value v = cell_text(DQC_TEXT, text);
	SQLWCHAR whole[64];
	size_t units = dq_utf8_to_utf16(text, strlen(text), whole, 64);

	cr_assert_lt(units, 64);
	for (SQLLEN cap = 4; cap <= 13; cap++) {
		dq_piece p = {0};
		SQLWCHAR got[64], piece[8];
		size_t have = 0;
		for (int call = 0;; call++) {
			dq_conv c;
			SQLLEN len = -1;
			SQLRETURN rc = dq_convert(&v, SQL_C_WCHAR, piece, cap, &p, &len, &c);
			cr_assert_lt(call, 100, "cap %ld: no end", (long)cap);
			if (rc == SQL_NO_DATA)
				break;
			cr_assert(rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO);
			cr_assert_eq((size_t)len, (units - have) * sizeof(SQLWCHAR),
				     "cap %ld call %d: remaining %ld", (long)cap, call, (long)len);
			size_t k = (size_t)(cap / 2) - 1;
			if (k > units - have)
				k = units - have;
			memcpy(got + have, piece, k * sizeof(SQLWCHAR));
			cr_assert_eq(piece[k], 0, "cap %ld: piece not terminated", (long)cap);
			have += k;
			cr_assert_eq(p.offset, have * sizeof(SQLWCHAR));
			if (have < units)
				cr_assert_eq(rc, SQL_SUCCESS_WITH_INFO);
		}
		cr_assert_eq(have, units, "cap %ld: %zu of %zu units", (long)cap, have, units);
		cr_assert_arr_eq(got, whole, units * sizeof(SQLWCHAR), "cap %ld", (long)cap);
	}
}

/* A piece state whose resume point does not match its offset (copied or
 * mixed with another C type) is recomputed from the offset, not trusted. */
Test(convert, wchar_piece_without_a_resume_point_recomputes)
{
	static const char text[] = "\xF0\x9F\x98\x80xyz";
	dqc_value v = cell_text(DQC_TEXT, text);
	dq_piece p = {0};
	SQLWCHAR buf[8];
	SQLLEN len;
	dq_conv c;

	p.offset = 2; /* after the high surrogate, no resume point */
	cr_assert_eq(dq_convert(&v, SQL_C_WCHAR, buf, sizeof buf, &p, &len, &c), SQL_SUCCESS);
	cr_assert_eq(len, 4 * 2);
	cr_assert_eq(buf[0], 0xDE00);
	cr_assert_eq(buf[1], 'x');
	cr_assert_eq(buf[3], 'z');
	cr_assert_eq(buf[4], 0);
}

/* SQL_C_NUMERIC at a record's precision and scale: the value times
 * 10^scale from its decimal text, 01S07 for dropped nonzero digits, 22003
 * past the precision. */
static SQLRETURN num_at(dqc_value v, int prec, int scale, SQL_NUMERIC_STRUCT *n,
			dq_conv *c)
{
	dq_piece off = {0};
	SQLLEN len;
	return dq_convert_numeric(&v, SQL_C_NUMERIC, n, 0, &off, &len, c, prec, scale);
}

static unsigned long long num_low(const SQL_NUMERIC_STRUCT *n)
{
	unsigned long long m = 0;
	for (int k = 7; k >= 0; k--)
		m = m << 8 | n->val[k];
	return m;
}

Test(convert, numeric_precision_and_scale)
{
	SQL_NUMERIC_STRUCT n;
	dq_conv c;

	cr_assert_eq(num_at(cell_real(0.1), 5, 1, &n, &c), SQL_SUCCESS, "0.1 is exact at scale 1");
	cr_assert_eq(num_low(&n), 1);
	cr_assert_eq(n.scale, 1);
	cr_assert_eq(n.precision, 5);
	cr_assert_eq(num_at(cell_real(-0.05), 5, 1, &n, &c), SQL_SUCCESS_WITH_INFO);
	cr_assert_str_eq(c.state, "01S07");
	cr_assert_eq(num_low(&n), 0);
	cr_assert_eq(n.sign, 1, "zero is positive");
	cr_assert_eq(num_at(cell_real(1e20), 38, -19, &n, &c), SQL_SUCCESS);
	cr_assert_eq(num_low(&n), 10);
	cr_assert_eq(num_at(cell_int(-1234), 4, 0, &n, &c), SQL_SUCCESS);
	cr_assert_eq(n.sign, 0);
	cr_assert_eq(num_at(cell_int(-1234), 3, 0, &n, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22003");
	cr_assert_eq(num_at(cell_int(12), 3, 2, &n, &c), SQL_ERROR, "1200 needs 4 digits");
	cr_assert_eq(num_at(cell_text(DQC_TEXT, "99999999999999999999999999999999999999"), 38, 0,
			    &n, &c), SQL_SUCCESS, "38 nines");
	cr_assert_eq(num_at(cell_text(DQC_TEXT, "999999999999999999999999999999999999999"), 38, 0,
			    &n, &c), SQL_ERROR, "39 nines");
	cr_assert_eq(num_at(cell_text(DQC_TEXT, "1.5e2"), 10, 0, &n, &c), SQL_SUCCESS);
	cr_assert_eq(num_low(&n), 150);
	cr_assert_eq(num_at(cell_text(DQC_TEXT, "0x10"), 10, 0, &n, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22018");
	cr_assert_eq(num_at(cell_real(INFINITY), 10, 0, &n, &c), SQL_ERROR);
	cr_assert_str_eq(c.state, "22003");
}

/* dq_parse_datetime's four answers: parsed (0), parsed with a fraction
 * finer than a nanosecond dropped (1: trailing zeros drop nothing), no
 * such literal (-1), the form of one naming no real date or time (-2). */
Test(convert, parse_datetime_answers)
{
	SQL_TIMESTAMP_STRUCT ts;
	int d, t;
#define P(s) dq_parse_datetime(s, strlen(s), &ts, &d, &t)
	cr_assert_eq(P("2024-02-29 10:20:30.123456789"), 0);
	cr_assert_eq(ts.fraction, 123456789u);
	cr_assert_eq(P("2024-02-29 10:20:30.1234567891"), 1);
	cr_assert_eq(ts.fraction, 123456789u);
	cr_assert(d && t);
	cr_assert_eq(P("2024-02-29 10:20:30.1234567890000"), 0);
	cr_assert_eq(P("10:20:30.0000000009"), 1);
	cr_assert_eq(ts.fraction, 0u);
	cr_assert(!d && t);
	cr_assert_eq(P("2024-02-29x"), -1);
	cr_assert_eq(P("2023-02-29"), -2);
#undef P
}
