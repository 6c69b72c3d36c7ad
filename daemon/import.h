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

/*
 * Writes every contact as CSV for Excel: UTF-8 with BOM, ';', CRLF, French
 * header, numbers as "+33 6 12 34 56 78".  0, or -1 on a database error.
 */
int import_export_contacts(struct db *db, struct buf *out);

#endif
