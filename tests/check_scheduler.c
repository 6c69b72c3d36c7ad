/*
 * check_scheduler — campaigns turned into messages on a real database,
 * with the clock moved by hand: one-off, recurring and atelier-relative
 * schedules, late passes, moved and cancelled occurrences, daylight
 * saving in Europe/Paris, and the unique key that makes a second pass
 * harmless.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "campaigns.h"
#include "chase.h"
#include "contacts.h"
#include "events.h"
#include "groups.h"
#include "inbox.h"
#include "intent.h"
#include "queue.h"
#include "replies.h"
#include "scheduler.h"
#include "texts.h"
#include "test_db.h"
#include "test_main.h"
#include "timeutil.h"
#include "waitlist.h"

static const struct audit_actor sched_actor = { 0, "test" };

static struct config *
sched_config(void)
{
	char err[256] = "";
	struct config *cfg = config_load_string("[centre]\nname = Centre Brel\n"
	    "phone = 03 21 00 00 00\n", "test.conf", err, sizeof(err));

	ck_assert_msg(cfg != NULL, "%s", err);
	return cfg;
}

static int64_t
sched_time(const char *iso)
{
	int64_t t;

	ck_assert_msg(time_parse(iso, &t) == 0, "bad time %s", iso);
	return t;
}

static const char *
sched_iso(int64_t t)
{
	static char iso[TIME_ISO_MAX];

	time_format_iso(t, iso);
	return iso;
}

static int64_t
sched_contact(struct db *db, const char *first, const char *number, const char *language)
{
	struct contact c = { 0 };
	struct error err = { 0 };
	int64_t id;

	c.first_name = strdup(first);
	c.last_name = strdup("Martin");
	snprintf(c.language, sizeof(c.language), "%s", language);
	ck_assert_int_eq(contact_add_phone(&c, number, NULL, true, "phone", NULL, &err), 0);
	ck_assert_msg(contact_validate(&c, &err) == 0, "%s", err.message);
	ck_assert_msg(contacts_save(db, &c, &sched_actor, 1, &err) == 0, "%s", err.message);
	id = c.id;
	contact_clear(&c);
	return id;
}

/* Three contacts in a group: Awa, Bruno (English), Chloé; and Denis who sent STOP. */
static int64_t
sched_group(struct db *db, int64_t ids[3])
{
	struct error err = { 0 };
	int64_t g, denis;
	int64_t all[4];

	ids[0] = sched_contact(db, "Awa", "06 12 34 56 01", "fr");
	ids[1] = sched_contact(db, "Bruno", "06 12 34 56 02", "en");
	ids[2] = sched_contact(db, "Chloé", "06 12 34 56 03", "fr");
	denis = sched_contact(db, "Denis", "06 12 34 56 04", "fr");
	ck_assert_int_eq(db_exec(db, "UPDATE contacts SET opted_out_at = 1 WHERE "
	    "first_name = 'Denis'"), 0);
	memcpy(all, ids, 3 * sizeof(*ids));
	all[3] = denis;
	ck_assert_int_eq(groups_create(db, "Seniors", &sched_actor, 1, &g, &err), 0);
	ck_assert_int_eq(groups_set_members(db, g, all, 4, &sched_actor, 1, &err), 0);
	return g;
}

static int64_t
sched_event(struct db *db, const char *title, const char *start, const char *rrule,
    int64_t group)
{
	struct event e = { 0 };
	struct event_invitees inv = { &group, 1, NULL, 0 };
	struct error err = { 0 };
	int64_t id;

	e.title = strdup(title);
	e.place = strdup("salle 2");
	e.rrule = rrule ? strdup(rrule) : NULL;
	e.starts_at = sched_time(start);
	e.ends_at = e.starts_at + 2 * 3600;
	ck_assert_msg(events_write(db, &e, &inv, &sched_actor, 1, &err) == 0, "%s", err.message);
	id = e.id;
	event_clear(&e);
	return id;
}

/* A campaign to group, scheduled at `scheduled`; schedule set by the caller's fill. */
static int64_t
sched_campaign(struct db *db, struct campaign *c, int64_t group, int64_t scheduled)
{
	struct error err = { 0 };
	int64_t id;

	c->group_ids = calloc(1, sizeof(int64_t));
	c->group_ids[0] = group;
	c->ngroups = 1;
	if (c->name == NULL)
		c->name = strdup("Rappel");
	ck_assert_msg(campaign_validate(db, c, &err) == 0, "%s", err.message);
	ck_assert_msg(campaigns_write(db, c, &sched_actor, scheduled, &err) == 0, "%s",
	    err.message);
	ck_assert_int_eq(campaigns_set_status(db, c->id, "draft", "scheduled", &sched_actor,
	    scheduled, &err), 0);
	id = c->id;
	campaign_clear(c);
	return id;
}

static long long
sched_count(struct db *db, const char *where)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM messages WHERE %s", where);
	return test_db_int(db, sql);
}

static const char *
sched_text(struct db *db, const char *sql)
{
	static char out[1024];
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, sizeof(out), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

static const char *
sched_status(struct db *db, int64_t campaign)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT status FROM campaigns WHERE id = %lld",
	    (long long)campaign);
	return sched_text(db, sql);
}

static int
sched_run(struct db *db, const struct config *cfg, const char *now, int64_t *next)
{
	int64_t dummy;
	int n = scheduler_run(db, cfg, sched_time(now), next ? next : &dummy);

	ck_assert_int_ge(n, 0);
	return n;
}

