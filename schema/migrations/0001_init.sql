-- Clientfolio schema. Every tenant table's key starts with the workspace id, and every query
-- filters by it: one index serves both isolation and lookups.

CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  allowed_origins TEXT NOT NULL DEFAULT '[]',
  settings TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
);

-- Browser origins allowed per workspace, so that a CORS preflight (which carries no key) can be
-- answered for exactly the origins some workspace allows.
CREATE TABLE workspace_origins (
  origin TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  PRIMARY KEY (origin, workspace_id)
) WITHOUT ROWID;

-- Keys are stored as SHA-256 hashes of the random secret; the plain key is shown once.
CREATE TABLE api_keys (
  workspace_id TEXT NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('secret', 'publishable', 'restricted')),
  key_hash TEXT NOT NULL,
  label TEXT,
  scope TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX api_keys_by_hash ON api_keys (key_hash);

-- `version` grows with every write of a client's derived state: ingestion checks it inside its
-- atomic batch, so two concurrent writers can never overwrite each other's derivation.
CREATE TABLE clients (
  workspace_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT,
  attributes TEXT NOT NULL DEFAULT '{}',
  tags TEXT NOT NULL DEFAULT '[]',
  manual_types TEXT NOT NULL DEFAULT '[]',
  acquisition_cost REAL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;

CREATE TABLE events (
  workspace_id TEXT NOT NULL,
  id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  body TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;
CREATE INDEX events_by_client ON events (workspace_id, client_id, at);
CREATE INDEX events_by_type ON events (workspace_id, type, at);

-- Maintained on ingestion from the client's events; reads never rescan the event log.
CREATE TABLE client_aggregates (
  workspace_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  orders INTEGER NOT NULL,
  revenue REAL NOT NULL,
  margin REAL NOT NULL,
  first_purchase_at TEXT,
  last_purchase_at TEXT,
  data TEXT NOT NULL,
  PRIMARY KEY (workspace_id, client_id)
) WITHOUT ROWID;

CREATE TABLE client_periods (
  workspace_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  period TEXT NOT NULL,
  revenue REAL NOT NULL,
  margin REAL NOT NULL,
  orders INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, client_id, period)
) WITHOUT ROWID;
CREATE INDEX client_periods_by_period ON client_periods (workspace_id, period);

-- Every stage a client entered, with when it left; transitions still to come from the passage
-- of time (sleeping, lost) are stored ahead and become true as the clock passes them.
CREATE TABLE stage_spells (
  workspace_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  stage TEXT NOT NULL,
  entered_at TEXT NOT NULL,
  left_at TEXT,
  event_id TEXT,
  PRIMARY KEY (workspace_id, client_id, seq)
) WITHOUT ROWID;
CREATE INDEX stage_spells_by_stage ON stage_spells (workspace_id, stage, entered_at);

-- A row can only be inserted with ok = 1: an insert of 0 fails its CHECK and aborts the batch it
-- belongs to. Ingestion uses this as a compare-and-set on client versions (D1 has no BEGIN).
CREATE TABLE write_guard (ok INTEGER NOT NULL CHECK (ok = 1));
