/*
 * router — the reply router: one thread that takes the replies the
 * modem workers stored, undecided, and has them understood and acted on
 * (replies_process_pending(): STOP, START, AIDE, RSVPs, acknowledgements,
 * webhooks).  The modem workers only store what they read, durably,
 * before deleting it from the SIM; they poke the router afterwards.
 *
 * It runs a pass at start (what a crash or a failure left undecided), at
 * every poke, and every ROUTER_IDLE_S anyway.  A pass that fails (a busy
 * or full database) is tried again after 1 s, 2 s ... ROUTER_BACKOFF_MAX_S,
 * logged once a minute at most while it lasts.  After a pass that queued
 * answers it wakes app->modems.
 */
#ifndef RAPPEL_ROUTER_H
#define RAPPEL_ROUTER_H

#include <stddef.h>

#include "app.h"

struct router;

/*
 * Starts the thread with its own connection to the database; it takes
 * app_config() for each batch and uses app->now.  NULL with a reason in
 * err.
 */
struct router *router_start(struct app *app, char *err, size_t errlen);
/* A reply was stored: run a pass now.  r may be NULL. */
void router_poke(struct router *r);
/* The same, for modem_pool_on_received(): arg is the router. */
void router_poke_cb(void *arg);
/* Stops after the current pass and frees.  NULL is a no-op. */
void router_stop(struct router *r);

#endif
