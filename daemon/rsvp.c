/*
 * rsvp — answers and attendance per atelier session.  See rsvp.h.
 */
#include "rsvp.h"

#include <string.h>

#include "log.h"
#include "optout.h"
#include "timeutil.h"

#define RSVP_LOOK 64	/* sessions looked at to find the current one */

/*
 * SQL, for the row r of rsvps of contact c: a reply about the session that
 * came after the answer, that no one has read yet and that the router did
 * not take for a yes or a no (« Finalement non » after an OUI): to check.
 */
#define RSVP_SQL_TO_CHECK "(r.answer IN ('yes', 'no') AND EXISTS (SELECT 1 FROM replies x " \
	"WHERE x.contact_id = c.id AND x.event_id = ?1 AND x.event_occurrence = ?2 AND " \
	"x.handled = 0 AND x.intent = 'other' AND x.received_at >= r.answered_at))"
/* SQL: c gave the other answer before the one r holds (NON then OUI): changed their mind. */
#define RSVP_SQL_CHANGED "(r.answer IN ('yes', 'no') AND EXISTS (SELECT 1 FROM rsvp_history h " \
	"WHERE h.event_id = ?1 AND h.occurrence = ?2 AND h.contact_id = c.id AND " \
	"h.answer IN ('yes', 'no') AND h.answer <> r.answer))"

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

/*
 * sql ready to run, with ?1 bound to event_id, ?2 to the session key and,
 * when contact_id is not 0, ?3 to it; NULL on error.
 */
static sqlite3_stmt *
rsvp_stmt(struct db *db, const struct db_sql *sql, int64_t event_id, int64_t key,
    int64_t contact_id)
{
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, key);
	if (contact_id)
		sqlite3_bind_int64(st, 3, contact_id);
	return st;
}

