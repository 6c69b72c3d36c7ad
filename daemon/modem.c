/*
 * modem — one worker thread per modem, on libgammu's AT driver.  See
 * modem.h for what a worker does.  This is the only file that includes
 * gammu.h.
 *
 * Worker states (modem_status.state):
 *   connecting   opening the device, identifying the modem
 *   pin_refused  the PIN was wrong or missing, or refused by this SIM in an
 *                earlier run (pin.h): stopped, never retried (a SIM
 *                locks after three wrong PINs)
 *   no_network   connected, not registered: messages wait
 *   ready        registered, sending and receiving
 *   reconnecting lost the device or it stopped answering; retrying
 *   benched      SENDPOLICY_BENCH_FAILURES sends failed in a row: it claims no
 *                message for SENDPOLICY_BENCH_S seconds and the other modems
 *                take the queue; it still receives
 *
 * Send path.  libgammu's ATGEN_SendSMS sleeps 100 + 500 + 100 ms around
 * every PDU it writes, which caps a sender at about 1.4 PDU/s whatever
 * the modem can do.  The sleeps are libgammu calling usleep(); this file
 * defines usleep() so that, only in a modem thread and only inside
 * GSM_SendSMS(), a sleep is cut to the modem's send_pause_ms (default 0).
 * Everything else libgammu does (prompt handling, PDU encoding, the
 * +CMGS reference, errors) is unchanged.  docs/modem.md says why.
 */
#include "modem.h"

#include <dirent.h>
#include <errno.h>
#include <gammu.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "inbox.h"
#include "log.h"
#include "modemsim.h"
#include "modemstatus.h"
#include "phone.h"
#include "pin.h"
#include "queue.h"
#include "sendpolicy.h"
#include "text.h"
#include "window.h"

#define MODEM_POLL_MS 500		/* wait between looks at a device or a state */
#define MODEM_WATCH_QUIET 2		/* looks without a libgammu call before the
					   watcher rests */
#define MODEM_WATCH_REST_MS 60000	/* a resting watcher's wait when not roused */
#define MODEM_IDLE_MS 1000		/* a ready modem's wait between looks at the queue:
					   the API and the scheduler wake it at once, an
					   SMS announced by the modem ends it too */
#define MODEM_IDLE_WATCHED_MS 5000	/* the same when a commit by another process
					   (rappelctl send) ends it too: what is left to
					   notice is the time passing (a message's
					   not_before, the sending hours), a few
					   seconds late at most */
#define MODEM_HANGUP_MS 10		/* pause when the port reports a hang-up, so the
					   idle wait does not spin until the step sees it */
#define MODEM_SWEEP_S 120		/* read the whole SIM this often (+CMTI announces
					   each SMS; the sweep catches what it missed) */
#define MODEM_HEALTH_S 180		/* signal and registration this often (GSM_GetNetworkInfo
					   alone is 8 AT commands) */
#define MODEM_SEND_TIMEOUT_S 60		/* wait for +CMGS at most this long */
#define MODEM_CALL_MAX_S 30		/* a libgammu call may run this long, then is aborted */
#define MODEM_MAX_TIMEOUTS 3		/* in a row, then reconnect */
#define MODEM_BACKOFF_MAX_S 30
#define MODEM_CLAIM_BACKOFF_MAX_S 30	/* most wait after a claim the database refused */
#define MODEM_DB_LOG_S 60		/* a database refusal is logged this often at most */
#define MODEM_PUBLISH_S 5		/* sent_total goes to modem_status at most this often
					   while sending; a state change goes at once */

enum modem_state {
	MODEM_CONNECTING,
	MODEM_PIN_REFUSED,
	MODEM_NO_NETWORK,
	MODEM_READY,
	MODEM_RECONNECTING,
	MODEM_BENCHED,
	MODEM_STOPPED,
};

static const char *const modem_state_names[] = {
	[MODEM_CONNECTING] = "connecting",
	[MODEM_PIN_REFUSED] = "pin_refused",
	[MODEM_NO_NETWORK] = "no_network",
	[MODEM_READY] = "ready",
	[MODEM_RECONNECTING] = "reconnecting",
	[MODEM_BENCHED] = "benched",
	[MODEM_STOPPED] = "stopped",
};



/* A part the network accepted, recorded with the message's outcome. */
struct modem_part {
	int seq;
	int reference;
	int64_t at;
};

/*
 * What became of a message the modem was given, kept in memory until the
 * database takes it (a full disk, a database busy for too long): the
 * message stays 'sending' meanwhile, never claimed again.
 */
struct modem_outcome {
	bool pending;
	int64_t id;
	int result;			/* enum sendpolicy_result */
	char why[256];
	int64_t at;
	int nparts;
	struct modem_part parts[GSM_MAX_MULTI_SMS];
};

struct modem {
	struct modem_pool *pool;
	const struct config_modem *cfg;
	char device[256];
	pthread_t thread;
	struct db *db;
	GSM_StateMachine *sm;
	GSM_SMSC smsc;
	enum modem_state state;
	bool pin_refused;		/* once refused, the PIN is never tried again */
	int timeouts;			/* in a row */
	_Atomic int64_t call_deadline;	/* CLOCK_MONOTONIC s; the watcher aborts a
					   libgammu call still running then; 0: none */
	_Atomic bool aborted;		/* the watcher did: libgammu's state is suspect */
	_Atomic unsigned calls;		/* modem_call_begin()s so far, for the watcher */
	int backoff;			/* seconds before the next reconnection */
	int64_t next_sweep, next_health;
	bool incoming;			/* the modem announced an SMS */
	/* filled by the send status callback */
	bool send_done;
	int send_status;
	int send_ref;
	int signal;
	char operator[64];
	char last_error[256];
	long sent_total;
	int64_t published_at;		/* last modem_status write */
	bool unsynced;			/* a lazy commit is not yet on the disk */
	struct sendpolicy policy;	/* rates and bench (sendpolicy.h) */
	bool policy_loaded;		/* its counts read from message_parts */
	struct modem_outcome outcome;	/* not yet committed, see modem_record() */
	int db_backoff;			/* s; after the database refused a write, 0 else */
	int64_t db_retry_at;		/* no claim before this time */
	int64_t db_logged_at;		/* the last refusal logged */
	long db_failures;		/* refusals in a row */
	pthread_mutex_t sm_lock;	/* held to create or free sm, and by the watcher */
	dev_t dev_rdev;			/* the device node connected to, to notice */
	ino_t dev_ino;			/* that it went away or was replaced (USB reset) */
	int port_fd;			/* libgammu's descriptor of the device, for poll(); -1: unknown */
	struct modemsim *sim;		/* device = simulator: the built-in modem */
	char sim_dir[64];
	const struct config *live;	/* the worker's reference to pool->live, taken
					   at each step (modem_follow_config()) */
	unsigned long live_gen;
};

