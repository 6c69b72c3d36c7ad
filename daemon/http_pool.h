/*
 * http_pool — the HTTP server's database connections.  Private to http.c.
 *
 * libmicrohttpd runs a thread per client connection (http.c), so that a
 * long request (a CSV import of 120,000 lines, an export) holds its own
 * connection only and the panel's other requests go on.  Each request
 * takes a database connection from this pool when its headers arrive and
 * gives it back when it is complete: a struct db is used by one thread at
 * a time, as SQLite's multi-thread mode requires (db.c opens with
 * SQLITE_OPEN_NOMUTEX), and every request sees the same WAL, PRAGMAs and
 * busy timeout as the other threads (db_open()).  A connection is opened
 * when none is free; HTTP_POOL_IDLE of them are kept, with their prepared
 * statements, between requests; more are closed when given back.
 *
 * Each connection keeps the answer its last listing chose to keep
 * (http_reply_keep()): the stamp that guards it (db_stamp()) is this
 * connection's own.  The pool hands out the connection given back last,
 * so a quiet panel finds its answer there.
 */
#ifndef RAPPEL_HTTP_POOL_H
#define RAPPEL_HTTP_POOL_H

#include <stddef.h>

#include "db.h"

#define HTTP_POOL_IDLE 4	/* connections kept open between requests */

struct MHD_Response;

/* The answer kept for a key under a stamp (http.c). */
struct http_kept {
	char *key;
	struct db_stamp stamp;
	struct MHD_Response *resp;
};

struct http_conn_db {
	struct http_conn_db *next;	/* in the pool's free list */
	struct db *db;
	struct http_kept kept;
};

struct http_pool;

/* A pool for the database at path (copied).  Opens nothing yet. */
struct http_pool *http_pool_new(const char *path);
/*
 * A connection for the calling request: a free one, or a new one.  NULL
 * with an English reason in err when the database cannot be opened.
 */
struct http_conn_db *http_pool_take(struct http_pool *pool, char *err, size_t errlen);
/* Gives c back (NULL: nothing); closed if HTTP_POOL_IDLE are free already. */
void http_pool_give(struct http_pool *pool, struct http_conn_db *c);
/* Frees the page cache of the free connections (the quiet moments, http.c). */
void http_pool_release_memory(struct http_pool *pool);
/* Closes every connection; all must have been given back.  NULL: nothing. */
void http_pool_free(struct http_pool *pool);

#endif
