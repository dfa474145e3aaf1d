-- Typed, indexed per-client columns for the lists behind the numbers: filter by manager, sort by
-- name, revenue or last purchase, each with a keyset on (value, id). The manager stays in the
-- attributes JSON (one source of truth) and is exposed as a virtual column for its index.
ALTER TABLE clients ADD COLUMN manager TEXT GENERATED ALWAYS AS (
  CASE json_type(attributes, '$.manager')
    WHEN 'text' THEN CASE WHEN TRIM(json_extract(attributes, '$.manager')) = '' THEN NULL ELSE json_extract(attributes, '$.manager') END
    WHEN 'integer' THEN CAST(json_extract(attributes, '$.manager') AS TEXT)
  END
) VIRTUAL;
CREATE INDEX clients_by_manager ON clients (workspace_id, manager, id);
CREATE INDEX clients_by_name ON clients (workspace_id, name, id);
CREATE INDEX client_aggregates_by_revenue ON client_aggregates (workspace_id, revenue DESC, client_id);
CREATE INDEX client_aggregates_by_last_purchase ON client_aggregates (workspace_id, last_purchase_at DESC, client_id);

-- Whole-workspace sums over the clients' aggregates, maintained like the flows (minus old, plus
-- new, in the write's batch): what concentration needs (revenue in cents, so sums are exact, and
-- the sum of squares for the Herfindahl index) without reading every client.
CREATE TABLE workspace_totals (
  workspace_id TEXT PRIMARY KEY,
  clients INTEGER NOT NULL,
  buyers INTEGER NOT NULL,
  orders INTEGER NOT NULL,
  revenue_cents INTEGER NOT NULL,
  revenue_sq REAL NOT NULL
);
INSERT INTO workspace_totals (workspace_id, clients, buyers, orders, revenue_cents, revenue_sq)
SELECT workspace_id, COUNT(*), SUM(orders > 0), SUM(orders), SUM(CAST(ROUND(revenue * 100) AS INTEGER)), SUM(revenue * revenue)
FROM client_aggregates GROUP BY workspace_id;
