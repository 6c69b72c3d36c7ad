-- 002: outgoing messages and their parts, incoming SMS, modem health.

-- One outgoing SMS (possibly several parts) to one number.  status is
-- changed only by daemon/queue.c; see the transition table there.
CREATE TABLE messages (
	id           INTEGER PRIMARY KEY,
	campaign_id  INTEGER,                 -- NULL for a direct message
	occurrence   TEXT,                    -- the campaign occurrence it belongs to
	contact_id   INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
	to_number    TEXT NOT NULL,           -- E.164
	body         TEXT,                    -- NULL once the contact is erased
	encoding     TEXT NOT NULL CHECK (encoding IN ('gsm7', 'ucs2')),
	parts        INTEGER NOT NULL,        -- expected parts, from sms_analyze()
	concat_ref   INTEGER NOT NULL,        -- concatenation reference, kept across retries
	kind         TEXT NOT NULL DEFAULT 'direct' CHECK (kind IN ('direct', 'campaign',
	             'system')),              -- system: STOP/START/AIDE answers, never blocked by STOP
	priority     INTEGER NOT NULL DEFAULT 1,  -- 0 direct and system, 1 campaign: lower first
	status       TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending',
	             'sent', 'delivered', 'failed', 'uncertain', 'cancelled')),
	attempts     INTEGER NOT NULL DEFAULT 0,
	error        TEXT,
	not_before   INTEGER NOT NULL,        -- not sent before this time
	give_up_at   INTEGER,                 -- failed when not sent by then
	queued_at    INTEGER NOT NULL,
	claimed_at   INTEGER,
	sent_at      INTEGER,
	delivered_at INTEGER,
	modem        TEXT,                    -- section name of the modem that sent it
	created_by   TEXT NOT NULL DEFAULT '',
	UNIQUE (campaign_id, occurrence, contact_id)
);
CREATE INDEX messages_due ON messages (status, priority, not_before);
CREATE INDEX messages_contact ON messages (contact_id);

-- One row per part handed to a modem, with the reference the network gave
-- it (TP-MR), so that delivery reports find their message.
CREATE TABLE message_parts (
	message_id   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	seq          INTEGER NOT NULL,        -- 1-based
	modem        TEXT NOT NULL,
	reference    INTEGER,                 -- TP-MR from +CMGS, NULL if unknown
	sent_at      INTEGER NOT NULL,
	report       TEXT CHECK (report IN ('delivered', 'failed', 'pending')),
	report_at    INTEGER,
	PRIMARY KEY (message_id, seq)
) WITHOUT ROWID;
CREATE INDEX message_parts_ref ON message_parts (modem, reference, sent_at);

-- Incoming SMS, whole (multi-part ones once every part is in).
-- dedupe_key identifies an SMS re-read from the SIM after a crash.
CREATE TABLE replies (
	id           INTEGER PRIMARY KEY,
	from_number  TEXT NOT NULL,
	contact_id   INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
	body         TEXT,                    -- NULL once the contact is erased
	received_at  INTEGER NOT NULL,        -- when rappel stored it
	sent_at      INTEGER,                 -- the network's timestamp (SCTS)
	modem        TEXT NOT NULL,
	dedupe_key   TEXT NOT NULL UNIQUE,
	intent       TEXT,                    -- yes, no, stop, start, help, other
	message_id   INTEGER REFERENCES messages (id) ON DELETE SET NULL,
	event_id     INTEGER,
	handled      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX replies_from ON replies (from_number, received_at);

-- The reply that opted a contact out (RGPD proof: when and what was sent).
ALTER TABLE contacts ADD COLUMN opt_out_reply_id INTEGER REFERENCES replies (id)
	ON DELETE SET NULL;

-- Parts of multi-part incoming SMS.  A part waits (reply_id NULL) until
-- its siblings are in, in any order and however late; once joined it is
-- kept with the reply's id so that the same part read again from the SIM
-- (same sender, reference, number and network timestamp) is recognised.
CREATE TABLE incoming_parts (
	from_number  TEXT NOT NULL,
	concat_ref   INTEGER NOT NULL,
	total        INTEGER NOT NULL,
	seq          INTEGER NOT NULL,
	sent_at      INTEGER NOT NULL,        -- network timestamp, 0 when unknown
	body         TEXT,                    -- NULL once joined
	received_at  INTEGER NOT NULL,
	modem        TEXT NOT NULL,
	reply_id     INTEGER REFERENCES replies (id) ON DELETE CASCADE,
	PRIMARY KEY (from_number, concat_ref, total, seq, sent_at)
) WITHOUT ROWID;

-- What each modem worker last saw; read by /status and rappelctl status.
CREATE TABLE modem_status (
	name           TEXT PRIMARY KEY,      -- config section: "modem", "modem.2"
	device         TEXT NOT NULL,
	state          TEXT NOT NULL,         -- connecting, ready, no_network, pin_refused, error, benched ...
	signal_percent INTEGER,
	operator       TEXT,
	last_error     TEXT,
	sent_total     INTEGER NOT NULL DEFAULT 0,
	updated_at     INTEGER NOT NULL
) WITHOUT ROWID;
