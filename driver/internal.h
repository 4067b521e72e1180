/*
 * internal.h -- the ODBC layer's handles and the contracts between its files.
 *
 * driver/ in layers, each file using only the ones below it (the one
 * exception is the parent link: connection.c frees its statements, and
 * statements use their connection):
 *
 *   exports_conn.c    the SQLX / SQLXW entry points: validate the handle,
 *   exports_stmt.c    lock its connection, clear its diagnostics, bracket
 *   exports_catalog.c the call for the session (deadline, cancel), convert
 *                     W strings, call one function below
 *   ---------------------------------------------------------------------
 *   catalog.c (+ catalog.h), catalog_columns.c, catalog_keys.c
 *                     the catalog functions, as in-memory result sets
 *   typeinfo.c        SQLGetTypeInfo
 *   info.c            SQLGetInfo, SQLGetFunctions
 *   connection.c      connection handles: SQLConnect / SQLDriverConnect /
 *                     SQLDisconnect, DSN reading, attributes, SQLEndTran
 *   statement.c       statement handles: attributes, SQLPrepare /
 *                     SQLExecute / SQLExecDirect, batches, parameter arrays,
 *                     SQLCancel
 *   params.c          SQLBindParameter, a parameter set's values, data at
 *                     execution
 *   param_describe.c  SQLDescribeParam: markers described from the schema
 *   batch.c           an execution's outcomes in order: opening the
 *                     current result's cursor, SQLMoreResults
 *   cursor.c          block cursors: forward-only and static (in memory),
 *                     SQLFetchScroll orientations, SQLExtendedFetch,
 *                     SQLSetPos, SQLGetData on the current row
 *   results.c         one result set: reading rows into bound columns,
 *                     SQLDescribeCol / SQLColAttribute, row counts,
 *                     closing cursors
 *   result_schema.c   a result's column names and types (first row, or the
 *                     schema for plain SELECTs)
 *   describe.c        a prepared statement described before it runs
 *   descriptors.c     ARD / APD / IRD / IPD, SQLGet/SetDescField/Rec
 *   stmt_state.c      the one place a statement's state changes
 *   ---------------------------------------------------------------------
 *   session.c (session.h)   the session layer: the engine connection, the
 *                     link check, the failure policy, the transaction, the
 *                     schema cache, the call in progress
 *   tx_tracker.c (.h)       what the server's transaction holds (pure)
 *   schema_cache.c (.h)     declared columns of tables read (one query each)
 *   ---------------------------------------------------------------------
 *   diag.c            diagnostic records, engine failure -> SQLSTATE,
 *                     SQLGetDiagRec / SQLGetDiagField
 *   env.c             the environment handle
 *   types.c (types.h) the type table, declared types, column metadata
 *   select_parse.c (.h) plain single-table SELECT recognition, the no-rows
 *                     form of a SELECT (pure)
 *   param_parse.c (.h) what each parameter marker stands for (pure)
 *   convert.c (.h)    dqlite value -> C type conversions (pure)
 *   param_convert.c (.h) parameter C value -> SQL type -> dqlite value (pure)
 *   memrows.c         in-memory result sets, their bytes counted (pure)
 *   escape.c (.h)     ODBC escape clauses -> SQLite SQL (pure)
 *   connstr.c (.h)    connection strings and DSN keywords (pure)
 *   unicode.c (.h)    UTF-8 <-> UTF-16 (pure)
 *
 * Below all of it, the engine (src/dqlite_client.h, src/sql_classify.h).
 */
#ifndef DQ_INTERNAL_H
#define DQ_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

#include "odbc_compat.h"

#include "connstr.h"
#include "convert.h"
#include "dqlite_client.h"
#include "session.h"
#include "sql_classify.h"
#include "types.h"

/* ------------------------------------------------------------ diagnostics */
typedef struct dq_diag_rec {
	char sqlstate[6];
	SQLINTEGER native;   /* the server's FAILURE code, or 0 */
	char *message;       /* full text incl. the "[dqlite-odbc]" prefix */
	SQLLEN row_number;   /* SQL_NO_ROW_NUMBER unless an array row */
	SQLINTEGER column_number; /* SQL_NO_COLUMN_NUMBER unless known */
} dq_diag_rec;

typedef struct dq_diag {
	dq_diag_rec *recs;
	int n, cap;
	int oom;              /* a record could not be stored: a stand-in HY001
	                         record follows the stored ones */
	SQLRETURN rc;         /* SQL_DIAG_RETURNCODE of the last call */
	SQLLEN cursor_row_count; /* SQL_DIAG_CURSOR_ROW_COUNT */
	const char *dynamic_function;  /* SQL_DIAG_DYNAMIC_FUNCTION ("" if none) */
	SQLINTEGER dynamic_function_code;
} dq_diag;

enum dq_htype { DQ_HENV = 1, DQ_HDBC, DQ_HSTMT, DQ_HDESC };

/* Every handle begins with this header (validated on entry by magic). */
typedef struct dq_handle {
	uint32_t magic; /* DQ_MAGIC while alive; 0 after free */
	int type;       /* enum dq_htype */
	dq_diag diag;
	/* An asynchronous call on this handle is pending (async.c): its worker
	 * owns `diag` until the poll that returns its result. Meanwhile
	 * SQLGetDiagRec/Field read `busy_diag`, which only the application's
	 * thread writes (a refused call's HY010). */
	atomic_int busy;
	dq_diag busy_diag;
} dq_handle;
#define DQ_MAGIC 0x64716f64u /* "dqod" */

/* 1 when h is a live handle of the given type. */
static inline int dq_valid(const void *h, int type)
{
	const dq_handle *hd = h;
	return hd != NULL && hd->magic == DQ_MAGIC && hd->type == type;
}

