/*
 * at — the simulated modem behind the serial line: an AT command
 * interpreter (3GPP TS 27.007 and 27.005, PDU mode) with a SIM card of
 * numbered SMS slots and a network.  No I/O and no threads: bytes go in
 * with msim_at_feed(), replies come out in a buffer, and modemsim.c
 * moves them over the pseudo-terminal, under its lock.
 *
 * Input is processed in two steps so that the caller can insert the
 * modem's latency between a command and its reply:
 *
 *	msim_at_feed()		consumes bytes and echoes them; stops when a
 *				command line (CR) or a PDU (Ctrl-Z) is complete
 *	msim_at_execute()	runs it and appends the reply
 *
 * Reply format is that of a real modem in verbose mode (ATV1): echo of
 * the command line when ATE1, then "\r\n<info>\r\n...\r\n\r\nOK\r\n";
 * errors are ERROR, or +CME ERROR / +CMS ERROR after AT+CMEE=1 or 2.
 *
 * Unsolicited result codes (+CMTI, +CDSI, +CDS, +CMT, +CREG, and RING,
 * +CRING, +CLIP, NO CARRIER of an incoming voice call) are queued in
 * at->urc; the caller writes them out when the line is idle
 * (msim_at_idle()).
 *
 * Ownership: struct msim_at is created by msim_at_new(), which copies
 * the strings of the config, and freed by msim_at_free().  The log is
 * borrowed: it must outlive the interpreter.  The fields below are
 * private to at.c and at_sms.c; other modules use the functions.
 */
#ifndef MSIM_AT_H
#define MSIM_AT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "log.h"
#include "pdu.h"

/* A command line longer than this is answered with ERROR. */
#define MSIM_AT_LINE_MAX 512

/* Submitted messages remembered, to address their delivery reports. */
#define MSIM_AT_HISTORY 64

/* What the serial line must wait for after msim_at_feed(). */
enum msim_at_event {
	MSIM_AT_NONE,		/* need more bytes */
	MSIM_AT_COMMAND,	/* a command line is ready */
	MSIM_AT_SEND,		/* a PDU was entered (Ctrl-Z): a send */
};

/*
 * The message memories of +CPMS: "SM" (the SIM) always, "ME" (the
 * modem's own) when the personality has one (persona.h).
 */
enum msim_mem {
	MSIM_MEM_SM,
	MSIM_MEM_ME,
	MSIM_MEM_COUNT,
};

/* Storage status of a SIM slot, as numbered in PDU mode. */
enum msim_slot_stat {
	MSIM_REC_UNREAD = 0,
	MSIM_REC_READ = 1,
	MSIM_STO_UNSENT = 2,
	MSIM_STO_SENT = 3,
};

struct msim_slot {
	bool		used;
	enum msim_slot_stat stat;
	int		tpdu_len;		/* octets after the SMSC */
	char		pdu[MSIM_PDU_HEX_MAX];	/* hex, SMSC first */
};

/* Fixed facts of the modem and its SIM; NULL or 0 picks a default. */
struct msim_at_config {
	const char	*pin;		/* NULL: the SIM has no PIN */
	const char	*puk;		/* "12345678" */
	const char	*manufacturer;	/* "Rappel" */
	const char	*model;		/* "ModemSim" */
	const char	*revision;	/* "modemsim 1.0" */
	const char	*imei;		/* "353270040000017" */
	const char	*imsi;		/* "208011234567890" */
	const char	*operator_name;	/* "Orange F" */
	const char	*operator_code;	/* "20801" */
	const char	*smsc;		/* "+33689004000" */
	int		 signal;	/* +CSQ rssi 0-31; <= 0: 20 */
	int		 slots;		/* capacity of each memory; <= 0: 30 */
	/* what a personality changes (persona.h); false / NULL: generic */
	bool		 me_memory;	/* a second memory, "ME", beside "SM" */
	bool		 receive_in_me;	/* +CPMS <mem3> is "ME" at power-up */
	bool		 cmgl_quoted_alpha; /* +CMGL: 1,0,"",24 (SIMCom) */
	const char	*cnmi_test;	/* the line answering AT+CNMI=? */
	bool		 index_from_0;	/* message <index>es count from 0 (Huawei) */
	bool		 huawei_cmds;	/* AT^CURC, AT^PORTSEL answered OK */
};

/* A message remembered for its delivery report. */
struct msim_sent {
	bool		used;
	unsigned	ref;		/* what +CMGS answered */
	char		to[MSIM_ADDR_MAX];
	time_t		when;
};

struct msim_at {
	/* fixed facts (owned copies) */
	char		*pin, *puk, *manufacturer, *model, *revision;
	char		*imei, *imsi, *op_name, *op_code;
	char		 smsc[MSIM_ADDR_MAX];
	int		 signal;

