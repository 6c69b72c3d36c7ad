/*
 * simproc — the built-in simulated modem as a child process.  See
 * simproc.h.
 *
 * Who reaps: the keeper thread, once it runs; simproc_spawn() when its
 * child fails to start; simproc_start() when the keeper cannot be
 * started.  Each reaps under sp->lock and sets sp->pid to 0 there, so a
 * kill() under the lock never reaches a pid that was reused.
 */
#include "simproc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#ifndef RAPPEL_MODEMSIM_PATH
#define RAPPEL_MODEMSIM_PATH "/usr/libexec/rappel/rappel-modemsim"
#endif

#define SIMPROC_PROGRAM "rappel-modemsim"	/* its name beside rappeld */
#define SIMPROC_START_MS 10000	/* most a child may take to print its device path */
#define SIMPROC_STOP_S 3	/* SIGTERM, then SIGKILL after this */
#define SIMPROC_ANSWER_MS 5000	/* most the control socket may take to answer */
#define SIMPROC_PAUSE_MAX_S 30	/* longest pause before starting it again */
#define SIMPROC_STEADY_S 60	/* a child that ran this long was fine: next pause 1 s */
#define SIMPROC_TEXT_MAX 1000	/* longest text of an inject-hex line */

struct simproc {
	char name[64];			/* the [modem] section's */
	char *pin;			/* NULL: none */
	char program[PATH_MAX];
	char dir[64];			/* /tmp/rappel-modemsim-XXXXXX, 0700 */
	char link[96];			/* dir/modem: the device path */
	char control[96];		/* dir/control: its control socket */
	char log[96];			/* dir/sent.jsonl: what it received */
	pthread_mutex_t lock;
	pthread_cond_t ended;		/* with lock: pid became 0, or stopping */
	pid_t pid;			/* with lock: the child, 0 when none */
	bool stopping;			/* with lock */
	bool keeping;			/* the keeper thread runs */
	pthread_t keeper;
};

/* ---- finding the program ---- */

/* True when path names an executable file. */
static bool
simproc_runnable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* The program into sp->program (see simproc.h); -1 with err when none runs. */
static int
simproc_find(struct simproc *sp, char *err, size_t errlen)
{
	const char *env = getenv("RAPPEL_MODEMSIM");
	char self[PATH_MAX], beside[PATH_MAX] = "", *slash;
	ssize_t n;

	if (env != NULL && env[0] != '\0') {
		snprintf(sp->program, sizeof(sp->program), "%s", env);
		if (simproc_runnable(sp->program))
			return 0;
		snprintf(err, errlen, "[%s] the simulated modem's program RAPPEL_MODEMSIM=%s "
		    "cannot be run", sp->name, env);
		return -1;
	}
	/* beside this executable: the build tree */
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL &&
		    (size_t)snprintf(beside, sizeof(beside), "%.*s/%s", (int)(slash - self),
		    self, SIMPROC_PROGRAM) < sizeof(beside) && simproc_runnable(beside)) {
			snprintf(sp->program, sizeof(sp->program), "%s", beside);
			return 0;
		}
	}
	snprintf(sp->program, sizeof(sp->program), "%s", RAPPEL_MODEMSIM_PATH);
	if (simproc_runnable(sp->program))
		return 0;
	snprintf(err, errlen, "[%s] the simulated modem's program is missing: neither %s "
	    "nor %s can be run", sp->name, beside[0] ? beside : SIMPROC_PROGRAM,
	    RAPPEL_MODEMSIM_PATH);
	return -1;
}

/* ---- the child ---- */

/*
 * In the child, between fork() and exec: only async-signal-safe calls.
 * The signals rappeld blocks (main.c) and ignores are given back, or the
 * simulator would never see SIGTERM.  Exit status 126: it could not be
 * set up; 127: the program could not be run.
 */
static _Noreturn void
simproc_child(const char *program, char *const argv[], int out, pid_t parent)
{
	sigset_t none;
	int null;

	setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != parent)
		_exit(126);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if ((null = open("/dev/null", O_RDONLY)) == -1 || dup2(null, 0) == -1 ||
	    dup2(out, 1) == -1)
		_exit(126);
	/* none of rappeld's descriptors (a serial port, sockets) goes with it */
	close_range(3, ~0U, 0);
	execv(program, argv);
	_exit(127);
}

