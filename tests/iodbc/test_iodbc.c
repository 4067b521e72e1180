/*
 * Through iODBC (libiodbc, SQLWCHAR = wchar_t: UTF-32) against a real node,
 * loading libdqliteodbc-iodbc.so: connect by DSN and without one, ANSI and
 * W; execute and fetch; Unicode both ways (non-BMP included); diagnostics
 * through the ANSI and W calls. Built only with DQODBC_IODBC.
 */
#include <wchar.h>

#include "odbc_util.h"

#include <sqlucode.h>

static odbc_fixture fx;

static void setup(void)
{
	odbc_fixture_up(&fx, "iodbc");
}

static void teardown(void)
{
	odbc_fixture_down(&fx);
}

TestSuite(iodbc, .init = setup, .fini = teardown, .timeout = 120);

/* SQLWCHAR text from a wide literal (they are the same type here). */
#define W(s) ((SQLWCHAR *)(s))

Test(iodbc, sqlwchar_is_wchar_t)
{
	cr_assert_eq(sizeof(SQLWCHAR), sizeof(wchar_t));
	cr_assert_eq(sizeof(SQLWCHAR), 4u, "iODBC's SQLWCHAR on Linux is 4 bytes");
}

Test(iodbc, connect_by_dsn_ansi_and_w_and_without_a_dsn)
{
	SQLHENV env;
	SQLHDBC dbc;
	SQLWCHAR out[512];
	SQLSMALLINT outlen = 0;
	wchar_t cs[512];

	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
	SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
	SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
	/* ANSI SQLConnect by DSN */
	OKC(SQLConnect(dbc, (SQLCHAR *)"dqtest", SQL_NTS, NULL, 0, NULL, 0), dbc);
	OKC(SQLDisconnect(dbc), dbc);
	/* W SQLConnectW by DSN */
	OKC(SQLConnectW(dbc, W(L"dqtest"), SQL_NTS, NULL, 0, NULL, 0), dbc);
	OKC(SQLDisconnect(dbc), dbc);
	/* W, no DSN: the driver by path, the completed string comes back */
	swprintf(cs, 512, L"DRIVER=%s;Server=%s;Database=iodbc", dqt_driver_path(),
		 fx.cl.addresses);
	OKC(SQLDriverConnectW(dbc, NULL, W(cs), SQL_NTS, out, 512, &outlen,
			      SQL_DRIVER_NOPROMPT), dbc);
	cr_assert_gt(outlen, 0);
	cr_assert(wcsstr((wchar_t *)out, L"Database=iodbc") != NULL, "%ls", (wchar_t *)out);
	OKC(SQLDisconnect(dbc), dbc);
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
}

Test(iodbc, execute_and_fetch_ansi)
{
	SQLINTEGER n = 0;
	SQLCHAR text[32];
	SQLLEN ind = 0;

	OKS(SQLExecDirect(fx.st, (SQLCHAR *)"SELECT 40 + 2, 'forty-two'", SQL_NTS), fx.st);
	OKS(SQLFetch(fx.st), fx.st);
	OKS(SQLGetData(fx.st, 1, SQL_C_SLONG, &n, 0, NULL), fx.st);
	cr_assert_eq(n, 42);
	OKS(SQLGetData(fx.st, 2, SQL_C_CHAR, text, sizeof text, &ind), fx.st);
	cr_assert_str_eq((char *)text, "forty-two");
	cr_assert_eq(ind, 9);
	cr_assert_eq(SQLFetch(fx.st), SQL_NO_DATA);
}

/* Text with a 2-, 3- and 4-byte UTF-8 character: é (U+00E9), € (U+20AC) and
 * an emoji (U+1F600, one wchar_t here, a surrogate pair in UTF-16). */
static const wchar_t *const sample = L"h\u00e9 \u20ac \U0001F600!";