/* Appends one line to rsvp_history (step NULL for a plain answer). */
static int
rsvp_log(struct db *db, int64_t event_id, int64_t key, int64_t contact_id,
    enum rsvp_answer answer, const char *via, int64_t reply_id, const char *by,
    const char *step, int64_t now)
{
	DB_SQL(sql, "INSERT INTO rsvp_history (event_id, occurrence, contact_id, answer, via, "
	    "reply_id, by_user, at, step) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *st = rsvp_stmt(db, sql, event_id, key, contact_id);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 4, rsvp_names[answer], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, via, -1, SQLITE_STATIC);
	if (reply_id)
		sqlite3_bind_int64(st, 6, reply_id);
	sqlite3_bind_text(st, 7, by ? by : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, now);
	db_bind_text_or_null(st, 9, step);
	return db_step_done(db, st);
}

/*
 * Writes contact's answer with its place on the waiting list (waiting
 * since, 0: none; any offer ends), and appends it to the history with
 * step (NULL for a plain answer).
 */
static int
rsvp_write(struct db *db, int64_t event_id, int64_t key, int64_t contact_id,
    enum rsvp_answer answer, const char *via, int64_t reply_id, const char *by,
    int64_t waiting_since, const char *step, int64_t now)
{
	DB_SQL(sql_set, "INSERT INTO rsvps (event_id, occurrence, contact_id, "
	    "answer, answered_at, via, reply_id, waiting_since) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8) ON CONFLICT (event_id, occurrence, contact_id) DO UPDATE SET "
	    "answer = ?4, answered_at = ?5, via = ?6, reply_id = ?7, waiting_since = ?8, "
	    "offered_until = NULL");
	sqlite3_stmt *st = rsvp_stmt(db, sql_set, event_id, key, contact_id);

	if (st == NULL)
		return -1;
	if (answer != RSVP_NONE) {
		sqlite3_bind_text(st, 4, rsvp_names[answer], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, now);
		sqlite3_bind_text(st, 6, via, -1, SQLITE_STATIC);
	}
	if (reply_id)
		sqlite3_bind_int64(st, 7, reply_id);
	db_bind_int_or_null(st, 8, waiting_since);
	if (db_step_done(db, st) < 0 ||
	    rsvp_log(db, event_id, key, contact_id, answer, via, reply_id, by, step, now) < 0)
		return -1;
	log_info("rsvp: event=%lld occurrence=%lld contact=%lld answer=%s via=%s%s%s",
	    (long long)event_id, (long long)key, (long long)contact_id, rsvp_names[answer], via,
	    step ? " step=" : "", step ? step : "");
	return 0;
}

int
rsvp_set_answer(struct db *db, int64_t event_id, int64_t key, int64_t contact_id,
    enum rsvp_answer answer, const char *via, int64_t reply_id, const char *by,
    int64_t now)
{
	return rsvp_write(db, event_id, key, contact_id, answer, via, reply_id, by, 0, NULL,
	    now);
}

/* Places taken in session key of event_id: confirmed yes and offers open; -1. */
static int
rsvp_taken(struct db *db, int64_t event_id, int64_t key)
{
	DB_SQL(sql, "SELECT count(*) FROM rsvps WHERE event_id = ?1 AND occurrence = ?2 AND "
	    "((answer = 'yes' AND waiting_since IS NULL) OR offered_until IS NOT NULL)");
	return (int)db_step_int(rsvp_stmt(db, sql, event_id, key, 0), -1);
}

/* contact's row: answer, waiting since and offer end (0 when none).  1, 0 without a row, -1. */
static int
rsvp_current(struct db *db, int64_t event_id, int64_t key, int64_t contact_id,
    enum rsvp_answer *answer, int64_t *waiting_since, int64_t *offered_until)
{
	DB_SQL(sql, "SELECT answer, ifnull(waiting_since, 0), ifnull(offered_until, 0) "
	    "FROM rsvps WHERE event_id = ? AND occurrence = ? AND contact_id = ?");
	sqlite3_stmt *st = rsvp_stmt(db, sql, event_id, key, contact_id);
	int rc;

	*answer = RSVP_NONE;
	*waiting_since = *offered_until = 0;
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (rsvp_answer_parse((const char *)sqlite3_column_text(st, 0), answer) < 0)
			*answer = RSVP_NONE;
		*waiting_since = sqlite3_column_int64(st, 1);
		*offered_until = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
rsvp_answer(struct db *db, const struct rsvp_change *ch, int capacity, int64_t now,
    enum rsvp_place *place)
{
	enum rsvp_answer was;
	int64_t waiting, offered;
	int taken;
	bool held;

	*place = RSVP_PLACE_NONE;
	if (rsvp_current(db, ch->event_id, ch->key, ch->contact_id, &was, &waiting,
	    &offered) < 0)
		return -1;
	held = (was == RSVP_YES && waiting == 0) || offered != 0;
	if (ch->answer != RSVP_YES) {
		*place = held ? RSVP_PLACE_FREED : RSVP_PLACE_NONE;
		return rsvp_write(db, ch->event_id, ch->key, ch->contact_id, ch->answer, ch->via,
		    ch->reply_id, ch->by, 0, NULL, now);
	}
	if (offered) {
		*place = RSVP_PLACE_OFFER_TAKEN;
		return rsvp_write(db, ch->event_id, ch->key, ch->contact_id, RSVP_YES, ch->via,
		    ch->reply_id, ch->by, 0, "placed", now);
	}
	if (waiting == 0 && !held) {
		if ((taken = rsvp_taken(db, ch->event_id, ch->key)) < 0)
			return -1;
		if (capacity > 0 && taken >= capacity)
			waiting = now;
	}
	if (waiting)
		*place = RSVP_PLACE_WAITING;
	return rsvp_write(db, ch->event_id, ch->key, ch->contact_id, RSVP_YES, ch->via,
	    ch->reply_id, ch->by, waiting, waiting ? "waiting" : NULL, now);
}

int
rsvp_waiting_next(struct db *db, int64_t event_id, int64_t key, int capacity,
    int64_t *contact_id)
{
	DB_SQL(sql, "SELECT r.contact_id FROM rsvps r "
	    "WHERE r.event_id = ?1 AND r.occurrence = ?2 AND r.answer = 'yes' AND "
	    "r.waiting_since IS NOT NULL AND r.offered_until IS NULL "
	    "ORDER BY r.waiting_since, r.answered_at, r.contact_id "
	    "LIMIT 1");
	sqlite3_stmt *st;
	int taken, rc;

	*contact_id = 0;
	if (capacity <= 0)
		return 0;
	if ((taken = rsvp_taken(db, event_id, key)) < 0)
		return -1;
	if (taken >= capacity)
		return 0;
	if ((st = rsvp_stmt(db, sql, event_id, key, 0)) == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*contact_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
rsvp_offer(struct db *db, int64_t event_id, int64_t key, int64_t contact_id, int64_t until,
    int64_t now)
{
	DB_SQL(sql, "UPDATE rsvps SET offered_until = ?4 WHERE event_id = ?1 AND "
	    "occurrence = ?2 AND contact_id = ?3 AND waiting_since IS NOT NULL");
	sqlite3_stmt *st = rsvp_stmt(db, sql, event_id, key, contact_id);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 4, until);
	if (db_step_done(db, st) < 0 || sqlite3_changes(db_handle(db)) != 1)
		return -1;
	log_info("rsvp: event=%lld occurrence=%lld contact=%lld step=offered until=%lld",
	    (long long)event_id, (long long)key, (long long)contact_id, (long long)until);
	return rsvp_log(db, event_id, key, contact_id, RSVP_YES, "sms", 0, "system", "offered",
	    now);
}

int
rsvp_leave_waiting(struct db *db, int64_t event_id, int64_t key, int64_t contact_id,
    const char *step, int64_t now)
{
	return rsvp_write(db, event_id, key, contact_id, RSVP_NONE, "sms", 0, "system", 0, step,
	    now);
}

/*
 * Runs sql with ?1 bound to arg and ?2 to max into out: its rows are
 * (event_id, occurrence[, contact_id]).  How many, or -1.
 */
static int
rsvp_seats(struct db *db, const struct db_sql *sql, int64_t arg, struct rsvp_seat *out,
    int max)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	int n = 0, rc = SQLITE_DONE;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, arg);
	sqlite3_bind_int(st, 2, max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		out[n].event_id = sqlite3_column_int64(st, 0);
		out[n].key = sqlite3_column_int64(st, 1);
		out[n].contact_id = sqlite3_column_count(st) > 2 ? sqlite3_column_int64(st, 2) : 0;
		n++;
	}
	if (n < max && rc != SQLITE_DONE)
		n = -1;
	sqlite3_reset(st);
	return n;
}

int
rsvp_offers_ended(struct db *db, int64_t now, struct rsvp_seat *out, int max)
{
	DB_SQL(sql, "SELECT event_id, occurrence, contact_id FROM rsvps INDEXED BY "
	    "rsvps_offers WHERE offered_until IS NOT NULL AND offered_until <= ?1 "
	    "ORDER BY offered_until LIMIT ?2");

	return rsvp_seats(db, sql, now, out, max);
}

int
rsvp_sessions_waiting(struct db *db, int64_t from_key, struct rsvp_seat *out, int max)
{
	DB_SQL(sql, "SELECT DISTINCT event_id, occurrence FROM rsvps INDEXED BY rsvps_waiting "
	    "WHERE waiting_since IS NOT NULL AND offered_until IS NULL AND occurrence >= ?1 "
	    "ORDER BY occurrence, event_id LIMIT ?2");

	return rsvp_seats(db, sql, from_key, out, max);
}

int64_t
rsvp_next_offer_end(struct db *db)
{
	DB_SQL(sql, "SELECT ifnull(min(offered_until), 0) FROM rsvps INDEXED BY rsvps_offers "
	    "WHERE offered_until IS NOT NULL");
	return db_step_int(db_stmt(db, sql), 0);
}

int
rsvp_set_present(struct db *db, int64_t event_id, int64_t key, int64_t contact_id,
    int present, int64_t now)
{
	DB_SQL(sql, "INSERT INTO rsvps (event_id, occurrence, contact_id, "
	    "present, present_at) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (event_id, occurrence, contact_id) DO UPDATE SET present = ?4, "
	    "present_at = ?5");
	sqlite3_stmt *st = rsvp_stmt(db, sql, event_id, key, contact_id);

	if (st == NULL)
		return -1;
	if (present >= 0) {
		sqlite3_bind_int(st, 4, present);
		sqlite3_bind_int64(st, 5, now);
	}
	return db_step_done(db, st);
}

/* True when sql, bound to (event_id, key, contact_id), finds a row. */
static bool
rsvp_exists(struct db *db, const struct db_sql *sql, int64_t event_id, int64_t key,
    int64_t contact_id)
{
	sqlite3_stmt *st = rsvp_stmt(db, sql, event_id, key, contact_id);
	bool yes;

	if (st == NULL)
		return false;
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

bool
rsvp_known(struct db *db, int64_t event_id, int64_t key, int64_t contact_id)
{
	DB_SQL(sql, "SELECT 1 FROM rsvps WHERE event_id = ? AND occurrence = ? "
	    "AND contact_id = ? UNION ALL SELECT 1 FROM messages WHERE event_id = ?1 AND "
	    "event_occurrence = ?2 AND contact_id = ?3");

	return rsvp_exists(db, sql, event_id, key, contact_id);
}

bool
rsvp_said_no(struct db *db, int64_t event_id, int64_t key, int64_t contact_id)
{
	DB_SQL(sql, "SELECT 1 FROM rsvps WHERE event_id = ? AND occurrence = ? "
	    "AND contact_id = ? AND answer = 'no'");

	return rsvp_exists(db, sql, event_id, key, contact_id);
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

/* Places left of capacity with taken ones taken (never below 0). */
static json_int_t
rsvp_left(int capacity, size_t taken)
{
	return (size_t)capacity > taken ? (json_int_t)((size_t)capacity - taken) : 0;
}

json_t *
rsvp_session_json(struct db *db, const struct event *e, const struct event_occ *o)
{
	DB_SQL(sql, RSVP_PEOPLE "SELECT c.id, c.first_name, c.last_name, (SELECT number FROM contact_phones p "
	    "WHERE p.contact_id = c.id ORDER BY position LIMIT 1), r.answer, r.answered_at, "
	    "r.via, r.present, (SELECT status FROM messages m WHERE m.event_id = ?1 AND "
	    "m.event_occurrence = ?2 AND m.contact_id = c.id ORDER BY m.id DESC LIMIT 1), "
	    "EXISTS (SELECT 1 FROM messages m WHERE m.event_id = ?1 AND m.event_occurrence = ?2 "
	    "AND m.contact_id = c.id AND m.status = 'delivered'), r.waiting_since, "
	    "r.offered_until, c.opted_out_at IS NOT NULL OR " OPTOUT_SQL_IS_OUT("(SELECT number "
	    "FROM contact_phones p WHERE p.contact_id = c.id ORDER BY position LIMIT 1)") ", "
	    "EXISTS (SELECT 1 FROM contact_phones p WHERE p.contact_id = c.id AND p.sms = 1), "
	    RSVP_SQL_TO_CHECK ", " RSVP_SQL_CHANGED " "
	    "FROM people JOIN contacts c ON c.id = people.id LEFT JOIN rsvps r ON "
	    "r.event_id = ?1 AND r.occurrence = ?2 AND r.contact_id = c.id "
	    "ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE, c.id");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *people = json_array();
	size_t invited = 0, delivered = 0, yes = 0, no = 0, present = 0, waiting = 0,
	    offered = 0;
	const char *answer;
	bool waits;

	if (st) {
		sqlite3_bind_int64(st, 1, e->id);
		sqlite3_bind_int64(st, 2, o->key);
		while (sqlite3_step(st) == SQLITE_ROW) {
			answer = (const char *)sqlite3_column_text(st, 4);
			waits = sqlite3_column_type(st, 10) != SQLITE_NULL;
			invited++;
			delivered += sqlite3_column_int(st, 9) != 0;
			waiting += waits;
			offered += sqlite3_column_type(st, 11) != SQLITE_NULL;
			yes += answer && strcmp(answer, "yes") == 0 && !waits;
			no += answer && strcmp(answer, "no") == 0;
			present += sqlite3_column_int(st, 7) == 1;
			json_array_append_new(people, json_pack("{s:I, s:s, s:s, s:o, s:s, s:o, "
			    "s:o, s:o, s:o, s:b, s:o, s:o, s:b, s:b, s:o}",
			    "contact_id", (json_int_t)sqlite3_column_int64(st, 0),
			    "first_name", sqlite3_column_text(st, 1),
			    "last_name", sqlite3_column_text(st, 2),
			    "phone", rsvp_text_or_null(st, 3),
			    "answer", answer ? answer : "none",
			    "at", time_json(sqlite3_column_int64(st, 5)),
			    "via", rsvp_text_or_null(st, 6),
			    "present", sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null() :
			    json_boolean(sqlite3_column_int(st, 7)),
			    "message_status", rsvp_text_or_null(st, 8),
			    "waiting", waits,
			    "waiting_since", time_json(sqlite3_column_int64(st, 10)),
			    "offered_until", time_json(sqlite3_column_int64(st, 11)),
			    "opted_out", sqlite3_column_int(st, 12) != 0,
			    "mobile", sqlite3_column_int(st, 13) != 0,
			    "mark", sqlite3_column_int(st, 14) ? json_string("check") :
			    sqlite3_column_int(st, 15) ? json_string("changed") : json_null()));
		}
		sqlite3_reset(st);
	}
	return json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}, s:o}",
	    "session", event_occ_to_json(o),
	    "counts", "invited", (json_int_t)invited, "delivered", (json_int_t)delivered,
	    "yes", (json_int_t)yes, "no", (json_int_t)no,
	    "none", (json_int_t)(invited - yes - no - waiting), "present", (json_int_t)present,
	    "waiting", (json_int_t)waiting,
	    "capacity", e->capacity > 0 ? json_integer(e->capacity) : json_null(),
	    "places_left", e->capacity > 0 ? json_integer(rsvp_left(e->capacity,
	    yes + offered)) :
	    json_null(),
	    "rsvps", people);
}