struct modem_pool {
	const struct config *cfg;	/* at start, a reference: the [modem] sections */
	const struct config *live;	/* with lock, a reference: the one in force
					   (hours, rates, retries) */
	unsigned long live_gen;		/* with lock: modem_pool_set_config()s so far */
	int64_t (*now)(void);
	void (*received)(void *);	/* with lock: a reply was stored, see */
					/* modem_pool_on_received() */
	void *received_arg;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	bool woken;
	int wake_fd;			/* eventfd written with every wake, for poll(); -1: none */
	int change_fd;			/* inotify on the database's WAL, written by every
					   commit of any process, for poll(); -1: none */
	pthread_t watcher;		/* aborts libgammu calls on a vanished device */
	bool watching;
	pthread_cond_t watch_wake;	/* with lock: rouses the watcher */
	_Atomic bool watch_resting;	/* the watcher waits for a call to begin */
	size_t nmodems;
	struct modem modems[CONFIG_MAX_MODEMS];
};

/* ---- the usleep() cut, see the top of this file ---- */

static _Thread_local bool modem_in_send;
static _Thread_local unsigned modem_send_pause_us;

int
usleep(useconds_t usec)
{
	struct timespec ts;

	if (modem_in_send && usec > modem_send_pause_us)
		usec = modem_send_pause_us;
	ts.tv_sec = usec / 1000000;
	ts.tv_nsec = (long)(usec % 1000000) * 1000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	return 0;
}

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
modem_set_error(struct modem *m, const char *what, GSM_Error e)
{
	snprintf(m->last_error, sizeof(m->last_error), "%s: %s", what, GSM_ErrorString(e));
	log_warn("modem: %s %s", m->cfg->name, m->last_error);
}

/* ---- waiting ---- */

/* The CLOCK_REALTIME moment ms from now, for pthread_cond_timedwait(). */
static void
modem_deadline(int ms, struct timespec *until)
{
	clock_gettime(CLOCK_REALTIME, until);
	until->tv_sec += ms / 1000;
	until->tv_nsec += (long)(ms % 1000) * 1000000;
	if (until->tv_nsec >= 1000000000) {
		until->tv_sec++;
		until->tv_nsec -= 1000000000;
	}
}

/* Sleeps up to ms, or less when woken or stopping.  Returns false when stopping. */
static bool
modem_wait(struct modem *m, int ms)
{
	struct modem_pool *pool = m->pool;
	struct timespec until;
	bool go_on;

	modem_deadline(ms, &until);
	pthread_mutex_lock(&pool->lock);
	while (!pool->stopping && !pool->woken)
		if (pthread_cond_timedwait(&pool->wake, &pool->lock, &until) == ETIMEDOUT)
			break;
	pool->woken = false;
	go_on = !pool->stopping;
	pthread_mutex_unlock(&pool->lock);
	return go_on;
}

/* Consumes a wake (as modem_wait() does); true when there was one or the pool stops. */
static bool
modem_woken(struct modem *m)
{
	struct modem_pool *pool = m->pool;
	bool woken;

	pthread_mutex_lock(&pool->lock);
	woken = pool->woken || pool->stopping;
	pool->woken = false;
	pthread_mutex_unlock(&pool->lock);
	return woken;
}

/*
 * The idle wait of a ready modem: up to ms in poll() on the device and on
 * the pool's wake eventfd, so an SMS the modem announces with +CMTI is
 * read (GSM_ReadDevice() runs the callback) the moment it arrives and
 * stored by the next step, and a wake (a message queued, stopping) ends
 * the wait at once.  No AT command is written here.  Without the
 * descriptors it sleeps like modem_wait().
 */
static void
modem_listen(struct modem *m, int ms)
{
	struct pollfd p[3] = {
		{ .fd = m->port_fd, .events = POLLIN },
		{ .fd = m->pool->wake_fd, .events = POLLIN },
		{ .fd = m->pool->change_fd, .events = POLLIN },
	};
	char events[sizeof(struct inotify_event) + NAME_MAX + 1];
	uint64_t count;

	if (m->port_fd < 0 || m->pool->wake_fd < 0) {
		modem_wait(m, ms);
		return;
	}
	if (poll(p, m->pool->change_fd >= 0 ? 3 : 2, ms) <= 0)
		return;
	if (p[1].revents & POLLIN) {
		if (read(m->pool->wake_fd, &count, sizeof(count)) < 0)
			count = 0;	/* another modem took it: nothing to do */
		modem_woken(m);
	}
	/* the database changed: the step after this one looks at the queue */
	while ((p[2].revents & POLLIN) && read(m->pool->change_fd, events, sizeof(events)) > 0)
		;
	if (p[0].revents & POLLIN)
		GSM_ReadDevice(m->sm, FALSE);
	else if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL))
		modem_wait(m, MODEM_HANGUP_MS);	/* gone: the next step reconnects */
}

/*
 * Lets libgammu read what the modem said unasked (+CMTI, a status report).
 * Its read waits 50 ms when there is nothing, which cost that much after
 * every message sent; with the device's descriptor, poll() says at once.
 */
static void
modem_read_pending(struct modem *m)
{
	struct pollfd p = { .fd = m->port_fd, .events = POLLIN };

	if (m->port_fd >= 0 && poll(&p, 1, 0) == 0)
		return;		/* nothing waiting */
	GSM_ReadDevice(m->sm, FALSE);
}

/*
 * The descriptor libgammu opened the device with: gammu.h has no accessor,
 * so it is the open descriptor that names the same file (/proc/self/fd).
 * Any descriptor of that tty will do for poll(): they share one input
 * queue.  -1 when none is found.
 */
