/*
 * campaigns — stored campaigns, their audience and their text.  See
 * campaigns.h.
 */
#include "campaigns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "links.h"
#include "log.h"
#include "optout.h"
#include "recur.h"
#include "template.h"
#include "texts.h"
#include "text.h"
#include "timeutil.h"
#include "translit.h"

static char *
campaigns_dup(const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		fatal("campaigns: out of memory");
	return d;
}

void
campaign_clear(struct campaign *c)
{
	size_t i;

	free(c->name);
	free(c->body);
	free(c->body_en);
	free(c->body_ar);
	free(c->ack_body);
	free(c->cancel_body);
	free(c->group_ids);
	free(c->contact_ids);
	free(c->rrule);
	for (i = 0; i < c->noffsets; i++)
		free(c->offsets[i]);
	memset(c, 0, sizeof(*c));
}

void
campaign_audience_clear(struct campaign_audience *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->list[i].first_name);
		free(a->list[i].last_name);
	}
	free(a->list);
	memset(a, 0, sizeof(*a));
}

static const char *const campaigns_schedules[] = {
	[CAMPAIGN_UNSCHEDULED] = NULL,
	[CAMPAIGN_AT] = "at",
	[CAMPAIGN_RRULE] = "rrule",
	[CAMPAIGN_BEFORE_EVENT] = "before_event",
};

static enum campaign_schedule
campaigns_schedule_parse(const char *s)
{
	size_t i;

	for (i = 1; s && i < sizeof(campaigns_schedules) / sizeof(campaigns_schedules[0]); i++)
		if (strcmp(s, campaigns_schedules[i]) == 0)
			return (enum campaign_schedule)i;
	return CAMPAIGN_UNSCHEDULED;
}

/* Reads the JSON text of offsets ["-1d@18:00", ...] into c. */
static void
campaigns_offsets_parse(struct campaign *c, const char *text)
{
	json_t *list = text ? json_loads(text, 0, NULL) : NULL, *v;
	size_t i;

	json_array_foreach(list, i, v) {
		if (c->noffsets < CAMPAIGN_OFFSETS_MAX && json_is_string(v))
			c->offsets[c->noffsets++] = campaigns_dup(json_string_value(v));
	}
	json_decref(list);
}

static char *
campaigns_offsets_text(const struct campaign *c)
{
	json_t *list = json_array();
	char *text;
	size_t i;

	for (i = 0; i < c->noffsets; i++)
		json_array_append_new(list, json_string(c->offsets[i]));
	text = json_dumps(list, JSON_COMPACT);
	json_decref(list);
	if (text == NULL)
		fatal("campaigns: out of memory");
	return text;
}

