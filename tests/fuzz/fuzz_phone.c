/*
 * fuzz_phone — phone numbers as people type them (phone_normalize), from
 * the API, CSV imports and the senders of incoming SMS.  An accepted
 * number is E.164: "+" and 6 to 15 digits, as the numbering plans have
 * them (a few special numbers have 6 or 7, such as Norway's 5-digit
 * services), and 8 at least for a mobile, the only kind rappel texts; and
 * normalising it again gives itself; a refused one comes with a reason.
 */
#include <ctype.h>

#include "fuzz.h"
#include "phone.h"

FUZZ_INIT_DEFAULT()

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	char out[PHONE_E164_MAX], again[PHONE_E164_MAX];
	enum phone_kind kind, kind2;
	const char *reason = NULL;
	size_t i, n;

	if (phone_normalize(text, out, &kind, &reason) == 0) {
		n = strlen(out);
		fuzz_assert(out[0] == '+' && n >= 7 && n <= 16);
		fuzz_assert(kind != PHONE_MOBILE || n >= 9);
		for (i = 1; i < n; i++)
			fuzz_assert(isdigit((unsigned char)out[i]));
		fuzz_assert(phone_normalize(out, again, &kind2, NULL) == 0);
		fuzz_assert(strcmp(out, again) == 0 && kind == kind2);
		(void)phone_kind_can_sms(kind);
	} else {
		fuzz_assert(out[0] == '\0');
		fuzz_assert(reason != NULL && reason[0] != '\0');
	}
	free(text);
	return 0;
}
