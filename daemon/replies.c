/*
 * replies — what happens after a reply is stored.  See replies.h.
 */
#include "replies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "log.h"
#include "campaigns.h"
#include "contacts.h"
#include "events.h"
#include "optout.h"
#include "queue.h"
#include "rsvp.h"
#include "texts.h"
#include "waitlist.h"
#include "webhook.h"
#include "window.h"

#define REPLIES_CYCLE_MAX 100		/* sessions one answer for the cycle reaches */
#define REPLIES_CYCLE_SPAN (5 * 366 * 24 * 3600LL)	/* and how far ahead, in seconds */

struct replies_row {
	char from[32];
	int64_t contact_id;
	char *body;
	int64_t received_at;
	bool call;		/* a voice call (kind 'call'), not an SMS */
};

/* The message a reply answers, when one is open. */
struct replies_route {
	int64_t message_id;
	int64_t campaign_id;
	int64_t event_id;
	int64_t key;		/* the atelier session */
};

/* Loads reply id while it is undecided: 1, 0 when decided already (or gone), -1. */
static int
replies_load(struct db *db, int64_t id, struct replies_row *r)
{
	DB_SQL(sql, "SELECT from_number, contact_id, body, received_at, kind = 'call' "
	    "FROM replies WHERE id = ? AND intent IS NULL");
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		snprintf(r->from, sizeof(r->from), "%s", sqlite3_column_text(st, 0));
		r->contact_id = sqlite3_column_int64(st, 1);
		r->body = db_column_strdup(st, 2);
		r->received_at = sqlite3_column_int64(st, 3);
		r->call = sqlite3_column_int(st, 4) != 0;
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	default:
		break;
	}
	sqlite3_reset(st);
	return rc;
}

/* Finds the latest message to contact that asks for a reply still open at `at`. */
static int
replies_find_route(struct db *db, int64_t contact_id, int64_t at, struct replies_route *rt)
{
	DB_SQL(sql, "SELECT id, ifnull(campaign_id, 0), ifnull(event_id, 0), "
	    "ifnull(event_occurrence, 0) FROM messages WHERE contact_id = ?1 AND "
	    "reply_until > ?2 AND status IN ('sending', 'sent', 'delivered', 'uncertain') "
	    "ORDER BY coalesce(sent_at, claimed_at, queued_at) DESC, id DESC LIMIT 1");
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	memset(rt, 0, sizeof(*rt));
	if (st == NULL)
		return -1;
	if (contact_id == 0)
		return 0;
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_int64(st, 2, at);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rt->message_id = sqlite3_column_int64(st, 0);
		rt->campaign_id = sqlite3_column_int64(st, 1);
		rt->event_id = sqlite3_column_int64(st, 2);
		rt->key = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int
replies_set_intent(struct db *db, int64_t id, enum intent intent, bool handled,
    const struct replies_route *rt)
{
	/* undecided -> decided, compare-and-set like the outgoing queue */
	DB_SQL(sql, "UPDATE replies SET intent = ?2, handled = ?3, "
	    "message_id = ?4, event_id = ?5, event_occurrence = ?6 "
	    "WHERE id = ?1 AND intent IS NULL");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, intent_name(intent), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, handled);
	db_bind_int_or_null(st, 4, rt->message_id);
	db_bind_int_or_null(st, 5, rt->event_id);
	db_bind_int_or_null(st, 6, rt->key);
	if (db_step_done(db, st) < 0)
		return -1;
	if (sqlite3_changes(db_handle(db)) != 1) {
		log_err("replies: id=%lld was decided meanwhile", (long long)id);
		return -1;
	}
	return 0;
}

/* The reply.received notice for webhooks, once the intent is known. */
static int
replies_notify(struct db *db, int64_t id, const struct replies_row *r, enum intent intent,
    const struct replies_route *rt, int64_t now)
{
	json_t *data;

	if (!webhook_wanted(db, WEBHOOK_REPLY_RECEIVED))
		return 0;
	data = json_pack("{s:I, s:s, s:o, s:s?, s:s, s:o, s:o}", "id", (json_int_t)id,
	    "from", r->from,
	    "contact_id", r->contact_id ? json_integer(r->contact_id) : json_null(),
	    "body", r->body, "intent", intent_name(intent),
	    "message_id", rt->message_id ? json_integer(rt->message_id) : json_null(),
	    "event_id", rt->event_id ? json_integer(rt->event_id) : json_null());
	return webhook_enqueue(db, WEBHOOK_REPLY_RECEIVED, r->contact_id, data, now);
}

