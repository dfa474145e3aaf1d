import { classifyAll } from '../core/segments/client-types.ts';
import { portfolio, portfolioParams } from '../core/segments/portfolio.ts';
import type { Settings } from '../schema/settings.ts';
import type { WebhookEventType } from '../schema/webhooks.ts';
import { loadAllSnapshots } from './db/clients.ts';
import { chunk } from './db/plan.ts';
import { withRetry } from './db/retry.ts';
import {
  listWebhooks,
  loadWatched,
  markWatchedStatement,
  type WatchChange,
  type WatchSubject,
  watchChangeStatements,
} from './db/webhooks.ts';

/** Changes per batch: each is at most two statements. */
const CHANGES_PER_BATCH = 40;

const EVENT_OF: Record<WatchSubject, WebhookEventType> = {
  types: 'client.types_changed',
  mono: 'portfolio.mono_client',
};

/**
 * Announces the changes no single write decides, because they are relative to the whole
 * portfolio: a client's types (`client.types_changed`, previous and current type lists) and a
 * client becoming or ceasing to be a mono-client (`portfolio.mono_client`, previous and current
 * true/false). Run nightly, only for workspaces with a webhook subscribed to either: classifies
 * the portfolio at `now`, compares with what was last seen (class_watch) and writes each
 * difference and its outbox messages in one batch. The first run of a workspace only records.
 * Erased clients are forgotten silently (nothing is announced about a client that is gone).
 */
export async function announceClassChanges(
  db: D1Database,
  workspaceId: string,
  settings: Settings,
  now: string,
): Promise<number> {
  const hooks = await withRetry(() => listWebhooks(db, workspaceId));
  const wanted = new Set(hooks.flatMap((h) => h.events));
  if (!wanted.has(EVENT_OF.types) && !wanted.has(EVENT_OF.mono)) return 0;

  const snapshots = await withRetry(() => loadAllSnapshots(db, workspaceId, now));
  const types = classifyAll(snapshots, settings.segments, now);
  const params = portfolioParams({}, settings.segments, settings.lifecycle.model, now);
  const mono = new Set(
    portfolio(snapshots, params, settings.segments)
      .warnings.filter((w) => w.code === 'mono_client')
      .map((w) => w.clientId!),
  );
  const current = new Map<WatchSubject, Map<string, string>>([
    [
      'types',
      new Map(
        [...types].map(([id, entries]) => [id, JSON.stringify(entries.map((e) => e.type).sort())]),
      ),
    ],
    ['mono', new Map([...mono].map((id) => [id, '1']))],
  ]);
  const present = new Set(snapshots.map((s) => s.id));
  const { watched, seen } = await withRetry(() => loadWatched(db, workspaceId));

  const changes: WatchChange[] = [];
  for (const subject of ['types', 'mono'] as const) {
    const was = seen.get(subject)!;
    const is = current.get(subject)!;
    const type = EVENT_OF[subject];
    const message = (clientId: string, previous: unknown, next: unknown, value: string) => ({
      type,
      dedup: `${clientId}|${value}|${now}`,
      payload: JSON.stringify({
        type,
        timestamp: now,
        data: { clientId, previous, current: next, at: now },
      }),
    });
    const parse = (v: string | undefined) => (v === undefined ? [] : (JSON.parse(v) as string[]));
    for (const [clientId, value] of is) {
      if (was.get(clientId) === value) continue;
      const announce = !watched
        ? null
        : subject === 'types'
          ? message(clientId, parse(was.get(clientId)), parse(value), value)
          : message(clientId, false, true, value);
      changes.push({ subject, clientId, value, announce });
    }
    for (const clientId of was.keys()) {
      if (is.has(clientId)) continue;
      // Gone from the portfolio: forget it; still here but no longer a mono-client: announce it.
      const announce =
        watched && subject === 'mono' && present.has(clientId)
          ? message(clientId, true, false, '0')
          : null;
      changes.push({ subject, clientId, value: null, announce });
    }
  }
  for (const part of chunk(changes, CHANGES_PER_BATCH))
    await withRetry(() =>
      db.batch(part.flatMap((c) => watchChangeStatements(db, workspaceId, c, now))),
    );
  if (!watched) await withRetry(() => markWatchedStatement(db, workspaceId).run());
  return changes.filter((c) => c.announce).length;
}
