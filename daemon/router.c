/*
 * router — the reply router thread.  See router.h.
 */
#include "router.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "passes.h"
#include "replies.h"
#include "sendpolicy.h"

#define ROUTER_BATCH 64			/* replies per transaction-set before looking
					   at stop and poke again */
#define ROUTER_IDLE_S 60		/* a pass this often without a poke: a reply
					   stored by a worker that could not poke */
#define ROUTER_BACKOFF_MAX_S 60		/* most wait after a failed pass */
#define ROUTER_LOG_EVERY_S 60		/* a failure is logged this often at most */

struct router {
	struct app *app;
	struct db *db;
	struct passes passes;
	int backoff;			/* seconds; 0 while passes succeed */
	int64_t logged_at;		/* the last failure logged */
	long failures;			/* in a row */
};

/* One pass: every undecided reply.  0, or -1 when one could not be decided. */
static int
router_pass(struct router *r)
{
	const struct config *cfg;
	bool queued = false;
	int n;

	do {
		cfg = app_config(r->app);	/* this batch's snapshot */
		n = replies_process_pending(r->db, cfg, r->app->now(), ROUTER_BATCH, &queued);
		config_free(cfg);
	} while (n == ROUTER_BATCH && !passes_stopping(&r->passes));
	/* the answers queued wake the modems as they commit (queue_on_commit()) */
	return n < 0 ? -1 : 0;
}

/* Counts a failed pass, logs it at most once a minute; the next wait in seconds. */
static int
router_failed(struct router *r)
{
	int64_t now = r->app->now();

	r->failures++;
	r->backoff = sendpolicy_backoff(r->backoff, ROUTER_BACKOFF_MAX_S);
	if (r->logged_at == 0 || now - r->logged_at >= ROUTER_LOG_EVERY_S) {
		log_err("router: replies left undecided failures=%ld; trying again in %d s",
		    r->failures, r->backoff);
		r->logged_at = now;
	}
	return r->backoff;
}

/* A pass, then ROUTER_IDLE_S or a poke; after a failure, a backoff no poke cuts. */
static int
router_main_pass(void *arg, bool *listen)
{
	struct router *r = arg;

	if (router_pass(r) < 0) {
		*listen = false;
		return router_failed(r);
	}
	if (r->failures)
		log_info("router: replies decided again after failures=%ld", r->failures);
	r->failures = 0;
	r->backoff = 0;
	r->logged_at = 0;
	return ROUTER_IDLE_S;
}

struct router *
router_start(struct app *app, char *err, size_t errlen)
{
	struct router *r = calloc(1, sizeof(*r));
	const struct config *cfg;

	if (r == NULL)
		fatal("router: out of memory");
	cfg = app_config(app);
	r->app = app;
	r->db = db_open(cfg->db_path, err, errlen);
	config_free(cfg);
	if (r->db == NULL || passes_start(&r->passes, router_main_pass, r, "router", err,
	    errlen) < 0) {
		db_close(r->db);
		free(r);
		return NULL;
	}
	return r;
}

void
router_poke(struct router *r)
{
	if (r != NULL)
		passes_poke(&r->passes);
}

void
router_poke_cb(void *arg)
{
	router_poke(arg);
}

void
router_stop(struct router *r)
{
	if (r == NULL)
		return;
	passes_stop(&r->passes);
	db_close(r->db);
	free(r);
}
