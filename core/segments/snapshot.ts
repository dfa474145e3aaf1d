import type { ClientSnapshot } from '../../schema/clients.ts';
import type { MatrixCell, SegmentSettings } from '../../schema/segments.ts';
import { RFM_PROSPECTS } from '../../schema/segments.ts';
import type { QuantileEdge, SnapshotEdges, SnapshotState } from '../../schema/snapshots.ts';
import { abcMeasurer, type AbcXyzParams, resolveAbcXyzQuery, xyzOf } from './abc-xyz.ts';
import { type ClientTypeEntry, classifyClient, type TypeContext } from './client-types.ts';
import { abcClassOf, type AbcClass } from './rank.ts';
import { recencyDays, rfmSegment } from './rfm.ts';
import { type MonthWindow, trailingWindow, windowFigures } from './window.ts';

/**
 * The snapshot job's pure part. A run makes two passes over the clients, each in chunks: the
 * measure pass stores each client's figures (and adds up what the whole portfolio contributes),
 * the edges are then found over the stored figures (cut-offs, quintile edges, medians), and the
 * classify pass gives each client its classes from its figures and the edges. Every rule is the
 * one of the whole-portfolio classifiers (abc-xyz.ts, rfm.ts, client-types.ts), reused.
 */

type Snapshot = Pick<
  ClientSnapshot,
  'id' | 'tags' | 'manualTypes' | 'stage' | 'stageSince' | 'aggregates' | 'periods'
>;

export interface SnapshotPlan {
  asOf: string;
  asOfMs: number;
  settings: SegmentSettings;
  /** ABC-XYZ as the widget's default answers it: revenue per month, 12 months before asOf. */
  abc: AbcXyzParams;
  /** The types' trailing window (settings.windowMonths). */
  window: MonthWindow;
}

export const snapshotPlan = (asOf: string, settings: SegmentSettings): SnapshotPlan => ({
  asOf,
  asOfMs: Date.parse(asOf),
  settings,
  abc: resolveAbcXyzQuery({ period: 'month', measure: 'revenue' }, asOf),
  window: trailingWindow(asOf, settings.windowMonths),
});

/** One client's figures, as the measure pass stores them. */
export interface ClientMeasures {
  id: string;
  stage: string | null;
  valueCents: number;
  revenue: number;
  margin: number;
  cv: number | null;
  xyz: 'X' | 'Y' | 'Z' | null;
  windowRevenue: number;
  windowMargin: number;
  windowOrders: number;
  /** Window revenue / orders, for the window's buyers with orders (super-consumer's median). */
  windowCheck: number | null;
  recencyDays: number | null;
  frequency: number;
  monetary: number;
  /** Lifetime revenue / orders, for clients with orders (small fry's median). */
  lifetimeCheck: number | null;
}

export function measureChunk(
  snapshots: readonly Snapshot[],
  plan: SnapshotPlan,
  state: SnapshotState,
): ClientMeasures[] {
  const measure = abcMeasurer(plan.abc);
  const { x, y } = plan.settings.xyz;
  return snapshots.map((s) => {
    const m = measure(s.periods);
    const f = windowFigures(s, plan.window);
    const a = s.aggregates;
    // The same additions, in the same (id) order, as buildTypeContext over the whole portfolio.
    state.totalRevenue += f.revenue;
    state.totalMargin += f.margin;
    if (
      a.firstPurchaseAt !== null &&
      (state.firstSale === null || a.firstPurchaseAt < state.firstSale)
    )
      state.firstSale = a.firstPurchaseAt;
    for (const product in a.productFirstPurchase) {
      const at = a.productFirstPurchase[product]!;
      const known = state.productFirstSale[product];
      if (known === undefined || at < known) state.productFirstSale[product] = at;
    }
    const buyer = a.orders > 0 && a.lastPurchaseAt !== null;
    return {
      id: s.id,
      stage: s.stage,
      valueCents: Math.round(m.value * 100),
      revenue: m.revenue,
      margin: m.margin,
      cv: m.cv,
      xyz: m.cv === null ? null : xyzOf(m.cv, x, y),
      windowRevenue: f.revenue,
      windowMargin: f.margin,
      windowOrders: f.orders,
      windowCheck: f.revenue > 0 && f.orders > 0 ? f.revenue / f.orders : null,
      recencyDays: buyer ? recencyDays(a.lastPurchaseAt!, plan.asOfMs) : null,
      frequency: buyer ? a.orders : 0,
      monetary: buyer ? a.revenue : 0,
      lifetimeCheck: a.orders > 0 ? a.revenue / a.orders : null,
    };
  });
}

/**
 * The type context of a run: the ranking, cuts and medians come from the edges, `rank` from the
 * stored revenue ranks of the top buyers; the product launches from the measure pass.
 */
