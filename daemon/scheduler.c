/*
 * scheduler — campaigns to messages.  See scheduler.h for the rules.
 */
#include "scheduler.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "optout.h"
#include "passes.h"
#include "queue.h"
#include "recur.h"
#include "rsvp.h"
#include "texts.h"
#include "waitlist.h"

#define SCHEDULER_OCC_KEY_MAX 96	/* "202612031400>202612041400 -21d@10:00" */
#define SCHEDULER_ITEMS_MAX 256		/* candidates looked at per campaign and pass */
#define SCHEDULER_GRACE 60		/* an "at" this close to scheduling is still sent */
#define SCHEDULER_EVENT_OCCS 64		/* coming occurrences of an atelier looked at */
#define SCHEDULER_EVENT_HORIZON (5 * 366 * 24 * 3600)	/* ... within five years */
#define SCHEDULER_SAVEPOINT "scheduler_item"	/* an item inside a caller's transaction */

/* One occurrence of a campaign that is, or will be, due. */
struct scheduler_item {
	char key[SCHEDULER_OCC_KEY_MAX];	/* messages.occurrence */
	int64_t due;
	int64_t give_up_at;
	int64_t reply_until;
	struct event_occ occ;		/* the atelier occurrence, when about one */
	bool has_occ;
	int64_t group;			/* items of one group: only the latest due is sent late */
};

struct scheduler_plan {
	struct scheduler_item items[SCHEDULER_ITEMS_MAX];
	size_t n;
	int64_t next_due;		/* first due time after now, 0: none */
	bool finished;			/* nothing will be due any more */
	bool restored;			/* after a restore: record what is due as missed */
};

