/*
 * http_jobs — the threads that run the HTTP handlers.  Private to http.c.
 *
 * libmicrohttpd reads and writes every connection with a few threads of
 * its own (http.c, HTTP_WORKERS), each watching many sockets; a handler
 * that waited there (a CSV import of 120,000 lines, an export, a write
 * waiting for that import's COMMIT, a login's argon2id) would hold up
 * every other connection of its thread.  So once a request's body has
 * arrived, http.c suspends its connection and pushes it to a set of
 * these threads; one of them runs its handler, queues its answer (which
 * libmicrohttpd allows for a suspended connection, from any thread) and
 * resumes it.  Jobs are taken in the order they came.
 *
 * A fixed, small number of threads, started with the server: what fifty
 * clients cost is a few stacks and arenas, not one thread each.  http.c
 * has two sets, one for reads and one for writes, so that writes waiting
 * for another's transaction (SQLite has one writer at a time) hold up no
 * read.
 */
#ifndef RAPPEL_HTTP_JOBS_H
#define RAPPEL_HTTP_JOBS_H

#include <stdbool.h>

struct http_job {
	struct http_job *next;		/* in the queue */
	void (*run)(struct http_job *job);	/* on a job thread */
};

struct http_jobs;

/* Starts n threads; NULL with errno when one cannot be started. */
struct http_jobs *http_jobs_start(unsigned n);
/*
 * Queues job, to be run once on a job thread.  false when the jobs are
 * stopping: the caller runs it itself.
 */
bool http_jobs_push(struct http_jobs *jobs, struct http_job *job);
/* Runs what was queued, then stops and frees the threads.  NULL: nothing. */
void http_jobs_stop(struct http_jobs *jobs);

#endif
