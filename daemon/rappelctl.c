/*
 * rappelctl — administration on the daemon's database.  Every command
 * works without a terminal: a password is read from standard input when
 * it is not a terminal (twice, one per line, for "user add").
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "auth.h"
#include "backup.h"
#include "buf.h"
#include "contacts.h"
#include "config.h"
#include "db.h"
#include "families.h"
#include "import.h"
#include "log.h"
#include "optout.h"
#include "phone.h"
#include "pin.h"
#include "queue.h"
#include "scheduler.h"
#include "settings.h"
#include "setup.h"
#include "modem.h"
#include "modemstatus.h"
#include "timeutil.h"

static const struct audit_actor ctl_actor = { 0, "rappelctl" };

static void
ctl_usage(FILE *out)
{
	fprintf(out,
	    "usage: rappelctl [-c FILE] COMMAND\n"
	    "  user add LOGIN --role admin|referent|animateur\n"
	    "  user passwd LOGIN\n"
	    "  user list\n"
	    "  user disable LOGIN | user enable LOGIN\n"
	    "  token create LOGIN [--label TEXT] [--days N]\n"
	    "                                       prints a new API token (valid 365 days)\n"
	    "  token list LOGIN                     its valid tokens: id, label, dates\n"
	    "  token revoke ID                      ends a token at once\n"
	    "  import contacts FILE.csv [--dry-run]\n"
	    "  send NUMBER TEXT                     queue one SMS (rappeld sends it)\n"
	    "  status\n"
	    "  backup FILE                          online copy of the database\n"
	    "  restore FILE                         replace the database with a copy\n"
	    "                                       (rappeld stopped)\n"
	    "  migrate                              apply pending schema migrations\n"
	    "  pin forget [MODEM]                   try a PIN the SIM refused once more\n"
	    "  simulate reply NUMBER TEXT           the simulated modem receives TEXT from\n"
	    "                                       NUMBER (device = simulator only)\n"
	    "  setup [--devices DIR]                first-run assistant (rappeld stopped):\n"
	    "                                       modem, centre, admin account, test SMS\n"
	    "Passwords are read from the terminal, or from standard input (one per line).\n");
}

static int
ctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
ctl_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("rappelctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/*
 * A command's change is one transaction with its audit entry: ctl_begin()
 * opens it; ctl_commit() records the entry and commits, and
 * ctl_rollback() gives up.  Each returns 0, or 1 (the exit status) with
 * "WHAT: ...; nothing changed" on standard error.
 */
static int
ctl_begin(struct db *db, const char *what)
{
	return db_begin(db) < 0 ? ctl_fail("%s: database error; nothing changed", what) : 0;
}

static int
ctl_commit(struct db *db, const char *what, int64_t now, const char *action,
    const char *entity, int64_t entity_id)
{
	if (audit_record(db, &ctl_actor, now, action, entity, entity_id, NULL) < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		return ctl_fail("%s: database error; nothing changed", what);
	}
	return 0;
}

static int
ctl_rollback(struct db *db, const char *what, const char *reason)
{
	db_rollback(db);
	return ctl_fail("%s: %s; nothing changed", what, reason);
}

/* Reads one line (without its newline); prompts without echo on a tty. */
static int
ctl_read_password(const char *prompt, char *out, size_t size)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO);
	size_t n;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (fgets(out, (int)size, stdin) == NULL)
		out[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	n = strlen(out);
	if (n && out[n - 1] == '\n')
		out[--n] = '\0';
	if (n && out[n - 1] == '\r')
		out[--n] = '\0';
	return n ? 0 : -1;
}

static int
ctl_new_password(char *pw, size_t size)
{
	char again[AUTH_PASSWORD_MAX + 2];

	if (ctl_read_password("New password: ", pw, size) < 0)
		return ctl_fail("no password given on standard input");
	if (ctl_read_password("Same password again: ", again, sizeof(again)) < 0 ||
	    strcmp(pw, again) != 0)
		return ctl_fail("the two passwords differ");
	return 0;
}

