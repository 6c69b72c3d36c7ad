/*
 * modemsim — the simulator as a program, built and installed as
 * rappel-modemsim: rappeld starts it for `device = simulator` (see
 * daemon/simproc.h), and shell tests and humans run it.
 *
 *	modemsim --link PATH [--pin PIN] [--log FILE] [--log-at]
 *	    [--control SOCKET] [--operator NAME] [--smsc NUMBER]
 *	    [--latency CMD_MS,SEND_MS] [--reports] [--personality NAME]
 *	modemsim --send SOCKET COMMAND...
 *
 * The first form serves the modem until SIGINT or SIGTERM; once ready it
 * prints the device path on standard output.  With --control it listens
 * on a Unix stream socket for control lines (see modemsim_command() in
 * modemsim.h) and answers each with one line, "ok ..." or "error ...".
 * With --reports the network reports every message that asks for it as
 * delivered, at once (modemsim_set_reports()).  --personality plays a
 * modem centres buy (persona.h): generic (the default), huawei, simcom,
 * quectel, slow2g.
 * The second form is a client: it sends one command and prints the
 * answer, exiting 0 for "ok".
 */
#include "modemsim.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Longest control line: an inject-hex of 1,000 octets fits. */
#define MSIM_MAIN_LINE 4096

/* Seconds a control client may take to send its line. */
#define MSIM_MAIN_CLIENT_TIMEOUT_MS 5000

static volatile sig_atomic_t msim_main_quit;

static void
msim_main_on_signal(int sig)
{
	msim_main_quit = sig;
}

static void
msim_main_usage(void)
{
	fprintf(stderr,
	    "usage: modemsim --link PATH [--pin PIN] [--log FILE] [--log-at]\n"
	    "           [--control SOCKET] [--operator NAME] [--smsc NUMBER]\n"
	    "           [--latency CMD_MS,SEND_MS] [--reports] [--personality NAME]\n"
	    "       NAME: generic, huawei, simcom, quectel, slow2g\n"
	    "       modemsim --send SOCKET COMMAND...\n");
	exit(2);
}

/* Fills a Unix socket address; -1 when the path is too long. */
static int
msim_main_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -1;
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

static int
msim_main_listen(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	if (msim_main_addr(path, &sun) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 || listen(fd, 8) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads one line (up to '\n' or EOF) into line; -1 on timeout or error. */
static int
msim_main_read_line(int fd, char *line, size_t sz)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t n = 0;
	ssize_t r;

	while (n + 1 < sz) {
		if (poll(&p, 1, MSIM_MAIN_CLIENT_TIMEOUT_MS) <= 0)
			return -1;
		if ((r = read(fd, line + n, 1)) <= 0)
			break;
		if (line[n] == '\n')
			break;
		n++;
	}
	while (n > 0 && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	return n > 0 ? 0 : -1;
}

/* Serves one control client: one command line, one answer line. */
static void
msim_main_serve_client(struct modemsim *ms, int lfd)
{
	char line[MSIM_MAIN_LINE], reply[512];
	int fd;

	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return;
	while (msim_main_read_line(fd, line, sizeof(line)) == 0) {
		modemsim_command(ms, line, reply, sizeof(reply));
		fprintf(stderr, "modemsim: control: %s -> %s\n", line, reply);
		strncat(reply, "\n", sizeof(reply) - strlen(reply) - 1);
		if (write(fd, reply, strlen(reply)) == -1)
			break;
	}
	close(fd);
}

/* The client form: sends argv joined by spaces, prints the answer. */
static int
msim_main_send(const char *path, int argc, char **argv)
{
	char line[MSIM_MAIN_LINE] = "", reply[512];
	struct sockaddr_un sun;
	int fd, i;

	for (i = 0; i < argc; i++) {
		if (i > 0)
			strncat(line, " ", sizeof(line) - strlen(line) - 1);
		strncat(line, argv[i], sizeof(line) - strlen(line) - 1);
	}
	strncat(line, "\n", sizeof(line) - strlen(line) - 1);
	if (msim_main_addr(path, &sun) == -1 ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    write(fd, line, strlen(line)) == -1 || shutdown(fd, SHUT_WR) == -1 ||
	    msim_main_read_line(fd, reply, sizeof(reply)) == -1) {
		fprintf(stderr, "modemsim: %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	printf("%s\n", reply);
	return strncmp(reply, "ok", 2) == 0 ? 0 : 1;
}

/* Waits for signals and control clients. */
static void
msim_main_loop(struct modemsim *ms, int lfd)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	while (!msim_main_quit) {
		if (lfd == -1) {
			pause();
			continue;
		}
		if (poll(&p, 1, -1) > 0 && (p.revents & POLLIN))
			msim_main_serve_client(ms, lfd);
	}
}

static void
msim_main_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = msim_main_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "link", required_argument, NULL, 'l' },
		{ "pin", required_argument, NULL, 'p' },
		{ "log", required_argument, NULL, 'L' },
		{ "log-at", no_argument, NULL, 'a' },
		{ "control", required_argument, NULL, 'c' },
		{ "operator", required_argument, NULL, 'o' },
		{ "smsc", required_argument, NULL, 's' },
		{ "latency", required_argument, NULL, 't' },
		{ "reports", no_argument, NULL, 'r' },
		{ "personality", required_argument, NULL, 'P' },
		{ "send", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct modemsim_options opt;
	struct modemsim *ms;
	const char *control = NULL;
	int ch, lfd = -1, cmd_ms = 0, send_ms = 0;

	memset(&opt, 0, sizeof(opt));
	while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l': opt.link_path = optarg; break;
		case 'p': opt.pin = optarg; break;
		case 'L': opt.log_path = optarg; break;
		case 'a': opt.log_commands = true; break;
		case 'r': opt.reports = true; break;
		case 'P': opt.personality = optarg; break;
		case 'c': control = optarg; break;
		case 'o': opt.operator_name = optarg; break;
		case 's': opt.smsc = optarg; break;
		case 't':
			if (sscanf(optarg, "%d,%d", &cmd_ms, &send_ms) != 2)
				msim_main_usage();
			break;
		case 'S': return msim_main_send(optarg, argc - optind, argv + optind);
		default: msim_main_usage();
		}
	}
	if (opt.link_path == NULL || optind != argc)
		msim_main_usage();
	msim_main_signals();
	if ((ms = modemsim_new(&opt)) == NULL || modemsim_start(ms) == -1) {
		fprintf(stderr, "modemsim: %s: %s\n", opt.link_path, strerror(errno));
		modemsim_free(ms);
		return 1;
	}
	modemsim_set_latency(ms, cmd_ms, send_ms);
	if (control != NULL && (lfd = msim_main_listen(control)) == -1) {
		fprintf(stderr, "modemsim: %s: %s\n", control, strerror(errno));
		modemsim_free(ms);
		return 1;
	}
	printf("%s\n", modemsim_link(ms));
	fflush(stdout);
	msim_main_loop(ms, lfd);
	if (lfd != -1) {
		close(lfd);
		unlink(control);
	}
	modemsim_free(ms);
	return 0;
}
