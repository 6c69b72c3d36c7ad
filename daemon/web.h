/*
 * web — the panel's files (web/), built into the binary by tools/embed.c,
 * served to any client without credentials: the pages only show what the
 * JSON API then gives a logged-in user.  Only the names built in are
 * served, so no path reaches the file system.  Each answer has an ETag
 * (If-None-Match gives 304) and is gzip-compressed when the client says
 * it accepts it.
 */
#ifndef RAPPEL_WEB_H
#define RAPPEL_WEB_H

#include <stdbool.h>

#include "http.h"

/* True when a request is for the panel: GET or HEAD outside /api/ and /healthz. */
bool web_wants(const char *method, const char *path);

/* Answers a panel request (404 for a name that is not built in). */
int web_serve(struct http_req *req);

#endif
