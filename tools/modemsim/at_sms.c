/*
 * at_sms — the SMS commands of TS 27.005 in PDU mode, the SIM's message
 * slots, and what the network delivers (incoming SMS, status reports).
 * See at.h.
 *
 *	+CMGF		0 only (text mode: +CMS ERROR: 303)
 *	+CSMS +CSMP +CNMA +CMMS	accepted, plausible values
 *	+CPMS		"SM", and "ME" when the personality has it (persona.h):
 *			<mem1> read and delete, <mem2> write, <mem3> receive
 *	+CNMI		<mode>,<mt>,<bm>,<ds>,<bfr>: mt 1 gives +CMTI, 2 +CMT;
 *			ds 1 gives +CDS, 2 stores the report and gives +CDSI
 *	+CSCA		the SMSC number, in the AT+CSCS character set
 *	+CMGS=<len>	"> ", the PDU, Ctrl-Z: +CMGS: <mr>; ESC cancels
 *	+CMGW +CMSS	store a PDU, send a stored PDU
 *	+CMGL +CMGR	list / read; reading marks REC UNREAD as REC READ
 *	+CMGD		delete one, or by <delflag> 1-4
 *
 * With at->reports (modemsim --reports), every accepted submit that asks
 * for a status report gets one at once, "delivered", as AT+CNMI <ds> says
 * (+CDS, or stored and +CDSI): the traffic of a real network where every
 * message is delivered.
 * Sends fail with +CMS ERROR: 331 (no network service) when the modem
 * is not registered, with at->cms_code every at->cms_every sends, and
 * with 304 (invalid PDU parameter) when the PDU does not decode.  Every
 * decoded submit is logged; the log is what the tests check.
 */
#include "at.h"
#include "gsm7.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* +CMS ERROR codes (TS 27.005 §3.2.5). */
#define MSIM_CMS_NOT_SUPPORTED	303
#define MSIM_CMS_BAD_PDU	304
#define MSIM_CMS_SIM_PIN	311
#define MSIM_CMS_SIM_PUK	316
#define MSIM_CMS_NOT_ALLOWED	302
#define MSIM_CMS_BAD_INDEX	321
#define MSIM_CMS_MEM_FULL	322
#define MSIM_CMS_NO_NETWORK	331

/* Longest TPDU a client may announce with AT+CMGS. */
#define MSIM_TPDU_MAX 176

/* Where a recipient unknown to the history is said to be. */
#define MSIM_UNKNOWN_RECIPIENT "+33600000000"

/* The names of the memories, as +CPMS says them. */
static const char *const msim_mem_names[MSIM_MEM_COUNT] = { "SM", "ME" };

/* Used slots of memory m. */
static int
msim_at_used_in(const struct msim_at *at, enum msim_mem m)
{
	int i, n = 0;

	for (i = 0; at->slots[m] != NULL && i < at->nslots; i++)
		n += at->slots[m][i].used;
	return n;
}

int
msim_at_used_slots(const struct msim_at *at)
{
	return msim_at_used_in(at, MSIM_MEM_SM) + msim_at_used_in(at, MSIM_MEM_ME);
}

/* The slots of <mem1> (which = 0), <mem2> (1) or <mem3> (2). */
static struct msim_slot *
msim_at_slots(const struct msim_at *at, int which)
{
	return at->slots[at->mem[which]];
}

/* The <index> a modem says for slot i (0-based): Huawei's count from 0. */
static int
msim_at_shown(const struct msim_at *at, int i)
{
	return i + at->index_base;
}

/* Position (1-based) of the first free slot of memory m, or -1. */
static int
msim_at_free_slot(const struct msim_at *at, enum msim_mem m)
{
	int i;

	for (i = 0; i < at->nslots; i++)
		if (!at->slots[m][i].used)
			return i + 1;
	return -1;
}

/* Stores a PDU in memory m; returns its position (1-based), or -1 when full. */
static int
msim_at_store(struct msim_at *at, enum msim_mem m, const char *pdu, int tpdu_len,
    enum msim_slot_stat stat)
{
	struct msim_slot *s;
	int idx;

