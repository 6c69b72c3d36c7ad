/*
 * text — small UTF-8 helpers.  Pure logic.
 */
#ifndef RAPPEL_TEXT_H
#define RAPPEL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * Appends to out a folded copy of s for matching what people type:
 * ASCII lower case, Latin letters without their accents (É→e, ç→c,
 * œ→oe, ß→ss), other characters unchanged.
 */
void text_fold(const char *s, struct buf *out);

/* True when s is valid UTF-8 (no overlong forms, no surrogates). */
bool text_utf8_valid(const char *s, size_t len);

/* Copies s without leading and trailing ASCII spaces; caller frees. */
char *text_trim_dup(const char *s);

#endif
