/*
 * modem — the modem worker: one thread per [modem] section, the logic of
 * one modem above its device (gsmdev.h).  See modem.h for what a worker
 * does, modem_worker.h for how it shares the work with the pool
 * (modem_pool.c: threads, waits, the watcher), sendpolicy.h for when it
 * may send.
 *
 * Worker states (modem_status.state) and the function behind each change:
 *
 *   from          to            by
 *   -----------   -----------   ------------------------------------------
 *   connecting    no_network    modem_connect(), modem_health()  connected;
 *   reconnecting                                  ready once registered
 *   connecting    pin_refused   modem_unlock()   the PIN was wrong or
 *   reconnecting                missing, or refused by this SIM in an
 *                               earlier run (pin.h): stopped, never
 *                               retried (a SIM locks after three wrong PINs)
 *   connecting    reconnecting  modem_run()      could not connect: waits
 *                               1 s, 2 s ... 30 s, or for the device path
 *                               to come back
 *   no_network    ready         modem_health()   registered: sending and
 *                                                receiving
 *   ready         no_network    modem_health()   not registered: messages wait
 *   ready         benched       modem_send()     SENDPOLICY_BENCH_FAILURES
 *                               sends failed in a row: it claims no message
 *                               for SENDPOLICY_BENCH_S seconds and the other
 *                               modems take the queue; it still receives
 *   benched       no_network    modem_step()     its time is up (the health
 *                                                check makes it ready)
 *   any           reconnecting  modem_trouble()  lost the device, or it
 *                               stopped answering (MODEM_MAX_TIMEOUTS in a
 *                               row, a call aborted by the watcher)
 *   any           stopped       modem_run()      the pool stops
 */
#include "modem.h"

#include <malloc.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "gsmdev.h"
#include "inbox.h"
#include "log.h"
#include "modem_worker.h"
#include "modemstatus.h"
#include "pin.h"
#include "queue.h"
#include "sendpolicy.h"
#include "window.h"

#define MODEM_SWEEP_S 120		/* read the whole SIM this often (+CMTI announces
					   each SMS; the sweep catches what it missed) */
#define MODEM_SWEEP_MAX 64		/* SMS entries handled per sweep; the rest wait
					   for the next */
#define MODEM_REPORTS_BATCH 8		/* announced delivery reports read together while
					   messages go out: one read and one commit for
					   them, well below a SIM's 20 to 50 slots */
#define MODEM_REPORTS_WAIT_S 2		/* nor does the first of them wait longer */
#define MODEM_HEALTH_S 180		/* signal and registration this often (GSM_GetNetworkInfo
					   alone is 8 AT commands) */
#define MODEM_MAX_TIMEOUTS 3		/* in a row, then reconnect */
#define MODEM_BACKOFF_MAX_S 30
#define MODEM_CLAIM_BACKOFF_MAX_S 30	/* most wait after a claim the database refused */
#define MODEM_DB_LOG_S 60		/* a database refusal is logged this often at most */
#define MODEM_PUBLISH_S 5		/* sent_total goes to modem_status at most this often
					   while sending; a state change goes at once */

static const char *const modem_state_names[] = {
	[MODEM_CONNECTING] = "connecting",
	[MODEM_PIN_REFUSED] = "pin_refused",
	[MODEM_NO_NETWORK] = "no_network",
	[MODEM_READY] = "ready",
	[MODEM_RECONNECTING] = "reconnecting",
	[MODEM_BENCHED] = "benched",
	[MODEM_STOPPED] = "stopped",
};

/* ---- status ---- */

static void
modem_publish(struct modem *m)
{
	struct modemstatus s = { .signal = m->signal, .sent_total = m->sent_total };

	snprintf(s.name, sizeof(s.name), "%s", m->cfg->name);
	snprintf(s.device, sizeof(s.device), "%s", m->cfg->device);
	snprintf(s.state, sizeof(s.state), "%s", modem_state_names[m->state]);
	snprintf(s.operator, sizeof(s.operator), "%s", m->operator);
	snprintf(s.last_error, sizeof(s.last_error), "%s", m->last_error);
	m->published_at = m->pool->now();
	s.updated_at = m->published_at;
	modemstatus_write(m->db, &s);
}

