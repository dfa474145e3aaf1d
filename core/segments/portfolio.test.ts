import { describe, expect, it } from 'vitest';
import type { ClientSnapshot } from '../../schema/clients.ts';
import type { Stage } from '../../schema/lifecycle.ts';
import { segmentSettings, snapshot } from './fixtures.ts';
import { renderReason } from '../messages/render.ts';
import type { Reason } from '../../schema/reasons.ts';

const en = (r: { code: string; params: Record<string, unknown> }) =>
  renderReason(r as Reason, 'en');
import { portfolio, type PortfolioParams } from './portfolio.ts';

const PARAMS: PortfolioParams = {
  asOf: '2025-01-15T00:00:00.000Z',
  months: 12,
  model: 'portfolio',
};
const settings = segmentSettings();
const buyer = (id: string, revenue: number, margin = 0, stage: Stage | null = 'developed') =>
  snapshot(id, { stage, months: { '2024-05': { revenue, margin } } });
const codes = (r: ReturnType<typeof portfolio>) => r.warnings.map((w) => w.code);

describe('revenue concentration', () => {
  const clients = [
    buyer('a', 50),
    buyer('b', 20),
    buyer('c', 10),
    buyer('d', 10),
    buyer('e', 5),
    buyer('f', 5),
    snapshot('lead', { stage: 'potential' }),
  ];
  const r = portfolio(clients, PARAMS, settings);

  it('top-1, top-5 and top-20% shares', () => {
    expect(r.concentration).toMatchObject({
      revenue: 100,
      top1Share: 0.5,
      top5Share: 0.95,
      top20PercentShare: 0.7,
      top20PercentClients: 2,
    });
    expect(r.buyers).toBe(6);
    expect(r.clients).toBe(7);
  });

  it('HHI = Σ share²: .25 + .04 + .01 + .01 + .0025 + .0025 = .315', () => {
    expect(r.concentration.hhi).toBeCloseTo(0.315, 9);
    expect(r.concentration.effectiveClients).toBeCloseTo(3.17, 2);
  });

  it('exactly 50% is not a mono-client', () => {
    expect(codes(r)).not.toContain('mono_client');
  });

  it('revenue outside the window is not counted', () => {
    const old = snapshot('old', { months: { '2023-12': 1000, '2025-01': 1000 } });
    expect(portfolio([...clients, old], PARAMS, settings).concentration.revenue).toBe(100);
  });

  it('everyone equal: HHI = 1/n', () => {
    const even = portfolio(
      [buyer('a', 10), buyer('b', 10), buyer('c', 10), buyer('d', 10)],
      PARAMS,
      settings,
    );
    expect(even.concentration).toMatchObject({
      hhi: 0.25,
      effectiveClients: 4,
      top1Share: 0.25,
      top20PercentClients: 1,
    });
  });
});

describe('mono-client', () => {
  it.each([
    {
      name: 'more than half the revenue',
      clients: [buyer('big', 60), buyer('small', 40)],
      id: 'big',
      share: 0.6,
      text: 'big brings 60% of revenue',
    },
    {
      name: 'more than half the margin',
      clients: [buyer('lean', 50, 20), buyer('rich', 50, 80)],
      id: 'rich',
      share: 0.8,
      text: 'rich brings 80% of margin',
    },
  ])('$name', ({ clients, id, share, text }) => {
    const mono = portfolio(clients, PARAMS, settings).warnings.filter(
      (w) => w.code === 'mono_client',
    );
    expect(mono).toHaveLength(1);
    expect(mono[0]).toMatchObject({ clientId: id, share });
    expect(en(mono[0]!)).toContain(text);
  });

  it('the threshold is a setting', () => {
    const r = portfolio(
      [buyer('a', 40), buyer('b', 35), buyer('c', 25)],
      PARAMS,
      segmentSettings({ portfolio: { monoClientShare: 0.3 } }),
    );
    expect(r.warnings.filter((w) => w.code === 'mono_client').map((w) => w.clientId)).toEqual([
      'a',
      'b',
    ]);
  });
});

