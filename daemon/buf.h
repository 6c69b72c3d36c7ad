/*
 * buf — a growable byte buffer, always NUL-terminated.
 *
 * A zeroed struct buf is an empty buffer ready to use.  Appending never
 * fails: on allocation failure the process aborts (fatal), because a
 * daemon that cannot allocate a few bytes cannot do anything useful.
 * The caller owns b->data and frees it with buf_free(), or takes it with
 * buf_steal() and frees it with free().
 */
#ifndef RAPPEL_BUF_H
#define RAPPEL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;	/* NUL-terminated; NULL until the first append */
	size_t len;	/* bytes used, not counting the terminator */
	size_t cap;	/* bytes allocated */
};

void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
/* Appends the whole file at path; 0, or -1 with errno set (b may hold part of it). */
int buf_read_file(struct buf *b, const char *path);
/* Returns the data (never NULL: "" when empty) and leaves b empty. */
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);

#endif
