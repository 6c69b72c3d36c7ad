/*
 * check_modemsim — the modem simulator (tools/modemsim).
 *
 * Three layers:
 *   - the PDU codec and character sets, against PDUs captured from the
 *     unmodified libgammu 1.42 (Debian 12) and hand-computed vectors;
 *   - the AT interpreter and the pty, driven by a small C client;
 *   - end to end: the Debian `gammu` and `gammu-smsd` programs against
 *     the simulator, checked through its JSON log.  They must be on PATH
 *     (the Makefile installs them): a missing tool fails the test.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "at.h"
#include "gsm7.h"
#include "modemsim.h"
#include "pdu.h"
#include "persona.h"
#include "test_main.h"

/* PDUs sent by libgammu 1.42 through AT+CMGS, captured by the simulator. */
static const char PDU_EXT[] =		/* "Bonjour € [test] {x} ~^|\" */
    "07913386094000F011000B913316325476F80000FF22C2B75BFDAECB419B3268C3A3"
    "97E7F48D0FB441E13729D0A6B7A16C809B17";
static const char PDU_CONCAT8_2[] =	/* part 2/2, ref 229 */
    "07913386094000F051000B913316325476F80000FF18050003E5020240EDFABC5C06"
    "CDC3ED3239ED024DDF";
static const char PDU_CONCAT16_2[] =	/* part 2/2, 16-bit ref 5592 */
    "07913386094000F051000B913316325476F80000FF3806080415D8020265503B2C27"
    "A75DA020BDCC4E97E5A0F1BB4EAFCBCBA076584E4EBB40417A999D2ECB41E3779D5E"
    "979741";
static const char PDU_UCS2_SRR[] =	/* Arabic, status report requested */
    "07913386094000F031000B913316325476F80008FF2206450631062D06280627060C"
    "0020064506480639062F064306450020063A062F0627";
/* The classic example of 3GPP TS 27.005 tutorials: "hellohello". */
static const char PDU_HELLO[] = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37";

/* --- character sets ---------------------------------------------------- */

