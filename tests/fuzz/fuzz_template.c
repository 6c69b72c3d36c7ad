/*
 * fuzz_template — a campaign's text as staff type it: template_check(),
 * then template_render() for one recipient, then what the preview does
 * with the result (transliteration, SMS count).  The first input byte
 * picks the language and the atelier's time, the rest is the template.
 * A template renders exactly when it passes the check; a rendered text
 * is UTF-8.
 */
#include "fuzz.h"
#include "sms.h"
#include "template.h"
#include "text.h"
#include "translit.h"

static const char *const fuzz_languages[] = { "fr", "en", "ar", NULL };

/* Occurrences: none, a Thursday at 15h30, at 11h the next day, the night clocks go back. */
static const int64_t fuzz_whens[] = { 0, FUZZ_NOW + 4 * 3600 + 1800, FUZZ_NOW + 86400,
	1792890000LL };

FUZZ_INIT_DEFAULT()

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct template_values v = {
		.prenom = "Éloïse", .nom = "N'Diaye", .atelier = "Atelier cuisine",
		.lieu = "Salle polyvalente", .centre = "Centre social Jacques Brel",
		.tel_centre = "03 21 00 00 00",
	};
	struct error err = { 0 };
	struct buf out = { 0 }, plain = { 0 };
	struct sms_info info;
	unsigned uses = 0;
	char *tmpl;
	int checked;

	if (size == 0)
		return 0;
	v.language = fuzz_languages[data[0] % 4];
	v.when = fuzz_whens[(data[0] >> 2) % 4];
	tmpl = fuzz_text(data + 1, size - 1);
	checked = template_check(tmpl, "body", &uses, &err);
	fuzz_assert(checked == 0 || error_http_status(err.kind) == 400);
	fuzz_assert(template_render(tmpl, &v, &out) == checked);
	if (checked == 0) {
		buf_append(&out, "", 1);
		fuzz_assert(text_utf8_valid(out.data, out.len - 1));
		translit_gsm7(out.data, data[0] & 0x10, &plain);
		buf_append(&plain, "", 1);
		fuzz_assert(sms_analyze(plain.data, &info) == 0);
		fuzz_assert(info.parts >= 1);
	} else {
		fuzz_assert(out.len == 0);
	}
	buf_free(&out);
	buf_free(&plain);
	free(tmpl);
	return 0;
}
