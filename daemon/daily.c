/*
 * daily — retention and the nightly backup, from main.c's loop (see
 * daily.h).
 */
#include "daily.h"

#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "backup.h"
#include "log.h"
#include "retention.h"

int64_t
daily_next(int64_t now, int minutes_of_day)
{
	time_t t = (time_t)now, at;
	struct tm tm;
	int day;

	localtime_r(&t, &tm);
	for (day = 0; day < 3; day++) {
		struct tm d = tm;

		d.tm_mday += day;
		d.tm_hour = minutes_of_day / 60;
		d.tm_min = minutes_of_day % 60;
		d.tm_sec = 0;
		d.tm_isdst = -1;	/* mktime finds the offset of that day */
		if ((at = mktime(&d)) > t)
			return (int64_t)at;
	}
	return now + 24 * 3600;
}

/* True when now's local time of day is at or after minutes_of_day. */
static bool
daily_passed(int64_t now, int minutes_of_day)
{
	time_t t = (time_t)now;
	struct tm tm;

	localtime_r(&t, &tm);
	return tm.tm_hour * 60 + tm.tm_min >= minutes_of_day;
}

/*
 * The nightly copy's outcome in the audit log ("backup" or
 * "backup_failed" on "database"), where GET /api/v1/status finds it.
 */
static void
daily_record_backup(struct db *db, int64_t now, int rc, const char *file, const char *error)
{
	static const struct audit_actor system_actor = { 0, "system" };
	json_t *d = json_pack("{s:s?, s:s?}", "file", file, "error", rc < 0 ? error : NULL);
	char *details = json_dumps(d, JSON_COMPACT);

	audit_record(db, &system_actor, now, rc < 0 ? "backup_failed" : "backup", "database", 0,
	    details);
	free(details);
	json_decref(d);
}

int64_t
daily_run(struct db *db, const struct config *cfg, int64_t now)
{
	struct retention_result r;
	char err[512], *path = NULL;
	int rc;

	if (cfg->retention_months > 0)
		retention_apply(db, retention_cutoff(now, cfg->retention_months), &r);
	if (cfg->backup_dir && daily_passed(now, cfg->backup_time_min)) {
		rc = backup_nightly(db, cfg->backup_dir, cfg->backup_keep, now, &path, err,
		    sizeof(err));
		if (rc < 0)
			log_err("backup: nightly copy failed: %s", err);
		else if (rc > 0)
			log_info("backup: nightly copy written file=%s", path);
		if (rc != 0)
			daily_record_backup(db, now, rc, path, err);
		free(path);
	}
	return daily_next(now, cfg->backup_time_min);
}
