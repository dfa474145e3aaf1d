import { DAY_MS } from '../../schema/common.ts';
import type { ClientAggregates } from '../../schema/clients.ts';
import type { TimeUnit, ValueTransaction } from '../../schema/value.ts';

/**
 * One customer as the models see it, in the papers' notation: `x` repeat transactions (purchase
 * days after the first), the last at `tx`, observed for `T` since the first purchase (both in the
 * time unit), `zbar` the mean value of the repeat transactions (0 when x = 0).
 */
export interface CustomerSummary {
  id: string;
  x: number;
  tx: number;
  T: number;
  zbar: number;
}

/** Months, quarters and years are their mean lengths in the Gregorian calendar. */
export const DAYS_PER_UNIT: Record<TimeUnit, number> = {
  day: 1,
  week: 7,
  month: 365.2425 / 12,
  quarter: 365.2425 / 4,
  year: 365.2425,
};

/** Days since 1970-01-01 of the UTC calendar day an instant falls on. */
export const utcDayNumber = (iso: string): number => Math.floor(Date.parse(iso) / DAY_MS);

/**
 * The last UTC day wholly or partly before `asOf`. Time is counted in whole UTC days, as in the
 * papers: a purchase on day k happened at k, and a customer observed up to `asOf` was observed to
 * this day. So the CDNOW calibration "1997-01-01 to 1997-09-30" is asOf = 1997-10-01T00:00Z, and a
 * customer who first bought on 1997-01-01 has T = 272 days = 38.86 weeks, as in the published
 * summary; a purchase on 1997-09-30 has tx = T.
 */
export const lastObservedDay = (asOf: string): number =>
  Math.floor((Date.parse(asOf) - 1) / DAY_MS);

/**
 * Summarises raw purchases strictly before `asOf`: same-day purchases (UTC calendar day) by a
 * customer are one transaction whose value is their sum. Customers with no purchase before
 * `asOf` do not appear. Order of the input does not matter; the output follows first appearance.
 */
export function summariseTransactions(
  transactions: Iterable<Pick<ValueTransaction, 'clientId' | 'at' | 'amount'>>,
  options: { asOf: string; timeUnit: TimeUnit },
): CustomerSummary[] {
  const asOfMs = Date.parse(options.asOf);
  const end = lastObservedDay(options.asOf);
  const unit = DAYS_PER_UNIT[options.timeUnit];
  const byClient = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    const ms = Date.parse(t.at);
    if (!(ms < asOfMs)) continue;
    const day = Math.floor(ms / DAY_MS);
    let days = byClient.get(t.clientId);
    if (!days) byClient.set(t.clientId, (days = new Map<number, number>()));
    days.set(day, (days.get(day) ?? 0) + t.amount);
  }
  const out: CustomerSummary[] = [];
  for (const [id, days] of byClient) {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    let total = 0;
    for (const [day, amount] of days) {
      first = Math.min(first, day);
      last = Math.max(last, day);
      total += amount;
    }
    const x = days.size - 1;
    out.push({
      id,
      x,
      tx: (last - first) / unit,
      T: (end - first) / unit,
      zbar: x > 0 ? (total - days.get(first)!) / x : 0,
    });
  }
  return out;
}

/** A customer as the fits read it: its summary without the id. */
export type CustomerHistory = Omit<CustomerSummary, 'id'>;

/**
 * Customers with the same purchase history before `asOf`, as the database groups them
 * (`loadPurchaseHistories`): `x` purchase days after the first, the UTC day numbers of the first and
 * last purchase day, the total of the purchases on the days after the first, and how many
 * customers share exactly this.
 */
export interface HistoryGroup {
  x: number;
  firstDay: number;
  lastDay: number;
  repeatSpend: number;
  customers: number;
}

/**
 * The same summaries as `summariseTransactions` from customers already grouped by identical
 * history: each group is one object, repeated once per customer (the fits weigh identical
 * histories anyway, `compress`), so the work is in groups, not customers or purchases.
 */
export function summariseHistories(
  groups: Iterable<HistoryGroup>,
  options: { asOf: string; timeUnit: TimeUnit },
): CustomerHistory[] {
  const end = lastObservedDay(options.asOf);
  const unit = DAYS_PER_UNIT[options.timeUnit];
  const out: CustomerHistory[] = [];
  for (const g of groups) {
    const history: CustomerHistory = {
      x: g.x,
      tx: (g.lastDay - g.firstDay) / unit,
      T: (end - g.firstDay) / unit,
      zbar: g.x > 0 ? g.repeatSpend / g.x : 0,
    };
    for (let i = 0; i < g.customers; i++) out.push(history);
  }
  return out;
}

/** The aggregate fields the summary needs: a fit reads one narrow row per client. */
export type ValueAggregates = Pick<
  ClientAggregates,
  'purchaseDays' | 'firstPurchaseAt' | 'lastPurchaseAt' | 'revenue' | 'firstPurchaseDayRevenue'
>;

