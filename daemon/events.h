/*
 * events — the ateliers: title, place, time, capacity, invitees, and an
 * optional RFC 5545 recurrence whose occurrences can each be moved or
 * cancelled.  An occurrence is named by its key (recur_key of its
 * original start), which stays the same when it is moved.
 *
 * Writes record themselves in the audit log and nest in the caller's
 * transaction (savepoints).  On error they change nothing and fill *err.
 * What an occurrence's change does to messages and campaigns is the
 * scheduler's business (scheduler_occurrence_changed()).
 */
#ifndef RAPPEL_EVENTS_H
#define RAPPEL_EVENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "db.h"
#include "error.h"

#define EVENT_TEXT_MAX 200		/* title and place */
#define EVENT_OCC_LIST_MAX 500		/* occurrences listed by one request */

struct event {
	int64_t id;
	char *title;			/* owned */
	char *place;			/* owned, "" when none */
	char *rrule;			/* owned, NULL for a single occurrence */
	int64_t starts_at;		/* first occurrence */
	int64_t ends_at;
	int capacity;			/* 0 = no limit */
	int64_t owner_id;		/* user in charge, 0 = none */
	int64_t cancelled_at;		/* 0 while it takes place */
};

/* One occurrence, with its effective times. */
struct event_occ {
	int64_t key;			/* recur_key of its original start */
	int64_t starts_at;
	int64_t ends_at;
	bool moved;
	bool cancelled;
};

/* Frees what e owns and zeroes it. */
void event_clear(struct event *e);

/* Loads event id into e.  0, or -1 with ERR_NOT_FOUND in *err. */
int events_load(struct db *db, int64_t id, struct event *e, struct error *err);

/* Invitees of an event, set as a whole. */
struct event_invitees {
	const int64_t *group_ids;
	size_t ngroups;
	const int64_t *contact_ids;
	size_t ncontacts;
};

/*
 * Creates (e->id 0, then set) or changes event e, checked first (title,
 * times, capacity, rrule); inv, when not NULL, replaces the invitees
 * (unknown ids: ERR_INVALID).  0 or -1 with *err.
 */
int events_write(struct db *db, struct event *e, const struct event_invitees *inv,
    const struct audit_actor *actor, int64_t now, struct error *err);

/* Cancels a whole atelier (DELETE): it stays, marked cancelled. */
int events_cancel(struct db *db, int64_t id, const struct audit_actor *actor, int64_t now,
    struct error *err);
/* Brings a cancelled atelier back (its campaigns stay cancelled); 409 when it is not cancelled. */
int events_restore(struct db *db, int64_t id, const struct audit_actor *actor, int64_t now,
    struct error *err);

/*
 * Writes to out (at most max) the occurrences of e whose effective start
 * is in [from, to), cancelled ones included, by start time.  Returns how
 * many, or -1 on a database error.
 */
int events_occurrences(struct db *db, const struct event *e, int64_t from, int64_t to,
    struct event_occ *out, size_t max);

/* The occurrence of e with key.  0, or -1 with ERR_NOT_FOUND in *err. */
int events_occurrence_get(struct db *db, const struct event *e, int64_t key,
    struct event_occ *out, struct error *err);

/*
 * Changes one occurrence: moves it to want->starts_at (and ends_at, or
 * the same length) when want->starts_at is not 0, and sets it cancelled
 * or not as want->cancelled says.  *before and *after (may be NULL)
 * receive the occurrence as it was and as it is now.
 */
int events_occurrence_change(struct db *db, const struct event *e, int64_t key,
    const struct event_occ *want, const struct audit_actor *actor, int64_t now,
    struct event_occ *before, struct event_occ *after, struct error *err);

/* True when contact_id is invited (directly or through a group). */
bool events_invites(struct db *db, int64_t event_id, int64_t contact_id);

/* The API's JSON for an event, with its next occurrence after now. */
json_t *events_to_json(struct db *db, const struct event *e, int64_t now);
json_t *event_occ_to_json(const struct event_occ *o);

/*
 * The ids of the events owned by owner_id (0: all), cancelled ones only
 * when with_cancelled, by first start; *n of them (free()), or NULL.
 */
int64_t *events_ids(struct db *db, int64_t owner_id, bool with_cancelled, size_t *n);

/*
 * Every event owned by owner_id (0: all), cancelled ones only when
 * with_cancelled, as a JSON array sorted by next occurrence.
 */
json_t *events_list_json(struct db *db, int64_t owner_id, bool with_cancelled, int64_t now);

#endif
