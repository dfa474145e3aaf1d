-- Where a workspace's data lives: the name of one of its data databases (schema/workspaces.ts
-- DATABASE_NAMES; worker/databases.ts maps a name to its binding). Kept in the control database
-- (binding DB); every workspace created before this migration lives there, hence the default.
-- No CHECK: the set of names grows with the bindings, and a CHECK could only change by
-- rebuilding the table; the API validates the name against the schema's picklist.
ALTER TABLE workspaces ADD COLUMN data_database TEXT NOT NULL DEFAULT 'primary';

-- Placement counts workspaces per database.
CREATE INDEX workspaces_by_data_database ON workspaces (data_database);