int64_t *
rsvp_unanswered(struct db *db, int64_t event_id, int64_t key, size_t *n)
{
	DB_SQL(sql, RSVP_PEOPLE "SELECT c.id FROM people JOIN contacts c ON c.id = people.id "
	    "LEFT JOIN rsvps r ON r.event_id = ?1 AND r.occurrence = ?2 AND "
	    "r.contact_id = c.id WHERE r.answer IS NULL "
	    "ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE, c.id");
	sqlite3_stmt *st = rsvp_stmt(db, sql, event_id, key, 0);

	*n = 0;
	if (st == NULL)
		return NULL;
	return db_collect_ids(st, n);
}

int
rsvp_counts(struct db *db, int64_t event_id, int64_t key, struct rsvp_counts *c)
{
	DB_SQL(sql, RSVP_PEOPLE "SELECT count(*), "
	    "total(EXISTS (SELECT 1 FROM messages m WHERE m.event_id = ?1 AND "
	    "m.event_occurrence = ?2 AND m.contact_id = people.id AND m.status = 'delivered')), "
	    "total(r.answer = 'yes' AND r.waiting_since IS NULL), total(r.answer = 'no'), "
	    "total(r.present = 1), total(r.waiting_since IS NOT NULL), "
	    "total(r.offered_until IS NOT NULL) "
	    "FROM people JOIN contacts c ON c.id = people.id LEFT JOIN rsvps r ON "
	    "r.event_id = ?1 AND r.occurrence = ?2 AND r.contact_id = people.id");
	sqlite3_stmt *st = rsvp_stmt(db, sql, event_id, key, 0);
	int rc;

	memset(c, 0, sizeof(*c));
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c->invited = sqlite3_column_int(st, 0);
		c->delivered = sqlite3_column_int(st, 1);
		c->yes = sqlite3_column_int(st, 2);
		c->no = sqlite3_column_int(st, 3);
		c->present = sqlite3_column_int(st, 4);
		c->waiting = sqlite3_column_int(st, 5);
		c->offered = sqlite3_column_int(st, 6);
		c->none = c->invited - c->yes - c->no - c->waiting;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}
