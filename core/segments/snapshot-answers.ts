import {
  type AbcXyzClient,
  type AbcXyzResult,
  CLIENT_TYPES,
  MATRIX_CELLS,
  RFM_PROSPECTS,
  type RfmClient,
  type SegmentSettings,
  type TypeCountsResult,
} from '../../schema/segments.ts';
import type { SnapshotEdges } from '../../schema/snapshots.ts';
import { round } from '../stats.ts';
import { resolveAbcXyzQuery } from './abc-xyz.ts';

/**
 * Widget answers assembled from a finished snapshot: its edges, its class counts and one page of
 * its per-client rows. The shapes are those of the whole-portfolio answers (abcXyz, rfm,
 * countTypes), with `clients` one page long.
 */

export interface CountRow {
  dim: string;
  key: string;
  clients: number;
  derived: number;
  manual: number;
  revenueCents: number;
  marginCents: number;
  valueCents: number;
}

export interface AbcRow {
  id: string;
  name: string | null;
  rank: number;
  abc: 'A' | 'B' | 'C';
  xyz: 'X' | 'Y' | 'Z';
  valueCents: number;
  revenue: number;
  margin: number;
  cumulativeCents: number;
  cv: number;
}

export interface SnapshotInfo {
  asOf: string;
  computedAt: string;
  clients: number;
  edges: SnapshotEdges;
  settings: SegmentSettings;
}

export function abcXyzFromSnapshot(
  snap: SnapshotInfo,
  counts: readonly CountRow[],
  page: readonly AbcRow[],
): Omit<AbcXyzResult, 'clients'> & { clients: (AbcXyzClient & { name: string | null })[] } {
  const params = resolveAbcXyzQuery({ period: 'month', measure: 'revenue' }, snap.asOf);
  const total = snap.edges.abcTotalCents;
  const share = (cents: number) => (total > 0 ? round(cents / total, 6) : 0);
  const cellOf = new Map(counts.filter((c) => c.dim === 'cell').map((c) => [c.key, c]));
  const matrix = Object.fromEntries(
    MATRIX_CELLS.map((cell) => [cell, cellOf.get(cell)?.clients ?? 0]),
  ) as AbcXyzResult['matrix'];
  const cells = Object.fromEntries(
    MATRIX_CELLS.map((cell) => {
      const c = cellOf.get(cell);
      return [
        cell,
        {
          count: c?.clients ?? 0,
          revenue: (c?.revenueCents ?? 0) / 100,
          margin: (c?.marginCents ?? 0) / 100,
          value: (c?.valueCents ?? 0) / 100,
          share: share(c?.valueCents ?? 0),
        },
      ];
    }),
  ) as AbcXyzResult['cells'];
  const { abc, xyz } = snap.settings;
  return {
    from: params.from,
    to: params.to,
    period: params.period,
    periods: 12,
    measure: params.measure,
    total: total / 100,
    excluded: snap.clients - snap.edges.abcClients,
    thresholds: { a: abc.a, b: abc.b, x: xyz.x, y: xyz.y },
    clients: page.map((r) => ({
      id: r.id,
      name: r.name,
      rank: r.rank,
      abc: r.abc,
      xyz: r.xyz,
      value: r.valueCents / 100,
      revenue: r.revenue,
      margin: r.margin,
      share: share(r.valueCents),
      cumulativeShare: share(r.cumulativeCents),
      cv: round(r.cv, 6),
    })),
    matrix,
    cells,
  };
}

/** RFM segment counts: every segment of the snapshot's rules and prospects, zeros included. */
export function rfmSegmentsFromSnapshot(
  snap: SnapshotInfo,
  counts: readonly CountRow[],
): Record<string, number> {
  const segments: Record<string, number> = Object.fromEntries([
    ...snap.settings.rfm.rules.map((r) => [r.segment, 0] as const),
    [RFM_PROSPECTS, 0] as const,
  ]);
  for (const c of counts) if (c.dim === 'rfm') segments[c.key] = (segments[c.key] ?? 0) + c.clients;
  return segments;
}

export type RfmRow = RfmClient & { name: string | null };

/** Clients per type, as countTypes answers: every known type listed, hand-made ones after. */
export function typeCountsFromSnapshot(
  snap: SnapshotInfo,
  counts: readonly CountRow[],
): TypeCountsResult {
  const byType = new Map(counts.filter((c) => c.dim === 'type').map((c) => [c.key, c]));
  const known = new Set<string>(CLIENT_TYPES);
  const extra = [...byType.keys()].filter((t) => !known.has(t)).sort();
  return {
    asOf: snap.asOf,
    clients: snap.clients,
    types: [...CLIENT_TYPES, ...extra].map((type) => {
      const c = byType.get(type);
      return {
        type,
        count: (c?.derived ?? 0) + (c?.manual ?? 0),
        derived: c?.derived ?? 0,
        manual: c?.manual ?? 0,
      };
    }),
  };
}