/**
 * The same summary from the per-client aggregates maintained on ingestion, so that a fit at scale
 * never reads the event log. The aggregates cover all history, so this is for asOf = now: a client
 * whose last purchase is not before `asOf` cannot be cut back to `asOf` and is counted in
 * `excluded` instead (use `summariseTransactions` for a past asOf). Clients who never bought are
 * skipped silently: the models are about customers.
 */
export function summariseAggregates(
  clients: Iterable<{ id: string; aggregates: ValueAggregates }>,
  options: { asOf: string; timeUnit: TimeUnit },
): { customers: CustomerSummary[]; excluded: number } {
  const asOfMs = Date.parse(options.asOf);
  const end = lastObservedDay(options.asOf);
  const unit = DAYS_PER_UNIT[options.timeUnit];
  const customers: CustomerSummary[] = [];
  let excluded = 0;
  for (const { id, aggregates: a } of clients) {
    if (a.purchaseDays === 0 || a.firstPurchaseAt === null || a.lastPurchaseAt === null) continue;
    if (!(Date.parse(a.lastPurchaseAt) < asOfMs)) {
      excluded++;
      continue;
    }
    const first = utcDayNumber(a.firstPurchaseAt);
    const x = a.purchaseDays - 1;
    customers.push({
      id,
      x,
      tx: (utcDayNumber(a.lastPurchaseAt) - first) / unit,
      T: (end - first) / unit,
      zbar: x > 0 ? (a.revenue - a.firstPurchaseDayRevenue) / x : 0,
    });
  }
  return { customers, excluded };
}

/**
 * A client's whole purchase history as the database keeps it beside the aggregates (migration
 * 0025), for the fits' grouped read: purchase days, the UTC day numbers of the first and last,
 * and the repeat spend (the purchases after the first purchase day; 0 with one purchase day).
 * Null for a client who never bought.
 */
export function purchaseHistoryOf(
  a: ValueAggregates,
): { purchaseDays: number; firstDay: number; lastDay: number; repeatSpend: number } | null {
  if (a.purchaseDays === 0 || a.firstPurchaseAt === null || a.lastPurchaseAt === null) return null;
  return {
    purchaseDays: a.purchaseDays,
    firstDay: utcDayNumber(a.firstPurchaseAt),
    lastDay: utcDayNumber(a.lastPurchaseAt),
    repeatSpend: a.purchaseDays > 1 ? a.revenue - a.firstPurchaseDayRevenue : 0,
  };
}

/** A client in discrete time (BG/BB): `x` periods with a purchase after the first, the last `tx`, out of `n`. */
export interface OpportunitySummary {
  id: string;
  x: number;
  tx: number;
  n: number;
}

/**
 * Discrete opportunities for BG/BB: period k of a client covers days [first + k·u, first + (k+1)·u)
 * of the time unit u, counted from the day of the first purchase (period 0, not an opportunity).
 * The opportunities are the periods 1…n wholly before `asOf`; x counts those with at least one
 * purchase, tx is the last of them (0 if none). Purchases in the unfinished period are not yet
 * counted.
 */
export function summariseOpportunities(
  transactions: Iterable<Pick<ValueTransaction, 'clientId' | 'at'>>,
  options: { asOf: string; timeUnit: TimeUnit },
): OpportunitySummary[] {
  const asOfMs = Date.parse(options.asOf);
  const end = lastObservedDay(options.asOf);
  const unit = DAYS_PER_UNIT[options.timeUnit];
  const byClient = new Map<string, number[]>();
  for (const t of transactions) {
    const ms = Date.parse(t.at);
    if (!(ms < asOfMs)) continue;
    const day = Math.floor(ms / DAY_MS);
    const days = byClient.get(t.clientId);
    if (days) days.push(day);
    else byClient.set(t.clientId, [day]);
  }
  const out: OpportunitySummary[] = [];
  for (const [id, days] of byClient) {
    const first = Math.min(...days);
    const n = Math.floor((end + 1 - first) / unit + 1e-9) - 1;
    const periods = new Set<number>();
    for (const day of days) {
      const k = Math.floor((day - first) / unit + 1e-9);
      if (k >= 1 && k <= n) periods.add(k);
    }
    out.push({
      id,
      x: periods.size,
      tx: periods.size ? Math.max(...periods) : 0,
      n: Math.max(0, n),
    });
  }
  return out;
}

/**
 * The same from a continuous summary, for a profile that has only the client's aggregates: exact
 * when the client buys at most once per period (x repeat days are then x periods), an upper bound
 * on x otherwise.
 */
export function opportunitiesFromSummary(
  c: Pick<CustomerSummary, 'x' | 'tx' | 'T'>,
  timeUnit: TimeUnit,
): { x: number; tx: number; n: number } {
  const n = Math.max(0, Math.floor(c.T + 1 / DAYS_PER_UNIT[timeUnit] + 1e-9) - 1);
  const tx = c.x === 0 ? 0 : Math.min(Math.floor(c.tx + 1e-9), n);
  return { x: Math.min(c.x, tx), tx, n };
}
