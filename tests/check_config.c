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
    "[backup]\n"
    "dir = /media/rappel-sauvegarde\n"
    "time = 03:15\n"
    "keep = 7\n"
    "\n"
    "[retention]\n"
    "months = 12\n"
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
	ck_assert_str_eq(cfg->backup_dir, "/media/rappel-sauvegarde");
	ck_assert_int_eq(cfg->backup_time_min, 3 * 60 + 15);
	ck_assert_int_eq(cfg->backup_keep, 7);
	ck_assert_int_eq(cfg->retention_months, 12);
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
	ck_assert_ptr_null(cfg->backup_dir);	/* no nightly backup unless asked */
	ck_assert_int_eq(cfg->backup_time_min, 2 * 60 + 30);
	ck_assert_int_eq(cfg->backup_keep, 14);
	ck_assert_int_eq(cfg->retention_months, 24);
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
	config_expect_error("[centre]\nname = X\nphone = 01\n[backup]\ndir = sauvegardes\n",
	    "test.conf:5: [backup] dir: expected an absolute path");
	config_expect_error("[centre]\nname = X\nphone = 01\n[backup]\ntime = 25:00\n",
	    "test.conf:5: [backup] time: expected HH:MM");
	config_expect_error("[centre]\nname = X\nphone = 01\n[backup]\nkeep = 0\n",
	    "test.conf:5: [backup] keep: expected a number of copies from 1 to 365");
	config_expect_error("[centre]\nname = X\nphone = 01\n[retention]\nmonths = -3\n",
	    "test.conf:5: [retention] months");
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

#define CONFIG_CENTRE "[centre]\nname = X\nphone = 01\n"
#define CONFIG_HOOK_OK "url = https://crm.centre.example/rappel\nsecret = 0123456789abcdef\n"

START_TEST(config_test_webhooks)
{
	char err[512] = "";
	struct config *cfg = config_load_string(CONFIG_CENTRE
	    "[webhook]\n" CONFIG_HOOK_OK
	    "[webhook.2]\nurl = http://10.0.0.5:8000/sms?source=rappel\n"
	    "secret = another-secret-of-24-char\nevents = reply.received\nretry_base = 1\n",
	    "test.conf", err, sizeof(err));

	ck_assert_msg(cfg != NULL, "%s", err);
	ck_assert_uint_eq(cfg->nwebhooks, 2);
	ck_assert_str_eq(cfg->webhooks[0].name, "webhook");
	ck_assert_str_eq(cfg->webhooks[0].url, "https://crm.centre.example/rappel");
	ck_assert_str_eq(cfg->webhooks[0].secret, "0123456789abcdef");
	/* by default both events, first retry after 10 s */
	ck_assert_uint_eq(cfg->webhooks[0].events,
	    CONFIG_WEBHOOK_MESSAGE_STATUS | CONFIG_WEBHOOK_REPLY_RECEIVED);
	ck_assert_int_eq(cfg->webhooks[0].retry_base, 10);
	ck_assert_str_eq(cfg->webhooks[1].name, "webhook.2");
	ck_assert_str_eq(cfg->webhooks[1].url, "http://10.0.0.5:8000/sms?source=rappel");
	ck_assert_uint_eq(cfg->webhooks[1].events, CONFIG_WEBHOOK_REPLY_RECEIVED);
	ck_assert_int_eq(cfg->webhooks[1].retry_base, 1);
	config_free(cfg);

	cfg = config_load_string(CONFIG_CENTRE "[webhook]\n" CONFIG_HOOK_OK
	    "events = message.status, reply.received\n", "test.conf", err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	ck_assert_uint_eq(cfg->webhooks[0].events,
	    CONFIG_WEBHOOK_MESSAGE_STATUS | CONFIG_WEBHOOK_REPLY_RECEIVED);
	config_free(cfg);
}
END_TEST

START_TEST(config_test_webhook_errors)
{
	char text[4096];
	size_t i, n = 0;

	config_expect_error(CONFIG_CENTRE "[webhook]\nurl = ftp://x/y\n",
	    "test.conf:5: [webhook] url: expected an address starting with http:// or "
	    "https://, got 'ftp://x/y'");
	config_expect_error(CONFIG_CENTRE "[webhook]\nurl = https://\n",
	    "test.conf:5: [webhook] url: expected");
	config_expect_error(CONFIG_CENTRE "[webhook]\nurl = http://a b/\n",
	    "test.conf:5: [webhook] url: expected");
	config_expect_error(CONFIG_CENTRE "[webhook]\nurl = http://a/\nsecret = court\n",
	    "test.conf:6: [webhook] secret: too short (at least 16 characters)");
	config_expect_error(CONFIG_CENTRE "[webhook.3]\n" CONFIG_HOOK_OK "events = sms.sent\n",
	    "test.conf:7: [webhook.3] events: expected a list of message.status and "
	    "reply.received, got 'sms.sent'");
	config_expect_error(CONFIG_CENTRE "[webhook]\n" CONFIG_HOOK_OK "events = ,\n",
	    "test.conf:7: [webhook] events: expected");
	config_expect_error(CONFIG_CENTRE "[webhook]\n" CONFIG_HOOK_OK "retry_base = 0\n",
	    "test.conf:7: [webhook] retry_base: expected seconds from 1 to 3600, got '0'");
	config_expect_error(CONFIG_CENTRE "[webhook]\n" CONFIG_HOOK_OK "token = x\n",
	    "test.conf:7: unknown key 'token' in section [webhook]");
	config_expect_error(CONFIG_CENTRE "[webhook.1]\n" CONFIG_HOOK_OK,
	    "test.conf:5: bad webhook section name [webhook.1] (use [webhook], [webhook.2], ...)");
	config_expect_error(CONFIG_CENTRE "[webhook]\n" CONFIG_HOOK_OK "[modem]\ndevice = x\n"
	    "[webhook]\nevents = message.status\n",
	    "test.conf:10: section [webhook] appears twice");
	config_expect_error(CONFIG_CENTRE "[webhook]\nsecret = 0123456789abcdef\n",
	    "test.conf: [webhook] url is required");
	config_expect_error(CONFIG_CENTRE "[webhook.2]\nurl = http://a/\n",
	    "test.conf: [webhook.2] secret is required");

	n = (size_t)snprintf(text, sizeof(text), CONFIG_CENTRE);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "[webhook]\n" CONFIG_HOOK_OK);
	for (i = 2; i <= CONFIG_MAX_WEBHOOKS + 1; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "[webhook.%zu]\n" CONFIG_HOOK_OK,
		    i);
	config_expect_error(text, "too many webhooks (at most 8)");
	/* the modems' rules are the same as before */
	config_expect_error(CONFIG_CENTRE "[modem.1]\ndevice = x\n",
	    "test.conf:5: bad modem section name [modem.1] (use [modem], [modem.2], ...)");
	config_expect_error(CONFIG_CENTRE "[modem]\ndevice = x\n[sending]\nmax_per_day = 9\n"
	    "[modem]\npin = 1234\n", "test.conf:9: section [modem] appears twice");
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
	fputs("[sending]\n", f);	/* line 33: a section given twice */
	fputs("bogus = 1\n", f);
	fclose(f);
	cfg = config_load(path, err, sizeof(err));
	ck_assert_ptr_null(cfg);
	ck_assert_msg(strstr(err, path) && strstr(err, ":34: unknown key 'bogus'"), "%s", err);
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
	tc = tcase_create("webhooks");
	tcase_add_test(tc, config_test_webhooks);
	tcase_add_test(tc, config_test_webhook_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("sending hours");
	tcase_add_test(tc, config_test_hours);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(config_suite)
