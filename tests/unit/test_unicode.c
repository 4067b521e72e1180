/*
 * driver/unicode.c: UTF-8 <-> UTF-16 and the ODBC output-buffer rules, as
 * unicode.h states them.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "unicode.h"

/* Compares n SQLWCHARs. */
static void assert_units(const SQLWCHAR *got, const SQLWCHAR *want, size_t n,
			 const char *what)
{
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(got[i], want[i], "%s: unit %zu is U+%04X, want U+%04X", what, i,
			     got[i], want[i]);
}

/* Converts s (UTF-8) and checks the units and the NUL after them. */
static void assert_to_utf16(const char *s, size_t len, const SQLWCHAR *want, size_t n,
			    const char *what)
{
	SQLWCHAR out[32];
	size_t got;
	cr_assert_lt(n, 32);
	memset(out, 0xee, sizeof out);
	got = dq_utf8_to_utf16(s, len, out, 32);
	cr_assert_eq(got, n, "%s: decoded to %zu unit(s) starting U+%04X, want %zu starting U+%04X",
		     what, got, out[0], n, want[0]);
	assert_units(out, want, n, what);
	cr_assert_eq(out[n], 0, "%s: NUL-terminated", what);
}

/* ------------------------------------------------------- UTF-16 -> UTF-8 */

Test(unicode, utf16_to_utf8_bmp_and_surrogate_pairs)
{
	/* a (1 byte), é (2), € (3), U+FFFF (3), 𝄞 U+1D11E (4), U+10FFFF (4) */
	SQLWCHAR w[] = {'a', 0x00e9, 0x20ac, 0xffff, 0xd834, 0xdd1e, 0xdbff, 0xdfff, 0};
	int ok = 0;
	char *s = dq_utf16_to_utf8(w, SQL_NTS, &ok);
	cr_assert(ok);
	cr_assert_str_eq(s, "a\xc3\xa9\xe2\x82\xac\xef\xbf\xbf\xf0\x9d\x84\x9e\xf4\x8f\xbf\xbf");
	free(s);
}

Test(unicode, utf16_to_utf8_length_is_in_characters)
{
	SQLWCHAR w[] = {'a', 'b', 0x00e9, 'd', 0};
	int ok = 0;
	char *s = dq_utf16_to_utf8(w, 3, &ok); /* 3 SQLWCHARs, not 3 bytes */
	cr_assert(ok);
	cr_assert_str_eq(s, "ab\xc3\xa9");
	free(s);
	s = dq_utf16_to_utf8(w, 0, &ok);
	cr_assert(ok);
	cr_assert_not_null(s, "an empty string is not a null pointer");
	cr_assert_str_eq(s, "");
	free(s);
	/* no NUL needed when a length is given */
	SQLWCHAR nonul[] = {'x', 'y', 'z'};
	s = dq_utf16_to_utf8(nonul, 2, &ok);
	cr_assert(ok);
	cr_assert_str_eq(s, "xy");
	free(s);
}

Test(unicode, utf16_to_utf8_null_input_is_null_and_ok)
{
	int ok = 0;
	cr_assert_null(dq_utf16_to_utf8(NULL, SQL_NTS, &ok));
	cr_assert_eq(ok, 1, "a null pointer is not an error");
	ok = 0;
	cr_assert_null(dq_utf16_to_utf8(NULL, 5, &ok));
	cr_assert_eq(ok, 1);
}

Test(unicode, utf16_to_utf8_lone_surrogates_are_invalid)
{
	static const SQLWCHAR high_at_end[] = {'a', 0xd800, 0};
	static const SQLWCHAR high_then_char[] = {0xd83d, 'x', 0};
	static const SQLWCHAR low_alone[] = {'a', 0xdc00, 'b', 0};
	static const SQLWCHAR reversed[] = {0xdd1e, 0xd834, 0};
	static const SQLWCHAR two_highs[] = {0xd834, 0xd834, 0xdd1e, 0};
	const SQLWCHAR *bad[] = {high_at_end, high_then_char, low_alone, reversed, two_highs};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int ok = 1;
		cr_assert_null(dq_utf16_to_utf8(bad[i], SQL_NTS, &ok), "case %zu", i);
		cr_assert_eq(ok, -2, "case %zu: invalid UTF-16 sets *ok = -2", i);
	}
	/* a length that cuts a pair leaves a lone high surrogate */
	static const SQLWCHAR pair[] = {0xd834, 0xdd1e, 0};
	int ok = 1;
	cr_assert_null(dq_utf16_to_utf8(pair, 1, &ok));
	cr_assert_eq(ok, -2);
}

