/*
 * check_setup — the first-run assistant: the configuration it writes
 * (kept sections, refused values), modem discovery with plain AT against
 * the modem simulator (and a port that is not a modem), and the whole
 * `rappelctl setup` as a volunteer answers it: the simulator found under a
 * by-id name, the PIN asked, the admin account created, the test SMS
 * received by the simulated network, and rappeld starting on the result.
 */
#include <check.h>
#include <fcntl.h>
#include <jansson.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "e2e.h"
#include "modemsim.h"
#include "setup.h"
#include "test_main.h"

#define BY_ID "usb-HUAWEI_Technology_HUAWEI_Mobile-if00-port0"

static char DIR_[64], SIM_LINK[256], SIM_LOG[160], DEVICES[128];
static struct modemsim *SIM;

static void
setup_tmp(void)
{
	snprintf(DIR_, sizeof(DIR_), "/tmp/rappel-setup-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(DIR_));
	snprintf(DEVICES, sizeof(DEVICES), "%s/by-id", DIR_);
	ck_assert_int_eq(mkdir(DEVICES, 0700), 0);
}

static void
teardown_tmp(void)
{
	char cmd[128];

	modemsim_free(SIM);
	SIM = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", DIR_);
	ck_assert_int_eq(system(cmd), 0);
}

/* The simulator behind DEVICES/BY_ID, as udev names a stick. */
static void
sim_start(const char *pin)
{
	struct modemsim_options opt = { 0 };

	snprintf(SIM_LINK, sizeof(SIM_LINK), "%s/%s", DEVICES, BY_ID);
	snprintf(SIM_LOG, sizeof(SIM_LOG), "%s/modem.jsonl", DIR_);
	opt.link_path = SIM_LINK;
	opt.log_path = SIM_LOG;
	opt.pin = pin;
	ck_assert_ptr_nonnull(SIM = modemsim_new(&opt));
	ck_assert_int_eq(modemsim_start(SIM), 0);
}

/*
 * net/IFACE as sysfs shows it: device/driver a link to a driver called
 * driver, and the USB device's idVendor and idProduct (usb "VVVV:PPPP").
 */
static void
mkdir_driver(const char *net, const char *iface, const char *driver, const char *usb)
{
	char dev[400], path[1400], link[1024];
	FILE *f;

	snprintf(dev, sizeof(dev), "%s/../sys-%s/1-1/1-1:1.0", net, iface);
	snprintf(path, sizeof(path), "mkdir -p '%s' '%s/../drivers/%s' '%s/%s'", dev, dev,
	    driver, net, iface);
	ck_assert_int_eq(system(path), 0);
	snprintf(path, sizeof(path), "%s/../drivers/%s", dev, driver);
	snprintf(link, sizeof(link), "%s/driver", dev);
	ck_assert_int_eq(symlink(path, link), 0);
	snprintf(link, sizeof(link), "%s/%s/device", net, iface);
	ck_assert_int_eq(symlink(dev, link), 0);
	if (usb == NULL)
		return;
	snprintf(path, sizeof(path), "%s/../idVendor", dev);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fprintf(f, "%.4s\n", usb);
	fclose(f);
	snprintf(path, sizeof(path), "%s/../idProduct", dev);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fprintf(f, "%s\n", usb + 5);
	fclose(f);
}

static char *
read_all(const char *path)
{
	size_t len;
	char *s = e2e_read_file(path, &len);

	ck_assert_msg(s != NULL, "cannot read %s", path);
	return s;
}

START_TEST(setup_test_write_new)
{
	struct setup_answers a = { "Centre social Jacques Brel", "03 21 00 00 00",
		"/dev/serial/by-id/usb-x-if00-port0", "1234", true };
	char path[128], err[512] = "";
	struct config *cfg;
	struct stat sb;

	setup_tmp();
	snprintf(path, sizeof(path), "%s/rappel.conf", DIR_);
	ck_assert_msg(setup_write_config(path, &a, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0640);	/* it holds the PIN */
	ck_assert_ptr_nonnull(cfg = config_load(path, err, sizeof(err)));
	ck_assert_str_eq(cfg->centre_name, "Centre social Jacques Brel");
	ck_assert_str_eq(cfg->centre_phone, "03 21 00 00 00");
	ck_assert_str_eq(cfg->http_listen, "0.0.0.0:8080");
	ck_assert_uint_eq(cfg->nmodems, 1);
	ck_assert_str_eq(cfg->modems[0].device, "/dev/serial/by-id/usb-x-if00-port0");
	ck_assert_str_eq(cfg->modems[0].pin, "1234");
	ck_assert_str_eq(cfg->db_path, "/var/lib/rappel/rappel.db");
	ck_assert_int_eq(cfg->retention_months, 24);
	config_free(cfg);
	teardown_tmp();
}
END_TEST

START_TEST(setup_test_rewrite_keeps_the_rest)
{
	static const char before[] =
	    "[centre]\nname = Ancien nom\nphone = 03 21 00 00 00\ntimezone = Europe/Brussels\n\n"
	    "[database]\npath = /srv/rappel.db\n\n"
	    "[http]\nlisten = 127.0.0.1:9090\ntls_cert = /etc/rappel/c.pem\n"
	    "tls_key = /etc/rappel/k.pem\n\n"
	    "[sending]\nhours = 09:00-18:00   ; a comment kept\n\n"
	    "[modem]\ndevice = /dev/ttyUSB0\npin = 0000\n\n"
	    "[modem.2]\ndevice = /dev/ttyUSB3\n";
	struct setup_answers a = { "Centre social du Lac", "03 20 11 22 33", NULL, NULL, false };
	char path[128], aside[160], err[512] = "", *text;
	struct config *cfg;
	FILE *f;

	setup_tmp();
	snprintf(path, sizeof(path), "%s/rappel.conf", DIR_);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(before, f);
	fclose(f);
	ck_assert_msg(setup_write_config(path, &a, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(cfg = config_load(path, err, sizeof(err)));
	ck_assert_str_eq(cfg->centre_name, "Centre social du Lac");
	ck_assert_str_eq(cfg->timezone, "Europe/Brussels");
	ck_assert_str_eq(cfg->db_path, "/srv/rappel.db");
	ck_assert_str_eq(cfg->http_listen, "127.0.0.1:9090");	/* not opened: kept */
	ck_assert_str_eq(cfg->tls_cert, "/etc/rappel/c.pem");
	ck_assert_int_eq(cfg->send_start_min, 9 * 60);
	ck_assert_uint_eq(cfg->nmodems, 0);	/* both old modems replaced by none */
	config_free(cfg);
	text = read_all(path);
	ck_assert_ptr_nonnull(strstr(text, "; a comment kept"));
	free(text);
	snprintf(aside, sizeof(aside), "%s.avant-setup", path);
	text = read_all(aside);
	ck_assert_str_eq(text, before);
	free(text);

	/* then opened to the network: the listen line of [http] replaced */
	a.network = true;
	ck_assert_msg(setup_write_config(path, &a, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(cfg = config_load(path, err, sizeof(err)));
	ck_assert_str_eq(cfg->http_listen, "0.0.0.0:8080");
	ck_assert_str_eq(cfg->tls_key, "/etc/rappel/k.pem");
	config_free(cfg);
	teardown_tmp();
}
END_TEST

START_TEST(setup_test_refused_values)
{
	struct setup_answers a = { "Centre ; social", "03 21 00 00 00", NULL, NULL, false };
	char path[128], err[512] = "";

	setup_tmp();
	snprintf(path, sizeof(path), "%s/rappel.conf", DIR_);
	ck_assert_int_eq(setup_write_config(path, &a, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "may not be empty nor hold") != NULL, "%s", err);
	a.centre_name = "Centre\n[modem]";
	ck_assert_int_eq(setup_write_config(path, &a, err, sizeof(err)), -1);
	a.centre_name = "";
	ck_assert_int_eq(setup_write_config(path, &a, err, sizeof(err)), -1);
	ck_assert_int_eq(access(path, F_OK), -1);	/* nothing written */
	teardown_tmp();
}
END_TEST

START_TEST(setup_test_probe)
{
	struct setup_modem found[4], m;
	char err[256] = "", silent[160];
	int master, slave;

	setup_tmp();
	sim_start("1234");
	/* a port that never answers, as a stick's diagnostics port */
	ck_assert_int_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
	snprintf(silent, sizeof(silent), "%s/usb-HUAWEI_Mobile-if02-port2", DEVICES);
	ck_assert_int_eq(symlink(ttyname(slave), silent), 0);

	ck_assert_int_eq(setup_probe(silent, &m, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "no answer to AT") != NULL, "%s", err);
	ck_assert_uint_eq(setup_find(DEVICES, found, 4), 1);
	ck_assert_str_eq(found[0].path, SIM_LINK);
	ck_assert_str_eq(found[0].sim, "SIM PIN");
	ck_assert_msg(found[0].model[0] != '\0', "no model");
	ck_assert_uint_eq(setup_find("/nonexistent/by-id", found, 4), 0);
	close(master);
	close(slave);
	teardown_tmp();
}
END_TEST

/*
 * A Huawei stick in modem mode: three ports, of which only the last in
 * name order answers AT; it chatters (^RSSI, ^BOOT...) between answers,
 * which must not be taken for its maker or model.
 */
START_TEST(setup_test_probe_huawei_ports)
{
	struct modemsim_options opt = { 0 };
	struct setup_modem found[4];
	char diag[256], pcui[256], err[256];
	int i;

	setup_tmp();
	snprintf(SIM_LINK, sizeof(SIM_LINK), "%s/usb-HUAWEI_Mobile-if02-port0", DEVICES);
	snprintf(diag, sizeof(diag), "%s/usb-HUAWEI_Mobile-if00-port0", DEVICES);
	snprintf(pcui, sizeof(pcui), "%s/usb-HUAWEI_Mobile-if01-port0", DEVICES);
	opt.link_path = SIM_LINK;
	opt.personality = "huawei";
	opt.diag_link = diag;
	opt.pcui_link = pcui;
	ck_assert_ptr_nonnull(SIM = modemsim_new(&opt));
	ck_assert_int_eq(modemsim_start(SIM), 0);
	ck_assert_uint_eq(setup_find(DEVICES, found, 4), 1);
	ck_assert_str_eq(found[0].path, SIM_LINK);
	for (i = 0; i < 8; i++) {	/* the chatter lands anywhere: again and again */
		if (i > 0)
			ck_assert_int_eq(setup_probe(SIM_LINK, &found[0], err, sizeof(err)), 0);
		ck_assert_str_eq(found[0].model, "huawei E3131");
		ck_assert_str_eq(found[0].sim, "READY");
		usleep(250000);
	}
	teardown_tmp();
}
END_TEST

/* A HiLink stick is a network card (cdc_ether, rndis_host), not a modem. */
START_TEST(setup_test_hilink)
{
	char net[128], found[4][SETUP_HILINK_MAX];

	setup_tmp();
	snprintf(net, sizeof(net), "%s/net", DIR_);
	ck_assert_int_eq(mkdir(net, 0700), 0);
	ck_assert_uint_eq(setup_find_hilink(net, found, 4), 0);
	/* the Pi's own Ethernet, a HiLink E3372h, an E8372 (rndis) */
	mkdir_driver(net, "eth0", "bcmgenet", NULL);
	mkdir_driver(net, "eth1", "cdc_ether", "12d1:14db");
	mkdir_driver(net, "usb0", "rndis_host", "12d1:14dc");
	ck_assert_uint_eq(setup_find_hilink(net, found, 4), 2);
	ck_assert_str_eq(found[0], "eth1 (cdc_ether, USB 12d1:14db)");
	ck_assert_str_eq(found[1], "usb0 (rndis_host, USB 12d1:14dc)");
	ck_assert_uint_eq(setup_find_hilink("/nonexistent", found, 4), 0);
	teardown_tmp();
}
END_TEST

/* Received texts of the simulator's log that contain needle. */
static int
sim_received(const char *needle)
{
	char *log = read_all(SIM_LOG), *line, *save = NULL;
	int n = 0;

	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *o = json_loads(line, 0, NULL);
		const char *text = json_string_value(json_object_get(o, "text"));
		if (text && strcmp(json_string_value(json_object_get(o, "event")), "submit") == 0 &&
		    strstr(text, needle))
			n++;
		json_decref(o);
	}
	free(log);
	return n;
}

START_TEST(setup_test_whole_assistant)
{
	char conf[128], out[8192], answers[512];
	char *argv[] = { (char *)getenv("RAPPELCTL"), (char *)"-c", conf, (char *)"setup",
		(char *)"--devices", DEVICES, NULL };
	struct config *cfg;
	int rc;

	ck_assert_ptr_nonnull(argv[0]);
	setup_tmp();
	sim_start("4321");
	snprintf(conf, sizeof(conf), "%s/rappel.conf", DIR_);
	/* an installed example: the database where the tests may write */
	{
		FILE *f = fopen(conf, "w");
		ck_assert_ptr_nonnull(f);
		fprintf(f, "[centre]\nname = Centre social Jacques Brel\nphone = 03 21 00 00 00\n"
		    "[database]\npath = %s/rappel.db\n[http]\nlisten = 127.0.0.1:8080\n", DIR_);
		fclose(f);
	}
	/* modem 1, its PIN, the centre, not on the network, the admin, the test number */
	snprintf(answers, sizeof(answers), "1\n4321\nCentre social du Lac\n03 20 11 22 33\nn\n"
	    "directrice\nun-mot-de-passe-solide\nun-mot-de-passe-solide\n06 39 98 00 77\n");
	rc = e2e_run(answers, out, sizeof(out), true, argv);
	ck_assert_msg(rc == 0, "setup: %d: %s", rc, out);
	ck_assert_msg(strstr(out, BY_ID) != NULL, "the modem was not listed: %s", out);
	ck_assert_msg(strstr(out, "code PIN demandé") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "test SMS sent to +33639980077") != NULL, "%s", out);

	/* the simulated network received it, signed with the centre's name */
	ck_assert_int_eq(sim_received("ce SMS vient de Centre social du Lac"), 1);
	ck_assert_ptr_nonnull(cfg = config_load(conf, out, sizeof(out)));
	ck_assert_str_eq(cfg->centre_name, "Centre social du Lac");
	ck_assert_str_eq(cfg->modems[0].device, SIM_LINK);
	ck_assert_str_eq(cfg->modems[0].pin, "4321");
	config_free(cfg);

	/* rappeld accepts what setup wrote, and the account is there */
	{
		char *check[] = { (char *)getenv("RAPPELD"), (char *)"--check-config", (char *)"-c",
			conf, NULL };
		char *list[] = { (char *)getenv("RAPPELCTL"), (char *)"-c", conf, (char *)"user",
			(char *)"list", NULL };

		ck_assert_ptr_nonnull(check[0]);
		rc = e2e_run(NULL, out, sizeof(out), true, check);
		ck_assert_msg(rc == 0, "rappeld --check-config: %s", out);
		rc = e2e_run(NULL, out, sizeof(out), true, list);
		ck_assert_msg(rc == 0 && strstr(out, "directrice") && strstr(out, "admin"), "%s",
		    out);
	}

	/* a second run while the lock is held (rappeld running) is refused */
	{
		char err[256];
		char lockpath[160];
		int fd;

		snprintf(lockpath, sizeof(lockpath), "%s/rappel.db", DIR_);
		ck_assert_int_ge(fd = db_lock(lockpath, err, sizeof(err)), 0);
		rc = e2e_run(answers, out, sizeof(out), true, argv);
		ck_assert_int_eq(rc, 1);
		ck_assert_msg(strstr(out, "in use by a running rappeld") != NULL, "%s", out);
		close(fd);
	}
	teardown_tmp();
}
END_TEST

static Suite *
setup_suite(void)
{
	Suite *s = suite_create("setup");
	TCase *tc;

	tc = tcase_create("configuration");
	tcase_add_test(tc, setup_test_write_new);
	tcase_add_test(tc, setup_test_rewrite_keeps_the_rest);
	tcase_add_test(tc, setup_test_refused_values);
	suite_add_tcase(s, tc);
	tc = tcase_create("modems");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, setup_test_probe);
	tcase_add_test(tc, setup_test_probe_huawei_ports);
	tcase_add_test(tc, setup_test_hilink);
	suite_add_tcase(s, tc);
	tc = tcase_create("assistant");
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, setup_test_whole_assistant);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(setup_suite)
