/*
 * check_import — CSV contact import and export against a real database,
 * with the fixture files of tests/data.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contacts.h"
#include "import.h"
#include "test_db.h"
#include "test_main.h"
#include "timeutil.h"

#define T0 1800000000

static const struct audit_actor import_actor = { 0, "test" };

static char *
import_test_read(const char *name, size_t *len)
{
	char path[512];
	struct buf b = { 0 };
	char chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", test_data_dir(), name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_steal(&b);
}

static json_t *
import_test_file(struct db *db, const char *name, bool dry_run, struct error *err)
{
	size_t len;
	char *data = import_test_read(name, &len);
	json_t *res = import_contacts(db, data, len, dry_run, &import_actor, T0, err);

	free(data);
	return res;
}

static long long
import_test_int(json_t *res, const char *key)
{
	return json_integer_value(json_object_get(res, key));
}

START_TEST(import_test_excel_idempotent)
{
	struct test_db t;
	struct error err = { 0 };
	json_t *res;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	res = import_test_file(t.db, "contacts_excel_semicolon_bom.csv", false, &err);
	ck_assert_msg(res != NULL, "%s", err.message);
	ck_assert_int_eq(import_test_int(res, "created"), 12);
	ck_assert_int_eq(import_test_int(res, "skipped"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(res, "encoding")), "utf-8-bom");
	ck_assert_str_eq(json_string_value(json_object_get(res, "delimiter")), ";");
	json_decref(res);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contacts"), 12);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contacts "
	    "WHERE first_name = 'Éloïse' AND consent_at IS NOT NULL"), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM groups "
	    "WHERE name = 'Seniors du jeudi'"), 1);

	/* the same file again: nothing created, nothing duplicated */
	res = import_test_file(t.db, "contacts_excel_semicolon_bom.csv", false, &err);
	ck_assert_ptr_nonnull(res);
	ck_assert_int_eq(import_test_int(res, "created"), 0);
	ck_assert_int_eq(import_test_int(res, "unchanged"), 12);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(res,
	    "rows"), 11), "action")), "unchanged");
	json_decref(res);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contacts"), 12);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contact_phones"), 12);
	test_db_close(&t);
}
END_TEST

START_TEST(import_test_windows1252)
{
	struct test_db t;
	struct error err = { 0 };
	json_t *res;

	test_db_open(&t);
	res = import_test_file(t.db, "contacts_windows1252.csv", false, &err);
	ck_assert_msg(res != NULL, "%s", err.message);
	ck_assert_str_eq(json_string_value(json_object_get(res, "encoding")), "windows-1252");
	ck_assert_int_eq(import_test_int(res, "created"), 6);
	json_decref(res);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contacts WHERE "
	    "first_name IN ('Hélène', 'Françoise', 'Jérôme', 'Cécile', 'Gaël', 'Benoît')"), 6);
	test_db_close(&t);
}
END_TEST

START_TEST(import_test_bad_lines)
{
	static const int bad[] = { 3, 4, 5, 6, 8, 9, 10, 11, 13, 14, 15, 16, 18, 19, 20, 22,
		23, 25, 28, 30 };
	struct test_db t;
	struct error err = { 0 };
	json_t *res, *errors, *e;
	size_t i;

	test_db_open(&t);
	res = import_test_file(t.db, "contacts_20_bad_lines.csv", false, &err);
	ck_assert_msg(res != NULL, "%s", err.message);
	errors = json_object_get(res, "errors");
	ck_assert_int_eq(json_array_size(errors), 20);
	ck_assert_int_eq(import_test_int(res, "skipped"), 20);
	ck_assert_int_eq(import_test_int(res, "created"), 10);
	json_array_foreach(errors, i, e) {
		ck_assert_int_eq(json_integer_value(json_object_get(e, "line")), bad[i]);
		ck_assert(strlen(json_string_value(json_object_get(e, "reason"))) > 10);
	}
	json_decref(res);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contacts"), 10);
	test_db_close(&t);
}
END_TEST

