-- The four rollups read from a client's spells and marks (stage flows, mark flows, day histograms
-- and their dyadic blocks) each had a scratch twin (0028), filled by its own statement per half of a
-- write, each of which looked up the scope's spells and marks again; so did the segment figures,
-- their days to developed and the workspace totals, with the clients' aggregates. A write now
-- copies the replaced and the new spells, marks and segment contributions, signed, into these
-- scratch tables once per half, and the batch settles the rollups from them: fewer statements, one
-- lookup of the rows per half instead of several. Between two batches they are empty, like the
-- remaining twin (cohort cells).
CREATE TABLE pending_spells (workspace_id TEXT NOT NULL, sign INTEGER NOT NULL, stage TEXT NOT NULL, entered_ms INTEGER NOT NULL, left_ms INTEGER);
CREATE TABLE pending_marks (workspace_id TEXT NOT NULL, sign INTEGER NOT NULL, kind TEXT NOT NULL, stage TEXT NOT NULL, at_ms INTEGER NOT NULL, days INTEGER NOT NULL);
CREATE TABLE pending_segment_points (workspace_id TEXT NOT NULL, sign INTEGER NOT NULL, attr TEXT NOT NULL, kind TEXT NOT NULL, value NOT NULL, acquired INTEGER NOT NULL, cents INTEGER NOT NULL, dev_days INTEGER, vanished INTEGER NOT NULL, with_days INTEGER NOT NULL, orders INTEGER, revenue REAL);
DROP TABLE pending_stage_flows;
DROP TABLE pending_mark_flows;
DROP TABLE pending_stage_days;
DROP TABLE pending_stage_day_blocks;
DROP TABLE pending_workspace_totals;
DROP TABLE pending_segment_rollups;
DROP TABLE pending_segment_days;
