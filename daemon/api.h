/*
 * api — shared helpers of the JSON API handlers (api_*.c): typed access to
 * the request body that answers 400 with the field at fault, and the
 * audit actor of a request.  The route table lives in api.c.
 */
#ifndef RAPPEL_API_H
#define RAPPEL_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "audit.h"
#include "error.h"
#include "http.h"

/*
 * Reads obj[key] as a string into *out (borrowed from obj).  Absent or
 * null: *out = NULL, and -1 with a 400 when required.  Another type: -1
 * with a 400 naming the field.
 */
int api_get_string(json_t *obj, const char *key, bool required, const char **out,
    struct error *err);
/*
 * When obj has key, replaces *dst (freed) with a copy of its string; null
 * (and "" when empty_is_null) gives NULL, or "" when not empty_is_null.
 * Another type: -1 with a 400 naming the field.
 */
int api_get_text(json_t *obj, const char *key, bool empty_is_null, char **dst,
    struct error *err);

/*
 * Reads obj[key], an ISO 8601 time (time_parse), into *out when present;
 * null or "" give 0.  Another value: -1 with a 400 naming the field.
 */
int api_get_time(json_t *obj, const char *key, int64_t *out, struct error *err);
/* Reads a boolean; absent leaves *out unchanged and *present false. */
int api_get_bool(json_t *obj, const char *key, bool *out, bool *present, struct error *err);
/* Reads an array of positive integer ids, duplicates dropped; caller frees *ids. */
int api_get_ids(json_t *obj, const char *key, int64_t **ids, size_t *n, struct error *err);
/* Checks that obj has no key outside allowed (NULL-terminated). */
int api_check_keys(json_t *obj, const char *const *allowed, struct error *err);

struct audit_actor api_actor(const struct http_req *req);

/* Column col of a row as JSON: a time (ISO 8601), an integer, a text; null for NULL. */
json_t *api_time_or_null(sqlite3_stmt *st, int col);
json_t *api_int_or_null(sqlite3_stmt *st, int col);
json_t *api_text_or_null(sqlite3_stmt *st, int col);

/*
 * The body readers of the write routes: each applies the fields present
 * in a request body (a JSON object, as http.c parsed it) to a record,
 * without the database, and answers -1 with a 400 naming the field (403
 * for what the user's role forbids).
 * Strings they store are owned by the record (its *_clear() frees them).
 * The handlers call them before the module's own checks; the fuzz target
 * tests/fuzz/fuzz_json.c calls them directly.
 */
struct campaign;
struct contact;
struct event;
/* req->json into c; warnings (may be NULL) gets the numbers that take no SMS. */
int api_contact_apply(struct http_req *req, struct contact *c, json_t *warnings,
    struct error *err);
/* req->json into e; an animateur (req->user) cannot give the atelier away. */
int api_events_apply(struct http_req *req, struct event *e, struct error *err);
/* {"answer", "present"} into *answer (-1: absent) and *present (-2: absent, -1: null). */
int api_events_rsvp_body(json_t *body, int *answer, int *present, struct error *err);
int api_campaigns_apply(json_t *body, struct campaign *c, struct error *err);
/*
 * Adds to j (a campaign's JSON) what its page shows: texts, recipients,
 * answers, sends (api_campaign_page.c, docs/api.md).  0 or -1.
 */
int api_campaign_page(struct db *db, const struct config *cfg, const struct campaign *c,
    int64_t now, json_t *j);
/* body's "role" into *role, *present false when absent or null. */
int api_users_role(json_t *body, enum auth_role *role, bool *present, struct error *err);

/* Handlers, by file. */
int api_healthz(struct http_req *req);
int api_settings_get(struct http_req *req);
int api_settings_update(struct http_req *req);
int api_texts_get(struct http_req *req);
int api_texts_update(struct http_req *req);
int api_metrics(struct http_req *req);
int api_session_login(struct http_req *req);
int api_session_logout(struct http_req *req);
int api_session_get(struct http_req *req);
int api_session_password(struct http_req *req);

int api_contacts_list(struct http_req *req);
int api_contacts_create(struct http_req *req);
int api_contacts_get(struct http_req *req);
int api_contacts_update(struct http_req *req);
int api_contacts_delete(struct http_req *req);
int api_contacts_import(struct http_req *req);
int api_contacts_import_columns(struct http_req *req);
int api_contacts_export(struct http_req *req);
int api_contacts_history(struct http_req *req);

int api_groups_list(struct http_req *req);
int api_groups_create(struct http_req *req);
int api_groups_get(struct http_req *req);
int api_groups_update(struct http_req *req);
int api_groups_delete(struct http_req *req);

int api_users_list(struct http_req *req);
int api_users_staff(struct http_req *req);
int api_users_create(struct http_req *req);
int api_users_update(struct http_req *req);
int api_users_delete(struct http_req *req);
int api_audit_list(struct http_req *req);
int api_tokens_list(struct http_req *req);
int api_tokens_create(struct http_req *req);
int api_tokens_revoke(struct http_req *req);

/*
 * The atelier {id} of a request (an animateur's own only), and the session
 * ?occurrence= of it (else the one in progress or next, else the last).
 * 0, or -1 with *answer the 404 already sent.
 */
struct event_occ;
int api_events_load(struct http_req *req, struct event *e, int *answer);
int api_events_session(struct http_req *req, const struct event *e, struct event_occ *o,
    int *answer);

int api_events_list(struct http_req *req);
int api_events_create(struct http_req *req);
int api_events_get(struct http_req *req);
int api_events_update(struct http_req *req);
int api_events_delete(struct http_req *req);
int api_events_restore(struct http_req *req);
int api_events_occurrences(struct http_req *req);
int api_events_occurrence_update(struct http_req *req);
int api_events_rsvps(struct http_req *req);
int api_calls_list(struct http_req *req);
int api_calls_session(struct http_req *req);
int api_calls_record(struct http_req *req);
int api_events_rsvp_set(struct http_req *req);
int api_events_report(struct http_req *req);
int api_events_chase_preview(struct http_req *req);
int api_events_chase_send(struct http_req *req);
int api_reports_coming(struct http_req *req);
int api_reports_sessions(struct http_req *req);

int api_calendar_all(struct http_req *req);
int api_calendar_event(struct http_req *req);
int api_calendars_list(struct http_req *req);
int api_calendars_renew(struct http_req *req);
int api_card_get(struct http_req *req);
int api_card_qr(struct http_req *req);

int api_campaigns_list(struct http_req *req);
int api_campaigns_create(struct http_req *req);
int api_campaigns_preview(struct http_req *req);
int api_campaigns_get(struct http_req *req);
int api_campaigns_update(struct http_req *req);
int api_campaigns_delete(struct http_req *req);
int api_campaigns_schedule(struct http_req *req);
int api_campaigns_cancel(struct http_req *req);
int api_campaigns_unschedule(struct http_req *req);
int api_campaigns_runs(struct http_req *req);

int api_messages_list(struct http_req *req);
int api_messages_create(struct http_req *req);
int api_messages_get(struct http_req *req);
int api_messages_resend(struct http_req *req);
int api_messages_cancel(struct http_req *req);
int api_status(struct http_req *req);
int api_replies_list(struct http_req *req);
int api_replies_update(struct http_req *req);
int api_inbox(struct http_req *req);
int api_inbox_thread(struct http_req *req);
int api_simulator_reply(struct http_req *req);

#endif
