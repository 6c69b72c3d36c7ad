/*
 * persona — the personalities of the simulator (persona.h).  The lines
 * and behaviours come from the modems' AT manuals, ModemManager's
 * huawei, simtech and quectel plugins, and libgammu's own list of the
 * unsolicited lines it skips (docs/modem.md, "Personalities", gives
 * the sources).
 */
#include "persona.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Huawei's lines, as libgammu's AT protocol and ModemManager's huawei
 * plugin list them; true: a periodic report, off after AT^CURC=0.
 */
static const struct msim_boot_line msim_huawei_chatter[] = {
	{ "^RSSI:18", false },
	{ "^BOOT:27710117,0,0,0,75", true },
	{ "^RSSI:17", false },
	{ "^MODE:5,4", false },
	{ "^RSSI:18", false },
	{ "^DSFLOWRPT:00000124,00000082,00000EA6,0000000000012325,000000000022771D,"
	    "0000BB80,0001F400", true },
	{ NULL, false },
};

/* SIM800 after power-up (SIM800 Series AT Command Manual, "unsolicited"). */
static const struct msim_boot_line msim_simcom_boot[] = {
	{ "RDY", false },
	{ "+CFUN: 1", false },
	{ "+CPIN", false },
	{ "Call Ready", true },
	{ "SMS Ready", true },
	{ NULL, false },
};

/* EC25 after power-up (Quectel EC2x AT Commands Manual, +QIND). */
static const struct msim_boot_line msim_quectel_boot[] = {
	{ "RDY", false },
	{ "+CFUN: 1", false },
	{ "+CPIN", false },
	{ "+QIND: SMS DONE", true },
	{ "+QIND: PB DONE", true },
	{ NULL, false },
};

static const struct msim_persona msim_personas[] = {
	{ .name = "generic" },
	{
		.name = "huawei", .manufacturer = "huawei", .model = "E3131",
		.revision = "21.158.00.00.143",
		.me_memory = true, .receive_in_me = true, .index_from_0 = true,
		.huawei_cmds = true,
		.chatter = msim_huawei_chatter, .chatter_ms = 1000,
		.ports = true,
	},
	{
		.name = "simcom", .manufacturer = "SIMCOM_Ltd", .model = "SIMCOM_SIM800L",
		.revision = "1418B05SIM800L24",
		.me_memory = true, .cmgl_quoted_alpha = true,
		.boot = msim_simcom_boot, .boot_ms = 600,
	},
	{
		.name = "quectel", .manufacturer = "Quectel", .model = "EC25",
		.revision = "EC25EFAR06A06M4G",
		.me_memory = true,
		.cnmi_test = "+CNMI: (0-2),(0-3),(0,2),(0,1),(0,1)",
		.boot = msim_quectel_boot, .boot_ms = 600,
	},
	{
		.name = "slow2g",
		.send_min_ms = 3000, .send_max_ms = 6000, .cms_every = 5,
	},
};

#define MSIM_NPERSONAS (sizeof(msim_personas) / sizeof(msim_personas[0]))

const struct msim_persona *
msim_persona_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return &msim_personas[0];
	for (i = 0; i < MSIM_NPERSONAS; i++)
		if (strcmp(name, msim_personas[i].name) == 0)
			return &msim_personas[i];
	return NULL;
}

const char *
msim_persona_names(void)
{
	return "generic, huawei, simcom, quectel, slow2g";
}

void
msim_persona_config(const struct msim_persona *p, struct msim_at_config *cfg)
{
	cfg->manufacturer = p->manufacturer;
	cfg->model = p->model;
	cfg->revision = p->revision;
	cfg->me_memory = p->me_memory;
	cfg->receive_in_me = p->receive_in_me;
	cfg->cmgl_quoted_alpha = p->cmgl_quoted_alpha;
	cfg->cnmi_test = p->cnmi_test;
	cfg->index_from_0 = p->index_from_0;
	cfg->huawei_cmds = p->huawei_cmds;
}

/* link_path with suffix, or a copy of given. */
static char *
msim_persona_link(const char *given, const char *link_path, const char *suffix)
{
	char *s;

	if (given != NULL)
		return strdup(given);
	if ((s = malloc(strlen(link_path) + strlen(suffix) + 1)) != NULL)
		sprintf(s, "%s%s", link_path, suffix);
	return s;
}

