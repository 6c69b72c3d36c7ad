/*
 * fuzz_config — the configuration file (config_load_string), as
 * `rappeld --check-config` reads it: any text either loads or is refused
 * with "NAME:LINE: reason"; either way nothing leaks, and what loads is
 * UTF-8 text without control characters.
 */
#include "config.h"
#include "fuzz.h"
#include "text.h"

/* True when s is UTF-8 without C0 controls but tab, DEL or C1. */
static bool
fuzz_config_text_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	if (!text_utf8_valid(s, strlen(s)))
		return false;
	while (*p) {
		if (text_utf8_next(&p, &cp) < 0 || (cp < 0x20 && cp != '\t') ||
		    (cp >= 0x7f && cp <= 0x9f))
			return false;
	}
	return true;
}

FUZZ_INIT_DEFAULT()

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	char err[512] = "";
	struct config *cfg = config_load_string(text, "fuzz.conf", err, sizeof(err));

	if (cfg == NULL) {
		/* every refusal says where */
		fuzz_assert(strncmp(err, "fuzz.conf", 9) == 0);
	} else {
		fuzz_assert(cfg->send_start_min < cfg->send_end_min);
		fuzz_assert(cfg->nmodems <= CONFIG_MAX_MODEMS);
		fuzz_assert(cfg->db_path != NULL && cfg->http_listen != NULL);
		fuzz_assert(fuzz_config_text_ok(cfg->centre_name) &&
		    strchr(cfg->centre_name, '\t') == NULL);
		fuzz_assert(fuzz_config_text_ok(cfg->centre_phone));
		for (size_t i = 0; i < cfg->nmodems; i++)
			fuzz_assert(fuzz_config_text_ok(cfg->modems[i].name) &&
			    fuzz_config_text_ok(cfg->modems[i].device));
	}
	config_free(cfg);
	free(text);
	return 0;
}
