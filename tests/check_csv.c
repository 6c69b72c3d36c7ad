/*
 * check_csv — csv_parse() on what spreadsheets export, csv_write_field(),
 * and the fixtures in tests/data (see tests/data/README.md).
 */
#include <check.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "csv.h"
#include "phone.h"
#include "test_main.h"

/* Parses a NUL-terminated string; fails the test when it is refused. */
static struct csv_doc *
csv_test_parse(const char *s)
{
	char err[256];
	struct csv_doc *doc = csv_parse(s, strlen(s), err, sizeof(err));

	ck_assert_msg(doc != NULL, "refused: %s", err);
	return doc;
}

/* Asserts that s (len bytes) is refused with exactly the message want. */
static void
csv_test_refused(const char *s, size_t len, const char *want)
{
	char err[256];
	struct csv_doc *doc;

	memset(err, 'x', sizeof(err));
	doc = csv_parse(s, len, err, sizeof(err));
	ck_assert_ptr_null(doc);
	ck_assert_str_eq(err, want);
}

/* Asserts row r of doc: its line and its fields (NULL-terminated list). */
static void
csv_test_row(const struct csv_doc *doc, size_t r, size_t line, ...)
{
	const struct csv_row *row;
	const char *want;
	va_list ap;
	size_t i = 0;

	ck_assert_uint_lt(r, doc->nrows);
	row = &doc->rows[r];
	ck_assert_uint_eq(row->line, line);
	va_start(ap, line);
	while ((want = va_arg(ap, const char *)) != NULL) {
		ck_assert_msg(i < row->nfields, "row %zu: only %zu fields",
		    r, row->nfields);
		ck_assert_str_eq(row->fields[i], want);
		i++;
	}
	va_end(ap);
	ck_assert_uint_eq(row->nfields, i);
}

