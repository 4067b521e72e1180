/*
 * odbc.c -- a private unixODBC configuration for a test process, and the
 * leak check hook.
 *
 * unixODBC (2.3.11, checked with `odbcinst -j` / `odbcinst -q -d`) reads the
 * driver list from <ODBCSYSINI>/<ODBCINSTINI> (ODBCINSTINI is a file NAME
 * relative to ODBCSYSINI: an absolute path there breaks the lookup), system
 * DSNs from <ODBCSYSINI>/odbc.ini and user DSNs from $ODBCINI. All three are
 * set, so nothing system-wide or in $HOME is read or written, and a stray
 * ODBCINSTINI in the environment cannot redirect the driver lookup.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dqt_internal.h"

#ifndef DQT_DEFAULT_DRIVER_SO
#define DQT_DEFAULT_DRIVER_SO "libdqliteodbc.so"
#endif

#if defined(__SANITIZE_ADDRESS__)
#define DQT_HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DQT_HAVE_LSAN 1
#endif
#endif

#ifdef DQT_HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

const char *dqt_driver_path(void)
{
	const char *p = getenv("DQT_DRIVER_SO");

	return p != NULL && p[0] != '\0' ? p : DQT_DEFAULT_DRIVER_SO;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (f == NULL) {
		fprintf(stderr, "dqtest: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = fputs(text, f) >= 0;
	ok = (fclose(f) == 0) && ok;
	if (!ok)
		fprintf(stderr, "dqtest: write error on %s\n", path);
	return ok ? 0 : -1;
}

int dqt_odbc_setup(dqt_cluster *c, const char *db)
{
	char path[320];
	char text[1024];
	int len;

	if (c == NULL || c->root[0] == '\0' || db == NULL)
		return -1;

	len = snprintf(text, sizeof text,
		       "[dqlite-test]\n"
		       "Description = dqlite ODBC driver under test\n"
		       "Driver = %s\n"
		       "Threading = 0\n",
		       dqt_driver_path());
	if (len < 0 || (size_t)len >= sizeof text)
		return -1;
	snprintf(path, sizeof path, "%s/odbcinst.ini", c->root);
	if (write_file(path, text) != 0)
		return -1;

	len = snprintf(text, sizeof text,
		       "[ODBC Data Sources]\n"
		       "dqtest = dqlite-test\n"
		       "\n"
		       "[dqtest]\n"
		       "Driver = dqlite-test\n"
		       "Server = %s\n"
		       "Database = %s\n",
		       c->addresses, db);
	if (len < 0 || (size_t)len >= sizeof text)
		return -1;
	snprintf(path, sizeof path, "%s/odbc.ini", c->root);
	if (write_file(path, text) != 0)
		return -1;

	/* unixODBC reads ODBCINSTINI as a file name inside ODBCSYSINI; iODBC
	 * (DQT_IODBC=1: the iodbc_* tests) as a path of its own */
	if (getenv("DQT_IODBC") && strcmp(getenv("DQT_IODBC"), "1") == 0) {
		char inst[320];
		snprintf(inst, sizeof inst, "%s/odbcinst.ini", c->root);
		if (setenv("ODBCINSTINI", inst, 1) != 0)
			return -1;
		/* iODBC converts an application's ANSI strings for a Unicode
		 * driver with the C library's multibyte functions, in the
		 * application's locale; in the "C" locale a program gets when
		 * it never calls setlocale, non-ASCII bytes do not convert and
		 * the text reaches the driver damaged (docs/iodbc.md) */
		if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
			return -1;
	} else if (setenv("ODBCSYSINI", c->root, 1) != 0 ||
		   setenv("ODBCINSTINI", "odbcinst.ini", 1) != 0) {
		return -1;
	}
	if (setenv("ODBCINI", path, 1) != 0)
		return -1;
	return 0;
}

long dqt_leak_check(void)
{
#ifdef DQT_HAVE_LSAN
	/* LSan reports the leaks on stderr; it does not return a byte count,
	 * so "found" is reported as 1. */
	return __lsan_do_recoverable_leak_check() != 0 ? 1 : 0;
#else
	return 0;
#endif
}
