/*
 * queue — outgoing messages and their states.  The transition table and
 * the invariants are in queue.h.
 */
#include "queue.h"

#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contacts.h"
#include "log.h"
#include "optout.h"
#include "sms.h"
#include "text.h"
#include "webhook.h"

_Static_assert(QUEUE_BODY_MAX_PARTS < 16, "a message's parts share message_parts keys");
#define QUEUE_REPORT_WINDOW (3 * 24 * 3600)	/* a report older than this matches nothing */
#define QUEUE_HOOK "queue_hook"		/* savepoint of a change and its notices */

void
queue_msg_clear(struct queue_msg *m)
{
	free(m->body);
	memset(m, 0, sizeof(*m));
}

/* Who asked for no more SMS, for a message to number for contact_id. */
enum queue_opt_out {
	QUEUE_IN,		/* nobody: it may go */
	QUEUE_OUT_CONTACT,	/* the contact, or the contact owning number */
	QUEUE_OUT_NUMBER,	/* the number itself (optout.h) */
};

static enum queue_opt_out
queue_opted_out(struct db *db, int64_t contact_id, const char *number)
{
	DB_SQL(sql, "SELECT 1 FROM contacts c WHERE c.opted_out_at IS NOT NULL "
	    "AND (c.id = ?1 OR c.id = (SELECT contact_id FROM contact_phones WHERE number = ?2))");
	sqlite3_stmt *st = db_stmt(db, sql);
	bool out;

	if (st == NULL)
		return QUEUE_OUT_CONTACT;	/* when in doubt, do not send */
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_text(st, 2, number, -1, SQLITE_STATIC);
	out = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (out)
		return QUEUE_OUT_CONTACT;
	return optout_is_out(db, number) ? QUEUE_OUT_NUMBER : QUEUE_IN;
}

static const char *const queue_kinds[] = {
	[QUEUE_DIRECT] = "direct",
	[QUEUE_CAMPAIGN] = "campaign",
	[QUEUE_SYSTEM] = "system",
};

/* Who hears of messages queued (queue_on_commit()); set before threads start. */
static void (*queue_listener)(void *);
static void *queue_listener_arg;

void
queue_on_commit(void (*fn)(void *), void *arg)
{
	queue_listener = fn;
	queue_listener_arg = arg;
}

/* db_after_commit()'s call: a message waits for a modem. */
static void
queue_wake_listener(void)
{
	if (queue_listener)
		queue_listener(queue_listener_arg);
}

int
queue_add(struct db *db, const char *to, int64_t contact_id, const char *body,
    enum queue_kind kind, const char *created_by, int64_t now, int64_t *id,
    struct error *err)
{
	DB_SQL(sql, "INSERT INTO messages (contact_id, to_number, body, "
	    "encoding, parts, concat_ref, priority, not_before, queued_at, created_by, kind, "
	    "sender) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
	    QUEUE_SQL_LAST_SENDER("?1", "?2") ")");
	struct sms_info info;
	sqlite3_stmt *st;

	if (body == NULL || body[0] == '\0')
		return error_set(err, ERR_INVALID, "invalid", "body", "Le message est vide.");
	if (sms_analyze(body, &info) < 0)
		return error_set(err, ERR_INVALID, "invalid", "body",
		    "Texte mal encodé (UTF-8 attendu).");
	if (info.parts > QUEUE_BODY_MAX_PARTS)
		return error_set(err, ERR_INVALID, "invalid", "body", "Message trop long : %zu SMS "
		    "(%d au plus).", info.parts, QUEUE_BODY_MAX_PARTS);
	switch (kind == QUEUE_SYSTEM ? QUEUE_IN : queue_opted_out(db, contact_id, to)) {
	case QUEUE_OUT_CONTACT:
		return error_set(err, ERR_CONFLICT, "opted_out", "to",
		    "Ce contact a demandé à ne plus recevoir de SMS (STOP).");
	case QUEUE_OUT_NUMBER:
		return error_set(err, ERR_CONFLICT, "opted_out", "to",
		    "Le numéro %s a demandé à ne plus recevoir de SMS (STOP) : il en recevra de "
		    "nouveau s'il envoie START.",
		    to);
	case QUEUE_IN:
		break;
	}
	if ((st = db_stmt(db, sql)) == NULL)
		return error_fail(err, ERR_INTERNAL);
	if (contact_id)
		sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, sms_encoding_name(info.encoding), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, (int)info.parts);
	sqlite3_bind_int(st, 6, (int)randombytes_uniform(255) + 1);
	sqlite3_bind_int(st, 7, kind == QUEUE_CAMPAIGN ? 1 : 0);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, now);
	sqlite3_bind_text(st, 10, created_by ? created_by : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, queue_kinds[kind], -1, SQLITE_STATIC);
	if (db_step_done(db, st) < 0)
		return error_fail(err, ERR_DB);
	*id = sqlite3_last_insert_rowid(db_handle(db));
	log_info("queue: queued id=%lld parts=%zu encoding=%s", (long long)*id, info.parts,
	    sms_encoding_name(info.encoding));
	db_after_commit(db, queue_wake_listener);
	return 0;
}

