/*
 * template — the text of a campaign with its variables filled in for one
 * recipient: "Bonjour {prenom}, atelier {atelier} {date} à {heure}".
 * Pure logic apart from the time zone (the process's TZ).
 *
 * Variables (API.md): {prenom} (also written {prénom}), {nom}, {atelier},
 * {date} ("jeudi 3 décembre"), {heure} ("14h", "14h30"), {lieu},
 * {centre}, {tel_centre}, {adresse} (the centre's address).  "{{" and "}}" stand for a literal brace.  A
 * brace pair around anything else ("{prenon}", "{ville}") is an unknown
 * variable, refused by template_check(); a lone brace that does not open
 * a variable is kept as written.
 */
#ifndef RAPPEL_TEMPLATE_H
#define RAPPEL_TEMPLATE_H

#include <stdint.h>

#include "buf.h"
#include "error.h"

/* Bits of the variables a template uses (template_check's *uses). */
#define TEMPLATE_PRENOM		0x01
#define TEMPLATE_NOM		0x02
#define TEMPLATE_ATELIER	0x04
#define TEMPLATE_DATE		0x08
#define TEMPLATE_HEURE		0x10
#define TEMPLATE_LIEU		0x20
#define TEMPLATE_CENTRE		0x40
#define TEMPLATE_TEL_CENTRE	0x80
#define TEMPLATE_ADRESSE	0x100
#define TEMPLATE_DELAI		0x200	/* texts.c fills it in before rendering */
/* The variables that need an atelier. */
#define TEMPLATE_EVENT_VARS	(TEMPLATE_ATELIER | TEMPLATE_DATE | TEMPLATE_HEURE | TEMPLATE_LIEU)

/* What one recipient's message is made of; NULL strings render as "". */
struct template_values {
	const char *prenom;
	const char *nom;
	const char *atelier;	/* the event's title */
	const char *lieu;	/* the event's place */
	const char *centre;	/* [centre] name */
	const char *tel_centre;	/* [centre] phone, as written in the config */
	int64_t when;		/* start of the atelier occurrence; 0 when none */
	const char *language;	/* "fr" (also for NULL), "en" or "ar" */
	const char *adresse;	/* [centre] address, "" when not given */
};

/*
 * Checks a template.  Returns 0 and sets *uses (may be NULL) to the bits
 * of the variables it uses; or -1 with ERR_INVALID "unknown_variable" (or
 * "invalid" for text that is not UTF-8) for field, whose French message
 * names the variable: "La variable {ville} n'existe pas. Variables
 * possibles : {prenom}, {nom}, ...".
 */
int template_check(const char *tmpl, const char *field, unsigned *uses, struct error *err);

/*
 * Appends tmpl rendered with v to out.  Returns 0, or -1 when tmpl does
 * not pass template_check() (out is then unchanged).
 */
int template_render(const char *tmpl, const struct template_values *v, struct buf *out);

/*
 * Appends the local date of t in language: "jeudi 3 décembre",
 * "Thursday 3 December", Arabic day and month names for "ar".
 */
void template_format_date(int64_t t, const char *language, struct buf *out);

/* Appends the local time of t: "14h", "14h30" (fr); "2pm", "2:30pm" (en); "14:00" (ar). */
void template_format_time(int64_t t, const char *language, struct buf *out);

#endif