static void
modem_set_state(struct modem *m, enum modem_state state)
{
	if (m->state != state)
		log_info("modem: %s state=%s", m->cfg->name, modem_state_names[state]);
	m->state = state;
	modem_publish(m);
}

static void
modem_set_error(struct modem *m, const char *what, struct gsmdev_err e)
{
	snprintf(m->last_error, sizeof(m->last_error), "%s: %s", what, e.text);
	log_warn("modem: %s %s", m->cfg->name, m->last_error);
}

/* Counts a failure; true when the connection was dropped (reconnecting). */
static bool
modem_trouble(struct modem *m, const char *what, struct gsmdev_err e)
{
	bool aborted = gsmdev_take_aborted(m->dev);

	modem_set_error(m, what, e);
	if (e.kind == GSMDEV_TIMEOUT)
		m->timeouts++;
	/* after an abort libgammu's parser may be lost in noise: start afresh */
	if (aborted || e.kind == GSMDEV_DEVICE || m->timeouts >= MODEM_MAX_TIMEOUTS ||
	    gsmdev_gone(m->dev)) {
		gsmdev_close(m->dev);
		modem_set_state(m, MODEM_RECONNECTING);
		return true;
	}
	modem_publish(m);
	return false;
}

/* ---- connection and the PIN policy ---- */

/* What the dashboard and rappelctl status say of a PIN that will not be tried. */
#define MODEM_PIN_HINT "Corrigez « pin » dans la section [%s] de rappel.conf, puis " \
	"redémarrez rappel (systemctl restart rappel) : le nouveau code sera essayé une fois."

/* Stops the worker for good (this run) with a French explanation for a person. */
static int
modem_pin_stop(struct modem *m, const char *log_what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
modem_pin_stop(struct modem *m, const char *log_what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->last_error, sizeof(m->last_error), fmt, ap);
	va_end(ap);
	log_err("modem: %s %s", m->cfg->name, log_what);
	m->pin_refused = true;
	modem_set_state(m, MODEM_PIN_REFUSED);
	return -1;
}

/*
 * Enters the PIN when the SIM asks for one, unless that PIN was refused
 * by this SIM before, in this run or any earlier one (pin.h): a SIM locks
 * after three wrong PINs, and a Pi reboots.  The attempt is on the disk
 * before the PIN is sent.
 */
static int
modem_unlock(struct modem *m)
{
	enum gsmdev_security status;
	char imei[GSMDEV_IMEI_MAX], sim[PIN_SIM_MAX], why[128];
	struct gsmdev_err e = gsmdev_security(m->dev, &status);
	int refused;

	if (e.kind == GSMDEV_OK && status == GSMDEV_SEC_NONE)
		return 0;
	if (e.kind != GSMDEV_OK) {
		modem_set_error(m, "cannot read the SIM state", e);
		return -1;
	}
	if (status == GSMDEV_SEC_PUK)
		return modem_pin_stop(m, "the SIM is locked and asks for its PUK",
		    "Carte SIM bloquée : elle demande son code PUK (8 chiffres, fourni par "
		    "l'opérateur). Débloquez-la dans un téléphone, puis rebranchez-la.");
	if (status != GSMDEV_SEC_PIN)
		return modem_pin_stop(m, "the SIM asks for a code other than its PIN",
		    "La carte SIM demande un code autre que son PIN : mettez-la dans un "
		    "téléphone pour voir lequel.");
	if (m->cfg->pin == NULL)
		return modem_pin_stop(m, "the SIM asks for a PIN and none is configured",
		    "La carte SIM demande son code PIN. " MODEM_PIN_HINT, m->cfg->name);
	if (m->pin_refused)
		return modem_pin_stop(m, "the PIN was refused; not trying again",
		    "Code PIN refusé par la carte SIM. " MODEM_PIN_HINT, m->cfg->name);
	gsmdev_imei(m->dev, imei);	/* "" when it cannot be read */
	pin_sim_name(imei, m->device, sim);
	if ((refused = pin_refused(m->db, sim, m->cfg->pin, why, sizeof(why))) != 0) {
		if (refused < 0)
			return modem_pin_stop(m, "cannot read the PINs refused before; not "
			    "trying one", "Code PIN non essayé : la base de données ne répond "
			    "pas. Redémarrez rappel.");
		return modem_pin_stop(m, strcmp(why, PIN_INTERRUPTED) == 0 ?
		    "this PIN's last attempt got no answer; not trying it again" :
		    "this PIN was refused by this SIM before; not trying it again",
		    "Ce code PIN a déjà été %s par cette carte SIM : rappel ne l'essaie plus "
		    "(la carte se bloque après 3 codes faux). " MODEM_PIN_HINT,
		    strcmp(why, PIN_INTERRUPTED) == 0 ? "essayé sans réponse" : "refusé",
		    m->cfg->name);
	}
	if (pin_attempt_begin(m->db, sim, m->cfg->pin, m->cfg->name, m->pool->now()) < 0)
		return modem_pin_stop(m, "cannot record the PIN attempt; not trying it",
		    "Code PIN non essayé : la base de données ne répond pas. Redémarrez rappel.");
	e = gsmdev_enter_pin(m->dev, m->cfg->pin);
	if (e.kind != GSMDEV_OK) {
		snprintf(why, sizeof(why), "refused (%s)", e.text);
		pin_attempt_end(m->db, sim, m->cfg->pin, false, why);
		log_err("modem: %s the PIN was %s sim=%s; never tried again on this SIM",
		    m->cfg->name, why, sim);
		return modem_pin_stop(m, "the PIN was refused",
		    "Code PIN refusé par la carte SIM : rappel ne l'essaiera plus (la carte se "
		    "bloque après 3 codes faux). " MODEM_PIN_HINT, m->cfg->name);
	}
	pin_attempt_end(m->db, sim, m->cfg->pin, true, NULL);
	log_info("modem: %s PIN accepted", m->cfg->name);
	return 0;
}

