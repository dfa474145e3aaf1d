import type { SegmentSettings } from '../../schema/segments.ts';
import type { Reason } from '../../schema/reasons.ts';
import { rankDescending, sortedDescending, topCut } from './rank.ts';
import type { WindowFigures } from './window.ts';

/**
 * The workspace's revenue ranking over a window: what "key client" (portfolio) and "golden"
 * (client types) are measured against. Built once; each client is then judged in O(log n).
 */
export interface RevenueRanking {
  totalRevenue: number;
  totalMargin: number;
  /** How many clients have revenue in the window. */
  buyers: number;
  top: { cut: number; count: number } | null;
  /** 1 + the number of buyers with more window revenue (ties share the better rank). */
  rank(revenue: number): number;
}

export function buildRevenueRanking(
  figures: Iterable<WindowFigures>,
  settings: Pick<SegmentSettings, 'keyClients'>,
): RevenueRanking & { revenueDesc: Float64Array } {
  let totalRevenue = 0;
  let totalMargin = 0;
  const revenues: number[] = [];
  for (const f of figures) {
    totalRevenue += f.revenue;
    totalMargin += f.margin;
    if (f.revenue > 0) revenues.push(f.revenue);
  }
  const revenueDesc = sortedDescending(revenues);
  const share = settings.keyClients.topShare;
  return {
    totalRevenue,
    totalMargin,
    buyers: revenueDesc.length,
    revenueDesc,
    top: share > 0 ? topCut(revenueDesc, share) : null,
    rank: (revenue) => rankDescending(revenueDesc, revenue),
  };
}

/**
 * Why a client is key, or nothing when it is not. Key (docs/domain.md 2, "the organisations that bring
 * most of the revenue and profit"): at least `revenueShare` of the window's revenue, or at least
 * `marginShare` of its margin, or among the top `topShare` of the buyers by revenue. Each reason
 * that holds is listed.
 */
export function keyClientReasons(
  f: WindowFigures,
  ranking: RevenueRanking,
  settings: Pick<SegmentSettings, 'keyClients'>,
): Reason[] {
  if (f.revenue <= 0) return [];
  const k = settings.keyClients;
  const reasons: Reason[] = [];
  const revenueShare = ranking.totalRevenue > 0 ? f.revenue / ranking.totalRevenue : 0;
  if (revenueShare >= k.revenueShare)
    reasons.push({
      code: 'key_revenue_share',
      params: { share: revenueShare, threshold: k.revenueShare },
    });
  if (ranking.totalMargin > 0 && f.margin > 0) {
    const marginShare = f.margin / ranking.totalMargin;
    if (marginShare >= k.marginShare)
      reasons.push({
        code: 'key_margin_share',
        params: { share: marginShare, threshold: k.marginShare },
      });
  }
  if (ranking.top && f.revenue >= ranking.top.cut) {
    reasons.push({
      code: 'key_revenue_rank',
      params: { rank: ranking.rank(f.revenue), buyers: ranking.buyers, top: k.topShare },
    });
  }
  return reasons;
}
