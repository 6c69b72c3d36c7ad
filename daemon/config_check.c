/*
 * config_check — what a configuration names on this machine (see
 * config_check_paths() in config.h): the part of the configuration module
 * that looks at the file system, apart from the parser in config.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "FILE:LINE" of a key, or "FILE" for a key the file does not set (line 0). */
static void
config_check_where(const struct config *cfg, int line, char *out, size_t size)
{
	if (line > 0)
		snprintf(out, size, "%s:%d", cfg->path, line);
	else
		snprintf(out, size, "%s", cfg->path);
}

/*
 * 0 when path is a regular file this process can open for reading; else
 * an errno value, or -1 for something else than a file.
 */
static int
config_check_readable(const char *path)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), e = 0;

	if (fd < 0)
		return errno;
	if (fstat(fd, &sb) < 0)
		e = errno;
	else if (!S_ISREG(sb.st_mode))
		e = -1;
	close(fd);
	return e;
}

int
config_check_paths(const struct config *cfg, char *err, size_t errlen)
{
	const char *names[2] = { "tls_cert", "tls_key" };
	const char *files[2] = { cfg->tls_cert, cfg->tls_key };
	const int lines[2] = { cfg->tls_cert_line, cfg->tls_key_line };
	char copy[PATH_MAX], where[PATH_MAX + 16];
	const char *dir;
	struct stat sb;
	int i, e;

	snprintf(copy, sizeof(copy), "%s", cfg->db_path);
	dir = dirname(copy);
	config_check_where(cfg, cfg->db_path_line, where, sizeof(where));
	if (stat(dir, &sb) < 0) {
		snprintf(err, errlen, "%s: [database] path: directory %s: %s", where, dir,
		    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "%s: [database] path: %s is not a directory", where, dir);
		return -1;
	}
	for (i = 0; i < 2; i++) {
		if (files[i] == NULL || (e = config_check_readable(files[i])) == 0)
			continue;
		config_check_where(cfg, lines[i], where, sizeof(where));
		snprintf(err, errlen, "%s: [http] %s: cannot read %s: %s", where, names[i],
		    files[i], e < 0 ? "not a file" : strerror(e));
		return -1;
	}
	return 0;
}

