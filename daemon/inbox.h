/*
 * inbox — incoming SMS into the replies table.  Storage only: the modem
 * worker calls it with what it read from the SIM, and deletes the SMS from
 * the SIM only after a call here returned 0, so a crash in between means
 * a re-read, which the dedupe key recognises.
 *
 * A voice call to the modem's number is stored here too, as a reply of
 * kind 'call' (inbox_store_call()).
 *
 * Parts of a multi-part SMS wait in incoming_parts until all are in, in
 * any order and however late; then they are joined in order into one
 * reply and removed.
 */
#ifndef RAPPEL_INBOX_H
#define RAPPEL_INBOX_H

#include <stdint.h>

#include "db.h"

struct inbox_sms {
	const char *modem;	/* config section of the modem that read it */
	const char *from;	/* E.164 when it could be normalised, else as given */
	const char *body;	/* UTF-8 text of this SMS or part */
	int64_t sent_at;	/* network timestamp (SCTS), 0 when unknown */
	int concat_ref;		/* concatenation reference, -1 for a single SMS */
	int total;		/* parts in all (1 for a single SMS) */
	int seq;		/* this part's number, 1-based */
};

/*
 * Stores sms.  Returns 0 when it is safely stored (or was already: a
 * duplicate), -1 on a database error (then it must stay on the SIM).
 * *reply_id gets the id of the reply it completed, or 0 (a part that
 * waits for its siblings, or a duplicate).
 */
int inbox_store(struct db *db, const struct inbox_sms *sms, int64_t now, int64_t *reply_id);

/*
 * A ring within this many seconds of a stored call from the same number is
 * that call: one that came in flight while the modem hung up.  (The
 * adapter already tells the rings of a call that goes on, gsmdev.h.)
 */
#define INBOX_CALL_SAME_S 10

/*
 * Stores a voice call from `from` (E.164) that the modem called modem
 * hung up on: a reply of kind 'call', empty body, undecided, linked to
 * the contact that has the number.  A ring within INBOX_CALL_SAME_S of a
 * call stored from the same number is the same call: nothing is stored
 * and *reply_id is 0.  0, or -1 on a database error (logged).
 */
int inbox_store_call(struct db *db, const char *modem, const char *from, int64_t now,
    int64_t *reply_id);

#endif
