/*
 * intent_table — the phrase table of intent.c: what each phrase of a reply
 * means.  Private to intent.c (see its top comment for how a reply is
 * covered by these phrases); kept apart so that the rules are read in one
 * place and the classifier's code in another.
 */
#ifndef RAPPEL_INTENT_TABLE_H
#define RAPPEL_INTENT_TABLE_H

#include <stddef.h>

#include "intent.h"

/* Table kind of a polite word or a companion: allowed, means nothing. */
#define INTENT_FILLER 7
/*
 * Table kind of the question mark: alone it asks for help; it goes with
 * help and who; with anything else ("oui ?") the reply is for a person.
 */
#define INTENT_QMARK 8
/*
 * Table kind of a phrase that means coming ("je viens", "je serai là"):
 * a yes that may go with a hedge.
 */
#define INTENT_COME 9
/*
 * Table kind of a hedge ("inchallah"): allowed only with a phrase of
 * coming; "oui inchallah" stays for a person.
 */
#define INTENT_HEDGE 10
/*
 * Table kind of a signature ("c'est Rachid", "Mme Benali"): a filler that
 * does not go with a question mark.
 */
#define INTENT_SIGN 11
/*
 * Table kinds of phrases that support one intent but do not make it alone
 * ("je travaille" goes with a no, "j'arrive" with a yes): the intent plus
 * INTENT_LEAN.  With another intent, or alone, the reply is for a person.
 */
#define INTENT_LEAN 16
#define INTENT_LEAN_YES (INTENT_LEAN + INTENT_YES)
#define INTENT_LEAN_NO (INTENT_LEAN + INTENT_NO)
#define INTENT_LEAN_HELP (INTENT_LEAN + INTENT_HELP)
struct intent_phrase {
	unsigned char kind;	/* enum intent or a table kind; OTHER rejects */
	const char *pattern;
};


extern const struct intent_phrase intent_phrases[];
extern const size_t intent_nphrases;

#endif
