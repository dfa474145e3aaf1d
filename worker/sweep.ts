import { sweepStatements } from './db/rollups.ts';
import { withRetry } from './db/retry.ts';
import { timeDrivenOutboxStatement } from './db/webhooks.ts';

/**
 * Brings a workspace's funnel day histograms up to `now` (see sweepStatements). Run by the
 * scheduled handler; between sweeps, reads add the transitions since the last one, so a sweep
 * only bounds how much they read, it never changes an answer. The same batch puts in the webhook
 * outbox the transitions the clock passed since the last sweep (clients falling asleep): the
 * sweep instant is what both read, so none is announced twice or missed.
 */
export async function sweepWorkspace(db: D1Database, workspaceId: string, now: string) {
  const toMs = Date.parse(now);
  await withRetry(() =>
    db.batch([
      timeDrivenOutboxStatement(db, workspaceId, toMs, now),
      ...sweepStatements(db, workspaceId, toMs),
    ]),
  );
}
