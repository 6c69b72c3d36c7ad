/*
 * api_messages — /api/v1/messages (send one SMS now, history, resend,
 * cancel) and /api/v1/status (modems and queue).  Reads the tables
 * directly; every state change goes through queue.c.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "contacts.h"
#include "families.h"
#include "log.h"
#include "modemstatus.h"
#include "optout.h"
#include "queue.h"
#include "replies.h"
#include "settings.h"
#include "timeutil.h"
#include "webhook.h"
#include "window.h"

#define API_MESSAGE_COLUMNS "id, campaign_id, contact_id, to_number, body, encoding, " \
	"parts, status, attempts, error, queued_at, sent_at, delivered_at, modem, not_before"

/*
 * Why queued messages wait, as of one request: the sending hours and days
 * (window_wait()) and whether a modem is ready.  The reason is
 * "scheduled" (its time has not come), "day" (not a sending day),
 * "hours" (outside the sending hours), "modem" (no modem ready) or "next"
 * (it leaves as soon as a modem takes it); "until" is when it may leave.
 */
struct api_wait {
	const struct config *cfg;
	int64_t now;
	bool modem_ready;
};

/* w for the request, from the modems' rows ms (n of them) already read. */
static void
api_wait_of(const struct http_req *req, const struct modemstatus *ms, size_t n,
    struct api_wait *w)
{
	size_t i;

	w->cfg = req->cfg;
	w->now = req->now;
	w->modem_ready = false;
	for (i = 0; i < n; i++)
		w->modem_ready |= strcmp(ms[i].state, "ready") == 0;
}

static void
api_wait_init(struct http_req *req, struct api_wait *w)
{
	struct modemstatus *ms = NULL;
	size_t n = 0;

	if (modemstatus_read(req->app->db, &ms, &n) < 0)
		n = 0;
	api_wait_of(req, ms, n, w);
	free(ms);
}

static json_t *
api_wait_json(const struct api_wait *w, int64_t not_before)
{
	static const char *const reasons[] = {
		[WINDOW_WAIT_NONE] = "next", [WINDOW_WAIT_SCHEDULED] = "scheduled",
		[WINDOW_WAIT_DAY] = "day", [WINDOW_WAIT_HOURS] = "hours",
	};
	int64_t until;
	enum window_wait why = window_wait(w->cfg, w->now, not_before, &until);
	const char *reason = why == WINDOW_WAIT_NONE && !w->modem_ready ? "modem" :
	    reasons[why];

	return json_pack("{s:s, s:o}", "reason", reason, "until",
	    strcmp(reason, "modem") == 0 || until < 0 ? json_null() : time_json(until));
}

json_t *
api_time_or_null(sqlite3_stmt *st, int col)
{
	char iso[TIME_ISO_MAX];

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	time_format_iso(sqlite3_column_int64(st, col), iso);
	return json_string(iso);
}

json_t *
api_int_or_null(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	return json_integer(sqlite3_column_int64(st, col));
}

json_t *
api_text_or_null(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? json_string((const char *)t) : json_null();
}

/* One row of API_MESSAGE_COLUMNS as the API's JSON object; w says why a queued one waits. */
static json_t *
api_message_json(sqlite3_stmt *st, const struct api_wait *w)
{
	json_t *m = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:i, s:o, s:i, s:o, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0),
	    "campaign_id", api_int_or_null(st, 1),
	    "contact_id", api_int_or_null(st, 2),
	    "to", api_text_or_null(st, 3),
	    "body", api_text_or_null(st, 4),
	    "encoding", api_text_or_null(st, 5),
	    "parts", sqlite3_column_int(st, 6),
	    "status", api_text_or_null(st, 7),
	    "attempts", sqlite3_column_int(st, 8),
	    "error", api_text_or_null(st, 9),
	    "queued_at", api_time_or_null(st, 10),
	    "sent_at", api_time_or_null(st, 11),
	    "delivered_at", api_time_or_null(st, 12),
	    "modem", api_text_or_null(st, 13));

	if (m && w && sqlite3_column_text(st, 7) &&
	    strcmp((const char *)sqlite3_column_text(st, 7), "queued") == 0)
		json_object_set_new(m, "waiting", api_wait_json(w, sqlite3_column_int64(st, 14)));
	return m;
}

