/*
 * db — SQLite connection, PRAGMAs, migrations, backup, statement cache.
 *
 * Migrations: embedded_sql[] holds sql/NNN_name.sql sorted by name.  The
 * number NNN of each file must be its position (1, 2, 3 ...): a gap is a
 * build mistake and is refused.  Each pending file runs inside one
 * BEGIN IMMEDIATE ... COMMIT together with "PRAGMA user_version = NNN",
 * so a power cut leaves the database at the previous version or the new
 * one, never in between.
 */
#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/file.h>
#include <unistd.h>

#include "embedded.h"
#include "error.h"
#include "log.h"
#include "text.h"
#include "timeutil.h"

#define DB_BUSY_TIMEOUT_MS 5000

/*
 * The statements of the program: the linker gathers every DB_SQL() into
 * the section "rappel_sql" and defines these two symbols around it (weak:
 * a program with no statement has no section).
 */
extern const struct db_sql __start_rappel_sql[] __attribute__((weak));
extern const struct db_sql __stop_rappel_sql[] __attribute__((weak));

#define DB_AFTER_MAX 4		/* distinct db_after_commit() functions per transaction */

struct db {
	sqlite3 *handle;
	bool full;		/* a write failed with SQLITE_FULL since db_take_full() */
	void (*after[DB_AFTER_MAX])(void);	/* to call once the transaction commits */
	size_t nafter;
	sqlite3_stmt **cache;	/* by position in rappel_sql; NULL until first used */
};

/* SQL function fold(text): text_fold(), for searches that ignore case and accents. */
static void
db_sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *in = sqlite3_value_text(argv[0]);
	struct buf out = { 0 };

	(void)argc;
	if (in == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	text_fold((const char *)in, &out);
	sqlite3_result_text(ctx, out.data, (int)out.len, free);
}

/* SQL function iso_time(unix): time_format_iso(), NULL for NULL or 0 (as time_json()). */
static void
db_sql_iso_time(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char iso[TIME_ISO_MAX];
	int64_t t = sqlite3_value_int64(argv[0]);

	(void)argc;
	if (t == 0) {
		sqlite3_result_null(ctx);
		return;
	}
	time_format_iso(t, iso);
	sqlite3_result_text(ctx, iso, -1, SQLITE_TRANSIENT);
}

struct db *
db_open(const char *path, char *err, size_t errlen)
{
	struct db *db = calloc(1, sizeof(*db));
	int rc;

	if (db == NULL)
		fatal("db: out of memory");
	rc = sqlite3_open_v2(path, &db->handle,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path,
		    db->handle ? sqlite3_errmsg(db->handle) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(db->handle, 1);
	sqlite3_create_function(db->handle, "fold", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, db_sql_fold, NULL, NULL);
	/* not deterministic: the answer follows the time zone */
	sqlite3_create_function(db->handle, "iso_time", 1, SQLITE_UTF8, NULL,
	    db_sql_iso_time, NULL, NULL);
	sqlite3_busy_timeout(db->handle, DB_BUSY_TIMEOUT_MS);
	/*
	 * page_size applies to a new database only.  A message's trip through
	 * the queue changes a few small rows and index entries, each on its own
	 * page, and every page changed is a whole WAL frame: with 512-byte
	 * pages a campaign wrote 9.7 KiB per SMS (bench_peers), against 12.1
	 * with 1 KiB and about 30 with the default 4 KiB (an SD card's life);
	 * 7.8 KiB since sql/007.
	 */
	if (sqlite3_exec(db->handle,
	    "PRAGMA page_size = 512;"
	    "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA trusted_schema = OFF;", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up database %s: %s", path,
		    sqlite3_errmsg(db->handle));
		goto fail;
	}
	return db;
fail:
	sqlite3_close(db->handle);
	free(db);
	return NULL;
}

void
db_close(struct db *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; db->cache != NULL && i < db_statement_count(); i++)
		sqlite3_finalize(db->cache[i]);
	free(db->cache);
	if (sqlite3_close(db->handle) != SQLITE_OK)
		log_err("db: close failed: %s", sqlite3_errmsg(db->handle));
	free(db);
}

