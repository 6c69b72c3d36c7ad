/*
 * texts — see texts.h.
 */
#include "texts.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "campaigns.h"
#include "template.h"

static const char *const texts_names[TEXT_COUNT] = {
	[TEXT_STOP] = "stop",
	[TEXT_START] = "start",
	[TEXT_HELP] = "help",
	[TEXT_WHO] = "who",
	[TEXT_ACK] = "ack",
	[TEXT_CANCEL] = "cancel",
	[TEXT_CALL] = "call",
	[TEXT_WAITING] = "waiting",
	[TEXT_OFFER] = "offer",
	[TEXT_PLACED] = "placed",
	[TEXT_CHASE] = "chase",
};

static const char *const texts_languages[] = { "fr", "en", "ar" };
#define TEXTS_NLANG (sizeof(texts_languages) / sizeof(texts_languages[0]))

/* The built-in texts, by name and language (fr, en, ar). */
static const char *const texts_defaults[TEXT_COUNT][TEXTS_NLANG] = {
	[TEXT_STOP] = {
		"Vous ne recevrez plus de SMS de notre part. Envoyez START pour reprendre. "
		"{centre}",
		"You will get no more texts from {centre}. Send START to get them again.",
		"لن تصلك رسائل أخرى من {centre}. أرسل START لاستقبالها من جديد.",
	},
	[TEXT_START] = {
		"C'est noté : vous recevez à nouveau nos SMS. {centre}",
		"Done: you will get texts from {centre} again.",
		"تم: ستصلك رسائل {centre} من جديد.",
	},
	[TEXT_HELP] = {
		"{centre} : pour toute question, appelez le {tel_centre}. Envoyez STOP pour "
		"ne plus recevoir de SMS.",
		"{centre}: for any question, call {tel_centre}. Send STOP to get no more texts.",
		"{centre}: لأي سؤال اتصل بالرقم {tel_centre}. أرسل STOP لإيقاف الرسائل.",
	},
	[TEXT_WHO] = {
		"Bonjour, ici {centre}, {adresse}. Ce numéro envoie les rappels de nos "
		"ateliers. Pour nous parler : {tel_centre}.",
		"Hello, this is {centre}, {adresse}. This number sends the reminders of our "
		"workshops. To talk to us: {tel_centre}.",
		"مرحبا، هنا {centre}، {adresse}. هذا الرقم يرسل تذكيرات ورشاتنا. للتحدث "
		"معنا: {tel_centre}.",
	},
	[TEXT_ACK] = {
		"Merci, c'est noté ! {centre}",
		"Thank you, your answer is noted! {centre}",
		"شكرا، تم تسجيل ردك. {centre}",
	},
	[TEXT_CANCEL] = {
		"{atelier} du {date} à {heure} : la séance est annulée. Veuillez nous excuser "
		"pour ce changement. {centre}",
		"{centre}: the {atelier} session on {date} at {heure} is cancelled. We are "
		"sorry for the change.",
		"{centre}: أُلغيت حصة {atelier} يوم {date} على الساعة {heure}. نعتذر عن هذا "
		"التغيير.",
	},
	[TEXT_CALL] = {
		"Ce numéro envoie nos rappels et ne prend pas les appels : pour nous parler, "
		"appelez le {tel_centre}. {centre}",
		"This number sends the reminders of {centre}. It cannot take calls: to talk "
		"to us, call {tel_centre}.",
		"هذا الرقم يرسل تذكيرات {centre}. لا يستقبل المكالمات: للتحدث معنا، اتصل "
		"بالرقم {tel_centre}.",
	},
	[TEXT_WAITING] = {
		"{atelier}, {date} à {heure}. C'est complet pour l'instant : vous êtes sur la "
		"liste d'attente, nous vous écrivons si une place se libère. {centre}",
		"{atelier}, {date} at {heure}. It is full for now: you are on the waiting list, "
		"we will text you if a place becomes free. {centre}",
		"{atelier}، {date} {heure}. المكان ممتلئ حاليًا: أنت على قائمة الانتظار، "
		"وسنراسلك إذا توفر مكان. {centre}",
	},
	[TEXT_OFFER] = {
		"Une place s'est libérée : {atelier}, {date} à {heure}. Répondez OUI d'ici "
		"{delai} pour la prendre, sinon elle passe à la personne suivante. {centre}",
		"A place is free: {atelier}, {date} at {heure}. Reply YES within {delai} to "
		"take it, otherwise it goes to the next person. {centre}",
		"توفر مكان: {atelier}، {date} {heure}. أرسل OUI خلال {delai} لحجزه، وإلا "
		"سيُعرض على الشخص التالي. {centre}",
	},
	[TEXT_PLACED] = {
		"C'est noté, la place est à vous : {atelier}, {date} à {heure}. {centre}",
		"Done, the place is yours: {atelier}, {date} at {heure}. {centre}",
		"تم التسجيل، المكان لك: {atelier}، {date} {heure}. {centre}",
	},
	[TEXT_CHASE] = {
		"Bonjour {prenom}, venez-vous à {atelier} le {date} à {heure}, {lieu} ? "
		"Répondez OUI ou NON. {centre}",
		"Hello {prenom}, are you coming to {atelier} on {date} at {heure}, {lieu}? "
		"Reply YES or NO. {centre}",
		"مرحبًا {prenom}، هل ستحضر {atelier} {date} {heure}، {lieu}؟ أجب OUI أو NON. "
		"{centre}",
	},
};

