/*
 * links — see links.h.
 */
#include "links.h"

#include <stdlib.h>

#include "log.h"

struct links_sql {
	const struct db_sql *clear;
	const struct db_sql *add;
	const struct db_sql *list;
	const char *what;	/* French, for "Le groupe n° 3 n'existe pas." */
};

DB_SQL(event_groups_clear, "DELETE FROM event_groups WHERE event_id = ?");
DB_SQL(event_groups_add,
    "INSERT OR IGNORE INTO event_groups (event_id, group_id) VALUES (?, ?)");
DB_SQL(event_groups_list,
    "SELECT group_id FROM event_groups WHERE event_id = ? ORDER BY group_id");
DB_SQL(event_contacts_clear, "DELETE FROM event_contacts WHERE event_id = ?");
DB_SQL(event_contacts_add,
    "INSERT OR IGNORE INTO event_contacts (event_id, contact_id) VALUES (?, ?)");
DB_SQL(event_contacts_list,
    "SELECT contact_id FROM event_contacts WHERE event_id = ? ORDER BY contact_id");
DB_SQL(campaign_groups_clear, "DELETE FROM campaign_groups WHERE campaign_id = ?");
DB_SQL(campaign_groups_add,
    "INSERT OR IGNORE INTO campaign_groups (campaign_id, group_id) VALUES (?, ?)");
DB_SQL(campaign_groups_list,
    "SELECT group_id FROM campaign_groups WHERE campaign_id = ? ORDER BY group_id");
DB_SQL(campaign_contacts_clear, "DELETE FROM campaign_contacts WHERE campaign_id = ?");
DB_SQL(campaign_contacts_add,
    "INSERT OR IGNORE INTO campaign_contacts (campaign_id, contact_id) VALUES (?, ?)");
DB_SQL(campaign_contacts_list,
    "SELECT contact_id FROM campaign_contacts WHERE campaign_id = ? ORDER BY contact_id");

static const struct links_sql links_sql[] = {
	[LINKS_EVENT_GROUPS] = { event_groups_clear, event_groups_add, event_groups_list,
		"Le groupe" },
	[LINKS_EVENT_CONTACTS] = { event_contacts_clear, event_contacts_add,
		event_contacts_list, "Le contact" },
	[LINKS_CAMPAIGN_GROUPS] = { campaign_groups_clear, campaign_groups_add,
		campaign_groups_list, "Le groupe" },
	[LINKS_CAMPAIGN_CONTACTS] = { campaign_contacts_clear, campaign_contacts_add,
		campaign_contacts_list, "Le contact" },
};

int
links_set(struct db *db, enum links_table t, int64_t owner, const int64_t *ids,
    size_t n, const char *field, struct error *err)
{
	const struct links_sql *q = &links_sql[t];
	sqlite3_stmt *st = db_stmt(db, q->clear);
	size_t i;

	if (st == NULL)
		return error_fail(err, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, owner);
	if (db_step_done(db, st) < 0)
		return error_fail(err, ERR_DB);
	for (i = 0; i < n; i++) {
		if ((st = db_stmt(db, q->add)) == NULL)
			return error_fail(err, ERR_INTERNAL);
		sqlite3_bind_int64(st, 1, owner);
		sqlite3_bind_int64(st, 2, ids[i]);
		if (db_step_done(db, st) == 0)
			continue;
		if ((db_errcode(db) & 0xff) == SQLITE_CONSTRAINT)
			return error_set(err, ERR_INVALID, "invalid", field,
			    "%s n° %lld n'existe pas.",
			    q->what, (long long)ids[i]);
		return error_fail(err, ERR_DB);
	}
	return 0;
}

json_t *
links_json(struct db *db, enum links_table t, int64_t owner)
{
	sqlite3_stmt *st = db_stmt(db, links_sql[t].list);
	json_t *ids = json_array();

	if (st == NULL)
		return ids;
	sqlite3_bind_int64(st, 1, owner);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(ids, json_integer(sqlite3_column_int64(st, 0)));
	sqlite3_reset(st);
	return ids;
}

int64_t *
links_ids(struct db *db, enum links_table t, int64_t owner, size_t *n)
{
	json_t *list = links_json(db, t, owner), *v;
	int64_t *ids = calloc(json_array_size(list) + 1, sizeof(*ids));
	size_t i;

	if (ids == NULL)
		fatal("links: out of memory");
	json_array_foreach(list, i, v)
		ids[i] = json_integer_value(v);
	*n = json_array_size(list);
	json_decref(list);
	return ids;
}
