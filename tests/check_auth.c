/*
 * check_auth — accounts, argon2id passwords, API tokens and sessions.
 */
#include <check.h>
#include <string.h>

#include "auth.h"
#include "test_db.h"
#include "test_main.h"

#define T0 1800000000

/* One integer column of the row of table with that id (a test-only query). */
static int64_t
auth_test_column(struct db *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st;
	int64_t v;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

START_TEST(auth_test_user_and_password)
{
	struct test_db t;
	struct auth_user u;
	const char *reason = NULL;
	int64_t id;
	sqlite3_stmt *st;

	test_db_open(&t);
	ck_assert_int_eq(auth_user_add(t.db, "marie", AUTH_ROLE_REFERENT, "correct horse",
	    T0, &id, &reason), 0);
	/* the stored hash is argon2id, never the password */
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(t.db),
	    "SELECT password_hash FROM users WHERE id = 1", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_msg(strncmp((const char *)sqlite3_column_text(st, 0), "$argon2id$", 10) == 0,
	    "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);

	ck_assert_int_eq(auth_check_password(t.db, "marie", "correct horse", &u), 0);
	ck_assert_str_eq(u.login, "marie");
	ck_assert_int_eq(u.role, AUTH_ROLE_REFERENT);
	ck_assert_int_eq(auth_check_password(t.db, "MARIE", "correct horse", &u), 0);
	ck_assert_int_eq(auth_check_password(t.db, "marie", "wrong horse!", &u), -1);
	ck_assert_int_eq(auth_check_password(t.db, "nobody", "correct horse", &u), -1);

	ck_assert_int_eq(auth_user_set_password(t.db, "marie", "battery staple", T0, NULL, &reason), 0);
	ck_assert_int_eq(auth_check_password(t.db, "marie", "correct horse", &u), -1);
	ck_assert_int_eq(auth_check_password(t.db, "marie", "battery staple", &u), 0);
	test_db_close(&t);
}
END_TEST

START_TEST(auth_test_refusals)
{
	struct test_db t;
	const char *reason = NULL;
	int64_t id;

	test_db_open(&t);
	ck_assert_int_eq(auth_user_add(t.db, "marie", AUTH_ROLE_ADMIN, "short", T0, &id,
	    &reason), -1);
	ck_assert_str_eq(reason, "le mot de passe doit faire au moins 10 caractères");
	ck_assert_int_eq(auth_user_add(t.db, "marie dupont", AUTH_ROLE_ADMIN, "long enough!",
	    T0, &id, &reason), -1);
	ck_assert_ptr_nonnull(strstr(reason, "identifiant"));
	ck_assert_int_eq(auth_user_add(t.db, "marie", AUTH_ROLE_ADMIN, "long enough!", T0,
	    &id, &reason), 0);
	ck_assert_int_eq(auth_user_add(t.db, "Marie", AUTH_ROLE_ADMIN, "long enough!", T0,
	    &id, &reason), -1);
	ck_assert_str_eq(reason, "cet identifiant existe déjà");
	ck_assert_int_eq(auth_user_set_password(t.db, "paul", "long enough!", T0, NULL, &reason), -1);
	test_db_close(&t);
}
END_TEST

START_TEST(auth_test_roles)
{
	enum auth_role r;

	ck_assert_int_eq(auth_role_parse("animateur", &r), 0);
	ck_assert_int_eq(r, AUTH_ROLE_ANIMATEUR);
	ck_assert_str_eq(auth_role_name(AUTH_ROLE_REFERENT), "referent");
	ck_assert_int_eq(auth_role_parse("root", &r), -1);
	ck_assert_int_eq(auth_role_parse(NULL, &r), -1);
}
END_TEST

START_TEST(auth_test_tokens)
{
	struct test_db t;
	char token[AUTH_TOKEN_LEN + 1], other[AUTH_TOKEN_LEN + 1];
	struct auth_user u;
	const char *reason;
	int64_t id;

	test_db_open(&t);
	ck_assert_int_eq(auth_user_add(t.db, "script", AUTH_ROLE_REFERENT, "long enough!",
	    T0, &id, &reason), 0);
	ck_assert_int_eq(auth_token_create(t.db, id, "cron", T0, 0, token, NULL), 0);
	ck_assert_int_eq(strlen(token), AUTH_TOKEN_LEN);
	ck_assert_int_eq(auth_token_create(t.db, id, "other", T0, 0, other, NULL), 0);
	ck_assert_str_ne(token, other);
	ck_assert_int_eq(auth_token_check(t.db, token, T0 + 1, &u), 0);
	ck_assert_str_eq(u.login, "script");
	/* last use: written on first use, then at most once per AUTH_TOUCH_S */
#define LAST_USED "SELECT last_used_at FROM api_tokens WHERE label = 'cron' AND user_id = ?"
	ck_assert_int_eq(auth_test_column(t.db, LAST_USED, id), T0 + 1);
	ck_assert_int_eq(auth_token_check(t.db, token, T0 + AUTH_TOUCH_S, &u), 0);
	ck_assert_int_eq(auth_test_column(t.db, LAST_USED, id), T0 + 1);
	ck_assert_int_eq(auth_token_check(t.db, token, T0 + 1 + AUTH_TOUCH_S, &u), 0);
	ck_assert_int_eq(auth_test_column(t.db, LAST_USED, id), T0 + 1 + AUTH_TOUCH_S);
#undef LAST_USED
	token[5] = token[5] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(auth_token_check(t.db, token, T0 + 1, &u), -1);
	ck_assert_int_eq(auth_token_check(t.db, "short", T0 + 1, &u), -1);
	/* disabling the account revokes its tokens */
	ck_assert_int_eq(auth_user_set_disabled(t.db, "script", true, T0 + 2), 0);
	ck_assert_int_eq(auth_token_check(t.db, other, T0 + 3, &u), -1);
	ck_assert_int_eq(auth_check_password(t.db, "script", "long enough!", &u), -1);
	test_db_close(&t);
}
END_TEST

/*
 * Issue 19: a password change ends the user's sessions but the one making
 * it, and revokes its tokens; a token expires and is revoked one by one.
 * Before the fix the old session and the token kept working.
 */
START_TEST(auth_test_password_change_ends_credentials)
{
	struct test_db t;
	char token[AUTH_TOKEN_LEN + 1], s1[AUTH_TOKEN_LEN + 1], s2[AUTH_TOKEN_LEN + 1];
	char csrf[AUTH_TOKEN_LEN + 1], old[AUTH_TOKEN_LEN + 1];
	struct auth_user u;
	const char *reason;
	int64_t id, tid;

	test_db_open(&t);
	ck_assert_int_eq(auth_user_add(t.db, "marie", AUTH_ROLE_ADMIN, "long enough!", T0,
	    &id, &reason), 0);
	ck_assert_int_eq(auth_session_create(t.db, id, T0, s1, csrf), 0);
	ck_assert_int_eq(auth_session_create(t.db, id, T0, s2, csrf), 0);
	ck_assert_int_eq(auth_token_create(t.db, id, "cron", T0, 0, token, NULL), 0);
	ck_assert_int_eq(auth_user_set_password(t.db, "marie", "battery staple", T0 + 1, s1,
	    &reason), 0);
	ck_assert_int_eq(auth_session_check(t.db, s1, T0 + 2, &u, csrf), 0);
	ck_assert_int_eq(auth_session_check(t.db, s2, T0 + 2, &u, csrf), -1);
	ck_assert_int_eq(auth_token_check(t.db, token, T0 + 2, &u), -1);
	ck_assert_int_eq(auth_user_set_password(t.db, "marie", "correct horse", T0 + 3, NULL,
	    &reason), 0);
	ck_assert_int_eq(auth_session_check(t.db, s1, T0 + 4, &u, csrf), -1);

	/* expiry, and revocation by id (only the owner's, unless 0) */
	ck_assert_int_eq(auth_token_create(t.db, id, "court", T0, T0 + 100, old, &tid), 0);
	ck_assert_int_eq(auth_token_check(t.db, old, T0 + 99, &u), 0);
	ck_assert_int_eq(auth_token_check(t.db, old, T0 + 100, &u), -1);
	ck_assert_int_eq(auth_token_create(t.db, id, "long", T0, 0, token, &tid), 0);
	ck_assert_int_eq(auth_token_revoke(t.db, tid, id + 1, T0 + 5), -1);
	ck_assert_int_eq(auth_token_check(t.db, token, T0 + 6, &u), 0);
	ck_assert_int_eq(auth_token_revoke(t.db, tid, id, T0 + 7), 0);
	ck_assert_int_eq(auth_token_check(t.db, token, T0 + 8, &u), -1);
	ck_assert_int_eq(auth_token_revoke(t.db, tid, 0, T0 + 9), -1);
	test_db_close(&t);
}
END_TEST

START_TEST(auth_test_sessions)
{
	struct test_db t;
	char token[AUTH_TOKEN_LEN + 1], csrf[AUTH_TOKEN_LEN + 1], seen[AUTH_TOKEN_LEN + 1];
	struct auth_user u;
	const char *reason;
	int64_t id, now = T0;

	test_db_open(&t);
	ck_assert_int_eq(auth_user_add(t.db, "anim", AUTH_ROLE_ANIMATEUR, "long enough!",
	    T0, &id, &reason), 0);
	ck_assert_int_eq(auth_session_create(t.db, id, now, token, csrf), 0);
	ck_assert_int_eq(auth_session_check(t.db, token, now + 60, &u, seen), 0);
	ck_assert_str_eq(seen, csrf);
	ck_assert_int_eq(u.role, AUTH_ROLE_ANIMATEUR);
	/* last seen moves at most once per AUTH_TOUCH_S, not on every click */
#define LAST_SEEN "SELECT last_seen_at FROM sessions WHERE user_id = ?"
	ck_assert_int_eq(auth_test_column(t.db, LAST_SEEN, id), T0 + 60);
	ck_assert_int_eq(auth_session_check(t.db, token, T0 + 59 + AUTH_TOUCH_S, &u, seen), 0);
	ck_assert_int_eq(auth_test_column(t.db, LAST_SEEN, id), T0 + 60);
	ck_assert_int_eq(auth_session_check(t.db, token, T0 + 60 + AUTH_TOUCH_S, &u, seen), 0);
	ck_assert_int_eq(auth_test_column(t.db, LAST_SEEN, id), T0 + 60 + AUTH_TOUCH_S);
#undef LAST_SEEN
	/* activity keeps it alive past the idle limit ... */
	for (now = T0; now < T0 + 3 * AUTH_SESSION_IDLE; now += AUTH_SESSION_IDLE / 2)
		ck_assert_int_eq(auth_session_check(t.db, token, now, &u, seen), 0);
	/* ... but not past the idle limit without a request */
	ck_assert_int_eq(auth_session_check(t.db, token, now + AUTH_SESSION_IDLE + 1, &u, seen),
	    -1);
	ck_assert_int_eq(auth_session_purge(t.db, now + AUTH_SESSION_IDLE + 1), 1);

	/* absolute lifetime */
	ck_assert_int_eq(auth_session_create(t.db, id, T0, token, csrf), 0);
	for (now = T0; now < T0 + AUTH_SESSION_MAX; now += 3600)
		ck_assert_int_eq(auth_session_check(t.db, token, now, &u, seen), 0);
	ck_assert_int_eq(auth_session_check(t.db, token, T0 + AUTH_SESSION_MAX, &u, seen), -1);

	/* logout */
	ck_assert_int_eq(auth_session_create(t.db, id, T0, token, csrf), 0);
	auth_session_delete(t.db, token);
	ck_assert_int_eq(auth_session_check(t.db, token, T0 + 1, &u, seen), -1);
	test_db_close(&t);
}
END_TEST

START_TEST(auth_test_secret_equal)
{
	ck_assert(auth_secret_equal("abc", "abc"));
	ck_assert(!auth_secret_equal("abc", "abd"));
	ck_assert(!auth_secret_equal("abc", "abcd"));
	ck_assert(!auth_secret_equal("", "a"));
}
END_TEST

static Suite *
auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc;

	tc = tcase_create("users");
	tcase_add_test(tc, auth_test_user_and_password);
	tcase_add_test(tc, auth_test_refusals);
	tcase_add_test(tc, auth_test_roles);
	suite_add_tcase(s, tc);
	tc = tcase_create("tokens");
	tcase_add_test(tc, auth_test_tokens);
	tcase_add_test(tc, auth_test_secret_equal);
	suite_add_tcase(s, tc);
	tc = tcase_create("sessions");
	tcase_add_test(tc, auth_test_sessions);
	tcase_add_test(tc, auth_test_password_change_ends_credentials);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(auth_suite)
