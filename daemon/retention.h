/*
 * retention — RGPD: messages and replies older than [retention] months
 * are anonymised.  Their text, their phone number and the contact they
 * belong to are blanked; the rows stay, so the counts per campaign,
 * atelier, status and day remain for the reports.  Messages still
 * queued or with a modem are never touched.
 */
#ifndef RAPPEL_RETENTION_H
#define RAPPEL_RETENTION_H

#include <stdint.h>

#include "db.h"

/* The cutoff for `months` before now (local calendar months), or 0 when months is 0. */
int64_t retention_cutoff(int64_t now, int months);

/* What retention_apply() changed. */
struct retention_result {
	int messages;
	int replies;
};

/*
 * Anonymises, in one transaction, the messages queued and the replies
 * received before cutoff that are not anonymised yet.  Doing it again
 * changes nothing.  0 with *res filled, or -1 (logged; nothing changed).
 */
int retention_apply(struct db *db, int64_t cutoff, struct retention_result *res);

#endif
