/*
 * api_campaigns — /api/v1/campaigns: write, schedule, cancel, preview,
 * and what the scheduler did (runs).
 *
 * An animateur works only on campaigns about the ateliers they run;
 * admins and référents on every one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "campaigns.h"
#include "log.h"
#include "modem.h"
#include "recur.h"
#include "scheduler.h"
#include "sms.h"
#include "timeutil.h"
#include "translit.h"

#define API_PREVIEW_SAMPLES_MAX 20
#define API_AT_GRACE 600		/* an "at" this far in the past is still sent at once */
#define API_COST_OCCURRENCES_MAX 1000	/* beyond, a campaign is "without end" */

static const char *const api_campaign_keys[] = {
	"name", "body", "bodies", "audience", "schedule", "ask_reply", "transliterate",
	"ack_body", "cancel_body", "reply_for", "invitation_id", "occurrence", NULL
};
static const char *const api_audience_keys[] = { "group_ids", "contact_ids", "event_id", NULL };
static const char *const api_schedule_keys[] = { "at", "rrule", "dtstart", "before_event", NULL };
static const char *const api_bodies_keys[] = { "fr", "en", "ar", NULL };

static bool
api_campaigns_is_animateur(const struct http_req *req)
{
	return req->user.role == AUTH_ROLE_ANIMATEUR;
}

/* True when the user may work on a campaign about event_id. */
static bool
api_campaigns_event_allowed(struct http_req *req, int64_t event_id)
{
	struct event e;
	struct error err;
	bool ok;

	if (!api_campaigns_is_animateur(req))
		return true;
	if (event_id == 0 || events_load(req->db, event_id, &e, &err) < 0)
		return false;
	ok = e.owner_id == req->user.id;
	event_clear(&e);
	return ok;
}

/* Loads the campaign of the path; 404 for an animateur it does not concern. */
static int
api_campaigns_load(struct http_req *req, struct campaign *c, int *answer)
{
	struct error err = { 0 };

	if (campaigns_load(req->db, req->ids[0], c, &err) == 0 &&
	    api_campaigns_event_allowed(req, c->event_id))
		return 0;
	if (err.kind == ERR_NONE)
		error_set(&err, ERR_NOT_FOUND, "not_found", NULL, "Cette campagne n'existe pas.");
	campaign_clear(c);
	*answer = http_reply_error(req, &err);
	return -1;
}

/* api_get_text() ("" is NULL) reporting field, for keys inside "bodies". */
static int
api_campaigns_set_text(json_t *obj, const char *key, const char *field, char **dst,
    struct error *err)
{
	if (api_get_text(obj, key, true, dst, err) < 0) {
		err->field = field;
		return -1;
	}
	return 0;
}

static int
api_campaigns_apply_bodies(json_t *bodies, struct campaign *c, struct error *err)
{
	if (bodies == NULL || json_is_null(bodies))
		return 0;
	if (!json_is_object(bodies))
		return error_set(err, ERR_INVALID, "invalid_type", "bodies",
		    "« bodies » est un objet {\"en\": …, \"ar\": …}.");
	if (api_check_keys(bodies, api_bodies_keys, err) < 0)
		return -1;
	if (json_object_get(bodies, "fr") &&
	    api_campaigns_set_text(bodies, "fr", "bodies.fr", &c->body, err) < 0)
		return -1;
	return api_campaigns_set_text(bodies, "en", "bodies.en", &c->body_en, err) < 0 ||
	    api_campaigns_set_text(bodies, "ar", "bodies.ar", &c->body_ar, err) < 0 ? -1 : 0;
}

