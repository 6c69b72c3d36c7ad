/*
 * check_modem — the modem layer end to end: the real rappeld, libgammu's
 * AT driver, and the modem simulator (tools/modemsim) on a pseudo-terminal
 * owned by this test process, which can inject SMS and faults.
 */
#include <check.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "e2e.h"
#include "inbox.h"
#include "modem.h"
#include "modemsim.h"
#include "pdu.h"
#include "test_db.h"
#include "test_main.h"

#define MODEM_TEST_WAIT_MS 60000	/* upper bound for anything to happen */
/* Tests may run at any hour, and fast; test_rate_and_hours checks the limits. */
#define SENDING_ANYTIME "retry_delay = 1\nhours = 00:00-24:00\n" \
	"days = mon,tue,wed,thu,fri,sat,sun\nmax_per_minute = 600\nmax_per_day = 100000\n"

static struct e2e E;
static struct e2e_client A;
static struct modemsim *SIM;
static char SIM_DIR[64], SIM_LINK[128], SIM_LOG[128];

static void
sim_start(const char *pin, bool registered)
{
	struct modemsim_options opt = { 0 };

	snprintf(SIM_DIR, sizeof(SIM_DIR), "/tmp/rappel-sim-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(SIM_DIR));
	snprintf(SIM_LINK, sizeof(SIM_LINK), "%s/ttyUSB0", SIM_DIR);
	snprintf(SIM_LOG, sizeof(SIM_LOG), "%s/modem.jsonl", SIM_DIR);
	opt.link_path = SIM_LINK;
	opt.log_path = SIM_LOG;
	opt.log_commands = true;
	opt.pin = pin;
	/* MODEMSIM_PERSONALITY=huawei...: the modem-<personality> tests */
	opt.personality = getenv("MODEMSIM_PERSONALITY");
	SIM = modemsim_new(&opt);
	ck_assert_ptr_nonnull(SIM);
	modemsim_set_registered(SIM, registered);
	ck_assert_int_eq(modemsim_start(SIM), 0);
}

/* Starts the simulator and rappeld with a [modem] on it and a [sending]. */
static void
start_sending(const char *sim_pin, const char *conf_pin, bool registered,
    const char *sending)
{
	char extra[768];

	sim_start(sim_pin, registered);
	snprintf(extra, sizeof(extra),
	    "[sending]\n%s\n[modem]\ndevice = %s\n%s%s%s", sending, SIM_LINK,
	    conf_pin ? "pin = " : "", conf_pin ? conf_pin : "", conf_pin ? "\n" : "");
	e2e_start_with(&E, extra);
	e2e_client_init(&A);
	ck_assert_int_eq(e2e_login(&E, &A, E2E_ADMIN, E2E_ADMIN_PW), 200);
}

static void
start(const char *sim_pin, const char *conf_pin, bool registered)
{
	start_sending(sim_pin, conf_pin, registered, SENDING_ANYTIME);
}

static void
setup(void)
{
	start(NULL, NULL, true);
}

static void
teardown(void)
{
	char cmd[128];

	e2e_client_free(&A);
	e2e_stop(&E);
	modemsim_free(SIM);
	SIM = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", SIM_DIR);
	if (getenv("MODEMSIM_KEEP") == NULL)	/* the simulator's log, to read */
		ck_assert_int_eq(system(cmd), 0);
}

/* GET path as admin, 200 expected; the caller json_decref()s. */
static json_t *
get(const char *path)
{
	return e2e_get(&E, &A, path);
}

static size_t
count(const char *path)
{
	json_t *j = get(path);
	size_t n = json_array_size(j);

	json_decref(j);
	return n;
}

/* Field name ("state", "last_error") of the first modem in /status, into out ("" if none). */
static const char *
modem_field(const char *name, char *out, size_t size)
{
	json_t *j = get("/api/v1/status");
	json_t *m = json_array_get(json_object_get(j, "modems"), 0);
	const char *v = m ? json_string_value(json_object_get(m, name)) : NULL;

	snprintf(out, size, "%s", v ? v : "");
	json_decref(j);
	return out;
}

/* The first modem's state in /status. */
static const char *
modem_state(void)
{
	static char state[32];

	return modem_field("state", state, sizeof(state));
}

/* Waits until read() gives want (exact) or holds it; false on time-out. */
static bool
wait_modem(const char *(*read)(void), const char *want, bool exact, int ms)
{
	int waited;

	for (waited = 0; waited < ms; waited += 100) {
		if (exact ? strcmp(read(), want) == 0 : strstr(read(), want) != NULL)
			return true;
		e2e_sleep_ms(100);
	}
	return false;
}

static bool
wait_state(const char *want, int ms)
{
	return wait_modem(modem_state, want, true, ms);
}

/* Waits until GET path lists n items; false on time-out. */
static bool
wait_count(const char *path, size_t n, int ms)
{
	int waited;

	for (waited = 0; waited < ms; waited += 100) {
		if (count(path) == n)
			return true;
		e2e_sleep_ms(100);
	}
	e2e_dump_log(&E);	/* a time-out fails the test: show why */
	return false;
}

/* POSTs /messages; returns the id. */
static json_int_t
send_sms(const char *to, const char *body)
{
	return e2e_send_sms(&E, &A, to, body);
}

static json_t *
message(json_int_t id)
{
	char path[64];

	snprintf(path, sizeof(path), "/api/v1/messages/%lld", (long long)id);
	return get(path);
}

/* Every event of the simulator's log with that name, as a JSON array. */
static json_t *
sim_events(const char *event)
{
	json_t *all = json_array();
	char line[65536];
	FILE *f = fopen(SIM_LOG, "r");

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		json_t *o = json_loads(line, 0, NULL);
		if (o && strcmp(json_string_value(json_object_get(o, "event")), event) == 0)
			json_array_append(all, o);
		json_decref(o);
	}
	fclose(f);
	return all;
}

/* How many AT commands the simulator took that start with prefix ("": all). */
static int
sim_commands(const char *prefix)
{
	json_t *at = sim_events("at");
	size_t i;
	int n = 0;

	for (i = 0; i < json_array_size(at); i++)
		n += strncmp(json_string_value(json_object_get(json_array_get(at, i), "cmd")),
		    prefix, strlen(prefix)) == 0;
	json_decref(at);
	return n;
}

/*
 * The texts the simulator received, parts joined by concatenation
 * reference, as a JSON object text → number of times received.
 */
static json_t *
sim_received_texts(void)
{
	json_t *submits = sim_events("submit"), *partial = json_object(), *texts = json_object();
	json_t *o;
	size_t i;

	json_array_foreach(submits, i, o) {
		json_t *udh = json_object_get(o, "udh");
		const char *text = json_string_value(json_object_get(o, "text"));
		char key[96], *joined;
		json_t *parts;
		int total, seq;

		if (!json_is_object(udh)) {
			json_object_set_new(texts, text, json_integer(json_integer_value(
			    json_object_get(texts, text)) + 1));
			continue;
		}
		total = (int)json_integer_value(json_object_get(udh, "parts"));
		seq = (int)json_integer_value(json_object_get(udh, "seq"));
		snprintf(key, sizeof(key), "%s/%lld/%d",
		    json_string_value(json_object_get(o, "to")),
		    (long long)json_integer_value(json_object_get(udh, "ref")), total);
		if ((parts = json_object_get(partial, key)) == NULL) {
			parts = json_array();
			for (int k = 0; k < total; k++)
				json_array_append_new(parts, json_null());
			json_object_set_new(partial, key, parts);
		}
		json_array_set_new(parts, (size_t)(seq - 1), json_string(text));
		joined = NULL;
		{
			size_t k, len = 0;
			json_t *p;
			bool complete = true;
			json_array_foreach(parts, k, p) {
				if (!json_is_string(p))
					complete = false;
				else
					len += json_string_length(p);
			}
			if (complete) {
				joined = calloc(1, len + 1);
				json_array_foreach(parts, k, p)
					strcat(joined, json_string_value(p));
				json_object_set_new(texts, joined, json_integer(json_integer_value(
				    json_object_get(texts, joined)) + 1));
				free(joined);
				json_object_del(partial, key);
			}
		}
	}
	json_decref(submits);
	json_decref(partial);
	return texts;
}

static long long
received_times(json_t *texts, const char *body)
{
	return json_integer_value(json_object_get(texts, body));
}

/* ---- tests ---- */

START_TEST(test_send_encodings)
{
	char french[512];
	static const char accents[] = "Fête du quartier à côté de l'école : reçu !";
	static const char arabic[] = "مرحبا، ورشة الخميس الساعة الثانية";
	json_int_t ids[4];
	json_t *m, *texts, *submits, *o;
	size_t i;
	int srr = 0;

	snprintf(french, sizeof(french), "%s", "Bonjour, le centre social vous rappelle "
	    "l'atelier numérique de jeudi à 14h : créer son adresse électronique, envoyer "
	    "une pièce jointe, trouver les démarches de la CAF en ligne. Apportez votre "
	    "téléphone et vos identifiants si vous les avez. Répondez OUI si vous venez, NON "
	    "sinon. En cas de problème appelez le 03 21 00 00 00. Le café sera offert par "
	    "les bénévoles. A jeudi, l'équipe !");
	ck_assert_int_ge(strlen(french), 380);
	ids[0] = send_sms("06 12 34 56 78", "Rappel : RDV CAF mardi 14h. Répondez OUI.");
	ids[1] = send_sms("06 12 34 56 78", french);
	ids[2] = send_sms("06 12 34 56 78", accents);
	ids[3] = send_sms("+33 6 12 34 56 79", arabic);
	ck_assert_msg(wait_count("/api/v1/messages?status=sent", 4, MODEM_TEST_WAIT_MS),
	    "not all sent");

	m = message(ids[0]);
	ck_assert_str_eq(json_string_value(json_object_get(m, "encoding")), "gsm7");
	ck_assert_int_eq(json_integer_value(json_object_get(m, "parts")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(m, "modem")), "modem");
	json_decref(m);
	m = message(ids[1]);
	ck_assert_str_eq(json_string_value(json_object_get(m, "encoding")), "gsm7");
	ck_assert_int_eq(json_integer_value(json_object_get(m, "parts")), 3);
	json_decref(m);
	m = message(ids[2]);	/* ê ô ç are not GSM-7 */
	ck_assert_str_eq(json_string_value(json_object_get(m, "encoding")), "ucs2");
	json_decref(m);
	m = message(ids[3]);
	ck_assert_str_eq(json_string_value(json_object_get(m, "encoding")), "ucs2");
	json_decref(m);

	/* what the modem received, decoded independently of libgammu */
	texts = sim_received_texts();
	ck_assert_int_eq(received_times(texts, "Rappel : RDV CAF mardi 14h. Répondez OUI."), 1);
	ck_assert_int_eq(received_times(texts, french), 1);
	ck_assert_int_eq(received_times(texts, accents), 1);
	ck_assert_int_eq(received_times(texts, arabic), 1);
	json_decref(texts);
	submits = sim_events("submit");
	ck_assert_uint_eq(json_array_size(submits), 6);	/* 1 + 3 + 1 + 1 parts */
	json_array_foreach(submits, i, o) {
		const char *enc = json_string_value(json_object_get(o, "encoding"));
		const char *text = json_string_value(json_object_get(o, "text"));
		ck_assert_str_eq(json_string_value(json_object_get(o, "to")),
		    strcmp(text, arabic) == 0 ? "+33612345679" : "+33612345678");
		ck_assert_str_eq(enc, strcmp(text, accents) == 0 || strcmp(text, arabic) == 0 ?
		    "ucs2" : "gsm7");
		srr += json_is_true(json_object_get(o, "status_report"));
	}
	ck_assert_int_eq(srr, 6);	/* a delivery report is asked for every part */
	json_decref(submits);
	submits = sim_events("submit_error");	/* slow2g's +CMS ERROR: 500, sent again */
	printf("modem (%s): 6 parts sent, %zu refused and sent again\n",
	    getenv("MODEMSIM_PERSONALITY"), json_array_size(submits));
	json_decref(submits);
}
END_TEST

