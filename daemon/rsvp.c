/*
 * rsvp — answers and attendance per atelier session.  See rsvp.h.
 */
#include "rsvp.h"

#include <string.h>

#include "log.h"
#include "timeutil.h"

#define RSVP_LOOK 64	/* sessions looked at to find the current one */

/* The people of session ?2 of atelier ?1: invitees, anyone written to or answering. */
static const char *const rsvp_names[] = {
	[RSVP_NONE] = "none",
	[RSVP_YES] = "yes",
	[RSVP_NO] = "no",
};

const char *
rsvp_answer_name(enum rsvp_answer a)
{
	return rsvp_names[a];
}

int
rsvp_answer_parse(const char *s, enum rsvp_answer *a)
{
	size_t i;

	for (i = 0; s && i < sizeof(rsvp_names) / sizeof(rsvp_names[0]); i++)
		if (strcmp(s, rsvp_names[i]) == 0) {
			*a = (enum rsvp_answer)i;
			return 0;
		}
	return -1;
}

int
rsvp_set_answer(struct db *db, int64_t event_id, int64_t key, int64_t contact_id,
    enum rsvp_answer answer, const char *via, int64_t reply_id, const char *by,
    int64_t now)
{
	DB_SQL(sql_set, "INSERT INTO rsvps (event_id, occurrence, contact_id, "
	    "answer, answered_at, via, reply_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	    "ON CONFLICT (event_id, occurrence, contact_id) DO UPDATE SET answer = ?4, "
	    "answered_at = ?5, via = ?6, reply_id = ?7");
	DB_SQL(sql_log, "INSERT INTO rsvp_history (event_id, occurrence, "
	    "contact_id, answer, via, reply_id, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *st = db_stmt(db, sql_set);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, key);
	sqlite3_bind_int64(st, 3, contact_id);
	if (answer != RSVP_NONE) {
		sqlite3_bind_text(st, 4, rsvp_names[answer], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, now);
		sqlite3_bind_text(st, 6, via, -1, SQLITE_STATIC);
	}
	if (reply_id)
		sqlite3_bind_int64(st, 7, reply_id);
	if (db_step_done(db, st) < 0 || (st = db_stmt(db, sql_log)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, key);
	sqlite3_bind_int64(st, 3, contact_id);
	sqlite3_bind_text(st, 4, rsvp_names[answer], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, via, -1, SQLITE_STATIC);
	if (reply_id)
		sqlite3_bind_int64(st, 6, reply_id);
	sqlite3_bind_text(st, 7, by ? by : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, now);
	if (db_step_done(db, st) < 0)
		return -1;
	log_info("rsvp: event=%lld occurrence=%lld contact=%lld answer=%s via=%s",
	    (long long)event_id, (long long)key, (long long)contact_id, rsvp_names[answer], via);
	return 0;
}

int
rsvp_set_present(struct db *db, int64_t event_id, int64_t key, int64_t contact_id,
    int present, int64_t now)
{
	DB_SQL(sql, "INSERT INTO rsvps (event_id, occurrence, contact_id, "
	    "present, present_at) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (event_id, occurrence, contact_id) DO UPDATE SET present = ?4, "
	    "present_at = ?5");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, key);
	sqlite3_bind_int64(st, 3, contact_id);
	if (present >= 0) {
		sqlite3_bind_int(st, 4, present);
		sqlite3_bind_int64(st, 5, now);
	}
	return db_step_done(db, st);
}

bool
rsvp_known(struct db *db, int64_t event_id, int64_t key, int64_t contact_id)
{
	DB_SQL(sql, "SELECT 1 FROM rsvps WHERE event_id = ? AND occurrence = ? "
	    "AND contact_id = ? UNION ALL SELECT 1 FROM messages WHERE event_id = ?1 AND "
	    "event_occurrence = ?2 AND contact_id = ?3");
	sqlite3_stmt *st = db_stmt(db, sql);
	bool yes;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, key);
	sqlite3_bind_int64(st, 3, contact_id);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

int
rsvp_session(struct db *db, const struct event *e, int64_t key, int64_t now,
    struct event_occ *out)
{
	struct event_occ occ[RSVP_LOOK];
	struct error err;
	int64_t span = 5 * 366 * 24 * 3600;
	int n, i;

	if (key)
		return events_occurrence_get(db, e, key, out, &err);
	/* the session in progress or the next one */
	n = events_occurrences(db, e, now - (e->ends_at - e->starts_at), now + span, occ,
	    RSVP_LOOK);
	for (i = 0; i < n; i++)
		if (!occ[i].cancelled && occ[i].ends_at > now) {
			*out = occ[i];
			return 0;
		}
	/* else the last one (of the last three months, or of the last five years) */
	n = events_occurrences(db, e, now - 92 * 24 * 3600, now, occ, RSVP_LOOK);
	if (n == 0)
		n = events_occurrences(db, e, now - span, now, occ, RSVP_LOOK);
	if (n <= 0)
		return -1;
	*out = occ[n - 1];
	return 0;
}

static json_t *
rsvp_text_or_null(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	return json_string((const char *)sqlite3_column_text(st, i));
}

json_t *
rsvp_session_json(struct db *db, const struct event *e, const struct event_occ *o)
{
	DB_SQL(sql, RSVP_PEOPLE "SELECT c.id, c.first_name, c.last_name, (SELECT number FROM contact_phones p "
	    "WHERE p.contact_id = c.id ORDER BY position LIMIT 1), r.answer, r.answered_at, "
	    "r.via, r.present, (SELECT status FROM messages m WHERE m.event_id = ?1 AND "
	    "m.event_occurrence = ?2 AND m.contact_id = c.id ORDER BY m.id DESC LIMIT 1), "
	    "EXISTS (SELECT 1 FROM messages m WHERE m.event_id = ?1 AND m.event_occurrence = ?2 "
	    "AND m.contact_id = c.id AND m.status = 'delivered') "
	    "FROM people JOIN contacts c ON c.id = people.id LEFT JOIN rsvps r ON "
	    "r.event_id = ?1 AND r.occurrence = ?2 AND r.contact_id = c.id "
	    "ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE, c.id");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *people = json_array();
	size_t invited = 0, delivered = 0, yes = 0, no = 0, present = 0;
	const char *answer;

	if (st) {
		sqlite3_bind_int64(st, 1, e->id);
		sqlite3_bind_int64(st, 2, o->key);
		while (sqlite3_step(st) == SQLITE_ROW) {
			answer = (const char *)sqlite3_column_text(st, 4);
			invited++;
			delivered += sqlite3_column_int(st, 9) != 0;
			yes += answer && strcmp(answer, "yes") == 0;
			no += answer && strcmp(answer, "no") == 0;
			present += sqlite3_column_int(st, 7) == 1;
			json_array_append_new(people, json_pack("{s:I, s:s, s:s, s:o, s:s, s:o, "
			    "s:o, s:o, s:o}",
			    "contact_id", (json_int_t)sqlite3_column_int64(st, 0),
			    "first_name", sqlite3_column_text(st, 1),
			    "last_name", sqlite3_column_text(st, 2),
			    "phone", rsvp_text_or_null(st, 3),
			    "answer", answer ? answer : "none",
			    "at", time_json(sqlite3_column_int64(st, 5)),
			    "via", rsvp_text_or_null(st, 6),
			    "present", sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null() :
			    json_boolean(sqlite3_column_int(st, 7)),
			    "message_status", rsvp_text_or_null(st, 8)));
		}
		sqlite3_reset(st);
	}
	return json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:o}",
	    "session", event_occ_to_json(o),
	    "counts", "invited", (json_int_t)invited, "delivered", (json_int_t)delivered,
	    "yes", (json_int_t)yes, "no", (json_int_t)no,
	    "none", (json_int_t)(invited - yes - no), "present", (json_int_t)present,
	    "rsvps", people);
}

int
rsvp_counts(struct db *db, int64_t event_id, int64_t key, struct rsvp_counts *c)
{
	DB_SQL(sql, RSVP_PEOPLE "SELECT count(*), "
	    "total(EXISTS (SELECT 1 FROM messages m WHERE m.event_id = ?1 AND "
	    "m.event_occurrence = ?2 AND m.contact_id = people.id AND m.status = 'delivered')), "
	    "total(r.answer = 'yes'), total(r.answer = 'no'), total(r.present = 1) "
	    "FROM people JOIN contacts c ON c.id = people.id LEFT JOIN rsvps r ON "
	    "r.event_id = ?1 AND r.occurrence = ?2 AND r.contact_id = people.id");
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	memset(c, 0, sizeof(*c));
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, key);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c->invited = sqlite3_column_int(st, 0);
		c->delivered = sqlite3_column_int(st, 1);
		c->yes = sqlite3_column_int(st, 2);
		c->no = sqlite3_column_int(st, 3);
		c->present = sqlite3_column_int(st, 4);
		c->none = c->invited - c->yes - c->no;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}