export function typeContextFromEdges(
  plan: SnapshotPlan,
  state: SnapshotState,
  edges: SnapshotEdges,
  rank: (revenue: number) => number,
): TypeContext {
  return {
    asOf: plan.asOf,
    asOfMs: plan.asOfMs,
    settings: plan.settings,
    window: plan.window,
    ranking: {
      totalRevenue: state.totalRevenue,
      totalMargin: state.totalMargin,
      buyers: edges.buyers,
      top: plan.settings.keyClients.topShare > 0 ? edges.top : null,
      rank,
    },
    superRevenue: edges.superRevenue,
    superOrders: edges.superOrders,
    medianWindowCheck: edges.medianWindowCheck,
    medianCheck: edges.medianCheck,
    productFirstSale: new Map(
      Object.entries(state.productFirstSale).map(([product, at]) => [product, Date.parse(at)]),
    ),
    firstSaleMs: state.firstSale === null ? null : Date.parse(state.firstSale),
  };
}

/** The quintile score of a value from the run's edges: the one whose range holds it. */
export function scoreOf(edges: readonly QuantileEdge[], value: number): number {
  for (const e of edges) if (value >= e.min && value <= e.max) return e.score;
  throw new Error(`no quintile edge holds ${value}`);
}

/** A stored client's figures, as the classify pass reads them (in ABC order: value desc, id). */
export interface MeasuredRow {
  id: string;
  stage: string | null;
  valueCents: number;
  revenueCents: number;
  marginCents: number;
  xyz: 'X' | 'Y' | 'Z' | null;
  recencyDays: number | null;
  frequency: number;
  monetary: number;
}

export interface ClientClasses {
  id: string;
  abc: AbcClass | null;
  abcRank: number | null;
  cumulativeCents: number | null;
  r: number | null;
  f: number | null;
  m: number | null;
  rfmKey: number;
  segment: string;
  types: ClientTypeEntry[];
}

/** A rollup row: clients (and their money) per class. */
export interface ClassCount {
  dim: 'cell' | 'rfm' | 'type' | 'stage';
  key: string;
  clients: number;
  derived: number;
  manual: number;
  revenueCents: number;
  marginCents: number;
  valueCents: number;
}

/**
 * Classes of one chunk of the ABC order. `state.ranked` and `state.aboveCents` carry the ranks and
 * the cumulative measure from one chunk to the next, so ABC is the whole-portfolio rule
 * (abcClasses) applied across chunks.
 */
export function classifyChunk(
  rows: readonly MeasuredRow[],
  snapshots: ReadonlyMap<string, Snapshot>,
  ctx: TypeContext,
  state: SnapshotState,
  edges: SnapshotEdges,
): { clients: ClientClasses[]; counts: ClassCount[] } {
  const settings = ctx.settings;
  const counts = new Map<string, ClassCount>();
  const count = (
    dim: ClassCount['dim'],
    key: string,
    add: Partial<Omit<ClassCount, 'dim' | 'key'>>,
  ) => {
    const id = `${dim}\u0000${key}`;
    const c = counts.get(id) ?? {
      dim,
      key,
      clients: 0,
      derived: 0,
      manual: 0,
      revenueCents: 0,
      marginCents: 0,
      valueCents: 0,
    };
    c.clients += 1;
    c.derived += add.derived ?? 0;
    c.manual += add.manual ?? 0;
    c.revenueCents += add.revenueCents ?? 0;
    c.marginCents += add.marginCents ?? 0;
    c.valueCents += add.valueCents ?? 0;
    counts.set(id, c);
  };

  const clients = rows.map((row): ClientClasses => {
    let abc: AbcClass | null = null;
    let abcRank: number | null = null;
    let cumulativeCents: number | null = null;
    if (row.valueCents > 0 && row.xyz !== null) {
      const total = edges.abcTotalCents;
      abc = abcClassOf(total > 0 ? state.aboveCents / total : 0, settings.abc.a, settings.abc.b);
      state.ranked += 1;
      state.aboveCents += row.valueCents;
      abcRank = state.ranked;
      cumulativeCents = state.aboveCents;
      const cell: MatrixCell = `${abc}${row.xyz}`;
      count('cell', cell, {
        revenueCents: row.revenueCents,
        marginCents: row.marginCents,
        valueCents: row.valueCents,
      });
    }
    let r: number | null = null;
    let f: number | null = null;
    let m: number | null = null;
    let segment = RFM_PROSPECTS;
    if (row.recencyDays !== null) {
      r = scoreOf(edges.rfm.r, row.recencyDays);
      f = scoreOf(edges.rfm.f, row.frequency);
      m = scoreOf(edges.rfm.m, row.monetary);
      segment = rfmSegment(settings.rfm.rules, r, f, m);
    }
    count('rfm', segment, {});
    if (row.stage !== null) count('stage', row.stage, {});
    const snapshot = snapshots.get(row.id);
    const types = snapshot ? classifyClient(snapshot, ctx) : [];
    for (const t of types)
      count('type', t.type, t.source === 'manual' ? { manual: 1 } : { derived: 1 });
    return {
      id: row.id,
      abc,
      abcRank,
      cumulativeCents,
      r,
      f,
      m,
      rfmKey: r === null ? 0 : r * 100 + f! * 10 + m!,
      segment,
      types,
    };
  });
  return { clients, counts: [...counts.values()] };
}
