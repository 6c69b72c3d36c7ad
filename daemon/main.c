/*
 * rappeld — the daemon: wiring only.  Reads the configuration, opens and
 * migrates the database, starts the HTTP server, then waits for signals:
 * SIGTERM/SIGINT stop cleanly (the running request finishes, the database
 * is closed), SIGHUP re-reads the configuration and applies what can
 * change without a restart.  This is the only file that reads the clock.
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "buf.h"
#include "config.h"
#include "contacts.h"
#include "daily.h"
#include "db.h"
#include "families.h"
#include "http.h"
#include "log.h"
#include "modem.h"
#include "modemstatus.h"
#include "queue.h"
#include "router.h"
#include "scheduler.h"
#include "settings.h"
#include "timeutil.h"
#include "web.h"
#include "webhook.h"

#define MAIN_LOGIN_SLOTS 1024

static int64_t
main_now(void)
{
	return (int64_t)time(NULL);
}

static void
main_usage(FILE *out)
{
	fprintf(out, "usage: rappeld [-c FILE] [--check-config] [-v] [--version]\n"
	    "  -c FILE          configuration file (default %s)\n"
	    "  --check-config   read the configuration, report problems and exit\n"
	    "  -v               log debug lines too\n", CONFIG_DEFAULT_PATH);
}

#define MAIN_STATUS_PERIOD 30	/* seconds between STATUS= updates without a watchdog */

/* How long the main loop waits for a signal: half the watchdog period, or 30 s. */
static struct timespec
main_tick(uint64_t watchdog_usec)
{
	struct timespec ts = { MAIN_STATUS_PERIOD, 0 };

	if (watchdog_usec) {
		ts.tv_sec = (time_t)(watchdog_usec / 2 / 1000000);
		ts.tv_nsec = (long)(watchdog_usec / 2 % 1000000 * 1000);
	}
	return ts;
}

/*
 * glibc's malloc as a small daemon on a Pi wants it.  A block of 128 KiB
 * or more (an answer of the panel: a contact list is a megabyte) is
 * mapped for itself and given back when freed; left to itself, glibc
 * raises that threshold to the largest block freed, and the next
 * megabyte then stays in an arena once freed.  And two arenas for the
 * dozen threads, not eight per core: each keeps memory its thread freed.
 * (bench/RESULTS.md, "The panel under 50 clients".)
 */
static void
main_malloc_tune(void)
{
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_ARENA_MAX, 2);
}

/*
 * Pets systemd's watchdog (when asked) and says in STATUS= how the modems
 * and the queue are, as `systemctl status rappel` shows it.  A database
 * that does not answer stops the petting: systemd then restarts rappeld.
 */
static void
main_notify_status(struct db *db, bool watchdog)
{
	int queued = queue_count(db, "queued"), failed = queue_count(db, "failed");
	struct modemstatus *ms;
	struct buf modems = { 0 };
	size_t i, n;

	if (queued < 0 || modemstatus_read(db, &ms, &n) < 0)
		return;
	for (i = 0; i < n; i++)
		buf_printf(&modems, "%s%s %s", i ? ", " : "", ms[i].name, ms[i].state);
	free(ms);
	sd_notifyf(0, "%sSTATUS=%s; %d queued, %d failed", watchdog ? "WATCHDOG=1\n" : "",
	    n ? modems.data : "no modem", queued, failed);
	buf_free(&modems);
}

/* The panel's files, for the HTTP server. */
static const struct http_files main_files = { web_wants, web_serve };

static void
main_wake_modems(void *pool)
{
	modem_pool_wake(pool);
}

/*
 * After app_reload() put a new configuration in force: the threads that
 * keep their own reference are told.
 */
