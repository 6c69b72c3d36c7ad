/*
 * check_config — the configuration file: defaults, every section, and
 * errors that name the file, the line and the reason.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "test_main.h"

static const char config_full[] =
    "[centre]\n"
    "name = Centre social Jacques Brel      ; used in {centre}\n"
    "phone = 03 21 00 00 00\n"
    "timezone = Europe/Paris\n"
    "\n"
    "[database]\n"
    "path = /var/lib/rappel/test.db\n"
    "\n"
    "[http]\n"
    "listen = [::]:8081\n"
    "\n"
    "[sending]\n"
    "hours = 09:00-18:30\n"
    "days = mon,tue,wed,thu,fri\n"
    "max_per_minute = 4\n"
    "max_per_day = 300\n"
    "\n"
    "[modem]\n"
    "device = /dev/ttyUSB0\n"
    "pin = 1234\n"
    "\n"
    "[modem.2]\n"
    "device = simulator\n"
    "connection = at19200\n";

/* Loads text and expects an error that contains want. */
static void
config_expect_error(const char *text, const char *want)
{
	char err[512] = "";
	struct config *cfg = config_load_string(text, "test.conf", err, sizeof(err));

	ck_assert_msg(cfg == NULL, "accepted a bad config, wanted error '%s'", want);
	ck_assert_msg(strstr(err, want) != NULL, "error '%s' lacks '%s'", err, want);
}

START_TEST(config_test_full)
{
	char err[512] = "";
	struct config *cfg = config_load_string(config_full, "test.conf", err, sizeof(err));

	ck_assert_msg(cfg != NULL, "%s", err);
	ck_assert_str_eq(cfg->centre_name, "Centre social Jacques Brel");
	ck_assert_str_eq(cfg->centre_phone, "03 21 00 00 00");
	ck_assert_str_eq(cfg->db_path, "/var/lib/rappel/test.db");
	ck_assert_str_eq(cfg->http_listen, "[::]:8081");
	ck_assert_int_eq(cfg->http_addr.ss_family, AF_INET6);
	ck_assert_int_eq(cfg->send_start_min, 9 * 60);
	ck_assert_int_eq(cfg->send_end_min, 18 * 60 + 30);
	ck_assert_uint_eq(cfg->send_days, 0x1f);
	ck_assert_int_eq(cfg->max_per_minute, 4);
	ck_assert_int_eq(cfg->max_per_day, 300);
	ck_assert_uint_eq(cfg->nmodems, 2);
	ck_assert_str_eq(cfg->modems[0].name, "modem");
	ck_assert_str_eq(cfg->modems[0].device, "/dev/ttyUSB0");
	ck_assert_str_eq(cfg->modems[0].connection, "at115200");
	ck_assert_str_eq(cfg->modems[0].pin, "1234");
	ck_assert_str_eq(cfg->modems[1].name, "modem.2");
	ck_assert_str_eq(cfg->modems[1].device, "simulator");
	ck_assert_str_eq(cfg->modems[1].connection, "at19200");
	ck_assert_ptr_null(cfg->modems[1].pin);
	config_free(cfg);
}
END_TEST

START_TEST(config_test_defaults)
{
	char err[512] = "";
	struct config *cfg = config_load_string("[centre]\nname = X\nphone = 01\n",
	    "test.conf", err, sizeof(err));

	ck_assert_msg(cfg != NULL, "%s", err);
	ck_assert_str_eq(cfg->timezone, "Europe/Paris");
	ck_assert_str_eq(cfg->db_path, "/var/lib/rappel/rappel.db");
	ck_assert_str_eq(cfg->http_listen, "127.0.0.1:8080");
	ck_assert_int_eq(cfg->send_start_min, 8 * 60 + 30);
	ck_assert_int_eq(cfg->send_end_min, 19 * 60 + 30);
	ck_assert_uint_eq(cfg->send_days, 0x3f);	/* monday to saturday */
	ck_assert_int_eq(cfg->max_per_minute, 6);
	ck_assert_int_eq(cfg->max_per_day, 500);
	ck_assert_uint_eq(cfg->nmodems, 0);
	ck_assert_ptr_null(cfg->tls_cert);
	config_free(cfg);
}
END_TEST

