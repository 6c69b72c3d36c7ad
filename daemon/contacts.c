/*
 * contacts — contacts, their numbers and group memberships.  See contacts.h.
 */
#include "contacts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "optout.h"
#include "queue.h"
#include "text.h"
#include "timeutil.h"

/* contacts.search for the names bound to ?1 and ?2 (sql/020) */
#define CONTACTS_SEARCH "fold(?1 || ' ' || ?2) || char(10) || fold(?2 || ' ' || ?1)"

static char *
contacts_strdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (p == NULL)
		fatal("contacts: out of memory");
	return p;
}

void
contact_clear(struct contact *c)
{
	if (c == NULL)
		return;
	free(c->first_name);
	free(c->last_name);
	free(c->consent_source);
	free(c->notes);
	free(c->group_ids);
	memset(c, 0, sizeof(*c));
}

int
contact_add_phone(struct contact *c, const char *typed, const char *label,
    bool sms_wanted, const char *field, json_t *warnings, struct error *err)
{
	struct contact_phone *p;
	enum phone_kind kind;
	const char *reason = NULL;
	char e164[PHONE_E164_MAX];
	size_t i;

	if (phone_normalize(typed, e164, &kind, &reason) < 0)
		return error_set(err, ERR_INVALID, "invalid_phone", field,
		    "Numéro « %s » invalide : %s.",
		    typed ? typed : "", reason ? reason : "format inconnu");
	for (i = 0; i < c->nphones; i++)
		if (strcmp(c->phones[i].number, e164) == 0)
			return error_set(err, ERR_INVALID, "invalid_phone", field,
			    "Le numéro %s est donné deux fois.", e164);
	if (c->nphones == CONTACT_PHONES_MAX)
		return error_set(err, ERR_INVALID, "invalid", field,
		    "Un contact a au plus %d numéros.", CONTACT_PHONES_MAX);
	p = &c->phones[c->nphones++];
	snprintf(p->number, sizeof(p->number), "%s", e164);
	/* a long label is cut between two characters, never inside one */
	label = label ? label : "";
	snprintf(p->label, sizeof(p->label), "%.*s",
	    (int)text_utf8_cut(label, sizeof(p->label) - 1), label);
	p->sms = sms_wanted && phone_kind_can_sms(kind);
	if (sms_wanted && !p->sms && warnings) {
		json_array_append_new(warnings, json_pack("{s:s, s:s, s:s}",
		    "field", field, "number", e164, "message", kind == PHONE_LANDLINE ?
		    "Ce numéro est un fixe : il ne peut pas recevoir de SMS." :
		    "Ce numéro spécial ne peut pas recevoir de SMS."));
	}
	return 0;
}

static int
contacts_check_text(const char *value, size_t max, const char *field, struct error *err)
{
	size_t i, n = strlen(value);

	if (n > max)
		return error_set(err, ERR_INVALID, "invalid", field,
		    "Ce champ est trop long (%zu caractères au plus).", max);
	if (!text_utf8_valid(value, n))
		return error_set(err, ERR_INVALID, "invalid", field,
		    "Texte mal encodé (UTF-8 attendu).");
	for (i = 0; i < n; i++)
		if ((unsigned char)value[i] < 0x20 && value[i] != '\n' && value[i] != '\t')
			return error_set(err, ERR_INVALID, "invalid", field,
			    "Ce champ contient un caractère de contrôle.");
	return 0;
}

