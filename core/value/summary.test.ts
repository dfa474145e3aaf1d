import { describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../schema/events.ts';
import {
  CDNOW_CALIBRATION_END,
  CDNOW_HOLDOUT_END,
  cdnowSummaryWithSpend,
  cdnowTransactions,
} from '../../test/fixtures/cdnow/cdnow.ts';
import { aggregateEvents } from '../lifecycle/aggregates.ts';
import {
  summariseAggregates,
  summariseTransactions,
  type CustomerSummary,
  type ValueAggregates,
} from './summary.ts';

const buy = (clientId: string, at: string, amount = 10) => ({ clientId, at, amount });
const week = (asOf: string, tx: ReturnType<typeof buy>[]) =>
  summariseTransactions(tx, { asOf, timeUnit: 'week' });
const day = (asOf: string, tx: ReturnType<typeof buy>[]) =>
  summariseTransactions(tx, { asOf, timeUnit: 'day' });

describe('summariseTransactions', () => {
  it('reproduces the published CDNOW calibration summary for every customer', () => {
    const published = new Map(cdnowSummaryWithSpend().map((c) => [c.id, c]));
    const ours = week(CDNOW_CALIBRATION_END, cdnowTransactions());
    expect(ours).toHaveLength(2357);
    for (const c of ours) {
      const p = published.get(c.id)!;
      expect(c.x, c.id).toBe(p.x);
      // the published file rounds to two decimals
      expect(Math.abs(c.tx - p.tx), c.id).toBeLessThanOrEqual(0.005);
      expect(Math.abs(c.T - p.T), c.id).toBeLessThanOrEqual(0.005);
      expect(Math.abs(c.zbar - p.zbar), c.id).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });

  it.each<[string, string, ReturnType<typeof buy>[], Omit<CustomerSummary, 'id'>]>([
    [
      'one purchase: no repeats, observed from its day',
      '2024-01-11T00:00:00Z',
      [buy('c', '2024-01-01T09:00:00Z')],
      { x: 0, tx: 0, T: 9, zbar: 0 },
    ],
    [
      'same UTC day merges into one transaction whose value is the sum',
      '2024-02-01T00:00:00Z',
      [
        buy('c', '2024-01-01T09:00:00Z', 10),
        buy('c', '2024-01-05T08:00:00Z', 20),
        buy('c', '2024-01-05T23:59:59Z', 5),
      ],
      { x: 1, tx: 4, T: 30, zbar: 25 },
    ],
    [
      'the day is the UTC day, whatever offset the instant was written with',
      '2024-02-01T00:00:00Z',
      [buy('c', '2024-01-01T09:00:00Z'), buy('c', '2024-01-04T23:30:00-02:00', 7)],
      { x: 1, tx: 4, T: 30, zbar: 7 },
    ],
    [
      'a purchase at asOf is not before asOf',
      '2024-01-05T00:00:00Z',
      [buy('c', '2024-01-01T00:00:00Z'), buy('c', '2024-01-05T00:00:00Z', 99)],
      { x: 0, tx: 0, T: 3, zbar: 0 },
    ],
    [
      'a mid-day asOf observes its own day: a purchase earlier that day has tx = T',
      '2024-01-05T12:00:00Z',
      [buy('c', '2024-01-01T00:00:00Z'), buy('c', '2024-01-05T11:59:59Z', 3)],
      { x: 1, tx: 4, T: 4, zbar: 3 },
    ],
    [
      'the first purchase day does not count in zbar',
      '2024-03-01T00:00:00Z',
      [
        buy('c', '2024-01-01T00:00:00Z', 1000),
        buy('c', '2024-01-10T00:00:00Z', 10),
        buy('c', '2024-01-20T00:00:00Z', 30),
      ],
      { x: 2, tx: 19, T: 59, zbar: 20 },
    ],
  ])('%s', (_name, asOf, tx, want) => {
    expect(day(asOf, tx)).toEqual([{ id: 'c', ...want }]);
  });

  it('measures in weeks when asked: 7 days are one week', () => {
    expect(
      week('2024-01-16T00:00:00Z', [
        buy('c', '2024-01-01T00:00:00Z'),
        buy('c', '2024-01-08T00:00:00Z'),
      ]),
    ).toEqual([{ id: 'c', x: 1, tx: 1, T: 2, zbar: 10 }]);
  });

  it('leaves out customers whose first purchase is not before asOf, and ignores input order', () => {
    const tx = [
      buy('late', '2024-02-01T00:00:00Z'),
      buy('b', '2024-01-09T00:00:00Z'),
      buy('a', '2024-01-02T00:00:00Z'),
      buy('b', '2024-01-03T00:00:00Z'),
    ];
    const byId = (list: CustomerSummary[]) => [...list].sort((p, q) => p.id.localeCompare(q.id));
    const one = byId(day('2024-01-31T00:00:00Z', tx));
    expect(one.map((c) => c.id)).toEqual(['a', 'b']);
    expect(byId(day('2024-01-31T00:00:00Z', [...tx].reverse()))).toEqual(one);
  });
});

describe('summariseAggregates', () => {
  const options = { developedAfterOrders: 3, interestRecheckDays: 30, reactivations: 0 };

  it('gives the same summaries as the transactions on the whole CDNOW history', () => {
    const byClient = new Map<string, ClientEvent[]>();
    cdnowTransactions().forEach((t, i) => {
      const event = { id: `e${i}`, type: 'purchase', ...t } as ClientEvent;
      byClient.set(t.clientId, [...(byClient.get(t.clientId) ?? []), event]);
    });
    const clients = [...byClient].map(([id, events]) => ({
      id,
      aggregates: aggregateEvents(events, options).aggregates,
    }));
    const fromAggregates = summariseAggregates(clients, {
      asOf: CDNOW_HOLDOUT_END,
      timeUnit: 'week',
    });
    const fromTransactions = new Map(
      week(CDNOW_HOLDOUT_END, cdnowTransactions()).map((c) => [c.id, c]),
    );
    expect(fromAggregates.excluded).toBe(0);
    expect(fromAggregates.customers).toHaveLength(2357);
    for (const c of fromAggregates.customers) {
      const t = fromTransactions.get(c.id)!;
      expect({ ...c, zbar: 0 }).toEqual({ ...t, zbar: 0 });
      expect(c.zbar).toBeCloseTo(t.zbar, 9); // aggregates keep money to the cent
    }
  });

  const agg = (patch: Partial<ValueAggregates>): ValueAggregates => ({
    purchaseDays: 3,
    firstPurchaseAt: '2024-01-01T10:00:00.000Z',
    lastPurchaseAt: '2024-01-15T10:00:00.000Z',
    revenue: 100,
    firstPurchaseDayRevenue: 40,
    ...patch,
  });

  it('reads one row per client: x from purchase days, zbar from revenue after the first day', () => {
    expect(
      summariseAggregates([{ id: 'c', aggregates: agg({}) }], {
        asOf: '2024-01-31T00:00:00.000Z',
        timeUnit: 'day',
      }),
    ).toEqual({
      customers: [{ id: 'c', x: 2, tx: 14, T: 29, zbar: 30 }],
      excluded: 0,
    });
  });

  it('skips clients who never bought and excludes those whose history reaches past asOf', () => {
    const clients = [
      {
        id: 'never',
        aggregates: agg({
          purchaseDays: 0,
          firstPurchaseAt: null,
          lastPurchaseAt: null,
          revenue: 0,
          firstPurchaseDayRevenue: 0,
        }),
      },
      { id: 'after', aggregates: agg({ lastPurchaseAt: '2024-02-02T00:00:00.000Z' }) },
      { id: 'at', aggregates: agg({ lastPurchaseAt: '2024-01-31T00:00:00.000Z' }) },
      { id: 'ok', aggregates: agg({}) },
    ];
    const r = summariseAggregates(clients, { asOf: '2024-01-31T00:00:00.000Z', timeUnit: 'day' });
    expect(r.customers.map((c) => c.id)).toEqual(['ok']);
    expect(r.excluded).toBe(2);
  });
});
