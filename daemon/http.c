/*
 * http — libmicrohttpd server, authentication and dispatch.  See http.h.
 *
 * Order of checks for every request, in http_dispatch():
 *   1. the body was too large                 → 413
 *   2. the route is public (healthz, login)   → handler
 *   3. no valid credentials                   → 401 (for every other path)
 *   4. unknown path / method                  → 404 / 405
 *   5. cookie session, state-changing method,
 *      X-CSRF-Token missing or wrong          → 403
 *   6. role not allowed                       → 403
 *   7. JSON body not an object                → 400
 *   8. handler
 */
#include "http.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "timeutil.h"
#include "web.h"

#define HTTP_CONNECTION_LIMIT 64
#define HTTP_TIMEOUT_S 30

/*
 * The answer a handler chose to keep (http_reply_keep()): one
 * MHD_Response, reference-counted by libmicrohttpd, sent as it is to every
 * client asking for the same key while the database stamp stays the same.
 * Only the HTTP thread touches it, and http_stop() once that has ended.
 */
struct http_kept {
	char *key;
	struct db_stamp stamp;
	struct MHD_Response *resp;
};

struct http_server {
	struct MHD_Daemon *mhd;
	struct app *app;
	char *tls_cert;
	char *tls_key;
	struct http_kept kept;
	unsigned open;			/* connections; only the HTTP thread counts */
};

/*
 * Every answer: no sniffing, no framing, and a policy that allows only
 * this server's own files (no inline script or style, no other origin).
 * The panel's files are revalidated with their ETag; the rest is never
 * stored.
 */
static void
http_header_security(struct MHD_Response *resp, bool cacheable)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Content-Security-Policy",
	    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
	    "form-action 'self'");
	MHD_add_response_header(resp, "Cache-Control", cacheable ? "no-cache" : "no-store");
}

/* Answers by status class, for /metrics; the HTTP thread writes, any thread reads. */
static _Atomic uint64_t http_counts[6];

uint64_t
http_requests_count(int status_class)
{
	return status_class >= 0 && status_class < 6 ? http_counts[status_class] : 0;
}

void
http_add_header(struct http_req *req, const char *name, const char *value)
{
	if (req->nheaders + 2 > (int)(sizeof(req->headers) / sizeof(req->headers[0])))
		fatal("http: too many extra headers");
	req->headers[req->nheaders++] = strdup(name);
	req->headers[req->nheaders++] = strdup(value);
	if (req->headers[req->nheaders - 1] == NULL || req->headers[req->nheaders - 2] == NULL)
		fatal("http: out of memory");
}

/* Queues resp, which keeps its headers, and counts and logs the answer. */
static int
http_send(struct http_req *req, unsigned status, struct MHD_Response *resp)
{
	enum MHD_Result r = MHD_queue_response(req->conn, status, resp);

	if (status >= 100 && status < 600)
		http_counts[status / 100]++;
	req->answered = true;
	if (status >= 500)
		log_err("http: %s %s status=%u", req->method, req->path, status);
	else
		log_debug("http: %s %s status=%u", req->method, req->path, status);
	return r;
}

static int
http_queue(struct http_req *req, unsigned status, struct MHD_Response *resp)
{
	int r, i;

	if (resp == NULL)
		fatal("http: cannot create a response");
	http_header_security(resp, req->cacheable);
	for (i = 0; i + 1 < req->nheaders; i += 2)
		MHD_add_response_header(resp, req->headers[i], req->headers[i + 1]);
	r = http_send(req, status, resp);
	MHD_destroy_response(resp);
	return r;
}

static void
http_kept_clear(struct http_kept *k)
{
	if (k->resp)
		MHD_destroy_response(k->resp);	/* freed once the last client has it */
	free(k->key);
	memset(k, 0, sizeof(*k));
}

int
http_reply_kept(struct http_req *req, const char *key, struct db_stamp *stamp)
{
	struct http_kept *k = &req->srv->kept;

	if (db_stamp(req->app->db, stamp) < 0) {
		stamp->own = -1;	/* no stamp reads -1: the answer kept under it is never served */
		return -1;
	}
	if (k->resp == NULL || strcmp(k->key, key) != 0 || k->stamp.own != stamp->own ||
	    k->stamp.others != stamp->others)
		return -1;
	return http_send(req, 200, k->resp);
}

