/*
 * Descriptors through unixODBC's driver manager against a real node
 * (issue 11; tests/unit/test_descriptors.c checks descriptors.c alone):
 *   - the four implicit descriptors from SQLGetStmtAttr, their allocation
 *     type, the IRD refused before the statement is prepared (HY007);
 *   - binding through SQLSetDescField / SQLSetDescRec on the ARD and APD
 *     does what SQLBindCol / SQLBindParameter do, and those two are seen
 *     through SQLGetDescField; SQL_DESC_COUNT; declaring a type sets its
 *     defaults; setting SQL_DESC_DATA_PTR runs the consistency check
 *     (HY021), setting a type afterwards unbinds the record;
 *   - the IRD is read-only (HY016) and, after SQLPrepare and after
 *     SQLExecute, agrees field by field with SQLColAttribute and
 *     SQLDescribeCol; the IPD after SQLBindParameter, and SQLDescribeParam
 *     leaves it as bound;
 *   - an explicitly allocated ARD set as SQL_ATTR_APP_ROW_DESC takes
 *     SQLBindCol's bindings, feeds SQLFetch, and freeing it reverts the
 *     statement to its implicit ARD; another statement's implicit ARD is
 *     refused (HY017);
 *   - SQLCopyDesc IRD -> ARD and ARD -> ARD; SQLGetDescRec / SQLSetDescRec;
 *     SQL_DESC_BIND_OFFSET_PTR; row-wise binding by SQL_DESC_BIND_TYPE.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "odbc_util.h"
#include <sqlucode.h>

#define S(x) (SQLCHAR *)(x), SQL_NTS

static odbc_fixture fx;
static SQLHDBC dbc;
static SQLHSTMT st;

static void setup(void)
{
	odbc_fixture_up(&fx, "descriptors");
	dbc = fx.dbc;
	st = fx.st;
	exec_ok(dbc, "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL, "
		     "price DECIMAL(10,2), at TIMESTAMP, data BLOB, r REAL)");
	exec_ok(dbc, "INSERT INTO t VALUES (1, 'one', 1.5, '2024-02-29 10:20:30', X'01', 0.5)");
	exec_ok(dbc, "INSERT INTO t VALUES (2, 'two', 2.5, '2024-03-01 00:00:00', X'02', 1.5)");
	exec_ok(dbc, "INSERT INTO t VALUES (3, 'three', 3.5, NULL, NULL, NULL)");
	OKC(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), dbc);
}

static void teardown(void)
{
	odbc_fixture_down(&fx);
	cr_assert_eq(dqt_leak_check(), 0, "leaks (see the report above)");
}

TestSuite(descriptors, .init = setup, .fini = teardown, .timeout = 120);

static SQLHDESC desc_of(SQLHSTMT h, SQLINTEGER attr)
{
	SQLHDESC d = NULL;
	OKS(SQLGetStmtAttr(h, attr, &d, SQL_IS_POINTER, NULL), h);
	cr_assert_not_null(d);
	return d;
}

static const char *desc_state(SQLHDESC d)
{
	static char s5[6];
	SQLINTEGER native;
	SQLSMALLINT len;
	SQLCHAR msg[8];
	s5[0] = '\0';
	SQLGetDiagRec(SQL_HANDLE_DESC, d, 1, (SQLCHAR *)s5, &native, msg, sizeof msg, &len);
	return s5;
}

#define OKD(rc, d) OKH(rc, SQL_HANDLE_DESC, d)

static SQLLEN get_num(SQLHDESC d, SQLSMALLINT rec, SQLSMALLINT field)
{
	SQLLEN v = 0; /* wide enough for every numeric field */
	SQLINTEGER len;
	OKD(SQLGetDescField(d, rec, field, &v, sizeof v, &len), d);
	/* the field's own width: SQLSMALLINT, SQLINTEGER or SQLLEN */
	if (len == sizeof(SQLSMALLINT))
		return *(SQLSMALLINT *)&v;
	if (len == sizeof(SQLINTEGER))
		return *(SQLINTEGER *)&v;
	return v;
}

static SQLPOINTER get_ptr(SQLHDESC d, SQLSMALLINT rec, SQLSMALLINT field)
{
	SQLPOINTER p = (SQLPOINTER)1;
	OKD(SQLGetDescField(d, rec, field, &p, SQL_IS_POINTER, NULL), d);
	return p;
}

static void set_num(SQLHDESC d, SQLSMALLINT rec, SQLSMALLINT field, SQLLEN v)
{
	OKD(SQLSetDescField(d, rec, field, (SQLPOINTER)(intptr_t)v, 0), d);
}

static void set_ptr(SQLHDESC d, SQLSMALLINT rec, SQLSMALLINT field, SQLPOINTER p)
{
	OKD(SQLSetDescField(d, rec, field, p, SQL_IS_POINTER), d);
}

/* ------------------------------------------------ the implicit descriptors */

Test(descriptors, four_implicit_descriptors_from_the_statement)
{
	SQLINTEGER attrs[] = {SQL_ATTR_APP_ROW_DESC, SQL_ATTR_APP_PARAM_DESC,
			      SQL_ATTR_IMP_ROW_DESC, SQL_ATTR_IMP_PARAM_DESC};
	SQLHDESC d[4];
	SQLHSTMT other;
	SQLINTEGER v;

	for (int i = 0; i < 4; i++) {
		d[i] = desc_of(st, attrs[i]);
		for (int j = 0; j < i; j++)
			cr_assert_neq(d[i], d[j], "descriptors %d and %d are one", i, j);
		if (i != 2) /* the IRD: below */
			cr_assert_eq(get_num(d[i], 0, SQL_DESC_ALLOC_TYPE), SQL_DESC_ALLOC_AUTO);
	}
	/* another statement has its own four */
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &other);
	cr_assert_neq(desc_of(other, SQL_ATTR_APP_ROW_DESC), d[0]);
	SQLFreeHandle(SQL_HANDLE_STMT, other);
	/* the headers' defaults */
	cr_assert_eq(get_num(d[0], 0, SQL_DESC_COUNT), 0);
	cr_assert_eq(get_num(d[0], 0, SQL_DESC_ARRAY_SIZE), 1);
	cr_assert_eq(get_num(d[0], 0, SQL_DESC_BIND_TYPE), SQL_BIND_BY_COLUMN);
	cr_assert_null(get_ptr(d[0], 0, SQL_DESC_BIND_OFFSET_PTR));
	/* the IRD of a statement neither prepared nor executed holds nothing */
	cr_assert_eq(SQLGetDescField(d[2], 1, SQL_DESC_TYPE, &v, sizeof v, NULL), SQL_ERROR);
	cr_assert_str_eq(desc_state(d[2]), "HY007");
	/* (unixODBC answers for the IRD itself here, with the same HY007) */
	OKS(SQLPrepare(st, S("SELECT id FROM t")), st);
	cr_assert_eq(get_num(d[2], 0, SQL_DESC_ALLOC_TYPE), SQL_DESC_ALLOC_AUTO);
	cr_assert_eq(get_num(d[2], 0, SQL_DESC_COUNT), 1, "described on demand");
	/* an implicit descriptor cannot be freed */
	cr_assert_eq(SQLFreeHandle(SQL_HANDLE_DESC, d[0]), SQL_ERROR);
}