/* Reads tests/data/name into a malloc'd buffer; *len gets its size. */
static char *
csv_test_load(const char *name, size_t *len)
{
	char path[1024];
	FILE *f;
	char *data;
	long n;

	snprintf(path, sizeof(path), "%s/%s", test_data_dir(), name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	data = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

static struct csv_doc *
csv_test_parse_file(const char *name)
{
	char err[256];
	size_t len;
	char *data = csv_test_load(name, &len);
	struct csv_doc *doc = csv_parse(data, len, err, sizeof(err));

	ck_assert_msg(doc != NULL, "%s refused: %s", name, err);
	free(data);
	return doc;
}

/* --- encoding --- */

START_TEST(csv_test_utf8)
{
	struct csv_doc *doc = csv_test_parse("Prénom;Nom\nZoé;Noël\n");

	ck_assert_int_eq(doc->encoding, CSV_UTF8);
	csv_test_row(doc, 0, 1, "Prénom", "Nom", NULL);
	csv_test_row(doc, 1, 2, "Zoé", "Noël", NULL);
	csv_doc_free(doc);
}
END_TEST

START_TEST(csv_test_utf8_bom)
{
	struct csv_doc *doc = csv_test_parse("\xEF\xBB\xBFPrénom;Nom\r\n");

	ck_assert_int_eq(doc->encoding, CSV_UTF8_BOM);
	csv_test_row(doc, 0, 1, "Prénom", "Nom", NULL);
	csv_doc_free(doc);

	/* a BOM in front of broken UTF-8: kept UTF-8, bad byte replaced */
	doc = csv_test_parse("\xEF\xBB\xBF" "a;b\xFF" "c\n");
	ck_assert_int_eq(doc->encoding, CSV_UTF8_BOM);
	csv_test_row(doc, 0, 1, "a", "b\xEF\xBF\xBD" "c", NULL);
	csv_doc_free(doc);
}
END_TEST

START_TEST(csv_test_windows_1252)
{
	struct csv_doc *doc;

	doc = csv_test_parse("Pr\xE9nom;Nom\r\nFran\xE7oise;C\x9Cur \x80\r\n");
	ck_assert_int_eq(doc->encoding, CSV_WINDOWS_1252);
	csv_test_row(doc, 0, 1, "Prénom", "Nom", NULL);
	csv_test_row(doc, 1, 2, "Françoise", "Cœur €", NULL);
	csv_doc_free(doc);

	/* the five undefined bytes do not make the file unreadable */
	doc = csv_test_parse("a;b\x81\x8D\x8F\x90\x9D" "c\xE9\n");
	ck_assert_int_eq(doc->encoding, CSV_WINDOWS_1252);
	csv_test_row(doc, 0, 1, "a", "b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
	    "\xEF\xBF\xBD\xEF\xBF\xBD" "cé", NULL);
	csv_doc_free(doc);

	/* overlong and truncated UTF-8 are not UTF-8 */
	doc = csv_test_parse("a;\xC0\xAF\n");
	ck_assert_int_eq(doc->encoding, CSV_WINDOWS_1252);
	csv_test_row(doc, 0, 1, "a", "À¯", NULL);
	csv_doc_free(doc);
	doc = csv_test_parse("a;\xE0\x80\xAF\n");	/* overlong "/" */
	ck_assert_int_eq(doc->encoding, CSV_WINDOWS_1252);
	csv_doc_free(doc);
	doc = csv_test_parse("a;\xED\xA0\x80\n");	/* surrogate */
	ck_assert_int_eq(doc->encoding, CSV_WINDOWS_1252);
	csv_doc_free(doc);
	doc = csv_test_parse("a;\xF4\x90\x80\x80\n");	/* > U+10FFFF */
	ck_assert_int_eq(doc->encoding, CSV_WINDOWS_1252);
	csv_doc_free(doc);
	doc = csv_test_parse("a;\xF0\x9F\x98\x80\n");	/* emoji: UTF-8 */
	ck_assert_int_eq(doc->encoding, CSV_UTF8);
	csv_doc_free(doc);
	doc = csv_test_parse("a;\xC3");
	ck_assert_int_eq(doc->encoding, CSV_WINDOWS_1252);
	csv_test_row(doc, 0, 1, "a", "Ã", NULL);
	csv_doc_free(doc);
}
END_TEST

/* --- delimiter --- */

START_TEST(csv_test_delimiter)
{
	struct csv_doc *doc;

	doc = csv_test_parse("Nom;Groupes\nMartin;Atelier, Seniors\n");
	ck_assert_int_eq(doc->delimiter, ';');
	csv_test_row(doc, 1, 2, "Martin", "Atelier, Seniors", NULL);
	csv_doc_free(doc);

	doc = csv_test_parse("Name,Group\nMartin;Dubois,Seniors\n");
	ck_assert_int_eq(doc->delimiter, ',');
	csv_test_row(doc, 1, 2, "Martin;Dubois", "Seniors", NULL);
	csv_doc_free(doc);

	/* more ',' than ';', and separators inside quotes do not count */
	doc = csv_test_parse("\"a;b;c;d\",e,f\n");
	ck_assert_int_eq(doc->delimiter, ',');
	csv_test_row(doc, 0, 1, "a;b;c;d", "e", "f", NULL);
	csv_doc_free(doc);

	/* a tie goes to ';', what French Excel writes */
	doc = csv_test_parse("a;b,c\n");
	ck_assert_int_eq(doc->delimiter, ';');
	csv_test_row(doc, 0, 1, "a", "b,c", NULL);
	csv_doc_free(doc);

	/* detection looks past leading blank lines */
	doc = csv_test_parse("\n\r\n  \na,b\n");
	ck_assert_int_eq(doc->delimiter, ',');
	csv_test_row(doc, 0, 4, "a", "b", NULL);
	csv_doc_free(doc);
}
END_TEST

/* --- quoting --- */

START_TEST(csv_test_quoting)
{
	struct csv_doc *doc;

	doc = csv_test_parse("a;b;c\n"
	    "\"x;y\";\"il a dit \"\"oui\"\"\";\"\"\n"
	    "\"\"\"\";a\"b\";  \"z\"  \n");
	ck_assert_uint_eq(doc->nrows, 3);
	csv_test_row(doc, 1, 2, "x;y", "il a dit \"oui\"", "", NULL);
	csv_test_row(doc, 2, 3, "\"", "a\"b\"", "z", NULL);
	csv_doc_free(doc);

	/* text after the closing quote is kept, not lost */
	doc = csv_test_parse("\"ab\"cd;e\n");
	csv_test_row(doc, 0, 1, "abcd", "e", NULL);
	csv_doc_free(doc);
}
END_TEST

START_TEST(csv_test_quoted_newlines)
{
	struct csv_doc *doc;

	doc = csv_test_parse("h1,h2\r\n"
	    "\"a\r\nb\nc\rd\",x\r\n"
	    "next,row\r\n");
	ck_assert_uint_eq(doc->nrows, 3);
	csv_test_row(doc, 1, 2, "a\nb\nc\nd", "x", NULL);
	csv_test_row(doc, 2, 6, "next", "row", NULL);
	csv_doc_free(doc);
}
END_TEST

/* --- line ends, blank lines and line numbers --- */

START_TEST(csv_test_line_ends)
{
	struct csv_doc *doc;

	doc = csv_test_parse("a;b\r\nc;d\ne;f\rg;h");
	ck_assert_uint_eq(doc->nrows, 4);
	csv_test_row(doc, 0, 1, "a", "b", NULL);
	csv_test_row(doc, 1, 2, "c", "d", NULL);
	csv_test_row(doc, 2, 3, "e", "f", NULL);
	csv_test_row(doc, 3, 4, "g", "h", NULL);
	csv_doc_free(doc);
}
END_TEST

START_TEST(csv_test_blank_lines)
{
	struct csv_doc *doc;

	doc = csv_test_parse("a;b\r\n\r\n   \r\nc;d\n\n\ne;f\n\n");
	ck_assert_uint_eq(doc->nrows, 3);
	csv_test_row(doc, 0, 1, "a", "b", NULL);
	csv_test_row(doc, 1, 4, "c", "d", NULL);
	csv_test_row(doc, 2, 7, "e", "f", NULL);
	csv_doc_free(doc);

	/* a line of separators is an (empty) record, not a blank line */
	doc = csv_test_parse("a;b;c\n;;\n\"\"\n");
	ck_assert_uint_eq(doc->nrows, 3);
	csv_test_row(doc, 1, 2, "", "", "", NULL);
	csv_test_row(doc, 2, 3, "", NULL);
	csv_doc_free(doc);
}
END_TEST

/* --- fields --- */

START_TEST(csv_test_trim)
{
	struct csv_doc *doc;

	doc = csv_test_parse(" a ;\tb\t; \" c \" ;d  e\n");
	csv_test_row(doc, 0, 1, "a", "b", "c", "d  e", NULL);
	csv_doc_free(doc);
}
END_TEST

START_TEST(csv_test_field_counts)
{
	struct csv_doc *doc;

	doc = csv_test_parse("a;b;c\n1;2;3;;;\n1\n1;2;3;4\n");
	ck_assert_uint_eq(doc->nrows, 4);
	csv_test_row(doc, 1, 2, "1", "2", "3", "", "", "", NULL);
	csv_test_row(doc, 2, 3, "1", NULL);
	csv_test_row(doc, 3, 4, "1", "2", "3", "4", NULL);
	csv_doc_free(doc);

	/* a trailing separator at the very end of the data */
	doc = csv_test_parse("a;b;");
	csv_test_row(doc, 0, 1, "a", "b", "", NULL);
	csv_doc_free(doc);
}
END_TEST

/* --- refusals --- */

START_TEST(csv_test_refuse_empty)
{
	const char *empty = "le fichier est vide";

	csv_test_refused("", 0, empty);
	csv_test_refused(NULL, 0, empty);
	csv_test_refused(" \r\n\t\n", 5, empty);
	csv_test_refused("\xEF\xBB\xBF", 3, empty);
	csv_test_refused("\xEF\xBB\xBF\r\n", 5, empty);
}
END_TEST

START_TEST(csv_test_refuse_binary)
{
	const char *bin =
	    "le fichier contient des données binaires, ce n'est pas un CSV";

	csv_test_refused("a;b\n\0c;d\n", 9, bin);
	csv_test_refused("\0", 1, bin);
}
END_TEST

START_TEST(csv_test_refuse_unclosed_quote)
{
	csv_test_refused("a;b\nc;\"d\n", 9,
	    "guillemet non fermé à partir de la ligne 2");
	csv_test_refused("a;b\n\nc;d\ne;\"f\"\"\ng\n\n", 19,
	    "guillemet non fermé à partir de la ligne 4");
}
END_TEST

START_TEST(csv_test_refuse_no_separator)
{
	const char *msg = "le fichier ne ressemble pas à un tableau CSV "
	    "(aucun séparateur ; ou , sur la première ligne)";

	csv_test_refused("Bonjour\nà tous\n", 16, msg);
	csv_test_refused("\"a;b\"\nc;d\n", 10, msg);
}
END_TEST

START_TEST(csv_test_err_buffer)
{
	char err[8];

	/* truncated, still terminated; NULL err is allowed */
	ck_assert_ptr_null(csv_parse("", 0, err, sizeof(err)));
	ck_assert_uint_eq(strlen(err), sizeof(err) - 1);
	ck_assert_ptr_null(csv_parse("", 0, NULL, 0));
	ck_assert_ptr_null(csv_parse("", 0, err, 0));
	csv_doc_free(NULL);
}
END_TEST

/* --- writing --- */

static void
csv_test_write(const char *field, char delim, const char *want)
{
	struct buf b = { 0 };

	buf_puts(&b, "");
	csv_write_field(&b, field, delim);
	ck_assert_str_eq(b.data, want);
	buf_free(&b);
}

START_TEST(csv_test_write_plain)
{
	csv_test_write("Zoé", ';', "Zoé");
	csv_test_write("", ';', "");
	csv_test_write(NULL, ';', "");
	csv_test_write("a,b", ';', "a,b");
	csv_test_write("a,b", ',', "\"a,b\"");
	csv_test_write("a;b", ';', "\"a;b\"");
	csv_test_write("il a dit \"oui\"", ';', "\"il a dit \"\"oui\"\"\"");
	csv_test_write("l1\nl2", ';', "\"l1\nl2\"");
	csv_test_write("l1\rl2", ';', "\"l1\rl2\"");
	csv_test_write(" a", ';', "\" a\"");
	csv_test_write("a ", ';', "\"a \"");
}
END_TEST

START_TEST(csv_test_write_formula)
{
	csv_test_write("=1+1", ';', "'=1+1");
	csv_test_write("+cmd|' /C calc'!A0", ';', "'+cmd|' /C calc'!A0");
	csv_test_write("-2+3", ';', "'-2+3");
	csv_test_write("@SUM(A1)", ';', "'@SUM(A1)");
	csv_test_write("=HYPERLINK(\"x\";\"y\")", ';',
	    "\"'=HYPERLINK(\"\"x\"\";\"\"y\"\")\"");
	csv_test_write("\tx", ';', "\"'\tx\"");
	csv_test_write("\rx", ';', "\"'\rx\"");
	csv_test_write("-", ';', "'-");
	/* numbers and phone numbers stay as they are */
	csv_test_write("-3", ';', "-3");
	csv_test_write("+33 6 12 34 56 78", ';', "+33 6 12 34 56 78");
	csv_test_write("+33612345678", ';', "+33612345678");
	csv_test_write("-12.5", ';', "-12.5");
}
END_TEST

START_TEST(csv_test_round_trip)
{
	static const char *fields[] = {
		"Nguyen, épouse Durand", "Dit \"JP\"\nAime le tarot", "=1+1",
		"+33 6 12 34 56 78", "a;b",
	};
	size_t n = sizeof(fields) / sizeof(fields[0]), i;
	struct buf b = { 0 };
	struct csv_doc *doc;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&b, ',');
		csv_write_field(&b, fields[i], ',');
	}
	buf_puts(&b, "\r\n");
	doc = csv_test_parse(b.data);
	ck_assert_int_eq(doc->delimiter, ',');
	csv_test_row(doc, 0, 1, fields[0], fields[1], "'=1+1", fields[3],
	    fields[4], NULL);
	csv_doc_free(doc);
	buf_free(&b);
}
END_TEST