int
contact_validate(struct contact *c, struct error *err)
{
	char *t;

	t = text_trim_dup(c->first_name ? c->first_name : "");
	free(c->first_name);
	c->first_name = t;
	t = text_trim_dup(c->last_name ? c->last_name : "");
	free(c->last_name);
	c->last_name = t;
	if (c->notes == NULL)
		c->notes = contacts_strdup("");
	if (c->first_name[0] == '\0' && c->last_name[0] == '\0')
		return error_set(err, ERR_INVALID, "invalid", "last_name",
		    "Indiquez au moins un prénom ou un nom.");
	if (contacts_check_text(c->first_name, CONTACT_NAME_MAX, "first_name", err) < 0 ||
	    contacts_check_text(c->last_name, CONTACT_NAME_MAX, "last_name", err) < 0 ||
	    contacts_check_text(c->notes, CONTACT_NOTES_MAX, "notes", err) < 0 ||
	    (c->consent_source && contacts_check_text(c->consent_source, 200,
	    "consent_source", err) < 0))
		return -1;
	if (c->language[0] == '\0')
		snprintf(c->language, sizeof(c->language), "fr");
	if (strcmp(c->language, "fr") && strcmp(c->language, "en") && strcmp(c->language, "ar"))
		return error_set(err, ERR_INVALID, "invalid", "language",
		    "Langue inconnue : choisissez fr, en ou ar.");
	if (c->nphones == 0)
		return error_set(err, ERR_INVALID, "invalid", "phone",
		    "Un numéro de téléphone est requis.");
	return 0;
}

