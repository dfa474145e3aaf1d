import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { funnelMarks } from '../../core/lifecycle/marks.ts';
import { stageModel } from '../../core/lifecycle/models.ts';
import type { ClientEvent } from '../../schema/events.ts';
import type { Stage, StageModelName } from '../../schema/lifecycle.ts';
import { defaultSettings, type Settings } from '../../schema/settings.ts';
import { histogramMedian } from '../../core/lifecycle/funnel.ts';
import { funnelCounts } from '../../worker/db/funnel.ts';
import { pastDayCounts } from '../../worker/db/rollups.ts';
import { conversionAnswer, segmentConversion } from '../../core/segments/conversion.ts';
import { getClient, loadAllSnapshots, upsertClientStatements } from '../../worker/db/clients.ts';
import { PENDING_TABLES } from '../../worker/db/pending.ts';
import { segmentFigures } from '../../worker/db/segment-rollups.ts';
import { eraseClientStatements } from '../../worker/erasure.ts';
import { ingestEvents } from '../../worker/ingest.ts';
import { restageWorkspace } from '../../worker/restage.ts';
import { sweepWorkspace } from '../../worker/sweep.ts';
import { purchase } from './helpers.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const dn = (ms: number) => Math.floor(ms / DAY);

interface Spell {
  client: string;
  seq: number;
  stage: Stage;
  e: number;
  x: number | null;
}

const rows = async <T>(sql: string, ...params: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...params)
      .all<T>()
  ).results;

const sorted = <T>(list: T[]) => list.map((r) => JSON.stringify(r)).sort();

