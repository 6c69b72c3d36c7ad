/*
 * optout — the numbers that asked for no more SMS (STOP), whoever they
 * are in the contacts.  The only code that reads or writes the opt_outs
 * table (sql/008); other modules call the functions below, or put the
 * OPTOUT_SQL_* terms in their own statements.
 *
 * An opt-out belongs to the number (E.164), not to a contact:
 *   - a STOP from any number is kept here (replies.c), with the reply as
 *     proof, whether the number is a contact's first one, a household's
 *     other one, or no contact's at all;
 *   - every message to a number kept here is refused when it is queued and
 *     cancelled when a modem would take it (queue.c), but for the system's
 *     answers (the STOP and START confirmations);
 *   - a contact whose first number is kept here is opted out, with the
 *     number's date, when it is created, imported or changed (contacts.c);
 *     a household's other number is refused on its own, the contact is not;
 *   - a contact who opts out (by SMS or in the panel) has their first
 *     number kept here, so that the opt-out outlives the contact: erasing
 *     a contact (RGPD) keeps the number and its date, the legitimate
 *     minimum for honouring the person's wish;
 *   - START from the number removes it, and so does a person who unticks
 *     a contact's opt-out in the panel (for that contact's first number).
 *
 * A contact's own opt-out (contacts.opted_out_at) is wider: it covers
 * every number of that contact.
 *
 * Functions take a connection the caller may have in a transaction; they
 * change nothing else.  number is always E.164.
 */
#ifndef RAPPEL_OPTOUT_H
#define RAPPEL_OPTOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

/* Where an opt-out came from (opt_outs.source). */
#define OPTOUT_SOURCE_SMS "sms"		/* a STOP received */
#define OPTOUT_SOURCE_PANEL "panel"	/* a contact's opt-out set by a person */

/* SQL term, true when the SQL expression number is opted out. */
#define OPTOUT_SQL_IS_OUT(number) \
	"EXISTS (SELECT 1 FROM opt_outs WHERE opt_outs.number = " number ")"
/* SQL expression: when the SQL expression number opted out (unix time), or NULL. */
#define OPTOUT_SQL_SINCE(number) \
	"(SELECT opted_out_at FROM opt_outs WHERE opt_outs.number = " number ")"

/*
 * Opts number out since at; reply_id is the STOP (0 when none), source
 * one of OPTOUT_SOURCE_*.  A number already out keeps its date and source
 * (and gets reply_id as proof when it had none).  0 or -1 (logged).
 */
int optout_add(struct db *db, const char *number, int64_t at, int64_t reply_id,
    const char *source);

/* Lifts number's opt-out: 1 when it had one, 0 when not, -1 (logged). */
int optout_remove(struct db *db, const char *number);

/* When number opted out (unix time), 0 when it did not, -1 on a database error. */
int64_t optout_since(struct db *db, const char *number);

/* True when number is opted out, and when the database cannot say: in doubt, do not send. */
bool optout_is_out(struct db *db, const char *number);

/* How many numbers are opted out, or -1. */
int optout_count(struct db *db);

#endif
