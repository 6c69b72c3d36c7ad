/*
 * bench_rss_floor — the memory rappeld's libraries take before rappeld
 * does anything of its own.
 *
 * It is linked with the libraries rappeld is linked with (Debian's
 * builds), and uses each once the way rappeld starts them: an SQLite
 * database opened and read, a libmicrohttpd daemon listening with its
 * polling thread and answering one request, a libGammu state machine,
 * libsodium and jansson initialised, sd_notify() called.  It prints its
 * VmRSS, split into anonymous and file-backed pages; again once libical
 * has expanded an RRULE, as the scheduler does for a weekly atelier; then
 * the resident pages of each library (from /proc/self/smaps).
 *
 * rappeld's own RSS (bench_peers.py, "RSS with 3000 contacts") is this
 * floor plus its data: compare the two to see what rappeld adds.
 *
 *	bench_rss_floor [DIR]	DIR: where the scratch database goes (/tmp)
 */
#include <arpa/inet.h>
#include <gammu.h>
#include <jansson.h>
#include <libical/ical.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

static enum MHD_Result
floor_answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *data, size_t *size, void **state)
{
	static const char body[] = "{\"ok\":true}";
	struct MHD_Response *r;
	enum MHD_Result rc;

	r = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body,
	    MHD_RESPMEM_PERSISTENT);
	rc = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

/* One GET / on port, read to the end; 0 when an answer came. */
static int
floor_request(unsigned short port)
{
	static const char req[] = "GET / HTTP/1.0\r\n\r\n";
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	char buf[512];
	ssize_t n, total = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	close(fd);
	return total > 0 ? 0 : -1;
}

static int
floor_sqlite(const char *dir)
{
	char path[512];
	sqlite3 *db;
	int rc;

	snprintf(path, sizeof(path), "%s/bench_rss_floor.db", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS t (x);"
	    "INSERT INTO t VALUES (json_object('a', 1)); SELECT count(*) FROM t;",
	    NULL, NULL, NULL);
	sqlite3_close(db);
	unlink(path);
	snprintf(path, sizeof(path), "%s/bench_rss_floor.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/bench_rss_floor.db-shm", dir);
	unlink(path);
	return rc == SQLITE_OK ? 0 : -1;
}

static int
floor_ical(void)
{
	struct icalrecurrencetype rule = icalrecurrencetype_from_string(
	    "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=20");
	struct icaltimetype start = icaltime_from_string("20270105T140000");
	icalrecur_iterator *it = icalrecur_iterator_new(rule, start);
	int n = 0;

	if (it == NULL)
		return -1;
	while (!icaltime_is_null_time(icalrecur_iterator_next(it)))
		n++;
	icalrecur_iterator_free(it);
	return n == 20 ? 0 : -1;
}

static int
floor_json(void)
{
	json_t *o = json_pack("{s:s, s:i}", "texte", "Répondez OUI", "parts", 1);
	char *s = json_dumps(o, JSON_COMPACT);
	int rc = s != NULL ? 0 : -1;

	free(s);
	json_decref(o);
	return rc;
}

static long
floor_status(const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, len) == 0 && line[len] == ':')
			v = strtol(line + len + 1, NULL, 10);
	fclose(f);
	return v;
}

static void
floor_print(const char *when)
{
	printf("| %s: VmRSS, RssAnon / RssFile | %.1f MiB, %.1f / %.1f MiB |\n", when,
	    floor_status("VmRSS") / 1024.0, floor_status("RssAnon") / 1024.0,
	    floor_status("RssFile") / 1024.0);
}

struct floor_file {
	char name[256];
	long kib;
};

static int
floor_file_larger(const void *a, const void *b)
{
	long x = ((const struct floor_file *)a)->kib, y = ((const struct floor_file *)b)->kib;

	return (x < y) - (x > y);
}

/* The resident KiB of each file mapped, the largest first (those >= 64 KiB). */
static void
floor_by_file(void)
{
	struct floor_file files[128];
	char line[512], name[256] = "";
	size_t n = 0, i;
	unsigned long lo, hi;
	long kib;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {	/* a mapping's first line */
			if (sscanf(line, "%*s %*s %*s %*s %*s %255s", name) != 1)
				name[0] = '\0';
			continue;
		}
		if (sscanf(line, "Rss: %ld kB", &kib) != 1 || name[0] != '/')
			continue;
		for (i = 0; i < n && strcmp(files[i].name, name) != 0; i++)
			;
		if (i == n) {
			if (n == sizeof(files) / sizeof(files[0]))
				continue;
			snprintf(files[n].name, sizeof(files[n].name), "%s", name);
			files[n++].kib = 0;
		}
		files[i].kib += kib;
	}
	fclose(f);
	qsort(files, n, sizeof(files[0]), floor_file_larger);
	for (i = 0; i < n && files[i].kib >= 64; i++)
		printf("  %6ld KiB  %s\n", files[i].kib, files[i].name);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	struct sockaddr_in loopback = { .sin_family = AF_INET };	/* port 0: any free */
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	GSM_StateMachine *sm;
	unsigned short port;

	if (sodium_init() < 0 || floor_sqlite(dir) < 0 || floor_json() < 0) {
		fprintf(stderr, "bench_rss_floor: a library failed to start\n");
		return 1;
	}
	if ((sm = GSM_AllocStateMachine()) == NULL)
		return 1;
	loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
	    floor_answer, NULL, MHD_OPTION_SOCK_ADDR, &loopback, MHD_OPTION_END);
	if (d == NULL || (info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)) == NULL ||
	    (port = info->port) == 0 || floor_request(port) < 0) {
		fprintf(stderr, "bench_rss_floor: libmicrohttpd did not answer\n");
		return 1;
	}
	sd_notify(0, "STATUS=floor");

	printf("bench_rss_floor: rappeld's libraries loaded and started, nothing else\n");
	floor_print("started");
	if (floor_ical() < 0) {
		fprintf(stderr, "bench_rss_floor: libical did not expand the rule\n");
		return 1;
	}
	floor_print("and an RRULE expanded (libical's ICU calendars)");
	printf("resident KiB by file (anonymous copies of their pages included):\n");
	floor_by_file();

	MHD_stop_daemon(d);
	GSM_FreeStateMachine(sm);
	return 0;
}
