import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../schema/settings.ts';
import { runSnapshotToEnd, startSnapshot } from '../../worker/snapshots.ts';
import { call, callJson, createWorkspace, expectProblem, postEvents } from './helpers.ts';
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

const DAY = 86_400_000;

/** 30 clients buying over the last year (relative to now, so the default window holds them). */
function recentPortfolio() {
  const now = Date.now();
  const events: Record<string, unknown>[] = [];
  for (let c = 0; c < 30; c++) {
    const id = `c${String(c).padStart(2, '0')}`;
    events.push({
      id: `${id}-o`,
      clientId: id,
      type: 'outreach',
      at: new Date(now - 400 * DAY).toISOString(),
    });
    for (let k = 0; k < c % 6; k++)
      events.push({
        id: `${id}-p${k}`,
        clientId: id,
        type: 'purchase',
        at: new Date(now - (40 + ((c * 37 + k * 53) % 300)) * DAY).toISOString(),
        amount: 20 + ((c * 13 + k * 7) % 50) * 10,
      });
  }
  return events;
}

/** Every page of a list answer, following nextCursor. */
async function allPages(path: string, key: string) {
  const pages: any[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const url: string = cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path;
    const { status, body } = await callJson(url, { key });
    expect(status, JSON.stringify(body)).toBe(200);
    pages.push(body);
    cursor = body.nextCursor;
  } while (cursor !== null && pages.length < 50);
  return pages;
}

/** Waits for the queue to carry a run to its end (the consumer runs in the test's Worker). */
async function waitForSnapshot(id: string, key: string) {
  for (let i = 0; i < 400; i++) {
    const { body } = await callJson(`/v1/snapshots/${id}`, { key });
    if (body.status !== 'running') return body;
    await scheduler.wait(25);
  }
  throw new Error(`snapshot ${id} still running`);
}

describe('snapshots over HTTP', () => {
  it('POST starts a run through the queue; the widgets then answer from it, as the on-the-spot computation does at the same instant', async () => {
    const ws = await createWorkspace({ settings: { currency: 'EUR' } });
    expect((await postEvents(ws.secretKey, recentPortfolio())).status).toBe(200);

    // Before any snapshot, answers are computed on the spot and say so with this request's clock.
    const before = await callJson('/v1/segments/types', { key: ws.secretKey });
    expect(Date.now() - Date.parse(before.body.computedAt)).toBeLessThan(60_000);

    const started = await callJson('/v1/snapshots', { key: ws.secretKey, method: 'POST' });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ id: expect.stringMatching(/^snap_/), status: 'running' });
    const done = await waitForSnapshot(started.body.id, ws.secretKey);
    expect(done).toMatchObject({ status: 'done', kind: 'current', clients: 30, error: null });
    const asOf: string = done.asOf;

    const flat = (pages: any[]) => pages.flatMap((p) => p.clients);
    // ABC-XYZ: the snapshot's matrix and pages against the same window computed on the spot.
    const snap = await allPages('/v1/segments/abc-xyz?limit=4', ws.secretKey);
    const first = snap[0];
    expect(first.computedAt).toBe(done.computedAt);
    expect(first.currency).toBe('EUR');
    expect(first.clients).toHaveLength(4);
    const live = await allPages(
      `/v1/segments/abc-xyz?from=${first.from.slice(0, 7)}&to=${first.to.slice(0, 7)}&limit=7`,
      ws.secretKey,
    );
    expect(live[0].computedAt).not.toBe(done.computedAt);
    for (const field of ['matrix', 'cells', 'total', 'excluded', 'periods', 'thresholds'])
      expect(first[field], field).toEqual(live[0][field]);
    expect(flat(snap)).toEqual(flat(live));
    expect(flat(snap)[0].name).toBeNull();

    // RFM at the snapshot's instant.
    const rfmSnap = await allPages('/v1/segments/rfm?limit=8', ws.secretKey);
    const rfmLive = await allPages(`/v1/segments/rfm?asOf=${asOf}&limit=5`, ws.secretKey);
    expect(rfmSnap[0].segments).toEqual(rfmLive[0].segments);
    expect(flat(rfmSnap)).toEqual(flat(rfmLive));
    expect(flat(rfmSnap)).toHaveLength(30);

    // Type counts.
    const types = await callJson('/v1/segments/types', { key: ws.secretKey });
    const typesLive = await callJson(`/v1/segments/types?asOf=${asOf}`, { key: ws.secretKey });
    expect(types.body.computedAt).toBe(done.computedAt);
    expect(types.body.types).toEqual(typesLive.body.types);
    expect(types.body.clients).toBe(30);
  }, 60_000);

  it('GET of an unknown or another workspace’s snapshot is 404; POST needs the secret key', async () => {
    const [a, b] = await Promise.all([createWorkspace(), createWorkspace()]);
    const started = await callJson('/v1/snapshots', { key: a.secretKey, method: 'POST' });
    await expectProblem(await call(`/v1/snapshots/${started.body.id}`, { key: b.secretKey }), 404);
    await expectProblem(await call('/v1/snapshots/snap_nope', { key: a.secretKey }), 404);
    await expectProblem(
      await call('/v1/snapshots', { key: a.publishableKey, method: 'POST' }),
      403,
    );
    await waitForSnapshot(started.body.id, a.secretKey);
  });
});
