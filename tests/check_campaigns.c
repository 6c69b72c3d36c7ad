/*
 * check_campaigns — ateliers and campaigns end to end: the real rappeld
 * (no modem: messages stay queued), driven over HTTP as staff would.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"
#include "test_main.h"

static struct e2e E;
static struct e2e_client A;	/* admin */

static void
setup(void)
{
	e2e_start(&E);
	e2e_client_init(&A);
	ck_assert_int_eq(e2e_login(&E, &A, E2E_ADMIN, E2E_ADMIN_PW), 200);
}

static void
teardown(void)
{
	e2e_client_free(&A);
	e2e_stop(&E);
}

/* POST/PATCH as c, asserting the status; returns the JSON answer (to decref). */
static json_t *
call(struct e2e_client *c, const char *method, const char *path, const char *body,
    long want)
{
	struct e2e_resp r;
	json_t *j;

	e2e_call(&E, c, method, path, body, &r);
	ck_assert_msg(r.status == want, "%s %s: %ld (want %ld): %s", method, path, r.status,
	    want, r.body);
	j = json_incref(r.json);
	e2e_resp_free(&r);
	return j;
}

static json_int_t
id_of(json_t *j)
{
	json_int_t id = json_integer_value(json_object_get(j, "id"));

	json_decref(j);
	return id;
}

/* A group of 4: three mobiles (Zoé in English) and one landline. */
static json_int_t
make_group(void)
{
	json_int_t ids[4];
	char body[256];

	ids[0] = id_of(call(&A, "POST", "/api/v1/contacts",
	    "{\"first_name\":\"Awa\",\"last_name\":\"Diallo\",\"phone\":\"06 12 34 56 01\"}", 201));
	ids[1] = id_of(call(&A, "POST", "/api/v1/contacts",
	    "{\"first_name\":\"Élodie\",\"last_name\":\"Petit\",\"phone\":\"06 12 34 56 02\"}", 201));
	ids[2] = id_of(call(&A, "POST", "/api/v1/contacts", "{\"first_name\":\"Zoé\","
	    "\"last_name\":\"Smith\",\"phone\":\"06 12 34 56 03\",\"language\":\"en\"}", 201));
	ids[3] = id_of(call(&A, "POST", "/api/v1/contacts",
	    "{\"first_name\":\"Fixe\",\"last_name\":\"Maison\",\"phone\":\"03 21 00 00 09\"}", 201));
	snprintf(body, sizeof(body), "{\"name\":\"Seniors\",\"contact_ids\":[%lld,%lld,%lld,%lld]}",
	    (long long)ids[0], (long long)ids[1], (long long)ids[2], (long long)ids[3]);
	return id_of(call(&A, "POST", "/api/v1/groups", body, 201));
}

static void
iso_in(int seconds, char *out, size_t len)
{
	time_t t = time(NULL) + seconds;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The day in days (UTC) at 14:00 UTC: an afternoon in Paris, whatever the hour now. */
static void
iso_day_at_14(int days, char *out, size_t len)
{
	time_t t = time(NULL) + (time_t)days * 24 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	tm.tm_hour = 14;
	tm.tm_min = tm.tm_sec = 0;
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Waits until GET path answers an array of n items (10 s at most); returns the array. */
static json_t *
wait_for(const char *path, size_t n)
{
	json_t *j = NULL;
	int i;

	for (i = 0; i < 100; i++) {
		json_decref(j);
		j = call(&A, "GET", path, NULL, 200);
		if (json_array_size(j) == n)
			return j;
		usleep(100 * 1000);
	}
	ck_abort_msg("%s: %zu items, want %zu", path, json_array_size(j), n);
	return NULL;
}

START_TEST(test_event_weekly)
{
	json_t *j, *occ;
	json_int_t id;
	char path[128];

	j = call(&A, "POST", "/api/v1/events", "{\"title\":\"Atelier informatique\","
	    "\"place\":\"Salle 2\",\"starts_at\":\"2026-10-15T14:00:00+02:00\","
	    "\"ends_at\":\"2026-10-15T16:00:00+02:00\",\"capacity\":8,"
	    "\"rrule\":\"FREQ=WEEKLY;BYDAY=TH;COUNT=10\"}", 201);
	ck_assert_str_eq(json_string_value(json_object_get(j, "rrule")),
	    "FREQ=WEEKLY;BYDAY=TH;COUNT=10");
	id = id_of(j);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/occurrences?from=2026-10-01&to=2027-01-01",
	    (long long)id);
	occ = call(&A, "GET", path, NULL, 200);
	ck_assert_uint_eq(json_array_size(occ), 10);
	/* 14:00 local before and after the end of summer time */
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(occ, 0), "starts_at")),
	    "2026-10-15T14:00:00+02:00");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(occ, 9), "starts_at")),
	    "2026-12-17T14:00:00+01:00");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(occ, 9),
	    "occurrence")), 202612171400);
	json_decref(occ);

	/* one session cancelled, one moved */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/occurrences/202611051400", (long long)id);
	json_decref(call(&A, "PATCH", path, "{\"cancelled\":true}", 200));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/occurrences/202611121400", (long long)id);
	j = call(&A, "PATCH", path, "{\"starts_at\":\"2026-11-13T10:00:00+01:00\"}", 200);
	ck_assert(json_is_true(json_object_get(j, "moved")));
	ck_assert_str_eq(json_string_value(json_object_get(j, "ends_at")),
	    "2026-11-13T12:00:00+01:00");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/occurrences?from=2026-11-01&to=2026-11-20",
	    (long long)id);
	occ = call(&A, "GET", path, NULL, 200);
	ck_assert_uint_eq(json_array_size(occ), 3);
	ck_assert(json_is_true(json_object_get(json_array_get(occ, 0), "cancelled")));
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(occ, 1), "starts_at")),
	    "2026-11-13T10:00:00+01:00");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(occ, 2), "starts_at")),
	    "2026-11-19T14:00:00+01:00");
	json_decref(occ);
	/* not a session of this atelier */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/occurrences/202611061400", (long long)id);
	json_decref(call(&A, "PATCH", path, "{\"cancelled\":true}", 404));
}
END_TEST

START_TEST(test_event_refused)
{
	struct e2e_resp r;

	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/events", "{\"title\":\"X\","
	    "\"starts_at\":\"2026-10-15T14:00:00+02:00\",\"rrule\":\"FREQ=SOMETIMES\"}", &r), 400);
	ck_assert_str_eq(e2e_error_field(&r), "rrule");
	e2e_resp_free(&r);
	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/events", "{\"title\":\"X\","
	    "\"starts_at\":\"2026-10-15T14:00:00+02:00\",\"ends_at\":\"2026-10-15T13:00:00+02:00\"}",
	    &r), 400);
	ck_assert_str_eq(e2e_error_field(&r), "ends_at");
	e2e_resp_free(&r);
	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/events", "{\"starts_at\":"
	    "\"2026-10-15T14:00:00+02:00\"}", &r), 400);
	ck_assert_str_eq(e2e_error_field(&r), "title");
	e2e_resp_free(&r);
	/* a first date the rule does not describe (issue 25): refused, with the rule's first */
	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/events", "{\"title\":\"Couture\","
	    "\"starts_at\":\"2026-12-05T09:00:00+01:00\","
	    "\"rrule\":\"FREQ=MONTHLY;BYDAY=-1SA;COUNT=8\"}", &r), 400);
	ck_assert_str_eq(e2e_error_field(&r), "starts_at");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r.json, "error"),
	    "suggestion")), "2026-12-26T09:00:00+01:00");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_object_get(r.json,
	    "error"), "message")), "samedi 26 décembre"));
	e2e_resp_free(&r);
	json_t *list = call(&A, "GET", "/api/v1/events", NULL, 200);
	ck_assert_uint_eq(json_array_size(list), 0);
	json_decref(list);
}
END_TEST

