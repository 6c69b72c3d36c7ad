-- 012: the people staff phone about an atelier, and what they said.
--
-- A call made from the list of people to phone (calls.c owns phone_calls)
-- records its outcome; an answer given on the phone is the person's RSVP,
-- with via = 'phone'.  rsvps and rsvp_history are rebuilt for that value
-- of their CHECK (SQLite cannot change a CHECK in place); their rows and
-- index are kept as they were.
CREATE TABLE phone_calls (
	id           INTEGER PRIMARY KEY,
	event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	occurrence   INTEGER NOT NULL,
	contact_id   INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
	outcome      TEXT NOT NULL CHECK (outcome IN ('yes', 'no', 'no_answer', 'wrong_number')),
	note         TEXT NOT NULL DEFAULT '',
	by_user      TEXT NOT NULL,
	at           INTEGER NOT NULL
);
CREATE INDEX phone_calls_session ON phone_calls (event_id, occurrence, contact_id);

CREATE TABLE rsvps_new (
	event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	occurrence   INTEGER NOT NULL,
	contact_id   INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	answer       TEXT CHECK (answer IN ('yes', 'no')),
	answered_at  INTEGER,
	via          TEXT CHECK (via IN ('sms', 'manual', 'phone')),
	reply_id     INTEGER REFERENCES replies (id) ON DELETE SET NULL,
	present      INTEGER CHECK (present IN (0, 1)),
	present_at   INTEGER,
	PRIMARY KEY (event_id, occurrence, contact_id)
) WITHOUT ROWID;
INSERT INTO rsvps_new (event_id, occurrence, contact_id, answer, answered_at, via,
	reply_id, present, present_at)
	SELECT event_id, occurrence, contact_id, answer, answered_at, via, reply_id, present,
	present_at FROM rsvps;
DROP TABLE rsvps;
ALTER TABLE rsvps_new RENAME TO rsvps;

CREATE TABLE rsvp_history_new (
	id           INTEGER PRIMARY KEY,
	event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	occurrence   INTEGER NOT NULL,
	contact_id   INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
	answer       TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'none')),
	via          TEXT NOT NULL CHECK (via IN ('sms', 'manual', 'phone')),
	reply_id     INTEGER REFERENCES replies (id) ON DELETE SET NULL,
	by_user      TEXT NOT NULL DEFAULT '',
	at           INTEGER NOT NULL
);
INSERT INTO rsvp_history_new (id, event_id, occurrence, contact_id, answer, via, reply_id,
	by_user, at)
	SELECT id, event_id, occurrence, contact_id, answer, via, reply_id, by_user, at
	FROM rsvp_history;
DROP TABLE rsvp_history;
ALTER TABLE rsvp_history_new RENAME TO rsvp_history;
CREATE INDEX rsvp_history_event ON rsvp_history (event_id, occurrence);