static int
modem_connect(struct modem *m)
{
	struct gsmdev_err e;

	modem_set_state(m, m->state == MODEM_CONNECTING ? MODEM_CONNECTING :
	    MODEM_RECONNECTING);
	e = gsmdev_open(m->dev, m->device, m->cfg->connection);
	if (e.kind != GSMDEV_OK) {
		modem_set_error(m, "cannot connect", e);	/* closed again */
		return -1;
	}
	if (modem_unlock(m) < 0) {
		gsmdev_close(m->dev);
		return -1;
	}
	e = gsmdev_start(m->dev);
	if (e.kind != GSMDEV_OK) {
		modem_set_error(m, "cannot read the SMS centre number", e);
		gsmdev_close(m->dev);
		return -1;
	}
	m->timeouts = 0;
	m->backoff = 0;
	m->next_sweep = 0;
	m->next_health = 0;
	m->last_error[0] = '\0';
	log_info("modem: %s connected device=%s", m->cfg->name, m->device);
	return 0;
}

/* ---- health ---- */

static void
modem_health(struct modem *m)
{
	struct gsmdev_err e;
	bool registered = false;

	e = gsmdev_signal(m->dev, &m->signal);
	if (e.kind != GSMDEV_OK && modem_trouble(m, "cannot read the signal", e))
		return;
	e = gsmdev_network(m->dev, &registered, m->operator, sizeof(m->operator));
	if (e.kind != GSMDEV_OK) {
		modem_trouble(m, "cannot read the network state", e);
		return;
	}
	m->timeouts = 0;
	if (m->state == MODEM_BENCHED)
		modem_publish(m);	/* stays benched until its time is up */
	else if (registered)
		modem_set_state(m, MODEM_READY);
	else
		modem_set_state(m, MODEM_NO_NETWORK);
}

/* ---- receiving ---- */

/*
 * Stores one SMS that modem name read from the SIM: a delivery report
 * updates its message, anything else goes to the inbox, undecided, for
 * the reply router (*stored set when a reply was completed).  0 when it
 * may be deleted from the SIM.
 */
static int
modem_store_sms(struct db *db, const char *name, const struct gsmdev_sms *sms, int64_t now,
    bool *stored)
{
	struct inbox_sms in = { 0 };
	int64_t id;
	int rc;

	if (sms->report) {
		/* TP-ST: 0x00-0x1F done, 0x20-0x3F still trying, 0x40+ failed */
		if (sms->status >= 0x20 && sms->status < 0x40)
			return 0;
		rc = queue_report(db, name, sms->reference, sms->from, sms->status, now);
		if (rc == 0)
			log_info("modem: %s report for unknown reference=%d", name,
			    sms->reference);
		return rc < 0 ? -1 : 0;
	}
	in.modem = name;
	in.from = sms->from;
	in.body = sms->text;
	in.sent_at = sms->sent_at;
	in.concat_ref = sms->concat_ref;
	in.total = sms->total;
	in.seq = sms->seq;
	rc = inbox_store(db, &in, now, &id);
	if (rc == 0 && id > 0)
		*stored = true;
	return rc;
}

