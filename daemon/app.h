/*
 * app — what the threads share: the configuration in force, login rate
 * limits, the clock, and the other threads to wake.  Built by main.c, which owns every pointer
 * in it.
 *
 * The configuration is a snapshot (config.h) behind one accessor:
 * app_config() hands a reference to the one in force, the reader drops
 * it with config_free() when done (a request, a pass); app_config_set()
 * puts a new one in force, and the old one is freed by its last reader.
 * app_reload() reads the file and the panel's settings again and puts
 * the result in force, for SIGHUP and for the panel's Paramètres alike.
 */
#ifndef RAPPEL_APP_H
#define RAPPEL_APP_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "db.h"
#include "ratelimit.h"

struct modem_pool;
struct scheduler;
struct app;

/*
 * What a reload does besides putting the new configuration in force (the
 * threads told to use it), set by main.c; called with the reload lock
 * held, with the configuration before and the new one.
 */
typedef void (*app_reloaded_fn)(struct app *app, const struct config *before,
    const struct config *now);

struct app {
	/*
	 * The login rate limits (ratelimit.h: not thread-safe), used by the
	 * HTTP threads under login_lock, which is held from the check to the
	 * count: one password is verified at a time, as when one thread
	 * served every request, so parallel attempts neither slip past the
	 * limit nor take Argon2's 64 MiB each at once.
	 */
	pthread_mutex_t login_lock;
	struct ratelimit *login_by_addr;
	struct ratelimit *login_by_name;
	int64_t (*now)(void);		/* the clock; main.c passes the real one */
	struct modem_pool *modems;	/* woken when a message is queued; may be NULL */
	struct scheduler *sched;	/* poked when a campaign or atelier changes; may be NULL */
	app_reloaded_fn reloaded;	/* may be NULL */

	/* private: app_config() and app_config_set() */
	pthread_mutex_t config_lock;
	pthread_mutex_t reload_lock;	/* one reload at a time */
	const struct config *config;	/* one reference, held by app */
	unsigned long config_generation;	/* app_config_set()s so far */
};

/* Sets app up with cfg in force (takes the caller's reference). */
void app_init(struct app *app, struct config *cfg);
/* Drops the configuration's reference and the locks (not the rest). */
void app_clear(struct app *app);

/* A reference to the configuration in force; release it with config_free(). */
const struct config *app_config(struct app *app);
/* app_config_set()s so far: a reader can tell that the configuration changed. */
unsigned long app_config_generation(struct app *app);
/* Puts cfg in force (takes the caller's reference). */
void app_config_set(struct app *app, struct config *cfg);

/*
 * Reads the configuration file and the settings stored in db (any
 * connection of the caller's thread) again and puts the result in force,
 * then calls app->reloaded.  0, or -1 with an English reason in err, the
 * configuration in force unchanged.  *applied (may be NULL) gets a
 * reference to what is in force afterwards: release it.
 */
int app_reload(struct app *app, struct db *db, const struct config **applied, char *err,
    size_t errlen);

#endif
