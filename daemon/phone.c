/*
 * phone — phone numbers as people type them, to E.164.  See phone.h.
 *
 * Two steps: phone_scan() reduces the input to its digits and notes
 * whether it was written in international form ("+" or "00"); then
 * phone_intl() or phone_national() splits off the country code and looks
 * the national number up in the numbering plans of phone_plan.c (from
 * libphonenumber's metadata), which say whether it exists and its kind.
 * A number written nationally is French as dialled from metropolitan
 * France: "0690 12 34 56" is Guadeloupe, +590 690 12 34 56.
 */
#include "phone.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "phone_plan.h"

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
static const char PHONE_ERR_TRUNK[] = "« 0 » en trop après l'indicatif de pays";
static const char PHONE_ERR_UNALLOCATED[] =
    "ce numéro n'existe pas (aucun opérateur n'a cette tranche de numéros)";

/*
 * 06 39 98 00 00 to 06 39 98 99 99: the mobile numbers ARCEP keeps for
 * fiction, which no subscriber has (libphonenumber has them in no plan):
 * the demo, the guide and the tests use them, and an SMS to one reaches
 * nobody.
 */
static const struct phone_range phone_fiction = { 33, 9, PHONE_MOBILE, 1, "63998" };

/* The overseas codes a French national number may belong to (ARCEP's plan). */
static const uint16_t phone_overseas[] = {
	590,	/* Guadeloupe, Saint-Barthélemy, Saint-Martin */
	594,	/* Guyane */
	596,	/* Martinique */
	262,	/* La Réunion, Mayotte */
};

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
	/* "tel:+33612345678", "tel: 06 ..." pasted from a phone (RFC 3966) */
	while (*s == ' ' || *s == '\t')
		s++;
	if (strncasecmp(s, "tel:", 4) == 0)
		s += 4;
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

