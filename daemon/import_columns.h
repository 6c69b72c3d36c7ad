/*
 * import_columns — which column of a spreadsheet holds what.
 *
 * Centres' files head their columns as people write: « N° Portable »,
 * « Tél. », « Téléphone portable », « GSM », « Port. », « Tel mobile »,
 * « Prénom de l'enfant »…  A header is read as words, without case,
 * accents or punctuation, and given a role by the words it holds:
 * a phone word (tél, portable, mobile, GSM…) makes a phone column, a
 * landline word (fixe, domicile…) a phone column that a mobile one
 * outranks, « Numéro » alone a phone column but « N° allocataire » none.
 * A header naming two roles (« Nom Prénom ») or none gets no role.
 *
 * When a column is still not recognised, the person chooses its role in
 * the panel; a choice applied by an import is remembered (table
 * import_columns, owned here) for the next file with the same header.
 * Order of precedence for each column: the choice sent with the import,
 * then the remembered one, then the recognised one.
 */
#ifndef RAPPEL_IMPORT_COLUMNS_H
#define RAPPEL_IMPORT_COLUMNS_H

#include <jansson.h>
#include <stdint.h>

#include "csv.h"
#include "db.h"

enum import_col {
	IMPORT_FIRST,
	IMPORT_LAST,
	IMPORT_PHONE,
	IMPORT_GROUPS,
	IMPORT_LANGUAGE,
	IMPORT_CONSENT,
	IMPORT_NOTES,
	IMPORT_NCOLS,
	IMPORT_IGNORE = IMPORT_NCOLS,	/* a choice: this column holds nothing to import */
};

/* The API's name of a role ("first_name", "phone", … "ignore"). */
const char *import_role_name(int role);
/* The role named name, or -1. */
int import_role_parse(const char *name);

/* The role a header's words give it, or -1 (pure: no database). */
int import_columns_recognise(const char *header);

/*
 * Maps the header row.  chosen[role] is the 1-based column a person chose
 * for role (0: none chosen); ignored[] (nheader entries, may be NULL)
 * marks columns chosen as "ignore".  Fills col[role] with the 0-based
 * field index of each role (-1: absent) and returns, as a new JSON array,
 * one object per column:
 *   {column: 1, header: "N° Portable", role: "phone" | null,
 *    how: "chosen" | "remembered" | "recognised" | null}
 * Returns NULL on a database error (logged).
 */
json_t *import_columns_map(struct db *db, const struct csv_row *header,
    const int chosen[IMPORT_NCOLS], const unsigned char *ignored, int col[IMPORT_NCOLS]);

/*
 * Remembers the choices (as import_columns_map() takes them) for the
 * headers they name, inside the caller's transaction.  0 or -1.
 */
int import_columns_remember(struct db *db, const struct csv_row *header,
    const int chosen[IMPORT_NCOLS], const unsigned char *ignored, const char *login,
    int64_t now);

#endif
