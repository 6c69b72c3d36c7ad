/*
 * error — API errors.  See error.h.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int
error_set(struct error *e, int status, const char *code, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->status = status;
	e->code = code;
	e->field = field;
	e->existing_id = 0;
	e->suggestion = 0;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return -1;
}
