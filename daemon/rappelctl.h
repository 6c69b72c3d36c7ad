/*
 * rappelctl — what the command's two files share: rappelctl.c (the
 * commands on the database) and rappelctl_setup.c (the first-run
 * assistant).  Not a library: only these two include it.
 */
#ifndef RAPPEL_RAPPELCTL_H
#define RAPPEL_RAPPELCTL_H

#include <stdint.h>
#include <stdio.h>

#include "db.h"

/* The usage text, on out. */
void ctl_usage(FILE *out);

/* "rappelctl: " and the message on standard error; returns 1 (the exit status). */
int ctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A command's change is one transaction with its audit entry: ctl_begin()
 * opens it; ctl_commit() records the entry and commits, and
 * ctl_rollback() gives up.  Each returns 0, or 1 with "WHAT: ...; nothing
 * changed" on standard error.
 */
int ctl_begin(struct db *db, const char *what);
int ctl_commit(struct db *db, const char *what, int64_t now, const char *action,
    const char *entity, int64_t entity_id);
int ctl_rollback(struct db *db, const char *what, const char *reason);

/* A new password, typed twice (terminal, or two lines of standard input); 0 or 1. */
int ctl_new_password(char *pw, size_t size);

/* Reads one line (without its newline); prompts without echo on a tty.  0, or -1 when empty. */
int ctl_read_password(const char *prompt, char *out, size_t size);

/*
 * Run as root, becomes the owner of the database's directory first;
 * 0, or -1 with a reason in err.
 */
int ctl_drop_root(const char *db_path, char *err, size_t errlen);

/* The clock. */
int64_t ctl_now(void);

/* setup [--devices DIR] (argv[0] is "setup"): the exit status. */
int ctl_setup(const char *path, int argc, char **argv);

#endif
