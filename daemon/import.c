/*
 * import — CSV import and export of contacts.  See import.h.
 */
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "contacts.h"
#include "csv.h"
#include "groups.h"
#include "log.h"
#include "text.h"
#include "timeutil.h"

#define IMPORT_ROWS_MAX 5000	/* lines listed in "rows"; the counts count them all */

struct import_ctx {
	struct db *db;
	const struct import_options *opt;
	const struct audit_actor *actor;
	int64_t now;
	int col[IMPORT_NCOLS];		/* field index of each column, -1 if absent */
	size_t nheader;
	json_t *result;
	json_t *errors;
	json_t *warnings;
	json_t *rows;			/* the lines taken: [{line, action, names, phone}] */
	json_t *seen;			/* E.164 → line, numbers already in this file */
	int created, updated, unchanged, skipped, groups_created;
};

/* The columns chosen as "ignore", one flag per field of the header. */
static unsigned char *
import_ignored(const struct import_options *opt, size_t nfields)
{
	unsigned char *ignored = calloc(nfields + 1, 1);
	size_t i;

	if (ignored == NULL)
		fatal("import: out of memory");
	for (i = 0; opt && i < opt->nignore; i++)
		if (opt->ignore[i] >= 1 && (size_t)opt->ignore[i] <= nfields)
			ignored[opt->ignore[i] - 1] = 1;
	return ignored;
}

static int
import_map_header(struct import_ctx *ctx, const struct csv_row *header, struct error *err)
{
	json_t *ignored = json_array(), *columns, *c;
	unsigned char *skip = import_ignored(ctx->opt, header->nfields);
	size_t i;

	ctx->nheader = header->nfields;
	columns = import_columns_map(ctx->db, header, ctx->opt->chosen, skip, ctx->col);
	free(skip);
	if (columns == NULL) {
		json_decref(ignored);
		return error_fail(err, ERR_DB);
	}
	json_array_foreach(columns, i, c) {
		const char *role = json_string_value(json_object_get(c, "role"));

		if ((role == NULL || strcmp(role, "ignore") == 0) && header->fields[i][0])
			json_array_append_new(ignored, json_string(header->fields[i]));
	}
	json_object_set_new(ctx->result, "columns", columns);
	json_object_set_new(ctx->result, "ignored_columns", ignored);
	if (ctx->col[IMPORT_PHONE] < 0)
		return error_set(err, ERR_INVALID, "invalid_csv", NULL,
		    "Aucune colonne de téléphone trouvée sur la première ligne (attendu : "
		    "Téléphone, Portable ou Mobile).");
	if (ctx->col[IMPORT_FIRST] < 0 && ctx->col[IMPORT_LAST] < 0)
		return error_set(err, ERR_INVALID, "invalid_csv", NULL,
		    "Aucune colonne de nom trouvée sur la première ligne (attendu : Prénom et/ou "
		    "Nom).");
	return 0;
}

static const char *
import_field(const struct import_ctx *ctx, const struct csv_row *row, enum import_col col)
{
	int i = ctx->col[col];

	if (i < 0 || (size_t)i >= row->nfields)
		return "";
	return row->fields[i];
}

