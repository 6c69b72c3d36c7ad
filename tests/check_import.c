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
	json_t *res;

	test_db_open(&t);
	res = import_test_file(t.db, "contacts_libreoffice_comma.csv", true, &err);
	ck_assert_msg(res != NULL, "%s", err.message);
	ck_assert_int_eq(import_test_int(res, "created"), 8);
	ck_assert(json_is_true(json_object_get(res, "dry_run")));
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
