/*
 * calendar — the ateliers' iCalendar feeds and their secret links.  See
 * calendar.h.  The VCALENDAR is built with libical (icalcomponent), which
 * escapes text and folds lines as RFC 5545 says.
 */
#include "calendar.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "events.h"
#include "log.h"
#include "timeutil.h"

#define CALENDAR_DAY 86400

/* Binds event_id (0: every atelier) and reads its link into out; true when found. */
static bool
calendar_link_read(struct db *db, int64_t event_id, struct calendar_link *out)
{
	DB_SQL(sql, "SELECT secret, created_at FROM calendar_links "
	    "WHERE ifnull(event_id, 0) = ?1");
	sqlite3_stmt *st = db_stmt(db, sql);
	bool found = false;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, event_id);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 0) == AUTH_TOKEN_LEN) {
		out->event_id = event_id;
		memcpy(out->secret, sqlite3_column_text(st, 0), AUTH_TOKEN_LEN + 1);
		out->created_at = sqlite3_column_int64(st, 1);
		found = true;
	}
	sqlite3_reset(st);
	return found;
}

/* Writes a new secret for event_id's link, replacing the one it had; 0 or -1. */
static int
calendar_link_write(struct db *db, int64_t event_id, const char *login, int64_t now,
    struct calendar_link *out)
{
	DB_SQL(sql_del, "DELETE FROM calendar_links WHERE ifnull(event_id, 0) = ?1");
	DB_SQL(sql_add, "INSERT INTO calendar_links (event_id, secret, created_at, "
	    "created_by) VALUES (?1, ?2, ?3, ?4)");
	sqlite3_stmt *st;

	memset(out, 0, sizeof(*out));
	out->event_id = event_id;
	out->created_at = now;
	auth_random_token(out->secret);
	if ((st = db_stmt(db, sql_del)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	if (db_step_done(db, st) < 0 || (st = db_stmt(db, sql_add)) == NULL)
		return -1;
	db_bind_int_or_null(st, 1, event_id);
	sqlite3_bind_text(st, 2, out->secret, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, login, -1, SQLITE_STATIC);
	return db_step_done(db, st);
}

int
calendar_link_get(struct db *db, int64_t event_id, const char *login, int64_t now,
    struct calendar_link *out, struct error *err)
{
	if (calendar_link_read(db, event_id, out))
		return 0;
	if (calendar_link_write(db, event_id, login, now, out) < 0)
		return error_fail(err, ERR_DB);
	log_info("calendar: link made event=%lld by=%s", (long long)event_id, login);
	return 0;
}

int
calendar_link_renew(struct db *db, int64_t event_id, const struct audit_actor *actor,
    int64_t now, struct calendar_link *out, struct error *err)
{
	bool nested;
	int rc;

	if (db_begin_nested(db, "calendar_renew", &nested) < 0)
		return error_fail(err, ERR_DB);
	rc = calendar_link_write(db, event_id, actor->name, now, out) < 0 ||
	    audit_record(db, actor, now, "renew", "calendar", event_id, NULL) < 0 ? -1 : 0;
	if (db_end_nested(db, "calendar_renew", nested, rc == 0) < 0)
		return error_fail(err, ERR_DB);
	log_info("calendar: link renewed event=%lld by=%s", (long long)event_id, actor->name);
	return 0;
}

json_t *
calendar_link_json(const struct calendar_link *link)
{
	char path[128];

	if (link->event_id)
		snprintf(path, sizeof(path), "/api/v1/events/%lld/calendar.ics?key=%s",
		    (long long)link->event_id, link->secret);
	else
		snprintf(path, sizeof(path), "/api/v1/calendar.ics?key=%s", link->secret);
	return json_pack("{s:o, s:s, s:o}", "event_id", link->event_id ?
	    json_integer(link->event_id) : json_null(), "path", path,
	    "created_at", time_json(link->created_at));
}

/* Makes the missing links of the ateliers owned by owner_id (0: all); 0 or -1. */
static int
calendar_links_fill(struct db *db, int64_t owner_id, const char *login, int64_t now)
{
	DB_SQL(sql, "SELECT e.id FROM events e LEFT JOIN calendar_links l "
	    "ON l.event_id = e.id WHERE e.cancelled_at IS NULL AND l.id IS NULL "
	    "AND (?1 = 0 OR e.owner_id = ?1)");
	struct calendar_link link;
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t *ids;
	size_t i, n;
	bool nested;
	int rc = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, owner_id);
	if ((ids = db_collect_ids(st, &n)) == NULL)
		return -1;
	if (n > 0 && db_begin_nested(db, "calendar_links", &nested) < 0)
		rc = -1;
	else if (n > 0) {
		for (i = 0; i < n && rc == 0; i++)
			rc = calendar_link_write(db, ids[i], login, now, &link);
		rc = db_end_nested(db, "calendar_links", nested, rc == 0);
	}
	free(ids);
	return rc;
}

json_t *
calendar_links_json(struct db *db, int64_t owner_id, const char *login, int64_t now,
    struct error *err)
{
	DB_SQL(sql, "SELECT e.id, e.title FROM events e WHERE e.cancelled_at IS NULL "
	    "AND (?1 = 0 OR e.owner_id = ?1) ORDER BY e.title COLLATE NOCASE, e.id");
	struct calendar_link link;
	sqlite3_stmt *st;
	json_t *out, *item;

	if (calendar_links_fill(db, owner_id, login, now) < 0 ||
	    (st = db_stmt(db, sql)) == NULL) {
		error_fail(err, ERR_DB);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, owner_id);
	out = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!calendar_link_read(db, sqlite3_column_int64(st, 0), &link))
			continue;
		item = calendar_link_json(&link);
		json_object_set_new(item, "title", json_string((const char *)
		    sqlite3_column_text(st, 1)));
		json_array_append_new(out, item);
	}
	sqlite3_reset(st);
	return out;
}

