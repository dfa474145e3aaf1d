import { forgetMigrationClientStatement } from './db/class-migrations.ts';
import { deleteClientStatements } from './db/clients.ts';
import { forgetReferralsToStatement } from './db/events.ts';
import { forgetScopeStatement } from './db/idempotency.ts';
import { deleteClientSessionsStatement } from './db/sessions.ts';
import { forgetClientStatements } from './db/snapshots.ts';
import { forgetClientWebhookStatements } from './db/webhooks.ts';
import { withRetry } from './db/retry.ts';

/**
 * Erasure of one client on the workspace's data database, in one atomic batch: the client, its
 * events and everything derived (deleteClientStatements), its classes in every snapshot
 * (forgetClientStatements) after its part of every cached migration matrix (read from those
 * classes), plus every other place of its data that could still name it. Other
 * clients' referral events keep the fact of a referral but forget whom it named (their stored
 * content hash stays, so the original event re-sent is still a duplicate and does not bring the
 * name back). Webhook messages about it (sent or pending) and what the nightly announcer
 * remembers of it go.
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
    ...forgetClientWebhookStatements(db, workspaceId, clientId),
  ];
}

/**
 * The erasure's part in the control database: widget sessions scoped to the client end, and the
 * workspace's Idempotency-Key records are forgotten, since a stored answer may quote the client
 * (a retry after an erasure runs again).
 */
export function eraseClientControlStatements(
  control: D1Database,
  workspaceId: string,
  clientId: string,
): D1PreparedStatement[] {
  return [
    deleteClientSessionsStatement(control, workspaceId, clientId),
    forgetScopeStatement(control, workspaceId),
  ];
}

/**
 * Erases a client: one atomic batch when its data lives on the control database; otherwise two,
 * the data first. A failure between them leaves only sessions naming a client that no longer
 * exists (they read nothing) and idempotency records; erasing again (idempotent) removes them.
 */
export async function eraseClient(
  control: D1Database,
  db: D1Database,
  workspaceId: string,
  clientId: string,
): Promise<void> {
  const data = eraseClientStatements(db, workspaceId, clientId);
  const rest = eraseClientControlStatements(control, workspaceId, clientId);
  if (db === control) {
    await withRetry(() => db.batch([...data, ...rest]));
    return;
  }
  await withRetry(() => db.batch(data));
  await withRetry(() => control.batch(rest));
}
