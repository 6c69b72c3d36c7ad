/*
 * gsmdev — a GSM modem through libgammu's AT driver (gsmdev.h).  The only
 * file that includes gammu.h; it includes no domain header.
 *
 * States and transitions (function that performs each):
 *
 *   from     to       by
 *   ------   ------   -----------------------------------------------
 *   closed   open     gsmdev_open()         a state machine allocated, the
 *                                          device opened, the modem
 *                                          identified, callbacks set
 *   open     open     gsmdev_security()     what the SIM asks for
 *                     gsmdev_imei()
 *                     gsmdev_enter_pin()    the worker decides whether
 *                                          to (pin.h)
 *   open     ready    gsmdev_start()        +CNMI asked, the SMSC read, the
 *                                          device node and its port known
 *   ready    ready    gsmdev_signal(), gsmdev_network()      health
 *                     gsmdev_sweep_read(), gsmdev_sweep_delete()
 *                     gsmdev_encode(), gsmdev_send_part()
 *                     gsmdev_read(), gsmdev_read_pending()  +CMTI, reports,
 *                                          rings (+CLIP)
 *                     gsmdev_hangup()       a ringing call ended
 *   open     closed   gsmdev_close()        the PIN or the SMSC failed
 *   ready    closed   gsmdev_close()        trouble (the worker decides:
 *                                          N timeouts, a device error, an
 *                                          aborted call), stopping
 *   (a call) aborted  gsmdev_watch()        from the watcher thread: the
 *                                          device is gone, or the call ran
 *                                          GSMDEV_CALL_MAX_S; the call
 *                                          returns an error, and
 *                                          gsmdev_take_aborted() says so
 *
 * Invariants:
 *   - sm is NULL exactly when closed; it is created and freed under lock,
 *     which the watcher holds to abort a call;
 *   - dev_ino is 0 unless ready: the watcher looks only at a device it
 *     knows;
 *   - every call that talks to a ready modem is between
 *     gsmdev_call_begin() and gsmdev_call_end(), so the watcher can end it.
 *
 * Send path.  libgammu's ATGEN_SendSMS sleeps 100 + 500 + 100 ms around
 * every PDU it writes, which caps a sender at about 1.4 PDU/s whatever
 * the modem can do.  The sleeps are libgammu calling usleep(); this file
 * defines usleep() so that, only in the thread in gsmdev_send_part() and
 * only inside GSM_SendSMS(), a sleep is cut to the modem's send_pause_ms
 * (default 0).  Everything else libgammu does (prompt handling, PDU
 * encoding, the +CMGS reference, errors) is unchanged.  docs/modem.md
 * says why.
 */
#include "gsmdev.h"
#include "gsmdev_util.h"

#include <dirent.h>
#include <errno.h>
#include <gammu.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "phone.h"
#include "text.h"

_Static_assert(GSMDEV_MAX_PARTS == GSM_MAX_MULTI_SMS, "GSMDEV_MAX_PARTS");
_Static_assert(GSMDEV_IMEI_MAX >= GSM_MAX_IMEI_LENGTH + 1, "GSMDEV_IMEI_MAX");

enum gsmdev_state {
	GSMDEV_CLOSED,
	GSMDEV_OPEN,
	GSMDEV_READY,
};

