/*
 * check_template — campaign texts: variables, French/English/Arabic dates
 * and times, refused templates; and the GSM-7 transliteration that makes
 * a French text cost 160 characters a part instead of 70.
 */
#include <check.h>
#include <string.h>

#include "sms.h"
#include "template.h"
#include "test_main.h"
#include "timeutil.h"
#include "translit.h"

static int64_t
tt(const char *iso)
{
	int64_t t;

	ck_assert_msg(time_parse(iso, &t) == 0, "bad time %s", iso);
	return t;
}

static void
tmpl_setup(void)
{
	time_set_zone("Europe/Paris");
}

/* Renders tmpl with the values of a typical invitation. */
static const char *
tmpl_render(const char *tmpl, const char *language, const char *when)
{
	static char out[1024];
	struct template_values v = { "Awa", "Diallo", "Cuisine du monde", "salle 2",
		"Centre social Jacques Brel", "03 21 00 00 00", 0, language, "" };
	struct buf b = { 0 };

	v.when = when ? tt(when) : 0;
	ck_assert_int_eq(template_render(tmpl, &v, &b), 0);
	buf_putc(&b, '\0');
	snprintf(out, sizeof(out), "%s", b.data);
	buf_free(&b);
	return out;
}

START_TEST(tmpl_test_all_variables)
{
	ck_assert_str_eq(tmpl_render("Bonjour {prenom} {nom}, atelier {atelier} {date} à "
	    "{heure}, {lieu}. {centre} {tel_centre}", "fr", "2026-12-03T14:00:00+01:00"),
	    "Bonjour Awa Diallo, atelier Cuisine du monde jeudi 3 décembre à 14h, salle 2. "
	    "Centre social Jacques Brel 03 21 00 00 00");
	ck_assert_str_eq(tmpl_render("{prénom}", "fr", NULL), "Awa");
	ck_assert_str_eq(tmpl_render("{date} {heure}", "fr", "2026-12-01T09:30:00+01:00"),
	    "mardi 1er décembre 9h30");
	ck_assert_str_eq(tmpl_render("{date} {heure}", "fr", "2027-08-15T00:00:00+02:00"),
	    "dimanche 15 août 0h");
	ck_assert_str_eq(tmpl_render("{date} {heure}", "en", "2026-12-03T14:30:00+01:00"),
	    "Thursday 3 December 2:30pm");
	ck_assert_str_eq(tmpl_render("{heure} {heure}", "en", "2026-12-03T12:00:00+01:00"),
	    "12pm 12pm");
	ck_assert_str_eq(tmpl_render("{heure}", "en", "2026-12-03T00:15:00+01:00"), "12:15am");
	ck_assert_str_eq(tmpl_render("{date} {heure}", "ar", "2026-12-03T14:00:00+01:00"),
	    "الخميس 3 ديسمبر 14:00");
}
END_TEST

/* Local time on both sides of the daylight-saving changes. */
START_TEST(tmpl_test_dst)
{
	ck_assert_str_eq(tmpl_render("{date} {heure}", "fr", "2026-03-29T10:00:00+02:00"),
	    "dimanche 29 mars 10h");
	ck_assert_str_eq(tmpl_render("{date} {heure}", "fr", "2026-10-25T10:00:00+01:00"),
	    "dimanche 25 octobre 10h");
}
END_TEST

START_TEST(tmpl_test_braces_and_empty_values)
{
	struct template_values v = { 0 };
	struct buf b = { 0 };

	ck_assert_str_eq(tmpl_render("{{prenom}} vaut {prenom}", "fr", NULL),
	    "{prenom} vaut Awa");
	ck_assert_str_eq(tmpl_render("Tarif : 2 € { prix libre }", "fr", NULL),
	    "Tarif : 2 € { prix libre }");
	ck_assert_str_eq(tmpl_render("a } b {", "fr", NULL), "a } b {");
	/* no value: an empty string, never "(null)" */
	ck_assert_int_eq(template_render("Bonjour {prenom}{date}.", &v, &b), 0);
	buf_putc(&b, '\0');
	ck_assert_str_eq(b.data, "Bonjour .");
	buf_free(&b);
}
END_TEST