Test(unicode, str_dup_n_lengths_are_bytes)
{
	int ok = 0;
	char *s = dq_str_dup_n((const SQLCHAR *)"h\xc3\xa9llo", SQL_NTS, &ok);
	cr_assert(ok);
	cr_assert_str_eq(s, "h\xc3\xa9llo");
	free(s);
	s = dq_str_dup_n((const SQLCHAR *)"h\xc3\xa9llo", 3, &ok); /* 3 bytes: "hé" */
	cr_assert(ok);
	cr_assert_str_eq(s, "h\xc3\xa9");
	free(s);
	s = dq_str_dup_n((const SQLCHAR *)"abc", 0, &ok);
	cr_assert(ok);
	cr_assert_str_eq(s, "");
	free(s);
	ok = 0;
	cr_assert_null(dq_str_dup_n(NULL, SQL_NTS, &ok));
	cr_assert_eq(ok, 1);
}

Test(unicode, wcslen_counts_units)
{
	SQLWCHAR w[] = {'a', 0xd834, 0xdd1e, 0};
	cr_assert_eq(dq_wcslen(w), 3, "a surrogate pair is two SQLWCHARs");
	cr_assert_eq(dq_wcslen(w + 3), 0);
	cr_assert_eq(dq_wcslen(NULL), 0);
}

/* ------------------------------------------------------- UTF-8 -> UTF-16 */

Test(unicode, utf8_to_utf16_bmp_and_non_bmp)
{
	static const SQLWCHAR want[] = {'a', 0x00e9, 0x20ac, 0xffff, 0xd834, 0xdd1e,
					0xdbff, 0xdfff, 0xd800, 0xdc00};
	const char *s = "a\xc3\xa9\xe2\x82\xac\xef\xbf\xbf\xf0\x9d\x84\x9e\xf4\x8f\xbf\xbf"
			"\xf0\x90\x80\x80"; /* ... U+10000 */
	assert_to_utf16(s, strlen(s), want, 10, "BMP and non-BMP");
}

Test(unicode, utf8_to_utf16_counts_without_writing)
{
	const char *s = "a\xf0\x9d\x84\x9e"; /* a 𝄞: 3 units */
	SQLWCHAR out[4] = {0x1111, 0x2222, 0x3333, 0x4444};
	cr_assert_eq(dq_utf8_to_utf16(s, strlen(s), NULL, 0), 3, "NULL output: count only");
	cr_assert_eq(dq_utf8_to_utf16(s, strlen(s), out, 0), 3, "cap 0: count only");
	cr_assert_eq(out[0], 0x1111, "cap 0 writes nothing, not even a NUL");
	cr_assert_eq(dq_utf8_to_utf16("", 0, out, 4), 0);
	cr_assert_eq(out[0], 0, "an empty string is a NUL");
	/* the length bounds the input: the rest of the string is not read */
	cr_assert_eq(dq_utf8_to_utf16("abcdef", 2, out, 4), 2);
	cr_assert_eq(out[0], 'a');
	cr_assert_eq(out[1], 'b');
	cr_assert_eq(out[2], 0);
}

