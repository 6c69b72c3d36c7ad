/*
 * groups — named sets of contacts.  See groups.h.
 */
#include "groups.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "text.h"

static int
groups_check_name(const char *name, struct error *err)
{
	size_t n = strlen(name);

	if (n == 0)
		return error_set(err, ERR_INVALID, "invalid", "name", "Donnez un nom au groupe.");
	if (n > GROUP_NAME_MAX || !text_utf8_valid(name, n))
		return error_set(err, ERR_INVALID, "invalid", "name",
		    "Nom de groupe invalide (%d caractères au plus).", GROUP_NAME_MAX);
	return 0;
}

static int64_t
groups_find(struct db *db, const char *name)
{
	DB_SQL(sql, "SELECT id FROM groups WHERE name = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t id = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

static int
groups_duplicate(struct error *err, const char *name, int64_t existing)
{
	error_set(err, ERR_CONFLICT, "duplicate_name", "name",
	    "Un groupe « %s » existe déjà.", name);
	if (err)
		err->existing_id = existing;
	return -1;
}

int
groups_create(struct db *db, const char *name, const struct audit_actor *actor,
    int64_t now, int64_t *id, struct error *err)
{
	DB_SQL(sql, "INSERT INTO groups (name, created_at) VALUES (?, ?)");
	char *trimmed = text_trim_dup(name);
	sqlite3_stmt *st;
	int64_t existing;
	int rc = -1;

	if (groups_check_name(trimmed, err) < 0)
		goto out;
	if ((existing = groups_find(db, trimmed)) != 0) {
		groups_duplicate(err, trimmed, existing);
		goto out;
	}
	if (db_savepoint(db, "group_create") < 0 || (st = db_stmt(db, sql)) == NULL) {
		error_fail(err, ERR_DB);
		goto out;
	}
	sqlite3_bind_text(st, 1, trimmed, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	if (db_step_done(db, st) < 0) {
		db_rollback_to(db, "group_create");
		error_fail(err, ERR_DB);
		goto out;
	}
	*id = sqlite3_last_insert_rowid(db_handle(db));
	if (audit_record(db, actor, now, "create", "group", *id, NULL) < 0 ||
	    db_release(db, "group_create") < 0) {
		db_rollback_to(db, "group_create");
		error_fail(err, ERR_DB);
		goto out;
	}
	rc = 0;
out:
	free(trimmed);
	return rc;
}

int
groups_find_or_create(struct db *db, const char *name, const struct audit_actor *actor,
    int64_t now, int64_t *id, bool *created, struct error *err)
{
	char *trimmed = text_trim_dup(name);
	int64_t existing = groups_find(db, trimmed);
	int rc = 0;

	if (existing)
		*id = existing;
	else
		rc = groups_create(db, trimmed, actor, now, id, err);
	if (created)
		*created = existing == 0 && rc == 0;
	free(trimmed);
	return rc;
}

int
groups_rename(struct db *db, int64_t id, const char *name,
    const struct audit_actor *actor, int64_t now, struct error *err)
{
	DB_SQL(sql, "UPDATE groups SET name = ? WHERE id = ?");
	char *trimmed = text_trim_dup(name);
	sqlite3_stmt *st;
	int64_t existing;
	int rc = -1;

	if (groups_check_name(trimmed, err) < 0)
		goto out;
	existing = groups_find(db, trimmed);
	if (existing && existing != id) {
		groups_duplicate(err, trimmed, existing);
		goto out;
	}
	if (db_savepoint(db, "group_rename") < 0 || (st = db_stmt(db, sql)) == NULL) {
		error_fail(err, ERR_DB);
		goto out;
	}
	sqlite3_bind_text(st, 1, trimmed, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	if (db_step_done(db, st) < 0 || sqlite3_changes(db_handle(db)) != 1) {
		db_rollback_to(db, "group_rename");
		error_set(err, ERR_NOT_FOUND, "not_found", NULL, "Ce groupe n'existe pas.");
		goto out;
	}
	if (audit_record(db, actor, now, "update", "group", id, NULL) < 0 ||
	    db_release(db, "group_rename") < 0) {
		db_rollback_to(db, "group_rename");
		error_fail(err, ERR_DB);
		goto out;
	}
	rc = 0;
out:
	free(trimmed);
	return rc;
}

int
groups_delete(struct db *db, int64_t id, const struct audit_actor *actor,
    int64_t now, struct error *err)
{
	DB_SQL(sql, "DELETE FROM groups WHERE id = ?");
	sqlite3_stmt *st;

	if (db_savepoint(db, "group_delete") < 0 || (st = db_stmt(db, sql)) == NULL)
		return error_fail(err, ERR_DB);
	sqlite3_bind_int64(st, 1, id);
	if (db_step_done(db, st) < 0 || sqlite3_changes(db_handle(db)) != 1) {
		db_rollback_to(db, "group_delete");
		return error_set(err, ERR_NOT_FOUND, "not_found", NULL, "Ce groupe n'existe pas.");
	}
	if (audit_record(db, actor, now, "delete", "group", id, NULL) < 0 ||
	    db_release(db, "group_delete") < 0) {
		db_rollback_to(db, "group_delete");
		return error_fail(err, ERR_DB);
	}
	return 0;
}

static bool
groups_exists(struct db *db, int64_t id)
{
	DB_SQL(sql, "SELECT 1 FROM groups WHERE id = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	bool found;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, id);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

int
groups_set_members(struct db *db, int64_t id, const int64_t *contact_ids, size_t n,
    const struct audit_actor *actor, int64_t now, struct error *err)
{
	DB_SQL(sql_clear, "DELETE FROM group_members WHERE group_id = ?");
	DB_SQL(sql_add, "INSERT OR IGNORE INTO group_members (group_id, "
	    "contact_id) VALUES (?, ?)");
	sqlite3_stmt *st;
	size_t i;

	if (!groups_exists(db, id))
		return error_set(err, ERR_NOT_FOUND, "not_found", NULL, "Ce groupe n'existe pas.");
	if (db_savepoint(db, "group_members") < 0 || (st = db_stmt(db, sql_clear)) == NULL)
		return error_fail(err, ERR_DB);
	sqlite3_bind_int64(st, 1, id);
	if (db_step_done(db, st) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		if ((st = db_stmt(db, sql_add)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, contact_ids[i]);
		if (db_step_done(db, st) < 0) {
			db_rollback_to(db, "group_members");
			return error_set(err, ERR_INVALID, "invalid", "contact_ids",
			    "Le contact n° %lld n'existe pas.", (long long)contact_ids[i]);
		}
	}
	if (audit_record(db, actor, now, "update", "group", id, "{\"members\":true}") < 0 ||
	    db_release(db, "group_members") < 0)
		goto fail;
	return 0;
fail:
	db_rollback_to(db, "group_members");
	return error_fail(err, ERR_DB);
}

static json_t *
groups_members_json(struct db *db, int64_t id)
{
	DB_SQL(sql, "SELECT contact_id FROM group_members WHERE group_id = ? "
	    "ORDER BY contact_id");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *ids = json_array();

	if (st == NULL)
		return ids;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(ids, json_integer(sqlite3_column_int64(st, 0)));
	sqlite3_reset(st);
	return ids;
}

json_t *
groups_get_json(struct db *db, int64_t id, struct error *err)
{
	DB_SQL(sql, "SELECT name FROM groups WHERE id = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *g = NULL;

	if (st == NULL) {
		error_fail(err, ERR_INTERNAL);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		g = json_pack("{s:I, s:s}", "id", (json_int_t)id,
		    "name", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (g == NULL) {
		error_set(err, ERR_NOT_FOUND, "not_found", NULL, "Ce groupe n'existe pas.");
		return NULL;
	}
	json_object_set_new(g, "contact_ids", groups_members_json(db, id));
	return g;
}

/* The groups on one of the ateliers owner_id runs. */
#define GROUPS_OF_OWNER "SELECT eg.group_id FROM event_groups eg JOIN events e " \
	"ON e.id = eg.event_id WHERE e.owner_id = ?1"

bool
groups_shown_to(struct db *db, int64_t id, int64_t owner_id)
{
	DB_SQL(sql, "SELECT 1 WHERE ?2 IN (" GROUPS_OF_OWNER ")");
	sqlite3_stmt *st = db_stmt(db, sql);
	bool shown;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, owner_id);
	sqlite3_bind_int64(st, 2, id);
	shown = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return shown;
}

json_t *
groups_list_json(struct db *db, int64_t owner_id)
{
	DB_SQL(sql, "SELECT id FROM groups WHERE ?1 = 0 OR id IN (" GROUPS_OF_OWNER ") "
	    "ORDER BY name COLLATE NOCASE");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *list = json_array();
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, i;

	if (st == NULL)
		return list;
	sqlite3_bind_int64(st, 1, owner_id);
	/* Collect first: groups_get_json() uses other statements. */
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			ids = realloc(ids, cap * sizeof(*ids));
			if (ids == NULL)
				fatal("groups: out of memory");
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	for (i = 0; i < n; i++) {
		json_t *g = groups_get_json(db, ids[i], NULL);
		if (g)
			json_array_append_new(list, g);
	}
	free(ids);
	return list;
}
