import { describe, expect, it } from 'vitest';
import type { ClientSnapshot } from '../../schema/clients.ts';
import * as v from 'valibot';
import { StrictReasonSchema } from '../../schema/reasons.ts';
import { renderReason } from '../messages/render.ts';
import {
  buildTypeContext,
  classifyAll,
  classifyClient,
  type ClientTypeEntry,
  countTypes,
} from './client-types.ts';
import { monthly, segmentSettings, snapshot, type SnapshotSpec } from './fixtures.ts';

const AS_OF = '2025-01-15T00:00:00.000Z'; // window: the 12 months of 2024
const settings = segmentSettings();
const at = (day: string) => `${day}T00:00:00.000Z`;

/**
 * The workspace every case runs in: ten buyers b01…b10, buyer K with K orders of 100 in 2024
 * (revenue 100 × K, check 100). Totals: revenue 5,500, median check 100.
 */
const BACKGROUND: ClientSnapshot[] = Array.from({ length: 10 }, (_, i) =>
  snapshot(`b${String(i + 1).padStart(2, '0')}`, {
    stage: 'developed',
    months: monthly('2024-01', Array(i + 1).fill(100)),
  }),
);

const typesOf = (id: string, others: ClientSnapshot[]) => {
  const all = [...BACKGROUND, ...others];
  const ctx = buildTypeContext(all, settings, AS_OF);
  return Object.fromEntries(
    classifyClient(
      all.find((s) => s.id === id)!,
      ctx,
    ).map((e) => [e.type, e]),
  );
};

interface Case {
  name: string;
  client: SnapshotSpec;
  /** Other clients the case needs in the workspace. */
  others?: ClientSnapshot[];
  type: string;
  reasons: string[] | null;
}

