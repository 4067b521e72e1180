/*
 * unicode.h -- UTF-8 <-> SQLWCHAR text and ODBC output-buffer rules.
 *
 * Internally the driver works in UTF-8 (the wire's encoding). The W entry
 * points convert at the boundary. SQLWCHAR is unixODBC's unsigned short
 * (UTF-16, native endianness) or, in the iODBC build, wchar_t (UTF-32): the
 * functions named utf16 below speak whichever the build's SQLWCHAR is, and
 * what they say of surrogate pairs holds for UTF-16 only.
 */
#ifndef DQ_UNICODE_H
#define DQ_UNICODE_H

#include <stddef.h>
#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

/* Converts an input string (SQL text, a connection string, a name) to a
 * malloc'd NUL-terminated UTF-8 string. len: characters (SQLWCHARs) or
 * bytes, or SQL_NTS. *ok is 1 on success (a NULL input gives NULL); 0 on
 * ENOMEM; -2 for invalid UTF-16 (a lone surrogate); -1 when the given
 * length holds a NUL with more text after it (the string cannot be passed
 * on without cutting it). NULs that only pad the end of the given length
 * end it. */
char *dq_utf16_to_utf8(const SQLWCHAR *s, SQLINTEGER len, int *ok);
char *dq_str_dup_n(const SQLCHAR *s, SQLINTEGER len, int *ok);

/* UTF-8 -> UTF-16 into out[0..cap) SQLWCHARs, always NUL-terminated when
 * cap > 0. Returns the number of SQLWCHARs the WHOLE string needs (excluding
 * the NUL); the caller compares with cap to detect truncation (01004).
 * Truncation never splits a surrogate pair. Invalid UTF-8 bytes become
 * U+FFFD. */
size_t dq_utf8_to_utf16(const char *s, size_t len, SQLWCHAR *out, size_t cap);

/* Resumable UTF-8 -> UTF-16 for a value returned in pieces: each piece
 * converts only itself, so k pieces of an n-byte value cost O(n), not
 * O(k n). *pos is the byte index of the next code point; *half is 1 when
 * the high surrogate of the code point at *pos was already produced (a
 * piece may end between the two halves of a pair). Writes at most cap
 * units to out (no NUL; out NULL: only advances) and returns the number
 * produced. Invalid bytes become U+FFFD as in dq_utf8_to_utf16. */
size_t dq_utf8_to_utf16_step(const char *s, size_t len, size_t *pos,
			     int *half, SQLWCHAR *out, size_t cap);

/* Copies a UTF-8 string into an ANSI output buffer of cap bytes (NUL
 * terminated when cap > 0, truncation at a character boundary). Returns the
 * byte length of the whole string. */
size_t dq_copy_out(const char *s, size_t len, char *out, size_t cap);

/* Output helpers for the common "string + buffer length + length pointer"
 * pattern of ODBC. They write the whole-length into *outlen (if non-NULL;
 * units: bytes for the A forms, SQLWCHARs for dq_out_w unless bytes != 0)
 * and return SQL_SUCCESS, or SQL_SUCCESS_WITH_INFO when truncated (the caller
 * posts 01004). */
SQLRETURN dq_out_a(const char *s, SQLCHAR *buf, SQLINTEGER cap,
		   SQLINTEGER *outlen);
SQLRETURN dq_out_a_small(const char *s, SQLCHAR *buf, SQLSMALLINT cap,
			 SQLSMALLINT *outlen);
SQLRETURN dq_out_w(const char *s, SQLWCHAR *buf, SQLINTEGER cap_chars,
		   SQLINTEGER *outlen, int bytes);
SQLRETURN dq_out_w_small(const char *s, SQLWCHAR *buf, SQLSMALLINT cap_chars,
			 SQLSMALLINT *outlen, int bytes);

/* Length in SQLWCHARs of a NUL-terminated SQLWCHAR string. */
size_t dq_wcslen(const SQLWCHAR *s);

#endif /* DQ_UNICODE_H */
