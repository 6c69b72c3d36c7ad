/*
 * check_simulator — `device = simulator`: the real rappeld with its
 * built-in simulated modem, which runs as a child process of its own
 * (daemon/simproc.c, the rappel-modemsim program) and not inside
 * rappeld.  What a user of `make demo`, the package and the panel's
 * "Simuler une réponse" relies on:
 *
 *   - the simulator is rappeld's child, the program beside rappeld;
 *   - an SMS goes out through it, and a simulated reply (the API's
 *     POST /simulator/replies) comes back in, line break and all;
 *   - it does not outlive rappeld, even one killed with SIGKILL, and a
 *     clean stop removes its private directory;
 *   - when it dies while rappeld runs, it is started again and the
 *     modem sends again;
 *   - a program that cannot be run stops rappeld at start, saying which;
 *   - an answer to an invitation for the whole cycle, coming back
 *     through it, is the answer for every session of the atelier.
 */
#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e.h"
#include "test_main.h"

#define SIM_WAIT_MS 30000	/* upper bound for anything to happen */
#define SIM_CONF "[sending]\nhours = 00:00-24:00\ndays = mon,tue,wed,thu,fri,sat,sun\n" \
	"max_per_minute = 600\n[modem]\ndevice = simulator\nfamilies = yes\n"

static struct e2e E;
static struct e2e_client A;

static void
setup(void)
{
	e2e_start_with(&E, SIM_CONF);
	e2e_client_init(&A);
	ck_assert_int_eq(e2e_login(&E, &A, E2E_ADMIN, E2E_ADMIN_PW), 200);
}

static void
teardown(void)
{
	e2e_client_free(&A);
	e2e_stop(&E);
}

/* ---- processes, from /proc ---- */

/* The state letter of pid in /proc/PID/stat, or 0 when there is none. */
static char
proc_state(pid_t pid, pid_t *ppid)
{
	char path[64], line[512], *p;
	char state = 0;
	int parent = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	/* pid (comm) state ppid ...: comm may hold spaces, so after the last ')' */
	if (fgets(line, sizeof(line), f) != NULL && (p = strrchr(line, ')')) != NULL &&
	    sscanf(p + 1, " %c %d", &state, &parent) != 2)
		state = 0;
	fclose(f);
	if (ppid != NULL)
		*ppid = parent;
	return state;
}

/* True while pid runs (a zombie has ended). */
static bool
proc_alive(pid_t pid)
{
	char s = proc_state(pid, NULL);

	return s != 0 && s != 'Z' && s != 'X';
}

/* The living children of parent: their number, the first one in *child. */
static int
proc_children(pid_t parent, pid_t *child)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t pid, ppid;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	*child = 0;
	while ((de = readdir(d)) != NULL) {
		if ((pid = atoi(de->d_name)) <= 0 || !proc_alive(pid))
			continue;
		if (proc_state(pid, &ppid) != 0 && ppid == parent && n++ == 0)
			*child = pid;
	}
	closedir(d);
	return n;
}

/* rappeld's simulator: its only child, waited for; its pid. */
static pid_t
simulator(void)
{
	pid_t child = 0;
	int n = 0, waited;

	for (waited = 0; waited < SIM_WAIT_MS; waited += 100) {
		if ((n = proc_children(E.pid, &child)) == 1)
			return child;
		e2e_sleep_ms(100);
	}
	ck_abort_msg("rappeld has %d children, not one simulator", n);
	return 0;
}

/* The value after `option` in the command line of pid, into out. */
static void
proc_option(pid_t pid, const char *option, char *out, size_t size)
{
	char path[64], *text, *p;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	ck_assert_ptr_nonnull(text = e2e_read_file(path, &len));
	out[0] = '\0';
	for (p = text; p < text + len; p += strlen(p) + 1)
		if (strcmp(p, option) == 0 && p + strlen(p) + 1 < text + len)
			snprintf(out, size, "%s", p + strlen(p) + 1);
	free(text);
	ck_assert_msg(out[0] != '\0', "no %s in the command line of %d", option, (int)pid);
}

/* ---- rappeld's side, over HTTP ---- */

/* True when the first modem's state in /status is want. */
static bool
modem_is(const char *want)
{
	json_t *j = e2e_get(&E, &A, "/api/v1/status");
	json_t *m = json_array_get(json_object_get(j, "modems"), 0);
	const char *state = m ? json_string_value(json_object_get(m, "state")) : NULL;
	bool is = state != NULL && strcmp(state, want) == 0;

	json_decref(j);
	return is;
}

