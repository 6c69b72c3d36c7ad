/*
 * import_columns — see import_columns.h.
 */
#include "import_columns.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "text.h"

static const char *const import_role_names[IMPORT_NCOLS + 1] = {
	[IMPORT_FIRST] = "first_name",
	[IMPORT_LAST] = "last_name",
	[IMPORT_PHONE] = "phone",
	[IMPORT_GROUPS] = "groups",
	[IMPORT_LANGUAGE] = "language",
	[IMPORT_CONSENT] = "consent",
	[IMPORT_NOTES] = "notes",
	[IMPORT_IGNORE] = "ignore",
};

const char *
import_role_name(int role)
{
	return role >= 0 && role <= IMPORT_IGNORE ? import_role_names[role] : NULL;
}

int
import_role_parse(const char *name)
{
	int r;

	for (r = 0; r <= IMPORT_IGNORE; r++)
		if (strcmp(name, import_role_names[r]) == 0)
			return r;
	return -1;
}

/* What a word of a header says. */
enum import_word {
	W_NONE,		/* a word that says nothing: de, du, date, sms ... */
	W_OTHER,	/* a word of something else: allocataire, naissance ... */
	W_FIRST, W_LAST, W_PHONE, W_LANDLINE, W_NUMBER, W_GROUPS, W_LANGUAGE,
	W_CONSENT, W_NOTES,
	W_NAME,		/* "name": first or last by the word beside it */
	W_FIRSTISH,	/* first, given, fore (+ name) */
	W_LASTISH,	/* last, family, sur (+ name) */
};

/* Whole headers that are one word once joined (old files, English CamelCase). */
static const struct {
	const char *name;
	enum import_col col;
} import_joined[] = {
	{ "firstname", IMPORT_FIRST }, { "givenname", IMPORT_FIRST },
	{ "lastname", IMPORT_LAST }, { "nomdefamille", IMPORT_LAST },
	{ "surname", IMPORT_LAST }, { "familyname", IMPORT_LAST },
	{ "numerodetelephone", IMPORT_PHONE }, { "telephoneportable", IMPORT_PHONE },
	{ "mobilephone", IMPORT_PHONE }, { "phonenumber", IMPORT_PHONE },
	{ "telportable", IMPORT_PHONE }, { "cellphone", IMPORT_PHONE },
	{ "consentementsms", IMPORT_CONSENT }, { "dateconsentement", IMPORT_CONSENT },
	{ "dateduconsentement", IMPORT_CONSENT }, { "consentdate", IMPORT_CONSENT },
};

static const struct {
	const char *word;
	enum import_word what;
} import_words[] = {
	{ "prenom", W_FIRST }, { "prenoms", W_FIRST }, { "firstname", W_FIRST },
	{ "givenname", W_FIRST }, { "forename", W_FIRST },
	{ "nom", W_LAST }, { "noms", W_LAST }, { "lastname", W_LAST }, { "surname", W_LAST },
	{ "patronyme", W_LAST }, { "familyname", W_LAST },
	{ "name", W_NAME }, { "names", W_NAME },
	{ "first", W_FIRSTISH }, { "given", W_FIRSTISH }, { "fore", W_FIRSTISH },
	{ "last", W_LASTISH }, { "family", W_LASTISH }, { "sur", W_LASTISH },
	{ "tel", W_PHONE }, { "tele", W_PHONE }, { "telephone", W_PHONE },
	{ "telephones", W_PHONE }, { "portable", W_PHONE }, { "portables", W_PHONE },
	{ "port", W_PHONE }, { "mobile", W_PHONE }, { "mobiles", W_PHONE }, { "mob", W_PHONE },
	{ "gsm", W_PHONE }, { "phone", W_PHONE }, { "phones", W_PHONE }, { "cell", W_PHONE },
	{ "cellulaire", W_PHONE }, { "smartphone", W_PHONE }, { "telmobile", W_PHONE },
	{ "fixe", W_LANDLINE }, { "domicile", W_LANDLINE }, { "dom", W_LANDLINE },
	{ "maison", W_LANDLINE }, { "bureau", W_LANDLINE }, { "travail", W_LANDLINE },
	{ "pro", W_LANDLINE }, { "professionnel", W_LANDLINE }, { "home", W_LANDLINE },
	{ "landline", W_LANDLINE }, { "work", W_LANDLINE }, { "office", W_LANDLINE },
	{ "numero", W_NUMBER }, { "numeros", W_NUMBER }, { "num", W_NUMBER },
	{ "no", W_NUMBER }, { "n", W_NUMBER }, { "nr", W_NUMBER }, { "number", W_NUMBER },
	{ "groupe", W_GROUPS }, { "groupes", W_GROUPS }, { "group", W_GROUPS },
	{ "groups", W_GROUPS }, { "liste", W_GROUPS }, { "listes", W_GROUPS },
	{ "langue", W_LANGUAGE }, { "langues", W_LANGUAGE }, { "language", W_LANGUAGE },
	{ "languages", W_LANGUAGE }, { "lang", W_LANGUAGE },
	{ "consentement", W_CONSENT }, { "consentements", W_CONSENT }, { "consent", W_CONSENT },
	{ "accord", W_CONSENT }, { "rgpd", W_CONSENT }, { "optin", W_CONSENT },
	{ "notes", W_NOTES }, { "note", W_NOTES }, { "remarque", W_NOTES },
	{ "remarques", W_NOTES }, { "commentaire", W_NOTES }, { "commentaires", W_NOTES },
	{ "comment", W_NOTES }, { "comments", W_NOTES }, { "observation", W_NOTES },
	{ "observations", W_NOTES }, { "obs", W_NOTES },
	{ "de", W_NONE }, { "du", W_NONE }, { "des", W_NONE }, { "d", W_NONE },
	{ "la", W_NONE }, { "le", W_NONE }, { "les", W_NONE }, { "l", W_NONE },
	{ "et", W_NONE }, { "ou", W_NONE }, { "en", W_NONE }, { "a", W_NONE },
	{ "of", W_NONE }, { "the", W_NONE }, { "date", W_NONE }, { "sms", W_NONE },
	{ "principal", W_NONE }, { "principale", W_NONE }, { "contact", W_NONE },
	{ "personnel", W_NONE }, { "perso", W_NONE },
};