sqlite3 *
db_handle(struct db *db)
{
	return db->handle;
}

void
db_busy_timeout(struct db *db, int ms)
{
	sqlite3_busy_timeout(db->handle, ms);
}

int
db_latest_version(void)
{
	int n = 0;

	while (embedded_sql[n].name)
		n++;
	return n;
}

int
db_version(struct db *db)
{
	DB_SQL(sql, "PRAGMA user_version");
	sqlite3_stmt *st = db_stmt(db, sql);
	int v = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	if (st)
		sqlite3_reset(st);
	return v;
}

static int
db_apply(struct db *db, int version, const struct embedded_file *f,
    char *err, size_t errlen)
{
	char pragma[64];
	char *msg = NULL;

	if (atoi(f->name) != version) {
		snprintf(err, errlen, "migration %s is out of sequence (expected number %03d)",
		    f->name, version);
		return -1;
	}
	if (db_begin(db) < 0) {
		snprintf(err, errlen, "cannot start migration %s: %s", f->name, db_errmsg(db));
		return -1;
	}
	/* Another process (rappelctl, rappeld) may have migrated meanwhile. */
	if (db_version(db) >= version) {
		db_rollback(db);
		return 0;
	}
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version);
	if (sqlite3_exec(db->handle, (const char *)f->data, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(db->handle, pragma, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "migration %s failed: %s", f->name, msg ? msg : "?");
		sqlite3_free(msg);
		db_rollback(db);
		return -1;
	}
	if (db_commit(db) < 0) {
		snprintf(err, errlen, "cannot commit migration %s: %s", f->name, db_errmsg(db));
		return -1;
	}
	log_info("db: migrated version=%d file=%s", version, f->name);
	return 0;
}

int
db_migrate(struct db *db, char *err, size_t errlen)
{
	int current = db_version(db);
	int latest = db_latest_version();
	int v;

	if (current < 0) {
		snprintf(err, errlen, "cannot read the schema version: %s", db_errmsg(db));
		return -1;
	}
	if (current > latest) {
		snprintf(err, errlen, "the database is at schema version %d, newer than this "
		    "program (%d): install a newer rappel or restore a backup", current, latest);
		return -1;
	}
	for (v = current + 1; v <= latest; v++)
		if (db_apply(db, v, &embedded_sql[v - 1], err, errlen) < 0)
			return -1;
	return latest - current;
}