START_TEST(test_gsm7_pack_hello)
{
	uint8_t sept[16], packed[16], back[16];
	char hex[40], text[64];
	int n, np;

	n = msim_gsm7_from_utf8("hellohello", sept, sizeof(sept));
	ck_assert_int_eq(n, 10);
	np = msim_gsm7_pack(sept, (size_t)n, 0, packed, sizeof(packed));
	ck_assert_int_eq(np, 9);
	msim_hex_encode(packed, (size_t)np, hex);
	ck_assert_str_eq(hex, "E8329BFD4697D9EC37");
	ck_assert_int_eq(msim_gsm7_unpack(packed, (size_t)np, 0, 10, back), 0);
	ck_assert_int_ge(msim_gsm7_to_utf8(back, 10, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "hellohello");
}
END_TEST

START_TEST(test_gsm7_extension_costs_two)
{
	uint8_t sept[32];
	char text[64];
	int n;

	ck_assert_int_eq(msim_gsm7_length("€[]{}~^|\\"), 18);
	ck_assert_int_eq(msim_gsm7_length("Ça coûte 5 €"), -1);	/* û is not GSM-7 */
	ck_assert_int_eq(msim_gsm7_length("àéèùìòÇÉ"), 8);
	n = msim_gsm7_from_utf8("a€b", sept, sizeof(sept));
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(sept[1], 0x1B);
	ck_assert_int_eq(sept[2], 0x65);
	ck_assert_int_ge(msim_gsm7_to_utf8(sept, (size_t)n, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "a€b");
	/* an escape at the very end of the septets gives a space */
	sept[0] = 'A', sept[1] = 0x1B;
	msim_gsm7_to_utf8(sept, 2, text, sizeof(text));
	ck_assert_str_eq(text, "A ");
}
END_TEST

START_TEST(test_gsm7_fill_bits)
{
	uint8_t sept[3] = { 'a', 'b', 'c' }, packed[8], back[3];
	int np;

	/* after a 6-octet UDH the text starts after 1 fill bit */
	np = msim_gsm7_pack(sept, 3, 1, packed, sizeof(packed));
	ck_assert_int_eq(np, 3);
	ck_assert_int_eq(packed[0], (uint8_t)('a' << 1));
	ck_assert_int_eq(msim_gsm7_unpack(packed, (size_t)np, 1, 3, back), 0);
	ck_assert_mem_eq(back, sept, 3);
	ck_assert_int_eq(msim_gsm7_unpack(packed, 1, 1, 3, back), -1);
}
END_TEST

START_TEST(test_ucs2_arabic_and_surrogates)
{
	uint8_t u[64];
	char hex[130], text[64];
	int n;

	n = msim_ucs2_from_utf8("مرحبا", u, sizeof(u));
	ck_assert_int_eq(n, 10);
	msim_hex_encode(u, (size_t)n, hex);
	ck_assert_str_eq(hex, "06450631062D06280627");
	ck_assert_int_ge(msim_ucs2_to_utf8(u, (size_t)n, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "مرحبا");
	n = msim_ucs2_from_utf8("😀", u, sizeof(u));
	ck_assert_int_eq(n, 4);
	msim_hex_encode(u, (size_t)n, hex);
	ck_assert_str_eq(hex, "D83DDE00");
	msim_ucs2_to_utf8(u, 4, text, sizeof(text));
	ck_assert_str_eq(text, "😀");
	ck_assert_int_eq(msim_ucs2_to_utf8(u, 3, text, sizeof(text)), -1);
	ck_assert_int_eq(msim_ucs2_from_utf8("\xC3", u, sizeof(u)), -1);
}
END_TEST

/* --- decoding what clients submit ---------------------------------------- */

START_TEST(test_decode_hello)
{
	struct msim_sms sms;

	ck_assert_int_eq(msim_pdu_decode(PDU_HELLO, 23, &sms, NULL), 0);
	ck_assert_int_eq(sms.type, MSIM_PDU_SUBMIT);
	ck_assert_str_eq(sms.smsc, "");
	ck_assert_str_eq(sms.addr, "+46708251358");
	ck_assert_int_eq(sms.vp_relative, 0xAA);
	ck_assert_int_eq(sms.alphabet, MSIM_ALPHA_GSM7);
	ck_assert_str_eq(sms.text, "hellohello");
	ck_assert(!sms.srr);
	ck_assert(!sms.concat.present);
}
END_TEST

START_TEST(test_decode_gammu_extension_table)
{
	struct msim_sms sms;

	ck_assert_int_eq(msim_pdu_decode(PDU_EXT, -1, &sms, NULL), 0);
	ck_assert_str_eq(sms.smsc, "+33689004000");
	ck_assert_str_eq(sms.addr, "+33612345678");
	ck_assert_str_eq(sms.text, "Bonjour € [test] {x} ~^|\\");
	ck_assert_uint_eq(sms.units, 34);
}
END_TEST

START_TEST(test_decode_gammu_concat8)
{
	struct msim_sms sms;

	ck_assert_int_eq(msim_pdu_decode(PDU_CONCAT8_2, -1, &sms, NULL), 0);
	ck_assert(sms.concat.present);
	ck_assert_uint_eq(sms.concat.ref, 229);
	ck_assert_uint_eq(sms.concat.ref_bits, 8);
	ck_assert_uint_eq(sms.concat.parts, 2);
	ck_assert_uint_eq(sms.concat.seq, 2);
	ck_assert_str_eq(sms.text, " musee samedi. So");
}
END_TEST

START_TEST(test_decode_gammu_concat16)
{
	struct msim_sms sms;

	ck_assert_int_eq(msim_pdu_decode(PDU_CONCAT16_2, -1, &sms, NULL), 0);
	ck_assert(sms.concat.present);
	ck_assert_uint_eq(sms.concat.ref, 5592);
	ck_assert_uint_eq(sms.concat.ref_bits, 16);
	ck_assert_uint_eq(sms.concat.seq, 2);
	ck_assert_str_eq(sms.text, "e mardi. Atelier couture mardi. Atelier couture ");
}
END_TEST

START_TEST(test_decode_gammu_ucs2_report_request)
{
	struct msim_sms sms;

	ck_assert_int_eq(msim_pdu_decode(PDU_UCS2_SRR, -1, &sms, NULL), 0);
	ck_assert_int_eq(sms.alphabet, MSIM_ALPHA_UCS2);
	ck_assert(sms.srr);
	ck_assert_str_eq(sms.text, "مرحبا، موعدكم غدا");
	ck_assert_uint_eq(sms.units, 17);
}
END_TEST

START_TEST(test_decode_8bit)
{
	struct msim_sms sms;

	/* DCS 0x04: 8-bit data, 5 octets */
	ck_assert_int_eq(msim_pdu_decode("0011000B916407281553F80004AA050102030405",
	    -1, &sms, NULL), 0);
	ck_assert_int_eq(sms.alphabet, MSIM_ALPHA_8BIT);
	ck_assert_uint_eq(sms.data_len, 5);
	ck_assert_str_eq(sms.text, "0102030405");
}
END_TEST

START_TEST(test_decode_rejects_garbage)
{
	struct msim_sms sms;
	const char *err = NULL;

	ck_assert_int_eq(msim_pdu_decode(PDU_HELLO, 22, &sms, &err), -1);
	ck_assert_str_eq(err, "length does not match the PDU");
	ck_assert_int_eq(msim_pdu_decode("0011000B916407281553F80000AA0AE832", -1, &sms, &err), -1);
	ck_assert_int_eq(msim_pdu_decode("00110G", -1, &sms, &err), -1);
	ck_assert_int_eq(msim_pdu_decode("", -1, &sms, &err), -1);
	/* UDHL larger than the user data */
	ck_assert_int_eq(msim_pdu_decode("0051000B916407281553F80004AA0309000003", -1, &sms, &err), -1);
}
END_TEST

/* --- encoding what the network delivers ------------------------------- */

START_TEST(test_encode_deliver_timestamp)
{
	struct msim_sms sms, back;
	char hex[MSIM_PDU_HEX_MAX];
	struct tm tm = { .tm_year = 124, .tm_mon = 2, .tm_mday = 5,
	    .tm_hour = 14, .tm_min = 7, .tm_sec = 9 };
	int len;

	memset(&sms, 0, sizeof(sms));
	sms.type = MSIM_PDU_DELIVER;
	strcpy(sms.smsc, "+33689004000");
	strcpy(sms.addr, "+33611223344");
	sms.msg_class = -1;
	sms.scts = timegm(&tm);
	sms.tz_quarters = 4;			/* UTC+1: 15:07:09 local */
	strcpy(sms.text, "Oui");
	len = msim_pdu_encode(&sms, hex, sizeof(hex));
	ck_assert_int_gt(len, 0);
	/* SMSC, MTI 0 + MMS, OA, PID, DCS, SCTS 24-03-05 15:07:09 +1h, UDL 3 */
	ck_assert_str_eq(hex, "07913386094000F0040B913316213243F400004230505170904003CF7A1A");
	ck_assert_int_eq(msim_pdu_decode(hex, len, &back, NULL), 0);
	ck_assert_int_eq(back.type, MSIM_PDU_DELIVER);
	ck_assert_str_eq(back.addr, "+33611223344");
	ck_assert_int_eq((long)back.scts, (long)sms.scts);
	ck_assert_int_eq(back.tz_quarters, 4);
	ck_assert_str_eq(back.text, "Oui");
}
END_TEST

START_TEST(test_encode_concat_roundtrip)
{
	struct msim_sms sms, back;
	char hex[MSIM_PDU_HEX_MAX];
	unsigned bits;

	for (bits = 8; bits <= 16; bits += 8) {
		memset(&sms, 0, sizeof(sms));
		sms.type = MSIM_PDU_DELIVER;
		strcpy(sms.addr, "RAPPEL");		/* alphanumeric sender */
		sms.msg_class = -1;
		sms.alphabet = MSIM_ALPHA_UCS2;
		sms.concat = (struct msim_concat){ true, bits == 8 ? 12 : 0x1234, bits, 3, 2 };
		strcpy(sms.text, "شكرا");
		ck_assert_int_gt(msim_pdu_encode(&sms, hex, sizeof(hex)), 0);
		ck_assert_ptr_nonnull(strstr(hex, bits == 8 ? "0500030C0302" : "06080412340302"));
		ck_assert_int_eq(msim_pdu_decode(hex, -1, &back, NULL), 0);
		ck_assert_str_eq(back.addr, "RAPPEL");
		ck_assert_uint_eq(back.concat.ref, sms.concat.ref);
		ck_assert_uint_eq(back.concat.ref_bits, bits);
		ck_assert_str_eq(back.text, "شكرا");
	}
	/* 153 septets fit after an 8-bit concatenation header, 154 do not */
	sms.alphabet = MSIM_ALPHA_GSM7;
	sms.concat.ref_bits = 8;
	memset(sms.text, 'x', 153);
	sms.text[153] = '\0';
	ck_assert_int_gt(msim_pdu_encode(&sms, hex, sizeof(hex)), 0);
	strcat(sms.text, "x");
	ck_assert_int_eq(msim_pdu_encode(&sms, hex, sizeof(hex)), -1);
}
END_TEST

START_TEST(test_encode_status_report)
{
	struct msim_sms sms, back;
	char hex[MSIM_PDU_HEX_MAX];
	int len;

	memset(&sms, 0, sizeof(sms));
	sms.type = MSIM_PDU_STATUS_REPORT;
	strcpy(sms.addr, "+33612345678");
	sms.mr = 42;
	sms.scts = 1700000000;
	sms.dt = 1700000060;
	sms.status = 0x46;
	len = msim_pdu_encode(&sms, hex, sizeof(hex));
	ck_assert_int_gt(len, 0);
	ck_assert(strncmp(hex, "00062A0B91", 10) == 0);	/* no SMSC, MTI 2, MR 42 */
	ck_assert_int_eq(msim_pdu_decode(hex, len, &back, NULL), 0);
	ck_assert_int_eq(back.type, MSIM_PDU_STATUS_REPORT);
	ck_assert_uint_eq(back.mr, 42);
	ck_assert_uint_eq(back.status, 0x46);
	ck_assert_int_eq((long)back.dt, 1700000060L);
	ck_assert_str_eq(back.addr, "+33612345678");
}
END_TEST

/* --- the AT interpreter, without a pty ---------------------------------- */

/* Feeds input to at, running each command; returns the whole output. */
static const char *
at_run(struct msim_at *at, const char *input, struct msim_buf *out)
{
	const uint8_t *p = (const uint8_t *)input;
	size_t left = strlen(input), used;
	enum msim_at_event ev;

	msim_buf_reset(out);
	while (left > 0) {
		used = msim_at_feed(at, p, left, out, &ev);
		p += used, left -= used;
		if (ev != MSIM_AT_NONE)
			msim_at_execute(at, 1700000000, out);
	}
	return out->p ? out->p : "";
}

START_TEST(test_at_basics_and_errors)
{
	struct msim_at *at = msim_at_new(NULL, NULL);
	struct msim_buf out = { 0 };

	ck_assert_ptr_nonnull(at);
	ck_assert_str_eq(at_run(at, "AT\r", &out), "AT\r\r\nOK\r\n");
	ck_assert_str_eq(at_run(at, "ATE0\r", &out), "ATE0\r\r\nOK\r\n");
	ck_assert_str_eq(at_run(at, "AT+CGMI\r", &out), "\r\nRappel\r\n\r\nOK\r\n");
	ck_assert_str_eq(at_run(at, "AT+FOO\r", &out), "\r\nERROR\r\n");
	ck_assert_str_eq(at_run(at, "AT+CMGF=1\r", &out), "\r\nERROR\r\n");
	ck_assert_str_eq(at_run(at, "AT+CMEE=1\r", &out), "\r\nOK\r\n");
	ck_assert_str_eq(at_run(at, "AT+CMGF=1\r", &out), "\r\n+CMS ERROR: 303\r\n");
	ck_assert_str_eq(at_run(at, "AT+CMGR=99\r", &out), "\r\n+CMS ERROR: 321\r\n");
	ck_assert_str_eq(at_run(at, "AT+CSQ;+CREG?\r", &out),
	    "\r\n+CSQ: 20,99\r\n+CREG: 0,1\r\n\r\nOK\r\n");
	ck_assert_str_eq(at_run(at, "garbage\r", &out), "");
	msim_buf_free(&out);
	msim_at_free(at);
}
END_TEST

START_TEST(test_at_pin)
{
	struct msim_at_config cfg = { .pin = "1234" };
	struct msim_at *at = msim_at_new(&cfg, NULL);
	struct msim_buf out = { 0 };

	at_run(at, "ATE0;+CMEE=1\r", &out);
	ck_assert_str_eq(at_run(at, "AT+CPIN?\r", &out), "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
	ck_assert_str_eq(at_run(at, "AT+CIMI\r", &out), "\r\n+CME ERROR: 11\r\n");
	ck_assert_str_eq(at_run(at, "AT+CMGL=4\r", &out), "\r\n+CMS ERROR: 311\r\n");
	ck_assert_str_eq(at_run(at, "AT+CREG?\r", &out), "\r\n+CREG: 0,0\r\n\r\nOK\r\n");
	ck_assert_str_eq(at_run(at, "AT+CPIN=\"0000\"\r", &out), "\r\n+CME ERROR: 16\r\n");
	ck_assert_str_eq(at_run(at, "AT+CPIN=\"1234\"\r", &out), "\r\nOK\r\n");
	ck_assert_str_eq(at_run(at, "AT+CPIN?\r", &out), "\r\n+CPIN: READY\r\n\r\nOK\r\n");
	/* three wrong PINs after a power cycle: the SIM wants the PUK */
	msim_at_power_on(at);
	at_run(at, "ATE0;+CMEE=2\r", &out);
	at_run(at, "AT+CPIN=\"1\"\r", &out);
	at_run(at, "AT+CPIN=\"2\"\r", &out);
	ck_assert_str_eq(at_run(at, "AT+CPIN?\r", &out), "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
	at_run(at, "AT+CPIN=\"3\"\r", &out);
	ck_assert_str_eq(at_run(at, "AT+CPIN?\r", &out), "\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n");
	ck_assert_str_eq(at_run(at, "AT+CPIN=\"1234\"\r", &out),
	    "\r\n+CME ERROR: incorrect password\r\n");
	ck_assert_str_eq(at_run(at, "AT+CPIN=\"12345678\",\"4321\"\r", &out), "\r\nOK\r\n");
	msim_buf_free(&out);
	msim_at_free(at);
}
END_TEST

START_TEST(test_at_send_pdu)
{
	struct msim_at *at = msim_at_new(NULL, NULL);
	struct msim_buf out = { 0 };
	char in[256];

	at_run(at, "ATE0;+CMEE=1\r", &out);
	ck_assert_str_eq(at_run(at, "AT+CMGS=23\r", &out), "\r\n> ");
	snprintf(in, sizeof(in), "%s\x1A", PDU_HELLO);
	ck_assert_str_eq(at_run(at, in, &out), "\r\n+CMGS: 1\r\n\r\nOK\r\n");
	/* a wrong length is an invalid PDU */
	at_run(at, "AT+CMGS=22\r", &out);
	ck_assert_str_eq(at_run(at, in, &out), "\r\n+CMS ERROR: 304\r\n");
	/* ESC cancels */
	at_run(at, "AT+CMGS=23\r", &out);
	ck_assert_str_eq(at_run(at, "0011\x1B", &out), "\r\nOK\r\n");
	ck_assert_str_eq(at_run(at, "AT\r", &out), "\r\nOK\r\n");
	/* every 2nd send fails; unregistered sends fail with 331 */
	at->cms_every = 2, at->cms_code = 38, at->sends = 0;
	at_run(at, "AT+CMGS=23\r", &out);
	ck_assert_str_eq(at_run(at, in, &out), "\r\n+CMGS: 2\r\n\r\nOK\r\n");
	at_run(at, "AT+CMGS=23\r", &out);
	ck_assert_str_eq(at_run(at, in, &out), "\r\n+CMS ERROR: 38\r\n");
	at->cms_every = 0;
	msim_at_set_registered(at, false);
	at_run(at, "AT+CMGS=23\r", &out);
	ck_assert_str_eq(at_run(at, in, &out), "\r\n+CMS ERROR: 331\r\n");
	ck_assert_uint_eq(at->accepted, 2);
	msim_buf_free(&out);
	msim_at_free(at);
}
END_TEST

START_TEST(test_at_storage_and_urc)
{
	struct msim_at *at = msim_at_new(NULL, NULL);
	struct msim_buf out = { 0 };
	char expect[512];

	at_run(at, "ATE0\r", &out);
	ck_assert_int_eq(msim_at_deliver(at, PDU_EXT, 34), 1);
	ck_assert_uint_eq(at->urc.len, 0);		/* AT+CNMI not set */
	at_run(at, "AT+CNMI=2,1,0,2,0\r", &out);
	ck_assert_int_eq(msim_at_deliver(at, PDU_HELLO, 23), 2);
	ck_assert_str_eq(at->urc.p, "\r\n+CMTI: \"SM\",2\r\n");
	msim_buf_reset(&at->urc);
	ck_assert_int_eq(msim_at_report(at, 7, 0, 1700000000), 3);
	ck_assert_str_eq(at->urc.p, "\r\n+CDSI: \"SM\",3\r\n");
	ck_assert_str_eq(at_run(at, "AT+CPMS=\"SM\",\"SM\",\"SM\"\r", &out),
	    "\r\n+CPMS: 3,30,3,30,3,30\r\n\r\nOK\r\n");
	snprintf(expect, sizeof(expect), "\r\n+CMGR: 0,,23\r\n%s\r\n\r\nOK\r\n", PDU_HELLO);
	ck_assert_str_eq(at_run(at, "AT+CMGR=2\r", &out), expect);
	/* read now: listed as 1 (REC READ) */
	snprintf(expect, sizeof(expect), "\r\n+CMGL: 2,1,,23\r\n%s\r\n\r\nOK\r\n", PDU_HELLO);
	ck_assert_str_eq(at_run(at, "AT+CMGL=1\r", &out), expect);
	ck_assert_str_eq(at_run(at, "AT+CMGD=?\r", &out),
	    "\r\n+CMGD: (1,2,3),(0-4)\r\n\r\nOK\r\n");
	at_run(at, "AT+CMGD=2\r", &out);
	ck_assert_int_eq(msim_at_used_slots(at), 2);
	at_run(at, "AT+CMGD=1,4\r", &out);
	ck_assert_int_eq(msim_at_used_slots(at), 0);
	msim_buf_free(&out);
	msim_at_free(at);
}
END_TEST


/* An incoming call: RING or +CRING, +CLIP once asked, ATH or AT+CHUP, NO CARRIER. */
START_TEST(test_at_incoming_call)
{
	struct msim_at *at = msim_at_new(NULL, NULL);
	struct msim_buf out = { 0 };

	at_run(at, "ATE0\r", &out);
	ck_assert_int_eq(msim_at_call_begin(at, "+33612345678", 2), 0);
	ck_assert_int_eq(msim_at_call_begin(at, "+33611111111", 2), -1);	/* one at once */
	/* without AT+CLIP=1 the modem says RING only */
	ck_assert(msim_at_call_ring(at));
	ck_assert_str_eq(at->urc.p, "\r\nRING\r\n");
	msim_buf_reset(&at->urc);
	ck_assert_str_eq(at_run(at, "AT+CLIP=1;+CRC=0\r", &out), "\r\nOK\r\n");
	ck_assert_str_eq(at_run(at, "AT+CLIP?\r", &out), "\r\n+CLIP: 1,1\r\n\r\nOK\r\n");
	ck_assert_str_eq(at_run(at, "AT+CLCC\r", &out),
	    "\r\n+CLCC: 1,1,4,0,0,\"+33612345678\",145\r\n\r\nOK\r\n");
	ck_assert(msim_at_call_ring(at));
	ck_assert_str_eq(at->urc.p,
	    "\r\nRING\r\n\r\n+CLIP: \"+33612345678\",145,\"\",0,\"\",0\r\n");
	msim_buf_reset(&at->urc);
	/* two rings, then the caller gives up */
	ck_assert(!msim_at_call_ring(at));
	ck_assert_str_eq(at->urc.p, "\r\nNO CARRIER\r\n");
	msim_buf_reset(&at->urc);
	ck_assert(!at->ringing);
	ck_assert_int_eq(msim_at_call_end(at), -1);

	/* AT+CRC=1 (libgammu asks for it): +CRING: VOICE; the client hangs up */
	ck_assert_str_eq(at_run(at, "AT+CRC=1\r", &out), "\r\nOK\r\n");
	ck_assert_str_eq(at_run(at, "AT+CHUP=?\r", &out), "\r\nOK\r\n");
	ck_assert_int_eq(msim_at_call_begin(at, "0612345678", 5), 0);
	ck_assert(msim_at_call_ring(at));
	ck_assert_str_eq(at->urc.p,
	    "\r\n+CRING: VOICE\r\n\r\n+CLIP: \"0612345678\",129,\"\",0,\"\",0\r\n");
	msim_buf_reset(&at->urc);
	ck_assert_str_eq(at_run(at, "AT+CHUP\r", &out), "\r\nOK\r\n");
	ck_assert(!at->ringing);
	ck_assert(!msim_at_call_ring(at));
	ck_assert_uint_eq(at->urc.len, 0);		/* no NO CARRIER after a hang-up */
	ck_assert_str_eq(at_run(at, "ATH\r", &out), "\r\nOK\r\n");	/* nothing rings: OK */
	ck_assert_str_eq(at_run(at, "AT+CLCC\r", &out), "\r\nOK\r\n");
	/* not a number; no network */
	ck_assert_int_eq(msim_at_call_begin(at, "ORANGE", 5), -1);
	msim_at_set_registered(at, false);
	ck_assert_int_eq(msim_at_call_begin(at, "+33612345678", 5), -1);
	msim_buf_free(&out);
	msim_at_free(at);
}
END_TEST

/* With reports on, each submit that asks for a report is reported delivered. */
START_TEST(test_at_reports_every_submit)
{
	struct msim_at *at = msim_at_new(NULL, NULL);
	struct msim_buf out = { 0 };
	struct msim_sms rep;
	char in[256];

	at_run(at, "ATE0;+CNMI=2,1,0,2,0\r", &out);
	snprintf(in, sizeof(in), "%s\x1A", PDU_UCS2_SRR);
	/* off by default: no report */
	at_run(at, "AT+CMGS=48\r", &out);
	ck_assert_str_eq(at_run(at, in, &out), "\r\n+CMGS: 1\r\n\r\nOK\r\n");
	ck_assert_uint_eq(at->urc.len, 0);
	at->reports = true;
	/* a submit without TP-SRR gets none */
	at_run(at, "AT+CMGS=23\r", &out);
	snprintf(in, sizeof(in), "%s\x1A", PDU_HELLO);
	ck_assert_str_eq(at_run(at, in, &out), "\r\n+CMGS: 2\r\n\r\nOK\r\n");
	ck_assert_uint_eq(at->urc.len, 0);
	/* one that asks is reported: stored (<ds> 2) and announced */
	at_run(at, "AT+CMGS=48\r", &out);
	snprintf(in, sizeof(in), "%s\x1A", PDU_UCS2_SRR);
	ck_assert_str_eq(at_run(at, in, &out), "\r\n+CMGS: 3\r\n\r\nOK\r\n");
	ck_assert_str_eq(at->urc.p, "\r\n+CDSI: \"SM\",1\r\n");
	ck_assert_int_eq(msim_pdu_decode(at->slots[MSIM_MEM_SM][0].pdu, at->slots[MSIM_MEM_SM][0].tpdu_len, &rep, NULL), 0);
	ck_assert_int_eq(rep.type, MSIM_PDU_STATUS_REPORT);
	ck_assert_uint_eq(rep.mr, 3);
	ck_assert_uint_eq(rep.status, 0);
	ck_assert_str_eq(rep.addr, "+33612345678");
	/* <ds> 1: routed with +CDS, not stored */
	msim_buf_reset(&at->urc);
	at_run(at, "AT+CNMI=2,1,0,1,0\r", &out);
	at_run(at, "AT+CMGS=48\r", &out);
	at_run(at, in, &out);
	ck_assert_msg(strncmp(at->urc.p, "\r\n+CDS: ", 8) == 0, "urc: %s", at->urc.p);
	ck_assert_int_eq(msim_at_used_slots(at), 1);
	msim_buf_free(&out);
	msim_at_free(at);
}
END_TEST

/* --- the simulator on a pty, driven by a C client ----------------------- */

static char tmpdir[64];
static char link_path[128];
static char log_path[128];
static struct modemsim *sim;

/* Starts the simulator as personality (NULL: generic). */
static void
sim_start_as(const char *pin, const char *personality)
{
	struct modemsim_options opt = { 0 };

	strcpy(tmpdir, "/tmp/modemsim-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(link_path, sizeof(link_path), "%s/modem", tmpdir);
	snprintf(log_path, sizeof(log_path), "%s/log.jsonl", tmpdir);
	opt.link_path = link_path;
	opt.log_path = log_path;
	opt.log_commands = true;
	opt.pin = pin;
	opt.personality = personality;
	sim = modemsim_new(&opt);
	ck_assert_ptr_nonnull(sim);
	ck_assert_int_eq(modemsim_start(sim), 0);
}

static void
sim_start(const char *pin)
{
	sim_start_as(pin, NULL);
}

static void
setup_sim(void)
{
	sim_start(NULL);
}

static void
setup_sim_pin(void)
{
	sim_start("1234");
}

static void
teardown_sim(void)
{
	char cmd[128];

	modemsim_free(sim);
	sim = NULL;
	if (getenv("MODEMSIM_KEEP") == NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		ck_assert_int_eq(system(cmd), 0);
	}
}

static int
client_open(void)
{
	struct termios t;
	int fd = open(link_path, O_RDWR | O_NOCTTY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "open %s: %s", link_path, strerror(errno));
	ck_assert_int_eq(tcgetattr(fd, &t), 0);
	cfmakeraw(&t);
	ck_assert_int_eq(tcsetattr(fd, TCSANOW, &t), 0);
	return fd;
}

/* True when buf holds a final result or the "> " prompt. */
static int
client_complete(const char *buf)
{
	return strstr(buf, "\r\nOK\r\n") || strstr(buf, "> ") ||
	    (strstr(buf, "ERROR") && buf[strlen(buf) - 1] == '\n');
}

/*
 * Writes cmd and reads until a final result or timeout_ms; returns the
 * number of milliseconds it took, buf holds what was read.
 */
static long
client_chat(int fd, const char *cmd, char *buf, size_t sz, int timeout_ms)
{
	struct timespec a, b;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t n = 0;
	ssize_t r;
	long ms = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	buf[0] = '\0';
	if (cmd != NULL)
		ck_assert_int_eq(write(fd, cmd, strlen(cmd)), (ssize_t)strlen(cmd));
	while (n + 1 < sz && !client_complete(buf) && ms < timeout_ms) {
		if (poll(&p, 1, (int)(timeout_ms - ms)) > 0) {
			if ((r = read(fd, buf + n, sz - n - 1)) <= 0)
				break;
			n += (size_t)r;
			buf[n] = '\0';
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
}

/* Number of log lines with this event. */
static int
log_count(const char *event)
{
	char line[8192], pat[64];
	FILE *f = fopen(log_path, "r");
	int n = 0;

	if (f == NULL)
		return 0;
	snprintf(pat, sizeof(pat), "{\"event\":\"%s\"", event);
	while (fgets(line, sizeof(line), f) != NULL)
		n += strncmp(line, pat, strlen(pat)) == 0;
	fclose(f);
	return n;
}

/* The idx-th (0-based) log object with this event; json_decref it. */
static json_t *
log_get(const char *event, int idx)
{
	char line[8192], pat[64];
	FILE *f = fopen(log_path, "r");
	json_t *o = NULL;

	ck_assert_ptr_nonnull(f);
	snprintf(pat, sizeof(pat), "{\"event\":\"%s\"", event);
	while (o == NULL && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, pat, strlen(pat)) == 0 && idx-- == 0)
			o = json_loads(line, 0, NULL);
	fclose(f);
	ck_assert_msg(o != NULL, "no %s event in %s", event, log_path);
	return o;
}

static const char *
jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	ck_assert_msg(s != NULL, "no string \"%s\" in the log line", key);
	return s;
}

START_TEST(test_pty_chat)
{
	char buf[1024];
	int fd = client_open();

	client_chat(fd, "AT\r", buf, sizeof(buf), 2000);
	ck_assert_str_eq(buf, "AT\r\r\nOK\r\n");
	client_chat(fd, "ATE0\r", buf, sizeof(buf), 2000);
	client_chat(fd, "AT+CGSN\r", buf, sizeof(buf), 2000);
	ck_assert_str_eq(buf, "\r\n353270040000017\r\n\r\nOK\r\n");
	/* a second client after the first closed gets the same line */
	close(fd);
	fd = client_open();
	client_chat(fd, "AT\r", buf, sizeof(buf), 2000);
	ck_assert_str_eq(buf, "\r\nOK\r\n");
	close(fd);
}
END_TEST

START_TEST(test_pty_latency)
{
	char buf[1024], in[128];
	int fd = client_open();
	long ms;

	client_chat(fd, "ATE0\r", buf, sizeof(buf), 2000);
	ck_assert_int_lt(client_chat(fd, "AT\r", buf, sizeof(buf), 2000), 200);
	modemsim_set_latency(sim, 300, 700);
	ms = client_chat(fd, "AT\r", buf, sizeof(buf), 3000);
	ck_assert_str_eq(buf, "\r\nOK\r\n");
	ck_assert_int_ge(ms, 300);
	client_chat(fd, "AT+CMGS=23\r", buf, sizeof(buf), 3000);
	ck_assert_str_eq(buf, "\r\n> ");
	snprintf(in, sizeof(in), "%s\x1A", PDU_HELLO);
	ms = client_chat(fd, in, buf, sizeof(buf), 3000);
	ck_assert_int_ge(ms, 700);
	ck_assert_str_eq(buf, "\r\n+CMGS: 1\r\n\r\nOK\r\n");
	close(fd);
}
END_TEST

START_TEST(test_pty_mute)
{
	char buf[1024];
	int fd = client_open();

	modemsim_set_mute(sim, true);
	client_chat(fd, "AT\r", buf, sizeof(buf), 500);
	ck_assert_str_eq(buf, "");
	modemsim_set_mute(sim, false);
	client_chat(fd, "AT\r", buf, sizeof(buf), 2000);
	ck_assert_str_eq(buf, "AT\r\r\nOK\r\n");
	close(fd);
}
END_TEST

START_TEST(test_pty_unplug_replug)
{
	char buf[1024], target1[64] = "", target2[64] = "";
	struct stat st;
	int fd = client_open();

	ck_assert_int_gt(readlink(link_path, target1, sizeof(target1) - 1), 0);
	ck_assert_int_eq(modemsim_unplug(sim), 0);
	ck_assert_int_eq(lstat(link_path, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* the client's descriptor is dead: EIO, or end of file */
	ck_assert_int_le(read(fd, buf, sizeof(buf)), 0);
	ck_assert_int_eq(write(fd, "AT\r", 3), -1);
	ck_assert_int_eq(errno, EIO);
	close(fd);
	ck_assert_int_eq(modemsim_unplug(sim), -1);
	ck_assert_int_eq(modemsim_replug(sim), 0);
	ck_assert_int_gt(readlink(link_path, target2, sizeof(target2) - 1), 0);
	fd = client_open();
	client_chat(fd, "AT\r", buf, sizeof(buf), 2000);
	ck_assert_str_eq(buf, "AT\r\r\nOK\r\n");	/* power-up settings: echo */
	close(fd);
	ck_assert_int_eq(log_count("unplug"), 1);
	ck_assert_int_eq(log_count("replug"), 1);
}
END_TEST

START_TEST(test_pty_unsolicited)
{
	char buf[1024];
	int fd = client_open();

	client_chat(fd, "ATE0;+CNMI=2,1,0,2,0\r", buf, sizeof(buf), 2000);
	ck_assert_int_eq(modemsim_inject_sms(sim, "+33611223344", "Oui", MODEMSIM_GSM7), 1);
	client_chat(fd, NULL, buf, sizeof(buf), 300);
	ck_assert_str_eq(buf, "\r\n+CMTI: \"SM\",1\r\n");
	ck_assert_int_eq(modemsim_inject_report(sim, 9, true), 0);
	client_chat(fd, NULL, buf, sizeof(buf), 300);
	ck_assert_str_eq(buf, "\r\n+CDSI: \"SM\",2\r\n");
	modemsim_set_registered(sim, false);
	client_chat(fd, "AT+CREG=1\r", buf, sizeof(buf), 2000);
	modemsim_set_registered(sim, true);
	client_chat(fd, NULL, buf, sizeof(buf), 300);
	ck_assert_str_eq(buf, "\r\n+CREG: 1\r\n");
	close(fd);
}
END_TEST

/*
 * Issue 26: a call on the pty rings every ring_ms with +CLIP until the
 * client hangs up (logged "hangup" by "client"), or until the caller
 * gives up after its rings (NO CARRIER, "hangup" by "caller").
 */
START_TEST(test_pty_incoming_call)
{
	char buf[1024], reply[128];
	int fd = client_open();
	json_t *o;

	client_chat(fd, "ATE0;+CLIP=1\r", buf, sizeof(buf), 2000);
	ck_assert_int_eq(modemsim_command(sim, "call +33612345678 5 200", reply,
	    sizeof(reply)), 0);
	ck_assert(modemsim_ringing(sim));
	ck_assert_int_eq(modemsim_command(sim, "call +33611111111", reply, sizeof(reply)), -1);
	client_chat(fd, NULL, buf, sizeof(buf), 100);
	ck_assert_str_eq(buf, "\r\nRING\r\n\r\n+CLIP: \"+33612345678\",145,\"\",0,\"\",0\r\n");
	client_chat(fd, NULL, buf, sizeof(buf), 350);		/* it rings again */
	ck_assert_ptr_nonnull(strstr(buf, "RING\r\n"));
	client_chat(fd, "ATH\r", buf, sizeof(buf), 2000);
	ck_assert_ptr_nonnull(strstr(buf, "OK\r\n"));
	ck_assert(!modemsim_ringing(sim));
	client_chat(fd, NULL, buf, sizeof(buf), 500);
	ck_assert_ptr_null(strstr(buf, "RING"));		/* hung up: silence */
	ck_assert_int_eq(log_count("call"), 1);
	ck_assert_int_ge(log_count("ring"), 2);
	o = log_get("hangup", 0);
	ck_assert_str_eq(jstr(o, "from"), "+33612345678");
	ck_assert_str_eq(jstr(o, "by"), "client");
	ck_assert_str_eq(jstr(o, "command"), "ATH");
	json_decref(o);

	/* two rings, nobody hangs up: the caller gives up */
	ck_assert_int_eq(modemsim_call(sim, "+33699887766", 2, 100), 0);
	client_chat(fd, NULL, buf, sizeof(buf), 800);
	ck_assert_ptr_nonnull(strstr(buf, "\r\nNO CARRIER\r\n"));
	ck_assert(!modemsim_ringing(sim));
	o = log_get("hangup", 1);
	ck_assert_str_eq(jstr(o, "by"), "caller");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "rings")), 2);
	json_decref(o);
	ck_assert_int_eq(modemsim_command(sim, "hangup", reply, sizeof(reply)), -1);
	ck_assert_int_eq(modemsim_command(sim, "call +33699887766 x", reply, sizeof(reply)), -1);
	ck_assert_str_eq(reply, "error usage: call FROM [RINGS [RING_MS]]");
	/* the caller hangs up before anyone did */
	ck_assert_int_eq(modemsim_command(sim, "call +33699887766", reply, sizeof(reply)), 0);
	ck_assert_int_eq(modemsim_command(sim, "hangup", reply, sizeof(reply)), 0);
	client_chat(fd, NULL, buf, sizeof(buf), 300);
	ck_assert_ptr_nonnull(strstr(buf, "NO CARRIER"));
	close(fd);
}
END_TEST

/* "reports 1" on the control line: a client's send is reported, and logged. */
START_TEST(test_pty_reports_control)
{
	char buf[1024], reply[256], in[256];
	int fd = client_open();
	json_t *o;

	ck_assert_int_eq(modemsim_command(sim, "reports 1", reply, sizeof(reply)), 0);
	client_chat(fd, "ATE0;+CNMI=2,1,0,2,0\r", buf, sizeof(buf), 2000);
	client_chat(fd, "AT+CMGS=48\r", buf, sizeof(buf), 2000);
	snprintf(in, sizeof(in), "%s\x1A", PDU_UCS2_SRR);
	client_chat(fd, in, buf, sizeof(buf), 2000);
	if (strstr(buf, "+CDSI") == NULL)	/* the report may come in a later read */
		client_chat(fd, NULL, buf + strlen(buf), sizeof(buf) - strlen(buf), 300);
	ck_assert_str_eq(buf, "\r\n+CMGS: 1\r\n\r\nOK\r\n\r\n+CDSI: \"SM\",1\r\n");
	ck_assert_int_eq(modemsim_sim_used(sim), 1);
	o = log_get("report", 0);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "ref")), 1);
	ck_assert(json_is_true(json_object_get(o, "auto")));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "index")), 1);
	json_decref(o);
	ck_assert_int_eq(modemsim_command(sim, "reports 0", reply, sizeof(reply)), 0);
	client_chat(fd, "AT+CMGS=48\r", buf, sizeof(buf), 2000);
	client_chat(fd, in, buf, sizeof(buf), 2000);
	client_chat(fd, NULL, buf, sizeof(buf), 300);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(log_count("report"), 1);
	close(fd);
}
END_TEST

