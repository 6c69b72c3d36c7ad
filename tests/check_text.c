/*
 * check_text — folding for search, UTF-8 validation, time formats.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "test_main.h"
#include "text.h"
#include "timeutil.h"

static void
text_expect_fold(const char *in, const char *want)
{
	struct buf out = { 0 };

	text_fold(in, &out);
	ck_assert_str_eq(out.data, want);
	buf_free(&out);
}

START_TEST(text_test_fold)
{
	text_expect_fold("Éloïse", "eloise");
	text_expect_fold("FRANÇOIS Noël", "francois noel");
	text_expect_fold("Cœur", "coeur");
	text_expect_fold("Gaël-Zoé", "gael-zoe");
	text_expect_fold("محمد", "محمد");
	text_expect_fold("", "");
}
END_TEST

START_TEST(text_test_utf8)
{
	ck_assert(text_utf8_valid("Hélène", strlen("Hélène")));
	ck_assert(text_utf8_valid("👍", 4));
	ck_assert(!text_utf8_valid("H\xe9l\xe8ne", 6));		/* Windows-1252 */
	ck_assert(!text_utf8_valid("\xc0\xaf", 2));		/* overlong */
	ck_assert(!text_utf8_valid("\xed\xa0\x80", 3));		/* surrogate */
	ck_assert(!text_utf8_valid("\xc3", 1));			/* truncated */
}
END_TEST

/* Cutting to fit a buffer never splits a character (contact phone labels). */
START_TEST(text_test_utf8_cut)
{
	ck_assert_uint_eq(text_utf8_cut("abc", 10), 3);
	ck_assert_uint_eq(text_utf8_cut("abcdef", 4), 4);
	ck_assert_uint_eq(text_utf8_cut("ab\xC3\xA9", 3), 2);	/* "abé" */
	ck_assert_uint_eq(text_utf8_cut("ab\xC3\xA9", 4), 4);
	ck_assert_uint_eq(text_utf8_cut("\xF0\x9F\x91\x8Dx", 3), 0);	/* 👍 */
	ck_assert_uint_eq(text_utf8_cut("\xF0\x9F\x91\x8Dx", 4), 4);
}
END_TEST

/* Windows-1252 ("ANSI") to UTF-8, for CSV files and the configuration. */
START_TEST(text_test_from_cp1252)
{
	struct buf out = { 0 };

	buf_puts(&out, "<");
	ck_assert_int_eq(text_from_cp1252("J\xe9r\xf4me \x80\x9c", 10, &out), 0);
	ck_assert_str_eq(out.data, "<Jérôme €œ");	/* appended */
	buf_reset(&out);
	/* 0x81 and 0x9D are undefined: U+FFFD, and counted */
	ck_assert_int_eq(text_from_cp1252("a\x81" "b\x9d", 4, &out), 2);
	ck_assert_str_eq(out.data, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
	buf_free(&out);
}
END_TEST

START_TEST(text_test_time_paris)
{
	char iso[TIME_ISO_MAX];
	int64_t t;

	time_set_zone("Europe/Paris");
	ck_assert_int_eq(time_parse("2026-12-03T14:00:00+01:00", &t), 0);
	ck_assert_int_eq(t, 1796302800);
	time_format_iso(t, iso);
	ck_assert_str_eq(iso, "2026-12-03T14:00:00+01:00");
	ck_assert_int_eq(time_parse("2026-12-03T13:00:00Z", &t), 0);
	ck_assert_int_eq(t, 1796302800);
	/* summer time: +02:00 */
	ck_assert_int_eq(time_parse("2026-07-01", &t), 0);
	time_format_iso(t, iso);
	ck_assert_str_eq(iso, "2026-07-01T00:00:00+02:00");
	ck_assert_int_eq(time_parse("12/03/2025", &t), 0);
	time_format_iso(t, iso);
	ck_assert_str_eq(iso, "2025-03-12T00:00:00+01:00");
	ck_assert_int_eq(time_parse("2026-12-03T14:00:00", &t), -1);	/* no offset */
	ck_assert_int_eq(time_parse("2026-02-30", &t), -1);
	ck_assert_int_eq(time_parse("31/02/2025", &t), -1);
	ck_assert_int_eq(time_parse("demain", &t), -1);
}
END_TEST

START_TEST(text_test_buf_printf)
{
	struct buf b = { 0 };
	char big[600];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_printf(&b, "%s=%d;", "court", 42);
	ck_assert_str_eq(b.data, "court=42;");
	buf_printf(&b, "[%s]", big);		/* longer than the stack pass */
	ck_assert_uint_eq(b.len, 9 + 2 + 599);
	ck_assert_int_eq(b.data[9], '[');
	ck_assert_int_eq(b.data[b.len - 1], ']');
	ck_assert_int_eq(b.data[b.len], '\0');
	buf_free(&b);
}
END_TEST

static Suite *
text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("fold");

	tcase_add_test(tc, text_test_fold);
	suite_add_tcase(s, tc);
	tc = tcase_create("utf8");
	tcase_add_test(tc, text_test_utf8);
	tcase_add_test(tc, text_test_utf8_cut);
	tcase_add_test(tc, text_test_from_cp1252);
	suite_add_tcase(s, tc);
	tc = tcase_create("time");
	tcase_add_test(tc, text_test_time_paris);
	suite_add_tcase(s, tc);
	tc = tcase_create("buf");
	tcase_add_test(tc, text_test_buf_printf);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(text_suite)