bool
calendar_link_check(struct db *db, int64_t event_id, const char *secret)
{
	struct calendar_link link;
	bool ok;

	if (secret == NULL || !calendar_link_read(db, event_id, &link))
		return false;
	ok = auth_secret_equal(secret, link.secret);
	explicit_bzero(link.secret, sizeof(link.secret));
	return ok;
}

/*
 * t (Unix seconds) as a UTC date-time of libical, field by field: libical's
 * icaltime_from_timet_with_zone() takes a time_t, 32 bits in Debian 12's
 * armhf library but 64 in rappel's build there (meson.build).
 */
static struct icaltimetype
calendar_time(int64_t t)
{
	struct icaltimetype it = icaltime_null_time();
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	it.year = tm.tm_year + 1900;
	it.month = tm.tm_mon + 1;
	it.day = tm.tm_mday;
	it.hour = tm.tm_hour;
	it.minute = tm.tm_min;
	it.second = tm.tm_sec;
	it.is_date = 0;
	it.zone = icaltimezone_get_utc_timezone();
	return it;
}

/* One VEVENT per session of e in [from, to) added to cal; 0 or -1. */
static int
calendar_add_event(struct db *db, icalcomponent *cal, const struct event *e,
    int64_t from, int64_t to, int64_t now)
{
	struct event_occ *occ;
	icalcomponent *ev;
	char uid[96], summary[EVENT_TEXT_MAX * 4 + 32];
	bool cancelled;
	int i, n;

	if ((occ = calloc(EVENT_OCC_LIST_MAX, sizeof(*occ))) == NULL)
		fatal("calendar: out of memory");
	n = events_occurrences(db, e, from, to, occ, EVENT_OCC_LIST_MAX);
	for (i = 0; i < n; i++) {
		cancelled = occ[i].cancelled || e->cancelled_at != 0;
		snprintf(uid, sizeof(uid), "atelier-%lld-%lld@rappel", (long long)e->id,
		    (long long)occ[i].key);
		/* a calendar that ignores STATUS still says it in the title */
		snprintf(summary, sizeof(summary), "%s%s", cancelled ? "Annulé : " : "", e->title);
		ev = icalcomponent_vanew(ICAL_VEVENT_COMPONENT,
		    icalproperty_new_uid(uid),
		    icalproperty_new_dtstamp(calendar_time(now)),
		    icalproperty_new_dtstart(calendar_time(occ[i].starts_at)),
		    icalproperty_new_dtend(calendar_time(occ[i].ends_at)),
		    icalproperty_new_summary(summary),
		    icalproperty_new_status(cancelled ? ICAL_STATUS_CANCELLED :
		    ICAL_STATUS_CONFIRMED),
		    (void *)0);
		if (e->place[0])
			icalcomponent_add_property(ev, icalproperty_new_location(e->place));
		if (occ[i].moved)
			icalcomponent_add_property(ev, icalproperty_new_description(
			    "Séance déplacée."));
		icalcomponent_add_component(cal, ev);
	}
	free(occ);
	return n < 0 ? -1 : 0;
}

/* A property X-NAME:value. */
static icalproperty *
calendar_x(const char *name, const char *value)
{
	icalproperty *p = icalproperty_new_x(value);

	icalproperty_set_x_name(p, name);
	return p;
}

char *
calendar_feed(struct db *db, int64_t event_id, const char *centre, int64_t now,
    struct error *err)
{
	DB_SQL(sql_all, "SELECT id FROM events ORDER BY id");
	int64_t from = now - (int64_t)CALENDAR_PAST_DAYS * CALENDAR_DAY;
	int64_t to = now + (int64_t)CALENDAR_FUTURE_DAYS * CALENDAR_DAY;
	struct event e = { 0 };
	icalcomponent *cal;
	sqlite3_stmt *st;
	int64_t *ids = NULL;
	size_t i, n = 1;
	char name[EVENT_TEXT_MAX * 4 + 512], *text = NULL, *out;
	int rc = 0;

	if (event_id == 0) {
		if ((st = db_stmt(db, sql_all)) == NULL ||
		    (ids = db_collect_ids(st, &n)) == NULL) {
			error_fail(err, ERR_DB);
			return NULL;
		}
		snprintf(name, sizeof(name), "%s : ateliers", centre);
	} else {
		if (events_load(db, event_id, &e, err) < 0)
			return NULL;
		snprintf(name, sizeof(name), "%s : %s", centre, e.title);
	}
	cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT,
	    icalproperty_new_version("2.0"),
	    icalproperty_new_prodid("-//rappel//rappel " RAPPEL_VERSION "//FR"),
	    icalproperty_new_calscale("GREGORIAN"),
	    icalproperty_new_method(ICAL_METHOD_PUBLISH),
	    calendar_x("X-WR-CALNAME", name),
	    calendar_x("X-PUBLISHED-TTL", "PT1H"),
	    (void *)0);
	for (i = 0; i < n && rc == 0; i++) {
		if (ids != NULL && events_load(db, ids[i], &e, err) < 0) {
			rc = -1;
			break;
		}
		rc = calendar_add_event(db, cal, &e, from, to, now);
		event_clear(&e);
	}
	free(ids);
	if (rc == 0)
		text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (text == NULL) {
		error_or_db(err);
		return NULL;
	}
	out = strdup(text);
	icalmemory_free_buffer(text);
	if (out == NULL)
		fatal("calendar: out of memory");
	return out;
}