/* Clears all records (done by every entry point before it runs). */
void dq_diag_clear(dq_diag *d);
void dq_diag_free(dq_diag *d);
/* Records on the handle, the stand-in for lost ones included. */
int dq_diag_count(const dq_diag *d);
/* Appends a record. sqlstate is a 5-char SQLSTATE; message printf-style;
 * the "[dqlite-odbc]" prefix is added. Returns the record, for its row and
 * column numbers, or NULL when memory ran out: then a stand-in HY001 record
 * ("a diagnostic record could not be stored") tells the application, so a
 * failure never reaches it without a record. */
dq_diag_rec *dq_diag_push(dq_handle *h, const char *sqlstate, SQLINTEGER native,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
dq_diag_rec *dq_diag_vpush(dq_handle *h, const char *sqlstate,
			   SQLINTEGER native, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
/* The diagnostics SQLGetDiagRec/Field show: busy_diag while an
 * asynchronous call on h is pending, else diag. */
static inline const dq_diag *dq_diag_shown(dq_handle *h)
{
	return atomic_load(&h->busy) ? &h->busy_diag : &h->diag;
}
/* Refuses a call on h while its asynchronous call is pending: HY010 on
 * busy_diag (the worker owns diag). Returns SQL_ERROR. */
SQLRETURN dq_busy_error(dq_handle *h, const char *what);
/* Push + return SQL_ERROR / SQL_SUCCESS_WITH_INFO: the idiom is
 *   return dq_error(&stmt->h, "HY090", "invalid buffer length %d", n); */
SQLRETURN dq_error(dq_handle *h, const char *sqlstate, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
SQLRETURN dq_warn(dq_handle *h, const char *sqlstate, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Reports a string argument that could not be taken (ok from
 * dq_str_dup_n / dq_utf16_to_utf8: 0 no memory, -1 a NUL inside, -2 bad
 * UTF-16): HY001, HY090 or 22018. `what` names the argument. */
SQLRETURN dq_input_error(dq_handle *h, int ok, const char *what);
/* Posts the record for an engine failure rc (DQC_E*, with the server's
 * FAILURE code and the engine's message) and returns SQL_ERROR. The
 * SQLSTATE table is here (docs/errors.md lists it): ECONNECT/ETLS 08001;
 * EIO/ECLOSED/EPROTO 08S01; ETIMEDOUT HYT00; ECANCELED HY008; ENOTLEADER
 * 08S01; ELEADERLOST 08007 (outcome unknown); ELIMIT HY000 naming the
 * keywords; ETOOWIDE 54000; EUNSUPPORTED HYC00; ESERVER by SQLite code
 * (constraint 23000, syntax 42000, no such table/column 42S02/42S22,
 * busy HY000, nested BEGIN 25000, ...). `consequence` (NULL: none) is a
 * sentence from the session on what the failure cost the connection. */
SQLRETURN dq_engine_diag(dq_handle *h, int rc, uint64_t code, const char *msg,
			 const char *consequence);

/* SQLGetDiagRec: record rec (1-based) of the handle; *msg points into the
 * record. SQL_SUCCESS, SQL_NO_DATA, SQL_ERROR or SQL_INVALID_HANDLE. */
SQLRETURN dq_get_diag_rec(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT rec,
			  char *state, SQLINTEGER *native, const char **msg);
/* SQLGetDiagField; wide != 0 writes strings as UTF-16 (buflen in bytes). */
SQLRETURN dq_get_diag_field(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT rec,
			    SQLSMALLINT field, SQLPOINTER value,
			    SQLSMALLINT buflen, SQLSMALLINT *outlen, int wide);

/* ------------------------------------------------------------ environment */
typedef struct dq_env {
	dq_handle h;
	SQLINTEGER odbc_version;   /* SQL_OV_ODBC3 / SQL_OV_ODBC2 / SQL_OV_ODBC3_80 */
	SQLINTEGER connection_pooling, cp_match;
	pthread_mutex_t lock;
	int n_dbc;                 /* live connections (SQLFreeHandle -> HY010) */
} dq_env;

struct dq_stmt;

/* ------------------------------------------------------ asynchronous calls */
/* One call's arguments, kept for the worker thread that runs it (async.c).
 * run is the synchronous body; str are UTF-8 copies owned by the job while
 * it is pending (borrowed when the call runs synchronously); p and n are
 * the application's buffers and integers, as given. */
typedef struct dq_job {
	SQLRETURN (*run)(void *handle, struct dq_job *j);
	const char *str[6];
	SQLPOINTER p[5];
	SQLLEN n[4];
} dq_job;

enum dq_async_state {
	DQ_ASYNC_IDLE = 0,
	DQ_ASYNC_RUNNING,   /* the worker thread runs (or waits for the lock) */
	DQ_ASYNC_DONE       /* finished; its result waits for the next poll */
};

/* A handle's asynchronous call: at most one pending per handle. */
typedef struct dq_async {
	pthread_mutex_t lock;  /* guards state, fn and rc between the
	                          application's thread and the worker */
	int state;             /* enum dq_async_state */
	int fn;                /* SQL_API_* of the pending call */
	SQLRETURN rc;          /* its return code, when DONE */
	atomic_int cancel;     /* SQLCancel / SQLCancelHandle asked */
	pthread_t thread;
	dq_job job;
} dq_async;

void dq_async_init(dq_async *a);
void dq_async_fini(dq_async *a);

/* ------------------------------------------------------------ connection */
enum dq_dbc_state {
	DQ_C_ALLOCATED = 0, /* C2: allocated, not connected */
	DQ_C_CONNECTED      /* C4-C6: connected (statements and the transaction
	                       are the session's and the statements' own) */
};

typedef struct dq_dbc {
	dq_handle h;
	dq_env *env;
	pthread_mutex_t lock;       /* held by every entry point on this dbc or
	                               its statements/descriptors */
	int state;                  /* enum dq_dbc_state: dq_dbc_set_state */
	dq_session sess;            /* the session layer (session.h) */
	dq_config cfg;              /* effective configuration */
	/* attributes */
	SQLUINTEGER login_timeout;      /* seconds, 0 = the LoginTimeout keyword */
	SQLUINTEGER connection_timeout; /* seconds, 0 = the Timeout keyword */
	SQLUINTEGER access_mode;        /* SQL_MODE_READ_WRITE / READ_ONLY */
	SQLUINTEGER metadata_id;
	SQLULEN quiet_mode;
	SQLUINTEGER packet_size;
	struct dq_stmt *stmts;          /* list of statements (for cleanup) */
	struct dq_desc *descs;          /* explicitly allocated descriptors */
	int pool_configured;            /* unixODBC pools this connection:
	                                   [ODBC] Pooling and the driver's
	                                   CPTimeout (pooling.c) */
	SQLULEN async_enable;           /* SQL_ATTR_ASYNC_ENABLE: new
	                                   statements' default */
	SQLULEN async_dbc_enable;       /* SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE */
	dq_async async;                 /* SQLEndTran / SQLDisconnect pending */
	atomic_int async_stmts;         /* statements with a call pending */
} dq_dbc;

/* The seconds a call on the connection may take (0: no limit):
 * SQL_ATTR_CONNECTION_TIMEOUT, else the Timeout keyword. */
static inline unsigned dq_dbc_timeout(const dq_dbc *dbc)
{
	return dbc->connection_timeout ? dbc->connection_timeout
				       : dbc->cfg.timeout_s;
}

/* --------------------------------------------------------------- results */
/* An in-memory result set (catalog functions, SQLGetTypeInfo, buffered
 * results). Cells are deep copies owned by the object. */
typedef struct dq_memrows dq_memrows;
dq_memrows *dq_memrows_new(unsigned ncols);
/* Appends one row; copies text/blob. 0 or DQC_ENOMEM. */
int dq_memrows_add(dq_memrows *m, const dqc_value *cells);
size_t dq_memrows_count(const dq_memrows *m);
/* Row i's cells (i < count). */
const dqc_value *dq_memrows_row(const dq_memrows *m, size_t i);
void dq_memrows_free(dq_memrows *m);
/* Bytes the rows hold (cells, their text and blobs, the row index). */
size_t dq_memrows_bytes(const dq_memrows *m);

/* The statement's current result: either a server stream or memory rows. */
typedef struct dq_result {
	unsigned ncols;
	dq_colmeta *cols;
	dqc_rows *rows;         /* server stream, or NULL */
	dq_memrows *mem;        /* memory rows, or NULL */
	size_t mem_pos;
	const dqc_value *cur;   /* current row, NULL before first / after last */
	const dqc_value *peek;  /* first row read ahead to type the columns */
	int peeked;
	SQLLEN row_number;      /* rows read from the stream so far */
	int done;
	/* the block cursor (cursor.c) */
	int scroll;             /* a static cursor: every row is in mem and
	                           any fetch orientation works */
	SQLLEN rowset_start;    /* number of the rowset's first row; 0 before
	                           the start (static: last row + 1 after the
	                           end) */
	SQLULEN rowset_rows;    /* rows in the current rowset (0: none) */
	SQLULEN rowset_size;    /* the rowset size of the fetch that made it */
	SQLULEN rowset_pos;     /* SQLSetPos: the rowset's row SQLGetData
	                           reads, 1-based (1 after every fetch) */
} dq_result;

/* One statement's outcome in a multi-statement batch. */
typedef struct dq_batch_item {
	dqc_rows *rows;     /* result set, or NULL */
	SQLLEN row_count;
} dq_batch_item;

/* A multi-statement text runs eagerly, in order; the result sets and row
 * counts wait here for SQLMoreResults (batch.c fills and takes them,
 * results.c drops them with the cursor). */
typedef struct dq_batch {
	dq_batch_item *items;
	size_t n, pos;
} dq_batch;

/* ---------------------------------------------------------- descriptors */
typedef struct dq_desc_rec {
	SQLSMALLINT type, concise_type, datetime_interval_code;
	SQLINTEGER datetime_interval_precision;
	SQLULEN length;
	SQLPOINTER data_ptr;
	SQLLEN *indicator_ptr;
	SQLLEN *octet_length_ptr;
	SQLLEN octet_length;
	SQLSMALLINT precision, scale, nullable, parameter_type, unnamed;
	SQLSMALLINT fixed_prec_scale, is_unsigned, searchable, case_sensitive;
	SQLSMALLINT updatable, auto_unique_value;
	SQLINTEGER display_size, num_prec_radix;
	char *name; /* malloc'd */
	/* IRD only (malloc'd or NULL): what SQLColAttribute reports */
	char *table_name, *base_column_name, *type_name;
} dq_desc_rec;

enum dq_desc_kind { DQ_ARD = 1, DQ_APD, DQ_IRD, DQ_IPD };

typedef struct dq_desc {
	dq_handle h;
	struct dq_dbc *dbc;
	struct dq_stmt *stmt;   /* owner for implicit descriptors */
	int kind;               /* enum dq_desc_kind (explicit ones act as ARD/APD) */
	int implicit;           /* SQL_DESC_ALLOC_AUTO */
	/* header */
	SQLULEN array_size;
	SQLUSMALLINT *array_status_ptr;
	SQLLEN *bind_offset_ptr;
	SQLINTEGER bind_type;
	SQLULEN *rows_processed_ptr;
	SQLSMALLINT count;
	dq_desc_rec *recs;      /* recs[0] is the bookmark record; 1..count */
	int cap;
	struct dq_desc *next;   /* in dbc->descs (explicit only) */
} dq_desc;

/* ------------------------------------------------------------- statement */
/* A prepared statement's result columns, learned before it ran
 * (describe.c). */
typedef struct dq_described {
	int done;          /* described since the text was prepared */
	int unknown;       /* it may return rows the driver cannot describe
	                      without running it (PRAGMA, EXPLAIN, RETURNING,
	                      several statements): 0 columns until then */
	dq_colmeta *cols;  /* ncols entries, or NULL */
	unsigned ncols;
	struct dq_param_descs *params; /* the markers described
	                                  (param_describe.c), or NULL */
} dq_described;

enum dq_stmt_state {
	DQ_S_ALLOCATED = 0, /* S1 */
	DQ_S_PREPARED,      /* S2/S3 */
	DQ_S_EXECUTED,      /* S4: no result set */
	DQ_S_CURSOR,        /* S5-S7: result set open */
	DQ_S_NEED_DATA      /* S8-S10: data at execution pending */
};

typedef struct dq_stmt {
	dq_handle h;
	dq_dbc *dbc;
	struct dq_stmt *next;     /* in dbc->stmts */
	int state;                /* enum dq_stmt_state: only dq_stmt_set_state
	                             writes it */
	atomic_int cancel_dae;    /* SQLCancel while data at execution was
	                             pending (applied by the next entry) */
	int cursor_canceled;      /* SQLCancel found the cursor idle: the driver
	                             manager counts it closed (stmt_state.c) */
	char *sql;                /* prepared / executed text (UTF-8) */
	int app_prepared;         /* sql came from SQLPrepare (idle state S3),
	                             not SQLExecDirect (S1) */
	dqc_sql_info info;        /* classification of sql's first statement */
	dqc_stmt prepared;        /* server statement, reused across executions */
	dq_result res;
	SQLLEN row_count;         /* SQLRowCount */
	/* descriptors: the implicit four, and the current ARD/APD */
	dq_desc ard_i, apd_i, ird, ipd;
	dq_desc *ard, *apd;
	/* SQLGetData state */
	SQLUSMALLINT gd_col;      /* column last read with SQLGetData, 0 none */
	dq_piece gd_piece;        /* where the column's pieces stand */
	/* attributes */
	SQLULEN max_rows, query_timeout, max_length, cursor_type, concurrency;
	SQLULEN keyset_size, noscan, retrieve_data, metadata_id;
	SQLULEN cursor_scrollable, cursor_sensitivity;
	SQLULEN rowset_size;      /* SQL_ROWSET_SIZE: SQLExtendedFetch's rowset
	                             (SQLFetch/SQLFetchScroll use the ARD's
	                             SQL_ATTR_ROW_ARRAY_SIZE) */
	char cursor_name[64];
	dq_batch batch;           /* batch.c */
	/* data at execution: one buffer per parameter, filled by SQLPutData */
	struct dq_dae *dae;
	int dae_n;                /* slots: parameters x sets (dae_row) */
	int dae_param;            /* 1-based parameter SQLPutData feeds, 0 none */
	SQLULEN dae_row;          /* the 0-based parameter set it belongs to */
	int dae_direct;           /* the pending execution is SQLExecDirect */
	struct dq_src *src;       /* declared types for the result being made
	                             (result_schema.c) */
	struct dq_parse *parse;   /* the last SQL text result_schema.c parsed */
	dq_described described;   /* describe.c */
	SQLULEN async_enable;     /* SQL_ATTR_ASYNC_ENABLE */
	dq_async async;           /* the call pending (async.c) */
} dq_stmt;

typedef struct dq_dae {
	char *buf;
	size_t len;
	int is_null;
	int given;
} dq_dae;

/* Scratch memory of one execution (converted parameter text). */
typedef struct dq_arena {
	void **blocks;
	size_t n, cap;
} dq_arena;
void *dq_arena_alloc(dq_arena *a, size_t n);
void dq_arena_free(dq_arena *a);

/* params.c */
SQLRETURN dq_bind_parameter(dq_stmt *s, SQLUSMALLINT num, SQLSMALLINT io,
			    SQLSMALLINT ctype, SQLSMALLINT sqltype,
			    SQLULEN colsize, SQLSMALLINT digits,
			    SQLPOINTER value, SQLLEN buflen, SQLLEN *ind);
/* Builds the values of parameter set `row` (0-based) for n parameters,
 * each converted to its SQL type (param_convert.h). SQL_SUCCESS_WITH_INFO
 * when a conversion warned (01S07, posted); SQL_NEED_DATA when a
 * data-at-execution parameter has no data yet; SQL_ERROR posted. */
SQLRETURN dq_params_build(dq_stmt *s, SQLULEN row, dqc_value *vals,
			  unsigned n, dq_arena *a);
/* 1-based index of the next data-at-execution parameter still without
 * data, or 0; *row is its 0-based parameter set (every set of a parameter
 * array without a result, in order). */
int dq_params_next_dae(dq_stmt *s, SQLULEN *row);
/* What SQLParamData hands back for parameter i of set `row`: the address
 * its value is bound at for that set (bind offset and binding type
 * applied), so an application with one record per row finds its own. */
void *dq_params_dae_token(dq_stmt *s, SQLULEN row, int i);
SQLRETURN dq_put_data(dq_stmt *s, SQLPOINTER data, SQLLEN len);
void dq_params_reset_dae(dq_stmt *s);
/* param_describe.c: SQLDescribeParam from the marker's target; and the
 * statement's marker map freed (NULL is a no-op). */
void dq_param_descs_free(struct dq_param_descs *d);
SQLRETURN dq_describe_param(dq_stmt *s, SQLUSMALLINT num, SQLSMALLINT *type,
			    SQLULEN *size, SQLSMALLINT *digits,
			    SQLSMALLINT *nullable);

/* async.c: asynchronous execution, polling (docs/statements.md,
 * "Asynchronous execution"). A call made on a handle with async enabled
 * runs its ordinary synchronous body on a worker thread of its own; the
 * entry point returns SQL_STILL_EXECUTING and each later call of the same
 * function polls it. */
/* Before anything else in an entry point (no lock held): when h has a
 * call pending, answers this call and returns 1 with *rc: SQL_STILL_EXECUTING
 * while it runs, its result once it finished (the handle is idle again),
 * HY010 for any other function (fn 0: a function that never runs
 * asynchronously). 0 when nothing is pending (or h is not a live handle):
 * the entry point goes on. */
int dq_async_poll(void *h, int fn, SQLRETURN *rc);
/* The first line of every statement and connection entry point. */
#define DQ_ASYNC_GATE(h, fn)                                                   \
	do {                                                                   \
		SQLRETURN dq_gate_rc_;                                         \
		if (dq_async_poll((h), (fn), &dq_gate_rc_))                    \
			return dq_gate_rc_;                                    \
	} while (0)
/* Runs j now (async off for s, or nothing worth a thread), or starts it on
 * a worker thread and returns SQL_STILL_EXECUTING. Called under the
 * connection's lock inside the entry point's bracket; j's strings are
 * copied when it goes to a thread. */
SQLRETURN dq_async_stmt_call(dq_stmt *s, int fn, dq_job *j);
/* The same for a connection function (SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE):
 * HY010 while a statement of dbc has a call pending. */
SQLRETURN dq_async_dbc_call(dq_dbc *dbc, int fn, dq_job *j);
/* SQLCancel / SQLCancelHandle on a handle with a call pending (any
 * thread, no lock): asks it to stop (HY008 from the poll unless it already
 * finished). 1 when a call was pending. */
int dq_async_cancel(void *h);
/* Before the pool resets or closes dbc (no lock held): the statement call
 * running on it now, an asynchronous one the application left pending, is
 * canceled, so taking the connection's lock does not wait for its end
 * (dq_async_drain then collects it). */
void dq_async_cancel_running(dq_dbc *dbc);
/* 1 when a statement of dbc has a call pending (disconnect refuses). */
int dq_async_stmts_pending(dq_dbc *dbc);
/* Before a handle with a pending call is freed (dbc->lock held by the
 * caller): cancels it and waits for its worker, dropping the lock while it
 * waits, so no thread outlives the handle. */
void dq_async_drain(dq_stmt *s);

/* ----------------------------------------------------- cross-file calls */
/* env.c */
SQLRETURN dq_env_alloc(dq_env **out);
SQLRETURN dq_env_free(dq_env *env);
SQLRETURN dq_env_set_attr(dq_env *env, SQLINTEGER attr, SQLPOINTER value);
SQLRETURN dq_env_get_attr(dq_env *env, SQLINTEGER attr, SQLPOINTER value,
			  SQLINTEGER buflen, SQLINTEGER *outlen);

/* connection.c */
/* SQLConnect: DSN (UTF-8) from odbc.ini, optional UID/PWD. */
SQLRETURN dq_connect_dsn(dq_dbc *dbc, const char *dsn, const char *uid,
			 const char *pwd);
/* SQLDriverConnect: the connection string; *out_string (malloc'd) is the
 * completed string for OutConnectionString. */
SQLRETURN dq_driver_connect(dq_dbc *dbc, const char *in, char **out_string);
SQLRETURN dq_disconnect(dq_dbc *dbc);
/* Connection attributes; string values are UTF-8 (the W wrappers convert). */
SQLRETURN dq_set_connect_attr(dq_dbc *dbc, SQLINTEGER attr, SQLPOINTER value,
			      SQLINTEGER len);
SQLRETURN dq_get_connect_attr(dq_dbc *dbc, SQLINTEGER attr, SQLPOINTER value,
			      SQLINTEGER buflen, SQLINTEGER *outlen, int wide);
/* SQLEndTran on one connection: closes every cursor of its statements
 * (SQL_CB_CLOSE: a streaming result is abandoned, never read into memory;
 * prepared statements stay), then commits or rolls back. */
SQLRETURN dq_end_tran(dq_dbc *dbc, SQLSMALLINT completion);

/* pooling.c: unixODBC's connection pool (see the top of pooling.c) */
/* 1 when unixODBC pools connections of the odbcinst.ini driver section
 * `driver`: [ODBC] Pooling is on and the section's CPTimeout > 0 (what the
 * driver manager itself reads). */
int dq_pool_configured(const char *driver);
/* SQL_ATTR_RESET_CONNECTION: frees the statements and descriptors, rolls
 * back an open transaction, resets the attributes. */
SQLRETURN dq_pool_reset(dq_dbc *dbc);
/* SQL_ATTR_CONNECTION_DEAD, and the pool's hand-over when the call has the
 * driver manager's shape (buflen SQL_IS_INTEGER, no outlen). */
SQLUINTEGER dq_pool_dead(dq_dbc *dbc, SQLINTEGER buflen, const SQLINTEGER *outlen);

/* info.c */
SQLRETURN dq_get_info(dq_dbc *dbc, SQLUSMALLINT type, SQLPOINTER value,
		      SQLSMALLINT buflen, SQLSMALLINT *outlen, int wide);
SQLRETURN dq_get_functions(dq_dbc *dbc, SQLUSMALLINT id, SQLUSMALLINT *supported);

/* connection.c (dq_dbc_alloc runs with env->lock held) */
SQLRETURN dq_dbc_alloc(dq_env *env, dq_dbc **out);
SQLRETURN dq_dbc_free(dq_dbc *dbc);

/* statement.c */
SQLRETURN dq_stmt_alloc(dq_dbc *dbc, dq_stmt **out);
SQLRETURN dq_stmt_free(dq_stmt *stmt);
/* The seconds a call on the statement may take (0: no limit):
 * SQL_ATTR_QUERY_TIMEOUT, else the connection's. */
static inline unsigned dq_stmt_timeout(const dq_stmt *s)
{
	return s->query_timeout ? (unsigned)s->query_timeout : dq_dbc_timeout(s->dbc);
}
/* Applies an SQLCancel that found data at execution pending (entry
 * points call it with the lock held). */
void dq_stmt_apply_cancel(dq_stmt *s);
/* What ends with a transaction or a link (dq_stmts_close_cursors). */
typedef enum {
	DQ_CLOSE_CURSORS,     /* a raw COMMIT / ROLLBACK: the cursors */
	DQ_CLOSE_TRANSACTION, /* SQLEndTran: also pending data at execution */
	DQ_CLOSE_LINK         /* SQLDisconnect: also the server statements */
} dq_close_scope;
/* SQL_CB_CLOSE: every statement of dbc but `except` (may be NULL) loses
 * its cursor (a streaming result is abandoned, never read into memory),
 * and what else `scope` says. */
void dq_stmts_close_cursors(dq_dbc *dbc, const dq_stmt *except, dq_close_scope scope);
/* Back to allocated (S1): no cursor, no data at execution pending, no
 * statement prepared on the server. Bindings and attributes stay. */
void dq_stmt_release(dq_stmt *s);

/* stmt_state.c: moves s to state `to`, asserting (debug builds) that the
 * ODBC state table allows it and that the statement's own fields agree. */
void dq_stmt_set_state(dq_stmt *s, int to);
/* The state a statement rests in without a result: prepared after
 * SQLPrepare, else allocated. */
int dq_stmt_idle_state(const dq_stmt *s);
/* connection.c: the same for a connection. */
void dq_dbc_set_state(dq_dbc *dbc, int to);

/* statement.c: the SQL text as sent: ODBC escape clauses translated
 * (escape.h) unless noscan. *out is malloc'd; failures are posted on h
 * (42000 malformed, HYC00 unsupported, HY001). */
SQLRETURN dq_escape_sql(dq_handle *h, const char *sql, int noscan, char **out);
/* statement.c: SQLPrepare / SQLExecute / SQLExecDirect and friends; sql is
 * UTF-8 (the W entry points convert). */
SQLRETURN dq_prepare(dq_stmt *s, const char *sql);
SQLRETURN dq_execute(dq_stmt *s);
SQLRETURN dq_exec_direct(dq_stmt *s, const char *sql);
SQLRETURN dq_num_params(dq_stmt *s, SQLSMALLINT *n);
SQLRETURN dq_param_data(dq_stmt *s, SQLPOINTER *token);
SQLRETURN dq_cancel(dq_stmt *s);
SQLRETURN dq_free_stmt(dq_stmt *s, SQLUSMALLINT option);
SQLRETURN dq_set_stmt_attr(dq_stmt *s, SQLINTEGER attr, SQLPOINTER value,
			   SQLINTEGER len);
SQLRETURN dq_get_stmt_attr(dq_stmt *s, SQLINTEGER attr, SQLPOINTER value,
			   SQLINTEGER buflen, SQLINTEGER *outlen);
/* results.c */
/* Makes rows the statement's current result (it takes rows), streaming;
 * dq_result_open also opens a static cursor on it. */
SQLRETURN dq_result_from_rows(dq_stmt *s, dqc_rows *rows);
/* Closes rows, abandoning a stream still due (INTERRUPT, discard); when
 * that cost the link the session learns it and a warning on s says what
 * it cost (SQL_SUCCESS_WITH_INFO). */
SQLRETURN dq_rows_discard(dq_stmt *s, dqc_rows *rows);
/* Drops the current result (not the queued ones): the same return. */
SQLRETURN dq_result_clear(dq_stmt *s);
/* Makes an in-memory result (catalog, type info) the statement's result.
 * Takes ownership of cols (ncols entries, malloc'd with malloc'd names) and
 * of mem. */
SQLRETURN dq_result_from_memory(dq_stmt *s, dq_colmeta *cols, unsigned ncols,
				dq_memrows *mem);
/* Closes the cursor and drops queued batch results (a streaming result is
 * abandoned: INTERRUPT and discard, or the link goes); the statement rests
 * in its idle state. SQL_SUCCESS, or SQL_SUCCESS_WITH_INFO with a warning
 * when discarding cost the link (what that did to the transaction). */
SQLRETURN dq_results_close(dq_stmt *s);
/* The next row of a forward-only result into s->res.cur: 1, 0 at the end
 * (or SQL_ATTR_MAX_ROWS), or SQL_ERROR with the diagnostic posted. */
int dq_result_next(dq_stmt *s);
/* Converts cells (one row of the current result) into the bound columns
 * of rowset slot `slot` (0-based): SQL_SUCCESS, SQL_SUCCESS_WITH_INFO or
 * SQL_ERROR, each problem posted with its column number. */
SQLRETURN dq_bind_row(dq_stmt *s, const dqc_value *cells, SQLULEN slot);
/* cursor.c: block and scrollable cursors (docs/statements.md, "Cursors") */
/* A static cursor reads its whole result into memory when it is made, so
 * its rows never change: at most the StaticCursorMaxBytes keyword's bytes
 * (HY000 naming the keyword beyond), SQL_ATTR_MAX_ROWS rows. */
SQLRETURN dq_cursor_materialize(dq_stmt *s);
/* SQLFetch (SQL_FETCH_NEXT) and SQLFetchScroll: the rowset of
 * SQL_ATTR_ROW_ARRAY_SIZE rows the orientation names, into the bound
 * columns, the row status array and the rows fetched pointer. */
SQLRETURN dq_fetch_scroll(dq_stmt *s, SQLSMALLINT orientation, SQLLEN offset);
/* SQLExtendedFetch (ODBC 2): the same, with SQL_ROWSET_SIZE rows and its
 * own rows fetched and row status arguments. */
SQLRETURN dq_extended_fetch(dq_stmt *s, SQLUSMALLINT orientation, SQLLEN offset,
			    SQLULEN *fetched, SQLUSMALLINT *status);
/* SQLSetPos: SQL_POSITION on a row of a static cursor's rowset. */
SQLRETURN dq_set_pos(dq_stmt *s, SQLSETPOSIROW row, SQLUSMALLINT op,
		     SQLUSMALLINT lock);
/* The row SQLGetData reads (NULL: none), or a refusal posted on s:
 * 24000 no row, HY109 a forward-only rowset of more than one row. */
const dqc_value *dq_cursor_row(dq_stmt *s, SQLRETURN *refusal);
/* SQL_ATTR_ROW_NUMBER: the current row's number, 0 when there is none. */
SQLULEN dq_cursor_row_number(const dq_stmt *s);
/* SQLGetData on the row dq_cursor_row names, in pieces. */
SQLRETURN dq_get_data(dq_stmt *s, SQLUSMALLINT col, SQLSMALLINT ctype,
		      SQLPOINTER target, SQLLEN buflen, SQLLEN *ind);
SQLRETURN dq_num_result_cols(dq_stmt *s, SQLSMALLINT *n);
SQLRETURN dq_describe_col(dq_stmt *s, SQLUSMALLINT col, void *name,
			  SQLSMALLINT buflen, SQLSMALLINT *namelen,
			  SQLSMALLINT *type, SQLULEN *size, SQLSMALLINT *digits,
			  SQLSMALLINT *nullable, int wide);
SQLRETURN dq_col_attribute(dq_stmt *s, SQLUSMALLINT col, SQLUSMALLINT field,
			   SQLPOINTER cattr, SQLSMALLINT buflen,
			   SQLSMALLINT *outlen, SQLLEN *nattr, int wide);
SQLRETURN dq_row_count(dq_stmt *s, SQLLEN *n);
SQLRETURN dq_close_cursor(dq_stmt *s);
/* Before SQLPrepare, SQLExecute, SQLExecDirect and the catalog functions:
 * 24000 with a cursor open, unless an SQLCancel found it idle (then it
 * is closed now; results.c says why). */
SQLRETURN dq_stmt_no_cursor(dq_stmt *s);

/* batch.c: an execution's outcomes in order */
/* Makes rows the current result and opens its cursor: a static cursor
 * reads all of them into memory (dq_cursor_materialize) or fails. */
SQLRETURN dq_result_open(dq_stmt *s, dqc_rows *rows);
/* Queues one batch statement's outcome (rows, or a row count) for
 * SQLMoreResults; the first queued becomes current with dq_results_first. */
SQLRETURN dq_results_queue(dq_stmt *s, dqc_rows *rows, SQLLEN row_count);
SQLRETURN dq_results_first(dq_stmt *s);
SQLRETURN dq_more_results(dq_stmt *s);
/* typeinfo.c */
SQLRETURN dq_get_type_info(dq_stmt *s, SQLSMALLINT want);
/* describe.c: a prepared statement described before it runs. */
/* Fills s->described the first time (one QUERY of the statement changed
 * to return no rows, for a SELECT; none otherwise). SQL_SUCCESS, or the
 * failure posted (the statement stays prepared, undescribed). */
SQLRETURN dq_describe_prepared(dq_stmt *s);
/* Drops the description (the SQL text changes or goes). */
void dq_describe_forget(dq_stmt *s);
/* An execution's columns take the description's types when the counts
 * agree (names stay the server's): what the application bound from the
 * description stays true. 0, or -1 on ENOMEM. */
int dq_describe_pin(dq_stmt *s, dq_colmeta *cols, unsigned n);
/* result_schema.c: result-column types from the schema for plain
 * single-table SELECTs. prefetch runs before the query is sent (reads and
 * caches the table's columns once per transaction -- a statement outside
 * one is its own -- through the session;
 * 0 or the engine's failure code, posted by the caller like the
 * statement's own); describe runs after QUERY
 * succeeded (maps result columns, kept in s->src); apply runs when the
 * result's columns are made (first = the first row or NULL): into cols. */
int dq_schema_prefetch(dq_stmt *s, const char *sql);
void dq_schema_describe(dq_stmt *s, const char *sql, dqc_rows *rows);
/* The column metadata of rows' result: names from the server, types from
 * the row `first` (NULL: none, SQL_VARCHAR) or, for a plain SELECT, the
 * schema (dq_schema_apply, s->src). ncols entries; NULL on ENOMEM. */
dq_colmeta *dq_result_columns(dq_stmt *s, dqc_rows *rows, const dqc_value *first);
void dq_schema_apply(dq_stmt *s, dqc_rows *rows, const dqc_value *first,
		     dq_colmeta *cols, unsigned ncols);
/* Frees what result_schema.c keeps on a statement. */
void dq_schema_stmt_free(dq_stmt *s);

/* catalog*.c: the catalog functions. String arguments are UTF-8 and NULL
 * when the application passed a null pointer (which differs from ""). Each
 * makes an in-memory result set with exactly the columns the ODBC
 * reference lists, in its order. */
SQLRETURN dq_tables(dq_stmt *s, const char *cat, const char *schem,
		    const char *table, const char *types);
SQLRETURN dq_columns(dq_stmt *s, const char *cat, const char *schem,
		     const char *table, const char *column);
SQLRETURN dq_primary_keys(dq_stmt *s, const char *cat, const char *schem,
			  const char *table);
SQLRETURN dq_foreign_keys(dq_stmt *s, const char *pkcat, const char *pkschem,
			  const char *pktable, const char *fkcat,
			  const char *fkschem, const char *fktable);
SQLRETURN dq_statistics(dq_stmt *s, const char *cat, const char *schem,
			const char *table, SQLUSMALLINT unique,
			SQLUSMALLINT reserved);
SQLRETURN dq_special_columns(dq_stmt *s, SQLUSMALLINT id_type,
			     const char *cat, const char *schem,
			     const char *table, SQLUSMALLINT scope,
			     SQLUSMALLINT nullable);
SQLRETURN dq_procedures(dq_stmt *s, const char *cat, const char *schem,
			const char *proc);
SQLRETURN dq_procedure_columns(dq_stmt *s, const char *cat, const char *schem,
			       const char *proc, const char *column);
SQLRETURN dq_table_privileges(dq_stmt *s, const char *cat, const char *schem,
			      const char *table);
SQLRETURN dq_column_privileges(dq_stmt *s, const char *cat, const char *schem,
			       const char *table, const char *column);

/* descriptors.c */
void dq_desc_init(dq_desc *d, dq_dbc *dbc, dq_stmt *stmt, int kind, int implicit);
void dq_desc_free_recs(dq_desc *d);
/* Grows to at least n records (1-based), zero-filled defaults. 0 or -1. */
int dq_desc_ensure(dq_desc *d, SQLSMALLINT n);
void dq_desc_set_type(dq_desc_rec *r, SQLSMALLINT concise);
SQLRETURN dq_desc_get_field(dq_desc *d, SQLSMALLINT recno, SQLSMALLINT field,
			    SQLPOINTER value, SQLINTEGER buflen,
			    SQLINTEGER *outlen, int wide);
SQLRETURN dq_desc_set_field(dq_desc *d, SQLSMALLINT recno, SQLSMALLINT field,
			    SQLPOINTER value, SQLINTEGER len);
/* SQLSetDescRec: the type (with the interval code for SQL_DATETIME) and
 * the other fields of one record. */
SQLRETURN dq_desc_set_rec(dq_desc *d, SQLSMALLINT recno, SQLSMALLINT type,
			  SQLSMALLINT sub, SQLLEN len, SQLSMALLINT prec,
			  SQLSMALLINT scale, SQLPOINTER data, SQLLEN *strlen_ptr,
			  SQLLEN *ind);
SQLRETURN dq_desc_copy(dq_desc *src, dq_desc *dst);
/* Bytes of one value of a fixed-size C type; 0 for CHAR/WCHAR/BINARY. */
SQLLEN dq_ctype_size(SQLSMALLINT ctype);
/* Addresses of row `row` of a bound record (column- or row-wise binding,
 * bind offset applied). Any of them may come back NULL (not bound). */
void dq_desc_bound(const dq_desc *d, const dq_desc_rec *r, SQLULEN row,
		   char **data, SQLLEN **ind, SQLLEN **octlen);
/* Bound length/indicator words live in application memory laid out by the
 * application (pyodbc packs row-wise buffers): never assume alignment. */
static inline SQLLEN dq_load_len(const SQLLEN *p)
{
	SQLLEN v;
	memcpy(&v, p, sizeof v);
	return v;
}
static inline void dq_store_len(SQLLEN *p, SQLLEN v)
{
	memcpy(p, &v, sizeof v);
}
/* Explicit descriptors (SQLAllocHandle(SQL_HANDLE_DESC)). */
SQLRETURN dq_desc_alloc(dq_dbc *dbc, dq_desc **out);
SQLRETURN dq_desc_free(dq_desc *d);

/* exports_stmt.c: an entry point's start on a statement handle: validates
 * it, locks its connection, clears its diagnostics, applies a pending
 * cancel of data at execution and opens the session's call bracket. NULL
 * when invalid. dq_stmt_leave ends it and returns rc. */
dq_stmt *dq_stmt_enter(SQLHSTMT h);
SQLRETURN dq_stmt_leave(dq_stmt *s, SQLRETURN rc);

/* The datetime SQL type code an application expects in catalog result sets
 * (SQLColumns, SQLGetTypeInfo, SQLSpecialColumns DATA_TYPE): an ODBC 2
 * application (SQL_ATTR_ODBC_VERSION = SQL_OV_ODBC2) gets SQL_DATE /
 * SQL_TIME / SQL_TIMESTAMP (9/10/11), an ODBC 3 one the SQL_TYPE_* codes
 * (91/92/93). The driver manager maps SQLDescribeCol and SQLColAttributes
 * itself, but not the data of result sets, so the driver must. */
static inline SQLSMALLINT dq_app_sql_type(const dq_stmt *s, SQLSMALLINT t)
{
	if (s->dbc->env->odbc_version != SQL_OV_ODBC2)
		return t;
	switch (t) {
	case SQL_TYPE_DATE: return SQL_DATE;
	case SQL_TYPE_TIME: return SQL_TIME;
	case SQL_TYPE_TIMESTAMP: return SQL_TIMESTAMP;
	default: return t;
	}
}


#endif /* DQ_INTERNAL_H */
