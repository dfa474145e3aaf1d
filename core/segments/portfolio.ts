import type { ClientSnapshot } from '../../schema/clients.ts';
import { DAY_MS } from '../../schema/common.ts';
import type { Stage, StageModelName } from '../../schema/lifecycle.ts';
import type {
  KeyClient,
  PortfolioQuery,
  PortfolioResult,
  PortfolioWarning,
  SegmentSettings,
} from '../../schema/segments.ts';
import { stageModel } from '../lifecycle/models.ts';
import { round } from '../stats.ts';
import type { Reason } from '../../schema/reasons.ts';
import { buildRevenueRanking, keyClientReasons } from './key-clients.ts';
import { abcClasses, EPS } from './rank.ts';
import {
  cents,
  type MonthWindow,
  trailingWindow,
  type WindowFigures,
  windowFigures,
  windowIso,
} from './window.ts';

type Snapshot = Pick<ClientSnapshot, 'id' | 'stage' | 'aggregates' | 'periods'>;

export interface PortfolioParams {
  asOf: string;
  /** Revenue window: this many whole calendar months before the month of `asOf`. */
  months: number;
  model: StageModelName;
}

/** The query's asOf and window, or now and the workspace's `segments.windowMonths`. */
export const portfolioParams = (
  query: PortfolioQuery,
  settings: Pick<SegmentSettings, 'windowMonths'>,
  model: StageModelName,
  now: string,
): PortfolioParams => ({
  asOf: query.asOf ?? now,
  months: query.months ?? settings.windowMonths,
  model,
});

/** The stages each balance check reads, per model. */
const ROLES: Record<StageModelName, { pipeline: Stage[]; regulars: Stage[]; asleep: Stage[] }> = {
  portfolio: { pipeline: ['prospect', 'potential'], regulars: ['developed'], asleep: ['sleeping'] },
  clc6: {
    pipeline: ['awareness', 'acquisition'],
    regulars: ['retention', 'loyalty'],
    asleep: ['re_engagement'],
  },
};

const byRevenueThenId = (
  p: { id: string; f: WindowFigures },
  q: { id: string; f: WindowFigures },
) => q.f.revenue - p.f.revenue || (p.id < q.id ? -1 : p.id > q.id ? 1 : 0);

/**
 * Portfolio health (docs/domain.md 2): the spread over the model's stages, revenue concentration over the
 * window, key clients, gold / silver / bronze, and the warnings (mono-client, an empty stage, a
 * portfolio resting on regulars, too many asleep). Reads stages, aggregates and monthly buckets.
 */