/** The rollup tables against a recount from the per-client rows they summarise. */
async function expectRollupsMatchRecount(ws: string, model: StageModelName) {
  const spells = (
    await rows<{
      client_id: string;
      seq: number;
      stage: Stage;
      entered_ms: number;
      left_ms: number | null;
    }>(
      'SELECT client_id, seq, stage, entered_ms, left_ms FROM stage_spells WHERE workspace_id = ?1',
      ws,
    )
  ).map((r): Spell => ({
    client: r.client_id,
    seq: r.seq,
    stage: r.stage,
    e: r.entered_ms,
    x: r.left_ms,
  }));
  const marks = await rows<{
    client_id: string;
    kind: string;
    stage: string;
    at_ms: number;
    days: number;
  }>('SELECT client_id, kind, stage, at_ms, days FROM client_marks WHERE workspace_id = ?1', ws);

  // Marks: what funnelMarks makes of each client's stored spells.
  const byClient = Map.groupBy(spells, (s) => s.client);
  const expectedMarks = [...byClient].flatMap(([client, list]) =>
    funnelMarks(
      list
        .sort((a, b) => a.seq - b.seq)
        .map((s) => ({
          stage: s.stage,
          enteredAt: iso(s.e),
          leftAt: s.x === null ? null : iso(s.x),
          eventId: null,
        })),
      stageModel(model),
    ).map((m) => ({
      client_id: client,
      kind: m.kind,
      stage: m.stage,
      at_ms: m.atMs,
      days: m.days,
    })),
  );
  expect(sorted(marks)).toEqual(sorted(expectedMarks));

  // Flows per day and month.
  const flows = new Map<string, { entries: number; exits: number }>();
  const bump = (key: string, field: 'entries' | 'exits') => {
    const f = flows.get(key) ?? { entries: 0, exits: 0 };
    f[field] += 1;
    flows.set(key, f);
  };
  for (const s of spells) {
    bump(`d|${iso(s.e).slice(0, 10)}|${s.stage}`, 'entries');
    bump(`m|${iso(s.e).slice(0, 7)}|${s.stage}`, 'entries');
    if (s.x !== null) {
      bump(`d|${iso(s.x).slice(0, 10)}|${s.stage}`, 'exits');
      bump(`m|${iso(s.x).slice(0, 7)}|${s.stage}`, 'exits');
    }
  }
  const storedFlows = await rows<{
    grain: string;
    bucket: string;
    stage: string;
    entries: number;
    exits: number;
  }>(
    'SELECT grain, bucket, stage, entries, exits FROM stage_flows WHERE workspace_id = ?1 AND (entries <> 0 OR exits <> 0)',
    ws,
  );
  expect(
    new Map(
      storedFlows.map((r) => [
        `${r.grain}|${r.bucket}|${r.stage}`,
        { entries: r.entries, exits: r.exits },
      ]),
    ),
  ).toEqual(flows);

  const markFlows = new Map<string, number>();
  for (const m of marks)
    for (const key of [`d|${iso(m.at_ms).slice(0, 10)}`, `m|${iso(m.at_ms).slice(0, 7)}`])
      markFlows.set(
        `${key}|${m.kind}|${m.stage}`,
        (markFlows.get(`${key}|${m.kind}|${m.stage}`) ?? 0) + 1,
      );
  const storedMarkFlows = await rows<{
    grain: string;
    bucket: string;
    kind: string;
    stage: string;
    n: number;
  }>('SELECT grain, bucket, kind, stage, n FROM mark_flows WHERE workspace_id = ?1 AND n <> 0', ws);
  expect(
    new Map(storedMarkFlows.map((r) => [`${r.grain}|${r.bucket}|${r.kind}|${r.stage}`, r.n])),
  ).toEqual(markFlows);

  // Day histograms as of the sweep instant.
  const clock =
    (
      await rows<{ swept_ms: number }>(
        'SELECT swept_ms FROM rollup_clocks WHERE workspace_id = ?1',
        ws,
      )
    )[0]?.swept_ms ?? -1;
  const days = new Map<string, number>();
  const add = (key: string) => days.set(key, (days.get(key) ?? 0) + 1);
  for (const s of spells) {
    if (s.x !== null && s.x <= clock) add(`stay|${s.stage}|${dn(s.x) - dn(s.e)}`);
    else if (s.e <= clock) add(`open|${s.stage}|${dn(s.e)}`);
  }
  for (const m of marks)
    if (m.kind === 'first' && m.stage !== '*' && m.at_ms <= clock)
      add(`reach|${m.stage}|${m.days}`);
  const storedDays = await rows<{ kind: string; stage: string; days: number; n: number }>(
    'SELECT kind, stage, days, n FROM stage_days WHERE workspace_id = ?1 AND n <> 0',
    ws,
  );
  expect(new Map(storedDays.map((r) => [`${r.kind}|${r.stage}|${r.days}`, r.n]))).toEqual(days);

  // Dyadic blocks: every closed spell and first entry up to the sweep instant, once per level where
  // the block of its day is even.
  const shift = (ms: number) => Math.trunc(ms / DAY) + 719_528;
  const blocks = new Map<string, number>();
  const put = (day: number, kind: string, stage: string, key: number) => {
    for (let k = 0; k < 22; k++) {
      if (Math.floor(day / 2 ** k) % 2 === 1) continue;
      const id = `${k}|${Math.floor(day / 2 ** k)}|${kind}|${stage}|${key}`;
      blocks.set(id, (blocks.get(id) ?? 0) + 1);
    }
  };
  for (const s of spells)
    if (s.x !== null && s.x <= clock) {
      put(shift(s.x), 'stay', s.stage, dn(s.x) - dn(s.e));
      put(shift(s.x), 'gone', s.stage, shift(s.e));
    }
  for (const m of marks)
    if (m.kind === 'first' && m.stage !== '*' && m.at_ms <= clock)
      put(shift(m.at_ms), 'reach', m.stage, m.days);
  const storedBlocks = await rows<{
    level: number;
    block: number;
    kind: string;
    stage: string;
    key: number;
    n: number;
  }>(
    'SELECT level, block, kind, stage, key, n FROM stage_day_blocks WHERE workspace_id = ?1 AND n <> 0',
    ws,
  );
  expect(
    new Map(storedBlocks.map((r) => [`${r.level}|${r.block}|${r.kind}|${r.stage}|${r.key}`, r.n])),
  ).toEqual(blocks);

  // Workspace totals.
  const aggregates = await rows<{ orders: number; revenue: number }>(
    'SELECT orders, revenue FROM client_aggregates WHERE workspace_id = ?1',
    ws,
  );
  const totals = (
    await rows<{
      clients: number;
      buyers: number;
      orders: number;
      revenue_cents: number;
      revenue_sq: number;
    }>(
      'SELECT clients, buyers, orders, revenue_cents, revenue_sq FROM workspace_totals WHERE workspace_id = ?1',
      ws,
    )
  )[0] ?? { clients: 0, buyers: 0, orders: 0, revenue_cents: 0, revenue_sq: 0 };
  const { revenue_sq: sq, ...exact } = totals;
  expect(exact).toEqual({
    clients: aggregates.length,
    buyers: aggregates.filter((a) => a.orders > 0).length,
    orders: aggregates.reduce((n, a) => n + a.orders, 0),
    revenue_cents: aggregates.reduce((n, a) => n + Math.round(a.revenue * 100), 0),
  });
  expect(sq).toBeCloseTo(
    aggregates.reduce((n, a) => n + a.revenue ** 2, 0),
    6,
  );
  return spells;
}

