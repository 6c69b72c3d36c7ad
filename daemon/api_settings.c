/*
 * api_settings — GET/PATCH /api/v1/settings (admin): the settings staff
 * change from the panel (settings.h).  A change is stored, then put in
 * force in this process (app_reload(): the file read again with the
 * settings laid over it, as at start), and the answer is what is in force
 * afterwards, or an error saying it was not applied.
 *
 * GET/PATCH /api/v1/texts (admin): the texts rappel sends by itself, per
 * language (texts.h).
 */
#include "api.h"
#include "app.h"
#include "log.h"
#include "settings.h"
#include "texts.h"

int
api_settings_get(struct http_req *req)
{
	return http_reply_json(req, 200, settings_json(req->db, req->cfg));
}

int
api_settings_update(struct http_req *req)
{
	struct audit_actor actor = api_actor(req);
	struct error err = { 0 };
	const struct config *applied;
	struct config *cfg;
	char why[512];
	json_t *body;

	/* cfg: what the reload will read; checked before anything is stored */
	if (settings_update(req->db, req->cfg->path, req->json, &actor, req->now,
	    &cfg, &err) < 0)
		return http_reply_error(req, &err);
	config_free(cfg);
	if (app_reload(req->app, req->db, &applied, why, sizeof(why)) < 0) {
		log_err("settings: saved but not applied: %s", why);
		return http_reply_fail(req, 500, "not_applied", NULL, "Les réglages sont "
		    "enregistrés mais n'ont pas pu être appliqués (%s). Corrigez le fichier de "
		    "configuration, puis redémarrez rappel.", why);
	}
	body = settings_json(req->db, applied);
	config_free(applied);
	return http_reply_json(req, 200, body);
}

/* GET /api/v1/texts: the texts rappel sends by itself, per language (texts.h). */
int
api_texts_get(struct http_req *req)
{
	json_t *j = texts_json(req->db);

	return j ? http_reply_json(req, 200, j) : http_reply_kind(req, ERR_DB);
}

/* PATCH /api/v1/texts {"texts": [{name, language, body}]}: body null is the default. */
int
api_texts_update(struct http_req *req)
{
	static const char *const keys[] = { "texts", NULL };
	struct audit_actor actor = api_actor(req);
	struct error err = { 0 };

	if (req->json == NULL || api_check_keys(req->json, keys, &err) < 0 ||
	    texts_update(req->db, json_object_get(req->json, "texts"), &actor, req->now,
	    &err) < 0) {
		if (err.kind == ERR_NONE)
			error_set(&err, ERR_INVALID, "invalid_json", NULL,
			    "Le corps de la requête doit être un objet JSON.");
		return http_reply_error(req, &err);
	}
	return api_texts_get(req);
}
