/*
 * sendpolicy — when a modem may hand over a message, and what a failed
 * send means.  Pure logic: the time is passed in, nothing is read or
 * written (window.c says the sending hours and days).  The modem worker
 * (modem.c) keeps one struct sendpolicy per modem and asks it before
 * every claim, and maps the +CMS ERROR the adapter reports (gsmdev.h)
 * with sendpolicy_cms(); tests/check_sendpolicy.c drives it without a
 * modem.
 *
 *   rates   parts handed over in the last minute (a count per second)
 *           and today, under [sending] max_per_minute and max_per_day;
 *   bench   SENDPOLICY_BENCH_FAILURES failed sends in a row (temporary
 *           or unknown outcome) bench the modem for SENDPOLICY_BENCH_S:
 *           it claims nothing and the other modems take the queue;
 *   errors  a +CMS ERROR that no retry will fix is permanent;
 *   backoff waits that double from 1 s up to a ceiling.
 */
#ifndef RAPPEL_SENDPOLICY_H
#define RAPPEL_SENDPOLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define SENDPOLICY_RATE_SLOTS 61	/* now - 60 .. now, as "sent_at >= now - 60" */
#define SENDPOLICY_BENCH_FAILURES 3	/* failed sends in a row, then ... */
#define SENDPOLICY_BENCH_S 300		/* ... no sending for this long */

/* How a send ended. */
enum sendpolicy_result {
	SENDPOLICY_OK,
	SENDPOLICY_TEMPFAIL,	/* try again later */
	SENDPOLICY_PERMFAIL,	/* never going to work (invalid number ...) */
	SENDPOLICY_UNKNOWN,	/* handed to the modem, no answer: uncertain */
};

struct sendpolicy {
	int64_t second[SENDPOLICY_RATE_SLOTS];	/* parts per second of the last minute */
	int count[SENDPOLICY_RATE_SLOTS];
	int64_t day;			/* window_day_start() of day_parts */
	int day_parts;
	int failures;			/* failed sends in a row */
	int64_t benched_until;		/* no sending before this time; 0: none */
};

/*
 * Starts the counts from what the database says: minute parts handed
 * over in the last 60 s (counted as if now) and today parts since local
 * midnight.
 */
void sendpolicy_init(struct sendpolicy *p, int64_t now, int minute, int today);

/* parts handed over at `at`. */
void sendpolicy_count(struct sendpolicy *p, int64_t at, int parts);

/* Parts handed over in the 60 s up to now, and since local midnight. */
int sendpolicy_last_minute(const struct sendpolicy *p, int64_t now);
int sendpolicy_today(const struct sendpolicy *p, int64_t now);

/*
 * True when a part may be handed over now: inside cfg's sending hours
 * and days, under its per-minute and per-day limits, and not benched.
 */
bool sendpolicy_may_send(const struct sendpolicy *p, const struct config *cfg, int64_t now);

/*
 * Records how a send ended at now.  Returns true when that benched the
 * modem (until p->benched_until); an OK or a permanent failure (the
 * number's fault, not the modem's) ends a run of failures.
 */
bool sendpolicy_sent(struct sendpolicy *p, enum sendpolicy_result r, int64_t now);

/* True while benched at now. */
bool sendpolicy_benched(const struct sendpolicy *p, int64_t now);

/* What a +CMS ERROR code (3GPP TS 24.011 / 27.005) means: TEMPFAIL or PERMFAIL. */
enum sendpolicy_result sendpolicy_cms(int code);

/* The next wait of a doubling backoff: 1 after 0, then twice, at most max. */
int sendpolicy_backoff(int previous, int max);

#endif
