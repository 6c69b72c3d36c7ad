/*
 * api_events — /api/v1/events: ateliers, their occurrences.
 *
 * An animateur sees and changes only the ateliers they run (owner_id);
 * admins and référents see every one.  Changes that move or cancel an
 * occurrence also cancel its queued messages and, when a campaign asks,
 * queue a cancellation notice, in the same transaction; the scheduler is
 * then poked to look again.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "audit.h"
#include "chase.h"
#include "contacts.h"
#include "events.h"
#include "groups.h"
#include "links.h"
#include "log.h"
#include "reports.h"
#include "rsvp.h"
#include "scheduler.h"
#include "text.h"
#include "timeutil.h"
#include "waitlist.h"

#define API_EVENTS_RANGE_DEFAULT (92 * 24 * 3600)	/* occurrences listed without ?to= */

static const char *const api_event_keys[] = {
	"title", "place", "starts_at", "ends_at", "capacity", "rrule", "group_ids",
	"contact_ids", "owner_id", NULL
};

static bool
api_events_is_animateur(const struct http_req *req)
{
	return req->user.role == AUTH_ROLE_ANIMATEUR;
}

/*
 * Loads the event of the path, refusing (404, as if it did not exist) an
 * animateur who does not run it.  0, or -1 after answering.
 */
int
api_events_load(struct http_req *req, struct event *e, int *answer)
{
	struct error err = { 0 };

	if (events_load(req->db, req->ids[0], e, &err) == 0 &&
	    (!api_events_is_animateur(req) || e->owner_id == req->user.id))
		return 0;
	if (err.kind == ERR_NONE)
		error_set(&err, ERR_NOT_FOUND, "not_found", NULL, "Cet atelier n'existe pas.");
	event_clear(e);
	*answer = http_reply_error(req, &err);
	return -1;
}

int
api_events_list(struct http_req *req)
{
	const char *all = http_arg(req, "cancelled");

	return http_reply_json(req, 200, events_list_json(req->db,
	    api_events_is_animateur(req) ? req->user.id : 0,
	    all && strcmp(all, "1") == 0, req->now));
}

int
api_events_get(struct http_req *req)
{
	struct event e;
	json_t *j;
	int answer;

	if (api_events_load(req, &e, &answer) < 0)
		return answer;
	j = events_to_json(req->db, &e, req->now);
	event_clear(&e);
	return http_reply_json(req, 200, j);
}

