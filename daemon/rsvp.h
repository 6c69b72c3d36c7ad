/*
 * rsvp — who says they are coming to an atelier session, and who came.
 *
 * One row per (atelier, session, contact) holds the current answer (the
 * latest wins) and the attendance marked by staff; every answer is also
 * appended to rsvp_history, so nothing said is forgotten.  Writes run in
 * the caller's transaction.
 *
 * Places: an atelier with a capacity (0: no limit) has that many places
 * per session.  A "yes" when the places are taken puts the person on the
 * waiting list (answer 'yes', waiting_since set; not counted as coming).
 * A place freed is offered to the first one waiting (offered_until set:
 * the place is held for them); their "yes" before the offer ends takes
 * it; else the offer ends (rsvp_leave_waiting()) and the next one is
 * asked.  waitlist.c sends the SMS of each step; every step is a line of
 * rsvp_history (its step column).
 */
#ifndef RAPPEL_RSVP_H
#define RAPPEL_RSVP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "events.h"

enum rsvp_answer {
	RSVP_NONE,		/* no answer (or withdrawn by staff) */
	RSVP_YES,
	RSVP_NO,
};

/* "yes", "no", "none"; and back (0, or -1 when unknown). */
const char *rsvp_answer_name(enum rsvp_answer a);
int rsvp_answer_parse(const char *s, enum rsvp_answer *a);

/*
 * Records contact's answer for session key of event_id.  via is "sms"
 * (then reply_id is the reply), "manual" (set in the panel) or "phone" (said on
 * the phone, calls.c); by names the user for both.
 * 0 or -1.
 */
int rsvp_set_answer(struct db *db, int64_t event_id, int64_t key, int64_t contact_id,
    enum rsvp_answer answer, const char *via, int64_t reply_id, const char *by,
    int64_t now);

/* A change of answer, as rsvp_answer() takes it (see rsvp_set_answer()). */
struct rsvp_change {
	int64_t event_id;
	int64_t key;			/* the session */
	int64_t contact_id;
	enum rsvp_answer answer;
	const char *via;		/* "sms", "manual" or "phone" */
	int64_t reply_id;		/* the reply, for "sms"; else 0 */
	const char *by;			/* the user, for "manual"; else NULL */
};

/* What an answer did to the session's places. */
enum rsvp_place {
	RSVP_PLACE_NONE,		/* nothing taken or freed, or a yes with a free place */
	RSVP_PLACE_WAITING,		/* a yes while full: on (or still on) the waiting list */
	RSVP_PLACE_OFFER_TAKEN,		/* a yes to a place offered: taken */
	RSVP_PLACE_FREED,		/* a no or a withdrawal that freed a place */
};

/*
 * rsvp_set_answer() with the places of a session of capacity (0: no
 * limit): a yes when full goes to the waiting list, a yes during an offer
 * takes the place; *place says which.  0 or -1.
 */
int rsvp_answer(struct db *db, const struct rsvp_change *ch, int capacity, int64_t now,
    enum rsvp_place *place);

/*
 * When a place of the session is free and someone waits without an offer:
 * 1 and the first one in *contact_id (the caller passes over those who
 * opted out since); else 0; -1.
 */
int rsvp_waiting_next(struct db *db, int64_t event_id, int64_t key, int capacity,
    int64_t *contact_id);

/* The place is offered to contact, who waits, until `until`.  0 or -1. */
int rsvp_offer(struct db *db, int64_t event_id, int64_t key, int64_t contact_id,
    int64_t until, int64_t now);

/*
 * contact leaves the waiting list without a place (answer none), step
 * "expired" (the offer ended) or "skipped" (the offer could not be sent).
 * 0 or -1.
 */
int rsvp_leave_waiting(struct db *db, int64_t event_id, int64_t key, int64_t contact_id,
    const char *step, int64_t now);

/* One person's place in one session. */
struct rsvp_seat {
	int64_t event_id;
	int64_t key;
	int64_t contact_id;
};

/* Up to max offers that ended at now, oldest first: how many, or -1. */
int rsvp_offers_ended(struct db *db, int64_t now, struct rsvp_seat *out, int max);

/*
 * Up to max sessions (contact_id 0) whose key is from_key or later where
 * someone waits without an offer, nearest first: how many, or -1.
 */
int rsvp_sessions_waiting(struct db *db, int64_t from_key, struct rsvp_seat *out, int max);

/* When the next open offer ends, or 0 when none is open. */
int64_t rsvp_next_offer_end(struct db *db);

/* Marks whether contact came (present 1), did not (0), or clears it (-1).  0 or -1. */
int rsvp_set_present(struct db *db, int64_t event_id, int64_t key, int64_t contact_id,
    int present, int64_t now);

/* True when contact has an answer or attendance recorded for the session. */
bool rsvp_known(struct db *db, int64_t event_id, int64_t key, int64_t contact_id);

/* True when contact answered NON for the session. */
bool rsvp_said_no(struct db *db, int64_t event_id, int64_t key, int64_t contact_id);

/*
 * The session of event e that a request means: key when not 0 (it must
 * be a session of e), else the session in progress at now or the next
 * one, else the last one.  0, or -1 when e has no such session.
 */
int rsvp_session(struct db *db, const struct event *e, int64_t key, int64_t now,
    struct event_occ *out);

/*
 * SQL: the people of session ?2 of event ?1, as a CTE people(id): the
 * invitees (directly or through a group), anyone written to about the
 * session, and anyone with an answer for it.
 */
#define RSVP_PEOPLE "WITH people(id) AS (" \
	"SELECT contact_id FROM event_contacts WHERE event_id = ?1 " \
	"UNION SELECT gm.contact_id FROM event_groups eg JOIN group_members gm " \
	"ON gm.group_id = eg.group_id WHERE eg.event_id = ?1 " \
	"UNION SELECT contact_id FROM messages WHERE event_id = ?1 AND " \
	"event_occurrence = ?2 AND contact_id IS NOT NULL " \
	"UNION SELECT contact_id FROM rsvps WHERE event_id = ?1 AND occurrence = ?2) "

struct rsvp_counts {
	int invited;		/* invitees, and anyone written to or answering */
	int delivered;		/* with a message about the session delivered */
	int yes;		/* with a place (not waiting) */
	int no;
	int none;		/* no answer */
	int waiting;		/* said yes when full: on the waiting list */
	int offered;		/* of them, with a place offered (held for them) */
	int present;		/* marked present by staff */
};

/*
 * The people of session key of event_id who have not answered (no yes,
 * no, nor waiting), by name: a malloc'd array of *n contact ids (free it),
 * or NULL on error.
 */
int64_t *rsvp_unanswered(struct db *db, int64_t event_id, int64_t key, size_t *n);

/* The counts of session key of event_id.  0 or -1. */
int rsvp_counts(struct db *db, int64_t event_id, int64_t key, struct rsvp_counts *c);

/*
 * The people of one session: invitees and anyone written to about it,
 * each {contact_id, first_name, last_name, phone, answer, at, via, present,
 * message_status, waiting, waiting_since, offered_until}, and the counts
 * {invited, delivered, yes, no, none, present, waiting, capacity,
 * places_left} (capacity and places_left null without a limit).
 */
json_t *rsvp_session_json(struct db *db, const struct event *e, const struct event_occ *o);

#endif