START_TEST(config_test_errors_name_line)
{
	config_expect_error("[centre]\nname = X\nphone = 01\ncolour = blue\n",
	    "test.conf:4: unknown key 'colour' in section [centre]");
	config_expect_error("[centre]\nname = X\nphone = 01\n[sending]\n\nmax_per_minute = six\n",
	    "test.conf:6: [sending] max_per_minute: expected a number from 1 to 6000, got 'six'");
	config_expect_error("[centre]\nname = X\nname = Y\n",
	    "test.conf:3: key 'name' appears twice");
	config_expect_error("[centre]\nname = X\nphone = 01\n[smtp]\nhost = x\n",
	    "test.conf:5: unknown section [smtp]");
	config_expect_error("[centre]\nname = X\nphone = 01\nthis is not a key\n",
	    "test.conf:4: syntax error");
	config_expect_error("[centre]\nname = X\nphone = 01\n[sending]\nhours = 19:00-08:00\n",
	    "test.conf:5: [sending] hours");
	config_expect_error("[centre]\nname = X\nphone = 01\n[sending]\ndays = lundi\n",
	    "test.conf:5: [sending] days");
	config_expect_error("[centre]\nname = X\nphone = 01\n[http]\nlisten = localhost\n",
	    "test.conf:5: [http] listen");
	config_expect_error("[centre]\nname = X\nphone = 01\ntimezone = Mars/Olympus\n",
	    "test.conf:4: [centre] timezone: unknown time zone 'Mars/Olympus'");
	config_expect_error("[centre]\nname = X\nphone = 01\n[modem]\ndevice = /dev/x\npin = 12\n",
	    "test.conf:6: [modem] pin: expected 4 to 8 digits");
	config_expect_error("name = X\n", "test.conf:1: key 'name' outside of any section");
}
END_TEST

START_TEST(config_test_errors_whole_file)
{
	char err[512] = "";

	config_expect_error("[centre]\nphone = 01\n", "test.conf: [centre] name is required");
	config_expect_error("[centre]\nname = X\n", "test.conf: [centre] phone is required");
	config_expect_error("[centre]\nname = X\nphone = 01\n[modem]\npin = 1234\n",
	    "test.conf: [modem] device is required");
	config_expect_error("[centre]\nname = X\nphone = 01\n[http]\ntls_cert = /a.pem\n",
	    "tls_cert and tls_key go together");
	ck_assert_ptr_null(config_load("/nonexistent/rappel.conf", err, sizeof(err)));
	ck_assert_msg(strstr(err, "/nonexistent/rappel.conf: cannot read") != NULL, "%s", err);
}
END_TEST

START_TEST(config_test_file)
{
	char path[] = "/tmp/rappel-config-XXXXXX", err[512] = "";
	int fd = mkstemp(path);
	struct config *cfg;
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs(config_full, f);
	fputs("[sending]\n", f);	/* line 25: a section given twice */
	fputs("bogus = 1\n", f);
	fclose(f);
	cfg = config_load(path, err, sizeof(err));
	ck_assert_ptr_null(cfg);
	ck_assert_msg(strstr(err, path) && strstr(err, ":26: unknown key 'bogus'"), "%s", err);
	unlink(path);
}
END_TEST

START_TEST(config_test_hours)
{
	int s, e;

	ck_assert_int_eq(config_parse_hours("08:30-19:30", &s, &e), 0);
	ck_assert_int_eq(s, 510);
	ck_assert_int_eq(e, 1170);
	ck_assert_int_eq(config_parse_hours("00:00-24:00", &s, &e), 0);
	ck_assert_int_eq(e, 1440);
	ck_assert_int_eq(config_parse_hours("8:30-19:30", &s, &e), -1);
	ck_assert_int_eq(config_parse_hours("08:30", &s, &e), -1);
	ck_assert_int_eq(config_parse_hours("10:00-10:00", &s, &e), -1);
	ck_assert_int_eq(config_parse_hours("10:60-11:00", &s, &e), -1);
	ck_assert_int_eq(config_parse_hours("24:30-25:00", &s, &e), -1);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("full file");
	tcase_add_test(tc, config_test_full);
	tcase_add_test(tc, config_test_file);
	suite_add_tcase(s, tc);
	tc = tcase_create("defaults");
	tcase_add_test(tc, config_test_defaults);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, config_test_errors_name_line);
	tcase_add_test(tc, config_test_errors_whole_file);
	suite_add_tcase(s, tc);
	tc = tcase_create("sending hours");
	tcase_add_test(tc, config_test_hours);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(config_suite)