static int
api_events_set_int(json_t *body, const char *key, int64_t *dst, struct error *err)
{
	json_t *v = json_object_get(body, key);

	if (v == NULL)
		return 0;
	if (json_is_null(v)) {
		*dst = 0;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return error_set(err, ERR_INVALID, "invalid_type", key,
		    "Le champ « %s » doit être un nombre positif.", key);
	*dst = json_integer_value(v);
	return 0;
}

/* Applies the fields present in the body to e; see api.h. */
int
api_events_apply(struct http_req *req, struct event *e, struct error *err)
{
	json_t *body = req->json;
	int64_t capacity = e->capacity, owner = e->owner_id;

	if (api_check_keys(body, api_event_keys, err) < 0 ||
	    api_get_text(body, "title", true, &e->title, err) < 0 ||
	    api_get_text(body, "place", true, &e->place, err) < 0 ||
	    api_get_text(body, "rrule", true, &e->rrule, err) < 0 ||
	    api_get_time(body, "starts_at", &e->starts_at, err) < 0 ||
	    api_get_time(body, "ends_at", &e->ends_at, err) < 0 ||
	    api_events_set_int(body, "capacity", &capacity, err) < 0 ||
	    api_events_set_int(body, "owner_id", &owner, err) < 0)
		return -1;
	if (capacity > 1000)
		return error_set(err, ERR_INVALID, "invalid", "capacity", "Capacité trop grande.");
	e->capacity = (int)capacity;
	if (owner != e->owner_id && api_events_is_animateur(req))
		return error_set(err, ERR_FORBIDDEN, "forbidden", "owner_id",
		    "Seul un référent ou un administrateur confie un atelier à quelqu'un d'autre.");
	e->owner_id = owner;
	return 0;
}

/*
 * An animateur invites only people a référent or an admin has already
 * shown them: contacts invited to one of the ateliers they run (directly
 * or by a group) and groups already on one of them.  So what they may see
 * never grows by their own doing.  The refusal is the same for an id that
 * exists and one that does not.  0, or -1 with err set.
 */
static int
api_events_check_scope(struct http_req *req, const int64_t *contacts, size_t ncontacts,
    const int64_t *groups, size_t ngroups, struct error *err)
{
	size_t i;

	for (i = 0; i < ncontacts; i++)
		if (!contacts_invited_by(req->db, contacts[i], req->user.id))
			return error_set(err, ERR_FORBIDDEN, "forbidden", "contact_ids",
			    "Un animateur invite seulement les personnes qu'un référent ou un "
			    "administrateur a déjà invitées à l'un de ses ateliers.");
	for (i = 0; i < ngroups; i++)
		if (!groups_shown_to(req->db, groups[i], req->user.id))
			return error_set(err, ERR_FORBIDDEN, "forbidden", "group_ids",
			    "Un animateur invite seulement les groupes qu'un référent ou un "
			    "administrateur a déjà mis sur l'un de ses ateliers.");
	return 0;
}

/* Creates (path without id) or changes an event; answers. */
static int
api_events_write(struct http_req *req, bool creating)
{
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	struct event e = { 0 };
	struct event_invitees inv = { 0 };
	int64_t *groups = NULL, *contacts = NULL;
	bool set_inv;
	json_t *j = NULL;
	int answer;

	if (req->json == NULL)
		return http_reply_fail(req, 400, "invalid_json", NULL,
		    "Le corps de la requête doit être un objet JSON.");
	if (!creating && api_events_load(req, &e, &answer) < 0)
		return answer;
	if (creating)
		e.owner_id = req->user.id;
	set_inv = creating || json_object_get(req->json, "group_ids") ||
	    json_object_get(req->json, "contact_ids");
	if (api_events_apply(req, &e, &err) < 0 ||
	    api_get_ids(req->json, "group_ids", &groups, &inv.ngroups, &err) < 0 ||
	    api_get_ids(req->json, "contact_ids", &contacts, &inv.ncontacts, &err) < 0 ||
	    (api_events_is_animateur(req) && api_events_check_scope(req, contacts,
	    inv.ncontacts, groups, inv.ngroups, &err) < 0))
		goto out;
	/* a PATCH with one of the two lists keeps the other */
	if (!creating && set_inv && !json_object_get(req->json, "group_ids"))
		groups = links_ids(req->db, LINKS_EVENT_GROUPS, e.id, &inv.ngroups);
	if (!creating && set_inv && !json_object_get(req->json, "contact_ids"))
		contacts = links_ids(req->db, LINKS_EVENT_CONTACTS, e.id, &inv.ncontacts);
	inv.group_ids = groups;
	inv.contact_ids = contacts;
	if (db_txn_begin(req->db, &err) < 0 || db_txn_end(req->db,
	    events_write(req->db, &e, set_inv ? &inv : NULL, &actor, req->now, &err),
	    &err) < 0)
		goto out;
	scheduler_poke(req->app->sched);
	j = events_to_json(req->db, &e, req->now);
out:
	free(groups);
	free(contacts);
	event_clear(&e);
	if (j == NULL)
		return http_reply_error(req, &err);
	return http_reply_json(req, creating ? 201 : 200, j);
}

int
api_events_create(struct http_req *req)
{
	return api_events_write(req, true);
}

int
api_events_update(struct http_req *req)
{
	return api_events_write(req, false);
}

int
api_events_delete(struct http_req *req)
{
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	struct event e;
	int answer, notices, rc;

	if (api_events_load(req, &e, &answer) < 0)
		return answer;
	if (db_txn_begin(req->db, &err) < 0)
		goto fail;
	rc = (notices = scheduler_event_cancelled(req->db, req->cfg, &e, &actor,
	    req->now)) < 0 ||
	    events_cancel(req->db, e.id, &actor, req->now, &err) < 0 ? -1 : 0;
	if (db_txn_end(req->db, rc, &err) < 0)
		goto fail;
	log_info("events: cancelled id=%lld by=%s notices=%d", (long long)e.id,
	    req->user.login, notices);
	event_clear(&e);
	scheduler_poke(req->app->sched);
	return http_reply_empty(req, 204);
fail:
	event_clear(&e);
	return http_reply_error(req, &err);
}

int
api_events_restore(struct http_req *req)
{
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	struct event e;
	json_t *j;
	int answer;

	if (api_events_load(req, &e, &answer) < 0)
		return answer;
	if (events_restore(req->db, e.id, &actor, req->now, &err) < 0) {
		event_clear(&e);
		return http_reply_error(req, &err);
	}
	e.cancelled_at = 0;
	j = events_to_json(req->db, &e, req->now);
	event_clear(&e);
	scheduler_poke(req->app->sched);
	return http_reply_json(req, 200, j);
}

int
api_events_occurrences(struct http_req *req)
{
	struct event_occ *occ;
	struct event e;
	int64_t from = req->now - 24 * 3600, to = 0;
	struct error err = { 0 };
	json_t *list;
	int answer, n, i;

	if (api_events_load(req, &e, &answer) < 0)
		return answer;
	if ((http_arg(req, "from") && time_parse(http_arg(req, "from"), &from) < 0) ||
	    (http_arg(req, "to") && time_parse(http_arg(req, "to"), &to) < 0)) {
		event_clear(&e);
		error_set(&err, ERR_INVALID, "invalid", http_arg(req, "from") ? "from" : "to",
		    "Date invalide (attendu 2026-12-03 ou 2026-12-03T14:00:00+01:00).");
		return http_reply_error(req, &err);
	}
	if (to == 0)
		to = from + API_EVENTS_RANGE_DEFAULT;
	if ((occ = calloc(EVENT_OCC_LIST_MAX, sizeof(*occ))) == NULL)
		fatal("api: out of memory");
	n = events_occurrences(req->db, &e, from, to, occ, EVENT_OCC_LIST_MAX);
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, event_occ_to_json(&occ[i]));
	free(occ);
	event_clear(&e);
	return http_reply_json(req, 200, list);
}

