import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../schema/settings.ts';
import { runSnapshotToEnd, startSnapshot } from '../../worker/snapshots.ts';
import { sweepWorkspace } from '../../worker/sweep.ts';
import { seedPortfolio } from './seed-portfolio.ts';
import { createWorkspace, type Workspace } from './helpers.ts';
import { meteredCall } from './meter.ts';

/**
 * What a widget read costs, in rows read, on a small and a 20× larger portfolio of the same
 * shape: the rows must not grow with the number of clients.
 */
const SMALL = 1_000;
const LARGE = 20_000;
let small: Workspace;
let large: Workspace;

beforeAll(async () => {
  const now = new Date().toISOString();
  [small, large] = await Promise.all([createWorkspace(), createWorkspace()]);
  await seedPortfolio(env.DB, small.id, defaultSettings(), { from: 0, to: SMALL }, now);
  await seedPortfolio(env.DB, large.id, defaultSettings(), { from: 0, to: LARGE }, now);
  // The scheduled sweep brings the funnel's day histograms up to date, as the cron does.
  await Promise.all([sweepWorkspace(env.DB, small.id, now), sweepWorkspace(env.DB, large.id, now)]);
  // The snapshot job classifies both, as the cron does; as of mid-2024, when the synthetic
  // portfolio buys, so that every class and page is populated.
  for (const ws of [small, large]) {
    const settings = defaultSettings().segments;
    const asOf = '2024-07-01T00:00:00.000Z';
    await runSnapshotToEnd(env.DB, await startSnapshot(env.DB, ws.id, settings, { asOf, now }));
  }
}, 900_000);

const cost = async (path: string) => {
  const [a, b] = [
    await meteredCall(path, small.secretKey),
    await meteredCall(path, large.secretKey),
  ];
  expect(a.status, a.body).toBe(200);
  expect(b.status, b.body).toBe(200);
  return { small: a.rowsRead, large: b.rowsRead };
};

/**
 * What the funnel may read whatever the number of clients: its rollups have one row per stage and
 * day (or month) of history and per stage and whole number of days, so the bound comes from the
 * calendar the seeded histories span (2023-01 to this year, plus the sleeping and lost transitions
 * stored ahead), not from the clients: 3 instants × (months + 31 days) × 13 flow keys, plus
 * 3 histograms × 9 stages × the span in days.
 */
const spanDays = (Date.now() - Date.parse('2023-01-01')) / 86_400_000 + 2 * 365;
const FUNNEL_BOUND = Math.ceil(3 * (spanDays / 30 + 31) * 13 + 3 * 9 * spanDays);

/**
 * At a past asOf the medians come from the dyadic blocks (migration 0014): at most 22 blocks, each
 * a histogram with at most one row per stage, kind and day-valued key over the history, plus the
 * daily entries of every stage: 22 × 3 kinds × 9 stages × the span in days, plus the flows.
 */
const PAST_FUNNEL_BOUND = Math.ceil(3 * (spanDays / 30 + 31) * 13 + 22 * 3 * 9 * spanDays);

/** Segment conversion: (values + the workspace) × (one rollup row + one row per whole day). */
const CONVERSION_BOUND = Math.ceil(14 * (1 + spanDays) + 100);

/** Managers: the rollup rows of the attribute `manager`, the snapshot's row and a few lookups. */
const MANAGERS_BOUND = 100;

/**
 * What a class widget may read whatever the number of clients: the snapshot's row, its counts (a
 * row per cell, segment, type and stage: a few dozen) and one page of at most 100 clients, each
 * with its name (a lookup of one row), through the page's index.
 */
const CLASS_BOUND = 1 + 60 + 3 * 101;
/**
 * Portfolio health from the snapshot: its row (twice: the classes' state, the portfolio's sums),
 * its counts, the key clients and one page of tiers (at most 100 each, with their names), and
 * whether its few mono-clients are still there.
 */
const PORTFOLIO_BOUND = 2 + 60 + 2 * 2 * 101 + 10;
/** A list page of 50: its index rows and name lookups, plus the stage spells of its clients. */
const LIST_BOUND = 1_000;
/**
 * A profile: the client's row, spells, aggregates, periods and last events (twice the first
 * four: now and as of the snapshot), the snapshot's row (twice) and the client's row of it, the
 * value model. A few dozen rows for a client with a short history.
 */
const PROFILE_BOUND = 200;

