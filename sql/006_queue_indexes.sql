-- 006: indexes that a message's trip through the queue does not rewrite.
-- Every status change used to move the message in two indexes keyed by
-- status (messages_due, messages_campaign): four index pages written per
-- message sent, on an SD card.  Now the due index holds only the queued
-- messages (claiming removes one entry, sending adds none), the campaign
-- index has no status, and the few messages that need attention (with a
-- modem, failed, uncertain) have a small index of their own.  Queries
-- count them with "status IN (...) AND status = ?" so that it is used.
DROP INDEX messages_due;
CREATE INDEX messages_due ON messages (priority, not_before) WHERE status = 'queued';
DROP INDEX messages_campaign;
CREATE INDEX messages_campaign ON messages (campaign_id);
CREATE INDEX messages_open ON messages (status)
	WHERE status IN ('sending', 'failed', 'uncertain');
