-- 016: places and a waiting list per atelier session, and the chasing of
-- those who have not answered (rsvp.c owns rsvps and rsvp_history, chase.c
-- owns chases).

-- A "yes" when the session is full puts the person on the waiting list
-- (answer stays 'yes', waiting_since is set); a freed place is offered to
-- the first one waiting until offered_until, and their "yes" then takes
-- it (both columns cleared).  Counted as coming: answer = 'yes' AND
-- waiting_since IS NULL.  A place offered is held until the offer ends.
ALTER TABLE rsvps ADD COLUMN waiting_since INTEGER;
ALTER TABLE rsvps ADD COLUMN offered_until INTEGER;
CREATE INDEX rsvps_offers ON rsvps (offered_until) WHERE offered_until IS NOT NULL;
CREATE INDEX rsvps_waiting ON rsvps (occurrence) WHERE waiting_since IS NOT NULL;

-- What a history line did to the waiting list: NULL for a plain answer,
-- 'waiting' (put on the list), 'offered' (a place offered by SMS),
-- 'placed' (took the place offered), 'expired' (the offer passed to the
-- next one), 'skipped' (could not be offered: STOP, no mobile).
ALTER TABLE rsvp_history ADD COLUMN step TEXT CHECK (step IN ('waiting', 'offered',
	'placed', 'expired', 'skipped'));

-- Each "Relancer" of a session: who asked, when, how many were written to.
CREATE TABLE chases (
	id           INTEGER PRIMARY KEY,
	event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	occurrence   INTEGER NOT NULL,
	at           INTEGER NOT NULL,
	by_user      TEXT NOT NULL DEFAULT '',
	sent         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX chases_session ON chases (event_id, occurrence, at);
