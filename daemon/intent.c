/*
 * intent — what a family means by its SMS reply.  See intent.h.
 *
 * A reply is normalised into words (struct intent_words), then covered
 * left to right by the longest phrase of intent_phrases[].  A phrase is a
 * pattern of space-separated slots; a slot lists the words it accepts,
 * separated by '|', and ends with '?' when it may be left out ("?" alone
 * is the question-mark word; "*" is a name).  Table words are written
 * plainly: repeated letters are ignored on both sides when comparing.
 */
#include "intent.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "intent_table.h"
#include "text.h"

/* Slots in one pattern at most. */
#define INTENT_MAX_SLOTS 14

/* What a normalised code point becomes. */
enum intent_cls {
	INTENT_CLS_LETTER,	/* part of a word (letters and digits) */
	INTENT_CLS_SEP,		/* ends a word: spaces, punctuation */
	INTENT_CLS_DROP,	/* ignored: diacritics, joiners, friendly emoji */
	INTENT_CLS_QUESTION,	/* the word "?" */
	INTENT_CLS_YES_SYM,	/* the word ":y" (👍 ✅ …) */
	INTENT_CLS_NO_SYM,	/* the word ":n" (👎 ❌ …) */
	INTENT_CLS_STOP_SYM,	/* the word ":s" (🛑) */
	INTENT_CLS_SYM,		/* the word ":x", which no phrase accepts */
};

/* A reply cut into words; words point into text, not NUL-terminated. */
struct intent_words {
	char text[2 * INTENT_MAX_BYTES + 16];
	size_t len;
	size_t off[INTENT_MAX_WORDS];
	size_t wlen[INTENT_MAX_WORDS];
	size_t n;
	bool in_word;		/* the last byte of text belongs to word n - 1 */
	bool overflow;		/* more than INTENT_MAX_WORDS words */
	uint64_t capital;	/* bit k: word k began with a capital letter */
};

struct intent_slot {
	const char *alts;	/* "oui|ouais", not NUL-terminated */
	size_t len;
	bool optional;
};

/* Emoji and symbols that answer: code point and class. */
static const struct intent_symbol {
	uint32_t cp;
	enum intent_cls cls;
} intent_symbols[] = {
	{ 0x2611, INTENT_CLS_YES_SYM },	/* ☑ */
	{ 0x2705, INTENT_CLS_YES_SYM },	/* ✅ */
	{ 0x2714, INTENT_CLS_YES_SYM },	/* ✔ */
	{ 0x1F197, INTENT_CLS_YES_SYM },	/* 🆗 */
	{ 0x1F44C, INTENT_CLS_YES_SYM },	/* 👌 */
	{ 0x1F44D, INTENT_CLS_YES_SYM },	/* 👍 */
	{ 0x274C, INTENT_CLS_NO_SYM },	/* ❌ */
	{ 0x2716, INTENT_CLS_NO_SYM },	/* ✖ */
	{ 0x1F44E, INTENT_CLS_NO_SYM },	/* 👎 */
	{ 0x1F6D1, INTENT_CLS_STOP_SYM },	/* 🛑 */
	{ 0x2639, INTENT_CLS_DROP },	/* ☹ */
	{ 0x263A, INTENT_CLS_DROP },	/* ☺ */
	{ 0x2665, INTENT_CLS_DROP },	/* ♥ */
	{ 0x2764, INTENT_CLS_DROP },	/* ❤ */
	{ 0x1F339, INTENT_CLS_DROP },	/* 🌹 */
	{ 0x1F490, INTENT_CLS_DROP },	/* 💐 */
	{ 0x1F495, INTENT_CLS_DROP },	/* 💕 */
	{ 0x1F496, INTENT_CLS_DROP },	/* 💖 */
	{ 0x1F4AA, INTENT_CLS_DROP },	/* 💪 */
	{ 0x1F600, INTENT_CLS_DROP },	/* 😀 */
	{ 0x1F601, INTENT_CLS_DROP },	/* 😁 */
	{ 0x1F603, INTENT_CLS_DROP },	/* 😃 */
	{ 0x1F604, INTENT_CLS_DROP },	/* 😄 */
	{ 0x1F605, INTENT_CLS_DROP },	/* 😅 */
	{ 0x1F609, INTENT_CLS_DROP },	/* 😉 */
	{ 0x1F60A, INTENT_CLS_DROP },	/* 😊 */
	{ 0x1F60D, INTENT_CLS_DROP },	/* 😍 */
	{ 0x1F614, INTENT_CLS_DROP },	/* 😔 */
	{ 0x1F618, INTENT_CLS_DROP },	/* 😘 */
	{ 0x1F61E, INTENT_CLS_DROP },	/* 😞 */
	{ 0x1F622, INTENT_CLS_DROP },	/* 😢 */
	{ 0x1F625, INTENT_CLS_DROP },	/* 😥 */
	{ 0x1F641, INTENT_CLS_DROP },	/* 🙁 */
	{ 0x1F642, INTENT_CLS_DROP },	/* 🙂 */
	{ 0x1F64F, INTENT_CLS_DROP },	/* 🙏 */
	{ 0x1F917, INTENT_CLS_DROP },	/* 🤗 */
	{ 0x1F970, INTENT_CLS_DROP },	/* 🥰 */
};