/* ---------------------------------------------------------- ARD and APD */

Test(descriptors, binding_through_ard_fields_equals_sqlbindcol)
{
	SQLHDESC ard = desc_of(st, SQL_ATTR_APP_ROW_DESC);
	SQLINTEGER by_field = 0, by_bind = 0;
	SQLLEN ind_field = 0, ind_bind = 0;
	char name[32];
	SQLLEN name_ind;

	/* column 1 through the descriptor, in SQLSetDescField's order: type,
	 * then attributes, then the pointers */
	set_num(ard, 1, SQL_DESC_CONCISE_TYPE, SQL_C_SLONG);
	set_ptr(ard, 1, SQL_DESC_INDICATOR_PTR, &ind_field);
	set_ptr(ard, 1, SQL_DESC_OCTET_LENGTH_PTR, &ind_field);
	set_ptr(ard, 1, SQL_DESC_DATA_PTR, &by_field);
	cr_assert_eq(get_num(ard, 0, SQL_DESC_COUNT), 1, "setting record 1 counts it");
	/* column 3 by SQLBindCol, column 2 by SQLBindCol too */
	OKS(SQLBindCol(st, 3, SQL_C_SLONG, &by_bind, 0, &ind_bind), st);
	OKS(SQLBindCol(st, 2, SQL_C_CHAR, name, sizeof name, &name_ind), st);
	cr_assert_eq(get_num(ard, 0, SQL_DESC_COUNT), 3);
	/* SQLBindCol is seen through the descriptor */
	cr_assert_eq(get_num(ard, 2, SQL_DESC_CONCISE_TYPE), SQL_C_CHAR);
	cr_assert_eq(get_num(ard, 2, SQL_DESC_TYPE), SQL_C_CHAR);
	cr_assert_eq(get_num(ard, 2, SQL_DESC_OCTET_LENGTH), sizeof name);
	cr_assert_eq(get_ptr(ard, 2, SQL_DESC_DATA_PTR), name);
	cr_assert_eq(get_ptr(ard, 2, SQL_DESC_INDICATOR_PTR), &name_ind);
	cr_assert_eq(get_ptr(ard, 2, SQL_DESC_OCTET_LENGTH_PTR), &name_ind);
	cr_assert_eq(get_num(ard, 3, SQL_DESC_CONCISE_TYPE), SQL_C_SLONG);

	OKS(SQLExecDirect(st, S("SELECT id, name, price FROM t ORDER BY id")), st);
	OKS(SQLFetch(st), st);
	cr_assert_eq(by_field, 1);
	cr_assert_eq(ind_field, sizeof(SQLINTEGER));
	cr_assert_str_eq(name, "one");
	cr_assert_eq(by_bind, 1, "1.5 as SQL_C_SLONG");
	/* unbinding the highest column by SQLBindCol shrinks the count */
	OKS(SQLFreeStmt(st, SQL_CLOSE), st);
	OKS(SQLBindCol(st, 3, SQL_C_SLONG, NULL, 0, NULL), st);
	cr_assert_eq(get_num(ard, 0, SQL_DESC_COUNT), 2);
	/* SQL_DESC_COUNT 0 unbinds every column */
	set_num(ard, 0, SQL_DESC_COUNT, 0);
	by_field = -1;
	OKS(SQLExecDirect(st, S("SELECT id FROM t ORDER BY id")), st);
	OKS(SQLFetch(st), st);
	cr_assert_eq(by_field, -1, "nothing bound any more");
}

Test(descriptors, declaring_a_type_sets_its_defaults)
{
	SQLHDESC ard = desc_of(st, SQL_ATTR_APP_ROW_DESC);

	set_num(ard, 1, SQL_DESC_TYPE, SQL_C_NUMERIC);
	cr_assert_eq(get_num(ard, 1, SQL_DESC_SCALE), 0);
	cr_assert_eq(get_num(ard, 1, SQL_DESC_PRECISION), 38);
	set_num(ard, 1, SQL_DESC_CONCISE_TYPE, SQL_C_CHAR);
	cr_assert_eq(get_num(ard, 1, SQL_DESC_LENGTH), 1);
	cr_assert_eq(get_num(ard, 1, SQL_DESC_PRECISION), 0);
	/* the verbose datetime type and its code make the concise type */
	set_num(ard, 1, SQL_DESC_TYPE, SQL_DATETIME);
	set_num(ard, 1, SQL_DESC_DATETIME_INTERVAL_CODE, SQL_CODE_TIMESTAMP);
	cr_assert_eq(get_num(ard, 1, SQL_DESC_CONCISE_TYPE), SQL_C_TYPE_TIMESTAMP);
	cr_assert_eq(get_num(ard, 1, SQL_DESC_PRECISION), 6);
	/* SQL_DESC_TYPE takes no concise datetime type */
	cr_assert_eq(SQLSetDescField(ard, 1, SQL_DESC_TYPE, (SQLPOINTER)SQL_C_TYPE_DATE, 0),
		     SQL_ERROR);
	cr_assert_str_eq(desc_state(ard), "HY021");
}

