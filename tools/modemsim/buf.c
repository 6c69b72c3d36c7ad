/*
 * buf — a growable byte buffer.  See buf.h.
 */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for n more bytes and the NUL. */
static void
msim_buf_grow(struct msim_buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (b->len + n + 1 <= b->cap)
		return;
	while (cap < b->len + n + 1)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL)
		abort();
	b->p = p;
	b->cap = cap;
}

void
msim_buf_add(struct msim_buf *b, const void *s, size_t n)
{
	msim_buf_grow(b, n);
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
msim_buf_puts(struct msim_buf *b, const char *s)
{
	msim_buf_add(b, s, strlen(s));
}

void
msim_buf_printf(struct msim_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	msim_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
msim_buf_consume(struct msim_buf *b, size_t n)
{
	if (n >= b->len) {
		msim_buf_reset(b);
		return;
	}
	memmove(b->p, b->p + n, b->len - n);
	b->len -= n;
	b->p[b->len] = '\0';
}

void
msim_buf_reset(struct msim_buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

void
msim_buf_free(struct msim_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
