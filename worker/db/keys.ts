export type KeyKind = 'secret' | 'publishable' | 'restricted';

export interface KeyRow {
  id: string;
  workspaceId: string;
  kind: KeyKind;
  label: string | null;
  scope: Record<string, unknown>;
  createdAt: string;
  revokedAt: string | null;
}

interface Raw {
  id: string;
  workspace_id: string;
  kind: KeyKind;
  label: string | null;
  scope: string;
  created_at: string;
  revoked_at: string | null;
}

const toKey = (r: Raw): KeyRow => ({
  id: r.id,
  workspaceId: r.workspace_id,
  kind: r.kind,
  label: r.label,
  scope: JSON.parse(r.scope) as Record<string, unknown>,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

const COLUMNS = 'id, workspace_id, kind, label, scope, created_at, revoked_at';

export async function findKeyByHash(
  db: D1Database,
  hash: string,
): Promise<(KeyRow & { hash: string }) | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS}, key_hash FROM api_keys WHERE key_hash = ?1`)
    .bind(hash)
    .first<Raw & { key_hash: string }>();
  return row ? { ...toKey(row), hash: row.key_hash } : null;
}

export function insertKeyStatement(db: D1Database, key: KeyRow, hash: string): D1PreparedStatement {
  return db
    .prepare(
      'INSERT INTO api_keys (workspace_id, id, kind, key_hash, label, scope, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)',
    )
    .bind(
      key.workspaceId,
      key.id,
      key.kind,
      hash,
      key.label,
      JSON.stringify(key.scope),
      key.createdAt,
    );
}

/** The workspace's keys, revoked ones included, oldest first. */
export async function listKeys(db: D1Database, workspaceId: string): Promise<KeyRow[]> {
  const rows = await db
    .prepare(`SELECT ${COLUMNS} FROM api_keys WHERE workspace_id = ?1 ORDER BY created_at, id`)
    .bind(workspaceId)
    .all<Raw>();
  return rows.results.map(toKey);
}

export async function getKey(
  db: D1Database,
  workspaceId: string,
  id: string,
): Promise<KeyRow | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM api_keys WHERE workspace_id = ?1 AND id = ?2`)
    .bind(workspaceId, id)
    .first<Raw>();
  return row ? toKey(row) : null;
}

/**
 * Revokes an active key unless it is the workspace's last active secret key, and returns it; null
 * when nothing was revoked (no such key, already revoked, or the last secret key). One statement,
 * so two concurrent revocations cannot both pass the check and lock the workspace out.
 */
export async function revokeKeyUnlessLastSecret(
  db: D1Database,
  workspaceId: string,
  id: string,
  now: string,
): Promise<KeyRow | null> {
  const row = await db
    .prepare(
      `UPDATE api_keys SET revoked_at = ?3
       WHERE workspace_id = ?1 AND id = ?2 AND revoked_at IS NULL
         AND (kind <> 'secret' OR (SELECT COUNT(*) FROM api_keys WHERE workspace_id = ?1 AND kind = 'secret' AND revoked_at IS NULL) > 1)
       RETURNING ${COLUMNS}`,
    )
    .bind(workspaceId, id, now)
    .first<Raw>();
  return row ? toKey(row) : null;
}