static int
modem_port_fd(const char *device)
{
	char want[PATH_MAX], link[PATH_MAX], path[sizeof("/proc/self/fd/") + NAME_MAX];
	struct dirent *de;
	DIR *dir;
	ssize_t n;
	int fd = -1;

	if (realpath(device, want) == NULL || (dir = opendir("/proc/self/fd")) == NULL)
		return -1;
	while (fd < 0 && (de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		if ((n = readlink(path, link, sizeof(link) - 1)) < 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, want) == 0)
			fd = atoi(de->d_name);
	}
	closedir(dir);
	return fd;
}

static bool
modem_stopping(struct modem *m)
{
	bool s;

	pthread_mutex_lock(&m->pool->lock);
	s = m->pool->stopping;
	pthread_mutex_unlock(&m->pool->lock);
	return s;
}

/* ---- libgammu callbacks (run inside GSM_ReadDevice, in the worker) ---- */

static void
modem_on_send_status(GSM_StateMachine *sm, int status, int reference, void *data)
{
	struct modem *m = data;

	(void)sm;
	m->send_done = true;
	m->send_status = status;
	m->send_ref = reference;
}

static void
modem_on_incoming(GSM_StateMachine *sm, GSM_SMSMessage *sms, void *data)
{
	struct modem *m = data;

	(void)sm;
	(void)sms;
	m->incoming = true;	/* read in the next sweep, stored before deleted */
}

/* ---- connection ---- */

static bool
modem_is_device_error(GSM_Error e)
{
	switch (e) {
	case ERR_DEVICEOPENERROR:
	case ERR_DEVICENOTEXIST:
	case ERR_DEVICEREADERROR:
	case ERR_DEVICEWRITEERROR:
	case ERR_DEVICENOPERMISSION:
	case ERR_DEVICEBUSY:
	case ERR_DEVICELOCKED:
	case ERR_NOTCONNECTED:
	case ERR_DEVICECHANGESPEEDERROR:
	case ERR_DEVICEDTRRTSERROR:
	case ERR_DEVICEPARITYERROR:
		return true;
	default:
		return false;
	}
}

static void
modem_disconnect(struct modem *m)
{
	GSM_StateMachine *sm = m->sm;

	if (sm == NULL)
		return;
	pthread_mutex_lock(&m->sm_lock);
	m->sm = NULL;
	m->dev_ino = 0;		/* nothing for the watcher until the next connection */
	m->port_fd = -1;
	m->dev_rdev = 0;
	pthread_mutex_unlock(&m->sm_lock);
	if (GSM_IsConnected(sm))
		GSM_TerminateConnection(sm);
	GSM_FreeStateMachine(sm);
}

static void
modem_remember_device(struct modem *m)
{
	struct stat sb;

	if (stat(m->device, &sb) == 0) {
		pthread_mutex_lock(&m->sm_lock);	/* the watcher reads them */
		m->dev_rdev = sb.st_rdev;
		m->dev_ino = sb.st_ino;
		pthread_mutex_unlock(&m->sm_lock);
	}
}

/*
 * True when the device path is gone or now names another node: the modem
 * was unplugged (and maybe plugged back).  libgammu does not notice by
 * itself; it only sees its reads time out.
 */
static bool
modem_device_gone(struct modem *m)
{
	struct stat sb;

	if (stat(m->device, &sb) < 0)
		return true;
	return sb.st_rdev != m->dev_rdev || sb.st_ino != m->dev_ino;
}

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
	GSM_SecurityCodeType status;
	GSM_SecurityCode code;
	char imei[GSM_MAX_IMEI_LENGTH + 1] = "", sim[PIN_SIM_MAX], why[128];
	GSM_Error e = GSM_GetSecurityStatus(m->sm, &status);
	int refused;

	if (e == ERR_NOTSUPPORTED || e == ERR_NOTIMPLEMENTED || (e == ERR_NONE &&
	    status == SEC_None))
		return 0;
	if (e != ERR_NONE) {
		modem_set_error(m, "cannot read the SIM state", e);
		return -1;
	}
	if (status == SEC_Puk)
		return modem_pin_stop(m, "the SIM is locked and asks for its PUK",
		    "Carte SIM bloquée : elle demande son code PUK (8 chiffres, fourni par "
		    "l'opérateur). Débloquez-la dans un téléphone, puis rebranchez-la.");
	if (status != SEC_Pin)
		return modem_pin_stop(m, "the SIM asks for a code other than its PIN",
		    "La carte SIM demande un code autre que son PIN : mettez-la dans un "
		    "téléphone pour voir lequel.");
	if (m->cfg->pin == NULL)
		return modem_pin_stop(m, "the SIM asks for a PIN and none is configured",
		    "La carte SIM demande son code PIN. " MODEM_PIN_HINT, m->cfg->name);
	if (m->pin_refused)
		return modem_pin_stop(m, "the PIN was refused; not trying again",
		    "Code PIN refusé par la carte SIM. " MODEM_PIN_HINT, m->cfg->name);
	if (GSM_GetIMEI(m->sm, imei) != ERR_NONE)
		imei[0] = '\0';
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
	memset(&code, 0, sizeof(code));
	code.Type = SEC_Pin;
	snprintf(code.Code, sizeof(code.Code), "%s", m->cfg->pin);
	e = GSM_EnterSecurityCode(m->sm, &code);
	if (e != ERR_NONE) {
		snprintf(why, sizeof(why), "refused (%s)", GSM_ErrorString(e));
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
	GSM_Config *gc;
	GSM_Error e;

	modem_set_state(m, m->state == MODEM_CONNECTING ? MODEM_CONNECTING :
	    MODEM_RECONNECTING);
	pthread_mutex_lock(&m->sm_lock);
	m->sm = GSM_AllocStateMachine();
	pthread_mutex_unlock(&m->sm_lock);
	if (m->sm == NULL)
		fatal("modem: out of memory");
	GSM_SetDebugGlobal(FALSE, GSM_GetDebug(m->sm));
	if (getenv("RAPPEL_GAMMU_DEBUG")) {
		GSM_SetDebugFileDescriptor(stderr, FALSE, GSM_GetDebug(m->sm));
		GSM_SetDebugLevel("textall", GSM_GetDebug(m->sm));
	}
	gc = GSM_GetConfig(m->sm, 0);
	free(gc->Device);
	free(gc->Connection);
	gc->Device = strdup(m->device);
	gc->Connection = strdup(m->cfg->connection);
	if (gc->Device == NULL || gc->Connection == NULL)
		fatal("modem: out of memory");
	gc->Model[0] = '\0';
	gc->SyncTime = FALSE;
	gc->LockDevice = FALSE;
	gc->StartInfo = FALSE;
	/* as GSM_ReadConfig() would: -1 lets libgammu pick the +CNMI values */
	for (size_t i = 0; i < sizeof(gc->CNMIParams) / sizeof(gc->CNMIParams[0]); i++)
		gc->CNMIParams[i] = -1;
	GSM_SetConfigNum(m->sm, 1);
	e = GSM_InitConnection(m->sm, 1);
	if (e != ERR_NONE) {
		modem_set_error(m, "cannot connect", e);
		modem_disconnect(m);
		return -1;
	}
	GSM_SetSendSMSStatusCallback(m->sm, modem_on_send_status, m);
	GSM_SetIncomingSMSCallback(m->sm, modem_on_incoming, m);
	if (modem_unlock(m) < 0) {
		modem_disconnect(m);
		return -1;
	}
	if ((e = GSM_SetIncomingSMS(m->sm, TRUE)) != ERR_NONE)
		log_warn("modem: %s cannot ask for SMS notifications (%s); sweeping only",
		    m->cfg->name, GSM_ErrorString(e));
	memset(&m->smsc, 0, sizeof(m->smsc));
	m->smsc.Location = 1;
	if ((e = GSM_GetSMSC(m->sm, &m->smsc)) != ERR_NONE) {
		modem_set_error(m, "cannot read the SMS centre number", e);
		modem_disconnect(m);
		return -1;
	}
	m->smsc.Location = 0;
	modem_remember_device(m);
	m->port_fd = modem_port_fd(m->device);
	m->timeouts = 0;
	m->backoff = 0;
	m->next_sweep = 0;
	m->next_health = 0;
	m->last_error[0] = '\0';
	log_info("modem: %s connected device=%s", m->cfg->name, m->device);
	return 0;
}

