/*
 * modem_pool — the modem workers' threads (modem.h): one worker thread
 * per [modem] section (modem.c), and one watcher.  This file owns what
 * the workers share and the waits between their steps:
 *
 *   - start and stop, and the configuration in force (a reload reaches
 *     each worker at its next step, modem_pool_follow_config());
 *   - waits and wake-ups: a condition variable and an eventfd written by
 *     modem_pool_wake() (queue_on_commit()), an inotify watch of the
 *     database's WAL (a commit by another process), and poll() on each
 *     modem's port while it is idle (modem_pool_idle());
 *   - the watcher thread, which aborts a libgammu call that hangs on a
 *     vanished device or on line noise (gsmdev_watch());
 *   - the built-in simulator (device = simulator): a child process per
 *     such modem (simproc.h), started before its worker and stopped
 *     after it; modem_pool_simulate() talks to it over its control
 *     socket.
 *
 * Lock order: pool->lock, then a gsmdev's own lock is never taken inside
 * it (the watcher takes each gsmdev's lock after releasing pool->lock).
 */
#include "modem.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "gsmdev.h"
#include "log.h"
#include "modem_worker.h"
#include "simproc.h"

#define MODEM_WATCH_QUIET 2		/* looks without a libgammu call before the
					   watcher rests */
#define MODEM_WATCH_REST_MS 60000	/* a resting watcher's wait when not roused */
#define MODEM_IDLE_MS 1000		/* a ready modem's wait between looks at the queue:
					   the API and the scheduler wake it at once, an
					   SMS announced by the modem ends it too */
#define MODEM_IDLE_WATCHED_MS 5000	/* the same when a commit by another process
					   (rappelctl send) ends it too: what is left to
					   notice is the time passing (a message's
					   not_before, the sending hours), a few
					   seconds late at most */
#define MODEM_HANGUP_MS 10		/* pause when the port reports a hang-up, so the
					   idle wait does not spin until the step sees it */

/* ---- waiting ---- */

/* The CLOCK_REALTIME moment ms from now, for pthread_cond_timedwait(). */
static void
modem_pool_deadline(int ms, struct timespec *until)
{
	clock_gettime(CLOCK_REALTIME, until);
	until->tv_sec += ms / 1000;
	until->tv_nsec += (long)(ms % 1000) * 1000000;
	if (until->tv_nsec >= 1000000000) {
		until->tv_sec++;
		until->tv_nsec -= 1000000000;
	}
}

bool
modem_pool_wait(struct modem_pool *pool, int ms)
{
	struct timespec until;
	bool go_on;

	modem_pool_deadline(ms, &until);
	pthread_mutex_lock(&pool->lock);
	while (!pool->stopping && !pool->woken)
		if (pthread_cond_timedwait(&pool->wake, &pool->lock, &until) == ETIMEDOUT)
			break;
	pool->woken = false;
	go_on = !pool->stopping;
	pthread_mutex_unlock(&pool->lock);
	return go_on;
}

/* Consumes a wake (as modem_pool_wait() does); true when there was one or the pool stops. */
static bool
modem_pool_woken(struct modem_pool *pool)
{
	bool woken;

	pthread_mutex_lock(&pool->lock);
	woken = pool->woken || pool->stopping;
	pool->woken = false;
	pthread_mutex_unlock(&pool->lock);
	return woken;
}

/*
 * Up to ms in poll() on the device and on the pool's wake eventfd, so an
 * SMS the modem announces with +CMTI is read (gsmdev_read() runs
 * libgammu's callback) the moment it arrives and stored by the next
 * step, and a wake (a message queued, stopping) ends the wait at once.
 * No AT command is written here.  Without the descriptors it sleeps like
 * modem_pool_wait().
 */
static void
modem_pool_listen(struct modem *m, int ms)
{
	struct modem_pool *pool = m->pool;
	struct pollfd p[3] = {
		{ .fd = gsmdev_port_fd(m->dev), .events = POLLIN },
		{ .fd = pool->wake_fd, .events = POLLIN },
		{ .fd = pool->change_fd, .events = POLLIN },
	};
	char events[sizeof(struct inotify_event) + NAME_MAX + 1];
	uint64_t count;

	if (p[0].fd < 0 || pool->wake_fd < 0) {
		modem_pool_wait(pool, ms);
		return;
	}
	if (poll(p, pool->change_fd >= 0 ? 3 : 2, ms) <= 0)
		return;
	if (p[1].revents & POLLIN) {
		if (read(pool->wake_fd, &count, sizeof(count)) < 0)
			count = 0;	/* another modem took it: nothing to do */
		modem_pool_woken(pool);
	}
	/* the database changed: the step after this one looks at the queue */
	while ((p[2].revents & POLLIN) && read(pool->change_fd, events, sizeof(events)) > 0)
		;
	if (p[0].revents & POLLIN)
		gsmdev_read(m->dev);
	else if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL))
		modem_pool_wait(pool, MODEM_HANGUP_MS);	/* gone: the next step reconnects */
}

