-- Key-client dossiers (DOMAIN.md 5): one per client, the content as JSON, the review date as a
-- column so that the work list reads every review date of a workspace in one indexed scan.
CREATE TABLE client_dossiers (
  workspace_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  data TEXT NOT NULL,
  reviewed_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, client_id)
) WITHOUT ROWID;

-- A dossier goes with its client: erasing the client (in whatever batch does it) erases the dossier.
CREATE TRIGGER client_dossiers_erase AFTER DELETE ON clients
BEGIN
  DELETE FROM client_dossiers WHERE workspace_id = OLD.workspace_id AND client_id = OLD.id;
END;
