import { describe, expect, it } from 'vitest';
import { abcXyz, type AbcXyzParams, resolveAbcXyzQuery } from './abc-xyz.ts';
import { monthly, segmentSettings, snapshot } from './fixtures.ts';

const YEAR: AbcXyzParams = {
  from: '2024-01-01T00:00:00.000Z',
  to: '2025-01-01T00:00:00.000Z',
  period: 'month',
  measure: 'revenue',
};
const settings = segmentSettings();
/** A client whose whole window revenue falls in one month. */
const once = (id: string, revenue: number, month = '2024-03') =>
  snapshot(id, { months: { [month]: revenue } });
const classes = (r: ReturnType<typeof abcXyz>) =>
  Object.fromEntries(r.clients.map((c) => [c.id, c.abc]));

describe('ABC by cumulative share', () => {
  it.each([
    {
      name: 'the client that crosses 80% is still A; a prior share of exactly 95% is C',
      // prior shares: a 0, b .50, c .85, d .95, e .98
      clients: [
        ['a', 50],
        ['b', 35],
        ['c', 10],
        ['d', 3],
        ['e', 2],
      ] as const,
      expected: [
        ['a', 'A'],
        ['b', 'A'],
        ['c', 'B'],
        ['d', 'C'],
        ['e', 'C'],
      ],
    },
    {
      name: 'a prior share of exactly 80% is B',
      // prior shares: a 0, b .5, c .8, d .9, e .96
      clients: [
        ['a', 50],
        ['b', 30],
        ['c', 10],
        ['d', 6],
        ['e', 4],
      ] as const,
      expected: [
        ['a', 'A'],
        ['b', 'A'],
        ['c', 'B'],
        ['d', 'B'],
        ['e', 'C'],
      ],
    },
    {
      name: 'ties are ranked by id, and the tie-break decides the class',
      // order p, x1, x2, y: prior shares 0, .7, .8, .9
      clients: [
        ['y', 10],
        ['x2', 10],
        ['p', 70],
        ['x1', 10],
      ] as const,
      expected: [
        ['p', 'A'],
        ['x1', 'A'],
        ['x2', 'B'],
        ['y', 'B'],
      ],
    },
    {
      name: 'everyone equal: ten clients of 10% each, ranked by id',
      clients: Array.from(
        { length: 10 },
        (_, i) => [`c${String(i + 1).padStart(2, '0')}`, 100] as const,
      ),
      expected: [
        ['c01', 'A'],
        ['c02', 'A'],
        ['c03', 'A'],
        ['c04', 'A'],
        ['c05', 'A'],
        ['c06', 'A'],
        ['c07', 'A'],
        ['c08', 'A'],
        ['c09', 'B'],
        ['c10', 'B'],
      ],
    },
    {
      name: 'a single client is A',
      clients: [['solo', 42]] as const,
      expected: [['solo', 'A']],
    },
  ])('$name', ({ clients, expected }) => {
    const r = abcXyz(
      clients.map(([id, rev]) => once(id, rev)),
      YEAR,
      settings,
    );
    expect(r.clients.map((c) => [c.id, c.abc])).toEqual(expected);
    expect(r.clients.map((c) => c.rank)).toEqual(expected.map((_, i) => i + 1));
  });

  it('reports share and cumulative share, and ranks ties by id', () => {
    const r = abcXyz([once('b', 25), once('a', 25), once('c', 50)], YEAR, settings);
    expect(r.clients.map((c) => [c.id, c.share, c.cumulativeShare])).toEqual([
      ['c', 0.5, 0.5],
      ['a', 0.25, 0.75],
      ['b', 0.25, 1],
    ]);
    expect(r.total).toBe(100);
  });

  it('leaves out clients without revenue in the window and buckets outside [from, to)', () => {
    const r = abcXyz(
      [
        snapshot('in', { months: { '2024-01': 10, '2024-12': 20 } }),
        snapshot('before', { months: { '2023-12': 500 } }),
        snapshot('at-to', { months: { '2025-01': 500 } }),
        snapshot('never'),
      ],
      YEAR,
      settings,
    );
    expect(r.clients.map((c) => [c.id, c.revenue])).toEqual([['in', 30]]);
    expect(r.excluded).toBe(3);
  });

  it('thresholds are settings', () => {
    const r = abcXyz(
      [once('a', 50), once('b', 30), once('c', 20)],
      YEAR,
      segmentSettings({ abc: { a: 0.5, b: 0.8 } }),
    );
    expect(classes(r)).toEqual({ a: 'A', b: 'B', c: 'C' });
  });
});

