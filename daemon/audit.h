/*
 * audit — the audit log: who created, changed or deleted what, and when.
 *
 * An entry is written in the same transaction as the change it records,
 * by the caller's connection, so a change and its entry land together.
 * details is JSON text or NULL; it never holds a contact's name or number.
 */
#ifndef RAPPEL_AUDIT_H
#define RAPPEL_AUDIT_H

#include <stdint.h>

#include "db.h"

struct audit_actor {
	int64_t user_id;	/* 0 when not a staff account */
	const char *name;	/* login, "rappelctl" or "system" */
};

/* 0, or -1 (logged): the caller then rolls its transaction back. */
int audit_record(struct db *db, const struct audit_actor *actor, int64_t now,
    const char *action, const char *entity, int64_t entity_id, const char *details);

#endif
