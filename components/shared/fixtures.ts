import { movedCellList } from '../../core/segments/migration-cells.ts';
import type { CohortTriangle } from '../../schema/cohorts.ts';
import type { Funnel } from '../../schema/lifecycle.ts';
import type { MigrationMatrix } from '../../schema/segment-migrations.ts';
import type { AbcXyzResult } from '../../schema/segments.ts';
import type { ClientProfile } from './profile.ts';

// Sample API answers the component tests and the packaging test render: one copy of each.

const stage = (
  s: Funnel['stages'][number]['stage'],
  count: number,
  conversionToNext: number | null,
  medianDays: number | null,
) => ({
  stage: s,
  label: s,
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
  total: 1500,
  stages: [
    stage('prospect', 1234, 0.455, 12.5),
    stage('potential', 120, 0.25, 30),
    stage('developing', 80, 0.5, null),
    stage('developed', 40, 0, 200),
    stage('sleeping', 20, null, 90),
    stage('lost', 6, null, null),
  ],
};

type Client = AbcXyzResult['clients'][number];
const client = (id: string, abc: Client['abc'], xyz: Client['xyz'], revenue: number): Client => ({
  id,
  rank: 0,
  abc,
  xyz,
  value: revenue,
  revenue,
  margin: revenue / 4,
  share: 0,
  cumulativeShare: 0,
  cv: 0.1,
});
export const abcXyzClients = [
  client('a1', 'A', 'X', 600_000),
  client('a2', 'A', 'X', 200_000),
  client('a3', 'A', 'Z', 150_000),
  client('b1', 'B', 'Y', 30_000),
  client('c1', 'C', 'Z', 15_000),
  client('c2', 'C', 'Z', 5_000),
];
export const cell = (count: number, revenue: number) => ({
  count,
  revenue,
  margin: revenue / 4,
  value: revenue,
  share: revenue / 1_000_000,
});
export const abcXyzResult: AbcXyzResult = {
  from: '2024-01-01T00:00:00.000Z',
  to: '2025-01-01T00:00:00.000Z',
  period: 'month',
  periods: 12,
  measure: 'revenue',
  total: 1_000_000,
  excluded: 0,
  thresholds: { a: 0.8, b: 0.95, x: 0.1, y: 0.25 },
  clients: abcXyzClients,
  matrix: { AX: 2, AY: 0, AZ: 1, BX: 0, BY: 1, BZ: 0, CX: 0, CY: 0, CZ: 2 },
  cells: {
    AX: cell(2, 800_000),
    AY: cell(0, 0),
    AZ: cell(1, 150_000),
    BX: cell(0, 0),
    BY: cell(1, 30_000),
    BZ: cell(0, 0),
    CX: cell(0, 0),
    CY: cell(0, 0),
    CZ: cell(2, 20_000),
  },
};

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
  types: [
    {
      type: 'golden',
      source: 'derived',
      reasons: [{ code: 'key_revenue_share', params: { share: 0.34, threshold: 0.1 } }],
    },
    { type: 'status', source: 'manual', reasons: [{ code: 'manual', params: {} }] },
  ],
  rfm: { r: 5, f: 4, m: 5, segment: 'champions' },
  abc: 'A',
  xyz: 'Y',
  clv: {
    historicClv: 12_345.5,
    historicMargin: 3_000,
    predictedClv: 4_000,
    totalClv: 16_345.5,
    pAlive: 0.92,
    churnProbability: 0.08,
    predictedNumberOfOrders: 3.4,
    averageDaysBetweenOrders: 41.5,
    expectedDateOfNextOrder: '2025-03-20T00:00:00.000Z',
  },
  aggregates: {
    orders: 14,
    revenue: 12_345.5,
    margin: 3_000,
    firstPurchaseAt: '2023-02-01T00:00:00.000Z',
    lastPurchaseAt: '2025-01-28T00:00:00.000Z',
  },
  recentEvents: [
    {
      id: 'e3',
      clientId: 'acme',
      type: 'purchase',
      at: '2025-01-28T10:00:00.000Z',
      amount: 1_200,
      product: 'Widget 2',
    },
    {
      id: 'e2',
      clientId: 'acme',
      type: 'refusal',
      at: '2024-12-02T10:00:00.000Z',
      by: 'client',
      reason: 'price',
    },
    { id: 'e1', clientId: 'acme', type: 'meeting', at: '2024-11-20T10:00:00.000Z' },
  ],
};

const retention = (cohort: string, clients: number, rows: [string, number, number][]) => ({
  cohort,
  clients,
  periods: rows.map(([period, active, revenue], offset) => ({
    offset,
    period,
    active,
    share: active / clients,
    revenue,
  })),
});

export const cohortTriangle: CohortTriangle = {
  period: 'month',
  measure: 'revenue',
  from: '2026-01',
  to: '2026-03',
  cohorts: [
    retention('2026-01', 40, [
      ['2026-01', 40, 120],
      ['2026-02', 14, 31.5],
      ['2026-03', 10, 26.25],
    ]),
    retention('2026-02', 25, [
      ['2026-02', 25, 98],
      ['2026-03', 9, 22.4],
    ]),
    retention('2026-03', 20, [['2026-03', 20, 104.1]]),
  ],
};

/** Each cell with the address of its clients, as the API gives it. */
export const withLists = (
  answer: Omit<MigrationMatrix, 'cells'> & {
    cells: Omit<MigrationMatrix['cells'][number], 'list'>[];
  },
): MigrationMatrix => ({
  ...answer,
  cells: answer.cells.map((c) => ({
    ...c,
    list: movedCellList({ ...answer, fromClass: c.from, toClass: c.to }),
  })),
});

export const migrationMatrix: MigrationMatrix = withLists({
  dimension: 'abc',
  from: '2026-06',
  to: '2026-09',
  computedAt: '2026-10-01T03:17:00.000Z',
  cells: [
    { from: 'A', to: 'A', clients: 8, revenue: 640_000 },
    { from: 'A', to: 'B', clients: 2, revenue: 60_000 },
    { from: 'B', to: 'A', clients: 1, revenue: 90_000 },
    { from: 'B', to: 'B', clients: 10, revenue: 150_000 },
    { from: 'B', to: 'C', clients: 3, revenue: 6_000 },
    { from: 'C', to: 'C', clients: 30, revenue: 20_000 },
    { from: 'C', to: null, clients: 4, revenue: 0 },
    { from: null, to: 'C', clients: 5, revenue: 4_000 },
  ],
});
