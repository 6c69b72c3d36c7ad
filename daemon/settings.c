/*
 * settings — panel-edited settings laid over the configuration file (see
 * settings.h).
 */
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"

enum settings_kind { SETTINGS_TEXT, SETTINGS_INT, SETTINGS_DAYS };

/* What the panel may change: its name, where it goes in the file, and the French error. */
static const struct settings_key {
	const char *name;
	const char *section;
	const char *key;
	enum settings_kind kind;
	const char *refused;
} settings_keys[] = {
	{ "centre_name", "centre", "name", SETTINGS_TEXT, "Écrivez le nom du centre." },
	{ "centre_phone", "centre", "phone", SETTINGS_TEXT,
	  "Écrivez le téléphone du centre, par exemple 03 21 00 00 00." },
	{ "centre_address", "centre", "address", SETTINGS_TEXT,
	  "Écrivez l'adresse du centre sur une ligne." },
	{ "centre_sms_number", "centre", "sms_number", SETTINGS_TEXT,
	  "Écrivez le numéro de portable de la carte SIM du modem, par exemple "
	  "06 12 34 56 78." },
	{ "hours", "sending", "hours", SETTINGS_TEXT,
	  "Heures d'envoi : écrivez le début et la fin, par exemple 08:30-19:30." },
	{ "days", "sending", "days", SETTINGS_DAYS, "Choisissez au moins un jour d'envoi." },
	{ "max_per_minute", "sending", "max_per_minute", SETTINGS_INT,
	  "SMS par minute : un nombre de 1 à 60000." },
	{ "max_per_day", "sending", "max_per_day", SETTINGS_INT,
	  "SMS par jour : un nombre de 1 à 100000." },
	{ "reply_days", "sending", "reply_days", SETTINGS_INT,
	  "Attente des réponses : de 1 à 90 jours." },
};
#define SETTINGS_NKEYS (sizeof(settings_keys) / sizeof(settings_keys[0]))

static const struct settings_key *
settings_find(const char *name)
{
	size_t i;

	for (i = 0; i < SETTINGS_NKEYS; i++)
		if (strcmp(settings_keys[i].name, name) == 0)
			return &settings_keys[i];
	return NULL;
}

/* The stored overrides as an object name -> value (text as in the file), or NULL. */
static json_t *
settings_stored(struct db *db)
{
	DB_SQL(sql, "SELECT section, key, value FROM settings");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *map = json_object();
	const char *section, *key;
	size_t i;

	if (st == NULL) {
		json_decref(map);
		return NULL;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		section = (const char *)sqlite3_column_text(st, 0);
		key = (const char *)sqlite3_column_text(st, 1);
		for (i = 0; i < SETTINGS_NKEYS; i++)
			if (strcmp(settings_keys[i].section, section) == 0 &&
			    strcmp(settings_keys[i].key, key) == 0)
				json_object_set_new(map, settings_keys[i].name,
				    json_string((const char *)sqlite3_column_text(st, 2)));
	}
	sqlite3_reset(st);
	return map;
}

/* The file's text with the overrides of map laid over it, into out. */
static int
settings_text(const char *path, json_t *map, struct buf *out, char *err, size_t errlen)
{
	const char *last = "";
	size_t i;

	if (buf_read_file(out, path) < 0) {
		snprintf(err, errlen, "%s: cannot read", path);
		return -1;
	}
	buf_puts(out, "\n");
	for (i = 0; i < SETTINGS_NKEYS; i++) {
		const struct settings_key *k = &settings_keys[i];
		json_t *v = json_object_get(map, k->name);

		if (v == NULL)
			continue;
		if (strcmp(last, k->section) != 0)
			buf_printf(out, "[%s]\n", k->section);
		last = k->section;
		buf_printf(out, "%s = %s\n", k->key, json_string_value(v));
	}
	return 0;
}

/* config_load_string() of the file with map laid over it. */
static struct config *
settings_load_map(const char *path, json_t *map, char *err, size_t errlen)
{
	struct buf text = { 0 };
	struct config *cfg = NULL;

	if (settings_text(path, map, &text, err, errlen) == 0)
		cfg = config_load_string(text.data, path, err, errlen);
	buf_free(&text);
	return cfg;
}

/* The setting among names (an object keyed by settings_keys' names) that why is about, or NULL. */
static const struct settings_key *
settings_named_in(const char *why, json_t *names)
{
	char at[64];
	size_t i;

	for (i = 0; i < SETTINGS_NKEYS; i++) {
		snprintf(at, sizeof(at), "[%s] %s", settings_keys[i].section, settings_keys[i].key);
		if (strstr(why, at) && json_object_get(names, settings_keys[i].name))
			return &settings_keys[i];
	}
	return NULL;
}

