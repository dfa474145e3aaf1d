import * as fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../schema/events.ts';
import { EventSchema } from '../../schema/events.ts';
import { LifecycleSettingsSchema } from '../../schema/lifecycle.ts';
import { deriveClient } from './derive.ts';
import { replayStages, stagesAsOf } from './stages.ts';

const settings = (patch: Record<string, unknown> = {}) => v.parse(LifecycleSettingsSchema, patch);
let seq = 0;
const ev = (type: string, at: string, extra: Record<string, unknown> = {}): ClientEvent =>
  v.parse(EventSchema, {
    id: `e${String(++seq).padStart(4, '0')}`,
    clientId: 'c1',
    type,
    at,
    ...extra,
  });
const buy = (at: string, amount = 100) => ev('purchase', at, { amount });
const path = (events: ClientEvent[], s = settings()) =>
  replayStages(events, s).stages.map((x) => [x.stage, x.enteredAt.slice(0, 10)]);

describe('portfolio model transitions', () => {
  it.each([
    ['outreach only', [ev('outreach', '2024-01-01')], [['prospect', '2024-01-01']]],
    [
      'a reply makes a potential client',
      [ev('outreach', '2024-01-01'), ev('response', '2024-01-05')],
      [
        ['prospect', '2024-01-01'],
        ['potential', '2024-01-05'],
      ],
    ],
    [
      'a request without outreach is potential at once',
      [ev('request', '2024-01-02')],
      [['potential', '2024-01-02']],
    ],
    [
      'a refusal keeps a prospect a prospect',
      [
        ev('outreach', '2024-01-01'),
        ev('refusal', '2024-01-03', { by: 'client', reason: 'no budget' }),
      ],
      [['prospect', '2024-01-01']],
    ],
  ] as const)('%s', (_name, events, expected) => {
    expect(path([...events])).toEqual(expected);
  });

  it('first order is developing, the third is developed', () => {
    const events = [
      ev('outreach', '2024-01-01'),
      ev('meeting', '2024-01-10'),
      buy('2024-02-01'),
      buy('2024-03-01'),
      buy('2024-04-01'),
    ];
    expect(path(events).slice(0, 4)).toEqual([
      ['prospect', '2024-01-01'],
      ['potential', '2024-01-10'],
      ['developing', '2024-02-01'],
      ['developed', '2024-04-01'],
    ]);
  });

  it('developedAfterOrders is a setting', () => {
    const events = [buy('2024-02-01'), buy('2024-03-01')];
    expect(path(events, settings({ developedAfterOrders: 2 })).slice(0, 2)).toEqual([
      ['developing', '2024-02-01'],
      ['developed', '2024-03-01'],
    ]);
  });

  it('sleeps after max(90 days, 3 × median gap) and is lost 365 days after the last purchase', () => {
    // Monthly buyer: median gap ~30 days, so 90 days rule wins.
    const events = [buy('2024-01-01'), buy('2024-01-31'), buy('2024-03-01')];
    const stages = replayStages(events, settings()).stages;
    expect(stages.map((s) => s.stage)).toEqual(['developing', 'developed', 'sleeping', 'lost']);
    expect(stages[2]!.enteredAt).toBe('2024-05-30T00:00:00.000Z'); // 2024-03-01 + 90 days
    expect(stages[2]!.eventId).toBeNull();
    expect(stages[3]!.enteredAt).toBe('2025-03-01T00:00:00.000Z'); // + 365 days
    expect(stages[3]!.leftAt).toBeNull();
  });

  it('a slow but regular buyer sleeps only after 3 × its own median gap', () => {
    const events = [buy('2024-01-01'), buy('2024-03-01'), buy('2024-05-01')]; // ~60-day gaps
    const sleeping = replayStages(events, settings()).stages.find((s) => s.stage === 'sleeping')!;
    // median gap = (60 + 61) / 2 = 60.5 days → 181.5 days after 2024-05-01
    expect(sleeping.enteredAt).toBe('2024-10-29T12:00:00.000Z');
  });

  it('a purchase exactly at the threshold does not pass through sleeping', () => {
    const events = [buy('2024-01-01'), buy('2024-03-31')]; // 90 days later exactly
    expect(path(events).slice(0, 1)).toEqual([['developing', '2024-01-01']]);
    expect(replayStages(events, settings()).milestones.some((m) => m.kind === 'reactivation')).toBe(
      false,
    );
  });

  it('a purchase by a sleeping client is a reactivation and moves it back', () => {
    const events = [buy('2024-01-01'), buy('2024-02-01'), buy('2024-03-01'), buy('2024-09-01')];
    const { stages, milestones } = replayStages(events, settings());
    expect(stages.map((s) => s.stage)).toEqual([
      'developing',
      'developed',
      'sleeping',
      'developed',
      'sleeping',
      'lost',
    ]);
    const reactivation = milestones.find((m) => m.kind === 'reactivation')!;
    expect(reactivation).toMatchObject({ at: '2024-09-01T00:00:00.000Z', fromStage: 'sleeping' });
  });

  it('a purchase by a lost client is a reactivation from lost', () => {
    const events = [buy('2022-01-01'), buy('2024-01-01')];
    const { stages, milestones } = replayStages(events, settings());
    expect(stages.map((s) => s.stage).slice(0, 4)).toEqual([
      'developing',
      'sleeping',
      'lost',
      'developing',
    ]);
    expect(milestones.find((m) => m.kind === 'reactivation')?.fromStage).toBe('lost');
  });

  it('contacts do not wake a sleeping client', () => {
    const events = [buy('2024-01-01'), ev('contact', '2024-06-01', { sentiment: 'positive' })];
    expect(
      stagesAsOf(replayStages(events, settings()).stages, '2024-07-01T00:00:00.000Z').stage,
    ).toBe('sleeping');
  });

  it('an explicit override holds until the events would move the client to another stage', () => {
    const events = [
      buy('2024-01-01'),
      ev('stage_override', '2024-01-10', { stage: 'developed' }),
      buy('2024-02-01'),
    ];
    // The second purchase leaves the derived stage at "developing", so the override stands…
    expect(path(events).slice(0, 2)).toEqual([
      ['developing', '2024-01-01'],
      ['developed', '2024-01-10'],
    ]);
    // …until the passage of time makes the client sleep, which the override does not suspend.
    expect(path(events)[2]).toEqual(['sleeping', '2024-05-04']); // 3 × the 31-day gap
    const third = [...events, buy('2024-03-01')];
    expect(path(third).slice(0, 3)).toEqual([
      ['developing', '2024-01-01'],
      ['developed', '2024-01-10'],
      ['sleeping', '2024-05-30'],
    ]);
  });
  it('a work-list item marked done moves no stage', () => {
    expect(path([ev('action_done', '2024-01-01', { actionKind: 'wake_sleeping' })])).toEqual([]);
    expect(
      path([
        buy('2024-01-01'),
        ev('action_done', '2024-02-01', { actionKind: 'wake_sleeping' }),
      ]).slice(0, 1),
    ).toEqual([['developing', '2024-01-01']]);
  });
  it('an override to a stage outside the model is ignored', () => {
    expect(
      path([buy('2024-01-01'), ev('stage_override', '2024-01-10', { stage: 'loyalty' })]).slice(
        0,
        2,
      ),
    ).toEqual([
      ['developing', '2024-01-01'],
      ['sleeping', '2024-03-31'],
    ]);
  });
});