/* Reaps sp->pid, which ended or was killed; with sp->lock held. */
static void
simproc_reap(struct simproc *sp, int *status)
{
	while (waitpid(sp->pid, status, 0) == -1 && errno == EINTR)
		;
	sp->pid = 0;
	pthread_cond_broadcast(&sp->ended);
}

/* How a child ended, for the log: ", exit status N" or ", killed by signal S". */
static void
simproc_describe(int status, char *out, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(out, size, ", killed by signal %s", strsignal(WTERMSIG(status)));
	else
		snprintf(out, size, ", exit status %d", WEXITSTATUS(status));
}

/*
 * Reads the line the child prints once ready from fd, SIMPROC_START_MS at
 * most; 0 when it is sp->link, -1 with err else.
 */
static int
simproc_await(struct simproc *sp, int fd, char *err, size_t errlen)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct timespec t0, t;
	char line[sizeof(sp->link) + 2];
	size_t n = 0;
	ssize_t r;
	int left, ready;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (n + 1 < sizeof(line) && (n == 0 || line[n - 1] != '\n')) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = SIMPROC_START_MS - (int)((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || (ready = poll(&p, 1, left)) == 0) {
			snprintf(err, errlen, "[%s] the simulated modem %s did not print its "
			    "device within %d ms", sp->name, sp->program, SIMPROC_START_MS);
			return -1;
		}
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0 || (r = read(fd, line + n, sizeof(line) - 1 - n)) < 0)
			break;
		if (r == 0) {
			snprintf(err, errlen, "[%s] the simulated modem %s ended at start",
			    sp->name, sp->program);
			return -1;
		}
		n += (size_t)r;
	}
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	if (strcmp(line, sp->link) != 0 || access(sp->link, F_OK) != 0) {
		snprintf(err, errlen, "[%s] the simulated modem %s printed \"%s\", not its "
		    "device %s", sp->name, sp->program, line, sp->link);
		return -1;
	}
	return 0;
}

/*
 * Starts a child and waits until it is ready.  0, or -1 with err (the
 * child, if any, killed and reaped).  Called before the keeper runs, or
 * by the keeper.
 */
static int
simproc_spawn(struct simproc *sp, char *err, size_t errlen)
{
	char *argv[] = { sp->program, "--link", sp->link, "--control", sp->control,
	    "--log", sp->log, "--operator", "Simulateur", "--pin", sp->pin, NULL };
	pid_t parent = getpid(), pid;
	int fds[2], status;
	size_t n;

	if (sp->pin == NULL)
		argv[9] = NULL;
	if (pipe2(fds, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "[%s] cannot start the simulated modem: pipe: %s",
		    sp->name, strerror(errno));
		return -1;
	}
	pthread_mutex_lock(&sp->lock);
	if ((pid = fork()) == 0)
		simproc_child(sp->program, argv, fds[1], parent);
	if (pid > 0) {
		sp->pid = pid;
		if (sp->stopping)
			kill(pid, SIGKILL);	/* started as rappeld stops: ends at once */
	}
	pthread_mutex_unlock(&sp->lock);
	close(fds[1]);
	if (pid == -1) {
		snprintf(err, errlen, "[%s] cannot start the simulated modem: fork: %s",
		    sp->name, strerror(errno));
		close(fds[0]);
		return -1;
	}
	if (simproc_await(sp, fds[0], err, errlen) == 0) {
		close(fds[0]);
		return 0;
	}
	close(fds[0]);
	pthread_mutex_lock(&sp->lock);
	kill(sp->pid, SIGKILL);
	simproc_reap(sp, &status);
	pthread_mutex_unlock(&sp->lock);
	/* its own message, if any, is above: its standard error is rappeld's */
	n = strlen(err);
	simproc_describe(status, err + n, errlen - n);
	return -1;
}

/*
 * With sp->lock held: waits on sp->ended up to s seconds, until the child
 * is reaped (for_end) or rappeld stops (else).
 */
