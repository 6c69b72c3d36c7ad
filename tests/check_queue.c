/*
 * check_queue — message states (queue.c) and incoming SMS (inbox.c) on a
 * real database.
 */
#include <check.h>
#include <string.h>

#include "contacts.h"
#include "inbox.h"
#include "modemstatus.h"
#include "queue.h"
#include "replies.h"
#include "texts.h"
#include "test_db.h"
#include "test_main.h"

#define T0 1800000000

static const struct audit_actor queue_actor = { 0, "test" };

static const char *
queue_test_status(struct db *db, int64_t id)
{
	static char status[32];
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(db), "SELECT status FROM messages "
	    "WHERE id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	snprintf(status, sizeof(status), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return status;
}

static int64_t
queue_test_add(struct db *db, const char *body, int priority, int64_t now)
{
	struct error err = { 0 };
	int64_t id = 0;

	ck_assert_msg(queue_add(db, "+33639980001", 0, body, priority, "test", now, &id,
	    &err) == 0, "%s", err.message);
	return id;
}

START_TEST(queue_test_lifecycle)
{
	struct test_db t;
	struct queue_msg m;
	int64_t id;

	test_db_open(&t);
	id = queue_test_add(t.db, "Rappel : RDV CAF mardi à 14h.", 1, T0);
	ck_assert_str_eq(queue_test_status(t.db, id), "queued");
	ck_assert_int_eq(queue_claim_next(t.db, "modem", T0, &m), 1);
	ck_assert_int_eq(m.id, id);
	ck_assert_str_eq(m.to, "+33639980001");
	ck_assert_int_eq(m.encoding, SMS_GSM7);
	ck_assert_int_eq(m.parts, 1);
	ck_assert_int_eq(m.attempts, 1);
	ck_assert_str_eq(queue_test_status(t.db, id), "sending");
	/* nobody else can claim it */
	{
		struct queue_msg other;
		ck_assert_int_eq(queue_claim_next(t.db, "modem.2", T0, &other), 0);
	}
	ck_assert_int_eq(queue_part_sent(t.db, id, 1, "modem", 42, T0 + 3), 0);
	ck_assert_int_eq(queue_mark_sent(t.db, id, T0 + 3), 0);
	ck_assert_str_eq(queue_test_status(t.db, id), "sent");
	/* a report from another modem, or for another number, matches nothing */
	ck_assert_int_eq(queue_report(t.db, "modem.2", 42, "+33639980001", 0x00, T0 + 9), 0);
	ck_assert_int_eq(queue_report(t.db, "modem", 42, "+33639980002", 0x00, T0 + 9), 0);
	ck_assert_int_eq(queue_report(t.db, "modem", 42, "+33639980001", 0x00, T0 + 10), 1);
	ck_assert_str_eq(queue_test_status(t.db, id), "delivered");
	/* a state change that does not start from the expected state is refused */
	ck_assert_int_eq(queue_mark_sent(t.db, id, T0 + 11), -1);
	ck_assert_str_eq(queue_test_status(t.db, id), "delivered");
	queue_msg_clear(&m);
	test_db_close(&t);
}
END_TEST

START_TEST(queue_test_priority_and_due)
{
	struct test_db t;
	struct queue_msg m;
	int64_t bulk, direct;

	test_db_open(&t);
	bulk = queue_test_add(t.db, "bulk", 1, T0);
	direct = queue_test_add(t.db, "direct", 0, T0 + 5);
	ck_assert_int_eq(queue_claim_next(t.db, "modem", T0 + 4, &m), 1);
	ck_assert_int_eq(m.id, bulk);		/* the direct one is not due yet */
	queue_msg_clear(&m);
	ck_assert_int_eq(queue_retry(t.db, bulk, "test", 0, T0 + 5), 0);
	ck_assert_int_eq(queue_claim_next(t.db, "modem", T0 + 100, &m), 1);
	ck_assert_int_eq(m.id, direct);		/* direct before bulk */
	queue_msg_clear(&m);
	test_db_close(&t);
}
END_TEST

START_TEST(queue_test_retry_backoff_gives_up)
{
	struct test_db t;
	struct queue_msg m;
	int64_t id, now = T0;
	int i;

	test_db_open(&t);
	id = queue_test_add(t.db, "Bonjour", 1, T0);
	ck_assert_int_eq(queue_claim_next(t.db, "modem", now, &m), 1);
	queue_msg_clear(&m);
	ck_assert_int_eq(queue_retry(t.db, id, "+CMS ERROR: 500", 0, now), 0);
	ck_assert_str_eq(queue_test_status(t.db, id), "queued");
	/* not before the backoff */
	ck_assert_int_eq(queue_claim_next(t.db, "modem", now + QUEUE_BACKOFF_FIRST - 1, &m), 0);
	now += QUEUE_BACKOFF_FIRST;
	for (i = 2; i <= QUEUE_MAX_ATTEMPTS; i++) {
		ck_assert_int_eq(queue_claim_next(t.db, "modem", now, &m), 1);
		ck_assert_int_eq(m.attempts, i);
		queue_msg_clear(&m);
		ck_assert_int_eq(queue_retry(t.db, id, "+CMS ERROR: 500", 0, now), 0);
		now += QUEUE_BACKOFF_MAX;
	}
	ck_assert_str_eq(queue_test_status(t.db, id), "failed");
	ck_assert_int_eq(test_db_int(t.db, "SELECT error LIKE '%abandonné après 8 essais%' "
	    "FROM messages"), 1);
	/* a person may resend it */
	ck_assert_int_eq(queue_resend(t.db, id, now, NULL), 0);
	ck_assert_str_eq(queue_test_status(t.db, id), "queued");
	test_db_close(&t);
}
END_TEST

START_TEST(queue_test_recover_uncertain)
{
	struct test_db t;
	struct queue_msg m;
	struct error err = { 0 };
	int64_t id;

	test_db_open(&t);
	id = queue_test_add(t.db, "Bonjour", 1, T0);
	ck_assert_int_eq(queue_claim_next(t.db, "modem", T0, &m), 1);
	queue_msg_clear(&m);
	/* the process dies here; at the next start: */
	ck_assert_int_eq(queue_recover(t.db, T0 + 60), 1);
	ck_assert_str_eq(queue_test_status(t.db, id), "uncertain");
	/* never claimed again by itself */
	ck_assert_int_eq(queue_claim_next(t.db, "modem", T0 + 999999, &m), 0);
	ck_assert_int_eq(queue_cancel(t.db, id, T0 + 60, &err), -1);
	ck_assert_int_eq(error_http_status(err.kind), 409);
	ck_assert_int_eq(queue_resend(t.db, id, T0 + 120, &err), 0);
	ck_assert_int_eq(queue_claim_next(t.db, "modem", T0 + 120, &m), 1);
	queue_msg_clear(&m);
	test_db_close(&t);
}
END_TEST

