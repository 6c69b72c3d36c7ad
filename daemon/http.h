/*
 * http — the libmicrohttpd server: reads requests (bodies capped per
 * route), authenticates them (session cookie + CSRF token, or bearer
 * token), routes them to the api_* handlers and writes JSON answers with
 * the security headers.  Handlers run on a few threads of their own
 * (http_jobs.h), beside libmicrohttpd's, each on a database connection its
 * request borrowed from the server's pool (req->db, http_pool.h): a long
 * import or export holds up nobody else.  What handlers share besides the
 * database is made for it: the configuration (app_config()), the
 * pokes, the login rate limits (app.h: login_lock).
 *
 * A request's state (struct http_req) is allocated when its headers
 * arrive and freed in one place, the completion callback.
 */
#ifndef RAPPEL_HTTP_H
#define RAPPEL_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "http_jobs.h"

#define HTTP_JSON_MAX (256 * 1024)		/* JSON bodies */
#define HTTP_UPLOAD_MAX (8 * 1024 * 1024)	/* CSV imports */
#define HTTP_PUBLIC_MAX (8 * 1024)		/* the login, before any credentials */
#define HTTP_SESSION_COOKIE "rappel_session"

struct http_server;
struct MHD_Response;
struct http_req;
struct http_conn_db;

typedef int (*http_handler)(struct http_req *req);

struct http_req {
	struct MHD_Connection *conn;
	struct http_server *srv;
	struct app *app;
	struct db *db;			/* borrowed from the server's pool while the
					   credentials are checked and while the
					   handler runs (http_pool.h); else NULL */
	struct http_conn_db *dbc;	/* the pool's record of it */
	const struct config *cfg;	/* the configuration in force when the request
					   was dispatched (a reference, released at
					   completion); NULL before */
	const struct http_route *route;
	char method[8];
	char *path;			/* owned copy of the URL path */
	int64_t ids[2];			/* the {id} segments of the path, in order */
	struct buf body;
	size_t body_max;		/* the route's limit, known from the headers */
	bool too_large;
	bool web;			/* a panel file (web_serve()) */
	json_t *json;			/* parsed body for JSON routes, else NULL */
	int64_t now;
	char addr[64];			/* client address, numeric */
	bool authenticated;
	bool via_session;		/* cookie (needs CSRF) rather than bearer */
	bool csrf_refused;		/* valid cookie, missing or wrong X-CSRF-Token */
	struct auth_user user;
	char session_token[AUTH_TOKEN_LEN + 1];
	char csrf[AUTH_TOKEN_LEN + 1];	/* the session's CSRF token, for GET /session */
	bool answered;
	bool dispatched;		/* its handler ran, or runs, on a job thread */
	struct MHD_Response *resp;	/* its answer, from there, until queued */
	unsigned status;
	struct http_job job;		/* http_jobs.h */
	bool cacheable;			/* a panel file: revalidated, not "no-store" */
	int nheaders;
	char *headers[8];		/* name, value, name, value ... (owned) */
};

/* Route flags. */
#define HTTP_PUBLIC	0x01	/* no credentials needed */
#define HTTP_RAW_BODY	0x02	/* body is not JSON (CSV): left in req->body */
#define HTTP_ADMIN	0x04	/* admin role only */
#define HTTP_STAFF	0x08	/* admin or referent (not animateur) */
#define HTTP_LONG	0x10	/* may take seconds (an import, an export): run apart */

struct http_route {
	const char *method;
	const char *pattern;	/* "/api/v1/contacts/{id}" */
	http_handler handler;
	unsigned flags;
};

/*
 * Finds the route for method and path (api.c holds the table), filling
 * ids from the {id} segments.  NULL when none; then *path_known tells
 * whether another method would have matched (405 rather than 404).
 */
const struct http_route *api_route_find(const char *method, const char *path,
    int64_t ids[2], bool *path_known);

/* Every route of the table, in order (*n of them), for tests that walk them all. */
const struct http_route *api_route_table(size_t *n);

/*
 * What answers the requests that are not for the API: the panel's files
 * (web.h), given by main.c, so that the server does not depend on them.
 */
struct http_files {
	bool (*wants)(const char *method, const char *path);	/* is it one? */
	int (*serve)(struct http_req *req);			/* answers it */
};

/*
 * Starts serving on cfg->http_addr, with cfg's TLS files (what a reload
 * cannot change), the API's routes and files (may be NULL: API only;
 * must outlive the server).  NULL with a reason in err.
 */
struct http_server *http_start(struct app *app, const struct config *cfg,
    const struct http_files *files, char *err, size_t errlen);
/* Stops accepting, finishes the running request, frees. NULL is a no-op. */
void http_stop(struct http_server *srv);

/*
 * Answers. Each returns an MHD_Result for the handler to return.
 * http_reply_json() steals body, which may be NULL (a failed json_pack()):
 * a body that cannot be written is answered 500 "internal" and logged.
 */
int http_reply_json(struct http_req *req, unsigned status, json_t *body);
/*
 * An error as API.md says, with the status, and where err says none the
 * code and message, that error.c's table gives its kind.
 */
int http_reply_error(struct http_req *req, const struct error *err);
/* The error that is only its kind, with the table's status, code and text. */
int http_reply_kind(struct http_req *req, enum error_kind kind);
/* An answer of the HTTP layer's own (401, 405, 413 ...), with its status. */
int http_reply_fail(struct http_req *req, unsigned status, const char *code,
    const char *field, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int http_reply_raw(struct http_req *req, unsigned status, const char *content_type,
    char *data, size_t len);	/* takes ownership of data (malloc'd) */
int http_reply_empty(struct http_req *req, unsigned status);
/* Answers with a static buffer (not freed), for the panel's files. */
int http_reply_static(struct http_req *req, unsigned status, const char *content_type,
    const void *data, size_t len);
/*
 * Kept answers, for a large listing read far more often than the data
 * under it changes.  http_reply_kept() fills *stamp (db_stamp()) and
 * answers 200 with the body last kept for key if it was kept under the same
 * stamp; else it returns -1 and the handler builds the JSON body, under
 * that stamp, and answers with http_reply_keep(), which keeps it (in place
 * of the one kept before) and takes ownership of json (malloc'd).  Each
 * answer has the headers of http_add_header(), as any.  key must name everything
 * the body depends on besides the database: the query, the user's scope.
 * On -1 the caller holds the pool's builder lock (http_pool_build_begin():
 * one builds, the others then find it kept) until http_reply_keep(), or
 * http_reply_unkept() when it answers otherwise.
 */
int http_reply_kept(struct http_req *req, const char *key, struct db_stamp *stamp);
void http_reply_unkept(struct http_req *req);
int http_reply_keep(struct http_req *req, const char *key, const struct db_stamp *stamp,
    char *json, size_t len);

/* Adds a header to the next reply of req (at most 4). */
void http_add_header(struct http_req *req, const char *name, const char *value);

/* HTTP answers sent since start with status class (1 for 1xx ... 5 for 5xx). */
uint64_t http_requests_count(int status_class);

/* A query-string argument, or NULL. */
const char *http_arg(struct http_req *req, const char *name);
const char *http_header(struct http_req *req, const char *name);

#endif
