/*
 * families — the demo's simulated families.  With a [modem] whose device
 * is the built-in simulator and `families = yes`, every message that asks
 * for a reply (an invitation, a reminder) gets an answer from the
 * recipient's number 3 to 60 s after it was sent, drawn from what people
 * really write: mostly OUI and NON in their many forms, some STOP, some
 * "c'est qui ?", some unclear.  A person can also make one family answer
 * (families_simulate(): rappelctl simulate reply, the panel's "Simuler
 * une réponse").  The answers wait in the table simulated_replies (sql/010,
 * owned here) until due; a thread hands them to the simulated modem
 * (modem_pool_simulate(): a line on the control socket of the simulator's
 * process, simproc.h), and they come in like any SMS.  Nothing here
 * can reach a real modem: a real device has no simulated network.
 */
#ifndef RAPPEL_FAMILIES_H
#define RAPPEL_FAMILIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "error.h"

#define FAMILIES_DELAY_MIN_S 3
#define FAMILIES_DELAY_MAX_S 60

/* True when cfg has a modem that is the built-in simulator. */
bool families_have_simulator(const struct config *cfg);

/*
 * The simulated phone of `from` (as typed: normalised to E.164) will send
 * text to the simulated modem at once.  ERR_INVALID for a number or text that
 * cannot be sent, ERR_CONFLICT "no_simulator" when cfg has no simulated modem.
 * 0 or -1 with err set.
 */
int families_simulate(struct db *db, const struct config *cfg, const char *from,
    const char *text, int64_t now, struct error *err);

/*
 * The answer a family gives to message id (its text into out, its delay
 * in seconds into *delay): the same for the same id.  Exposed for tests.
 */
void families_answer(int64_t id, char *out, size_t size, int *delay);

struct families;

/*
 * Starts the thread when a modem has families = yes (else returns NULL
 * with err empty: nothing to do); it hands due answers to app->modems.
 * NULL with a reason in err on failure.
 */
struct families *families_start(struct app *app, char *err, size_t errlen);
/* Stops and frees.  NULL is a no-op. */
void families_stop(struct families *f);

#endif
