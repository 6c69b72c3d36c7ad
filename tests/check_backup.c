/*
 * check_backup — copies of the database that are whole or absent, the
 * nightly rotation, the checks before a restore and the restore itself;
 * the retention period (RGPD) and the time of the daily jobs.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup.h"
#include "daily.h"
#include "queue.h"
#include "retention.h"
#include "test_db.h"
#include "test_main.h"
#include "timeutil.h"

#define T0 1796374800	/* 2026-12-04 10:00 in Paris (09:00 UTC) */
#define DAY 86400

static void
backup_test_exec(struct db *db, const char *sql)
{
	char *msg = NULL;

	ck_assert_msg(sqlite3_exec(db_handle(db), sql, NULL, NULL, &msg) == SQLITE_OK,
	    "%s: %s", sql, msg);
}

/* A contact "Awa Diallo" (id 1), and n more. */
static void
backup_test_contacts(struct db *db, int n)
{
	char sql[256];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO contacts (first_name, last_name, "
		    "created_at, updated_at) VALUES ('Awa%d', 'Diallo', %d, %d)", i, T0, T0);
		backup_test_exec(db, sql);
	}
}

/* Number of entries of dir whose name is not "." or "..". */
static int
backup_test_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

static bool
backup_test_exists(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

START_TEST(backup_test_write_and_check)
{
	struct test_db t;
	struct backup_info info;
	char dest[256], err[512] = "";

	test_db_open(&t);
	backup_test_contacts(t.db, 3);
	snprintf(dest, sizeof(dest), "%s/copie.db", t.dir);
	ck_assert_msg(backup_write(t.db, dest, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(backup_check_file(dest, &info, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(info.version, db_latest_version());
	ck_assert_int_eq(info.contacts, 3);
	ck_assert_int_eq(info.messages, 0);
	ck_assert(!backup_test_exists(t.dir, "copie.db.tmp"));
	ck_assert(!backup_test_exists(t.dir, "copie.db-wal"));	/* one file, whole */

	/* a destination that cannot be written: an error, no file */
	ck_assert_int_eq(backup_write(t.db, "/nonexistent/dir/copie.db", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "/nonexistent/dir/copie.db") != NULL, "%s", err);
	test_db_close(&t);
}
END_TEST

START_TEST(backup_test_check_refuses)
{
	struct test_db t;
	struct backup_info info;
	char path[256], err[512] = "";
	FILE *f;
	sqlite3 *h;

	test_db_open(&t);
	/* not a database at all */
	snprintf(path, sizeof(path), "%s/photo.db", t.dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("ceci n'est pas une base de données, seulement du texte\n", f);
	fclose(f);
	ck_assert_int_eq(backup_check_file(path, &info, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "not a sound SQLite database") != NULL, "%s", err);

	/* an SQLite file of another program */
	snprintf(path, sizeof(path), "%s/autre.db", t.dir);
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "CREATE TABLE x (y)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	ck_assert_int_eq(backup_check_file(path, &info, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "not a rappel database") != NULL, "%s", err);

	/* written by a newer rappel */
	backup_test_exec(t.db, "PRAGMA user_version = 999");
	ck_assert_int_eq(backup_check_file(t.path, &info, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "install the rappel that wrote it") != NULL, "%s", err);

	/* missing */
	snprintf(path, sizeof(path), "%s/absent.db", t.dir);
	ck_assert_int_eq(backup_check_file(path, &info, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "No such file") != NULL, "%s", err);
	backup_test_exec(t.db, "PRAGMA user_version = 1");
	test_db_close(&t);
}
END_TEST

START_TEST(backup_test_nightly_rotation)
{
	struct test_db t;
	char dir[128], err[512] = "", *path = NULL, cmd[200];
	FILE *f;
	int day;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	backup_test_contacts(t.db, 1);
	snprintf(dir, sizeof(dir), "%s/cle-usb", t.dir);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	/* the stick's other files are never touched */
	snprintf(cmd, sizeof(cmd), "%s/rappel-manuelle.db", dir);
	ck_assert_ptr_nonnull(f = fopen(cmd, "w"));
	fclose(f);

	for (day = 0; day < 5; day++) {
		ck_assert_msg(backup_nightly(t.db, dir, 3, T0 + day * DAY, &path, err,
		    sizeof(err)) == 1, "day %d: %s", day, err);
		ck_assert_ptr_nonnull(path);
		free(path);
		/* a second run the same day does nothing */
		ck_assert_int_eq(backup_nightly(t.db, dir, 3, T0 + day * DAY + 3600, &path, err,
		    sizeof(err)), 0);
		ck_assert_ptr_null(path);
	}
	ck_assert_int_eq(backup_test_entries(dir), 4);	/* 3 copies and the other file */
	ck_assert(!backup_test_exists(dir, "rappel-2026-12-04.db"));
	ck_assert(!backup_test_exists(dir, "rappel-2026-12-05.db"));
	ck_assert(backup_test_exists(dir, "rappel-2026-12-06.db"));
	ck_assert(backup_test_exists(dir, "rappel-2026-12-08.db"));
	ck_assert(backup_test_exists(dir, "rappel-manuelle.db"));

	/* the stick is gone */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(backup_nightly(t.db, dir, 3, T0 + 9 * DAY, &path, err, sizeof(err)),
	    -1);
	ck_assert_msg(strstr(err, "USB stick") != NULL, "%s", err);
	test_db_close(&t);
}
END_TEST

START_TEST(backup_test_restore)
{
	struct test_db t;
	struct backup_info info;
	char copy[256], err[512] = "", *kept = NULL;
	struct db *db;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	backup_test_contacts(t.db, 2);
	snprintf(copy, sizeof(copy), "%s/sauvegarde.db", t.dir);
	ck_assert_msg(backup_write(t.db, copy, err, sizeof(err)) == 0, "%s", err);
	backup_test_contacts(t.db, 1);		/* written after the backup */
	db_close(t.db);

	ck_assert_msg(backup_restore(copy, t.path, T0, &info, &kept, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(info.contacts, 2);	/* what the copy held, as checked */
	ck_assert_ptr_nonnull(kept);
	ck_assert_msg(strstr(kept, ".avant-restauration-20261204-100000") != NULL, "%s", kept);
	/* the database that was replaced is kept whole, with its last contact */
	ck_assert_msg(backup_check_file(kept, &info, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(info.contacts, 3);
	free(kept);
	ck_assert_msg(backup_check_file(t.path, &info, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(info.contacts, 2);
	t.db = db_open(t.path, err, sizeof(err));
	ck_assert_ptr_nonnull(t.db);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contacts"), 2);
	ck_assert_int_eq(test_db_int(t.db, "SELECT journal_mode = 'wal' FROM "
	    "pragma_journal_mode"), 1);

	/* a bad copy changes nothing */
	ck_assert_int_eq(backup_restore("/nonexistent.db", t.path, T0, &info, &kept, err,
	    sizeof(err)), -1);
	ck_assert_ptr_null(kept);
	db = db_open(t.path, err, sizeof(err));
	ck_assert_int_eq(test_db_int(db, "SELECT count(*) FROM contacts"), 2);
	db_close(db);
	test_db_close(&t);
}
END_TEST

/* The lock: a second holder is refused while the first holds it. */
START_TEST(backup_test_lock)
{
	struct test_db t;
	char err[512] = "";
	int a, b;

	test_db_open(&t);
	ck_assert_int_ge(a = db_lock(t.path, err, sizeof(err)), 0);
	ck_assert_int_eq(db_lock(t.path, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "in use by a running rappeld") != NULL, "%s", err);
	close(a);
	ck_assert_int_ge(b = db_lock(t.path, err, sizeof(err)), 0);
	close(b);
	test_db_close(&t);
}
END_TEST

/* Adds a message to +3363998000n, status, queued_at and not_before given. */
static void
backup_test_message(struct db *db, int n, const char *status, int64_t queued_at,
    int64_t not_before)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "INSERT INTO messages (contact_id, to_number, body, encoding, "
	    "parts, concat_ref, status, not_before, queued_at) VALUES (1, '+3363998000%d', "
	    "'Rappel : atelier numérique jeudi 14h', 'gsm7', 1, %d, '%s', %lld, %lld)", n, n,
	    status, (long long)not_before, (long long)queued_at);
	backup_test_exec(db, sql);
}

START_TEST(backup_test_hold_restored)
{
	struct test_db t;

	test_db_open(&t);
	backup_test_contacts(t.db, 1);
	backup_test_message(t.db, 1, "queued", T0 - DAY, T0 - 3600);	/* due: may be out */
	backup_test_message(t.db, 2, "queued", T0 - DAY, T0 + 3600);	/* later: stays */
	backup_test_message(t.db, 3, "sending", T0 - DAY, T0 - DAY);
	backup_test_message(t.db, 4, "sent", T0 - DAY, T0 - DAY);
	ck_assert_int_eq(queue_hold_restored(t.db, T0), 2);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE status = "
	    "'uncertain' AND id IN (1, 3) AND error LIKE 'base restaurée%'"), 2);
	ck_assert_int_eq(test_db_int(t.db, "SELECT status = 'queued' FROM messages "
	    "WHERE id = 2"), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT status = 'sent' FROM messages "
	    "WHERE id = 4"), 1);
	test_db_close(&t);
}
END_TEST

START_TEST(backup_test_retention)
{
	struct test_db t;
	struct retention_result r;
	int64_t cutoff;

	time_set_zone("Europe/Paris");
	cutoff = retention_cutoff(T0, 24);
	ck_assert_int_eq(cutoff, T0 - (365 + 365) * (int64_t)DAY);	/* 2024-12-04 10:00 */
	ck_assert_int_eq(retention_cutoff(T0, 0), 0);

	test_db_open(&t);
	backup_test_contacts(t.db, 1);
	backup_test_message(t.db, 1, "delivered", cutoff - DAY, cutoff - DAY);
	backup_test_message(t.db, 2, "failed", cutoff - 60, cutoff - 60);
	backup_test_message(t.db, 3, "delivered", cutoff + 60, cutoff + 60);	/* recent */
	backup_test_message(t.db, 4, "queued", cutoff - DAY, T0 + DAY);	/* still to go */
	backup_test_exec(t.db, "INSERT INTO replies (from_number, contact_id, body, received_at, "
	    "modem, dedupe_key, intent) VALUES ('+33639980001', 1, 'OUI', 1700000000, 'modem', "
	    "'a', 'yes'), ('+33639980001', 1, 'NON', 1796000000, 'modem', 'b', 'no')");

	ck_assert_int_eq(retention_apply(t.db, cutoff, &r), 0);
	ck_assert_int_eq(r.messages, 2);
	ck_assert_int_eq(r.replies, 1);
	/* the old ones keep their counts, lose what says who and what */
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE id IN (1, 2) "
	    "AND body IS NULL AND to_number = '' AND contact_id IS NULL"), 2);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE status = "
	    "'delivered'"), 2);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE id IN (3, 4) "
	    "AND body IS NOT NULL AND to_number != '' AND contact_id = 1"), 2);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM replies WHERE body IS NULL "
	    "AND from_number = '' AND contact_id IS NULL AND intent = 'yes'"), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM replies WHERE body = 'NON'"), 1);
	/* again: nothing more to do */
	ck_assert_int_eq(retention_apply(t.db, cutoff, &r), 0);
	ck_assert_int_eq(r.messages + r.replies, 0);
	test_db_close(&t);
}
END_TEST