Test(unicode, utf8_to_utf16_truncates_at_characters_and_keeps_the_nul)
{
	const char *s = "ab\xf0\x9d\x84\x9e" "c"; /* a b 𝄞 c: 5 units */
	SQLWCHAR out[8];
	/* cap 6: everything fits with the NUL */
	memset(out, 0xee, sizeof out);
	cr_assert_eq(dq_utf8_to_utf16(s, strlen(s), out, 6), 5);
	cr_assert_eq(out[4], 'c');
	cr_assert_eq(out[5], 0);
	/* cap 5: one unit short; "ab𝄞" + NUL */
	memset(out, 0xee, sizeof out);
	cr_assert_eq(dq_utf8_to_utf16(s, strlen(s), out, 5), 5, "the whole length is returned");
	assert_units(out, (const SQLWCHAR[]){'a', 'b', 0xd834, 0xdd1e, 0}, 5, "cap 5");
	/* cap 4: room for 3 units; the pair is not split, so "ab" + NUL */
	memset(out, 0xee, sizeof out);
	cr_assert_eq(dq_utf8_to_utf16(s, strlen(s), out, 4), 5);
	assert_units(out, (const SQLWCHAR[]){'a', 'b', 0}, 3, "cap 4");
	cr_assert_eq(out[3], 0xeeee, "nothing written after the NUL");
	/* cap 3 likewise; once a character does not fit, later (smaller) ones
	 * are not written either: no gap in the text */
	memset(out, 0xee, sizeof out);
	cr_assert_eq(dq_utf8_to_utf16(s, strlen(s), out, 3), 5);
	assert_units(out, (const SQLWCHAR[]){'a', 'b', 0}, 3, "cap 3");
	/* cap 1: only the NUL */
	memset(out, 0xee, sizeof out);
	cr_assert_eq(dq_utf8_to_utf16(s, strlen(s), out, 1), 5);
	cr_assert_eq(out[0], 0);
	cr_assert_eq(out[1], 0xeeee);
}

/* unicode.h: "Invalid UTF-8 bytes become U+FFFD" -- one U+FFFD for each
 * invalid byte. The cases are chosen so that Unicode's recommended practice
 * (one U+FFFD per maximal subpart, Unicode 15 section 3.9) gives the same
 * count, so the expected output is not a matter of policy. */
Test(unicode, utf8_to_utf16_invalid_bytes_become_replacement_characters)
{
	const SQLWCHAR R = 0xfffd;
	/* a lone continuation byte, bytes that never start a sequence */
	assert_to_utf16("a\x80" "b", 3, (const SQLWCHAR[]){'a', R, 'b'}, 3, "lone 80");
	assert_to_utf16("\xff\xfe", 2, (const SQLWCHAR[]){R, R}, 2, "ff fe");
	assert_to_utf16("\xf8\x88\x80\x80\x80", 5, (const SQLWCHAR[]){R, R, R, R, R}, 5,
			"5-byte form");
	/* a lead byte followed by a non-continuation: the next byte is kept */
	assert_to_utf16("\xc3" "A", 2, (const SQLWCHAR[]){R, 'A'}, 2, "c3 41");
	assert_to_utf16("\xe9" "AB", 3, (const SQLWCHAR[]){R, 'A', 'B'}, 3, "e9 41 42");
	/* a two-byte sequence cut by the end of the input */
	assert_to_utf16("a\xc3", 2, (const SQLWCHAR[]){'a', R}, 2, "c3 at the end");
	/* (A cut 3- or 4-byte sequence such as E2 82 is left out: one U+FFFD
	 * per byte and one per maximal subpart disagree there.) */
}

/* Overlong forms are invalid UTF-8 (RFC 3629 section 3): decoding them would
 * smuggle in characters such as NUL or '/'. Each of their bytes is invalid
 * under both the per-byte rule and Unicode's maximal-subpart practice. */
Test(unicode, utf8_to_utf16_overlong_forms_are_invalid)
{
	const SQLWCHAR R = 0xfffd;
	assert_to_utf16("\xc0\xaf", 2, (const SQLWCHAR[]){R, R}, 2, "C0 AF (overlong '/')");
	assert_to_utf16("\xc0\x80", 2, (const SQLWCHAR[]){R, R}, 2, "C0 80 (overlong NUL)");
	assert_to_utf16("\xc1\xbf", 2, (const SQLWCHAR[]){R, R}, 2, "C1 BF (overlong U+7F)");
	assert_to_utf16("\xe0\x80\xaf", 3, (const SQLWCHAR[]){R, R, R}, 3,
			"E0 80 AF (overlong '/')");
	assert_to_utf16("\xe0\x9f\xbf", 3, (const SQLWCHAR[]){R, R, R}, 3,
			"E0 9F BF (overlong U+7FF)");
	assert_to_utf16("\xf0\x80\x80\xaf", 4, (const SQLWCHAR[]){R, R, R, R}, 4,
			"F0 80 80 AF (overlong '/')");
	assert_to_utf16("\xf0\x8f\xbf\xbf", 4, (const SQLWCHAR[]){R, R, R, R}, 4,
			"F0 8F BF BF (overlong U+FFFF)");
}

