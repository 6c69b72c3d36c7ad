/*
 * check_webhook — webhooks: the signature, the outbox written in the same
 * transaction as the change it reports, and end to end the real rappeld
 * with the modem simulator posting to a real HTTP receiver (libmicrohttpd)
 * inside this test process.
 */
#include <arpa/inet.h>
#include <check.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "e2e.h"
#include "modemsim.h"
#include "queue.h"
#include "test_db.h"
#include "test_main.h"
#include "timeutil.h"
#include "webhook.h"

#define HOOK_SECRET "s3cret-du-centre-2026"
#define HOOK_WAIT_MS 60000		/* upper bound for anything to happen */
#define HOOK_MAX_REQS 64
#define T0 1796000000			/* 2026-11-30T01:53:20+01:00 */
#define HOOK_SENDING "[sending]\nretry_delay = 1\nhours = 00:00-24:00\n" \
	"days = mon,tue,wed,thu,fri,sat,sun\nmax_per_minute = 600\nmax_per_day = 100000\n"

/* ---- the signature and the backoff ---- */

static void
hook_hex_sign(const char *key, size_t keylen, const char *data, char out[WEBHOOK_SIGNATURE_MAX])
{
	char *k = malloc(keylen + 1);

	ck_assert_ptr_nonnull(k);
	memcpy(k, key, keylen);
	k[keylen] = '\0';
	webhook_sign(k, data, strlen(data), out);
	free(k);
}

/* RFC 4231 test vectors: a receiver's standard HMAC-SHA256 gives the same. */
START_TEST(test_sign_rfc4231)
{
	char sig[WEBHOOK_SIGNATURE_MAX], longkey[131];

	hook_hex_sign("Jefe", 4, "what do ya want for nothing?", sig);
	ck_assert_str_eq(sig,
	    "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* a key longer than the block size is hashed first */
	memset(longkey, 0xaa, sizeof(longkey));
	hook_hex_sign(longkey, sizeof(longkey),
	    "Test Using Larger Than Block-Size Key - Hash Key First", sig);
	ck_assert_str_eq(sig,
	    "sha256=60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	/* one byte of the body changed: another signature */
	webhook_sign(HOOK_SECRET, "{\"a\":1}", 7, sig);
	{
		char other[WEBHOOK_SIGNATURE_MAX];
		webhook_sign(HOOK_SECRET, "{\"a\":2}", 7, other);
		ck_assert_str_ne(sig, other);
	}
}
END_TEST

START_TEST(test_backoff)
{
	ck_assert_int_eq(webhook_backoff(10, 1), 10);
	ck_assert_int_eq(webhook_backoff(10, 2), 20);
	ck_assert_int_eq(webhook_backoff(10, 9), 2560);
	ck_assert_int_eq(webhook_backoff(10, 10), WEBHOOK_BACKOFF_MAX);
	ck_assert_int_eq(webhook_backoff(10, 200), WEBHOOK_BACKOFF_MAX);
	ck_assert_int_eq(webhook_backoff(1, 3), 4);
}
END_TEST

/* ---- the outbox, on a real database ---- */

static struct config *
hook_config(const char *webhooks)
{
	char text[1024], err[256] = "";
	struct config *cfg;

	snprintf(text, sizeof(text), "[centre]\nname = C\nphone = 03 21 00 00 00\n%s", webhooks);
	cfg = config_load_string(text, "test.conf", err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	return cfg;
}

#define HOOK_TWO "[webhook]\nurl = http://127.0.0.1:9/a\nsecret = " HOOK_SECRET "\n" \
	"events = message.status\n[webhook.2]\nurl = http://127.0.0.1:9/b\n" \
	"secret = " HOOK_SECRET "\nevents = reply.received\n"

static int64_t
hook_add(struct db *db, const char *to, int64_t contact)
{
	struct error err = { 0 };
	int64_t id = 0;

	ck_assert_msg(queue_add(db, to, contact, "Bonjour", QUEUE_DIRECT, "t", T0, &id, &err) == 0,
	    "%s", err.message);
	return id;
}

/* A modem takes the next message due at now; returns its id. */
static int64_t
hook_claim(struct db *db, int64_t now)
{
	struct queue_msg m;
	int64_t id;

	ck_assert_int_eq(queue_claim_next(db, "modem", now, &m), 1);
	id = m.id;
	queue_msg_clear(&m);
	return id;
}

/* The payload of the only delivery of message id to webhook, parsed. */
static json_t *
hook_row(struct db *db, const char *webhook, int64_t id, const char *status)
{
	static const char sql[] = "SELECT payload FROM webhook_deliveries WHERE webhook = ? "
	    "AND json_extract(payload, '$.message.id') = ? "
	    "AND json_extract(payload, '$.message.status') = ?";
	sqlite3_stmt *st;
	json_t *j = NULL;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, webhook, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		j = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	ck_assert_msg(sqlite3_step(st) == SQLITE_DONE, "two notices of %s", status);
	sqlite3_finalize(st);
	return j;
}

/* The notice of message id becoming status to "webhook" has message.field == want. */
static void
hook_expect(struct db *db, int64_t id, const char *status, const char *field,
    const char *want)
{
	json_t *j = hook_row(db, "webhook", id, status);

	ck_assert_msg(j != NULL, "no %s notice for message %lld", status, (long long)id);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "message"),
	    field)), want);
	json_decref(j);
}

