/*
 * check_calendar — the ateliers' calendars end to end: the real rappeld,
 * the links staff see, the feeds fetched without a session through their
 * secret link and read back with libical, as a calendar program would.
 */
#include <check.h>
#include <jansson.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "e2e.h"
#include "test_main.h"

static struct e2e E;
static struct e2e_client A;	/* admin */
static struct e2e_client N;	/* no session: a calendar program */

static void
setup(void)
{
	e2e_start_admin(&E, &A);
	e2e_client_init(&N);
}

static void
teardown(void)
{
	e2e_client_free(&A);
	e2e_client_free(&N);
	e2e_stop(&E);
}

static json_t *
call(struct e2e_client *c, const char *method, const char *path, const char *body,
    long status)
{
	return e2e_expect(&E, c, method, path, body, status);
}

static json_int_t
id_of(json_t *j)
{
	json_int_t id = json_integer_value(json_object_get(j, "id"));

	json_decref(j);
	ck_assert_int_gt(id, 0);
	return id;
}

/* What e2e_iso_in() wrote, back to Unix seconds. */
static time_t
parse_iso(const char *s)
{
	struct tm tm = { 0 };
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);

	ck_assert_msg(end != NULL && *end == '\0', "not a time: %s", s);
	return timegm(&tm);
}

