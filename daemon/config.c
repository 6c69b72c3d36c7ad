/*
 * config — INI configuration, parsed with inih and validated here.
 *
 * inih calls config_on_entry() for each "key = value"; the first handler
 * that returns 0 makes ini_parse_stream() return its line number, so each
 * handler writes its reason into the parse state and returns 0 on error.
 * Checks that span keys (tls_cert without tls_key, ...) run after parsing
 * and name the line of the key they refer to.
 *
 * inih reads the lines through config_read(), which counts them, so a
 * handler knows its line (st->line) for a warning or for later checks
 * (config_check_paths()).  Every value is made UTF-8 text before it is
 * looked at (config_value_text()).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <ini.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "phone.h"
#include "text.h"

/* What inih reports for a line it could not parse itself. */
#define CONFIG_REASON_SYNTAX "syntax error (expected \"[section]\" or \"key = value\")"

/* The hint, in French for the centre's staff, given with every complaint about the encoding. */
#define CONFIG_HINT_UTF8 "Enregistrez le fichier en UTF-8 : dans le Bloc-notes, " \
	"Fichier > Enregistrer sous, Encodage : UTF-8"

struct config_state {
	struct config *cfg;
	char reason[512];	/* first error; empty when none */
	unsigned seen;		/* bit per key of the current section, for duplicates */
	char section[64];
	struct config_modem *modem;	/* current [modem*] section, or NULL */
	struct config_webhook *webhook;	/* current [webhook*] section, or NULL */
	/* the numbered sections ([modem.2], [webhook] ...) met so far */
	char numbered[CONFIG_MAX_MODEMS + CONFIG_MAX_WEBHOOKS][64];
	size_t nnumbered;
	int line;		/* the line inih is on, as it numbers them */
	int stop_line;		/* the line config_read() stopped at (too long), or 0 */
};

/* Where config_read() takes the lines from: a file, or else a string. */
struct config_reader {
	FILE *file;
	const char *text;	/* what is left of the string */
	struct config_state *st;
};

static char *
config_strdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		fatal("config: out of memory");
	return p;
}

static void
config_set_str(char **dst, const char *value)
{
	free(*dst);
	*dst = config_strdup(value);
}