/* An animateur sees and writes about their own ateliers only. */
START_TEST(test_event_roles)
{
	struct e2e_client anim;
	json_int_t theirs, mine;
	json_t *list;
	char path[64], body[256];

	theirs = id_of(call(&A, "POST", "/api/v1/events", "{\"title\":\"Conseil\","
	    "\"starts_at\":\"2026-12-03T18:00:00+01:00\"}", 201));
	e2e_client_init(&anim);
	ck_assert_int_eq(e2e_login(&E, &anim, E2E_ANIMATEUR, E2E_ANIMATEUR_PW), 200);
	mine = id_of(call(&anim, "POST", "/api/v1/events", "{\"title\":\"Couture\","
	    "\"starts_at\":\"2026-12-04T14:00:00+01:00\"}", 201));
	list = call(&anim, "GET", "/api/v1/events", NULL, 200);
	ck_assert_uint_eq(json_array_size(list), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(list, 0), "id")), mine);
	json_decref(list);
	snprintf(path, sizeof(path), "/api/v1/events/%lld", (long long)theirs);
	json_decref(call(&anim, "GET", path, NULL, 404));
	json_decref(call(&anim, "PATCH", path, "{\"title\":\"Pris\"}", 404));
	json_decref(call(&anim, "DELETE", path, NULL, 404));
	snprintf(body, sizeof(body), "{\"name\":\"x\",\"body\":\"Bonjour\",\"audience\":"
	    "{\"event_id\":%lld}}", (long long)theirs);
	json_decref(call(&anim, "POST", "/api/v1/campaigns", body, 403));
	snprintf(body, sizeof(body), "{\"name\":\"x\",\"body\":\"Bonjour\",\"audience\":"
	    "{\"event_id\":%lld}}", (long long)mine);
	json_decref(call(&anim, "POST", "/api/v1/campaigns", body, 201));
	/* their invitees only: no group or contact beyond the atelier's */
	snprintf(body, sizeof(body), "{\"name\":\"x\",\"body\":\"Bonjour\",\"audience\":"
	    "{\"event_id\":%lld,\"group_ids\":[%lld]}}", (long long)mine, (long long)make_group());
	json_decref(call(&anim, "POST", "/api/v1/campaigns", body, 403));
	/* other people's messages stay hidden */
	json_int_t msg = id_of(call(&A, "POST", "/api/v1/messages",
	    "{\"to\":\"06 12 34 56 78\",\"body\":\"RDV CAF mardi 14h\"}", 201));
	list = call(&A, "GET", "/api/v1/messages", NULL, 200);
	ck_assert_uint_eq(json_array_size(list), 1);
	json_decref(list);
	list = call(&anim, "GET", "/api/v1/messages", NULL, 200);
	ck_assert_uint_eq(json_array_size(list), 0);
	json_decref(list);
	snprintf(path, sizeof(path), "/api/v1/messages/%lld", (long long)msg);
	json_decref(call(&anim, "GET", path, NULL, 404));
	list = call(&A, "GET", "/api/v1/events", NULL, 200);
	ck_assert_uint_eq(json_array_size(list), 2);
	json_decref(list);
	e2e_client_free(&anim);
}
END_TEST

START_TEST(test_campaign_refused)
{
	struct e2e_resp r;

	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/campaigns", "{\"name\":\"x\","
	    "\"body\":\"Bonjour {prenom}, RDV à {ville}\"}", &r), 400);
	ck_assert_str_eq(e2e_error_code(&r), "unknown_variable");
	ck_assert_str_eq(e2e_error_field(&r), "body");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_object_get(r.json,
	    "error"), "message")), "{ville}"));
	e2e_resp_free(&r);
	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/campaigns", "{\"name\":\"x\","
	    "\"body\":\"Atelier le {date}\"}", &r), 400);
	ck_assert_str_eq(e2e_error_code(&r), "needs_event");
	e2e_resp_free(&r);
	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/campaigns", "{\"name\":\"x\","
	    "\"body\":\"Bonjour\",\"schedule\":{\"before_event\":[\"-1d@18:00\"]}}", &r), 400);
	ck_assert_str_eq(e2e_error_field(&r), "schedule");
	e2e_resp_free(&r);
	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/campaigns", "{\"name\":\"x\","
	    "\"body\":\"Bonjour\",\"schedule\":{\"at\":\"2020-01-01T10:00:00+01:00\"}}", &r), 201);
	e2e_resp_free(&r);
	/* scheduling a time that has passed */
	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/campaigns/1/schedule", NULL, &r), 400);
	ck_assert_str_eq(e2e_error_code(&r), "in_the_past");
	e2e_resp_free(&r);
}
END_TEST

START_TEST(test_campaign_preview)
{
	json_int_t g = make_group();
	json_t *p, *s, *t;
	char body[1024];

	/* "ê" forces UCS-2: 70 characters a part, and the transliterated cost is shown */
	snprintf(body, sizeof(body), "{\"body\":\"Bonjour {prenom}, la fête du quartier a lieu "
	    "samedi à 15h. Venez nombreux avec vos enfants ! Répondez OUI ou NON. {centre}\","
	    "\"bodies\":{\"en\":\"Hello {prenom}, neighbourhood party on Saturday at 3pm. "
	    "{centre}\"},\"audience\":{\"group_ids\":[%lld]},\"samples\":3}", (long long)g);
	p = call(&A, "POST", "/api/v1/campaigns/preview", body, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(p, "recipients")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(p, "left_out"),
	    "no_mobile")), 1);
	s = json_object_get(p, "samples");
	ck_assert_uint_eq(json_array_size(s), 3);
	t = json_array_get(s, 0);
	ck_assert_str_eq(json_string_value(json_object_get(t, "text")), "Bonjour Awa, la fête du "
	    "quartier a lieu samedi à 15h. Venez nombreux avec vos enfants ! Répondez OUI ou NON. "
	    "Centre social des tests");
	ck_assert_str_eq(json_string_value(json_object_get(t, "encoding")), "ucs2");
	ck_assert_int_eq(json_integer_value(json_object_get(t, "parts")), 2);
	t = json_array_get(s, 2);
	ck_assert_str_eq(json_string_value(json_object_get(t, "language")), "en");
	ck_assert_str_eq(json_string_value(json_object_get(t, "encoding")), "gsm7");
	ck_assert_int_eq(json_integer_value(json_object_get(t, "parts")), 1);
	/* 2 + 3 ("Élodie" is longer) + 1 SMS; transliterated, one each */
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(p, "cost"),
	    "sms_total")), 6);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(p, "transliterated"),
	    "saving_per_occurrence")), 3);
	json_decref(p);
}
END_TEST

