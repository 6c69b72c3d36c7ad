/*
 * log — priority-prefixed lines on stderr.  See log.h.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum log_level log_max = LOG_LEVEL_INFO;
static bool log_prefix = true;

void
log_set_level(enum log_level level)
{
	log_max = level;
}

void
log_set_prefix(bool on)
{
	log_prefix = on;
}

static void __attribute__((format(printf, 2, 0)))
log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	char line[2048];
	size_t n = 0;
	int r;

	if (level > log_max)
		return;
	if (log_prefix)
		n = (size_t)snprintf(line, sizeof(line), "<%d>", (int)level);
	r = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	if (r < 0)
		return;
	n += (size_t)r;
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	/* One write per line so that threads do not interleave. */
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(level, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}

void
log_mask_phone(const char *number, char *out, size_t size)
{
	size_t len = number ? strlen(number) : 0;

	if (size == 0)
		return;
	if (len >= 8) {
		/* keep "+33" and the first digit, hide all but the last four */
		snprintf(out, size, "%.4s****%s", number, number + len - 4);
	} else if (len >= 2) {
		snprintf(out, size, "****%s", number + len - 2);
	} else {
		snprintf(out, size, "****");
	}
}