static const char *const intent_names[] = {
	[INTENT_OTHER] = "other",
	[INTENT_YES] = "yes",
	[INTENT_NO] = "no",
	[INTENT_STOP] = "stop",
	[INTENT_START] = "start",
	[INTENT_HELP] = "help",
	[INTENT_WHO] = "who",
	[INTENT_CALL] = "call",
};

const char *
intent_name(enum intent i)
{
	if ((unsigned)i >= sizeof(intent_names) / sizeof(intent_names[0]))
		return "other";
	return intent_names[i];
}

/* Decodes the code point at p (valid UTF-8) into *cp; returns its length. */
static size_t
intent_utf8_decode(const unsigned char *p, uint32_t *cp)
{
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] < 0xE0) {
		*cp = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
		return 2;
	}
	if (p[0] < 0xF0) {
		*cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 |
		    (p[2] & 0x3F);
		return 3;
	}
	*cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
	    (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
	return 4;
}

/* Appends cp to text as UTF-8; the caller checked there is room. */
static void
intent_utf8_put(struct intent_words *w, uint32_t cp)
{
	unsigned char *o = (unsigned char *)w->text + w->len;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		w->len += 1;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		w->len += 2;
	} else if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		w->len += 3;
	} else {
		o[0] = (unsigned char)(0xF0 | cp >> 18);
		o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		o[3] = (unsigned char)(0x80 | (cp & 0x3F));
		w->len += 4;
	}
}

/* Class of an Arabic-block code point; may rewrite *cp to its usual form. */
static enum intent_cls
intent_class_arabic(uint32_t *cp)
{
	uint32_t c = *cp;

	if (c == 0x061F)
		return INTENT_CLS_QUESTION;			/* ؟ */
	if (c == 0x060C || c == 0x061B || c == 0x06D4 || (c >= 0x066A && c <= 0x066D))
		return INTENT_CLS_SEP;				/* ، ؛ ۔ ٪ */
	if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640)
		return INTENT_CLS_DROP;				/* harakat, tatweel */
	if (c >= 0x0660 && c <= 0x0669)
		*cp = '0' + (c - 0x0660);			/* ٠-٩ */
	else if (c >= 0x06F0 && c <= 0x06F9)
		*cp = '0' + (c - 0x06F0);			/* ۰-۹ */
	else if (c == 0x0622 || c == 0x0623 || c == 0x0625 || c == 0x0671)
		*cp = 0x0627;					/* آ أ إ ٱ → ا */
	else if (c == 0x0629)
		*cp = 0x0647;					/* ة → ه */
	else if (c == 0x0649 || c == 0x06CC)
		*cp = 0x064A;					/* ى ی → ي */
	else if (c == 0x06A9)
		*cp = 0x0643;					/* ک → ك */
	return INTENT_CLS_LETTER;
}

/* Class of an emoji or symbol code point. */
static enum intent_cls
intent_class_symbol(uint32_t cp)
{
	size_t i;

	if (cp >= 0x1F3FB && cp <= 0x1F3FF)
		return INTENT_CLS_DROP;				/* skin tones */
	for (i = 0; i < sizeof(intent_symbols) / sizeof(intent_symbols[0]); i++)
		if (intent_symbols[i].cp == cp)
			return intent_symbols[i].cls;
	return INTENT_CLS_SYM;
}

