import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../schema/events.ts';
import { defaultSettings } from '../../schema/settings.ts';
import { eraseClientStatements } from '../../worker/erasure.ts';
import { ingestEvents } from '../../worker/ingest.ts';
import {
  call,
  callJson,
  createWorkspace,
  expectProblem,
  postEvents,
  purchase as purchaseEvent,
} from './helpers.ts';
import { meteredCall } from './meter.ts';

/** Purchases here carry a margin of half their amount (the margin triangle reads it). */
const purchase = (id: string, clientId: string, at: string, amount: number) =>
  purchaseEvent(id, clientId, at, amount, amount / 2);

/** A hand-built history: four buyers over four months, and a contact who never bought. */
const HISTORY = [
  purchase('a1', 'a', '2026-01-05', 100),
  purchase('a2', 'a', '2026-02-10', 50),
  purchase('a3', 'a', '2026-04-01', 30),
  purchase('b1', 'b', '2026-01-20', 200),
  purchase('b2', 'b', '2026-03-03', 20),
  purchase('c1', 'c', '2026-02-14', 80),
  purchase('c2', 'c', '2026-02-20', 20),
  purchase('c3', 'c', '2026-03-01', 40),
  purchase('d1', 'd', '2026-03-10', 10),
  { id: 'e1', clientId: 'e', type: 'response', at: '2026-01-02' },
];

const cell = (offset: number, period: string, active: number, size: number, revenue: number) => ({
  offset,
  period,
  active,
  share: active / size,
  revenue,
});

describe('cohort retention', () => {
  it('pins the monthly and quarterly triangles of a hand-built history, and forgets an erased client', async () => {
    const ws = await createWorkspace();
    // Arrival order does not matter: the history goes in backwards, in two batches.
    const reversed = [...HISTORY].reverse();
    await postEvents(ws.secretKey, reversed.slice(0, 5));
    await postEvents(ws.secretKey, reversed.slice(5));

    const months = await callJson('/v1/cohorts?period=month&from=2026-01&to=2026-04', {
      key: ws.secretKey,
    });
    expect(months.status).toBe(200);
    expect(months.body).toEqual({
      period: 'month',
      measure: 'revenue',
      from: '2026-01',
      to: '2026-04',
      currency: 'USD',
      cohorts: [
        {
          cohort: '2026-01',
          clients: 2,
          periods: [
            cell(0, '2026-01', 2, 2, 150),
            cell(1, '2026-02', 1, 2, 25),
            cell(2, '2026-03', 1, 2, 10),
            cell(3, '2026-04', 1, 2, 15),
          ],
        },
        {
          cohort: '2026-02',
          clients: 1,
          periods: [
            cell(0, '2026-02', 1, 1, 100),
            cell(1, '2026-03', 1, 1, 40),
            cell(2, '2026-04', 0, 1, 0),
          ],
        },
        {
          cohort: '2026-03',
          clients: 1,
          periods: [cell(0, '2026-03', 1, 1, 10), cell(1, '2026-04', 0, 1, 0)],
        },
      ],
    });

    const quarters = await callJson(
      '/v1/cohorts?period=quarter&from=2026-Q1&to=2026-06&measure=margin',
      { key: ws.secretKey },
    );
    expect(quarters.body).toEqual({
      period: 'quarter',
      measure: 'margin',
      from: '2026-Q1',
      to: '2026-Q2',
      currency: 'USD',
      cohorts: [
        {
          cohort: '2026-Q1',
          clients: 4,
          // Margin is half of each purchase: 520 / 2 over 4 clients, then a's 30 / 2.
          periods: [cell(0, '2026-Q1', 4, 4, 65), cell(1, '2026-Q2', 1, 4, 3.75)],
        },
      ],
    });

    expect((await call('/v1/clients/b', { key: ws.secretKey, method: 'DELETE' })).status).toBe(204);
    const after = await callJson('/v1/cohorts?from=2026-01&to=2026-03', { key: ws.secretKey });
    expect(after.body.cohorts[0]).toEqual({
      cohort: '2026-01',
      clients: 1,
      periods: [
        cell(0, '2026-01', 1, 1, 100),
        cell(1, '2026-02', 1, 1, 50),
        cell(2, '2026-03', 0, 1, 0),
      ],
    });
  });

  it('names the offending parameter of a bad query', async () => {
    const ws = await createWorkspace();
    for (const [query, path] of [
      ['period=week', 'period'],
      ['from=2026-13', 'from'],
      ['from=2026-Q1', 'from'],
      ['from=2026-05&to=2026-01', 'from'],
      ['from=2000-01&to=2026-01', 'from'],
      ['measure=orders', 'measure'],
      ['asOf=2026-01-01', 'asOf'],
    ])
      await expectProblem(await call(`/v1/cohorts?${query}`, { key: ws.secretKey }), 400, [path!]);
  });

  it('costs the triangle, not the portfolio: rows read do not grow with the clients', async () => {
    const small = await createWorkspace();
    const large = await createWorkspace();
    // The same cohorts and periods; the large portfolio has 60 times the clients in each.
    const history = (copies: number) =>
      Array.from({ length: copies }, (_, k) =>
        HISTORY.map((e) => ({ ...e, id: `${e.id}-${k}`, clientId: `${e.clientId}-${k}` })),
      ).flat();
    await postEvents(small.secretKey, history(1));
    for (let i = 0; i < 3; i++)
      await postEvents(large.secretKey, history(60).slice(i * 200, (i + 1) * 200));
    const path = '/v1/cohorts?period=month&from=2026-01&to=2026-04';
    const a = await meteredCall(path, small.secretKey);
    const b = await meteredCall(path, large.secretKey);
    expect(JSON.parse(b.body).cohorts[0].clients).toBe(120);
    expect(b.rowsRead).toBe(a.rowsRead);
    // The cohort read itself touches the triangle's cells (9 here), not the 240 buyers.
    const cellsRead = [...b.bySql].find(([sql]) => sql.includes('FROM cohort_cells'))![1];
    expect(cellsRead).toBeLessThanOrEqual(9);
  });
});