START_TEST(import_test_dry_run)
{
	struct test_db t;
	struct error err = { 0 };
	json_t *res, *row;

	test_db_open(&t);
	res = import_test_file(t.db, "contacts_libreoffice_comma.csv", true, &err);
	ck_assert_msg(res != NULL, "%s", err.message);
	ck_assert_int_eq(import_test_int(res, "created"), 8);
	ck_assert(json_is_true(json_object_get(res, "dry_run")));
	/* the preview lists the contacts it would create */
	ck_assert_int_eq(json_array_size(json_object_get(res, "rows")), 8);
	row = json_array_get(json_object_get(res, "rows"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(row, "action")), "created");
	ck_assert_int_eq(json_integer_value(json_object_get(row, "line")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(row, "phone")), "+33639980101");
	ck_assert_str_eq(json_string_value(json_object_get(row, "first_name")), "Sarah");
	json_decref(res);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contacts"), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM groups"), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM audit_log"), 0);
	test_db_close(&t);
}
END_TEST

START_TEST(import_test_refused_whole)
{
	struct test_db t;
	struct error err = { 0 };
	static const char no_phone[] = "Prénom;Nom;Ville\nMarie;Curie;Lens\n";

	test_db_open(&t);
	ck_assert_ptr_null(import_test_file(t.db, "not_a_csv.csv", false, &err));
	ck_assert_int_eq(error_http_status(err.kind), 400);
	ck_assert_str_eq(err.code, "invalid_csv");
	ck_assert_ptr_null(import_contacts(t.db, no_phone, sizeof(no_phone) - 1, false,
	    &import_actor, T0, &err));
	ck_assert_ptr_nonnull(strstr(err.message, "téléphone"));
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contacts"), 0);
	test_db_close(&t);
}
END_TEST

/* Headers as centres' spreadsheets write them, and what each one holds. */
START_TEST(import_test_real_world_headers)
{
	static const struct {
		const char *header;
		int role;
	} cases[] = {
		{ "N° Portable", IMPORT_PHONE }, { "Tél.", IMPORT_PHONE },
		{ "Téléphone portable", IMPORT_PHONE }, { "GSM", IMPORT_PHONE },
		{ "Numéro", IMPORT_PHONE }, { "Port.", IMPORT_PHONE },
		{ "Tel mobile", IMPORT_PHONE }, { "TEL_MOBILE", IMPORT_PHONE },
		{ "N° de téléphone", IMPORT_PHONE }, { "Tél. fixe", IMPORT_PHONE },
		{ "Téléphone 2", IMPORT_PHONE }, { "Mobile phone", IMPORT_PHONE },
		{ "N° allocataire", -1 }, { "Numéro de dossier CAF", -1 },
		{ "Nom Prénom", -1 }, { "Nom et prénom", -1 }, { "Ville", -1 },
		{ "Date de naissance", -1 }, { "", -1 },
		{ "Prénom de l'enfant", IMPORT_FIRST }, { "PRENOM", IMPORT_FIRST },
		{ "First name", IMPORT_FIRST }, { "FirstName", IMPORT_FIRST },
		{ "Nom de famille", IMPORT_LAST }, { "Nom d'usage", IMPORT_LAST },
		{ "Last name", IMPORT_LAST }, { "NOM", IMPORT_LAST },
		{ "Groupe(s)", IMPORT_GROUPS }, { "Langue parlée", IMPORT_LANGUAGE },
		{ "Langue", IMPORT_LANGUAGE }, { "Date du consentement", IMPORT_CONSENT },
		{ "Consentement SMS", IMPORT_CONSENT }, { "Remarques", IMPORT_NOTES },
		{ "Commentaire", IMPORT_NOTES },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(import_columns_recognise(cases[i].header) == cases[i].role,
		    "« %s »: %d, expected %d", cases[i].header,
		    import_columns_recognise(cases[i].header), cases[i].role);
}
END_TEST

/*
 * A file saved by Excel (Windows-1252, ";") whose numbers are under
 * « N° Portable », after a « Tél. fixe » column: the mobile is the phone,
 * the landline and « N° allocataire » are left out, and said so.
 */
START_TEST(import_test_n_portable)
{
	struct test_db t;
	struct error err = { 0 };
	json_t *res, *cols;

	test_db_open(&t);
	res = import_test_file(t.db, "contacts_excel_n_portable.csv", false, &err);
	ck_assert_msg(res != NULL, "%s", err.message);
	ck_assert_int_eq(import_test_int(res, "created"), 3);
	ck_assert_int_eq(json_array_size(json_object_get(res, "errors")), 0);
	cols = json_object_get(res, "columns");
	ck_assert_int_eq(json_array_size(cols), 6);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(cols, 3), "role")),
	    "phone");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(cols, 3), "how")),
	    "recognised");
	ck_assert(json_is_null(json_object_get(json_array_get(cols, 2), "role")));
	ck_assert_int_eq(json_array_size(json_object_get(res, "ignored_columns")), 2);
	json_decref(res);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contacts c "
	    "JOIN contact_phones p ON p.contact_id = c.id WHERE c.first_name = 'Gérard' "
	    "AND p.number = '+33639980101' AND c.notes = 'vient le mardi'"), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contact_phones "
	    "WHERE number LIKE '+333%'"), 0);
	test_db_close(&t);
}
END_TEST

