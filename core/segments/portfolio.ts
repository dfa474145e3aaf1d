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
import { buildRevenueRanking, keyClientReasons, type RevenueRanking } from './key-clients.ts';
import { abcClasses, type AbcClass, EPS } from './rank.ts';
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
  query: Pick<PortfolioQuery, 'asOf' | 'months'>,
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

type Tier = PortfolioResult['tiers']['clients'][number]['tier'];
type Unnamed<T> = Omit<T, 'name'>;
export type TierClient = Unnamed<PortfolioResult['tiers']['clients'][number]>;
export type UnnamedKeyClient = Unnamed<KeyClient>;

/** The portfolio answer before names, paging, `computedAt` and the currency are added. */
export type PortfolioFigures = Omit<
  PortfolioResult,
  'keyClients' | 'tiers' | 'computedAt' | 'currency'
> & {
  keyClients: UnnamedKeyClient[];
  tiers: { counts: Record<Tier, number>; clients: TierClient[] };
};

/** What a buyer is: why it is key (nothing when it is not), its tier and why. */
export interface BuyerJudgement {
  reasons: Reason[];
  tier: Tier;
  reason: Reason;
}

/** The instant and windows a buyer is judged over. */
export interface PortfolioFrame {
  asOfMs: number;
  months: number;
  window: MonthWindow;
}

export const portfolioFrame = (asOf: string, months: number): PortfolioFrame => ({
  asOfMs: Date.parse(asOf),
  months,
  window: trailingWindow(asOf, months),
});

/**
 * One buyer's key reasons and tier: gold for a key client of long standing, silver for a young
 * key client, an A client or a growing B client, bronze for the rest. `abc` is its class among
 * the buyers by the window's revenue. The snapshot job judges each buyer with this same rule.
 */
export function judgeBuyer(
  s: Snapshot,
  f: WindowFigures,
  abc: AbcClass,
  share: number,
  ranking: RevenueRanking,
  frame: PortfolioFrame,
  settings: SegmentSettings,
): BuyerJudgement {
  const cfg = settings.portfolio;
  const reasons = keyClientReasons(f, ranking, settings);
  const half = Math.floor(frame.months / 2);
  const first = s.aggregates.firstPurchaseAt;
  const tenure = first === null ? 0 : (frame.asOfMs - Date.parse(first)) / DAY_MS;
  if (reasons.length > 0 && tenure >= cfg.goldMinTenureDays)
    return {
      reasons,
      tier: 'gold',
      reason: { code: 'tier_gold', params: { days: tenure, reasons } },
    };
  if (reasons.length > 0)
    return {
      reasons,
      tier: 'silver',
      reason: {
        code: 'tier_silver_young',
        params: { days: tenure, goldAfterDays: cfg.goldMinTenureDays, reasons },
      },
    };
  if (abc === 'A')
    return {
      reasons,
      tier: 'silver',
      reason: { code: 'tier_class_a', params: { share, threshold: settings.abc.a } },
    };
  const firstHalf: MonthWindow = { from: frame.window.from, to: frame.window.from + half };
  const secondHalf: MonthWindow = { from: frame.window.from + half, to: frame.window.to };
  const growth =
    abc === 'B' && half > 0 ? growthReason(s, firstHalf, secondHalf, cfg.silverGrowth) : null;
  return {
    reasons,
    tier: growth ? 'silver' : 'bronze',
    reason:
      growth ??
      (abc === 'B'
        ? { code: 'tier_flat', params: { share } }
        : { code: 'tier_class', params: { abc, share } }),
  };
}

/** A buyer's mono-client warning, or null: more than `monoClientShare` of revenue or margin. */
export function monoClientWarning(
  id: string,
  f: WindowFigures,
  totalRevenue: number,
  totalMargin: number,
  settings: SegmentSettings,
): PortfolioWarning | null {
  const threshold = settings.portfolio.monoClientShare;
  const revenueShare = totalRevenue > 0 ? f.revenue / totalRevenue : 0;
  const marginShare = totalMargin > 0 ? f.margin / totalMargin : 0;
  if (revenueShare <= threshold + EPS && marginShare <= threshold + EPS) return null;
  const byRevenue = revenueShare >= marginShare;
  return {
    code: 'mono_client',
    params: {
      client: id,
      share: byRevenue ? revenueShare : marginShare,
      basis: byRevenue ? 'revenue' : 'margin',
      threshold,
    },
    clientId: id,
    share: round(Math.max(revenueShare, marginShare), 6),
  };
}