static json_t *
api_message_get(struct http_req *req, int64_t id)
{
	DB_SQL(sql, "SELECT " API_MESSAGE_COLUMNS " FROM messages WHERE id = ?");
	sqlite3_stmt *st = db_stmt(req->app->db, sql);
	struct api_wait w;
	json_t *m = NULL;

	if (st == NULL)
		return NULL;
	api_wait_init(req, &w);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		m = api_message_json(st, &w);
	sqlite3_reset(st);
	return m;
}

/*
 * The number to write to: "to" as typed, or the contact's first number
 * that takes SMS and has not opted out (queue_add() refuses opt-outs).
 */
static int
api_message_recipient(struct http_req *req, char to[PHONE_E164_MAX], int64_t *contact_id,
    struct error *err)
{
	struct contact c;
	const char *typed;
	enum phone_kind kind;
	const char *reason = NULL;
	json_t *cid = json_object_get(req->json, "contact_id");
	size_t i, j;

	*contact_id = 0;
	if (cid) {
		if (!json_is_integer(cid) || json_integer_value(cid) <= 0)
			return error_set(err, ERR_INVALID, "invalid_type", "contact_id",
			    "« contact_id » doit être un numéro de contact.");
		if (contacts_load(req->app->db, json_integer_value(cid), &c, err) < 0) {
			err->field = "contact_id";
			return -1;
		}
		/* the first that takes SMS and did not send STOP, else the first (refused) */
		for (i = 0; i < c.nphones && !(c.phones[i].sms && !c.phones[i].opted_out_at); i++)
			;
		for (j = 0; i == c.nphones && j < c.nphones; j++)
			if (c.phones[j].sms) {
				i = j;
				break;
			}
		if (i == c.nphones) {
			contact_clear(&c);
			return error_set(err, ERR_INVALID, "no_sms_number", "contact_id",
			    "Ce contact n'a aucun numéro qui reçoit les SMS.");
		}
		snprintf(to, PHONE_E164_MAX, "%s", c.phones[i].number);
		*contact_id = c.id;
		contact_clear(&c);
		return 0;
	}
	if (api_get_string(req->json, "to", true, &typed, err) < 0)
		return -1;
	if (phone_normalize(typed, to, &kind, &reason) < 0)
		return error_set(err, ERR_INVALID, "invalid_phone", "to",
		    "Numéro « %s » invalide : %s.",
		    typed, reason);
	if (!phone_kind_can_sms(kind))
		return error_set(err, ERR_INVALID, "no_sms_number", "to",
		    "Ce numéro est un fixe ou un numéro spécial : il ne reçoit pas les SMS.");
	*contact_id = contacts_find_by_number(req->app->db, to);
	return 0;
}

int
api_messages_create(struct http_req *req)
{
	static const char *const keys[] = { "to", "contact_id", "body", NULL };
	struct error err = { 0 };
	char to[PHONE_E164_MAX];
	const char *body;
	int64_t contact_id, id;
	json_t *m;

	if (req->json == NULL)
		return http_reply_fail(req, 400, "invalid_json", NULL,
		    "Envoyez {\"to\" ou \"contact_id\", \"body\"}.");
	if (api_check_keys(req->json, keys, &err) < 0 ||
	    api_get_string(req->json, "body", true, &body, &err) < 0 ||
	    api_message_recipient(req, to, &contact_id, &err) < 0 ||
	    queue_add(req->app->db, to, contact_id, body, QUEUE_DIRECT, req->user.login, req->now, &id,
	    &err) < 0)
		return http_reply_error(req, &err);
	if ((m = api_message_get(req, id)) == NULL)
		return http_reply_kind(req, ERR_INTERNAL);
	return http_reply_json(req, 201, m);
}

/* An animateur's scope: the messages about the ateliers they run. */
#define API_MESSAGE_OF_OWNER "event_id IN (SELECT id FROM events WHERE owner_id = ?5)"

