/*
 * http — libmicrohttpd server, authentication and dispatch.  See http.h.
 *
 * Everything that can be decided from the headers is decided when they
 * have arrived, in the first call of the access handler, before a byte of
 * the body is read (http_check_headers()); a refusal is answered at once
 * and the connection closed:
 *   1. Host not one the panel answers to      → 421 (DNS rebinding)
 *   2. the route is public (healthz, login)   → on to 5
 *   3. no valid credentials                   → 401 (for every other path)
 *   4. cookie session, state-changing method,
 *      X-CSRF-Token missing or wrong          → 403
 *   5. state-changing method with an Origin
 *      that is not the Host's                 → 403
 *   6. unknown path / method                  → 404 / 405
 *   7. role not allowed                       → 403
 *   8. Content-Length over the route's limit  → 413
 *   9. the login's body not application/json → 415
 * A body that grows past the limit as it comes (chunked) closes the
 * connection.  When the body is complete, in http_dispatch():
 *  10. JSON body not an object                → 400
 *  11. handler
 *
 * Connections: at most HTTP_CONNECTION_LIMIT, HTTP_PER_ADDRESS_LIMIT from
 * one address, all read and written by libmicrohttpd's thread, their
 * handlers run by a few threads of their own (http_jobs.h); each has
 * deadlines, for its headers and for its whole request, however slowly
 * the bytes trickle in (http_watch.h).
 */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_names.h"
#include "http_pool.h"
#include "http_watch.h"
#include "log.h"
#include "timeutil.h"

#define HTTP_CONNECTION_LIMIT 256	/* connections in all */
#define HTTP_PER_ADDRESS_LIMIT 32	/* from one client address */
#define HTTP_TIMEOUT_S 30		/* silence that closes a connection */
#define HTTP_HEADERS_S 10		/* a request's headers, from its first byte */
#define HTTP_REQUEST_S 60		/* a request's body and answer, after its headers */
#define HTTP_UPLOAD_S 300		/* the same for a CSV import (8 MiB) */
#define HTTP_MEMORY_LIMIT (16 * 1024)	/* per connection: its headers must fit */
/*
 * Threads: libmicrohttpd's, which read and write every connection (one
 * is enough for fifty clients of the panel, and costs least), and those
 * that run the handlers (http_jobs.h): the routes marked HTTP_LONG
 * (imports, exports) on the long ones, the other GET and HEAD on the
 * readers, the rest on the writers.  Three exports hold up no page, nor
 * writes waiting for an import's COMMIT.
 */
#define HTTP_WORKERS 1
#define HTTP_READERS 3
#define HTTP_WRITERS 2
#define HTTP_LONGS 2

/* a database connection for each thread that may hold one at once */
_Static_assert(HTTP_WORKERS + HTTP_READERS + HTTP_WRITERS + HTTP_LONGS <= HTTP_POOL_MAX,
    "the HTTP threads would wait for a database connection");

struct http_server {
	struct MHD_Daemon *mhd;
	struct app *app;
	const struct http_files *files;	/* the panel's files; may be NULL */
	char *tls_cert;
	char *tls_key;
	struct http_pool *pool;		/* the requests' database connections */
	struct http_jobs *longs;	/* the threads that run the handlers of HTTP_LONG */
	struct http_jobs *readers;	/* of the other GET, HEAD */
	struct http_jobs *writers;	/* of the other methods */
	struct http_watch *watch;	/* the connections' deadlines */
	char hostname[256];		/* this machine's name, for the Host check */
};

/* The record of req's connection (NULL if it has none). */
static struct http_watch_conn *
http_conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

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

/* Answers by status class, for /metrics; the HTTP threads write, any thread reads. */
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

/*
 * Queues resp (taken), which keeps its headers, and counts and logs the
 * answer.  From a handler on a job thread, keeps it in req instead: it is
 * queued by libmicrohttpd's thread once the connection is resumed
 * (http_on_request()), the one thread that may.
 */
static int
http_send(struct http_req *req, unsigned status, struct MHD_Response *resp)
{
	enum MHD_Result r;

	if (status >= 100 && status < 600)
		http_counts[status / 100]++;
	req->answered = true;
	if (status >= 500)
		log_err("http: %s %s status=%u", req->method, req->path, status);
	else
		log_debug("http: %s %s status=%u", req->method, req->path, status);
	if (req->dispatched) {
		req->status = status;
		req->resp = resp;
		return MHD_YES;
	}
	r = MHD_queue_response(req->conn, status, resp);
	MHD_destroy_response(resp);
	return r;
}

