/*
 * gsmdev — one GSM modem through libgammu's AT driver: the device
 * adapter.  gsmdev.c is the only file of rappel that includes gammu.h,
 * and it includes no domain header: it knows modems, ports and PDUs,
 * not messages, replies or PINs refused before.  It turns libgammu into
 * plain C values and events the modem worker (modem.c) acts on:
 *
 *   sent(reference)      gsmdev_send_part(): GSMDEV_SENT and the TP-MR
 *   failed(kind)         every call: a struct gsmdev_err, whose kind
 *                        comes from one table (gsmdev_err_of() in gsmdev.c)
 *   refused(+CMS code)   gsmdev_send_part(): GSMDEV_REFUSED; the worker
 *                        says what the code means (sendpolicy_cms())
 *   received(SMS)        gsmdev_sweep_read() and gsmdev_decode_pdu():
 *                        struct gsmdev_sms, text as UTF-8, the sender as
 *                        E.164 or as it came ("ORANGE")
 *   report(TP-MR, TP-ST) the same, with report set
 *   announced            gsmdev_announced(): the modem said +CMTI
 *   call(begin)          on_call (gsmdev_new()): a call that talks to the
 *                        modem began, for the pool's watcher
 *   rang(number)         gsmdev_take_ring(): someone phones the modem's
 *                        number (+CLIP); gsmdev_hangup() ends it
 *
 * The states of a struct gsmdev and the function behind each transition
 * are at the top of gsmdev.c.
 *
 * Threads: a struct gsmdev belongs to one worker thread.  The watcher
 * thread may call gsmdev_calls(), gsmdev_in_call() and gsmdev_watch() at
 * any time: they take the adapter's lock or read atomics.
 *
 * The usleep() cut: gsmdev.c defines usleep(), so that inside
 * GSM_SendSMS() (gsmdev_send_part()), and only there, libgammu's sleeps
 * last at most the send_pause_ms given to gsmdev_new().  docs/modem.md
 * says why.
 */
#ifndef RAPPEL_GSMDEV_H
#define RAPPEL_GSMDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GSMDEV_MAX_PARTS 50		/* PDUs one message may take (GSM_MAX_MULTI_SMS) */
#define GSMDEV_CALL_MAX_S 30		/* a call to the modem may run this long, then
					   gsmdev_watch() aborts it */
#define GSMDEV_SEND_TIMEOUT_S 60	/* wait for +CMGS at most this long */
#define GSMDEV_IMEI_MAX 64		/* with its NUL (GSM_MAX_IMEI_LENGTH + 1 fits) */
#define GSMDEV_NUMBER_MAX 64		/* a sender as gsmdev_sms gives it, with its NUL */
#define GSMDEV_RING_GAP_S 20		/* a call rings every few seconds: a ring this long
					   after the last one begins a new call */

/* What kind of failure a call met (one table in gsmdev.c maps GSM_Error). */
enum gsmdev_kind {
	GSMDEV_OK,
	GSMDEV_TIMEOUT,		/* the modem did not answer in time */
	GSMDEV_DEVICE,		/* the device: gone, unreadable, busy ...: reconnect */
	GSMDEV_UNSUPPORTED,	/* this modem does not do that */
	GSMDEV_EMPTY,		/* nothing there (the end of the SIM's SMS) */
	GSMDEV_OTHER,
};

/*
 * A call's outcome.  text is libgammu's words for it, static: it lives as
 * long as the process (never NULL, "No error." when kind is GSMDEV_OK).
 */
struct gsmdev_err {
	enum gsmdev_kind kind;
	const char *text;
};

/* What the SIM asks for before it works. */
enum gsmdev_security {
	GSMDEV_SEC_NONE,	/* nothing, or the modem cannot say */
	GSMDEV_SEC_PIN,
	GSMDEV_SEC_PUK,
	GSMDEV_SEC_OTHER,	/* PIN2, a phone code ... */
};

/* How handing one PDU to the modem ended. */
enum gsmdev_sent {
	GSMDEV_SENT,		/* accepted by the network: reference is its TP-MR */
	GSMDEV_NOT_SENT,	/* not (completely) written: nothing went out; err */
	GSMDEV_NO_ANSWER,	/* written, no +CMGS: it may have gone out; err */
	GSMDEV_REFUSED,		/* +CMS ERROR: cms */
};