	/* input */
	char		 line[MSIM_AT_LINE_MAX];
	size_t		 line_len;
	bool		 line_overflow;
	bool		 pdu_mode;	/* between "> " and Ctrl-Z */
	bool		 pdu_store;	/* entering for AT+CMGW, not AT+CMGS */
	int		 pdu_len;	/* <length> given with the command */
	int		 pdu_stat;	/* AT+CMGW <stat> */
	struct msim_buf	 pdu;		/* hex entered so far */
	enum msim_at_event pending;

	/* settings changed by commands */
	bool		 echo;		/* ATE */
	int		 cmee;		/* AT+CMEE: 0, 1 (numeric), 2 (text) */
	char		 cscs[8];	/* AT+CSCS: "GSM", "IRA", "UCS2", "HEX" */
	int		 creg_n;	/* AT+CREG=<n> */
	int		 cgreg_n;	/* AT+CGREG=<n> */
	int		 cops_format;	/* AT+COPS=3,<format>: 0 long, 1 short, 2 numeric */
	int		 cnmi[5];	/* AT+CNMI=<mode>,<mt>,<bm>,<ds>,<bfr> */

	/* SIM */
	bool		 pin_ok;	/* PIN entered, or none */
	int		 pin_tries;	/* left before the SIM asks for the PUK */
	struct msim_slot *slots[MSIM_MEM_COUNT]; /* each memory's slots[0..nslots-1]
					   are its indexes 1..nslots; NULL: none */
	int		 nslots;
	enum msim_mem	 mem[3];	/* +CPMS <mem1> read and delete, <mem2>
					   write and send, <mem3> receive */
	bool		 receive_in_me;	/* <mem3> at power-up */
	bool		 cmgl_quoted_alpha;
	char		*cnmi_test;
	int		 index_base;	/* the <index> of the first slot: 1, or 0 */
	bool		 huawei_cmds;
	bool		 curc;		/* AT^CURC: periodic reports on (power-up) */

	/* network and faults */
	bool		 registered;	/* as set by the test; needs pin_ok too */
	int		 cms_every;	/* fail every Nth send; 0 never */
	int		 cms_code;	/* with this +CMS ERROR code */
	unsigned	 sends;		/* AT+CMGS / AT+CMSS seen */
	unsigned	 accepted;	/* sends answered with a reference */
	unsigned	 next_ref;	/* next +CMGS <mr>, 0-255 */
	unsigned	 concat_ref;	/* next reference of an injected message */
	bool		 reports;	/* the network reports "delivered" for every
					   accepted submit that asks for a report */
	struct msim_sent sent[MSIM_AT_HISTORY];
	unsigned	 sent_next;

	/* an incoming voice call (at_call.c) */
	bool		 clip;		/* AT+CLIP=1: +CLIP after each ring */
	bool		 crc;		/* AT+CRC=1: "+CRING: VOICE" instead of RING */
	bool		 ringing;	/* a call rings, not yet hung up */
	char		 caller[MSIM_ADDR_MAX];	/* its number, E.164 or national */
	int		 rings;		/* rung so far */
	int		 rings_max;	/* then the caller gives up: NO CARRIER */

	struct msim_buf	 urc;		/* unsolicited codes waiting to go out */
	struct msim_log	*log;		/* borrowed */
	bool		 log_commands;	/* log each command line */
	time_t		 now;		/* clock of the command being run */
};

/* Creates a modem with the config (may be NULL).  Returns NULL on ENOMEM. */
struct msim_at *msim_at_new(const struct msim_at_config *cfg, struct msim_log *log);

/*
 * Power cycle (a replugged USB modem): settings back to power-up values,
 * the PIN to enter again, input and queued codes forgotten.  The SIM's
 * messages stay.
 */
void msim_at_power_on(struct msim_at *at);

/* Frees at; at may be NULL. */
void msim_at_free(struct msim_at *at);

/*
 * Consumes bytes of in (n of them) until a command or PDU is complete,
 * appending their echo to out.  Returns how many bytes were consumed
 * and sets *ev; when *ev is not MSIM_AT_NONE, call msim_at_execute()
 * before feeding more.
 */
size_t msim_at_feed(struct msim_at *at, const uint8_t *in, size_t n,
    struct msim_buf *out, enum msim_at_event *ev);

/* Runs the pending command or send; appends the reply to out. */
void msim_at_execute(struct msim_at *at, time_t now, struct msim_buf *out);

/* True when no command line or PDU is half entered. */
bool msim_at_idle(const struct msim_at *at);

/* Forgets a half-entered line or PDU (the line was cut). */
void msim_at_reset_input(struct msim_at *at);