/* Scheduled for now: one message per mobile recipient, at once; the campaign is done. */
START_TEST(test_campaign_now)
{
	json_int_t g = make_group(), id;
	json_t *c, *m;
	char body[512], at[32], path[128];
	size_t i;

	iso_in(0, at, sizeof(at));
	snprintf(body, sizeof(body), "{\"name\":\"Fête\",\"body\":\"Bonjour {prenom}, fête "
	    "samedi. {centre}\",\"audience\":{\"group_ids\":[%lld]},\"schedule\":{\"at\":\"%s\"}}",
	    (long long)g, at);
	c = call(&A, "POST", "/api/v1/campaigns", body, 201);
	ck_assert_str_eq(json_string_value(json_object_get(c, "status")), "draft");
	id = id_of(c);
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", (long long)id);
	json_decref(call(&A, "POST", path, NULL, 200));
	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld", (long long)id);
	m = wait_for(path, 3);
	for (i = 0; i < 3; i++)
		ck_assert_str_eq(json_string_value(json_object_get(json_array_get(m, i), "status")),
		    "queued");
	json_decref(m);
	/* the pass marks it done just after its last message is queued */
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld", (long long)id);
	c = call(&A, "GET", path, NULL, 200);
	for (i = 0; i < 50 && strcmp(json_string_value(json_object_get(c, "status")),
	    "done") != 0; i++) {
		json_decref(c);
		usleep(100 * 1000);
		c = call(&A, "GET", path, NULL, 200);
	}
	ck_assert_str_eq(json_string_value(json_object_get(c, "status")), "done");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(c, "messages"),
	    "queued")), 3);
	json_decref(c);
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/runs", (long long)id);
	m = call(&A, "GET", path, NULL, 200);
	ck_assert_uint_eq(json_array_size(m), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(m, 0), "left_out")), 1);
	json_decref(m);

	/* a restart queues nothing again */
	e2e_kill(&E);
	e2e_launch(&E);
	ck_assert_int_eq(e2e_login(&E, &A, E2E_ADMIN, E2E_ADMIN_PW), 200);
	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld", (long long)id);
	sleep(1);
	json_decref(wait_for(path, 3));
}
END_TEST

/* Cancel stops what is queued; a done or cancelled campaign no longer changes. */
START_TEST(test_campaign_cancel)
{
	json_int_t g = make_group(), id;
	json_t *m;
	char body[512], at[32], path[128];
	size_t i;

	iso_in(0, at, sizeof(at));
	snprintf(body, sizeof(body), "{\"name\":\"Fête\",\"body\":\"Bonjour {prenom}\","
	    "\"audience\":{\"group_ids\":[%lld]},\"schedule\":{\"at\":\"%s\"}}", (long long)g, at);
	id = id_of(call(&A, "POST", "/api/v1/campaigns", body, 201));
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", (long long)id);
	json_decref(call(&A, "POST", path, NULL, 200));
	json_decref(call(&A, "POST", path, NULL, 409));
	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld", (long long)id);
	json_decref(wait_for(path, 3));
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/cancel", (long long)id);
	json_decref(call(&A, "POST", path, NULL, 200));
	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld", (long long)id);
	m = call(&A, "GET", path, NULL, 200);
	for (i = 0; i < json_array_size(m); i++)
		ck_assert_str_eq(json_string_value(json_object_get(json_array_get(m, i), "status")),
		    "cancelled");
	json_decref(m);
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld", (long long)id);
	json_decref(call(&A, "PATCH", path, "{\"body\":\"Autre\"}", 409));

	/* a scheduled campaign cancelled before its time never queues anything */
	iso_in(3600, at, sizeof(at));
	snprintf(body, sizeof(body), "{\"name\":\"Plus tard\",\"body\":\"Bonjour\","
	    "\"audience\":{\"group_ids\":[%lld]},\"schedule\":{\"at\":\"%s\"}}", (long long)g, at);
	id = id_of(call(&A, "POST", "/api/v1/campaigns", body, 201));
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", (long long)id);
	json_decref(call(&A, "POST", path, NULL, 200));
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/cancel", (long long)id);
	json_decref(call(&A, "POST", path, NULL, 200));
	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld", (long long)id);
	m = call(&A, "GET", path, NULL, 200);
	ck_assert_uint_eq(json_array_size(m), 0);
	json_decref(m);

	/* a draft can be deleted */
	id = id_of(call(&A, "POST", "/api/v1/campaigns", "{\"name\":\"Brouillon\","
	    "\"body\":\"Bonjour\"}", 201));
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld", (long long)id);
	ck_assert_int_eq(e2e_status(&E, &A, "DELETE", path, NULL), 204);
	ck_assert_int_eq(e2e_status(&E, &A, "GET", path, NULL), 404);
}
END_TEST

/* An invitation relative to an atelier, scheduled late: it goes at once with the date in French. */
/* The status of campaign id. */
static char *
status_of(json_int_t id)
{
	static char status[16];
	char path[64];
	json_t *j;

	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld", (long long)id);
	j = call(&A, "GET", path, NULL, 200);
	snprintf(status, sizeof(status), "%s", json_string_value(json_object_get(j, "status")));
	json_decref(j);
	return status;
}

/* The body of reminders about atelier ev tied to invitation inv. */
static void
reminders_body(char *body, size_t len, json_int_t ev, json_int_t inv)
{
	snprintf(body, len, "{\"name\":\"Rappels\",\"body\":\"Rappel : {atelier} {date} à "
	    "{heure}.\",\"audience\":{\"event_id\":%lld},\"invitation_id\":%lld,"
	    "\"schedule\":{\"before_event\":[\"-1d@18:00\",\"0d@09:00\"]}}", (long long)ev,
	    (long long)inv);
}

/*
 * An invitation and the reminders tied to it (invitation_id): the
 * reminders of another atelier, and an answer for the cycle without an
 * atelier, are refused; the reminders are scheduled and cancelled with
 * the invitation, whose page lists their sends and texts.
 */
START_TEST(test_invitation_reminders)
{
	json_int_t g = make_group(), ev, other, inv, rem;
	json_t *j, *s;
	char body[1024], start[32], at[32], path[128];
	struct e2e_resp r;
	size_t i, reminders = 0;

	/* an atelier at 00:05 would have no reminder at 09:00 the same day */
	iso_day_at_14(3, start, sizeof(start));
	iso_in(24 * 3600, at, sizeof(at));
	snprintf(body, sizeof(body), "{\"title\":\"Couture\",\"place\":\"Salle 3\","
	    "\"starts_at\":\"%s\",\"rrule\":\"FREQ=WEEKLY;COUNT=4\",\"group_ids\":[%lld]}", start,
	    (long long)g);
	ev = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	snprintf(body, sizeof(body), "{\"title\":\"Jardin\",\"starts_at\":\"%s\"}", start);
	other = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	snprintf(body, sizeof(body), "{\"name\":\"Invitation couture\",\"body\":\"Couture "
	    "{date}. Répondez OUI ou NON.\",\"audience\":{\"event_id\":%lld},\"ask_reply\":true,"
	    "\"reply_for\":\"cycle\",\"schedule\":{\"at\":\"%s\"}}", (long long)ev, at);
	inv = id_of(call(&A, "POST", "/api/v1/campaigns", body, 201));

	e2e_call(&E, &A, "POST", "/api/v1/campaigns", "{\"name\":\"x\",\"body\":\"Bonjour\","
	    "\"reply_for\":\"cycle\"}", &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(e2e_error_code(&r), "needs_event");
	e2e_resp_free(&r);
	reminders_body(body, sizeof(body), other, inv);
	e2e_call(&E, &A, "POST", "/api/v1/campaigns", body, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(e2e_error_field(&r), "invitation_id");
	e2e_resp_free(&r);
	reminders_body(body, sizeof(body), ev, inv);
	rem = id_of(call(&A, "POST", "/api/v1/campaigns", body, 201));

	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", (long long)inv);
	json_decref(call(&A, "POST", path, NULL, 200));
	ck_assert_str_eq(status_of(rem), "scheduled");
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld", (long long)inv);
	j = call(&A, "GET", path, NULL, 200);
	ck_assert_str_eq(json_string_value(json_object_get(j, "reply_for")), "cycle");
	json_array_foreach(json_object_get(j, "sends"), i, s) {
		if (json_integer_value(json_object_get(s, "campaign_id")) != rem)
			continue;
		reminders++;
		ck_assert_str_eq(json_string_value(json_object_get(s, "kind")), "reminder");
		ck_assert_ptr_nonnull(json_string_value(json_object_get(s, "next_at")));
	}
	ck_assert_int_eq(reminders, 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "answers"),
	    "none")), 3);
	/* Zoé reads English: her text is there, the reminders' too */
	ck_assert_int_eq(json_array_size(json_object_get(j, "texts")), 4);
	json_decref(j);

	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/cancel", (long long)inv);
	json_decref(call(&A, "POST", path, NULL, 200));
	ck_assert_str_eq(status_of(rem), "cancelled");
}
END_TEST