struct gsmdev_send {
	enum gsmdev_sent sent;
	int reference;		/* GSMDEV_SENT */
	int cms;		/* GSMDEV_REFUSED */
	struct gsmdev_err err;	/* GSMDEV_NOT_SENT, GSMDEV_NO_ANSWER */
};

/* An SMS read from the SIM, or decoded from a PDU. */
struct gsmdev_sms {
	bool report;		/* a delivery report (SMS-STATUS-REPORT) */
	char from[GSMDEV_NUMBER_MAX];	/* E.164 when it is a number, else as sent */
	char *text;		/* UTF-8, owned (gsmdev_sms_clear()); NULL for a report */
	int64_t sent_at;	/* the SMSC's time stamp, Unix time; 0: none */
	int concat_ref;		/* -1 when it is not part of a longer message */
	int total, seq;		/* its parts and which one it is, 1 and 1 when alone */
	int reference;		/* report: TP-MR of the part it reports on */
	int status;		/* report: TP-ST */
};

struct gsmdev;
struct gsmdev_sweep;

/*
 * A closed adapter for the modem called name (in logs; copied).
 * send_pause_ms caps libgammu's sleeps while sending.  on_call(arg) runs
 * in the worker each time a call that talks to the modem begins (NULL:
 * none).  Never NULL (out of memory is fatal).
 */
struct gsmdev *gsmdev_new(const char *name, unsigned send_pause_ms,
    void (*on_call)(void *), void *arg);
/* Closes and frees.  NULL is a no-op. */
void gsmdev_free(struct gsmdev *d);

/*
 * closed -> open: connects to device (a path; copied) with libgammu's
 * connection (e.g. "at").  On failure it is closed again.
 */
struct gsmdev_err gsmdev_open(struct gsmdev *d, const char *device, const char *connection);
/* any -> closed.  Closed already: nothing. */
void gsmdev_close(struct gsmdev *d);
/* True unless closed. */
bool gsmdev_is_open(const struct gsmdev *d);

/* open: what the SIM asks for; GSMDEV_UNSUPPORTED is told as GSMDEV_SEC_NONE. */
struct gsmdev_err gsmdev_security(struct gsmdev *d, enum gsmdev_security *sec);
/* open: the modem's IMEI in imei (GSMDEV_IMEI_MAX), "" on failure. */
struct gsmdev_err gsmdev_imei(struct gsmdev *d, char *imei);
/* open: enters the SIM's PIN (sent once, whatever the outcome). */
struct gsmdev_err gsmdev_enter_pin(struct gsmdev *d, const char *pin);

/*
 * open -> ready: asks for +CMTI notices (a refusal is logged: the sweep
 * finds the SMS), reads the SMSC number, remembers the device node and
 * finds libgammu's descriptor of the port.  When the SMSC cannot be read,
 * it stays open and that is the error.
 */
struct gsmdev_err gsmdev_start(struct gsmdev *d);

/* ready: libgammu's descriptor of the port for poll(), or -1 (unknown, closed). */
int gsmdev_port_fd(const struct gsmdev *d);
/* ready: lets libgammu read what the modem said unasked (after poll() said so). */
void gsmdev_read(struct gsmdev *d);
/* ready: the same, only when something waits on the port (no 50 ms wait). */
void gsmdev_read_pending(struct gsmdev *d);
/*
 * True when the modem announced an SMS since the last gsmdev_sweep_read();
 * delivery reports are counted apart, by gsmdev_reports_announced().
 */
bool gsmdev_announced(const struct gsmdev *d);
/* The delivery reports the modem announced since the last sweep read. */
int gsmdev_reports_announced(const struct gsmdev *d);

/*
 * Incoming voice calls.  gsmdev_start() asks libgammu for their
 * notifications (AT+CLIP=1, AT+CRC=1: a refusal is logged); each +CLIP
 * libgammu reads (gsmdev_read(), or during any call to the modem) is a
 * ring: the caller's number, E.164 when it is one ("" when withheld).
 * The callback only notes it: the worker takes it after the read.  A
 * call lasts from its first ring until it ends (our hang-up answered OK,
 * or NO CARRIER: the caller gave up); its later rings are not new calls.
 */