int
queue_link_event(struct db *db, int64_t id, int64_t event_id, int64_t key,
    int64_t reply_until)
{
	DB_SQL(sql, "UPDATE messages SET event_id = ?2, event_occurrence = ?3, "
	    "reply_until = ?4 WHERE id = ?1 AND status = 'queued'");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, event_id);
	sqlite3_bind_int64(st, 3, key);
	db_bind_int_or_null(st, 4, reply_until);
	if (db_step_done(db, st) < 0)
		return -1;
	return sqlite3_changes(db_handle(db)) == 1 ? 0 : -1;
}

int
queue_add_campaign(struct db *db, const struct queue_campaign_msg *m, int64_t now,
    struct error *err)
{
	DB_SQL(sql, "INSERT OR IGNORE INTO messages (campaign_id, occurrence, "
	    "contact_id, to_number, body, encoding, parts, concat_ref, kind, priority, "
	    "not_before, give_up_at, queued_at, created_by, event_id, event_occurrence, "
	    "reply_until, sender) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'campaign', 1, ?9, "
	    "?10, ?11, 'scheduler', ?12, ?13, ?14, " QUEUE_SQL_LAST_SENDER("?3", "?4") ")");
	struct sms_info info;
	sqlite3_stmt *st;

	if (m->body == NULL || m->body[0] == '\0')
		return error_set(err, ERR_INVALID, "invalid", "body", "Le message est vide.");
	if (sms_analyze(m->body, &info) < 0)
		return error_set(err, ERR_INVALID, "invalid", "body",
		    "Texte mal encodé (UTF-8 attendu).");
	if (info.parts > QUEUE_BODY_MAX_PARTS)
		return error_set(err, ERR_INVALID, "invalid", "body", "Message trop long : %zu SMS "
		    "(%d au plus).", info.parts, QUEUE_BODY_MAX_PARTS);
	if ((st = db_stmt(db, sql)) == NULL)
		return error_fail(err, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, m->campaign_id);
	sqlite3_bind_text(st, 2, m->occurrence, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, m->contact_id);
	sqlite3_bind_text(st, 4, m->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, m->body, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, sms_encoding_name(info.encoding), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, (int)info.parts);
	sqlite3_bind_int(st, 8, (int)randombytes_uniform(255) + 1);
	sqlite3_bind_int64(st, 9, m->not_before);
	if (m->give_up_at)
		sqlite3_bind_int64(st, 10, m->give_up_at);
	sqlite3_bind_int64(st, 11, now);
	if (m->event_id)
		sqlite3_bind_int64(st, 12, m->event_id);
	if (m->event_occurrence)
		sqlite3_bind_int64(st, 13, m->event_occurrence);
	if (m->reply_until)
		sqlite3_bind_int64(st, 14, m->reply_until);
	if (db_step_done(db, st) < 0)
		return error_fail(err, ERR_DB);
	if (sqlite3_changes(db_handle(db)) != 1)
		return 0;	/* queued before: never twice */
	db_after_commit(db, queue_wake_listener);
	return 1;
}

/*
 * Notices of status changes for webhooks (webhook.h).  Every transition
 * but queued -> sending and the retry sending -> queued is reported.
 * When a webhook listens, the change and its notices run in one savepoint:
 * both are committed or neither.  Call queue_hook_begin() before the
 * change's first statement (it reads, then the change writes) and
 * queue_hook_end() after it.
 */