/* Seconds of CLOCK_MONOTONIC, for the watcher's deadlines. */
static int64_t
modem_mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/*
 * Around a libgammu call that talks to the modem: libgammu can wait
 * without end for an answer that line noise replaced (the "> " prompt of
 * AT+CMGS, a reply to AT+CPMS); past MODEM_CALL_MAX_S the watcher aborts
 * the call, and modem_trouble() then reconnects.  A resting watcher is
 * roused: it looks every MODEM_POLL_MS again while calls go on.
 */
static void
modem_call_begin(struct modem *m)
{
	struct modem_pool *pool = m->pool;

	m->call_deadline = modem_mono_s() + MODEM_CALL_MAX_S;
	atomic_fetch_add(&m->calls, 1);
	/* seq_cst: either the watcher sees the new count, or this sees it resting */
	if (atomic_load(&pool->watch_resting)) {
		pthread_mutex_lock(&pool->lock);
		pthread_cond_signal(&pool->watch_wake);
		pthread_mutex_unlock(&pool->lock);
	}
}

static void
modem_call_end(struct modem *m)
{
	m->call_deadline = 0;
}

/* Counts a failure; true when the connection must be dropped. */
static bool
modem_trouble(struct modem *m, const char *what, GSM_Error e)
{
	bool aborted = m->aborted;

	m->aborted = false;
	modem_set_error(m, what, e);
	if (e == ERR_TIMEOUT)
		m->timeouts++;
	/* after an abort libgammu's parser may be lost in noise: start afresh */
	if (aborted || modem_is_device_error(e) || m->timeouts >= MODEM_MAX_TIMEOUTS ||
	    modem_device_gone(m)) {
		modem_disconnect(m);
		modem_set_state(m, MODEM_RECONNECTING);
		return true;
	}
	modem_publish(m);
	return false;
}

/* ---- health ---- */

static void
modem_health(struct modem *m)
{
	GSM_SignalQuality sq;
	GSM_NetworkInfo ni;
	GSM_Error e;
	char *name;

	modem_call_begin(m);
	e = GSM_GetSignalQuality(m->sm, &sq);
	modem_call_end(m);
	if (e == ERR_NONE) {
		m->signal = sq.SignalPercent;
	} else if (modem_trouble(m, "cannot read the signal", e)) {
		return;
	}
	memset(&ni, 0, sizeof(ni));
	modem_call_begin(m);
	e = GSM_GetNetworkInfo(m->sm, &ni);
	modem_call_end(m);
	if (e != ERR_NONE) {
		modem_trouble(m, "cannot read the network state", e);
		return;
	}
	m->timeouts = 0;
	name = malloc(UnicodeLength(ni.NetworkName) * 4 + 1);
	if (name == NULL)
		fatal("modem: out of memory");
	EncodeUTF8(name, ni.NetworkName);
	snprintf(m->operator, sizeof(m->operator), "%s", name[0] ? name : ni.NetworkCode);
	free(name);
	if (m->state == MODEM_BENCHED)
		modem_publish(m);	/* stays benched until its time is up */
	else if (ni.State == GSM_HomeNetwork || ni.State == GSM_RoamingNetwork)
		modem_set_state(m, MODEM_READY);
	else
		modem_set_state(m, MODEM_NO_NETWORK);
}

/* ---- receiving ---- */

/*
 * libgammu's text (UTF-16 big-endian, ending with two zero octets) as
 * UTF-8; the caller frees it.  A surrogate that is not half of a pair (a
 * phone that cut an emoji between two parts, or a broken PDU) becomes
 * U+FFFD: libgammu's EncodeUTF8() would write it as is, which is not
 * UTF-8, and jansson then refuses the reply (it vanished from the API).
 */
static char *
modem_utf8(const unsigned char *ucs2)
{
	struct buf out = { 0 };
	uint32_t cp, lo;
	size_t i;

	for (i = 0; ucs2[i] || ucs2[i + 1]; i += 2) {
		cp = (uint32_t)ucs2[i] << 8 | ucs2[i + 1];
		lo = (ucs2[i + 2] || ucs2[i + 3]) ? (uint32_t)ucs2[i + 2] << 8 | ucs2[i + 3] : 0;
		if (cp >= 0xD800 && cp < 0xDC00 && lo >= 0xDC00 && lo < 0xE000) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			i += 2;
		} else if (cp >= 0xD800 && cp < 0xE000) {
			cp = 0xFFFD;
		}
		text_utf8_put(&out, cp);
	}
	buf_append(&out, "", 1);
	return buf_steal(&out);
}

