/*
 * check_diskfull — the database's disk fills up (a small tmpfs): writes
 * are refused with a clear error (507 disk_full, in French), nothing is
 * half-written, reads go on, PRAGMA integrity_check stays ok, and writes
 * work again once space returns, without restarting rappeld.
 *
 * Mounting a tmpfs needs root (CI runs as root); elsewhere the binary
 * exits 77, meson's "skipped".
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"
#include "modemsim.h"
#include "test_main.h"

#define DISK_SIZE "3m"		/* the database's whole disk */
#define DISK_TRIES 400		/* contacts tried before the disk must be full */

static struct e2e E;
static char MNT[64];

/* Fills the disk with a file until ENOSPC, then gives back `room` bytes. */
static long
disk_fill(const char *path, long room)
{
	static const char chunk[4096];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	long total = 0;
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	while ((n = write(fd, chunk, sizeof(chunk))) > 0)
		total += n;
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(ftruncate(fd, total > room ? total - room : 0), 0);
	close(fd);
	return total;
}

static long long
disk_db_int(const char *sql, const char **text)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;
	static char out[64];

	ck_assert_int_eq(sqlite3_open_v2(E.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
		if (text) {
			snprintf(out, sizeof(out), "%s", sqlite3_column_text(st, 0));
			*text = out;
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

START_TEST(test_disk_full)
{
	struct e2e_client c;
	struct e2e_resp r;
	char conf[160], filler[128], body[4096], notes[1001];
	const char *check = NULL;
	long created = 0, i, status = 0;

	snprintf(conf, sizeof(conf), "[database]\npath = %s/rappel.db\n", MNT);
	e2e_start_with(&E, conf);
	snprintf(E.db, sizeof(E.db), "%s/rappel.db", MNT);
	e2e_client_init(&c);
	ck_assert_int_eq(e2e_login(&E, &c, E2E_ADMIN, E2E_ADMIN_PW), 200);

	snprintf(filler, sizeof(filler), "%s/filler", MNT);
	disk_fill(filler, 128 * 1024);	/* room for some contacts, not all */
	memset(notes, 'n', sizeof(notes) - 1);
	notes[sizeof(notes) - 1] = '\0';
	for (i = 0; i < DISK_TRIES; i++) {
		snprintf(body, sizeof(body), "{\"first_name\":\"Plein%ld\",\"last_name\":\"Disque\","
		    "\"phone\":\"+336%08ld\",\"notes\":\"%s\"}", i, 30000000 + i, notes);
		e2e_call(&E, &c, "POST", "/api/v1/contacts", body, &r);
		status = r.status;
		if (status == 201) {
			created++;
			e2e_resp_free(&r);
			continue;
		}
		break;
	}
	ck_assert_msg(status == 507, "the full disk gave %ld: %s", status, r.body);
	ck_assert_int_gt(created, 0);
	ck_assert_str_eq(e2e_error_code(&r), "disk_full");
	ck_assert_msg(strstr(r.body, "Le disque de rappel est plein") != NULL, "%s", r.body);
	e2e_resp_free(&r);

	/* reads go on; nothing half-written; the file is sound */
	ck_assert_int_eq(e2e_status(&E, &c, "GET", "/healthz", NULL), 200);
	ck_assert_int_eq(e2e_call(&E, &c, "GET", "/api/v1/contacts", NULL, &r), 200);
	ck_assert_int_eq((long)json_array_size(r.json), created);
	e2e_resp_free(&r);
	disk_db_int("PRAGMA integrity_check", &check);
	ck_assert_str_eq(check, "ok");

	/* space returns: the same request now works */
	ck_assert_int_eq(unlink(filler), 0);
	e2e_call(&E, &c, "POST", "/api/v1/contacts", body, &r);
	ck_assert_msg(r.status == 201, "after freeing space: %ld %s", r.status, r.body);
	e2e_resp_free(&r);
	ck_assert_int_eq(disk_db_int("SELECT count(*) FROM contacts", NULL), created + 1);
	printf("diskfull: %ld contacts written before the disk was full, then 507, then "
	    "written again once space returned\n", created);
	e2e_client_free(&c);
	e2e_stop(&E);
}
END_TEST

/* CPU seconds used so far by process pid (user + system). */
static double
disk_cpu_s(pid_t pid)
{
	char path[64], line[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	fclose(f);
	/* after "(comm)": state is field 3, utime 14, stime 15 */
	ck_assert_ptr_nonnull(p = strrchr(line, ')'));
	ck_assert_int_eq(sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st), 2);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static long
disk_file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static long
disk_count(const char *text, const char *what)
{
	long n = 0;

	while ((text = strstr(text, what)) != NULL) {
		n++;
		text += strlen(what);
	}
	return n;
}

/*
 * The disk fills up while messages are queued, then the modem gets its
 * network: the worker cannot claim them (or record the first).  It must not spin (a whole core, 48 MB of
 * log in 10 s): it backs off, logs the condition once a minute, and
 * /status says the disk is full; once space returns the messages go out
 * without a restart.
 */
START_TEST(test_disk_full_modem_backs_off)
{
	struct modemsim_options opt = { 0 };
	struct modemsim *sim;
	struct e2e_client c, bot;
	struct e2e_resp r;
	char conf[512], dir[96], link[128], filler[128], out[512], *nl, *log;
	double cpu0, cpu;
	long log0, grown, claims, i;
	size_t len;

	/* a fresh directory on the small disk, and a modem that waits for its network */
	snprintf(dir, sizeof(dir), "%s/modem", MNT);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(link, sizeof(link), "/tmp/rappel-diskfull-sim-%d", (int)getpid());
	opt.link_path = link;
	ck_assert_ptr_nonnull(sim = modemsim_new(&opt));
	modemsim_set_registered(sim, false);
	ck_assert_int_eq(modemsim_start(sim), 0);
	snprintf(conf, sizeof(conf), "[database]\npath = %s/rappel.db\n[sending]\n"
	    "hours = 00:00-24:00\ndays = mon,tue,wed,thu,fri,sat,sun\n"
	    "max_per_minute = 600\nmax_per_day = 100000\n[modem]\ndevice = %s\n", dir, link);
	e2e_start_with(&E, conf);
	snprintf(E.db, sizeof(E.db), "%s/rappel.db", dir);
	e2e_client_init(&c);
	ck_assert_int_eq(e2e_login(&E, &c, E2E_ADMIN, E2E_ADMIN_PW), 200);
	for (i = 0; i < 3; i++)
		e2e_send_sms(&E, &c, "06 12 34 56 78", "Rappel : atelier couture jeudi 14h.");
	e2e_client_free(&c);
	ck_assert_int_eq(e2e_ctl(&E, NULL, out, sizeof(out), "token", "create", "admin",
	    NULL), 0);
	if ((nl = strchr(out, '\n')) != NULL)
		*nl = '\0';
	e2e_client_init(&bot);
	snprintf(bot.bearer, sizeof(bot.bearer), "%.100s", out);

	/* the disk fills up; then the modem finds its network */
	snprintf(filler, sizeof(filler), "%s/filler", MNT);
	disk_fill(filler, 0);
	modemsim_set_registered(sim, true);
	e2e_sleep_ms(2000);	/* connected and registered by now; the claims fail */
	log0 = disk_file_size(E.log);
	cpu0 = disk_cpu_s(E.pid);
	e2e_sleep_ms(10000);
	cpu = disk_cpu_s(E.pid) - cpu0;
	grown = disk_file_size(E.log) - log0;
	ck_assert_ptr_nonnull(log = e2e_read_file(E.log, &len));
	claims = disk_count(log, "cannot claim a message") +
	    disk_count(log, "cannot record what became of a message");
	free(log);
	printf("diskfull: in 10 s on a full disk rappeld used %.2f s of CPU, wrote %ld bytes "
	    "of log, %ld line(s) about the claim\n", cpu, grown, claims);
	ck_assert_msg(cpu < 1.0, "%.2f s of CPU in 10 s", cpu);
	ck_assert_msg(grown < 16384, "%ld bytes of log in 10 s", grown);
	ck_assert_int_ge(claims, 1);	/* said once a minute */
	ck_assert_int_le(claims, 2);
	ck_assert_int_eq(e2e_call(&E, &bot, "GET", "/api/v1/status", NULL, &r), 200);
	ck_assert_msg(json_is_true(json_object_get(json_object_get(r.json, "disk"), "full")),
	    "%s", r.body);
	e2e_resp_free(&r);

	/* space returns: they go out, without a restart */
	ck_assert_int_eq(unlink(filler), 0);
	for (i = 0; i < 450 && disk_db_int("SELECT count(*) FROM messages WHERE status = "
	    "'sent'", NULL) < 3; i++)
		e2e_sleep_ms(100);
	ck_assert_int_eq(disk_db_int("SELECT count(*) FROM messages WHERE status = 'sent'",
	    NULL), 3);
	ck_assert_int_eq(e2e_call(&E, &bot, "GET", "/api/v1/status", NULL, &r), 200);
	ck_assert(json_is_false(json_object_get(json_object_get(r.json, "disk"), "full")));
	e2e_resp_free(&r);
	e2e_client_free(&bot);
	e2e_stop(&E);
	modemsim_free(sim);
}
END_TEST

static Suite *
diskfull_suite(void)
{
	Suite *s = suite_create("diskfull");
	TCase *tc = tcase_create("tmpfs");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_disk_full);
	tcase_add_test(tc, test_disk_full_modem_backs_off);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	snprintf(MNT, sizeof(MNT), "/tmp/rappel-diskfull-XXXXXX");
	if (mkdtemp(MNT) == NULL)
		return 1;
	if (mount("tmpfs", MNT, "tmpfs", 0, "size=" DISK_SIZE ",mode=0700") < 0) {
		printf("diskfull: cannot mount a tmpfs on %s (%s): skipped, needs root\n", MNT,
		    strerror(errno));
		rmdir(MNT);
		return 77;
	}
	sr = srunner_create(diskfull_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	umount2(MNT, MNT_DETACH);
	rmdir(MNT);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
