/*
 * gsm7 — SMS character sets to and from UTF-8.  See gsm7.h.
 *
 * Two tables from 3GPP TS 23.038 §6.2.1: the default alphabet (128
 * code points, indexed by septet) and the extension table (pairs of
 * septet and code point).  Lookups from Unicode scan the tables; text
 * is at most a few hundred characters, so nothing faster is needed.
 */
#include "gsm7.h"

#include <string.h>

/* Unicode replacement character, for lone surrogates. */
#define MSIM_UTF8_REPLACEMENT 0xFFFD

/* Default alphabet: septet -> Unicode.  0x1B (escape) maps to NBSP. */
static const uint16_t msim_gsm7_default[128] = {
	0x0040, 0x00A3, 0x0024, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC,
	0x00F2, 0x00C7, 0x000A, 0x00D8, 0x00F8, 0x000D, 0x00C5, 0x00E5,
	0x0394, 0x005F, 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8,
	0x03A3, 0x0398, 0x039E, 0x00A0, 0x00C6, 0x00E6, 0x00DF, 0x00C9,
	0x0020, 0x0021, 0x0022, 0x0023, 0x00A4, 0x0025, 0x0026, 0x0027,
	0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
	0x00A1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
	0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
	0x0058, 0x0059, 0x005A, 0x00C4, 0x00D6, 0x00D1, 0x00DC, 0x00A7,
	0x00BF, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
	0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
	0x0078, 0x0079, 0x007A, 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0,
};

/* Extension table: the septet after an escape, and what it stands for. */
static const struct {
	uint8_t		septet;
	uint16_t	cp;
} msim_gsm7_ext[] = {
	{ 0x0A, 0x000C },	/* form feed */
	{ 0x14, 0x005E },	/* ^ */
	{ 0x28, 0x007B },	/* { */
	{ 0x29, 0x007D },	/* } */
	{ 0x2F, 0x005C },	/* \ */
	{ 0x3C, 0x005B },	/* [ */
	{ 0x3D, 0x007E },	/* ~ */
	{ 0x3E, 0x005D },	/* ] */
	{ 0x40, 0x007C },	/* | */
	{ 0x65, 0x20AC },	/* € */
};

#define MSIM_GSM7_NEXT (sizeof(msim_gsm7_ext) / sizeof(msim_gsm7_ext[0]))

int
msim_utf8_next(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	int len, i;

	if (u[0] == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xE0) == 0xC0) {
		len = 2, c = u[0] & 0x1F, min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		len = 3, c = u[0] & 0x0F, min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		len = 4, c = u[0] & 0x07, min = 0x10000;
	} else
		return -1;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*cp = c;
	return len;
}

/* Writes cp as UTF-8 at out[*pos], if it fits before outsz - 1 (NUL). */
static int
msim_utf8_put(uint32_t cp, char *out, size_t outsz, size_t *pos)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp, n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xE0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (unsigned char)(0x80 | (cp & 0x3F)), n = 4;
	}
	if (*pos + n + 1 > outsz)
		return -1;
	memcpy(out + *pos, b, n);
	*pos += n;
	out[*pos] = '\0';
	return 0;
}

/* Septet of cp in the default table, or -1. */
static int
msim_gsm7_default_septet(uint32_t cp)
{
	int i;

	for (i = 0; i < 128; i++)
		if (i != MSIM_GSM7_ESC && msim_gsm7_default[i] == cp)
			return i;
	return -1;
}

/* Septet following the escape for cp in the extension table, or -1. */
static int
msim_gsm7_ext_septet(uint32_t cp)
{
	size_t i;

	for (i = 0; i < MSIM_GSM7_NEXT; i++)
		if (msim_gsm7_ext[i].cp == cp)
			return msim_gsm7_ext[i].septet;
	return -1;
}

int
msim_gsm7_from_utf8(const char *text, uint8_t *out, size_t outsz)
{
	uint32_t cp;
	size_t n = 0;
	int len, sept;

	while ((len = msim_utf8_next(text, &cp)) > 0) {
		text += len;
		if ((sept = msim_gsm7_default_septet(cp)) >= 0) {
			if (n + 1 > outsz)
				return -1;
			out[n++] = (uint8_t)sept;
			continue;
		}
		if ((sept = msim_gsm7_ext_septet(cp)) < 0 || n + 2 > outsz)
			return -1;
		out[n++] = MSIM_GSM7_ESC;
		out[n++] = (uint8_t)sept;
	}
	return len < 0 ? -1 : (int)n;
}