	if ((idx = msim_at_free_slot(at, m)) < 0)
		return -1;
	s = &at->slots[m][idx - 1];
	s->used = true;
	s->stat = stat;
	s->tpdu_len = tpdu_len;
	snprintf(s->pdu, sizeof(s->pdu), "%s", pdu);
	return idx;
}

/* The error a SIM-locked modem gives to SMS commands, or 0. */
static int
msim_at_sms_locked(const struct msim_at *at)
{
	if (at->pin_ok)
		return 0;
	return at->pin_tries > 0 ? MSIM_CMS_SIM_PIN : MSIM_CMS_SIM_PUK;
}

static enum msim_at_result
msim_at_cmd_cmgf(struct msim_at *at, struct msim_at_cmd *c)
{
	int v;

	if (c->kind == 't') {
		msim_at_info(c, "+CMGF: (0)");
		return MSIM_RES_OK;
	}
	if (c->kind == '?') {
		msim_at_info(c, "+CMGF: 0");
		return MSIM_RES_OK;
	}
	if (c->kind == 'x')
		return MSIM_RES_OK;
	if (msim_at_args(c->args, 1, &v, NULL) != 1 || v < 0 || v > 1)
		return MSIM_RES_ERROR;
	return v == 0 ? MSIM_RES_OK : msim_at_cms(c, MSIM_CMS_NOT_SUPPORTED);
}

/* "+CPMS: used,total" for <mem1..3>, with or without the memory names. */
static void
msim_at_cpms_info(struct msim_at *at, struct msim_at_cmd *c, bool names)
{
	char line[128] = "+CPMS: ";
	size_t len = strlen(line);
	int i, t = at->nslots;

	for (i = 0; i < 3; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s%s%s%d,%d",
		    i ? "," : "", names ? "\"" : "", names ? msim_mem_names[at->mem[i]] : "",
		    names ? "\"," : "", msim_at_used_in(at, at->mem[i]), t);
	msim_at_info(c, "%s", line);
}

/* The memory called name, or -1 when this modem has none such. */
static int
msim_at_mem_named(const struct msim_at *at, const char *name)
{
	int m;

	for (m = 0; m < MSIM_MEM_COUNT; m++)
		if (at->slots[m] != NULL && strcmp(name, msim_mem_names[m]) == 0)
			return m;
	return -1;
}

static enum msim_at_result
msim_at_cmd_cpms(struct msim_at *at, struct msim_at_cmd *c)
{
	const char *list = at->slots[MSIM_MEM_ME] ? "(\"SM\",\"ME\")" : "(\"SM\")";
	char str[3][64];
	int num[3], n, i, err, m[3];

	if (c->kind == 't') {
		msim_at_info(c, "+CPMS: %s,%s,%s", list, list, list);
		return MSIM_RES_OK;
	}
	if ((err = msim_at_sms_locked(at)) != 0)
		return msim_at_cms(c, err);
	if (c->kind == '?') {
		msim_at_cpms_info(at, c, true);
		return MSIM_RES_OK;
	}
	if (c->kind != '=' || (n = msim_at_args(c->args, 3, num, str)) < 1)
		return MSIM_RES_ERROR;
	for (i = 0; i < n; i++)
		if (str[i][0] != '\0' && (m[i] = msim_at_mem_named(at, str[i])) < 0)
			return msim_at_cms(c, MSIM_CMS_NOT_ALLOWED);
	for (i = 0; i < n; i++)
		if (str[i][0] != '\0')
			at->mem[i] = (enum msim_mem)m[i];
	msim_at_cpms_info(at, c, false);
	return MSIM_RES_OK;
}

