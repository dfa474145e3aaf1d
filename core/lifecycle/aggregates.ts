import type { ClientAggregates, PeriodBucket } from '../../schema/clients.ts';
import type { ClientEvent } from '../../schema/events.ts';
import { median } from '../stats.ts';
import { daysBetween, utcDay, utcMonth } from '../time.ts';
import { chronological } from './order.ts';

export const emptyAggregates = (): ClientAggregates => ({
  events: 0,
  firstEventAt: null,
  lastEventAt: null,
  orders: 0,
  purchaseDays: 0,
  revenue: 0,
  margin: 0,
  ordersWithMargin: 0,
  negativeMarginOrders: 0,
  discountedOrders: 0,
  averageDiscount: null,
  firstPurchaseAt: null,
  lastPurchaseAt: null,
  firstPurchaseDayRevenue: 0,
  firstDevelopedAt: null,
  medianGapDays: null,
  maxOrderAmount: 0,
  productFirstPurchase: {},
  outreaches: 0,
  responses: 0,
  requests: 0,
  interests: 0,
  lastInterestAt: null,
  interestRecheckAt: null,
  meetings: 0,
  offers: 0,
  refusals: 0,
  lastRefusal: null,
  purchasesRefusedByClient: 0,
  purchasesRefusedByUs: 0,
  payments: 0,
  latePayments: 0,
  maxDaysLate: 0,
  contacts: 0,
  positiveContacts: 0,
  negativeContacts: 0,
  lastContactAt: null,
  lastPositiveContactAt: null,
  lastNegativeContactAt: null,
  complaints: 0,
  reviews: 0,
  positiveReviews: 0,
  negativeReviews: 0,
  referrals: 0,
  lastReferralAt: null,
  eventTags: [],
  reactivations: 0,
  lastTouchAt: null,
  actionsDone: {},
});

// Money sums are kept to the cent so that sums do not drift with the order of additions.
const cents = (x: number) => Math.round(x * 100) / 100;

export interface AggregateOptions {
  developedAfterOrders: number;
  interestRecheckDays: number;
  /** Purchases after a gap this long (the sleeping rule) count as reactivations. */
  reactivations: number;
}

/**
 * Where a client's aggregates stand after its latest event: the running figures plus what the
 * finished ones are computed from, as plain JSON that a later event continues from. `periods`
 * holds the month buckets from the latest on: a compacted fold keeps only that one (a later event
 * can only touch it or open a newer one).
 */
export interface AggregateFold {
  a: ClientAggregates;
  periods: PeriodBucket[];
  /** Distinct UTC days of the purchases (their gaps give the median gap). */
  days: string[];
  tags: string[];
  discountSum: number;
  firstDay: string | null;
}

export const emptyAggregateFold = (): AggregateFold => ({
  a: emptyAggregates(),
  periods: [],
  days: [],
  tags: [],
  discountSum: 0,
  firstDay: null,
});