int
campaigns_load(struct db *db, int64_t id, struct campaign *c, struct error *err)
{
	DB_SQL(sql, "SELECT name, body, body_en, body_ar, ack_body, "
	    "cancel_body, event_id, schedule_kind, at, rrule, dtstart, offsets, ask_reply, "
	    "transliterate, status, owner_id, scheduled_at, created_at, updated_at, "
	    "reply_scope = 'cycle', ifnull(invitation_id, 0), ifnull(occurrence, 0) "
	    "FROM campaigns WHERE id = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	char *offsets;

	memset(c, 0, sizeof(*c));
	if (st == NULL)
		return error_fail(err, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return error_set(err, ERR_NOT_FOUND, "not_found", NULL,
		    "Cette campagne n'existe pas.");
	}
	c->id = id;
	c->name = db_column_strdup(st, 0);
	c->body = db_column_strdup(st, 1);
	c->body_en = db_column_strdup(st, 2);
	c->body_ar = db_column_strdup(st, 3);
	c->ack_body = db_column_strdup(st, 4);
	c->cancel_body = db_column_strdup(st, 5);
	c->event_id = sqlite3_column_int64(st, 6);
	c->schedule = campaigns_schedule_parse((const char *)sqlite3_column_text(st, 7));
	c->at = sqlite3_column_int64(st, 8);
	c->rrule = db_column_strdup(st, 9);
	c->dtstart = sqlite3_column_int64(st, 10);
	offsets = db_column_strdup(st, 11);
	c->ask_reply = sqlite3_column_int(st, 12) != 0;
	c->transliterate = sqlite3_column_int(st, 13) != 0;
	snprintf(c->status, sizeof(c->status), "%s", sqlite3_column_text(st, 14));
	c->owner_id = sqlite3_column_int64(st, 15);
	c->scheduled_at = sqlite3_column_int64(st, 16);
	c->created_at = sqlite3_column_int64(st, 17);
	c->updated_at = sqlite3_column_int64(st, 18);
	c->reply_cycle = sqlite3_column_int(st, 19) != 0;
	c->invitation_id = sqlite3_column_int64(st, 20);
	c->occurrence = sqlite3_column_int64(st, 21);
	sqlite3_reset(st);
	campaigns_offsets_parse(c, offsets);
	free(offsets);
	c->group_ids = links_ids(db, LINKS_CAMPAIGN_GROUPS, id, &c->ngroups);
	c->contact_ids = links_ids(db, LINKS_CAMPAIGN_CONTACTS, id, &c->ncontacts);
	return 0;
}

/*
 * True when text holds a control character (C0 or DEL): a bell, an escape
 * sequence.  A new line and a tab are allowed where lines are (lines true),
 * as in contact notes.
 */
static bool
campaigns_has_control(const char *text, bool lines)
{
	const unsigned char *p;

	for (p = (const unsigned char *)text; *p; p++)
		if ((*p < 0x20 || *p == 0x7f) && !(lines && (*p == '\n' || *p == '\t')))
			return true;
	return false;
}

/* Checks one template field; a variable of an atelier needs one. */
static int
campaigns_check_body(const struct campaign *c, const char *tmpl, const char *field,
    bool required, struct error *err)
{
	unsigned uses = 0;

	if (tmpl == NULL || tmpl[0] == '\0') {
		if (required)
			return error_set(err, ERR_INVALID, "missing_field", field,
			    "Le texte du message est obligatoire.");
		return 0;
	}
	if (strlen(tmpl) > CAMPAIGN_BODY_MAX)
		return error_set(err, ERR_INVALID, "invalid", field,
		    "Texte trop long (%d caractères au plus).", CAMPAIGN_BODY_MAX);
	if (campaigns_has_control(tmpl, true))
		return error_set(err, ERR_INVALID, "invalid", field,
		    "Ce champ contient un caractère de contrôle.");
	if (template_check(tmpl, field, &uses, err) < 0)
		return -1;
	if ((uses & TEMPLATE_EVENT_VARS) && c->event_id == 0)
		return error_set(err, ERR_INVALID, "needs_event", field, "Les variables {atelier}, "
		    "{date}, {heure} et {lieu} demandent de choisir un atelier.");
	if (uses & TEMPLATE_DELAI)
		return error_set(err, ERR_INVALID, "unknown_variable", field, "La variable "
		    "{delai} n'existe que dans le texte qui offre une place libérée.");
	return 0;
}

static int
campaigns_check_schedule(const struct campaign *c, struct error *err)
{
	struct recur_offset o;
	size_t i;

	switch (c->schedule) {
	case CAMPAIGN_UNSCHEDULED:
		return 0;
	case CAMPAIGN_AT:
		if (c->at <= 0)
			return error_set(err, ERR_INVALID, "missing_field", "schedule",
			    "Indiquez la date et l'heure d'envoi.");
		return 0;
	case CAMPAIGN_RRULE:
		if (c->dtstart <= 0)
			return error_set(err, ERR_INVALID, "missing_field", "schedule",
			    "Indiquez la date du premier envoi (dtstart).");
		return recur_check(c->rrule, "schedule", err);
	case CAMPAIGN_BEFORE_EVENT:
		if (c->event_id == 0)
			return error_set(err, ERR_INVALID, "needs_event", "schedule",
			    "Des rappels avant un atelier demandent de choisir l'atelier.");
		if (c->noffsets == 0)
			return error_set(err, ERR_INVALID, "missing_field", "schedule",
			    "Indiquez au moins un rappel (par exemple « -1d@18:00 »).");
		for (i = 0; i < c->noffsets; i++)
			if (recur_offset_parse(c->offsets[i], "schedule", &o, err) < 0)
				return -1;
		return 0;
	}
	return 0;
}

static bool
campaigns_event_exists(struct db *db, int64_t id)
{
	DB_SQL(sql, "SELECT 1 FROM events WHERE id = ? AND cancelled_at IS NULL");
	sqlite3_stmt *st = db_stmt(db, sql);
	bool yes;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, id);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

/* c's chosen session is one of its atelier's, and not cancelled. */
static int
campaigns_session_check(struct db *db, const struct campaign *c, struct error *err)
{
	struct event_occ o;
	struct event e;
	int rc;

	if (events_load(db, c->event_id, &e, err) < 0)
		return -1;
	rc = events_occurrence_get(db, &e, c->occurrence, &o, err);
	event_clear(&e);
	if (rc < 0 && !error_is_fault(err))
		return error_set(err, ERR_INVALID, "invalid", "occurrence",
		    "Cette séance n'existe pas dans le calendrier de l'atelier.");
	if (rc < 0)
		return -1;
	if (o.cancelled)
		return error_set(err, ERR_INVALID, "cancelled", "occurrence",
		    "Cette séance est annulée : choisissez-en une autre.");
	return 0;
}

/* True when c's invitation exists and is about c's atelier. */
static bool
campaigns_invitation_fits(struct db *db, const struct campaign *c)
{
	DB_SQL(sql, "SELECT 1 FROM campaigns WHERE id = ?1 AND event_id = ?2");
	sqlite3_stmt *st = db_stmt(db, sql);
	bool yes;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, c->invitation_id);
	sqlite3_bind_int64(st, 2, c->event_id);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

int
campaign_validate(struct db *db, const struct campaign *c, struct error *err)
{
	if (c->name == NULL || c->name[0] == '\0')
		return error_set(err, ERR_INVALID, "missing_field", "name",
		    "Donnez un nom à la campagne.");
	if (strlen(c->name) > CAMPAIGN_NAME_MAX || !text_utf8_valid(c->name, strlen(c->name)))
		return error_set(err, ERR_INVALID, "invalid", "name",
		    "Nom trop long ou mal encodé.");
	if (campaigns_has_control(c->name, false))
		return error_set(err, ERR_INVALID, "invalid", "name",
		    "Ce champ contient un caractère de contrôle.");
	if (c->event_id && !campaigns_event_exists(db, c->event_id))
		return error_set(err, ERR_INVALID, "invalid", "event_id",
		    "L'atelier n° %lld n'existe pas ou est annulé.", (long long)c->event_id);
	if (campaigns_check_body(c, c->body, "body", true, err) < 0 ||
	    campaigns_check_body(c, c->body_en, "bodies.en", false, err) < 0 ||
	    campaigns_check_body(c, c->body_ar, "bodies.ar", false, err) < 0 ||
	    campaigns_check_body(c, c->ack_body, "ack_body", false, err) < 0 ||
	    campaigns_check_body(c, c->cancel_body, "cancel_body", false, err) < 0)
		return -1;
	if (c->cancel_body && c->cancel_body[0] && c->event_id == 0)
		return error_set(err, ERR_INVALID, "needs_event", "cancel_body",
		    "Un message d'annulation demande de choisir un atelier.");
	if (c->reply_cycle && c->event_id == 0)
		return error_set(err, ERR_INVALID, "needs_event", "reply_for",
		    "Une réponse pour tout le cycle demande de choisir un atelier.");
	if (c->occurrence && c->event_id == 0)
		return error_set(err, ERR_INVALID, "needs_event", "occurrence",
		    "Une séance choisie demande de choisir son atelier.");
	if (c->occurrence && c->schedule != CAMPAIGN_AT && c->schedule != CAMPAIGN_UNSCHEDULED)
		return error_set(err, ERR_INVALID, "invalid", "occurrence",
		    "Une séance choisie va avec un envoi unique (maintenant ou à une date).");
	if (c->occurrence && campaigns_session_check(db, c, err) < 0)
		return -1;
	if (c->invitation_id && (c->invitation_id == c->id ||
	    !campaigns_invitation_fits(db, c)))
		return error_set(err, ERR_INVALID, "invalid", "invitation_id",
		    "Les rappels vont avec une invitation du même atelier.");
	return campaigns_check_schedule(c, err);
}

static int
campaigns_write_row(struct db *db, struct campaign *c, int64_t now, struct error *err)
{
	DB_SQL(sql_insert, "INSERT INTO campaigns (name, body, body_en, "
	    "body_ar, ack_body, cancel_body, event_id, schedule_kind, at, rrule, dtstart, "
	    "offsets, ask_reply, transliterate, owner_id, created_at, updated_at, reply_scope, "
	    "invitation_id, occurrence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
	    "?12, ?13, ?14, ?15, ?16, ?16, ?18, ?19, ?20)");
	DB_SQL(sql_update, "UPDATE campaigns SET name = ?1, body = ?2, "
	    "body_en = ?3, body_ar = ?4, ack_body = ?5, cancel_body = ?6, event_id = ?7, "
	    "schedule_kind = ?8, at = ?9, rrule = ?10, dtstart = ?11, offsets = ?12, "
	    "ask_reply = ?13, transliterate = ?14, owner_id = ?15, updated_at = ?16, "
	    "reply_scope = ?18, invitation_id = ?19, occurrence = ?20 "
	    "WHERE id = ?17 AND status IN ('draft', 'scheduled', 'running')");
	sqlite3_stmt *st = db_stmt(db, c->id ? sql_update : sql_insert);
	char *offsets = campaigns_offsets_text(c);
	int rc;

	if (st == NULL) {
		free(offsets);
		return error_fail(err, ERR_INTERNAL);
	}
	sqlite3_bind_text(st, 1, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->body, -1, SQLITE_STATIC);
	db_bind_text_or_null(st, 3, c->body_en);
	db_bind_text_or_null(st, 4, c->body_ar);
	db_bind_text_or_null(st, 5, c->ack_body);
	db_bind_text_or_null(st, 6, c->cancel_body);
	db_bind_int_or_null(st, 7, c->event_id);
	db_bind_text_or_null(st, 8, campaigns_schedules[c->schedule]);
	db_bind_int_or_null(st, 9, c->schedule == CAMPAIGN_AT ? c->at : 0);
	db_bind_text_or_null(st, 10, c->schedule == CAMPAIGN_RRULE ? c->rrule : NULL);
	db_bind_int_or_null(st, 11, c->schedule == CAMPAIGN_RRULE ? c->dtstart : 0);
	db_bind_text_or_null(st, 12, c->schedule == CAMPAIGN_BEFORE_EVENT ? offsets : NULL);
	sqlite3_bind_int(st, 13, c->ask_reply);
	sqlite3_bind_int(st, 14, c->transliterate);
	db_bind_int_or_null(st, 15, c->owner_id);
	sqlite3_bind_int64(st, 16, now);
	if (c->id)
		sqlite3_bind_int64(st, 17, c->id);
	sqlite3_bind_text(st, 18, c->reply_cycle ? "cycle" : "session", -1, SQLITE_STATIC);
	db_bind_int_or_null(st, 19, c->invitation_id);
	db_bind_int_or_null(st, 20, c->occurrence);
	rc = db_step_done(db, st);
	free(offsets);
	if (rc < 0)
		return error_fail(err, ERR_DB);
	if (c->id == 0) {
		c->id = sqlite3_last_insert_rowid(db_handle(db));
		c->created_at = now;
		snprintf(c->status, sizeof(c->status), "draft");
	} else if (sqlite3_changes(db_handle(db)) != 1) {
		return error_set(err, ERR_CONFLICT, "finished", NULL,
		    "Cette campagne est terminée ou annulée : elle ne peut plus changer.");
	}
	c->updated_at = now;
	return 0;
}

int
campaigns_write(struct db *db, struct campaign *c, const struct audit_actor *actor,
    int64_t now, struct error *err)
{
	bool creating = c->id == 0;

	if (db_savepoint(db, "campaigns_write") < 0)
		return error_fail(err, ERR_DB);
	if (campaigns_write_row(db, c, now, err) < 0 ||
	    links_set(db, LINKS_CAMPAIGN_GROUPS, c->id, c->group_ids, c->ngroups,
	    "group_ids", err) < 0 ||
	    links_set(db, LINKS_CAMPAIGN_CONTACTS, c->id, c->contact_ids, c->ncontacts,
	    "contact_ids", err) < 0)
		goto fail;
	if (audit_record(db, actor, now, creating ? "create" : "update", "campaign", c->id,
	    NULL) < 0) {
		error_fail(err, ERR_DB);
		goto fail;
	}
	return db_release(db, "campaigns_write");
fail:
	db_rollback_to(db, "campaigns_write");
	if (creating)
		c->id = 0;
	return -1;
}

int
campaigns_set_status(struct db *db, int64_t id, const char *from, const char *to,
    const struct audit_actor *actor, int64_t now, struct error *err)
{
	DB_SQL(sql, "UPDATE campaigns SET status = ?2, updated_at = ?3, "
	    "scheduled_at = CASE WHEN ?2 = 'scheduled' THEN ?3 ELSE scheduled_at END "
	    "WHERE id = ?1 AND instr(' ' || ?4 || ' ', ' ' || status || ' ') > 0");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return error_fail(err, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, from, -1, SQLITE_STATIC);
	if (db_step_done(db, st) < 0)
		return error_fail(err, ERR_DB);
	if (sqlite3_changes(db_handle(db)) != 1)
		return error_set(err, ERR_CONFLICT, "wrong_status", NULL,
		    "Impossible : la campagne n'est pas dans le bon état.");
	if (actor && audit_record(db, actor, now, to, "campaign", id, NULL) < 0)
		return error_fail(err, ERR_DB);
	log_info("campaigns: id=%lld status=%s", (long long)id, to);
	return 0;
}

static char *
campaigns_ids_text(const int64_t *ids, size_t n)
{
	json_t *list = json_array();
	char *text;
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(list, json_integer(ids[i]));
	text = json_dumps(list, JSON_COMPACT);
	json_decref(list);
	if (text == NULL)
		fatal("campaigns: out of memory");
	return text;
}

static void
campaigns_audience_add(struct campaign_audience *a, sqlite3_stmt *st, size_t *cap)
{
	struct campaign_recipient *r, *grown;

	if (a->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		if ((grown = realloc(a->list, *cap * sizeof(*grown))) == NULL)
			fatal("campaigns: out of memory");
		a->list = grown;
	}
	r = &a->list[a->n++];
	r->contact_id = sqlite3_column_int64(st, 0);
	r->first_name = campaigns_dup((const char *)sqlite3_column_text(st, 1));
	r->last_name = campaigns_dup((const char *)sqlite3_column_text(st, 2));
	snprintf(r->language, sizeof(r->language), "%s", sqlite3_column_text(st, 3));
	snprintf(r->number, sizeof(r->number), "%s", sqlite3_column_text(st, 5));
	/* the rows of a contact follow each other: a second one is a household number */
	r->extra = a->n > 1 && a->list[a->n - 2].contact_id == r->contact_id ?
	    a->list[a->n - 2].extra + 1 : 0;
	a->people += r->extra == 0;
}

int
campaign_audience(struct db *db, const struct campaign *c, struct campaign_audience *a)
{
	DB_SQL(sql, "WITH ids(id) AS ("
	    "SELECT contact_id FROM group_members WHERE group_id IN "
	    "(SELECT value FROM json_each(?1)) "
	    "UNION SELECT value FROM json_each(?2) "
	    "UNION SELECT contact_id FROM event_contacts WHERE event_id = ?3 "
	    "UNION SELECT gm.contact_id FROM event_groups eg JOIN group_members gm "
	    "ON gm.group_id = eg.group_id WHERE eg.event_id = ?3) "
	    "SELECT c.id, c.first_name, c.last_name, c.language, c.opted_out_at IS NOT NULL, "
	    "p.number, EXISTS (SELECT 1 FROM contact_phones q WHERE q.contact_id = c.id "
	    "AND q.sms = 1) "
	    "FROM ids JOIN contacts c ON c.id = ids.id "
	    "LEFT JOIN contact_phones p ON p.contact_id = c.id AND p.sms = 1 "
	    "AND NOT " OPTOUT_SQL_IS_OUT("p.number") " "
	    "ORDER BY c.last_name, c.first_name, c.id, p.position");
	sqlite3_stmt *st = db_stmt(db, sql);
	char *groups = campaigns_ids_text(c->group_ids, c->ngroups);
	char *contacts = campaigns_ids_text(c->contact_ids, c->ncontacts);
	size_t cap = 0;
	int64_t out_id = 0;
	int rc;

	memset(a, 0, sizeof(*a));
	if (st == NULL) {
		free(groups);
		free(contacts);
		return -1;
	}
	sqlite3_bind_text(st, 1, groups, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, contacts, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, c->event_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		/* a contact opted out as a whole is left out once, whatever their numbers */
		if (id == out_id)
			continue;
		/* opted out: the contact, or every number of theirs that takes SMS */
		if (sqlite3_column_int(st, 4) || (sqlite3_column_type(st, 5) == SQLITE_NULL &&
		    sqlite3_column_int(st, 6))) {
			a->opted_out++;
			out_id = id;
		} else if (sqlite3_column_type(st, 5) == SQLITE_NULL) {
			a->no_mobile++;
		} else {
			campaigns_audience_add(a, st, &cap);
		}
	}
	sqlite3_reset(st);
	free(groups);
	free(contacts);
	if (rc != SQLITE_DONE) {
		log_err("campaigns: audience of id=%lld: %s", (long long)c->id, db_errmsg(db));
		campaign_audience_clear(a);
		return -1;
	}
	return 0;
}

/* The body for a language, and the language the text is then written in. */
static const char *
campaigns_body_for(const struct campaign *c, const char *language, const char **written_in)
{
	if (strcmp(language, "en") == 0 && c->body_en && c->body_en[0]) {
		*written_in = "en";
		return c->body_en;
	}
	if (strcmp(language, "ar") == 0 && c->body_ar && c->body_ar[0]) {
		*written_in = "ar";
		return c->body_ar;
	}
	*written_in = "fr";
	return c->body;
}

int
campaign_render(const struct campaign *c, const char *tmpl, const struct config *cfg,
    const struct event *e, int64_t when, const struct campaign_recipient *r,
    struct buf *out)
{
	struct template_values v = { 0 };
	struct buf raw = { 0 };
	int rc;

	if (tmpl == NULL)
		tmpl = campaigns_body_for(c, r->language, &v.language);
	else
		v.language = texts_language(r->language);
	v.prenom = r->first_name;
	v.nom = r->last_name;
	v.centre = cfg->centre_name;
	v.tel_centre = cfg->centre_phone;
	v.adresse = cfg->centre_address;
	if (e) {
		v.atelier = e->title;
		v.lieu = e->place;
		v.when = when;
	}
	if ((rc = template_render(tmpl, &v, &raw)) == 0) {
		buf_putc(&raw, '\0');
		translit_gsm7(raw.data, c->transliterate, out);
	}
	buf_free(&raw);
	return rc;
}

static json_t *
campaigns_ids_json(const int64_t *ids, size_t n)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(list, json_integer(ids[i]));
	return list;
}