START_TEST(test_control_commands)
{
	char reply[256];
	json_t *o;

	ck_assert_int_eq(modemsim_command(sim, "inject-parts +33611223344 gsm7 3,1,2 "
	    "Un deux trois quatre cinq six", reply, sizeof(reply)), 0);
	ck_assert_str_eq(reply, "ok parts=3");
	ck_assert_int_eq(modemsim_sim_used(sim), 3);
	o = log_get("inject", 0);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "seq")), 3);
	json_decref(o);
	ck_assert_int_eq(modemsim_command(sim, "inject +33611223344 ucs2 سلام",
	    reply, sizeof(reply)), 0);
	ck_assert_int_eq(modemsim_command(sim, "inject-parts +336 gsm7 1,1 ab",
	    reply, sizeof(reply)), -1);
	ck_assert_int_eq(modemsim_command(sim, "inject +336 gsm7 ûû", reply, sizeof(reply)), -1);
	ck_assert_int_eq(modemsim_command(sim, "report 3 lost", reply, sizeof(reply)), -1);
	ck_assert_int_eq(modemsim_command(sim, "latency 10 20", reply, sizeof(reply)), 0);
	ck_assert_int_eq(modemsim_command(sim, "frobnicate", reply, sizeof(reply)), -1);
	ck_assert_int_eq(modemsim_command(sim, "status", reply, sizeof(reply)), 0);
	ck_assert_str_eq(reply, "ok submits=0 sim=4");
}
END_TEST

