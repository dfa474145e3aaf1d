-- Portfolio-relative classes (ABC, XYZ, RFM scores, client types) are computed by a snapshot job
-- in chunks of clients (DESIGN.md "How it scales"); widgets read the stored classes and their
-- counts, never the whole portfolio. A snapshot's rows are keyed by it, so readers keep the last
-- finished snapshot while the next one is written. Month-end snapshots are kept for the history
-- of classes; other finished snapshots are purged once a newer one is done.
CREATE TABLE snapshots (
  workspace_id TEXT NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('current', 'month_end')),
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  -- The instant the classes describe: the job's clock, read once when it starts.
  as_of TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  clients INTEGER NOT NULL DEFAULT 0,
  -- The step the run is at and the keyset position inside it: a redelivered queue message whose
  -- position is no longer current is ignored, so no chunk is counted twice.
  step TEXT NOT NULL,
  position TEXT NOT NULL DEFAULT '',
  -- JSON: the settings the run classifies with, the running sums and the edges (cut-offs, quintile
  -- edges, medians) once found.
  state TEXT NOT NULL DEFAULT '{}',
  error TEXT,
  PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;
CREATE INDEX snapshots_by_time ON snapshots (workspace_id, status, as_of);

-- One row per client and snapshot: the figures the classes come from, then the classes.
CREATE TABLE client_classes (
  workspace_id TEXT NOT NULL,
  snapshot_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  stage TEXT,
  -- ABC-XYZ (revenue per month over the 12 whole months before as_of): the measured value in
  -- cents (ABC's order), the window's revenue and margin, the coefficient of variation.
  value_cents INTEGER NOT NULL,
  revenue REAL NOT NULL,
  margin REAL NOT NULL,
  cv REAL,
  abc TEXT CHECK (abc IN ('A', 'B', 'C')),
  xyz TEXT CHECK (xyz IN ('X', 'Y', 'Z')),
  abc_rank INTEGER,
  cumulative_cents INTEGER,
  -- The types' window (settings.segments.windowMonths): revenue, margin, orders, average check.
  window_revenue REAL NOT NULL,
  window_margin REAL NOT NULL,
  window_orders INTEGER NOT NULL,
  window_check REAL,
  revenue_rank INTEGER,
  -- RFM inputs (null recency: no purchase) and scores; rfm_key = 100 r + 10 f + m orders the list.
  recency_days INTEGER,
  frequency INTEGER NOT NULL,
  monetary REAL NOT NULL,
  lifetime_check REAL,
  r INTEGER,
  f INTEGER,
  m INTEGER,
  rfm_key INTEGER,
  rfm_segment TEXT,
  PRIMARY KEY (workspace_id, snapshot_id, client_id)
) WITHOUT ROWID;
CREATE INDEX client_classes_by_value ON client_classes (workspace_id, snapshot_id, value_cents DESC, client_id);
CREATE INDEX client_classes_by_window_revenue ON client_classes (workspace_id, snapshot_id, window_revenue);
CREATE INDEX client_classes_by_window_orders ON client_classes (workspace_id, snapshot_id, window_orders) WHERE window_check IS NOT NULL;
CREATE INDEX client_classes_by_window_check ON client_classes (workspace_id, snapshot_id, window_check) WHERE window_check IS NOT NULL;
CREATE INDEX client_classes_by_lifetime_check ON client_classes (workspace_id, snapshot_id, lifetime_check) WHERE lifetime_check IS NOT NULL;
CREATE INDEX client_classes_by_rfm ON client_classes (workspace_id, snapshot_id, rfm_key DESC, client_id);
CREATE INDEX client_classes_by_abc ON client_classes (workspace_id, snapshot_id, abc, client_id);
CREATE INDEX client_classes_by_xyz ON client_classes (workspace_id, snapshot_id, xyz, client_id);
CREATE INDEX client_classes_by_segment ON client_classes (workspace_id, snapshot_id, rfm_segment, client_id);

-- The types each client carries in a snapshot (derived or set by hand).
CREATE TABLE client_class_types (
  workspace_id TEXT NOT NULL,
  snapshot_id TEXT NOT NULL,
  type TEXT NOT NULL,
  client_id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('derived', 'manual')),
  PRIMARY KEY (workspace_id, snapshot_id, type, client_id)
) WITHOUT ROWID;
-- Erasure finds a client's types in each snapshot.
CREATE INDEX client_class_types_by_client ON client_class_types (workspace_id, snapshot_id, client_id);

-- Rollups of a snapshot, added chunk by chunk in the batch that writes the chunk's classes:
-- dim 'cell' (AX…CZ), 'rfm' (segment), 'type', 'stage'. Money in cents, so sums are exact.
CREATE TABLE class_counts (
  workspace_id TEXT NOT NULL,
  snapshot_id TEXT NOT NULL,
  dim TEXT NOT NULL,
  key TEXT NOT NULL,
  clients INTEGER NOT NULL,
  derived INTEGER NOT NULL DEFAULT 0,
  manual INTEGER NOT NULL DEFAULT 0,
  revenue_cents INTEGER NOT NULL DEFAULT 0,
  margin_cents INTEGER NOT NULL DEFAULT 0,
  value_cents INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, snapshot_id, dim, key)
) WITHOUT ROWID;