/* --- size --- */

START_TEST(csv_test_large)
{
	struct buf b = { 0 };
	struct csv_doc *doc;
	size_t i, rows = 80000;

	buf_puts(&b, "Prénom;Nom;Téléphone;Notes\r\n");
	for (i = 0; i < rows; i++)
		buf_printf(&b, "Zoé%zu;Martin;06 12 34 %02zu %02zu;"
		    "\"ligne 1\r\nligne 2 \"\"%zu\"\"\"\r\n",
		    i, i % 100, (i / 100) % 100, i);
	ck_assert_uint_gt(b.len, 4000000);
	doc = csv_test_parse(b.data);
	ck_assert_uint_eq(doc->nrows, rows + 1);
	ck_assert_uint_eq(doc->rows[rows].line, 2 * rows);
	ck_assert_str_eq(doc->rows[rows].fields[0], "Zoé79999");
	ck_assert_str_eq(doc->rows[rows].fields[3], "ligne 1\nligne 2 \"79999\"");
	/* speed is measured by bench/bench_csv, never asserted here */
	csv_doc_free(doc);
	buf_free(&b);
}
END_TEST

/* --- fixtures (tests/data/README.md) --- */

START_TEST(csv_test_fixture_excel_bom)
{
	struct csv_doc *doc =
	    csv_test_parse_file("contacts_excel_semicolon_bom.csv");
	char out[PHONE_E164_MAX];
	enum phone_kind kind;
	size_t i;

	ck_assert_int_eq(doc->encoding, CSV_UTF8_BOM);
	ck_assert_int_eq(doc->delimiter, ';');
	ck_assert_uint_eq(doc->nrows, 13);
	csv_test_row(doc, 0, 1, "Prénom", "Nom", "Téléphone", "Groupe(s)",
	    "Langue", "Consentement", NULL);
	csv_test_row(doc, 1, 2, "Éloïse", "Martin", "06 39 98 00 01",
	    "Atelier informatique", "fr", "12/03/2025", NULL);
	csv_test_row(doc, 8, 9, "Mélanie", "Girard", "06 39 98 00 08",
	    "Parents", "fr", "30/06/2024", NULL);
	for (i = 1; i < doc->nrows; i++) {
		ck_assert_uint_eq(doc->rows[i].line, i + 1);
		ck_assert_uint_eq(doc->rows[i].nfields, 6);
		ck_assert_msg(phone_normalize(doc->rows[i].fields[2], out,
		    &kind, NULL) == 0, "line %zu", i + 1);
		ck_assert_int_eq(kind, PHONE_MOBILE);
	}
	csv_doc_free(doc);
}
END_TEST

