/*
 * waitlist — the places of an atelier session, and the SMS of its
 * waiting list.
 *
 * An answer (an SMS through the reply router, or set by staff) goes
 * through waitlist_answer(): rsvp.c records it against the session's
 * places (rsvp.h says how), and this module tells the person what it
 * means, in their language (fr, en, ar; letters GSM-7 cannot carry lose
 * their accent, as a campaign's "transliterate" does):
 *
 *   a yes while the session is full   "C'est complet pour l'instant : vous
 *                                      êtes sur la liste d'attente, nous vous
 *                                      écrivons si une place se libère."
 *   a place freed (a no, a withdrawal, the first one waiting is offered
 *   an offer that ended)               it by SMS, for [sending]
 *                                      waitlist_hold_hours (24 by default,
 *                                      never past the session's start); the
 *                                      offer takes OUI/NON for that session
 *   a yes to the offer in time         the place is theirs, and they are told
 *   no answer in time                  waitlist_pass() (the scheduler) ends the
 *                                      offer and asks the next one
 *
 * Nobody who opted out (STOP) or said no is offered a place: a no leaves
 * the list, and an opted-out contact is passed over ("skipped" in the
 * history).  Every function runs in the caller's transaction but
 * waitlist_pass(), which makes its own.
 */
#ifndef RAPPEL_WAITLIST_H
#define RAPPEL_WAITLIST_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "db.h"
#include "rsvp.h"

/*
 * Records ch against the places of its session, tells the person when
 * they wait or took an offered place (*told then true: the campaign's
 * own acknowledgement is not due), and offers the places that are free.
 * 0 or -1.
 */
int waitlist_answer(struct db *db, const struct config *cfg, const struct rsvp_change *ch,
    int64_t now, bool *told);

/*
 * Ends the offers whose time is up and offers their places to the next
 * ones, then offers the places free in coming sessions where people wait
 * (a capacity raised by staff), one transaction per session.  *next is
 * when the next open offer ends (0: none).  Returns offers ended, or -1.
 */
int waitlist_pass(struct db *db, const struct config *cfg, int64_t now, int64_t *next);

#endif
