/*
 * backup — whole-or-absent copies of the database, nightly rotation and
 * restore (see backup.h).
 */
#include "backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* fsync of a file or a directory by path; 0 or -1 (errno set). */
static int
backup_fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* The directory part of path ("." when it has none), into out. */
static void
backup_dirname(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(out, size, ".");
	else if (slash == path)
		snprintf(out, size, "/");
	else
		snprintf(out, size, "%.*s", (int)(slash - path), path);
}

/* PRAGMA name on handle is "ok"; 0, or -1 with what it said in err. */
static int
backup_pragma_ok(sqlite3 *h, const char *sql, const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(h));
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0)
		rc = 0;
	else
		snprintf(err, errlen, "%s: %s", what, sqlite3_column_text(st, 0) ?
		    (const char *)sqlite3_column_text(st, 0) : sqlite3_errmsg(h));
	sqlite3_finalize(st);
	return rc;
}

int
backup_write(struct db *db, const char *dest, char *err, size_t errlen)
{
	char tmp[PATH_MAX], dir[PATH_MAX], why[256];
	sqlite3 *copy = NULL;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", dest) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", dest);
		return -1;
	}
	unlink(tmp);
	if (db_backup(db, tmp, err, errlen) < 0)
		goto fail;
	if (sqlite3_open_v2(tmp, &copy, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    backup_pragma_ok(copy, "PRAGMA quick_check", "check of the copy", why,
	    sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: the copy is not sound: %s", dest,
		    copy ? (why[0] ? why : sqlite3_errmsg(copy)) : "cannot open it");
		sqlite3_close(copy);
		goto fail;
	}
	sqlite3_close(copy);
	backup_dirname(dest, dir, sizeof(dir));
	if (backup_fsync_path(tmp, O_RDONLY) < 0 || rename(tmp, dest) < 0 ||
	    backup_fsync_path(dir, O_RDONLY | O_DIRECTORY) < 0) {
		snprintf(err, errlen, "%s: cannot put the copy in place: %s", dest,
		    strerror(errno));
		goto fail;
	}
	return 0;
fail:
	unlink(tmp);
	return -1;
}

/* True when name is a nightly copy's: rappel-YYYY-MM-DD.db. */
static bool
backup_is_nightly(const char *name)
{
	static const char shape[] = "rappel-####-##-##.db";	/* #: a digit */
	size_t i;

	if (strlen(name) != sizeof(shape) - 1)
		return false;
	for (i = 0; shape[i]; i++)
		if (shape[i] == '#' ? (name[i] < '0' || name[i] > '9') : name[i] != shape[i])
			return false;
	return true;
}