static int64_t
api_messages_owner(const struct http_req *req)
{
	return req->user.role == AUTH_ROLE_ANIMATEUR ? req->user.id : 0;
}

/* True when the user may see message id. */
static bool
api_messages_visible(struct http_req *req, int64_t id)
{
	DB_SQL(sql, "SELECT 1 FROM messages WHERE id = ?1 AND "
	    "(?5 = 0 OR " API_MESSAGE_OF_OWNER ")");
	sqlite3_stmt *st = db_stmt(req->app->db, sql);
	bool yes;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 5, api_messages_owner(req));
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

int
api_messages_get(struct http_req *req)
{
	json_t *m = api_messages_visible(req, req->ids[0]) ?
	    api_message_get(req, req->ids[0]) : NULL;

	if (m == NULL)
		return http_reply_fail(req, 404, "not_found", NULL, "Ce message n'existe pas.");
	return http_reply_json(req, 200, m);
}

static int
api_messages_int_arg(struct http_req *req, const char *name, int64_t *out)
{
	const char *v = http_arg(req, name);
	char *end;

	*out = 0;
	if (v == NULL || v[0] == '\0')
		return 0;
	*out = strtoll(v, &end, 10);
	if (*end != '\0' || *out <= 0)
		return -1;
	return 0;
}

int
api_messages_list(struct http_req *req)
{
	DB_SQL(sql, "SELECT " API_MESSAGE_COLUMNS " FROM messages WHERE "
	    "(?1 IS NULL OR status = ?1) AND (?2 = 0 OR campaign_id = ?2) "
	    "AND (?3 = 0 OR contact_id = ?3) AND (?5 = 0 OR " API_MESSAGE_OF_OWNER ") "
	    "ORDER BY id DESC LIMIT ?4");
	static const char *const statuses[] = { "queued", "sending", "sent", "delivered",
		"failed", "uncertain", "cancelled", NULL };
	const char *status = http_arg(req, "status");
	int64_t campaign, contact, limit;
	struct api_wait w;
	sqlite3_stmt *st;
	json_t *list;
	size_t i;

	if (status && status[0]) {
		for (i = 0; statuses[i] && strcmp(statuses[i], status) != 0; i++)
			;
		if (statuses[i] == NULL)
			return http_reply_fail(req, 400, "invalid", "status", "Statut inconnu : "
			    "queued, sending, sent, delivered, failed, uncertain ou cancelled.");
	} else {
		status = NULL;
	}
	if (api_messages_int_arg(req, "campaign_id", &campaign) < 0 ||
	    api_messages_int_arg(req, "contact_id", &contact) < 0 ||
	    api_messages_int_arg(req, "limit", &limit) < 0)
		return http_reply_fail(req, 400, "invalid", NULL,
		    "campaign_id, contact_id et limit sont des nombres positifs.");
	if ((st = db_stmt(req->app->db, sql)) == NULL)
		return http_reply_kind(req, ERR_INTERNAL);
	if (status)
		sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, campaign);
	sqlite3_bind_int64(st, 3, contact);
	sqlite3_bind_int64(st, 4, limit ? limit : 1000);
	sqlite3_bind_int64(st, 5, api_messages_owner(req));
	api_wait_init(req, &w);
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, api_message_json(st, &w));
	sqlite3_reset(st);
	return http_reply_json(req, 200, list);
}

int
api_messages_resend(struct http_req *req)
{
	struct error err = { 0 };

	if (queue_resend(req->app->db, req->ids[0], req->now, &err) < 0)
		return http_reply_error(req, &err);
	log_info("queue: resend id=%lld by=%s", (long long)req->ids[0], req->user.login);
	return http_reply_json(req, 200, api_message_get(req, req->ids[0]));
}

int
api_messages_cancel(struct http_req *req)
{
	struct error err = { 0 };

	if (queue_cancel(req->app->db, req->ids[0], req->now, &err) < 0)
		return http_reply_error(req, &err);
	return http_reply_json(req, 200, api_message_get(req, req->ids[0]));
}

