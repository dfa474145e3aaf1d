import { forgetMigrationClientStatement } from './db/class-migrations.ts';
import { deleteClientStatements } from './db/clients.ts';
import { forgetReferralsToStatement } from './db/events.ts';
import { forgetScopeStatement } from './db/idempotency.ts';
import { deleteClientSessionsStatement } from './db/sessions.ts';
import { forgetClientStatements } from './db/snapshots.ts';
import { forgetClientWebhookStatements } from './db/webhooks.ts';

/**
 * Erasure of one client, in one atomic batch: the client, its events and everything derived
 * (deleteClientStatements), its classes in every snapshot (forgetClientStatements) after its part of
 * every cached migration matrix (read from those classes), plus every other place that could still name it. Other clients'
 * referral events keep the fact of a referral but forget whom it named (their stored content
 * hash stays, so the original event re-sent is still a duplicate and does not bring the name
 * back). Widget sessions scoped to the client end; webhook messages about it (sent or pending) and
 * what the nightly announcer remembers of it go. The workspace's Idempotency-Key records are
 * forgotten, since a stored answer may quote the client; a retry after an erasure runs again.
 */
export function eraseClientStatements(
  db: D1Database,
  workspaceId: string,
  clientId: string,
): D1PreparedStatement[] {
  return [
    ...deleteClientStatements(db, workspaceId, clientId),
    forgetMigrationClientStatement(db, workspaceId, clientId),
    ...forgetClientStatements(db, workspaceId, clientId),
    forgetReferralsToStatement(db, workspaceId, clientId),
    deleteClientSessionsStatement(db, workspaceId, clientId),
    ...forgetClientWebhookStatements(db, workspaceId, clientId),
    forgetScopeStatement(db, workspaceId),
  ];
}