Test(descriptors, data_ptr_runs_the_consistency_check_and_a_type_change_unbinds)
{
	SQLHDESC ard = desc_of(st, SQL_ATTR_APP_ROW_DESC);
	SQLHDESC ipd = desc_of(st, SQL_ATTR_IMP_PARAM_DESC);
	SQLINTEGER v = 0;
	SQL_NUMERIC_STRUCT num;

	/* SQL_DATETIME without a valid code */
	set_num(ard, 1, SQL_DESC_TYPE, SQL_DATETIME);
	cr_assert_eq(SQLSetDescField(ard, 1, SQL_DESC_DATA_PTR, &v, SQL_IS_POINTER),
		     SQL_ERROR);
	cr_assert_str_eq(desc_state(ard), "HY021");
	/* an SQL type is no C type */
	set_num(ard, 1, SQL_DESC_CONCISE_TYPE, SQL_VARCHAR);
	cr_assert_eq(SQLSetDescField(ard, 1, SQL_DESC_DATA_PTR, &v, SQL_IS_POINTER),
		     SQL_ERROR);
	cr_assert_str_eq(desc_state(ard), "HY021");
	/* SQL_C_NUMERIC with a scale beyond -38..38; a precision outside
	 * 1..38 is not refused (it reads as 38: pyodbc binds Decimals with
	 * a TEXT marker's size 0 as the precision) */
	set_num(ard, 1, SQL_DESC_CONCISE_TYPE, SQL_C_NUMERIC);
	set_num(ard, 1, SQL_DESC_SCALE, 40);
	cr_assert_eq(SQLSetDescField(ard, 1, SQL_DESC_DATA_PTR, &num, SQL_IS_POINTER),
		     SQL_ERROR);
	cr_assert_str_eq(desc_state(ard), "HY021");
	set_num(ard, 1, SQL_DESC_SCALE, 0);
	set_num(ard, 1, SQL_DESC_PRECISION, 0);
	cr_assert_eq(SQLSetDescField(ard, 1, SQL_DESC_DATA_PTR, &num, SQL_IS_POINTER),
		     SQL_SUCCESS);
	/* consistent: bound */
	set_num(ard, 1, SQL_DESC_CONCISE_TYPE, SQL_C_SLONG);
	set_ptr(ard, 1, SQL_DESC_DATA_PTR, &v);
	cr_assert_eq(get_ptr(ard, 1, SQL_DESC_DATA_PTR), &v);
	/* the deferred fields keep the binding ... */
	set_ptr(ard, 1, SQL_DESC_INDICATOR_PTR, NULL);
	cr_assert_eq(get_ptr(ard, 1, SQL_DESC_DATA_PTR), &v);
	/* ... any other field unbinds the record */
	set_num(ard, 1, SQL_DESC_CONCISE_TYPE, SQL_C_SBIGINT);
	cr_assert_null(get_ptr(ard, 1, SQL_DESC_DATA_PTR));
	set_ptr(ard, 1, SQL_DESC_DATA_PTR, &v);
	set_num(ard, 1, SQL_DESC_OCTET_LENGTH, 8);
	cr_assert_null(get_ptr(ard, 1, SQL_DESC_DATA_PTR));
	/* an IPD's data pointer only asks for the check */
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &v, 0,
			     NULL), st);
	set_ptr(ipd, 1, SQL_DESC_DATA_PTR, &v);
	set_num(ipd, 1, SQL_DESC_CONCISE_TYPE, SQL_C_SLONG * 1000);
	cr_assert_eq(SQLSetDescField(ipd, 1, SQL_DESC_DATA_PTR, &v, SQL_IS_POINTER),
		     SQL_ERROR, "no such SQL type");
	cr_assert_str_eq(desc_state(ipd), "HY021");
}

Test(descriptors, binding_through_apd_and_ipd_fields_equals_sqlbindparameter)
{
	SQLHDESC apd = desc_of(st, SQL_ATTR_APP_PARAM_DESC);
	SQLHDESC ipd = desc_of(st, SQL_ATTR_IMP_PARAM_DESC);
	SQLINTEGER id = 10;
	char name[] = "ten";
	SQLLEN name_len = SQL_NTS;

	OKS(SQLPrepare(st, S("INSERT INTO t (id, name) VALUES (?, ?)")), st);
	/* parameter 1 by descriptor fields */
	set_num(apd, 1, SQL_DESC_CONCISE_TYPE, SQL_C_SLONG);
	set_ptr(apd, 1, SQL_DESC_DATA_PTR, &id);
	set_num(ipd, 1, SQL_DESC_CONCISE_TYPE, SQL_INTEGER);
	set_num(ipd, 1, SQL_DESC_PARAMETER_TYPE, SQL_PARAM_INPUT);
	/* parameter 2 by SQLBindParameter */
	OKS(SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 20, 0, name,
			     sizeof name, &name_len), st);
	cr_assert_eq(get_num(apd, 0, SQL_DESC_COUNT), 2);
	cr_assert_eq(get_num(apd, 2, SQL_DESC_CONCISE_TYPE), SQL_C_CHAR);
	cr_assert_eq(get_ptr(apd, 2, SQL_DESC_DATA_PTR), name);
	cr_assert_eq(get_num(apd, 2, SQL_DESC_OCTET_LENGTH), sizeof name);
	cr_assert_eq(get_ptr(apd, 2, SQL_DESC_INDICATOR_PTR), &name_len);
	cr_assert_eq(get_num(ipd, 2, SQL_DESC_CONCISE_TYPE), SQL_VARCHAR);
	cr_assert_eq(get_num(ipd, 2, SQL_DESC_LENGTH), 20);
	cr_assert_eq(get_num(ipd, 2, SQL_DESC_PARAMETER_TYPE), SQL_PARAM_INPUT);
	OKS(SQLExecute(st), st);
	OKS(SQLFreeStmt(st, SQL_RESET_PARAMS), st);
	cr_assert_eq(query_int(dbc, "SELECT COUNT(*) FROM t WHERE id = 10 AND name = 'ten'"), 1);
	cr_assert_eq(get_num(apd, 0, SQL_DESC_COUNT), 0, "SQL_RESET_PARAMS empties the APD");
}

