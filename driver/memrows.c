/*
 * memrows.c -- in-memory result sets (catalog functions, SQLGetTypeInfo).
 *
 * Each row is one allocation: the cell array followed by copies of its text
 * and blob bytes, so a row is freed in one call and cells stay valid for the
 * life of the object. The object counts the bytes it holds, so a static
 * cursor (cursor.c) can bound its memory.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct dq_memrows {
	unsigned ncols;
	dqc_value **rows;
	size_t n, cap;
	size_t bytes; /* rows + the row index */
};

dq_memrows *dq_memrows_new(unsigned ncols)
{
	dq_memrows *m = calloc(1, sizeof *m);
	if (m)
		m->ncols = ncols;
	return m;
}

int dq_memrows_add(dq_memrows *m, const dqc_value *cells)
{
	size_t extra = 0;
	dqc_value *row;
	char *p;

	for (unsigned i = 0; i < m->ncols; i++) {
		if (cells[i].type == DQC_TEXT || cells[i].type == DQC_ISO8601)
			extra += cells[i].v.text.len + 1;
		else if (cells[i].type == DQC_BLOB)
			extra += cells[i].v.blob.len;
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		dqc_value **r = realloc(m->rows, cap * sizeof *r);
		if (r == NULL)
			return DQC_ENOMEM;
		m->rows = r;
		m->bytes += (cap - m->cap) * sizeof *r;
		m->cap = cap;
	}
	row = malloc(m->ncols * sizeof *row + extra + 1);
	if (row == NULL)
		return DQC_ENOMEM;
	p = (char *)(row + m->ncols);
	for (unsigned i = 0; i < m->ncols; i++) {
		row[i] = cells[i];
		if (cells[i].type == DQC_TEXT || cells[i].type == DQC_ISO8601) {
			memcpy(p, cells[i].v.text.ptr, cells[i].v.text.len);
			p[cells[i].v.text.len] = '\0';
			row[i].v.text.ptr = p;
			p += cells[i].v.text.len + 1;
		} else if (cells[i].type == DQC_BLOB) {
			if (cells[i].v.blob.len)
				memcpy(p, cells[i].v.blob.ptr, cells[i].v.blob.len);
			row[i].v.blob.ptr = p;
			p += cells[i].v.blob.len;
		}
	}
	m->rows[m->n++] = row;
	m->bytes += m->ncols * sizeof *row + extra + 1;
	return 0;
}

size_t dq_memrows_count(const dq_memrows *m)
{
	return m->n;
}

const dqc_value *dq_memrows_row(const dq_memrows *m, size_t i)
{
	return i < m->n ? m->rows[i] : NULL;
}

size_t dq_memrows_bytes(const dq_memrows *m)
{
	return m->bytes;
}

void dq_memrows_free(dq_memrows *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->rows[i]);
	free(m->rows);
	free(m);
}
