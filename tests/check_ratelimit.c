/*
 * check_ratelimit — login failure counting.
 */
#include <check.h>

#include "ratelimit.h"
#include "test_main.h"

START_TEST(ratelimit_test_blocks_after_max)
{
	struct ratelimit *rl = ratelimit_new(8, 5, 900, 900);
	int wait = 0, i;

	for (i = 0; i < 4; i++)
		ratelimit_fail(rl, "login:marie", 1000 + i);
	ck_assert(!ratelimit_blocked(rl, "login:marie", 1004, &wait));
	ratelimit_fail(rl, "login:marie", 1005);
	ck_assert(ratelimit_blocked(rl, "login:marie", 1006, &wait));
	ck_assert_int_eq(wait, 899);
	ck_assert(!ratelimit_blocked(rl, "login:paul", 1006, &wait));
	/* blocked until block seconds after the last failure */
	ck_assert(ratelimit_blocked(rl, "login:marie", 1904, &wait));
	ck_assert(!ratelimit_blocked(rl, "login:marie", 1905, &wait));
	ratelimit_free(rl);
}
END_TEST

START_TEST(ratelimit_test_window_slides)
{
	struct ratelimit *rl = ratelimit_new(8, 3, 60, 600);

	ratelimit_fail(rl, "a", 0);
	ratelimit_fail(rl, "a", 10);
	ratelimit_fail(rl, "a", 100);	/* the first two are out of the window */
	ck_assert(!ratelimit_blocked(rl, "a", 101, NULL));
	ratelimit_fail(rl, "a", 110);
	ratelimit_fail(rl, "a", 120);
	ck_assert(ratelimit_blocked(rl, "a", 121, NULL));
	ratelimit_free(rl);
}
END_TEST

START_TEST(ratelimit_test_success_clears)
{
	struct ratelimit *rl = ratelimit_new(8, 2, 60, 600);

	ratelimit_fail(rl, "a", 0);
	ratelimit_success(rl, "a");
	ratelimit_fail(rl, "a", 1);
	ck_assert(!ratelimit_blocked(rl, "a", 2, NULL));
	ratelimit_free(rl);
}
END_TEST

START_TEST(ratelimit_test_full_table_reuses_oldest)
{
	struct ratelimit *rl = ratelimit_new(2, 1, 60, 600);

	ratelimit_fail(rl, "a", 0);
	ratelimit_fail(rl, "b", 1);
	ratelimit_fail(rl, "c", 2);	/* evicts "a", touched longest ago */
	ck_assert(!ratelimit_blocked(rl, "a", 3, NULL));
	ck_assert(ratelimit_blocked(rl, "b", 3, NULL));
	ck_assert(ratelimit_blocked(rl, "c", 3, NULL));
	ratelimit_free(rl);
}
END_TEST

static Suite *
ratelimit_suite(void)
{
	Suite *s = suite_create("ratelimit");
	TCase *tc = tcase_create("failures");

	tcase_add_test(tc, ratelimit_test_blocks_after_max);
	tcase_add_test(tc, ratelimit_test_window_slides);
	tcase_add_test(tc, ratelimit_test_success_clears);
	tcase_add_test(tc, ratelimit_test_full_table_reuses_oldest);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(ratelimit_suite)
