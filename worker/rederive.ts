import type { ClientEvent } from '../schema/events.ts';
import { getClientVersions } from './db/clients.ts';
import { isGuardConflict } from './db/derived.ts';
import { loadEventsOf } from './db/events.ts';
import { withRetry } from './db/retry.ts';

/** What re-deriving clients starts from: each one's version (what the guard expects) and events. */
export async function readDerivationInputs(
  db: D1Database,
  workspaceId: string,
  clientIds: readonly string[],
): Promise<{ versions: Map<string, number>; history: Map<string, ClientEvent[]> }> {
  const [versions, history] = await withRetry(() =>
    Promise.all([
      getClientVersions(db, workspaceId, clientIds),
      loadEventsOf(db, workspaceId, clientIds),
    ]),
  );
  return { versions, history };
}

/**
 * The guarded re-derive, for every writer that re-derives clients: each attempt reads, derives and
 * plans one batch guarded by the client versions it read (guardedDerivationStatements); a batch
 * that lost a race to another writer aborts whole, and the next attempt starts from fresh reads,
 * so no derivation is ever lost. An attempt with nothing to write (`batch: null`) ends the loop.
 * Returns the committed attempt's result, or null when every attempt lost its race.
 */
export async function guardedRederive<T>(
  db: D1Database,
  attempts: number,
  attempt: () => Promise<{ batch: D1PreparedStatement[] | null; result: T }>,
  lostRace: (error: unknown) => boolean = isGuardConflict,
): Promise<{ result: T } | null> {
  for (let i = 1; i <= attempts; i++) {
    const { batch, result } = await attempt();
    if (batch === null) return { result };
    try {
      await withRetry(() => db.batch(batch));
      return { result };
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
  }
  return null;
}