START_TEST(queue_test_partial_multipart_resumes)
{
	struct test_db t;
	struct queue_msg m;
	char body[500];
	int64_t id;
	int ref;

	memset(body, 'a', 400);
	body[400] = '\0';
	test_db_open(&t);
	id = queue_test_add(t.db, body, 1, T0);
	ck_assert_int_eq(queue_claim_next(t.db, "modem", T0, &m), 1);
	ck_assert_int_eq(m.parts, 3);
	ck_assert_uint_eq(m.sent_parts, 0);
	ref = m.concat_ref;
	ck_assert(ref >= 1 && ref <= 255);
	queue_msg_clear(&m);
	ck_assert_int_eq(queue_part_sent(t.db, id, 1, "modem", 7, T0), 0);
	ck_assert_int_eq(queue_part_sent(t.db, id, 2, "modem", 8, T0), 0);
	ck_assert_int_eq(queue_retry(t.db, id, "+CMS ERROR: 500", 0, T0), 0);
	ck_assert_int_eq(queue_claim_next(t.db, "modem", T0 + 3600, &m), 1);
	ck_assert_uint_eq(m.sent_parts, 0x3);	/* parts 1 and 2 are not sent again */
	ck_assert_int_eq(m.concat_ref, ref);	/* and part 3 joins them */
	queue_msg_clear(&m);
	ck_assert_int_eq(queue_part_sent(t.db, id, 3, "modem", 9, T0 + 3600), 0);
	ck_assert_int_eq(queue_mark_sent(t.db, id, T0 + 3600), 0);
	ck_assert_int_eq(queue_report(t.db, "modem", 7, "+33639980001", 0x00, T0 + 3700), 1);
	ck_assert_int_eq(queue_report(t.db, "modem", 8, "+33639980001", 0x00, T0 + 3700), 1);
	ck_assert_str_eq(queue_test_status(t.db, id), "sent");	/* part 3 not yet */
	ck_assert_int_eq(queue_report(t.db, "modem", 9, "+33639980001", 0x46, T0 + 3700), 1);
	ck_assert_str_eq(queue_test_status(t.db, id), "failed");
	/* the network's reason is kept, with its code */
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE error LIKE "
	    "'non remis : délai de validité dépassé%(code réseau 0x46)'"), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT report_status FROM message_parts WHERE "
	    "seq = 3"), 0x46);

	/* a person's resend sends every part again, under a new reference */
	ck_assert_int_eq(queue_resend(t.db, id, T0 + 3800, NULL), 0);
	ck_assert_int_eq(queue_claim_next(t.db, "modem", T0 + 3800, &m), 1);
	ck_assert_int_eq(m.id, id);
	ck_assert_uint_eq(m.sent_parts, 0);
	queue_msg_clear(&m);
	ck_assert_int_eq(queue_report(t.db, "modem", 7, "+33639980001", 0x00, T0 + 3801), 0);
	test_db_close(&t);
}
END_TEST

/*
 * A reference is one byte: after 255 parts it comes again.  A report goes
 * to the newest part still waiting for one with that reference, to that
 * number, from that modem; the others stay as they were.
 */
START_TEST(queue_test_report_finds_newest_part)
{
	struct test_db t;
	struct queue_msg m;
	int64_t id[3];
	int i;

	test_db_open(&t);
	for (i = 0; i < 3; i++)
		id[i] = queue_test_add(t.db, "Rappel : atelier cuisine jeudi 9h.", 1, T0);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(queue_claim_next(t.db, "modem", T0 + 60 * i, &m), 1);
		ck_assert_int_eq(m.id, id[i]);
		queue_msg_clear(&m);
		ck_assert_int_eq(queue_part_sent(t.db, id[i], 1, "modem", i < 2 ? 42 : 43,
		    T0 + 60 * i), 0);
		ck_assert_int_eq(queue_mark_sent(t.db, id[i], T0 + 60 * i), 0);
	}
	ck_assert_int_eq(queue_report(t.db, "modem", 42, "+33639980001", 0x00, T0 + 200), 1);
	ck_assert_str_eq(queue_test_status(t.db, id[1]), "delivered");
	ck_assert_str_eq(queue_test_status(t.db, id[0]), "sent");
	/* the same reference again: the older part, already reported ones skipped */
	ck_assert_int_eq(queue_report(t.db, "modem", 42, "+33639980001", 0x46, T0 + 201), 1);
	ck_assert_str_eq(queue_test_status(t.db, id[0]), "failed");
	ck_assert_str_eq(queue_test_status(t.db, id[1]), "delivered");
	ck_assert_int_eq(queue_report(t.db, "modem", 42, "+33639980001", 0x00, T0 + 202), 0);
	/* three days after its part was sent, a report matches nothing */
	ck_assert_int_eq(queue_report(t.db, "modem", 43, "+33639980001", 0x00,
	    T0 + 120 + 3 * 24 * 3600 + 1), 0);
	ck_assert_str_eq(queue_test_status(t.db, id[2]), "sent");
	ck_assert_int_eq(queue_report(t.db, "modem", 43, "+33639980001", 0x00,
	    T0 + 120 + 3 * 24 * 3600), 1);
	ck_assert_str_eq(queue_test_status(t.db, id[2]), "delivered");
	test_db_close(&t);
}
END_TEST