/* UTF-16 surrogates encoded in UTF-8 and code points above U+10FFFF are not
 * characters: each byte is invalid (same count under both rules). */
Test(unicode, utf8_to_utf16_encoded_surrogates_and_beyond_u10ffff_are_invalid)
{
	const SQLWCHAR R = 0xfffd;
	assert_to_utf16("\xed\xa0\x80", 3, (const SQLWCHAR[]){R, R, R}, 3, "ED A0 80 (U+D800)");
	assert_to_utf16("\xed\xbf\xbf", 3, (const SQLWCHAR[]){R, R, R}, 3, "ED BF BF (U+DFFF)");
	assert_to_utf16("\xf4\x90\x80\x80", 4, (const SQLWCHAR[]){R, R, R, R}, 4,
			"F4 90 80 80 (U+110000)");
	/* the largest valid ones next to them decode */
	assert_to_utf16("\xed\x9f\xbf", 3, (const SQLWCHAR[]){0xd7ff}, 1, "U+D7FF");
	assert_to_utf16("\xee\x80\x80", 3, (const SQLWCHAR[]){0xe000}, 1, "U+E000");
}

/* -------------------------------------------------------- ANSI output */

Test(unicode, copy_out_truncates_at_a_character_boundary)
{
	char out[8];
	memset(out, 'x', sizeof out);
	cr_assert_eq(dq_copy_out("a\xc3\xa9z", 4, out, 3), 4, "whole length returned");
	cr_assert_str_eq(out, "a", "é does not fit in 2 bytes + NUL: not split");
	cr_assert_eq(dq_copy_out("a\xc3\xa9z", 4, out, 4), 4);
	cr_assert_str_eq(out, "a\xc3\xa9");
	cr_assert_eq(dq_copy_out("a\xc3\xa9z", 4, out, 5), 4);
	cr_assert_str_eq(out, "a\xc3\xa9z");
	memset(out, 'x', sizeof out);
	cr_assert_eq(dq_copy_out("abc", 3, out, 0), 3);
	cr_assert_eq(out[0], 'x', "cap 0 writes nothing");
	cr_assert_eq(dq_copy_out("abc", 3, NULL, 8), 3);
}

Test(unicode, out_a_lengths_in_bytes_and_truncation)
{
	SQLCHAR buf[8];
	SQLINTEGER n = -1;
	cr_assert_eq(dq_out_a("h\xc3\xa9llo", buf, sizeof buf, &n), SQL_SUCCESS);
	cr_assert_eq(n, 6, "bytes, not characters");
	cr_assert_str_eq((char *)buf, "h\xc3\xa9llo");
	/* exactly the length: no room for the NUL, so truncated */
	cr_assert_eq(dq_out_a("abcdefgh", buf, 8, &n), SQL_SUCCESS_WITH_INFO);
	cr_assert_eq(n, 8);
	cr_assert_str_eq((char *)buf, "abcdefg");
	cr_assert_eq(dq_out_a("abcdefg", buf, 8, &n), SQL_SUCCESS, "7 bytes + NUL fit in 8");
	cr_assert_eq(dq_out_a("h\xc3\xa9llo", buf, 3, &n), SQL_SUCCESS_WITH_INFO);
	cr_assert_eq(n, 6);
	cr_assert_str_eq((char *)buf, "h", "not split inside é");
	/* a null buffer asks for the length only */
	n = -1;
	cr_assert_eq(dq_out_a("hello", NULL, 0, &n), SQL_SUCCESS);
	cr_assert_eq(n, 5);
	/* cap 0 with a buffer: nothing written, length reported */
	memset(buf, 'x', sizeof buf);
	dq_out_a("hello", buf, 0, &n);
	cr_assert_eq(buf[0], 'x');
	cr_assert_eq(n, 5);
	/* a null string is the empty string */
	cr_assert_eq(dq_out_a(NULL, buf, sizeof buf, &n), SQL_SUCCESS);
	cr_assert_eq(n, 0);
	cr_assert_str_eq((char *)buf, "");
	cr_assert_eq(dq_out_a("abc", buf, sizeof buf, NULL), SQL_SUCCESS, "no length pointer");
}

