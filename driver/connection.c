/*
 * connection.c -- connection handles: SQLConnect / SQLDriverConnect /
 * SQLDisconnect, DSN reading through unixODBC's odbcinst, attributes,
 * SQLEndTran. What the connection holds on the server is the session's
 * (session.h); this file is the ODBC face of it.
 */
#include "internal.h"

#include <assert.h>
#include <odbcinst.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dqlite_odbc.h"
#include "unicode.h"

SQLRETURN dq_dbc_alloc(dq_env *env, dq_dbc **out)
{
	dq_dbc *dbc = calloc(1, sizeof *dbc);
	if (dbc == NULL)
		return dq_error(&env->h, "HY001", "memory allocation failure");
	dbc->h.magic = DQ_MAGIC;
	dbc->h.type = DQ_HDBC;
	dbc->env = env;
	pthread_mutex_init(&dbc->lock, NULL);
	dq_sess_init(&dbc->sess);
	dq_config_init(&dbc->cfg);
	dbc->access_mode = SQL_MODE_READ_WRITE;
	dbc->packet_size = 4096;
	dbc->async_enable = SQL_ASYNC_ENABLE_OFF;
	dbc->async_dbc_enable = SQL_ASYNC_DBC_ENABLE_OFF;
	dq_async_init(&dbc->async);
	atomic_init(&dbc->async_stmts, 0);
	atomic_init(&dbc->h.busy, 0);
	env->n_dbc++; /* the caller holds env->lock */
	*out = dbc;
	return SQL_SUCCESS;
}

void dq_dbc_set_state(dq_dbc *dbc, int to)
{
	/* C2 <-> C4 only: connecting twice is 08002 and disconnecting an
	 * unconnected handle 08003, both refused before this is reached. */
	assert(to == DQ_C_ALLOCATED || to == DQ_C_CONNECTED);
	assert(to != dbc->state);
	assert((to == DQ_C_CONNECTED) == (dbc->sess.connected != 0));
	dbc->state = to;
}

SQLRETURN dq_dbc_free(dq_dbc *dbc)
{
	if (dbc->state == DQ_C_CONNECTED)
		return dq_error(&dbc->h, "HY010",
				"the connection is still open; call SQLDisconnect first");
	while (dbc->stmts)
		dq_stmt_free(dbc->stmts);
	while (dbc->descs)
		dq_desc_free(dbc->descs);
	dq_config_free(&dbc->cfg);
	dq_sess_fini(&dbc->sess);
	dq_async_fini(&dbc->async);
	dq_diag_free(&dbc->h.diag);
	dq_diag_free(&dbc->h.busy_diag);
	pthread_mutex_lock(&dbc->env->lock);
	dbc->env->n_dbc--;
	pthread_mutex_unlock(&dbc->env->lock);
	pthread_mutex_destroy(&dbc->lock);
	dbc->h.magic = 0;
	free(dbc);
	return SQL_SUCCESS;
}

/* Reads every known keyword of the DSN from odbc.ini (user then system, as
 * unixODBC resolves it). */
static int read_dsn(dq_dbc *dbc, const char *dsn, char *err, size_t errlen)
{
	dq_kvlist l = {0};
	char buf[1024];
	int rc = 0;

	for (int i = 0; dq_config_keywords[i]; i++) {
		const char *k = dq_config_keywords[i];
		if (strcasecmp(k, "DSN") == 0 || strcasecmp(k, "PWD") == 0)
			continue;
		buf[0] = '\0';
		if (SQLGetPrivateProfileString(dsn, k, "", buf, sizeof buf,
					       "ODBC.INI") > 0 &&
		    buf[0] != '\0') {
			dq_kvlist one = {0};
			dq_kv kv = {(char *)(uintptr_t)k, buf};
			one.items = &kv;
			one.n = 1;
			if (dq_config_apply(&dbc->cfg, &one, DQ_CFG_FROM_DSN, err,
					    errlen) != 0) {
				char keep[512];
				snprintf(keep, sizeof keep, "%s", err);
				snprintf(err, errlen, "DSN '%s': %s", dsn, keep);
				rc = -1;
				break;
			}
		}
	}
	dq_kvlist_free(&l);
	if (rc == 0) {
		char *d = strdup(dsn);
		if (d == NULL)
			return -1;
		free(dbc->cfg.dsn);
		dbc->cfg.dsn = d;
	}
	return rc;
}

