/*
 * connstr.c -- connection strings and DSN attributes (see connstr.h).
 *
 * Deliberately free of ODBC headers, so the fuzz harness can drive it alone.
 */
#include "connstr.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const dq_config_keywords[] = {
	"Server", "Port", "Database", "Timeout", "LoginTimeout",
	"BusyTimeout", "FailoverTimeout", "BeginMode",
	"MaxTotalRows", "MaxContinuationFrames", "StaticCursorMaxBytes",
	"TrustServerHeartbeat",
	"TLS", "TLSVerify", "TLSCAFile", "TLSCertFile", "TLSKeyFile",
	"TLSServerName",
	/* standard ODBC keys */
	"DSN", "Driver", "FileDSN", "SaveFile", "UID", "PWD", "Description",
	NULL,
};

static void errf(char *err, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void errf(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;
	if (err == NULL || cap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

/* --------------------------------------------------------------- kv list */

void dq_kvlist_free(dq_kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].key);
		free(l->items[i].value);
	}
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

const char *dq_kvlist_get(const dq_kvlist *l, const char *key)
{
	for (size_t i = l->n; i-- > 0;)
		if (strcasecmp(l->items[i].key, key) == 0)
			return l->items[i].value;
	return NULL;
}

static int kv_push(dq_kvlist *l, char *key, char *value)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		dq_kv *p = realloc(l->items, cap * sizeof *p);
		if (p == NULL)
			return -1;
		l->items = p;
		l->cap = cap;
	}
	l->items[l->n].key = key;
	l->items[l->n].value = value;
	l->n++;
	return 0;
}

static char *trimmed_dup(const char *s, size_t n)
{
	char *out;
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	out = malloc(n + 1);
	if (out) {
		memcpy(out, s, n);
		out[n] = '\0';
	}
	return out;
}

int dq_connstr_parse(const char *s, size_t len, dq_kvlist *out, char *err,
		     size_t errlen)
{
	size_t i = 0;

	memset(out, 0, sizeof *out);
	if (s == NULL)
		return 0;
	while (i < len) {
		size_t kstart = i, kend;
		char *key, *value;

		while (i < len && s[i] != '=' && s[i] != ';')
			i++;
		if (i >= len || s[i] == ';') {
			/* a segment without '=': only whitespace is allowed */
			for (size_t k = kstart; k < i; k++)
				if (!isspace((unsigned char)s[k])) {
					errf(err, errlen,
					     "expected keyword=value at offset %zu",
					     kstart);
					dq_kvlist_free(out);
					return -1;
				}
			i++;
			continue;
		}
		kend = i++;
		key = trimmed_dup(s + kstart, kend - kstart);
		if (key == NULL)
			goto nomem;
		if (*key == '\0') {
			errf(err, errlen, "empty keyword at offset %zu", kstart);
			free(key);
			dq_kvlist_free(out);
			return -1;
		}
		while (i < len && isspace((unsigned char)s[i]) && s[i] != ';')
			i++;
		if (i < len && s[i] == '{') {
			/* braced: up to the matching '}', with '}}' for '}' */
			size_t n = 0, vstart = ++i;
			int closed = 0;
			value = malloc(len - vstart + 1);
			if (value == NULL) {
				free(key);
				goto nomem;
			}
			while (i < len) {
				if (s[i] == '}') {
					if (i + 1 < len && s[i + 1] == '}') {
						value[n++] = '}';
						i += 2;
						continue;
					}
					closed = 1;
					i++;
					break;
				}
				value[n++] = s[i++];
			}
			value[n] = '\0';
			if (!closed) {
				errf(err, errlen,
				     "unterminated '{' in the value of keyword '%s' "
				     "at offset %zu",
				     key, vstart - 1);
				free(key);
				free(value);
				dq_kvlist_free(out);
				return -1;
			}
			while (i < len && isspace((unsigned char)s[i]))
				i++;
			if (i < len && s[i] != ';') {
				errf(err, errlen,
				     "unexpected text after '}' in the value of "
				     "keyword '%s' at offset %zu",
				     key, i);
				free(key);
				free(value);
				dq_kvlist_free(out);
				return -1;
			}
		} else {
			size_t vstart = i;
			while (i < len && s[i] != ';')
				i++;
			value = trimmed_dup(s + vstart, i - vstart);
			if (value == NULL) {
				free(key);
				goto nomem;
			}
		}
		if (i < len && s[i] == ';')
			i++;
		if (kv_push(out, key, value) != 0) {
			free(key);
			free(value);
			goto nomem;
		}
	}
	return 0;
nomem:
	errf(err, errlen, "out of memory");
	dq_kvlist_free(out);
	return -1;
}