Test(unicode, out_a_small_lengths)
{
	SQLCHAR buf[4];
	SQLSMALLINT n = -1;
	char *big = malloc(40001);
	cr_assert_eq(dq_out_a_small("hello", buf, sizeof buf, &n), SQL_SUCCESS_WITH_INFO);
	cr_assert_eq(n, 5);
	cr_assert_str_eq((char *)buf, "hel");
	cr_assert_eq(dq_out_a_small("hi", buf, sizeof buf, &n), SQL_SUCCESS);
	cr_assert_eq(n, 2);
	/* a length a SQLSMALLINT cannot hold: the largest one, never negative */
	memset(big, 'a', 40000);
	big[40000] = '\0';
	cr_assert_eq(dq_out_a_small(big, buf, sizeof buf, &n), SQL_SUCCESS_WITH_INFO);
	cr_assert_eq(n, 32767);
	free(big);
}

/* ------------------------------------------------------- wide output */

Test(unicode, out_w_lengths_in_characters_or_bytes)
{
	SQLWCHAR buf[8];
	SQLINTEGER n = -1;
	const char *s = "a\xc3\xa9\xf0\x9d\x84\x9e"; /* a é 𝄞: 4 units, 7 UTF-8 bytes */
	cr_assert_eq(dq_out_w(s, buf, 8, &n, 0), SQL_SUCCESS);
	cr_assert_eq(n, 4, "SQLWCHARs");
	assert_units(buf, (const SQLWCHAR[]){'a', 0x00e9, 0xd834, 0xdd1e, 0}, 5, "out_w");
	cr_assert_eq(dq_out_w(s, buf, 8, &n, 1), SQL_SUCCESS);
	cr_assert_eq(n, 8, "bytes = 2 x SQLWCHARs");
	/* truncation: cap counts SQLWCHARs including the NUL */
	cr_assert_eq(dq_out_w(s, buf, 4, &n, 0), SQL_SUCCESS_WITH_INFO, "4 units need cap 5");
	cr_assert_eq(n, 4);
	assert_units(buf, (const SQLWCHAR[]){'a', 0x00e9, 0}, 3, "pair not split");
	cr_assert_eq(dq_out_w(s, buf, 5, &n, 1), SQL_SUCCESS);
	cr_assert_eq(n, 8);
	/* a null buffer asks for the length */
	cr_assert_eq(dq_out_w(s, NULL, 0, &n, 1), SQL_SUCCESS);
	cr_assert_eq(n, 8);
	cr_assert_eq(dq_out_w(NULL, buf, 8, &n, 0), SQL_SUCCESS);
	cr_assert_eq(n, 0);
	cr_assert_eq(buf[0], 0);
}

Test(unicode, out_w_small_lengths)
{
	SQLWCHAR buf[3];
	SQLSMALLINT n = -1;
	char *big = malloc(20001);
	cr_assert_eq(dq_out_w_small("abc", buf, 3, &n, 0), SQL_SUCCESS_WITH_INFO);
	cr_assert_eq(n, 3);
	assert_units(buf, (const SQLWCHAR[]){'a', 'b', 0}, 3, "out_w_small");
	cr_assert_eq(dq_out_w_small("ab", buf, 3, &n, 1), SQL_SUCCESS);
	cr_assert_eq(n, 4, "bytes");
	/* 20000 characters are 40000 bytes: more than a SQLSMALLINT holds */
	memset(big, 'a', 20000);
	big[20000] = '\0';
	cr_assert_eq(dq_out_w_small(big, buf, 3, &n, 0), SQL_SUCCESS_WITH_INFO);
	cr_assert_eq(n, 20000);
	cr_assert_eq(dq_out_w_small(big, buf, 3, &n, 1), SQL_SUCCESS_WITH_INFO);
	cr_assert_eq(n, 32767, "the largest SQLSMALLINT, never negative");
	free(big);
}
