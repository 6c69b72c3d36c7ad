/*
 * log — JSON-lines event log.  See log.h.
 *
 * Each line is written with a single write(2) on an O_APPEND descriptor,
 * so a reader never sees half a line even while the simulator writes.
 */
#include "log.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct msim_log {
	int	fd;	/* -1 for the null log */
};

struct msim_log *
msim_log_open(const char *path)
{
	struct msim_log *log;

	if ((log = calloc(1, sizeof(*log))) == NULL)
		return NULL;
	log->fd = -1;
	if (path == NULL)
		return log;
	log->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (log->fd == -1) {
		free(log);
		return NULL;
	}
	return log;
}

void
msim_log_event(struct msim_log *log, const char *event, json_t *obj)
{
	struct timespec ts;
	json_t *out;
	char *line;
	size_t len;

	if (obj == NULL)
		obj = json_object();
	if (log == NULL || log->fd == -1 || obj == NULL) {
		json_decref(obj);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	out = json_pack("{s:s, s:f}", "event", event,
	    "t", (double)ts.tv_sec + ts.tv_nsec / 1e9);
	if (out != NULL)
		json_object_update(out, obj);	/* "event" stays first */
	json_decref(obj);
	if (out == NULL)
		return;
	line = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	if (line == NULL)
		return;
	len = strlen(line);
	line[len] = '\n';		/* replaces the NUL; write len + 1 */
	if (write(log->fd, line, len + 1) != (ssize_t)(len + 1))
		fprintf(stderr, "modemsim: log write failed\n");
	free(line);
}

void
msim_log_close(struct msim_log *log)
{
	if (log == NULL)
		return;
	if (log->fd != -1)
		close(log->fd);
	free(log);
}
