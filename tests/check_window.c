/*
 * check_window — sending hours and days, in Europe/Paris, across the
 * daylight-saving changes.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "test_main.h"
#include "test_sending.h"
#include "timeutil.h"
#include "window.h"

static void
window_test_expect(const struct config *cfg, const char *now, const char *want)
{
	char got[TIME_ISO_MAX];

	time_format_iso(window_next_allowed(cfg, test_sending_time(now)), got);
	ck_assert_str_eq(got, want);
}

START_TEST(window_test_hours_and_days)
{
	struct config *cfg = test_sending_config("hours = 08:30-19:30\n"
	    "days = mon,tue,wed,thu,fri,sat\n");

	time_set_zone("Europe/Paris");
	/* Thursday 3 December 2026 */
	window_test_expect(cfg, "2026-12-03T10:00:00+01:00", "2026-12-03T10:00:00+01:00");
	window_test_expect(cfg, "2026-12-03T07:00:00+01:00", "2026-12-03T08:30:00+01:00");
	window_test_expect(cfg, "2026-12-03T19:30:00+01:00", "2026-12-04T08:30:00+01:00");
	window_test_expect(cfg, "2026-12-03T23:59:00+01:00", "2026-12-04T08:30:00+01:00");
	/* Saturday evening waits for Monday: no SMS on Sunday */
	window_test_expect(cfg, "2026-12-05T20:00:00+01:00", "2026-12-07T08:30:00+01:00");
	window_test_expect(cfg, "2026-12-06T11:00:00+01:00", "2026-12-07T08:30:00+01:00");
	config_free(cfg);
}
END_TEST

/* Why a queued message waits, and until when: what the panel says. */
START_TEST(window_test_wait_reason)
{
	struct config *cfg = test_sending_config("hours = 08:30-19:30\n"
	    "days = mon,tue,wed,thu,fri,sat\n");
	char got[TIME_ISO_MAX];
	int64_t until;

	time_set_zone("Europe/Paris");
	/* Sunday 6 December 2026, 11:00: not a sending day, leaves Monday 8:30 */
	ck_assert_int_eq(window_wait(cfg, test_sending_time("2026-12-06T11:00:00+01:00"),
	    test_sending_time("2026-12-06T10:00:00+01:00"), &until), WINDOW_WAIT_DAY);
	time_format_iso(until, got);
	ck_assert_str_eq(got, "2026-12-07T08:30:00+01:00");
	/* Thursday 7:00: a sending day, before the hours */
	ck_assert_int_eq(window_wait(cfg, test_sending_time("2026-12-03T07:00:00+01:00"),
	    0, &until), WINDOW_WAIT_HOURS);
	time_format_iso(until, got);
	ck_assert_str_eq(got, "2026-12-03T08:30:00+01:00");
	/* Thursday 10:00, due at 15:00: scheduled; due now: leaves now */
	ck_assert_int_eq(window_wait(cfg, test_sending_time("2026-12-03T10:00:00+01:00"),
	    test_sending_time("2026-12-03T15:00:00+01:00"), &until), WINDOW_WAIT_SCHEDULED);
	time_format_iso(until, got);
	ck_assert_str_eq(got, "2026-12-03T15:00:00+01:00");
	ck_assert_int_eq(window_wait(cfg, test_sending_time("2026-12-03T10:00:00+01:00"),
	    test_sending_time("2026-12-03T09:00:00+01:00"), &until), WINDOW_WAIT_NONE);
	/* scheduled for Saturday 20:00: waits for the hours of Monday, said as "day" */
	ck_assert_int_eq(window_wait(cfg, test_sending_time("2026-12-03T10:00:00+01:00"),
	    test_sending_time("2026-12-06T09:00:00+01:00"), &until), WINDOW_WAIT_DAY);
	time_format_iso(until, got);
	ck_assert_str_eq(got, "2026-12-07T08:30:00+01:00");
	config_free(cfg);
}
END_TEST

START_TEST(window_test_daylight_saving)
{
	struct config *cfg = test_sending_config("hours = 08:30-19:30\n"
	    "days = mon,tue,wed,thu,fri,sat,sun\n");

	time_set_zone("Europe/Paris");
	/* the clocks go forward on Sunday 29 March 2026: 08:30 is +02:00 */
	window_test_expect(cfg, "2026-03-28T22:00:00+01:00", "2026-03-29T08:30:00+02:00");
	/* and back on Sunday 25 October 2026: 08:30 is +01:00 */
	window_test_expect(cfg, "2026-10-24T22:00:00+02:00", "2026-10-25T08:30:00+01:00");
	ck_assert_int_eq(window_day_start(test_sending_time("2026-10-25T12:00:00+01:00")),
	    test_sending_time("2026-10-25T00:00:00+02:00"));
	config_free(cfg);
}
END_TEST

START_TEST(window_test_all_day)
{
	struct config *cfg = test_sending_config("hours = 00:00-24:00\n"
	    "days = mon,tue,wed,thu,fri,sat,sun\n");

	time_set_zone("Europe/Paris");
	window_test_expect(cfg, "2026-12-06T03:00:00+01:00", "2026-12-06T03:00:00+01:00");
	window_test_expect(cfg, "2026-12-06T23:59:59+01:00", "2026-12-06T23:59:59+01:00");
	config_free(cfg);
}
END_TEST

static Suite *
window_suite(void)
{
	Suite *s = suite_create("window");
	TCase *tc = tcase_create("sending hours");

	tcase_add_test(tc, window_test_hours_and_days);
	tcase_add_test(tc, window_test_wait_reason);
	tcase_add_test(tc, window_test_daylight_saving);
	tcase_add_test(tc, window_test_all_day);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(window_suite)
