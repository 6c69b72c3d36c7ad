/*
 * phone — phone numbers as people type them, to E.164.  See phone.h.
 *
 * Two steps: phone_scan() reduces the input to its digits and notes
 * whether it was written in international form ("+" or "00"); then
 * phone_classify() checks the digits against the French numbering plan
 * or, for other countries, the E.164 length, and writes "+digits".
 */
#include "phone.h"

#include <string.h>

/* E.164 allows at most 15 digits; we read a few more to say "too long". */
#define PHONE_DIGITS_MAX 15
#define PHONE_SCAN_MAX 32

/* Digits of a French number after the country code 33. */
#define PHONE_FR_DIGITS 9

/* Shortest foreign number we accept, country code included. */
#define PHONE_FOREIGN_MIN 8

static const char PHONE_ERR_EMPTY[] = "numéro vide";
static const char PHONE_ERR_CHAR[] = "caractère non autorisé dans le numéro";
static const char PHONE_ERR_SHORT[] = "numéro trop court";
static const char PHONE_ERR_LONG[] = "numéro trop long";
static const char PHONE_ERR_FR[] =
    "numéro français invalide (10 chiffres attendus)";
static const char PHONE_ERR_PLUS[] = "« + » mal placé dans le numéro";
static const char PHONE_ERR_CC[] = "indicatif de pays invalide";

/* What phone_scan() found: the digits and the form they were typed in. */
struct phone_digits {
	char	d[PHONE_SCAN_MAX + 1];	/* digits only, NUL-terminated */
	size_t	n;			/* strlen(d) */
	int	intl;			/* 1 after "+" or "00", already removed */
	int	overflow;		/* more than PHONE_SCAN_MAX digits */
};

/*
 * Returns the length of the separator at s (space, tab, . - / ( ),
 * UTF-8 no-break, narrow no-break or thin space), or 0 when s does not
 * start with one.
 */
static size_t
phone_sep_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (*s != '\0' && strchr(" \t\r\n.-/()", *s) != NULL)
		return 1;
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;			/* U+00A0 no-break space */
	if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xAF || u[2] == 0x89))
		return 3;			/* U+202F, U+2009 */
	return 0;
}

static void
phone_push_digit(struct phone_digits *pd, char c)
{
	if (pd->n == PHONE_SCAN_MAX) {
		pd->overflow = 1;
		return;
	}
	pd->d[pd->n++] = c;
	pd->d[pd->n] = '\0';
}

/*
 * Collects the digits of s into pd.  A "+" is allowed only before the
 * first digit; "(0)" after an international prefix is the trunk zero
 * people write out of habit ("+33 (0)6 ...") and is skipped.
 * Returns 0, or -1 with *reason set.
 */
static int
phone_scan(const char *s, struct phone_digits *pd, const char **reason)
{
	size_t len;

	memset(pd, 0, sizeof(*pd));
	while (*s != '\0') {
		if (pd->intl && strncmp(s, "(0)", 3) == 0) {
			s += 3;
		} else if ((len = phone_sep_len(s)) > 0) {
			s += len;
		} else if (*s >= '0' && *s <= '9') {
			phone_push_digit(pd, *s++);
		} else if (*s == '+') {
			if (pd->n > 0 || pd->intl) {
				*reason = PHONE_ERR_PLUS;
				return -1;
			}
			pd->intl = 1;
			s++;
		} else {
			*reason = PHONE_ERR_CHAR;
			return -1;
		}
	}
	if (pd->n == 0) {
		*reason = PHONE_ERR_EMPTY;
		return -1;
	}
	if (!pd->intl && pd->n > 2 && pd->d[0] == '0' && pd->d[1] == '0') {
		memmove(pd->d, pd->d + 2, pd->n - 1);
		pd->n -= 2;
		pd->intl = 1;
	}
	return 0;
}

/* Kind of a French number from the first digit after "33". */
static int
phone_fr_kind(char first, enum phone_kind *kind)
{
	switch (first) {
	case '6':
	case '7':
		*kind = PHONE_MOBILE;
		return 0;
	case '8':
		*kind = PHONE_SPECIAL;
		return 0;
	case '0':
		return -1;
	default:
		*kind = PHONE_LANDLINE;
		return 0;
	}
}

