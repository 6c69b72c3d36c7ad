/*
 * http_pool — the HTTP server's database connections and its kept answer.
 * Private to http.c.
 *
 * Handlers run on threads of their own (http_jobs.h), beside
 * libmicrohttpd's, so that a long request (a CSV import of 120,000 lines,
 * an export) holds up its own client only.  A request borrows a database connection from this
 * pool for the work that needs one (its credentials, then its handler)
 * and gives it back as soon as that is done, not while its body arrives
 * or its answer leaves.  A struct db is thus used by one thread at a time,
 * as SQLite's multi-thread mode requires (db.c opens with
 * SQLITE_OPEN_NOMUTEX), with db_open()'s WAL, PRAGMAs and busy timeout.
 *
 * At most HTTP_POOL_MAX connections exist; a request finding none free
 * waits for one (http.c has no more threads that hold one than that, so
 * none waits).  That bounds what fifty clients of the panel cost
 * (SQLite's page cache is per connection, and building the same big
 * answer on fifty connections at once costs fifty times its memory)
 * while an import or an export leaves the others to the panel.
 *
 * The kept answer (http_reply_keep()) is one for the server, whichever
 * connection built it, guarded by a generation: the PRAGMA data_version
 * of one more connection of the pool's own, which never writes, so that
 * every commit by any other connection, of this process or another,
 * moves it on.  A request reads it before its own reads: an answer built
 * under a generation was built from all that was committed before it,
 * and is served only while the generation has not moved.
 */
#ifndef RAPPEL_HTTP_POOL_H
#define RAPPEL_HTTP_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

#define HTTP_POOL_MAX 8		/* database connections of the HTTP threads */
/*
 * How long a request's write waits for another's write transaction (an
 * import of 120,000 lines holds one for 3 s here, more on a Raspberry
 * Pi): as long as the request may last (http.c, HTTP_REQUEST_S), not the
 * 5 s of the other threads.  Before the HTTP threads, a write simply
 * waited for the import to end.
 */
#define HTTP_POOL_BUSY_MS (50 * 1000)

struct MHD_Response;

struct http_conn_db {
	struct http_conn_db *next;	/* in the pool's free list */
	struct db *db;
};

struct http_pool;

/* A pool for the database at path (copied).  Opens nothing yet. */
struct http_pool *http_pool_new(const char *path);
/*
 * A connection for the calling request: a free one, a new one while fewer
 * than HTTP_POOL_MAX exist, else the next one given back.  NULL with an
 * English reason in err when the database cannot be opened.
 */
struct http_conn_db *http_pool_take(struct http_pool *pool, char *err, size_t errlen);
/* Gives c back (NULL: nothing). */
void http_pool_give(struct http_pool *pool, struct http_conn_db *c);

/*
 * The generation of the database now, for the kept answer; -1 when it
 * cannot be read (an answer kept under -1 is never served).
 */
int64_t http_pool_stamp(struct http_pool *pool);
/*
 * The kept answer's body is shared by the responses that send it: each
 * request gets a response of its own, holding a reference to the body,
 * which is freed once the pool has dropped it and the last of them is
 * freed.  So a request sends it without the pool's lock.
 */

/*
 * When the answer kept is for key under generation gen, a new response
 * of it (its headers are the caller's to add); else NULL.
 */
struct MHD_Response *http_pool_kept(struct http_pool *pool, const char *key, int64_t gen);
/*
 * Keeps data (len bytes, malloc'd: taken) for key under gen in place of
 * the last one, and returns a new response of it.
 */
struct MHD_Response *http_pool_keep(struct http_pool *pool, const char *key, int64_t gen,
    char *data, size_t len);

/*
 * One builder of an answer to keep at a time: the others wait, then find
 * it kept, instead of building the same megabyte each (and keeping the
 * memory in their threads' malloc arenas).
 */
void http_pool_build_begin(struct http_pool *pool);
void http_pool_build_end(struct http_pool *pool);

/* Frees the page cache of the free connections (the quiet moments, http.c). */
void http_pool_release_memory(struct http_pool *pool);
/* Closes every connection and drops the kept answer; all must have been given back. */
void http_pool_free(struct http_pool *pool);

#endif
