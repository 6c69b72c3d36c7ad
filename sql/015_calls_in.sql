-- Issue 26: a voice call to a modem's number.  The modem hangs up at once
-- and the call is kept as a reply of kind 'call' with an empty body
-- (inbox.c stores it, replies.c decides it: intent 'call'), so that it
-- takes its place in the inbox's conversation with that number's SMS, is
-- handled like one, and is a queue like one (an undecided call is
-- decided after a crash).  Several rings of one call are one row.
ALTER TABLE replies ADD COLUMN kind TEXT NOT NULL DEFAULT 'sms'
	CHECK (kind IN ('sms', 'call'));
-- the calls of a number (one answer SMS a day), and the calls of a contact
-- still to return (the list of people to phone)
CREATE INDEX replies_calls ON replies (from_number, received_at) WHERE kind = 'call';
CREATE INDEX replies_calls_contact ON replies (contact_id, received_at)
	WHERE kind = 'call' AND handled = 0;
