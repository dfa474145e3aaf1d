import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../schema/events.ts';
import { defaultSettings, type Settings } from '../../schema/settings.ts';
import { longestStep } from '../../worker/db/snapshots.ts';
import { eraseClientStatements } from '../../worker/erasure.ts';
import { ingestEvents } from '../../worker/ingest.ts';
import { dueSnapshots, runSnapshotToEnd, startSnapshot } from '../../worker/snapshots.ts';
import { call, callJson, createWorkspace, expectProblem, postEvents } from './helpers.ts';
import { seedPortfolio } from './seed-portfolio.ts';
import {
  expectCountsMatchRecount,
  expectPortfolioMatchesScratch,
  expectSnapshotMatchesScratch,
} from './snapshot-check.ts';

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
    // edges, 8 classify steps and one that finds no more, then the window's buyers the same way.
    const { buyers } = (await env.DB.prepare(
      'SELECT COUNT(*) AS buyers FROM client_classes WHERE snapshot_id = ?1 AND window_revenue > 0',
    )
      .bind(first.snapshotId)
      .first<{ buyers: number }>())!;
    expect(buyers).toBeGreaterThan(37);
    expect(steps).toBe(9 + 1 + 9 + Math.ceil(buyers / 37) + 1);
    const run = await env.DB.prepare('SELECT status, clients FROM snapshots WHERE id = ?1')
      .bind(first.snapshotId)
      .first<{ status: string; clients: number }>();
    expect(run).toEqual({ status: 'done', clients: 260 });
    // The run keeps its longest step: a step of the run, with at most a chunk of clients.
    const longest = await longestStep(env.DB, ws, first.snapshotId);
    expect(longest).not.toBeNull();
    expect(['measure', 'edges', 'classify', 'portfolio']).toContain(longest!.step);
    expect(longest!.ms).toBeGreaterThanOrEqual(0);
    expect(longest!.clients ?? 0).toBeLessThanOrEqual(37);
    await expectSnapshotMatchesScratch(ws, first.snapshotId, settings.segments, asOf);
    // The comparison above is not vacuous: the portfolio has every ABC class and typed clients.
    const classes = await env.DB.prepare(
      'SELECT COUNT(DISTINCT abc) AS abc, (SELECT COUNT(*) FROM client_class_types WHERE snapshot_id = ?1) AS types FROM client_classes WHERE snapshot_id = ?1 AND abc IS NOT NULL',
    )
      .bind(first.snapshotId)
      .first<{ abc: number; types: number }>();
    expect(classes!.abc).toBe(3);
    expect(classes!.types).toBeGreaterThan(100);
    // Portfolio health from the snapshot equals portfolio() over every client at its instant;
    // not vacuous either: more than one tier, key clients and several chunks of buyers.
    const scratch = await expectPortfolioMatchesScratch(
      ws,
      first.snapshotId,
      settings.segments,
      asOf,
      settings.lifecycle.model,
    );
    expect(Object.values(scratch.tiers.counts).filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(scratch.keyClients.length).toBeGreaterThan(0);
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

    // Portfolio health: the snapshot's answer and its tier pages against the same instant on the spot.
    const tierPages = async (path: string) => {
      const pages: any[] = [];
      let cursor: string | null = null;
      do {
        const url: string = cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path;
        const { status, body } = await callJson(url, { key: ws.secretKey });
        expect(status, JSON.stringify(body)).toBe(200);
        pages.push(body);
        cursor = body.tiers.nextCursor;
      } while (cursor !== null && pages.length < 50);
      return pages;
    };
    const health = await tierPages('/v1/portfolio?limit=4');
    const healthLive = await tierPages(`/v1/portfolio?asOf=${asOf}&limit=6`);
    expect(health[0].computedAt).toBe(done.computedAt);
    expect(healthLive[0].computedAt).not.toBe(done.computedAt);
    expect(health[0].currency).toBe('EUR');
    expect(health[0].tiers.clients).toHaveLength(4);
    const { tiers: t1, keyClients: k1, computedAt: _c1, ...figures } = health[0];
    const { tiers: t2, keyClients: k2, computedAt: _c2, ...figuresLive } = healthLive[0];
    expect(figures).toEqual(figuresLive);
    expect(t1.counts).toEqual(t2.counts);
    expect(k1).toEqual(k2.slice(0, 4));
    const tierList = (pages: any[]) => pages.flatMap((p) => p.tiers.clients);
    expect(tierList(health)).toEqual(tierList(healthLive));
    expect(tierList(health)).toHaveLength(figures.buyers);

    // A profile reads its classes from the snapshot: the same ABC, XYZ and RFM as the answers at
    // the snapshot's instant, the types the job stored (with their reasons), and its computedAt.
    const abcOf = new Map(flat(live).map((c) => [c.id, c]));
    const stored = await env.DB.prepare(
      'SELECT client_id, type FROM client_class_types WHERE workspace_id = ?1 AND snapshot_id = ?2',
    )
      .bind(ws.id, started.body.id)
      .all<{ client_id: string; type: string }>();
    for (const c of flat(rfmLive)) {
      const profile = await callJson(`/v1/clients/${c.id}`, { key: ws.secretKey });
      expect(profile.status).toBe(200);
      expect(profile.body.computedAt).toBe(done.computedAt);
      expect(profile.body.abc, c.id).toBe(abcOf.get(c.id)?.abc ?? null);
      expect(profile.body.xyz, c.id).toBe(abcOf.get(c.id)?.xyz ?? null);
      expect(profile.body.rfm, c.id).toEqual({ r: c.r, f: c.f, m: c.m, segment: c.segment });
      const types = stored.results.filter((t) => t.client_id === c.id).map((t) => t.type);
      expect(profile.body.types.map((t: { type: string }) => t.type).sort(), c.id).toEqual(
        types.sort(),
      );
      for (const t of profile.body.types) expect(t.reasons.length, c.id).toBeGreaterThan(0);
    }
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

const T0 = Date.parse('2024-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const CLIENTS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const eventArb = fc.record({
  clientId: fc.constantFrom(...CLIENTS),
  type: fc.constantFrom('outreach', 'response', 'purchase', 'purchase', 'purchase', 'referral'),
  at: fc.integer({ min: 0, max: 500 * 24 }).map((h) => iso(T0 + h * 3_600_000)),
});
const opArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(eventArb, { minLength: 1, maxLength: 8 })
      .map((events) => ({ op: 'ingest' as const, events })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...CLIENTS).map((client) => ({ op: 'erase' as const, client })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        a: fc.constantFrom(0.5, 0.8),
        windowMonths: fc.constantFrom(3, 12),
        topShare: fc.constantFrom(0, 0.2, 0.5),
      })
      .map((segments) => ({ op: 'settings' as const, segments })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({ day: fc.integer({ min: 0, max: 560 }), chunk: fc.integer({ min: 1, max: 4 }) })
      .map((s) => ({ op: 'snapshot' as const, ...s })),
  },
);

