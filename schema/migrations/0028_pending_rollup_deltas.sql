-- A write moves each rollup by minus the rows it replaces and plus the rows it writes. For a client
-- that goes on (the usual stream) most of the two cancel: its open spell's entry, its marks, its
-- days to developed, its attribute values. Upserting both halves into the rollups cost two index
-- seeks and row updates per key for a net change of nothing. So the halves are appended to these
-- scratch twins (no keys: an append), and one statement per rollup at the end of the same batch adds
-- the net change of each key, where it is not zero, and empties the twin (pending.ts). Between two
-- batches every twin is empty.
CREATE TABLE pending_stage_flows (workspace_id TEXT NOT NULL, grain TEXT NOT NULL, bucket TEXT NOT NULL, stage TEXT NOT NULL, entries INTEGER NOT NULL, exits INTEGER NOT NULL);
CREATE TABLE pending_mark_flows (workspace_id TEXT NOT NULL, grain TEXT NOT NULL, bucket TEXT NOT NULL, kind TEXT NOT NULL, stage TEXT NOT NULL, n INTEGER NOT NULL);
CREATE TABLE pending_stage_days (workspace_id TEXT NOT NULL, kind TEXT NOT NULL, stage TEXT NOT NULL, days INTEGER NOT NULL, n INTEGER NOT NULL);
CREATE TABLE pending_workspace_totals (workspace_id TEXT NOT NULL, clients INTEGER NOT NULL, buyers INTEGER NOT NULL, orders INTEGER NOT NULL, revenue_cents INTEGER NOT NULL, revenue_sq REAL NOT NULL);
CREATE TABLE pending_stage_day_blocks (workspace_id TEXT NOT NULL, level INTEGER NOT NULL, block INTEGER NOT NULL, kind TEXT NOT NULL, stage TEXT NOT NULL, key INTEGER NOT NULL, n INTEGER NOT NULL);
CREATE TABLE pending_cohort_cells (workspace_id TEXT NOT NULL, grain TEXT NOT NULL, cohort TEXT NOT NULL, period TEXT NOT NULL, clients INTEGER NOT NULL, revenue_cents INTEGER NOT NULL, margin_cents INTEGER NOT NULL);
CREATE TABLE pending_segment_rollups (workspace_id TEXT NOT NULL, attr TEXT NOT NULL, kind TEXT NOT NULL, value NOT NULL, clients INTEGER NOT NULL, acquired INTEGER NOT NULL, developed INTEGER NOT NULL, vanished INTEGER NOT NULL, revenue_cents INTEGER NOT NULL);
CREATE TABLE pending_segment_days (workspace_id TEXT NOT NULL, attr TEXT NOT NULL, kind TEXT NOT NULL, value NOT NULL, days INTEGER NOT NULL, n INTEGER NOT NULL);
