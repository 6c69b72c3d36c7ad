/*
 * pdu — SMS transfer-layer PDUs (3GPP TS 23.040) as exchanged with a
 * modem in PDU mode (TS 27.005): hex text, preceded by the service
 * centre address.  Pure logic, no allocation, no libgammu: this decoder
 * is an independent check of what SMS software sends.
 *
 * Decodes SMS-SUBMIT (what a client sends with AT+CMGS), SMS-DELIVER
 * and SMS-STATUS-REPORT; encodes all three.  User data may be GSM-7
 * (default alphabet and extension table), 8-bit or UCS-2, with a user
 * data header; the concatenation elements (IEI 0x00, 8-bit reference,
 * and IEI 0x08, 16-bit reference) are parsed, other elements skipped.
 *
 * Timestamps are time_t (UTC) plus the sender's offset from UTC in
 * quarters of an hour, as the PDU carries them.
 */
#ifndef MSIM_PDU_H
#define MSIM_PDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* An address: "+" and up to 20 digits, or an alphanumeric sender. */
#define MSIM_ADDR_MAX 32

/* User data is at most 140 octets. */
#define MSIM_UD_MAX 140

/* Decoded text: 160 septets of up to 3 UTF-8 bytes, or hex of 8-bit data. */
#define MSIM_TEXT_MAX 512

/* Hex of a whole PDU: SMSC (12 octets) + TPDU (at most 176), plus NUL. */
#define MSIM_PDU_HEX_MAX 400

/* TP-MTI for each direction (TS 23.040 §9.2.3.1). */
enum msim_pdu_type {
	MSIM_PDU_DELIVER = 0,		/* SC to MS (also SMS-DELIVER-REPORT) */
	MSIM_PDU_SUBMIT = 1,		/* MS to SC */
	MSIM_PDU_STATUS_REPORT = 2,	/* SC to MS */
};

enum msim_alphabet {
	MSIM_ALPHA_GSM7 = 0,
	MSIM_ALPHA_8BIT = 1,
	MSIM_ALPHA_UCS2 = 2,
};

/* A concatenation information element. */
struct msim_concat {
	bool		present;
	unsigned	ref;		/* reference number */
	unsigned	ref_bits;	/* 8 (IEI 0x00) or 16 (IEI 0x08) */
	unsigned	parts;		/* total number of parts, 1-255 */
	unsigned	seq;		/* this part, 1-based */
};

/* One SMS, decoded or to encode.  Fields not used by a type stay zero. */
struct msim_sms {
	enum msim_pdu_type type;
	char		smsc[MSIM_ADDR_MAX];	/* "" when none / modem default */
	char		addr[MSIM_ADDR_MAX];	/* DA, OA or RA by type */
	unsigned	mr;		/* TP-MR (SUBMIT, STATUS-REPORT) */
	bool		srr;		/* TP-SRR / TP-SRI / TP-SRQ */
	bool		rd;		/* SUBMIT: TP-RD, reject duplicates */
	unsigned	vpf;		/* SUBMIT: TP-VPF, 0-3 */
	int		vp_relative;	/* SUBMIT: TP-VP when vpf == 2, else -1 */
	unsigned	pid;		/* TP-PID */
	unsigned	dcs;		/* TP-DCS as sent */
	enum msim_alphabet alphabet;	/* from dcs */
	int		msg_class;	/* 0-3, or -1 when dcs gives none */
	time_t		scts;		/* DELIVER, STATUS-REPORT */
	int		tz_quarters;	/* offset of scts, -79..79 */
	time_t		dt;		/* STATUS-REPORT: discharge time */
	unsigned	status;		/* STATUS-REPORT: TP-ST */
	struct msim_concat concat;
	size_t		udh_len;	/* octets of UDH, UDHL byte excluded */
	uint8_t		udh[MSIM_UD_MAX];
	size_t		data_len;	/* 8-bit user data after the UDH */
	uint8_t		data[MSIM_UD_MAX];
	unsigned	units;		/* text length: septets or UCS-2 units */
	char		text[MSIM_TEXT_MAX];	/* UTF-8; hex for 8-bit */
};

/*
 * Decodes a PDU-mode PDU: hex text, SMSC address first.  tpdu_len is the
 * <length> of AT+CMGS / +CMGR (octets after the SMSC), or -1 not to
 * check it.  On success fills *sms and returns 0; on failure returns -1
 * and, when err is not NULL, points *err at a static English reason.
 */
int msim_pdu_decode(const char *hex, int tpdu_len, struct msim_sms *sms,
    const char **err);

/*
 * Encodes sms as PDU-mode hex into hex (hexsz bytes, MSIM_PDU_HEX_MAX is
 * enough).  Uses type, smsc, addr, mr, srr, pid, alphabet (dcs is
 * derived from it and msg_class), text (UTF-8; for 8-bit, data and
 * data_len), concat, scts/tz_quarters, dt and status, and for SUBMIT
 * vp_relative (-1: none).  Returns the TPDU length (the <length> to
 * announce), or -1 when the text cannot be encoded or does not fit.
 */
int msim_pdu_encode(const struct msim_sms *sms, char *hex, size_t hexsz);

/* "gsm7", "8bit" or "ucs2". */
const char *msim_pdu_alphabet_name(enum msim_alphabet alphabet);

/*
 * Text capacity of one part, in septets (GSM-7) or units (UCS-2) or
 * octets (8-bit), with or without a concatenation header (8-bit ref).
 */
unsigned msim_pdu_capacity(enum msim_alphabet alphabet, bool concat);

/* Writes len octets as upper-case hex plus NUL; hexsz >= 2 * len + 1. */
void msim_hex_encode(const uint8_t *in, size_t len, char *hex);

/* Decodes hex into out; returns the number of octets, or -1. */
int msim_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t outsz);

#endif
