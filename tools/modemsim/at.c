/*
 * at — AT command interpreter: input, dispatch, identification, SIM
 * security and network commands.  SMS commands are in at_sms.c.  See
 * at.h.
 *
 * The commands answered, and how (a real modem of the SIM800 / Huawei
 * kind gives the same):
 *
 *	AT ATZ AT&F ATV1 ATQ0	OK
 *	ATE0 ATE1		echo off / on (on at power-up)
 *	ATI			manufacturer, model, revision
 *	+CGMI +CGMM +CGMR +CGSN	identification (also without the C)
 *	+CIMI			IMSI; +CME ERROR: 11 before the PIN
 *	+CMEE=<n>		error reports: 0 ERROR, 1 numeric, 2 text
 *	+CPIN? +CPIN=<pin>	READY / SIM PIN / SIM PUK; 3 tries
 *	+CSQ			<rssi>,99; 99,99 unregistered
 *	+CREG +CGREG		registration, <n> 0-2 with LAC and CI
 *	+COPS			operator, format 0/1/2; none unregistered
 *	+CFUN +CGATT +CBC +CCLK	plausible constants
 *	+CSCS			GSM, IRA, UCS2, HEX (strings follow it)
 *	ATH +CLIP +CRC +CCWA	incoming voice calls (at_call.c)
 *	+CHUP +CLCC
 *	^CURC=<n> ^PORTSEL=<n>	Huawei's (persona.h): periodic reports off / on
 *	anything else		ERROR, as real modems do
 */
#include "at.h"
#include "gsm7.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Characters that end input. */
#define MSIM_AT_CR	0x0D
#define MSIM_AT_LF	0x0A
#define MSIM_AT_BS	0x08
#define MSIM_AT_CTRLZ	0x1A
#define MSIM_AT_ESC	0x1B

/* Default facts of the simulated modem. */
#define MSIM_AT_DEF_MANUFACTURER "Rappel"
#define MSIM_AT_DEF_MODEL	"ModemSim"
#define MSIM_AT_DEF_REVISION	"modemsim 1.0"
#define MSIM_AT_DEF_IMEI	"353270040000017"
#define MSIM_AT_DEF_IMSI	"208011234567890"
#define MSIM_AT_DEF_OP_NAME	"Orange F"
#define MSIM_AT_DEF_OP_CODE	"20801"
#define MSIM_AT_DEF_SMSC	"+33689004000"
#define MSIM_AT_DEF_PUK		"12345678"
#define MSIM_AT_DEF_SIGNAL	20
#define MSIM_AT_DEF_SLOTS	30

/* PIN attempts before the SIM wants the PUK. */
#define MSIM_AT_PIN_TRIES 3

/* Location area and cell reported by +CREG=2. */
#define MSIM_AT_LAC "1A2B"
#define MSIM_AT_CI  "00C3D4E5"

/* +CME ERROR codes (TS 27.007 §9.2). */
#define MSIM_CME_NOT_ALLOWED	3
#define MSIM_CME_NOT_SUPPORTED	4
#define MSIM_CME_SIM_PIN	11
#define MSIM_CME_SIM_PUK	12
#define MSIM_CME_BAD_PASSWORD	16
#define MSIM_CME_INVALID_CHARS	25
#define MSIM_CME_NO_NETWORK	30
#define MSIM_CME_UNKNOWN	100

static const struct {
	int		 code;
	const char	*text;
} msim_at_error_texts[] = {
	{ MSIM_CME_NOT_ALLOWED, "operation not allowed" },
	{ MSIM_CME_NOT_SUPPORTED, "operation not supported" },
	{ MSIM_CME_SIM_PIN, "SIM PIN required" },
	{ MSIM_CME_SIM_PUK, "SIM PUK required" },
	{ MSIM_CME_BAD_PASSWORD, "incorrect password" },
	{ MSIM_CME_INVALID_CHARS, "invalid characters in text string" },
	{ MSIM_CME_NO_NETWORK, "no network service" },
	{ MSIM_CME_UNKNOWN, "unknown" },
};

static char *
msim_at_strdup(const char *s, const char *def)
{
	return strdup(s != NULL ? s : def);
}

