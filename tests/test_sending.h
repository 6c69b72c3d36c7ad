/*
 * test_sending — what the tests of the sending hours and policy share: a
 * configuration with a [sending] section, and ISO times.
 */
#ifndef RAPPEL_TEST_SENDING_H
#define RAPPEL_TEST_SENDING_H

#include <check.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "timeutil.h"

/* A configuration whose [sending] section is `sending`; the caller frees it. */
static inline struct config *
test_sending_config(const char *sending)
{
	char text[512], err[256] = "";
	struct config *cfg;

	snprintf(text, sizeof(text), "[centre]\nname = X\nphone = 03 21 00 00 00\n[sending]\n%s",
	    sending);
	cfg = config_load_string(text, "test.conf", err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	return cfg;
}

/* The time of an ISO 8601 string with its offset. */
static inline int64_t
test_sending_time(const char *iso)
{
	int64_t t;

	ck_assert_int_eq(time_parse(iso, &t), 0);
	return t;
}

#endif