/** Applies one event to the fold (events in `chronological` order, each after the fold's last). */
export function stepAggregates(
  f: AggregateFold,
  e: ClientEvent,
  options: Omit<AggregateOptions, 'reactivations'>,
): void {
  const a = f.a;
  if (e.type === 'action_done') {
    // Our own bookkeeping: it says what we did, not what the client did, so it counts as no event.
    a.actionsDone[e.actionKind] = e.at;
    return;
  }
  a.events += 1;
  a.firstEventAt ??= e.at;
  a.lastEventAt = e.at;
  if (e.type === 'contact' || e.type === 'meeting' || e.type === 'outreach' || e.type === 'offer')
    a.lastTouchAt = e.at;
  switch (e.type) {
    case 'outreach':
      a.outreaches += 1;
      break;
    case 'response':
      a.responses += 1;
      break;
    case 'request':
      a.requests += 1;
      break;
    case 'interest': {
      a.interests += 1;
      a.lastInterestAt = e.at;
      a.interestRecheckAt =
        e.recheckAt ??
        new Date(Date.parse(e.at) + options.interestRecheckDays * 86_400_000).toISOString();
      break;
    }
    case 'meeting':
      a.meetings += 1;
      break;
    case 'offer':
      a.offers += 1;
      break;
    case 'refusal':
      a.refusals += 1;
      a.lastRefusal = { at: e.at, by: e.by, reason: e.reason, kind: e.kind ?? null };
      break;
    case 'purchase_refused':
      if (e.by === 'client') a.purchasesRefusedByClient += 1;
      else a.purchasesRefusedByUs += 1;
      break;
    case 'purchase': {
      a.orders += 1;
      a.revenue = cents(a.revenue + e.amount);
      a.maxOrderAmount = Math.max(a.maxOrderAmount, e.amount);
      if (e.margin !== undefined) {
        a.margin = cents(a.margin + e.margin);
        a.ordersWithMargin += 1;
        if (e.margin < 0) a.negativeMarginOrders += 1;
      }
      if (e.discount !== undefined && e.discount > 0) {
        a.discountedOrders += 1;
        f.discountSum += e.discount;
      }
      a.firstPurchaseAt ??= e.at;
      a.lastPurchaseAt = e.at;
      const day = utcDay(e.at);
      f.firstDay ??= day;
      if (day === f.firstDay)
        a.firstPurchaseDayRevenue = cents(a.firstPurchaseDayRevenue + e.amount);
      if (f.days.at(-1) !== day) f.days.push(day);
      if (a.orders === options.developedAfterOrders) a.firstDevelopedAt = e.at;
      if (e.product !== undefined && !(e.product in a.productFirstPurchase))
        a.productFirstPurchase[e.product] = e.at;
      const month = utcMonth(e.at);
      let bucket = f.periods.at(-1);
      if (bucket?.period !== month) {
        bucket = { period: month, revenue: 0, margin: 0, orders: 0 };
        f.periods.push(bucket);
      }
      bucket.revenue = cents(bucket.revenue + e.amount);
      bucket.margin = cents(bucket.margin + (e.margin ?? 0));
      bucket.orders += 1;
      break;
    }
    case 'payment':
      a.payments += 1;
      if (e.daysLate > 0) a.latePayments += 1;
      a.maxDaysLate = Math.max(a.maxDaysLate, e.daysLate);
      break;
    case 'contact':
      a.contacts += 1;
      a.lastContactAt = e.at;
      if (e.sentiment === 'positive') {
        a.positiveContacts += 1;
        a.lastPositiveContactAt = e.at;
      }
      if (e.sentiment === 'negative') {
        a.negativeContacts += 1;
        a.lastNegativeContactAt = e.at;
      }
      break;
    case 'complaint':
      a.complaints += 1;
      break;
    case 'review':
      a.reviews += 1;
      if (e.rating !== undefined && e.rating >= 4) a.positiveReviews += 1;
      if (e.rating !== undefined && e.rating <= 2) a.negativeReviews += 1;
      break;
    case 'referral':
      a.referrals += 1;
      a.lastReferralAt = e.at;
      break;
    case 'tag':
      if (!f.tags.includes(e.tag)) f.tags.push(e.tag);
      break;
    case 'stage_override':
      break;
  }
}

/** The finished aggregates of a fold (the fold itself is left as it was). */
export function finishAggregates(f: AggregateFold, reactivations: number): ClientAggregates {
  const a: ClientAggregates = { ...f.a };
  a.purchaseDays = f.days.length;
  a.averageDiscount = a.discountedOrders > 0 ? f.discountSum / a.discountedOrders : null;
  const gaps: number[] = [];
  for (let i = 1; i < f.days.length; i++) gaps.push(daysBetween(f.days[i - 1]!, f.days[i]!));
  a.medianGapDays = median(gaps);
  a.eventTags = [...f.tags].sort();
  a.reactivations = reactivations;
  return a;
}

/**
 * Folds a client's events into the aggregates that every read uses, and the calendar-month
 * buckets of its purchases. Pure and order-independent: events are replayed chronologically.
 */
export function aggregateEvents(
  events: readonly ClientEvent[],
  options: AggregateOptions,
): { aggregates: ClientAggregates; periods: PeriodBucket[] } {
  const f = emptyAggregateFold();
  for (const e of chronological(events)) stepAggregates(f, e, options);
  return { aggregates: finishAggregates(f, options.reactivations), periods: f.periods };
}