/** The segment rollups against a recount from every client's snapshot at the sweep instant. */
async function expectSegmentsMatchRecount(ws: string) {
  const clock =
    (
      await rows<{ swept_ms: number }>(
        'SELECT swept_ms FROM rollup_clocks WHERE workspace_id = ?1',
        ws,
      )
    )[0]?.swept_ms ?? -1;
  const snapshots = await loadAllSnapshots(env.DB, ws, iso(clock));
  const expected = new Map<string, number[]>();
  const expectedDays = new Map<string, number>();
  for (const s of snapshots) {
    const a = s.aggregates;
    const acquired = a.firstPurchaseAt !== null;
    const dev =
      acquired && a.firstDevelopedAt !== null
        ? (Date.parse(a.firstDevelopedAt.slice(0, 10)) -
            Date.parse(a.firstPurchaseAt!.slice(0, 10))) /
          DAY
        : null;
    const gone = s.stage === 'sleeping' || s.stage === 'lost' || s.stage === 're_engagement';
    const figures = [
      1,
      acquired ? 1 : 0,
      dev === null ? 0 : 1,
      acquired && a.orders === 1 && gone ? 1 : 0,
      acquired ? Math.round(a.revenue * 100) : 0,
    ];
    const keys = ['||'].concat(
      Object.entries(s.attributes)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) =>
          typeof v === 'object'
            ? `${k}|json|${JSON.stringify(v)}`
            : `${k}|${typeof v}|${String(v as string | number | boolean)}`,
        ),
    );
    for (const key of keys) {
      const sum = expected.get(key) ?? [0, 0, 0, 0, 0];
      expected.set(
        key,
        sum.map((x, i) => x + figures[i]!),
      );
      if (dev !== null)
        expectedDays.set(`${key}|${dev}`, (expectedDays.get(`${key}|${dev}`) ?? 0) + 1);
    }
  }
  const stored = await rows<{
    attr: string;
    kind: string;
    value: string | number;
    clients: number;
    acquired: number;
    developed: number;
    vanished: number;
    revenue_cents: number;
  }>(
    `SELECT attr, kind, value, clients, acquired, developed, vanished, revenue_cents FROM segment_rollups
     WHERE workspace_id = ?1 AND (clients <> 0 OR acquired <> 0 OR developed <> 0 OR vanished <> 0 OR revenue_cents <> 0)`,
    ws,
  );
  const text = (kind: string, value: string | number) =>
    kind === 'boolean' ? String(value === 1) : String(value);
  expect(
    new Map(
      stored.map((r) => [
        `${r.attr}|${r.kind}|${text(r.kind, r.value)}`,
        [r.clients, r.acquired, r.developed, r.vanished, r.revenue_cents],
      ]),
    ),
  ).toEqual(expected);
  const storedDays = await rows<{
    attr: string;
    kind: string;
    value: string | number;
    days: number;
    n: number;
  }>('SELECT attr, kind, value, days, n FROM segment_days WHERE workspace_id = ?1 AND n <> 0', ws);
  expect(
    new Map(storedDays.map((r) => [`${r.attr}|${r.kind}|${text(r.kind, r.value)}|${r.days}`, r.n])),
  ).toEqual(expectedDays);
}

const median = (values: number[]) => {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  return (v[Math.floor((v.length + 1) / 2) - 1]! + v[Math.floor((v.length + 2) / 2) - 1]!) / 2;
};

/** The funnel's counts and medians recomputed from every spell, the way the definitions read. */
function recountFunnel(
  spells: Spell[],
  path: readonly Stage[],
  asOf: number,
  from: number,
  to: number,
) {
  const seen = spells.filter((s) => s.e <= asOf);
  const stages = [...new Set(seen.map((s) => s.stage))];
  const firstOf = new Map<string, number>();
  for (const s of seen) firstOf.set(s.client, Math.min(firstOf.get(s.client) ?? Infinity, s.e));
  const counts = new Map(
    stages.map((stage) => {
      const own = seen.filter((s) => s.stage === stage);
      const firstIn = new Map<string, number>();
      for (const s of own) firstIn.set(s.client, Math.min(firstIn.get(s.client) ?? Infinity, s.e));
      return [
        stage,
        {
          current: own.filter((s) => s.x === null || s.x > asOf).length,
          entered: own.filter((s) => s.e >= from && s.e < to).length,
          ever: firstIn.size,
          medianDays: median(own.map((s) => dn(Math.min(s.x ?? asOf, asOf)) - dn(s.e))),
          cumulativeMedianDays: median([...firstIn].map(([c, e]) => dn(e) - dn(firstOf.get(c)!))),
        },
      ];
    }),
  );
  const furthest = new Map<Stage, number>(path.map((s) => [s, 0]));
  for (const client of firstOf.keys()) {
    const rank = Math.max(
      ...seen.filter((s) => s.client === client).map((s) => path.indexOf(s.stage)),
    );
    if (rank >= 0) furthest.set(path[rank]!, furthest.get(path[rank]!)! + 1);
  }
  return { counts, furthest, total: firstOf.size };
}

