/*
 * unicode.c -- UTF-8 <-> SQLWCHAR text and the ODBC output-buffer rules.
 */
#include "unicode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* SQLWCHAR is UTF-16 under unixODBC (2 bytes) and UTF-32 under iODBC
 * (wchar_t, 4 bytes): one code point per unit there, never a surrogate. */
#define WIDE_IS_UTF32 (sizeof(SQLWCHAR) == 4)

/* Units one code point takes as SQLWCHARs. */
static size_t wide_units(uint32_t cp)
{
	return !WIDE_IS_UTF32 && cp >= 0x10000 ? 2 : 1;
}

size_t dq_wcslen(const SQLWCHAR *s)
{
	size_t n = 0;
	if (s)
		while (s[n])
			n++;
	return n;
}

char *dq_utf16_to_utf8(const SQLWCHAR *s, SQLINTEGER len, int *ok)
{
	size_t n, o = 0;
	char *out;

	*ok = 1;
	if (s == NULL)
		return NULL;
	n = len == SQL_NTS ? dq_wcslen(s) : (size_t)(len < 0 ? 0 : len);
	for (size_t i = 0; i < n; i++)
		if (s[i] == 0) {
			/* NULs that only pad the buffer end the string; one
			 * with text after it would cut the text silently */
			for (size_t j = i; j < n; j++)
				if (s[j] != 0) {
					*ok = -1;
					return NULL;
				}
			n = i;
			break;
		}
	out = malloc(n * 3 + 1);
	if (out == NULL) {
		*ok = 0;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t c = (uint32_t)s[i];
		if (!WIDE_IS_UTF32 && c >= 0xD800 && c <= 0xDBFF && i + 1 < n &&
		    s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
			c = 0x10000 + ((c - 0xD800) << 10) + ((uint32_t)s[i + 1] - 0xDC00);
			i++;
		} else if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
			free(out);
			*ok = -2;
			return NULL;
		}
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xC0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xE0 | (c >> 12));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else {
			out[o++] = (char)(0xF0 | (c >> 18));
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		}
	}
	out[o] = '\0';
	return out;
}

