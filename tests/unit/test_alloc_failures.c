/*
 * Allocation-failure injection over the driver's diagnostic, conversion,
 * parameter, memory-row, connection-string, escape and SELECT-parsing paths
 * (driver/, linked statically from dqodbc_core).
 *
 * This binary is linked with -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc,--wrap=strdup,--wrap=strndup,--wrap=free
 * (tests/CMakeLists.txt), so every allocation the driver and the engine make
 * passes through the wrappers below, which can make the N-th one fail and
 * keep the set of live blocks. For each operation, N = 1, 2, ... until a run
 * meets no injected failure, in two modes: only the N-th allocation fails
 * (a transient shortage), and the N-th and every later one fail (memory is
 * gone). Each run must either give the result of an undisturbed run or
 * report the shortage the way the path promises (HY001 on a handle, -1 with
 * "out of memory", DQC_ENOMEM, DQ_ESC_NOMEM, ...), and after the caller's
 * usual cleanup no block may stay live (a leak). Under the ASan build
 * __real_malloc is ASan's: LeakSanitizer also checks at the end of each test.
 *
 * Assertions are only made with injection off (Criterion allocates too).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connstr.h"
#include "convert.h"
#include "escape.h"
#include "internal.h"
#include "select_parse.h"
#include "tx_tracker.h"
#include "unicode.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN 1
#endif
#endif
#ifdef HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

/* ---------------------------------------------------------- the wrappers */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

enum { OFF = 0, FAIL_ONE, FAIL_FROM };

static int mode;      /* OFF: nothing fails */
static long fail_at;  /* the allocation (1-based, while armed) that fails */
static long n_calls;  /* allocations asked for while armed */
static long n_failed; /* of which failed */

/* The live blocks the wrappers handed out: an open-addressing set (0 empty,
 * 1 deleted). Addresses are stored scrambled (ENC), so the set does not
 * keep a leaked block reachable in LeakSanitizer's eyes. */
#define ENC(p) ((uintptr_t)(p) ^ (uintptr_t)0x5bd1e9955bd1e995ull)
#define LIVE_BITS 18
#define LIVE_CAP (1u << LIVE_BITS)
static uintptr_t live_tab[LIVE_CAP], live_tmp[LIVE_CAP];
static size_t live_n, live_used;

static size_t live_hash(uintptr_t p)
{
	return (size_t)(((uint64_t)(p >> 4) * 0x9E3779B97F4A7C15ull) >> (64 - LIVE_BITS));
}

static void live_insert(uintptr_t p)
{
	size_t i = live_hash(p), tomb = LIVE_CAP;

	for (;; i = (i + 1) & (LIVE_CAP - 1)) {
		if (live_tab[i] == p)
			return;
		if (live_tab[i] == 1 && tomb == LIVE_CAP)
			tomb = i;
		if (live_tab[i] == 0)
			break;
	}
	if (tomb != LIVE_CAP) {
		i = tomb;
	} else {
		live_used++;
	}
	live_tab[i] = p;
	live_n++;
}

static void live_add(void *ptr)
{
	if (ptr == NULL)
		return;
	if (live_used + 1 > LIVE_CAP / 4 * 3) {
		size_t k = 0;
		for (size_t i = 0; i < LIVE_CAP; i++)
			if (live_tab[i] > 1)
				live_tmp[k++] = live_tab[i];
		memset(live_tab, 0, sizeof live_tab);
		live_n = live_used = 0;
		for (size_t i = 0; i < k; i++)
			live_insert(live_tmp[i]);
		if (live_used + 1 > LIVE_CAP / 4 * 3) {
			fprintf(stderr, "test_alloc_failures: live set full\n");
			abort();
		}
	}
	live_insert(ENC(ptr));
}

static void live_remove(void *ptr)
{
	uintptr_t p = ENC(ptr);

	if (ptr == NULL)
		return;
	for (size_t i = live_hash(p);; i = (i + 1) & (LIVE_CAP - 1)) {
		if (live_tab[i] == 0)
			return; /* not ours (libc's own, say) */
		if (live_tab[i] == p) {
			live_tab[i] = 1;
			live_n--;
			return;
		}
	}
}

