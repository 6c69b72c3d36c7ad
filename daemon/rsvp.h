/*
 * rsvp — who says they are coming to an atelier session, and who came.
 *
 * One row per (atelier, session, contact) holds the current answer (the
 * latest wins) and the attendance marked by staff; every answer is also
 * appended to rsvp_history, so nothing said is forgotten.  Writes run in
 * the caller's transaction.
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

/* Marks whether contact came (present 1), did not (0), or clears it (-1).  0 or -1. */
int rsvp_set_present(struct db *db, int64_t event_id, int64_t key, int64_t contact_id,
    int present, int64_t now);

/* True when contact has an answer or attendance recorded for the session. */
bool rsvp_known(struct db *db, int64_t event_id, int64_t key, int64_t contact_id);

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
	int yes;
	int no;
	int none;		/* no answer */
	int present;		/* marked present by staff */
};

/* The counts of session key of event_id.  0 or -1. */
int rsvp_counts(struct db *db, int64_t event_id, int64_t key, struct rsvp_counts *c);

/*
 * The people of one session: invitees and anyone written to about it,
 * each {contact_id, first_name, last_name, phone, answer, at, via, present,
 * message_status}, and the counts {invited, delivered, yes, no, none,
 * present}.
 */
json_t *rsvp_session_json(struct db *db, const struct event *e, const struct event_occ *o);

#endif