/* [backup] and the outcome of the last nightly copy (daily.c records it). */
static json_t *
api_status_backup(struct http_req *req)
{
	DB_SQL(sql, "SELECT at, action, details FROM audit_log "
	    "WHERE entity = 'database' AND action IN ('backup', 'backup_failed') "
	    "ORDER BY id DESC LIMIT 1");
	const struct config *cfg = req->cfg;
	sqlite3_stmt *st = db_stmt(req->app->db, sql);
	json_t *last = json_null(), *d;
	char at[8];

	if (st && sqlite3_step(st) == SQLITE_ROW) {
		d = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
		last = json_pack("{s:o, s:b, s:O?, s:O?}", "at", api_time_or_null(st, 0), "ok",
		    strcmp((const char *)sqlite3_column_text(st, 1), "backup") == 0, "file",
		    json_object_get(d, "file"), "error", json_object_get(d, "error"));
		json_decref(d);
	}
	if (st)
		sqlite3_reset(st);
	snprintf(at, sizeof(at), "%02d:%02d", cfg->backup_time_min / 60 % 100,
	    cfg->backup_time_min % 60);
	return json_pack("{s:s?, s:s, s:i, s:o, s:i}", "dir", cfg->backup_dir, "time", at,
	    "keep", cfg->backup_keep, "last", last, "retention_months", cfg->retention_months);
}

int
api_status(struct http_req *req)
{
	static const char *const counted[] = { "queued", "sending", "failed", "uncertain" };
	json_t *modems = json_array(), *queue = json_object();
	struct modemstatus *ms;
	struct api_wait w;
	long long free_bytes;
	int64_t next;
	size_t i, n;

	if (modemstatus_read(req->app->db, &ms, &n) < 0)
		n = 0;
	for (i = 0; i < n; i++)
		json_array_append_new(modems, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:I, "
		    "s:o}", "name", ms[i].name, "device", ms[i].device, "state", ms[i].state,
		    "signal_percent", ms[i].signal >= 0 ? json_integer(ms[i].signal) :
		    json_null(), "operator", ms[i].operator[0] ? json_string(ms[i].operator) :
		    json_null(), "last_error", ms[i].last_error[0] ?
		    json_string(ms[i].last_error) : json_null(),
		    "sent_total", (json_int_t)ms[i].sent_total,
		    "updated_at", time_json(ms[i].updated_at)));
	api_wait_of(req, ms, n, &w);
	free(ms);
	for (i = 0; i < sizeof(counted) / sizeof(counted[0]); i++)
		json_object_set_new(queue, counted[i],
		    json_integer(queue_count(req->app->db, counted[i])));
	/* why the first of the queued messages waits, and until when */
	if (json_integer_value(json_object_get(queue, "queued")) > 0 &&
	    (next = queue_next_due(req->app->db)) >= 0)
		json_object_set_new(queue, "waiting", api_wait_json(&w, next));
	free_bytes = db_free_bytes(req->cfg->db_path);
	return http_reply_json(req, 200, json_pack("{s:s, s:o, s:o, s:{s:o, s:b}, s:o, s:o, "
	    "s:o, s:o, s:i}", "version", RAPPEL_VERSION, "modems", modems, "queue", queue,
	    "disk", "free_bytes", free_bytes < 0 ? json_null() : json_integer(free_bytes),
	    "full", free_bytes >= 0 && free_bytes < DB_DISK_FULL_BYTES,
	    "backup", api_status_backup(req),
	    "centre", json_pack("{s:s, s:s, s:s?, s:s}", "name", req->cfg->centre_name,
	    "phone", req->cfg->centre_phone, "sms_number", req->cfg->centre_sms_number,
	    "timezone", req->cfg->timezone),
	    "sending", settings_sending_json(req->cfg),
	    "webhooks", webhook_status_json(req->app->db, req->cfg),
	    /* many means the texts do not say clearly enough who writes */
	    "who_asked_30d", replies_count_intent(req->app->db, INTENT_WHO,
	    req->now - 30 * 24 * 3600)));
}

