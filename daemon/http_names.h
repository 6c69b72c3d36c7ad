/*
 * http_names — the names in Host and Origin headers, for http.c's checks
 * against DNS rebinding and other sites' pages (the top of http.c).  Pure
 * string work, no request.
 */
#ifndef RAPPEL_HTTP_NAMES_H
#define RAPPEL_HTTP_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* The host part of a Host header or of an Origin's authority: [v6], name or address. */
void http_host_name(const char *host, char *out, size_t size);
/* True when name is in list, a comma-separated list of names (spaces ignored), or list is "*". */
bool http_name_listed(const char *list, const char *name);
/*
 * True unless a state-changing request (method) carries an origin (a
 * browser) that is not host, the address it was sent to: another site's
 * page posting here.  origin and host may be NULL (absent).
 */
bool http_origin_matches(const char *method, const char *origin, const char *host);

#endif
