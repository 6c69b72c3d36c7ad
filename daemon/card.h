/*
 * card — what the card families keep says to their phone: the centre as
 * a contact (a vCard 3.0, RFC 2426) and that text as a QR code drawn in
 * SVG.  The camera of a phone reads the code and offers to add the
 * contact, so an SMS from the centre shows its name instead of an unknown
 * number.  libqrencode makes the QR matrix; this file only writes it.
 * Pure logic: no database, no clock.
 */
#ifndef RAPPEL_CARD_H
#define RAPPEL_CARD_H

#include "buf.h"

#define CARD_QR_MARGIN 4	/* quiet zone around the code, in modules (ISO 18004) */

/*
 * Appends to out the vCard of the centre called name, whose SMS come
 * from sms_number and who answers the phone at phone (both as typed,
 * written as E.164; phone may be NULL).  Lines end in CRLF and are folded
 * at 75 octets; text is escaped as RFC 2426 says.  0, or -1 when a number
 * is not one (phone_normalize()), with nothing appended.
 */
int card_vcard(const char *name, const char *sms_number, const char *phone,
    struct buf *out);

/*
 * Appends to out an SVG image of text (taken as bytes) as a QR code, error
 * correction M, with a quiet zone of CARD_QR_MARGIN modules.  The image is
 * one square per module unit (viewBox), black modules as one path of
 * horizontal runs, "M{x} {y}h{n}v1h-{n}z", drawn in a square of the size
 * CSS gives it.  0, or -1 (with errno) when text is too long for a QR code.
 */
int card_qr_svg(const char *text, struct buf *out);

#endif
