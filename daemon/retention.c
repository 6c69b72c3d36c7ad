/*
 * retention — anonymising what is older than the retention period (see
 * retention.h).
 */
#include "retention.h"

#include <time.h>

#include "log.h"

int64_t
retention_cutoff(int64_t now, int months)
{
	time_t t = (time_t)now;
	struct tm tm;

	if (months <= 0)
		return 0;
	localtime_r(&t, &tm);
	tm.tm_mon -= months;
	tm.tm_isdst = -1;	/* mktime normalises the month and finds the offset */
	return (int64_t)mktime(&tm);
}

/* Runs one anonymising UPDATE bound with cutoff; the rows changed or -1. */
static int
retention_update(struct db *db, const struct db_sql *sql, int64_t cutoff)
{
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, cutoff);
	if (db_step_done(db, st) < 0)
		return -1;
	return sqlite3_changes(db_handle(db));
}

int
retention_apply(struct db *db, int64_t cutoff, struct retention_result *res)
{
	DB_SQL(sql_parts, "DELETE FROM incoming_parts WHERE received_at < ?1");
	DB_SQL(sql_messages, "UPDATE messages SET body = NULL, to_number = '', "
	    "contact_id = NULL WHERE queued_at < ?1 AND status NOT IN ('queued', 'sending') "
	    "AND (body IS NOT NULL OR to_number != '' OR contact_id IS NOT NULL)");
	DB_SQL(sql_replies, "UPDATE replies SET body = NULL, from_number = '', "
	    "contact_id = NULL WHERE received_at < ?1 "
	    "AND (body IS NOT NULL OR from_number != '' OR contact_id IS NOT NULL)");

	res->messages = res->replies = 0;
	if (db_begin(db) < 0)
		return -1;
	if (retention_update(db, sql_parts, cutoff) < 0 ||
	    (res->messages = retention_update(db, sql_messages, cutoff)) < 0 ||
	    (res->replies = retention_update(db, sql_replies, cutoff)) < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		log_err("retention: anonymising failed; retried tomorrow");
		res->messages = res->replies = 0;
		return -1;
	}
	if (res->messages || res->replies)
		log_info("retention: anonymised messages=%d replies=%d before=%lld",
		    res->messages, res->replies, (long long)cutoff);
	return 0;
}