START_TEST(backup_test_daily_next)
{
	time_set_zone("Europe/Paris");
	/* 2026-12-04 10:00: today's 02:30 has passed, so tomorrow's */
	ck_assert_int_eq(daily_next(T0, 2 * 60 + 30), T0 + DAY - 7 * 3600 - 30 * 60);
	/* at 01:00 the same day: 02:30 today */
	ck_assert_int_eq(daily_next(T0 - 9 * 3600, 2 * 60 + 30), T0 - 7 * 3600 - 30 * 60);
	/* the night clocks go back (2026-10-25, 03:00 CEST -> 02:00 CET): one run */
	ck_assert_int_eq(daily_next(1792807200 /* 2026-10-24 04:00 CEST */, 2 * 60 + 30),
	    1792888200 /* 2026-10-25 02:30 CEST, the first of the two */);
	ck_assert_int_eq(daily_next(1792888200, 2 * 60 + 30), 1792978200 /* 26th 02:30 CET */);
	/* the night clocks go forward (2026-03-29): 02:30 does not exist, it runs at 03:30 */
	ck_assert_int_eq(daily_next(1774742400 /* 2026-03-29 00:00 UTC = 01:00 CET */,
	    2 * 60 + 30), 1774747800 /* 01:30 UTC = 03:30 CEST */);
}
END_TEST

static Suite *
backup_suite(void)
{
	Suite *s = suite_create("backup");
	TCase *tc;

	tc = tcase_create("copies");
	tcase_add_test(tc, backup_test_write_and_check);
	tcase_add_test(tc, backup_test_check_refuses);
	tcase_add_test(tc, backup_test_nightly_rotation);
	suite_add_tcase(s, tc);
	tc = tcase_create("restore");
	tcase_add_test(tc, backup_test_restore);
	tcase_add_test(tc, backup_test_lock);
	tcase_add_test(tc, backup_test_hold_restored);
	suite_add_tcase(s, tc);
	tc = tcase_create("retention");
	tcase_add_test(tc, backup_test_retention);
	tcase_add_test(tc, backup_test_daily_next);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(backup_suite)