/* ---------------------------------------------------------------- config */

void dq_config_init(dq_config *c)
{
	memset(c, 0, sizeof *c);
	c->port = 9001;
	c->timeout_s = DQ_DEFAULT_TIMEOUT_S;
	c->login_timeout_s = DQ_DEFAULT_LOGIN_TIMEOUT_S;
	c->busy_timeout_ms = DQ_DEFAULT_BUSY_TIMEOUT_MS;
	c->failover_timeout_ms = DQ_DEFAULT_FAILOVER_TIMEOUT_MS;
	c->begin_mode = DQ_BEGIN_DEFERRED;
	c->max_total_rows = 10000000;
	c->max_continuation_frames = 100000;
	c->static_cursor_max_bytes = DQ_DEFAULT_STATIC_CURSOR_MAX_BYTES;
	c->tls_verify = 1;
}

void dq_config_free(dq_config *c)
{
	char **strs[] = {&c->dsn, &c->driver, &c->filedsn, &c->savefile,
			 &c->uid, &c->pwd, &c->description, &c->server,
			 &c->database, &c->tls_ca_file, &c->tls_cert_file,
			 &c->tls_key_file, &c->tls_server_name};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
}

static int set_str(char **dst, const char *v)
{
	char *d = strdup(v);
	if (d == NULL)
		return -1;
	free(*dst);
	*dst = d;
	return 0;
}

static int parse_u64(const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long x;
	if (*v == '\0' || *v == '-' || *v == '+' || isspace((unsigned char)*v))
		return -1;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno || *end != '\0' || x < min || x > max)
		return -1;
	*out = x;
	return 0;
}

static int parse_bool(const char *v, int *out)
{
	static const char *yes[] = {"yes", "true", "1", "on", "y"};
	static const char *no[] = {"no", "false", "0", "off", "n"};
	for (size_t i = 0; i < 5; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(v, no[i]) == 0)
			return *out = 0, 0;
	}
	return -1;
}

static void known_list(char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; dq_config_keywords[i] && n + 1 < cap; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? ", " : "",
				      dq_config_keywords[i]);
}

typedef enum { K_STR, K_U64, K_BOOL, K_ENUM } ktype;

/* The values of BeginMode, in the order of enum dq_begin_mode. */
static const char *const begin_modes[] = {"deferred", "immediate", "exclusive", NULL};

typedef struct kdef {
	const char *name;
	ktype type;
	uint64_t min, max;
	size_t off; /* offset in dq_config */
	size_t width; /* for K_U64: 4 (unsigned) or 8 (uint64_t) */
} kdef;

#define OFF(f) offsetof(dq_config, f)
static const kdef kdefs[] = {
	{"Server", K_STR, 0, 0, OFF(server), 0},
	{"Port", K_U64, 1, 65535, OFF(port), sizeof(unsigned)},
	{"Database", K_STR, 0, 0, OFF(database), 0},
	{"Timeout", K_U64, 0, 86400, OFF(timeout_s), sizeof(unsigned)},
	{"LoginTimeout", K_U64, 1, 86400, OFF(login_timeout_s), sizeof(unsigned)},
	{"BusyTimeout", K_U64, 0, 86400000, OFF(busy_timeout_ms), sizeof(unsigned)},
	{"FailoverTimeout", K_U64, 0, 86400000, OFF(failover_timeout_ms),
	 sizeof(unsigned)},
	{"BeginMode", K_ENUM, 0, 0, OFF(begin_mode), sizeof(int)},
	{"MaxTotalRows", K_U64, 1, UINT64_MAX, OFF(max_total_rows), 8},
	{"MaxContinuationFrames", K_U64, 1, UINT64_MAX,
	 OFF(max_continuation_frames), 8},
	{"StaticCursorMaxBytes", K_U64, 1, UINT64_MAX,
	 OFF(static_cursor_max_bytes), 8},
	{"TrustServerHeartbeat", K_BOOL, 0, 0, OFF(trust_server_heartbeat), 0},
	{"TLS", K_BOOL, 0, 0, OFF(tls), 0},
	{"TLSVerify", K_BOOL, 0, 0, OFF(tls_verify), 0},
	{"TLSCAFile", K_STR, 0, 0, OFF(tls_ca_file), 0},
	{"TLSCertFile", K_STR, 0, 0, OFF(tls_cert_file), 0},
	{"TLSKeyFile", K_STR, 0, 0, OFF(tls_key_file), 0},
	{"TLSServerName", K_STR, 0, 0, OFF(tls_server_name), 0},
	{"DSN", K_STR, 0, 0, OFF(dsn), 0},
	{"Driver", K_STR, 0, 0, OFF(driver), 0},
	{"FileDSN", K_STR, 0, 0, OFF(filedsn), 0},
	{"SaveFile", K_STR, 0, 0, OFF(savefile), 0},
	{"UID", K_STR, 0, 0, OFF(uid), 0},
	{"PWD", K_STR, 0, 0, OFF(pwd), 0},
	{"Description", K_STR, 0, 0, OFF(description), 0},
};
#define N_KDEFS (sizeof kdefs / sizeof kdefs[0])

