/*
 * scheduler — turns scheduled campaigns into messages, one per
 * (campaign, occurrence, recipient), when each occurrence is due.
 *
 * The database is the truth, as for the queue: an occurrence is queued in
 * one transaction that inserts its messages (the unique key of messages
 * refuses a second copy) and records it in campaign_runs, so a restart, a
 * crash or a second pass never queues it twice and never forgets it.
 * Nothing is kept in memory between passes.
 *
 * When an occurrence is due:
 *   - "at": once.  "rrule": each occurrence from dtstart, none before the
 *     campaign was scheduled.  "before_event": each offset before each
 *     occurrence of the atelier that has not started yet; it follows the
 *     atelier when an occurrence is moved (the reminder is then made
 *     again for the new time) and stops when it is cancelled.
 *   - An occurrence found late (rappeld was stopped, or the campaign was
 *     scheduled after its time) is still queued when it is the latest one
 *     due: within SCHEDULER_LATE_MAX for "at" and "rrule", before the
 *     atelier starts for "before_event".  Older ones are recorded as
 *     "missed" (too late) or "skipped" (a later reminder replaces them),
 *     never sent in a burst.
 *   - Recipients are read at that moment: members of the groups, the
 *     contacts, the atelier's invitees; opted-out contacts and contacts
 *     without a mobile number are left out (and counted).
 *   - A reminder about an atelier gives up when the atelier starts; the
 *     sending hours and rate limits are the modem worker's business.
 *
 * The clock is always passed in.  The thread (scheduler_start) sleeps
 * until the next due time or until scheduler_poke() says something
 * changed; it never polls.
 */
#ifndef RAPPEL_SCHEDULER_H
#define RAPPEL_SCHEDULER_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "audit.h"
#include "campaigns.h"
#include "config.h"
#include "db.h"
#include "error.h"
#include "events.h"

#define SCHEDULER_LATE_MAX (24 * 3600)	/* "at"/"rrule" occurrence still sent this late */
#define SCHEDULER_LOOKBACK (31 * 24 * 3600)	/* older occurrences are not looked at */
#define SCHEDULER_IDLE_MAX 3600		/* the thread re-reads the database at least hourly */

/*
 * One pass at now: queues every occurrence due, each in its own
 * transaction.  *next_due receives the next time something becomes due
 * (0 when nothing is scheduled).  Returns the number of messages queued,
 * or -1 when the campaigns cannot be listed; a campaign whose pass fails
 * is logged and retried at the next pass, the others are not held up.
 */
int scheduler_run(struct db *db, const struct config *cfg, int64_t now, int64_t *next_due);

/*
 * After a restore (rappelctl restore): every occurrence due at now that
 * the restored copy has not run yet may have been sent between the backup
 * and the restore; it is recorded as "missed", never queued.  Later ones
 * go out as usual.  May run inside the caller's transaction (each
 * occurrence is then a savepoint of it).  0, or -1 when any campaign
 * failed (logged): the caller then rolls its transaction back.
 */
int scheduler_restored(struct db *db, const struct config *cfg, int64_t now);

/*
 * Queues the occurrences of campaign id due at now (scheduler_run for one
 * campaign); *next_due as above, or left alone when none.  Returns
 * messages queued, or -1.
 */
int scheduler_run_campaign(struct db *db, const struct config *cfg, int64_t id, int64_t now,
    int64_t *next_due);

/*
 * An atelier occurrence was moved or cancelled (before/after from
 * events_occurrence_change()): its queued messages are cancelled (their
 * text is wrong now), and for a cancellation each campaign with a
 * cancel_body sends it to those it already wrote to about that
 * occurrence.  Runs in the caller's transaction.  Returns the notices
 * queued, or -1.
 */
int scheduler_occurrence_changed(struct db *db, const struct config *cfg,
    const struct event *e, const struct event_occ *before, const struct event_occ *after,
    int64_t now);

/*
 * A whole atelier is being cancelled (call before events_cancel): notices
 * for its coming occurrences as above, its queued messages cancelled, and
 * its campaigns still to run cancelled.  Returns notices queued, or -1.
 */
int scheduler_event_cancelled(struct db *db, const struct config *cfg,
    const struct event *e, const struct audit_actor *actor, int64_t now);

/*
 * Cancels campaign id and every one of its messages not yet handed to a
 * modem.  *cancelled (may be NULL) receives how many.  In the caller's
 * transaction.
 */
int scheduler_campaign_cancel(struct db *db, int64_t id, const struct audit_actor *actor,
    int64_t now, size_t *cancelled, struct error *err);

struct scheduler;

/*
 * Starts the scheduler thread with its own connection to cfg's database;
 * it takes app_config() at each pass, uses app->now, and wakes app->modems
 * when it queued something.  NULL with a reason in err.
 */
struct scheduler *scheduler_start(struct app *app, char *err, size_t errlen);
/* Something changed (a campaign, an atelier): run a pass now.  s may be NULL. */
void scheduler_poke(struct scheduler *s);
/* Stops after the current pass and frees.  NULL is a no-op. */
void scheduler_stop(struct scheduler *s);

#endif