START_TEST(sched_test_once)
{
	struct config *cfg = sched_config();
	struct campaign c = { 0 };
	struct test_db t;
	int64_t ids[3], g, id, next;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	c.body = strdup("Bonjour {prenom}, RDV CAF mardi à 14h au {centre}. Infos : {tel_centre}");
	c.body_en = strdup("Hello {prenom}, CAF meeting Tuesday 2pm. {centre}");
	c.schedule = CAMPAIGN_AT;
	c.at = sched_time("2026-12-01T10:00:00+01:00");
	id = sched_campaign(t.db, &c, g, sched_time("2026-11-30T09:00:00+01:00"));

	/* before its time: nothing, and the pass says when to wake up */
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-01T09:59:00+01:00", &next), 0);
	ck_assert_str_eq(sched_iso(next), "2026-12-01T10:00:00+01:00");
	ck_assert_str_eq(sched_status(t.db, id), "scheduled");

	/* at its time: one message per recipient but Denis (STOP) */
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-01T10:00:00+01:00", &next), 3);
	ck_assert_int_eq(next, 0);
	ck_assert_int_eq(sched_count(t.db, "campaign_id IS NOT NULL AND status = 'queued'"), 3);
	ck_assert_str_eq(sched_text(t.db, "SELECT body FROM messages WHERE to_number = "
	    "'+33612345601'"), "Bonjour Awa, RDV CAF mardi à 14h au Centre Brel. "
	    "Infos : 03 21 00 00 00");
	ck_assert_str_eq(sched_text(t.db, "SELECT body FROM messages WHERE to_number = "
	    "'+33612345602'"), "Hello Bruno, CAF meeting Tuesday 2pm. Centre Brel");
	ck_assert_int_eq(test_db_int(t.db, "SELECT left_out FROM campaign_runs"), 1);
	ck_assert_str_eq(sched_status(t.db, id), "done");

	/* a second pass, later, queues nothing more */
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-01T10:05:00+01:00", NULL), 0);
	ck_assert_int_eq(sched_count(t.db, "1"), 3);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* A crash after the messages were written but before the run was recorded cannot happen
 * (one transaction); still, messages already there are never queued twice. */
START_TEST(sched_test_unique_key)
{
	struct config *cfg = sched_config();
	struct campaign c = { 0 };
	struct test_db t;
	int64_t ids[3], g, id;
	char sql[256];

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	c.body = strdup("Bonjour {prenom}");
	c.schedule = CAMPAIGN_AT;
	c.at = sched_time("2026-12-01T10:00:00+01:00");
	id = sched_campaign(t.db, &c, g, sched_time("2026-11-30T09:00:00+01:00"));
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-01T10:00:00+01:00", NULL), 3);
	snprintf(sql, sizeof(sql), "DELETE FROM campaign_runs; UPDATE campaigns SET status = "
	    "'running' WHERE id = %lld", (long long)id);
	ck_assert_int_eq(sqlite3_exec(db_handle(t.db), sql, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-01T10:01:00+01:00", NULL), 0);
	ck_assert_int_eq(sched_count(t.db, "1"), 3);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM campaign_runs"), 1);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* Every Monday at 10:00 stays at 10:00 local across the 29 March 2026 change. */
START_TEST(sched_test_weekly_dst)
{
	static const char *const mondays[] = {
		"2026-03-16T10:00:00+01:00", "2026-03-23T10:00:00+01:00",
		"2026-03-30T10:00:00+02:00", "2026-04-06T10:00:00+02:00",
	};
	struct config *cfg = sched_config();
	struct campaign c = { 0 };
	struct test_db t;
	int64_t ids[3], g, next;
	size_t i;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	c.body = strdup("Atelier informatique ce lundi. {centre}");
	c.schedule = CAMPAIGN_RRULE;
	c.rrule = strdup("FREQ=WEEKLY;BYDAY=MO;COUNT=4");
	c.dtstart = sched_time(mondays[0]);
	sched_campaign(t.db, &c, g, sched_time("2026-03-10T09:00:00+01:00"));
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-03-10T09:00:00+01:00", &next), 0);
	for (i = 0; i < 4; i++) {
		ck_assert_str_eq(sched_iso(next), mondays[i]);
		ck_assert_int_eq(sched_run(t.db, cfg, mondays[i], &next), 3);
	}
	ck_assert_int_eq(next, 0);
	ck_assert_int_eq(sched_count(t.db, "1"), 12);
	ck_assert_str_eq(sched_text(t.db, "SELECT group_concat(DISTINCT occurrence) FROM "
	    "(SELECT occurrence FROM messages ORDER BY not_before)"),
	    "202603161000,202603231000,202603301000,202604061000");
	ck_assert_str_eq(sched_text(t.db, "SELECT status FROM campaigns"), "done");
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* rappeld was off for three weeks: only the latest occurrence goes, once. */
START_TEST(sched_test_late_pass)
{
	struct config *cfg = sched_config();
	struct campaign c = { 0 };
	struct test_db t;
	int64_t ids[3], g, next;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	c.body = strdup("Permanence CAF ce mardi. {centre}");
	c.schedule = CAMPAIGN_RRULE;
	c.rrule = strdup("FREQ=WEEKLY;BYDAY=TU");
	c.dtstart = sched_time("2026-11-03T09:00:00+01:00");
	sched_campaign(t.db, &c, g, sched_time("2026-11-01T09:00:00+01:00"));
	/* Tuesday 24 November 15:00: the 3rd, 10th and 17th passed, the 24th is still worth it */
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-11-24T15:00:00+01:00", &next), 3);
	ck_assert_str_eq(sched_iso(next), "2026-12-01T09:00:00+01:00");
	ck_assert_int_eq(sched_count(t.db, "occurrence = '202611240900'"), 3);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM campaign_runs WHERE "
	    "state = 'skipped'"), 3);
	/* one day and a half late is too late: recorded as missed, nothing sent */
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-02T21:00:00+01:00", NULL), 0);
	ck_assert_str_eq(sched_text(t.db, "SELECT state FROM campaign_runs WHERE "
	    "occurrence = '202612010900'"), "missed");
	ck_assert_int_eq(sched_count(t.db, "1"), 3);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* A modem takes the next n queued messages at `at` and sends them. */
static void
sched_send(struct db *db, int n, const char *at)
{
	int64_t now = sched_time(at);
	struct queue_msg m;

	for (int i = 0; i < n; i++) {
		ck_assert_int_eq(queue_claim_next(db, "modem", now, &m), 1);
		ck_assert_int_eq(queue_mark_sent(db, m.id, now), 0);
		queue_msg_clear(&m);
	}
}

/* Cancels session key of e at `at`; returns the notices queued. */
static int
sched_cancel(struct db *db, const struct config *cfg, struct event *e, int64_t key, const char *at)
{
	struct event_occ want = { .cancelled = true }, before, after;
	struct error err = { 0 };
	int64_t now = sched_time(at);

	ck_assert_int_eq(events_occurrence_change(db, e, key, &want, &sched_actor, now, &before,
	    &after, &err), 0);
	return scheduler_occurrence_changed(db, cfg, e, &before, &after, now);
}

static int64_t
sched_event_campaign(struct db *db, int64_t event, int64_t group, const char *offsets[],
    size_t n, const char *scheduled)
{
	struct campaign c = { 0 };
	size_t i;

	c.body = strdup("{prenom}, atelier {atelier} {date} à {heure}, {lieu}. "
	    "Répondez OUI ou NON. {centre}");
	c.event_id = event;
	c.ask_reply = true;
	c.cancel_body = strdup("L'atelier {atelier} du {date} est annulé. {centre}");
	c.schedule = CAMPAIGN_BEFORE_EVENT;
	for (i = 0; i < n; i++)
		c.offsets[c.noffsets++] = strdup(offsets[i]);
	(void)group;
	return sched_campaign(db, &c, group, sched_time(scheduled));
}

START_TEST(sched_test_before_event)
{
	const char *offsets[] = { "-7d@10:00", "-1d@18:00" };
	struct config *cfg = sched_config();
	struct test_db t;
	int64_t ids[3], g, ev, next, start = sched_time("2026-12-03T14:00:00+01:00");
	char sql[256];

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	ev = sched_event(t.db, "Cuisine", "2026-12-03T14:00:00+01:00", NULL, g);
	/* invitees come from the atelier: the campaign's own group is the same here */
	sched_event_campaign(t.db, ev, g, offsets, 2, "2026-11-20T09:00:00+01:00");
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-11-20T09:00:00+01:00", &next), 0);
	ck_assert_str_eq(sched_iso(next), "2026-11-26T10:00:00+01:00");
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-11-26T10:00:00+01:00", &next), 3);
	ck_assert_str_eq(sched_iso(next), "2026-12-02T18:00:00+01:00");
	ck_assert_str_eq(sched_text(t.db, "SELECT body FROM messages WHERE to_number = "
	    "'+33612345601'"), "Awa, atelier Cuisine jeudi 3 décembre à 14h, salle 2. "
	    "Répondez OUI ou NON. Centre Brel");
	/* a reminder gives up when the atelier starts, and takes replies until then */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM messages WHERE give_up_at = %lld AND "
	    "reply_until = %lld AND event_id = %lld AND event_occurrence = 202612031400",
	    (long long)start, (long long)start, (long long)ev);
	ck_assert_int_eq(test_db_int(t.db, sql), 3);
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-02T18:00:00+01:00", &next), 3);
	ck_assert_int_eq(sched_count(t.db, "occurrence = '202612031400 -1d@18:00'"), 3);
	ck_assert_int_eq(next, 0);
	/* running until the session has started; then nothing is left to queue */
	ck_assert_str_eq(sched_text(t.db, "SELECT status FROM campaigns"), "running");
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-03T14:00:00+01:00", NULL), 0);
	ck_assert_str_eq(sched_text(t.db, "SELECT status FROM campaigns"), "done");
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* Scheduled two days before: the invitation due last week goes now, once; not two at once. */
START_TEST(sched_test_late_invitation)
{
	const char *offsets[] = { "-21d@10:00", "-7d@10:00", "-1d@18:00" };
	struct config *cfg = sched_config();
	struct test_db t;
	int64_t ids[3], g, ev, next;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	ev = sched_event(t.db, "Cuisine", "2026-12-03T14:00:00+01:00", NULL, g);
	sched_event_campaign(t.db, ev, g, offsets, 3, "2026-12-01T11:00:00+01:00");
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-01T11:00:00+01:00", &next), 3);
	ck_assert_int_eq(sched_count(t.db, "occurrence = '202612031400 -7d@10:00'"), 3);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM campaign_runs WHERE "
	    "state = 'skipped' AND occurrence = '202612031400 -21d@10:00'"), 1);
	ck_assert_str_eq(sched_iso(next), "2026-12-02T18:00:00+01:00");
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* The atelier moves: queued reminders for the old time are cancelled and made again. */
START_TEST(sched_test_moved_occurrence)
{
	const char *offsets[] = { "-1d@18:00" };
	struct config *cfg = sched_config();
	struct event_occ want = { 0 }, before, after;
	struct error err = { 0 };
	struct test_db t;
	struct event e;
	int64_t ids[3], g, ev, next;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	ev = sched_event(t.db, "Couture", "2026-12-03T14:00:00+01:00", "FREQ=WEEKLY;COUNT=3", g);
	sched_event_campaign(t.db, ev, g, offsets, 1, "2026-11-20T09:00:00+01:00");
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-02T18:00:00+01:00", &next), 3);
	ck_assert_str_eq(sched_iso(next), "2026-12-09T18:00:00+01:00");

	/* still queued (say, outside sending hours) when the session moves to Friday 9:30 */
	ck_assert_int_eq(events_load(t.db, ev, &e, &err), 0);
	want.starts_at = sched_time("2026-12-04T09:30:00+01:00");
	ck_assert_int_eq(events_occurrence_change(t.db, &e, 202612031400, &want, &sched_actor,
	    sched_time("2026-12-02T18:30:00+01:00"), &before, &after, &err), 0);
	ck_assert(after.moved);
	ck_assert_int_eq(scheduler_occurrence_changed(t.db, cfg, &e, &before, &after,
	    sched_time("2026-12-02T18:30:00+01:00")), 0);
	ck_assert_int_eq(sched_count(t.db, "status = 'cancelled'"), 3);
	/* the reminder for the new time: Thursday 18:00 */
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-02T18:31:00+01:00", &next), 0);
	ck_assert_str_eq(sched_iso(next), "2026-12-03T18:00:00+01:00");
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-03T18:00:00+01:00", &next), 3);
	ck_assert_str_eq(sched_text(t.db, "SELECT body FROM messages WHERE status = 'queued' "
	    "AND to_number = '+33612345603'"), "Chloé, atelier Couture vendredi 4 décembre à "
	    "9h30, salle 2. Répondez OUI ou NON. Centre Brel");
	ck_assert_int_eq(sched_count(t.db, "occurrence = '202612031400>202612040930 -1d@18:00'"),
	    3);
	event_clear(&e);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* Cancelled session: no reminder for it, and a notice to those already told. */
START_TEST(sched_test_cancelled_occurrence)
{
	const char *offsets[] = { "-7d@10:00", "-1d@18:00" };
	struct config *cfg = sched_config();
	struct error err = { 0 };
	struct test_db t;
	struct event e;
	int64_t ids[3], g, ev, next;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	ev = sched_event(t.db, "Couture", "2026-12-03T14:00:00+01:00", "FREQ=WEEKLY;COUNT=2", g);
	sched_event_campaign(t.db, ev, g, offsets, 2, "2026-11-20T09:00:00+01:00");
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-11-26T10:00:00+01:00", NULL), 3);
	/* two of the three invitations went out */
	sched_send(t.db, 2, "2026-11-26T10:01:00+01:00");
	ck_assert_int_eq(events_load(t.db, ev, &e, &err), 0);
	ck_assert_int_eq(sched_cancel(t.db, cfg, &e, 202612031400, "2026-11-28T12:00:00+01:00"), 2);
	ck_assert_int_eq(sched_count(t.db, "status = 'cancelled' AND error = 'séance annulée'"),
	    1);
	ck_assert_str_eq(sched_text(t.db, "SELECT body FROM messages WHERE occurrence = "
	    "'202612031400 cancelled' LIMIT 1"), "L'atelier Couture du jeudi 3 décembre est "
	    "annulé. Centre Brel");
	/* the day-before reminder of the cancelled session never comes; the next week's does */
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-11-28T12:01:00+01:00", &next), 0);
	ck_assert_str_eq(sched_iso(next), "2026-12-03T10:00:00+01:00");
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-02T18:00:00+01:00", NULL), 0);
	ck_assert_int_eq(sched_count(t.db, "occurrence LIKE '202612031400 -1d%'"), 0);
	event_clear(&e);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/*
 * A campaign written in the panel has no cancel_body of its own: a cancelled
 * session is still announced, with the centre's « Séance annulée » text, once
 * a person however many campaigns wrote about it, and to whoever said OUI
 * to it for the whole cycle though no message was about that session.
 */
START_TEST(sched_test_cancel_notice_default)
{
	const char *offsets[] = { "-1d@18:00" };
	struct config *cfg = sched_config();
	struct campaign inv = { 0 }, rem = { 0 };
	struct error err = { 0 };
	struct test_db t;
	struct event e;
	int64_t ids[3], g, ev, invitation, now;
	char sql[256];

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	ev = sched_event(t.db, "Couture", "2026-12-03T14:00:00+01:00", "FREQ=WEEKLY;COUNT=3", g);
	inv.body = strdup("{prenom}, atelier {atelier} {date} à {heure}. Répondez OUI ou NON. {centre}");
	inv.event_id = ev;
	inv.ask_reply = true;
	inv.reply_cycle = true;
	inv.schedule = CAMPAIGN_AT;
	inv.at = sched_time("2026-11-26T10:00:00+01:00");
	invitation = sched_campaign(t.db, &inv, g, sched_time("2026-11-20T09:00:00+01:00"));
	rem.body = strdup("Rappel : {atelier} {date} à {heure}. {centre}");
	rem.event_id = ev;
	rem.invitation_id = invitation;
	rem.schedule = CAMPAIGN_BEFORE_EVENT;
	rem.offsets[rem.noffsets++] = strdup(offsets[0]);
	sched_campaign(t.db, &rem, g, sched_time("2026-11-20T09:00:00+01:00"));
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-11-26T10:00:00+01:00", NULL), 3);
	sched_send(t.db, 3, "2026-11-26T10:01:00+01:00");
	/* the first invitee says OUI for the whole cycle */
	now = sched_time("2026-11-26T12:00:00+01:00");
	for (int w = 0; w < 3; w++) {
		snprintf(sql, sizeof(sql), "INSERT INTO rsvps (event_id, occurrence, contact_id, "
		    "answer, answered_at, via) VALUES (%lld, %lld, %lld, 'yes', %lld, 'sms')",
		    (long long)ev, 202612031400LL + w * 70000LL, (long long)ids[0], (long long)now);
		ck_assert_int_eq(db_exec(t.db, sql), 0);
	}
	/* the day-before reminders of the first session go out too */
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-02T18:00:00+01:00", NULL), 3);
	sched_send(t.db, 3, "2026-12-02T18:01:00+01:00");
	ck_assert_int_eq(events_load(t.db, ev, &e, &err), 0);
	/* two campaigns wrote about it to each of the three: one notice each */
	ck_assert_int_eq(sched_cancel(t.db, cfg, &e, 202612031400, "2026-12-03T09:00:00+01:00"), 3);
	ck_assert_int_eq(sched_count(t.db, "occurrence LIKE '202612031400 cancelled%'"), 3);
	ck_assert_str_eq(sched_text(t.db, "SELECT body FROM messages WHERE to_number = "
	    "'+33612345601' AND occurrence LIKE '% cancelled%'"), "Couture du jeudi 3 décembre "
	    "à 14h : la séance est annulée. Veuillez nous excuser pour ce changement. Centre Brel");
	/* the 10th: only the one who said OUI to every session hears of it */
	ck_assert_int_eq(sched_cancel(t.db, cfg, &e, 202612101400, "2026-12-05T09:00:00+01:00"), 1);
	snprintf(sql, sizeof(sql), "occurrence LIKE '202612101400 cancelled%%' AND contact_id = %lld",
	    (long long)ids[0]);
	ck_assert_int_eq(sched_count(t.db, sql), 1);
	event_clear(&e);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/*
 * « Inviter par SMS » from a session that is not the next one: the campaign
 * speaks of that session ({date}, the replies), and sends nothing once it
 * is cancelled.  A key that is no session of the atelier is refused.
 */
START_TEST(sched_test_chosen_session)
{
	struct config *cfg = sched_config();
	struct campaign c = { 0 }, bad = { 0 };
	struct error err = { 0 };
	struct test_db t;
	struct event e;
	int64_t ids[3], g, ev;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	ev = sched_event(t.db, "Cuisine", "2026-12-03T14:00:00+01:00", "FREQ=WEEKLY;COUNT=3", g);
	c.body = strdup("{prenom}, {atelier} {date} à {heure}. OUI ou NON ?");
	c.event_id = ev;
	c.ask_reply = true;
	c.schedule = CAMPAIGN_AT;
	c.at = sched_time("2026-11-26T10:00:00+01:00");
	c.occurrence = 202612101400;
	sched_campaign(t.db, &c, g, sched_time("2026-11-20T09:00:00+01:00"));
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-11-26T10:00:00+01:00", NULL), 3);
	ck_assert_str_eq(sched_text(t.db, "SELECT body FROM messages WHERE to_number = "
	    "'+33612345601'"), "Awa, Cuisine jeudi 10 décembre à 14h. OUI ou NON ?");
	ck_assert_int_eq(sched_count(t.db, "event_occurrence = 202612101400"), 3);
	/* another for the 17th, whose session is then cancelled: nothing goes */
	c.body = strdup("{prenom}, {atelier} {date}.");
	c.event_id = ev;
	c.schedule = CAMPAIGN_AT;
	c.at = sched_time("2026-12-01T10:00:00+01:00");
	c.occurrence = 202612171400;
	sched_campaign(t.db, &c, g, sched_time("2026-11-26T11:00:00+01:00"));
	ck_assert_int_eq(events_load(t.db, ev, &e, &err), 0);
	ck_assert_int_eq(sched_cancel(t.db, cfg, &e, 202612171400, "2026-11-27T09:00:00+01:00"), 0);
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-01T10:00:00+01:00", NULL), 0);
	ck_assert_int_eq(sched_count(t.db, "event_occurrence = 202612171400"), 0);
	ck_assert_str_eq(sched_text(t.db, "SELECT state FROM campaign_runs WHERE campaign_id = "
	    "(SELECT max(id) FROM campaigns)"), "missed");
	/* a cancelled session, or a key that is none of the atelier's, is refused */
	bad.name = strdup("x");
	bad.body = strdup("Bonjour. {centre}");
	bad.event_id = ev;
	bad.schedule = CAMPAIGN_AT;
	bad.at = sched_time("2026-12-01T10:00:00+01:00");
	bad.occurrence = 202612171400;
	ck_assert_int_eq(campaign_validate(t.db, &bad, &err), -1);
	ck_assert_str_eq(err.field, "occurrence");
	bad.occurrence = 202612111400;
	ck_assert_int_eq(campaign_validate(t.db, &bad, &err), -1);
	ck_assert_str_eq(err.field, "occurrence");
	bad.event_id = 0;
	ck_assert_int_eq(campaign_validate(t.db, &bad, &err), -1);
	ck_assert_str_eq(err.code, "needs_event");
	ck_assert_str_eq(err.field, "occurrence");
	campaign_clear(&bad);
	event_clear(&e);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* Who said NON to a session gets no reminder of it; the others do. */
START_TEST(sched_test_no_reminder_after_no)
{
	const char *offsets[] = { "-1d@18:00" };
	struct config *cfg = sched_config();
	struct test_db t;
	int64_t ids[3], g, ev;
	char sql[256];

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	ev = sched_event(t.db, "Chorale", "2026-12-03T14:00:00+01:00", "FREQ=WEEKLY;COUNT=2", g);
	sched_event_campaign(t.db, ev, g, offsets, 1, "2026-11-20T09:00:00+01:00");
	snprintf(sql, sizeof(sql), "INSERT INTO rsvps (event_id, occurrence, contact_id, answer, "
	    "answered_at, via) VALUES (%lld, 202612031400, %lld, 'no', 1, 'sms'), "
	    "(%lld, 202612031400, %lld, 'yes', 1, 'sms')", (long long)ev, (long long)ids[0],
	    (long long)ev, (long long)ids[1]);
	ck_assert_int_eq(db_exec(t.db, sql), 0);
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-02T18:00:00+01:00", NULL), 2);
	snprintf(sql, sizeof(sql), "contact_id = %lld", (long long)ids[0]);
	ck_assert_int_eq(sched_count(t.db, sql), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT left_out FROM campaign_runs"), 2);
	/* her NON was for the 3rd only: the 10th's reminder reaches her */
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-09T18:00:00+01:00", NULL), 3);
	ck_assert_int_eq(sched_count(t.db, sql), 1);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* Cancelling a campaign stops what is not yet with a modem; the rest stays. */
START_TEST(sched_test_cancel_campaign)
{
	struct config *cfg = sched_config();
	struct campaign c = { 0 };
	struct error err = { 0 };
	struct queue_msg m;
	struct test_db t;
	int64_t ids[3], g, id, now = sched_time("2026-12-01T10:00:00+01:00");
	size_t n = 0;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	c.body = strdup("Bonjour {prenom}");
	c.schedule = CAMPAIGN_AT;
	c.at = now;
	id = sched_campaign(t.db, &c, g, now - 3600);
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-01T10:00:00+01:00", NULL), 3);
	ck_assert_int_eq(queue_claim_next(t.db, "modem", now, &m), 1);
	queue_msg_clear(&m);
	ck_assert_int_eq(scheduler_campaign_cancel(t.db, id, &sched_actor, now, &n, &err), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(sched_count(t.db, "status = 'sending'"), 1);
	ck_assert_int_eq(sched_count(t.db, "status = 'cancelled'"), 2);
	ck_assert_str_eq(sched_status(t.db, id), "cancelled");
	/* and nothing can be done to it any more */
	ck_assert_int_eq(scheduler_campaign_cancel(t.db, id, &sched_actor, now, &n, &err), -1);
	ck_assert_int_eq(error_http_status(err.kind), 409);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* A reminder still waiting when the atelier starts is never sent. */
START_TEST(sched_test_give_up)
{
	const char *offsets[] = { "-1d@18:00" };
	struct config *cfg = sched_config();
	struct queue_msg m;
	struct test_db t;
	int64_t ids[3], g, ev;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	ev = sched_event(t.db, "Cuisine", "2026-12-03T14:00:00+01:00", NULL, g);
	sched_event_campaign(t.db, ev, g, offsets, 1, "2026-11-20T09:00:00+01:00");
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-02T18:00:00+01:00", NULL), 3);
	ck_assert_int_eq(queue_claim_next(t.db, "modem", sched_time("2026-12-03T14:00:00+01:00"),
	    &m), 0);
	ck_assert_int_eq(sched_count(t.db, "status = 'failed' AND error LIKE 'trop tard%'"), 3);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* A reminder at a local time that does not exist moves forward by the gap. */
START_TEST(sched_test_dst_gap)
{
	const char *offsets[] = { "0d@02:30" };
	struct config *cfg = sched_config();
	struct test_db t;
	int64_t ids[3], g, ev, next;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	ev = sched_event(t.db, "Randonnée", "2026-03-29T10:00:00+02:00", NULL, g);
	sched_event_campaign(t.db, ev, g, offsets, 1, "2026-03-20T09:00:00+01:00");
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-03-28T12:00:00+01:00", &next), 0);
	ck_assert_str_eq(sched_iso(next), "2026-03-29T03:30:00+02:00");
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* Unknown variables and atelier variables without an atelier are refused on save. */
START_TEST(sched_test_validate)
{
	struct campaign c = { 0 };
	struct error err = { 0 };
	struct test_db t;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	c.name = strdup("x");
	c.body = strdup("Bonjour {prenom}, rendez-vous à {ville}");
	ck_assert_int_eq(campaign_validate(t.db, &c, &err), -1);
	ck_assert_str_eq(err.field, "body");
	ck_assert_ptr_nonnull(strstr(err.message, "{ville}"));
	free(c.body);
	c.body = strdup("Atelier {atelier} le {date}");
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(campaign_validate(t.db, &c, &err), -1);
	ck_assert_str_eq(err.code, "needs_event");
	free(c.body);
	c.body = strdup("Bonjour");
	c.schedule = CAMPAIGN_BEFORE_EVENT;
	c.offsets[c.noffsets++] = strdup("-1d@18:00");
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(campaign_validate(t.db, &c, &err), -1);
	ck_assert_str_eq(err.field, "schedule");
	campaign_clear(&c);
	test_db_close(&t);
}
END_TEST

static int64_t
sched_reply(struct db *db, const struct config *cfg, const char *from, const char *body,
    const char *at, enum intent *intent)
{
	struct inbox_sms sms = { "modem", from, body, 0, -1, 1, 1 };
	int64_t id = 0, now = sched_time(at);
	bool queued;

	sms.sent_at = now;
	ck_assert_int_eq(inbox_store(db, &sms, now, &id), 0);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(replies_process(db, cfg, id, now, intent, &queued), 0);
	return id;
}

/* OUI/NON to an invitation: the RSVP of that session, the latest wins, until it starts. */
START_TEST(sched_test_rsvp_routing)
{
	const char *offsets[] = { "-7d@10:00" };
	struct config *cfg = sched_config();
	struct queue_msg m;
	struct test_db t;
	enum intent intent;
	int64_t ids[3], g, ev, now;
	int i;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	ev = sched_event(t.db, "Cuisine", "2026-12-03T14:00:00+01:00", "FREQ=WEEKLY;COUNT=2", g);
	sched_event_campaign(t.db, ev, g, offsets, 1, "2026-11-20T09:00:00+01:00");
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-11-26T10:00:00+01:00", NULL), 3);
	now = sched_time("2026-11-26T10:01:00+01:00");
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(queue_claim_next(t.db, "modem", now, &m), 1);
		ck_assert_int_eq(queue_mark_sent(t.db, m.id, now), 0);
		queue_msg_clear(&m);
	}
	/* Awa says yes, then no: the latest wins, both are kept */
	sched_reply(t.db, cfg, "+33612345601", "Oui merci", "2026-11-26T12:00:00+01:00", &intent);
	ck_assert_int_eq(intent, INTENT_YES);
	sched_reply(t.db, cfg, "+33612345601", "non désolée", "2026-11-27T12:00:00+01:00",
	    &intent);
	ck_assert_int_eq(intent, INTENT_NO);
	ck_assert_str_eq(sched_text(t.db, "SELECT answer FROM rsvps WHERE occurrence = "
	    "202612031400"), "no");
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM rsvp_history"), 2);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM replies WHERE handled = 1 AND "
	    "event_occurrence = 202612031400"), 2);
	/* Bruno's yes after the session started goes to a person */
	sched_reply(t.db, cfg, "+33612345602", "yes", "2026-12-03T15:00:00+01:00", &intent);
	ck_assert_int_eq(intent, INTENT_YES);
	ck_assert_int_eq(test_db_int(t.db, "SELECT handled FROM replies ORDER BY id DESC"), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM rsvps WHERE contact_id = 2"), 0);
	/* a question is linked to the invitation it answers, for a person */
	sched_reply(t.db, cfg, "+33612345603", "c'est où ?", "2026-11-26T13:00:00+01:00",
	    &intent);
	ck_assert_int_eq(intent, INTENT_OTHER);
	ck_assert_int_eq(test_db_int(t.db, "SELECT event_id IS NOT NULL AND handled = 0 FROM "
	    "replies ORDER BY id DESC"), 1);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/*
 * An atelier with capacity places (0: no limit), invitations sent to the group at
 * 2026-11-26 10:01 and the session on 2026-12-03 14:00.
 */
static int64_t
sched_waitlist_event(struct db *db, const struct config *cfg, int64_t group, int capacity)
{
	const char *offsets[] = { "-7d@10:00" };
	struct queue_msg m;
	char sql[96];
	int64_t ev, now = sched_time("2026-11-26T10:01:00+01:00");

	ev = sched_event(db, "Cuisine", "2026-12-03T14:00:00+01:00", NULL, group);
	snprintf(sql, sizeof(sql), "UPDATE events SET capacity = %d WHERE id = %lld", capacity,
	    (long long)ev);
	ck_assert_int_eq(capacity ? db_exec(db, sql) : 0, 0);
	sched_event_campaign(db, ev, group, offsets, 1, "2026-11-20T09:00:00+01:00");
	ck_assert_int_gt(sched_run(db, cfg, "2026-11-26T10:00:00+01:00", NULL), 0);
	while (queue_claim_next(db, "modem", now, &m) == 1) {
		ck_assert_int_eq(queue_mark_sent(db, m.id, now), 0);
		queue_msg_clear(&m);
	}
	return ev;
}

/* The text of the last message to number. */
static const char *
sched_last_to(struct db *db, const char *number)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT body FROM messages WHERE to_number = '%s' "
	    "ORDER BY id DESC LIMIT 1", number);
	return sched_text(db, sql);
}

/* Asserts that the last message to number contains text. */
static void
sched_assert_last(struct db *db, const char *number, const char *text)
{
	const char *body = sched_last_to(db, number);

	ck_assert_msg(strstr(body, text) != NULL, "to %s: %s (want %s)", number, body, text);
}

/*
 * Capacity 2: the third and fourth "oui" wait and are told so in their
 * language; a "non" frees a place, which is offered to the first one
 * waiting who did not send STOP; their "oui" takes it.  Every step is in
 * the history.
 */
/*
 * Issue 26: the waiting list's texts are the centre's, changed per
 * language in Paramètres like every text rappel sends by itself; the
 * offer's {delai} says how long the place is held.
 */
START_TEST(sched_test_waitlist_texts_edited)
{
	static const struct audit_actor admin = { 1, "directrice" };
	struct config *cfg = sched_config();
	struct test_db t;
	struct error err = { 0 };
	enum intent intent;
	json_t *changes;
	int64_t ids[3], g;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	changes = json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}]",
	    "name", "waiting", "language", "fr", "body",
	    "{atelier} est complet : vous êtes sur la liste d'attente. {centre}",
	    "name", "waiting", "language", "en", "body", "{atelier} is full, you wait. {centre}",
	    "name", "offer", "language", "fr", "body",
	    "Place libre à {atelier} : répondez OUI sous {delai}. {centre}");
	ck_assert_msg(texts_update(t.db, changes, &admin, 1, &err) == 0, "%s", err.message);
	json_decref(changes);
	/* {delai} only where a place is offered */
	changes = json_pack("[{s:s, s:s, s:s}]", "name", "waiting", "language", "fr", "body",
	    "Attendez {delai}");
	ck_assert_int_eq(texts_update(t.db, changes, &admin, 1, &err), -1);
	ck_assert_str_eq(err.code, "unknown_variable");
	json_decref(changes);

	sched_waitlist_event(t.db, cfg, g, 1);
	sched_reply(t.db, cfg, "+33612345601", "oui", "2026-11-26T11:00:00+01:00", &intent);
	sched_reply(t.db, cfg, "+33612345602", "yes", "2026-11-26T11:10:00+01:00", &intent);
	sched_assert_last(t.db, "+33612345602", "Cuisine is full, you wait. Centre Brel");
	sched_reply(t.db, cfg, "+33612345603", "oui", "2026-11-26T11:20:00+01:00", &intent);
	sched_assert_last(t.db, "+33612345603", "Cuisine est complet : vous etes sur la liste "
	    "d'attente. Centre Brel");
	/* Awa says no: the place is offered to Bruno in English (the default), then... */
	sched_reply(t.db, cfg, "+33612345601", "non", "2026-11-27T10:00:00+01:00", &intent);
	sched_assert_last(t.db, "+33612345602", "Reply YES within 24 h to take it");
	/* ... Bruno says no: Chloé gets the French text changed, with its delay */
	sched_reply(t.db, cfg, "+33612345602", "no", "2026-11-27T11:00:00+01:00", &intent);
	sched_assert_last(t.db, "+33612345603", "Place libre à Cuisine : répondez OUI sous "
	    "24 h. Centre Brel");
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

START_TEST(sched_test_waitlist)
{
	struct config *cfg = sched_config();
	struct test_db t;
	struct error err = { 0 };
	enum intent intent;
	int64_t ids[3], all[5], g, emma, next;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	emma = sched_contact(t.db, "Emma", "06 12 34 56 05", "fr");
	memcpy(all, ids, sizeof(ids));
	all[3] = emma;
	all[4] = 4;	/* Denis, who sent STOP */
	ck_assert_int_eq(groups_set_members(t.db, g, all, 5, &sched_actor, 1, &err), 0);
	sched_waitlist_event(t.db, cfg, g, 2);
	ck_assert_int_eq(sched_count(t.db, "kind = 'campaign'"), 4);

	sched_reply(t.db, cfg, "+33612345601", "oui", "2026-11-26T11:00:00+01:00", &intent);
	sched_reply(t.db, cfg, "+33612345603", "Oui !", "2026-11-26T11:05:00+01:00", &intent);
	ck_assert_int_eq(sched_count(t.db, "kind = 'direct'"), 0);
	/* full: Bruno (English) then Emma wait, and are told so */
	sched_reply(t.db, cfg, "+33612345602", "yes", "2026-11-26T11:10:00+01:00", &intent);
	sched_assert_last(t.db, "+33612345602",
	    "It is full for now: you are on the waiting list");
	sched_reply(t.db, cfg, "+33612345605", "oui", "2026-11-26T11:20:00+01:00", &intent);
	sched_assert_last(t.db, "+33612345605", "C'est complet pour l'instant : vous etes sur "
	    "la liste d'attente, nous vous écrivons si une place se libère.");
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM rsvps WHERE answer = 'yes' AND "
	    "waiting_since IS NULL"), 2);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM rsvps WHERE waiting_since IS "
	    "NOT NULL"), 2);

	/* Bruno sends STOP; Awa says no: the place goes to Emma, not to Bruno */
	sched_reply(t.db, cfg, "+33612345602", "STOP", "2026-11-27T09:00:00+01:00", &intent);
	ck_assert_int_eq(intent, INTENT_STOP);
	sched_reply(t.db, cfg, "+33612345601", "non", "2026-11-27T10:00:00+01:00", &intent);
	sched_assert_last(t.db, "+33612345605",
	    "Une place s'est libérée : Cuisine, jeudi 3 décembre à 14h. Répondez OUI d'ici 24 h");
	ck_assert_int_eq(sched_count(t.db, "to_number = '+33612345605' AND event_occurrence = "
	    "202612031400 AND reply_until > 0 AND kind = 'direct'"), 1);
	ck_assert_int_eq(sched_count(t.db, "to_number = '+33612345602' AND body LIKE "
	    "'%place is free%'"), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM rsvp_history WHERE "
	    "step = 'skipped' AND contact_id = 2"), 1);

	/* Emma's oui takes it, and she is told */
	sched_reply(t.db, cfg, "+33612345605", "oui", "2026-11-27T12:00:00+01:00", &intent);
	sched_assert_last(t.db, "+33612345605", "C'est noté, la place est à vous");
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM rsvps WHERE answer = 'yes' AND "
	    "waiting_since IS NULL"), 2);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM rsvps WHERE waiting_since IS "
	    "NOT NULL OR offered_until IS NOT NULL"), 0);
	ck_assert_str_eq(sched_text(t.db, "SELECT group_concat(contact_id || ':' || answer || "
	    "':' || ifnull(step, '-'), ' ') FROM (SELECT * FROM rsvp_history ORDER BY id)"),
	    "1:yes:- 3:yes:- 2:yes:waiting 5:yes:waiting 1:no:- 2:none:skipped "
	    "5:yes:offered 5:yes:placed");
	/* Awa changes her mind: full, she waits; a third place opened by staff is hers */
	sched_reply(t.db, cfg, "+33612345601", "oui", "2026-11-27T13:00:00+01:00", &intent);
	sched_assert_last(t.db, "+33612345601", "vous etes sur la liste d'attente");
	ck_assert_int_eq(db_exec(t.db, "UPDATE events SET capacity = 3"), 0);
	ck_assert_int_eq(waitlist_pass(t.db, cfg, sched_time("2026-11-27T14:00:00+01:00"), &next),
	    0);
	sched_assert_last(t.db, "+33612345601", "Une place s'est libérée");
	ck_assert_int_eq(next, sched_time("2026-11-28T14:00:00+01:00"));
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/*
 * Capacity 1: an offer not answered in time passes to the next one
 * waiting; a late "oui" puts the first back at the end of the list.
 */
