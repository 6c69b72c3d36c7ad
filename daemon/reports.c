/*
 * reports — attendance figures as CSV.  See reports.h.
 */
#include "reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "events.h"
#include "log.h"
#include "recur.h"
#include "rsvp.h"

#define REPORTS_SEP ';'
#define REPORTS_OCCS_MAX 2000	/* sessions of one atelier in one report */
#define REPORTS_COLS 13		/* the columns of the sessions' CSV */
#define REPORTS_COMING_OCCS 64	/* sessions of one atelier in the coming days */

static void
reports_row(struct buf *out, const char *const *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(out, REPORTS_SEP);
		csv_write_field(out, fields[i], REPORTS_SEP);
	}
	buf_puts(out, "\r\n");
}

static void
reports_int(char *dst, size_t len, int v)
{
	snprintf(dst, len, "%d", v);
}

/* Adds the counts c of a session to *sum. */
static void
reports_add(struct rsvp_counts *sum, const struct rsvp_counts *c)
{
	sum->invited += c->invited;
	sum->delivered += c->delivered;
	sum->yes += c->yes;
	sum->no += c->no;
	sum->none += c->none;
	sum->present += c->present;
	sum->waiting += c->waiting;
}

/* A line of totals: name, then the counts of sum under their columns. */
static void
reports_total(struct buf *out, const char *name, const struct rsvp_counts *sum)
{
	const int v[7] = { sum->invited, sum->delivered, sum->yes, sum->no, sum->none,
		sum->present, sum->waiting };
	const char *f[REPORTS_COLS] = { name, "", "", "", "" };
	char n[7][12];
	size_t i;

	for (i = 0; i < 7; i++) {
		reports_int(n[i], sizeof(n[i]), v[i]);
		f[5 + i] = n[i];
	}
	f[12] = "";
	reports_row(out, f, REPORTS_COLS);
}

/*
 * One line per session of e in [from, to); adds those that take place to
 * sum[0] when they started before now, else to sum[1].
 */
static int
reports_event(struct db *db, const struct event *e, int64_t from, int64_t to, int64_t now,
    struct rsvp_counts sum[2], struct buf *out)
{
	struct event_occ *occ = calloc(REPORTS_OCCS_MAX, sizeof(*occ));
	struct rsvp_counts c;
	char date[16], hour[8], n[8][12];
	const char *f[REPORTS_COLS];
	struct tm tm;
	time_t t;
	int nocc, i, j;

	if (occ == NULL)
		fatal("reports: out of memory");
	nocc = events_occurrences(db, e, from, to, occ, REPORTS_OCCS_MAX);
	for (i = 0; i < nocc; i++) {
		if (rsvp_counts(db, e->id, occ[i].key, &c) < 0) {
			free(occ);
			return -1;
		}
		t = (time_t)occ[i].starts_at;
		localtime_r(&t, &tm);
		strftime(date, sizeof(date), "%d/%m/%Y", &tm);
		strftime(hour, sizeof(hour), "%H:%M", &tm);
		reports_int(n[0], sizeof(n[0]), c.invited);
		reports_int(n[1], sizeof(n[1]), c.delivered);
		reports_int(n[2], sizeof(n[2]), c.yes);
		reports_int(n[3], sizeof(n[3]), c.no);
		reports_int(n[4], sizeof(n[4]), c.none);
		reports_int(n[5], sizeof(n[5]), c.present);
		reports_int(n[6], sizeof(n[6]), c.waiting);
		n[7][0] = '\0';
		if (e->capacity > 0)
			reports_int(n[7], sizeof(n[7]), e->capacity - c.yes - c.offered > 0 ?
			    e->capacity - c.yes - c.offered : 0);
		f[0] = e->title;
		f[1] = e->place;
		f[2] = date;
		f[3] = hour;
		f[4] = occ[i].cancelled ? "annulée" : occ[i].moved ? "déplacée" : "prévue";
		for (j = 0; j < 8; j++)
			f[5 + j] = n[j];
		reports_row(out, f, REPORTS_COLS);
		if (!occ[i].cancelled)
			reports_add(&sum[occ[i].starts_at >= now], &c);
	}
	free(occ);
	return nocc < 0 ? -1 : 0;
}

/* Different people marked present in the sessions of [from, to). */
static int
reports_people(struct db *db, int64_t event_id, int64_t owner_id, int64_t from, int64_t to)
{
	DB_SQL(sql, "SELECT count(DISTINCT r.contact_id) FROM rsvps r "
	    "JOIN events e ON e.id = r.event_id WHERE r.present = 1 AND "
	    "(?1 = 0 OR e.id = ?1) AND (?2 = 0 OR e.owner_id = ?2) AND "
	    "r.occurrence >= ?3 AND r.occurrence < ?4");
	sqlite3_stmt *st = db_stmt(db, sql);
	int n = -1;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, owner_id);
	sqlite3_bind_int64(st, 3, recur_key(from));
	sqlite3_bind_int64(st, 4, recur_key(to));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