static const char *const api_occ_keys[] = { "starts_at", "ends_at", "cancelled", NULL };

int
api_events_occurrence_update(struct http_req *req)
{
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	struct event_occ want = { 0 }, before, after;
	struct event e;
	bool present;
	int answer, notices = 0, rc;
	json_t *j;

	if (req->json == NULL)
		return http_reply_fail(req, 400, "invalid_json", NULL,
		    "Le corps de la requête doit être un objet JSON.");
	if (api_events_load(req, &e, &answer) < 0)
		return answer;
	if (events_occurrence_get(req->db, &e, req->ids[1], &before, &err) < 0)
		goto fail;
	want.cancelled = before.cancelled;
	if (api_check_keys(req->json, api_occ_keys, &err) < 0 ||
	    api_get_time(req->json, "starts_at", &want.starts_at, &err) < 0 ||
	    api_get_time(req->json, "ends_at", &want.ends_at, &err) < 0 ||
	    api_get_bool(req->json, "cancelled", &want.cancelled, &present, &err) < 0)
		goto fail;
	if (want.starts_at == 0 && !present) {
		error_set(&err, ERR_INVALID, "missing_field", "starts_at",
		    "Indiquez la nouvelle date (starts_at) ou l'annulation (cancelled).");
		goto fail;
	}
	if (db_txn_begin(req->db, &err) < 0)
		goto fail;
	rc = events_occurrence_change(req->db, &e, req->ids[1], &want, &actor, req->now,
	    &before, &after, &err) < 0 ||
	    (notices = scheduler_occurrence_changed(req->db, req->cfg, &e, &before,
	    &after, req->now)) < 0 ? -1 : 0;
	if (db_txn_end(req->db, rc, &err) < 0)
		goto fail;
	event_clear(&e);
	scheduler_poke(req->app->sched);
	j = event_occ_to_json(&after);
	json_object_set_new(j, "notices", json_integer(notices));
	return http_reply_json(req, 200, j);
fail:
	event_clear(&e);
	return http_reply_error(req, &err);
}

