-- Whole-day histograms for the funnel's medians (days in stage, days to reach a stage), exact and
-- removable. Durations grow with the clock, so the histograms describe the workspace as of its
-- sweep instant (`rollup_clocks.swept_ms`, advanced by the scheduled sweep); a read adds what
-- happened since from the spell and mark indexes.
--   stay:  spells closed by the sweep instant, by whole days in the stage;
--   open:  spells open at the sweep instant, by the UTC day number they began;
--   reach: first entries into a stage by the sweep instant, by whole days since the client's first.
CREATE TABLE rollup_clocks (
  workspace_id TEXT PRIMARY KEY,
  swept_ms INTEGER NOT NULL
);

ALTER TABLE client_marks ADD COLUMN days INTEGER NOT NULL DEFAULT 0;
UPDATE client_marks SET days = at_ms / 86400000 - (
  SELECT f.at_ms / 86400000 FROM client_marks f
  WHERE f.workspace_id = client_marks.workspace_id AND f.client_id = client_marks.client_id AND f.kind = 'first' AND f.stage = '*'
);

CREATE TABLE stage_days (
  workspace_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('stay', 'open', 'reach')),
  stage TEXT NOT NULL,
  days INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, kind, stage, days)
) WITHOUT ROWID;