/* The answer to « c'est qui ? » of a centre whose address is not given. */
static const char *const texts_who_no_address[TEXTS_NLANG] = {
	"Bonjour, ici {centre}. Ce numéro envoie les rappels de nos ateliers. Pour nous "
	"parler : {tel_centre}.",
	"Hello, this is {centre}. This number sends the reminders of our workshops. To "
	"talk to us: {tel_centre}.",
	"مرحبا، هنا {centre}. هذا الرقم يرسل تذكيرات ورشاتنا. للتحدث معنا: {tel_centre}.",
};

/* The variables each text may use. */
static unsigned
texts_allowed(enum text_name t)
{
	unsigned centre = TEMPLATE_CENTRE | TEMPLATE_TEL_CENTRE | TEMPLATE_ADRESSE;

	unsigned session = centre | TEMPLATE_PRENOM | TEMPLATE_NOM | TEMPLATE_EVENT_VARS;

	switch (t) {
	case TEXT_ACK:
	case TEXT_CANCEL:
	case TEXT_WAITING:
	case TEXT_PLACED:
	case TEXT_CHASE:
		return session;
	case TEXT_OFFER:
		return session | TEMPLATE_DELAI;
	default:
		return centre;
	}
}

const char *
texts_name(enum text_name t)
{
	return (unsigned)t < TEXT_COUNT ? texts_names[t] : NULL;
}

static size_t
texts_lang_index(const char *language)
{
	size_t i;

	for (i = 0; language && i < TEXTS_NLANG; i++)
		if (strcmp(language, texts_languages[i]) == 0)
			return i;
	return 0;
}

const char *
texts_language(const char *language)
{
	return texts_languages[texts_lang_index(language)];
}

static char *
texts_dup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		fatal("texts: out of memory");
	return d;
}

/* The stored body of t in the language of index l, or NULL. */
static char *
texts_stored(struct db *db, enum text_name t, size_t l)
{
	DB_SQL(sql, "SELECT body FROM texts WHERE name = ?1 AND language = ?2");
	sqlite3_stmt *st = db_stmt(db, sql);
	char *body = NULL;

	if (st == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, texts_names[t], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, texts_languages[l], -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		body = texts_dup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return body;
}

char *
texts_get(struct db *db, enum text_name t, const char *language)
{
	size_t l = texts_lang_index(language);
	char *body = texts_stored(db, t, l);

	return body ? body : texts_dup(texts_defaults[t][l]);
}

/* s with every "{delai}" replaced by delai; a new string. */
static char *
texts_with_delai(char *s, const char *delai)
{
	struct buf out = { 0 };
	const char *p = s, *q;

	while ((q = strstr(p, "{delai}")) != NULL) {
		buf_append(&out, p, (size_t)(q - p));
		buf_puts(&out, delai);
		p = q + strlen("{delai}");
	}
	buf_puts(&out, p);
	buf_putc(&out, '\0');
	free(s);
	return buf_steal(&out);
}

void
texts_campaign(struct db *db, enum text_name t, const char *delai, struct campaign *c)
{
	char **body[TEXTS_NLANG] = { &c->body, &c->body_en, &c->body_ar };
	size_t l;

	for (l = 0; l < TEXTS_NLANG; l++) {
		*body[l] = texts_get(db, t, texts_languages[l]);
		if (delai)
			*body[l] = texts_with_delai(*body[l], delai);
	}
}

char *
texts_for(struct db *db, enum text_name t, const char *own, const char *language)
{
	if (own && own[0] && texts_lang_index(language) == 0)
		return texts_dup(own);
	return texts_get(db, t, language);
}

int
texts_render(struct db *db, const struct config *cfg, enum text_name t,
    const char *language, struct buf *out)
{
	size_t l = texts_lang_index(language);
	struct template_values v = { 0 };
	char *tmpl = texts_stored(db, t, l);
	int rc;

	if (tmpl == NULL)
		tmpl = texts_dup(t == TEXT_WHO && !cfg->centre_address[0] ?
		    texts_who_no_address[l] : texts_defaults[t][l]);
	v.centre = cfg->centre_name;
	v.tel_centre = cfg->centre_phone;
	v.adresse = cfg->centre_address;
	v.language = texts_languages[l];
	if ((rc = template_render(tmpl, &v, out)) < 0)
		log_err("texts: the %s text in %s does not render", texts_names[t],
		    texts_languages[l]);
	free(tmpl);
	return rc;
}

json_t *
texts_json(struct db *db)
{
	json_t *list = json_array();
	size_t t, l;
	char *body;

	for (t = 0; t < TEXT_COUNT; t++)
		for (l = 0; l < TEXTS_NLANG; l++) {
			body = texts_stored(db, (enum text_name)t, l);
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b}",
			    "name", texts_names[t], "language", texts_languages[l],
			    "body", body ? body : texts_defaults[t][l],
			    "default", texts_defaults[t][l], "changed", body != NULL));
			free(body);
		}
	return json_pack("{s:o}", "texts", list);
}