/*
 * rappelctl send queues from another process: no wake-up of rappeld's
 * reaches the idle worker, only its commit to the database, which the
 * worker watches.  Its idle wait is 5 s; each message goes out long
 * before, three times, so that a watch that never fires cannot pass by
 * luck (a message queued late in a wait).
 */
START_TEST(test_send_from_rappelctl)
{
	struct timespec t0, t1;
	char out[512], text[64];
	long ms;
	int i;

	ck_assert(wait_state("ready", MODEM_TEST_WAIT_MS));
	for (i = 1; i <= 3; i++) {
		e2e_sleep_ms(700 * i);	/* the worker waits, idle */
		snprintf(text, sizeof(text), "Rappel : atelier tricot lundi 14h (%d).", i);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ck_assert_msg(e2e_ctl(&E, NULL, out, sizeof(out), "send", "06 12 34 56 78", text,
		    NULL) == 0, "send: %s", out);
		ck_assert(wait_count("/api/v1/messages?status=sent", (size_t)i, MODEM_TEST_WAIT_MS));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		printf("modem: a message queued by rappelctl was sent after %ld ms\n", ms);
		ck_assert_msg(ms < 2000, "message %d sent after %ld ms: the commit did not "
		    "wake the worker", i, ms);
	}
}
END_TEST

START_TEST(test_batch_200)
{
	char body[64];
	json_t *texts;
	int i;

	for (i = 1; i <= 200; i++) {
		snprintf(body, sizeof(body), "Message de test n° %d", i);
		send_sms("06 12 34 56 78", body);
	}
	ck_assert_msg(wait_count("/api/v1/messages?status=sent", 200, MODEM_TEST_WAIT_MS),
	    "not all 200 sent");
	texts = sim_received_texts();
	ck_assert_uint_eq(json_object_size(texts), 200);
	for (i = 1; i <= 200; i++) {
		snprintf(body, sizeof(body), "Message de test n° %d", i);
		ck_assert_int_eq(received_times(texts, body), 1);
	}
	json_decref(texts);
}
END_TEST

START_TEST(test_receive_replies)
{
	static const char longtext[] = "Bonjour, merci pour le message. Je viendrai à "
	    "l'atelier de jeudi avec ma fille, elle a neuf ans. Est-ce qu'il faut apporter "
	    "quelque chose ? Nous avons un ordinateur mais il est très lent. Merci encore "
	    "et à jeudi, bonne journée à toute l'équipe du centre.";
	static const int order[] = { 3, 1, 2 };
	struct modemsim_incoming in = { 0 };
	struct e2e_resp r;
	json_t *list, *o;
	size_t i;
	bool seen_long = false, seen_yes = false;

	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/contacts",
	    "{\"first_name\":\"Awa\",\"last_name\":\"Diallo\",\"phone\":\"06 12 34 56 78\"}",
	    &r), 201);
	e2e_resp_free(&r);
	ck_assert(wait_state("ready", 10000));
	ck_assert_int_eq(modemsim_inject_sms(SIM, "+33612345678", "Oui merci", MODEMSIM_GSM7),
	    1);
	in.from = "+33612345678";
	in.text = longtext;
	in.encoding = MODEMSIM_GSM7;
	in.parts = 3;
	in.order = order;
	ck_assert_int_eq(modemsim_inject(SIM, &in), 3);
	ck_assert_msg(wait_count("/api/v1/replies", 2, MODEM_TEST_WAIT_MS), "replies missing");
	list = get("/api/v1/replies");
	json_array_foreach(list, i, o) {
		const char *body = json_string_value(json_object_get(o, "body"));
		ck_assert_str_eq(json_string_value(json_object_get(o, "from")), "+33612345678");
		ck_assert_int_eq(json_integer_value(json_object_get(o, "contact_id")), 1);
		if (strcmp(body, longtext) == 0)
			seen_long = true;
		if (strcmp(body, "Oui merci") == 0) {
			seen_yes = true;
			ck_assert_str_eq(json_string_value(json_object_get(o, "intent")), "yes");
		}
	}
	ck_assert(seen_long && seen_yes);
	json_decref(list);
	/* stored, then deleted from the SIM */
	for (i = 0; i < 100 && modemsim_sim_used(SIM) > 0; i++)
		e2e_sleep_ms(100);
	ck_assert_int_eq(modemsim_sim_used(SIM), 0);
}
END_TEST

/*
 * An SMS that arrives during a campaign is stored while the campaign is
 * still going, not after: the worker goes from one message straight to the
 * next, but an announced SMS ends that run.
 */
START_TEST(test_reply_during_batch)
{
	char body[64];
	size_t sent = 0, replies = 0;
	int i, waited;

	ck_assert(wait_state("ready", 10000));
	modemsim_set_latency(SIM, 0, 50);	/* 100 messages: at least 5 s of sending */
	for (i = 1; i <= 100; i++) {
		snprintf(body, sizeof(body), "Atelier cuisine n° %d", i);
		send_sms("06 12 34 56 78", body);
	}
	for (waited = 0; count("/api/v1/messages?status=sent") < 5 && waited < 30000;
	    waited += 20)
		e2e_sleep_ms(20);
	ck_assert_int_eq(modemsim_inject_sms(SIM, "+33698765432", "OUI", MODEMSIM_GSM7), 1);
	for (waited = 0; (replies = count("/api/v1/replies")) == 0 && waited < 30000;
	    waited += 20)
		e2e_sleep_ms(20);
	sent = count("/api/v1/messages?status=sent");
	printf("modem: the reply was stored after %d ms, %zu of 100 sent\n", waited, sent);
	ck_assert_uint_eq(replies, 1);
	ck_assert_uint_lt(sent, 100);
	ck_assert_msg(wait_count("/api/v1/messages?status=sent", 100, MODEM_TEST_WAIT_MS),
	    "not all 100 sent");
}
END_TEST

/* Whether rappeld's log holds text. */
static bool
grep_log(const char *text)
{
	size_t len;
	char *log = e2e_read_file(E.log, &len);
	bool found = log && strstr(log, text) != NULL;

	free(log);
	return found;
}

/*
 * The modem sent a message, and the database refuses to record it (here
 * another process holds its write lock for 25 s, as a full disk would
 * refuse the write): the message must not stay 'sending' until the next
 * restart; its outcome is written once the database takes it again.
 */