int
msim_persona_init(struct msim_persona_run *r, const struct msim_persona *p,
    const char *link_path, const char *diag_link, const char *pcui_link)
{
	memset(r, 0, sizeof(*r));
	r->p = p;
	r->rnd = 1;
	msim_pty_init(&r->port[0]);
	msim_pty_init(&r->port[1]);
	if (!p->ports)
		return 0;
	r->link[0] = msim_persona_link(diag_link, link_path, "-diag");
	r->link[1] = msim_persona_link(pcui_link, link_path, "-pcui");
	if (r->link[0] == NULL || r->link[1] == NULL) {
		msim_persona_free(r);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void
msim_persona_free(struct msim_persona_run *r)
{
	msim_persona_ports_close(r);
	free(r->link[0]);
	free(r->link[1]);
	r->link[0] = r->link[1] = NULL;
}

void
msim_persona_power_on(struct msim_persona_run *r, long long now_ms)
{
	r->boot_step = 0;
	r->cpin_locked = false;
	r->next_boot = r->p->boot != NULL ? now_ms + r->p->boot_ms : 0;
	r->next_chatter = r->p->chatter != NULL ? now_ms + r->p->chatter_ms : 0;
}

/* Reads and forgets what a client wrote to an extra port: it never answers. */
static void
msim_persona_drain(struct msim_pty *port)
{
	char buf[256];

	while (port->open && read(port->master, buf, sizeof(buf)) > 0)
		;
}

/* The next boot line, if it may be said now; NULL when it must wait. */
static const char *
msim_persona_boot_line(struct msim_persona_run *r, const struct msim_at *at,
    char *tmp, size_t size)
{
	const struct msim_boot_line *b = &r->p->boot[r->boot_step];

	if (r->cpin_locked && at->pin_ok) {
		r->cpin_locked = false;		/* the PIN went in: the SIM is ready */
		return "+CPIN: READY";
	}
	if (b->after_pin && !at->pin_ok)
		return NULL;
	r->boot_step++;
	if (strcmp(b->text, "+CPIN") != 0)
		return b->text;
	r->cpin_locked = !at->pin_ok;
	snprintf(tmp, size, "+CPIN: %s", at->pin_ok ? "READY" :
	    at->pin_tries > 0 ? "SIM PIN" : "SIM PUK");
	return tmp;
}

/* Says the due boot line; the milliseconds until the next, or -1. */
static int
msim_persona_boot(struct msim_persona_run *r, struct msim_at *at, long long now_ms)
{
	const char *line;
	char tmp[32];

	if (r->next_boot == 0)
		return -1;
	if (now_ms < r->next_boot)
		return (int)(r->next_boot - now_ms);
	if ((line = msim_persona_boot_line(r, at, tmp, sizeof(tmp))) != NULL)
		msim_buf_printf(&at->urc, "\r\n%s\r\n", line);
	if (r->p->boot[r->boot_step].text == NULL && !r->cpin_locked) {
		r->next_boot = 0;
		return -1;
	}
	r->next_boot = now_ms + r->p->boot_ms;
	return r->p->boot_ms;
}

/* Says the due chatter line, on the modem's port and the PCUI port. */
static int
msim_persona_chatter(struct msim_persona_run *r, struct msim_at *at, long long now_ms)
{
	const struct msim_boot_line *line;
	char out[160];
	int n;

	if (r->next_chatter == 0)
		return -1;
	if (now_ms < r->next_chatter)
		return (int)(r->next_chatter - now_ms);
	line = &r->p->chatter[r->chatter_step++];
	if (r->p->chatter[r->chatter_step].text == NULL)
		r->chatter_step = 0;
	n = snprintf(out, sizeof(out), "\r\n%s\r\n", line->text);
	if (at->curc || !line->after_pin)
		msim_buf_add(&at->urc, out, (size_t)n);
	if (r->port[1].open && write(r->port[1].master, out, (size_t)n) < 0 &&
	    errno != EAGAIN)	/* EAGAIN: nobody reads it, the line is lost */
		fprintf(stderr, "modemsim: %s: %s\n", r->link[1], strerror(errno));
	r->next_chatter = now_ms + r->p->chatter_ms;
	return r->p->chatter_ms;
}

int
msim_persona_tick(struct msim_persona_run *r, struct msim_at *at, long long now_ms)
{
	int a, b;

	msim_persona_drain(&r->port[0]);
	msim_persona_drain(&r->port[1]);
	a = msim_persona_boot(r, at, now_ms);
	b = msim_persona_chatter(r, at, now_ms);
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

int
msim_persona_send_ms(struct msim_persona_run *r, int configured_ms)
{
	int span = r->p->send_max_ms - r->p->send_min_ms;

	if (r->p->send_max_ms <= 0)
		return configured_ms;
	r->rnd = r->rnd * 1103515245u + 12345u;
	return r->p->send_min_ms + (int)((r->rnd >> 16) % (unsigned)(span + 1));
}

int
msim_persona_ports_open(struct msim_persona_run *r)
{
	int i;

	for (i = 0; i < 2 && r->link[i] != NULL; i++)
		if (!r->port[i].open && msim_pty_open(&r->port[i], r->link[i]) == -1) {
			msim_persona_ports_close(r);
			return -1;
		}
	return 0;
}

void
msim_persona_ports_close(struct msim_persona_run *r)
{
	int i;

	for (i = 0; i < 2; i++)
		if (r->link[i] != NULL)
			msim_pty_close(&r->port[i], r->link[i]);
}