static void
main_reloaded(struct app *app, const struct config *before, const struct config *now)
{
	(void)before;
	modem_pool_set_config(app->modems, now);
	modem_pool_wake(app->modems);	/* the new hours may allow sending now */
	scheduler_poke(app->sched);
	webhook_poke();
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check-config", no_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = CONFIG_DEFAULT_PATH;
	bool check_only = false;
	struct config *cfg;
	const struct config *now_cfg;
	unsigned long generation;
	struct app app = { 0 };
	struct http_server *http;
	struct modem_pool *modems;
	struct router *router;
	struct families *families;
	struct webhook *hooks;
	struct db *db;
	sigset_t sigs;
	uint64_t watchdog_usec;
	struct db *status_db;		/* the main thread's own connection */
	char err[512];
	int opt, sig, lock, n;
	int64_t daily_at;

	main_malloc_tune();
	while ((opt = getopt_long(argc, argv, "c:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'C':
			check_only = true;
			break;
		case 'v':
			log_set_level(LOG_LEVEL_DEBUG);
			break;
		case 'V':
			printf("rappeld %s\n", RAPPEL_VERSION);
			return 0;
		case 'h':
			main_usage(stdout);
			return 0;
		default:
			main_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		main_usage(stderr);
		return 2;
	}
	/* what the file names must be there too: checked here, not by rappelctl */
	if ((cfg = config_load(path, err, sizeof(err))) == NULL ||
	    config_check_paths(cfg, err, sizeof(err)) < 0) {
		log_err("config: %s", err);
		config_free(cfg);
		return 1;
	}
	if (check_only) {
		printf("%s: OK\n", path);
		config_free(cfg);
		return 0;
	}
	time_set_zone(cfg->timezone);

	/* Signals are taken by sigwait() below, never by another thread. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* one rappeld per database; held until exit, released by the kernel if killed */
	if ((lock = db_lock(cfg->db_path, err, sizeof(err))) < 0)
		fatal("db: %s", err);
	if ((db = db_open(cfg->db_path, err, sizeof(err))) == NULL)
		fatal("db: %s", err);
	if (db_migrate(db, err, sizeof(err)) < 0)
		fatal("db: %s", err);
	/* every statement of the program, once, before any thread runs one */
	if ((n = db_check_statements(db, err, sizeof(err))) < 0)
		fatal("db: a statement does not compile against schema %d: %s",
		    db_version(db), err);
	/* the settings changed from the panel, laid over the file */
	{
		struct config *full = settings_load_config(path, db, err, sizeof(err));
		if (full == NULL)
			fatal("config: %s", err);
		config_free(cfg);
		cfg = full;
	}
	log_info("rappeld: starting version=%s schema=%d database=%s statements=%d",
	    RAPPEL_VERSION, db_version(db), cfg->db_path, n);
	app_init(&app, (struct config *)config_ref(cfg));	/* cfg: main's own reference */
	app.now = main_now;
	app.reloaded = main_reloaded;
	/* first, so that every change from now on is reported to today's webhooks */
	if ((hooks = webhook_start(&app, err, sizeof(err))) == NULL)
		fatal("webhook: %s", err);
	/* before any modem runs: what was with a modem when we died is uncertain */
	if (queue_recover(db, main_now()) < 0)
		fatal("queue: cannot recover the messages of the last run");
	/* a contact whose first number sent STOP is opted out (contacts.h) */
	if (contacts_carry_opt_outs(db, main_now()) < 0)
		log_warn("contacts: opt-outs not carried to contacts; their numbers are "
		    "still refused");

	app.login_by_addr = ratelimit_new(MAIN_LOGIN_SLOTS, 20, 15 * 60, 15 * 60);
	app.login_by_name = ratelimit_new(MAIN_LOGIN_SLOTS, 5, 15 * 60, 15 * 60);
	if ((modems = modem_pool_start(cfg, main_now, err, sizeof(err))) == NULL)
		fatal("modem: %s", err);
	app.modems = modems;
	/* a message queued by any thread wakes the modems once it is committed */
	queue_on_commit(main_wake_modems, modems);
	/* its first pass decides what the last run stored and left undecided */
	if ((router = router_start(&app, err, sizeof(err))) == NULL)
		fatal("router: %s", err);
	modem_pool_on_received(modems, router_poke_cb, router);
	/* the demo's simulated families, when a simulated modem has families = yes */
	if ((families = families_start(&app, err, sizeof(err))) == NULL && err[0])
		fatal("families: %s", err);
	if ((app.sched = scheduler_start(&app, err, sizeof(err))) == NULL)
		fatal("scheduler: %s", err);
	if ((http = http_start(&app, cfg, &main_files, err, sizeof(err))) == NULL)
		fatal("http: %s", err);
	if (cfg->nmodems == 0)
		log_warn("modem: no [modem] section: messages are queued but not sent");
	sd_notify(0, "READY=1\nSTATUS=serving");
	log_info("rappeld: ready");

	if ((status_db = db_open(cfg->db_path, err, sizeof(err))) == NULL)
		fatal("db: %s", err);
	if (sd_watchdog_enabled(0, &watchdog_usec) <= 0)
		watchdog_usec = 0;
	daily_at = daily_run(status_db, cfg, main_now());
	generation = app_config_generation(&app);
	for (;;) {
		struct timespec tick = main_tick(watchdog_usec);
		sig = sigtimedwait(&sigs, NULL, &tick);
		if (sig == SIGHUP && app_reload(&app, status_db, NULL, err, sizeof(err)) < 0)
			log_err("config: reload refused, keeping the running one: %s", err);
		else if (sig >= 0 && sig != SIGHUP)
			break;
		now_cfg = app_config(&app);
		if (generation != app_config_generation(&app)) {
			/* reloaded (here or from the panel): the backup time may have moved */
			generation = app_config_generation(&app);
			daily_at = daily_next(main_now(), now_cfg->backup_time_min);
		}
		if (sig < 0) {
			/* no signal: tell systemd we are alive and how things are */
			main_notify_status(status_db, watchdog_usec != 0);
			if (main_now() >= daily_at)
				daily_at = daily_run(status_db, now_cfg, main_now());
		}
		config_free(now_cfg);
	}

	log_info("rappeld: stopping signal=%s", strsignal(sig));
	sd_notify(0, "STOPPING=1");
	http_stop(http);
	scheduler_stop(app.sched);
	families_stop(families);
	modem_pool_on_received(modems, NULL, NULL);
	router_stop(router);
	modem_pool_stop(modems);
	webhook_stop(hooks);
	db_close(status_db);
	db_close(db);
	ratelimit_free(app.login_by_addr);
	ratelimit_free(app.login_by_name);
	app_clear(&app);
	config_free(cfg);
	close(lock);
	log_info("rappeld: stopped");
	return 0;
}
