/*
 * check_recur — recurrence rules (libical), reminder offsets and
 * occurrence keys in Europe/Paris, across both daylight-saving changes of
 * 2026 (29 March and 25 October).
 */
#include <check.h>
#include <string.h>

#include "recur.h"
#include "test_main.h"
#include "timeutil.h"

static int64_t
rt(const char *iso)
{
	int64_t t;

	ck_assert_msg(time_parse(iso, &t) == 0, "bad time %s", iso);
	return t;
}

static const char *
riso(int64_t t)
{
	static char iso[4][TIME_ISO_MAX];
	static int i;

	i = (i + 1) % 4;
	time_format_iso(t, iso[i]);
	return iso[i];
}

static void
recur_setup(void)
{
	time_set_zone("Europe/Paris");
}

/* "Every Thursday at 14:00 for 10 sessions", across the end of summer time. */
START_TEST(recur_test_weekly_count)
{
	int64_t out[32];
	int n, i;

	n = recur_expand("FREQ=WEEKLY;BYDAY=TH;COUNT=10", rt("2026-10-15T14:00:00+02:00"),
	    rt("2026-01-01T00:00:00+01:00"), rt("2028-01-01T00:00:00+01:00"), out, 32);
	ck_assert_int_eq(n, 10);
	ck_assert_str_eq(riso(out[0]), "2026-10-15T14:00:00+02:00");
	ck_assert_str_eq(riso(out[1]), "2026-10-22T14:00:00+02:00");
	ck_assert_str_eq(riso(out[2]), "2026-10-29T14:00:00+01:00");
	ck_assert_str_eq(riso(out[9]), "2026-12-17T14:00:00+01:00");
	for (i = 1; i < n; i++)
		ck_assert_int_gt(out[i], out[i - 1]);
	/* after the tenth, nothing */
	ck_assert_int_eq(recur_next("FREQ=WEEKLY;BYDAY=TH;COUNT=10",
	    rt("2026-10-15T14:00:00+02:00"), out[9] + 1), -1);
}
END_TEST

/* A weekly 10:00 stays at 10:00 local when summer time begins. */
START_TEST(recur_test_weekly_spring)
{
	int64_t out[4];

	ck_assert_int_eq(recur_expand("FREQ=WEEKLY", rt("2026-03-23T10:00:00+01:00"),
	    rt("2026-03-01T00:00:00+01:00"), rt("2026-04-10T00:00:00+02:00"), out, 4), 3);
	ck_assert_str_eq(riso(out[0]), "2026-03-23T10:00:00+01:00");
	ck_assert_str_eq(riso(out[1]), "2026-03-30T10:00:00+02:00");
	ck_assert_int_eq(out[1] - out[0], 7 * 24 * 3600 - 3600);
	ck_assert_str_eq(riso(out[2]), "2026-04-06T10:00:00+02:00");
}
END_TEST

/* "Every 2nd Friday of the month", "every two weeks", UNTIL. */
START_TEST(recur_test_monthly_interval_until)
{
	int64_t out[8];

	ck_assert_int_eq(recur_expand("FREQ=MONTHLY;BYDAY=2FR", rt("2026-11-13T18:00:00+01:00"),
	    0, rt("2027-03-01T00:00:00+01:00"), out, 8), 4);
	ck_assert_str_eq(riso(out[1]), "2026-12-11T18:00:00+01:00");
	ck_assert_str_eq(riso(out[2]), "2027-01-08T18:00:00+01:00");
	ck_assert_str_eq(riso(out[3]), "2027-02-12T18:00:00+01:00");
	ck_assert_int_eq(recur_expand("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA",
	    rt("2026-11-28T10:00:00+01:00"), 0, rt("2026-12-31T00:00:00+01:00"), out, 8), 3);
	ck_assert_str_eq(riso(out[1]), "2026-12-12T10:00:00+01:00");
	ck_assert_str_eq(riso(out[2]), "2026-12-26T10:00:00+01:00");
	ck_assert_int_eq(recur_expand("FREQ=DAILY;UNTIL=20261203T235959",
	    rt("2026-12-01T09:00:00+01:00"), 0, rt("2027-01-01T00:00:00+01:00"), out, 8), 3);
	/* the 31st only in months that have one */
	ck_assert_int_eq(recur_expand("FREQ=MONTHLY;BYMONTHDAY=31", rt("2027-01-31T09:00:00+01:00"),
	    0, rt("2027-06-01T00:00:00+02:00"), out, 8), 3);
	ck_assert_str_eq(riso(out[1]), "2027-03-31T09:00:00+02:00");
}
END_TEST

