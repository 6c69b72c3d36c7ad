/*
 * error — API errors, and the one table from an error's kind to its HTTP
 * status and French text.  See error.h.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

static const char error_internal[] = "Erreur interne.";

/* Each kind: the HTTP status, and the code and French text it says when its module said none. */
static const struct {
	unsigned status;
	const char *code;
	const char *message;
} error_table[ERR_NKINDS] = {
	[ERR_NONE] = { 500, "internal", error_internal },	/* -1 with nothing said */
	[ERR_INVALID] = { 400, "invalid", "Requête invalide." },
	[ERR_FORBIDDEN] = { 403, "forbidden", "Accès refusé." },
	[ERR_NOT_FOUND] = { 404, "not_found", "Introuvable." },
	[ERR_CONFLICT] = { 409, "conflict", "Refusé dans l'état actuel des données." },
	[ERR_DB] = { 500, "internal", "Erreur de la base de données." },
	[ERR_INTERNAL] = { 500, "internal", error_internal },
};

static enum error_kind
error_known(enum error_kind kind)
{
	return (unsigned)kind < ERR_NKINDS ? kind : ERR_NONE;
}

unsigned
error_http_status(enum error_kind kind)
{
	return error_table[error_known(kind)].status;
}

const char *
error_default_code(enum error_kind kind)
{
	return error_table[error_known(kind)].code;
}

const char *
error_default_message(enum error_kind kind)
{
	return error_table[error_known(kind)].message;
}

int
error_set(struct error *e, enum error_kind kind, const char *code, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->kind = kind;
	e->code = code;
	e->field = field;
	e->existing_id = 0;
	e->suggestion = 0;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return -1;
}

int
error_fail(struct error *e, enum error_kind kind)
{
	return error_set(e, kind, error_default_code(kind), NULL, "%s",
	    error_default_message(kind));
}

int
error_or_db(struct error *e)
{
	if (e != NULL && e->kind != ERR_NONE)
		return -1;
	return error_fail(e, ERR_DB);
}

bool
error_is_fault(const struct error *e)
{
	return e->kind == ERR_DB || e->kind == ERR_INTERNAL;
}