START_TEST(tmpl_test_refused)
{
	struct template_values v = { 0 };
	struct error err = { 0 };
	struct buf b = { 0 };
	unsigned uses = 0;

	ck_assert_int_eq(template_check("Bonjour {prenom}, à {ville} !", "body", &uses, &err), -1);
	ck_assert_int_eq(error_http_status(err.kind), 400);
	ck_assert_str_eq(err.code, "unknown_variable");
	ck_assert_str_eq(err.field, "body");
	ck_assert_ptr_nonnull(strstr(err.message, "{ville}"));
	ck_assert_ptr_nonnull(strstr(err.message, "{prenom}"));
	ck_assert_int_eq(template_check("{Prenom}", "bodies.en", NULL, &err), -1);
	ck_assert_str_eq(err.field, "bodies.en");
	ck_assert_int_eq(template_check("\xff\xfe", "body", NULL, &err), -1);
	ck_assert_str_eq(err.code, "invalid");
	/* render refuses too, and leaves out alone */
	ck_assert_int_eq(template_render("x {ville}", &v, &b), -1);
	ck_assert_uint_eq(b.len, 0);
	/* uses: which variables */
	ck_assert_int_eq(template_check("{prenom} {date} {centre}", "body", &uses, &err), 0);
	ck_assert_uint_eq(uses, TEMPLATE_PRENOM | TEMPLATE_DATE | TEMPLATE_CENTRE);
	ck_assert(uses & TEMPLATE_EVENT_VARS);
}
END_TEST

static const char *
tr(const char *text, bool accents, size_t *changed)
{
	static char out[1024];
	struct buf b = { 0 };
	size_t n = translit_gsm7(text, accents, &b);

	if (changed)
		*changed = n;
	buf_putc(&b, '\0');
	snprintf(out, sizeof(out), "%s", b.data);
	buf_free(&b);
	return out;
}

START_TEST(translit_test_signs_always)
{
	size_t n;

	ck_assert_str_eq(tr("l\u2019atelier \u00ab cuisine \u00bb\u2026", false, &n),
	    "l'atelier \" cuisine \"...");
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(tr("\u201cOui\u201d \u2013 14h\u00a0: \u2014 20\u202f\u20ac", false, &n),
	    "\"Oui\" - 14h : - 20 \u20ac");
	ck_assert_uint_eq(n, 6);
	/* invisible characters are dropped */
	ck_assert_str_eq(tr("ate\u00adlier\u200b \ufeffOK", false, &n), "atelier OK");
	ck_assert_uint_eq(n, 3);
	/* accents stay without the option */
	ck_assert_str_eq(tr("fête ça", false, &n), "fête ça");
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(translit_test_accents_on_demand)
{
	size_t n;

	ck_assert_str_eq(tr("fête, garçon, île, où, Noël, cœur, Œuvre", true, &n),
	    "fete, garcon, ile, où, Noel, coeur, OEuvre");
	/* letters GSM-7 has are kept */
	ck_assert_str_eq(tr("é è à ù ì ò É Ä Ö Ñ Ü ä ö ñ ü ß Å å Ø ø Æ æ", true, &n),
	    "é è à ù ì ò É Ä Ö Ñ Ü ä ö ñ ü ß Å å Ø ø Æ æ");
	ck_assert_uint_eq(n, 0);
	/* other scripts and emoji stay: the text stays UCS-2 */
	ck_assert_str_eq(tr("مرحبا 👍", true, &n), "مرحبا 👍");
	ck_assert_uint_eq(n, 0);
}
END_TEST

/* A typical invitation: UCS-2 in 2 SMS as typed, GSM-7 in 1 once transliterated. */
START_TEST(translit_test_saves_sms)
{
	static const char text[] = "Rappel : l\u2019atelier \u00ab cuisine \u00bb a lieu "
	    "jeudi\u00a03 décembre à 14h\u2026 Venez goûter nos crêpes ! Répondez OUI ou NON. "
	    "Centre social Brel";
	struct sms_info before, after;
	size_t n;

	ck_assert_int_eq(sms_analyze(text, &before), 0);
	ck_assert_int_eq(before.encoding, SMS_UCS2);
	ck_assert_uint_eq(before.parts, 2);
	ck_assert_int_eq(sms_analyze(tr(text, false, NULL), &after), 0);
	ck_assert_int_eq(after.encoding, SMS_UCS2);	/* û and ê are still there */
	ck_assert_int_eq(sms_analyze(tr(text, true, &n), &after), 0);
	ck_assert_int_eq(after.encoding, SMS_GSM7);
	ck_assert_uint_eq(after.parts, 1);
	ck_assert_uint_eq(n, 7);	/* ’ « » NBSP … û ê */
}
END_TEST

static Suite *
template_suite(void)
{
	Suite *s = suite_create("template");
	TCase *tc = tcase_create("template");

	tcase_add_checked_fixture(tc, tmpl_setup, NULL);
	tcase_add_test(tc, tmpl_test_all_variables);
	tcase_add_test(tc, tmpl_test_dst);
	tcase_add_test(tc, tmpl_test_braces_and_empty_values);
	tcase_add_test(tc, tmpl_test_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("translit");
	tcase_add_test(tc, translit_test_signs_always);
	tcase_add_test(tc, translit_test_accents_on_demand);
	tcase_add_test(tc, translit_test_saves_sms);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(template_suite)