#define API_REPLY_COLUMNS "id, from_number, contact_id, body, received_at, intent, " \
	"message_id, event_id, handled, sent_at, event_occurrence, kind"

static json_t *
api_reply_json(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0),
	    "from", api_text_or_null(st, 1),
	    "contact_id", api_int_or_null(st, 2),
	    "body", api_text_or_null(st, 3),
	    "received_at", api_time_or_null(st, 4),
	    "intent", api_text_or_null(st, 5),
	    "message_id", api_int_or_null(st, 6),
	    "event_id", api_int_or_null(st, 7),
	    "handled", sqlite3_column_int(st, 8) != 0,
	    "sent_at", api_time_or_null(st, 9),
	    "occurrence", api_int_or_null(st, 10),
	    "kind", api_text_or_null(st, 11));
}

/* GET /api/v1/replies?handled=0|1&contact_id= — unhandled first, newest first. */
int
api_replies_list(struct http_req *req)
{
	DB_SQL(sql, "SELECT " API_REPLY_COLUMNS " FROM replies WHERE "
	    "(?1 < 0 OR handled = ?1) AND (?2 = 0 OR contact_id = ?2) "
	    "AND (?5 = 0 OR " API_MESSAGE_OF_OWNER ") "
	    "ORDER BY handled, id DESC LIMIT 1000");
	const char *h = http_arg(req, "handled");
	int64_t contact;
	sqlite3_stmt *st;
	json_t *list;

	if (api_messages_int_arg(req, "contact_id", &contact) < 0)
		return http_reply_fail(req, 400, "invalid", "contact_id",
		    "« contact_id » doit être un numéro de contact.");
	if ((st = db_stmt(req->app->db, sql)) == NULL)
		return http_reply_kind(req, ERR_INTERNAL);
	sqlite3_bind_int(st, 1, h == NULL ? -1 : strcmp(h, "1") == 0 || strcmp(h, "true") == 0);
	sqlite3_bind_int64(st, 2, contact);
	sqlite3_bind_int64(st, 5, api_messages_owner(req));
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, api_reply_json(st));
	sqlite3_reset(st);
	return http_reply_json(req, 200, list);
}

/* PATCH /api/v1/replies/{id} {"handled": bool} */
int
api_replies_update(struct http_req *req)
{
	static const char *const keys[] = { "handled", NULL };
	DB_SQL(sql_get, "SELECT " API_REPLY_COLUMNS " FROM replies WHERE id = ?1 "
	    "AND (?5 = 0 OR " API_MESSAGE_OF_OWNER ")");
	struct error err = { 0 };
	bool handled = false, present = false;
	struct audit_actor actor = api_actor(req);
	sqlite3_stmt *st;
	json_t *r = NULL;

	if (req->json == NULL || api_check_keys(req->json, keys, &err) < 0 ||
	    api_get_bool(req->json, "handled", &handled, &present, &err) < 0 || !present) {
		if (err.kind == ERR_NONE)
			error_set(&err, ERR_INVALID, "missing_field", "handled",
			    "Envoyez {\"handled\": true} ou false.");
		return http_reply_error(req, &err);
	}
	/* an animateur handles the replies about their own ateliers only */
	if ((st = db_stmt(req->app->db, sql_get)) == NULL)
		return http_reply_kind(req, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, req->ids[0]);
	sqlite3_bind_int64(st, 5, api_messages_owner(req));
	present = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (!present)
		return http_reply_fail(req, 404, "not_found", NULL, "Cette réponse n'existe pas.");
	switch (replies_set_handled(req->app->db, req->ids[0], handled)) {
	case -1:
		return http_reply_kind(req, ERR_DB);
	case 0:
		return http_reply_fail(req, 404, "not_found", NULL, "Cette réponse n'existe pas.");
	default:
		break;
	}
	audit_record(req->app->db, &actor, req->now, handled ? "handled" : "unhandled", "reply",
	    req->ids[0], NULL);
	if ((st = db_stmt(req->app->db, sql_get)) != NULL) {
		sqlite3_bind_int64(st, 1, req->ids[0]);
		sqlite3_bind_int64(st, 5, api_messages_owner(req));
		if (sqlite3_step(st) == SQLITE_ROW)
			r = api_reply_json(st);
		sqlite3_reset(st);
	}
	return http_reply_json(req, 200, r ? r : json_object());
}

