/*
 * reports — the figures centres give their funders: per atelier session,
 * how many were invited, reached, said yes or no, and came; and how many
 * different people came over a period.  CSV as Excel opens it (UTF-8 with
 * BOM, ';').  And, for the dashboard, the sessions of the coming days with
 * how many are still without an answer.
 */
#ifndef RAPPEL_REPORTS_H
#define RAPPEL_REPORTS_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "db.h"

/*
 * Appends the sessions starting in [from, to) of atelier event_id (0:
 * every atelier, only those of owner_id when not 0), one line each
 * (Atelier;Lieu;Date;Heure;Séance;Invités;SMS remis;Oui;Non;Sans
 * réponse;Présents;En attente;Places restantes — Oui counts those with
 * a place, En attente those on the waiting list, Places restantes is
 * empty without a capacity), then the totals of the sessions that took
 * place (not cancelled) before now (« Séances passées »), of those from
 * now on (« Séances à venir ») and of both (« Total »), and the number of
 * different people marked present.  0 or -1.
 */
int reports_sessions_csv(struct db *db, int64_t event_id, int64_t owner_id, int64_t from,
    int64_t to, int64_t now, struct buf *out);

/*
 * The sessions that take place in [from, to) (of owner_id's ateliers when
 * not 0), by start: [{event_id, title, session, capacity, invited, yes,
 * no, none, waiting}] — none: still without an answer.  NULL on error.
 */
json_t *reports_coming_json(struct db *db, int64_t owner_id, int64_t from, int64_t to);

#endif
