/*
 * select_parse.c -- recognises a plain single-table SELECT (select_parse.h).
 * A small tokenizer of its own: it needs identifiers unquoted and `*`, `.`
 * and parentheses as tokens, which the engine's classifier does not give.
 */
#include "select_parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum tok { T_END, T_IDENT, T_STAR, T_COMMA, T_DOT, T_LPAREN, T_RPAREN, T_SEMI, T_OTHER };

typedef struct {
	const char *p, *end;
	int type;
	const char *s;   /* token text */
	size_t n;
	int quoted;      /* identifier was "..", `..` or [..] */
} lexer;

static void skip_blank(lexer *lx)
{
	while (lx->p < lx->end) {
		if (isspace((unsigned char)*lx->p))
			lx->p++;
		else if (lx->p + 1 < lx->end && lx->p[0] == '-' && lx->p[1] == '-') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (lx->p + 1 < lx->end && lx->p[0] == '/' && lx->p[1] == '*') {
			lx->p += 2;
			while (lx->p + 1 < lx->end && !(lx->p[0] == '*' && lx->p[1] == '/'))
				lx->p++;
			lx->p = lx->p + 2 < lx->end ? lx->p + 2 : lx->end;
		} else
			break;
	}
}

static int ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static void next(lexer *lx)
{
	char close;
	skip_blank(lx);
	lx->s = lx->p;
	lx->quoted = 0;
	if (lx->p >= lx->end) {
		lx->type = T_END;
		lx->n = 0;
		return;
	}
	switch (*lx->p) {
	case '*': lx->type = T_STAR; lx->p++; break;
	case ',': lx->type = T_COMMA; lx->p++; break;
	case '.': lx->type = T_DOT; lx->p++; break;
	case '(': lx->type = T_LPAREN; lx->p++; break;
	case ')': lx->type = T_RPAREN; lx->p++; break;
	case ';': lx->type = T_SEMI; lx->p++; break;
	case '"': case '`': case '[': case '\'':
		close = *lx->p == '[' ? ']' : *lx->p;
		lx->type = *lx->p == '\'' ? T_OTHER : T_IDENT;
		lx->quoted = 1;
		for (lx->p++; lx->p < lx->end; lx->p++) {
			if (*lx->p == close) {
				if (close != ']' && lx->p + 1 < lx->end && lx->p[1] == close) {
					lx->p++;
					continue;
				}
				break;
			}
		}
		lx->s++;
		lx->n = (size_t)(lx->p - lx->s);
		if (lx->p < lx->end)
			lx->p++;
		return;
	default:
		if (ident_char((unsigned char)*lx->p) && !isdigit((unsigned char)*lx->p)) {
			lx->type = T_IDENT;
			while (lx->p < lx->end && ident_char((unsigned char)*lx->p))
				lx->p++;
		} else {
			lx->type = T_OTHER;
			lx->p++;
		}
	}
	lx->n = (size_t)(lx->p - lx->s);
}

static int is_kw(const lexer *lx, const char *kw)
{
	return lx->type == T_IDENT && !lx->quoted && strlen(kw) == lx->n &&
	       strncasecmp(lx->s, kw, lx->n) == 0;
}

/* An identifier token's text, unquoted (a doubled quote becomes one). */
static char *ident_dup(const lexer *lx)
{
	char *out = malloc(lx->n + 1), *w = out;
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < lx->n; i++) {
		*w++ = lx->s[i];
		if (lx->quoted && i + 1 < lx->n && lx->s[i] == lx->s[i + 1] &&
		    (lx->s[i] == '"' || lx->s[i] == '`'))
			i++;
	}
	*w = '\0';
	return out;
}

void dq_plain_select_free(dq_plain_select *ps)
{
	free(ps->table);
	for (int i = 0; i < ps->nitems; i++)
		free(ps->items[i].column);
	memset(ps, 0, sizeof *ps);
}

