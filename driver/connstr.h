/*
 * connstr.h -- connection strings and DSN attributes -> a validated config.
 *
 * Syntax (ODBC): `key=value;key={va;lue};...`. Keywords are case-insensitive;
 * a braced value may hold ';' and '}}' stands for '}'. Whitespace around keys
 * and unbraced values is trimmed. A key repeated in one string: the LAST
 * occurrence wins (documented behaviour, not an error). Values from the
 * connection string override the DSN's (dq_config_apply called for the DSN
 * first, then for the string).
 *
 * Keywords (docs/connection-string.md lists them with defaults):
 *   Server     host | host:port | [v6]:port, or a comma-separated list of
 *              bootstrap addresses                     default "localhost"
 *   Port       1..65535, for Server entries without a port    default 9001
 *   Database   database name                               default "default"
 *   Timeout    seconds any one ODBC call may take; 0 = no limit
 *                                                       default 60
 *   LoginTimeout seconds to connect, > 0               default 15
 *   BusyTimeout  ms to wait for a busy database, 0 = none  default 5000
 *   FailoverTimeout ms to ride out a leader change, 0 = none default 15000
 *   BeginMode  deferred | immediate | exclusive        default deferred
 *   MaxTotalRows       rows one query may return      default 10000000
 *   MaxContinuationFrames  ROWS pages per query          default 100000
 *   StaticCursorMaxBytes   memory one static cursor may hold
 *                                                 default 268435456 (256 MiB)
 *   TrustServerHeartbeat   boolean                        default no
 *   TLS        boolean (yes/no/true/false/1/0/on/off)     default no
 *   TLSVerify  boolean                                    default yes
 *   TLSCAFile, TLSCertFile, TLSKeyFile, TLSServerName     default unset
 * Standard ODBC keys accepted and kept: DSN, Driver, FileDSN, SaveFile, UID,
 * PWD, Description.
 */
#ifndef DQ_CONNSTR_H
#define DQ_CONNSTR_H

#include <stddef.h>
#include <stdint.h>

typedef struct dq_kv {
	char *key;   /* as written (trimmed) */
	char *value; /* unbraced, '}}' unescaped */
} dq_kv;

typedef struct dq_kvlist {
	dq_kv *items;
	size_t n;
	size_t cap;
} dq_kvlist;

void dq_kvlist_free(dq_kvlist *l);
/* Last value for key (case-insensitive), or NULL. */
const char *dq_kvlist_get(const dq_kvlist *l, const char *key);

/* Parses s[0..len) (len may be strlen(s)). Returns 0, or -1 with a message
 * in err (e.g. "unterminated '{' in value of key 'Server' at offset 17").
 * Empty segments (";;") are skipped. On error *out is left empty. */
int dq_connstr_parse(const char *s, size_t len, dq_kvlist *out, char *err,
		     size_t errlen);

typedef struct dq_config {
	char *dsn, *driver, *filedsn, *savefile, *uid, *pwd, *description;
	char *server;         /* as given (may be a list) */
	unsigned port;
	char *database;
	unsigned timeout_s;       /* 0: no limit (the application's choice) */
	unsigned login_timeout_s; /* >= 1 */
	unsigned busy_timeout_ms; /* 0: no waiting on a busy database */
	unsigned failover_timeout_ms; /* 0: no riding out a leader change */
	int begin_mode;           /* enum dq_begin_mode */
	uint64_t max_total_rows;
	uint64_t max_continuation_frames;
	uint64_t static_cursor_max_bytes; /* a static cursor's rows in memory */
	int trust_server_heartbeat;
	int tls, tls_verify;
	char *tls_ca_file, *tls_cert_file, *tls_key_file, *tls_server_name;
} dq_config;

/* The defaults of Timeout and LoginTimeout: no call waits forever unless
 * the application says Timeout=0 (docs/connection-string.md). */
#define DQ_DEFAULT_TIMEOUT_S 60u
#define DQ_DEFAULT_LOGIN_TIMEOUT_S 15u
/* As long as the upstream Python stack waits for a busy database. */
#define DQ_DEFAULT_BUSY_TIMEOUT_MS 5000u
/* A few times dqlite's default election time (a leader killed with -9 is
 * replaced in about 5 s with default timing). */
#define DQ_DEFAULT_FAILOVER_TIMEOUT_MS 15000u

/* A static cursor holds its whole result in memory: big enough for any
 * result a person scrolls through, small enough that a runaway query
 * fails cleanly instead of exhausting the process. */
#define DQ_DEFAULT_STATIC_CURSOR_MAX_BYTES (256ull * 1024 * 1024)

/* BeginMode: the implicit BEGIN's kind. */
enum dq_begin_mode { DQ_BEGIN_DEFERRED = 0, DQ_BEGIN_IMMEDIATE, DQ_BEGIN_EXCLUSIVE };

/* Fills defaults. */
void dq_config_init(dq_config *c);
void dq_config_free(dq_config *c);

enum { DQ_CFG_FROM_DSN = 0, DQ_CFG_FROM_STRING = 1 };

/* Applies every pair of l to c. Returns 0, or -1 with err set to a message a
 * person can act on:
 *  - unknown keyword from a connection string: "unknown keyword 'Sever';
 *    known keywords: Server, Port, ..." (from a DSN, unknown keys are
 *    ignored: odbc.ini sections carry the driver manager's own keys);
 *  - bad value: "invalid value 'abc' for keyword 'Port': expected an integer
 *    from 1 to 65535". */
int dq_config_apply(dq_config *c, const dq_kvlist *l, int source, char *err,
		    size_t errlen);

/* The bootstrap address list: Server split on ',', each entry given Port when
 * it has none. Returns the count (>= 1) and a malloc'd array of malloc'd
 * strings in *out (free with dq_addresses_free), or -1 with err set. */
int dq_config_addresses(const dq_config *c, char ***out, char *err,
			size_t errlen);
void dq_addresses_free(char **a, int n);

/* Writes a full connection string for c (every non-default keyword, DSN or
 * DRIVER first), as SQLDriverConnect's OutConnectionString. Returns the
 * length it needs (excluding NUL), truncating to cap-1 like snprintf. */
size_t dq_config_to_string(const dq_config *c, char *buf, size_t cap);

/* The keyword names, NULL-terminated, in documentation order. */
extern const char *const dq_config_keywords[];

#endif /* DQ_CONNSTR_H */