static int inject(void)
{
	long k;

	if (mode == OFF)
		return 0;
	k = ++n_calls;
	if (k == fail_at || (mode == FAIL_FROM && k > fail_at)) {
		n_failed++;
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *__wrap_malloc(size_t n)
{
	void *p;

	if (inject())
		return NULL;
	p = __real_malloc(n);
	live_add(p);
	return p;
}

void *__wrap_calloc(size_t k, size_t n)
{
	void *p;

	if (inject())
		return NULL;
	p = __real_calloc(k, n);
	live_add(p);
	return p;
}

void *__wrap_realloc(void *p, size_t n)
{
	void *q;

	if (inject())
		return NULL; /* p stays valid, as realloc promises */
	q = __real_realloc(p, n);
	if (q != NULL || n == 0)
		live_remove(p);
	live_add(q);
	return q;
}

void __wrap_free(void *p)
{
	live_remove(p);
	__real_free(p);
}

char *__wrap_strdup(const char *s)
{
	char *p;

	if (inject())
		return NULL;
	p = __real_strdup(s);
	live_add(p);
	return p;
}

char *__wrap_strndup(const char *s, size_t n)
{
	char *p;

	if (inject())
		return NULL;
	p = __real_strndup(s, n);
	live_add(p);
	return p;
}

static void arm(int m, long n)
{
	n_calls = 0;
	n_failed = 0;
	fail_at = n;
	mode = m;
}

static void disarm(void)
{
	mode = OFF;
}

static const char *mode_name(int m)
{
	return m == FAIL_ONE ? "only allocation N fails" : "allocations N, N+1, ... fail";
}

/* ----------------------------------------------------------- reporting */

/* Violations are counted and the first ones logged, so one run shows every
 * path that misbehaves; each test ends by asserting there were none. */
static int violations;
/* Runs that met an injected failure (a test that never injected one would
 * prove nothing). */
static long failing_runs;

static void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void violation(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (violations++ < 12)
		fprintf(stderr, "VIOLATION: %s\n", buf);
}

#define EXPECT(cond, ...) ((cond) ? (void)0 : violation(__VA_ARGS__))

/* Failures were injected (when the test injects), no leak is left
 * (LeakSanitizer, ASan build only), and no violation was seen. */
static void finish(const char *what, int injecting)
{
	if (injecting) {
		fprintf(stderr, "%s: %ld runs met an injected allocation failure\n",
			what, failing_runs);
		cr_expect_gt(failing_runs, 0, "%s: no allocation failure was injected",
			     what);
	}
#ifdef HAVE_LSAN
	cr_expect_eq(__lsan_do_recoverable_leak_check(), 0,
		     "%s: LeakSanitizer found leaks (above)", what);
#endif
	cr_assert_eq(violations, 0, "%s: %d violation(s), the first ones above",
		     what, violations);
}

/* Runs body for N = 1, 2, ... in both modes until a run meets no injected
 * failure. Inside body: `m` is the mode, `n` is N, `injected` whether the
 * run met an injected failure (n_failed > 0); body must call disarm()
 * itself once the operation is done. `live0` is the live count before. */
#define MAX_N 20000
#define FOR_EACH_FAILURE(label)                                              \
	for (int m = FAIL_ONE; m <= FAIL_FROM; m++)                          \
		for (long n = 1, injected = 1, live0 = 0;                    \
		     injected && n <= MAX_N; n++)                            \
			for (int once_ = (live0 = (long)live_n, arm(m, n), 1); \
			     once_; once_ = 0,                               \
			     injected = n_failed > 0,                        \
			     failing_runs += injected,                       \
			     EXPECT((long)live_n == live0,                   \
				    "%s (%s, N=%ld): %ld block(s) leaked",   \
				    label, mode_name(m), n,                  \
				    (long)live_n - live0))

/* ========================================================== diagnostics */

typedef struct push_spec {
	const char *state;
	const char *text; /* the message after the prefix */
} push_spec;

static char long_text[2100];

/* The pushes the diagnostics test makes, in order (states unique, so a
 * stored record names its push). */
static push_spec pushes[] = {
	{"01004", "string data, right truncated"},
	{"42000", "syntax error near 'x'"},
	{"01S07", "fractional truncation"},
	{"23000", "UNIQUE constraint failed: t.x"},
	{"HY008", "operation canceled: operation canceled; the next call reconnects"},
	{"HY001", "memory allocation failure"},
	{"HY000", NULL}, /* long_text, cut to the record's limit */
};
#define N_PUSH (sizeof pushes / sizeof pushes[0])

static void do_pushes(dq_handle *h)
{
	dq_diag_push(h, "01004", 0, "%s", "string data, right truncated");
	dq_error(h, "42000", "syntax error near '%s'", "x");
	dq_warn(h, "01S07", "fractional truncation");
	dq_engine_diag(h, DQC_ESERVER, 2067, "UNIQUE constraint failed: t.x", NULL);
	dq_engine_diag(h, DQC_ECANCELED, 0, "operation canceled",
		       "the next call reconnects");
	dq_input_error(h, 0, "SQL text");
	dq_diag_push(h, "HY000", 0, "%s", long_text);
}

/* Reads every record of h as SQLGetDiagRec / SQLGetDiagField do (narrow
 * and wide) and checks it against what was pushed; runs with every
 * allocation failing, since an application reads the diagnostics of a
 * shortage while it lasts. */
static void check_diag_reads(dq_handle *h, const char *label)
{
	int count = dq_diag_count(&h->diag);
	int stored = h->diag.n;
	size_t next_push = 0;
	SQLINTEGER number = -1;
	/* the caller's run counters survive the reads */
	long saved_calls = n_calls, saved_failed = n_failed, saved_at = fail_at;

	arm(FAIL_FROM, 1);
	for (int rec = 1; rec <= count; rec++) {
		char state[6] = "", fstate[6] = "", origin[32] = "";
		const char *msg = NULL;
		SQLINTEGER native = -1, fnative = -1;
		char text[2048] = "";
		SQLWCHAR wtext[2048], wstate[6], want_w[2048];
		SQLSMALLINT len = -1, wlen = -1;
		SQLRETURN r1, r2, r3, r4, r5, r6, r7;

		r1 = dq_get_diag_rec(SQL_HANDLE_ENV, h, (SQLSMALLINT)rec, state, &native, &msg);
		r2 = dq_get_diag_field(SQL_HANDLE_ENV, h, (SQLSMALLINT)rec, SQL_DIAG_SQLSTATE,
				       fstate, sizeof fstate, &len, 0);
		r3 = dq_get_diag_field(SQL_HANDLE_ENV, h, (SQLSMALLINT)rec, SQL_DIAG_MESSAGE_TEXT,
				       text, sizeof text, &len, 0);
		r4 = dq_get_diag_field(SQL_HANDLE_ENV, h, (SQLSMALLINT)rec, SQL_DIAG_MESSAGE_TEXT,
				       wtext, sizeof wtext, &wlen, 1);
		r5 = dq_get_diag_field(SQL_HANDLE_ENV, h, (SQLSMALLINT)rec, SQL_DIAG_SQLSTATE,
				       wstate, sizeof wstate, NULL, 1);
		r6 = dq_get_diag_field(SQL_HANDLE_ENV, h, (SQLSMALLINT)rec, SQL_DIAG_NATIVE,
				       &fnative, 0, NULL, 0);
		r7 = dq_get_diag_field(SQL_HANDLE_ENV, h, (SQLSMALLINT)rec,
				       SQL_DIAG_CLASS_ORIGIN, origin, sizeof origin, NULL, 0);
		disarm();
		EXPECT(r1 == SQL_SUCCESS && msg != NULL && r2 == SQL_SUCCESS &&
			       r3 == SQL_SUCCESS && r4 == SQL_SUCCESS && r5 == SQL_SUCCESS &&
			       r6 == SQL_SUCCESS && r7 == SQL_SUCCESS,
		       "%s: record %d of %d not readable (%d %d %d %d %d %d %d)", label,
		       rec, count, r1, r2, r3, r4, r5, r6, r7);
		if (r1 != SQL_SUCCESS || msg == NULL) {
			arm(FAIL_FROM, 1);
			continue;
		}
		EXPECT(strcmp(state, fstate) == 0 && strcmp(msg, text) == 0 &&
			       native == fnative && origin[0] != '\0',
		       "%s: record %d reads differently through SQLGetDiagField", label, rec);
		{
			size_t units = dq_utf8_to_utf16(msg, strlen(msg), want_w, 2048);
			EXPECT(units < 2048 && memcmp(wtext, want_w, (units + 1) * 2) == 0,
			       "%s: record %d: the wide message differs", label, rec);
			dq_utf8_to_utf16(state, strlen(state), want_w, 6);
			EXPECT(memcmp(wstate, want_w, 12) == 0,
			       "%s: record %d: the wide SQLSTATE differs", label, rec);
		}
		EXPECT(strncmp(msg, "[dqlite-odbc]", 13) == 0,
		       "%s: record %d: message without the prefix: %s", label, rec, msg);
		if (rec <= stored) {
			/* a stored record: the push it came from, in order */
			while (next_push < N_PUSH &&
			       strcmp(pushes[next_push].state, state) != 0)
				next_push++;
			EXPECT(next_push < N_PUSH,
			       "%s: record %d has SQLSTATE %s, not one pushed (in order)",
			       label, rec, state);
			if (next_push < N_PUSH) {
				const char *want = pushes[next_push].text;
				int words = strstr(msg, "a diagnostic record could not be stored") != NULL;
				if (want == NULL)
					EXPECT(words || (strlen(msg) > 1000 &&
							 strncmp(msg + 13, long_text, 100) == 0),
					       "%s: record %d: the long message is wrong", label, rec);
				else
					EXPECT(words || strcmp(msg + 13, want) == 0,
					       "%s: record %d: message '%s', expected '%s'", label,
					       rec, msg, want);
				next_push++;
			}
		} else {
			/* the stand-in for the records that could not be stored */
			EXPECT(rec == count && h->diag.oom && strcmp(state, "HY001") == 0 &&
				       strstr(msg, "could not be stored") != NULL,
			       "%s: record %d past the stored ones is %s '%s', expected the "
			       "HY001 stand-in", label, rec, state, msg);
		}
		arm(FAIL_FROM, 1);
	}
	{
		const char *msg;
		SQLRETURN r = dq_get_diag_rec(SQL_HANDLE_ENV, h, (SQLSMALLINT)(count + 1),
					      NULL, NULL, &msg);
		SQLRETURN rn = dq_get_diag_field(SQL_HANDLE_ENV, h, 0, SQL_DIAG_NUMBER,
						 &number, 0, NULL, 0);
		disarm();
		EXPECT(r == SQL_NO_DATA, "%s: a record past the count: %d", label, r);
		EXPECT(rn == SQL_SUCCESS && number == count,
		       "%s: SQL_DIAG_NUMBER %d, count %d", label, (int)number, count);
	}
	n_calls = saved_calls, n_failed = saved_failed, fail_at = saved_at;
}

Test(alloc_failures, diagnostics_keep_a_readable_record_when_memory_runs_out)
{
	memset(long_text, 'L', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	FOR_EACH_FAILURE("diagnostics")
	{
		dq_handle h;
		char label[96];
		int lost;

		memset(&h, 0, sizeof h);
		h.magic = DQ_MAGIC;
		h.type = DQ_HENV;
		do_pushes(&h);
		disarm();
		snprintf(label, sizeof label, "diagnostics (%s, N=%ld)", mode_name(m), n);
		lost = (int)N_PUSH - h.diag.n;
		EXPECT(dq_diag_count(&h.diag) >= 1, "%s: no record at all", label);
		EXPECT(h.diag.oom == (lost > 0),
		       "%s: %d push(es) lost, stand-in %s", label, lost,
		       h.diag.oom ? "present" : "missing");
		if (n_failed == 0)
			EXPECT(h.diag.n == (int)N_PUSH && !h.diag.oom,
			       "%s: undisturbed run stored %d of %d", label, h.diag.n,
			       (int)N_PUSH);
		check_diag_reads(&h, label);
		/* a later call clears the records, and a push works again */
		dq_diag_clear(&h.diag);
		EXPECT(dq_diag_count(&h.diag) == 0, "%s: records after clear", label);
		dq_diag_push(&h, "HY000", 0, "after");
		EXPECT(h.diag.n == 1 && strcmp(h.diag.recs[0].sqlstate, "HY000") == 0,
		       "%s: a push after the shortage failed", label);
		dq_diag_free(&h.diag);
	}
	finish("diagnostics", 1);
}

/* =========================================================== conversions */

typedef struct conv_out {
	SQLRETURN rc;
	char state[6];
	SQLLEN len;
	dq_piece offset;
	unsigned char buf[256];
} conv_out;

static void conv_run(const dqc_value *v, SQLSMALLINT ctype, SQLLEN buflen,
		     conv_out *o)
{
	dq_conv c;

	memset(o, 0xA5, sizeof *o);
	memset(&o->offset, 0, sizeof o->offset);
	o->len = -77;
	o->rc = dq_convert(v, ctype, o->buf, buflen, &o->offset, &o->len, &c);
	memcpy(o->state, c.state, sizeof o->state);
}

Test(alloc_failures, conversions_succeed_or_report_HY001_without_leaking)
{
	static const SQLSMALLINT ctypes[] = {
		SQL_C_CHAR, SQL_C_WCHAR, SQL_C_BINARY, SQL_C_DEFAULT,
		SQL_C_STINYINT, SQL_C_UTINYINT, SQL_C_TINYINT, SQL_C_SSHORT,
		SQL_C_USHORT, SQL_C_SHORT, SQL_C_SLONG, SQL_C_ULONG, SQL_C_LONG,
		SQL_C_SBIGINT, SQL_C_UBIGINT, SQL_C_FLOAT, SQL_C_DOUBLE, SQL_C_BIT,
		SQL_C_NUMERIC, SQL_C_TYPE_DATE, SQL_C_DATE, SQL_C_TYPE_TIME,
		SQL_C_TIME, SQL_C_TYPE_TIMESTAMP, SQL_C_TIMESTAMP};
	static const unsigned char blob[] = {0xde, 0xad, 0xbe, 0xef, 0x00, 0x7f};
	static const char utf8[] = "h\xc3\xa9llo w\xc3\xb6rld \xf0\x9f\x98\x80";
	dqc_value vals[8];
	int nv = 0;

	vals[nv].type = DQC_INTEGER, vals[nv++].v.integer = 42;
	vals[nv].type = DQC_FLOAT, vals[nv++].v.real = 3.25;
	vals[nv].type = DQC_TEXT, vals[nv].v.text.ptr = "12", vals[nv++].v.text.len = 2;
	vals[nv].type = DQC_TEXT, vals[nv].v.text.ptr = utf8,
	vals[nv++].v.text.len = sizeof utf8 - 1;
	vals[nv].type = DQC_BLOB, vals[nv].v.blob.ptr = blob,
	vals[nv++].v.blob.len = sizeof blob;
	vals[nv].type = DQC_BOOLEAN, vals[nv++].v.boolean = 1;
	vals[nv].type = DQC_UNIXTIME, vals[nv++].v.integer = 1700000000;
	vals[nv].type = DQC_ISO8601, vals[nv].v.text.ptr = "2024-01-02 03:04:05.5",
	vals[nv++].v.text.len = 21;

	for (int vi = 0; vi < nv; vi++)
		for (size_t ci = 0; ci < sizeof ctypes / sizeof ctypes[0]; ci++)
			for (int small = 0; small <= 1; small++) {
				SQLLEN buflen = small ? 6 : (SQLLEN)sizeof ((conv_out *)0)->buf;
				conv_out base, got;
				char label[96];

				snprintf(label, sizeof label, "dq_convert(value %d, C type %d, %ld bytes)",
					 vi, ctypes[ci], (long)buflen);
				conv_run(&vals[vi], ctypes[ci], buflen, &base);
				FOR_EACH_FAILURE(label)
				{
					conv_run(&vals[vi], ctypes[ci], buflen, &got);
					disarm();
					if (got.rc == SQL_ERROR && strcmp(got.state, "HY001") == 0 &&
					    n_failed > 0)
						continue; /* reported the shortage */
					EXPECT(got.rc == base.rc && strcmp(got.state, base.state) == 0 &&
						       got.len == base.len && got.offset.offset == base.offset.offset &&
						       memcmp(got.buf, base.buf, sizeof got.buf) == 0,
					       "%s (%s, N=%ld, %ld allocation(s), %ld failed): rc %d "
					       "state '%s', expected the undisturbed rc %d '%s' or "
					       "SQL_ERROR with HY001", label, mode_name(m), n, n_calls,
					       n_failed, got.rc, got.state, base.rc, base.state);
				}
			}
	finish("conversions", 1);
}

/* ============================================================ parameters */

typedef struct pvalue {
	int type;
	long long i;
	double d;
	char text[80];
	size_t len;
} pvalue;

static void pvalue_of(const dqc_value *v, pvalue *p)
{
	memset(p, 0, sizeof *p);
	p->type = v->type;
	switch (v->type) {
	case DQC_INTEGER: p->i = v->v.integer; break;
	case DQC_FLOAT: p->d = v->v.real; break;
	case DQC_TEXT:
		p->len = v->v.text.len;
		memcpy(p->text, v->v.text.ptr, p->len < 79 ? p->len : 79);
		break;
	case DQC_BLOB:
		p->len = v->v.blob.len;
		memcpy(p->text, v->v.blob.ptr, p->len < 79 ? p->len : 79);
		break;
	default: break;
	}
}

#define N_PARAMS 16

Test(alloc_failures, parameter_building_succeeds_or_reports_HY001_without_leaking)
{
	static SQLWCHAR w1[] = {'w', 'i', 'd', 'e', ' ', 0xfc, 0};
	static SQLWCHAR w2[] = {0xd83d, 0xde00, ' ', 'x', 0};
	static SQLWCHAR w3[] = {'t', 'h', 'i', 'r', 'd', 0};
	static char text[] = "hello";
	static char hex[] = "68656C6C6F"; /* SQL_C_CHAR to binary: hex digits */
	static unsigned char bin[] = {1, 2, 0, 4};
	SQL_NUMERIC_STRUCT num = {.precision = 10, .scale = 2, .sign = 1};
	SQL_NUMERIC_STRUCT num2 = {.precision = 10, .scale = 0, .sign = 0};
	SQL_DATE_STRUCT date = {2024, 1, 2};
	SQL_TIME_STRUCT time = {3, 4, 5};
	SQL_TIMESTAMP_STRUCT ts = {2024, 1, 2, 3, 4, 5, 500000000};
	SQL_TIMESTAMP_STRUCT ts2 = {1999, 12, 31, 23, 59, 59, 0};
	SQLBIGINT big = -9000000000LL;
	double dbl = 2.5;
	SQLLEN nts = SQL_NTS, binlen = sizeof bin, null_ind = SQL_NULL_DATA;
	dqc_value vals[N_PARAMS];
	pvalue base[N_PARAMS];
	dq_env *env;
	dq_dbc *dbc;
	dq_stmt *s;
	SQLRETURN rc;
	int k = 0;

	num.val[0] = 0x39, num.val[1] = 0x30; /* 12345 -> 123.45 */
	num2.val[0] = 7;                      /* -7 */
	cr_assert_eq(dq_env_alloc(&env), SQL_SUCCESS);
	pthread_mutex_lock(&env->lock);
	cr_assert_eq(dq_dbc_alloc(env, &dbc), SQL_SUCCESS);
	pthread_mutex_unlock(&env->lock);
	cr_assert_eq(dq_stmt_alloc(dbc, &s), SQL_SUCCESS);

#define BIND(ct, st, ptr, blen, ind)                                          \
	cr_assert_eq(dq_bind_parameter(s, (SQLUSMALLINT)++k, SQL_PARAM_INPUT, ct, st, \
				       0, 0, ptr, blen, ind), SQL_SUCCESS)
	BIND(SQL_C_CHAR, SQL_VARCHAR, text, sizeof text, &nts);
	BIND(SQL_C_WCHAR, SQL_WVARCHAR, w1, sizeof w1, &nts);
	BIND(SQL_C_BINARY, SQL_VARBINARY, bin, sizeof bin, &binlen);
	BIND(SQL_C_NUMERIC, SQL_NUMERIC, &num, 0, NULL);
	BIND(SQL_C_TYPE_DATE, SQL_TYPE_DATE, &date, 0, NULL);
	BIND(SQL_C_TYPE_TIME, SQL_TYPE_TIME, &time, 0, NULL);
	BIND(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, &ts, 0, NULL);
	BIND(SQL_C_SBIGINT, SQL_BIGINT, &big, 0, NULL);
	BIND(SQL_C_DOUBLE, SQL_DOUBLE, &dbl, 0, NULL);
	BIND(SQL_C_CHAR, SQL_VARCHAR, text, sizeof text, &null_ind);
	BIND(SQL_C_WCHAR, SQL_WVARCHAR, w2, sizeof w2, &nts);
	BIND(SQL_C_DATE, SQL_DATE, &date, 0, NULL);
	BIND(SQL_C_TIMESTAMP, SQL_TIMESTAMP, &ts2, 0, NULL);
	BIND(SQL_C_NUMERIC, SQL_NUMERIC, &num2, 0, NULL);
	BIND(SQL_C_WCHAR, SQL_WVARCHAR, w3, sizeof w3, &nts);
	BIND(SQL_C_CHAR, SQL_VARBINARY, hex, sizeof hex, &nts);
#undef BIND
	cr_assert_eq(k, N_PARAMS);

	{
		dq_arena a = {0};
		rc = dq_params_build(s, 0, vals, N_PARAMS, &a);
		cr_assert_eq(rc, SQL_SUCCESS);
		for (int i = 0; i < N_PARAMS; i++)
			pvalue_of(&vals[i], &base[i]);
		cr_assert(a.n > 8, "more than 8 arena blocks (%zu), so the arena grows", a.n);
		dq_arena_free(&a);
	}

	FOR_EACH_FAILURE("dq_params_build")
	{
		dq_arena a = {0};
		char state[6] = "";
		const char *msg = "";

		memset(vals, 0, sizeof vals);
		rc = dq_params_build(s, 0, vals, N_PARAMS, &a);
		disarm();
		if (rc == SQL_SUCCESS) {
			int same = 1;
			for (int i = 0; i < N_PARAMS; i++) {
				pvalue p;
				pvalue_of(&vals[i], &p);
				same &= memcmp(&p, &base[i], sizeof p) == 0;
			}
			EXPECT(same, "dq_params_build (%s, N=%ld): succeeded with other values",
			       mode_name(m), n);
		} else {
			if (dq_get_diag_rec(SQL_HANDLE_STMT, s, 1, state, NULL, &msg) != SQL_SUCCESS)
				msg = "(no record)";
			EXPECT(rc == SQL_ERROR && n_failed > 0 && strcmp(state, "HY001") == 0,
			       "dq_params_build (%s, N=%ld, %ld failed): rc %d with '%s' %s; "
			       "expected success or HY001", mode_name(m), n, n_failed, rc,
			       state, msg);
		}
		dq_arena_free(&a);
		dq_diag_free(&s->h.diag);
	}
	dq_stmt_free(s);
	dq_dbc_free(dbc);
	dq_env_free(env);
	finish("parameters", 1);
}

/* ============================================================== memrows */

#define MR_ROWS 40

static void mr_cells(int r, dqc_value c[3], char *text, unsigned char *blob)
{
	size_t tl = (size_t)(r * 7 % 50);

	memset(text, 'a' + r % 26, tl);
	text[tl] = '\0';
	for (int i = 0; i < r % 9; i++)
		blob[i] = (unsigned char)(r + i);
	c[0].type = DQC_INTEGER, c[0].v.integer = r;
	c[1].type = DQC_TEXT, c[1].v.text.ptr = text, c[1].v.text.len = tl;
	c[2].type = DQC_BLOB, c[2].v.blob.ptr = blob, c[2].v.blob.len = (size_t)(r % 9);
}

Test(alloc_failures, memrows_keep_every_added_row_when_memory_runs_out)
{
	FOR_EACH_FAILURE("memrows")
	{
		dq_memrows *mr = dq_memrows_new(3);
		int added[MR_ROWS], nadded = 0, bad_rc = 0;

		for (int r = 0; mr != NULL && r < MR_ROWS; r++) {
			char text[64];
			unsigned char blob[16];
			dqc_value c[3];
			int rc;

			mr_cells(r, c, text, blob);
			rc = dq_memrows_add(mr, c);
			/* the caller's buffers change right after: rows are copies */
			memset(text, '#', sizeof text);
			memset(blob, 0xff, sizeof blob);
			if (rc == 0)
				added[nadded++] = r;
			else if (rc != DQC_ENOMEM)
				bad_rc = rc;
		}
		disarm();
		EXPECT(mr != NULL || n_failed > 0, "memrows (N=%ld): new failed unasked", n);
		EXPECT(bad_rc == 0, "memrows (%s, N=%ld): add returned %d, not DQC_ENOMEM",
		       mode_name(m), n, bad_rc);
		if (mr != NULL) {
			EXPECT(dq_memrows_count(mr) == (size_t)nadded,
			       "memrows (%s, N=%ld): count %zu, %d added", mode_name(m), n,
			       dq_memrows_count(mr), nadded);
			if (n_failed == 0)
				EXPECT(nadded == MR_ROWS, "memrows: undisturbed run added %d",
				       nadded);
			for (int i = 0; i < nadded && (size_t)i < dq_memrows_count(mr); i++) {
				char text[64];
				unsigned char blob[16];
				dqc_value c[3];
				const dqc_value *row = dq_memrows_row(mr, (size_t)i);

				mr_cells(added[i], c, text, blob);
				EXPECT(row[0].type == DQC_INTEGER && row[0].v.integer == added[i] &&
					       row[1].type == DQC_TEXT &&
					       row[1].v.text.len == c[1].v.text.len &&
					       memcmp(row[1].v.text.ptr, text, c[1].v.text.len + 1) == 0 &&
					       row[2].type == DQC_BLOB &&
					       row[2].v.blob.len == c[2].v.blob.len &&
					       memcmp(row[2].v.blob.ptr, blob, c[2].v.blob.len) == 0,
				       "memrows (%s, N=%ld): row %d (source %d) differs",
				       mode_name(m), n, i, added[i]);
			}
		}
		dq_memrows_free(mr);
	}
	finish("memrows", 1);
}

/* ===================================================== connection strings */

static const char *const connstrs[] = {
	"DSN=prod;Server= 10.0.0.1:9001 , 10.0.0.2 ,[::1]:7000, ::1 ;Port=9002;"
	"Database={my;db}}x};Timeout=30;LoginTimeout=5;MaxTotalRows=100;"
	"MaxContinuationFrames=7;TLS=yes;TLSVerify=no;TLSCAFile=/a/ca.pem;"
	"TLSCertFile=/a/c.pem;TLSKeyFile=/a/k.pem;TLSServerName=db.local;"
	"UID=u;PWD={p;w};Description=d;;",
	"Driver={dqlite odbc};Server=a,b,c,d,e,f,g,h,i,j;Database=x",
};

typedef struct cs_result {
	int parse_rc, apply_rc, naddr;
	char err[600];
	char kv[2048];     /* key=value|... */
	char addrs[1024];
	char out[2048];    /* dq_config_to_string */
} cs_result;

static void cs_run(const char *s, cs_result *r)
{
	dq_kvlist l;
	dq_config c;
	char **addrs = NULL;
	char err[600] = "";

	memset(r, 0, sizeof *r);
	dq_config_init(&c);
	r->parse_rc = dq_connstr_parse(s, strlen(s), &l, err, sizeof err);
	if (r->parse_rc != 0) {
		snprintf(r->err, sizeof r->err, "parse: %s", err);
		r->apply_rc = 1;
		r->naddr = l.n == 0 && l.items == NULL ? 0 : -2; /* -2: not emptied */
		dq_kvlist_free(&l);
		dq_config_free(&c);
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		size_t o = strlen(r->kv);
		snprintf(r->kv + o, sizeof r->kv - o, "%s=%s|", l.items[i].key,
			 l.items[i].value);
	}
	r->apply_rc = dq_config_apply(&c, &l, DQ_CFG_FROM_STRING, err, sizeof err);
	if (r->apply_rc != 0) {
		snprintf(r->err, sizeof r->err, "apply: %s", err);
	} else {
		r->naddr = dq_config_addresses(&c, &addrs, err, sizeof err);
		if (r->naddr < 0) {
			snprintf(r->err, sizeof r->err, "addresses: %s", err);
			if (addrs != NULL)
				r->naddr = -3; /* -3: *out not NULL after a failure */
		}
		for (int i = 0; i < r->naddr; i++) {
			size_t o = strlen(r->addrs);
			snprintf(r->addrs + o, sizeof r->addrs - o, "%s|", addrs[i]);
		}
		dq_config_to_string(&c, r->out, sizeof r->out);
		if (r->naddr > 0)
			dq_addresses_free(addrs, r->naddr);
	}
	dq_kvlist_free(&l);
	dq_config_free(&c);
}

Test(alloc_failures, connection_strings_succeed_or_say_out_of_memory_without_leaking)
{
	for (size_t i = 0; i < sizeof connstrs / sizeof connstrs[0]; i++) {
		cs_result base, got;

		cs_run(connstrs[i], &base);
		cr_assert(base.parse_rc == 0 && base.apply_rc == 0 && base.naddr >= 4,
			  "baseline of string %zu: %s", i, base.err);
		FOR_EACH_FAILURE("connection string")
		{
			cs_run(connstrs[i], &got);
			disarm();
			if (got.parse_rc == 0 && got.apply_rc == 0 && got.naddr > 0) {
				EXPECT(strcmp(got.kv, base.kv) == 0 &&
					       strcmp(got.addrs, base.addrs) == 0 &&
					       strcmp(got.out, base.out) == 0 && got.naddr == base.naddr,
				       "connection string %zu (%s, N=%ld): succeeded with other "
				       "results", i, mode_name(m), n);
				continue;
			}
			EXPECT(n_failed > 0 && got.naddr >= -1 &&
				       strstr(got.err, "out of memory") != NULL,
			       "connection string %zu (%s, N=%ld, %ld failed): '%s' (naddr "
			       "%d); expected success or 'out of memory' with nothing left",
			       i, mode_name(m), n, n_failed, got.err, got.naddr);
		}
	}
	finish("connection strings", 1);
}

/* ================================================================ escapes */

static const char *const escape_inputs[] = {
	"SELECT 1 FROM t WHERE x = 'no escapes here'",
	"SELECT {fn UCASE({fn LTRIM(name)})}, {d '2024-01-02'}, {t '10:11:12'}, "
	"{ts '2024-01-02 03:04:05.5'}, {fn CONCAT('a', {fn LCASE('B')})}, "
	"{fn LOCATE('c', 'abc')}, {fn MOD(7, 3)}, {fn CURDATE()} FROM "
	"{oj a LEFT OUTER JOIN b ON a.x = b.x} WHERE x LIKE 'a\\%' {escape '\\'} "
	"AND y = '{not an escape}' /* {nor this} */ AND z = 1",
	"SELECT {fn UCASE('unterminated'",
	"{call proc(1)}",
};

Test(alloc_failures, escape_translation_succeeds_or_reports_nomem_without_leaking)
{
	for (size_t i = 0; i < sizeof escape_inputs / sizeof escape_inputs[0]; i++) {
		char msg[256], *base = NULL;
		int base_rc = dq_escape_translate(escape_inputs[i], &base, msg, sizeof msg);

		cr_assert(base_rc == 0 || i >= 2, "baseline %zu: %d %s", i, base_rc, msg);
		FOR_EACH_FAILURE("escape")
		{
			char *out = (char *)1;
			int rc = dq_escape_translate(escape_inputs[i], &out, msg, sizeof msg);

			disarm();
			if (rc == DQ_ESC_NOMEM && n_failed > 0) {
				EXPECT(out == NULL, "escape %zu (N=%ld): NOMEM with *out set", i, n);
			} else {
				EXPECT(rc == base_rc &&
					       (rc != 0 || (out && strcmp(out, base) == 0)) &&
					       (rc == 0 || out == NULL),
				       "escape %zu (%s, N=%ld, %ld failed): rc %d '%s', expected "
				       "the undisturbed rc %d or DQ_ESC_NOMEM", i, mode_name(m), n,
				       n_failed, rc, rc == 0 && out ? out : msg, base_rc);
			}
			if (rc == 0)
				free(out);
		}
		free(base);
	}
	finish("escapes", 1);
}

/* ========================================================== SELECT parser */

static const char *const selects[] = {
	"SELECT a, t.b, c AS cc, d dd, count(*), *, t.* FROM main.tbl AS x WHERE a > 1",
	"SELECT \"quo\"\"ted\", `bq`, [br] FROM \"T\" ORDER BY 1",
	"SELECT DISTINCT x.y FROM t1 x",
	"SELECT a FROM t1 JOIN t2 ON t1.a = t2.a",
};

/* The parse as text: "r|table|star:column|...". */
static void sel_str(int r, const dq_plain_select *ps, char *out, size_t cap)
{
	size_t o = (size_t)snprintf(out, cap, "%d|%s|", r, r && ps->table ? ps->table : "-");

	for (int i = 0; r && i < ps->nitems && o < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%d:%s|", ps->items[i].star,
				      ps->items[i].column ? ps->items[i].column : "(expr)");
}

Test(alloc_failures, select_parser_answers_0_or_the_full_parse_when_memory_runs_out)
{
	for (size_t i = 0; i < sizeof selects / sizeof selects[0]; i++) {
		dq_plain_select ps;
		char base[1024], got[1024];
		int r = dq_parse_plain_select(selects[i], &ps);

		sel_str(r, &ps, base, sizeof base);
		if (r)
			dq_plain_select_free(&ps);
		cr_assert(r == (i < 3), "baseline %zu: %s", i, base);
		FOR_EACH_FAILURE("select parser")
		{
			int empty = 1;

			r = dq_parse_plain_select(selects[i], &ps);
			disarm();
			sel_str(r, &ps, got, sizeof got);
			if (r) {
				EXPECT(strcmp(got, base) == 0,
				       "select %zu (%s, N=%ld, %ld failed): answered 1 with '%s', "
				       "expected '%s' or 0 (the header: out of memory answers 0)",
				       i, mode_name(m), n, n_failed, got, base);
				dq_plain_select_free(&ps);
			} else {
				/* 0: nothing to free */
				empty = ps.table == NULL && ps.nitems == 0;
				EXPECT(empty, "select %zu (N=%ld): answered 0 with %d items left",
				       i, n, ps.nitems);
				EXPECT(n_failed > 0 || strncmp(base, "0|", 2) == 0,
				       "select %zu (N=%ld): answered 0 without a failure", i, n);
			}
		}
	}
	finish("select parser", 1);
}

/* ==================================================== transaction tracker */

Test(alloc_failures, transaction_tracker_allocates_nothing)
{
	static const char *const script[] = {
		"INSERT INTO t VALUES (1)", "SAVEPOINT sp1", "SAVEPOINT \"quoted\"",
		"SAVEPOINT Sp_2", "RELEASE sp_2", "ROLLBACK TO SAVEPOINT sp1",
		"UPDATE t SET x = 2", "RELEASE SAVEPOINT sp1", "COMMIT",
		"SAVEPOINT outer_sp", "RELEASE outer_sp", "ROLLBACK",
	};
	dq_tx with, without;
	long calls;
	int needs[2][sizeof script / sizeof script[0]];
	char names[2][sizeof script / sizeof script[0]][DQ_TX_NAME_MAX + 1];

	for (int pass = 0; pass < 2; pass++) {
		dq_tx *tx = pass ? &with : &without;

		memset(tx, 0, sizeof *tx);
		if (pass)
			arm(FAIL_FROM, 1); /* every allocation would fail */
		dq_tx_began(tx, 1);
		for (size_t i = 0; i < sizeof script / sizeof script[0]; i++) {
			dqc_sql_info info;
			dqc_sql_classify(script[i], strlen(script[i]), &info);
			dq_tx_savepoint_name(script[i], &info, names[pass][i]);
			dq_tx_after(tx, script[i], &info);
			if (info.is_write)
				dq_tx_wrote(tx);
			needs[pass][i] = dq_tx_needs_rollback(tx);
		}
		dq_tx_ended(tx);
		calls = n_calls;
		disarm();
	}
	cr_assert_eq(calls, 0, "the tracker (and the classifier) asked for %ld allocation(s)",
		     calls);
	cr_assert(memcmp(&with, &without, sizeof with) == 0 &&
			  memcmp(needs[0], needs[1], sizeof needs[0]) == 0 &&
			  memcmp(names[0], names[1], sizeof names[0]) == 0,
		  "the tracker behaved differently with allocations failing");
	cr_assert(with.untracked, "the quoted savepoint made the tracker untracked");
	finish("transaction tracker", 0);
}
