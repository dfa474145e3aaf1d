// One sample answer of the API per component, for tests that need a component with real data
// without caring about the figures (the packaging test renders each from source and from the
// bundle). Not shipped: nothing but tests imports this.
import type { ActionList } from '../../schema/actions.ts';
import type { Funnel } from '../../schema/lifecycle.ts';
import type { AbcXyzResult } from '../../schema/segments.ts';
import type { ClientProfile, ClientTypeEntry } from './profile.ts';

const stage = (name: Funnel['stages'][number]['stage'], count: number, conversionToNext: number | null, medianDays: number | null) => ({
  stage: name,
  label: name,
  count,
  entered: count,
  reached: count * 2,
  conversionToNext,
  cumulativeConversion: 0.5,
  medianDays,
  cumulativeMedianDays: medianDays,
});

export const funnel: Funnel = {
  model: 'portfolio',
  asOf: '2025-03-01T00:00:00.000Z',
  from: '2025-02-01T00:00:00.000Z',
  to: '2025-03-01T00:00:00.000Z',
  total: 1460,
  stages: [stage('prospect', 1234, 0.455, 12.5), stage('potential', 120, 0.25, 30), stage('developed', 80, null, 200), stage('lost', 26, null, null)],
};

const cell = (count: number, revenue: number) => ({ count, revenue, margin: revenue / 4, value: revenue, share: revenue / 1_000_000 });
const none = cell(0, 0);

export const abcXyz: AbcXyzResult = {
  from: '2024-01-01T00:00:00.000Z',
  to: '2025-01-01T00:00:00.000Z',
  period: 'month',
  periods: 12,
  measure: 'revenue',
  total: 1_000_000,
  excluded: 0,
  thresholds: { a: 0.8, b: 0.95, x: 0.1, y: 0.25 },
  clients: [
    { id: 'a1', rank: 1, abc: 'A', xyz: 'X', value: 800_000, revenue: 800_000, margin: 200_000, share: 0.8, cumulativeShare: 0.8, cv: 0.05 },
    { id: 'b1', rank: 2, abc: 'B', xyz: 'Y', value: 150_000, revenue: 150_000, margin: 37_500, share: 0.15, cumulativeShare: 0.95, cv: 0.2 },
    { id: 'c1', rank: 3, abc: 'C', xyz: 'Z', value: 50_000, revenue: 50_000, margin: 12_500, share: 0.05, cumulativeShare: 1, cv: 0.6 },
  ],
  matrix: { AX: 1, AY: 0, AZ: 0, BX: 0, BY: 1, BZ: 0, CX: 0, CY: 0, CZ: 1 },
  cells: { AX: cell(1, 800_000), AY: none, AZ: none, BX: none, BY: cell(1, 150_000), BZ: none, CX: none, CY: none, CZ: cell(1, 50_000) },
};

export const types: ClientTypeEntry[] = [
  { type: 'golden', source: 'derived', reasons: ['top 20% by revenue', '14 orders'] },
  { type: 'status', source: 'manual', reasons: [] },
  { type: 'partner', source: 'manual', reasons: ['reseller since 2021'] },
];

export const profile: ClientProfile = {
  id: 'acme',
  name: 'Acme Ltd',
  attributes: { channel: 'referral' },
  tags: ['wholesale', 'north'],
  manualTypes: ['status'],
  acquisitionCost: 500,
  createdAt: '2023-01-10T00:00:00.000Z',
  updatedAt: '2025-02-01T00:00:00.000Z',
  stage: 'developed',
  stageSince: '2024-03-05T00:00:00.000Z',
  currency: 'EUR',
  types,
  rfm: { r: 5, f: 4, m: 5, segment: 'champions' },
  abc: 'A',
  xyz: 'Y',
  clv: { historicClv: 12_345.5, historicMargin: 3_000, predictedClv: 4_000, totalClv: 16_345.5, pAlive: 0.92, churnProbability: 0.08, predictedNumberOfOrders: 3.4, averageDaysBetweenOrders: 41.5, expectedDateOfNextOrder: '2025-03-20T00:00:00.000Z' },
  aggregates: { orders: 14, revenue: 12_345.5, margin: 3_000, firstPurchaseAt: '2023-02-01T00:00:00.000Z', lastPurchaseAt: '2025-01-28T00:00:00.000Z' },
  recentEvents: [
    { id: 'e2', clientId: 'acme', type: 'purchase', at: '2025-01-28T10:00:00.000Z', amount: 1_200, product: 'Widget 2' },
    { id: 'e1', clientId: 'acme', type: 'refusal', at: '2024-12-02T10:00:00.000Z', by: 'client', reason: 'price' },
  ],
};

const reason = (numbers: Record<string, number>, dates: Record<string, string>) => ({ rule: 'rule', text: 'API text', numbers, dates, signals: [] });

export const actions: ActionList = {
  asOf: '2025-03-13T10:00:00.000Z',
  total: 4,
  nextCursor: 'next',
  data: [
    {
      id: 'keep_cadence:2025-03-11:acme', kind: 'keep_cadence', clientId: 'acme', clientName: 'Acme', manager: 'anna', priority: 1,
      dueAt: '2025-03-11T09:00:00.000Z', openedAt: '2025-03-11T09:00:00.000Z', overdueDays: 2, canMarkDone: true,
      reason: reason({ cadenceDays: 10, daysSinceContact: 12 }, {}),
    },
    {
      id: 'respect_pause:2025-03-20:globex', kind: 'respect_pause', clientId: 'globex', clientName: 'Globex', manager: 'anna', priority: 1,
      dueAt: '2025-03-20T08:00:00.000Z', openedAt: '2025-03-06T08:00:00.000Z', overdueDays: 0, canMarkDone: true,
      reason: reason({ pauseDays: 14 }, { negativeContactAt: '2025-03-06T08:00:00.000Z', pauseEndsAt: '2025-03-20T08:00:00.000Z' }),
    },
    {
      id: 'rebalance_manager:2025-03-31:anna', kind: 'rebalance_manager', clientId: null, clientName: null, manager: 'anna', priority: 2,
      dueAt: '2025-03-31T00:00:00.000Z', openedAt: '2025-03-01T00:00:00.000Z', overdueDays: 0, canMarkDone: false,
      reason: reason({ keyClients: 4, maxKeyClients: 3 }, {}),
    },
    {
      id: 'wake_sleeping:2025-03-13:polar', kind: 'wake_sleeping', clientId: 'polar', clientName: 'Polar', manager: 'anna', priority: 3,
      dueAt: '2025-03-13T09:00:00.000Z', openedAt: '2025-03-13T09:00:00.000Z', overdueDays: 0, canMarkDone: true,
      reason: reason({ orders: 3, daysSinceLastPurchase: 125 }, { stageSince: '2025-03-13T09:00:00.000Z' }),
    },
  ],
};
