/*
 * check_db — opening, PRAGMAs, migrations, backups.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contacts.h"
#include "db.h"
#include "embedded.h"
#include "queue.h"
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

/*
 * A database at version (its first migrations applied by hand), then
 * fill run on it, opened with db_open() into t, not yet migrated.
 */
static void
test_db_at_version(struct test_db *t, int version, const char *fill)
{
	char err[256] = "";
	sqlite3 *raw;
	int i;

	snprintf(t->dir, sizeof(t->dir), "/tmp/rappel-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/rappel.db", t->dir);
	ck_assert_int_eq(sqlite3_open(t->path, &raw), SQLITE_OK);
	for (i = 0; i < version; i++)
		ck_assert_msg(sqlite3_exec(raw, (const char *)embedded_sql[i].data, NULL, NULL,
		    NULL) == SQLITE_OK, "%s: %s", embedded_sql[i].name, sqlite3_errmsg(raw));
	ck_assert_msg(sqlite3_exec(raw, fill, NULL, NULL, NULL) == SQLITE_OK, "%s",
	    sqlite3_errmsg(raw));
	sqlite3_close(raw);
	t->db = db_open(t->path, err, sizeof(err));
	ck_assert_msg(t->db != NULL, "%s", err);
}

/*
 * A database of version 19 with contacts: after the upgrade (sql/020, the
 * search column) they are found by their names, accents or not, in
 * either order.
 */
START_TEST(db_test_upgrade_contacts_searchable)
{
	static const char fill[] =
	    "PRAGMA user_version = 19;"
	    "INSERT INTO contacts (id, first_name, last_name, created_at, updated_at) VALUES "
	    " (1, 'Éloïse', 'Martin', 1800000000, 1800000000),"
	    " (2, 'Jean', 'Lefèvre', 1800000000, 1800000000);";
	struct test_db t;
	char err[256] = "";
	int64_t *ids;
	size_t n;

	test_db_at_version(&t, 19, fill);
	ck_assert_msg(db_migrate(t.db, err, sizeof(err)) >= 1, "%s", err);
	ids = contacts_search(t.db, "eloise martin", 0, 0, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ids[0], 1);
	free(ids);
	ids = contacts_search(t.db, "LEFEVRE JE", 0, 0, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ids[0], 2);
	free(ids);
	test_db_close(&t);
}
END_TEST

/*
 * A database of the previous version, with a message sent in two parts
 * and one delivery report in: after the upgrade (sql/007, parts keyed by
 * message and number) the parts are all there, and the second report
 * still finds its part.
 */
START_TEST(db_test_upgrade_keeps_message_parts)
{
	static const char fill[] =
	    "PRAGMA user_version = 6;"
	    "INSERT INTO messages (id, to_number, body, encoding, parts, concat_ref, status, "
	    " not_before, queued_at, sent_at) VALUES (5, '+33639980001', 'Rappel', 'gsm7', 2, 9, "
	    " 'sent', 1800000000, 1800000000, 1800000010);"
	    "INSERT INTO message_parts (message_id, seq, modem, reference, sent_at, report, "
	    " report_at) VALUES (5, 1, 'modem', 200, 1800000005, 'delivered', 1800000020),"
	    " (5, 2, 'modem', 201, 1800000010, 'pending', NULL);";
	struct test_db t;
	char err[256] = "";
	sqlite3_stmt *st;

	test_db_at_version(&t, 6, fill);
	ck_assert_msg(db_migrate(t.db, err, sizeof(err)) >= 1, "%s", err);
	ck_assert_int_eq(db_version(t.db), db_latest_version());
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM message_parts "
	    "WHERE message_id = 5 AND id = 5 * 16 + seq"), 2);
	ck_assert_int_eq(test_db_int(t.db, "SELECT report_at FROM message_parts WHERE id = 81"),
	    1800000020);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'message_parts_ref'"), 0);
	ck_assert_int_eq(queue_report(t.db, "modem", 201, "+33639980001", 0x00, 1800000030), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT status = 'delivered' FROM messages "
	    "WHERE id = 5"), 1);
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(t.db), "PRAGMA integrity_check", -1, &st,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
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

/*
 * A statement with a typo, declared like any of the program's: the check
 * at start-up names it with its file and line, and runs nothing.
 */
DB_SQL(db_test_typo, "SELECT nme FROM contacts WHERE id = ?1");

START_TEST(db_test_statements_checked_at_start)
{
	struct test_db t;
	char err[256] = "", where[64];
	size_t n = db_statement_count();

	test_db_open(&t);
	/* this program's statements: db.c's own, queue.c's, and the typo above */
	ck_assert_uint_ge(n, 3);
	ck_assert_int_eq(db_check_statements(t.db, err, sizeof(err)), -1);
	snprintf(where, sizeof(where), "check_db.c:%d: ", db_test_typo->line);
	ck_assert_msg(strstr(err, where) != NULL, "%s", err);
	ck_assert_msg(strstr(err, "no such column: nme") != NULL, "%s", err);
	/* the statement keeps failing where it is used, and is not cached */
	ck_assert_ptr_null(db_stmt(t.db, db_test_typo));
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
	tcase_add_test(tc, db_test_upgrade_keeps_message_parts);
	tcase_add_test(tc, db_test_upgrade_contacts_searchable);
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
	tc = tcase_create("statements");
	tcase_add_test(tc, db_test_statements_checked_at_start);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(db_suite)
