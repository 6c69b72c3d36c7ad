/*
 * recur — recurrence rules through libical, reminder offsets and
 * occurrence keys.  See recur.h for the wall-clock rule.
 *
 * libical works on local "floating" times (no zone): the rule is expanded
 * on the wall clock of the first occurrence, and each occurrence is then
 * placed in the centre's zone by recur_local(), which decides
 * deterministically for times that do not exist or exist twice.
 */
#include "recur.h"

#include <ctype.h>
#include <libical/ical.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RECUR_STEPS_MAX 100000		/* iterations of one expansion, at most */
#define RECUR_OFFSET_DAYS_MAX 366	/* a reminder at most a year before */

/* A local wall-clock time. */
struct recur_wall {
	int year, month, day, hour, minute, second;
};

static void
recur_wall_of(int64_t t, struct recur_wall *w)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	w->year = tm.tm_year + 1900;
	w->month = tm.tm_mon + 1;
	w->day = tm.tm_mday;
	w->hour = tm.tm_hour;
	w->minute = tm.tm_min;
	w->second = tm.tm_sec;
}

/* The wall clock read as if it were UTC. */
static int64_t
recur_wall_as_utc(const struct recur_wall *w)
{
	struct tm tm = { 0 };

	tm.tm_year = w->year - 1900;
	tm.tm_mon = w->month - 1;
	tm.tm_mday = w->day;
	tm.tm_hour = w->hour;
	tm.tm_min = w->minute;
	tm.tm_sec = w->second;
	return (int64_t)timegm(&tm);
}

static long
recur_offset_at(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	return tm.tm_gmtoff;
}

static bool
recur_shows(int64_t t, const struct recur_wall *w)
{
	struct recur_wall got;

	recur_wall_of(t, &got);
	return got.year == w->year && got.month == w->month && got.day == w->day &&
	    got.hour == w->hour && got.minute == w->minute && got.second == w->second;
}

/*
 * The instant a local wall-clock time names: with the offset in force a
 * day before or a day after, whichever shows that wall clock (both: the
 * first of the two instants); when neither does, the time falls in a gap
 * and the offset from before the gap moves it forward by the gap.
 */
static int64_t
recur_local(const struct recur_wall *w)
{
	int64_t base = recur_wall_as_utc(w);
	int64_t before = base - recur_offset_at(base - 86400);
	int64_t after = base - recur_offset_at(base + 86400);
	bool ok_before = recur_shows(before, w), ok_after = recur_shows(after, w);

	if (ok_before && ok_after)
		return before < after ? before : after;
	if (ok_after)
		return after;
	return before;
}

/* Parses rrule into *rule; 0, or -1 (libical's error cleared). */
static int
recur_parse(const char *rrule, struct icalrecurrencetype *rule)
{
	icalerror_clear_errno();
	if (strlen(rrule) > RECUR_RRULE_MAX || strchr(rrule, '\n') || strchr(rrule, ':'))
		return -1;
	*rule = icalrecurrencetype_from_string(rrule);
	if (icalerrno != ICAL_NO_ERROR || rule->freq == ICAL_NO_RECURRENCE) {
		icalerror_clear_errno();
		return -1;
	}
	return 0;
}

static struct icaltimetype
recur_ical_time(int64_t t)
{
	struct icaltimetype it = icaltime_null_time();
	struct recur_wall w;

	recur_wall_of(t, &w);
	it.year = w.year;
	it.month = w.month;
	it.day = w.day;
	it.hour = w.hour;
	it.minute = w.minute;
	it.second = w.second;
	it.is_date = 0;
	return it;
}

static int64_t
recur_from_ical(struct icaltimetype it)
{
	struct recur_wall w = { it.year, it.month, it.day, it.hour, it.minute, it.second };

	return recur_local(&w);
}

int
recur_check(const char *rrule, const char *field, struct error *err)
{
	struct icalrecurrencetype rule;
	icalrecur_iterator *it;

	if (rrule == NULL || recur_parse(rrule, &rule) < 0)
		return error_set(err, ERR_INVALID, "invalid", field,
		    "Règle de récurrence invalide : « %s » "
		    "(par exemple FREQ=WEEKLY;BYDAY=TH;COUNT=10).", rrule ? rrule : "");
	if (rule.freq < ICAL_DAILY_RECURRENCE)
		return error_set(err, ERR_INVALID, "invalid", field,
		    "Une récurrence se répète au plus chaque jour (FREQ=DAILY, WEEKLY, MONTHLY ou "
		    "YEARLY).");
	/* a rule libical cannot iterate (a BYDAY its FREQ does not allow ...) */
	it = icalrecur_iterator_new(rule, recur_ical_time(1767225600));
	icalerror_clear_errno();
	if (it == NULL)
		return error_set(err, ERR_INVALID, "invalid", field,
		    "Règle de récurrence impossible à suivre : « %s ».", rrule);
	icalrecur_iterator_free(it);
	return 0;
}

