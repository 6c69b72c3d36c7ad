/*
 * timeutil — times as the API shows them: ISO 8601 with the offset of the
 * process's time zone (set once by main from [centre] timezone), e.g.
 * "2026-12-03T14:00:00+01:00".  Pure apart from the zone database.
 */
#ifndef RAPPEL_TIMEUTIL_H
#define RAPPEL_TIMEUTIL_H

#include <jansson.h>
#include <stdint.h>

#define TIME_ISO_MAX 32

#define TIME_DAY_MAX 11

/* Writes t in local time with its offset into out. */
void time_format_iso(int64_t t, char out[TIME_ISO_MAX]);
/* Writes t's local day, "YYYY-MM-DD", into out (file names of exports). */
void time_format_day(int64_t t, char out[TIME_DAY_MAX]);

/*
 * Parses "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM|±HHMM)" or a local date
 * "YYYY-MM-DD" (midnight local time) or a French date "DD/MM/YYYY".
 * 0 and *t, or -1.
 */
int time_parse(const char *s, int64_t *t);

/* t as an ISO string for the API, or JSON null when t is 0. */
json_t *time_json(int64_t t);

/* Sets the process time zone (TZ) to name, e.g. "Europe/Paris". */
void time_set_zone(const char *name);

#endif