static int
ctl_user(struct db *db, int argc, char **argv, int64_t now)
{
	char pw[AUTH_PASSWORD_MAX + 2];
	const char *reason = NULL, *role_name = NULL;
	enum auth_role role;
	struct auth_user u;
	int64_t id;
	int i;

	if (argc < 1)
		return ctl_fail("user: missing subcommand (add, passwd, list, disable, enable)");
	if (strcmp(argv[0], "list") == 0) {
		sqlite3_stmt *st = db_stmt(db, "SELECT login, role, disabled_at IS NOT NULL "
		    "FROM users ORDER BY login");
		int rc;

		if (st == NULL)
			return ctl_fail("user list: database error");
		printf("%-24s %-10s %s\n", "LOGIN", "ROLE", "STATE");
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			printf("%-24s %-10s %s\n", sqlite3_column_text(st, 0),
			    sqlite3_column_text(st, 1),
			    sqlite3_column_int(st, 2) ? "disabled" : "active");
		if (rc != SQLITE_DONE)
			ctl_fail("user list: %s; the list above is incomplete",
			    sqlite3_errmsg(db_handle(db)));
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? 0 : 1;
	}
	if (argc < 2)
		return ctl_fail("user %s: missing LOGIN", argv[0]);
	if (strcmp(argv[0], "add") == 0) {
		for (i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
				role_name = argv[++i];
			else
				return ctl_fail("user add: unexpected argument '%s'", argv[i]);
		}
		if (role_name == NULL || auth_role_parse(role_name, &role) < 0)
			return ctl_fail("user add: --role must be admin, referent or animateur");
		if (ctl_new_password(pw, sizeof(pw)) != 0 || ctl_begin(db, "user add") != 0)
			return 1;
		if (auth_user_add(db, argv[1], role, pw, now, &id, &reason) < 0)
			return ctl_rollback(db, "user add", reason);
		if (ctl_commit(db, "user add", now, "create", "user", id) != 0)
			return 1;
		printf("user %s added (%s)\n", argv[1], role_name);
		return 0;
	}
	if (auth_user_find(db, argv[1], &u) < 0)
		return ctl_fail("%s: no such user", argv[1]);
	if (strcmp(argv[0], "passwd") == 0) {
		if (ctl_new_password(pw, sizeof(pw)) != 0 || ctl_begin(db, "user passwd") != 0)
			return 1;
		if (auth_user_set_password(db, argv[1], pw, now, NULL, &reason) < 0)
			return ctl_rollback(db, "user passwd", reason);
		if (ctl_commit(db, "user passwd", now, "password", "user", u.id) != 0)
			return 1;
		printf("password of %s changed; its sessions ended and its tokens revoked\n",
		    argv[1]);
		return 0;
	}
	if (strcmp(argv[0], "disable") == 0 || strcmp(argv[0], "enable") == 0) {
		bool off = strcmp(argv[0], "disable") == 0;
		const char *what = off ? "user disable" : "user enable";

		if (ctl_begin(db, what) != 0)
			return 1;
		if (auth_user_set_disabled(db, argv[1], off, now) < 0)
			return ctl_rollback(db, what, "database error");
		if (ctl_commit(db, what, now, off ? "disable" : "enable", "user", u.id) != 0)
			return 1;
		printf("user %s %s\n", argv[1], off ? "disabled" : "enabled");
		return 0;
	}
	return ctl_fail("user: unknown subcommand '%s'", argv[0]);
}

#define CTL_TOKEN_USAGE "usage: token create LOGIN [--label TEXT] [--days N] | " \
	"token list LOGIN | token revoke ID"

/* A date for a listing: "2026-12-03 14:00" (local time of the centre), or "-". */
static const char *
ctl_token_date(sqlite3_stmt *st, int col, char out[TIME_ISO_MAX])
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return "-";
	time_format_iso(sqlite3_column_int64(st, col), out);
	out[16] = '\0';
	out[10] = ' ';
	return out;
}

