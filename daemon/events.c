/*
 * events — ateliers and their occurrences.  See events.h.
 */
#include "events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "links.h"
#include "log.h"
#include "recur.h"
#include "template.h"
#include "text.h"
#include "timeutil.h"

#define EVENTS_EXPAND_MAX 4096	/* originals looked at by one listing */
#define EVENTS_NEXT_LOOK 32	/* sessions looked at for the next one that takes place */

void
event_clear(struct event *e)
{
	free(e->title);
	free(e->place);
	free(e->rrule);
	memset(e, 0, sizeof(*e));
}

static char *
events_column_dup(sqlite3_stmt *st, int i)
{
	char *s = db_column_strdup(st, i);

	if (s == NULL && sqlite3_column_type(st, i) != SQLITE_NULL)
		fatal("events: out of memory");
	return s;
}

int
events_load(struct db *db, int64_t id, struct event *e, struct error *err)
{
	DB_SQL(sql, "SELECT title, place, rrule, starts_at, ends_at, "
	    "capacity, owner_id, cancelled_at FROM events WHERE id = ?");
	sqlite3_stmt *st = db_stmt(db, sql);

	memset(e, 0, sizeof(*e));
	if (st == NULL)
		return error_fail(err, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return error_set(err, ERR_NOT_FOUND, "not_found", NULL,
		    "Cet atelier n'existe pas.");
	}
	e->id = id;
	e->title = events_column_dup(st, 0);
	e->place = events_column_dup(st, 1);
	e->rrule = events_column_dup(st, 2);
	e->starts_at = sqlite3_column_int64(st, 3);
	e->ends_at = sqlite3_column_int64(st, 4);
	e->capacity = sqlite3_column_int(st, 5);
	e->owner_id = sqlite3_column_int64(st, 6);
	e->cancelled_at = sqlite3_column_int64(st, 7);
	sqlite3_reset(st);
	return 0;
}

static int
events_check_text(const char *value, bool required, const char *field, struct error *err)
{
	if (value == NULL || value[0] == '\0') {
		if (required)
			return error_set(err, ERR_INVALID, "missing_field", field,
			    "Le champ « %s » est obligatoire.", field);
		return 0;
	}
	if (!text_utf8_valid(value, strlen(value)))
		return error_set(err, ERR_INVALID, "invalid", field,
		    "Texte mal encodé (UTF-8 attendu).");
	if (strlen(value) > EVENT_TEXT_MAX)
		return error_set(err, ERR_INVALID, "invalid", field,
		    "« %s » est trop long (%d caractères au plus).", field, EVENT_TEXT_MAX);
	return 0;
}

/* Checks e before it is written; starts are kept to the minute. */
static int
events_validate(struct event *e, struct error *err)
{
	if (events_check_text(e->title, true, "title", err) < 0 ||
	    events_check_text(e->place, false, "place", err) < 0)
		return -1;
	if (e->starts_at <= 0)
		return error_set(err, ERR_INVALID, "missing_field", "starts_at",
		    "Le champ « starts_at » est obligatoire.");
	e->starts_at -= e->starts_at % 60;
	if (e->ends_at == 0)
		e->ends_at = e->starts_at + 3600;
	if (e->ends_at < e->starts_at)
		return error_set(err, ERR_INVALID, "invalid", "ends_at",
		    "La fin de l'atelier est avant son début.");
	if (e->ends_at - e->starts_at > 7 * 24 * 3600)
		return error_set(err, ERR_INVALID, "invalid", "ends_at",
		    "Un atelier dure au plus une semaine ; pour des séances, utilisez la "
		    "récurrence.");
	if (e->capacity < 0)
		return error_set(err, ERR_INVALID, "invalid", "capacity",
		    "La capacité doit être un nombre positif.");
	if (e->rrule && e->rrule[0] == '\0') {
		free(e->rrule);
		e->rrule = NULL;
	}
	if (e->rrule && recur_check(e->rrule, "rrule", err) < 0)
		return -1;
	return 0;
}