struct config *
settings_load_config(const char *path, struct db *db, char *err, size_t errlen)
{
	struct config *cfg = config_load(path, err, errlen);
	const struct settings_key *k;
	json_t *map;

	if (cfg == NULL)
		return NULL;
	if ((map = settings_stored(db)) == NULL) {
		snprintf(err, errlen, "cannot read the settings table");
		config_free(cfg);
		return NULL;
	}
	/*
	 * A stored setting the reader refuses (stored by an older rappeld,
	 * whose rules were looser) is left out: the file's value applies.
	 */
	while (cfg != NULL && json_object_size(map) > 0) {
		config_free(cfg);
		if ((cfg = settings_load_map(path, map, err, errlen)) != NULL ||
		    (k = settings_named_in(err, map)) == NULL)
			break;
		log_warn("settings: the stored %s is refused, the file's value applies: %s",
		    k->name, err);
		json_object_del(map, k->name);
		cfg = config_load(path, err, errlen);	/* the file alone, if map is empty now */
	}
	json_decref(map);
	return cfg;
}

json_t *
settings_sending_json(const struct config *cfg)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	json_t *d = json_array();
	char hours[16];
	size_t i;

	for (i = 0; i < 7; i++)
		if (cfg->send_days & (1u << i))
			json_array_append_new(d, json_string(days[i]));
	snprintf(hours, sizeof(hours), "%02d:%02d-%02d:%02d", cfg->send_start_min / 60 % 100,
	    cfg->send_start_min % 60, cfg->send_end_min / 60 % 100, cfg->send_end_min % 60);
	return json_pack("{s:s, s:o, s:i, s:i, s:i}", "hours", hours, "days", d,
	    "max_per_minute", cfg->max_per_minute, "max_per_day", cfg->max_per_day,
	    "reply_days", cfg->reply_days);
}

json_t *
settings_json(struct db *db, const struct config *cfg)
{
	json_t *out = settings_sending_json(cfg), *overridden = json_array();
	json_t *map = settings_stored(db), *v;
	const char *name;

	json_object_foreach(map, name, v)
		json_array_append_new(overridden, json_string(name));
	json_decref(map);
	json_object_set_new(out, "centre_name", json_string(cfg->centre_name));
	json_object_set_new(out, "centre_phone", json_string(cfg->centre_phone));
	json_object_set_new(out, "centre_address", json_string(cfg->centre_address));
	json_object_set_new(out, "centre_sms_number", cfg->centre_sms_number ?
	    json_string(cfg->centre_sms_number) : json_null());
	json_object_set_new(out, "overridden", overridden);
	json_object_set_new(out, "file", json_string(cfg->path));
	return out;
}

/* v as the text the file would hold, into out; -1 when it cannot be one. */
static int
settings_value(const struct settings_key *k, json_t *v, struct buf *out)
{
	const char *s;
	size_t i;

	switch (k->kind) {
	case SETTINGS_INT:
		if (!json_is_integer(v))
			return -1;
		buf_printf(out, "%lld", (long long)json_integer_value(v));
		return 0;
	case SETTINGS_DAYS:
		if (!json_is_array(v) || json_array_size(v) == 0)
			return -1;
		for (i = 0; i < json_array_size(v); i++) {
			if ((s = json_string_value(json_array_get(v, i))) == NULL ||
			    strspn(s, "abcdefghijklmnopqrstuvwxyz") != strlen(s) || !s[0])
				return -1;
			buf_printf(out, "%s%s", i ? "," : "", s);
		}
		return 0;
	default:
		if ((s = json_string_value(v)) == NULL)
			return -1;
		s += strspn(s, " \t");
		/* what inih would read back otherwise: a comment, another line */
		if (!s[0] || strpbrk(s, ";#\r\n") || s[strlen(s) - 1] == ' ')
			return -1;
		buf_puts(out, s);
		return 0;
	}
}

