/*
 * modemstatus — what each modem worker last said of itself, in the table
 * modem_status: its state, signal, operator, last error and count of
 * parts sent.  Written by the workers (modem.c), read by GET /status,
 * /metrics, systemd's STATUS= line, rappelctl status and setup.  The only
 * module with SQL on modem_status.
 */
#ifndef RAPPEL_MODEMSTATUS_H
#define RAPPEL_MODEMSTATUS_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct modemstatus {
	char name[64];		/* config section: "modem", "modem.2" */
	char device[256];
	char state[24];		/* connecting, ready, no_network, pin_refused ... */
	int signal;		/* percent, -1 when unknown */
	char operator[64];	/* "" when unknown */
	char last_error[256];	/* "" when none */
	long long sent_total;
	int64_t updated_at;
};

/* Writes s as its modem's row (insert or replace); 0 or -1 (logged). */
int modemstatus_write(struct db *db, const struct modemstatus *s);

/*
 * Every modem's row, by name, into a malloc'd array (*n of them; NULL
 * when none) that the caller frees.  0, or -1 on a database error.
 */
int modemstatus_read(struct db *db, struct modemstatus **out, size_t *n);

/* The row of modem name into *s: 1, 0 when there is none, -1 on error. */
int modemstatus_get(struct db *db, const char *name, struct modemstatus *s);

#endif