const cases: Case[] = [
  // golden
  {
    name: 'golden: a key client by revenue, margin and rank',
    client: { months: { '2024-06': { revenue: 5000, margin: 1000, orders: 5 } } },
    type: 'golden',
    reasons: [
      '47.6% of revenue (key from 10%)',
      '100% of margin (key from 10%)',
      'revenue rank 1 of 11 (top 1%)',
    ],
  },
  {
    name: 'golden: 9.1% of revenue and rank 2 is not key',
    client: { months: { '2024-06': 1000 } },
    others: [snapshot('top', { months: { '2024-01': 4500 } })],
    type: 'golden',
    reasons: null,
  },
  // super-consumer
  {
    name: 'super-consumer: top fifth by revenue and orders, check above the median',
    client: { months: monthly('2024-01', Array(12).fill(250)) },
    type: 'super_consumer',
    // Revenues 3000, 1000, 900…: the third of 11 is the cut; orders 12, 10, 9.
    reasons: [
      'revenue $3,000 in the window (top 20% from $900)',
      '12 orders in the window (top 20% from 9)',
      "average check $250, 2.5× the median buyer's $100",
    ],
  },
  {
    name: 'super-consumer: many orders at the median check is not enough',
    client: { months: monthly('2024-01', Array(12).fill(100)) },
    type: 'super_consumer',
    reasons: null,
  },
  // loyal
  {
    name: 'loyal: 20 months, regular, on rhythm',
    client: {
      stage: 'developed',
      aggregates: {
        orders: 12,
        revenue: 1200,
        purchaseDays: 12,
        medianGapDays: 30,
        firstPurchaseAt: at('2023-06-01'),
        lastPurchaseAt: at('2025-01-01'),
      },
    },
    type: 'loyal',
    reasons: [
      'with us 20 months (first purchase Jun 1, 2023)',
      '12 purchase days, a median 30 days apart',
      'last purchase 14 days ago',
    ],
  },
  {
    name: 'loyal: a daily buyer who skipped 20 days keeps the 30-day grace',
    client: {
      stage: 'developed',
      aggregates: {
        orders: 400,
        revenue: 4000,
        purchaseDays: 400,
        medianGapDays: 1,
        firstPurchaseAt: at('2023-10-01'),
        lastPurchaseAt: at('2024-12-26'),
      },
    },
    type: 'loyal',
    reasons: [
      'with us 16 months (first purchase Oct 1, 2023)',
      '400 purchase days, a median 1 day apart',
      'last purchase 20 days ago',
    ],
  },
  {
    name: 'loyal: off rhythm (106 days since the last purchase, allowance 60)',
    client: {
      stage: 'developed',
      aggregates: {
        orders: 12,
        revenue: 1200,
        purchaseDays: 12,
        medianGapDays: 30,
        firstPurchaseAt: at('2023-06-01'),
        lastPurchaseAt: at('2024-10-01'),
      },
    },
    type: 'loyal',
    reasons: null,
  },
  {
    name: 'loyal: regular but with us under a year',
    client: {
      stage: 'developed',
      aggregates: {
        orders: 8,
        revenue: 800,
        purchaseDays: 8,
        medianGapDays: 30,
        firstPurchaseAt: at('2024-06-01'),
        lastPurchaseAt: at('2025-01-01'),
      },
    },
    type: 'loyal',
    reasons: null,
  },
  // pioneer
  {
    name: 'pioneer: bought a new product 4 days after its first sale',
    client: { aggregates: { productFirstPurchase: { Widget: at('2024-06-05') } } },
    others: [
      snapshot('launcher', { aggregates: { productFirstPurchase: { Widget: at('2024-06-01') } } }),
    ],
    type: 'pioneer',
    reasons: ['bought the new “Widget” 4 days after its first sale on Jun 1, 2024'],
  },
  {
    name: 'pioneer: two months after the launch is no pioneer',
    client: { aggregates: { productFirstPurchase: { Widget: at('2024-08-01') } } },
    others: [
      snapshot('launcher', { aggregates: { productFirstPurchase: { Widget: at('2024-06-01') } } }),
    ],
    type: 'pioneer',
    reasons: null,
  },
  {
    name: 'pioneer: a product on sale since the first sale of the data is not new',
    client: { aggregates: { productFirstPurchase: { Classic: at('2024-01-01') } } },
    type: 'pioneer',
    reasons: null,
  },
  // fan
  {
    name: 'fan: a referral, no purchase needed',
    client: { aggregates: { referrals: 1, events: 1 } },
    type: 'fan',
    reasons: ['1 referral'],
  },
  {
    name: 'fan: two good reviews',
    client: { aggregates: { reviews: 2, positiveReviews: 2 } },
    type: 'fan',
    reasons: ['2 positive reviews (rating 4–5)'],
  },
  {
    name: 'fan: one good review is politeness',
    client: { aggregates: { reviews: 1, positiveReviews: 1 } },
    type: 'fan',
    reasons: null,
  },
  {
    name: 'fan: a referrer who writes bad reviews is no fan',
    client: { aggregates: { referrals: 1, reviews: 2, negativeReviews: 2 } },
    type: 'fan',
    reasons: null,
  },
  // small fry
  {
    name: 'small fry: check 20 against a median of 100',
    client: { months: { '2024-03': { revenue: 100, orders: 5 } } },
    type: 'small_fry',
    reasons: ["average check $20.00 is 20% of the median buyer's $100"],
  },
  {
    name: 'small fry: a check of 60 is not small',
    client: { months: { '2024-03': { revenue: 60, orders: 1 } } },
    type: 'small_fry',
    reasons: null,
  },
  // bad
  {
    name: 'bad: late payments',
    client: { aggregates: { payments: 10, latePayments: 3, maxDaysLate: 45 } },
    type: 'bad',
    reasons: ['3 of 10 payments late (max 45 days)'],
  },
  {
    name: 'bad: one payment 75 days late',
    client: { aggregates: { payments: 10, latePayments: 1, maxDaysLate: 75 } },
    type: 'bad',
    reasons: ['1 of 10 payments late (max 75 days)'],
  },
  {
    name: 'bad: one payment 10 days late is not bad',
    client: { aggregates: { payments: 10, latePayments: 1, maxDaysLate: 10 } },
    type: 'bad',
    reasons: null,
  },
  {
    name: 'bad: deals at a loss',
    client: {
      aggregates: { orders: 8, ordersWithMargin: 8, negativeMarginOrders: 2, margin: -1200 },
    },
    type: 'bad',
    reasons: ['2 of 8 orders at a loss (total margin -$1,200)'],
  },
  {
    name: 'bad: one loss in ten profitable orders is not bad',
    client: {
      aggregates: { orders: 10, ordersWithMargin: 10, negativeMarginOrders: 1, margin: 900 },
    },
    type: 'bad',
    reasons: null,
  },
  {
    name: 'bad: always dissatisfied',
    client: { aggregates: { orders: 4, complaints: 3 } },
    type: 'bad',
    reasons: ['3 complaints over 4 orders'],
  },
  {
    name: 'bad: two complaints over ten orders is not bad',
    client: { aggregates: { orders: 10, complaints: 2 } },
    type: 'bad',
    reasons: null,
  },
  {
    name: 'bad: negative contacts',
    client: { aggregates: { contacts: 6, negativeContacts: 4 } },
    type: 'bad',
    reasons: ['4 of 6 contacts negative'],
  },
  {
    name: 'bad: buys only at a discount',
    client: { aggregates: { orders: 5, discountedOrders: 5, averageDiscount: 0.22 } },
    type: 'bad',
    reasons: ['buys at a discount: 5 of 5 orders discounted (average discount 22%)'],
  },
  {
    name: 'bad: steals our time',
    client: { aggregates: { orders: 2, contacts: 30 } },
    type: 'bad',
    reasons: ['takes our time: 30 contacts for 2 orders'],
  },
  {
    name: 'bad: discredits us',
    client: { aggregates: { reviews: 2, negativeReviews: 2 } },
    type: 'bad',
    reasons: ['2 negative reviews (rating 1–2)'],
  },
  {
    name: 'bad: tagged rude by hand',
    client: { aggregates: { eventTags: ['rude'] } },
    type: 'bad',
    reasons: ['tagged “rude”'],
  },
  {
    name: 'bad: every fired signal is listed',
    client: {
      aggregates: { orders: 4, complaints: 3, payments: 4, latePayments: 2, maxDaysLate: 20 },
    },
    type: 'bad',
    reasons: ['2 of 4 payments late (max 20 days)', '3 complaints over 4 orders'],
  },
  // sleeping
  {
    name: 'sleeping: the stage says so',
    client: {
      stage: 'sleeping',
      stageSince: at('2024-10-01'),
      aggregates: { orders: 3, lastPurchaseAt: at('2024-07-03') },
    },
    type: 'sleeping',
    reasons: ['stage sleeping since Oct 1, 2024', 'last purchase 196 days ago'],
  },
  {
    name: 'sleeping: re-engagement is the clc6 name for it',
    client: { stage: 're_engagement', stageSince: at('2024-12-01') },
    type: 'sleeping',
    reasons: ['stage re-engagement since Dec 1, 2024'],
  },
  {
    name: 'sleeping: a lost client is not sleeping',
    client: { stage: 'lost', aggregates: { orders: 3, lastPurchaseAt: at('2023-07-03') } },
    type: 'sleeping',
    reasons: null,
  },
  // ours, not yet
  {
    name: 'inquirer: contacted us, no purchase',
    client: { aggregates: { events: 2, requests: 1, responses: 1 } },
    type: 'inquirer',
    reasons: ['1 request and 1 response, no purchase yet'],
  },
  {
    name: 'inquirer: a buyer is no inquirer',
    client: { months: { '2024-02': 100 }, aggregates: { requests: 1 } },
    type: 'inquirer',
    reasons: null,
  },
  {
    name: 'inquirer: one who met us is a near-client instead',
    client: { aggregates: { requests: 1, meetings: 1, firstEventAt: at('2025-01-01') } },
    type: 'inquirer',
    reasons: null,
  },
  {
    name: 'near-client: met us and got an offer, did not buy',
    client: { aggregates: { events: 2, meetings: 1, offers: 1, firstEventAt: at('2025-01-01') } },
    type: 'near_client',
    reasons: ['met us once', 'received 1 offer', 'no purchase'],
  },
  {
    name: 'near-client: a fresh round of promises is still a near-client',
    client: { aggregates: { meetings: 2, offers: 2, firstEventAt: at('2024-12-20') } },
    type: 'near_client',
    reasons: ['met us 2 times', 'received 2 offers', 'no purchase'],
  },
  {
    name: 'false client: promises over months, no purchase',
    client: {
      aggregates: { meetings: 2, offers: 2, interests: 1, firstEventAt: at('2024-09-01') },
    },
    type: 'false_client',
    reasons: ['2 meetings, 2 offers, and 1 deferred interest over 4 months, no purchase'],
  },
  {
    name: 'false client: the same promises within a month are not yet a pattern',
    client: {
      aggregates: { meetings: 2, offers: 2, interests: 1, firstEventAt: at('2024-12-20') },
    },
    type: 'false_client',
    reasons: null,
  },
  {
    name: 'false client: is not also a near-client',
    client: {
      aggregates: { meetings: 2, offers: 2, interests: 1, firstEventAt: at('2024-09-01') },
    },
    type: 'near_client',
    reasons: null,
  },
  // not ours
  {
    name: 'potential: known, silent',
    client: { aggregates: { events: 3, outreaches: 3 } },
    type: 'potential',
    reasons: ['no purchase and no response yet after 3 outreaches'],
  },
  {
    name: 'potential: entered by hand, no event yet',
    client: {},
    type: 'potential',
    reasons: ['no purchase and no response yet'],
  },
  {
    name: 'potential: a buyer is ours, not potential',
    client: { months: { '2024-04': 100 } },
    type: 'potential',
    reasons: null,
  },
  {
    name: 'potential: one who answered is an inquirer instead',
    client: { aggregates: { events: 2, outreaches: 1, responses: 1 } },
    type: 'potential',
    reasons: null,
  },
  {
    name: 'potential: a non-target refusal rules it out',
    client: {
      aggregates: {
        events: 2,
        outreaches: 1,
        refusals: 1,
        lastRefusal: {
          at: at('2024-05-01'),
          by: 'client',
          reason: 'not our business',
          kind: 'non_target',
        },
      },
    },
    type: 'potential',
    reasons: null,
  },
  {
    name: 'competitors: tagged',
    client: { aggregates: { events: 1, eventTags: ['competitor'] } },
    type: 'competitors',
    reasons: ['tagged “competitor”'],
  },
  {
    name: 'competitors: the refusal names a competitor',
    client: {
      aggregates: {
        events: 2,
        outreaches: 1,
        refusals: 1,
        lastRefusal: {
          at: at('2024-05-01'),
          by: 'client',
          reason: 'Buys from a competitor',
          kind: null,
        },
      },
    },
    type: 'competitors',
    reasons: ['last refusal: “Buys from a competitor”'],
  },
  {
    name: 'competitors: a competitor’s client is not potential',
    client: { aggregates: { events: 1, outreaches: 1, eventTags: ['competitor'] } },
    type: 'potential',
    reasons: null,
  },
  {
    name: 'competitors: a price refusal says nothing of competitors',
    client: {
      aggregates: {
        refusals: 1,
        lastRefusal: { at: at('2024-05-01'), by: 'client', reason: 'too expensive', kind: null },
      },
    },
    type: 'competitors',
    reasons: null,
  },
  // manual-first types
  {
    name: 'lead user: tagged from feedback',
    client: { aggregates: { eventTags: ['lead_user'] } },
    type: 'lead_user',
    reasons: ['tagged “lead_user”'],
  },
  {
    name: 'status: client tags count, any case',
    client: { tags: ['Status'] },
    type: 'status',
    reasons: ['tagged “status”'],
  },
  { name: 'status: nothing says so', client: { tags: ['vip'] }, type: 'status', reasons: null },
];

