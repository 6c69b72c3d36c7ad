/*
 * chase — "Relancer": a reminder to the people of an atelier session who
 * have not answered, and only to them.
 *
 * Who: the session's people (rsvp.h) with no answer — no yes, no "non",
 * not on the waiting list — who have a mobile number that has not sent
 * STOP; the others are left out and counted (STOP, no mobile).  The text
 * is the reminder of their language (fr, en, ar), with the atelier, its
 * date, time and place.  Each reminder takes OUI/NON for that session
 * until it starts, so the answers count as the session's RSVPs.
 *
 * A session is chased once: a second chase must be asked for on purpose
 * (the caller shows when the last one went).  This module owns the
 * chases table (sql/012); writes run in the caller's transaction.
 */
#ifndef RAPPEL_CHASE_H
#define RAPPEL_CHASE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "campaigns.h"
#include "config.h"
#include "db.h"
#include "events.h"

/* Those a chase of one session writes to, and those it leaves out. */
struct chase_plan {
	struct campaign_audience to;	/* by name; opted_out and no_mobile counted */
	json_t *left_out;		/* [{contact_id, first_name, last_name, reason:
					   "stop"|"no_mobile"}], owned */
};

void chase_plan_clear(struct chase_plan *p);

/* Who a chase of session o of e writes to now.  0 or -1. */
int chase_plan(struct db *db, const struct event *e, const struct event_occ *o,
    struct chase_plan *p);

/*
 * The preview: {recipients: [{contact_id, first_name, last_name, phone,
 * language, text, encoding, parts}], left_out, sms, parts, last} where
 * sms and parts are the totals and last the previous chase of the session
 * ({at, by, sent}) or null.  NULL on a database error.
 */
json_t *chase_preview_json(struct db *db, const struct config *cfg, const struct event *e,
    const struct event_occ *o, const struct chase_plan *p);

/*
 * The last chase of session key of event_id into *at, by (size bylen)
 * and *sent: 1, 0 when it was never chased, -1.
 */
int chase_last(struct db *db, int64_t event_id, int64_t key, int64_t *at, char *by,
    size_t bylen, int *sent);

/*
 * Queues the reminders of plan p, each linked to session o of e (OUI/NON
 * until it starts), and records the chase by user `by`.  *sent is how
 * many were queued (a contact who opted out meanwhile is left out).
 * 0 or -1.
 */
int chase_send(struct db *db, const struct config *cfg, const struct event *e,
    const struct event_occ *o, const struct chase_plan *p, const char *by, int64_t now,
    int *sent);

#endif
