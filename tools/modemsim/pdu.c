/*
 * pdu — SMS transfer-layer PDUs.  See pdu.h.
 *
 * Decoding walks the octets with a bounds-checked reader (struct
 * msim_rd): every field read fails cleanly at the end of the buffer, so
 * a truncated or lying PDU gives -1 and a reason, never an overread.
 * Encoding appends to a bounded writer (struct msim_wr) the same way.
 */
#include "pdu.h"
#include "gsm7.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* First-octet bits (TS 23.040 §9.2.3). */
#define MSIM_FO_MTI	0x03	/* message type indicator */
#define MSIM_FO_MMS	0x04	/* DELIVER/REPORT: no more messages; SUBMIT: TP-RD */
#define MSIM_FO_VPF	0x18	/* SUBMIT: validity period format */
#define MSIM_FO_SRR	0x20	/* status report request / indication / qualifier */
#define MSIM_FO_UDHI	0x40	/* user data starts with a header */

/* Type of address: international ISDN, unknown ISDN, alphanumeric. */
#define MSIM_TOA_INTL	0x91
#define MSIM_TOA_UNKNOWN 0x81
#define MSIM_TOA_ALNUM	0xD0

/* Concatenation information elements. */
#define MSIM_IEI_CONCAT8	0x00
#define MSIM_IEI_CONCAT16	0x08

/* Longest PDU we handle: SMSC (12) + SUBMIT header (at most 36) + 140. */
#define MSIM_PDU_MAX 200

struct msim_rd {
	const uint8_t	*b;
	size_t		len;
	size_t		pos;
};

struct msim_wr {
	uint8_t		b[MSIM_PDU_MAX];
	size_t		len;
	int		overflow;
};

static const char MSIM_ERR_SHORT[] = "PDU truncated";

void
msim_hex_encode(const uint8_t *in, size_t len, char *hex)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		hex[2 * i] = digits[in[i] >> 4];
		hex[2 * i + 1] = digits[in[i] & 0x0F];
	}
	hex[2 * len] = '\0';
}

