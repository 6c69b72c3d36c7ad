/*
 * db — the SQLite database: opening, PRAGMAs, migrations, backups and a
 * per-connection cache of the program's prepared statements (DB_SQL).
 *
 * One struct db per thread; a struct db is not shared between threads.
 * Every connection runs with WAL, synchronous=FULL, foreign_keys=ON and a
 * busy timeout.  Migrations are the files sql/NNN_*.sql built into the
 * binary; PRAGMA user_version holds the number of the last one applied.
 */
#ifndef RAPPEL_DB_H
#define RAPPEL_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/*
 * Opens (creating if needed) the database at path.  Returns NULL with an
 * English reason in err.  Does not migrate: call db_migrate().
 * The caller closes it with db_close().
 */
struct db *db_open(const char *path, char *err, size_t errlen);
/* Finalizes cached statements and closes.  db_close(NULL) does nothing. */
void db_close(struct db *db);

sqlite3 *db_handle(struct db *db);

/*
 * How long a write waits for another connection's write transaction to
 * end before it fails with SQLITE_BUSY: 5 s from db_open(), ms from now.
 */
void db_busy_timeout(struct db *db, int ms);

/* Number of the newest migration built into this binary. */
int db_latest_version(void);
/* The database's PRAGMA user_version, or -1 on error. */
int db_version(struct db *db);

/*
 * Applies every pending migration, each in its own transaction.  Returns
 * the number applied (0 when up to date), or -1 with a reason in err,
 * notably when the database is newer than this binary (then nothing is
 * touched).
 */
int db_migrate(struct db *db, char *err, size_t errlen);

/*
 * Copies the live database to dest with the online backup API, straight
 * into dest (see backup_write() for a copy that is whole or absent).
 * 0 or -1 with a reason in err.
 */
int db_backup(struct db *db, const char *dest, char *err, size_t errlen);

/* The online backup API from one open handle to another; dest names `to` in err. */
int db_copy(sqlite3 *from, sqlite3 *to, const char *dest, char *err, size_t errlen);

/*
 * Takes the lock that says "a rappeld (or a restore) uses the database at
 * path": flock() on "PATH.lock", held until the returned descriptor is
 * closed or the process ends (also when killed).  Returns the descriptor,
 * or -1 with a reason in err (notably when another process holds it).
 */
int db_lock(const char *path, char *err, size_t errlen);

/*
 * A statement of the program, registered at build time.  Declare each one
 * with DB_SQL() where it is used:
 *
 *	DB_SQL(sql, "SELECT name FROM contacts WHERE id = ?1");
 *	sqlite3_stmt *st = db_stmt(db, sql);
 *
 * DB_SQL(name, text) defines `name` as a static struct db_sql placed in
 * the linker section "rappel_sql", so that the program knows every
 * statement it holds before running any: db_check_statements() prepares
 * them all at start-up, and a typo in a rarely taken path stops rappeld at
 * boot instead of the day that path runs.  db_stmt() accepts nothing
 * else, so a statement cannot escape the check.
 */
struct db_sql {
	const char *text;
	const char *file;	/* where it is declared, for the error */
	int line;
};

#define DB_SQL(name, sqltext) \
	static const struct db_sql name[1] \
	    __attribute__((used, section("rappel_sql"), aligned(sizeof(void *)))) = \
	    { { sqltext, __FILE__, __LINE__ } }

/* The number of statements linked into this program. */
size_t db_statement_count(void);

/*
 * Prepares every statement linked into this program against db's schema
 * (after db_migrate()), then finalizes them.  Returns the number checked,
 * or -1 with "FILE:LINE: SQLite's reason" for the first that does not
 * compile in err.
 */
int db_check_statements(struct db *db, char *err, size_t errlen);

/*
 * Returns the prepared statement of q on db, reset and with bindings
 * cleared, prepared on first use and kept until db_close().  Returns NULL
 * (logged) when it does not compile, which db_check_statements() has
 * ruled out at start-up.
 */
sqlite3_stmt *db_stmt(struct db *db, const struct db_sql *q);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; 0 or -1 (logged). */
int db_begin(struct db *db);
int db_commit(struct db *db);

/*
 * BEGIN (deferred): a read transaction, one snapshot and one lock for
 * the many statements of a listing instead of one per statement.  End
 * it with db_commit(); 0 or -1 (logged).
 */
int db_begin_read(struct db *db);
void db_rollback(struct db *db);

/*
 * A write transaction whose COMMIT is not flushed to the disk: BEGIN
 * IMMEDIATE with synchronous = NORMAL, then COMMIT and back to FULL.  A
 * process that is killed loses nothing of it; a power cut may lose it
 * until the next durable commit of any connection, or db_sync(), flushes
 * it.  For bookkeeping whose loss is safe (a message sent but still
 * 'sending' is recovered as uncertain, never resent).  0 or -1 (logged).
 */