/* True when the campaign already did something with occurrence key. */
static int
scheduler_has_run(struct db *db, int64_t campaign_id, const char *key)
{
	DB_SQL(sql, "SELECT 1 FROM campaign_runs WHERE campaign_id = ? "
	    "AND occurrence = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, campaign_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int
scheduler_record(struct db *db, int64_t campaign_id, const struct scheduler_item *it,
    const char *state, size_t queued, size_t left_out, int64_t now)
{
	DB_SQL(sql, "INSERT OR IGNORE INTO campaign_runs (campaign_id, "
	    "occurrence, due_at, state, queued, left_out, done_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, campaign_id);
	sqlite3_bind_text(st, 2, it->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, it->due);
	sqlite3_bind_text(st, 4, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (int64_t)queued);
	sqlite3_bind_int64(st, 6, (int64_t)left_out);
	sqlite3_bind_int64(st, 7, now);
	return db_step_done(db, st);
}

static void
scheduler_plan_add(struct scheduler_plan *p, const struct scheduler_item *it, int64_t now)
{
	if (it->due > now) {
		if (p->next_due == 0 || it->due < p->next_due)
			p->next_due = it->due;
		return;
	}
	if (p->n < SCHEDULER_ITEMS_MAX)
		p->items[p->n++] = *it;
}

static void
scheduler_plan_at(const struct campaign *c, int64_t window, int64_t now,
    struct scheduler_plan *p)
{
	struct scheduler_item it = { .due = c->at, .group = 1 };

	snprintf(it.key, sizeof(it.key), "once");
	if (c->ask_reply)
		it.reply_until = c->at + window;
	scheduler_plan_add(p, &it, now);
	p->finished = c->at <= now;
}

static void
scheduler_plan_rrule(const struct campaign *c, int64_t window, int64_t now,
    struct scheduler_plan *p)
{
	int64_t from = c->scheduled_at - SCHEDULER_GRACE, due[SCHEDULER_ITEMS_MAX], next;
	struct scheduler_item it = { .group = 1 };
	int n, i;

	if (from < now - SCHEDULER_LOOKBACK)
		from = now - SCHEDULER_LOOKBACK;
	n = recur_expand(c->rrule, c->dtstart, from, now + 1, due, SCHEDULER_ITEMS_MAX);
	for (i = 0; i < n; i++) {
		it.due = due[i];
		snprintf(it.key, sizeof(it.key), "%lld", (long long)recur_key(due[i]));
		it.reply_until = c->ask_reply ? due[i] + window : 0;
		scheduler_plan_add(p, &it, now);
	}
	next = recur_next(c->rrule, c->dtstart, now + 1);
	if (next > 0) {
		it.due = next;
		scheduler_plan_add(p, &it, now);
	}
	p->finished = next < 0;
}

/* The messages.occurrence of a reminder: the atelier occurrence, moved or not, and the offset. */
static void
scheduler_event_key(const struct event_occ *o, const char *offset, char *key, size_t len)
{
	if (o->moved)
		snprintf(key, len, "%lld>%lld %s", (long long)o->key,
		    (long long)recur_key(o->starts_at), offset);
	else
		snprintf(key, len, "%lld %s", (long long)o->key, offset);
}

static int
scheduler_plan_event(struct db *db, const struct campaign *c, const struct event *e,
    int64_t now, struct scheduler_plan *p)
{
	struct recur_offset off[CAMPAIGN_OFFSETS_MAX];
	struct event_occ occ[SCHEDULER_EVENT_OCCS];
	struct scheduler_item it;
	size_t i, j;
	int n;

	for (i = 0; i < c->noffsets; i++)
		if (recur_offset_parse(c->offsets[i], "schedule", &off[i], NULL) < 0)
			return -1;
	/* the coming occurrences, not started yet: their reminders are due or will be */
	if ((n = events_occurrences(db, e, now + 1, now + SCHEDULER_EVENT_HORIZON, occ,
	    SCHEDULER_EVENT_OCCS)) < 0)
		return -1;
	for (j = 0; j < (size_t)n; j++) {
		if (occ[j].cancelled)
			continue;
		for (i = 0; i < c->noffsets; i++) {
			memset(&it, 0, sizeof(it));
			it.due = recur_offset_apply(&off[i], occ[j].starts_at);
			if (it.due >= occ[j].starts_at)
				continue;	/* a reminder after the start is no reminder */
			scheduler_event_key(&occ[j], c->offsets[i], it.key, sizeof(it.key));
			it.give_up_at = occ[j].starts_at;
			it.reply_until = c->ask_reply ? occ[j].starts_at : 0;
			it.occ = occ[j];
			it.has_occ = true;
			it.group = occ[j].key;
			scheduler_plan_add(p, &it, now);
		}
	}
	/* nothing more when the atelier has no occurrence left */
	p->finished = e->cancelled_at != 0 || n == 0;
	return 0;
}

/*
 * A campaign "at" a time or on a rule that is about an atelier speaks of
 * the session chosen for it (campaigns.occurrence), else of its next
 * session after the item is due: that session gives {date} and {heure},
 * takes the replies, and the message gives up when it starts.
 */
static void
scheduler_attach_session(struct db *db, const struct campaign *c, const struct event *e,
    struct scheduler_item *it)
{
	struct event_occ occ[8];
	struct error err;
	int n, i;

	if (e == NULL || it->has_occ)
		return;
	/* the session chosen in the composer, while it is still to come */
	if (c->occurrence)
		n = events_occurrence_get(db, e, c->occurrence, &occ[0], &err) == 0 &&
		    occ[0].starts_at > it->due ? 1 : 0;
	else
		n = events_occurrences(db, e, it->due, it->due + SCHEDULER_EVENT_HORIZON, occ, 8);
	for (i = 0; i < n; i++) {
		if (occ[i].cancelled)
			continue;
		it->occ = occ[i];
		it->has_occ = true;
		it->give_up_at = occ[i].starts_at;
		it->reply_until = c->ask_reply ? occ[i].starts_at : 0;
		return;
	}
}

/* Queues one occurrence for every recipient, in one transaction. */
static int
scheduler_queue_item(struct db *db, const struct config *cfg, const struct campaign *c,
    const struct event *e, const struct scheduler_item *it, int64_t now)
{
	struct campaign_audience a;
	struct queue_campaign_msg m = { 0 };
	struct buf text = { 0 };
	struct error err = { 0 };
	char key[SCHEDULER_OCC_KEY_MAX + PHONE_E164_MAX + 1];
	size_t i, queued = 0, left_out;
	int rc;

	if (campaign_audience(db, c, &a) < 0)
		return -1;
	left_out = a.opted_out + a.no_mobile;
	m.campaign_id = c->id;
	m.occurrence = it->key;
	m.not_before = it->due;
	m.give_up_at = it->give_up_at;
	m.reply_until = it->reply_until;
	if (it->has_occ) {
		m.event_id = e->id;
		m.event_occurrence = it->occ.key;
	}
	for (i = 0; i < a.n; i++) {
		/* who said NON to the session is not reminded of it */
		if (c->schedule == CAMPAIGN_BEFORE_EVENT && it->has_occ &&
		    rsvp_said_no(db, e->id, it->occ.key, a.list[i].contact_id)) {
			left_out++;
			continue;
		}
		buf_reset(&text);
		if (campaign_render(c, NULL, cfg, e, it->has_occ ? it->occ.starts_at : 0,
		    &a.list[i], &text) < 0) {
			left_out++;
			continue;
		}
		buf_putc(&text, '\0');
		m.contact_id = a.list[i].contact_id;
		m.to = a.list[i].number;
		m.body = text.data;
		/* a household number: its own message of the occurrence (once each) */
		snprintf(key, sizeof(key), "%s %s", it->key, a.list[i].number);
		m.occurrence = a.list[i].extra ? key : it->key;
		if ((rc = queue_add_campaign(db, &m, now, &err)) < 0 && error_is_fault(&err))
			break;
		if (rc < 0) {
			log_warn("scheduler: campaign=%lld contact=%lld left out: %s",
			    (long long)c->id, (long long)m.contact_id, err.message);
			left_out++;
		}
		queued += rc == 1;
		rc = 0;
	}
	buf_free(&text);
	campaign_audience_clear(&a);
	if (rc < 0 || scheduler_record(db, c->id, it, "queued", queued, left_out, now) < 0)
		return -1;
	log_info("scheduler: campaign=%lld occurrence=\"%s\" queued=%zu left_out=%zu",
	    (long long)c->id, it->key, queued, left_out);
	return (int)queued;
}

/* Latest due time among the items of group g. */
static int64_t
scheduler_group_latest(const struct scheduler_plan *p, int64_t g)
{
	int64_t latest = 0;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->items[i].group == g && p->items[i].due > latest)
			latest = p->items[i].due;
	return latest;
}

/* What to do with a due item: queue it, or record why not.  NULL: queue. */
static const char *
scheduler_verdict(const struct campaign *c, const struct scheduler_plan *p,
    const struct scheduler_item *it, int64_t now)
{
	if (p->restored)
		return "missed";
	if (it->due != scheduler_group_latest(p, it->group))
		return "skipped";
	if (c->schedule != CAMPAIGN_BEFORE_EVENT && now - it->due > SCHEDULER_LATE_MAX)
		return "missed";
	/* its session is cancelled, or began before it was sent */
	if (c->occurrence && !it->has_occ)
		return "missed";
	return NULL;
}

/*
 * Handles one due item in its own transaction, or in a savepoint of the
 * caller's (rappelctl restore); messages queued or -1.
 */
static int
scheduler_item_run(struct db *db, const struct config *cfg, const struct campaign *c,
    const struct event *e, const struct scheduler_plan *p, struct scheduler_item *it,
    int64_t now)
{
	const char *verdict;
	int rc, queued = 0;
	bool nested;

	if (db_begin_nested(db, SCHEDULER_SAVEPOINT, &nested) < 0)
		return -1;
	scheduler_attach_session(db, c, e, it);
	if ((rc = scheduler_has_run(db, c->id, it->key)) != 0) {
		db_end_nested(db, SCHEDULER_SAVEPOINT, nested, false);
		return rc < 0 ? -1 : 0;
	}
	if ((verdict = scheduler_verdict(c, p, it, now)) != NULL) {
		rc = scheduler_record(db, c->id, it, verdict, 0, 0, now);
		log_warn("scheduler: campaign=%lld occurrence=\"%s\" %s (due %lld s ago)",
		    (long long)c->id, it->key, verdict, (long long)(now - it->due));
	} else if ((queued = scheduler_queue_item(db, cfg, c, e, it, now)) < 0) {
		rc = -1;
	} else if (strcmp(c->status, "scheduled") == 0) {
		rc = campaigns_set_status(db, c->id, "scheduled", "running", NULL, now, NULL);
	}
	if (db_end_nested(db, SCHEDULER_SAVEPOINT, nested, rc == 0) < 0)
		return -1;
	return queued;
}

/* scheduler_run_campaign(), or with restored set scheduler_restored() for one campaign. */
static int
scheduler_pass_campaign(struct db *db, const struct config *cfg, int64_t id, int64_t now,
    int64_t *next_due, bool restored)
{
	struct scheduler_plan *plan;
	struct campaign c;
	struct event e = { 0 };
	struct error err = { 0 };
	int total = 0, rc = 0;
	size_t i;

	if (campaigns_load(db, id, &c, &err) < 0)
		return -1;
	if (c.event_id && events_load(db, c.event_id, &e, &err) < 0) {
		campaign_clear(&c);
		return -1;
	}
	if ((plan = calloc(1, sizeof(*plan))) == NULL)
		fatal("scheduler: out of memory");
	plan->restored = restored;
	if (c.schedule == CAMPAIGN_AT)
		scheduler_plan_at(&c, cfg->reply_days * (int64_t)86400, now, plan);
	else if (c.schedule == CAMPAIGN_RRULE)
		scheduler_plan_rrule(&c, cfg->reply_days * (int64_t)86400, now, plan);
	else if (c.schedule == CAMPAIGN_BEFORE_EVENT)
		rc = scheduler_plan_event(db, &c, &e, now, plan);
	for (i = 0; rc == 0 && i < plan->n; i++) {
		if ((rc = scheduler_item_run(db, cfg, &c, c.event_id ? &e : NULL, plan,
		    &plan->items[i], now)) > 0)
			total += rc;
		if (rc > 0 && strcmp(c.status, "scheduled") == 0)
			snprintf(c.status, sizeof(c.status), "running");
		rc = rc < 0 ? -1 : 0;
	}
	/* a campaign cancelled meanwhile is no failure; a database error is */
	if (rc == 0 && plan->finished && plan->next_due == 0 &&
	    campaigns_set_status(db, c.id, "scheduled running", "done", NULL, now, &err) < 0 &&
	    error_is_fault(&err))
		rc = -1;
	if (plan->next_due && (*next_due == 0 || plan->next_due < *next_due))
		*next_due = plan->next_due;
	free(plan);
	campaign_clear(&c);
	event_clear(&e);
	return rc < 0 ? -1 : total;
}

int
scheduler_run_campaign(struct db *db, const struct config *cfg, int64_t id, int64_t now,
    int64_t *next_due)
{
	return scheduler_pass_campaign(db, cfg, id, now, next_due, false);
}

/*
 * One pass over every scheduled or running campaign: messages queued, or
 * -1 when the campaigns cannot be listed.  A campaign whose pass fails is
 * logged, counted in *failed and left for the next pass; the others go on.
 */
static int
scheduler_pass(struct db *db, const struct config *cfg, int64_t now, int64_t *next_due,
    bool restored, size_t *failed)
{
	DB_SQL(sql, "SELECT id FROM campaigns "
	    "WHERE status IN ('scheduled', 'running') ORDER BY id");
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t *ids;
	size_t n, i;
	int total = 0, rc;

	*next_due = 0;
	*failed = 0;
	if (st == NULL || (ids = db_collect_ids(st, &n)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if ((rc = scheduler_pass_campaign(db, cfg, ids[i], now, next_due,
		    restored)) < 0) {
			log_err("scheduler: campaign=%lld: pass failed%s", (long long)ids[i],
			    restored ? "" : "; retried at the next one");
			(*failed)++;
			continue;
		}
		total += rc;
	}
	free(ids);
	return total;
}

int
scheduler_run(struct db *db, const struct config *cfg, int64_t now, int64_t *next_due)
{
	size_t failed;

	return scheduler_pass(db, cfg, now, next_due, false, &failed);
}

int
scheduler_restored(struct db *db, const struct config *cfg, int64_t now)
{
	int64_t next_due;
	size_t failed;

	if (scheduler_pass(db, cfg, now, &next_due, true, &failed) < 0 || failed > 0)
		return -1;
	return 0;
}

/*
 * Queues the notice that occurrence o of e is cancelled (c's cancel_body in
 * French, else the centre's « Séance annulée » text) to those c wrote to
 * about o, and to those c wrote to about e who said OUI to o (an answer for
 * the whole cycle): messages handed to a modem or sent.  A number already
 * told by another campaign about e is not told again.  Returns notices
 * queued, or -1.
 */
static int
scheduler_notify_cancel(struct db *db, const struct config *cfg, const struct campaign *c,
    const struct event *e, const struct event_occ *o, int64_t now)
{
	DB_SQL(sql, "SELECT DISTINCT ct.id, ct.first_name, ct.last_name, "
	    "ct.language, m.to_number FROM messages m JOIN contacts ct ON ct.id = m.contact_id "
	    "WHERE m.campaign_id = ?1 AND (m.event_occurrence = ?2 OR EXISTS (SELECT 1 "
	    "FROM rsvps r WHERE r.event_id = m.event_id AND r.occurrence = ?2 AND "
	    "r.contact_id = m.contact_id AND r.answer = 'yes')) AND m.status IN "
	    "('sending', 'sent', 'delivered', 'uncertain') AND ct.opted_out_at IS NULL "
	    "AND NOT " OPTOUT_SQL_IS_OUT("m.to_number") " AND NOT EXISTS (SELECT 1 "
	    "FROM messages n WHERE n.event_id = m.event_id AND n.event_occurrence = ?2 AND "
	    "n.contact_id = ct.id AND n.to_number = m.to_number AND n.campaign_id <> ?1 AND "
	    "n.occurrence LIKE '% cancelled%') "
	    "GROUP BY ct.id, m.to_number ORDER BY ct.id, min(m.id)");
	struct queue_campaign_msg m = { 0 };
	struct campaign_recipient r;
	struct buf text = { 0 };
	struct error err;
	char key[SCHEDULER_OCC_KEY_MAX], extra[SCHEDULER_OCC_KEY_MAX + PHONE_E164_MAX + 1];
	sqlite3_stmt *st = db_stmt(db, sql);
	int queued = 0, rc = 0, rendered;
	int64_t prev = 0;
	char *tmpl;

	if (st == NULL)
		return -1;
	snprintf(key, sizeof(key), "%lld cancelled", (long long)o->key);
	m.campaign_id = c->id;
	m.not_before = now;
	m.event_id = e->id;
	m.event_occurrence = o->key;
	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_int64(st, 2, o->key);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		r.contact_id = sqlite3_column_int64(st, 0);
		r.first_name = (char *)sqlite3_column_text(st, 1);
		r.last_name = (char *)sqlite3_column_text(st, 2);
		snprintf(r.language, sizeof(r.language), "%s", sqlite3_column_text(st, 3));
		snprintf(r.number, sizeof(r.number), "%s", sqlite3_column_text(st, 4));
		buf_reset(&text);
		/* the campaign's notice in French, the centre's in English and Arabic */
		tmpl = texts_for(db, TEXT_CANCEL, c->cancel_body, r.language);
		rendered = campaign_render(c, tmpl, cfg, e, o->starts_at, &r, &text);
		free(tmpl);
		if (rendered < 0)
			continue;
		buf_putc(&text, '\0');
		m.contact_id = r.contact_id;
		m.to = r.number;
		m.body = text.data;
		/* each number written to is told, a household number under its own key */
		snprintf(extra, sizeof(extra), "%s %s", key, r.number);
		m.occurrence = r.contact_id == prev ? extra : key;
		prev = r.contact_id;
		if ((rc = queue_add_campaign(db, &m, now, &err)) > 0)
			queued++;
		rc = rc < 0 && error_is_fault(&err) ? -1 : 0;
	}
	sqlite3_reset(st);
	buf_free(&text);
	return rc < 0 ? -1 : queued;
}

/* The campaigns about event_id that may have written about its sessions. */
static int64_t *
scheduler_event_campaigns(struct db *db, int64_t event_id, size_t *n)
{
	DB_SQL(sql, "SELECT id FROM campaigns WHERE event_id = ? AND status IN "
	    "('scheduled', 'running', 'done')");
	sqlite3_stmt *st = db_stmt(db, sql);

	*n = 0;
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, event_id);
	return db_collect_ids(st, n);
}

/* Cancellation notices of every campaign about e for occurrence o. */
static int
scheduler_notify_all(struct db *db, const struct config *cfg, const struct event *e,
    const struct event_occ *o, int64_t now)
{
	struct campaign c;
	struct error err;
	int64_t *ids;
	size_t n, i;
	int total = 0, rc = 0;

	if ((ids = scheduler_event_campaigns(db, e->id, &n)) == NULL)
		return -1;
	for (i = 0; rc >= 0 && i < n; i++) {
		if (campaigns_load(db, ids[i], &c, &err) < 0) {
			rc = -1;
			break;
		}
		if ((rc = scheduler_notify_cancel(db, cfg, &c, e, o, now)) > 0)
			total += rc;
		campaign_clear(&c);
	}
	free(ids);
	return rc < 0 ? -1 : total;
}

int
scheduler_occurrence_changed(struct db *db, const struct config *cfg,
    const struct event *e, const struct event_occ *before, const struct event_occ *after,
    int64_t now)
{
	bool cancelled = after->cancelled && !before->cancelled;
	bool moved = after->starts_at != before->starts_at;
	int n;

	if (!cancelled && !moved)
		return 0;
	n = queue_cancel_event(db, e->id, before->key, cancelled ? "séance annulée" :
	    "séance déplacée", now);
	if (n < 0)
		return -1;
	log_info("scheduler: event=%lld occurrence=%lld %s, %d queued message(s) cancelled",
	    (long long)e->id, (long long)before->key, cancelled ? "cancelled" : "moved", n);
	if (!cancelled || before->starts_at <= now)
		return 0;
	return scheduler_notify_all(db, cfg, e, before, now);
}

int
scheduler_event_cancelled(struct db *db, const struct config *cfg,
    const struct event *e, const struct audit_actor *actor, int64_t now)
{
	DB_SQL(sql, "SELECT id FROM campaigns WHERE event_id = ? AND status IN "
	    "('draft', 'scheduled', 'running')");
	struct event_occ occ[SCHEDULER_EVENT_OCCS];
	sqlite3_stmt *st;
	struct error err;
	int64_t *ids;
	size_t nids, j;
	int n, total = 0, rc = 0, i;

	n = events_occurrences(db, e, now + 1, now + SCHEDULER_EVENT_HORIZON, occ,
	    SCHEDULER_EVENT_OCCS);
	for (i = 0; i < n; i++) {
		if (occ[i].cancelled)
			continue;
		if ((rc = scheduler_notify_all(db, cfg, e, &occ[i], now)) < 0)
			return -1;
		total += rc;
	}
	if (n < 0 || queue_cancel_event(db, e->id, 0, "atelier annulé", now) < 0 ||
	    (st = db_stmt(db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, e->id);
	if ((ids = db_collect_ids(st, &nids)) == NULL)
		return -1;
	for (j = 0; rc >= 0 && j < nids; j++)
		rc = campaigns_set_status(db, ids[j], "draft scheduled running", "cancelled",
		    actor, now, &err);
	free(ids);
	return rc < 0 ? -1 : total;
}

int
scheduler_campaign_cancel(struct db *db, int64_t id, const struct audit_actor *actor,
    int64_t now, size_t *cancelled, struct error *err)
{
	int n;

	/* a done campaign may still have messages waiting for the sending hours */
	if (campaigns_set_status(db, id, "draft scheduled running done", "cancelled", actor,
	    now, err) < 0)
		return -1;
	if ((n = queue_cancel_campaign(db, id, "campagne annulée", now)) < 0)
		return error_fail(err, ERR_DB);
	if (cancelled)
		*cancelled = (size_t)n;
	log_info("scheduler: campaign=%lld cancelled, %d queued message(s) cancelled",
	    (long long)id, n);
	return 0;
}

/* The thread. */

struct scheduler {
	struct app *app;
	struct db *db;
	struct passes passes;
};

/* One pass; the seconds until the next campaign is due (an hour at most). */
static int
scheduler_main_pass(void *arg, bool *listen)
{
	struct scheduler *s = arg;
	const struct config *cfg = app_config(s->app);	/* this pass's snapshot */
	int64_t now = s->app->now(), next_due, offer_end;
	int queued;

	(void)listen;
	queued = scheduler_run(s->db, cfg, now, &next_due);
	/* places offered from the waiting list whose time is up pass on */
	if (waitlist_pass(s->db, cfg, now, &offer_end) < 0)
		log_err("scheduler: waiting lists: pass failed; retried at the next one");
	else if (offer_end && (next_due == 0 || offer_end < next_due))
		next_due = offer_end;
	config_free(cfg);
	if (next_due == 0 || next_due > now + SCHEDULER_IDLE_MAX)
		next_due = now + SCHEDULER_IDLE_MAX;
	log_debug("scheduler: pass queued=%d next in %lld s", queued,
	    (long long)(next_due - now));
	return (int)(next_due - now);
}

struct scheduler *
scheduler_start(struct app *app, char *err, size_t errlen)
{
	struct scheduler *s = calloc(1, sizeof(*s));
	const struct config *cfg;

	if (s == NULL)
		fatal("scheduler: out of memory");
	cfg = app_config(app);
	s->app = app;
	s->db = db_open(cfg->db_path, err, errlen);
	config_free(cfg);
	if (s->db == NULL || passes_start(&s->passes, scheduler_main_pass, s, "scheduler", err,
	    errlen) < 0) {
		db_close(s->db);
		free(s);
		return NULL;
	}
	return s;
}

void
scheduler_poke(struct scheduler *s)
{
	if (s != NULL)
		passes_poke(&s->passes);
}

void
scheduler_stop(struct scheduler *s)
{
	if (s == NULL)
		return;
	passes_stop(&s->passes);
	db_close(s->db);
	free(s);
}