/* Value of a hex digit, or -1. */
static int
msim_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
msim_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t outsz)
{
	size_t i;
	int hi, lo;

	if (hexlen % 2 != 0 || hexlen / 2 > outsz)
		return -1;
	for (i = 0; i < hexlen / 2; i++) {
		hi = msim_hex_digit(hex[2 * i]);
		lo = msim_hex_digit(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(hexlen / 2);
}

const char *
msim_pdu_alphabet_name(enum msim_alphabet alphabet)
{
	switch (alphabet) {
	case MSIM_ALPHA_8BIT:
		return "8bit";
	case MSIM_ALPHA_UCS2:
		return "ucs2";
	default:
		return "gsm7";
	}
}

unsigned
msim_pdu_capacity(enum msim_alphabet alphabet, bool concat)
{
	switch (alphabet) {
	case MSIM_ALPHA_8BIT:
		return concat ? 134 : 140;
	case MSIM_ALPHA_UCS2:
		return concat ? 67 : 70;
	default:
		return concat ? 153 : 160;
	}
}

/* --- reading ---------------------------------------------------------- */

static int
msim_rd_u8(struct msim_rd *r, unsigned *v)
{
	if (r->pos >= r->len)
		return -1;
	*v = r->b[r->pos++];
	return 0;
}

/* Points *p at the next n octets and skips them. */
static int
msim_rd_take(struct msim_rd *r, size_t n, const uint8_t **p)
{
	if (n > r->len - r->pos)
		return -1;
	*p = r->b + r->pos;
	r->pos += n;
	return 0;
}

/* Swapped BCD digits of an address; 0xF is the filler. */
static int
msim_pdu_bcd(const uint8_t *p, size_t ndigits, char *out, size_t outsz)
{
	static const char digits[] = "0123456789*#abc";
	size_t i;
	unsigned nib;

	if (ndigits + 1 > outsz)
		return -1;
	for (i = 0; i < ndigits; i++) {
		nib = (i % 2 == 0) ? (p[i / 2] & 0x0F) : (p[i / 2] >> 4);
		if (nib == 0x0F)
			return -1;
		out[i] = digits[nib];
	}
	out[ndigits] = '\0';
	return 0;
}

/* An alphanumeric address: GSM-7 packed in the semi-octets. */
static int
msim_pdu_alnum(const uint8_t *p, size_t nsemi, char *out, size_t outsz)
{
	uint8_t sept[MSIM_ADDR_MAX];
	size_t n = nsemi * 4 / 7;

	if (n > sizeof(sept) ||
	    msim_gsm7_unpack(p, (nsemi + 1) / 2, 0, n, sept) == -1)
		return -1;
	return msim_gsm7_to_utf8(sept, n, out, outsz) < 0 ? -1 : 0;
}

/*
 * Reads an address.  The SMSC address counts octets (TOA included), the
 * others count semi-octets (digits).
 */
static int
msim_rd_addr(struct msim_rd *r, bool smsc, char out[MSIM_ADDR_MAX])
{
	const uint8_t *p;
	unsigned len, toa;
	size_t nsemi, off;

	out[0] = '\0';
	if (msim_rd_u8(r, &len) == -1)
		return -1;
	if (smsc && len == 0)
		return 0;
	nsemi = smsc ? (len - 1) * 2 : len;
	if ((smsc && len > 11) || (!smsc && len > 20))
		return -1;
	if (msim_rd_u8(r, &toa) == -1 || msim_rd_take(r, (nsemi + 1) / 2, &p) == -1)
		return -1;
	if ((toa & 0x70) == 0x50)
		return msim_pdu_alnum(p, nsemi, out, MSIM_ADDR_MAX);
	off = ((toa & 0x70) == 0x10) ? 1 : 0;
	if (off)
		out[0] = '+';
	if (smsc && nsemi > 0 && (p[nsemi / 2 - 1] >> 4) == 0x0F)
		nsemi--;		/* odd number of digits */
	return msim_pdu_bcd(p, nsemi, out + off, MSIM_ADDR_MAX - off);
}

/* One swapped-BCD octet of a timestamp. */
static int
msim_pdu_bcd2(unsigned o)
{
	unsigned lo = o & 0x0F, hi = o >> 4;

	if (lo > 9 || hi > 9)
		return -1;
	return (int)(lo * 10 + hi);
}

/* Reads a 7-octet timestamp (TS 23.040 §9.2.3.11). */
static int
msim_rd_time(struct msim_rd *r, time_t *t, int *tzq)
{
	const uint8_t *p;
	struct tm tm;
	int v[6], i, q;

	if (msim_rd_take(r, 7, &p) == -1)
		return -1;
	for (i = 0; i < 6; i++)
		if ((v[i] = msim_pdu_bcd2(p[i])) < 0)
			return -1;
	q = (int)((p[6] & 0x07) * 10 + (p[6] >> 4));
	if (p[6] & 0x08)
		q = -q;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 100 + v[0];
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	*t = timegm(&tm) - (time_t)q * 15 * 60;
	*tzq = q;
	return 0;
}

/* Alphabet and class from TP-DCS (TS 23.038 §4); -1 for compressed. */
static int
msim_pdu_dcs(struct msim_sms *sms)
{
	unsigned dcs = sms->dcs, group = dcs >> 4;

	sms->alphabet = MSIM_ALPHA_GSM7;
	sms->msg_class = -1;
	if (group <= 0x07) {
		if (dcs & 0x20)
			return -1;
		if (((dcs >> 2) & 3) == 1)
			sms->alphabet = MSIM_ALPHA_8BIT;
		else if (((dcs >> 2) & 3) == 2)
			sms->alphabet = MSIM_ALPHA_UCS2;
		if (dcs & 0x10)
			sms->msg_class = (int)(dcs & 3);
	} else if (group == 0x0E) {
		sms->alphabet = MSIM_ALPHA_UCS2;
	} else if (group == 0x0F) {
		sms->alphabet = (dcs & 0x04) ? MSIM_ALPHA_8BIT : MSIM_ALPHA_GSM7;
		sms->msg_class = (int)(dcs & 3);
	}
	return 0;
}

/* Finds the concatenation element in the UDH; -1 when the UDH is malformed. */
static int
msim_pdu_parse_udh(struct msim_sms *sms)
{
	const uint8_t *h = sms->udh;
	size_t i = 0, iedl;
	struct msim_concat c;

	while (i < sms->udh_len) {
		if (i + 2 > sms->udh_len)
			return -1;
		iedl = h[i + 1];
		if (i + 2 + iedl > sms->udh_len)
			return -1;
		memset(&c, 0, sizeof(c));
		if (h[i] == MSIM_IEI_CONCAT8 && iedl == 3) {
			c.ref = h[i + 2], c.ref_bits = 8;
			c.parts = h[i + 3], c.seq = h[i + 4];
		} else if (h[i] == MSIM_IEI_CONCAT16 && iedl == 4) {
			c.ref = (unsigned)h[i + 2] << 8 | h[i + 3], c.ref_bits = 16;
			c.parts = h[i + 4], c.seq = h[i + 5];
		}
		/* TS 23.040 §9.2.3.24.1: ignore an element with a bad seq */
		if (c.ref_bits != 0 && c.parts > 0 && c.seq >= 1 && c.seq <= c.parts) {
			c.present = true;
			sms->concat = c;
		}
		i += 2 + iedl;
	}
	return 0;
}

/* Decodes the text of GSM-7 user data after `hdr` header octets. */
static int
msim_pdu_ud_gsm7(struct msim_sms *sms, const uint8_t *ud, size_t octets,
    unsigned udl, size_t hdr)
{
	uint8_t sept[160];
	size_t hsept = (hdr * 8 + 6) / 7;

	if (udl > 160 || hsept > udl)
		return -1;
	sms->units = (unsigned)(udl - hsept);
	if (msim_gsm7_unpack(ud + hdr, octets - hdr, (unsigned)(hsept * 7 - hdr * 8),
	    sms->units, sept) == -1)
		return -1;
	return msim_gsm7_to_utf8(sept, sms->units, sms->text, sizeof(sms->text)) < 0 ? -1 : 0;
}

/* Reads TP-UDL and TP-UD; needs dcs and the UDHI bit. */
static int
msim_rd_ud(struct msim_rd *r, struct msim_sms *sms, bool udhi, const char **err)
{
	const uint8_t *ud;
	unsigned udl;
	size_t octets, hdr = 0;

	if (msim_rd_u8(r, &udl) == -1)
		return *err = MSIM_ERR_SHORT, -1;
	octets = sms->alphabet == MSIM_ALPHA_GSM7 ? (udl * 7 + 7) / 8 : udl;
	if (octets > MSIM_UD_MAX)
		return *err = "TP-UDL too large", -1;
	if (msim_rd_take(r, octets, &ud) == -1)
		return *err = "user data shorter than TP-UDL", -1;
	if (udhi) {
		if (octets < 1 || (size_t)ud[0] + 1 > octets)
			return *err = "user data header longer than user data", -1;
		hdr = (size_t)ud[0] + 1;
		sms->udh_len = ud[0];
		memcpy(sms->udh, ud + 1, sms->udh_len);
		if (msim_pdu_parse_udh(sms) == -1)
			return *err = "malformed user data header", -1;
	}
	if (sms->alphabet == MSIM_ALPHA_GSM7) {
		if (msim_pdu_ud_gsm7(sms, ud, octets, udl, hdr) == -1)
			return *err = "bad GSM-7 user data", -1;
		return 0;
	}
	sms->data_len = octets - hdr;
	memcpy(sms->data, ud + hdr, sms->data_len);
	if (sms->alphabet == MSIM_ALPHA_8BIT) {
		sms->units = (unsigned)sms->data_len;
		msim_hex_encode(sms->data, sms->data_len, sms->text);
		return 0;
	}
	sms->units = (unsigned)(sms->data_len / 2);
	if (msim_ucs2_to_utf8(sms->data, sms->data_len, sms->text, sizeof(sms->text)) < 0)
		return *err = "odd length of UCS-2 user data", -1;
	return 0;
}

/* Reads TP-PID and TP-DCS. */
static int
msim_rd_pid_dcs(struct msim_rd *r, struct msim_sms *sms, const char **err)
{
	if (msim_rd_u8(r, &sms->pid) == -1 || msim_rd_u8(r, &sms->dcs) == -1)
		return *err = MSIM_ERR_SHORT, -1;
	if (msim_pdu_dcs(sms) == -1)
		return *err = "compressed user data not supported", -1;
	return 0;
}

static int
msim_pdu_decode_submit(struct msim_rd *r, unsigned fo, struct msim_sms *sms,
    const char **err)
{
	const uint8_t *vp;
	unsigned v;

	sms->rd = (fo & MSIM_FO_MMS) != 0;
	sms->vpf = (fo & MSIM_FO_VPF) >> 3;
	sms->srr = (fo & MSIM_FO_SRR) != 0;
	sms->vp_relative = -1;
	if (msim_rd_u8(r, &sms->mr) == -1)
		return *err = MSIM_ERR_SHORT, -1;
	if (msim_rd_addr(r, false, sms->addr) == -1)
		return *err = "bad destination address", -1;
	if (msim_rd_pid_dcs(r, sms, err) == -1)
		return -1;
	if (sms->vpf == 2) {
		if (msim_rd_u8(r, &v) == -1)
			return *err = MSIM_ERR_SHORT, -1;
		sms->vp_relative = (int)v;
	} else if (sms->vpf != 0 && msim_rd_take(r, 7, &vp) == -1)
		return *err = MSIM_ERR_SHORT, -1;
	return msim_rd_ud(r, sms, (fo & MSIM_FO_UDHI) != 0, err);
}

static int
msim_pdu_decode_deliver(struct msim_rd *r, unsigned fo, struct msim_sms *sms,
    const char **err)
{
	sms->srr = (fo & MSIM_FO_SRR) != 0;
	if (msim_rd_addr(r, false, sms->addr) == -1)
		return *err = "bad originating address", -1;
	if (msim_rd_pid_dcs(r, sms, err) == -1)
		return -1;
	if (msim_rd_time(r, &sms->scts, &sms->tz_quarters) == -1)
		return *err = "bad service centre timestamp", -1;
	return msim_rd_ud(r, sms, (fo & MSIM_FO_UDHI) != 0, err);
}

static int
msim_pdu_decode_report(struct msim_rd *r, unsigned fo, struct msim_sms *sms,
    const char **err)
{
	unsigned pi;
	int tzq;

	sms->srr = (fo & MSIM_FO_SRR) != 0;
	if (msim_rd_u8(r, &sms->mr) == -1)
		return *err = MSIM_ERR_SHORT, -1;
	if (msim_rd_addr(r, false, sms->addr) == -1)
		return *err = "bad recipient address", -1;
	if (msim_rd_time(r, &sms->scts, &sms->tz_quarters) == -1 ||
	    msim_rd_time(r, &sms->dt, &tzq) == -1)
		return *err = "bad timestamp", -1;
	if (msim_rd_u8(r, &sms->status) == -1)
		return *err = MSIM_ERR_SHORT, -1;
	if (msim_rd_u8(r, &pi) == -1 || pi == 0xFF)
		return 0;		/* no optional parameters */
	if ((pi & 1) && msim_rd_u8(r, &sms->pid) == -1)
		return *err = MSIM_ERR_SHORT, -1;
	if ((pi & 2) && msim_rd_u8(r, &sms->dcs) == -1)
		return *err = MSIM_ERR_SHORT, -1;
	if (msim_pdu_dcs(sms) == -1)
		return *err = "compressed user data not supported", -1;
	return (pi & 4) ? msim_rd_ud(r, sms, (fo & MSIM_FO_UDHI) != 0, err) : 0;
}

int
msim_pdu_decode(const char *hex, int tpdu_len, struct msim_sms *sms,
    const char **err)
{
	uint8_t buf[MSIM_PDU_MAX];
	struct msim_rd r;
	const char *dummy;
	unsigned fo;
	int n, rc;

	if (err == NULL)
		err = &dummy;
	memset(sms, 0, sizeof(*sms));
	sms->msg_class = -1;
	sms->vp_relative = -1;
	if ((n = msim_hex_decode(hex, strlen(hex), buf, sizeof(buf))) < 0)
		return *err = "not hexadecimal, or too long", -1;
	r.b = buf, r.len = (size_t)n, r.pos = 0;
	if (msim_rd_addr(&r, true, sms->smsc) == -1)
		return *err = "bad SMSC address", -1;
	if (tpdu_len >= 0 && (size_t)tpdu_len != r.len - r.pos)
		return *err = "length does not match the PDU", -1;
	if (msim_rd_u8(&r, &fo) == -1)
		return *err = MSIM_ERR_SHORT, -1;
	sms->type = (enum msim_pdu_type)(fo & MSIM_FO_MTI);
	if (sms->type == MSIM_PDU_SUBMIT)
		rc = msim_pdu_decode_submit(&r, fo, sms, err);
	else if (sms->type == MSIM_PDU_DELIVER)
		rc = msim_pdu_decode_deliver(&r, fo, sms, err);
	else if (sms->type == MSIM_PDU_STATUS_REPORT)
		rc = msim_pdu_decode_report(&r, fo, sms, err);
	else
		return *err = "reserved message type", -1;
	if (rc == 0 && r.pos != r.len)
		return *err = "trailing octets after user data", -1;
	return rc;
}

/* --- writing ---------------------------------------------------------- */

static void
msim_wr_u8(struct msim_wr *w, unsigned v)
{
	if (w->len >= sizeof(w->b)) {
		w->overflow = 1;
		return;
	}
	w->b[w->len++] = (uint8_t)v;
}

static void
msim_wr_bytes(struct msim_wr *w, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		msim_wr_u8(w, p[i]);
}

/* True when addr is "+" and digits, or digits, * and #. */
static bool
msim_pdu_addr_numeric(const char *addr)
{
	const char *p = addr[0] == '+' ? addr + 1 : addr;

	if (*p == '\0')
		return false;
	return strspn(p, "0123456789*#") == strlen(p);
}

/* Writes addr; the SMSC address counts octets, the others digits. */
static int
msim_wr_addr(struct msim_wr *w, bool smsc, const char *addr)
{
	uint8_t sept[MSIM_ADDR_MAX], packed[MSIM_ADDR_MAX];
	const char *d;
	size_t nd, i;
	int ns, np;
	unsigned nib, o = 0;

	if (smsc && addr[0] == '\0') {
		msim_wr_u8(w, 0);
		return 0;
	}
	if (!msim_pdu_addr_numeric(addr)) {
		if (smsc || (ns = msim_gsm7_from_utf8(addr, sept, 11)) <= 0)
			return -1;
		np = msim_gsm7_pack(sept, (size_t)ns, 0, packed, sizeof(packed));
		msim_wr_u8(w, ((unsigned)ns * 7 + 3) / 4);
		msim_wr_u8(w, MSIM_TOA_ALNUM);
		msim_wr_bytes(w, packed, (size_t)np);
		return 0;
	}
	d = addr[0] == '+' ? addr + 1 : addr;
	if ((nd = strlen(d)) > 20)
		return -1;
	msim_wr_u8(w, smsc ? (unsigned)(nd + 1) / 2 + 1 : (unsigned)nd);
	msim_wr_u8(w, addr[0] == '+' ? MSIM_TOA_INTL : MSIM_TOA_UNKNOWN);
	for (i = 0; i < nd; i++) {
		nib = d[i] == '*' ? 10 : d[i] == '#' ? 11 : (unsigned)(d[i] - '0');
		if (i % 2 == 0)
			o = nib;
		else
			msim_wr_u8(w, o | nib << 4);
	}
	if (nd % 2 != 0)
		msim_wr_u8(w, o | 0xF0);
	return 0;
}

/* One timestamp octet: v as swapped BCD. */
static unsigned
msim_pdu_tobcd2(int v)
{
	return (unsigned)((v % 10) << 4 | (v / 10) % 10);
}

static void
msim_wr_time(struct msim_wr *w, time_t t, int tzq)
{
	time_t local = t + (time_t)tzq * 15 * 60;
	struct tm tm;
	unsigned q = (unsigned)(tzq < 0 ? -tzq : tzq);

	gmtime_r(&local, &tm);
	msim_wr_u8(w, msim_pdu_tobcd2(tm.tm_year % 100));
	msim_wr_u8(w, msim_pdu_tobcd2(tm.tm_mon + 1));
	msim_wr_u8(w, msim_pdu_tobcd2(tm.tm_mday));
	msim_wr_u8(w, msim_pdu_tobcd2(tm.tm_hour));
	msim_wr_u8(w, msim_pdu_tobcd2(tm.tm_min));
	msim_wr_u8(w, msim_pdu_tobcd2(tm.tm_sec));
	msim_wr_u8(w, ((q % 10) << 4) | ((q / 10) & 7) | (tzq < 0 ? 0x08 : 0));
}

/* Writes the concatenation UDH (UDHL included) into h; returns its size. */
static size_t
msim_pdu_make_udh(const struct msim_concat *c, uint8_t *h)
{
	if (!c->present)
		return 0;
	if (c->ref_bits == 16) {
		h[0] = 6, h[1] = MSIM_IEI_CONCAT16, h[2] = 4;
		h[3] = (uint8_t)(c->ref >> 8), h[4] = (uint8_t)c->ref;
		h[5] = (uint8_t)c->parts, h[6] = (uint8_t)c->seq;
		return 7;
	}
	h[0] = 5, h[1] = MSIM_IEI_CONCAT8, h[2] = 3;
	h[3] = (uint8_t)c->ref, h[4] = (uint8_t)c->parts, h[5] = (uint8_t)c->seq;
	return 6;
}

/* Writes TP-UDL and TP-UD of GSM-7 text after an hlen-octet header h. */
static int
msim_wr_ud_gsm7(struct msim_wr *w, const char *text, const uint8_t *h, size_t hlen)
{
	uint8_t sept[160], ud[MSIM_UD_MAX];
	size_t hsept = (hlen * 8 + 6) / 7;
	int ns, np;

	if ((ns = msim_gsm7_from_utf8(text, sept, 160 - hsept)) < 0)
		return -1;
	memcpy(ud, h, hlen);
	np = msim_gsm7_pack(sept, (size_t)ns, (unsigned)(hsept * 7 - hlen * 8),
	    ud + hlen, sizeof(ud) - hlen);
	if (np < 0)
		return -1;
	msim_wr_u8(w, (unsigned)(hsept + (size_t)ns));
	msim_wr_bytes(w, ud, hlen + (size_t)np);
	return 0;
}

/* Writes TP-UDL and TP-UD. */
static int
msim_wr_ud(struct msim_wr *w, const struct msim_sms *sms)
{
	uint8_t h[8], data[MSIM_UD_MAX];
	size_t hlen = msim_pdu_make_udh(&sms->concat, h);
	int n;

	if (sms->alphabet == MSIM_ALPHA_GSM7)
		return msim_wr_ud_gsm7(w, sms->text, h, hlen);
	if (sms->alphabet == MSIM_ALPHA_8BIT) {
		if (sms->data_len > MSIM_UD_MAX - hlen)
			return -1;
		memcpy(data, sms->data, sms->data_len);
		n = (int)sms->data_len;
	} else if ((n = msim_ucs2_from_utf8(sms->text, data, MSIM_UD_MAX - hlen)) < 0)
		return -1;
	msim_wr_u8(w, (unsigned)(hlen + (size_t)n));
	msim_wr_bytes(w, h, hlen);
	msim_wr_bytes(w, data, (size_t)n);
	return 0;
}

/* TP-DCS for the alphabet and class of sms. */
static unsigned
msim_pdu_make_dcs(const struct msim_sms *sms)
{
	unsigned dcs = (unsigned)sms->alphabet << 2;

	if (sms->msg_class >= 0 && sms->msg_class <= 3)
		dcs |= 0x10 | (unsigned)sms->msg_class;
	return dcs;
}

static int
msim_pdu_encode_tpdu(struct msim_wr *w, const struct msim_sms *sms)
{
	unsigned udhi = sms->concat.present ? MSIM_FO_UDHI : 0;
	unsigned srr = sms->srr ? MSIM_FO_SRR : 0;

	if (sms->type == MSIM_PDU_SUBMIT) {
		msim_wr_u8(w, 0x01 | udhi | srr | (sms->rd ? MSIM_FO_MMS : 0) |
		    (sms->vp_relative >= 0 ? 0x10 : 0));
		msim_wr_u8(w, sms->mr);
	} else if (sms->type == MSIM_PDU_DELIVER) {
		msim_wr_u8(w, 0x00 | MSIM_FO_MMS | udhi | srr);
	} else {
		msim_wr_u8(w, 0x02 | MSIM_FO_MMS | srr);
		msim_wr_u8(w, sms->mr);
	}
	if (msim_wr_addr(w, false, sms->addr) == -1)
		return -1;
	if (sms->type == MSIM_PDU_STATUS_REPORT) {
		msim_wr_time(w, sms->scts, sms->tz_quarters);
		msim_wr_time(w, sms->dt, sms->tz_quarters);
		msim_wr_u8(w, sms->status);
		return 0;
	}
	msim_wr_u8(w, sms->pid);
	msim_wr_u8(w, msim_pdu_make_dcs(sms));
	if (sms->type == MSIM_PDU_SUBMIT && sms->vp_relative >= 0)
		msim_wr_u8(w, (unsigned)sms->vp_relative & 0xFF);
	if (sms->type == MSIM_PDU_DELIVER)
		msim_wr_time(w, sms->scts, sms->tz_quarters);
	return msim_wr_ud(w, sms);
}

int
msim_pdu_encode(const struct msim_sms *sms, char *hex, size_t hexsz)
{
	struct msim_wr w;
	size_t sca;

	memset(&w, 0, sizeof(w));
	if (msim_wr_addr(&w, true, sms->smsc) == -1)
		return -1;
	sca = w.len;
	if (msim_pdu_encode_tpdu(&w, sms) == -1 || w.overflow)
		return -1;
	if (hexsz < 2 * w.len + 1)
		return -1;
	msim_hex_encode(w.b, w.len, hex);
	return (int)(w.len - sca);
}
