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
#include "rappelctl.h"
#include "scheduler.h"
#include "modemstatus.h"
#include "timeutil.h"

static const struct audit_actor ctl_actor = { 0, "rappelctl" };

void
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


int
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
int
ctl_begin(struct db *db, const char *what)
{
	return db_begin(db) < 0 ? ctl_fail("%s: database error; nothing changed", what) : 0;
}

int
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

int
ctl_rollback(struct db *db, const char *what, const char *reason)
{
	db_rollback(db);
	return ctl_fail("%s: %s; nothing changed", what, reason);
}

/* Reads one line (without its newline); prompts without echo on a tty. */
int
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

int
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
		DB_SQL(sql, "SELECT login, role, disabled_at IS NOT NULL "
		    "FROM users ORDER BY login");
		sqlite3_stmt *st = db_stmt(db, sql);
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
	DB_SQL(sql, "SELECT t.id, t.label, t.created_at, t.last_used_at, "
	    "t.expires_at FROM api_tokens t JOIN users u ON u.id = t.user_id "
	    "WHERE u.login = ?1 AND t.revoked_at IS NULL "
	    "AND (t.expires_at IS NULL OR t.expires_at > ?2) ORDER BY t.id");
	sqlite3_stmt *st = db_stmt(db, sql);
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
	DB_SQL(sql_contacts, "SELECT count(*) FROM contacts");
	DB_SQL(sql_groups, "SELECT count(*) FROM groups");
	DB_SQL(sql_users, "SELECT count(*) FROM users WHERE disabled_at IS NULL");
	static const struct {
		const char *name;
		const struct db_sql *sql;
	} counts[] = {
		{ "contacts", sql_contacts },
		{ "groups", sql_groups },
		{ "users", sql_users },
	};
	bool ok;
	size_t i;
	int n;

	n = db_version(db);
	ok = n >= 0;
	printf("database: %s (schema %d of %d)\n", cfg->db_path, n, db_latest_version());
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		sqlite3_stmt *st = db_stmt(db, counts[i].sql);
		if (st && sqlite3_step(st) == SQLITE_ROW)
			printf("%s: %lld\n", counts[i].name, (long long)sqlite3_column_int64(st, 0));
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
int
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
	} else if (db_check_statements(db, err, sizeof(err)) < 0) {
		rc = ctl_fail("a statement does not compile against the schema: %s", err);
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
