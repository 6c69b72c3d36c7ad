-- 018: an invitation and the reminders made with it, and an invitation
-- whose answer holds for the whole cycle of its atelier (campaigns.c owns
-- these columns; replies.c applies reply_scope).

-- 'session': an OUI / NON answers the session the message is about;
-- 'cycle': it answers that session and every later one of the atelier.
ALTER TABLE campaigns ADD COLUMN reply_scope TEXT NOT NULL DEFAULT 'session'
	CHECK (reply_scope IN ('session', 'cycle'));

-- The reminders of an invitation (schedule 'before_event') name it, so
-- that the invitation's page shows them and the composer makes both.
ALTER TABLE campaigns ADD COLUMN invitation_id INTEGER
	REFERENCES campaigns (id) ON DELETE SET NULL;
CREATE INDEX campaigns_invitation ON campaigns (invitation_id);
