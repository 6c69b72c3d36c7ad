/*
 * calls — see calls.h.
 */
#include "calls.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "replies.h"
#include "rsvp.h"
#include "timeutil.h"
#include "waitlist.h"

/* Most sessions of one atelier in a list's window. */
#define CALLS_MAX_SESSIONS 64

/* The numbers of the contact whose id is the SQL expression id, as JSON [{number, label, sms}]. */
#define CALLS_NUMBERS_SQL(id) "(SELECT json_group_array(json_object('number', number, " \
	"'label', label, 'sms', json(CASE sms WHEN 1 THEN 'true' ELSE 'false' END))) FROM " \
	"(SELECT number, label, sms FROM contact_phones p WHERE p.contact_id = " id " " \
	"ORDER BY position))"

static json_t *
calls_text(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	return json_string((const char *)sqlite3_column_text(st, i));
}

static bool
calls_is(sqlite3_stmt *st, int i, const char *s)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return v != NULL && strcmp((const char *)v, s) == 0;
}

/*
 * The reasons to phone the person of the current row; an empty array when
 * none.  Someone who answered, or sent STOP, is on the list only when they
 * called.
 */
static json_t *
calls_reasons(sqlite3_stmt *st, const struct event_occ *o, int64_t now)
{
	json_t *r = json_array();
	int64_t sent = sqlite3_column_int64(st, 7);

	if (sqlite3_column_type(st, 13) != SQLITE_NULL)
		json_array_append_new(r, json_string("called"));
	if (sqlite3_column_int(st, 14))
		return r;	/* answered, or opted out */
	if (!sqlite3_column_int(st, 4))
		json_array_append_new(r, json_string("no_mobile"));
	if (calls_is(st, 5, "failed") || calls_is(st, 5, "uncertain"))
		json_array_append_new(r, json_string("failed"));
	if (calls_is(st, 5, "sent") && sent > 0 && sent + CALLS_DELIVERY_WAIT <= now)
		json_array_append_new(r, json_string("not_delivered"));
	if (now >= o->starts_at - CALLS_DAY_BEFORE)
		json_array_append_new(r, json_string("no_answer"));
	return r;
}

/*
 * The list of session o of e; a call counts for "called" from `since` on,
 * or from the person's invitation to the session when that is earlier.
 */
static json_t *
calls_session(struct db *db, const struct event *e, const struct event_occ *o,
    int64_t since, int64_t now)
{
	DB_SQL(sql, RSVP_PEOPLE "SELECT c.id, c.first_name, c.last_name, "
	    CALLS_NUMBERS_SQL("c.id") ", "
	    "EXISTS (SELECT 1 FROM contact_phones p WHERE p.contact_id = c.id AND p.sms = 1), "
	    "m.status, m.body, coalesce(m.sent_at, m.queued_at), m.error, "
	    "pc.outcome, pc.at, pc.by_user, pc.note, "
	    "(SELECT max(q.received_at) FROM replies q INDEXED BY replies_calls_contact "
	    "WHERE q.kind = 'call' AND q.handled = 0 AND q.contact_id = c.id AND "
	    "q.received_at >= min(?3, coalesce((SELECT min(queued_at) FROM messages "
	    "WHERE event_id = ?1 AND event_occurrence = ?2 AND contact_id = c.id), ?3))) "
	    "AS called_at, r.answer IS NOT NULL OR c.opted_out_at IS NOT NULL "
	    "FROM people JOIN contacts c ON c.id = people.id "
	    "LEFT JOIN rsvps r ON r.event_id = ?1 AND r.occurrence = ?2 AND r.contact_id = c.id "
	    "LEFT JOIN messages m ON m.id = (SELECT max(id) FROM messages WHERE event_id = ?1 "
	    "AND event_occurrence = ?2 AND contact_id = c.id) "
	    "LEFT JOIN phone_calls pc ON pc.id = (SELECT max(id) FROM phone_calls WHERE "
	    "event_id = ?1 AND occurrence = ?2 AND contact_id = c.id) "
	    "WHERE (r.answer IS NULL AND c.opted_out_at IS NULL) OR called_at IS NOT NULL "
	    "ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE, c.id");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *people, *reasons, *numbers;
	int rc;

	if (st == NULL)
		return NULL;
	people = json_array();
	sqlite3_bind_int64(st, 1, e->id);
	sqlite3_bind_int64(st, 2, o->key);
	sqlite3_bind_int64(st, 3, since);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		reasons = calls_reasons(st, o, now);
		if (json_array_size(reasons) == 0) {
			json_decref(reasons);
			continue;
		}
		numbers = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
		json_array_append_new(people, json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
		    "contact_id", (json_int_t)sqlite3_column_int64(st, 0),
		    "first_name", (const char *)sqlite3_column_text(st, 1),
		    "last_name", (const char *)sqlite3_column_text(st, 2),
		    "numbers", numbers ? numbers : json_array(),
		    "reasons", reasons,
		    "message", sqlite3_column_type(st, 5) == SQLITE_NULL ? json_null() :
		    json_pack("{s:o, s:o, s:o, s:o}", "status", calls_text(st, 5),
		    "body", calls_text(st, 6), "at", time_json(sqlite3_column_int64(st, 7)),
		    "error", calls_text(st, 8)),
		    "call", sqlite3_column_type(st, 9) == SQLITE_NULL ? json_null() :
		    json_pack("{s:o, s:o, s:o, s:o}", "outcome", calls_text(st, 9),
		    "at", time_json(sqlite3_column_int64(st, 10)), "by", calls_text(st, 11),
		    "note", calls_text(st, 12)),
		    "called_at", sqlite3_column_type(st, 13) == SQLITE_NULL ? json_null() :
		    time_json(sqlite3_column_int64(st, 13))));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_err("calls: cannot list the people of event=%lld occurrence=%lld: %s",
		    (long long)e->id, (long long)o->key, db_errmsg(db));
		json_decref(people);
		return NULL;
	}
	return json_pack("{s:I, s:s, s:s, s:o, s:o}", "event_id", (json_int_t)e->id,
	    "title", e->title, "place", e->place ? e->place : "",
	    "session", event_occ_to_json(o), "people", people);
}

