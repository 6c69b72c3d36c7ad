/*
 * fuzz_pdu — SMS PDUs from a modem.  The input is one PDU in octets, the
 * SMSC address first, as +CMGL / +CMGR give it in hex:
 *   - rappeld's side (well-formed PDUs only, see fuzz_pdu_well_formed):
 *     libgammu decodes it as its AT driver does when a worker reads the
 *     SIM, and the worker's code stores it
 *     (modem_store_pdu: sender number, text, time, concatenation, then
 *     inbox_store), and the reply router's replies_process_pending(),
 *     which may opt a contact out or queue an answer; what it stored
 *     must be UTF-8.  The database is
 *     put back after each input.
 *   - the simulator's side: tools/modemsim/pdu.c decodes the same octets
 *     as the hex an AT+CMGS would carry (SMS-SUBMIT, also DELIVER and
 *     STATUS-REPORT), with and without the announced length; what it
 *     decodes, it can encode again, and that decodes to the same address
 *     and text (the same status for a report).
 */
#include "config.h"
#include "contacts.h"
#include "fuzz.h"
#include "modem.h"
#include "replies.h"
#include "pdu.h"
#include "text.h"

static struct db *fuzz_db;
static sqlite3 *fuzz_snapshot;
static struct config *fuzz_cfg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup();
	fuzz_db = fuzz_db_open();
	fuzz_cfg = fuzz_config();
	fuzz_contact_add(fuzz_db, "+33639980001", 0);	/* the sender of the seeds' replies */
	fuzz_snapshot = fuzz_db_snapshot(fuzz_db);
	return 0;
}

/*
 * What the worker stored is text the API sends back in JSON strings,
 * which must be UTF-8: each reply's sender and body, each waiting part.
 */
static void
fuzz_pdu_check_stored(void)
{
	static const char sql[] = "SELECT from_number, body FROM replies UNION ALL "
	    "SELECT from_number, body FROM incoming_parts";
	sqlite3_stmt *st;
	int i;

	fuzz_assert(sqlite3_prepare_v2(db_handle(fuzz_db), sql, -1, &st, NULL) == SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; i < 2; i++) {
			const char *t = (const char *)sqlite3_column_text(st, i);
			if (t)
				fuzz_assert(text_utf8_valid(t, strlen(t)));
		}
	}
	sqlite3_finalize(st);
}

/* The simulator's decoder, then its encoder on what it decoded. */
static void
fuzz_pdu_modemsim(const char *hex, int tpdu_len)
{
	struct msim_sms sms, again;
	char out[MSIM_PDU_HEX_MAX];
	const char *why = NULL;
	int n;

	if (msim_pdu_decode(hex, tpdu_len, &sms, &why) < 0) {
		fuzz_assert(why != NULL);
		return;
	}
	fuzz_assert(strlen(sms.text) < MSIM_TEXT_MAX && sms.udh_len <= MSIM_UD_MAX);
	if (sms.alphabet == MSIM_ALPHA_8BIT)
		return;		/* encoded from data, not text */
	if ((n = msim_pdu_encode(&sms, out, sizeof(out))) < 0)
		return;		/* decoded text that does not fit its alphabet again */
	fuzz_assert(msim_pdu_decode(out, n, &again, &why) == 0);
	fuzz_assert(again.type == sms.type && strcmp(again.addr, sms.addr) == 0);
	if (sms.type == MSIM_PDU_STATUS_REPORT)
		fuzz_assert(again.status == sms.status && again.mr == sms.mr);
	else	/* the encoder writes no user data in a report */
		fuzz_assert(strcmp(again.text, sms.text) == 0);
}

/*
 * libgammu 1.42.0 (Debian 12) writes past stack buffers inside
 * GSM_DecodePDUFrame on malformed PDUs: an SMSC length octet above 25
 * (GSM_UnpackSemiOctetNumber bounds addresses counted in semi-octets,
 * not the SMSC's, counted in octets), and a GSM-7 TP-UDL above 160
 * septets.  Later libgammu versions check both.  Nothing in rappel can
 * stand between the AT driver and that decoder, so rappeld's side only
 * gets the PDUs that the simulator's strict decoder accepts as what a
 * SIM holds (DELIVER or STATUS-REPORT, the announced length right);
 * one input of each kind is kept in tests/fuzz/upstream/ to try a newer
 * libgammu with.  Returns true when the PDU is such a PDU.
 */
static bool
fuzz_pdu_well_formed(const char *hex, int tpdu_len)
{
	struct msim_sms sms;

	return tpdu_len >= 0 && msim_pdu_decode(hex, tpdu_len, &sms, NULL) == 0 &&
	    sms.type != MSIM_PDU_SUBMIT;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *hex;
	int tpdu_len;

	if (size > MODEM_PDU_MAX)
		return 0;
	hex = malloc(2 * size + 1);
	if (hex == NULL)
		abort();
	msim_hex_encode(data, size, hex);
	tpdu_len = size > 0 && (size_t)data[0] + 1 <= size ? (int)(size - 1 - data[0]) : -1;
	fuzz_pdu_modemsim(hex, -1);
	if (tpdu_len >= 0)
		fuzz_pdu_modemsim(hex, tpdu_len);
	if (fuzz_pdu_well_formed(hex, tpdu_len)) {
		/* -1: libgammu refuses it (stricter than the simulator on TOA) */
		bool queued;

		modem_store_pdu(fuzz_db, "modem", data, size, FUZZ_NOW);
		fuzz_assert(sqlite3_get_autocommit(db_handle(fuzz_db)));
		/* what the reply router then does with it; nothing stays undecided */
		fuzz_assert(replies_process_pending(fuzz_db, fuzz_cfg, FUZZ_NOW, 8, &queued) >= 0);
		fuzz_assert(sqlite3_get_autocommit(db_handle(fuzz_db)));
		fuzz_pdu_check_stored();
		fuzz_db_restore(fuzz_db, fuzz_snapshot);
	}
	free(hex);
	return 0;
}