/* Power-up settings, also restored by ATZ. */
static void
msim_at_defaults(struct msim_at *at)
{
	at->echo = true;
	at->cmee = 0;
	snprintf(at->cscs, sizeof(at->cscs), "GSM");
	at->creg_n = 0;
	at->cgreg_n = 0;
	at->cops_format = 0;
	memset(at->cnmi, 0, sizeof(at->cnmi));
	at->clip = false;
	at->crc = false;
	at->mem[0] = at->mem[1] = MSIM_MEM_SM;
	at->mem[2] = at->receive_in_me ? MSIM_MEM_ME : MSIM_MEM_SM;
	at->curc = true;
}

static int
msim_at_copy_config(struct msim_at *at, const struct msim_at_config *c)
{
	at->pin = c->pin != NULL ? strdup(c->pin) : NULL;
	at->puk = msim_at_strdup(c->puk, MSIM_AT_DEF_PUK);
	at->manufacturer = msim_at_strdup(c->manufacturer, MSIM_AT_DEF_MANUFACTURER);
	at->model = msim_at_strdup(c->model, MSIM_AT_DEF_MODEL);
	at->revision = msim_at_strdup(c->revision, MSIM_AT_DEF_REVISION);
	at->imei = msim_at_strdup(c->imei, MSIM_AT_DEF_IMEI);
	at->imsi = msim_at_strdup(c->imsi, MSIM_AT_DEF_IMSI);
	at->op_name = msim_at_strdup(c->operator_name, MSIM_AT_DEF_OP_NAME);
	at->op_code = msim_at_strdup(c->operator_code, MSIM_AT_DEF_OP_CODE);
	snprintf(at->smsc, sizeof(at->smsc), "%s", c->smsc ? c->smsc : MSIM_AT_DEF_SMSC);
	at->signal = c->signal > 0 && c->signal <= 31 ? c->signal : MSIM_AT_DEF_SIGNAL;
	at->nslots = c->slots > 0 ? c->slots : MSIM_AT_DEF_SLOTS;
	at->receive_in_me = c->me_memory && c->receive_in_me;
	at->cmgl_quoted_alpha = c->cmgl_quoted_alpha;
	at->index_base = c->index_from_0 ? 0 : 1;
	at->huawei_cmds = c->huawei_cmds;
	at->cnmi_test = c->cnmi_test != NULL ? strdup(c->cnmi_test) : NULL;
	if ((c->pin != NULL && at->pin == NULL) || at->puk == NULL ||
	    (c->cnmi_test != NULL && at->cnmi_test == NULL) ||
	    at->manufacturer == NULL || at->model == NULL || at->revision == NULL ||
	    at->imei == NULL || at->imsi == NULL || at->op_name == NULL ||
	    at->op_code == NULL)
		return -1;
	return 0;
}

struct msim_at *
msim_at_new(const struct msim_at_config *cfg, struct msim_log *log)
{
	static const struct msim_at_config none;
	struct msim_at *at;

	if ((at = calloc(1, sizeof(*at))) == NULL)
		return NULL;
	cfg = cfg != NULL ? cfg : &none;
	if (msim_at_copy_config(at, cfg) == -1)
		goto fail;
	if ((at->slots[MSIM_MEM_SM] = calloc((size_t)at->nslots, sizeof(struct msim_slot))) ==
	    NULL || (cfg->me_memory && (at->slots[MSIM_MEM_ME] =
	    calloc((size_t)at->nslots, sizeof(struct msim_slot))) == NULL))
		goto fail;
	at->log = log;
	at->pin_ok = at->pin == NULL;
	at->pin_tries = MSIM_AT_PIN_TRIES;
	at->registered = true;
	at->cms_code = 500;
	at->next_ref = 1;
	at->concat_ref = 1;
	msim_at_defaults(at);
	return at;
fail:
	msim_at_free(at);
	return NULL;
}

void
msim_at_power_on(struct msim_at *at)
{
	msim_at_defaults(at);
	msim_at_reset_input(at);
	msim_buf_reset(&at->urc);
	at->pin_ok = at->pin == NULL;
	at->ringing = false;	/* the caller heard the line drop */
}

