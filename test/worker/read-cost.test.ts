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
  // And the snapshot job classifies both, as the hourly cron does.
  for (const ws of [small, large])
    await runSnapshotToEnd(
      env.DB,
      await startSnapshot(env.DB, ws.id, defaultSettings().segments, { asOf: now, now }),
    );
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

describe('rows read per widget request', () => {
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

  it('managers read one rollup row per manager and one row per key client of the latest snapshot, the same at 1,000 and 20,000 clients, and answer as the on-the-spot classification', async () => {
    const rows = await cost('/v1/managers');
    // 12 managers, the snapshot's row and its key clients (none beyond a few percent of buyers).
    expect(rows.small).toBeLessThan(MANAGERS_BOUND + SMALL / 10);
    expect(rows.large).toBeLessThan(MANAGERS_BOUND + SMALL / 10);
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
