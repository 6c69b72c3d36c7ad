/*
 * links — the tables that tie one row to a set of others (an atelier's
 * invited groups and contacts, a campaign's audience): replace the set,
 * read it back.  Each table's SQL is a literal here; nothing is built by
 * concatenation.
 */
#ifndef RAPPEL_LINKS_H
#define RAPPEL_LINKS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "error.h"

enum links_table {
	LINKS_EVENT_GROUPS,
	LINKS_EVENT_CONTACTS,
	LINKS_CAMPAIGN_GROUPS,
	LINKS_CAMPAIGN_CONTACTS,
};

/*
 * Replaces the set linked to owner with ids (n of them).  An id that
 * does not exist fails with ERR_INVALID for field.  Runs in the caller's
 * transaction (or savepoint), which rolls back on -1.
 */
int links_set(struct db *db, enum links_table t, int64_t owner, const int64_t *ids,
    size_t n, const char *field, struct error *err);

/* The ids linked to owner, ascending, in a malloc'd array of *n (never NULL). */
int64_t *links_ids(struct db *db, enum links_table t, int64_t owner, size_t *n);

/* The ids linked to owner, ascending, as a JSON array (empty on error). */
json_t *links_json(struct db *db, enum links_table t, int64_t owner);

#endif