json_t *
calls_session_json(struct db *db, const struct event *e, const struct event_occ *o,
    int64_t now)
{
	return calls_session(db, e, o, now - CALLS_CALLED_RECENT, now);
}

/* A session's list, with its start for the order. */
struct calls_item {
	int64_t starts_at;
	json_t *list;
};

struct calls_items {
	struct calls_item *v;
	size_t n, cap;
};

/* Adds the lists of e's sessions in [from, to) to out; -1 on a database error. */
static int
calls_event(struct db *db, const struct event *e, int64_t from, int64_t to, int64_t now,
    struct calls_items *out)
{
	struct event_occ occ[CALLS_MAX_SESSIONS];
	json_t *s;
	int n, i;

	if ((n = events_occurrences(db, e, from, to, occ, CALLS_MAX_SESSIONS)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (occ[i].cancelled)
			continue;
		if ((s = calls_session(db, e, &occ[i], from, now)) == NULL)
			return -1;
		if (json_array_size(json_object_get(s, "people")) == 0) {
			json_decref(s);
			continue;
		}
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 16;
			if ((out->v = realloc(out->v, out->cap * sizeof(*out->v))) == NULL)
				fatal("calls: out of memory");
		}
		out->v[out->n].starts_at = occ[i].starts_at;
		out->v[out->n++].list = s;
	}
	return 0;
}

static int
calls_by_start(const void *a, const void *b)
{
	const struct calls_item *x = a, *y = b;

	return (x->starts_at > y->starts_at) - (x->starts_at < y->starts_at);
}

json_t *
calls_list_json(struct db *db, int64_t owner_id, int64_t from, int64_t to, int64_t now)
{
	size_t n, i;
	int64_t *ids = events_ids(db, owner_id, false, &n);
	struct calls_items items = { 0 };
	json_t *out = NULL;
	struct event e;
	struct error err = { 0 };
	int rc = 0;

	for (i = 0; rc == 0 && i < n; i++) {
		if (events_load(db, ids[i], &e, &err) == 0)
			rc = calls_event(db, &e, from, to, now, &items);
		event_clear(&e);
	}
	free(ids);
	if (rc == 0) {
		if (items.n > 1)
			qsort(items.v, items.n, sizeof(*items.v), calls_by_start);
		out = json_array();
	}
	for (i = 0; i < items.n; i++) {
		if (out)
			json_array_append_new(out, items.v[i].list);
		else
			json_decref(items.v[i].list);
	}
	free(items.v);
	return out;
}

/* Whether contact is in one of the sessions' lists as having called. */
static bool
calls_listed(json_t *sessions, json_int_t contact)
{
	json_t *s, *p;
	size_t i, k;

	json_array_foreach(sessions, i, s)
		json_array_foreach(json_object_get(s, "people"), k, p)
			if (json_integer_value(json_object_get(p, "contact_id")) == contact &&
			    json_is_string(json_object_get(p, "called_at")))
				return true;
	return false;
}