/* A fresh database where HOOK_TWO's webhooks listen; close with hook_close(). */
static struct config *
hook_open(struct test_db *t)
{
	struct config *cfg = hook_config(HOOK_TWO);

	test_db_open(t);
	ck_assert_int_eq(webhook_sync(t->db, cfg, T0), 0);
	return cfg;
}

static void
hook_close(struct test_db *t, struct config *cfg)
{
	test_db_close(t);
	config_free(cfg);
}

static long long
hook_rows(struct db *db)
{
	return test_db_int(db, "SELECT count(*) FROM webhook_deliveries");
}

START_TEST(test_no_webhook_no_row)
{
	struct test_db t;
	int64_t id;

	test_db_open(&t);
	id = hook_add(t.db, "+33639980001", 0);
	hook_claim(t.db, T0);
	ck_assert_int_eq(queue_mark_sent(t.db, id, T0 + 1), 0);
	ck_assert_int_eq(hook_rows(t.db), 0);
	test_db_close(&t);
}
END_TEST

START_TEST(test_transitions_noticed)
{
	struct test_db t;
	struct config *cfg = hook_open(&t);
	int64_t a, b;
	json_t *j, *msg;

	time_set_zone("Europe/Paris");
	ck_assert(webhook_wanted(t.db, WEBHOOK_MESSAGE_STATUS));
	ck_assert(webhook_wanted(t.db, WEBHOOK_REPLY_RECEIVED));
	a = hook_add(t.db, "+33639980001", 0);
	b = hook_add(t.db, "+33639980002", 0);
	ck_assert_int_eq(hook_rows(t.db), 0);		/* being queued is not a change */
	ck_assert_int_eq(hook_claim(t.db, T0), a);
	ck_assert_int_eq(hook_rows(t.db), 0);		/* nor being taken by a modem */
	ck_assert_int_eq(queue_retry(t.db, a, "+CMS ERROR: 500", 1, T0), 0);
	ck_assert_int_eq(hook_rows(t.db), 0);		/* nor a retry */
	ck_assert_int_eq(queue_cancel(t.db, b, T0 + 4, NULL), 0);
	ck_assert_int_eq(queue_cancel(t.db, b, T0 + 4, NULL), -1);	/* refused: no notice */
	ck_assert_int_eq(hook_rows(t.db), 1);
	ck_assert_int_eq(hook_claim(t.db, T0 + 5), a);
	ck_assert_int_eq(queue_mark_sent(t.db, a, T0 + 6), 0);
	ck_assert_int_eq(queue_mark_sent(t.db, a, T0 + 7), -1);	/* refused: no notice */
	ck_assert_int_eq(hook_rows(t.db), 2);

	j = hook_row(t.db, "webhook", a, "sent");
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(j, "event")), "message.status");
	ck_assert_str_eq(json_string_value(json_object_get(j, "at")),
	    "2026-11-30T01:53:26+01:00");
	msg = json_object_get(j, "message");
	ck_assert_int_eq(json_integer_value(json_object_get(msg, "id")), a);
	ck_assert_str_eq(json_string_value(json_object_get(msg, "to")), "+33639980001");
	ck_assert_str_eq(json_string_value(json_object_get(msg, "previous_status")), "sending");
	ck_assert(json_is_null(json_object_get(msg, "campaign_id")));
	ck_assert(json_is_null(json_object_get(msg, "contact_id")));
	ck_assert(json_is_null(json_object_get(msg, "error")));
	json_decref(j);
	hook_expect(t.db, b, "cancelled", "previous_status", "queued");
	/* webhook.2 listens to replies only */
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM webhook_deliveries "
	    "WHERE webhook <> 'webhook' OR event <> 'message.status' OR status <> 'pending'"), 0);
	hook_close(&t, cfg);
}
END_TEST