static int
api_campaigns_apply_audience(json_t *a, struct campaign *c, struct error *err)
{
	json_t *ev;

	if (a == NULL)
		return 0;
	if (!json_is_object(a))
		return error_set(err, ERR_INVALID, "invalid_type", "audience",
		    "« audience » est un objet {\"group_ids\", \"contact_ids\", \"event_id\"}.");
	if (api_check_keys(a, api_audience_keys, err) < 0)
		return -1;
	if (json_object_get(a, "group_ids")) {
		free(c->group_ids);
		if (api_get_ids(a, "group_ids", &c->group_ids, &c->ngroups, err) < 0)
			return -1;
	}
	if (json_object_get(a, "contact_ids")) {
		free(c->contact_ids);
		if (api_get_ids(a, "contact_ids", &c->contact_ids, &c->ncontacts, err) < 0)
			return -1;
	}
	if ((ev = json_object_get(a, "event_id")) != NULL) {
		if (!json_is_null(ev) && (!json_is_integer(ev) || json_integer_value(ev) <= 0))
			return error_set(err, ERR_INVALID, "invalid_type", "event_id",
			    "« event_id » est le numéro d'un atelier.");
		c->event_id = json_is_null(ev) ? 0 : json_integer_value(ev);
	}
	return 0;
}

static void
api_campaigns_clear_schedule(struct campaign *c)
{
	size_t i;

	free(c->rrule);
	c->rrule = NULL;
	for (i = 0; i < c->noffsets; i++)
		free(c->offsets[i]);
	c->noffsets = 0;
	c->at = c->dtstart = 0;
	c->schedule = CAMPAIGN_UNSCHEDULED;
}

static int
api_campaigns_apply_offsets(json_t *list, struct campaign *c, struct error *err)
{
	json_t *v;
	size_t i;

	if (!json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > CAMPAIGN_OFFSETS_MAX)
		return error_set(err, ERR_INVALID, "invalid", "schedule",
		    "« before_event » est une liste de 1 à %d rappels, par exemple [\"-1d@18:00\"].", CAMPAIGN_OFFSETS_MAX);
	json_array_foreach(list, i, v) {
		if (!json_is_string(v))
			return error_set(err, ERR_INVALID, "invalid", "schedule",
			    "Chaque rappel est un texte, par exemple \"-1d@18:00\".");
		if ((c->offsets[c->noffsets] = strdup(json_string_value(v))) == NULL)
			fatal("api: out of memory");
		c->noffsets++;
	}
	c->schedule = CAMPAIGN_BEFORE_EVENT;
	return 0;
}

static int
api_campaigns_apply_schedule(json_t *s, struct campaign *c, struct error *err)
{
	const char *rrule;
	json_t *offsets;

	if (s == NULL)
		return 0;
	api_campaigns_clear_schedule(c);
	if (json_is_null(s))
		return 0;
	if (!json_is_object(s))
		return error_set(err, ERR_INVALID, "invalid_type", "schedule", "« schedule » est "
		    "{\"at\": …}, {\"rrule\": …, \"dtstart\": …} ou {\"before_event\": […]}.");
	if (api_check_keys(s, api_schedule_keys, err) < 0)
		return -1;
	if ((offsets = json_object_get(s, "before_event")) != NULL)
		return api_campaigns_apply_offsets(offsets, c, err);
	if (json_object_get(s, "rrule")) {
		if (api_get_string(s, "rrule", true, &rrule, err) < 0 ||
		    api_get_time(s, "dtstart", &c->dtstart, err) < 0)
			return -1;
		if ((c->rrule = strdup(rrule)) == NULL)
			fatal("api: out of memory");
		c->schedule = CAMPAIGN_RRULE;
		return 0;
	}
	if (api_get_time(s, "at", &c->at, err) < 0)
		return -1;
	c->schedule = c->at ? CAMPAIGN_AT : CAMPAIGN_UNSCHEDULED;
	return 0;
}

/*
 * "reply_for": "session" or "cycle"; "invitation_id": a campaign or null;
 * "occurrence": the key of the session it is about, or null.
 */