static bool
queue_hook_begin(struct db *db)
{
	return webhook_wanted(db, WEBHOOK_MESSAGE_STATUS) && db_savepoint(db, QUEUE_HOOK) == 0;
}

/* Enqueues message.status for message id, which has just left status from. */
static int
queue_notify(struct db *db, int64_t id, const char *from, int64_t now)
{
	DB_SQL(sql, "SELECT campaign_id, contact_id, nullif(to_number, ''), "
	    "status, error FROM messages WHERE id = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *data = NULL;
	int64_t contact = 0;
	int i;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_t *col[5];
		for (i = 0; i < 5; i++) {
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_NULL:
				col[i] = json_null();
				break;
			case SQLITE_INTEGER:
				col[i] = json_integer(sqlite3_column_int64(st, i));
				break;
			default:
				col[i] = json_string((const char *)sqlite3_column_text(st, i));
			}
		}
		contact = sqlite3_column_int64(st, 1);
		data = json_pack("{s:I, s:o, s:o, s:o, s:o, s:s, s:o}", "id", (json_int_t)id,
		    "campaign_id", col[0], "contact_id", col[1], "to", col[2], "status", col[3],
		    "previous_status", from, "error", col[4]);
	}
	sqlite3_reset(st);
	return webhook_enqueue(db, WEBHOOK_MESSAGE_STATUS, contact, data, now);
}

/*
 * Ends what queue_hook_begin() opened (nothing when hook is false).  rc is
 * the change's result: when it is below 0 the savepoint is rolled back;
 * else the notices of the n messages ids, which left status from, are
 * written and the savepoint released.  Returns rc, or -1 when a notice
 * could not be written (then the change is undone too).
 */
static int
queue_hook_end(struct db *db, bool hook, int rc, const int64_t *ids, size_t n,
    const char *from, int64_t now)
{
	size_t i;

	if (!hook)
		return rc;
	for (i = 0; rc >= 0 && i < n; i++)
		if (queue_notify(db, ids[i], from, now) < 0)
			rc = -1;
	if (rc < 0 || db_release(db, QUEUE_HOOK) < 0) {
		db_rollback_to(db, QUEUE_HOOK);
		return -1;
	}
	return rc;
}

/*
 * Steps st, an UPDATE ... RETURNING id bound by the caller, to its end.
 * Returns how many rows it changed with their ids in *ids (the caller
 * frees), or -1 (*ids NULL).
 */
static int
queue_step_ids(struct db *db, sqlite3_stmt *st, int64_t **ids)
{
	size_t n = 0, cap = 0;
	int64_t *grown;
	int rc;

	*ids = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((grown = realloc(*ids, cap * sizeof(**ids))) == NULL)
				fatal("queue: out of memory");
			*ids = grown;
		}
		(*ids)[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_err("queue: statement failed: %s: %s", db_errmsg(db), sqlite3_sql(st));
		free(*ids);
		*ids = NULL;
		return -1;
	}
	return (int)n;
}

/* A bulk change (st: UPDATE ... RETURNING id, bound) from status from, with notices. */
static int
queue_change_many(struct db *db, sqlite3_stmt *st, bool hook, const char *from, int64_t now)
{
	int64_t *ids;
	int n = queue_step_ids(db, st, &ids);

	n = queue_hook_end(db, hook, n, ids, n > 0 ? (size_t)n : 0, from, now);
	free(ids);
	return n;
}

/*
 * Runs st (bound by the caller), a change of message id from status from,
 * with its notice: 0 when it changed that one row, else -1.
 */
static int
queue_change_one(struct db *db, sqlite3_stmt *st, bool hook, int64_t id, const char *from,
    int64_t now)
{
	int rc = -1;

	if (st != NULL && db_step_done(db, st) == 0 && sqlite3_changes(db_handle(db)) == 1)
		rc = 0;
	return queue_hook_end(db, hook, rc, &id, 1, from, now);
}

/* Compare-and-set of status; 0 when exactly one row changed, else -1. */
static int
queue_cas(struct db *db, int64_t id, const char *from, const char *to, int64_t now)
{
	DB_SQL(sql, "UPDATE messages SET status = ?3 WHERE id = ?1 AND status = ?2");
	bool hook = queue_hook_begin(db);
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st != NULL) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
	}
	return queue_change_one(db, st, hook, id, from, now);
}

