/*
 * recur — when things happen: RFC 5545 recurrence rules expanded through
 * libical, reminders placed relative to an atelier, and the key that
 * names one occurrence.  Pure logic apart from the time zone (the
 * process's TZ, the centre's zone); the clock is always passed in.
 *
 * Wall-clock rule: an occurrence keeps the local time of its first one
 * ("every Thursday at 14:00" stays at 14:00 across daylight-saving
 * changes).  A local time that does not exist (02:30 on the last Sunday of
 * March in Europe/Paris) moves forward by the gap (03:30); one that exists
 * twice (02:30 on the last Sunday of October) is the first of the two
 * (summer time, +02:00).
 */
#ifndef RAPPEL_RECUR_H
#define RAPPEL_RECUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define RECUR_RRULE_MAX 512	/* longest rule accepted */

/*
 * Checks an RRULE value (without the "RRULE:" prefix), e.g.
 * "FREQ=WEEKLY;BYDAY=TH;COUNT=10" or "FREQ=MONTHLY;BYDAY=2FR".  0, or -1
 * with ERR_INVALID "invalid" for field and a French message.  Rules with a
 * FREQ finer than DAILY (HOURLY, MINUTELY, SECONDLY) are refused.
 */
int recur_check(const char *rrule, const char *field, struct error *err);

/*
 * Whether dtstart is itself one of the times rrule describes.  RFC 5545
 * allows a first date off the rule (it is then an extra occurrence that
 * counts within COUNT), most other calendars leave it out; rappel refuses
 * such a first date for an atelier (docs/api.md).  True when rrule is NULL
 * or "".  When false and first is not NULL, *first is the rule's first
 * time after dtstart (same local time of day), or -1 when there is none
 * or the rule is invalid.
 */
bool recur_on_rule(const char *rrule, int64_t dtstart, int64_t *first);

/*
 * Occurrences of rrule whose first one starts at dtstart (dtstart is
 * always an occurrence and counts within COUNT, as RFC 5545 3.3.10 says,
 * even when it is not on the rule; an UNTIL in UTC is an instant), in
 * [from, to), in order: at most max are written to out.  rrule NULL or "" means dtstart alone.
 * Returns how many were written, or -1 when the rule is invalid.
 */
int recur_expand(const char *rrule, int64_t dtstart, int64_t from, int64_t to,
    int64_t *out, size_t max);

/*
 * The first occurrence at or after from, or -1 when there is none (a
 * finite rule that has ended) or the rule is invalid.
 */
int64_t recur_next(const char *rrule, int64_t dtstart, int64_t from);

/*
 * When a reminder goes out, relative to an occurrence.  Written as
 *   "-2d@10:00"  two calendar days before, at 10:00 local time
 *   "-3w@18:00"  three weeks before, at 18:00
 *   "0d@09:00"   the same day at 09:00
 *   "-1d"        the day before at the occurrence's own time
 *   "P2D", "-P2D", "PT2H", "P1DT2H30M", "P1W"
 *                ISO 8601 durations, always before the occurrence: days
 *                and weeks are calendar days (same local time), hours,
 *                minutes and seconds are exact.
 */
struct recur_offset {
	int days;		/* calendar days before (weeks × 7) */
	int minute_of_day;	/* local time to use, or -1 for the occurrence's own */
	int64_t seconds;	/* then exact seconds before */
};

/* Parses s.  0, or -1 with ERR_INVALID for field and a French message. */
int recur_offset_parse(const char *s, const char *field, struct recur_offset *o,
    struct error *err);

/* The time of the reminder for an occurrence starting at start. */
int64_t recur_offset_apply(const struct recur_offset *o, int64_t start);

/*
 * The key of an occurrence: its original local start as the number
 * YYYYMMDDHHMM (202612031400 for 3 December 2026 at 14:00), stable when
 * the occurrence is later moved, readable in URLs and logs.
 */
int64_t recur_key(int64_t start);
/* The local time a key names (the first, for a time that exists twice), or -1 when key is not one. */
int64_t recur_key_time(int64_t key);

#endif
