/*
 * app — what the HTTP handlers share: the configuration, the HTTP
 * thread's own database connection, login rate limits and the clock.
 * Built by main.c, which owns every pointer in it.
 */
#ifndef RAPPEL_APP_H
#define RAPPEL_APP_H

#include <stdint.h>

#include "config.h"
#include "db.h"
#include "ratelimit.h"

struct modem_pool;
struct scheduler;

struct app {
	const struct config *cfg;
	struct db *db;			/* used by the HTTP thread only */
	struct ratelimit *login_by_addr;
	struct ratelimit *login_by_name;
	int64_t (*now)(void);		/* the clock; main.c passes the real one */
	struct modem_pool *modems;	/* woken when a message is queued; may be NULL */
	struct scheduler *sched;	/* poked when a campaign or atelier changes; may be NULL */
};

#endif
