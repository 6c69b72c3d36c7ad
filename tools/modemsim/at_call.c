/*
 * at_call — incoming voice calls: someone phones the modem's number.
 * See at.h.  The modem only rings: it never answers (ATA is not one of
 * its commands), as a modem that carries SMS only.
 *
 * A call, as a SIM800 or a Huawei stick gives it (3GPP TS 27.007):
 *
 *	msim_at_call_begin()	the network offers a call from a number
 *	msim_at_call_ring()	every few seconds (modemsim.c times it):
 *				"RING", or "+CRING: VOICE" after AT+CRC=1,
 *				then "+CLIP: "<number>",<type>,"",0,"",0"
 *				after AT+CLIP=1 (<type> 145 international,
 *				129 otherwise; the number in the AT+CSCS set)
 *	ATH, AT+CHUP		the client hangs up: OK, the call is over
 *	msim_at_call_end()	the caller gives up, or rang rings_max
 *				times: "NO CARRIER"
 *
 * Commands: AT+CLIP=<n> and AT+CLIP?, AT+CRC=<n> and AT+CRC?, AT+CCWA
 * (accepted), AT+CHUP and AT+CHUP=?, AT+CLCC (the ringing call), ATH.
 * Events logged: "call" (from, rings), "ring" (from, n), "hangup" (from,
 * by: "client" with its command, or "caller"; rings).
 */
#include "at.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* +CLIP <type>: an international number, or any other. */
#define MSIM_CALL_TYPE_INTL	145
#define MSIM_CALL_TYPE_OTHER	129

/* True when s is a phone number: an optional '+' and 3 to 20 digits. */
static bool
msim_call_number_ok(const char *s)
{
	size_t i = s[0] == '+' ? 1 : 0, n = 0;

	for (; s[i] != '\0'; i++, n++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n >= 3 && n <= 20;
}

static int
msim_call_type(const char *number)
{
	return number[0] == '+' ? MSIM_CALL_TYPE_INTL : MSIM_CALL_TYPE_OTHER;
}

int
msim_at_call_begin(struct msim_at *at, const char *from, int rings)
{
	if (at->ringing || !msim_at_is_registered(at) || from == NULL ||
	    !msim_call_number_ok(from) || strlen(from) >= sizeof(at->caller))
		return -1;
	snprintf(at->caller, sizeof(at->caller), "%s", from);
	at->ringing = true;
	at->rings = 0;
	at->rings_max = rings > 0 ? rings : 1;
	msim_log_event(at->log, "call", json_pack("{s:s, s:i}", "from", at->caller,
	    "rings", at->rings_max));
	return 0;
}

/* The call is over; by says who ended it, how the client's command. */
static void
msim_call_over(struct msim_at *at, const char *by, const char *how)
{
	msim_log_event(at->log, "hangup", json_pack("{s:s, s:s, s:s?, s:i}", "from",
	    at->caller, "by", by, "command", how, "rings", at->rings));
	at->ringing = false;
	at->caller[0] = '\0';
}

int
msim_at_call_end(struct msim_at *at)
{
	if (!at->ringing)
		return -1;
	msim_buf_puts(&at->urc, "\r\nNO CARRIER\r\n");
	msim_call_over(at, "caller", NULL);
	return 0;
}

bool
msim_at_call_ring(struct msim_at *at)
{
	char q[160];

	if (!at->ringing)
		return false;
	if (at->rings >= at->rings_max) {
		msim_at_call_end(at);
		return false;
	}
	at->rings++;
	msim_buf_puts(&at->urc, at->crc ? "\r\n+CRING: VOICE\r\n" : "\r\nRING\r\n");
	if (at->clip) {
		msim_at_quote(at, at->caller, q, sizeof(q));
		msim_buf_printf(&at->urc, "\r\n+CLIP: %s,%d,\"\",0,\"\",0\r\n", q,
		    msim_call_type(at->caller));
	}
	msim_log_event(at->log, "ring", json_pack("{s:s, s:i}", "from", at->caller,
	    "n", at->rings));
	return true;
}

enum msim_at_result
msim_at_call_hangup(struct msim_at *at, const char *how)
{
	if (at->ringing)
		msim_call_over(at, "client", how);
	return MSIM_RES_OK;
}

/* AT+CLIP and AT+CRC: a 0/1 setting, read back with its "?" form. */
static enum msim_at_result
msim_call_flag(struct msim_at_cmd *c, bool *flag, const char *read_extra)
{
	int v;

	if (c->kind == 't') {
		msim_at_info(c, "%s: (0,1)", c->name);
		return MSIM_RES_OK;
	}
	if (c->kind == '?') {
		msim_at_info(c, "%s: %d%s", c->name, *flag ? 1 : 0, read_extra);
		return MSIM_RES_OK;
	}
	if (c->kind == 'x')
		v = 0;
	else if (msim_at_args(c->args, 1, &v, NULL) != 1 || v < 0 || v > 1)
		return MSIM_RES_ERROR;
	*flag = v == 1;
	return MSIM_RES_OK;
}

/* AT+CLCC: the call that rings, as an incoming (1) voice (0) call in state 4. */
static enum msim_at_result
msim_call_clcc(struct msim_at *at, struct msim_at_cmd *c)
{
	char q[160];

	if (c->kind == 't')
		return MSIM_RES_OK;
	if (c->kind != 'x')
		return MSIM_RES_ERROR;
	if (at->ringing) {
		msim_at_quote(at, at->caller, q, sizeof(q));
		msim_at_info(c, "+CLCC: 1,1,4,0,0,%s,%d", q, msim_call_type(at->caller));
	}
	return MSIM_RES_OK;
}

enum msim_at_result
msim_at_call_command(struct msim_at *at, struct msim_at_cmd *c, bool *handled)
{
	const char *n = c->name;

	*handled = true;
	if (strcmp(n, "+CLIP") == 0)
		return msim_call_flag(c, &at->clip, ",1");	/* ,1: CLIP provisioned */
	if (strcmp(n, "+CRC") == 0)
		return msim_call_flag(c, &at->crc, "");
	if (strcmp(n, "+CCWA") == 0)
		return MSIM_RES_OK;	/* call waiting: no second call ever rings */
	if (strcmp(n, "+CHUP") == 0)
		return c->kind == 'x' ? msim_at_call_hangup(at, "AT+CHUP") :
		    c->kind == 't' ? MSIM_RES_OK : MSIM_RES_ERROR;
	if (strcmp(n, "+CLCC") == 0)
		return msim_call_clcc(at, c);
	*handled = false;
	return MSIM_RES_ERROR;
}
