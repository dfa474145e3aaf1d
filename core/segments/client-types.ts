import type * as v from 'valibot';
import type { ClientSnapshot, ClientTypeEntrySchema } from '../../schema/clients.ts';
import { DAY_MS } from '../../schema/common.ts';
import {
  CLIENT_TYPES,
  type ClientType,
  type SegmentSettings,
  type TypeCountsResult,
} from '../../schema/segments.ts';
import type { Reason } from '../../schema/reasons.ts';
import { buildRevenueRanking, keyClientReasons, type RevenueRanking } from './key-clients.ts';
import { medianOfSorted, sortedDescending, topCut } from './rank.ts';
import { type MonthWindow, trailingWindow, type WindowFigures, windowFigures } from './window.ts';

export type ClientTypeEntry = v.InferOutput<typeof ClientTypeEntrySchema>;
type Snapshot = Pick<
  ClientSnapshot,
  'id' | 'tags' | 'manualTypes' | 'stage' | 'stageSince' | 'aggregates' | 'periods'
>;

/**
 * What classifying one client needs to know about the whole workspace: the revenue ranking (golden),
 * the cuts of the top buyers (super-consumer), the median check (small fry, super-consumer) and
 * each product's first sale (pioneer). Built once over all snapshots; a cached context classifies
 * a single profile in O(log n).
 */
export interface TypeContext {
  asOf: string;
  asOfMs: number;
  settings: SegmentSettings;
  window: MonthWindow;
  ranking: RevenueRanking;
  superRevenue: { cut: number; count: number } | null;
  superOrders: { cut: number; count: number } | null;
  /** Median over the window's buyers of revenue / orders in the window. */
  medianWindowCheck: number | null;
  /** Median over all buyers of lifetime revenue / orders. */
  medianCheck: number | null;
  productFirstSale: Map<string, number>;
  firstSaleMs: number | null;
}

export function buildTypeContext(
  snapshots: readonly Snapshot[],
  settings: SegmentSettings,
  asOf: string,
): TypeContext {
  const window = trailingWindow(asOf, settings.windowMonths);
  const figures: WindowFigures[] = [];
  const windowOrders: number[] = [];
  const windowChecks: number[] = [];
  const checks: number[] = [];
  // Instants are stored normalised (`toISOString`), so they compare as strings: parse only the minima.
  const productFirstSale = new Map<string, string>();
  let firstSale: string | null = null;

  for (const s of snapshots) {
    const f = windowFigures(s, window);
    figures.push(f);
    if (f.revenue > 0 && f.orders > 0) {
      windowOrders.push(f.orders);
      windowChecks.push(f.revenue / f.orders);
    }
    const a = s.aggregates;
    if (a.orders > 0) checks.push(a.revenue / a.orders);
    if (a.firstPurchaseAt !== null && (firstSale === null || a.firstPurchaseAt < firstSale))
      firstSale = a.firstPurchaseAt;
    for (const product in a.productFirstPurchase) {
      const at = a.productFirstPurchase[product]!;
      const known = productFirstSale.get(product);
      if (known === undefined || at < known) productFirstSale.set(product, at);
    }
  }

  const ranking = buildRevenueRanking(figures, settings);
  const share = settings.types.superConsumer.topShare;
  return {
    asOf,
    asOfMs: Date.parse(asOf),
    settings,
    window,
    ranking,
    superRevenue: topCut(ranking.revenueDesc, share),
    superOrders: topCut(sortedDescending(windowOrders), share),
    medianWindowCheck: medianOfSorted(sortedDescending(windowChecks)),
    medianCheck: medianOfSorted(sortedDescending(checks)),
    productFirstSale: new Map(
      [...productFirstSale].map(([product, at]) => [product, Date.parse(at)]),
    ),
    firstSaleMs: firstSale === null ? null : Date.parse(firstSale),
  };
}