Test(descriptors, ipd_after_sqlbindparameter_and_sqldescribeparam)
{
	SQLHDESC ipd = desc_of(st, SQL_ATTR_IMP_PARAM_DESC);
	SQL_NUMERIC_STRUCT price;
	SQL_TIMESTAMP_STRUCT at;
	char name[8] = "x";
	SQLSMALLINT type, digits, nullable;
	SQLULEN size;

	OKS(SQLPrepare(st, S("INSERT INTO t (name, price, at) VALUES (?, ?, ?)")), st);
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 20, 0, name,
			     sizeof name, NULL), st);
	OKS(SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_NUMERIC, SQL_DECIMAL, 10, 2,
			     &price, 0, NULL), st);
	OKS(SQLBindParameter(st, 3, SQL_PARAM_INPUT, SQL_C_TYPE_TIMESTAMP,
			     SQL_TYPE_TIMESTAMP, 26, 6, &at, 0, NULL), st);
	cr_assert_eq(get_num(ipd, 0, SQL_DESC_COUNT), 3);
	/* SQLBindParameter: ColumnSize is a character type's length, a
	 * decimal's precision; DecimalDigits a decimal's scale, a
	 * timestamp's seconds precision */
	cr_assert_eq(get_num(ipd, 1, SQL_DESC_TYPE), SQL_VARCHAR);
	cr_assert_eq(get_num(ipd, 1, SQL_DESC_LENGTH), 20);
	cr_assert_eq(get_num(ipd, 2, SQL_DESC_CONCISE_TYPE), SQL_DECIMAL);
	cr_assert_eq(get_num(ipd, 2, SQL_DESC_PRECISION), 10);
	cr_assert_eq(get_num(ipd, 2, SQL_DESC_SCALE), 2);
	cr_assert_eq(get_num(ipd, 3, SQL_DESC_TYPE), SQL_DATETIME);
	cr_assert_eq(get_num(ipd, 3, SQL_DESC_DATETIME_INTERVAL_CODE), SQL_CODE_TIMESTAMP);
	cr_assert_eq(get_num(ipd, 3, SQL_DESC_CONCISE_TYPE), SQL_TYPE_TIMESTAMP);
	cr_assert_eq(get_num(ipd, 3, SQL_DESC_LENGTH), 26);
	cr_assert_eq(get_num(ipd, 3, SQL_DESC_PRECISION), 6);
	for (SQLSMALLINT i = 1; i <= 3; i++)
		cr_assert_eq(get_num(ipd, i, SQL_DESC_PARAMETER_TYPE), SQL_PARAM_INPUT);
	/* SQLDescribeParam describes the columns; the driver populates no
	 * IPD on its own (SQL_ATTR_ENABLE_AUTO_IPD is false), so the IPD
	 * keeps what the application bound */
	OKS(SQLDescribeParam(st, 2, &type, &size, &digits, &nullable), st);
	cr_assert_eq(type, SQL_DECIMAL);
	cr_assert_eq(size, 10);
	cr_assert_eq(digits, 2);
	OKS(SQLDescribeParam(st, 3, &type, &size, &digits, &nullable), st);
	cr_assert_eq(type, SQL_TYPE_TIMESTAMP);
	cr_assert_eq(get_num(ipd, 2, SQL_DESC_PRECISION), 10);
	cr_assert_eq(get_num(ipd, 3, SQL_DESC_LENGTH), 26);
	cr_assert_eq(get_num(ipd, 0, SQL_DESC_COUNT), 3);
}

/* ------------------------------------------------------------------- IRD */

Test(descriptors, the_ird_is_read_only)
{
	SQLHDESC ird = desc_of(st, SQL_ATTR_IMP_ROW_DESC);
	SQLHDESC ard = desc_of(st, SQL_ATTR_APP_ROW_DESC);
	SQLUSMALLINT status[1];
	SQLINTEGER v;

	OKS(SQLExecDirect(st, S("SELECT id FROM t")), st);
	cr_assert_eq(SQLSetDescField(ird, 1, SQL_DESC_NAME, "x", SQL_NTS), SQL_ERROR);
	cr_assert_str_eq(desc_state(ird), "HY016");
	cr_assert_eq(SQLSetDescField(ird, 1, SQL_DESC_CONCISE_TYPE, (SQLPOINTER)SQL_CHAR, 0),
		     SQL_ERROR);
	cr_assert_str_eq(desc_state(ird), "HY016");
	cr_assert_eq(SQLSetDescRec(ird, 1, SQL_C_SLONG, 0, 4, 0, 0, &v, NULL, NULL),
		     SQL_ERROR);
	cr_assert_str_eq(desc_state(ird), "HY016");
	cr_assert_eq(SQLCopyDesc(ard, ird), SQL_ERROR);
	cr_assert_str_eq(desc_state(ird), "HY016");
	/* its two writable header fields */
	set_ptr(ird, 0, SQL_DESC_ARRAY_STATUS_PTR, status);
	OKS(SQLFetch(st), st);
	cr_assert_eq(status[0], SQL_ROW_SUCCESS);
}

/* Every IRD field of every column equals SQLColAttribute's, and
 * SQLDescribeCol's name, type, size, digits and nullability. */
