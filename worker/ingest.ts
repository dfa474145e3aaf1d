import { foldKey } from '../core/lifecycle/derive.ts';
import { stageModel } from '../core/lifecycle/models.ts';
import type { SleepRule } from '../core/lifecycle/stages.ts';
import type { ClientEvent, EventBatchResult } from '../schema/events.ts';
import type { Settings } from '../schema/settings.ts';
import { sha256Hex } from './crypto.ts';
import { guardedDerivationStatements, isGuardConflict } from './db/derived.ts';
import { findEventHashes, insertEventStatements, isDuplicateEventError } from './db/events.ts';
import { withRetry } from './db/retry.ts';
import { ApiError } from './problem.ts';
import { deriveTouched, guardedRederive } from './rederive.ts';

const MAX_ATTEMPTS = 6;

/** JSON with sorted keys: the same event always hashes the same, whatever its key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

interface Prepared {
  index: number;
  event: ClientEvent;
  body: string;
  hash: string;
}

export interface IngestOptions {
  now: string;
  sleepRule?: SleepRule;
}

/**
 * Stores a batch of validated events atomically and idempotently, and derives the stages and
 * aggregates of every client they touch: events later than everything stored for their client
 * are folded into its stored state; an event in a client's past replays the client's whole
 * history (so arrival order never matters, see deriveTouched). Concurrent writers are serialised by an optimistic version check inside the
 * batch: a loser re-reads and re-derives, so no derivation is ever lost.
 */
export async function ingestEvents(
  db: D1Database,
  workspaceId: string,
  settings: Settings,
  events: readonly ClientEvent[],
  options: IngestOptions,
): Promise<EventBatchResult> {
  const model = stageModel(settings.lifecycle.model);
  const badStages = events.flatMap((e, i) =>
    e.type === 'stage_override' && !model.stages.includes(e.stage)
      ? [
          {
            path: `events.${i}.stage`,
            message: `must be a stage of the ${model.name} model: ${model.stages.join(', ')}`,
          },
        ]
      : [],
  );
  if (badStages.length > 0)
    throw new ApiError(400, 'Invalid stage_override', { errors: badStages });

  const prepared: Prepared[] = await Promise.all(
    events.map(async (event, index) => {
      const body = canonicalJson(event);
      return { index, event, body, hash: await sha256Hex(body) };
    }),
  );

  // The same id twice in one batch: a harmless repeat if identical, a conflict otherwise.
  const unique = new Map<string, Prepared>();
  const conflicts: { path: string; message: string }[] = [];
  let duplicates = 0;
  for (const p of prepared) {
    const first = unique.get(p.event.id);
    if (!first) unique.set(p.event.id, p);
    else if (first.hash === p.hash) duplicates++;
    else
      conflicts.push({
        path: `events.${p.index}.id`,
        message: `repeats events.${first.index}.id with different content`,
      });
  }
  if (conflicts.length > 0)
    throw new ApiError(409, 'Event ids repeated with different content; nothing was stored', {
      errors: conflicts,
    });

  const committed = await guardedRederive(
    db,
    MAX_ATTEMPTS,
    async () => {
      const stored = await withRetry(() => findEventHashes(db, workspaceId, [...unique.keys()]));
      const fresh: Prepared[] = [];
      let storedDuplicates = 0;
      for (const p of unique.values()) {
        const hash = stored.get(p.event.id);
        if (hash === undefined) fresh.push(p);
        else if (hash === p.hash) storedDuplicates++;
        else
          conflicts.push({
            path: `events.${p.index}.id`,
            message: 'was already stored with different content',
          });
      }
      if (conflicts.length > 0)
        throw new ApiError(
          409,
          'Event ids already stored with different content; nothing was stored',
          { errors: conflicts },
        );
      const result = { accepted: fresh.length, duplicates: duplicates + storedDuplicates };
      if (fresh.length === 0) return { batch: null, result };

      const freshByClient = Map.groupBy(
        fresh.map((p) => p.event),
        (e) => e.clientId,
      );
      const touched = await deriveTouched(
        db,
        workspaceId,
        settings,
        freshByClient,
        options.sleepRule,
      );
      const batch = guardedDerivationStatements(db, workspaceId, {
        ...touched,
        now: options.now,
        foldKey: foldKey(settings.lifecycle),
        alongside: insertEventStatements(db, workspaceId, fresh, options.now),
      });
      return { batch, result };
    },
    // Another writer touched these clients (or stored the same events) first: derive again.
    (error) => isGuardConflict(error) || isDuplicateEventError(error),
  );
  if (committed) return committed.result;
  throw new ApiError(
    503,
    'Too many concurrent writes to the same clients; nothing was stored. Retry shortly.',
    { headers: { 'retry-after': '1' } },
  );
}
