/*
 * auth — staff accounts and their credentials: passwords (argon2id, via
 * libsodium's crypto_pwhash_str), API tokens and browser sessions.
 *
 * Tokens and session ids are 32 random bytes from libsodium, written in
 * URL-safe base64; only their BLAKE2b-256 hash is stored, so a stolen
 * database does not give a working credential.  Secrets are compared in
 * constant time.  Every function takes the current time as "now" (Unix
 * seconds) and never reads the clock.
 */
#ifndef RAPPEL_AUTH_H
#define RAPPEL_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

#define AUTH_TOKEN_LEN 43		/* base64url of 32 bytes, no padding */
#define AUTH_LOGIN_MAX 64
#define AUTH_PASSWORD_MIN 10		/* characters (UTF-8 bytes) */
#define AUTH_PASSWORD_MAX 256
#define AUTH_SESSION_IDLE (8 * 3600)	/* seconds without a request */
#define AUTH_TOUCH_S 60			/* last-seen dates move at most this often */
#define AUTH_SESSION_MAX (7 * 24 * 3600)	/* absolute lifetime */
#define AUTH_TOKEN_DAYS 365		/* a new API token's life, by default */
#define AUTH_TOKEN_DAYS_MAX 3650

enum auth_role {
	AUTH_ROLE_ADMIN,
	AUTH_ROLE_REFERENT,
	AUTH_ROLE_ANIMATEUR,
};

struct auth_user {
	int64_t id;
	char login[AUTH_LOGIN_MAX + 1];
	enum auth_role role;
	bool disabled;
	int64_t created_at;
};

/* "admin", "referent", "animateur"; and back (0, or -1 when unknown). */
const char *auth_role_name(enum auth_role role);
int auth_role_parse(const char *name, enum auth_role *role);

/*
 * Checks a login name (1-64 of a-z A-Z 0-9 . _ -) and a password
 * (AUTH_PASSWORD_MIN to AUTH_PASSWORD_MAX bytes).  Return true when
 * acceptable; otherwise false and *reason is a static French sentence.
 */
bool auth_login_valid(const char *login, const char **reason);
bool auth_password_acceptable(const char *password, const char **reason);

/*
 * Creates a user.  0, or -1 with *reason: a French sentence (invalid
 * login or password, login already taken) or a database failure.
 */
int auth_user_add(struct db *db, const char *login, enum auth_role role,
    const char *password, int64_t now, int64_t *id, const char **reason);
/*
 * Changes a password, ends the user's sessions but keep_session (the
 * session token of the request making the change, or NULL) and revokes
 * the user's API tokens: whoever knew the old password is out.  All or
 * nothing (its own transaction, or a savepoint of the caller's).  0, or
 * -1 with *reason (a French sentence).
 */
int auth_user_set_password(struct db *db, const char *login, const char *password,
    int64_t now, const char *keep_session, const char **reason);
/*
 * Disables (or re-enables) a user; disabling also ends its sessions and
 * tokens.  All or nothing: its own transaction, or a savepoint of the
 * caller's.  0, or -1 (no such login, database error).
 */
int auth_user_set_disabled(struct db *db, const char *login, bool disabled, int64_t now);
/* Changes a user's role; 0, or -1 when there is no such user. */
int auth_user_set_role(struct db *db, int64_t id, enum auth_role role);
/* Deletes a user with its sessions and tokens; 0, or -1 when absent. */
int auth_user_delete(struct db *db, int64_t id);
/* Number of enabled admins. */
int auth_count_admins(struct db *db);
/* 0 and *out filled, or -1 when there is no such login. */
int auth_user_find(struct db *db, const char *login, struct auth_user *out);
int auth_user_get(struct db *db, int64_t id, struct auth_user *out);

/*
 * Checks a login and password.  0 and *out filled, or -1 for a wrong login,
 * a wrong password or a disabled account, in about the same time either
 * way (an unknown login is checked against a dummy hash).
 */
int auth_check_password(struct db *db, const char *login, const char *password,
    struct auth_user *out);

/*
 * Creates an API token for a user, valid until expires_at (0: until
 * revoked); token receives AUTH_TOKEN_LEN+1 bytes, *id (may be NULL) its
 * row id.  0, or -1 on a database error.
 */
int auth_token_create(struct db *db, int64_t user_id, const char *label, int64_t now,
    int64_t expires_at, char token[AUTH_TOKEN_LEN + 1], int64_t *id);
/*
 * Revokes token id, if it is user_id's (0: anyone's) and still valid at
 * now.  0, or -1 when there is no such valid token (or a database error).
 */
int auth_token_revoke(struct db *db, int64_t id, int64_t user_id, int64_t now);
/*
 * 0 and *out when the token is valid (neither revoked nor expired) and its
 * user enabled; else -1.  Its
 * last_used_at is moved to now when AUTH_TOUCH_S old or more.
 */
int auth_token_check(struct db *db, const char *token, int64_t now, struct auth_user *out);

/* Creates a session; fills its token (for the cookie) and CSRF token. */
int auth_session_create(struct db *db, int64_t user_id, int64_t now,
    char token[AUTH_TOKEN_LEN + 1], char csrf[AUTH_TOKEN_LEN + 1]);
/*
 * 0 with *out and csrf filled when the session exists, is neither idle nor
 * too old, and its user is enabled; its last_seen_at is moved to now when
 * it is AUTH_TOUCH_S old or more.
 */
int auth_session_check(struct db *db, const char *token, int64_t now,
    struct auth_user *out, char csrf[AUTH_TOKEN_LEN + 1]);
void auth_session_delete(struct db *db, const char *token);
/* Deletes expired sessions; returns how many. */
int auth_session_purge(struct db *db, int64_t now);

/* A new secret: 32 random bytes from libsodium, URL-safe base64, into out. */
void auth_random_token(char out[AUTH_TOKEN_LEN + 1]);

/* Constant-time comparison of two NUL-terminated secrets. */
bool auth_secret_equal(const char *a, const char *b);

#endif
