/*
 * ptylink — see ptylink.h.
 */
#include "ptylink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

void
msim_pty_init(struct msim_pty *p)
{
	memset(p, 0, sizeof(*p));
	p->master = p->slave = -1;
}

/* Puts the slave in raw mode, 115200 bauds, like a USB modem's tty. */
static int
msim_pty_raw(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t) == -1)
		return -1;
	cfmakeraw(&t);
	cfsetspeed(&t, B115200);
	t.c_cflag |= CLOCAL | CREAD;
	return tcsetattr(fd, TCSANOW, &t);
}

/* Points the symlink at the pty slave, atomically (rename over it). */
static int
msim_pty_link(const struct msim_pty *p, const char *link)
{
	char tmp[4096];

	if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", link, (long)getpid()) >=
	    (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	unlink(tmp);
	if (symlink(p->name, tmp) == -1)
		return -1;
	if (rename(tmp, link) == -1) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
msim_pty_open(struct msim_pty *p, const char *link)
{
	int m, s = -1, saved;

	if ((m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return -1;
	if (grantpt(m) == -1 || unlockpt(m) == -1 ||
	    ptsname_r(m, p->name, sizeof(p->name)) != 0)
		goto fail;
	if ((s = open(p->name, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		goto fail;
	if (msim_pty_raw(s) == -1 || fcntl(m, F_SETFL, O_NONBLOCK) == -1)
		goto fail;
	if (msim_pty_link(p, link) == -1)
		goto fail;
	p->master = m;
	p->slave = s;
	p->open = true;
	return 0;
fail:
	saved = errno;
	if (s != -1)
		close(s);
	close(m);
	errno = saved;
	return -1;
}

void
msim_pty_close(struct msim_pty *p, const char *link)
{
	char target[sizeof(p->name)];
	ssize_t n;

	if (!p->open)
		return;
	n = readlink(link, target, sizeof(target) - 1);
	if (n >= 0) {
		target[n] = '\0';
		if (strcmp(target, p->name) == 0)
			unlink(link);
	}
	close(p->master);
	close(p->slave);
	p->master = p->slave = -1;
	p->open = false;
}
