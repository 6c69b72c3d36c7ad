/*
 * setup — modem discovery over plain AT, and the configuration written
 * by the first-run assistant (see setup.h).
 */
#include "setup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "gsmdev_util.h"

/*
 * Sends cmd and reads until a final result (OK, ERROR, +CME/+CMS ERROR)
 * or SETUP_PROBE_MS.  The answer's lines go to reply.  0 on OK, -1 else.
 */
static int
setup_command(int fd, const char *cmd, char *reply, size_t size)
{
	long long until = gsmdev_mono_ms() + SETUP_PROBE_MS;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t len = 0;
	ssize_t n;

	reply[0] = '\0';
	tcflush(fd, TCIFLUSH);
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd) || write(fd, "\r", 1) != 1)
		return -1;
	while (gsmdev_mono_ms() < until) {
		if (poll(&p, 1, (int)(until - gsmdev_mono_ms())) <= 0)
			break;
		n = read(fd, reply + len, size - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		reply[len] = '\0';
		if (strstr(reply, "\r\nOK\r\n") || strncmp(reply, "OK\r\n", 4) == 0)
			return 0;
		if (strstr(reply, "ERROR") && strchr(strstr(reply, "ERROR"), '\n'))
			return -1;
		if (len == size - 1)
			break;
	}
	return -1;
}

/*
 * The first line of reply that is not empty, not an echo of cmd, not "OK",
 * and not a line the modem says by itself (^RSSI:, RDY...).
 */
static void
setup_first_line(const char *reply, const char *cmd, char *out, size_t size)
{
	const char *p = reply, *end;
	size_t n;

	out[0] = '\0';
	while (*p) {
		end = p + strcspn(p, "\r\n");
		n = (size_t)(end - p);
		if (n && strncmp(p, "OK", n) != 0 && strncmp(p, cmd, n) != 0 &&
		    !gsmdev_said_by_itself(p, n)) {
			snprintf(out, size, "%.*s", (int)n, p);
			return;
		}
		p = *end ? end + 1 : end;
	}
}

int
setup_probe(const char *path, struct setup_modem *m, char *err, size_t errlen)
{
	char reply[512], maker[64], model[64];
	struct termios t;
	int fd, rc = -1;

	memset(m, 0, sizeof(*m));
	snprintf(m->path, sizeof(m->path), "%s", path);
	if ((fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		cfsetspeed(&t, B115200);
		t.c_cflag |= CLOCAL | CREAD;
		tcsetattr(fd, TCSANOW, &t);
	}
	/* a modem may need a first AT to wake up: twice before giving up */
	if (setup_command(fd, "AT", reply, sizeof(reply)) < 0 &&
	    setup_command(fd, "AT", reply, sizeof(reply)) < 0) {
		snprintf(err, errlen, "%s: no answer to AT (not a modem's command port)", path);
		goto done;
	}
	setup_command(fd, "ATE0", reply, sizeof(reply));
	if (setup_command(fd, "AT+CGMI", reply, sizeof(reply)) == 0)
		setup_first_line(reply, "AT+CGMI", maker, sizeof(maker));
	else
		maker[0] = '\0';
	if (setup_command(fd, "AT+CGMM", reply, sizeof(reply)) == 0)
		setup_first_line(reply, "AT+CGMM", model, sizeof(model));
	else
		model[0] = '\0';
	snprintf(m->model, sizeof(m->model), "%s%s%s", maker, maker[0] && model[0] ? " " : "",
	    model);
	if (setup_command(fd, "AT+CPIN?", reply, sizeof(reply)) == 0 && strstr(reply, "+CPIN:")) {
		const char *s = strstr(reply, "+CPIN:") + 6;
		s += strspn(s, " ");
		snprintf(m->sim, sizeof(m->sim), "%.*s", (int)strcspn(s, "\r\n"), s);
	}
	rc = 0;
done:
	close(fd);
	return rc;
}

static int
setup_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir (64 at most), in name order, into names (freed by the caller). */
static size_t
setup_list(const char *dir, char *names[64])
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && n < 64)
		if (de->d_name[0] != '.' && (names[n] = strdup(de->d_name)) != NULL)
			n++;
	closedir(d);
	qsort(names, n, sizeof(names[0]), setup_cmp);
	return n;
}

