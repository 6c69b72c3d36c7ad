/*
 * check_card — the card families keep: the centre's vCard, and its QR
 * code drawn in SVG, read back by a real decoder (zbar) as a phone's
 * camera would read the printed card; then the same through the real
 * rappeld (tests/e2e.h), with the SMS number set from Paramètres.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#include "card.h"
#include "e2e.h"
#include "test_main.h"

#define PX 4	/* pixels per module in the rendered image */

START_TEST(vcard_text)
{
	struct buf b = { 0 };

	ck_assert_int_eq(card_vcard("Centre social Jacques Brel", "06 12 34 56 78",
	    "03 21 00 00 00", &b), 0);
	ck_assert_str_eq(b.data,
	    "BEGIN:VCARD\r\n"
	    "VERSION:3.0\r\n"
	    "N:Centre social Jacques Brel\r\n"
	    "FN:Centre social Jacques Brel\r\n"
	    "ORG:Centre social Jacques Brel\r\n"
	    "TEL;TYPE=CELL:+33612345678\r\n"
	    "TEL;TYPE=WORK,VOICE:+33321000000\r\n"
	    "END:VCARD\r\n");
	buf_free(&b);
}
END_TEST

/* Commas, semicolons and backslashes are escaped; a name has no line break. */
START_TEST(vcard_escapes)
{
	struct buf b = { 0 };

	ck_assert_int_eq(card_vcard("MJC; Maison, \\ des jeunes\r\nbis", "+33 7 00 00 00 01", NULL,
	    &b), 0);
	ck_assert_ptr_nonnull(strstr(b.data, "\r\nFN:MJC\\; Maison\\, \\\\ des jeunes\\nbis\r\n"));
	ck_assert_ptr_null(strstr(b.data, "VOICE"));	/* no landline, no line */
	buf_free(&b);
}
END_TEST

/* A long name is folded at 75 octets, never inside a UTF-8 character. */
START_TEST(vcard_folds)
{
	struct buf b = { 0 };
	const char *name = "Centre social et culturel « Les Éoliennes » du quartier des "
	    "Hauts-de-Garonne, à Lormont";
	char *p, *line, *save = NULL, *unfolded;
	size_t i, n = 0;

	ck_assert_int_eq(card_vcard(name, "0612345678", "0321000000", &b), 0);
	for (line = strtok_r(b.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		ck_assert_msg(strlen(line) <= 76, "line over 75 octets: %s", line);	/* + CR */
		ck_assert_msg(((unsigned char)line[0] & 0xc0) != 0x80, "folded inside a character");
		n++;
	}
	ck_assert_uint_gt(n, 8);
	buf_free(&b);
	/* unfolding (CRLF and one space removed) gives the name back whole */
	ck_assert_int_eq(card_vcard(name, "0612345678", "0321000000", &b), 0);
	unfolded = calloc(b.len + 1, 1);
	for (i = 0, p = b.data; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 2;
			continue;
		}
		unfolded[i++] = *p;
	}
	ck_assert_ptr_nonnull(strstr(unfolded, "\r\nFN:Centre social et culturel « Les Éoliennes » "
	    "du quartier des Hauts-de-Garonne\\, à Lormont\r\n"));
	free(unfolded);
	buf_free(&b);
}
END_TEST

START_TEST(vcard_refuses_bad_numbers)
{
	struct buf b = { 0 };

	ck_assert_int_eq(card_vcard("Centre", "pas un numéro", "03 21 00 00 00", &b), -1);
	ck_assert_int_eq(card_vcard("Centre", "06 12 34 56 78", "12", &b), -1);
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);
}
END_TEST

/*
 * The SVG as card_qr_svg() writes it, drawn into a grey-scale image of
 * PX pixels a module: its viewBox gives the size, each "M x y h n v1 h-n z"
 * a run of dark modules.  Returns the pixels (free()), *side their side.
 */
