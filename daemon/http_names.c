/*
 * http_names — the names in Host and Origin headers.  See http_names.h.
 */
#include "http_names.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The host part of a Host header or of an Origin's authority: [v6], name or address. */
void
http_host_name(const char *host, char *out, size_t size)
{
	size_t n;

	if (host[0] == '[') {
		n = strcspn(host + 1, "]");
		snprintf(out, size, "%.*s", (int)n, host + 1);
		return;
	}
	n = strcspn(host, ":");
	snprintf(out, size, "%.*s", (int)n, host);
	n = strlen(out);
	if (n && out[n - 1] == '.')	/* "localhost." is localhost */
		out[n - 1] = '\0';
}

/* True when name is in list, a comma-separated list of names (spaces ignored), or list is "*". */
bool
http_name_listed(const char *list, const char *name)
{
	size_t n = strlen(name), len;
	const char *p = list;

	if (list == NULL)
		return false;
	if (strcmp(list, "*") == 0)
		return true;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		len = strcspn(p, ", ");
		if (len == n && len && strncasecmp(p, name, n) == 0)
			return true;
		p += len;
	}
	return false;
}

/*
 * True unless a state-changing request carries an Origin (a browser) that
 * is not the address it was sent to: another site's page posting here.
 */
bool
http_origin_matches(const char *method, const char *origin, const char *host)
{
	const char *authority;

	if (origin == NULL || strcmp(method, "GET") == 0 ||
	    strcmp(method, "HEAD") == 0 || strcmp(method, "OPTIONS") == 0)
		return true;
	if (strncasecmp(origin, "http://", 7) == 0)
		authority = origin + 7;
	else if (strncasecmp(origin, "https://", 8) == 0)
		authority = origin + 8;
	else
		return false;	/* "null": a sandboxed page, a file, a redirect */
	return host != NULL && strcasecmp(authority, host) == 0;
}
