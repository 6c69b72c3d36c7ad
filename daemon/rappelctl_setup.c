/*
 * rappelctl_setup — `rappelctl setup`, the first-run assistant: finds the
 * modem, asks for the centre's name and phone and the PIN, writes the
 * configuration, makes the admin account and sends a test SMS through
 * the modem workers run here for a moment (rappeld stopped).  French
 * questions on standard error, answers on standard input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "modem.h"
#include "modemstatus.h"
#include "phone.h"
#include "queue.h"
#include "rappelctl.h"
#include "settings.h"
#include "setup.h"
#include "timeutil.h"

#define CTL_TEST_WAIT_S 120	/* most the test SMS of setup may take */

int64_t
ctl_now(void)
{
	return (int64_t)time(NULL);
}

/*
 * Asks on standard error and reads one line of standard input (without
 * its newline) into out; an empty answer gives def (may be NULL: "").
 * -1 at the end of the input.
 */
static int
ctl_ask(const char *prompt, const char *def, char *out, size_t size)
{
	size_t n;

	fprintf(stderr, "%s", prompt);
	if (def && def[0])
		fprintf(stderr, "[%s] ", def);
	fflush(stderr);
	if (fgets(out, (int)size, stdin) == NULL)
		return -1;
	n = strcspn(out, "\r\n");
	out[n] = '\0';
	if (n == 0 && def)
		snprintf(out, size, "%s", def);
	return 0;
}

/* A yes/no question; def is the answer to an empty line. */
static bool
ctl_ask_yes(const char *prompt, bool def)
{
	char a[16];

	if (ctl_ask(prompt, def ? "o" : "n", a, sizeof(a)) < 0)
		return def;
	return a[0] == 'o' || a[0] == 'O' || a[0] == 'y' || a[0] == 'Y';
}

/* Shows the modems found; the chosen one's index in *choice, or -1 for none. */
static int
ctl_setup_modem(const char *dir, struct setup_modem *found, int *choice)
{
	size_t n, i;
	char a[16];
	long k;

	fprintf(stderr, "Recherche des modems dans %s ...\n", dir);
	n = setup_find(dir, found, SETUP_MAX_MODEMS);
	*choice = -1;
	if (n == 0) {
		char hilink[4][SETUP_HILINK_MAX];
		size_t h = setup_find_hilink(SETUP_NET_DIR, hilink, 4);

		for (i = 0; i < h; i++)
			fprintf(stderr, "La carte réseau %s est sans doute une clé 3G/4G en mode "
			    "« HiLink » : elle ne peut pas envoyer de SMS à rappel. Passez-la en "
			    "mode modem avec usb_modeswitch (docs/installation-raspberry-pi.md, "
			    "« Clé HiLink »).\n", hilink[i]);
		fprintf(stderr, "Aucun modem ne répond. Vérifiez qu'il est branché, qu'il n'est "
		    "pas en mode « HiLink » (clé qui se présente comme une carte réseau) et "
		    "lisez docs/installation-raspberry-pi.md.\n");
		return ctl_ask_yes("Continuer sans modem ? ", false) ? 0 : -1;
	}
	for (i = 0; i < n; i++)
		fprintf(stderr, "  %zu) %s\n     %s, carte SIM : %s\n", i + 1, found[i].path,
		    found[i].model[0] ? found[i].model : "modèle inconnu",
		    strcmp(found[i].sim, "READY") == 0 ? "prête" :
		    strcmp(found[i].sim, "SIM PIN") == 0 ? "code PIN demandé" :
		    strcmp(found[i].sim, "SIM PUK") == 0 ? "BLOQUÉE (code PUK demandé)" :
		    found[i].sim[0] ? found[i].sim : "état inconnu");
	if (ctl_ask("Numéro du modem à utiliser ", "1", a, sizeof(a)) < 0)
		return -1;
	k = strtol(a, NULL, 10);
	if (k < 1 || (size_t)k > n) {
		fprintf(stderr, "Choix invalide : %s\n", a);
		return -1;
	}
	*choice = (int)k - 1;
	return 0;
}

