/*
 * check_sms — encoding choice and exact segment counts.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sms.h"
#include "test_main.h"

static struct sms_info
sms_test(const char *text)
{
	struct sms_info info;

	ck_assert_int_eq(sms_analyze(text, &info), 0);
	return info;
}

static char *
sms_repeat(const char *unit, size_t n)
{
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < n; i++)
		buf_puts(&b, unit);
	return buf_steal(&b);
}

START_TEST(sms_test_gsm7_boundaries)
{
	char *t;
	struct sms_info i;

	i = sms_test("");
	ck_assert_int_eq(i.encoding, SMS_GSM7);
	ck_assert_uint_eq(i.parts, 1);
	ck_assert_uint_eq(i.left, 160);

	t = sms_repeat("a", 160);
	i = sms_test(t);
	ck_assert_uint_eq(i.parts, 1);
	ck_assert_uint_eq(i.left, 0);
	free(t);
	t = sms_repeat("a", 161);
	i = sms_test(t);
	ck_assert_uint_eq(i.parts, 2);
	ck_assert_uint_eq(i.left, 153 * 2 - 161);
	free(t);
	t = sms_repeat("a", 306);
	ck_assert_uint_eq(sms_test(t).parts, 2);
	free(t);
	t = sms_repeat("a", 307);
	ck_assert_uint_eq(sms_test(t).parts, 3);
	free(t);
}
END_TEST

START_TEST(sms_test_extension_counts_double)
{
	char *t;
	struct sms_info i;

	i = sms_test("Prix : 5 €");
	ck_assert_int_eq(i.encoding, SMS_GSM7);
	ck_assert_uint_eq(i.units, 11);
	ck_assert_uint_eq(i.chars, 10);
	/* 80 euro signs = 160 septets: one part; 81 do not fit */
	t = sms_repeat("€", 80);
	ck_assert_uint_eq(sms_test(t).parts, 1);
	free(t);
	t = sms_repeat("€", 81);
	i = sms_test(t);
	ck_assert_uint_eq(i.units, 162);
	ck_assert_uint_eq(i.parts, 2);
	free(t);
	/* an escape pair is never split: 152 'a' + '[' needs 154 > 153 */
	t = sms_repeat("a", 152);
	{
		struct buf b = { 0 };
		buf_puts(&b, t);
		buf_puts(&b, "[");
		buf_puts(&b, t);	/* 306 septets in all */
		i = sms_test(b.data);
		ck_assert_uint_eq(i.units, 306);
		ck_assert_uint_eq(i.parts, 3);	/* 152 | 2+151 | 1 */
		buf_free(&b);
	}
	free(t);
}
END_TEST

START_TEST(sms_test_french_accents)
{
	struct sms_info i;

	/* é è à ù É Ç are in the GSM-7 basic table */
	i = sms_test("Rappel : RDV CAF mardi à 14h. Répondez OUI si vous venez. Élise");
	ck_assert_int_eq(i.encoding, SMS_GSM7);
	/* ê ô ç are not: UCS-2, and the first culprit is named */
	i = sms_test("Fête du quartier, côté école, reçu");
	ck_assert_int_eq(i.encoding, SMS_UCS2);
	ck_assert_uint_eq(i.first_ucs2, 0x00EA);	/* ê */
	/* typographic apostrophe */
	i = sms_test("Aujourd’hui");
	ck_assert_int_eq(i.encoding, SMS_UCS2);
	ck_assert_uint_eq(i.first_ucs2, 0x2019);
}
END_TEST

START_TEST(sms_test_ucs2_boundaries)
{
	char *t;
	struct sms_info i;

	t = sms_repeat("م", 70);
	i = sms_test(t);
	ck_assert_int_eq(i.encoding, SMS_UCS2);
	ck_assert_uint_eq(i.parts, 1);
	ck_assert_uint_eq(i.left, 0);
	free(t);
	t = sms_repeat("م", 71);
	i = sms_test(t);
	ck_assert_uint_eq(i.parts, 2);
	ck_assert_uint_eq(i.left, 67 * 2 - 71);
	free(t);
	t = sms_repeat("م", 134);
	ck_assert_uint_eq(sms_test(t).parts, 2);
	free(t);
	t = sms_repeat("م", 135);
	ck_assert_uint_eq(sms_test(t).parts, 3);
	free(t);
}
END_TEST

