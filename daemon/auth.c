/*
 * auth — passwords, API tokens, sessions.  See auth.h.
 */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static const char *const auth_roles[] = {
	[AUTH_ROLE_ADMIN] = "admin",
	[AUTH_ROLE_REFERENT] = "referent",
	[AUTH_ROLE_ANIMATEUR] = "animateur",
};

static void
auth_init(void)
{
	if (sodium_init() < 0)
		fatal("auth: libsodium cannot initialise");
}

const char *
auth_role_name(enum auth_role role)
{
	return auth_roles[role];
}

int
auth_role_parse(const char *name, enum auth_role *role)
{
	size_t i;

	for (i = 0; i < sizeof(auth_roles) / sizeof(auth_roles[0]); i++) {
		if (name && strcmp(name, auth_roles[i]) == 0) {
			*role = (enum auth_role)i;
			return 0;
		}
	}
	return -1;
}

bool
auth_login_valid(const char *login, const char **reason)
{
	size_t i, n = login ? strlen(login) : 0;

	if (n == 0 || n > AUTH_LOGIN_MAX) {
		*reason = "l'identifiant doit faire de 1 à 64 caractères";
		return false;
	}
	for (i = 0; i < n; i++) {
		char c = login[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
			*reason = "l'identifiant ne peut contenir que des lettres sans accent, "
			    "des chiffres, des points, des tirets et des soulignés";
			return false;
		}
	}
	return true;
}

bool
auth_password_acceptable(const char *password, const char **reason)
{
	size_t n = password ? strlen(password) : 0;

	if (n < AUTH_PASSWORD_MIN) {
		*reason = "le mot de passe doit faire au moins 10 caractères";
		return false;
	}
	if (n > AUTH_PASSWORD_MAX) {
		*reason = "le mot de passe est trop long (256 caractères au plus)";
		return false;
	}
	return true;
}

static int
auth_hash_password(const char *password, char out[crypto_pwhash_STRBYTES])
{
	auth_init();
	if (crypto_pwhash_str_alg(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) != 0) {
		log_err("auth: password hashing ran out of memory");
		return -1;
	}
	return 0;
}

