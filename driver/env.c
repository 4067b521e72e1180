/*
 * env.c -- the environment handle and its attributes.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

SQLRETURN dq_env_alloc(dq_env **out)
{
	dq_env *env = calloc(1, sizeof *env);
	if (env == NULL)
		return SQL_ERROR;
	env->h.magic = DQ_MAGIC;
	env->h.type = DQ_HENV;
	env->odbc_version = SQL_OV_ODBC3;
	env->connection_pooling = SQL_CP_OFF;
	env->cp_match = SQL_CP_STRICT_MATCH;
	pthread_mutex_init(&env->lock, NULL);
	*out = env;
	return SQL_SUCCESS;
}

SQLRETURN dq_env_free(dq_env *env)
{
	if (env->n_dbc > 0)
		return dq_error(&env->h, "HY010",
				"the environment still has %d connection handle(s); "
				"free them first", env->n_dbc);
	dq_diag_free(&env->h.diag);
	pthread_mutex_destroy(&env->lock);
	env->h.magic = 0;
	free(env);
	return SQL_SUCCESS;
}

SQLRETURN dq_env_set_attr(dq_env *env, SQLINTEGER attr, SQLPOINTER value)
{
	SQLINTEGER v = (SQLINTEGER)(intptr_t)value;
	switch (attr) {
	case SQL_ATTR_ODBC_VERSION:
		if (v != SQL_OV_ODBC2 && v != SQL_OV_ODBC3 && v != SQL_OV_ODBC3_80)
			return dq_error(&env->h, "HY024",
					"invalid SQL_ATTR_ODBC_VERSION %d", (int)v);
		env->odbc_version = v;
		return SQL_SUCCESS;
	case SQL_ATTR_CONNECTION_POOLING:
		env->connection_pooling = v;
		return SQL_SUCCESS;
	case SQL_ATTR_CP_MATCH:
		env->cp_match = v;
		return SQL_SUCCESS;
	case SQL_ATTR_OUTPUT_NTS:
		if (v != SQL_TRUE)
			return dq_error(&env->h, "HYC00",
					"SQL_ATTR_OUTPUT_NTS can only be SQL_TRUE");
		return SQL_SUCCESS;
	default:
		return dq_error(&env->h, "HY092",
				"unknown environment attribute %d", (int)attr);
	}
}

SQLRETURN dq_env_get_attr(dq_env *env, SQLINTEGER attr, SQLPOINTER value,
			  SQLINTEGER buflen, SQLINTEGER *outlen)
{
	SQLINTEGER v;
	(void)buflen;
	switch (attr) {
	case SQL_ATTR_ODBC_VERSION:
		v = env->odbc_version;
		break;
	case SQL_ATTR_CONNECTION_POOLING:
		v = env->connection_pooling;
		break;
	case SQL_ATTR_CP_MATCH:
		v = env->cp_match;
		break;
	case SQL_ATTR_OUTPUT_NTS:
		v = SQL_TRUE;
		break;
	default:
		return dq_error(&env->h, "HY092",
				"unknown environment attribute %d", (int)attr);
	}
	if (value)
		*(SQLINTEGER *)value = v;
	if (outlen)
		*outlen = sizeof v;
	return SQL_SUCCESS;
}
