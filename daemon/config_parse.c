/*
 * config_parse — the values of the configuration file that are not plain
 * text or a number: sending hours ("08:30-19:30") and the HTTP listening
 * address ("127.0.0.1:8080", "[::]:8080").  See config.h.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 0 for a port number 0-65535 written in digits only, else -1. */
static int
config_parse_port(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return errno || end == s || *end != '\0' || v < 0 || v > 65535 ? -1 : 0;
}

int
config_parse_hhmm(const char *s, size_t len, int *minutes)
{
	int h, m;

	if (len != 5 || s[2] != ':' ||
	    sscanf(s, "%2d:%2d", &h, &m) != 2)
		return -1;
	if (h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0))
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

int
config_parse_hours(const char *value, int *start, int *end)
{
	const char *dash = strchr(value, '-');

	if (dash == NULL ||
	    config_parse_hhmm(value, (size_t)(dash - value), start) < 0 ||
	    config_parse_hhmm(dash + 1, strlen(dash + 1), end) < 0 ||
	    *start >= *end)
		return -1;
	return 0;
}

int
config_parse_listen(const char *value, struct sockaddr_storage *addr, socklen_t *len)
{
	struct addrinfo hints = { 0 }, *res = NULL;
	char host[128];
	const char *colon = strrchr(value, ':');
	const char *port;
	size_t hlen;

	if (colon == NULL)
		return -1;
	port = colon + 1;
	hlen = (size_t)(colon - value);
	if (hlen >= 2 && value[0] == '[' && value[hlen - 1] == ']') {
		value++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof(host) || config_parse_port(port) < 0)
		return -1;
	memcpy(host, value, hlen);
	host[hlen] = '\0';
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	memcpy(addr, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}
