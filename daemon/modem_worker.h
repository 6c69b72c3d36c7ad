/*
 * modem_worker — what the modem worker (modem.c) and the pool
 * (modem_pool.c) share; no other file includes it.  modem.h is the
 * public side of both.
 *
 *   modem.c       one modem's logic, in its own thread: connecting and
 *                 the PIN policy, the step (health, sweep, claim, send,
 *                 record), storing what the SIM holds, publishing the
 *                 state to modem_status.  It talks to its device only
 *                 through gsmdev.h.
 *   modem_pool.c  the threads: start and stop, the configuration in
 *                 force, waits and wake-ups (an eventfd, the inotify
 *                 watch of the WAL, poll() on the port), the watcher,
 *                 the built-in simulator's process (simproc.h).
 *
 * Ownership: the pool owns its struct modem array; each struct modem's
 * fields belong to its worker thread, except where marked.  pool->now and
 * pool->change_fd never change after modem_pool_start().
 */
#ifndef RAPPEL_MODEM_WORKER_H
#define RAPPEL_MODEM_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "db.h"
#include "gsmdev.h"
#include "sendpolicy.h"

#define MODEM_POLL_MS 500		/* wait between looks at a device or a state */

/* A worker's state, as modem_status.state says it (modem.c has the list). */
enum modem_state {
	MODEM_CONNECTING,
	MODEM_PIN_REFUSED,
	MODEM_NO_NETWORK,
	MODEM_READY,
	MODEM_RECONNECTING,
	MODEM_BENCHED,
	MODEM_STOPPED,
};

/* A part the network accepted, recorded with the message's outcome. */
struct modem_part {
	int seq;
	int reference;
	int64_t at;
};

/*
 * What became of a message the modem was given, kept in memory until the
 * database takes it (a full disk, a database busy for too long): the
 * message stays 'sending' meanwhile, never claimed again.
 */
struct modem_outcome {
	bool pending;
	int64_t id;
	int result;			/* enum sendpolicy_result */
	char why[256];
	int64_t at;
	int nparts;
	struct modem_part parts[GSMDEV_MAX_PARTS];
};

struct simproc;

struct modem {
	struct modem_pool *pool;
	const struct config_modem *cfg;
	char device[256];		/* cfg's, or the built-in simulator's link */
	pthread_t thread;
	struct db *db;
	struct gsmdev *dev;		/* the watcher calls gsmdev_watch() on it */
	enum modem_state state;
	bool pin_refused;		/* once refused, the PIN is never tried again */
	int timeouts;			/* in a row */
	int backoff;			/* seconds before the next reconnection */
	int64_t next_sweep, next_health;
	int64_t reports_since;		/* announced reports wait since then; 0: none */
	int signal;
	char operator[64];
	char last_error[256];
	long sent_total;
	int64_t published_at;		/* last modem_status write */
	bool unsynced;			/* a lazy commit is not yet on the disk */
	bool worked;			/* sent or read the SIM since it was last idle */
	struct sendpolicy policy;	/* rates and bench (sendpolicy.h) */
	bool policy_loaded;		/* its counts read from message_parts */
	struct modem_outcome outcome;	/* not yet committed, see modem_record() */
	int db_backoff;			/* s; after the database refused a write, 0 else */
	int64_t db_retry_at;		/* no claim before this time */
	int64_t db_logged_at;		/* the last refusal logged */
	long db_failures;		/* refusals in a row */
	struct simproc *sim;		/* device = simulator: its process (pool) */
	const struct config *live;	/* the worker's reference to pool->live, taken
					   at each step (modem_pool_follow_config()) */
	unsigned long live_gen;
};

struct modem_pool {
	const struct config *cfg;	/* at start, a reference: the [modem] sections */
	const struct config *live;	/* with lock, a reference: the one in force
					   (hours, rates, retries) */
	unsigned long live_gen;		/* with lock: modem_pool_set_config()s so far */
	int64_t (*now)(void);
	void (*received)(void *);	/* with lock: a reply was stored, see */
					/* modem_pool_on_received() */
	void *received_arg;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	bool woken;
	int wake_fd;			/* eventfd written with every wake, for poll(); -1: none */
	int change_fd;			/* inotify on the database's WAL, written by every
					   commit of any process, for poll(); -1: none */
	pthread_t watcher;		/* aborts libgammu calls on a vanished device */
	bool watching;
	pthread_cond_t watch_wake;	/* with lock: rouses the watcher */
	_Atomic bool watch_resting;	/* the watcher waits for a call to begin */
	size_t nmodems;
	struct modem modems[CONFIG_MAX_MODEMS];
};

/* ---- modem.c, for the pool ---- */

/* A worker thread's body: arg is its struct modem, set up by the pool. */
void *modem_run(void *arg);

/* ---- modem_pool.c, for the worker ---- */

/* Sleeps up to ms, or less when woken or stopping.  Returns false when stopping. */
bool modem_pool_wait(struct modem_pool *pool, int ms);
/* True once modem_pool_stop() began. */
bool modem_pool_stopping(struct modem_pool *pool);
/*
 * The idle wait of a ready modem m: poll() on its port, on the wake
 * eventfd and on the WAL watch, a few seconds at most; an SMS the modem
 * announces is read (gsmdev_read()) before it returns.  No AT command.
 */
void modem_pool_idle(struct modem *m);
/* Tells the pool's listener (the reply router) that replies were stored. */
void modem_pool_received(struct modem_pool *pool);
/* m takes the configuration in force when it changed (a reload). */
void modem_pool_follow_config(struct modem *m);

#endif