static int is_clause_kw(const lexer *lx)
{
	static const char *const kws[] = {"WHERE", "ORDER", "GROUP", "LIMIT", "HAVING",
					  "WINDOW", "INDEXED", "NOT", NULL};
	for (int i = 0; kws[i]; i++)
		if (is_kw(lx, kws[i]))
			return 1;
	return 0;
}

/* Reads one select item up to the ',' or FROM that ends it. Only
 * `*`, `t.*`, `col`, `t.col`, each with an optional `[AS] alias`, are
 * references; anything else is an expression. */
static int parse_item(lexer *lx, dq_select_item *it)
{
	enum { START, REF, DOT, QREF, AS, ALIASED, STAR, EXPR } st = START;
	int depth = 0, nomem = 0;
	char *col = NULL;
	for (; lx->type != T_END && lx->type != T_SEMI; next(lx)) {
		if (depth == 0 && (lx->type == T_COMMA || is_kw(lx, "FROM")))
			break;
		if (lx->type == T_LPAREN)
			depth++;
		else if (lx->type == T_RPAREN)
			depth--;
		switch (st) {
		case START:
			st = lx->type == T_STAR ? STAR : lx->type == T_IDENT ? REF : EXPR;
			if (st == REF)
				nomem |= (col = ident_dup(lx)) == NULL;
			break;
		case REF:
		case QREF:
			st = lx->type == T_DOT && st == REF ? DOT
			     : is_kw(lx, "AS")	    ? AS
			     : lx->type == T_IDENT    ? ALIASED
						      : EXPR;
			break;
		case DOT:
			st = lx->type == T_STAR ? STAR : lx->type == T_IDENT ? QREF : EXPR;
			if (st == QREF) {
				free(col);
				nomem |= (col = ident_dup(lx)) == NULL;
			}
			break;
		case AS:
			st = lx->type == T_IDENT ? ALIASED : EXPR;
			break;
		default:
			st = EXPR;
		}
	}
	it->star = st == STAR;
	it->column = !nomem && (st == REF || st == QREF || st == ALIASED) ? col : NULL;
	if (it->column == NULL)
		free(col);
	/* out of memory is no parse: a reference must not pass as an
	 * expression and lose its declared type */
	return depth == 0 && !nomem;
}

int dq_parse_plain_select(const char *sql, dq_plain_select *ps)
{
	lexer lx = {sql, sql + strlen(sql), 0, NULL, 0, 0};
	memset(ps, 0, sizeof *ps);
	next(&lx);
	if (!is_kw(&lx, "SELECT"))
		return 0;
	next(&lx);
	if (is_kw(&lx, "DISTINCT") || is_kw(&lx, "ALL"))
		next(&lx);
	for (;;) {
		if (ps->nitems == DQ_SELECT_MAX_ITEMS || !parse_item(&lx, &ps->items[ps->nitems]))
			goto no;
		ps->nitems++;
		if (lx.type != T_COMMA)
			break;
		next(&lx);
	}
	if (!is_kw(&lx, "FROM"))
		goto no;
	next(&lx);
	if (lx.type != T_IDENT)
		goto no;
	ps->table = ident_dup(&lx);
	next(&lx);
	if (lx.type == T_DOT) { /* schema.table */
		next(&lx);
		if (lx.type != T_IDENT)
			goto no;
		free(ps->table);
		ps->table = ident_dup(&lx);
		next(&lx);
	}
	if (ps->table == NULL)
		goto no;
	if (is_kw(&lx, "AS"))
		next(&lx);
	if (lx.type == T_IDENT && !is_clause_kw(&lx) && !is_kw(&lx, "JOIN") &&
	    !is_kw(&lx, "NATURAL") && !is_kw(&lx, "LEFT") && !is_kw(&lx, "INNER") &&
	    !is_kw(&lx, "CROSS") && !is_kw(&lx, "RIGHT") && !is_kw(&lx, "FULL") &&
	    !is_kw(&lx, "UNION") && !is_kw(&lx, "EXCEPT") && !is_kw(&lx, "INTERSECT"))
		next(&lx); /* the alias */
	if (lx.type != T_END && lx.type != T_SEMI && !is_clause_kw(&lx))
		goto no;
	/* No compound select anywhere at the top level. */
	for (int depth = 0; lx.type != T_END && lx.type != T_SEMI; next(&lx)) {
		if (lx.type == T_LPAREN)
			depth++;
		else if (lx.type == T_RPAREN)
			depth--;
		else if (depth == 0 && (is_kw(&lx, "UNION") || is_kw(&lx, "EXCEPT") ||
					is_kw(&lx, "INTERSECT")))
			goto no;
	}
	return 1;
no:
	dq_plain_select_free(ps);
	return 0;
}