static void ird_agrees(SQLHSTMT h, const char *when)
{
	static const SQLSMALLINT numeric_fields[] = {
		SQL_DESC_TYPE, SQL_DESC_CONCISE_TYPE, SQL_DESC_LENGTH, SQL_DESC_OCTET_LENGTH,
		SQL_DESC_PRECISION, SQL_DESC_SCALE, SQL_DESC_NULLABLE, SQL_DESC_DISPLAY_SIZE,
		SQL_DESC_UNSIGNED, SQL_DESC_FIXED_PREC_SCALE, SQL_DESC_AUTO_UNIQUE_VALUE,
		SQL_DESC_CASE_SENSITIVE, SQL_DESC_SEARCHABLE, SQL_DESC_UPDATABLE,
		SQL_DESC_UNNAMED, SQL_DESC_NUM_PREC_RADIX};
	static const SQLSMALLINT string_fields[] = {
		SQL_DESC_NAME, SQL_DESC_LABEL, SQL_DESC_BASE_COLUMN_NAME, SQL_DESC_TABLE_NAME,
		SQL_DESC_BASE_TABLE_NAME, SQL_DESC_TYPE_NAME, SQL_DESC_LOCAL_TYPE_NAME,
		SQL_DESC_LITERAL_PREFIX, SQL_DESC_LITERAL_SUFFIX, SQL_DESC_SCHEMA_NAME,
		SQL_DESC_CATALOG_NAME};
	SQLHDESC ird = desc_of(h, SQL_ATTR_IMP_ROW_DESC);
	SQLSMALLINT ncols;
	SQLLEN count;

	OKS(SQLNumResultCols(h, &ncols), h);
	count = get_num(ird, 0, SQL_DESC_COUNT);
	cr_assert_eq(count, ncols, "%s: SQL_DESC_COUNT %ld, %d columns", when, (long)count,
		     ncols);
	for (SQLSMALLINT c = 1; c <= ncols; c++) {
		SQLCHAR name[64], a[128], b[128];
		SQLSMALLINT namelen, type, digits, nullable;
		SQLULEN size;
		for (size_t f = 0; f < sizeof numeric_fields / sizeof numeric_fields[0]; f++) {
			SQLLEN ca = -777;
			OKS(SQLColAttribute(h, (SQLUSMALLINT)c, (SQLUSMALLINT)numeric_fields[f],
					    NULL, 0, NULL, &ca), h);
			cr_assert_eq(get_num(ird, c, numeric_fields[f]), ca,
				     "%s: column %d field %d: IRD %ld, SQLColAttribute %ld",
				     when, c, numeric_fields[f],
				     (long)get_num(ird, c, numeric_fields[f]), (long)ca);
		}
		for (size_t f = 0; f < sizeof string_fields / sizeof string_fields[0]; f++) {
			SQLSMALLINT la;
			SQLINTEGER lb;
			OKS(SQLColAttribute(h, (SQLUSMALLINT)c, (SQLUSMALLINT)string_fields[f], a,
					    sizeof a, &la, NULL), h);
			OKD(SQLGetDescField(ird, c, string_fields[f], b, sizeof b, &lb), ird);
			cr_assert_str_eq((char *)b, (char *)a, "%s: column %d field %d", when, c,
					 string_fields[f]);
		}
		OKS(SQLDescribeCol(h, (SQLUSMALLINT)c, name, sizeof name, &namelen, &type,
				   &size, &digits, &nullable), h);
		OKD(SQLGetDescField(ird, c, SQL_DESC_NAME, a, sizeof a, NULL), ird);
		cr_assert_str_eq((char *)name, (char *)a, "%s: column %d", when, c);
		cr_assert_eq(type, get_num(ird, c, SQL_DESC_CONCISE_TYPE), "%s: column %d", when, c);
		cr_assert_eq((SQLLEN)size, get_num(ird, c, SQL_DESC_LENGTH), "%s: column %d",
			     when, c);
		cr_assert_eq(digits, get_num(ird, c, SQL_DESC_SCALE), "%s: column %d", when, c);
		cr_assert_eq(nullable, get_num(ird, c, SQL_DESC_NULLABLE), "%s: column %d",
			     when, c);
	}
}

Test(descriptors, ird_after_prepare_and_after_execute_agrees_with_colattribute)
{
	SQLHDESC ird = desc_of(st, SQL_ATTR_IMP_ROW_DESC);
	SQLCHAR name[32];
	SQLSMALLINT nlen, type, sub, prec, scale, nullable;
	SQLLEN len;

	OKS(SQLPrepare(st, S("SELECT id, name, price, at, data, r, id + 1 AS next FROM t")), st);
	ird_agrees(st, "after SQLPrepare");
	/* what the schema says of them */
	cr_assert_eq(get_num(ird, 1, SQL_DESC_CONCISE_TYPE), SQL_BIGINT);
	cr_assert_eq(get_num(ird, 1, SQL_DESC_AUTO_UNIQUE_VALUE), SQL_TRUE);
	cr_assert_eq(get_num(ird, 2, SQL_DESC_NULLABLE), SQL_NO_NULLS);
	cr_assert_eq(get_num(ird, 3, SQL_DESC_PRECISION), 10);
	cr_assert_eq(get_num(ird, 3, SQL_DESC_SCALE), 2);
	OKD(SQLGetDescField(ird, 2, SQL_DESC_BASE_TABLE_NAME, name, sizeof name, NULL), ird);
	cr_assert_str_eq((char *)name, "t");
	OKD(SQLGetDescField(ird, 3, SQL_DESC_TYPE_NAME, name, sizeof name, NULL), ird);
	cr_assert_str_eq((char *)name, "DECIMAL");
	/* SQLGetDescRec of the timestamp column: the verbose type and code */
	OKD(SQLGetDescRec(ird, 4, name, sizeof name, &nlen, &type, &sub, &len, &prec, &scale,
			  &nullable), ird);
	cr_assert_str_eq((char *)name, "at");
	cr_assert_eq(type, SQL_DATETIME);
	cr_assert_eq(sub, SQL_CODE_TIMESTAMP);
	cr_assert_eq(len, get_num(ird, 4, SQL_DESC_OCTET_LENGTH));
	cr_assert_eq(prec, get_num(ird, 4, SQL_DESC_PRECISION));
	cr_assert_eq(nullable, SQL_NULLABLE);
	cr_assert_eq(SQLGetDescRec(ird, 8, name, sizeof name, &nlen, &type, &sub, &len, &prec,
				   &scale, &nullable), SQL_NO_DATA, "beyond SQL_DESC_COUNT");
	OKS(SQLExecute(st), st);
	ird_agrees(st, "after SQLExecute");
	OKS(SQLFetch(st), st);
	ird_agrees(st, "after SQLFetch");
}

/* --------------------------------------------------- explicit descriptors */

