/*
 * fuzz_config — the configuration file (config_load_string), as
 * `rappeld --check-config` reads it: any text either loads or is refused
 * with "NAME:LINE: reason"; either way nothing leaks.
 */
#include "config.h"
#include "fuzz.h"

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
	}
	config_free(cfg);
	free(text);
	return 0;
}
