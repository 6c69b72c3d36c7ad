/*
 * api_users — /api/v1/users: staff accounts, for admins only (the route
 * table says so).  The last enabled admin can be neither demoted, disabled
 * nor deleted, so that the centre never locks itself out; an admin cannot
 * delete their own account.  Also the audit log, read-only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "log.h"
#include "timeutil.h"

static json_t *
api_user_json(const struct auth_user *u)
{
	char created[TIME_ISO_MAX];

	time_format_iso(u->created_at, created);
	return json_pack("{s:I, s:s, s:s, s:b, s:s}", "id", (json_int_t)u->id,
	    "login", u->login, "role", auth_role_name(u->role), "disabled", u->disabled,
	    "created_at", created);
}

int
api_users_list(struct http_req *req)
{
	DB_SQL(sql, "SELECT id FROM users ORDER BY login");
	sqlite3_stmt *st = db_stmt(req->app->db, sql);
	json_t *list = json_array();
	int64_t ids[1024];
	size_t n = 0, i;
	struct auth_user u;

	if (st == NULL) {
		json_decref(list);
		return http_reply_kind(req, ERR_INTERNAL);
	}
	while (n < sizeof(ids) / sizeof(ids[0]) && sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	for (i = 0; i < n; i++)
		if (auth_user_get(req->app->db, ids[i], &u) == 0)
			json_array_append_new(list, api_user_json(&u));
	return http_reply_json(req, 200, list);
}

/*
 * GET /api/v1/staff — the enabled accounts an atelier can be handed to
 * ("Animé par"), for référents and admins: [{id, login, role}], by login.
 */
int
api_users_staff(struct http_req *req)
{
	DB_SQL(sql, "SELECT id, login, role FROM users WHERE disabled_at IS NULL "
	    "ORDER BY login");
	sqlite3_stmt *st = db_stmt(req->app->db, sql);
	json_t *list;

	if (st == NULL)
		return http_reply_kind(req, ERR_INTERNAL);
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "login", (const char *)sqlite3_column_text(st, 1),
		    "role", (const char *)sqlite3_column_text(st, 2)));
	sqlite3_reset(st);
	return http_reply_json(req, 200, list);
}

/* See api.h. */
int
api_users_role(json_t *body, enum auth_role *role, bool *present, struct error *err)
{
	const char *name;

	*present = false;
	if (api_get_string(body, "role", false, &name, err) < 0)
		return -1;
	if (name == NULL)
		return 0;
	if (auth_role_parse(name, role) < 0)
		return error_set(err, ERR_INVALID, "invalid", "role",
		    "Rôle inconnu : choisissez admin, referent ou animateur.");
	*present = true;
	return 0;
}

int
api_users_create(struct http_req *req)
{
	static const char *const keys[] = { "login", "role", "password", NULL };
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	const char *login, *password, *reason = NULL;
	enum auth_role role;
	bool has_role;
	struct auth_user u;
	int64_t id;

	if (req->json == NULL)
		return http_reply_fail(req, 400, "invalid_json", NULL,
		    "Le corps de la requête doit être un objet JSON.");
	if (api_check_keys(req->json, keys, &err) < 0 ||
	    api_get_string(req->json, "login", true, &login, &err) < 0 ||
	    api_get_string(req->json, "password", true, &password, &err) < 0 ||
	    api_users_role(req->json, &role, &has_role, &err) < 0)
		return http_reply_error(req, &err);
	if (!has_role)
		return http_reply_fail(req, 400, "missing_field", "role",
		    "Le champ « role » est obligatoire.");
	if (auth_user_add(req->app->db, login, role, password, req->now, &id, &reason) < 0) {
		bool taken = reason && strstr(reason, "existe");
		return http_reply_fail(req, taken ? 409 : 400, taken ? "duplicate_login" :
		    "invalid", strstr(reason, "mot de passe") ? "password" : "login", "%s.",
		    reason);
	}
	audit_record(req->app->db, &actor, req->now, "create", "user", id, NULL);
	log_info("auth: user created login=%s role=%s by=%s", login, auth_role_name(role),
	    req->user.login);
	if (auth_user_get(req->app->db, id, &u) < 0)
		return http_reply_kind(req, ERR_INTERNAL);
	return http_reply_json(req, 201, api_user_json(&u));
}

/* True when the change would leave the centre without an enabled admin. */
static bool
api_users_last_admin(struct http_req *req, const struct auth_user *u)
{
	return u->role == AUTH_ROLE_ADMIN && !u->disabled &&
	    auth_count_admins(req->app->db) <= 1;
}

