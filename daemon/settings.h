/*
 * settings — the part of the configuration staff change from the panel:
 * the centre's name, phone and SMS number, the sending hours and days, the rates.
 * They are kept in the database (table settings) and laid over the
 * configuration file each time it is read, so the file stays the
 * installer's (root's) and the panel never writes it; the modems, the
 * database, the network and the backups stay in the file only.
 *
 * A change is checked by reading the file with the new values laid over
 * it (config_load_string): a value the file would refuse is refused, and
 * nothing is stored.
 */
#ifndef RAPPEL_SETTINGS_H
#define RAPPEL_SETTINGS_H

#include <jansson.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "error.h"

/*
 * Reads the configuration file at path with the stored settings of db
 * laid over it.  Returns a new config (config_free()), or NULL with the
 * reason in err (the file's errors name its lines, as config_load()).
 * A stored setting the file's reader refuses (one an older rappeld
 * accepted) is left out with a warning in the log: the file's value applies.
 */
struct config *settings_load_config(const char *path, struct db *db, char *err,
    size_t errlen);

/* [sending] as the panel shows it: {hours, days: [...], max_per_minute, max_per_day, reply_days}. */
json_t *settings_sending_json(const struct config *cfg);

/*
 * The settings as the panel edits them: {centre_name, centre_phone,
 * centre_sms_number (null when unset), hours, days: [...], max_per_minute, max_per_day, reply_days} from cfg,
 * and "overridden": the names changed from the panel.  New reference.
 */
json_t *settings_json(struct db *db, const struct config *cfg);

/*
 * Stores the names of changes (a JSON object with names of
 * settings_json(); null removes the override) once the file at path
 * accepts them, with an audit entry, in one transaction.  0, with *out
 * (when out is not NULL) the configuration they give, to be freed with
 * config_free(); or -1 with ERR_INVALID naming the field (French message)
 * or ERR_DB / ERR_INTERNAL, and nothing stored.
 */
int settings_update(struct db *db, const char *path, json_t *changes,
    const struct audit_actor *actor, int64_t now, struct config **out, struct error *err);

/* Removes the overrides of section ("centre" ...): the file's values apply again. */
int settings_forget_section(struct db *db, const char *section);

/*
 * For a reload: what fresh changes that only a restart applies (the
 * database path, [http] listen and TLS files, the time zone, the [modem]
 * sections) is logged, and fresh keeps running's values for the first
 * four (the modem workers keep the sections they started with).
 */
void settings_keep_running(struct config *fresh, const struct config *running);

#endif