describe('snapshot classes and counts (property)', () => {
  it('after any ingests, erasures, settings changes and snapshot runs, a run’s classes equal a from-scratch classification and every kept snapshot’s counts equal a recount', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 8 }), async (ops) => {
        const ws = `snap-prop-${run++}`;
        let settings: Settings = defaultSettings();
        let n = 0;
        for (const op of ops) {
          if (op.op === 'ingest') {
            const events = op.events.map((e) => ({
              id: `e${n++}`,
              ...e,
              ...(e.type === 'purchase'
                ? { amount: 10 + (n % 7) * 12.37, margin: (n % 5) - 1 }
                : {}),
            })) as ClientEvent[];
            await ingestEvents(env.DB, ws, settings, events, { now: iso(T0) });
          } else if (op.op === 'erase') {
            await env.DB.batch(eraseClientStatements(env.DB, ws, op.client));
          } else if (op.op === 'settings') {
            const s = settings.segments;
            settings = {
              ...settings,
              segments: {
                ...s,
                windowMonths: op.segments.windowMonths,
                abc: { ...s.abc, a: op.segments.a, b: Math.max(op.segments.a, s.abc.b) },
                keyClients: { ...s.keyClients, topShare: op.segments.topShare },
              },
            };
          } else {
            const asOf = iso(T0 + op.day * DAY + 3_600_000);
            const first = await startSnapshot(env.DB, ws, settings.segments, {
              asOf,
              now: asOf,
              chunk: op.chunk,
            });
            await runSnapshotToEnd(env.DB, first);
            await expectSnapshotMatchesScratch(ws, first.snapshotId, settings.segments, asOf);
          }
        }
        const kept = await env.DB.prepare('SELECT id FROM snapshots WHERE workspace_id = ?1')
          .bind(ws)
          .all<{ id: string }>();
        for (const { id } of kept.results) await expectCountsMatchRecount(ws, id);
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});

