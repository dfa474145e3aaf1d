import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { fitValueModel } from '../../core/value/model.ts';
import {
  summariseHistories,
  summariseTransactions,
  type CustomerHistory,
} from '../../core/value/summary.ts';
import type { TimeUnit } from '../../schema/value.ts';
import { loadPurchaseHistories, loadPurchases } from '../../worker/db/value.ts';
import { cdnowCsv } from './cdnow-csv.ts';
import { callJson, createWorkspace, postEvents } from './helpers.ts';

/**
 * The fits' fast path (customers grouped by identical history in SQL, `loadPurchaseHistories`)
 * against the transaction path it replaces (every purchase day, summarised in the Worker): the
 * same customers, the same (x, tx, T) to the bit, the same mean repeat spend up to the order of
 * additions, and so the same fits.
 */
const byHistory = (a: CustomerHistory, b: CustomerHistory) =>
  a.x - b.x || a.tx - b.tx || a.T - b.T || a.zbar - b.zbar;

async function bothPaths(workspaceId: string, asOf: string, timeUnit: TimeUnit) {
  const window = { asOf, timeUnit };
  const grouped = await loadPurchaseHistories(env.DB, workspaceId, asOf);
  const purchases = await loadPurchases(env.DB, workspaceId, asOf);
  return {
    groups: grouped.histories.length,
    purchaseDays: purchases.length,
    fast: summariseHistories(grouped.histories, window),
    slow: summariseTransactions(purchases, window).map(({ id: _, ...h }) => h),
  };
}

function expectSameCustomers(fast: CustomerHistory[], slow: CustomerHistory[]) {
  expect(fast).toHaveLength(slow.length);
  const a = [...fast].sort(byHistory);
  const b = [...slow].sort(byHistory);
  for (let i = 0; i < a.length; i++) {
    expect([a[i]!.x, a[i]!.tx, a[i]!.T]).toEqual([b[i]!.x, b[i]!.tx, b[i]!.T]);
    expect(Math.abs(a[i]!.zbar - b[i]!.zbar)).toBeLessThanOrEqual(1e-12 * Math.max(1, b[i]!.zbar));
  }
}

