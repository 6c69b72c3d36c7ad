-- The secret links of the ateliers' calendars (calendar.c owns this
-- table): one for every atelier (event_id NULL) and one per atelier.
-- The secret is the link's last part; it is kept to show the link again
-- in the panel, and replaced when the link is renewed.
CREATE TABLE calendar_links (
	id         INTEGER PRIMARY KEY,
	event_id   INTEGER REFERENCES events (id) ON DELETE CASCADE,
	secret     TEXT NOT NULL,             -- 32 random bytes, URL-safe base64
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL              -- login
);
CREATE UNIQUE INDEX calendar_links_scope ON calendar_links (ifnull(event_id, 0));