/*
 * Headers nobody could guess: the preview says what is missing, the person
 * chooses the columns, the import applies the choice and remembers it for
 * the next file with the same headers.
 */
START_TEST(import_test_chosen_columns_remembered)
{
	static const char csv[] = "Famille;Qui;Contact SMS;Ville\n"
	    "Martin;Éloïse;06 39 98 02 01;Lens\nDubois;Paul;06 39 98 02 02;Liévin\n";
	static const int ignore_city[] = { 4 };
	struct import_options opt = { 0 };
	struct test_db t;
	struct error err = { 0 };
	json_t *res, *cols;

	test_db_open(&t);
	/* nothing recognised: refused, and the preview says why */
	ck_assert_ptr_null(import_contacts_with(t.db, csv, sizeof(csv) - 1, &opt,
	    &import_actor, T0, &err));
	res = import_columns_preview(t.db, csv, sizeof(csv) - 1, &opt, &err);
	ck_assert_msg(res != NULL, "%s", err.message);
	ck_assert_int_eq(json_array_size(json_object_get(res, "missing")), 2);
	ck_assert_int_eq(json_array_size(json_object_get(res, "columns")), 4);
	json_decref(res);

	/* chosen: the preview has no missing role, the dry run stores nothing */
	opt.chosen[IMPORT_LAST] = 1;
	opt.chosen[IMPORT_FIRST] = 2;
	opt.chosen[IMPORT_PHONE] = 3;
	opt.ignore = ignore_city;
	opt.nignore = 1;
	res = import_columns_preview(t.db, csv, sizeof(csv) - 1, &opt, &err);
	ck_assert_int_eq(json_array_size(json_object_get(res, "missing")), 0);
	json_decref(res);
	opt.dry_run = true;
	res = import_contacts_with(t.db, csv, sizeof(csv) - 1, &opt, &import_actor, T0, &err);
	ck_assert_msg(res != NULL, "%s", err.message);
	ck_assert_int_eq(import_test_int(res, "created"), 2);
	json_decref(res);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM import_columns"), 0);

	/* imported: the choice is kept, with who made it */
	opt.dry_run = false;
	res = import_contacts_with(t.db, csv, sizeof(csv) - 1, &opt, &import_actor, T0, &err);
	ck_assert_msg(res != NULL, "%s", err.message);
	ck_assert_int_eq(import_test_int(res, "created"), 2);
	json_decref(res);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM import_columns "
	    "WHERE (header, role) IN (VALUES ('famille', 'last_name'), ('qui', 'first_name'), "
	    "('contact sms', 'phone'), ('ville', 'ignore')) AND chosen_by = 'test'"), 4);

	/* the next file with these headers needs no choice */
	res = import_contacts(t.db, csv, sizeof(csv) - 1, false, &import_actor, T0, &err);
	ck_assert_msg(res != NULL, "%s", err.message);
	ck_assert_int_eq(import_test_int(res, "unchanged"), 2);
	cols = json_object_get(res, "columns");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(cols, 2), "how")),
	    "remembered");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(cols, 3), "role")),
	    "ignore");
	json_decref(res);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contacts "
	    "WHERE last_name = 'Martin' AND first_name = 'Éloïse'"), 1);
	test_db_close(&t);
}
END_TEST