static int64_t
modem_time(const GSM_DateTime *dt)
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

static void
modem_number(const unsigned char *ucs2, char *out, size_t size)
{
	char *raw = modem_utf8(ucs2);
	char e164[PHONE_E164_MAX];
	enum phone_kind kind;

	if (phone_normalize(raw, e164, &kind, NULL) == 0)
		snprintf(out, size, "%s", e164);
	else
		snprintf(out, size, "%s", raw);	/* "ORANGE", a short code ... */
	free(raw);
}

/*
 * Stores one SMS that modem name read from the SIM: a delivery report
 * updates its message, anything else goes to the inbox, undecided, for
 * the reply router (*stored set when a reply was completed).  0 when it
 * may be deleted from the SIM.
 */
static int
modem_store_sms(struct db *db, const char *name, GSM_SMSMessage *sms, int64_t now,
    bool *stored)
{
	struct inbox_sms in = { 0 };
	char from[64];
	char *body;
	int64_t id;
	int rc;

	modem_number(sms->Number, from, sizeof(from));
	if (sms->PDU == SMS_Status_Report) {
		/* TP-ST: 0x00-0x1F done, 0x20-0x3F still trying, 0x40+ failed */
		if (sms->DeliveryStatus >= 0x20 && sms->DeliveryStatus < 0x40)
			return 0;
		rc = queue_report(db, name, sms->MessageReference, from,
		    (int)sms->DeliveryStatus, now);
		if (rc == 0)
			log_info("modem: %s report for unknown reference=%d", name,
			    sms->MessageReference);
		return rc < 0 ? -1 : 0;
	}
	body = modem_utf8(sms->Text);
	in.modem = name;
	in.from = from;
	in.body = body;
	in.sent_at = modem_time(&sms->DateTime);
	in.concat_ref = -1;
	in.total = 1;
	in.seq = 1;
	if (sms->UDH.Type == UDH_ConcatenatedMessages ||
	    sms->UDH.Type == UDH_ConcatenatedMessages16bit) {
		in.concat_ref = sms->UDH.Type == UDH_ConcatenatedMessages ? sms->UDH.ID8bit :
		    sms->UDH.ID16bit;
		in.total = sms->UDH.AllParts;
		in.seq = sms->UDH.PartNumber;
	}
	rc = inbox_store(db, &in, now, &id);
	free(body);
	if (rc == 0 && id > 0)
		*stored = true;
	return rc;
}

static int
modem_store(struct modem *m, GSM_SMSMessage *sms, bool *stored)
{
	return modem_store_sms(m->db, m->cfg->name, sms, m->pool->now(), stored);
}

int
modem_store_pdu(struct db *db, const char *name, const unsigned char *pdu, size_t len,
    int64_t now)
{
	GSM_SMSMessage *sms;
	size_t end = 0;
	bool stored = false;
	int rc = -1;

	if (len > MODEM_PDU_MAX)
		return -1;
	if ((sms = calloc(1, sizeof(*sms))) == NULL)
		fatal("modem: out of memory");
	if (GSM_DecodePDUFrame(GSM_GetGlobalDebug(), sms, pdu, len, &end, TRUE) == ERR_NONE)
		rc = modem_store_sms(db, name, sms, now, &stored);
	free(sms);
	return rc;
}

/* Tells the pool's listener (the reply router) that replies were stored. */
static void
modem_pool_received(struct modem_pool *pool)
{
	/* under the lock, so that modem_pool_on_received(NULL) ends every call */
	pthread_mutex_lock(&pool->lock);
	if (pool->received)
		pool->received(pool->received_arg);
	pthread_mutex_unlock(&pool->lock);
}

#define MODEM_SWEEP_MAX 64	/* SMS handled per sweep; the rest wait for the next */

/*
 * Reads every SMS on the SIM first (deleting while walking the SIM would
 * move the walk's position), then stores each one and deletes it once
 * it is stored.
 */
static void
modem_sweep(struct modem *m)
{
	GSM_MultiSMSMessage *list = calloc(MODEM_SWEEP_MAX, sizeof(*list));
	GSM_Error e;
	bool start = true, stored = false;
	int n = 0, i, j;

	if (list == NULL)
		fatal("modem: out of memory");
	m->incoming = false;
	while (n < MODEM_SWEEP_MAX) {
		if (n > 0)
			list[n] = list[n - 1];	/* GetNextSMS continues from the last location */
		modem_call_begin(m);
		e = GSM_GetNextSMS(m->sm, &list[n], start);
		modem_call_end(m);
		start = false;
		if (e == ERR_EMPTY || e == ERR_INVALIDLOCATION)
			break;
		if (e != ERR_NONE) {
			if (e != ERR_NOTSUPPORTED && e != ERR_NOTIMPLEMENTED)
				modem_trouble(m, "cannot read SMS", e);
			break;
		}
		n++;
	}
	for (i = 0; i < n && m->sm; i++) {
		for (j = 0; j < list[i].Number; j++) {
			if (modem_store(m, &list[i].SMS[j], &stored) < 0)
				continue;	/* stays on the SIM, read again later */
			modem_call_begin(m);
			e = GSM_DeleteSMS(m->sm, &list[i].SMS[j]);
			modem_call_end(m);
			if (e != ERR_NONE && modem_trouble(m, "cannot delete an SMS", e))
				break;
		}
	}
	free(list);
	if (stored)
		modem_pool_received(m->pool);
}

/* ---- sending ---- */

/* Waits for the status of the PDU just written; the callback fills m->send_*. */
static GSM_Error
modem_wait_send_status(struct modem *m)
{
	time_t until = time(NULL) + MODEM_SEND_TIMEOUT_S;

	while (!m->send_done && time(NULL) < until) {
		GSM_ReadDevice(m->sm, TRUE);
		if (!m->send_done && (!GSM_IsConnected(m->sm) || modem_device_gone(m)))
			return ERR_DEVICEREADERROR;
	}
	return m->send_done ? ERR_NONE : ERR_TIMEOUT;
}

