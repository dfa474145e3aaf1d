import { sweepStatements, sweepStepEnd } from './db/rollups.ts';
import { withRetry } from './db/retry.ts';
import { timeDrivenOutboxStatement } from './db/webhooks.ts';

/** Transitions of each kind a sweep step moves at most: well inside D1's 30 s per query. */
export const SWEEP_STEP = 10_000;

/**
 * Brings a workspace's funnel day histograms and blocks up to `now` (see sweepStatements). Run by
 * the scheduled handler; between sweeps, reads add the transitions since the last one, so a sweep
 * only bounds how much they read, it never changes an answer. A workspace far behind (a bulk
 * import of years) is brought up in steps of at most `step` transitions, each one batch. Each
 * batch also puts in the webhook outbox the transitions the clock passed (clients falling asleep):
 * the sweep instant is what both read, so none is announced twice or missed.
 */
export async function sweepWorkspace(
  db: D1Database,
  workspaceId: string,
  now: string,
  step = SWEEP_STEP,
) {
  const toMs = Date.parse(now);
  for (;;) {
    const stepMs = await withRetry(() => sweepStepEnd(db, workspaceId, toMs, step));
    await withRetry(() =>
      db.batch([
        timeDrivenOutboxStatement(db, workspaceId, stepMs, now),
        ...sweepStatements(db, workspaceId, stepMs),
      ]),
    );
    if (stepMs >= toMs) return;
  }
}
