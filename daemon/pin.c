/*
 * pin — refused SIM PINs, remembered.  See pin.h.
 */
#include "pin.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

void
pin_sim_name(const char *imei, const char *device, char out[PIN_SIM_MAX])
{
	if (imei && imei[0])
		snprintf(out, PIN_SIM_MAX, "imei:%.*s", PIN_SIM_MAX - 6, imei);
	else
		snprintf(out, PIN_SIM_MAX, "device:%.*s", PIN_SIM_MAX - 8, device);
}

/* BLAKE2b of sim and pin, in hex: the table never shows the PIN itself. */
static void
pin_hash(const char *sim, const char *pin, char out[PIN_HASH_HEX])
{
	unsigned char h[32];
	crypto_generichash_state st;

	if (sodium_init() < 0)
		fatal("pin: libsodium cannot start");
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)"rappel-pin", 11);
	crypto_generichash_update(&st, (const unsigned char *)sim, strlen(sim) + 1);
	crypto_generichash_update(&st, (const unsigned char *)pin, strlen(pin));
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, PIN_HASH_HEX, h, sizeof(h));
}

int
pin_refused(struct db *db, const char *sim, const char *pin, char *why, size_t whylen)
{
	DB_SQL(sql, "SELECT error FROM pin_refusals WHERE sim = ?1 AND "
	    "pin_hash = ?2");
	sqlite3_stmt *st = db_stmt(db, sql);
	char hash[PIN_HASH_HEX];
	int rc;

	if (st == NULL)
		return -1;
	pin_hash(sim, pin, hash);
	sqlite3_bind_text(st, 1, sim, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && why)
		snprintf(why, whylen, "%s", sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
pin_attempt_begin(struct db *db, const char *sim, const char *pin, const char *modem,
    int64_t now)
{
	DB_SQL(sql, "INSERT INTO pin_refusals (sim, pin_hash, modem, "
	    "refused_at, error) VALUES (?1, ?2, ?3, ?4, '" PIN_INTERRUPTED "')");
	sqlite3_stmt *st;
	char hash[PIN_HASH_HEX];

	pin_hash(sim, pin, hash);
	/* its own durable transaction: on the disk before the PIN leaves */
	if (db_begin(db) < 0)
		return -1;
	if ((st = db_stmt(db, sql)) == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, sim, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, modem, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	if (db_step_done(db, st) < 0 || db_commit(db) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int
pin_attempt_end(struct db *db, const char *sim, const char *pin, bool accepted,
    const char *error)
{
	DB_SQL(sql_ok, "DELETE FROM pin_refusals WHERE sim = ?1 AND "
	    "pin_hash = ?2");
	DB_SQL(sql_refused, "UPDATE pin_refusals SET error = ?3 WHERE sim = ?1 "
	    "AND pin_hash = ?2");
	sqlite3_stmt *st = db_stmt(db, accepted ? sql_ok : sql_refused);
	char hash[PIN_HASH_HEX];

	if (st == NULL)
		return -1;
	pin_hash(sim, pin, hash);
	sqlite3_bind_text(st, 1, sim, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	if (!accepted)
		sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
	return db_step_done(db, st);
}

int
pin_forget(struct db *db, const char *modem)
{
	DB_SQL(sql, "DELETE FROM pin_refusals WHERE ?1 IS NULL OR modem = ?1");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	db_bind_text_or_null(st, 1, modem);
	if (db_step_done(db, st) < 0)
		return -1;
	return sqlite3_changes(db_handle(db));
}