/* The other transitions: recovery, resend, failure, delivery report. */
START_TEST(test_more_transitions)
{
	struct test_db t;
	struct config *cfg = hook_open(&t);
	int64_t a;

	a = hook_add(t.db, "+33639980001", 0);
	hook_claim(t.db, T0);
	ck_assert_int_eq(queue_recover(t.db, T0 + 1), 1);
	hook_expect(t.db, a, "uncertain", "previous_status", "sending");
	ck_assert_int_eq(queue_resend(t.db, a, T0 + 2, NULL), 0);
	hook_claim(t.db, T0 + 2);
	ck_assert_int_eq(queue_fail(t.db, a, "numéro inconnu", T0 + 3), 0);
	hook_expect(t.db, a, "failed", "error", "numéro inconnu");
	ck_assert_int_eq(queue_resend(t.db, a, T0 + 4, NULL), 0);
	/* two resends: one from uncertain, one from failed */
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM webhook_deliveries WHERE "
	    "json_extract(payload, '$.message.status') = 'queued' AND "
	    "json_extract(payload, '$.message.previous_status') IN ('uncertain', 'failed')"), 2);
	hook_claim(t.db, T0 + 4);
	ck_assert_int_eq(queue_part_sent(t.db, a, 1, "modem", 12, T0 + 5), 0);
	ck_assert_int_eq(queue_mark_sent(t.db, a, T0 + 5), 0);
	ck_assert_int_eq(queue_report(t.db, "modem", 12, "+33639980001", 0x00, T0 + 9), 1);
	hook_expect(t.db, a, "delivered", "previous_status", "sent");
	ck_assert_int_eq(hook_rows(t.db), 6);
	hook_close(&t, cfg);
}
END_TEST

/* The notice and the change are one transaction: no notice, no change. */
START_TEST(test_same_transaction)
{
	struct test_db t;
	struct config *cfg = hook_open(&t);
	int64_t a;

	a = hook_add(t.db, "+33639980001", 0);
	hook_claim(t.db, T0);
	ck_assert_int_eq(db_exec(t.db, "CREATE TEMP TRIGGER no_outbox BEFORE INSERT ON "
	    "webhook_deliveries BEGIN SELECT RAISE(ABORT, 'outbox full'); END"), 0);
	ck_assert_int_eq(queue_mark_sent(t.db, a, T0 + 1), -1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT status = 'sending' FROM messages"), 1);
	ck_assert_int_eq(db_exec(t.db, "DROP TRIGGER no_outbox"), 0);
	ck_assert_int_eq(queue_mark_sent(t.db, a, T0 + 2), 0);
	ck_assert_int_eq(hook_rows(t.db), 1);
	hook_close(&t, cfg);
}
END_TEST

/* STOP cancels in bulk: one notice each; erasure removes the person's notices. */
START_TEST(test_bulk_and_erasure)
{
	struct test_db t;
	struct config *cfg = hook_open(&t);
	json_t *j;
	int64_t a;

	ck_assert_int_eq(db_exec(t.db, "INSERT INTO contacts (id, first_name, last_name, "
	    "created_at, updated_at) VALUES (7, 'Awa', 'Diallo', 0, 0)"), 0);
	hook_add(t.db, "+33639980001", 7);
	hook_add(t.db, "+33639980001", 7);
	ck_assert_int_eq(queue_cancel_contact(t.db, 7, T0), 2);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM webhook_deliveries "
	    "WHERE contact_id = 7 AND payload LIKE '%+33639980001%'"), 2);
	a = hook_add(t.db, "+33639980001", 7);
	ck_assert_int_eq(queue_forget_contact(t.db, 7, T0 + 1), 0);
	/* the old notices are gone; the cancellation's has no number */
	ck_assert_int_eq(hook_rows(t.db), 1);
	j = hook_row(t.db, "webhook", a, "cancelled");
	ck_assert_ptr_nonnull(j);
	ck_assert(json_is_null(json_object_get(json_object_get(j, "message"), "to")));
	json_decref(j);
	hook_close(&t, cfg);
}
END_TEST

