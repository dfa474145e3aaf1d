// BG/NBD and Gamma-Gamma fit times and memory on the CDNOW sample (2,357 customers) and on 25,000
// simulated clients. Run: PATH=$PWD/node_modules/.bin:$PATH node --expose-gc bench/clv.bench.ts
import { fitBgNbd } from '../core/value/bgnbd.ts';
import { fitGammaGamma } from '../core/value/gamma-gamma.ts';
import { fitValueModel } from '../core/value/model.ts';
import { predictCustomer } from '../core/value/predict.ts';
import { simulateCustomers } from '../core/value/simulate.ts';
import { summariseTransactions, type CustomerSummary } from '../core/value/summary.ts';
import { CDNOW_CALIBRATION_END, cdnowTransactions } from '../test/fixtures/cdnow/cdnow.ts';

const REPETITIONS = 7;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.warn('run with --expose-gc for meaningful memory figures');

interface Row {
  what: string;
  customers: number;
  median: number;
  min: number;
  max: number;
  cpuMedian: number;
  allocated: number;
  retained: number;
  gcDuring: number;
  note: string;
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

let gcEvents = 0;
new PerformanceObserver((list) => (gcEvents += list.getEntries().length)).observe({
  entryTypes: ['gc'],
});
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

/**
 * Runs `work` once to warm the JIT, then REPETITIONS times (wall and CPU time: the machine may be
 * shared, and CPU time is the steadier of the two). Memory on one more run, from a collected heap:
 * `allocated` is the heap growth across the run with no collection in between (the peak, unless a
 * collection ran during it, which `gcDuring` counts), `retained` what is left after collecting.
 */
async function measure(what: string, customers: number, work: () => string): Promise<Row> {
  work();
  const times: number[] = [];
  const cpu: number[] = [];
  let note = '';
  for (let i = 0; i < REPETITIONS; i++) {
    gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    note = work();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  gc?.();
  await tick();
  const before = process.memoryUsage().heapUsed;
  const eventsBefore = gcEvents;
  work();
  const after = process.memoryUsage().heapUsed;
  await tick();
  const gcDuring = gcEvents - eventsBefore;
  gc?.();
  const retained = process.memoryUsage().heapUsed - before;
  return {
    what,
    customers,
    median: median(times),
    min: Math.min(...times),
    max: Math.max(...times),
    cpuMedian: median(cpu),
    allocated: after - before,
    retained,
    gcDuring,
    note,
  };
}

const cdnowSummary = summariseTransactions(cdnowTransactions(), {
  asOf: CDNOW_CALIBRATION_END,
  timeUnit: 'week',
});
const simulated: CustomerSummary[] = simulateCustomers({
  customers: 25_000,
  params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  spend: { p: 6.25, q: 3.74, v: 15.44 },
  observation: { min: 1, max: 104 },
  seed: 25_000,
});
const settings = { horizonDays: 365, annualDiscountRate: 0.1 };

const rows: Row[] = [];
for (const [name, data] of [
  ['CDNOW sample', cdnowSummary],
  ['simulated', simulated],
] as const) {
  rows.push(
    await measure(`BG/NBD fit, ${name}`, data.length, () => {
      const f = fitBgNbd(data);
      return `${f.evaluations} evaluations, converged ${f.converged}`;
    }),
  );
  rows.push(
    await measure(`Gamma-Gamma fit, ${name}`, data.length, () => {
      const f = fitGammaGamma(data);
      return `${f.customers} repeat buyers, ${f.evaluations} evaluations, converged ${f.converged}`;
    }),
  );
  const fitted = fitValueModel(data, {
    asOf: CDNOW_CALIBRATION_END,
    timeUnit: 'week',
    clock: () => performance.now(),
  });
  if (fitted.status === 'fitted') {
    rows.push(
      await measure(`predicted CLV, 365 days, every customer, ${name}`, data.length, () => {
        let total = 0;
        for (const c of data) total += predictCustomer(fitted.model, c, settings).predictedClv ?? 0;
        return `sum ${total.toFixed(0)}`;
      }),
    );
  }
}
rows.push(
  await measure(
    'summarise CDNOW transactions (6,919 rows)',
    cdnowSummary.length,
    () =>
      `${summariseTransactions(cdnowTransactions(), { asOf: CDNOW_CALIBRATION_END, timeUnit: 'week' }).length} customers`,
  ),
);

console.log(
  `Node ${process.version}, ${REPETITIONS} timed runs after one warm-up; peak RSS of the process ${mb(process.resourceUsage().maxRSS * 1024)} MB.\n`,
);
console.log(
  '| what | customers | median ms | min–max ms | CPU ms (median) | heap allocated MB | GCs during | retained MB | note |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) {
  console.log(
    `| ${r.what} | ${r.customers.toLocaleString('en')} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)}–${r.max.toFixed(1)} | ${r.cpuMedian.toFixed(1)} | ${mb(r.allocated)} | ${r.gcDuring} | ${mb(r.retained)} | ${r.note} |`,
  );
}