/*
 * A first date the rule does not describe ("le 5 décembre" with "the last
 * Saturday of the month") is refused, with the rule's first date as a
 * suggestion (docs/api.md): RFC 5545 would make it an extra session, most
 * calendars would leave it out.  Checked when the start or the rule is
 * set or changed, so that an atelier written before stays editable.
 */
static int
events_check_first(struct db *db, const struct event *e, struct error *err)
{
	struct buf day = { 0 }, first_day = { 0 }, hour = { 0 };
	struct event old;
	int64_t first;
	bool same;

	if (e->rrule == NULL || recur_on_rule(e->rrule, e->starts_at, &first))
		return 0;
	if (e->id != 0 && events_load(db, e->id, &old, NULL) == 0) {
		same = old.starts_at == e->starts_at && old.rrule != NULL &&
		    strcmp(old.rrule, e->rrule) == 0;
		event_clear(&old);
		if (same)
			return 0;
	}
	template_format_date(e->starts_at, "fr", &day);
	if (first < 0) {
		error_set(err, ERR_INVALID, "invalid", "starts_at", "Le %s n'est pas une séance de "
		    "cette récurrence, et elle n'en a aucune après : changez la date ou la "
		    "récurrence.", day.data);
	} else {
		template_format_date(first, "fr", &first_day);
		template_format_time(first, "fr", &hour);
		error_set(err, ERR_INVALID, "invalid", "starts_at", "Le %s n'est pas une séance de "
		    "cette récurrence : première séance le %s à %s ?", day.data,
		    first_day.data, hour.data);
		if (err != NULL)
			err->suggestion = first;
	}
	buf_free(&day);
	buf_free(&first_day);
	buf_free(&hour);
	return -1;
}

