/*
 * simproc — the built-in simulated modem (device = simulator) as a child
 * process of rappeld.  rappeld links none of the simulator: it runs the
 * modemsim program (tools/modemsim, installed as rappel-modemsim) on a
 * pseudo-terminal behind a symlink in a private directory (0700, under
 * /tmp), and talks to it over the control socket there.
 *
 *   - The program is $RAPPEL_MODEMSIM when set, else rappel-modemsim
 *     beside rappeld's own executable (the build tree), else the
 *     installed one (RAPPEL_MODEMSIM_PATH, libexecdir/rappel).
 *   - The child never outlives the thread that started it
 *     (PR_SET_PDEATHSIG, SIGTERM): rappeld's main thread for the first
 *     child, the keeper thread below for the next ones.  It runs in its
 *     own process group, so a Ctrl-C in rappeld's terminal reaches
 *     rappeld only, which then stops it.
 *   - A keeper thread waits for the child's end.  When it ends while
 *     rappeld runs, that is logged and it is started again behind the
 *     same path, after a pause (1 s, doubling up to 30 s while it keeps
 *     ending within a minute).  Meanwhile the modem worker sees its
 *     device vanish, as with an unplugged modem, and reconnects.
 *
 * Threads: simproc_device() and simproc_inject() may be called from any
 * thread while the simulator runs; simproc_stop() must not race with
 * them.
 */
#ifndef RAPPEL_SIMPROC_H
#define RAPPEL_SIMPROC_H

#include <stddef.h>

struct simproc;

/*
 * Starts the simulator for the [modem] section `name` (for the log), with
 * SIM PIN pin (NULL: none), and waits until it is ready (its device path
 * printed, 10 s at most, SIMPROC_START_MS).  Returns it, or NULL with the
 * reason in err.  Stop and free with simproc_stop().
 */
struct simproc *simproc_start(const char *name, const char *pin, char *err,
    size_t errlen);

/* The device path (the symlink to the pty), owned by sp, fixed for its life. */
const char *simproc_device(const struct simproc *sp);

/*
 * The simulated network delivers an SMS from `from` with text (UTF-8, at
 * most 1,000 octets): GSM-7 when it fits, else UCS-2, as a phone does.
 * 0, or -1 when the text cannot be encoded, the SIM is full, or the
 * simulator does not answer (it is being started again).
 */
int simproc_inject(struct simproc *sp, const char *from, const char *text);

/*
 * SIGTERM to the child, SIGKILL when it has not ended 3 s (SIMPROC_STOP_S)
 * later; reaps it, removes its directory and frees sp.  NULL is a no-op.
 */
void simproc_stop(struct simproc *sp);

#endif