/* The most urgent due message that cond allows, for queue_peek(). */
#define QUEUE_PEEK(cond) "SELECT id, to_number, body, encoding, parts, attempts, " \
	"concat_ref, contact_id, kind = 'system', ifnull(give_up_at, 0) FROM messages " \
	"WHERE " QUEUE_SQL_DUE("'queued'") " AND not_before <= ?1 AND " cond " " \
	"ORDER BY priority, not_before, id LIMIT 1"

/*
 * Reads the most urgent due message for modem into m (not yet claimed):
 * its own, nobody's, or one whose sender is not ready; when there is none,
 * one that has waited QUEUE_STICKY_WAIT past its time for its busy sender.
 * So four modems busy with their own contacts keep them to the last one
 * of a long campaign, and a modem with nothing left helps the others.
 * 1, 0 or -1.
 */
static int
queue_peek(struct db *db, const char *modem, int64_t now, struct queue_msg *m)
{
	DB_SQL(sql_own, QUEUE_PEEK("(sender IS NULL OR sender = ?2 OR NOT EXISTS "
	    "(SELECT 1 FROM modem_status s WHERE s.name = messages.sender AND "
	    "s.state = 'ready'))"));
	DB_SQL(sql_late, QUEUE_PEEK("not_before <= ?3"));
	const struct db_sql *q[2] = { sql_own, sql_late };
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, i;

	for (i = 0; i < 2 && rc == SQLITE_DONE; i++) {
		if ((st = db_stmt(db, q[i])) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_text(st, 2, modem, -1, SQLITE_STATIC);	/* unused by sql_late */
		sqlite3_bind_int64(st, 3, now - QUEUE_STICKY_WAIT);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			m->id = sqlite3_column_int64(st, 0);
			snprintf(m->to, sizeof(m->to), "%s", sqlite3_column_text(st, 1));
			m->body = db_column_strdup(st, 2);
			m->encoding = strcmp((const char *)sqlite3_column_text(st, 3), "ucs2") == 0 ?
			    SMS_UCS2 : SMS_GSM7;
			m->parts = sqlite3_column_int(st, 4);
			m->attempts = sqlite3_column_int(st, 5) + 1;
			m->concat_ref = sqlite3_column_int(st, 6);
			m->contact_id = sqlite3_column_int64(st, 7);
			m->kind = sqlite3_column_int(st, 8) ? QUEUE_SYSTEM : QUEUE_DIRECT;
			m->give_up_at = sqlite3_column_int64(st, 9);
		}
		sqlite3_reset(st);
	}
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

/* queued → failed: the time after which it is pointless has passed. */
static int
queue_give_up(struct db *db, int64_t id, int64_t now)
{
	DB_SQL(sql, "UPDATE messages SET status = 'failed', "
	    "error = 'trop tard : l''atelier a commencé' WHERE id = ? AND status = 'queued'");
	bool hook = queue_hook_begin(db);
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st != NULL)
		sqlite3_bind_int64(st, 1, id);
	return queue_change_one(db, st, hook, id, "queued", now);
}

int
queue_claim_next(struct db *db, const char *modem, int64_t now, struct queue_msg *m)
{
	DB_SQL(sql, "UPDATE messages SET status = 'sending', claimed_at = ?2, "
	    "modem = ?3, attempts = attempts + 1 WHERE id = ?1 AND status = 'queued'");
	sqlite3_stmt *st;
	int rc;

	for (;;) {
		memset(m, 0, sizeof(*m));
		if ((rc = queue_peek(db, modem, now, m)) <= 0)
			return rc;
		if (m->body == NULL || (m->kind != QUEUE_SYSTEM &&
		    queue_opted_out(db, m->contact_id, m->to) != QUEUE_IN)) {
			/* checked again just before sending: STOP wins */
			if (queue_cas(db, m->id, "queued", "cancelled", now) == 0)
				log_info("queue: cancelled id=%lld reason=opted-out",
				    (long long)m->id);
			queue_msg_clear(m);
			continue;
		}
		if (m->give_up_at && now >= m->give_up_at) {
			/* a reminder for an atelier that has started is pointless */
			if (queue_give_up(db, m->id, now) == 0)
				log_info("queue: failed id=%lld reason=too-late", (long long)m->id);
			queue_msg_clear(m);
			continue;
		}
		if ((st = db_stmt(db, sql)) == NULL) {
			queue_msg_clear(m);
			return -1;
		}
		sqlite3_bind_int64(st, 1, m->id);
		sqlite3_bind_int64(st, 2, now);
		sqlite3_bind_text(st, 3, modem, -1, SQLITE_STATIC);
		if (db_step_done(db, st) < 0) {
			queue_msg_clear(m);
			return -1;
		}
		if (sqlite3_changes(db_handle(db)) == 1)
			break;
		queue_msg_clear(m);	/* another worker was faster */
	}
	m->sent_parts = queue_sent_parts(db, m->id);
	return 1;
}