export function portfolio(
  snapshots: readonly Snapshot[],
  params: PortfolioParams,
  settings: SegmentSettings,
): PortfolioResult {
  const cfg = settings.portfolio;
  const model = stageModel(params.model);
  const roles = ROLES[params.model];
  const window = trailingWindow(params.asOf, params.months);
  const asOfMs = Date.parse(params.asOf);

  const rows = snapshots.map((s) => ({ id: s.id, s, f: windowFigures(s, window) }));
  const ranking = buildRevenueRanking(
    rows.map((r) => r.f),
    settings,
  );
  const totalRevenue = ranking.totalRevenue;
  const totalMargin = ranking.totalMargin;

  // Stage spread.
  const stageCounts = new Map<Stage, number>(model.stages.map((st) => [st, 0]));
  const stageRevenue = new Map<Stage, number>(model.stages.map((st) => [st, 0]));
  let staged = 0;
  let everBought = 0;
  for (const r of rows) {
    if (r.s.aggregates.firstPurchaseAt !== null) everBought += 1;
    const st = r.s.stage;
    if (st === null || !stageCounts.has(st)) continue;
    staged += 1;
    stageCounts.set(st, stageCounts.get(st)! + 1);
    stageRevenue.set(st, stageRevenue.get(st)! + r.f.revenue);
  }
  const stages = model.stages.map((stage) => ({
    stage,
    count: stageCounts.get(stage)!,
    share: staged > 0 ? round(stageCounts.get(stage)! / staged, 6) : 0,
  }));

  // Concentration.
  const buyers = rows.filter((r) => r.f.revenue > 0).sort(byRevenueThenId);
  const shareOf = (revenue: number) => (totalRevenue > 0 ? revenue / totalRevenue : 0);
  const sumTop = (n: number) => buyers.slice(0, n).reduce((sum, r) => sum + r.f.revenue, 0);
  const top20Count = Math.ceil(0.2 * buyers.length - EPS);
  const hhi = buyers.reduce((sum, r) => sum + shareOf(r.f.revenue) ** 2, 0);
  const maxMargin = rows.reduce((max, r) => Math.max(max, r.f.margin), 0);
  const concentration = {
    revenue: cents(totalRevenue),
    margin: cents(totalMargin),
    top1Share: round(shareOf(sumTop(1)), 6),
    top5Share: round(shareOf(sumTop(5)), 6),
    top20PercentShare: round(shareOf(sumTop(top20Count)), 6),
    top20PercentClients: top20Count,
    hhi: round(hhi, 6),
    effectiveClients: hhi > 0 ? round(1 / hhi, 2) : null,
    top1MarginShare: totalMargin > 0 ? round(maxMargin / totalMargin, 6) : null,
  };

  // Key clients and tiers.
  const classes = abcClasses(
    buyers.map((r) => r.f.revenue),
    settings.abc.a,
    settings.abc.b,
  );
  const half = Math.floor(params.months / 2);
  const firstHalf: MonthWindow = { from: window.from, to: window.from + half };
  const secondHalf: MonthWindow = { from: window.from + half, to: window.to };
  const keyClients: KeyClient[] = [];
  const tierClients: PortfolioResult['tiers']['clients'] = [];
  const tierCounts = { gold: 0, silver: 0, bronze: 0 };
  buyers.forEach((r, i) => {
    const share = shareOf(r.f.revenue);
    const reasons = keyClientReasons(r.f, ranking, settings);
    if (reasons.length > 0) {
      keyClients.push({
        id: r.id,
        revenue: r.f.revenue,
        revenueShare: round(share, 6),
        margin: r.f.margin,
        marginShare: totalMargin > 0 ? round(r.f.margin / totalMargin, 6) : null,
        reasons,
      });
    }
    const first = r.s.aggregates.firstPurchaseAt;
    const tenure = first === null ? 0 : (asOfMs - Date.parse(first)) / DAY_MS;
    const abc = classes[i]!;
    let tier: 'gold' | 'silver' | 'bronze';
    let reason: Reason;
    if (reasons.length > 0 && tenure >= cfg.goldMinTenureDays) {
      tier = 'gold';
      reason = { code: 'tier_gold', params: { days: tenure, reasons } };
    } else if (reasons.length > 0) {
      tier = 'silver';
      reason = {
        code: 'tier_silver_young',
        params: { days: tenure, goldAfterDays: cfg.goldMinTenureDays, reasons },
      };
    } else if (abc === 'A') {
      tier = 'silver';
      reason = { code: 'tier_class_a', params: { share, threshold: settings.abc.a } };
    } else {
      const growth =
        abc === 'B' && half > 0 ? growthReason(r.s, firstHalf, secondHalf, cfg.silverGrowth) : null;
      tier = growth ? 'silver' : 'bronze';
      reason =
        growth ??
        (abc === 'B'
          ? { code: 'tier_flat', params: { share } }
          : { code: 'tier_class', params: { abc, share } });
    }
    tierCounts[tier] += 1;
    tierClients.push({ id: r.id, tier, revenue: r.f.revenue, share: round(share, 6), reason });
  });

  // Warnings.
  const warnings: PortfolioWarning[] = [];
  for (const r of buyers) {
    const revenueShare = shareOf(r.f.revenue);
    const marginShare = totalMargin > 0 ? r.f.margin / totalMargin : 0;
    if (revenueShare > cfg.monoClientShare + EPS || marginShare > cfg.monoClientShare + EPS) {
      const byRevenue = revenueShare >= marginShare;
      warnings.push({
        code: 'mono_client',
        params: {
          client: r.id,
          share: byRevenue ? revenueShare : marginShare,
          basis: byRevenue ? 'revenue' : 'margin',
          threshold: cfg.monoClientShare,
        },
        clientId: r.id,
        share: round(Math.max(revenueShare, marginShare), 6),
      });
    }
  }
  if (rows.length > 0) {
    for (const { stage, count } of stages) {
      if (count === 0 && cfg.balanceStages.includes(stage)) {
        warnings.push({ code: 'empty_stage', params: { stage }, stage });
      }
    }
  }
  const regularsRevenue = roles.regulars.reduce((sum, st) => sum + (stageRevenue.get(st) ?? 0), 0);
  const pipeline = roles.pipeline.reduce((sum, st) => sum + (stageCounts.get(st) ?? 0), 0);
  const regularsShare = shareOf(regularsRevenue);
  const pipelineShare = staged > 0 ? pipeline / staged : 0;
  if (
    totalRevenue > 0 &&
    regularsShare >= cfg.regularsRevenueShare - EPS &&
    pipelineShare < cfg.pipelineMinShare - EPS
  ) {
    warnings.push({
      code: 'resting_on_regulars',
      params: {
        regulars: roles.regulars,
        share: regularsShare,
        pipeline,
        pipelineShare,
        pipelineStages: roles.pipeline,
      },
      share: round(regularsShare, 6),
    });
  }
  const asleep = roles.asleep.reduce((sum, st) => sum + (stageCounts.get(st) ?? 0), 0);
  const asleepShare = everBought > 0 ? asleep / everBought : 0;
  if (asleepShare > cfg.sleepingShare + EPS) {
    warnings.push({
      code: 'sleeping_share_high',
      params: { share: asleepShare, asleep, threshold: cfg.sleepingShare },
      share: round(asleepShare, 6),
    });
  }

  const { from, to } = windowIso(window);
  return {
    asOf: params.asOf,
    from,
    to,
    model: params.model,
    clients: rows.length,
    buyers: buyers.length,
    stages,
    unstaged: rows.length - staged,
    concentration,
    keyClients,
    tiers: { counts: tierCounts, clients: tierClients },
    warnings,
  };
}

/** Why a client counts as growing, or null: its second half-window beats the first by `growth`. */
function growthReason(
  s: Snapshot,
  first: MonthWindow,
  second: MonthWindow,
  growth: number,
): Reason | null {
  const before = windowFigures(s, first).revenue;
  const after = windowFigures(s, second).revenue;
  const months = second.to - second.from;
  if (before <= 0) return after > 0 ? { code: 'tier_new', params: { months } } : null;
  const change = after / before - 1;
  return change >= growth - EPS ? { code: 'tier_growing', params: { change, months } } : null;
}