/* A mistake seen after « Programmer »: the campaign, with its reminders, becomes a draft again. */
START_TEST(test_campaign_unschedule)
{
	json_int_t g = make_group(), ev, inv, rem;
	char body[1024], start[32], path[128];
	json_t *j;

	iso_in(5 * 24 * 3600, start, sizeof(start));
	snprintf(body, sizeof(body), "{\"title\":\"Chorale\",\"starts_at\":\"%s\","
	    "\"group_ids\":[%lld]}", start, (long long)g);
	ev = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	iso_in(2 * 24 * 3600, start, sizeof(start));
	snprintf(body, sizeof(body), "{\"name\":\"Chorale\",\"body\":\"Chorale {date}, venez ! "
	    "{centre}\",\"audience\":{\"event_id\":%lld},\"schedule\":{\"at\":\"%s\"}}",
	    (long long)ev, start);
	inv = id_of(call(&A, "POST", "/api/v1/campaigns", body, 201));
	snprintf(body, sizeof(body), "{\"name\":\"Rappels chorale\",\"body\":\"Rappel : chorale "
	    "{date}. {centre}\",\"invitation_id\":%lld,\"audience\":{\"event_id\":%lld},"
	    "\"schedule\":{\"before_event\":[\"-1d@18:00\"]}}", (long long)inv, (long long)ev);
	rem = id_of(call(&A, "POST", "/api/v1/campaigns", body, 201));
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", (long long)inv);
	json_decref(call(&A, "POST", path, NULL, 200));
	ck_assert_str_eq(status_of(rem), "scheduled");
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/unschedule", (long long)inv);
	j = call(&A, "POST", path, NULL, 200);
	ck_assert_str_eq(json_string_value(json_object_get(j, "status")), "draft");
	json_decref(j);
	ck_assert_str_eq(status_of(rem), "draft");
	/* corrected, then scheduled again */
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld", (long long)inv);
	json_decref(call(&A, "PATCH", path, "{\"body\":\"Chorale {date}, venez nombreux ! "
	    "{centre}\"}", 200));
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", (long long)inv);
	json_decref(call(&A, "POST", path, NULL, 200));
	ck_assert_str_eq(status_of(inv), "scheduled");
	ck_assert_str_eq(status_of(rem), "scheduled");
	/* a draft, or a campaign that has begun, is not unscheduled */
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/unschedule", (long long)inv);
	json_decref(call(&A, "POST", path, NULL, 200));
	json_decref(call(&A, "POST", path, NULL, 409));
}
END_TEST

START_TEST(test_campaign_before_event)
{
	json_int_t g = make_group(), ev, id;
	json_t *m;
	char body[1024], start[32], path[128];
	const char *text;
	bool listed;

	iso_in(3 * 24 * 3600, start, sizeof(start));
	snprintf(body, sizeof(body), "{\"title\":\"Cuisine\",\"place\":\"Salle 1\","
	    "\"starts_at\":\"%s\",\"group_ids\":[%lld]}", start, (long long)g);
	ev = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	snprintf(body, sizeof(body), "{\"name\":\"Invitation cuisine\",\"body\":\"{prenom}, "
	    "atelier {atelier} {date} à {heure}, {lieu}. Répondez OUI ou NON. {centre}\","
	    "\"audience\":{\"event_id\":%lld},\"ask_reply\":true,"
	    "\"schedule\":{\"before_event\":[\"-7d@10:00\",\"-1d@18:00\"]}}", (long long)ev);
	id = id_of(call(&A, "POST", "/api/v1/campaigns", body, 201));
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", (long long)id);
	json_decref(call(&A, "POST", path, NULL, 200));
	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld", (long long)id);
	m = wait_for(path, 3);
	text = json_string_value(json_object_get(json_array_get(m, 0), "body"));
	ck_assert_msg(strstr(text, "atelier Cuisine ") && strstr(text, ", Salle 1. Répondez"),
	    "%s", text);
	json_decref(m);
	/* cancelling the atelier cancels what is queued and the campaign */
	snprintf(path, sizeof(path), "/api/v1/events/%lld", (long long)ev);
	ck_assert_int_eq(e2e_status(&E, &A, "DELETE", path, NULL), 204);
	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld&status=cancelled",
	    (long long)id);
	json_decref(wait_for(path, 3));
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld", (long long)id);
	m = call(&A, "GET", path, NULL, 200);
	ck_assert_str_eq(json_string_value(json_object_get(m, "status")), "cancelled");
	json_decref(m);
	/* a mistake undone: the atelier comes back with its sessions, its campaign stays cancelled */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/restore", (long long)ev);
	m = call(&A, "POST", path, NULL, 200);
	ck_assert(json_is_null(json_object_get(m, "cancelled_at")));
	ck_assert_ptr_nonnull(json_object_get(m, "next_occurrence"));
	json_decref(m);
	json_decref(call(&A, "POST", path, NULL, 409));
	m = call(&A, "GET", "/api/v1/events", NULL, 200);
	listed = false;
	for (size_t i = 0; i < json_array_size(m); i++)
		listed |= json_integer_value(json_object_get(json_array_get(m, i), "id")) == ev;
	ck_assert_msg(listed, "the restored atelier is listed again");
	json_decref(m);
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld", (long long)id);
	m = call(&A, "GET", path, NULL, 200);
	ck_assert_str_eq(json_string_value(json_object_get(m, "status")), "cancelled");
	json_decref(m);
}
END_TEST