int
queue_part_sent(struct db *db, int64_t id, int seq, const char *modem, int reference,
    int64_t now)
{
	DB_SQL(sql, "INSERT OR REPLACE INTO message_parts (id, message_id, "
	    "seq, modem, reference, sent_at, report) VALUES (?1 * 16 + ?2, ?1, ?2, ?3, ?4, ?5, "
	    "'pending')");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, seq);
	sqlite3_bind_text(st, 3, modem, -1, SQLITE_STATIC);
	if (reference >= 0)
		sqlite3_bind_int(st, 4, reference);
	sqlite3_bind_int64(st, 5, now);
	return db_step_done(db, st);
}

int
queue_mark_sent(struct db *db, int64_t id, int64_t now)
{
	DB_SQL(sql, "UPDATE messages SET status = 'sent', sent_at = ?2, "
	    "error = NULL WHERE id = ?1 AND status = 'sending'");
	bool hook = queue_hook_begin(db);
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st != NULL) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, now);
	}
	if (queue_change_one(db, st, hook, id, "sending", now) < 0) {
		log_err("queue: id=%lld was not sending when marked sent", (long long)id);
		return -1;
	}
	log_info("queue: sent id=%lld", (long long)id);
	return 0;
}

/* sending → failed or uncertain, with the reason; compare-and-set. */
static int
queue_end_sending(struct db *db, int64_t id, const char *status, const char *error,
    int64_t now)
{
	DB_SQL(sql, "UPDATE messages SET status = ?3, error = ?2 "
	    "WHERE id = ?1 AND status = 'sending'");
	bool hook = queue_hook_begin(db);
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st != NULL) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, error, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	}
	if (queue_change_one(db, st, hook, id, "sending", now) < 0)
		return -1;
	log_warn("queue: %s id=%lld error=\"%s\"", status, (long long)id, error);
	return 0;
}

int
queue_fail(struct db *db, int64_t id, const char *error, int64_t now)
{
	return queue_end_sending(db, id, "failed", error, now);
}