static int
backup_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Deletes the oldest nightly copies in dir beyond keep; 0 or -1. */
static int
backup_rotate(const char *dir, int keep, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, path[PATH_MAX];
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!backup_is_nightly(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			if ((names = realloc(names, cap * sizeof(*names))) == NULL)
				fatal("backup: out of memory");
		}
		if ((names[n++] = strdup(de->d_name)) == NULL)
			fatal("backup: out of memory");
	}
	closedir(d);
	qsort(names, n, sizeof(*names), backup_cmp_names);	/* oldest first */
	for (i = 0; i < n; i++) {
		if (i + (size_t)keep < n) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			if (unlink(path) < 0 && rc == 0) {
				snprintf(err, errlen, "cannot delete the old copy %s: %s", path,
				    strerror(errno));
				rc = -1;
			} else {
				log_info("backup: old copy deleted file=%s", path);
			}
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int
backup_nightly(struct db *db, const char *dir, int keep, int64_t now, char **path,
    char *err, size_t errlen)
{
	char name[BACKUP_NAME_MAX], dest[PATH_MAX];
	time_t t = (time_t)now;
	struct tm tm;
	struct stat sb;

	if (path)
		*path = NULL;
	localtime_r(&t, &tm);
	strftime(name, sizeof(name), "rappel-%Y-%m-%d.db", &tm);
	if (snprintf(dest, sizeof(dest), "%s/%s", dir, name) >= (int)sizeof(dest)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	errno = 0;
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		/* errno is set only when stat() failed; sb is filled only when it did not */
		snprintf(err, errlen, "%s: %s (is the USB stick plugged in?)", dir,
		    errno ? strerror(errno) : "not a directory");
		return -1;
	}
	if (stat(dest, &sb) == 0)
		return 0;
	if (backup_write(db, dest, err, errlen) < 0)
		return -1;
	if (path && (*path = strdup(dest)) == NULL)
		fatal("backup: out of memory");
	if (backup_rotate(dir, keep, err, errlen) < 0)
		log_warn("backup: %s", err);
	return 1;
}

/* The single integer of sql on h, or -1. */
static long long
backup_count(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
backup_check_file(const char *path, struct backup_info *info, char *err, size_t errlen)
{
	sqlite3 *h = NULL;
	char why[256];
	int rc = -1;

	memset(info, 0, sizeof(*info));
	if (access(path, R_OK) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
		    h ? sqlite3_errmsg(h) : "out of memory");
		goto done;
	}
	if (backup_pragma_ok(h, "PRAGMA integrity_check", "integrity check", why,
	    sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: not a sound SQLite database (%s)", path, why);
		goto done;
	}
	info->version = (int)backup_count(h, "PRAGMA user_version");
	if (info->version < 1 || info->version > db_latest_version()) {
		snprintf(err, errlen, "%s: schema version %d, this rappel knows 1 to %d%s", path,
		    info->version, db_latest_version(), info->version > db_latest_version() ?
		    ": install the rappel that wrote it" : ": not a rappel database");
		goto done;
	}
	info->contacts = backup_count(h, "SELECT count(*) FROM contacts");
	info->messages = backup_count(h, "SELECT count(*) FROM messages");
	if (info->contacts < 0 || info->messages < 0) {
		snprintf(err, errlen, "%s: not a rappel database (no contacts or messages)", path);
		goto done;
	}
	rc = 0;
done:
	sqlite3_close(h);
	return rc;
}

/* Renames path+suffix to kept+suffix when it exists; 0 or -1. */
static int
backup_move_aside(const char *path, const char *kept, const char *suffix)
{
	char from[PATH_MAX], to[PATH_MAX];

	snprintf(from, sizeof(from), "%s%s", path, suffix);
	snprintf(to, sizeof(to), "%s%s", kept, suffix);
	if (rename(from, to) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

int
backup_restore(const char *src, const char *db_path, int64_t now, struct backup_info *info,
    char **kept, char *err, size_t errlen)
{
	char aside[PATH_MAX], stamp[32], shm[PATH_MAX], dir[PATH_MAX];
	time_t t = (time_t)now;
	struct tm tm;
	sqlite3 *from = NULL, *to = NULL;
	struct db *db;
	int rc;

	*kept = NULL;
	if (backup_check_file(src, info, err, errlen) < 0)
		return -1;
	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(aside, sizeof(aside), "%s.avant-restauration-%s", db_path, stamp);
	if (access(db_path, F_OK) == 0) {
		/* the WAL first: a database without its WAL would lose commits */
		if (backup_move_aside(db_path, aside, "-wal") < 0 ||
		    backup_move_aside(db_path, aside, "") < 0) {
			snprintf(err, errlen, "cannot move %s aside: %s", db_path,
			    strerror(errno));
			return -1;
		}
		snprintf(shm, sizeof(shm), "%s-shm", db_path);
		unlink(shm);
		if ((*kept = strdup(aside)) == NULL)
			fatal("backup: out of memory");
	}
	if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_open_v2(db_path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s or %s: %s", src, db_path,
		    to ? sqlite3_errmsg(to) : sqlite3_errmsg(from));
		rc = -1;
	} else {
		rc = db_copy(from, to, db_path, err, errlen);
	}
	sqlite3_close(from);
	if (sqlite3_close(to) != SQLITE_OK && rc == 0) {
		snprintf(err, errlen, "cannot close %s", db_path);
		rc = -1;
	}
	if (rc < 0)
		return -1;
	backup_dirname(db_path, dir, sizeof(dir));
	if (backup_fsync_path(db_path, O_RDONLY) < 0 ||
	    backup_fsync_path(dir, O_RDONLY | O_DIRECTORY) < 0) {
		snprintf(err, errlen, "%s: %s", db_path, strerror(errno));
		return -1;
	}
	if ((db = db_open(db_path, err, errlen)) == NULL)
		return -1;
	rc = db_migrate(db, err, errlen) < 0 ? -1 : 0;
	db_close(db);
	return rc;
}
