/*
 * translit — GSM-7 friendly copies of a text.  See translit.h.
 */
#include "translit.h"

#include <stdint.h>

#include "sms.h"
#include "text.h"

/* Signs always replaced: code point, replacement ("" drops it). */
struct translit_sign {
	uint32_t cp;
	const char *to;
};

static const struct translit_sign translit_signs[] = {
	{ 0x2018, "'" }, { 0x2019, "'" }, { 0x201A, "'" }, { 0x201B, "'" }, { 0x2032, "'" },
	{ 0x00B4, "'" },
	{ 0x201C, "\"" }, { 0x201D, "\"" }, { 0x201E, "\"" }, { 0x00AB, "\"" },
	{ 0x00BB, "\"" }, { 0x2033, "\"" },
	{ 0x2026, "..." },
	{ 0x2010, "-" }, { 0x2011, "-" }, { 0x2012, "-" }, { 0x2013, "-" }, { 0x2014, "-" },
	{ 0x2212, "-" }, { 0x2022, "-" },
	{ 0x00A0, " " }, { 0x202F, " " }, { 0x205F, " " }, { 0x3000, " " },
	{ 0x200B, "" }, { 0x200C, "" }, { 0x200D, "" }, { 0x2060, "" }, { 0xFEFF, "" },
	{ 0x00AD, "" },
};

/*
 * Base letters of U+00C0..U+00FF, case kept; used only for those GSM-7
 * cannot carry (sms_gsm7_septets() says which).  "" keeps the letter.
 */
static const char *const translit_latin1[64] = {
	"A", "A", "A", "A", "A", "A", "AE", "C",	/* À Á Â Ã Ä Å Æ Ç */
	"E", "E", "E", "E", "I", "I", "I", "I",		/* È É Ê Ë Ì Í Î Ï */
	"D", "N", "O", "O", "O", "O", "O", "",		/* Ð Ñ Ò Ó Ô Õ Ö × */
	"O", "U", "U", "U", "U", "Y", "TH", "ss",	/* Ø Ù Ú Û Ü Ý Þ ß */
	"a", "a", "a", "a", "a", "a", "ae", "c",	/* à á â ã ä å æ ç */
	"e", "e", "e", "e", "i", "i", "i", "i",		/* è é ê ë ì í î ï */
	"d", "n", "o", "o", "o", "o", "o", "",		/* ð ñ ò ó ô õ ö ÷ */
	"o", "u", "u", "u", "u", "y", "th", "y",	/* ø ù ú û ü ý þ ÿ */
};

/* The replacement of a typographic sign, or NULL when cp is not one. */
static const char *
translit_sign_of(uint32_t cp)
{
	size_t i;

	if (cp >= 0x2000 && cp <= 0x200A)
		return " ";	/* en quad ... hair space */
	for (i = 0; i < sizeof(translit_signs) / sizeof(translit_signs[0]); i++)
		if (translit_signs[i].cp == cp)
			return translit_signs[i].to;
	return NULL;
}

/* The base letter(s) of an accented letter GSM-7 lacks, or NULL. */
static const char *
translit_letter_of(uint32_t cp)
{
	if (sms_gsm7_septets(cp) != 0)
		return NULL;
	if (cp >= 0xC0 && cp <= 0xFF && translit_latin1[cp - 0xC0][0])
		return translit_latin1[cp - 0xC0];
	if (cp == 0x152)
		return "OE";
	if (cp == 0x153)
		return "oe";
	if (cp == 0x178)
		return "Y";
	return NULL;
}

size_t
translit_gsm7(const char *text, bool accents, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)text, *start;
	const char *to;
	size_t changed = 0;
	uint32_t cp;

	while (*p) {
		start = p;
		if (text_utf8_next(&p, &cp) < 0) {
			buf_putc(out, (char)*p++);	/* not UTF-8: kept as is */
			continue;
		}
		to = translit_sign_of(cp);
		if (to == NULL && accents)
			to = translit_letter_of(cp);
		if (to == NULL) {
			buf_append(out, start, (size_t)(p - start));
			continue;
		}
		buf_puts(out, to);
		changed++;
	}
	if (out->data == NULL)
		buf_puts(out, "");
	return changed;
}