/*
 * Latin Extended-A (U+0100 to U+017F) without its accents, lower case:
 * "ğ" "ş" "ı" "ă" are read as g s i a; '.' keeps the letter as it is.
 */
static const char intent_latin_ext[] =
	"aaaaaa" "cccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii" ".."
	"jj" "kkk" "llllllllll" "nnnnnnnnn" "oooooo" ".." "rrrrrr" "ssssssss" "tttttt"
	"uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";

_Static_assert(sizeof(intent_latin_ext) == 0x80 + 1, "one letter per code point");

/* Class of a folded code point; may rewrite *cp. */
static enum intent_cls
intent_class(uint32_t *cp)
{
	uint32_t c = *cp;

	if (c < 0x80) {
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			return INTENT_CLS_LETTER;
		return c == '?' ? INTENT_CLS_QUESTION : INTENT_CLS_SEP;
	}
	if (c < 0xC0 || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x206F &&
	    !(c >= 0x200B && c <= 0x200F) && c != 0x2060) || (c >= 0x3000 && c <= 0x303F))
		return INTENT_CLS_SEP;				/* punctuation, spaces */
	if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) || c == 0x2060 ||
	    (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF ||
	    c >= 0xE0000)
		return INTENT_CLS_DROP;				/* combining, joiners */
	if (c == 0xFF1F)
		return INTENT_CLS_QUESTION;			/* ？ */
	if (c >= 0x0600 && c <= 0x06FF)
		return intent_class_arabic(cp);
	if ((c >= 0x2070 && c <= 0x2BFF) || (c >= 0x1F000 && c <= 0x1FAFF))
		return intent_class_symbol(c);
	if (c >= 0x0100 && c <= 0x017F && intent_latin_ext[c - 0x0100] != '.')
		*cp = (unsigned char)intent_latin_ext[c - 0x0100];
	else if (c >= 0x0218 && c <= 0x021B)
		*cp = c < 0x021A ? 's' : 't';			/* Ș ș Ț ț */
	return INTENT_CLS_LETTER;
}

/* Ends the word being built, if any. */
static void
intent_words_end(struct intent_words *w)
{
	w->in_word = false;
}

/* Appends cp to the current word, starting one when needed. */
static void
intent_words_put(struct intent_words *w, uint32_t cp)
{
	if (!w->in_word) {
		if (w->n == INTENT_MAX_WORDS) {
			w->overflow = true;
			return;
		}
		w->off[w->n] = w->len;
		w->wlen[w->n] = 0;
		w->n++;
		w->in_word = true;
	}
	if (w->len + 4 > sizeof(w->text))
		return;		/* cannot happen: input is at most INTENT_MAX_BYTES */
	intent_utf8_put(w, cp);
	w->wlen[w->n - 1] = w->len - w->off[w->n - 1];
}

/* Adds the whole word s ("?", ":y"...). */
static void
intent_words_add(struct intent_words *w, const char *s)
{
	intent_words_end(w);
	while (*s)
		intent_words_put(w, (unsigned char)*s++);
	intent_words_end(w);
}

/* Cuts folded, valid UTF-8 text into w. */
static void
intent_words_split(const char *folded, struct intent_words *w)
{
	const unsigned char *p = (const unsigned char *)folded;
	uint32_t cp;

	while (*p) {
		p += intent_utf8_decode(p, &cp);
		switch (intent_class(&cp)) {
		case INTENT_CLS_LETTER:
			intent_words_put(w, cp);
			break;
		case INTENT_CLS_SEP:
			intent_words_end(w);
			break;
		case INTENT_CLS_DROP:
			break;
		case INTENT_CLS_QUESTION:
			intent_words_add(w, "?");
			break;
		case INTENT_CLS_YES_SYM:
			intent_words_add(w, ":y");
			break;
		case INTENT_CLS_NO_SYM:
			intent_words_add(w, ":n");
			break;
		case INTENT_CLS_STOP_SYM:
			intent_words_add(w, ":s");
			break;
		case INTENT_CLS_SYM:
			intent_words_add(w, ":x");
			break;
		}
	}
}

/* True when cp, from the text as typed, is a capital letter. */
static bool
intent_is_capital(uint32_t cp)
{
	return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7);
}

/*
 * Marks in w->capital the words that began with a capital letter in the
 * text as typed, cutting it as intent_words_split cut its folded copy
 * (folding keeps letters letters).  When the cuts do not agree, no word
 * is marked.
 */
