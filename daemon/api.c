/*
 * api — the route table and the helpers shared by the handlers.
 */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "timeutil.h"

static const struct http_route api_routes[] = {
	{ "GET", "/healthz", api_healthz, HTTP_PUBLIC },
	{ "GET", "/metrics", api_metrics, HTTP_ADMIN },
	{ "POST", "/api/v1/session", api_session_login, HTTP_PUBLIC },
	{ "GET", "/api/v1/session", api_session_get, 0 },
	{ "DELETE", "/api/v1/session", api_session_logout, 0 },
	{ "POST", "/api/v1/session/password", api_session_password, 0 },

	{ "GET", "/api/v1/contacts", api_contacts_list, 0 },
	{ "POST", "/api/v1/contacts", api_contacts_create, HTTP_STAFF },
	{ "POST", "/api/v1/contacts/import", api_contacts_import, HTTP_STAFF | HTTP_RAW_BODY | HTTP_LONG },
	{ "POST", "/api/v1/contacts/import/columns", api_contacts_import_columns,
	    HTTP_STAFF | HTTP_RAW_BODY | HTTP_LONG },
	{ "GET", "/api/v1/contacts/export", api_contacts_export, HTTP_STAFF | HTTP_LONG },
	{ "GET", "/api/v1/contacts/{id}", api_contacts_get, 0 },
	{ "GET", "/api/v1/contacts/{id}/history", api_contacts_history, HTTP_STAFF },
	{ "PATCH", "/api/v1/contacts/{id}", api_contacts_update, HTTP_STAFF },
	{ "DELETE", "/api/v1/contacts/{id}", api_contacts_delete, HTTP_STAFF },

	{ "GET", "/api/v1/groups", api_groups_list, 0 },
	{ "POST", "/api/v1/groups", api_groups_create, HTTP_STAFF },
	{ "GET", "/api/v1/groups/{id}", api_groups_get, 0 },
	{ "PATCH", "/api/v1/groups/{id}", api_groups_update, HTTP_STAFF },
	{ "DELETE", "/api/v1/groups/{id}", api_groups_delete, HTTP_STAFF },

	{ "GET", "/api/v1/users", api_users_list, HTTP_ADMIN },
	{ "GET", "/api/v1/staff", api_users_staff, HTTP_STAFF },
	{ "POST", "/api/v1/users", api_users_create, HTTP_ADMIN },
	{ "PATCH", "/api/v1/users/{id}", api_users_update, HTTP_ADMIN },
	{ "DELETE", "/api/v1/users/{id}", api_users_delete, HTTP_ADMIN },
	{ "GET", "/api/v1/audit", api_audit_list, HTTP_ADMIN },
	{ "GET", "/api/v1/tokens", api_tokens_list, 0 },
	{ "POST", "/api/v1/tokens", api_tokens_create, 0 },
	{ "DELETE", "/api/v1/tokens/{id}", api_tokens_revoke, 0 },

	{ "GET", "/api/v1/events", api_events_list, 0 },
	{ "POST", "/api/v1/events", api_events_create, 0 },
	{ "GET", "/api/v1/events/{id}", api_events_get, 0 },
	{ "PATCH", "/api/v1/events/{id}", api_events_update, 0 },
	{ "DELETE", "/api/v1/events/{id}", api_events_delete, 0 },
	{ "POST", "/api/v1/events/{id}/restore", api_events_restore, 0 },
	{ "GET", "/api/v1/events/{id}/occurrences", api_events_occurrences, 0 },
	{ "PATCH", "/api/v1/events/{id}/occurrences/{id}", api_events_occurrence_update, 0 },
	{ "GET", "/api/v1/events/{id}/rsvps", api_events_rsvps, 0 },
	{ "PUT", "/api/v1/events/{id}/rsvps/{id}", api_events_rsvp_set, 0 },
	{ "GET", "/api/v1/events/{id}/calls", api_calls_session, 0 },
	{ "POST", "/api/v1/events/{id}/calls", api_calls_record, 0 },
	{ "GET", "/api/v1/calls", api_calls_list, 0 },
	{ "GET", "/api/v1/events/{id}/report.csv", api_events_report, HTTP_LONG },
	{ "GET", "/api/v1/events/{id}/chase", api_events_chase_preview, 0 },
	{ "POST", "/api/v1/events/{id}/chase", api_events_chase_send, 0 },
	{ "GET", "/api/v1/reports/sessions.csv", api_reports_sessions, HTTP_LONG },
	{ "GET", "/api/v1/reports/coming", api_reports_coming, 0 },
	{ "GET", "/api/v1/events/{id}/calendar.ics", api_calendar_event, HTTP_PUBLIC | HTTP_LONG },
	{ "GET", "/api/v1/calendar.ics", api_calendar_all, HTTP_PUBLIC | HTTP_LONG },
	{ "GET", "/api/v1/calendars", api_calendars_list, 0 },
	{ "POST", "/api/v1/calendars/renew", api_calendars_renew, HTTP_ADMIN },
	{ "GET", "/api/v1/card", api_card_get, 0 },
	{ "GET", "/api/v1/card/qr.svg", api_card_qr, 0 },

	{ "GET", "/api/v1/campaigns", api_campaigns_list, 0 },
	{ "POST", "/api/v1/campaigns", api_campaigns_create, 0 },
	{ "POST", "/api/v1/campaigns/preview", api_campaigns_preview, 0 },
	{ "GET", "/api/v1/campaigns/{id}", api_campaigns_get, 0 },
	{ "PATCH", "/api/v1/campaigns/{id}", api_campaigns_update, 0 },
	{ "DELETE", "/api/v1/campaigns/{id}", api_campaigns_delete, 0 },
	{ "POST", "/api/v1/campaigns/{id}/schedule", api_campaigns_schedule, 0 },
	{ "POST", "/api/v1/campaigns/{id}/cancel", api_campaigns_cancel, 0 },
	{ "POST", "/api/v1/campaigns/{id}/unschedule", api_campaigns_unschedule, 0 },
	{ "GET", "/api/v1/campaigns/{id}/runs", api_campaigns_runs, 0 },

	{ "GET", "/api/v1/messages", api_messages_list, 0 },
	{ "POST", "/api/v1/messages", api_messages_create, HTTP_STAFF },
	{ "GET", "/api/v1/messages/{id}", api_messages_get, 0 },
	{ "POST", "/api/v1/messages/{id}/resend", api_messages_resend, HTTP_STAFF },
	{ "POST", "/api/v1/messages/{id}/cancel", api_messages_cancel, HTTP_STAFF },
	{ "GET", "/api/v1/status", api_status, 0 },
	{ "GET", "/api/v1/settings", api_settings_get, HTTP_ADMIN },
	{ "PATCH", "/api/v1/settings", api_settings_update, HTTP_ADMIN },
	{ "GET", "/api/v1/texts", api_texts_get, HTTP_ADMIN },
	{ "PATCH", "/api/v1/texts", api_texts_update, HTTP_ADMIN },
	{ "GET", "/api/v1/replies", api_replies_list, 0 },
	{ "PATCH", "/api/v1/replies/{id}", api_replies_update, 0 },
	{ "GET", "/api/v1/inbox", api_inbox, 0 },
	{ "GET", "/api/v1/inbox/thread", api_inbox_thread, 0 },
	{ "POST", "/api/v1/simulator/replies", api_simulator_reply, HTTP_STAFF },
};

