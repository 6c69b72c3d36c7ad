/*
 * calendar — the ateliers as read-only iCalendar feeds (RFC 5545), for
 * the calendar staff already use: one feed of every atelier and one per
 * atelier, each behind a secret link that works without a session and
 * that an admin renews (the old link then stops at once).
 *
 * Owns the table calendar_links.  A link is made the first time it is
 * asked for; its secret (auth_random_token(), libsodium) is kept so that
 * the panel can show the link again, and a secret a request brings is
 * compared with it in constant time.
 *
 * A feed lists every session from CALENDAR_PAST_DAYS before now to
 * CALENDAR_FUTURE_DAYS after, expanded from each atelier's rule (events.h),
 * one VEVENT per session: a moved session at its new time, a cancelled
 * session (or every session of a cancelled atelier) with STATUS:CANCELLED.
 * Times are UTC; a session keeps its UID (atelier and occurrence key)
 * when it is moved or cancelled, so calendars update it in place.
 * The feed names no person: titles, places and times only.
 */
#ifndef RAPPEL_CALENDAR_H
#define RAPPEL_CALENDAR_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "audit.h"
#include "auth.h"
#include "db.h"
#include "error.h"

#define CALENDAR_PAST_DAYS 30		/* sessions this old are still listed */
#define CALENDAR_FUTURE_DAYS 365	/* and this far ahead */

struct calendar_link {
	int64_t event_id;		/* 0: every atelier */
	char secret[AUTH_TOKEN_LEN + 1];
	int64_t created_at;
};

/*
 * The link of event_id's feed (0: every atelier), made now by login when
 * there is none.  event_id must exist.  0, or -1 with err (ERR_DB).
 */
int calendar_link_get(struct db *db, int64_t event_id, const char *login, int64_t now,
    struct calendar_link *out, struct error *err);

/*
 * Gives event_id's feed (0: every atelier) a new secret, with an audit
 * entry: the old link answers 404 from now on.  event_id must exist.  0,
 * or -1 with err.  Runs in the caller's transaction when there is one.
 */
int calendar_link_renew(struct db *db, int64_t event_id, const struct audit_actor *actor,
    int64_t now, struct calendar_link *out, struct error *err);

/*
 * The links of every atelier owned by owner_id (0: all), not cancelled,
 * by title, made when missing: a JSON array of {event_id, title, path,
 * created_at}.  NULL with err on a database error.
 */
json_t *calendar_links_json(struct db *db, int64_t owner_id, const char *login, int64_t now,
    struct error *err);

/* The link as the API gives it: {event_id (null for all), path, created_at}. */
json_t *calendar_link_json(const struct calendar_link *link);

/*
 * True when secret (may be NULL) is the one of event_id's feed (0: every
 * atelier); compared in constant time.
 */
bool calendar_link_check(struct db *db, int64_t event_id, const char *secret);

/*
 * The feed of event_id (0: every atelier) as iCalendar text, named after
 * centre, malloc'd (free()).  NULL with err when the atelier does not
 * exist (ERR_NOT_FOUND) or the database fails.
 */
char *calendar_feed(struct db *db, int64_t event_id, const char *centre, int64_t now,
    struct error *err);

#endif
