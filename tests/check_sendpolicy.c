/*
 * check_sendpolicy — the modems' sending policy without a modem: hours,
 * per-minute and per-day limits, benching after failures in a row, what a
 * +CMS ERROR means, and backoffs.  Time is passed in; Europe/Paris.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "sendpolicy.h"
#include "test_main.h"
#include "test_sending.h"
#include "timeutil.h"

/* Outside the hours and days nothing goes; inside, it does. */
START_TEST(policy_test_hours)
{
	struct config *cfg = test_sending_config("hours = 08:30-19:30\ndays = mon,tue,wed,thu,fri\n"
	    "max_per_minute = 6\nmax_per_day = 500\n");
	struct sendpolicy p;
	int64_t mon_9 = test_sending_time("2026-12-07T09:00:00+01:00");

	time_set_zone("Europe/Paris");
	sendpolicy_init(&p, mon_9, 0, 0);
	ck_assert(sendpolicy_may_send(&p, cfg, mon_9));
	ck_assert(!sendpolicy_may_send(&p, cfg, test_sending_time("2026-12-07T08:29:59+01:00")));
	ck_assert(!sendpolicy_may_send(&p, cfg, test_sending_time("2026-12-07T19:30:00+01:00")));
	ck_assert(!sendpolicy_may_send(&p, cfg, test_sending_time("2026-12-06T10:00:00+01:00")));
	config_free(cfg);
}
END_TEST

/* max_per_minute counts the last 60 s; max_per_day counts from local midnight. */
START_TEST(policy_test_rates)
{
	struct config *cfg = test_sending_config("hours = 00:00-24:00\n"
	    "days = mon,tue,wed,thu,fri,sat,sun\nmax_per_minute = 6\nmax_per_day = 10\n");
	struct sendpolicy p;
	int64_t t = test_sending_time("2026-12-07T10:00:00+01:00");
	int i;

	time_set_zone("Europe/Paris");
	sendpolicy_init(&p, t, 0, 0);
	for (i = 0; i < 6; i++) {
		ck_assert(sendpolicy_may_send(&p, cfg, t + i));
		sendpolicy_count(&p, t + i, 1);
	}
	ck_assert_int_eq(sendpolicy_last_minute(&p, t + 6), 6);
	ck_assert(!sendpolicy_may_send(&p, cfg, t + 6));
	ck_assert(!sendpolicy_may_send(&p, cfg, t + 60));	/* t itself is still in it */
	ck_assert(sendpolicy_may_send(&p, cfg, t + 61));
	/* a multi-part message counts each part */
	sendpolicy_count(&p, t + 61, 4);
	ck_assert_int_eq(sendpolicy_today(&p, t + 61), 10);
	ck_assert(!sendpolicy_may_send(&p, cfg, t + 3600));	/* the day's 10 are used */
	/* a new day starts at local midnight */
	ck_assert_int_eq(sendpolicy_today(&p, test_sending_time("2026-12-08T00:00:00+01:00")), 0);
	ck_assert(sendpolicy_may_send(&p, cfg, test_sending_time("2026-12-08T00:00:00+01:00")));
	/* counts read from the database at start: the last minute's as if now */
	sendpolicy_init(&p, t, 6, 9);
	ck_assert(!sendpolicy_may_send(&p, cfg, t + 30));
	ck_assert(sendpolicy_may_send(&p, cfg, t + 61));
	sendpolicy_count(&p, t + 61, 1);
	ck_assert(!sendpolicy_may_send(&p, cfg, t + 200));
	config_free(cfg);
}
END_TEST

/* Three temporary or unknown failures in a row bench the modem for 300 s. */
START_TEST(policy_test_bench)
{
	struct config *cfg = test_sending_config("hours = 00:00-24:00\n"
	    "days = mon,tue,wed,thu,fri,sat,sun\nmax_per_minute = 600\nmax_per_day = 1000\n");
	struct sendpolicy p;
	int64_t t = test_sending_time("2026-12-07T10:00:00+01:00");

	time_set_zone("Europe/Paris");
	sendpolicy_init(&p, t, 0, 0);
	ck_assert(!sendpolicy_sent(&p, SENDPOLICY_TEMPFAIL, t));
	ck_assert(!sendpolicy_sent(&p, SENDPOLICY_UNKNOWN, t));
	ck_assert(!sendpolicy_sent(&p, SENDPOLICY_OK, t));	/* ends the run */
	ck_assert(!sendpolicy_sent(&p, SENDPOLICY_TEMPFAIL, t));
	ck_assert(!sendpolicy_sent(&p, SENDPOLICY_PERMFAIL, t));	/* the number's fault */
	ck_assert(!sendpolicy_sent(&p, SENDPOLICY_TEMPFAIL, t));
	ck_assert(!sendpolicy_sent(&p, SENDPOLICY_TEMPFAIL, t + 1));
	ck_assert(sendpolicy_sent(&p, SENDPOLICY_TEMPFAIL, t + 2));
	ck_assert(sendpolicy_benched(&p, t + 2));
	ck_assert(!sendpolicy_may_send(&p, cfg, t + 2 + SENDPOLICY_BENCH_S - 1));
	ck_assert(!sendpolicy_benched(&p, t + 2 + SENDPOLICY_BENCH_S));
	ck_assert(sendpolicy_may_send(&p, cfg, t + 2 + SENDPOLICY_BENCH_S));
	config_free(cfg);
}
END_TEST

START_TEST(policy_test_cms_and_backoff)
{
	ck_assert_int_eq(sendpolicy_cms(1), SENDPOLICY_PERMFAIL);	/* unassigned number */
	ck_assert_int_eq(sendpolicy_cms(30), SENDPOLICY_PERMFAIL);	/* unknown subscriber */
	ck_assert_int_eq(sendpolicy_cms(304), SENDPOLICY_PERMFAIL);
	ck_assert_int_eq(sendpolicy_cms(500), SENDPOLICY_TEMPFAIL);	/* unknown error */
	ck_assert_int_eq(sendpolicy_cms(38), SENDPOLICY_TEMPFAIL);	/* network out of order */
	ck_assert_int_eq(sendpolicy_backoff(0, 30), 1);
	ck_assert_int_eq(sendpolicy_backoff(1, 30), 2);
	ck_assert_int_eq(sendpolicy_backoff(16, 30), 30);
	ck_assert_int_eq(sendpolicy_backoff(30, 30), 30);
}
END_TEST

static Suite *
sendpolicy_suite(void)
{
	Suite *s = suite_create("sendpolicy");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, policy_test_hours);
	tcase_add_test(tc, policy_test_rates);
	tcase_add_test(tc, policy_test_bench);
	tcase_add_test(tc, policy_test_cms_and_backoff);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(sendpolicy_suite)