describe('stage spread and balance', () => {
  const staged = (
    counts: Partial<Record<Stage, number>>,
    revenueOf: Partial<Record<Stage, number>> = {},
  ): ClientSnapshot[] =>
    Object.entries(counts).flatMap(([stage, n]) =>
      Array.from({ length: n }, (_, i) =>
        snapshot(`${stage}-${i}`, {
          stage: stage as Stage,
          months: revenueOf[stage as Stage] ? { '2024-05': revenueOf[stage as Stage]! } : {},
        }),
      ),
    );

  it('counts and shares per stage of the model, in funnel order', () => {
    const r = portfolio(
      [
        ...staged({ prospect: 2, potential: 1, developing: 1, developed: 4, sleeping: 2 }),
        snapshot('unknown'),
      ],
      PARAMS,
      settings,
    );
    expect(r.stages).toEqual([
      { stage: 'prospect', count: 2, share: 0.2 },
      { stage: 'potential', count: 1, share: 0.1 },
      { stage: 'developing', count: 1, share: 0.1 },
      { stage: 'developed', count: 4, share: 0.4 },
      { stage: 'sleeping', count: 2, share: 0.2 },
      { stage: 'lost', count: 0, share: 0 },
    ]);
    expect(r.unstaged).toBe(1);
    // An empty "lost" is good news, not a warning.
    expect(codes(r)).not.toContain('empty_stage');
  });

  it('the clc6 model lists its own stages', () => {
    const r = portfolio(
      staged({ awareness: 1, retention: 2 }),
      { ...PARAMS, model: 'clc6' },
      settings,
    );
    expect(r.stages.map((s) => [s.stage, s.count])).toEqual([
      ['awareness', 1],
      ['acquisition', 0],
      ['conversion', 0],
      ['retention', 2],
      ['loyalty', 0],
      ['re_engagement', 0],
    ]);
    expect(r.warnings.filter((w) => w.code === 'empty_stage').map((w) => w.stage)).toEqual([
      'acquisition',
      'conversion',
    ]);
  });

  it('warns of each required stage left empty', () => {
    const r = portfolio(
      staged({ prospect: 3, developing: 2, developed: 5 }, { developing: 10, developed: 10 }),
      PARAMS,
      settings,
    );
    const empty = r.warnings.filter((w) => w.code === 'empty_stage');
    expect(empty.map((w) => w.stage)).toEqual(['potential']);
    expect(en(empty[0]!)).toBe(
      'No client is in the stage potential: a healthy portfolio has clients at every stage',
    );
  });

  it.each([
    {
      name: 'regulars bring everything and nobody is being attracted',
      counts: { developed: 9, developing: 1 },
      warned: true,
    },
    {
      name: 'one prospect in twenty is still too few',
      counts: { developed: 18, developing: 1, prospect: 1 },
      warned: true,
    },
    {
      name: 'two in twenty (10%) is enough',
      counts: { developed: 17, developing: 1, prospect: 1, potential: 1 },
      warned: false,
    },
  ])('resting on regulars: $name', ({ counts, warned }) => {
    const r = portfolio(staged(counts, { developed: 100, developing: 5 }), PARAMS, settings);
    expect(codes(r).includes('resting_on_regulars')).toBe(warned);
  });

  it('resting on regulars says how much and how few', () => {
    const r = portfolio(
      staged({ developed: 9, developing: 1 }, { developed: 100, developing: 100 }),
      PARAMS,
      settings,
    );
    const warning = r.warnings.find((w) => w.code === 'resting_on_regulars')!;
    expect(warning).toMatchObject({ code: 'resting_on_regulars', share: 0.9 });
    expect(en(warning)).toBe(
      'Everything rests on regulars: developed clients bring 90% of revenue while 0 clients (0%) are being attracted (prospect and potential)',
    );
  });

  it('warns when too many of the clients who ever bought are asleep', () => {
    const bought = (id: string, stage: Stage) =>
      snapshot(id, {
        stage,
        aggregates: { firstPurchaseAt: '2023-01-01T00:00:00.000Z', orders: 2 },
      });
    const many = portfolio(
      [
        bought('a', 'sleeping'),
        bought('b', 'sleeping'),
        bought('c', 'developed'),
        bought('d', 'developed'),
        snapshot('p', { stage: 'prospect' }),
      ],
      PARAMS,
      settings,
    );
    expect(many.warnings.find((w) => w.code === 'sleeping_share_high')).toMatchObject({
      share: 0.5,
    });
    const few = portfolio(
      [
        bought('a', 'sleeping'),
        bought('b', 'developed'),
        bought('c', 'developed'),
        bought('d', 'developed'),
      ],
      PARAMS,
      settings,
    );
    expect(codes(few)).not.toContain('sleeping_share_high');
  });
});

