/*
 * check_crash — a power cut at any moment loses nothing and sends nothing
 * twice silently.  A campaign of 1,000 messages goes through the modem
 * simulator (owned by this process, so the network outlives rappeld)
 * while rappeld is killed with SIGKILL at random moments 20 times and
 * started again.  Afterwards every message was queued once, and is sent
 * (received once by the network) or uncertain (received at most once,
 * shown to a person); the database passes PRAGMA integrity_check after
 * every kill.
 *
 * RAPPEL_CRASH_SEED fixes the random moments (the seed is printed).
 */
#include <check.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "e2e.h"
#include "modemsim.h"
#include "test_main.h"

#define CRASH_MESSAGES 1000
#define CRASH_KILLS 20
#define CRASH_WAIT_S 900	/* upper bound for the last messages to go */

static struct e2e E;
static struct modemsim *SIM;
static char SIM_DIR[64], SIM_LINK[128], SIM_LOG[128];

static void
crash_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void
crash_sim_start(void)
{
	struct modemsim_options opt = { 0 };

	snprintf(SIM_DIR, sizeof(SIM_DIR), "/tmp/rappel-crash-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(SIM_DIR));
	snprintf(SIM_LINK, sizeof(SIM_LINK), "%s/ttyUSB0", SIM_DIR);
	snprintf(SIM_LOG, sizeof(SIM_LOG), "%s/modem.jsonl", SIM_DIR);
	opt.link_path = SIM_LINK;
	opt.log_path = SIM_LOG;
	opt.slots = 50;
	ck_assert_ptr_nonnull(SIM = modemsim_new(&opt));
	ck_assert_int_eq(modemsim_start(SIM), 0);
}

/* 1,000 contacts in the group "Crash", each with a unique first name. */
static void
crash_contacts(void)
{
	struct buf csv = { 0 };
	char path[256], out[4096];
	int i, rc;

	buf_puts(&csv, "Prénom;Nom;Téléphone;Groupes\n");
	for (i = 0; i < CRASH_MESSAGES; i++)
		buf_printf(&csv, "P%04d;Test;+336%08d;Crash\n", i, 20000000 + i);
	buf_putc(&csv, '\0');
	e2e_write_file(&E, "contacts.csv", csv.data, path, sizeof(path));
	buf_free(&csv);
	rc = e2e_ctl(&E, NULL, out, sizeof(out), "import", "contacts", path, NULL);
	ck_assert_msg(rc == 0, "import: %s", out);
}

static long long
crash_db_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
	    sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* PRAGMA integrity_check on the database, rappeld being down. */
static void
crash_integrity(int kill)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_open_v2(E.db, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_msg(strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0,
	    "integrity_check after kill %d: %s", kill, sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Creates the campaign, due now, and schedules it. */
static void
crash_campaign(struct e2e_client *c)
{
	struct e2e_resp r;
	char body[512], at[32], path[64];
	time_t now = time(NULL);
	struct tm tm;
	json_int_t id;

	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	ck_assert_int_eq(e2e_call(&E, c, "GET", "/api/v1/groups", NULL, &r), 200);
	snprintf(body, sizeof(body), "{\"name\":\"Coupure\",\"body\":\"Bonjour {prenom}, "
	    "rappel du centre. {centre}\",\"audience\":{\"group_ids\":[%lld]},"
	    "\"schedule\":{\"at\":\"%s\"}}", (long long)json_integer_value(json_object_get(
	    json_array_get(r.json, 0), "id")), at);
	e2e_resp_free(&r);
	ck_assert_int_eq(e2e_call(&E, c, "POST", "/api/v1/campaigns", body, &r), 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	e2e_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", (long long)id);
	ck_assert_int_eq(e2e_status(&E, c, "POST", path, NULL), 200);
}

/* Messages still to send (queued or sending), as rappeld reports them; -1 on error. */
static long long
crash_pending(struct e2e_client *c)
{
	struct e2e_resp r;
	json_t *q;
	long long n = -1;

	if (e2e_call(&E, c, "GET", "/api/v1/status", NULL, &r) == 200) {
		q = json_object_get(r.json, "queue");
		n = json_integer_value(json_object_get(q, "queued")) +
		    json_integer_value(json_object_get(q, "sending"));
	}
	e2e_resp_free(&r);
	return n;
}

/* Waits (10 s at most) until the modem is connected and ready to send. */
static void
crash_wait_ready(struct e2e_client *c)
{
	struct e2e_resp r;
	const char *state;
	bool ready = false;
	int i;

	for (i = 0; i < 200 && !ready; i++) {
		if (e2e_call(&E, c, "GET", "/api/v1/status", NULL, &r) == 200) {
			state = json_string_value(json_object_get(json_array_get(json_object_get(
			    r.json, "modems"), 0), "state"));
			ready = state && strcmp(state, "ready") == 0;
		}
		e2e_resp_free(&r);
		if (!ready)
			crash_sleep_ms(50);
	}
}

/* How many times the network received each number's SMS: counts[i] for +336(20000000+i). */
static void
crash_received(int *counts)
{
	char line[65536];
	FILE *f = fopen(SIM_LOG, "r");
	json_t *o;
	const char *to, *ev;
	long n;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		if ((o = json_loads(line, 0, NULL)) == NULL)
			continue;
		ev = json_string_value(json_object_get(o, "event"));
		to = json_string_value(json_object_get(o, "to"));
		if (ev && strcmp(ev, "submit") == 0 && to && strncmp(to, "+336", 4) == 0) {
			n = strtol(to + 4, NULL, 10) - 20000000;
			if (n >= 0 && n < CRASH_MESSAGES)
				counts[n]++;
		}
		json_decref(o);
	}
	fclose(f);
}

START_TEST(test_kill_during_campaign)
{
	struct e2e_client c;
	unsigned seed = getenv("RAPPEL_CRASH_SEED") ? (unsigned)atoi(getenv("RAPPEL_CRASH_SEED")) :
	    (unsigned)time(NULL);
	int counts[CRASH_MESSAGES] = { 0 }, kill, waited, dup = 0, lost = 0;
	long long sent, uncertain, total, other, pending;
	char extra[512], sql[256];
	sqlite3 *db;
	sqlite3_stmt *st;

	printf("crash: seed %u\n", seed);
	srand(seed);
	crash_sim_start();
	snprintf(extra, sizeof(extra), "[sending]\nretry_delay = 1\nhours = 00:00-24:00\n"
	    "days = mon,tue,wed,thu,fri,sat,sun\nmax_per_minute = 600\nmax_per_day = 100000\n"
	    "[modem]\ndevice = %s\n", SIM_LINK);
	e2e_start_with(&E, extra);
	crash_contacts();
	e2e_client_init(&c);
	ck_assert_int_eq(e2e_login(&E, &c, E2E_ADMIN, E2E_ADMIN_PW), 200);
	crash_campaign(&c);

	for (kill = 1; kill <= CRASH_KILLS; kill++) {
		/* a random moment once the modem is sending again (or the first pass) */
		crash_wait_ready(&c);
		crash_sleep_ms(rand() % 2000);
		e2e_kill(&E);
		crash_integrity(kill);
		e2e_launch(&E);
		ck_assert_int_eq(e2e_login(&E, &c, E2E_ADMIN, E2E_ADMIN_PW), 200);
	}
	for (waited = 0; waited < CRASH_WAIT_S * 2; waited++) {
		if ((pending = crash_pending(&c)) == 0)
			break;
		crash_sleep_ms(500);
	}
	ck_assert_msg(pending == 0, "%lld messages still pending", pending);

	ck_assert_int_eq(sqlite3_open_v2(E.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	total = crash_db_int(db, "SELECT count(*) FROM messages WHERE campaign_id = 1");
	ck_assert_int_eq(crash_db_int(db, "SELECT count(DISTINCT contact_id) FROM messages "
	    "WHERE campaign_id = 1"), CRASH_MESSAGES);
	sent = crash_db_int(db, "SELECT count(*) FROM messages WHERE campaign_id = 1 AND "
	    "status IN ('sent', 'delivered')");
	uncertain = crash_db_int(db, "SELECT count(*) FROM messages WHERE campaign_id = 1 AND "
	    "status = 'uncertain'");
	other = total - sent - uncertain;
	crash_received(counts);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT to_number, status FROM messages "
	    "WHERE campaign_id = 1", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long n = strtol((const char *)sqlite3_column_text(st, 0) + 4, NULL, 10) - 20000000;
		bool is_sent = strcmp((const char *)sqlite3_column_text(st, 1), "uncertain") != 0;
		ck_assert(n >= 0 && n < CRASH_MESSAGES);
		if (counts[n] > 1)
			dup++;
		if (is_sent && counts[n] != 1)
			lost++;
	}
	sqlite3_finalize(st);
	snprintf(sql, sizeof(sql), "SELECT queued FROM campaign_runs WHERE campaign_id = 1");
	ck_assert_int_eq(crash_db_int(db, sql), CRASH_MESSAGES);
	sqlite3_close(db);
	printf("crash: %d kills, %lld messages: %lld sent, %lld uncertain, %lld other; "
	    "%d received twice, %d sent but not received once\n", CRASH_KILLS, total, sent,
	    uncertain, other, dup, lost);
	ck_assert_int_eq(total, CRASH_MESSAGES);
	ck_assert_int_eq(other, 0);
	ck_assert_int_eq(dup, 0);
	ck_assert_int_eq(lost, 0);
	e2e_client_free(&c);
	e2e_stop(&E);
	modemsim_free(SIM);
	snprintf(extra, sizeof(extra), "rm -rf '%s'", SIM_DIR);
	ck_assert_int_eq(system(extra), 0);
}
END_TEST

static Suite *
crash_suite(void)
{
	Suite *s = suite_create("crash");
	TCase *tc = tcase_create("crash");

	tcase_set_timeout(tc, CRASH_WAIT_S + 300);
	tcase_add_test(tc, test_kill_during_campaign);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(crash_suite)