void
msim_at_free(struct msim_at *at)
{
	if (at == NULL)
		return;
	free(at->pin);
	free(at->puk);
	free(at->manufacturer);
	free(at->model);
	free(at->revision);
	free(at->imei);
	free(at->imsi);
	free(at->op_name);
	free(at->op_code);
	free(at->slots[MSIM_MEM_SM]);
	free(at->slots[MSIM_MEM_ME]);
	free(at->cnmi_test);
	msim_buf_free(&at->pdu);
	msim_buf_free(&at->urc);
	free(at);
}

/* --- input ------------------------------------------------------------- */

bool
msim_at_idle(const struct msim_at *at)
{
	return at->line_len == 0 && !at->pdu_mode && at->pending == MSIM_AT_NONE;
}

void
msim_at_reset_input(struct msim_at *at)
{
	at->line_len = 0;
	at->line_overflow = false;
	at->pdu_mode = false;
	at->pending = MSIM_AT_NONE;
	msim_buf_reset(&at->pdu);
}

/* One byte while a PDU is being entered after "> ". */
static enum msim_at_event
msim_at_feed_pdu(struct msim_at *at, uint8_t c, struct msim_buf *out)
{
	if (c == MSIM_AT_CTRLZ)
		return MSIM_AT_SEND;
	if (c == MSIM_AT_ESC) {
		/* cancelled: the modem says OK and sends nothing */
		msim_at_reset_input(at);
		msim_buf_puts(out, "\r\nOK\r\n");
		return MSIM_AT_NONE;
	}
	if (c == MSIM_AT_CR || c == MSIM_AT_LF)
		return MSIM_AT_NONE;
	if (at->echo)
		msim_buf_add(out, &c, 1);
	if (at->pdu.len < 2 * MSIM_PDU_HEX_MAX)
		msim_buf_add(&at->pdu, &c, 1);
	return MSIM_AT_NONE;
}

/* One byte of a command line. */
static enum msim_at_event
msim_at_feed_line(struct msim_at *at, uint8_t c, struct msim_buf *out)
{
	if (c == MSIM_AT_LF && at->line_len == 0)
		return MSIM_AT_NONE;	/* the LF of a CR LF pair */
	if (at->echo)
		msim_buf_add(out, &c, 1);
	if (c == MSIM_AT_CR)
		return MSIM_AT_COMMAND;
	if (c == MSIM_AT_BS) {
		if (at->line_len > 0)
			at->line_len--;
		return MSIM_AT_NONE;
	}
	if (at->line_len + 1 < sizeof(at->line))
		at->line[at->line_len++] = (char)c;
	else
		at->line_overflow = true;
	return MSIM_AT_NONE;
}

size_t
msim_at_feed(struct msim_at *at, const uint8_t *in, size_t n,
    struct msim_buf *out, enum msim_at_event *ev)
{
	size_t i;

	*ev = MSIM_AT_NONE;
	for (i = 0; i < n && *ev == MSIM_AT_NONE; i++) {
		if (at->pdu_mode)
			*ev = msim_at_feed_pdu(at, in[i], out);
		else
			*ev = msim_at_feed_line(at, in[i], out);
	}
	at->pending = *ev;
	return i;
}

/* --- helpers shared with at_sms.c -------------------------------------- */

void
msim_at_info(struct msim_at_cmd *c, const char *fmt, ...)
{
	va_list ap;
	char tmp[MSIM_PDU_HEX_MAX + 64];

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	msim_buf_puts(c->info, tmp);
	msim_buf_puts(c->info, "\r\n");
}

enum msim_at_result
msim_at_cme(struct msim_at_cmd *c, int code)
{
	c->code = code;
	return MSIM_RES_CME;
}

enum msim_at_result
msim_at_cms(struct msim_at_cmd *c, int code)
{
	c->code = code;
	return MSIM_RES_CMS;
}

/* Parses one quoted string at *pp into out; -1 when unterminated. */
static int
msim_at_arg_string(const char **pp, char out[64])
{
	const char *p = *pp + 1, *q = strchr(p, '"');
	size_t n;

	if (q == NULL)
		return -1;
	n = (size_t)(q - p) < 63 ? (size_t)(q - p) : 63;
	memcpy(out, p, n);
	out[n] = '\0';
	*pp = q + 1;
	return 0;
}