/* ------------------------------------------------------ returning no rows */

/* Where the top level of a SELECT text shows what dq_select_no_rows needs
 * (byte offsets into the text; 0 when absent, since none can be at 0). */
typedef struct {
	size_t end;        /* the first statement's end: its ';' or the end */
	size_t limit_expr; /* start of the LIMIT's row-count expression */
	size_t limit_end;  /* its end (OFFSET, or the end of the statement) */
	int last_values;   /* the last compound member is VALUES */
} top_shape;

/* Scans sql's first statement at parenthesis depth 0. */
static void scan_top(const char *sql, top_shape *sh)
{
	lexer lx = {sql, sql + strlen(sql), 0, NULL, 0, 0};
	int depth = 0, in_limit = 0;

	memset(sh, 0, sizeof *sh);
	for (next(&lx); lx.type != T_END && !(depth == 0 && lx.type == T_SEMI); next(&lx)) {
		size_t at = (size_t)(lx.s - sql);
		if (lx.type == T_LPAREN)
			depth++;
		else if (lx.type == T_RPAREN)
			depth -= depth > 0;
		if (depth > 0 || lx.type == T_LPAREN)
			continue;
		if (is_kw(&lx, "SELECT") || is_kw(&lx, "VALUES"))
			sh->last_values = is_kw(&lx, "VALUES");
		else if (is_kw(&lx, "LIMIT")) {
			/* (text with several is not SQL; the last one counts) */
			in_limit = 1;
			sh->limit_expr = (size_t)(lx.p - sql);
			sh->limit_end = 0;
		} else if (in_limit == 1 && lx.type == T_COMMA) {
			/* LIMIT offset, count: the count follows */
			sh->limit_expr = (size_t)(lx.p - sql);
		} else if (in_limit == 1 && is_kw(&lx, "OFFSET")) {
			sh->limit_end = at;
			in_limit = 2;
		}
	}
	sh->end = (size_t)(lx.s - sql);
	if (in_limit && sh->limit_end == 0)
		sh->limit_end = sh->end;
}

/* malloc'd concatenation of pieces[i] (lens[i] bytes each) up to the
 * NULL that ends the list. */
static char *concat(const char *const *pieces, const size_t *lens)
{
	size_t total = 1, k = 0;
	char *out;
	for (int i = 0; pieces[i]; i++)
		total += lens[i];
	if ((out = malloc(total)) == NULL)
		return NULL;
	for (int i = 0; pieces[i]; i++) {
		memcpy(out + k, pieces[i], lens[i]);
		k += lens[i];
	}
	out[k] = '\0';
	return out;
}

