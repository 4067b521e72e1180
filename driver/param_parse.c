/*
 * param_parse.c -- parameter markers mapped to what they stand for
 * (param_parse.h). The text is cut into tokens once; each rule then looks
 * at a marker's neighbours. A rule only fires when the marker (or the
 * column it is compared with) stands alone as an operand: the token
 * before and after it bound the operand (`,`, `(`, `)`, a clause keyword,
 * AND / OR, the end), so `col = ? + 1` or `x + col = ?` give no target.
 */
#include "param_parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum tok_type { T_END, T_IDENT, T_STRING, T_NUMBER, T_PARAM, T_OP, T_LPAREN,
		T_RPAREN, T_COMMA, T_DOT, T_SEMI };

typedef struct tok {
	int type;
	const char *s;  /* text (inside the quotes for a quoted identifier) */
	size_t n;
	int quoted;     /* an identifier in "..", `..` or [..] */
	int param;      /* T_PARAM: its number */
} tok;

typedef struct lexer {
	const char *p, *end;
	int max_param;
	struct { const char *s; size_t n; int no; } *names; /* :name markers */
	int nnames;
	int nomem;
} lexer;

static void skip_blank(lexer *lx)
{
	while (lx->p < lx->end) {
		if (isspace((unsigned char)*lx->p)) {
			lx->p++;
		} else if (lx->end - lx->p > 1 && lx->p[0] == '-' && lx->p[1] == '-') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (lx->end - lx->p > 1 && lx->p[0] == '/' && lx->p[1] == '*') {
			lx->p += 2;
			while (lx->end - lx->p > 1 && !(lx->p[0] == '*' && lx->p[1] == '/'))
				lx->p++;
			lx->p = lx->end - lx->p > 1 ? lx->p + 2 : lx->end;
		} else {
			break;
		}
	}
}

