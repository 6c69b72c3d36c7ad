/*
 * phone_plan — the numbering plans phone.c checks numbers against, taken
 * from Google's libphonenumber metadata by tools/gen_phone_plan.py into
 * phone_plan.c (generated, committed; the version is phone_plan_version).
 * Pure data, read-only: about 16,000 ranges of 16 bytes in .rodata.
 *
 * A number +CC NSN is valid when a range of CC with NSN's length has
 * leading digits that NSN starts with.  The ranges of one (cc, len) never
 * overlap (no prefix is a prefix of another), and the table is sorted by
 * (cc, len, prefix), so one binary search finds the only candidate.
 * Only the country codes marked "planned" have ranges: the others (+1,
 * Germany, India ...) are checked on length alone (phone.h).
 */
#ifndef RAPPEL_PHONE_PLAN_H
#define RAPPEL_PHONE_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "phone.h"

#define PHONE_PLAN_PREFIX_MAX 10	/* longest leading digits, and the NUL (checked by the generator) */

struct phone_cc {
	uint16_t cc;		/* country calling code, 1 to 3 digits */
	uint8_t trunk;		/* written nationally with a leading 0 ("+44 07..." is "+44 7...") */
	uint8_t planned;	/* its ranges are in phone_plan_ranges */
};

struct phone_range {
	uint16_t cc;
	uint8_t len;		/* digits of the national significant number */
	uint8_t kind;		/* enum phone_kind */
	uint8_t geo;		/* a mobile or a geographic landline (not VoIP, not 08) */
	char prefix[PHONE_PLAN_PREFIX_MAX];	/* leading digits, may be "" */
};

extern const char phone_plan_version[];
extern const struct phone_cc phone_plan_ccs[];	/* sorted by cc */
extern const size_t phone_plan_nccs;
extern const struct phone_range phone_plan_ranges[];	/* sorted by cc, len, prefix */
extern const size_t phone_plan_nranges;
extern const size_t phone_plan_prefix_max;

#endif
