/*
 * template — campaign texts with their variables.  See template.h.
 */
#include "template.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "text.h"

#define TEMPLATE_NAME_MAX 30	/* longest {word} taken for a variable */

struct template_var {
	const char *name;
	unsigned bit;
};

static const struct template_var template_vars[] = {
	{ "prenom", TEMPLATE_PRENOM },
	{ "prénom", TEMPLATE_PRENOM },
	{ "nom", TEMPLATE_NOM },
	{ "atelier", TEMPLATE_ATELIER },
	{ "date", TEMPLATE_DATE },
	{ "heure", TEMPLATE_HEURE },
	{ "lieu", TEMPLATE_LIEU },
	{ "centre", TEMPLATE_CENTRE },
	{ "tel_centre", TEMPLATE_TEL_CENTRE },
	{ "adresse", TEMPLATE_ADRESSE },
	{ "delai", TEMPLATE_DELAI },
};

#define TEMPLATE_LIST "{prenom}, {nom}, {atelier}, {date}, {heure}, {lieu}, {centre}, " \
	"{tel_centre}, {adresse}"

/*
 * Length of the variable name after the brace at p when p opens one
 * ("{word}": no space, brace or control character, at most
 * TEMPLATE_NAME_MAX bytes), else 0.
 */
static size_t
template_name_len(const char *p)
{
	size_t n;

	for (n = 1; p[n] && p[n] != '}'; n++)
		if (p[n] == '{' || (unsigned char)p[n] <= ' ' || n > TEMPLATE_NAME_MAX)
			return 0;
	return p[n] == '}' && n > 1 ? n - 1 : 0;
}

/* The bit of the variable name (len bytes), or 0 when unknown. */
static unsigned
template_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(template_vars) / sizeof(template_vars[0]); i++)
		if (strlen(template_vars[i].name) == len &&
		    memcmp(template_vars[i].name, name, len) == 0)
			return template_vars[i].bit;
	return 0;
}

int
template_check(const char *tmpl, const char *field, unsigned *uses, struct error *err)
{
	const char *p;
	unsigned bits = 0, bit;
	size_t n;

	if (uses)
		*uses = 0;
	if (tmpl == NULL || !text_utf8_valid(tmpl, strlen(tmpl)))
		return error_set(err, ERR_INVALID, "invalid", field,
		    "Texte mal encodé (UTF-8 attendu).");
	for (p = tmpl; *p; p++) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			p++;
			continue;
		}
		if (*p != '{' || (n = template_name_len(p)) == 0)
			continue;
		if ((bit = template_lookup(p + 1, n)) == 0)
			return error_set(err, ERR_INVALID, "unknown_variable", field,
			    "La variable {%.*s} "
			    "n'existe pas. Variables possibles : " TEMPLATE_LIST ".", (int)n, p + 1);
		bits |= bit;
		p += n + 1;
	}
	if (uses)
		*uses = bits;
	return 0;
}

static bool
template_is(const char *lang, const char *want)
{
	return lang != NULL && strcmp(lang, want) == 0;
}

static void
template_tm(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;

	localtime_r(&tt, tm);
}

void
template_format_date(int64_t t, const char *language, struct buf *out)
{
	static const char *const fr_days[] = { "dimanche", "lundi", "mardi", "mercredi",
		"jeudi", "vendredi", "samedi" };
	static const char *const fr_months[] = { "janvier", "février", "mars", "avril", "mai",
		"juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre" };
	static const char *const en_days[] = { "Sunday", "Monday", "Tuesday", "Wednesday",
		"Thursday", "Friday", "Saturday" };
	static const char *const en_months[] = { "January", "February", "March", "April",
		"May", "June", "July", "August", "September", "October", "November", "December" };
	static const char *const ar_days[] = { "الأحد", "الاثنين", "الثلاثاء", "الأربعاء",
		"الخميس", "الجمعة", "السبت" };
	static const char *const ar_months[] = { "يناير", "فبراير", "مارس", "أبريل", "مايو",
		"يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر" };
	struct tm tm;

	template_tm(t, &tm);
	if (template_is(language, "en"))
		buf_printf(out, "%s %d %s", en_days[tm.tm_wday], tm.tm_mday,
		    en_months[tm.tm_mon]);
	else if (template_is(language, "ar"))
		buf_printf(out, "%s %d %s", ar_days[tm.tm_wday], tm.tm_mday,
		    ar_months[tm.tm_mon]);
	else
		buf_printf(out, "%s %d%s %s", fr_days[tm.tm_wday], tm.tm_mday,
		    tm.tm_mday == 1 ? "er" : "", fr_months[tm.tm_mon]);
}

void
template_format_time(int64_t t, const char *language, struct buf *out)
{
	struct tm tm;
	int h12;

	template_tm(t, &tm);
	if (template_is(language, "en")) {
		h12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
		if (tm.tm_min)
			buf_printf(out, "%d:%02d%s", h12, tm.tm_min, tm.tm_hour < 12 ? "am" : "pm");
		else
			buf_printf(out, "%d%s", h12, tm.tm_hour < 12 ? "am" : "pm");
	} else if (template_is(language, "ar")) {
		buf_printf(out, "%d:%02d", tm.tm_hour, tm.tm_min);
	} else if (tm.tm_min) {
		buf_printf(out, "%dh%02d", tm.tm_hour, tm.tm_min);
	} else {
		buf_printf(out, "%dh", tm.tm_hour);
	}
}

static void
template_put(struct buf *out, const char *s)
{
	buf_puts(out, s ? s : "");
}

/* Appends the value of variable bit. */
static void
template_value(unsigned bit, const struct template_values *v, struct buf *out)
{
	switch (bit) {
	case TEMPLATE_PRENOM:
		template_put(out, v->prenom);
		break;
	case TEMPLATE_NOM:
		template_put(out, v->nom);
		break;
	case TEMPLATE_ATELIER:
		template_put(out, v->atelier);
		break;
	case TEMPLATE_LIEU:
		template_put(out, v->lieu);
		break;
	case TEMPLATE_CENTRE:
		template_put(out, v->centre);
		break;
	case TEMPLATE_TEL_CENTRE:
		template_put(out, v->tel_centre);
		break;
	case TEMPLATE_ADRESSE:
		template_put(out, v->adresse);
		break;
	case TEMPLATE_DATE:
		if (v->when)
			template_format_date(v->when, v->language, out);
		break;
	case TEMPLATE_HEURE:
		if (v->when)
			template_format_time(v->when, v->language, out);
		break;
	}
}

int
template_render(const char *tmpl, const struct template_values *v, struct buf *out)
{
	const char *p;
	size_t n;

	if (template_check(tmpl, NULL, NULL, NULL) < 0)
		return -1;
	for (p = tmpl; *p; p++) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			buf_putc(out, *p++);
			continue;
		}
		if (*p == '{' && (n = template_name_len(p)) > 0) {
			template_value(template_lookup(p + 1, n), v, out);
			p += n + 1;
			continue;
		}
		buf_putc(out, *p);
	}
	if (out->data == NULL)
		buf_puts(out, "");
	return 0;
}
