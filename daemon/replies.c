/*
 * replies — what happens after a reply is stored.  See replies.h.
 */
#include "replies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "log.h"
#include "queue.h"

struct replies_row {
	char from[32];
	int64_t contact_id;
	char *body;
};

static int
replies_load(struct db *db, int64_t id, struct replies_row *r)
{
	static const char sql[] = "SELECT from_number, contact_id, body FROM replies WHERE id = ?";
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(r->from, sizeof(r->from), "%s", sqlite3_column_text(st, 0));
		r->contact_id = sqlite3_column_int64(st, 1);
		r->body = db_column_strdup(st, 2);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

static int
replies_set_intent(struct db *db, int64_t id, enum intent intent, bool handled)
{
	static const char sql[] = "UPDATE replies SET intent = ?2, handled = ?3 WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, intent_name(intent), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, handled);
	return db_step_done(db, st);
}

static int
replies_set_opt_out(struct db *db, int64_t contact_id, int64_t reply_id, int64_t now)
{
	static const char sql_out[] = "UPDATE contacts SET opted_out_at = ?2, "
	    "opt_out_reply_id = ?3, updated_at = ?2 WHERE id = ?1";
	static const char sql_in[] = "UPDATE contacts SET opted_out_at = NULL, "
	    "opt_out_reply_id = NULL, updated_at = ?2 WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(db, reply_id ? sql_out : sql_in);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_int64(st, 2, now);
	if (reply_id)
		sqlite3_bind_int64(st, 3, reply_id);
	return db_step_done(db, st);
}

static int
replies_answer(struct db *db, const struct replies_row *r, const char *text, int64_t now)
{
	struct error err = { 0 };
	int64_t id;

	if (queue_add(db, r->from, r->contact_id, text, QUEUE_SYSTEM, "system", now, &id,
	    &err) < 0) {
		log_err("replies: cannot queue the answer: %s", err.message);
		return -1;
	}
	return 0;
}

/* Acts on intent; *queued when an answer was queued.  0 or -1. */
static int
replies_act(struct db *db, const struct replies_centre *centre, int64_t id,
    const struct replies_row *r, enum intent intent, int64_t now, bool *queued)
{
	static const struct audit_actor system_actor = { 0, "system" };
	struct buf text = { 0 };
	int rc = 0, n;

	switch (intent) {
	case INTENT_STOP:
		if ((n = queue_cancel_contact(db, r->contact_id)) < 0 ||
		    replies_set_opt_out(db, r->contact_id, id, now) < 0 ||
		    audit_record(db, &system_actor, now, "opt_out", "contact", r->contact_id,
		    NULL) < 0)
			return -1;
		log_info("replies: opted out contact=%lld cancelled=%d",
		    (long long)r->contact_id, n);
		buf_printf(&text, "Vous ne recevrez plus de SMS de %s. Envoyez START pour "
		    "reprendre.", centre->name);
		break;
	case INTENT_START:
		if (replies_set_opt_out(db, r->contact_id, 0, now) < 0 ||
		    audit_record(db, &system_actor, now, "opt_in", "contact", r->contact_id,
		    NULL) < 0)
			return -1;
		log_info("replies: opted in again contact=%lld", (long long)r->contact_id);
		buf_printf(&text, "C'est noté : vous recevez à nouveau les SMS de %s.",
		    centre->name);
		break;
	case INTENT_HELP:
		buf_printf(&text, "%s : pour toute question, appelez le %s. Envoyez STOP pour "
		    "ne plus recevoir de SMS.", centre->name, centre->phone);
		break;
	default:
		return 0;
	}
	rc = replies_answer(db, r, text.data, now);
	*queued = rc == 0;
	buf_free(&text);
	return rc;
}

int
replies_process(struct db *db, const struct replies_centre *centre, int64_t id,
    int64_t now, enum intent *intent, bool *queued)
{
	struct replies_row r;
	bool handled;

	*queued = false;
	*intent = INTENT_OTHER;
	if (db_begin(db) < 0)
		return -1;
	if (replies_load(db, id, &r) < 0)
		goto fail;
	*intent = intent_classify(r.body);
	/* an unknown sender's STOP or START changes nobody: a person looks */
	if (r.contact_id == 0 && (*intent == INTENT_STOP || *intent == INTENT_START))
		handled = false;
	else
		handled = *intent == INTENT_STOP || *intent == INTENT_START ||
		    *intent == INTENT_HELP;
	if (replies_set_intent(db, id, *intent, handled) < 0 ||
	    (handled && replies_act(db, centre, id, &r, *intent, now, queued) < 0))
		goto fail;
	free(r.body);
	if (db_commit(db) < 0) {
		db_rollback(db);
		*queued = false;
		return -1;
	}
	log_info("replies: id=%lld intent=%s", (long long)id, intent_name(*intent));
	return 0;
fail:
	free(r.body);
	db_rollback(db);
	*queued = false;
	log_err("replies: cannot process reply id=%lld", (long long)id);
	return -1;
}
