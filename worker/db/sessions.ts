export interface WidgetSessionRow {
  id: string;
  workspaceId: string;
  keyId: string;
  manager: string | null;
  clientId: string | null;
  createdAt: string;
  expiresAt: string;
}

interface Raw {
  id: string;
  workspace_id: string;
  key_id: string;
  manager: string | null;
  client_id: string | null;
  created_at: string;
  expires_at: string;
}

/**
 * The live session with this token hash: not expired at `now`, and minted by a key that is still
 * active (revoking a key ends its sessions at once).
 */
export async function findLiveSession(
  db: D1Database,
  tokenHash: string,
  now: string,
): Promise<WidgetSessionRow | null> {
  const row = await db
    .prepare(
      `SELECT s.id, s.workspace_id, s.key_id, s.manager, s.client_id, s.created_at, s.expires_at
       FROM widget_sessions s JOIN api_keys k ON k.workspace_id = s.workspace_id AND k.id = s.key_id
       WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND k.revoked_at IS NULL`,
    )
    .bind(tokenHash, now)
    .first<Raw>();
  return row
    ? {
        id: row.id,
        workspaceId: row.workspace_id,
        keyId: row.key_id,
        manager: row.manager,
        clientId: row.client_id,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      }
    : null;
}

export function insertSessionStatement(
  db: D1Database,
  s: WidgetSessionRow,
  tokenHash: string,
): D1PreparedStatement {
  return db
    .prepare(
      'INSERT INTO widget_sessions (workspace_id, id, token_hash, key_id, manager, client_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)',
    )
    .bind(s.workspaceId, s.id, tokenHash, s.keyId, s.manager, s.clientId, s.createdAt, s.expiresAt);
}

/** Expired sessions are useless; each mint sweeps its workspace's (an index keeps it cheap). */
export function purgeExpiredSessionsStatement(
  db: D1Database,
  workspaceId: string,
  now: string,
): D1PreparedStatement {
  return db
    .prepare('DELETE FROM widget_sessions WHERE workspace_id = ?1 AND expires_at <= ?2')
    .bind(workspaceId, now);
}

/** Expired sessions of every workspace; for the nightly job. */
export const purgeAllExpiredSessionsStatement = (db: D1Database, now: string) =>
  db.prepare('DELETE FROM widget_sessions WHERE expires_at <= ?1').bind(now);

/** Ends the widget sessions scoped to one client (erasure). */
export function deleteClientSessionsStatement(
  db: D1Database,
  workspaceId: string,
  clientId: string,
): D1PreparedStatement {
  return db
    .prepare('DELETE FROM widget_sessions WHERE workspace_id = ?1 AND client_id = ?2')
    .bind(workspaceId, clientId);
}