const daysBetween = (fromMs: number, toMs: number) => (toMs - fromMs) / DAY_MS;
const wholeDays = (fromMs: number, toMs: number) =>
  Math.max(0, Math.floor(daysBetween(fromMs, toMs)));

type Rule = (
  s: Snapshot,
  ctx: TypeContext,
  f: WindowFigures,
  tags: ReadonlySet<string>,
) => readonly Reason[];
/** What a rule that does not fire returns: fifteen rules per client would otherwise allocate fifteen arrays. */
const NO: readonly Reason[] = Object.freeze([]);

const tagReasons = (tags: ReadonlySet<string>, wanted: readonly string[]): Reason[] =>
  tags.size === 0
    ? []
    : wanted
        .filter((t) => tags.has(t.toLowerCase()))
        .map((tag) => ({ code: 'tagged', params: { tag } }));

const golden: Rule = (_s, ctx, f) => keyClientReasons(f, ctx.ranking, ctx.settings);

const superConsumer: Rule = (_s, ctx, f) => {
  const cfg = ctx.settings.types.superConsumer;
  const median = ctx.medianWindowCheck;
  if (!ctx.superRevenue || !ctx.superOrders || median === null || f.orders === 0) return NO;
  const check = f.revenue / f.orders;
  if (
    f.revenue < ctx.superRevenue.cut ||
    f.orders < ctx.superOrders.cut ||
    check <= cfg.minCheckRatio * median
  )
    return NO;
  const top = cfg.topShare;
  return [
    { code: 'super_revenue', params: { revenue: f.revenue, top, cut: ctx.superRevenue.cut } },
    { code: 'super_orders', params: { orders: f.orders, top, cut: ctx.superOrders.cut } },
    { code: 'super_check', params: { check, ratio: check / median, median } },
  ];
};

const loyal: Rule = (s, ctx) => {
  const cfg = ctx.settings.types.loyal;
  const a = s.aggregates;
  if (a.firstPurchaseAt === null || a.lastPurchaseAt === null || a.medianGapDays === null)
    return NO;
  if (s.stage === 'sleeping' || s.stage === 'lost' || s.stage === 're_engagement') return NO;
  const tenure = daysBetween(Date.parse(a.firstPurchaseAt), ctx.asOfMs);
  const since = wholeDays(Date.parse(a.lastPurchaseAt), ctx.asOfMs);
  const allowance = Math.max(cfg.maxGapMultiple * a.medianGapDays, cfg.graceDays);
  if (tenure < cfg.minTenureDays || a.purchaseDays < cfg.minPurchaseDays || since > allowance)
    return NO;
  return [
    { code: 'loyal_tenure', params: { days: tenure, firstPurchaseAt: a.firstPurchaseAt } },
    {
      code: 'loyal_rhythm',
      params: { purchaseDays: a.purchaseDays, medianGapDays: a.medianGapDays },
    },
    { code: 'last_purchase', params: { days: since } },
  ];
};

const pioneer: Rule = (s, ctx) => {
  const cfg = ctx.settings.types.pioneer;
  if (ctx.firstSaleMs === null) return NO;
  const hits: { product: string; days: number; launch: number }[] = [];
  for (const product in s.aggregates.productFirstPurchase) {
    const launch = ctx.productFirstSale.get(product);
    if (launch === undefined || daysBetween(ctx.firstSaleMs, launch) < cfg.newProductAfterDays)
      continue;
    const bought = Date.parse(s.aggregates.productFirstPurchase[product]!);
    if (bought > ctx.asOfMs) continue;
    const days = daysBetween(launch, bought);
    if (days <= cfg.windowDays) hits.push({ product, days, launch });
  }
  hits.sort((p, q) => q.launch - p.launch || (p.product < q.product ? -1 : 1));
  const reasons: Reason[] = hits.slice(0, 3).map((h) => ({
    code: 'pioneer_product',
    params: {
      product: h.product,
      days: Math.floor(h.days),
      launchedAt: new Date(h.launch).toISOString(),
    },
  }));
  if (hits.length > 3) reasons.push({ code: 'pioneer_more', params: { count: hits.length - 3 } });
  return reasons;
};