START_TEST(csv_test_fixture_libreoffice)
{
	struct csv_doc *doc =
	    csv_test_parse_file("contacts_libreoffice_comma.csv");

	ck_assert_int_eq(doc->encoding, CSV_UTF8);
	ck_assert_int_eq(doc->delimiter, ',');
	ck_assert_uint_eq(doc->nrows, 9);
	csv_test_row(doc, 0, 1, "Mobile", "First name", "Last name", "Groups",
	    "Language", "Notes", NULL);
	csv_test_row(doc, 2, 3, "+33 6 39 98 01 02", "Kevin",
	    "Nguyen, épouse Durand", "Parents, Aide aux devoirs", "fr", "",
	    NULL);
	csv_test_row(doc, 3, 4, "0639980103", "Fatou", "Diallo",
	    "Cours de français", "fr", "Préfère être appelée le matin\n"
	    "ne pas appeler le mercredi", NULL);
	csv_test_row(doc, 4, 6, "07 00 00 00 04", "Peter", "Jones",
	    "Atelier informatique", "en", "", NULL);
	csv_test_row(doc, 7, 9, "0033 6 39 98 01 07", "Inès", "Roux",
	    "Parents", "fr", "Mère de \"Tom\" (CM1)", NULL);
	csv_test_row(doc, 8, 10, "06-39-98-01-08", "Gérard", "Petit",
	    "Seniors du jeudi", "fr", "", NULL);
	csv_doc_free(doc);
}
END_TEST

