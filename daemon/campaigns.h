/*
 * campaigns — what staff want sent: a body (template) per language, an
 * audience (groups, contacts, an atelier's invitees), a schedule, and a
 * status.  This module stores and checks them, finds who receives one and
 * renders the text each person gets; the scheduler (scheduler.c) decides
 * when, and the queue sends.
 *
 * Status: draft → scheduled (POST schedule) → running (a first message is
 * queued) → done (nothing more to queue); cancelled from any of these (a
 * done campaign may still have messages waiting for the sending hours).
 * A done or cancelled campaign is no longer edited.
 *
 * Writes record themselves in the audit log and nest in the caller's
 * transaction (savepoints).  On error they change nothing and fill *err.
 */
#ifndef RAPPEL_CAMPAIGNS_H
#define RAPPEL_CAMPAIGNS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "error.h"
#include "events.h"
#include "phone.h"

#define CAMPAIGN_NAME_MAX 200
#define CAMPAIGN_BODY_MAX 1600		/* bytes of template; the rendered text has its own limit */
#define CAMPAIGN_OFFSETS_MAX 8		/* reminders relative to an atelier */

enum campaign_schedule {
	CAMPAIGN_UNSCHEDULED,		/* no schedule yet (a draft) */
	CAMPAIGN_AT,			/* once, at `at` */
	CAMPAIGN_RRULE,			/* at each occurrence of rrule from dtstart */
	CAMPAIGN_BEFORE_EVENT,		/* offsets before each occurrence of the atelier */
};

struct campaign {
	int64_t id;
	char *name;			/* owned, as are the strings below */
	char *body;			/* French template, the default */
	char *body_en;			/* NULL: contacts in English get body */
	char *body_ar;
	char *ack_body;			/* answer to OUI / NON, NULL: none */
	char *cancel_body;		/* sent when an atelier occurrence is cancelled */
	int64_t event_id;		/* the atelier it is about (its invitees receive it), or 0 */
	int64_t *group_ids;
	size_t ngroups;
	int64_t *contact_ids;
	size_t ncontacts;
	enum campaign_schedule schedule;
	int64_t at;
	char *rrule;
	int64_t dtstart;
	size_t noffsets;
	char *offsets[CAMPAIGN_OFFSETS_MAX];
	bool ask_reply;
	bool reply_cycle;		/* an OUI / NON holds for every later session too */
	int64_t invitation_id;		/* reminders: the invitation made with them, or 0 */
	int64_t occurrence;		/* sent once, about this session of event_id (its
					   key), or 0: the next one when it is sent */
	bool transliterate;		/* accented letters to their GSM-7 base letter */
	char status[12];		/* "draft" ... */
	int64_t owner_id;
	int64_t scheduled_at;
	int64_t created_at;
	int64_t updated_at;
};

/* One person a campaign is sent to. */
struct campaign_recipient {
	int64_t contact_id;
	char *first_name;		/* owned */
	char *last_name;
	char language[3];
	char number[PHONE_E164_MAX];	/* a number that takes SMS and is not opted out */
	int extra;			/* 0: the contact's first such number; 1, 2 ...:
					   a household number (a relative who reads for them) */
};

/*
 * Everyone a campaign writes to: one recipient per number that receives
 * the SMS ("reçoit les SMS" on the contact) and has not sent STOP, so a
 * helping relative's number gets them too; people counts the contacts.
 */
struct campaign_audience {
	struct campaign_recipient *list;	/* owned, sorted by name, then number */
	size_t n;
	size_t people;			/* distinct contacts in list */
	size_t opted_out;		/* left out: STOP, from the contact or every number
					   of theirs that takes SMS */
	size_t no_mobile;		/* left out: no number that takes SMS */
};

void campaign_clear(struct campaign *c);
void campaign_audience_clear(struct campaign_audience *a);

/* Loads campaign id into c.  0, or -1 with ERR_NOT_FOUND in *err. */
int campaigns_load(struct db *db, int64_t id, struct campaign *c, struct error *err);

/*
 * Checks c as a whole: name, templates (unknown variables, variables that
 * need an atelier), the schedule (a past "at", an RRULE, offsets that need
 * an atelier), the atelier.  0 or -1 with *err naming the field.
 */
int campaign_validate(struct db *db, const struct campaign *c, struct error *err);

/*
 * Creates (c->id 0, then set) or changes campaign c after
 * campaign_validate(), with its audience.  A done or cancelled campaign
 * is refused (ERR_CONFLICT).  0 or -1 with *err.
 */
int campaigns_write(struct db *db, struct campaign *c, const struct audit_actor *actor,
    int64_t now, struct error *err);

/*
 * Deletes campaign id while it is a draft (nothing was ever queued from
 * it), in the caller's transaction.  1 when deleted, 0 when it is no
 * draft (or gone), -1 on a database error.
 */
int campaigns_delete_draft(struct db *db, int64_t id);

/*
 * Changes the status from one of those in from (a space-separated list)
 * to to; scheduled_at is set when to is "scheduled".  ERR_CONFLICT when the
 * campaign is in another status.
 */
int campaigns_set_status(struct db *db, int64_t id, const char *from, const char *to,
    const struct audit_actor *actor, int64_t now, struct error *err);

/*
 * Who receives c now: the members of its groups, its contacts and its
 * atelier's invitees, once each; those who opted out or have no number
 * for SMS are counted and left out.  0 or -1.
 */
int campaign_audience(struct db *db, const struct campaign *c, struct campaign_audience *a);

/*
 * Appends the text r gets for an occurrence of e starting at when (e may
 * be NULL, then when is ignored): the body in r's language, rendered
 * with the template variables of cfg and e, then transliterated (always
 * the typographic signs; accents when c->transliterate).  tmpl overrides
 * the body when not NULL (acknowledgement, cancellation notice).
 * 0, or -1 when the template is invalid.
 */
int campaign_render(const struct campaign *c, const char *tmpl, const struct config *cfg,
    const struct event *e, int64_t when, const struct campaign_recipient *r,
    struct buf *out);

/*
 * The reminder campaigns tied to invitation id (invitation_id) whose
 * status is one of statuses (space-separated; NULL: any), oldest first.
 * The caller frees the array; NULL when none (or on error), *n 0.
 */
int64_t *campaigns_reminder_ids(struct db *db, int64_t id, const char *statuses, size_t *n);

/* The API's JSON for c. */
json_t *campaign_to_json(const struct campaign *c);

/* Campaigns, newest first; event_id 0 for all; owner_id 0 for everyone's. */
json_t *campaigns_list_json(struct db *db, int64_t event_id, int64_t owner_id);

#endif
