-- Purchases as a typed, covering index, so that the purchase models read a workspace's purchases
-- in one grouped scan of the index (client, UTC day, instant, amount) and never touch the events'
-- rows or JSON bodies (worker/db/value.ts, loadPurchaseHistories). `amount` is the body's amount,
-- written with the event (NULL for events without one); events are immutable, so it cannot go
-- stale. Instants are stored as ISO strings in UTC, so the first 10 characters are the UTC day.
ALTER TABLE events ADD COLUMN amount REAL;
UPDATE events SET amount = json_extract(body, '$.amount') WHERE json_type(body, '$.amount') IN ('integer', 'real');
CREATE INDEX events_purchase_days ON events (workspace_id, client_id, substr(at, 1, 10), at, amount) WHERE type = 'purchase';
