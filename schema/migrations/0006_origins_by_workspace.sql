-- Like every tenant table, the allowed origins are keyed by workspace first; the preflight's
-- lookup by origin alone gets an index of its own.
CREATE TABLE workspace_origins_by_workspace (
  workspace_id TEXT NOT NULL,
  origin TEXT NOT NULL,
  PRIMARY KEY (workspace_id, origin)
) WITHOUT ROWID;
INSERT INTO workspace_origins_by_workspace (workspace_id, origin) SELECT workspace_id, origin FROM workspace_origins;
DROP TABLE workspace_origins;
ALTER TABLE workspace_origins_by_workspace RENAME TO workspace_origins;
CREATE INDEX workspace_origins_by_origin ON workspace_origins (origin);
