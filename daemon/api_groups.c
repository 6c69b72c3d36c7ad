/*
 * api_groups — /api/v1/groups: list, create, read, rename or set
 * members, delete.  A create or a PATCH with "contact_ids" replaces the
 * members, all in one transaction.  An animateur reads only the groups
 * on the ateliers they run (others answer 404, as if absent), and changes
 * none (the route table).
 */
#include <stdlib.h>

#include "api.h"
#include "groups.h"
#include "log.h"

static const char *const api_group_keys[] = { "name", "contact_ids", NULL };

/* The animateur's id, whose ateliers bound what they see; 0 for staff. */
static int64_t
api_groups_owner(const struct http_req *req)
{
	return req->user.role == AUTH_ROLE_ANIMATEUR ? req->user.id : 0;
}

int
api_groups_list(struct http_req *req)
{
	return http_reply_json(req, 200, groups_list_json(req->app->db,
	    api_groups_owner(req)));
}

int
api_groups_get(struct http_req *req)
{
	struct error err = { 0 };
	int64_t owner = api_groups_owner(req);
	json_t *g;

	if (owner && !groups_shown_to(req->app->db, req->ids[0], owner))
		return http_reply_fail(req, 404, "not_found", NULL, "Ce groupe n'existe pas.");
	g = groups_get_json(req->app->db, req->ids[0], &err);

	if (g == NULL)
		return http_reply_error(req, &err);
	return http_reply_json(req, 200, g);
}

/* Creates (id == 0) or changes group id from the body; answers. */
static int
api_groups_write(struct http_req *req, int64_t id)
{
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	const char *name = NULL;
	int64_t *members = NULL;
	size_t nmembers = 0;
	bool has_members = req->json && json_object_get(req->json, "contact_ids");
	bool creating = id == 0;
	json_t *g = NULL;
	int rc;

	if (req->json == NULL)
		return http_reply_fail(req, 400, "invalid_json", NULL,
		    "Le corps de la requête doit être un objet JSON.");
	if (api_check_keys(req->json, api_group_keys, &err) < 0 ||
	    api_get_string(req->json, "name", id == 0, &name, &err) < 0 ||
	    api_get_ids(req->json, "contact_ids", &members, &nmembers, &err) < 0)
		return http_reply_error(req, &err);
	if (db_txn_begin(req->app->db, &err) < 0) {
		free(members);
		return http_reply_error(req, &err);
	}
	rc = (id == 0 && groups_create(req->app->db, name, &actor, req->now, &id, &err) < 0) ||
	    (id != 0 && name && groups_rename(req->app->db, id, name, &actor, req->now,
	    &err) < 0) ||
	    (has_members && groups_set_members(req->app->db, id, members, nmembers, &actor,
	    req->now, &err) < 0) ||
	    (g = groups_get_json(req->app->db, id, &err)) == NULL ? -1 : 0;
	free(members);
	if (db_txn_end(req->app->db, rc, &err) < 0) {
		json_decref(g);
		return http_reply_error(req, &err);
	}
	return http_reply_json(req, creating ? 201 : 200, g);
}

int
api_groups_create(struct http_req *req)
{
	return api_groups_write(req, 0);
}

int
api_groups_update(struct http_req *req)
{
	return api_groups_write(req, req->ids[0]);
}

int
api_groups_delete(struct http_req *req)
{
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);

	if (groups_delete(req->app->db, req->ids[0], &actor, req->now, &err) < 0)
		return http_reply_error(req, &err);
	log_info("groups: deleted id=%lld by=%s", (long long)req->ids[0], req->user.login);
	return http_reply_empty(req, 204);
}
