/*
 * internal.h -- the ODBC layer's handles and the contracts between its files.
 *
 * Layout of driver/ (one file per ODBC area; a newcomer finds any behaviour
 * by the file name):
 *   exports_*.c    thin SQLX / SQLXW entry points: validate the handle, lock,
 *                  clear diagnostics, convert W strings, call dq_* below
 *                  (exports_conn.c: env/dbc/diag/info/handles;
 *                   exports_stmt.c: statements, params, results, descs;
 *                   exports_catalog.c: catalog functions)
 *   env.c          environment handle and attributes
 *   connection.c   allocation, SQLConnect / SQLDriverConnect / SQLDisconnect,
 *                  DSN reading (odbcinst), connection attributes
 *   connstr.c      connection-string parsing and validation (connstr.h)
 *   transaction.c  implicit BEGIN, SQLEndTran, savepoint tracker, pool reset
 *   diag.c         diagnostic records, SQLSTATE table, SQLGetDiagRec/Field
 *   statement.c    statement handle, attributes, prepare / execute / direct
 *   params.c       SQLBindParameter, parameter conversion C -> dqlite value,
 *                  data at execution (SQLParamData / SQLPutData)
 *   results.c      result sets: fetch, SQLBindCol, SQLGetData, row counts,
 *                  SQLDescribeCol / SQLColAttribute
 *   convert.c      dqlite value -> C type conversions with SQLSTATEs
 *   descriptors.c  ARD/APD/IRD/IPD, SQLGet/SetDescField/Rec, SQLCopyDesc
 *   info.c         SQLGetInfo, SQLGetFunctions
 *   typeinfo.c     SQLGetTypeInfo and the type table
 *   decltype.c     declared column types (CREATE TABLE text) -> ODBC types
 *   result_schema.c  result-column types from the schema (plain SELECTs)
 *   memrows.c      in-memory result sets
 *   catalog.c      catalog machinery, SQLTables, procedures, privileges
 *                  (catalog.h); catalog_columns.c: SQLColumns,
 *                  SQLSpecialColumns; catalog_keys.c: SQLPrimaryKeys,
 *                  SQLForeignKeys, SQLStatistics
 *   unicode.c      UTF-8 <-> UTF-16 helpers (unicode.h)
 */
#ifndef DQ_INTERNAL_H
#define DQ_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

#include "connstr.h"
#include "dqlite_client.h"
#include "sql_classify.h"

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
} dq_handle;
#define DQ_MAGIC 0x64716f64u /* "dqod" */

/* Clears all records (done by every entry point before it runs). */
void dq_diag_clear(dq_diag *d);
void dq_diag_free(dq_diag *d);
/* Appends a record. sqlstate is a 5-char SQLSTATE; message printf-style; the
 * "[dqlite-odbc]" prefix is added. Never fails (drops the record on ENOMEM
 * but keeps the return code semantics). */
