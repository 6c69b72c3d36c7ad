/*
 * contacts — the people the centre writes to, their numbers and groups.
 *
 * A contact has one or more numbers (a household: the person, a parent,
 * a helping relative), each flagged for SMS or not; the first is the
 * contact's main "phone".  A number belongs to one contact only.
 * Numbers are stored as E.164; French landlines and service numbers are
 * accepted but never flagged for SMS (a warning says so).
 *
 * Opt-outs (optout.h): a number that sent STOP is opted out whoever has
 * it.  A contact whose first number is opted out is opted out too, with
 * that number's date, when saved; a contact who is opted out has their
 * first number opted out (so the opt-out outlives them); a person who
 * lifts a contact's opt-out lifts their first number's.  A household's
 * other number that sent STOP is refused on its own: the contact is not
 * opted out for it.
 *
 * Writes take an audit actor and record themselves in the audit log in the
 * same transaction.  On error they change nothing and fill *err.
 */
#ifndef RAPPEL_CONTACTS_H
#define RAPPEL_CONTACTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "error.h"
#include "phone.h"

#define CONTACT_PHONES_MAX 5
#define CONTACT_NAME_MAX 100
#define CONTACT_NOTES_MAX 2000

struct contact_phone {
	char number[PHONE_E164_MAX];	/* E.164 */
	char label[64];			/* "", "mère", "fils" ... */
	bool sms;
	int64_t opted_out_at;		/* this number sent STOP (optout.h), 0 = not;
					   set by contacts_load() and contacts_save() */
};

struct contact {
	int64_t id;			/* 0 before insertion */
	char *first_name;		/* owned; never NULL after contact_validate() */
	char *last_name;
	char language[3];		/* "fr", "en", "ar" */
	int64_t consent_at;		/* 0 = none */
	char *consent_source;		/* owned, may be NULL */
	int64_t opted_out_at;		/* 0 = not opted out */
	char *notes;
	size_t nphones;
	struct contact_phone phones[CONTACT_PHONES_MAX];
	size_t ngroups;
	int64_t *group_ids;		/* owned */
	int64_t created_at, updated_at;
};

/* Frees what c owns and zeroes it.  c may be NULL. */
void contact_clear(struct contact *c);

/*
 * Normalises a typed number and appends it to c.  sms_wanted is the
 * caller's wish; it is forced off for numbers that cannot receive SMS,
 * and then a French warning is appended to warnings (a JSON array, may
 * be NULL).  0, or -1 with *err naming field.
 */
int contact_add_phone(struct contact *c, const char *typed, const char *label,
    bool sms_wanted, const char *field, json_t *warnings, struct error *err);

/* The language of contact id into out: "fr", "en" or "ar"; "fr" for no contact (0). */
void contacts_language(struct db *db, int64_t id, char out[3]);

/* Checks names, language and notes.  0 or -1 with *err. */
int contact_validate(struct contact *c, struct error *err);

/*
 * Inserts or updates c (by c->id) with its numbers and groups, in one
 * savepoint (so it nests inside a caller's transaction).  A number already used by
 * another contact fails with ERR_CONFLICT, code "duplicate_phone" and
 * err->existing_id.  Unknown group ids fail with ERR_INVALID.
 *
 * Opt-outs, as said at the top: when c->opted_out_at is 0 and c's first
 * number is opted out, c->opted_out_at becomes that number's date; but
 * when c was stored opted out and c->opted_out_at is now 0 (a person
 * lifted it), the first number's opt-out is lifted too.  When c is opted
 * out, its first number is.  Every c->phones[i].opted_out_at is set.
 */
int contacts_save(struct db *db, struct contact *c, const struct audit_actor *actor,
    int64_t now, struct error *err);

/*
 * Opts out every contact whose first number is opted out and who is not,
 * with the number's date: what contacts_save() does for one contact, for
 * the contacts saved before the opt-outs were kept by number (sql/008
 * back-fills them from past STOPs).  Returns how many, or -1.
 */
int contacts_carry_opt_outs(struct db *db, int64_t now);

/*
 * A STOP (reply_id, kept as proof) opts contact_id out at now; with
 * reply_id 0 a START lifts the contact's opt-out.  In the caller's
 * transaction; 0 or -1.
 */
int contacts_set_opt_out(struct db *db, int64_t contact_id, int64_t reply_id, int64_t now);

/* Loads contact id into c.  0, or -1 with ERR_NOT_FOUND in *err. */
int contacts_load(struct db *db, int64_t id, struct contact *c, struct error *err);

/* The id of the contact that owns an E.164 number, or 0. */
int64_t contacts_find_by_number(struct db *db, const char *e164);

/*
 * Erases a contact (RGPD): the row, its numbers and memberships; the
 * audit log keeps the id only and the daily erasure count goes up.  The
 * opt-outs of their numbers (optout.h) stay, and when they were opted
 * out their first number is kept as opted out: the person asked not to
 * be written to.
 */
int contacts_erase(struct db *db, int64_t id, const struct audit_actor *actor,
    int64_t now, struct error *err);

/*
 * Lists the ids of contacts matching q (name without case or accents, or
 * digits of a number; NULL for all) and group_id (0 for all), and, when
 * owner_id is not 0, invited to an atelier that user runs; sorted by
 * name.  Returns a malloc'd array of *n ids (NULL when none); -1 → NULL
 * and *n = (size_t)-1.
 */
int64_t *contacts_search(struct db *db, const char *q, int64_t group_id, int64_t owner_id,
    size_t *n);

/*
 * Appends to out the JSON array of the contacts contacts_search() finds,
 * each as contact_to_json() renders it.  0, or -1 (logged) with out
 * holding a partial array.
 */
int contacts_list_json(struct db *db, const char *q, int64_t group_id, int64_t owner_id,
    struct buf *out);

/* True when contact_id is invited to an atelier run by user owner_id. */
bool contacts_invited_by(struct db *db, int64_t contact_id, int64_t owner_id);

/* Renders c as the API's JSON object. */
json_t *contact_to_json(const struct contact *c);

#endif
