-- 005: settings changed from the panel (Paramètres).  Each row overrides
-- the same key of the configuration file; a key without a row keeps the
-- file's value.  Only the keys of daemon/settings.c are ever written.
CREATE TABLE settings (
	section    TEXT NOT NULL,             -- "centre", "sending"
	key        TEXT NOT NULL,             -- as in the configuration file
	value      TEXT NOT NULL,             -- as it would be written there
	updated_at INTEGER NOT NULL,
	updated_by TEXT NOT NULL,             -- login
	PRIMARY KEY (section, key)
) WITHOUT ROWID;