/*
 * inject-hex carries any text on one control line, as rappeld's
 * simulated families need: a line break, spaces at the ends, accents.
 */
START_TEST(test_control_inject_hex)
{
	/* "Oui\n à jeudi " in UTF-8 */
	static const char line[] = "inject-hex +33611223344 ucs2 "
	    "4f75690a20c3a0206a6575646920";
	char reply[256];
	json_t *o;

	ck_assert_int_eq(modemsim_command(sim, line, reply, sizeof(reply)), 0);
	ck_assert_str_eq(reply, "ok parts=1");
	o = log_get("inject", 0);
	ck_assert_str_eq(jstr(o, "text"), "Oui\n \xc3\xa0 jeudi ");
	ck_assert_str_eq(jstr(o, "from"), "+33611223344");
	json_decref(o);
	/* odd digits, a digit that is not one, a NUL, words after it: refused */
	ck_assert_int_eq(modemsim_command(sim, "inject-hex +336 gsm7 4f7", reply,
	    sizeof(reply)), -1);
	ck_assert_str_eq(reply, "error usage: inject-hex FROM gsm7|ucs2 HEX");
	ck_assert_int_eq(modemsim_command(sim, "inject-hex +336 gsm7 4g", reply,
	    sizeof(reply)), -1);
	ck_assert_int_eq(modemsim_command(sim, "inject-hex +336 gsm7 4f00", reply,
	    sizeof(reply)), -1);
	ck_assert_int_eq(modemsim_command(sim, "inject-hex +336 gsm7 4f75 69", reply,
	    sizeof(reply)), -1);
	ck_assert_int_eq(modemsim_sim_used(sim), 1);
}
END_TEST