/* The campaign's acknowledgement of a yes or no, when it has one. */
static int
replies_acknowledge(struct db *db, const struct config *cfg, const struct replies_row *r,
    const struct replies_route *rt, int64_t now, bool *queued)
{
	struct campaign c;
	struct campaign_recipient who = { 0 };
	struct contact ct;
	struct event e = { 0 };
	struct event_occ o = { 0 };
	struct error err = { 0 };
	struct buf text = { 0 };
	int64_t id;
	int rc = 0;

	if (campaigns_load(db, rt->campaign_id, &c, &err) < 0)
		return 0;
	if (c.ack_body && c.ack_body[0] && contacts_load(db, r->contact_id, &ct, &err) == 0 &&
	    events_load(db, rt->event_id, &e, &err) == 0 &&
	    events_occurrence_get(db, &e, rt->key, &o, &err) == 0) {
		/* the campaign's thanks in French, the centre's in English and Arabic */
		char *tmpl = texts_for(db, TEXT_ACK, c.ack_body, ct.language);

		who.contact_id = ct.id;
		who.first_name = ct.first_name;
		who.last_name = ct.last_name;
		snprintf(who.language, sizeof(who.language), "%s", ct.language);
		snprintf(who.number, sizeof(who.number), "%.*s", (int)sizeof(who.number) - 1, r->from);
		if (campaign_render(&c, tmpl, cfg, &e, o.starts_at, &who, &text) == 0) {
			buf_putc(&text, '\0');
			rc = queue_add(db, r->from, r->contact_id, text.data, QUEUE_DIRECT,
			    "system", now, &id, &err);
			*queued = rc == 0;
			rc = rc < 0 && error_is_fault(&err) ? -1 : 0;
		}
		free(tmpl);
		contact_clear(&ct);
	}
	buf_free(&text);
	event_clear(&e);
	campaign_clear(&c);
	return rc;
}

/*
 * yes/no to an open question about an atelier: the RSVP, against the
 * session's places (waitlist.h); the campaign's acknowledgement unless
 * the person was told about a place instead.
 */
/*
 * The sessions an answer through rt is for: rt's session, and when its
 * campaign asks for the whole cycle (reply_scope 'cycle'), every later
 * session of the atelier that is not cancelled.  Fills keys; the number
 * of sessions (at least 1), or -1.
 */
static int
replies_cycle_sessions(struct db *db, const struct replies_route *rt, int64_t *keys, int max)
{
	struct campaign c;
	struct event e = { 0 };
	struct event_occ o, *occ;
	struct error err = { 0 };
	int n = 1, m, i;

	keys[0] = rt->key;
	if (campaigns_load(db, rt->campaign_id, &c, &err) < 0)
		return 1;
	if (c.reply_cycle && events_load(db, rt->event_id, &e, &err) == 0 &&
	    events_occurrence_get(db, &e, rt->key, &o, &err) == 0) {
		if ((occ = calloc((size_t)max, sizeof(*occ))) == NULL)
			fatal("replies: out of memory");
		m = events_occurrences(db, &e, o.starts_at + 1, o.starts_at + REPLIES_CYCLE_SPAN, occ,
		    (size_t)max - 1);
		for (i = 0; i < m; i++)
			if (!occ[i].cancelled && occ[i].key != rt->key)
				keys[n++] = occ[i].key;
		free(occ);
		if (m < 0)
			n = -1;
	}
	event_clear(&e);
	campaign_clear(&c);
	return n;
}