/* A webhook removed from the configuration: its pending notices fail, no new ones. */
START_TEST(test_sync_removed)
{
	struct config *two = hook_config(HOOK_TWO), *none = hook_config("");
	struct test_db t;
	int64_t a;

	test_db_open(&t);
	ck_assert_int_eq(webhook_sync(t.db, two, T0), 0);
	a = hook_add(t.db, "+33639980001", 0);
	ck_assert_int_eq(queue_cancel(t.db, a, T0, NULL), 0);
	ck_assert_int_eq(webhook_sync(t.db, none, T0 + 1), 0);
	ck_assert(!webhook_wanted(t.db, WEBHOOK_MESSAGE_STATUS));
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM webhook_deliveries "
	    "WHERE status = 'failed' AND last_error LIKE '%removed%'"), 1);
	a = hook_add(t.db, "+33639980001", 0);
	ck_assert_int_eq(queue_cancel(t.db, a, T0 + 2, NULL), 0);
	ck_assert_int_eq(hook_rows(t.db), 1);
	test_db_close(&t);
	config_free(two);
	config_free(none);
}
END_TEST

/* ---- end to end: a receiver in this process ---- */

struct hook_req {
	char path[64];
	char event[32];
	char delivery[32];
	char signature[96];
	char content_type[64];
	char *body;
	size_t len;
	unsigned status;		/* what the receiver answered */
};

static struct {
	struct MHD_Daemon *mhd;
	int port;
	pthread_mutex_t lock;
	struct hook_req reqs[HOOK_MAX_REQS];
	size_t n;
	int fail_first;			/* answer 500 to this many requests first */
} R = { .lock = PTHREAD_MUTEX_INITIALIZER };

struct hook_upload {
	char *data;
	size_t len;
};

static void
hook_copy_header(struct MHD_Connection *c, const char *name, char *out, size_t size)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);

	snprintf(out, size, "%s", v ? v : "");
}

static enum MHD_Result
hook_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *data, size_t *size, void **state)
{
	struct hook_upload *up = *state;
	struct MHD_Response *resp;
	struct hook_req *q;
	enum MHD_Result rc;
	unsigned status = MHD_HTTP_OK;

	(void)cls;
	(void)version;
	if (up == NULL) {
		*state = up = calloc(1, sizeof(*up));
		return up ? MHD_YES : MHD_NO;
	}
	if (*size) {
		char *grown = realloc(up->data, up->len + *size + 1);
		if (grown == NULL)
			return MHD_NO;
		up->data = grown;
		memcpy(up->data + up->len, data, *size);
		up->len += *size;
		up->data[up->len] = '\0';
		*size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&R.lock);
	if ((int)R.n < R.fail_first)
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	if (R.n < HOOK_MAX_REQS && strcmp(method, "POST") == 0) {
		q = &R.reqs[R.n++];
		snprintf(q->path, sizeof(q->path), "%s", url);
		hook_copy_header(c, "X-Rappel-Event", q->event, sizeof(q->event));
		hook_copy_header(c, "X-Rappel-Delivery", q->delivery, sizeof(q->delivery));
		hook_copy_header(c, "X-Rappel-Signature", q->signature, sizeof(q->signature));
		hook_copy_header(c, "Content-Type", q->content_type, sizeof(q->content_type));
		q->body = up->data ? up->data : strdup("");
		q->len = up->len;
		q->status = status;
		up->data = NULL;
	}
	pthread_mutex_unlock(&R.lock);
	resp = MHD_create_response_from_buffer(2, (void *)"ok", MHD_RESPMEM_PERSISTENT);
	rc = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static void
hook_completed(void *cls, struct MHD_Connection *c, void **state,
    enum MHD_RequestTerminationCode toe)
{
	struct hook_upload *up = *state;

	(void)cls;
	(void)c;
	(void)toe;
	if (up) {
		free(up->data);
		free(up);
	}
	*state = NULL;
}

static void
receiver_start(int fail_first)
{
	struct sockaddr_in sa = { 0 };
	const union MHD_DaemonInfo *info;

	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	R.n = 0;
	R.fail_first = fail_first;
	R.mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0,
	    NULL, NULL, hook_handler, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_NOTIFY_COMPLETED, hook_completed, NULL, MHD_OPTION_END);
	ck_assert_ptr_nonnull(R.mhd);
	info = MHD_get_daemon_info(R.mhd, MHD_DAEMON_INFO_BIND_PORT);
	ck_assert_ptr_nonnull(info);
	R.port = info->port;
	ck_assert_int_gt(R.port, 0);
}