static int
api_campaigns_apply_links(json_t *body, struct campaign *c, struct error *err)
{
	json_t *v;

	if ((v = json_object_get(body, "reply_for")) != NULL) {
		if (!json_is_string(v) || (strcmp(json_string_value(v), "session") != 0 &&
		    strcmp(json_string_value(v), "cycle") != 0))
			return error_set(err, ERR_INVALID, "invalid", "reply_for",
			    "« reply_for » vaut \"session\" (la prochaine séance) ou \"cycle\" "
			    "(toutes les séances).");
		c->reply_cycle = strcmp(json_string_value(v), "cycle") == 0;
	}
	if ((v = json_object_get(body, "invitation_id")) != NULL) {
		if (!json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) <= 0))
			return error_set(err, ERR_INVALID, "invalid_type", "invitation_id",
			    "« invitation_id » est le numéro d'une campagne.");
		c->invitation_id = json_is_null(v) ? 0 : json_integer_value(v);
	}
	if ((v = json_object_get(body, "occurrence")) != NULL) {
		if (!json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) <= 0))
			return error_set(err, ERR_INVALID, "invalid_type", "occurrence",
			    "« occurrence » est la clé d'une séance (AAAAMMJJHHMM), ou null.");
		c->occurrence = json_is_null(v) ? 0 : json_integer_value(v);
	}
	return 0;
}

/* Applies the fields present in body to c; see api.h. */
int
api_campaigns_apply(json_t *body, struct campaign *c, struct error *err)
{
	bool present;

	if (api_check_keys(body, api_campaign_keys, err) < 0 ||
	    api_campaigns_set_text(body, "name", "name", &c->name, err) < 0 ||
	    api_campaigns_set_text(body, "body", "body", &c->body, err) < 0 ||
	    api_campaigns_set_text(body, "ack_body", "ack_body", &c->ack_body, err) < 0 ||
	    api_campaigns_set_text(body, "cancel_body", "cancel_body", &c->cancel_body,
	    err) < 0 ||
	    api_campaigns_apply_bodies(json_object_get(body, "bodies"), c, err) < 0 ||
	    api_campaigns_apply_audience(json_object_get(body, "audience"), c, err) < 0 ||
	    api_campaigns_apply_schedule(json_object_get(body, "schedule"), c, err) < 0 ||
	    api_campaigns_apply_links(body, c, err) < 0 ||
	    api_get_bool(body, "ask_reply", &c->ask_reply, &present, err) < 0 ||
	    api_get_bool(body, "transliterate", &c->transliterate, &present, err) < 0)
		return -1;
	return 0;
}

int
api_campaigns_list(struct http_req *req)
{
	const char *ev = http_arg(req, "event_id");

	return http_reply_json(req, 200, campaigns_list_json(req->db,
	    ev ? strtoll(ev, NULL, 10) : 0,
	    api_campaigns_is_animateur(req) ? req->user.id : 0));
}

/* The campaign with what the scheduler did for it. */
static json_t *
api_campaigns_json(struct db *db, const struct campaign *c)
{
	DB_SQL(sql, "SELECT status, count(*) FROM messages "
	    "WHERE campaign_id = ? GROUP BY status");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *j = campaign_to_json(c), *counts = json_object();

	if (st) {
		sqlite3_bind_int64(st, 1, c->id);
		while (sqlite3_step(st) == SQLITE_ROW)
			json_object_set_new(counts, (const char *)sqlite3_column_text(st, 0),
			    json_integer(sqlite3_column_int64(st, 1)));
		sqlite3_reset(st);
	}
	json_object_set_new(j, "messages", counts);
	return j;
}

int
api_campaigns_get(struct http_req *req)
{
	struct campaign c;
	json_t *j;
	int answer;

	if (api_campaigns_load(req, &c, &answer) < 0)
		return answer;
	j = api_campaigns_json(req->db, &c);
	if (api_campaign_page(req->db, req->cfg, &c, req->now, j) < 0) {
		json_decref(j);
		campaign_clear(&c);
		return http_reply_kind(req, ERR_DB);
	}
	campaign_clear(&c);
	return http_reply_json(req, 200, j);
}

