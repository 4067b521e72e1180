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
#include <stdio.h>
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

/* Records where the savepoint name token is. */
static void read_name(lex *l, dqc_sql_info *out)
{
	tok t = next(l);
	if (t.kind != T_WORD && t.kind != T_QUOTED && t.kind != T_OTHER)
		return;
	out->name_off = (size_t)(t.p - l->s);
	out->name_len = t.n;
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
		tok u = next(l);
		set_kind(o, DQC_SQL_BEGIN);
		o->begin_locks = is_kw(&u, "IMMEDIATE") || is_kw(&u, "EXCLUSIVE");
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

/* When t is WITH, skips WITH [RECURSIVE] name [(cols)] AS [NOT]
 * [MATERIALIZED] (...) [, ...] and returns the keyword of the statement it
 * introduces; otherwise returns t. */
static tok skip_with(lex *l, tok t)
{
	if (!is_kw(&t, "WITH"))
		return t;
	t = next(l);
	if (is_kw(&t, "RECURSIVE"))
		t = next(l);
	for (;;) {
		/* t is the CTE name */
		t = next(l);
		if (is_punct(&t, '(')) {
			skip_group(l);
			t = next(l);
		}
		if (!is_kw(&t, "AS"))
			break;
		t = next(l);
		if (is_kw(&t, "NOT"))
			t = next(l);
		if (is_kw(&t, "MATERIALIZED"))
			t = next(l);
		if (!is_punct(&t, '('))
			break;
		skip_group(l);
		t = next(l);
		if (!is_punct(&t, ','))
			break;
		t = next(l);
	}
	return t;
}

/* The first token of the statement proper: leading '(' and ';' skipped. */
static tok first_token(lex *l)
{
	tok t = next(l);
	while (is_punct(&t, '(') || is_punct(&t, ';'))
		t = next(l);
	return t;
}

void dqc_sql_classify(const char *sql, size_t len, dqc_sql_info *out)
{
	lex l = {sql, sql ? len : 0, 0};
	tok t;

	memset(out, 0, sizeof *out);
	t = first_token(&l);
	if (t.kind == T_END) {
		out->kind = DQC_SQL_EMPTY;
		return;
	}
	t = skip_with(&l, t);
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

/* ------------------------------------------------------ result names */

/* Bytes a column name of n bytes takes in a ROWS page: text + NUL, padded. */
static size_t name_bytes(size_t n)
{
	return (n + 1 + 7) / 8 * 8;
}

/* Length of an identifier token without its quotes (a doubled quote inside
 * counts once). */
static size_t unquoted_len(const tok *t)
{
	size_t n = 0;
	if (t->kind != T_QUOTED)
		return t->n;
	for (size_t i = 1; i + 1 < t->n; i++) {
		char c = t->p[i];
		if (c != '[' && c == t->p[0] && i + 2 < t->n && t->p[i + 1] == c)
			i++;
		n++;
	}
	return n;
}

static int ends_select_list(const tok *t)
{
	static const char *const kws[] = {"FROM",  "WHERE",     "GROUP",
					  "HAVING", "WINDOW",   "ORDER",
					  "LIMIT", "UNION",     "INTERSECT",
					  "EXCEPT", NULL};
	if (t->kind == T_END || is_punct(t, ';'))
		return 1;
	for (int i = 0; kws[i]; i++)
		if (is_kw(t, kws[i]))
			return 1;
	return 0;
}

static int is_name_tok(const tok *t)
{
	return t->kind == T_WORD || t->kind == T_QUOTED;
}

/* One result column from `first` up to (not including) the list's next ','
 * or end; *stop is that token. Returns its name's bytes (a lower bound). */
static size_t select_item(lex *l, tok first, tok *stop)
{
	const char *start = first.p, *end;
	tok t = first, last = {T_END, NULL, 0}, before = {T_END, NULL, 0};
	int depth = 0, ntok = 0, plain = 1, star = 0;
	size_t n;

	while (!(depth == 0 && (is_punct(&t, ',') || ends_select_list(&t)))) {
		if (t.kind == T_END)
			break;
		if (is_punct(&t, '('))
			depth++;
		else if (is_punct(&t, ')') && depth > 0)
			depth--;
		if (is_punct(&t, '*') && depth == 0 &&
		    (ntok == 0 || is_punct(&last, '.')))
			star = 1;
		/* a plain reference is name(.name)* */
		if (!(ntok % 2 == 0 ? is_name_tok(&t) : is_punct(&t, '.')))
			plain = 0;
		before = last;
		last = t;
		ntok++;
		t = next(l);
	}
	*stop = t;
	if (ntok == 0 || star)
		return 0;
	/* alias: "expr AS name", or "expr name" (taken generously: when in
	 * doubt it is an alias, whose name is shorter than the text) */
	if (ntok >= 2 && is_name_tok(&last) && !is_punct(&before, '.'))
		return name_bytes(unquoted_len(&last));
	if (plain)
		return name_bytes(unquoted_len(&last));
	/* the expression's text up to the next token, trimmed of spaces */
	end = t.kind == T_END ? l->s + l->len : t.p;
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	n = (size_t)(end - start);
	return name_bytes(n);
}

/* VALUES (a, b, ...): the columns are named column1, column2, ... */
static size_t values_names(lex *l)
{
	tok t = next(l);
	size_t total = 0, col = 1;
	int depth = 0;
	char name[32];

	if (!is_punct(&t, '('))
		return 0;
	for (;;) {
		t = next(l);
		if (t.kind == T_END || is_punct(&t, ';'))
			return 0; /* unbalanced: claim nothing */
		if (is_punct(&t, '('))
			depth++;
		else if (is_punct(&t, ')') && depth-- == 0)
			break;
		else if (is_punct(&t, ',') && depth == 0)
			col++;
	}
	for (size_t i = 1; i <= col; i++)
		total += name_bytes((size_t)snprintf(name, sizeof name, "column%zu", i));
	return total;
}

size_t dqc_sql_names_min(const char *sql, size_t len)
{
	lex l = {sql, sql ? len : 0, 0};
	tok t = skip_with(&l, first_token(&l));
	size_t total = 0;

	if (is_kw(&t, "VALUES"))
		return values_names(&l);
	if (!is_kw(&t, "SELECT"))
		return 0;
	t = next(&l);
	if (is_kw(&t, "DISTINCT") || is_kw(&t, "ALL"))
		t = next(&l);
	while (!ends_select_list(&t)) {
		tok stop;
		total += select_item(&l, t, &stop);
		if (!is_punct(&stop, ','))
			break;
		t = next(&l);
	}
	return total;
}
