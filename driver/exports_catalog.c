/*
 * exports_catalog.c -- ODBC entry points of the catalog functions. Thin:
 * validate, lock, clear diagnostics, turn each (name, length) argument into
 * UTF-8 (a null pointer stays NULL), call one function of catalog*.c.
 */
#include "internal.h"

#include <stdlib.h>

#include "unicode.h"

#define MAX_ARGS 6

/* The string arguments of one call, converted. */
typedef struct {
	char *v[MAX_ARGS];
	int n;
} cat_args;

static SQLRETURN leave(dq_stmt *s, cat_args *a, SQLRETURN rc)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	return dq_stmt_leave(s, rc);
}

/* A name length is SQL_NTS or >= 0 (HY090 otherwise). */
static int bad_len(SQLSMALLINT len)
{
	return len < 0 && len != SQL_NTS;
}

static SQLRETURN args_a(dq_stmt *s, cat_args *a, int n, const SQLCHAR *const *str,
			const SQLSMALLINT *len)
{
	a->n = 0;
	for (int i = 0; i < n; i++) {
		int ok;
		if (str[i] && bad_len(len[i]))
			return dq_error(&s->h, "HY090", "invalid string or buffer length %d",
					len[i]);
		a->v[a->n++] = dq_str_dup_n(str[i], len[i], &ok);
		if (ok != 1)
			return dq_input_error(&s->h, ok, "name argument");
	}
	return SQL_SUCCESS;
}

static SQLRETURN args_w(dq_stmt *s, cat_args *a, int n, const SQLWCHAR *const *str,
			const SQLSMALLINT *len)
{
	a->n = 0;
	for (int i = 0; i < n; i++) {
		int ok;
		if (str[i] && bad_len(len[i]))
			return dq_error(&s->h, "HY090", "invalid string or buffer length %d",
					len[i]);
		a->v[a->n++] = dq_utf16_to_utf8(str[i], len[i], &ok);
		if (ok != 1)
			return dq_input_error(&s->h, ok, "name argument");
	}
	return SQL_SUCCESS;
}

/* Opens an entry point: a pending asynchronous call answers (async.c);
 * else the argument list `a` and the locked statement. */
#define DQ_ENTER(h, fn)                                                        \
	DQ_ASYNC_GATE(h, fn);                                                  \
	cat_args a = {{0}, 0};                                                 \
	dq_stmt *s = dq_stmt_enter(h);                                         \
	if (s == NULL)                                                         \
		return SQL_INVALID_HANDLE

/* Each catalog function's body as a job (async.c): the converted names in
 * str, the integer arguments in n. */
#define S(i) (j->str[i])
static SQLRETURN run_tables(void *h, dq_job *j)
{
	return dq_tables(h, S(0), S(1), S(2), S(3));
}

static SQLRETURN run_columns(void *h, dq_job *j)
{
	return dq_columns(h, S(0), S(1), S(2), S(3));
}

static SQLRETURN run_primary_keys(void *h, dq_job *j)
{
	return dq_primary_keys(h, S(0), S(1), S(2));
}

static SQLRETURN run_foreign_keys(void *h, dq_job *j)
{
	return dq_foreign_keys(h, S(0), S(1), S(2), S(3), S(4), S(5));
}

static SQLRETURN run_statistics(void *h, dq_job *j)
{
	return dq_statistics(h, S(0), S(1), S(2), (SQLUSMALLINT)j->n[0],
			     (SQLUSMALLINT)j->n[1]);
}

static SQLRETURN run_special_columns(void *h, dq_job *j)
{
	return dq_special_columns(h, (SQLUSMALLINT)j->n[0], S(0), S(1), S(2),
				  (SQLUSMALLINT)j->n[1], (SQLUSMALLINT)j->n[2]);
}

static SQLRETURN run_procedures(void *h, dq_job *j)
{
	return dq_procedures(h, S(0), S(1), S(2));
}

static SQLRETURN run_procedure_columns(void *h, dq_job *j)
{
	return dq_procedure_columns(h, S(0), S(1), S(2), S(3));
}

static SQLRETURN run_table_privileges(void *h, dq_job *j)
{
	return dq_table_privileges(h, S(0), S(1), S(2));
}

static SQLRETURN run_column_privileges(void *h, dq_job *j)
{
	return dq_column_privileges(h, S(0), S(1), S(2), S(3));
}
#undef S

/* Runs the catalog function fn (its job `run`) with the converted names
 * and up to three integer arguments: now, or on a worker thread when
 * async is enabled on s. */
