/*
 * check_modems — four modems on one queue, end to end: the real rappeld,
 * libgammu's AT driver, and four modem simulators (tools/modemsim) owned
 * by this test process, each taking the same time per send.
 *
 * A campaign shares its messages among the four (each about a quarter),
 * and a second campaign to the same people leaves, for each of them, from
 * the SIM that wrote to them the first time (messages.sender, queue.h):
 * the sticky sender holds no modem idle while another's share is long.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"
#include "modemsim.h"
#include "test_main.h"

#define NMODEMS 4
#define NCONTACTS 40
#define SEND_MS 200			/* each simulator's time per send */
#define WAIT_MS 120000			/* upper bound for anything to happen */

static struct e2e E;
static struct e2e_client A;
static struct modemsim *SIM[NMODEMS];
static char SIM_DIR[64];

static void
setup(void)
{
	char extra[1024], link[NMODEMS][128], log[128];
	struct modemsim_options opt = { 0 };
	size_t n = 0;
	int i;

	snprintf(SIM_DIR, sizeof(SIM_DIR), "/tmp/rappel-sims-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(SIM_DIR));
	n += (size_t)snprintf(extra + n, sizeof(extra) - n, "[sending]\nretry_delay = 1\n"
	    "hours = 00:00-24:00\ndays = mon,tue,wed,thu,fri,sat,sun\nmax_per_minute = 600\n"
	    "max_per_day = 100000\n");
	for (i = 0; i < NMODEMS; i++) {
		snprintf(link[i], sizeof(link[i]), "%s/ttyUSB%d", SIM_DIR, i);
		snprintf(log, sizeof(log), "%s/modem%d.jsonl", SIM_DIR, i);
		opt.link_path = link[i];
		opt.log_path = log;
		SIM[i] = modemsim_new(&opt);
		ck_assert_ptr_nonnull(SIM[i]);
		modemsim_set_registered(SIM[i], true);
		ck_assert_int_eq(modemsim_start(SIM[i]), 0);
		if (i == 0)
			n += (size_t)snprintf(extra + n, sizeof(extra) - n,
			    "[modem]\ndevice = %s\n", link[i]);
		else
			n += (size_t)snprintf(extra + n, sizeof(extra) - n,
			    "[modem.%d]\ndevice = %s\n", i + 1, link[i]);
		ck_assert_uint_lt(n, sizeof(extra));
	}
	e2e_start_with(&E, extra);
	e2e_client_init(&A);
	ck_assert_int_eq(e2e_login(&E, &A, E2E_ADMIN, E2E_ADMIN_PW), 200);
}

static void
teardown(void)
{
	char cmd[128];
	int i;

	e2e_client_free(&A);
	e2e_stop(&E);
	for (i = 0; i < NMODEMS; i++) {
		modemsim_free(SIM[i]);
		SIM[i] = NULL;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", SIM_DIR);
	ck_assert_int_eq(system(cmd), 0);
}

/* Waits until every modem of /status is ready. */
static void
wait_ready(void)
{
	json_t *st, *o;
	size_t i, ready;
	int waited;

	for (waited = 0; waited < WAIT_MS; waited += 200) {
		st = e2e_get(&E, &A, "/api/v1/status");
		ready = 0;
		json_array_foreach(json_object_get(st, "modems"), i, o)
			ready += strcmp(json_string_value(json_object_get(o, "state")), "ready") == 0;
		json_decref(st);
		if (ready == NMODEMS)
			return;
		e2e_sleep_ms(200);
	}
	ck_abort_msg("the %d modems are not ready", NMODEMS);
}

/* POSTs and returns the "id" of the answer, status want expected. */
static json_int_t
post_id(const char *path, const char *body, long want)
{
	struct e2e_resp r;
	json_int_t id;

	ck_assert_msg(e2e_call(&E, &A, "POST", path, body, &r) == want, "POST %s: %ld %s",
	    path, r.status, r.body);
	id = json_integer_value(json_object_get(r.json, "id"));
	e2e_resp_free(&r);
	return id;
}

/* Schedules a campaign to group now; its id. */
static json_int_t
campaign_now(json_int_t group, const char *name)
{
	char body[512], at[32], path[64];
	time_t t = time(NULL);
	struct e2e_resp r;
	struct tm tm;
	json_int_t id;

	gmtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"body\":\"Bonjour {prenom}, atelier "
	    "jeudi.\",\"audience\":{\"group_ids\":[%lld]},\"schedule\":{\"at\":\"%s\"}}", name,
	    (long long)group, at);
	id = post_id("/api/v1/campaigns", body, 201);
	snprintf(path, sizeof(path), "/api/v1/campaigns/%lld/schedule", (long long)id);
	ck_assert_int_eq(e2e_call(&E, &A, "POST", path, "{}", &r) / 100, 2);
	e2e_resp_free(&r);
	return id;
}

/*
 * Waits until the campaign's NCONTACTS messages are sent; fills modem_of
 * (by contact, indexed as ids) with the modem that sent each, and per
 * (by modem number, 0 for "modem", 1 for "modem.2" ...).
 */
static void
wait_sent(json_int_t campaign, const json_int_t *ids, char modem_of[][16], int *per)
{
	char path[96];
	json_t *list, *o;
	size_t i, sent = 0, k;
	int waited;

	snprintf(path, sizeof(path), "/api/v1/messages?campaign_id=%lld", (long long)campaign);
	for (waited = 0; waited < WAIT_MS; waited += 200) {
		list = e2e_get(&E, &A, path);
		sent = 0;
		json_array_foreach(list, i, o)
			sent += strcmp(json_string_value(json_object_get(o, "status")), "sent") == 0;
		if (sent == NCONTACTS && json_array_size(list) == NCONTACTS)
			break;
		json_decref(list);
		list = NULL;
		e2e_sleep_ms(200);
	}
	if (list == NULL)
		e2e_dump_log(&E);	/* which modem stopped, and why */
	ck_assert_msg(list != NULL, "campaign %lld: %zu of %d sent", (long long)campaign, sent,
	    NCONTACTS);
	memset(per, 0, NMODEMS * sizeof(*per));
	json_array_foreach(list, i, o) {
		const char *modem = json_string_value(json_object_get(o, "modem"));
		json_int_t contact = json_integer_value(json_object_get(o, "contact_id"));
		int n = strcmp(modem, "modem") == 0 ? 0 :
		    strncmp(modem, "modem.", 6) == 0 ? atoi(modem + 6) - 1 : -1;

		ck_assert_msg(n >= 0 && n < NMODEMS, "modem %s", modem);
		per[n]++;
		for (k = 0; k < NCONTACTS && ids[k] != contact; k++)
			;
		ck_assert_uint_lt(k, NCONTACTS);
		snprintf(modem_of[k], sizeof(modem_of[k]), "%s", modem);
	}
	json_decref(list);
}

START_TEST(test_four_modems_share_and_keep_senders)
{
	char csv[NCONTACTS * 48 + 64], first[NCONTACTS][16], again[NCONTACTS][16];
	char group[NCONTACTS * 12 + 64];
	json_int_t ids[NCONTACTS], c1, c2, gid;
	int per1[NMODEMS], per2[NMODEMS];
	struct e2e_resp r;
	json_t *list, *o;
	size_t n = 0, i;
	int m;

	wait_ready();
	for (m = 0; m < NMODEMS; m++)
		modemsim_set_latency(SIM[m], 0, SEND_MS);
	n += (size_t)snprintf(csv, sizeof(csv), "Prénom;Nom;Téléphone\n");
	for (i = 0; i < NCONTACTS; i++)
		n += (size_t)snprintf(csv + n, sizeof(csv) - n, "P%zu;Quatre;06 77 00 %02zu %02zu\n",
		    i, i / 100, i % 100);
	ck_assert_int_eq(e2e_request(&E, &A, "POST", "/api/v1/contacts/import", "text/csv",
	    csv, n, &r), 200);
	e2e_resp_free(&r);
	list = e2e_get(&E, &A, "/api/v1/contacts?q=quatre");
	ck_assert_uint_eq(json_array_size(list), NCONTACTS);
	n = (size_t)snprintf(group, sizeof(group), "{\"name\":\"Quatre\",\"contact_ids\":[");
	json_array_foreach(list, i, o) {
		ids[i] = json_integer_value(json_object_get(o, "id"));
		n += (size_t)snprintf(group + n, sizeof(group) - n, "%s%lld", i ? "," : "",
		    (long long)ids[i]);
	}
	snprintf(group + n, sizeof(group) - n, "]}");
	json_decref(list);
	gid = post_id("/api/v1/groups", group, 201);

	/* first campaign: nobody has a sender yet, the four share the work */
	c1 = campaign_now(gid, "Premier");
	wait_sent(c1, ids, first, per1);
	printf("modems: %d messages spread %d / %d / %d / %d\n", NCONTACTS, per1[0], per1[1],
	    per1[2], per1[3]);
	for (m = 0; m < NMODEMS; m++)
		ck_assert_msg(per1[m] >= NCONTACTS / NMODEMS / 2 &&
		    per1[m] <= NCONTACTS / NMODEMS * 2, "modem %d sent %d of %d", m + 1, per1[m],
		    NCONTACTS);

	/* second campaign: each person hears from the same SIM as the first time */
	c2 = campaign_now(gid, "Second");
	wait_sent(c2, ids, again, per2);
	printf("modems: again %d / %d / %d / %d\n", per2[0], per2[1], per2[2], per2[3]);
	for (i = 0; i < NCONTACTS; i++)
		ck_assert_msg(strcmp(first[i], again[i]) == 0, "contact %lld: %s, then %s",
		    (long long)ids[i], first[i], again[i]);
	for (m = 0; m < NMODEMS; m++)
		ck_assert_int_eq(per2[m], per1[m]);
}
END_TEST

static Suite *
modems_suite(void)
{
	Suite *s = suite_create("modems");
	TCase *tc = tcase_create("four");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_four_modems_share_and_keep_senders);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(modems_suite)