START_TEST(sched_test_waitlist_offer_ends)
{
	struct config *cfg = sched_config();
	struct test_db t;
	enum intent intent;
	int64_t ids[3], g, next;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	sched_waitlist_event(t.db, cfg, g, 1);
	sched_reply(t.db, cfg, "+33612345601", "oui", "2026-11-26T11:00:00+01:00", &intent);
	sched_reply(t.db, cfg, "+33612345602", "yes", "2026-11-26T11:10:00+01:00", &intent);
	sched_reply(t.db, cfg, "+33612345603", "oui", "2026-11-26T11:20:00+01:00", &intent);
	sched_reply(t.db, cfg, "+33612345601", "non", "2026-11-28T10:00:00+01:00", &intent);
	sched_assert_last(t.db, "+33612345602", "A place is free: Cuisine");
	ck_assert_int_eq(test_db_int(t.db, "SELECT offered_until FROM rsvps WHERE contact_id = 2"),
	    sched_time("2026-11-29T10:00:00+01:00"));

	/* not yet */
	ck_assert_int_eq(waitlist_pass(t.db, cfg, sched_time("2026-11-29T09:59:00+01:00"), &next),
	    0);
	ck_assert_int_eq(next, sched_time("2026-11-29T10:00:00+01:00"));
	ck_assert_int_eq(sched_count(t.db, "to_number = '+33612345603' AND body LIKE "
	    "'Une place%'"), 0);
	/* time is up: Bruno leaves the list, Chloé is asked */
	ck_assert_int_eq(waitlist_pass(t.db, cfg, sched_time("2026-11-29T10:00:00+01:00"), &next),
	    1);
	sched_assert_last(t.db, "+33612345603", "Une place s'est libérée");
	ck_assert_int_eq(next, sched_time("2026-11-30T10:00:00+01:00"));
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM rsvps WHERE contact_id = 2 AND "
	    "answer IS NULL AND waiting_since IS NULL"), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM rsvp_history WHERE "
	    "contact_id = 2 AND step = 'expired'"), 1);
	/* Bruno's late yes: the place is held for Chloé, he waits again */
	sched_reply(t.db, cfg, "+33612345602", "yes", "2026-11-29T11:00:00+01:00", &intent);
	ck_assert_int_eq(test_db_int(t.db, "SELECT waiting_since IS NOT NULL FROM rsvps WHERE "
	    "contact_id = 2"), 1);
	sched_reply(t.db, cfg, "+33612345603", "oui", "2026-11-29T12:00:00+01:00", &intent);
	ck_assert_int_eq(test_db_int(t.db, "SELECT contact_id FROM rsvps WHERE answer = 'yes' "
	    "AND waiting_since IS NULL"), 3);
	/* an offer is never held past the session's start */
	sched_reply(t.db, cfg, "+33612345603", "non", "2026-12-03T12:00:00+01:00", &intent);
	ck_assert_int_eq(test_db_int(t.db, "SELECT offered_until FROM rsvps WHERE contact_id = 2"),
	    sched_time("2026-12-03T14:00:00+01:00"));
	sched_assert_last(t.db, "+33612345602", "within 2 h");
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* A chase (Relancer) goes to those who have not answered; their OUI is the session's RSVP. */
START_TEST(sched_test_chase_reply)
{
	struct config *cfg = sched_config();
	struct chase_plan p;
	struct event e;
	struct event_occ o;
	struct error err = { 0 };
	struct queue_msg m;
	struct test_db t;
	enum intent intent;
	int64_t ids[3], g, ev, now = sched_time("2026-11-30T10:00:00+01:00");
	int sent;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	ev = sched_waitlist_event(t.db, cfg, g, 0);
	sched_reply(t.db, cfg, "+33612345601", "non", "2026-11-26T11:00:00+01:00", &intent);
	ck_assert_int_eq(events_load(t.db, ev, &e, &err), 0);
	ck_assert_int_eq(events_occurrence_get(t.db, &e, 202612031400, &o, &err), 0);
	ck_assert_int_eq(chase_plan(t.db, &e, &o, &p), 0);
	/* Bruno and Chloé; Awa said no, Denis sent STOP */
	ck_assert_uint_eq(p.to.n, 2);
	ck_assert_uint_eq(p.to.opted_out, 1);
	ck_assert_int_eq(chase_send(t.db, cfg, &e, &o, &p, "referente", now, &sent), 0);
	ck_assert_int_eq(sent, 2);
	chase_plan_clear(&p);
	event_clear(&e);
	ck_assert_str_eq(sched_last_to(t.db, "+33612345602"), "Hello Bruno, are you coming to "
	    "Cuisine on Thursday 3 December at 2pm, salle 2? Reply YES or NO. Centre Brel");
	ck_assert_str_eq(sched_last_to(t.db, "+33612345603"), "Bonjour Chloé, venez-vous à "
	    "Cuisine le jeudi 3 décembre à 14h, salle 2 ? Répondez OUI ou NON. Centre Brel");
	ck_assert_str_eq(sched_text(t.db, "SELECT encoding || parts FROM messages WHERE "
	    "to_number = '+33612345603' ORDER BY id DESC"), "gsm71");
	while (queue_claim_next(t.db, "modem", now, &m) == 1) {
		ck_assert_int_eq(queue_mark_sent(t.db, m.id, now), 0);
		queue_msg_clear(&m);
	}
	sched_reply(t.db, cfg, "+33612345603", "oui", "2026-11-30T11:00:00+01:00", &intent);
	ck_assert_str_eq(sched_text(t.db, "SELECT answer FROM rsvps WHERE contact_id = 3 AND "
	    "occurrence = 202612031400"), "yes");
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM chases WHERE sent = 2 AND "
	    "by_user = 'referente'"), 1);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* "At" a time, about an atelier: the text and the replies are about its next session. */
