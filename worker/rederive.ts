import type { ClientEvent } from '../schema/events.ts';
import { getClientVersions } from './db/clients.ts';
import {
  continueClient,
  deriveClient,
  type DerivedClient,
  foldKey,
  isAfter,
  withChangedMarks,
  withChangedPeriods,
  withChangedSpells,
} from '../core/lifecycle/derive.ts';
import type { SleepRule } from '../core/lifecycle/stages.ts';
import type { ClientAggregates } from '../schema/clients.ts';
import type { Settings } from '../schema/settings.ts';
import { getFoldInputs, isGuardConflict } from './db/derived.ts';
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
 * Derives the clients that new events touch. A client whose new events all come after everything
 * stored for it (the common case: events arrive roughly in time order) continues from its stored
 * fold, without reading its history; a client with an event in its past, or without a usable
 * fold, is replayed from all of its stored events plus the new ones. Either way the result is
 * what a replay of the whole history gives (core/lifecycle/derive.test.ts, rollups.test.ts),
 * narrowed to the marks (and, for a continuation, the spells and months) that differ from the
 * stored ones.
 */
export async function deriveTouched(
  db: D1Database,
  workspaceId: string,
  settings: Settings,
  fresh: ReadonlyMap<string, readonly ClientEvent[]>,
  sleepRule?: SleepRule,
): Promise<{
  expected: Map<string, number>;
  derived: Map<string, DerivedClient>;
  /** The stored aggregates of the clients continued from their fold (guardedDerivationStatements). */
  stored: Map<string, ClientAggregates>;
}> {
  const ids = [...fresh.keys()];
  const inputs = await withRetry(() =>
    getFoldInputs(db, workspaceId, ids, foldKey(settings.lifecycle)),
  );
  const derived = new Map<string, DerivedClient>();
  const stored = new Map<string, ClientAggregates>();
  const replay: string[] = [];
  for (const id of ids) {
    const input = inputs.get(id);
    const events = fresh.get(id)!;
    // A client not stored yet has no history to read: it is derived from its new events alone.
    if (!input) derived.set(id, deriveClient(events, settings.lifecycle, sleepRule));
    else if (input.fold && events.every((e) => isAfter(input.fold!, e))) {
      // The stored data (getFoldInputs puts it in the fold): what this write replaces.
      stored.set(id, input.fold.aggregates.a);
      derived.set(
        id,
        withChangedPeriods(
          withChangedSpells(
            withChangedMarks(
              continueClient(input.fold, events, settings.lifecycle, sleepRule),
              input.marks,
            ),
            // Read from the same fold's base, which is the continuation's spellBase.
            input.spells,
          ),
          // The fold's month bucket: the one a continuation's periods start from.
          input.fold.aggregates.periods,
        ),
      );
    } else replay.push(id);
  }
  if (replay.length > 0) {
    const history = await withRetry(() => loadEventsOf(db, workspaceId, replay));
    for (const id of replay)
      derived.set(
        id,
        withChangedMarks(
          deriveClient(
            [...(history.get(id) ?? []), ...fresh.get(id)!],
            settings.lifecycle,
            sleepRule,
          ),
          inputs.get(id)!.marks,
        ),
      );
  }
  return {
    expected: new Map(ids.map((id) => [id, inputs.get(id)?.version ?? -1])),
    derived,
    stored,
  };
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