static void
receiver_stop(void)
{
	size_t i;

	MHD_stop_daemon(R.mhd);
	R.mhd = NULL;
	for (i = 0; i < R.n; i++)
		free(R.reqs[i].body);
	R.n = 0;
}

static struct e2e E;
static struct e2e_client A;
static struct modemsim *SIM;
static char SIM_DIR[64], SIM_LINK[128];

/* The simulator, then rappeld with a modem on it and the webhooks in extra. */
static void
start_with_hooks(const char *hooks)
{
	struct modemsim_options opt = { 0 };
	char conf[2048];

	snprintf(SIM_DIR, sizeof(SIM_DIR), "/tmp/rappel-sim-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(SIM_DIR));
	snprintf(SIM_LINK, sizeof(SIM_LINK), "%s/ttyUSB0", SIM_DIR);
	opt.link_path = SIM_LINK;
	ck_assert_ptr_nonnull(SIM = modemsim_new(&opt));
	ck_assert_int_eq(modemsim_start(SIM), 0);
	snprintf(conf, sizeof(conf), HOOK_SENDING "\n[modem]\ndevice = %s\n\n%s", SIM_LINK,
	    hooks);
	e2e_start_with(&E, conf);
	e2e_client_init(&A);
	ck_assert_int_eq(e2e_login(&E, &A, E2E_ADMIN, E2E_ADMIN_PW), 200);
}

/* Both webhooks on the receiver: /all gets everything, /replies replies only. */
static void
start_receiver_hooks(int fail_first)
{
	char hooks[1024];

	receiver_start(fail_first);
	snprintf(hooks, sizeof(hooks),
	    "[webhook]\nurl = http://127.0.0.1:%d/all\nsecret = %s\nretry_base = 1\n\n"
	    "[webhook.2]\nurl = http://127.0.0.1:%d/replies\nsecret = %s-2\n"
	    "events = reply.received\n", R.port, HOOK_SECRET, R.port, HOOK_SECRET);
	start_with_hooks(hooks);
}

static void
stop_all(void)
{
	char cmd[128];

	e2e_client_free(&A);
	e2e_stop(&E);
	modemsim_free(SIM);
	SIM = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", SIM_DIR);
	ck_assert_int_eq(system(cmd), 0);
	if (R.mhd)
		receiver_stop();
}

static json_int_t
send_sms(const char *to, const char *body)
{
	return e2e_send_sms(&E, &A, to, body);
}

/*
 * Waits until the receiver got a request on path whose JSON body has
 * key.field == value, answered with answered (0: any); returns a copy of
 * it (body owned by the caller) or fails the test.
 */
static struct hook_req
wait_request(const char *path, const char *key, const char *field, const char *value,
    unsigned answered)
{
	struct hook_req found = { 0 };
	int waited;
	size_t i;

	for (waited = 0; waited < HOOK_WAIT_MS; waited += 100) {
		pthread_mutex_lock(&R.lock);
		for (i = 0; i < R.n && found.body == NULL; i++) {
			json_t *j = json_loads(R.reqs[i].body, 0, NULL);
			const char *v = json_string_value(json_object_get(json_object_get(j, key),
			    field));
			if (strcmp(R.reqs[i].path, path) == 0 && v && strcmp(v, value) == 0 &&
			    (answered == 0 || R.reqs[i].status == answered)) {
				found = R.reqs[i];
				found.body = strdup(R.reqs[i].body);
			}
			json_decref(j);
		}
		pthread_mutex_unlock(&R.lock);
		if (found.body)
			return found;
		e2e_sleep_ms(100);
	}
	e2e_dump_log(&E);
	ck_abort_msg("no request on %s with %s.%s = %s", path, key, field, value);
	return found;
}

/* What a receiver does: recompute the HMAC of the exact body and compare. */
static bool
signed_with(const struct hook_req *q, const char *secret)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES], got[crypto_auth_hmacsha256_BYTES];
	size_t bin = 0;

	ck_assert_str_eq(q->content_type, "application/json");
	ck_assert_msg(strncmp(q->signature, "sha256=", 7) == 0, "%s", q->signature);
	ck_assert_int_eq(sodium_hex2bin(got, sizeof(got), q->signature + 7,
	    strlen(q->signature + 7), NULL, &bin, NULL), 0);
	ck_assert_uint_eq(bin, sizeof(got));
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)q->body, q->len);
	crypto_auth_hmacsha256_final(&st, mac);
	return sodium_memcmp(mac, got, sizeof(mac)) == 0;
}

