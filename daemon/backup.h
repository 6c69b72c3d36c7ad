/*
 * backup — consistent copies of the live database, the nightly copies
 * kept in a directory (a USB stick), and the checks a restore needs.
 *
 * A copy is written with SQLite's online backup API while rappeld runs,
 * to a temporary file next to its destination; it is checked (PRAGMA
 * quick_check), flushed to disk, then renamed into place.  A copy is
 * therefore whole or absent: a power cut or a full stick in the middle
 * leaves the previous copies as they were and at most a "*.tmp" file.
 *
 * Nightly copies are named rappel-YYYY-MM-DD.db (the local date); the
 * newest `keep` of them stay, older ones are deleted.  Files of any other
 * name in the directory are never touched.
 */
#ifndef RAPPEL_BACKUP_H
#define RAPPEL_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

#define BACKUP_NAME_MAX 32	/* "rappel-2026-12-04.db" and its NUL */

/*
 * Copies db to dest (replacing it) as described above.  0, or -1 with an
 * English reason in err; dest is then left as it was.
 */
int backup_write(struct db *db, const char *dest, char *err, size_t errlen);

/*
 * The nightly copy for the local day of now into dir, then the rotation
 * to `keep` copies.  Returns 1 when written, 0 when that day's copy was
 * already there (nothing done), -1 with a reason in err.  *path (may be
 * NULL) receives the copy's path, malloc'd, to be freed by the caller.
 */
int backup_nightly(struct db *db, const char *dir, int keep, int64_t now, char **path,
    char *err, size_t errlen);

/* What backup_check_file() found in a copy. */
struct backup_info {
	int version;		/* PRAGMA user_version */
	long long contacts;
	long long messages;
};

/*
 * Whether path is a rappel database this program can use: it opens
 * read-only, passes PRAGMA integrity_check, has a schema version from 1
 * to the newest built in, and has the contacts and messages tables.
 * 0 with *info filled, or -1 with an English reason in err.
 */
int backup_check_file(const char *path, struct backup_info *info, char *err, size_t errlen);

/*
 * Replaces the database at db_path with the copy at src (checked first
 * with backup_check_file(), which fills *info).  The database being replaced, when there is
 * one, is renamed to "DB_PATH.avant-restauration-YYYYMMDD-HHMMSS" (its
 * WAL with it), whose path goes to *kept (malloc'd; NULL when there was
 * no database).  The restored database is then migrated.  The caller
 * makes sure no rappeld uses db_path (db_lock()).  0 or -1 with err;
 * after a failure before the rename nothing changed.
 */
int backup_restore(const char *src, const char *db_path, int64_t now,
    struct backup_info *info, char **kept, char *err, size_t errlen);

#endif