static unsigned char *
render_svg(const char *svg, int *side)
{
	const char *p = strstr(svg, "viewBox=\"0 0 ");
	unsigned char *img;
	int size, size2, x, y, n, n2, i, j, used;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p, "viewBox=\"0 0 %d %d\"", &size, &size2), 2);
	ck_assert_int_eq(size, size2);
	*side = size * PX;
	img = malloc((size_t)*side * *side);
	memset(img, 255, (size_t)*side * *side);
	p = strstr(svg, " d=\"");
	ck_assert_ptr_nonnull(p);
	for (p += 4; *p == 'M'; p += used) {
		ck_assert_int_eq(sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &n, &n2, &used), 4);
		ck_assert_int_eq(n, n2);
		ck_assert(x >= CARD_QR_MARGIN && y >= CARD_QR_MARGIN);
		ck_assert(x + n <= size - CARD_QR_MARGIN && y < size - CARD_QR_MARGIN);
		for (i = 0; i < PX; i++)
			for (j = 0; j < n * PX; j++)
				img[(y * PX + i) * *side + x * PX + j] = 0;
	}
	ck_assert_int_eq(*p, '"');
	return img;
}

/* The text zbar reads from the image (malloc'd), or NULL when it reads none. */
static char *
decode(unsigned char *pixels, int side)
{
	zbar_image_scanner_t *scanner = zbar_image_scanner_create();
	zbar_image_t *image = zbar_image_create();
	const zbar_symbol_t *sym;
	char *text = NULL;

	zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
	zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(image, (unsigned)side, (unsigned)side);
	zbar_image_set_data(image, pixels, (unsigned long)side * side, NULL);
	if (zbar_scan_image(scanner, image) > 0 &&
	    (sym = zbar_image_first_symbol(image)) != NULL &&
	    zbar_symbol_get_type(sym) == ZBAR_QRCODE) {
		text = calloc(zbar_symbol_get_data_length(sym) + 1, 1);
		memcpy(text, zbar_symbol_get_data(sym), zbar_symbol_get_data_length(sym));
	}
	zbar_image_destroy(image);
	zbar_image_scanner_destroy(scanner);
	return text;
}

