/*
 * window — when SMS may be sent: the local hours and days of [sending].
 * Pure logic; the time zone is the process's (main.c sets it from
 * [centre] timezone) and "now" is passed in.
 */
#ifndef RAPPEL_WINDOW_H
#define RAPPEL_WINDOW_H

#include <stdint.h>

#include "config.h"

/*
 * Returns now when sending is allowed at now, else the next moment it is
 * (the start of the next allowed hours on an allowed day), in Unix
 * seconds.  Correct across daylight-saving changes: hours are local wall
 * clock hours.  Returns -1 when no day is allowed (cannot happen with a
 * valid config).
 */
int64_t window_next_allowed(const struct config *cfg, int64_t now);

/* Why a queued message has not left yet, as far as the hours and days tell. */
enum window_wait {
	WINDOW_WAIT_NONE,	/* may leave now */
	WINDOW_WAIT_SCHEDULED,	/* its time (not_before) has not come */
	WINDOW_WAIT_DAY,	/* today is not a sending day */
	WINDOW_WAIT_HOURS,	/* outside today's sending hours */
};

/*
 * Why a message that may not leave before not_before waits at now, and in
 * *until the moment it may leave: the first allowed moment at or after
 * both (now itself for WINDOW_WAIT_NONE).
 */
enum window_wait window_wait(const struct config *cfg, int64_t now, int64_t not_before,
    int64_t *until);

/* Unix time of the last local midnight at or before now. */
int64_t window_day_start(int64_t now);

#endif