json_t *
calls_callers_json(struct db *db, int64_t since, json_t *sessions)
{
	DB_SQL(sql, "SELECT r.contact_id, c.first_name, c.last_name, r.from_number, "
	    "max(r.received_at), count(*), json_group_array(r.id), "
	    CALLS_NUMBERS_SQL("r.contact_id") " "
	    "FROM replies r LEFT JOIN contacts c ON c.id = r.contact_id "
	    "WHERE r.kind = 'call' AND r.handled = 0 AND r.received_at >= ?1 "
	    "AND (r.contact_id IS NOT NULL OR r.from_number <> '') "
	    "GROUP BY coalesce(r.contact_id, r.from_number) ORDER BY max(r.received_at) DESC "
	    "LIMIT 200");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *out, *numbers, *ids;
	int rc;

	if (st == NULL)
		return NULL;
	out = json_array();
	sqlite3_bind_int64(st, 1, since);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL &&
		    calls_listed(sessions, sqlite3_column_int64(st, 0)))
			continue;
		numbers = sqlite3_column_type(st, 0) == SQLITE_NULL ? NULL :
		    json_loads((const char *)sqlite3_column_text(st, 7), 0, NULL);
		if (numbers == NULL || json_array_size(numbers) == 0) {
			json_decref(numbers);
			numbers = json_pack("[{s:s, s:s, s:b}]", "number",
			    (const char *)sqlite3_column_text(st, 3), "label", "", "sms", 1);
		}
		ids = json_loads((const char *)sqlite3_column_text(st, 6), 0, NULL);
		json_array_append_new(out, json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:i, s:o}",
		    "contact_id", sqlite3_column_type(st, 0) == SQLITE_NULL ? json_null() :
		    json_integer(sqlite3_column_int64(st, 0)),
		    "first_name", calls_text(st, 1), "last_name", calls_text(st, 2),
		    "number", (const char *)sqlite3_column_text(st, 3), "numbers", numbers,
		    "called_at", time_json(sqlite3_column_int64(st, 4)),
		    "calls", sqlite3_column_int(st, 5), "reply_ids", ids ? ids : json_array()));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_err("calls: cannot list the people who called: %s", db_errmsg(db));
		json_decref(out);
		return NULL;
	}
	return out;
}

int
calls_record(struct db *db, const struct config *cfg, const struct event *e,
    const struct event_occ *o, int64_t contact_id, const char *outcome, const char *note,
    const struct audit_actor *actor, int64_t now, struct error *err)
{
	DB_SQL(sql, "INSERT INTO phone_calls (event_id, occurrence, contact_id, outcome, "
	    "note, by_user, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	static const char *const outcomes[] = { "yes", "no", "no_answer", "wrong_number", NULL };
	struct rsvp_change ch = { e->id, o->key, contact_id, RSVP_NONE, "phone", 0,
		actor->name };
	char details[128];
	bool told;
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; outcomes[i] && (outcome == NULL || strcmp(outcome, outcomes[i]) != 0); i++)
		;
	if (outcomes[i] == NULL)
		return error_set(err, ERR_INVALID, "invalid", "outcome", "Résultat de l'appel "
		    "inconnu (attendu : yes, no, no_answer ou wrong_number).");
	if (!events_invites(db, e->id, contact_id) && !rsvp_known(db, e->id, o->key, contact_id))
		return error_set(err, ERR_NOT_FOUND, "not_found", "contact_id",
		    "Ce contact n'est pas invité à cet atelier.");
	if (strcmp(outcome, "yes") == 0)
		ch.answer = RSVP_YES;
	else if (strcmp(outcome, "no") == 0)
		ch.answer = RSVP_NO;
	snprintf(details, sizeof(details), "{\"occurrence\":%lld,\"contact_id\":%lld,"
	    "\"outcome\":\"%s\"}", (long long)o->key, (long long)contact_id, outcomes[i]);
	if (db_txn_begin(db, err) < 0)
		return -1;
	rc = -1;
	if ((st = db_stmt(db, sql)) != NULL) {
		sqlite3_bind_int64(st, 1, e->id);
		sqlite3_bind_int64(st, 2, o->key);
		sqlite3_bind_int64(st, 3, contact_id);
		sqlite3_bind_text(st, 4, outcomes[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, note ? note : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, actor->name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 7, now);
		rc = db_step_done(db, st) < 0 ||
		    (strcmp(outcome, "no_answer") != 0 &&
		    replies_calls_returned(db, contact_id) < 0) ||
		    (ch.answer != RSVP_NONE && waitlist_answer(db, cfg, &ch, now, &told) < 0) ||
		    audit_record(db, actor, now, "call", "event", e->id, details) < 0 ? -1 : 0;
	}
	return db_txn_end(db, rc, err);
}