static int
http_queue(struct http_req *req, unsigned status, struct MHD_Response *resp)
{
	int i;

	if (resp == NULL)
		fatal("http: cannot create a response");
	http_header_security(resp, req->cacheable);
	for (i = 0; i + 1 < req->nheaders; i += 2)
		MHD_add_response_header(resp, req->headers[i], req->headers[i + 1]);
	return http_send(req, status, resp);
}

/* A response of the kept answer (http_pool.h), 200. */
static int
http_send_kept(struct http_req *req, struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	return http_queue(req, 200, resp);
}

/*
 * The answer a handler chose to keep (http_reply_keep()): one body, kept
 * by the pool and shared by the responses of every client asking for the
 * same key while the pool's generation stays the same (http_pool.h);
 * stamp->own holds the generation.
 */
int
http_reply_kept(struct http_req *req, const char *key, struct db_stamp *stamp)
{
	struct http_pool *pool = req->srv->pool;
	struct MHD_Response *resp;

	stamp->others = 0;
	stamp->own = http_pool_stamp(pool);	/* -1: never served */
	if ((resp = http_pool_kept(pool, key, stamp->own)) != NULL)
		return http_send_kept(req, resp);
	http_pool_build_begin(pool);
	stamp->own = http_pool_stamp(pool);	/* another may have built it meanwhile */
	if ((resp = http_pool_kept(pool, key, stamp->own)) == NULL)
		return -1;
	http_pool_build_end(pool);
	return http_send_kept(req, resp);
}

void
http_reply_unkept(struct http_req *req)
{
	http_pool_build_end(req->srv->pool);
}

int
http_reply_keep(struct http_req *req, const char *key, const struct db_stamp *stamp,
    char *json, size_t len)
{
	/* under a stamp that could not be read (own -1) it is kept but never served */
	struct MHD_Response *resp = http_pool_keep(req->srv->pool, key, stamp->own, json, len);

	http_pool_build_end(req->srv->pool);
	/*
	 * What building it took goes back to the system now, not when the
	 * last client leaves: the pages SQLite read (of no more use: the next
	 * build follows a commit, which empties a WAL connection's cache
	 * anyway) and the arena's free memory, a megabyte or two.
	 */
	sqlite3_db_release_memory(db_handle(req->db));
	malloc_trim(0);
	return http_send_kept(req, resp);
}

/*
 * Borrows a database connection for req (http_pool.h), while its
 * credentials are checked, then while its handler runs.  -1 (logged) when
 * the database cannot be opened: the caller answers 503.
 */
static int
http_db_take(struct http_req *req)
{
	char why[256];

	if (req->dbc == NULL &&
	    (req->dbc = http_pool_take(req->srv->pool, why, sizeof(why))) == NULL) {
		log_err("http: %s", why);
		return -1;
	}
	req->db = req->dbc->db;
	return 0;
}