describe('clc6 model transitions', () => {
  const clc6 = settings({ model: 'clc6' });
  it('awareness, acquisition, conversion, retention, loyalty, re-engagement', () => {
    const events = [
      ev('outreach', '2024-01-01'),
      ev('response', '2024-01-02'),
      buy('2024-01-10'),
      buy('2024-02-10'),
      ev('referral', '2024-02-20'),
    ];
    expect(path(events, clc6)).toEqual([
      ['awareness', '2024-01-01'],
      ['acquisition', '2024-01-02'],
      ['conversion', '2024-01-10'],
      ['retention', '2024-02-10'],
      ['loyalty', '2024-02-20'],
      ['re_engagement', '2024-05-13'], // 3 × the 31-day gap beats 90 days
    ]);
  });
  it('a low review is not advocacy', () => {
    const events = [
      buy('2024-01-10'),
      buy('2024-02-10'),
      ev('review', '2024-02-11', { rating: 2 }),
    ];
    expect(path(events, clc6).map((x) => x[0])).toEqual([
      'conversion',
      'retention',
      're_engagement',
    ]);
  });
});

describe('milestones', () => {
  it('results of attraction and of the purchase discussion', () => {
    const events = [
      ev('request', '2024-01-01'),
      ev('interest', '2024-01-02'),
      ev('interest', '2024-01-03', { recheckAt: '2024-06-01' }),
      ev('refusal', '2024-01-04', { by: 'us', reason: 'not our market' }),
      ev('refusal', '2024-01-05', { by: 'client', reason: 'later', kind: 'not_now' }),
      ev('purchase_refused', '2024-01-06', { by: 'client', reason: 'price' }),
      ev('purchase_refused', '2024-01-07', { by: 'us', reason: 'unrealistic expectations' }),
      buy('2024-01-08'),
      buy('2024-01-09'),
      ev('referral', '2024-01-10'),
      ev('contact', '2024-01-11', { sentiment: 'positive' }),
    ];
    const m = replayStages(events, settings()).milestones;
    expect(m.map((x) => x.kind)).toEqual([
      'attraction_request',
      'attraction_interest',
      'attraction_interest',
      'attraction_refusal',
      'attraction_refusal',
      'deal_refused_by_client',
      'deal_refused_by_us',
      'deal_purchase',
      'repeat_deal',
      'referral_given',
      'kept_in_touch',
    ]);
    expect(m[1]!.recheckAt).toBe('2024-02-01T00:00:00.000Z'); // default 30 days
    expect(m[2]!.recheckAt).toBe('2024-06-01T00:00:00.000Z');
    expect(m[3]).toMatchObject({ by: 'us', refusalKind: 'non_target', reason: 'not our market' });
    expect(m[4]).toMatchObject({ by: 'client', refusalKind: 'not_now' });
    expect(m[5]).toMatchObject({ reason: 'price' });
    expect(m[8]).toMatchObject({ orderNumber: 2 });
  });
});