int
modem_store_pdu(struct db *db, const char *name, const unsigned char *pdu, size_t len,
    int64_t now)
{
	struct gsmdev_sms sms;
	bool stored = false;
	int rc = -1;

	if (len > MODEM_PDU_MAX)
		return -1;
	if (gsmdev_decode_pdu(pdu, len, &sms) == 0)
		rc = modem_store_sms(db, name, &sms, now, &stored);
	gsmdev_sms_clear(&sms);
	return rc;
}

/*
 * Records every delivery report of s in one transaction: one durable
 * commit for the sweep, not one for each report (a report comes back for
 * every part sent).  True when they were committed and may be deleted
 * from the SIM; false leaves them all there, read again at the next sweep.
 */
static bool
modem_store_reports(struct modem *m, const struct gsmdev_sweep *s)
{
	bool any = false, unused = false;
	int64_t now = m->pool->now();
	size_t i;

	for (i = 0; i < gsmdev_sweep_count(s); i++) {
		if (!gsmdev_sweep_sms(s, i)->report)
			continue;
		if (!any && db_begin(m->db) < 0)
			return false;
		any = true;
		if (modem_store_sms(m->db, m->cfg->name, gsmdev_sweep_sms(s, i), now,
		    &unused) < 0) {
			db_rollback(m->db);
			return false;
		}
	}
	if (any && db_commit(m->db) < 0) {
		db_rollback(m->db);
		return false;
	}
	return true;
}

/*
 * Reads every SMS on the SIM first (deleting while walking the SIM would
 * move the walk's position), then stores them (the reports together, each
 * other SMS on its own) and deletes each one once it is stored.
 */
static void
modem_sweep(struct modem *m)
{
	struct gsmdev_sweep *s = NULL;
	struct gsmdev_err e;
	bool stored = false, reports;
	size_t i;

	m->worked = true;
	e = gsmdev_sweep_read(m->dev, MODEM_SWEEP_MAX, &s);
	if (e.kind != GSMDEV_OK)
		modem_trouble(m, "cannot read SMS", e);
	reports = modem_store_reports(m, s);
	for (i = 0; i < gsmdev_sweep_count(s) && gsmdev_is_open(m->dev); i++) {
		if (gsmdev_sweep_sms(s, i)->report ? !reports :
		    modem_store_sms(m->db, m->cfg->name, gsmdev_sweep_sms(s, i),
		    m->pool->now(), &stored) < 0)
			continue;	/* stays on the SIM, read again later */
		e = gsmdev_sweep_delete(m->dev, s, i);
		if (e.kind != GSMDEV_OK && modem_trouble(m, "cannot delete an SMS", e))
			break;
	}
	gsmdev_sweep_free(s);
	if (stored)
		modem_pool_received(m->pool);
}

/*
 * Someone phoned the modem's number (gsmdev_take_ring()): the call is
 * hung up at once, so that the caller neither waits nor pays, then kept
 * in the inbox as a call (inbox_store_call(); several rings of one call
 * are one: the adapter tells a call's later rings) for the reply router,
 * which answers it by SMS.  A withheld number is hung up on and only
 * logged.
 */
static void
modem_take_call(struct modem *m)
{
	char from[GSMDEV_NUMBER_MAX], masked[24];
	struct gsmdev_err e;
	int64_t id = 0;
	bool fresh;

	if (!gsmdev_take_ring(m->dev, from, sizeof(from), &fresh))
		return;
	e = gsmdev_hangup(m->dev);
	if (from[0])
		log_mask_phone(from, masked, sizeof(masked));
	else
		snprintf(masked, sizeof(masked), "withheld");
	if (e.kind == GSMDEV_OK)
		log_info("modem: %s hung up a call from=%s", m->cfg->name, masked);
	else if (modem_trouble(m, "cannot hang up a call", e))
		return;
	if (from[0] == '\0' || !fresh)
		return;		/* withheld: nobody to answer; a later ring of the same call */
	if (inbox_store_call(m->db, m->cfg->name, from, m->pool->now(), &id) == 0 && id > 0)
		modem_pool_received(m->pool);
}

