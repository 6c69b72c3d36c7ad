/*
 * http_watch — the HTTP connections' deadlines.  See http_watch.h.
 */
#include "http_watch.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "log.h"

struct http_watch_conn {
	struct http_watch_conn *prev, *next;
	int fd;
	int64_t deadline;	/* CLOCK_MONOTONIC, ms */
	bool shut;		/* shut down by the watch */
};

struct http_watch {
	pthread_mutex_t lock;	/* all below */
	pthread_cond_t wake;
	struct http_watch_conn *conns;
	unsigned open;		/* connections, with a record or not */
	bool stopping;
	bool started;
	pthread_t thread;
};

static int64_t
http_watch_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Shuts down, once a second, the connections past their deadline. */
static void *
http_watch_main(void *arg)
{
	struct http_watch *w = arg;
	struct http_watch_conn *c;
	struct timespec until;
	int64_t now;
	unsigned shut;

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		now = http_watch_now_ms();
		shut = 0;
		for (c = w->conns; c; c = c->next) {
			if (c->shut || c->deadline > now)
				continue;
			shutdown(c->fd, SHUT_RDWR);
			c->shut = true;
			shut++;
		}
		if (shut)
			log_warn("http: closed %u connection(s) past their deadline", shut);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&w->wake, &w->lock, &until);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct http_watch *
http_watch_new(void)
{
	struct http_watch *w = calloc(1, sizeof(*w));

	if (w == NULL)
		fatal("http: out of memory");
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	return w;
}

int
http_watch_start(struct http_watch *w)
{
	int rc = pthread_create(&w->thread, NULL, http_watch_main, w);

	w->started = rc == 0;
	return rc;
}

void
http_watch_stop(struct http_watch *w)
{
	if (w == NULL || !w->started)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	w->started = false;
}

void
http_watch_free(struct http_watch *w)
{
	if (w == NULL)
		return;
	http_watch_stop(w);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

struct http_watch_conn *
http_watch_open(struct http_watch *w, int fd, int seconds)
{
	struct http_watch_conn *c = fd >= 0 ? calloc(1, sizeof(*c)) : NULL;

	pthread_mutex_lock(&w->lock);
	w->open++;
	if (c) {
		c->fd = fd;
		c->deadline = http_watch_now_ms() + (int64_t)seconds * 1000;
		c->next = w->conns;
		if (w->conns)
			w->conns->prev = c;
		w->conns = c;
	}
	pthread_mutex_unlock(&w->lock);
	return c;
}

void
http_watch_move(struct http_watch *w, struct http_watch_conn *c, int seconds)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	c->deadline = http_watch_now_ms() + (int64_t)seconds * 1000;
	pthread_mutex_unlock(&w->lock);
}

bool
http_watch_close(struct http_watch *w, struct http_watch_conn *c)
{
	bool last;

	pthread_mutex_lock(&w->lock);
	if (c) {
		if (c->prev)
			c->prev->next = c->next;
		else
			w->conns = c->next;
		if (c->next)
			c->next->prev = c->prev;
		free(c);
	}
	last = w->open > 0 && --w->open == 0;
	pthread_mutex_unlock(&w->lock);
	return last;
}
