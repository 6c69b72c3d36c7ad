/*
 * modem — the modem workers.  One thread per [modem] section owns its
 * device adapter (gsmdev.h, the only module that includes gammu.h) and
 * its own database connection.  The code is in three files: modem.c (a
 * worker's logic), modem_pool.c (the threads, waits and wake-ups, the
 * watcher, the built-in simulator's process through simproc.h) and
 * gsmdev.c (libgammu); sendpolicy.c
 * says when a modem may send.  A worker connects, enters the PIN at most
 * once per start, then loops without busy-waiting:
 *
 *   - reads what the modem says (new SMS, delivery reports); while idle
 *     it waits in poll() on the port, so an announced SMS is handled at
 *     once, and on the database's WAL file, so a message queued by another
 *     process (rappelctl send) is too;
 *   - sweeps the SIM for SMS every 120 s and whenever one is announced:
 *     each is stored in the database, then deleted from the SIM; a reply
 *     is stored undecided and understood by the reply router (router.h),
 *     which the worker tells through modem_pool_on_received();
 *   - polls signal and registration every 180 s;
 *   - claims the next due message from the queue and sends its parts.
 *
 * After QUEUE-independent trouble (N timeouts in a row, a device error,
 * the device gone) it closes the connection and reopens the same path
 * with a growing delay (1 s, 2 s ... 30 s), so a USB reset is survived
 * without restarting the daemon.  Its state is written to the
 * modem_status table for /api/v1/status and rappelctl status.
 */
#ifndef RAPPEL_MODEM_H
#define RAPPEL_MODEM_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "db.h"

struct modem_pool;

/*
 * Starts one worker per modem of cfg, each with its own connection to the
 * database at cfg->db_path; the pool keeps a reference to cfg (its
 * [modem] sections stay those of cfg until a restart).  Returns the pool
 * (possibly with no workers), or NULL with a reason in err.
 */
struct modem_pool *modem_pool_start(const struct config *cfg, int64_t (*now)(void),
    char *err, size_t errlen);
/*
 * A reloaded configuration (SIGHUP, or the panel's settings): the workers
 * use its sending hours, days, rates and retry delay from their next
 * step.  The [modem] sections stay those given at start (a change needs a
 * restart).  The pool takes a reference to cfg; pool may be NULL.
 */
void modem_pool_set_config(struct modem_pool *pool, const struct config *cfg);

/*
 * fn(arg) is called (from a worker thread, with the pool's lock held:
 * fn must not call into the pool) after a sweep stored one or more
 * replies; NULL stops it, and once this returns no call is running.
 * pool may be NULL.
 */
void modem_pool_on_received(struct modem_pool *pool, void (*fn)(void *), void *arg);

/*
 * The built-in simulator's network delivers an SMS from `from` (E.164)
 * with text (UTF-8) to the first modem whose device is "simulator", as a
 * family's phone would (the demo, families.h), through the simulator
 * process's control socket (simproc_inject()).  0, or -1 when no modem
 * is the simulator, the text cannot be encoded, its SIM is full, or the
 * simulator is being started again.
 */
int modem_pool_simulate(struct modem_pool *pool, const char *from, const char *text);

/* Tells idle workers to look at the queue now.  pool may be NULL. */
void modem_pool_wake(struct modem_pool *pool);
/* Stops every worker after its current step and frees.  NULL is a no-op. */
void modem_pool_stop(struct modem_pool *pool);

/* Octets of a PDU as +CMGL / +CMGR give it (libgammu's AT driver reads at most this). */
#define MODEM_PDU_MAX 300

/*
 * Decodes pdu (len octets, the SMSC address first, as +CMGL / +CMGR show
 * it in hex) with libgammu (gsmdev_decode_pdu()), as the AT driver does
 * when a worker reads the SIM, and stores it as the worker does for modem name: an SMS-DELIVER
 * goes to the inbox, undecided (replies_process_pending() understands
 * it), a delivery report updates its message.  0 when stored (the worker would delete it
 * from the SIM), -1 when the PDU cannot be decoded or on a database
 * error.  For tests and the fuzz target tests/fuzz/fuzz_pdu.c.
 */
int modem_store_pdu(struct db *db, const char *name, const unsigned char *pdu, size_t len,
    int64_t now);

#endif