/* --- end to end: the unmodified Debian gammu and gammu-smsd -------------- */


/* ---- personalities (persona.h) ---- */

/* What the modem says by itself within ms milliseconds (never an OK), into buf. */
static void
client_listen(int fd, char *buf, size_t sz, int ms)
{
	client_chat(fd, NULL, buf, sz, ms);
}

START_TEST(test_persona_unknown)
{
	struct modemsim_options opt = { .link_path = "/tmp/x", .personality = "nokia" };

	errno = 0;
	ck_assert_ptr_null(modemsim_new(&opt));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(msim_persona_find("nokia"));
	ck_assert_str_eq(msim_persona_find(NULL)->name, "generic");
}
END_TEST

/*
 * A Huawei stick chatters (^RSSI, ^BOOT, ^MODE, ^DSFLOWRPT) between
 * replies, never inside one; it stores new SMS in "ME"; its diagnostics
 * port never answers and its PCUI port only chatters.
 */
START_TEST(test_persona_huawei)
{
	char buf[2048], other[160];
	int fd, diag, pcui, i, urcs = 0;

	sim_start_as(NULL, "huawei");
	fd = client_open();
	client_chat(fd, "ATE0;+CNMI=2,1,0,2,0\r", buf, sizeof(buf), 2000);
	for (i = 0; i < 30; i++) {
		client_chat(fd, "AT+CGMM\r", buf, sizeof(buf), 2000);
		ck_assert_msg(strstr(buf, "\r\nE3131\r\n\r\nOK\r\n") != NULL, "reply: %s", buf);
		urcs += strstr(buf, "\r\n^") != NULL;
		usleep(100000);
	}
	client_listen(fd, buf, sizeof(buf), 2500);
	ck_assert_msg(strstr(buf, "^RSSI:") && (strstr(buf, "^BOOT:") ||
	    strstr(buf, "^MODE:") || strstr(buf, "^DSFLOWRPT:")), "idle: %s", buf);
	ck_assert_int_gt(urcs, 0);	/* some came just before a reply */
	client_chat(fd, "AT+CPMS=?\r", buf, sizeof(buf), 2000);
	ck_assert_ptr_nonnull(strstr(buf, "+CPMS: (\"SM\",\"ME\"),(\"SM\",\"ME\")"));
	ck_assert_int_eq(modemsim_inject_sms(sim, "+33611223344", "Oui", MODEMSIM_GSM7), 1);
	client_listen(fd, buf, sizeof(buf), 500);
	ck_assert_ptr_nonnull(strstr(buf, "\r\n+CMTI: \"ME\",0\r\n"));
	client_chat(fd, "AT+CMGL=4\r", buf, sizeof(buf), 2000);
	ck_assert_ptr_null(strstr(buf, "+CMGL:"));	/* <mem1> is still "SM" */
	client_chat(fd, "AT+CPMS=\"ME\",\"ME\"\r", buf, sizeof(buf), 2000);
	ck_assert_ptr_nonnull(strstr(buf, "+CPMS: 1,30,1,30,1,30"));
	client_chat(fd, "AT+CMGL=4\r", buf, sizeof(buf), 2000);
	ck_assert_ptr_nonnull(strstr(buf, "+CMGL: 0,0,,"));
	/* AT^CURC=0 (libgammu sends it to a Huawei): the periodic reports stop */
	client_chat(fd, "AT^CURC=0;^PORTSEL=1\r", buf, sizeof(buf), 2000);
	ck_assert_ptr_nonnull(strstr(buf, "OK"));
	client_listen(fd, buf, sizeof(buf), 6500);
	ck_assert_msg(strstr(buf, "^RSSI:") && !strstr(buf, "^BOOT:") &&
	    !strstr(buf, "^DSFLOWRPT:"), "after ^CURC=0: %s", buf);
	close(fd);
	snprintf(other, sizeof(other), "%s-diag", link_path);
	ck_assert_int_ge(diag = open(other, O_RDWR | O_NOCTTY | O_CLOEXEC), 0);
	client_chat(diag, "AT\r", buf, sizeof(buf), 1500);
	ck_assert_str_eq(buf, "");
	snprintf(other, sizeof(other), "%s-pcui", link_path);
	ck_assert_int_ge(pcui = open(other, O_RDWR | O_NOCTTY | O_CLOEXEC), 0);
	client_chat(pcui, "AT\r", buf, sizeof(buf), 2500);
	ck_assert_msg(strstr(buf, "\r\n^") != NULL && strstr(buf, "OK") == NULL, "pcui: %s", buf);
	close(diag);
	close(pcui);
	teardown_sim();
}
END_TEST

