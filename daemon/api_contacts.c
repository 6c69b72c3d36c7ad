/*
 * api_contacts — /api/v1/contacts: list, create, read, change, erase.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "contacts.h"
#include "import.h"
#include "log.h"
#include "timeutil.h"

static const char *const api_contact_keys[] = {
	"first_name", "last_name", "phone", "phones", "language", "group_ids",
	"consent_at", "consent_source", "opted_out", "notes", NULL
};

/* Reads "phones": [{"number", "label", "sms"}, ...] into c (replacing). */
static int
api_contact_set_phones(struct contact *c, json_t *list, json_t *warnings, struct error *err)
{
	json_t *item;
	size_t i;

	if (!json_is_array(list))
		return error_set(err, ERR_INVALID, "invalid_type", "phones",
		    "« phones » doit être une liste de numéros.");
	c->nphones = 0;
	json_array_foreach(list, i, item) {
		const char *number = NULL, *label = NULL;
		bool sms = true;
		if (json_is_string(item)) {
			number = json_string_value(item);
		} else if (!json_is_object(item) ||
		    api_get_string(item, "number", true, &number, err) < 0 ||
		    api_get_string(item, "label", false, &label, err) < 0 ||
		    api_get_bool(item, "sms", &sms, NULL, err) < 0) {
			if (err->kind == ERR_NONE || !err->field)
				error_set(err, ERR_INVALID, "invalid_type", "phones",
				    "Chaque numéro est {\"number\", \"label\", \"sms\"}.");
			err->field = "phones";
			return -1;
		}
		if (contact_add_phone(c, number, label, sms, "phones", warnings, err) < 0)
			return -1;
	}
	return 0;
}

/* Keeps the household numbers and replaces the main one. */
static int
api_contact_set_main_phone(struct contact *c, const char *typed, json_t *warnings,
    struct error *err)
{
	struct contact_phone others[CONTACT_PHONES_MAX];
	size_t nothers = c->nphones > 1 ? c->nphones - 1 : 0, i;

	memcpy(others, c->phones + 1, nothers * sizeof(others[0]));
	c->nphones = 0;
	if (contact_add_phone(c, typed, NULL, true, "phone", warnings, err) < 0)
		return -1;
	for (i = 0; i < nothers; i++)
		if (strcmp(others[i].number, c->phones[0].number) != 0 &&
		    c->nphones < CONTACT_PHONES_MAX)
			c->phones[c->nphones++] = others[i];
	return 0;
}

/* Applies the fields present in body to c (create or PATCH); see api.h. */
int
api_contact_apply(struct http_req *req, struct contact *c, json_t *warnings,
    struct error *err)
{
	json_t *body = req->json;
	const char *s;
	bool opted_out = false, present = false;

	if (body == NULL)
		return error_set(err, ERR_INVALID, "invalid_json", NULL,
		    "Le corps de la requête doit être un objet JSON.");
	if (api_check_keys(body, api_contact_keys, err) < 0 ||
	    api_get_text(body, "first_name", false, &c->first_name, err) < 0 ||
	    api_get_text(body, "last_name", false, &c->last_name, err) < 0 ||
	    api_get_text(body, "notes", false, &c->notes, err) < 0 ||
	    api_get_text(body, "consent_source", false, &c->consent_source, err) < 0 ||
	    api_get_time(body, "consent_at", &c->consent_at, err) < 0 ||
	    api_get_bool(body, "opted_out", &opted_out, &present, err) < 0)
		return -1;
	if (present)
		c->opted_out_at = opted_out ? (c->opted_out_at ? c->opted_out_at : req->now) : 0;
	if (json_object_get(body, "language")) {
		if (api_get_string(body, "language", true, &s, err) < 0)
			return -1;
		snprintf(c->language, sizeof(c->language), "%.2s", s);
		if (strlen(s) != 2)
			return error_set(err, ERR_INVALID, "invalid", "language",
			    "Langue inconnue : choisissez fr, en ou ar.");
	}
	if (json_object_get(body, "phones")) {
		if (api_contact_set_phones(c, json_object_get(body, "phones"), warnings, err) < 0)
			return -1;
	} else if (json_object_get(body, "phone")) {
		if (api_get_string(body, "phone", true, &s, err) < 0 ||
		    api_contact_set_main_phone(c, s, warnings, err) < 0)
			return -1;
	}
	if (json_object_get(body, "group_ids")) {
		free(c->group_ids);
		if (api_get_ids(body, "group_ids", &c->group_ids, &c->ngroups, err) < 0)
			return -1;
	}
	return 0;
}