Test(descriptors, an_explicit_ard_binds_and_freeing_it_reverts_to_the_implicit_one)
{
	SQLHDESC implicit = desc_of(st, SQL_ATTR_APP_ROW_DESC), mine, got;
	SQLHSTMT other;
	SQLINTEGER id = 0, implicit_id = 0;
	char name[16] = "";
	SQLLEN ind, name_ind;

	OKC(SQLAllocHandle(SQL_HANDLE_DESC, dbc, &mine), dbc);
	cr_assert_eq(get_num(mine, 0, SQL_DESC_ALLOC_TYPE), SQL_DESC_ALLOC_USER);
	/* a binding on the implicit ARD, kept while the explicit one rules */
	OKS(SQLBindCol(st, 1, SQL_C_SLONG, &implicit_id, 0, &ind), st);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_APP_ROW_DESC, mine, SQL_IS_POINTER), st);
	got = desc_of(st, SQL_ATTR_APP_ROW_DESC);
	cr_assert_eq(got, mine);
	/* SQLSetDescRec on the explicit one, and SQLBindCol now writes it */
	OKD(SQLSetDescRec(mine, 1, SQL_C_SLONG, 0, sizeof id, 0, 0, &id, &ind, &ind), mine);
	OKS(SQLBindCol(st, 2, SQL_C_CHAR, name, sizeof name, &name_ind), st);
	cr_assert_eq(get_num(mine, 0, SQL_DESC_COUNT), 2);
	cr_assert_eq(get_ptr(mine, 2, SQL_DESC_DATA_PTR), name);
	cr_assert_eq(get_num(implicit, 0, SQL_DESC_COUNT), 1);
	OKS(SQLExecDirect(st, S("SELECT id, name FROM t ORDER BY id")), st);
	OKS(SQLFetch(st), st);
	cr_assert_eq(id, 1);
	cr_assert_str_eq(name, "one");
	cr_assert_eq(implicit_id, 0, "the implicit ARD is not in use");
	OKS(SQLCloseCursor(st), st);
	/* another statement's implicit ARD cannot be used */
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &other);
	cr_assert_eq(SQLSetStmtAttr(other, SQL_ATTR_APP_ROW_DESC, implicit, SQL_IS_POINTER),
		     SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, other), "HY017");
	/* an explicit descriptor serves several statements */
	OKS(SQLSetStmtAttr(other, SQL_ATTR_APP_ROW_DESC, mine, SQL_IS_POINTER), other);
	/* freeing it sends both back to their implicit ARDs */
	OKH(SQLFreeHandle(SQL_HANDLE_DESC, mine), SQL_HANDLE_DBC, dbc);
	cr_assert_eq(desc_of(st, SQL_ATTR_APP_ROW_DESC), implicit);
	cr_assert_neq(desc_of(other, SQL_ATTR_APP_ROW_DESC), mine);
	SQLFreeHandle(SQL_HANDLE_STMT, other);
	OKS(SQLExecDirect(st, S("SELECT id FROM t ORDER BY id")), st);
	OKS(SQLFetch(st), st);
	cr_assert_eq(implicit_id, 1, "the implicit ARD's binding is back");
	/* SQL_NULL_HDESC also goes back to the implicit one */
	OKS(SQLCloseCursor(st), st);
	OKS(SQLSetStmtAttr(st, SQL_ATTR_APP_ROW_DESC, SQL_NULL_HDESC, SQL_IS_POINTER), st);
	cr_assert_eq(desc_of(st, SQL_ATTR_APP_ROW_DESC), implicit);
}

/* ------------------------------------------------------------ SQLCopyDesc */

Test(descriptors, copy_ird_to_ard_and_ard_to_ard)
{
	SQLHDESC ird = desc_of(st, SQL_ATTR_IMP_ROW_DESC);
	SQLHDESC ard = desc_of(st, SQL_ATTR_APP_ROW_DESC);
	SQLHSTMT other;
	SQLHDESC other_ard;
	SQLINTEGER id = 0;
	char name[16] = "";
	SQLLEN ind[2];

	/* IRD -> ARD: the record count and types come over */
	OKS(SQLPrepare(st, S("SELECT id, name FROM t ORDER BY id")), st);
	OKH(SQLCopyDesc(ird, ard), SQL_HANDLE_DESC, ard);
	cr_assert_eq(get_num(ard, 0, SQL_DESC_COUNT), 2);
	cr_assert_eq(get_num(ard, 2, SQL_DESC_CONCISE_TYPE), SQL_VARCHAR);
	cr_assert_null(get_ptr(ard, 1, SQL_DESC_DATA_PTR), "the IRD binds nothing");
	/* ARD -> ARD: the bindings (pointers included) come over */
	set_num(ard, 0, SQL_DESC_COUNT, 0);
	OKS(SQLBindCol(st, 1, SQL_C_SLONG, &id, 0, &ind[0]), st);
	OKS(SQLBindCol(st, 2, SQL_C_CHAR, name, sizeof name, &ind[1]), st);
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &other);
	other_ard = desc_of(other, SQL_ATTR_APP_ROW_DESC);
	OKH(SQLCopyDesc(ard, other_ard), SQL_HANDLE_DESC, other_ard);
	cr_assert_eq(get_num(other_ard, 0, SQL_DESC_COUNT), 2);
	cr_assert_eq(get_ptr(other_ard, 2, SQL_DESC_DATA_PTR), name);
	OKS(SQLExecDirect(other, S("SELECT id, name FROM t WHERE id = 2")), other);
	OKS(SQLFetch(other), other);
	cr_assert_eq(id, 2);
	cr_assert_str_eq(name, "two");
	SQLFreeHandle(SQL_HANDLE_STMT, other);
	/* from the IRD of a statement neither prepared nor executed: HY007 */
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &other);
	cr_assert_eq(SQLCopyDesc(desc_of(other, SQL_ATTR_IMP_ROW_DESC), ard), SQL_ERROR);
	cr_assert_str_eq(desc_state(ard), "HY007");
	SQLFreeHandle(SQL_HANDLE_STMT, other);
}

/* ----------------------------------------------- offsets and row binding */

Test(descriptors, bind_offset_moves_every_bound_address)
{
	struct slot {
		SQLINTEGER id;
		SQLLEN ind;
	} slots[3];
	SQLHDESC ard = desc_of(st, SQL_ATTR_APP_ROW_DESC);
	SQLLEN offset = 0, *p = NULL;

	memset(slots, 0, sizeof slots);
	OKS(SQLBindCol(st, 1, SQL_C_SLONG, &slots[0].id, 0, &slots[0].ind), st);
	set_ptr(ard, 0, SQL_DESC_BIND_OFFSET_PTR, &offset);
	/* the statement attribute is the same header field */
	OKS(SQLGetStmtAttr(st, SQL_ATTR_ROW_BIND_OFFSET_PTR, &p, SQL_IS_POINTER, NULL), st);
	cr_assert_eq(p, &offset);
	OKS(SQLExecDirect(st, S("SELECT id FROM t ORDER BY id")), st);
	for (int row = 0; row < 3; row++) {
		/* read at fetch time: the data and the indicator move alike */
		offset = (SQLLEN)(row * sizeof(struct slot));
		OKS(SQLFetch(st), st);
	}
	for (int row = 0; row < 3; row++) {
		cr_assert_eq(slots[row].id, row + 1, "slot %d", row);
		cr_assert_eq(slots[row].ind, sizeof(SQLINTEGER), "slot %d", row);
	}
}