/** The entry with its reasons in English, each checked against its code's parameters first. */
const english = (entry: ClientTypeEntry | undefined) =>
  entry && {
    ...entry,
    reasons: entry.reasons.map((r) => {
      expect(v.safeParse(StrictReasonSchema, r).issues, JSON.stringify(r)).toBeUndefined();
      return renderReason(r, 'en');
    }),
  };

describe('client types: each rule, positive and negative, with its reasons', () => {
  it.each(cases)('$name', ({ client, others = [], type, reasons }) => {
    const types = typesOf('t', [snapshot('t', client), ...others]);
    if (reasons === null) expect(types[type]).toBeUndefined();
    else expect(english(types[type])).toEqual({ type, source: 'derived', reasons });
  });
});

describe('manual types', () => {
  it('are always included with "set by hand", known or not', () => {
    const types = typesOf('t', [snapshot('t', { manualTypes: ['status', 'vip'] })]);
    expect(english(types.status)).toEqual({
      type: 'status',
      source: 'manual',
      reasons: ['set by hand'],
    });
    expect(english(types.vip)).toEqual({ type: 'vip', source: 'manual', reasons: ['set by hand'] });
  });

  it('keep the derived reasons when the data agrees', () => {
    const types = typesOf('t', [
      snapshot('t', {
        manualTypes: ['bad'],
        aggregates: { payments: 10, latePayments: 3, maxDaysLate: 45 },
      }),
    ]);
    expect(english(types.bad)).toEqual({
      type: 'bad',
      source: 'manual',
      reasons: ['set by hand', '3 of 10 payments late (max 45 days)'],
    });
  });

  it('list after the known types, which keep their order', () => {
    const ctx = buildTypeContext(BACKGROUND, settings, AS_OF);
    const t = snapshot('t', {
      manualTypes: ['zeta', 'fan'],
      stage: 'sleeping',
      aggregates: { referrals: 1 },
    });
    expect(classifyClient(t, ctx).map((e) => e.type)).toEqual(['fan', 'sleeping', 'zeta']);
  });
});

