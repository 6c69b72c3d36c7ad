/*
 * gsmdev_util — the parts of the device adapter (gsmdev.c) that need no
 * libgammu: the descriptor of an open device, the watcher's clock, and
 * libgammu's UTF-16 text as UTF-8.  See gsmdev_util.h.
 */
#include "gsmdev_util.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
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
gsmdev_mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
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
