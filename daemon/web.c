/*
 * web — the panel's built-in files.  See web.h.
 */
#include "web.h"

#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "embedded.h"

#define WEB_NAME_MAX 64		/* longest file name served */
#define WEB_FILES_MAX 32	/* files in web/, their .gz copies apart */

struct web_type {
	const char *ext;
	const char *type;
};

static const struct web_type web_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".json", "application/json" },
};

/* ETags, one per built-in file, computed once (BLAKE2b of the contents). */
static char web_etags[WEB_FILES_MAX * 2][24];
static pthread_once_t web_etags_once = PTHREAD_ONCE_INIT;

static void
web_etags_compute(void)
{
	unsigned char h[8];
	size_t i, j;

	for (i = 0; embedded_web[i].name && i < WEB_FILES_MAX * 2; i++) {
		crypto_generichash(h, sizeof(h), embedded_web[i].data, embedded_web[i].size,
		    NULL, 0);
		web_etags[i][0] = '"';
		for (j = 0; j < sizeof(h); j++)
			snprintf(&web_etags[i][1 + 2 * j], 3, "%02x", h[j]);
		snprintf(&web_etags[i][17], 2, "\"");
	}
}

bool
web_wants(const char *method, const char *path)
{
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return false;
	return strncmp(path, "/api/", 5) != 0 && strcmp(path, "/api") != 0 &&
	    strcmp(path, "/healthz") != 0 && strcmp(path, "/metrics") != 0;
}

static int
web_find(const char *name)
{
	int i;

	for (i = 0; embedded_web[i].name; i++)
		if (strcmp(embedded_web[i].name, name) == 0)
			return i;
	return -1;
}

static const char *
web_type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot && i < sizeof(web_types) / sizeof(web_types[0]); i++)
		if (strcmp(dot, web_types[i].ext) == 0)
			return web_types[i].type;
	return "application/octet-stream";
}

/* True when the client's Accept-Encoding lists gzip (not refused with q=0). */
static bool
web_accepts_gzip(struct http_req *req)
{
	const char *ae = http_header(req, MHD_HTTP_HEADER_ACCEPT_ENCODING);
	const char *g = ae ? strstr(ae, "gzip") : NULL;

	return g != NULL && strncmp(g + 4, ";q=0", 4) != 0;
}

int
web_serve(struct http_req *req)
{
	const char *name = req->path[0] == '/' ? req->path + 1 : req->path;
	const char *inm;
	char gz[WEB_NAME_MAX + 4];
	int i, z;

	pthread_once(&web_etags_once, web_etags_compute);
	if (name[0] == '\0')
		name = "index.html";
	if (strlen(name) > WEB_NAME_MAX || strchr(name, '/') || strstr(name, ".gz") ||
	    (i = web_find(name)) < 0)
		return http_reply_fail(req, 404, "not_found", NULL, "Page inconnue.");
	req->cacheable = true;
	http_add_header(req, "ETag", web_etags[i]);
	http_add_header(req, "Vary", "Accept-Encoding");
	if ((inm = http_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH)) != NULL &&
	    strstr(inm, web_etags[i]) != NULL)
		return http_reply_static(req, 304, web_type_of(name), "", 0);
	snprintf(gz, sizeof(gz), "%s.gz", name);
	if (web_accepts_gzip(req) && (z = web_find(gz)) >= 0 &&
	    embedded_web[z].size < embedded_web[i].size) {
		http_add_header(req, "Content-Encoding", "gzip");
		return http_reply_static(req, 200, web_type_of(name), embedded_web[z].data,
		    embedded_web[z].size);
	}
	return http_reply_static(req, 200, web_type_of(name), embedded_web[i].data,
	    embedded_web[i].size);
}