START_TEST(sms_test_emoji_surrogates)
{
	char *t;
	struct sms_info i;

	i = sms_test("OK 👍");
	ck_assert_int_eq(i.encoding, SMS_UCS2);
	ck_assert_uint_eq(i.units, 5);
	ck_assert_uint_eq(i.chars, 4);
	/* 35 emoji = 70 units: one part; a surrogate pair is never split */
	t = sms_repeat("👍", 35);
	ck_assert_uint_eq(sms_test(t).parts, 1);
	free(t);
	t = sms_repeat("👍", 36);
	i = sms_test(t);
	ck_assert_uint_eq(i.units, 72);
	ck_assert_uint_eq(i.parts, 2);		/* 33 pairs = 66 units, then 3 */
	ck_assert_uint_eq(i.left, 67 - 6);
	free(t);
}
END_TEST

START_TEST(sms_test_invalid_utf8)
{
	struct sms_info i;

	ck_assert_int_eq(sms_analyze("caf\xe9", &i), -1);
	ck_assert_int_eq(sms_analyze("\xed\xa0\x80", &i), -1);
}
END_TEST

START_TEST(sms_test_septet_table)
{
	ck_assert_int_eq(sms_gsm7_septets('@'), 1);
	ck_assert_int_eq(sms_gsm7_septets(0x00E9), 1);	/* é */
	ck_assert_int_eq(sms_gsm7_septets(0x20AC), 2);	/* € */
	ck_assert_int_eq(sms_gsm7_septets('{'), 2);
	ck_assert_int_eq(sms_gsm7_septets(0x1B), 0);	/* ESC is not text */
	ck_assert_int_eq(sms_gsm7_septets(0), 0);
	ck_assert_int_eq(sms_gsm7_septets(0x00E7), 0);	/* ç */
	ck_assert_int_eq(sms_gsm7_septets(0x0645), 0);	/* Arabic meem */
	ck_assert_str_eq(sms_encoding_name(SMS_UCS2), "ucs2");
}
END_TEST

/* TP-Status of delivery reports (3GPP TS 23.040 9.2.3.15), in French. */
START_TEST(sms_test_report_reasons)
{
	ck_assert_str_eq(sms_report_reason(0x00), "");
	ck_assert_str_eq(sms_report_reason(0x02), "");
	ck_assert_ptr_nonnull(strstr(sms_report_reason(0x43), "injoignable"));
	ck_assert_ptr_nonnull(strstr(sms_report_reason(0x46), "délai de validité"));
	ck_assert_ptr_nonnull(strstr(sms_report_reason(0x49), "inconnu"));
	ck_assert_ptr_nonnull(strstr(sms_report_reason(0x61), "occupé"));
	/* codes the standard reserves or leaves to operators still say something */
	ck_assert_ptr_nonnull(strstr(sms_report_reason(0x55), "définitif"));
	ck_assert_ptr_nonnull(strstr(sms_report_reason(0x70), "temporaire"));
	ck_assert_ptr_nonnull(strstr(sms_report_reason(0xFF), "définitif"));
}
END_TEST

static Suite *
sms_suite(void)
{
	Suite *s = suite_create("sms");
	TCase *tc;

	tc = tcase_create("gsm7");
	tcase_add_test(tc, sms_test_gsm7_boundaries);
	tcase_add_test(tc, sms_test_extension_counts_double);
	tcase_add_test(tc, sms_test_french_accents);
	tcase_add_test(tc, sms_test_septet_table);
	suite_add_tcase(s, tc);
	tc = tcase_create("ucs2");
	tcase_add_test(tc, sms_test_ucs2_boundaries);
	tcase_add_test(tc, sms_test_emoji_surrogates);
	suite_add_tcase(s, tc);
	tc = tcase_create("input");
	tcase_add_test(tc, sms_test_invalid_utf8);
	tcase_add_test(tc, sms_test_report_reasons);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(sms_suite)