/* Matches path against pattern, reading {id} segments into ids. */
static bool
api_match(const char *pattern, const char *path, int64_t ids[2])
{
	int nid = 0;

	while (*pattern && *path) {
		if (strncmp(pattern, "{id}", 4) == 0) {
			char *end;
			long long v;
			if (*path < '1' || *path > '9')
				return false;
			v = strtoll(path, &end, 10);
			if (v <= 0 || nid == 2)
				return false;
			ids[nid++] = v;
			path = end;
			pattern += 4;
			continue;
		}
		if (*pattern != *path)
			return false;
		pattern++;
		path++;
	}
	if (*path == '/' && path[1] == '\0')	/* tolerate one trailing slash */
		path++;
	return *pattern == '\0' && *path == '\0';
}

const struct http_route *
api_route_table(size_t *n)
{
	*n = sizeof(api_routes) / sizeof(api_routes[0]);
	return api_routes;
}

const struct http_route *
api_route_find(const char *method, const char *path, int64_t ids[2], bool *path_known)
{
	size_t i;
	int64_t tmp[2] = { 0, 0 };

	*path_known = false;
	for (i = 0; i < sizeof(api_routes) / sizeof(api_routes[0]); i++) {
		tmp[0] = tmp[1] = 0;
		if (!api_match(api_routes[i].pattern, path, tmp))
			continue;
		if (strcmp(api_routes[i].method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(api_routes[i].method, "GET") == 0)) {
			ids[0] = tmp[0];
			ids[1] = tmp[1];
			return &api_routes[i];
		}
		*path_known = true;
	}
	return NULL;
}

