/*
 * groups — named sets of contacts ("Atelier informatique", "Seniors du
 * jeudi").  Names are unique without regard to case.  Writes are audited
 * and nest in the caller's transaction (savepoints).
 */
#ifndef RAPPEL_GROUPS_H
#define RAPPEL_GROUPS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "audit.h"
#include "db.h"
#include "error.h"

#define GROUP_NAME_MAX 100

/* Creates a group; ERR_CONFLICT "duplicate_name" with existing_id when taken. */
int groups_create(struct db *db, const char *name, const struct audit_actor *actor,
    int64_t now, int64_t *id, struct error *err);
int groups_rename(struct db *db, int64_t id, const char *name,
    const struct audit_actor *actor, int64_t now, struct error *err);
/* Deletes a group; its contacts stay. */
int groups_delete(struct db *db, int64_t id, const struct audit_actor *actor,
    int64_t now, struct error *err);
/* Replaces the members of a group; unknown contact ids fail with ERR_INVALID. */
int groups_set_members(struct db *db, int64_t id, const int64_t *contact_ids, size_t n,
    const struct audit_actor *actor, int64_t now, struct error *err);
/*
 * Finds a group by name (case-insensitive), creating it when missing;
 * *created (may be NULL) says which.
 */
int groups_find_or_create(struct db *db, const char *name, const struct audit_actor *actor,
    int64_t now, int64_t *id, bool *created, struct error *err);

/* {"id", "name", "contact_ids": [...]} for one group, or NULL + ERR_NOT_FOUND. */
json_t *groups_get_json(struct db *db, int64_t id, struct error *err);
/*
 * Array of every group (owner_id 0), or of those on one of the ateliers
 * owner_id runs, sorted by name, each with contact_ids.
 */
json_t *groups_list_json(struct db *db, int64_t owner_id);
/* True when group id is on one of the ateliers owner_id runs. */
bool groups_shown_to(struct db *db, int64_t id, int64_t owner_id);

#endif
