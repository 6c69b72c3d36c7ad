/*
 * recur_dump — rappel's side of the recurrence differential test
 * (recur_diff.py).  Reads lines "ID<TAB>ZONE<TAB>YYYYMMDDHHMM<TAB>RRULE<TAB>MAX"
 * on stdin; the start is a local wall-clock time in ZONE, placed by
 * recur_key_time() as the API would.  Writes, for each, one line
 * "ID<TAB>START<TAB>S1,S2,..." with every session (at most MAX) as a
 * local ISO 8601 time with its offset, or "ID<TAB>ERROR" when the rule is
 * refused.  First, where libical has a 32-bit time_t (Debian 12 armhf,
 * meson.build), the line "#<TAB>libical-last-year<TAB>2037": it expands
 * nothing later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recur.h"
#include "timeutil.h"

#define RECUR_DUMP_MAX 400

static char recur_dump_zone[64];

static void
recur_dump_line(char *line)
{
	char *id, *zone, *start, *rule, *max, *save = NULL;
	int64_t out[RECUR_DUMP_MAX], dtstart;
	char iso[TIME_ISO_MAX];
	long m;
	int n, i;

	id = strtok_r(line, "\t\n", &save);
	zone = strtok_r(NULL, "\t\n", &save);
	start = strtok_r(NULL, "\t\n", &save);
	rule = strtok_r(NULL, "\t\n", &save);
	max = strtok_r(NULL, "\t\n", &save);
	if (id == NULL || zone == NULL || start == NULL || rule == NULL || max == NULL)
		return;
	if (strcmp(zone, recur_dump_zone) != 0) {
		snprintf(recur_dump_zone, sizeof(recur_dump_zone), "%s", zone);
		time_set_zone(zone);
	}
	m = strtol(max, NULL, 10);
	if (m < 1 || m > RECUR_DUMP_MAX)
		m = RECUR_DUMP_MAX;
	dtstart = recur_key_time(strtoll(start, NULL, 10));
	time_format_iso(dtstart, iso);
	n = recur_expand(rule, dtstart, dtstart, INT64_MAX / 4, out, (size_t)m);
	if (n < 0) {
		printf("%s\t%s\tERROR\n", id, iso);
		return;
	}
	printf("%s\t%s\t", id, iso);
	for (i = 0; i < n; i++) {
		time_format_iso(out[i], iso);
		printf("%s%s", i ? "," : "", iso);
	}
	printf("\n");
}

int
main(void)
{
	char line[1024];

#ifdef RAPPEL_LIBS_TIME_T_32
	printf("#\tlibical-last-year\t2037\n");
#endif
	while (fgets(line, sizeof(line), stdin) != NULL)
		recur_dump_line(line);
	return 0;
}
