/*
 * ratelimit — failure counting per key.  See ratelimit.h.
 */
#include "ratelimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define RATELIMIT_KEY_MAX 96

struct ratelimit_entry {
	char key[RATELIMIT_KEY_MAX];	/* "" when the slot is free */
	int failures;
	int64_t first;		/* time of the first failure of the window */
	int64_t last;		/* time of the last failure */
};

struct ratelimit {
	size_t slots;
	int max_failures;
	int window;
	int block;
	struct ratelimit_entry entries[];
};

struct ratelimit *
ratelimit_new(size_t slots, int max_failures, int window, int block)
{
	struct ratelimit *rl = calloc(1, sizeof(*rl) + slots * sizeof(rl->entries[0]));

	if (rl == NULL)
		fatal("ratelimit: out of memory");
	rl->slots = slots;
	rl->max_failures = max_failures;
	rl->window = window;
	rl->block = block;
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	free(rl);
}

static struct ratelimit_entry *
ratelimit_find(struct ratelimit *rl, const char *key)
{
	size_t i;

	for (i = 0; i < rl->slots; i++)
		if (rl->entries[i].key[0] && strncmp(rl->entries[i].key, key,
		    RATELIMIT_KEY_MAX - 1) == 0)
			return &rl->entries[i];
	return NULL;
}

bool
ratelimit_blocked(struct ratelimit *rl, const char *key, int64_t now, int *retry_after)
{
	struct ratelimit_entry *e = ratelimit_find(rl, key);

	if (e == NULL || e->failures < rl->max_failures)
		return false;
	if (now >= e->last + rl->block) {
		e->key[0] = '\0';	/* served its time */
		return false;
	}
	if (retry_after)
		*retry_after = (int)(e->last + rl->block - now);
	return true;
}

void
ratelimit_fail(struct ratelimit *rl, const char *key, int64_t now)
{
	struct ratelimit_entry *e = ratelimit_find(rl, key), *oldest = NULL;
	size_t i;

	if (e == NULL) {
		for (i = 0; i < rl->slots; i++) {
			if (rl->entries[i].key[0] == '\0') {
				e = &rl->entries[i];
				break;
			}
			if (oldest == NULL || rl->entries[i].last < oldest->last)
				oldest = &rl->entries[i];
		}
		if (e == NULL)
			e = oldest;
		if (e == NULL)
			return;		/* a table of zero slots counts nothing */
		snprintf(e->key, sizeof(e->key), "%s", key);
		e->failures = 0;
	}
	/* Old failures drop out of the window, unless they already blocked. */
	if (e->failures < rl->max_failures && now - e->first > rl->window)
		e->failures = 0;
	if (e->failures == 0)
		e->first = now;
	e->failures++;
	e->last = now;
}

void
ratelimit_success(struct ratelimit *rl, const char *key)
{
	struct ratelimit_entry *e = ratelimit_find(rl, key);

	if (e)
		e->key[0] = '\0';
}
