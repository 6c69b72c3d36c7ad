/*
 * timeutil — ISO 8601 in the centre's time zone.  See timeutil.h.
 */
#include "timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Times are int64_t everywhere; the C library's must hold them (meson.build). */
_Static_assert(sizeof(time_t) >= sizeof(int64_t), "a 64-bit time_t is needed: _TIME_BITS=64");

void
time_set_zone(const char *name)
{
	setenv("TZ", name, 1);
	tzset();
}

void
time_format_iso(int64_t t, char out[TIME_ISO_MAX])
{
	time_t tt = (time_t)t;
	struct tm tm;
	int off;

	localtime_r(&tt, &tm);
	off = (int)(tm.tm_gmtoff / 60) % (24 * 60);	/* minutes, |off| < 1 day */
	snprintf(out, TIME_ISO_MAX, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100, tm.tm_mday % 100,
	    tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100,
	    off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
}

void
time_format_day(int64_t t, char out[TIME_DAY_MAX])
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(out, TIME_DAY_MAX, "%Y-%m-%d", &tm);
}

json_t *
time_json(int64_t t)
{
	char iso[TIME_ISO_MAX];

	if (t == 0)
		return json_null();
	time_format_iso(t, iso);
	return json_string(iso);
}

static int
time_valid_date(int y, int mo, int d)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > days[mo - 1])
		return 0;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

static int
time_local_midnight(int y, int mo, int d, int64_t *t)
{
	struct tm tm = { 0 };

	if (!time_valid_date(y, mo, d))
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	*t = (int64_t)mktime(&tm);
	return 0;
}

int
time_parse(const char *s, int64_t *t)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, n = 0;
	struct tm tm = { 0 };
	const char *p;
	int sign = 1;

	if (s == NULL)
		return -1;
	if (sscanf(s, "%2d/%2d/%4d%n", &d, &mo, &y, &n) == 3 && s[n] == '\0')
		return time_local_midnight(y, mo, d, t);
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	if (s[10] == '\0')
		return time_local_midnight(y, mo, d, t);
	if (s[10] != 'T' && s[10] != ' ')
		return -1;
	p = s + 11;
	if (sscanf(p, "%2d:%2d%n", &h, &mi, &n) != 2 || n != 5)
		return -1;
	p += 5;
	if (*p == ':') {
		if (sscanf(p + 1, "%2d%n", &sec, &n) != 1 || n != 2)
			return -1;
		p += 3;
	}
	if (*p == '.')		/* fractions of a second are dropped */
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) == 2 && n == 5)
			p += 6;
		else if (sscanf(p + 1, "%2d%2d%n", &oh, &om, &n) == 2 && n == 4)
			p += 5;
		else
			return -1;
	} else {
		return -1;	/* a time without an offset is ambiguous */
	}
	if (*p != '\0' || !time_valid_date(y, mo, d) || h > 23 || mi > 59 || sec > 60 ||
	    oh > 14 || om > 59)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*t = (int64_t)timegm(&tm) - sign * (oh * 3600 + om * 60);
	return 0;
}