int
db_copy(sqlite3 *from, sqlite3 *to, const char *dest, char *err, size_t errlen)
{
	sqlite3_backup *bk = sqlite3_backup_init(to, "main", from, "main");
	int rc;

	if (bk == NULL) {
		snprintf(err, errlen, "cannot copy to %s: %s", dest, sqlite3_errmsg(to));
		return -1;
	}
	/* Copy in steps so that writers are not blocked for long. */
	do {
		rc = sqlite3_backup_step(bk, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "copy to %s failed: %s", dest, sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

int
db_backup(struct db *db, const char *dest, char *err, size_t errlen)
{
	sqlite3 *out = NULL;
	int rc;

	err[0] = '\0';
	rc = sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot create %s: %s", dest,
		    out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
		sqlite3_close(out);
		return -1;
	}
	/* one self-contained file (no -wal beside it), for a stick or a mail */
	if (db_copy(db->handle, out, dest, err, errlen) < 0 ||
	    sqlite3_exec(out, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s: %s", dest, sqlite3_errmsg(out));
		sqlite3_close(out);
		return -1;
	}
	rc = sqlite3_close(out);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot close %s: %s", dest, sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

size_t
db_statement_count(void)
{
	if (__start_rappel_sql == NULL)
		return 0;
	return (size_t)(__stop_rappel_sql - __start_rappel_sql);
}

int
db_check_statements(struct db *db, char *err, size_t errlen)
{
	size_t i, n = db_statement_count();
	sqlite3_stmt *st;

	for (i = 0; i < n; i++) {
		const struct db_sql *q = &__start_rappel_sql[i];

		if (sqlite3_prepare_v2(db->handle, q->text, -1, &st, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s:%d: %s", q->file, q->line,
			    sqlite3_errmsg(db->handle));
			return -1;
		}
		sqlite3_finalize(st);
	}
	return (int)n;
}

sqlite3_stmt *
db_stmt(struct db *db, const struct db_sql *q)
{
	size_t i = (size_t)(q - __start_rappel_sql);
	sqlite3_stmt *st;

	if (q < __start_rappel_sql || q >= __stop_rappel_sql) {
		log_err("db: a statement not declared with DB_SQL(): %s", q->text);
		return NULL;
	}
	if (db->cache == NULL &&
	    (db->cache = calloc(db_statement_count(), sizeof(*db->cache))) == NULL)
		fatal("db: out of memory");
	if ((st = db->cache[i]) != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	if (sqlite3_prepare_v3(db->handle, q->text, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		log_err("db: %s:%d: cannot prepare statement: %s", q->file, q->line,
		    sqlite3_errmsg(db->handle));
		return NULL;
	}
	db->cache[i] = st;
	return st;
}

/* The transaction is over: committed, the db_after_commit() functions run. */
static void
db_fire_after(struct db *db)
{
	void (*after[DB_AFTER_MAX])(void);
	size_t i, n = db->nafter;

	if (n == 0 || !sqlite3_get_autocommit(db->handle))
		return;
	memcpy(after, db->after, n * sizeof(after[0]));
	db->nafter = 0;
	for (i = 0; i < n; i++)
		after[i]();
}

void
db_after_commit(struct db *db, void (*fn)(void))
{
	size_t i;

	if (sqlite3_get_autocommit(db->handle)) {
		fn();	/* the write that asked committed on its own */
		return;
	}
	for (i = 0; i < db->nafter; i++)
		if (db->after[i] == fn)
			return;
	if (db->nafter == DB_AFTER_MAX)
		fatal("db: more than %d functions to call after a commit", DB_AFTER_MAX);
	db->after[db->nafter++] = fn;
}

int
db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;

	int rc = sqlite3_exec(db->handle, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		db->full |= (rc & 0xff) == SQLITE_FULL;
		log_err("db: %s: %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	db_fire_after(db);	/* after COMMIT, or the RELEASE of the outermost savepoint */
	return 0;
}

int
db_begin(struct db *db)
{
	return db_exec(db, "BEGIN IMMEDIATE");
}

int
db_begin_read(struct db *db)
{
	return db_exec(db, "BEGIN");
}

int
db_commit(struct db *db)
{
	return db_exec(db, "COMMIT");
}

int
db_begin_lazy(struct db *db)
{
	if (db_exec(db, "PRAGMA synchronous = NORMAL") < 0)
		return -1;
	if (db_begin(db) < 0) {
		db_exec(db, "PRAGMA synchronous = FULL");
		return -1;
	}
	return 0;
}

int
db_commit_lazy(struct db *db)
{
	int rc = db_commit(db);

	if (rc < 0)
		db_rollback(db);
	/* refused inside a transaction: the rollback above makes sure there is none */
	if (db_exec(db, "PRAGMA synchronous = FULL") < 0)
		return -1;
	return rc;
}

int
db_sync(struct db *db)
{
	sqlite3_file *wal = NULL;
	int rc;

	/* in WAL mode the "journal" is the write-ahead log; absent before any write */
	rc = sqlite3_file_control(db->handle, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);
	if (rc != SQLITE_OK || wal == NULL || wal->pMethods == NULL)
		return 0;
	if ((rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL)) != SQLITE_OK) {
		log_err("db: cannot flush the write-ahead log: %s", sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

int
db_stamp(struct db *db, struct db_stamp *out)
{
	DB_SQL(sql, "PRAGMA data_version");
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	out->others = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	out->own = sqlite3_total_changes64(db->handle);
	if (rc != SQLITE_ROW) {
		log_err("db: data_version failed: %s", sqlite3_errmsg(db->handle));
		return -1;
	}
	return 0;
}

void
db_rollback(struct db *db)
{
	db->nafter = 0;		/* nothing was committed */
	if (!sqlite3_get_autocommit(db->handle))
		db_exec(db, "ROLLBACK");
}

static int
db_exec_named(struct db *db, const char *verb, const char *name)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "%s %s", verb, name);
	return db_exec(db, sql);
}

int
db_savepoint(struct db *db, const char *name)
{
	return db_exec_named(db, "SAVEPOINT", name);
}

int
db_release(struct db *db, const char *name)
{
	return db_exec_named(db, "RELEASE", name);
}

void
db_rollback_to(struct db *db, const char *name)
{
	db_exec_named(db, "ROLLBACK TO", name);
	db_exec_named(db, "RELEASE", name);
}

int
db_begin_nested(struct db *db, const char *name, bool *nested)
{
	*nested = !sqlite3_get_autocommit(db->handle);
	return *nested ? db_savepoint(db, name) : db_begin(db);
}

int
db_end_nested(struct db *db, const char *name, bool nested, bool keep)
{
	if (keep && (nested ? db_release(db, name) : db_commit(db)) == 0)
		return 0;
	if (nested)
		db_rollback_to(db, name);
	else
		db_rollback(db);
	return -1;
}

int
db_txn_begin(struct db *db, struct error *e)
{
	return db_begin(db) < 0 ? error_fail(e, ERR_DB) : 0;
}

int
db_txn_end(struct db *db, int rc, struct error *e)
{
	if (rc == 0 && db_commit(db) == 0)
		return 0;
	db_rollback(db);
	return error_or_db(e);
}

char *
db_column_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	char *p;

	if (t == NULL)
		return NULL;
	p = strdup((const char *)t);
	if (p == NULL)
		fatal("db: out of memory");
	return p;
}

int
db_step_done(struct db *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(st);
		db_fire_after(db);	/* a write outside a transaction commits at once */
		return 0;
	}
	db->full |= (rc & 0xff) == SQLITE_FULL;
	/* Constraint failures are expected input errors: the caller maps them. */
	if ((rc & 0xff) != SQLITE_CONSTRAINT)
		log_err("db: statement failed: %s: %s", sqlite3_errmsg(db->handle),
		    sqlite3_sql(st));
	sqlite3_reset(st);
	return -1;
}

long long
db_free_bytes(const char *path)
{
	char dir[4096], *slash;
	struct statvfs vfs;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (statvfs(dir, &vfs) < 0)
		return -1;
	return (long long)vfs.f_bavail * (long long)vfs.f_frsize;
}

int
db_errcode(struct db *db)
{
	return sqlite3_extended_errcode(db->handle);
}

const char *
db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->handle);
}

void
db_bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void
db_bind_int_or_null(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int64_t
db_step_int(sqlite3_stmt *st, int64_t fallback)
{
	int64_t v = fallback;

	if (st == NULL)
		return fallback;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

int64_t *
db_collect_ids(sqlite3_stmt *st, size_t *n)
{
	int64_t *ids = malloc(sizeof(*ids)), *grown;
	size_t cap = 1;
	int rc;

	if (ids == NULL)
		fatal("db: out of memory");
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap *= 2;
			if ((grown = realloc(ids, cap * sizeof(*ids))) == NULL)
				fatal("db: out of memory");
			ids = grown;
		}
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE) {
		log_err("db: statement failed: %s: %s", sqlite3_errmsg(sqlite3_db_handle(st)),
		    sqlite3_sql(st));
		free(ids);
		ids = NULL;
		*n = 0;
	}
	sqlite3_reset(st);
	return ids;
}

int
db_lock(const char *path, char *err, size_t errlen)
{
	char lock[4096];
	int fd;

	snprintf(lock, sizeof(lock), "%s.lock", path);
	/* read-only and 0644: whoever creates it (root, rappel), both can lock it */
	if ((fd = open(lock, O_RDONLY | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		snprintf(err, errlen, "cannot open %s: %s", lock, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		snprintf(err, errlen, errno == EWOULDBLOCK ? "%s is in use by a running rappeld "
		    "(or a restore): stop it first (systemctl stop rappel)" : "cannot lock %s: %s",
		    path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

bool
db_take_full(struct db *db)
{
	bool full = db->full;

	db->full = false;
	return full;
}