/* The session named by ?occurrence= (default: the current or next one); -1 after answering. */
int
api_events_session(struct http_req *req, const struct event *e, struct event_occ *o,
    int *answer)
{
	const char *key = http_arg(req, "occurrence");
	char *end = NULL;
	long long k = key ? strtoll(key, &end, 10) : 0;

	if ((key && (*end != '\0' || k <= 0)) ||
	    rsvp_session(req->db, e, k, req->now, o) < 0) {
		*answer = http_reply_fail(req, 404, "not_found", "occurrence",
		    "Cette séance n'existe pas dans le calendrier de l'atelier.");
		return -1;
	}
	return 0;
}

int
api_events_rsvps(struct http_req *req)
{
	struct event_occ o;
	struct event e;
	json_t *j;
	int answer;

	if (api_events_load(req, &e, &answer) < 0)
		return answer;
	if (api_events_session(req, &e, &o, &answer) < 0) {
		event_clear(&e);
		return answer;
	}
	j = rsvp_session_json(req->db, &e, &o);
	event_clear(&e);
	return http_reply_json(req, 200, j);
}

static const char *const api_rsvp_keys[] = { "answer", "present", NULL };

/* See api.h. */
int
api_events_rsvp_body(json_t *body, int *answer, int *present, struct error *err)
{
	const char *s;
	enum rsvp_answer a;
	json_t *p;

	*answer = -1;
	*present = -2;
	if (api_check_keys(body, api_rsvp_keys, err) < 0 ||
	    api_get_string(body, "answer", false, &s, err) < 0)
		return -1;
	if (s && rsvp_answer_parse(s, &a) < 0)
		return error_set(err, ERR_INVALID, "invalid", "answer",
		    "« answer » vaut \"yes\", \"no\" ou \"none\".");
	if (s)
		*answer = (int)a;
	if ((p = json_object_get(body, "present")) != NULL) {
		if (!json_is_boolean(p) && !json_is_null(p))
			return error_set(err, ERR_INVALID, "invalid_type", "present",
			    "« present » vaut true, false ou null.");
		*present = json_is_null(p) ? -1 : json_is_true(p);
	}
	if (*answer < 0 && *present == -2)
		return error_set(err, ERR_INVALID, "missing_field", "answer",
		    "Indiquez la réponse (answer) ou la présence (present).");
	return 0;
}

int
api_events_rsvp_set(struct http_req *req)
{
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	struct event_occ o;
	struct event e;
	struct rsvp_change ch = { 0, 0, 0, RSVP_NONE, "manual", 0, NULL };
	char details[96];
	int answer, a, present, rc;
	bool told;

	if (req->json == NULL)
		return http_reply_fail(req, 400, "invalid_json", NULL,
		    "Le corps de la requête doit être un objet JSON.");
	if (api_events_load(req, &e, &answer) < 0)
		return answer;
	if (api_events_session(req, &e, &o, &answer) < 0) {
		event_clear(&e);
		return answer;
	}
	if (api_events_rsvp_body(req->json, &a, &present, &err) < 0)
		goto fail;
	if (!events_invites(req->db, e.id, req->ids[1]) &&
	    !rsvp_known(req->db, e.id, o.key, req->ids[1])) {
		error_set(&err, ERR_NOT_FOUND, "not_found", "contact_id",
		    "Ce contact n'est pas invité à cet atelier.");
		goto fail;
	}
	snprintf(details, sizeof(details), "{\"occurrence\":%lld,\"contact_id\":%lld}",
	    (long long)o.key, (long long)req->ids[1]);
	ch.event_id = e.id;
	ch.key = o.key;
	ch.contact_id = req->ids[1];
	ch.answer = (enum rsvp_answer)a;
	ch.by = req->user.login;
	if (db_txn_begin(req->db, &err) < 0)
		goto fail;
	rc = (a >= 0 && waitlist_answer(req->db, req->cfg, &ch, req->now, &told) < 0) ||
	    (present >= -1 && rsvp_set_present(req->db, e.id, o.key, req->ids[1],
	    present, req->now) < 0) ||
	    audit_record(req->db, &actor, req->now, "rsvp", "event", e.id, details) < 0 ?
	    -1 : 0;
	if (db_txn_end(req->db, rc, &err) < 0)
		goto fail;
	event_clear(&e);
	scheduler_poke(req->app->sched);	/* an offer made: when it ends */
	return api_events_rsvps(req);
fail:
	event_clear(&e);
	return http_reply_error(req, &err);
}

