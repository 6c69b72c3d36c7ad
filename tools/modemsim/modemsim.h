/*
 * modemsim — a GSM modem on a pseudo-terminal, for tests and, through
 * the program modemsim_main.c (rappel-modemsim, a process of its own),
 * for rappeld's `device = simulator`.  rappeld does not link this
 * library.
 *
 * The simulator opens a pty, makes a symlink (the "device path", e.g.
 * /tmp/x/modem) point at its slave side, and serves the AT command set
 * of a PDU-mode SMS modem from a thread (see at.h for the commands).
 * Every PDU a client submits is decoded independently of libgammu and
 * logged as one JSON line (see log.h):
 *
 *	{"event":"submit","t":...,"to":"+33612345678","smsc":"",
 *	 "encoding":"gsm7","units":7,"udh":{"ref":12,"ref_bits":8,
 *	 "parts":3,"seq":1},"status_report":true,"mr":0,"class":-1,
 *	 "vp":167,"dcs":0,"pdu":"...","text":"Bonjour","cmgs_ref":7}
 *
 * "udh" is null for a single message; 8-bit messages have "data" (hex)
 * instead of "text".  Other events: "start", "at" (each command line,
 * when log_commands), "submit_error" (with "cms_error"), "bad_pdu",
 * "inject", "report", "delete", "pin", "register", "mute", "garbage", "unplug",
 * "replug", and for an incoming voice call "call", "ring" and "hangup"
 * (with "by": "client" and its "command", or "caller").
 *
 * Faults: latency before each reply and each send, +CMS ERROR on every
 * Nth send, loss of network registration, a mute modem (reads, never
 * answers), and unplug/replug: unplugging closes the pty (the client's
 * reads and writes fail with EIO) and removes the symlink; replugging
 * opens a new pty behind the same path.
 *
 * Threads: every function may be called from any thread while the
 * serving thread runs; they take the simulator's lock.  modemsim_free()
 * must not race with the others.
 *
 * Time: the simulator reads the real clock (CLOCK_REALTIME for SMS
 * timestamps, CLOCK_MONOTONIC for latencies): it plays the network.
 */
#ifndef MODEMSIM_H
#define MODEMSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct modemsim;

/* All strings are copied by modemsim_new(); NULL or 0 picks the default. */
struct modemsim_options {
	const char	*link_path;	/* required: the symlink to create */
	const char	*pin;		/* SIM PIN; NULL: none */
	const char	*log_path;	/* JSON-lines log; NULL: none */
	bool		 log_commands;	/* also log every AT command line */
	const char	*operator_name;	/* "Orange F" */
	const char	*operator_code;	/* "20801" */
	const char	*smsc;		/* "+33689004000" */
	int		 signal;	/* +CSQ rssi 1-31; 0: 20 */
	int		 slots;		/* SIM message slots; 0: 30 */
	bool		 reports;	/* a "delivered" report for every submit
					   that asks for one (modemsim_set_reports) */
	const char	*personality;	/* the modem played (persona.h): "huawei",
					   "simcom", "quectel", "slow2g"; NULL or
					   "generic": the simulator's own */
	const char	*diag_link;	/* huawei's other ports: one that never */
	const char	*pcui_link;	/* answers, one that only chatters;
					   NULL: link_path + "-diag" / "-pcui" */
};

enum modemsim_encoding {
	MODEMSIM_GSM7,
	MODEMSIM_UCS2,
};

/* An incoming SMS, as the network delivers it. */
struct modemsim_incoming {
	const char	*from;		/* "+33612345678", or alphanumeric */
	const char	*text;		/* UTF-8 */
	enum modemsim_encoding encoding;
	int		 parts;		/* 0: as few as fit; N: exactly N parts */
	const int	*order;		/* NULL, or a permutation of 1..parts */
	time_t		 when;		/* 0: now */
};

/*
 * Creates a simulator (not started).  Returns NULL with errno set when
 * opt or opt->link_path is NULL or the personality unknown (EINVAL), the
 * log cannot be opened, or
 * memory runs out.  Free with modemsim_free().
 */
struct modemsim *modemsim_new(const struct modemsim_options *opt);

/*
 * Opens the pty, creates the symlink (replacing a stale one) and starts
 * the serving thread.  Returns 0, or -1 with errno set.
 */
int modemsim_start(struct modemsim *ms);

/* Stops the thread, closes the pty and removes the symlink.  Idempotent. */
void modemsim_stop(struct modemsim *ms);

/* Stops ms and frees it; ms may be NULL. */
void modemsim_free(struct modemsim *ms);

/* The device path (the symlink), owned by ms. */
const char *modemsim_link(const struct modemsim *ms);

