/*
 * api_campaign_page — what the page of a campaign shows besides the
 * campaign itself (GET /api/v1/campaigns/{id}): the text each language
 * gets, who receives it with their answer, when each send goes next (its
 * own and those of the reminders made with it), and the OUI / NON counts.
 *
 * An answer counts for a campaign when it is the current RSVP of a
 * recipient for a session that a message of the campaign (or of its
 * reminders) was about; a person counts once, with their latest answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "campaigns.h"
#include "log.h"
#include "recur.h"
#include "timeutil.h"

#define API_PAGE_REMINDERS_MAX 16	/* reminder campaigns shown with an invitation */
#define API_PAGE_OCCS 64		/* coming sessions looked at for the next reminder */
#define API_PAGE_HORIZON (2 * 366 * 24 * 3600LL)	/* and how far ahead */

static const char *const api_page_languages[] = { "fr", "en", "ar" };

/* The body of the latest message of campaign id to contact, or NULL (owned). */
static char *
api_page_sent_text(struct db *db, int64_t id, int64_t contact_id)
{
	DB_SQL(sql, "SELECT body FROM messages WHERE campaign_id = ?1 AND contact_id = ?2 "
	    "AND body IS NOT NULL ORDER BY id DESC LIMIT 1");
	sqlite3_stmt *st = db_stmt(db, sql);
	char *text = NULL;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, contact_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		text = db_column_strdup(st, 0);
	sqlite3_reset(st);
	return text;
}

/*
 * Appends to list, for each language of c that has recipients (or a body
 * of its own), the text sent to its first recipient, or the text it will
 * get when nothing was sent yet: {campaign_id, language, text, recipients}.
 */
static void
api_page_texts(struct db *db, const struct config *cfg, const struct campaign *c,
    const struct event *e, int64_t when, const struct campaign_audience *a, json_t *list)
{
	const char *own[] = { c->body, c->body_en, c->body_ar };
	struct buf out = { 0 };
	size_t i, l, people;
	const struct campaign_recipient *first;
	char *text;

	for (l = 0; l < 3; l++) {
		first = NULL;
		people = 0;
		for (i = 0; i < a->n; i++)
			if (a->list[i].extra == 0 && strcmp(a->list[i].language,
			    api_page_languages[l]) == 0) {
				people++;
				first = first ? first : &a->list[i];
			}
		if (first == NULL && (own[l] == NULL || own[l][0] == '\0'))
			continue;
		text = first ? api_page_sent_text(db, c->id, first->contact_id) : NULL;
		buf_reset(&out);
		if (text == NULL && first && campaign_render(c, NULL, cfg, e, when, first, &out) == 0) {
			buf_putc(&out, '\0');
			text = strdup(out.data);
		}
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:I}",
		    "campaign_id", (json_int_t)c->id, "language", api_page_languages[l],
		    "text", text ? text : own[l], "recipients", (json_int_t)people));
		free(text);
	}
	buf_free(&out);
}

/* When offset next sends before a coming session of e after now, or 0. */
static int64_t
api_page_next_reminder(const char *offset, const struct event_occ *occ, int n, int64_t now)
{
	struct recur_offset off;
	int64_t due;
	int i;

	if (recur_offset_parse(offset, "schedule", &off, NULL) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (occ[i].cancelled)
			continue;
		due = recur_offset_apply(&off, occ[i].starts_at);
		if (due > now && due < occ[i].starts_at)
			return due;
	}
	return 0;
}

/* The latest message of campaign id handed to a modem, or 0. */
static int64_t
api_page_last_sent(struct db *db, int64_t id)
{
	DB_SQL(sql, "SELECT ifnull(max(sent_at), 0) FROM messages WHERE campaign_id = ?1");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st != NULL)
		sqlite3_bind_int64(st, 1, id);
	return db_step_int(st, 0);
}

static json_t *
api_page_send(const struct campaign *c, const char *kind, const char *offset, int64_t next,
    int64_t last)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:o, s:o}",
	    "campaign_id", (json_int_t)c->id, "name", c->name, "status", c->status,
	    "kind", kind, "offset", offset,
	    "next_at", next ? time_json(next) : json_null(),
	    "last_sent_at", last ? time_json(last) : json_null());
}

/* Appends c's sends to list: one per offset of reminders, else one. */
static void
api_page_sends(struct db *db, const struct campaign *c, const struct event_occ *occ, int n,
    int64_t now, json_t *list)
{
	bool live = strcmp(c->status, "done") != 0 && strcmp(c->status, "cancelled") != 0;
	int64_t last = api_page_last_sent(db, c->id), next = 0;
	size_t i;

	switch (c->schedule) {
	case CAMPAIGN_BEFORE_EVENT:
		for (i = 0; i < c->noffsets; i++)
			json_array_append_new(list, api_page_send(c, "reminder", c->offsets[i],
			    live ? api_page_next_reminder(c->offsets[i], occ, n, now) : 0, last));
		return;
	case CAMPAIGN_RRULE:
		next = live ? recur_next(c->rrule, c->dtstart, now + 1) : 0;
		break;
	case CAMPAIGN_AT:
		/* not sent yet: its time, even past (waiting for the sending hours) */
		next = live && (c->at > now || last == 0) ? c->at : 0;
		break;
	case CAMPAIGN_UNSCHEDULED:
		break;
	}
	json_array_append_new(list, api_page_send(c, c->event_id ? "invitation" : "message", NULL,
	    next > 0 ? next : 0, last));
}

