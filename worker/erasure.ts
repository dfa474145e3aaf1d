import { deleteClientStatements } from './db/clients.ts';
import { forgetScopeStatement } from './idempotency.ts';

/**
 * Erasure of one client, in one atomic batch: the client, its events and everything derived
 * (deleteClientStatements), plus every other place that could still name it. Other clients'
 * referral events keep the fact of a referral but forget whom it named (their stored content
 * hash stays, so the original event re-sent is still a duplicate and does not bring the name
 * back). Widget sessions scoped to the client end. The workspace's Idempotency-Key records are
 * forgotten, since a stored answer may quote the client; a retry after an erasure runs again.
 */
export function eraseClientStatements(
  db: D1Database,
  workspaceId: string,
  clientId: string,
): D1PreparedStatement[] {
  return [
    ...deleteClientStatements(db, workspaceId, clientId),
    db
      .prepare(
        `UPDATE events SET body = json_remove(body, '$.referredClientId')
         WHERE workspace_id = ?1 AND type = 'referral' AND json_extract(body, '$.referredClientId') = ?2`,
      )
      .bind(workspaceId, clientId),
    db
      .prepare('DELETE FROM widget_sessions WHERE workspace_id = ?1 AND client_id = ?2')
      .bind(workspaceId, clientId),
    forgetScopeStatement(db, workspaceId),
  ];
}