/* [from, to) is half-open, max is respected, no rule is dtstart alone. */
START_TEST(recur_test_window)
{
	int64_t start = rt("2026-12-03T14:00:00+01:00"), out[3];

	ck_assert_int_eq(recur_expand("FREQ=DAILY", start, start, start + 3 * 86400, out, 8), 3);
	ck_assert_int_eq(recur_expand("FREQ=DAILY", start, start + 1, start + 3 * 86400 + 1,
	    out, 8), 3);
	ck_assert_str_eq(riso(out[0]), "2026-12-04T14:00:00+01:00");
	ck_assert_int_eq(recur_expand("FREQ=DAILY", start, 0, start + 100 * 86400, out, 3), 3);
	ck_assert_int_eq(recur_expand(NULL, start, 0, start + 1, out, 3), 1);
	ck_assert_int_eq(recur_expand("", start, start + 1, start + 2, out, 3), 0);
	ck_assert_int_eq(recur_next("FREQ=WEEKLY", start, start + 1), start + 7 * 86400);
	ck_assert_int_eq(recur_next(NULL, start, start + 1), -1);
}
END_TEST

/*
 * A first date that is not on the rule (issue 25): RFC 5545 3.3.10 makes
 * it the first occurrence, within COUNT.  5 December 2026 is a Saturday
 * but not the last of the month.
 */
START_TEST(recur_test_first_off_rule)
{
	int64_t start = rt("2026-12-05T09:00:00+01:00"), out[16], first;
	int n;

	n = recur_expand("FREQ=MONTHLY;BYDAY=-1SA;COUNT=8", start, start, start + 800 * 86400,
	    out, 16);
	ck_assert_int_eq(n, 8);
	ck_assert_str_eq(riso(out[0]), "2026-12-05T09:00:00+01:00");
	ck_assert_str_eq(riso(out[1]), "2026-12-26T09:00:00+01:00");
	ck_assert_str_eq(riso(out[7]), "2027-06-26T09:00:00+02:00");
	ck_assert_int_eq(recur_next("FREQ=MONTHLY;BYDAY=-1SA;COUNT=8", start, out[7] + 1), -1);
	/* the first Tuesday, with the second Tuesday as the rule */
	start = rt("2026-12-01T14:00:00+01:00");
	ck_assert_int_eq(recur_expand("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2;COUNT=6", start, start,
	    start + 800 * 86400, out, 16), 6);
	ck_assert_str_eq(riso(out[1]), "2026-12-08T14:00:00+01:00");

	ck_assert(!recur_on_rule("FREQ=MONTHLY;BYDAY=-1SA;COUNT=8", rt("2026-12-05T09:00:00+01:00"),
	    &first));
	ck_assert_str_eq(riso(first), "2026-12-26T09:00:00+01:00");
	ck_assert(recur_on_rule("FREQ=MONTHLY;BYDAY=-1SA;COUNT=8", rt("2026-12-26T09:00:00+01:00"),
	    &first));
	ck_assert(recur_on_rule(NULL, start, NULL));
	ck_assert(recur_on_rule("FREQ=WEEKLY;COUNT=3", start, NULL));
	/* a rule that ends before it begins: nothing to suggest */
	ck_assert(!recur_on_rule("FREQ=WEEKLY;BYDAY=MO;UNTIL=20261130", start, &first));
	ck_assert_int_eq(first, -1);
	ck_assert(!recur_on_rule("FREQ=SOMETIMES", start, &first));
}
END_TEST

/* An UNTIL in UTC is an instant: 13:00Z is 14:00 in Paris, the last session. */
START_TEST(recur_test_until_utc)
{
	int64_t start = rt("2026-10-15T14:00:00+02:00"), out[16];
	int n;

	n = recur_expand("FREQ=WEEKLY;BYDAY=TH;UNTIL=20261105T130000Z", start, start,
	    start + 100 * 86400, out, 16);
	ck_assert_int_eq(n, 4);
	ck_assert_str_eq(riso(out[3]), "2026-11-05T14:00:00+01:00");
	n = recur_expand("FREQ=WEEKLY;BYDAY=TH;UNTIL=20261105T125959Z", start, start,
	    start + 100 * 86400, out, 16);
	ck_assert_int_eq(n, 3);
}
END_TEST