/* The name in the enum, or -1. */
static int
texts_parse_name(const char *name)
{
	int t;

	for (t = 0; name && t < TEXT_COUNT; t++)
		if (strcmp(name, texts_names[t]) == 0)
			return t;
	return -1;
}

/* Stores (or forgets, body NULL) one text; 0 or -1. */
static int
texts_store(struct db *db, int t, size_t l, const char *body, const char *by, int64_t now)
{
	DB_SQL(sql_set, "INSERT INTO texts (name, language, body, updated_at, updated_by) "
	    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name, language) DO UPDATE SET "
	    "body = ?3, updated_at = ?4, updated_by = ?5");
	DB_SQL(sql_forget, "DELETE FROM texts WHERE name = ?1 AND language = ?2");
	sqlite3_stmt *st = db_stmt(db, body ? sql_set : sql_forget);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, texts_names[t], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, texts_languages[l], -1, SQLITE_STATIC);
	if (body) {
		sqlite3_bind_text(st, 3, body, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, now);
		sqlite3_bind_text(st, 5, by, -1, SQLITE_TRANSIENT);
	}
	return db_step_done(db, st);
}

/* Checks one change; 0 with *t, *l, *body (NULL: the default), or -1 with err. */
static int
texts_check(json_t *c, int *t, size_t *l, const char **body, struct error *err)
{
	const char *name = json_string_value(json_object_get(c, "name"));
	const char *language = json_string_value(json_object_get(c, "language"));
	json_t *b = json_object_get(c, "body");
	unsigned uses = 0;

	if (!json_is_object(c) || (*t = texts_parse_name(name)) < 0 || language == NULL ||
	    strcmp(texts_language(language), language) != 0 || (b && !json_is_null(b) &&
	    !json_is_string(b)))
		return error_set(err, ERR_INVALID, "invalid", "texts", "Chaque texte a un nom "
		    "(stop, start, help, who, ack, cancel, call), une langue (fr, en, ar) et un corps.");
	*l = texts_lang_index(language);
	*body = json_string_value(b);
	if (*body && ((*body)[0] == '\0' || strcmp(*body, texts_defaults[*t][*l]) == 0))
		*body = NULL;
	if (*body == NULL)
		return 0;
	if (strlen(*body) > 480)
		return error_set(err, ERR_INVALID, "invalid", "texts",
		    "Ce texte est trop long (480 caractères au plus, 3 SMS).");
	if (template_check(*body, "texts", &uses, err) < 0)
		return -1;
	if (uses & ~texts_allowed((enum text_name)*t))
		return error_set(err, ERR_INVALID, "unknown_variable", "texts", "Ce texte "
		    "n'est pas lié à un atelier ni à une personne : {centre}, {tel_centre} et "
		    "{adresse} seulement.");
	return 0;
}

int
texts_update(struct db *db, json_t *changes, const struct audit_actor *actor,
    int64_t now, struct error *err)
{
	const char *body;
	json_t *c;
	size_t i, l;
	int t, rc = 0;

	if (!json_is_array(changes) || json_array_size(changes) == 0)
		return error_set(err, ERR_INVALID, "invalid", "texts",
		    "Envoyez la liste des textes changés.");
	json_array_foreach(changes, i, c)
		if (texts_check(c, &t, &l, &body, err) < 0)
			return -1;
	if (db_txn_begin(db, err) < 0)
		return -1;
	json_array_foreach(changes, i, c) {
		texts_check(c, &t, &l, &body, err);
		if (rc == 0 && texts_store(db, t, l, body, actor->name, now) < 0)
			rc = -1;
	}
	if (rc == 0)
		rc = audit_record(db, actor, now, "texts", "settings", 0, NULL);
	return db_txn_end(db, rc, err);
}