START_TEST(queue_test_opt_out)
{
	struct test_db t;
	struct contact c = { 0 };
	struct error err = { 0 };
	struct queue_msg m;
	int64_t id;

	test_db_open(&t);
	c.first_name = strdup("Zoé");
	ck_assert_int_eq(contact_add_phone(&c, "06 39 98 00 01", "", true, "phone", NULL,
	    &err), 0);
	ck_assert_int_eq(contacts_save(t.db, &c, &queue_actor, T0, &err), 0);
	id = queue_test_add(t.db, "Bonjour", 1, T0);
	/* STOP arrives after the message was queued: checked again before sending */
	ck_assert_int_eq(sqlite3_exec(db_handle(t.db), "UPDATE contacts SET opted_out_at = 1",
	    NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(queue_claim_next(t.db, "modem", T0, &m), 0);
	ck_assert_str_eq(queue_test_status(t.db, id), "cancelled");
	/* and a new one is refused at once */
	ck_assert_int_eq(queue_add(t.db, "+33639980001", 0, "Bonjour", 0, "test", T0, &id,
	    &err), -1);
	ck_assert_int_eq(error_http_status(err.kind), 409);
	ck_assert_str_eq(err.code, "opted_out");
	contact_clear(&c);
	test_db_close(&t);
}
END_TEST

/*
 * Issue 17: an opt-out belongs to the number (opt_outs), whoever has it in
 * the contacts.  A message queued before the STOP is cancelled when a
 * modem would take it; a new one is refused; the STOP's confirmation (a
 * system message) still goes out.
 */
START_TEST(queue_test_opt_out_by_number)
{
	struct test_db t;
	struct contact c = { 0 };
	struct error err = { 0 };
	struct queue_msg m;
	int64_t before, confirmation, id;

	test_db_open(&t);
	before = queue_test_add(t.db, "Atelier jeudi", QUEUE_DIRECT, T0);
	ck_assert_int_eq(queue_add(t.db, "+33639980001", 0, "Vous ne recevrez plus de SMS.",
	    QUEUE_SYSTEM, "system", T0, &confirmation, &err), 0);
	/* the STOP, from a number that is no contact's */
	ck_assert_int_eq(sqlite3_exec(db_handle(t.db), "INSERT INTO opt_outs (number, "
	    "opted_out_at, source) VALUES ('+33639980001', 1800000001, 'sms')", NULL, NULL,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(queue_claim_next(t.db, "modem", T0 + 2, &m), 1);
	ck_assert_int_eq(m.id, confirmation);
	queue_msg_clear(&m);
	ck_assert_str_eq(queue_test_status(t.db, before), "cancelled");
	ck_assert_int_eq(queue_claim_next(t.db, "modem", T0 + 2, &m), 0);
	ck_assert_int_eq(queue_add(t.db, "+33639980001", 0, "Bonjour", QUEUE_DIRECT, "test",
	    T0 + 3, &id, &err), -1);
	ck_assert_int_eq(error_http_status(err.kind), 409);
	ck_assert_str_eq(err.code, "opted_out");
	ck_assert_int_eq(queue_add(t.db, "+33639980001", 0, "C'est noté.", QUEUE_SYSTEM,
	    "system", T0 + 3, &id, &err), 0);

	/* the number in a household: refused for it, not for the contact's own */
	c.first_name = strdup("Zoé");
	ck_assert_int_eq(contact_add_phone(&c, "06 39 98 00 02", "", true, "phone", NULL,
	    &err), 0);
	ck_assert_int_eq(contact_add_phone(&c, "06 39 98 00 01", "mère", true, "phones", NULL,
	    &err), 0);
	ck_assert_int_eq(contacts_save(t.db, &c, &queue_actor, T0 + 4, &err), 0);
	ck_assert_int_eq(queue_add(t.db, "+33639980001", c.id, "Bonjour", QUEUE_DIRECT, "test",
	    T0 + 5, &id, &err), -1);
	ck_assert_str_eq(err.code, "opted_out");
	ck_assert_int_eq(queue_add(t.db, "+33639980002", c.id, "Bonjour", QUEUE_DIRECT, "test",
	    T0 + 5, &id, &err), 0);
	contact_clear(&c);
	test_db_close(&t);
}
END_TEST

START_TEST(queue_test_refuses_bad_bodies)
{
	struct test_db t;
	struct error err = { 0 };
	char big[2000];
	int64_t id;

	test_db_open(&t);
	ck_assert_int_eq(queue_add(t.db, "+33639980001", 0, "", 0, "t", T0, &id, &err), -1);
	ck_assert_str_eq(err.field, "body");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(queue_add(t.db, "+33639980001", 0, big, 0, "t", T0, &id, &err), -1);
	ck_assert_int_eq(queue_add(t.db, "+33639980001", 0, "caf\xe9", 0, "t", T0, &id, &err),
	    -1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages"), 0);
	test_db_close(&t);
}
END_TEST

static int64_t
inbox_test_store(struct db *db, const char *body, int ref, int total, int seq,
    int64_t sent_at, int64_t now)
{
	struct inbox_sms sms = { "modem", "+33639980001", body, sent_at, ref, total, seq };
	int64_t id = -1;

	ck_assert_int_eq(inbox_store(db, &sms, now, &id), 0);
	return id;
}

START_TEST(inbox_test_single_and_duplicate)
{
	struct test_db t;

	test_db_open(&t);
	ck_assert_int_gt(inbox_test_store(t.db, "OUI", -1, 1, 1, T0, T0 + 5), 0);
	/* the same SMS read again after a crash: recognised */
	ck_assert_int_eq(inbox_test_store(t.db, "OUI", -1, 1, 1, T0, T0 + 60), 0);
	/* the same words sent again later: a new reply */
	ck_assert_int_gt(inbox_test_store(t.db, "OUI", -1, 1, 1, T0 + 600, T0 + 605), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM replies"), 2);
	test_db_close(&t);
}
END_TEST

START_TEST(inbox_test_parts_out_of_order_hours_apart)
{
	struct test_db t;
	int64_t id;

	test_db_open(&t);
	ck_assert_int_eq(inbox_test_store(t.db, "c'est tout.", 77, 3, 3, T0 + 2, T0), 0);
	ck_assert_int_eq(inbox_test_store(t.db, "Bonjour, ", 77, 3, 1, T0, T0 + 3 * 3600), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM replies"), 0);
	id = inbox_test_store(t.db, "je viendrai, ", 77, 3, 2, T0 + 1, T0 + 5 * 3600);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM replies WHERE body = "
	    "'Bonjour, je viendrai, c''est tout.'"), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT sent_at FROM replies"), T0);
	/* part 2 read again from the SIM: nothing new */
	ck_assert_int_eq(inbox_test_store(t.db, "je viendrai, ", 77, 3, 2, T0 + 1, T0 + 6 * 3600),
	    0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM replies"), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM incoming_parts "
	    "WHERE reply_id IS NULL"), 0);
	/* a new message that reuses reference 77 is not taken for a copy */
	ck_assert_int_eq(inbox_test_store(t.db, "A", 77, 2, 1, T0 + 9000, T0 + 9001), 0);
	ck_assert_int_gt(inbox_test_store(t.db, "B", 77, 2, 2, T0 + 9000, T0 + 9002), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM replies"), 2);
	test_db_close(&t);
}
END_TEST

START_TEST(queue_test_erasure_forgets_texts)
{
	struct test_db t;
	struct contact c = { 0 };
	struct error err = { 0 };
	int64_t id;

	test_db_open(&t);
	c.first_name = strdup("Zoé");
	ck_assert_int_eq(contact_add_phone(&c, "06 39 98 00 01", "", true, "phone", NULL,
	    &err), 0);
	ck_assert_int_eq(contacts_save(t.db, &c, &queue_actor, T0, &err), 0);
	ck_assert_int_eq(queue_add(t.db, "+33639980001", c.id, "Bonjour Zoé", 1, "t", T0, &id,
	    &err), 0);
	inbox_test_store(t.db, "OUI", -1, 1, 1, T0, T0 + 5);
	ck_assert_int_eq(contacts_erase(t.db, c.id, &queue_actor, T0 + 10, &err), 0);
	ck_assert_str_eq(queue_test_status(t.db, id), "cancelled");
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE body IS NULL "
	    "AND to_number = '' AND contact_id IS NULL"), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM replies WHERE body IS NULL "
	    "AND from_number = ''"), 1);
	contact_clear(&c);
	test_db_close(&t);
}
END_TEST

/* The centre's configuration, and Zoé (06 39 98 00 01) saved as a contact in t. */
static struct config *
replies_test_setup(struct test_db *t, struct contact *c, const char *centre_name)
{
	char text[256], cfgerr[256] = "";
	struct error err = { 0 };
	struct config *centre;

	snprintf(text, sizeof(text), "[centre]\nname = %s\nphone = 03 21 00 00 00\n",
	    centre_name);
	centre = config_load_string(text, "test.conf", cfgerr, sizeof(cfgerr));
	ck_assert_msg(centre != NULL, "%s", cfgerr);
	test_db_open(t);
	memset(c, 0, sizeof(*c));
	c->first_name = strdup("Zoé");
	ck_assert_int_eq(contact_add_phone(c, "06 39 98 00 01", "", true, "phone", NULL,
	    &err), 0);
	ck_assert_int_eq(contacts_save(t->db, c, &queue_actor, T0, &err), 0);
	return centre;
}

START_TEST(replies_test_stop_start_help)
{
	struct test_db t;
	struct contact c;
	struct error err = { 0 };
	struct config *centre = replies_test_setup(&t, &c, "Centre social Jacques Brel");
	struct queue_msg m;
	enum intent intent;
	bool queued;
	int64_t bulk, reply;

	bulk = queue_test_add(t.db, "Atelier jeudi", 1, T0);

	/* STOP: opted out at once, queued reminder cancelled, one confirmation */
	reply = inbox_test_store(t.db, "Stop.", -1, 1, 1, T0, T0 + 1);
	ck_assert_int_eq(replies_process(t.db, centre, reply, T0 + 2, &intent, &queued), 0);
	ck_assert_int_eq(intent, INTENT_STOP);
	ck_assert(queued);
	ck_assert_str_eq(queue_test_status(t.db, bulk), "cancelled");
	ck_assert_int_eq(test_db_int(t.db, "SELECT opted_out_at FROM contacts"), T0 + 2);
	ck_assert_int_eq(test_db_int(t.db, "SELECT opt_out_reply_id FROM contacts"), reply);
	ck_assert_int_eq(test_db_int(t.db, "SELECT handled FROM replies"), 1);
	/* the confirmation goes out although the contact opted out */
	ck_assert_int_eq(queue_claim_next(t.db, "modem", T0 + 3, &m), 1);
	ck_assert_ptr_nonnull(strstr(m.body, "Vous ne recevrez plus de SMS de notre part. "
	    "Envoyez START pour reprendre. Centre social Jacques Brel"));
	queue_msg_clear(&m);
	/* and nothing else does */
	ck_assert_int_eq(queue_add(t.db, "+33639980001", 0, "x", 0, "t", T0, &bulk, &err), -1);

	/* START: back in, with a confirmation */
	reply = inbox_test_store(t.db, "START", -1, 1, 1, T0 + 100, T0 + 101);
	ck_assert_int_eq(replies_process(t.db, centre, reply, T0 + 102, &intent, &queued), 0);
	ck_assert_int_eq(intent, INTENT_START);
	ck_assert_int_eq(test_db_int(t.db, "SELECT opted_out_at IS NULL FROM contacts"), 1);

	/* AIDE: the centre's name and phone */
	reply = inbox_test_store(t.db, "AIDE", -1, 1, 1, T0 + 200, T0 + 201);
	ck_assert_int_eq(replies_process(t.db, centre, reply, T0 + 202, &intent, &queued), 0);
	ck_assert_int_eq(intent, INTENT_HELP);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE kind = "
	    "'system' AND body LIKE '%appelez le 03 21 00 00 00%'"), 1);

	/* unclear: for a person */
	reply = inbox_test_store(t.db, "oui mais je serai en retard", -1, 1, 1, T0 + 300,
	    T0 + 301);
	ck_assert_int_eq(replies_process(t.db, centre, reply, T0 + 302, &intent, &queued), 0);
	ck_assert_int_eq(intent, INTENT_OTHER);
	ck_assert(!queued);
	ck_assert_int_eq(test_db_int(t.db, "SELECT handled FROM replies ORDER BY id DESC"),
	    0);
	config_free(centre);
	contact_clear(&c);
	test_db_close(&t);
}
END_TEST

/* The body of the newest message of kind ("system", "direct"). */
static char *
replies_test_last_of(struct db *db, const char *kind)
{
	static char body[1024];
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(db), "SELECT body FROM messages WHERE "
	    "kind = ? ORDER BY id DESC LIMIT 1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	snprintf(body, sizeof(body), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return body;
}

/* The body of the newest system message (an answer to STOP, AIDE ...). */
static char *
replies_test_last_answer(struct db *db)
{
	return replies_test_last_of(db, "system");
}

/*
 * Issue 26: « c'est qui ? » is answered at once with the centre's name,
 * address and phone, and every text rappel sends by itself goes in the
 * contact's language; a text changed from the panel is used, a bad one
 * refused.
 */
START_TEST(replies_test_who_and_languages)
{
	static const struct audit_actor admin = { 1, "directrice" };
	struct test_db t;
	struct contact c;
	struct error err = { 0 };
	struct config *centre = replies_test_setup(&t, &c, "Centre social Jacques Brel");
	char cfgerr[256] = "";
	struct config *addressed = config_load_string("[centre]\nname = Maison des Tilleuls\n"
	    "phone = 03 21 00 00 00\naddress = 12 rue des Tilleuls, Lens\n", "test.conf",
	    cfgerr, sizeof(cfgerr));
	enum intent intent;
	json_t *changes;
	bool queued;
	int64_t reply;

	ck_assert_msg(addressed != NULL, "%s", cfgerr);
	/* Zoé asks in French: French, and no empty address where none is given */
	reply = inbox_test_store(t.db, "Bonjour c est qui ?", -1, 1, 1, T0, T0 + 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM replies"), 1);
	ck_assert_int_eq(replies_process(t.db, centre, reply, T0 + 2, &intent, &queued), 0);
	ck_assert_int_eq(intent, INTENT_WHO);
	ck_assert(queued);
	ck_assert_str_eq(replies_test_last_answer(t.db), "Bonjour, ici Centre social Jacques "
	    "Brel. Ce numéro envoie les rappels de nos ateliers. Pour nous parler : "
	    "03 21 00 00 00.");
	ck_assert_int_eq(test_db_int(t.db, "SELECT handled FROM replies"), 1);

	/* Zoé speaks English: the answer, with the address, in English */
	ck_assert_int_eq(test_db_int(t.db, "UPDATE contacts SET language = 'en' RETURNING 0"),
	    0);
	reply = inbox_test_store(t.db, "who is this?", -1, 1, 1, T0 + 10, T0 + 11);
	ck_assert_int_eq(replies_process(t.db, addressed, reply, T0 + 12, &intent, &queued), 0);
	ck_assert_int_eq(intent, INTENT_WHO);
	ck_assert_str_eq(replies_test_last_answer(t.db), "Hello, this is Maison des Tilleuls, "
	    "12 rue des Tilleuls, Lens. This number sends the reminders of our workshops. "
	    "To talk to us: 03 21 00 00 00.");
	/* in Arabic, STOP is confirmed in Arabic */
	ck_assert_int_eq(test_db_int(t.db, "UPDATE contacts SET language = 'ar' RETURNING 0"),
	    0);
	reply = inbox_test_store(t.db, "STOP", -1, 1, 1, T0 + 20, T0 + 21);
	ck_assert_int_eq(replies_process(t.db, centre, reply, T0 + 22, &intent, &queued), 0);
	ck_assert_int_eq(intent, INTENT_STOP);
	ck_assert_str_eq(replies_test_last_answer(t.db), "لن تصلك رسائل أخرى من "
	    "Centre social Jacques Brel. أرسل START لاستقبالها من جديد.");

	/* the Arabic START text changed from the panel is the one sent */
	changes = json_pack("[{s:s, s:s, s:s}]", "name", "start", "language", "ar", "body",
	    "أهلا من جديد، {centre}.");
	ck_assert_int_eq(texts_update(t.db, changes, &admin, T0 + 30, &err), 0);
	json_decref(changes);
	reply = inbox_test_store(t.db, "START", -1, 1, 1, T0 + 40, T0 + 41);
	ck_assert_int_eq(replies_process(t.db, centre, reply, T0 + 42, &intent, &queued), 0);
	ck_assert_str_eq(replies_test_last_answer(t.db), "أهلا من جديد، Centre social "
	    "Jacques Brel.");
	/* refused, nothing stored: a session's variable in a text without one, a bad name */
	changes = json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}]", "name", "help", "language",
	    "fr", "body", "Aide : {centre}", "name", "stop", "language", "en", "body",
	    "See you on {date}");
	ck_assert_int_eq(texts_update(t.db, changes, &admin, T0 + 50, &err), -1);
	ck_assert_str_eq(err.code, "unknown_variable");
	json_decref(changes);
	changes = json_pack("[{s:s, s:s, s:s}]", "name", "bonjour", "language", "fr", "body",
	    "Bonjour");
	ck_assert_int_eq(texts_update(t.db, changes, &admin, T0 + 50, &err), -1);
	json_decref(changes);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM texts"), 1);
	/* null brings the default back */
	changes = json_pack("[{s:s, s:s, s:n}]", "name", "start", "language", "ar", "body");
	ck_assert_int_eq(texts_update(t.db, changes, &admin, T0 + 60, &err), 0);
	json_decref(changes);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM texts"), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'texts' AND actor = 'directrice'"), 2);
	config_free(addressed);
	config_free(centre);
	contact_clear(&c);
	test_db_close(&t);
}
END_TEST

