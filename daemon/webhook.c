/*
 * webhook — the outbox of HTTP notifications and its delivery thread.
 * The contract, the headers and the row states are in webhook.h.
 */
#include "webhook.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "timeutil.h"

#define WEBHOOK_SETTLE_MS 200		/* after a poke: time for the poker to commit */
#define WEBHOOK_PURGE_PERIOD 3600	/* seconds between deletions of old rows */
#define WEBHOOK_ERROR_MAX 256		/* characters of last_error */

/*
 * The wake-up of the delivery thread.  Module-wide because the writers
 * (queue.c, replies.c, any thread) know the database, not the thread; at
 * most one delivery thread runs in a process.
 */
static pthread_mutex_t webhook_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t webhook_wake = PTHREAD_COND_INITIALIZER;
static bool webhook_poked;

const char *
webhook_event_name(enum webhook_event event)
{
	return event == WEBHOOK_MESSAGE_STATUS ? "message.status" : "reply.received";
}

bool
webhook_wanted(struct db *db, enum webhook_event event)
{
	DB_SQL(sql, "SELECT 1 FROM webhook_events WHERE event = ? LIMIT 1");
	sqlite3_stmt *st = db_stmt(db, sql);
	bool yes;

	if (st == NULL)
		return false;
	sqlite3_bind_text(st, 1, webhook_event_name(event), -1, SQLITE_STATIC);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

void
webhook_poke(void)
{
	pthread_mutex_lock(&webhook_lock);
	webhook_poked = true;
	pthread_cond_signal(&webhook_wake);
	pthread_mutex_unlock(&webhook_lock);
}

int
webhook_enqueue(struct db *db, enum webhook_event event, int64_t contact_id,
    json_t *data, int64_t now)
{
	DB_SQL(sql, "INSERT INTO webhook_deliveries (webhook, event, "
	    "contact_id, payload, created_at, next_at) SELECT webhook, event, ?2, ?3, ?4, ?4 "
	    "FROM webhook_events WHERE event = ?1");
	const char *name = webhook_event_name(event);
	char at[TIME_ISO_MAX];
	sqlite3_stmt *st;
	json_t *body;
	char *text;
	int rc;

	if (data == NULL)
		return -1;
	time_format_iso(now, at);
	body = json_pack("{s:s, s:s, s:o}", "event", name, "at", at,
	    event == WEBHOOK_MESSAGE_STATUS ? "message" : "reply", data);
	if (body == NULL || (text = json_dumps(body, JSON_COMPACT)) == NULL) {
		json_decref(body);
		log_err("webhook: cannot build the %s notification", name);
		return -1;
	}
	json_decref(body);
	if ((st = db_stmt(db, sql)) == NULL) {
		free(text);
		return -1;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	db_bind_int_or_null(st, 2, contact_id);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	rc = db_step_done(db, st);
	free(text);
	if (rc == 0 && sqlite3_changes(db_handle(db)) > 0)
		webhook_poke();
	return rc;
}

/* Lists the events of one configured webhook in webhook_events. */
static int
webhook_sync_one(struct db *db, const struct config_webhook *w)
{
	DB_SQL(sql, "INSERT INTO webhook_events (webhook, event) VALUES (?, ?)");
	static const enum webhook_event all[] = { WEBHOOK_MESSAGE_STATUS, WEBHOOK_REPLY_RECEIVED };
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!(w->events & (unsigned)all[i]))
			continue;
		if ((st = db_stmt(db, sql)) == NULL)
			return -1;
		sqlite3_bind_text(st, 1, w->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, webhook_event_name(all[i]), -1, SQLITE_STATIC);
		if (db_step_done(db, st) < 0)
			return -1;
	}
	return 0;
}

int
webhook_sync(struct db *db, const struct config *cfg, int64_t now)
{
	DB_SQL(sql_clear, "DELETE FROM webhook_events");
	DB_SQL(sql_orphans, "UPDATE webhook_deliveries SET status = 'failed', "
	    "last_error = 'webhook removed from the configuration', done_at = ?1 "
	    "WHERE status = 'pending' AND webhook NOT IN (SELECT webhook FROM webhook_events)");
	sqlite3_stmt *st;
	size_t i;
	int orphans;

	if (db_begin(db) < 0)
		return -1;
	if ((st = db_stmt(db, sql_clear)) == NULL || db_step_done(db, st) < 0)
		goto fail;
	for (i = 0; i < cfg->nwebhooks; i++)
		if (webhook_sync_one(db, &cfg->webhooks[i]) < 0)
			goto fail;
	if ((st = db_stmt(db, sql_orphans)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, now);
	if (db_step_done(db, st) < 0)
		goto fail;
	orphans = sqlite3_changes(db_handle(db));
	if (db_commit(db) < 0)
		goto fail;
	if (orphans > 0)
		log_warn("webhook: %d pending notification(s) of removed webhooks marked failed",
		    orphans);
	return 0;
fail:
	db_rollback(db);
	log_err("webhook: cannot record the configured webhooks");
	return -1;
}

int
webhook_forget_contact(struct db *db, int64_t contact_id)
{
	DB_SQL(sql, "DELETE FROM webhook_deliveries WHERE contact_id = ?");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, contact_id);
	return db_step_done(db, st);
}

