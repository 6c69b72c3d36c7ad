/*
 * gsm7 — the character sets of SMS user data, to and from UTF-8.  Pure
 * logic, no allocation.
 *
 * GSM-7 is the default alphabet of 3GPP TS 23.038 with its extension
 * table (reached through the escape septet 0x1B): € [ ] { } ~ ^ | \ and
 * form feed cost two septets each.  UCS-2 is written as UTF-16BE, so
 * characters outside the BMP become surrogate pairs (two units), which is
 * what phones send in practice.
 *
 * Septet packing follows TS 23.040 §9.2.3.24: septets are packed LSB
 * first, starting after `fill` padding bits (the bits that align text
 * after a user data header on a septet boundary).
 */
#ifndef MSIM_GSM7_H
#define MSIM_GSM7_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The escape septet that selects the extension table. */
#define MSIM_GSM7_ESC 0x1B

/*
 * Converts UTF-8 text to unpacked GSM-7 septets in out (one septet per
 * byte), at most outsz of them.  Returns the number of septets, or -1
 * when the text holds a character GSM-7 cannot represent, is not valid
 * UTF-8, or does not fit.
 */
int msim_gsm7_from_utf8(const char *text, uint8_t *out, size_t outsz);

/*
 * Converts n unpacked septets to NUL-terminated UTF-8 in out (outsz
 * bytes, 3 per septet is always enough).  An escape followed by an
 * unknown code gives the default-table character, as the standard asks;
 * a trailing lone escape gives a space.  Returns the length written, or
 * -1 when out is too small.
 */
int msim_gsm7_to_utf8(const uint8_t *septets, size_t n, char *out, size_t outsz);

/* Number of septets text needs in GSM-7, or -1 when it cannot be encoded. */
int msim_gsm7_length(const char *text);

/*
 * Packs n septets into out starting after `fill` bits (0-6).  Returns
 * the number of octets written (fill bits included), or -1 when outsz is
 * too small.
 */
int msim_gsm7_pack(const uint8_t *septets, size_t n, unsigned fill,
    uint8_t *out, size_t outsz);

/*
 * Unpacks n septets from in (insz octets) starting after `fill` bits.
 * Returns 0, or -1 when in is too short.
 */
int msim_gsm7_unpack(const uint8_t *in, size_t insz, unsigned fill,
    size_t n, uint8_t *septets);

/*
 * Converts UTF-8 text to UTF-16BE octets in out.  Returns the number of
 * octets (twice the number of units), or -1 on invalid UTF-8 or when
 * outsz is too small.
 */
int msim_ucs2_from_utf8(const char *text, uint8_t *out, size_t outsz);

/*
 * Converts len octets of UTF-16BE to NUL-terminated UTF-8.  Lone
 * surrogates become U+FFFD.  Returns the length written, or -1 when len
 * is odd or out is too small (4 bytes per unit is always enough).
 */
int msim_ucs2_to_utf8(const uint8_t *in, size_t len, char *out, size_t outsz);

/*
 * Decodes one UTF-8 character at s into *cp.  Returns its length in
 * bytes (1-4), 0 at the end of the string, or -1 when s is not valid
 * UTF-8 (overlong forms and surrogates included).
 */
int msim_utf8_next(const char *s, uint32_t *cp);

/* True when every character of text is in GSM-7 (default or extension). */
bool msim_gsm7_can_encode(const char *text);

#endif
