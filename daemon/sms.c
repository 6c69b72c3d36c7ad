/*
 * sms — encoding choice and segment counting.  See sms.h.
 */
#include "sms.h"

#include "text.h"

#include <string.h>

#define SMS_GSM7_SINGLE 160
#define SMS_GSM7_MULTI 153
#define SMS_UCS2_SINGLE 70
#define SMS_UCS2_MULTI 67
#define SMS_GSM7_ESC 0x1B	/* escape to the extension table, not a character */

/* Basic table of TS 23.038, as Unicode, in septet order. */
static const uint16_t sms_gsm7_basic[128] = {
	0x0040, 0x00A3, 0x0024, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC,
	0x00F2, 0x00C7, 0x000A, 0x00D8, 0x00F8, 0x000D, 0x00C5, 0x00E5,
	0x0394, 0x005F, 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8,
	0x03A3, 0x0398, 0x039E, 0x0000, 0x00C6, 0x00E6, 0x00DF, 0x00C9,
	0x0020, 0x0021, 0x0022, 0x0023, 0x00A4, 0x0025, 0x0026, 0x0027,
	0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
	0x00A1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
	0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
	0x0058, 0x0059, 0x005A, 0x00C4, 0x00D6, 0x00D1, 0x00DC, 0x00A7,
	0x00BF, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
	0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
	0x0078, 0x0079, 0x007A, 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0,
};

/* Extension table characters (after ESC): form feed ^ { } \ [ ~ ] | € */
static const uint16_t sms_gsm7_ext[] = {
	0x000C, 0x005E, 0x007B, 0x007D, 0x005C, 0x005B, 0x007E, 0x005D, 0x007C, 0x20AC,
};

const char *
sms_encoding_name(enum sms_encoding e)
{
	return e == SMS_GSM7 ? "gsm7" : "ucs2";
}

int
sms_gsm7_septets(uint32_t cp)
{
	size_t i;

	for (i = 0; i < 128; i++)
		if (i != SMS_GSM7_ESC && sms_gsm7_basic[i] == cp)
			return 1;
	for (i = 0; i < sizeof(sms_gsm7_ext) / sizeof(sms_gsm7_ext[0]); i++)
		if (sms_gsm7_ext[i] == cp)
			return 2;
	return 0;
}

/*
 * Counts parts of units that come in indivisible groups (weights): fills
 * a part of size multi greedily, unless the total fits in single.
 */
struct sms_counter {
	size_t total;
	size_t parts;
	size_t used;		/* in the current concatenated part */
};

static void
sms_count_add(struct sms_counter *c, size_t weight, size_t multi)
{
	c->total += weight;
	if (c->used + weight > multi) {
		c->parts++;
		c->used = 0;
	}
	c->used += weight;
}

int
sms_analyze(const char *text, struct sms_info *info)
{
	const unsigned char *p = (const unsigned char *)text;
	struct sms_counter g = { 0, 1, 0 }, u = { 0, 1, 0 };
	bool gsm7 = true;
	uint32_t cp;
	int septets;

	memset(info, 0, sizeof(*info));
	while (*p) {
		if (text_utf8_next(&p, &cp) < 0)
			return -1;
		info->chars++;
		septets = sms_gsm7_septets(cp);
		if (septets == 0 && gsm7) {
			gsm7 = false;
			info->first_ucs2 = cp;
		}
		if (gsm7)
			sms_count_add(&g, (size_t)septets, SMS_GSM7_MULTI);
		sms_count_add(&u, cp > 0xFFFF ? 2 : 1, SMS_UCS2_MULTI);
	}
	if (gsm7) {
		info->encoding = SMS_GSM7;
		info->units = g.total;
		info->parts = g.total <= SMS_GSM7_SINGLE ? 1 : g.parts;
		info->left = info->parts == 1 ? SMS_GSM7_SINGLE - g.total : SMS_GSM7_MULTI - g.used;
	} else {
		info->encoding = SMS_UCS2;
		info->units = u.total;
		info->parts = u.total <= SMS_UCS2_SINGLE ? 1 : u.parts;
		info->left = info->parts == 1 ? SMS_UCS2_SINGLE - u.total : SMS_UCS2_MULTI - u.used;
	}
	return 0;
}

const char *
sms_report_reason(int st)
{
	/* permanent errors 0x40-0x49, temporary ones the centre gave up on 0x60-0x65 */
	static const char *const permanent[] = {
		"erreur de procédure du réseau",
		"destinataire incompatible (ce numéro ne reçoit pas de SMS)",
		"refusé par le téléphone du destinataire",
		"numéro injoignable (inexistant ou résilié)",
		"qualité de service indisponible",
		"pas d'interconnexion avec le réseau du destinataire",
		"délai de validité dépassé : téléphone éteint ou hors réseau trop longtemps",
		"supprimé par l'expéditeur",
		"supprimé par l'opérateur",
		"message inconnu de l'opérateur",
	};
	static const char *const gave_up[] = {
		"réseau encombré ; l'opérateur a abandonné",
		"téléphone du destinataire occupé ; l'opérateur a abandonné",
		"téléphone du destinataire sans réponse ; l'opérateur a abandonné",
		"service refusé ; l'opérateur a abandonné",
		"qualité de service indisponible ; l'opérateur a abandonné",
		"erreur du téléphone du destinataire ; l'opérateur a abandonné",
	};

	if (st >= 0x00 && st < 0x20)
		return "";
	if (st >= 0x40 && st < 0x40 + (int)(sizeof(permanent) / sizeof(permanent[0])))
		return permanent[st - 0x40];
	if (st >= 0x60 && st < 0x60 + (int)(sizeof(gave_up) / sizeof(gave_up[0])))
		return gave_up[st - 0x60];
	if (st >= 0x20 && st < 0x40)
		return "l'opérateur essaie encore";
	if (st >= 0x60 && st < 0x80)
		return "échec temporaire ; l'opérateur a abandonné";
	return "échec définitif signalé par l'opérateur";
}
