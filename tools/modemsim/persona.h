/*
 * persona — the modems centres buy, as the simulator plays them
 * (modemsim --personality NAME).  Each personality is taken from the
 * modem's documented behaviour; docs/modem.md lists the sources.
 *
 *	generic	 the simulator as it always was: no unsolicited line but
 *		 those asked for (+CMTI, +CDS, RING...), one memory "SM"
 *	huawei	 E173 / E3131 / E3531 in modem mode: ^RSSI, ^MODE,
 *		 ^DSFLOWRPT, ^BOOT, one a second, between two replies
 *		 (AT^CURC=0 stops the periodic ^BOOT and ^DSFLOWRPT; a
 *		 weak cell's ^RSSI and ^MODE go on); memories "SM" and
 *		 "ME", new SMS stored in "ME", indexes from 0 (+CMTI:
 *		 "ME",0); two more serial ports, one that never answers
 *		 (diagnostics) and one that only chatters (the PCUI's
 *		 unsolicited lines)
 *	simcom	 SIM800 / SIM7600: RDY, +CFUN: 1, +CPIN: READY, Call Ready,
 *		 SMS Ready after power-up (and a replug), the last two once
 *		 the PIN is in; "+CMGL: 1,0,"",24" (an empty quoted alpha)
 *	quectel	 EC25 / EG25: RDY, +CFUN: 1, +CPIN: READY, +QIND: SMS DONE,
 *		 +QIND: PB DONE after power-up; AT+CNMI=? offers <ds> 0-1
 *		 only, so a client routes reports (+CDS, never stored)
 *	slow2g	 a 2G network far from its mast: every send takes 3-6 s,
 *		 and one in 5 fails with +CMS ERROR: 500
 *
 * The running side (struct msim_persona_run) belongs to modemsim.c's
 * serving thread and is used under its lock.
 */
#ifndef MSIM_PERSONA_H
#define MSIM_PERSONA_H

#include <stdbool.h>

#include "at.h"
#include "ptylink.h"

/*
 * A line a modem says by itself.  At power-up: after_pin, only once the
 * SIM is unlocked.  In the chatter: after_pin marks a periodic report,
 * which AT^CURC=0 turns off.
 */
struct msim_boot_line {
	const char	*text;		/* "+CPIN" is said with the SIM's state */
	bool		 after_pin;
};

struct msim_persona {
	const char	*name;
	const char	*manufacturer, *model, *revision;
	bool		 me_memory, receive_in_me, cmgl_quoted_alpha;
	bool		 index_from_0, huawei_cmds;
	const char	*cnmi_test;		/* NULL: the generic line */
	const struct msim_boot_line *boot;	/* NULL-terminated, or NULL */
	int		 boot_ms;		/* between two boot lines */
	const struct msim_boot_line *chatter;	/* said in turn, for ever; or NULL */
	int		 chatter_ms;		/* between two */
	int		 send_min_ms, send_max_ms; /* each send's latency; 0: as set */
	int		 cms_every;		/* +CMS ERROR: 500 every Nth send */
	bool		 ports;			/* a diagnostics and a PCUI port */
};

/* The personality called name (NULL: generic), or NULL when none is. */
const struct msim_persona *msim_persona_find(const char *name);

/* "generic, huawei, ...", for a usage message. */
const char *msim_persona_names(void);

/* What the personality changes in the AT interpreter's config. */
void msim_persona_config(const struct msim_persona *p, struct msim_at_config *cfg);

struct msim_persona_run {
	const struct msim_persona *p;
	long long	 next_boot;	/* CLOCK_MONOTONIC ms; 0: no boot line due */
	int		 boot_step;
	bool		 cpin_locked;	/* said "+CPIN: SIM PIN": READY follows the PIN */
	long long	 next_chatter;
	int		 chatter_step;
	unsigned	 rnd;		/* for the send latency, reproducible */
	char		*link[2];	/* diagnostics, PCUI */
	struct msim_pty	 port[2];
};

/*
 * Prepares r for personality p, the extra ports (p->ports) behind the
 * given links or, when NULL, beside link_path ("-diag", "-pcui").  0, or
 * -1 on ENOMEM.
 */
int msim_persona_init(struct msim_persona_run *r, const struct msim_persona *p,
    const char *link_path, const char *diag_link, const char *pcui_link);
void msim_persona_free(struct msim_persona_run *r);

/* The modem was powered (first plug, replug): boot lines from now on. */
void msim_persona_power_on(struct msim_persona_run *r, long long now_ms);

/*
 * Queues in at->urc the lines due by now_ms (the caller writes them out
 * between two replies) and says the chatter to the PCUI port.  Returns
 * the milliseconds until the next line, or -1 when none will come.
 */
int msim_persona_tick(struct msim_persona_run *r, struct msim_at *at, long long now_ms);

/* The latency of the next send: the personality's, or configured_ms. */
int msim_persona_send_ms(struct msim_persona_run *r, int configured_ms);

/* Opens / closes the extra ports with the modem's (plug, unplug).  0 or -1. */
int msim_persona_ports_open(struct msim_persona_run *r);
void msim_persona_ports_close(struct msim_persona_run *r);

#endif
