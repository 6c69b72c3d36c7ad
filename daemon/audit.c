/*
 * audit — the audit log table.  See audit.h.
 */
#include "audit.h"

int
audit_record(struct db *db, const struct audit_actor *actor, int64_t now,
    const char *action, const char *entity, int64_t entity_id, const char *details)
{
	DB_SQL(sql, "INSERT INTO audit_log (at, user_id, actor, action, "
	    "entity, entity_id, details) VALUES (?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	if (actor->user_id)
		sqlite3_bind_int64(st, 2, actor->user_id);
	sqlite3_bind_text(st, 3, actor->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, entity, -1, SQLITE_STATIC);
	if (entity_id)
		sqlite3_bind_int64(st, 6, entity_id);
	if (details)
		sqlite3_bind_text(st, 7, details, -1, SQLITE_STATIC);
	return db_step_done(db, st);
}
