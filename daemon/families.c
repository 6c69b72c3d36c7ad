/*
 * families — the demo's simulated families.  See families.h.
 */
#include "families.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "modem.h"
#include "passes.h"
#include "phone.h"

#define FAMILIES_TICK_S 1		/* a look at what was sent and what is due */
#define FAMILIES_LOOKBACK_S 3600	/* messages sent this long ago still get an answer */
#define FAMILIES_BATCH 16		/* answers handed over per tick at most */

/* What people write, by share (out of 100). */
static const struct {
	int share;
	const char *const texts[8];
} families_mix[] = {
	{ 46, { "OUI", "oui", "Oui merci", "ok je viens", "Oui ! A jeudi", "ouii",
	    "d'accord je serai la", "OUI merci beaucoup" } },
	{ 26, { "NON", "non merci", "Non je peux pas", "pas dispo desole", "non",
	    "Désolée je travaille ce jour-là", "NON merci", "je ne pourrai pas venir" } },
	{ 8, { "STOP", "stop svp", "Stop", "STOP", "stop", "Stop merci", "STOP", "stop" } },
	{ 8, { "C'est qui ?", "qui êtes-vous", "c est qui", "C'est quoi ce numéro ?",
	    "Bonjour c'est qui svp", "qui c'est", "C'est qui ?", "qui est-ce ?" } },
	{ 12, { "peut-être", "je sais pas encore", "à quelle heure ?", "Je viendrai avec ma fille",
	    "on verra", "c'est où ?", "je vous rappelle", "ma mère est malade" } },
};

bool
families_have_simulator(const struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nmodems; i++)
		if (strcmp(cfg->modems[i].device, "simulator") == 0)
			return true;
	return false;
}

/* A 64-bit mix (splitmix64) of id: the same answer for the same message. */
static uint64_t
families_hash(int64_t id)
{
	uint64_t z = (uint64_t)id + 0x9E3779B97F4A7C15ull;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void
families_answer(int64_t id, char *out, size_t size, int *delay)
{
	uint64_t h = families_hash(id);
	int pick = (int)(h % 100), k;
	size_t i;

	for (i = 0; i + 1 < sizeof(families_mix) / sizeof(families_mix[0]) &&
	    pick >= families_mix[i].share; i++)
		pick -= families_mix[i].share;
	k = (int)((h >> 8) % 8);
	snprintf(out, size, "%s", families_mix[i].texts[k]);
	*delay = FAMILIES_DELAY_MIN_S + (int)((h >> 16) % (FAMILIES_DELAY_MAX_S -
	    FAMILIES_DELAY_MIN_S + 1));
}

/* One row into simulated_replies; 0 or -1. */
static int
families_add(struct db *db, int64_t message_id, const char *from, const char *text,
    int64_t due_at)
{
	DB_SQL(sql, "INSERT OR IGNORE INTO simulated_replies (message_id, "
	    "from_number, body, due_at) VALUES (?1, ?2, ?3, ?4)");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	db_bind_int_or_null(st, 1, message_id);
	sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, due_at);
	return db_step_done(db, st);
}

int
families_simulate(struct db *db, const struct config *cfg, const char *from,
    const char *text, int64_t now, struct error *err)
{
	char e164[PHONE_E164_MAX];
	enum phone_kind kind;
	const char *why = NULL;

	if (!families_have_simulator(cfg))
		return error_set(err, ERR_CONFLICT, "no_simulator", NULL,
		    "Seul le modem simulé peut recevoir une réponse simulée (device = simulator) : "
		    "avec un vrai modem, les réponses viennent des vrais téléphones.");
	if (phone_normalize(from, e164, &kind, &why) < 0)
		return error_set(err, ERR_INVALID, "invalid", "from", "Numéro invalide : %s",
		    why ? why : from);
	if (text == NULL || text[0] == '\0' || strlen(text) > 600)
		return error_set(err, ERR_INVALID, "invalid", "body", "Écrivez la réponse (600 "
		    "caractères au plus).");
	if (families_add(db, 0, e164, text, now) < 0)
		return error_fail(err, ERR_DB);
	log_info("families: a simulated reply is due now");
	return 0;
}