int db_begin_lazy(struct db *db);
int db_commit_lazy(struct db *db);

/*
 * Calls fn once the caller's transaction has committed (at once when
 * there is none: the write committed on its own), from the thread that
 * commits; forgotten when it rolls back.  A function asked twice in one
 * transaction runs once.  For telling other threads that committed data
 * waits for them (queue.h: queue_on_commit()).
 */
void db_after_commit(struct db *db, void (*fn)(void));

/* Flushes the write-ahead log to the disk (fdatasync); 0 or -1 (logged). */
int db_sync(struct db *db);

/*
 * Where the database stands, as seen by this connection: two stamps are
 * equal only when nothing was written since, by this connection (rows it
 * changed) or by any other, in this process or another (PRAGMA
 * data_version).  For answers kept while the data they show is unchanged.
 * Take it before the reads it guards.  0 or -1 (logged).
 */
struct db_stamp {
	int64_t others, own;
};
int db_stamp(struct db *db, struct db_stamp *out);

/*
 * SAVEPOINT name / RELEASE name / ROLLBACK TO name + RELEASE name: a
 * transaction that nests inside a caller's.  name is a literal.
 */
int db_savepoint(struct db *db, const char *name);
int db_release(struct db *db, const char *name);
void db_rollback_to(struct db *db, const char *name);

/*
 * A write transaction that nests: BEGIN IMMEDIATE when db is in none,
 * else SAVEPOINT name inside the caller's transaction (whose COMMIT then
 * makes it durable).  *nested says which, for db_end_nested().  name is
 * a literal.  0 or -1 (logged).
 */
int db_begin_nested(struct db *db, const char *name, bool *nested);
/*
 * Ends what db_begin_nested() began: with keep, COMMIT or RELEASE name;
 * without keep, or when that fails, ROLLBACK or ROLLBACK TO name.  0 when
 * kept, -1 otherwise.
 */
int db_end_nested(struct db *db, const char *name, bool nested, bool keep);

/*
 * A write transaction for a change that answers with a struct error
 * (error.h), which may be NULL.  db_txn_begin(): BEGIN IMMEDIATE; on
 * failure e says ERR_DB.  db_txn_end(): COMMIT when rc, the result of the
 * change, is 0; else, or when COMMIT fails, ROLLBACK, and e says ERR_DB
 * unless the change said why already.  Both return 0 or -1:
 *
 *	if (db_txn_begin(db, &err) < 0 ||
 *	    db_txn_end(db, thing_write(db, ..., &err), &err) < 0)
 *		return http_reply_error(req, &err);
 */
struct error;
int db_txn_begin(struct db *db, struct error *e);
int db_txn_end(struct db *db, int rc, struct error *e);

/*
 * Whether a write through db_step_done() or db_exec() failed because the
 * disk is full since the last call; clears the flag.  Lets a caller that
 * only saw -1 tell "disk full" (space to free) from other failures.
 */
bool db_take_full(struct db *db);

/*
 * Bytes an unprivileged process may still write on the filesystem that
 * holds the database file at path, or -1 when it cannot be told.
 */
long long db_free_bytes(const char *path);
/* Below this, the database's disk is full: writes are about to fail. */
#define DB_DISK_FULL_BYTES (1024 * 1024)

/* Runs sql with no result rows (DDL, PRAGMA ...); 0 or -1 (logged). */
int db_exec(struct db *db, const char *sql);

/* Binds s, or SQL NULL when s is NULL (SQLITE_STATIC: s must outlive the step). */
void db_bind_text_or_null(sqlite3_stmt *st, int i, const char *s);
/* Binds v, or SQL NULL when v is 0. */
void db_bind_int_or_null(sqlite3_stmt *st, int i, int64_t v);

/*
 * Steps st (bound by the caller) to its end and returns the integers of
 * its first column in a malloc'd array of *n, then resets st.  NULL with
 * *n = 0 when a step fails (logged): never a part of the rows.
 */
int64_t *db_collect_ids(sqlite3_stmt *st, size_t *n);

/*
 * Steps st (bound by the caller, NULL allowed) once and returns the
 * integer of its first column, or fallback without a row or on error (or
 * for a NULL st); then resets st.
 */
int64_t db_step_int(sqlite3_stmt *st, int64_t fallback);

/* Copies column i of the current row; NULL for SQL NULL.  Caller frees. */
char *db_column_strdup(sqlite3_stmt *st, int i);

/* sqlite3_step() expecting SQLITE_DONE; 0, or -1 logged with context. */
int db_step_done(struct db *db, sqlite3_stmt *st);

/* Last error's extended code and message, for mapping to API errors. */
int db_errcode(struct db *db);
const char *db_errmsg(struct db *db);

#endif