static int
replies_rsvp(struct db *db, const struct config *cfg, int64_t id, const struct replies_row *r,
    const struct replies_route *rt, enum intent intent, int64_t now, bool *queued)
{
	struct rsvp_change ch = { rt->event_id, rt->key, r->contact_id,
		intent == INTENT_YES ? RSVP_YES : RSVP_NO, "sms", id, NULL };
	int64_t keys[REPLIES_CYCLE_MAX];
	bool told, told_any = false;
	int n, i;

	if ((n = replies_cycle_sessions(db, rt, keys, REPLIES_CYCLE_MAX)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		ch.key = keys[i];
		if (waitlist_answer(db, cfg, &ch, now, &told) < 0)
			return -1;
		told_any = told_any || told;
	}
	if (told_any) {
		*queued = true;
		return 0;
	}
	return replies_acknowledge(db, cfg, r, rt, now, queued);
}

static int
replies_answer(struct db *db, const struct replies_row *r, const char *text, int64_t now)
{
	struct error err = { 0 };
	int64_t id;

	if (queue_add(db, r->from, r->contact_id, text, QUEUE_SYSTEM, "system", now, &id,
	    &err) < 0) {
		log_err("replies: cannot queue the answer: %s", err.message);
		return -1;
	}
	return 0;
}

/*
 * Whether r comes from its contact's first number: the contact's own, so
 * that their STOP or START is the contact's (household numbers speak for
 * themselves only).  *contact_out is when the contact is opted out.
 * 1, 0 (also for no contact), or -1.
 */
static int
replies_from_first_number(struct db *db, const struct replies_row *r, int64_t *contact_out)
{
	struct contact c;
	struct error err = { 0 };
	int first;

	*contact_out = 0;
	if (r->contact_id == 0)
		return 0;
	if (contacts_load(db, r->contact_id, &c, &err) < 0)
		return err.kind == ERR_NOT_FOUND ? 0 : -1;	/* erased since: the number alone */
	first = c.nphones > 0 && strcmp(c.phones[0].number, r->from) == 0;
	*contact_out = c.opted_out_at;
	contact_clear(&c);
	return first;
}

int
replies_set_handled(struct db *db, int64_t id, bool handled)
{
	DB_SQL(sql, "UPDATE replies SET handled = ?2 WHERE id = ?1");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, handled);
	if (db_step_done(db, st) < 0)
		return -1;
	return sqlite3_changes(db_handle(db)) == 1 ? 1 : 0;
}

/* A reply the daemon acted on that a person should still see (handled = 0). */
static int
replies_leave_for_a_person(struct db *db, int64_t id)
{
	return replies_set_handled(db, id, false) < 0 ? -1 : 0;
}

/*
 * STOP (reply id): the number is opted out, whoever it is (optout.h), and
 * its queued messages cancelled; from a contact's first number, the
 * contact is opted out too and all their queued messages cancelled.
 * 0 or -1.
 */
static int
replies_stop(struct db *db, int64_t id, const struct replies_row *r, int64_t now)
{
	static const struct audit_actor system_actor = { 0, "system" };
	int64_t contact_out;
	char masked[24];
	int first, n;

	if ((first = replies_from_first_number(db, r, &contact_out)) < 0 ||
	    optout_add(db, r->from, now, id, OPTOUT_SOURCE_SMS) < 0)
		return -1;
	if (first) {
		if ((n = queue_cancel_contact(db, r->contact_id, now)) < 0 ||
		    contacts_set_opt_out(db, r->contact_id, id, now) < 0 ||
		    audit_record(db, &system_actor, now, "opt_out", "contact", r->contact_id,
		    NULL) < 0)
			return -1;
	} else if ((n = queue_cancel_number(db, r->from, now)) < 0 ||
	    audit_record(db, &system_actor, now, "opt_out", "reply", id, NULL) < 0) {
		return -1;
	}
	log_mask_phone(r->from, masked, sizeof(masked));
	log_info("replies: opted out number=%s contact=%lld whole=%d cancelled=%d", masked,
	    (long long)r->contact_id, first, n);
	return 0;
}

/*
 * START (reply id): the number's opt-out is lifted; from a contact's first
 * number, the contact's too.  *answer is false when no confirmation is
 * due and a person should look instead: a number that had not opted out
 * and is no contact's, or a household number whose contact stays opted
 * out (their own STOP covers every number of theirs).  0 or -1.
 */