/* ---- sending ---- */

/* Hands part i of the encoded message to the modem; its TP-MR in *reference. */
static enum sendpolicy_result
modem_send_part(struct modem *m, int i, int *reference, char *why, size_t whylen)
{
	struct gsmdev_send s = gsmdev_send_part(m->dev, i);

	switch (s.sent) {
	case GSMDEV_NOT_SENT:
		/* the PDU was not (completely) written: nothing went out */
		snprintf(why, whylen, "modem: %s", s.err.text);
		modem_trouble(m, "cannot send", s.err);
		return SENDPOLICY_TEMPFAIL;
	case GSMDEV_NO_ANSWER:
		snprintf(why, whylen, "pas de réponse du modem après l'envoi (%s)", s.err.text);
		modem_trouble(m, "no answer after sending", s.err);
		return SENDPOLICY_UNKNOWN;
	case GSMDEV_REFUSED:
		snprintf(why, whylen, "refusé par le réseau (+CMS ERROR: %d)", s.cms);
		log_warn("modem: %s send refused cms=%d", m->cfg->name, s.cms);
		return sendpolicy_cms(s.cms);
	case GSMDEV_SENT:
		break;
	}
	m->timeouts = 0;
	*reference = s.reference;
	return SENDPOLICY_OK;
}

/* ---- rate limits ---- */

/* What message_parts says this modem sent; the last minute's as if sent now. */
static bool
modem_policy_load(struct modem *m, int64_t now)
{
	int minute, day;

	if (m->policy_loaded)
		return true;
	minute = queue_parts_since(m->db, m->cfg->name, now - 60);
	day = queue_parts_since(m->db, m->cfg->name, window_day_start(now));
	if (minute < 0 || day < 0)
		return false;
	sendpolicy_init(&m->policy, now, minute, day);
	m->policy_loaded = true;
	return true;
}

/*
 * True when this modem may hand over a message now: inside the sending
 * hours and days, and under its per-minute and per-day limits.  Outside,
 * messages wait in the queue; they are never dropped.
 */
static bool
modem_may_send(struct modem *m, int64_t now)
{
	return modem_policy_load(m, now) && sendpolicy_may_send(&m->policy, m->live, now);
}

/* ---- a message's outcome ---- */

/*
 * True when the worker may claim the next message in the transaction that
 * records the last one's outcome: ready, within the hours and limits, and
 * nothing else due first (a stop, the health check, the SIM sweep, an
 * announced SMS to read).
 */
/*
 * True when the delivery reports the modem announced are to be read now:
 * MODEM_REPORTS_BATCH of them, or the first has waited
 * MODEM_REPORTS_WAIT_S.  Until then they wait on the SIM while messages
 * go out, so that the reports of a batch cost one read and one commit,
 * not one each.
 */
static bool
modem_reports_due(struct modem *m, int64_t now)
{
	int n = gsmdev_reports_announced(m->dev);

	if (n == 0) {
		m->reports_since = 0;
		return false;
	}
	if (m->reports_since == 0)
		m->reports_since = now;
	return n >= MODEM_REPORTS_BATCH || now >= m->reports_since + MODEM_REPORTS_WAIT_S;
}

static bool
modem_may_chain(struct modem *m, int64_t now)
{
	return !modem_pool_stopping(m->pool) && m->state == MODEM_READY &&
	    !gsmdev_announced(m->dev) && !modem_reports_due(m, now) &&
	    !gsmdev_ringing(m->dev) && now < m->next_health && now < m->next_sweep &&
	    modem_may_send(m, now);
}

/*
 * The database refused a write (a claim, an outcome): no claim for 1 s,
 * 2 s ... MODEM_CLAIM_BACKOFF_MAX_S, logged once a minute at most.
 */
static void
modem_db_refused(struct modem *m, const char *what, int64_t now)
{
	bool full = db_take_full(m->db);

	m->db_failures++;
	m->db_backoff = sendpolicy_backoff(m->db_backoff, MODEM_CLAIM_BACKOFF_MAX_S);
	m->db_retry_at = now + m->db_backoff;
	if (m->db_logged_at == 0 || now - m->db_logged_at >= MODEM_DB_LOG_S) {
		log_err("modem: %s cannot %s: %s; trying again in %d s failures=%ld",
		    m->cfg->name, what, full ? "the disk is full" : db_errmsg(m->db),
		    m->db_backoff, m->db_failures);
		m->db_logged_at = now;
	}
}