int
http_reply_keep(struct http_req *req, const char *key, const struct db_stamp *stamp,
    char *json, size_t len)
{
	struct http_kept *k = &req->srv->kept;
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, json,
	    MHD_RESPMEM_MUST_FREE);

	if (resp == NULL)
		fatal("http: cannot create a response");
	MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	http_header_security(resp, false);
	http_kept_clear(k);
	/* under a stamp that could not be read (own -1) it is kept but never served */
	if ((k->key = strdup(key)) == NULL)
		fatal("http: out of memory");
	k->stamp = *stamp;
	k->resp = resp;
	return http_send(req, 200, resp);
}

int
http_reply_raw(struct http_req *req, unsigned status, const char *content_type,
    char *data, size_t len)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, data,
	    MHD_RESPMEM_MUST_FREE);

	MHD_add_response_header(resp, "Content-Type", content_type);
	return http_queue(req, status, resp);
}

int
http_reply_static(struct http_req *req, unsigned status, const char *content_type,
    const void *data, size_t len)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)data,
	    MHD_RESPMEM_PERSISTENT);

	MHD_add_response_header(resp, "Content-Type", content_type);
	return http_queue(req, status, resp);
}

/*
 * The answer when a JSON body could not be built or written (text that is
 * not UTF-8, say): a 500 with the usual error body, or plain text if even
 * that cannot be made.  Logged; never an exit, whatever the request.
 */
static int
http_reply_unserialisable(struct http_req *req)
{
	static const char plain[] = "Erreur interne : la réponse n'a pas pu être écrite.\n";
	json_t *body = json_pack("{s:{s:s, s:s}}", "error", "code", "internal", "message",
	    "Erreur interne : la réponse n'a pas pu être écrite. Si cela se reproduit, "
	    "signalez-le à la personne qui a installé rappel.");
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;

	json_decref(body);
	log_err("http: %s %s: cannot serialise the JSON answer", req->method, req->path);
	if (text == NULL)
		return http_reply_static(req, 500, "text/plain; charset=utf-8", plain,
		    sizeof(plain) - 1);
	return http_reply_raw(req, 500, "application/json; charset=utf-8", text, strlen(text));
}

int
http_reply_json(struct http_req *req, unsigned status, json_t *body)
{
	char *text;

	/* a write that failed on a full disk: say so, and what to do */
	if (status == 500 && req->app && req->app->db && db_take_full(req->app->db)) {
		log_err("http: %s %s refused: the disk is full", req->method, req->path);
		json_decref(body);
		status = 507;
		body = json_pack("{s:{s:s, s:s}}", "error", "code", "disk_full", "message",
		    "Le disque de rappel est plein : rien n'a été enregistré. Libérez de la "
		    "place (anciennes sauvegardes, journaux), puis réessayez.");
	}
	/* NULL body: a json_pack() of the handler failed, on text that is not UTF-8 */
	text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (text == NULL)
		return http_reply_unserialisable(req);
	return http_reply_raw(req, status, "application/json; charset=utf-8", text,
	    strlen(text));
}

int
http_reply_empty(struct http_req *req, unsigned status)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL,
	    MHD_RESPMEM_PERSISTENT);

	return http_queue(req, status, resp);
}

int
http_reply_error(struct http_req *req, const struct error *err)
{
	json_t *e = json_pack("{s:s, s:s}", "code", err->code ? err->code : "internal",
	    "message", err->message);

	if (err->field)
		json_object_set_new(e, "field", json_string(err->field));
	if (err->existing_id)
		json_object_set_new(e, "existing_id", json_integer(err->existing_id));
	if (err->suggestion)
		json_object_set_new(e, "suggestion", time_json(err->suggestion));
	return http_reply_json(req, err->status ? (unsigned)err->status : 500,
	    json_pack("{s:o}", "error", e));
}

int
http_reply_fail(struct http_req *req, unsigned status, const char *code,
    const char *field, const char *fmt, ...)
{
	struct error err = { 0 };
	va_list ap;

	err.status = (int)status;
	err.code = code;
	err.field = field;
	va_start(ap, fmt);
	vsnprintf(err.message, sizeof(err.message), fmt, ap);
	va_end(ap);
	return http_reply_error(req, &err);
}

