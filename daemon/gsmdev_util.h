/*
 * gsmdev_util — what the device adapter (gsmdev.c) does without libgammu,
 * kept apart so that gsmdev.c stays the adapter itself.  Private to
 * gsmdev.c; nothing here includes gammu.h.
 */
#ifndef RAPPEL_GSMDEV_UTIL_H
#define RAPPEL_GSMDEV_UTIL_H

#include <stdint.h>

/*
 * The descriptor this process has open on device (libgammu opened it and
 * has no accessor): the one whose /proc/self/fd link names the same file;
 * -1 when none is found.
 */
int gsmdev_find_port_fd(const char *device);

/* Seconds of CLOCK_MONOTONIC. */
int64_t gsmdev_mono_s(void);

/*
 * UTF-16 big-endian text ending with two zero octets as UTF-8 (malloc'd):
 * a lone surrogate becomes U+FFFD.
 */
char *gsmdev_utf8(const unsigned char *ucs2);

#endif
