/*
 * check_phone — phone_normalize() on numbers as people type them.
 */
#include <check.h>
#include <string.h>

#include "phone.h"
#include "test_main.h"

/* Asserts that in normalises to want, of kind k. */
static void
phone_test_ok(const char *in, const char *want, enum phone_kind k)
{
	char out[PHONE_E164_MAX];
	enum phone_kind kind = (enum phone_kind)-1;
	const char *reason = NULL;

	ck_assert_msg(phone_normalize(in, out, &kind, &reason) == 0,
	    "\"%s\" refused: %s", in, reason ? reason : "(no reason)");
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(kind, k);
}

/* Asserts that in is refused with reason why (any reason when NULL). */
static void
phone_test_bad(const char *in, const char *why)
{
	char out[PHONE_E164_MAX];
	enum phone_kind kind = PHONE_MOBILE;
	const char *reason = NULL;

	memcpy(out, "garbage", 8);
	ck_assert_msg(phone_normalize(in, out, &kind, &reason) == -1,
	    "\"%s\" accepted as %s", in ? in : "(null)", out);
	ck_assert_str_eq(out, "");
	ck_assert_ptr_nonnull(reason);
	if (why != NULL)
		ck_assert_str_eq(reason, why);
}

START_TEST(phone_test_national_formats)
{
	phone_test_ok("06 12 34 56 78", "+33612345678", PHONE_MOBILE);
	phone_test_ok("06.12.34.56.78", "+33612345678", PHONE_MOBILE);
	phone_test_ok("06-12-34-56-78", "+33612345678", PHONE_MOBILE);
	phone_test_ok("0612345678", "+33612345678", PHONE_MOBILE);
	phone_test_ok("(06) 12 34 56 78", "+33612345678", PHONE_MOBILE);
	phone_test_ok("07 81 22 33 44", "+33781223344", PHONE_MOBILE);
}
END_TEST

START_TEST(phone_test_international_formats)
{
	phone_test_ok("+33 6 12 34 56 78", "+33612345678", PHONE_MOBILE);
	phone_test_ok("+33 (0)6 12 34 56 78", "+33612345678", PHONE_MOBILE);
	phone_test_ok("+33(0)612345678", "+33612345678", PHONE_MOBILE);
	phone_test_ok("0033 6 12 34 56 78", "+33612345678", PHONE_MOBILE);
	phone_test_ok("0033612345678", "+33612345678", PHONE_MOBILE);
	phone_test_ok("+33612345678", "+33612345678", PHONE_MOBILE);
	phone_test_ok("+33 06 12 34 56 78", "+33612345678", PHONE_MOBILE);
}
END_TEST

START_TEST(phone_test_spreadsheet_damage)
{
	/* leading zero dropped */
	phone_test_ok("612345678", "+33612345678", PHONE_MOBILE);
	phone_test_ok("781223344", "+33781223344", PHONE_MOBILE);
	/* "+" dropped from "+33..." */
	phone_test_ok("33612345678", "+33612345678", PHONE_MOBILE);
	/* only mobiles are guessed: a 9-digit 1... is not */
	phone_test_bad("123456789",
	    "numéro français invalide (10 chiffres attendus)");
}
END_TEST

START_TEST(phone_test_whitespace)
{
	phone_test_ok("  06 12 34 56 78\t", "+33612345678", PHONE_MOBILE);
	phone_test_ok("\xC2\xA0" "06\xC2\xA0" "12\xC2\xA0" "34 56 78\xC2\xA0",
	    "+33612345678", PHONE_MOBILE);
	phone_test_ok("06\xE2\x80\xAF" "12\xE2\x80\xAF" "34\xE2\x80\xAF"
	    "56\xE2\x80\xAF" "78", "+33612345678", PHONE_MOBILE);
	phone_test_ok("+33\xE2\x80\xAF" "6 12 34 56 78", "+33612345678",
	    PHONE_MOBILE);
	/* a lone C2 without A0 is not a separator */
	phone_test_bad("06\xC2" "12345678", "caractère non autorisé dans le numéro");
}
END_TEST

