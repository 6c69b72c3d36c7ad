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

/* Unix time of the last local midnight at or before now. */
int64_t window_day_start(int64_t now);

#endif
