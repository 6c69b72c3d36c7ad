/*
 * inbox — incoming SMS, deduplicated and reassembled.  See inbox.h.
 */
#include "inbox.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "contacts.h"
#include "log.h"

/* A key that is the same when the same SMS is read twice from the SIM. */
static void
inbox_dedupe_key(const struct inbox_sms *sms, const char *body, char out[65])
{
	unsigned char hash[32];
	struct buf b = { 0 };

	buf_printf(&b, "%s|%lld|%d|%d|%s", sms->from, (long long)sms->sent_at,
	    sms->concat_ref, sms->total, body);
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)b.data, b.len, NULL, 0);
	sodium_bin2hex(out, 65, hash, sizeof(hash));
	buf_free(&b);
}

static int
inbox_insert_reply(struct db *db, const struct inbox_sms *sms, const char *body,
    int64_t now, int64_t *reply_id)
{
	DB_SQL(sql, "INSERT OR IGNORE INTO replies (from_number, contact_id, "
	    "body, received_at, sent_at, modem, dedupe_key) VALUES (?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t contact = contacts_find_by_number(db, sms->from);
	char key[65];
	char masked[24];

	if (st == NULL)
		return -1;
	inbox_dedupe_key(sms, body, key);
	sqlite3_bind_text(st, 1, sms->from, -1, SQLITE_STATIC);
	if (contact)
		sqlite3_bind_int64(st, 2, contact);
	sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	if (sms->sent_at)
		sqlite3_bind_int64(st, 5, sms->sent_at);
	sqlite3_bind_text(st, 6, sms->modem, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, key, -1, SQLITE_STATIC);
	if (db_step_done(db, st) < 0)
		return -1;
	log_mask_phone(sms->from, masked, sizeof(masked));
	if (sqlite3_changes(db_handle(db)) == 0) {
		log_info("inbox: duplicate from=%s (read again from the SIM)", masked);
		*reply_id = 0;
		return 0;
	}
	*reply_id = sqlite3_last_insert_rowid(db_handle(db));
	log_info("inbox: received id=%lld from=%s contact=%lld", (long long)*reply_id, masked,
	    (long long)contact);
	return 0;
}

/*
 * The statements on incoming_parts all start with the same parameters:
 * ?1 from_number, ?2 concat_ref, ?3 total (one multi-part message), then
 * ?4 seq and ?5 sent_at (one of its parts).
 */
static void
inbox_bind_message(sqlite3_stmt *st, const struct inbox_sms *sms)
{
	sqlite3_bind_text(st, 1, sms->from, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, sms->concat_ref);
	sqlite3_bind_int(st, 3, sms->total);
}

static void
inbox_bind_part(sqlite3_stmt *st, const struct inbox_sms *sms, int seq, int64_t sent_at)
{
	inbox_bind_message(st, sms);
	sqlite3_bind_int(st, 4, seq);
	sqlite3_bind_int64(st, 5, sent_at);
}

/* Joins the waiting parts of (from, ref, total) when all are in; 1 done, 0 not yet, -1. */
static int
inbox_try_join(struct db *db, const struct inbox_sms *sms, int64_t now, int64_t *reply_id)
{
	DB_SQL(sql_parts, "SELECT seq, min(sent_at) FROM incoming_parts "
	    "WHERE from_number = ?1 AND concat_ref = ?2 AND total = ?3 AND reply_id IS NULL "
	    "GROUP BY seq ORDER BY seq");
	DB_SQL(sql_body, "SELECT body FROM incoming_parts WHERE from_number = ?1 "
	    "AND concat_ref = ?2 AND total = ?3 AND seq = ?4 AND sent_at = ?5");
	DB_SQL(sql_mark, "UPDATE incoming_parts SET reply_id = ?6, body = NULL "
	    "WHERE from_number = ?1 AND concat_ref = ?2 AND total = ?3 AND seq = ?4 "
	    "AND sent_at = ?5");
	/* the joined text was already a reply: these parts were a copy */
	DB_SQL(sql_drop, "DELETE FROM incoming_parts WHERE from_number = ?1 "
	    "AND concat_ref = ?2 AND total = ?3 AND seq = ?4 AND sent_at = ?5");
	sqlite3_stmt *st = db_stmt(db, sql_parts);
	struct buf body = { 0 };
	struct inbox_sms whole = *sms;
	int64_t stamps[256];
	int n = 0, rc = 0, i;

	if (st == NULL)
		return -1;
	inbox_bind_message(st, sms);
	while (sqlite3_step(st) == SQLITE_ROW && n < 255)
		stamps[++n] = sqlite3_column_int64(st, 1);	/* seq n, 1-based, in order */
	sqlite3_reset(st);
	if (n < sms->total)
		return 0;
	for (i = 1; i <= n && rc == 0; i++) {
		if ((st = db_stmt(db, sql_body)) == NULL)
			return -1;
		inbox_bind_part(st, sms, i, stamps[i]);
		if (sqlite3_step(st) == SQLITE_ROW)
			buf_puts(&body, (const char *)sqlite3_column_text(st, 0));
		else
			rc = -1;
		sqlite3_reset(st);
	}
	whole.sent_at = stamps[1];
	if (rc < 0 || inbox_insert_reply(db, &whole, body.data ? body.data : "", now,
	    reply_id) < 0) {
		buf_free(&body);
		return -1;
	}
	buf_free(&body);
	for (i = 1; i <= n; i++) {
		if ((st = db_stmt(db, *reply_id ? sql_mark : sql_drop)) == NULL)
			return -1;
		inbox_bind_part(st, sms, i, stamps[i]);
		if (*reply_id)
			sqlite3_bind_int64(st, 6, *reply_id);
		if (db_step_done(db, st) < 0)
			return -1;
	}
	return 1;
}

static int
inbox_store_part(struct db *db, const struct inbox_sms *sms, int64_t now, int64_t *reply_id)
{
	DB_SQL(sql, "INSERT OR IGNORE INTO incoming_parts (from_number, "
	    "concat_ref, total, seq, sent_at, body, received_at, modem) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	inbox_bind_part(st, sms, sms->seq, sms->sent_at);
	sqlite3_bind_text(st, 6, sms->body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, now);
	sqlite3_bind_text(st, 8, sms->modem, -1, SQLITE_STATIC);
	if (db_step_done(db, st) < 0)
		return -1;
	if (sqlite3_changes(db_handle(db)) == 0) {
		log_info("inbox: part read again from the SIM, already stored");
		return 0;
	}
	return inbox_try_join(db, sms, now, reply_id) < 0 ? -1 : 0;
}

int
inbox_store(struct db *db, const struct inbox_sms *sms, int64_t now, int64_t *reply_id)
{
	int rc;

	*reply_id = 0;
	if (db_begin(db) < 0)
		return -1;
	if (sms->concat_ref < 0 || sms->total <= 1)
		rc = inbox_insert_reply(db, sms, sms->body, now, reply_id);
	else if (sms->seq < 1 || sms->seq > sms->total)
		rc = inbox_insert_reply(db, sms, sms->body, now, reply_id);	/* keep it whole */
	else
		rc = inbox_store_part(db, sms, now, reply_id);
	if (rc < 0 || db_commit(db) < 0) {
		db_rollback(db);
		log_err("inbox: cannot store an incoming SMS; it stays on the SIM");
		return -1;
	}
	return 0;
}

int
inbox_store_call(struct db *db, const char *modem, const char *from, int64_t now,
    int64_t *reply_id)
{
	DB_SQL(sql, "INSERT OR IGNORE INTO replies (from_number, contact_id, body, "
	    "received_at, modem, dedupe_key, kind) SELECT ?1, ?2, '', ?3, ?4, ?5, 'call' "
	    "WHERE NOT EXISTS (SELECT 1 FROM replies INDEXED BY replies_calls "
	    "WHERE kind = 'call' AND from_number = ?1 AND received_at >= ?3 - ?6)");
	sqlite3_stmt *st;
	int64_t contact;
	char key[96], masked[24];
	int rc = -1;

	*reply_id = 0;
	if (db_begin(db) < 0)
		return -1;
	contact = contacts_find_by_number(db, from);
	snprintf(key, sizeof(key), "call|%s|%lld", from, (long long)now);
	if ((st = db_stmt(db, sql)) != NULL) {
		sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
		if (contact)
			sqlite3_bind_int64(st, 2, contact);
		sqlite3_bind_int64(st, 3, now);
		sqlite3_bind_text(st, 4, modem, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, key, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 6, INBOX_CALL_SAME_S);
		rc = db_step_done(db, st);
	}
	if (rc == 0 && sqlite3_changes(db_handle(db)) == 1)
		*reply_id = sqlite3_last_insert_rowid(db_handle(db));
	if (rc < 0 || db_commit(db) < 0) {
		db_rollback(db);
		log_err("inbox: cannot store a call");
		*reply_id = 0;
		return -1;
	}
	log_mask_phone(from, masked, sizeof(masked));
	if (*reply_id)
		log_info("inbox: call id=%lld from=%s contact=%lld", (long long)*reply_id,
		    masked, (long long)contact);
	else
		log_info("inbox: call from=%s rings again (the same call)", masked);
	return 0;
}
