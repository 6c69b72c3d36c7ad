/*
 * modemsim — the pseudo-terminal, the serving thread and the control
 * functions.  See modemsim.h; the modem itself is in at.c and at_sms.c.
 *
 * One mutex (ms->lock) protects everything in struct modemsim and the
 * interpreter.  The serving thread holds it except while it waits:
 * in poll() for input, and while it sleeps a latency.  Control
 * functions take it, change state, and wake the thread through a pipe
 * (ms->wake).  Plugging is the thread's job, since it owns the pty
 * descriptors: modemsim_unplug() / _replug() set want_plugged and wait
 * on ms->cond until the thread has made plugged equal to it.
 *
 * The simulator keeps its own descriptor on the pty slave open, so that
 * the master does not see a hang-up between two clients, and so that
 * raw mode survives them.
 *
 * State transitions of the line:
 *
 *	stopped  --modemsim_start()-->	plugged		(caller's thread)
 *	plugged  --modemsim_unplug()-->	unplugged	(serving thread)
 *	unplugged --modemsim_replug()-->plugged		(serving thread)
 *	any	 --modemsim_stop()-->	stopped		(caller, after join)
 */
#include "modemsim.h"
#include "at.h"
#include "gsm7.h"
#include "log.h"
#include "pdu.h"
#include "persona.h"
#include "ptylink.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Most parts an injected message may be split into. */
#define MODEMSIM_MAX_PARTS 16

/* How long a write may wait for a client that does not read. */
#define MODEMSIM_WRITE_WAIT_MS 200

/* Bytes read from the pty at once. */
#define MODEMSIM_READ_CHUNK 512

/* TP-ST of a failed delivery: validity period expired (permanent). */
#define MODEMSIM_ST_FAILED 0x46

/* An incoming call rings this often, this many times, unless told otherwise. */
#define MODEMSIM_RING_MS 3000
#define MODEMSIM_RINGS 10

struct modemsim {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;		/* signalled when plugged changes */
	pthread_t	 thread;
	bool		 running;	/* thread started, not yet joined */
	bool		 stopping;

	char		*link;		/* the device path */
	struct msim_pty	 pty;		/* behind it; closed when unplugged */
	int		 wake[2];	/* pipe: control -> thread */
	bool		 plugged;
	bool		 want_plugged;

	int		 cmd_ms;	/* latency before each reply */
	int		 send_ms;	/* latency before each send's reply */
	bool		 mute;
	int		 garbage;	/* AT+CMGS still to be answered by noise */
	int		 ring_ms;	/* between two rings of a call */
	long long	 ring_at;	/* CLOCK_MONOTONIC ms of the next ring; 0: none */
	struct msim_persona_run persona; /* the modem it plays (persona.h) */

	struct msim_at	*at;
	struct msim_log	*log;
	struct msim_buf	 in;		/* read, not yet fed */
	struct msim_buf	 out;		/* to write */
};

/* --- the pty ------------------------------------------------------------ */

/* Opens a new pty behind the link, and the personality's other ports. */
static int
modemsim_pty_open(struct modemsim *ms)
{
	if (msim_pty_open(&ms->pty, ms->link) == -1)
		return -1;
	if (msim_persona_ports_open(&ms->persona) == -1) {
		msim_pty_close(&ms->pty, ms->link);
		return -1;
	}
	ms->plugged = true;
	return 0;
}

/* Closes the ptys and removes their links (when they still point at them). */
static void
modemsim_pty_close(struct modemsim *ms)
{
	if (!ms->plugged)
		return;
	msim_pty_close(&ms->pty, ms->link);
	msim_persona_ports_close(&ms->persona);
	ms->plugged = false;
}

/* --- the serving thread ------------------------------------------------- */

static void
modemsim_wakeup(struct modemsim *ms)
{
	char c = 1;

	if (write(ms->wake[1], &c, 1) == -1 && errno != EAGAIN)
		fprintf(stderr, "modemsim: wake: %s\n", strerror(errno));
}