void dq_diag_push(dq_handle *h, const char *sqlstate, SQLINTEGER native,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void dq_diag_vpush(dq_handle *h, const char *sqlstate, SQLINTEGER native,
		   const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
/* Push + return SQL_ERROR / SQL_SUCCESS_WITH_INFO: the idiom is
 *   return dq_error(&stmt->h, "HY090", "invalid buffer length %d", n); */
SQLRETURN dq_error(dq_handle *h, const char *sqlstate, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
SQLRETURN dq_warn(dq_handle *h, const char *sqlstate, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Maps an engine failure (rc from dqc_*, details from dqc_errmsg /
 * dqc_server_code of conn) to a record with the right SQLSTATE and returns
 * SQL_ERROR. The mapping table lives in diag.c (docs/errors.md lists it):
 * ECONNECT 08001, EIO/ECLOSED 08S01, ETIMEDOUT HYT00 (HYT01 while
 * connecting), ECANCELED HY008, ENOTLEADER/ELEADERLOST 08S01 (with the
 * advice to retry the transaction), ELIMIT HY000 naming the keyword,
 * ESERVER by SQLite code: constraint 23000, syntax/parse 42000, no such
 * table/column 42S02/42S22, busy/locked HY000 "database is locked",
 * "cannot start a transaction within a transaction" 25000, ... */
SQLRETURN dq_engine_error(dq_handle *h, dqc_conn *conn, int rc);

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
	SQLINTEGER output_nts;
	pthread_mutex_t lock;
	int n_dbc;                 /* live connections (SQLFreeHandle -> HY010) */
} dq_env;

/* ------------------------------------------------------------ transactions */
#define DQ_MAX_TRACKED_SAVEPOINTS 64

typedef struct dq_tx {
	int open;          /* the driver sent BEGIN and no COMMIT/ROLLBACK since */
	int has_writes;    /* a write ran inside the open transaction */
	int untracked;     /* a savepoint name could not be tracked: from now on
	                      every reset pays one safety ROLLBACK */
	int n_savepoints;  /* tracked, innermost last */
	char savepoints[DQ_MAX_TRACKED_SAVEPOINTS][DQC_SQL_NAME_MAX + 1];
} dq_tx;

struct dq_stmt;

/* ------------------------------------------------------------ connection */
typedef struct dq_dbc {
	dq_handle h;
	dq_env *env;
	pthread_mutex_t lock;       /* held by every entry point on this dbc or
	                               its statements/descriptors */
	dqc_conn *conn;             /* NULL until connected */
	int connected;
	dq_config cfg;              /* effective configuration */
	dq_tx tx;
	char server_version[32];    /* SQLite version, "3.40.1" (SQLGetInfo) */
	char **addresses; int n_addresses; /* bootstrap list for dqc_connect */
	/* attributes */
	SQLUINTEGER login_timeout;      /* seconds, 0 = driver default */
	SQLUINTEGER connection_timeout; /* seconds, 0 = none */
	SQLUINTEGER access_mode;        /* SQL_MODE_READ_WRITE / READ_ONLY */
	SQLUINTEGER metadata_id;
	SQLUINTEGER async_enable;
	SQLULEN quiet_mode;
	SQLUINTEGER packet_size;
	int dead;                       /* link lost: SQL_ATTR_CONNECTION_DEAD */
	struct dq_stmt *stmts;          /* list of statements (for cleanup) */
	struct dq_desc *descs;          /* explicitly allocated descriptors */
	struct dq_schema *schema;       /* declared types of tables read in this
	                                   transaction (result_schema.c) */
} dq_dbc;

/* --------------------------------------------------------------- results */
/* Column metadata of a result set (feeds the IRD). */
typedef struct dq_colmeta {
	char *name;           /* malloc'd */
	SQLSMALLINT sql_type; /* concise SQL type (SQL_BIGINT, SQL_DOUBLE, ...) */
	SQLULEN column_size;
	SQLSMALLINT decimal_digits;
	SQLSMALLINT nullable; /* SQL_NULLABLE_UNKNOWN unless known */
	char *table_name;     /* malloc'd or NULL (plain-table queries) */
	char *base_column_name;
	char *type_name;      /* malloc'd declared type name, or NULL: the
	                         type table's name for sql_type */
	int declared_known;   /* type came from the schema, not a cell */
	int auto_unique;      /* INTEGER PRIMARY KEY (rowid alias) */
} dq_colmeta;

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
	SQLLEN row_number;      /* 1-based number of cur */
	int done;
} dq_result;

/* One statement's outcome in a multi-statement batch. */
typedef struct dq_batch_item {
	dqc_rows *rows;     /* result set, or NULL */
	SQLLEN row_count;
} dq_batch_item;

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
	int state;                /* enum dq_stmt_state */
	char *sql;                /* prepared / executed text (UTF-8) */
	dqc_sql_info info;        /* classification of sql's first statement */
	dqc_stmt prepared;        /* server statement, reused across executions */
	dq_result res;
	SQLLEN row_count;         /* SQLRowCount */
	/* descriptors: the implicit four, and the current ARD/APD */
	dq_desc ard_i, apd_i, ird, ipd;
	dq_desc *ard, *apd;
	/* SQLGetData state */
	SQLUSMALLINT gd_col;      /* column last read with SQLGetData, 0 none */
	size_t gd_offset;         /* bytes (or chars) already returned */
	/* attributes */
	SQLULEN max_rows, query_timeout, max_length, cursor_type, concurrency;
	SQLULEN keyset_size, noscan, retrieve_data, use_bookmarks, metadata_id;
	SQLULEN cursor_scrollable, cursor_sensitivity, async_enable;
	char cursor_name[64];
	/* a multi-statement text runs eagerly, in order; the result sets and
	 * row counts wait here for SQLMoreResults */
	struct dq_batch_item *batch;
	size_t batch_n, batch_pos;
	/* data at execution: one buffer per parameter, filled by SQLPutData */
	struct dq_dae *dae;
	int dae_n;
	int dae_param;            /* 1-based parameter SQLPutData feeds, 0 none */
	int dae_direct;           /* the pending execution is SQLExecDirect */
	struct dq_src *src;       /* declared types for the result being made
	                             (result_schema.c) */
	struct dq_parse *parse;   /* the last SQL text result_schema.c parsed */
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
/* Builds the values of parameter set `row` (0-based) for n parameters.
 * SQL_NEED_DATA when a data-at-execution parameter has no data yet. */
SQLRETURN dq_params_build(dq_stmt *s, SQLULEN row, dqc_value *vals,
			  unsigned n, dq_arena *a);
/* 1-based index of the next data-at-execution parameter still without
 * data, or 0. */
int dq_params_next_dae(dq_stmt *s);
SQLRETURN dq_put_data(dq_stmt *s, SQLPOINTER data, SQLLEN len);
void dq_params_reset_dae(dq_stmt *s);
SQLRETURN dq_describe_param(dq_stmt *s, SQLUSMALLINT num, SQLSMALLINT *type,
			    SQLULEN *size, SQLSMALLINT *digits,
			    SQLSMALLINT *nullable);

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
/* After an engine failure on dbc: a lost link or leadership means the
 * transaction is gone; the next call reconnects. */
void dq_dbc_engine_failed(dq_dbc *dbc, int rc);

/* info.c */
SQLRETURN dq_get_info(dq_dbc *dbc, SQLUSMALLINT type, SQLPOINTER value,
		      SQLSMALLINT buflen, SQLSMALLINT *outlen, int wide);
SQLRETURN dq_get_functions(dq_dbc *dbc, SQLUSMALLINT id, SQLUSMALLINT *supported);

/* connection.c */
SQLRETURN dq_dbc_alloc(dq_env *env, dq_dbc **out);
SQLRETURN dq_dbc_free(dq_dbc *dbc);
/* Engine conn usable? If the link is down, posts 08S01 and returns 0. */
int dq_dbc_check_link(dq_dbc *dbc, dq_handle *report_to);

/* transaction.c -- the driver owns BEGIN/COMMIT/ROLLBACK */
/* Before any statement: sends BEGIN if no transaction is open. */
SQLRETURN dq_tx_begin_if_needed(dq_dbc *dbc, dq_handle *report_to);
/* After a statement ran successfully: keep the tracker in step with raw
 * COMMIT / ROLLBACK / SAVEPOINT / RELEASE / ROLLBACK TO and note writes. */
void dq_tx_after_statement(dq_dbc *dbc, const dqc_sql_info *info);
SQLRETURN dq_tx_end(dq_dbc *dbc, SQLSMALLINT completion, dq_handle *report_to);
/* Pooled-connection reset: ROLLBACK if anything may be open. */
SQLRETURN dq_tx_reset(dq_dbc *dbc, dq_handle *report_to);

/* statement.c */
SQLRETURN dq_stmt_alloc(dq_dbc *dbc, dq_stmt **out);
SQLRETURN dq_stmt_free(dq_stmt *stmt);
/* Closes the cursor / memory result; keeps the prepared statement. */
void dq_stmt_close_result(dq_stmt *stmt);
/* Makes an in-memory result (catalog, type info) the statement's result.
 * Takes ownership of cols (ncols entries, malloc'd with malloc'd names) and
 * of mem. */
SQLRETURN dq_stmt_set_memresult(dq_stmt *stmt, dq_colmeta *cols,
				unsigned ncols, dq_memrows *mem);

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
SQLRETURN dq_result_from_rows(dq_stmt *s, dqc_rows *rows);
void dq_result_clear(dq_stmt *s);
SQLRETURN dq_fetch(dq_stmt *s);
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
SQLRETURN dq_more_results(dq_stmt *s);
SQLRETURN dq_close_cursor(dq_stmt *s);
/* typeinfo.c */
SQLRETURN dq_get_type_info(dq_stmt *s, SQLSMALLINT want);
/* Properties of an SQL type (any out pointer may be NULL). */
void dq_type_props(SQLSMALLINT sqltype, SQLULEN *size, SQLSMALLINT *digits,
		   SQLLEN *display, SQLLEN *octets, const char **name);
/* Frees n column descriptions (calloc'd, strings malloc'd or NULL) and
 * the array; NULL is a no-op. */
void dq_colmeta_free(dq_colmeta *cols, unsigned n);
/* Column metadata for a memory result: n (name, SQL type) pairs. */
dq_colmeta *dq_colmeta_make(const char *const *names, const SQLSMALLINT *sqltypes,
			    unsigned n);

/* decltype.c: a declared column type mapped to ODBC. */
typedef struct dq_decl {
	SQLSMALLINT sql_type; /* concise SQL type */
	SQLULEN size;         /* COLUMN_SIZE */
	SQLSMALLINT digits;   /* DECIMAL_DIGITS (meaningful for numeric and
	                         timestamp types) */
	SQLLEN display;       /* SQL_DESC_DISPLAY_SIZE */
	SQLLEN octets;        /* BUFFER_LENGTH / CHAR_OCTET_LENGTH */
	char name[48];        /* upper-case base name, "" when none declared */
} dq_decl;
void dq_decltype(const char *decl, dq_decl *out);

/* result_schema.c: result-column types from the schema for plain
 * single-table SELECTs. prefetch runs before the query is sent (reads and
 * caches the table's columns once per transaction); describe runs after
 * QUERY succeeded (maps result columns, kept in s->src); apply runs when
 * the result is made (first = the first row or NULL). forget drops the
 * cache (new transaction, DDL on this connection, disconnect). */
void dq_schema_prefetch(dq_stmt *s, const char *sql);
void dq_schema_describe(dq_stmt *s, const char *sql, dqc_rows *rows);
void dq_schema_apply(dq_stmt *s, dqc_rows *rows, const dqc_value *first);
void dq_schema_forget(dq_dbc *dbc);
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
 * it, locks its connection, clears its diagnostics. NULL when invalid. */
dq_stmt *dq_stmt_enter(SQLHSTMT h);

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

/* Handle validation used by exports.c. */
int dq_valid(const void *h, int type);

#endif /* DQ_INTERNAL_H */
