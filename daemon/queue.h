/*
 * queue — the outgoing messages on disk, and the only code that changes a
 * message's status.
 *
 * The table is the truth: a modem worker keeps nothing in memory that is
 * not also on disk, and every status change is a compare-and-set
 * ("UPDATE ... WHERE id = ? AND status = ?" then one row changed), so two
 * workers can never both claim a message and a late writer cannot undo a
 * newer state.
 *
 * States and transitions (function that performs each):
 *
 *   from       to          by
 *   --------   ---------   -------------------------------------------
 *   (none)     queued      queue_add()
 *                          queue_add_campaign()  at most once per (campaign,
 *                                               occurrence, contact)
 *   queued     sending     queue_claim_next()   a modem took it
 *   queued     failed      queue_claim_next()   past its give-up time
 *   queued     cancelled   queue_claim_next()   contact or number opted out
 *                                               meanwhile
 *                          queue_cancel()
 *                          queue_forget_contact()  the contact was erased
 *                          queue_cancel_contact()  the contact sent STOP
 *                          queue_cancel_number()   a number sent STOP
 *                          queue_cancel_campaign() the campaign was cancelled
 *                          queue_cancel_event()    the atelier, or one of
 *                                                  its occurrences, was
 *                                                  cancelled or moved
 *   sending    sent        queue_mark_sent()    every part accepted (+CMGS)
 *   sending    queued      queue_retry()        temporary error, backoff
 *   sending    failed      queue_retry()        too many attempts / too late
 *                          queue_fail()         permanent error
 *   sending    uncertain   queue_recover()      at start: was with a modem
 *                                               when the process died
 *   queued     uncertain   queue_hold_restored() a backup was restored: it was
 *   sending                                     due before now, so it may have
 *                                               gone out after the backup
 *                          queue_uncertain()    handed to the modem, which
 *                                               never answered
 *   sent       delivered   queue_report()       every part reported delivered
 *   sent       failed      queue_report()       a part reported failed
 *   uncertain  queued      queue_resend()       a person chose to resend
 *   failed     queued      queue_resend()
 *
 * Webhooks: every transition above but queued -> sending and sending ->
 * queued (a retry) writes a "message.status" notice (webhook.h) in the
 * same transaction as the change, when a webhook listens to that event.
 *
 * Invariants:
 *   - a message in "sending" has claimed_at and modem set;
 *   - a part is recorded in message_parts once the modem accepted it, so a
 *     retry sends only the parts that are missing, with the same
 *     concatenation reference;
 *   - "uncertain" is never left by the daemon alone: a person decides.
 */
#ifndef RAPPEL_QUEUE_H
#define RAPPEL_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "error.h"
#include "phone.h"
#include "sms.h"

#define QUEUE_BODY_MAX_PARTS 10		/* longer texts are refused */
/*
 * SQL: the modem that last sent to number (an SQL expression) of contact
 * (through the contact's messages, index messages_contact); NULL for a
 * number of no contact, or one never written to.  A message keeps it as
 * its sender: the SIM the person knows.
 */
#define QUEUE_SQL_LAST_SENDER(contact, number) "(SELECT modem FROM messages " \
	"WHERE contact_id = " contact " AND to_number = " number " AND status IN " \
	"('sent', 'delivered') ORDER BY id DESC LIMIT 1)"

/*
 * A message whose sender is a ready modem waits for it; past its time by
 * this long, a modem with none of its own to send takes it (a busy SIM
 * must not hold a campaign back, nor lose its contacts to modems that
 * are as busy as it).
 */
#define QUEUE_STICKY_WAIT (10 * 60)

/*
 * SQL terms for messages in status (a literal or a parameter) that let
 * SQLite use messages_due, whose rows are the queued and the claimed
 * messages (sql/007): a partial index is used only when the query's WHERE
 * implies the index's own.
 */
/* A part's key in message_parts is message_id * 16 + seq (sql/007): id's parts. */
#define QUEUE_PARTS_OF(id) "id BETWEEN " id " * 16 AND " id " * 16 + 15"