/* Creates (path without id) or changes a campaign; answers. */
static int
api_campaigns_write(struct http_req *req, bool creating)
{
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	struct campaign c = { 0 };
	json_t *j = NULL;
	int answer;

	if (req->json == NULL)
		return http_reply_fail(req, 400, "invalid_json", NULL,
		    "Le corps de la requête doit être un objet JSON.");
	if (!creating && api_campaigns_load(req, &c, &answer) < 0)
		return answer;
	if (creating)
		c.owner_id = req->user.id;
	if (api_campaigns_apply(req->json, &c, &err) < 0 ||
	    campaign_validate(req->db, &c, &err) < 0)
		goto out;
	if (!api_campaigns_event_allowed(req, c.event_id)) {
		error_set(&err, ERR_FORBIDDEN, "forbidden", "event_id",
		    "Un animateur écrit seulement des campagnes sur les ateliers qu'il anime.");
		goto out;
	}
	if (api_campaigns_is_animateur(req) && (c.ngroups || c.ncontacts)) {
		error_set(&err, ERR_FORBIDDEN, "forbidden", "audience",
		    "Un animateur écrit aux invités de ses ateliers : la campagne part aux invités "
		    "de l'atelier choisi.");
		goto out;
	}
	if (db_txn_begin(req->db, &err) < 0 || db_txn_end(req->db,
	    campaigns_write(req->db, &c, &actor, req->now, &err), &err) < 0)
		goto out;
	scheduler_poke(req->app->sched);
	j = api_campaigns_json(req->db, &c);
out:
	campaign_clear(&c);
	if (j == NULL)
		return http_reply_error(req, &err);
	return http_reply_json(req, creating ? 201 : 200, j);
}

int
api_campaigns_create(struct http_req *req)
{
	return api_campaigns_write(req, true);
}

int
api_campaigns_update(struct http_req *req)
{
	return api_campaigns_write(req, false);
}

/*
 * The reminders tied to invitation id follow it, in the caller's
 * transaction: scheduled with it while they are drafts (what "schedule",
 * checked as it is), drafts again with it while only scheduled
 * ("unschedule"), else cancelled with it.  0 or -1 with *err.
 */
static int
api_campaigns_reminders_follow(struct db *db, int64_t id, const char *what,
    const struct audit_actor *actor, int64_t now, struct error *err)
{
	bool schedule = strcmp(what, "schedule") == 0, back = strcmp(what, "unschedule") == 0;
	struct campaign r;
	int64_t *ids;
	size_t n, i;
	int rc = 0;

	ids = campaigns_reminder_ids(db, id, schedule ? "draft" : back ? "scheduled" :
	    "draft scheduled running done", &n);
	for (i = 0; rc == 0 && i < n; i++) {
		if (back) {
			rc = campaigns_set_status(db, ids[i], "scheduled", "draft", actor, now, err);
			continue;
		}
		if (!schedule) {
			rc = scheduler_campaign_cancel(db, ids[i], actor, now, NULL, err);
			continue;
		}
		if ((rc = campaigns_load(db, ids[i], &r, err)) == 0 &&
		    (rc = campaign_validate(db, &r, err)) == 0)
			rc = campaigns_set_status(db, ids[i], "draft", "scheduled", actor, now, err);
		campaign_clear(&r);
	}
	free(ids);
	return rc;
}