/** The cells recounted from the stored monthly buckets, as the writes must keep them. */
async function recount(ws: string) {
  const rows = await env.DB.prepare(
    'SELECT client_id, period, revenue, margin, orders FROM client_periods WHERE workspace_id = ?1 AND orders > 0',
  )
    .bind(ws)
    .all<{ client_id: string; period: string; revenue: number; margin: number; orders: number }>();
  const first = new Map<string, string>();
  for (const r of rows.results)
    if (!first.has(r.client_id) || r.period < first.get(r.client_id)!)
      first.set(r.client_id, r.period);
  const quarter = (m: string) =>
    `${m.slice(0, 4)}-Q${Math.floor((Number(m.slice(5, 7)) - 1) / 3) + 1}`;
  const cells = new Map<string, { clients: Set<string>; revenue: number; margin: number }>();
  for (const r of rows.results) {
    const cohort = first.get(r.client_id)!;
    for (const [grain, c, p] of [
      ['month', cohort, r.period],
      ['quarter', quarter(cohort), quarter(r.period)],
    ] as const) {
      const key = `${grain}|${c}|${p}`;
      const x = cells.get(key) ?? { clients: new Set(), revenue: 0, margin: 0 };
      x.clients.add(r.client_id);
      x.revenue += Math.round(r.revenue * 100);
      x.margin += Math.round(r.margin * 100);
      cells.set(key, x);
    }
  }
  return Object.fromEntries(
    [...cells].map(([k, x]) => [
      k,
      { clients: x.clients.size, revenue: x.revenue, margin: x.margin },
    ]),
  );
}

async function maintained(ws: string) {
  const rows = await env.DB.prepare(
    'SELECT grain, cohort, period, clients, revenue_cents, margin_cents FROM cohort_cells WHERE workspace_id = ?1 AND clients <> 0',
  )
    .bind(ws)
    .all<{
      grain: string;
      cohort: string;
      period: string;
      clients: number;
      revenue_cents: number;
      margin_cents: number;
    }>();
  return Object.fromEntries(
    rows.results.map((r) => [
      `${r.grain}|${r.cohort}|${r.period}`,
      { clients: r.clients, revenue: r.revenue_cents, margin: r.margin_cents },
    ]),
  );
}

const CLIENTS = ['k1', 'k2', 'k3', 'k4', 'k5'];
const opArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(
        fc.record({
          clientId: fc.constantFrom(...CLIENTS),
          day: fc.integer({ min: 0, max: 400 }),
          amount: fc.integer({ min: 1, max: 50_000 }).map((c) => c / 100),
          buys: fc.boolean(),
        }),
        { minLength: 1, maxLength: 6 },
      )
      .map((events) => ({ op: 'ingest' as const, events })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...CLIENTS).map((client) => ({ op: 'erase' as const, client })),
  },
);

describe('cohort cells', () => {
  it('equal a recount from the monthly buckets after ingests in any order and erasures', async () => {
    let run = 0;
    const T0 = Date.parse('2025-11-15T00:00:00.000Z');
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 6 }), async (ops) => {
        const ws = `cohorts-${run++}`;
        let n = 0;
        for (const op of ops) {
          if (op.op === 'erase') {
            await env.DB.batch(eraseClientStatements(env.DB, ws, op.client));
            continue;
          }
          const events = op.events.map((e) => ({
            id: `e${n++}`,
            clientId: e.clientId,
            at: new Date(T0 + e.day * 86_400_000).toISOString(),
            ...(e.buys
              ? { type: 'purchase', amount: e.amount, margin: Math.round(e.amount * 30) / 100 }
              : { type: 'contact', sentiment: 'neutral' }),
          })) as ClientEvent[];
          await ingestEvents(env.DB, ws, defaultSettings(), events, {
            now: '2027-06-01T00:00:00.000Z',
          });
        }
        expect(await maintained(ws)).toEqual(await recount(ws));
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