/* Sets modem name's state in modem_status, as its worker would. */
static void
queue_test_modem(struct db *db, const char *name, const char *state)
{
	struct modemstatus ms = { .signal = -1 };

	snprintf(ms.name, sizeof(ms.name), "%s", name);
	snprintf(ms.state, sizeof(ms.state), "%s", state);
	ck_assert_int_eq(modemstatus_write(db, &ms), 0);
}

/*
 * Issue 26: the sender does not change from one message to the next.  Zoé
 * was written to from modem "b": her next message waits for "b" while it
 * is ready, goes by "a" when "b" is not, or when it has waited too long
 * and "a" has nothing else to send; a number of no contact goes by any
 * modem.
 */
START_TEST(queue_test_sticky_sender)
{
	struct test_db t;
	struct contact c;
	struct error err = { 0 };
	struct config *centre = replies_test_setup(&t, &c, "Centre social Jacques Brel");
	struct queue_msg m;
	int64_t id, first;

	queue_test_modem(t.db, "a", "ready");
	queue_test_modem(t.db, "b", "ready");
	ck_assert_int_eq(queue_add(t.db, "+33639980001", c.id, "Invitation", QUEUE_DIRECT,
	    "test", T0, &first, &err), 0);
	ck_assert_int_eq(queue_claim_next(t.db, "b", T0, &m), 1);
	ck_assert_int_eq(queue_mark_sent(t.db, m.id, T0), 0);
	queue_msg_clear(&m);

	/* the thanks: "b" is ready, so "a" leaves it to "b" */
	ck_assert_int_eq(queue_add(t.db, "+33639980001", c.id, "Merci", QUEUE_SYSTEM, "test",
	    T0 + 60, &id, &err), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE sender = 'b'"),
	    1);
	ck_assert_int_eq(queue_claim_next(t.db, "a", T0 + 61, &m), 0);
	ck_assert_int_eq(queue_claim_next(t.db, "b", T0 + 61, &m), 1);
	ck_assert_int_eq(m.id, id);
	ck_assert_int_eq(queue_mark_sent(t.db, m.id, T0 + 61), 0);
	queue_msg_clear(&m);

	/* "b" lost its network: "a" takes the next one at once */
	queue_test_modem(t.db, "b", "no_network");
	ck_assert_int_eq(queue_add(t.db, "+33639980001", c.id, "Rappel", QUEUE_DIRECT, "test",
	    T0 + 120, &id, &err), 0);
	ck_assert_int_eq(queue_claim_next(t.db, "a", T0 + 121, &m), 1);
	ck_assert_int_eq(m.id, id);
	queue_msg_clear(&m);

	/* "b" ready again but busy: "a" takes it once it has waited QUEUE_STICKY_WAIT */
	queue_test_modem(t.db, "b", "ready");
	ck_assert_int_eq(queue_add(t.db, "+33639980001", c.id, "Rappel 2", QUEUE_DIRECT, "test",
	    T0 + 200, &id, &err), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE id = "
	    "(SELECT max(id) FROM messages) AND sender = 'b'"), 1);
	ck_assert_int_eq(queue_claim_next(t.db, "a", T0 + 200 + QUEUE_STICKY_WAIT - 1, &m), 0);
	ck_assert_int_eq(queue_claim_next(t.db, "a", T0 + 200 + QUEUE_STICKY_WAIT, &m), 1);
	ck_assert_int_eq(m.id, id);
	queue_msg_clear(&m);

	/* a number of no contact: whichever modem is free */
	ck_assert_int_eq(queue_add(t.db, "+33639980077", 0, "Bonjour", QUEUE_DIRECT, "test",
	    T0 + 300, &id, &err), 0);
	ck_assert_int_eq(queue_claim_next(t.db, "a", T0 + 301, &m), 1);
	ck_assert_int_eq(m.id, id);
	queue_msg_clear(&m);

	/*
	 * Zoé's next one waited "b" too long, but "a" has work of its own, due
	 * later: "a" sends its own first (four busy modems keep their contacts
	 * to the end of a long campaign), and hers only when it has no other.
	 */
	ck_assert_int_eq(queue_mark_sent(t.db, id, T0 + 302), 0);
	ck_assert_int_eq(queue_add(t.db, "+33639980001", c.id, "Rappel 3", QUEUE_DIRECT, "test",
	    T0 + 400, &id, &err), 0);
	ck_assert_int_eq(queue_add(t.db, "+33639980077", 0, "Encore", QUEUE_DIRECT, "test",
	    T0 + 400 + QUEUE_STICKY_WAIT, &first, &err), 0);
	ck_assert_int_eq(queue_claim_next(t.db, "a", T0 + 400 + QUEUE_STICKY_WAIT, &m), 1);
	ck_assert_int_eq(m.id, first);
	queue_msg_clear(&m);
	ck_assert_int_eq(queue_claim_next(t.db, "a", T0 + 400 + QUEUE_STICKY_WAIT, &m), 1);
	ck_assert_int_eq(m.id, id);
	queue_msg_clear(&m);
	config_free(centre);
	contact_clear(&c);
	test_db_close(&t);
}
END_TEST