static void
modemsim_drain_wake(struct modemsim *ms)
{
	char buf[64];

	while (read(ms->wake[0], buf, sizeof(buf)) > 0)
		;
}

/* Milliseconds of CLOCK_MONOTONIC. */
static long long
modemsim_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* True when the thread must drop what it is doing (stop, plug change). */
static bool
modemsim_interrupted(const struct modemsim *ms)
{
	return ms->stopping || ms->plugged != ms->want_plugged;
}

/*
 * Sleeps ms_delay milliseconds without the lock (held on entry and on
 * return).  Returns -1 when interrupted by a stop or a plug change.
 */
static int
modemsim_sleep(struct modemsim *ms, int ms_delay)
{
	long long end = modemsim_now_ms() + ms_delay, left;
	struct pollfd p = { .fd = ms->wake[0], .events = POLLIN };

	while ((left = end - modemsim_now_ms()) > 0) {
		pthread_mutex_unlock(&ms->lock);
		poll(&p, 1, (int)left);
		pthread_mutex_lock(&ms->lock);
		modemsim_drain_wake(ms);
		if (modemsim_interrupted(ms))
			return -1;
	}
	return 0;
}

/* Writes ms->out to the master; drops what a stuck client does not take. */
static void
modemsim_flush_out(struct modemsim *ms)
{
	struct pollfd p = { .fd = ms->pty.master, .events = POLLOUT };
	ssize_t n;

	while (ms->out.len > 0 && ms->plugged) {
		n = write(ms->pty.master, ms->out.p, ms->out.len);
		if (n > 0) {
			msim_buf_consume(&ms->out, (size_t)n);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN &&
		    poll(&p, 1, MODEMSIM_WRITE_WAIT_MS) > 0)
			continue;
		break;
	}
	msim_buf_reset(&ms->out);
}

/* Writes queued unsolicited codes when no command is half entered. */
static void
modemsim_flush_urc(struct modemsim *ms)
{
	struct msim_buf *urc = &ms->at->urc;

	if (ms->mute || urc->len == 0 || !msim_at_idle(ms->at))
		return;
	msim_buf_add(&ms->out, urc->p, urc->len);
	msim_buf_reset(urc);
	modemsim_flush_out(ms);
}

/* Runs a complete command or send, after its latency. */
static void
modemsim_run_pending(struct modemsim *ms, enum msim_at_event ev)
{
	int delay = ev == MSIM_AT_SEND ? msim_persona_send_ms(&ms->persona, ms->send_ms) :
	    ms->cmd_ms;

	if (delay > 0 && modemsim_sleep(ms, delay) == -1) {
		msim_at_reset_input(ms->at);
		return;
	}
	if (ms->mute) {
		msim_at_reset_input(ms->at);
		return;
	}
	if (ms->garbage > 0 && ev != MSIM_AT_SEND &&
	    strncasecmp(ms->at->line, "AT+CMGS", 7) == 0) {
		/* line noise instead of the answer: the command is not carried out */
		static const char noise[] = "\r\n\xff\xfe\x13%$#@~\x7f+C?\x80\r\n";

		ms->garbage--;
		msim_at_reset_input(ms->at);
		msim_log_event(ms->log, "garbage", json_pack("{s:i}", "left", ms->garbage));
		msim_buf_add(&ms->out, noise, sizeof(noise) - 1);
		modemsim_flush_out(ms);
		return;
	}
	msim_at_execute(ms->at, time(NULL), &ms->out);
	modemsim_flush_out(ms);
}

/* Feeds buffered input to the interpreter, one command at a time. */
static void
modemsim_process_input(struct modemsim *ms)
{
	enum msim_at_event ev;
	size_t used;

	used = msim_at_feed(ms->at, (const uint8_t *)ms->in.p, ms->in.len, &ms->out, &ev);
	msim_buf_consume(&ms->in, used);
	modemsim_flush_out(ms);		/* the echo goes out at once */
	if (ev != MSIM_AT_NONE)
		modemsim_run_pending(ms, ev);
}