int
queue_retry(struct db *db, int64_t id, const char *error, int first_delay, int64_t now)
{
	DB_SQL(sql_get, "SELECT attempts, give_up_at FROM messages WHERE id = ?");
	DB_SQL(sql, "UPDATE messages SET status = 'queued', error = ?2, "
	    "not_before = ?3 WHERE id = ?1 AND status = 'sending'");
	sqlite3_stmt *st = db_stmt(db, sql_get);
	int attempts = QUEUE_MAX_ATTEMPTS;
	int64_t give_up = 0, delay;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		attempts = sqlite3_column_int(st, 0);
		give_up = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	delay = (int64_t)(first_delay > 0 ? first_delay : QUEUE_BACKOFF_FIRST) <<
	    (attempts > 1 ? (attempts - 1 > 10 ? 10 : attempts - 1) : 0);
	if (delay > QUEUE_BACKOFF_MAX)
		delay = QUEUE_BACKOFF_MAX;
	if (attempts >= QUEUE_MAX_ATTEMPTS || (give_up && now + delay > give_up)) {
		char why[300];
		snprintf(why, sizeof(why), "%s (abandonné après %d essais)", error, attempts);
		return queue_end_sending(db, id, "failed", why, now);
	}
	if ((st = db_stmt(db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now + delay);
	if (db_step_done(db, st) < 0 || sqlite3_changes(db_handle(db)) != 1)
		return -1;
	log_info("queue: retry id=%lld attempt=%d in=%llds error=\"%s\"", (long long)id,
	    attempts, (long long)delay, error);
	return 0;
}

int
queue_uncertain(struct db *db, int64_t id, const char *error, int64_t now)
{
	return queue_end_sending(db, id, "uncertain", error, now);
}

int
queue_recover(struct db *db, int64_t now)
{
	DB_SQL(sql, "UPDATE messages SET status = 'uncertain', error = "
	    "'interrompu pendant l''envoi : vérifiez avant de renvoyer' "
	    "WHERE " QUEUE_SQL_DUE("'sending'") " RETURNING id");
	bool hook = queue_hook_begin(db);
	sqlite3_stmt *st = db_stmt(db, sql);
	int n;

	if (st == NULL) {
		queue_hook_end(db, hook, -1, NULL, 0, NULL, now);
		return -1;
	}
	if ((n = queue_change_many(db, st, hook, "sending", now)) < 0)
		return -1;
	if (n > 0)
		log_warn("queue: %d message(s) were with a modem when rappeld stopped; "
		    "marked uncertain, not resent", n);
	return n;
}

int
queue_hold_restored(struct db *db, int64_t now)
{
	DB_SQL(sql_sending, "UPDATE messages SET status = 'uncertain', error = 'base "
	    "restaurée depuis une sauvegarde : a pu partir après elle, vérifiez avant de "
	    "renvoyer' WHERE " QUEUE_SQL_DUE("'sending'") " RETURNING id");
	DB_SQL(sql_queued, "UPDATE messages SET status = 'uncertain', error = 'base "
	    "restaurée depuis une sauvegarde : a pu partir après elle, vérifiez avant de "
	    "renvoyer' WHERE " QUEUE_SQL_DUE("'queued'") " AND not_before <= ?1 RETURNING id");
	static const struct db_sql *const sql[2] = { sql_sending, sql_queued };
	static const char *const from[2] = { "sending", "queued" };
	sqlite3_stmt *st;
	int n = 0, rc, i;
	bool hook;

	for (i = 0; i < 2; i++) {
		hook = queue_hook_begin(db);
		if ((st = db_stmt(db, sql[i])) == NULL) {
			queue_hook_end(db, hook, -1, NULL, 0, NULL, now);
			return -1;
		}
		if (i == 1)
			sqlite3_bind_int64(st, 1, now);
		if ((rc = queue_change_many(db, st, hook, from[i], now)) < 0)
			return -1;
		n += rc;
	}
	if (n > 0)
		log_warn("queue: %d message(s) due before the restore marked uncertain, "
		    "not resent", n);
	return n;
}

/* Sets the message delivered or failed once every part has a final report. */
static int
queue_settle(struct db *db, int64_t id, int64_t now)
{
	DB_SQL(sql_parts, "SELECT m.parts, "
	    "sum(p.report = 'delivered'), sum(p.report = 'failed'), "
	    "max(CASE WHEN p.report = 'failed' THEN p.report_status END) "
	    "FROM messages m JOIN message_parts p ON p." QUEUE_PARTS_OF("m.id") " WHERE m.id = ?");
	DB_SQL(sql_set, "UPDATE messages SET status = ?2, delivered_at = ?3, "
	    "error = ?4 WHERE id = ?1 AND status = 'sent'");
	sqlite3_stmt *st = db_stmt(db, sql_parts);
	int parts = 0, delivered = 0, failed = 0, code = -1;
	const char *to = NULL;
	char why[200] = "";
	bool hook;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		parts = sqlite3_column_int(st, 0);
		delivered = sqlite3_column_int(st, 1);
		failed = sqlite3_column_int(st, 2);
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			code = sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
	if (failed > 0) {
		to = "failed";
		/* what the network said, in French, and its code for the operator */
		if (code >= 0)
			snprintf(why, sizeof(why), "non remis : %s (code réseau 0x%02X)",
			    sms_report_reason(code), (unsigned)code);
		else
			snprintf(why, sizeof(why), "non remis : échec signalé par l'opérateur");
	}
	else if (parts > 0 && delivered >= parts)
		to = "delivered";
	if (to == NULL)
		return 0;
	hook = queue_hook_begin(db);
	if ((st = db_stmt(db, sql_set)) != NULL) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
		if (strcmp(to, "delivered") == 0)
			sqlite3_bind_int64(st, 3, now);
		else
			sqlite3_bind_text(st, 4, why, -1, SQLITE_STATIC);
	}
	/* -1 here is also "not sent any more" (a second report): not an error */
	if (queue_change_one(db, st, hook, id, "sent", now) == 0)
		log_info("queue: %s id=%lld", to, (long long)id);
	return st == NULL ? -1 : 0;
}

int
queue_report(struct db *db, const char *modem, int reference, const char *number,
    int tp_status, int64_t now)
{
	/* back from the newest part through message_parts_sent (sql/007) */
	DB_SQL(sql_find, "SELECT p.id, p.message_id FROM message_parts p "
	    "INDEXED BY message_parts_sent CROSS JOIN messages m ON m.id = p.message_id "
	    "WHERE p.sent_at >= ?4 AND p.reference = ?2 AND p.modem = ?1 "
	    "AND p.report = 'pending' AND m.to_number = ?3 ORDER BY p.sent_at DESC LIMIT 1");
	DB_SQL(sql_set, "UPDATE message_parts SET report = ?2, report_at = ?3, "
	    "report_status = ?4 WHERE id = ?1");
	sqlite3_stmt *st = db_stmt(db, sql_find);
	int64_t part = 0, id = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, modem, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, reference);
	sqlite3_bind_text(st, 3, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now - QUEUE_REPORT_WINDOW);
	if (sqlite3_step(st) == SQLITE_ROW) {
		part = sqlite3_column_int64(st, 0);
		id = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (id == 0)
		return 0;
	if ((st = db_stmt(db, sql_set)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, part);
	sqlite3_bind_text(st, 2, tp_status < 0x20 ? "delivered" : "failed", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int(st, 4, tp_status);
	if (db_step_done(db, st) < 0 || queue_settle(db, id, now) < 0)
		return -1;
	return 1;
}

int
queue_cancel(struct db *db, int64_t id, int64_t now, struct error *err)
{
	if (queue_cas(db, id, "queued", "cancelled", now) < 0)
		return error_set(err, ERR_CONFLICT, "not_cancellable", NULL,
		    "Ce message n'est plus en attente : il a déjà été confié au modem.");
	return 0;
}

int
queue_resend(struct db *db, int64_t id, int64_t now, struct error *err)
{
	DB_SQL(sql, "UPDATE messages SET status = 'queued', not_before = ?2, "
	    "attempts = 0, error = NULL WHERE id = ?1 AND status = ?3");
	DB_SQL(sql_parts, "DELETE FROM message_parts WHERE " QUEUE_PARTS_OF("?1"));
	static const char *const from[] = { "failed", "uncertain" };
	sqlite3_stmt *st;
	bool hook;
	size_t i;
	int rc = -1;

	/* one compare-and-set per state it may leave, so the notice names it */
	for (i = 0; rc < 0 && i < sizeof(from) / sizeof(from[0]); i++) {
		hook = queue_hook_begin(db);
		if ((st = db_stmt(db, sql)) != NULL) {
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, now);
			sqlite3_bind_text(st, 3, from[i], -1, SQLITE_STATIC);
		}
		rc = queue_change_one(db, st, hook, id, from[i], now);
		if (st == NULL)
			return error_fail(err, ERR_INTERNAL);
	}
	if (rc < 0)
		return error_set(err, ERR_CONFLICT, "not_resendable", NULL,
		    "Seul un message en échec ou incertain peut être renvoyé.");
	/* a deliberate resend sends the whole message again */
	if ((st = db_stmt(db, sql_parts)) != NULL) {
		sqlite3_bind_int64(st, 1, id);
		db_step_done(db, st);
	}
	db_after_commit(db, queue_wake_listener);
	return 0;
}

/* Runs st (bound, or NULL after a failed prepare): queued -> cancelled in bulk. */
static int
queue_cancel_many(struct db *db, sqlite3_stmt *st, bool hook, int64_t now)
{
	if (st == NULL)
		return queue_hook_end(db, hook, -1, NULL, 0, NULL, now);
	return queue_change_many(db, st, hook, "queued", now);
}

int
queue_cancel_contact(struct db *db, int64_t contact_id, int64_t now)
{
	DB_SQL(sql, "UPDATE messages SET status = 'cancelled', "
	    "error = 'STOP reçu' WHERE " QUEUE_SQL_DUE("'queued'") " AND kind <> 'system' "
	    "AND (contact_id = ?1 OR to_number IN (SELECT number FROM contact_phones "
	    "WHERE contact_id = ?1)) RETURNING id");
	bool hook = queue_hook_begin(db);
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st != NULL)
		sqlite3_bind_int64(st, 1, contact_id);
	return queue_cancel_many(db, st, hook, now);
}

int
queue_cancel_number(struct db *db, const char *number, int64_t now)
{
	DB_SQL(sql, "UPDATE messages SET status = 'cancelled', "
	    "error = 'STOP reçu' WHERE " QUEUE_SQL_DUE("'queued'") " AND kind <> 'system' "
	    "AND to_number = ?1 RETURNING id");
	bool hook = queue_hook_begin(db);
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st != NULL)
		sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	return queue_cancel_many(db, st, hook, now);
}

