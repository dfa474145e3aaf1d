-- The funnel's medians at a PAST asOf, read from rollups, never from every spell. A median at asOf
-- T (day t) needs, per stage, how many spells closed before day t lasted each whole number of days,
-- and how many of the spells begun on each day e < t had closed before day t (the rest are still
-- open at T and have lasted t - e days; the spells begun per day are the daily stage_flows). Both
-- are "closed before day t, by a day-valued key", and so is "first reached a stage before day t, by
-- days since the client's first entry". A table per exit day would make a read sum every day of
-- history (days x keys rows); one cumulative histogram per day would make every write touch every
-- later day. Dyadic blocks sit between: the days before t are the union of at most one block per
-- set bit k of t, the block `(t >> k) - 1` at level k, which is always even; so a point is counted
-- at each level k (0..21) in its block `day >> k` when that block is even (a Fenwick tree). A read
-- sums at most 22 histograms and a write adds to at most 22, about 11 on average (both bounded by
-- the calendar, never by the number of clients). Day numbers are shifted by 719,528 (0000-01-01 is day 0) so that every
-- valid instant has a non-negative day and 22 levels cover up to year 9999.
--   stay:  closed spells, by exit day, key = whole days in the stage;
--   gone:  closed spells, by exit day, key = their entry day (shifted);
--   reach: first entries into a stage, by their day, key = days since the client's first entry.
CREATE TABLE stage_day_blocks (
  workspace_id TEXT NOT NULL,
  level INTEGER NOT NULL,
  block INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('stay', 'gone', 'reach')),
  stage TEXT NOT NULL,
  key INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, level, block, kind, stage, key)
) WITHOUT ROWID;

WITH levels (k) AS (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18), (19), (20), (21)),
points (workspace_id, day, kind, stage, key) AS (
  SELECT workspace_id, left_ms / 86400000 + 719528, 'stay', stage, left_ms / 86400000 - entered_ms / 86400000 FROM stage_spells WHERE left_ms IS NOT NULL
  UNION ALL SELECT workspace_id, left_ms / 86400000 + 719528, 'gone', stage, entered_ms / 86400000 + 719528 FROM stage_spells WHERE left_ms IS NOT NULL
  UNION ALL SELECT workspace_id, at_ms / 86400000 + 719528, 'reach', stage, days FROM client_marks WHERE kind = 'first' AND stage <> '*'
)
INSERT INTO stage_day_blocks (workspace_id, level, block, kind, stage, key, n)
SELECT p.workspace_id, l.k, p.day >> l.k, p.kind, p.stage, p.key, COUNT(*) FROM points p, levels l
WHERE (p.day >> l.k) & 1 = 0
GROUP BY p.workspace_id, l.k, p.day >> l.k, p.kind, p.stage, p.key;