START_TEST(recur_test_invalid)
{
	static const char *const bad[] = { "FREQ=SOMETIMES", "FREQ=HOURLY", "FREQ=MINUTELY;COUNT=3",
		"BYDAY=TH", "", "garbage", "RRULE:FREQ=WEEKLY" };
	struct error err;
	int64_t out[2];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		ck_assert_msg(recur_check(bad[i], "rrule", &err) == -1, "%s accepted", bad[i]);
		ck_assert_int_eq(error_http_status(err.kind), 400);
		ck_assert_str_eq(err.field, "rrule");
		ck_assert_int_gt(strlen(err.message), 10);
	}
	ck_assert_int_eq(recur_expand("FREQ=HOURLY", 0, 0, 100000, out, 2), -1);
	ck_assert_int_eq(recur_check("FREQ=WEEKLY;BYDAY=TH;COUNT=10", "rrule", &err), 0);
	ck_assert_int_eq(recur_check("FREQ=MONTHLY;BYDAY=2FR", "rrule", &err), 0);
}
END_TEST

static int64_t
recur_test_apply(const char *offset, const char *start)
{
	struct recur_offset o;
	struct error err = { 0 };

	ck_assert_msg(recur_offset_parse(offset, "schedule", &o, &err) == 0, "%s: %s", offset,
	    err.message);
	return recur_offset_apply(&o, rt(start));
}

START_TEST(recur_test_offsets)
{
	/* the day before at 18:00, for Monday 30 March: Sunday, already summer time */
	ck_assert_str_eq(riso(recur_test_apply("-1d@18:00", "2026-03-30T14:00:00+02:00")),
	    "2026-03-29T18:00:00+02:00");
	/* calendar days keep the local time; hours are exact */
	ck_assert_str_eq(riso(recur_test_apply("P1D", "2026-03-30T10:00:00+02:00")),
	    "2026-03-29T10:00:00+02:00");
	ck_assert_str_eq(riso(recur_test_apply("-P1D", "2026-03-30T10:00:00+02:00")),
	    "2026-03-29T10:00:00+02:00");
	ck_assert_str_eq(riso(recur_test_apply("PT2H", "2026-03-29T04:00:00+02:00")),
	    "2026-03-29T01:00:00+01:00");
	ck_assert_str_eq(riso(recur_test_apply("P1DT2H30M", "2026-12-03T14:00:00+01:00")),
	    "2026-12-02T11:30:00+01:00");
	ck_assert_str_eq(riso(recur_test_apply("-3w@10:00", "2026-12-03T14:00:00+01:00")),
	    "2026-11-12T10:00:00+01:00");
	ck_assert_str_eq(riso(recur_test_apply("P1W", "2026-11-05T14:00:00+01:00")),
	    "2026-10-29T14:00:00+01:00");
	ck_assert_str_eq(riso(recur_test_apply("0d@09:00", "2026-12-03T14:00:00+01:00")),
	    "2026-12-03T09:00:00+01:00");
	ck_assert_str_eq(riso(recur_test_apply("-1d", "2026-10-26T14:00:00+01:00")),
	    "2026-10-25T14:00:00+01:00");
	ck_assert_str_eq(riso(recur_test_apply("-7d@10:00", "2026-11-01T10:00:00+01:00")),
	    "2026-10-25T10:00:00+01:00");
}
END_TEST

/* A local time that does not exist moves on by the gap; one that exists twice is the first. */
START_TEST(recur_test_dst_edges)
{
	ck_assert_str_eq(riso(recur_test_apply("0d@02:30", "2026-03-29T10:00:00+02:00")),
	    "2026-03-29T03:30:00+02:00");
	ck_assert_str_eq(riso(recur_test_apply("0d@02:30", "2026-10-25T10:00:00+01:00")),
	    "2026-10-25T02:30:00+02:00");
	ck_assert_str_eq(riso(recur_key_time(202603290230)), "2026-03-29T03:30:00+02:00");
	ck_assert_str_eq(riso(recur_key_time(202610250230)), "2026-10-25T02:30:00+02:00");
}
END_TEST