describe('rows read per widget request', () => {
  for (const path of [
    '/v1/segments/abc-xyz',
    '/v1/segments/rfm',
    '/v1/segments/types',
    '/v1/segments/abc-xyz?limit=100',
  ]) {
    it(`${path} reads the snapshot, its counts and one page: the same bounded rows at 1,000 and at 20,000 clients`, async () => {
      const rows = await cost(path);
      expect(rows.small).toBeLessThan(CLASS_BOUND);
      expect(rows.large).toBeLessThan(CLASS_BOUND);
      expect(Math.abs(rows.large - rows.small), JSON.stringify(rows)).toBeLessThanOrEqual(10);
    });
  }

  for (const path of [
    '/v1/segments/abc-xyz?limit=50',
    '/v1/segments/rfm?limit=50',
    '/v1/clients?abc=B&limit=50',
    '/v1/clients?rfm=prospects&limit=50',
    '/v1/clients?sort=revenue&limit=50',
    '/v1/clients?sort=name&limit=50',
  ]) {
    it(`a later page of ${path} reads one more page, not the pages before it`, async () => {
      let cursor = '';
      let last = { rowsRead: 0, bySql: new Map<string, number>() };
      let first = 0;
      for (let page = 0; page < 3; page++) {
        const res = await meteredCall(`${path}${cursor}`, large.secretKey);
        expect(res.status, res.body).toBe(200);
        if (page === 0) first = res.rowsRead;
        last = res;
        const { nextCursor } = JSON.parse(res.body) as { nextCursor: string | null };
        expect(nextCursor).not.toBeNull();
        cursor = `&cursor=${encodeURIComponent(nextCursor!)}`;
      }
      // A list page also reads its clients' stage spells (about ten per client).
      expect(last.rowsRead, JSON.stringify([...last.bySql])).toBeLessThan(LIST_BOUND);
      // From page 2 on, a page is two index ranges (the rest of the cursor's value, then smaller
      // values) of at most a page each: never the pages before it.
      expect(last.rowsRead).toBeLessThanOrEqual(2 * first);
    });
  }

  it('the last page of the ABC list reads one page, not the clients without a class sorted after it', async () => {
    // The small portfolio: a few hundred clients with a class, more without one (no revenue in
    // the window), all of which sort after the last classified client.
    let cursor = '';
    for (let page = 0; ; page++) {
      const res = await meteredCall(`/v1/segments/abc-xyz?limit=100${cursor}`, small.secretKey);
      expect(res.status, res.body).toBe(200);
      expect(res.rowsRead, `page ${page}: ${JSON.stringify([...res.bySql])}`).toBeLessThan(
        CLASS_BOUND,
      );
      const { nextCursor } = JSON.parse(res.body) as { nextCursor: string | null };
      if (nextCursor === null) break;
      cursor = `&cursor=${encodeURIComponent(nextCursor)}`;
    }
  });

  for (const path of [
    '/v1/clients?manager=manager-3',
    '/v1/clients?manager=no-such-manager',
    '/v1/clients?sort=name',
    '/v1/clients?sort=revenue',
    '/v1/clients?sort=lastPurchase',
    '/v1/clients?abc=A',
    '/v1/clients?xyz=Z',
    '/v1/clients?rfm=dormant',
    '/v1/clients?type=sleeping',
    '/v1/clients?type=no-such-type',
  ]) {
    it(`the first page of ${path} reads one page through its index, at 1,000 as at 20,000 clients`, async () => {
      const rows = await cost(path);
      expect(rows.small).toBeLessThan(LIST_BOUND);
      expect(rows.large, JSON.stringify(rows)).toBeLessThan(LIST_BOUND);
    });
  }

  it('the stage filter now reads one page through the open spells, at 1,000 as at 20,000 clients, for every stage with clients', async () => {
    // The stages the small portfolio has clients in now (the large one is the same clients and more).
    const now = new Date().toISOString();
    const stages = (
      await env.DB.prepare(
        `SELECT DISTINCT stage FROM stage_spells WHERE workspace_id = ?1
           AND entered_at <= ?2 AND (left_at IS NULL OR left_at > ?2) ORDER BY stage`,
      )
        .bind(small.id, now)
        .all<{ stage: string }>()
    ).results.map((r) => r.stage);
    expect(stages.length).toBeGreaterThan(3);
    for (const stage of stages) {
      // Before migration 0026: 3,418 rows for "developing" at 1,000 clients, 68,826 at 20,000 (the
      // walk of every spell the stage ever had).
      const rows = await cost(`/v1/clients?stage=${stage}`);
      expect(rows.small, stage).toBeLessThan(LIST_BOUND);
      expect(rows.large, `${stage}: ${JSON.stringify(rows)}`).toBeLessThan(LIST_BOUND);
    }
  });

  it('a later page of the stage filter reads one more page, not the pages before it', async () => {
    let cursor = '';
    let first = 0;
    for (let page = 0; page < 3; page++) {
      const res = await meteredCall(`/v1/clients?stage=lost&limit=50${cursor}`, large.secretKey);
      expect(res.status, res.body).toBe(200);
      if (page === 0) first = res.rowsRead;
      else expect(res.rowsRead, JSON.stringify([...res.bySql])).toBeLessThanOrEqual(first + 10);
      const { nextCursor } = JSON.parse(res.body) as { nextCursor: string | null };
      expect(nextCursor).not.toBeNull();
      cursor = `&cursor=${encodeURIComponent(nextCursor!)}`;
    }
  });

  it("a client's profile reads its own rows and the snapshot's, not the portfolio, at 1,000 and 20,000 clients", async () => {
    // The same client in both workspaces (the synthetic portfolio is the same client by client).
    const rows = await cost('/v1/clients/c0000007');
    expect(rows.small).toBeLessThan(PROFILE_BOUND);
    expect(rows.large).toBeLessThan(PROFILE_BOUND);
    expect(Math.abs(rows.large - rows.small), JSON.stringify(rows)).toBeLessThanOrEqual(10);
    const profile = JSON.parse((await meteredCall('/v1/clients/c0000007', large.secretKey)).body);
    const snapshot = (await env.DB.prepare(
      "SELECT finished_at FROM snapshots WHERE workspace_id = ?1 AND status = 'done'",
    )
      .bind(large.id)
      .first<string>('finished_at'))!;
    expect(profile.computedAt).toBe(snapshot);
  });

  it('/v1/portfolio reads the snapshot, its counts, the key clients and one page of tiers: the same bounded rows at 1,000 and at 20,000 clients', async () => {
    const rows = await cost('/v1/portfolio');
    expect(rows.small).toBeLessThan(PORTFOLIO_BOUND);
    expect(rows.large).toBeLessThan(PORTFOLIO_BOUND);
    // The small portfolio has fewer key clients than a page (a handful), so it reads fewer; with
    // pages both fill, the two read the same rows.
    const [a, b] = [
      await meteredCall('/v1/portfolio?limit=2', small.secretKey),
      await meteredCall('/v1/portfolio?limit=2', large.secretKey),
    ];
    expect(
      Math.abs(a.rowsRead - b.rowsRead),
      JSON.stringify([[...a.bySql], [...b.bySql]]),
    ).toBeLessThanOrEqual(10);
    // And a later page of tiers costs one page, not the pages before it.
    let path = '/v1/portfolio?limit=50';
    let first = 0;
    for (let page = 0; page < 3; page++) {
      const res = await meteredCall(path, large.secretKey);
      expect(res.status, res.body).toBe(200);
      if (page === 0) first = res.rowsRead;
      else expect(res.rowsRead, JSON.stringify([...res.bySql])).toBeLessThanOrEqual(first + 10);
      const { tiers } = JSON.parse(res.body) as { tiers: { nextCursor: string | null } };
      expect(tiers.nextCursor).not.toBeNull();
      path = `/v1/portfolio?limit=50&cursor=${encodeURIComponent(tiers.nextCursor!)}`;
    }
  });

  it('the funnel (now) reads the same bounded rollup rows at 1,000 and at 20,000 clients, never the spells', async () => {
    const rows = await cost('/v1/lifecycle/funnel');
    expect(rows.small).toBeLessThan(FUNNEL_BOUND);
    expect(rows.large).toBeLessThan(FUNNEL_BOUND);
    // A scan reads every spell: about three per client.
    expect(rows.large).toBeLessThan(LARGE / 2);
  });

  it('the funnel at a past asOf (before the sweep, with a window) reads rollups under the same kind of bound at 1,000 and 20,000 clients', async () => {
    const rows = await cost(
      '/v1/lifecycle/funnel?asOf=2024-06-15T12:00:00Z&from=2024-01-01&to=2024-06-01',
    );
    expect(rows.small).toBeLessThan(PAST_FUNNEL_BOUND);
    expect(rows.large).toBeLessThan(PAST_FUNNEL_BOUND);
    // The medians used to scan every spell begun by asOf (717,760 rows at 20,000 clients); the
    // histograms fill up as clients are added but stay well below one row per spell.
    const spells = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM stage_spells WHERE workspace_id = ?1',
    )
      .bind(large.id)
      .first<number>('n');
    expect(rows.large).toBeLessThan(spells! / 2);
  });

  it('segment conversion reads one rollup row per value and per value and whole day, the same bound at 1,000 and 20,000 clients', async () => {
    for (const by of ['channel', 'manager', 'no-such-attribute']) {
      const rows = await cost(`/v1/segments/conversion?by=${by}`);
      // Values of the attribute (12 managers at most) and the workspace row, each with a histogram
      // of days to developed over the calendar, plus the transitions since the sweep.
      expect(rows.small, by).toBeLessThan(CONVERSION_BOUND);
      expect(rows.large, by).toBeLessThan(CONVERSION_BOUND);
    }
    const answer = await meteredCall('/v1/segments/conversion?by=channel', large.secretKey);
    expect(JSON.parse(answer.body).clients).toBe(LARGE);
  });

  it('managers read one rollup row per manager and a few rows per key client listed, at 1,000 and 20,000 clients, and answer as the on-the-spot classification', async () => {
    // The fixed part (12 managers' rollup rows, the snapshot's row) plus a few rows per key client
    // listed in the answer: the request costs its answer, not the portfolio.
    const keyClients = async (key: string) => {
      const body = JSON.parse((await meteredCall('/v1/managers', key)).body) as {
        managers: { keyClients: unknown[] }[];
        unassignedKeyClients: unknown[];
      };
      return body.managers.reduce(
        (n, m) => n + m.keyClients.length,
        body.unassignedKeyClients.length,
      );
    };
    const rows = await cost('/v1/managers');
    expect(rows.small).toBeLessThan(MANAGERS_BOUND + 3 * (await keyClients(small.secretKey)));
    expect(rows.large).toBeLessThan(MANAGERS_BOUND + 3 * (await keyClients(large.secretKey)));
    expect(rows.large).toBeLessThan(LARGE / 2);
    const fromRollups = JSON.parse((await meteredCall('/v1/managers', small.secretKey)).body) as {
      asOf: string;
    };
    const snapshotAsOf = (await env.DB.prepare(
      "SELECT as_of FROM snapshots WHERE workspace_id = ?1 AND status = 'done'",
    )
      .bind(small.id)
      .first<string>('as_of'))!;
    const onTheSpot = JSON.parse(
      (await meteredCall(`/v1/managers?asOf=${snapshotAsOf}`, small.secretKey)).body,
    ) as { asOf: string };
    expect({ ...fromRollups, asOf: snapshotAsOf }).toEqual(onTheSpot);
  });
});

