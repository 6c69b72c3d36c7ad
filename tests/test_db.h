/*
 * test_db — a fresh, migrated database in a temporary directory, for the
 * unit tests of modules that store things.
 */
#ifndef RAPPEL_TEST_DB_H
#define RAPPEL_TEST_DB_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db.h"

struct test_db {
	char dir[64];
	char path[128];
	struct db *db;
};

static inline void
test_db_open(struct test_db *t)
{
	char err[256] = "";

	snprintf(t->dir, sizeof(t->dir), "/tmp/rappel-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/rappel.db", t->dir);
	t->db = db_open(t->path, err, sizeof(err));
	ck_assert_msg(t->db != NULL, "%s", err);
	ck_assert_msg(db_migrate(t->db, err, sizeof(err)) >= 0, "%s", err);
}

/* The first column of the first row of sql, as an integer; -1 without a row. */
static inline long long
test_db_int(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	ck_assert_msg(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) == SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(db_handle(db)));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static inline void
test_db_close(struct test_db *t)
{
	char cmd[160];

	db_close(t->db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	ck_assert_int_eq(system(cmd), 0);
}

#endif
