/*
 * check_crash — issue 4: a power cut at any moment loses no message and
 * sends none twice silently.
 *
 * A campaign of 1,000 messages (1,000 contacts, distinct mobile numbers,
 * distinct first names so that every text is unique) goes out through a
 * modem simulator running as its own process (tools/modemsim, the
 * `modemsim` program): the simulated network outlives rappeld.  rappeld
 * is killed with SIGKILL at 20 random moments and started again each
 * time; right after each kill, rappeld being down, the database must
 * pass PRAGMA integrity_check and hold the campaign's messages all or
 * none (queueing is one transaction).  After the last start it finishes
 * the campaign, and then:
 *
 *   - the campaign has exactly 1,000 messages, one per contact;
 *   - each is sent or delivered, or uncertain (it was with the modem at a
 *     kill: rappeld cannot know, so a person decides); none is queued,
 *     sending, failed or cancelled;
 *   - the network received each sent or delivered message exactly once,
 *     with its text, and no text it did not queue;
 *   - no number received its text twice unless its message is uncertain;
 *   - every reply the network delivered meanwhile (two per kill, sent to
 *     the modem while rappeld runs or while it is down, so they wait on
 *     the SIM) is stored exactly once.
 *
 * What the network received is the simulator's own record: every SMS-
 * SUBMIT it accepted, decoded independently of libgammu, is one "submit"
 * line of its JSON-lines log (to, text); the count is checked against
 * the simulator's "status" control command (submits=N).
 *
 * RAPPEL_CRASH_SEED=N replays the same moments (the seed is printed);
 * RAPPEL_CRASH_KILLS=N kills N times instead of 20 (make chaos: 50).
 * Environment: RAPPELD, RAPPELCTL and MODEMSIM (paths of the programs).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "e2e.h"
#include "test_main.h"

#define CRASH_MESSAGES 1000		/* contacts, hence messages */
#define CRASH_KILLS 20			/* SIGKILLs during the campaign, by default */
#define CRASH_REPLIES_PER_KILL 2	/* SMS the residents send meanwhile */
#define CRASH_REPLIES_WAIT_MS 120000	/* most we wait for the last replies to be stored */
#define CRASH_DELAY_MIN_MS 200		/* a kill comes this long ... */
#define CRASH_DELAY_MAX_MS 3000		/* ... to this long after the reference moment */
#define CRASH_RESUME_WAIT_MS 15000	/* most we wait for sending to resume */
#define CRASH_DONE_WAIT_MS 600000	/* most we wait for the campaign to finish */
#define CRASH_SIM_START_MS 10000	/* most the simulator takes to open its pty */
#define CRASH_NUMBER_BASE 20000000	/* contact i has +336(BASE + i) */
#define CRASH_SEND_MS "40"		/* the simulated network's time per PDU */

/* Sending at any hour, as fast as [sending] allows, no libgammu sleeps. */
#define CRASH_CONF "[sending]\nretry_delay = 1\nhours = 00:00-24:00\n" \
	"days = mon,tue,wed,thu,fri,sat,sun\nmax_per_minute = 6000\n" \
	"max_per_day = 100000\n\n[modem]\ndevice = %s\nsend_pause_ms = 0\n"

static struct e2e E;
static pid_t SIM_PID;
static char SIM_DIR[64], SIM_LINK[128], SIM_LOG[128], SIM_SOCK[128], SIM_ERR[128];

/* Counts of one campaign's messages by status, read from the database. */
struct crash_counts {
	long long total, queued, sending, sent, delivered, failed, uncertain, cancelled;
	long long runs;		/* rows of campaign_runs */
};

static void
crash_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long long
crash_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
crash_env(const char *name)
{
	const char *v = getenv(name);

	ck_assert_msg(v != NULL && v[0] != '\0', "environment variable %s is not set", name);
	return v;
}

/* ---- the simulated network: a modemsim process ---- */