/* Stores an SMS from number and processes it; returns the reply's id. */
static int64_t
replies_test_receive(struct db *db, const struct config *cfg, const char *from,
    const char *body, int64_t at, bool *queued)
{
	struct inbox_sms sms = { "modem", from, body, at, -1, 1, 1 };
	enum intent intent;
	int64_t id = -1;

	ck_assert_int_eq(inbox_store(db, &sms, at, &id), 0);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(replies_process(db, cfg, id, at + 1, &intent, queued), 0);
	return id;
}

/* Stores a call from number at `at` and decides it; returns the reply's id (0: same call). */
static int64_t
replies_test_call(struct db *db, const struct config *cfg, const char *from, int64_t at,
    bool *queued)
{
	enum intent intent = INTENT_OTHER;
	int64_t id = -1;

	*queued = false;
	ck_assert_int_eq(inbox_store_call(db, "modem", from, at, &id), 0);
	if (id == 0)
		return 0;
	ck_assert_int_eq(replies_process(db, cfg, id, at + 1, &intent, queued), 0);
	ck_assert_int_eq(intent, INTENT_CALL);
	return id;
}

/*
 * Issue 26: a voice call is a reply of kind 'call' with the contact, for a
 * person (handled 0); its rings within INBOX_CALL_SAME_S are one call; it
 * is answered by SMS in the contact's language once a day per number, never
 * to a number that sent STOP; a call back marks the calls handled.
 */
