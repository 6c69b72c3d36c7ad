/*
 * webhook — optional HTTP notifications of what happens to messages and
 * replies, for the centre's other software ([webhook] sections).
 *
 * Outbox: webhook_enqueue() writes one row per listening webhook into
 * webhook_deliveries, inside the caller's transaction, so a notification
 * exists if and only if the change it reports was committed.  The modem
 * workers, the scheduler and the HTTP handlers only ever insert rows; one
 * delivery thread (webhook_start) posts them, so a slow or dead receiver
 * never holds up an SMS.
 *
 * Delivery: POST of the row's payload, byte for byte, with
 *   Content-Type: application/json
 *   X-Rappel-Event: message.status | reply.received
 *   X-Rappel-Delivery: ID           (the row id: the same on every retry)
 *   X-Rappel-Signature: sha256=HEX  (HMAC-SHA256 of the body, key = secret)
 * A 2xx answer within WEBHOOK_TIMEOUT seconds is success.  Anything else
 * is retried after retry_base seconds, doubled each time up to
 * WEBHOOK_BACKOFF_MAX; after WEBHOOK_MAX_ATTEMPTS the row is "failed".
 * Each webhook gets its rows in the order they were written: a row
 * waiting for its retry holds the ones behind it (so a dead receiver
 * costs one time-out per retry, not one per row).  Delivery is at least
 * once (a crash after the POST and before the row is marked sends it
 * again): receivers deduplicate on X-Rappel-Delivery.
 *
 * Rows states:  pending --2xx--> done
 *               pending --WEBHOOK_MAX_ATTEMPTS failures--> failed
 *               pending --webhook removed from the configuration--> failed
 * done and failed rows are deleted after WEBHOOK_KEEP_DONE / _FAILED
 * seconds; erasing a contact deletes theirs at once (webhook_forget_contact).
 *
 * Privacy: payloads hold phone numbers (E.164) and reply texts, which the
 * receiver needs; logs never do (row id, webhook name, event, HTTP status).
 */
#ifndef RAPPEL_WEBHOOK_H
#define RAPPEL_WEBHOOK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "config.h"
#include "db.h"

#define WEBHOOK_TIMEOUT 10		/* seconds for one POST, connection included */
#define WEBHOOK_MAX_ATTEMPTS 10		/* then the row is failed */
#define WEBHOOK_BACKOFF_MAX 3600	/* seconds, cap of the doubling delay */
#define WEBHOOK_POLL 5			/* seconds between looks at the table when idle */
#define WEBHOOK_KEEP_DONE (7 * 24 * 3600)	/* delivered rows are kept this long */
#define WEBHOOK_KEEP_FAILED (30 * 24 * 3600)	/* failed rows, for a person to see */
#define WEBHOOK_SIGNATURE_MAX 72	/* "sha256=" + 64 hex digits + NUL */

enum webhook_event {
	WEBHOOK_MESSAGE_STATUS = CONFIG_WEBHOOK_MESSAGE_STATUS,
	WEBHOOK_REPLY_RECEIVED = CONFIG_WEBHOOK_REPLY_RECEIVED,
};

/* "message.status" or "reply.received"; a static string. */
const char *webhook_event_name(enum webhook_event event);

/* Whether any configured webhook listens to event (false on a database error). */
bool webhook_wanted(struct db *db, enum webhook_event event);

/*
 * Records one notification of event per webhook listening to it, in the
 * caller's transaction: the body is {"event": NAME, "at": ISO 8601 of now,
 * KEY: data} with KEY "message" or "reply".  contact_id (0: none) is the
 * person whose data it holds.  Takes ownership of data (NULL is refused).
 * Does nothing when no webhook listens.  Pokes the delivery thread, which
 * reads the row once the caller committed.  0 or -1.
 */
int webhook_enqueue(struct db *db, enum webhook_event event, int64_t contact_id,
    json_t *data, int64_t now);

/*
 * Rewrites webhook_events from cfg, and fails the pending rows of webhooks
 * that are no longer configured.  In its own transaction.  0 or -1.
 */
int webhook_sync(struct db *db, const struct config *cfg, int64_t now);

/* RGPD erasure: deletes every notification about contact_id.  0 or -1. */
int webhook_forget_contact(struct db *db, int64_t contact_id);

/* "sha256=" and the hex HMAC-SHA256 of body with secret (any length) as key. */
void webhook_sign(const char *secret, const void *body, size_t len,
    char out[WEBHOOK_SIGNATURE_MAX]);

/* Seconds to wait after failed attempt number attempts (1-based). */
int64_t webhook_backoff(int retry_base, int attempts);

/*
 * For GET /status: [{name, pending, failed, last_error (of the latest attempt),
 * last_attempt_at}] for each configured webhook.  New reference.
 */
json_t *webhook_status_json(struct db *db, const struct config *cfg);

struct webhook;

/*
 * Starts the delivery thread with its own connection to the database; it
 * takes app_config() at each pass (a reload calls webhook_poke) and uses
 * app->now.  libcurl is loaded by the thread
 * at its first delivery, not before.  NULL with a reason in err.
 */
struct webhook *webhook_start(struct app *app, char *err, size_t errlen);
/* Wakes the delivery thread (the configuration changed, a row was written). */
void webhook_poke(void);
/* Stops the thread (a POST in flight is abandoned) and frees.  NULL: no-op. */
void webhook_stop(struct webhook *w);

#endif