START_TEST(csv_test_fixture_windows_1252)
{
	struct csv_doc *doc = csv_test_parse_file("contacts_windows1252.csv");

	ck_assert_int_eq(doc->encoding, CSV_WINDOWS_1252);
	ck_assert_int_eq(doc->delimiter, ';');
	ck_assert_uint_eq(doc->nrows, 7);
	csv_test_row(doc, 0, 1, "Prénom", "Nom", "Portable", "Groupe", NULL);
	csv_test_row(doc, 1, 2, "Hélène", "Marchand", "06 39 98 02 01",
	    "Atelier d’écriture", NULL);
	csv_test_row(doc, 2, 3, "Françoise", "Lemaire", "06.39.98.02.02",
	    "Seniors du jeudi", NULL);
	ck_assert_str_eq(doc->rows[3].fields[0], "Jérôme");
	ck_assert_str_eq(doc->rows[3].fields[3], "Cœur de quartier");
	ck_assert_str_eq(doc->rows[4].fields[0], "Cécile");
	ck_assert_str_eq(doc->rows[5].fields[0], "Gaël");
	csv_test_row(doc, 6, 7, "Benoît", "Château", "0033 6 39 98 02 06",
	    "Seniors du jeudi", NULL);
	csv_doc_free(doc);
}
END_TEST