static enum msim_at_result
msim_at_cmd_cnmi(struct msim_at *at, struct msim_at_cmd *c)
{
	static const int max[5] = { 2, 3, 2, 2, 1 };
	int num[5], n, i;

	if (c->kind == 't') {
		msim_at_info(c, "%s", at->cnmi_test ? at->cnmi_test :
		    "+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)");
		return MSIM_RES_OK;
	}
	if (c->kind == '?') {
		msim_at_info(c, "+CNMI: %d,%d,%d,%d,%d", at->cnmi[0], at->cnmi[1],
		    at->cnmi[2], at->cnmi[3], at->cnmi[4]);
		return MSIM_RES_OK;
	}
	if (c->kind != '=' || (n = msim_at_args(c->args, 5, num, NULL)) < 1)
		return MSIM_RES_ERROR;
	for (i = 0; i < n; i++)
		if (num[i] > max[i] || (i == 2 && num[i] == 1))
			return msim_at_cms(c, MSIM_CMS_NOT_SUPPORTED);
	for (i = 0; i < n; i++)
		if (num[i] >= 0)
			at->cnmi[i] = num[i];
	return MSIM_RES_OK;
}

/* AT+CSCA="<number>"[,<type>], the number in the AT+CSCS set. */
static enum msim_at_result
msim_at_csca_set(struct msim_at *at, struct msim_at_cmd *c)
{
	char str[2][64], num_utf8[MSIM_ADDR_MAX * 4];
	uint8_t u[64];
	int num[2], n;

	if (msim_at_args(c->args, 2, num, str) < 1 || str[0][0] == '\0')
		return MSIM_RES_ERROR;
	if (strcmp(at->cscs, "UCS2") == 0) {
		n = msim_hex_decode(str[0], strlen(str[0]), u, sizeof(u));
		if (n < 0 || msim_ucs2_to_utf8(u, (size_t)n, num_utf8, sizeof(num_utf8)) < 0)
			return msim_at_cms(c, MSIM_CMS_NOT_ALLOWED);
	} else
		snprintf(num_utf8, sizeof(num_utf8), "%s", str[0]);
	if ((n = (int)strlen(num_utf8)) >= (int)sizeof(at->smsc))
		return msim_at_cms(c, MSIM_CMS_NOT_ALLOWED);
	memcpy(at->smsc, num_utf8, (size_t)n + 1);
	return MSIM_RES_OK;
}

static enum msim_at_result
msim_at_cmd_csca(struct msim_at *at, struct msim_at_cmd *c)
{
	char q[160];
	int err;

	if (c->kind == 't')
		return MSIM_RES_OK;
	if ((err = msim_at_sms_locked(at)) != 0)
		return msim_at_cms(c, err);
	if (c->kind == '=')
		return msim_at_csca_set(at, c);
	if (c->kind != '?')
		return MSIM_RES_ERROR;
	msim_at_quote(at, at->smsc, q, sizeof(q));
	msim_at_info(c, "+CSCA: %s,%d", q, at->smsc[0] == '+' ? 145 : 129);
	return MSIM_RES_OK;
}

/* AT+CMGS=<length> and AT+CMGW=<length>[,<stat>]: the "> " prompt. */
static enum msim_at_result
msim_at_cmd_pdu_entry(struct msim_at *at, struct msim_at_cmd *c, bool store)
{
	int num[2], n, err;

	if (c->kind == 't')
		return MSIM_RES_OK;
	if (c->kind != '=' || (n = msim_at_args(c->args, 2, num, NULL)) < 1)
		return MSIM_RES_ERROR;
	if ((err = msim_at_sms_locked(at)) != 0)
		return msim_at_cms(c, err);
	if (num[0] < 1 || num[0] > MSIM_TPDU_MAX || (n == 2 && num[1] > 3))
		return msim_at_cms(c, MSIM_CMS_BAD_PDU);
	at->pdu_mode = true;
	at->pdu_store = store;
	at->pdu_len = num[0];
	at->pdu_stat = n == 2 && num[1] >= 0 ? num[1] : MSIM_STO_UNSENT;
	msim_buf_reset(&at->pdu);
	msim_buf_puts(c->info, "\r\n> ");
	return MSIM_RES_NONE;
}

/* One "+CMGL:" or "+CMGR:" entry of slot i; reading marks a message read. */
static void
msim_at_list_one(struct msim_at *at, struct msim_at_cmd *c, int i, bool list)
{
	struct msim_slot *s = &msim_at_slots(at, 0)[i];

	if (list)
		msim_at_info(c, "+CMGL: %d,%d,%s,%d", msim_at_shown(at, i), (int)s->stat,
		    at->cmgl_quoted_alpha ? "\"\"" : "", s->tpdu_len);
	else
		msim_at_info(c, "+CMGR: %d,,%d", (int)s->stat, s->tpdu_len);
	msim_at_info(c, "%s", s->pdu);
	if (s->stat == MSIM_REC_UNREAD)
		s->stat = MSIM_REC_READ;
}