int
msim_at_args(const char *args, int max, int *num, char (*str)[64])
{
	const char *p = args;
	char tmp[64];
	int n = 0;
	long v;
	char *end;

	while (n < max) {
		num[n] = -1;
		tmp[0] = '\0';
		while (*p == ' ')
			p++;
		if (*p == '"') {
			if (msim_at_arg_string(&p, tmp) == -1)
				return -1;
		} else if (isdigit((unsigned char)*p)) {
			v = strtol(p, &end, 10);
			num[n] = v > 1000000 ? 1000000 : (int)v;
			p = end;
		}
		if (str != NULL)
			memcpy(str[n], tmp, sizeof(tmp));
		n++;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return n;
		if (*p++ != ',')
			return -1;
	}
	return -1;
}

/* Text of a +CME / +CMS error for AT+CMEE=2. */
static const char *
msim_at_error_text(int code)
{
	size_t i;

	for (i = 0; i < sizeof(msim_at_error_texts) / sizeof(msim_at_error_texts[0]); i++)
		if (msim_at_error_texts[i].code == code)
			return msim_at_error_texts[i].text;
	return NULL;
}

void
msim_at_result(struct msim_at *at, enum msim_at_result res, int code,
    struct msim_buf *out)
{
	const char *kind = res == MSIM_RES_CME ? "CME" : "CMS", *text;

	switch (res) {
	case MSIM_RES_OK:
		msim_buf_puts(out, "\r\nOK\r\n");
		return;
	case MSIM_RES_NONE:
		return;
	case MSIM_RES_ERROR:
		msim_buf_puts(out, "\r\nERROR\r\n");
		return;
	default:
		break;
	}
	if (at->cmee == 0)
		msim_buf_puts(out, "\r\nERROR\r\n");
	else if (at->cmee == 2 && res == MSIM_RES_CME &&
	    (text = msim_at_error_text(code)) != NULL)
		msim_buf_printf(out, "\r\n+%s ERROR: %s\r\n", kind, text);
	else
		msim_buf_printf(out, "\r\n+%s ERROR: %d\r\n", kind, code);
}

void
msim_at_quote(const struct msim_at *at, const char *s, char *out, size_t outsz)
{
	uint8_t u[128];
	char hex[2 * sizeof(u) + 1];
	int n;

	if (strcmp(at->cscs, "UCS2") == 0 &&
	    (n = msim_ucs2_from_utf8(s, u, sizeof(u))) >= 0) {
		msim_hex_encode(u, (size_t)n, hex);
		snprintf(out, outsz, "\"%s\"", hex);
	} else if (strcmp(at->cscs, "HEX") == 0 && strlen(s) <= sizeof(u)) {
		msim_hex_encode((const uint8_t *)s, strlen(s), hex);
		snprintf(out, outsz, "\"%s\"", hex);
	} else
		snprintf(out, outsz, "\"%s\"", s);
}

/* --- commands ---------------------------------------------------------- */

/* Identification: +CGMI, +CGMM, +CGMR, +CGSN and their short forms. */
static enum msim_at_result
msim_at_cmd_ident(struct msim_at *at, struct msim_at_cmd *c, const char *value)
{
	if (c->kind == 't')
		return MSIM_RES_OK;
	if (c->kind != 'x')
		return MSIM_RES_ERROR;
	msim_at_info(c, "%s", value);
	return MSIM_RES_OK;
}

static enum msim_at_result
msim_at_cmd_cimi(struct msim_at *at, struct msim_at_cmd *c)
{
	if (c->kind == 't')
		return MSIM_RES_OK;
	if (!at->pin_ok)
		return msim_at_cme(c, at->pin_tries > 0 ? MSIM_CME_SIM_PIN : MSIM_CME_SIM_PUK);
	return msim_at_cmd_ident(at, c, at->imsi);
}

static enum msim_at_result
msim_at_cmd_cmee(struct msim_at *at, struct msim_at_cmd *c)
{
	int v;

	if (c->kind == 't') {
		msim_at_info(c, "+CMEE: (0-2)");
		return MSIM_RES_OK;
	}
	if (c->kind == '?') {
		msim_at_info(c, "+CMEE: %d", at->cmee);
		return MSIM_RES_OK;
	}
	if (c->kind == 'x')
		v = 0;
	else if (msim_at_args(c->args, 1, &v, NULL) != 1 || v < 0 || v > 2)
		return MSIM_RES_ERROR;
	at->cmee = v;
	return MSIM_RES_OK;
}