/**
 * The whole-portfolio figures a portfolio answer is assembled from: added up over every client
 * on the spot, or chunk by chunk by the snapshot job (core/segments/snapshot.ts).
 */
export interface PortfolioSums {
  clients: number;
  buyers: number;
  /** Clients that ever bought (the base of the asleep share). */
  everBought: number;
  totalRevenue: number;
  totalMargin: number;
  /** Revenue of the largest buyer, the five largest and the largest fifth (`top20Count`). */
  top1: number;
  top5: number;
  top20: number;
  /** Σ of the squared revenue shares of the buyers. */
  hhi: number;
  maxMargin: number;
  stageCounts: Partial<Record<Stage, number>>;
  stageRevenue: Partial<Record<Stage, number>>;
  tierCounts: Record<Tier, number>;
  mono: PortfolioWarning[];
}

/** How many buyers the largest fifth is (rounded up). */
export const top20Count = (buyers: number) => Math.ceil(0.2 * buyers - EPS);

/** The answer's figures from the sums: spread, concentration, tier counts and warnings. */
export function assemblePortfolio(
  sums: PortfolioSums,
  asOf: string,
  params: Pick<PortfolioParams, 'months' | 'model'>,
  settings: SegmentSettings,
): Omit<PortfolioFigures, 'keyClients' | 'tiers'> & { tiers: { counts: Record<Tier, number> } } {
  const cfg = settings.portfolio;
  const model = stageModel(params.model);
  const roles = ROLES[params.model];
  const { totalRevenue, totalMargin } = sums;
  const count = (st: Stage) => sums.stageCounts[st] ?? 0;
  const staged = model.stages.reduce((sum, st) => sum + count(st), 0);
  const stages = model.stages.map((stage) => ({
    stage,
    count: count(stage),
    share: staged > 0 ? round(count(stage) / staged, 6) : 0,
  }));
  const shareOf = (revenue: number) => (totalRevenue > 0 ? revenue / totalRevenue : 0);
  const hhi = sums.hhi;
  const concentration = {
    revenue: cents(totalRevenue),
    margin: cents(totalMargin),
    top1Share: round(shareOf(sums.top1), 6),
    top5Share: round(shareOf(sums.top5), 6),
    top20PercentShare: round(shareOf(sums.top20), 6),
    top20PercentClients: top20Count(sums.buyers),
    hhi: round(hhi, 6),
    effectiveClients: hhi > 0 ? round(1 / hhi, 2) : null,
    top1MarginShare: totalMargin > 0 ? round(sums.maxMargin / totalMargin, 6) : null,
  };

  const warnings: PortfolioWarning[] = [...sums.mono];
  if (sums.clients > 0) {
    for (const { stage, count } of stages) {
      if (count === 0 && cfg.balanceStages.includes(stage)) {
        warnings.push({ code: 'empty_stage', params: { stage }, stage });
      }
    }
  }
  const regularsRevenue = roles.regulars.reduce((sum, st) => sum + (sums.stageRevenue[st] ?? 0), 0);
  const pipeline = roles.pipeline.reduce((sum, st) => sum + count(st), 0);
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
  const asleep = roles.asleep.reduce((sum, st) => sum + count(st), 0);
  const asleepShare = sums.everBought > 0 ? asleep / sums.everBought : 0;
  if (asleepShare > cfg.sleepingShare + EPS) {
    warnings.push({
      code: 'sleeping_share_high',
      params: { share: asleepShare, asleep, threshold: cfg.sleepingShare },
      share: round(asleepShare, 6),
    });
  }

  const { from, to } = windowIso(trailingWindow(asOf, params.months));
  return {
    asOf,
    from,
    to,
    model: params.model,
    clients: sums.clients,
    buyers: sums.buyers,
    stages,
    unstaged: sums.clients - staged,
    concentration,
    tiers: { counts: sums.tierCounts },
    warnings,
  };
}