static enum msim_at_result
msim_at_cmd_cmgl(struct msim_at *at, struct msim_at_cmd *c)
{
	int stat = 0, i, err;

	if (c->kind == 't') {
		msim_at_info(c, "+CMGL: (0-4)");
		return MSIM_RES_OK;
	}
	if ((err = msim_at_sms_locked(at)) != 0)
		return msim_at_cms(c, err);
	if (c->kind == '=' && (msim_at_args(c->args, 1, &stat, NULL) != 1 ||
	    stat < 0 || stat > 4))
		return msim_at_cms(c, MSIM_CMS_NOT_ALLOWED);
	if (c->kind != '=' && c->kind != 'x')
		return MSIM_RES_ERROR;
	for (i = 0; i < at->nslots; i++)
		if (msim_at_slots(at, 0)[i].used &&
		    (stat == 4 || (int)msim_at_slots(at, 0)[i].stat == stat))
			msim_at_list_one(at, c, i, true);
	return MSIM_RES_OK;
}

/* The slot (0-based) of the <index> of AT+CMGR / +CMGD / +CMSS; -1 when out of range. */
static int
msim_at_index(const struct msim_at *at, const char *args, int *flag)
{
	int num[2], n, i;

	if ((n = msim_at_args(args, 2, num, NULL)) < 1)
		return -1;
	if (flag != NULL)
		*flag = n == 2 ? num[1] : 0;
	i = num[0] - at->index_base;
	return num[0] >= 0 && i >= 0 && i < at->nslots ? i : -1;
}

static enum msim_at_result
msim_at_cmd_cmgr(struct msim_at *at, struct msim_at_cmd *c)
{
	int idx, err;

	if (c->kind == 't')
		return MSIM_RES_OK;
	if (c->kind != '=')
		return MSIM_RES_ERROR;
	if ((err = msim_at_sms_locked(at)) != 0)
		return msim_at_cms(c, err);
	if ((idx = msim_at_index(at, c->args, NULL)) < 0)
		return msim_at_cms(c, MSIM_CMS_BAD_INDEX);
	if (msim_at_slots(at, 0)[idx].used)
		msim_at_list_one(at, c, idx, false);
	return MSIM_RES_OK;		/* an empty slot: just OK */
}

/* True when <delflag> (1-4) selects a message of this status. */
static bool
msim_at_delflag_matches(int flag, enum msim_slot_stat stat)
{
	switch (flag) {
	case 1:
		return stat == MSIM_REC_READ;
	case 2:
		return stat == MSIM_REC_READ || stat == MSIM_STO_SENT;
	case 3:
		return stat != MSIM_REC_UNREAD;
	default:
		return true;
	}
}

/* "+CMGD: (1,4,5),(0-4)": the used indexes. */
static void
msim_at_cmgd_test(struct msim_at *at, struct msim_at_cmd *c)
{
	char list[MSIM_AT_LINE_MAX] = "";
	size_t len = 0;
	int i;

	for (i = 0; i < at->nslots && len + 8 < sizeof(list); i++)
		if (msim_at_slots(at, 0)[i].used)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%d",
			    len ? "," : "", msim_at_shown(at, i));
	msim_at_info(c, "+CMGD: (%s),(0-4)", list);
}

