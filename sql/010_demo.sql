-- 010: the demo's simulated families (daemon/families.c).  Only with a
-- [modem] whose device is the built-in simulator: an answer waits here
-- until its time, then the simulated phone sends it to the simulated
-- modem, and it comes in like any SMS.  A row with message_id answers
-- that message (families = yes); one without was typed by a person
-- (rappelctl simulate reply, the panel's "Simuler une réponse").
CREATE TABLE simulated_replies (
	id          INTEGER PRIMARY KEY,
	message_id  INTEGER UNIQUE REFERENCES messages (id) ON DELETE SET NULL,
	from_number TEXT NOT NULL,
	body        TEXT NOT NULL,
	due_at      INTEGER NOT NULL,
	injected_at INTEGER
);
CREATE INDEX simulated_replies_due ON simulated_replies (due_at) WHERE injected_at IS NULL;
