/*
 * api_calendar — the ateliers' calendars (calendar.h):
 *   GET  /api/v1/calendar.ics?key=           every atelier (no session: the key)
 *   GET  /api/v1/events/{id}/calendar.ics?key=   one atelier (the same)
 *   GET  /api/v1/calendars                   the links one may see
 *   POST /api/v1/calendars/renew {event_id}  a new link (admin)
 * The feeds are public routes: the key in the link is the credential, and
 * a wrong, renewed or missing key answers 404 like a feed that does not
 * exist.  An admin or a référent sees the link of every atelier and the
 * one of each; an animateur only those of the ateliers they run.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "calendar.h"
#include "events.h"

static int
api_calendar_feed(struct http_req *req, int64_t event_id)
{
	struct error err = { 0 };
	char *text;

	if (!calendar_link_check(req->db, event_id, http_arg(req, "key"))) {
		error_set(&err, ERR_NOT_FOUND, "not_found", NULL, "Ce calendrier n'existe pas, "
		    "ou son lien a été renouvelé : demandez le nouveau lien au centre.");
		return http_reply_error(req, &err);
	}
	if ((text = calendar_feed(req->db, event_id, req->cfg->centre_name, req->now,
	    &err)) == NULL)
		return http_reply_error(req, &err);
	http_add_header(req, "Content-Disposition", event_id ?
	    "inline; filename=\"atelier.ics\"" : "inline; filename=\"ateliers.ics\"");
	return http_reply_raw(req, 200, "text/calendar; charset=utf-8", text, strlen(text));
}

int
api_calendar_all(struct http_req *req)
{
	return api_calendar_feed(req, 0);
}

int
api_calendar_event(struct http_req *req)
{
	return api_calendar_feed(req, req->ids[0]);
}

int
api_calendars_list(struct http_req *req)
{
	bool animateur = req->user.role == AUTH_ROLE_ANIMATEUR;
	struct calendar_link all;
	struct error err = { 0 };
	json_t *ateliers, *every = NULL;

	if (!animateur) {
		if (calendar_link_get(req->db, 0, req->user.login, req->now, &all, &err) < 0)
			return http_reply_error(req, &err);
		every = calendar_link_json(&all);
	}
	if ((ateliers = calendar_links_json(req->db, animateur ? req->user.id : 0,
	    req->user.login, req->now, &err)) == NULL) {
		json_decref(every);
		return http_reply_error(req, &err);
	}
	return http_reply_json(req, 200, json_pack("{s:o, s:o}", "all",
	    every ? every : json_null(), "ateliers", ateliers));
}

int
api_calendars_renew(struct http_req *req)
{
	static const char *const keys[] = { "event_id", NULL };
	struct audit_actor actor = api_actor(req);
	struct calendar_link link;
	struct error err = { 0 };
	struct event e = { 0 };
	json_t *id = json_object_get(req->json, "event_id");
	int64_t event_id = 0;

	if (api_check_keys(req->json, keys, &err) < 0)
		return http_reply_error(req, &err);
	if (id != NULL && !json_is_null(id)) {
		if (!json_is_integer(id) || json_integer_value(id) <= 0) {
			error_set(&err, ERR_INVALID, "invalid_type", "event_id",
			    "Le champ « event_id » doit être le numéro d'un atelier, ou null.");
			return http_reply_error(req, &err);
		}
		event_id = json_integer_value(id);
		if (events_load(req->db, event_id, &e, &err) < 0)
			return http_reply_error(req, &err);
		event_clear(&e);
	}
	if (db_txn_begin(req->db, &err) < 0 ||
	    db_txn_end(req->db, calendar_link_renew(req->db, event_id, &actor,
	    req->now, &link, &err), &err) < 0)
		return http_reply_error(req, &err);
	return http_reply_json(req, 200, calendar_link_json(&link));
}