describe('customers grouped by history in the database', () => {
  it('give the transaction path’s summary and fits on the CDNOW sample, from a few thousand rows', async () => {
    const ws = await createWorkspace();
    const imported = await callJson('/v1/import/transactions', {
      key: ws.secretKey,
      raw: cdnowCsv(),
      contentType: 'text/csv',
    });
    expect(imported.status).toBe(200);
    // The calibration end, the holdout end, and an instant inside a day.
    for (const asOf of [
      '1997-10-01T00:00:00.000Z',
      '1998-07-01T00:00:00.000Z',
      '1997-06-15T12:00:00.000Z',
    ]) {
      const r = await bothPaths(ws.id, asOf, 'week');
      expectSameCustomers(r.fast, r.slow);
      // One row per distinct history, not per purchase day.
      expect(r.groups).toBeLessThan(r.purchaseDays / 2);
    }
    const r = await bothPaths(ws.id, '1997-10-01T00:00:00.000Z', 'week');
    expect(r.fast).toHaveLength(2357);
    for (const model of ['bgnbd', 'pnbd'] as const) {
      const options = {
        asOf: '1997-10-01T00:00:00.000Z',
        timeUnit: 'week' as const,
        model,
        clock: () => 0,
      };
      const fast = fitValueModel(r.fast, options);
      const slow = fitValueModel(r.slow, options);
      if (!('model' in fast) || !('model' in slow)) throw new Error('not fitted');
      // The purchase model sees (x, tx, T) only: the same bits whatever the path.
      expect(fast.model.params).toEqual(slow.model.params);
      expect(fast.model.logLikelihood).toBe(slow.model.logLikelihood);
      expect(fast.model.diagnostics.standardErrors?.params).toEqual(
        slow.model.diagnostics.standardErrors?.params,
      );
      for (const k of ['p', 'q', 'v'] as const)
        expect(fast.model.spend[k]).toBeCloseTo(slow.model.spend[k], 6);
    }
    // After every purchase, the statement reads no purchase: only the clients' history index (a
    // pass for the complete histories, one to find those that straddle asOf: none here) and its
    // own grouping and packing, a few rows per client.
    const after = await loadPurchaseHistories(env.DB, ws.id, '1998-07-01T00:00:00.000Z');
    expect(after.histories.reduce((n, g) => n + g.customers, 0)).toBe(2357);
    expect(after.rowsRead).toBeLessThan(4 * 2357);
    // The published BG/NBD estimates, through the endpoint (which takes the fast path).
    const fit = await callJson('/v1/clv/model/fit', {
      key: ws.secretKey,
      body: { asOf: '1997-10-01', timeUnit: 'week' },
    });
    expect(fit.body.params.r).toBeCloseTo(0.243, 3);
    expect(fit.body.params.alpha).toBeCloseTo(4.414, 2);
    expect(fit.body.logLikelihood).toBeCloseTo(-9582.4, 1);
  }, 60_000);

  it('agree on a hand-built history: out-of-order arrival, same-day purchases, offsets, free orders, purchases at and after asOf', async () => {
    const ws = await createWorkspace();
    const buy = (id: string, clientId: string, at: string, amount: number) => ({
      id,
      clientId,
      type: 'purchase',
      at,
      amount,
    });
    // The later purchases arrive first.
    const late = [
      buy('a4', 'a', '2024-03-10T10:00:00Z', 20),
      buy('a5', 'a', '2024-06-01T00:00:00Z', 99),
      buy('b2', 'b', '2024-05-01T12:00:00Z', 50),
      buy('c1', 'c', '2024-05-02T00:00:00Z', 10),
      buy('f2', 'f', '2024-04-01T00:00:00Z', 8),
      buy('g2', 'g', '2024-04-01T09:00:00Z', 8),
    ];
    const early = [
      // 23:30 at UTC−2 is 01:30 UTC the next day: the same UTC day as a2.
      buy('a1', 'a', '2024-01-05T23:30:00-02:00', 5),
      buy('a2', 'a', '2024-01-06T08:00:00Z', 7),
      buy('a3', 'a', '2024-02-01T00:00:00Z', 0),
      buy('b1', 'b', '2024-05-01T11:59:59Z', 30),
      { id: 'd1', clientId: 'd', type: 'offer', at: '2024-01-10T00:00:00Z', amount: 500 },
      buy('d2', 'd', '2024-01-20T00:00:00Z', 12),
      buy('e1', 'e', '2024-02-02T00:00:00Z', 3),
      buy('e2', 'e', '2024-02-02T18:00:00Z', 4),
      buy('f1', 'f', '2024-03-01T00:00:00Z', 8),
      buy('g1', 'g', '2024-03-01T23:00:00Z', 8),
    ];
    expect((await postEvents(ws.secretKey, late)).status).toBe(200);
    expect((await postEvents(ws.secretKey, early)).status).toBe(200);

    const asOf = '2024-05-01T12:00:00Z';
    for (const timeUnit of ['day', 'week'] as const) {
      const r = await bothPaths(ws.id, asOf, timeUnit);
      expectSameCustomers(r.fast, r.slow);
    }
    const r = await bothPaths(ws.id, asOf, 'day');
    // a, b, d, e, f, g: c bought only after asOf, b's second purchase is at asOf (not before).
    expect(r.fast).toHaveLength(6);
    // f and g share their history: one row for both.
    expect(r.groups).toBe(5);
    expect([...r.fast].sort(byHistory)).toEqual(
      [
        // b: one purchase day, 2024-05-01 (the day asOf falls in is observed: T = 0).
        { x: 0, tx: 0, T: 0, zbar: 0 },
        // d: the offer's amount is no purchase.
        { x: 0, tx: 0, T: 102, zbar: 0 },
        // e: two purchases on one day are one transaction.
        { x: 0, tx: 0, T: 89, zbar: 0 },
        // f, g: 2024-03-01 and 2024-04-01.
        { x: 1, tx: 31, T: 61, zbar: 8 },
        { x: 1, tx: 31, T: 61, zbar: 8 },
        // a: 2024-01-06 (5 + 7), a free order on 02-01, 20 on 03-10; 06-01 is after asOf.
        { x: 2, tx: 64, T: 116, zbar: 10 },
      ].sort(byHistory),
    );
    // A client whose purchase-history columns are not filled (aggregates stored before they
    // existed) is read from its purchases instead.
    await env.DB.prepare(
      "UPDATE client_aggregates SET purchase_days = NULL, repeat_spend = NULL WHERE workspace_id = ?1 AND client_id IN ('e', 'f')",
    )
      .bind(ws.id)
      .run();
    const unfilled = await bothPaths(ws.id, asOf, 'day');
    expectSameCustomers(unfilled.fast, unfilled.slow);
  });
});
