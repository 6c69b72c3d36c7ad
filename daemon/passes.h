/*
 * passes — a thread that runs passes: one at start, then one after each
 * wait, which ends at a poke or at a time the pass chose.  The scheduler,
 * the reply router and the demo's simulated families are such threads;
 * each owns one struct passes and its own database connection.
 *
 *   pass(arg, &listen) runs without the lock and returns the seconds to
 *   wait before the next pass; with listen set to false a poke does not
 *   cut that wait short (a backoff after a failure).  passes_stop() ends
 *   the wait at once and joins the thread after its current pass.
 */
#ifndef RAPPEL_PASSES_H
#define RAPPEL_PASSES_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct passes {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool poked;			/* with lock */
	bool stopping;			/* with lock */
	int (*pass)(void *arg, bool *listen);
	void *arg;
};

/*
 * Starts the thread on p (which the caller owns and keeps until
 * passes_stop()).  0, or -1 with a reason in err (nothing to stop then).
 */
int passes_start(struct passes *p, int (*pass)(void *arg, bool *listen), void *arg,
    const char *name, char *err, size_t errlen);
/* Ends the current wait (or the next) with a pass. */
void passes_poke(struct passes *p);
/* True once passes_stop() began: a long pass may return early. */
bool passes_stopping(struct passes *p);
/* Stops the thread after its current pass and joins it. */
void passes_stop(struct passes *p);

#endif