describe('key clients and gold / silver / bronze', () => {
  // anchor 2000 (since 2022) and rising 1500 (since 2024-06) over twenty small clients s100…s119
  // whose revenue is their number: total 5,690.
  const smalls = Array.from({ length: 20 }, (_, i) =>
    snapshot(`s${100 + i}`, { months: { '2024-03': 100 + i } }),
  );
  smalls[5] = snapshot('s105', { months: { '2024-03': 30, '2024-09': 75 } });
  const clients = [
    snapshot('anchor', {
      months: { '2024-02': 2000 },
      aggregates: { firstPurchaseAt: '2022-01-01T00:00:00.000Z' },
    }),
    snapshot('rising', { months: { '2024-06': 1500 } }),
    ...smalls,
  ];
  const r = portfolio(clients, PARAMS, settings);
  const tier = Object.fromEntries(r.tiers.clients.map((c) => [c.id, c]));

  it('key clients: by revenue share or top rank, with the reasons', () => {
    expect(r.keyClients.map((k) => ({ ...k, reasons: k.reasons.map(en) }))).toEqual([
      {
        id: 'anchor',
        revenue: 2000,
        revenueShare: 0.351494,
        margin: 0,
        marginShare: null,
        reasons: ['35.1% of revenue (key from 10%)', 'revenue rank 1 of 22 (top 1%)'],
      },
      {
        id: 'rising',
        revenue: 1500,
        revenueShare: 0.26362,
        margin: 0,
        marginShare: null,
        reasons: ['26.4% of revenue (key from 10%)'],
      },
    ]);
  });

  it.each([
    [
      'anchor',
      'gold',
      'key client with us 3 years: 35.1% of revenue (key from 10%); revenue rank 1 of 22 (top 1%)',
    ],
    [
      'rising',
      'silver',
      'key client with us only 7 months (gold after 12 months): 26.4% of revenue (key from 10%)',
    ],
    // Cumulative share before s119 is 3500 / 5690 = .615; the A group runs down to s110.
    ['s119', 'silver', 'class A: 2.1% of revenue, within the first 80%'],
    ['s110', 'silver', 'class A: 1.9% of revenue, within the first 80%'],
    ['s109', 'bronze', 'class B: 1.9% of revenue, not growing'],
    ['s105', 'silver', 'class B, revenue up 150% on the previous 6 months'],
    ['s100', 'bronze', 'class C: 1.8% of revenue'],
  ])('%s is %s', (id, expected, reason) => {
    expect(tier[id]).toMatchObject({ tier: expected });
    expect(en(tier[id]!.reason)).toBe(reason);
  });

  it('topShare 0 leaves only the share rules', () => {
    const shareOnly = portfolio(clients, PARAMS, segmentSettings({ keyClients: { topShare: 0 } }));
    expect(shareOnly.keyClients.map((k) => [k.id, k.reasons.map(en)])).toEqual([
      ['anchor', ['35.1% of revenue (key from 10%)']],
      ['rising', ['26.4% of revenue (key from 10%)']],
    ]);
  });

  it('counts the tiers over every buyer, largest first', () => {
    expect(r.tiers.counts).toEqual({ gold: 1, silver: 12, bronze: 9 });
    expect(r.tiers.clients.map((c) => c.id).slice(0, 3)).toEqual(['anchor', 'rising', 's119']);
  });
});