static enum msim_at_result
msim_at_cmd_cmgd(struct msim_at *at, struct msim_at_cmd *c)
{
	struct msim_slot *slot = msim_at_slots(at, 0);
	int idx, flag = 0, i, err, deleted = 0;

	if ((err = msim_at_sms_locked(at)) != 0)
		return msim_at_cms(c, err);
	if (c->kind == 't') {
		msim_at_cmgd_test(at, c);
		return MSIM_RES_OK;
	}
	if (c->kind != '=')
		return MSIM_RES_ERROR;
	idx = msim_at_index(at, c->args, &flag);
	if (flag < 0 || flag > 4 || (idx < 0 && flag == 0))
		return msim_at_cms(c, MSIM_CMS_BAD_INDEX);
	for (i = 0; i < at->nslots; i++) {
		if (!slot[i].used)
			continue;
		if ((flag == 0 && i == idx) ||
		    (flag > 0 && msim_at_delflag_matches(flag, slot[i].stat))) {
			slot[i].used = false;
			deleted++;
		}
	}
	msim_log_event(at->log, "delete", json_pack("{s:i, s:i, s:i}", "index",
	    idx < 0 ? idx : msim_at_shown(at, idx),
	    "flag", flag, "deleted", deleted));
	return MSIM_RES_OK;
}

/* The "udh" member of a submit log line. */
static json_t *
msim_at_json_concat(const struct msim_sms *sms)
{
	if (!sms->concat.present)
		return json_null();
	return json_pack("{s:i, s:i, s:i, s:i}", "ref", (int)sms->concat.ref,
	    "ref_bits", (int)sms->concat.ref_bits, "parts", (int)sms->concat.parts,
	    "seq", (int)sms->concat.seq);
}

/* The log line of a decoded submit (without the outcome). */
static json_t *
msim_at_json_submit(const struct msim_sms *sms, const char *hex)
{
	json_t *o;

	o = json_pack("{s:s, s:s, s:s, s:i, s:o, s:b, s:i, s:i, s:i, s:i, s:s}",
	    "to", sms->addr, "smsc", sms->smsc,
	    "encoding", msim_pdu_alphabet_name(sms->alphabet),
	    "units", (int)sms->units, "udh", msim_at_json_concat(sms),
	    "status_report", sms->srr, "mr", (int)sms->mr,
	    "class", sms->msg_class, "vp", sms->vp_relative, "dcs", (int)sms->dcs,
	    "pdu", hex);
	if (o == NULL)
		return NULL;
	if (sms->alphabet == MSIM_ALPHA_8BIT)
		json_object_set_new(o, "data", json_string(sms->text));
	else
		json_object_set_new(o, "text", json_string(sms->text));
	return o;
}

/* Remembers a sent message for its delivery report. */
static void
msim_at_remember(struct msim_at *at, unsigned ref, const char *to)
{
	struct msim_sent *s = &at->sent[at->sent_next++ % MSIM_AT_HISTORY];

	s->used = true;
	s->ref = ref;
	s->when = at->now;
	snprintf(s->to, sizeof(s->to), "%s", to);
}

/*
 * The network's "delivered" for the submit just answered with ref (the
 * reports option): queued behind the +CMGS answer like any report, and
 * logged as the "report" event, with "index" -1 when the SIM was full.
 */
static void
msim_at_auto_report(struct msim_at *at, unsigned ref)
{
	int idx = msim_at_report(at, ref, 0x00, at->now);

	msim_log_event(at->log, "report", json_pack("{s:i, s:b, s:i, s:b}", "ref",
	    (int)ref, "delivered", 1, "index", idx, "auto", 1));
}

/* The error a send gets from the network and faults, or 0. */
static int
msim_at_send_fault(struct msim_at *at)
{
	at->sends++;
	if (!msim_at_is_registered(at))
		return MSIM_CMS_NO_NETWORK;
	if (at->cms_every > 0 && at->sends % (unsigned)at->cms_every == 0)
		return at->cms_code;
	return 0;
}

/*
 * Sends a PDU (from AT+CMGS or a stored one for AT+CMSS): decodes it,
 * logs it, answers "+CMGS: <mr>" / "+CMSS: <mr>" or +CMS ERROR.
 */
static void
msim_at_submit(struct msim_at *at, const char *hex, int tpdu_len, const char *cmd,
    struct msim_buf *out)
{
	struct msim_sms sms;
	const char *why = NULL;
	json_t *o;
	int err;