/* GET path (a feed's link) without a session: the parsed VCALENDAR (icalcomponent_free). */
static icalcomponent *
feed(const char *path)
{
	struct e2e_resp r;
	icalcomponent *cal;
	char type[128];

	ck_assert_int_eq(e2e_request(&E, &N, "GET", path, NULL, NULL, 0, &r), 200);
	ck_assert(e2e_header(&r, "Content-Type", type, sizeof(type)));
	ck_assert_str_eq(type, "text/calendar; charset=utf-8");
	ck_assert_msg(strncmp(r.body, "BEGIN:VCALENDAR\r\n", 17) == 0, "%s", r.body);
	cal = icalparser_parse_string(r.body);
	ck_assert_ptr_nonnull(cal);
	ck_assert_int_eq(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	ck_assert_int_eq(icalcomponent_count_errors(cal), 0);
	ck_assert_str_eq(icalproperty_get_version(icalcomponent_get_first_property(cal,
	    ICAL_VERSION_PROPERTY)), "2.0");
	e2e_resp_free(&r);
	return cal;
}

/* The VEVENT of cal whose UID is uid, or NULL. */
static icalcomponent *
vevent(icalcomponent *cal, const char *uid)
{
	icalcomponent *c;

	for (c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
	    c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		if (strcmp(icalcomponent_get_uid(c), uid) == 0)
			return c;
	return NULL;
}

/*
 * A UTC date-time of the feed as Unix seconds, field by field: libical's
 * own icaltime_as_timet() takes a time_t, 32 bits in Debian 12's armhf
 * library but 64 in rappel's build there (meson.build).
 */
static time_t
utc_of(struct icaltimetype it)
{
	struct tm tm = { 0 };

	ck_assert_msg(icaltime_is_utc(it) && !it.is_date, "not a UTC date-time: %s",
	    icaltime_as_ical_string(it));
	tm.tm_year = it.year - 1900;
	tm.tm_mon = it.month - 1;
	tm.tm_mday = it.day;
	tm.tm_hour = it.hour;
	tm.tm_min = it.minute;
	tm.tm_sec = it.second;
	return timegm(&tm);
}

static time_t
start_of(icalcomponent *ev)
{
	return utc_of(icalcomponent_get_dtstart(ev));
}

/* A path of the links' answer: links.all, or the atelier id's among links.ateliers. */
static const char *
link_of(json_t *links, json_int_t id)
{
	json_t *item;
	size_t i;

	if (id == 0)
		return json_string_value(json_object_get(json_object_get(links, "all"), "path"));
	json_array_foreach(json_object_get(links, "ateliers"), i, item)
		if (json_integer_value(json_object_get(item, "event_id")) == id)
			return json_string_value(json_object_get(item, "path"));
	return NULL;
}

static long
status_of(const char *path)
{
	return e2e_status(&E, &N, "GET", path, NULL);
}

/*
 * A weekly atelier of 6 sessions, the second cancelled and the third
 * moved a day later, and a one-off atelier: the feed of every atelier
 * and the atelier's own list each session once, at its time, the
 * cancelled one as cancelled.
 */
START_TEST(test_feeds)
{
	json_t *links, *occ, *j;
	json_int_t weekly, once;
	icalcomponent *cal, *ev;
	char body[512], start[32], moved[32], path[160], uid[96];
	const char *all, *mine;
	int64_t keys[6];
	size_t i;

	e2e_iso_in(2 * 86400, start, sizeof(start));
	snprintf(body, sizeof(body), "{\"title\":\"Atelier informatique\",\"place\":"
	    "\"Salle 2, étage; fond\",\"starts_at\":\"%s\",\"rrule\":\"FREQ=WEEKLY;COUNT=6\"}",
	    start);
	weekly = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	e2e_iso_in(3 * 86400, start, sizeof(start));
	snprintf(body, sizeof(body), "{\"title\":\"Café des parents\",\"starts_at\":\"%s\"}",
	    start);
	once = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/occurrences?to=2099-01-01",
	    (long long)weekly);
	occ = call(&A, "GET", path, NULL, 200);
	ck_assert_uint_eq(json_array_size(occ), 6);
	for (i = 0; i < 6; i++)
		keys[i] = json_integer_value(json_object_get(json_array_get(occ, i), "occurrence"));
	json_decref(occ);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/occurrences/%lld", (long long)weekly,
	    (long long)keys[1]);
	json_decref(call(&A, "PATCH", path, "{\"cancelled\":true}", 200));
	e2e_iso_in(2 * 86400 + 15 * 86400, moved, sizeof(moved));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/occurrences/%lld", (long long)weekly,
	    (long long)keys[2]);
	snprintf(body, sizeof(body), "{\"starts_at\":\"%s\"}", moved);
	json_decref(call(&A, "PATCH", path, body, 200));

	links = call(&A, "GET", "/api/v1/calendars", NULL, 200);
	all = link_of(links, 0);
	mine = link_of(links, weekly);
	ck_assert_ptr_nonnull(all);
	ck_assert_ptr_nonnull(mine);
	ck_assert_ptr_nonnull(link_of(links, once));
	ck_assert_msg(strncmp(all, "/api/v1/calendar.ics?key=", 25) == 0, "%s", all);
	ck_assert_uint_eq(strlen(all), 25 + 43);
	/* the links stay the same until renewed */
	j = call(&A, "GET", "/api/v1/calendars", NULL, 200);
	ck_assert_str_eq(link_of(j, 0), all);
	ck_assert_str_eq(link_of(j, weekly), mine);
	json_decref(j);

	cal = feed(all);
	ck_assert_int_eq(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 7);
	for (i = 0; i < 6; i++) {
		snprintf(uid, sizeof(uid), "atelier-%lld-%lld@rappel", (long long)weekly,
		    (long long)keys[i]);
		ck_assert_msg((ev = vevent(cal, uid)) != NULL, "no session %s", uid);
		ck_assert_int_eq(icalcomponent_get_status(ev), i == 1 ? ICAL_STATUS_CANCELLED :
		    ICAL_STATUS_CONFIRMED);
		ck_assert_str_eq(icalcomponent_get_location(ev), "Salle 2, étage; fond");
		ck_assert_str_eq(icalcomponent_get_summary(ev), i == 1 ?
		    "Annulé : Atelier informatique" : "Atelier informatique");
		if (i == 2)
			ck_assert_int_eq(start_of(ev), parse_iso(moved));
		/* an hour long by default, moved or not */
		ck_assert_int_eq(utc_of(icalcomponent_get_dtend(ev)) - start_of(ev), 3600);
	}
	snprintf(uid, sizeof(uid), "atelier-%lld-", (long long)once);
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		if (strncmp(icalcomponent_get_uid(ev), uid, strlen(uid)) == 0)
			break;
	ck_assert_ptr_nonnull(ev);
	ck_assert_str_eq(icalcomponent_get_summary(ev), "Café des parents");
	ck_assert_int_eq(start_of(ev), parse_iso(start));
	icalcomponent_free(cal);

	/* the atelier's own feed: its sessions only */
	cal = feed(mine);
	ck_assert_int_eq(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 6);
	icalcomponent_free(cal);

	/* the whole atelier cancelled: its session is there, cancelled */
	snprintf(path, sizeof(path), "/api/v1/events/%lld", (long long)once);
	ck_assert_int_eq(e2e_status(&E, &A, "DELETE", path, NULL), 204);
	cal = feed(all);
	ck_assert_int_eq(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 7);
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		if (strncmp(icalcomponent_get_uid(ev), uid, strlen(uid)) == 0)
			ck_assert_int_eq(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
	icalcomponent_free(cal);
	json_decref(links);
}
END_TEST