/*
 * Cancels the queued messages of campaign_id, or of event_id (and of its
 * session key when not 0); one of the two ids is not 0.  Returns how many.
 */
static int
queue_cancel_matching(struct db *db, int64_t campaign_id, int64_t event_id, int64_t key,
    const char *reason, int64_t now)
{
	DB_SQL(sql, "UPDATE messages SET status = 'cancelled', error = ?4 "
	    "WHERE " QUEUE_SQL_DUE("'queued'") " AND "
	    "(?1 = 0 OR campaign_id = ?1) AND (?2 = 0 OR event_id = ?2) AND "
	    "(?3 = 0 OR event_occurrence = ?3) RETURNING id");
	bool hook;
	sqlite3_stmt *st;

	if (campaign_id == 0 && event_id == 0)
		return -1;
	hook = queue_hook_begin(db);
	if ((st = db_stmt(db, sql)) != NULL) {
		sqlite3_bind_int64(st, 1, campaign_id);
		sqlite3_bind_int64(st, 2, event_id);
		sqlite3_bind_int64(st, 3, key);
		sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	}
	return queue_cancel_many(db, st, hook, now);
}

int
queue_cancel_campaign(struct db *db, int64_t campaign_id, const char *reason, int64_t now)
{
	return queue_cancel_matching(db, campaign_id, 0, 0, reason, now);
}