/* Waits until the modem is ready; false on time-out. */
static bool
wait_ready(void)
{
	int waited;

	for (waited = 0; waited < SIM_WAIT_MS; waited += 100) {
		if (modem_is("ready"))
			return true;
		e2e_sleep_ms(100);
	}
	return false;
}

/* Waits until message id is sent (or delivered); false on time-out. */
static bool
wait_sent(json_int_t id)
{
	const char *status;
	json_t *j, *m;
	size_t i;
	int waited;
	bool sent = false;

	for (waited = 0; !sent && waited < SIM_WAIT_MS; waited += 100) {
		j = e2e_get(&E, &A, "/api/v1/messages");
		json_array_foreach(j, i, m) {
			status = json_string_value(json_object_get(m, "status"));
			if (json_integer_value(json_object_get(m, "id")) == id && status != NULL &&
			    (strcmp(status, "sent") == 0 || strcmp(status, "delivered") == 0))
				sent = true;
		}
		json_decref(j);
		if (!sent)
			e2e_sleep_ms(100);
	}
	return sent;
}

/* Waits until a reply from `from` with exactly body is stored; false on time-out. */
static bool
wait_reply(const char *from, const char *body)
{
	const char *f, *b;
	json_t *j;
	size_t i;
	int waited;
	bool seen = false;

	for (waited = 0; !seen && waited < SIM_WAIT_MS; waited += 100) {
		j = e2e_get(&E, &A, "/api/v1/replies");
		for (i = 0; i < json_array_size(j); i++) {
			f = json_string_value(json_object_get(json_array_get(j, i), "from"));
			b = json_string_value(json_object_get(json_array_get(j, i), "body"));
			seen = seen || (f && b && strcmp(f, from) == 0 && strcmp(b, body) == 0);
		}
		json_decref(j);
		if (!seen)
			e2e_sleep_ms(100);
	}
	return seen;
}

/* ---- the tests ---- */

/*
 * The simulator is rappeld's child, the program beside rappeld; an SMS
 * goes out through it, a simulated reply comes in, and a clean stop ends
 * it and removes its directory.
 */
START_TEST(test_own_process_round_trip)
{
	char exe[PATH_MAX], want[PATH_MAX], simlog[PATH_MAX], dir[PATH_MAX], *text;
	const char *rappeld = getenv("RAPPELD");
	struct e2e_resp r;
	struct stat st;
	json_int_t id;
	ssize_t n;
	pid_t sim;

	ck_assert_msg(wait_ready(), "the simulated modem is not ready");
	sim = simulator();
	snprintf(want, sizeof(want), "%.*s/rappel-modemsim",
	    (int)(strrchr(rappeld, '/') - rappeld), rappeld);
	snprintf(dir, sizeof(dir), "/proc/%d/exe", (int)sim);
	ck_assert_int_gt(n = readlink(dir, exe, sizeof(exe) - 1), 0);
	exe[n] = '\0';
	if (getenv("RAPPEL_MODEMSIM") != NULL) {
		/* a cross build (tests/meson.build): rappeld was told the simulator's
		 * script, which runs rappel-modemsim under qemu-user */
		ck_assert_ptr_nonnull(strstr(exe, "/qemu-"));
		proc_option(sim, strrchr(exe, '/') + 1, want, sizeof(want));
		ck_assert_str_eq(strrchr(want, '/'), "/rappel-modemsim");
	} else {
		ck_assert_str_eq(exe, want);
	}
	/* its private directory: 0700 */
	proc_option(sim, "--log", simlog, sizeof(simlog));
	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(simlog, '/') - simlog), simlog);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);

	/* out: the network (the simulator's log) received the SMS */
	id = e2e_send_sms(&E, &A, "06 12 34 56 78", "Rappel : atelier cuisine jeudi 14h.");
	ck_assert_msg(wait_sent(id), "the message was not sent");
	ck_assert_ptr_nonnull(text = e2e_read_file(simlog, NULL));
	ck_assert_msg(strstr(text, "\"text\":\"Rappel : atelier cuisine jeudi 14h.") != NULL,
	    "not in the simulator's log: %s", text);
	free(text);

	/* in: a family's reply, through the simulator's control socket */
	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/simulator/replies",
	    "{\"from\":\"06 12 34 56 78\",\"body\":\"Oui\\n à jeudi\"}", &r), 202);
	e2e_resp_free(&r);
	ck_assert_msg(wait_reply("+33612345678", "Oui\n à jeudi"), "the reply did not come in");

	e2e_halt(&E);
	ck_assert_msg(!proc_alive(sim), "the simulator outlived a clean stop");
	ck_assert_msg(access(dir, F_OK) != 0, "%s is left after a clean stop", dir);
}
END_TEST