/* Without the right key, a feed does not exist: 404, whatever is wrong. */
START_TEST(test_wrong_keys)
{
	json_t *links;
	json_int_t ev;
	char body[256], start[32], path[200];
	const char *all, *one;

	e2e_iso_in(86400, start, sizeof(start));
	snprintf(body, sizeof(body), "{\"title\":\"Couture\",\"starts_at\":\"%s\"}", start);
	ev = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	links = call(&A, "GET", "/api/v1/calendars", NULL, 200);
	all = link_of(links, 0);
	one = link_of(links, ev);
	ck_assert_int_eq(status_of(all), 200);
	ck_assert_int_eq(status_of(one), 200);
	ck_assert_int_eq(status_of("/api/v1/calendar.ics"), 404);
	ck_assert_int_eq(status_of("/api/v1/calendar.ics?key="), 404);
	/* the same length, one letter changed */
	snprintf(path, sizeof(path), "%s", all);
	path[strlen(path) - 1] = path[strlen(path) - 1] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(status_of(path), 404);
	/* one feed's key does not open another */
	snprintf(path, sizeof(path), "/api/v1/calendar.ics?key=%s", strchr(one, '=') + 1);
	ck_assert_int_eq(status_of(path), 404);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/calendar.ics?key=%s", (long long)ev + 1,
	    strchr(one, '=') + 1);
	ck_assert_int_eq(status_of(path), 404);
	json_decref(links);
}
END_TEST

/* Renewing a link stops the old one at once; the other links go on. */
START_TEST(test_renew)
{
	json_t *links, *renewed;
	json_int_t ev;
	char body[256], start[32], old_all[128], old_one[128];
	const char *path;

	e2e_iso_in(86400, start, sizeof(start));
	snprintf(body, sizeof(body), "{\"title\":\"Couture\",\"starts_at\":\"%s\"}", start);
	ev = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	links = call(&A, "GET", "/api/v1/calendars", NULL, 200);
	snprintf(old_all, sizeof(old_all), "%s", link_of(links, 0));
	snprintf(old_one, sizeof(old_one), "%s", link_of(links, ev));
	json_decref(links);

	renewed = call(&A, "POST", "/api/v1/calendars/renew", "{\"event_id\":null}", 200);
	path = json_string_value(json_object_get(renewed, "path"));
	ck_assert_str_ne(path, old_all);
	ck_assert_int_eq(status_of(old_all), 404);
	ck_assert_int_eq(status_of(path), 200);
	ck_assert_int_eq(status_of(old_one), 200);
	links = call(&A, "GET", "/api/v1/calendars", NULL, 200);
	ck_assert_str_eq(link_of(links, 0), path);
	json_decref(links);
	json_decref(renewed);

	snprintf(body, sizeof(body), "{\"event_id\":%lld}", (long long)ev);
	renewed = call(&A, "POST", "/api/v1/calendars/renew", body, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(renewed, "event_id")), ev);
	ck_assert_int_eq(status_of(old_one), 404);
	ck_assert_int_eq(status_of(json_string_value(json_object_get(renewed, "path"))), 200);
	json_decref(renewed);

	json_decref(call(&A, "POST", "/api/v1/calendars/renew", "{\"event_id\":99999}", 404));
	json_decref(call(&A, "POST", "/api/v1/calendars/renew", "{\"event_id\":\"1\"}", 400));
	json_decref(call(&A, "POST", "/api/v1/calendars/renew", "{\"atelier\":1}", 400));
}
END_TEST

/*
 * An animateur sees the links of the ateliers they run, not the one of
 * every atelier, and renews none; without a session, no link at all.
 */
START_TEST(test_roles)
{
	struct e2e_client an;
	json_t *links;
	json_int_t theirs, other;
	char body[256], start[32];

	e2e_client_init(&an);
	ck_assert_int_eq(e2e_login(&E, &an, E2E_ANIMATEUR, E2E_ANIMATEUR_PW), 200);
	e2e_iso_in(86400, start, sizeof(start));
	snprintf(body, sizeof(body), "{\"title\":\"Jeux\",\"starts_at\":\"%s\"}", start);
	theirs = id_of(call(&an, "POST", "/api/v1/events", body, 201));
	other = id_of(call(&A, "POST", "/api/v1/events", body, 201));
	links = call(&an, "GET", "/api/v1/calendars", NULL, 200);
	ck_assert(json_is_null(json_object_get(links, "all")));
	ck_assert_uint_eq(json_array_size(json_object_get(links, "ateliers")), 1);
	ck_assert_ptr_nonnull(link_of(links, theirs));
	ck_assert_ptr_null(link_of(links, other));
	ck_assert_int_eq(status_of(link_of(links, theirs)), 200);
	json_decref(links);
	json_decref(call(&an, "POST", "/api/v1/calendars/renew", "{}", 403));
	json_decref(call(&N, "GET", "/api/v1/calendars", NULL, 401));
	e2e_client_free(&an);
}
END_TEST

static Suite *
calendar_suite(void)
{
	Suite *s = suite_create("calendar");
	TCase *tc = tcase_create("feeds");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_feeds);
	tcase_add_test(tc, test_wrong_keys);
	tcase_add_test(tc, test_renew);
	tcase_add_test(tc, test_roles);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(calendar_suite)