const CLIENTS = ['a', 'b', 'c', 'd', 'e'];
const eventArb = fc.record({
  clientId: fc.constantFrom(...CLIENTS),
  type: fc.constantFrom('outreach', 'response', 'purchase', 'purchase'),
  at: fc.integer({ min: 0, max: 500 * 24 }).map((h) => iso(T0 + h * 3_600_000)),
});
const opArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(eventArb, { minLength: 1, maxLength: 6 })
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
        model: fc.constantFrom<StageModelName>('portfolio', 'clc6'),
        sleepingAfterDays: fc.integer({ min: 20, max: 120 }),
      })
      .map((lifecycle) => ({ op: 'settings' as const, lifecycle })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        client: fc.constantFrom(...CLIENTS),
        channel: fc.constantFrom<unknown>(undefined, null, 'web', 'ads', '1', 1, true, { a: 1 }),
        manager: fc.constantFrom<unknown>(undefined, 'olga', ' ', 5, 'ivan'),
      })
      .map(({ client, ...values }) => ({
        op: 'attributes' as const,
        client,
        attributes: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)),
      })),
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 700 }).chain((day) =>
      // Steps of one transition up to one sweep in one batch (worker/sweep.ts).
      fc
        .integer({ min: 1, max: 40 })
        .map((step) => ({ op: 'sweep' as const, at: T0 + day * DAY + 3_600_000, step })),
    ),
  },
);