/*
 * An UNTIL in UTC ("UNTIL=20270628T220000Z", as RFC 5545 3.3.10 wants it
 * with a zoned DTSTART) is an instant: it becomes the local wall-clock
 * time the rule is expanded on.  A date or a local UNTIL stays as it is.
 */
static void
recur_until_local(struct icalrecurrencetype *rule)
{
	struct recur_wall w;
	struct icaltimetype until = rule->until;

	if (icaltime_is_null_time(until) || until.is_date || !icaltime_is_utc(until))
		return;
	w.year = until.year;
	w.month = until.month;
	w.day = until.day;
	w.hour = until.hour;
	w.minute = until.minute;
	w.second = until.second;
	rule->until = recur_ical_time(recur_wall_as_utc(&w));
}

/*
 * Calls back each occurrence of rrule from dtstart, in order, until fn
 * returns false or the rule ends.  -1 when the rule is invalid.
 */
static int
recur_walk(const char *rrule, int64_t dtstart, bool (*fn)(int64_t, void *), void *arg)
{
	struct icalrecurrencetype rule;
	struct icaltimetype next;
	icalrecur_iterator *it;
	int64_t t;
	bool first = true;
	int steps, emitted = 0;

	if (rrule == NULL || rrule[0] == '\0') {
		fn(dtstart, arg);
		return 0;
	}
	if (recur_parse(rrule, &rule) < 0 || rule.freq < ICAL_DAILY_RECURRENCE)
		return -1;
	recur_until_local(&rule);
	if ((it = icalrecur_iterator_new(rule, recur_ical_time(dtstart))) == NULL) {
		icalerror_clear_errno();
		return -1;
	}
	for (steps = 0; steps < RECUR_STEPS_MAX; steps++) {
		next = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(next))
			break;
		t = recur_from_ical(next);
		/*
		 * RFC 5545 3.3.10: the first occurrence is dtstart, even off the
		 * rule, and it counts within COUNT (libical counts only the
		 * times on the rule, so the last one is dropped).
		 */
		if (first && t != dtstart) {
			if (!fn(dtstart, arg))
				break;
			emitted++;
		}
		first = false;
		if (rule.count > 0 && emitted >= rule.count)
			break;
		if (!fn(t, arg))
			break;
		emitted++;
	}
	icalrecur_iterator_free(it);
	icalerror_clear_errno();
	return 0;
}

bool
recur_on_rule(const char *rrule, int64_t dtstart, int64_t *first)
{
	struct icalrecurrencetype rule;
	struct icaltimetype next;
	icalrecur_iterator *it;
	int64_t t = -1;

	if (first != NULL)
		*first = -1;
	if (rrule == NULL || rrule[0] == '\0')
		return true;
	if (recur_parse(rrule, &rule) < 0 || rule.freq < ICAL_DAILY_RECURRENCE)
		return false;
	recur_until_local(&rule);
	if ((it = icalrecur_iterator_new(rule, recur_ical_time(dtstart))) == NULL) {
		icalerror_clear_errno();
		return false;
	}
	next = icalrecur_iterator_next(it);
	if (!icaltime_is_null_time(next))
		t = recur_from_ical(next);
	icalrecur_iterator_free(it);
	icalerror_clear_errno();
	if (t == dtstart)
		return true;
	if (first != NULL)
		*first = t;
	return false;
}

struct recur_window {
	int64_t from, to;
	int64_t *out;
	size_t max, n;
};

static bool
recur_collect(int64_t t, void *arg)
{
	struct recur_window *w = arg;

	if (t >= w->to)
		return false;
	if (t >= w->from) {
		if (w->n == w->max)
			return false;
		w->out[w->n++] = t;
	}
	return true;
}

int
recur_expand(const char *rrule, int64_t dtstart, int64_t from, int64_t to,
    int64_t *out, size_t max)
{
	struct recur_window w = { from, to, out, max, 0 };

	if (recur_walk(rrule, dtstart, recur_collect, &w) < 0)
		return -1;
	return (int)w.n;
}

struct recur_first {
	int64_t from, found;
};

static bool
recur_find(int64_t t, void *arg)
{
	struct recur_first *f = arg;

	if (t >= f->from) {
		f->found = t;
		return false;
	}
	return true;
}

int64_t
recur_next(const char *rrule, int64_t dtstart, int64_t from)
{
	struct recur_first f = { from, -1 };

	if (recur_walk(rrule, dtstart, recur_find, &f) < 0)
		return -1;
	return f.found;
}

/* Offsets */

