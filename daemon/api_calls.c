/*
 * api_calls — the people to phone (calls.h): for the week of all one's
 * ateliers, and for one session, where a call is recorded.
 *
 *	GET  /api/v1/calls?from=YYYY-MM-DD&days=7	(and who phoned the modem)
 *	GET  /api/v1/events/{id}/calls?occurrence=KEY
 *	POST /api/v1/events/{id}/calls?occurrence=KEY {contact_id, outcome, note}
 *
 * An animateur sees and calls the people of their own ateliers only.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "auth.h"
#include "calls.h"
#include "events.h"
#include "http.h"
#include "timeutil.h"

/* Most days a list may cover. */
#define API_CALLS_MAX_DAYS 31

static int64_t
api_calls_owner(const struct http_req *req)
{
	return req->user.role == AUTH_ROLE_ANIMATEUR ? req->user.id : 0;
}

/* Midnight, local time, of the day of t. */
static int64_t
api_calls_midnight(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

int
api_calls_list(struct http_req *req)
{
	const char *f = http_arg(req, "from"), *d = http_arg(req, "days");
	int64_t from = api_calls_midnight(req->now), to;
	struct tm tm;
	time_t tt;
	char *end = NULL;
	long days = d ? strtol(d, &end, 10) : 7;
	json_t *sessions, *callers;

	if (f && time_parse(f, &from) < 0)
		return http_reply_fail(req, 400, "invalid", "from",
		    "Date invalide (attendu 2026-12-03 ou 03/12/2026).");
	if (d && (*end != '\0' || days < 1 || days > API_CALLS_MAX_DAYS))
		return http_reply_fail(req, 400, "invalid", "days",
		    "« days » doit être un nombre de jours entre 1 et %d.", API_CALLS_MAX_DAYS);
	/* days of the calendar, so that a change of hour does not cut one */
	tt = (time_t)from;
	localtime_r(&tt, &tm);
	tm.tm_mday += (int)days;
	tm.tm_isdst = -1;
	to = (int64_t)mktime(&tm);
	if ((sessions = calls_list_json(req->db, api_calls_owner(req), from, to,
	    req->now)) == NULL)
		return http_reply_kind(req, ERR_DB);
	/* an animateur's list is their ateliers' people: a caller may be anyone's */
	callers = api_calls_owner(req) ? json_array() : calls_callers_json(req->db,
	    from < req->now - CALLS_CALLED_RECENT ? from : req->now - CALLS_CALLED_RECENT,
	    sessions);
	if (callers == NULL) {
		json_decref(sessions);
		return http_reply_kind(req, ERR_DB);
	}
	return http_reply_json(req, 200, json_pack("{s:o, s:o, s:o, s:o}", "from",
	    time_json(from), "to", time_json(to), "sessions", sessions, "callers", callers));
}

/* The list of the session of the request, as the answer. */
static int
api_calls_reply(struct http_req *req, const struct event *e, const struct event_occ *o)
{
	json_t *j = calls_session_json(req->db, e, o, req->now);

	if (j == NULL)
		return http_reply_kind(req, ERR_DB);
	return http_reply_json(req, 200, j);
}

int
api_calls_session(struct http_req *req)
{
	struct event_occ o;
	struct event e;
	int answer;

	if (api_events_load(req, &e, &answer) < 0)
		return answer;
	if (api_events_session(req, &e, &o, &answer) == 0)
		answer = api_calls_reply(req, &e, &o);
	event_clear(&e);
	return answer;
}

int
api_calls_record(struct http_req *req)
{
	static const char *const keys[] = { "contact_id", "outcome", "note", NULL };
	struct audit_actor actor = api_actor(req);
	struct error err = { 0 };
	const char *outcome = NULL, *note = NULL;
	json_t *contact;
	struct event_occ o;
	struct event e;
	int answer;

	if (api_events_load(req, &e, &answer) < 0)
		return answer;
	if (api_events_session(req, &e, &o, &answer) < 0) {
		event_clear(&e);
		return answer;
	}
	contact = req->json ? json_object_get(req->json, "contact_id") : NULL;
	if (req->json == NULL || api_check_keys(req->json, keys, &err) < 0 ||
	    api_get_string(req->json, "outcome", true, &outcome, &err) < 0 ||
	    api_get_string(req->json, "note", false, &note, &err) < 0) {
		if (err.kind == ERR_NONE)
			error_set(&err, ERR_INVALID, "invalid_json", NULL,
			    "Le corps de la requête doit être un objet JSON.");
	} else if (!json_is_integer(contact) || json_integer_value(contact) <= 0) {
		error_set(&err, ERR_INVALID, "missing_field", "contact_id",
		    "Indiquez le contact appelé (« contact_id »).");
	} else if (calls_record(req->db, req->cfg, &e, &o, json_integer_value(contact), outcome,
	    note, &actor, req->now, &err) == 0) {
		answer = api_calls_reply(req, &e, &o);
		event_clear(&e);
		return answer;
	}
	event_clear(&e);
	return http_reply_error(req, &err);
}
