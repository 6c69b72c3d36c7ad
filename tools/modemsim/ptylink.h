/*
 * ptylink — a pseudo-terminal behind a symlink, as udev names a USB modem's
 * serial port: the slave in raw mode at 115200 bauds, the symlink
 * replaced atomically.  Used by modemsim.c for the modem's port and by
 * persona.c for a stick's other ports.  No lock: the caller's.
 */
#ifndef MSIM_PTYLINK_H
#define MSIM_PTYLINK_H

#include <stdbool.h>

struct msim_pty {
	char	name[64];	/* /dev/pts/N */
	int	master;		/* -1 when closed; non-blocking */
	int	slave;		/* our own descriptor on the slave: raw mode and
				   the buffered bytes survive between clients */
	bool	open;
};

/* A closed pty. */
void msim_pty_init(struct msim_pty *p);

/*
 * Opens a new pty and points link at its slave.  0, or -1 with errno set
 * and nothing left open.
 */
int msim_pty_open(struct msim_pty *p, const char *link);

/* Closes it and removes link when it still points at it.  Idempotent. */
void msim_pty_close(struct msim_pty *p, const char *link);

#endif
