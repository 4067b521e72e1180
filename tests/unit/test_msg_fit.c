/*
 * dqe_msg_fit (src/rows.h): a server message too long for the engine's
 * buffer keeps every fixed word, so readers and the SQLSTATE mapping
 * (driver/diag.c) see what kind of error it is whatever the names' length.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "rows.h"

static char big[8192];

/* "<head><n copies of c><tail>" in big. */
static const char *around(const char *head, char c, size_t n, const char *tail)
{
	size_t h = strlen(head);
	memcpy(big, head, h);
	memset(big + h, c, n);
	strcpy(big + h + n, tail);
	return big;
}

static int starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static int ends(const char *s, const char *e)
{
	size_t n = strlen(s), k = strlen(e);
	return n >= k && strcmp(s + n - k, e) == 0;
}

Test(msg_fit, a_text_that_fits_is_copied_whole)
{
	char out[32];
	dqe_msg_fit(out, sizeof out, "no such table: t");
	cr_assert_str_eq(out, "no such table: t");
	dqe_msg_fit(out, sizeof out, "0123456789012345678901234567890"); /* 31 */
	cr_assert_str_eq(out, "0123456789012345678901234567890");
}

Test(msg_fit, a_long_token_is_cut_inside_and_the_fixed_words_stay)
{
	char out[1024];
	dqe_msg_fit(out, sizeof out, around("near \"", 'a', 3000, "\": syntax error"));
	cr_assert_lt(strlen(out), sizeof out);
	cr_assert(starts(out, "near \"aaaa"), "%.40s", out);
	cr_assert(ends(out, "aaaa\": syntax error"), "%s", out + strlen(out) - 40);
	cr_assert_neq(strstr(out, "a...a"), NULL);
}

Test(msg_fit, two_long_names_are_both_cut_and_the_words_between_stay)
{
	char out[512], msg[8192];
	memset(msg, 0, sizeof msg);
	strcpy(msg, around("table ", 't', 2000, " has no column named "));
	strcat(msg, around("", 'c', 1500, ""));
	dqe_msg_fit(out, sizeof out, msg);
	cr_assert_lt(strlen(out), sizeof out);
	cr_assert(starts(out, "table ttt"));
	cr_assert_neq(strstr(out, "ttt has no column named ccc"), NULL, "%s", out);
	cr_assert(ends(out, "ccc"));
}

Test(msg_fit, many_short_words_keep_both_ends)
{
	char out[64], msg[400] = "";
	for (int i = 0; i < 60; i++)
		strcat(msg, "word ");
	strcat(msg, "END");
	dqe_msg_fit(out, sizeof out, msg);
	cr_assert_eq(strlen(out), sizeof out - 1);
	cr_assert(starts(out, "word word"));
	cr_assert_neq(strstr(out, " ... "), NULL);
	cr_assert(ends(out, "END"));
}