static void
assert_signed(const struct hook_req *q, const char *secret)
{
	ck_assert_msg(signed_with(q, secret), "bad signature %s", q->signature);
}

static size_t
count_requests(const char *path, const char *event)
{
	size_t i, n = 0;

	pthread_mutex_lock(&R.lock);
	for (i = 0; i < R.n; i++)
		if (strcmp(R.reqs[i].path, path) == 0 && strcmp(R.reqs[i].event, event) == 0)
			n++;
	pthread_mutex_unlock(&R.lock);
	return n;
}

/* Waits until rappeld's log has a line with what in it; fails the test if never. */
static void
wait_log(const char *what)
{
	int waited;
	char *log;
	bool found;

	for (waited = 0; waited < HOOK_WAIT_MS; waited += 100) {
		log = e2e_read_file(E.log, NULL);
		found = log && strstr(log, what);
		free(log);
		if (found)
			return;
		e2e_sleep_ms(100);
	}
	e2e_dump_log(&E);
	ck_abort_msg("the log never said \"%s\"", what);
}

/* Once a delivery is recorded, no log line holds the number in full. */
static void
assert_log_masks(const char *digits)
{
	char *log;

	wait_log("webhook: delivered");
	log = e2e_read_file(E.log, NULL);
	ck_assert_ptr_nonnull(log);
	ck_assert_msg(strstr(log, digits) == NULL, "the log shows %s in full", digits);
	free(log);
}

/* A message sent through the modem: message.status "sent", signed, to /all only. */
START_TEST(test_e2e_message_status)
{
	struct hook_req q;
	json_t *j, *m;
	json_int_t id;

	start_receiver_hooks(0);
	id = send_sms("06 12 34 56 78", "Rappel : atelier couture demain 9h.");
	q = wait_request("/all", "message", "status", "sent", 200);
	assert_signed(&q, HOOK_SECRET);
	ck_assert_str_eq(q.event, "message.status");
	j = json_loads(q.body, 0, NULL);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(j, "event")), "message.status");
	ck_assert(json_is_string(json_object_get(j, "at")));
	m = json_object_get(j, "message");
	ck_assert_int_eq(json_integer_value(json_object_get(m, "id")), id);
	ck_assert_str_eq(json_string_value(json_object_get(m, "to")), "+33612345678");
	ck_assert_str_eq(json_string_value(json_object_get(m, "previous_status")), "sending");
	ck_assert(json_is_null(json_object_get(m, "error")));
	json_decref(j);
	ck_assert_int_gt(atoll(q.delivery), 0);
	/* another secret, or one byte of the body changed, does not verify */
	ck_assert(!signed_with(&q, HOOK_SECRET "-2"));
	q.body[q.len - 1] = ' ';
	ck_assert(!signed_with(&q, HOOK_SECRET));
	free(q.body);
	ck_assert_uint_eq(count_requests("/replies", "message.status"), 0);
	assert_log_masks("33612345678");
	stop_all();
}
END_TEST

