/*
 * phone — phone numbers as people type them, to E.164.  Pure logic.
 *
 * Accepted: French national numbers ("06 12 34 56 78", "06.12.34.56.78",
 * "06-12-34-56-78", "0612345678"), "+33 6 12 34 56 78", "+33 (0)6 12 ...",
 * "0033 6 12 ...", and two kinds of spreadsheet damage: a 9-digit French
 * mobile whose leading zero was dropped ("612345678"), and "33" plus 9
 * digits whose "+" was dropped ("33612345678"), and "tel:" in front.
 * Numbers are checked against the numbering plans of libphonenumber
 * (phone_plan.h): a number in a range no operator has ("07 11 ...",
 * "+44 7700 900123") is refused, and the kind comes from the plan.  A
 * number written nationally is dialled from metropolitan France: the
 * overseas ranges go to their country code ("0690 12 34 56" is
 * +590690123456, "0692 ..." +262692...).  Other countries only with "+"
 * or "00"; a country outside the plan table (+1, Germany, India ...) on a
 * plausible E.164 length (8 to 15 digits), assumed to be a mobile.
 * Separators: spaces, tabs, . - / ( ), U+00A0, U+202F and U+2009.
 */
#ifndef RAPPEL_PHONE_H
#define RAPPEL_PHONE_H

#include <stdbool.h>
#include <stddef.h>

/* "+" and at most 15 digits, plus the terminator */
#define PHONE_E164_MAX 17

enum phone_kind {
	PHONE_MOBILE,		/* can receive SMS: a mobile range, or a country outside the table */
	PHONE_LANDLINE,		/* fixed line or VoIP (French 01-05, 09): cannot receive SMS */
	PHONE_SPECIAL,		/* toll free, shared cost, premium (French 08): cannot receive SMS */
};

/*
 * Normalises input into out (E.164, e.g. "+33612345678") and sets *kind.
 * Returns 0, or -1 when input is not a phone number; then out is "" and,
 * when reason is not NULL, *reason points to a static French sentence
 * saying why ("numéro trop court", ...).  input may be NULL (-1);
 * kind may be NULL.
 */
int phone_normalize(const char *input, char out[PHONE_E164_MAX],
    enum phone_kind *kind, const char **reason);

/* True when a number of this kind can receive SMS. */
bool phone_kind_can_sms(enum phone_kind kind);

#endif