START_TEST(phone_test_kinds)
{
	phone_test_ok("01 23 45 67 89", "+33123456789", PHONE_LANDLINE);
	phone_test_ok("02 23 45 67 89", "+33223456789", PHONE_LANDLINE);
	phone_test_ok("03 23 45 67 89", "+33323456789", PHONE_LANDLINE);
	phone_test_ok("04 23 45 67 89", "+33423456789", PHONE_LANDLINE);
	phone_test_ok("05 23 45 67 89", "+33523456789", PHONE_LANDLINE);
	phone_test_ok("09 23 45 67 89", "+33923456789", PHONE_LANDLINE);
	phone_test_ok("+33 1 23 45 67 89", "+33123456789", PHONE_LANDLINE);
	phone_test_ok("08 00 12 34 56", "+33800123456", PHONE_SPECIAL);
	phone_test_ok("0033 8 92 12 34 56", "+33892123456", PHONE_SPECIAL);
}
END_TEST

START_TEST(phone_test_foreign)
{
	phone_test_ok("+262 692 12 34 56", "+262692123456", PHONE_MOBILE);
	phone_test_ok("+590 690 12 34 56", "+590690123456", PHONE_MOBILE);
	phone_test_ok("+594 694 12 34 56", "+594694123456", PHONE_MOBILE);
	phone_test_ok("+596 696 12 34 56", "+596696123456", PHONE_MOBILE);
	phone_test_ok("+44 7911 123456", "+447911123456", PHONE_MOBILE);
	phone_test_ok("+44 (0)7911 123456", "+447911123456", PHONE_MOBILE);
	phone_test_ok("0049 151 23456789", "+4915123456789", PHONE_MOBILE);
}
END_TEST

START_TEST(phone_test_foreign_length)
{
	phone_test_ok("+12345678", "+12345678", PHONE_MOBILE);
	phone_test_ok("+123456789012345", "+123456789012345", PHONE_MOBILE);
	phone_test_bad("+1234567", "numéro trop court");
	phone_test_bad("+1234567890123456", "numéro trop long");
	phone_test_bad("00 1234567890123456789012345678901234567890",
	    "numéro trop long");
	phone_test_bad("+0612345678", "indicatif de pays invalide");
	/*
	 * Nigeria's plan has 13-digit 700 and 800 numbers: with +234 that is
	 * 16 digits, one more than E.164 allows (found by fuzz_phone: written
	 * past the end of out).
	 */
	phone_test_bad("+234 7001234567890", "numéro trop long");
	phone_test_bad("+234 8001234567890", "numéro trop long");
	phone_test_ok("+234 8031234567", "+2348031234567", PHONE_MOBILE);
}
END_TEST

START_TEST(phone_test_french_length)
{
	phone_test_bad("0612", "numéro trop court");
	phone_test_bad("06 12 34 56 7", "numéro trop court");
	phone_test_bad("06 12 34 56 78 9", "numéro trop long");
	phone_test_bad("12345", "numéro trop court");
	phone_test_bad("+33 6 12 34 56 7",
	    "numéro français invalide (10 chiffres attendus)");
	phone_test_bad("+33 6 12 34 56 78 9",
	    "numéro français invalide (10 chiffres attendus)");
	phone_test_bad("0033 0 12 34 56 78",
	    "numéro français invalide (10 chiffres attendus)");
	phone_test_bad("1234567890123", "numéro trop long");
}
END_TEST

START_TEST(phone_test_invalid_chars)
{
	phone_test_bad("06 12 AB 56 78", "caractère non autorisé dans le numéro");
	phone_test_bad("O6 12 34 56 78", "caractère non autorisé dans le numéro");
	phone_test_bad("tel 0612345678", "caractère non autorisé dans le numéro");
	phone_test_bad("06 12 34 56 78 #1", "caractère non autorisé dans le numéro");
	phone_test_bad("06 12 34 56 78+", NULL);
	phone_test_bad("++33612345678", NULL);
	phone_test_bad("+33 +612345678", NULL);
}
END_TEST

START_TEST(phone_test_empty)
{
	phone_test_bad("", "numéro vide");
	phone_test_bad("   \t ", "numéro vide");
	phone_test_bad("\xC2\xA0", "numéro vide");
	phone_test_bad(" - . ", "numéro vide");
	phone_test_bad("+", "numéro vide");
	phone_test_bad(NULL, NULL);
}
END_TEST

