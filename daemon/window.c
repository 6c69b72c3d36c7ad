/*
 * window — sending hours and days.  See window.h.
 */
#include "window.h"

#include <time.h>

/* Local time of day d (days after now's date) at minute m, via mktime. */
static int64_t
window_local(const struct tm *base, int d, int minutes)
{
	struct tm tm = *base;

	tm.tm_mday += d;
	tm.tm_hour = minutes / 60;
	tm.tm_min = minutes % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;	/* let mktime find whether DST applies then */
	return (int64_t)mktime(&tm);
}

int64_t
window_day_start(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;

	localtime_r(&t, &tm);
	return window_local(&tm, 0, 0);
}

int64_t
window_next_allowed(const struct config *cfg, int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm, day;
	int d, wday;
	int64_t start, end;

	localtime_r(&t, &tm);
	for (d = 0; d < 8; d++) {
		time_t probe = (time_t)window_local(&tm, d, 12 * 60);
		localtime_r(&probe, &day);
		wday = (day.tm_wday + 6) % 7;	/* monday = 0, as in config.h */
		if (!(cfg->send_days & (1u << wday)))
			continue;
		start = window_local(&tm, d, cfg->send_start_min);
		end = window_local(&tm, d, cfg->send_end_min);
		if (now < start)
			return start;
		if (now < end)
			return now;
	}
	return -1;
}

/* Whether t falls on a sending day of cfg. */
static int
window_day_allowed(const struct config *cfg, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	return (cfg->send_days & (1u << ((tm.tm_wday + 6) % 7))) != 0;
}

enum window_wait
window_wait(const struct config *cfg, int64_t now, int64_t not_before, int64_t *until)
{
	int64_t from = not_before > now ? not_before : now;

	*until = window_next_allowed(cfg, from);
	if (*until == from)
		return from == now ? WINDOW_WAIT_NONE : WINDOW_WAIT_SCHEDULED;
	return window_day_allowed(cfg, from) ? WINDOW_WAIT_HOURS : WINDOW_WAIT_DAY;
}