/*
 * Starts `modemsim --link --control --log` and waits until it prints its
 * device path (the pty is open).  It dies with this process.
 */
static void
crash_sim_start(void)
{
	struct pollfd p;
	char line[256];
	int out[2], fd;
	ssize_t n;
	const char *prog = crash_env("MODEMSIM");

	snprintf(SIM_DIR, sizeof(SIM_DIR), "/tmp/rappel-crash-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(SIM_DIR));
	snprintf(SIM_LINK, sizeof(SIM_LINK), "%s/ttyUSB0", SIM_DIR);
	snprintf(SIM_LOG, sizeof(SIM_LOG), "%s/modem.jsonl", SIM_DIR);
	snprintf(SIM_SOCK, sizeof(SIM_SOCK), "%s/control", SIM_DIR);
	snprintf(SIM_ERR, sizeof(SIM_ERR), "%s/modemsim.err", SIM_DIR);
	ck_assert_int_eq(pipe(out), 0);
	SIM_PID = fork();
	ck_assert_int_ge(SIM_PID, 0);
	if (SIM_PID == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(out[1], STDOUT_FILENO);
		if ((fd = open(SIM_ERR, O_WRONLY | O_CREAT | O_APPEND, 0600)) >= 0)
			dup2(fd, STDERR_FILENO);
		close(out[0]);
		close(out[1]);
		/* 40 ms per PDU: the campaign takes about a minute, kills land mid-send */
		execl(prog, prog, "--link", SIM_LINK, "--control", SIM_SOCK, "--log", SIM_LOG,
		    "--latency", "0," CRASH_SEND_MS, (char *)NULL);
		fprintf(stderr, "crash: cannot run %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
	close(out[1]);
	p.fd = out[0];
	p.events = POLLIN;
	ck_assert_msg(poll(&p, 1, CRASH_SIM_START_MS) == 1, "modemsim did not start");
	n = read(out[0], line, sizeof(line) - 1);
	ck_assert_msg(n > 0, "modemsim exited at start (see %s)", SIM_ERR);
	line[n] = '\0';
	ck_assert_msg(strncmp(line, SIM_LINK, strlen(SIM_LINK)) == 0, "modemsim: %s", line);
	close(out[0]);	/* it prints nothing more */
}

/* SMS the network accepted so far: the "status" control command's submits=N. */
static long
crash_sim_submits(void)
{
	char out[512], *p;
	char *argv[] = { (char *)crash_env("MODEMSIM"), (char *)"--send", SIM_SOCK,
		(char *)"status", NULL };
	int rc = e2e_run(NULL, out, sizeof(out), true, argv);

	ck_assert_msg(rc == 0, "modemsim --send status: %d: %s", rc, out);
	ck_assert_ptr_nonnull(p = strstr(out, "submits="));
	return strtol(p + 8, NULL, 10);
}

/* The network delivers an SMS from a resident to the modem. */
static void
crash_sim_inject(const char *from, const char *text)
{
	char out[256];
	char *argv[] = { (char *)crash_env("MODEMSIM"), (char *)"--send", SIM_SOCK,
		(char *)"inject", (char *)from, (char *)"gsm7", (char *)text, NULL };
	int rc = e2e_run(NULL, out, sizeof(out), true, argv);

	ck_assert_msg(rc == 0 && strncmp(out, "ok", 2) == 0, "inject: %d: %s", rc, out);
}

/* Replies stored with body text (all of them when text is NULL). */
static long long
crash_replies(const char *text)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_open_v2(E.db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM replies WHERE ?1 IS NULL OR body = ?1",
	    -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

/* SIGTERM; the simulator must stop cleanly. */
static void
crash_sim_stop(void)
{
	int status;

	kill(SIM_PID, SIGTERM);
	while (waitpid(SIM_PID, &status, 0) < 0)
		ck_assert_int_eq(errno, EINTR);
	SIM_PID = 0;
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "modemsim did not stop cleanly (status %d)", status);
}

/*
 * What the network received, from the simulator's log: an object
 * "number text" -> times received.  *submits gets the number of submit
 * lines; every one must be a single-part SMS (the texts are short).
 */
static json_t *
crash_sim_received(long *submits)
{
	json_t *got = json_object(), *o;
	struct buf key = { 0 };
	char line[65536];
	const char *to, *text, *ev;
	FILE *f = fopen(SIM_LOG, "r");

	ck_assert_ptr_nonnull(f);
	*submits = 0;
	while (fgets(line, sizeof(line), f)) {
		ck_assert_ptr_nonnull(o = json_loads(line, 0, NULL));
		ev = json_string_value(json_object_get(o, "event"));
		if (ev && strcmp(ev, "submit") == 0) {
			to = json_string_value(json_object_get(o, "to"));
			text = json_string_value(json_object_get(o, "text"));
			ck_assert_msg(to && text && json_is_null(json_object_get(o, "udh")),
			    "unexpected submit: %s", line);
			buf_reset(&key);
			buf_printf(&key, "%s %s", to, text);
			json_object_set_new(got, key.data, json_integer(json_integer_value(
			    json_object_get(got, key.data)) + 1));
			(*submits)++;
		}
		json_decref(o);
	}
	fclose(f);
	buf_free(&key);
	return got;
}

/* ---- contacts and campaign ---- */

/* A first name of its own for contact i < 1,024: two syllables, no digit. */
static void
crash_first_name(int i, char *out, size_t size)
{
	static const char *const a[32] = { "A", "Ba", "Ce", "Da", "E", "Fa", "Ga", "Ha", "I",
		"Ja", "Ka", "La", "Ma", "Na", "O", "Pa", "Ra", "Sa", "Ta", "U", "Va", "Ya", "Za",
		"Be", "De", "Fe", "Le", "Me", "Ne", "Re", "Se", "Te" };
	static const char *const b[32] = { "lia", "mir", "nou", "rek", "sia", "tan", "vel",
		"zo", "bin", "dra", "fik", "gul", "hen", "jo", "kas", "lou", "mae", "nis", "pol",
		"rin", "sul", "tis", "van", "wen", "xel", "yan", "zir", "bel", "cor", "dun", "fay",
		"gos" };

	snprintf(out, size, "%s%s", a[i / 32], b[i % 32]);
}

/* Imports the 1,000 contacts into the group "Coupure" with rappelctl. */
static void
crash_contacts(void)
{
	struct buf csv = { 0 };
	char path[256], out[4096], name[32];
	int i, rc;

	buf_puts(&csv, "Prénom;Nom;Téléphone;Groupes\n");
	for (i = 0; i < CRASH_MESSAGES; i++) {
		crash_first_name(i, name, sizeof(name));
		buf_printf(&csv, "%s;Essai;+336%08d;Coupure\n", name, CRASH_NUMBER_BASE + i);
	}
	e2e_write_file(&E, "contacts.csv", csv.data, path, sizeof(path));
	buf_free(&csv);
	rc = e2e_ctl(&E, NULL, out, sizeof(out), "import", "contacts", path, NULL);
	ck_assert_msg(rc == 0, "import: %s", out);
}

/* Creates the campaign for the group, due now, and schedules it; returns its id. */
static long long
crash_campaign(void)
{
	struct e2e_client c;
	struct e2e_resp r;
	char body[512], at[32], path[64];
	time_t now = time(NULL);
	long long group, id;
	struct tm tm;

	e2e_client_init(&c);
	ck_assert_int_eq(e2e_login(&E, &c, E2E_ADMIN, E2E_ADMIN_PW), 200);
	ck_assert_int_eq(e2e_call(&E, &c, "GET", "/api/v1/groups", NULL, &r), 200);
	ck_assert_uint_eq(json_array_size(r.json), 1);
	group = json_integer_value(json_object_get(json_array_get(r.json, 0), "id"));
	e2e_resp_free(&r);
	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
	snprintf(body, sizeof(body), "{\"name\":\"Coupure de courant\",\"body\":\"Bonjour "
	    "{prenom}, rappel de l'atelier de jeudi. {centre}\",\"audience\":{\"group_ids\":"
	    "[%lld]},\"schedule\":{\"at\":\"%s\"}}", group, at);
	e2e_call(&E, &c, "POST", "/api/v1/campaigns", body, &r);
	ck_assert_msg(r.status == 201, "POST /campaigns: %ld: %s", r.status, r.body);
	id = json_integer_value(json_object_get(r.json, "id"));
	e2e_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", id);
	ck_assert_int_eq(e2e_status(&E, &c, "POST", path, NULL), 200);
	e2e_client_free(&c);
	return id;
}

/* ---- the database, read directly ---- */

static sqlite3 *
crash_db_open(void)
{
	sqlite3 *db;

	ck_assert_msg(sqlite3_open_v2(E.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK,
	    "%s: %s", E.db, sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* The campaign's messages by status, and its runs. */
static void
crash_counts(sqlite3 *db, long long campaign, struct crash_counts *n)
{
	static const char sql[] = "SELECT status, count(*) FROM messages WHERE campaign_id = ?1 "
	    "GROUP BY status UNION ALL SELECT 'runs', count(*) FROM campaign_runs "
	    "WHERE campaign_id = ?1";
	sqlite3_stmt *st;
	const char *s;
	long long v;

	memset(n, 0, sizeof(*n));
	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s",
	    sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, campaign);
	while (sqlite3_step(st) == SQLITE_ROW) {
		s = (const char *)sqlite3_column_text(st, 0);
		v = sqlite3_column_int64(st, 1);
		if (strcmp(s, "runs") == 0) {
			n->runs = v;
			continue;
		}
		n->total += v;
		if (strcmp(s, "queued") == 0)
			n->queued = v;
		else if (strcmp(s, "sending") == 0)
			n->sending = v;
		else if (strcmp(s, "sent") == 0)
			n->sent = v;
		else if (strcmp(s, "delivered") == 0)
			n->delivered = v;
		else if (strcmp(s, "failed") == 0)
			n->failed = v;
		else if (strcmp(s, "uncertain") == 0)
			n->uncertain = v;
		else if (strcmp(s, "cancelled") == 0)
			n->cancelled = v;
	}
	ck_assert_int_eq(sqlite3_finalize(st), SQLITE_OK);
}

/*
 * Right after a kill, rappeld down: PRAGMA integrity_check is "ok", and
 * the campaign is queued all or not at all (one transaction with its run).
 */
static void
crash_check_after_kill(int kill, long long campaign, struct crash_counts *n)
{
	sqlite3 *db = crash_db_open();
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_msg(strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0,
	    "integrity_check after kill %d: %s", kill, sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	crash_counts(db, campaign, n);
	ck_assert_msg((n->total == 0 && n->runs == 0) || (n->total == CRASH_MESSAGES &&
	    n->runs == 1), "after kill %d: %lld messages, %lld runs", kill, n->total, n->runs);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}

/* True when the campaign is queued and nothing of it is queued or sending. */
static bool
crash_finished(long long campaign)
{
	struct crash_counts n;
	sqlite3 *db = crash_db_open();

	crash_counts(db, campaign, &n);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	return n.runs == 1 && n.queued == 0 && n.sending == 0;
}

/*
 * Waits until the network receives an SMS beyond `before` (sending has
 * resumed), the campaign is finished, or CRASH_RESUME_WAIT_MS passed.
 */
static void
crash_wait_resumed(long long campaign, long before)
{
	long long until = crash_now_ms() + CRASH_RESUME_WAIT_MS;

	while (crash_now_ms() < until && crash_sim_submits() <= before &&
	    !crash_finished(campaign))
		crash_sleep_ms(50);
}

/* ---- the verdict ---- */

/*
 * Compares every message of the campaign with what the network received
 * (got, from crash_sim_received()): each sent or delivered message was
 * received exactly once, and nothing else was received.  Counts the
 * uncertain messages received at least once and more than once.
 */
static void
crash_verdict(long long campaign, json_t *got, long *uncertain_received,
    long *dup_uncertain)
{
	static const char sql[] = "SELECT to_number, body, status FROM messages "
	    "WHERE campaign_id = ?1";
	struct buf key = { 0 };
	sqlite3 *db = crash_db_open();
	sqlite3_stmt *st;
	const char *to, *body, *status;
	long long times, matched = 0, received = 0;
	const char *k;
	json_t *v;

	*uncertain_received = *dup_uncertain = 0;
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, campaign);
	while (sqlite3_step(st) == SQLITE_ROW) {
		to = (const char *)sqlite3_column_text(st, 0);
		body = (const char *)sqlite3_column_text(st, 1);
		status = (const char *)sqlite3_column_text(st, 2);
		ck_assert_ptr_nonnull(body);
		buf_reset(&key);
		buf_printf(&key, "%s %s", to, body);
		times = json_integer_value(json_object_get(got, key.data));
		matched += times;
		if (strcmp(status, "uncertain") == 0) {
			*uncertain_received += times > 0;
			*dup_uncertain += times > 1;
			continue;
		}
		ck_assert_msg(strcmp(status, "sent") == 0 || strcmp(status, "delivered") == 0,
		    "%s: %s", to, status);
		ck_assert_msg(times == 1, "%s (%s) received %lld times: %s", to, status, times,
		    body);
	}
	ck_assert_int_eq(sqlite3_finalize(st), SQLITE_OK);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	buf_free(&key);
	/* nothing reached the network that the campaign did not queue */
	json_object_foreach(got, k, v)
		received += json_integer_value(v);
	ck_assert_msg(matched == received, "%lld SMS received that no message of the "
	    "campaign holds", received - matched);
}

START_TEST(test_kill_during_campaign)
{
	const char *env_seed = getenv("RAPPEL_CRASH_SEED");
	unsigned seed = env_seed ? (unsigned)strtoul(env_seed, NULL, 10) :
	    (unsigned)time(NULL) ^ (unsigned)getpid();
	const char *env_kills = getenv("RAPPEL_CRASH_KILLS");
	int kills = env_kills ? atoi(env_kills) : CRASH_KILLS, injected = 0, r;
	struct crash_counts n, at_kill;
	char from[32], text[64];
	long long campaign, t0 = crash_now_ms(), until, mid_send = 0, uncertain_at_kills = 0;
	long submits, logged, uncertain_received, dup_uncertain, before;
	char extra[512];
	int kill, delay;
	bool from_start;
	json_t *got;

	printf("crash: seed %u (RAPPEL_CRASH_SEED=%u replays it)\n", seed, seed);
	fflush(stdout);
	srand(seed);
	crash_sim_start();
	snprintf(extra, sizeof(extra), CRASH_CONF, SIM_LINK);
	e2e_start_with(&E, extra);
	crash_contacts();
	campaign = crash_campaign();

	ck_assert_int_gt(kills, 0);
	for (kill = 1; kill <= kills; kill++) {
		/*
		 * One kill in four comes during start-up (recovery, the
		 * scheduler's transaction, the modem's initialisation); the
		 * others while the modem is sending again.
		 */
		from_start = kill == 1 || rand() % 4 == 0;
		delay = CRASH_DELAY_MIN_MS + rand() % (CRASH_DELAY_MAX_MS - CRASH_DELAY_MIN_MS + 1);
		before = crash_sim_submits();
		if (!from_start)
			crash_wait_resumed(campaign, before);
		/* replies flow in: one while rappeld runs, one just before the kill */
		for (r = 0; r < CRASH_REPLIES_PER_KILL; r++) {
			if (r == CRASH_REPLIES_PER_KILL - 1)
				crash_sleep_ms(delay);
			snprintf(from, sizeof(from), "+336%08d", CRASH_NUMBER_BASE +
			    rand() % CRASH_MESSAGES);
			snprintf(text, sizeof(text), injected % 2 ? "OUI %d" : "Merci, à jeudi (%d)",
			    injected);
			crash_sim_inject(from, text);
			injected++;
		}
		e2e_kill(&E);
		crash_check_after_kill(kill, campaign, &at_kill);
		mid_send += crash_sim_submits() > before;
		uncertain_at_kills += at_kill.sending;
		printf("crash: kill %2d %4d ms after %-7s %4lld queued, %4lld done, %lld with the "
		    "modem\n", kill, delay, from_start ? "start:" : "resume:", at_kill.total,
		    at_kill.sent + at_kill.delivered + at_kill.uncertain, at_kill.sending);
		fflush(stdout);
		e2e_launch(&E);
	}

	/* the last run finishes the campaign */
	until = crash_now_ms() + CRASH_DONE_WAIT_MS;
	while (!crash_finished(campaign) && crash_now_ms() < until)
		crash_sleep_ms(250);
	if (!crash_finished(campaign))
		e2e_dump_log(&E);
	ck_assert_msg(crash_finished(campaign), "the campaign did not finish within %d s",
	    CRASH_DONE_WAIT_MS / 1000);
	/* every reply is stored once, none lost on the SIM or in a kill */
	until = crash_now_ms() + CRASH_REPLIES_WAIT_MS;
	while (crash_replies(NULL) < injected && crash_now_ms() < until)
		crash_sleep_ms(250);
	ck_assert_int_eq(crash_replies(NULL), injected);
	for (r = 0; r < injected; r++) {
		snprintf(text, sizeof(text), r % 2 ? "OUI %d" : "Merci, à jeudi (%d)", r);
		ck_assert_msg(crash_replies(text) == 1, "reply \"%s\" stored %lld times", text,
		    crash_replies(text));
	}

	/* the database, read directly, and what the network received */
	{
		sqlite3 *db = crash_db_open();
		crash_counts(db, campaign, &n);
		ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	}
	ck_assert_int_eq(n.total, CRASH_MESSAGES);	/* none lost, none queued twice */
	ck_assert_int_eq(n.runs, 1);
	ck_assert_int_eq(n.queued + n.sending + n.failed + n.cancelled, 0);
	ck_assert_int_eq(n.sent + n.delivered + n.uncertain, CRASH_MESSAGES);
	/* what was with the modem at a kill stayed uncertain: never sent again */
	ck_assert_int_ge(n.uncertain, uncertain_at_kills);
	submits = crash_sim_submits();
	got = crash_sim_received(&logged);
	ck_assert_int_eq(logged, submits);
	crash_verdict(campaign, got, &uncertain_received, &dup_uncertain);
	json_decref(got);
	e2e_stop(&E);
	crash_sim_stop();

	printf("crash: %d kills (%lld while sending), %lld messages: %lld sent, %lld delivered, "
	    "%lld uncertain (%ld of them received), 0 sent received twice, %ld uncertain "
	    "received twice; %ld SMS received in all; %d replies stored once each; %.1f s\n",
	    kills, mid_send,
	    n.total, n.sent, n.delivered, n.uncertain, uncertain_received, dup_uncertain,
	    submits, injected, (double)(crash_now_ms() - t0) / 1000);

	snprintf(extra, sizeof(extra), "rm -rf '%s'", SIM_DIR);
	ck_assert_int_eq(system(extra), 0);
}
END_TEST

/* ---- replies are a queue: every stored reply reaches a decision ---- */

#define STOPS 200			/* contacts, each sending STOP once */
#define STOPS_NUMBER_BASE 40000000	/* contact i has +336(BASE + i) */
#define STOPS_KILLS 8			/* SIGKILLs while they arrive */
#define STOPS_WAIT_MS 120000		/* most we wait for the last decisions */

/* Imports n contacts +336(base + i), first names of their own. */
static void
crash_import(int n, int base)
{
	struct buf csv = { 0 };
	char path[256], out[4096], name[32];
	int i, rc;

	buf_puts(&csv, "Prénom;Nom;Téléphone\n");
	for (i = 0; i < n; i++) {
		crash_first_name(i, name, sizeof(name));
		buf_printf(&csv, "%s;Stop;+336%08d\n", name, base + i);
	}
	e2e_write_file(&E, "stops.csv", csv.data, path, sizeof(path));
	buf_free(&csv);
	rc = e2e_ctl(&E, NULL, out, sizeof(out), "import", "contacts", path, NULL);
	ck_assert_msg(rc == 0, "import: %s", out);
}

/* The network delivers an SMS; false when the SIM is full (rappeld down or busy). */
static bool
crash_sim_try_inject(const char *from, const char *text)
{
	char out[256];
	char *argv[] = { (char *)crash_env("MODEMSIM"), (char *)"--send", SIM_SOCK,
		(char *)"inject", (char *)from, (char *)"gsm7", (char *)text, NULL };
	int rc = e2e_run(NULL, out, sizeof(out), true, argv);

	if (rc == 0 && strncmp(out, "ok", 2) == 0)
		return true;
	ck_assert_msg(strstr(out, "No space left") != NULL, "inject: %d: %s", rc, out);
	return false;
}

/* One integer from the database (rappeld may be running), or -1. */
static long long
crash_db_int(const char *sql)
{
	sqlite3 *db = crash_db_open();
	sqlite3_stmt *st;
	long long v = -1;

	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
	    sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	return v;
}

/* Waits until sql gives want; false after ms. */
static bool
crash_wait_int(const char *sql, long long want, long ms)
{
	long long until = crash_now_ms() + ms;

	while (crash_db_int(sql) != want && crash_now_ms() < until)
		crash_sleep_ms(100);
	return crash_db_int(sql) == want;
}

/*
 * A reply stored and not yet understood when rappeld died (kill -9
 * between the inbox's commit and the router's): at the next start it is
 * decided, a STOP applied.  Written into the database by hand, as the
 * inbox leaves it, while rappeld is down.
 */
START_TEST(test_undecided_reply_decided_at_start)
{
	sqlite3 *db;
	char extra[512];
	char *msg = NULL;

	crash_sim_start();
	snprintf(extra, sizeof(extra), CRASH_CONF, SIM_LINK);
	e2e_start_with(&E, extra);
	crash_import(1, STOPS_NUMBER_BASE);
	e2e_kill(&E);
	ck_assert_int_eq(sqlite3_open(E.db, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, "INSERT INTO replies (from_number, contact_id, body, "
	    "received_at, modem, dedupe_key) SELECT '+33640000000', id, 'Stop', 1796292000, "
	    "'modem', 'test-undecided' FROM contacts", NULL, NULL, &msg) == SQLITE_OK,
	    "%s", msg);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	ck_assert_int_eq(crash_db_int("SELECT count(*) FROM replies WHERE intent IS NULL"), 1);

	e2e_launch(&E);
	ck_assert_msg(crash_wait_int("SELECT count(*) FROM contacts WHERE opted_out_at IS NOT "
	    "NULL", 1, 10000), "the STOP left undecided was not applied at start");
	ck_assert_int_eq(crash_db_int("SELECT count(*) FROM replies WHERE intent = 'stop'"), 1);
	ck_assert_int_eq(crash_db_int("SELECT count(*) FROM messages WHERE kind = 'system' AND "
	    "body LIKE 'Vous ne recevrez plus de SMS%'"), 1);
	e2e_stop(&E);
	crash_sim_stop();
	snprintf(extra, sizeof(extra), "rm -rf '%s'", SIM_DIR);
	ck_assert_int_eq(system(extra), 0);
}
END_TEST

/*
 * 200 contacts each send STOP while rappeld is killed 8 times: every
 * STOP is stored once, decided once, and every contact ends opted out
 * with one confirmation.
 */
START_TEST(test_kill_during_stops)
{
	char extra[512], from[32];
	int i, kills = 0, next_kill, full = 0;
	long long t0 = crash_now_ms();

	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	crash_sim_start();
	snprintf(extra, sizeof(extra), CRASH_CONF, SIM_LINK);
	e2e_start_with(&E, extra);
	crash_import(STOPS, STOPS_NUMBER_BASE);
	next_kill = 5 + rand() % (STOPS / STOPS_KILLS);
	for (i = 0; i < STOPS; i++) {
		snprintf(from, sizeof(from), "+336%08d", STOPS_NUMBER_BASE + i);
		while (!crash_sim_try_inject(from, i % 3 ? "STOP" : "Stop svp")) {
			full++;
			crash_sleep_ms(50);	/* the SIM is full: rappeld reads it */
		}
		if (i == next_kill && kills < STOPS_KILLS) {
			/* while it reads, stores and decides the burst */
			crash_sleep_ms(rand() % 40);
			e2e_kill(&E);
			kills++;
			e2e_launch(&E);
			next_kill = i + 5 + rand() % (STOPS / STOPS_KILLS);
		}
	}
	ck_assert_msg(crash_wait_int("SELECT count(*) FROM contacts WHERE opted_out_at IS NOT "
	    "NULL", STOPS, STOPS_WAIT_MS), "%lld of %d contacts opted out, %lld replies "
	    "stored, %lld undecided", crash_db_int("SELECT count(*) FROM contacts WHERE "
	    "opted_out_at IS NOT NULL"), STOPS, crash_db_int("SELECT count(*) FROM replies"),
	    crash_db_int("SELECT count(*) FROM replies WHERE intent IS NULL"));
	ck_assert_int_eq(crash_db_int("SELECT count(*) FROM replies"), STOPS);
	ck_assert_int_eq(crash_db_int("SELECT count(*) FROM replies WHERE intent = 'stop'"),
	    STOPS);
	ck_assert_int_eq(crash_db_int("SELECT count(DISTINCT from_number) FROM replies"), STOPS);
	/* decided once each: one confirmation per contact */
	ck_assert_int_eq(crash_db_int("SELECT count(*) FROM messages WHERE kind = 'system'"),
	    STOPS);
	ck_assert_int_eq(crash_db_int("SELECT count(DISTINCT to_number) FROM messages WHERE "
	    "kind = 'system'"), STOPS);
	e2e_stop(&E);
	crash_sim_stop();
	printf("crash: %d STOPs from %d contacts, %d kills, SIM full %d times: all stored "
	    "once, decided once, opted out; %.1f s\n", STOPS, STOPS, kills, full,
	    (double)(crash_now_ms() - t0) / 1000);
	snprintf(extra, sizeof(extra), "rm -rf '%s'", SIM_DIR);
	ck_assert_int_eq(system(extra), 0);
}
END_TEST

static Suite *
crash_suite(void)
{
	Suite *s = suite_create("crash");
	TCase *tc = tcase_create("power cut");

	tcase_set_timeout(tc, 880);
	tcase_add_test(tc, test_kill_during_campaign);
	suite_add_tcase(s, tc);
	tc = tcase_create("replies");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_undecided_reply_decided_at_start);
	tcase_add_test(tc, test_kill_during_stops);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(crash_suite)