static void
intent_words_capitals(const char *typed, struct intent_words *w)
{
	const unsigned char *p = (const unsigned char *)typed;
	uint64_t capital = 0;
	size_t n = 0;
	bool in_word = false;
	uint32_t cp;

	while (*p) {
		p += intent_utf8_decode(p, &cp);
		if (intent_is_capital(cp)) {
			if (!in_word && n < 64)
				capital |= (uint64_t)1 << n;
			if (!in_word)
				n++;
			in_word = true;
			continue;
		}
		switch (intent_class(&cp)) {
		case INTENT_CLS_LETTER:
			if (!in_word)
				n++;
			in_word = true;
			break;
		case INTENT_CLS_DROP:
			break;
		case INTENT_CLS_SEP:
			in_word = false;
			break;
		default:		/* a word of its own: "?", ":y" ... */
			n++;
			in_word = false;
			break;
		}
	}
	w->capital = n == w->n ? capital : 0;
}

/* Length of the UTF-8 sequence starting with byte c. */
static size_t
intent_seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c < 0xE0)
		return 2;
	return c < 0xF0 ? 3 : 4;
}

/*
 * Skips the sequence of n bytes at s + i and its repetitions (but not
 * repeated digits); returns the index after them.
 */
static size_t
intent_skip_run(const char *s, size_t len, size_t i, size_t n)
{
	size_t j = i + n;

	if (n == 1 && s[i] >= '0' && s[i] <= '9')
		return j;
	while (j + n <= len && memcmp(s + i, s + j, n) == 0)
		j += n;
	return j;
}

/* True when words a and b are equal once repeated letters are merged. */
static bool
intent_word_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0, n;

	while (i < alen && j < blen) {
		n = intent_seq_len((unsigned char)a[i]);
		if (n != intent_seq_len((unsigned char)b[j]) || i + n > alen ||
		    j + n > blen || memcmp(a + i, b + j, n) != 0)
			return false;
		i = intent_skip_run(a, alen, i, n);
		j = intent_skip_run(b, blen, j, n);
	}
	return i == alen && j == blen;
}

/* True when one of the alternatives alts[0..len) is the word (w, wlen). */
static bool
intent_alts_accept(const char *alts, size_t len, const char *w, size_t wlen)
{
	const char *p = alts, *end = alts + len, *bar;

	while (p < end) {
		bar = memchr(p, '|', (size_t)(end - p));
		if (bar == NULL)
			bar = end;
		if (intent_word_eq(p, (size_t)(bar - p), w, wlen))
			return true;
		p = bar + 1;
	}
	return false;
}

/* True when some phrase of the table has the word (w, wlen). */
static bool
intent_word_known(const char *w, size_t wlen)
{
	const char *p;
	size_t len;

	for (size_t i = 0; i < intent_nphrases; i++) {
		for (p = intent_phrases[i].pattern; *p; p += strspn(p, " ")) {
			len = strcspn(p, " ");
			if (intent_alts_accept(p, len, w, wlen))
				return true;
			p += len;
		}
	}
	return false;
}

/*
 * True when word k can be a name: it began with a capital letter, has two
 * letters or more and no digit, and no phrase of the table knows it.
 */
static bool
intent_word_name(const struct intent_words *w, size_t k)
{
	const char *s = w->text + w->off[k];
	size_t len = w->wlen[k];

	if (k >= 64 || !(w->capital >> k & 1) || len < 2)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((s[i] >= '0' && s[i] <= '9') || s[i] == ':' || s[i] == '?')
			return false;
	return !intent_word_known(s, len);
}

/* True when slot accepts word k of w; the slot "*" accepts a name. */
static bool
intent_slot_accepts(const struct intent_slot *slot, const struct intent_words *w,
    size_t k)
{
	if (slot->len == 1 && slot->alts[0] == '*')
		return intent_word_name(w, k);
	return intent_alts_accept(slot->alts, slot->len, w->text + w->off[k], w->wlen[k]);
}