char *dq_str_dup_n(const SQLCHAR *s, SQLINTEGER len, int *ok)
{
	size_t n;
	char *out;

	*ok = 1;
	if (s == NULL)
		return NULL;
	n = len == SQL_NTS ? strlen((const char *)s) : (size_t)(len < 0 ? 0 : len);
	if (len != SQL_NTS) {
		const SQLCHAR *z = memchr(s, 0, n);
		if (z) {
			/* as above: padding NULs end it, a NUL inside is refused */
			for (const SQLCHAR *q = z; q < s + n; q++)
				if (*q != 0) {
					*ok = -1;
					return NULL;
				}
			n = (size_t)(z - s);
		}
	}
	out = malloc(n + 1);
	if (out == NULL) {
		*ok = 0;
		return NULL;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

/* Decodes one UTF-8 sequence at s[*i]; invalid bytes give U+FFFD, one per
 * byte: a sequence that is cut, overlong, a UTF-16 surrogate or above
 * U+10FFFF consumes only its first byte. */
static uint32_t utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	static const uint32_t least[4] = {0, 0x80, 0x800, 0x10000};
	unsigned char c = s[*i];
	uint32_t cp;
	int extra;

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if ((c & 0xE0) == 0xC0)
		cp = c & 0x1F, extra = 1;
	else if ((c & 0xF0) == 0xE0)
		cp = c & 0x0F, extra = 2;
	else if ((c & 0xF8) == 0xF0)
		cp = c & 0x07, extra = 3;
	else {
		(*i)++;
		return 0xFFFD;
	}
	for (int k = 1; k <= extra; k++) {
		if (*i + (size_t)k >= len || (s[*i + (size_t)k] & 0xC0) != 0x80) {
			(*i)++;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[*i + (size_t)k] & 0x3F);
	}
	if (cp < least[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		(*i)++;
		return 0xFFFD;
	}
	*i += (size_t)extra + 1;
	return cp;
}

size_t dq_utf8_to_utf16(const char *s, size_t len, SQLWCHAR *out, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n = 0, written = 0;
	int stop = 0;

	while (i < len) {
		uint32_t cp = utf8_next(u, len, &i);
		size_t units = wide_units(cp);
		/* keep room for the NUL; never split a surrogate pair */
		if (!stop && out && n + units < cap) {
			if (units == 2) {
				cp -= 0x10000;
				out[n] = (SQLWCHAR)(0xD800 + (cp >> 10));
				out[n + 1] = (SQLWCHAR)(0xDC00 + (cp & 0x3FF));
			} else {
				out[n] = (SQLWCHAR)cp;
			}
			written = n + units;
		} else {
			stop = 1;
		}
		n += units;
	}
	if (out && cap)
		out[written] = 0;
	return n;
}

size_t dq_utf8_to_utf16_step(const char *s, size_t len, size_t *pos,
			     int *half, SQLWCHAR *out, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0;

	while (n < cap && *pos < len) {
		size_t next = *pos;
		uint32_t cp = utf8_next(u, len, &next);
		if (wide_units(cp) == 1) {
			if (out)
				out[n] = (SQLWCHAR)cp;
			n++;
			*pos = next;
			continue;
		}
		cp -= 0x10000;
		if (!*half) {
			if (out)
				out[n] = (SQLWCHAR)(0xD800 + (cp >> 10));
			n++;
			*half = 1;
			if (n == cap)
				break; /* the low half starts the next piece */
		}
		if (out)
			out[n] = (SQLWCHAR)(0xDC00 + (cp & 0x3FF));
		n++;
		*half = 0;
		*pos = next;
	}
	return n;
}

size_t dq_copy_out(const char *s, size_t len, char *out, size_t cap)
{
	if (out && cap) {
		size_t n = len < cap - 1 ? len : cap - 1;
		/* do not split a UTF-8 sequence */
		if (n < len)
			while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
				n--;
		memcpy(out, s, n);
		out[n] = '\0';
	}
	return len;
}

SQLRETURN dq_out_a(const char *s, SQLCHAR *buf, SQLINTEGER cap,
		   SQLINTEGER *outlen)
{
	size_t len = s ? strlen(s) : 0;
	dq_copy_out(s ? s : "", len, (char *)buf, cap > 0 ? (size_t)cap : 0);
	if (outlen)
		*outlen = (SQLINTEGER)len;
	return (buf && cap > 0 && len >= (size_t)cap) ? SQL_SUCCESS_WITH_INFO
						      : SQL_SUCCESS;
}

SQLRETURN dq_out_a_small(const char *s, SQLCHAR *buf, SQLSMALLINT cap,
			 SQLSMALLINT *outlen)
{
	SQLINTEGER n;
	SQLRETURN rc = dq_out_a(s, buf, cap, &n);
	if (outlen)
		*outlen = (SQLSMALLINT)(n > 32767 ? 32767 : n);
	return rc;
}

SQLRETURN dq_out_w(const char *s, SQLWCHAR *buf, SQLINTEGER cap_chars,
		   SQLINTEGER *outlen, int bytes)
{
	size_t len = s ? strlen(s) : 0;
	size_t need = dq_utf8_to_utf16(s ? s : "", len, buf,
				       cap_chars > 0 ? (size_t)cap_chars : 0);
	if (outlen)
		*outlen = (SQLINTEGER)(bytes ? need * sizeof(SQLWCHAR) : need);
	return (buf && cap_chars > 0 && need >= (size_t)cap_chars)
		       ? SQL_SUCCESS_WITH_INFO
		       : SQL_SUCCESS;
}

SQLRETURN dq_out_w_small(const char *s, SQLWCHAR *buf, SQLSMALLINT cap_chars,
			 SQLSMALLINT *outlen, int bytes)
{
	SQLINTEGER n;
	SQLRETURN rc = dq_out_w(s, buf, cap_chars, &n, bytes);
	if (outlen)
		*outlen = (SQLSMALLINT)(n > 32767 ? 32767 : n);
	return rc;
}
