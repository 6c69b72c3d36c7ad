/*
 * waitlist — places and the waiting list of a session, and their SMS.
 * See waitlist.h.
 */
#include "waitlist.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "campaigns.h"
#include "contacts.h"
#include "events.h"
#include "log.h"
#include "queue.h"
#include "recur.h"
#include "texts.h"

#define WAITLIST_BATCH 16	/* offers ended, or sessions, per look at the table */
#define WAITLIST_FILL_MAX 1000	/* people passed over for one place, at most */

/*
 * Queues texts to contact about session o of e, linked to the session and
 * taking OUI/NON until reply_until when not 0.  1 when queued, 0 when it
 * cannot be sent (opted out, no mobile, a text refused), -1 on a database
 * error.
 */
static int
waitlist_send(struct db *db, const struct config *cfg, const struct event *e,
    const struct event_occ *o, int64_t contact_id, enum text_name t, const char *delai,
    int64_t reply_until, int64_t now)
{
	struct campaign c = { 0 };
	struct campaign_recipient who = { 0 };
	struct contact ct;
	struct error err = { 0 };
	struct buf text = { 0 };
	const char *to = NULL;
	int64_t id;
	size_t i;
	int rc = 0;

	if (contacts_load(db, contact_id, &ct, &err) < 0)
		return err.kind == ERR_NOT_FOUND ? 0 : -1;
	for (i = 0; i < ct.nphones && to == NULL; i++)
		if (ct.phones[i].sms && ct.phones[i].opted_out_at == 0)
			to = ct.phones[i].number;
	/* the centre's texts in the three languages (Paramètres), as a campaign's bodies */
	texts_campaign(db, t, delai, &c);
	c.transliterate = true;		/* ê → e: one GSM-7 SMS, not three UCS-2 ones */
	who.contact_id = ct.id;
	who.first_name = ct.first_name;
	who.last_name = ct.last_name;
	snprintf(who.language, sizeof(who.language), "%s", ct.language);
	if (to && ct.opted_out_at == 0 &&
	    campaign_render(&c, NULL, cfg, e, o->starts_at, &who, &text) == 0) {
		buf_putc(&text, '\0');
		if (queue_add(db, to, ct.id, text.data, QUEUE_DIRECT, "system", now, &id,
		    &err) == 0)
			rc = reply_until && queue_link_event(db, id, e->id, o->key,
			    reply_until) < 0 ? -1 : 1;
		else
			rc = error_is_fault(&err) ? -1 : 0;
	}
	if (rc == 0)
		log_warn("waitlist: event=%lld contact=%lld cannot be written to", (long long)e->id,
		    (long long)ct.id);
	buf_free(&text);
	campaign_clear(&c);
	contact_clear(&ct);
	return rc;
}

/* Offers the free places of session o of e to those waiting.  0 or -1. */
static int
waitlist_fill(struct db *db, const struct config *cfg, const struct event *e,
    const struct event_occ *o, int64_t now)
{
	char delai[16];
	int64_t until = now + (int64_t)cfg->waitlist_hold_hours * 3600, contact;
	int hours, i, rc = 0, next;

	if (until > o->starts_at)
		until = o->starts_at;	/* never held past the start */
	if (e->capacity <= 0 || o->cancelled || e->cancelled_at || until <= now)
		return 0;
	hours = (int)((until - now + 3599) / 3600);
	snprintf(delai, sizeof(delai), "%d h", hours);
	for (i = 0; rc == 0 && i < WAITLIST_FILL_MAX; i++) {
		if ((next = rsvp_waiting_next(db, e->id, o->key, e->capacity, &contact)) <= 0) {
			rc = next;
			break;
		}
		switch (waitlist_send(db, cfg, e, o, contact, TEXT_OFFER, delai, until, now)) {
		case 1:
			rc = rsvp_offer(db, e->id, o->key, contact, until, now);
			break;
		case 0:
			rc = rsvp_leave_waiting(db, e->id, o->key, contact, "skipped", now);
			break;
		default:
			rc = -1;
			break;
		}
	}
	return rc;
}

int
waitlist_answer(struct db *db, const struct config *cfg, const struct rsvp_change *ch,
    int64_t now, bool *told)
{
	struct event e = { 0 };
	struct event_occ o;
	struct error err = { 0 };
	enum rsvp_place place;
	int rc = -1, sent = 0;

	*told = false;
	if (events_load(db, ch->event_id, &e, &err) < 0 ||
	    events_occurrence_get(db, &e, ch->key, &o, &err) < 0)
		goto done;
	if (rsvp_answer(db, ch, e.capacity, now, &place) < 0)
		goto done;
	if (place == RSVP_PLACE_WAITING)
		sent = waitlist_send(db, cfg, &e, &o, ch->contact_id, TEXT_WAITING, NULL, 0, now);
	else if (place == RSVP_PLACE_OFFER_TAKEN)
		sent = waitlist_send(db, cfg, &e, &o, ch->contact_id, TEXT_PLACED, NULL, 0, now);
	*told = place == RSVP_PLACE_WAITING || place == RSVP_PLACE_OFFER_TAKEN;
	if (sent >= 0)
		rc = waitlist_fill(db, cfg, &e, &o, now);
done:
	event_clear(&e);
	return rc;
}

/*
 * In a transaction: ends the offer of seat s when step is "expired", then
 * offers the free places of its session.  0 or -1.
 */
static int
waitlist_session(struct db *db, const struct config *cfg, const struct rsvp_seat *s,
    const char *step, int64_t now)
{
	struct event e = { 0 };
	struct event_occ o;
	struct error err = { 0 };
	int rc = -1;

	if (db_begin(db) < 0)
		return -1;
	if ((step == NULL ||
	    rsvp_leave_waiting(db, s->event_id, s->key, s->contact_id, step, now) == 0) &&
	    events_load(db, s->event_id, &e, &err) == 0 &&
	    events_occurrence_get(db, &e, s->key, &o, &err) == 0 &&
	    waitlist_fill(db, cfg, &e, &o, now) == 0)
		rc = db_commit(db);
	if (rc < 0) {
		db_rollback(db);
		log_err("waitlist: event=%lld occurrence=%lld: the places could not be offered",
		    (long long)s->event_id, (long long)s->key);
	}
	event_clear(&e);
	return rc;
}

int
waitlist_pass(struct db *db, const struct config *cfg, int64_t now, int64_t *next)
{
	struct rsvp_seat seats[WAITLIST_BATCH];
	int n, i, ended = 0;

	*next = 0;
	do {
		if ((n = rsvp_offers_ended(db, now, seats, WAITLIST_BATCH)) < 0)
			return -1;
		for (i = 0; i < n; i++) {
			if (waitlist_session(db, cfg, &seats[i], "expired", now) < 0)
				return -1;
			ended++;
		}
	} while (n == WAITLIST_BATCH);
	/* places freed otherwise (a capacity raised, a failure before): the coming sessions */
	if ((n = rsvp_sessions_waiting(db, recur_key(now), seats, WAITLIST_BATCH)) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (waitlist_session(db, cfg, &seats[i], NULL, now) < 0)
			return -1;
	*next = rsvp_next_offer_end(db);
	return ended;
}
