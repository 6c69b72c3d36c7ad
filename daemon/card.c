/*
 * card — the centre's vCard and its QR code in SVG.  See card.h.
 */
#include "card.h"

#include <qrencode.h>
#include <stdbool.h>
#include <string.h>

#include "phone.h"

#define CARD_FOLD 75		/* octets of a vCard line before it is folded */

/*
 * Appends one content line: name (ASCII) then value, escaped as RFC 2426
 * (backslash, comma, semicolon, newline) when escape is true, folded at
 * CARD_FOLD octets (CRLF and a space), never inside a UTF-8 character.
 */
static void
card_line(struct buf *out, const char *name, const char *value, bool escape)
{
	struct buf line = { 0 };
	size_t i, col = 0, n;
	const char *p;

	buf_puts(&line, name);
	for (p = value; *p; p++) {
		if (escape && (*p == '\\' || *p == ',' || *p == ';'))
			buf_putc(&line, '\\');
		if (escape && *p == '\n')
			buf_puts(&line, "\\n");
		else if (*p != '\r')
			buf_putc(&line, *p);
	}
	for (i = 0; i < line.len; i += n) {
		/* a character's continuation bytes stay with its first byte */
		n = line.len - i;
		if (n > CARD_FOLD - col) {
			n = CARD_FOLD - col;
			while (n > 0 && ((unsigned char)line.data[i + n] & 0xc0) == 0x80)
				n--;
		}
		if (i > 0)
			buf_puts(out, "\r\n ");
		buf_append(out, line.data + i, n);
		col = 1;	/* the folding space counts */
	}
	buf_puts(out, "\r\n");
	buf_free(&line);
}

int
card_vcard(const char *name, const char *sms_number, const char *phone, struct buf *out)
{
	char sms[PHONE_E164_MAX], voice[PHONE_E164_MAX];

	if (phone_normalize(sms_number, sms, NULL, NULL) < 0 ||
	    (phone != NULL && phone_normalize(phone, voice, NULL, NULL) < 0))
		return -1;
	buf_puts(out, "BEGIN:VCARD\r\nVERSION:3.0\r\n");
	/* N is required by RFC 2426: the centre as its family name, so that
	   phones that sort by N list it under its name */
	card_line(out, "N:", name, true);
	card_line(out, "FN:", name, true);
	card_line(out, "ORG:", name, true);
	card_line(out, "TEL;TYPE=CELL:", sms, false);
	if (phone != NULL)
		card_line(out, "TEL;TYPE=WORK,VOICE:", voice, false);
	buf_puts(out, "END:VCARD\r\n");
	return 0;
}

int
card_qr_svg(const char *text, struct buf *out)
{
	QRcode *qr;
	int x, y, run, size;

	qr = QRcode_encodeData((int)strlen(text), (const unsigned char *)text, 0, QR_ECLEVEL_M);
	if (qr == NULL)
		return -1;
	size = qr->width + 2 * CARD_QR_MARGIN;
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", size, size, size, size);
	for (y = 0; y < qr->width; y++) {
		for (x = 0; x < qr->width; x += run ? run : 1) {
			/* bit 0 of each byte: the module is dark */
			for (run = 0; x + run < qr->width &&
			    (qr->data[y * qr->width + x + run] & 1); run++)
				;
			if (run)
				buf_printf(out, "M%d %dh%dv1h-%dz", x + CARD_QR_MARGIN,
				    y + CARD_QR_MARGIN, run, run);
		}
	}
	buf_puts(out, "\"/></svg>\n");
	QRcode_free(qr);
	return 0;
}
