/*
 * setup — what the first-run assistant (rappelctl setup) needs besides
 * its questions: finding the modems and writing the configuration.
 *
 * Modems are looked for in /dev/serial/by-id (stable names that survive
 * a reboot or another USB port) and probed with plain AT commands on the
 * serial line, so a port that is not a modem's command port (a GPS or
 * diagnostics port of the same stick) is told apart in a second or two;
 * the lines a stick says by itself (Huawei's ^RSSI, a SIM800's RDY) are
 * not taken for answers.
 * libgammu is not used here: the probe must not enter a PIN or change
 * anything on the modem.
 */
#ifndef RAPPEL_SETUP_H
#define RAPPEL_SETUP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define SETUP_DEVICES_DIR "/dev/serial/by-id"
#define SETUP_MAX_MODEMS 16
#define SETUP_PROBE_MS 1500	/* most a port may take to answer one command */

/* A port that answered AT. */
struct setup_modem {
	char path[PATH_MAX];	/* as found: /dev/serial/by-id/usb-...-if00-port0 */
	char model[128];	/* "huawei E3131" from +CGMI and +CGMM, or "" */
	char sim[32];		/* +CPIN?: "READY", "SIM PIN", "SIM PUK", or "" */
};

/*
 * Sends AT, AT+CGMI, AT+CGMM and AT+CPIN? to the serial port at path.
 * 0 when it answered OK to AT (m filled), or -1 with a reason in err.
 */
int setup_probe(const char *path, struct setup_modem *m, char *err, size_t errlen);

/*
 * Probes every entry of dir, in name order, and fills out[] with those
 * that answered (at most max).  Returns how many; 0 when dir is missing.
 */
size_t setup_find(const char *dir, struct setup_modem *out, size_t max);

#define SETUP_NET_DIR "/sys/class/net"
#define SETUP_HILINK_MAX 80

/*
 * Network interfaces of dir (/sys/class/net) that a USB stick in HiLink
 * mode makes (its driver cdc_ether, rndis_host, cdc_ncm or
 * huawei_cdc_ncm): such a stick has no serial port to send SMS through.
 * Fills out[] with "eth1 (cdc_ether, USB 12d1:14db)" (at most max) in
 * name order; returns how many.
 */
size_t setup_find_hilink(const char *dir, char out[][SETUP_HILINK_MAX], size_t max);

/* The answers the configuration is written from. */
struct setup_answers {
	const char *centre_name;
	const char *centre_phone;
	const char *device;	/* NULL: no [modem] section */
	const char *pin;	/* NULL or "": none */
	bool network;		/* panel reachable from the centre's network: listen on all */
};

/*
 * Writes the configuration at path from the answers.  When path exists,
 * its [centre] and [modem*] sections are replaced (the time zone kept)
 * and every other line is kept as it was; otherwise a complete file is
 * written from the defaults.  The new text is checked with config_load()
 * before it replaces the file (mode 0640, the group of its directory),
 * and the previous file is kept as PATH.avant-setup.  0, or -1 with a
 * reason in err and nothing changed.
 */
int setup_write_config(const char *path, const struct setup_answers *a, char *err,
    size_t errlen);

#endif