/*
 * A SIM800 says RDY, +CFUN: 1 and +CPIN: <state> at power-up, Call Ready
 * and SMS Ready once the PIN is in, again after a replug; its +CMGL has
 * an empty quoted alpha.
 */
START_TEST(test_persona_simcom)
{
	char buf[2048];
	int fd;

	sim_start_as("1234", "simcom");
	fd = client_open();
	client_listen(fd, buf, sizeof(buf), 2500);
	ck_assert_msg(strstr(buf, "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: SIM PIN\r\n") != NULL,
	    "boot: %s", buf);
	ck_assert_ptr_null(strstr(buf, "SMS Ready"));
	client_chat(fd, "ATE0;+CPIN=\"1234\"\r", buf, sizeof(buf), 2000);
	client_listen(fd, buf, sizeof(buf), 2500);
	ck_assert_msg(strstr(buf, "+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n") != NULL,
	    "after the PIN: %s", buf);
	ck_assert_int_eq(modemsim_inject_sms(sim, "+33611223344", "Oui", MODEMSIM_GSM7), 1);
	client_chat(fd, "AT+CMGL=4\r", buf, sizeof(buf), 2000);
	ck_assert_msg(strstr(buf, "+CMGL: 1,0,\"\",") != NULL, "%s", buf);
	close(fd);
	ck_assert_int_eq(modemsim_unplug(sim), 0);
	ck_assert_int_eq(modemsim_replug(sim), 0);
	fd = client_open();
	client_listen(fd, buf, sizeof(buf), 2500);
	ck_assert_msg(strstr(buf, "\r\nRDY\r\n") != NULL, "after a replug: %s", buf);
	close(fd);
	teardown_sim();
}
END_TEST