/* Staff mark answers and attendance by hand; the funders' CSV adds them up. */
START_TEST(test_rsvps_and_report)
{
	json_int_t g = make_group(), ev, stranger;
	json_t *r, *counts;
	struct e2e_resp resp;
	char body[512], path[160], disposition[128];

	snprintf(body, sizeof(body), "{\"title\":\"Repair café\",\"place\":\"Atelier\","
	    "\"starts_at\":\"2026-11-07T14:00:00+01:00\",\"ends_at\":"
	    "\"2026-11-07T17:00:00+01:00\",\"rrule\":\"FREQ=WEEKLY;COUNT=2\","
	    "\"group_ids\":[%lld]}", (long long)g);
	ev = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	stranger = id_of(call(&A, "POST", "/api/v1/contacts",
	    "{\"first_name\":\"Sans\",\"last_name\":\"Invitation\",\"phone\":\"0612345699\"}",
	    201));
	/* first session: Awa said yes on the phone and came, Élodie said no */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/rsvps/1?occurrence=202611071400",
	    (long long)ev);
	json_decref(call(&A, "PUT", path, "{\"answer\":\"yes\",\"present\":true}", 200));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/rsvps/2?occurrence=202611071400",
	    (long long)ev);
	r = call(&A, "PUT", path, "{\"answer\":\"no\"}", 200);
	counts = json_object_get(r, "counts");
	ck_assert_int_eq(json_integer_value(json_object_get(counts, "invited")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(counts, "yes")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(counts, "no")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(counts, "none")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(counts, "present")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r,
	    "rsvps"), 0), "first_name")), "Awa");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r,
	    "rsvps"), 0), "via")), "manual");
	json_decref(r);
	/* second session: Awa came again */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/rsvps/1?occurrence=202611141400",
	    (long long)ev);
	json_decref(call(&A, "PUT", path, "{\"present\":true}", 200));
	/* refused: not invited, not a session, a bad answer */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/rsvps/%lld?occurrence=202611071400",
	    (long long)ev, (long long)stranger);
	json_decref(call(&A, "PUT", path, "{\"answer\":\"yes\"}", 404));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/rsvps/1?occurrence=202611081400",
	    (long long)ev);
	json_decref(call(&A, "PUT", path, "{\"answer\":\"yes\"}", 404));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/rsvps/1?occurrence=202611071400",
	    (long long)ev);
	json_decref(call(&A, "PUT", path, "{\"answer\":\"peut-être\"}", 400));

	ck_assert_int_eq(e2e_call(&E, &A, "GET", "/api/v1/reports/sessions.csv?from=2026-11-01"
	    "&to=2026-12-01", NULL, &resp), 200);
	ck_assert_ptr_nonnull(strstr(resp.body, "Atelier;Lieu;Date;Heure;Séance;Invités;"
	    "SMS remis;Oui;Non;Sans réponse;Présents;En attente;Places restantes\r\n"));
	ck_assert_ptr_nonnull(strstr(resp.body, "Repair café;Atelier;07/11/2026;14:00;prévue;"
	    "4;0;1;1;2;1;0;\r\n"));
	ck_assert_ptr_nonnull(strstr(resp.body, "Repair café;Atelier;14/11/2026;14:00;prévue;"
	    "4;0;0;0;4;1;0;\r\n"));
	ck_assert_ptr_nonnull(strstr(resp.body, "Total;;;;;8;0;1;1;6;2;0;\r\n"));
	ck_assert_ptr_nonnull(strstr(resp.body, "\r\nSéances passées;"));
	ck_assert_ptr_nonnull(strstr(resp.body, "\r\nSéances à venir;"));
	ck_assert(e2e_header(&resp, "Content-Disposition", disposition, sizeof(disposition)));
	ck_assert_str_eq(disposition, "attachment; filename=\"presences-2026-11-01_2026-11-30.csv\"");
	ck_assert_ptr_nonnull(strstr(resp.body, "Personnes différentes présentes;;;;;;;;;;1;;\r\n"));
	e2e_resp_free(&resp);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/report.csv?from=2026-11-10",
	    (long long)ev);
	ck_assert_int_eq(e2e_call(&E, &A, "GET", path, NULL, &resp), 200);
	ck_assert_ptr_null(strstr(resp.body, "07/11/2026"));
	ck_assert_ptr_nonnull(strstr(resp.body, "14/11/2026"));
	/* the atelier's file is named by its title */
	ck_assert(e2e_header(&resp, "Content-Disposition", disposition, sizeof(disposition)));
	ck_assert_msg(strncmp(disposition, "attachment; filename=\"presences-repair-cafe-2026-11-10_",
	    55) == 0, "%s", disposition);
	e2e_resp_free(&resp);
}
END_TEST

/* The count of key in the counts of a session's answer. */
static json_int_t
count_of(json_t *session, const char *key)
{
	return json_integer_value(json_object_get(json_object_get(session, "counts"), key));
}

/* Asserts that the last message to contact id contains text. */
static void
assert_last_message(json_int_t id, const char *text)
{
	char path[96];
	json_t *list;
	const char *body;

	snprintf(path, sizeof(path), "/api/v1/messages?contact_id=%lld", (long long)id);
	list = call(&A, "GET", path, NULL, 200);
	body = json_string_value(json_object_get(json_array_get(list, 0), "body"));
	ck_assert_msg(body && strstr(body, text), "last message to %lld: %s (want %s)",
	    (long long)id, body ? body : "none", text);
	json_decref(list);
}

/* Sets contact's answer for the next session of ev by hand; the session's JSON (to decref). */
static json_t *
answer_by_hand(json_int_t ev, json_int_t contact, const char *answer)
{
	char path[96], body[48];

	snprintf(path, sizeof(path), "/api/v1/events/%lld/rsvps/%lld", (long long)ev,
	    (long long)contact);
	snprintf(body, sizeof(body), "{\"answer\":\"%s\"}", answer);
	return call(&A, "PUT", path, body, 200);
}

/*
 * Capacity 2, answers set by staff: the third yes waits and is told so in
 * English; withdrawing a yes offers the place to them; the counts and the
 * report say who comes, who waits and how many places are left.
 */
START_TEST(test_waitlist_by_staff)
{
	json_int_t g = make_group(), ev;
	json_t *r;
	struct e2e_resp resp;
	char body[512], path[160], start[32], end[32];

	iso_in(7 * 24 * 3600, start, sizeof(start));
	iso_in(7 * 24 * 3600 + 7200, end, sizeof(end));
	snprintf(body, sizeof(body), "{\"title\":\"Couture\",\"place\":\"Salle 1\","
	    "\"starts_at\":\"%s\",\"ends_at\":\"%s\",\"capacity\":2,\"group_ids\":[%lld]}",
	    start, end, (long long)g);
	ev = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	json_decref(answer_by_hand(ev, 1, "yes"));
	r = answer_by_hand(ev, 2, "yes");
	ck_assert_int_eq(count_of(r, "places_left"), 0);
	json_decref(r);
	/* full: Zoé waits, and gets the waiting SMS in English */
	r = answer_by_hand(ev, 3, "yes");
	ck_assert_int_eq(count_of(r, "yes"), 2);
	ck_assert_int_eq(count_of(r, "waiting"), 1);
	ck_assert_int_eq(count_of(r, "none"), 1);
	ck_assert_int_eq(count_of(r, "capacity"), 2);
	ck_assert(json_is_true(json_object_get(json_array_get(json_object_get(r, "rsvps"), 3),
	    "waiting")));
	json_decref(r);
	assert_last_message(3, "It is full for now: you are on the waiting list");
	/* Awa is taken off by staff: the place is offered to Zoé and held for her */
	r = answer_by_hand(ev, 1, "none");
	ck_assert_int_eq(count_of(r, "yes"), 1);
	ck_assert_int_eq(count_of(r, "places_left"), 0);
	ck_assert(json_is_string(json_object_get(json_array_get(json_object_get(r, "rsvps"), 3),
	    "offered_until")));
	json_decref(r);
	assert_last_message(3, "A place is free: Couture");
	/* she said yes on the phone: the place is hers */
	r = answer_by_hand(ev, 3, "yes");
	ck_assert_int_eq(count_of(r, "yes"), 2);
	ck_assert_int_eq(count_of(r, "waiting"), 0);
	json_decref(r);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/report.csv", (long long)ev);
	ck_assert_int_eq(e2e_call(&E, &A, "GET", path, NULL, &resp), 200);
	ck_assert_msg(strstr(resp.body, "prévue;4;0;2;0;2;0;0;0\r\n") != NULL, "%s", resp.body);
	e2e_resp_free(&resp);
	/* full again: a yes given on the phone to the landline's owner waits too */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/calls", (long long)ev);
	json_decref(call(&A, "POST", path, "{\"contact_id\":4,\"outcome\":\"yes\"}", 200));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/rsvps", (long long)ev);
	r = call(&A, "GET", path, NULL, 200);
	ck_assert_int_eq(count_of(r, "yes"), 2);
	ck_assert_int_eq(count_of(r, "waiting"), 1);
	json_decref(r);
}
END_TEST

/*
 * Relancer: the preview lists those who have not answered and can get an
 * SMS, with the text and its cost; the chase goes to them only, never to
 * a "non" or a STOP; a second one must be confirmed.  The dashboard's
 * coming sessions say how many are without an answer.
 */
