/*
 * config — the INI configuration file (API.md, "Configuration file").
 *
 * config_load() reads the whole file into a struct config.  Unknown
 * sections, unknown keys, duplicate keys and bad values are refused; the
 * error names the file, the line and the reason, e.g.
 *   "/etc/rappel/rappel.conf:12: [sending] max_per_minute: not a number: 'six'"
 * Parsing the file with inih, validating here.
 *
 * Every value is text: UTF-8, or else read as Windows-1252 (what Notepad
 * saves as "ANSI"), with a warning naming the file and the line; a value
 * that is neither is refused, with a French hint to save the file as
 * UTF-8.  Control characters are refused in every value (tab is allowed,
 * but in [centre] name).  [centre] phone must be a phone number
 * (phone_normalize()); it is kept as typed.  [centre] sms_number, optional,
 * is the number of the modems' SIM card, a mobile number, kept as typed.
 */
#ifndef RAPPEL_CONFIG_H
#define RAPPEL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define CONFIG_DEFAULT_PATH "/etc/rappel/rappel.conf"
#define CONFIG_MAX_MODEMS 8
#define CONFIG_MAX_WEBHOOKS 8

/* Events a webhook listens to (bits of config_webhook.events). */
#define CONFIG_WEBHOOK_MESSAGE_STATUS 0x1	/* "message.status" */
#define CONFIG_WEBHOOK_REPLY_RECEIVED 0x2	/* "reply.received" */
#define CONFIG_WEBHOOK_SECRET_MIN 16		/* characters */
#define CONFIG_WEBHOOK_RETRY_BASE 10		/* seconds, default first retry delay */

struct config_modem {
	char *name;		/* "modem", "modem.2", ... (the section name) */
	char *device;		/* serial device path, or "simulator" */
	char *connection;	/* Gammu connection name, default "at115200" */
	char *pin;		/* NULL when not set */
	int send_pause_ms;	/* cap on libgammu's sleeps around a PDU, default 0 */
	bool families;		/* device = simulator only: simulated families answer
				   (families.h), for the demo; default no */
};

struct config_webhook {
	char *name;		/* "webhook", "webhook.2", ... (the section name) */
	char *url;		/* http:// or https:// */
	char *secret;		/* HMAC-SHA256 key, at least CONFIG_WEBHOOK_SECRET_MIN */
	unsigned events;	/* CONFIG_WEBHOOK_* bits, default both */
	int retry_base;		/* seconds before the first retry, doubled after */
};

/*
 * A configuration is a snapshot: never changed once loaded, shared by
 * reference between threads.  config_load*() return one reference;
 * config_ref() adds one; config_free() drops one and frees the snapshot
 * with the last.  A reload makes a new snapshot (app_config_set()).
 */
struct config {
	_Atomic long refs;	/* references; the snapshot is freed at 0 */
	char *path;		/* the file this was read from */

	char *centre_name;
	char *centre_phone;
	char *centre_address;	/* "" when not given ({adresse}) */
	char *centre_sms_number;	/* the SIM's number, for the card; NULL when unset */
	char *timezone;		/* default "Europe/Paris" */

	char *db_path;		/* default "/var/lib/rappel/rappel.db" */

	char *http_listen;	/* "address:port", default "127.0.0.1:8080" */
	struct sockaddr_storage http_addr;	/* http_listen, parsed */
	socklen_t http_addrlen;
	/*
	 * [http] hosts: other names the panel answers to, comma-separated, or
	 * "*" for any; NULL when unset.  Addresses, "localhost" and the
	 * machine's own name (and NAME.local) are always answered.
	 */
	char *http_hosts;
	char *tls_cert;		/* NULL unless set; both or neither */
	char *tls_key;
	/* lines of the file that set db_path, tls_cert, tls_key; 0: not in the file */
	int db_path_line, tls_cert_line, tls_key_line;

	int send_start_min;	/* minutes after local midnight, default 08:30 */
	int send_end_min;	/* default 19:30; start < end */
	unsigned send_days;	/* bit 0 = monday ... bit 6 = sunday */
	int max_per_minute;	/* default 6 */
	int max_per_day;	/* default 500 */
	int retry_delay;	/* seconds before the first retry, doubled after; default 30 */
	int reply_days;		/* days a message without an atelier takes OUI/NON; default 7 */
	int waitlist_hold_hours;	/* hours a place freed is held for the one offered it;
				   default 24 */

	char *backup_dir;	/* nightly backups go here; NULL: none */
	int backup_time_min;	/* minutes after local midnight, default 02:30 */
	int backup_keep;	/* nightly copies kept, default 14 */

	int retention_months;	/* messages and replies older are anonymised; 0: never;
				   default 24 */

	size_t nmodems;
	struct config_modem modems[CONFIG_MAX_MODEMS];

	size_t nwebhooks;
	struct config_webhook webhooks[CONFIG_MAX_WEBHOOKS];
};

/*
 * Reads path into a new config.  Returns it, or NULL with a one-line
 * English error in err ("FILE:LINE: reason" or "FILE: reason").
 * The caller frees the result with config_free().
 */
struct config *config_load(const char *path, char *err, size_t errlen);

/* Same, from a string; name is used in error messages (and its lines are the string's). */
struct config *config_load_string(const char *text, const char *name,
    char *err, size_t errlen);

/*
 * Checks what cfg names on this machine: the directory of [database]
 * path exists, and the files of [http] tls_cert and tls_key can be read
 * by this process.  0, or -1 with "FILE:LINE: reason" (English) in err.
 * rappeld runs it at start and for --check-config; config_load() does
 * not, so that a file can be written and read where these paths are not
 * there yet (rappelctl setup, tests).
 */
int config_check_paths(const struct config *cfg, char *err, size_t errlen);

/* True when a and b have the same [modem] sections (a change needs a restart). */
bool config_modems_equal(const struct config *a, const struct config *b);

/* Another reference to cfg (a snapshot), for a reader that may outlive a reload. */
const struct config *config_ref(const struct config *cfg);
/* Drops a reference; the last frees cfg.  config_free(NULL) does nothing. */
void config_free(const struct config *cfg);

/* Parses "ADDRESS:PORT" ("[::]:8080" for IPv6), numeric only; 0 or -1. */
int config_parse_listen(const char *value, struct sockaddr_storage *addr, socklen_t *len);

/* Parses the len bytes of s, "HH:MM" (00:00 to 24:00), into minutes; 0 or -1. */
int config_parse_hhmm(const char *s, size_t len, int *minutes);

/* Parses "HH:MM-HH:MM" into minutes; 0 or -1.  Exposed for tests. */
int config_parse_hours(const char *value, int *start, int *end);

#endif
