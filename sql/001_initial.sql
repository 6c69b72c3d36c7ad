-- 001: users and their credentials, contacts with their numbers, groups,
-- and the audit log.  Times are Unix seconds (UTC) in INTEGER columns; the
-- API renders them in the centre's time zone.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
	display_name  TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL CHECK (role IN ('admin', 'referent', 'animateur')),
	password_hash TEXT NOT NULL,          -- libsodium crypto_pwhash_str (argon2id)
	language      TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),
	created_at    INTEGER NOT NULL,
	disabled_at   INTEGER                 -- NULL while the account may log in
);

-- API tokens for scripts; only a hash of the token is kept.
CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash   BLOB NOT NULL UNIQUE,    -- BLAKE2b-256 of the token
	label        TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER,
	revoked_at   INTEGER
);

-- Browser sessions; the cookie holds the token, the table its hash.
CREATE TABLE sessions (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash   BLOB NOT NULL UNIQUE,
	csrf_token   TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE contacts (
	id             INTEGER PRIMARY KEY,
	first_name     TEXT NOT NULL DEFAULT '',
	last_name      TEXT NOT NULL DEFAULT '',
	language       TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en', 'ar')),
	consent_at     INTEGER,
	consent_source TEXT,
	opted_out_at   INTEGER,
	notes          TEXT NOT NULL DEFAULT '',
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	CHECK (first_name <> '' OR last_name <> '')
);
CREATE INDEX contacts_name ON contacts (last_name COLLATE NOCASE, first_name COLLATE NOCASE);

-- A contact's numbers: the first (position 0) is "phone" in the API; the
-- others are a household's helpers (a parent, a relative), each flagged
-- for SMS or not.  A number belongs to one contact only.
CREATE TABLE contact_phones (
	id         INTEGER PRIMARY KEY,
	contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	number     TEXT NOT NULL UNIQUE,      -- E.164
	label      TEXT NOT NULL DEFAULT '',
	sms        INTEGER NOT NULL DEFAULT 1 CHECK (sms IN (0, 1)),
	UNIQUE (contact_id, position)
);

CREATE TABLE groups (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
	created_at INTEGER NOT NULL
);

CREATE TABLE group_members (
	group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX group_members_contact ON group_members (contact_id);

-- Who did what.  actor is kept as text so that the log outlives accounts;
-- entries about an erased contact keep its id, never its name or number.
CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	user_id   INTEGER,
	actor     TEXT NOT NULL,              -- login, or "rappelctl", or "system"
	action    TEXT NOT NULL,              -- create, update, delete, import, login, ...
	entity    TEXT NOT NULL,              -- contact, group, user, token, session
	entity_id INTEGER,
	details   TEXT                        -- JSON, never personal data of a contact
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Anonymous counters that survive erasure (RGPD): how many contacts were
-- erased, per day.
CREATE TABLE erasure_counts (
	day   TEXT PRIMARY KEY,               -- YYYY-MM-DD
	count INTEGER NOT NULL
) WITHOUT ROWID;
