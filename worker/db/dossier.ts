import type { StoredDossier } from '../../core/actions/dossier.ts';
import type { DossierContent } from '../../schema/dossier.ts';

interface Raw {
  data: string;
  reviewed_at: string;
  created_at: string;
  updated_at: string;
}

export async function getDossier(
  db: D1Database,
  workspaceId: string,
  clientId: string,
): Promise<StoredDossier | null> {
  const row = await db
    .prepare(
      'SELECT data, reviewed_at, created_at, updated_at FROM client_dossiers WHERE workspace_id = ?1 AND client_id = ?2',
    )
    .bind(workspaceId, clientId)
    .first<Raw>();
  return row
    ? {
        content: JSON.parse(row.data) as DossierContent,
        reviewedAt: row.reviewed_at,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }
    : null;
}

/** Replaces the dossier (a PUT), keeping its creation date; returns the row as stored. */
export async function putDossier(
  db: D1Database,
  workspaceId: string,
  clientId: string,
  content: DossierContent,
  reviewedAt: string,
  now: string,
): Promise<StoredDossier> {
  const row = await db
    .prepare(
      `INSERT INTO client_dossiers (workspace_id, client_id, data, reviewed_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)
       ON CONFLICT (workspace_id, client_id) DO UPDATE SET data = ?3, reviewed_at = ?4, updated_at = ?5
       RETURNING data, reviewed_at, created_at, updated_at`,
    )
    .bind(workspaceId, clientId, JSON.stringify(content), reviewedAt, now)
    .first<Raw>();
  return {
    content,
    reviewedAt: row!.reviewed_at,
    createdAt: row!.created_at,
    updatedAt: row!.updated_at,
  };
}

/** Every dossier's review date in the workspace: what the work list needs of the dossiers. */
export async function loadReviewDates(
  db: D1Database,
  workspaceId: string,
): Promise<Map<string, string>> {
  const rows = await db
    .prepare('SELECT client_id, reviewed_at FROM client_dossiers WHERE workspace_id = ?1')
    .bind(workspaceId)
    .all<{ client_id: string; reviewed_at: string }>();
  return new Map(rows.results.map((r) => [r.client_id, r.reviewed_at]));
}