void
webhook_sign(const char *secret, const void *body, size_t len,
    char out[WEBHOOK_SIGNATURE_MAX])
{
	crypto_auth_hmacsha256_state state;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&state, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&state, body, len);
	crypto_auth_hmacsha256_final(&state, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, WEBHOOK_SIGNATURE_MAX - 7, mac, sizeof(mac));
	sodium_memzero(&state, sizeof(state));
}

int64_t
webhook_backoff(int retry_base, int attempts)
{
	int64_t delay = retry_base > 0 ? retry_base : CONFIG_WEBHOOK_RETRY_BASE;
	int i;

	for (i = 1; i < attempts && delay < WEBHOOK_BACKOFF_MAX; i++)
		delay *= 2;
	return delay < WEBHOOK_BACKOFF_MAX ? delay : WEBHOOK_BACKOFF_MAX;
}

json_t *
webhook_status_json(struct db *db, const struct config *cfg)
{
	DB_SQL(sql, "SELECT ifnull(sum(status = 'pending'), 0), "
	    "ifnull(sum(status = 'failed'), 0), (SELECT last_error FROM webhook_deliveries "
	    "WHERE webhook = ?1 AND tried_at IS NOT NULL ORDER BY tried_at DESC, id DESC "
	    "LIMIT 1), max(tried_at) FROM webhook_deliveries WHERE webhook = ?1");
	json_t *list = json_array();
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < cfg->nwebhooks; i++) {
		const struct config_webhook *w = &cfg->webhooks[i];
		json_int_t pending = 0, failed = 0;
		json_t *error = json_null(), *at = json_null();

		if ((st = db_stmt(db, sql)) != NULL) {
			sqlite3_bind_text(st, 1, w->name, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW) {
				pending = sqlite3_column_int64(st, 0);
				failed = sqlite3_column_int64(st, 1);
				if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
					json_decref(error);
					error = json_string((const char *)sqlite3_column_text(st, 2));
				}
				if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
					json_decref(at);
					at = time_json(sqlite3_column_int64(st, 3));
				}
			}
			sqlite3_reset(st);
		}
		json_array_append_new(list, json_pack("{s:s, s:I, s:I, s:o, s:o}",
		    "name", w->name, "pending", pending, "failed", failed,
		    "last_error", error, "last_attempt_at", at));
	}
	return list;
}

/* The delivery thread. */

/*
 * libcurl, opened at the first delivery instead of linked: with the TLS,
 * Kerberos, LDAP and SSH libraries it brings, it was 7 of rappeld's 19 MiB
 * resident (OpenSSL's initialisation alone 2.3), for a feature most
 * centres never turn on.  Once opened it stays loaded (OpenSSL cannot be
 * unloaded safely).  Only the delivery thread uses it.
 */
#define WEBHOOK_LIBCURL "libcurl.so.4"

struct webhook_curl {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *curl);
	void (*easy_reset)(CURL *curl);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
};

struct webhook {
	struct app *app;
	struct db *db;
	struct webhook_curl lib;	/* filled by webhook_curl_open() */
	CURL *curl;			/* NULL until then */
	pthread_t thread;
	bool stop;			/* under webhook_lock */
	atomic_bool stopping;		/* the same, for curl's progress callback */
	const struct config *synced;	/* what webhook_events reflects; a reference */
	int64_t purged_at;
};

/* One row of webhook_deliveries being delivered. */
struct webhook_row {
	int64_t id;
	char event[32];
	char *payload;			/* owned */
	int attempts;			/* before this one */
	int64_t next_at;
};

static size_t
webhook_discard(char *data, size_t size, size_t n, void *user)
{
	(void)data;
	(void)user;
	return size * n;
}

/* curl's progress callback: a non-zero return abandons the transfer. */
static int
webhook_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct webhook *w = user;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load(&w->stopping) ? 1 : 0;
}