static json_t *
campaigns_schedule_json(const struct campaign *c)
{
	json_t *offsets;
	size_t i;

	switch (c->schedule) {
	case CAMPAIGN_AT:
		return json_pack("{s:o}", "at", time_json(c->at));
	case CAMPAIGN_RRULE:
		return json_pack("{s:s, s:o}", "rrule", c->rrule, "dtstart",
		    time_json(c->dtstart));
	case CAMPAIGN_BEFORE_EVENT:
		offsets = json_array();
		for (i = 0; i < c->noffsets; i++)
			json_array_append_new(offsets, json_string(c->offsets[i]));
		return json_pack("{s:o}", "before_event", offsets);
	case CAMPAIGN_UNSCHEDULED:
		break;
	}
	return json_null();
}

json_t *
campaign_to_json(const struct campaign *c)
{
	json_t *audience = json_pack("{s:o, s:o, s:o}",
	    "group_ids", campaigns_ids_json(c->group_ids, c->ngroups),
	    "contact_ids", campaigns_ids_json(c->contact_ids, c->ncontacts),
	    "event_id", c->event_id ? json_integer(c->event_id) : json_null());
	json_t *bodies = json_pack("{s:s?, s:s?}", "en", c->body_en, "ar", c->body_ar);

	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:b, s:s, s:o, s:o, s:b, s:s?, s:s?, s:s, "
	    "s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)c->id,
	    "name", c->name,
	    "body", c->body,
	    "bodies", bodies,
	    "audience", audience,
	    "schedule", campaigns_schedule_json(c),
	    "ask_reply", c->ask_reply,
	    "reply_for", c->reply_cycle ? "cycle" : "session",
	    "invitation_id", c->invitation_id ? json_integer(c->invitation_id) : json_null(),
	    "occurrence", c->occurrence ? json_integer(c->occurrence) : json_null(),
	    "transliterate", c->transliterate,
	    "ack_body", c->ack_body,
	    "cancel_body", c->cancel_body,
	    "status", c->status,
	    "owner_id", c->owner_id ? json_integer(c->owner_id) : json_null(),
	    "scheduled_at", time_json(c->scheduled_at),
	    "created_at", time_json(c->created_at),
	    "updated_at", time_json(c->updated_at));
}