const char *
http_arg(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
http_header(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static void
http_client_addr(struct http_req *req)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(req->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	socklen_t len;

	snprintf(req->addr, sizeof(req->addr), "unknown");
	if (sa == NULL)
		return;
	len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
	getnameinfo(sa, len, req->addr, sizeof(req->addr), NULL, 0, NI_NUMERICHOST);
}

/* Sets req->user from a bearer token or a session cookie. */
static void
http_authenticate(struct http_req *req)
{
	const char *authz = http_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *cookie;
	char csrf[AUTH_TOKEN_LEN + 1];
	const char *sent;

	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		req->authenticated = auth_token_check(req->app->db, authz + 7, req->now,
		    &req->user) == 0;
		return;
	}
	cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND,
	    HTTP_SESSION_COOKIE);
	if (cookie == NULL || auth_session_check(req->app->db, cookie, req->now, &req->user,
	    csrf) < 0)
		return;
	req->authenticated = true;
	req->via_session = true;
	snprintf(req->session_token, sizeof(req->session_token), "%s", cookie);
	snprintf(req->csrf, sizeof(req->csrf), "%s", csrf);
	if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)
		return;
	sent = http_header(req, "X-CSRF-Token");
	if (sent == NULL || !auth_secret_equal(sent, csrf)) {
		req->authenticated = false;
		req->csrf_refused = true;
	}
}

static bool
http_role_allowed(const struct http_req *req)
{
	unsigned f = req->route->flags;

	if ((f & HTTP_ADMIN) && req->user.role != AUTH_ROLE_ADMIN)
		return false;
	if ((f & HTTP_STAFF) && req->user.role == AUTH_ROLE_ANIMATEUR)
		return false;
	return true;
}

static int
http_dispatch(struct http_req *req)
{
	bool path_known = false;

	if (req->too_large)
		return http_reply_fail(req, 413, "too_large", NULL,
		    "La requête est trop volumineuse.");
	if (web_wants(req->method, req->path))
		return web_serve(req);
	req->route = api_route_find(req->method, req->path, req->ids, &path_known);
	if (req->route == NULL || !(req->route->flags & HTTP_PUBLIC))
		http_authenticate(req);
	if (!req->authenticated && (req->route == NULL || !(req->route->flags & HTTP_PUBLIC))) {
		if (req->csrf_refused)
			return http_reply_fail(req, 403, "csrf", NULL, "Jeton CSRF absent ou "
			    "invalide : rechargez la page et recommencez.");
		http_add_header(req, "WWW-Authenticate", "Bearer realm=\"rappel\"");
		return http_reply_fail(req, 401, "unauthorized", NULL,
		    "Connexion requise.");
	}
	if (req->route == NULL) {
		if (path_known)
			return http_reply_fail(req, 405, "method_not_allowed", NULL,
			    "Méthode non permise sur cette adresse.");
		return http_reply_fail(req, 404, "not_found", NULL, "Adresse inconnue.");
	}
	if (req->authenticated && !http_role_allowed(req))
		return http_reply_fail(req, 403, "forbidden", NULL,
		    "Votre rôle ne permet pas cette action.");
	if (!(req->route->flags & HTTP_RAW_BODY) && req->body.len > 0) {
		json_error_t jerr;
		req->json = json_loadb(req->body.data, req->body.len, JSON_REJECT_DUPLICATES,
		    &jerr);
		if (req->json == NULL || !json_is_object(req->json))
			return http_reply_fail(req, 400, "invalid_json", NULL,
			    "Le corps de la requête doit être un objet JSON valide.");
	}
	return req->route->handler(req);
}

static size_t
http_body_limit(const char *path)
{
	return strstr(path, "/import") ? HTTP_UPLOAD_MAX : HTTP_JSON_MAX;
}

