-- The funnel reads rollups, never every client's spells (DESIGN.md "How it scales").
-- A count at any instant T is a prefix sum: whole months before T's month, whole days of T's
-- month before T's day (both from the flow tables), and the part of T's own day from the spell
-- and mark indexes. Rollups are maintained in the same batch as every write of spells: minus the
-- client's old rows, plus its new ones. Time-driven transitions (sleeping, lost) are stored ahead
-- as spells, so their flows are counted ahead too and need no job.
CREATE INDEX stage_spells_by_exit ON stage_spells (workspace_id, left_ms);

-- Per client: first entry into each stage (`first`, stage '*' = into the funnel) and first time on
-- each path stage or beyond (`reach`). Derived with the spells.
CREATE TABLE client_marks (
  workspace_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('first', 'reach')),
  stage TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, client_id, kind, stage)
) WITHOUT ROWID;
CREATE INDEX client_marks_by_time ON client_marks (workspace_id, at_ms);

-- Spells entering and leaving each stage per UTC day ('d', bucket YYYY-MM-DD) and month ('m', YYYY-MM).
CREATE TABLE stage_flows (
  workspace_id TEXT NOT NULL,
  grain TEXT NOT NULL CHECK (grain IN ('d', 'm')),
  bucket TEXT NOT NULL,
  stage TEXT NOT NULL,
  entries INTEGER NOT NULL,
  exits INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, grain, bucket, stage)
) WITHOUT ROWID;

-- Marks per UTC day and month.
CREATE TABLE mark_flows (
  workspace_id TEXT NOT NULL,
  grain TEXT NOT NULL CHECK (grain IN ('d', 'm')),
  bucket TEXT NOT NULL,
  kind TEXT NOT NULL,
  stage TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, grain, bucket, kind, stage)
) WITHOUT ROWID;

-- Backfill from the stored spells. Path ranks cover both stage models (their stage names differ).
INSERT INTO client_marks (workspace_id, client_id, kind, stage, at_ms)
SELECT workspace_id, client_id, 'first', stage, MIN(entered_ms) FROM stage_spells GROUP BY workspace_id, client_id, stage;
INSERT INTO client_marks (workspace_id, client_id, kind, stage, at_ms)
SELECT workspace_id, client_id, 'first', '*', MIN(entered_ms) FROM stage_spells GROUP BY workspace_id, client_id;
WITH ranks (stage, model, rank) AS (VALUES
  ('prospect', 'p', 0), ('potential', 'p', 1), ('developing', 'p', 2), ('developed', 'p', 3),
  ('awareness', 'c', 0), ('acquisition', 'c', 1), ('conversion', 'c', 2), ('retention', 'c', 3), ('loyalty', 'c', 4))
INSERT INTO client_marks (workspace_id, client_id, kind, stage, at_ms)
SELECT s.workspace_id, s.client_id, 'reach', r.stage, MIN(s.entered_ms)
FROM stage_spells s JOIN ranks sr ON sr.stage = s.stage JOIN ranks r ON r.model = sr.model AND r.rank <= sr.rank
GROUP BY s.workspace_id, s.client_id, r.stage;

INSERT INTO stage_flows (workspace_id, grain, bucket, stage, entries, exits)
SELECT workspace_id, grain, bucket, stage, SUM(e), SUM(x) FROM (
  SELECT workspace_id, 'd' AS grain, strftime('%Y-%m-%d', entered_ms / 1000.0, 'unixepoch') AS bucket, stage, 1 AS e, 0 AS x FROM stage_spells
  UNION ALL SELECT workspace_id, 'm', strftime('%Y-%m', entered_ms / 1000.0, 'unixepoch'), stage, 1, 0 FROM stage_spells
  UNION ALL SELECT workspace_id, 'd', strftime('%Y-%m-%d', left_ms / 1000.0, 'unixepoch'), stage, 0, 1 FROM stage_spells WHERE left_ms IS NOT NULL
  UNION ALL SELECT workspace_id, 'm', strftime('%Y-%m', left_ms / 1000.0, 'unixepoch'), stage, 0, 1 FROM stage_spells WHERE left_ms IS NOT NULL
) GROUP BY workspace_id, grain, bucket, stage;

INSERT INTO mark_flows (workspace_id, grain, bucket, kind, stage, n)
SELECT workspace_id, grain, bucket, kind, stage, COUNT(*) FROM (
  SELECT workspace_id, 'd' AS grain, strftime('%Y-%m-%d', at_ms / 1000.0, 'unixepoch') AS bucket, kind, stage FROM client_marks
  UNION ALL SELECT workspace_id, 'm', strftime('%Y-%m', at_ms / 1000.0, 'unixepoch'), kind, stage FROM client_marks
) GROUP BY workspace_id, grain, bucket, kind, stage;
