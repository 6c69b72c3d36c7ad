/*
 * sendpolicy — the modems' sending policy.  See sendpolicy.h.
 */
#include "sendpolicy.h"

#include <string.h>

#include "window.h"

void
sendpolicy_init(struct sendpolicy *p, int64_t now, int minute, int today)
{
	memset(p, 0, sizeof(*p));
	sendpolicy_count(p, now, minute);
	p->day_parts = today;
}

void
sendpolicy_count(struct sendpolicy *p, int64_t at, int parts)
{
	size_t slot = (size_t)(at % SENDPOLICY_RATE_SLOTS);
	int64_t day = window_day_start(at);

	if (p->second[slot] != at) {
		p->second[slot] = at;
		p->count[slot] = 0;
	}
	p->count[slot] += parts;
	if (p->day != day) {
		p->day = day;
		p->day_parts = 0;
	}
	p->day_parts += parts;
}

int
sendpolicy_last_minute(const struct sendpolicy *p, int64_t now)
{
	int minute = 0;
	size_t i;

	for (i = 0; i < SENDPOLICY_RATE_SLOTS; i++)
		if (p->second[i] >= now - 60 && p->second[i] <= now)
			minute += p->count[i];
	return minute;
}

int
sendpolicy_today(const struct sendpolicy *p, int64_t now)
{
	return p->day != window_day_start(now) ? 0 : p->day_parts;
}

bool
sendpolicy_may_send(const struct sendpolicy *p, const struct config *cfg, int64_t now)
{
	return !sendpolicy_benched(p, now) && window_next_allowed(cfg, now) == now &&
	    sendpolicy_last_minute(p, now) < cfg->max_per_minute &&
	    sendpolicy_today(p, now) < cfg->max_per_day;
}

bool
sendpolicy_sent(struct sendpolicy *p, enum sendpolicy_result r, int64_t now)
{
	if (r == SENDPOLICY_OK || r == SENDPOLICY_PERMFAIL) {
		p->failures = 0;
		return false;
	}
	if (++p->failures < SENDPOLICY_BENCH_FAILURES)
		return false;
	p->failures = 0;
	p->benched_until = now + SENDPOLICY_BENCH_S;
	return true;
}

bool
sendpolicy_benched(const struct sendpolicy *p, int64_t now)
{
	return now < p->benched_until;
}

enum sendpolicy_result
sendpolicy_cms(int code)
{
	static const int permanent[] = {
		1,	/* unassigned (unallocated) number */
		8,	/* operator determined barring */
		10,	/* call barred */
		21,	/* short message transfer rejected */
		28,	/* unidentified subscriber */
		29,	/* facility rejected */
		30,	/* unknown subscriber */
		50,	/* requested facility not subscribed */
		96,	/* invalid mandatory information */
		304,	/* invalid PDU mode parameter */
		305,	/* invalid text mode parameter */
	};
	size_t i;

	for (i = 0; i < sizeof(permanent) / sizeof(permanent[0]); i++)
		if (permanent[i] == code)
			return SENDPOLICY_PERMFAIL;
	return SENDPOLICY_TEMPFAIL;
}

int
sendpolicy_backoff(int previous, int max)
{
	int next = previous > 0 ? previous * 2 : 1;

	return next > max ? max : next;
}
