/*
 * test_main — the shared main() of every Check test binary.
 *
 *   TEST_MAIN(phone_suite)
 *
 * runs the suite with CK_NORMAL output (Check's summary line
 * "100%: Checks: N, Failures: 0, Errors: 0" is what CI counts) and exits
 * 0 when every test passed, 1 otherwise.  A test that cannot run here
 * (missing hardware or tool) makes the binary exit 77, meson's "skipped".
 */
#ifndef RAPPEL_TEST_MAIN_H
#define RAPPEL_TEST_MAIN_H

#include <check.h>
#include <stdlib.h>

#define TEST_MAIN(suite_fn)                                              \
	int main(void)                                                   \
	{                                                                \
		SRunner *sr = srunner_create(suite_fn());                \
		int failed;                                              \
		srunner_run_all(sr, CK_NORMAL);                          \
		failed = srunner_ntests_failed(sr);                      \
		srunner_free(sr);                                        \
		return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;        \
	}

/* Directory of tests/data, from the RAPPEL_TEST_DATA environment variable. */
static inline const char *
test_data_dir(void)
{
	const char *d = getenv("RAPPEL_TEST_DATA");
	return d ? d : "tests/data";
}

#endif