static const kdef *find_kdef(const char *key)
{
	for (size_t i = 0; i < N_KDEFS; i++)
		if (strcasecmp(kdefs[i].name, key) == 0)
			return &kdefs[i];
	return NULL;
}

int dq_config_apply(dq_config *c, const dq_kvlist *l, int source, char *err,
		    size_t errlen)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *key = l->items[i].key, *v = l->items[i].value;
		const kdef *k = find_kdef(key);
		char *base = (char *)c;
		uint64_t u;
		int b;

		if (k == NULL) {
			char known[512];
			if (source == DQ_CFG_FROM_DSN)
				continue; /* odbc.ini carries the DM's own keys */
			known_list(known, sizeof known);
			errf(err, errlen, "unknown keyword '%s'; known keywords: %s",
			     key, known);
			return -1;
		}
		switch (k->type) {
		case K_STR:
			if (set_str((char **)(void *)(base + k->off), v) != 0) {
				errf(err, errlen, "out of memory");
				return -1;
			}
			break;
		case K_U64:
			if (parse_u64(v, k->min, k->max, &u) != 0) {
				if (k->max == UINT64_MAX)
					errf(err, errlen,
					     "invalid value '%s' for keyword '%s': "
					     "expected an integer >= %llu",
					     v, k->name, (unsigned long long)k->min);
				else
					errf(err, errlen,
					     "invalid value '%s' for keyword '%s': "
					     "expected an integer from %llu to %llu",
					     v, k->name, (unsigned long long)k->min,
					     (unsigned long long)k->max);
				return -1;
			}
			if (k->width == 8)
				memcpy(base + k->off, &u, 8);
			else {
				unsigned x = (unsigned)u;
				memcpy(base + k->off, &x, sizeof x);
			}
			break;
		case K_ENUM:
			for (b = 0; begin_modes[b]; b++)
				if (strcasecmp(v, begin_modes[b]) == 0)
					break;
			if (begin_modes[b] == NULL) {
				errf(err, errlen,
				     "invalid value '%s' for keyword '%s': expected "
				     "deferred, immediate or exclusive", v, k->name);
				return -1;
			}
			memcpy(base + k->off, &b, sizeof b);
			break;
		case K_BOOL:
			if (parse_bool(v, &b) != 0) {
				errf(err, errlen,
				     "invalid value '%s' for keyword '%s': expected "
				     "yes/no, true/false, on/off or 1/0",
				     v, k->name);
				return -1;
			}
			memcpy(base + k->off, &b, sizeof b);
			break;
		}
	}
	return 0;
}

void dq_addresses_free(char **a, int n)
{
	if (a == NULL)
		return;
	for (int i = 0; i < n; i++)
		free(a[i]);
	free(a);
}

/* Does entry already carry a port? ("h:p", "[v6]:p"; a bare v6 has none) */
static int has_port(const char *e)
{
	const char *c;
	if (e[0] == '[')
		return strstr(e, "]:") != NULL;
	c = strrchr(e, ':');
	return c && strchr(e, ':') == c;
}

int dq_config_addresses(const dq_config *c, char ***out, char *err,
			size_t errlen)
{
	const char *s = c->server && *c->server ? c->server : "localhost";
	char **list = NULL;
	int n = 0;

	*out = NULL;
	while (1) {
		const char *end = strchr(s, ',');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		char *entry = trimmed_dup(s, len), *full, **grown;
		if (entry == NULL)
			goto nomem;
		if (*entry == '\0') {
			errf(err, errlen,
			     "invalid value '%s' for keyword 'Server': empty "
			     "address in the list",
			     c->server ? c->server : "");
			free(entry);
			dq_addresses_free(list, n);
			return -1;
		}
		if (has_port(entry)) {
			full = entry;
		} else {
			size_t need = strlen(entry) + 16;
			int v6 = strchr(entry, ':') != NULL && entry[0] != '[';
			full = malloc(need + 2);
			if (full == NULL) {
				free(entry);
				goto nomem;
			}
			if (v6)
				snprintf(full, need + 2, "[%s]:%u", entry, c->port);
			else
				snprintf(full, need + 2, "%s:%u", entry, c->port);
			free(entry);
		}
		grown = realloc(list, (size_t)(n + 1) * sizeof *list);
		if (grown == NULL) {
			free(full);
			goto nomem;
		}
		list = grown;
		list[n++] = full;
		if (!end)
			break;
		s = end + 1;
	}
	*out = list;
	return n;
nomem:
	errf(err, errlen, "out of memory");
	dq_addresses_free(list, n);
	return -1;
}