START_TEST(sched_test_at_about_event)
{
	struct config *cfg = sched_config();
	struct campaign c = { 0 };
	struct test_db t;
	int64_t ids[3], g, ev;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	ev = sched_event(t.db, "Cuisine", "2026-12-03T14:00:00+01:00", "FREQ=WEEKLY;COUNT=3", g);
	c.body = strdup("{prenom}, atelier {atelier} {date} à {heure}.");
	c.event_id = ev;
	c.ask_reply = true;
	c.schedule = CAMPAIGN_AT;
	c.at = sched_time("2026-12-05T10:00:00+01:00");
	sched_campaign(t.db, &c, g, sched_time("2026-12-01T09:00:00+01:00"));
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-05T10:00:00+01:00", NULL), 3);
	ck_assert_str_eq(sched_text(t.db, "SELECT body FROM messages WHERE to_number = "
	    "'+33612345601'"), "Awa, atelier Cuisine jeudi 10 décembre à 14h.");
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE "
	    "event_occurrence = 202612101400 AND reply_until = give_up_at"), 3);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/* A campaign "at" when, to the group, scheduled the day before; its id. */
static int64_t
sched_at(struct db *db, int64_t group, const char *when)
{
	struct campaign c = { 0 };

	c.body = strdup("Rappel : RDV CAF mardi 14h. {centre}");
	c.schedule = CAMPAIGN_AT;
	c.at = sched_time(when);
	return sched_campaign(db, &c, group, c.at - 24 * 3600);
}

