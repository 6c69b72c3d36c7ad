/*
 * http_jobs — the threads that run the HTTP handlers.  See http_jobs.h.
 */
#include "http_jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "log.h"

struct http_jobs {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct http_job *head, *tail;
	bool stopping;
	unsigned nthreads;
	pthread_t threads[];
};

static void *
http_jobs_main(void *arg)
{
	struct http_jobs *jobs = arg;
	struct http_job *job;

	pthread_mutex_lock(&jobs->lock);
	for (;;) {
		while (jobs->head == NULL && !jobs->stopping)
			pthread_cond_wait(&jobs->wake, &jobs->lock);
		if ((job = jobs->head) == NULL)
			break;		/* stopping, and nothing left */
		if ((jobs->head = job->next) == NULL)
			jobs->tail = NULL;
		pthread_mutex_unlock(&jobs->lock);
		job->next = NULL;
		job->run(job);	/* job may be freed by the time it returns */
		pthread_mutex_lock(&jobs->lock);
	}
	pthread_mutex_unlock(&jobs->lock);
	return NULL;
}

struct http_jobs *
http_jobs_start(unsigned n)
{
	struct http_jobs *jobs = calloc(1, sizeof(*jobs) + n * sizeof(pthread_t));
	int rc;

	if (jobs == NULL)
		fatal("http: out of memory");
	pthread_mutex_init(&jobs->lock, NULL);
	pthread_cond_init(&jobs->wake, NULL);
	for (; jobs->nthreads < n; jobs->nthreads++) {
		if ((rc = pthread_create(&jobs->threads[jobs->nthreads], NULL, http_jobs_main,
		    jobs)) != 0) {
			http_jobs_stop(jobs);
			errno = rc;
			return NULL;
		}
	}
	return jobs;
}

bool
http_jobs_push(struct http_jobs *jobs, struct http_job *job)
{
	bool queued;

	job->next = NULL;
	pthread_mutex_lock(&jobs->lock);
	if ((queued = !jobs->stopping)) {
		if (jobs->tail)
			jobs->tail->next = job;
		else
			jobs->head = job;
		jobs->tail = job;
		pthread_cond_signal(&jobs->wake);
	}
	pthread_mutex_unlock(&jobs->lock);
	return queued;
}

void
http_jobs_stop(struct http_jobs *jobs)
{
	unsigned i;

	if (jobs == NULL)
		return;
	pthread_mutex_lock(&jobs->lock);
	jobs->stopping = true;
	pthread_cond_broadcast(&jobs->wake);
	pthread_mutex_unlock(&jobs->lock);
	for (i = 0; i < jobs->nthreads; i++)
		pthread_join(jobs->threads[i], NULL);
	pthread_cond_destroy(&jobs->wake);
	pthread_mutex_destroy(&jobs->lock);
	free(jobs);
}