/* Reads what the client wrote; a mute modem throws it away. */
static void
modemsim_read_master(struct modemsim *ms)
{
	char buf[MODEMSIM_READ_CHUNK];
	ssize_t n;

	while (ms->plugged && (n = read(ms->pty.master, buf, sizeof(buf))) > 0)
		if (!ms->mute)
			msim_buf_add(&ms->in, buf, (size_t)n);
}

/*
 * Rings the call when its time came (at.c queues RING and +CLIP), and
 * says how long until the next ring: -1 when no call rings.
 */
static int
modemsim_ring_due(struct modemsim *ms)
{
	long long now = modemsim_now_ms();

	if (!ms->at->ringing) {
		ms->ring_at = 0;
		return -1;
	}
	if (now >= ms->ring_at) {
		msim_at_call_ring(ms->at);
		ms->ring_at = now + ms->ring_ms;
	}
	return ms->at->ringing ? (int)(ms->ring_at - now) : -1;
}

/* Waits for input, a wake-up or the next ring, without the lock. */
static void
modemsim_wait(struct modemsim *ms, int timeout_ms)
{
	struct pollfd p[2] = {
		{ .fd = ms->wake[0], .events = POLLIN },
		{ .fd = ms->plugged ? ms->pty.master : -1, .events = POLLIN },
	};

	pthread_mutex_unlock(&ms->lock);
	poll(p, 2, timeout_ms);
	pthread_mutex_lock(&ms->lock);
	modemsim_drain_wake(ms);
	if (p[1].revents & POLLIN)
		modemsim_read_master(ms);
}

/* Makes plugged what the control functions want it to be. */
static void
modemsim_apply_plug(struct modemsim *ms)
{
	if (ms->plugged == ms->want_plugged)
		return;
	msim_buf_reset(&ms->in);
	msim_buf_reset(&ms->out);
	msim_at_reset_input(ms->at);
	if (!ms->want_plugged) {
		modemsim_pty_close(ms);
		msim_log_event(ms->log, "unplug", json_pack("{s:s}", "link", ms->link));
	} else if (modemsim_pty_open(ms) == 0) {
		msim_at_power_on(ms->at);
		msim_persona_power_on(&ms->persona, modemsim_now_ms());
		msim_log_event(ms->log, "replug", json_pack("{s:s, s:s}", "link", ms->link,
		    "pty", ms->pty.name));
	} else {
		fprintf(stderr, "modemsim: replug: %s\n", strerror(errno));
		ms->want_plugged = false;
	}
	pthread_cond_broadcast(&ms->cond);
}

static void *
modemsim_thread(void *arg)
{
	struct modemsim *ms = arg;
	int next_ring, next_line;

	pthread_mutex_lock(&ms->lock);
	while (!ms->stopping) {
		modemsim_apply_plug(ms);
		if (ms->plugged && ms->in.len > 0) {
			modemsim_process_input(ms);
			continue;
		}
		next_ring = modemsim_ring_due(ms);
		next_line = ms->plugged ? msim_persona_tick(&ms->persona, ms->at,
		    modemsim_now_ms()) : -1;
		if (ms->plugged)
			modemsim_flush_urc(ms);
		modemsim_wait(ms, next_ring < 0 || (next_line >= 0 && next_line < next_ring) ?
		    next_line : next_ring);
	}
	pthread_mutex_unlock(&ms->lock);
	return NULL;
}

/* --- life cycle --------------------------------------------------------- */

static struct msim_at *
modemsim_new_at(const struct modemsim_options *opt, struct msim_log *log)
{
	struct msim_at_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.pin = opt->pin;
	cfg.operator_name = opt->operator_name;
	cfg.operator_code = opt->operator_code;
	cfg.smsc = opt->smsc;
	cfg.signal = opt->signal;
	cfg.slots = opt->slots;
	msim_persona_config(msim_persona_find(opt->personality), &cfg);
	return msim_at_new(&cfg, log);
}