/*
 * Issue 17: rappelctl restore runs scheduler_restored() inside its own
 * transaction.  Each occurrence due is recorded as missed in it, nothing
 * is queued, and a campaign that fails makes the whole call fail (the
 * caller rolls everything back); the daemon's pass goes on with the
 * others.  Before the fix each item's BEGIN failed inside the caller's
 * transaction, nothing was recorded, and scheduler_restored() said 0.
 */
START_TEST(sched_test_restored_in_transaction)
{
	struct config *cfg = sched_config();
	struct test_db t;
	int64_t ids[3], g, a, b, later, bad, good;
	char sql[256];

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	a = sched_at(t.db, g, "2026-12-01T10:00:00+01:00");
	b = sched_at(t.db, g, "2026-12-01T10:05:00+01:00");
	later = sched_at(t.db, g, "2026-12-01T12:00:00+01:00");
	ck_assert_int_eq(db_begin(t.db), 0);
	ck_assert_int_eq(scheduler_restored(t.db, cfg, sched_time("2026-12-01T10:30:00+01:00")),
	    0);
	ck_assert_int_eq(db_commit(t.db), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM campaign_runs WHERE "
	    "state = 'missed'"), 2);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM campaign_runs"), 2);
	ck_assert_int_eq(sched_count(t.db, "1"), 0);
	ck_assert_str_eq(sched_status(t.db, a), "done");
	ck_assert_str_eq(sched_status(t.db, b), "done");
	ck_assert_str_eq(sched_status(t.db, later), "scheduled");

	/* one campaign cannot be recorded: the call fails, the caller undoes all */
	bad = sched_at(t.db, g, "2026-12-01T11:00:00+01:00");
	good = sched_at(t.db, g, "2026-12-01T11:00:00+01:00");
	snprintf(sql, sizeof(sql), "CREATE TRIGGER refuse BEFORE INSERT ON campaign_runs "
	    "WHEN NEW.campaign_id = %lld BEGIN SELECT RAISE(ABORT, 'refused'); END",
	    (long long)bad);
	ck_assert_int_eq(db_exec(t.db, sql), 0);
	ck_assert_int_eq(db_begin(t.db), 0);
	ck_assert_int_eq(scheduler_restored(t.db, cfg, sched_time("2026-12-01T11:30:00+01:00")),
	    -1);
	snprintf(sql, sizeof(sql), "SELECT state FROM campaign_runs WHERE campaign_id = %lld",
	    (long long)good);
	ck_assert_str_eq(sched_text(t.db, sql), "missed");	/* the others went on */
	db_rollback(t.db);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM campaign_runs"), 2);
	/* rappeld's pass, on its own: the good one is queued, the bad one retried later */
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-01T11:30:00+01:00", NULL), 3);
	ck_assert_str_eq(sched_status(t.db, bad), "scheduled");
	ck_assert_str_eq(sched_status(t.db, good), "done");
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

