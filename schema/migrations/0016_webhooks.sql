-- Webhook subscriptions (Standard Webhooks). The signing secret is kept as given out (`whsec_` +
-- base64): the Worker needs it to sign every delivery, so it cannot be stored hashed like keys.
CREATE TABLE webhooks (
  workspace_id TEXT NOT NULL,
  id TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;

-- The outbox: one row per message for one webhook, written in the same atomic batch as the change
-- it announces, then handed to the delivery queue. `id` is the `webhook-id` of every attempt;
-- `dedup` names the change itself (client, new state, instant), so the write path and the clock
-- sweep announcing the same transition store it once.
CREATE TABLE webhook_deliveries (
  workspace_id TEXT NOT NULL,
  id TEXT NOT NULL,
  webhook_id TEXT NOT NULL,
  -- The client the message is about (erasure deletes its messages), null for none.
  client_id TEXT,
  event_type TEXT NOT NULL,
  dedup TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  -- pending: not yet on the queue; queued; delivered (a 2xx); failed (attempts exhausted).
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  finished_at TEXT,
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, webhook_id, dedup)
) WITHOUT ROWID;
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (workspace_id, webhook_id, id);
CREATE INDEX webhook_deliveries_by_client ON webhook_deliveries (workspace_id, client_id);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (status, created_at) WHERE status = 'pending';

-- Every attempt at a delivery, as the receiver answered it (or why it could not be reached).
CREATE TABLE webhook_attempts (
  workspace_id TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  at TEXT NOT NULL,
  status INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, delivery_id, attempt)
) WITHOUT ROWID;