bool
msim_at_is_registered(const struct msim_at *at)
{
	return at->registered && at->pin_ok;
}

/* <stat> of +CREG: 1 registered home, 0 not searching. */
static int
msim_at_reg_stat(const struct msim_at *at)
{
	return msim_at_is_registered(at) ? 1 : 0;
}

/* Queues the +CREG / +CGREG unsolicited codes of a registration change. */
static void
msim_at_queue_creg(struct msim_at *at)
{
	int stat = msim_at_reg_stat(at);

	if (at->creg_n == 1)
		msim_buf_printf(&at->urc, "\r\n+CREG: %d\r\n", stat);
	else if (at->creg_n == 2 && stat == 1)
		msim_buf_printf(&at->urc, "\r\n+CREG: %d,\"%s\",\"%s\"\r\n", stat,
		    MSIM_AT_LAC, MSIM_AT_CI);
	else if (at->creg_n == 2)
		msim_buf_printf(&at->urc, "\r\n+CREG: %d\r\n", stat);
}

/* AT+CPIN="<pin>" or AT+CPIN="<puk>","<new pin>". */
static enum msim_at_result
msim_at_cpin_enter(struct msim_at *at, struct msim_at_cmd *c)
{
	char str[2][64];
	int num[2], n;

	if ((n = msim_at_args(c->args, 2, num, str)) < 1)
		return MSIM_RES_ERROR;
	if (n == 1 && str[0][0] == '\0' && num[0] >= 0)
		snprintf(str[0], sizeof(str[0]), "%d", num[0]);	/* unquoted */
	if (at->pin_ok)
		return msim_at_cme(c, MSIM_CME_NOT_ALLOWED);
	if (at->pin_tries == 0) {
		if (n != 2 || strcmp(str[0], at->puk) != 0)
			return msim_at_cme(c, MSIM_CME_BAD_PASSWORD);
		free(at->pin);
		at->pin = strdup(str[1]);
	} else if (strcmp(str[0], at->pin) != 0) {
		at->pin_tries--;
		msim_log_event(at->log, "pin", json_pack("{s:b, s:i}", "ok", 0,
		    "tries_left", at->pin_tries));
		return msim_at_cme(c, MSIM_CME_BAD_PASSWORD);
	}
	at->pin_ok = true;
	at->pin_tries = MSIM_AT_PIN_TRIES;
	if (at->registered)
		msim_at_queue_creg(at);		/* the SIM lets the modem register */
	msim_log_event(at->log, "pin", json_pack("{s:b}", "ok", 1));
	return MSIM_RES_OK;
}

static enum msim_at_result
msim_at_cmd_cpin(struct msim_at *at, struct msim_at_cmd *c)
{
	if (c->kind == 't')
		return MSIM_RES_OK;
	if (c->kind == '?') {
		msim_at_info(c, "+CPIN: %s", at->pin_ok ? "READY" :
		    at->pin_tries > 0 ? "SIM PIN" : "SIM PUK");
		return MSIM_RES_OK;
	}
	if (c->kind != '=')
		return MSIM_RES_ERROR;
	return msim_at_cpin_enter(at, c);
}

static enum msim_at_result
msim_at_cmd_csq(struct msim_at *at, struct msim_at_cmd *c)
{
	if (c->kind == 't') {
		msim_at_info(c, "+CSQ: (0-31,99),(0-7,99)");
		return MSIM_RES_OK;
	}
	if (c->kind != 'x')
		return MSIM_RES_ERROR;
	msim_at_info(c, "+CSQ: %d,99", msim_at_is_registered(at) ? at->signal : 99);
	return MSIM_RES_OK;
}