const fan: Rule = (s, ctx) => {
  const cfg = ctx.settings.types.fan;
  const a = s.aggregates;
  // A client who runs us down as often as it praises us is no fan, whatever it tells its friends.
  if (a.negativeReviews > a.positiveReviews) return NO;
  const reasons: Reason[] = [];
  if (a.referrals >= cfg.minReferrals)
    reasons.push({ code: 'fan_referrals', params: { count: a.referrals } });
  if (a.positiveReviews >= cfg.minPositiveReviews)
    reasons.push({ code: 'fan_reviews', params: { count: a.positiveReviews } });
  return reasons;
};

const smallFry: Rule = (s, ctx) => {
  const a = s.aggregates;
  const median = ctx.medianCheck;
  if (a.orders === 0 || median === null || median <= 0) return NO;
  const check = a.revenue / a.orders;
  if (check >= ctx.settings.types.smallFry.maxCheckRatio * median) return NO;
  return [{ code: 'small_check', params: { check, ratio: check / median, median } }];
};

const bad: Rule = (s, ctx, _f, tags) => {
  const cfg = ctx.settings.types.bad;
  const a = s.aggregates;
  const reasons: Reason[] = [];
  if (
    a.latePayments > 0 &&
    ((a.latePayments >= cfg.minLatePayments &&
      a.latePayments / a.payments >= cfg.latePaymentShare) ||
      a.maxDaysLate >= cfg.seriousDaysLate)
  ) {
    reasons.push({
      code: 'bad_late_payments',
      params: { late: a.latePayments, payments: a.payments, maxDaysLate: a.maxDaysLate },
    });
  }
  if (
    a.negativeMarginOrders > 0 &&
    (a.negativeMarginOrders / a.ordersWithMargin >= cfg.lossOrderShare || a.margin < 0)
  ) {
    reasons.push({
      code: 'bad_loss_orders',
      params: { loss: a.negativeMarginOrders, orders: a.ordersWithMargin, margin: a.margin },
    });
  }
  if (
    a.complaints >= cfg.minComplaints &&
    a.complaints / Math.max(a.orders, 1) >= cfg.complaintsPerOrder
  ) {
    reasons.push({
      code: 'bad_complaints',
      params: { complaints: a.complaints, orders: a.orders },
    });
  }
  if (
    a.negativeContacts >= cfg.minNegativeContacts &&
    a.negativeContacts / a.contacts >= cfg.negativeContactShare
  ) {
    reasons.push({
      code: 'bad_negative_contacts',
      params: { negative: a.negativeContacts, contacts: a.contacts },
    });
  }
  if (
    a.discountedOrders >= cfg.minDiscountedOrders &&
    a.discountedOrders / a.orders >= cfg.discountedOrderShare
  ) {
    reasons.push({
      code: 'bad_discounts',
      params: {
        discounted: a.discountedOrders,
        orders: a.orders,
        averageDiscount: a.averageDiscount,
      },
    });
  }
  if (a.contacts >= cfg.minContacts && a.contacts / Math.max(a.orders, 1) >= cfg.contactsPerOrder) {
    reasons.push({ code: 'bad_time', params: { contacts: a.contacts, orders: a.orders } });
  }
  if (a.negativeReviews >= cfg.minNegativeReviews)
    reasons.push({ code: 'bad_negative_reviews', params: { count: a.negativeReviews } });
  reasons.push(...tagReasons(tags, cfg.tags));
  return reasons;
};

