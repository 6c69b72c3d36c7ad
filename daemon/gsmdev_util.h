/*
 * gsmdev_util — what the device adapter (gsmdev.c) does without libgammu,
 * kept apart so that gsmdev.c stays the adapter itself.  For gsmdev.c
 * (and setup.c's probe); nothing here includes gammu.h.
 */
#ifndef RAPPEL_GSMDEV_UTIL_H
#define RAPPEL_GSMDEV_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gsmdev.h"

/*
 * The descriptor this process has open on device (libgammu opened it and
 * has no accessor): the one whose /proc/self/fd link names the same file;
 * -1 when none is found.
 */
int gsmdev_find_port_fd(const char *device);

/* Milliseconds and seconds of CLOCK_MONOTONIC. */
int64_t gsmdev_mono_ms(void);
int64_t gsmdev_mono_s(void);

/*
 * UTF-16 big-endian text ending with two zero octets as UTF-8 (malloc'd):
 * a lone surrogate becomes U+FFFD.
 */
char *gsmdev_utf8(const unsigned char *ucs2);

/*
 * What a sweep read (or the modem routed).  libgammu reads into a
 * GSM_MultiSMSMessage of 260 KiB (50 SMS of 5 KiB); gsmdev.c reuses one
 * for every entry, and each SMS keeps only what deleting it needs, so a
 * sweep of the whole SIM costs a few KiB, not 64 such entries (17 MB,
 * zeroed at every sweep and kept by the thread's malloc arena).
 */
struct gsmdev_sweep {
	size_t count, size;		/* SMS read, and room for */
	struct gsmdev_sms *sms;		/* count, decoded */
	struct gsmdev_slot {		/* count: where each one is on the SIM, */
		int location;		/* in libgammu's flat numbering; 0: nowhere */
	} *slot;
};

/*
 * Room for one more SMS at location in *sp (created when NULL): the
 * gsmdev_sms to fill.  Out of memory is fatal.
 */
struct gsmdev_sms *gsmdev_sweep_grow(struct gsmdev_sweep **sp, int location);

/*
 * How far the lines a modem says by itself are in its power-up: SIMCom's
 * RDY, +CFUN: 1, +CPIN: READY, Call Ready, SMS Ready; Quectel's RDY ...
 * +QIND: SMS DONE, +QIND: PB DONE.  libgammu knows none of them: one that
 * comes while a command waits for its answer glues to the answer, which
 * libgammu then drops as an unknown frame, and the command times out.
 */
enum gsmdev_boot {
	GSMDEV_BOOT_NONE,	/* no power-up line */
	GSMDEV_BOOT_STARTED,	/* powering up: more lines to come */
	GSMDEV_BOOT_DONE,	/* powered up (SMS Ready, PB DONE), or waiting for
				   its PIN (+CPIN: SIM PIN) */
};
enum gsmdev_boot gsmdev_boot_state(const char *said);

/*
 * True when the line (n characters) is one a modem says by itself:
 * Huawei's ^RSSI:, ^BOOT:..., and the power-up lines above.
 */
bool gsmdev_said_by_itself(const char *line, size_t n);

/*
 * Before libgammu opens device: reads and drops what the modem says by
 * itself, until it has been silent quiet_ms, or once a power-up began
 * (gsmdev_boot_state()), until it ended and then was silent quiet_ms;
 * max_ms at most.  Returns the milliseconds it waited, -1 when device
 * cannot be opened (libgammu will say why).
 */
int gsmdev_settle(const char *device, int quiet_ms, int max_ms);

#endif
