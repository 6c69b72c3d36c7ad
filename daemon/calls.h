/*
 * calls — the people staff should phone about an atelier session, and the
 * calls they made (table phone_calls, owned here).
 *
 * Someone invited to a session is on its list when they have not answered,
 * have not sent STOP, and one of these holds ("reasons"):
 *   no_mobile      no number that receives SMS (a landline only, or none);
 *   failed         the last SMS about the session did not leave, or may
 *                  not have (status failed or uncertain);
 *   not_delivered  it left more than CALLS_DELIVERY_WAIT ago and no
 *                  delivery report came;
 *   no_answer      the session starts within CALLS_DAY_BEFORE;
 *   called         « a appelé »: they phoned the modem's number (a reply of
 *                  kind 'call', inbox.h) since their invitation to the
 *                  session, or within the list's window, and nobody has
 *                  called them back yet (the call is not handled).  This
 *                  one holds also for someone who answered or sent STOP.
 * A call recorded with the answer given on the phone ("yes" or "no") is the
 * person's RSVP, via "phone", so they leave the list; "no_answer" (nobody
 * picked up) and "wrong_number" keep them on it, with the call shown.  A
 * call recorded with any outcome but "no_answer" is their calls returned:
 * "called" no longer holds.
 */
#ifndef RAPPEL_CALLS_H
#define RAPPEL_CALLS_H

#include <jansson.h>
#include <stdint.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "error.h"
#include "events.h"

#define CALLS_DELIVERY_WAIT	(12 * 3600)
#define CALLS_DAY_BEFORE	(24 * 3600)
#define CALLS_CALLED_RECENT	(7 * 24 * 3600)	/* "called", without a window: since
						   the invitation, or this long */

/*
 * The list of one session: {event_id, title, place, session, people:
 * [{contact_id, first_name, last_name, numbers: [{number, label, sms}],
 * reasons: [...], message: {status, body, at, error} | null, call:
 * {outcome, at, by, note} | null, called_at: time | null}]}, people by
 * name.  NULL on a database error (logged).
 */
json_t *calls_session_json(struct db *db, const struct event *e, const struct event_occ *o,
    int64_t now);

/*
 * The lists of the sessions that start in [from, to) of the ateliers owned
 * by owner_id (0: all), not cancelled, by start time; sessions with nobody
 * to call are left out.  A new JSON array, or NULL on a database error.
 */
json_t *calls_list_json(struct db *db, int64_t owner_id, int64_t from, int64_t to,
    int64_t now);

/*
 * The people who phoned the modem's number since `since` and whose calls
 * are not handled (nobody called them back), except those listed in
 * `sessions` (calls_list_json()'s array) with the reason "called":
 * [{contact_id | null, first_name, last_name, number, numbers: [{number,
 * label, sms}], called_at, calls, reply_ids: [...]}], the latest call
 * first; a number that is no contact's is one entry, contact_id null.
 * NULL on a database error (logged).
 */
json_t *calls_callers_json(struct db *db, int64_t since, json_t *sessions);

/*
 * Records a call to contact_id about session o of e, with outcome "yes",
 * "no", "no_answer" or "wrong_number" and a note, and for "yes" or "no"
 * the RSVP (via "phone"), with an audit entry, in one transaction.  0, or
 * -1 with *err (ERR_INVALID for the outcome, ERR_NOT_FOUND when the
 * contact is not one of the session's people) and nothing stored.
 */
int calls_record(struct db *db, const struct config *cfg, const struct event *e,
    const struct event_occ *o, int64_t contact_id, const char *outcome, const char *note,
    const struct audit_actor *actor, int64_t now, struct error *err);

#endif
