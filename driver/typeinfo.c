/*
 * typeinfo.c -- SQLGetTypeInfo: the type table of types.c as a result set.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void text_cell(dqc_value *v, const char *s)
{
	if (s == NULL) {
		v->type = DQC_NULL;
		return;
	}
	v->type = DQC_TEXT;
	v->v.text.ptr = s;
	v->v.text.len = strlen(s);
}

static void int_cell(dqc_value *v, long long n, int null_if_neg)
{
	if (null_if_neg && n < 0) {
		v->type = DQC_NULL;
		return;
	}
	v->type = DQC_INTEGER;
	v->v.integer = n;
}

/* The 19 columns SQLGetTypeInfo returns, in the order the reference gives. */
static const struct { const char *name; SQLSMALLINT type; } ti_cols[] = {
	{"TYPE_NAME", SQL_VARCHAR}, {"DATA_TYPE", SQL_SMALLINT},
	{"COLUMN_SIZE", SQL_INTEGER}, {"LITERAL_PREFIX", SQL_VARCHAR},
	{"LITERAL_SUFFIX", SQL_VARCHAR}, {"CREATE_PARAMS", SQL_VARCHAR},
	{"NULLABLE", SQL_SMALLINT}, {"CASE_SENSITIVE", SQL_SMALLINT},
	{"SEARCHABLE", SQL_SMALLINT}, {"UNSIGNED_ATTRIBUTE", SQL_SMALLINT},
	{"FIXED_PREC_SCALE", SQL_SMALLINT}, {"AUTO_UNIQUE_VALUE", SQL_SMALLINT},
	{"LOCAL_TYPE_NAME", SQL_VARCHAR}, {"MINIMUM_SCALE", SQL_SMALLINT},
	{"MAXIMUM_SCALE", SQL_SMALLINT}, {"SQL_DATA_TYPE", SQL_SMALLINT},
	{"SQL_DATETIME_SUB", SQL_SMALLINT}, {"NUM_PREC_RADIX", SQL_INTEGER},
	{"INTERVAL_PRECISION", SQL_SMALLINT},
};
#define TI_NCOLS (sizeof ti_cols / sizeof ti_cols[0])

SQLRETURN dq_get_type_info(dq_stmt *s, SQLSMALLINT want)
{
	const char *names[TI_NCOLS];
	SQLSMALLINT sqltypes[TI_NCOLS];
	dq_memrows *m = dq_memrows_new(TI_NCOLS);
	dq_colmeta *cols;

	/* ODBC 2 codes are accepted whatever the application's version. */
	want = want == SQL_DATE ? SQL_TYPE_DATE
	       : want == SQL_TIME ? SQL_TYPE_TIME
	       : want == SQL_TIMESTAMP ? SQL_TYPE_TIMESTAMP : want;
	for (size_t i = 0; i < TI_NCOLS; i++) {
		names[i] = ti_cols[i].name;
		sqltypes[i] = ti_cols[i].type;
	}
	cols = dq_colmeta_make(names, sqltypes, TI_NCOLS);
	if (m == NULL || cols == NULL) {
		dq_memrows_free(m);
		dq_colmeta_free(cols, TI_NCOLS);
		return dq_error(&s->h, "HY001", "memory allocation failure");
	}
	for (size_t i = 0; i < dq_type_count(); i++) {
		const dq_type *t = dq_type_at(i);
		dqc_value v[TI_NCOLS];
		int datetime = t->type == SQL_TYPE_DATE || t->type == SQL_TYPE_TIME ||
			       t->type == SQL_TYPE_TIMESTAMP;
		if (want != SQL_ALL_TYPES && want != t->type)
			continue;
		text_cell(&v[0], t->name);
		int_cell(&v[1], dq_app_sql_type(s, t->type), 0);
		int_cell(&v[2], (long long)t->size, 0);
		text_cell(&v[3], t->prefix);
		text_cell(&v[4], t->suffix);
		text_cell(&v[5], t->params);
		int_cell(&v[6], SQL_NULLABLE, 0);
		int_cell(&v[7], t->case_sensitive, 0);
		int_cell(&v[8], t->searchable, 0);
		int_cell(&v[9], t->unsigned_attr, 1);
		int_cell(&v[10], 0, 0);
		int_cell(&v[11], t->auto_unique, 1);
		text_cell(&v[12], t->name);
		int_cell(&v[13], t->min_scale, 1);
		int_cell(&v[14], t->max_scale, 1);
		int_cell(&v[15], datetime ? SQL_DATETIME : t->type, 0);
		int_cell(&v[16], t->type == SQL_TYPE_DATE	  ? SQL_CODE_DATE
				 : t->type == SQL_TYPE_TIME	  ? SQL_CODE_TIME
				 : t->type == SQL_TYPE_TIMESTAMP ? SQL_CODE_TIMESTAMP
								 : -1,
			 1);
		int_cell(&v[17], t->radix ? t->radix : -1, 1);
		int_cell(&v[18], -1, 1);
		if (dq_memrows_add(m, v) != 0) {
			dq_memrows_free(m);
			dq_colmeta_free(cols, TI_NCOLS);
			return dq_error(&s->h, "HY001", "memory allocation failure");
		}
	}
	return dq_result_from_memory(s, cols, TI_NCOLS, m);
}