START_TEST(test_outcome_recorded_when_database_returns)
{
	sqlite3 *db;
	json_int_t id;
	json_t *m, *submits;
	const char *status = "";
	int waited;

	ck_assert(wait_state("ready", 10000));
	modemsim_set_latency(SIM, 0, 2000);
	id = send_sms("06 12 34 56 78", "Rappel : permanence CAF mardi 14h.");
	for (waited = 0; waited < 10000; waited += 50) {
		m = message(id);
		status = json_string_value(json_object_get(m, "status"));
		if (strcmp(status, "sending") == 0) {
			json_decref(m);
			break;
		}
		json_decref(m);
		e2e_sleep_ms(50);
	}
	ck_assert_int_lt(waited, 10000);
	/* the modem has it for 2 s; the database refuses every write for 25 s */
	ck_assert_int_eq(sqlite3_open(E.db, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	e2e_sleep_ms(25000);
	ck_assert_int_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	submits = sim_events("submit");
	ck_assert_uint_eq(json_array_size(submits), 1);	/* the network has it */
	json_decref(submits);
	for (waited = 0; waited < 45000; waited += 200) {
		m = message(id);
		if (strcmp(json_string_value(json_object_get(m, "status")), "sent") == 0) {
			json_decref(m);
			break;
		}
		json_decref(m);
		e2e_sleep_ms(200);
	}
	m = message(id);
	ck_assert_msg(strcmp(json_string_value(json_object_get(m, "status")), "sent") == 0,
	    "still %s after the database came back", json_string_value(json_object_get(m,
	    "status")));
	json_decref(m);
	printf("modem: outcome recorded %d ms after the database took writes again\n", waited);
	ck_assert(grep_log("recorded late"));
}
END_TEST

START_TEST(test_delivery_report)
{
	json_int_t id = send_sms("06 12 34 56 78", "Rappel : atelier couture demain 9h.");
	json_t *submits, *m;
	int ref, waited;

	ck_assert(wait_count("/api/v1/messages?status=sent", 1, MODEM_TEST_WAIT_MS));
	submits = sim_events("submit");
	ck_assert_uint_eq(json_array_size(submits), 1);
	ref = (int)json_integer_value(json_object_get(json_array_get(submits, 0), "cmgs_ref"));
	json_decref(submits);
	ck_assert_int_eq(modemsim_inject_report(SIM, ref, true), 0);
	for (waited = 0; waited < MODEM_TEST_WAIT_MS; waited += 200) {
		m = message(id);
		if (strcmp(json_string_value(json_object_get(m, "status")), "delivered") == 0) {
			ck_assert(json_is_string(json_object_get(m, "delivered_at")));
			json_decref(m);
			return;
		}
		json_decref(m);
		e2e_sleep_ms(200);
	}
	ck_abort_msg("the delivery report was not matched");
}
END_TEST

/*
 * A network that reports every part, as a real one does when reports are
 * asked for: more reports than the SIM holds come back while messages go
 * out; every message ends delivered, and every report was read and
 * deleted (none lost to a full SIM).
 */
START_TEST(test_every_part_reported)
{
	static const char *const body[] = {
		"Rappel : RDV CAF mardi 14h au centre. Répondez OUI si vous venez.",
		"Centre social : l'atelier informatique reprend jeudi à 14h, salle 2. "
		"Apportez vos papiers CAF et votre carte Vitale si vous voulez de l'aide "
		"pour vos démarches en ligne. Répondez OUI si vous venez, NON sinon.",
	};
	char to[32];
	json_t *reports;
	size_t i;
	int n = 40, lost = 0, reads;

	modemsim_set_reports(SIM, true);
	for (i = 0; i < (size_t)n; i++) {
		snprintf(to, sizeof(to), "06 12 34 56 %02zu", i % 4);
		send_sms(to, body[i % 2]);
	}
	ck_assert(wait_count("/api/v1/messages?status=delivered", (size_t)n,
	    MODEM_TEST_WAIT_MS));
	reports = sim_events("report");
	ck_assert_uint_eq(json_array_size(reports), (size_t)(n / 2 * 3));	/* one a part */
	for (i = 0; i < json_array_size(reports); i++)
		lost += json_integer_value(json_object_get(json_array_get(reports, i),
		    "index")) < 0;
	json_decref(reports);
	ck_assert_int_eq(lost, 0);
	ck_assert_int_eq(modemsim_sim_used(SIM), 0);
	/*
	 * The reports are read from the SIM a batch at a time while messages
	 * go out, not one read (and one durable commit) for each: that read
	 * would cost every part a second commit.
	 */
	reads = sim_commands("AT+CMGL");
	printf("modem: %d reports read from the SIM in %d reads\n", n / 2 * 3, reads);
	ck_assert_int_le(reads, n / 2 * 3 / 4);
}
END_TEST

/* A report that says "failed" keeps the network's reason, shown in French. */
START_TEST(test_failed_report_says_why)
{
	json_int_t id = send_sms("06 12 34 56 78", "Rappel : atelier couture demain 9h.");
	json_t *submits, *m;
	const char *error = NULL;
	int ref, waited;

	ck_assert(wait_count("/api/v1/messages?status=sent", 1, MODEM_TEST_WAIT_MS));
	submits = sim_events("submit");
	ref = (int)json_integer_value(json_object_get(json_array_get(submits, 0), "cmgs_ref"));
	json_decref(submits);
	/* TP-Status 0x46: the validity period expired (phone off too long) */
	ck_assert_int_eq(modemsim_inject_report(SIM, ref, false), 0);
	for (waited = 0; waited < MODEM_TEST_WAIT_MS; waited += 200) {
		m = message(id);
		if (strcmp(json_string_value(json_object_get(m, "status")), "failed") == 0) {
			error = json_string_value(json_object_get(m, "error"));
			ck_assert_ptr_nonnull(error);
			ck_assert_msg(strstr(error, "délai de validité dépassé") != NULL &&
			    strstr(error, "0x46") != NULL, "error: %s", error);
			json_decref(m);
			return;
		}
		json_decref(m);
		e2e_sleep_ms(200);
	}
	ck_abort_msg("the failed report was not recorded");
}
END_TEST

START_TEST(test_cms_error_every_third)
{
	char body[64];
	json_t *texts, *errors;
	int i;

	modemsim_set_cms_error(SIM, 3, 500);
	for (i = 1; i <= 9; i++) {
		snprintf(body, sizeof(body), "Essai %d avec erreurs du réseau", i);
		send_sms("06 12 34 56 78", body);
	}
	ck_assert_msg(wait_count("/api/v1/messages?status=sent", 9, MODEM_TEST_WAIT_MS),
	    "not all sent despite retries");
	errors = sim_events("submit_error");
	ck_assert_uint_ge(json_array_size(errors), 3);
	json_decref(errors);
	texts = sim_received_texts();
	for (i = 1; i <= 9; i++) {
		snprintf(body, sizeof(body), "Essai %d avec erreurs du réseau", i);
		ck_assert_int_eq(received_times(texts, body), 1);	/* none lost, none twice */
	}
	json_decref(texts);
	ck_assert_uint_eq(count("/api/v1/messages?status=failed"), 0);
}
END_TEST

/*
 * Waits until nothing is queued or with the modem, then checks every
 * message: sent and received exactly once by the network, or uncertain
 * and received at most once.  Counts both into *sent and *uncertain.
 */
static void
expect_sent_or_uncertain(int wait_ms, size_t *sent, size_t *uncertain)
{
	json_t *list, *texts, *o;
	size_t i;
	int waited;

	for (waited = 0; waited < wait_ms; waited += 200) {
		if (count("/api/v1/messages?status=queued") == 0 &&
		    count("/api/v1/messages?status=sending") == 0)
			break;
		e2e_sleep_ms(200);
	}
	*sent = *uncertain = 0;
	list = get("/api/v1/messages");
	texts = sim_received_texts();
	json_array_foreach(list, i, o) {
		const char *status = json_string_value(json_object_get(o, "status"));
		const char *b = json_string_value(json_object_get(o, "body"));

		if (strcmp(status, "sent") == 0) {
			(*sent)++;
			ck_assert_int_eq(received_times(texts, b), 1);
			continue;
		}
		if (strcmp(status, "uncertain") != 0)
			e2e_dump_log(&E);
		ck_assert_msg(strcmp(status, "uncertain") == 0, "message %s is %s", b, status);
		(*uncertain)++;
		ck_assert_int_le(received_times(texts, b), 1);
	}
	json_decref(texts);
	json_decref(list);
}

/*
 * USB unplugged and plugged in again while sending: each time, sending
 * goes on within 10 s, and every message ends sent once or uncertain
 * (it was in the modem at the unplug).  RAPPEL_UNPLUG_CYCLES=N (make
 * chaos: 20) repeats the unplug N times during one batch.
 */
START_TEST(test_unplug_replug)
{
	const char *env = getenv("RAPPEL_UNPLUG_CYCLES");
	int cycles = env ? atoi(env) : 1, cycle, waited;
	size_t i, sent = 0, uncertain = 0, before, total;
	double reconnect, worst = 0;
	struct timespec t0, t1;
	char body[64];

	ck_assert_int_gt(cycles, 0);
	total = 30 + 10 * (size_t)cycles;
	modemsim_set_latency(SIM, 0, 100);
	for (i = 1; i <= total; i++) {
		snprintf(body, sizeof(body), "Lot débranché %zu", i);
		send_sms("06 12 34 56 78", body);
	}
	for (cycle = 1; cycle <= cycles; cycle++) {
		before = count("/api/v1/messages?status=sent");
		for (waited = 0; count("/api/v1/messages?status=sent") < before + 3 &&
		    waited < 30000; waited += 50)
			e2e_sleep_ms(50);
		ck_assert_int_eq(modemsim_unplug(SIM), 0);
		e2e_sleep_ms(1500);
		ck_assert_int_eq(modemsim_replug(SIM), 0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		before = count("/api/v1/messages?status=sent");
		/* sending again: the worker noticed, reopened the same path, went on */
		for (waited = 0; count("/api/v1/messages?status=sent") == before &&
		    waited < 10000; waited += 50)
			e2e_sleep_ms(50);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (count("/api/v1/messages?status=sent") == before)
			e2e_dump_log(&E);
		ck_assert_msg(count("/api/v1/messages?status=sent") > before,
		    "cycle %d: not sending again within 10 s of the replug", cycle);
		reconnect = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		worst = reconnect > worst ? reconnect : worst;
		ck_assert_str_eq(modem_state(), "ready");
	}
	printf("modem: %d unplug(s); sending again at most %.1f s after a replug\n", cycles,
	    worst);
	/* every message ends sent, or uncertain when it was in the modem at an unplug */
	expect_sent_or_uncertain(MODEM_TEST_WAIT_MS, &sent, &uncertain);
	printf("modem: after unplug/replug %zu sent, %zu uncertain\n", sent, uncertain);
	ck_assert_uint_eq(sent + uncertain, total);
	ck_assert_uint_le(uncertain, (size_t)cycles);
}
END_TEST


/*
 * A modem that answers line noise, then stops answering altogether, then
 * comes back: rappeld never hangs (its API answers throughout), loses
 * nothing (each message sent once, or uncertain when the noise or the
 * silence came while it held the PDU), and sends the rest afterwards.
 */
START_TEST(test_garbage_and_mute)
{
	char body[64];
	size_t i, sent = 0, uncertain = 0, before;
	int waited, probes;

	/* 300 ms per PDU: the batch is still going when the noise comes */
	modemsim_set_latency(SIM, 0, 300);
	for (i = 1; i <= 12; i++) {
		snprintf(body, sizeof(body), "Lot brouillé %zu", i);
		send_sms("06 12 34 56 78", body);
	}
	for (waited = 0; count("/api/v1/messages?status=sent") < 3 && waited < 30000;
	    waited += 50)
		e2e_sleep_ms(50);
	modemsim_set_garbage(SIM, 2);
	e2e_sleep_ms(3000);
	modemsim_set_mute(SIM, true);
	/* the API answers while the modem is silent */
	for (probes = 0; probes < 10; probes++) {
		ck_assert_int_eq(e2e_status(&E, &A, "GET", "/api/v1/status", NULL), 200);
		e2e_sleep_ms(1000);
	}
	before = count("/api/v1/messages?status=sent");
	modemsim_set_mute(SIM, false);
	/* a PDU whose answer was noise waits MODEM_SEND_TIMEOUT_S (60 s), then is uncertain */
	expect_sent_or_uncertain(3 * MODEM_TEST_WAIT_MS, &sent, &uncertain);
	printf("modem: after noise and silence %zu sent, %zu uncertain\n", sent, uncertain);
	ck_assert_uint_eq(sent + uncertain, 12);
	ck_assert_uint_gt(sent, before);	/* it went on once the modem answered */
}
END_TEST

static int
pin_attempts(void)
{
	json_t *cmds = sim_events("at"), *o;
	size_t i;
	int n = 0;

	json_array_foreach(cmds, i, o)
		if (strncasecmp(json_string_value(json_object_get(o, "cmd")), "AT+CPIN=", 8) == 0)
			n++;
	json_decref(cmds);
	return n;
}

START_TEST(test_pin_right)
{
	teardown();
	start("1234", "1234", true);
	ck_assert_msg(wait_state("ready", 15000), "state %s", modem_state());
	ck_assert_int_eq(pin_attempts(), 1);
}
END_TEST

START_TEST(test_pin_wrong_tried_once)
{
	teardown();
	start("1234", "9999", true);
	ck_assert_msg(wait_state("pin_refused", 15000), "state %s", modem_state());
	e2e_sleep_ms(3000);
	ck_assert_int_eq(pin_attempts(), 1);	/* never a second try */
	ck_assert_str_eq(modem_state(), "pin_refused");
}
END_TEST

/* The first modem's last_error in /status ("" when none). */
static const char *
modem_last_error(void)
{
	static char text[512];

	return modem_field("last_error", text, sizeof(text));
}

/* Waits until the first modem's last_error holds text; false on time-out. */
static bool
wait_last_error(const char *text, int ms)
{
	return wait_modem(modem_last_error, text, false, ms);
}

/* rappeld again on the same database, as after a crash or a reboot. */
static void
restart_rappeld(bool clean)
{
	e2e_client_free(&A);
	if (clean) {
		kill(E.pid, SIGTERM);
		waitpid(E.pid, NULL, 0);
		E.pid = 0;
	} else {
		e2e_kill(&E);
	}
	e2e_launch(&E);
	e2e_client_init(&A);
	ck_assert_int_eq(e2e_login(&E, &A, E2E_ADMIN, E2E_ADMIN_PW), 200);
}

/*
 * A wrong PIN is tried once, ever: four starts (crashes, a clean stop, a
 * reboot) send one AT+CPIN, so the SIM keeps two tries and never asks for
 * its PUK.  A corrected PIN in rappel.conf gets its one try.
 */
START_TEST(test_pin_wrong_never_again)
{
	char out[4096], *conf, *at;
	size_t len;
	int run;
	FILE *f;

	teardown();
	start("1234", "9999", true);
	ck_assert_msg(wait_state("pin_refused", 15000), "state %s", modem_state());
	ck_assert_int_eq(pin_attempts(), 1);
	ck_assert_msg(strstr(modem_last_error(), "Code PIN refusé") != NULL, "%s",
	    modem_last_error());
	for (run = 2; run <= 4; run++) {
		restart_rappeld(run == 3);
		/* the state of this run, not the last one's still in modem_status */
		ck_assert_msg(wait_last_error("déjà été refusé", 15000) ||
		    pin_attempts() > 1, "start %d: %s: %s", run, modem_state(),
		    modem_last_error());
		ck_assert_str_eq(modem_state(), "pin_refused");
		e2e_sleep_ms(1000);
		ck_assert_msg(pin_attempts() == 1, "start %d: %d PIN attempts", run,
		    pin_attempts());
	}
	/* rappelctl status says it in French, with what to do */
	ck_assert_int_eq(e2e_ctl(&E, NULL, out, sizeof(out), "status", NULL), 0);
	ck_assert_msg(strstr(out, "rappel.conf") != NULL && strstr(out, "PIN") != NULL,
	    "%s", out);
	/* a person may clear it (a new SIM): one refusal remembered */
	ck_assert_int_eq(e2e_ctl(&E, NULL, out, sizeof(out), "pin", "forget", NULL), 0);
	ck_assert_msg(strstr(out, "1 refused PIN(s) forgotten") != NULL, "%s", out);

	/* the right PIN in the configuration: tried once, accepted */
	ck_assert_ptr_nonnull(conf = e2e_read_file(E.conf, &len));
	ck_assert_ptr_nonnull(at = strstr(conf, "pin = 9999"));
	memcpy(at, "pin = 1234", 10);
	ck_assert_ptr_nonnull(f = fopen(E.conf, "w"));
	ck_assert_int_eq(fputs(conf, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	free(conf);
	restart_rappeld(true);
	ck_assert_msg(wait_state("ready", 15000), "state %s: %s", modem_state(),
	    modem_last_error());
	ck_assert_int_eq(pin_attempts(), 2);
}
END_TEST

/* GET /metrics (as admin) holds line. */
static void
metrics_expect(const char *line)
{
	struct e2e_resp r;

	ck_assert_int_eq(e2e_call(&E, &A, "GET", "/metrics", NULL, &r), 200);
	ck_assert_msg(strstr(r.body, line) != NULL, "no \"%s\" in:\n%s", line, r.body);
	e2e_resp_free(&r);
}

START_TEST(test_no_registration_waits)
{
	json_int_t id;
	json_t *m;

	teardown();
	start(NULL, NULL, false);
	ck_assert_msg(wait_state("no_network", 15000), "state %s", modem_state());
	id = send_sms("06 12 34 56 78", "Rappel : permanence logement vendredi.");
	e2e_sleep_ms(3000);
	m = message(id);
	ck_assert_str_eq(json_string_value(json_object_get(m, "status")), "queued");
	json_decref(m);
	metrics_expect("rappel_modem_up{modem=\"modem\"} 0");
	modemsim_set_registered(SIM, true);
	ck_assert(wait_count("/api/v1/messages?status=sent", 1, MODEM_TEST_WAIT_MS));
	ck_assert(wait_state("ready", 5000));
	metrics_expect("rappel_modem_up{modem=\"modem\"} 1");
}
END_TEST

/*
 * Two modems share the queue; a contact keeps the SIM that wrote to them
 * (issue 26); a modem that fails every send is benched and the other one
 * sends its messages, the contacts that knew it included.
 */
START_TEST(test_two_modems_spread_and_bench)
{
	struct modemsim_options opt = { 0 };
	struct modemsim *sim2;
	char link2[160], log2[160], extra[512], body[64], first[16] = "", path[96];
	struct modemsim *lost;
	struct e2e_resp r;
	json_int_t zoe, id;
	json_t *list, *st, *o;
	size_t i, by1 = 0, by2 = 0;
	int waited;

	/* a second modem beside the first, both in rappel.conf */
	teardown();
	sim_start(NULL, true);
	snprintf(link2, sizeof(link2), "%s/ttyUSB1", SIM_DIR);
	snprintf(log2, sizeof(log2), "%s/modem2.jsonl", SIM_DIR);
	opt.link_path = link2;
	opt.log_path = log2;
	sim2 = modemsim_new(&opt);
	ck_assert_ptr_nonnull(sim2);
	ck_assert_int_eq(modemsim_start(sim2), 0);
	snprintf(extra, sizeof(extra), "[sending]\n" SENDING_ANYTIME "\n[modem]\ndevice = %s\n\n"
	    "[modem.2]\ndevice = %s\n", SIM_LINK, link2);
	e2e_start_with(&E, extra);
	e2e_client_init(&A);
	ck_assert_int_eq(e2e_login(&E, &A, E2E_ADMIN, E2E_ADMIN_PW), 200);
	for (waited = 0; waited < 20000; waited += 200) {
		st = get("/api/v1/status");
		i = 0;
		json_array_foreach(json_object_get(st, "modems"), i, o)
			if (strcmp(json_string_value(json_object_get(o, "state")), "ready") != 0)
				break;
		by1 = json_array_size(json_object_get(st, "modems"));
		json_decref(st);
		if (by1 == 2 && i == 2)
			break;
		e2e_sleep_ms(200);
	}
	ck_assert_msg(waited < 20000, "both modems not ready");

	/* the queue is shared: both modems send */
	modemsim_set_latency(SIM, 0, 200);
	modemsim_set_latency(sim2, 0, 200);
	for (i = 1; i <= 12; i++) {
		snprintf(body, sizeof(body), "Deux modems %zu", i);
		send_sms("06 12 34 56 78", body);
	}
	ck_assert(wait_count("/api/v1/messages?status=sent", 12, MODEM_TEST_WAIT_MS));
	list = get("/api/v1/messages");
	by1 = by2 = 0;
	json_array_foreach(list, i, o) {
		const char *modem = json_string_value(json_object_get(o, "modem"));
		by1 += strcmp(modem, "modem") == 0;
		by2 += strcmp(modem, "modem.2") == 0;
	}
	json_decref(list);
	printf("modem: 12 messages spread %zu / %zu\n", by1, by2);
	ck_assert_uint_gt(by1, 0);
	ck_assert_uint_gt(by2, 0);

	/*
	 * Issue 26: a contact keeps the SIM that wrote to them first: one
	 * modem sends all of Zoé's messages while it is ready.
	 */
	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/contacts", "{\"first_name\":"
	    "\"Zoé\",\"last_name\":\"Martin\",\"phone\":\"06 12 34 56 79\"}", &r), 201);
	zoe = json_integer_value(json_object_get(r.json, "id"));
	e2e_resp_free(&r);
	for (i = 1; i <= 6; i++) {
		snprintf(body, sizeof(body), "{\"contact_id\":%lld,\"body\":\"Rappel %zu\"}",
		    (long long)zoe, i);
		ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/messages", body, &r), 201);
		id = json_integer_value(json_object_get(r.json, "id"));
		e2e_resp_free(&r);
		ck_assert(wait_count("/api/v1/messages?status=sent", 12 + i, MODEM_TEST_WAIT_MS));
		snprintf(path, sizeof(path), "/api/v1/messages/%lld", (long long)id);
		o = get(path);
		if (i == 1)
			snprintf(first, sizeof(first), "%s",
			    json_string_value(json_object_get(o, "modem")));
		ck_assert_str_eq(json_string_value(json_object_get(o, "modem")), first);
		json_decref(o);
	}
	lost = strcmp(first, "modem") == 0 ? SIM : sim2;

	/* Zoé's modem now fails every send: it is benched, the other sends all */
	modemsim_set_cms_error(lost, 1, 500);
	for (i = 1; i <= 12; i++) {
		snprintf(body, sizeof(body), "Un modem en panne %zu", i);
		send_sms("06 12 34 56 78", body);
	}
	ck_assert(wait_count("/api/v1/messages?status=sent", 30, MODEM_TEST_WAIT_MS));
	ck_assert_uint_eq(count("/api/v1/messages?status=failed"), 0);
	st = get("/api/v1/status");
	json_array_foreach(json_object_get(st, "modems"), i, o)
		if (strcmp(json_string_value(json_object_get(o, "name")), first) == 0)
			ck_assert_str_eq(json_string_value(json_object_get(o, "state")), "benched");
	json_decref(st);
	/* her SIM is not usable: her next message leaves at once by the other */
	snprintf(body, sizeof(body), "{\"contact_id\":%lld,\"body\":\"Rappel 7\"}",
	    (long long)zoe);
	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/messages", body, &r), 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	e2e_resp_free(&r);
	ck_assert(wait_count("/api/v1/messages?status=sent", 31, MODEM_TEST_WAIT_MS));
	snprintf(path, sizeof(path), "/api/v1/messages/%lld", (long long)id);
	o = get(path);
	ck_assert_str_ne(json_string_value(json_object_get(o, "modem")), first);
	json_decref(o);
	modemsim_free(sim2);
}
END_TEST

START_TEST(test_rate_limit_waits)
{
	int i;

	teardown();
	start_sending(NULL, NULL, true, "retry_delay = 1\nhours = 00:00-24:00\n"
	    "days = mon,tue,wed,thu,fri,sat,sun\nmax_per_minute = 2\n");
	ck_assert(wait_state("ready", 15000));
	for (i = 0; i < 5; i++)
		send_sms("06 12 34 56 78", "Rappel limité");
	ck_assert(wait_count("/api/v1/messages?status=sent", 2, MODEM_TEST_WAIT_MS));
	e2e_sleep_ms(4000);
	/* two per minute: the others wait their turn, none is dropped */
	ck_assert_uint_eq(count("/api/v1/messages?status=sent"), 2);
	ck_assert_uint_eq(count("/api/v1/messages?status=queued"), 3);
}
END_TEST

START_TEST(test_outside_sending_days_waits)
{
	static const char *const names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
	char sending[256];
	time_t t = time(NULL);
	struct tm tm;
	json_int_t id;
	json_t *m;

	/* only tomorrow (the daemon's zone is Europe/Paris) */
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	localtime_r(&t, &tm);
	snprintf(sending, sizeof(sending), "retry_delay = 1\nhours = 00:00-24:00\n"
	    "days = %s\nmax_per_minute = 600\n", names[(tm.tm_wday + 1) % 7]);
	teardown();
	start_sending(NULL, NULL, true, sending);
	ck_assert(wait_state("ready", 15000));
	id = send_sms("06 12 34 56 78", "Pas aujourd'hui");
	e2e_sleep_ms(3000);
	m = message(id);
	ck_assert_str_eq(json_string_value(json_object_get(m, "status")), "queued");
	json_decref(m);

	/* today added from the panel: the modem sends it without a restart */
	snprintf(sending, sizeof(sending), "{\"days\":[\"%s\",\"%s\"]}", names[tm.tm_wday],
	    names[(tm.tm_wday + 1) % 7]);
	ck_assert_int_eq(e2e_status(&E, &A, "PATCH", "/api/v1/settings", sending), 200);
	ck_assert_msg(wait_count("/api/v1/messages?status=sent", 1, 15000),
	    "not sent once today was allowed");
}
END_TEST

/* POST as admin, expecting want; returns the answer's JSON (to decref). */
static json_t *
post(const char *path, const char *body, long want)
{
	struct e2e_resp r;
	json_t *j;

	e2e_call(&E, &A, "POST", path, body, &r);
	if (r.status != want)
		e2e_dump_log(&E);
	ck_assert_msg(r.status == want, "POST %s: %ld: %s", path, r.status, r.body);
	j = json_incref(r.json);
	e2e_resp_free(&r);
	return j;
}

/* The reply from number, once stored and understood. */
static json_t *
reply_from(const char *number)
{
	json_t *list = get("/api/v1/replies"), *o, *found = NULL;
	size_t i;

	json_array_foreach(list, i, o)
		if (strcmp(json_string_value(json_object_get(o, "from")), number) == 0)
			found = json_incref(o);
	json_decref(list);
	ck_assert_msg(found != NULL, "no reply from %s", number);
	return found;
}

static void
assert_rsvp_count(json_t *rsvps, const char *what, json_int_t want)
{
	json_int_t got = json_integer_value(json_object_get(json_object_get(rsvps, "counts"),
	    what));

	ck_assert_msg(got == want, "%s: %lld, want %lld", what, (long long)got,
	    (long long)want);
}

/*
 * Issue 5: an invitation to 10 contacts goes out through the modem; the
 * families answer in their own words at the modem; the answers are
 * counted on the atelier, STOP is honoured, the rest goes to the inbox.
 */
START_TEST(test_invitation_replies)
{
	static const char *const answers[][2] = {
		{ "+33612340001", "oui" },
		{ "+33612340002", "Non merci" },
		{ "+33612340003", "STOP" },
		{ "+33612340004", "ok \xf0\x9f\x91\x8d" },
		{ "+33612340005", "c'est à quelle heure ?" },
		{ "+33699999999", "Oui" },	/* not a contact */
	};
	char body[1024], start[32], later[32], path[128];
	json_int_t ids[10], group, event, invitation, reminder;
	json_t *j, *rsvps, *inbox;
	time_t t;
	struct tm tm;
	size_t i;

	for (i = 0; i < 10; i++) {
		snprintf(body, sizeof(body), "{\"first_name\":\"Habitant%zu\",\"last_name\":"
		    "\"Test\",\"phone\":\"+3361234%04zu\"}", i + 1, i + 1);
		j = post("/api/v1/contacts", body, 201);
		ids[i] = json_integer_value(json_object_get(j, "id"));
		json_decref(j);
	}
	snprintf(body, sizeof(body), "{\"name\":\"Atelier cuisine\",\"contact_ids\":[%lld,"
	    "%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld]}", (long long)ids[0],
	    (long long)ids[1], (long long)ids[2], (long long)ids[3], (long long)ids[4],
	    (long long)ids[5], (long long)ids[6], (long long)ids[7], (long long)ids[8],
	    (long long)ids[9]);
	j = post("/api/v1/groups", body, 201);
	group = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	t = time(NULL) + 5 * 24 * 3600;
	gmtime_r(&t, &tm);
	strftime(start, sizeof(start), "%Y-%m-%dT%H:%M:00Z", &tm);
	snprintf(body, sizeof(body), "{\"title\":\"Cuisine\",\"place\":\"Salle 1\","
	    "\"starts_at\":\"%s\",\"group_ids\":[%lld]}", start, (long long)group);
	j = post("/api/v1/events", body, 201);
	event = json_integer_value(json_object_get(j, "id"));
	json_decref(j);

	/* the invitation, due a week before: late, so at once */
	snprintf(body, sizeof(body), "{\"name\":\"Invitation\",\"body\":\"{prenom}, "
	    "atelier {atelier} {date} à {heure}. Répondez OUI ou NON. {centre}\","
	    "\"audience\":{\"event_id\":%lld},\"ask_reply\":true,\"ack_body\":"
	    "\"Merci, c'est noté ! {centre}\",\"schedule\":{\"before_event\":[\"-7d\"]}}",
	    (long long)event);
	j = post("/api/v1/campaigns", body, 201);
	invitation = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", (long long)invitation);
	json_decref(post(path, NULL, 200));
	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld&status=sent",
	    (long long)invitation);
	ck_assert_msg(wait_count(path, 10, MODEM_TEST_WAIT_MS), "invitations not sent");
	ck_assert_uint_eq(json_array_size(j = sim_events("submit")), 10);
	json_decref(j);

	/* a reminder for everyone, sent slowly (2 s each) while the answers come in */
	modemsim_set_latency(SIM, 0, 2000);
	t = time(NULL);
	gmtime_r(&t, &tm);
	strftime(later, sizeof(later), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(body, sizeof(body), "{\"name\":\"Rappel\",\"body\":\"Rappel : atelier "
	    "{atelier} {date}. {centre}\",\"audience\":{\"event_id\":%lld},"
	    "\"schedule\":{\"at\":\"%s\"}}", (long long)event, later);
	j = post("/api/v1/campaigns", body, 201);
	reminder = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", (long long)reminder);
	json_decref(post(path, NULL, 200));
	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld", (long long)reminder);
	ck_assert_msg(wait_count(path, 10, MODEM_TEST_WAIT_MS), "reminders not queued");

	/* the families answer */
	for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++)
		ck_assert_int_eq(modemsim_inject_sms(SIM, answers[i][0], answers[i][1],
		    i == 3 || i == 4 ? MODEMSIM_UCS2 : MODEMSIM_GSM7), 1);
	ck_assert_msg(wait_count("/api/v1/replies", 6, MODEM_TEST_WAIT_MS), "replies missing");
	/* 10 invitations, 2 + 1 acknowledgements, the STOP confirmation, 9 reminders */
	ck_assert_msg(wait_count("/api/v1/messages?status=sent", 23, 3 * MODEM_TEST_WAIT_MS),
	    "acknowledgements or reminders not sent");

	snprintf(path, sizeof(path), "/api/v1/events/%lld/rsvps", (long long)event);
	rsvps = get(path);
	assert_rsvp_count(rsvps, "invited", 10);
	assert_rsvp_count(rsvps, "yes", 2);
	assert_rsvp_count(rsvps, "no", 1);
	assert_rsvp_count(rsvps, "none", 7);
	json_decref(rsvps);

	/* STOP: opted out with the text as proof, the queued reminder cancelled */
	snprintf(path, sizeof(path), "/api/v1/contacts/%lld", (long long)ids[2]);
	j = get(path);
	ck_assert(json_is_string(json_object_get(j, "opted_out_at")));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld&contact_id=%lld",
	    (long long)reminder, (long long)ids[2]);
	j = get(path);
	ck_assert_uint_eq(json_array_size(j), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "status")),
	    "cancelled");
	json_decref(j);
	j = sim_events("submit");
	{
		bool confirmation = false, ack = false;
		json_t *o;
		json_array_foreach(j, i, o) {
			const char *text = json_string_value(json_object_get(o, "text"));
			const char *to = json_string_value(json_object_get(o, "to"));
			if (strcmp(to, "+33612340003") == 0 && strstr(text, "Vous ne recevrez plus"))
				confirmation = true;
			if (strcmp(to, "+33612340001") == 0 && strstr(text, "Merci, c'est noté"))
				ack = true;
		}
		ck_assert(confirmation && ack);
	}
	json_decref(j);

	/* what needs a person: the question and the stranger, with their numbers */
	j = reply_from("+33612340005");
	ck_assert_str_eq(json_string_value(json_object_get(j, "intent")), "other");
	ck_assert(json_is_false(json_object_get(j, "handled")));
	ck_assert_int_eq(json_integer_value(json_object_get(j, "event_id")), event);
	json_decref(j);
	j = reply_from("+33699999999");
	ck_assert(json_is_false(json_object_get(j, "handled")));
	ck_assert(json_is_null(json_object_get(j, "contact_id")));
	json_decref(j);
	j = reply_from("+33612340004");
	ck_assert_str_eq(json_string_value(json_object_get(j, "intent")), "yes");
	ck_assert(json_is_true(json_object_get(j, "handled")));
	json_decref(j);
	inbox = get("/api/v1/inbox");
	ck_assert_int_eq(json_integer_value(json_object_get(inbox, "unhandled")), 2);
	{
		bool stranger = false;
		json_t *o;
		json_array_foreach(json_object_get(inbox, "threads"), i, o)
			if (strcmp(json_string_value(json_object_get(o, "number")),
			    "+33699999999") == 0 &&
			    json_integer_value(json_object_get(o, "unhandled")) == 1)
				stranger = true;
		ck_assert(stranger);
	}
	json_decref(inbox);
	/* the thread with the one who asked: invitation, question, reminder */
	snprintf(path, sizeof(path), "/api/v1/inbox/thread?contact_id=%lld", (long long)ids[4]);
	j = get(path);
	ck_assert_uint_eq(json_array_size(j), 3);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "direction")),
	    "out");
	json_decref(j);
}
END_TEST

