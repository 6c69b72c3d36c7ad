/*
 * api_card — the card that tells families which number the centre's SMS
 * come from (card.h), for any signed-in user:
 *   GET /api/v1/card          {name, sms_number, phone, ready, vcard}
 *   GET /api/v1/card/qr.svg   the vCard as a QR code (image/svg+xml)
 * Both read the configuration in force ([centre] name, phone, sms_number;
 * the panel's Paramètres change them).  Without an SMS number the card
 * is not ready: the JSON says so and the image answers 409.
 */
#include <stdlib.h>

#include "api.h"
#include "card.h"
#include "log.h"

/* The vCard of the configuration in force into out; -1 without an SMS number. */
static int
api_card_vcard(const struct config *cfg, struct buf *out)
{
	if (cfg->centre_sms_number == NULL)
		return -1;
	return card_vcard(cfg->centre_name, cfg->centre_sms_number, cfg->centre_phone, out);
}

int
api_card_get(struct http_req *req)
{
	struct buf vcard = { 0 };
	bool ready = api_card_vcard(req->cfg, &vcard) == 0;
	json_t *body;

	body = json_pack("{s:s, s:s?, s:s, s:b, s:s?}", "name", req->cfg->centre_name,
	    "sms_number", req->cfg->centre_sms_number, "phone", req->cfg->centre_phone,
	    "ready", ready, "vcard", ready ? vcard.data : NULL);
	buf_free(&vcard);
	return http_reply_json(req, 200, body);
}

int
api_card_qr(struct http_req *req)
{
	struct buf vcard = { 0 }, svg = { 0 };
	struct error err = { 0 };
	size_t len;

	if (api_card_vcard(req->cfg, &vcard) < 0) {
		buf_free(&vcard);
		error_set(&err, ERR_CONFLICT, "no_sms_number", "centre_sms_number",
		    "Indiquez d'abord le numéro SMS du centre (Paramètres).");
		return http_reply_error(req, &err);
	}
	if (card_qr_svg(vcard.data, &svg) < 0) {
		log_err("card: the vCard does not fit in a QR code bytes=%zu", vcard.len);
		buf_free(&vcard);
		buf_free(&svg);
		return http_reply_kind(req, ERR_INTERNAL);
	}
	buf_free(&vcard);
	len = svg.len;
	return http_reply_raw(req, 200, "image/svg+xml; charset=utf-8", buf_steal(&svg), len);
}