/* Unicode of the septet that follows an escape. */
static uint32_t
msim_gsm7_ext_cp(uint8_t septet)
{
	size_t i;

	for (i = 0; i < MSIM_GSM7_NEXT; i++)
		if (msim_gsm7_ext[i].septet == septet)
			return msim_gsm7_ext[i].cp;
	return msim_gsm7_default[septet & 0x7F];
}

int
msim_gsm7_to_utf8(const uint8_t *septets, size_t n, char *out, size_t outsz)
{
	size_t i, pos = 0;
	uint32_t cp;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if ((septets[i] & 0x7F) != MSIM_GSM7_ESC)
			cp = msim_gsm7_default[septets[i] & 0x7F];
		else if (i + 1 < n)
			cp = msim_gsm7_ext_cp(septets[++i] & 0x7F);
		else
			cp = ' ';
		if (msim_utf8_put(cp, out, outsz, &pos) == -1)
			return -1;
	}
	return (int)pos;
}

int
msim_gsm7_length(const char *text)
{
	uint8_t tmp[2048];

	return msim_gsm7_from_utf8(text, tmp, sizeof(tmp));
}

bool
msim_gsm7_can_encode(const char *text)
{
	return msim_gsm7_length(text) >= 0;
}

int
msim_gsm7_pack(const uint8_t *septets, size_t n, unsigned fill,
    uint8_t *out, size_t outsz)
{
	size_t bits = fill + n * 7, octets = (bits + 7) / 8, i, bit;

	if (fill > 6 || octets > outsz)
		return -1;
	memset(out, 0, octets);
	for (i = 0; i < n; i++) {
		bit = fill + i * 7;
		out[bit / 8] |= (uint8_t)((septets[i] & 0x7F) << (bit % 8));
		if (bit % 8 > 1)
			out[bit / 8 + 1] |= (uint8_t)((septets[i] & 0x7F) >> (8 - bit % 8));
	}
	return (int)octets;
}

int
msim_gsm7_unpack(const uint8_t *in, size_t insz, unsigned fill,
    size_t n, uint8_t *septets)
{
	size_t i, bit;
	unsigned v;

	if (fill > 6 || (fill + n * 7 + 7) / 8 > insz)
		return -1;
	for (i = 0; i < n; i++) {
		bit = fill + i * 7;
		v = in[bit / 8] >> (bit % 8);
		if (bit % 8 > 1)
			v |= (unsigned)in[bit / 8 + 1] << (8 - bit % 8);
		septets[i] = (uint8_t)(v & 0x7F);
	}
	return 0;
}

int
msim_ucs2_from_utf8(const char *text, uint8_t *out, size_t outsz)
{
	uint32_t cp, hi, lo;
	size_t n = 0;
	int len;

	while ((len = msim_utf8_next(text, &cp)) > 0) {
		text += len;
		if (cp < 0x10000) {
			if (n + 2 > outsz)
				return -1;
			out[n++] = (uint8_t)(cp >> 8);
			out[n++] = (uint8_t)cp;
			continue;
		}
		if (n + 4 > outsz)
			return -1;
		hi = 0xD800 + ((cp - 0x10000) >> 10);
		lo = 0xDC00 + ((cp - 0x10000) & 0x3FF);
		out[n++] = (uint8_t)(hi >> 8);
		out[n++] = (uint8_t)hi;
		out[n++] = (uint8_t)(lo >> 8);
		out[n++] = (uint8_t)lo;
	}
	return len < 0 ? -1 : (int)n;
}

int
msim_ucs2_to_utf8(const uint8_t *in, size_t len, char *out, size_t outsz)
{
	size_t i, pos = 0;
	uint32_t u, lo;

	if (len % 2 != 0 || outsz == 0)
		return -1;
	out[0] = '\0';
	for (i = 0; i < len; i += 2) {
		u = (uint32_t)in[i] << 8 | in[i + 1];
		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
			lo = (uint32_t)in[i + 2] << 8 | in[i + 3];
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			}
		}
		if (u >= 0xD800 && u <= 0xDFFF)
			u = MSIM_UTF8_REPLACEMENT;
		if (msim_utf8_put(u, out, outsz, &pos) == -1)
			return -1;
	}
	return (int)pos;
}