/* The integer of sql's first row in the database file at path, opened read-only. */
static long long
file_db_int(const char *path, const char *sql)
{
	char uri[256];
	sqlite3 *h;
	sqlite3_stmt *st;
	long long v = -1;

	snprintf(uri, sizeof(uri), "file:%s?immutable=1", path);
	ck_assert_int_eq(sqlite3_open_v2(uri, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL),
	    SQLITE_OK);
	ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
	    sqlite3_errmsg(h));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/*
 * Issue 17: a campaign "at" a few seconds ahead to one contact and a
 * message waiting for the network; rappelctl backup at once; both go out;
 * rappeld stopped, the copy restored, rappeld started: nothing goes out a
 * second time.  The occurrence, due since the backup, is recorded as
 * missed; the message, queued in the copy, is uncertain; restore says so
 * and exits 0.  Before the fix restore printed "BEGIN IMMEDIATE: cannot
 * start a transaction within a transaction" and "pass failed", exited 0,
 * and the restarted rappeld sent the campaign's SMS again.
 */
START_TEST(test_restore_sends_nothing_again)
{
	static const char direct[] = "Rappel : permanence logement vendredi 10h.";
	char body[512], at[32], path[128], backup[192], out[4096], sent_text[512];
	char *argv[] = { NULL, (char *)"-c", E.conf, (char *)"restore", backup, NULL };
	json_int_t contact, campaign, msg;
	json_t *j, *texts;
	time_t t;
	struct tm tm;

	teardown();
	start(NULL, NULL, false);	/* no network yet: the message waits in the queue */
	ck_assert_msg(wait_state("no_network", 15000), "state %s", modem_state());
	msg = send_sms("06 12 34 56 78", direct);
	j = post("/api/v1/contacts", "{\"first_name\":\"Awa\",\"last_name\":\"Diallo\","
	    "\"phone\":\"06 12 34 56 78\"}", 201);
	contact = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	t = time(NULL) + 5;
	gmtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(body, sizeof(body), "{\"name\":\"RDV CAF\",\"body\":\"Rappel : RDV CAF mardi "
	    "14h au centre.\",\"audience\":{\"contact_ids\":[%lld]},\"schedule\":{\"at\":\"%s\"}}",
	    (long long)contact, at);
	j = post("/api/v1/campaigns", body, 201);
	campaign = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", (long long)campaign);
	json_decref(post(path, NULL, 200));
	snprintf(backup, sizeof(backup), "%s/before.db", E.dir);
	ck_assert_msg(e2e_ctl(&E, NULL, out, sizeof(out), "backup", backup, NULL) == 0,
	    "backup: %s", out);
	ck_assert_msg(file_db_int(backup, "SELECT count(*) FROM campaign_runs") == 0,
	    "the backup was taken after the campaign's time: the test is too slow here");

	/* both go out, once */
	modemsim_set_registered(SIM, true);
	ck_assert(wait_count("/api/v1/messages?status=sent", 2, MODEM_TEST_WAIT_MS));
	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld", (long long)campaign);
	j = get(path);
	ck_assert_uint_eq(json_array_size(j), 1);
	snprintf(sent_text, sizeof(sent_text), "%s",
	    json_string_value(json_object_get(json_array_get(j, 0), "body")));
	json_decref(j);
	texts = sim_received_texts();
	ck_assert_int_eq(received_times(texts, direct), 1);
	ck_assert_int_eq(received_times(texts, sent_text), 1);
	json_decref(texts);

	e2e_halt(&E);
	argv[0] = (char *)getenv("RAPPELCTL");
	ck_assert_ptr_nonnull(argv[0]);
	ck_assert_msg(e2e_run(NULL, out, sizeof(out), true, argv) == 0, "restore: %s", out);
	ck_assert_msg(strstr(out, "pass failed") == NULL && strstr(out, "BEGIN") == NULL,
	    "restore: %s", out);
	ck_assert_msg(strstr(out, "1 message(s) due before now") != NULL, "restore: %s", out);
	e2e_launch(&E);
	ck_assert_int_eq(e2e_login(&E, &A, E2E_ADMIN, E2E_ADMIN_PW), 200);
	ck_assert(wait_state("ready", 15000));
	e2e_sleep_ms(3000);	/* a ready modem looks at the queue every second */

	/* what the network received: still each once */
	texts = sim_received_texts();
	ck_assert_msg(received_times(texts, sent_text) == 1, "the campaign's SMS went out "
	    "%lld times", received_times(texts, sent_text));
	ck_assert_int_eq(received_times(texts, direct), 1);
	json_decref(texts);
	/* the occurrence is missed, nothing of the campaign is queued */
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/runs", (long long)campaign);
	j = get(path);
	ck_assert_uint_eq(json_array_size(j), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "state")),
	    "missed");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld", (long long)campaign);
	ck_assert_uint_eq(count(path), 0);
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld", (long long)campaign);
	j = get(path);
	ck_assert_str_eq(json_string_value(json_object_get(j, "status")), "done");
	json_decref(j);
	/* the message of the copy is held for a person */
	j = message(msg);
	ck_assert_str_eq(json_string_value(json_object_get(j, "status")), "uncertain");
	json_decref(j);
}
END_TEST

