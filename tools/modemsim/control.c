/*
 * control — line commands that drive a running simulator.  See
 * modemsim_command() in modemsim.h.  Pure parsing on top of the public
 * functions, which do the locking.
 */
#include "modemsim.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest word of a command (a phone number, an order list). */
#define MSIM_CTL_WORD 64

/* Most parts an order list may name. */
#define MSIM_CTL_MAX_ORDER 16

/* Longest text of inject-hex, in octets (its hex is twice as long). */
#define MSIM_CTL_HEX_TEXT 1000

/* Copies the next space-separated word of *pp into w; -1 when none. */
static int
msim_ctl_word(const char **pp, char w[MSIM_CTL_WORD])
{
	const char *p = *pp;
	size_t n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return -1;
	while (*p != '\0' && *p != ' ' && *p != '\t' && n + 1 < MSIM_CTL_WORD)
		w[n++] = *p++;
	w[n] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	*pp = p;
	return 0;
}

/* A non-negative integer word; -1 when it is not one. */
static int
msim_ctl_int(const char *w)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)w[0]))
		return -1;
	v = strtol(w, &end, 10);
	return *end == '\0' && v <= 1000000 ? (int)v : -1;
}

static int
msim_ctl_encoding(const char *w, enum modemsim_encoding *enc)
{
	if (strcmp(w, "gsm7") == 0)
		*enc = MODEMSIM_GSM7;
	else if (strcmp(w, "ucs2") == 0)
		*enc = MODEMSIM_UCS2;
	else
		return -1;
	return 0;
}

/* "3,1,2" into order[] and *n; or "3" alone: *n = 3, no order. */
static int
msim_ctl_order(const char *w, int *order, int *n, bool *given)
{
	const char *p = w;
	char *end;
	long v;

	*n = 0;
	*given = strchr(w, ',') != NULL;
	if (!*given) {
		*n = msim_ctl_int(w);
		return *n >= 1 && *n <= MSIM_CTL_MAX_ORDER ? 0 : -1;
	}
	while (*p != '\0' && *n < MSIM_CTL_MAX_ORDER) {
		v = strtol(p, &end, 10);
		if (end == p || (*end != ',' && *end != '\0'))
			return -1;
		order[(*n)++] = (int)v;
		p = *end == ',' ? end + 1 : end;
	}
	return *p == '\0' ? 0 : -1;
}

/* The value of one hex digit; -1 when c is not one. */
static int
msim_ctl_xdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * The text of inject-hex: hex, an even number of digits and nothing
 * after, decoded into out (NUL-terminated, without a NUL inside); -1
 * when it is not that or does not fit.
 */
static int
msim_ctl_unhex(const char *hex, char out[MSIM_CTL_HEX_TEXT + 1])
{
	size_t n = 0;
	int hi, lo;

	while (hex[0] != '\0' && hex[0] != ' ' && hex[0] != '\t') {
		if (n == MSIM_CTL_HEX_TEXT || (hi = msim_ctl_xdigit(hex[0])) < 0 ||
		    (lo = msim_ctl_xdigit(hex[1])) < 0 || (hi | lo) == 0)
			return -1;
		out[n++] = (char)(hi << 4 | lo);
		hex += 2;
	}
	out[n] = '\0';
	return n > 0 && hex[0] == '\0' ? 0 : -1;
}

/* inject / inject-parts / inject-hex */
static int
msim_ctl_inject(struct modemsim *ms, const char *p, const char *cmd, char *reply,
    size_t sz)
{
	struct modemsim_incoming in;
	char from[MSIM_CTL_WORD], enc[MSIM_CTL_WORD], ord[MSIM_CTL_WORD];
	char text[MSIM_CTL_HEX_TEXT + 1];
	int order[MSIM_CTL_MAX_ORDER], n = 0, rc;
	bool given = false, parts = strcmp(cmd, "inject-parts") == 0;
	bool hex = strcmp(cmd, "inject-hex") == 0;

	memset(&in, 0, sizeof(in));
	if (msim_ctl_word(&p, from) == -1 || msim_ctl_word(&p, enc) == -1 ||
	    msim_ctl_encoding(enc, &in.encoding) == -1 ||
	    (parts && (msim_ctl_word(&p, ord) == -1 ||
	    msim_ctl_order(ord, order, &n, &given) == -1)) || *p == '\0' ||
	    (hex && msim_ctl_unhex(p, text) == -1)) {
		snprintf(reply, sz, "error usage: %s FROM gsm7|ucs2%s %s", cmd,
		    parts ? " ORDER" : "", hex ? "HEX" : "TEXT");
		return -1;
	}
	in.from = from;
	in.text = hex ? text : p;
	in.parts = n;
	in.order = given ? order : NULL;
	if ((rc = modemsim_inject(ms, &in)) < 0) {
		snprintf(reply, sz, "error inject: %s", strerror(errno));
		return -1;
	}
	snprintf(reply, sz, "ok parts=%d", rc);
	return 0;
}