/* Schedules, unschedules, cancels or deletes; answers with the campaign (or 204). */
static int
api_campaigns_change(struct http_req *req, const char *what)
{
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	struct campaign c;
	int answer, rc = 0;
	json_t *j;

	if (api_campaigns_load(req, &c, &answer) < 0)
		return answer;
	if (strcmp(what, "schedule") == 0 && (campaign_validate(req->db, &c, &err) < 0 ||
	    (c.schedule == CAMPAIGN_UNSCHEDULED && error_set(&err, ERR_INVALID, "missing_field",
	    "schedule", "Choisissez quand envoyer la campagne.") < 0) ||
	    (c.schedule == CAMPAIGN_AT && c.at < req->now - API_AT_GRACE && error_set(&err,
	    ERR_INVALID, "in_the_past", "schedule", "L'heure d'envoi est passée.") < 0))) {
		campaign_clear(&c);
		return http_reply_error(req, &err);
	}
	if (db_txn_begin(req->db, &err) < 0) {
		campaign_clear(&c);
		return http_reply_error(req, &err);
	}
	if (strcmp(what, "schedule") == 0)
		rc = campaigns_set_status(req->db, c.id, "draft", "scheduled", &actor,
		    req->now, &err);
	else if (strcmp(what, "unschedule") == 0)
		rc = strcmp(c.status, "scheduled") != 0 ? error_set(&err, ERR_CONFLICT, "started",
		    NULL, "Cette campagne n'est pas programmée sans avoir commencé : elle ne peut "
		    "plus redevenir un brouillon. Dupliquez-la pour en écrire une autre.") :
		    campaigns_set_status(req->db, c.id, "scheduled", "draft", &actor, req->now,
		    &err);
	else if (strcmp(what, "delete") == 0 && strcmp(c.status, "draft") == 0)
		rc = campaigns_delete_draft(req->db, c.id) < 0 || audit_record(req->db,
		    &actor, req->now, "delete", "campaign", c.id, NULL) < 0 ? -1 : 0;
	else
		rc = scheduler_campaign_cancel(req->db, c.id, &actor, req->now, NULL, &err);
	if (rc == 0 && !(strcmp(what, "delete") == 0 && strcmp(c.status, "draft") == 0))
		rc = api_campaigns_reminders_follow(req->db, c.id, what, &actor, req->now, &err);
	if (db_txn_end(req->db, rc, &err) < 0) {
		campaign_clear(&c);
		return http_reply_error(req, &err);
	}
	scheduler_poke(req->app->sched);
	if (strcmp(what, "delete") == 0 && strcmp(c.status, "draft") == 0) {
		campaign_clear(&c);
		return http_reply_empty(req, 204);
	}
	campaign_clear(&c);
	if (campaigns_load(req->db, req->ids[0], &c, &err) < 0)
		return http_reply_error(req, &err);
	j = api_campaigns_json(req->db, &c);
	campaign_clear(&c);
	return http_reply_json(req, 200, j);
}

int
api_campaigns_schedule(struct http_req *req)
{
	return api_campaigns_change(req, "schedule");
}

int
api_campaigns_cancel(struct http_req *req)
{
	return api_campaigns_change(req, "cancel");
}

int
api_campaigns_unschedule(struct http_req *req)
{
	return api_campaigns_change(req, "unschedule");
}

int
api_campaigns_delete(struct http_req *req)
{
	return api_campaigns_change(req, "delete");
}

int
api_campaigns_runs(struct http_req *req)
{
	DB_SQL(sql, "SELECT occurrence, due_at, state, queued, left_out, "
	    "done_at FROM campaign_runs WHERE campaign_id = ? ORDER BY due_at, occurrence");
	struct campaign c;
	sqlite3_stmt *st;
	json_t *list = json_array();
	int answer;

	if (api_campaigns_load(req, &c, &answer) < 0) {
		json_decref(list);
		return answer;
	}
	if ((st = db_stmt(req->db, sql)) != NULL) {
		sqlite3_bind_int64(st, 1, c.id);
		while (sqlite3_step(st) == SQLITE_ROW)
			json_array_append_new(list, json_pack("{s:s, s:o, s:s, s:I, s:I, s:o}",
			    "occurrence", sqlite3_column_text(st, 0),
			    "due_at", time_json(sqlite3_column_int64(st, 1)),
			    "state", sqlite3_column_text(st, 2),
			    "queued", (json_int_t)sqlite3_column_int64(st, 3),
			    "left_out", (json_int_t)sqlite3_column_int64(st, 4),
			    "done_at", time_json(sqlite3_column_int64(st, 5))));
		sqlite3_reset(st);
	}
	campaign_clear(&c);
	return http_reply_json(req, 200, list);
}

/* Preview */