/* Parses pattern into slots; returns how many (at most max). */
static size_t
intent_pattern_parse(const char *pattern, struct intent_slot *slot, size_t max)
{
	const char *p = pattern;
	size_t n = 0, len;

	while (*p && n < max) {
		len = strcspn(p, " ");
		if (len > 0) {
			slot[n].alts = p;
			slot[n].optional = len > 1 && p[len - 1] == '?';
			slot[n].len = slot[n].optional ? len - 1 : len;
			n++;
		}
		p += len;
		p += strspn(p, " ");
	}
	return n;
}

/*
 * Longest match of slots[0..n) on the words from index at: the number of
 * words it covers, or -1.
 */
static int
intent_slots_match(const struct intent_slot *slot, size_t n,
    const struct intent_words *w, size_t at)
{
	int best = -1, r;

	if (n == 0)
		return 0;
	if (at < w->n && intent_slot_accepts(slot, w, at)) {
		r = intent_slots_match(slot + 1, n - 1, w, at + 1);
		if (r >= 0)
			best = r + 1;
	}
	if (slot->optional) {
		r = intent_slots_match(slot + 1, n - 1, w, at);
		if (r > best)
			best = r;
	}
	return best;
}

/* Words covered by pattern from index at; 0 when it does not match. */
static size_t
intent_phrase_match(const char *pattern, const struct intent_words *w, size_t at)
{
	struct intent_slot slot[INTENT_MAX_SLOTS];
	size_t n = intent_pattern_parse(pattern, slot, INTENT_MAX_SLOTS);
	int r = intent_slots_match(slot, n, w, at);

	return r > 0 ? (size_t)r : 0;
}

/*
 * Covers the words with the longest phrases, left to right, and returns
 * the set of kinds used as a bit mask, or 0 when some word is covered by
 * no phrase.
 */
static unsigned
intent_cover(const struct intent_words *w)
{
	size_t at = 0, i, len, best;
	unsigned mask = 0, kind = 0;

	while (at < w->n) {
		best = 0;
		for (i = 0; i < intent_nphrases; i++) {
			len = intent_phrase_match(intent_phrases[i].pattern, w, at);
			if (len > best) {
				best = len;
				kind = intent_phrases[i].kind;
			}
		}
		if (best == 0)
			return 0;
		mask |= 1u << kind;
		at += best;
	}
	return mask;
}

/*
 * The intent of a cover mask: its one intent, else INTENT_OTHER.  Leaning
 * phrases must lean to that intent, a hedge needs a phrase of coming, a
 * signature does not go with a question mark.
 */
static enum intent
intent_from_mask(unsigned mask)
{
	unsigned lean = mask >> INTENT_LEAN;
	bool come = mask & 1u << INTENT_COME, hedge = mask & 1u << INTENT_HEDGE;
	bool sign = mask & 1u << INTENT_SIGN;
	enum intent i, found = INTENT_OTHER;

	mask &= (1u << INTENT_LEAN) - 1;
	mask &= ~(1u << INTENT_FILLER | 1u << INTENT_COME | 1u << INTENT_HEDGE |
	    1u << INTENT_SIGN);
	if (come)
		mask |= 1u << INTENT_YES;
	if (mask & (1u << INTENT_QMARK)) {
		mask &= ~(1u << INTENT_QMARK);
		if (sign)
			return INTENT_OTHER;
		if (mask == 0 && lean == 0 && !hedge)
			return INTENT_HELP;
		if (mask != 1u << INTENT_HELP && mask != 1u << INTENT_WHO)
			return INTENT_OTHER;
	}
	for (i = INTENT_YES; i <= INTENT_WHO; i++)
		if (mask == 1u << i)
			found = i;
	if (found == INTENT_OTHER || (lean & ~(1u << found)) != 0 || (hedge && !come))
		return INTENT_OTHER;
	return found;
}

enum intent
intent_classify(const char *utf8_text)
{
	struct intent_words w;
	struct buf folded = { 0 };
	size_t len;
	enum intent i = INTENT_OTHER;

	if (utf8_text == NULL)
		return INTENT_OTHER;
	len = strlen(utf8_text);
	if (len == 0 || len > INTENT_MAX_BYTES || !text_utf8_valid(utf8_text, len))
		return INTENT_OTHER;
	text_fold(utf8_text, &folded);
	memset(&w, 0, sizeof(w));
	intent_words_split(folded.data, &w);
	buf_free(&folded);
	intent_words_capitals(utf8_text, &w);
	if (w.n > 0 && !w.overflow)
		i = intent_from_mask(intent_cover(&w));
	return i;
}