Test(descriptors, row_wise_binding_by_bind_type)
{
	struct row {
		SQLINTEGER id;
		SQLLEN id_ind;
		char name[12];
		SQLLEN name_ind;
	} rows[4];
	SQLHDESC ard = desc_of(st, SQL_ATTR_APP_ROW_DESC);
	SQLHDESC ird = desc_of(st, SQL_ATTR_IMP_ROW_DESC);
	SQLULEN fetched = 0;
	SQLUSMALLINT status[4];

	memset(rows, 0, sizeof rows);
	set_num(ard, 0, SQL_DESC_BIND_TYPE, sizeof(struct row));
	set_num(ard, 0, SQL_DESC_ARRAY_SIZE, 4);
	set_ptr(ird, 0, SQL_DESC_ROWS_PROCESSED_PTR, &fetched);
	set_ptr(ird, 0, SQL_DESC_ARRAY_STATUS_PTR, status);
	OKD(SQLSetDescRec(ard, 1, SQL_C_SLONG, 0, sizeof(SQLINTEGER), 0, 0, &rows[0].id,
			  &rows[0].id_ind, &rows[0].id_ind), ard);
	OKD(SQLSetDescRec(ard, 2, SQL_C_CHAR, 0, sizeof rows[0].name, 0, 0, rows[0].name,
			  &rows[0].name_ind, &rows[0].name_ind), ard);
	/* the statement attributes read the same header fields */
	{
		SQLULEN v = 0;
		OKS(SQLGetStmtAttr(st, SQL_ATTR_ROW_BIND_TYPE, &v, 0, NULL), st);
		cr_assert_eq(v, sizeof(struct row));
		OKS(SQLGetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, &v, 0, NULL), st);
		cr_assert_eq(v, 4);
	}
	OKS(SQLSetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_STATIC, 0), st);
	OKS(SQLExecDirect(st, S("SELECT id, name FROM t ORDER BY id")), st);
	OKS(SQLFetchScroll(st, SQL_FETCH_NEXT, 0), st);
	cr_assert_eq(fetched, 3);
	cr_assert_eq(rows[0].id, 1);
	cr_assert_eq(rows[1].id, 2);
	cr_assert_eq(rows[2].id, 3);
	cr_assert_str_eq(rows[2].name, "three");
	cr_assert_eq(rows[2].name_ind, 5);
	cr_assert_eq(status[0], SQL_ROW_SUCCESS);
	cr_assert_eq(status[2], SQL_ROW_SUCCESS);
	cr_assert_eq(status[3], SQL_ROW_NOROW);
	cr_assert_eq(rows[3].id, 0, "no fourth row");
}

/* SQL_C_NUMERIC takes its precision and scale from the ARD record ("SQL to
 * C: Numeric", manual binding), in SQLFetch and in SQLGetData with
 * SQL_ARD_TYPE; SQLGetData with SQL_C_NUMERIC itself uses scale 0. */
Test(descriptors, numeric_binding_takes_the_ards_precision_and_scale)
{
	SQLHDESC ard = desc_of(st, SQL_ATTR_APP_ROW_DESC);
	SQL_NUMERIC_STRUCT price, got;
	SQLLEN ind = 0;

	memset(&price, 0, sizeof price);
	set_num(ard, 1, SQL_DESC_TYPE, SQL_C_NUMERIC);
	set_num(ard, 1, SQL_DESC_PRECISION, 10);
	set_num(ard, 1, SQL_DESC_SCALE, 2);
	set_ptr(ard, 1, SQL_DESC_INDICATOR_PTR, &ind);
	set_ptr(ard, 1, SQL_DESC_DATA_PTR, &price);
	OKS(SQLExecDirect(st, S("SELECT price, price, '12.345', 123456 FROM t WHERE id = 1")), st);
	OKS(SQLFetch(st), st);
	cr_assert_eq(ind, sizeof price);
	cr_assert_eq(price.precision, 10);
	cr_assert_eq(price.scale, 2);
	cr_assert_eq(price.sign, 1);
	cr_assert_eq(price.val[0] | price.val[1] << 8, 150, "1.5 at scale 2 is 150");
	/* SQLGetData: SQL_C_NUMERIC is scale 0 (1.5 -> 1, 01S07) ... */
	cr_assert_eq(SQLGetData(st, 2, SQL_C_NUMERIC, &got, 0, &ind), SQL_SUCCESS_WITH_INFO);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "01S07");
	cr_assert_eq(got.scale, 0);
	cr_assert_eq(got.val[0], 1);
	/* ... SQL_ARD_TYPE takes record 3's precision and scale */
	set_num(ard, 3, SQL_DESC_TYPE, SQL_C_NUMERIC);
	set_num(ard, 3, SQL_DESC_SCALE, 2);
	cr_assert_eq(SQLGetData(st, 3, SQL_ARD_TYPE, &got, 0, &ind), SQL_SUCCESS_WITH_INFO,
		     "12.345 at scale 2 drops a digit");
	cr_assert_eq(got.scale, 2);
	cr_assert_eq(got.val[0] | got.val[1] << 8, 1234);
	/* a precision too small for the whole digits: 22003 */
	set_num(ard, 4, SQL_DESC_TYPE, SQL_C_NUMERIC);
	set_num(ard, 4, SQL_DESC_PRECISION, 5);
	set_num(ard, 4, SQL_DESC_SCALE, 0);
	cr_assert_eq(SQLGetData(st, 4, SQL_ARD_TYPE, &got, 0, &ind), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "22003");
	/* a negative scale divides: 123456 at scale -3 is 123 */
	set_num(ard, 4, SQL_DESC_SCALE, -3);
	/* (a negative scale passes the consistency check) */
	set_ptr(ard, 4, SQL_DESC_DATA_PTR, &got);
	set_ptr(ard, 4, SQL_DESC_DATA_PTR, NULL);
	OKS(SQLCloseCursor(st), st);
	OKS(SQLExecDirect(st, S("SELECT price, price, '12.345', 123456 FROM t WHERE id = 1")), st);
	OKS(SQLFetch(st), st);
	cr_assert_eq(SQLGetData(st, 4, SQL_ARD_TYPE, &got, 0, &ind), SQL_SUCCESS_WITH_INFO);
	cr_assert_eq(got.scale, -3);
	cr_assert_eq(got.val[0], 123);
}

/* pyodbc's fast_executemany binds a Decimal, then sets the APD record's
 * TYPE, PRECISION (the marker's described size: 0 for TEXT), SCALE and
 * DATA_PTR, ignoring the return codes: the record must end up bound and
 * the value stored. (Refusing precision 0 left it unbound: 07002.) Then
 * an APD scale the application set is the scale the struct is read at
 * (KB 222831's sequence: 150 at scale 2 is 1.50). */
