-- The workspace's last predictive CLV fit (BG/NBD + Gamma-Gamma) or the reason it could not fit.
CREATE TABLE clv_models (
  workspace_id TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('fitted', 'insufficient_data')),
  body TEXT NOT NULL,
  fitted_at TEXT NOT NULL
);