/*
 * After a save: says which of c's numbers sent STOP (optout.h), and that
 * c is opted out because of its first number when it was not before
 * (was_out: c's opt-out as the request left it, before the save).
 */
static void
api_contact_warn_opt_outs(const struct contact *c, int64_t was_out, json_t *warnings)
{
	size_t i;

	for (i = 0; i < c->nphones; i++) {
		if (c->phones[i].opted_out_at == 0 || (i == 0 && was_out))
			continue;
		json_array_append_new(warnings, json_pack("{s:s, s:s, s:s}",
		    "field", i == 0 ? "phone" : "phones", "number", c->phones[i].number,
		    "message", i == 0 ? "Ce numéro a demandé à ne plus recevoir de SMS (STOP) : "
		    "le contact est enregistré comme ne voulant plus de SMS." :
		    "Ce numéro a demandé à ne plus recevoir de SMS (STOP) : il n'en recevra pas."));
	}
}

static int
api_contact_reply(struct http_req *req, unsigned status, struct contact *c, json_t *warnings)
{
	json_t *out = contact_to_json(c);

	if (warnings && json_array_size(warnings))
		json_object_set(out, "warnings", warnings);
	json_decref(warnings);
	contact_clear(c);
	return http_reply_json(req, status, out);
}

static int
api_contact_fail(struct http_req *req, struct contact *c, json_t *warnings,
    const struct error *err)
{
	json_decref(warnings);
	contact_clear(c);
	return http_reply_error(req, err);
}

int
api_contacts_create(struct http_req *req)
{
	struct contact c = { 0 };
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	json_t *warnings = json_array();
	int64_t was_out;

	if (api_contact_apply(req, &c, warnings, &err) < 0)
		return api_contact_fail(req, &c, warnings, &err);
	was_out = c.opted_out_at;
	if (contacts_save(req->db, &c, &actor, req->now, &err) < 0)
		return api_contact_fail(req, &c, warnings, &err);
	api_contact_warn_opt_outs(&c, was_out, warnings);
	log_info("contacts: created id=%lld by=%s", (long long)c.id, req->user.login);
	return api_contact_reply(req, 201, &c, warnings);
}

int
api_contacts_get(struct http_req *req)
{
	struct contact c;
	struct error err = { 0 };

	if (req->user.role == AUTH_ROLE_ANIMATEUR &&
	    !contacts_invited_by(req->db, req->ids[0], req->user.id))
		return http_reply_fail(req, 404, "not_found", NULL, "Ce contact n'existe pas.");
	if (contacts_load(req->db, req->ids[0], &c, &err) < 0)
		return http_reply_error(req, &err);
	return api_contact_reply(req, 200, &c, NULL);
}

int
api_contacts_update(struct http_req *req)
{
	struct contact c;
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	json_t *warnings = json_array();
	int64_t was_out;

	if (contacts_load(req->db, req->ids[0], &c, &err) < 0) {
		json_decref(warnings);
		return http_reply_error(req, &err);
	}
	if (api_contact_apply(req, &c, warnings, &err) < 0)
		return api_contact_fail(req, &c, warnings, &err);
	was_out = c.opted_out_at;
	if (contacts_save(req->db, &c, &actor, req->now, &err) < 0)
		return api_contact_fail(req, &c, warnings, &err);
	api_contact_warn_opt_outs(&c, was_out, warnings);
	log_info("contacts: updated id=%lld by=%s", (long long)c.id, req->user.login);
	return api_contact_reply(req, 200, &c, warnings);
}

int
api_contacts_delete(struct http_req *req)
{
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);

	if (contacts_erase(req->db, req->ids[0], &actor, req->now, &err) < 0)
		return http_reply_error(req, &err);
	log_info("contacts: erased id=%lld by=%s", (long long)req->ids[0], req->user.login);
	return http_reply_empty(req, 204);
}

/*
 * The list is the panel's largest answer (3,000 contacts: about 1 MiB of
 * JSON) and its most frequent: it is kept, per search and scope, until the
 * database changes (http_reply_kept()).
 */