START_TEST(test_chase)
{
	struct e2e_client anim;
	json_int_t g = make_group(), ev, denis;
	json_t *r, *list, *o;
	struct e2e_resp resp;
	char body[512], path[160], start[32], end[32];
	size_t i;
	bool found = false;

	denis = id_of(call(&A, "POST", "/api/v1/contacts",
	    "{\"first_name\":\"Denis\",\"last_name\":\"Roux\",\"phone\":\"06 12 34 56 05\"}", 201));
	snprintf(path, sizeof(path), "/api/v1/contacts/%lld", (long long)denis);
	json_decref(call(&A, "PATCH", path, "{\"opted_out\":true}", 200));
	iso_in(3 * 24 * 3600, start, sizeof(start));
	iso_in(3 * 24 * 3600 + 7200, end, sizeof(end));
	snprintf(body, sizeof(body), "{\"title\":\"Couture\",\"place\":\"Salle 1\","
	    "\"starts_at\":\"%s\",\"ends_at\":\"%s\",\"group_ids\":[%lld],"
	    "\"contact_ids\":[%lld]}", start, end, (long long)g, (long long)denis);
	ev = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	json_decref(answer_by_hand(ev, 1, "no"));
	json_decref(answer_by_hand(ev, 2, "yes"));

	/* the preview: Zoé only, in English; the landline and the STOP left out */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/chase", (long long)ev);
	r = call(&A, "GET", path, NULL, 200);
	list = json_object_get(r, "recipients");
	ck_assert_uint_eq(json_array_size(list), 1);
	o = json_array_get(list, 0);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "contact_id")), 3);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(o, "text")),
	    "Hello Zoé, are you coming to Couture"));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "parts")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "sms")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "parts")), 1);
	ck_assert(json_is_null(json_object_get(r, "last")));
	list = json_object_get(r, "left_out");
	ck_assert_uint_eq(json_array_size(list), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "reason")),
	    "no_mobile");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 1), "reason")),
	    "stop");
	json_decref(r);

	/* sent to Zoé only */
	r = call(&A, "POST", path, NULL, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "sent")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "left_out")), 2);
	json_decref(r);
	json_decref(wait_for("/api/v1/messages?contact_id=3", 1));
	json_decref(wait_for("/api/v1/messages?contact_id=1", 0));
	json_decref(wait_for("/api/v1/messages?contact_id=2", 0));
	snprintf(body, sizeof(body), "/api/v1/messages?contact_id=%lld", (long long)denis);
	json_decref(wait_for(body, 0));

	/* a second chase says when the first went, and waits for a confirmation */
	ck_assert_int_eq(e2e_call(&E, &A, "POST", path, "{}", &resp), 409);
	ck_assert_str_eq(e2e_error_code(&resp), "already_chased");
	ck_assert_ptr_nonnull(strstr(resp.body, "Une relance a déjà été envoyée le "));
	e2e_resp_free(&resp);
	json_decref(wait_for("/api/v1/messages?contact_id=3", 1));
	r = call(&A, "GET", path, NULL, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(r, "last"), "sent")),
	    1);
	json_decref(r);
	json_decref(call(&A, "POST", path, "{\"confirm\":true}", 200));
	json_decref(wait_for("/api/v1/messages?contact_id=3", 2));

	/* the dashboard: this session, 3 still without an answer */
	list = call(&A, "GET", "/api/v1/reports/coming?days=7", NULL, 200);
	json_array_foreach(list, i, o) {
		if (json_integer_value(json_object_get(o, "event_id")) != ev)
			continue;
		found = true;
		ck_assert_int_eq(json_integer_value(json_object_get(o, "none")), 3);
		ck_assert_int_eq(json_integer_value(json_object_get(o, "yes")), 1);
	}
	ck_assert(found);
	json_decref(list);
	json_decref(call(&A, "GET", "/api/v1/reports/coming?days=0", NULL, 400));

	/* an animateur neither sees nor chases an atelier they do not run */
	e2e_client_init(&anim);
	ck_assert_int_eq(e2e_login(&E, &anim, E2E_ANIMATEUR, E2E_ANIMATEUR_PW), 200);
	json_decref(call(&anim, "GET", path, NULL, 404));
	json_decref(call(&anim, "POST", path, "{\"confirm\":true}", 404));
	list = call(&anim, "GET", "/api/v1/reports/coming", NULL, 200);
	ck_assert_uint_eq(json_array_size(list), 0);
	json_decref(list);
	e2e_client_free(&anim);
	json_decref(wait_for("/api/v1/messages?contact_id=3", 2));
}
END_TEST

/* The people of session json j, by contact id; NULL when not listed. */
static json_t *
person(json_t *j, json_int_t contact)
{
	json_t *people = json_object_get(j, "people"), *p;
	size_t i;

	json_array_foreach(people, i, p)
		if (json_integer_value(json_object_get(p, "contact_id")) == contact)
			return p;
	return NULL;
}

static bool
has_reason(json_t *p, const char *reason)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(p, "reasons"), i, v)
		if (strcmp(json_string_value(v), reason) == 0)
			return true;
	return false;
}

/* An atelier of group g whose session starts in `in` seconds; its key in *key. */
static json_int_t
calls_test_session(json_int_t g, int in, long long *key)
{
	char body[256], path[96], start[32];
	json_int_t ev;
	json_t *r;

	iso_in(in, start, sizeof(start));
	snprintf(body, sizeof(body), "{\"title\":\"Couture\",\"starts_at\":\"%s\","
	    "\"group_ids\":[%lld]}", start, (long long)g);
	ev = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/calls", (long long)ev);
	r = call(&A, "GET", path, NULL, 200);
	*key = json_integer_value(json_object_get(json_object_get(r, "session"), "occurrence"));
	ck_assert_ptr_null(person(r, 1));	/* nothing due for Awa yet */
	json_decref(r);
	return ev;
}

/* Stores a voice call from number, for contact (0: none), at now - ago, as the router leaves it. */
static void
calls_test_store(const char *number, json_int_t contact, long ago)
{
	char sql[512], who[32] = "NULL";
	long long at = (long long)(time(NULL) - ago);

	if (contact)
		snprintf(who, sizeof(who), "%lld", (long long)contact);
	snprintf(sql, sizeof(sql), "INSERT INTO replies (from_number, contact_id, body, "
	    "received_at, modem, dedupe_key, kind, intent, handled) VALUES ('%s', %s, '', "
	    "%lld, 'modem', 'call|%s|%lld', 'call', 'call', 0)", number, who, at, number, at);
	e2e_sql(&E, sql);
}

/* The entry of the callers of /calls for number, or NULL. */
static json_t *
caller(json_t *week, const char *number)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(week, "callers"), i, c)
		if (strcmp(json_string_value(json_object_get(c, "number")), number) == 0)
			return c;
	return NULL;
}

/*
 * Issue 26: « a appelé ».  An invitee who phoned the modem's number is on
 * the session's list with the reason "called", even after answering, until
 * a call back is recorded (not "no answer"), which also marks the call
 * handled in the inbox.  Someone who called and is on no session's list,
 * a contact or not, is among the week's callers; an old call is not.
 */
