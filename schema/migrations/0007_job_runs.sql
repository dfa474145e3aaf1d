-- What each background job run did, so that a failure in the nightly work cannot go unnoticed.
-- Run ids start with the run's start instant, so ordering by id is ordering by time.
CREATE TABLE job_runs (
  id TEXT PRIMARY KEY,
  job TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  workspaces INTEGER NOT NULL DEFAULT 0,
  clients INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  -- Failures outside any one workspace (the global purge, listing the workspaces): a JSON array.
  run_failures TEXT
) WITHOUT ROWID;

-- One row per workspace a run went through: its own part of the run, keyed by workspace first
-- like every tenant table. `error` is null when every step succeeded.
CREATE TABLE job_run_workspaces (
  workspace_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  clients INTEGER NOT NULL,
  failed_step TEXT,
  error TEXT,
  PRIMARY KEY (workspace_id, run_id)
) WITHOUT ROWID;
CREATE INDEX job_run_workspaces_by_run ON job_run_workspaces (run_id);
-- The retry run looks for workspaces whose latest part failed; failures are few.
CREATE INDEX job_run_workspace_failures ON job_run_workspaces (workspace_id, run_id) WHERE error IS NOT NULL;
