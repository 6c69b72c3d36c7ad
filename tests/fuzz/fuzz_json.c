/*
 * fuzz_json — the JSON bodies of the API's write routes.  The input is a
 * request body; it is parsed as http.c parses it (an object, duplicate
 * keys refused), then given to the body reader of each route that takes
 * one and, when the reader accepts it, to the module's own checks and
 * write, in a transaction that is rolled back:
 *   POST/PATCH /contacts         api_contact_apply, contacts_save
 *   POST/PATCH /events           api_events_apply (as an admin and as an
 *                                animateur), the invitee ids, events_write
 *   POST/PATCH /campaigns        api_campaigns_apply, campaign_validate,
 *                                campaigns_write, campaign_render
 *   PUT /events/{id}/rsvps/{c}   api_events_rsvp_body
 *   POST/PATCH /users            api_users_role
 *   POST/PATCH /groups           the name and member ids, groups_create
 * An error is always a 4xx; what is saved can be shown (the API's JSON
 * of it is complete); the database is left outside any transaction.
 */
#include "api.h"
#include "auth.h"
#include "campaigns.h"
#include "config.h"
#include "contacts.h"
#include "events.h"
#include "fuzz.h"
#include "groups.h"
#include "text.h"

static struct db *fuzz_db;
static struct config *fuzz_cfg;
static int64_t fuzz_admin, fuzz_animateur, fuzz_contact, fuzz_event;

/* A centre with two users, a group, a contact in it and a weekly atelier. */
static void
fuzz_json_fill(void)
{
	struct audit_actor actor = { 0, "fuzz" };
	struct event e = { 0 };
	struct error err = { 0 };
	struct event_invitees inv = { 0 };
	const char *reason = NULL;
	int64_t group;

	fuzz_assert(auth_user_add(fuzz_db, "directrice", AUTH_ROLE_ADMIN, "rappel-fuzz-2026",
	    FUZZ_NOW, &fuzz_admin, &reason) == 0);
	fuzz_assert(auth_user_add(fuzz_db, "animateur", AUTH_ROLE_ANIMATEUR,
	    "rappel-fuzz-2026", FUZZ_NOW, &fuzz_animateur, &reason) == 0);
	fuzz_assert(groups_create(fuzz_db, "Parents", &actor, FUZZ_NOW, &group, &err) == 0);
	fuzz_contact = fuzz_contact_add(fuzz_db, "06 39 98 00 01", group);
	e.title = strdup("Atelier cuisine");
	e.place = strdup("Salle polyvalente");
	e.rrule = strdup("FREQ=WEEKLY;BYDAY=TH;COUNT=10");
	e.starts_at = FUZZ_NOW + 86400 * 7 + 3 * 3600;
	e.ends_at = e.starts_at + 2 * 3600;
	e.owner_id = fuzz_animateur;
	inv.group_ids = &group;
	inv.ngroups = 1;
	fuzz_assert(events_write(fuzz_db, &e, &inv, &actor, FUZZ_NOW, &err) == 0);
	fuzz_event = e.id;
	event_clear(&e);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup();
	fuzz_db = fuzz_db_open();
	fuzz_cfg = fuzz_config();
	fuzz_json_fill();
	return 0;
}

/* What every refusal of a body must look like. */
static void
fuzz_json_refused(const struct error *err)
{
	fuzz_assert(error_http_status(err->kind) >= 400 && error_http_status(err->kind) < 500);
	fuzz_assert(err->code != NULL && err->message[0] != '\0');
}

/* The API's answer about what it saved: there is one (all its text is UTF-8). */
static void
fuzz_json_shown(json_t *j)
{
	fuzz_assert(j != NULL);
	json_decref(j);
}

/* What the API answers about a contact it saved: every field, every number. */
static void
fuzz_json_contact_shown(const struct contact *c)
{
	json_t *j = contact_to_json(c);
	size_t i;

	fuzz_assert(j != NULL);
	fuzz_assert(json_array_size(json_object_get(j, "phones")) == c->nphones);
	for (i = 0; i < c->nphones; i++)
		fuzz_assert(text_utf8_valid(c->phones[i].label, strlen(c->phones[i].label)));
	json_decref(j);
}

/* Runs a module's write in a transaction that is then rolled back. */
static void
fuzz_json_begin(void)
{
	fuzz_assert(db_begin(fuzz_db) == 0);
}

static void
fuzz_json_rollback(void)
{
	db_rollback(fuzz_db);
	fuzz_assert(sqlite3_get_autocommit(db_handle(fuzz_db)));
}

static void
fuzz_json_contact(struct http_req *req, int64_t id)
{
	struct audit_actor actor = api_actor(req);
	struct error err = { 0 };
	struct contact c = { 0 };
	json_t *warnings = json_array();

	if (id)
		fuzz_assert(contacts_load(fuzz_db, id, &c, &err) == 0);
	if (api_contact_apply(req, &c, warnings, &err) == 0) {
		fuzz_json_begin();
		if (contacts_save(fuzz_db, &c, &actor, req->now, &err) == 0)
			fuzz_json_contact_shown(&c);
		else
			fuzz_json_refused(&err);
		fuzz_json_rollback();
	} else {
		fuzz_json_refused(&err);
	}
	fuzz_assert(c.nphones <= CONTACT_PHONES_MAX);
	contact_clear(&c);
	json_decref(warnings);
}

