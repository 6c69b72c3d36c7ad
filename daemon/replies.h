/*
 * replies — acting on a reply once it is stored: what it means (intent.c)
 * and what follows.
 *
 *   stop   the contact is opted out at once, with the reply kept as proof
 *          (date and text); their queued messages are cancelled; one
 *          confirmation SMS says how to come back.
 *   start  the contact is opted back in, with a confirmation.
 *   help   an automatic answer with the centre's name and phone.
 *   yes/no, other, or an unknown sender: left for a person (handled = 0);
 *          yes/no are counted on the atelier when campaigns ask for them.
 *
 * The confirmations are QUEUE_SYSTEM messages: they go out even though
 * the contact has just opted out.
 */
#ifndef RAPPEL_REPLIES_H
#define RAPPEL_REPLIES_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "intent.h"

struct replies_centre {
	const char *name;	/* [centre] name */
	const char *phone;	/* [centre] phone */
};

/*
 * Classifies reply id, records its intent and acts on it, in one
 * transaction.  *queued is set when an answer SMS was queued.  0 or -1.
 */
int replies_process(struct db *db, const struct replies_centre *centre, int64_t id,
    int64_t now, enum intent *intent, bool *queued);

#endif