static void
simproc_wait_locked(struct simproc *sp, int s, bool for_end)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += s;
	while (for_end ? sp->pid > 0 : !sp->stopping)
		if (pthread_cond_timedwait(&sp->ended, &sp->lock, &until) == ETIMEDOUT)
			break;
}

/* ---- the keeper ---- */

/* Waits s seconds, or less when stopping; false when stopping. */
static bool
simproc_pause(struct simproc *sp, int s)
{
	bool go_on;

	pthread_mutex_lock(&sp->lock);
	simproc_wait_locked(sp, s, false);
	go_on = !sp->stopping;
	pthread_mutex_unlock(&sp->lock);
	return go_on;
}

/* Waits for the running child's end and reaps it; false when stopping. */
static bool
simproc_wait_end(struct simproc *sp)
{
	siginfo_t si;
	pid_t pid;
	int status = 0;
	bool stopping;
	char how[64];

	pthread_mutex_lock(&sp->lock);
	pid = sp->pid;
	pthread_mutex_unlock(&sp->lock);
	/* WNOWAIT: it stays a zombie, so the pid is not reused before the reap */
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == -1 && errno == EINTR)
		;
	pthread_mutex_lock(&sp->lock);
	simproc_reap(sp, &status);
	stopping = sp->stopping;
	pthread_mutex_unlock(&sp->lock);
	if (stopping)
		return false;
	simproc_describe(status, how, sizeof(how));
	log_err("modem: [%s] the simulated modem (pid %d) ended%s: its device %s is gone",
	    sp->name, (int)pid, how, sp->link);
	return true;
}