static enum MHD_Result
http_on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct http_req *req = *con_cls;
	const char *clen;
	int r;

	if (req == NULL) {
		req = calloc(1, sizeof(*req));
		if (req == NULL || (req->path = strdup(url)) == NULL)
			fatal("http: out of memory");
		req->conn = conn;
		req->srv = srv;
		req->app = srv->app;
		snprintf(req->method, sizeof(req->method), "%s", method);
		clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (clen && strtoull(clen, NULL, 10) > http_body_limit(url))
			req->too_large = true;
		*con_cls = req;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!req->too_large && req->body.len + *upload_data_size <= http_body_limit(url))
			buf_append(&req->body, upload_data, *upload_data_size);
		else
			req->too_large = true;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->answered)
		return MHD_YES;
	req->now = srv->app->now();
	http_client_addr(req);
	r = http_dispatch(req);
	return r == MHD_YES ? MHD_YES : MHD_NO;
}

static void
http_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_req *req = *con_cls;
	int i;

	(void)cls;
	(void)conn;
	(void)toe;
	if (req == NULL)
		return;
	for (i = 0; i < req->nheaders; i++)
		free(req->headers[i]);
	json_decref(req->json);
	buf_free(&req->body);
	free(req->path);
	free(req);
	*con_cls = NULL;
}

/*
 * When the last client has gone, the memory the answers took (a contact
 * list is a megabyte of JSON, built by SQLite, then copied) goes back to the
 * system: glibc keeps freed pages in its arenas otherwise, 2 to 3 MiB
 * after the panel's contact page was loaded by a few clients.  So do the
 * pages SQLite cached for this thread's connection (the whole contact
 * table): they are read again, from the system's cache, when the list
 * must be built again.  It costs a walk of the free lists, once per quiet
 * moment.
 */
static void
http_on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
    enum MHD_ConnectionNotificationCode code)
{
	struct http_server *srv = cls;

	(void)conn;
	(void)socket_ctx;
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		srv->open++;
	else if (code == MHD_CONNECTION_NOTIFY_CLOSED && srv->open > 0 && --srv->open == 0) {
		sqlite3_db_release_memory(db_handle(srv->app->db));
		malloc_trim(0);
	}
}

/* libmicrohttpd's messages; fmt is its own format string. */
static void __attribute__((format(printf, 2, 0)))
http_on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	log_warn("http: %s", line);
}

static char *
http_read_file(const char *path, char *err, size_t errlen)
{
	struct buf b = { 0 };

	if (buf_read_file(&b, path) < 0) {
		snprintf(err, errlen, "cannot read %s", path);
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

struct http_server *
http_start(struct app *app, char *err, size_t errlen)
{
	const struct config *cfg = app->cfg;
	struct http_server *srv = calloc(1, sizeof(*srv));
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;

	if (srv == NULL)
		fatal("http: out of memory");
	srv->app = app;
	if (cfg->http_addr.ss_family == AF_INET6)
		flags |= MHD_USE_DUAL_STACK;
	if (cfg->tls_cert) {
		srv->tls_cert = http_read_file(cfg->tls_cert, err, errlen);
		srv->tls_key = srv->tls_cert ? http_read_file(cfg->tls_key, err, errlen) : NULL;
		if (srv->tls_key == NULL)
			goto fail;
		flags |= MHD_USE_TLS;
	}
	srv->mhd = MHD_start_daemon(flags, 0, NULL, NULL,
	    http_on_request, srv,
	    MHD_OPTION_EXTERNAL_LOGGER, http_on_mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&cfg->http_addr,
	    MHD_OPTION_NOTIFY_COMPLETED, http_on_completed, srv,
	    MHD_OPTION_NOTIFY_CONNECTION, http_on_connection, srv,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNECTION_LIMIT,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_TIMEOUT_S,
	    cfg->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, srv->tls_cert,
	    MHD_OPTION_HTTPS_MEM_KEY, srv->tls_key,
	    MHD_OPTION_END);
	if (srv->mhd == NULL) {
		snprintf(err, errlen, "cannot listen on %s (address in use, or not allowed?)",
		    cfg->http_listen);
		goto fail;
	}
	log_info("http: listening on %s%s", cfg->http_listen, cfg->tls_cert ? " (https)" : "");
	return srv;
fail:
	free(srv->tls_cert);
	free(srv->tls_key);
	free(srv);
	return NULL;
}

void
http_stop(struct http_server *srv)
{
	if (srv == NULL)
		return;
	MHD_stop_daemon(srv->mhd);
	http_kept_clear(&srv->kept);
	free(srv->tls_cert);
	free(srv->tls_key);
	free(srv);
}
