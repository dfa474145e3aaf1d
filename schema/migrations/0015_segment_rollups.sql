-- Segment conversion (and clients per manager) read from rollups, never from every client
-- (DESIGN.md "How it scales"). One row per top-level attribute and value that any client carries,
-- plus the whole workspace (attr '', kind '', value ''); the clients without a value of an
-- attribute are the workspace row minus that attribute's rows. `kind` keeps the JSON type apart
-- ('string', 'number', 'boolean', 'json' for objects and arrays) and `value` has no type affinity,
-- so the text '1' and the number 1 stay different values, as in core/segments/conversion.ts.
-- Maintained like the funnel's rollups: minus a client's old contribution, plus its new one, in the
-- batch that changes its attributes, its derived rows or erases it. `vanished` (one order and now
-- asleep, lost or being re-engaged) depends on the clock: it is kept as of the workspace's sweep
-- instant (rollup_clocks), moved by the sweep, and a read adds the transitions since.
CREATE TABLE segment_rollups (
  workspace_id TEXT NOT NULL,
  attr TEXT NOT NULL,
  kind TEXT NOT NULL,
  value NOT NULL,
  clients INTEGER NOT NULL,
  acquired INTEGER NOT NULL,
  developed INTEGER NOT NULL,
  vanished INTEGER NOT NULL,
  revenue_cents INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, attr, kind, value)
) WITHOUT ROWID;

-- Whole UTC days from the first purchase to developed, per segment: exact medians.
CREATE TABLE segment_days (
  workspace_id TEXT NOT NULL,
  attr TEXT NOT NULL,
  kind TEXT NOT NULL,
  value NOT NULL,
  days INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, attr, kind, value, days)
) WITHOUT ROWID;

-- The backfill: every client's contribution, as db/segment-rollups.ts computes it.
WITH segment_points AS (
SELECT cl.workspace_id, cl.attributes,
  a.first_purchase_at IS NOT NULL AS acquired,
  CASE WHEN a.first_purchase_at IS NOT NULL THEN CAST(ROUND(a.revenue * 100) AS INTEGER) ELSE 0 END AS cents,
  CASE WHEN a.first_purchase_at IS NOT NULL AND json_extract(a.data, '$.firstDevelopedAt') IS NOT NULL
    THEN CAST(julianday(date(json_extract(a.data, '$.firstDevelopedAt'))) - julianday(date(a.first_purchase_at)) AS INTEGER) END AS dev_days,
  COALESCE(a.first_purchase_at IS NOT NULL AND a.orders = 1 AND EXISTS (
    SELECT 1 FROM stage_spells s WHERE s.workspace_id = cl.workspace_id AND s.client_id = cl.id
      AND s.stage IN ('sleeping', 'lost', 're_engagement')
      AND +s.entered_ms <= COALESCE((SELECT swept_ms FROM rollup_clocks r WHERE r.workspace_id = cl.workspace_id), -1)
      AND (s.left_ms IS NULL OR +s.left_ms > COALESCE((SELECT swept_ms FROM rollup_clocks r WHERE r.workspace_id = cl.workspace_id), -1))
  ), 0) AS vanished
FROM clients cl LEFT JOIN client_aggregates a ON a.workspace_id = cl.workspace_id AND a.client_id = cl.id
),
segment_keys AS (
SELECT workspace_id, '' AS attr, '' AS kind, '' AS value, acquired, cents, dev_days, vanished FROM segment_points
UNION ALL
SELECT p.workspace_id, j.key,
  CASE j.type WHEN 'text' THEN 'string' WHEN 'integer' THEN 'number' WHEN 'real' THEN 'number'
    WHEN 'true' THEN 'boolean' WHEN 'false' THEN 'boolean' ELSE 'json' END,
  CASE j.type WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE j.value END,
  p.acquired, p.cents, p.dev_days, p.vanished
FROM segment_points p, json_each(p.attributes) j WHERE j.type <> 'null'
)
INSERT INTO segment_rollups (workspace_id, attr, kind, value, clients, acquired, developed, vanished, revenue_cents)
SELECT workspace_id, attr, kind, value, COUNT(*), SUM(acquired), SUM(dev_days IS NOT NULL), SUM(vanished), SUM(cents)
FROM segment_keys GROUP BY workspace_id, attr, kind, value;

WITH segment_points AS (
SELECT cl.workspace_id, cl.attributes,
  a.first_purchase_at IS NOT NULL AS acquired,
  CASE WHEN a.first_purchase_at IS NOT NULL THEN CAST(ROUND(a.revenue * 100) AS INTEGER) ELSE 0 END AS cents,
  CASE WHEN a.first_purchase_at IS NOT NULL AND json_extract(a.data, '$.firstDevelopedAt') IS NOT NULL
    THEN CAST(julianday(date(json_extract(a.data, '$.firstDevelopedAt'))) - julianday(date(a.first_purchase_at)) AS INTEGER) END AS dev_days,
  COALESCE(a.first_purchase_at IS NOT NULL AND a.orders = 1 AND EXISTS (
    SELECT 1 FROM stage_spells s WHERE s.workspace_id = cl.workspace_id AND s.client_id = cl.id
      AND s.stage IN ('sleeping', 'lost', 're_engagement')
      AND +s.entered_ms <= COALESCE((SELECT swept_ms FROM rollup_clocks r WHERE r.workspace_id = cl.workspace_id), -1)
      AND (s.left_ms IS NULL OR +s.left_ms > COALESCE((SELECT swept_ms FROM rollup_clocks r WHERE r.workspace_id = cl.workspace_id), -1))
  ), 0) AS vanished
FROM clients cl LEFT JOIN client_aggregates a ON a.workspace_id = cl.workspace_id AND a.client_id = cl.id
),
segment_keys AS (
SELECT workspace_id, '' AS attr, '' AS kind, '' AS value, acquired, cents, dev_days, vanished FROM segment_points
UNION ALL
SELECT p.workspace_id, j.key,
  CASE j.type WHEN 'text' THEN 'string' WHEN 'integer' THEN 'number' WHEN 'real' THEN 'number'
    WHEN 'true' THEN 'boolean' WHEN 'false' THEN 'boolean' ELSE 'json' END,
  CASE j.type WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE j.value END,
  p.acquired, p.cents, p.dev_days, p.vanished
FROM segment_points p, json_each(p.attributes) j WHERE j.type <> 'null'
)
INSERT INTO segment_days (workspace_id, attr, kind, value, days, n)
SELECT workspace_id, attr, kind, value, dev_days, COUNT(*) FROM segment_keys WHERE dev_days IS NOT NULL
GROUP BY workspace_id, attr, kind, value, dev_days;