/*
 * Issue 26, the helping relative: Awa's daughter reads the SMS for her.
 * Every number of Awa's that receives the SMS gets the invitation (not
 * her landline), once each, a second pass adds nothing; a STOP from the
 * daughter's number stops that number only; a cancelled session is told
 * to every number written to; the daughter's OUI is Awa's answer.
 */
START_TEST(sched_test_helping_relative)
{
	const char *offsets[] = { "-7d@10:00" };
	struct config *cfg = sched_config();
	struct contact c = { 0 };
	struct error err = { 0 };
	struct queue_msg m;
	struct test_db t;
	struct event e;
	enum intent intent;
	int64_t ids[3], g, ev, now;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	g = sched_group(t.db, ids);
	ck_assert_int_eq(contacts_load(t.db, ids[0], &c, &err), 0);
	ck_assert_int_eq(contact_add_phone(&c, "06 12 34 56 91", "sa fille", true, "phone",
	    NULL, &err), 0);
	ck_assert_int_eq(contact_add_phone(&c, "03 21 44 55 66", "maison", false, "phone",
	    NULL, &err), 0);
	ck_assert_msg(contacts_save(t.db, &c, &sched_actor, 1, &err) == 0, "%s", err.message);
	contact_clear(&c);
	ev = sched_event(t.db, "Couture", "2026-12-03T14:00:00+01:00", "FREQ=WEEKLY;COUNT=2", g);
	sched_event_campaign(t.db, ev, g, offsets, 1, "2026-11-20T09:00:00+01:00");

	/* Awa's two mobiles, Bruno, Chloé: four messages, Awa counted once as a person */
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-11-26T10:00:00+01:00", NULL), 4);
	ck_assert_int_eq(sched_count(t.db, "contact_id = 1 AND event_occurrence = 202612031400"),
	    2);
	ck_assert_int_eq(sched_count(t.db, "to_number = '+33612345691'"), 1);
	ck_assert_int_eq(sched_count(t.db, "to_number = '+33321445566'"), 0);
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-11-26T10:05:00+01:00", NULL), 0);
	ck_assert_int_eq(sched_count(t.db, "event_occurrence = 202612031400"), 4);

	/* all sent; the daughter's OUI counts for Awa */
	now = sched_time("2026-11-26T10:01:00+01:00");
	while (queue_claim_next(t.db, "modem", now, &m) == 1) {
		ck_assert_int_eq(queue_mark_sent(t.db, m.id, now), 0);
		queue_msg_clear(&m);
	}
	sched_reply(t.db, cfg, "+33612345691", "oui", "2026-11-26T12:00:00+01:00", &intent);
	ck_assert_int_eq(intent, INTENT_YES);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM rsvps WHERE contact_id = 1 "
	    "AND occurrence = 202612031400 AND answer = 'yes'"), 1);

	/* the session is cancelled: both of Awa's numbers are told */
	ck_assert_int_eq(events_load(t.db, ev, &e, &err), 0);
	ck_assert_int_eq(sched_cancel(t.db, cfg, &e, 202612031400, "2026-11-28T12:00:00+01:00"), 4);
	ck_assert_int_eq(sched_count(t.db, "contact_id = 1 AND occurrence LIKE "
	    "'202612031400 cancelled%'"), 2);
	event_clear(&e);

	/* the daughter sends STOP: her number is left out next week, Awa's own is not */
	sched_reply(t.db, cfg, "+33612345691", "STOP", "2026-11-29T12:00:00+01:00", &intent);
	ck_assert_int_eq(intent, INTENT_STOP);
	ck_assert_int_eq(test_db_int(t.db, "SELECT opted_out_at IS NULL FROM contacts "
	    "WHERE id = 1"), 1);
	ck_assert_int_eq(sched_run(t.db, cfg, "2026-12-03T10:00:00+01:00", NULL), 3);
	ck_assert_int_eq(sched_count(t.db, "to_number = '+33612345691' AND "
	    "event_occurrence = 202612101400"), 0);
	ck_assert_int_eq(sched_count(t.db, "to_number = '+33612345601' AND "
	    "event_occurrence = 202612101400"), 1);
	test_db_close(&t);
	config_free(cfg);
}
END_TEST

