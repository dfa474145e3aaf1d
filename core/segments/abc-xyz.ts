import type { ClientSnapshot } from '../../schema/clients.ts';
import {
  type AbcXyzClient,
  type AbcXyzQuery,
  type AbcXyzResult,
  MATRIX_CELLS,
  type MatrixCell,
  type Measure,
  type Period,
  PERIOD_MONTHS,
  type SegmentSettings,
} from '../../schema/segments.ts';
import { round } from '../stats.ts';
import { abcClasses, EPS } from './rank.ts';
import { cents, monthIndex, monthStartIso } from './window.ts';

export interface AbcXyzParams {
  /** Midnight UTC on the first of a month; inclusive. */
  from: string;
  /** Midnight UTC on the first of a month; exclusive. */
  to: string;
  period: Period;
  measure: Measure;
}

export const DEFAULT_WINDOW_MONTHS = 12;

/**
 * Fills the window the query left open: 12 whole calendar months, ending before the month of
 * `today` when neither end is given, after `from` or before `to` when one is. Twelve months hold
 * whole months, quarters and years, so a default never breaks the whole-periods rule.
 */
export function resolveAbcXyzQuery(
  query: Pick<AbcXyzQuery, 'from' | 'to' | 'period' | 'measure'>,
  today: string,
): AbcXyzParams {
  const to =
    query.to ??
    monthStartIso(query.from ? monthIndex(query.from) + DEFAULT_WINDOW_MONTHS : monthIndex(today));
  const from = query.from ?? monthStartIso(monthIndex(to) - DEFAULT_WINDOW_MONTHS);
  return { from, to, period: query.period, measure: query.measure };
}

export const xyzOf = (cv: number, x: number, y: number) =>
  cv <= x + EPS ? 'X' : cv <= y + EPS ? 'Y' : 'Z';

/** What ABC-XYZ measures of one client over the window; `cv` is null unless `value` is positive. */
export interface AbcMeasure {
  value: number;
  revenue: number;
  margin: number;
  cv: number | null;
}

/**
 * A measurer for one window: the client's measured value, revenue and margin over `[from, to)`
 * and the coefficient of variation of the measure per period, every period counted (an empty one
 * as 0). The snapshot job measures chunk by chunk with the same function.
 */
export function abcMeasurer(
  params: AbcXyzParams,
): (periods: ClientSnapshot['periods']) => AbcMeasure {
  const first = monthIndex(params.from);
  const months = monthIndex(params.to) - first;
  const periodMonths = PERIOD_MONTHS[params.period];
  const periodCount = Math.max(1, Math.floor(months / periodMonths));
  const byMargin = params.measure === 'margin';
  const perPeriod = new Float64Array(periodCount);
  return (periods) => {
    perPeriod.fill(0);
    let revenue = 0;
    let margin = 0;
    for (const b of periods) {
      const offset = monthIndex(b.period) - first;
      if (offset < 0 || offset >= months) continue;
      perPeriod[Math.floor(offset / periodMonths)]! += byMargin ? b.margin : b.revenue;
      revenue += b.revenue;
      margin += b.margin;
    }
    const value = cents(byMargin ? margin : revenue);
    if (value <= 0) return { value, revenue: cents(revenue), margin: cents(margin), cv: null };
    const mean = value / periodCount;
    let squares = 0;
    for (let p = 0; p < periodCount; p++) squares += (perPeriod[p]! - mean) ** 2;
    return {
      value,
      revenue: cents(revenue),
      margin: cents(margin),
      cv: Math.sqrt(squares / periodCount) / mean,
    };
  };
}

interface Measured {
  id: string;
  value: number;
  revenue: number;
  margin: number;
  cv: number;
}

/**
 * ABC-XYZ over `[from, to)`: ABC by the measure's cumulative share (clients with a positive measure
 * only, descending, ties by id), XYZ by the coefficient of variation of the measure per period,
 * every period of the window counted (an empty one as 0). Reads only the monthly buckets.
 */
export function abcXyz(
  snapshots: readonly Pick<ClientSnapshot, 'id' | 'periods'>[],
  params: AbcXyzParams,
  settings: Pick<SegmentSettings, 'abc' | 'xyz'>,
): AbcXyzResult {
  const periodCount = Math.max(
    1,
    Math.floor((monthIndex(params.to) - monthIndex(params.from)) / PERIOD_MONTHS[params.period]),
  );
  const measure = abcMeasurer(params);
  const measured: Measured[] = [];
  for (const s of snapshots) {
    const m = measure(s.periods);
    if (m.cv === null) continue;
    measured.push({ id: s.id, value: m.value, revenue: m.revenue, margin: m.margin, cv: m.cv });
  }

  measured.sort((p, q) => q.value - p.value || (p.id < q.id ? -1 : p.id > q.id ? 1 : 0));
  const classes = abcClasses(
    measured.map((m) => m.value),
    settings.abc.a,
    settings.abc.b,
  );
  const total = measured.reduce((sum, m) => sum + m.value, 0);

  const matrix = Object.fromEntries(MATRIX_CELLS.map((c) => [c, 0])) as Record<MatrixCell, number>;
  const cells = Object.fromEntries(
    MATRIX_CELLS.map((c) => [c, { count: 0, revenue: 0, margin: 0, value: 0, share: 0 }]),
  ) as AbcXyzResult['cells'];
  const clients: AbcXyzClient[] = [];
  let cumulative = 0;
  measured.forEach((m, i) => {
    cumulative += m.value;
    const abc = classes[i]!;
    const xyz = xyzOf(m.cv, settings.xyz.x, settings.xyz.y);
    const cell: MatrixCell = `${abc}${xyz}`;
    matrix[cell] += 1;
    const c = cells[cell];
    c.count += 1;
    c.revenue += m.revenue;
    c.margin += m.margin;
    c.value += m.value;
    clients.push({
      id: m.id,
      rank: i + 1,
      abc,
      xyz,
      value: m.value,
      revenue: m.revenue,
      margin: m.margin,
      share: round(m.value / total, 6),
      cumulativeShare: round(cumulative / total, 6),
      cv: round(m.cv, 6),
    });
  });
  for (const cell of MATRIX_CELLS) {
    const c = cells[cell];
    c.revenue = cents(c.revenue);
    c.margin = cents(c.margin);
    c.value = cents(c.value);
    c.share = total > 0 ? round(c.value / total, 6) : 0;
  }

  return {
    from: params.from,
    to: params.to,
    period: params.period,
    periods: periodCount,
    measure: params.measure,
    total: cents(total),
    excluded: snapshots.length - measured.length,
    thresholds: { a: settings.abc.a, b: settings.abc.b, x: settings.xyz.x, y: settings.xyz.y },
    clients,
    matrix,
    cells,
  };
}
