/*
 * optout — numbers that sent STOP, kept by number.  See optout.h.
 */
#include "optout.h"

#include "log.h"

int
optout_add(struct db *db, const char *number, int64_t at, int64_t reply_id,
    const char *source)
{
	DB_SQL(sql, "INSERT INTO opt_outs (number, opted_out_at, reply_id, "
	    "source) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (number) DO UPDATE SET "
	    "reply_id = coalesce(opt_outs.reply_id, excluded.reply_id)");
	sqlite3_stmt *st = db_stmt(db, sql);
	char masked[24];

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	db_bind_int_or_null(st, 3, reply_id);
	sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
	if (db_step_done(db, st) < 0)
		return -1;
	log_mask_phone(number, masked, sizeof(masked));
	log_info("optout: opted out number=%s source=%s reply=%lld", masked, source,
	    (long long)reply_id);
	return 0;
}

int
optout_remove(struct db *db, const char *number)
{
	DB_SQL(sql, "DELETE FROM opt_outs WHERE number = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	char masked[24];

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	if (db_step_done(db, st) < 0)
		return -1;
	if (sqlite3_changes(db_handle(db)) == 0)
		return 0;
	log_mask_phone(number, masked, sizeof(masked));
	log_info("optout: opted in number=%s", masked);
	return 1;
}

int64_t
optout_since(struct db *db, const char *number)
{
	DB_SQL(sql, "SELECT opted_out_at FROM opt_outs WHERE number = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t at = 0;
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		at = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_err("optout: cannot read: %s", db_errmsg(db));
		return -1;
	}
	return at;
}

bool
optout_is_out(struct db *db, const char *number)
{
	return optout_since(db, number) != 0;
}

int
optout_count(struct db *db)
{
	DB_SQL(sql, "SELECT count(*) FROM opt_outs");
	sqlite3_stmt *st = db_stmt(db, sql);
	int n = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}
