/*
 * buf — a growable byte buffer for AT output.  Always NUL-terminated,
 * so its text can be read with p directly.  Allocation failure aborts:
 * the simulator is a test tool and outputs are a few kilobytes.
 */
#ifndef MSIM_BUF_H
#define MSIM_BUF_H

#include <stddef.h>

struct msim_buf {
	char	*p;	/* owned; NULL until the first append */
	size_t	 len;	/* bytes used, the NUL excluded */
	size_t	 cap;	/* bytes allocated */
};

/* Appends n bytes of s. */
void msim_buf_add(struct msim_buf *b, const void *s, size_t n);

/* Appends a NUL-terminated string. */
void msim_buf_puts(struct msim_buf *b, const char *s);

/* Appends printf-formatted text. */
void msim_buf_printf(struct msim_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Removes the first n bytes (all when n >= len). */
void msim_buf_consume(struct msim_buf *b, size_t n);

/* Empties b, keeping its memory. */
void msim_buf_reset(struct msim_buf *b);

/* Frees the memory of b and empties it; b itself is not freed. */
void msim_buf_free(struct msim_buf *b);

#endif
