import type { ClientEvent } from '../../schema/events.ts';
import { packedInsert, selectIn, selectPacked } from './plan.ts';

/** The stored hash of each listed event id that exists: the basis of idempotency and conflicts. */
export async function findEventHashes(
  db: D1Database,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const rows = await selectPacked(
    ids,
    async (json) =>
      (
        await db
          .prepare(
            `SELECT id, body_hash FROM events WHERE workspace_id = ?1 AND id IN (SELECT value FROM json_each(?2))`,
          )
          .bind(workspaceId, json)
          .all<{ id: string; body_hash: string }>()
      ).results,
  );
  return new Map(rows.map((r) => [r.id, r.body_hash]));
}

/** Every stored event of the listed clients, grouped by client (reads only those clients' rows). */
export async function loadEventsOf(
  db: D1Database,
  workspaceId: string,
  clientIds: readonly string[],
): Promise<Map<string, ClientEvent[]>> {
  const rows = await selectIn(
    clientIds,
    1,
    async (part, list) =>
      (
        await db
          .prepare(
            `SELECT client_id, body FROM events WHERE workspace_id = ?1 AND client_id IN (${list})`,
          )
          .bind(workspaceId, ...part)
          .all<{ client_id: string; body: string }>()
      ).results,
  );
  const out = new Map<string, ClientEvent[]>();
  for (const r of rows) {
    const list = out.get(r.client_id) ?? [];
    list.push(JSON.parse(r.body) as ClientEvent);
    out.set(r.client_id, list);
  }
  return out;
}

/** A client's events in time order, newest first when `newestFirst`, for timelines and cards. */
export async function clientEvents(
  db: D1Database,
  workspaceId: string,
  clientId: string,
  opts: { limit?: number; newestFirst?: boolean } = {},
): Promise<{ events: ClientEvent[]; rowsRead: number }> {
  const result = await db
    .prepare(
      `SELECT body FROM events WHERE workspace_id = ?1 AND client_id = ?2 ORDER BY at ${opts.newestFirst ? 'DESC' : 'ASC'}, id LIMIT ?3`,
    )
    .bind(workspaceId, clientId, opts.limit ?? -1)
    .all<{ body: string }>();
  return {
    events: result.results.map((r) => JSON.parse(r.body) as ClientEvent),
    rowsRead: result.meta.rows_read,
  };
}

/** The new events, a few statements per thousand (rows packed as JSON, see packedInsert). */
export function insertEventStatements(
  db: D1Database,
  workspaceId: string,
  events: readonly { event: ClientEvent; body: string; hash: string }[],
  receivedAt: string,
): D1PreparedStatement[] {
  return packedInsert(
    db,
    'events',
    ['id', 'client_id', 'type', 'at', 'body', 'body_hash', 'received_at', 'amount'],
    workspaceId,
    events.map(({ event, body, hash }) => [
      event.id,
      event.clientId,
      event.type,
      event.at,
      body,
      hash,
      receivedAt,
      // The typed copy the purchase index covers (migration 0021).
      'amount' in event && event.amount !== undefined ? event.amount : null,
    ]),
  );
}

/**
 * Erasure: other clients' referral events keep the fact of a referral but forget whom it named
 * (their stored content hash stays, so the original event re-sent is still a duplicate).
 */
export function forgetReferralsToStatement(
  db: D1Database,
  workspaceId: string,
  clientId: string,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE events SET body = json_remove(body, '$.referredClientId')
       WHERE workspace_id = ?1 AND type = 'referral' AND json_extract(body, '$.referredClientId') = ?2`,
    )
    .bind(workspaceId, clientId);
}

/** Another writer stored the same event id first (the batch is then retried on fresh reads). */
export const isDuplicateEventError = (error: unknown) =>
  error instanceof Error && /UNIQUE constraint failed/i.test(error.message);