/*
 * Opens libcurl and its easy handle, once.  0, or -1 with the reason in
 * error (the delivery is then retried like a failed one).
 */
static int
webhook_curl_open(struct webhook *w, char *error, size_t errlen)
{
#define WEBHOOK_SYM(f) { "curl_" #f, offsetof(struct webhook_curl, f) }
	static const struct {
		const char *name;
		size_t offset;
	} syms[] = {
		WEBHOOK_SYM(global_init), WEBHOOK_SYM(global_cleanup), WEBHOOK_SYM(easy_init),
		WEBHOOK_SYM(easy_cleanup), WEBHOOK_SYM(easy_reset), WEBHOOK_SYM(easy_setopt),
		WEBHOOK_SYM(easy_perform), WEBHOOK_SYM(easy_getinfo), WEBHOOK_SYM(easy_strerror),
		WEBHOOK_SYM(slist_append), WEBHOOK_SYM(slist_free_all),
	};
#undef WEBHOOK_SYM
	void *lib, *sym;
	size_t i;

	if (w->curl != NULL)
		return 0;
	if ((lib = dlopen(WEBHOOK_LIBCURL, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(error, errlen, "cannot load %s: %s", WEBHOOK_LIBCURL, dlerror());
		log_err("webhook: %s", error);
		return -1;
	}
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		if ((sym = dlsym(lib, syms[i].name)) == NULL) {
			snprintf(error, errlen, "%s has no %s", WEBHOOK_LIBCURL, syms[i].name);
			log_err("webhook: %s", error);
			dlclose(lib);	/* nothing of it has run yet */
			return -1;
		}
		/* POSIX: a function's address fits in a void * */
		memcpy((char *)&w->lib + syms[i].offset, &sym, sizeof(sym));
	}
	if (w->lib.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (w->curl = w->lib.easy_init()) == NULL) {
		snprintf(error, errlen, "cannot initialise libcurl");
		log_err("webhook: %s", error);
		return -1;
	}
	log_info("webhook: %s loaded", WEBHOOK_LIBCURL);
	return 0;
}

/*
 * POSTs row to t.  Returns true on a 2xx answer; otherwise false with the
 * reason ("HTTP 500", or curl's message) in error.
 */
static bool
webhook_post(struct webhook *w, const struct config_webhook *t, const struct webhook_row *row,
    char *error, size_t errlen)
{
	struct curl_slist *headers = NULL;
	char line[128], sig[WEBHOOK_SIGNATURE_MAX], curl_error[CURL_ERROR_SIZE] = "";
	size_t len = strlen(row->payload);
	long code = 0;
	CURLcode rc;

	if (webhook_curl_open(w, error, errlen) < 0)
		return false;
	webhook_sign(t->secret, row->payload, len, sig);
	headers = w->lib.slist_append(headers, "Content-Type: application/json");
	headers = w->lib.slist_append(headers, "Expect:");
	snprintf(line, sizeof(line), "X-Rappel-Event: %s", row->event);
	headers = w->lib.slist_append(headers, line);
	snprintf(line, sizeof(line), "X-Rappel-Delivery: %lld", (long long)row->id);
	headers = w->lib.slist_append(headers, line);
	snprintf(line, sizeof(line), "X-Rappel-Signature: %s", sig);
	headers = w->lib.slist_append(headers, line);

	w->lib.easy_reset(w->curl);
	w->lib.easy_setopt(w->curl, CURLOPT_URL, t->url);
	w->lib.easy_setopt(w->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	w->lib.easy_setopt(w->curl, CURLOPT_NOSIGNAL, 1L);
	w->lib.easy_setopt(w->curl, CURLOPT_TIMEOUT, (long)WEBHOOK_TIMEOUT);
	w->lib.easy_setopt(w->curl, CURLOPT_USERAGENT, "rappel/" RAPPEL_VERSION);
	w->lib.easy_setopt(w->curl, CURLOPT_HTTPHEADER, headers);
	w->lib.easy_setopt(w->curl, CURLOPT_POSTFIELDS, row->payload);
	w->lib.easy_setopt(w->curl, CURLOPT_POSTFIELDSIZE, (long)len);
	w->lib.easy_setopt(w->curl, CURLOPT_WRITEFUNCTION, webhook_discard);
	w->lib.easy_setopt(w->curl, CURLOPT_ERRORBUFFER, curl_error);
	w->lib.easy_setopt(w->curl, CURLOPT_NOPROGRESS, 0L);
	w->lib.easy_setopt(w->curl, CURLOPT_XFERINFOFUNCTION, webhook_progress);
	w->lib.easy_setopt(w->curl, CURLOPT_XFERINFODATA, w);
	rc = w->lib.easy_perform(w->curl);
	if (rc == CURLE_OK)
		w->lib.easy_getinfo(w->curl, CURLINFO_RESPONSE_CODE, &code);
	w->lib.easy_setopt(w->curl, CURLOPT_HTTPHEADER, NULL);
	w->lib.easy_setopt(w->curl, CURLOPT_ERRORBUFFER, NULL);
	w->lib.slist_free_all(headers);
	if (rc != CURLE_OK)
		snprintf(error, errlen, "%s", curl_error[0] ? curl_error : w->lib.easy_strerror(rc));
	else if (code < 200 || code > 299)
		snprintf(error, errlen, "HTTP %ld", code);
	return rc == CURLE_OK && code >= 200 && code <= 299;
}

/*
 * The oldest pending row of t, due or not: a webhook gets its rows in
 * order, so a row waiting for its retry holds the ones behind it.
 * 1 with *row filled, 0 when none, -1.
 */
static int
webhook_head_row(struct db *db, const struct config_webhook *t, struct webhook_row *row)
{
	DB_SQL(sql, "SELECT id, event, payload, attempts, next_at "
	    "FROM webhook_deliveries WHERE status = 'pending' AND webhook = ? "
	    "ORDER BY id LIMIT 1");
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	memset(row, 0, sizeof(*row));
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		row->id = sqlite3_column_int64(st, 0);
		snprintf(row->event, sizeof(row->event), "%s", sqlite3_column_text(st, 1));
		row->payload = db_column_strdup(st, 2);
		row->attempts = sqlite3_column_int(st, 3);
		row->next_at = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return row->payload ? 1 : -1;
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Records the outcome of an attempt on row (error NULL: success).  Returns
 * the time of the next attempt, or 0 when the row is done or failed.
 */
static int64_t
webhook_record(struct webhook *w, const struct config_webhook *t,
    const struct webhook_row *row, const char *error, int64_t now)
{
	DB_SQL(sql, "UPDATE webhook_deliveries SET status = ?2, "
	    "attempts = ?3, next_at = ?4, last_error = ?5, tried_at = ?6, done_at = ?7 "
	    "WHERE id = ?1 AND status = 'pending'");
	int attempts = row->attempts + 1;
	const char *status = "pending";
	int64_t next = now + webhook_backoff(t->retry_base, attempts);
	sqlite3_stmt *st;

	if (error == NULL)
		status = "done";
	else if (attempts >= WEBHOOK_MAX_ATTEMPTS)
		status = "failed";
	if ((st = db_stmt(w->db, sql)) == NULL)
		return next;
	sqlite3_bind_int64(st, 1, row->id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, attempts);
	sqlite3_bind_int64(st, 4, next);
	db_bind_text_or_null(st, 5, error);
	sqlite3_bind_int64(st, 6, now);
	if (strcmp(status, "pending") != 0)
		sqlite3_bind_int64(st, 7, now);
	db_step_done(w->db, st);	/* logged; a row left pending is tried again */
	if (error == NULL) {
		log_info("webhook: delivered id=%lld webhook=%s event=%s attempt=%d",
		    (long long)row->id, t->name, row->event, attempts);
		return 0;
	}
	if (strcmp(status, "failed") == 0) {
		log_err("webhook: failed id=%lld webhook=%s event=%s after %d attempts "
		    "error=\"%s\"", (long long)row->id, t->name, row->event, attempts, error);
		return 0;
	}
	log_warn("webhook: retry id=%lld webhook=%s event=%s attempt=%d in=%llds error=\"%s\"",
	    (long long)row->id, t->name, row->event, attempts, (long long)(next - now), error);
	return next;
}

/*
 * Delivers t's rows in order while they are due.  Returns when t next
 * has something to do, or 0 when nothing is pending (or on stop).
 */
static int64_t
webhook_run_target(struct webhook *w, const struct config_webhook *t)
{
	struct webhook_row row;
	char error[WEBHOOK_ERROR_MAX];
	int64_t next = 0;
	bool ok;

	while (!atomic_load(&w->stopping) && webhook_head_row(w->db, t, &row) == 1) {
		if (row.next_at > w->app->now()) {
			free(row.payload);
			return row.next_at;
		}
		ok = webhook_post(w, t, &row, error, sizeof(error));
		if (!ok && atomic_load(&w->stopping)) {
			free(row.payload);	/* abandoned by the stop: not an attempt */
			return 0;
		}
		next = webhook_record(w, t, &row, ok ? NULL : error, w->app->now());
		free(row.payload);
		if (next)
			return next;	/* wait for the retry: the others stay behind it */
	}
	return 0;
}

/* Deletes the rows kept long enough. */
static void
webhook_purge(struct webhook *w, int64_t now)
{
	DB_SQL(sql, "DELETE FROM webhook_deliveries WHERE "
	    "(status = 'done' AND done_at < ?1) OR (status = 'failed' AND done_at < ?2)");
	sqlite3_stmt *st = db_stmt(w->db, sql);

	w->purged_at = now;
	if (st == NULL)
		return;
	sqlite3_bind_int64(st, 1, now - WEBHOOK_KEEP_DONE);
	sqlite3_bind_int64(st, 2, now - WEBHOOK_KEEP_FAILED);
	if (db_step_done(w->db, st) == 0 && sqlite3_changes(db_handle(w->db)) > 0)
		log_info("webhook: purged %d old notification(s)", sqlite3_changes(db_handle(w->db)));
}

/* Follows a new configuration into webhook_events. */
static void
webhook_follow_config(struct webhook *w, const struct config *cfg, int64_t now)
{
	if (cfg == w->synced || webhook_sync(w->db, cfg, now) < 0)
		return;
	config_free(w->synced);
	w->synced = config_ref(cfg);
	if (cfg->nwebhooks)
		log_info("webhook: %zu webhook(s) configured", cfg->nwebhooks);
}

/* One pass; returns the time the next one is due. */
static int64_t
webhook_pass(struct webhook *w)
{
	const struct config *cfg;
	int64_t now, due, next;
	size_t i;

	cfg = app_config(w->app);
	now = w->app->now();
	webhook_follow_config(w, cfg, now);
	config_free(cfg);	/* w->synced holds what the pass needs */
	next = now + WEBHOOK_POLL;
	for (i = 0; w->synced && i < w->synced->nwebhooks; i++)
		if ((due = webhook_run_target(w, &w->synced->webhooks[i])) != 0 && due < next)
			next = due;
	now = w->app->now();
	if (now - w->purged_at >= WEBHOOK_PURGE_PERIOD)
		webhook_purge(w, now);
	return next;
}

static void
webhook_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void *
webhook_main(void *arg)
{
	struct webhook *w = arg;
	struct timespec until;
	int64_t next, now;

	pthread_mutex_lock(&webhook_lock);
	while (!w->stop) {
		webhook_poked = false;
		pthread_mutex_unlock(&webhook_lock);
		next = webhook_pass(w);
		now = w->app->now();
		pthread_mutex_lock(&webhook_lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)(next > now ? next - now : 0);
		while (!webhook_poked && !w->stop &&
		    pthread_cond_timedwait(&webhook_wake, &webhook_lock, &until) != ETIMEDOUT)
			;
		if (webhook_poked && !w->stop) {
			pthread_mutex_unlock(&webhook_lock);
			webhook_sleep_ms(WEBHOOK_SETTLE_MS);
			pthread_mutex_lock(&webhook_lock);
		}
	}
	pthread_mutex_unlock(&webhook_lock);
	return NULL;
}

struct webhook *
webhook_start(struct app *app, char *err, size_t errlen)
{
	struct webhook *w = calloc(1, sizeof(*w));
	const struct config *cfg = NULL;

	if (w == NULL)
		fatal("webhook: out of memory");
	w->app = app;
	atomic_init(&w->stopping, false);
	cfg = app_config(app);
	if ((w->db = db_open(cfg->db_path, err, errlen)) == NULL)
		goto fail;
	/* at once, so that the first changes are already recorded */
	webhook_follow_config(w, cfg, app->now());
	config_free(cfg);
	cfg = NULL;
	if (pthread_create(&w->thread, NULL, webhook_main, w) != 0) {
		snprintf(err, errlen, "cannot start the webhook thread");
		goto fail;
	}
	return w;
fail:
	config_free(cfg);
	config_free(w->synced);
	db_close(w->db);
	free(w);
	return NULL;
}

void
webhook_stop(struct webhook *w)
{
	if (w == NULL)
		return;
	atomic_store(&w->stopping, true);
	pthread_mutex_lock(&webhook_lock);
	w->stop = true;
	pthread_cond_signal(&webhook_wake);
	pthread_mutex_unlock(&webhook_lock);
	pthread_join(w->thread, NULL);
	db_close(w->db);
	config_free(w->synced);
	if (w->curl != NULL) {
		w->lib.easy_cleanup(w->curl);
		w->lib.global_cleanup();
	}
	free(w);
}
