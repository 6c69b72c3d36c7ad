/*
 * fuzz_intent — the reply classifier (intent_classify) on any SMS text a
 * family can send: it always answers one of the intents, the same one
 * each time, and a reply longer than INTENT_MAX_BYTES is "other".
 */
#include "fuzz.h"
#include "intent.h"

FUZZ_INIT_DEFAULT()

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	enum intent i = intent_classify(text);

	fuzz_assert(i >= INTENT_OTHER && i <= INTENT_WHO);
	fuzz_assert(intent_classify(text) == i);
	if (strlen(text) > INTENT_MAX_BYTES)
		fuzz_assert(i == INTENT_OTHER);
	fuzz_assert(intent_name(i) != NULL);
	free(text);
	return 0;
}