/* An SMS "OUI" comes in: reply.received with intent yes, to both webhooks. */
START_TEST(test_e2e_reply_received)
{
	struct e2e_resp r;
	struct hook_req q;
	json_int_t contact;
	json_t *j, *reply;

	start_receiver_hooks(0);
	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/contacts",
	    "{\"first_name\":\"Awa\",\"last_name\":\"Diallo\",\"phone\":\"06 12 34 56 78\"}",
	    &r), 201);
	contact = json_integer_value(json_object_get(r.json, "id"));
	e2e_resp_free(&r);
	ck_assert_int_eq(modemsim_inject_sms(SIM, "+33612345678", "OUI", MODEMSIM_GSM7), 1);
	q = wait_request("/replies", "reply", "intent", "yes", 200);
	assert_signed(&q, HOOK_SECRET "-2");
	ck_assert_str_eq(q.event, "reply.received");
	j = json_loads(q.body, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "event")), "reply.received");
	reply = json_object_get(j, "reply");
	ck_assert_str_eq(json_string_value(json_object_get(reply, "from")), "+33612345678");
	ck_assert_str_eq(json_string_value(json_object_get(reply, "body")), "OUI");
	ck_assert_int_eq(json_integer_value(json_object_get(reply, "contact_id")), contact);
	ck_assert_int_gt(json_integer_value(json_object_get(reply, "id")), 0);
	ck_assert(json_is_null(json_object_get(reply, "event_id")));
	json_decref(j);
	free(q.body);
	q = wait_request("/all", "reply", "intent", "yes", 200);
	assert_signed(&q, HOOK_SECRET);
	free(q.body);
	assert_log_masks("33612345678");
	stop_all();
}
END_TEST

/* The receiver fails twice with 500: the third attempt delivers the same notice. */
START_TEST(test_e2e_retry)
{
	struct hook_req q;
	json_t *st, *hooks, *h;
	size_t i;
	int waited;

	start_receiver_hooks(2);
	send_sms("0612345678", "Bonjour");
	q = wait_request("/all", "message", "status", "sent", 200);
	pthread_mutex_lock(&R.lock);
	ck_assert_uint_ge(R.n, 3);
	for (i = 0; i < 3; i++) {
		ck_assert_str_eq(R.reqs[i].delivery, q.delivery);
		ck_assert_str_eq(R.reqs[i].signature, q.signature);
		ck_assert_str_eq(R.reqs[i].body, q.body);
		ck_assert_uint_eq(R.reqs[i].status, i < 2 ? 500 : 200);
	}
	pthread_mutex_unlock(&R.lock);
	free(q.body);
	/* /status: nothing pending, nothing failed, and the latest attempt succeeded */
	for (waited = 0; waited < HOOK_WAIT_MS; waited += 100) {
		struct e2e_resp r;
		ck_assert_int_eq(e2e_call(&E, &A, "GET", "/api/v1/status", NULL, &r), 200);
		st = json_incref(r.json);
		e2e_resp_free(&r);
		hooks = json_object_get(st, "webhooks");
		ck_assert_uint_eq(json_array_size(hooks), 2);
		h = json_array_get(hooks, 0);
		ck_assert_str_eq(json_string_value(json_object_get(h, "name")), "webhook");
		if (json_integer_value(json_object_get(h, "pending")) == 0)
			break;
		json_decref(st);
		st = NULL;
		e2e_sleep_ms(100);
	}
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(json_integer_value(json_object_get(h, "failed")), 0);
	ck_assert(json_is_null(json_object_get(h, "last_error")));
	ck_assert(json_is_string(json_object_get(h, "last_attempt_at")));
	json_decref(st);
	wait_log("error=\"HTTP 500\"");
	wait_log("webhook: retry id=");
	stop_all();
}
END_TEST

/* True when the process pid has a file whose name contains name mapped. */
static bool
maps_have(pid_t pid, const char *name)
{
	char path[64], line[1024];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, name) != NULL;
	fclose(f);
	return found;
}

/*
 * A webhook added to the configuration with SIGHUP (systemctl reload) is
 * used at once; libcurl (7 MiB resident with what it loads) is loaded only
 * then, at the first delivery.
 */