describe('several types at once', () => {
  it('golden and pioneer', () => {
    const t = snapshot('t', {
      months: { '2024-06': { revenue: 5000, orders: 2 } },
      aggregates: { productFirstPurchase: { Widget: at('2024-06-02') } },
    });
    const launcher = snapshot('launcher', {
      aggregates: { productFirstPurchase: { Widget: at('2024-06-01') } },
    });
    expect(Object.keys(typesOf('t', [t, launcher]))).toEqual(['golden', 'pioneer']);
  });
});

describe('context', () => {
  it('a cached context classifies one profile exactly as classifying everyone does', () => {
    const t = snapshot('t', {
      months: { '2024-03': { revenue: 100, orders: 5 } },
      aggregates: { referrals: 2 },
    });
    const all = [...BACKGROUND, t];
    const ctx = buildTypeContext(all, settings, AS_OF);
    expect(classifyClient(t, ctx)).toEqual(classifyAll(all, settings, AS_OF).get('t'));
  });

  it('thresholds are settings', () => {
    const t = snapshot('t', { aggregates: { reviews: 1, positiveReviews: 1 } });
    const ctx = buildTypeContext(
      [...BACKGROUND, t],
      segmentSettings({ types: { fan: { minPositiveReviews: 1 } } }),
      AS_OF,
    );
    expect(classifyClient(t, ctx).map((e) => e.type)).toContain('fan');
  });

  it('golden follows the window: revenue before it does not count', () => {
    const old = snapshot('old', { months: { '2022-06': 50000 } });
    const ctx = buildTypeContext([...BACKGROUND, old], settings, AS_OF);
    expect(classifyClient(old, ctx).map((e) => e.type)).not.toContain('golden');
  });
});

describe('countTypes', () => {
  it('counts every known type, zeros included, then hand-made ones, split by source', () => {
    const r = countTypes(
      [
        [
          {
            type: 'fan',
            source: 'derived',
            reasons: [{ code: 'fan_referrals', params: { count: 1 } }],
          },
        ],
        [
          { type: 'fan', source: 'manual', reasons: [{ code: 'manual', params: {} }] },
          { type: 'vip', source: 'manual', reasons: [{ code: 'manual', params: {} }] },
        ],
        [],
      ],
      AS_OF,
    );
    expect(r.clients).toBe(3);
    expect(r.types).toHaveLength(16);
    expect(r.types.find((t) => t.type === 'fan')).toEqual({
      type: 'fan',
      count: 2,
      derived: 1,
      manual: 1,
    });
    expect(r.types.find((t) => t.type === 'golden')).toEqual({
      type: 'golden',
      count: 0,
      derived: 0,
      manual: 0,
    });
    expect(r.types.at(-1)).toEqual({ type: 'vip', count: 1, derived: 0, manual: 1 });
  });
});
