-- 017: a contact keeps the SIM that last wrote to them.
--
-- To a person afraid of scams, a new number is a scam: with two modems an
-- invitation left from one SIM and the « Merci » from the other.  A
-- message records, when it is queued, the modem that last sent to its
-- contact's number (sender); a modem leaves it to that one while it is
-- ready, and takes it only when it is not, or when it has waited too long
-- (queue.c, QUEUE_STICKY_WAIT).  Found through messages_contact: no new
-- index, nothing more written per message sent.
ALTER TABLE messages ADD COLUMN sender TEXT;
