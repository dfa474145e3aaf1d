-- Stage spells also carry their instants as epoch milliseconds: the funnel's medians subtract
-- them for every spell, and integer arithmetic is several times cheaper than julianday() on text.
ALTER TABLE stage_spells ADD COLUMN entered_ms INTEGER;
ALTER TABLE stage_spells ADD COLUMN left_ms INTEGER;
UPDATE stage_spells SET
  entered_ms = CAST(ROUND((julianday(entered_at) - 2440587.5) * 86400000) AS INTEGER),
  left_ms = CASE WHEN left_at IS NULL THEN NULL ELSE CAST(ROUND((julianday(left_at) - 2440587.5) * 86400000) AS INTEGER) END;
CREATE INDEX stage_spells_by_entry ON stage_spells (workspace_id, entered_ms);
