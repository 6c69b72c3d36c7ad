/*
 * text — UTF-8 helpers.  See text.h.
 */
#include "text.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/*
 * Folding of U+00C0..U+00FF (the second byte of "\xC3\x80".."\xC3\xBF"
 * minus 0x80): each entry is what the letter becomes, "" to keep it.
 */
static const char *const text_latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c",	/* À Á Â Ã Ä Å Æ Ç */
	"e", "e", "e", "e", "i", "i", "i", "i",		/* È É Ê Ë Ì Í Î Ï */
	"d", "n", "o", "o", "o", "o", "o", "",		/* Ð Ñ Ò Ó Ô Õ Ö × */
	"o", "u", "u", "u", "u", "y", "th", "ss",	/* Ø Ù Ú Û Ü Ý Þ ß */
	"a", "a", "a", "a", "a", "a", "ae", "c",	/* à á â ã ä å æ ç */
	"e", "e", "e", "e", "i", "i", "i", "i",		/* è é ê ë ì í î ï */
	"d", "n", "o", "o", "o", "o", "o", "",		/* ð ñ ò ó ô õ ö ÷ */
	"o", "u", "u", "u", "u", "y", "th", "y",	/* ø ù ú û ü ý þ ÿ */
};

void
text_fold(const char *s, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		if (*p < 0x80) {
			buf_putc(out, (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p));
			p++;
		} else if (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF &&
		    text_latin1[p[1] - 0x80][0]) {
			buf_puts(out, text_latin1[p[1] - 0x80]);
			p += 2;
		} else if (p[0] == 0xC5 && (p[1] == 0x92 || p[1] == 0x93)) {
			buf_puts(out, "oe");	/* Œ œ */
			p += 2;
		} else {
			buf_putc(out, (char)*p);
			p++;
		}
	}
	if (out->data == NULL)
		buf_puts(out, "");
}

bool
text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		unsigned c = *p;
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if ((size_t)(end - p) <= n)
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return false;
		p += n + 1;
	}
	return true;
}

size_t
text_utf8_cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	/* s[max] is the first byte left out: not a continuation byte */
	for (n = max; n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; n--)
		;
	return n;
}

int
text_from_cp1252(const char *data, size_t len, struct buf *out)
{
	iconv_t cd;
	char *in = (char *)data, *start, *o;
	size_t inleft = len, outleft = len * 3;	/* a byte gives at most 3 */
	int undefined = 0;

	if ((cd = iconv_open("UTF-8", "WINDOWS-1252")) == (iconv_t)-1)
		return -1;
	if ((start = o = malloc(outleft + 1)) == NULL)
		fatal("text: out of memory");
	while (inleft > 0) {
		if (iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1)
			break;
		if (errno != EILSEQ && errno != EINVAL)
			break;		/* E2BIG cannot happen */
		memcpy(o, "\xEF\xBF\xBD", 3);	/* U+FFFD */
		o += 3;
		outleft -= 3;
		in++;
		inleft--;
		undefined++;
	}
	iconv_close(cd);
	buf_append(out, start, (size_t)(o - start));
	free(start);
	return undefined;
}

char *
text_trim_dup(const char *s)
{
	size_t len;
	char *p;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	p = strndup(s, len);
	if (p == NULL)
		fatal("text: out of memory");
	return p;
}

int
text_utf8_next(const unsigned char **p, uint32_t *cp)
{
	const unsigned char *s = *p;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		n = 0;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		*cp = s[0] & 0x1F;
		n = 1;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		*cp = s[0] & 0x0F;
		n = 2;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		*cp = s[0] & 0x07;
		n = 3;
	} else {
		return -1;
	}
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 2 && (*cp < 0x800 || (*cp >= 0xD800 && *cp <= 0xDFFF))) ||
	    (n == 3 && (*cp < 0x10000 || *cp > 0x10FFFF)))
		return -1;
	*p = s + n + 1;
	return 0;
}

void
text_utf8_put(struct buf *out, uint32_t cp)
{
	char b[4];

	if (cp < 0x80) {
		buf_putc(out, (char)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		buf_append(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		buf_append(out, b, 3);
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		buf_append(out, b, 4);
	}
}