struct gsmdev {
	char name[64];			/* for logs */
	unsigned pause_us;		/* libgammu's sleeps while sending, at most */
	void (*on_call)(void *);	/* a call began (the pool rouses its watcher) */
	void *on_call_arg;
	enum gsmdev_state state;
	char device[256];		/* the path opened */
	pthread_mutex_t lock;		/* held to create or free sm, and by the watcher */
	GSM_StateMachine *sm;		/* NULL when closed */
	GSM_SMSC smsc;
	dev_t dev_rdev;			/* with lock: the device node connected to, to */
	ino_t dev_ino;			/* notice that it went away or was replaced */
	int port_fd;			/* libgammu's descriptor of the device; -1: unknown */
	bool announced;			/* the modem announced an SMS (+CMTI) */
	int reports;			/* delivery reports it announced (+CDSI) */
	bool ringing;			/* a call rang (+CLIP) since gsmdev_take_ring() */
	bool fresh;			/* that was the first ring of a call */
	bool in_call;			/* a call rang and has not ended yet */
	int64_t last_ring;		/* CLOCK_MONOTONIC s of its last ring */
	char caller[GSMDEV_NUMBER_MAX];	/* its number; "" when withheld */
	/* filled by the send status callback */
	bool send_done;
	int send_status;
	int send_ref;
	_Atomic int64_t call_deadline;	/* CLOCK_MONOTONIC s; the watcher aborts a
					   call still running then; 0: none */
	_Atomic bool aborted;		/* the watcher did: libgammu's state is suspect */
	_Atomic unsigned calls;		/* gsmdev_call_begin()s so far, for the watcher */
	GSM_MultiSMSMessage multi;	/* the message gsmdev_encode() made */
};

static void gsmdev_listen_calls(struct gsmdev *d);

/*
 * What a sweep read.  libgammu reads into a GSM_MultiSMSMessage of 260
 * KiB (50 SMS of 5 KiB); one is reused for every entry and freed with the
 * read, and each SMS keeps only what deleting it needs, so a sweep of the
 * whole SIM costs a few KiB, not 64 such entries (17 MB, zeroed at every
 * sweep and kept by the thread's malloc arena).
 */
struct gsmdev_sweep {
	size_t count, size;		/* SMS read, and room for */
	struct gsmdev_sms *sms;		/* count, decoded */
	struct gsmdev_slot {		/* count: where each one is on the SIM */
		int folder, location;
	} *slot;
	GSM_SMSMessage gone;		/* what gsmdev_sweep_delete() hands libgammu */
};

/* ---- errors: the one table ---- */

static const struct {
	GSM_Error e;
	enum gsmdev_kind kind;
} gsmdev_kinds[] = {
	{ ERR_NONE, GSMDEV_OK },
	{ ERR_TIMEOUT, GSMDEV_TIMEOUT },
	{ ERR_DEVICEOPENERROR, GSMDEV_DEVICE },
	{ ERR_DEVICENOTEXIST, GSMDEV_DEVICE },
	{ ERR_DEVICEREADERROR, GSMDEV_DEVICE },
	{ ERR_DEVICEWRITEERROR, GSMDEV_DEVICE },
	{ ERR_DEVICENOPERMISSION, GSMDEV_DEVICE },
	{ ERR_DEVICEBUSY, GSMDEV_DEVICE },
	{ ERR_DEVICELOCKED, GSMDEV_DEVICE },
	{ ERR_NOTCONNECTED, GSMDEV_DEVICE },
	{ ERR_DEVICECHANGESPEEDERROR, GSMDEV_DEVICE },
	{ ERR_DEVICEDTRRTSERROR, GSMDEV_DEVICE },
	{ ERR_DEVICEPARITYERROR, GSMDEV_DEVICE },
	{ ERR_NOTSUPPORTED, GSMDEV_UNSUPPORTED },
	{ ERR_NOTIMPLEMENTED, GSMDEV_UNSUPPORTED },
	{ ERR_EMPTY, GSMDEV_EMPTY },
	{ ERR_INVALIDLOCATION, GSMDEV_EMPTY },
};

static struct gsmdev_err
gsmdev_err_of(GSM_Error e)
{
	struct gsmdev_err r = { GSMDEV_OTHER, GSM_ErrorString(e) };
	size_t i;

	for (i = 0; i < sizeof(gsmdev_kinds) / sizeof(gsmdev_kinds[0]); i++)
		if (gsmdev_kinds[i].e == e)
			r.kind = gsmdev_kinds[i].kind;
	return r;
}

struct gsmdev_err
gsmdev_err_gone(void)
{
	return gsmdev_err_of(ERR_DEVICENOTEXIST);
}

/* ---- the usleep() cut, see the top of this file ---- */

static _Thread_local bool gsmdev_in_send;
static _Thread_local unsigned gsmdev_send_pause_us;