#define API_EVENTS_SLUG_MAX 40	/* characters of an atelier's title in a file name */

/* ?from= and ?to= of a report; default: the last twelve months to now + 3 months. */
static int
api_events_period(struct http_req *req, int64_t *from, int64_t *to, int *answer)
{
	const char *f = http_arg(req, "from"), *t = http_arg(req, "to");

	*from = req->now - 366 * 24 * 3600;
	*to = req->now + 92 * 24 * 3600;
	if ((f && time_parse(f, from) < 0) || (t && time_parse(t, to) < 0)) {
		*answer = http_reply_fail(req, 400, "invalid", f && time_parse(f, from) < 0 ?
		    "from" : "to", "Date invalide (attendu 2026-12-03 ou 03/12/2026).");
		return -1;
	}
	return 0;
}

/*
 * The name of the attendance file of title (NULL: every atelier) for
 * [from, to): "presences-2026-09-01_2026-12-31.csv", the atelier's title
 * in lower-case ASCII words after "presences-" ("presences-couture-…").
 */
static void
api_events_csv_name(const char *title, int64_t from, int64_t to, char *name, size_t len)
{
	struct buf folded = { 0 };
	char slug[API_EVENTS_SLUG_MAX + 2] = "", first[TIME_DAY_MAX], last[TIME_DAY_MAX];
	size_t n = 0;
	const char *p;

	if (title) {
		text_fold(title, &folded);
		buf_putc(&folded, '\0');
		for (p = folded.data; *p && n < API_EVENTS_SLUG_MAX; p++) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
				slug[n++] = *p;
			else if (n && slug[n - 1] != '-')
				slug[n++] = '-';
		}
		while (n && slug[n - 1] == '-')
			n--;
		slug[n] = '\0';
		buf_free(&folded);
	}
	time_format_day(from, first);
	time_format_day(to > from ? to - 1 : from, last);
	snprintf(name, len, "presences-%s%s%s_%s.csv", slug, n ? "-" : "", first, last);
}

static int
api_events_csv(struct http_req *req, int64_t event_id, const char *title, int64_t owner_id)
{
	struct buf out = { 0 };
	char name[API_EVENTS_SLUG_MAX + 48], disposition[API_EVENTS_SLUG_MAX + 80];
	int64_t from, to;
	size_t len;
	int answer;

	if (api_events_period(req, &from, &to, &answer) < 0)
		return answer;
	if (reports_sessions_csv(req->db, event_id, owner_id, from, to, req->now, &out) < 0) {
		buf_free(&out);
		return http_reply_kind(req, ERR_DB);
	}
	api_events_csv_name(title, from, to, name, sizeof(name));
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s\"", name);
	http_add_header(req, "Content-Disposition", disposition);
	len = out.len;
	return http_reply_raw(req, 200, "text/csv; charset=utf-8", buf_steal(&out), len);
}

int
api_events_report(struct http_req *req)
{
	struct event e;
	int answer;

	if (api_events_load(req, &e, &answer) < 0)
		return answer;
	answer = api_events_csv(req, req->ids[0], e.title, 0);
	event_clear(&e);
	return answer;
}

int
api_reports_sessions(struct http_req *req)
{
	return api_events_csv(req, 0, NULL, api_events_is_animateur(req) ? req->user.id : 0);
}

/* The session of a chase, refused (409) when it has begun or is cancelled. */
static int
api_events_chase_session(struct http_req *req, struct event *e, struct event_occ *o,
    int *answer)
{
	struct error err = { 0 };

	if (api_events_load(req, e, answer) < 0)
		return -1;
	if (api_events_session(req, e, o, answer) < 0) {
		event_clear(e);
		return -1;
	}
	if (o->starts_at <= req->now)
		error_set(&err, ERR_CONFLICT, "started", NULL, "Cette séance a déjà commencé : "
		    "il n'y a plus personne à relancer.");
	else if (o->cancelled || e->cancelled_at)
		error_set(&err, ERR_CONFLICT, "cancelled", NULL, "Cette séance est annulée.");
	else
		return 0;
	event_clear(e);
	*answer = http_reply_error(req, &err);
	return -1;
}

