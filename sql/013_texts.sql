-- 013: the texts rappel sends by itself (the answers to STOP, START, AIDE
-- and « c'est qui ? », the thanks for an answer, the notice of a
-- cancelled session), changed from the panel per language.  A text not
-- here is the built-in default of its language (texts.c owns this table).
CREATE TABLE texts (
	name        TEXT NOT NULL,            -- "stop", "start", "help", "who", "ack", "cancel"
	language    TEXT NOT NULL CHECK (language IN ('fr', 'en', 'ar')),
	body        TEXT NOT NULL,
	updated_at  INTEGER NOT NULL,
	updated_by  TEXT NOT NULL,            -- login
	PRIMARY KEY (name, language)
) WITHOUT ROWID;
