-- Idempotency-Key records (Stripe semantics) for creating POSTs other than /v1/events. `scope` is
-- the workspace id, or 'admin' for the admin token. `status` stays NULL while the first request
-- runs (`locked_until` bounds how long a crashed request can hold the key). The stored answer is
-- encrypted (AES-GCM under a key derived from a Worker secret) because creating answers hold
-- keys and tokens that are otherwise stored only as hashes.
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER,
  answer TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  locked_until TEXT,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);

-- Short-lived widget tokens (`wst_…`) minted by a secret key, stored as SHA-256 hashes like keys.
-- A session dies with the key that minted it, so revoking a leaked secret key ends its sessions.
CREATE TABLE widget_sessions (
  workspace_id TEXT NOT NULL,
  id TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  key_id TEXT NOT NULL,
  manager TEXT,
  client_id TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX widget_sessions_by_hash ON widget_sessions (token_hash);
CREATE INDEX widget_sessions_by_expiry ON widget_sessions (workspace_id, expires_at);
CREATE INDEX widget_sessions_by_client ON widget_sessions (workspace_id, client_id);
