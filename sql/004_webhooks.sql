-- 004: webhooks.  An outbox of HTTP notifications: a row is written in the
-- same transaction as the change it reports (daemon/webhook.c), and the
-- delivery thread posts it later, so nothing that sends or receives SMS
-- ever waits for a web server.

-- The events each configured webhook listens to.  rappeld rewrites this
-- table from the configuration at start and on SIGHUP, so that every
-- connection (each thread's, rappelctl's) knows whether to write a row.
CREATE TABLE webhook_events (
	webhook      TEXT NOT NULL,           -- section name: "webhook", "webhook.2" ...
	event        TEXT NOT NULL CHECK (event IN ('message.status', 'reply.received')),
	PRIMARY KEY (webhook, event)
) WITHOUT ROWID;

-- One notification to one webhook.  payload is the exact body posted and
-- signed.  contact_id says whose data it holds, so that erasing a contact
-- erases their notifications too.
CREATE TABLE webhook_deliveries (
	id           INTEGER PRIMARY KEY,     -- sent as X-Rappel-Delivery
	webhook      TEXT NOT NULL,
	event        TEXT NOT NULL,
	contact_id   INTEGER,                 -- no foreign key: kept after the contact goes
	payload      TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_at      INTEGER NOT NULL,        -- not tried before this time
	status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done',
	             'failed')),
	last_error   TEXT,                    -- of the latest attempt; NULL when it succeeded
	tried_at     INTEGER,                 -- time of the latest attempt
	done_at      INTEGER                  -- when it became done or failed
);
-- the oldest pending row of a webhook (rowid order within the index key)
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, webhook);
CREATE INDEX webhook_deliveries_contact ON webhook_deliveries (contact_id);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook, tried_at);