/*
 * The latest answer of each recipient for the sessions the messages of
 * c and its reminders were about: {"contact_id": "yes" | "no"}.
 */
static json_t *
api_page_answers(struct db *db, int64_t id)
{
	DB_SQL(sql, "SELECT r.contact_id, r.answer FROM rsvps r WHERE r.answer IS NOT NULL "
	    "AND EXISTS (SELECT 1 FROM messages m WHERE m.event_id = r.event_id AND "
	    "m.event_occurrence = r.occurrence AND m.contact_id = r.contact_id AND "
	    "(m.campaign_id = ?1 OR m.campaign_id IN (SELECT id FROM campaigns "
	    "WHERE invitation_id = ?1))) ORDER BY r.answered_at, r.occurrence");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *answers = json_object();
	char key[24];

	if (st == NULL)
		return answers;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(key, sizeof(key), "%lld", (long long)sqlite3_column_int64(st, 0));
		json_object_set_new(answers, key, json_string((const char *)
		    sqlite3_column_text(st, 1)));
	}
	sqlite3_reset(st);
	return answers;
}

/* {contact_id, first_name, last_name, number, language, household, answer} per number. */
static json_t *
api_page_recipients(const struct campaign_audience *a, json_t *answers, json_t *counts)
{
	json_t *list = json_array(), *ans;
	char key[24];
	const char *v;
	size_t i;

	for (i = 0; i < a->n; i++) {
		snprintf(key, sizeof(key), "%lld", (long long)a->list[i].contact_id);
		ans = json_object_get(answers, key);
		v = ans ? json_string_value(ans) : "none";
		if (a->list[i].extra == 0)
			json_object_set_new(counts, v, json_integer(
			    json_integer_value(json_object_get(counts, v)) + 1));
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:s}",
		    "contact_id", (json_int_t)a->list[i].contact_id,
		    "first_name", a->list[i].first_name, "last_name", a->list[i].last_name,
		    "number", a->list[i].number, "language", a->list[i].language,
		    "household", a->list[i].extra != 0, "answer", v));
	}
	return list;
}

/* Adds what one campaign of the page gives: its texts and its sends. */
static void
api_page_campaign(struct db *db, const struct config *cfg, const struct campaign *c,
    const struct event *e, const struct event_occ *occ, int n, int64_t now, json_t *texts,
    json_t *sends)
{
	struct campaign_audience a = { 0 };
	int64_t when = 0;
	int i;

	for (i = 0; e && i < n && when == 0; i++)
		if (!occ[i].cancelled)
			when = occ[i].starts_at;
	if (e && when == 0)
		when = e->starts_at;
	if (campaign_audience(db, c, &a) == 0)
		api_page_texts(db, cfg, c, e, when, &a, texts);
	campaign_audience_clear(&a);
	api_page_sends(db, c, occ, n, now, sends);
}

int
api_campaign_page(struct db *db, const struct config *cfg, const struct campaign *c,
    int64_t now, json_t *j)
{
	struct campaign_audience a = { 0 };
	struct campaign r;
	struct event e = { 0 };
	struct event_occ *occ;
	struct error err = { 0 };
	json_t *texts = json_array(), *sends = json_array(), *answers, *counts;
	int64_t *ids;
	size_t nids, i;
	int n = 0;

	if ((occ = calloc(API_PAGE_OCCS, sizeof(*occ))) == NULL)
		fatal("api: out of memory");
	if (c->event_id && events_load(db, c->event_id, &e, &err) == 0)
		n = events_occurrences(db, &e, now + 1, now + API_PAGE_HORIZON, occ, API_PAGE_OCCS);
	n = n < 0 ? 0 : n;
	api_page_campaign(db, cfg, c, c->event_id ? &e : NULL, occ, n, now, texts, sends);
	ids = campaigns_reminder_ids(db, c->id, NULL, &nids);
	for (i = 0; i < nids && i < API_PAGE_REMINDERS_MAX; i++) {
		if (campaigns_load(db, ids[i], &r, &err) == 0)
			api_page_campaign(db, cfg, &r, c->event_id ? &e : NULL, occ, n, now, texts,
			    sends);
		campaign_clear(&r);
	}
	free(ids);
	free(occ);
	event_clear(&e);
	answers = api_page_answers(db, c->id);
	counts = json_pack("{s:i, s:i, s:i}", "yes", 0, "no", 0, "none", 0);
	if (campaign_audience(db, c, &a) < 0) {
		json_decref(texts);
		json_decref(sends);
		json_decref(answers);
		json_decref(counts);
		return -1;
	}
	json_object_set_new(j, "recipients", api_page_recipients(&a, answers, counts));
	campaign_audience_clear(&a);
	json_decref(answers);
	json_object_set_new(j, "answers", counts);
	json_object_set_new(j, "texts", texts);
	json_object_set_new(j, "sends", sends);
	return 0;
}