const sleeping: Rule = (s, ctx) => {
  if (s.stage !== 'sleeping' && s.stage !== 're_engagement') return NO;
  const reasons: Reason[] = [
    { code: 'in_stage', params: { stage: s.stage, since: s.stageSince || null } },
  ];
  const last = s.aggregates.lastPurchaseAt;
  if (last !== null)
    reasons.push({
      code: 'last_purchase',
      params: { days: wholeDays(Date.parse(last), ctx.asOfMs) },
    });
  return reasons;
};

// The "ours, not yet" types form a ladder (inquirer → near-client → false client); a client stands
// on the highest rung it reached, so each rule below checks that the ones above did not fire.
const promises = (a: Snapshot['aggregates']) => a.meetings + a.offers + a.interests;

const falseClient: Rule = (s, ctx) => {
  const cfg = ctx.settings.types.falseClient;
  const a = s.aggregates;
  if (a.orders > 0 || a.firstEventAt === null || promises(a) < cfg.minPromises) return NO;
  const span = daysBetween(Date.parse(a.firstEventAt), ctx.asOfMs);
  if (span < cfg.minDays) return NO;
  return [
    {
      code: 'false_client',
      params: {
        promises: { meeting: a.meetings, offer: a.offers, interest: a.interests },
        days: span,
      },
    },
  ];
};

const nearClient: Rule = (s, ctx, f, tags) => {
  const a = s.aggregates;
  if (
    a.orders > 0 ||
    (a.meetings === 0 && a.offers === 0) ||
    falseClient(s, ctx, f, tags).length > 0
  )
    return NO;
  const reasons: Reason[] = [];
  if (a.meetings > 0) reasons.push({ code: 'near_met', params: { meetings: a.meetings } });
  if (a.offers > 0) reasons.push({ code: 'near_offers', params: { offers: a.offers } });
  if (a.purchasesRefusedByClient > 0)
    reasons.push({ code: 'near_refused', params: { refusals: a.purchasesRefusedByClient } });
  reasons.push({ code: 'no_purchase', params: {} });
  return reasons;
};

/** Contacted us without buying. Qualifying the lead (contact data, wish, budget) is left for later. */
const inquirer: Rule = (s, ctx, f, tags) => {
  const a = s.aggregates;
  if (a.orders > 0 || a.meetings > 0 || a.offers > 0 || falseClient(s, ctx, f, tags).length > 0)
    return NO;
  if (a.requests + a.responses + a.interests + a.contacts === 0) return NO;
  const contacts = {
    request: a.requests,
    response: a.responses,
    interestShown: a.interests,
    contact: a.contacts,
  };
  return [{ code: 'inquirer', params: { contacts } }];
};

const competitors: Rule = (s, ctx, _f, tags) => {
  const cfg = ctx.settings.types;
  const reasons = tagReasons(tags, cfg.competitorTags);
  const refusal = s.aggregates.lastRefusal;
  if (refusal !== null) {
    const text = refusal.reason.toLowerCase();
    if (cfg.competitorKeywords.some((k) => text.includes(k.toLowerCase())))
      reasons.push({ code: 'competitor_refusal', params: { reason: refusal.reason } });
  }
  return reasons;
};

/**
 * "Buys from nobody yet": in our base (reached out to, or entered by hand without any event yet),
 * silent, not anyone else's client, not ruled out as non-target.
 */
const potential: Rule = (s, ctx, f, tags) => {
  const a = s.aggregates;
  const engaged =
    a.orders +
    a.responses +
    a.requests +
    a.interests +
    a.contacts +
    a.meetings +
    a.offers +
    a.referrals +
    a.reviews +
    a.complaints +
    a.purchasesRefusedByClient;
  if (
    engaged > 0 ||
    a.lastRefusal?.kind === 'non_target' ||
    competitors(s, ctx, f, tags).length > 0
  )
    return NO;
  const reasons: Reason[] = [
    { code: 'potential', params: { outreaches: a.outreaches > 0 ? a.outreaches : null } },
  ];
  if (a.lastRefusal?.kind === 'not_now')
    reasons.push({ code: 'refused_for_now', params: { reason: a.lastRefusal.reason } });
  return reasons;
};

