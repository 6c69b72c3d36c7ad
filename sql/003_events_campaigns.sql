-- 003: ateliers (events) with their occurrences, campaigns, what the
-- scheduler has done, and RSVPs.

-- An atelier.  starts_at/ends_at are its first occurrence; with an RRULE
-- the others keep its local start time and its length.
CREATE TABLE events (
	id           INTEGER PRIMARY KEY,
	title        TEXT NOT NULL CHECK (title <> ''),
	place        TEXT NOT NULL DEFAULT '',
	starts_at    INTEGER NOT NULL,
	ends_at      INTEGER NOT NULL CHECK (ends_at >= starts_at),
	capacity     INTEGER CHECK (capacity IS NULL OR capacity > 0),
	rrule        TEXT,                    -- RFC 5545 RECUR value; NULL: one occurrence
	owner_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,  -- who runs it
	cancelled_at INTEGER,                 -- the whole atelier was cancelled
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
);
CREATE INDEX events_owner ON events (owner_id);

-- Invitees: groups (their members at the time a message is queued) and contacts.
CREATE TABLE event_groups (
	event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	group_id     INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	PRIMARY KEY (event_id, group_id)
) WITHOUT ROWID;
CREATE TABLE event_contacts (
	event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	contact_id   INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	PRIMARY KEY (event_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX event_contacts_contact ON event_contacts (contact_id);

-- One occurrence that differs from its rule: moved, or cancelled.
-- occurrence is the key of its original start (recur_key: YYYYMMDDHHMM).
CREATE TABLE event_exceptions (
	event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	occurrence   INTEGER NOT NULL,
	starts_at    INTEGER,                 -- moved to (NULL: not moved)
	ends_at      INTEGER,
	cancelled_at INTEGER,                 -- NULL: takes place
	PRIMARY KEY (event_id, occurrence)
) WITHOUT ROWID;

-- A campaign: what to send, to whom, when.  status moves draft ->
-- scheduled -> running -> done, or to cancelled from any but done.
CREATE TABLE campaigns (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL CHECK (name <> ''),
	body          TEXT NOT NULL,          -- template, French (and the default)
	body_en       TEXT,                   -- for contacts whose language is en
	body_ar       TEXT,                   -- ... ar
	event_id      INTEGER REFERENCES events (id) ON DELETE SET NULL,  -- the atelier it is about
	schedule_kind TEXT CHECK (schedule_kind IN ('at', 'rrule', 'before_event')),
	at            INTEGER,                -- schedule_kind 'at'
	rrule         TEXT,                   -- schedule_kind 'rrule', from dtstart
	dtstart       INTEGER,
	offsets       TEXT,                   -- 'before_event': JSON array of offsets ("-1d@18:00")
	ask_reply     INTEGER NOT NULL DEFAULT 0 CHECK (ask_reply IN (0, 1)),
	transliterate INTEGER NOT NULL DEFAULT 0 CHECK (transliterate IN (0, 1)),
	ack_body      TEXT,                   -- answer to OUI/NON, when set
	cancel_body   TEXT,                   -- sent when an occurrence of the atelier is cancelled
	status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled',
	              'running', 'done', 'cancelled')),
	owner_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
	scheduled_at  INTEGER,                -- when it was scheduled: nothing due before is sent
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
);
CREATE INDEX campaigns_event ON campaigns (event_id);
CREATE INDEX campaigns_status ON campaigns (status);

CREATE TABLE campaign_groups (
	campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
	group_id     INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	PRIMARY KEY (campaign_id, group_id)
) WITHOUT ROWID;
CREATE TABLE campaign_contacts (
	campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
	contact_id   INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	PRIMARY KEY (campaign_id, contact_id)
) WITHOUT ROWID;

-- What the scheduler did with each occurrence of a campaign: written in
-- the same transaction as the messages it queued, so a restart neither
-- repeats nor forgets one.  occurrence is messages.occurrence.
CREATE TABLE campaign_runs (
	campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
	occurrence   TEXT NOT NULL,
	due_at       INTEGER NOT NULL,
	state        TEXT NOT NULL CHECK (state IN ('queued', 'missed', 'skipped')),
	queued       INTEGER NOT NULL DEFAULT 0,   -- messages queued
	left_out     INTEGER NOT NULL DEFAULT 0,   -- recipients opted out or without a mobile
	done_at      INTEGER NOT NULL,
	PRIMARY KEY (campaign_id, occurrence)
) WITHOUT ROWID;

-- A message that belongs to an atelier occurrence, and whether it asks
-- for a reply until a given time: the reply router's way back.
ALTER TABLE messages ADD COLUMN event_id INTEGER;
ALTER TABLE messages ADD COLUMN event_occurrence INTEGER;
ALTER TABLE messages ADD COLUMN reply_until INTEGER;   -- NULL: asks for no reply
CREATE INDEX messages_reply ON messages (contact_id, reply_until);
CREATE INDEX messages_campaign ON messages (campaign_id, status);
CREATE INDEX messages_event ON messages (event_id, event_occurrence);
ALTER TABLE replies ADD COLUMN event_occurrence INTEGER;

-- The current answer of a contact for an atelier occurrence, and whether
-- they came.  Every answer is also kept in rsvp_history.
CREATE TABLE rsvps (
	event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	occurrence   INTEGER NOT NULL,
	contact_id   INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	answer       TEXT CHECK (answer IN ('yes', 'no')),
	answered_at  INTEGER,
	via          TEXT CHECK (via IN ('sms', 'manual')),
	reply_id     INTEGER REFERENCES replies (id) ON DELETE SET NULL,
	present      INTEGER CHECK (present IN (0, 1)),
	present_at   INTEGER,
	PRIMARY KEY (event_id, occurrence, contact_id)
) WITHOUT ROWID;
CREATE TABLE rsvp_history (
	id           INTEGER PRIMARY KEY,
	event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	occurrence   INTEGER NOT NULL,
	contact_id   INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
	answer       TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'none')),
	via          TEXT NOT NULL CHECK (via IN ('sms', 'manual')),
	reply_id     INTEGER REFERENCES replies (id) ON DELETE SET NULL,
	by_user      TEXT NOT NULL DEFAULT '',
	at           INTEGER NOT NULL
);
CREATE INDEX rsvp_history_event ON rsvp_history (event_id, occurrence);
