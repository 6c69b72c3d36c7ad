/*
 * translit — a copy of a text that fits GSM-7 when it can, so that an SMS
 * costs 160 characters a part rather than 70.  Pure logic.
 *
 * Always replaced (no meaning is lost): typographic quotes and
 * apostrophes (’ ‘ ‚ ‛ ′ → ', “ ” „ « » ″ → "), the ellipsis (… → ...),
 * dashes and minus signs (‐ ‑ ‒ – — − → -), every Unicode space (no-break
 * U+00A0, narrow no-break U+202F, thin U+2009 ...) → a plain space, and
 * zero-width characters and soft hyphens are dropped.
 *
 * With accents, also each letter GSM-7 cannot carry becomes its base
 * letter (ê → e, ô → o, ç → c, â → a, î → i, û → u, ë → e, ï → i, ÿ → y,
 * œ → oe, Œ → OE, and their capitals).  Letters GSM-7 carries (é è à ù ì
 * ò É Ç Ä Ö Ñ Ü ä ö ñ ü ß Å å Ø ø Æ æ) are kept, whatever the option.
 * Other characters (Arabic, emoji) are kept: the text then stays UCS-2.
 */
#ifndef RAPPEL_TRANSLIT_H
#define RAPPEL_TRANSLIT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * Appends the transliterated copy of text (valid UTF-8) to out.  Returns
 * the number of characters changed or dropped.
 */
size_t translit_gsm7(const char *text, bool accents, struct buf *out);

#endif