/* The database took a write again. */
static void
modem_db_ok(struct modem *m)
{
	if (m->db_failures)
		log_info("modem: %s the database takes writes again after failures=%ld",
		    m->cfg->name, m->db_failures);
	m->db_failures = 0;
	m->db_backoff = 0;
	m->db_retry_at = 0;
	m->db_logged_at = 0;
}

/* The outcome o in the caller's transaction; 0, or -1 when a write failed. */
static int
modem_write_outcome(struct modem *m, const struct modem_outcome *o)
{
	int i, rc = 0;

	for (i = 0; i < o->nparts && rc == 0; i++)
		rc = queue_part_sent(m->db, o->id, o->parts[i].seq, m->cfg->name,
		    o->parts[i].reference, o->parts[i].at);
	if (rc < 0)
		return -1;
	switch ((enum sendpolicy_result)o->result) {
	case SENDPOLICY_OK:
		return queue_mark_sent(m->db, o->id, o->at);
	case SENDPOLICY_TEMPFAIL:
		return queue_retry(m->db, o->id, o->why, m->live->retry_delay, o->at);
	case SENDPOLICY_PERMFAIL:
		return queue_fail(m->db, o->id, o->why, o->at);
	case SENDPOLICY_UNKNOWN:
		return queue_uncertain(m->db, o->id, o->why, o->at);
	}
	return -1;
}

/*
 * The outcome could not be committed: kept, to be written by
 * modem_flush_outcome() once the database takes it, unless the message is
 * no longer 'sending' (then there is nothing left to record).
 */
static void
modem_keep_outcome(struct modem *m, const struct modem_outcome *o, int64_t now)
{
	char status[16] = "", error[8];
	int found = queue_message_state(m->db, o->id, status, sizeof(status), error,
	    sizeof(error));

	/* a database that cannot be read (-1) keeps the outcome too */
	if (found == 0 || (found == 1 && strcmp(status, "sending") != 0)) {
		log_err("modem: %s message id=%lld left 'sending' meanwhile; its outcome is "
		    "dropped", m->cfg->name, (long long)o->id);
		m->outcome.pending = false;
		return;
	}
	if (&m->outcome != o)
		m->outcome = *o;
	m->outcome.pending = true;
	modem_db_refused(m, "record what became of a message", now);
}

/*
 * Writes the kept outcome, when there is one; true when none is left.
 * Until it is written, the worker claims nothing.
 */
static bool
modem_flush_outcome(struct modem *m, int64_t now)
{
	if (!m->outcome.pending)
		return true;
	if (now < m->db_retry_at && !modem_pool_stopping(m->pool))
		return false;
	if (db_begin(m->db) == 0 && modem_write_outcome(m, &m->outcome) == 0 &&
	    db_commit(m->db) == 0) {
		log_info("modem: %s outcome of message id=%lld recorded late", m->cfg->name,
		    (long long)m->outcome.id);
		m->outcome.pending = false;
		modem_db_ok(m);
		return true;
	}
	db_rollback(m->db);
	modem_keep_outcome(m, &m->outcome, now);
	return !m->outcome.pending;
}

/*
 * Records what became of a claimed message: the parts the network
 * accepted and the outcome r, in one transaction.  When the message went
 * out and modem_may_chain(), the next message is claimed in that same
 * transaction, committed durably before the modem gets it: 1 with *next
 * filled (the caller clears it).  Otherwise 0, and a message sent is
 * committed lazily (not flushed): the next claim, or the idle step,
 * flushes it.  Were that lost in a power cut, the message would still be
 * 'sending', which the next start marks uncertain: never resent.  A claim
 * is always durable before the modem gets its message, so nothing is ever
 * sent twice unknowingly.  One durable commit per message instead of two
 * halves the disk writes of a campaign (an SD card's life).
 *
 * When the database refuses the transaction (a full disk, busy for too
 * long), nothing of it is written, the claim neither: the outcome is kept
 * in m->outcome and written as soon as the database takes it
 * (modem_flush_outcome()), so the message does not stay 'sending' until
 * the next start.
 */