void
modem_pool_idle(struct modem *m)
{
	modem_pool_listen(m, m->pool->change_fd >= 0 ? MODEM_IDLE_WATCHED_MS : MODEM_IDLE_MS);
}

bool
modem_pool_stopping(struct modem_pool *pool)
{
	bool s;

	pthread_mutex_lock(&pool->lock);
	s = pool->stopping;
	pthread_mutex_unlock(&pool->lock);
	return s;
}

void
modem_pool_received(struct modem_pool *pool)
{
	/* under the lock, so that modem_pool_on_received(NULL) ends every call */
	pthread_mutex_lock(&pool->lock);
	if (pool->received)
		pool->received(pool->received_arg);
	pthread_mutex_unlock(&pool->lock);
}

void
modem_pool_follow_config(struct modem *m)
{
	const struct config *old = NULL;

	pthread_mutex_lock(&m->pool->lock);
	if (m->live_gen != m->pool->live_gen) {
		old = m->live;
		m->live = config_ref(m->pool->live);
		m->live_gen = m->pool->live_gen;
	}
	pthread_mutex_unlock(&m->pool->lock);
	config_free(old);
}

/* ---- the watcher ---- */

/*
 * A worker began a libgammu call (gsmdev's on_call): a resting watcher is
 * roused, and looks every MODEM_POLL_MS again while calls go on.
 */
static void
modem_pool_rouse(void *arg)
{
	struct modem_pool *pool = arg;

	/* seq_cst: either the watcher sees the new count, or this sees it resting */
	if (atomic_load(&pool->watch_resting)) {
		pthread_mutex_lock(&pool->lock);
		pthread_cond_signal(&pool->watch_wake);
		pthread_mutex_unlock(&pool->lock);
	}
}

/*
 * True when no modem began a libgammu call since the last look (seen[],
 * updated) and none is in one.
 */
static bool
modem_pool_watch_quiet(struct modem_pool *pool, unsigned *seen)
{
	bool quiet = true;
	size_t i;

	for (i = 0; i < pool->nmodems; i++) {
		unsigned calls = gsmdev_calls(pool->modems[i].dev);
		if (calls != seen[i] || gsmdev_in_call(pool->modems[i].dev))
			quiet = false;
		seen[i] = calls;
	}
	return quiet;
}

/*
 * The watcher: libgammu waits up to tens of seconds for an answer from a
 * device that was unplugged (its reads just fail).  Every MODEM_POLL_MS
 * this thread has each connected modem's adapter look at its device path
 * (gsmdev_watch()) and, when it is gone or names another node, abort the
 * running libgammu call, so the worker notices at once; a call that has
 * run GSMDEV_CALL_MAX_S is aborted too (line noise in place of an answer).
 * After MODEM_WATCH_QUIET looks without a call it rests until a worker
 * begins one (modem_pool_rouse()): an idle worker, waiting in poll() on
 * its port, sees an unplug itself.  Twice a second was half of an idle
 * rappeld's CPU.
 */
static void *
modem_pool_watch(void *arg)
{
	struct modem_pool *pool = arg;
	unsigned seen[CONFIG_MAX_MODEMS] = { 0 };
	int quiet = 0;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&pool->lock);
		if (!pool->stopping) {
			struct timespec until;
			modem_pool_deadline(MODEM_POLL_MS, &until);
			if (quiet >= MODEM_WATCH_QUIET) {
				atomic_store(&pool->watch_resting, true);
				/* looked at again once resting shows: a call may just have begun */
				if (modem_pool_watch_quiet(pool, seen))
					modem_pool_deadline(MODEM_WATCH_REST_MS, &until);
			}
			pthread_cond_timedwait(&pool->watch_wake, &pool->lock, &until);
			atomic_store(&pool->watch_resting, false);
		}
		if (pool->stopping) {
			pthread_mutex_unlock(&pool->lock);
			return NULL;
		}
		pthread_mutex_unlock(&pool->lock);
		quiet = modem_pool_watch_quiet(pool, seen) ? quiet + 1 : 0;
		for (i = 0; i < pool->nmodems; i++)
			gsmdev_watch(pool->modems[i].dev);
	}
}

/*
 * Every commit, by rappeld or by another process such as rappelctl send,
 * writes to the database's WAL file: an inotify watch on it lets an idle
 * worker look at the queue at once instead of at its next timeout.  The
 * file lives as long as a connection is open, and rappeld keeps its own.
 * The first write of a commit comes before the commit can be read (the
 * WAL is flushed, then its index updated): a look then may find nothing,
 * and a command's only commit would wait for the timeout.  The close of
 * the file by a process that wrote to it (rappelctl ending) comes after,
 * so it is watched too.  -1 when it cannot be watched: the shorter
 * timeout is used instead.
 */
