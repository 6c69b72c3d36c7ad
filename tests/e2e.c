/*
 * e2e — the end-to-end test harness.  See e2e.h.
 */
#include "e2e.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#define E2E_START_TIMEOUT_MS 10000
#define E2E_MAX_ARGS 32

static const char *
e2e_env(const char *name)
{
	const char *v = getenv(name);

	ck_assert_msg(v != NULL && v[0] != '\0', "environment variable %s is not set", name);
	return v;
}

void
e2e_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int
e2e_free_port(void)
{
	struct sockaddr_in sa = { 0 };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	ck_assert_int_ge(fd, 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

void
e2e_write_file(const struct e2e *e, const char *name, const char *text, char *path,
    size_t pathsize)
{
	FILE *f;

	snprintf(path, pathsize, "%s/%s", e->dir, name);
	f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

char *
e2e_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL, chunk[8192];
	size_t n, total = 0;

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		char *bigger = realloc(data, total + n + 1);
		ck_assert_ptr_nonnull(bigger);
		data = bigger;
		memcpy(data + total, chunk, n);
		total += n;
	}
	fclose(f);
	if (data == NULL) {
		data = malloc(1);
		ck_assert_ptr_nonnull(data);
	}
	data[total] = '\0';
	if (len)
		*len = total;
	return data;
}

void
e2e_sql(const struct e2e *e, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	ck_assert_int_eq(sqlite3_open(e->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg);
	sqlite3_close(db);
}

void
e2e_dump_log(const struct e2e *e)
{
	char *log = e2e_read_file(e->log, NULL);

	fprintf(stderr, "---- %s ----\n%s---- end of log ----\n", e->log, log ? log : "(none)\n");
	free(log);
}

int
e2e_run(const char *stdin_text, char *out, size_t outsize, bool with_stderr,
    char *const argv[])
{
	int in[2], pout[2], status;
	size_t used = 0;
	pid_t pid;
	ssize_t n;
	char chunk[4096];

	ck_assert_int_eq(pipe(in), 0);
	ck_assert_int_eq(pipe(pout), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(pout[1], STDOUT_FILENO);
		if (with_stderr)
			dup2(pout[1], STDERR_FILENO);
		close(in[0]);
		close(in[1]);
		close(pout[0]);
		close(pout[1]);
		execv(argv[0], argv);
		fprintf(stderr, "e2e: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(pout[1]);
	if (stdin_text) {
		size_t len = strlen(stdin_text), done = 0;
		while (done < len) {
			n = write(in[1], stdin_text + done, len - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;	/* the program did not read it all */
			done += (size_t)n;
		}
	}
	close(in[1]);
	for (;;) {
		n = read(pout[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out && outsize > 1 && used < outsize - 1) {
			size_t take = (size_t)n < outsize - 1 - used ? (size_t)n : outsize - 1 - used;
			memcpy(out + used, chunk, take);
			used += take;
		}
	}
	close(pout[0]);
	if (out && outsize)
		out[used] = '\0';
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

int
e2e_ctl(const struct e2e *e, const char *stdin_text, char *out, size_t outsize, ...)
{
	char *argv[E2E_MAX_ARGS];
	const char *arg;
	va_list ap;
	int n = 0;

	argv[n++] = (char *)e2e_env("RAPPELCTL");
	argv[n++] = (char *)"-c";
	argv[n++] = (char *)e->conf;
	va_start(ap, outsize);
	while ((arg = va_arg(ap, const char *)) != NULL) {
		ck_assert_int_lt(n, E2E_MAX_ARGS - 1);
		argv[n++] = (char *)arg;
	}
	va_end(ap);
	argv[n] = NULL;
	return e2e_run(stdin_text, out, outsize, false, argv);
}

static int
e2e_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void
e2e_add_user(struct e2e *e, const char *login, const char *role, const char *password)
{
	char input[256], out[512];
	int rc;

	snprintf(input, sizeof(input), "%s\n%s\n", password, password);
	rc = e2e_ctl(e, input, out, sizeof(out), "user", "add", login, "--role", role, NULL);
	ck_assert_msg(rc == 0, "rappelctl user add %s failed (%d): %s", login, rc, out);
}

int
e2e_slowdown(void)
{
	const char *m = getenv("CK_TIMEOUT_MULTIPLIER");
	int f = m ? atoi(m) : 1;

	return f > 1 ? f : 1;
}

/* How long a request may wait for its answer: 30 s, times e2e_slowdown(). */
static long
e2e_answer_timeout_s(void)
{
	return 30L * e2e_slowdown();
}

/*
 * Forks a process that removes e->dir once the test process is gone, even
 * when a failed assertion _exit()s it before e2e_stop(): it waits for EOF
 * on a close-on-exec pipe whose write end only the test process holds,
 * the daemon, killed by PR_SET_PDEATHSIG, dies at the same time.
 */
static void
e2e_spawn_cleaner(const struct e2e *e)
{
	int fds[2], i;
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {	/* keep no pipe of the test runner open */
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			close(null);
		}
		setsid();
		close(fds[1]);
		while (read(fds[0], &c, 1) < 0 && errno == EINTR)
			;
		/* the daemon gets SIGKILL at the same moment: sweep twice */
		for (i = 0; i < 2; i++) {
			nftw(e->dir, e2e_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
			e2e_sleep_ms(200);
		}
		_exit(0);
	}
	close(fds[0]);
	/* The write end stays open, unnamed, for the life of the test process. */
}

void
e2e_start(struct e2e *e)
{
	e2e_start_with(e, NULL);
}

void
e2e_start_with(struct e2e *e, const char *extra_conf)
{
	char conf[1024];
	FILE *f;

	memset(e, 0, sizeof(*e));
	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
	snprintf(e->dir, sizeof(e->dir), "/tmp/rappel-e2e-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(e->dir));
	snprintf(e->conf, sizeof(e->conf), "%s/rappel.conf", e->dir);
	snprintf(e->db, sizeof(e->db), "%s/rappel.db", e->dir);
	snprintf(e->log, sizeof(e->log), "%s/rappeld.log", e->dir);
	e->port = e2e_free_port();
	snprintf(e->base, sizeof(e->base), "http://127.0.0.1:%d", e->port);
	snprintf(conf, sizeof(conf),
	    "[centre]\n"
	    "name = Centre social des tests\n"
	    "phone = 03 21 00 00 00\n"
	    "timezone = Europe/Paris\n"
	    "\n"
	    "[database]\n"
	    "path = %s\n"
	    "\n"
	    "[http]\n"
	    "listen = 127.0.0.1:%d\n", e->db, e->port);
	f = fopen(e->conf, "w");
	ck_assert_ptr_nonnull(f);
	fputs(conf, f);
	if (extra_conf)
		fprintf(f, "\n%s", extra_conf);
	ck_assert_int_eq(fclose(f), 0);

	e2e_add_user(e, E2E_ADMIN, "admin", E2E_ADMIN_PW);
	e2e_add_user(e, E2E_REFERENT, "referent", E2E_REFERENT_PW);
	e2e_add_user(e, E2E_ANIMATEUR, "animateur", E2E_ANIMATEUR_PW);
	e2e_spawn_cleaner(e);
	e2e_launch(e);
}

void
e2e_launch(struct e2e *e)
{
	char *argv[5];
	struct e2e_client probe;
	struct e2e_resp r;
	int waited = 0, status, fd;
	const char *rappeld = e2e_env("RAPPELD");

	e->pid = fork();
	ck_assert_int_ge(e->pid, 0);
	if (e->pid == 0) {
		/* Dies with the test process, even when a failed assertion _exit()s it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fd = open(e->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, STDERR_FILENO);
			dup2(fd, STDOUT_FILENO);
			close(fd);
		}
		argv[0] = (char *)rappeld;
		argv[1] = (char *)"-c";
		argv[2] = e->conf;
		argv[3] = NULL;
		execv(argv[0], argv);
		fprintf(stderr, "e2e: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}

	e2e_client_init(&probe);
	for (;;) {
		long st = e2e_request(e, &probe, "GET", "/healthz", NULL, NULL, 0, &r);
		e2e_resp_free(&r);
		if (st == 200)
			break;
		if (waitpid(e->pid, &status, WNOHANG) == e->pid) {
			e->pid = 0;
			e2e_client_free(&probe);
			e2e_dump_log(e);
			ck_abort_msg("rappeld exited during start-up (status %d)", status);
		}
		if (waited >= E2E_START_TIMEOUT_MS) {
			e2e_client_free(&probe);
			e2e_dump_log(e);
			ck_abort_msg("rappeld did not answer /healthz within %d ms",
			    E2E_START_TIMEOUT_MS);
		}
		e2e_sleep_ms(25);
		waited += 25;
	}
	e2e_client_free(&probe);
}

void
e2e_kill(struct e2e *e)
{
	int status;

	if (e->pid <= 0)
		return;
	kill(e->pid, SIGKILL);
	waitpid(e->pid, &status, 0);
	e->pid = 0;
}

void
e2e_halt(struct e2e *e)
{
	int status = 0;

	if (e->pid <= 0)
		return;
	kill(e->pid, SIGTERM);
	while (waitpid(e->pid, &status, 0) < 0 && errno == EINTR)
		;
	e->pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		e2e_dump_log(e);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "rappeld did not stop cleanly: %s %d", WIFEXITED(status) ? "exit status" : "signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

void
e2e_stop(struct e2e *e)
{
	int status = 0;
	bool clean = true;

	if (e->pid > 0) {
		kill(e->pid, SIGTERM);
		while (waitpid(e->pid, &status, 0) < 0 && errno == EINTR)
			;
		e->pid = 0;
		clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (!clean)
			e2e_dump_log(e);
	}
	if (e->dir[0])
		nftw(e->dir, e2e_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	e->dir[0] = '\0';
	curl_global_cleanup();
	ck_assert_msg(clean, "rappeld did not stop cleanly: %s %d",
	    WIFEXITED(status) ? "exit status" : "signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

void
e2e_client_init(struct e2e_client *c)
{
	memset(c, 0, sizeof(*c));
	c->curl = curl_easy_init();
	ck_assert_ptr_nonnull(c->curl);
	/*
	 * The in-memory cookie jar, enabled once: setting CURLOPT_COOKIEFILE
	 * again before every request would grow libcurl's list of cookie files.
	 */
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");
}

void
e2e_client_free(struct e2e_client *c)
{
	if (c->curl)
		curl_easy_cleanup(c->curl);
	c->curl = NULL;
}

struct e2e_sink {
	char *data;
	size_t len;
};

static void
e2e_sink_add(struct e2e_sink *s, const char *data, size_t n)
{
	char *bigger = realloc(s->data, s->len + n + 1);

	ck_assert_ptr_nonnull(bigger);
	s->data = bigger;
	memcpy(s->data + s->len, data, n);
	s->len += n;
	s->data[s->len] = '\0';
}

static size_t
e2e_on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	e2e_sink_add(userdata, data, size * nmemb);
	return size * nmemb;
}

static size_t
e2e_on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct e2e_sink *s = userdata;
	size_t n = size * nmemb;

	/* A new status line (after "100 Continue"): keep the last block only. */
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0)
		s->len = 0;
	e2e_sink_add(s, data, n);
	return n;
}

long
e2e_request(const struct e2e *e, struct e2e_client *c, const char *method,
    const char *path, const char *content_type, const void *body, size_t len,
    struct e2e_resp *out)
{
	struct curl_slist *headers = NULL;
	struct e2e_sink b = { 0 }, h = { 0 };
	char url[1024], line[512], ctype[128] = "";
	CURL *curl = c->curl;
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	/*
	 * No curl_easy_reset(): with libcurl 7.88 it drops the cookie engine
	 * and leaks the list of cookie files.  Every option that varies from
	 * one request to the next is set below, each time.
	 */
	snprintf(url, sizeof(url), "%s%s", e->base, path);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, e2e_answer_timeout_s());
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, e2e_on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, e2e_on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, NULL);
	if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	} else {
		curl_easy_setopt(curl, CURLOPT_NOBODY, 0L);
		curl_easy_setopt(curl, CURLOPT_POST, 1L);
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body ? body : "");
	}
	headers = curl_slist_append(headers, "Expect:");
	snprintf(line, sizeof(line), "Content-Type: %s",
	    content_type ? content_type : "application/octet-stream");
	if (content_type || (body && len))
		headers = curl_slist_append(headers, line);
	else
		headers = curl_slist_append(headers, "Content-Type:");	/* no form default */
	if (c->csrf[0] && !c->omit_csrf) {
		snprintf(line, sizeof(line), "X-CSRF-Token: %s", c->csrf);
		headers = curl_slist_append(headers, line);
	}
	if (c->bearer[0]) {
		snprintf(line, sizeof(line), "Authorization: Bearer %s", c->bearer);
		headers = curl_slist_append(headers, line);
	}
	curl_easy_setopt(curl, CURLOPT_COOKIE, c->cookie[0] ? c->cookie : NULL);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

	rc = curl_easy_perform(curl);
	curl_slist_free_all(headers);
	if (rc == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
	if (b.data == NULL)
		e2e_sink_add(&b, "", 0);
	if (h.data == NULL)
		e2e_sink_add(&h, "", 0);
	out->body = b.data;
	out->len = b.len;
	out->headers = h.data;
	out->hlen = h.len;
	if (out->len > 0 && e2e_header(out, "Content-Type", ctype, sizeof(ctype)) &&
	    strncasecmp(ctype, "application/json", 16) == 0) {
		json_error_t jerr;
		out->json = json_loadb(out->body, out->len, 0, &jerr);
		ck_assert_msg(out->json != NULL, "%s %s: the answer is not JSON (%s): %s",
		    method, path, jerr.text, out->body);
	}
	return out->status;
}

long
e2e_call(const struct e2e *e, struct e2e_client *c, const char *method, const char *path,
    const char *json, struct e2e_resp *out)
{
	return e2e_request(e, c, method, path, json ? "application/json" : NULL, json,
	    json ? strlen(json) : 0, out);
}

long
e2e_status(const struct e2e *e, struct e2e_client *c, const char *method,
    const char *path, const char *json)
{
	struct e2e_resp r;
	long st = e2e_call(e, c, method, path, json, &r);

	e2e_resp_free(&r);
	return st;
}

json_t *
e2e_get(const struct e2e *e, struct e2e_client *c, const char *path)
{
	struct e2e_resp r;
	json_t *j;

	ck_assert_int_eq(e2e_call(e, c, "GET", path, NULL, &r), 200);
	j = json_incref(r.json);
	e2e_resp_free(&r);
	return j;
}

void
e2e_resp_free(struct e2e_resp *r)
{
	free(r->body);
	free(r->headers);
	json_decref(r->json);
	memset(r, 0, sizeof(*r));
}

bool
e2e_header(const struct e2e_resp *r, const char *name, char *out, size_t outsize)
{
	size_t nlen = strlen(name);
	const char *p = r->headers;

	while (p && *p) {
		const char *eol = strstr(p, "\r\n");
		size_t linelen = eol ? (size_t)(eol - p) : strlen(p);
		if (linelen > nlen && strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *v = p + nlen + 1;
			size_t vlen;
			while (*v == ' ' || *v == '\t')
				v++;
			vlen = linelen - (size_t)(v - p);
			if (outsize) {
				if (vlen >= outsize)
					vlen = outsize - 1;
				memcpy(out, v, vlen);
				out[vlen] = '\0';
			}
			return true;
		}
		if (eol == NULL)
			break;
		p = eol + 2;
	}
	return false;
}

long
e2e_login(const struct e2e *e, struct e2e_client *c, const char *login,
    const char *password)
{
	json_t *req = json_pack("{s:s, s:s}", "login", login, "password", password);
	char *text = json_dumps(req, JSON_COMPACT);
	struct e2e_resp r;
	long st;

	json_decref(req);
	ck_assert_ptr_nonnull(text);
	st = e2e_call(e, c, "POST", "/api/v1/session", text, &r);
	free(text);
	if (st == 200) {
		const char *csrf = json_string_value(json_object_get(r.json, "csrf_token"));
		ck_assert_msg(csrf != NULL && csrf[0], "login: no csrf_token in %s", r.body);
		snprintf(c->csrf, sizeof(c->csrf), "%s", csrf);
	}
	e2e_resp_free(&r);
	return st;
}

void
e2e_start_admin(struct e2e *e, struct e2e_client *admin)
{
	e2e_start(e);
	e2e_client_init(admin);
	ck_assert_int_eq(e2e_login(e, admin, E2E_ADMIN, E2E_ADMIN_PW), 200);
}

json_t *
e2e_expect(const struct e2e *e, struct e2e_client *c, const char *method, const char *path,
    const char *json, long status)
{
	struct e2e_resp r;
	json_t *j;

	e2e_call(e, c, method, path, json, &r);
	ck_assert_msg(r.status == status, "%s %s: %ld, want %ld: %s", method, path, r.status,
	    status, r.body);
	j = r.json ? json_incref(r.json) : NULL;
	e2e_resp_free(&r);
	return j;
}

void
e2e_iso_in(long seconds, char *out, size_t len)
{
	time_t t = (time(NULL) + seconds) / 60 * 60;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *
e2e_error_member(const struct e2e_resp *r, const char *key)
{
	const char *v = json_string_value(json_object_get(json_object_get(r->json, "error"),
	    key));

	return v ? v : "";
}

const char *
e2e_error_code(const struct e2e_resp *r)
{
	return e2e_error_member(r, "code");
}

const char *
e2e_error_field(const struct e2e_resp *r)
{
	return e2e_error_member(r, "field");
}

json_int_t
e2e_send_sms(const struct e2e *e, struct e2e_client *c, const char *to, const char *body)
{
	json_t *req = json_pack("{s:s, s:s}", "to", to, "body", body);
	char *text = json_dumps(req, 0);
	struct e2e_resp r;
	json_int_t id;

	ck_assert_int_eq(e2e_call(e, c, "POST", "/api/v1/messages", text, &r), 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	e2e_resp_free(&r);
	free(text);
	json_decref(req);
	return id;
}