static int
ctl_token_list(struct db *db, const char *login, int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT t.id, t.label, t.created_at, t.last_used_at, "
	    "t.expires_at FROM api_tokens t JOIN users u ON u.id = t.user_id "
	    "WHERE u.login = ?1 AND t.revoked_at IS NULL "
	    "AND (t.expires_at IS NULL OR t.expires_at > ?2) ORDER BY t.id");
	char a[TIME_ISO_MAX], b[TIME_ISO_MAX], c[TIME_ISO_MAX];
	int rc;

	if (st == NULL)
		return ctl_fail("token list: database error");
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	printf("%-6s %-16s %-16s %-16s %s\n", "ID", "CREATED", "LAST USED", "EXPIRES", "LABEL");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		printf("%-6lld %-16s %-16s %-16s %s\n", (long long)sqlite3_column_int64(st, 0),
		    ctl_token_date(st, 2, a), ctl_token_date(st, 3, b), ctl_token_date(st, 4, c),
		    (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ctl_fail("token list: %s; the list above is incomplete",
		    sqlite3_errmsg(db_handle(db)));
	return 0;
}

static int
ctl_token(struct db *db, int argc, char **argv, int64_t now)
{
	char token[AUTH_TOKEN_LEN + 1], *end;
	const char *label = "";
	long days = AUTH_TOKEN_DAYS;
	struct auth_user u;
	int64_t id;
	int i;

	if (argc == 2 && strcmp(argv[0], "revoke") == 0) {
		id = strtoll(argv[1], &end, 10);
		if (*end != '\0' || id <= 0)
			return ctl_fail(CTL_TOKEN_USAGE);
		if (ctl_begin(db, "token revoke") != 0)
			return 1;
		if (auth_token_revoke(db, id, 0, now) < 0)
			return ctl_rollback(db, "token revoke", "no such valid token");
		if (ctl_commit(db, "token revoke", now, "revoke", "token", id) != 0)
			return 1;
		printf("token %lld revoked\n", (long long)id);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[0], "create") != 0 && strcmp(argv[0], "list") != 0))
		return ctl_fail(CTL_TOKEN_USAGE);
	if (auth_user_find(db, argv[1], &u) < 0)
		return ctl_fail("%s: no such user", argv[1]);
	if (strcmp(argv[0], "list") == 0)
		return argc == 2 ? ctl_token_list(db, u.login, now) : ctl_fail(CTL_TOKEN_USAGE);
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--label") == 0 && i + 1 < argc) {
			label = argv[++i];
		} else if (strcmp(argv[i], "--days") == 0 && i + 1 < argc) {
			days = strtol(argv[++i], &end, 10);
			if (*end != '\0' || days < 1 || days > AUTH_TOKEN_DAYS_MAX)
				return ctl_fail("token create: --days must be from 1 to %d",
				    AUTH_TOKEN_DAYS_MAX);
		} else {
			return ctl_fail(CTL_TOKEN_USAGE);
		}
	}
	if (u.disabled)
		return ctl_fail("%s: the account is disabled", argv[1]);
	if (ctl_begin(db, "token create") != 0)
		return 1;
	if (auth_token_create(db, u.id, label, now, now + (int64_t)days * 24 * 3600, token,
	    &id) < 0)
		return ctl_rollback(db, "token create", "database error");
	if (ctl_commit(db, "token create", now, "create", "token", id) != 0)
		return 1;
	printf("%s\n", token);
	return 0;
}

static int
ctl_import(struct db *db, int argc, char **argv, int64_t now)
{
	struct buf data = { 0 };
	struct error err = { 0 };
	bool dry_run = argc == 3 && strcmp(argv[2], "--dry-run") == 0;
	json_t *res, *e;
	size_t i, refused;

	if (argc < 2 || strcmp(argv[0], "contacts") != 0 || (argc == 3 && !dry_run) || argc > 3)
		return ctl_fail("usage: import contacts FILE.csv [--dry-run]");
	if (buf_read_file(&data, argv[1]) < 0) {
		buf_free(&data);
		return ctl_fail("%s: %s", argv[1], strerror(errno));
	}
	res = import_contacts(db, data.data ? data.data : "", data.len, dry_run, &ctl_actor,
	    now, &err);
	buf_free(&data);
	if (res == NULL)
		return ctl_fail("%s: %s", argv[1], err.message);
	printf("%s%lld created, %lld updated, %lld unchanged, %lld skipped\n",
	    dry_run ? "(dry run, nothing saved) " : "",
	    (long long)json_integer_value(json_object_get(res, "created")),
	    (long long)json_integer_value(json_object_get(res, "updated")),
	    (long long)json_integer_value(json_object_get(res, "unchanged")),
	    (long long)json_integer_value(json_object_get(res, "skipped")));
	json_array_foreach(json_object_get(res, "errors"), i, e)
		printf("line %lld: %s\n",
		    (long long)json_integer_value(json_object_get(e, "line")),
		    json_string_value(json_object_get(e, "reason")));
	json_array_foreach(json_object_get(res, "warnings"), i, e)
		printf("line %lld: warning: %s\n",
		    (long long)json_integer_value(json_object_get(e, "line")),
		    json_string_value(json_object_get(e, "message")));
	refused = json_array_size(json_object_get(res, "errors"));
	json_decref(res);
	/* the good lines are kept; the exit status says that not all were */
	if (refused > 0)
		return ctl_fail("%s: %zu line(s) %s", argv[1], refused,
		    dry_run ? "would not be imported" : "not imported");
	return 0;
}