int64_t
contacts_find_by_number(struct db *db, const char *e164)
{
	DB_SQL(sql, "SELECT contact_id FROM contact_phones WHERE number = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t id = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_text(st, 1, e164, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

static int
contacts_write_row(struct db *db, struct contact *c, int64_t now, struct error *err)
{
	/* search: both orders of the names, folded (sql/020, CONTACTS_MATCHING) */
	DB_SQL(sql_insert, "INSERT INTO contacts (first_name, last_name, "
	    "language, consent_at, consent_source, opted_out_at, notes, created_at, "
	    "updated_at, search) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, "
	    CONTACTS_SEARCH ")");
	DB_SQL(sql_update, "UPDATE contacts SET first_name = ?1, "
	    "last_name = ?2, language = ?3, consent_at = ?4, consent_source = ?5, "
	    "opted_out_at = ?6, notes = ?7, updated_at = ?8, search = " CONTACTS_SEARCH
	    " WHERE id = ?9");
	sqlite3_stmt *st = db_stmt(db, c->id ? sql_update : sql_insert);

	if (st == NULL)
		return error_fail(err, ERR_INTERNAL);
	sqlite3_bind_text(st, 1, c->first_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->last_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->language, -1, SQLITE_STATIC);
	db_bind_int_or_null(st, 4, c->consent_at);
	db_bind_text_or_null(st, 5, c->consent_source);
	db_bind_int_or_null(st, 6, c->opted_out_at);
	sqlite3_bind_text(st, 7, c->notes, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, now);
	if (c->id)
		sqlite3_bind_int64(st, 9, c->id);
	if (db_step_done(db, st) < 0)
		return error_fail(err, ERR_DB);
	if (c->id == 0) {
		c->id = sqlite3_last_insert_rowid(db_handle(db));
		c->created_at = now;
	} else if (sqlite3_changes(db_handle(db)) != 1) {
		return error_set(err, ERR_NOT_FOUND, "not_found", NULL, "Ce contact n'existe pas.");
	}
	c->updated_at = now;
	return 0;
}

static int
contacts_write_phones(struct db *db, struct contact *c, struct error *err)
{
	DB_SQL(sql_delete, "DELETE FROM contact_phones WHERE contact_id = ?");
	DB_SQL(sql_insert, "INSERT INTO contact_phones (contact_id, position, "
	    "number, label, sms) VALUES (?, ?, ?, ?, ?)");
	sqlite3_stmt *st = db_stmt(db, sql_delete);
	int64_t owner;
	size_t i;

	if (st == NULL)
		return error_fail(err, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, c->id);
	if (db_step_done(db, st) < 0)
		return error_fail(err, ERR_DB);
	for (i = 0; i < c->nphones; i++) {
		owner = contacts_find_by_number(db, c->phones[i].number);
		if (owner && owner != c->id) {
			error_set(err, ERR_CONFLICT, "duplicate_phone", i == 0 ? "phone" : "phones",
			    "Le numéro %s appartient déjà au contact n° %lld.",
			    c->phones[i].number, (long long)owner);
			err->existing_id = owner;
			return -1;
		}
		if ((st = db_stmt(db, sql_insert)) == NULL)
			return error_fail(err, ERR_INTERNAL);
		sqlite3_bind_int64(st, 1, c->id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		sqlite3_bind_text(st, 3, c->phones[i].number, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, c->phones[i].label, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, c->phones[i].sms);
		if (db_step_done(db, st) < 0)
			return error_fail(err, ERR_DB);
	}
	return 0;
}

static int
contacts_write_groups(struct db *db, struct contact *c, struct error *err)
{
	DB_SQL(sql_delete, "DELETE FROM group_members WHERE contact_id = ?");
	DB_SQL(sql_insert, "INSERT OR IGNORE INTO group_members (group_id, "
	    "contact_id) VALUES (?, ?)");
	sqlite3_stmt *st = db_stmt(db, sql_delete);
	size_t i;

	if (st == NULL)
		return error_fail(err, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, c->id);
	if (db_step_done(db, st) < 0)
		return error_fail(err, ERR_DB);
	for (i = 0; i < c->ngroups; i++) {
		if ((st = db_stmt(db, sql_insert)) == NULL)
			return error_fail(err, ERR_INTERNAL);
		sqlite3_bind_int64(st, 1, c->group_ids[i]);
		sqlite3_bind_int64(st, 2, c->id);
		if (db_step_done(db, st) < 0) {
			if ((db_errcode(db) & 0xff) == SQLITE_CONSTRAINT)
				return error_set(err, ERR_INVALID, "invalid", "group_ids",
				    "Le groupe n° %lld n'existe pas.", (long long)c->group_ids[i]);
			return error_fail(err, ERR_DB);
		}
	}
	return 0;
}

/* When contact id is stored as opted out (0 when not, or not stored), or -1. */
static int64_t
contacts_stored_opt_out(struct db *db, int64_t id)
{
	DB_SQL(sql, "SELECT ifnull(opted_out_at, 0) FROM contacts WHERE id = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t at = 0;
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		at = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? at : -1;
}

/*
 * Brings c's opt-out and its first number's together (contacts.h), before
 * c is written; was_out is c's stored opt-out (0 for a new contact).
 * Then fills each number's opted_out_at.  0 or -1.
 */
static int
contacts_sync_opt_out(struct db *db, struct contact *c, int64_t was_out)
{
	const char *first = c->phones[0].number;
	int64_t since;
	size_t i;

	if (was_out && c->opted_out_at == 0) {
		/* a person lifted it: the number can be written to again */
		if (optout_remove(db, first) < 0)
			return -1;
	} else if ((since = optout_since(db, first)) < 0) {
		return -1;
	} else if (since && c->opted_out_at == 0) {
		c->opted_out_at = since;	/* the number sent STOP before */
	} else if (since == 0 && c->opted_out_at &&
	    optout_add(db, first, c->opted_out_at, 0, OPTOUT_SOURCE_PANEL) < 0) {
		return -1;
	}
	for (i = 0; i < c->nphones; i++)
		if ((c->phones[i].opted_out_at = optout_since(db, c->phones[i].number)) < 0)
			return -1;
	return 0;
}

int
contacts_save(struct db *db, struct contact *c, const struct audit_actor *actor,
    int64_t now, struct error *err)
{
	bool creating = c->id == 0, nested;
	int64_t was_out = 0;
	int rc;

	if (contact_validate(c, err) < 0)
		return -1;
	/* reads come first: alone, take the write lock at once (no busy upgrade) */
	if (db_begin_nested(db, "contact_save", &nested) < 0)
		return error_fail(err, ERR_DB);
	rc = (!creating && (was_out = contacts_stored_opt_out(db, c->id)) < 0) ||
	    contacts_sync_opt_out(db, c, was_out) < 0 ||
	    contacts_write_row(db, c, now, err) < 0 ||
	    contacts_write_phones(db, c, err) < 0 ||
	    contacts_write_groups(db, c, err) < 0 ||
	    audit_record(db, actor, now, creating ? "create" : "update", "contact",
	    c->id, NULL) < 0 ? -1 : 0;
	if (db_end_nested(db, "contact_save", nested, rc == 0) < 0) {
		if (creating)
			c->id = 0;
		return error_or_db(err);
	}
	return 0;
}

static int
contacts_load_phones(struct db *db, struct contact *c)
{
	DB_SQL(sql, "SELECT number, label, sms, ifnull("
	    OPTOUT_SQL_SINCE("contact_phones.number") ", 0) FROM contact_phones "
	    "WHERE contact_id = ? ORDER BY position");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, c->id);
	while (sqlite3_step(st) == SQLITE_ROW && c->nphones < CONTACT_PHONES_MAX) {
		struct contact_phone *p = &c->phones[c->nphones++];
		snprintf(p->number, sizeof(p->number), "%s", sqlite3_column_text(st, 0));
		snprintf(p->label, sizeof(p->label), "%s", sqlite3_column_text(st, 1));
		p->sms = sqlite3_column_int(st, 2) != 0;
		p->opted_out_at = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	return 0;
}

static int
contacts_load_groups(struct db *db, struct contact *c)
{
	DB_SQL(sql, "SELECT group_id FROM group_members WHERE contact_id = ? "
	    "ORDER BY group_id");
	sqlite3_stmt *st = db_stmt(db, sql);
	size_t cap = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, c->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (c->ngroups == cap) {
			cap = cap ? cap * 2 : 4;
			c->group_ids = realloc(c->group_ids, cap * sizeof(*c->group_ids));
			if (c->group_ids == NULL)
				fatal("contacts: out of memory");
		}
		c->group_ids[c->ngroups++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return 0;
}

int
contacts_load(struct db *db, int64_t id, struct contact *c, struct error *err)
{
	DB_SQL(sql, "SELECT first_name, last_name, language, consent_at, "
	    "consent_source, opted_out_at, notes, created_at, updated_at "
	    "FROM contacts WHERE id = ?");
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	memset(c, 0, sizeof(*c));
	if (st == NULL)
		return error_fail(err, ERR_INTERNAL);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return error_set(err, ERR_NOT_FOUND, "not_found", NULL, "Ce contact n'existe pas.");
	}
	c->id = id;
	c->first_name = db_column_strdup(st, 0);
	c->last_name = db_column_strdup(st, 1);
	snprintf(c->language, sizeof(c->language), "%s", sqlite3_column_text(st, 2));
	c->consent_at = sqlite3_column_int64(st, 3);
	c->consent_source = db_column_strdup(st, 4);
	c->opted_out_at = sqlite3_column_int64(st, 5);
	c->notes = db_column_strdup(st, 6);
	c->created_at = sqlite3_column_int64(st, 7);
	c->updated_at = sqlite3_column_int64(st, 8);
	sqlite3_reset(st);
	if (contacts_load_phones(db, c) < 0 || contacts_load_groups(db, c) < 0) {
		contact_clear(c);
		return error_fail(err, ERR_DB);
	}
	return 0;
}

int
contacts_carry_opt_outs(struct db *db, int64_t now)
{
	DB_SQL(sql, "UPDATE contacts SET opted_out_at = "
	    OPTOUT_SQL_SINCE("(SELECT number FROM contact_phones p WHERE "
	    "p.contact_id = contacts.id AND p.position = 0)") ", updated_at = ?1 "
	    "WHERE opted_out_at IS NULL AND id IN (SELECT contact_id FROM contact_phones p "
	    "WHERE p.position = 0 AND " OPTOUT_SQL_IS_OUT("p.number") ")");
	sqlite3_stmt *st = db_stmt(db, sql);
	int n;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	if (db_step_done(db, st) < 0)
		return -1;
	if ((n = sqlite3_changes(db_handle(db))) > 0)
		log_info("contacts: opted out count=%d reason=first-number-sent-stop", n);
	return n;
}

/*
 * Before an erasure: when contact id is opted out, their first number
 * stays opted out.  contacts_save() keeps it so already; this covers the
 * contacts opted out before opt-outs were kept by number.  0 or -1.
 */
static int
contacts_keep_opt_out(struct db *db, int64_t id)
{
	DB_SQL(sql, "SELECT c.opted_out_at, p.number FROM contacts c "
	    "JOIN contact_phones p ON p.contact_id = c.id AND p.position = 0 "
	    "WHERE c.id = ? AND c.opted_out_at IS NOT NULL");
	sqlite3_stmt *st = db_stmt(db, sql);
	char number[PHONE_E164_MAX] = "";
	int64_t at = 0, since;
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		at = sqlite3_column_int64(st, 0);
		snprintf(number, sizeof(number), "%s", sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	if ((since = optout_since(db, number)) != 0)
		return since < 0 ? -1 : 0;
	return optout_add(db, number, at, 0, OPTOUT_SOURCE_PANEL);
}

int
contacts_erase(struct db *db, int64_t id, const struct audit_actor *actor,
    int64_t now, struct error *err)
{
	DB_SQL(sql_delete, "DELETE FROM contacts WHERE id = ?");
	DB_SQL(sql_count, "INSERT INTO erasure_counts (day, count) "
	    "VALUES (date(?, 'unixepoch', 'localtime'), 1) "
	    "ON CONFLICT (day) DO UPDATE SET count = count + 1");
	sqlite3_stmt *st;

	if (db_savepoint(db, "contact_erase") < 0)
		return error_fail(err, ERR_DB);
	/* before the row goes: messages and replies point at it until then */
	if (queue_forget_contact(db, id, now) < 0 || contacts_keep_opt_out(db, id) < 0 ||
	    (st = db_stmt(db, sql_delete)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (db_step_done(db, st) < 0)
		goto fail;
	if (sqlite3_changes(db_handle(db)) != 1) {
		db_rollback_to(db, "contact_erase");
		return error_set(err, ERR_NOT_FOUND, "not_found", NULL, "Ce contact n'existe pas.");
	}
	if ((st = db_stmt(db, sql_count)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, now);
	if (db_step_done(db, st) < 0 ||
	    audit_record(db, actor, now, "erase", "contact", id, NULL) < 0 ||
	    db_release(db, "contact_erase") < 0)
		goto fail;
	return 0;
fail:
	db_rollback_to(db, "contact_erase");
	return error_fail(err, ERR_DB);
}

/* Appends s to out with LIKE's wildcards escaped by '\'. */
static void
contacts_like_escape(const char *s, struct buf *out)
{
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *s);
	}
}

/* Contacts invited to the ateliers of user ?4, directly or by a group. */
#define CONTACTS_INVITED_BY "SELECT ec.contact_id FROM event_contacts ec JOIN events e " \
	"ON e.id = ec.event_id WHERE e.owner_id = ?4 UNION SELECT gm.contact_id FROM " \
	"event_groups eg JOIN events e ON e.id = eg.event_id JOIN group_members gm ON " \
	"gm.group_id = eg.group_id WHERE e.owner_id = ?4"

bool
contacts_invited_by(struct db *db, int64_t contact_id, int64_t owner_id)
{
	DB_SQL(sql, "SELECT 1 WHERE ?1 IN (" CONTACTS_INVITED_BY ")");
	sqlite3_stmt *st = db_stmt(db, sql);
	bool yes;

	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_int64(st, 4, owner_id);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

/*
 * The contacts a search matches (see contacts_search()), sorted by name:
 * ?1 the folded LIKE pattern of the name, ?2 that of the digits, ?3 a
 * group id or 0, ?4 an atelier owner or 0.  The names are matched on
 * the index of contacts.search (sql/021: fewer pages than the table),
 * and only the rows found are read and sorted.
 */
#define CONTACTS_MATCHING "FROM contacts c WHERE " \
	"c.id IN (SELECT id FROM contacts WHERE ?1 IS NULL OR search LIKE ?1 ESCAPE '\\' " \
	"  UNION SELECT contact_id FROM contact_phones " \
	"  WHERE ?2 IS NOT NULL AND number LIKE ?2 ESCAPE '\\') " \
	"AND (?3 = 0 OR EXISTS (SELECT 1 FROM group_members g " \
	"     WHERE g.contact_id = c.id AND g.group_id = ?3)) " \
	"AND (?4 = 0 OR c.id IN (" CONTACTS_INVITED_BY ")) " \
	"ORDER BY +c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE, c.id"

/* Binds CONTACTS_MATCHING's parameters. */
static void
contacts_matching_bind(sqlite3_stmt *st, const char *q, int64_t group_id, int64_t owner_id)
{
	struct buf folded = { 0 }, pattern = { 0 }, digits = { 0 };
	const char *d;

	if (q && q[0]) {
		text_fold(q, &folded);
		buf_putc(&pattern, '%');
		contacts_like_escape(folded.data, &pattern);
		buf_putc(&pattern, '%');
		sqlite3_bind_text(st, 1, pattern.data, -1, SQLITE_TRANSIENT);
		for (d = q; *d; d++)
			if (*d >= '0' && *d <= '9')
				buf_putc(&digits, *d);
		if (digits.len >= 3) {
			/* "06 12 34" → "%612 34%" minus spaces: national 0 dropped */
			const char *start = digits.data[0] == '0' ? digits.data + 1 : digits.data;
			buf_reset(&folded);
			buf_printf(&folded, "%%%s%%", start);
			sqlite3_bind_text(st, 2, folded.data, -1, SQLITE_TRANSIENT);
		}
	}
	sqlite3_bind_int64(st, 3, group_id);
	sqlite3_bind_int64(st, 4, owner_id);
	buf_free(&folded);
	buf_free(&pattern);
	buf_free(&digits);
}

int64_t *
contacts_search(struct db *db, const char *q, int64_t group_id, int64_t owner_id,
    size_t *n)
{
	DB_SQL(sql, "SELECT c.id " CONTACTS_MATCHING);
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t *ids = NULL;
	size_t cap = 0, count = 0;
	int rc;

	*n = (size_t)-1;
	if (st == NULL)
		return NULL;
	contacts_matching_bind(st, q, group_id, owner_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			ids = realloc(ids, cap * sizeof(*ids));
			if (ids == NULL)
				fatal("contacts: out of memory");
		}
		ids[count++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_err("contacts: search failed: %s", db_errmsg(db));
		free(ids);
		return NULL;
	}
	*n = count;
	return ids;
}

/*
 * contact_to_json()'s object, key for key, written by SQLite: a 3,000-row
 * list in one statement rather than 3 per contact and a jansson tree.
 * Numbers come in position order and groups in id order, as
 * contacts_load() reads them (the indexes on (contact_id, position) and
 * group_members (contact_id) walk them so).
 */
#define CONTACT_JSON "json_object('id', c.id, 'first_name', c.first_name, " \
	"'last_name', c.last_name, " \
	"'phone', (SELECT number FROM contact_phones WHERE contact_id = c.id " \
	"          ORDER BY position LIMIT 1), " \
	"'phones', json((SELECT json_group_array(json_object('number', p.number, " \
	"    'label', p.label, 'sms', json(CASE p.sms WHEN 0 THEN 'false' ELSE 'true' END), " \
	"    'opted_out_at', iso_time(" OPTOUT_SQL_SINCE("p.number") "))) " \
	"  FROM (SELECT number, label, sms FROM contact_phones WHERE contact_id = c.id " \
	"        ORDER BY position) p)), " \
	"'language', c.language, " \
	"'group_ids', json((SELECT json_group_array(g.group_id) FROM (SELECT group_id " \
	"  FROM group_members WHERE contact_id = c.id ORDER BY group_id) g)), " \
	"'consent_at', iso_time(c.consent_at), 'consent_source', c.consent_source, " \
	"'opted_out_at', iso_time(c.opted_out_at), 'notes', c.notes, " \
	"'created_at', iso_time(c.created_at), 'updated_at', iso_time(c.updated_at))"

int
contacts_list_json(struct db *db, const char *q, int64_t group_id, int64_t owner_id,
    struct buf *out)
{
	DB_SQL(sql, "SELECT " CONTACT_JSON " " CONTACTS_MATCHING);
	sqlite3_stmt *st = db_stmt(db, sql);
	size_t n = 0;
	int rc;

	if (st == NULL)
		return -1;
	contacts_matching_bind(st, q, group_id, owner_id);
	buf_putc(out, '[');
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ > 0)
			buf_putc(out, ',');
		buf_append(out, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
	}
	buf_putc(out, ']');
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_err("contacts: listing failed: %s", db_errmsg(db));
		return -1;
	}
	return 0;
}

json_t *
contact_to_json(const struct contact *c)
{
	json_t *phones = json_array(), *groups = json_array();
	size_t i;

	for (i = 0; i < c->nphones; i++)
		json_array_append_new(phones, json_pack("{s:s, s:s, s:b, s:o}",
		    "number", c->phones[i].number, "label", c->phones[i].label,
		    "sms", c->phones[i].sms, "opted_out_at", time_json(c->phones[i].opted_out_at)));
	for (i = 0; i < c->ngroups; i++)
		json_array_append_new(groups, json_integer(c->group_ids[i]));
	return json_pack("{s:I, s:s, s:s, s:s?, s:o, s:s, s:o, s:o, s:s?, s:o, s:s, s:o, s:o}",
	    "id", (json_int_t)c->id,
	    "first_name", c->first_name,
	    "last_name", c->last_name,
	    "phone", c->nphones ? c->phones[0].number : NULL,
	    "phones", phones,
	    "language", c->language,
	    "group_ids", groups,
	    "consent_at", time_json(c->consent_at),
	    "consent_source", c->consent_source,
	    "opted_out_at", time_json(c->opted_out_at),
	    "notes", c->notes ? c->notes : "",
	    "created_at", time_json(c->created_at),
	    "updated_at", time_json(c->updated_at));
}

int
contacts_set_opt_out(struct db *db, int64_t contact_id, int64_t reply_id, int64_t now)
{
	DB_SQL(sql_out, "UPDATE contacts SET opted_out_at = ?2, "
	    "opt_out_reply_id = ?3, updated_at = ?2 WHERE id = ?1");
	DB_SQL(sql_in, "UPDATE contacts SET opted_out_at = NULL, "
	    "opt_out_reply_id = NULL, updated_at = ?2 WHERE id = ?1");
	sqlite3_stmt *st = db_stmt(db, reply_id ? sql_out : sql_in);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_int64(st, 2, now);
	if (reply_id)
		sqlite3_bind_int64(st, 3, reply_id);
	return db_step_done(db, st);
}

void
contacts_language(struct db *db, int64_t id, char out[3])
{
	DB_SQL(sql, "SELECT language FROM contacts WHERE id = ?1");
	sqlite3_stmt *st = id ? db_stmt(db, sql) : NULL;

	snprintf(out, 3, "fr");
	if (st == NULL)
		return;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, 3, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
}