static void
http_db_give(struct http_req *req)
{
	http_pool_give(req->srv->pool, req->dbc);
	req->dbc = NULL;
	req->db = NULL;
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
	if (status == 500 && req->db && db_take_full(req->db)) {
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

/* err as {"error": {...}} with status; a kind's own code and message where err says none. */
static int
http_reply_error_as(struct http_req *req, unsigned status, const struct error *err)
{
	json_t *e = json_pack("{s:s, s:s}", "code", err->code ? err->code :
	    error_default_code(err->kind), "message", err->message[0] ? err->message :
	    error_default_message(err->kind));

	if (err->field)
		json_object_set_new(e, "field", json_string(err->field));
	if (err->existing_id)
		json_object_set_new(e, "existing_id", json_integer(err->existing_id));
	if (err->suggestion)
		json_object_set_new(e, "suggestion", time_json(err->suggestion));
	return http_reply_json(req, status, json_pack("{s:o}", "error", e));
}

int
http_reply_error(struct http_req *req, const struct error *err)
{
	return http_reply_error_as(req, error_http_status(err->kind), err);
}

int
http_reply_kind(struct http_req *req, enum error_kind kind)
{
	struct error err = { 0 };

	error_fail(&err, kind);
	return http_reply_error(req, &err);
}

int
http_reply_fail(struct http_req *req, unsigned status, const char *code,
    const char *field, const char *fmt, ...)
{
	struct error err = { 0 };
	va_list ap;

	err.code = code;
	err.field = field;
	va_start(ap, fmt);
	vsnprintf(err.message, sizeof(err.message), fmt, ap);
	va_end(ap);
	return http_reply_error_as(req, status, &err);
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
		req->authenticated = auth_token_check(req->db, authz + 7, req->now,
		    &req->user) == 0;
		return;
	}
	cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND,
	    HTTP_SESSION_COOKIE);
	if (cookie == NULL || auth_session_check(req->db, cookie, req->now, &req->user,
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

/*
 * True when the Host header names this panel: an address, localhost, this
 * machine's name (or NAME.local), or a name of [http] hosts.  A web page
 * of another site whose name was made to point here (DNS rebinding) sends
 * its own name, and is refused.  No Host (HTTP/1.0): no browser, allowed.
 */
static bool
http_host_allowed(struct http_req *req)
{
	const char *host = http_header(req, MHD_HTTP_HEADER_HOST);
	char name[256], local[300];
	unsigned char addr[sizeof(struct in6_addr)];

	if (host == NULL)
		return true;
	http_host_name(host, name, sizeof(name));
	if (inet_pton(AF_INET, name, addr) == 1 || inet_pton(AF_INET6, name, addr) == 1 ||
	    strcasecmp(name, "localhost") == 0)
		return true;
	snprintf(local, sizeof(local), "%s.local", req->srv->hostname);
	if (req->srv->hostname[0] && (strcasecmp(name, req->srv->hostname) == 0 ||
	    strcasecmp(name, local) == 0))
		return true;
	return http_name_listed(req->cfg->http_hosts, name);
}

/* True unless another site's page posts here (http_names.h). */
static bool
http_origin_allowed(struct http_req *req)
{
	return http_origin_matches(req->method, http_header(req, "Origin"),
	    http_header(req, MHD_HTTP_HEADER_HOST));
}

/* True when the body is declared as JSON ("application/json", perhaps with a charset). */
static bool
http_body_is_json(struct http_req *req)
{
	const char *ct = http_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
	size_t n = strlen("application/json");

	return ct && strncasecmp(ct, "application/json", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/*
 * The checks that need only the headers (see the top of this file), in
 * the first call for a request.  0 to read the body, or -1 with *answer
 * set: the request is answered, its body is never read.
 */
static int
http_check_headers(struct http_req *req, int *answer)
{
	const char *clen = http_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	bool path_known = false, public;

	*answer = MHD_YES;
	if (!http_host_allowed(req)) {
		log_warn("http: unknown Host refused addr=%s", req->addr);
		*answer = http_reply_fail(req, 421, "unknown_host", NULL, "Cette adresse n'est "
		    "pas celle de rappel : ouvrez le panneau par son adresse habituelle.");
		return -1;
	}
	req->body_max = 0;
	if (req->srv->files && req->srv->files->wants(req->method, req->path)) {
		req->web = true;
	} else {
		req->route = api_route_find(req->method, req->path, req->ids, &path_known);
		public = req->route && (req->route->flags & HTTP_PUBLIC);
		if (!public && http_db_take(req) < 0)
			goto unavailable;
		if (!public) {
			/* the touch of a session or token waits for no import (auth.c) */
			db_busy_timeout(req->db, 0);
			http_authenticate(req);
			db_busy_timeout(req->db, HTTP_POOL_BUSY_MS);
		}
		http_db_give(req);
		if (!public && !req->authenticated) {
			if (req->csrf_refused) {
				*answer = http_reply_fail(req, 403, "csrf", NULL, "Jeton CSRF absent "
				    "ou invalide : rechargez la page et recommencez.");
				return -1;
			}
			http_add_header(req, "WWW-Authenticate", "Bearer realm=\"rappel\"");
			*answer = http_reply_fail(req, 401, "unauthorized", NULL,
			    "Connexion requise.");
			return -1;
		}
		if (!http_origin_allowed(req)) {
			log_warn("http: foreign Origin refused addr=%s", req->addr);
			*answer = http_reply_fail(req, 403, "origin", NULL, "Requête venue d'un "
			    "autre site : refusée.");
			return -1;
		}
		if (req->route == NULL) {
			*answer = path_known ? http_reply_fail(req, 405, "method_not_allowed", NULL,
			    "Méthode non permise sur cette adresse.") : http_reply_fail(req, 404,
			    "not_found", NULL, "Adresse inconnue.");
			return -1;
		}
		if (req->authenticated && !http_role_allowed(req)) {
			*answer = http_reply_fail(req, 403, "forbidden", NULL,
			    "Votre rôle ne permet pas cette action.");
			return -1;
		}
		req->body_max = public ? HTTP_PUBLIC_MAX :
		    (req->route->flags & HTTP_RAW_BODY) ? HTTP_UPLOAD_MAX : HTTP_JSON_MAX;
		if (public && strcmp(req->method, "POST") == 0 && !http_body_is_json(req)) {
			*answer = http_reply_fail(req, 415, "unsupported_media_type", NULL,
			    "Envoyez le corps en JSON (Content-Type: application/json).");
			return -1;
		}
	}
	if (clen && (clen[0] < '0' || clen[0] > '9' || strtoull(clen, NULL, 10) >
	    req->body_max)) {
		*answer = http_reply_fail(req, 413, "too_large", NULL,
		    "La requête est trop volumineuse.");
		return -1;
	}
	return 0;
unavailable:
	*answer = http_reply_fail(req, 503, "database", NULL, "La base de données ne répond pas.");
	return -1;
}

/* Once the body is complete: parses the JSON, runs the handler. */
static int
http_dispatch(struct http_req *req)
{
	if (req->web)
		return req->srv->files->serve(req);
	if (http_db_take(req) < 0)
		return http_reply_fail(req, 503, "database", NULL,
		    "La base de données ne répond pas.");
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

/*
 * A request's handler, on a job thread (http_jobs.h), its connection
 * suspended: its answer is kept in req (http_send()), then the connection
 * resumed, and libmicrohttpd's thread queues it.  req is libmicrohttpd's
 * again after the resume, and may be freed at once.
 */
static void
http_job_run(struct http_job *job)
{
	struct http_req *req = (struct http_req *)((char *)job - offsetof(struct http_req, job));

	(void)http_dispatch(req);	/* MHD_NO: no answer, the connection is closed */
	http_db_give(req);	/* the answer is queued: it needs no database */
	MHD_resume_connection(req->conn);
}

static enum MHD_Result
http_on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct http_req *req = *con_cls;
	int r;

	(void)version;
	if (req == NULL) {
		req = calloc(1, sizeof(*req));
		if (req == NULL || (req->path = strdup(url)) == NULL)
			fatal("http: out of memory");
		req->conn = conn;
		req->srv = srv;
		req->app = srv->app;
		snprintf(req->method, sizeof(req->method), "%s", method);
		*con_cls = req;
		req->now = srv->app->now();
		req->cfg = app_config(srv->app);	/* this request's snapshot, to the end */
		http_client_addr(req);
		if (http_check_headers(req, &r) < 0)
			return r == MHD_YES ? MHD_YES : MHD_NO;
		http_watch_move(srv->watch, http_conn_of(conn), req->route &&
		    (req->route->flags & HTTP_RAW_BODY) ? HTTP_UPLOAD_S : HTTP_REQUEST_S);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (req->answered) {	/* refused from its headers: never read */
			*upload_data_size = 0;
			return MHD_NO;
		}
		if (req->body.len + *upload_data_size > req->body_max) {
			log_warn("http: %s %s body over %zu bytes, connection closed addr=%s",
			    req->method, req->path, req->body_max, req->addr);
			return MHD_NO;
		}
		buf_append(&req->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->resp) {	/* resumed: the answer of its handler */
		r = MHD_queue_response(conn, req->status, req->resp);
		MHD_destroy_response(req->resp);
		req->resp = NULL;
		return r == MHD_YES ? MHD_YES : MHD_NO;
	}
	if (req->answered)
		return MHD_YES;
	if (req->dispatched)	/* resumed without an answer: its handler failed */
		return MHD_NO;
	req->now = srv->app->now();
	if (req->web) {		/* the panel's files, from memory */
		r = http_dispatch(req);
		return r == MHD_YES ? MHD_YES : MHD_NO;
	}
	/* the handler on a job thread; libmicrohttpd's goes on with the others */
	req->dispatched = true;
	req->job.run = http_job_run;
	MHD_suspend_connection(conn);
	if (!http_jobs_push(req->route->flags & HTTP_LONG ? srv->longs :
	    strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0 ?
	    srv->readers : srv->writers, &req->job))
		http_job_run(&req->job);	/* stopping: here, as it comes */
	return MHD_YES;
}

static void
http_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_req *req = *con_cls;
	int i;

	(void)toe;
	/* a kept-alive connection: its silence, then the next request's headers */
	http_watch_move(((struct http_server *)cls)->watch, http_conn_of(conn),
	    HTTP_TIMEOUT_S + HTTP_HEADERS_S);
	if (req == NULL)
		return;
	for (i = 0; i < req->nheaders; i++)
		free(req->headers[i]);
	if (req->resp)		/* an answer never queued */
		MHD_destroy_response(req->resp);
	json_decref(req->json);
	buf_free(&req->body);
	http_db_give(req);	/* none: a request ends with its handler */
	config_free(req->cfg);
	free(req->path);
	free(req);
	*con_cls = NULL;
}

/*
 * When the last client has gone, the memory the answers took (a contact
 * list is a megabyte of JSON, built by SQLite, then copied) goes back to the
 * system: glibc keeps freed pages in its arenas otherwise, 2 to 3 MiB
 * after the panel's contact page was loaded by a few clients.  So do the
 * pages SQLite cached for the pool's free connections (the whole contact
 * table): they are read again, from the system's cache, when the list
 * must be built again.  It costs a walk of the free lists, once per quiet
 * moment.
 */
static void
http_on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
    enum MHD_ConnectionNotificationCode code)
{
	struct http_server *srv = cls;
	const union MHD_ConnectionInfo *ci;
	bool last;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_ctx = http_watch_open(srv->watch, ci ? ci->connect_fd : -1,
		    HTTP_HEADERS_S);
		return;
	}
	if (code != MHD_CONNECTION_NOTIFY_CLOSED)
		return;
	last = http_watch_close(srv->watch, *socket_ctx);
	*socket_ctx = NULL;
	if (last) {
		http_pool_release_memory(srv->pool);
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
http_start(struct app *app, const struct config *cfg, const struct http_files *files,
    char *err, size_t errlen)
{
	struct http_server *srv = calloc(1, sizeof(*srv));
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	int rc;

	if (srv == NULL)
		fatal("http: out of memory");
	srv->app = app;
	srv->files = files;
	srv->pool = http_pool_new(cfg->db_path);
	srv->watch = http_watch_new();
	if (gethostname(srv->hostname, sizeof(srv->hostname) - 1) < 0)
		srv->hostname[0] = '\0';
	if (cfg->http_addr.ss_family == AF_INET6)
		flags |= MHD_USE_DUAL_STACK;
	if (cfg->tls_cert) {
		srv->tls_cert = http_read_file(cfg->tls_cert, err, errlen);
		srv->tls_key = srv->tls_cert ? http_read_file(cfg->tls_key, err, errlen) : NULL;
		if (srv->tls_key == NULL)
			goto fail;
		flags |= MHD_USE_TLS;
	}
	if ((srv->readers = http_jobs_start(HTTP_READERS)) == NULL ||
	    (srv->writers = http_jobs_start(HTTP_WRITERS)) == NULL ||
	    (srv->longs = http_jobs_start(HTTP_LONGS)) == NULL) {
		snprintf(err, errlen, "cannot start the HTTP threads: %s", strerror(errno));
		goto fail;
	}
	srv->mhd = MHD_start_daemon(flags, 0, NULL, NULL,
	    http_on_request, srv,
	    MHD_OPTION_EXTERNAL_LOGGER, http_on_mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&cfg->http_addr,
	    MHD_OPTION_NOTIFY_COMPLETED, http_on_completed, srv,
	    MHD_OPTION_NOTIFY_CONNECTION, http_on_connection, srv,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNECTION_LIMIT,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)HTTP_PER_ADDRESS_LIMIT,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MEMORY_LIMIT,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)HTTP_WORKERS,
	    cfg->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, srv->tls_cert,
	    MHD_OPTION_HTTPS_MEM_KEY, srv->tls_key,
	    MHD_OPTION_END);
	if (srv->mhd == NULL) {
		snprintf(err, errlen, "cannot listen on %s (address in use, or not allowed?)",
		    cfg->http_listen);
		goto fail;
	}
	if ((rc = http_watch_start(srv->watch)) != 0) {
		snprintf(err, errlen, "cannot start the connection watchdog: %s", strerror(rc));
		MHD_stop_daemon(srv->mhd);
		goto fail;
	}
	log_info("http: listening on %s%s", cfg->http_listen, cfg->tls_cert ? " (https)" : "");
	return srv;
fail:
	http_jobs_stop(srv->readers);
	http_jobs_stop(srv->writers);
	http_jobs_stop(srv->longs);
	http_watch_free(srv->watch);
	http_pool_free(srv->pool);
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
	http_watch_stop(srv->watch);
	/* the handlers running end, each resumes its connection */
	http_jobs_stop(srv->readers);
	http_jobs_stop(srv->writers);
	http_jobs_stop(srv->longs);
	MHD_stop_daemon(srv->mhd);	/* notifies every close: the watch ends empty */
	http_watch_free(srv->watch);
	http_pool_free(srv->pool);	/* every request has given its connection back */
	free(srv->tls_cert);
	free(srv->tls_key);
	free(srv);
}
