import { deriveClient, type DerivedClient } from '../core/lifecycle/derive.ts';
import type { SleepRule } from '../core/lifecycle/stages.ts';
import type { Settings } from '../schema/settings.ts';
import { getClientVersions } from './db/clients.ts';
import { isGuardConflict, replaceDerivedStatements, versionGuardStatements } from './db/derived.ts';
import { loadEventsOf } from './db/events.ts';
import { chunk, placeholders } from './db/plan.ts';
import { withRetry } from './db/retry.ts';

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
  for (let attempt = 1; attempt <= 5; attempt++) {
    const [versions, history] = await withRetry(() =>
      Promise.all([
        getClientVersions(db, workspaceId, clientIds),
        loadEventsOf(db, workspaceId, clientIds),
      ]),
    );
    const present = clientIds.filter((id) => versions.has(id));
    const derived = new Map<string, DerivedClient>(
      present.map((id) => [id, deriveClient(history.get(id) ?? [], settings.lifecycle, sleepRule)]),
    );
    const statements = [
      ...versionGuardStatements(
        db,
        workspaceId,
        new Map(present.map((id) => [id, versions.get(id)!])),
      ),
      ...chunk(present, 97).map((part) =>
        db
          .prepare(
            `UPDATE clients SET version = version + 1, updated_at = ?2 WHERE workspace_id = ?1 AND id IN (${placeholders(part.length, 2)})`,
          )
          .bind(workspaceId, now, ...part),
      ),
      ...replaceDerivedStatements(db, workspaceId, derived),
    ];
    try {
      await withRetry(() => db.batch(statements));
      return;
    } catch (error) {
      if (!isGuardConflict(error)) throw error;
    }
  }
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
    const page = await withRetry(() =>
      db
        .prepare('SELECT id FROM clients WHERE workspace_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3')
        .bind(workspaceId, after, CLIENTS_PER_STEP)
        .all<{ id: string }>(),
    );
    const ids = page.results.map((r) => r.id);
    if (ids.length === 0) return done;
    await rederiveClients(db, workspaceId, settings, ids, now, sleepRule);
    done += ids.length;
    after = ids.at(-1)!;
  }
}