const leadUser: Rule = (_s, ctx, _f, tags) =>
  tags.size === 0 ? NO : tagReasons(tags, ctx.settings.types.leadUserTags);
const status: Rule = (_s, ctx, _f, tags) =>
  tags.size === 0 ? NO : tagReasons(tags, ctx.settings.types.statusTags);

const RULES: Record<ClientType, Rule> = {
  golden,
  super_consumer: superConsumer,
  loyal,
  pioneer,
  lead_user: leadUser,
  status,
  fan,
  small_fry: smallFry,
  bad,
  sleeping,
  inquirer,
  near_client: nearClient,
  false_client: falseClient,
  potential,
  competitors,
};

export const MANUAL_REASON: Reason = Object.freeze({ code: 'manual', params: {} });
const NONE: ReadonlySet<string> = new Set();
const KNOWN: ReadonlySet<string> = new Set(CLIENT_TYPES);

/**
 * Every type the client carries, in the order of `CLIENT_TYPES`, then hand-made types. A type set by
 * hand is `manual` (its derived reasons, if the data agrees, follow "set by hand"); the others are
 * `derived` with the signals that fired.
 */
export function classifyClient(snapshot: Snapshot, ctx: TypeContext): ClientTypeEntry[] {
  const f = windowFigures(snapshot, ctx.window);
  // Most clients carry no tags and no hand-set types: share one empty set rather than build two.
  const tagged = snapshot.tags.length + snapshot.aggregates.eventTags.length > 0;
  const tags = tagged
    ? new Set([...snapshot.tags, ...snapshot.aggregates.eventTags].map((t) => t.toLowerCase()))
    : NONE;
  const manual = snapshot.manualTypes.length > 0 ? new Set(snapshot.manualTypes) : NONE;
  const out: ClientTypeEntry[] = [];
  for (const type of CLIENT_TYPES) {
    const reasons = RULES[type](snapshot, ctx, f, tags);
    if (manual.has(type))
      out.push({ type, source: 'manual', reasons: [MANUAL_REASON, ...reasons] });
    // A rule that fires returns a fresh array; only the shared empty one is frozen.
    else if (reasons.length > 0)
      out.push({ type, source: 'derived', reasons: reasons as Reason[] });
  }
  for (const type of manual)
    if (!KNOWN.has(type)) out.push({ type, source: 'manual', reasons: [MANUAL_REASON] });
  return out;
}

/** Classifies every snapshot against one context built over all of them. */
export function classifyAll(
  snapshots: readonly Snapshot[],
  settings: SegmentSettings,
  asOf: string,
): Map<string, ClientTypeEntry[]> {
  const ctx = buildTypeContext(snapshots, settings, asOf);
  return new Map(snapshots.map((s) => [s.id, classifyClient(s, ctx)]));
}

/** Clients per type for `GET /v1/segments/types`: every known type listed, hand-made ones after. */
export function countTypes(
  classified: Iterable<readonly ClientTypeEntry[]>,
  asOf: string,
): TypeCountsResult {
  const counts = new Map<string, { count: number; derived: number; manual: number }>(
    CLIENT_TYPES.map((t) => [t, { count: 0, derived: 0, manual: 0 }]),
  );
  const extra: string[] = [];
  let clients = 0;
  for (const entries of classified) {
    clients += 1;
    for (const e of entries) {
      let c = counts.get(e.type);
      if (!c) {
        c = { count: 0, derived: 0, manual: 0 };
        counts.set(e.type, c);
        extra.push(e.type);
      }
      c.count += 1;
      c[e.source] += 1;
    }
  }
  extra.sort();
  return {
    asOf,
    clients,
    types: [...CLIENT_TYPES, ...extra].map((type) => ({ type, ...counts.get(type)! })),
  };
}