static Suite *
scheduler_suite(void)
{
	Suite *s = suite_create("scheduler");
	TCase *tc = tcase_create("scheduler");

	tcase_add_test(tc, sched_test_once);
	tcase_add_test(tc, sched_test_helping_relative);
	tcase_add_test(tc, sched_test_unique_key);
	tcase_add_test(tc, sched_test_weekly_dst);
	tcase_add_test(tc, sched_test_late_pass);
	tcase_add_test(tc, sched_test_before_event);
	tcase_add_test(tc, sched_test_late_invitation);
	tcase_add_test(tc, sched_test_moved_occurrence);
	tcase_add_test(tc, sched_test_cancelled_occurrence);
	tcase_add_test(tc, sched_test_cancel_notice_default);
	tcase_add_test(tc, sched_test_chosen_session);
	tcase_add_test(tc, sched_test_no_reminder_after_no);
	tcase_add_test(tc, sched_test_cancel_campaign);
	tcase_add_test(tc, sched_test_give_up);
	tcase_add_test(tc, sched_test_dst_gap);
	tcase_add_test(tc, sched_test_validate);
	tcase_add_test(tc, sched_test_rsvp_routing);
	tcase_add_test(tc, sched_test_waitlist);
	tcase_add_test(tc, sched_test_waitlist_texts_edited);
	tcase_add_test(tc, sched_test_waitlist_offer_ends);
	tcase_add_test(tc, sched_test_chase_reply);
	tcase_add_test(tc, sched_test_at_about_event);
	tcase_add_test(tc, sched_test_restored_in_transaction);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(scheduler_suite)
