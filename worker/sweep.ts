import { sweepStatements } from './db/rollups.ts';
import { withRetry } from './db/retry.ts';

/**
 * Brings a workspace's funnel day histograms up to `now` (see sweepStatements). Run by the
 * scheduled handler; between sweeps, reads add the transitions since the last one, so a sweep
 * only bounds how much they read, it never changes an answer.
 */
export async function sweepWorkspace(db: D1Database, workspaceId: string, now: string) {
  await withRetry(() => db.batch(sweepStatements(db, workspaceId, Date.parse(now))));
}
