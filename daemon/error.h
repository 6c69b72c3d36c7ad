/*
 * error — why a request was refused, as a kind the domain names and an
 * answer for the user of the API, in French, as API.md says:
 *   {"error": {"code": "...", "message": "...", "field": "..."}}
 *
 * Modules below the HTTP layer fill one in where the reason is known:
 * a kind (what sort of refusal), a stable code, the field at fault, and a
 * French sentence when they have something specific to say ("Ce numéro
 * est déjà celui de ...").  They never name an HTTP status.  One table in
 * error.c says, for each kind, its HTTP status, its code and its French
 * sentence when the module said none (error_fail()); http.c renders an
 * error with it (http_reply_error(), http_reply_kind()).
 *
 *   kind           status  default code
 *   ERR_NONE        500    internal   (a -1 with nothing said: a bug)
 *   ERR_INVALID     400    invalid
 *   ERR_FORBIDDEN   403    forbidden
 *   ERR_NOT_FOUND   404    not_found
 *   ERR_CONFLICT    409    conflict
 *   ERR_DB          500    internal
 *   ERR_INTERNAL    500    internal
 *
 * The HTTP layer (http.c, api_*.c) may also answer with a status of its
 * own, through http_reply_fail(): notably those that are no kind because
 * only HTTP decides them (401, 405, 413, 415, 421, 429, 503, 507:
 * credentials, routes, sizes, rates, a full disk).
 *
 * A struct error is zeroed by its owner ({ 0 }: kind ERR_NONE); code and
 * field point to literals, message is the error's own copy.
 */
#ifndef RAPPEL_ERROR_H
#define RAPPEL_ERROR_H

#include <stdbool.h>
#include <stdint.h>

enum error_kind {
	ERR_NONE,	/* nothing said yet: the zero value */
	ERR_INVALID,	/* the request is wrong: a field, a value, a file */
	ERR_FORBIDDEN,	/* this user may not do that */
	ERR_NOT_FOUND,	/* what the request names does not exist */
	ERR_CONFLICT,	/* the data as it stands refuses it: a duplicate, an opt-out */
	ERR_DB,		/* the database failed; nothing was changed */
	ERR_INTERNAL,	/* a bug, memory, a configuration that cannot be written */
	ERR_NKINDS
};

struct error {
	enum error_kind kind;
	const char *code;	/* stable, English, snake_case: "invalid", "duplicate_phone" */
	const char *field;	/* the JSON field at fault, or NULL */
	char message[300];	/* French sentence for a person */
	int64_t existing_id;	/* for conflicts: the id of what already exists, else 0 */
	int64_t suggestion;	/* a time that would be accepted for field (rendered
				   as "suggestion", ISO 8601), else 0 */
};

/* Fills e (when not NULL) and returns -1, so that "return error_set(...)" reads well. */
int error_set(struct error *e, enum error_kind kind, const char *code, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* error_set() with the kind's own code and message from the table, no field; -1. */
int error_fail(struct error *e, enum error_kind kind);
/*
 * For a failure that may already have been said: error_fail(e, ERR_DB)
 * when e holds no kind yet, else e is left as it is; -1.
 */
int error_or_db(struct error *e);
/* Whether e says the gateway failed (ERR_DB, ERR_INTERNAL), not the request. */
bool error_is_fault(const struct error *e);

/*
 * The table, for the HTTP layer and the tests: the HTTP status, default
 * code and default French message of kind (of ERR_NONE when kind is out
 * of range).
 */
unsigned error_http_status(enum error_kind kind);
const char *error_default_code(enum error_kind kind);
const char *error_default_message(enum error_kind kind);

#endif