Test(descriptors, a_numeric_parameter_bound_as_pyodbc_and_kb222831_do)
{
	SQLHDESC apd = desc_of(st, SQL_ATTR_APP_PARAM_DESC);
	SQL_NUMERIC_STRUCT v;
	SQLLEN ind = sizeof v;

	exec_ok(dbc, "CREATE TABLE dec (x TEXT)");
	memset(&v, 0, sizeof v);
	v.sign = 1;
	v.val[0] = 0xD2, v.val[1] = 0x04; /* 1234 */
	OKS(SQLPrepare(st, S("INSERT INTO dec VALUES (?)")), st);
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_NUMERIC, SQL_NUMERIC, 0, 0, &v,
			     sizeof v, &ind), st);
	set_num(apd, 1, SQL_DESC_TYPE, SQL_C_NUMERIC);
	set_num(apd, 1, SQL_DESC_PRECISION, 0);
	set_num(apd, 1, SQL_DESC_SCALE, 0);
	set_ptr(apd, 1, SQL_DESC_DATA_PTR, &v);
	cr_assert_eq(get_ptr(apd, 1, SQL_DESC_DATA_PTR), &v, "the record is bound");
	OKS(SQLExecute(st), st);
	/* the APD's scale set by the application: 1234 at scale 2 */
	set_num(apd, 1, SQL_DESC_TYPE, SQL_C_NUMERIC);
	set_num(apd, 1, SQL_DESC_PRECISION, 6);
	set_num(apd, 1, SQL_DESC_SCALE, 2);
	set_ptr(apd, 1, SQL_DESC_DATA_PTR, &v);
	OKS(SQLExecute(st), st);
	/* the struct's own scale, at the APD's default scale 0 */
	OKS(SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_NUMERIC, SQL_NUMERIC, 6, 1, &v,
			     sizeof v, &ind), st);
	v.scale = 1;
	OKS(SQLExecute(st), st);
	OKS(SQLFreeStmt(st, SQL_RESET_PARAMS), st);
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM dec WHERE x = '1234'"), 1);
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM dec WHERE x = '12.34'"), 1);
	cr_assert_eq(query_int(dbc, "SELECT count(*) FROM dec WHERE x = '123.4'"), 1);
}

/* SQLSetDescRec takes the concise date/time C types SQLBindCol takes, as
 * well as SQL_DATETIME with its code. */
Test(descriptors, set_desc_rec_takes_a_concise_datetime_type)
{
	SQLHDESC ard = desc_of(st, SQL_ATTR_APP_ROW_DESC);
	SQL_TIMESTAMP_STRUCT ts;
	SQLLEN ind = 0;

	memset(&ts, 0, sizeof ts);
	OKH(SQLSetDescRec(ard, 1, SQL_C_TYPE_TIMESTAMP, 0, sizeof ts, 0, 0, &ts, &ind, &ind),
	    SQL_HANDLE_DESC, ard);
	cr_assert_eq(get_num(ard, 1, SQL_DESC_TYPE), SQL_DATETIME);
	cr_assert_eq(get_num(ard, 1, SQL_DESC_DATETIME_INTERVAL_CODE), SQL_CODE_TIMESTAMP);
	OKS(SQLExecDirect(st, S("SELECT at FROM t WHERE id = 1")), st);
	OKS(SQLFetch(st), st);
	cr_assert_eq(ts.year, 2024);
	cr_assert_eq(ts.second, 30);
}

/* A field that cannot be set is refused and changes nothing: the record
 * stays bound, the count stays. */
Test(descriptors, a_field_that_cannot_be_set_leaves_the_binding)
{
	SQLHDESC ard = desc_of(st, SQL_ATTR_APP_ROW_DESC);
	char name[32] = "untouched";
	SQLLEN ind = 0;

	OKS(SQLBindCol(st, 2, SQL_C_CHAR, name, sizeof name, &ind), st);
	cr_assert_eq(SQLSetDescField(ard, 2, SQL_DESC_CASE_SENSITIVE, (SQLPOINTER)1, 0),
		     SQL_ERROR);
	cr_assert_str_eq(desc_state(ard), "HY091");
	cr_assert_eq(SQLSetDescField(ard, 5, SQL_DESC_CASE_SENSITIVE, (SQLPOINTER)1, 0),
		     SQL_ERROR);
	cr_assert_eq(get_num(ard, 0, SQL_DESC_COUNT), 2, "no record 5 was made");
	OKS(SQLExecDirect(st, S("SELECT id, name FROM t WHERE id = 1")), st);
	OKS(SQLFetch(st), st);
	cr_assert_str_eq(name, "one");
}

/* SQLCopyDesc from a prepared statement's IRD on another connection
 * describes it first, as on the same connection. */
Test(descriptors, copying_a_prepared_ird_from_another_connection)
{
	SQLHENV env2;
	SQLHDBC dbc2 = odbc_connect(&env2, NULL);
	SQLHSTMT st2;
	SQLHDESC ird, ard;

	OKC(SQLAllocHandle(SQL_HANDLE_STMT, dbc2, &st2), dbc2);
	OKS(SQLPrepare(st2, S("SELECT id, name FROM t")), st2);
	ird = desc_of(st2, SQL_ATTR_IMP_ROW_DESC);
	ard = desc_of(st, SQL_ATTR_APP_ROW_DESC);
	OKH(SQLCopyDesc(ird, ard), SQL_HANDLE_DESC, ard);
	cr_assert_eq(get_num(ard, 0, SQL_DESC_COUNT), 2);
	cr_assert_eq(get_num(ard, 2, SQL_DESC_CONCISE_TYPE), SQL_VARCHAR);
	SQLFreeHandle(SQL_HANDLE_STMT, st2);
	odbc_close(env2, dbc2);
}

/* SQLGetData with SQL_ARD_TYPE reads the record as it is: a scale beyond
 * what SQL_NUMERIC_STRUCT's signed char holds is 22003, not garbage. */
Test(descriptors, ard_type_with_a_scale_out_of_range_is_22003)
{
	SQLHDESC ard = desc_of(st, SQL_ATTR_APP_ROW_DESC);
	SQL_NUMERIC_STRUCT got;
	SQLLEN ind = 0;

	set_num(ard, 1, SQL_DESC_TYPE, SQL_C_NUMERIC);
	set_num(ard, 1, SQL_DESC_SCALE, 200);
	OKS(SQLExecDirect(st, S("SELECT 0")), st);
	OKS(SQLFetch(st), st);
	cr_assert_eq(SQLGetData(st, 1, SQL_ARD_TYPE, &got, 0, &ind), SQL_ERROR);
	cr_assert_str_eq(sqlstate(SQL_HANDLE_STMT, st), "22003");
}