/* Stores map's names among changes (NULL value: delete); 0 or -1. */
static int
settings_store(struct db *db, json_t *changes, json_t *map, const char *login, int64_t now)
{
	DB_SQL(sql_set, "INSERT INTO settings (section, key, value, updated_at, "
	    "updated_by) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (section, key) DO UPDATE "
	    "SET value = ?3, updated_at = ?4, updated_by = ?5");
	DB_SQL(sql_del, "DELETE FROM settings WHERE section = ?1 AND key = ?2");
	const struct settings_key *k;
	const char *name;
	json_t *v, *stored;
	sqlite3_stmt *st;

	json_object_foreach(changes, name, v) {
		k = settings_find(name);
		stored = json_object_get(map, name);
		if ((st = db_stmt(db, stored ? sql_set : sql_del)) == NULL)
			return -1;
		sqlite3_bind_text(st, 1, k->section, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, k->key, -1, SQLITE_STATIC);
		if (stored) {
			sqlite3_bind_text(st, 3, json_string_value(stored), -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 4, now);
			sqlite3_bind_text(st, 5, login, -1, SQLITE_STATIC);
		}
		if (db_step_done(db, st) < 0)
			return -1;
	}
	return 0;
}

int
settings_update(struct db *db, const char *path, json_t *changes,
    const struct audit_actor *actor, int64_t now, struct config **out, struct error *err)
{
	const struct settings_key *k;
	struct buf value = { 0 };
	struct config *cfg = NULL;
	json_t *map, *v;
	const char *name;
	char why[512];
	int rc = -1;

	if (!json_is_object(changes))
		return error_set(err, ERR_INVALID, "invalid_json", NULL,
		    "Le corps de la requête doit être un objet JSON.");
	if ((map = settings_stored(db)) == NULL)
		return error_fail(err, ERR_DB);
	json_object_foreach(changes, name, v) {
		if ((k = settings_find(name)) == NULL) {
			error_set(err, ERR_INVALID, "unknown_field", name,
			    "Ce réglage ne se change pas ici.");
			goto done;
		}
		if (json_is_null(v)) {
			json_object_del(map, name);
			continue;
		}
		buf_reset(&value);
		if (settings_value(k, v, &value) < 0) {
			error_set(err, ERR_INVALID, "invalid", name, "%s", k->refused);
			goto done;
		}
		json_object_set_new(map, name, json_string(value.data));
	}
	if ((cfg = settings_load_map(path, map, why, sizeof(why))) == NULL) {
		/* the file's own reader refused it: name the setting it refers to */
		if ((k = settings_named_in(why, changes)) != NULL) {
			error_set(err, ERR_INVALID, "invalid", k->name, "%s", k->refused);
			goto done;
		}
		log_err("settings: the configuration is refused: %s", why);
		error_set(err, ERR_INTERNAL, "internal", NULL,
		    "Le fichier de configuration est refusé.");
		goto done;
	}
	if (db_txn_begin(db, err) < 0 ||
	    db_txn_end(db, settings_store(db, changes, map, actor->name, now) < 0 ||
	    audit_record(db, actor, now, "update", "settings", 0, NULL) < 0 ? -1 : 0, err) < 0)
		goto done;
	log_info("settings: changed by=%s", actor->name);
	if (out != NULL) {
		*out = cfg;
		cfg = NULL;
	}
	rc = 0;
done:
	config_free(cfg);
	json_decref(map);
	buf_free(&value);
	return rc;
}

int
settings_forget_section(struct db *db, const char *section)
{
	DB_SQL(sql, "DELETE FROM settings WHERE section = ?");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, section, -1, SQLITE_STATIC);
	return db_step_done(db, st);
}

/* *field = a copy of running's value, when they differ; true when they did. */
static bool
settings_keep_str(char **field, const char *running)
{
	if ((*field == NULL && running == NULL) || (*field && running &&
	    strcmp(*field, running) == 0))
		return false;
	free(*field);
	*field = NULL;
	if (running && (*field = strdup(running)) == NULL)
		fatal("settings: out of memory");
	return true;
}

void
settings_keep_running(struct config *fresh, const struct config *running)
{
	int http = 0;

	if (settings_keep_str(&fresh->db_path, running->db_path))
		log_warn("config: [database] path changed; restart rappeld to use it");
	http += settings_keep_str(&fresh->http_listen, running->http_listen);
	http += settings_keep_str(&fresh->tls_cert, running->tls_cert);
	http += settings_keep_str(&fresh->tls_key, running->tls_key);
	if (http)
		log_warn("config: [http] changed; restart rappeld to use it");
	fresh->http_addr = running->http_addr;
	fresh->http_addrlen = running->http_addrlen;
	if (settings_keep_str(&fresh->timezone, running->timezone))
		log_warn("config: [centre] timezone changed; restart rappeld to use it");
	if (!config_modems_equal(running, fresh))
		log_warn("config: [modem] sections changed; restart rappeld to use them");
}