/* The bad lines of contacts_20_bad_lines.csv, as README.md lists them. */
static const size_t csv_test_bad_lines[] = {
	3, 4, 5, 6, 8, 9, 10, 11, 13, 14, 15, 16, 18, 19, 20, 22, 23, 25,
	28, 30,
};

/* What an importer would accept: 3 fields, a name, a valid phone. */
static bool
csv_test_contact_ok(const struct csv_row *row)
{
	char out[PHONE_E164_MAX];
	enum phone_kind kind;

	if (row->nfields != 3)
		return false;
	if (row->fields[0][0] == '\0' && row->fields[1][0] == '\0')
		return false;
	return phone_normalize(row->fields[2], out, &kind, NULL) == 0;
}

START_TEST(csv_test_fixture_bad_lines)
{
	struct csv_doc *doc = csv_test_parse_file("contacts_20_bad_lines.csv");
	size_t i, nbad = 0, ngood = 0;
	size_t nlist = sizeof(csv_test_bad_lines) / sizeof(size_t);

	ck_assert_int_eq(doc->encoding, CSV_UTF8);
	ck_assert_int_eq(doc->delimiter, ';');
	ck_assert_uint_eq(doc->nrows, 31);
	for (i = 1; i < doc->nrows; i++) {
		ck_assert_uint_eq(doc->rows[i].line, i + 1);
		if (csv_test_contact_ok(&doc->rows[i])) {
			ngood++;
			continue;
		}
		ck_assert_uint_lt(nbad, nlist);
		ck_assert_uint_eq(doc->rows[i].line, csv_test_bad_lines[nbad]);
		nbad++;
	}
	ck_assert_uint_eq(nbad, 20);
	ck_assert_uint_eq(ngood, 10);
	csv_doc_free(doc);
}
END_TEST

