-- Migration matrices (GET /v1/segments/migrations) cached per pair of month-end snapshots and
-- dimension: the first read aggregates both snapshots' class rows once and stores the cells in the
-- same batch; later reads cost the cells. Keyed by snapshot id, so a month-end computed again is a
-- new key and never meets the old cells. Month-end snapshots are immutable except for erasure,
-- which takes the erased client out of every cached cell in its own batch.
CREATE TABLE migration_matrices (
  workspace_id TEXT NOT NULL,
  from_snapshot TEXT NOT NULL,
  to_snapshot TEXT NOT NULL,
  dimension TEXT NOT NULL CHECK (dimension IN ('stage', 'abc', 'xyz', 'rfm', 'type')),
  computed_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, from_snapshot, to_snapshot, dimension)
) WITHOUT ROWID;

-- One row per cell; '' is the null side (not in the portfolio yet / gone since), which no class
-- can be. A cell emptied by erasures stays at 0 clients and is left out of answers.
CREATE TABLE migration_cells (
  workspace_id TEXT NOT NULL,
  from_snapshot TEXT NOT NULL,
  to_snapshot TEXT NOT NULL,
  dimension TEXT NOT NULL,
  from_class TEXT NOT NULL,
  to_class TEXT NOT NULL,
  clients INTEGER NOT NULL,
  revenue_cents INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, from_snapshot, to_snapshot, dimension, from_class, to_class)
) WITHOUT ROWID;

-- The clients behind a stage cell (GET /v1/clients?movedDimension=stage…) walk one snapshot's
-- stage in id order; the other classes already have such an index.
CREATE INDEX client_classes_by_stage ON client_classes (workspace_id, snapshot_id, stage, client_id);