/* Waits until n replies are stored and understood (their intent known). */
static bool
wait_understood(size_t n, int ms)
{
	json_t *list, *o;
	size_t i, understood;
	int waited;

	for (waited = 0; waited < ms; waited += 100) {
		list = get("/api/v1/replies");
		understood = 0;
		json_array_foreach(list, i, o)
			if (json_is_string(json_object_get(o, "intent")))
				understood++;
		json_decref(list);
		if (understood == n)
			return true;
		e2e_sleep_ms(100);
	}
	e2e_dump_log(&E);
	return false;
}

/* Calls method path with body as admin; returns the status, and the JSON in *out. */
static long
call(const char *method, const char *path, const char *body, json_t **out)
{
	struct e2e_resp r;
	long status = e2e_call(&E, &A, method, path, body, &r);

	if (status >= 400 && out == NULL)
		fprintf(stderr, "%s %s: %ld %s\n", method, path, status, r.body);
	if (out)
		*out = json_incref(r.json);
	e2e_resp_free(&r);
	return status;
}

/* POSTs /messages {to, body}; returns the status, 409 with code opted_out checked. */
static long
try_send(const char *to, const char *body)
{
	char json[256];
	json_t *j = NULL;
	long status;

	snprintf(json, sizeof(json), "{\"to\":\"%s\",\"body\":\"%s\"}", to, body);
	status = call("POST", "/api/v1/messages", json, &j);
	if (status == 409)
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "error"),
		    "code")), "opted_out");
	json_decref(j);
	return status;
}