/* Connects with dbc->cfg. */
static SQLRETURN do_connect(dq_dbc *dbc)
{
	char err[512];
	struct dqc_config cc;
	char **addresses = NULL;
	unsigned login_s;
	int n;
	SQLRETURN ret;

	if (dbc->state == DQ_C_CONNECTED)
		return dq_error(&dbc->h, "08002", "the connection is already open");
	n = dq_config_addresses(&dbc->cfg, &addresses, err, sizeof err);
	if (n < 0)
		return dq_error(&dbc->h, "HY000", "%s", err);
	login_s = dbc->login_timeout ? dbc->login_timeout : dbc->cfg.login_timeout_s;
	memset(&cc, 0, sizeof cc);
	cc.addresses = (const char *const *)addresses;
	cc.n_addresses = (size_t)n;
	cc.timeout_ms = dq_dbc_timeout(dbc) * 1000u;
	cc.max_rows = dbc->cfg.max_total_rows;
	cc.max_pages = dbc->cfg.max_continuation_frames;
	cc.tls.enabled = dbc->cfg.tls;
	cc.tls.verify_peer = dbc->cfg.tls_verify;
	cc.tls.ca_file = dbc->cfg.tls_ca_file;
	cc.tls.cert_file = dbc->cfg.tls_cert_file;
	cc.tls.key_file = dbc->cfg.tls_key_file;
	cc.tls.server_name = dbc->cfg.tls_server_name;
	dbc->sess.busy_timeout_ms = dbc->cfg.busy_timeout_ms;
	dbc->sess.failover_timeout_ms = dbc->cfg.failover_timeout_ms;
	dbc->sess.begin_mode = dbc->cfg.begin_mode;
	ret = dq_sess_connect(&dbc->sess, &dbc->h, &cc,
			      dbc->cfg.database ? dbc->cfg.database : "default",
			      login_s);
	dq_addresses_free(addresses, n);
	if (ret != SQL_SUCCESS)
		return ret;
	dq_dbc_set_state(dbc, DQ_C_CONNECTED);
	dbc->pool_configured = dq_pool_configured(dbc->cfg.driver);
	return SQL_SUCCESS;
}

SQLRETURN dq_connect_dsn(dq_dbc *dbc, const char *dsn, const char *uid,
			 const char *pwd)
{
	char err[768];

	dq_config_free(&dbc->cfg);
	dq_config_init(&dbc->cfg);
	if (dsn == NULL || *dsn == '\0')
		return dq_error(&dbc->h, "IM002", "no data source name given");
	if (read_dsn(dbc, dsn, err, sizeof err) != 0)
		return dq_error(&dbc->h, "HY000", "%s", err);
	if ((uid && *uid && !(dbc->cfg.uid = strdup(uid))) ||
	    (pwd && *pwd && !(dbc->cfg.pwd = strdup(pwd))))
		return dq_error(&dbc->h, "HY001", "memory allocation failure");
	return do_connect(dbc);
}

SQLRETURN dq_driver_connect(dq_dbc *dbc, const char *in, char **out_string)
{
	dq_kvlist l;
	char err[768];
	const char *dsn;
	SQLRETURN ret;
	size_t need;

	*out_string = NULL;
	dq_config_free(&dbc->cfg);
	dq_config_init(&dbc->cfg);
	if (dq_connstr_parse(in ? in : "", in ? strlen(in) : 0, &l, err,
			     sizeof err) != 0)
		return dq_error(&dbc->h, "HY000", "invalid connection string: %s",
				err);
	dsn = dq_kvlist_get(&l, "DSN");
	if (dsn && *dsn && read_dsn(dbc, dsn, err, sizeof err) != 0) {
		dq_kvlist_free(&l);
		return dq_error(&dbc->h, "HY000", "%s", err);
	}
	if (dq_config_apply(&dbc->cfg, &l, DQ_CFG_FROM_STRING, err, sizeof err) != 0) {
		dq_kvlist_free(&l);
		return dq_error(&dbc->h, "HY000", "invalid connection string: %s",
				err);
	}
	dq_kvlist_free(&l);
	ret = do_connect(dbc);
	if (!SQL_SUCCEEDED(ret))
		return ret;
	need = dq_config_to_string(&dbc->cfg, NULL, 0);
	*out_string = malloc(need + 1);
	if (*out_string)
		dq_config_to_string(&dbc->cfg, *out_string, need + 1);
	return ret;
}