/* An EC25 says +QIND: SMS DONE and PB DONE, and offers <ds> 0-1 only. */
START_TEST(test_persona_quectel)
{
	char buf[2048];
	int fd;

	sim_start_as(NULL, "quectel");
	fd = client_open();
	client_listen(fd, buf, sizeof(buf), 3500);
	ck_assert_msg(strstr(buf, "+CPIN: READY\r\n\r\n+QIND: SMS DONE\r\n\r\n+QIND: PB DONE") !=
	    NULL, "boot: %s", buf);
	client_chat(fd, "ATE0;+CNMI=?\r", buf, sizeof(buf), 2000);
	ck_assert_ptr_nonnull(strstr(buf, "+CNMI: (0-2),(0-3),(0,2),(0,1),(0,1)"));
	client_chat(fd, "AT+CGMI;+CGMM\r", buf, sizeof(buf), 2000);
	ck_assert_ptr_nonnull(strstr(buf, "Quectel\r\nEC25"));
	close(fd);
	teardown_sim();
}
END_TEST

/* slow2g: every send takes 3-6 s, and every fifth fails. */
START_TEST(test_persona_slow2g)
{
	struct msim_persona_run r;
	int i, ms, lo = 1 << 30, hi = 0;

	ck_assert_int_eq(msim_persona_init(&r, msim_persona_find("slow2g"), "/tmp/x", NULL,
	    NULL), 0);
	for (i = 0; i < 200; i++) {
		ms = msim_persona_send_ms(&r, 0);
		lo = ms < lo ? ms : lo;
		hi = ms > hi ? ms : hi;
	}
	ck_assert_int_ge(lo, 3000);
	ck_assert_int_le(hi, 6000);
	ck_assert_int_lt(lo, 3500);
	ck_assert_int_gt(hi, 5500);
	ck_assert_int_eq(msim_persona_find("slow2g")->cms_every, 5);
	msim_persona_free(&r);
}
END_TEST

static char gammurc[160];

/* Fails the test, clearly, when a program is not on PATH. */
static void
require_tool(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	ck_assert_msg(system(cmd) == 0, "%s not found on PATH: install the Debian "
	    "package (apt-get install gammu gammu-smsd; see the Makefile)", tool);
}

static void
setup_gammu_common(void)
{
	FILE *f;

	require_tool("gammu");
	snprintf(gammurc, sizeof(gammurc), "%s/gammurc", tmpdir);
	ck_assert_ptr_nonnull(f = fopen(gammurc, "w"));
	fprintf(f, "[gammu]\ndevice = %s\nconnection = at115200\n"
	    "logfile = %s/gammu.log\nlogformat = textall\n", link_path, tmpdir);
	fclose(f);
}

static void
setup_gammu(void)
{
	setup_sim();
	setup_gammu_common();
}

static void
setup_gammu_pin(void)
{
	setup_sim_pin();
	setup_gammu_common();
}

/*
 * Runs `gammu -c gammurc ARGS` (a shell fragment) and returns its exit
 * status; its output (stdout and stderr) goes into out.
 */
static int __attribute__((format(printf, 3, 4)))
gammu(char *out, size_t sz, const char *fmt, ...)
{
	char args[1024], cmd[1400];
	va_list ap;
	FILE *p;
	size_t n = 0, r;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	/* redirection first: args may end with a here-document */
	snprintf(cmd, sizeof(cmd), "gammu -c '%s' 2>&1 %s", gammurc, args);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	while (n + 1 < sz && (r = fread(out + n, 1, sz - n - 1, p)) > 0)
		n += r;
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(test_gammu_identify_status)
{
	char out[8192];

	/* one gammu session (--batch): each connection costs seconds */
	ck_assert_msg(gammu(out, sizeof(out), "--batch <<'EOF'\nidentify\n"
	    "getsecuritystatus\nnetworkinfo\ngetsmsc\nEOF") == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "Manufacturer         : Rappel"));
	ck_assert_ptr_nonnull(strstr(out, "IMEI                 : 353270040000017"));
	ck_assert_ptr_nonnull(strstr(out, "SIM IMSI             : 208011234567890"));
	ck_assert_ptr_nonnull(strstr(out, "Nothing to enter."));
	ck_assert_ptr_nonnull(strstr(out, "Network state        : home network"));
	ck_assert_ptr_nonnull(strstr(out, "Network              : 208 01"));
	ck_assert_ptr_nonnull(strstr(out, "LAC 1A2B, CID 00C3D4E5"));
	ck_assert_ptr_nonnull(strstr(out, "Number               : \"+33689004000\""));
}
END_TEST

/* Checks the log line of the submit of a single GSM-7 message. */
static void
check_single_submit(int idx, const char *text, int ref)
{
	json_t *o = log_get("submit", idx);

	ck_assert_str_eq(jstr(o, "to"), "+33612345678");
	ck_assert_str_eq(jstr(o, "encoding"), "gsm7");
	ck_assert_str_eq(jstr(o, "text"), text);
	ck_assert(json_is_null(json_object_get(o, "udh")));
	ck_assert(json_is_false(json_object_get(o, "status_report")));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "cmgs_ref")), ref);
	json_decref(o);
}

/* Checks that submits first..first+2 are the 3 parts of text. */
static void
check_three_parts(int first, const char *text)
{
	char joined[1024] = "";
	json_t *o, *udh;
	int i, ref = -1;

	for (i = 0; i < 3; i++) {
		o = log_get("submit", first + i);
		udh = json_object_get(o, "udh");
		ck_assert_int_eq(json_integer_value(json_object_get(udh, "parts")), 3);
		ck_assert_int_eq(json_integer_value(json_object_get(udh, "seq")), i + 1);
		ck_assert_int_eq(json_integer_value(json_object_get(udh, "ref_bits")), 8);
		if (ref == -1)
			ref = (int)json_integer_value(json_object_get(udh, "ref"));
		ck_assert_int_eq(json_integer_value(json_object_get(udh, "ref")), ref);
		strcat(joined, jstr(o, "text"));
		json_decref(o);
	}
	ck_assert_str_eq(joined, text);
}

START_TEST(test_gammu_sendsms)
{
	static const char short_text[] = "Rappel : atelier jeudi 14h, 5 € [salle B]";
	char out[8192], text[401];
	int i;

	for (i = 0; i < 400; i++)
		text[i] = (char)('a' + i % 26);
	text[400] = '\0';
	ck_assert_msg(gammu(out, sizeof(out), "--batch <<'EOF'\n"
	    "sendsms TEXT +33612345678 -text \"%s\"\n"
	    "sendsms TEXT +33612345678 -len 400 -text \"%s\"\nEOF",
	    short_text, text) == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "OK, message reference=1"));
	ck_assert_ptr_nonnull(strstr(out, "Sending SMS 3/3"));
	ck_assert_int_eq(log_count("submit"), 4);
	check_single_submit(0, short_text, 1);
	check_three_parts(1, text);
}
END_TEST

START_TEST(test_gammu_sendsms_unicode_report)
{
	char out[4096];
	json_t *o;

	ck_assert_msg(gammu(out, sizeof(out), "sendsms TEXT +33612345678 -unicode -report "
	    "-text 'مرحبا، موعدكم غدا الساعة 10'") == 0, "%s", out);
	o = log_get("submit", 0);
	ck_assert_str_eq(jstr(o, "encoding"), "ucs2");
	ck_assert_str_eq(jstr(o, "text"), "مرحبا، موعدكم غدا الساعة 10");
	ck_assert(json_is_true(json_object_get(o, "status_report")));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "cmgs_ref")), 1);
	json_decref(o);
}
END_TEST

