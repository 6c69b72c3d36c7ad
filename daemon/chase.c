/*
 * chase — "Relancer" the people of a session who have not answered.
 * See chase.h.
 */
#include "chase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "contacts.h"
#include "log.h"
#include "queue.h"
#include "rsvp.h"
#include "sms.h"
#include "texts.h"
#include "timeutil.h"

void
chase_plan_clear(struct chase_plan *p)
{
	campaign_audience_clear(&p->to);
	json_decref(p->left_out);
	p->left_out = NULL;
}

/* Adds contact c to p: a recipient, or left out with its reason. */
static void
chase_plan_add(struct chase_plan *p, const struct contact *c)
{
	struct campaign_recipient *r, *grown;
	const char *number = NULL, *reason = "no_mobile";
	size_t i;

	for (i = 0; i < c->nphones && number == NULL; i++) {
		if (!c->phones[i].sms)
			continue;
		if (c->phones[i].opted_out_at)
			reason = "stop";
		else
			number = c->phones[i].number;
	}
	if (c->opted_out_at) {
		number = NULL;
		reason = "stop";
	}
	if (number == NULL) {
		json_array_append_new(p->left_out, json_pack("{s:I, s:s, s:s, s:s}",
		    "contact_id", (json_int_t)c->id, "first_name", c->first_name,
		    "last_name", c->last_name, "reason", reason));
		if (strcmp(reason, "stop") == 0)
			p->to.opted_out++;
		else
			p->to.no_mobile++;
		return;
	}
	if ((grown = realloc(p->to.list, (p->to.n + 1) * sizeof(*grown))) == NULL)
		fatal("chase: out of memory");
	p->to.list = grown;
	r = &p->to.list[p->to.n++];
	memset(r, 0, sizeof(*r));
	r->contact_id = c->id;
	if ((r->first_name = strdup(c->first_name)) == NULL ||
	    (r->last_name = strdup(c->last_name)) == NULL)
		fatal("chase: out of memory");
	snprintf(r->language, sizeof(r->language), "%s", c->language);
	snprintf(r->number, sizeof(r->number), "%s", number);
}

int
chase_plan(struct db *db, const struct event *e, const struct event_occ *o,
    struct chase_plan *p)
{
	struct contact c;
	struct error err = { 0 };
	int64_t *ids;
	size_t n, i;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	p->left_out = json_array();
	if ((ids = rsvp_unanswered(db, e->id, o->key, &n)) == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (contacts_load(db, ids[i], &c, &err) < 0) {
			rc = err.kind == ERR_NOT_FOUND ? 0 : -1;
			continue;
		}
		chase_plan_add(p, &c);
		contact_clear(&c);
	}
	free(ids);
	return rc;
}

/*
 * The reminder as a campaign c (campaign_clear()): the centre's texts in
 * the three languages (texts.h, changed in Paramètres); letters GSM-7
 * cannot carry lose their accent, so that it stays one cheap SMS.  Read
 * once for all the people of a chase.
 */
static void
chase_texts(struct db *db, struct campaign *c)
{
	memset(c, 0, sizeof(*c));
	texts_campaign(db, TEXT_CHASE, NULL, c);
	c->transliterate = true;
}

/* The reminder r gets for session o of e, NUL-terminated in out.  0 or -1. */
static int
chase_render(const struct campaign *c, const struct config *cfg, const struct event *e,
    const struct event_occ *o, const struct campaign_recipient *r, struct buf *out)
{
	if (campaign_render(c, NULL, cfg, e, o->starts_at, r, out) < 0)
		return -1;
	buf_putc(out, '\0');
	return 0;
}

int
chase_last(struct db *db, int64_t event_id, int64_t key, int64_t *at, char *by,
    size_t bylen, int *sent)
{
	DB_SQL(sql, "SELECT at, by_user, sent FROM chases WHERE event_id = ? AND "
	    "occurrence = ? ORDER BY at DESC, id DESC LIMIT 1");
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	*at = 0;
	*sent = 0;
	if (bylen)
		by[0] = '\0';
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, key);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*at = sqlite3_column_int64(st, 0);
		snprintf(by, bylen, "%s", sqlite3_column_text(st, 1));
		*sent = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

json_t *
chase_preview_json(struct db *db, const struct config *cfg, const struct event *e,
    const struct event_occ *o, const struct chase_plan *p)
{
	json_t *list = json_array(), *last = json_null();
	struct campaign texts;
	struct buf text = { 0 };
	struct sms_info info;
	size_t i, parts = 0;
	int64_t at;
	char by[64];
	int sent, known;

	if ((known = chase_last(db, e->id, o->key, &at, by, sizeof(by), &sent)) < 0) {
		json_decref(list);
		return NULL;
	}
	if (known)
		last = json_pack("{s:o, s:s, s:i}", "at", time_json(at), "by", by, "sent", sent);
	chase_texts(db, &texts);
	for (i = 0; i < p->to.n; i++) {
		const struct campaign_recipient *r = &p->to.list[i];

		text.len = 0;
		if (chase_render(&texts, cfg, e, o, r, &text) < 0 || sms_analyze(text.data, &info) < 0)
			continue;
		parts += info.parts;
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}",
		    "contact_id", (json_int_t)r->contact_id, "first_name", r->first_name,
		    "last_name", r->last_name, "phone", r->number, "language", r->language,
		    "text", text.data, "encoding", sms_encoding_name(info.encoding),
		    "parts", (json_int_t)info.parts));
	}
	buf_free(&text);
	campaign_clear(&texts);
	return json_pack("{s:o, s:O, s:I, s:I, s:o}", "recipients", list,
	    "left_out", p->left_out, "sms", (json_int_t)json_array_size(list),
	    "parts", (json_int_t)parts, "last", last);
}

/* Records a chase of session key of event_id.  0 or -1. */
static int
chase_record(struct db *db, int64_t event_id, int64_t key, const char *by, int sent,
    int64_t now)
{
	DB_SQL(sql, "INSERT INTO chases (event_id, occurrence, at, by_user, sent) "
	    "VALUES (?, ?, ?, ?, ?)");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, key);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, by ? by : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, sent);
	return db_step_done(db, st);
}

int
chase_send(struct db *db, const struct config *cfg, const struct event *e,
    const struct event_occ *o, const struct chase_plan *p, const char *by, int64_t now,
    int *sent)
{
	struct campaign texts;
	struct buf text = { 0 };
	struct error err;
	int64_t id;
	size_t i;
	int rc = 0;

	*sent = 0;
	chase_texts(db, &texts);
	for (i = 0; i < p->to.n && rc == 0; i++) {
		text.len = 0;
		memset(&err, 0, sizeof(err));
		if (chase_render(&texts, cfg, e, o, &p->to.list[i], &text) < 0)
			continue;
		if (queue_add(db, p->to.list[i].number, p->to.list[i].contact_id, text.data,
		    QUEUE_DIRECT, by, now, &id, &err) < 0) {
			rc = error_is_fault(&err) ? -1 : 0;	/* opted out meanwhile: left out */
			continue;
		}
		if ((rc = queue_link_event(db, id, e->id, o->key, o->starts_at)) == 0)
			(*sent)++;
	}
	buf_free(&text);
	campaign_clear(&texts);
	if (rc == 0)
		rc = chase_record(db, e->id, o->key, by, *sent, now);
	if (rc == 0)
		log_info("chase: event=%lld occurrence=%lld sent=%d left_out=%zu",
		    (long long)e->id, (long long)o->key, *sent,
		    p->to.opted_out + p->to.no_mobile);
	return rc;
}