static SQLRETURN call(dq_stmt *s, int fn, SQLRETURN (*run)(void *, dq_job *),
		      const cat_args *a, SQLLEN n0, SQLLEN n1, SQLLEN n2)
{
	dq_job j = {.run = run, .n = {n0, n1, n2}};
	for (int i = 0; i < a->n; i++)
		j.str[i] = a->v[i];
	return dq_async_stmt_call(s, fn, &j);
}

SQLRETURN SQL_API SQLTables(SQLHSTMT h, SQLCHAR *cat, SQLSMALLINT catlen,
			    SQLCHAR *schem, SQLSMALLINT schemlen,
			    SQLCHAR *table, SQLSMALLINT tablelen,
			    SQLCHAR *types, SQLSMALLINT typeslen)
{
	const SQLCHAR *const str[] = {cat, schem, table, types};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen, typeslen};
	DQ_ENTER(h, SQL_API_SQLTABLES);
	SQLRETURN rc = args_a(s, &a, 4, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLTABLES, run_tables, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLTablesW(SQLHSTMT h, SQLWCHAR *cat, SQLSMALLINT catlen,
			     SQLWCHAR *schem, SQLSMALLINT schemlen,
			     SQLWCHAR *table, SQLSMALLINT tablelen,
			     SQLWCHAR *types, SQLSMALLINT typeslen)
{
	const SQLWCHAR *const str[] = {cat, schem, table, types};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen, typeslen};
	DQ_ENTER(h, SQL_API_SQLTABLES);
	SQLRETURN rc = args_w(s, &a, 4, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLTABLES, run_tables, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLColumns(SQLHSTMT h, SQLCHAR *cat, SQLSMALLINT catlen,
			     SQLCHAR *schem, SQLSMALLINT schemlen,
			     SQLCHAR *table, SQLSMALLINT tablelen,
			     SQLCHAR *column, SQLSMALLINT columnlen)
{
	const SQLCHAR *const str[] = {cat, schem, table, column};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen, columnlen};
	DQ_ENTER(h, SQL_API_SQLCOLUMNS);
	SQLRETURN rc = args_a(s, &a, 4, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLCOLUMNS, run_columns, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLColumnsW(SQLHSTMT h, SQLWCHAR *cat, SQLSMALLINT catlen,
			      SQLWCHAR *schem, SQLSMALLINT schemlen,
			      SQLWCHAR *table, SQLSMALLINT tablelen,
			      SQLWCHAR *column, SQLSMALLINT columnlen)
{
	const SQLWCHAR *const str[] = {cat, schem, table, column};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen, columnlen};
	DQ_ENTER(h, SQL_API_SQLCOLUMNS);
	SQLRETURN rc = args_w(s, &a, 4, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLCOLUMNS, run_columns, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLPrimaryKeys(SQLHSTMT h, SQLCHAR *cat, SQLSMALLINT catlen,
				 SQLCHAR *schem, SQLSMALLINT schemlen,
				 SQLCHAR *table, SQLSMALLINT tablelen)
{
	const SQLCHAR *const str[] = {cat, schem, table};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen};
	DQ_ENTER(h, SQL_API_SQLPRIMARYKEYS);
	SQLRETURN rc = args_a(s, &a, 3, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLPRIMARYKEYS, run_primary_keys, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLPrimaryKeysW(SQLHSTMT h, SQLWCHAR *cat, SQLSMALLINT catlen,
				  SQLWCHAR *schem, SQLSMALLINT schemlen,
				  SQLWCHAR *table, SQLSMALLINT tablelen)
{
	const SQLWCHAR *const str[] = {cat, schem, table};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen};
	DQ_ENTER(h, SQL_API_SQLPRIMARYKEYS);
	SQLRETURN rc = args_w(s, &a, 3, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLPRIMARYKEYS, run_primary_keys, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLForeignKeys(SQLHSTMT h, SQLCHAR *pkcat, SQLSMALLINT pkcatlen,
				 SQLCHAR *pkschem, SQLSMALLINT pkschemlen,
				 SQLCHAR *pktable, SQLSMALLINT pktablelen,
				 SQLCHAR *fkcat, SQLSMALLINT fkcatlen,
				 SQLCHAR *fkschem, SQLSMALLINT fkschemlen,
				 SQLCHAR *fktable, SQLSMALLINT fktablelen)
{
	const SQLCHAR *const str[] = {pkcat, pkschem, pktable, fkcat, fkschem, fktable};
	const SQLSMALLINT len[] = {pkcatlen, pkschemlen, pktablelen,
				   fkcatlen, fkschemlen, fktablelen};
	DQ_ENTER(h, SQL_API_SQLFOREIGNKEYS);
	SQLRETURN rc = args_a(s, &a, 6, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLFOREIGNKEYS, run_foreign_keys, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLForeignKeysW(SQLHSTMT h, SQLWCHAR *pkcat, SQLSMALLINT pkcatlen,
				  SQLWCHAR *pkschem, SQLSMALLINT pkschemlen,
				  SQLWCHAR *pktable, SQLSMALLINT pktablelen,
				  SQLWCHAR *fkcat, SQLSMALLINT fkcatlen,
				  SQLWCHAR *fkschem, SQLSMALLINT fkschemlen,
				  SQLWCHAR *fktable, SQLSMALLINT fktablelen)
{
	const SQLWCHAR *const str[] = {pkcat, pkschem, pktable, fkcat, fkschem, fktable};
	const SQLSMALLINT len[] = {pkcatlen, pkschemlen, pktablelen,
				   fkcatlen, fkschemlen, fktablelen};
	DQ_ENTER(h, SQL_API_SQLFOREIGNKEYS);
	SQLRETURN rc = args_w(s, &a, 6, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLFOREIGNKEYS, run_foreign_keys, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLStatistics(SQLHSTMT h, SQLCHAR *cat, SQLSMALLINT catlen,
				SQLCHAR *schem, SQLSMALLINT schemlen,
				SQLCHAR *table, SQLSMALLINT tablelen,
				SQLUSMALLINT unique, SQLUSMALLINT reserved)
{
	const SQLCHAR *const str[] = {cat, schem, table};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen};
	DQ_ENTER(h, SQL_API_SQLSTATISTICS);
	SQLRETURN rc = args_a(s, &a, 3, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLSTATISTICS, run_statistics, &a, unique, reserved, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLStatisticsW(SQLHSTMT h, SQLWCHAR *cat, SQLSMALLINT catlen,
				 SQLWCHAR *schem, SQLSMALLINT schemlen,
				 SQLWCHAR *table, SQLSMALLINT tablelen,
				 SQLUSMALLINT unique, SQLUSMALLINT reserved)
{
	const SQLWCHAR *const str[] = {cat, schem, table};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen};
	DQ_ENTER(h, SQL_API_SQLSTATISTICS);
	SQLRETURN rc = args_w(s, &a, 3, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLSTATISTICS, run_statistics, &a, unique, reserved, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLSpecialColumns(SQLHSTMT h, SQLUSMALLINT id_type,
				    SQLCHAR *cat, SQLSMALLINT catlen,
				    SQLCHAR *schem, SQLSMALLINT schemlen,
				    SQLCHAR *table, SQLSMALLINT tablelen,
				    SQLUSMALLINT scope, SQLUSMALLINT nullable)
{
	const SQLCHAR *const str[] = {cat, schem, table};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen};
	DQ_ENTER(h, SQL_API_SQLSPECIALCOLUMNS);
	SQLRETURN rc = args_a(s, &a, 3, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLSPECIALCOLUMNS, run_special_columns, &a, id_type, scope, nullable);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLSpecialColumnsW(SQLHSTMT h, SQLUSMALLINT id_type,
				     SQLWCHAR *cat, SQLSMALLINT catlen,
				     SQLWCHAR *schem, SQLSMALLINT schemlen,
				     SQLWCHAR *table, SQLSMALLINT tablelen,
				     SQLUSMALLINT scope, SQLUSMALLINT nullable)
{
	const SQLWCHAR *const str[] = {cat, schem, table};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen};
	DQ_ENTER(h, SQL_API_SQLSPECIALCOLUMNS);
	SQLRETURN rc = args_w(s, &a, 3, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLSPECIALCOLUMNS, run_special_columns, &a, id_type, scope, nullable);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLProcedures(SQLHSTMT h, SQLCHAR *cat, SQLSMALLINT catlen,
				SQLCHAR *schem, SQLSMALLINT schemlen,
				SQLCHAR *proc, SQLSMALLINT proclen)
{
	const SQLCHAR *const str[] = {cat, schem, proc};
	const SQLSMALLINT len[] = {catlen, schemlen, proclen};
	DQ_ENTER(h, SQL_API_SQLPROCEDURES);
	SQLRETURN rc = args_a(s, &a, 3, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLPROCEDURES, run_procedures, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLProceduresW(SQLHSTMT h, SQLWCHAR *cat, SQLSMALLINT catlen,
				 SQLWCHAR *schem, SQLSMALLINT schemlen,
				 SQLWCHAR *proc, SQLSMALLINT proclen)
{
	const SQLWCHAR *const str[] = {cat, schem, proc};
	const SQLSMALLINT len[] = {catlen, schemlen, proclen};
	DQ_ENTER(h, SQL_API_SQLPROCEDURES);
	SQLRETURN rc = args_w(s, &a, 3, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLPROCEDURES, run_procedures, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLProcedureColumns(SQLHSTMT h, SQLCHAR *cat, SQLSMALLINT catlen,
				      SQLCHAR *schem, SQLSMALLINT schemlen,
				      SQLCHAR *proc, SQLSMALLINT proclen,
				      SQLCHAR *column, SQLSMALLINT columnlen)
{
	const SQLCHAR *const str[] = {cat, schem, proc, column};
	const SQLSMALLINT len[] = {catlen, schemlen, proclen, columnlen};
	DQ_ENTER(h, SQL_API_SQLPROCEDURECOLUMNS);
	SQLRETURN rc = args_a(s, &a, 4, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLPROCEDURECOLUMNS, run_procedure_columns, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLProcedureColumnsW(SQLHSTMT h, SQLWCHAR *cat, SQLSMALLINT catlen,
				       SQLWCHAR *schem, SQLSMALLINT schemlen,
				       SQLWCHAR *proc, SQLSMALLINT proclen,
				       SQLWCHAR *column, SQLSMALLINT columnlen)
{
	const SQLWCHAR *const str[] = {cat, schem, proc, column};
	const SQLSMALLINT len[] = {catlen, schemlen, proclen, columnlen};
	DQ_ENTER(h, SQL_API_SQLPROCEDURECOLUMNS);
	SQLRETURN rc = args_w(s, &a, 4, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLPROCEDURECOLUMNS, run_procedure_columns, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLTablePrivileges(SQLHSTMT h, SQLCHAR *cat, SQLSMALLINT catlen,
				     SQLCHAR *schem, SQLSMALLINT schemlen,
				     SQLCHAR *table, SQLSMALLINT tablelen)
{
	const SQLCHAR *const str[] = {cat, schem, table};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen};
	DQ_ENTER(h, SQL_API_SQLTABLEPRIVILEGES);
	SQLRETURN rc = args_a(s, &a, 3, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLTABLEPRIVILEGES, run_table_privileges, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLTablePrivilegesW(SQLHSTMT h, SQLWCHAR *cat, SQLSMALLINT catlen,
				      SQLWCHAR *schem, SQLSMALLINT schemlen,
				      SQLWCHAR *table, SQLSMALLINT tablelen)
{
	const SQLWCHAR *const str[] = {cat, schem, table};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen};
	DQ_ENTER(h, SQL_API_SQLTABLEPRIVILEGES);
	SQLRETURN rc = args_w(s, &a, 3, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLTABLEPRIVILEGES, run_table_privileges, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLColumnPrivileges(SQLHSTMT h, SQLCHAR *cat, SQLSMALLINT catlen,
				      SQLCHAR *schem, SQLSMALLINT schemlen,
				      SQLCHAR *table, SQLSMALLINT tablelen,
				      SQLCHAR *column, SQLSMALLINT columnlen)
{
	const SQLCHAR *const str[] = {cat, schem, table, column};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen, columnlen};
	DQ_ENTER(h, SQL_API_SQLCOLUMNPRIVILEGES);
	SQLRETURN rc = args_a(s, &a, 4, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLCOLUMNPRIVILEGES, run_column_privileges, &a, 0, 0, 0);
	return leave(s, &a, rc);
}

SQLRETURN SQL_API SQLColumnPrivilegesW(SQLHSTMT h, SQLWCHAR *cat, SQLSMALLINT catlen,
				       SQLWCHAR *schem, SQLSMALLINT schemlen,
				       SQLWCHAR *table, SQLSMALLINT tablelen,
				       SQLWCHAR *column, SQLSMALLINT columnlen)
{
	const SQLWCHAR *const str[] = {cat, schem, table, column};
	const SQLSMALLINT len[] = {catlen, schemlen, tablelen, columnlen};
	DQ_ENTER(h, SQL_API_SQLCOLUMNPRIVILEGES);
	SQLRETURN rc = args_w(s, &a, 4, str, len);
	if (rc == SQL_SUCCESS)
		rc = call(s, SQL_API_SQLCOLUMNPRIVILEGES, run_column_privileges, &a, 0, 0, 0);
	return leave(s, &a, rc);
}