/* Whether the simulated network received a text containing part, sent to number. */
static bool
sim_sent_to(const char *number, const char *part)
{
	json_t *submits = sim_events("submit"), *o;
	bool found = false;
	size_t i;

	json_array_foreach(submits, i, o)
		if (strcmp(json_string_value(json_object_get(o, "to")), number) == 0 &&
		    strstr(json_string_value(json_object_get(o, "text")), part))
			found = true;
	json_decref(submits);
	return found;
}

static bool
wait_sim_sent_to(const char *number, const char *part, int ms)
{
	int waited;

	for (waited = 0; waited < ms; waited += 100) {
		if (sim_sent_to(number, part))
			return true;
		e2e_sleep_ms(100);
	}
	e2e_dump_log(&E);
	return false;
}

/*
 * Issue 17: STOP from a number that is no contact's is kept by number and
 * honoured: a message typed to it is refused, a contact created later
 * with it is opted out (with the STOP's date), erasing that contact keeps
 * the opt-out, and START from the number lifts it.
 */
START_TEST(test_stop_from_a_stranger)
{
	char path[64];
	json_int_t id;
	json_t *j;

	ck_assert(wait_state("ready", 10000));
	ck_assert_int_eq(modemsim_inject_sms(SIM, "+33699887766", "STOP", MODEMSIM_GSM7), 1);
	ck_assert(wait_understood(1, MODEM_TEST_WAIT_MS));
	ck_assert_int_eq(try_send("06 99 88 77 66", "Bonjour"), 409);
	ck_assert(wait_sim_sent_to("+33699887766", "Vous ne recevrez plus de SMS",
	    MODEM_TEST_WAIT_MS));

	/* a contact created later with that number */
	j = post("/api/v1/contacts", "{\"first_name\":\"Inès\",\"last_name\":\"Martin\","
	    "\"phone\":\"+33 6 99 88 77 66\",\"opted_out\":false}", 201);
	ck_assert_msg(json_is_string(json_object_get(j, "opted_out_at")), "not opted out");
	id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/contacts/%lld", (long long)id);
	j = get(path);
	ck_assert(json_is_string(json_object_get(j, "opted_out_at")));
	json_decref(j);
	snprintf(path, sizeof(path), "{\"contact_id\":%lld,\"body\":\"Bonjour\"}", (long long)id);
	ck_assert_int_eq(call("POST", "/api/v1/messages", path, NULL), 409);

	/* erased (RGPD): the opt-out stays with the number */
	snprintf(path, sizeof(path), "/api/v1/contacts/%lld", (long long)id);
	ck_assert_int_eq(call("DELETE", path, NULL, NULL), 204);
	ck_assert_int_eq(try_send("0699887766", "Bonjour"), 409);

	/* START from the number lifts it */
	ck_assert_int_eq(modemsim_inject_sms(SIM, "+33699887766", "Start", MODEMSIM_GSM7), 1);
	ck_assert(wait_understood(2, MODEM_TEST_WAIT_MS));
	ck_assert(wait_sim_sent_to("+33699887766", "vous recevez à nouveau",
	    MODEM_TEST_WAIT_MS));
	ck_assert_int_eq(try_send("06 99 88 77 66", "Bonjour"), 201);
}
END_TEST

/*
 * Issue 26: « C'est qui ? » through the modem: understood as who, answered
 * at once with the centre's name and phone, in the contact's language
 * (English here), and counted on the status.
 */
START_TEST(test_who_is_answered)
{
	json_t *j;

	ck_assert(wait_state("ready", 10000));
	ck_assert_int_eq(modemsim_inject_sms(SIM, "+33699887766", "Bonjour c'est qui ?",
	    MODEMSIM_GSM7), 1);
	ck_assert(wait_understood(1, MODEM_TEST_WAIT_MS));
	ck_assert(wait_sim_sent_to("+33699887766", "Ce numéro envoie les rappels de nos ateliers",
	    MODEM_TEST_WAIT_MS));
	j = post("/api/v1/contacts", "{\"first_name\":\"Tom\",\"last_name\":\"Smith\","
	    "\"phone\":\"+33 6 12 34 56 70\",\"language\":\"en\"}", 201);
	json_decref(j);
	ck_assert_int_eq(modemsim_inject_sms(SIM, "+33612345670", "who is this?",
	    MODEMSIM_GSM7), 1);
	ck_assert(wait_understood(2, MODEM_TEST_WAIT_MS));
	ck_assert(wait_sim_sent_to("+33612345670", "This number sends the reminders of our "
	    "workshops", MODEM_TEST_WAIT_MS));
	j = get("/api/v1/status");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "who_asked_30d")), 2);
	json_decref(j);
}
END_TEST

