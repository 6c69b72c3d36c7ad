/*
 * api_contact_history — GET /api/v1/contacts/{id}/history: what a
 * contact was sent and answered, and the atelier sessions they were
 * invited to, answered or came to; the most recent first (docs/api.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "contacts.h"
#include "events.h"
#include "timeutil.h"


/* Messages and replies of contact id merged, newest first (a reply before the message of its second). */
static json_t *
api_history_items(struct db *db, int64_t id)
{
	DB_SQL(sql, "SELECT 'message', m.id, coalesce(m.sent_at, m.queued_at), m.body, "
	    "m.status, m.to_number, m.campaign_id, c.name, 0 FROM messages m "
	    "LEFT JOIN campaigns c ON c.id = m.campaign_id WHERE m.contact_id = ?1 "
	    "UNION ALL SELECT CASE kind WHEN 'call' THEN 'call' ELSE 'reply' END, id, "
	    "received_at, body, intent, from_number, NULL, NULL, 1 FROM replies "
	    "WHERE contact_id = ?1 ORDER BY 3 DESC, 9 DESC, 2 DESC LIMIT 200");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *list = json_array();
	bool message;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		message = strcmp((const char *)sqlite3_column_text(st, 0), "message") == 0;
		json_array_append_new(list, json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
		    "kind", sqlite3_column_text(st, 0),
		    "id", (json_int_t)sqlite3_column_int64(st, 1),
		    "at", api_time_or_null(st, 2),
		    "body", api_text_or_null(st, 3),
		    message ? "status" : "intent", api_text_or_null(st, 4),
		    "number", api_text_or_null(st, 5),
		    "campaign_id", api_int_or_null(st, 6),
		    "campaign_name", api_text_or_null(st, 7)));
	}
	sqlite3_reset(st);
	return list;
}

/* One session row as JSON, with its start (moved or not). */
static json_t *
api_history_session(struct db *db, sqlite3_stmt *st)
{
	struct event e = { 0 };
	struct event_occ o = { 0 };
	struct error err = { 0 };
	int64_t key = sqlite3_column_int64(st, 2);
	json_t *j;

	if (events_load(db, sqlite3_column_int64(st, 0), &e, &err) < 0 ||
	    events_occurrence_get(db, &e, key, &o, &err) < 0)
		o.starts_at = 0;
	event_clear(&e);
	j = json_pack("{s:I, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "event_id", (json_int_t)sqlite3_column_int64(st, 0),
	    "title", sqlite3_column_text(st, 1),
	    "occurrence", (json_int_t)key,
	    "starts_at", o.starts_at ? time_json(o.starts_at) : json_null(),
	    "invited_at", api_time_or_null(st, 3),
	    "answer", api_text_or_null(st, 4),
	    "answered_at", api_time_or_null(st, 5),
	    "via", api_text_or_null(st, 6),
	    "present", sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null() :
	    json_boolean(sqlite3_column_int(st, 7)));
	return j;
}

/* The sessions of contact id: invited (a message about it), answered or marked. */
static json_t *
api_history_sessions(struct db *db, int64_t id)
{
	DB_SQL(sql, "SELECT s.event_id, e.title, s.occ, min(s.invited_at), r.answer, "
	    "r.answered_at, r.via, r.present FROM (SELECT event_id, event_occurrence AS occ, "
	    "queued_at AS invited_at FROM messages WHERE contact_id = ?1 AND event_id IS NOT NULL "
	    "AND event_occurrence IS NOT NULL UNION ALL SELECT event_id, occurrence, NULL "
	    "FROM rsvps WHERE contact_id = ?1) s JOIN events e ON e.id = s.event_id "
	    "LEFT JOIN rsvps r ON r.event_id = s.event_id AND r.occurrence = s.occ AND "
	    "r.contact_id = ?1 GROUP BY s.event_id, s.occ ORDER BY s.occ DESC LIMIT 100");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *list = json_array();

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, api_history_session(db, st));
	sqlite3_reset(st);
	return list;
}

int
api_contacts_history(struct http_req *req)
{
	struct contact c;
	struct error err = { 0 };
	json_t *items, *sessions;

	if (contacts_load(req->app->db, req->ids[0], &c, &err) < 0)
		return http_reply_error(req, &err);
	contact_clear(&c);
	items = api_history_items(req->app->db, req->ids[0]);
	sessions = api_history_sessions(req->app->db, req->ids[0]);
	if (items == NULL || sessions == NULL) {
		json_decref(items);
		json_decref(sessions);
		return http_reply_kind(req, ERR_DB);
	}
	return http_reply_json(req, 200, json_pack("{s:o, s:o}", "items", items,
	    "sessions", sessions));
}
