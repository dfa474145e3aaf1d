import * as v from 'valibot';
import { type Settings, SettingsSchema } from '../../schema/settings.ts';
import { type DatabaseName, DatabaseNameSchema } from '../../schema/workspaces.ts';

// The control database's tables: read and written on `env.DB` only (worker/databases.ts).

export interface WorkspaceRow {
  id: string;
  name: string;
  allowedOrigins: string[];
  settings: Settings;
  createdAt: string;
  /** The data database it lives on. */
  database: DatabaseName;
}

interface Raw {
  id: string;
  name: string;
  allowed_origins: string;
  settings: string;
  created_at: string;
  data_database: string;
}

// Stored settings are re-parsed so that defaults added by later releases appear for old workspaces.
const toWorkspace = (r: Raw): WorkspaceRow => ({
  id: r.id,
  name: r.name,
  allowedOrigins: JSON.parse(r.allowed_origins) as string[],
  settings: v.parse(SettingsSchema, JSON.parse(r.settings)),
  createdAt: r.created_at,
  database: v.parse(DatabaseNameSchema, r.data_database),
});

export async function getWorkspace(db: D1Database, id: string): Promise<WorkspaceRow | null> {
  const row = await db
    .prepare(
      'SELECT id, name, allowed_origins, settings, created_at, data_database FROM workspaces WHERE id = ?1',
    )
    .bind(id)
    .first<Raw>();
  return row ? toWorkspace(row) : null;
}

export function insertWorkspaceStatements(db: D1Database, ws: WorkspaceRow): D1PreparedStatement[] {
  return [
    db
      .prepare(
        'INSERT INTO workspaces (id, name, allowed_origins, settings, created_at, data_database) VALUES (?1, ?2, ?3, ?4, ?5, ?6)',
      )
      .bind(
        ws.id,
        ws.name,
        JSON.stringify(ws.allowedOrigins),
        JSON.stringify(ws.settings),
        ws.createdAt,
        ws.database,
      ),
    ...ws.allowedOrigins.map((origin) =>
      db
        .prepare('INSERT OR IGNORE INTO workspace_origins (origin, workspace_id) VALUES (?1, ?2)')
        .bind(origin, ws.id),
    ),
  ];
}

export async function updateSettings(
  db: D1Database,
  id: string,
  settings: Settings,
): Promise<void> {
  await db
    .prepare('UPDATE workspaces SET settings = ?2 WHERE id = ?1')
    .bind(id, JSON.stringify(settings))
    .run();
}

/** Whether any workspace allows this browser origin: enough to answer a CORS preflight. */
export async function isKnownOrigin(db: D1Database, origin: string): Promise<boolean> {
  return (
    (await db
      .prepare('SELECT 1 AS ok FROM workspace_origins WHERE origin = ?1 LIMIT 1')
      .bind(origin)
      .first()) !== null
  );
}

/** Renames a workspace and/or replaces its allowed origins, in one atomic batch. */
export function updateWorkspaceStatements(
  db: D1Database,
  id: string,
  patch: { name: string; allowedOrigins: readonly string[] },
): D1PreparedStatement[] {
  return [
    db
      .prepare('UPDATE workspaces SET name = ?2, allowed_origins = ?3 WHERE id = ?1')
      .bind(id, patch.name, JSON.stringify(patch.allowedOrigins)),
    db.prepare('DELETE FROM workspace_origins WHERE workspace_id = ?1').bind(id),
    ...patch.allowedOrigins.map((origin) =>
      db
        .prepare('INSERT OR IGNORE INTO workspace_origins (origin, workspace_id) VALUES (?1, ?2)')
        .bind(origin, id),
    ),
  ];
}

/** The name of the data database a workspace lives on; null for no such workspace. */
export async function getWorkspaceDatabase(db: D1Database, id: string): Promise<string | null> {
  const row = await db
    .prepare('SELECT data_database FROM workspaces WHERE id = ?1')
    .bind(id)
    .first<{ data_database: string }>();
  return row?.data_database ?? null;
}

/** How many workspaces each data database holds (placement). */
export async function workspacesPerDatabase(db: D1Database): Promise<Map<string, number>> {
  const rows = await db
    .prepare('SELECT data_database AS name, COUNT(*) AS n FROM workspaces GROUP BY data_database')
    .all<{ name: string; n: number }>();
  return new Map(rows.results.map((r) => [r.name, r.n]));
}

/** A workspace as background jobs read it: settings still as stored, and where its data lives. */
export interface StoredWorkspace {
  id: string;
  settings: string;
  database: string;
}

/**
 * Every workspace with its settings as stored (for background jobs, which parse each one inside
 * that workspace's own isolation, so that one corrupt row cannot stop the others).
 */
export async function listStoredWorkspaces(db: D1Database): Promise<StoredWorkspace[]> {
  const rows = await db
    .prepare('SELECT id, settings, data_database AS database FROM workspaces ORDER BY id')
    .all<StoredWorkspace>();
  return rows.results;
}
