/*
 * check_db — opening, PRAGMAs, migrations, backups.
 */
#include <check.h>
#include <string.h>

#include "db.h"
#include "test_db.h"
#include "test_main.h"

START_TEST(db_test_fresh_is_migrated)
{
	struct test_db t;
	char err[256];

	test_db_open(&t);
	ck_assert_int_ge(db_latest_version(), 1);
	ck_assert_int_eq(db_version(t.db), db_latest_version());
	/* a second run applies nothing */
	ck_assert_int_eq(db_migrate(t.db, err, sizeof(err)), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM sqlite_master "
	    "WHERE name IN ('users', 'contacts', 'contact_phones', 'groups', "
	    "'group_members', 'audit_log', 'sessions', 'api_tokens')"), 8);
	test_db_close(&t);
}
END_TEST

START_TEST(db_test_pragmas)
{
	struct test_db t;
	sqlite3_stmt *st;

	test_db_open(&t);
	ck_assert_int_eq(test_db_int(t.db, "PRAGMA foreign_keys"), 1);
	ck_assert_int_eq(test_db_int(t.db, "PRAGMA synchronous"), 2);	/* FULL */
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(t.db), "PRAGMA journal_mode", -1, &st,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	test_db_close(&t);
}
END_TEST

START_TEST(db_test_refuses_newer)
{
	struct test_db t;
	char err[256] = "", sql[64];

	test_db_open(&t);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", db_latest_version() + 1);
	ck_assert_int_eq(db_exec(t.db, sql), 0);
	ck_assert_int_eq(db_migrate(t.db, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "newer than this program"), "%s", err);
	ck_assert_int_eq(db_version(t.db), db_latest_version() + 1);
	test_db_close(&t);
}
END_TEST

START_TEST(db_test_backup)
{
	struct test_db t;
	char err[256] = "", dest[160];
	struct db *copy;

	test_db_open(&t);
	ck_assert_int_eq(db_exec(t.db, "INSERT INTO groups (name, created_at) "
	    "VALUES ('Seniors du jeudi', 1)"), 0);
	snprintf(dest, sizeof(dest), "%s/backup.db", t.dir);
	ck_assert_msg(db_backup(t.db, dest, err, sizeof(err)) == 0, "%s", err);
	copy = db_open(dest, err, sizeof(err));
	ck_assert_ptr_nonnull(copy);
	ck_assert_int_eq(db_version(copy), db_latest_version());
	ck_assert_int_eq(test_db_int(copy, "SELECT count(*) FROM groups "
	    "WHERE name = 'Seniors du jeudi'"), 1);
	db_close(copy);
	ck_assert_int_eq(db_backup(t.db, "/nonexistent/dir/x.db", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "/nonexistent/dir/x.db"), "%s", err);
	test_db_close(&t);
}
END_TEST

START_TEST(db_test_savepoints_nest)
{
	struct test_db t;

	test_db_open(&t);
	ck_assert_int_eq(db_begin(t.db), 0);
	ck_assert_int_eq(db_exec(t.db, "INSERT INTO groups (name, created_at) VALUES ('a', 1)"), 0);
	ck_assert_int_eq(db_savepoint(t.db, "inner"), 0);
	ck_assert_int_eq(db_exec(t.db, "INSERT INTO groups (name, created_at) VALUES ('b', 1)"), 0);
	db_rollback_to(t.db, "inner");
	ck_assert_int_eq(db_commit(t.db), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM groups"), 1);
	test_db_close(&t);
}
END_TEST

START_TEST(db_test_fold_function)
{
	struct test_db t;
	sqlite3_stmt *st;

	test_db_open(&t);
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(t.db), "SELECT fold('Éloïse MARTIN')",
	    -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "eloise martin");
	sqlite3_finalize(st);
	test_db_close(&t);
}
END_TEST

static Suite *
db_suite(void)
{
	Suite *s = suite_create("db");
	TCase *tc;

	tc = tcase_create("migrations");
	tcase_add_test(tc, db_test_fresh_is_migrated);
	tcase_add_test(tc, db_test_refuses_newer);
	suite_add_tcase(s, tc);
	tc = tcase_create("pragmas");
	tcase_add_test(tc, db_test_pragmas);
	tcase_add_test(tc, db_test_fold_function);
	suite_add_tcase(s, tc);
	tc = tcase_create("backup");
	tcase_add_test(tc, db_test_backup);
	suite_add_tcase(s, tc);
	tc = tcase_create("transactions");
	tcase_add_test(tc, db_test_savepoints_nest);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(db_suite)