/* The PIN asked for a SIM that wants one; "" otherwise.  -1 on a bad answer. */
static int
ctl_setup_pin(const struct setup_modem *m, char *pin, size_t size)
{
	size_t n, i;

	pin[0] = '\0';
	if (m == NULL || strcmp(m->sim, "SIM PIN") != 0) {
		if (m && strcmp(m->sim, "SIM PUK") == 0)
			fprintf(stderr, "La carte SIM est bloquée : débloquez-la avec son code PUK "
			    "dans un téléphone, puis relancez rappelctl setup.\n");
		return 0;
	}
	fprintf(stderr, "Le code PIN ne sera essayé qu'une fois par démarrage, pour ne pas "
	    "bloquer la carte.\n");
	if (ctl_ask("Code PIN de la carte SIM (4 à 8 chiffres) : ", NULL, pin, size) < 0)
		return -1;
	n = strlen(pin);
	for (i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9')
			break;
	if (n < 4 || n > 8 || i != n) {
		fprintf(stderr, "Un code PIN a 4 à 8 chiffres.\n");
		return -1;
	}
	return 0;
}

/* The admin account: created, or its password changed when it exists. */
static int
ctl_setup_admin(struct db *db, int64_t now)
{
	char login[64], pw[AUTH_PASSWORD_MAX + 2], again[AUTH_PASSWORD_MAX + 2];
	const char *reason = NULL;
	struct auth_user u;
	int64_t id;

	if (ctl_ask("Identifiant du compte administrateur ", "directrice", login,
	    sizeof(login)) < 0 ||
	    ctl_read_password("Mot de passe (10 caractères au moins) : ", pw, sizeof(pw)) < 0 ||
	    ctl_read_password("Le même mot de passe : ", again, sizeof(again)) < 0)
		return ctl_fail("setup: no answer on standard input");
	if (strcmp(pw, again) != 0)
		return ctl_fail("setup: the two passwords differ");
	if (ctl_begin(db, "setup") != 0)
		return 1;
	if (auth_user_find(db, login, &u) == 0) {
		if (auth_user_set_password(db, login, pw, now, NULL, &reason) < 0)
			return ctl_rollback(db, "setup", reason);
		if (ctl_commit(db, "setup", now, "password", "user", u.id) != 0)
			return 1;
		fprintf(stderr, "Le mot de passe du compte %s est changé.\n", login);
		return 0;
	}
	if (auth_user_add(db, login, AUTH_ROLE_ADMIN, pw, now, &id, &reason) < 0)
		return ctl_rollback(db, "setup", reason);
	if (ctl_commit(db, "setup", now, "create", "user", id) != 0)
		return 1;
	fprintf(stderr, "Compte administrateur %s créé.\n", login);
	return 0;
}

/*
 * The test SMS: queued, then sent by the modem workers run here for a
 * moment (rappeld is stopped: the lock is ours), at any hour.
 */
static int
ctl_setup_test_sms(struct db *db, struct config *cfg)
{
	char number[64], to[PHONE_E164_MAX], text[320], err[512], status[32] = "queued";
	char error[256] = "", modem_error[256] = "", state[32] = "";
	struct modemstatus ms;
	struct modem_pool *pool;
	struct error e = { 0 };
	enum phone_kind kind;
	const char *reason;
	int64_t id;
	int waited;

	if (ctl_ask("Numéro de portable pour un SMS d'essai (vide : pas d'essai) : ", NULL,
	    number, sizeof(number)) < 0 || number[0] == '\0')
		return 0;
	if (phone_normalize(number, to, &kind, &reason) < 0 || !phone_kind_can_sms(kind))
		return ctl_fail("setup: %s is not a mobile number", number);
	snprintf(text, sizeof(text), "Essai de rappel : ce SMS vient de %s. Tout fonctionne.",
	    cfg->centre_name);
	if (queue_add(db, to, 0, text, QUEUE_DIRECT, "rappelctl setup", ctl_now(), &id, &e) < 0)
		return ctl_fail("setup: %s", e.message);
	cfg->send_start_min = 0;		/* a test goes out at any hour */
	cfg->send_end_min = 24 * 60;
	cfg->send_days = 0x7f;
	if ((pool = modem_pool_start(cfg, ctl_now, err, sizeof(err))) == NULL)
		return ctl_fail("setup: %s", err);
	fprintf(stderr, "Envoi du SMS d'essai ...\n");
	for (waited = 0; waited < CTL_TEST_WAIT_S * 2; waited++) {
		if (queue_message_state(db, id, status, sizeof(status), error,
		    sizeof(error)) < 0)
			break;
		if (modemstatus_get(db, "modem", &ms) == 1) {
			snprintf(modem_error, sizeof(modem_error), "%s", ms.last_error);
			snprintf(state, sizeof(state), "%s", ms.state);
		}
		if (strcmp(status, "queued") != 0 && strcmp(status, "sending") != 0)
			break;
		if (strcmp(state, "pin_refused") == 0)
			break;
		usleep(500 * 1000);
	}
	modem_pool_stop(pool);
	if (strcmp(status, "sent") == 0 || strcmp(status, "delivered") == 0) {
		printf("test SMS sent to %s\n", to);
		return 0;
	}
	if (strcmp(status, "queued") == 0 || strcmp(status, "sending") == 0)
		queue_cancel(db, id, ctl_now(), &e);
	return ctl_fail("setup: the test SMS was not sent (%s%s%s%s%s); the configuration is "
	    "written, see docs/installation-raspberry-pi.md", status, error[0] ? ": " : "",
	    error, modem_error[0] ? "; modem: " : "", modem_error);
}

/* setup [--devices DIR]: the first-run assistant. */
int
ctl_setup(const char *path, int argc, char **argv)
{
	struct setup_modem found[SETUP_MAX_MODEMS];
	struct setup_answers a = { 0 };
	char name[200], phone[64], pin[16], err[512], db_path[4096];
	const char *dir = SETUP_DEVICES_DIR;
	struct config *cfg;
	struct db *db = NULL;
	int choice, lock, rc = 1;

	if (argc == 3 && strcmp(argv[1], "--devices") == 0)
		dir = argv[2];
	else if (argc != 1)
		return ctl_usage(stderr), 2;
	snprintf(db_path, sizeof(db_path), "/var/lib/rappel/rappel.db");
	if (access(path, F_OK) == 0) {
		if ((cfg = config_load(path, err, sizeof(err))) == NULL)
			return ctl_fail("%s (correct it, or remove it to start afresh)", err);
		snprintf(db_path, sizeof(db_path), "%s", cfg->db_path);
		config_free(cfg);
	}
	if ((lock = db_lock(db_path, err, sizeof(err))) < 0)
		return ctl_fail("%s; then run rappelctl setup again", err);
	fprintf(stderr, "rappel : premier réglage (%s)\n", path);
	if (ctl_setup_modem(dir, found, &choice) < 0 ||
	    ctl_setup_pin(choice >= 0 ? &found[choice] : NULL, pin, sizeof(pin)) < 0 ||
	    ctl_ask("Nom du centre (il signe chaque SMS) : ", NULL, name, sizeof(name)) < 0 ||
	    ctl_ask("Téléphone du centre (rappelé par les familles) : ", NULL, phone,
	    sizeof(phone)) < 0) {
		ctl_fail("setup: stopped, nothing written");
		goto done;
	}
	a.centre_name = name;
	a.centre_phone = phone;
	a.device = choice >= 0 ? found[choice].path : NULL;
	a.pin = pin;
	a.network = ctl_ask_yes("Ouvrir le panneau aux autres ordinateurs du centre ? ", true);
	if (setup_write_config(path, &a, err, sizeof(err)) < 0) {
		ctl_fail("setup: %s", err);
		goto done;
	}
	printf("configuration written to %s\n", path);
	if ((cfg = config_load(path, err, sizeof(err))) == NULL) {
		ctl_fail("%s", err);
		goto done;
	}
	time_set_zone(cfg->timezone);
	if (ctl_drop_root(cfg->db_path, err, sizeof(err)) < 0 ||
	    (db = db_open(cfg->db_path, err, sizeof(err))) == NULL ||
	    db_migrate(db, err, sizeof(err)) < 0) {
		ctl_fail("%s", err);
	} else if (settings_forget_section(db, "centre") < 0) {
		/* what was just answered wins over a name changed in the panel */
		ctl_fail("cannot clear the centre's settings of the panel");
	} else if (ctl_setup_admin(db, ctl_now()) == 0 &&
	    (cfg->nmodems == 0 || ctl_setup_test_sms(db, cfg) == 0)) {
		printf("done: start rappel with \"systemctl restart rappel\", then open "
		    "http://%s/ in a browser\n", cfg->http_listen);
		rc = 0;
	}
	config_free(cfg);
done:
	db_close(db);
	close(lock);
	return rc;
}
