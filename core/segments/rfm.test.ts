import { describe, expect, it } from 'vitest';
import { matchRfmRule } from '../../schema/segments.ts';
import { segmentSettings, snapshot } from './fixtures.ts';
import { quintileScores } from './rank.ts';
import { rfm } from './rfm.ts';

const AS_OF = '2025-01-31T00:00:00.000Z';
const settings = segmentSettings();
const daysBefore = (days: number, iso = AS_OF) =>
  new Date(Date.parse(iso) - days * 86_400_000).toISOString();
/** A buyer: last purchase `days` before asOf, `orders` orders, `revenue` spent. */
const buyer = (id: string, days: number, orders: number, revenue: number) =>
  snapshot(id, {
    aggregates: {
      orders,
      revenue,
      firstPurchaseAt: daysBefore(days + 100),
      lastPurchaseAt: daysBefore(days),
    },
  });

describe('quintile scores by mid-rank', () => {
  it.each([
    {
      name: 'five distinct values fill the five scores',
      values: [10, 20, 30, 40, 50],
      scores: [1, 2, 3, 4, 5],
    },
    {
      name: 'ten distinct values: two per score',
      values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      scores: [1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
    },
    // (B + E/2) / N: 10s (0+1)/10 → 1; 20 (2+.5)/10 → 2; 30s (3+1.5)/10 → 3; 40 (6+.5)/10 → 4; 50s (7+1)/10 → 5; 60 (9+.5)/10 → 5.
    {
      name: 'ties share a score: the mid-rank of the tie decides',
      values: [10, 10, 20, 30, 30, 30, 40, 50, 50, 60],
      scores: [1, 1, 2, 3, 3, 3, 4, 5, 5, 5],
    },
    { name: 'all equal: everyone the middle score', values: [7, 7, 7, 7], scores: [3, 3, 3, 3] },
    { name: 'a single value is the middle score', values: [99], scores: [3] },
    { name: 'two values: percentiles 25% and 75%', values: [1, 2], scores: [2, 4] },
    { name: 'input order does not matter', values: [50, 10, 40, 20, 30], scores: [5, 1, 4, 2, 3] },
  ])('$name', ({ values, scores }) => {
    expect([...quintileScores(values, true)]).toEqual(scores);
  });

  it('lower is better for recency: the fewest days score 5', () => {
    expect([...quintileScores([400, 100, 30, 10, 1], false)]).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('RFM', () => {
  it('scores recency, frequency and monetary from the aggregates', () => {
    const r = rfm(
      [
        buyer('a', 1, 10, 5000),
        buyer('b', 10, 5, 2000),
        buyer('c', 30, 3, 900),
        buyer('d', 100, 2, 300),
        buyer('e', 400, 1, 50),
      ],
      AS_OF,
      settings,
    );
    expect(
      r.clients.map((c) => [c.id, c.r, c.f, c.m, c.recencyDays, c.frequency, c.monetary]),
    ).toEqual([
      ['a', 5, 5, 5, 1, 10, 5000],
      ['b', 4, 4, 4, 10, 5, 2000],
      ['c', 3, 3, 3, 30, 3, 900],
      ['d', 2, 2, 2, 100, 2, 300],
      ['e', 1, 1, 1, 400, 1, 50],
    ]);
    expect(r.clients.map((c) => c.segment)).toEqual([
      'champions',
      'loyal',
      'needs_attention',
      'almost_lost',
      'dormant',
    ]);
  });

  it('a client with one purchase has the lowest frequency among repeat buyers', () => {
    const r = rfm(
      [buyer('once', 5, 1, 100), buyer('twice', 5, 2, 100), buyer('thrice', 5, 3, 100)],
      AS_OF,
      settings,
    );
    const byId = Object.fromEntries(r.clients.map((c) => [c.id, c]));
    // Recency and spend tie for all three: the middle score 3.
    expect(byId.once).toMatchObject({ r: 3, f: 1, m: 3, frequency: 1 });
    expect(byId.thrice).toMatchObject({ r: 3, f: 5, m: 3 });
  });

  it('all equal: every score 3, every client needs attention', () => {
    const r = rfm(
      [buyer('a', 20, 2, 100), buyer('b', 20, 2, 100), buyer('c', 20, 2, 100)],
      AS_OF,
      settings,
    );
    expect(r.clients.map((c) => [c.r, c.f, c.m, c.segment])).toEqual(
      Array(3).fill([3, 3, 3, 'needs_attention']),
    );
    expect(r.segments.needs_attention).toBe(3);
  });

  it('recency counts whole days, and a purchase after asOf counts as 0', () => {
    const r = rfm(
      [
        snapshot('hours', {
          aggregates: { orders: 1, revenue: 10, lastPurchaseAt: daysBefore(23 / 24) },
        }),
        snapshot('later', {
          aggregates: { orders: 1, revenue: 10, lastPurchaseAt: daysBefore(-3) },
        }),
        snapshot('day', { aggregates: { orders: 1, revenue: 10, lastPurchaseAt: daysBefore(1) } }),
      ],
      AS_OF,
      settings,
    );
    expect(Object.fromEntries(r.clients.map((c) => [c.id, c.recencyDays]))).toEqual({
      hours: 0,
      later: 0,
      day: 1,
    });
  });

  it('clients without a purchase are prospects with no scores, listed after the buyers', () => {
    const r = rfm(
      [snapshot('lead', { aggregates: { responses: 1 } }), buyer('b', 3, 1, 10)],
      AS_OF,
      settings,
    );
    expect(r.clients.map((c) => c.id)).toEqual(['b', 'lead']);
    expect(r.clients[1]).toEqual({
      id: 'lead',
      r: null,
      f: null,
      m: null,
      segment: 'prospects',
      recencyDays: null,
      frequency: 0,
      monetary: 0,
    });
    // The quintiles are over buyers only: the lone buyer scores 3 everywhere.
    expect(r.clients[0]).toMatchObject({ r: 3, f: 3, m: 3 });
  });

  it('counts every segment of the rules and prospects, zero counts included', () => {
    const r = rfm([buyer('b', 3, 1, 10), snapshot('p')], AS_OF, settings);
    expect(r.segments).toEqual({
      champions: 0,
      loyal: 0,
      active: 0,
      needs_attention: 1,
      new: 0,
      promising: 0,
      previously_loyal: 0,
      at_risk: 0,
      almost_lost: 0,
      dormant: 0,
      prospects: 1,
    });
  });

  it('rules are settings', () => {
    const custom = segmentSettings({
      rfm: {
        rules: [
          { segment: 'recent', r: [4, 5], fm: [1, 5] },
          { segment: 'rest', r: [1, 3], fm: [1, 5] },
        ],
      },
    });
    const r = rfm([buyer('a', 1, 1, 1), buyer('b', 50, 1, 1)], AS_OF, custom);
    expect(r.clients.map((c) => [c.id, c.segment])).toEqual([
      ['a', 'recent'],
      ['b', 'rest'],
    ]);
    expect(r.segments).toEqual({ recent: 1, rest: 1, prospects: 0 });
  });
});

describe('the preset grid of R against FM = (F + M) / 2', () => {
  const rules = settings.rfm.rules;
  it.each([
    [5, 5, 5, 'champions'],
    [5, 4, 4, 'champions'],
    [4, 5, 4, 'loyal'],
    [3, 4, 4, 'loyal'],
    [5, 3, 4, 'active'],
    [4, 3, 3, 'active'],
    [3, 3, 3, 'needs_attention'],
    [3, 4, 3, 'needs_attention'],
    [5, 1, 1, 'new'],
    [5, 2, 2, 'new'],
    [4, 2, 1, 'promising'],
    [3, 1, 3, 'promising'],
    [2, 5, 5, 'previously_loyal'],
    [1, 4, 4, 'previously_loyal'],
    [2, 3, 2, 'at_risk'],
    [1, 3, 4, 'at_risk'],
    [2, 1, 2, 'almost_lost'],
    [1, 1, 1, 'dormant'],
    [1, 2, 2, 'dormant'],
  ])('R%i F%i M%i is %s', (r, f, m, segment) => {
    expect(matchRfmRule(rules, r, (f + m) / 2)?.segment).toBe(segment);
  });

  it('every R and FM cell matches exactly one preset rule', () => {
    for (let r = 1; r <= 5; r++) {
      for (let fm2 = 2; fm2 <= 10; fm2++) {
        const fm = fm2 / 2;
        const matching = rules.filter(
          (x) => r >= x.r[0] && r <= x.r[1] && fm >= x.fm[0] && fm <= x.fm[1],
        );
        expect(matching.length, `R${r} FM${fm}`).toBe(1);
      }
    }
  });
});
