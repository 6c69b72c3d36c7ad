/*
 * api_settings — GET/PATCH /api/v1/settings (admin): the settings staff
 * change from the panel (settings.h).  A change is stored, then rappeld
 * is asked to reload (SIGHUP to itself): main.c reads the file with the
 * settings laid over it, as at start.
 */
#include <signal.h>
#include <unistd.h>

#include "api.h"
#include "app.h"
#include "settings.h"

int
api_settings_get(struct http_req *req)
{
	return http_reply_json(req, 200, settings_json(req->app->db, req->app->cfg));
}

int
api_settings_update(struct http_req *req)
{
	struct audit_actor actor = api_actor(req);
	struct error err = { 0 };
	struct config *cfg;
	json_t *body;

	/* cfg: what the reload will read, to answer with it at once */
	if (settings_update(req->app->db, req->app->cfg->path, req->json, &actor, req->now,
	    &cfg, &err) < 0)
		return http_reply_error(req, &err);
	body = settings_json(req->app->db, cfg);
	config_free(cfg);
	kill(getpid(), SIGHUP);
	return http_reply_json(req, 200, body);
}