static int
ctl_send(struct db *db, int argc, char **argv, int64_t now)
{
	char to[PHONE_E164_MAX];
	enum phone_kind kind;
	const char *reason = NULL;
	struct error err = { 0 };
	int64_t id;

	if (argc != 2)
		return ctl_fail("usage: send NUMBER TEXT");
	if (phone_normalize(argv[0], to, &kind, &reason) < 0)
		return ctl_fail("%s: not a phone number: %s", argv[0], reason);
	if (!phone_kind_can_sms(kind))
		return ctl_fail("%s: a landline or service number cannot receive SMS", argv[0]);
	if (ctl_begin(db, "send") != 0)
		return 1;
	if (queue_add(db, to, contacts_find_by_number(db, to), argv[1], QUEUE_DIRECT, "rappelctl", now,
	    &id, &err) < 0)
		return ctl_rollback(db, "send", err.message);
	if (ctl_commit(db, "send", now, "send", "message", id) != 0)
		return 1;
	printf("message %lld queued\n", (long long)id);
	return 0;
}

static int
ctl_status(struct db *db, const struct config *cfg)
{
	static const char *const counts[][2] = {
		{ "contacts", "SELECT count(*) FROM contacts" },
		{ "groups", "SELECT count(*) FROM groups" },
		{ "users", "SELECT count(*) FROM users WHERE disabled_at IS NULL" },
	};
	bool ok;
	size_t i;
	int n;

	n = db_version(db);
	ok = n >= 0;
	printf("database: %s (schema %d of %d)\n", cfg->db_path, n, db_latest_version());
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		sqlite3_stmt *st = db_stmt(db, counts[i][1]);
		if (st && sqlite3_step(st) == SQLITE_ROW)
			printf("%s: %lld\n", counts[i][0], (long long)sqlite3_column_int64(st, 0));
		else
			ok = false;
		if (st)
			sqlite3_reset(st);
	}
	{
		static const char *const states[] = { "queued", "sending", "sent", "delivered",
			"failed", "uncertain" };
		printf("messages:");
		for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
			n = queue_count(db, states[i]);
			ok = ok && n >= 0;
			printf(" %s=%d", states[i], n);
		}
		printf("\n");
	}
	printf("opted-out numbers (STOP): %d\n", optout_count(db));
	printf("modems configured: %zu\n", cfg->nmodems);
	{
		struct modemstatus *ms;
		char signal[16];
		size_t m, nms;

		if (modemstatus_read(db, &ms, &nms) < 0)
			ok = false;
		for (m = 0; m < nms; m++) {
			snprintf(signal, sizeof(signal), ms[m].signal >= 0 ? "%d%%" : "?",
			    ms[m].signal);
			printf("modem %s: %s, signal %s, operator %s, sent %lld%s%s\n",
			    ms[m].name, ms[m].state, signal, ms[m].operator[0] ?
			    ms[m].operator : "-", ms[m].sent_total, ms[m].last_error[0] ?
			    ", last error: " : "", ms[m].last_error);
		}
		free(ms);
	}
	if (!ok)
		return ctl_fail("status: database error; the figures above are incomplete");
	return 0;
}

/*
 * simulate reply NUMBER TEXT: with the built-in simulated modem only, the
 * phone of NUMBER sends TEXT to it (families.h); rappeld takes it in
 * within a few seconds.
 */
static int
ctl_simulate(struct db *db, const struct config *cfg, int argc, char **argv, int64_t now)
{
	struct error err = { 0 };

	if (argc != 3 || strcmp(argv[0], "reply") != 0)
		return ctl_fail("usage: simulate reply NUMBER TEXT");
	if (!families_have_simulator(cfg))
		return ctl_fail("simulate: only with the simulated modem (device = simulator "
		    "in a [modem] section); with a real modem, replies come from real phones");
	if (families_simulate(db, cfg, argv[1], argv[2], now, &err) < 0)
		return ctl_fail("simulate: %s", err.message);
	printf("the simulated phone %s sends its reply; rappeld takes it in within a few "
	    "seconds\n", argv[1]);
	return 0;
}

/*
 * pin forget [MODEM]: the PINs refused (or tried without an answer) by
 * the SIM of MODEM, or of every modem, may be tried once more.  For a new
 * SIM, or a PIN known to be right after an attempt a power cut cut short.
 */
static int
ctl_pin(struct db *db, int argc, char **argv, int64_t now)
{
	int n;

	if (argc < 1 || argc > 2 || strcmp(argv[0], "forget") != 0)
		return ctl_fail("usage: pin forget [MODEM]");
	if (ctl_begin(db, "pin forget") != 0)
		return 1;
	if ((n = pin_forget(db, argc == 2 ? argv[1] : NULL)) < 0)
		return ctl_rollback(db, "pin forget", "database error");
	if (ctl_commit(db, "pin forget", now, "pin_forget", "modem", 0) != 0)
		return 1;
	printf("%d refused PIN(s) forgotten; restart rappel to try the configured PIN once\n",
	    n);
	return 0;
}