struct modemsim *
modemsim_new(const struct modemsim_options *opt)
{
	struct modemsim *ms;

	if (opt == NULL || opt->link_path == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (msim_persona_find(opt->personality) == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((ms = calloc(1, sizeof(*ms))) == NULL)
		return NULL;
	msim_pty_init(&ms->pty);
	ms->wake[0] = ms->wake[1] = -1;
	ms->ring_ms = MODEMSIM_RING_MS;
	pthread_mutex_init(&ms->lock, NULL);
	pthread_cond_init(&ms->cond, NULL);
	if ((ms->link = strdup(opt->link_path)) == NULL ||
	    msim_persona_init(&ms->persona, msim_persona_find(opt->personality),
	    opt->link_path, opt->diag_link, opt->pcui_link) == -1)
		goto fail;
	if ((ms->log = msim_log_open(opt->log_path)) == NULL)
		goto fail;
	if ((ms->at = modemsim_new_at(opt, ms->log)) == NULL)
		goto fail;
	ms->at->log_commands = opt->log_commands;
	ms->at->reports = opt->reports;
	ms->at->cms_every = ms->persona.p->cms_every;	/* with +CMS ERROR: 500 */
	if (pipe2(ms->wake, O_CLOEXEC | O_NONBLOCK) == -1)
		goto fail;
	return ms;
fail:
	modemsim_free(ms);
	return NULL;
}

int
modemsim_start(struct modemsim *ms)
{
	int rc;

	pthread_mutex_lock(&ms->lock);
	if (ms->running) {
		pthread_mutex_unlock(&ms->lock);
		errno = EBUSY;
		return -1;
	}
	if (modemsim_pty_open(ms) == -1) {
		pthread_mutex_unlock(&ms->lock);
		return -1;
	}
	ms->want_plugged = true;
	ms->stopping = false;
	msim_persona_power_on(&ms->persona, modemsim_now_ms());
	if ((rc = pthread_create(&ms->thread, NULL, modemsim_thread, ms)) != 0) {
		modemsim_pty_close(ms);
		pthread_mutex_unlock(&ms->lock);
		errno = rc;
		return -1;
	}
	ms->running = true;
	msim_log_event(ms->log, "start", json_pack("{s:s, s:s, s:s}", "link", ms->link,
	    "pty", ms->pty.name, "personality", ms->persona.p->name));
	pthread_mutex_unlock(&ms->lock);
	return 0;
}

void
modemsim_stop(struct modemsim *ms)
{
	pthread_mutex_lock(&ms->lock);
	if (!ms->running) {
		pthread_mutex_unlock(&ms->lock);
		return;
	}
	ms->stopping = true;
	modemsim_wakeup(ms);
	pthread_mutex_unlock(&ms->lock);
	pthread_join(ms->thread, NULL);
	pthread_mutex_lock(&ms->lock);
	ms->running = false;
	modemsim_pty_close(ms);
	pthread_cond_broadcast(&ms->cond);
	pthread_mutex_unlock(&ms->lock);
}

void
modemsim_free(struct modemsim *ms)
{
	if (ms == NULL)
		return;
	modemsim_stop(ms);
	msim_at_free(ms->at);
	msim_log_close(ms->log);
	msim_persona_free(&ms->persona);
	msim_buf_free(&ms->in);
	msim_buf_free(&ms->out);
	if (ms->wake[0] != -1)
		close(ms->wake[0]);
	if (ms->wake[1] != -1)
		close(ms->wake[1]);
	pthread_cond_destroy(&ms->cond);
	pthread_mutex_destroy(&ms->lock);
	free(ms->link);
	free(ms);
}

const char *
modemsim_link(const struct modemsim *ms)
{
	return ms->link;
}

/* --- faults ------------------------------------------------------------- */

void
modemsim_set_latency(struct modemsim *ms, int cmd_ms, int send_ms)
{
	pthread_mutex_lock(&ms->lock);
	ms->cmd_ms = cmd_ms > 0 ? cmd_ms : 0;
	ms->send_ms = send_ms > 0 ? send_ms : 0;
	pthread_mutex_unlock(&ms->lock);
}

void
modemsim_set_cms_error(struct modemsim *ms, int every, int code)
{
	pthread_mutex_lock(&ms->lock);
	ms->at->cms_every = every > 0 ? every : 0;
	ms->at->cms_code = code > 0 ? code : 500;
	ms->at->sends = 0;
	pthread_mutex_unlock(&ms->lock);
}

void
modemsim_set_registered(struct modemsim *ms, bool on)
{
	pthread_mutex_lock(&ms->lock);
	msim_at_set_registered(ms->at, on);
	modemsim_wakeup(ms);
	pthread_mutex_unlock(&ms->lock);
}

void
modemsim_set_mute(struct modemsim *ms, bool on)
{
	pthread_mutex_lock(&ms->lock);
	ms->mute = on;
	msim_log_event(ms->log, "mute", json_pack("{s:b}", "mute", on));
	modemsim_wakeup(ms);
	pthread_mutex_unlock(&ms->lock);
}

void
modemsim_set_reports(struct modemsim *ms, bool on)
{
	pthread_mutex_lock(&ms->lock);
	ms->at->reports = on;
	pthread_mutex_unlock(&ms->lock);
}

void
modemsim_set_garbage(struct modemsim *ms, int replies)
{
	pthread_mutex_lock(&ms->lock);
	ms->garbage = replies > 0 ? replies : 0;
	pthread_mutex_unlock(&ms->lock);
}

/* Asks the thread to (un)plug and waits until it has. */
static int
modemsim_set_plugged(struct modemsim *ms, bool on)
{
	int rc = -1;

	pthread_mutex_lock(&ms->lock);
	if (ms->running && ms->want_plugged != on) {
		ms->want_plugged = on;
		modemsim_wakeup(ms);
		while (ms->running && ms->plugged != ms->want_plugged)
			pthread_cond_wait(&ms->cond, &ms->lock);
		rc = ms->plugged == on ? 0 : -1;
	}
	pthread_mutex_unlock(&ms->lock);
	return rc;
}

int
modemsim_unplug(struct modemsim *ms)
{
	return modemsim_set_plugged(ms, false);
}

int
modemsim_replug(struct modemsim *ms)
{
	return modemsim_set_plugged(ms, true);
}

/* --- the network -------------------------------------------------------- */

/* Cost of one character: septets (GSM-7) or UTF-16 units (UCS-2). */
static int
modemsim_char_cost(uint32_t cp, enum msim_alphabet alpha)
{
	char tmp[8] = { 0 };
	size_t i = 0;

	if (alpha == MSIM_ALPHA_UCS2)
		return cp >= 0x10000 ? 2 : 1;
	/* re-encode the character alone to count its septets */
	if (cp < 0x80)
		tmp[i++] = (char)cp;
	else if (cp < 0x800) {
		tmp[i++] = (char)(0xC0 | (cp >> 6));
		tmp[i++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		tmp[i++] = (char)(0xE0 | (cp >> 12));
		tmp[i++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		tmp[i++] = (char)(0x80 | (cp & 0x3F));
	} else
		return -1;
	return msim_gsm7_length(tmp);
}

/* Total cost of text; -1 when not encodable. */
static int
modemsim_text_cost(const char *text, enum msim_alphabet alpha)
{
	uint32_t cp;
	int len, c, total = 0;

	while ((len = msim_utf8_next(text, &cp)) > 0) {
		if ((c = modemsim_char_cost(cp, alpha)) < 0)
			return -1;
		total += c;
		text += len;
	}
	return len < 0 ? -1 : total;
}

/*
 * Splits text into nparts (0: as few as fit) at character boundaries,
 * spreading the cost evenly.  Writes the byte offset where each part
 * starts into start[] (and the end into start[n]).  Returns the number
 * of parts, or -1 when the text does not fit.
 */
static int
modemsim_split(const char *text, enum msim_alphabet alpha, int nparts,
    size_t start[MODEMSIM_MAX_PARTS + 1])
{
	int total = modemsim_text_cost(text, alpha), cap, k, used, c, target, len;
	size_t pos = 0;
	uint32_t cp;

	if (total < 0)
		return -1;
	if (nparts == 0)
		nparts = total <= (int)msim_pdu_capacity(alpha, false) ? 1 :
		    (total + (int)msim_pdu_capacity(alpha, true) - 1) /
		    (int)msim_pdu_capacity(alpha, true);
	if (nparts < 1 || nparts > MODEMSIM_MAX_PARTS)
		return -1;
	cap = (int)msim_pdu_capacity(alpha, nparts > 1);
	for (k = 0; k < nparts; k++) {
		start[k] = pos;
		target = (total + (nparts - k) - 1) / (nparts - k);
		for (used = 0; (len = msim_utf8_next(text + pos, &cp)) > 0; used += c) {
			c = modemsim_char_cost(cp, alpha);
			if ((used + c > target && used > 0 && k < nparts - 1) || used + c > cap)
				break;
			pos += (size_t)len;
		}
		total -= used;
		if (used == 0 && total > 0)
			return -1;
	}
	start[nparts] = pos;
	return text[pos] == '\0' ? nparts : -1;
}

/* True when order[0..n-1] is a permutation of 1..n. */
static bool
modemsim_valid_order(const int *order, int n)
{
	bool seen[MODEMSIM_MAX_PARTS + 1] = { false };
	int i;

	for (i = 0; i < n; i++) {
		if (order[i] < 1 || order[i] > n || seen[order[i]])
			return false;
		seen[order[i]] = true;
	}
	return true;
}

/* Encodes and delivers part seq (1-based) of an incoming message. */
static int
modemsim_deliver_part(struct modemsim *ms, const struct modemsim_incoming *in,
    struct msim_sms *sms, const char *text, size_t len, unsigned seq)
{
	char hex[MSIM_PDU_HEX_MAX];
	int tpdu, idx;

	if (len >= sizeof(sms->text))
		return -1;
	memcpy(sms->text, text, len);
	sms->text[len] = '\0';
	sms->concat.seq = seq;
	if ((tpdu = msim_pdu_encode(sms, hex, sizeof(hex))) < 0) {
		errno = EINVAL;
		return -1;
	}
	idx = msim_at_deliver(ms->at, hex, tpdu);
	msim_log_event(ms->log, "inject", json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:i}",
	    "from", in->from, "encoding", msim_pdu_alphabet_name(sms->alphabet),
	    "text", sms->text, "index", idx, "ref", (int)sms->concat.ref,
	    "parts", (int)sms->concat.parts, "seq", (int)seq));
	if (idx < 0)
		errno = ENOSPC;
	return idx < 0 ? -1 : 0;
}

/* Fills the fields common to all parts of an incoming message. */
static void
modemsim_incoming_sms(struct modemsim *ms, const struct modemsim_incoming *in,
    int n, struct msim_sms *sms)
{
	memset(sms, 0, sizeof(*sms));
	sms->type = MSIM_PDU_DELIVER;
	snprintf(sms->smsc, sizeof(sms->smsc), "%s", ms->at->smsc);
	snprintf(sms->addr, sizeof(sms->addr), "%s", in->from);
	sms->alphabet = in->encoding == MODEMSIM_UCS2 ? MSIM_ALPHA_UCS2 : MSIM_ALPHA_GSM7;
	sms->msg_class = -1;
	sms->scts = in->when ? in->when : time(NULL);
	sms->tz_quarters = 4;		/* UTC+1, Paris in winter */
	if (n > 1) {
		sms->concat.present = true;
		sms->concat.ref = ms->at->concat_ref++ & 0xFF;
		sms->concat.ref_bits = 8;
		sms->concat.parts = (unsigned)n;
	}
}

static int
modemsim_inject_locked(struct modemsim *ms, const struct modemsim_incoming *in)
{
	size_t start[MODEMSIM_MAX_PARTS + 1];
	struct msim_sms sms;
	enum msim_alphabet alpha;
	int n, i, seq;

	alpha = in->encoding == MODEMSIM_UCS2 ? MSIM_ALPHA_UCS2 : MSIM_ALPHA_GSM7;
	if (in->from == NULL || in->text == NULL ||
	    (n = modemsim_split(in->text, alpha, in->parts, start)) < 0 ||
	    (in->order != NULL && (in->parts != n || !modemsim_valid_order(in->order, n)))) {
		errno = EINVAL;
		return -1;
	}
	modemsim_incoming_sms(ms, in, n, &sms);
	for (i = 0; i < n; i++) {
		seq = in->order != NULL ? in->order[i] : i + 1;
		if (modemsim_deliver_part(ms, in, &sms, in->text + start[seq - 1],
		    start[seq] - start[seq - 1], (unsigned)seq) == -1)
			return -1;
	}
	return n;
}

int
modemsim_inject(struct modemsim *ms, const struct modemsim_incoming *in)
{
	int rc;

	pthread_mutex_lock(&ms->lock);
	rc = modemsim_inject_locked(ms, in);
	modemsim_wakeup(ms);
	pthread_mutex_unlock(&ms->lock);
	return rc;
}

int
modemsim_inject_sms(struct modemsim *ms, const char *from, const char *text,
    enum modemsim_encoding encoding)
{
	struct modemsim_incoming in;

	memset(&in, 0, sizeof(in));
	in.from = from;
	in.text = text;
	in.encoding = encoding;
	return modemsim_inject(ms, &in);
}

int
modemsim_inject_report(struct modemsim *ms, int ref, bool delivered)
{
	int idx;

	pthread_mutex_lock(&ms->lock);
	idx = msim_at_report(ms->at, (unsigned)ref & 0xFF,
	    delivered ? 0x00 : MODEMSIM_ST_FAILED, time(NULL));
	msim_log_event(ms->log, "report", json_pack("{s:i, s:b, s:i}", "ref", ref,
	    "delivered", delivered, "index", idx));
	modemsim_wakeup(ms);
	pthread_mutex_unlock(&ms->lock);
	return idx < 0 ? -1 : 0;
}

/* --- incoming calls ----------------------------------------------------- */

int
modemsim_call(struct modemsim *ms, const char *from, int rings, int ring_ms)
{
	int rc;

	pthread_mutex_lock(&ms->lock);
	rc = msim_at_call_begin(ms->at, from, rings > 0 ? rings : MODEMSIM_RINGS);
	if (rc == 0) {
		ms->ring_ms = ring_ms > 0 ? ring_ms : MODEMSIM_RING_MS;
		ms->ring_at = modemsim_now_ms();	/* the first ring at once */
		modemsim_wakeup(ms);
	}
	pthread_mutex_unlock(&ms->lock);
	return rc;
}

int
modemsim_hangup(struct modemsim *ms)
{
	int rc;

	pthread_mutex_lock(&ms->lock);
	rc = msim_at_call_end(ms->at);
	modemsim_wakeup(ms);
	pthread_mutex_unlock(&ms->lock);
	return rc;
}

bool
modemsim_ringing(struct modemsim *ms)
{
	bool r;

	pthread_mutex_lock(&ms->lock);
	r = ms->at->ringing;
	pthread_mutex_unlock(&ms->lock);
	return r;
}

int
modemsim_submit_count(struct modemsim *ms)
{
	int n;

	pthread_mutex_lock(&ms->lock);
	n = (int)ms->at->accepted;
	pthread_mutex_unlock(&ms->lock);
	return n;
}

int
modemsim_sim_used(struct modemsim *ms)
{
	int n;

	pthread_mutex_lock(&ms->lock);
	n = msim_at_used_slots(ms->at);
	pthread_mutex_unlock(&ms->lock);
	return n;
}