START_TEST(test_e2e_reload_adds_webhook)
{
	struct hook_req q;
	json_int_t before, after;
	struct e2e_resp r;
	int waited;
	size_t sent = 0;
	json_t *j;
	FILE *f;

	receiver_start(0);
	start_with_hooks("");
	before = send_sms("0612345678", "Avant");
	for (waited = 0; waited < HOOK_WAIT_MS && sent < 1; waited += 100) {
		ck_assert_int_eq(e2e_call(&E, &A, "GET", "/api/v1/messages?status=sent", NULL,
		    &r), 200);
		sent = json_array_size(r.json);
		e2e_resp_free(&r);
		e2e_sleep_ms(100);
	}
	ck_assert_uint_eq(sent, 1);
	ck_assert_msg(!maps_have(E.pid, "libcurl"), "libcurl loaded with no webhook");
	ck_assert_ptr_nonnull(f = fopen(E.conf, "a"));
	fprintf(f, "\n[webhook]\nurl = http://127.0.0.1:%d/all\nsecret = %s\n", R.port,
	    HOOK_SECRET);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(kill(E.pid, SIGHUP), 0);
	wait_log("webhook: 1 webhook(s) configured");
	after = send_sms("0612345678", "Après");
	q = wait_request("/all", "message", "status", "sent", 200);
	assert_signed(&q, HOOK_SECRET);
	j = json_loads(q.body, 0, NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "message"), "id")),
	    after);
	json_decref(j);
	free(q.body);
	ck_assert(maps_have(E.pid, "libcurl.so.4"));
	/* the message sent before the reload was not reported */
	ck_assert_int_ne(before, after);
	ck_assert_uint_eq(count_requests("/all", "message.status"), 1);
	stop_all();
}
END_TEST

/*
 * A receiver that accepts the connection and never answers: the messages
 * are sent all the same, and rappeld still stops cleanly.
 */
START_TEST(test_e2e_dead_receiver_does_not_block)
{
	struct sockaddr_in sa = { 0 };
	socklen_t len = sizeof(sa);
	char hooks[512], path[96];
	int fd = socket(AF_INET, SOCK_STREAM, 0), i, waited;
	struct e2e_resp r;
	size_t sent = 0;

	ck_assert_int_ge(fd, 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fd, 16), 0);	/* connections wait in the backlog */
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	snprintf(hooks, sizeof(hooks), "[webhook]\nurl = http://127.0.0.1:%d/\nsecret = %s\n",
	    ntohs(sa.sin_port), HOOK_SECRET);
	start_with_hooks(hooks);
	for (i = 0; i < 5; i++)
		send_sms("0612345678", "Bonjour");
	snprintf(path, sizeof(path), "/api/v1/messages?status=sent");
	for (waited = 0; waited < HOOK_WAIT_MS && sent < 5; waited += 100) {
		ck_assert_int_eq(e2e_call(&E, &A, "GET", path, NULL, &r), 200);
		sent = json_array_size(r.json);
		e2e_resp_free(&r);
		if (sent < 5)
			e2e_sleep_ms(100);
	}
	ck_assert_uint_eq(sent, 5);
	ck_assert_int_eq(e2e_call(&E, &A, "GET", "/api/v1/status", NULL, &r), 200);
	/* nothing could be delivered: the notices wait */
	ck_assert_int_ge(json_integer_value(json_object_get(json_array_get(
	    json_object_get(r.json, "webhooks"), 0), "pending")), 5);
	e2e_resp_free(&r);
	ck_assert_int_eq(e2e_call(&E, &A, "GET", "/metrics", NULL, &r), 200);
	ck_assert_msg(strstr(r.body, "\nrappel_webhook_notifications{webhook=\"webhook\","
	    "status=\"pending\"} 5\n") != NULL, "%s", r.body);
	e2e_resp_free(&r);
	stop_all();		/* e2e_stop asserts a clean exit */
	close(fd);
}
END_TEST

static Suite *
webhook_suite(void)
{
	Suite *s = suite_create("webhook");
	TCase *tc;

	tc = tcase_create("signature");
	tcase_add_test(tc, test_sign_rfc4231);
	tcase_add_test(tc, test_backoff);
	suite_add_tcase(s, tc);
	tc = tcase_create("outbox");
	tcase_add_test(tc, test_no_webhook_no_row);
	tcase_add_test(tc, test_transitions_noticed);
	tcase_add_test(tc, test_more_transitions);
	tcase_add_test(tc, test_same_transaction);
	tcase_add_test(tc, test_bulk_and_erasure);
	tcase_add_test(tc, test_sync_removed);
	suite_add_tcase(s, tc);
	tc = tcase_create("end to end");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_e2e_message_status);
	tcase_add_test(tc, test_e2e_reply_received);
	tcase_add_test(tc, test_e2e_retry);
	tcase_add_test(tc, test_e2e_reload_adds_webhook);
	tcase_add_test(tc, test_e2e_dead_receiver_does_not_block);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(webhook_suite)