/* rappeld killed with SIGKILL, as a power cut or the OOM killer would: no simulator left. */
START_TEST(test_dies_with_rappeld)
{
	char simlog[PATH_MAX], cmd[PATH_MAX + 32], *slash;
	pid_t sim;
	int waited;

	ck_assert_msg(wait_ready(), "the simulated modem is not ready");
	sim = simulator();
	proc_option(sim, "--log", simlog, sizeof(simlog));
	e2e_kill(&E);
	for (waited = 0; waited < 5000 && proc_alive(sim); waited += 50)
		e2e_sleep_ms(50);
	ck_assert_msg(!proc_alive(sim), "the simulator %d outlived rappeld", (int)sim);
	/* what a killed rappeld could not remove */
	slash = strrchr(simlog, '/');
	*slash = '\0';
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", simlog);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* The simulator dies while rappeld runs: started again, the modem sends again. */
START_TEST(test_started_again)
{
	pid_t first, again = 0;
	json_int_t id;
	int waited;

	ck_assert_msg(wait_ready(), "the simulated modem is not ready");
	first = simulator();
	ck_assert_int_eq(kill(first, SIGKILL), 0);
	for (waited = 0; waited < SIM_WAIT_MS; waited += 100) {
		if (proc_children(E.pid, &again) == 1 && again != first)
			break;
		e2e_sleep_ms(100);
	}
	ck_assert_msg(again != 0 && again != first, "no new simulator");
	id = e2e_send_sms(&E, &A, "06 12 34 56 78", "Rappel : permanence CAF mardi 9h.");
	ck_assert_msg(wait_sent(id), "the message was not sent after the restart");
	ck_assert_msg(modem_is("ready"), "the modem is not ready");
}
END_TEST

/*
 * A simulator program that cannot be run, or that ends at once: rappeld
 * stops at start and says which and how.
 */
START_TEST(test_program_missing)
{
	char out[8192];
	char *argv[] = { getenv("RAPPELD"), (char *)"-c", E.conf, NULL };

	e2e_halt(&E);
	ck_assert_int_eq(setenv("RAPPEL_MODEMSIM", "/nonexistent/rappel-modemsim", 1), 0);
	ck_assert_int_eq(e2e_run(NULL, out, sizeof(out), true, argv), 1);
	ck_assert_msg(strstr(out, "RAPPEL_MODEMSIM=/nonexistent/rappel-modemsim cannot be run")
	    != NULL, "rappeld said: %s", out);
	ck_assert_int_eq(setenv("RAPPEL_MODEMSIM", "/bin/false", 1), 0);
	ck_assert_int_eq(e2e_run(NULL, out, sizeof(out), true, argv), 1);
	ck_assert_msg(strstr(out, "the simulated modem /bin/false ended at start, exit status 1")
	    != NULL, "rappeld said: %s", out);
}
END_TEST

/* The id of the first message of campaign id, once queued; 0 on time-out. */
static json_int_t
wait_campaign_message(json_int_t id)
{
	char path[96];
	json_int_t msg = 0;
	json_t *j;
	int waited;

	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld", (long long)id);
	for (waited = 0; msg == 0 && waited < SIM_WAIT_MS; waited += 100) {
		j = e2e_get(&E, &A, path);
		msg = json_integer_value(json_object_get(json_array_get(j, 0), "id"));
		json_decref(j);
		if (msg == 0)
			e2e_sleep_ms(100);
	}
	return msg;
}

/* The answer of contact for session key of atelier ev ("none" when not listed). */
static const char *
answer_of(json_int_t ev, json_int_t key, json_int_t contact)
{
	static char answer[8];
	char path[128];
	json_t *j, *r;
	size_t i;

	snprintf(path, sizeof(path), "/api/v1/events/%lld/rsvps?occurrence=%lld", (long long)ev,
	    (long long)key);
	j = e2e_get(&E, &A, path);
	snprintf(answer, sizeof(answer), "none");
	json_array_foreach(json_object_get(j, "rsvps"), i, r)
		if (json_integer_value(json_object_get(r, "contact_id")) == contact)
			snprintf(answer, sizeof(answer), "%s",
			    json_string_value(json_object_get(r, "answer")));
	json_decref(j);
	return answer;
}

/*
 * An invitation whose answer holds for the whole cycle (reply_for
 * "cycle"): the OUI that comes back through the simulated modem is the
 * answer for every session of the atelier, a cancelled one left aside;
 * the campaign counts one yes.
 */
START_TEST(test_reply_for_cycle)
{
	char body[512], start[32], end[32], path[96];
	json_int_t contact, group, ev, camp, keys[3];
	json_t *j;
	struct e2e_resp r;
	int waited;
	size_t i;

	ck_assert_msg(wait_ready(), "the simulated modem is not ready");
	contact = json_integer_value(json_object_get(j = e2e_expect(&E, &A, "POST",
	    "/api/v1/contacts", "{\"first_name\":\"Lina\",\"last_name\":\"Cycle\","
	    "\"phone\":\"06 12 34 57 93\"}", 201), "id"));
	json_decref(j);
	snprintf(body, sizeof(body), "{\"name\":\"Tricot\",\"contact_ids\":[%lld]}",
	    (long long)contact);
	group = json_integer_value(json_object_get(j = e2e_expect(&E, &A, "POST",
	    "/api/v1/groups", body, 201), "id"));
	json_decref(j);
	e2e_iso_in(2 * 86400, start, sizeof(start));
	e2e_iso_in(2 * 86400 + 7200, end, sizeof(end));
	snprintf(body, sizeof(body), "{\"title\":\"Cycle tricot\",\"starts_at\":\"%s\","
	    "\"ends_at\":\"%s\",\"rrule\":\"FREQ=WEEKLY;COUNT=4\",\"group_ids\":[%lld]}", start,
	    end, (long long)group);
	ev = json_integer_value(json_object_get(j = e2e_expect(&E, &A, "POST", "/api/v1/events",
	    body, 201), "id"));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/occurrences", (long long)ev);
	j = e2e_get(&E, &A, path);
	ck_assert_int_eq(json_array_size(j), 4);
	for (i = 0; i < 3; i++)
		keys[i] = json_integer_value(json_object_get(json_array_get(j, i), "occurrence"));
	/* the third session is cancelled */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/occurrences/%lld", (long long)ev,
	    (long long)json_integer_value(json_object_get(json_array_get(j, 2), "occurrence")));
	json_decref(j);
	json_decref(e2e_expect(&E, &A, "PATCH", path, "{\"cancelled\":true}", 200));
	e2e_iso_in(0, start, sizeof(start));
	snprintf(body, sizeof(body), "{\"name\":\"Invitation tricot\",\"body\":\"Bonjour {prenom}, "
	    "cycle tricot. Répondez OUI ou NON.\",\"audience\":{\"event_id\":%lld},"
	    "\"ask_reply\":true,\"reply_for\":\"cycle\",\"schedule\":{\"at\":\"%s\"}}",
	    (long long)ev, start);
	camp = json_integer_value(json_object_get(j = e2e_expect(&E, &A, "POST",
	    "/api/v1/campaigns", body, 201), "id"));
	ck_assert_str_eq(json_string_value(json_object_get(j, "reply_for")), "cycle");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", (long long)camp);
	json_decref(e2e_expect(&E, &A, "POST", path, NULL, 200));
	ck_assert_msg(wait_sent(wait_campaign_message(camp)), "the invitation was not sent");

	ck_assert_int_eq(e2e_call(&E, &A, "POST", "/api/v1/simulator/replies",
	    "{\"from\":\"06 12 34 57 93\",\"body\":\"OUI\"}", &r), 202);
	e2e_resp_free(&r);
	for (waited = 0; waited < SIM_WAIT_MS && strcmp(answer_of(ev, keys[0], contact), "yes");
	    waited += 100)
		e2e_sleep_ms(100);
	ck_assert_str_eq(answer_of(ev, keys[0], contact), "yes");
	ck_assert_str_eq(answer_of(ev, keys[1], contact), "yes");
	/* the fourth session too, not the cancelled third */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/occurrences", (long long)ev);
	j = e2e_get(&E, &A, path);
	ck_assert_str_eq(answer_of(ev, json_integer_value(json_object_get(json_array_get(j, 3),
	    "occurrence")), contact), "yes");
	json_decref(j);
	ck_assert_str_eq(answer_of(ev, keys[2], contact), "none");
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld", (long long)camp);
	j = e2e_get(&E, &A, path);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "answers"), "yes")),
	    1);
	json_decref(j);
}
END_TEST

static Suite *
simulator_suite(void)
{
	Suite *s = suite_create("simulator");
	TCase *tc = tcase_create("process");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_own_process_round_trip);
	tcase_add_test(tc, test_dies_with_rappeld);
	tcase_add_test(tc, test_started_again);
	tcase_add_test(tc, test_program_missing);
	tcase_add_test(tc, test_reply_for_cycle);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(simulator_suite)