/*
 * nat: the 9 significant digits of a French number (without 0 or 33).
 * Writes "+33" nat to out.
 */
static int
phone_fr(const char *nat, size_t n, char *out, enum phone_kind *kind,
    const char **reason)
{
	if (n != PHONE_FR_DIGITS || phone_fr_kind(nat[0], kind) == -1) {
		*reason = PHONE_ERR_FR;
		return -1;
	}
	memcpy(out, "+33", 3);
	memcpy(out + 3, nat, n + 1);
	return 0;
}

/* International form: "33..." is French, anything else foreign E.164. */
static int
phone_intl(struct phone_digits *pd, char *out, enum phone_kind *kind,
    const char **reason)
{
	const char *nat;
	size_t n;

	if (pd->n >= 2 && pd->d[0] == '3' && pd->d[1] == '3') {
		nat = pd->d + 2;
		n = pd->n - 2;
		/* "+33 06 12 ..." : the trunk zero, typed anyway */
		if (n == PHONE_FR_DIGITS + 1 && nat[0] == '0') {
			nat++;
			n--;
		}
		return phone_fr(nat, n, out, kind, reason);
	}
	if (pd->d[0] == '0') {
		*reason = PHONE_ERR_CC;
		return -1;
	}
	if (pd->n < PHONE_FOREIGN_MIN) {
		*reason = PHONE_ERR_SHORT;
		return -1;
	}
	if (pd->n > PHONE_DIGITS_MAX || pd->overflow) {
		*reason = PHONE_ERR_LONG;
		return -1;
	}
	out[0] = '+';
	memcpy(out + 1, pd->d, pd->n + 1);
	*kind = PHONE_MOBILE;
	return 0;
}

/*
 * National form: "0" and 9 digits; or a 9-digit mobile whose zero a
 * spreadsheet dropped; or "33" and 9 digits, a "+33..." whose "+" a
 * spreadsheet dropped when it turned the cell into a number.
 */
static int
phone_national(struct phone_digits *pd, char *out, enum phone_kind *kind,
    const char **reason)
{
	const char *d = pd->d;
	size_t n = pd->n;

	if (d[0] == '0') {
		if (n < PHONE_FR_DIGITS + 1)
			*reason = PHONE_ERR_SHORT;
		else if (n > PHONE_FR_DIGITS + 1)
			*reason = PHONE_ERR_LONG;
		else
			return phone_fr(d + 1, n - 1, out, kind, reason);
		return -1;
	}
	if (n == PHONE_FR_DIGITS && (d[0] == '6' || d[0] == '7'))
		return phone_fr(d, n, out, kind, reason);
	if (n == PHONE_FR_DIGITS + 2 && d[0] == '3' && d[1] == '3' &&
	    d[2] != '0')
		return phone_fr(d + 2, n - 2, out, kind, reason);
	if (n < PHONE_FR_DIGITS)
		*reason = PHONE_ERR_SHORT;
	else if (n > PHONE_FR_DIGITS + 2 || pd->overflow)
		*reason = PHONE_ERR_LONG;
	else
		*reason = PHONE_ERR_FR;
	return -1;
}

int
phone_normalize(const char *input, char out[PHONE_E164_MAX],
    enum phone_kind *kind, const char **reason)
{
	struct phone_digits pd;
	const char *why = PHONE_ERR_EMPTY;
	enum phone_kind k = PHONE_MOBILE;
	int r = -1;

	out[0] = '\0';
	if (input != NULL && phone_scan(input, &pd, &why) == 0) {
		if (pd.intl)
			r = phone_intl(&pd, out, &k, &why);
		else
			r = phone_national(&pd, out, &k, &why);
	}
	if (r == -1) {
		out[0] = '\0';
		if (reason != NULL)
			*reason = why;
		return -1;
	}
	if (kind != NULL)
		*kind = k;
	return 0;
}

bool
phone_kind_can_sms(enum phone_kind kind)
{
	return kind == PHONE_MOBILE;
}