/* Appends key=value (braced when needed). */
static size_t put_kv(char *buf, size_t cap, size_t n, const char *k,
		     const char *v)
{
	size_t len = strlen(v);
	/* the parser trims unbraced values at both ends */
	int brace = strpbrk(v, ";{}") != NULL ||
		    (len && (isspace((unsigned char)v[0]) ||
			     isspace((unsigned char)v[len - 1])));
	n += (size_t)snprintf(n < cap ? buf + n : NULL, n < cap ? cap - n : 0,
			      "%s=%s", k, brace ? "{" : "");
	for (const char *p = v; *p; p++) {
		if (n + 1 < cap)
			buf[n] = *p;
		n++;
		if (brace && *p == '}') {
			if (n + 1 < cap)
				buf[n] = '}';
			n++;
		}
	}
	n += (size_t)snprintf(n < cap ? buf + n : NULL, n < cap ? cap - n : 0,
			      "%s;", brace ? "}" : "");
	if (cap)
		buf[n < cap ? n : cap - 1] = '\0';
	return n;
}

/* put_kv of a number, only when it differs from the default. */
static size_t put_num(char *buf, size_t cap, size_t n, const char *k,
		      unsigned long long v, unsigned long long dflt)
{
	char num[32];

	if (v == dflt)
		return n;
	snprintf(num, sizeof num, "%llu", v);
	return put_kv(buf, cap, n, k, num);
}

size_t dq_config_to_string(const dq_config *c, char *buf, size_t cap)
{
	dq_config d;
	size_t n = 0;

	dq_config_init(&d);
	if (cap)
		buf[0] = '\0';
	if (c->dsn)
		n = put_kv(buf, cap, n, "DSN", c->dsn);
	else if (c->driver)
		n = put_kv(buf, cap, n, "Driver", c->driver);
	if (c->server)
		n = put_kv(buf, cap, n, "Server", c->server);
	n = put_num(buf, cap, n, "Port", c->port, d.port);
	if (c->database)
		n = put_kv(buf, cap, n, "Database", c->database);
	n = put_num(buf, cap, n, "Timeout", c->timeout_s, d.timeout_s);
	n = put_num(buf, cap, n, "LoginTimeout", c->login_timeout_s, d.login_timeout_s);
	n = put_num(buf, cap, n, "BusyTimeout", c->busy_timeout_ms, d.busy_timeout_ms);
	n = put_num(buf, cap, n, "FailoverTimeout", c->failover_timeout_ms,
		    d.failover_timeout_ms);
	if (c->begin_mode != d.begin_mode)
		n = put_kv(buf, cap, n, "BeginMode", begin_modes[c->begin_mode]);
	n = put_num(buf, cap, n, "MaxTotalRows", c->max_total_rows, d.max_total_rows);
	n = put_num(buf, cap, n, "MaxContinuationFrames", c->max_continuation_frames,
		    d.max_continuation_frames);
	n = put_num(buf, cap, n, "StaticCursorMaxBytes", c->static_cursor_max_bytes,
		    d.static_cursor_max_bytes);
	if (c->trust_server_heartbeat)
		n = put_kv(buf, cap, n, "TrustServerHeartbeat", "yes");
	if (c->tls)
		n = put_kv(buf, cap, n, "TLS", "yes");
	if (!c->tls_verify)
		n = put_kv(buf, cap, n, "TLSVerify", "no");
	if (c->tls_ca_file)
		n = put_kv(buf, cap, n, "TLSCAFile", c->tls_ca_file);
	if (c->tls_cert_file)
		n = put_kv(buf, cap, n, "TLSCertFile", c->tls_cert_file);
	if (c->tls_key_file)
		n = put_kv(buf, cap, n, "TLSKeyFile", c->tls_key_file);
	if (c->tls_server_name)
		n = put_kv(buf, cap, n, "TLSServerName", c->tls_server_name);
	if (c->uid)
		n = put_kv(buf, cap, n, "UID", c->uid);
	if (c->pwd)
		n = put_kv(buf, cap, n, "PWD", c->pwd);
	return n;
}
