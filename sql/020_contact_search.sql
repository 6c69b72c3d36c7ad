-- 020: a contact's names as the search compares them, kept with them.
--
-- GET /contacts?q= compared fold(first || ' ' || last) and
-- fold(last || ' ' || first) with the query on every row: two foldings
-- per contact and per search, 300 to 800 ms over 123,000 contacts
-- (bench_import_latency), far above the 50 ms the panel's other pages
-- take.  search holds both folded orders, one line each; contacts.c
-- writes it with the names (their one writer), so that a search reads
-- one column.  fold() is rappel's own function (db.c): no trigger uses
-- it, so the sqlite3 shell can still write a contact (a name changed
-- there is searched by its old one until the contact is saved again).
ALTER TABLE contacts ADD COLUMN search TEXT NOT NULL DEFAULT '';

UPDATE contacts SET search = fold(first_name || ' ' || last_name) || char(10) ||
	fold(last_name || ' ' || first_name);