/* Occurrences the campaign will have from now, or -1 when without end. */
static int
api_preview_occurrences(struct db *db, const struct campaign *c, const struct event *e,
    int64_t now)
{
	struct event_occ *occ;
	int64_t *starts;
	int n;

	switch (c->schedule) {
	case CAMPAIGN_UNSCHEDULED:
	case CAMPAIGN_AT:
		return 1;
	case CAMPAIGN_RRULE:
		if ((starts = calloc(API_COST_OCCURRENCES_MAX, sizeof(*starts))) == NULL)
			fatal("api: out of memory");
		n = recur_expand(c->rrule, c->dtstart, now, INT64_MAX / 2, starts,
		    API_COST_OCCURRENCES_MAX);
		free(starts);
		return n >= API_COST_OCCURRENCES_MAX ? -1 : n;
	case CAMPAIGN_BEFORE_EVENT:
		if (e == NULL)
			return 0;
		if ((occ = calloc(API_COST_OCCURRENCES_MAX, sizeof(*occ))) == NULL)
			fatal("api: out of memory");
		n = events_occurrences(db, e, now, now + 10 * 366 * 24 * 3600, occ,
		    API_COST_OCCURRENCES_MAX);
		free(occ);
		return n >= API_COST_OCCURRENCES_MAX ? -1 : n * (int)c->noffsets;
	}
	return 1;
}

/* The start of the session key, else of the atelier's next one, for {date} and {heure}. */
static int64_t
api_preview_when(struct db *db, const struct event *e, int64_t key, int64_t now)
{
	struct event_occ occ[8];
	struct error err;
	int n, i;

	if (key && events_occurrence_get(db, e, key, &occ[0], &err) == 0)
		return occ[0].starts_at;
	n = events_occurrences(db, e, now, now + 5 * 366 * 24 * 3600, occ, 8);
	for (i = 0; i < n; i++)
		if (!occ[i].cancelled)
			return occ[i].starts_at;
	return e->starts_at;
}

struct api_preview_sum {
	size_t sms;			/* parts for every recipient, one occurrence */
	size_t gsm7;			/* recipients whose text is GSM-7 */
};

static json_t *
api_preview_sample(const struct campaign_recipient *r, const char *text,
    const struct sms_info *info)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I}",
	    "contact_id", (json_int_t)r->contact_id,
	    "name", r->first_name,
	    "language", r->language,
	    "text", text,
	    "encoding", sms_encoding_name(info->encoding),
	    "parts", (json_int_t)info->parts,
	    "chars", (json_int_t)info->chars,
	    "chars_left", (json_int_t)info->left);
}

/* Renders c for every recipient of a, adding up the cost; samples for the first ones. */
static int
api_preview_render(const struct campaign *c, const struct config *cfg,
    const struct event *e, int64_t when, const struct campaign_audience *a,
    int64_t only_contact, size_t nsamples, json_t *samples, struct api_preview_sum *sum,
    struct error *err)
{
	struct buf text = { 0 };
	struct sms_info info;
	size_t i;

	for (i = 0; i < a->n; i++) {
		buf_reset(&text);
		if (campaign_render(c, NULL, cfg, e, when, &a->list[i], &text) < 0) {
			buf_free(&text);
			return error_set(err, ERR_INVALID, "invalid", "body", "Modèle invalide.");
		}
		buf_putc(&text, '\0');
		sms_analyze(text.data, &info);
		sum->sms += info.parts;
		sum->gsm7 += info.encoding == SMS_GSM7;
		/* one sample per person: a relative's number gets the same text */
		if (samples && json_array_size(samples) < nsamples && a->list[i].extra == 0 &&
		    (only_contact == 0 || only_contact == a->list[i].contact_id))
			json_array_append_new(samples, api_preview_sample(&a->list[i], text.data,
			    &info));
	}
	buf_free(&text);
	return 0;
}

static json_t *
api_preview_cost(size_t sms, int occurrences)
{
	return json_pack("{s:I, s:o}", "sms_per_occurrence", (json_int_t)sms,
	    "sms_total", occurrences < 0 ? json_null() :
	    json_integer((json_int_t)sms * occurrences));
}