int
api_events_chase_preview(struct http_req *req)
{
	struct chase_plan p;
	struct event_occ o;
	struct event e;
	json_t *j = NULL;
	int answer;

	if (api_events_chase_session(req, &e, &o, &answer) < 0)
		return answer;
	if (chase_plan(req->db, &e, &o, &p) == 0)
		j = chase_preview_json(req->db, req->cfg, &e, &o, &p);
	chase_plan_clear(&p);
	event_clear(&e);
	if (j == NULL)
		return http_reply_kind(req, ERR_DB);
	json_object_set_new(j, "session", event_occ_to_json(&o));
	return http_reply_json(req, 200, j);
}

static const char *const api_chase_keys[] = { "confirm", NULL };

/* 409 when the session was chased already and the request does not confirm. */
static int
api_events_chase_again(struct http_req *req, const struct event *e,
    const struct event_occ *o, struct error *err)
{
	bool confirm = false, present;
	char by[64], when[40];
	struct tm tm;
	time_t t;
	int64_t at;
	int sent, known;

	if (req->json && (api_check_keys(req->json, api_chase_keys, err) < 0 ||
	    api_get_bool(req->json, "confirm", &confirm, &present, err) < 0))
		return -1;
	if ((known = chase_last(req->db, e->id, o->key, &at, by, sizeof(by), &sent)) < 0)
		return error_fail(err, ERR_DB);
	if (!known || confirm)
		return 0;
	t = (time_t)at;
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%d/%m/%Y à %H:%M", &tm);
	return error_set(err, ERR_CONFLICT, "already_chased", "confirm", "Une relance a déjà été "
	    "envoyée le %s par %s (%d SMS). Confirmez pour relancer encore.", when,
	    by[0] ? by : "?", sent);
}

int
api_events_chase_send(struct http_req *req)
{
	struct audit_actor actor = api_actor(req);
	struct error err = { 0 };
	struct chase_plan p = { 0 };
	struct event_occ o;
	struct event e;
	char details[96];
	size_t left_out;
	int answer, sent = 0, rc;

	if (api_events_chase_session(req, &e, &o, &answer) < 0)
		return answer;
	if (api_events_chase_again(req, &e, &o, &err) < 0)
		goto fail;
	snprintf(details, sizeof(details), "{\"occurrence\":%lld}", (long long)o.key);
	if (db_txn_begin(req->db, &err) < 0)
		goto fail;
	if (chase_plan(req->db, &e, &o, &p) < 0)
		rc = -1;
	else if (p.to.n == 0)
		rc = error_set(&err, ERR_CONFLICT, "nobody", NULL, "Personne à relancer : tout le "
		    "monde a répondu, ou ceux qui n'ont pas répondu ne reçoivent pas de SMS.");
	else
		rc = chase_send(req->db, req->cfg, &e, &o, &p, req->user.login, req->now,
		    &sent) < 0 || audit_record(req->db, &actor, req->now, "chase", "event",
		    e.id, details) < 0 ? -1 : 0;
	if (db_txn_end(req->db, rc, &err) < 0)
		goto fail;
	left_out = json_array_size(p.left_out);
	chase_plan_clear(&p);
	event_clear(&e);
	return http_reply_json(req, 200, json_pack("{s:i, s:I, s:o}", "sent", sent,
	    "left_out", (json_int_t)left_out, "at", time_json(req->now)));
fail:
	chase_plan_clear(&p);
	event_clear(&e);
	return http_reply_error(req, &err);
}

int
api_reports_coming(struct http_req *req)
{
	const char *d = http_arg(req, "days");
	char *end = NULL;
	long days = d ? strtol(d, &end, 10) : 7;
	json_t *j;

	if ((d && *end != '\0') || days < 1 || days > 92)
		return http_reply_fail(req, 400, "invalid", "days",
		    "« days » est un nombre de jours de 1 à 92.");
	j = reports_coming_json(req->db, api_events_is_animateur(req) ? req->user.id : 0,
	    req->now, req->now + days * 24 * 3600);
	if (j == NULL)
		return http_reply_kind(req, ERR_DB);
	return http_reply_json(req, 200, j);
}