START_TEST(test_gammu_receive_and_delete)
{
	static const int order[] = { 3, 1, 2 };
	struct modemsim_incoming in = {
		.from = "+33699887766",
		.text = "نعم، سأحضر غدا إلى المركز الاجتماعي مع أطفالي الثلاثة. شكرا "
		    "جزيلا على التذكير، إلى اللقاء",
		.encoding = MODEMSIM_UCS2, .parts = 3, .order = order,
	};
	char out[16384];

	ck_assert_int_eq(modemsim_inject_sms(sim, "+33611223344", "Oui je viens, à jeudi",
	    MODEMSIM_GSM7), 1);
	ck_assert_int_eq(modemsim_inject(sim, &in), 3);
	ck_assert_int_eq(modemsim_inject_report(sim, 42, false), 0);
	ck_assert_int_eq(modemsim_sim_used(sim), 5);
	ck_assert_msg(gammu(out, sizeof(out), "--batch <<'EOF'\ngetallsms\n"
	    "deleteallsms 1\nEOF") == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "Oui je viens, à jeudi"));
	ck_assert_ptr_nonnull(strstr(out, "Remote number        : \"+33699887766\""));
	ck_assert_ptr_nonnull(strstr(out, "part 1 of 3"));
	ck_assert_ptr_nonnull(strstr(out, "part 3 of 3"));
	ck_assert_ptr_nonnull(strstr(out, "SMS status report"));
	ck_assert_ptr_nonnull(strstr(out, "Reference number     : 42"));
	ck_assert_ptr_nonnull(strstr(out, "Delivery status      : Failed"));
	ck_assert_ptr_nonnull(strstr(out, "5 SMS parts in 5 SMS sequences"));
	ck_assert_int_eq(modemsim_sim_used(sim), 0);
}
END_TEST

START_TEST(test_gammu_pin)
{
	char out[4096];

	ck_assert_int_ne(gammu(out, sizeof(out), "--batch <<'EOF'\ngetsecuritystatus\n"
	    "entersecuritycode PIN 0000\nEOF"), 0);
	ck_assert_msg(strstr(out, "Waiting for PIN.") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Security error") != NULL, "%s", out);
	ck_assert_msg(gammu(out, sizeof(out), "--batch <<'EOF'\nentersecuritycode PIN 1234\n"
	    "getsecuritystatus\nEOF") == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "Nothing to enter."));
}
END_TEST

/* Writes the gammu-smsd configuration; returns its path in path. */
static void
smsd_config(char *path, size_t sz)
{
	static const char *dirs[] = { "inbox", "outbox", "sent", "error" };
	char d[256];
	FILE *f;
	size_t i;

	for (i = 0; i < 4; i++) {
		snprintf(d, sizeof(d), "%s/%s", tmpdir, dirs[i]);
		ck_assert_int_eq(mkdir(d, 0755), 0);
	}
	snprintf(path, sz, "%s/smsdrc", tmpdir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fprintf(f, "[gammu]\ndevice = %s\nconnection = at115200\n\n"
	    "[smsd]\nservice = files\ninboxpath = %s/inbox/\noutboxpath = %s/outbox/\n"
	    "sentsmspath = %s/sent/\nerrorsmspath = %s/error/\nlogfile = %s/smsd.log\n"
	    "debuglevel = 1\nReceiveFrequency = 1\nStatusFrequency = 0\n"
	    "CommTimeout = 1\nSendTimeout = 10\nLoopSleep = 1\n",
	    link_path, tmpdir, tmpdir, tmpdir, tmpdir, tmpdir);
	fclose(f);
}

/* True when an inbox file holds text. */
static int
smsd_inbox_has(const char *text)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "grep -rqF '%s' '%s/inbox' 2>/dev/null", text, tmpdir);
	return system(cmd) == 0;
}

START_TEST(test_gammu_smsd)
{
	char conf[256], path[256];
	FILE *f;
	pid_t pid;
	int i, st, sent = 0, received = 0;
	json_t *o;

	require_tool("gammu-smsd");
	smsd_config(conf, sizeof(conf));
	snprintf(path, sizeof(path), "%s/outbox/OUT+33699887766.txt", tmpdir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("Bonjour de gammu-smsd", f);
	fclose(f);
	ck_assert_int_eq(modemsim_inject_sms(sim, "+33611112222", "OUI pour jeudi",
	    MODEMSIM_GSM7), 1);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		snprintf(path, sizeof(path), "%s/smsd.out", tmpdir);
		if (freopen(path, "w", stdout) == NULL || dup2(fileno(stdout), 2) == -1)
			_exit(126);
		execlp("gammu-smsd", "gammu-smsd", "-c", conf, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 250 && !(sent && received); i++) {
		usleep(100000);
		sent = log_count("submit") > 0;
		received = smsd_inbox_has("OUI pour jeudi");
	}
	kill(pid, SIGTERM);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(sent, "gammu-smsd sent nothing (see %s/smsd.log)", tmpdir);
	ck_assert_msg(received, "nothing in gammu-smsd's inbox (see %s/smsd.log)", tmpdir);
	o = log_get("submit", 0);
	ck_assert_str_eq(jstr(o, "to"), "+33699887766");
	ck_assert_str_eq(jstr(o, "text"), "Bonjour de gammu-smsd");
	json_decref(o);
}
END_TEST

static Suite *
modemsim_suite(void)
{
	Suite *s = suite_create("modemsim");
	TCase *tc;

	tc = tcase_create("charset");
	tcase_add_test(tc, test_gsm7_pack_hello);
	tcase_add_test(tc, test_gsm7_extension_costs_two);
	tcase_add_test(tc, test_gsm7_fill_bits);
	tcase_add_test(tc, test_ucs2_arabic_and_surrogates);
	suite_add_tcase(s, tc);

	tc = tcase_create("pdu_decode");
	tcase_add_test(tc, test_decode_hello);
	tcase_add_test(tc, test_decode_gammu_extension_table);
	tcase_add_test(tc, test_decode_gammu_concat8);
	tcase_add_test(tc, test_decode_gammu_concat16);
	tcase_add_test(tc, test_decode_gammu_ucs2_report_request);
	tcase_add_test(tc, test_decode_8bit);
	tcase_add_test(tc, test_decode_rejects_garbage);
	suite_add_tcase(s, tc);

	tc = tcase_create("pdu_encode");
	tcase_add_test(tc, test_encode_deliver_timestamp);
	tcase_add_test(tc, test_encode_concat_roundtrip);
	tcase_add_test(tc, test_encode_status_report);
	suite_add_tcase(s, tc);

	tc = tcase_create("at");
	tcase_add_test(tc, test_at_basics_and_errors);
	tcase_add_test(tc, test_at_pin);
	tcase_add_test(tc, test_at_send_pdu);
	tcase_add_test(tc, test_at_storage_and_urc);
	tcase_add_test(tc, test_at_incoming_call);
	tcase_add_test(tc, test_at_reports_every_submit);
	suite_add_tcase(s, tc);

	tc = tcase_create("pty");
	tcase_add_checked_fixture(tc, setup_sim, teardown_sim);
	tcase_add_test(tc, test_pty_chat);
	tcase_add_test(tc, test_pty_latency);
	tcase_add_test(tc, test_pty_mute);
	tcase_add_test(tc, test_pty_unplug_replug);
	tcase_add_test(tc, test_pty_unsolicited);
	tcase_add_test(tc, test_pty_incoming_call);
	tcase_add_test(tc, test_control_commands);
	tcase_add_test(tc, test_control_inject_hex);
	tcase_add_test(tc, test_pty_reports_control);
	suite_add_tcase(s, tc);

	tc = tcase_create("personalities");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_persona_unknown);
	tcase_add_test(tc, test_persona_huawei);
	tcase_add_test(tc, test_persona_simcom);
	tcase_add_test(tc, test_persona_quectel);
	tcase_add_test(tc, test_persona_slow2g);
	suite_add_tcase(s, tc);

	tc = tcase_create("gammu");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup_gammu, teardown_sim);
	tcase_add_test(tc, test_gammu_identify_status);
	tcase_add_test(tc, test_gammu_sendsms);
	tcase_add_test(tc, test_gammu_sendsms_unicode_report);
	tcase_add_test(tc, test_gammu_receive_and_delete);
	tcase_add_test(tc, test_gammu_smsd);
	suite_add_tcase(s, tc);

	tc = tcase_create("gammu_pin");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup_gammu_pin, teardown_sim);
	tcase_add_test(tc, test_gammu_pin);
	suite_add_tcase(s, tc);

	return s;
}

TEST_MAIN(modemsim_suite)
