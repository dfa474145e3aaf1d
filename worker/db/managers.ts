/**
 * Clients per manager, from the segment rollups of the attribute `manager` (migration 0015): one
 * row per manager. A manager is a non-blank text or a number (core/actions/access.ts managerOf);
 * the text "5" and the number 5 name the same manager.
 */
export async function managerClientCounts(
  db: D1Database,
  workspaceId: string,
): Promise<Map<string, number>> {
  const rows = await db
    .prepare(
      `SELECT kind, value, clients FROM segment_rollups
       WHERE workspace_id = ?1 AND attr = 'manager' AND kind IN ('string', 'number') AND clients <> 0`,
    )
    .bind(workspaceId)
    .all<{ kind: string; value: string | number; clients: number }>();
  const counts = new Map<string, number>();
  for (const r of rows.results) {
    const name = String(r.value);
    if (r.kind === 'string' && name.trim() === '') continue;
    counts.set(name, (counts.get(name) ?? 0) + r.clients);
  }
  return counts;
}

/**
 * The key clients (type `golden`, derived or set by hand) of a finished snapshot, with their
 * current name and manager (the typed `manager` column): one primary-key range of the snapshot's
 * types, one row per key client. Clients erased since the snapshot drop out by the join.
 */
export async function snapshotKeyClients(
  db: D1Database,
  workspaceId: string,
  snapshotId: string,
): Promise<{ id: string; name: string | null; manager: string | null }[]> {
  const rows = await db
    .prepare(
      `SELECT t.client_id AS id, c.name, c.manager FROM client_class_types t
       JOIN clients c ON c.workspace_id = t.workspace_id AND c.id = t.client_id
       WHERE t.workspace_id = ?1 AND t.snapshot_id = ?2 AND t.type = 'golden' ORDER BY t.client_id`,
    )
    .bind(workspaceId, snapshotId)
    .all<{ id: string; name: string | null; manager: string | null }>();
  return rows.results;
}