describe('GET /v1/clients: filters and sorts', () => {
  it('filters by class and type (from the snapshot) and by manager, and sorts by name, revenue or last purchase with keyset pages', async () => {
    const ws = await createWorkspace();
    expect((await postEvents(ws.secretKey, recentPortfolio())).status).toBe(200);
    for (const [id, name, manager] of [
      ['c01', 'Zeta', 'olga'],
      ['c02', 'Alpha', 'olga'],
      ['c03', 'Mu', 'ivan'],
    ])
      await call(`/v1/clients/${id}`, {
        key: ws.secretKey,
        method: 'PUT',
        body: { name, attributes: { manager } },
      });
    // Class filters need a snapshot.
    await expectProblem(await call('/v1/clients?abc=A', { key: ws.secretKey }), 409);
    const started = await callJson('/v1/snapshots', { key: ws.secretKey, method: 'POST' });
    await waitForSnapshot(started.body.id, ws.secretKey);

    const ids = async (query: string) =>
      (await allPages(`/v1/clients?limit=4&${query}`, ws.secretKey)).flatMap((p) =>
        p.data.map((c: { id: string }) => c.id),
      );
    const matrix = await allPages('/v1/segments/abc-xyz?limit=100', ws.secretKey);
    const classed = matrix.flatMap((p) => p.clients);
    for (const abc of ['A', 'B', 'C'])
      expect(await ids(`abc=${abc}`), abc).toEqual(
        classed
          .filter((c) => c.abc === abc)
          .map((c) => c.id)
          .sort(),
      );
    expect(await ids('abc=A&xyz=Z')).toEqual(
      classed
        .filter((c) => c.abc === 'A' && c.xyz === 'Z')
        .map((c) => c.id)
        .sort(),
    );
    const rfmClients = (await allPages('/v1/segments/rfm?limit=100', ws.secretKey)).flatMap(
      (p) => p.clients,
    );
    expect(await ids('rfm=prospects')).toEqual(
      rfmClients
        .filter((c) => c.segment === 'prospects')
        .map((c) => c.id)
        .sort(),
    );
    const typed = await env.DB.prepare(
      'SELECT type, client_id FROM client_class_types WHERE snapshot_id = ?1 ORDER BY client_id',
    )
      .bind(started.body.id)
      .all<{ type: string; client_id: string }>();
    const someType = typed.results[0]!.type;
    expect(await ids(`type=${someType}`)).toEqual(
      typed.results.filter((t) => t.type === someType).map((t) => t.client_id),
    );
    expect(await ids('manager=olga')).toEqual(['c01', 'c02']);
    expect(await ids('manager=olga&abc=C')).toEqual(
      ['c01', 'c02'].filter((id) => classed.some((c) => c.id === id && c.abc === 'C')),
    );

    // Sorts (unfiltered lists only).
    const byName = await ids('sort=name');
    expect(byName.slice(-3)).toEqual(['c02', 'c03', 'c01']);
    expect(byName).toHaveLength(30);
    const byRevenue = await ids('sort=revenue');
    expect(byRevenue).toHaveLength(30);
    expect(new Set(byRevenue).size).toBe(30);
    const revenue = new Map(rfmClients.map((c) => [c.id, c.monetary as number]));
    const revenues = byRevenue.map((id) => revenue.get(id)!);
    expect(revenues).toEqual([...revenues].sort((a, b) => b - a));
    const byLast = await ids('sort=lastPurchase');
    expect(new Set(byLast).size).toBe(30);
    // Buyers (latest purchase first), then the five clients that never bought.
    expect(byLast.slice(-5).sort()).toEqual(
      rfmClients
        .filter((c) => c.segment === 'prospects')
        .map((c) => c.id)
        .sort(),
    );
    const recency = byLast
      .slice(0, -5)
      .map((id) => rfmClients.find((c) => c.id === id)!.recencyDays);
    expect(recency).toEqual([...recency].sort((a, b) => a - b));

    await expectProblem(await call('/v1/clients?abc=A&sort=name', { key: ws.secretKey }), 400, [
      'sort',
    ]);
    await expectProblem(await call('/v1/clients?abc=Q', { key: ws.secretKey }), 400, ['abc']);
    await expectProblem(await call('/v1/clients?sort=size', { key: ws.secretKey }), 400, ['sort']);
  }, 60_000);
});

describe('the hourly cron', () => {
  it('starts a run when segments.snapshotEveryHours have passed, and one month-end run a month', async () => {
    const ws = await createWorkspace({ settings: { segments: { snapshotEveryHours: 3 } } });
    const now = Date.parse('2026-12-01T04:47:00.000Z');
    const due = async (ms: number) =>
      (await dueSnapshots(env.DB, iso(ms))).filter((m) => m.workspaceId === ws.id);
    const kinds = async (messages: { snapshotId: string }[]) =>
      Promise.all(
        messages.map(async (m) => {
          const run = await callJson(`/v1/snapshots/${m.snapshotId}`, { key: ws.secretKey });
          return [run.body.kind, run.body.asOf];
        }),
      );
    expect(await kinds(await due(now))).toEqual([
      ['current', iso(now)],
      ['month_end', '2026-12-01T00:00:00.000Z'],
    ]);
    expect(await due(now + 3_600_000)).toEqual([]);
    expect(await kinds(await due(now + 3 * 3_600_000))).toEqual([
      ['current', iso(now + 3 * 3_600_000)],
    ]);
    // The next month brings the next month-end run.
    const january = Date.parse('2027-01-01T00:47:00.000Z');
    expect((await kinds(await due(january))).map(([kind]) => kind)).toEqual([
      'current',
      'month_end',
    ]);
  });
});
