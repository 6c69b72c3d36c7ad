/*
 * modemstatus — the modem_status table.  See modemstatus.h.
 */
#include "modemstatus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define MODEMSTATUS_COLUMNS "name, device, state, ifnull(signal_percent, -1), " \
	"ifnull(operator, ''), ifnull(last_error, ''), sent_total, updated_at"

int
modemstatus_write(struct db *db, const struct modemstatus *s)
{
	DB_SQL(sql, "INSERT INTO modem_status (name, device, state, "
	    "signal_percent, operator, last_error, sent_total, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (name) DO UPDATE SET "
	    "device = ?2, state = ?3, signal_percent = ?4, operator = ?5, last_error = ?6, "
	    "sent_total = ?7, updated_at = ?8");
	sqlite3_stmt *st = db_stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, s->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->device, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->state, -1, SQLITE_STATIC);
	if (s->signal >= 0)
		sqlite3_bind_int(st, 4, s->signal);
	if (s->operator[0])
		sqlite3_bind_text(st, 5, s->operator, -1, SQLITE_STATIC);
	if (s->last_error[0])
		sqlite3_bind_text(st, 6, s->last_error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, s->sent_total);
	sqlite3_bind_int64(st, 8, s->updated_at);
	return db_step_done(db, st);
}

/* The current row of st into *s. */
static void
modemstatus_row(sqlite3_stmt *st, struct modemstatus *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", sqlite3_column_text(st, 0));
	snprintf(s->device, sizeof(s->device), "%s", sqlite3_column_text(st, 1));
	snprintf(s->state, sizeof(s->state), "%s", sqlite3_column_text(st, 2));
	s->signal = sqlite3_column_int(st, 3);
	snprintf(s->operator, sizeof(s->operator), "%s", sqlite3_column_text(st, 4));
	snprintf(s->last_error, sizeof(s->last_error), "%s", sqlite3_column_text(st, 5));
	s->sent_total = sqlite3_column_int64(st, 6);
	s->updated_at = sqlite3_column_int64(st, 7);
}

int
modemstatus_read(struct db *db, struct modemstatus **out, size_t *n)
{
	DB_SQL(sql, "SELECT " MODEMSTATUS_COLUMNS " FROM modem_status "
	    "ORDER BY name");
	sqlite3_stmt *st = db_stmt(db, sql);
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			if ((*out = realloc(*out, cap * sizeof(**out))) == NULL)
				fatal("modemstatus: out of memory");
		}
		modemstatus_row(st, &(*out)[(*n)++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_err("modemstatus: cannot read modem_status: %s", db_errmsg(db));
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
modemstatus_get(struct db *db, const char *name, struct modemstatus *s)
{
	DB_SQL(sql, "SELECT " MODEMSTATUS_COLUMNS " FROM modem_status "
	    "WHERE name = ?1");
	sqlite3_stmt *st = db_stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		modemstatus_row(st, s);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