static int
modem_record(struct modem *m, const struct queue_msg *msg, const struct modem_part *parts,
    int nparts, enum sendpolicy_result r, const char *why, int64_t now,
    struct queue_msg *next)
{
	bool chain = r == SENDPOLICY_OK && modem_may_chain(m, now);
	bool lazy = r == SENDPOLICY_OK && !chain;
	struct modem_outcome o = { .id = msg->id, .result = r, .at = now, .nparts = nparts };
	bool ok;
	int claimed = 0;

	snprintf(o.why, sizeof(o.why), "%s", why);
	memcpy(o.parts, parts, (size_t)nparts * sizeof(*parts));
	if (r == SENDPOLICY_OK)
		m->sent_total++;
	ok = (lazy ? db_begin_lazy(m->db) : db_begin(m->db)) == 0 &&
	    modem_write_outcome(m, &o) == 0;
	/* the count of messages sent: not worth a write per message */
	if (ok && (r != SENDPOLICY_OK || now - m->published_at >= MODEM_PUBLISH_S))
		modem_publish(m);
	if (ok && chain)
		claimed = queue_claim_next(m->db, m->cfg->name, now, next) == 1;
	if (ok)
		ok = (lazy ? db_commit_lazy(m->db) : db_commit(m->db)) == 0;
	if (!ok) {
		db_rollback(m->db);	/* the claim with the rest: not sent */
		if (claimed)
			queue_msg_clear(next);
		modem_keep_outcome(m, &o, now);
		return 0;
	}
	modem_db_ok(m);
	if (lazy)
		m->unsynced = true;
	else if (chain)
		m->unsynced = false;	/* flushed with the claim */
	return claimed;
}

/*
 * Sends a claimed message; every outcome goes through the queue.  1 with
 * the next message claimed in *next (modem_record()), else 0.
 */
static int
modem_send(struct modem *m, struct queue_msg *msg, struct queue_msg *next)
{
	struct modem_part parts[GSMDEV_MAX_PARTS];
	enum sendpolicy_result r = SENDPOLICY_OK;
	struct gsmdev_err e;
	char why[256] = "";
	int64_t now;
	int i, n = 0, ref = -1, nparts = 0;

	e = gsmdev_encode(m->dev, msg->to, msg->body, msg->encoding == SMS_UCS2, msg->concat_ref,
	    &n);
	if (e.kind != GSMDEV_OK) {
		log_err("modem: cannot encode message id=%lld: %s", (long long)msg->id, e.text);
		queue_fail(m->db, msg->id, "texte impossible à encoder", m->pool->now());
		return 0;
	}
	if (n != msg->parts)
		log_warn("modem: message id=%lld has %d parts, %d expected", (long long)msg->id,
		    n, msg->parts);
	for (i = 0; i < n && r == SENDPOLICY_OK; i++) {
		if (i < 32 && (msg->sent_parts & (1u << i)))
			continue;	/* accepted in an earlier attempt */
		r = modem_send_part(m, i, &ref, why, sizeof(why));
		if (r == SENDPOLICY_OK) {
			parts[nparts++] = (struct modem_part){ i + 1, ref, m->pool->now() };
			sendpolicy_count(&m->policy, parts[nparts - 1].at, 1);
		}
	}
	now = m->pool->now();
	if (sendpolicy_sent(&m->policy, r, now)) {
		log_warn("modem: %s failed %d sends in a row; benched for %d s", m->cfg->name,
		    SENDPOLICY_BENCH_FAILURES, SENDPOLICY_BENCH_S);
		modem_set_state(m, MODEM_BENCHED);
	}
	return modem_record(m, msg, parts, nparts, r, why, now, next);
}

/* ---- the worker ---- */

/* Puts the last lazy commit on the disk, when there is one. */
static void
modem_sync(struct modem *m)
{
	if (m->unsynced && db_sync(m->db) == 0)
		m->unsynced = false;
}

/*
 * Once idle after some work, gives back what it left: the free memory in
 * the malloc arenas (glibc keeps it, arena by arena) and the pages the
 * worker's connection cached.  Idle means nothing to send now, so the
 * next send pays for the pages it reads again, not a campaign.
 */