static int ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* The number SQLite gives the named marker t (the first use's). */
static int name_number(lexer *lx, const tok *t)
{
	void *p;
	for (int i = 0; i < lx->nnames; i++)
		if (lx->names[i].n == t->n && memcmp(lx->names[i].s, t->s, t->n) == 0)
			return lx->names[i].no;
	p = realloc(lx->names, (size_t)(lx->nnames + 1) * sizeof *lx->names);
	if (p == NULL) {
		lx->nomem = 1;
		return ++lx->max_param;
	}
	lx->names = p;
	lx->names[lx->nnames].s = t->s;
	lx->names[lx->nnames].n = t->n;
	lx->names[lx->nnames].no = ++lx->max_param;
	return lx->names[lx->nnames++].no;
}

/* A marker: `?`, `?NNN`, `:name`, `@name`, `$name`. */
static void lex_param(lexer *lx, tok *t)
{
	const char *q = lx->p + 1;
	t->type = T_PARAM;
	if (*lx->p == '?') {
		long no = 0;
		while (q < lx->end && isdigit((unsigned char)*q) && no < 1000000)
			no = no * 10 + (*q++ - '0');
		if (q == lx->p + 1) {
			t->param = ++lx->max_param;
		} else {
			t->param = (int)no;
			if (t->param > lx->max_param)
				lx->max_param = t->param;
		}
	} else {
		while (q < lx->end && ident_char((unsigned char)*q))
			q++;
	}
	lx->p = q;
	t->n = (size_t)(q - t->s);
	if (*t->s != '?')
		t->param = name_number(lx, t);
}

static void lex_quoted(lexer *lx, tok *t)
{
	char close = *lx->p == '[' ? ']' : *lx->p;
	t->type = *lx->p == '\'' ? T_STRING : T_IDENT;
	t->quoted = t->type == T_IDENT;
	for (lx->p++; lx->p < lx->end; lx->p++)
		if (*lx->p == close) {
			if (close != ']' && lx->end - lx->p > 1 && lx->p[1] == close) {
				lx->p++;
				continue;
			}
			break;
		}
	t->s++;
	t->n = (size_t)(lx->p - t->s);
	if (lx->p < lx->end)
		lx->p++;
}

static const char *const two_char_ops[] = {"==", "!=", "<>", "<=", ">=", "||", "<<",
					   ">>", "->", NULL};

/* The next token into *t. */
static void lex(lexer *lx, tok *t)
{
	unsigned char c;
	memset(t, 0, sizeof *t);
	skip_blank(lx);
	t->s = lx->p;
	if (lx->p >= lx->end) {
		t->type = T_END;
		return;
	}
	c = (unsigned char)*lx->p;
	switch (c) {
	case '(': t->type = T_LPAREN; break;
	case ')': t->type = T_RPAREN; break;
	case ',': t->type = T_COMMA; break;
	case ';': t->type = T_SEMI; break;
	case '"': case '`': case '[': case '\'':
		lex_quoted(lx, t);
		return;
	case '?': case ':': case '@': case '$':
		if (c == '?' || (lx->end - lx->p > 1 && ident_char((unsigned char)lx->p[1]))) {
			lex_param(lx, t);
			return;
		}
		t->type = T_OP;
		break;
	case '.':
		if (lx->end - lx->p > 1 && isdigit((unsigned char)lx->p[1]))
			goto number;
		t->type = T_DOT;
		break;
	default:
		if (isdigit(c))
			goto number;
		if (ident_char(c)) {
			t->type = T_IDENT;
			while (lx->p < lx->end && ident_char((unsigned char)*lx->p))
				lx->p++;
			t->n = (size_t)(lx->p - t->s);
			return;
		}
		t->type = T_OP;
		for (int i = 0; two_char_ops[i]; i++)
			if (lx->end - lx->p > 1 && memcmp(lx->p, two_char_ops[i], 2) == 0) {
				lx->p += 2;
				t->n = 2;
				return;
			}
	}
	lx->p++;
	t->n = 1;
	return;
number:
	t->type = T_NUMBER;
	while (lx->p < lx->end && (isalnum((unsigned char)*lx->p) || *lx->p == '.'))
		lx->p++;
	t->n = (size_t)(lx->p - t->s);
}

/* ---------------------------------------------------------------- rules */

typedef struct parse {
	tok *t;
	int n;             /* tokens; t[n] is T_END */
	dq_param_map *map;
	char **aliases;    /* alias i names map->tables[alias_of[i]] */
	int *alias_of;
	int naliases;
	int nomem;
} parse;

static int is_kw(const tok *t, const char *kw)
{
	return t->type == T_IDENT && !t->quoted && strlen(kw) == t->n &&
	       strncasecmp(t->s, kw, t->n) == 0;
}

static int is_any_kw(const tok *t, const char *const *kws)
{
	for (int i = 0; kws[i]; i++)
		if (is_kw(t, kws[i]))
			return 1;
	return 0;
}

/* Keywords that are never a column or a table alias. */
static const char *const reserved[] = {
	"SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "NULL", "IS", "IN", "LIKE",
	"GLOB", "REGEXP", "MATCH", "BETWEEN", "SET", "VALUES", "ON", "USING", "JOIN",
	"LEFT", "RIGHT", "FULL", "INNER", "OUTER", "CROSS", "NATURAL", "ORDER",
	"GROUP", "BY", "HAVING", "LIMIT", "OFFSET", "UNION", "EXCEPT", "INTERSECT",
	"ALL", "DISTINCT", "AS", "CASE", "WHEN", "THEN", "ELSE", "END", "EXISTS",
	"DEFAULT", "RETURNING", "WINDOW", "INDEXED", "DO", "UPDATE", "INSERT", "INTO",
	"DELETE", "REPLACE", "CONFLICT", "COLLATE", "ESCAPE", "TRUE", "FALSE",
	"CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "WITH", "RECURSIVE",
	"ISNULL", "NOTNULL", "CAST", NULL};

/* Keywords that end an operand on its left or right. */
static const char *const bounding[] = {
	"WHERE", "AND", "OR", "NOT", "ON", "SET", "WHEN", "THEN", "ELSE", "END",
	"HAVING", "SELECT", "DISTINCT", "ALL", "RETURNING", "DO", "ORDER", "GROUP",
	"LIMIT", "OFFSET", "FROM", "UNION", "EXCEPT", "INTERSECT", "WINDOW", "BY",
	NULL};

/* 1 when t[i] can start an operand: nothing operand-like before it. */
static int bounded_left(const parse *p, int i)
{
	const tok *b = i > 0 ? &p->t[i - 1] : NULL;
	return b == NULL || b->type == T_LPAREN || b->type == T_COMMA ||
	       is_any_kw(b, bounding);
}

/* 1 when an operand ends just before t[i]. */
static int bounded_right(const parse *p, int i)
{
	const tok *a = &p->t[i];
	return a->type == T_END || a->type == T_SEMI || a->type == T_RPAREN ||
	       a->type == T_COMMA || is_any_kw(a, bounding);
}

static int is_name(const tok *t)
{
	return t->type == T_IDENT && (t->quoted || !is_any_kw(t, reserved));
}

/* An identifier token's text, unquoted (a doubled quote becomes one). */
static char *ident_dup(parse *p, const tok *t)
{
	char *out = malloc(t->n + 1), *w = out;
	if (out == NULL) {
		p->nomem = 1;
		return NULL;
	}
	for (size_t i = 0; i < t->n; i++) {
		*w++ = t->s[i];
		if (t->quoted && i + 1 < t->n && t->s[i] == t->s[i + 1] &&
		    (t->s[i] == '"' || t->s[i] == '`'))
			i++;
	}
	*w = '\0';
	return out;
}

/* A column reference ending at t[last]: `col`, `t.col` or `s.t.col`.
 * Its first token's index, or -1; *qual is the qualifier token or NULL. */
static int ref_ending_at(const parse *p, int last, const tok **qual)
{
	*qual = NULL;
	if (last < 0 || !is_name(&p->t[last]))
		return -1;
	if (last >= 2 && p->t[last - 1].type == T_DOT && is_name(&p->t[last - 2])) {
		*qual = &p->t[last - 2];
		if (last >= 4 && p->t[last - 3].type == T_DOT && is_name(&p->t[last - 4]))
			return last - 4;
		return last - 2;
	}
	return last;
}

/* A column reference starting at t[first]: the index of its last token,
 * or -1. */
static int ref_starting_at(const parse *p, int first, const tok **qual)
{
	int last = first;
	*qual = NULL;
	if (!is_name(&p->t[first]))
		return -1;
	while (p->t[last + 1].type == T_DOT && is_name(&p->t[last + 2]))
		last += 2;
	if (last >= first + 2)
		*qual = &p->t[last - 2];
	return last;
}

/* Records the target of marker number no unless it has one already. */
static void set_target(parse *p, int no, int kind, const tok *qual, const tok *col,
		       int position)
{
	dq_param_target *tg;
	if (no < 1 || no > p->map->n || p->map->targets[no - 1].kind != DQ_TARGET_NONE)
		return;
	tg = &p->map->targets[no - 1];
	tg->kind = kind;
	tg->position = position;
	if (qual)
		tg->table = ident_dup(p, qual);
	if (col)
		tg->column = ident_dup(p, col);
}

static int is_compare(const tok *t)
{
	static const char *const ops[] = {"=", "==", "!=", "<>", "<", "<=", ">", ">=", NULL};
	if (t->type != T_OP)
		return 0;
	for (int i = 0; ops[i]; i++)
		if (strlen(ops[i]) == t->n && memcmp(t->s, ops[i], t->n) == 0)
			return 1;
	return 0;
}

/* The operator before t[i] (= .. >=, IS, IS NOT): its first token's
 * index, or -1. */
static int compare_before(const parse *p, int i)
{
	if (i >= 1 && (is_compare(&p->t[i - 1]) || is_kw(&p->t[i - 1], "IS")))
		return i - 1;
	if (i >= 2 && is_kw(&p->t[i - 1], "NOT") && is_kw(&p->t[i - 2], "IS"))
		return i - 2;
	return -1;
}

/* The operator after t[i]: the index of the token after it, or -1. */
static int compare_after(const parse *p, int i)
{
	if (is_compare(&p->t[i + 1]))
		return i + 2;
	if (is_kw(&p->t[i + 1], "IS"))
		return is_kw(&p->t[i + 2], "NOT") ? i + 3 : i + 2;
	return -1;
}

/* `col op ?` and `? op col`. */
static void rule_compare(parse *p, int i)
{
	const tok *qual;
	int op = compare_before(p, i), at;

	if (op >= 0 && bounded_right(p, i + 1) &&
	    (at = ref_ending_at(p, op - 1, &qual)) >= 0 && bounded_left(p, at)) {
		set_target(p, p->t[i].param, DQ_TARGET_COLUMN, qual, &p->t[op - 1], 0);
		return;
	}
	if (bounded_left(p, i) && (op = compare_after(p, i)) >= 0 &&
	    (at = ref_starting_at(p, op, &qual)) >= 0 && bounded_right(p, at + 1))
		set_target(p, p->t[i].param, DQ_TARGET_COLUMN, qual, &p->t[at], 0);
}

/* `col [NOT] BETWEEN ? AND ?` and `col [NOT] IN (?, ...)`, at the
 * keyword t[k]. */
static void rule_range(parse *p, int k)
{
	const tok *qual, *t = p->t;
	int last = k >= 1 && is_kw(&t[k - 1], "NOT") ? k - 2 : k - 1, at;

	if (last < 0 || (at = ref_ending_at(p, last, &qual)) < 0 || !bounded_left(p, at))
		return;
	if (is_kw(&t[k], "BETWEEN")) {
		if (t[k + 1].type == T_PARAM && is_kw(&t[k + 2], "AND"))
			set_target(p, t[k + 1].param, DQ_TARGET_COLUMN, qual, &t[last], 0);
		if (t[k + 1].type != T_END && t[k + 2].type != T_END &&
		    t[k + 3].type == T_PARAM && bounded_right(p, k + 4))
			set_target(p, t[k + 3].param, DQ_TARGET_COLUMN, qual, &t[last], 0);
		return;
	}
	if (t[k + 1].type != T_LPAREN)
		return;
	for (int i = k + 2; t[i].type == T_PARAM && (t[i + 1].type == T_COMMA ||
						      t[i + 1].type == T_RPAREN); i += 2) {
		set_target(p, t[i].param, DQ_TARGET_COLUMN, qual, &t[last], 0);
		if (t[i + 1].type == T_RPAREN)
			break;
	}
}

/* `LIMIT ?`, `OFFSET ?`, `LIMIT ?, ?`. */
static void rule_count(parse *p, int i)
{
	const tok *t = p->t;
	if (!bounded_right(p, i + 1))
		return;
	if ((i >= 1 && (is_kw(&t[i - 1], "LIMIT") || is_kw(&t[i - 1], "OFFSET"))) ||
	    (i >= 3 && t[i - 1].type == T_COMMA && t[i - 2].type == T_PARAM &&
	     is_kw(&t[i - 3], "LIMIT")))
		set_target(p, t[i].param, DQ_TARGET_COUNT, NULL, NULL, 0);
}

/* Adds a table (and its alias) the statement names. -1 on ENOMEM. */
static int add_table(parse *p, const tok *name, const tok *alias)
{
	dq_param_map *m = p->map;
	char *s = ident_dup(p, name);
	int idx = -1;
	void *q;

	if (s == NULL)
		return -1;
	for (int i = 0; i < m->ntables && idx < 0; i++)
		if (strcasecmp(m->tables[i], s) == 0)
			idx = i;
	if (idx >= 0) {
		free(s);
	} else {
		if ((q = realloc(m->tables, (size_t)(m->ntables + 1) * sizeof *m->tables)) == NULL) {
			free(s);
			return -1;
		}
		m->tables = q;
		m->tables[idx = m->ntables++] = s;
	}
	if (alias == NULL)
		return 0;
	if ((q = realloc(p->aliases, (size_t)(p->naliases + 1) * sizeof *p->aliases)) == NULL)
		return -1;
	p->aliases = q;
	if ((q = realloc(p->alias_of, (size_t)(p->naliases + 1) * sizeof *p->alias_of)) == NULL)
		return -1;
	p->alias_of = q;
	if ((p->aliases[p->naliases] = ident_dup(p, alias)) == NULL)
		return -1;
	p->alias_of[p->naliases++] = idx;
	return 0;
}

/* After INTO / UPDATE [OR x] / FROM / JOIN at t[k]: the table named there,
 * and its alias. The index after them. */
static int rule_table(parse *p, int k)
{
	const tok *t = p->t, *name, *alias = NULL;
	int j = k + 1;

	if (is_kw(&t[k], "UPDATE") && is_kw(&t[j], "OR") && t[j + 1].type != T_END)
		j += 2;
	if (!is_name(&t[j]))
		return k + 1;
	name = &t[j];
	while (t[j + 1].type == T_DOT && is_name(&t[j + 2])) {
		j += 2;
		name = &t[j];
	}
	j++;
	if (is_kw(&t[j], "AS"))
		j++;
	if (is_name(&t[j]))
		alias = &t[j++];
	if (add_table(p, name, alias) != 0)
		p->nomem = 1;
	return j;
}

/* INSERT / REPLACE ... INTO table [(cols)] VALUES (...), ... at t[k]. */
static void rule_insert(parse *p, int k)
{
	const tok *t = p->t, *cols[256], *tname;
	int ncols = 0, j = k + 1;

	while (t[j].type != T_END && !is_kw(&t[j], "INTO"))
		j++;
	if (t[j].type == T_END || !is_name(&t[j + 1]))
		return;
	j++;
	while (t[j + 1].type == T_DOT && is_name(&t[j + 2]))
		j += 2;
	tname = &t[j++];
	if (is_kw(&t[j], "AS") && t[j + 1].type != T_END)
		j += 2;
	if (t[j].type == T_LPAREN) {
		for (j++; is_name(&t[j]) && ncols < 256; j += 2) {
			cols[ncols++] = &t[j];
			if (t[j + 1].type != T_COMMA) {
				j++;
				break;
			}
		}
		if (t[j].type != T_RPAREN)
			return;
		j++;
	}
	if (!is_kw(&t[j], "VALUES"))
		return;
	j++;
	while (t[j].type == T_LPAREN) {
		int pos = 0, depth = 0;
		for (j++; t[j].type != T_END; j++) {
			if (depth == 0 && t[j].type == T_PARAM &&
			    (t[j - 1].type == T_LPAREN || t[j - 1].type == T_COMMA) &&
			    (t[j + 1].type == T_COMMA || t[j + 1].type == T_RPAREN)) {
				if (ncols == 0)
					set_target(p, t[j].param, DQ_TARGET_COLUMN, tname, NULL, pos);
				else if (pos < ncols)
					set_target(p, t[j].param, DQ_TARGET_COLUMN, tname, cols[pos], 0);
			}
			if (t[j].type == T_LPAREN)
				depth++;
			else if (t[j].type == T_RPAREN && depth-- == 0)
				break;
			else if (t[j].type == T_COMMA && depth == 0)
				pos++;
		}
		if (t[j].type != T_RPAREN || t[j + 1].type != T_COMMA)
			break;
		j += 2; /* past "),": the next row's "(" */
	}
}

/* A qualifier that is an alias becomes its table's name. */
static void resolve_aliases(parse *p)
{
	for (int i = 0; i < p->map->n; i++) {
		dq_param_target *tg = &p->map->targets[i];
		for (int a = 0; tg->table && a < p->naliases; a++)
			if (strcasecmp(tg->table, p->aliases[a]) == 0) {
				char *s = strdup(p->map->tables[p->alias_of[a]]);
				if (s == NULL) {
					p->nomem = 1;
					return;
				}
				free(tg->table);
				tg->table = s;
				break;
			}
	}
}

/* Tokens of the first statement into p->t (T_END-terminated). */
static int tokenize(parse *p, const char *sql, int *nparams)
{
	lexer lx = {sql, sql + strlen(sql), 0, NULL, 0, 0};
	int cap = 64, depth = 0;

	if ((p->t = malloc((size_t)cap * sizeof *p->t)) == NULL)
		return -1;
	for (;;) {
		tok *t = &p->t[p->n];
		lex(&lx, t);
		if (t->type == T_LPAREN)
			depth++;
		else if (t->type == T_RPAREN)
			depth -= depth > 0;
		if (t->type == T_END || (t->type == T_SEMI && depth == 0)) {
			t->type = T_END;
			break;
		}
		if (++p->n == cap) {
			tok *q = realloc(p->t, (size_t)(cap *= 2) * sizeof *q);
			if (q == NULL) {
				free(lx.names);
				return -1;
			}
			p->t = q;
		}
	}
	free(lx.names);
	*nparams = lx.max_param;
	return lx.nomem ? -1 : 0;
}

void dq_param_map_free(dq_param_map *m)
{
	for (int i = 0; i < m->n; i++) {
		free(m->targets[i].table);
		free(m->targets[i].column);
	}
	free(m->targets);
	for (int i = 0; i < m->ntables; i++)
		free(m->tables[i]);
	free(m->tables);
	memset(m, 0, sizeof *m);
}

static void parse_free(parse *p)
{
	for (int i = 0; i < p->naliases; i++)
		free(p->aliases[i]);
	free(p->aliases);
	free(p->alias_of);
	free(p->t);
}

int dq_param_map_parse(const char *sql, dq_param_map *out)
{
	parse p = {NULL, 0, out, NULL, NULL, 0, 0};
	int n = 0;

	memset(out, 0, sizeof *out);
	if (tokenize(&p, sql, &n) != 0 ||
	    (n > 0 && (out->targets = calloc((size_t)n, sizeof *out->targets)) == NULL)) {
		parse_free(&p);
		return -1;
	}
	out->n = n;
	for (int i = 0; i < p.n; i++) {
		const tok *t = &p.t[i];
		if (is_kw(t, "INTO") || is_kw(t, "FROM") || is_kw(t, "JOIN") ||
		    is_kw(t, "UPDATE"))
			rule_table(&p, i);
		if (is_kw(t, "INSERT") || is_kw(t, "REPLACE"))
			rule_insert(&p, i);
		if (is_kw(t, "BETWEEN") || is_kw(t, "IN"))
			rule_range(&p, i);
		if (t->type == T_PARAM) {
			rule_count(&p, i);
			rule_compare(&p, i);
		}
	}
	resolve_aliases(&p);
	parse_free(&p);
	if (p.nomem) {
		dq_param_map_free(out);
		return -1;
	}
	return 0;
}