/* Network registration; changing it queues +CREG when enabled. */
void msim_at_set_registered(struct msim_at *at, bool on);

/* True when the modem is registered (which needs the PIN entered). */
bool msim_at_is_registered(const struct msim_at *at);

/*
 * Delivers an incoming SMS-DELIVER (PDU hex with SMSC, and its TPDU
 * length) as a network would: stored in the first free slot of
 * <mem3> and announced with +CMTI, or routed with +CMT, as AT+CNMI asks.  Returns
 * the slot index (1-based), 0 when routed without storing, or -1 when
 * the SIM is full.
 */
int msim_at_deliver(struct msim_at *at, const char *pdu, int tpdu_len);

/*
 * Delivers a status report for the message answered with +CMGS: ref:
 * status is TP-ST (0 delivered, 0x40-0x6F failed).  Routed with +CDS
 * when AT+CNMI <ds> is 1, else stored and announced with +CDSI when <ds>
 * is 2.  Returns as msim_at_deliver().
 */
int msim_at_report(struct msim_at *at, unsigned ref, unsigned status, time_t now);

/* Number of used slots, in every memory. */
int msim_at_used_slots(const struct msim_at *at);

/*
 * An incoming voice call from `from` (at_call.c): it rings when
 * msim_at_call_ring() is called, rings times at most, until the client
 * hangs up (ATH, AT+CHUP) or the caller gives up.  -1 when a call rings
 * already, the modem is not registered, or from is not a number.
 */
int msim_at_call_begin(struct msim_at *at, const char *from, int rings);

/*
 * One ring of the call: RING (or +CRING: VOICE after AT+CRC=1), then
 * +CLIP: "<number>",<type>,"",0,"",0 after AT+CLIP=1.  After rings_max
 * rings the caller gives up instead: NO CARRIER.  Returns true while the
 * call still rings.
 */
bool msim_at_call_ring(struct msim_at *at);

/* The caller gives up now: NO CARRIER.  -1 when no call rings. */
int msim_at_call_end(struct msim_at *at);

/* --- shared by at.c and at_sms.c -------------------------------------- */

/* Final result of a command. */
enum msim_at_result {
	MSIM_RES_OK,
	MSIM_RES_ERROR,
	MSIM_RES_CME,		/* +CME ERROR: code */
	MSIM_RES_CMS,		/* +CMS ERROR: code */
	MSIM_RES_NONE,		/* no final result (the "> " prompt) */
};

/* A command split into name, kind and arguments. */
struct msim_at_cmd {
	const char	*name;	/* "+CMGS", "E1", ... upper case */
	char		 kind;	/* 'x' exec, '?' read, 't' test (=?), '=' set */
	const char	*args;	/* after '=', for set */
	int		 code;	/* error code for MSIM_RES_CME/CMS */
	struct msim_buf	*info;	/* information text lines */
};

/* Appends one information line (without line ends). */
void msim_at_info(struct msim_at_cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sets c->code and returns MSIM_RES_CME / MSIM_RES_CMS. */
enum msim_at_result msim_at_cme(struct msim_at_cmd *c, int code);
enum msim_at_result msim_at_cms(struct msim_at_cmd *c, int code);

/*
 * Parses up to max comma-separated arguments: numbers into num[i]
 * (-1 when empty or a string), quoted strings into str[i] (bounded by
 * strsz, unquoted, "" when absent).  Returns the count, or -1 on bad
 * syntax.  str may be NULL.
 */
int msim_at_args(const char *args, int max, int *num, char (*str)[64]);

/* Runs an SMS command (at_sms.c); MSIM_RES_ERROR when c is not one. */
enum msim_at_result msim_at_sms_command(struct msim_at *at, struct msim_at_cmd *c,
    bool *handled);

/* Completes a PDU entry (AT+CMGS / AT+CMGW), appending the reply. */
void msim_at_sms_pdu_done(struct msim_at *at, struct msim_buf *out);

/* Runs a call command (at_call.c): +CLIP, +CRC, +CCWA, +CHUP, +CLCC. */
enum msim_at_result msim_at_call_command(struct msim_at *at, struct msim_at_cmd *c,
    bool *handled);

/* ATH: the client hangs up; OK whether a call rang or not. */
enum msim_at_result msim_at_call_hangup(struct msim_at *at, const char *how);

/*
 * Writes s as a quoted string parameter in the character set chosen
 * with AT+CSCS (hex-encoded for UCS2 and HEX) into out.
 */
void msim_at_quote(const struct msim_at *at, const char *s, char *out, size_t outsz);

/* Appends a final result to out, honouring AT+CMEE. */
void msim_at_result(struct msim_at *at, enum msim_at_result res, int code,
    struct msim_buf *out);

#endif