START_TEST(import_test_dropped_zero_and_quotes)
{
	struct test_db t;
	struct error err = { 0 };
	json_t *res;

	test_db_open(&t);
	res = import_test_file(t.db, "contacts_excel_dropped_zero.csv", false, &err);
	ck_assert_msg(res != NULL, "%s", err.message);
	ck_assert_int_eq(import_test_int(res, "created"), 3);
	json_decref(res);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contact_phones "
	    "WHERE number LIKE '+336%' OR number LIKE '+337%'"), 3);
	res = import_test_file(t.db, "contacts_quoted_newlines.csv", false, &err);
	ck_assert_msg(res != NULL, "%s", err.message);
	ck_assert_int_eq(import_test_int(res, "created"), 4);
	json_decref(res);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contacts "
	    "WHERE notes LIKE '%' || char(10) || '%'"), 2);
	test_db_close(&t);
}
END_TEST

START_TEST(import_test_export_roundtrip)
{
	struct test_db t, t2;
	struct error err = { 0 };
	struct buf out = { 0 };
	json_t *res;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	res = import_test_file(t.db, "contacts_excel_semicolon_bom.csv", false, &err);
	json_decref(res);
	ck_assert_int_eq(import_export_contacts(t.db, &out), 0);
	ck_assert(out.len > 3 && memcmp(out.data, "\xEF\xBB\xBF", 3) == 0);
	ck_assert_ptr_nonnull(strstr(out.data, "Prénom;Nom;Téléphone;"));
	ck_assert_ptr_nonnull(strstr(out.data, "Éloïse;"));
	ck_assert_ptr_nonnull(strstr(out.data, "\r\n"));

	/* the export re-imports into an empty base: same people, same groups */
	test_db_open(&t2);
	res = import_contacts(t2.db, out.data, out.len, false, &import_actor, T0, &err);
	ck_assert_msg(res != NULL, "%s", err.message);
	ck_assert_int_eq(import_test_int(res, "created"), 12);
	ck_assert_int_eq(import_test_int(res, "skipped"), 0);
	json_decref(res);
	ck_assert_int_eq(test_db_int(t2.db, "SELECT count(*) FROM group_members"),
	    test_db_int(t.db, "SELECT count(*) FROM group_members"));
	ck_assert_int_eq(test_db_int(t2.db, "SELECT count(*) FROM contacts "
	    "WHERE consent_at IS NOT NULL"),
	    test_db_int(t.db, "SELECT count(*) FROM contacts WHERE consent_at IS NOT NULL"));
	/* and into the original base: nothing new */
	res = import_contacts(t.db, out.data, out.len, false, &import_actor, T0, &err);
	ck_assert_int_eq(import_test_int(res, "created"), 0);
	json_decref(res);
	buf_free(&out);
	test_db_close(&t2);
	test_db_close(&t);
}
END_TEST

START_TEST(import_test_erase_keeps_counts)
{
	struct test_db t;
	struct error err = { 0 };
	json_t *res;

	time_set_zone("Europe/Paris");
	test_db_open(&t);
	res = import_test_file(t.db, "contacts_excel_semicolon_bom.csv", false, &err);
	json_decref(res);
	ck_assert_int_eq(contacts_erase(t.db, 1, &import_actor, T0, &err), 0);
	ck_assert_int_eq(contacts_erase(t.db, 1, &import_actor, T0, &err), -1);
	ck_assert_int_eq(error_http_status(err.kind), 404);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contacts WHERE id = 1"), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM contact_phones "
	    "WHERE contact_id = 1"), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM group_members "
	    "WHERE contact_id = 1"), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT sum(count) FROM erasure_counts"), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM audit_log "
	    "WHERE action = 'erase' AND entity_id = 1"), 1);
	test_db_close(&t);
}
END_TEST

static Suite *
import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc;

	tc = tcase_create("spreadsheets");
	tcase_add_test(tc, import_test_excel_idempotent);
	tcase_add_test(tc, import_test_windows1252);
	tcase_add_test(tc, import_test_dropped_zero_and_quotes);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, import_test_bad_lines);
	tcase_add_test(tc, import_test_refused_whole);
	tcase_add_test(tc, import_test_real_world_headers);
	tcase_add_test(tc, import_test_n_portable);
	tcase_add_test(tc, import_test_chosen_columns_remembered);
	suite_add_tcase(s, tc);
	tc = tcase_create("dry run");
	tcase_add_test(tc, import_test_dry_run);
	suite_add_tcase(s, tc);
	tc = tcase_create("export");
	tcase_add_test(tc, import_test_export_roundtrip);
	suite_add_tcase(s, tc);
	tc = tcase_create("erasure");
	tcase_add_test(tc, import_test_erase_keeps_counts);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(import_suite)
