/*
 * text — small UTF-8 helpers.  Pure logic.
 */
#ifndef RAPPEL_TEXT_H
#define RAPPEL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * Appends to out a folded copy of s for matching what people type:
 * ASCII lower case, Latin letters without their accents (É→e, ç→c,
 * œ→oe, ß→ss), other characters unchanged.
 */
void text_fold(const char *s, struct buf *out);

/*
 * Decodes the UTF-8 character at *p into *cp and moves *p past it.
 * Returns 0, or -1 at an invalid sequence (overlong, surrogate, beyond
 * U+10FFFF, truncated), leaving *p.  *p must not point at the final NUL.
 */
int text_utf8_next(const unsigned char **p, uint32_t *cp);

/* Appends code point cp to out as UTF-8. */
void text_utf8_put(struct buf *out, uint32_t cp);

/* True when s is valid UTF-8 (no overlong forms, no surrogates). */
bool text_utf8_valid(const char *s, size_t len);

/*
 * The length of the longest prefix of s (UTF-8) of at most max bytes that
 * does not end inside a character: where to cut s to fit a buffer.
 */
size_t text_utf8_cut(const char *s, size_t max);

/*
 * Appends len bytes of Windows-1252 text (what Windows calls "ANSI") to
 * out as UTF-8.  The five bytes Windows-1252 leaves undefined (0x81 0x8D
 * 0x8F 0x90 0x9D) become U+FFFD.  Returns how many of those there were,
 * or -1, out unchanged, when this system cannot convert from
 * Windows-1252 (iconv's modules missing).
 */
int text_from_cp1252(const char *data, size_t len, struct buf *out);

/* Copies s without leading and trailing ASCII spaces; caller frees. */
char *text_trim_dup(const char *s);

#endif