/* Shared by +CREG and +CGREG; *n is the command's <n>. */
static enum msim_at_result
msim_at_cmd_reg(struct msim_at *at, struct msim_at_cmd *c, int *n)
{
	int v;

	if (c->kind == 't') {
		msim_at_info(c, "%s: (0-2)", c->name);
		return MSIM_RES_OK;
	}
	if (c->kind == '?') {
		if (*n == 2 && msim_at_is_registered(at))
			msim_at_info(c, "%s: %d,%d,\"%s\",\"%s\"", c->name, *n,
			    msim_at_reg_stat(at), MSIM_AT_LAC, MSIM_AT_CI);
		else
			msim_at_info(c, "%s: %d,%d", c->name, *n, msim_at_reg_stat(at));
		return MSIM_RES_OK;
	}
	if (c->kind == 'x')
		v = 0;
	else if (msim_at_args(c->args, 1, &v, NULL) != 1 || v < 0 || v > 2)
		return msim_at_cme(c, MSIM_CME_NOT_SUPPORTED);
	*n = v;
	return MSIM_RES_OK;
}

/* AT+COPS? : mode 0 (automatic), the operator in the chosen format. */
static void
msim_at_cops_read(struct msim_at *at, struct msim_at_cmd *c)
{
	char q[160];

	if (!msim_at_is_registered(at)) {
		msim_at_info(c, "+COPS: 0");
		return;
	}
	/* only alphanumeric names follow AT+CSCS; the numeric code is digits */
	if (at->cops_format == 2)
		snprintf(q, sizeof(q), "\"%s\"", at->op_code);
	else
		msim_at_quote(at, at->op_name, q, sizeof(q));
	msim_at_info(c, "+COPS: 0,%d,%s,7", at->cops_format, q);
}

static enum msim_at_result
msim_at_cmd_cops(struct msim_at *at, struct msim_at_cmd *c)
{
	int num[4], n;

	if (c->kind == 't') {
		msim_at_info(c, "+COPS: (2,\"%s\",\"%s\",\"%s\",7),,(0-4),(0-2)",
		    at->op_name, at->op_name, at->op_code);
		return MSIM_RES_OK;
	}
	if (c->kind == '?') {
		msim_at_cops_read(at, c);
		return MSIM_RES_OK;
	}
	if (c->kind != '=' || (n = msim_at_args(c->args, 4, num, NULL)) < 1)
		return MSIM_RES_ERROR;
	if (num[0] == 3 && n >= 2 && num[1] >= 0 && num[1] <= 2) {
		at->cops_format = num[1];
		return MSIM_RES_OK;
	}
	if (num[0] == 0 || num[0] == 2)
		return MSIM_RES_OK;	/* automatic / deregister: accepted */
	return msim_at_cme(c, MSIM_CME_NOT_SUPPORTED);
}

static enum msim_at_result
msim_at_cmd_cscs(struct msim_at *at, struct msim_at_cmd *c)
{
	char str[1][64];
	int num[1];

	if (c->kind == 't') {
		msim_at_info(c, "+CSCS: (\"GSM\",\"IRA\",\"UCS2\",\"HEX\")");
		return MSIM_RES_OK;
	}
	if (c->kind == '?') {
		msim_at_info(c, "+CSCS: \"%s\"", at->cscs);
		return MSIM_RES_OK;
	}
	if (c->kind != '=' || msim_at_args(c->args, 1, num, str) != 1)
		return MSIM_RES_ERROR;
	if (strcmp(str[0], "GSM") != 0 && strcmp(str[0], "IRA") != 0 &&
	    strcmp(str[0], "UCS2") != 0 && strcmp(str[0], "HEX") != 0)
		return msim_at_cme(c, MSIM_CME_NOT_SUPPORTED);
	snprintf(at->cscs, sizeof(at->cscs), "%.7s", str[0]);
	return MSIM_RES_OK;
}