/* Delay before each reply (cmd_ms) and before each send's reply (send_ms). */
void modemsim_set_latency(struct modemsim *ms, int cmd_ms, int send_ms);

/* Every Nth send (0: never) fails with +CMS ERROR: code (0: 500). */
void modemsim_set_cms_error(struct modemsim *ms, int every, int code);

/* Network registration; off: +CREG stat 0, sends fail with +CMS ERROR: 331. */
void modemsim_set_registered(struct modemsim *ms, bool on);

/*
 * The next `replies` AT+CMGS commands are answered with line noise (no
 * "> " prompt, no OK, no ERROR) instead of being carried out: the SMS
 * does not reach the network, and the client must not wait forever.
 */
void modemsim_set_garbage(struct modemsim *ms, int replies);

/*
 * With on, every accepted submit whose PDU asks for a status report
 * (TP-SRR) is answered by the network at once with a "delivered" report,
 * routed or stored as modemsim_inject_report() does, and logged as a
 * "report" event with "auto": true ("index": -1 when the SIM was full and
 * the report was lost).
 */
void modemsim_set_reports(struct modemsim *ms, bool on);

/* A mute modem reads and discards everything and never answers. */
void modemsim_set_mute(struct modemsim *ms, bool on);

/*
 * Unplugs the modem: closes the pty, so the client's descriptor fails
 * with EIO, and removes the symlink.  Returns 0, or -1 when not started
 * or already unplugged.  Waits until the serving thread has done it.
 */
int modemsim_unplug(struct modemsim *ms);

/* Plugs it back: a new pty behind the same symlink.  Returns 0 or -1. */
int modemsim_replug(struct modemsim *ms);

/*
 * Delivers an incoming SMS: encoded as SMS-DELIVER part(s), stored on
 * the SIM and announced with +CMTI when the client asked (AT+CNMI).
 * Parts are stored in the given order.  Returns the number of parts, or
 * -1 (errno EINVAL: text not encodable or too long for parts; ENOSPC:
 * SIM full — parts already stored stay).
 */
int modemsim_inject(struct modemsim *ms, const struct modemsim_incoming *in);

/* modemsim_inject() of a GSM-7 or UCS-2 text in as few parts as fit. */
int modemsim_inject_sms(struct modemsim *ms, const char *from, const char *text,
    enum modemsim_encoding encoding);

/*
 * Delivers a status report for the message answered with +CMGS: ref,
 * delivered or failed (TP-ST 0x00 or 0x46, validity period expired).
 * Returns 0 or -1 (SIM full).
 */
int modemsim_inject_report(struct modemsim *ms, int ref, bool delivered);

/*
 * An incoming voice call from `from` (a number, "+33612345678"): the
 * modem rings at once, then every ring_ms (0: 3000), with +CLIP when the
 * client asked (AT+CLIP=1), until the client hangs up (ATH or AT+CHUP,
 * answered OK) or the caller gives up after `rings` rings (0: 10) with
 * NO CARRIER.  Returns 0, or -1 when a call rings already, the modem is
 * not registered, or from is not a number.
 */
int modemsim_call(struct modemsim *ms, const char *from, int rings, int ring_ms);

/* The caller gives up now (NO CARRIER).  Returns 0, or -1 when no call rings. */
int modemsim_hangup(struct modemsim *ms);

/* True while a call rings (nobody hung up yet). */
bool modemsim_ringing(struct modemsim *ms);

/*
 * Runs one control command line (control.c), for the --control socket
 * of the modemsim binary and for rappeld:
 *
 *	inject FROM gsm7|ucs2 TEXT...
 *	inject-parts FROM gsm7|ucs2 ORDER TEXT...	ORDER: "3,1,2" or "3"
 *	inject-hex FROM gsm7|ucs2 HEX	the text's UTF-8 in hex (1,000
 *				octets at most): any text, line breaks
 *				and spaces at its ends too
 *	report REF delivered|failed
 *	latency CMD_MS SEND_MS
 *	cms-every N [CODE]
 *	register 0|1
 *	mute 0|1
 *	garbage N		the next N AT+CMGS are answered by line noise
 *	reports 0|1		modemsim_set_reports()
 *	unplug
 *	replug
 *	call FROM [RINGS [RING_MS]]	an incoming voice call (modemsim_call())
 *	hangup			the caller gives up
 *	status
 *
 * Writes "ok ..." or "error <reason>" (no newline) into reply and
 * returns 0 or -1.
 */
int modemsim_command(struct modemsim *ms, const char *line, char *reply,
    size_t replysz);

/* Number of messages accepted with +CMGS / +CMSS so far. */
int modemsim_submit_count(struct modemsim *ms);

/* Number of used SIM slots. */
int modemsim_sim_used(struct modemsim *ms);

#endif