/* The QR code of the vCard, rendered from its SVG, reads back as the vCard. */
START_TEST(qr_decodes_to_the_vcard)
{
	static const char *const names[] = {
		"Centre social Jacques Brel",
		"Maison de quartier « Les Éoliennes », Lormont",
	};
	struct buf vcard = { 0 }, svg = { 0 };
	unsigned char *pixels;
	char *text;
	int side;

	ck_assert_int_eq(card_vcard(names[_i], "06 12 34 56 78", "03 21 00 00 00", &vcard), 0);
	ck_assert_int_eq(card_qr_svg(vcard.data, &svg), 0);
	ck_assert_ptr_nonnull(strstr(svg.data, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	pixels = render_svg(svg.data, &side);
	text = decode(pixels, side);
	ck_assert_msg(text != NULL, "zbar read no QR code in the SVG");
	ck_assert_str_eq(text, vcard.data);
	free(text);
	free(pixels);
	buf_free(&vcard);
	buf_free(&svg);
}
END_TEST

/* Text too long for any QR code is refused, not drawn wrong. */
START_TEST(qr_too_long)
{
	struct buf svg = { 0 };
	char *text = malloc(8000);

	memset(text, 'x', 7999);
	text[7999] = '\0';
	ck_assert_int_eq(card_qr_svg(text, &svg), -1);
	ck_assert_uint_eq(svg.len, 0);
	free(text);
	buf_free(&svg);
}
END_TEST

/* ---- through rappeld ---------------------------------------------------- */

static struct e2e E;
static struct e2e_client A;	/* admin */

static void
setup(void)
{
	e2e_start_admin(&E, &A);
}

static void
teardown(void)
{
	e2e_client_free(&A);
	e2e_stop(&E);
}

/*
 * Without an SMS number the card is not ready; a landline is refused as
 * the SMS number; a mobile makes the card, whose image decodes to its
 * vCard.  Any signed-in user prints it; only an admin sets the number.
 */
START_TEST(api_card)
{
	struct e2e_client an, anon;
	struct e2e_resp r;
	unsigned char *pixels;
	char type[64], *text;
	json_t *j;
	int side;

	j = e2e_expect(&E, &A, "GET", "/api/v1/card", NULL, 200);
	ck_assert(json_is_false(json_object_get(j, "ready")));
	ck_assert(json_is_null(json_object_get(j, "sms_number")));
	ck_assert(json_is_null(json_object_get(j, "vcard")));
	json_decref(j);
	ck_assert_int_eq(e2e_call(&E, &A, "GET", "/api/v1/card/qr.svg", NULL, &r), 409);
	ck_assert_str_eq(e2e_error_code(&r), "no_sms_number");
	e2e_resp_free(&r);

	ck_assert_int_eq(e2e_call(&E, &A, "PATCH", "/api/v1/settings",
	    "{\"centre_sms_number\":\"03 21 00 00 00\"}", &r), 400);
	ck_assert_str_eq(e2e_error_field(&r), "centre_sms_number");
	e2e_resp_free(&r);
	ck_assert_int_eq(e2e_call(&E, &A, "PATCH", "/api/v1/settings",
	    "{\"centre_sms_number\":\"07 00 00 00 01\"}", &r), 200);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "centre_sms_number")),
	    "07 00 00 00 01");
	e2e_resp_free(&r);

	e2e_client_init(&an);
	ck_assert_int_eq(e2e_login(&E, &an, E2E_ANIMATEUR, E2E_ANIMATEUR_PW), 200);
	j = e2e_expect(&E, &an, "GET", "/api/v1/card", NULL, 200);
	ck_assert(json_is_true(json_object_get(j, "ready")));
	ck_assert_str_eq(json_string_value(json_object_get(j, "sms_number")), "07 00 00 00 01");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(j, "vcard")),
	    "\r\nTEL;TYPE=CELL:+33700000001\r\nTEL;TYPE=WORK,VOICE:+33"));
	ck_assert_int_eq(e2e_call(&E, &an, "GET", "/api/v1/card/qr.svg", NULL, &r), 200);
	ck_assert(e2e_header(&r, "Content-Type", type, sizeof(type)));
	ck_assert_str_eq(type, "image/svg+xml; charset=utf-8");
	pixels = render_svg(r.body, &side);
	text = decode(pixels, side);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, json_string_value(json_object_get(j, "vcard")));
	free(text);
	free(pixels);
	e2e_resp_free(&r);
	json_decref(j);
	ck_assert_int_eq(e2e_status(&E, &an, "PATCH", "/api/v1/settings",
	    "{\"centre_sms_number\":null}"), 403);
	e2e_client_free(&an);

	e2e_client_init(&anon);
	ck_assert_int_eq(e2e_status(&E, &anon, "GET", "/api/v1/card/qr.svg", NULL), 401);
	e2e_client_free(&anon);
	/* the status gives it too, for the dashboard */
	ck_assert_int_eq(e2e_call(&E, &A, "GET", "/api/v1/status", NULL, &r), 200);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r.json, "centre"),
	    "sms_number")), "07 00 00 00 01");
	e2e_resp_free(&r);
}
END_TEST

static Suite *
card_suite(void)
{
	Suite *s = suite_create("card");
	TCase *tc = tcase_create("vcard");

	tcase_add_test(tc, vcard_text);
	tcase_add_test(tc, vcard_escapes);
	tcase_add_test(tc, vcard_folds);
	tcase_add_test(tc, vcard_refuses_bad_numbers);
	suite_add_tcase(s, tc);
	tc = tcase_create("qr");
	tcase_add_loop_test(tc, qr_decodes_to_the_vcard, 0, 2);
	tcase_add_test(tc, qr_too_long);
	suite_add_tcase(s, tc);
	tc = tcase_create("api");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, api_card);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(card_suite)