/**
 * Portfolio health (docs/domain.md 2): the spread over the model's stages, revenue concentration over the
 * window, key clients, gold / silver / bronze, and the warnings (mono-client, an empty stage, a
 * portfolio resting on regulars, too many asleep). Reads stages, aggregates and monthly buckets.
 */
export function portfolio(
  snapshots: readonly Snapshot[],
  params: PortfolioParams,
  settings: SegmentSettings,
): PortfolioFigures {
  const model = stageModel(params.model);
  const frame = portfolioFrame(params.asOf, params.months);
  const rows = snapshots.map((s) => ({ id: s.id, s, f: windowFigures(s, frame.window) }));
  const ranking = buildRevenueRanking(
    rows.map((r) => r.f),
    settings,
  );
  const { totalRevenue, totalMargin } = ranking;
  const inModel = new Set<Stage>(model.stages);
  const stageCounts: Partial<Record<Stage, number>> = {};
  const stageRevenue: Partial<Record<Stage, number>> = {};
  let everBought = 0;
  for (const r of rows) {
    if (r.s.aggregates.firstPurchaseAt !== null) everBought += 1;
    const st = r.s.stage;
    if (st === null || !inModel.has(st)) continue;
    stageCounts[st] = (stageCounts[st] ?? 0) + 1;
    stageRevenue[st] = (stageRevenue[st] ?? 0) + r.f.revenue;
  }

  const buyers = rows.filter((r) => r.f.revenue > 0).sort(byRevenueThenId);
  const shareOf = (revenue: number) => (totalRevenue > 0 ? revenue / totalRevenue : 0);
  const sumTop = (n: number) => buyers.slice(0, n).reduce((sum, r) => sum + r.f.revenue, 0);
  const classes = abcClasses(
    buyers.map((r) => r.f.revenue),
    settings.abc.a,
    settings.abc.b,
  );
  const keyClients: UnnamedKeyClient[] = [];
  const tierClients: TierClient[] = [];
  const tierCounts = { gold: 0, silver: 0, bronze: 0 };
  const mono: PortfolioWarning[] = [];
  let hhi = 0;
  buyers.forEach((r, i) => {
    const share = shareOf(r.f.revenue);
    hhi += share ** 2;
    const { reasons, tier, reason } = judgeBuyer(
      r.s,
      r.f,
      classes[i]!,
      share,
      ranking,
      frame,
      settings,
    );
    if (reasons.length > 0)
      keyClients.push(keyClient(r.id, r.f, totalRevenue, totalMargin, reasons));
    tierCounts[tier] += 1;
    tierClients.push({ id: r.id, tier, revenue: r.f.revenue, share: round(share, 6), reason });
    const warning = monoClientWarning(r.id, r.f, totalRevenue, totalMargin, settings);
    if (warning) mono.push(warning);
  });
  const sums: PortfolioSums = {
    clients: rows.length,
    buyers: buyers.length,
    everBought,
    totalRevenue,
    totalMargin,
    top1: sumTop(1),
    top5: sumTop(5),
    top20: sumTop(top20Count(buyers.length)),
    hhi,
    maxMargin: rows.reduce((max, r) => Math.max(max, r.f.margin), 0),
    stageCounts,
    stageRevenue,
    tierCounts,
    mono,
  };
  const figures = assemblePortfolio(sums, params.asOf, params, settings);
  return {
    ...figures,
    keyClients,
    tiers: { counts: tierCounts, clients: tierClients },
  };
}

/** A key client's line: its window revenue and margin and their shares. */
export const keyClient = (
  id: string,
  f: Pick<WindowFigures, 'revenue' | 'margin'>,
  totalRevenue: number,
  totalMargin: number,
  reasons: Reason[],
): UnnamedKeyClient => ({
  id,
  revenue: f.revenue,
  revenueShare: round(totalRevenue > 0 ? f.revenue / totalRevenue : 0, 6),
  margin: f.margin,
  marginShare: totalMargin > 0 ? round(f.margin / totalMargin, 6) : null,
  reasons,
});

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