size_t
setup_find(const char *dir, struct setup_modem *out, size_t max)
{
	char *names[64], path[PATH_MAX], err[256];
	size_t n = setup_list(dir, names), found = 0, i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (found < max && setup_probe(path, &out[found], err, sizeof(err)) == 0)
			found++;
		free(names[i]);
	}
	return found;
}

/* The first line of the file at path, without its line end, into out ("" if none). */
static void
setup_read_line(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");

	out[0] = '\0';
	if (f != NULL && fgets(out, (int)size, f) != NULL)
		out[strcspn(out, "\r\n")] = '\0';
	if (f != NULL)
		fclose(f);
}

size_t
setup_find_hilink(const char *dir, char out[][SETUP_HILINK_MAX], size_t max)
{
	static const char *const drivers[] = { "cdc_ether", "rndis_host", "cdc_ncm",
	    "huawei_cdc_ncm" };
	char *names[64], path[PATH_MAX], link[PATH_MAX], vendor[16], product[16];
	size_t n = setup_list(dir, names), found = 0, i, k;
	const char *driver;
	ssize_t len;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s/device/driver", dir, names[i]);
		len = readlink(path, link, sizeof(link) - 1);
		link[len > 0 ? len : 0] = '\0';
		driver = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
		for (k = 0; k < sizeof(drivers) / sizeof(drivers[0]) && found < max; k++) {
			if (strcmp(driver, drivers[k]) != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s/device/../idVendor", dir, names[i]);
			setup_read_line(path, vendor, sizeof(vendor));
			snprintf(path, sizeof(path), "%s/%s/device/../idProduct", dir, names[i]);
			setup_read_line(path, product, sizeof(product));
			snprintf(out[found++], SETUP_HILINK_MAX, "%.16s (%.16s, USB %.6s:%.6s)", names[i],
			    driver, vendor[0] ? vendor : "?", product[0] ? product : "?");
		}
		free(names[i]);
	}
	return found;
}

/* A value that inih reads back unchanged: no line break, no comment sign. */
static bool
setup_value_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 200 && strpbrk(s, "\r\n;#[]") == NULL && s[0] != ' ' &&
	    s[n - 1] != ' ';
}

/*
 * The configuration's lines, without its [centre] and [modem*] sections,
 * into kept; the time zone of [centre] into tz (64 bytes) when set.
 */
static void
setup_keep_lines(const char *old, struct buf *kept, char tz[64])
{
	const char *p = old, *end, *s;
	bool skip = false;

	while (*p) {
		end = p + strcspn(p, "\n");
		s = p + strspn(p, " \t");
		if (s[0] == '[')
			skip = strncmp(s, "[centre]", 8) == 0 || strncmp(s, "[modem]", 7) == 0 ||
			    strncmp(s, "[modem.", 7) == 0;
		if (skip && strncmp(s, "timezone", 8) == 0 && memchr(s, '=', (size_t)(end - s)))
			sscanf(strchr(s, '=') + 1, " %63[^ \t\n;]", tz);
		if (!skip)
			buf_printf(kept, "%.*s\n", (int)(end - p), p);
		p = *end ? end + 1 : end;
	}
}

/* Replaces the listen line of [http] in text (or adds one) with listen. */
static void
setup_set_listen(struct buf *text, const char *listen)
{
	struct buf out = { 0 };
	const char *p = text->data ? text->data : "", *end;
	bool in_http = false, done = false;
	const char *s;

	while (*p) {
		end = p + strcspn(p, "\n");
		s = p + strspn(p, " \t");
		if (*s == '[') {
			if (in_http && !done) {
				buf_printf(&out, "listen = %s\n", listen);
				done = true;
			}
			in_http = strncmp(s, "[http]", 6) == 0;
		}
		if (in_http && strncmp(s, "listen", 6) == 0 && strchr(s, '=') && s < end) {
			buf_printf(&out, "listen = %s\n", listen);
			done = true;
		} else {
			buf_printf(&out, "%.*s\n", (int)(end - p), p);
		}
		p = *end ? end + 1 : end;
	}
	if (!done)
		buf_printf(&out, in_http ? "listen = %s\n" : "\n[http]\nlisten = %s\n", listen);
	buf_free(text);
	*text = out;
}