struct families {
	struct app *app;
	struct db *db;
	struct passes passes;
};

/* Answers for the messages that asked for one and went out lately. */
static void
families_plan(struct families *f, int64_t now)
{
	DB_SQL(sql, "SELECT m.id, m.to_number, m.sent_at FROM messages m "
	    "WHERE m.reply_until IS NOT NULL AND m.status IN ('sent', 'delivered') "
	    "AND m.sent_at >= ?1 AND NOT EXISTS (SELECT 1 FROM simulated_replies r "
	    "WHERE r.message_id = m.id)");
	sqlite3_stmt *st = db_stmt(f->db, sql);
	char text[128], to[PHONE_E164_MAX];
	int64_t id, sent_at;
	int delay;

	if (st == NULL)
		return;
	sqlite3_bind_int64(st, 1, now - FAMILIES_LOOKBACK_S);
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(to, sizeof(to), "%s", sqlite3_column_text(st, 1));
		sent_at = sqlite3_column_int64(st, 2);
		families_answer(id, text, sizeof(text), &delay);
		if (families_add(f->db, id, to, text, sent_at + delay) < 0)
			break;
	}
	sqlite3_reset(st);
}

/* Hands the answers due to the simulated modem. */
static void
families_deliver(struct families *f, int64_t now)
{
	DB_SQL(sql, "SELECT id, from_number, body FROM simulated_replies "
	    "WHERE injected_at IS NULL AND due_at <= ?1 ORDER BY due_at, id LIMIT ?2");
	DB_SQL(sql_done, "UPDATE simulated_replies SET injected_at = ?2 "
	    "WHERE id = ?1 AND injected_at IS NULL");
	struct { int64_t id; char from[PHONE_E164_MAX]; char *body; } due[FAMILIES_BATCH];
	sqlite3_stmt *st = db_stmt(f->db, sql);
	size_t n = 0, i;

	if (st == NULL)
		return;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, FAMILIES_BATCH);
	while (n < FAMILIES_BATCH && sqlite3_step(st) == SQLITE_ROW) {
		due[n].id = sqlite3_column_int64(st, 0);
		snprintf(due[n].from, sizeof(due[n].from), "%s", sqlite3_column_text(st, 1));
		due[n].body = db_column_strdup(st, 2);
		n++;
	}
	sqlite3_reset(st);
	for (i = 0; i < n; i++) {
		/* -1: the SIM is full for now; tried again at the next tick */
		if (modem_pool_simulate(f->app->modems, due[i].from, due[i].body) == 0 &&
		    (st = db_stmt(f->db, sql_done)) != NULL) {
			sqlite3_bind_int64(st, 1, due[i].id);
			sqlite3_bind_int64(st, 2, now);
			db_step_done(f->db, st);
			log_info("families: simulated reply id=%lld handed to the modem",
			    (long long)due[i].id);
		}
		free(due[i].body);
	}
}

/* A look at what was sent and what is due, every FAMILIES_TICK_S. */
static int
families_main_pass(void *arg, bool *listen)
{
	struct families *f = arg;
	int64_t now = f->app->now();

	(void)listen;
	families_plan(f, now);
	families_deliver(f, now);
	return FAMILIES_TICK_S;
}

struct families *
families_start(struct app *app, char *err, size_t errlen)
{
	const struct config *cfg = app_config(app);
	struct families *f;
	bool wanted = false;
	size_t i;

	err[0] = '\0';
	for (i = 0; i < cfg->nmodems; i++)
		wanted = wanted || cfg->modems[i].families;
	if (!wanted) {
		config_free(cfg);
		return NULL;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL)
		fatal("families: out of memory");
	f->app = app;
	f->db = db_open(cfg->db_path, err, errlen);
	config_free(cfg);
	if (f->db == NULL || passes_start(&f->passes, families_main_pass, f,
	    "simulated families", err, errlen) < 0) {
		db_close(f->db);
		free(f);
		return NULL;
	}
	log_info("families: the simulated families answer the messages that ask for it");
	return f;
}

void
families_stop(struct families *f)
{
	if (f == NULL)
		return;
	passes_stop(&f->passes);
	db_close(f->db);
	free(f);
}