static int
modem_pool_watch_commits(const char *db_path)
{
	char wal[PATH_MAX];
	int fd;

	if (db_path == NULL || (size_t)snprintf(wal, sizeof(wal), "%s-wal", db_path) >=
	    sizeof(wal) || (fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		return -1;
	if (inotify_add_watch(fd, wal, IN_MODIFY | IN_CLOSE_WRITE) < 0) {
		log_info("modem: cannot watch %s for commits (%s): looking at the queue "
		    "every %d ms", wal, strerror(errno), MODEM_IDLE_MS);
		close(fd);
		return -1;
	}
	return fd;
}

struct modem_pool *
modem_pool_start(const struct config *cfg, int64_t (*now)(void), char *err, size_t errlen)
{
	struct modem_pool *pool = calloc(1, sizeof(*pool));
	size_t i;

	if (pool == NULL)
		fatal("modem: out of memory");
	pool->cfg = config_ref(cfg);
	pool->live = config_ref(cfg);
	pool->live_gen = 1;
	pool->now = now;
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->wake, NULL);
	pthread_cond_init(&pool->watch_wake, NULL);
	pool->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);	/* -1: modem_pool_listen() sleeps */
	pool->change_fd = modem_pool_watch_commits(cfg->db_path);
	for (i = 0; i < cfg->nmodems; i++) {
		struct modem *m = &pool->modems[i];
		m->pool = pool;
		m->cfg = &cfg->modems[i];
		m->signal = -1;
		m->state = MODEM_CONNECTING;
		snprintf(m->device, sizeof(m->device), "%s", m->cfg->device);
		if (strcmp(m->cfg->device, "simulator") == 0) {
			if ((m->sim = simproc_start(m->cfg->name, m->cfg->pin, err, errlen)) == NULL)
				goto fail;
			snprintf(m->device, sizeof(m->device), "%s", simproc_device(m->sim));
		}
		if ((m->db = db_open(cfg->db_path, err, errlen)) == NULL) {
			simproc_stop(m->sim);
			goto fail;
		}
		m->dev = gsmdev_new(m->cfg->name, (unsigned)m->cfg->send_pause_ms,
		    modem_pool_rouse, pool);
		if (pthread_create(&m->thread, NULL, modem_run, m) != 0) {
			snprintf(err, errlen, "cannot start the thread of [%s]", m->cfg->name);
			gsmdev_free(m->dev);
			db_close(m->db);
			simproc_stop(m->sim);
			goto fail;
		}
		pool->nmodems++;
	}
	if (pool->nmodems > 0) {
		if (pthread_create(&pool->watcher, NULL, modem_pool_watch, pool) != 0) {
			snprintf(err, errlen, "cannot start the modem watcher thread");
			goto fail;
		}
		pool->watching = true;
	}
	return pool;
fail:
	modem_pool_stop(pool);
	return NULL;
}

int
modem_pool_simulate(struct modem_pool *pool, const char *from, const char *text)
{
	size_t i;

	for (i = 0; pool && i < pool->nmodems; i++)
		if (pool->modems[i].sim != NULL)
			return simproc_inject(pool->modems[i].sim, from, text);
	return -1;
}

void
modem_pool_on_received(struct modem_pool *pool, void (*fn)(void *), void *arg)
{
	if (pool == NULL)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->received = fn;
	pool->received_arg = arg;
	pthread_mutex_unlock(&pool->lock);
}

/* Ends a modem_pool_listen() in progress (or the next one): the eventfd stays readable. */
static void
modem_pool_kick(struct modem_pool *pool)
{
	uint64_t one = 1;

	if (pool->wake_fd >= 0 && write(pool->wake_fd, &one, sizeof(one)) < 0)
		log_debug("modem: cannot write the wake eventfd: %s", strerror(errno));
}

void
modem_pool_set_config(struct modem_pool *pool, const struct config *cfg)
{
	const struct config *old;

	if (pool == NULL)
		return;
	pthread_mutex_lock(&pool->lock);
	old = pool->live;
	pool->live = config_ref(cfg);
	pool->live_gen++;
	pthread_mutex_unlock(&pool->lock);
	config_free(old);
}

void
modem_pool_wake(struct modem_pool *pool)
{
	if (pool == NULL)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->woken = true;
	pthread_cond_broadcast(&pool->wake);
	pthread_mutex_unlock(&pool->lock);
	modem_pool_kick(pool);
}

void
modem_pool_stop(struct modem_pool *pool)
{
	size_t i;

	if (pool == NULL)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->stopping = true;
	pthread_cond_broadcast(&pool->wake);
	pthread_cond_signal(&pool->watch_wake);
	pthread_mutex_unlock(&pool->lock);
	modem_pool_kick(pool);
	if (pool->watching)
		pthread_join(pool->watcher, NULL);
	for (i = 0; i < pool->nmodems; i++) {
		struct modem *m = &pool->modems[i];
		pthread_join(m->thread, NULL);
		gsmdev_free(m->dev);
		db_close(m->db);
		simproc_stop(m->sim);
	}
	pthread_cond_destroy(&pool->wake);
	pthread_cond_destroy(&pool->watch_wake);
	if (pool->wake_fd >= 0)
		close(pool->wake_fd);
	if (pool->change_fd >= 0)
		close(pool->change_fd);
	pthread_mutex_destroy(&pool->lock);
	config_free(pool->live);
	config_free(pool->cfg);
	free(pool);
}