json_t *
campaigns_list_json(struct db *db, int64_t event_id, int64_t owner_id)
{
	DB_SQL(sql, "SELECT id FROM campaigns WHERE (?1 = 0 OR event_id = ?1) "
	    "AND (?2 = 0 OR owner_id = ?2 OR event_id IN (SELECT id FROM events "
	    "WHERE owner_id = ?2)) ORDER BY id DESC");
	sqlite3_stmt *st = db_stmt(db, sql);
	json_t *list = json_array();
	struct campaign c;
	struct error err;
	int64_t *ids;
	size_t n, i;

	if (st == NULL)
		return list;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, owner_id);
	ids = db_collect_ids(st, &n);
	for (i = 0; i < n; i++) {
		if (campaigns_load(db, ids[i], &c, &err) == 0)
			json_array_append_new(list, campaign_to_json(&c));
		campaign_clear(&c);
	}
	free(ids);
	return list;
}

int64_t *
campaigns_reminder_ids(struct db *db, int64_t id, const char *statuses, size_t *n)
{
	DB_SQL(sql, "SELECT id FROM campaigns WHERE invitation_id = ?1 AND (?2 IS NULL OR "
	    "instr(' ' || ?2 || ' ', ' ' || status || ' ') > 0) ORDER BY id");
	sqlite3_stmt *st = db_stmt(db, sql);

	*n = 0;
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text_or_null(st, 2, statuses);
	return db_collect_ids(st, n);
}

int
campaigns_delete_draft(struct db *db, int64_t id)
{
	DB_SQL(sql, "DELETE FROM campaigns WHERE id = ?1 AND status = 'draft'");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (db_step_done(db, st) < 0)
		return -1;
	return sqlite3_changes(db_handle(db)) == 1 ? 1 : 0;
}