START_TEST(csv_test_fixture_quoted_newlines)
{
	struct csv_doc *doc =
	    csv_test_parse_file("contacts_quoted_newlines.csv");

	ck_assert_int_eq(doc->delimiter, ',');
	ck_assert_uint_eq(doc->nrows, 5);
	csv_test_row(doc, 1, 2, "Marie", "Durand", "06 39 98 04 01",
	    "Allergique aux arachides\nApporter le goûter", NULL);
	csv_test_row(doc, 2, 4, "Jean-Pierre", "Le \"Grand\" Bernard",
	    "+33 6 39 98 04 02", "Dit \"JP\"\nAime le tarot\nVient le lundi",
	    NULL);
	csv_test_row(doc, 3, 7, "Aïcha", "Ben Salah, née Kaci", "0639980403",
	    "Ligne 1, avec virgule", NULL);
	csv_test_row(doc, 4, 8, "Samir", "Haddad", "06.39.98.04.04", "", NULL);
	csv_doc_free(doc);
}
END_TEST

START_TEST(csv_test_fixture_not_a_csv)
{
	char err[256];
	size_t len;
	char *data = csv_test_load("not_a_csv.csv", &len);

	ck_assert_ptr_null(csv_parse(data, len, err, sizeof(err)));
	ck_assert_str_eq(err,
	    "le fichier contient des données binaires, ce n'est pas un CSV");
	free(data);
}
END_TEST

START_TEST(csv_test_fixture_dropped_zero)
{
	struct csv_doc *doc =
	    csv_test_parse_file("contacts_excel_dropped_zero.csv");
	char out[PHONE_E164_MAX];
	enum phone_kind kind;

	ck_assert_int_eq(doc->delimiter, ';');
	ck_assert_uint_eq(doc->nrows, 4);
	csv_test_row(doc, 0, 1, "Nom", "Prénom", "Téléphone", NULL);
	csv_test_row(doc, 1, 2, "Lefebvre", "Maëlle", "639980501", NULL);
	ck_assert_int_eq(phone_normalize(doc->rows[1].fields[2], out, &kind,
	    NULL), 0);
	ck_assert_str_eq(out, "+33639980501");
	ck_assert_int_eq(phone_normalize(doc->rows[3].fields[2], out, &kind,
	    NULL), 0);
	ck_assert_str_eq(out, "+33700000503");
	csv_doc_free(doc);
}
END_TEST

static void
csv_add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

static Suite *
csv_suite(void)
{
	Suite *s = suite_create("csv");

	csv_add(s, "utf-8", csv_test_utf8);
	csv_add(s, "utf-8 with BOM", csv_test_utf8_bom);
	csv_add(s, "windows-1252", csv_test_windows_1252);
	csv_add(s, "delimiter detection", csv_test_delimiter);
	csv_add(s, "quoting", csv_test_quoting);
	csv_add(s, "newlines in quotes", csv_test_quoted_newlines);
	csv_add(s, "line ends", csv_test_line_ends);
	csv_add(s, "blank lines", csv_test_blank_lines);
	csv_add(s, "trimming", csv_test_trim);
	csv_add(s, "field counts", csv_test_field_counts);
	csv_add(s, "refuse empty", csv_test_refuse_empty);
	csv_add(s, "refuse binary", csv_test_refuse_binary);
	csv_add(s, "refuse unclosed quote", csv_test_refuse_unclosed_quote);
	csv_add(s, "refuse no separator", csv_test_refuse_no_separator);
	csv_add(s, "error buffer", csv_test_err_buffer);
	csv_add(s, "write plain", csv_test_write_plain);
	csv_add(s, "write formula guard", csv_test_write_formula);
	csv_add(s, "round trip", csv_test_round_trip);
	csv_add(s, "large file", csv_test_large);
	csv_add(s, "fixture excel bom", csv_test_fixture_excel_bom);
	csv_add(s, "fixture libreoffice", csv_test_fixture_libreoffice);
	csv_add(s, "fixture windows-1252", csv_test_fixture_windows_1252);
	csv_add(s, "fixture 20 bad lines", csv_test_fixture_bad_lines);
	csv_add(s, "fixture quoted newlines", csv_test_fixture_quoted_newlines);
	csv_add(s, "fixture not a csv", csv_test_fixture_not_a_csv);
	csv_add(s, "fixture dropped zero", csv_test_fixture_dropped_zero);
	return s;
}

TEST_MAIN(csv_suite)
