-- The dyadic blocks (migration 0014) now hold the points up to the workspace's sweep instant only,
-- like the day histograms (migration 0009): a write of events after the last sweep, the usual
-- stream, then moves no block, and the sweep adds the points it passes (about 11 block rows each)
-- in bounded steps. Reads add the points since the sweep from the spell and mark indexes. This
-- takes out of the blocks the points stored so far after each workspace's sweep instant.
WITH levels (k) AS (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18), (19), (20), (21)),
points (workspace_id, day, kind, stage, key) AS (
  SELECT s.workspace_id, s.left_ms / 86400000 + 719528, 'stay', s.stage, s.left_ms / 86400000 - s.entered_ms / 86400000
  FROM stage_spells s LEFT JOIN rollup_clocks c ON c.workspace_id = s.workspace_id
  WHERE s.left_ms IS NOT NULL AND s.left_ms > COALESCE(c.swept_ms, -1)
  UNION ALL SELECT s.workspace_id, s.left_ms / 86400000 + 719528, 'gone', s.stage, s.entered_ms / 86400000 + 719528
  FROM stage_spells s LEFT JOIN rollup_clocks c ON c.workspace_id = s.workspace_id
  WHERE s.left_ms IS NOT NULL AND s.left_ms > COALESCE(c.swept_ms, -1)
  UNION ALL SELECT m.workspace_id, m.at_ms / 86400000 + 719528, 'reach', m.stage, m.days
  FROM client_marks m LEFT JOIN rollup_clocks c ON c.workspace_id = m.workspace_id
  WHERE m.kind = 'first' AND m.stage <> '*' AND m.at_ms > COALESCE(c.swept_ms, -1)
)
INSERT INTO stage_day_blocks (workspace_id, level, block, kind, stage, key, n)
SELECT p.workspace_id, l.k, p.day >> l.k, p.kind, p.stage, p.key, -COUNT(*) FROM points p, levels l
WHERE (p.day >> l.k) & 1 = 0
GROUP BY p.workspace_id, l.k, p.day >> l.k, p.kind, p.stage, p.key
ON CONFLICT (workspace_id, level, block, kind, stage, key) DO UPDATE SET n = n + excluded.n;

DELETE FROM stage_day_blocks WHERE n = 0;