START_TEST(replies_test_calls)
{
	struct test_db t;
	struct contact c;
	struct config *centre = replies_test_setup(&t, &c, "Centre social Jacques Brel");
	bool queued;
	int64_t id;

	ck_assert_int_eq(test_db_int(t.db, "UPDATE contacts SET language = 'en' RETURNING 0"),
	    0);
	id = replies_test_call(t.db, centre, "+33639980001", T0, &queued);
	ck_assert_int_gt(id, 0);
	ck_assert(queued);
	ck_assert_int_eq(test_db_int(t.db, "SELECT contact_id = (SELECT id FROM contacts) AND "
	    "kind = 'call' AND body = '' AND intent = 'call' AND handled = 0 FROM replies"), 1);
	ck_assert_str_eq(replies_test_last_of(t.db, "direct"), "This number sends the reminders of "
	    "Centre social Jacques Brel. It cannot take calls: to talk to us, call "
	    "03 21 00 00 00.");
	/* it rings again: the same call */
	ck_assert_int_eq(replies_test_call(t.db, centre, "+33639980001",
	    T0 + INBOX_CALL_SAME_S, &queued), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM replies"), 1);
	/* a second call the same day: kept, not answered; the next day: answered */
	ck_assert_int_gt(replies_test_call(t.db, centre, "+33639980001", T0 + 600, &queued), 0);
	ck_assert(!queued);
	ck_assert_int_gt(replies_test_call(t.db, centre, "+33639980001", T0 + 86400, &queued),
	    0);
	ck_assert(queued);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE body LIKE "
	    "'This number sends%'"), 2);
	/* a number that sent STOP: its call is kept, never answered */
	replies_test_receive(t.db, centre, "+33699887766", "STOP", T0 + 100, &queued);
	ck_assert_int_gt(replies_test_call(t.db, centre, "+33699887766", T0 + 200, &queued), 0);
	ck_assert(!queued);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE "
	    "to_number = '+33699887766' AND body LIKE 'Ce numéro%'"), 0);
	/* called back: Zoé's three calls are handled */
	ck_assert_int_eq(replies_calls_returned(t.db, c.id), 3);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM replies WHERE kind = 'call' "
	    "AND handled = 0"), 1);
	config_free(centre);
	contact_clear(&c);
	test_db_close(&t);
}
END_TEST