int
reports_sessions_csv(struct db *db, int64_t event_id, int64_t owner_id, int64_t from,
    int64_t to, int64_t now, struct buf *out)
{
	static const char *const header[] = { "Atelier", "Lieu", "Date", "Heure", "Séance",
		"Invités", "SMS remis", "Oui", "Non", "Sans réponse", "Présents", "En attente",
		"Places restantes" };
	DB_SQL(sql, "SELECT id FROM events WHERE (?1 = 0 OR id = ?1) AND "
	    "(?2 = 0 OR owner_id = ?2) ORDER BY title COLLATE NOCASE, id");
	struct rsvp_counts sum[2] = { { 0 }, { 0 } }, all;
	sqlite3_stmt *st = db_stmt(db, sql);
	struct error err;
	struct event e;
	char n[12];
	const char *f[REPORTS_COLS];
	int64_t *ids;
	size_t nids, i;
	int rc = 0, people;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, owner_id);
	ids = db_collect_ids(st, &nids);
	buf_puts(out, "\xef\xbb\xbf");
	reports_row(out, header, REPORTS_COLS);
	for (i = 0; rc == 0 && i < nids; i++) {
		if (events_load(db, ids[i], &e, &err) < 0)
			rc = -1;
		else
			rc = reports_event(db, &e, from, to, now, sum, out);
		event_clear(&e);
	}
	free(ids);
	if (rc < 0 || (people = reports_people(db, event_id, owner_id, from, to)) < 0)
		return -1;
	all = sum[0];
	reports_add(&all, &sum[1]);
	reports_total(out, "Séances passées", &sum[0]);
	reports_total(out, "Séances à venir", &sum[1]);
	reports_total(out, "Total", &all);
	reports_int(n, sizeof(n), people);
	f[0] = "Personnes différentes présentes";
	for (i = 1; i < REPORTS_COLS; i++)
		f[i] = i == 10 ? n : "";
	reports_row(out, f, REPORTS_COLS);
	return 0;
}

/* One session of the coming days, to sort by start. */
struct reports_coming {
	int64_t starts_at;
	json_t *j;
};

static int
reports_coming_cmp(const void *a, const void *b)
{
	const struct reports_coming *x = a, *y = b;

	return (x->starts_at > y->starts_at) - (x->starts_at < y->starts_at);
}

/* Appends the sessions of e in [from, to) that take place to *list.  0 or -1. */
static int
reports_coming_event(struct db *db, const struct event *e, int64_t from, int64_t to,
    struct reports_coming **list, size_t *n)
{
	struct event_occ occ[REPORTS_COMING_OCCS];
	struct reports_coming *grown;
	struct rsvp_counts c;
	int nocc, i;

	if ((nocc = events_occurrences(db, e, from, to, occ, REPORTS_COMING_OCCS)) < 0)
		return -1;
	for (i = 0; i < nocc; i++) {
		if (occ[i].cancelled)
			continue;
		if (rsvp_counts(db, e->id, occ[i].key, &c) < 0)
			return -1;
		if ((grown = realloc(*list, (*n + 1) * sizeof(**list))) == NULL)
			fatal("reports: out of memory");
		*list = grown;
		grown[*n].starts_at = occ[i].starts_at;
		grown[*n].j = json_pack("{s:I, s:s, s:o, s:o, s:i, s:i, s:i, s:i, s:i}",
		    "event_id", (json_int_t)e->id, "title", e->title,
		    "session", event_occ_to_json(&occ[i]),
		    "capacity", e->capacity > 0 ? json_integer(e->capacity) : json_null(),
		    "invited", c.invited, "yes", c.yes, "no", c.no, "none", c.none,
		    "waiting", c.waiting);
		(*n)++;
	}
	return 0;
}

json_t *
reports_coming_json(struct db *db, int64_t owner_id, int64_t from, int64_t to)
{
	DB_SQL(sql, "SELECT id FROM events WHERE cancelled_at IS NULL AND "
	    "(?1 = 0 OR owner_id = ?1) ORDER BY id");
	sqlite3_stmt *st = db_stmt(db, sql);
	struct reports_coming *list = NULL;
	struct error err;
	struct event e;
	json_t *out;
	int64_t *ids;
	size_t nids, n = 0, i;
	int rc = 0;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, owner_id);
	if ((ids = db_collect_ids(st, &nids)) == NULL)
		return NULL;
	for (i = 0; rc == 0 && i < nids; i++) {
		if (events_load(db, ids[i], &e, &err) < 0)
			rc = -1;
		else
			rc = reports_coming_event(db, &e, from, to, &list, &n);
		event_clear(&e);
	}
	free(ids);
	if (n)
		qsort(list, n, sizeof(*list), reports_coming_cmp);
	out = rc == 0 ? json_array() : NULL;
	for (i = 0; i < n; i++) {
		if (out)
			json_array_append(out, list[i].j);
		json_decref(list[i].j);
	}
	free(list);
	return out;
}