	if (msim_pdu_decode(hex, tpdu_len, &sms, &why) == -1 ||
	    sms.type != MSIM_PDU_SUBMIT) {
		msim_log_event(at->log, "bad_pdu", json_pack("{s:s, s:i, s:s}", "pdu", hex,
		    "length", tpdu_len, "error", why ? why : "not an SMS-SUBMIT"));
		msim_at_result(at, MSIM_RES_CMS, MSIM_CMS_BAD_PDU, out);
		return;
	}
	o = msim_at_json_submit(&sms, hex);
	if ((err = msim_at_send_fault(at)) != 0) {
		json_object_set_new(o, "cms_error", json_integer(err));
		msim_log_event(at->log, "submit_error", o);
		msim_at_result(at, MSIM_RES_CMS, err, out);
		return;
	}
	json_object_set_new(o, "cmgs_ref", json_integer(at->next_ref));
	msim_log_event(at->log, "submit", o);
	msim_at_remember(at, at->next_ref, sms.addr);
	at->accepted++;
	msim_buf_printf(out, "\r\n%s: %u\r\n\r\nOK\r\n", cmd, at->next_ref);
	if (at->reports && sms.srr)
		msim_at_auto_report(at, at->next_ref);
	at->next_ref = (at->next_ref + 1) % 256;
}

/* AT+CMSS=<index>: sends a stored message. */
static enum msim_at_result
msim_at_cmd_cmss(struct msim_at *at, struct msim_at_cmd *c, struct msim_buf *out)
{
	int idx, err;

	if (c->kind == 't')
		return MSIM_RES_OK;
	if (c->kind != '=')
		return MSIM_RES_ERROR;
	if ((err = msim_at_sms_locked(at)) != 0)
		return msim_at_cms(c, err);
	if ((idx = msim_at_index(at, c->args, NULL)) < 0 || !msim_at_slots(at, 1)[idx].used)
		return msim_at_cms(c, MSIM_CMS_BAD_INDEX);
	msim_at_submit(at, msim_at_slots(at, 1)[idx].pdu, msim_at_slots(at, 1)[idx].tpdu_len,
	    "+CMSS", out);
	return MSIM_RES_NONE;
}

/* Commands answered with a constant line, or just OK. */
static enum msim_at_result
msim_at_sms_const(struct msim_at_cmd *c, const char *read, const char *set)
{
	if (c->kind == '?' && read != NULL)
		msim_at_info(c, "%s", read);
	else if (c->kind == '=' && set != NULL)
		msim_at_info(c, "%s", set);
	return MSIM_RES_OK;
}

enum msim_at_result
msim_at_sms_command(struct msim_at *at, struct msim_at_cmd *c, bool *handled)
{
	const char *n = c->name;

	*handled = true;
	if (strcmp(n, "+CMGF") == 0)
		return msim_at_cmd_cmgf(at, c);
	if (strcmp(n, "+CPMS") == 0)
		return msim_at_cmd_cpms(at, c);
	if (strcmp(n, "+CNMI") == 0)
		return msim_at_cmd_cnmi(at, c);
	if (strcmp(n, "+CSCA") == 0)
		return msim_at_cmd_csca(at, c);
	if (strcmp(n, "+CMGS") == 0)
		return msim_at_cmd_pdu_entry(at, c, false);
	if (strcmp(n, "+CMGW") == 0)
		return msim_at_cmd_pdu_entry(at, c, true);
	if (strcmp(n, "+CMSS") == 0)
		return msim_at_cmd_cmss(at, c, c->info);
	if (strcmp(n, "+CMGL") == 0)
		return msim_at_cmd_cmgl(at, c);
	if (strcmp(n, "+CMGR") == 0)
		return msim_at_cmd_cmgr(at, c);
	if (strcmp(n, "+CMGD") == 0)
		return msim_at_cmd_cmgd(at, c);
	if (strcmp(n, "+CSMS") == 0)
		return msim_at_sms_const(c, "+CSMS: 0,1,1,1", "+CSMS: 1,1,1");
	if (strcmp(n, "+CSMP") == 0)
		return msim_at_sms_const(c, "+CSMP: 17,167,0,0", NULL);
	if (strcmp(n, "+CNMA") == 0 || strcmp(n, "+CMMS") == 0)
		return msim_at_sms_const(c, "+CMMS: 0", NULL);
	*handled = false;
	return MSIM_RES_ERROR;
}

