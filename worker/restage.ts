import { deriveClient, type DerivedClient, foldKey } from '../core/lifecycle/derive.ts';
import type { SleepRule } from '../core/lifecycle/stages.ts';
import type { Settings } from '../schema/settings.ts';
import { clientIdsAfter } from './db/clients.ts';
import { guardedDerivationStatements } from './db/derived.ts';
import { withRetry } from './db/retry.ts';
import { guardedRederive, readDerivationInputs } from './rederive.ts';

const CLIENTS_PER_STEP = 100;

/** Re-derives the listed clients from their stored events, guarded against concurrent ingestion. */
export async function rederiveClients(
  db: D1Database,
  workspaceId: string,
  settings: Settings,
  clientIds: readonly string[],
  now: string,
  sleepRule?: SleepRule,
): Promise<void> {
  // After five lost races the clients were just re-derived by the writers that won them.
  await guardedRederive(db, 5, async () => {
    const { versions, history } = await readDerivationInputs(db, workspaceId, clientIds);
    const present = clientIds.filter((id) => versions.has(id));
    const derived = new Map<string, DerivedClient>(
      present.map((id) => [id, deriveClient(history.get(id) ?? [], settings.lifecycle, sleepRule)]),
    );
    const expected = new Map(present.map((id) => [id, versions.get(id)!]));
    return {
      batch: guardedDerivationStatements(db, workspaceId, {
        expected,
        derived,
        now,
        foldKey: foldKey(settings.lifecycle),
      }),
      result: undefined,
    };
  });
}

/**
 * Re-derives every client of a workspace, a page at a time (each page its own atomic batch), after
 * a change of stage rules or a model fit. Runs from `waitUntil` or the nightly cron, never in a
 * request's critical path. Returns how many clients it went through.
 */
export async function restageWorkspace(
  db: D1Database,
  workspaceId: string,
  settings: Settings,
  now: string,
  sleepRule?: SleepRule,
): Promise<number> {
  let after = '';
  let done = 0;
  for (;;) {
    const ids = await withRetry(() => clientIdsAfter(db, workspaceId, after, CLIENTS_PER_STEP));
    if (ids.length === 0) return done;
    await rederiveClients(db, workspaceId, settings, ids, now, sleepRule);
    done += ids.length;
    after = ids.at(-1)!;
  }
}
