/*
 * api_metrics — GET /metrics in the Prometheus text format (version
 * 0.0.4), for an admin's token or session: messages by status, replies
 * by intent, the age of the oldest message waiting, each modem's state,
 * signal and count, campaigns by status, webhook notifications waiting
 * or given up, and HTTP answers by class.
 * Label values come from the database's own vocabularies (statuses,
 * intents, modem section names) and are escaped all the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "buf.h"
#include "modemstatus.h"
#include "queue.h"

/* Appends a label value with \ " and newline escaped, as the format asks. */
static void
api_metrics_label(struct buf *out, const char *v)
{
	for (; v && *v; v++) {
		if (*v == '\\' || *v == '"')
			buf_putc(out, '\\');
		if (*v == '\n')
			buf_puts(out, "\\n");
		else
			buf_putc(out, *v);
	}
}

static void
api_metrics_head(struct buf *out, const char *name, const char *type, const char *help)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One sample per row of sql (label value, number), under metric name{label="..."}. */
static void
api_metrics_rows(struct db *db, struct buf *out, const struct db_sql *sql, const char *name,
    const char *label)
{
	sqlite3_stmt *st = db_stmt(db, sql);

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		buf_printf(out, "%s{%s=\"", name, label);
		api_metrics_label(out, (const char *)sqlite3_column_text(st, 0));
		buf_printf(out, "\"} %lld\n", (long long)sqlite3_column_int64(st, 1));
	}
	if (st)
		sqlite3_reset(st);
}

/* rappel_webhook_notifications{webhook="...",status="..."} per row of sql. */
static void
api_metrics_webhooks(struct db *db, struct buf *out, const struct db_sql *sql)
{
	sqlite3_stmt *st = db_stmt(db, sql);

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		buf_puts(out, "rappel_webhook_notifications{webhook=\"");
		api_metrics_label(out, (const char *)sqlite3_column_text(st, 0));
		buf_puts(out, "\",status=\"");
		api_metrics_label(out, (const char *)sqlite3_column_text(st, 1));
		buf_printf(out, "\"} %lld\n", (long long)sqlite3_column_int64(st, 2));
	}
	if (st)
		sqlite3_reset(st);
}

static void
api_metrics_modems(struct db *db, struct buf *out)
{
	static const char *const names[] = { "rappel_modem_up", "rappel_modem_signal_percent",
		"rappel_modem_sent_total" };
	struct modemstatus *ms;
	size_t i, n;
	int col;

	api_metrics_head(out, names[0], "gauge", "1 when the modem is ready to send.");
	api_metrics_head(out, names[1], "gauge", "Signal strength, -1 when unknown.");
	api_metrics_head(out, names[2], "counter", "SMS parts the modem accepted.");
	if (modemstatus_read(db, &ms, &n) < 0)
		return;
	for (col = 0; col < 3; col++) {
		for (i = 0; i < n; i++) {
			buf_printf(out, "%s{modem=\"", names[col]);
			api_metrics_label(out, ms[i].name);
			buf_printf(out, "\"} %lld\n", col == 0 ? (long long)(strcmp(ms[i].state,
			    "ready") == 0) : col == 1 ? (long long)ms[i].signal : ms[i].sent_total);
		}
	}
	free(ms);
}

static long long
api_metrics_int(struct db *db, const struct db_sql *sql, int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	long long v = 0;

	if (st == NULL)
		return 0;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, now);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

int
api_metrics(struct http_req *req)
{
	static const char *const classes[] = { "1xx", "2xx", "3xx", "4xx", "5xx" };
	DB_SQL(sql_messages, "SELECT status, count(*) FROM messages GROUP BY status");
	DB_SQL(sql_oldest, "SELECT ifnull(?1 - min(not_before), 0) FROM messages "
	    "WHERE " QUEUE_SQL_DUE("'queued'") " AND not_before <= ?1");
	DB_SQL(sql_replies, "SELECT ifnull(intent, 'unknown'), count(*) FROM replies "
	    "GROUP BY intent");
	DB_SQL(sql_unhandled, "SELECT count(*) FROM replies WHERE handled = 0");
	DB_SQL(sql_campaigns, "SELECT status, count(*) FROM campaigns GROUP BY status");
	DB_SQL(sql_contacts, "SELECT count(*) FROM contacts");
	DB_SQL(sql_webhooks, "SELECT webhook, status, count(*) FROM webhook_deliveries "
	    "WHERE status IN ('pending', 'failed') GROUP BY webhook, status");
	struct db *db = req->db;
	struct buf out = { 0 };
	size_t len;
	int i;

	buf_printf(&out, "# HELP rappel_info The running version.\n# TYPE rappel_info gauge\n"
	    "rappel_info{version=\"%s\"} 1\n", RAPPEL_VERSION);
	api_metrics_head(&out, "rappel_messages", "gauge", "Outgoing messages by status.");
	api_metrics_rows(db, &out, sql_messages,
	    "rappel_messages", "status");
	api_metrics_head(&out, "rappel_queue_oldest_seconds", "gauge",
	    "How long the oldest due message has been waiting, 0 when none.");
	buf_printf(&out, "rappel_queue_oldest_seconds %lld\n", api_metrics_int(db,
	    sql_oldest, req->now));
	api_metrics_head(&out, "rappel_replies", "gauge", "Incoming SMS by intent.");
	api_metrics_rows(db, &out, sql_replies, "rappel_replies", "intent");
	api_metrics_head(&out, "rappel_replies_unhandled", "gauge",
	    "Replies waiting for a person.");
	buf_printf(&out, "rappel_replies_unhandled %lld\n", api_metrics_int(db,
	    sql_unhandled, req->now));
	api_metrics_head(&out, "rappel_campaigns", "gauge", "Campaigns by status.");
	api_metrics_rows(db, &out, sql_campaigns,
	    "rappel_campaigns", "status");
	api_metrics_head(&out, "rappel_contacts", "gauge", "Contacts stored.");
	buf_printf(&out, "rappel_contacts %lld\n", api_metrics_int(db,
	    sql_contacts, req->now));
	api_metrics_modems(db, &out);
	api_metrics_head(&out, "rappel_webhook_notifications", "gauge",
	    "Webhook notifications waiting or given up, by webhook and status.");
	api_metrics_webhooks(db, &out, sql_webhooks);
	api_metrics_head(&out, "rappel_http_requests_total", "counter",
	    "HTTP answers since start, by status class.");
	for (i = 0; i < 5; i++)
		buf_printf(&out, "rappel_http_requests_total{code=\"%s\"} %llu\n", classes[i],
		    (unsigned long long)http_requests_count(i + 1));
	len = out.len;
	return http_reply_raw(req, 200, "text/plain; version=0.0.4; charset=utf-8",
	    buf_steal(&out), len);
}