static void
modem_give_back(struct modem *m)
{
	if (!m->worked)
		return;
	m->worked = false;
	sqlite3_db_release_memory(db_handle(m->db));
	malloc_trim(0);
}

static void
modem_step(struct modem *m)
{
	struct queue_msg msg, next;
	int64_t now = m->pool->now();
	int claim = 0;

	if (gsmdev_gone(m->dev) || !gsmdev_connected(m->dev)) {
		modem_sync(m);
		modem_trouble(m, "the device went away", gsmdev_err_gone());
		return;
	}
	gsmdev_read_pending(m->dev);
	if (gsmdev_ringing(m->dev)) {
		modem_take_call(m);
		if (!gsmdev_is_open(m->dev))
			return;
	}
	if (now >= m->next_health) {
		modem_health(m);
		m->next_health = now + MODEM_HEALTH_S;
		if (!gsmdev_is_open(m->dev))
			return;
	}
	/* out of a chain of sends (modem_may_chain()): reports wait no more */
	if (gsmdev_announced(m->dev) || gsmdev_reports_announced(m->dev) > 0 ||
	    now >= m->next_sweep) {
		modem_sweep(m);
		m->next_sweep = now + MODEM_SWEEP_S;
		m->reports_since = 0;
		if (!gsmdev_is_open(m->dev))
			return;
	}
	if (m->state == MODEM_BENCHED) {
		modem_sync(m);
		if (sendpolicy_benched(&m->policy, now)) {
			modem_pool_wait(m->pool, MODEM_POLL_MS * 4);
			return;
		}
		m->next_health = 0;	/* back: the health check makes it ready */
		modem_set_state(m, MODEM_NO_NETWORK);
		return;
	}
	if (m->state != MODEM_READY) {
		modem_sync(m);
		modem_pool_wait(m->pool, MODEM_POLL_MS * 4);
		m->next_health = 0;	/* no network: look again soon */
		return;
	}
	if (!modem_flush_outcome(m, now) || now < m->db_retry_at) {
		/* the database refused a write: not a busy loop (a full disk) */
		modem_pool_wait(m->pool, (int)(m->db_retry_at > now ? m->db_retry_at - now : 1) *
		    1000);
		return;
	}
	if (modem_may_send(m, now) && (claim = queue_claim_next(m->db, m->cfg->name, now,
	    &msg)) == 1) {
		modem_db_ok(m);
		m->worked = true;
		/* the claim's durable commit flushed the last message's outcome too */
		m->unsynced = false;
		/* then each outcome is committed with the next claim while nothing else is due */
		while (modem_send(m, &msg, &next) == 1) {
			queue_msg_clear(&msg);
			msg = next;
		}
		queue_msg_clear(&msg);
		return;
	}
	if (claim < 0) {
		modem_db_refused(m, "claim a message", now);
		return;
	}
	modem_sync(m);
	modem_give_back(m);
	modem_pool_idle(m);
}

void *
modem_run(void *arg)
{
	struct modem *m = arg;

	modem_pool_follow_config(m);
	while (!modem_pool_stopping(m->pool)) {
		modem_pool_follow_config(m);
		if (m->state == MODEM_PIN_REFUSED) {
			modem_pool_wait(m->pool, 60 * 1000);	/* stays stopped: no second PIN */
			continue;
		}
		if (!gsmdev_is_open(m->dev) && access(m->device, F_OK) < 0) {
			/* unplugged: watch for it to come back, nothing to back off from */
			if (m->state != MODEM_RECONNECTING)
				modem_set_state(m, MODEM_RECONNECTING);
			modem_pool_wait(m->pool, MODEM_POLL_MS);
			continue;
		}
		if (!gsmdev_is_open(m->dev) && modem_connect(m) < 0) {
			if (m->state == MODEM_PIN_REFUSED)
				continue;
			m->backoff = sendpolicy_backoff(m->backoff, MODEM_BACKOFF_MAX_S);
			modem_set_state(m, MODEM_RECONNECTING);
			modem_pool_wait(m->pool, m->backoff * 1000);
			continue;
		}
		modem_step(m);
	}
	/* a last try; else the message stays 'sending', uncertain at the next start */
	modem_flush_outcome(m, m->pool->now());
	gsmdev_close(m->dev);
	config_free(m->live);
	m->live = NULL;
	m->state = MODEM_STOPPED;
	modem_publish(m);
	return NULL;
}