static int
replies_start(struct db *db, int64_t id, const struct replies_row *r, int64_t now,
    bool *answer)
{
	static const struct audit_actor system_actor = { 0, "system" };
	int64_t contact_out;
	char masked[24];
	int first, lifted;

	*answer = false;
	if ((first = replies_from_first_number(db, r, &contact_out)) < 0 ||
	    (lifted = optout_remove(db, r->from)) < 0)
		return -1;
	if (first) {
		if (contacts_set_opt_out(db, r->contact_id, 0, now) < 0 ||
		    audit_record(db, &system_actor, now, "opt_in", "contact", r->contact_id,
		    NULL) < 0)
			return -1;
	} else if (lifted && audit_record(db, &system_actor, now, "opt_in", "reply", id,
	    NULL) < 0) {
		return -1;
	}
	*answer = first || (r->contact_id ? contact_out == 0 : lifted);
	if (!*answer && replies_leave_for_a_person(db, id) < 0)
		return -1;
	log_mask_phone(r->from, masked, sizeof(masked));
	log_info("replies: opted in number=%s contact=%lld whole=%d lifted=%d%s", masked,
	    (long long)r->contact_id, first, lifted, *answer ? "" : " for=person");
	return 0;
}

/* Acts on intent; *queued when an answer was queued.  0 or -1. */
static int
replies_act(struct db *db, const struct config *cfg, int64_t id,
    const struct replies_row *r, enum intent intent, int64_t now, bool *queued)
{
	struct buf text = { 0 };
	enum text_name t;
	char language[3];
	bool answer = true;
	int rc = 0;

	switch (intent) {
	case INTENT_STOP:
		if (replies_stop(db, id, r, now) < 0)
			return -1;
		t = TEXT_STOP;
		break;
	case INTENT_START:
		if (replies_start(db, id, r, now, &answer) < 0)
			return -1;
		if (!answer)
			return 0;
		t = TEXT_START;
		break;
	case INTENT_HELP:
		t = TEXT_HELP;
		break;
	case INTENT_WHO:
		t = TEXT_WHO;
		break;
	default:
		return 0;
	}
	/* in the contact's language; a number that is no contact's gets French */
	contacts_language(db, r->contact_id, language);
	if (texts_render(db, cfg, t, language, &text) < 0)
		return 0;
	buf_putc(&text, '\0');
	rc = replies_answer(db, r, text.data, now);
	*queued = rc == 0;
	buf_free(&text);
	return rc;
}

/* Whether a person needs to look at a reply with this intent and route. */
static bool
replies_for_a_person(const struct replies_row *r, enum intent intent,
    const struct replies_route *rt)
{
	switch (intent) {
	case INTENT_STOP:
	case INTENT_START:
		/*
		 * kept by number, whoever sent it (replies_start() may still ask
		 * a person); a sender that is no phone number (a short code, a
		 * name) can be neither kept nor answered: a person looks
		 */
		return r->from[0] != '+';
	case INTENT_HELP:
	case INTENT_WHO:
		return r->from[0] != '+';	/* answered, unless it cannot be */
	case INTENT_YES:
	case INTENT_NO:
		return rt->event_id == 0;
	case INTENT_CALL:
		return true;	/* answered by SMS, and a person calls back */
	default:
		return true;
	}
}

/*
 * A voice call (reply id): the SMS that says this number takes no calls
 * and gives the centre's (TEXT_CALL, in the contact's language), at most
 * once a day per number: not after an earlier call from the number
 * today.  A number that opted out gets nothing (queue_add() refuses), nor
 * does a sender that is no phone number.  0 or -1.
 */
