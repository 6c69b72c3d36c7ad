/*
 * replies — acting on a reply once it is stored: what it means (intent.c)
 * and what follows.
 *
 *   stop   the number is opted out at once, whoever it is in the
 *          contacts (optout.h), with the reply kept as proof (date and
 *          text), and what is queued to it is cancelled; from a contact's
 *          first number the contact is opted out too, and all their queued
 *          messages cancelled (a household's other number stops itself
 *          only); one confirmation SMS says how to come back.
 *   start  the number is opted back in, and the contact with it from their
 *          first number, with a confirmation; left for a person, with no
 *          confirmation, when it was no contact's and had not opted out, or
 *          when it is a household number whose contact opted out themselves.
 *   help   an automatic answer with the centre's name and phone.
 *   yes/no to the latest message that asked this contact for a reply and
 *          is still open (reply_until): the answer is the contact's RSVP
 *          for that atelier session (the latest answer wins; the history
 *          is kept), with the campaign's acknowledgement when it has one.
 *   other, yes/no with no open question or not about an atelier, or an
 *          unknown sender: left for a person (handled = 0), linked to the
 *          message it answers when there is one.
 *
 * The confirmations are QUEUE_SYSTEM messages: they go out even though
 * the contact has just opted out.
 */
#ifndef RAPPEL_REPLIES_H
#define RAPPEL_REPLIES_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "db.h"
#include "intent.h"

/*
 * Replies are a queue, like messages (sql/008):
 *
 *   undecided (intent IS NULL) --replies_process()--> decided (intent set)
 *
 * inbox_store() commits a reply undecided; replies_process() classifies
 * it, records its intent and acts on it in one transaction whose first
 * write is the compare-and-set "intent IS NULL -> intent", so a reply is
 * acted on once, and a crash or a failure between the two leaves it
 * undecided, to be taken again by replies_process_pending() (at start-up
 * and after every store, by the router thread, see router.h).
 */

/*
 * Classifies reply id, records its intent and acts on it, in one
 * transaction; cfg gives the centre's name and phone for the answers.
 * *queued is set when an answer SMS was queued.  0 when done, or when
 * the reply was decided already (then nothing happens and *intent is
 * INTENT_OTHER); -1 on a database error (the reply stays undecided).
 */
int replies_process(struct db *db, const struct config *cfg, int64_t id, int64_t now,
    enum intent *intent, bool *queued);

/*
 * replies_process() on up to max undecided replies, oldest first; stops
 * at the first failure.  *queued is set when an answer SMS was queued.
 * Returns how many were decided, or -1 when one failed (those before it
 * stay decided).
 */
int replies_process_pending(struct db *db, const struct config *cfg, int64_t now, int max,
    bool *queued);

/*
 * A person marks reply id handled or not (the inbox).  1 when done, 0
 * when there is no such reply, -1 on a database error.
 */
int replies_set_handled(struct db *db, int64_t id, bool handled);

/* How many replies received since `since` were understood as intent; -1 on error. */
int replies_count_intent(struct db *db, enum intent intent, int64_t since);

#endif