START_TEST(recur_test_bad_offsets)
{
	static const char *const bad[] = { "2d@10:00", "+1d", "-d@10:00", "-2d@25:00",
		"-2d@10:60", "-2d@10", "-2d@10:0", "P", "PT", "P1H", "PT1D", "-2x", "",
		"-400d", "P2DX", "1d" };
	struct recur_offset o;
	struct error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		ck_assert_msg(recur_offset_parse(bad[i], "schedule", &o, &err) == -1,
		    "%s accepted", bad[i]);
		ck_assert_str_eq(err.field, "schedule");
		ck_assert_ptr_nonnull(strstr(err.message, "-1d@18:00"));
	}
	ck_assert_int_eq(recur_offset_parse(NULL, "schedule", &o, &err), -1);
}
END_TEST

START_TEST(recur_test_keys)
{
	int64_t t = rt("2026-12-03T14:00:00+01:00");

	ck_assert_int_eq(recur_key(t), 202612031400);
	ck_assert_int_eq(recur_key_time(202612031400), t);
	ck_assert_int_eq(recur_key(rt("2026-07-14T09:05:00+02:00")), 202607140905);
	ck_assert_int_eq(recur_key_time(202613011400), -1);
	ck_assert_int_eq(recur_key_time(202602301400), -1);
	ck_assert_int_eq(recur_key_time(202612031460), -1);
	ck_assert_int_eq(recur_key_time(42), -1);
}
END_TEST

/*
 * After 19 January 2038, where a 32-bit time_t ends (armhf: make
 * cross-check ARCH=armhf): an atelier series of 2037-2038 and its
 * reminders keep their dates and local times.
 */
START_TEST(recur_test_after_2038)
{
	int64_t out[8], t;
	int n;

	t = rt("2040-03-01T14:00:00+01:00");
	ck_assert_int_eq(t, 2214219600);
	ck_assert_str_eq(riso(t), "2040-03-01T14:00:00+01:00");
	ck_assert_int_eq(recur_key(t), 204003011400);
	ck_assert_int_eq(recur_key_time(204003011400), t);
	/* weekly on Tuesdays across 19 January 2038, 03:14:07 UTC */
	n = recur_expand("FREQ=WEEKLY;BYDAY=TU;COUNT=4", rt("2038-01-12T10:00:00+01:00"),
	    rt("2038-01-01T00:00:00+01:00"), rt("2039-01-01T00:00:00+01:00"), out, 8);
#ifdef RAPPEL_LIBS_TIME_T_32
	/* a libical built with a 32-bit time_t (Debian 12 armhf) stops at 2037:
	 * the rule is refused, never expanded to wrong dates */
	ck_assert_int_eq(n, -1);
	ck_assert_int_eq(recur_next("FREQ=WEEKLY;BYDAY=TU;COUNT=4",
	    rt("2038-01-12T10:00:00+01:00"), rt("2038-01-13T00:00:00+01:00")), -1);
#else
	ck_assert_int_eq(n, 4);
	ck_assert_str_eq(riso(out[1]), "2038-01-19T10:00:00+01:00");
	ck_assert_str_eq(riso(out[3]), "2038-02-02T10:00:00+01:00");
	ck_assert_str_eq(riso(recur_next("FREQ=WEEKLY;BYDAY=TU;COUNT=4",
	    rt("2038-01-12T10:00:00+01:00"), out[1] + 1)), "2038-01-26T10:00:00+01:00");
#endif
	/* the day before at 18:00, and summer time in 2040 */
	ck_assert_str_eq(riso(recur_test_apply("-1d@18:00", "2040-03-01T14:00:00+01:00")),
	    "2040-02-29T18:00:00+01:00");
	ck_assert_str_eq(riso(recur_test_apply("-7d@10:00", "2040-04-01T10:00:00+02:00")),
	    "2040-03-25T10:00:00+02:00");
}
END_TEST

static Suite *
recur_suite(void)
{
	Suite *s = suite_create("recur");
	TCase *tc = tcase_create("recur");

	tcase_add_checked_fixture(tc, recur_setup, NULL);
	tcase_add_test(tc, recur_test_weekly_count);
	tcase_add_test(tc, recur_test_weekly_spring);
	tcase_add_test(tc, recur_test_monthly_interval_until);
	tcase_add_test(tc, recur_test_window);
	tcase_add_test(tc, recur_test_first_off_rule);
	tcase_add_test(tc, recur_test_until_utc);
	tcase_add_test(tc, recur_test_invalid);
	tcase_add_test(tc, recur_test_offsets);
	tcase_add_test(tc, recur_test_dst_edges);
	tcase_add_test(tc, recur_test_bad_offsets);
	tcase_add_test(tc, recur_test_keys);
	tcase_add_test(tc, recur_test_after_2038);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(recur_suite)
