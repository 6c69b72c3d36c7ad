/*
 * fuzz_phone — phone numbers as people type them (phone_normalize), from
 * the API, CSV imports and the senders of incoming SMS.  An accepted
 * number is E.164 ("+" and 8 to 15 digits) and normalising it again gives
 * itself; a refused one comes with a reason.
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
		fuzz_assert(out[0] == '+' && n >= 9 && n <= 16);
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
