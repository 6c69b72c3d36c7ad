/*
 * embedded — files built into the binary by tools/embed.c.
 * The arrays are static and live for the whole process; data is
 * NUL-terminated (the terminator is not counted in size).
 */
#ifndef RAPPEL_EMBEDDED_H
#define RAPPEL_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;		/* base name, e.g. "001_initial.sql"; NULL ends the list */
	const unsigned char *data;
	size_t size;
};

/* SQL migrations, sorted by name (sql/NNN_*.sql). */
extern const struct embedded_file embedded_sql[];

/* The panel (the files of web/) and, for each, NAME.gz: the same, gzip -9. */
extern const struct embedded_file embedded_web[];

#endif
