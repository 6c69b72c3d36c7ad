/*
 * fuzz_csv — a contact list uploaded for import: the CSV reader
 * (csv_parse) and then the import itself (import_contacts, dry run) on a
 * database that already holds two contacts, so that re-imports go
 * through the update path.  Every parsed field is UTF-8; writing a field
 * back (csv_write_field) and reading it again gives it back.
 */
#include "csv.h"
#include "fuzz.h"
#include "import.h"
#include "text.h"

static struct db *fuzz_db;

/* Two contacts of the fixtures, imported for real once. */
static const char fuzz_csv_known[] =
    "Prénom;Nom;Téléphone;Groupe(s);Langue\r\n"
    "Éloïse;Martin;06 39 98 00 01;Atelier informatique;fr\r\n"
    "Karim;Benali;06 39 98 00 02;Seniors du jeudi, Parents;ar\r\n";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct audit_actor actor = { 0, "fuzz" };
	struct error err = { 0 };
	json_t *r;

	(void)argc;
	(void)argv;
	fuzz_setup();
	fuzz_db = fuzz_db_open();
	r = import_contacts(fuzz_db, fuzz_csv_known, sizeof(fuzz_csv_known) - 1, false,
	    &actor, FUZZ_NOW, &err);
	fuzz_assert(r != NULL);
	json_decref(r);
	return 0;
}

/* Writes field under a header, next to a second one ("x"), and reads it back. */
static void
fuzz_csv_round_trip(const char *field, char delimiter)
{
	struct buf b = { 0 };
	struct csv_doc *doc;
	char err[256];
	char sep[1] = { delimiter };

	buf_append(&b, "a", 1);
	buf_append(&b, sep, 1);
	buf_append(&b, "b\r\n", 3);
	csv_write_field(&b, field, delimiter);
	buf_append(&b, sep, 1);
	buf_append(&b, "x\r\n", 3);
	doc = csv_parse(b.data, b.len, err, sizeof(err));
	fuzz_assert(doc != NULL && doc->nrows == 2 && doc->rows[1].nfields == 2);
	fuzz_assert(strcmp(doc->rows[1].fields[1], "x") == 0);
	csv_doc_free(doc);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct audit_actor actor = { 0, "fuzz" };
	struct error ierr = { 0 };
	struct csv_doc *doc;
	char err[256] = "";
	json_t *r;
	size_t i, j;

	doc = csv_parse((const char *)data, size, err, sizeof(err));
	if (doc == NULL) {
		fuzz_assert(err[0] != '\0');
	} else {
		fuzz_assert(doc->delimiter == ';' || doc->delimiter == ',');
		for (i = 0; i < doc->nrows; i++) {
			for (j = 0; j < doc->rows[i].nfields; j++) {
				const char *f = doc->rows[i].fields[j];
				fuzz_assert(text_utf8_valid(f, strlen(f)));
				if (i < 4)
					fuzz_csv_round_trip(f, doc->delimiter);
			}
		}
		csv_doc_free(doc);
	}
	r = import_contacts(fuzz_db, (const char *)data, size, true, &actor, FUZZ_NOW, &ierr);
	fuzz_assert(r != NULL || error_http_status(ierr.kind) == 400);
	fuzz_assert(sqlite3_get_autocommit(db_handle(fuzz_db)));
	json_decref(r);
	return 0;
}
