/*
 * sms — what a text costs as SMS: its encoding, its parts and the room
 * left in the last part.  Pure logic, no I/O.
 *
 * GSM-7 (3GPP TS 23.038 default alphabet) when every character is in the
 * basic table or its extension table (extension characters ^ { } \ [ ~ ] |
 * € take two septets); otherwise UCS-2 (UTF-16 code units; a character
 * outside the BMP, such as most emoji, takes two).  One part holds 160
 * septets or 70 units; a concatenated part holds 153 septets or 67 units
 * (the 6-byte header).  A part never splits an escape pair or a surrogate
 * pair, so the count is exact, not a division.
 */
#ifndef RAPPEL_SMS_H
#define RAPPEL_SMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sms_encoding {
	SMS_GSM7,
	SMS_UCS2,
};

struct sms_info {
	enum sms_encoding encoding;
	size_t units;		/* septets (GSM-7) or UTF-16 code units (UCS-2) */
	size_t parts;		/* 1 for an empty text */
	size_t left;		/* units still free in the last part */
	size_t chars;		/* Unicode characters */
	uint32_t first_ucs2;	/* first character that forced UCS-2, else 0 */
};

/*
 * What a delivery report's status (TP-Status, 3GPP TS 23.040 9.2.3.15)
 * means, in French for the panel: "" for 0x00-0x1F (delivered), else a
 * short reason such as "numéro injoignable (inexistant ou résilié)".
 * Never NULL; a static string.
 */
const char *sms_report_reason(int tp_status);

/* "gsm7" or "ucs2". */
const char *sms_encoding_name(enum sms_encoding e);

/*
 * Analyses UTF-8 text.  Returns 0 and fills *info, or -1 when text is not
 * valid UTF-8.
 */
int sms_analyze(const char *text, struct sms_info *info);

/*
 * Septets a code point takes in GSM-7: 1 (basic table), 2 (extension
 * table), or 0 when GSM-7 cannot carry it.
 */
int sms_gsm7_septets(uint32_t cp);

#endif