Test(iodbc, unicode_text_round_trips_through_w_calls_and_parameters)
{
	SQLWCHAR got[64];
	SQLCHAR utf8[64];
	SQLLEN ind = 0, in_len = SQL_NTS;
	size_t n = wcslen(sample);

	OKS(SQLExecDirectW(fx.st, W(L"CREATE TABLE u (t TEXT)"), SQL_NTS), fx.st);
	OKS(SQLPrepareW(fx.st, W(L"INSERT INTO u VALUES (?)"), SQL_NTS), fx.st);
	OKS(SQLBindParameter(fx.st, 1, SQL_PARAM_INPUT, SQL_C_WCHAR, SQL_WVARCHAR, 64, 0,
			     (SQLPOINTER)sample, 0, &in_len), fx.st);
	OKS(SQLExecute(fx.st), fx.st);
	OKS(SQLFreeStmt(fx.st, SQL_RESET_PARAMS), fx.st);

	OKS(SQLExecDirectW(fx.st, W(L"SELECT t, length(t), t = 'h\u00e9 \u20ac \U0001F600!' FROM u"),
			   SQL_NTS), fx.st);
	OKS(SQLFetch(fx.st), fx.st);
	OKS(SQLGetData(fx.st, 1, SQL_C_WCHAR, got, sizeof got, &ind), fx.st);
	cr_assert_eq(ind, (SQLLEN)(n * sizeof(SQLWCHAR)), "length in bytes of UTF-32");
	cr_assert(wcscmp((wchar_t *)got, sample) == 0);
	{
		SQLINTEGER len = 0, same = 0;
		OKS(SQLGetData(fx.st, 2, SQL_C_SLONG, &len, 0, NULL), fx.st);
		cr_assert_eq(len, (SQLINTEGER)n, "the server counts %zu characters", n);
		OKS(SQLGetData(fx.st, 3, SQL_C_SLONG, &same, 0, NULL), fx.st);
		cr_assert_eq(same, 1, "the SQL text's literal equals the stored value");
	}
	OKS(SQLCloseCursor(fx.st), fx.st);
	/* the same value as UTF-8 bytes */
	OKS(SQLExecDirect(fx.st, (SQLCHAR *)"SELECT t FROM u", SQL_NTS), fx.st);
	OKS(SQLFetch(fx.st), fx.st);
	OKS(SQLGetData(fx.st, 1, SQL_C_CHAR, utf8, sizeof utf8, &ind), fx.st);
	cr_assert_str_eq((char *)utf8, "h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80!");
}

Test(iodbc, wide_text_cut_in_pieces_keeps_whole_characters)
{
	SQLWCHAR piece[3]; /* two characters and the NUL */
	wchar_t all[16] = L"";
	SQLLEN ind = 0;
	SQLRETURN rc;

	OKS(SQLExecDirectW(fx.st, W(L"SELECT '\U0001F600\u00e9\U0001F601xy'"), SQL_NTS), fx.st);
	OKS(SQLFetch(fx.st), fx.st);
	while ((rc = SQLGetData(fx.st, 1, SQL_C_WCHAR, piece, sizeof piece, &ind)) != SQL_NO_DATA) {
		cr_assert(SQL_SUCCEEDED(rc), "%s", diag(SQL_HANDLE_STMT, fx.st));
		wcscat(all, (wchar_t *)piece);
	}
	cr_assert(wcscmp(all, L"\U0001F600\u00e9\U0001F601xy") == 0, "%ls", all);
}

Test(iodbc, diagnostics_through_ansi_and_w_calls)
{
	SQLCHAR state[6], msg[256];
	SQLWCHAR wstate[6], wmsg[256];
	SQLINTEGER native = 0;
	SQLSMALLINT len = 0;

	cr_assert_eq(SQLExecDirectW(fx.st, W(L"SELECT * FROM nowhere"), SQL_NTS), SQL_ERROR);
	cr_assert_eq(SQLGetDiagRecW(SQL_HANDLE_STMT, fx.st, 1, wstate, &native, wmsg, 256, &len),
		     SQL_SUCCESS);
	cr_assert(wcscmp((wchar_t *)wstate, L"42S02") == 0, "%ls", (wchar_t *)wstate);
	cr_assert(wcsstr((wchar_t *)wmsg, L"no such table: nowhere") != NULL, "%ls",
		  (wchar_t *)wmsg);
	cr_assert_eq(len, (SQLSMALLINT)wcslen((wchar_t *)wmsg), "length in characters");
	cr_assert_eq(native, 1);
	cr_assert_eq(SQLGetDiagRec(SQL_HANDLE_STMT, fx.st, 1, state, &native, msg, sizeof msg, &len),
		     SQL_SUCCESS);
	cr_assert_str_eq((char *)state, "42S02");
	cr_assert(strstr((char *)msg, "no such table: nowhere") != NULL, "%s", msg);
}
