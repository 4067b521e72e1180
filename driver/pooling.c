/*
 * pooling.c -- what unixODBC's connection pool needs from the driver: a
 * reset when a connection goes back to the pool, and a true answer to
 * "is this connection dead?" before it is handed out again.
 *
 * What unixODBC 2.3.11 does (DriverManager/SQLConnect.c, SQLDisconnect.c),
 * which decides everything here:
 *  - SQLDisconnect of a pooled connection never reaches the driver. The
 *    driver manager drops its own statement handles, then, only when the
 *    connection's ODBC version is exactly 3.80 (the application's: the
 *    driver manager forces it to the application's after connecting), sets
 *    SQL_ATTR_RESET_CONNECTION. For ODBC 2 and 3.0 applications the driver
 *    hears nothing.
 *  - Before handing a pooled connection out it asks SQL_ATTR_CONNECTION_DEAD
 *    (SQLGetConnectAttr, BufferLength SQL_IS_INTEGER, no length pointer);
 *    TRUE makes it close the connection (SQLDisconnect + SQLFreeHandle)
 *    and open a new one. If that SQLDisconnect fails, the driver's
 *    connection is abandoned, never freed.
 * So:
 *  - dq_pool_reset (ODBC 3.80): the whole reset. Statements are freed (the
 *    driver manager already dropped their handles), an open transaction is
 *    rolled back (one round trip; none when nothing is open), attributes go
 *    back to their values after connect (the autocommit contract starts
 *    unmanaged again).
 *  - dq_pool_dead: the truth about the link, from the kernel (no round
 *    trip). When the call has the driver manager's shape and pooling is
 *    configured for the driver (CPTimeout > 0 in its odbcinst.ini
 *    section), it is also the hand-over the driver never otherwise sees
 *    for ODBC 2/3.0 applications: a connection still holding work the
 *    previous user left (a transaction with writes or begun by the
 *    application, a lost one, an untracked savepoint) has its link closed
 *    -- the server rolls the work back, nothing reaches the next user --
 *    and is reported dead, truly; a clean one has its statements' state
 *    released (cursors, data at execution, server-side prepared
 *    statements) and its attributes reset, and is handed out. Statement
 *    handles are not freed there: nothing proves the caller is the driver
 *    manager, and an application that still held one must not crash.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <odbcinst.h>

#include "internal.h"
#include "session.h"

/* Attributes an application can change after connecting, back to what a
 * fresh connection has. */
static void reset_attributes(dq_dbc *dbc)
{
	dbc->connection_timeout = 0;
	dbc->access_mode = SQL_MODE_READ_WRITE;
	dbc->metadata_id = SQL_FALSE;
	dbc->quiet_mode = 0;
	dbc->packet_size = 4096;
	dbc->async_enable = SQL_ASYNC_ENABLE_OFF;
	dbc->async_dbc_enable = SQL_ASYNC_DBC_ENABLE_OFF;
	dq_sess_forget_mode(&dbc->sess);
}

int dq_pool_configured(const char *driver)
{
	char buf[32] = "";
	int c0, c1;

	if (driver == NULL || driver[0] == '\0')
		return 0;
	/* read as unixODBC reads it when the application allocates its
	 * environment: 1, Yes or On */
	SQLGetPrivateProfileString("ODBC", "Pooling", "0", buf, sizeof buf,
				   "ODBCINST.INI");
	c0 = toupper((unsigned char)buf[0]);
	c1 = c0 ? toupper((unsigned char)buf[1]) : 0;
	if (!(c0 == '1' || c0 == 'Y' || (c0 == 'O' && c1 == 'N')))
		return 0;
	buf[0] = '\0';
	SQLGetPrivateProfileString(driver, "CPTimeout", "0", buf, sizeof buf,
				   "ODBCINST.INI");
	return atoi(buf) > 0;
}

SQLRETURN dq_pool_reset(dq_dbc *dbc)
{
	SQLRETURN rc;

	if (dbc->state != DQ_C_CONNECTED)
		return SQL_SUCCESS;
	while (dbc->stmts)
		dq_stmt_free(dbc->stmts);
	while (dbc->descs)
		dq_desc_free(dbc->descs);
	rc = dq_sess_reset(&dbc->sess, &dbc->h);
	reset_attributes(dbc); /* nothing is open now */
	return rc;
}

/* Work a previous user may have left that only the server can undo. */
static int holds_work(const dq_session *s)
{
	return s->tx.lost || s->tx.untracked ||
	       (s->tx.open && (s->tx.has_writes || !s->tx.implicit));
}

/* The hand-over of a pooled connection to its next user (see the top). 1
 * when it can be handed out. */
static int hand_over(dq_dbc *dbc)
{
	dq_session *s = &dbc->sess;

	if (holds_work(s)) {
		dq_sess_close_link(s);
		return 0;
	}
	for (dq_stmt *st = dbc->stmts; st; st = st->next)
		dq_stmt_release(st);
	/* the driver's own transaction that read only: nothing to lose */
	if (s->tx.open && dq_sess_reset(s, &dbc->h) != SQL_SUCCESS)
		return 0;
	reset_attributes(dbc); /* nothing is open now */
	return dqc_is_alive(s->conn);
}

SQLUINTEGER dq_pool_dead(dq_dbc *dbc, SQLINTEGER buflen, const SQLINTEGER *outlen)
{
	dq_session *s = &dbc->sess;

	if (dbc->state != DQ_C_CONNECTED || !dqc_probe(s->conn))
		return SQL_CD_TRUE;
	if (dbc->pool_configured && buflen == SQL_IS_INTEGER && outlen == NULL &&
	    !hand_over(dbc))
		return SQL_CD_TRUE;
	return SQL_CD_FALSE;
}
