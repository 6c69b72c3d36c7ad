/*
 * texts — the texts rappel sends by itself, in the family's language.
 *
 * The answers to STOP, START, AIDE and « c'est qui ? », the thanks for an
 * answer, the notice of a cancelled session, the SMS that answers a voice
 * call to the modem's number, the waiting list's SMS (waitlist.c) and the
 * reminder of « Relancer » (chase.c) exist in French, English and Arabic.
 * Each has a built-in default per language, written plainly; staff change
 * them from the panel (Paramètres), per language (table texts, owned
 * here).  They are templates (template.h): {centre}, {tel_centre},
 * {adresse}, for the texts about a session also {prenom}, {atelier},
 * {date}, {heure}, {lieu}, and for the offer of a place {delai}.
 *
 * A campaign may carry its own thanks (ack_body) and notice (cancel_body):
 * those are written in French by the person who made the campaign, so they
 * go to French speakers; a contact whose language is English or Arabic
 * gets this module's text of that language instead (texts_for()).
 */
#ifndef RAPPEL_TEXTS_H
#define RAPPEL_TEXTS_H

#include <jansson.h>
#include <stdint.h>

#include "audit.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "error.h"

enum text_name {
	TEXT_STOP,	/* the answer to STOP */
	TEXT_START,	/* the answer to START */
	TEXT_HELP,	/* the answer to AIDE */
	TEXT_WHO,	/* the answer to « c'est qui ? » */
	TEXT_ACK,	/* thanks for an answer, when the campaign asks for it */
	TEXT_CANCEL,	/* a session is cancelled */
	TEXT_CALL,	/* someone phoned the modem's number: call the centre instead */
	TEXT_WAITING,	/* a "oui" to a full session: on the waiting list */
	TEXT_OFFER,	/* a place is free, held {delai} for the first one waiting */
	TEXT_PLACED,	/* the place offered is taken */
	TEXT_CHASE,	/* « Relancer »: to those of a session who have not answered */
	TEXT_COUNT,
};

/*
 * "stop", "start", "help", "who", "ack", "cancel", "call", "waiting",
 * "offer", "placed", "chase"; NULL outside the enum.
 */
const char *texts_name(enum text_name t);

/* "fr", "en" or "ar": the language a text is kept in for a contact's language. */
const char *texts_language(const char *language);

/*
 * The template of t in language (a contact's: anything but "en" and "ar"
 * is French): the stored one, else the default.  A new string (free()),
 * never NULL.
 */
char *texts_get(struct db *db, enum text_name t, const char *language);

/*
 * The three languages' templates of t as a campaign's bodies (body,
 * body_en, body_ar, owned by c: campaign_clear()), for the texts about a
 * session sent to one person (waiting list, « Relancer »).  In TEXT_OFFER,
 * {delai} becomes delai ("24 h").
 */
struct campaign;
void texts_campaign(struct db *db, enum text_name t, const char *delai, struct campaign *c);

/*
 * The template a campaign's own text (may be NULL or "") becomes for a
 * contact's language: own when it is set and the language is French, else
 * texts_get().  A new string (free()).
 */
char *texts_for(struct db *db, enum text_name t, const char *own, const char *language);

/*
 * Renders t in language for the centre of cfg (no atelier, no person) into
 * out.  0, or -1 when the stored template does not render (it was checked
 * when stored, so this is a bug, logged) and out is unchanged.
 */
int texts_render(struct db *db, const struct config *cfg, enum text_name t,
    const char *language, struct buf *out);

/*
 * {texts: [{name, language, body, default, changed}], variables: {...}}
 * for the panel: every text in every language.  NULL on a database error.
 */
json_t *texts_json(struct db *db);

/*
 * Stores changes, an array of {name, language, body}: a body that is null,
 * "" or the default brings the default back.  Each body is checked as a
 * template, with the variables its text may use.  One transaction with an
 * audit entry; 0, or -1 with ERR_INVALID naming "texts" (or the template
 * error) and nothing stored.
 */
int texts_update(struct db *db, json_t *changes, const struct audit_actor *actor,
    int64_t now, struct error *err);

#endif
