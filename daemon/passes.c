/*
 * passes — a thread of passes and waits.  See passes.h.
 */
#include "passes.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

static void *
passes_main(void *arg)
{
	struct passes *p = arg;
	struct timespec until;
	bool listen;
	int wait_s;

	pthread_mutex_lock(&p->lock);
	while (!p->stopping) {
		p->poked = false;
		pthread_mutex_unlock(&p->lock);
		listen = true;
		wait_s = p->pass(p->arg, &listen);
		pthread_mutex_lock(&p->lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += wait_s > 0 ? wait_s : 0;
		while ((!p->poked || !listen) && !p->stopping &&
		    pthread_cond_timedwait(&p->wake, &p->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int
passes_start(struct passes *p, int (*pass)(void *arg, bool *listen), void *arg,
    const char *name, char *err, size_t errlen)
{
	p->pass = pass;
	p->arg = arg;
	p->poked = false;
	p->stopping = false;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	if (pthread_create(&p->thread, NULL, passes_main, p) != 0) {
		snprintf(err, errlen, "cannot start the %s thread", name);
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->wake);
		return -1;
	}
	return 0;
}

void
passes_poke(struct passes *p)
{
	pthread_mutex_lock(&p->lock);
	p->poked = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
}

bool
passes_stopping(struct passes *p)
{
	bool stopping;

	pthread_mutex_lock(&p->lock);
	stopping = p->stopping;
	pthread_mutex_unlock(&p->lock);
	return stopping;
}

void
passes_stop(struct passes *p)
{
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
}
