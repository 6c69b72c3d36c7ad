-- 007: fewer pages written for each message sent, on an SD card.
--
-- Each message sent is one durable commit (daemon/modem.c, modem_record()),
-- and each page it changes is written to the WAL.  Three changes:
--
-- message_parts had no rowid: its rows sat in an index b-tree, where a
-- page that fills is split with its two neighbours, all three rewritten.
-- It now has an integer key, message_id * 16 + seq (a message has at most
-- 10 parts, QUEUE_BODY_MAX_PARTS), so that a message's parts are side by
-- side, found by a range of the key, and each new part lands at the end of
-- the table, where SQLite starts a new page without touching the others.
-- Messages are never deleted, so ON DELETE CASCADE does not need an index.
--
-- message_parts_ref was keyed by (modem, reference, sent_at): each part
-- went into a leaf chosen by its reference, two or three more pages a
-- message.  message_parts_sent is keyed by the time, so new parts land in
-- its newest leaf; a delivery report, which comes within minutes of its
-- part, is found by walking back from the newest parts (queue_report()).
--
-- A claimed message ('sending') stays in messages_due, under the same key:
-- claiming rewrites nothing there, and messages_open keeps only the
-- messages that wait for a person.  Queries spell out the WHERE of the
-- partial index they use ("status IN ('queued', 'sending') AND ...").
CREATE TABLE message_parts_keyed (
	id           INTEGER PRIMARY KEY,     -- message_id * 16 + seq
	message_id   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	seq          INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 15),  -- 1-based
	modem        TEXT NOT NULL,
	reference    INTEGER,                 -- TP-MR from +CMGS, NULL if unknown
	sent_at      INTEGER NOT NULL,
	report       TEXT CHECK (report IN ('delivered', 'failed', 'pending')),
	report_at    INTEGER,
	CHECK (id = message_id * 16 + seq)
);
INSERT INTO message_parts_keyed (id, message_id, seq, modem, reference, sent_at, report,
	report_at)
	SELECT message_id * 16 + seq, message_id, seq, modem, reference, sent_at, report,
	report_at FROM message_parts;
DROP TABLE message_parts;
ALTER TABLE message_parts_keyed RENAME TO message_parts;
CREATE INDEX message_parts_sent ON message_parts (sent_at);

DROP INDEX messages_due;
CREATE INDEX messages_due ON messages (priority, not_before)
	WHERE status IN ('queued', 'sending');
DROP INDEX messages_open;
CREATE INDEX messages_open ON messages (status) WHERE status IN ('failed', 'uncertain');
