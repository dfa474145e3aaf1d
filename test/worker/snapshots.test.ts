import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../schema/settings.ts';
import { runSnapshotToEnd, startSnapshot } from '../../worker/snapshots.ts';
import { seedPortfolio } from './seed-portfolio.ts';
import { expectSnapshotMatchesScratch } from './snapshot-check.ts';

describe('the snapshot job', () => {
  it('classifies chunk by chunk exactly as the whole-portfolio classifiers do', async () => {
    const ws = 'snap-job-1';
    const settings = defaultSettings();
    const now = new Date().toISOString();
    await seedPortfolio(env.DB, ws, settings, { from: 0, to: 260 }, now, 100);
    // The synthetic portfolio buys in 2023–2024: classes as of mid-2024 have every class in play.
    const asOf = '2024-07-01T09:00:00.000Z';
    const first = await startSnapshot(env.DB, ws, settings.segments, { asOf, now, chunk: 37 });
    const { steps } = await runSnapshotToEnd(env.DB, first);
    // 260 clients in chunks of 37 (8 chunks): 8 measure steps and one that finds no more, the
    // edges, 8 classify steps and one that finishes.
    expect(steps).toBe(9 + 1 + 9);
    const run = await env.DB.prepare('SELECT status, clients FROM snapshots WHERE id = ?1')
      .bind(first.snapshotId)
      .first<{ status: string; clients: number }>();
    expect(run).toEqual({ status: 'done', clients: 260 });
    await expectSnapshotMatchesScratch(ws, first.snapshotId, settings.segments, asOf);
    // The comparison above is not vacuous: the portfolio has every ABC class and typed clients.
    const classes = await env.DB.prepare(
      'SELECT COUNT(DISTINCT abc) AS abc, (SELECT COUNT(*) FROM client_class_types WHERE snapshot_id = ?1) AS types FROM client_classes WHERE snapshot_id = ?1 AND abc IS NOT NULL',
    )
      .bind(first.snapshotId)
      .first<{ abc: number; types: number }>();
    expect(classes!.abc).toBe(3);
    expect(classes!.types).toBeGreaterThan(100);
  }, 60_000);
});