#define QUEUE_SQL_DUE(status) "status IN ('queued', 'sending') AND status = " status
#define QUEUE_MAX_ATTEMPTS 8
#define QUEUE_BACKOFF_FIRST 30		/* seconds, default first delay, doubled each time */
#define QUEUE_BACKOFF_MAX 3600

enum queue_kind {
	QUEUE_DIRECT,		/* one SMS a person sent now: goes first */
	QUEUE_CAMPAIGN,		/* from the scheduler: after direct ones */
	QUEUE_SYSTEM,		/* answer to STOP, START, AIDE: sent even after STOP */
};

struct queue_msg {
	int64_t id;
	char to[PHONE_E164_MAX];
	char *body;			/* owned; free with queue_msg_clear() */
	enum sms_encoding encoding;
	int parts;
	int attempts;			/* including the current one */
	int concat_ref;			/* 1-255, the same for every attempt */
	unsigned sent_parts;		/* bit i set: part i+1 already accepted */
	int64_t contact_id;		/* 0 for a bare number */
	enum queue_kind kind;
	int64_t give_up_at;		/* 0: never */
};

void queue_msg_clear(struct queue_msg *m);

/*
 * Queues a message for to (E.164), optionally for a contact.  Refused
 * (ERR_CONFLICT "opted_out") when the contact, or the contact owning the number,
 * has opted out, or the number itself has (optout.h), unless kind is
 * QUEUE_SYSTEM; ERR_INVALID for an empty, invalid or too long body.
 */
int queue_add(struct db *db, const char *to, int64_t contact_id, const char *body,
    enum queue_kind kind, const char *created_by, int64_t now, int64_t *id,
    struct error *err);

/*
 * Links message id, just queued by queue_add(), to session key of atelier
 * event_id, taking a reply until reply_until (0: none): its OUI/NON is then
 * that session's RSVP (replies.h).  0 or -1.
 */
int queue_link_event(struct db *db, int64_t id, int64_t event_id, int64_t key,
    int64_t reply_until);

/* A message of a campaign, as the scheduler makes it. */
struct queue_campaign_msg {
	int64_t campaign_id;
	const char *occurrence;		/* the campaign occurrence's key */
	int64_t contact_id;
	const char *to;			/* E.164 */
	const char *body;		/* rendered */
	int64_t not_before;		/* when it is due */
	int64_t give_up_at;		/* 0: never */
	int64_t event_id;		/* 0 when not about an atelier */
	int64_t event_occurrence;	/* recur_key of the atelier's occurrence, or 0 */
	int64_t reply_until;		/* 0: asks for no reply */
};

/*
 * Queues m unless a message for the same (campaign, occurrence, contact)
 * exists: returns 1 when queued, 0 when it already was, -1 with *err
 * (ERR_INVALID for a body that cannot be sent).  The caller checked opt-out when
 * it chose the recipients; queue_claim_next() checks it again.
 */
int queue_add_campaign(struct db *db, const struct queue_campaign_msg *m, int64_t now,
    struct error *err);

/*
 * Cancels the queued messages of a campaign; or of an atelier, or of one
 * of its occurrences when key is not 0.  Returns how many, or -1.
 */
int queue_cancel_campaign(struct db *db, int64_t campaign_id, const char *reason, int64_t now);
int queue_cancel_event(struct db *db, int64_t event_id, int64_t key, const char *reason,
    int64_t now);

/*
 * Cancels every queued message to a contact or to one of their numbers
 * (STOP), but for system answers.  Returns how many, or -1.
 */
int queue_cancel_contact(struct db *db, int64_t contact_id, int64_t now);
/* The same for every queued message to number (E.164), whoever it is for. */
int queue_cancel_number(struct db *db, const char *number, int64_t now);

/*
 * Claims the most urgent due message for modem.  Returns 1 and fills *m,
 * 0 when nothing is due, -1 on a database error.  A message whose contact
 * or number has opted out since it was queued is cancelled instead (but a
 * QUEUE_SYSTEM answer), and the next one is tried.
 */