static void
import_line_error(struct import_ctx *ctx, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
import_line_error(struct import_ctx *ctx, size_t line, const char *fmt, ...)
{
	char reason[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	json_array_append_new(ctx->errors, json_pack("{s:I, s:s}", "line", (json_int_t)line,
	    "reason", reason));
	ctx->skipped++;
}

static int
import_parse_language(const char *v, char out[3])
{
	static const struct { const char *name; const char *code; } langs[] = {
		{ "fr", "fr" }, { "francais", "fr" }, { "french", "fr" },
		{ "en", "en" }, { "anglais", "en" }, { "english", "en" },
		{ "ar", "ar" }, { "arabe", "ar" }, { "arabic", "ar" },
	};
	struct buf folded = { 0 };
	size_t i;
	int rc = -1;

	text_fold(v, &folded);
	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
		if (strcmp(folded.data, langs[i].name) == 0) {
			snprintf(out, 3, "%s", langs[i].code);
			rc = 0;
			break;
		}
	buf_free(&folded);
	return rc;
}

/* "12/03/2025", "2025-03-12", or a yes ("oui", "x", "1"): 0 and *t; -1. */
static int
import_parse_consent(const char *v, int64_t now, int64_t *t)
{
	struct buf folded = { 0 };
	int rc = -1;

	if (time_parse(v, t) == 0)
		return 0;
	text_fold(v, &folded);
	if (!strcmp(folded.data, "oui") || !strcmp(folded.data, "yes") ||
	    !strcmp(folded.data, "x") || !strcmp(folded.data, "1") ||
	    !strcmp(folded.data, "o")) {
		*t = now;
		rc = 0;
	}
	buf_free(&folded);
	return rc;
}

static bool
import_has_group(const struct contact *c, int64_t id)
{
	size_t i;

	for (i = 0; i < c->ngroups; i++)
		if (c->group_ids[i] == id)
			return true;
	return false;
}

/* Adds the groups named in cell ("A, B | C") to c; true when c changed. */
static int
import_add_groups(struct import_ctx *ctx, struct contact *c, const char *cell,
    bool *changed, struct error *err)
{
	char *copy = strdup(cell), *tok, *save = NULL;
	int64_t id;
	int rc = 0;

	if (copy == NULL)
		fatal("import: out of memory");
	for (tok = strtok_r(copy, ",;|/", &save); tok; tok = strtok_r(NULL, ",;|/", &save)) {
		char *name = text_trim_dup(tok);
		bool created = false;
		if (name[0] == '\0') {
			free(name);
			continue;
		}
		rc = groups_find_or_create(ctx->db, name, ctx->actor, ctx->now, &id, &created, err);
		free(name);
		if (rc < 0)
			break;
		if (created)
			ctx->groups_created++;
		if (!import_has_group(c, id)) {
			c->group_ids = realloc(c->group_ids, (c->ngroups + 1) * sizeof(int64_t));
			if (c->group_ids == NULL)
				fatal("import: out of memory");
			c->group_ids[c->ngroups++] = id;
			*changed = true;
		}
	}
	free(copy);
	return rc;
}

static bool
import_set_text(char **dst, const char *value)
{
	if (value[0] == '\0' || (*dst && strcmp(*dst, value) == 0))
		return false;
	free(*dst);
	*dst = strdup(value);
	if (*dst == NULL)
		fatal("import: out of memory");
	return true;
}

static bool
import_row_blank(const struct csv_row *row)
{
	size_t i;

	for (i = 0; i < row->nfields; i++)
		if (row->fields[i][0])
			return false;
	return true;
}

static bool
import_row_width_ok(const struct import_ctx *ctx, const struct csv_row *row)
{
	size_t i;

	if (row->nfields < ctx->nheader)
		return false;
	for (i = ctx->nheader; i < row->nfields; i++)	/* Excel's trailing ";;" */
		if (row->fields[i][0])
			return false;
	return true;
}

/* Fills c from row (c may hold an existing contact); *changed when it differs. */
static int
import_fill(struct import_ctx *ctx, const struct csv_row *row, struct contact *c,
    bool *changed)
{
	const char *v;
	char lang[3];
	int64_t t;

	*changed |= import_set_text(&c->first_name, import_field(ctx, row, IMPORT_FIRST));
	*changed |= import_set_text(&c->last_name, import_field(ctx, row, IMPORT_LAST));
	*changed |= import_set_text(&c->notes, import_field(ctx, row, IMPORT_NOTES));
	v = import_field(ctx, row, IMPORT_LANGUAGE);
	if (v[0]) {
		if (import_parse_language(v, lang) < 0) {
			import_line_error(ctx, row->line, "langue « %s » inconnue "
			    "(attendu : fr, en ou ar)", v);
			return -1;
		}
		if (strcmp(lang, c->language) != 0) {
			snprintf(c->language, sizeof(c->language), "%s", lang);
			*changed = true;
		}
	}
	v = import_field(ctx, row, IMPORT_CONSENT);
	if (v[0]) {
		if (import_parse_consent(v, ctx->now, &t) < 0) {
			import_line_error(ctx, row->line, "consentement « %s » illisible "
			    "(attendu : une date comme 12/03/2025, ou « oui »)", v);
			return -1;
		}
		if (c->consent_at == 0) {
			c->consent_at = t;
			free(c->consent_source);
			/* as the panel names it (web/app.js CONSENT_SOURCES) */
			c->consent_source = strdup("import d\u2019un fichier");
			*changed = true;
		}
	}
	return 0;
}

static void
import_row(struct import_ctx *ctx, const struct csv_row *row)
{
	struct contact c = { 0 };
	struct error err = { 0 };
	const char *typed = import_field(ctx, row, IMPORT_PHONE);
	char e164[PHONE_E164_MAX];
	enum phone_kind kind;
	const char *reason = NULL;
	json_t *prev;
	int64_t existing, was_out = 0;
	bool changed = false;

	if (import_row_blank(row))
		return;
	if (!import_row_width_ok(ctx, row)) {
		import_line_error(ctx, row->line, "%zu colonnes au lieu de %zu (un ; ou une , "
		    "en trop ou en moins ?)", row->nfields, ctx->nheader);
		return;
	}
	if (typed[0] == '\0') {
		import_line_error(ctx, row->line, "numéro de téléphone manquant");
		return;
	}
	if (phone_normalize(typed, e164, &kind, &reason) < 0) {
		import_line_error(ctx, row->line, "numéro « %s » invalide : %s", typed, reason);
		return;
	}
	if ((prev = json_object_get(ctx->seen, e164)) != NULL) {
		import_line_error(ctx, row->line, "même numéro qu'à la ligne %lld",
		    (long long)json_integer_value(prev));
		return;
	}
	json_object_set_new(ctx->seen, e164, json_integer((json_int_t)row->line));
	if (import_field(ctx, row, IMPORT_FIRST)[0] == '\0' &&
	    import_field(ctx, row, IMPORT_LAST)[0] == '\0') {
		import_line_error(ctx, row->line, "prénom et nom manquants");
		return;
	}
	existing = contacts_find_by_number(ctx->db, e164);
	if (existing && contacts_load(ctx->db, existing, &c, &err) < 0) {
		import_line_error(ctx, row->line, "%s", err.message);
		return;
	}
	if (existing && strcmp(c.phones[0].number, e164) != 0) {
		/* a household number: updating would rename the wrong person */
		import_line_error(ctx, row->line, "le numéro %s est un numéro secondaire du "
		    "contact n° %lld (%s %s) ; modifiez sa fiche plutôt", e164,
		    (long long)existing, c.first_name, c.last_name);
		contact_clear(&c);
		return;
	}
	if (!existing) {
		if (contact_add_phone(&c, typed, NULL, true, "phone", NULL, &err) < 0) {
			import_line_error(ctx, row->line, "%s", err.message);
			contact_clear(&c);
			return;
		}
		changed = true;
	}
	if (import_fill(ctx, row, &c, &changed) < 0 || db_savepoint(ctx->db, "import_row") < 0)
		goto out;
	was_out = c.opted_out_at;
	if (import_add_groups(ctx, &c, import_field(ctx, row, IMPORT_GROUPS), &changed,
	    &err) < 0 || (changed && contacts_save(ctx->db, &c, ctx->actor, ctx->now,
	    &err) < 0)) {
		db_rollback_to(ctx->db, "import_row");
		import_line_error(ctx, row->line, "%s", err.message);
		goto out;
	}
	db_release(ctx->db, "import_row");
	if (!phone_kind_can_sms(kind))
		json_array_append_new(ctx->warnings, json_pack("{s:I, s:s}", "line",
		    (json_int_t)row->line, "message",
		    "numéro fixe ou spécial, enregistré, mais il ne recevra pas de SMS"));
	if (c.opted_out_at && !was_out)
		json_array_append_new(ctx->warnings, json_pack("{s:I, s:s}", "line",
		    (json_int_t)row->line, "message", "ce numéro a demandé à ne plus recevoir "
		    "de SMS (STOP) : le contact est enregistré comme ne voulant plus de SMS"));
	if (!existing)
		ctx->created++;
	else if (changed)
		ctx->updated++;
	else
		ctx->unchanged++;
	if (json_array_size(ctx->rows) < IMPORT_ROWS_MAX)
		json_array_append_new(ctx->rows, json_pack("{s:I, s:s, s:s?, s:s?, s:s}", "line",
		    (json_int_t)row->line, "action", !existing ? "created" : changed ? "updated" :
		    "unchanged", "first_name", c.first_name, "last_name", c.last_name, "phone", e164));
out:
	contact_clear(&c);
}

/* The columns a person chose, remembered for the next file (see import_columns.h). */
static int
import_remember(const struct import_ctx *ctx, const struct csv_row *header)
{
	unsigned char *skip = import_ignored(ctx->opt, header->nfields);
	int rc = import_columns_remember(ctx->db, header, ctx->opt->chosen, skip,
	    ctx->actor->name, ctx->now);

	free(skip);
	return rc;
}

static const char *
import_encoding_name(enum csv_encoding e)
{
	switch (e) {
	case CSV_UTF8_BOM:
		return "utf-8-bom";
	case CSV_WINDOWS_1252:
		return "windows-1252";
	default:
		return "utf-8";
	}
}

json_t *
import_contacts(struct db *db, const char *data, size_t len, bool dry_run,
    const struct audit_actor *actor, int64_t now, struct error *err)
{
	struct import_options opt = { .dry_run = dry_run };

	return import_contacts_with(db, data, len, &opt, actor, now, err);
}

json_t *
import_contacts_with(struct db *db, const char *data, size_t len,
    const struct import_options *opt, const struct audit_actor *actor, int64_t now,
    struct error *err)
{
	struct import_ctx ctx = { .db = db, .opt = opt, .actor = actor, .now = now };
	bool dry_run = opt->dry_run;
	char reason[300] = "";
	struct csv_doc *doc = csv_parse(data, len, reason, sizeof(reason));
	char details[160];
	char delim[2];
	size_t i;

	if (doc == NULL) {
		error_set(err, ERR_INVALID, "invalid_csv", NULL, "Fichier refusé : %s.", reason);
		return NULL;
	}
	ctx.result = json_object();
	if (doc->nrows == 0 || import_map_header(&ctx, &doc->rows[0], err) < 0) {
		if (doc->nrows == 0)
			error_set(err, ERR_INVALID, "invalid_csv", NULL, "Le fichier est vide.");
		goto fail;
	}
	if (db_txn_begin(db, err) < 0)
		goto fail;
	ctx.errors = json_array();
	ctx.warnings = json_array();
	ctx.rows = json_array();
	ctx.seen = json_object();
	for (i = 1; i < doc->nrows; i++)
		import_row(&ctx, &doc->rows[i]);
	snprintf(details, sizeof(details), "{\"created\":%d,\"updated\":%d,\"skipped\":%d}",
	    ctx.created, ctx.updated, ctx.skipped);
	if (dry_run) {
		db_rollback(db);
	} else if (db_txn_end(db, audit_record(db, actor, now, "import", "contact", 0, details) < 0 ||
	    import_remember(&ctx, &doc->rows[0]) < 0 ? -1 : 0, err) < 0) {
		json_decref(ctx.errors);
		json_decref(ctx.warnings);
		json_decref(ctx.rows);
		json_decref(ctx.seen);
		goto fail;
	}
	delim[0] = doc->delimiter;
	delim[1] = '\0';
	json_object_set_new(ctx.result, "created", json_integer(ctx.created));
	json_object_set_new(ctx.result, "updated", json_integer(ctx.updated));
	json_object_set_new(ctx.result, "unchanged", json_integer(ctx.unchanged));
	json_object_set_new(ctx.result, "skipped", json_integer(ctx.skipped));
	json_object_set_new(ctx.result, "groups_created", json_integer(ctx.groups_created));
	json_object_set_new(ctx.result, "dry_run", json_boolean(dry_run));
	json_object_set_new(ctx.result, "encoding",
	    json_string(import_encoding_name(doc->encoding)));
	json_object_set_new(ctx.result, "delimiter", json_string(delim));
	json_object_set_new(ctx.result, "errors", ctx.errors);
	json_object_set_new(ctx.result, "warnings", ctx.warnings);
	json_object_set_new(ctx.result, "rows", ctx.rows);
	json_decref(ctx.seen);
	csv_doc_free(doc);
	log_info("import: contacts created=%d updated=%d unchanged=%d skipped=%d dry_run=%d",
	    ctx.created, ctx.updated, ctx.unchanged, ctx.skipped, dry_run);
	return ctx.result;
fail:
	json_decref(ctx.result);
	csv_doc_free(doc);
	return NULL;
}

/* "+33612345678" → "+33 6 12 34 56 78"; other numbers unchanged. */
json_t *
import_columns_preview(struct db *db, const char *data, size_t len,
    const struct import_options *opt, struct error *err)
{
	char reason[300] = "", delim[2];
	struct csv_doc *doc = csv_parse(data, len, reason, sizeof(reason));
	unsigned char *skip;
	json_t *columns, *missing, *result;
	int col[IMPORT_NCOLS];

	if (doc == NULL) {
		error_set(err, ERR_INVALID, "invalid_csv", NULL, "Fichier refusé : %s.", reason);
		return NULL;
	}
	if (doc->nrows == 0) {
		csv_doc_free(doc);
		error_set(err, ERR_INVALID, "invalid_csv", NULL, "Le fichier est vide.");
		return NULL;
	}
	skip = import_ignored(opt, doc->rows[0].nfields);
	columns = import_columns_map(db, &doc->rows[0], opt->chosen, skip, col);
	free(skip);
	if (columns == NULL) {
		csv_doc_free(doc);
		error_fail(err, ERR_DB);
		return NULL;
	}
	missing = json_array();
	if (col[IMPORT_PHONE] < 0)
		json_array_append_new(missing, json_string(import_role_name(IMPORT_PHONE)));
	if (col[IMPORT_FIRST] < 0 && col[IMPORT_LAST] < 0)
		json_array_append_new(missing, json_string(import_role_name(IMPORT_FIRST)));
	delim[0] = doc->delimiter;
	delim[1] = '\0';
	result = json_pack("{s:o, s:s, s:s, s:o}", "columns", columns, "encoding",
	    import_encoding_name(doc->encoding), "delimiter", delim, "missing", missing);
	csv_doc_free(doc);
	return result;
}

static void
import_format_phone(const char *e164, struct buf *out)
{
	size_t i, n = strlen(e164);

	if (strncmp(e164, "+33", 3) != 0 || n != 12) {
		buf_puts(out, e164);
		return;
	}
	buf_printf(out, "+33 %c", e164[3]);
	for (i = 4; i < n; i += 2)
		buf_printf(out, " %c%c", e164[i], e164[i + 1]);
}

static void
import_export_row(struct db *db, const struct contact *c, struct buf *out)
{
	DB_SQL(sql, "SELECT name FROM groups g JOIN group_members m "
	    "ON m.group_id = g.id WHERE m.contact_id = ? ORDER BY g.name COLLATE NOCASE");
	struct buf cell = { 0 };
	char date[16];
	sqlite3_stmt *st;
	size_t i;
	time_t t;
	struct tm tm;

	csv_write_field(out, c->first_name, ';');
	buf_putc(out, ';');
	csv_write_field(out, c->last_name, ';');
	buf_putc(out, ';');
	if (c->nphones)
		import_format_phone(c->phones[0].number, &cell);
	csv_write_field(out, cell.data ? cell.data : "", ';');
	buf_putc(out, ';');
	buf_reset(&cell);
	for (i = 1; i < c->nphones; i++) {
		if (i > 1)
			buf_puts(&cell, ", ");
		import_format_phone(c->phones[i].number, &cell);
		if (c->phones[i].label[0])
			buf_printf(&cell, " (%s)", c->phones[i].label);
	}
	csv_write_field(out, cell.data ? cell.data : "", ';');
	buf_putc(out, ';');
	buf_reset(&cell);
	if ((st = db_stmt(db, sql)) != NULL) {
		sqlite3_bind_int64(st, 1, c->id);
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (cell.len)
				buf_puts(&cell, ", ");
			buf_puts(&cell, (const char *)sqlite3_column_text(st, 0));
		}
		sqlite3_reset(st);
	}
	csv_write_field(out, cell.data ? cell.data : "", ';');
	buf_printf(out, ";%s;", c->language);
	date[0] = '\0';
	if (c->consent_at) {
		t = (time_t)c->consent_at;
		localtime_r(&t, &tm);
		strftime(date, sizeof(date), "%d/%m/%Y", &tm);
	}
	buf_printf(out, "%s;", date);
	csv_write_field(out, c->consent_source ? c->consent_source : "", ';');
	date[0] = '\0';
	if (c->opted_out_at) {
		t = (time_t)c->opted_out_at;
		localtime_r(&t, &tm);
		strftime(date, sizeof(date), "%d/%m/%Y", &tm);
	}
	buf_printf(out, ";%s;", date);
	csv_write_field(out, c->notes ? c->notes : "", ';');
	buf_puts(out, "\r\n");
	buf_free(&cell);
}

int
import_export_contacts(struct db *db, struct buf *out)
{
	int64_t *ids;
	size_t n, i;

	ids = contacts_search(db, NULL, 0, 0, &n);
	if (n == (size_t)-1)
		return -1;
	buf_puts(out, "\xEF\xBB\xBF" "Prénom;Nom;Téléphone;Autres numéros;Groupes;Langue;"
	    "Consentement;Source du consentement;Désinscrit le;Notes\r\n");
	for (i = 0; i < n; i++) {
		struct contact c;
		if (contacts_load(db, ids[i], &c, NULL) < 0)
			continue;
		import_export_row(db, &c, out);
		contact_clear(&c);
	}
	free(ids);
	return 0;
}
