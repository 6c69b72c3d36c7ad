/*
 * pin — the SIM PIN attempts that rappel remembers, so that it never
 * locks a SIM (three wrong PINs ask for the PUK, which only the operator
 * gives).  A PIN the SIM refused is never tried again on that SIM, across
 * restarts and reboots; a changed PIN gets one try.  Owns the table
 * pin_refusals (sql/008).
 *
 * The SIM is named by pin_sim_name(): its own identity (IMSI, ICCID)
 * cannot be read before the PIN is entered through libgammu, so the
 * modem that holds it stands for it, by IMEI ("imei:3532..."), or by its
 * device path when the IMEI cannot be read ("device:/dev/...").
 *
 * An attempt is written down, durably, before the PIN is sent
 * (pin_attempt_begin): if the process dies before the SIM answers, the
 * attempt stays recorded as "interrupted" and counts as refused, since
 * the SIM may have counted it.
 *
 *   (none) --pin_attempt_begin()--> interrupted --pin_attempt_end(ok)--> (none)
 *                                               --pin_attempt_end(refused)--> refused
 *   any --pin_forget()--> (none)
 */
#ifndef RAPPEL_PIN_H
#define RAPPEL_PIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

#define PIN_SIM_MAX 160		/* "imei:..." or "device:PATH", with its NUL */
#define PIN_HASH_HEX 65		/* 32 octets in hex, with its NUL */
#define PIN_INTERRUPTED "interrupted"	/* the error of an attempt that got no answer */

/* The name of the SIM in modem imei (may be NULL or "") at device, into out. */
void pin_sim_name(const char *imei, const char *device, char out[PIN_SIM_MAX]);

/*
 * Whether pin was refused on sim (or its attempt interrupted): 1 with the
 * recorded error copied into why (may be NULL), 0 when it may be tried,
 * -1 on a database error (then it must not be tried).
 */
int pin_refused(struct db *db, const char *sim, const char *pin, char *why, size_t whylen);

/*
 * Records, durably, that pin is about to be sent to sim by modem.  0, or
 * -1 on a database error (then it must not be tried).
 */
int pin_attempt_begin(struct db *db, const char *sim, const char *pin, const char *modem,
    int64_t now);

/*
 * The SIM's answer: accepted forgets the attempt; otherwise it is kept
 * as refused with error (English, for the log and rappelctl).  0 or -1.
 */
int pin_attempt_end(struct db *db, const char *sim, const char *pin, bool accepted,
    const char *error);

/*
 * Forgets the refusals recorded by modem (every modem when NULL): its
 * PIN will be tried once more.  Returns how many were forgotten, or -1.
 */
int pin_forget(struct db *db, const char *modem);

#endif
