/*
 * router — the reply router thread.  See router.h.
 */
#include "router.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "replies.h"

#define ROUTER_BATCH 64			/* replies per transaction-set before looking
					   at stop and poke again */
#define ROUTER_IDLE_S 60		/* a pass this often without a poke: a reply
					   stored by a worker that could not poke */
#define ROUTER_BACKOFF_MAX_S 60		/* most wait after a failed pass */
#define ROUTER_LOG_EVERY_S 60		/* a failure is logged this often at most */

struct router {
	struct app *app;
	struct db *db;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool poked;
	_Atomic bool stopping;		/* set with lock held, read without by a pass */
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
	} while (n == ROUTER_BATCH && !r->stopping);
	/* the answers queued wake the modems as they commit (queue_on_commit()) */
	return n < 0 ? -1 : 0;
}

/* Counts a failed pass, logs it at most once a minute; the next wait in seconds. */
static int
router_failed(struct router *r)
{
	int64_t now = r->app->now();

	r->failures++;
	r->backoff = r->backoff ? r->backoff * 2 : 1;
	if (r->backoff > ROUTER_BACKOFF_MAX_S)
		r->backoff = ROUTER_BACKOFF_MAX_S;
	if (r->logged_at == 0 || now - r->logged_at >= ROUTER_LOG_EVERY_S) {
		log_err("router: replies left undecided failures=%ld; trying again in %d s",
		    r->failures, r->backoff);
		r->logged_at = now;
	}
	return r->backoff;
}

static void *
router_main(void *arg)
{
	struct router *r = arg;
	struct timespec until;
	int wait_s;

	pthread_mutex_lock(&r->lock);
	while (!r->stopping) {
		r->poked = false;
		pthread_mutex_unlock(&r->lock);
		if (router_pass(r) == 0) {
			if (r->failures)
				log_info("router: replies decided again after failures=%ld",
				    r->failures);
			r->failures = 0;
			r->backoff = 0;
			r->logged_at = 0;
			wait_s = ROUTER_IDLE_S;
		} else {
			wait_s = router_failed(r);
		}
		pthread_mutex_lock(&r->lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += wait_s;
		/* after a failure a poke does not cut the backoff short */
		while ((!r->poked || r->backoff) && !r->stopping &&
		    pthread_cond_timedwait(&r->wake, &r->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
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
	if (r->db == NULL) {
		free(r);
		return NULL;
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	if (pthread_create(&r->thread, NULL, router_main, r) != 0) {
		snprintf(err, errlen, "cannot start the router thread");
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->wake);
		db_close(r->db);
		free(r);
		return NULL;
	}
	return r;
}

void
router_poke(struct router *r)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->lock);
	r->poked = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
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
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->wake);
	db_close(r->db);
	free(r);
}