/* AT+CCLK? : the simulator's clock, in local time UTC+0. */
static enum msim_at_result
msim_at_cmd_cclk(struct msim_at *at, struct msim_at_cmd *c)
{
	struct tm tm;

	if (c->kind == 't' || c->kind == '=')
		return MSIM_RES_OK;
	if (c->kind != '?')
		return MSIM_RES_ERROR;
	gmtime_r(&at->now, &tm);
	msim_at_info(c, "+CCLK: \"%02d/%02d/%02d,%02d:%02d:%02d+00\"",
	    tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return MSIM_RES_OK;
}

/* Commands answered with a constant: "?" gives the line, "=" is accepted. */
static enum msim_at_result
msim_at_cmd_const(struct msim_at_cmd *c, const char *line)
{
	if (c->kind == 't' || c->kind == '=')
		return MSIM_RES_OK;
	msim_at_info(c, "%s", line);
	return MSIM_RES_OK;
}

/* Basic commands (no + or ^): ATE, ATZ, ATI, AT&F... */
static enum msim_at_result
msim_at_basic(struct msim_at *at, struct msim_at_cmd *c)
{
	const char *n = c->name;

	if (strcmp(n, "") == 0 || strcmp(n, "V1") == 0 || strcmp(n, "Q0") == 0 ||
	    strcmp(n, "&W") == 0 || strcmp(n, "&C1") == 0 || strcmp(n, "&D2") == 0)
		return MSIM_RES_OK;
	if (strcmp(n, "E0") == 0 || strcmp(n, "E1") == 0 || strcmp(n, "E") == 0) {
		at->echo = n[1] == '1';
		return MSIM_RES_OK;
	}
	if (strcmp(n, "H") == 0 || strcmp(n, "H0") == 0)
		return msim_at_call_hangup(at, "ATH");
	if (strcmp(n, "Z") == 0 || strcmp(n, "&F") == 0 || strcmp(n, "Z0") == 0) {
		msim_at_defaults(at);
		return MSIM_RES_OK;
	}
	if (strcmp(n, "I") == 0 || strcmp(n, "I0") == 0) {
		msim_at_info(c, "%s", at->manufacturer);
		msim_at_info(c, "%s", at->model);
		msim_at_info(c, "Revision: %s", at->revision);
		return MSIM_RES_OK;
	}
	return MSIM_RES_ERROR;
}

/* Name with an optional leading "C": "+CGMI" and "+GMI" are the same. */
static bool
msim_at_is(const char *name, const char *cname)
{
	return strcmp(name, cname) == 0 ||
	    (cname[1] == 'C' && name[0] == '+' && strcmp(name + 1, cname + 2) == 0);
}

static enum msim_at_result
msim_at_extended(struct msim_at *at, struct msim_at_cmd *c)
{
	const char *n = c->name;
	enum msim_at_result res;
	bool handled = false;

	if (msim_at_is(n, "+CGMI"))
		return msim_at_cmd_ident(at, c, at->manufacturer);
	if (msim_at_is(n, "+CGMM"))
		return msim_at_cmd_ident(at, c, at->model);
	if (msim_at_is(n, "+CGMR"))
		return msim_at_cmd_ident(at, c, at->revision);
	if (msim_at_is(n, "+CGSN"))
		return msim_at_cmd_ident(at, c, at->imei);
	if (strcmp(n, "+CIMI") == 0)
		return msim_at_cmd_cimi(at, c);
	if (strcmp(n, "+CMEE") == 0)
		return msim_at_cmd_cmee(at, c);
	if (strcmp(n, "+CPIN") == 0)
		return msim_at_cmd_cpin(at, c);
	if (strcmp(n, "+CSQ") == 0)
		return msim_at_cmd_csq(at, c);
	if (strcmp(n, "+CREG") == 0)
		return msim_at_cmd_reg(at, c, &at->creg_n);
	if (strcmp(n, "+CGREG") == 0)
		return msim_at_cmd_reg(at, c, &at->cgreg_n);
	if (strcmp(n, "+COPS") == 0)
		return msim_at_cmd_cops(at, c);
	if (strcmp(n, "+CSCS") == 0)
		return msim_at_cmd_cscs(at, c);
	if (strcmp(n, "+CCLK") == 0)
		return msim_at_cmd_cclk(at, c);
	if (strcmp(n, "+CFUN") == 0)
		return msim_at_cmd_const(c, "+CFUN: 1");
	if (strcmp(n, "+CGATT") == 0)
		return msim_at_cmd_const(c, msim_at_is_registered(at) ? "+CGATT: 1" : "+CGATT: 0");
	if (strcmp(n, "+CBC") == 0)
		return msim_at_cmd_const(c, "+CBC: 0,100,4200");
	if (at->huawei_cmds && strcmp(n, "^CURC") == 0 && c->kind == '=') {
		at->curc = strcmp(c->args, "0") != 0;
		return MSIM_RES_OK;
	}
	if (at->huawei_cmds && strcmp(n, "^PORTSEL") == 0)
		return msim_at_cmd_const(c, "^PORTSEL: 0");
	res = msim_at_sms_command(at, c, &handled);
	if (!handled)
		res = msim_at_call_command(at, c, &handled);
	return handled ? res : MSIM_RES_ERROR;
}

/* Splits "+CMGS=23" into name "+CMGS", kind '=' and args "23" (in place). */
static void
msim_at_parse(char *s, struct msim_at_cmd *c)
{
	char *p;

	c->name = s;
	c->kind = 'x';
	c->args = "";
	for (p = s; *p != '\0' && *p != '=' && *p != '?'; p++)
		*p = (char)toupper((unsigned char)*p);
	if (p[0] == '=' && p[1] == '?') {
		c->kind = 't';
	} else if (p[0] == '=') {
		c->kind = '=';
		c->args = p + 1;
	} else if (p[0] == '?') {
		c->kind = '?';
	}
	*p = '\0';
}

/* Runs one command of a line; s is modified. */
static enum msim_at_result
msim_at_run_one(struct msim_at *at, char *s, struct msim_at_cmd *c)
{
	msim_at_parse(s, c);
	if (c->name[0] == '+' || c->name[0] == '^' || c->name[0] == '$' ||
	    c->name[0] == '*' || c->name[0] == '#' || c->name[0] == '_')
		return msim_at_extended(at, c);
	return msim_at_basic(at, c);
}

/* Next ';' outside quotes, or the end of s. */
static char *
msim_at_next_sep(char *s)
{
	bool quoted = false;

	for (; *s != '\0'; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (*s == ';' && !quoted)
			return s;
	}
	return s;
}

/* Logs the command line when commands are logged (never the PIN). */
static void
msim_at_log_line(struct msim_at *at, const char *line)
{
	if (!at->log_commands)
		return;
	if (strncasecmp(line, "AT+CPIN=", 8) == 0)
		line = "AT+CPIN=***";
	msim_log_event(at->log, "at", json_pack("{s:s}", "cmd", line));
}

/* Runs a whole command line: AT, then commands separated by ';'. */
static void
msim_at_run_line(struct msim_at *at, struct msim_buf *out)
{
	struct msim_buf info = { 0 };
	struct msim_at_cmd c;
	enum msim_at_result res = MSIM_RES_OK;
	char *s, *next, *start;

	at->line[at->line_len] = '\0';
	start = strcasestr(at->line, "AT");
	if (start == NULL || at->line_overflow) {
		if (at->line_overflow)
			msim_at_result(at, MSIM_RES_ERROR, 0, out);
		return;			/* not a command: ignored */
	}
	msim_at_log_line(at, start);
	memset(&c, 0, sizeof(c));
	c.info = &info;
	for (s = start + 2; res == MSIM_RES_OK; s = next + 1) {
		next = msim_at_next_sep(s);
		if (*next == '\0') {
			res = msim_at_run_one(at, s, &c);
			break;
		}
		*next = '\0';
		res = msim_at_run_one(at, s, &c);
	}
	if (info.len > 0 && res != MSIM_RES_NONE)
		msim_buf_printf(out, "\r\n%s", info.p);
	else if (info.len > 0)
		msim_buf_add(out, info.p, info.len);
	msim_at_result(at, res, c.code, out);
	msim_buf_free(&info);
}

void
msim_at_execute(struct msim_at *at, time_t now, struct msim_buf *out)
{
	enum msim_at_event ev = at->pending;

	at->now = now;
	at->pending = MSIM_AT_NONE;
	if (ev == MSIM_AT_SEND) {
		msim_at_sms_pdu_done(at, out);
		return;
	}
	if (ev == MSIM_AT_COMMAND) {
		msim_at_run_line(at, out);
		at->line_len = 0;
		at->line_overflow = false;
	}
}

void
msim_at_set_registered(struct msim_at *at, bool on)
{
	bool before = msim_at_is_registered(at);

	at->registered = on;
	if (before != msim_at_is_registered(at))
		msim_at_queue_creg(at);
	msim_log_event(at->log, "register", json_pack("{s:b}", "registered", on));
}