int
api_campaigns_preview(struct http_req *req)
{
	struct error err = { 0 };
	struct campaign c = { 0 };
	struct campaign_audience a = { 0 };
	struct api_preview_sum sum = { 0 }, alt = { 0 };
	struct event e = { 0 };
	json_t *samples = json_array(), *j = NULL, *v;
	int64_t only = 0, when = 0;
	size_t nsamples = 5;
	int occurrences;

	if (req->json == NULL) {
		json_decref(samples);
		return http_reply_fail(req, 400, "invalid_json", NULL,
		    "Le corps de la requête doit être un objet JSON.");
	}
	if ((v = json_object_get(req->json, "contact_id")) && json_is_integer(v))
		only = json_integer_value(v);
	if ((v = json_object_get(req->json, "samples")) && json_is_integer(v) &&
	    json_integer_value(v) >= 0 && json_integer_value(v) <= API_PREVIEW_SAMPLES_MAX)
		nsamples = (size_t)json_integer_value(v);
	json_object_del(req->json, "contact_id");
	json_object_del(req->json, "samples");
	if ((v = json_object_get(req->json, "campaign_id")) && json_is_integer(v)) {
		if (campaigns_load(req->db, json_integer_value(v), &c, &err) < 0)
			goto out;
		json_object_del(req->json, "campaign_id");
	}
	if (c.name == NULL && (c.name = strdup("aperçu")) == NULL)
		fatal("api: out of memory");
	if (api_campaigns_apply(req->json, &c, &err) < 0 ||
	    campaign_validate(req->db, &c, &err) < 0)
		goto out;
	if (!api_campaigns_event_allowed(req, c.event_id)) {
		error_set(&err, ERR_FORBIDDEN, "forbidden", "event_id", "Un animateur prévisualise "
		    "seulement des campagnes sur les ateliers qu'il anime.");
		goto out;
	}
	/* as when saving: the samples would show other people's names */
	if (api_campaigns_is_animateur(req) && (c.ngroups || c.ncontacts)) {
		error_set(&err, ERR_FORBIDDEN, "forbidden", "audience",
		    "Un animateur écrit aux invités de ses ateliers seulement (ni groupe ni contact "
		    "en plus).");
		goto out;
	}
	if (c.event_id && events_load(req->db, c.event_id, &e, &err) < 0)
		goto out;
	if (c.event_id)
		when = api_preview_when(req->db, &e, c.occurrence, req->now);
	if (campaign_audience(req->db, &c, &a) < 0) {
		error_fail(&err, ERR_DB);
		goto out;
	}
	if (api_preview_render(&c, req->cfg, c.event_id ? &e : NULL, when, &a, only,
	    nsamples, samples, &sum, &err) < 0)
		goto out;
	occurrences = api_preview_occurrences(req->db, &c, c.event_id ? &e : NULL,
	    req->now);
	j = json_pack("{s:I, s:I, s:{s:I, s:I}, s:o, s:o, s:o}",
	    "recipients", (json_int_t)a.people, "numbers", (json_int_t)a.n,
	    "left_out", "opted_out", (json_int_t)a.opted_out,
	    "no_mobile", (json_int_t)a.no_mobile,
	    "occurrences", occurrences < 0 ? json_null() : json_integer(occurrences),
	    "cost", api_preview_cost(sum.sms, occurrences),
	    "samples", samples);
	samples = NULL;
	if (!c.transliterate) {
		/* what the accents cost: the same campaign transliterated */
		c.transliterate = true;
		if (api_preview_render(&c, req->cfg, c.event_id ? &e : NULL, when, &a, 0,
		    0, NULL, &alt, &err) == 0 && alt.sms < sum.sms)
			json_object_set_new(j, "transliterated", json_pack("{s:o, s:I}",
			    "cost", api_preview_cost(alt.sms, occurrences),
			    "saving_per_occurrence", (json_int_t)(sum.sms - alt.sms)));
	}
out:
	json_decref(samples);
	campaign_clear(&c);
	campaign_audience_clear(&a);
	event_clear(&e);
	if (j == NULL)
		return http_reply_error(req, &err);
	return http_reply_json(req, 200, j);
}