static void
auth_token_hash(const char *token, unsigned char hash[32])
{
	crypto_generichash(hash, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

void
auth_random_token(char out[AUTH_TOKEN_LEN + 1])
{
	unsigned char raw[32];

	auth_init();
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

bool
auth_secret_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n != strlen(b))
		return false;
	return sodium_memcmp(a, b, n) == 0;
}

int
auth_user_add(struct db *db, const char *login, enum auth_role role,
    const char *password, int64_t now, int64_t *id, const char **reason)
{
	DB_SQL(sql, "INSERT INTO users (login, role, password_hash, created_at) "
	    "VALUES (?, ?, ?, ?)");
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *st;

	if (!auth_login_valid(login, reason) || !auth_password_acceptable(password, reason))
		return -1;
	if (auth_hash_password(password, hash) < 0 || (st = db_stmt(db, sql)) == NULL) {
		*reason = "erreur interne";
		return -1;
	}
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, auth_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	if (db_step_done(db, st) < 0) {
		*reason = db_errcode(db) == SQLITE_CONSTRAINT_UNIQUE ?
		    "cet identifiant existe déjà" : "erreur de la base de données";
		return -1;
	}
	if (id)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return 0;
}

int
auth_user_set_password(struct db *db, const char *login, const char *password,
    int64_t now, const char *keep_session, const char **reason)
{
	DB_SQL(sql, "UPDATE users SET password_hash = ? WHERE login = ?");
	DB_SQL(sql_sessions, "DELETE FROM sessions WHERE user_id = "
	    "(SELECT id FROM users WHERE login = ?) AND token_hash IS NOT ?");
	DB_SQL(sql_tokens, "UPDATE api_tokens SET revoked_at = ? "
	    "WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE login = ?)");
	char hash[crypto_pwhash_STRBYTES];
	unsigned char keep[32];
	sqlite3_stmt *st;
	bool nested;

	if (!auth_password_acceptable(password, reason))
		return -1;
	if (auth_hash_password(password, hash) < 0) {
		*reason = "erreur interne";
		return -1;
	}
	*reason = "erreur de la base de données";
	if (db_begin_nested(db, "auth_passwd", &nested) < 0)
		return -1;
	if ((st = db_stmt(db, sql)) == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, login, -1, SQLITE_STATIC);
	if (db_step_done(db, st) < 0)
		goto fail;
	if (sqlite3_changes(db_handle(db)) != 1) {
		*reason = "utilisateur inconnu";
		goto fail;
	}
	/* whoever knew the old password is logged out, and its tokens end */
	if ((st = db_stmt(db, sql_sessions)) == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	if (keep_session) {
		auth_token_hash(keep_session, keep);
		sqlite3_bind_blob(st, 2, keep, sizeof(keep), SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_null(st, 2);
	}
	if (db_step_done(db, st) < 0 || (st = db_stmt(db, sql_tokens)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, login, -1, SQLITE_STATIC);
	if (db_step_done(db, st) < 0)
		goto fail;
	sodium_memzero(hash, sizeof(hash));
	return db_end_nested(db, "auth_passwd", nested, true);
fail:
	sodium_memzero(hash, sizeof(hash));
	db_end_nested(db, "auth_passwd", nested, false);
	return -1;
}

int
auth_user_set_disabled(struct db *db, const char *login, bool disabled, int64_t now)
{
	DB_SQL(sql_user, "UPDATE users SET disabled_at = ? WHERE login = ?");
	DB_SQL(sql_sessions, "DELETE FROM sessions WHERE user_id = "
	    "(SELECT id FROM users WHERE login = ?)");
	DB_SQL(sql_tokens, "UPDATE api_tokens SET revoked_at = ? "
	    "WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE login = ?)");
	sqlite3_stmt *st;
	bool nested;

	if (db_begin_nested(db, "auth_disable", &nested) < 0)
		return -1;
	if ((st = db_stmt(db, sql_user)) == NULL)
		goto fail;
	if (disabled)
		sqlite3_bind_int64(st, 1, now);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_text(st, 2, login, -1, SQLITE_STATIC);
	if (db_step_done(db, st) < 0 || sqlite3_changes(db_handle(db)) != 1)
		goto fail;
	if (disabled) {
		if ((st = db_stmt(db, sql_sessions)) == NULL)
			goto fail;
		sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
		if (db_step_done(db, st) < 0 || (st = db_stmt(db, sql_tokens)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_text(st, 2, login, -1, SQLITE_STATIC);
		if (db_step_done(db, st) < 0)
			goto fail;
	}
	return db_end_nested(db, "auth_disable", nested, true);
fail:
	db_end_nested(db, "auth_disable", nested, false);
	return -1;
}

int
auth_user_set_role(struct db *db, int64_t id, enum auth_role role)
{
	DB_SQL(sql, "UPDATE users SET role = ? WHERE id = ?");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, auth_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	if (db_step_done(db, st) < 0 || sqlite3_changes(db_handle(db)) != 1)
		return -1;
	return 0;
}

int
auth_user_delete(struct db *db, int64_t id)
{
	DB_SQL(sql, "DELETE FROM users WHERE id = ?");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (db_step_done(db, st) < 0 || sqlite3_changes(db_handle(db)) != 1)
		return -1;
	return 0;
}

int
auth_count_admins(struct db *db)
{
	DB_SQL(sql, "SELECT count(*) FROM users "
	    "WHERE role = 'admin' AND disabled_at IS NULL");
	sqlite3_stmt *st = db_stmt(db, sql);
	int n = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	if (st)
		sqlite3_reset(st);
	return n;
}

#define AUTH_USER_COLUMNS "id, login, role, disabled_at IS NOT NULL, created_at"

static void
auth_user_read(sqlite3_stmt *st, int col, struct auth_user *out)
{
	const char *login = (const char *)sqlite3_column_text(st, col + 1);

	out->id = sqlite3_column_int64(st, col);
	snprintf(out->login, sizeof(out->login), "%s", login ? login : "");
	if (auth_role_parse((const char *)sqlite3_column_text(st, col + 2), &out->role) < 0)
		out->role = AUTH_ROLE_ANIMATEUR;	/* least privilege; CHECK forbids it */
	out->disabled = sqlite3_column_int(st, col + 3) != 0;
	out->created_at = sqlite3_column_int64(st, col + 4);
}

int
auth_user_find(struct db *db, const char *login, struct auth_user *out)
{
	DB_SQL(sql, "SELECT " AUTH_USER_COLUMNS " FROM users WHERE login = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc = -1;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		auth_user_read(st, 0, out);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

int
auth_user_get(struct db *db, int64_t id, struct auth_user *out)
{
	DB_SQL(sql, "SELECT " AUTH_USER_COLUMNS " FROM users WHERE id = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc = -1;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		auth_user_read(st, 0, out);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

/*
 * A hash verified when the login is unknown, so that timing does not tell;
 * made once, whichever HTTP thread needs it first.
 */
static char auth_dummy[crypto_pwhash_STRBYTES];
static pthread_once_t auth_dummy_once = PTHREAD_ONCE_INIT;

static void
auth_dummy_make(void)
{
	if (auth_hash_password("rappel-dummy-password", auth_dummy) < 0)
		auth_dummy[0] = '\0';
}

int
auth_check_password(struct db *db, const char *login, const char *password,
    struct auth_user *out)
{
	DB_SQL(sql, "SELECT " AUTH_USER_COLUMNS ", password_hash "
	    "FROM users WHERE login = ?");
	char hash[crypto_pwhash_STRBYTES] = "";
	sqlite3_stmt *st = db_stmt(db, sql);
	bool found = false, ok;

	if (st == NULL || password == NULL || strlen(password) > AUTH_PASSWORD_MAX)
		return -1;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 5);
		auth_user_read(st, 0, out);
		snprintf(hash, sizeof(hash), "%s", h ? h : "");
		found = true;
	}
	sqlite3_reset(st);
	auth_init();
	if (!found) {
		pthread_once(&auth_dummy_once, auth_dummy_make);
		if (auth_dummy[0] == '\0')
			return -1;
		if (crypto_pwhash_str_verify(auth_dummy, password, strlen(password)) == 0)
			log_err("auth: the dummy password matched");
		return -1;
	}
	ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	sodium_memzero(hash, sizeof(hash));
	return ok && !out->disabled ? 0 : -1;
}

int
auth_token_create(struct db *db, int64_t user_id, const char *label, int64_t now,
    int64_t expires_at, char token[AUTH_TOKEN_LEN + 1], int64_t *id)
{
	DB_SQL(sql, "INSERT INTO api_tokens (user_id, token_hash, label, "
	    "created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
	unsigned char hash[32];
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	auth_random_token(token);
	auth_token_hash(token, hash);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_blob(st, 2, hash, sizeof(hash), SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, label ? label : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	db_bind_int_or_null(st, 5, expires_at);
	if (db_step_done(db, st) < 0)
		return -1;
	if (id)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return 0;
}

int
auth_token_revoke(struct db *db, int64_t id, int64_t user_id, int64_t now)
{
	DB_SQL(sql, "UPDATE api_tokens SET revoked_at = ?1 WHERE id = ?2 "
	    "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?1) "
	    "AND (?3 = 0 OR user_id = ?3)");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, user_id);
	if (db_step_done(db, st) < 0 || sqlite3_changes(db_handle(db)) != 1)
		return -1;
	return 0;
}

/*
 * A token's last_used_at and a session's last_seen_at move at most once per
 * AUTH_TOUCH_S: a durable write on every request would cost the panel a
 * disk sync per click (and the contact list its speed), for a date shown
 * to the minute.  A session thus idles out at most AUTH_TOUCH_S early.
 */
static bool
auth_touch_due(int64_t last, int64_t now)
{
	return now - last >= AUTH_TOUCH_S || now < last;
}

/*
 * Writes the touch st (bound).  While another connection writes (an
 * import's transaction; the HTTP server checks credentials without a busy
 * wait) it is left for a later request, quietly: it is only a date.
 */
static void
auth_touch(struct db *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && (rc & 0xff) != SQLITE_BUSY)
		log_warn("auth: cannot record the time of use: %s", db_errmsg(db));
}

int
auth_token_check(struct db *db, const char *token, int64_t now, struct auth_user *out)
{
	DB_SQL(sql, "SELECT t.id, coalesce(t.last_used_at, 0), u.id, u.login, "
	    "u.role, u.disabled_at IS NOT NULL, u.created_at FROM api_tokens t "
	    "JOIN users u ON u.id = t.user_id "
	    "WHERE t.token_hash = ?1 AND t.revoked_at IS NULL "
	    "AND (t.expires_at IS NULL OR t.expires_at > ?2)");
	DB_SQL(sql_used, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?");
	unsigned char hash[32];
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t tid = 0, used = 0;
	int rc = -1;

	if (st == NULL || strlen(token) != AUTH_TOKEN_LEN)
		return -1;
	auth_token_hash(token, hash);
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	if (sqlite3_step(st) == SQLITE_ROW) {
		tid = sqlite3_column_int64(st, 0);
		used = sqlite3_column_int64(st, 1);
		auth_user_read(st, 2, out);
		rc = out->disabled ? -1 : 0;
	}
	sqlite3_reset(st);
	if (rc == 0 && auth_touch_due(used, now) && (st = db_stmt(db, sql_used)) != NULL) {
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_int64(st, 2, tid);
		auth_touch(db, st);
	}
	return rc;
}

int
auth_session_create(struct db *db, int64_t user_id, int64_t now,
    char token[AUTH_TOKEN_LEN + 1], char csrf[AUTH_TOKEN_LEN + 1])
{
	DB_SQL(sql, "INSERT INTO sessions (user_id, token_hash, csrf_token, "
	    "created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)");
	unsigned char hash[32];
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	auth_random_token(token);
	auth_random_token(csrf);
	auth_token_hash(token, hash);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_blob(st, 2, hash, sizeof(hash), SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, now + AUTH_SESSION_MAX);
	return db_step_done(db, st);
}

int
auth_session_check(struct db *db, const char *token, int64_t now,
    struct auth_user *out, char csrf[AUTH_TOKEN_LEN + 1])
{
	DB_SQL(sql, "SELECT s.id, s.csrf_token, s.last_seen_at, u.id, u.login, "
	    "u.role, u.disabled_at IS NOT NULL, u.created_at FROM sessions s "
	    "JOIN users u ON u.id = s.user_id "
	    "WHERE s.token_hash = ? AND s.expires_at > ? AND s.last_seen_at > ?");
	DB_SQL(sql_seen, "UPDATE sessions SET last_seen_at = ? WHERE id = ?");
	unsigned char hash[32];
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t sid = 0, seen = 0;
	int rc = -1;

	if (st == NULL || strlen(token) != AUTH_TOKEN_LEN)
		return -1;
	auth_token_hash(token, hash);
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, now - AUTH_SESSION_IDLE);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 1);
		sid = sqlite3_column_int64(st, 0);
		snprintf(csrf, AUTH_TOKEN_LEN + 1, "%s", c ? c : "");
		seen = sqlite3_column_int64(st, 2);
		auth_user_read(st, 3, out);
		rc = out->disabled ? -1 : 0;
	}
	sqlite3_reset(st);
	if (rc == 0 && auth_touch_due(seen, now) && (st = db_stmt(db, sql_seen)) != NULL) {
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_int64(st, 2, sid);
		auth_touch(db, st);
	}
	return rc;
}

void
auth_session_delete(struct db *db, const char *token)
{
	DB_SQL(sql, "DELETE FROM sessions WHERE token_hash = ?");
	unsigned char hash[32];
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return;
	auth_token_hash(token, hash);
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
	db_step_done(db, st);
}

int
auth_session_purge(struct db *db, int64_t now)
{
	DB_SQL(sql, "DELETE FROM sessions WHERE expires_at <= ? "
	    "OR last_seen_at <= ?");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, now - AUTH_SESSION_IDLE);
	if (db_step_done(db, st) < 0)
		return -1;
	return sqlite3_changes(db_handle(db));
}