describe('XYZ by the coefficient of variation per period', () => {
  const year = (values: number[]) => snapshot('c', { months: monthly('2024-01', values) });
  const cvOf = (values: number[], params: AbcXyzParams = YEAR) =>
    abcXyz([year(values)], params, settings).clients[0]!;

  it.each([
    { name: 'constant revenue: cv 0, X', values: Array<number>(12).fill(100), cv: 0, xyz: 'X' },
    {
      name: 'alternating 110 / 90: cv exactly 0.10 is still X',
      values: Array.from({ length: 12 }, (_, i) => (i % 2 ? 90 : 110)),
      cv: 0.1,
      xyz: 'X',
    },
    {
      name: 'alternating 120 / 80: cv 0.20, Y',
      values: Array.from({ length: 12 }, (_, i) => (i % 2 ? 80 : 120)),
      cv: 0.2,
      xyz: 'Y',
    },
    {
      name: 'alternating 125 / 75: cv exactly 0.25 is still Y',
      values: Array.from({ length: 12 }, (_, i) => (i % 2 ? 75 : 125)),
      cv: 0.25,
      xyz: 'Y',
    },
    {
      name: 'alternating 126 / 74: cv 0.26, Z',
      values: Array.from({ length: 12 }, (_, i) => (i % 2 ? 74 : 126)),
      cv: 0.26,
      xyz: 'Z',
    },
    // mean 50, every month 50 away from it: σ = 50.
    {
      name: 'zero-revenue months count: 100 in six months of twelve gives cv 1',
      values: [100, 0, 100, 0, 100, 0, 100, 0, 100, 0, 100, 0],
      cv: 1,
      xyz: 'Z',
    },
    // mean 100; σ² = (1100² + 11 × 100²) / 12 = 110,000; cv = √110000 / 100 = √11.
    {
      name: 'one purchase in the year: cv √11',
      values: [1200, ...Array<number>(11).fill(0)],
      cv: Math.sqrt(11),
      xyz: 'Z',
    },
  ])('$name', ({ values, cv, xyz }) => {
    const c = cvOf(values);
    expect(c.cv).toBeCloseTo(cv, 6);
    expect(c.xyz).toBe(xyz);
  });

  it('a quarter period sums three months: one purchase a quarter is perfectly stable', () => {
    const values = [100, 0, 0, 100, 0, 0, 100, 0, 0, 100, 0, 0];
    const monthlyView = cvOf(values);
    const quarterly = abcXyz([year(values)], { ...YEAR, period: 'quarter' }, settings);
    // Per month: mean 33.3, σ = 47.14: cv √2.
    expect(monthlyView.cv).toBeCloseTo(Math.SQRT2, 6);
    expect(monthlyView.xyz).toBe('Z');
    expect(quarterly.periods).toBe(4);
    expect(quarterly.clients[0]).toMatchObject({ cv: 0, xyz: 'X' });
  });

  it('quarters are counted from `from`, not from the calendar', () => {
    // Feb–Apr, May–Jul: 300 and 100, mean 200, σ 100.
    const r = abcXyz(
      [snapshot('c', { months: { '2024-02': 300, '2024-06': 100 } })],
      {
        from: '2024-02-01T00:00:00.000Z',
        to: '2024-08-01T00:00:00.000Z',
        period: 'quarter',
        measure: 'revenue',
      },
      settings,
    );
    expect(r.periods).toBe(2);
    expect(r.clients[0]!.cv).toBeCloseTo(0.5, 6);
  });

  it('a year period over a two-year window', () => {
    const r = abcXyz(
      [snapshot('c', { months: { '2023-05': 100, '2024-05': 300 } })],
      {
        from: '2023-01-01T00:00:00.000Z',
        to: '2025-01-01T00:00:00.000Z',
        period: 'year',
        measure: 'revenue',
      },
      settings,
    );
    expect(r.periods).toBe(2);
    expect(r.clients[0]!.cv).toBeCloseTo(0.5, 6);
  });

  it('everyone equal and steady: every client AX or BX', () => {
    const r = abcXyz(
      Array.from({ length: 5 }, (_, i) =>
        snapshot(`c${i}`, { months: monthly('2024-01', Array<number>(12).fill(10)) }),
      ),
      YEAR,
      settings,
    );
    expect(r.clients.every((c) => c.cv === 0 && c.xyz === 'X')).toBe(true);
    // Prior shares 0, .2, .4, .6 are below .8; the fifth starts at .8.
    expect(r.matrix).toMatchObject({ AX: 4, BX: 1 });
  });
});

