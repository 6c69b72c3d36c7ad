/*
 * error — an error for the user of the API, in French, as API.md says:
 *   {"error": {"code": "...", "message": "...", "field": "..."}}
 * Modules below the HTTP layer fill one in so that the reason is said
 * where it is known; the HTTP layer only renders it.
 */
#ifndef RAPPEL_ERROR_H
#define RAPPEL_ERROR_H

#include <stdint.h>

struct error {
	int status;		/* HTTP status: 400, 404, 409, 413, 429, 500 ... */
	const char *code;	/* stable, English, snake_case: "invalid", "duplicate_phone" */
	const char *field;	/* the JSON field at fault, or NULL */
	char message[300];	/* French sentence for a person */
	int64_t existing_id;	/* for conflicts: the id of what already exists, else 0 */
	int64_t suggestion;	/* a time that would be accepted for field (rendered
				   as "suggestion", ISO 8601), else 0 */
};

/* Fills e (when not NULL) and returns -1, so that "return error_set(...)" reads well. */
int error_set(struct error *e, int status, const char *code, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
