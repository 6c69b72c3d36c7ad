/*
 * queue_read — what the queue holds, read only: a message's state, the
 * parts a modem handed over lately, counts by status.  The changes of
 * state are all in queue.c (its transition table is in queue.h).
 */
#include "queue.h"

#include <stdio.h>
#include <string.h>

int
queue_message_state(struct db *db, int64_t id, char *status, size_t statuslen,
    char *error, size_t errorlen)
{
	DB_SQL(sql, "SELECT status, ifnull(error, '') FROM messages WHERE id = ?1");
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(status, statuslen, "%s", sqlite3_column_text(st, 0));
		snprintf(error, errorlen, "%s", sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
queue_parts_since(struct db *db, const char *modem, int64_t since)
{
	DB_SQL(sql, "SELECT count(*) FROM message_parts "
	    "WHERE modem = ? AND sent_at >= ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	int n = -1;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, modem, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

int
queue_count(struct db *db, const char *status)
{
	/* worded so that the partial indexes of sql/007 are used (see QUEUE_SQL_DUE) */
	DB_SQL(sql_due, "SELECT count(*) FROM messages "
	    "WHERE " QUEUE_SQL_DUE("?1"));
	DB_SQL(sql_open, "SELECT count(*) FROM messages "
	    "WHERE status IN ('failed', 'uncertain') AND status = ?1");
	DB_SQL(sql_other, "SELECT count(*) FROM messages WHERE status = ?1");
	sqlite3_stmt *st = db_stmt(db, strcmp(status, "queued") == 0 ||
	    strcmp(status, "sending") == 0 ? sql_due : strcmp(status, "failed") == 0 ||
	    strcmp(status, "uncertain") == 0 ? sql_open : sql_other);
	int n = -1;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

int64_t
queue_next_due(struct db *db)
{
	DB_SQL(sql, "SELECT min(not_before) FROM messages WHERE " QUEUE_SQL_DUE("'queued'"));
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t t = 0;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		t = sqlite3_column_int64(st, 0);
	else
		t = -1;
	sqlite3_reset(st);
	return t;
}

unsigned
queue_sent_parts(struct db *db, int64_t id)
{
	DB_SQL(sql, "SELECT seq FROM message_parts WHERE " QUEUE_PARTS_OF("?1"));
	sqlite3_stmt *st = db_stmt(db, sql);
	unsigned mask = 0;
	int seq;

	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		seq = sqlite3_column_int(st, 0);
		if (seq >= 1 && seq <= 32)
			mask |= 1u << (seq - 1);
	}
	sqlite3_reset(st);
	return mask;
}