START_TEST(test_calls_called)
{
	json_int_t g = make_group(), ev, stranger;
	json_t *r, *p, *week, *c;
	char path[160];
	long long key;

	ev = calls_test_session(g, 10 * 24 * 3600, &key);
	stranger = id_of(call(&A, "POST", "/api/v1/contacts", "{\"first_name\":\"Sans\","
	    "\"last_name\":\"Invitation\",\"phone\":\"0612345699\"}", 201));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/rsvps/1?occurrence=%lld",
	    (long long)ev, key);
	json_decref(call(&A, "PUT", path, "{\"answer\":\"yes\"}", 200));

	/* Awa (who said yes), a contact with no invitation, a stranger, an old call */
	calls_test_store("+33612345601", 1, 60);
	calls_test_store("+33612345699", stranger, 120);
	calls_test_store("+33699887766", 0, 180);
	calls_test_store("+33612345602", 2, 30 * 24 * 3600);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/calls?occurrence=%lld",
	    (long long)ev, key);
	r = call(&A, "GET", path, NULL, 200);
	p = person(r, 1);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(json_array_size(json_object_get(p, "reasons")), 1);
	ck_assert(has_reason(p, "called"));
	ck_assert(json_is_string(json_object_get(p, "called_at")));
	ck_assert_ptr_null(person(r, 2));	/* called a month ago */
	json_decref(r);
	week = call(&A, "GET", "/api/v1/calls?days=31", NULL, 200);
	ck_assert_ptr_null(caller(week, "+33612345601"));	/* in the session's list */
	ck_assert_ptr_null(caller(week, "+33612345602"));
	c = caller(week, "+33612345699");
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "contact_id")), stranger);
	ck_assert_str_eq(json_string_value(json_object_get(c, "first_name")), "Sans");
	c = caller(week, "+33699887766");
	ck_assert_ptr_nonnull(c);
	ck_assert(json_is_null(json_object_get(c, "contact_id")));
	ck_assert_int_eq(json_array_size(json_object_get(c, "reply_ids")), 1);
	ck_assert_int_eq(json_array_size(json_object_get(week, "callers")), 2);
	json_decref(week);

	/* nobody picks up: still listed; she is reached: off the list, her call handled */
	r = call(&A, "POST", path, "{\"contact_id\":1,\"outcome\":\"no_answer\"}", 200);
	ck_assert_ptr_nonnull(person(r, 1));
	json_decref(r);
	r = call(&A, "POST", path, "{\"contact_id\":1,\"outcome\":\"yes\"}", 200);
	ck_assert_ptr_null(person(r, 1));
	json_decref(r);
	r = call(&A, "GET", "/api/v1/replies?contact_id=1", NULL, 200);
	ck_assert_int_eq(json_array_size(r), 1);
	ck_assert(json_is_true(json_object_get(json_array_get(r, 0), "handled")));
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r, 0), "kind")),
	    "call");
	json_decref(r);
	/* the stranger's call handled from the inbox: off the callers */
	week = call(&A, "GET", "/api/v1/calls", NULL, 200);
	snprintf(path, sizeof(path), "/api/v1/replies/%lld", (long long)json_integer_value(
	    json_array_get(json_object_get(caller(week, "+33699887766"), "reply_ids"), 0)));
	json_decref(week);
	json_decref(call(&A, "PATCH", path, "{\"handled\":true}", 200));
	week = call(&A, "GET", "/api/v1/calls", NULL, 200);
	ck_assert_ptr_null(caller(week, "+33699887766"));
	ck_assert_ptr_nonnull(caller(week, "+33612345699"));
	json_decref(week);
}
END_TEST

/*
 * The list of people to phone about a session that starts in 10 hours:
 * not Awa (said yes), not Zoé (STOP); the landline, Élodie whose SMS
 * failed, the one who did not answer.  A call with an answer is the RSVP
 * (via phone) and takes the person off the list; "no answer" keeps them.
 */
START_TEST(test_calls_list)
{
	json_int_t g = make_group(), ev, later, stranger;
	json_t *r, *p, *week;
	char body[512], path[160], start[32], sql[512];
	long long key;

	iso_in(10 * 3600, start, sizeof(start));
	snprintf(body, sizeof(body), "{\"title\":\"Cuisine\",\"place\":\"Salle 2\","
	    "\"starts_at\":\"%s\",\"group_ids\":[%lld]}", start, (long long)g);
	ev = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	iso_in(10 * 24 * 3600, start, sizeof(start));
	snprintf(body, sizeof(body), "{\"title\":\"Sortie\",\"starts_at\":\"%s\","
	    "\"group_ids\":[%lld]}", start, (long long)g);
	later = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	stranger = id_of(call(&A, "POST", "/api/v1/contacts",
	    "{\"first_name\":\"Sans\",\"last_name\":\"Invitation\",\"phone\":\"0612345699\"}",
	    201));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/calls", (long long)ev);
	r = call(&A, "GET", path, NULL, 200);
	key = json_integer_value(json_object_get(json_object_get(r, "session"), "occurrence"));
	ck_assert_int_eq(json_array_size(json_object_get(r, "people")), 4);
	json_decref(r);

	/* Awa answers yes, Zoé sends STOP, Élodie's invitation failed */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/rsvps/1?occurrence=%lld",
	    (long long)ev, key);
	json_decref(call(&A, "PUT", path, "{\"answer\":\"yes\"}", 200));
	json_decref(call(&A, "PATCH", "/api/v1/contacts/3", "{\"opted_out\":true}", 200));
	snprintf(sql, sizeof(sql), "INSERT INTO messages (contact_id, to_number, body, encoding, "
	    "parts, concat_ref, kind, status, error, not_before, queued_at, event_id, "
	    "event_occurrence) VALUES (2, '+33612345602', 'Atelier cuisine demain', 'gsm7', 1, "
	    "7, 'campaign', 'failed', 'refusé par le réseau', 1, 1, %lld, %lld)",
	    (long long)ev, key);
	e2e_sql(&E, sql);

	snprintf(path, sizeof(path), "/api/v1/events/%lld/calls?occurrence=%lld",
	    (long long)ev, key);
	r = call(&A, "GET", path, NULL, 200);
	ck_assert_str_eq(json_string_value(json_object_get(r, "title")), "Cuisine");
	ck_assert_int_eq(json_array_size(json_object_get(r, "people")), 2);
	ck_assert_ptr_null(person(r, 1));
	ck_assert_ptr_null(person(r, 3));
	p = person(r, 2);
	ck_assert_ptr_nonnull(p);
	ck_assert(has_reason(p, "failed") && has_reason(p, "no_answer"));
	ck_assert(!has_reason(p, "no_mobile"));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(p, "message"),
	    "body")), "Atelier cuisine demain");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(p,
	    "numbers"), 0), "number")), "+33612345602");
	p = person(r, 4);
	ck_assert_ptr_nonnull(p);
	ck_assert(has_reason(p, "no_mobile"));
	ck_assert(json_is_false(json_object_get(json_array_get(json_object_get(p, "numbers"), 0),
	    "sms")));
	json_decref(r);

	/* the week: this session; the outing in 10 days is not in it */
	week = call(&A, "GET", "/api/v1/calls?days=7", NULL, 200);
	ck_assert_int_eq(json_array_size(json_object_get(week, "sessions")), 1);
	json_decref(week);
	/* over a month: the outing too, but only for the landline (no answer is due yet) */
	week = call(&A, "GET", "/api/v1/calls?days=31", NULL, 200);
	ck_assert_int_eq(json_array_size(json_object_get(week, "sessions")), 2);
	r = json_array_get(json_object_get(week, "sessions"), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "event_id")), later);
	ck_assert_int_eq(json_array_size(json_object_get(r, "people")), 1);
	ck_assert_ptr_nonnull(person(r, 4));
	json_decref(week);
	json_decref(call(&A, "GET", "/api/v1/calls?days=0", NULL, 400));
	json_decref(call(&A, "GET", "/api/v1/calls?from=demain", NULL, 400));

	/* Élodie says yes on the phone: her RSVP, via phone, and off the list */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/calls?occurrence=%lld",
	    (long long)ev, key);
	r = call(&A, "POST", path, "{\"contact_id\":2,\"outcome\":\"yes\","
	    "\"note\":\"vient avec sa voisine\"}", 200);
	ck_assert_ptr_null(person(r, 2));
	json_decref(r);
	/* the landline does not pick up: still on the list, with the call */
	r = call(&A, "POST", path, "{\"contact_id\":4,\"outcome\":\"no_answer\","
	    "\"note\":\"rappeler jeudi\"}", 200);
	p = person(r, 4);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(p, "call"),
	    "outcome")), "no_answer");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(p, "call"),
	    "note")), "rappeler jeudi");
	json_decref(r);
	json_decref(call(&A, "POST", path, "{\"contact_id\":4,\"outcome\":\"peut-être\"}",
	    400));
	snprintf(body, sizeof(body), "{\"contact_id\":%lld,\"outcome\":\"yes\"}",
	    (long long)stranger);
	json_decref(call(&A, "POST", path, body, 404));
	json_decref(call(&A, "POST", path, "{\"outcome\":\"yes\"}", 400));

	snprintf(path, sizeof(path), "/api/v1/events/%lld/rsvps?occurrence=%lld",
	    (long long)ev, key);
	r = call(&A, "GET", path, NULL, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(r, "counts"),
	    "yes")), 2);
	json_decref(r);
	r = call(&A, "GET", "/api/v1/audit?limit=5", NULL, 200);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r, 0), "action")),
	    "call");
	json_decref(r);
}
END_TEST