describe('margin measure', () => {
  const clients = [
    snapshot('thin', { months: { '2024-02': { revenue: 1000, margin: 100 } } }),
    snapshot('rich', { months: { '2024-02': { revenue: 500, margin: 300 } } }),
    snapshot('loss', { months: { '2024-02': { revenue: 800, margin: -50 } } }),
  ];

  it('ranks by margin, drops clients without positive margin, and keeps revenue as revenue', () => {
    const r = abcXyz(clients, { ...YEAR, measure: 'margin' }, settings);
    expect(r.measure).toBe('margin');
    expect(r.total).toBe(400);
    expect(r.excluded).toBe(1);
    expect(
      r.clients.map((c) => ({
        id: c.id,
        value: c.value,
        revenue: c.revenue,
        margin: c.margin,
        share: c.share,
        abc: c.abc,
      })),
    ).toEqual([
      { id: 'rich', value: 300, revenue: 500, margin: 300, share: 0.75, abc: 'A' },
      { id: 'thin', value: 100, revenue: 1000, margin: 100, share: 0.25, abc: 'A' },
    ]);
    expect(r.cells.AZ).toEqual({ count: 2, revenue: 1500, margin: 400, value: 400, share: 1 });
  });

  it('the same clients by revenue', () => {
    const r = abcXyz(clients, YEAR, settings);
    expect(r.clients.map((c) => [c.id, c.value])).toEqual([
      ['thin', 1000],
      ['loss', 800],
      ['rich', 500],
    ]);
  });
});

describe('matrix', () => {
  it('has all nine cells, counts and sums agreeing with the clients', () => {
    const r = abcXyz(
      [
        snapshot('steady', { months: monthly('2024-01', Array<number>(12).fill(100)) }),
        snapshot('lumpy', { months: { '2024-01': 150 } }),
        snapshot('small', { months: monthly('2024-01', Array<number>(12).fill(5)) }),
      ],
      YEAR,
      settings,
    );
    expect(Object.keys(r.matrix)).toEqual(['AX', 'AY', 'AZ', 'BX', 'BY', 'BZ', 'CX', 'CY', 'CZ']);
    // 1200 / 1410 = .85: steady crosses 80% and is A; lumpy starts at .85 (B); small at .957 (C).
    expect(r.matrix).toEqual({ AX: 1, AY: 0, AZ: 0, BX: 0, BY: 0, BZ: 1, CX: 1, CY: 0, CZ: 0 });
    expect(r.cells.BZ).toMatchObject({ count: 1, revenue: 150, value: 150 });
    expect(r.cells.AY).toEqual({ count: 0, revenue: 0, margin: 0, value: 0, share: 0 });
  });
});

describe('window defaults', () => {
  it.each([
    { query: {}, from: '2024-05-01T00:00:00.000Z', to: '2025-05-01T00:00:00.000Z' },
    {
      query: { from: '2023-03-01T00:00:00.000Z' },
      from: '2023-03-01T00:00:00.000Z',
      to: '2024-03-01T00:00:00.000Z',
    },
    {
      query: { to: '2024-01-01T00:00:00.000Z' },
      from: '2023-01-01T00:00:00.000Z',
      to: '2024-01-01T00:00:00.000Z',
    },
  ])('$query', ({ query, from, to }) => {
    expect(
      resolveAbcXyzQuery(
        { period: 'quarter', measure: 'revenue', ...query },
        '2025-05-17T10:00:00.000Z',
      ),
    ).toEqual({ from, to, period: 'quarter', measure: 'revenue' });
  });
});
