/*
 * gsmdev_util — the parts of the device adapter (gsmdev.c) that need no
 * libgammu: the descriptor of an open device, the watcher's clock,
 * libgammu's UTF-16 text as UTF-8, what a sweep read, and waiting for a
 * modem that powers up.  See gsmdev_util.h.
 */
#include "gsmdev_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "text.h"

/*
 * The descriptor libgammu opened the device with: gammu.h has no accessor,
 * so it is the open descriptor that names the same file (/proc/self/fd).
 * Any descriptor of that tty will do for poll(): they share one input
 * queue.  -1 when none is found.
 */
int
gsmdev_find_port_fd(const char *device)
{
	char want[PATH_MAX], link[PATH_MAX], path[sizeof("/proc/self/fd/") + NAME_MAX];
	struct dirent *de;
	DIR *dir;
	ssize_t n;
	int fd = -1;

	if (realpath(device, want) == NULL || (dir = opendir("/proc/self/fd")) == NULL)
		return -1;
	while (fd < 0 && (de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		if ((n = readlink(path, link, sizeof(link) - 1)) < 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, want) == 0)
			fd = atoi(de->d_name);
	}
	closedir(dir);
	return fd;
}

/* Seconds of CLOCK_MONOTONIC, for the watcher's deadlines. */
int64_t
gsmdev_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
gsmdev_mono_s(void)
{
	return gsmdev_mono_ms() / 1000;
}

/*
 * libgammu's text (UTF-16 big-endian, ending with two zero octets) as
 * UTF-8; the caller frees it.  A surrogate that is not half of a pair (a
 * phone that cut an emoji between two parts, or a broken PDU) becomes
 * U+FFFD: libgammu's EncodeUTF8() would write it as is, which is not
 * UTF-8, and jansson then refuses the reply (it vanished from the API).
 */
char *
gsmdev_utf8(const unsigned char *ucs2)
{
	struct buf out = { 0 };
	uint32_t cp, lo;
	size_t i;

	for (i = 0; ucs2[i] || ucs2[i + 1]; i += 2) {
		cp = (uint32_t)ucs2[i] << 8 | ucs2[i + 1];
		lo = (ucs2[i + 2] || ucs2[i + 3]) ? (uint32_t)ucs2[i + 2] << 8 | ucs2[i + 3] : 0;
		if (cp >= 0xD800 && cp < 0xDC00 && lo >= 0xDC00 && lo < 0xE000) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			i += 2;
		} else if (cp >= 0xD800 && cp < 0xE000) {
			cp = 0xFFFD;
		}
		text_utf8_put(&out, cp);
	}
	buf_append(&out, "", 1);
	return buf_steal(&out);
}

struct gsmdev_sms *
gsmdev_sweep_grow(struct gsmdev_sweep **sp, int location)
{
	struct gsmdev_sweep *s = *sp ? *sp : (*sp = calloc(1, sizeof(*s)));

	if (s != NULL && s->count == s->size) {
		s->size = s->size ? s->size * 2 : 8;
		s->sms = reallocarray(s->sms, s->size, sizeof(*s->sms));
		s->slot = reallocarray(s->slot, s->size, sizeof(*s->slot));
	}
	if (s == NULL || s->sms == NULL || s->slot == NULL)
		fatal("modem: out of memory");
	s->slot[s->count].location = location;
	return &s->sms[s->count++];
}

size_t
gsmdev_sweep_count(const struct gsmdev_sweep *s)
{
	return s->count;
}

const struct gsmdev_sms *
gsmdev_sweep_sms(const struct gsmdev_sweep *s, size_t i)
{
	return &s->sms[i];
}

void
gsmdev_sms_clear(struct gsmdev_sms *sms)
{
	if (sms == NULL)
		return;
	free(sms->text);
	sms->text = NULL;
}

void
gsmdev_sweep_free(struct gsmdev_sweep *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->count; i++)
		gsmdev_sms_clear(&s->sms[i]);
	free(s->sms);
	free(s->slot);
	free(s);
}

/* Lines that begin a power-up, and lines that end one (a prefix each). */
static const char *const gsmdev_boot_begins[] = {
	"RDY", "+CFUN:", "+CPIN: READY", "Call Ready", "+QIND:", "SMS DONE", NULL,
};
static const char *const gsmdev_boot_ends[] = {
	"SMS Ready", "PB DONE", "+QIND: PB DONE", "+CPIN: SIM P", "+CPIN: NOT", NULL,
};

static bool
gsmdev_line_is(const char *line, size_t n, const char *const *prefixes)
{
	size_t i;

	for (i = 0; prefixes[i] != NULL; i++)
		if (n >= strlen(prefixes[i]) && strncmp(line, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

bool
gsmdev_said_by_itself(const char *line, size_t n)
{
	return (n > 0 && line[0] == '^') || gsmdev_line_is(line, n, gsmdev_boot_ends) ||
	    gsmdev_line_is(line, n, gsmdev_boot_begins);
}

enum gsmdev_boot
gsmdev_boot_state(const char *said)
{
	enum gsmdev_boot state = GSMDEV_BOOT_NONE;
	const char *p = said;
	size_t n;

	while (*p != '\0') {
		p += strspn(p, "\r\n");
		n = strcspn(p, "\r\n");
		if (p[n] == '\0')
			break;			/* a line not yet ended */
		if (gsmdev_line_is(p, n, gsmdev_boot_ends))
			state = GSMDEV_BOOT_DONE;
		else if (gsmdev_line_is(p, n, gsmdev_boot_begins))
			state = GSMDEV_BOOT_STARTED;
		p += n;
	}
	return state;
}

int
gsmdev_settle(const char *device, int quiet_ms, int max_ms)
{
	int64_t start = gsmdev_mono_ms(), last = start, now;
	char said[2048];
	size_t len = 0;
	struct termios t;
	struct pollfd p;
	ssize_t n;
	int fd;

	if ((fd = open(device, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return -1;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		cfsetspeed(&t, B115200);
		t.c_cflag = (t.c_cflag | CLOCAL | CREAD) & ~(tcflag_t)HUPCL;	/* DTR stays */
		tcsetattr(fd, TCSANOW, &t);
	}
	p.fd = fd;
	p.events = POLLIN;
	said[0] = '\0';
	while ((now = gsmdev_mono_ms()) - start < max_ms &&
	    (gsmdev_boot_state(said) == GSMDEV_BOOT_STARTED || now - last < quiet_ms)) {
		if (poll(&p, 1, (int)(gsmdev_boot_state(said) == GSMDEV_BOOT_STARTED ?
		    start + max_ms - now : last + quiet_ms - now)) <= 0)
			continue;
		if ((n = read(fd, said + len, sizeof(said) - 1 - len)) <= 0)
			break;			/* gone: libgammu will say so */
		len += (size_t)n;
		said[len] = '\0';
		last = gsmdev_mono_ms();
		if (len > sizeof(said) / 2) {	/* keep the last lines */
			memmove(said, said + len - sizeof(said) / 4, sizeof(said) / 4 + 1);
			len = sizeof(said) / 4;
		}
	}
	close(fd);
	return (int)(gsmdev_mono_ms() - start);
}