/* Seconds on CLOCK_MONOTONIC. */
static time_t
simproc_clock(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

/*
 * The keeper thread: when the child ends while rappeld runs, starts it
 * again after a pause that doubles while it keeps failing.
 */
static void *
simproc_keep(void *arg)
{
	struct simproc *sp = arg;
	char err[512];
	time_t started = simproc_clock();
	int pause = 1;

	while (simproc_wait_end(sp)) {
		if (simproc_clock() - started >= SIMPROC_STEADY_S)
			pause = 1;
		for (;;) {
			log_info("modem: [%s] starting the simulated modem again in %d s",
			    sp->name, pause);
			if (!simproc_pause(sp, pause))
				return NULL;
			pause = pause * 2 > SIMPROC_PAUSE_MAX_S ? SIMPROC_PAUSE_MAX_S : pause * 2;
			if (simproc_spawn(sp, err, sizeof(err)) == 0)
				break;
			log_err("modem: %s", err);
		}
		started = simproc_clock();
		log_info("modem: [%s] the simulated modem runs again pid=%d device=%s",
		    sp->name, (int)sp->pid, sp->link);
	}
	return NULL;
}

/* ---- the interface ---- */

struct simproc *
simproc_start(const char *name, const char *pin, char *err, size_t errlen)
{
	struct simproc *sp = calloc(1, sizeof(*sp));
	int status;

	if (sp == NULL || (pin != NULL && (sp->pin = strdup(pin)) == NULL))
		fatal("modem: out of memory");
	snprintf(sp->name, sizeof(sp->name), "%s", name);
	pthread_mutex_init(&sp->lock, NULL);
	pthread_cond_init(&sp->ended, NULL);
	if (simproc_find(sp, err, errlen) < 0)
		goto fail;
	snprintf(sp->dir, sizeof(sp->dir), "/tmp/rappel-modemsim-XXXXXX");
	if (mkdtemp(sp->dir) == NULL) {
		snprintf(err, errlen, "[%s] cannot make a directory for the simulated modem: "
		    "%s", name, strerror(errno));
		sp->dir[0] = '\0';
		goto fail;
	}
	snprintf(sp->link, sizeof(sp->link), "%s/modem", sp->dir);
	snprintf(sp->control, sizeof(sp->control), "%s/control", sp->dir);
	snprintf(sp->log, sizeof(sp->log), "%s/sent.jsonl", sp->dir);
	if (simproc_spawn(sp, err, errlen) < 0)
		goto fail;
	if (pthread_create(&sp->keeper, NULL, simproc_keep, sp) != 0) {
		snprintf(err, errlen, "[%s] cannot start the simulated modem's keeper thread",
		    name);
		pthread_mutex_lock(&sp->lock);
		kill(sp->pid, SIGKILL);
		simproc_reap(sp, &status);
		pthread_mutex_unlock(&sp->lock);
		goto fail;
	}
	sp->keeping = true;
	log_info("modem: [%s] the simulated modem runs as its own process pid=%d "
	    "program=%s device=%s log=%s", name, (int)sp->pid, sp->program, sp->link, sp->log);
	return sp;
fail:
	simproc_stop(sp);
	return NULL;
}

const char *
simproc_device(const struct simproc *sp)
{
	return sp->link;
}

/*
 * Sends one control line (without its newline) and reads the answer; 0
 * when it is "ok ...", -1 else (logged when the socket fails).
 */
static int
simproc_command(struct simproc *sp, const char *line)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct pollfd p = { .events = POLLIN };
	char answer[256];
	size_t n = 0;
	ssize_t r;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sp->control);
	if ((p.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(p.fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    write(p.fd, line, strlen(line)) != (ssize_t)strlen(line) ||
	    write(p.fd, "\n", 1) != 1 || shutdown(p.fd, SHUT_WR) == -1) {
		log_warn("modem: [%s] the simulated modem's control socket %s: %s", sp->name,
		    sp->control, strerror(errno));
		if (p.fd != -1)
			close(p.fd);
		return -1;
	}
	while (n + 1 < sizeof(answer) && poll(&p, 1, SIMPROC_ANSWER_MS) == 1 &&
	    (r = read(p.fd, answer + n, sizeof(answer) - 1 - n)) > 0)
		n += (size_t)r;
	close(p.fd);
	answer[n] = '\0';
	log_debug("modem: [%s] the simulated modem answers: %s", sp->name, answer);
	return strncmp(answer, "ok", 2) == 0 ? 0 : -1;
}

int
simproc_inject(struct simproc *sp, const char *from, const char *text)
{
	static const char *const encodings[] = { "gsm7", "ucs2" };
	char line[64 + 2 * SIMPROC_TEXT_MAX];
	size_t i, n, len = strlen(text);
	int at;

	if (len == 0 || len > SIMPROC_TEXT_MAX || strlen(from) > 32)
		return -1;
	for (i = 0; i < sizeof(encodings) / sizeof(encodings[0]); i++) {
		at = snprintf(line, sizeof(line), "inject-hex %s %s ", from, encodings[i]);
		for (n = 0; n < len; n++)
			at += snprintf(line + at, sizeof(line) - (size_t)at, "%02x",
			    (unsigned char)text[n]);
		/* GSM-7 when it can, else UCS-2, as a phone does */
		if (simproc_command(sp, line) == 0)
			return 0;
	}
	return -1;
}

void
simproc_stop(struct simproc *sp)
{
	if (sp == NULL)
		return;
	/* without a keeper there is no child: simproc_start() reaped it */
	pthread_mutex_lock(&sp->lock);
	sp->stopping = true;
	pthread_cond_broadcast(&sp->ended);
	if (sp->pid > 0) {
		kill(sp->pid, SIGTERM);
		simproc_wait_locked(sp, SIMPROC_STOP_S, true);
	}
	if (sp->pid > 0) {
		log_warn("modem: [%s] the simulated modem (pid %d) did not end within %d s "
		    "of SIGTERM: SIGKILL", sp->name, (int)sp->pid, SIMPROC_STOP_S);
		kill(sp->pid, SIGKILL);	/* the keeper reaps it */
	}
	pthread_mutex_unlock(&sp->lock);
	if (sp->keeping)
		pthread_join(sp->keeper, NULL);
	if (sp->dir[0] != '\0') {
		/* what a killed simulator leaves; a clean one removed the first two */
		unlink(sp->link);
		unlink(sp->control);
		unlink(sp->log);
		if (rmdir(sp->dir) == -1)
			log_warn("modem: [%s] cannot remove %s: %s", sp->name, sp->dir,
			    strerror(errno));
	}
	pthread_cond_destroy(&sp->ended);
	pthread_mutex_destroy(&sp->lock);
	free(sp->pin);
	free(sp);
}