/* True when a ring came since the last gsmdev_take_ring(). */
bool gsmdev_ringing(const struct gsmdev *d);
/*
 * Takes the last ring: true with its number in from (size), once; *fresh
 * is true for the first ring of a call, false for a later one.
 */
bool gsmdev_take_ring(struct gsmdev *d, char *from, size_t size, bool *fresh);
/* ready: hangs up every call (AT+CHUP, or ATH when the modem has no +CHUP). */
struct gsmdev_err gsmdev_hangup(struct gsmdev *d);

/*
 * True when the device path is gone or now names another node than the
 * one connected to (a USB unplug or reset); always true when closed.
 */
bool gsmdev_gone(const struct gsmdev *d);
/* True when libgammu says the connection is up (false when closed). */
bool gsmdev_connected(struct gsmdev *d);
/* What gsmdev_gone() means as an error, for the worker to report it. */
struct gsmdev_err gsmdev_err_gone(void);
/* True once after gsmdev_watch() aborted a call: libgammu's state is suspect. */
bool gsmdev_take_aborted(struct gsmdev *d);

/* ready: the signal in percent. */
struct gsmdev_err gsmdev_signal(struct gsmdev *d, int *percent);
/*
 * ready: registration (home or roaming) and the operator's name (or its
 * code when it has none), UTF-8, into operator (size).
 */
struct gsmdev_err gsmdev_network(struct gsmdev *d, bool *registered, char *operator,
    size_t size);

/*
 * ready: reads up to max SMS entries of the SIM (all of it before
 * anything is deleted: deleting moves the walk), and clears the
 * announced flag.  *out gets what was read, even when the read stopped
 * on an error (returned; GSMDEV_EMPTY and GSMDEV_UNSUPPORTED are not
 * errors and come back as GSMDEV_OK).  The caller frees *out with
 * gsmdev_sweep_free().
 */
struct gsmdev_err gsmdev_sweep_read(struct gsmdev *d, int max, struct gsmdev_sweep **out);
/* SMS in s, and the i-th (0 ..), alive until gsmdev_sweep_free(). */
size_t gsmdev_sweep_count(const struct gsmdev_sweep *s);
const struct gsmdev_sms *gsmdev_sweep_sms(const struct gsmdev_sweep *s, size_t i);
/* ready: deletes s's i-th SMS from the SIM. */
struct gsmdev_err gsmdev_sweep_delete(struct gsmdev *d, struct gsmdev_sweep *s, size_t i);
/* NULL is a no-op. */
void gsmdev_sweep_free(struct gsmdev_sweep *s);

/*
 * Decodes pdu (len octets, the SMSC address first, as +CMGL / +CMGR show
 * it) as the AT driver does when it reads the SIM.  0 and *sms filled
 * (free with gsmdev_sms_clear()), or -1.  Needs no device.
 */
int gsmdev_decode_pdu(const unsigned char *pdu, size_t len, struct gsmdev_sms *sms);
/* Frees what sms owns.  NULL is a no-op. */
void gsmdev_sms_clear(struct gsmdev_sms *sms);

/*
 * ready: encodes a message for `to` (E.164) as the adapter's current
 * message, GSM-7 or UCS-2, each PDU asking for a delivery report, the
 * concatenation reference concat_ref on every part (so parts of a retry
 * join those of an earlier attempt).  *nparts gets its PDUs.
 */
struct gsmdev_err gsmdev_encode(struct gsmdev *d, const char *to, const char *body,
    bool ucs2, int concat_ref, int *nparts);
/*
 * ready: hands part i (0 ..) of the current message to the modem and
 * waits for its answer (at most GSMDEV_SEND_TIMEOUT_S).
 */
struct gsmdev_send gsmdev_send_part(struct gsmdev *d, int i);

/*
 * The watcher: libgammu calls since gsmdev_new() (a count that grows), and
 * whether one is running.
 */
unsigned gsmdev_calls(const struct gsmdev *d);
bool gsmdev_in_call(const struct gsmdev *d);
/*
 * The watcher, from its own thread: aborts the running call when the
 * device is gone (gsmdev_gone()) or the call has run GSMDEV_CALL_MAX_S
 * (then gsmdev_take_aborted() says so once).  GSM_AbortOperation() is
 * thread-safe.
 */
void gsmdev_watch(struct gsmdev *d);

#endif
