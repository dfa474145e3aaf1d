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
  key_hash: string;
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

export async function findKeyByHash(
  db: D1Database,
  hash: string,
): Promise<(KeyRow & { hash: string }) | null> {
  const row = await db
    .prepare(
      'SELECT id, workspace_id, kind, key_hash, label, scope, created_at, revoked_at FROM api_keys WHERE key_hash = ?1',
    )
    .bind(hash)
    .first<Raw>();
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
