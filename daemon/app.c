/*
 * app — the configuration in force, and reloading it.  See app.h.
 */
#include "app.h"

#include <stdio.h>

#include "log.h"
#include "settings.h"

void
app_init(struct app *app, struct config *cfg)
{
	pthread_mutex_init(&app->config_lock, NULL);
	pthread_mutex_init(&app->reload_lock, NULL);
	pthread_mutex_init(&app->login_lock, NULL);
	app->config = cfg;
	app->config_generation = 1;
}

void
app_clear(struct app *app)
{
	config_free(app->config);
	app->config = NULL;
	pthread_mutex_destroy(&app->config_lock);
	pthread_mutex_destroy(&app->reload_lock);
	pthread_mutex_destroy(&app->login_lock);
}

const struct config *
app_config(struct app *app)
{
	const struct config *cfg;

	pthread_mutex_lock(&app->config_lock);
	cfg = config_ref(app->config);
	pthread_mutex_unlock(&app->config_lock);
	return cfg;
}

unsigned long
app_config_generation(struct app *app)
{
	unsigned long g;

	pthread_mutex_lock(&app->config_lock);
	g = app->config_generation;
	pthread_mutex_unlock(&app->config_lock);
	return g;
}

void
app_config_set(struct app *app, struct config *cfg)
{
	const struct config *old;

	pthread_mutex_lock(&app->config_lock);
	old = app->config;
	app->config = cfg;
	app->config_generation++;
	pthread_mutex_unlock(&app->config_lock);
	config_free(old);	/* freed here, or by its last reader */
}

int
app_reload(struct app *app, struct db *db, const struct config **applied, char *err,
    size_t errlen)
{
	const struct config *before;
	struct config *fresh;
	int rc = -1;

	if (applied)
		*applied = NULL;
	pthread_mutex_lock(&app->reload_lock);
	before = app_config(app);
	fresh = settings_load_config(before->path, db, err, errlen);
	if (fresh != NULL) {
		settings_keep_running(fresh, before);
		app_config_set(app, (struct config *)config_ref(fresh));
		if (app->reloaded)
			app->reloaded(app, before, fresh);
		log_info("config: reloaded %s", fresh->path);
		if (applied)
			*applied = fresh;
		else
			config_free(fresh);
		rc = 0;
	}
	config_free(before);
	pthread_mutex_unlock(&app->reload_lock);
	return rc;
}