int queue_claim_next(struct db *db, const char *modem, int64_t now, struct queue_msg *m);

/* Records that part seq (1-based) was accepted with the network reference. */
int queue_part_sent(struct db *db, int64_t id, int seq, const char *modem,
    int reference, int64_t now);

int queue_mark_sent(struct db *db, int64_t id, int64_t now);

/*
 * Message id's status and error ("" when none) into the buffers: 1, 0
 * when there is no such message, -1 on error.
 */
int queue_message_state(struct db *db, int64_t id, char *status, size_t statuslen,
    char *error, size_t errorlen);

/*
 * Temporary failure: back to queued after first_delay seconds doubled at
 * each attempt (capped at QUEUE_BACKOFF_MAX; 0 means QUEUE_BACKOFF_FIRST),
 * or failed after QUEUE_MAX_ATTEMPTS or past the give-up time.
 */
int queue_retry(struct db *db, int64_t id, const char *error, int first_delay, int64_t now);
/* Permanent failure. */
int queue_fail(struct db *db, int64_t id, const char *error, int64_t now);

/* The modem took the PDU and never answered: a person must decide. */
int queue_uncertain(struct db *db, int64_t id, const char *error, int64_t now);

/*
 * After a restore (rappelctl restore): every message due before now and
 * still queued or with a modem in the restored copy may have been sent
 * between the backup and the restore; it becomes uncertain, for a person
 * to decide.  Messages due later stay queued.  Returns how many, or -1.
 */
int queue_hold_restored(struct db *db, int64_t now);

/* At start: messages left in "sending" become "uncertain".  Returns how many. */
int queue_recover(struct db *db, int64_t now);

/*
 * A delivery report from modem for reference, sent to number, with the
 * network's status tp_status (TP-ST: 0x00-0x1F delivered, 0x40 and above
 * failed; the caller drops 0x20-0x3F, "still trying"): finds the part
 * sent by that modem with that reference to that number in the last three
 * days (the newest), records the report and its status and, when the
 * message's parts are all in, sets it delivered or failed, a failure with
 * the reason in French and the code ("non remis : numéro injoignable
 * (inexistant ou résilié) — code réseau 0x43").  Returns 1 when matched,
 * 0 when not, -1 on error.
 */
int queue_report(struct db *db, const char *modem, int reference, const char *number,
    int tp_status, int64_t now);

/* Cancels a queued message (ERR_CONFLICT when it is with a modem or done). */
int queue_cancel(struct db *db, int64_t id, int64_t now, struct error *err);
/* Puts a failed or uncertain message back in the queue, on purpose. */
int queue_resend(struct db *db, int64_t id, int64_t now, struct error *err);

/*
 * RGPD erasure of a contact: cancels their queued messages and removes the
 * text and number of every message and reply of theirs, keeping the rows
 * (anonymous counts), and deletes their webhook notices.  Runs inside the
 * caller's transaction.  0 or -1.
 */
int queue_forget_contact(struct db *db, int64_t contact_id, int64_t now);

/* SMS parts a modem handed over since a time (for the rate limits), or -1. */
int queue_parts_since(struct db *db, const char *modem, int64_t since);

/*
 * fn(arg) is called once a transaction that queued a message (or put one
 * back in the queue) has committed, from the committing thread; the
 * producers (API, scheduler, reply router, rappelctl) need not wake the
 * modems themselves.  Process-wide; set once, before threads start.
 */
void queue_on_commit(void (*fn)(void *), void *arg);

/* Counts messages in a status, or -1. */
int queue_count(struct db *db, const char *status);

/* The parts of message id a modem already handed over: bit i for part i+1. */
unsigned queue_sent_parts(struct db *db, int64_t id);

/* The earliest not_before of the queued messages, 0 when none, -1 on error. */
int64_t queue_next_due(struct db *db);

#endif
