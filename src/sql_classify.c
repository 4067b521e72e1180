/*
 * sql_classify.c -- lexical SQL classification (see sql_classify.h).
 *
 * A tiny tokenizer that skips whitespace, comments and quoted text, and
 * yields keywords/identifiers and punctuation. It never fails: text it does
 * not understand is classified as DQC_SQL_OTHER, which the driver sends as
 * EXEC (the safe direction: a read sent as EXEC fails loudly, a write sent
 * as QUERY may corrupt an old server).
 */
#include "sql_classify.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

typedef struct lex {
	const char *s;
	size_t len;
	size_t pos;
} lex;

enum { T_END, T_WORD, T_QUOTED, T_PUNCT, T_OTHER };

typedef struct tok {
	int kind;
	const char *p;
	size_t n;
} tok;

static int is_ident_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static int is_ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Skips whitespace and comments. */
static void skip_space(lex *l)
{
	while (l->pos < l->len) {
		char c = l->s[l->pos];
		if (isspace((unsigned char)c)) {
			l->pos++;
		} else if (c == '-' && l->pos + 1 < l->len && l->s[l->pos + 1] == '-') {
			while (l->pos < l->len && l->s[l->pos] != '\n')
				l->pos++;
		} else if (c == '/' && l->pos + 1 < l->len && l->s[l->pos + 1] == '*') {
			const char *end;
			l->pos += 2;
			end = NULL;
			for (size_t i = l->pos; i + 1 < l->len; i++)
				if (l->s[i] == '*' && l->s[i + 1] == '/') {
					end = l->s + i;
					break;
				}
			l->pos = end ? (size_t)(end - l->s) + 2 : l->len;
		} else {
			break;
		}
	}
}

/* Skips a quoted token starting at l->pos (opening char q, closing close);
 * a doubled closing char is an escaped one. */
static void skip_quoted(lex *l, char close)
{
	l->pos++;
	while (l->pos < l->len) {
		if (l->s[l->pos] == close) {
			if (close != ']' && l->pos + 1 < l->len &&
			    l->s[l->pos + 1] == close) {
				l->pos += 2;
				continue;
			}
			l->pos++;
			return;
		}
		l->pos++;
	}
}

static tok next(lex *l)
{
	tok t = {T_END, NULL, 0};
	char c;

	skip_space(l);
	if (l->pos >= l->len)
		return t;
	t.p = l->s + l->pos;
	c = l->s[l->pos];
	if (c == '\'' || c == '"' || c == '`' || c == '[') {
		skip_quoted(l, c == '[' ? ']' : c);
		t.kind = T_QUOTED;
	} else if (is_ident_start((unsigned char)c)) {
		while (l->pos < l->len && is_ident_char((unsigned char)l->s[l->pos]))
			l->pos++;
		t.kind = T_WORD;
	} else if (isdigit((unsigned char)c)) {
		while (l->pos < l->len && is_ident_char((unsigned char)l->s[l->pos]))
			l->pos++;
		t.kind = T_OTHER;
	} else {
		l->pos++;
		t.kind = T_PUNCT;
	}
	t.n = (size_t)(l->s + l->pos - t.p);
	return t;
}

static int is_kw(const tok *t, const char *kw)
{
	return t->kind == T_WORD && strlen(kw) == t->n &&
	       strncasecmp(t->p, kw, t->n) == 0;
}

static int is_punct(const tok *t, char c)
{
	return t->kind == T_PUNCT && t->p[0] == c;
}

/* Skips a balanced (...) group whose '(' was just read. */
static void skip_group(lex *l)
{
	int depth = 1;
	while (depth > 0) {
		tok t = next(l);
		if (t.kind == T_END || is_punct(&t, ';'))
			return;
		if (is_punct(&t, '('))
			depth++;
		else if (is_punct(&t, ')'))
			depth--;
	}
}

/* Reads the savepoint name token into out. */
static void read_name(lex *l, dqc_sql_info *out)
{
	tok t = next(l);
	out->name[0] = '\0';
	out->name_tracked = 0;
	if (t.kind != T_WORD || t.n > DQC_SQL_NAME_MAX)
		return;
	for (size_t i = 0; i < t.n; i++) {
		unsigned char c = (unsigned char)t.p[i];
		if (c >= 0x80 || !(isalnum(c) || c == '_'))
			return; /* unicode or '$': untracked */
	}
	if (isdigit((unsigned char)t.p[0]))
		return;
	for (size_t i = 0; i < t.n; i++)
		out->name[i] = (char)tolower((unsigned char)t.p[i]);
	out->name[t.n] = '\0';
	out->name_tracked = 1;
}

/* After INSERT/UPDATE/DELETE: is there a top-level RETURNING? */
static int scan_returning(lex *l)
{
	int depth = 0;
	for (;;) {
		tok t = next(l);
		if (t.kind == T_END || (depth == 0 && is_punct(&t, ';')))
			return 0;
		if (is_punct(&t, '('))
			depth++;
		else if (is_punct(&t, ')') && depth > 0)
			depth--;
		else if (depth == 0 && is_kw(&t, "RETURNING"))
			return 1;
	}
}