static int
replies_answer_call(struct db *db, const struct config *cfg, int64_t id,
    const struct replies_row *r, int64_t now, bool *queued)
{
	DB_SQL(sql, "SELECT EXISTS (SELECT 1 FROM replies INDEXED BY replies_calls "
	    "WHERE kind = 'call' AND from_number = ?1 AND received_at >= ?2 AND id < ?3)");
	sqlite3_stmt *st = db_stmt(db, sql);
	struct error err = { 0 };
	struct buf text = { 0 };
	char language[3];
	int64_t msg;
	int rc, earlier;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, window_day_start(r->received_at));
	sqlite3_bind_int64(st, 3, id);
	rc = sqlite3_step(st);
	earlier = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return -1;
	if (earlier || r->from[0] != '+')
		return 0;
	contacts_language(db, r->contact_id, language);
	if (texts_render(db, cfg, TEXT_CALL, language, &text) < 0)
		return 0;
	buf_putc(&text, '\0');
	rc = queue_add(db, r->from, r->contact_id, text.data, QUEUE_DIRECT, "system", now, &msg,
	    &err);
	buf_free(&text);
	*queued = rc == 0;
	if (rc < 0 && error_is_fault(&err)) {
		log_err("replies: cannot queue the answer to a call: %s", err.message);
		return -1;
	}
	return 0;
}

int
replies_process(struct db *db, const struct config *cfg, int64_t id, int64_t now,
    enum intent *intent, bool *queued)
{
	struct replies_route rt;
	struct replies_row r;
	bool handled;
	int found;

	*queued = false;
	*intent = INTENT_OTHER;
	if (db_begin(db) < 0)
		return -1;
	if ((found = replies_load(db, id, &r)) <= 0) {
		/* decided already (by an earlier pass), or a database error */
		db_rollback(db);
		return found;
	}
	if (replies_find_route(db, r.contact_id, r.received_at, &rt) < 0)
		goto fail;
	*intent = r.call ? INTENT_CALL : intent_classify(r.body);
	handled = !replies_for_a_person(&r, *intent, &rt);
	if (replies_set_intent(db, id, *intent, handled, &rt) < 0 ||
	    replies_notify(db, id, &r, *intent, &rt, now) < 0 ||
	    (handled && (*intent == INTENT_YES || *intent == INTENT_NO) &&
	    replies_rsvp(db, cfg, id, &r, &rt, *intent, now, queued) < 0) ||
	    (handled && *intent != INTENT_YES && *intent != INTENT_NO &&
	    replies_act(db, cfg, id, &r, *intent, now, queued) < 0) ||
	    (*intent == INTENT_CALL && replies_answer_call(db, cfg, id, &r, now, queued) < 0))
		goto fail;
	free(r.body);
	if (db_commit(db) < 0) {
		db_rollback(db);
		*queued = false;
		return -1;
	}
	log_info("replies: id=%lld intent=%s message=%lld event=%lld", (long long)id,
	    intent_name(*intent), (long long)rt.message_id, (long long)rt.event_id);
	return 0;
fail:
	free(r.body);
	db_rollback(db);
	*queued = false;
	log_err("replies: cannot process reply id=%lld; kept undecided, tried again later",
	    (long long)id);
	return -1;
}

int
replies_process_pending(struct db *db, const struct config *cfg, int64_t now, int max,
    bool *queued)
{
	DB_SQL(sql, "SELECT id FROM replies INDEXED BY replies_undecided "
	    "WHERE intent IS NULL ORDER BY id LIMIT ?1");
	sqlite3_stmt *st = db_stmt(db, sql);
	enum intent intent;
	int64_t *ids;
	size_t n, i;
	int done = 0, failed = 0;
	bool q;

	*queued = false;
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, max);
	ids = db_collect_ids(st, &n);
	/* oldest first: a STOP is applied before a later START of the same number */
	for (i = 0; i < n && failed == 0; i++) {
		if (replies_process(db, cfg, ids[i], now, &intent, &q) < 0) {
			failed = 1;
			break;
		}
		*queued = *queued || q;
		done++;
	}
	free(ids);
	return failed ? -1 : done;
}

int
replies_calls_returned(struct db *db, int64_t contact_id)
{
	DB_SQL(sql, "UPDATE replies SET handled = 1 WHERE kind = 'call' AND handled = 0 "
	    "AND contact_id = ?1");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, contact_id);
	if (db_step_done(db, st) < 0)
		return -1;
	return sqlite3_changes(db_handle(db));
}

int
replies_count_intent(struct db *db, enum intent intent, int64_t since)
{
	DB_SQL(sql, "SELECT count(*) FROM replies WHERE intent = ?1 AND received_at >= ?2");
	sqlite3_stmt *st = db_stmt(db, sql);
	int n = -1;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, intent_name(intent), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}
