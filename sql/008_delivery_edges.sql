-- 008: the edges of the delivery promise.

-- An opt-out belongs to the number, whoever it is in the contacts: a STOP
-- from a number that is no contact's (or a household's second number) is
-- kept here and honoured for every message to that number, and carried to
-- any contact that has or later gets it.  START from the number removes
-- the row.  number is E.164.
CREATE TABLE opt_outs (
	number       TEXT PRIMARY KEY,
	opted_out_at INTEGER NOT NULL,
	reply_id     INTEGER REFERENCES replies (id) ON DELETE SET NULL,  -- the STOP, as proof
	source       TEXT NOT NULL DEFAULT 'sms'   -- sms, panel, import, migration
) WITHOUT ROWID;

-- Every STOP already received, whoever sent it, unless a START came after.
INSERT OR IGNORE INTO opt_outs (number, opted_out_at, reply_id, source)
	SELECT r.from_number, r.received_at, r.id, 'migration' FROM replies r
	WHERE r.intent = 'stop' AND r.from_number LIKE '+%'
	AND NOT EXISTS (SELECT 1 FROM replies s WHERE s.from_number = r.from_number
		AND s.intent = 'start' AND s.id > r.id)
	AND r.id = (SELECT max(t.id) FROM replies t WHERE t.from_number = r.from_number
		AND t.intent = 'stop');

-- A PIN the SIM refused is never tried again, across restarts and
-- reboots: a SIM locks after three wrong PINs.  sim names the SIM when it
-- could be identified ("iccid:8933..."), else the device ("device:/dev/...");
-- pin_hash is a keyed hash of the PIN (never the PIN itself).
CREATE TABLE pin_refusals (
	sim          TEXT NOT NULL,
	pin_hash     TEXT NOT NULL,
	modem        TEXT NOT NULL,           -- config section that tried it
	refused_at   INTEGER NOT NULL,
	error        TEXT NOT NULL,
	PRIMARY KEY (sim, pin_hash)
) WITHOUT ROWID;

-- Replies are a queue like messages: intent is NULL until the reply is
-- understood and acted on (compare-and-set on intent IS NULL).  What a
-- crash or a busy database left undecided is found here at start-up.
CREATE INDEX replies_undecided ON replies (id) WHERE intent IS NULL;

-- The network's status (TP-Status) of a part's delivery report.
ALTER TABLE message_parts ADD COLUMN report_status INTEGER;
