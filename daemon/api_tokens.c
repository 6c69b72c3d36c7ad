/*
 * api_tokens — /api/v1/tokens: API tokens for scripts, listed with their
 * label, last use and expiry (never the secret, which is shown once, when
 * made) and revoked one by one.  Everyone lists and revokes their own; an
 * admin sees and revokes everyone's.  A token is made for oneself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "log.h"
#include "text.h"
#include "timeutil.h"

#define API_TOKENS_LABEL_MAX 80

/* An ISO time, or JSON null for 0 / SQL NULL. */
static json_t *
api_tokens_time(sqlite3_stmt *st, int col)
{
	char at[TIME_ISO_MAX];

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	time_format_iso(sqlite3_column_int64(st, col), at);
	return json_string(at);
}

int
api_tokens_list(struct http_req *req)
{
	DB_SQL(sql, "SELECT t.id, t.label, u.login, t.created_at, "
	    "t.last_used_at, t.expires_at FROM api_tokens t JOIN users u ON u.id = t.user_id "
	    "WHERE t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?1) "
	    "AND (?2 = 0 OR t.user_id = ?2) ORDER BY u.login, t.id");
	sqlite3_stmt *st = db_stmt(req->db, sql);
	json_t *list;

	if (st == NULL)
		return http_reply_kind(req, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, req->now);
	sqlite3_bind_int64(st, 2, req->user.role == AUTH_ROLE_ADMIN ? 0 : req->user.id);
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "label", (const char *)sqlite3_column_text(st, 1),
		    "login", (const char *)sqlite3_column_text(st, 2),
		    "created_at", api_tokens_time(st, 3),
		    "last_used_at", api_tokens_time(st, 4),
		    "expires_at", api_tokens_time(st, 5)));
	sqlite3_reset(st);
	return http_reply_json(req, 200, list);
}

int
api_tokens_create(struct http_req *req)
{
	static const char *const keys[] = { "label", "days", NULL };
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	char token[AUTH_TOKEN_LEN + 1], created[TIME_ISO_MAX], expires[TIME_ISO_MAX];
	const char *label = NULL;
	json_t *days = NULL, *answer;
	int64_t id, expires_at, n = AUTH_TOKEN_DAYS;
	size_t i;
	int rc;

	if (req->json == NULL)
		return http_reply_fail(req, 400, "invalid_json", NULL,
		    "Envoyez {\"label\": …, \"days\": …}.");
	if (api_check_keys(req->json, keys, &err) < 0 ||
	    api_get_string(req->json, "label", true, &label, &err) < 0)
		return http_reply_error(req, &err);
	if (label[0] == '\0' || strlen(label) > API_TOKENS_LABEL_MAX ||
	    !text_utf8_valid(label, strlen(label)))
		return http_reply_fail(req, 400, "invalid", "label", "Donnez au jeton un nom "
		    "de 1 à %d caractères (à quoi il sert).", API_TOKENS_LABEL_MAX);
	for (i = 0; label[i]; i++)
		if ((unsigned char)label[i] < 0x20 || label[i] == 0x7f)
			return http_reply_fail(req, 400, "invalid", "label",
			    "Ce champ contient un caractère de contrôle.");
	if ((days = json_object_get(req->json, "days")) != NULL && !json_is_null(days)) {
		if (!json_is_integer(days) || json_integer_value(days) < 1 ||
		    json_integer_value(days) > AUTH_TOKEN_DAYS_MAX)
			return http_reply_fail(req, 400, "invalid", "days", "« days » doit être "
			    "un nombre de jours de 1 à %d.", AUTH_TOKEN_DAYS_MAX);
		n = json_integer_value(days);
	}
	expires_at = req->now + n * 24 * 3600;
	if (db_txn_begin(req->db, &err) < 0)
		return http_reply_error(req, &err);
	rc = auth_token_create(req->db, req->user.id, label, req->now, expires_at, token,
	    &id) < 0 ||
	    audit_record(req->db, &actor, req->now, "create", "token", id, NULL) < 0 ? -1 : 0;
	if (db_txn_end(req->db, rc, &err) < 0)
		return http_reply_error(req, &err);
	log_info("auth: token created id=%lld user=%s", (long long)id, req->user.login);
	time_format_iso(req->now, created);
	time_format_iso(expires_at, expires);
	answer = json_pack("{s:I, s:s, s:s, s:s, s:s, s:n, s:s}", "id", (json_int_t)id,
	    "token", token, "label", label, "login", req->user.login, "created_at", created,
	    "last_used_at", "expires_at", expires);
	memset(token, 0, sizeof(token));
	return http_reply_json(req, 201, answer);
}

int
api_tokens_revoke(struct http_req *req)
{
	struct error err = { 0 };
	struct audit_actor actor = api_actor(req);
	int rc;

	if (db_txn_begin(req->db, &err) < 0)
		return http_reply_error(req, &err);
	/* someone else's token answers as one that does not exist */
	if (auth_token_revoke(req->db, req->ids[0], req->user.role == AUTH_ROLE_ADMIN ?
	    0 : req->user.id, req->now) < 0)
		rc = error_set(&err, ERR_NOT_FOUND, "not_found", NULL, "Ce jeton n'existe pas.");
	else
		rc = audit_record(req->db, &actor, req->now, "revoke", "token",
		    req->ids[0], NULL);
	if (db_txn_end(req->db, rc, &err) < 0)
		return http_reply_error(req, &err);
	log_info("auth: token revoked id=%lld by=%s", (long long)req->ids[0], req->user.login);
	return http_reply_empty(req, 204);
}