/*
 * Run as root on an installed system (sudo rappelctl ...), rappelctl
 * becomes the owner of the database's directory (the rappel user) before
 * touching it: files it creates there (the database, its -wal and -shm)
 * must stay writable by rappeld.  0, or -1 with a reason in err.
 */
static int
ctl_drop_root(const char *db_path, char *err, size_t errlen)
{
	char copy[4096];
	struct passwd *pw;
	struct stat sb;

	if (geteuid() != 0)
		return 0;
	snprintf(copy, sizeof(copy), "%s", db_path);
	if (stat(dirname(copy), &sb) < 0 || sb.st_uid == 0)
		return 0;
	pw = getpwuid(sb.st_uid);
	if ((pw ? initgroups(pw->pw_name, sb.st_gid) : setgroups(0, NULL)) < 0 ||
	    setgid(sb.st_gid) < 0 || setuid(sb.st_uid) < 0) {
		snprintf(err, errlen, "cannot become the owner of %.200s (uid %d): %s", copy,
		    (int)sb.st_uid, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * restore FILE: with the database's lock held (no rappeld), the copy is
 * checked and put in place, then what may have gone out between the
 * backup and now is held for a person instead of being sent again, in
 * one transaction: messages due marked uncertain, campaign occurrences
 * due recorded as missed (scheduler_restored(), whose items nest in it),
 * the audit entry.  When any of it fails none of it is kept, and the
 * exit status and message say not to start rappeld on that database.
 */
static int
ctl_restore(const struct config *cfg, const char *src, int64_t now)
{
	struct backup_info info;
	char err[512], *kept = NULL;
	struct db *db = NULL;
	int lock, held = -1, rc = 1;

	if ((lock = db_lock(cfg->db_path, err, sizeof(err))) < 0)
		return ctl_fail("%s", err);
	if (backup_restore(src, cfg->db_path, now, &info, &kept, err, sizeof(err)) < 0) {
		ctl_fail("%s", err);
		goto done;
	}
	if ((db = db_open(cfg->db_path, err, sizeof(err))) == NULL) {
		ctl_fail("%s", err);
		goto done;
	}
	if (db_begin(db) < 0 || (held = queue_hold_restored(db, now)) < 0 ||
	    scheduler_restored(db, cfg, now) < 0 ||
	    audit_record(db, &ctl_actor, now, "restore", "database", 0, NULL) < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		ctl_fail("%s restored, but holding what was due since the backup failed (see "
		    "above): do not start rappeld, it could send those messages again; "
		    "restore again", cfg->db_path);
		goto done;
	}
	printf("restored %s from %s (schema %d, %lld contacts, %lld messages)\n",
	    cfg->db_path, src, info.version, info.contacts, info.messages);
	if (kept)
		printf("the previous database is kept as %s\n", kept);
	if (held > 0)
		printf("%d message(s) due before now may have been sent after the backup: "
		    "marked uncertain, check them before resending\n", held);
	rc = 0;
done:
	db_close(db);
	free(kept);
	close(lock);
	return rc;
}

#define CTL_TEST_WAIT_S 120	/* most the test SMS of setup may take */

static int64_t
ctl_now(void)
{
	return (int64_t)time(NULL);
}

/*
 * Asks on standard error and reads one line of standard input (without
 * its newline) into out; an empty answer gives def (may be NULL: "").
 * -1 at the end of the input.
 */
static int
ctl_ask(const char *prompt, const char *def, char *out, size_t size)
{
	size_t n;

	fprintf(stderr, "%s", prompt);
	if (def && def[0])
		fprintf(stderr, "[%s] ", def);
	fflush(stderr);
	if (fgets(out, (int)size, stdin) == NULL)
		return -1;
	n = strcspn(out, "\r\n");
	out[n] = '\0';
	if (n == 0 && def)
		snprintf(out, size, "%s", def);
	return 0;
}

/* A yes/no question; def is the answer to an empty line. */
static bool
ctl_ask_yes(const char *prompt, bool def)
{
	char a[16];

	if (ctl_ask(prompt, def ? "o" : "n", a, sizeof(a)) < 0)
		return def;
	return a[0] == 'o' || a[0] == 'O' || a[0] == 'y' || a[0] == 'Y';
}

/* Shows the modems found; the chosen one's index in *choice, or -1 for none. */
static int
ctl_setup_modem(const char *dir, struct setup_modem *found, int *choice)
{
	size_t n, i;
	char a[16];
	long k;

	fprintf(stderr, "Recherche des modems dans %s ...\n", dir);
	n = setup_find(dir, found, SETUP_MAX_MODEMS);
	*choice = -1;
	if (n == 0) {
		fprintf(stderr, "Aucun modem ne répond. Vérifiez qu'il est branché, qu'il n'est "
		    "pas en mode « HiLink » (clé qui se présente comme une carte réseau) et "
		    "lisez docs/installation-raspberry-pi.md.\n");
		return ctl_ask_yes("Continuer sans modem ? ", false) ? 0 : -1;
	}
	for (i = 0; i < n; i++)
		fprintf(stderr, "  %zu) %s\n     %s, carte SIM : %s\n", i + 1, found[i].path,
		    found[i].model[0] ? found[i].model : "modèle inconnu",
		    strcmp(found[i].sim, "READY") == 0 ? "prête" :
		    strcmp(found[i].sim, "SIM PIN") == 0 ? "code PIN demandé" :
		    strcmp(found[i].sim, "SIM PUK") == 0 ? "BLOQUÉE (code PUK demandé)" :
		    found[i].sim[0] ? found[i].sim : "état inconnu");
	if (ctl_ask("Numéro du modem à utiliser ", "1", a, sizeof(a)) < 0)
		return -1;
	k = strtol(a, NULL, 10);
	if (k < 1 || (size_t)k > n) {
		fprintf(stderr, "Choix invalide : %s\n", a);
		return -1;
	}
	*choice = (int)k - 1;
	return 0;
}

/* The PIN asked for a SIM that wants one; "" otherwise.  -1 on a bad answer. */
static int
ctl_setup_pin(const struct setup_modem *m, char *pin, size_t size)
{
	size_t n, i;

	pin[0] = '\0';
	if (m == NULL || strcmp(m->sim, "SIM PIN") != 0) {
		if (m && strcmp(m->sim, "SIM PUK") == 0)
			fprintf(stderr, "La carte SIM est bloquée : débloquez-la avec son code PUK "
			    "dans un téléphone, puis relancez rappelctl setup.\n");
		return 0;
	}
	fprintf(stderr, "Le code PIN ne sera essayé qu'une fois par démarrage, pour ne pas "
	    "bloquer la carte.\n");
	if (ctl_ask("Code PIN de la carte SIM (4 à 8 chiffres) : ", NULL, pin, size) < 0)
		return -1;
	n = strlen(pin);
	for (i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9')
			break;
	if (n < 4 || n > 8 || i != n) {
		fprintf(stderr, "Un code PIN a 4 à 8 chiffres.\n");
		return -1;
	}
	return 0;
}

/* The admin account: created, or its password changed when it exists. */
static int
ctl_setup_admin(struct db *db, int64_t now)
{
	char login[64], pw[AUTH_PASSWORD_MAX + 2], again[AUTH_PASSWORD_MAX + 2];
	const char *reason = NULL;
	struct auth_user u;
	int64_t id;

	if (ctl_ask("Identifiant du compte administrateur ", "directrice", login,
	    sizeof(login)) < 0 ||
	    ctl_read_password("Mot de passe (10 caractères au moins) : ", pw, sizeof(pw)) < 0 ||
	    ctl_read_password("Le même mot de passe : ", again, sizeof(again)) < 0)
		return ctl_fail("setup: no answer on standard input");
	if (strcmp(pw, again) != 0)
		return ctl_fail("setup: the two passwords differ");
	if (ctl_begin(db, "setup") != 0)
		return 1;
	if (auth_user_find(db, login, &u) == 0) {
		if (auth_user_set_password(db, login, pw, now, NULL, &reason) < 0)
			return ctl_rollback(db, "setup", reason);
		if (ctl_commit(db, "setup", now, "password", "user", u.id) != 0)
			return 1;
		fprintf(stderr, "Le mot de passe du compte %s est changé.\n", login);
		return 0;
	}
	if (auth_user_add(db, login, AUTH_ROLE_ADMIN, pw, now, &id, &reason) < 0)
		return ctl_rollback(db, "setup", reason);
	if (ctl_commit(db, "setup", now, "create", "user", id) != 0)
		return 1;
	fprintf(stderr, "Compte administrateur %s créé.\n", login);
	return 0;
}

/*
 * The test SMS: queued, then sent by the modem workers run here for a
 * moment (rappeld is stopped: the lock is ours), at any hour.
 */
static int
ctl_setup_test_sms(struct db *db, struct config *cfg)
{
	char number[64], to[PHONE_E164_MAX], text[320], err[512], status[32] = "queued";
	char error[256] = "", modem_error[256] = "", state[32] = "";
	struct modemstatus ms;
	struct modem_pool *pool;
	struct error e = { 0 };
	enum phone_kind kind;
	const char *reason;
	int64_t id;
	int waited;

	if (ctl_ask("Numéro de portable pour un SMS d'essai (vide : pas d'essai) : ", NULL,
	    number, sizeof(number)) < 0 || number[0] == '\0')
		return 0;
	if (phone_normalize(number, to, &kind, &reason) < 0 || !phone_kind_can_sms(kind))
		return ctl_fail("setup: %s is not a mobile number", number);
	snprintf(text, sizeof(text), "Essai de rappel : ce SMS vient de %s. Tout fonctionne.",
	    cfg->centre_name);
	if (queue_add(db, to, 0, text, QUEUE_DIRECT, "rappelctl setup", ctl_now(), &id, &e) < 0)
		return ctl_fail("setup: %s", e.message);
	cfg->send_start_min = 0;		/* a test goes out at any hour */
	cfg->send_end_min = 24 * 60;
	cfg->send_days = 0x7f;
	if ((pool = modem_pool_start(cfg, ctl_now, err, sizeof(err))) == NULL)
		return ctl_fail("setup: %s", err);
	fprintf(stderr, "Envoi du SMS d'essai ...\n");
	for (waited = 0; waited < CTL_TEST_WAIT_S * 2; waited++) {
		if (queue_message_state(db, id, status, sizeof(status), error,
		    sizeof(error)) < 0)
			break;
		if (modemstatus_get(db, "modem", &ms) == 1) {
			snprintf(modem_error, sizeof(modem_error), "%s", ms.last_error);
			snprintf(state, sizeof(state), "%s", ms.state);
		}
		if (strcmp(status, "queued") != 0 && strcmp(status, "sending") != 0)
			break;
		if (strcmp(state, "pin_refused") == 0)
			break;
		usleep(500 * 1000);
	}
	modem_pool_stop(pool);
	if (strcmp(status, "sent") == 0 || strcmp(status, "delivered") == 0) {
		printf("test SMS sent to %s\n", to);
		return 0;
	}
	if (strcmp(status, "queued") == 0 || strcmp(status, "sending") == 0)
		queue_cancel(db, id, ctl_now(), &e);
	return ctl_fail("setup: the test SMS was not sent (%s%s%s%s%s); the configuration is "
	    "written, see docs/installation-raspberry-pi.md", status, error[0] ? ": " : "",
	    error, modem_error[0] ? "; modem: " : "", modem_error);
}

/* setup [--devices DIR]: the first-run assistant. */
static int
ctl_setup(const char *path, int argc, char **argv)
{
	struct setup_modem found[SETUP_MAX_MODEMS];
	struct setup_answers a = { 0 };
	char name[200], phone[64], pin[16], err[512], db_path[4096];
	const char *dir = SETUP_DEVICES_DIR;
	struct config *cfg;
	struct db *db = NULL;
	int choice, lock, rc = 1;

	if (argc == 3 && strcmp(argv[1], "--devices") == 0)
		dir = argv[2];
	else if (argc != 1)
		return ctl_usage(stderr), 2;
	snprintf(db_path, sizeof(db_path), "/var/lib/rappel/rappel.db");
	if (access(path, F_OK) == 0) {
		if ((cfg = config_load(path, err, sizeof(err))) == NULL)
			return ctl_fail("%s (correct it, or remove it to start afresh)", err);
		snprintf(db_path, sizeof(db_path), "%s", cfg->db_path);
		config_free(cfg);
	}
	if ((lock = db_lock(db_path, err, sizeof(err))) < 0)
		return ctl_fail("%s; then run rappelctl setup again", err);
	fprintf(stderr, "rappel : premier réglage (%s)\n", path);
	if (ctl_setup_modem(dir, found, &choice) < 0 ||
	    ctl_setup_pin(choice >= 0 ? &found[choice] : NULL, pin, sizeof(pin)) < 0 ||
	    ctl_ask("Nom du centre (il signe chaque SMS) : ", NULL, name, sizeof(name)) < 0 ||
	    ctl_ask("Téléphone du centre (rappelé par les familles) : ", NULL, phone,
	    sizeof(phone)) < 0) {
		ctl_fail("setup: stopped, nothing written");
		goto done;
	}
	a.centre_name = name;
	a.centre_phone = phone;
	a.device = choice >= 0 ? found[choice].path : NULL;
	a.pin = pin;
	a.network = ctl_ask_yes("Ouvrir le panneau aux autres ordinateurs du centre ? ", true);
	if (setup_write_config(path, &a, err, sizeof(err)) < 0) {
		ctl_fail("setup: %s", err);
		goto done;
	}
	printf("configuration written to %s\n", path);
	if ((cfg = config_load(path, err, sizeof(err))) == NULL) {
		ctl_fail("%s", err);
		goto done;
	}
	time_set_zone(cfg->timezone);
	if (ctl_drop_root(cfg->db_path, err, sizeof(err)) < 0 ||
	    (db = db_open(cfg->db_path, err, sizeof(err))) == NULL ||
	    db_migrate(db, err, sizeof(err)) < 0) {
		ctl_fail("%s", err);
	} else if (settings_forget_section(db, "centre") < 0) {
		/* what was just answered wins over a name changed in the panel */
		ctl_fail("cannot clear the centre's settings of the panel");
	} else if (ctl_setup_admin(db, ctl_now()) == 0 &&
	    (cfg->nmodems == 0 || ctl_setup_test_sms(db, cfg) == 0)) {
		printf("done: start rappel with \"systemctl restart rappel\", then open "
		    "http://%s/ in a browser\n", cfg->http_listen);
		rc = 0;
	}
	config_free(cfg);
done:
	db_close(db);
	close(lock);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *path = CONFIG_DEFAULT_PATH;
	struct config *cfg;
	struct db *db;
	char err[512];
	int64_t now = (int64_t)time(NULL);
	int opt, rc;

	log_set_prefix(false);
	log_set_level(LOG_LEVEL_WARN);
	while ((opt = getopt(argc, argv, "+c:h")) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'h':
			ctl_usage(stdout);
			return 0;
		default:
			ctl_usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		ctl_usage(stderr);
		return 2;
	}
	if (strcmp(argv[0], "setup") == 0)
		return ctl_setup(path, argc, argv);	/* the file may not exist yet */
	if ((cfg = config_load(path, err, sizeof(err))) == NULL)
		return ctl_fail("%s", err);
	time_set_zone(cfg->timezone);
	if (ctl_drop_root(cfg->db_path, err, sizeof(err)) < 0) {
		config_free(cfg);
		return ctl_fail("%s", err);
	}
	if (strcmp(argv[0], "restore") == 0) {
		/* the database in place may be the broken one: not opened first */
		rc = argc == 2 ? ctl_restore(cfg, argv[1], now) : (ctl_usage(stderr), 2);
		config_free(cfg);
		return rc;
	}
	if ((db = db_open(cfg->db_path, err, sizeof(err))) == NULL) {
		config_free(cfg);
		return ctl_fail("%s", err);
	}
	if (db_migrate(db, err, sizeof(err)) < 0) {
		rc = ctl_fail("%s", err);
	} else if (strcmp(argv[0], "migrate") == 0) {
		if ((rc = db_version(db)) < 0) {
			rc = ctl_fail("migrate: cannot read the schema version");
		} else {
			printf("schema at version %d\n", rc);
			rc = 0;
		}
	} else if (strcmp(argv[0], "user") == 0) {
		rc = ctl_user(db, argc - 1, argv + 1, now);
	} else if (strcmp(argv[0], "token") == 0) {
		rc = ctl_token(db, argc - 1, argv + 1, now);
	} else if (strcmp(argv[0], "import") == 0) {
		rc = ctl_import(db, argc - 1, argv + 1, now);
	} else if (strcmp(argv[0], "send") == 0) {
		rc = ctl_send(db, argc - 1, argv + 1, now);
	} else if (strcmp(argv[0], "status") == 0) {
		rc = ctl_status(db, cfg);
	} else if (strcmp(argv[0], "pin") == 0) {
		rc = ctl_pin(db, argc - 1, argv + 1, now);
	} else if (strcmp(argv[0], "simulate") == 0) {
		rc = ctl_simulate(db, cfg, argc - 1, argv + 1, now);
	} else if (strcmp(argv[0], "backup") == 0 && argc == 2) {
		rc = backup_write(db, argv[1], err, sizeof(err)) < 0 ? ctl_fail("%s", err) : 0;
		if (rc == 0)
			printf("backup written to %s\n", argv[1]);
	} else {
		ctl_usage(stderr);
		rc = 2;
	}
	db_close(db);
	config_free(cfg);
	return rc;
}