/* The entry of phone_plan_ccs for cc, or NULL. */
static const struct phone_cc *
phone_cc_find(unsigned cc)
{
	size_t lo = 0, hi = phone_plan_nccs, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (phone_plan_ccs[mid].cc == cc)
			return &phone_plan_ccs[mid];
		if (phone_plan_ccs[mid].cc < cc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Orders a range against (cc, len, nsn). */
static int
phone_range_cmp(const struct phone_range *r, unsigned cc, size_t len, const char *nsn)
{
	if (r->cc != cc)
		return r->cc < cc ? -1 : 1;
	if (r->len != len)
		return r->len < len ? -1 : 1;
	return strcmp(r->prefix, nsn);
}

/*
 * The range of +cc nsn (n digits), or NULL when the plan has none: the
 * last range at or before (cc, n, nsn), if its prefix starts nsn (ranges
 * never overlap, see phone_plan.h).
 */
static const struct phone_range *
phone_range_find(unsigned cc, const char *nsn, size_t n)
{
	size_t lo = 0, hi = phone_plan_nranges, mid;
	const struct phone_range *r;

	if (cc == phone_fiction.cc && n == phone_fiction.len &&
	    strncmp(nsn, phone_fiction.prefix, strlen(phone_fiction.prefix)) == 0)
		return &phone_fiction;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (phone_range_cmp(&phone_plan_ranges[mid], cc, n, nsn) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	r = &phone_plan_ranges[lo - 1];
	if (r->cc != cc || r->len != n || strncmp(r->prefix, nsn, strlen(r->prefix)) != 0)
		return NULL;
	return r;
}

/* Shortest and longest national numbers of a planned cc. */
static void
phone_cc_lengths(unsigned cc, size_t *min, size_t *max)
{
	size_t i;

	*min = PHONE_DIGITS_MAX;
	*max = 0;
	for (i = 0; i < phone_plan_nranges; i++) {
		if (phone_plan_ranges[i].cc != cc)
			continue;
		if (phone_plan_ranges[i].len < *min)
			*min = phone_plan_ranges[i].len;
		if (phone_plan_ranges[i].len > *max)
			*max = phone_plan_ranges[i].len;
	}
}

/* Writes "+" cc nsn to out and the range's kind; 0. */
static int
phone_write(unsigned cc, const char *nsn, const struct phone_range *r, char *out,
    enum phone_kind *kind)
{
	char ccs[8];
	size_t i = 0, k;

	out[i++] = '+';
	k = (size_t)snprintf(ccs, sizeof(ccs), "%u", cc);
	memcpy(out + i, ccs, k);
	i += k;
	memcpy(out + i, nsn, strlen(nsn) + 1);
	*kind = (enum phone_kind)r->kind;
	return 0;
}

/* Why +cc nsn (n digits) is refused: its length, or an unallocated range. */
static int
phone_refuse(unsigned cc, const char *nsn, size_t n, const char **reason)
{
	size_t min, max;

	phone_cc_lengths(cc, &min, &max);
	if (cc == 33 && (n != PHONE_FR_DIGITS || nsn[0] == '0'))
		*reason = PHONE_ERR_FR;
	else if (n < min)
		*reason = cc == 33 ? PHONE_ERR_FR : PHONE_ERR_SHORT;
	else if (n > max)
		*reason = cc == 33 ? PHONE_ERR_FR : PHONE_ERR_LONG;
	else
		*reason = PHONE_ERR_UNALLOCATED;
	return -1;
}

/* d: an overseas code and 9 digits, a geographic number: written to out. */
static const struct phone_range *
phone_overseas_find(const char *d, char *out)
{
	const struct phone_range *r;
	enum phone_kind kind;
	unsigned cc = (unsigned)((d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0'));
	size_t i;

	for (i = 0; i < sizeof(phone_overseas) / sizeof(phone_overseas[0]); i++) {
		if (phone_overseas[i] != cc)
			continue;
		r = phone_range_find(cc, d + 3, PHONE_FR_DIGITS);
		if (r == NULL || !r->geo)
			return NULL;
		phone_write(cc, d + 3, r, out, &kind);
		return r;
	}
	return NULL;
}

/*
 * A national significant number as dialled from metropolitan France:
 * a metropolitan mobile, special or VoIP number stays +33; a number the
 * metropolitan plan does not have, or has as a landline, is overseas when
 * an overseas plan has it as a mobile or a landline ("0690 ..." is
 * +590 690 ..., "0262 ..." is +262 262 ...).
 */
static int
phone_fr_national(const char *nsn, size_t n, char *out, enum phone_kind *kind,
    const char **reason)
{
	const struct phone_range *fr = phone_range_find(33, nsn, n), *r;
	size_t i;

	if (fr == NULL || (fr->geo && fr->kind == PHONE_LANDLINE)) {
		for (i = 0; i < sizeof(phone_overseas) / sizeof(phone_overseas[0]); i++) {
			r = phone_range_find(phone_overseas[i], nsn, n);
			if (r != NULL && r->geo)
				return phone_write(phone_overseas[i], nsn, r, out, kind);
		}
	}
	if (fr == NULL)
		return phone_refuse(33, nsn, n, reason);
	return phone_write(33, nsn, fr, out, kind);
}

/*
 * International form: the country code (1 to 3 digits: no code is the
 * start of another), then the national number, checked against that
 * country's plan; a trunk 0 typed anyway ("+33 06 ...", "+44 07 ...") is
 * dropped.  A country outside the plan table is taken on its length and
 * assumed to be a mobile.
 */
static int
phone_intl(struct phone_digits *pd, char *out, enum phone_kind *kind,
    const char **reason)
{
	const struct phone_cc *c = NULL;
	const struct phone_range *r;
	const char *nsn;
	unsigned cc = 0;
	size_t i, n;

	if (pd->d[0] == '0') {
		*reason = PHONE_ERR_CC;
		return -1;
	}
	for (i = 0; i < 3 && i < pd->n && c == NULL; i++) {
		cc = cc * 10 + (unsigned)(pd->d[i] - '0');
		c = phone_cc_find(cc);
	}
	if (c == NULL) {
		*reason = pd->n < 4 ? PHONE_ERR_SHORT : PHONE_ERR_CC;
		return -1;
	}
	if (pd->n > PHONE_DIGITS_MAX + 1 || pd->overflow) {
		*reason = PHONE_ERR_LONG;
		return -1;
	}
	nsn = pd->d + i;
	n = pd->n - i;
	if (!c->planned) {
		if (c->trunk && nsn[0] == '0') {	/* "+49 0..." */
			memmove(pd->d + i, pd->d + i + 1, pd->n - i);
			pd->n--;
			/* one trunk 0 at most: a number is written again as itself */
			if (pd->d[i] == '0') {
				*reason = PHONE_ERR_TRUNK;
				return -1;
			}
		}
		if (pd->n < PHONE_FOREIGN_MIN) {
			*reason = PHONE_ERR_SHORT;
			return -1;
		}
		if (pd->n > PHONE_DIGITS_MAX) {
			*reason = PHONE_ERR_LONG;
			return -1;
		}
		out[0] = '+';
		memcpy(out + 1, pd->d, pd->n + 1);
		*kind = PHONE_MOBILE;
		return 0;
	}
	/* a plan may have a range one digit beyond E.164 (Nigeria's 13-digit 800s) */
	if (pd->n <= PHONE_DIGITS_MAX && (r = phone_range_find(cc, nsn, n)) != NULL)
		return phone_write(cc, nsn, r, out, kind);
	if (c->trunk && nsn[0] == '0' && (r = phone_range_find(cc, nsn + 1, n - 1)) != NULL)
		return phone_write(cc, nsn + 1, r, out, kind);
	if (pd->n > PHONE_DIGITS_MAX) {
		*reason = PHONE_ERR_LONG;
		return -1;
	}
	return phone_refuse(cc, nsn, n, reason);
}

/*
 * National form: "0" and 9 digits; or 9 digits whose zero a spreadsheet
 * dropped; or "33" and 9 digits, a "+33..." whose "+" a spreadsheet
 * dropped when it turned the cell into a number.
 */
static int
phone_national(struct phone_digits *pd, char *out, enum phone_kind *kind,
    const char **reason)
{
	const struct phone_range *r;
	const char *d = pd->d;
	size_t n = pd->n;

	if (d[0] == '0') {
		if (n < PHONE_FR_DIGITS + 1)
			*reason = PHONE_ERR_SHORT;
		else if (n > PHONE_FR_DIGITS + 1)
			*reason = PHONE_ERR_LONG;
		else
			return phone_fr_national(d + 1, n - 1, out, kind, reason);
		return -1;
	}
	/* 9 digits without their 0: taken for a mobile only, a guess otherwise */
	if (n == PHONE_FR_DIGITS && phone_fr_national(d, n, out, kind, reason) == 0) {
		if (*kind == PHONE_MOBILE)
			return 0;
		*reason = PHONE_ERR_FR;
		return -1;
	}
	if (n == PHONE_FR_DIGITS)
		return -1;
	if (n == PHONE_FR_DIGITS + 2 && d[0] == '3' && d[1] == '3' &&
	    (r = phone_range_find(33, d + 2, n - 2)) != NULL)
		return phone_write(33, d + 2, r, out, kind);
	/* "590690123456": an overseas "+590 690 ..." whose "+" was dropped */
	if (n == PHONE_FR_DIGITS + 3 && (r = phone_overseas_find(d, out)) != NULL) {
		*kind = (enum phone_kind)r->kind;
		return 0;
	}
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