static int
config_fail(struct config_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
config_fail(struct config_state *st, const char *fmt, ...)
{
	va_list ap;

	if (st->reason[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(st->reason, sizeof(st->reason), fmt, ap);
		va_end(ap);
	}
	return 0;
}

static bool config_hosts_valid(const char *value);

static int
config_parse_int(const char *value, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno || end == value || *end != '\0' || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static int
config_parse_days(const char *value, unsigned *days)
{
	static const char *names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	char copy[128], *tok, *save = NULL;
	unsigned set = 0;
	size_t i;

	if (strlen(value) >= sizeof(copy))
		return -1;
	strcpy(copy, value);
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		for (i = 0; i < 7; i++)
			if (strcasecmp(tok, names[i]) == 0)
				break;
		if (i == 7)
			return -1;
		set |= 1u << i;
	}
	if (set == 0)
		return -1;
	*days = set;
	return 0;
}

/* Keys of each section, in the order of their bit in config_state.seen. */
static const char *const config_keys_centre[] = { "name", "phone", "address", "sms_number",
	"timezone", NULL };
static const char *const config_keys_database[] = { "path", NULL };
static const char *const config_keys_http[] = { "listen", "tls_cert", "tls_key", "hosts",
	NULL };
static const char *const config_keys_sending[] = { "hours", "days", "max_per_minute",
	"max_per_day", "retry_delay", "reply_days", "waitlist_hold_hours", NULL };
static const char *const config_keys_backup[] = { "dir", "time", "keep", NULL };
static const char *const config_keys_retention[] = { "months", NULL };
static const char *const config_keys_modem[] = { "device", "connection", "pin",
	"send_pause_ms", "families", NULL };
static const char *const config_keys_webhook[] = { "url", "secret", "events",
	"retry_base", NULL };

/* True when section is base or "base.SOMETHING". */
static bool
config_is_numbered(const char *section, const char *base)
{
	size_t n = strlen(base);

	return strncmp(section, base, n) == 0 && (section[n] == '\0' || section[n] == '.');
}

static const char *const *
config_section_keys(const char *section)
{
	if (strcmp(section, "centre") == 0)
		return config_keys_centre;
	if (strcmp(section, "database") == 0)
		return config_keys_database;
	if (strcmp(section, "http") == 0)
		return config_keys_http;
	if (strcmp(section, "sending") == 0)
		return config_keys_sending;
	if (strcmp(section, "backup") == 0)
		return config_keys_backup;
	if (strcmp(section, "retention") == 0)
		return config_keys_retention;
	if (config_is_numbered(section, "modem"))
		return config_keys_modem;
	if (config_is_numbered(section, "webhook"))
		return config_keys_webhook;
	return NULL;
}

static int
config_key_index(const char *const *keys, const char *name)
{
	int i;

	for (i = 0; keys[i]; i++)
		if (strcmp(keys[i], name) == 0)
			return i;
	return -1;
}

/*
 * A numbered section, [base], [base.2] ...: refuses [base.] and [base.1],
 * a section met twice and one more than max (what: "modems").  1 or 0.
 */
static int
config_numbered_ok(struct config_state *st, const char *section, const char *base,
    size_t count, size_t max, const char *what)
{
	size_t i, n = strlen(base);

	if (section[n] == '.' && (section[n + 1] == '\0' || strcmp(section + n + 1, "1") == 0 ||
	    strspn(section + n + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-") != strlen(section + n + 1)))
		return config_fail(st, "bad %s section name [%s] (use [%s], [%s.2], ...)",
		    base, section, base, base);
	for (i = 0; i < st->nnumbered; i++)
		if (strcmp(st->numbered[i], section) == 0)
			return config_fail(st, "section [%s] appears twice", section);
	if (count == max)
		return config_fail(st, "too many %s (at most %zu)", what, max);
	snprintf(st->numbered[st->nnumbered++], sizeof(st->numbered[0]), "%s", section);
	return 1;
}

static int
config_begin_section(struct config_state *st, const char *section)
{
	struct config *cfg = st->cfg;

	snprintf(st->section, sizeof(st->section), "%s", section);
	st->seen = 0;
	st->modem = NULL;
	st->webhook = NULL;
	if (config_section_keys(section) == NULL)
		return config_fail(st, "unknown section [%s]", section);
	if (config_is_numbered(section, "modem")) {
		if (!config_numbered_ok(st, section, "modem", cfg->nmodems, CONFIG_MAX_MODEMS,
		    "modems"))
			return 0;
		st->modem = &cfg->modems[cfg->nmodems++];
		st->modem->name = config_strdup(section);
		st->modem->connection = config_strdup("at115200");
	} else if (config_is_numbered(section, "webhook")) {
		if (!config_numbered_ok(st, section, "webhook", cfg->nwebhooks,
		    CONFIG_MAX_WEBHOOKS, "webhooks"))
			return 0;
		st->webhook = &cfg->webhooks[cfg->nwebhooks++];
		st->webhook->name = config_strdup(section);
		st->webhook->events = CONFIG_WEBHOOK_MESSAGE_STATUS | CONFIG_WEBHOOK_REPLY_RECEIVED;
		st->webhook->retry_base = CONFIG_WEBHOOK_RETRY_BASE;
	}
	return 1;
}

static int
config_set_centre(struct config_state *st, const char *name, const char *value)
{
	struct config *cfg = st->cfg;
	char zone[PATH_MAX], e164[PHONE_E164_MAX];
	enum phone_kind kind;
	const char *why;

	if (strcmp(name, "name") == 0) {
		config_set_str(&cfg->centre_name, value);
	} else if (strcmp(name, "address") == 0) {
		config_set_str(&cfg->centre_address, value);
	} else if (strcmp(name, "phone") == 0) {
		/* kept as typed: that is how {tel_centre} writes it */
		if (phone_normalize(value, e164, NULL, &why) < 0)
			return config_fail(st, "[centre] phone: not a phone number: '%s' (%s)",
			    value, why);
		config_set_str(&cfg->centre_phone, value);
	} else if (strcmp(name, "sms_number") == 0) {
		/* the SIM's number, printed on the card families keep (card.h) */
		if (phone_normalize(value, e164, &kind, &why) < 0)
			return config_fail(st, "[centre] sms_number: not a phone number: '%s' (%s)",
			    value, why);
		if (!phone_kind_can_sms(kind))
			return config_fail(st, "[centre] sms_number: not a mobile number: '%s' "
			    "(the number of the modem's SIM card)", value);
		config_set_str(&cfg->centre_sms_number, value);
	} else {
		snprintf(zone, sizeof(zone), "/usr/share/zoneinfo/%s", value);
		if (strstr(value, "..") || value[0] == '/' || access(zone, R_OK) != 0)
			return config_fail(st, "[centre] timezone: unknown time zone '%s' "
			    "(expected a name like Europe/Paris)", value);
		config_set_str(&cfg->timezone, value);
	}
	return 1;
}

static int
config_set_sending(struct config_state *st, const char *name, const char *value)
{
	struct config *cfg = st->cfg;

	if (strcmp(name, "hours") == 0) {
		if (config_parse_hours(value, &cfg->send_start_min, &cfg->send_end_min) < 0)
			return config_fail(st, "[sending] hours: expected HH:MM-HH:MM with start "
			    "before end, got '%s'", value);
	} else if (strcmp(name, "days") == 0) {
		if (config_parse_days(value, &cfg->send_days) < 0)
			return config_fail(st, "[sending] days: expected a list like "
			    "mon,tue,wed,thu,fri,sat, got '%s'", value);
	} else if (strcmp(name, "max_per_minute") == 0) {
		if (config_parse_int(value, 1, 60000, &cfg->max_per_minute) < 0)
			return config_fail(st, "[sending] max_per_minute: expected a number "
			    "from 1 to 60000, got '%s'", value);
	} else if (strcmp(name, "retry_delay") == 0) {
		if (config_parse_int(value, 1, 3600, &cfg->retry_delay) < 0)
			return config_fail(st, "[sending] retry_delay: expected seconds from 1 "
			    "to 3600, got '%s'", value);
	} else if (strcmp(name, "reply_days") == 0) {
		if (config_parse_int(value, 1, 90, &cfg->reply_days) < 0)
			return config_fail(st, "[sending] reply_days: expected days from 1 "
			    "to 90, got '%s'", value);
	} else if (strcmp(name, "waitlist_hold_hours") == 0) {
		if (config_parse_int(value, 1, 168, &cfg->waitlist_hold_hours) < 0)
			return config_fail(st, "[sending] waitlist_hold_hours: expected hours "
			    "from 1 to 168, got '%s'", value);
	} else {
		if (config_parse_int(value, 1, 100000, &cfg->max_per_day) < 0)
			return config_fail(st, "[sending] max_per_day: expected a number "
			    "from 1 to 100000, got '%s'", value);
	}
	return 1;
}

static int
config_set_backup(struct config_state *st, const char *name, const char *value)
{
	struct config *cfg = st->cfg;

	if (strcmp(name, "dir") == 0) {
		if (value[0] != '/')
			return config_fail(st, "[backup] dir: expected an absolute path such as "
			    "/media/rappel-sauvegarde, got '%s'", value);
		config_set_str(&cfg->backup_dir, value);
	} else if (strcmp(name, "time") == 0) {
		if (config_parse_hhmm(value, strlen(value), &cfg->backup_time_min) < 0 ||
		    cfg->backup_time_min == 24 * 60)
			return config_fail(st, "[backup] time: expected HH:MM such as 02:30, "
			    "got '%s'", value);
	} else {
		if (config_parse_int(value, 1, 365, &cfg->backup_keep) < 0)
			return config_fail(st, "[backup] keep: expected a number of copies "
			    "from 1 to 365, got '%s'", value);
	}
	return 1;
}

static int
config_set_retention(struct config_state *st, const char *value)
{
	if (config_parse_int(value, 0, 120, &st->cfg->retention_months) < 0)
		return config_fail(st, "[retention] months: expected a number of months "
		    "from 1 to 120, or 0 to keep everything, got '%s'", value);
	return 1;
}

static int
config_set_modem(struct config_state *st, const char *name, const char *value)
{
	struct config_modem *m = st->modem;
	size_t i, n = strlen(value);

	if (strcmp(name, "device") == 0) {
		config_set_str(&m->device, value);
	} else if (strcmp(name, "connection") == 0) {
		config_set_str(&m->connection, value);
	} else if (strcmp(name, "send_pause_ms") == 0) {
		if (config_parse_int(value, 0, 1000, &m->send_pause_ms) < 0)
			return config_fail(st, "[%s] send_pause_ms: expected a number of "
			    "milliseconds from 0 to 1000, got '%s'", st->section, value);
	} else if (strcmp(name, "families") == 0) {
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return config_fail(st, "[%s] families: expected yes or no, got '%s'",
			    st->section, value);
		m->families = strcmp(value, "yes") == 0;
	} else {
		for (i = 0; i < n; i++)
			if (value[i] < '0' || value[i] > '9')
				break;
		if (n < 4 || n > 8 || i != n)
			return config_fail(st, "[%s] pin: expected 4 to 8 digits", st->section);
		config_set_str(&m->pin, value);
	}
	return 1;
}

/* "http://HOST..." or "https://HOST...", printable, without spaces. */
static bool
config_url_ok(const char *value)
{
	size_t skip, i;

	if (strncmp(value, "http://", 7) == 0)
		skip = 7;
	else if (strncmp(value, "https://", 8) == 0)
		skip = 8;
	else
		return false;
	if (value[skip] == '\0' || value[skip] == '/' || strlen(value) > 2000)
		return false;
	for (i = 0; value[i]; i++)
		if ((unsigned char)value[i] <= ' ' || value[i] == 0x7f)
			return false;
	return true;
}

/* "message.status, reply.received" into CONFIG_WEBHOOK_* bits; 0 or -1. */
static int
config_parse_events(const char *value, unsigned *events)
{
	char copy[128], *tok, *save = NULL;
	unsigned set = 0;

	if (strlen(value) >= sizeof(copy))
		return -1;
	strcpy(copy, value);
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (strcmp(tok, "message.status") == 0)
			set |= CONFIG_WEBHOOK_MESSAGE_STATUS;
		else if (strcmp(tok, "reply.received") == 0)
			set |= CONFIG_WEBHOOK_REPLY_RECEIVED;
		else
			return -1;
	}
	if (set == 0)
		return -1;
	*events = set;
	return 0;
}

static int
config_set_webhook(struct config_state *st, const char *name, const char *value)
{
	struct config_webhook *w = st->webhook;

	if (strcmp(name, "url") == 0) {
		if (!config_url_ok(value))
			return config_fail(st, "[%s] url: expected an address starting with "
			    "http:// or https://, got '%s'", st->section, value);
		config_set_str(&w->url, value);
	} else if (strcmp(name, "secret") == 0) {
		if (strlen(value) < CONFIG_WEBHOOK_SECRET_MIN)
			return config_fail(st, "[%s] secret: too short (at least %d characters)",
			    st->section, CONFIG_WEBHOOK_SECRET_MIN);
		config_set_str(&w->secret, value);
	} else if (strcmp(name, "events") == 0) {
		if (config_parse_events(value, &w->events) < 0)
			return config_fail(st, "[%s] events: expected a list of message.status "
			    "and reply.received, got '%s'", st->section, value);
	} else {
		if (config_parse_int(value, 1, 3600, &w->retry_base) < 0)
			return config_fail(st, "[%s] retry_base: expected seconds from 1 to "
			    "3600, got '%s'", st->section, value);
	}
	return 1;
}

/*
 * value as UTF-8 text into out: as it is when it is UTF-8, else read as
 * Windows-1252 (Notepad's "ANSI"), with a warning naming the line.  Then
 * control characters are refused: C0 (tab too in the centre's name, which
 * signs the SMS), DEL and C1.  1, or 0 with the reason.
 */
static int
config_value_text(struct config_state *st, const char *section, const char *name,
    const char *value, struct buf *out)
{
	bool tab_ok = strcmp(section, "centre") != 0 || strcmp(name, "name") != 0;
	size_t len = strlen(value);
	const unsigned char *p;
	uint32_t cp;
	int undefined;

	if (text_utf8_valid(value, len)) {
		buf_append(out, value, len);
	} else if ((undefined = text_from_cp1252(value, len, out)) != 0) {
		return config_fail(st, "[%s] %s: %s (%s)", section, name, undefined < 0 ?
		    "not UTF-8, and Windows-1252 cannot be read on this system" :
		    "neither UTF-8 nor Windows-1252 text", CONFIG_HINT_UTF8);
	} else {
		log_warn("config: %s:%d: [%s] %s is not UTF-8: read as Windows-1252 (%s)",
		    st->cfg->path, st->line, section, name, CONFIG_HINT_UTF8);
	}
	for (p = (const unsigned char *)out->data; *p;) {
		if (text_utf8_next(&p, &cp) < 0)
			break;		/* cannot happen: valid above */
		if ((cp < 0x20 && !(cp == '\t' && tab_ok)) || (cp >= 0x7f && cp <= 0x9f))
			return config_fail(st, "[%s] %s: control character U+%04X is not "
			    "allowed", section, name, (unsigned)cp);
	}
	return 1;
}

/* Sets key name of section to value (UTF-8, checked); 1, or 0 with the reason. */
static int
config_set_value(struct config_state *st, const char *section, const char *name,
    const char *value)
{
	if (strcmp(section, "centre") == 0)
		return config_set_centre(st, name, value);
	if (strcmp(section, "database") == 0) {
		config_set_str(&st->cfg->db_path, value);
		st->cfg->db_path_line = st->line;
		return 1;
	}
	if (strcmp(section, "http") == 0) {
		if (strcmp(name, "listen") == 0) {
			if (config_parse_listen(value, &st->cfg->http_addr,
			    &st->cfg->http_addrlen) < 0)
				return config_fail(st, "[http] listen: expected ADDRESS:PORT "
				    "such as 127.0.0.1:8080 or [::]:8080, got '%s'", value);
			config_set_str(&st->cfg->http_listen, value);
		} else if (strcmp(name, "hosts") == 0) {
			if (!config_hosts_valid(value))
				return config_fail(st, "[http] hosts: expected host names separated "
				    "by commas (rappel.centre.lan, accueil) or *, got '%s'", value);
			config_set_str(&st->cfg->http_hosts, value);
		} else if (value[0] && strcmp(name, "tls_cert") == 0) {
			config_set_str(&st->cfg->tls_cert, value);
			st->cfg->tls_cert_line = st->line;
		} else if (value[0]) {
			config_set_str(&st->cfg->tls_key, value);
			st->cfg->tls_key_line = st->line;
		}
		return 1;
	}
	if (strcmp(section, "sending") == 0)
		return config_set_sending(st, name, value);
	if (strcmp(section, "backup") == 0)
		return config_set_backup(st, name, value);
	if (strcmp(section, "retention") == 0)
		return config_set_retention(st, value);
	if (st->webhook)
		return config_set_webhook(st, name, value);
	return config_set_modem(st, name, value);
}

/* A comma-separated list of host names (letters, digits, "." and "-"), or "*". */
static bool
config_hosts_valid(const char *value)
{
	const char *p;
	size_t len = 0;

	if (strcmp(value, "*") == 0)
		return true;
	for (p = value;; p++) {
		if (*p == ',' || *p == '\0') {
			if (len == 0 || len > 253)
				return false;
			if (*p == '\0')
				return true;
			len = 0;
		} else if (*p == ' ') {
			continue;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-') {
			len++;
		} else {
			return false;
		}
	}
}

static int
config_on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct config_state *st = user;
	const char *const *keys;
	struct buf text = { 0 };
	int idx, ok;

	if (st->reason[0])
		return 0;
	if (section[0] == '\0')
		return config_fail(st, "key '%s' outside of any section", name);
	if (strcmp(section, st->section) != 0 && !config_begin_section(st, section))
		return 0;
	keys = config_section_keys(section);
	idx = config_key_index(keys, name);
	if (idx < 0)
		return config_fail(st, "unknown key '%s' in section [%s]", name, section);
	if (st->seen & (1u << idx))
		return config_fail(st, "key '%s' appears twice in section [%s]", name, section);
	st->seen |= 1u << idx;
	if (value[0] == '\0' && strcmp(name, "tls_cert") != 0 && strcmp(name, "tls_key") != 0)
		return config_fail(st, "[%s] %s: empty value", section, name);

	ok = config_value_text(st, section, name, value, &text) &&
	    config_set_value(st, section, name, text.data);
	buf_free(&text);
	return ok;
}

static struct config *
config_new_defaults(const char *name)
{
	struct config *cfg = calloc(1, sizeof(*cfg));

	if (cfg == NULL)
		fatal("config: out of memory");
	atomic_init(&cfg->refs, 1);
	cfg->path = config_strdup(name);
	cfg->timezone = config_strdup("Europe/Paris");
	cfg->db_path = config_strdup("/var/lib/rappel/rappel.db");
	cfg->http_listen = config_strdup("127.0.0.1:8080");
	if (config_parse_listen(cfg->http_listen, &cfg->http_addr, &cfg->http_addrlen) < 0)
		fatal("config: cannot parse the default listen address");
	cfg->send_start_min = 8 * 60 + 30;
	cfg->send_end_min = 19 * 60 + 30;
	cfg->send_days = 0x3f;	/* monday to saturday */
	cfg->max_per_minute = 6;
	cfg->max_per_day = 500;
	cfg->retry_delay = 30;
	cfg->reply_days = 7;
	cfg->waitlist_hold_hours = 24;
	cfg->backup_time_min = 2 * 60 + 30;
	cfg->backup_keep = 14;
	cfg->retention_months = 24;
	return cfg;
}

/* Cross-key checks, once the whole file is read. */
static int
config_validate(struct config *cfg, char *err, size_t errlen)
{
	size_t i;

	if (cfg->centre_name == NULL) {
		snprintf(err, errlen, "%s: [centre] name is required (it signs every SMS)",
		    cfg->path);
		return -1;
	}
	if (cfg->centre_phone == NULL) {
		snprintf(err, errlen, "%s: [centre] phone is required (the call-back number)",
		    cfg->path);
		return -1;
	}
	if (cfg->centre_address == NULL)
		config_set_str(&cfg->centre_address, "");
	if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
		snprintf(err, errlen, "%s: [http] tls_cert and tls_key go together", cfg->path);
		return -1;
	}
	for (i = 0; i < cfg->nmodems; i++) {
		if (cfg->modems[i].device == NULL) {
			snprintf(err, errlen, "%s: [%s] device is required", cfg->path,
			    cfg->modems[i].name);
			return -1;
		}
		if (cfg->modems[i].families && strcmp(cfg->modems[i].device, "simulator") != 0) {
			snprintf(err, errlen, "%s: [%s] families = yes needs device = simulator "
			    "(simulated families answer only the simulated modem)", cfg->path,
			    cfg->modems[i].name);
			return -1;
		}
	}
	for (i = 0; i < cfg->nwebhooks; i++) {
		if (cfg->webhooks[i].url == NULL || cfg->webhooks[i].secret == NULL) {
			snprintf(err, errlen, "%s: [%s] %s is required", cfg->path,
			    cfg->webhooks[i].name, cfg->webhooks[i].url ? "secret" : "url");
			return -1;
		}
	}
	return 0;
}

static struct config *
config_finish(struct config *cfg, struct config_state *st, int line,
    char *err, size_t errlen)
{
	if (st->stop_line)	/* config_read() stopped the parse: inih saw an end of file */
		line = st->stop_line;
	if (line != 0) {
		if (line < 0)
			snprintf(err, errlen, "%s: cannot read: %s", cfg->path, strerror(errno));
		else
			snprintf(err, errlen, "%s:%d: %s", cfg->path, line,
			    st->reason[0] ? st->reason : CONFIG_REASON_SYNTAX);
		config_free(cfg);
		return NULL;
	}
	if (config_validate(cfg, err, errlen) < 0) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

static void
config_inih_setup(void)
{
	/* An indented line is a mistake here, not a continuation. */
	ini_allow_multiline = false;
}

/*
 * An fgets() for inih, from a file or a string, that counts the lines it
 * hands out.  A line that does not fit in inih's buffer (num - 1 bytes,
 * ini_max_line) is refused at its own number: the parse ends there, as at
 * the end of the file, and config_finish() reports st->stop_line (inih
 * would otherwise take its tail for a line of its own, and a value would
 * be cut short).  A file saved as UTF-16 (Notepad's "Unicode") is refused
 * at its first line.
 */
/* True when r has text left to read. */
static bool
config_read_more(struct config_reader *r)
{
	int c;

	if (r->file == NULL)
		return *r->text != '\0';
	if ((c = getc(r->file)) == EOF)
		return false;
	ungetc(c, r->file);
	return true;
}

static char *
config_read(char *str, int num, void *stream)
{
	struct config_reader *r = stream;
	size_t n = 0;

	if (num < 2)
		return NULL;
	if (r->file != NULL) {
		if (fgets(str, num, r->file) == NULL)
			return NULL;
	} else {
		if (*r->text == '\0')
			return NULL;
		while (n < (size_t)num - 1 && r->text[n] != '\0')
			if (r->text[n++] == '\n')
				break;
		memcpy(str, r->text, n);
		str[n] = '\0';
		r->text += n;
	}
	if (++r->st->line == 1 && (strncmp(str, "\xFF\xFE", 2) == 0 ||
	    strncmp(str, "\xFE\xFF", 2) == 0))
		config_fail(r->st, "the file is UTF-16 text (%s)", CONFIG_HINT_UTF8);
	n = strlen(str);
	if (n == (size_t)num - 1 && str[n - 1] != '\n' && config_read_more(r)) {
		config_fail(r->st, "line too long (%d bytes at most)", num - 2);
		r->st->stop_line = r->st->line;
		return NULL;
	}
	return str;
}

struct config *
config_load(const char *path, char *err, size_t errlen)
{
	struct config_state st = { 0 };
	struct config_reader r = { NULL, NULL, &st };
	int line;

	st.cfg = config_new_defaults(path);
	config_inih_setup();
	if ((r.file = fopen(path, "r")) == NULL)
		return config_finish(st.cfg, &st, -1, err, errlen);
	line = ini_parse_stream(config_read, &r, config_on_entry, &st);
	fclose(r.file);
	return config_finish(st.cfg, &st, line, err, errlen);
}

struct config *
config_load_string(const char *text, const char *name, char *err, size_t errlen)
{
	struct config_state st = { 0 };
	struct config_reader r = { NULL, text, &st };
	int line;

	st.cfg = config_new_defaults(name);
	config_inih_setup();
	line = ini_parse_stream(config_read, &r, config_on_entry, &st);
	return config_finish(st.cfg, &st, line, err, errlen);
}

const struct config *
config_ref(const struct config *cfg)
{
	/* refs is the one field a snapshot changes: atomic, on a heap object */
	atomic_fetch_add(&((struct config *)cfg)->refs, 1);
	return cfg;
}

void
config_free(const struct config *snapshot)
{
	struct config *cfg = (struct config *)snapshot;
	size_t i;

	if (cfg == NULL || atomic_fetch_sub(&cfg->refs, 1) > 1)
		return;
	for (i = 0; i < cfg->nmodems; i++) {
		free(cfg->modems[i].name);
		free(cfg->modems[i].device);
		free(cfg->modems[i].connection);
		free(cfg->modems[i].pin);
	}
	for (i = 0; i < cfg->nwebhooks; i++) {
		free(cfg->webhooks[i].name);
		free(cfg->webhooks[i].url);
		if (cfg->webhooks[i].secret)
			explicit_bzero(cfg->webhooks[i].secret, strlen(cfg->webhooks[i].secret));
		free(cfg->webhooks[i].secret);
	}
	free(cfg->path);
	free(cfg->centre_name);
	free(cfg->centre_phone);
	free(cfg->centre_address);
	free(cfg->centre_sms_number);
	free(cfg->timezone);
	free(cfg->db_path);
	free(cfg->http_listen);
	free(cfg->http_hosts);
	free(cfg->tls_cert);
	free(cfg->tls_key);
	free(cfg->backup_dir);
	free(cfg);
}

/* NULL-safe string equality. */
static bool
config_str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

bool
config_modems_equal(const struct config *a, const struct config *b)
{
	size_t i;

	if (a->nmodems != b->nmodems)
		return false;
	for (i = 0; i < a->nmodems; i++) {
		const struct config_modem *x = &a->modems[i], *y = &b->modems[i];
		if (!config_str_eq(x->name, y->name) || !config_str_eq(x->device, y->device) ||
		    !config_str_eq(x->connection, y->connection) ||
		    !config_str_eq(x->pin, y->pin) || x->send_pause_ms != y->send_pause_ms)
			return false;
	}
	return true;
}