SQLRETURN dq_disconnect(dq_dbc *dbc)
{
	dq_session *ss = &dbc->sess;

	if (dbc->state != DQ_C_CONNECTED)
		return dq_error(&dbc->h, "08003", "the connection is not open");
	if (dq_async_stmts_pending(dbc) && !dbc->pool_configured)
		return dq_error(&dbc->h, "HY010",
				"function sequence error: a statement of this "
				"connection has an asynchronous call still executing "
				"(poll it to its end or cancel it first)");
	/* The pool closing a connection an application left with a call
	 * pending (its SQLDisconnect never reached the driver): the calls
	 * are canceled and their workers waited for. */
	for (dq_stmt *s = dbc->stmts; s && dq_async_stmts_pending(dbc); s = s->next)
		dq_async_drain(s);
	/* With unixODBC pooling on, the application's SQLDisconnect never
	 * reaches the driver: this is the pool closing the connection, and a
	 * refusal would leave it open forever (pooling.c). */
	if (ss->tx.open && ss->tx.has_writes && !ss->dead && !dbc->pool_configured &&
	    dqc_is_alive(ss->conn))
		return dq_error(&dbc->h, "25000",
				"the transaction has uncommitted writes; call "
				"SQLEndTran(SQL_COMMIT or SQL_ROLLBACK) before "
				"SQLDisconnect (nothing was discarded, the "
				"connection stays open)");
	/* the server frees the prepared statements with the link */
	dq_stmts_close_cursors(dbc, NULL, DQ_CLOSE_LINK);
	if (ss->tx.open) /* reads only, or the pool closing the connection */
		dq_sess_end(ss, &dbc->h, 0);
	dq_sess_disconnect(ss);
	dq_dbc_set_state(dbc, DQ_C_ALLOCATED);
	return SQL_SUCCESS;
}

SQLRETURN dq_end_tran(dq_dbc *dbc, SQLSMALLINT completion)
{
	if (completion != SQL_COMMIT && completion != SQL_ROLLBACK)
		return dq_error(&dbc->h, "HY012",
				"invalid transaction operation code %d", completion);
	if (dbc->state != DQ_C_CONNECTED)
		return dq_error(&dbc->h, "08003", "the connection is not open");
	if (dq_async_stmts_pending(dbc))
		return dq_error(&dbc->h, "HY010",
				"function sequence error: a statement of this "
				"connection has an asynchronous call still executing");
	/* SQL_CB_CLOSE: an open cursor never holds a transaction's end
	 * hostage, nor is its rest read into memory. */
	dq_stmts_close_cursors(dbc, NULL, DQ_CLOSE_TRANSACTION);
	return dq_sess_end(&dbc->sess, &dbc->h, completion == SQL_COMMIT);
}

/* --------------------------------------------------------------- attributes */

SQLRETURN dq_set_connect_attr(dq_dbc *dbc, SQLINTEGER attr, SQLPOINTER value,
			      SQLINTEGER len)
{
	SQLULEN v = (SQLULEN)(uintptr_t)value;
	(void)len;
	switch (attr) {
	case SQL_ATTR_AUTOCOMMIT:
		/* docs/transactions.md: OFF makes the connection managed; ON is
		 * refused the standard way (01S02, the value stays OFF) and
		 * leaves it unmanaged */
		if (v == SQL_AUTOCOMMIT_OFF) {
			dq_sess_manage(&dbc->sess);
			return SQL_SUCCESS;
		}
		if (v != SQL_AUTOCOMMIT_ON)
			return dq_error(&dbc->h, "HY024",
					"invalid SQL_ATTR_AUTOCOMMIT value %lu",
					(unsigned long)v);
		return dq_sess_unmanage(&dbc->sess, &dbc->h);
	case SQL_ATTR_TXN_ISOLATION:
		if (v == SQL_TXN_SERIALIZABLE)
			return SQL_SUCCESS;
		return dq_error(&dbc->h, "HYC00",
				"dqlite supports only SQL_TXN_SERIALIZABLE isolation");
	case SQL_ATTR_LOGIN_TIMEOUT:
		dbc->login_timeout = (SQLUINTEGER)v;
		return SQL_SUCCESS;
	case SQL_ATTR_CONNECTION_TIMEOUT:
		dbc->connection_timeout = (SQLUINTEGER)v;
		return SQL_SUCCESS;
	case SQL_ATTR_ACCESS_MODE:
		dbc->access_mode = (SQLUINTEGER)v;
		return SQL_SUCCESS;
	case SQL_ATTR_METADATA_ID:
		dbc->metadata_id = (SQLUINTEGER)v;
		return SQL_SUCCESS;
	case SQL_ATTR_ASYNC_ENABLE:
		/* statement-level async (SQL_AM_STATEMENT): the default of the
		 * statements allocated from now on */
		if (v != SQL_ASYNC_ENABLE_OFF && v != SQL_ASYNC_ENABLE_ON)
			return dq_error(&dbc->h, "HY024",
					"invalid SQL_ATTR_ASYNC_ENABLE value %lu",
					(unsigned long)v);
		dbc->async_enable = v;
		return SQL_SUCCESS;
	case SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE:
		if (v != SQL_ASYNC_DBC_ENABLE_OFF && v != SQL_ASYNC_DBC_ENABLE_ON)
			return dq_error(&dbc->h, "HY024",
					"invalid SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE "
					"value %lu", (unsigned long)v);
		dbc->async_dbc_enable = v;
		return SQL_SUCCESS;
	case SQL_ATTR_QUIET_MODE:
		dbc->quiet_mode = v;
		return SQL_SUCCESS;
	case SQL_ATTR_PACKET_SIZE:
		dbc->packet_size = (SQLUINTEGER)v;
		return SQL_SUCCESS;
	case SQL_ATTR_CURRENT_CATALOG:
		return dq_error(&dbc->h, "HYC00",
				"dqlite has no catalogs; choose the database with "
				"the Database keyword");
	case SQL_ATTR_RESET_CONNECTION:
		if (v != SQL_RESET_CONNECTION_YES)
			return dq_error(&dbc->h, "HY024",
					"invalid SQL_ATTR_RESET_CONNECTION value");
		if (dbc->state != DQ_C_CONNECTED)
			return SQL_SUCCESS;
		return dq_pool_reset(dbc);
	case SQL_ATTR_TRACE:
	case SQL_ATTR_TRACEFILE:
	case SQL_ATTR_TRANSLATE_LIB:
	case SQL_ATTR_TRANSLATE_OPTION:
	case SQL_ATTR_ODBC_CURSORS:
		return SQL_SUCCESS; /* handled by the driver manager */
	case SQL_ATTR_CONNECTION_DEAD:
	case SQL_ATTR_DQLITE_REQUESTS:
		return dq_error(&dbc->h, "HY092", "%s is read-only",
				attr == SQL_ATTR_CONNECTION_DEAD
					? "SQL_ATTR_CONNECTION_DEAD"
					: "SQL_ATTR_DQLITE_REQUESTS");
	default:
		return dq_error(&dbc->h, "HY092",
				"unknown connection attribute %d", (int)attr);
	}
}