describe('rows read when fewer clients have a class than a page holds', () => {
  // As the scale bench runs it: a snapshot as of today, when the synthetic portfolio (which buys
  // in 2023–2025) has a handful of clients with revenue in the last 12 months and thousands
  // without, who have no ABC class and sort after every classified one.
  beforeAll(async () => {
    const now = new Date().toISOString();
    for (const ws of [small, large]) {
      const settings = defaultSettings().segments;
      await runSnapshotToEnd(
        env.DB,
        await startSnapshot(env.DB, ws.id, settings, { asOf: now, now }),
      );
    }
  }, 900_000);

  it('the data has that shape: fewer classified clients than a page, the rest of the 20,000 without a class', async () => {
    const counts = (await env.DB.prepare(
      `SELECT SUM(abc IS NOT NULL) AS classified, SUM(abc IS NULL) AS unclassified FROM client_classes
       WHERE workspace_id = ?1 AND snapshot_id = (SELECT id FROM snapshots WHERE workspace_id = ?1 AND status = 'done' ORDER BY as_of DESC LIMIT 1)`,
    )
      .bind(large.id)
      .first<{ classified: number; unclassified: number }>())!;
    expect(counts.classified).toBeLessThan(100);
    expect(counts.unclassified).toBeGreaterThan(LARGE - 100);
  });

  for (const path of [
    '/v1/segments/abc-xyz',
    '/v1/segments/abc-xyz?limit=10',
    '/v1/segments/rfm',
    '/v1/segments/types',
  ]) {
    it(`${path} reads the same bounded rows at 1,000 and at 20,000 clients`, async () => {
      const rows = await cost(path);
      expect(rows.small).toBeLessThan(CLASS_BOUND);
      expect(rows.large, JSON.stringify(rows)).toBeLessThan(CLASS_BOUND);
    });
  }

  for (const path of [
    '/v1/portfolio',
    '/v1/clients?abc=A',
    '/v1/clients?xyz=Z',
    '/v1/clients?rfm=champions',
    '/v1/clients?type=golden',
    '/v1/clients/c0000007',
  ]) {
    it(`${path} reads its answer's rows, under the same bound at 1,000 and at 20,000 clients`, async () => {
      const rows = await cost(path);
      expect(rows.small).toBeLessThan(LIST_BOUND);
      expect(rows.large, JSON.stringify(rows)).toBeLessThan(LIST_BOUND);
    });
  }
});