/*
 * Issue 17: STOP and START by number.  A stranger's STOP is kept and
 * confirmed; a START with nothing to lift goes to a person; a household
 * number cannot lift the contact's own STOP (a person looks, no
 * confirmation); a sender that is no number is left to a person.
 */
START_TEST(replies_test_stop_start_by_number)
{
	char cfgerr[256] = "";
	struct config *centre = config_load_string("[centre]\nname = Centre social\n"
	    "phone = 03 21 00 00 00\n", "test.conf", cfgerr, sizeof(cfgerr));
	struct test_db t;
	struct contact c = { 0 };
	struct error err = { 0 };
	bool queued;
	int64_t id;

	test_db_open(&t);
	/* a stranger: kept, confirmed, handled */
	id = replies_test_receive(t.db, centre, "+33699887766", "STOP", T0, &queued);
	ck_assert(queued);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM opt_outs WHERE number = "
	    "'+33699887766' AND source = 'sms' AND opted_out_at = 1800000001"), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT reply_id FROM opt_outs"), id);
	ck_assert_int_eq(test_db_int(t.db, "SELECT handled FROM replies ORDER BY id DESC"), 1);
	/* a START from a number that never stopped: a person looks, no answer */
	replies_test_receive(t.db, centre, "+33699887700", "START", T0 + 10, &queued);
	ck_assert(!queued);
	ck_assert_int_eq(test_db_int(t.db, "SELECT handled FROM replies ORDER BY id DESC"), 0);
	/* a sender that is no number: nothing kept */
	replies_test_receive(t.db, centre, "Orange", "STOP", T0 + 20, &queued);
	ck_assert(!queued);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM opt_outs"), 1);

	/* Zoé stops from her own number; her mother's START does not lift it */
	c.first_name = strdup("Zoé");
	ck_assert_int_eq(contact_add_phone(&c, "06 39 98 00 02", "", true, "phone", NULL,
	    &err), 0);
	ck_assert_int_eq(contact_add_phone(&c, "06 39 98 00 01", "mère", true, "phones", NULL,
	    &err), 0);
	ck_assert_int_eq(contacts_save(t.db, &c, &queue_actor, T0 + 30, &err), 0);
	replies_test_receive(t.db, centre, "+33639980002", "STOP", T0 + 40, &queued);
	ck_assert_int_eq(test_db_int(t.db, "SELECT opted_out_at FROM contacts"), T0 + 41);
	replies_test_receive(t.db, centre, "+33639980001", "START", T0 + 50, &queued);
	ck_assert(!queued);
	ck_assert_int_eq(test_db_int(t.db, "SELECT opted_out_at FROM contacts"), T0 + 41);
	ck_assert_int_eq(test_db_int(t.db, "SELECT handled FROM replies ORDER BY id DESC"), 0);
	/* her own START does */
	replies_test_receive(t.db, centre, "+33639980002", "START", T0 + 60, &queued);
	ck_assert(queued);
	ck_assert_int_eq(test_db_int(t.db, "SELECT opted_out_at IS NULL FROM contacts"), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM opt_outs WHERE number = "
	    "'+33639980002'"), 0);
	config_free(centre);
	contact_clear(&c);
	test_db_close(&t);
}
END_TEST

/*
 * Issue 17: a contact saved with a number that sent STOP is opted out with
 * its date; a person who unticks it lifts the number too; erasing an
 * opted-out contact keeps their number opted out.
 */
