/*
 * log — the simulator's event log: one JSON object per line, appended
 * to a file that tests read while the simulator runs.  Every object has
 * "event" and "t" (Unix time in seconds, with milliseconds).
 *
 * Not thread-safe by itself: callers hold the simulator's lock.
 */
#ifndef MSIM_LOG_H
#define MSIM_LOG_H

#include <jansson.h>

struct msim_log;

/*
 * Opens path for appending (created 0644 when missing).  Returns NULL
 * with errno set on failure.  path may be NULL: then a log that writes
 * nothing is returned, never NULL.  Free with msim_log_close().
 */
struct msim_log *msim_log_open(const char *path);

/*
 * Adds "event" and "t" to obj and writes it as one line.  Takes the
 * reference to obj (it is freed here, even on error); obj may be NULL.
 */
void msim_log_event(struct msim_log *log, const char *event, json_t *obj);

/* Closes the file; log may be NULL. */
void msim_log_close(struct msim_log *log);

#endif
