-- 022: the session a campaign sent once is about, chosen in the composer
-- (« Inviter par SMS » from a session): its occurrence key, YYYYMMDDHHMM.
-- NULL: the atelier's next session when the campaign is sent.  campaigns.c
-- owns the column; the scheduler reads it.
ALTER TABLE campaigns ADD COLUMN occurrence INTEGER;
