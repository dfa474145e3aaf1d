// Sufficient statistics: the continuous-time models read a customer only through (x, tx, T), so
// customers with the same triple are one weighted term of the likelihood.

/** What the continuous-time models read of a customer: x repeat transactions, the last at tx, observed for T. */
export interface Frequency {
  x: number;
  tx: number;
  T: number;
}

/** Distinct histories as columns, with how many customers share each. */
export interface Compressed {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** Number of customers (the sum of the weights). */
  customers: number;
}

/**
 * Groups identical (x, tx, T). For x = 0 the models ignore tx, so one-time buyers group by T alone
 * (their tx is set to 0). The rows come out sorted by (x, tx, T), so a likelihood summed over them
 * is the same to the last bit whatever order the customers arrived in (from the purchases or from
 * histories grouped in the database).
 */
export function compress(customers: Iterable<Frequency>): Compressed {
  type Row = { x: number; tx: number; T: number; weight: number };
  // Keyed by the numbers themselves (x, then tx, then T): no strings to build per customer.
  const index = new Map<number, Map<number, Map<number, Row>>>();
  const rows: Row[] = [];
  let n = 0;
  // Customers already grouped (summariseHistories) arrive as one object repeated: those repeats
  // are counted without a look-up.
  let previous: Frequency | null = null;
  let previousRow: Row | null = null;
  for (const c of customers) {
    n++;
    if (c === previous) {
      previousRow!.weight++;
      continue;
    }
    const { x, tx, T } = c;
    const t = x === 0 ? 0 : tx;
    let byTx = index.get(x);
    if (!byTx) index.set(x, (byTx = new Map<number, Map<number, Row>>()));
    let byT = byTx.get(t);
    if (!byT) byTx.set(t, (byT = new Map<number, Row>()));
    let row = byT.get(T);
    if (row) row.weight++;
    else {
      byT.set(T, (row = { x, tx: t, T, weight: 1 }));
      rows.push(row);
    }
    previous = c;
    previousRow = row;
  }
  const list = rows.sort((p, q) => p.x - q.x || p.tx - q.tx || p.T - q.T);
  return {
    x: Float64Array.from(list, (r) => r.x),
    tx: Float64Array.from(list, (r) => r.tx),
    T: Float64Array.from(list, (r) => r.T),
    weight: Float64Array.from(list, (r) => r.weight),
    customers: n,
  };
}

/**
 * The weighted mean of a column over the customers, summed in the rows' order: the same bits
 * whatever order the customers came in (a fit's starting point depends on it).
 */
export function weightedMean(data: Compressed, column: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < column.length; i++) sum += data.weight[i]! * column[i]!;
  return sum / data.customers;
}
