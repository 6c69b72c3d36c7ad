-- The columns a person chose by hand when importing a spreadsheet whose
-- headers rappel did not recognise: the same header in the next file gets
-- the same role (import_columns.c owns this table).
CREATE TABLE import_columns (
	header     TEXT PRIMARY KEY,          -- folded: lower case, no accents, words
	role       TEXT NOT NULL CHECK (role IN ('first_name', 'last_name', 'phone',
	               'groups', 'language', 'consent', 'notes', 'ignore')),
	chosen_at  INTEGER NOT NULL,
	chosen_by  TEXT NOT NULL              -- login
);