/*
 * SQL: the contact who has the number now (NULL: none).  A number that
 * wrote before it was given to a contact joins that contact's
 * conversation instead of staying one of its own.
 */
#define API_INBOX_CONTACT_OF(number) \
	"(SELECT p.contact_id FROM contact_phones p WHERE p.number = " number ")"
/* SQL: the numbers of contact id, for IN. */
#define API_INBOX_NUMBERS_OF(id) "(SELECT p.number FROM contact_phones p WHERE p.contact_id = " id ")"

/*
 * GET /api/v1/inbox — conversations, one per contact (or per number for
 * senders who are not contacts), those with replies to handle first:
 * {unhandled, threads: [{contact_id, first_name, last_name, number,
 * unhandled, last_at, last_body, last_intent, last_kind, opted_out_at}]};
 * last_kind is "call" when the last was a voice call (inbox.h); opted_out_at
 * is the contact's opt-out, or the number's for one who is no contact.
 */
int
api_inbox(struct http_req *req)
{
	DB_SQL(sql, "WITH r AS (SELECT id, handled, received_at, from_number, "
	    "coalesce(contact_id, " API_INBOX_CONTACT_OF("from_number") ") AS cid FROM replies "
	    "WHERE (from_number <> '' OR contact_id IS NOT NULL) "
	    "AND (?5 = 0 OR " API_MESSAGE_OF_OWNER ")), "
	    "t AS (SELECT max(id) AS last_id, sum(handled = 0) AS unhandled, "
	    "max(received_at) AS last_at, cid FROM r GROUP BY coalesce(cid, from_number)) "
	    "SELECT t.cid, c.first_name, c.last_name, coalesce((SELECT number "
	    "FROM contact_phones p WHERE p.contact_id = t.cid ORDER BY position "
	    "LIMIT 1), l.from_number), t.unhandled, t.last_at, l.body, l.intent, "
	    "CASE WHEN c.id IS NOT NULL THEN c.opted_out_at ELSE "
	    OPTOUT_SQL_SINCE("l.from_number") " END, l.kind "
	    "FROM t JOIN replies l ON l.id = t.last_id LEFT JOIN contacts c ON "
	    "c.id = t.cid ORDER BY t.unhandled > 0 DESC, t.last_at DESC LIMIT 500");
	sqlite3_stmt *st = db_stmt(req->app->db, sql);
	json_t *threads = json_array();
	json_int_t unhandled = 0;

	if (st == NULL) {
		json_decref(threads);
		return http_reply_kind(req, ERR_INTERNAL);
	}
	sqlite3_bind_int64(st, 5, api_messages_owner(req));
	while (sqlite3_step(st) == SQLITE_ROW) {
		unhandled += sqlite3_column_int64(st, 4);
		json_array_append_new(threads, json_pack("{s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, "
		    "s:o, s:o}",
		    "contact_id", api_int_or_null(st, 0),
		    "first_name", api_text_or_null(st, 1),
		    "last_name", api_text_or_null(st, 2),
		    "number", api_text_or_null(st, 3),
		    "unhandled", (json_int_t)sqlite3_column_int64(st, 4),
		    "last_at", api_time_or_null(st, 5),
		    "last_body", api_text_or_null(st, 6),
		    "last_intent", api_text_or_null(st, 7),
		    "opted_out_at", api_time_or_null(st, 8),
		    "last_kind", api_text_or_null(st, 9)));
	}
	sqlite3_reset(st);
	return http_reply_json(req, 200, json_pack("{s:I, s:o}", "unhandled", unhandled,
	    "threads", threads));
}