describe('funnel and segment rollups', () => {
  it('equal a recount from the per-client rows after any ingests, attribute changes, erasures, settings changes and sweeps, and so do the funnel and segment conversion answers', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 8 }), async (ops) => {
        const ws = `rollups-${run++}`;
        let settings: Settings = defaultSettings();
        let n = 0;
        for (const op of ops) {
          if (op.op === 'ingest') {
            const events = op.events.map((e) => ({
              id: `e${n++}`,
              ...e,
              ...(e.type === 'purchase' ? { amount: 10 + (n % 7) * 12.37 } : {}),
            })) as ClientEvent[];
            await ingestEvents(env.DB, ws, settings, events, { now: iso(T0) });
          } else if (op.op === 'erase') {
            await env.DB.batch(eraseClientStatements(env.DB, ws, op.client));
          } else if (op.op === 'attributes') {
            const existing = await getClient(env.DB, ws, op.client);
            await env.DB.batch(
              upsertClientStatements(
                env.DB,
                ws,
                {
                  id: op.client,
                  name: existing?.name ?? null,
                  attributes: op.attributes,
                  tags: [],
                  manualTypes: [],
                  acquisitionCost: null,
                  updatedAt: iso(T0),
                },
                iso(T0),
              ),
            );
          } else if (op.op === 'settings') {
            settings = { ...settings, lifecycle: { ...settings.lifecycle, ...op.lifecycle } };
            await restageWorkspace(env.DB, ws, settings, iso(T0));
          } else {
            await sweepWorkspace(env.DB, ws, iso(op.at), op.step);
          }
        }
        const model = stageModel(settings.lifecycle.model);
        const path = model.stages.filter((s) => !model.dormantStages.includes(s));
        const spells = await expectRollupsMatchRecount(ws, settings.lifecycle.model);
        await expectSegmentsMatchRecount(ws);
        // Every batch settled its deltas: no scratch row is left for a later batch to add.
        for (const table of PENDING_TABLES)
          expect(await rows(`SELECT * FROM ${table}`), table).toEqual([]);
        // Segment conversion from the rollups equals the per-client definition at any instant.
        for (const day of [30, 300, 800]) {
          const now = T0 + day * DAY + 5 * 3_600_000;
          for (const by of ['channel', 'manager']) {
            const query = { by, sort: 'value' as const };
            const { clients, segments } = await segmentFigures(env.DB, ws, by, now);
            expect(conversionAnswer(segments, clients, query), `${by} at day ${day}`).toEqual(
              segmentConversion(await loadAllSnapshots(env.DB, ws, iso(now)), query),
            );
          }
        }
        for (const day of [0, 45, 200, 450, 800]) {
          const asOf = T0 + day * DAY + 7 * 3_600_000;
          const from = asOf - 120 * DAY;
          const answer = await funnelCounts(env.DB, ws, path, {
            asOf: iso(asOf),
            from: iso(from),
            to: iso(asOf),
          });
          const expected = recountFunnel(spells, path, asOf, from, asOf);
          expect(answer.total, `total at day ${day}`).toBe(expected.total);
          expect(answer.counts, `counts at day ${day}`).toEqual(expected.counts);
          expect(answer.furthest, `furthest at day ${day}`).toEqual(expected.furthest);
          // The dyadic blocks answer every asOf, whether before or after the sweep instant.
          const past = await pastDayCounts(env.DB, ws, asOf);
          const medians = (h: Map<Stage, Map<number, number>>) =>
            new Map(
              [...h]
                .map(([s, c]) => [s, histogramMedian(c)] as const)
                .filter(([, m]) => m !== null),
            );
          const pick = (field: 'medianDays' | 'cumulativeMedianDays') =>
            new Map(
              [...expected.counts]
                .map(([s, c]) => [s, c[field]] as const)
                .filter(([, m]) => m !== null),
            );
          expect(medians(past.stay), `days in stage at day ${day}`).toEqual(pick('medianDays'));
          expect(medians(past.reach), `days to reach at day ${day}`).toEqual(
            pick('cumulativeMedianDays'),
          );
        }
      }),
      { numRuns: 30 },
    );
  }, 120_000);

  it('a one-order buyer moved out of a gone stage by a later event, without an order, leaves the vanished count', async () => {
    const ws = 'vanished-override';
    const settings = defaultSettings();
    const at = (day: number) => iso(T0 + day * DAY);
    const vanished = async () =>
      (
        await rows<{ vanished: number }>(
          "SELECT vanished FROM segment_rollups WHERE workspace_id = ?1 AND attr = ''",
          ws,
        )
      )[0]?.vanished;
    await ingestEvents(env.DB, ws, settings, [purchase('p', 'a', at(0), 20) as ClientEvent], {
      now: at(0),
    });
    await sweepWorkspace(env.DB, ws, at(400));
    expect(await vanished()).toBe(1);
    // After its last event and before the sweep instant: continues its fold, same aggregates.
    const override = { id: 'o', clientId: 'a', type: 'stage_override', at: at(395) };
    await ingestEvents(
      env.DB,
      ws,
      settings,
      [{ ...override, stage: 'developing' } as ClientEvent],
      { now: at(0) },
    );
    expect(await vanished()).toBe(0);
    await expectSegmentsMatchRecount(ws);
  });

  it('a write after the last sweep moves no dyadic block; the next sweep adds its points, in steps', async () => {
    const ws = 'blocks-after-sweep';
    const settings = defaultSettings();
    const at = (day: number) => iso(T0 + day * DAY);
    const blocks = () =>
      rows<{ level: number; block: number; kind: string; stage: string; key: number; n: number }>(
        'SELECT level, block, kind, stage, key, n FROM stage_day_blocks WHERE workspace_id = ?1 AND n <> 0 ORDER BY 1, 2, 3, 4, 5',
        ws,
      );
    const clients = ['a', 'b', 'c', 'd'];
    const ingest = (day: number) =>
      ingestEvents(
        env.DB,
        ws,
        settings,
        clients.map((c, i) => purchase(`${c}-${day}`, c, at(day + i), 20) as ClientEvent),
        { now: at(0) },
      );
    for (const day of [0, 10, 20]) await ingest(day);
    await sweepWorkspace(env.DB, ws, at(30));
    const swept = await blocks();
    expect(swept.length).toBeGreaterThan(0);

    for (const day of [40, 50, 60, 70]) await ingest(day);
    const closedSince = await rows<{ n: number }>(
      'SELECT COUNT(*) AS n FROM stage_spells WHERE workspace_id = ?1 AND left_ms > ?2 AND left_ms <= ?3',
      ws,
      T0 + 30 * DAY,
      T0 + 400 * DAY,
    );
    expect(closedSince[0]!.n).toBeGreaterThan(0);
    expect(await blocks()).toEqual(swept);
    await expectRollupsMatchRecount(ws, settings.lifecycle.model);

    await sweepWorkspace(env.DB, ws, at(400), 2);
    expect(await blocks()).not.toEqual(swept);
    await expectRollupsMatchRecount(ws, settings.lifecycle.model);
  });
});
