-- GET /v1/clients?stage= walked every spell the stage ever had (stage_spells_by_stage) to find the
-- clients in it now: 68,826 rows for one page of "developing" at 20,000 clients. No static index can
-- tell a current spell from a past or a stored-ahead one (a buyer's current spell already carries
-- the instant it falls asleep as left_at), so the flag is kept as of the workspace's sweep instant
-- (rollup_clocks), like the other clock-driven rollups: 1 on the spells current at that instant
-- (entered by it, not left by it), NULL on the others. The write path sets it on the spells it
-- inserts, the sweep moves it with the clock; a read adds the spells entered since the sweep.
ALTER TABLE stage_spells ADD COLUMN open_at_sweep INTEGER;
UPDATE stage_spells SET open_at_sweep = 1
WHERE entered_ms <= COALESCE((SELECT swept_ms FROM rollup_clocks r WHERE r.workspace_id = stage_spells.workspace_id), -1)
  AND (left_ms IS NULL OR left_ms > COALESCE((SELECT swept_ms FROM rollup_clocks r WHERE r.workspace_id = stage_spells.workspace_id), -1));
-- A stage's clients now in id order (the list's keyset), with left_ms to drop the spells the clock
-- closed since the sweep without reading the table.
CREATE INDEX stage_spells_open_at_sweep ON stage_spells (workspace_id, stage, client_id, left_ms) WHERE open_at_sweep = 1;