int
api_users_update(struct http_req *req)
{
	static const char *const keys[] = { "role", "password", "disabled", NULL };
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	const char *password, *reason = NULL;
	enum auth_role role;
	bool has_role, disabled = false, has_disabled;
	struct auth_user u;
	int rc;

	if (auth_user_get(req->app->db, req->ids[0], &u) < 0)
		return http_reply_fail(req, 404, "not_found", NULL, "Cet utilisateur n'existe pas.");
	if (req->json == NULL)
		return http_reply_fail(req, 400, "invalid_json", NULL,
		    "Le corps de la requête doit être un objet JSON.");
	if (api_check_keys(req->json, keys, &err) < 0 ||
	    api_users_role(req->json, &role, &has_role, &err) < 0 ||
	    api_get_string(req->json, "password", false, &password, &err) < 0 ||
	    api_get_bool(req->json, "disabled", &disabled, &has_disabled, &err) < 0)
		return http_reply_error(req, &err);
	if (((has_role && role != AUTH_ROLE_ADMIN) || (has_disabled && disabled)) &&
	    api_users_last_admin(req, &u))
		return http_reply_fail(req, 409, "last_admin", has_role ? "role" : "disabled",
		    "C'est le dernier administrateur : nommez-en un autre d'abord.");
	if (password && !auth_password_acceptable(password, &reason))
		return http_reply_fail(req, 400, "invalid", "password", "%s.", reason);
	if (db_txn_begin(req->app->db, &err) < 0)
		return http_reply_error(req, &err);
	rc = (has_role && auth_user_set_role(req->app->db, u.id, role) < 0) ||
	    (password && auth_user_set_password(req->app->db, u.login, password, req->now,
	    u.id == req->user.id && req->via_session ? req->session_token : NULL,
	    &reason) < 0) ||
	    audit_record(req->app->db, &actor, req->now, "update", "user", u.id, NULL) < 0 ?
	    -1 : 0;
	if (db_txn_end(req->app->db, rc, &err) < 0)
		return http_reply_error(req, &err);
	/* after the commit: it runs its own transaction */
	if (has_disabled && auth_user_set_disabled(req->app->db, u.login, disabled, req->now) < 0)
		return http_reply_kind(req, ERR_DB);
	auth_user_get(req->app->db, u.id, &u);
	return http_reply_json(req, 200, api_user_json(&u));
}

int
api_users_delete(struct http_req *req)
{
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	struct auth_user u;
	int rc;

	if (auth_user_get(req->app->db, req->ids[0], &u) < 0)
		return http_reply_fail(req, 404, "not_found", NULL, "Cet utilisateur n'existe pas.");
	if (u.id == req->user.id)
		return http_reply_fail(req, 409, "self", NULL,
		    "Vous ne pouvez pas supprimer votre propre compte.");
	if (api_users_last_admin(req, &u))
		return http_reply_fail(req, 409, "last_admin", NULL,
		    "C'est le dernier administrateur : nommez-en un autre d'abord.");
	if (db_txn_begin(req->app->db, &err) < 0)
		return http_reply_error(req, &err);
	rc = auth_user_delete(req->app->db, u.id) < 0 ||
	    audit_record(req->app->db, &actor, req->now, "delete", "user", u.id, NULL) < 0 ? -1 : 0;
	if (db_txn_end(req->app->db, rc, &err) < 0)
		return http_reply_error(req, &err);
	log_info("auth: user deleted login=%s by=%s", u.login, req->user.login);
	return http_reply_empty(req, 204);
}

/* GET /api/v1/audit?limit=N&before=ID — newest first, admins only. */
int
api_audit_list(struct http_req *req)
{
	DB_SQL(sql, "SELECT id, at, actor, action, entity, entity_id, details "
	    "FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?");
	const char *l = http_arg(req, "limit"), *b = http_arg(req, "before");
	sqlite3_stmt *st = db_stmt(req->app->db, sql);
	long long limit = l ? atoll(l) : 100, before = b ? atoll(b) : 0;
	char at[TIME_ISO_MAX];
	json_t *list;

	if (limit <= 0 || limit > 1000)
		return http_reply_fail(req, 400, "invalid", "limit",
		    "« limit » doit être compris entre 1 et 1000.");
	if (st == NULL)
		return http_reply_kind(req, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int64(st, 2, limit);
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *details = NULL;
		const char *d = (const char *)sqlite3_column_text(st, 6);
		if (d)
			details = json_loads(d, 0, NULL);
		time_format_iso(sqlite3_column_int64(st, 1), at);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0), "at", at,
		    "actor", (const char *)sqlite3_column_text(st, 2),
		    "action", (const char *)sqlite3_column_text(st, 3),
		    "entity", (const char *)sqlite3_column_text(st, 4),
		    "entity_id", sqlite3_column_type(st, 5) == SQLITE_NULL ? json_null() :
		    json_integer(sqlite3_column_int64(st, 5)),
		    "details", details ? details : json_null()));
	}
	sqlite3_reset(st);
	return http_reply_json(req, 200, list);
}
