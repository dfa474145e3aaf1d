import type { Cohort, CohortGrain, CohortTriangle } from '../../schema/cohorts.ts';

/** Periods as integers (months or quarters since year 0), so that an offset is one subtraction. */
export function periodIndex(grain: CohortGrain, label: string): number {
  const year = Number(label.slice(0, 4));
  if (grain === 'month') return year * 12 + Number(label.slice(5, 7)) - 1;
  const q =
    label[5] === 'Q' ? Number(label[6]) : Math.floor((Number(label.slice(5, 7)) - 1) / 3) + 1;
  return year * 4 + q - 1;
}

export function periodLabel(grain: CohortGrain, index: number): string {
  const per = grain === 'month' ? 12 : 4;
  const year = Math.floor(index / per);
  const n = index - year * per + 1;
  return grain === 'month'
    ? `${String(year).padStart(4, '0')}-${String(n).padStart(2, '0')}`
    : `${String(year).padStart(4, '0')}-Q${n}`;
}

/**
 * The first month of the quarter of month `period` (`YYYY-MM`; '' stays ''): where a cohort delta
 * of a write that changes months from `period` on starts, so that the write's quarter is counted
 * whole.
 */
export function quarterStart(period: string): string {
  return period === '' ? '' : periodLabel('month', periodIndex('quarter', period) * 3);
}

export interface CohortCellFigures {
  cohort: string;
  period: string;
  clients: number;
  /** The chosen measure, in cents. */
  cents: number;
}

/**
 * The retention triangle from cohort × period cells: one row per cohort from `from` to `to` that
 * has clients, each with every period from its first to `to` (periods nobody bought in are 0s).
 * A cohort's size is its offset-0 cell: every client buys in the period of its first purchase.
 */
export function cohortTriangle(
  cells: readonly CohortCellFigures[],
  q: { grain: CohortGrain; measure: CohortTriangle['measure']; from: number; to: number },
): CohortTriangle {
  const byCohort = Map.groupBy(cells, (c) => c.cohort);
  const cohorts: Cohort[] = [];
  for (let c = q.from; c <= q.to; c++) {
    const label = periodLabel(q.grain, c);
    const own = new Map(
      (byCohort.get(label) ?? []).map((x) => [periodIndex(q.grain, x.period), x]),
    );
    const size = own.get(c)?.clients ?? 0;
    if (size <= 0) continue;
    const periods = [];
    for (let p = c; p <= q.to; p++) {
      const cell = own.get(p);
      const active = cell?.clients ?? 0;
      periods.push({
        offset: p - c,
        period: periodLabel(q.grain, p),
        active,
        share: active / size,
        revenue: Math.round((cell?.cents ?? 0) / size) / 100,
      });
    }
    cohorts.push({ cohort: label, clients: size, periods });
  }
  return {
    period: q.grain,
    measure: q.measure,
    from: periodLabel(q.grain, q.from),
    to: periodLabel(q.grain, q.to),
    cohorts,
  };
}