START_TEST(contacts_test_opt_out_carried)
{
	struct test_db t;
	struct contact c = { 0 }, d = { 0 };
	struct error err = { 0 };

	test_db_open(&t);
	ck_assert_int_eq(sqlite3_exec(db_handle(t.db), "INSERT INTO opt_outs (number, "
	    "opted_out_at, source) VALUES ('+33639980001', 1700000000, 'sms'), "
	    "('+33639980003', 1700000003, 'sms')", NULL, NULL, NULL), SQLITE_OK);
	c.first_name = strdup("Zoé");
	ck_assert_int_eq(contact_add_phone(&c, "06 39 98 00 01", "", true, "phone", NULL,
	    &err), 0);
	ck_assert_int_eq(contact_add_phone(&c, "06 39 98 00 03", "fils", true, "phones", NULL,
	    &err), 0);
	ck_assert_int_eq(contacts_save(t.db, &c, &queue_actor, T0, &err), 0);
	ck_assert_int_eq(c.opted_out_at, 1700000000);
	ck_assert_int_eq(c.phones[1].opted_out_at, 1700000003);
	ck_assert_int_eq(test_db_int(t.db, "SELECT opted_out_at FROM contacts"), 1700000000);
	/* unticked by a person: the first number is lifted, the son's is not */
	c.opted_out_at = 0;
	ck_assert_int_eq(contacts_save(t.db, &c, &queue_actor, T0 + 1, &err), 0);
	ck_assert_int_eq(c.opted_out_at, 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM opt_outs WHERE number = "
	    "'+33639980001'"), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM opt_outs WHERE number = "
	    "'+33639980003'"), 1);
	/* ticked again, then erased: the number stays opted out */
	c.opted_out_at = T0 + 2;
	ck_assert_int_eq(contacts_save(t.db, &c, &queue_actor, T0 + 2, &err), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT opted_out_at FROM opt_outs WHERE number = "
	    "'+33639980001' AND source = 'panel'"), T0 + 2);
	ck_assert_int_eq(contacts_erase(t.db, c.id, &queue_actor, T0 + 3, &err), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM opt_outs"), 2);
	/* a contact opted out before opt-outs were kept by number: kept at erasure */
	d.first_name = strdup("Denis");
	ck_assert_int_eq(contact_add_phone(&d, "06 39 98 00 04", "", true, "phone", NULL,
	    &err), 0);
	ck_assert_int_eq(contacts_save(t.db, &d, &queue_actor, T0 + 4, &err), 0);
	ck_assert_int_eq(sqlite3_exec(db_handle(t.db), "UPDATE contacts SET opted_out_at = 5",
	    NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(contacts_erase(t.db, d.id, &queue_actor, T0 + 5, &err), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT opted_out_at FROM opt_outs WHERE number = "
	    "'+33639980004'"), 5);
	contact_clear(&c);
	contact_clear(&d);
	test_db_close(&t);
}
END_TEST

/* Issue 17: at start, contacts whose first number sent STOP before are opted out. */
START_TEST(contacts_test_carry_at_start)
{
	struct test_db t;
	struct contact c = { 0 };
	struct error err = { 0 };

	test_db_open(&t);
	c.first_name = strdup("Zoé");
	ck_assert_int_eq(contact_add_phone(&c, "06 39 98 00 01", "", true, "phone", NULL,
	    &err), 0);
	ck_assert_int_eq(contacts_save(t.db, &c, &queue_actor, T0, &err), 0);
	/* what sql/008 back-fills from a STOP received before the contact existed */
	ck_assert_int_eq(sqlite3_exec(db_handle(t.db), "INSERT INTO opt_outs (number, "
	    "opted_out_at, source) VALUES ('+33639980001', 1700000000, 'migration')", NULL,
	    NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(contacts_carry_opt_outs(t.db, T0 + 1), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT opted_out_at FROM contacts"), 1700000000);
	ck_assert_int_eq(contacts_carry_opt_outs(t.db, T0 + 2), 0);
	contact_clear(&c);
	test_db_close(&t);
}
END_TEST

/* Replies are a queue: undecided until decided once, oldest first. */
START_TEST(replies_test_undecided_queue)
{
	struct test_db t;
	struct contact c;
	struct config *centre = replies_test_setup(&t, &c, "Centre social");
	enum intent intent;
	bool queued;
	int64_t stop, start;

	/* stored, and nothing decided them (a crash came in between) */
	stop = inbox_test_store(t.db, "STOP", -1, 1, 1, T0, T0 + 1);
	start = inbox_test_store(t.db, "START", -1, 1, 1, T0 + 10, T0 + 11);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM replies WHERE intent IS NULL"),
	    2);
	/* taken in order: the STOP, then the START; both confirmed once */
	ck_assert_int_eq(replies_process_pending(t.db, centre, T0 + 20, 64, &queued), 2);
	ck_assert(queued);
	ck_assert_int_eq(test_db_int(t.db, "SELECT opted_out_at IS NULL FROM contacts"), 1);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE kind = 'system'"),
	    2);
	/* a decided reply is never acted on again: no second confirmation */
	ck_assert_int_eq(replies_process(t.db, centre, stop, T0 + 30, &intent, &queued), 0);
	ck_assert(!queued);
	ck_assert_int_eq(test_db_int(t.db, "SELECT opted_out_at IS NULL FROM contacts"), 1);
	ck_assert_int_eq(replies_process_pending(t.db, centre, T0 + 30, 64, &queued), 0);
	ck_assert_int_eq(test_db_int(t.db, "SELECT count(*) FROM messages WHERE kind = 'system'"),
	    2);
	ck_assert_int_gt(start, stop);
	config_free(centre);
	contact_clear(&c);
	test_db_close(&t);
}
END_TEST

static int queue_test_wakes;

static void
queue_test_wake(void *arg)
{
	(void)arg;
	queue_test_wakes++;
}

/* The modems hear of a queued message once it is committed, never before. */
START_TEST(queue_test_notifies_on_commit)
{
	struct test_db t;
	int64_t id;

	test_db_open(&t);
	queue_on_commit(queue_test_wake, NULL);
	queue_test_wakes = 0;
	queue_test_add(t.db, "Sans transaction", 0, T0);	/* commits on its own */
	ck_assert_int_eq(queue_test_wakes, 1);
	ck_assert_int_eq(db_begin(t.db), 0);
	id = queue_test_add(t.db, "Un", 0, T0);
	queue_test_add(t.db, "Deux", 0, T0);
	ck_assert_int_eq(queue_test_wakes, 1);		/* not yet committed */
	ck_assert_int_eq(db_commit(t.db), 0);
	ck_assert_int_eq(queue_test_wakes, 2);		/* once for the transaction */
	ck_assert_int_eq(db_begin(t.db), 0);
	queue_test_add(t.db, "Annulé", 0, T0);
	db_rollback(t.db);
	ck_assert_int_eq(queue_test_wakes, 2);		/* rolled back: nothing to send */
	ck_assert_int_eq(db_begin(t.db), 0);
	ck_assert_int_eq(db_exec(t.db, "SELECT 1"), 0);
	ck_assert_int_eq(db_commit(t.db), 0);
	ck_assert_int_eq(queue_test_wakes, 2);		/* a transaction that queued nothing */
	ck_assert_int_gt(id, 0);
	queue_on_commit(NULL, NULL);
	test_db_close(&t);
}
END_TEST

static Suite *
queue_suite(void)
{
	Suite *s = suite_create("queue");
	TCase *tc;

	tc = tcase_create("states");
	tcase_add_test(tc, queue_test_lifecycle);
	tcase_add_test(tc, queue_test_priority_and_due);
	tcase_add_test(tc, queue_test_recover_uncertain);
	tcase_add_test(tc, queue_test_refuses_bad_bodies);
	tcase_add_test(tc, queue_test_notifies_on_commit);
	suite_add_tcase(s, tc);
	tc = tcase_create("retries");
	tcase_add_test(tc, queue_test_retry_backoff_gives_up);
	tcase_add_test(tc, queue_test_partial_multipart_resumes);
	tcase_add_test(tc, queue_test_report_finds_newest_part);
	suite_add_tcase(s, tc);
	tc = tcase_create("opt-out and erasure");
	tcase_add_test(tc, queue_test_opt_out);
	tcase_add_test(tc, queue_test_opt_out_by_number);
	tcase_add_test(tc, queue_test_erasure_forgets_texts);
	tcase_add_test(tc, contacts_test_opt_out_carried);
	tcase_add_test(tc, contacts_test_carry_at_start);
	suite_add_tcase(s, tc);
	tc = tcase_create("inbox");
	tcase_add_test(tc, inbox_test_single_and_duplicate);
	tcase_add_test(tc, inbox_test_parts_out_of_order_hours_apart);
	suite_add_tcase(s, tc);
	tc = tcase_create("replies");
	tcase_add_test(tc, replies_test_stop_start_help);
	tcase_add_test(tc, replies_test_who_and_languages);
	tcase_add_test(tc, queue_test_sticky_sender);
	tcase_add_test(tc, replies_test_stop_start_by_number);
	tcase_add_test(tc, replies_test_calls);
	tcase_add_test(tc, replies_test_undecided_queue);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(queue_suite)
