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

#define CONFIG_CENTRE "[centre]\nname = X\nphone = 03 21 00 00 00\n"

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

/* A rate of 1,000 parts a second is accepted: the default 6 is carrier safety. */
START_TEST(config_test_rate_up_to_60000)
{
	char err[512] = "";
	struct config *cfg = config_load_string(CONFIG_CENTRE "[sending]\nmax_per_minute = 60000\n",
	    "test.conf", err, sizeof(err));

	ck_assert_msg(cfg != NULL, "%s", err);
	ck_assert_int_eq(cfg->max_per_minute, 60000);
	config_free(cfg);
}
END_TEST

START_TEST(config_test_defaults)
{
	char err[512] = "";
	struct config *cfg = config_load_string(CONFIG_CENTRE,
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
	config_expect_error(CONFIG_CENTRE "colour = blue\n",
	    "test.conf:4: unknown key 'colour' in section [centre]");
	config_expect_error(CONFIG_CENTRE "[sending]\n\nmax_per_minute = six\n",
	    "test.conf:6: [sending] max_per_minute: expected a number from 1 to 60000, got 'six'");
	config_expect_error(CONFIG_CENTRE "[sending]\nmax_per_minute = 60001\n",
	    "test.conf:5: [sending] max_per_minute: expected a number from 1 to 60000, got '60001'");
	config_expect_error("[centre]\nname = X\nname = Y\n",
	    "test.conf:3: key 'name' appears twice");
	config_expect_error(CONFIG_CENTRE "[smtp]\nhost = x\n",
	    "test.conf:5: unknown section [smtp]");
	config_expect_error(CONFIG_CENTRE "this is not a key\n",
	    "test.conf:4: syntax error");
	config_expect_error(CONFIG_CENTRE "[sending]\nhours = 19:00-08:00\n",
	    "test.conf:5: [sending] hours");
	config_expect_error(CONFIG_CENTRE "[sending]\ndays = lundi\n",
	    "test.conf:5: [sending] days");
	config_expect_error(CONFIG_CENTRE "[http]\nlisten = localhost\n",
	    "test.conf:5: [http] listen");
	config_expect_error(CONFIG_CENTRE "timezone = Mars/Olympus\n",
	    "test.conf:4: [centre] timezone: unknown time zone 'Mars/Olympus'");
	config_expect_error(CONFIG_CENTRE "[modem]\ndevice = /dev/x\npin = 12\n",
	    "test.conf:6: [modem] pin: expected 4 to 8 digits");
	config_expect_error("name = X\n", "test.conf:1: key 'name' outside of any section");
	config_expect_error(CONFIG_CENTRE "[backup]\ndir = sauvegardes\n",
	    "test.conf:5: [backup] dir: expected an absolute path");
	config_expect_error(CONFIG_CENTRE "[backup]\ntime = 25:00\n",
	    "test.conf:5: [backup] time: expected HH:MM");
	config_expect_error(CONFIG_CENTRE "[backup]\nkeep = 0\n",
	    "test.conf:5: [backup] keep: expected a number of copies from 1 to 365");
	config_expect_error(CONFIG_CENTRE "[retention]\nmonths = -3\n",
	    "test.conf:5: [retention] months");
}
END_TEST

/*
 * A line longer than the reader takes is refused at its own line, and the
 * lines after it keep their numbers.  Before the fix (issue 19) a long
 * comment was reported at the next line as a syntax error, and a long
 * value was cut short and accepted.
 */
START_TEST(config_test_long_line)
{
	char text[2048], big[600], want[128];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(text, sizeof(text), CONFIG_CENTRE "; %s\n[smtp]\nhost = x\n", big);
	config_expect_error(text, "test.conf:4: line too long");
	snprintf(text, sizeof(text), "[centre]\nname = %s\nphone = 03 21 00 00 00\n", big);
	config_expect_error(text, "test.conf:2: line too long");
	/* a long line that fits is fine, and the next ones keep their numbers */
	snprintf(text, sizeof(text), CONFIG_CENTRE "; %.150s\n[smtp]\nhost = x\n", big);
	snprintf(want, sizeof(want), "test.conf:6: unknown section [smtp]");
	config_expect_error(text, want);
}
END_TEST

START_TEST(config_test_errors_whole_file)
{
	char err[512] = "";

	config_expect_error("[centre]\nphone = 03 21 00 00 00\n",
	    "test.conf: [centre] name is required");
	config_expect_error("[centre]\nname = X\n", "test.conf: [centre] phone is required");
	config_expect_error(CONFIG_CENTRE "[modem]\npin = 1234\n",
	    "test.conf: [modem] device is required");
	config_expect_error(CONFIG_CENTRE "[http]\ntls_cert = /a.pem\n",
	    "tls_cert and tls_key go together");
	ck_assert_ptr_null(config_load("/nonexistent/rappel.conf", err, sizeof(err)));
	ck_assert_msg(strstr(err, "/nonexistent/rappel.conf: cannot read") != NULL, "%s", err);
}
END_TEST

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

/*
 * A file saved by Notepad as "ANSI": a value that is not UTF-8 is read
 * as Windows-1252 (with a warning in the log); one that is not
 * Windows-1252 either is refused with the line and a French hint.
 */
START_TEST(config_test_windows1252)
{
	char err[512] = "";
	struct config *cfg = config_load_string("[centre]\nname = Centre social J\xe9r\xf4me \x80\n"
	    "phone = 03 21 00 00 00\n[modem]\ndevice = /dev/ttyUSB0\n", "test.conf", err,
	    sizeof(err));

	ck_assert_msg(cfg != NULL, "%s", err);
	ck_assert_str_eq(cfg->centre_name, "Centre social Jérôme €");
	config_free(cfg);
	/* UTF-8 is taken as it is */
	cfg = config_load_string("[centre]\nname = Centre social Jérôme €\n"
	    "phone = 03 21 00 00 00\n", "test.conf", err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	ck_assert_str_eq(cfg->centre_name, "Centre social Jérôme €");
	config_free(cfg);
	/* 0x81 is in no Windows-1252 text */
	config_expect_error("[centre]\nname = Centre \x81\nphone = 03 21 00 00 00\n",
	    "test.conf:2: [centre] name: neither UTF-8 nor Windows-1252");
	config_expect_error("[centre]\nname = Centre \x81\nphone = 03 21 00 00 00\n",
	    "Enregistrez le fichier en UTF-8");
	config_expect_error(CONFIG_CENTRE "[modem]\ndevice = /dev/tty\x9d\n",
	    "test.conf:5: [modem] device: neither UTF-8 nor Windows-1252");
	/* Notepad's "Unicode": its NUL bytes end the text after the byte order mark */
	config_expect_error("\xff\xfe[\0c\0", "test.conf:1: the file is UTF-16 text (Enregistrez");
}
END_TEST

/* Control characters: refused in every value, tab only in the centre's name. */
START_TEST(config_test_control_characters)
{
	char err[512] = "";
	struct config *cfg;

	config_expect_error("[centre]\nname = Centre\x07 social\nphone = 03 21 00 00 00\n",
	    "test.conf:2: [centre] name: control character U+0007");
	config_expect_error("[centre]\nname = Centre\tsocial\nphone = 03 21 00 00 00\n",
	    "test.conf:2: [centre] name: control character U+0009");
	config_expect_error("[centre]\nname = Centre\x7f\nphone = 03 21 00 00 00\n",
	    "test.conf:2: [centre] name: control character U+007F");
	config_expect_error("[centre]\nname = Centre \xc2\x85 social\nphone = 03 21 00 00 00\n",
	    "test.conf:2: [centre] name: control character U+0085");
	config_expect_error(CONFIG_CENTRE "[modem]\ndevice = /dev/tty\x1b[0m\n",
	    "test.conf:5: [modem] device: control character U+001B");
	config_expect_error(CONFIG_CENTRE "[modem.\x01]\ndevice = x\n",
	    "test.conf:5: bad modem section name");
	config_expect_error(CONFIG_CENTRE "[webhook.\xe9]\n" CONFIG_HOOK_OK,
	    "test.conf:5: bad webhook section name");
	/* a tab between the digits of a number is only a separator */
	cfg = config_load_string("[centre]\nname = X\nphone = 03\t21 00 00 00\n", "test.conf",
	    err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	config_free(cfg);
	cfg = config_load_string(CONFIG_CENTRE "[modem.orange-2]\ndevice = x\n", "test.conf",
	    err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	config_free(cfg);
}
END_TEST

/* The centre's call-back number is a phone number. */
START_TEST(config_test_centre_phone)
{
	static const char *const good[] = { "03 21 00 00 00", "+33 3 21 00 00 00",
		"06.39.98.00.00", "+32 2 513 89 40" };
	char text[256], err[512] = "";
	struct config *cfg;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "[centre]\nname = X\nphone = %s\n", good[i]);
		cfg = config_load_string(text, "test.conf", err, sizeof(err));
		ck_assert_msg(cfg != NULL, "%s: %s", good[i], err);
		ck_assert_str_eq(cfg->centre_phone, good[i]);	/* kept as typed */
		config_free(cfg);
	}
	config_expect_error("[centre]\nname = X\nphone = 01\n",
	    "test.conf:3: [centre] phone: not a phone number: '01' (");
	config_expect_error("[centre]\nname = X\nphone = accueil\n", "test.conf:3: [centre] phone");
}
END_TEST

/* The SIM's number, for the card families keep: optional, a mobile, kept as typed. */
START_TEST(config_test_sms_number)
{
	char err[512] = "";
	struct config *cfg;

	cfg = config_load_string(CONFIG_CENTRE, "test.conf", err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	ck_assert_ptr_null(cfg->centre_sms_number);
	config_free(cfg);
	cfg = config_load_string(CONFIG_CENTRE "sms_number = 06 39 98 00 00\n", "test.conf", err,
	    sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	ck_assert_str_eq(cfg->centre_sms_number, "06 39 98 00 00");
	config_free(cfg);
	config_expect_error(CONFIG_CENTRE "sms_number = 03 21 00 00 01\n",
	    "test.conf:4: [centre] sms_number: not a mobile number: '03 21 00 00 01'");
	config_expect_error(CONFIG_CENTRE "sms_number = accueil\n",
	    "test.conf:4: [centre] sms_number: not a phone number: 'accueil'");
}
END_TEST

/* Writes text to path and loads it, which must succeed. */
static struct config *
config_load_written(const char *path, const char *text)
{
	char err[512] = "";
	struct config *cfg;
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	cfg = config_load(path, err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	return cfg;
}

/* What the file names must be there: the database's directory, the TLS files. */
START_TEST(config_test_paths)
{
	char dir[] = "/tmp/rappel-config-XXXXXX", path[256], pem[256], text[1024], err[512];
	struct config *cfg;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rappel.conf", dir);
	snprintf(pem, sizeof(pem), "%s/cert.pem", dir);
	ck_assert_ptr_nonnull(f = fopen(pem, "w"));
	fclose(f);

	snprintf(text, sizeof(text), CONFIG_CENTRE "[database]\npath = %s/rappel.db\n"
	    "[http]\ntls_cert = %s\ntls_key = %s\n", dir, pem, pem);
	cfg = config_load_written(path, text);
	ck_assert_msg(config_check_paths(cfg, err, sizeof(err)) == 0, "%s", err);
	config_free(cfg);

	snprintf(text, sizeof(text), CONFIG_CENTRE "[database]\npath = %s/absent/rappel.db\n",
	    dir);
	cfg = config_load_written(path, text);
	ck_assert_int_eq(config_check_paths(cfg, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, path) && strstr(err, ":5: [database] path: ") &&
	    strstr(err, "/absent"), "%s", err);
	config_free(cfg);

	snprintf(text, sizeof(text), CONFIG_CENTRE "[database]\npath = %s/rappel.db\n"
	    "[http]\ntls_cert = %s\ntls_key = %s/key.pem\n", dir, pem, dir);
	cfg = config_load_written(path, text);
	ck_assert_int_eq(config_check_paths(cfg, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, path) && strstr(err, ":8: [http] tls_key: cannot read ") &&
	    strstr(err, "key.pem"), "%s", err);
	config_free(cfg);

	/* a directory is not a certificate */
	snprintf(text, sizeof(text), CONFIG_CENTRE "[database]\npath = %s/rappel.db\n"
	    "[http]\ntls_cert = %s\ntls_key = %s\n", dir, dir, pem);
	cfg = config_load_written(path, text);
	ck_assert_int_eq(config_check_paths(cfg, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, ":7: [http] tls_cert: cannot read "), "%s", err);
	config_free(cfg);

	unlink(path);
	unlink(pem);
	ck_assert_int_eq(rmdir(dir), 0);
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

/* The demo's simulated families answer the simulated modem only. */
START_TEST(config_test_families)
{
	char err[512] = "";
	struct config *cfg = config_load_string(CONFIG_CENTRE "[modem]\ndevice = simulator\n"
	    "families = yes\n", "test.conf", err, sizeof(err));

	ck_assert_msg(cfg != NULL, "%s", err);
	ck_assert(cfg->modems[0].families);
	config_free(cfg);
	config_expect_error(CONFIG_CENTRE "[modem]\ndevice = /dev/ttyUSB0\nfamilies = yes\n",
	    "families = yes needs device = simulator");
	config_expect_error(CONFIG_CENTRE "[modem]\ndevice = simulator\nfamilies = peut-etre\n",
	    "test.conf:6: [modem] families: expected yes or no");
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
	tcase_add_test(tc, config_test_rate_up_to_60000);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, config_test_errors_name_line);
	tcase_add_test(tc, config_test_long_line);
	tcase_add_test(tc, config_test_errors_whole_file);
	suite_add_tcase(s, tc);
	tc = tcase_create("text");
	tcase_add_test(tc, config_test_windows1252);
	tcase_add_test(tc, config_test_control_characters);
	suite_add_tcase(s, tc);
	tc = tcase_create("checked values");
	tcase_add_test(tc, config_test_centre_phone);
	tcase_add_test(tc, config_test_sms_number);
	tcase_add_test(tc, config_test_paths);
	tcase_add_test(tc, config_test_families);
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