char *dq_select_no_rows(const char *sql, int *wrapped)
{
	top_shape sh;

	scan_top(sql, &sh);
	*wrapped = sh.last_values;
	if (sh.last_values) {
		/* the newline ends a trailing -- comment */
		const char *p[] = {"SELECT * FROM (", sql, "\n) LIMIT 0", NULL};
		size_t n[] = {15, sh.end, 10};
		return concat(p, n);
	}
	if (sh.limit_expr) {
		/* the expression may end in a -- comment: a newline first */
		const char *p[] = {sql, " 0 AND (", sql + sh.limit_expr, "\n) ",
				   sql + sh.limit_end, NULL};
		size_t n[] = {sh.limit_expr, 8, sh.limit_end - sh.limit_expr, 3,
			      sh.end - sh.limit_end};
		return concat(p, n);
	}
	{
		const char *p[] = {sql, "\nLIMIT 0", NULL};
		size_t n[] = {sh.end, 8};
		return concat(p, n);
	}
}

/* ------------------------------------------------ the no-rows PRAGMA */

/* Past white space (a comment makes the text one left to its execution). */
static const char *skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
		p++;
	return p;
}

/* Length of the bare word at p ([A-Za-z_][A-Za-z0-9_]*), 0 if none. */
static size_t bare_word(const char *p)
{
	size_t n = 0;
	if (!(isalpha((unsigned char)p[0]) || p[0] == '_'))
		return 0;
	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	return n;
}

/* Length of the argument at p: a bare word, a '...' string without a
 * quote inside, or an unsigned integer; 0 if none of these. *quote: the
 * word needs quoting. */
static size_t pragma_arg(const char *p, int *quote)
{
	size_t n;
	*quote = 0;
	if ((n = bare_word(p)) != 0) {
		*quote = 1;
		return n;
	}
	if (p[0] == '\'') {
		for (n = 1; p[n] && p[n] != '\''; n++)
			;
		return p[n] == '\'' ? n + 1 : 0;
	}
	for (n = 0; isdigit((unsigned char)p[n]); n++)
		;
	return n;
}

char *dq_pragma_no_rows(const char *sql, int *other)
{
	static const char *const listing[] = {
		"table_info", "table_xinfo", "table_list", "index_list", "index_info",
		"index_xinfo", "foreign_key_list", "database_list", "collation_list",
		"compile_options"};
	const char *p = skip_spaces(sql), *schema = NULL, *name, *arg = NULL;
	size_t nschema = 0, nname, narg = 0, need;
	int quote = 0, known = 0;
	char *out;

	*other = 1;
	if (strncasecmp(p, "PRAGMA", 6) != 0 || bare_word(p) != 6)
		return NULL;
	p = skip_spaces(p + 6);
	name = p;
	if ((nname = bare_word(p)) == 0)
		return NULL;
	p = skip_spaces(p + nname);
	if (*p == '.') {
		schema = name, nschema = nname;
		p = skip_spaces(p + 1);
		name = p;
		if ((nname = bare_word(p)) == 0)
			return NULL;
		p = skip_spaces(p + nname);
	}
	if (*p == '(') {
		p = skip_spaces(p + 1);
		arg = p;
		if ((narg = pragma_arg(p, &quote)) == 0)
			return NULL;
		p = skip_spaces(p + narg);
		if (*p != ')')
			return NULL;
		p = skip_spaces(p + 1);
	}
	if (*p == ';')
		p = skip_spaces(p + 1);
	if (*p != '\0' || (schema != NULL && arg == NULL))
		return NULL; /* more text; a schema alone has no argument slot */
	for (size_t i = 0; i < sizeof listing / sizeof listing[0]; i++)
		known |= strlen(listing[i]) == nname &&
			 strncasecmp(listing[i], name, nname) == 0;
	if (!known)
		return NULL;
	*other = 0;
	need = nname + narg + nschema + 48;
	if ((out = malloc(need)) == NULL)
		return NULL;
	snprintf(out, need, "SELECT * FROM pragma_%.*s(%s%.*s%s%s%.*s%s) LIMIT 0",
		 (int)nname, name, quote ? "'" : "", (int)narg, arg ? arg : "",
		 quote ? "'" : "", schema ? ", '" : "", (int)nschema,
		 schema ? schema : "", schema ? "'" : "");
	return out;
}