/*
 * Issue 17: STOP from a household's second number opts that number out,
 * wherever it goes: messages to it are refused, through the contact or
 * typed, and when it becomes another contact's.  The contact's own first
 * number did not stop: it still gets SMS.  START from the number lifts it.
 */
START_TEST(test_stop_from_a_household_number)
{
	char path[64], body[128];
	json_int_t awa, fatou;
	json_t *j;

	j = post("/api/v1/contacts", "{\"first_name\":\"Awa\",\"last_name\":\"Diallo\","
	    "\"phones\":[{\"number\":\"06 12 34 56 78\"},{\"number\":\"06 12 34 56 79\","
	    "\"label\":\"mère\",\"sms\":true}]}", 201);
	awa = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	ck_assert(wait_state("ready", 10000));
	ck_assert_int_eq(modemsim_inject_sms(SIM, "+33612345679", "stop", MODEMSIM_GSM7), 1);
	ck_assert(wait_understood(1, MODEM_TEST_WAIT_MS));
	ck_assert_int_eq(try_send("06 12 34 56 79", "Bonjour"), 409);

	/* Awa herself did not stop: her number still gets SMS, the mother's is marked */
	snprintf(path, sizeof(path), "/api/v1/contacts/%lld", (long long)awa);
	j = get(path);
	ck_assert_msg(json_is_null(json_object_get(j, "opted_out_at")), "Awa opted out");
	ck_assert(json_is_string(json_object_get(json_array_get(json_object_get(j, "phones"), 1),
	    "opted_out_at")));
	ck_assert(json_is_null(json_object_get(json_array_get(json_object_get(j, "phones"), 0),
	    "opted_out_at")));
	json_decref(j);
	ck_assert_int_eq(try_send("06 12 34 56 78", "Bonjour Awa"), 201);
	snprintf(body, sizeof(body), "{\"contact_id\":%lld,\"body\":\"Bonjour\"}", (long long)awa);
	ck_assert_int_eq(call("POST", "/api/v1/messages", body, &j), 201);
	ck_assert_str_eq(json_string_value(json_object_get(j, "to")), "+33612345678");
	json_decref(j);

	/* the mother gets a contact of her own: opted out, with the STOP's date */
	ck_assert_int_eq(call("PATCH", path, "{\"phones\":[{\"number\":\"06 12 34 56 78\"}]}",
	    NULL), 200);
	j = post("/api/v1/contacts", "{\"first_name\":\"Fatou\",\"last_name\":\"Diallo\","
	    "\"phone\":\"06 12 34 56 79\"}", 201);
	ck_assert_msg(json_is_string(json_object_get(j, "opted_out_at")), "Fatou not opted out");
	fatou = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	ck_assert_int_eq(try_send("+33612345679", "Bonjour"), 409);

	/* START from her number lifts it, for her contact too */
	ck_assert_int_eq(modemsim_inject_sms(SIM, "+33612345679", "START", MODEMSIM_GSM7), 1);
	ck_assert(wait_understood(2, MODEM_TEST_WAIT_MS));
	snprintf(path, sizeof(path), "/api/v1/contacts/%lld", (long long)fatou);
	j = get(path);
	ck_assert(json_is_null(json_object_get(j, "opted_out_at")));
	json_decref(j);
	ck_assert_int_eq(try_send("06 12 34 56 79", "Bonjour Fatou"), 201);
}
END_TEST

/*
 * Issue 17: a message to a number queued before that number's STOP
 * arrived is not sent.
 */
START_TEST(test_stop_cancels_what_was_queued)
{
	char body[64], path[64];
	const char *status = "";
	json_int_t id;
	json_t *j = NULL;
	int i, waited;

	ck_assert(wait_state("ready", 10000));
	modemsim_set_latency(SIM, 0, 1500);	/* 4 messages first: at least 6 s */
	for (i = 1; i <= 4; i++) {
		snprintf(body, sizeof(body), "Atelier cuisine n° %d", i);
		send_sms("06 12 34 56 78", body);
	}
	id = send_sms("06 99 88 77 66", "Rappel : atelier jeudi 14h");
	ck_assert_int_eq(modemsim_inject_sms(SIM, "+33699887766", "STOP", MODEMSIM_GSM7), 1);
	snprintf(path, sizeof(path), "/api/v1/messages/%lld", (long long)id);
	for (waited = 0; waited < MODEM_TEST_WAIT_MS; waited += 100) {
		json_decref(j);
		j = get(path);
		status = json_string_value(json_object_get(j, "status"));
		if (strcmp(status, "queued") != 0 && strcmp(status, "sending") != 0)
			break;
		e2e_sleep_ms(100);
	}
	ck_assert_str_eq(status, "cancelled");
	json_decref(j);
	ck_assert_msg(wait_count("/api/v1/messages?status=sent", 5, MODEM_TEST_WAIT_MS),
	    "the 4 messages and the confirmation not sent");
	ck_assert(!sim_sent_to("+33699887766", "Rappel : atelier"));
}
END_TEST

/*
 * A UCS-2 reply with surrogates that are not pairs (a phone cutting an
 * emoji between two parts does this) is stored as UTF-8, with U+FFFD for
 * each lone half, so that the API can show it.  Found by
 * tests/fuzz/fuzz_pdu.c (tests/fuzz/regressions/pdu/): the reply was
 * stored as libgammu wrote it, not UTF-8, and vanished from the inbox.
 */
START_TEST(test_pdu_lone_surrogates)
{
	/* SMSC, DELIVER from +33639980001, UCS-2, "OK <D83D> merci <D83D DC4D> <DC4D>" */
	static const char hex[] = "07913386094000F0040B913336990800F10008622130110000401E"
	    "004F004B0020D83D0020006D00650072006300690020D83DDC4D0020DC4D";
	static const char conf[] = "[centre]\nname = Centre social\nphone = 03 21 00 00 00\n";
	struct test_db t;
	struct config *cfg;
	unsigned char pdu[MODEM_PDU_MAX];
	sqlite3_stmt *st;
	const char *body;
	char err[256];
	json_t *j;
	int n;

	test_db_open(&t);
	ck_assert_ptr_nonnull(cfg = config_load_string(conf, "test.conf", err, sizeof(err)));
	n = msim_hex_decode(hex, strlen(hex), pdu, sizeof(pdu));
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(modem_store_pdu(t.db, "modem", pdu, (size_t)n, 1796292000), 0);
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(t.db), "SELECT from_number, body FROM replies",
	    -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "+33639980001");
	body = (const char *)sqlite3_column_text(st, 1);
	ck_assert_str_eq(body, "OK \xEF\xBF\xBD merci \xF0\x9F\x91\x8D \xEF\xBF\xBD");
	/* what GET /api/v1/replies does with it */
	ck_assert_ptr_nonnull(j = json_string(body));
	json_decref(j);
	sqlite3_finalize(st);
	config_free(cfg);
	test_db_close(&t);
}
END_TEST

/* ---- issue 26: they call back the number that texted them ---- */

/* Hang-ups by the client (rappeld) in the simulator's log; arg is unused. */
static size_t
hangups_by_client(const char *arg)
{
	json_t *list = sim_events("hangup"), *o;
	size_t i, found = 0;

	(void)arg;
	json_array_foreach(list, i, o)
		found += strcmp(json_string_value(json_object_get(o, "by")), "client") == 0;
	json_decref(list);
	return found;
}

/* The calls (kind "call") in the inbox's conversation at path, decided ones only. */
static size_t
thread_calls(const char *path)
{
	json_t *list = get(path), *o;
	size_t i, n = 0;

	json_array_foreach(list, i, o)
		if (json_is_string(json_object_get(o, "kind")) &&
		    strcmp(json_string_value(json_object_get(o, "kind")), "call") == 0 &&
		    json_is_string(json_object_get(o, "intent")))
			n++;
	json_decref(list);
	return n;
}

/* Waits until have(arg) is n; false on time-out, with the daemon's log. */
static bool
wait_n(size_t (*have)(const char *), const char *arg, size_t n, int ms)
{
	int waited;

	for (waited = 0; waited < ms; waited += 100) {
		if (have(arg) == n)
			return true;
		e2e_sleep_ms(100);
	}
	e2e_dump_log(&E);
	return false;
}

/* SMS (first parts) the simulated network took for number that begin with start. */
static int
sim_texts_to(const char *number, const char *start)
{
	json_t *submits = sim_events("submit"), *o, *udh;
	size_t i;
	int n = 0;

	json_array_foreach(submits, i, o) {
		udh = json_object_get(o, "udh");
		if (strcmp(json_string_value(json_object_get(o, "to")), number) == 0 &&
		    (!json_is_object(udh) || json_integer_value(json_object_get(udh, "seq")) == 1) &&
		    strncmp(json_string_value(json_object_get(o, "text")), start,
		    strlen(start)) == 0)
			n++;
	}
	json_decref(submits);
	return n;
}

/* Whether the person contact is on the session's list at path with reason `called`. */
static bool
listed_called(json_t *sessions, json_int_t contact)
{
	json_t *s, *p, *r;
	size_t i, k, l;

	json_array_foreach(sessions, i, s)
		json_array_foreach(json_object_get(s, "people"), k, p)
			if (json_integer_value(json_object_get(p, "contact_id")) == contact)
				json_array_foreach(json_object_get(p, "reasons"), l, r)
					if (strcmp(json_string_value(r), "called") == 0)
						return true;
	return false;
}

/*
 * Issue 26: someone phones the modem's number.  rappeld hangs up at once
 * (the simulator logs the client's hang-up), keeps the call in the inbox
 * as « a appelé » with the contact, and answers by SMS with the centre's
 * landline, once a day per number: a second call the same day gets no
 * second SMS, and a number that sent STOP gets none.  The contact is on
 * the list of people to phone with reason "called" until a call is
 * recorded.
 */
