/*
 * api_session — login and logout for the panel, and /healthz.
 *
 * Login failures are counted per client address and per login name
 * (ratelimit.c; the name without regard to case); past the limit the
 * answer is 429 with Retry-After and the password is not even checked.
 * A success clears the login's count, never the address's.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "log.h"

int
api_healthz(struct http_req *req)
{
	DB_SQL(sql, "SELECT 1");
	sqlite3_stmt *st = db_stmt(req->app->db, sql);
	bool ok = st && sqlite3_step(st) == SQLITE_ROW;

	if (st)
		sqlite3_reset(st);
	if (!ok)
		return http_reply_fail(req, 503, "database", NULL,
		    "La base de données ne répond pas.");
	return http_reply_json(req, 200, json_pack("{s:s, s:s}", "status", "ok",
	    "version", RAPPEL_VERSION));
}

static json_t *
api_session_user_json(const struct auth_user *u)
{
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)u->id, "login", u->login,
	    "role", auth_role_name(u->role));
}

/* Seconds to wait when the address or the login is blocked, else 0. */
static int
api_session_blocked(struct http_req *req, const char *addr_key, const char *name_key)
{
	int by_addr = 0, by_name = 0;

	ratelimit_blocked(req->app->login_by_addr, addr_key, req->now, &by_addr);
	ratelimit_blocked(req->app->login_by_name, name_key, req->now, &by_name);
	return by_addr > by_name ? by_addr : by_name;
}

/*
 * The per-login key: the login folded to lower case, as logins match
 * (users.login is COLLATE NOCASE), so ADMIN and admin count as one.
 */
static void
api_session_name_key(const char *login, char *key, size_t size)
{
	size_t i;

	snprintf(key, size, "%.64s", login);
	for (i = 0; key[i]; i++)
		if (key[i] >= 'A' && key[i] <= 'Z')
			key[i] = (char)(key[i] - 'A' + 'a');
}

int
api_session_login(struct http_req *req)
{
	static const char *const keys[] = { "login", "password", NULL };
	struct error err = { 0 };
	const char *login, *password;
	char addr_key[80], name_key[AUTH_LOGIN_MAX + 8];
	char token[AUTH_TOKEN_LEN + 1], csrf[AUTH_TOKEN_LEN + 1], cookie[160];
	struct auth_user user;
	struct audit_actor actor;
	char retry[16];
	int wait;

	if (req->json == NULL)
		return http_reply_fail(req, 400, "invalid_json", NULL,
		    "Envoyez {\"login\": …, \"password\": …}.");
	if (api_check_keys(req->json, keys, &err) < 0 ||
	    api_get_string(req->json, "login", true, &login, &err) < 0 ||
	    api_get_string(req->json, "password", true, &password, &err) < 0)
		return http_reply_error(req, &err);
	snprintf(addr_key, sizeof(addr_key), "%s", req->addr);
	api_session_name_key(login, name_key, sizeof(name_key));
	if ((wait = api_session_blocked(req, addr_key, name_key)) > 0) {
		snprintf(retry, sizeof(retry), "%d", wait);
		http_add_header(req, "Retry-After", retry);
		log_warn("auth: login refused, too many failures addr=%s", req->addr);
		return http_reply_fail(req, 429, "rate_limited", NULL,
		    "Trop d'essais de connexion. Réessayez dans %d minute(s).", (wait + 59) / 60);
	}
	if (auth_check_password(req->app->db, login, password, &user) < 0) {
		ratelimit_fail(req->app->login_by_addr, addr_key, req->now);
		ratelimit_fail(req->app->login_by_name, name_key, req->now);
		log_warn("auth: login failed addr=%s", req->addr);
		return http_reply_fail(req, 401, "bad_credentials", NULL,
		    "Identifiant ou mot de passe incorrect.");
	}
	/*
	 * Only the login's own count is cleared: a success on one's own
	 * account must not wipe the failures this address made on others'.
	 */
	ratelimit_success(req->app->login_by_name, name_key);
	auth_session_purge(req->app->db, req->now);
	if (auth_session_create(req->app->db, user.id, req->now, token, csrf) < 0)
		return http_reply_kind(req, ERR_INTERNAL);
	actor = (struct audit_actor){ user.id, user.login };
	audit_record(req->app->db, &actor, req->now, "login", "session", 0, NULL);
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Strict%s",
	    HTTP_SESSION_COOKIE, token, req->cfg->tls_cert ? "; Secure" : "");
	http_add_header(req, "Set-Cookie", cookie);
	log_info("auth: login user=%s addr=%s", user.login, req->addr);
	return http_reply_json(req, 200, json_pack("{s:s, s:o}", "csrf_token", csrf,
	    "user", api_session_user_json(&user)));
}

int
api_session_get(struct http_req *req)
{
	/* the panel, reloaded, learns its CSRF token again from its cookie */
	return http_reply_json(req, 200, json_pack("{s:o, s:s?}", "user",
	    api_session_user_json(&req->user), "csrf_token", req->via_session ? req->csrf :
	    NULL));
}

int
api_session_logout(struct http_req *req)
{
	char cookie[128];

	if (req->via_session)
		auth_session_delete(req->app->db, req->session_token);
	snprintf(cookie, sizeof(cookie), "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
	    HTTP_SESSION_COOKIE);
	http_add_header(req, "Set-Cookie", cookie);
	log_info("auth: logout user=%s", req->user.login);
	return http_reply_empty(req, 204);
}

/*
 * POST /api/v1/session/password {"current_password", "password"} — anyone
 * changes their own password, giving the current one.  Their other
 * sessions and their API tokens end (auth_user_set_password()); the
 * session making the change stays.
 */
int
api_session_password(struct http_req *req)
{
	static const char *const keys[] = { "current_password", "password", NULL };
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	const char *current, *password, *reason = NULL;
	struct auth_user check;

	if (req->json == NULL)
		return http_reply_fail(req, 400, "invalid_json", NULL,
		    "Le corps de la requête doit être un objet JSON.");
	if (api_check_keys(req->json, keys, &err) < 0 ||
	    api_get_string(req->json, "current_password", true, &current, &err) < 0 ||
	    api_get_string(req->json, "password", true, &password, &err) < 0)
		return http_reply_error(req, &err);
	if (auth_check_password(req->app->db, req->user.login, current, &check) < 0 ||
	    check.id != req->user.id) {
		log_warn("auth: own password change refused user=%s", req->user.login);
		return http_reply_fail(req, 403, "wrong_password", "current_password",
		    "Le mot de passe actuel n'est pas le bon.");
	}
	if (!auth_password_acceptable(password, &reason))
		return http_reply_fail(req, 400, "invalid", "password", "%s.", reason);
	if (auth_user_set_password(req->app->db, req->user.login, password, req->now,
	    req->via_session ? req->session_token : NULL, &reason) < 0)
		return http_reply_fail(req, 400, "invalid", "password", "%s.",
		    reason ? reason : "Mot de passe refusé");
	audit_record(req->app->db, &actor, req->now, "password", "user", req->user.id, NULL);
	log_info("auth: own password changed user=%s", req->user.login);
	return http_reply_empty(req, 204);
}
