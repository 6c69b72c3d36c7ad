/*
 * e2e — a small harness for the end-to-end tests: a real rappeld on a
 * free port of 127.0.0.1 with a fresh database in a temporary directory,
 * driven over HTTP with libcurl, and rappelctl run on the same database.
 *
 *   struct e2e e;
 *   struct e2e_client c;
 *   struct e2e_resp r;
 *
 *   e2e_start(&e);                       admin, referent and animateur exist
 *   e2e_client_init(&c);
 *   e2e_login(&e, &c, E2E_ADMIN, E2E_ADMIN_PW);
 *   e2e_call(&e, &c, "POST", "/api/v1/contacts", "{...}", &r);
 *   ... r.status, r.json, e2e_header(&r, "Retry-After", ...) ...
 *   e2e_resp_free(&r);
 *   e2e_client_free(&c);
 *   e2e_stop(&e);                        asserts a clean exit (status 0)
 *
 * Environment: RAPPELD and RAPPELCTL (paths of the binaries).
 */
#ifndef RAPPEL_E2E_H
#define RAPPEL_E2E_H

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define E2E_ADMIN "admin"
#define E2E_ADMIN_PW "admin-mot-de-passe-1"
#define E2E_REFERENT "referente"
#define E2E_REFERENT_PW "referente-mot-de-passe-2"
#define E2E_ANIMATEUR "animateur"
#define E2E_ANIMATEUR_PW "animateur-mot-de-passe-3"

struct e2e {
	char dir[64];		/* the temporary directory */
	char conf[128];		/* dir/rappel.conf */
	char db[128];		/* dir/rappel.db */
	char log[128];		/* dir/rappeld.log: the daemon's stderr */
	char base[64];		/* "http://127.0.0.1:PORT" */
	int port;
	pid_t pid;		/* the daemon, 0 when not running */
};

/* One HTTP client: a persistent curl handle with its own cookie jar. */
struct e2e_client {
	CURL *curl;
	char csrf[128];		/* sent as X-CSRF-Token unless empty or omit_csrf */
	bool omit_csrf;
	char bearer[128];	/* sent as Authorization: Bearer when not empty */
	char cookie[512];	/* sent as a raw Cookie header when not empty */
};

struct e2e_resp {
	long status;
	char *body;		/* NUL-terminated (len excludes it) */
	size_t len;
	char *headers;		/* the raw header block of the final answer */
	size_t hlen;
	json_t *json;		/* the parsed body when it is JSON, else NULL */
};

/*
 * How much slower than native the run is: Check's CK_TIMEOUT_MULTIPLIER,
 * at least 1 (tests/meson.build sets 3 under qemu-user).  The HTTP clients
 * wait that many times 30 s for an answer.
 */
int e2e_slowdown(void);

/* Starts a daemon with a fresh database; ck_abort()s on failure. */
void e2e_start(struct e2e *e);
/* Same, with extra_conf appended to rappel.conf (a [modem] section ...). */
void e2e_start_with(struct e2e *e, const char *extra_conf);
/* Starts rappeld again on the same directory and waits for /healthz. */
void e2e_launch(struct e2e *e);
/* Kills rappeld with SIGKILL, as a power cut would (no clean stop). */
void e2e_kill(struct e2e *e);
/* SIGTERM, waits, keeps the directory (e2e_launch() starts it again); asserts exit status 0. */
void e2e_halt(struct e2e *e);
/* SIGTERM, waits, removes the directory; asserts exit status 0. */
void e2e_stop(struct e2e *e);
/* Prints the daemon's log on stderr. */
void e2e_dump_log(const struct e2e *e);
/* Runs sql on the daemon's database, behind its back (what a bug or a hand would do). */
void e2e_sql(const struct e2e *e, const char *sql);

/* Writes text to dir/name; returns the path in path (size PATH_MAX ok). */
void e2e_write_file(const struct e2e *e, const char *name, const char *text,
    char *path, size_t pathsize);
/* Reads a whole file (NUL-terminated, malloc'd); NULL if unreadable. */
char *e2e_read_file(const char *path, size_t *len);

/*
 * Runs argv (argv[0] a path), feeding stdin_text (may be NULL) on its
 * standard input and collecting its standard output — and its standard
 * error too when with_stderr — into out (NUL-terminated, truncated to
 * outsize).  Returns the exit status, or 128 + signal, or -1.
 */
int e2e_run(const char *stdin_text, char *out, size_t outsize, bool with_stderr,
    char *const argv[]);
/* Runs "$RAPPELCTL -c e->conf ARGS..." (NULL-terminated); as e2e_run. */
int e2e_ctl(const struct e2e *e, const char *stdin_text, char *out, size_t outsize, ...)
    __attribute__((sentinel));

void e2e_client_init(struct e2e_client *c);
void e2e_client_free(struct e2e_client *c);

/*
 * Sends one request; content_type and body may be NULL.  Fills out (free
 * it with e2e_resp_free) and returns the status (0 on transport error).
 */
long e2e_request(const struct e2e *e, struct e2e_client *c, const char *method,
    const char *path, const char *content_type, const void *body, size_t len,
    struct e2e_resp *out);
/* Same with a JSON body (or none when json is NULL). */
long e2e_call(const struct e2e *e, struct e2e_client *c, const char *method,
    const char *path, const char *json, struct e2e_resp *out);
/* Same, discarding the answer but its status. */
long e2e_status(const struct e2e *e, struct e2e_client *c, const char *method,
    const char *path, const char *json);
/* GETs path, asserting 200; its JSON (NULL when not JSON), to json_decref(). */
json_t *e2e_get(const struct e2e *e, struct e2e_client *c, const char *path);
void e2e_resp_free(struct e2e_resp *r);

/* Copies the value of the first header called name into out; false if absent. */
bool e2e_header(const struct e2e_resp *r, const char *name, char *out, size_t outsize);

/* POSTs /api/v1/session and keeps the csrf_token; returns the status. */
long e2e_login(const struct e2e *e, struct e2e_client *c, const char *login,
    const char *password);
/* e2e_start(), then admin initialised and logged in as E2E_ADMIN. */
void e2e_start_admin(struct e2e *e, struct e2e_client *admin);

/*
 * e2e_call() that asserts the answer's status; returns its JSON (to
 * json_decref), or NULL when the answer is not JSON.
 */
json_t *e2e_expect(const struct e2e *e, struct e2e_client *c, const char *method,
    const char *path, const char *json, long status);

/* now + seconds, to the minute, as ISO 8601 in UTC ("2026-12-03T13:00:00Z"). */
void e2e_iso_in(long seconds, char *out, size_t len);

/* POSTs /api/v1/messages {to, body} (201 expected); returns the message's id. */
json_int_t e2e_send_sms(const struct e2e *e, struct e2e_client *c, const char *to,
    const char *body);

/* Sleeps ms milliseconds, through signals. */
void e2e_sleep_ms(long ms);

/* r->json.error.code (or "" when absent). */
const char *e2e_error_code(const struct e2e_resp *r);
/* r->json.error.field (or "" when absent). */
const char *e2e_error_field(const struct e2e_resp *r);

#endif