static void set_kind(dqc_sql_info *o, int kind)
{
	o->kind = kind;
	switch (kind) {
	case DQC_SQL_SELECT:
	case DQC_SQL_EXPLAIN:
		o->returns_rows = 1;
		break;
	case DQC_SQL_PRAGMA:
		o->returns_rows = 1;
		o->maybe_rows = 1;
		break;
	case DQC_SQL_INSERT:
	case DQC_SQL_UPDATE:
	case DQC_SQL_DELETE:
	case DQC_SQL_DDL:
	case DQC_SQL_OTHER:
		o->is_write = 1;
		break;
	default:
		break;
	}
}

/* Classifies from the statement keyword t onwards. */
static void classify_from(lex *l, tok t, dqc_sql_info *o)
{
	if (is_kw(&t, "SELECT") || is_kw(&t, "VALUES")) {
		set_kind(o, DQC_SQL_SELECT);
	} else if (is_kw(&t, "EXPLAIN")) {
		set_kind(o, DQC_SQL_EXPLAIN);
	} else if (is_kw(&t, "PRAGMA")) {
		set_kind(o, DQC_SQL_PRAGMA);
	} else if (is_kw(&t, "INSERT") || is_kw(&t, "REPLACE") ||
		   is_kw(&t, "UPDATE") || is_kw(&t, "DELETE")) {
		set_kind(o, is_kw(&t, "UPDATE")	  ? DQC_SQL_UPDATE
			    : is_kw(&t, "DELETE") ? DQC_SQL_DELETE
						  : DQC_SQL_INSERT);
		if (scan_returning(l)) {
			o->has_returning = 1;
			o->returns_rows = 1;
		}
	} else if (is_kw(&t, "CREATE") || is_kw(&t, "DROP") ||
		   is_kw(&t, "ALTER")) {
		set_kind(o, DQC_SQL_DDL);
	} else if (is_kw(&t, "BEGIN")) {
		set_kind(o, DQC_SQL_BEGIN);
	} else if (is_kw(&t, "COMMIT") || is_kw(&t, "END")) {
		set_kind(o, DQC_SQL_COMMIT);
	} else if (is_kw(&t, "ROLLBACK")) {
		tok u = next(l);
		if (is_kw(&u, "TRANSACTION"))
			u = next(l);
		if (is_kw(&u, "TO")) {
			lex save = *l;
			tok v = next(l);
			if (!is_kw(&v, "SAVEPOINT"))
				*l = save;
			set_kind(o, DQC_SQL_ROLLBACK_TO);
			read_name(l, o);
		} else {
			set_kind(o, DQC_SQL_ROLLBACK);
		}
	} else if (is_kw(&t, "SAVEPOINT")) {
		set_kind(o, DQC_SQL_SAVEPOINT);
		read_name(l, o);
	} else if (is_kw(&t, "RELEASE")) {
		lex save = *l;
		tok v = next(l);
		if (!is_kw(&v, "SAVEPOINT"))
			*l = save;
		set_kind(o, DQC_SQL_RELEASE);
		read_name(l, o);
	} else {
		set_kind(o, DQC_SQL_OTHER);
	}
}

void dqc_sql_classify(const char *sql, size_t len, dqc_sql_info *out)
{
	lex l = {sql, sql ? len : 0, 0};
	tok t;

	memset(out, 0, sizeof *out);
	t = next(&l);
	while (is_punct(&t, '(') || is_punct(&t, ';'))
		t = next(&l);
	if (t.kind == T_END) {
		out->kind = DQC_SQL_EMPTY;
		return;
	}
	if (is_kw(&t, "WITH")) {
		/* WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (...)
		 * [, ...] then the statement it introduces. */
		t = next(&l);
		if (is_kw(&t, "RECURSIVE"))
			t = next(&l);
		for (;;) {
			/* t is the CTE name */
			t = next(&l);
			if (is_punct(&t, '(')) {
				skip_group(&l);
				t = next(&l);
			}
			if (!is_kw(&t, "AS"))
				break;
			t = next(&l);
			if (is_kw(&t, "NOT"))
				t = next(&l);
			if (is_kw(&t, "MATERIALIZED"))
				t = next(&l);
			if (!is_punct(&t, '('))
				break;
			skip_group(&l);
			t = next(&l);
			if (!is_punct(&t, ','))
				break;
			t = next(&l);
		}
	}
	classify_from(&l, t, out);
}

int dqc_sql_is_blank(const char *sql, size_t len)
{
	lex l = {sql, sql ? len : 0, 0};
	tok t;
	do
		t = next(&l);
	while (is_punct(&t, ';'));
	return t.kind == T_END;
}

size_t dqc_sql_statement_end(const char *sql, size_t len)
{
	lex l = {sql, sql ? len : 0, 0};
	tok t = next(&l), prev = {T_END, NULL, 0};
	int trigger = 0, depth = 0;

	/* CREATE [TEMP|TEMPORARY] TRIGGER: ';' inside BEGIN..END do not end
	 * the statement; CASE..END nests inside the body. */
	if (is_kw(&t, "CREATE")) {
		lex save = l;
		tok u = next(&l);
		if (is_kw(&u, "TEMP") || is_kw(&u, "TEMPORARY"))
			u = next(&l);
		trigger = is_kw(&u, "TRIGGER");
		l = save;
	}
	for (; t.kind != T_END; prev = t, t = next(&l)) {
		if (trigger && (is_kw(&t, "BEGIN") || is_kw(&t, "CASE")))
			depth++;
		else if (trigger && is_kw(&t, "END") && depth > 0)
			depth--;
		else if (is_punct(&t, ';') && depth == 0)
			return l.pos;
	}
	(void)prev;
	return len;
}