static int
recur_offset_fail(const char *s, const char *field, struct error *err)
{
	return error_set(err, ERR_INVALID, "invalid", field,
	    "Rappel invalide : « %s ». Écrivez par "
	    "exemple « -1d@18:00 » (la veille à 18h), « -3w@10:00 » (3 semaines avant à 10h), "
	    "« 0d@09:00 » (le jour même à 9h) ou « PT2H » (2 heures avant).", s ? s : "");
}

/* Reads digits at *p into *v (at most 6); false when there are none. */
static bool
recur_number(const char **p, long *v)
{
	int n = 0;

	*v = 0;
	while (isdigit((unsigned char)**p) && n < 6) {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n > 0 && !isdigit((unsigned char)**p);
}

/* "-2d@10:00", "0d@09:00", "-3w@18:00", "-1d" */
static int
recur_offset_days(const char *s, struct recur_offset *o)
{
	const char *p = s;
	bool minus = *p == '-';
	long n, h, m;

	if (minus)
		p++;
	if (!recur_number(&p, &n) || (*p != 'd' && *p != 'w') || (n > 0 && !minus))
		return -1;
	o->days = (int)(*p == 'w' ? n * 7 : n);
	p++;
	if (*p == '\0')
		return 0;
	if (*p != '@' || (p++, !recur_number(&p, &h)) || *p++ != ':' ||
	    !recur_number(&p, &m) || *p != '\0' || h > 23 || m > 59 || p[-3] != ':')
		return -1;
	o->minute_of_day = (int)(h * 60 + m);
	return 0;
}

/* "P2D", "-P2D", "PT2H", "P1DT2H30M", "P1W" */
static int
recur_offset_iso(const char *s, struct recur_offset *o)
{
	const char *p = s + (*s == '-');
	bool time_part = false, any = false;
	long n;

	if (*p++ != 'P')
		return -1;
	while (*p) {
		if (*p == 'T' && !time_part) {
			time_part = true;
			p++;
			if (*p == '\0')
				return -1;
			continue;
		}
		if (!recur_number(&p, &n))
			return -1;
		any = true;
		if (!time_part && *p == 'W')
			o->days += (int)(n * 7);
		else if (!time_part && *p == 'D')
			o->days += (int)n;
		else if (time_part && *p == 'H')
			o->seconds += n * 3600;
		else if (time_part && *p == 'M')
			o->seconds += n * 60;
		else if (time_part && *p == 'S')
			o->seconds += n;
		else
			return -1;
		p++;
	}
	return any ? 0 : -1;
}

int
recur_offset_parse(const char *s, const char *field, struct recur_offset *o,
    struct error *err)
{
	int rc;

	memset(o, 0, sizeof(*o));
	o->minute_of_day = -1;
	if (s == NULL || s[0] == '\0' || strlen(s) > 32)
		return recur_offset_fail(s, field, err);
	rc = s[0] == 'P' || (s[0] == '-' && s[1] == 'P') ? recur_offset_iso(s, o) :
	    recur_offset_days(s, o);
	if (rc < 0 || o->days > RECUR_OFFSET_DAYS_MAX ||
	    o->seconds > (int64_t)RECUR_OFFSET_DAYS_MAX * 86400)
		return recur_offset_fail(s, field, err);
	return 0;
}

int64_t
recur_offset_apply(const struct recur_offset *o, int64_t start)
{
	struct recur_wall w;
	struct tm tm;
	time_t day;

	recur_wall_of(start, &w);
	/* calendar days back, counted on noon UTC so no daylight change interferes */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = w.year - 1900;
	tm.tm_mon = w.month - 1;
	tm.tm_mday = w.day;
	tm.tm_hour = 12;
	day = timegm(&tm) - (time_t)o->days * 86400;
	gmtime_r(&day, &tm);
	w.year = tm.tm_year + 1900;
	w.month = tm.tm_mon + 1;
	w.day = tm.tm_mday;
	if (o->minute_of_day >= 0) {
		w.hour = o->minute_of_day / 60;
		w.minute = o->minute_of_day % 60;
		w.second = 0;
	}
	return recur_local(&w) - o->seconds;
}

/* Keys */

int64_t
recur_key(int64_t start)
{
	struct recur_wall w;

	recur_wall_of(start, &w);
	return (((((int64_t)w.year * 100 + w.month) * 100 + w.day) * 100 + w.hour) * 100) +
	    w.minute;
}

int64_t
recur_key_time(int64_t key)
{
	struct recur_wall w = { 0 };
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (key < 197001010000 || key > 999912312359)
		return -1;
	w.minute = (int)(key % 100);
	w.hour = (int)(key / 100 % 100);
	w.day = (int)(key / 10000 % 100);
	w.month = (int)(key / 1000000 % 100);
	w.year = (int)(key / 100000000);
	if (w.minute > 59 || w.hour > 23 || w.month < 1 || w.month > 12 || w.day < 1 ||
	    w.day > mdays[w.month - 1])
		return -1;
	return recur_local(&w);
}