static int
events_write_row(struct db *db, struct event *e, int64_t now, struct error *err)
{
	DB_SQL(sql_insert, "INSERT INTO events (title, place, rrule, "
	    "starts_at, ends_at, capacity, owner_id, created_at, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
	DB_SQL(sql_update, "UPDATE events SET title = ?1, place = ?2, "
	    "rrule = ?3, starts_at = ?4, ends_at = ?5, capacity = ?6, owner_id = ?7, "
	    "updated_at = ?8 WHERE id = ?9");
	sqlite3_stmt *st = db_stmt(db, e->id ? sql_update : sql_insert);

	if (st == NULL)
		return error_fail(err, ERR_INTERNAL);
	sqlite3_bind_text(st, 1, e->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, e->place ? e->place : "", -1, SQLITE_STATIC);
	db_bind_text_or_null(st, 3, e->rrule);
	sqlite3_bind_int64(st, 4, e->starts_at);
	sqlite3_bind_int64(st, 5, e->ends_at);
	db_bind_int_or_null(st, 6, e->capacity);
	db_bind_int_or_null(st, 7, e->owner_id);
	sqlite3_bind_int64(st, 8, now);
	if (e->id)
		sqlite3_bind_int64(st, 9, e->id);
	if (db_step_done(db, st) < 0) {
		if ((db_errcode(db) & 0xff) == SQLITE_CONSTRAINT)
			return error_set(err, ERR_INVALID, "invalid", "owner_id",
			    "Cet utilisateur n'existe pas.");
		return error_fail(err, ERR_DB);
	}
	if (e->id == 0)
		e->id = sqlite3_last_insert_rowid(db_handle(db));
	else if (sqlite3_changes(db_handle(db)) != 1)
		return error_set(err, ERR_NOT_FOUND, "not_found", NULL,
		    "Cet atelier n'existe pas.");
	return 0;
}

int
events_write(struct db *db, struct event *e, const struct event_invitees *inv,
    const struct audit_actor *actor, int64_t now, struct error *err)
{
	bool creating = e->id == 0;
	char details[64];

	if (events_validate(e, err) < 0 || events_check_first(db, e, err) < 0)
		return -1;
	if (db_savepoint(db, "events_write") < 0)
		return error_fail(err, ERR_DB);
	if (events_write_row(db, e, now, err) < 0 ||
	    (inv && links_set(db, LINKS_EVENT_GROUPS, e->id, inv->group_ids,
	    inv->ngroups, "group_ids", err) < 0) ||
	    (inv && links_set(db, LINKS_EVENT_CONTACTS, e->id,
	    inv->contact_ids, inv->ncontacts, "contact_ids", err) < 0))
		goto fail;
	snprintf(details, sizeof(details), "{\"recurring\":%s}", e->rrule ? "true" : "false");
	if (audit_record(db, actor, now, creating ? "create" : "update", "event", e->id,
	    details) < 0) {
		error_fail(err, ERR_DB);
		goto fail;
	}
	return db_release(db, "events_write");
fail:
	db_rollback_to(db, "events_write");
	if (creating)
		e->id = 0;
	return -1;
}

/* Cancels (cancel) or restores atelier id, with its audit entry. */
static int
events_set_cancelled(struct db *db, int64_t id, bool cancel, const struct audit_actor *actor,
    int64_t now, struct error *err)
{
	DB_SQL(sql_cancel, "UPDATE events SET cancelled_at = ?2, updated_at = ?2 "
	    "WHERE id = ?1 AND cancelled_at IS NULL");
	DB_SQL(sql_restore, "UPDATE events SET cancelled_at = NULL, updated_at = ?2 "
	    "WHERE id = ?1 AND cancelled_at IS NOT NULL");
	sqlite3_stmt *st = db_stmt(db, cancel ? sql_cancel : sql_restore);

	if (st == NULL)
		return error_fail(err, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	if (db_step_done(db, st) < 0)
		return error_fail(err, ERR_DB);
	if (sqlite3_changes(db_handle(db)) != 1)
		return cancel ? error_set(err, ERR_NOT_FOUND, "not_found", NULL,
		    "Cet atelier n'existe pas ou est déjà annulé.") :
		    error_set(err, ERR_CONFLICT, "not_cancelled", NULL,
		    "Cet atelier n'est pas annulé.");
	if (audit_record(db, actor, now, cancel ? "cancel" : "restore", "event", id, NULL) < 0)
		return error_fail(err, ERR_DB);
	return 0;
}

int
events_cancel(struct db *db, int64_t id, const struct audit_actor *actor, int64_t now,
    struct error *err)
{
	return events_set_cancelled(db, id, true, actor, now, err);
}

int
events_restore(struct db *db, int64_t id, const struct audit_actor *actor, int64_t now,
    struct error *err)
{
	return events_set_cancelled(db, id, false, actor, now, err);
}

/* Exceptions of an event, read once per listing. */
struct events_exc {
	int64_t key, starts_at, ends_at;
	bool cancelled;
};

static struct events_exc *
events_load_exceptions(struct db *db, int64_t id, size_t *n)
{
	DB_SQL(sql, "SELECT occurrence, starts_at, ends_at, "
	    "cancelled_at IS NOT NULL FROM event_exceptions WHERE event_id = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	struct events_exc *x = NULL, *grown;
	size_t cap = 0;

	*n = 0;
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((grown = realloc(x, cap * sizeof(*x))) == NULL)
				fatal("events: out of memory");
			x = grown;
		}
		x[*n].key = sqlite3_column_int64(st, 0);
		x[*n].starts_at = sqlite3_column_int64(st, 1);
		x[*n].ends_at = sqlite3_column_int64(st, 2);
		x[*n].cancelled = sqlite3_column_int(st, 3) != 0;
		(*n)++;
	}
	sqlite3_reset(st);
	return x;
}

static const struct events_exc *
events_find_exception(const struct events_exc *x, size_t n, int64_t key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (x[i].key == key)
			return &x[i];
	return NULL;
}

/* The occurrence whose original start is start, with its exception applied. */
static void
events_occ_make(const struct event *e, int64_t start, const struct events_exc *x, size_t nx,
    struct event_occ *o)
{
	const struct events_exc *ex;

	o->key = recur_key(start);
	o->starts_at = start;
	o->ends_at = start + (e->ends_at - e->starts_at);
	o->moved = false;
	o->cancelled = e->cancelled_at != 0;
	if ((ex = events_find_exception(x, nx, o->key)) == NULL)
		return;
	if (ex->starts_at) {
		o->moved = ex->starts_at != start;
		o->starts_at = ex->starts_at;
		o->ends_at = ex->ends_at ? ex->ends_at : ex->starts_at + (e->ends_at - e->starts_at);
	}
	o->cancelled = o->cancelled || ex->cancelled;
}

static int
events_occ_cmp(const void *a, const void *b)
{
	const struct event_occ *x = a, *y = b;

	if (x->starts_at != y->starts_at)
		return x->starts_at < y->starts_at ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* True when start is an original occurrence of e. */
static bool
events_is_original(const struct event *e, int64_t start)
{
	int64_t found;

	return start > 0 && recur_expand(e->rrule, e->starts_at, start, start + 1, &found, 1) == 1;
}

int
events_occurrences(struct db *db, const struct event *e, int64_t from, int64_t to,
    struct event_occ *out, size_t max)
{
	int64_t *starts;
	struct events_exc *x;
	struct event_occ o;
	size_t nx, n = 0, i;
	int nstarts;

	if ((starts = calloc(EVENTS_EXPAND_MAX, sizeof(*starts))) == NULL)
		fatal("events: out of memory");
	x = events_load_exceptions(db, e->id, &nx);
	nstarts = recur_expand(e->rrule, e->starts_at, from, to, starts, EVENTS_EXPAND_MAX);
	for (i = 0; nstarts > 0 && i < (size_t)nstarts; i++) {
		events_occ_make(e, starts[i], x, nx, &o);
		if (o.starts_at >= from && o.starts_at < to && n < max)
			out[n++] = o;
	}
	/* occurrences moved into the window from outside it */
	for (i = 0; i < nx; i++) {
		int64_t orig = recur_key_time(x[i].key);
		if (x[i].starts_at < from || x[i].starts_at >= to ||
		    (orig >= from && orig < to) || !events_is_original(e, orig))
			continue;
		events_occ_make(e, orig, x, nx, &o);
		if (n < max)
			out[n++] = o;
	}
	free(starts);
	free(x);
	if (nstarts < 0)
		return -1;
	qsort(out, n, sizeof(*out), events_occ_cmp);
	return (int)n;
}

int
events_occurrence_get(struct db *db, const struct event *e, int64_t key,
    struct event_occ *out, struct error *err)
{
	int64_t orig = recur_key_time(key);
	struct events_exc *x;
	size_t nx;

	if (!events_is_original(e, orig))
		return error_set(err, ERR_NOT_FOUND, "not_found", NULL,
		    "Cette séance n'existe pas dans le calendrier de l'atelier.");
	x = events_load_exceptions(db, e->id, &nx);
	events_occ_make(e, orig, x, nx, out);
	free(x);
	return 0;
}

static int
events_write_exception(struct db *db, int64_t event_id, const struct event_occ *o,
    int64_t now, struct error *err)
{
	DB_SQL(sql, "INSERT INTO event_exceptions (event_id, occurrence, "
	    "starts_at, ends_at, cancelled_at) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (event_id, occurrence) DO UPDATE SET starts_at = ?3, "
	    "ends_at = ?4, cancelled_at = ?5");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return error_fail(err, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, o->key);
	db_bind_int_or_null(st, 3, o->moved ? o->starts_at : 0);
	db_bind_int_or_null(st, 4, o->moved ? o->ends_at : 0);
	db_bind_int_or_null(st, 5, o->cancelled ? now : 0);
	if (db_step_done(db, st) < 0)
		return error_fail(err, ERR_DB);
	return 0;
}

int
events_occurrence_change(struct db *db, const struct event *e, int64_t key,
    const struct event_occ *want, const struct audit_actor *actor, int64_t now,
    struct event_occ *before, struct event_occ *after, struct error *err)
{
	struct event_occ o;
	char details[96];

	if (e->cancelled_at)
		return error_set(err, ERR_CONFLICT, "cancelled", NULL, "Cet atelier est annulé.");
	if (events_occurrence_get(db, e, key, &o, err) < 0)
		return -1;
	if (before)
		*before = o;
	if (want->starts_at) {
		if (want->ends_at && want->ends_at < want->starts_at)
			return error_set(err, ERR_INVALID, "invalid", "ends_at",
			    "La fin de la séance est avant son début.");
		o.starts_at = want->starts_at - want->starts_at % 60;
		o.ends_at = want->ends_at ? want->ends_at :
		    o.starts_at + (e->ends_at - e->starts_at);
		o.moved = o.starts_at != recur_key_time(key);
	}
	o.cancelled = want->cancelled;
	snprintf(details, sizeof(details), "{\"occurrence\":%lld,\"cancelled\":%s,\"moved\":%s}",
	    (long long)key, o.cancelled ? "true" : "false", o.moved ? "true" : "false");
	if (events_write_exception(db, e->id, &o, now, err) < 0 ||
	    audit_record(db, actor, now, "update_occurrence", "event", e->id, details) < 0)
		return error_or_db(err);
	if (after)
		*after = o;
	return 0;
}

bool
events_invites(struct db *db, int64_t event_id, int64_t contact_id)
{
	DB_SQL(sql, "SELECT 1 FROM event_contacts WHERE event_id = ?1 AND "
	    "contact_id = ?2 UNION ALL SELECT 1 FROM event_groups eg JOIN group_members gm "
	    "ON gm.group_id = eg.group_id WHERE eg.event_id = ?1 AND gm.contact_id = ?2");
	sqlite3_stmt *st = db_stmt(db, sql);
	bool yes;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, contact_id);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

json_t *
event_occ_to_json(const struct event_occ *o)
{
	return json_pack("{s:I, s:o, s:o, s:b, s:b}",
	    "occurrence", (json_int_t)o->key,
	    "starts_at", time_json(o->starts_at),
	    "ends_at", time_json(o->ends_at),
	    "moved", o->moved,
	    "cancelled", o->cancelled);
}

/* The next session that is not cancelled and has not ended (within five years), or null. */
static json_t *
events_next_json(struct db *db, const struct event *e, int64_t now)
{
	struct event_occ occ[EVENTS_NEXT_LOOK];
	int n, i;

	n = events_occurrences(db, e, now - (e->ends_at - e->starts_at),
	    now + 5 * 366 * 24 * 3600, occ, EVENTS_NEXT_LOOK);
	for (i = 0; i < n; i++)
		if (!occ[i].cancelled && occ[i].ends_at > now)
			return event_occ_to_json(&occ[i]);
	return json_null();
}

json_t *
events_to_json(struct db *db, const struct event *e, int64_t now)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:s?, s:o, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)e->id,
	    "title", e->title,
	    "place", e->place ? e->place : "",
	    "starts_at", time_json(e->starts_at),
	    "ends_at", time_json(e->ends_at),
	    "capacity", e->capacity ? json_integer(e->capacity) : json_null(),
	    "rrule", e->rrule,
	    "owner_id", e->owner_id ? json_integer(e->owner_id) : json_null(),
	    "group_ids", links_json(db, LINKS_EVENT_GROUPS, e->id),
	    "contact_ids", links_json(db, LINKS_EVENT_CONTACTS, e->id),
	    "cancelled_at", time_json(e->cancelled_at),
	    "next_occurrence", events_next_json(db, e, now));
}

int64_t *
events_ids(struct db *db, int64_t owner_id, bool with_cancelled, size_t *n)
{
	DB_SQL(sql, "SELECT id FROM events WHERE (?1 = 0 OR owner_id = ?1) "
	    "AND (?2 OR cancelled_at IS NULL) ORDER BY starts_at, id");
	sqlite3_stmt *st = db_stmt(db, sql);

	*n = 0;
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, owner_id);
	sqlite3_bind_int(st, 2, with_cancelled);
	return db_collect_ids(st, n);
}

json_t *
events_list_json(struct db *db, int64_t owner_id, bool with_cancelled, int64_t now)
{
	json_t *list = json_array();
	size_t n, i;
	int64_t *ids = events_ids(db, owner_id, with_cancelled, &n);
	struct event e;
	struct error err;

	for (i = 0; i < n; i++) {
		if (events_load(db, ids[i], &e, &err) == 0)
			json_array_append_new(list, events_to_json(db, &e, now));
		event_clear(&e);
	}
	free(ids);
	return list;
}
