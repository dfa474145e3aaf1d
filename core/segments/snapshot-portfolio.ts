import type { ClientSnapshot } from '../../schema/clients.ts';
import type { Reason } from '../../schema/reasons.ts';
import type { PortfolioResult } from '../../schema/segments.ts';
import type { SnapshotEdges, SnapshotState } from '../../schema/snapshots.ts';
import type { TypeContext } from './client-types.ts';
import type { Stage } from '../../schema/lifecycle.ts';
import {
  judgeBuyer,
  monoClientWarning,
  type PortfolioSums,
  portfolioFrame,
  top20Count,
} from './portfolio.ts';
import type { CountRow } from './snapshot-answers.ts';
import { abcClassOf } from './rank.ts';
import type { ClassCount, SnapshotPlan } from './snapshot.ts';

/**
 * The snapshot job's portfolio pass (pure part): the window's buyers in the order of the
 * on-the-spot answer (window revenue desc, then id), a chunk at a time. `state.portfolio` carries
 * the place, the revenue above and the sums from one chunk to the next, so each buyer gets the
 * tier and key reasons `portfolio()` would give it (the same judgeBuyer).
 */

type Snapshot = Pick<ClientSnapshot, 'id' | 'stage' | 'aggregates' | 'periods'>;

/** A buyer as the portfolio pass reads it from the measure pass's figures. */
export interface BuyerRow {
  id: string;
  windowRevenue: number;
  windowMargin: number;
  windowOrders: number;
}

export interface BuyerTier {
  id: string;
  rank: number;
  tier: PortfolioResult['tiers']['clients'][number]['tier'];
  reason: Reason;
  /** Why it is key; null when it is not. */
  keyReasons: Reason[] | null;
}

export function portfolioChunk(
  rows: readonly BuyerRow[],
  snapshots: ReadonlyMap<string, Snapshot>,
  ctx: TypeContext,
  plan: SnapshotPlan,
  state: SnapshotState,
  edges: SnapshotEdges,
): { clients: BuyerTier[]; counts: ClassCount[] } {
  const settings = plan.settings;
  const p = state.portfolio;
  const frame = portfolioFrame(plan.asOf, settings.windowMonths);
  const fifth = top20Count(edges.buyers);
  const tiers = new Map<string, number>();
  const clients: BuyerTier[] = [];
  for (const row of rows) {
    // Erased since the measure pass: it has left the snapshot.
    const s = snapshots.get(row.id);
    if (!s) continue;
    const f = { revenue: row.windowRevenue, margin: row.windowMargin, orders: row.windowOrders };
    const share = state.totalRevenue > 0 ? f.revenue / state.totalRevenue : 0;
    const abc = abcClassOf(
      p.buyersRevenue > 0 ? p.above / p.buyersRevenue : 0,
      settings.abc.a,
      settings.abc.b,
    );
    p.ranked += 1;
    p.above += f.revenue;
    if (p.ranked === 1) p.top1 += f.revenue;
    if (p.ranked <= 5) p.top5 += f.revenue;
    if (p.ranked <= fifth) p.top20 += f.revenue;
    p.hhi += share ** 2;
    const judged = judgeBuyer(s, f, abc, share, ctx.ranking, frame, settings);
    const mono = monoClientWarning(row.id, f, state.totalRevenue, state.totalMargin, settings);
    if (mono) p.mono.push(mono);
    tiers.set(judged.tier, (tiers.get(judged.tier) ?? 0) + 1);
    clients.push({
      id: row.id,
      rank: p.ranked,
      tier: judged.tier,
      reason: judged.reason,
      keyReasons: judged.reasons.length > 0 ? judged.reasons : null,
    });
  }
  const counts = [...tiers].map(([key, n]): ClassCount => ({
    dim: 'tier',
    key,
    clients: n,
    derived: 0,
    manual: 0,
    revenueCents: 0,
    marginCents: 0,
    valueCents: 0,
  }));
  return { clients, counts };
}

/**
 * A snapshot's portfolio sums for `assemblePortfolio`: the stage and tier counts from its rollups
 * (kept a recount by erasure), the rest from its state; mono-clients erased since are left out.
 */
export function portfolioSumsFromSnapshot(
  snap: { clients: number; edges: SnapshotEdges },
  state: Pick<SnapshotState, 'totalRevenue' | 'totalMargin' | 'portfolio'>,
  counts: readonly CountRow[],
  present: ReadonlySet<string>,
): PortfolioSums {
  const p = state.portfolio;
  const stageCounts: Partial<Record<Stage, number>> = {};
  const tierCounts = { gold: 0, silver: 0, bronze: 0 };
  for (const c of counts) {
    if (c.dim === 'stage') stageCounts[c.key as Stage] = c.clients;
    if (c.dim === 'tier' && c.key in tierCounts)
      tierCounts[c.key as keyof typeof tierCounts] = c.clients;
  }
  return {
    clients: snap.clients,
    buyers: snap.edges.buyers,
    everBought: p.everBought,
    totalRevenue: state.totalRevenue,
    totalMargin: state.totalMargin,
    top1: p.top1,
    top5: p.top5,
    top20: p.top20,
    hhi: p.hhi,
    maxMargin: p.maxMargin,
    stageCounts,
    stageRevenue: p.stageRevenue,
    tierCounts,
    mono: p.mono.filter((w) => w.clientId === undefined || present.has(w.clientId)),
  };
}
