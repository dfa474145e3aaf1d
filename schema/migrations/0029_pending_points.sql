-- The four rollups read from a client's spells and marks (stage flows, mark flows, day histograms
-- and their dyadic blocks) each had a scratch twin (0028), filled by its own statement per half of a
-- write, each of which looked up the scope's spells and marks again. A write now copies the
-- replaced and the new spells and marks, signed, into these two scratch tables once per half, and
-- the batch settles the four rollups from them: a third fewer statements, one lookup of the rows per
-- half instead of four. Between two batches both are empty, like the remaining twins.
CREATE TABLE pending_spells (workspace_id TEXT NOT NULL, sign INTEGER NOT NULL, stage TEXT NOT NULL, entered_ms INTEGER NOT NULL, left_ms INTEGER);
CREATE TABLE pending_marks (workspace_id TEXT NOT NULL, sign INTEGER NOT NULL, kind TEXT NOT NULL, stage TEXT NOT NULL, at_ms INTEGER NOT NULL, days INTEGER NOT NULL);
DROP TABLE pending_stage_flows;
DROP TABLE pending_mark_flows;
DROP TABLE pending_stage_days;
DROP TABLE pending_stage_day_blocks;