int
usleep(useconds_t usec)
{
	struct timespec ts;

	if (gsmdev_in_send && usec > gsmdev_send_pause_us)
		usec = gsmdev_send_pause_us;
	ts.tv_sec = usec / 1000000;
	ts.tv_nsec = (long)(usec % 1000000) * 1000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	return 0;
}

/* ---- life ---- */

struct gsmdev *
gsmdev_new(const char *name, unsigned send_pause_ms, void (*on_call)(void *), void *arg)
{
	struct gsmdev *d = calloc(1, sizeof(*d));

	if (d == NULL)
		fatal("modem: out of memory");
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->pause_us = send_pause_ms * 1000;
	d->on_call = on_call;
	d->on_call_arg = arg;
	d->port_fd = -1;
	pthread_mutex_init(&d->lock, NULL);
	return d;
}

void
gsmdev_free(struct gsmdev *d)
{
	if (d == NULL)
		return;
	gsmdev_close(d);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

/* ---- libgammu callbacks (run inside GSM_ReadDevice, in the worker) ---- */

static void
gsmdev_on_send_status(GSM_StateMachine *sm, int status, int reference, void *data)
{
	struct gsmdev *d = data;

	(void)sm;
	d->send_done = true;
	d->send_status = status;
	d->send_ref = reference;
}

static void
gsmdev_on_incoming(GSM_StateMachine *sm, GSM_SMSMessage *sms, void *data)
{
	struct gsmdev *d = data;

	(void)sm;
	/* read in a later sweep, stored before deleted */
	if (sms->PDU == SMS_Status_Report)
		d->reports++;
	else
		d->announced = true;
}

/* ---- connection ---- */

struct gsmdev_err
gsmdev_open(struct gsmdev *d, const char *device, const char *connection)
{
	GSM_Config *gc;
	GSM_Error e;

	gsmdev_close(d);
	snprintf(d->device, sizeof(d->device), "%s", device);
	pthread_mutex_lock(&d->lock);
	d->sm = GSM_AllocStateMachine();
	pthread_mutex_unlock(&d->lock);
	if (d->sm == NULL)
		fatal("modem: out of memory");
	d->state = GSMDEV_OPEN;
	GSM_SetDebugGlobal(FALSE, GSM_GetDebug(d->sm));
	if (getenv("RAPPEL_GAMMU_DEBUG")) {
		GSM_SetDebugFileDescriptor(stderr, FALSE, GSM_GetDebug(d->sm));
		GSM_SetDebugLevel("textall", GSM_GetDebug(d->sm));
	}
	gc = GSM_GetConfig(d->sm, 0);
	free(gc->Device);
	free(gc->Connection);
	gc->Device = strdup(d->device);
	gc->Connection = strdup(connection);
	if (gc->Device == NULL || gc->Connection == NULL)
		fatal("modem: out of memory");
	gc->Model[0] = '\0';
	gc->SyncTime = FALSE;
	gc->LockDevice = FALSE;
	gc->StartInfo = FALSE;
	/* as GSM_ReadConfig() would: -1 lets libgammu pick the +CNMI values */
	for (size_t i = 0; i < sizeof(gc->CNMIParams) / sizeof(gc->CNMIParams[0]); i++)
		gc->CNMIParams[i] = -1;
	GSM_SetConfigNum(d->sm, 1);
	e = GSM_InitConnection(d->sm, 1);
	if (e != ERR_NONE) {
		gsmdev_close(d);
		return gsmdev_err_of(e);
	}
	GSM_SetSendSMSStatusCallback(d->sm, gsmdev_on_send_status, d);
	GSM_SetIncomingSMSCallback(d->sm, gsmdev_on_incoming, d);
	return gsmdev_err_of(ERR_NONE);
}

void
gsmdev_close(struct gsmdev *d)
{
	GSM_StateMachine *sm = d->sm;

	if (sm == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	d->sm = NULL;
	d->dev_ino = 0;		/* nothing for the watcher until the next connection */
	d->port_fd = -1;
	d->dev_rdev = 0;
	pthread_mutex_unlock(&d->lock);
	d->state = GSMDEV_CLOSED;
	if (GSM_IsConnected(sm))
		GSM_TerminateConnection(sm);
	GSM_FreeStateMachine(sm);
}

bool
gsmdev_is_open(const struct gsmdev *d)
{
	return d->state != GSMDEV_CLOSED;
}

bool
gsmdev_connected(struct gsmdev *d)
{
	return d->sm != NULL && GSM_IsConnected(d->sm);
}

struct gsmdev_err
gsmdev_security(struct gsmdev *d, enum gsmdev_security *sec)
{
	GSM_SecurityCodeType status;
	GSM_Error e = GSM_GetSecurityStatus(d->sm, &status);
	struct gsmdev_err r = gsmdev_err_of(e);

	*sec = GSMDEV_SEC_NONE;
	if (r.kind == GSMDEV_UNSUPPORTED)
		return gsmdev_err_of(ERR_NONE);
	if (e != ERR_NONE || status == SEC_None)
		return r;
	*sec = status == SEC_Pin ? GSMDEV_SEC_PIN : status == SEC_Puk ? GSMDEV_SEC_PUK :
	    GSMDEV_SEC_OTHER;
	return r;
}

struct gsmdev_err
gsmdev_imei(struct gsmdev *d, char *imei)
{
	char buf[GSM_MAX_IMEI_LENGTH + 1] = "";
	GSM_Error e = GSM_GetIMEI(d->sm, buf);

	snprintf(imei, GSMDEV_IMEI_MAX, "%s", e == ERR_NONE ? buf : "");
	return gsmdev_err_of(e);
}

struct gsmdev_err
gsmdev_enter_pin(struct gsmdev *d, const char *pin)
{
	GSM_SecurityCode code;

	memset(&code, 0, sizeof(code));
	code.Type = SEC_Pin;
	snprintf(code.Code, sizeof(code.Code), "%s", pin);
	return gsmdev_err_of(GSM_EnterSecurityCode(d->sm, &code));
}

struct gsmdev_err
gsmdev_start(struct gsmdev *d)
{
	struct stat sb;
	GSM_Error e;

	if ((e = GSM_SetIncomingSMS(d->sm, TRUE)) != ERR_NONE)
		log_warn("modem: %s cannot ask for SMS notifications (%s); sweeping only",
		    d->name, GSM_ErrorString(e));
	gsmdev_listen_calls(d);
	memset(&d->smsc, 0, sizeof(d->smsc));
	d->smsc.Location = 1;
	if ((e = GSM_GetSMSC(d->sm, &d->smsc)) != ERR_NONE)
		return gsmdev_err_of(e);
	d->smsc.Location = 0;
	if (stat(d->device, &sb) == 0) {
		pthread_mutex_lock(&d->lock);	/* the watcher reads them */
		d->dev_rdev = sb.st_rdev;
		d->dev_ino = sb.st_ino;
		pthread_mutex_unlock(&d->lock);
	}
	d->port_fd = gsmdev_find_port_fd(d->device);
	d->state = GSMDEV_READY;
	return gsmdev_err_of(ERR_NONE);
}

bool
gsmdev_gone(const struct gsmdev *d)
{
	struct stat sb;

	if (stat(d->device, &sb) < 0)
		return true;
	return sb.st_rdev != d->dev_rdev || sb.st_ino != d->dev_ino;
}

bool
gsmdev_take_aborted(struct gsmdev *d)
{
	return atomic_exchange(&d->aborted, false);
}

int
gsmdev_port_fd(const struct gsmdev *d)
{
	return d->port_fd;
}

void
gsmdev_read(struct gsmdev *d)
{
	GSM_ReadDevice(d->sm, FALSE);
}

/*
 * libgammu's read waits 50 ms when there is nothing, which cost that much
 * after every message sent; with the device's descriptor, poll() says at
 * once.
 */
void
gsmdev_read_pending(struct gsmdev *d)
{
	struct pollfd p = { .fd = d->port_fd, .events = POLLIN };

	if (d->port_fd >= 0 && poll(&p, 1, 0) == 0)
		return;		/* nothing waiting */
	GSM_ReadDevice(d->sm, FALSE);
}

bool
gsmdev_announced(const struct gsmdev *d)
{
	return d->announced;
}

int
gsmdev_reports_announced(const struct gsmdev *d)
{
	return d->reports;
}

/* ---- the watcher's side ---- */

/*
 * Around a libgammu call that talks to the modem: libgammu can wait
 * without end for an answer that line noise replaced (the "> " prompt of
 * AT+CMGS, a reply to AT+CPMS); past GSMDEV_CALL_MAX_S the watcher aborts
 * the call (gsmdev_watch()).  on_call rouses a resting watcher.
 */
static void
gsmdev_call_begin(struct gsmdev *d)
{
	d->call_deadline = gsmdev_mono_s() + GSMDEV_CALL_MAX_S;
	atomic_fetch_add(&d->calls, 1);
	/* seq_cst: either the watcher sees the new count, or on_call sees it resting */
	if (d->on_call)
		d->on_call(d->on_call_arg);
}

static void
gsmdev_call_end(struct gsmdev *d)
{
	d->call_deadline = 0;
}

unsigned
gsmdev_calls(const struct gsmdev *d)
{
	return atomic_load(&d->calls);
}

bool
gsmdev_in_call(const struct gsmdev *d)
{
	return d->call_deadline != 0;
}

void
gsmdev_watch(struct gsmdev *d)
{
	pthread_mutex_lock(&d->lock);
	if (d->sm != NULL && d->dev_ino != 0 && gsmdev_gone(d)) {
		GSM_AbortOperation(d->sm);
	} else if (d->sm != NULL && d->call_deadline != 0 &&
	    gsmdev_mono_s() > d->call_deadline) {
		log_warn("modem: %s does not answer sensibly; call aborted after %d s",
		    d->name, GSMDEV_CALL_MAX_S);
		d->call_deadline = 0;
		d->aborted = true;
		GSM_AbortOperation(d->sm);
	}
	pthread_mutex_unlock(&d->lock);
}

/* ---- health ---- */

struct gsmdev_err
gsmdev_signal(struct gsmdev *d, int *percent)
{
	GSM_SignalQuality sq;
	GSM_Error e;

	gsmdev_call_begin(d);
	e = GSM_GetSignalQuality(d->sm, &sq);
	gsmdev_call_end(d);
	if (e == ERR_NONE)
		*percent = sq.SignalPercent;
	return gsmdev_err_of(e);
}

struct gsmdev_err
gsmdev_network(struct gsmdev *d, bool *registered, char *operator, size_t size)
{
	GSM_NetworkInfo ni;
	GSM_Error e;
	char *name;

	memset(&ni, 0, sizeof(ni));
	gsmdev_call_begin(d);
	e = GSM_GetNetworkInfo(d->sm, &ni);
	gsmdev_call_end(d);
	if (e != ERR_NONE)
		return gsmdev_err_of(e);
	name = malloc(UnicodeLength(ni.NetworkName) * 4 + 1);
	if (name == NULL)
		fatal("modem: out of memory");
	EncodeUTF8(name, ni.NetworkName);
	snprintf(operator, size, "%s", name[0] ? name : ni.NetworkCode);
	free(name);
	*registered = ni.State == GSM_HomeNetwork || ni.State == GSM_RoamingNetwork;
	return gsmdev_err_of(e);
}

/* ---- decoding ---- */

static int64_t
gsmdev_time(const GSM_DateTime *dt)
{
	struct tm tm = { 0 };

	if (dt->Year == 0)
		return 0;
	tm.tm_year = dt->Year - 1900;
	tm.tm_mon = dt->Month - 1;
	tm.tm_mday = dt->Day;
	tm.tm_hour = dt->Hour;
	tm.tm_min = dt->Minute;
	tm.tm_sec = dt->Second;
	return (int64_t)timegm(&tm) - dt->Timezone;
}

/* A sender: E.164 when it is a number, else as it came ("ORANGE", a short code). */
static void
gsmdev_number(const unsigned char *ucs2, char *out, size_t size)
{
	char *raw = gsmdev_utf8(ucs2);
	char e164[PHONE_E164_MAX];
	enum phone_kind kind;

	if (phone_normalize(raw, e164, &kind, NULL) == 0)
		snprintf(out, size, "%s", e164);
	else
		snprintf(out, size, "%s", raw);
	free(raw);
}

/* libgammu's SMS as out (which then owns its text). */
static void
gsmdev_sms_of(const GSM_SMSMessage *sms, struct gsmdev_sms *out)
{
	memset(out, 0, sizeof(*out));
	gsmdev_number(sms->Number, out->from, sizeof(out->from));
	out->concat_ref = -1;
	out->total = 1;
	out->seq = 1;
	if (sms->PDU == SMS_Status_Report) {
		out->report = true;
		out->reference = sms->MessageReference;
		out->status = (int)sms->DeliveryStatus;
		return;
	}
	out->text = gsmdev_utf8(sms->Text);
	out->sent_at = gsmdev_time(&sms->DateTime);
	if (sms->UDH.Type == UDH_ConcatenatedMessages ||
	    sms->UDH.Type == UDH_ConcatenatedMessages16bit) {
		out->concat_ref = sms->UDH.Type == UDH_ConcatenatedMessages ? sms->UDH.ID8bit :
		    sms->UDH.ID16bit;
		out->total = sms->UDH.AllParts;
		out->seq = sms->UDH.PartNumber;
	}
}

int
gsmdev_decode_pdu(const unsigned char *pdu, size_t len, struct gsmdev_sms *out)
{
	GSM_SMSMessage *sms;
	size_t end = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if ((sms = calloc(1, sizeof(*sms))) == NULL)
		fatal("modem: out of memory");
	if (GSM_DecodePDUFrame(GSM_GetGlobalDebug(), sms, pdu, len, &end, TRUE) == ERR_NONE) {
		gsmdev_sms_of(sms, out);
		rc = 0;
	}
	free(sms);
	return rc;
}

void
gsmdev_sms_clear(struct gsmdev_sms *sms)
{
	if (sms == NULL)
		return;
	free(sms->text);
	sms->text = NULL;
}

/* ---- the SIM ---- */

/* Keeps the SMS of one entry that libgammu read. */
static void
gsmdev_sweep_add(struct gsmdev_sweep *s, const GSM_MultiSMSMessage *entry)
{
	int j;

	for (j = 0; j < entry->Number; j++) {
		if (s->count == s->size) {
			s->size = s->size ? s->size * 2 : 8;
			s->sms = reallocarray(s->sms, s->size, sizeof(*s->sms));
			s->slot = reallocarray(s->slot, s->size, sizeof(*s->slot));
			if (s->sms == NULL || s->slot == NULL)
				fatal("modem: out of memory");
		}
		gsmdev_sms_of(&entry->SMS[j], &s->sms[s->count]);
		s->slot[s->count].folder = entry->SMS[j].Folder;
		s->slot[s->count].location = entry->SMS[j].Location;
		s->count++;
	}
}

struct gsmdev_err
gsmdev_sweep_read(struct gsmdev *d, int max, struct gsmdev_sweep **out)
{
	struct gsmdev_sweep *s = calloc(1, sizeof(*s));
	GSM_MultiSMSMessage *entry = calloc(1, sizeof(*entry));
	GSM_Error e = ERR_NONE;
	int n;

	if (s == NULL || entry == NULL)
		fatal("modem: out of memory");
	d->announced = false;
	d->reports = 0;
	/* GetNextSMS continues from the location left in entry by the last call */
	for (n = 0; n < max; n++) {
		gsmdev_call_begin(d);
		e = GSM_GetNextSMS(d->sm, entry, n == 0);
		gsmdev_call_end(d);
		if (e != ERR_NONE)
			break;
		gsmdev_sweep_add(s, entry);
	}
	free(entry);
	*out = s;
	switch (gsmdev_err_of(e).kind) {
	case GSMDEV_EMPTY:
	case GSMDEV_UNSUPPORTED:
		return gsmdev_err_of(ERR_NONE);
	default:
		return gsmdev_err_of(e);
	}
}

size_t
gsmdev_sweep_count(const struct gsmdev_sweep *s)
{
	return s->count;
}

const struct gsmdev_sms *
gsmdev_sweep_sms(const struct gsmdev_sweep *s, size_t i)
{
	return &s->sms[i];
}

struct gsmdev_err
gsmdev_sweep_delete(struct gsmdev *d, struct gsmdev_sweep *s, size_t i)
{
	GSM_Error e;

	/* libgammu's AT driver needs the folder and the location, and reads
	   the SMS there again before it deletes it */
	memset(&s->gone, 0, sizeof(s->gone));
	s->gone.Folder = s->slot[i].folder;
	s->gone.Location = s->slot[i].location;
	gsmdev_call_begin(d);
	e = GSM_DeleteSMS(d->sm, &s->gone);
	gsmdev_call_end(d);
	return gsmdev_err_of(e);
}

void
gsmdev_sweep_free(struct gsmdev_sweep *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->count; i++)
		gsmdev_sms_clear(&s->sms[i]);
	free(s->sms);
	free(s->slot);
	free(s);
}

/* ---- sending ---- */

struct gsmdev_err
gsmdev_encode(struct gsmdev *d, const char *to, const char *body, bool ucs2,
    int concat_ref, int *nparts)
{
	GSM_MultiSMSMessage *multi = &d->multi;
	GSM_MultiPartSMSInfo info;
	size_t len = strlen(body);
	unsigned char *text = calloc(len + 1, 4);
	unsigned char number[(GSM_MAX_NUMBER_LENGTH + 1) * 2];
	GSM_Error e;
	int i;

	if (text == NULL)
		fatal("modem: out of memory");
	DecodeUTF8(text, body, len);
	GSM_ClearMultiPartSMSInfo(&info);
	info.Class = -1;
	info.EntriesNum = 1;
	info.UnicodeCoding = ucs2;
	info.Entries[0].ID = SMS_ConcatenatedTextLong;
	info.Entries[0].Buffer = text;
	memset(multi, 0, sizeof(*multi));
	e = GSM_EncodeMultiPartSMS(GSM_GetDebug(d->sm), &info, multi);
	free(text);
	*nparts = multi->Number;
	if (e != ERR_NONE || multi->Number < 1) {
		struct gsmdev_err r = gsmdev_err_of(e);
		if (r.kind == GSMDEV_OK)
			r.kind = GSMDEV_OTHER;
		return r;
	}
	EncodeUnicode(number, to, strlen(to));
	for (i = 0; i < multi->Number; i++) {
		GSM_SMSMessage *s = &multi->SMS[i];
		CopyUnicodeString(s->Number, number);
		s->SMSC = d->smsc;
		s->PDU = SMS_Status_Report;	/* SMS-SUBMIT asking for a delivery report */
		if (multi->Number > 1 && s->UDH.Type == UDH_ConcatenatedMessages &&
		    s->UDH.Length >= 3) {
			/* the same reference on every attempt, so retried parts join */
			s->UDH.Text[s->UDH.Length - 3] = (unsigned char)concat_ref;
			s->UDH.ID8bit = concat_ref;
		}
	}
	return gsmdev_err_of(ERR_NONE);
}

/* Waits for the status of the PDU just written; the callback fills d->send_*. */
static GSM_Error
gsmdev_wait_send_status(struct gsmdev *d)
{
	time_t until = time(NULL) + GSMDEV_SEND_TIMEOUT_S;

	while (!d->send_done && time(NULL) < until) {
		GSM_ReadDevice(d->sm, TRUE);
		if (!d->send_done && (!GSM_IsConnected(d->sm) || gsmdev_gone(d)))
			return ERR_DEVICEREADERROR;
	}
	return d->send_done ? ERR_NONE : ERR_TIMEOUT;
}

struct gsmdev_send
gsmdev_send_part(struct gsmdev *d, int i)
{
	struct gsmdev_send r = { .sent = GSMDEV_SENT, .reference = -1, .cms = 0,
	    .err = gsmdev_err_of(ERR_NONE) };
	GSM_Error e;

	d->send_done = false;
	d->send_status = -1;
	d->send_ref = -1;
	gsmdev_send_pause_us = d->pause_us;
	gsmdev_in_send = true;
	gsmdev_call_begin(d);
	e = GSM_SendSMS(d->sm, &d->multi.SMS[i]);
	gsmdev_call_end(d);
	gsmdev_in_send = false;
	if (e != ERR_NONE) {
		/* the PDU was not (completely) written: nothing went out */
		r.sent = GSMDEV_NOT_SENT;
		r.err = gsmdev_err_of(e);
		return r;
	}
	e = gsmdev_wait_send_status(d);
	if (e != ERR_NONE) {
		r.sent = GSMDEV_NO_ANSWER;
		r.err = gsmdev_err_of(e);
		return r;
	}
	if (d->send_status != 0) {
		r.sent = GSMDEV_REFUSED;
		r.cms = d->send_status;
		return r;
	}
	r.reference = d->send_ref;
	return r;
}

/* ---- incoming voice calls ---- */

/*
 * A call's news (GSM_Call): libgammu calls this from its reply to +CLIP,
 * at once when idle, after the running request otherwise (a deferred
 * event), and also for a call that ended: NO CARRIER (the caller gave
 * up), or our hang-up answered OK.  A ring is noted with its number, and
 * whether it begins a call; an end ends the call.
 */
static void
gsmdev_on_voice_call(GSM_StateMachine *sm, GSM_Call *call, void *data)
{
	struct gsmdev *d = data;
	char number[GSMDEV_NUMBER_MAX];

	(void)sm;
	switch (call->Status) {
	case GSM_CALL_IncomingCall:
		if (!call->CallIDAvailable)
			return;
		gsmdev_number(call->PhoneNumber, number, sizeof(number));
		/* the end went unseen when another number rings, or rings stopped a while */
		if (strcmp(number, d->caller) != 0 || gsmdev_mono_s() - d->last_ring >
		    GSMDEV_RING_GAP_S)
			d->in_call = false;
		snprintf(d->caller, sizeof(d->caller), "%s", number);
		d->fresh = d->fresh || !d->in_call;
		d->in_call = true;
		d->ringing = true;
		d->last_ring = gsmdev_mono_s();
		return;
	case GSM_CALL_CallLocalEnd:
	case GSM_CALL_CallRemoteEnd:
	case GSM_CALL_CallEnd:
		d->in_call = false;
		return;
	default:
		return;
	}
}

/* open: asks for the rings of incoming calls (gsmdev_on_voice_call()). */
static void
gsmdev_listen_calls(struct gsmdev *d)
{
	GSM_Error e;

	d->ringing = d->fresh = d->in_call = false;	/* a new connection: no call yet */
	d->caller[0] = '\0';
	GSM_SetIncomingCallCallback(d->sm, gsmdev_on_voice_call, d);
	if ((e = GSM_SetIncomingCall(d->sm, TRUE)) != ERR_NONE)
		log_warn("modem: %s cannot ask for incoming call notifications (%s); calls "
		    "ring unanswered", d->name, GSM_ErrorString(e));
}

bool
gsmdev_ringing(const struct gsmdev *d)
{
	return d->ringing;
}

bool
gsmdev_take_ring(struct gsmdev *d, char *from, size_t size, bool *fresh)
{
	if (!d->ringing)
		return false;
	*fresh = d->fresh;
	d->ringing = false;
	d->fresh = false;
	snprintf(from, size, "%s", d->caller);
	return true;
}

struct gsmdev_err
gsmdev_hangup(struct gsmdev *d)
{
	GSM_Error e;

	gsmdev_call_begin(d);
	e = GSM_CancelCall(d->sm, 0, TRUE);
	gsmdev_call_end(d);
	return gsmdev_err_of(e);
}
