/*
 * rappelctl — administration on the daemon's database.  Every command
 * works without a terminal: a password is read from standard input when
 * it is not a terminal (twice, one per line, for "user add").
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "contacts.h"
#include "config.h"
#include "db.h"
#include "import.h"
#include "log.h"
#include "phone.h"
#include "queue.h"
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
	    "  token create LOGIN [--label TEXT]   prints a new API token\n"
	    "  import contacts FILE.csv [--dry-run]\n"
	    "  send NUMBER TEXT                     queue one SMS (rappeld sends it)\n"
	    "  status\n"
	    "  backup FILE                          online copy of the database\n"
	    "  migrate                              apply pending schema migrations\n"
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
		if (st == NULL)
			return 1;
		printf("%-24s %-10s %s\n", "LOGIN", "ROLE", "STATE");
		while (sqlite3_step(st) == SQLITE_ROW)
			printf("%-24s %-10s %s\n", sqlite3_column_text(st, 0),
			    sqlite3_column_text(st, 1),
			    sqlite3_column_int(st, 2) ? "disabled" : "active");
		sqlite3_reset(st);
		return 0;
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
		if (ctl_new_password(pw, sizeof(pw)) != 0)
			return 1;
		if (auth_user_add(db, argv[1], role, pw, now, &id, &reason) < 0)
			return ctl_fail("user add: %s", reason);
		audit_record(db, &ctl_actor, now, "create", "user", id, NULL);
		printf("user %s added (%s)\n", argv[1], role_name);
		return 0;
	}
	if (auth_user_find(db, argv[1], &u) < 0)
		return ctl_fail("%s: no such user", argv[1]);
	if (strcmp(argv[0], "passwd") == 0) {
		if (ctl_new_password(pw, sizeof(pw)) != 0)
			return 1;
		if (auth_user_set_password(db, argv[1], pw, &reason) < 0)
			return ctl_fail("user passwd: %s", reason);
		audit_record(db, &ctl_actor, now, "password", "user", u.id, NULL);
		printf("password of %s changed\n", argv[1]);
		return 0;
	}
	if (strcmp(argv[0], "disable") == 0 || strcmp(argv[0], "enable") == 0) {
		bool off = strcmp(argv[0], "disable") == 0;
		if (auth_user_set_disabled(db, argv[1], off, now) < 0)
			return ctl_fail("user %s: database error", argv[0]);
		audit_record(db, &ctl_actor, now, off ? "disable" : "enable", "user", u.id, NULL);
		printf("user %s %s\n", argv[1], off ? "disabled" : "enabled");
		return 0;
	}
	return ctl_fail("user: unknown subcommand '%s'", argv[0]);
}

static int
ctl_token(struct db *db, int argc, char **argv, int64_t now)
{
	char token[AUTH_TOKEN_LEN + 1];
	const char *label = "";
	struct auth_user u;

	if (argc < 2 || strcmp(argv[0], "create") != 0)
		return ctl_fail("usage: token create LOGIN [--label TEXT]");
	if (argc == 4 && strcmp(argv[2], "--label") == 0)
		label = argv[3];
	else if (argc != 2)
		return ctl_fail("usage: token create LOGIN [--label TEXT]");
	if (auth_user_find(db, argv[1], &u) < 0)
		return ctl_fail("%s: no such user", argv[1]);
	if (u.disabled)
		return ctl_fail("%s: the account is disabled", argv[1]);
	if (auth_token_create(db, u.id, label, now, token) < 0)
		return ctl_fail("token create: database error");
	audit_record(db, &ctl_actor, now, "create", "token", u.id, NULL);
	printf("%s\n", token);
	return 0;
}

static int
ctl_import(struct db *db, int argc, char **argv, int64_t now)
{
	struct buf data = { 0 };
	struct error err = { 0 };
	char chunk[8192];
	bool dry_run = argc == 3 && strcmp(argv[2], "--dry-run") == 0;
	json_t *res, *e;
	size_t n, i;
	FILE *f;

	if (argc < 2 || strcmp(argv[0], "contacts") != 0 || (argc == 3 && !dry_run) || argc > 3)
		return ctl_fail("usage: import contacts FILE.csv [--dry-run]");
	if ((f = fopen(argv[1], "rb")) == NULL)
		return ctl_fail("%s: %s", argv[1], strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&data, chunk, n);
	fclose(f);
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
	json_decref(res);
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
	if (queue_add(db, to, contacts_find_by_number(db, to), argv[1], QUEUE_DIRECT, "rappelctl", now,
	    &id, &err) < 0)
		return ctl_fail("send: %s", err.message);
	audit_record(db, &ctl_actor, now, "send", "message", id, NULL);
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
	size_t i;

	printf("database: %s (schema %d of %d)\n", cfg->db_path, db_version(db),
	    db_latest_version());
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		sqlite3_stmt *st = db_stmt(db, counts[i][1]);
		if (st && sqlite3_step(st) == SQLITE_ROW)
			printf("%s: %lld\n", counts[i][0], (long long)sqlite3_column_int64(st, 0));
		if (st)
			sqlite3_reset(st);
	}
	{
		static const char *const states[] = { "queued", "sending", "sent", "delivered",
			"failed", "uncertain" };
		printf("messages:");
		for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
			printf(" %s=%d", states[i], queue_count(db, states[i]));
		printf("\n");
	}
	printf("modems configured: %zu\n", cfg->nmodems);
	{
		sqlite3_stmt *st = db_stmt(db, "SELECT name, state, signal_percent, operator, "
		    "last_error, sent_total FROM modem_status ORDER BY name");
		while (st && sqlite3_step(st) == SQLITE_ROW) {
			const unsigned char *op = sqlite3_column_text(st, 3);
			const unsigned char *le = sqlite3_column_text(st, 4);
			printf("modem %s: %s, signal %d%%, operator %s, sent %lld%s%s\n",
			    sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
			    sqlite3_column_int(st, 2), op ? (const char *)op : "-",
			    (long long)sqlite3_column_int64(st, 5), le ? ", last error: " : "",
			    le ? (const char *)le : "");
		}
		if (st)
			sqlite3_reset(st);
	}
	return 0;
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
	if ((cfg = config_load(path, err, sizeof(err))) == NULL)
		return ctl_fail("%s", err);
	time_set_zone(cfg->timezone);
	if ((db = db_open(cfg->db_path, err, sizeof(err))) == NULL) {
		config_free(cfg);
		return ctl_fail("%s", err);
	}
	if (db_migrate(db, err, sizeof(err)) < 0) {
		rc = ctl_fail("%s", err);
	} else if (strcmp(argv[0], "migrate") == 0) {
		printf("schema at version %d\n", db_version(db));
		rc = 0;
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
	} else if (strcmp(argv[0], "backup") == 0 && argc == 2) {
		rc = db_backup(db, argv[1], err, sizeof(err)) < 0 ? ctl_fail("%s", err) : 0;
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