describe('stagesAsOf', () => {
  it('clips future transitions and reopens the spell that was current', () => {
    const { stages } = replayStages([buy('2024-01-01')], settings());
    const at = stagesAsOf(stages, '2024-02-01T00:00:00.000Z');
    expect(at.stage).toBe('developing');
    expect(at.spells).toEqual([
      {
        stage: 'developing',
        enteredAt: '2024-01-01T00:00:00.000Z',
        leftAt: null,
        eventId: stages[0]!.eventId,
      },
    ]);
    expect(stagesAsOf(stages, '2023-12-31T00:00:00.000Z').stage).toBeNull();
  });
});

describe('aggregates', () => {
  it('sums purchases, buckets months, counts signals', () => {
    const events = [
      ev('purchase', '2024-01-05T10:00:00Z', { amount: 100, margin: 30, product: 'A' }),
      ev('purchase', '2024-01-05T15:00:00Z', {
        amount: 50.1,
        margin: -5,
        discount: 0.2,
        product: 'B',
      }),
      ev('purchase', '2024-03-01', { amount: 20.2, product: 'A' }),
      ev('payment', '2024-03-02', { daysLate: 12 }),
      ev('payment', '2024-03-03', { daysLate: 0 }),
      ev('contact', '2024-03-04', { sentiment: 'negative' }),
      ev('tag', '2024-03-05', { tag: 'vip' }),
    ];
    const { aggregates: a, periods } = deriveClient(events, settings());
    expect(a).toMatchObject({
      orders: 3,
      purchaseDays: 2,
      revenue: 170.3,
      margin: 25,
      negativeMarginOrders: 1,
      discountedOrders: 1,
      averageDiscount: 0.2,
      firstPurchaseDayRevenue: 150.1,
      firstDevelopedAt: '2024-03-01T00:00:00.000Z',
      medianGapDays: 56,
      latePayments: 1,
      maxDaysLate: 12,
      negativeContacts: 1,
      lastNegativeContactAt: '2024-03-04T00:00:00.000Z',
      eventTags: ['vip'],
      productFirstPurchase: { A: '2024-01-05T10:00:00.000Z', B: '2024-01-05T15:00:00.000Z' },
    });
    expect(periods).toEqual([
      { period: '2024-01', revenue: 150.1, margin: 25, orders: 2 },
      { period: '2024-03', revenue: 20.2, margin: 0, orders: 1 },
    ]);
  });
});

describe('arrival order', () => {
  const types = [
    'outreach',
    'response',
    'request',
    'interest',
    'meeting',
    'offer',
    'purchase',
    'contact',
    'referral',
    'review',
    'complaint',
  ] as const;
  const eventArb = fc.record({
    type: fc.constantFrom(...types),
    day: fc.integer({ min: 0, max: 1500 }),
    hour: fc.constantFrom(0, 12), // collisions on the same instant are part of the test
    amount: fc.integer({ min: 1, max: 5000 }),
  });
  it('any permutation of the same events gives the same stage history, milestones and aggregates', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { minLength: 1, maxLength: 40 }),
        fc.integer(),
        fc.constantFrom('portfolio', 'clc6'),
        (raw, seed, model) => {
          const events = raw.map((r, i) => {
            const at = new Date(
              Date.UTC(2022, 0, 1) + r.day * 86_400_000 + r.hour * 3_600_000,
            ).toISOString();
            const extra =
              r.type === 'purchase'
                ? { amount: r.amount / 7 }
                : r.type === 'contact'
                  ? { sentiment: 'positive' }
                  : {};
            return v.parse(EventSchema, {
              id: `ev-${i}`,
              clientId: 'c',
              type: r.type,
              at,
              ...extra,
            });
          });
          const shuffled = fc.sample(
            fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
            { numRuns: 1, seed },
          )[0]!;
          const s = settings({ model });
          expect(deriveClient(shuffled, s)).toEqual(deriveClient(events, s));
        },
      ),
      { numRuns: 300 },
    );
  });
});