/* AT+CMGW: stores the entered PDU, answers "+CMGW: <index>". */
static void
msim_at_write_pdu(struct msim_at *at, struct msim_buf *out)
{
	struct msim_sms sms;
	const char *hex = at->pdu.p ? at->pdu.p : "";
	int idx;

	if (msim_pdu_decode(hex, at->pdu_len, &sms, NULL) == -1) {
		msim_at_result(at, MSIM_RES_CMS, MSIM_CMS_BAD_PDU, out);
		return;
	}
	idx = msim_at_store(at, at->mem[1], hex, at->pdu_len,
	    (enum msim_slot_stat)at->pdu_stat);
	if (idx < 0) {
		msim_at_result(at, MSIM_RES_CMS, MSIM_CMS_MEM_FULL, out);
		return;
	}
	msim_buf_printf(out, "\r\n+CMGW: %d\r\n\r\nOK\r\n", msim_at_shown(at, idx - 1));
}

void
msim_at_sms_pdu_done(struct msim_at *at, struct msim_buf *out)
{
	if (at->pdu_store)
		msim_at_write_pdu(at, out);
	else
		msim_at_submit(at, at->pdu.p ? at->pdu.p : "", at->pdu_len, "+CMGS", out);
	msim_at_reset_input(at);
}

int
msim_at_deliver(struct msim_at *at, const char *pdu, int tpdu_len)
{
	int idx;

	if (at->cnmi[0] != 0 && at->cnmi[1] == 2) {
		msim_buf_printf(&at->urc, "\r\n+CMT: ,%d\r\n%s\r\n", tpdu_len, pdu);
		return 0;
	}
	if ((idx = msim_at_store(at, at->mem[2], pdu, tpdu_len, MSIM_REC_UNREAD)) < 0)
		return -1;
	if (at->cnmi[0] != 0 && (at->cnmi[1] == 1 || at->cnmi[1] == 3))
		msim_buf_printf(&at->urc, "\r\n+CMTI: \"%s\",%d\r\n",
		    msim_mem_names[at->mem[2]], msim_at_shown(at, idx - 1));
	return idx;
}

/* Recipient and time of the message answered with ref, if remembered. */
static const struct msim_sent *
msim_at_find_sent(const struct msim_at *at, unsigned ref)
{
	unsigned i, k;

	for (i = 1; i <= MSIM_AT_HISTORY; i++) {
		k = (at->sent_next + MSIM_AT_HISTORY - i) % MSIM_AT_HISTORY;
		if (at->sent[k].used && at->sent[k].ref == ref)
			return &at->sent[k];
	}
	return NULL;
}

int
msim_at_report(struct msim_at *at, unsigned ref, unsigned status, time_t now)
{
	const struct msim_sent *s = msim_at_find_sent(at, ref);
	struct msim_sms sms;
	char hex[MSIM_PDU_HEX_MAX];
	int len, idx;

	memset(&sms, 0, sizeof(sms));
	sms.type = MSIM_PDU_STATUS_REPORT;
	snprintf(sms.smsc, sizeof(sms.smsc), "%s", at->smsc);
	snprintf(sms.addr, sizeof(sms.addr), "%s", s ? s->to : MSIM_UNKNOWN_RECIPIENT);
	sms.mr = ref & 0xFF;
	sms.scts = s ? s->when : now;
	sms.dt = now;
	sms.status = status;
	if ((len = msim_pdu_encode(&sms, hex, sizeof(hex))) < 0)
		return -1;
	if (at->cnmi[0] != 0 && at->cnmi[3] == 1) {
		msim_buf_printf(&at->urc, "\r\n+CDS: %d\r\n%s\r\n", len, hex);
		return 0;
	}
	if ((idx = msim_at_store(at, at->mem[2], hex, len, MSIM_REC_UNREAD)) < 0)
		return -1;
	if (at->cnmi[0] != 0 && at->cnmi[3] == 2)
		msim_buf_printf(&at->urc, "\r\n+CDSI: \"%s\",%d\r\n",
		    msim_mem_names[at->mem[2]], msim_at_shown(at, idx - 1));
	return idx;
}