/*
 * An animateur sees and handles the replies about their own ateliers, and
 * nothing else: the inbox, a conversation, marking handled.
 */
/*
 * A conversation in the order it happened, also within one second (the
 * clock's step): the invitation, the OUI it brought, then the thanks
 * queued for that OUI.  The simulated families of the demo answer in
 * the second the invitation leaves.
 */
START_TEST(test_thread_in_order_within_a_second)
{
	json_t *list, *hist;
	const char *dir[3];
	size_t i;

	make_group();
	e2e_sql(&E, "INSERT INTO messages (id, contact_id, to_number, body, encoding, parts, "
	    "concat_ref, kind, status, not_before, queued_at, claimed_at, sent_at) VALUES "
	    "(501, 1, '+33612345601', 'Merci, c’est noté !', 'gsm7', 1, 8, 'system', 'sent', "
	    "100, 100, 100, 100), "
	    "(500, 1, '+33612345601', 'Atelier couture jeudi. Venez-vous ?', 'gsm7', 1, 7, "
	    "'campaign', 'sent', 100, 100, 100, 100)");
	e2e_sql(&E, "INSERT INTO replies (id, from_number, contact_id, body, received_at, modem, "
	    "dedupe_key, intent, handled) VALUES (1, '+33612345601', 1, 'OUI', 100, 'm', 'k1', "
	    "'yes', 1)");
	list = call(&A, "GET", "/api/v1/inbox/thread?contact_id=1", NULL, 200);
	ck_assert_int_eq(json_array_size(list), 3);
	for (i = 0; i < 3; i++)
		dir[i] = json_string_value(json_object_get(json_array_get(list, i), "body"));
	ck_assert_str_eq(dir[0], "Atelier couture jeudi. Venez-vous ?");
	ck_assert_str_eq(dir[1], "OUI");
	ck_assert_str_eq(dir[2], "Merci, c’est noté !");
	json_decref(list);
	/* the contact's history, newest first */
	hist = call(&A, "GET", "/api/v1/contacts/1/history", NULL, 200);
	list = json_object_get(hist, "items");
	ck_assert_int_eq(json_array_size(list), 3);
	for (i = 0; i < 3; i++)
		dir[i] = json_string_value(json_object_get(json_array_get(list, i), "body"));
	ck_assert_str_eq(dir[0], "Merci, c’est noté !");
	ck_assert_str_eq(dir[1], "OUI");
	ck_assert_str_eq(dir[2], "Atelier couture jeudi. Venez-vous ?");
	json_decref(hist);
}
END_TEST

START_TEST(test_animateur_inbox)
{
	struct e2e_client anim;
	json_int_t mine, theirs;
	json_t *list, *inbox;
	char sql[1024], path[96];

	make_group();
	e2e_client_init(&anim);
	ck_assert_int_eq(e2e_login(&E, &anim, E2E_ANIMATEUR, E2E_ANIMATEUR_PW), 200);
	mine = id_of(call(&anim, "POST", "/api/v1/events", "{\"title\":\"Couture\","
	    "\"starts_at\":\"2026-12-04T14:00:00+01:00\"}", 201));
	theirs = id_of(call(&A, "POST", "/api/v1/events", "{\"title\":\"Conseil\","
	    "\"starts_at\":\"2026-12-03T18:00:00+01:00\"}", 201));
	snprintf(sql, sizeof(sql), "INSERT INTO replies (id, from_number, contact_id, body, "
	    "received_at, modem, dedupe_key, intent, event_id, handled) VALUES "
	    "(1, '+33612345601', 1, 'Je viendrai à la couture', 100, 'm', 'k1', 'yes', %lld, 0), "
	    "(2, '+33612345602', 2, 'Pour le conseil je ne peux pas', 101, 'm', 'k2', 'no', %lld, 0), "
	    "(3, '+33612345601', 1, 'Et le conseil aussi', 102, 'm', 'k3', 'other', %lld, 0), "
	    "(4, '+33699999999', NULL, 'Qui est-ce ?', 103, 'm', 'k4', 'other', NULL, 0)",
	    (long long)mine, (long long)theirs, (long long)theirs);
	e2e_sql(&E, sql);

	list = call(&anim, "GET", "/api/v1/replies", NULL, 200);
	ck_assert_int_eq(json_array_size(list), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(list, 0), "id")), 1);
	json_decref(list);
	inbox = call(&anim, "GET", "/api/v1/inbox", NULL, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(inbox, "unhandled")), 1);
	ck_assert_int_eq(json_array_size(json_object_get(inbox, "threads")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(inbox,
	    "threads"), 0), "last_body")), "Je viendrai à la couture");
	json_decref(inbox);
	/* Awa's conversation shows her reply about the couture, not about the council */
	list = call(&anim, "GET", "/api/v1/inbox/thread?contact_id=1", NULL, 200);
	ck_assert_int_eq(json_array_size(list), 1);
	json_decref(list);
	list = call(&anim, "GET", "/api/v1/inbox/thread?number=%2B33699999999", NULL, 200);
	ck_assert_int_eq(json_array_size(list), 0);
	json_decref(list);
	json_decref(call(&anim, "PATCH", "/api/v1/replies/1", "{\"handled\":true}", 200));
	json_decref(call(&anim, "PATCH", "/api/v1/replies/2", "{\"handled\":true}", 404));
	json_decref(call(&anim, "PATCH", "/api/v1/replies/4", "{\"handled\":true}", 404));
	/* staff see everything, and reply 2 is still to handle */
	inbox = call(&A, "GET", "/api/v1/inbox", NULL, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(inbox, "unhandled")), 3);
	json_decref(inbox);
	/* an animateur's calls: their ateliers only */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/calls", (long long)theirs);
	json_decref(call(&anim, "GET", path, NULL, 404));
	e2e_client_free(&anim);
}
END_TEST

static Suite *
campaigns_suite(void)
{
	Suite *s = suite_create("campaigns");
	TCase *tc = tcase_create("campaigns");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_event_weekly);
	tcase_add_test(tc, test_event_refused);
	tcase_add_test(tc, test_event_roles);
	tcase_add_test(tc, test_campaign_refused);
	tcase_add_test(tc, test_campaign_preview);
	tcase_add_test(tc, test_campaign_now);
	tcase_add_test(tc, test_campaign_cancel);
	tcase_add_test(tc, test_campaign_before_event);
	tcase_add_test(tc, test_campaign_unschedule);
	tcase_add_test(tc, test_rsvps_and_report);
	tcase_add_test(tc, test_waitlist_by_staff);
	tcase_add_test(tc, test_chase);
	tcase_add_test(tc, test_calls_list);
	tcase_add_test(tc, test_calls_called);
	tcase_add_test(tc, test_animateur_inbox);
	tcase_add_test(tc, test_thread_in_order_within_a_second);
	tcase_add_test(tc, test_invitation_reminders);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(campaigns_suite)