static enum sendpolicy_result
modem_send_part(struct modem *m, GSM_SMSMessage *sms, char *why, size_t whylen)
{
	GSM_Error e;

	m->send_done = false;
	m->send_status = -1;
	m->send_ref = -1;
	modem_in_send = true;
	modem_call_begin(m);
	e = GSM_SendSMS(m->sm, sms);
	modem_call_end(m);
	modem_in_send = false;
	if (e != ERR_NONE) {
		/* the PDU was not (completely) written: nothing went out */
		snprintf(why, whylen, "modem: %s", GSM_ErrorString(e));
		modem_trouble(m, "cannot send", e);
		return SENDPOLICY_TEMPFAIL;
	}
	e = modem_wait_send_status(m);
	if (e != ERR_NONE) {
		snprintf(why, whylen, "pas de réponse du modem après l'envoi (%s)",
		    GSM_ErrorString(e));
		modem_trouble(m, "no answer after sending", e);
		return SENDPOLICY_UNKNOWN;
	}
	if (m->send_status != 0) {
		snprintf(why, whylen, "refusé par le réseau (+CMS ERROR: %d)", m->send_status);
		log_warn("modem: %s send refused cms=%d", m->cfg->name, m->send_status);
		return sendpolicy_cms(m->send_status);
	}
	m->timeouts = 0;
	return SENDPOLICY_OK;
}

