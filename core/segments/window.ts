import type { ClientSnapshot } from '../../schema/clients.ts';

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;

/**
 * Calendar months as integers (year × 12 + month − 1), so that windows over the monthly buckets
 * are integer ranges and a bucket's place in a window is one subtraction. Reads the digits of
 * `YYYY-MM…` in place: this runs once per bucket of every client, and slicing allocated.
 */
export const monthIndex = (isoOrMonth: string): number =>
  (digit(isoOrMonth, 0) * 1000 +
    digit(isoOrMonth, 1) * 100 +
    digit(isoOrMonth, 2) * 10 +
    digit(isoOrMonth, 3)) *
    12 +
  digit(isoOrMonth, 5) * 10 +
  digit(isoOrMonth, 6) -
  1;

/** Midnight UTC on the first day of the month with this index. */
export const monthStartIso = (index: number): string => {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01T00:00:00.000Z`;
};

/** A window of whole calendar months, `[from, to)` as month indexes. */
export interface MonthWindow {
  from: number;
  to: number;
}

/** The `months` whole calendar months (UTC) before the month of `asOf`. */
export const trailingWindow = (asOf: string, months: number): MonthWindow => {
  const to = monthIndex(asOf);
  return { from: to - months, to };
};

export const windowIso = (w: MonthWindow) => ({
  from: monthStartIso(w.from),
  to: monthStartIso(w.to),
});

/** What a client bought inside a window, summed from its monthly buckets. */
export interface WindowFigures {
  revenue: number;
  margin: number;
  orders: number;
}

// Buckets are kept to the cent; summing them keeps that precision only if we round again.
export const cents = (x: number) => Math.round(x * 100) / 100;

export function windowFigures(
  snapshot: Pick<ClientSnapshot, 'periods'>,
  w: MonthWindow,
): WindowFigures {
  let revenue = 0;
  let margin = 0;
  let orders = 0;
  for (const b of snapshot.periods) {
    const m = monthIndex(b.period);
    if (m < w.from || m >= w.to) continue;
    revenue += b.revenue;
    margin += b.margin;
    orders += b.orders;
  }
  return { revenue: cents(revenue), margin: cents(margin), orders };
}