START_TEST(phone_test_null_reason)
{
	char out[PHONE_E164_MAX];
	enum phone_kind kind;

	ck_assert_int_eq(phone_normalize("abc", out, &kind, NULL), -1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(phone_normalize("0612345678", out, &kind, NULL), 0);
	ck_assert_str_eq(out, "+33612345678");
}
END_TEST

START_TEST(phone_test_can_sms)
{
	ck_assert(phone_kind_can_sms(PHONE_MOBILE));
	ck_assert(!phone_kind_can_sms(PHONE_LANDLINE));
	ck_assert(!phone_kind_can_sms(PHONE_SPECIAL));
}
END_TEST

/*
 * A number normalised once is normalised again to itself: the trunk 0 of
 * a country outside the plan table is dropped once, and a national
 * number that still starts with 0 after it is refused.  Found by
 * fuzz_phone (tests/fuzz/regressions/phone/trunk-zero-twice): "(006 00
 * 00698 05" gave +600069805, which gave +60069805.
 */
START_TEST(phone_test_trunk_zero_once)
{
	char out[PHONE_E164_MAX], again[PHONE_E164_MAX];
	enum phone_kind kind, kind2;
	static const char *const typed[] = { "(006 00 00698 05", "+60 00 069805",
		"0049 0 30 1234567", "+49 (0)30 1234567" };
	size_t i;

	for (i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
		if (phone_normalize(typed[i], out, &kind, NULL) < 0)
			continue;
		ck_assert_int_eq(phone_normalize(out, again, &kind2, NULL), 0);
		ck_assert_msg(strcmp(out, again) == 0 && kind == kind2, "%s gave %s, then %s",
		    typed[i], out, again);
	}
	phone_test_bad("(006 00 00698 05", "« 0 » en trop après l'indicatif de pays");
}
END_TEST

static void
phone_add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);

	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

/* Issue 25: the numbers libphonenumber disagreed on. */
START_TEST(phone_test_reference)
{
	phone_test_ok("0690 12 34 56", "+590690123456", PHONE_MOBILE);
	phone_test_ok("0694 12 34 56", "+594694123456", PHONE_MOBILE);
	phone_test_ok("0696 12 34 56", "+596696123456", PHONE_MOBILE);
	phone_test_ok("0692 12 34 56", "+262692123456", PHONE_MOBILE);
	phone_test_ok("0639 01 23 45", "+262639012345", PHONE_MOBILE);
	phone_test_ok("0262 12 34 56", "+262262123456", PHONE_LANDLINE);
	phone_test_ok("+590 590 12 34 56", "+590590123456", PHONE_LANDLINE);
	phone_test_ok("tel: 06 12 34 56 78", "+33612345678", PHONE_MOBILE);
	phone_test_ok("tel:+33612345678", "+33612345678", PHONE_MOBILE);
	phone_test_ok("+44 07911 123456", "+447911123456", PHONE_MOBILE);
	phone_test_ok("0800 12 34 56", "+33800123456", PHONE_SPECIAL);
	phone_test_bad("07 11 12 34 56", NULL);
	phone_test_bad("+44 7700 900123", NULL);
	phone_test_bad("+33 690 12 34 56", NULL);
	/* ARCEP's fiction range, in no plan, kept for the demo and the tests */
	phone_test_ok("06 39 98 00 01", "+33639980001", PHONE_MOBILE);
	phone_test_ok("+33 6 39 98 00 01", "+33639980001", PHONE_MOBILE);
}
END_TEST

static Suite *
phone_suite(void)
{
	Suite *s = suite_create("phone");

	phone_add(s, "national formats", phone_test_national_formats);
	phone_add(s, "international formats", phone_test_international_formats);
	phone_add(s, "spreadsheet damage", phone_test_spreadsheet_damage);
	phone_add(s, "whitespace and no-break spaces", phone_test_whitespace);
	phone_add(s, "kinds", phone_test_kinds);
	phone_add(s, "foreign numbers", phone_test_foreign);
	phone_add(s, "foreign lengths", phone_test_foreign_length);
	phone_add(s, "french lengths", phone_test_french_length);
	phone_add(s, "invalid characters", phone_test_invalid_chars);
	phone_add(s, "reference", phone_test_reference);
	phone_add(s, "empty", phone_test_empty);
	phone_add(s, "reason may be NULL", phone_test_null_reason);
	phone_add(s, "can sms", phone_test_can_sms);
	phone_add(s, "trunk zero once", phone_test_trunk_zero_once);
	return s;
}

TEST_MAIN(phone_suite)