/*
 * GET /api/v1/inbox/thread?contact_id=|number= — what was sent to and
 * received from one person, in the order it happened: a message by when
 * a modem took it to send (else when it was queued), a reply by when it
 * came in, and in the same second the reply first (the thanks queued for
 * it come after it): [{direction: "out"|"in", id,
 * at, body, status (out), intent, handled and kind (in: "sms", or "call"
 * for a voice call, whose body is empty)}].
 */
int
api_inbox_thread(struct http_req *req)
{
	DB_SQL(sql, "SELECT 'out', id, coalesce(sent_at, queued_at), body, "
	    "status, NULL, NULL, NULL, NULL, NULL, coalesce(claimed_at, sent_at, queued_at) "
	    "FROM messages WHERE ((?1 <> 0 AND (contact_id = ?1 OR (contact_id IS NULL AND "
	    "to_number IN " API_INBOX_NUMBERS_OF("?1") "))) OR "
	    "(?1 = 0 AND to_number = ?2)) AND (?5 = 0 OR " API_MESSAGE_OF_OWNER ") "
	    "UNION ALL SELECT 'in', id, received_at, body, NULL, intent, handled, kind, "
	    "event_id, event_occurrence, received_at FROM replies "
	    "WHERE ((?1 <> 0 AND (contact_id = ?1 OR (contact_id IS NULL AND "
	    "from_number IN " API_INBOX_NUMBERS_OF("?1") "))) OR (?1 = 0 AND from_number = ?2)) "
	    "AND (?5 = 0 OR " API_MESSAGE_OF_OWNER ") "
	    "ORDER BY 11, 1, 2 LIMIT 1000");
	const char *number = http_arg(req, "number");
	sqlite3_stmt *st;
	int64_t contact;
	json_t *list, *item;

	if (api_messages_int_arg(req, "contact_id", &contact) < 0 ||
	    (contact == 0 && (number == NULL || number[0] == '\0')))
		return http_reply_fail(req, 400, "missing_field", "contact_id",
		    "Indiquez « contact_id » ou « number ».");
	if ((st = db_stmt(req->app->db, sql)) == NULL)
		return http_reply_kind(req, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, contact);
	sqlite3_bind_text(st, 2, number ? number : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, api_messages_owner(req));
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		item = json_pack("{s:s, s:I, s:o, s:o}",
		    "direction", sqlite3_column_text(st, 0),
		    "id", (json_int_t)sqlite3_column_int64(st, 1),
		    "at", api_time_or_null(st, 2),
		    "body", api_text_or_null(st, 3));
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			json_object_set_new(item, "status", api_text_or_null(st, 4));
		else
			json_object_set_new(item, "intent", api_text_or_null(st, 5));
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			json_object_set_new(item, "kind", api_text_or_null(st, 7));
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			json_object_set_new(item, "handled", json_boolean(sqlite3_column_int(st, 6)));
		if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
			json_object_set_new(item, "event_id", api_int_or_null(st, 8));
			json_object_set_new(item, "occurrence", api_int_or_null(st, 9));
		}
		json_array_append_new(list, item);
	}
	sqlite3_reset(st);
	return http_reply_json(req, 200, list);
}

/*
 * POST /api/v1/simulator/replies {from, body}: with the built-in simulated
 * modem only (the demo), the phone of `from` sends body to it (families.h).
 * 202: it comes in within a few seconds, like any SMS.
 */
int
api_simulator_reply(struct http_req *req)
{
	static const char *const keys[] = { "from", "body", NULL };
	struct error err = { 0 };
	const char *from = NULL, *body = NULL;

	if (req->json == NULL || api_check_keys(req->json, keys, &err) < 0 ||
	    api_get_string(req->json, "from", true, &from, &err) < 0 ||
	    api_get_string(req->json, "body", true, &body, &err) < 0 ||
	    families_simulate(req->app->db, req->cfg, from, body, req->now, &err) < 0) {
		if (err.kind == ERR_NONE)
			error_set(&err, ERR_INVALID, "missing_field", "from", "Envoyez {\"from\": "
			    "numéro, \"body\": texte}.");
		return http_reply_error(req, &err);
	}
	return http_reply_empty(req, 202);
}