int
api_get_string(json_t *obj, const char *key, bool required, const char **out,
    struct error *err)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return error_set(err, ERR_INVALID, "missing_field", key,
			    "Le champ « %s » est obligatoire.", key);
		return 0;
	}
	if (!json_is_string(v))
		return error_set(err, ERR_INVALID, "invalid_type", key,
		    "Le champ « %s » doit être un texte.", key);
	*out = json_string_value(v);
	return 0;
}

int
api_get_text(json_t *obj, const char *key, bool empty_is_null, char **dst,
    struct error *err)
{
	const char *v;

	if (!json_object_get(obj, key))
		return 0;
	if (api_get_string(obj, key, false, &v, err) < 0)
		return -1;
	free(*dst);
	*dst = NULL;
	if (empty_is_null && (v == NULL || v[0] == '\0'))
		return 0;
	if ((*dst = strdup(v ? v : "")) == NULL)
		fatal("api: out of memory");
	return 0;
}

int
api_get_time(json_t *obj, const char *key, int64_t *out, struct error *err)
{
	const char *v;

	if (!json_object_get(obj, key))
		return 0;
	if (api_get_string(obj, key, false, &v, err) < 0)
		return -1;
	if (v == NULL || v[0] == '\0') {
		*out = 0;
		return 0;
	}
	if (time_parse(v, out) < 0)
		return error_set(err, ERR_INVALID, "invalid", key, "Date invalide : « %s » "
		    "(attendu 2026-12-03T14:00:00+01:00 ou 2026-12-03).", v);
	return 0;
}

int
api_get_bool(json_t *obj, const char *key, bool *out, bool *present, struct error *err)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;

	if (present)
		*present = false;
	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return error_set(err, ERR_INVALID, "invalid_type", key,
		    "Le champ « %s » doit valoir true ou false.", key);
	*out = json_is_true(v);
	if (present)
		*present = true;
	return 0;
}

/* An id and where it came in the list, for sorting without losing the order. */
struct api_id_at {
	int64_t id;
	size_t at;
};

static int
api_id_at_cmp(const void *a, const void *b)
{
	const struct api_id_at *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/*
 * Removes repeated ids from ids[0..*n), keeping the first of each, in
 * order.  O(n log n): 30,000 ids are a few milliseconds, not a quadratic
 * scan that held the HTTP thread.
 */
static void
api_ids_unique(int64_t *ids, size_t *n)
{
	struct api_id_at *s;
	bool *drop;
	size_t i, k = 0;

	if (*n < 2)
		return;
	s = calloc(*n, sizeof(*s));
	drop = calloc(*n, sizeof(*drop));
	if (s == NULL || drop == NULL)
		fatal("api: out of memory");
	for (i = 0; i < *n; i++)
		s[i] = (struct api_id_at){ ids[i], i };
	qsort(s, *n, sizeof(*s), api_id_at_cmp);
	for (i = 1; i < *n; i++)
		if (s[i].id == s[i - 1].id)
			drop[s[i].at] = true;
	for (i = 0; i < *n; i++)
		if (!drop[i])
			ids[k++] = ids[i];
	*n = k;
	free(s);
	free(drop);
}

int
api_get_ids(json_t *obj, const char *key, int64_t **ids, size_t *n, struct error *err)
{
	json_t *v = json_object_get(obj, key), *item;
	size_t i;

	*ids = NULL;
	*n = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return error_set(err, ERR_INVALID, "invalid_type", key,
		    "Le champ « %s » doit être une liste de numéros.", key);
	*ids = calloc(json_array_size(v) + 1, sizeof(**ids));
	if (*ids == NULL)
		fatal("api: out of memory");
	json_array_foreach(v, i, item) {
		if (!json_is_integer(item) || json_integer_value(item) <= 0) {
			free(*ids);
			*ids = NULL;
			*n = 0;
			return error_set(err, ERR_INVALID, "invalid_type", key,
			    "Le champ « %s » doit être une liste de numéros.", key);
		}
		(*ids)[(*n)++] = json_integer_value(item);
	}
	api_ids_unique(*ids, n);
	return 0;
}

int
api_check_keys(json_t *obj, const char *const *allowed, struct error *err)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(obj, key, v) {
		for (i = 0; allowed[i]; i++)
			if (strcmp(allowed[i], key) == 0)
				break;
		if (allowed[i] == NULL)
			return error_set(err, ERR_INVALID, "unknown_field", key,
			    "Champ inconnu : « %s ».", key);
	}
	return 0;
}

struct audit_actor
api_actor(const struct http_req *req)
{
	struct audit_actor a = { req->user.id, req->user.login };

	return a;
}
