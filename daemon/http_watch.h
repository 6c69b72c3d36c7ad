/*
 * http_watch — the HTTP connections' deadlines, and the thread that
 * enforces them.  Private to http.c.
 *
 * Each connection has a deadline (CLOCK_MONOTONIC): for its headers once
 * it opens, for its whole request once they have come, for its silence
 * and next headers once a request ends.  Once a second, the watch shuts
 * down the socket of every connection past its own; libmicrohttpd then
 * closes it.  However slowly the bytes of a request trickle in, it ends.
 * The socket stays open until its record is closed here (libmicrohttpd
 * notifies a close before closing), so under the lock a record's fd is
 * always its connection's.
 */
#ifndef RAPPEL_HTTP_WATCH_H
#define RAPPEL_HTTP_WATCH_H

#include <stdbool.h>

struct http_watch;
struct http_watch_conn;

/* An empty watch; its thread is not started. */
struct http_watch *http_watch_new(void);
/* Starts the thread: 0, or an errno value. */
int http_watch_start(struct http_watch *w);
/* Stops the thread if it runs; frees w once every connection is closed. */
void http_watch_stop(struct http_watch *w);
void http_watch_free(struct http_watch *w);

/*
 * A connection opened on fd, given seconds for its headers.  Counted even
 * without a record (fd -1, or out of memory: NULL, and no deadline; the
 * idle timeout still applies).
 */
struct http_watch_conn *http_watch_open(struct http_watch *w, int fd, int seconds);
/* Moves c's deadline to seconds from now.  c NULL: nothing. */
void http_watch_move(struct http_watch *w, struct http_watch_conn *c, int seconds);
/* c (may be NULL) closed; true when it was the last one open. */
bool http_watch_close(struct http_watch *w, struct http_watch_conn *c);

#endif