static const char setup_defaults[] =
    "[database]\n"
    "path = /var/lib/rappel/rappel.db\n"
    "\n"
    "[http]\n"
    "listen = 127.0.0.1:8080\n"
    "\n"
    "[sending]\n"
    "hours = 08:30-19:30\n"
    "days = mon,tue,wed,thu,fri,sat\n"
    "max_per_minute = 6\n"
    "max_per_day = 500\n"
    "\n"
    "[retention]\n"
    "months = 24\n";

int
setup_write_config(const char *path, const struct setup_answers *a, char *err, size_t errlen)
{
	struct buf text = { 0 }, kept = { 0 };
	char tz[64] = "Europe/Paris", tmp[PATH_MAX], aside[PATH_MAX], dir[PATH_MAX], why[512];
	struct buf oldtext = { 0 };
	const char *old = NULL;	/* the file as it was, when there is one */
	struct config *cfg = NULL;
	struct stat sb;
	FILE *f;
	int rc = -1;

	if (!setup_value_ok(a->centre_name) || !setup_value_ok(a->centre_phone)) {
		snprintf(err, errlen, "the centre's name and phone may not be empty nor hold "
		    "; # [ ] or a line break");
		return -1;
	}
	if (buf_read_file(&oldtext, path) == 0) {
		old = oldtext.data ? oldtext.data : "";
		setup_keep_lines(old, &kept, tz);
	} else {
		buf_puts(&kept, setup_defaults);
	}
	buf_printf(&text, "; rappel configuration, written by rappelctl setup.\n"
	    "; Check it with: rappeld --check-config -c %s\n\n"
	    "[centre]\nname = %s\nphone = %s\ntimezone = %s\n\n", path, a->centre_name,
	    a->centre_phone, tz);
	buf_puts(&text, kept.data ? kept.data : "");
	if (a->network)
		setup_set_listen(&text, "0.0.0.0:8080");
	if (a->device) {
		buf_printf(&text, "\n[modem]\ndevice = %s\n", a->device);
		if (a->pin && a->pin[0])
			buf_printf(&text, "pin = %s\n", a->pin);
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	snprintf(aside, sizeof(aside), "%s.avant-setup", path);
	if ((cfg = config_load_string(text.data, path, why, sizeof(why))) == NULL) {
		snprintf(err, errlen, "the new configuration is refused: %s", why);
		goto done;
	}
	if (strcmp(cfg->centre_name, a->centre_name) != 0) {
		snprintf(err, errlen, "the centre's name would not be read back as typed");
		goto done;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	if ((f = fopen(tmp, "w")) == NULL || fchmod(fileno(f), 0640) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		if (f)
			fclose(f);
		goto done;
	}
	if (stat(dirname(dir), &sb) == 0 && geteuid() == 0 &&
	    fchown(fileno(f), 0, sb.st_gid) < 0) {
		snprintf(err, errlen, "cannot give %s to group %d: %s", tmp, (int)sb.st_gid,
		    strerror(errno));
		fclose(f);
		goto fail_tmp;
	}
	if (fputs(text.data, f) < 0 || fflush(f) != 0 || fsync(fileno(f)) < 0 ||
	    fclose(f) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		goto fail_tmp;
	}
	if (old && (unlink(aside), link(path, aside)) < 0) {
		snprintf(err, errlen, "cannot keep %s: %s", aside, strerror(errno));
		goto fail_tmp;
	}
	if (rename(tmp, path) < 0) {
		snprintf(err, errlen, "cannot replace %s: %s", path, strerror(errno));
		goto fail_tmp;
	}
	rc = 0;
	goto done;
fail_tmp:
	unlink(tmp);
done:
	config_free(cfg);
	buf_free(&oldtext);
	buf_free(&text);
	buf_free(&kept);
	return rc;
}