static enum import_word
import_word(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(import_words) / sizeof(import_words[0]); i++)
		if (strcmp(w, import_words[i].word) == 0)
			return import_words[i].what;
	return W_OTHER;
}

/*
 * The header as words: folded, every run of letters a word, one space
 * between them ("N° Portable" -> "n portable").  The key of a remembered
 * choice, and what the recogniser reads.
 */
static void
import_header_words(const char *header, struct buf *out)
{
	struct buf folded = { 0 };
	bool in = false;
	size_t i;

	text_fold(header, &folded);
	for (i = 0; i < folded.len; i++) {
		char c = folded.data[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (!in && out->len > 0)
				buf_putc(out, ' ');
			buf_putc(out, c);
			in = true;
		} else {
			in = false;
		}
	}
	buf_free(&folded);
}

/*
 * The role of a header and its rank among columns of the same role (a
 * mobile outranks a landline); -1 without a role.
 */
static int
import_columns_read(const char *header, int *rank)
{
	struct buf words = { 0 }, joined = { 0 };
	bool seen[W_LASTISH + 1] = { false };
	int roles = 0, role = -1;
	char *w, *save = NULL;
	size_t i;

	*rank = 2;
	import_header_words(header, &words);
	if (words.len == 0)
		goto out;
	for (i = 0; i < words.len; i++)
		if (words.data[i] >= 'a' && words.data[i] <= 'z')
			buf_putc(&joined, words.data[i]);
	for (i = 0; joined.data && i < sizeof(import_joined) / sizeof(import_joined[0]); i++)
		if (strcmp(joined.data, import_joined[i].name) == 0) {
			role = (int)import_joined[i].col;
			goto out;
		}
	for (w = strtok_r(words.data, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if (w[0] < '0' || w[0] > '9')	/* "Tél 2" */
			seen[import_word(w)] = true;
	if (seen[W_NAME] && seen[W_FIRSTISH])
		seen[W_FIRST] = true;
	if (seen[W_NAME] && seen[W_LASTISH])
		seen[W_LAST] = true;
	/* a landline is a phone, but a mobile column outranks it */
	if (seen[W_LANDLINE]) {
		seen[W_PHONE] = true;
		*rank = 1;
	}
	{
		static const struct {
			enum import_word w;
			enum import_col col;
		} to[] = {
			{ W_FIRST, IMPORT_FIRST }, { W_LAST, IMPORT_LAST }, { W_PHONE, IMPORT_PHONE },
			{ W_GROUPS, IMPORT_GROUPS }, { W_LANGUAGE, IMPORT_LANGUAGE },
			{ W_CONSENT, IMPORT_CONSENT }, { W_NOTES, IMPORT_NOTES },
		};
		for (i = 0; i < sizeof(to) / sizeof(to[0]); i++)
			if (seen[to[i].w]) {
				role = (int)to[i].col;
				roles++;
			}
	}
	/* "Numéro" or "N°" alone is a phone; "N° allocataire", "N° de groupe" are not */
	if (roles == 0 && seen[W_NUMBER] && !seen[W_OTHER]) {
		role = IMPORT_PHONE;
		roles = 1;
	}
	if (roles != 1)
		role = -1;
out:
	buf_free(&words);
	buf_free(&joined);
	return role;
}

int
import_columns_recognise(const char *header)
{
	int rank;

	return import_columns_read(header, &rank);
}

/* The remembered role of header, or -1. */
static int
import_columns_remembered(struct db *db, const char *header, bool *failed)
{
	DB_SQL(sql, "SELECT role FROM import_columns WHERE header = ?1");
	struct buf key = { 0 };
	sqlite3_stmt *st;
	int role = -1, rc;

	import_header_words(header, &key);
	if (key.len == 0 || (st = db_stmt(db, sql)) == NULL) {
		buf_free(&key);
		*failed = key.len != 0;
		return -1;
	}
	sqlite3_bind_text(st, 1, key.data, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		role = import_role_parse((const char *)sqlite3_column_text(st, 0));
	else if (rc != SQLITE_DONE)
		*failed = true;
	sqlite3_reset(st);
	buf_free(&key);
	return role;
}

json_t *
import_columns_map(struct db *db, const struct csv_row *header,
    const int chosen[IMPORT_NCOLS], const unsigned char *ignored, int col[IMPORT_NCOLS])
{
	size_t n = header->nfields, i;
	int *role = NULL, *rank = NULL, r;
	const char **how = NULL;
	bool failed = false;
	json_t *out = NULL;

	if ((role = calloc(n + 1, sizeof(*role))) == NULL ||
	    (rank = calloc(n + 1, sizeof(*rank))) == NULL ||
	    (how = calloc(n + 1, sizeof(*how))) == NULL)
		fatal("import: out of memory");
	for (r = 0; r < IMPORT_NCOLS; r++)
		col[r] = -1;
	for (i = 0; i < n; i++) {
		role[i] = ignored && ignored[i] ? IMPORT_IGNORE : -1;
		how[i] = ignored && ignored[i] ? "chosen" : NULL;
	}
	for (r = 0; r < IMPORT_NCOLS; r++)
		if (chosen[r] >= 1 && (size_t)chosen[r] <= n) {
			role[chosen[r] - 1] = r;
			how[chosen[r] - 1] = "chosen";
			col[r] = chosen[r] - 1;
		}
	for (i = 0; i < n && !failed; i++) {
		if (how[i] != NULL)
			continue;
		r = import_columns_remembered(db, header->fields[i], &failed);
		if (r >= 0 && (r == IMPORT_IGNORE || col[r] < 0)) {
			role[i] = r;
			how[i] = "remembered";
			if (r != IMPORT_IGNORE)
				col[r] = (int)i;
		}
	}
	for (i = 0; i < n && !failed; i++) {
		if (how[i] != NULL || (r = import_columns_read(header->fields[i], &rank[i])) < 0)
			continue;
		if (col[r] >= 0) {
			size_t j = (size_t)col[r];
			/* a mobile outranks a landline found first; else the first stays */
			if (strcmp(how[j], "recognised") != 0 || rank[j] >= rank[i])
				continue;
			role[j] = -1;
			how[j] = NULL;
		}
		role[i] = r;
		how[i] = "recognised";
		col[r] = (int)i;
	}
	if (!failed) {
		out = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(out, json_pack("{s:I, s:s, s:s?, s:s?}",
			    "column", (json_int_t)i + 1, "header", header->fields[i],
			    "role", import_role_name(role[i]), "how", how[i]));
	}
	free(role);
	free(rank);
	free(how);
	return out;
}

int
import_columns_remember(struct db *db, const struct csv_row *header,
    const int chosen[IMPORT_NCOLS], const unsigned char *ignored, const char *login,
    int64_t now)
{
	DB_SQL(sql, "INSERT INTO import_columns (header, role, chosen_at, chosen_by) "
	    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (header) DO UPDATE SET role = ?2, "
	    "chosen_at = ?3, chosen_by = ?4");
	size_t i;
	int r;

	for (i = 0; i < header->nfields; i++) {
		struct buf key = { 0 };
		sqlite3_stmt *st;
		int role = ignored && ignored[i] ? IMPORT_IGNORE : -1;

		for (r = 0; r < IMPORT_NCOLS; r++)
			if (chosen[r] >= 1 && (size_t)chosen[r] == i + 1)
				role = r;
		if (role < 0)
			continue;
		import_header_words(header->fields[i], &key);
		if (key.len == 0) {
			buf_free(&key);
			continue;
		}
		if ((st = db_stmt(db, sql)) == NULL) {
			buf_free(&key);
			return -1;
		}
		sqlite3_bind_text(st, 1, key.data, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, import_role_name(role), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, now);
		sqlite3_bind_text(st, 4, login ? login : "", -1, SQLITE_TRANSIENT);
		buf_free(&key);
		if (db_step_done(db, st) < 0)
			return -1;
	}
	return 0;
}
