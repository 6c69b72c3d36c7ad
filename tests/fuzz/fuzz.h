/*
 * fuzz — what the libFuzzer targets of tests/fuzz/ share.
 *
 * Each fuzz_<name>.c defines LLVMFuzzerTestOneInput() and feeds one input
 * to a parser of outside input, as rappeld would; a crash, a sanitizer
 * report, a leak or a broken invariant (fuzz_assert) is a finding.
 * Targets that need a database use a migrated SQLite database in memory,
 * opened once, and leave it as they found it (their writes are rolled
 * back), so that an input does the same thing whenever it runs.
 */
#ifndef RAPPEL_FUZZ_H
#define RAPPEL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "contacts.h"
#include "db.h"
#include "log.h"
#include "timeutil.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fixed "now" of every target: Thursday 3 December 2026, 10:00 UTC. */
#define FUZZ_NOW 1796292000LL

/* Aborts (a finding) with the condition's text when cond is false. */
#define fuzz_assert(cond)                                                  \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",   \
			    __FILE__, __LINE__, #cond);                    \
			abort();                                           \
		}                                                          \
	} while (0)

/* A NUL-terminated copy of the input (malloc'd, the caller frees it). */
static inline char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Quiet logs (a line per input would be most of the time spent) and Paris time. */
static inline void
fuzz_setup(void)
{
	log_set_level(LOG_LEVEL_ERR);
	time_set_zone("Europe/Paris");
}

/* The LLVMFuzzerInitialize() of a target that needs nothing else. */
#define FUZZ_INIT_DEFAULT()                                                \
	int                                                                \
	LLVMFuzzerInitialize(int *argc, char ***argv)                      \
	{                                                                  \
		(void)argc;                                                \
		(void)argv;                                                \
		fuzz_setup();                                              \
		return 0;                                                  \
	}

/* A centre's configuration: name and phone, the rest by default. */
static inline struct config *
fuzz_config(void)
{
	static const char text[] =
	    "[centre]\nname = Centre social Jacques Brel\nphone = 03 21 00 00 00\n";
	char err[256];
	struct config *cfg = config_load_string(text, "fuzz.conf", err, sizeof(err));

	if (cfg == NULL)
		abort();
	return cfg;
}

/* Adds Éloïse Martin, French, at number, in group (0: none); returns her id. */
static inline int64_t
fuzz_contact_add(struct db *db, const char *number, int64_t group)
{
	struct audit_actor actor = { 0, "fuzz" };
	struct contact c = { 0 };
	struct error err = { 0 };
	int64_t id;

	if (contact_add_phone(&c, number, "mère", true, "phone", NULL, &err) < 0)
		abort();
	c.first_name = strdup("Éloïse");
	c.last_name = strdup("Martin");
	snprintf(c.language, sizeof(c.language), "fr");
	if (group) {
		if ((c.group_ids = calloc(1, sizeof(*c.group_ids))) == NULL)
			abort();
		c.group_ids[0] = group;
		c.ngroups = 1;
	}
	if (contacts_save(db, &c, &actor, FUZZ_NOW, &err) < 0)
		abort();
	id = c.id;
	contact_clear(&c);
	return id;
}

/* The database in memory, migrated; aborts when it cannot be made. */
static inline struct db *
fuzz_db_open(void)
{
	char err[256] = "";
	struct db *db = db_open(":memory:", err, sizeof(err));

	if (db == NULL || db_migrate(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz: no database: %s\n", err);
		abort();
	}
	return db;
}

/* A copy of db in memory, to put back with fuzz_db_restore() after each input. */
static inline sqlite3 *
fuzz_db_snapshot(struct db *db)
{
	sqlite3 *copy = NULL;
	sqlite3_backup *b;

	if (sqlite3_open(":memory:", &copy) != SQLITE_OK ||
	    (b = sqlite3_backup_init(copy, "main", db_handle(db), "main")) == NULL ||
	    sqlite3_backup_step(b, -1) != SQLITE_DONE || sqlite3_backup_finish(b) != SQLITE_OK)
		abort();
	return copy;
}

/* Puts db back as it was when snapshot was taken. */
static inline void
fuzz_db_restore(struct db *db, sqlite3 *snapshot)
{
	sqlite3_backup *b = sqlite3_backup_init(db_handle(db), "main", snapshot, "main");

	if (b == NULL || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK)
		abort();
}

#endif