START_TEST(test_incoming_calls)
{
	static const char answer[] = "Ce numéro envoie nos rappels et ne prend pas les appels";
	char body[512], start[32], path[128];
	json_int_t awa, event;
	json_t *j, *texts, *occ, *k;
	time_t first;
	size_t i;
	bool landline = false;
	const char *text;

	ck_assert(wait_state("ready", 10000));
	j = post("/api/v1/contacts", "{\"first_name\":\"Awa\",\"last_name\":\"Diallo\","
	    "\"phone\":\"06 12 34 56 78\"}", 201);
	awa = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	e2e_iso_in(3 * 24 * 3600, start, sizeof(start));
	snprintf(body, sizeof(body), "{\"title\":\"Couture\",\"starts_at\":\"%s\","
	    "\"contact_ids\":[%lld]}", start, (long long)awa);
	j = post("/api/v1/events", body, 201);
	event = json_integer_value(json_object_get(j, "id"));
	json_decref(j);

	/* the call: hung up at once, in the inbox with Awa, answered by SMS */
	first = time(NULL);
	ck_assert_int_eq(modemsim_call(SIM, "+33612345678", 20, 1500), 0);
	ck_assert(wait_n(hangups_by_client, NULL, 1, MODEM_TEST_WAIT_MS));
	ck_assert(!modemsim_ringing(SIM));
	snprintf(path, sizeof(path), "/api/v1/inbox/thread?contact_id=%lld", (long long)awa);
	ck_assert(wait_n(thread_calls, path, 1, MODEM_TEST_WAIT_MS));
	j = get(path);
	json_array_foreach(j, i, k)
		if (strcmp(json_string_value(json_object_get(k, "direction")), "in") == 0) {
			ck_assert_str_eq(json_string_value(json_object_get(k, "intent")), "call");
			ck_assert_str_eq(json_string_value(json_object_get(k, "body")), "");
			ck_assert(!json_is_true(json_object_get(k, "handled")));
		}
	json_decref(j);
	ck_assert(wait_sim_sent_to("+33612345678", "Ce numéro envoie", MODEM_TEST_WAIT_MS));
	texts = sim_received_texts();
	json_object_foreach(texts, text, k)
		if (strstr(text, answer) && strstr(text, "appelez le 03 21 00 00 00"))
			landline = true;
	json_decref(texts);
	ck_assert_msg(landline, "the answer does not give the centre's landline");

	/* the list of people to phone: « a appelé » */
	j = get("/api/v1/calls");
	ck_assert_msg(listed_called(json_object_get(j, "sessions"), awa), "Awa is not listed "
	    "as having called");
	occ = json_incref(json_object_get(json_object_get(json_array_get(json_object_get(j,
	    "sessions"), 0), "session"), "occurrence"));
	json_decref(j);

	/* she calls again the same day: a second call, no second SMS */
	while (time(NULL) <= first + INBOX_CALL_SAME_S)
		e2e_sleep_ms(200);
	ck_assert_int_eq(modemsim_call(SIM, "+33612345678", 20, 1500), 0);
	ck_assert(wait_n(hangups_by_client, NULL, 2, MODEM_TEST_WAIT_MS));
	ck_assert(wait_n(thread_calls, path, 2, MODEM_TEST_WAIT_MS));
	e2e_sleep_ms(3000);
	ck_assert_int_eq(sim_texts_to("+33612345678", "Ce numéro envoie"), 1);

	/* a call recorded from the list: she is off it */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/calls?occurrence=%lld",
	    (long long)event, (long long)json_integer_value(occ));
	json_decref(occ);
	snprintf(body, sizeof(body), "{\"contact_id\":%lld,\"outcome\":\"yes\"}",
	    (long long)awa);
	j = post(path, body, 200);
	json_decref(j);
	j = get("/api/v1/calls");
	ck_assert(!listed_called(json_object_get(j, "sessions"), awa));
	json_decref(j);

	/* a number that sent STOP: its call is kept, never answered */
	ck_assert_int_eq(modemsim_inject_sms(SIM, "+33699887766", "STOP", MODEMSIM_GSM7), 1);
	ck_assert(wait_understood(3, MODEM_TEST_WAIT_MS));
	ck_assert(wait_sim_sent_to("+33699887766", "Vous ne recevrez plus de SMS",
	    MODEM_TEST_WAIT_MS));
	ck_assert_int_eq(modemsim_call(SIM, "+33699887766", 20, 1500), 0);
	ck_assert(wait_n(hangups_by_client, NULL, 3, MODEM_TEST_WAIT_MS));
	ck_assert(wait_n(thread_calls, "/api/v1/inbox/thread?number=%2B33699887766", 1,
	    MODEM_TEST_WAIT_MS));
	e2e_sleep_ms(3000);
	ck_assert_int_eq(sim_texts_to("+33699887766", "Ce numéro envoie"), 0);
}
END_TEST

/* A case of the suite, with the simulator and rappeld around each test.
 * TAG puts it in one of the suite's two halves, which meson runs side by
 * side (CK_INCLUDE_TAGS=half-1 or half-2): most of their time is waiting
 * for the simulated network, not the processor. */

/* ---- the personality subset (MODEMSIM_PERSONALITY, tag "personality") ---- */

/*
 * Unplugged while sending and plugged back (the modem powers up again
 * and says what it says at boot): every message ends sent once or
 * uncertain, and a reply sent after the replug is stored.
 */
START_TEST(test_persona_reset)
{
	size_t sent = 0, uncertain = 0;
	char body[64];
	int i, waited;

	ck_assert(wait_state("ready", MODEM_TEST_WAIT_MS));
	for (i = 1; i <= 3; i++) {
		snprintf(body, sizeof(body), "Rappel : atelier %d, répondez OUI.", i);
		send_sms("06 12 34 56 78", body);
	}
	for (waited = 0; count("/api/v1/messages?status=sent") < 1 &&
	    waited < MODEM_TEST_WAIT_MS; waited += 50)
		e2e_sleep_ms(50);
	ck_assert_int_eq(modemsim_unplug(SIM), 0);
	e2e_sleep_ms(1500);
	ck_assert_int_eq(modemsim_replug(SIM), 0);
	ck_assert_msg(wait_state("ready", MODEM_TEST_WAIT_MS), "not ready after the replug");
	expect_sent_or_uncertain(MODEM_TEST_WAIT_MS, &sent, &uncertain);
	printf("modem (%s): after a reset %zu sent, %zu uncertain\n",
	    getenv("MODEMSIM_PERSONALITY"), sent, uncertain);
	ck_assert_uint_eq(sent + uncertain, 3);
	ck_assert_uint_le(uncertain, 1);
	ck_assert_int_eq(modemsim_inject_sms(SIM, "+33612345678", "Oui je viens", MODEMSIM_GSM7),
	    1);
	ck_assert_msg(wait_count("/api/v1/replies", 1, MODEM_TEST_WAIT_MS), "reply not stored");
}
END_TEST

/* CPU seconds rappeld used so far (utime + stime of /proc/PID/stat). */
static double
daemon_cpu_s(void)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)E.pid);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	p = strrchr(buf, ')');
	ck_assert_int_eq(sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st), 2);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/*
 * Idle while the modem chatters: rappeld sends no AT command (its health
 * check is every 180 s, its sweep every 120 s), stays ready, and an SMS
 * announced amid the chatter is stored at once.  The CPU it used is
 * printed, not asserted (bench/bench_personalities.sh measures it).
 */
START_TEST(test_persona_idle)
{
	const char *env = getenv("RAPPEL_IDLE_S");
	int idle_s = env ? atoi(env) : 8;
	struct timespec t0, t1;
	double cpu0, cpu1, ms;
	size_t before, after;

	ck_assert(wait_state("ready", MODEM_TEST_WAIT_MS));
	e2e_sleep_ms(3000);		/* the first sweep and health check are done */
	before = sim_commands("");
	cpu0 = daemon_cpu_s();
	e2e_sleep_ms(idle_s * 1000L);
	cpu1 = daemon_cpu_s();
	after = sim_commands("");
	printf("modem (%s): idle %d s: %zu AT commands, rappeld CPU %.2f %%\n",
	    getenv("MODEMSIM_PERSONALITY"), idle_s, after - before,
	    100.0 * (cpu1 - cpu0) / idle_s);
	ck_assert_uint_le(after - before, 2);
	ck_assert_str_eq(modem_state(), "ready");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(modemsim_inject_sms(SIM, "+33612345678", "Non merci", MODEMSIM_GSM7),
	    1);
	ck_assert(wait_count("/api/v1/replies", 1, MODEM_TEST_WAIT_MS));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("modem (%s): an SMS announced while idle was stored after %.0f ms\n",
	    getenv("MODEMSIM_PERSONALITY"), ms);
	ck_assert_msg(ms < 3000, "stored after %.0f ms: the +CMTI was missed", ms);
}
END_TEST

static TCase *
modem_case(Suite *s, const char *name, const char *tag, int timeout)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, timeout);
	tcase_set_tags(tc, tag);
	suite_add_tcase(s, tc);
	return tc;
}

static Suite *
modem_suite(void)
{
	Suite *s = suite_create("modem");
	TCase *tc;

	tc = modem_case(s, "send", "half-1", 120);
	tcase_add_test(tc, test_send_encodings);
	tcase_add_test(tc, test_batch_200);
	tcase_add_test(tc, test_send_from_rappelctl);
	tc = modem_case(s, "receive", "half-1", 120);
	tcase_add_test(tc, test_receive_replies);
	tcase_add_test(tc, test_reply_during_batch);
	tcase_add_test(tc, test_delivery_report);
	tcase_add_test(tc, test_every_part_reported);
	tcase_add_test(tc, test_failed_report_says_why);
	tcase_add_test(tc, test_invitation_replies);
	tc = modem_case(s, "opt-out by number", "half-1", 120);
	tcase_add_test(tc, test_stop_from_a_stranger);
	tcase_add_test(tc, test_who_is_answered);
	tcase_add_test(tc, test_stop_from_a_household_number);
	tcase_add_test(tc, test_stop_cancels_what_was_queued);
	tc = modem_case(s, "calls", "half-1", 120);
	tcase_add_test(tc, test_incoming_calls);
	tc = modem_case(s, "faults", "half-1", 120);
	tcase_add_test(tc, test_cms_error_every_third);
	tcase_add_test(tc, test_unplug_replug);
	tcase_add_test(tc, test_no_registration_waits);
	tcase_add_test(tc, test_outcome_recorded_when_database_returns);
	tc = modem_case(s, "noise", "half-2", 360);
	tcase_add_test(tc, test_garbage_and_mute);
	tc = modem_case(s, "limits", "half-2", 120);
	tcase_add_test(tc, test_rate_limit_waits);
	tcase_add_test(tc, test_outside_sending_days_waits);
	tc = modem_case(s, "two modems", "half-2", 120);
	tcase_add_test(tc, test_two_modems_spread_and_bench);
	tc = modem_case(s, "pin", "half-2", 120);
	tcase_add_test(tc, test_pin_right);
	tcase_add_test(tc, test_pin_wrong_tried_once);
	tcase_add_test(tc, test_pin_wrong_never_again);
	tc = modem_case(s, "restore", "half-2", 120);
	tcase_add_test(tc, test_restore_sends_nothing_again);
	/* a small subset, run against each personality of the simulator */
	tc = modem_case(s, "personality", "personality", 120);
	tcase_add_test(tc, test_send_encodings);
	tcase_add_test(tc, test_receive_replies);
	tcase_add_test(tc, test_delivery_report);
	tcase_add_test(tc, test_persona_reset);
	tcase_add_test(tc, test_persona_idle);
	tc = tcase_create("pdu");
	tcase_set_tags(tc, "half-2");
	tcase_add_test(tc, test_pdu_lone_surrogates);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(modem_suite)