/* Encodes msg into PDUs with libgammu; 0 or -1. */
static int
modem_encode(struct modem *m, const struct queue_msg *msg, GSM_MultiSMSMessage *multi)
{
	GSM_MultiPartSMSInfo info;
	size_t len = strlen(msg->body);
	unsigned char *ucs2 = calloc(len + 1, 4);
	unsigned char number[(GSM_MAX_NUMBER_LENGTH + 1) * 2];
	GSM_Error e;
	int i;

	if (ucs2 == NULL)
		fatal("modem: out of memory");
	DecodeUTF8(ucs2, msg->body, len);
	GSM_ClearMultiPartSMSInfo(&info);
	info.Class = -1;
	info.EntriesNum = 1;
	info.UnicodeCoding = msg->encoding == SMS_UCS2;
	info.Entries[0].ID = SMS_ConcatenatedTextLong;
	info.Entries[0].Buffer = ucs2;
	memset(multi, 0, sizeof(*multi));
	e = GSM_EncodeMultiPartSMS(GSM_GetDebug(m->sm), &info, multi);
	free(ucs2);
	if (e != ERR_NONE || multi->Number < 1) {
		log_err("modem: cannot encode message id=%lld: %s", (long long)msg->id,
		    GSM_ErrorString(e));
		return -1;
	}
	EncodeUnicode(number, msg->to, strlen(msg->to));
	for (i = 0; i < multi->Number; i++) {
		GSM_SMSMessage *s = &multi->SMS[i];
		CopyUnicodeString(s->Number, number);
		s->SMSC = m->smsc;
		s->PDU = SMS_Status_Report;	/* SMS-SUBMIT asking for a delivery report */
		if (multi->Number > 1 && s->UDH.Type == UDH_ConcatenatedMessages &&
		    s->UDH.Length >= 3) {
			/* the same reference on every attempt, so retried parts join */
			s->UDH.Text[s->UDH.Length - 3] = (unsigned char)msg->concat_ref;
			s->UDH.ID8bit = msg->concat_ref;
		}
	}
	return 0;
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
static bool
modem_may_chain(struct modem *m, int64_t now)
{
	return !modem_stopping(m) && m->state == MODEM_READY && !m->incoming &&
	    now < m->next_health && now < m->next_sweep && modem_may_send(m, now);
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
	if (queue_is_sending(m->db, o->id) == 0) {
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
	if (now < m->db_retry_at && !modem_stopping(m))
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
	GSM_MultiSMSMessage multi;
	struct modem_part parts[GSM_MAX_MULTI_SMS];
	enum sendpolicy_result r = SENDPOLICY_OK;
	char why[256] = "";
	int64_t now;
	int i, nparts = 0;

	if (modem_encode(m, msg, &multi) < 0) {
		queue_fail(m->db, msg->id, "texte impossible à encoder", m->pool->now());
		return 0;
	}
	if (multi.Number != msg->parts)
		log_warn("modem: message id=%lld has %d parts, %d expected", (long long)msg->id,
		    multi.Number, msg->parts);
	for (i = 0; i < multi.Number && r == SENDPOLICY_OK; i++) {
		if (i < 32 && (msg->sent_parts & (1u << i)))
			continue;	/* accepted in an earlier attempt */
		r = modem_send_part(m, &multi.SMS[i], why, sizeof(why));
		if (r == SENDPOLICY_OK) {
			parts[nparts++] = (struct modem_part){ i + 1, m->send_ref, m->pool->now() };
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

/* The worker takes the configuration in force when it changed (a reload). */
static void
modem_follow_config(struct modem *m)
{
	const struct config *old = NULL;

	pthread_mutex_lock(&m->pool->lock);
	if (m->live_gen != m->pool->live_gen) {
		old = m->live;
		m->live = config_ref(m->pool->live);
		m->live_gen = m->pool->live_gen;
	}
	pthread_mutex_unlock(&m->pool->lock);
	config_free(old);
}

static void
modem_step(struct modem *m)
{
	struct queue_msg msg, next;
	int64_t now = m->pool->now();
	int claim = 0;

	if (modem_device_gone(m) || !GSM_IsConnected(m->sm)) {
		modem_sync(m);
		modem_trouble(m, "the device went away", ERR_DEVICENOTEXIST);
		return;
	}
	modem_read_pending(m);
	if (now >= m->next_health) {
		modem_health(m);
		m->next_health = now + MODEM_HEALTH_S;
		if (m->sm == NULL)
			return;
	}
	if (m->incoming || now >= m->next_sweep) {
		modem_sweep(m);
		m->next_sweep = now + MODEM_SWEEP_S;
		if (m->sm == NULL)
			return;
	}
	if (m->state == MODEM_BENCHED) {
		modem_sync(m);
		if (sendpolicy_benched(&m->policy, now)) {
			modem_wait(m, MODEM_POLL_MS * 4);
			return;
		}
		m->next_health = 0;	/* back: the health check makes it ready */
		modem_set_state(m, MODEM_NO_NETWORK);
		return;
	}
	if (m->state != MODEM_READY) {
		modem_sync(m);
		modem_wait(m, MODEM_POLL_MS * 4);
		m->next_health = 0;	/* no network: look again soon */
		return;
	}
	if (!modem_flush_outcome(m, now) || now < m->db_retry_at) {
		/* the database refused a write: not a busy loop (a full disk) */
		modem_wait(m, (int)(m->db_retry_at > now ? m->db_retry_at - now : 1) * 1000);
		return;
	}
	if (modem_may_send(m, now) && (claim = queue_claim_next(m->db, m->cfg->name, now,
	    &msg)) == 1) {
		modem_db_ok(m);
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
	modem_listen(m, m->pool->change_fd >= 0 ? MODEM_IDLE_WATCHED_MS : MODEM_IDLE_MS);
}

static void *
modem_run(void *arg)
{
	struct modem *m = arg;

	modem_send_pause_us = (unsigned)m->cfg->send_pause_ms * 1000;
	modem_follow_config(m);
	while (!modem_stopping(m)) {
		modem_follow_config(m);
		if (m->state == MODEM_PIN_REFUSED) {
			modem_wait(m, 60 * 1000);	/* stays stopped: no second PIN */
			continue;
		}
		if (m->sm == NULL && access(m->device, F_OK) < 0) {
			/* unplugged: watch for it to come back, nothing to back off from */
			if (m->state != MODEM_RECONNECTING)
				modem_set_state(m, MODEM_RECONNECTING);
			modem_wait(m, MODEM_POLL_MS);
			continue;
		}
		if (m->sm == NULL && modem_connect(m) < 0) {
			if (m->state == MODEM_PIN_REFUSED)
				continue;
			m->backoff = sendpolicy_backoff(m->backoff, MODEM_BACKOFF_MAX_S);
			modem_set_state(m, MODEM_RECONNECTING);
			modem_wait(m, m->backoff * 1000);
			continue;
		}
		modem_step(m);
	}
	/* a last try; else the message stays 'sending', uncertain at the next start */
	modem_flush_outcome(m, m->pool->now());
	modem_disconnect(m);
	config_free(m->live);
	m->live = NULL;
	m->state = MODEM_STOPPED;
	modem_publish(m);
	return NULL;
}

/*
 * device = simulator: starts the built-in simulated modem on a pty behind
 * a symlink in a private directory, and uses that path as the device.
 */
static int
modem_start_simulator(struct modem *m, char *err, size_t errlen)
{
	struct modemsim_options opt = { 0 };
	char link[128], log[128];

	snprintf(m->sim_dir, sizeof(m->sim_dir), "/tmp/rappel-modemsim-XXXXXX");
	if (mkdtemp(m->sim_dir) == NULL) {
		snprintf(err, errlen, "[%s] cannot make a directory for the simulator: %s",
		    m->cfg->name, strerror(errno));
		return -1;
	}
	snprintf(link, sizeof(link), "%s/modem", m->sim_dir);
	snprintf(log, sizeof(log), "%s/sent.jsonl", m->sim_dir);
	opt.link_path = link;
	opt.log_path = log;
	opt.pin = m->cfg->pin;
	opt.operator_name = "Simulateur";
	if ((m->sim = modemsim_new(&opt)) == NULL || modemsim_start(m->sim) < 0) {
		snprintf(err, errlen, "[%s] cannot start the simulated modem", m->cfg->name);
		return -1;
	}
	snprintf(m->device, sizeof(m->device), "%s", modemsim_link(m->sim));
	log_info("modem: %s is the built-in simulator device=%s log=%s", m->cfg->name,
	    m->device, log);
	return 0;
}

/*
 * True when no modem began a libgammu call since the last look (seen[],
 * updated) and none is in one.
 */
static bool
modem_watch_quiet(struct modem_pool *pool, unsigned *seen)
{
	bool quiet = true;
	size_t i;

	for (i = 0; i < pool->nmodems; i++) {
		unsigned calls = atomic_load(&pool->modems[i].calls);
		if (calls != seen[i] || pool->modems[i].call_deadline != 0)
			quiet = false;
		seen[i] = calls;
	}
	return quiet;
}

/*
 * The watcher: libgammu waits up to tens of seconds for an answer from a
 * device that was unplugged (its reads just fail).  Every MODEM_POLL_MS
 * this thread looks at each connected modem's device path and, when it is
 * gone or names another node, aborts the running libgammu call
 * (GSM_AbortOperation() is thread-safe), so the worker notices at once.
 * After MODEM_WATCH_QUIET looks without a call it rests until a worker
 * begins one (modem_call_begin()): an idle worker, waiting in poll() on
 * its port, sees an unplug itself.  Twice a second was half of an idle
 * rappeld's CPU.
 */
static void *
modem_watch(void *arg)
{
	struct modem_pool *pool = arg;
	unsigned seen[CONFIG_MAX_MODEMS] = { 0 };
	int quiet = 0;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&pool->lock);
		if (!pool->stopping) {
			struct timespec until;
			modem_deadline(MODEM_POLL_MS, &until);
			if (quiet >= MODEM_WATCH_QUIET) {
				atomic_store(&pool->watch_resting, true);
				/* looked at again once resting shows: a call may just have begun */
				if (modem_watch_quiet(pool, seen))
					modem_deadline(MODEM_WATCH_REST_MS, &until);
			}
			pthread_cond_timedwait(&pool->watch_wake, &pool->lock, &until);
			atomic_store(&pool->watch_resting, false);
		}
		if (pool->stopping) {
			pthread_mutex_unlock(&pool->lock);
			return NULL;
		}
		pthread_mutex_unlock(&pool->lock);
		quiet = modem_watch_quiet(pool, seen) ? quiet + 1 : 0;
		for (i = 0; i < pool->nmodems; i++) {
			struct modem *m = &pool->modems[i];
			pthread_mutex_lock(&m->sm_lock);
			if (m->sm != NULL && m->dev_ino != 0 && modem_device_gone(m)) {
				GSM_AbortOperation(m->sm);
			} else if (m->sm != NULL && m->call_deadline != 0 &&
			    modem_mono_s() > m->call_deadline) {
				log_warn("modem: %s does not answer sensibly; call aborted after "
				    "%d s", m->cfg->name, MODEM_CALL_MAX_S);
				m->call_deadline = 0;
				m->aborted = true;
				GSM_AbortOperation(m->sm);
			}
			pthread_mutex_unlock(&m->sm_lock);
		}
	}
}

/*
 * Every commit, by rappeld or by another process such as rappelctl send,
 * writes to the database's WAL file: an inotify watch on it lets an idle
 * worker look at the queue at once instead of at its next timeout.  The
 * file lives as long as a connection is open, and rappeld keeps its own.
 * The first write of a commit comes before the commit can be read (the
 * WAL is flushed, then its index updated): a look then may find nothing,
 * and a command's only commit would wait for the timeout.  The close of
 * the file by a process that wrote to it (rappelctl ending) comes after,
 * so it is watched too.  -1 when it cannot be watched: the shorter
 * timeout is used instead.
 */
static int
modem_watch_commits(const char *db_path)
{
	char wal[PATH_MAX];
	int fd;

	if (db_path == NULL || (size_t)snprintf(wal, sizeof(wal), "%s-wal", db_path) >=
	    sizeof(wal) || (fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		return -1;
	if (inotify_add_watch(fd, wal, IN_MODIFY | IN_CLOSE_WRITE) < 0) {
		log_info("modem: cannot watch %s for commits (%s): looking at the queue "
		    "every %d ms", wal, strerror(errno), MODEM_IDLE_MS);
		close(fd);
		return -1;
	}
	return fd;
}

struct modem_pool *
modem_pool_start(const struct config *cfg, int64_t (*now)(void), char *err, size_t errlen)
{
	struct modem_pool *pool = calloc(1, sizeof(*pool));
	size_t i;

	if (pool == NULL)
		fatal("modem: out of memory");
	pool->cfg = config_ref(cfg);
	pool->live = config_ref(cfg);
	pool->live_gen = 1;
	pool->now = now;
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->wake, NULL);
	pthread_cond_init(&pool->watch_wake, NULL);
	pool->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);	/* -1: modem_listen() sleeps */
	pool->change_fd = modem_watch_commits(cfg->db_path);
	for (i = 0; i < cfg->nmodems; i++) {
		struct modem *m = &pool->modems[i];
		m->pool = pool;
		m->cfg = &cfg->modems[i];
		m->signal = -1;
		m->port_fd = -1;
		m->state = MODEM_CONNECTING;
		pthread_mutex_init(&m->sm_lock, NULL);
		snprintf(m->device, sizeof(m->device), "%s", m->cfg->device);
		if (strcmp(m->cfg->device, "simulator") == 0 &&
		    modem_start_simulator(m, err, errlen) < 0) {
			modemsim_free(m->sim);
			goto fail;
		}
		if ((m->db = db_open(cfg->db_path, err, errlen)) == NULL) {
			modemsim_free(m->sim);
			goto fail;
		}
		if (pthread_create(&m->thread, NULL, modem_run, m) != 0) {
			snprintf(err, errlen, "cannot start the thread of [%s]", m->cfg->name);
			db_close(m->db);
			modemsim_free(m->sim);
			goto fail;
		}
		pool->nmodems++;
	}
	if (pool->nmodems > 0) {
		if (pthread_create(&pool->watcher, NULL, modem_watch, pool) != 0) {
			snprintf(err, errlen, "cannot start the modem watcher thread");
			goto fail;
		}
		pool->watching = true;
	}
	return pool;
fail:
	modem_pool_stop(pool);
	return NULL;
}

int
modem_pool_simulate(struct modem_pool *pool, const char *from, const char *text)
{
	size_t i;

	for (i = 0; pool && i < pool->nmodems; i++) {
		struct modemsim *sim = pool->modems[i].sim;
		if (sim == NULL)
			continue;
		/* GSM-7 when it can, else UCS-2, as a phone does */
		if (modemsim_inject_sms(sim, from, text, MODEMSIM_GSM7) > 0 ||
		    modemsim_inject_sms(sim, from, text, MODEMSIM_UCS2) > 0)
			return 0;
		return -1;
	}
	return -1;
}

void
modem_pool_on_received(struct modem_pool *pool, void (*fn)(void *), void *arg)
{
	if (pool == NULL)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->received = fn;
	pool->received_arg = arg;
	pthread_mutex_unlock(&pool->lock);
}

/* Ends a modem_listen() in progress (or the next one): the eventfd stays readable. */
static void
modem_pool_kick(struct modem_pool *pool)
{
	uint64_t one = 1;

	if (pool->wake_fd >= 0 && write(pool->wake_fd, &one, sizeof(one)) < 0)
		log_debug("modem: cannot write the wake eventfd: %s", strerror(errno));
}

void
modem_pool_set_config(struct modem_pool *pool, const struct config *cfg)
{
	const struct config *old;

	if (pool == NULL)
		return;
	pthread_mutex_lock(&pool->lock);
	old = pool->live;
	pool->live = config_ref(cfg);
	pool->live_gen++;
	pthread_mutex_unlock(&pool->lock);
	config_free(old);
}

void
modem_pool_wake(struct modem_pool *pool)
{
	if (pool == NULL)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->woken = true;
	pthread_cond_broadcast(&pool->wake);
	pthread_mutex_unlock(&pool->lock);
	modem_pool_kick(pool);
}

void
modem_pool_stop(struct modem_pool *pool)
{
	size_t i;

	if (pool == NULL)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->stopping = true;
	pthread_cond_broadcast(&pool->wake);
	pthread_cond_signal(&pool->watch_wake);
	pthread_mutex_unlock(&pool->lock);
	modem_pool_kick(pool);
	if (pool->watching)
		pthread_join(pool->watcher, NULL);
	for (i = 0; i < pool->nmodems; i++) {
		struct modem *m = &pool->modems[i];
		pthread_join(m->thread, NULL);
		pthread_mutex_destroy(&m->sm_lock);
		db_close(m->db);
		modemsim_free(m->sim);
		if (m->sim_dir[0]) {
			char log[128];
			snprintf(log, sizeof(log), "%s/sent.jsonl", m->sim_dir);
			unlink(log);
			rmdir(m->sim_dir);
		}
	}
	pthread_cond_destroy(&pool->wake);
	pthread_cond_destroy(&pool->watch_wake);
	if (pool->wake_fd >= 0)
		close(pool->wake_fd);
	if (pool->change_fd >= 0)
		close(pool->change_fd);
	pthread_mutex_destroy(&pool->lock);
	config_free(pool->live);
	config_free(pool->cfg);
	free(pool);
}
