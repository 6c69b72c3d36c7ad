/*
 * daily — the jobs that run once a day at [backup] time (02:30 by
 * default), and once at start: the retention period applied (RGPD,
 * retention.h), then the nightly copy of the database into [backup] dir
 * with its rotation (backup.h).
 *
 * There is no thread of its own: main.c's loop, which wakes at least
 * every 30 s, calls daily_run() when the time returned by the previous
 * call has come.  A copy missed because the box was off at that time is
 * made at the next start (a day's copy is made once).
 */
#ifndef RAPPEL_DAILY_H
#define RAPPEL_DAILY_H

#include <stdint.h>

#include "config.h"
#include "db.h"

/* The first time after now at minutes_of_day local time (the next day's if passed). */
int64_t daily_next(int64_t now, int minutes_of_day);

/*
 * Runs the jobs at now on db (each logs its own failure and does not stop
 * the other) and returns when to run them next.
 */
int64_t daily_run(struct db *db, const struct config *cfg, int64_t now);

#endif
