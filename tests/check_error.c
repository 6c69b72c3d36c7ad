/*
 * check_error — the table from an error's kind to its HTTP status, code
 * and French text, and the transaction helper that says ERR_DB when a
 * change fails without a reason of its own.
 */
#include <check.h>
#include <ctype.h>
#include <string.h>

#include "db.h"
#include "error.h"
#include "test_db.h"
#include "test_main.h"

/* Every kind has a status that is an error, a code and a French sentence. */
START_TEST(error_test_table_complete)
{
	int k;
	const char *code, *msg;
	unsigned status;

	for (k = ERR_NONE; k < ERR_NKINDS; k++) {
		status = error_http_status((enum error_kind)k);
		code = error_default_code((enum error_kind)k);
		msg = error_default_message((enum error_kind)k);
		ck_assert_msg(status >= 400 && status <= 599, "kind %d: status %u", k, status);
		ck_assert_msg(code != NULL && code[0] != '\0' &&
		    strspn(code, "abcdefghijklmnopqrstuvwxyz_") == strlen(code),
		    "kind %d: code '%s'", k, code ? code : "(null)");
		ck_assert_msg(msg != NULL && isupper((unsigned char)msg[0]) &&
		    msg[strlen(msg) - 1] == '.', "kind %d: message '%s'", k, msg ? msg : "(null)");
	}
	/* a kind out of range is answered as an unsaid failure, never read past the table */
	ck_assert_uint_eq(error_http_status(ERR_NKINDS), error_http_status(ERR_NONE));
	ck_assert_str_eq(error_default_message((enum error_kind)-1),
	    error_default_message(ERR_NONE));
}
END_TEST

/* The statuses API.md and the panel rely on. */
START_TEST(error_test_statuses)
{
	ck_assert_uint_eq(error_http_status(ERR_INVALID), 400);
	ck_assert_uint_eq(error_http_status(ERR_FORBIDDEN), 403);
	ck_assert_uint_eq(error_http_status(ERR_NOT_FOUND), 404);
	ck_assert_uint_eq(error_http_status(ERR_CONFLICT), 409);
	ck_assert_uint_eq(error_http_status(ERR_DB), 500);
	ck_assert_uint_eq(error_http_status(ERR_INTERNAL), 500);
	ck_assert_uint_eq(error_http_status(ERR_NONE), 500);
}
END_TEST

/* A database failure: 500, "internal", no field, the one French sentence. */
START_TEST(error_test_db_kind)
{
	struct error e = { 0 };

	e.existing_id = 7;
	ck_assert_int_eq(error_fail(&e, ERR_DB), -1);
	ck_assert_int_eq(e.kind, ERR_DB);
	ck_assert_uint_eq(error_http_status(e.kind), 500);
	ck_assert_str_eq(e.code, "internal");
	ck_assert_ptr_null(e.field);
	ck_assert_str_eq(e.message, "Erreur de la base de données.");
	ck_assert_int_eq(e.existing_id, 0);
	ck_assert(error_is_fault(&e));
	ck_assert_int_eq(error_fail(NULL, ERR_DB), -1);
}
END_TEST

/* error_or_db() keeps a reason already said and fills in one that was not. */
START_TEST(error_test_or_db)
{
	struct error e = { 0 };

	ck_assert_int_eq(error_set(&e, ERR_CONFLICT, "duplicate_phone", "phone",
	    "Ce numéro est déjà celui de %s.", "Awa Diallo"), -1);
	ck_assert_int_eq(error_or_db(&e), -1);
	ck_assert_int_eq(e.kind, ERR_CONFLICT);
	ck_assert_str_eq(e.code, "duplicate_phone");
	ck_assert_str_eq(e.field, "phone");
	ck_assert_str_eq(e.message, "Ce numéro est déjà celui de Awa Diallo.");
	ck_assert(!error_is_fault(&e));

	memset(&e, 0, sizeof(e));
	ck_assert(!error_is_fault(&e));
	ck_assert_int_eq(error_or_db(&e), -1);
	ck_assert_int_eq(e.kind, ERR_DB);
	ck_assert_str_eq(e.message, error_default_message(ERR_DB));
	ck_assert_int_eq(error_or_db(NULL), -1);
}
END_TEST

/* db_txn_end() keeps a change that succeeded, and nothing of one that failed. */
START_TEST(error_test_txn)
{
	struct test_db t;
	struct error e = { 0 };

	test_db_open(&t);
	ck_assert_int_eq(db_txn_begin(t.db, &e), 0);
	ck_assert_int_eq(db_exec(t.db, "INSERT INTO groups (name, created_at) VALUES ('a', 1)"), 0);
	ck_assert_int_eq(db_txn_end(t.db, 0, &e), 0);
	ck_assert_int_eq(e.kind, ERR_NONE);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM groups"), 1);

	/* failed without a word: the database's error */
	ck_assert_int_eq(db_txn_begin(t.db, &e), 0);
	ck_assert_int_eq(db_exec(t.db, "INSERT INTO groups (name, created_at) VALUES ('b', 1)"), 0);
	ck_assert_int_eq(db_txn_end(t.db, -1, &e), -1);
	ck_assert_int_eq(e.kind, ERR_DB);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM groups"), 1);
	ck_assert(sqlite3_get_autocommit(db_handle(t.db)));

	/* refused with a reason: the reason stays */
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(db_txn_begin(t.db, &e), 0);
	ck_assert_int_eq(db_exec(t.db, "INSERT INTO groups (name, created_at) VALUES ('c', 1)"), 0);
	ck_assert_int_eq(db_txn_end(t.db, error_set(&e, ERR_CONFLICT, "duplicate_name", "name",
	    "Ce groupe existe déjà."), &e), -1);
	ck_assert_int_eq(e.kind, ERR_CONFLICT);
	ck_assert_str_eq(e.code, "duplicate_name");
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM groups"), 1);

	/* a transaction that cannot begin (one is open already) says ERR_DB */
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(db_begin(t.db), 0);
	ck_assert_int_eq(db_txn_begin(t.db, &e), -1);
	ck_assert_int_eq(e.kind, ERR_DB);
	db_rollback(t.db);
	test_db_close(&t);
}
END_TEST

static Suite *
error_suite(void)
{
	Suite *s = suite_create("error");
	TCase *tc;

	tc = tcase_create("table");
	tcase_add_test(tc, error_test_table_complete);
	tcase_add_test(tc, error_test_statuses);
	tcase_add_test(tc, error_test_db_kind);
	tcase_add_test(tc, error_test_or_db);
	suite_add_tcase(s, tc);
	tc = tcase_create("transactions");
	tcase_add_test(tc, error_test_txn);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(error_suite)
