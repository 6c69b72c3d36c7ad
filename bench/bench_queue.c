/*
 * bench_queue — how long the scheduler takes to queue one occurrence of a
 * campaign to N recipients (default 3,000): audience query, rendering of
 * every text ({prenom} {nom} {atelier} {date} {heure} {centre}),
 * transliteration, SMS analysis and the inserts, in the one transaction
 * that also records the occurrence.  A real SQLite file in WAL mode with
 * synchronous=FULL, as rappeld runs it.
 *
 *   build/bench/bench_queue [N] [RUNS]
 *
 * Prints each run and the median, in milliseconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "campaigns.h"
#include "config.h"
#include "contacts.h"
#include "db.h"
#include "events.h"
#include "groups.h"
#include "log.h"
#include "scheduler.h"
#include "timeutil.h"

static const struct audit_actor bench_actor = { 0, "bench" };

static double
bench_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
bench_check(int rc, const char *what, const struct error *err)
{
	if (rc < 0) {
		fprintf(stderr, "bench_queue: %s: %s\n", what, err ? err->message : "failed");
		exit(1);
	}
}

/* n contacts in one group; returns the group. */
static int64_t
bench_contacts(struct db *db, int n)
{
	static const char *const first[] = { "Awa", "Élodie", "Karim", "Chloé", "Jean",
		"Fatou", "Léa", "Mohamed", "Zoé", "Hélène" };
	struct error err = { 0 };
	int64_t *ids = calloc((size_t)n, sizeof(*ids)), g;
	char number[32], last[32];
	int i;

	bench_check(db_begin(db), "begin", NULL);
	for (i = 0; i < n; i++) {
		struct contact c = { 0 };
		snprintf(number, sizeof(number), "+336%08d", 10000000 + i);
		snprintf(last, sizeof(last), "Famille%04d", i);
		c.first_name = strdup(first[i % 10]);
		c.last_name = strdup(last);
		snprintf(c.language, sizeof(c.language), "%s", i % 10 == 3 ? "en" : "fr");
		bench_check(contact_add_phone(&c, number, NULL, true, "phone", NULL, &err),
		    "phone", &err);
		bench_check(contact_validate(&c, &err), "contact", &err);
		bench_check(contacts_save(db, &c, &bench_actor, 1, &err), "contact", &err);
		ids[i] = c.id;
		contact_clear(&c);
	}
	bench_check(groups_create(db, "Tous", &bench_actor, 1, &g, &err), "group", &err);
	bench_check(groups_set_members(db, g, ids, (size_t)n, &bench_actor, 1, &err), "members",
	    &err);
	bench_check(db_commit(db), "commit", NULL);
	free(ids);
	return g;
}

/* A campaign about an atelier, sent to group at `at`. */
static int64_t
bench_campaign(struct db *db, int64_t group, int64_t event, int64_t at, int64_t now)
{
	struct campaign c = { 0 };
	struct error err = { 0 };
	int64_t id;

	c.name = strdup("Invitation");
	c.body = strdup("Bonjour {prenom} {nom}, l'atelier {atelier} a lieu {date} à {heure}. "
	    "Répondez OUI ou NON. {centre}");
	c.body_en = strdup("Hello {prenom}, {atelier} on {date} at {heure}. Reply YES or NO. "
	    "{centre}");
	c.event_id = event;
	c.group_ids = calloc(1, sizeof(int64_t));
	c.group_ids[0] = group;
	c.ngroups = 1;
	c.schedule = CAMPAIGN_AT;
	c.at = at;
	c.ask_reply = true;
	bench_check(campaign_validate(db, &c, &err), "campaign", &err);
	bench_check(campaigns_write(db, &c, &bench_actor, now, &err), "campaign", &err);
	bench_check(campaigns_set_status(db, c.id, "draft", "scheduled", &bench_actor, now,
	    &err), "schedule", &err);
	id = c.id;
	campaign_clear(&c);
	return id;
}

static int
bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3000, runs = argc > 2 ? atoi(argv[2]) : 5, r;
	char dir[] = "/tmp/rappel-bench-XXXXXX", path[128], err[256], cmd[160];
	struct config *cfg;
	struct event e = { 0 };
	struct error e_err = { 0 };
	double *ms, t0;
	int64_t group, now = 1800000000, next;
	struct db *db;
	int queued;

	if (n < 1 || runs < 1 || mkdtemp(dir) == NULL)
		return 2;
	ms = calloc((size_t)runs, sizeof(*ms));
	log_set_level(LOG_LEVEL_WARN);
	time_set_zone("Europe/Paris");
	cfg = config_load_string("[centre]\nname = Centre social Jacques Brel\n"
	    "phone = 03 21 00 00 00\n", "bench.conf", err, sizeof(err));
	snprintf(path, sizeof(path), "%s/rappel.db", dir);
	if (cfg == NULL || (db = db_open(path, err, sizeof(err))) == NULL ||
	    db_migrate(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_queue: %s\n", err);
		return 1;
	}
	group = bench_contacts(db, n);
	e.title = strdup("Cuisine du monde");
	e.place = strdup("salle 2");
	e.starts_at = now + 7 * 86400;
	e.ends_at = e.starts_at + 7200;
	bench_check(events_write(db, &e, NULL, &bench_actor, now, &e_err), "event", &e_err);
	printf("queueing one occurrence of a campaign to %d recipients (%d runs)\n", n, runs);
	for (r = 0; r < runs; r++) {
		bench_campaign(db, group, e.id, now + r, now);
		t0 = bench_ms();
		queued = scheduler_run(db, cfg, now + r, &next);
		ms[r] = bench_ms() - t0;
		if (queued != n) {
			fprintf(stderr, "bench_queue: queued %d, expected %d\n", queued, n);
			return 1;
		}
		printf("  run %d: %d messages queued in %.1f ms (%.1f µs each)\n", r + 1, queued,
		    ms[r], ms[r] * 1000 / n);
	}
	qsort(ms, (size_t)runs, sizeof(*ms), bench_cmp);
	printf("median: %.1f ms to queue %d messages\n", ms[runs / 2], n);
	event_clear(&e);
	db_close(db);
	config_free(cfg);
	free(ms);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