SQLRETURN dq_get_connect_attr(dq_dbc *dbc, SQLINTEGER attr, SQLPOINTER value,
			      SQLINTEGER buflen, SQLINTEGER *outlen, int wide)
{
	SQLUINTEGER v;
	switch (attr) {
	case SQL_ATTR_AUTOCOMMIT:
		v = SQL_AUTOCOMMIT_OFF;
		break;
	case SQL_ATTR_TXN_ISOLATION:
		v = SQL_TXN_SERIALIZABLE;
		break;
	case SQL_ATTR_LOGIN_TIMEOUT:
		v = dbc->login_timeout;
		break;
	case SQL_ATTR_CONNECTION_TIMEOUT:
		v = dbc->connection_timeout;
		break;
	case SQL_ATTR_ACCESS_MODE:
		v = dbc->access_mode;
		break;
	case SQL_ATTR_METADATA_ID:
		v = dbc->metadata_id;
		break;
	case SQL_ATTR_ASYNC_ENABLE:
		v = (SQLUINTEGER)dbc->async_enable;
		break;
	case SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE:
		v = (SQLUINTEGER)dbc->async_dbc_enable;
		break;
	case SQL_ATTR_PACKET_SIZE:
		v = dbc->packet_size;
		break;
	case SQL_ATTR_CONNECTION_DEAD:
		/* no round trip: the kernel knows whether the server closed
		 * the socket (pooling.c: also the pool's hand-over) */
		v = dq_pool_dead(dbc, buflen, outlen);
		break;
	case SQL_ATTR_DQLITE_REQUESTS:
		if (value)
			*(SQLULEN *)value = (SQLULEN)dqc_requests_sent(dbc->sess.conn);
		if (outlen)
			*outlen = sizeof(SQLULEN);
		return SQL_SUCCESS;
	case SQL_ATTR_QUIET_MODE:
		if (value)
			*(SQLULEN *)value = dbc->quiet_mode;
		return SQL_SUCCESS;
	case SQL_ATTR_CURRENT_CATALOG: {
		const char *db = dbc->cfg.database ? dbc->cfg.database : "default";
		if (wide)
			return dq_out_w(db, value, buflen / (SQLINTEGER)sizeof(SQLWCHAR),
					outlen, 1);
		return dq_out_a(db, value, buflen, outlen);
	}
	default:
		return dq_error(&dbc->h, "HY092",
				"unknown connection attribute %d", (int)attr);
	}
	if (value)
		*(SQLUINTEGER *)value = v;
	if (outlen)
		*outlen = sizeof v;
	return SQL_SUCCESS;
}