int
api_contacts_list(struct http_req *req)
{
	const char *q = http_arg(req, "q"), *g = http_arg(req, "group_id");
	int64_t group_id = 0, owner;
	struct buf key = { 0 }, out = { 0 };
	struct db_stamp stamp;
	size_t len;
	char *end;
	int r;

	if (g && g[0]) {
		group_id = strtoll(g, &end, 10);
		if (*end != '\0' || group_id <= 0)
			return http_reply_fail(req, 400, "invalid", "group_id",
			    "« group_id » doit être un numéro de groupe.");
	}
	/* an animateur sees the people invited to the ateliers they run */
	owner = req->user.role == AUTH_ROLE_ANIMATEUR ? req->user.id : 0;
	buf_printf(&key, "contacts owner=%lld group=%lld q=%s", (long long)owner,
	    (long long)group_id, q ? q : "");
	if ((r = http_reply_kept(req, key.data, &stamp)) >= 0) {
		buf_free(&key);
		return r;
	}
	/* here this request is the one that builds it (http_reply_kept()) */
	if (db_begin_read(req->db) < 0) {
		http_reply_unkept(req);
		buf_free(&key);
		return http_reply_kind(req, ERR_DB);
	}
	if (contacts_list_json(req->db, q, group_id, owner, &out) < 0) {
		db_rollback(req->db);
		http_reply_unkept(req);
		buf_free(&key);
		buf_free(&out);
		return http_reply_kind(req, ERR_DB);
	}
	db_commit(req->db);
	len = out.len;
	r = http_reply_keep(req, key.data, &stamp, buf_steal(&out), len);
	buf_free(&key);
	return r;
}

/* Most columns a request may mark "ignore". */
#define API_IMPORT_MAX_IGNORE 64

/*
 * An import's file and the columns chosen by the person: ?phone=3&first_name=1
 * … (1-based column numbers, as the preview numbers them) and ?ignore=4,6.
 */
static int
api_import_options(struct http_req *req, struct import_options *opt,
    int ignore[API_IMPORT_MAX_IGNORE], struct error *err)
{
	const char *v, *p;
	char *end;
	long n;
	int r;

	if (req->body.len == 0)
		return error_set(err, ERR_INVALID, "invalid_csv", NULL,
		    "Envoyez le fichier CSV dans le corps de la requête.");
	for (r = 0; r < IMPORT_NCOLS; r++) {
		if ((v = http_arg(req, import_role_name(r))) == NULL || *v == '\0')
			continue;
		n = strtol(v, &end, 10);
		if (*end != '\0' || n < 1 || n > 10000)
			return error_set(err, ERR_INVALID, "invalid", import_role_name(r),
			    "Numéro de colonne invalide : « %s ».", v);
		opt->chosen[r] = (int)n;
	}
	for (p = http_arg(req, "ignore"); p && *p; p = *end == ',' ? end + 1 : end) {
		n = strtol(p, &end, 10);
		if (end == p || (*end != ',' && *end != '\0') || n < 1 || n > 10000 ||
		    opt->nignore == API_IMPORT_MAX_IGNORE)
			return error_set(err, ERR_INVALID, "invalid", "ignore",
			    "Liste de colonnes à ignorer invalide : « %s ».", http_arg(req, "ignore"));
		ignore[opt->nignore++] = (int)n;
	}
	opt->ignore = ignore;
	return 0;
}

int
api_contacts_import_columns(struct http_req *req)
{
	struct import_options opt = { .dry_run = true };
	int ignore[API_IMPORT_MAX_IGNORE];
	struct error err = { 0 };
	json_t *result;

	if (api_import_options(req, &opt, ignore, &err) < 0)
		return http_reply_error(req, &err);
	result = import_columns_preview(req->db, req->body.data, req->body.len, &opt,
	    &err);
	if (result == NULL)
		return http_reply_error(req, &err);
	return http_reply_json(req, 200, result);
}

int
api_contacts_import(struct http_req *req)
{
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	const char *dry = http_arg(req, "dry_run");
	struct import_options opt = { 0 };
	int ignore[API_IMPORT_MAX_IGNORE];
	json_t *result;

	opt.dry_run = dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0);
	if (api_import_options(req, &opt, ignore, &err) < 0)
		return http_reply_error(req, &err);
	result = import_contacts_with(req->db, req->body.data, req->body.len, &opt,
	    &actor, req->now, &err);
	if (result == NULL)
		return http_reply_error(req, &err);
	return http_reply_json(req, 200, result);
}

int
api_contacts_export(struct http_req *req)
{
	char day[TIME_DAY_MAX], disposition[64];
	struct buf out = { 0 };

	if (import_export_contacts(req->db, &out) < 0) {
		buf_free(&out);
		return http_reply_kind(req, ERR_DB);
	}
	/* the day of the export in its name (local time), as the reports have their period */
	time_format_day(req->now, day);
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"contacts-%s.csv\"", day);
	http_add_header(req, "Content-Disposition", disposition);
	{
		size_t len = out.len;
		return http_reply_raw(req, 200, "text/csv; charset=utf-8", buf_steal(&out), len);
	}
}