static void
fuzz_json_event(struct http_req *req, int64_t id)
{
	struct audit_actor actor = api_actor(req);
	struct error err = { 0 };
	struct event e = { 0 };
	struct event_invitees inv = { 0 };
	int64_t *groups = NULL, *contacts = NULL;

	if (id)
		fuzz_assert(events_load(fuzz_db, id, &e, &err) == 0);
	else
		e.owner_id = req->user.id;
	if (api_events_apply(req, &e, &err) < 0 ||
	    api_get_ids(req->json, "group_ids", &groups, &inv.ngroups, &err) < 0 ||
	    api_get_ids(req->json, "contact_ids", &contacts, &inv.ncontacts, &err) < 0) {
		fuzz_json_refused(&err);
		goto out;
	}
	inv.group_ids = groups;
	inv.contact_ids = contacts;
	fuzz_json_begin();
	if (events_write(fuzz_db, &e, &inv, &actor, req->now, &err) == 0)
		fuzz_json_shown(events_to_json(fuzz_db, &e, req->now));
	else
		fuzz_json_refused(&err);
	fuzz_json_rollback();
out:
	free(groups);
	free(contacts);
	event_clear(&e);
}

/* The texts a campaign would send, as the preview shows them. */
static void
fuzz_json_render(const struct campaign *c)
{
	static const char *const languages[] = { "fr", "en", "ar" };
	struct campaign_recipient r = { .contact_id = 1, .first_name = "Éloïse",
		.last_name = "Martin", .number = "+33639980001" };
	struct event e = { 0 };
	struct error err = { 0 };
	struct buf out = { 0 };
	size_t i;
	bool has_event = c->event_id && events_load(fuzz_db, c->event_id, &e, &err) == 0;

	for (i = 0; i < 3; i++) {
		snprintf(r.language, sizeof(r.language), "%s", languages[i]);
		fuzz_assert(campaign_render(c, NULL, fuzz_cfg, has_event ? &e : NULL,
		    has_event ? e.starts_at : 0, &r, &out) == 0);
		if (c->ack_body)
			campaign_render(c, c->ack_body, fuzz_cfg, has_event ? &e : NULL,
			    has_event ? e.starts_at : 0, &r, &out);
		buf_free(&out);
	}
	if (has_event)
		event_clear(&e);
}

static void
fuzz_json_campaign(struct http_req *req)
{
	struct audit_actor actor = api_actor(req);
	struct error err = { 0 };
	struct campaign c = { 0 };

	c.owner_id = req->user.id;
	if (api_campaigns_apply(req->json, &c, &err) < 0 ||
	    campaign_validate(fuzz_db, &c, &err) < 0) {
		fuzz_json_refused(&err);
		goto out;
	}
	fuzz_json_render(&c);
	fuzz_json_begin();
	if (campaigns_write(fuzz_db, &c, &actor, req->now, &err) == 0)
		fuzz_json_shown(campaign_to_json(&c));
	else
		fuzz_json_refused(&err);
	fuzz_json_rollback();
out:
	campaign_clear(&c);
}

static void
fuzz_json_group(struct http_req *req)
{
	struct audit_actor actor = api_actor(req);
	struct error err = { 0 };
	const char *name;
	int64_t *members = NULL, id;
	size_t n = 0;

	if (api_get_string(req->json, "name", true, &name, &err) < 0 ||
	    api_get_ids(req->json, "contact_ids", &members, &n, &err) < 0) {
		fuzz_json_refused(&err);
		goto out;
	}
	fuzz_json_begin();
	if (groups_create(fuzz_db, name, &actor, req->now, &id, &err) == 0 &&
	    groups_set_members(fuzz_db, id, members, n, &actor, req->now, &err) == 0)
		fuzz_json_shown(groups_get_json(fuzz_db, id, &err));
	else
		fuzz_json_refused(&err);
	fuzz_json_rollback();
out:
	free(members);
}

static void
fuzz_json_small(json_t *body)
{
	struct error err = { 0 };
	enum auth_role role;
	bool present;
	int answer, here;

	if (api_events_rsvp_body(body, &answer, &here, &err) < 0)
		fuzz_json_refused(&err);
	else
		fuzz_assert(answer >= 0 || here >= -1);
	memset(&err, 0, sizeof(err));
	if (api_users_role(body, &role, &present, &err) < 0)
		fuzz_json_refused(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_req req = { .now = FUZZ_NOW };
	json_error_t jerr;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);

	if (body == NULL || !json_is_object(body)) {
		json_decref(body);
		return 0;
	}
	req.json = body;
	req.user.id = fuzz_admin;
	req.user.role = AUTH_ROLE_ADMIN;
	snprintf(req.user.login, sizeof(req.user.login), "directrice");
	fuzz_json_contact(&req, 0);
	fuzz_json_contact(&req, fuzz_contact);
	fuzz_json_event(&req, 0);
	fuzz_json_campaign(&req);
	fuzz_json_group(&req);
	fuzz_json_small(body);
	req.user.id = fuzz_animateur;
	req.user.role = AUTH_ROLE_ANIMATEUR;
	fuzz_json_event(&req, fuzz_event);
	json_decref(body);
	return 0;
}
