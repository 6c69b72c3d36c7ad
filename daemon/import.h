/*
 * import — contacts in and out of spreadsheets (CSV).
 *
 * Import reads a csv_doc, maps its header (French or English names, any
 * order, any case or accents) to contact fields and applies each line in
 * its own savepoint inside one transaction: a bad line is reported with
 * its number and a French reason and changes nothing; the good lines are
 * kept (or all rolled back when dry_run).  Re-importing the same file
 * updates the contacts it created (matched by number) and duplicates
 * nothing.
 */
#ifndef RAPPEL_IMPORT_H
#define RAPPEL_IMPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "error.h"
#include "import_columns.h"

/*
 * Imports data (len bytes).  Returns a JSON object
 *   {created, updated, unchanged, skipped, groups_created, dry_run,
 *    encoding, delimiter, errors: [{line, reason}], warnings: [{line, message}],
 *    ignored_columns: [...]}
 * or NULL with *err (ERR_INVALID "invalid_csv") when the file is not a usable
 * contact list at all (not CSV, no phone column); then nothing changed.
 */
json_t *import_contacts(struct db *db, const char *data, size_t len, bool dry_run,
    const struct audit_actor *actor, int64_t now, struct error *err);

/* What a person chose for an import (see import_columns.h). */
struct import_options {
	bool dry_run;
	int chosen[IMPORT_NCOLS];	/* 1-based column chosen for each role; 0: none */
	const int *ignore;		/* 1-based columns chosen as holding nothing */
	size_t nignore;
};

/*
 * import_contacts() with the columns chosen in opt.  The result also has
 * "columns" (import_columns_map()).  A real import (not dry_run) remembers
 * the choices for the next file.
 */
json_t *import_contacts_with(struct db *db, const char *data, size_t len,
    const struct import_options *opt, const struct audit_actor *actor, int64_t now,
    struct error *err);

/*
 * Reads only the header of data and says what each column would be:
 *   {columns: [...], encoding, delimiter, missing: ["phone", ...]}
 * ("missing": the roles an import needs and does not have: "phone", and
 * "first_name" when neither name is there).  NULL with *err (400
 * "invalid_csv") when data is not CSV.
 */
json_t *import_columns_preview(struct db *db, const char *data, size_t len,
    const struct import_options *opt, struct error *err);

/*
 * Writes every contact as CSV for Excel: UTF-8 with BOM, ';', CRLF, French
 * header, numbers as "+33 6 12 34 56 78".  0, or -1 on a database error.
 */
int import_export_contacts(struct db *db, struct buf *out);

#endif
