import * as v from 'valibot';
import type { ClientAggregates, ClientSnapshot, PeriodBucket } from '../../schema/clients.ts';
import type { Stage } from '../../schema/lifecycle.ts';
import { SegmentSettingsSchema, type SegmentSettings } from '../../schema/segments.ts';
import { emptyAggregates } from '../lifecycle/aggregates.ts';

/** Test helpers: small hand-made snapshots, so each test states only the figures it is about. */

export type MonthFigures = number | { revenue: number; margin?: number; orders?: number };

export interface SnapshotSpec {
  stage?: Stage | null;
  stageSince?: string | null;
  /** Monthly buckets, `{ '2024-01': 100 }` or with margin and orders; aggregates follow unless given. */
  months?: Record<string, MonthFigures>;
  aggregates?: Partial<ClientAggregates>;
  attributes?: Record<string, unknown>;
  tags?: string[];
  manualTypes?: string[];
}

export function snapshot(id: string, spec: SnapshotSpec = {}): ClientSnapshot {
  const periods: PeriodBucket[] = Object.entries(spec.months ?? {})
    .map(([period, f]) =>
      typeof f === 'number'
        ? { period, revenue: f, margin: 0, orders: f > 0 ? 1 : 0 }
        : { period, revenue: f.revenue, margin: f.margin ?? 0, orders: f.orders ?? 1 },
    )
    .sort((a, b) => (a.period < b.period ? -1 : 1));
  const sums = periods.reduce(
    (s, b) => ({
      revenue: s.revenue + b.revenue,
      margin: s.margin + b.margin,
      orders: s.orders + b.orders,
    }),
    { revenue: 0, margin: 0, orders: 0 },
  );
  const bought = periods.filter((b) => b.orders > 0);
  const derived: Partial<ClientAggregates> =
    bought.length > 0
      ? {
          ...sums,
          purchaseDays: sums.orders,
          firstPurchaseAt: `${bought[0]!.period}-01T00:00:00.000Z`,
          lastPurchaseAt: `${bought.at(-1)!.period}-01T00:00:00.000Z`,
          firstEventAt: `${bought[0]!.period}-01T00:00:00.000Z`,
          events: sums.orders,
        }
      : {};
  return {
    id,
    name: null,
    attributes: spec.attributes ?? {},
    tags: spec.tags ?? [],
    manualTypes: spec.manualTypes ?? [],
    acquisitionCost: null,
    createdAt: '2020-01-01T00:00:00.000Z',
    updatedAt: '2020-01-01T00:00:00.000Z',
    stage: spec.stage ?? null,
    stageSince: spec.stageSince ?? null,
    aggregates: { ...emptyAggregates(), ...derived, ...spec.aggregates },
    periods,
  };
}

/** The default segment settings with a partial override, validated as the API would. */
export const segmentSettings = (patch: Record<string, unknown> = {}): SegmentSettings =>
  v.parse(SegmentSettingsSchema, patch);

/** `{ '2024-01': x, '2024-02': y, … }` from a list of values starting at a month. */
export function monthly(
  start: string,
  values: readonly MonthFigures[],
): Record<string, MonthFigures> {
  const [y, m] = start.split('-').map(Number) as [number, number];
  return Object.fromEntries(
    values.map((value, i) => {
      const idx = y * 12 + (m - 1) + i;
      return [`${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`, value];
    }),
  );
}