/* Commands with one or two integer arguments. */
static int
msim_ctl_numbers(struct modemsim *ms, const char *cmd, const char *p, char *reply,
    size_t sz)
{
	char w1[MSIM_CTL_WORD] = "", w2[MSIM_CTL_WORD] = "";
	int a, b;

	msim_ctl_word(&p, w1);
	msim_ctl_word(&p, w2);
	a = msim_ctl_int(w1);
	b = w2[0] ? msim_ctl_int(w2) : 0;
	if (a < 0 || b < 0) {
		snprintf(reply, sz, "error usage: %s N [M]", cmd);
		return -1;
	}
	if (strcmp(cmd, "latency") == 0)
		modemsim_set_latency(ms, a, b);
	else if (strcmp(cmd, "cms-every") == 0)
		modemsim_set_cms_error(ms, a, b);
	else if (strcmp(cmd, "register") == 0)
		modemsim_set_registered(ms, a != 0);
	else if (strcmp(cmd, "garbage") == 0)
		modemsim_set_garbage(ms, a);
	else if (strcmp(cmd, "reports") == 0)
		modemsim_set_reports(ms, a != 0);
	else
		modemsim_set_mute(ms, a != 0);
	snprintf(reply, sz, "ok");
	return 0;
}

static int
msim_ctl_report(struct modemsim *ms, const char *p, char *reply, size_t sz)
{
	char w1[MSIM_CTL_WORD] = "", w2[MSIM_CTL_WORD] = "";
	int ref;

	msim_ctl_word(&p, w1);
	msim_ctl_word(&p, w2);
	ref = msim_ctl_int(w1);
	if (ref < 0 || ref > 255 || (strcmp(w2, "delivered") != 0 && strcmp(w2, "failed") != 0)) {
		snprintf(reply, sz, "error usage: report REF delivered|failed");
		return -1;
	}
	if (modemsim_inject_report(ms, ref, strcmp(w2, "delivered") == 0) == -1) {
		snprintf(reply, sz, "error report: SIM full");
		return -1;
	}
	snprintf(reply, sz, "ok");
	return 0;
}

/* unplug / replug */
static int
msim_ctl_plug(struct modemsim *ms, bool on, char *reply, size_t sz)
{
	if ((on ? modemsim_replug(ms) : modemsim_unplug(ms)) == -1) {
		snprintf(reply, sz, "error already %s", on ? "plugged" : "unplugged");
		return -1;
	}
	snprintf(reply, sz, "ok");
	return 0;
}

/* call FROM [RINGS [RING_MS]] */
static int
msim_ctl_call(struct modemsim *ms, const char *p, char *reply, size_t sz)
{
	char from[MSIM_CTL_WORD], w1[MSIM_CTL_WORD] = "", w2[MSIM_CTL_WORD] = "";
	int rings = 0, ring_ms = 0;

	if (msim_ctl_word(&p, from) == -1 || (msim_ctl_word(&p, w1) == 0 &&
	    (rings = msim_ctl_int(w1)) < 0) || (msim_ctl_word(&p, w2) == 0 &&
	    (ring_ms = msim_ctl_int(w2)) < 0) || *p != '\0') {
		snprintf(reply, sz, "error usage: call FROM [RINGS [RING_MS]]");
		return -1;
	}
	if (modemsim_call(ms, from, rings, ring_ms) == -1) {
		snprintf(reply, sz, "error call: a call rings already, no network, or not a "
		    "number");
		return -1;
	}
	snprintf(reply, sz, "ok");
	return 0;
}

int
modemsim_command(struct modemsim *ms, const char *line, char *reply, size_t replysz)
{
	char cmd[MSIM_CTL_WORD];
	const char *p = line;

	if (msim_ctl_word(&p, cmd) == -1) {
		snprintf(reply, replysz, "error empty command");
		return -1;
	}
	if (strcmp(cmd, "inject") == 0 || strcmp(cmd, "inject-parts") == 0 ||
	    strcmp(cmd, "inject-hex") == 0)
		return msim_ctl_inject(ms, p, cmd, reply, replysz);
	if (strcmp(cmd, "report") == 0)
		return msim_ctl_report(ms, p, reply, replysz);
	if (strcmp(cmd, "latency") == 0 || strcmp(cmd, "cms-every") == 0 ||
	    strcmp(cmd, "register") == 0 || strcmp(cmd, "mute") == 0 ||
	    strcmp(cmd, "garbage") == 0 || strcmp(cmd, "reports") == 0)
		return msim_ctl_numbers(ms, cmd, p, reply, replysz);
	if (strcmp(cmd, "unplug") == 0 || strcmp(cmd, "replug") == 0)
		return msim_ctl_plug(ms, cmd[0] == 'r', reply, replysz);
	if (strcmp(cmd, "call") == 0)
		return msim_ctl_call(ms, p, reply, replysz);
	if (strcmp(cmd, "hangup") == 0) {
		if (modemsim_hangup(ms) == -1) {
			snprintf(reply, replysz, "error no call rings");
			return -1;
		}
		snprintf(reply, replysz, "ok");
		return 0;
	}
	if (strcmp(cmd, "status") == 0) {
		snprintf(reply, replysz, "ok submits=%d sim=%d", modemsim_submit_count(ms),
		    modemsim_sim_used(ms));
		return 0;
	}
	snprintf(reply, replysz, "error unknown command: %s", cmd);
	return -1;
}