int
queue_cancel_event(struct db *db, int64_t event_id, int64_t key, const char *reason,
    int64_t now)
{
	return queue_cancel_matching(db, 0, event_id, key, reason, now);
}

int
queue_forget_contact(struct db *db, int64_t contact_id, int64_t now)
{
	DB_SQL(sql_cancel, "UPDATE messages SET status = 'cancelled' "
	    "WHERE contact_id = ?1 AND status = 'queued' RETURNING id");
	DB_SQL(sql_parts, "DELETE FROM incoming_parts WHERE reply_id IN "
	    "(SELECT id FROM replies WHERE contact_id = ?1)");
	DB_SQL(sql_messages,
	    "UPDATE messages SET body = NULL, to_number = '' WHERE contact_id = ?1");
	DB_SQL(sql_replies,
	    "UPDATE replies SET body = NULL, from_number = '' WHERE contact_id = ?1");
	static const struct db_sql *const sql[] = { sql_parts, sql_messages, sql_replies };
	sqlite3_stmt *st;
	int64_t *ids = NULL;
	size_t i;
	bool hook;
	int n;

	/* first a write: the notices already written hold their number and texts */
	if (webhook_forget_contact(db, contact_id) < 0)
		return -1;
	hook = queue_hook_begin(db);
	n = -1;
	if ((st = db_stmt(db, sql_cancel)) != NULL) {
		sqlite3_bind_int64(st, 1, contact_id);
		n = queue_step_ids(db, st, &ids);
	}
	for (i = 0; n >= 0 && i < sizeof(sql) / sizeof(sql[0]); i++) {
		if ((st = db_stmt(db, sql[i])) == NULL)
			n = -1;
		else {
			sqlite3_bind_int64(st, 1, contact_id);
			if (db_step_done(db, st) < 0)
				n = -1;
		}
	}
	/* the notices of the cancellations, written once the number is gone */
	n = queue_hook_end(db, hook, n, ids, n > 0 ? (size_t)n : 0, "queued", now);
	free(ids);
	return n < 0 ? -1 : 0;
}
