// BG/NBD and Gamma-Gamma fit times and memory on the CDNOW sample (2,357 customers) and on 25,000
// simulated clients; then BG/NBD and Pareto/NBD end to end through POST /v1/clv/model/fit (wrangler
// dev + local D1) on the full CDNOW master log (23,570 customers, calibration to 1997-09-30)
// beside lifetimes' fits of the same calibration summary, in the same run, with the ratios.
// Run: npm run bench -- clv. The lifetimes step needs Debian's python3-scipy, python3-pandas and
// python3-dill, and LIFETIMES_PYTHONPATH set to a folder holding the lifetimes and autograd
// sources (e.g. LIFETIMES_PYTHONPATH=../shared/tools/python); without them it is skipped with a
// note. LIFETIMES_PYTHON names the interpreter (default /usr/bin/python3); CLV_BENCH=e2e runs only
// the end-to-end comparison.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fitBgNbd } from '../core/value/bgnbd.ts';
import { fitGammaGamma } from '../core/value/gamma-gamma.ts';
import { fitValueModel } from '../core/value/model.ts';
import { predictCustomer } from '../core/value/predict.ts';
import { simulateCustomers } from '../core/value/simulate.ts';
import { summariseTransactions, type CustomerSummary } from '../core/value/summary.ts';
import { loadPurchaseHistories, loadPurchases } from '../worker/db/value.ts';
import { CDNOW_CALIBRATION_END, cdnowTransactions } from '../test/fixtures/cdnow/cdnow.ts';
import { http, median as medianOf, root, startLocalApi } from './harness.ts';
import { findPrimarySqlite, sqliteD1 } from './sqlite-d1.ts';

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

// CLV_BENCH=e2e runs only the end-to-end comparison with lifetimes.
const onlyEndToEnd = process.env.CLV_BENCH === 'e2e';
if (!onlyEndToEnd) await fitsInProcess();

async function fitsInProcess() {
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
          for (const c of data)
            total += predictCustomer(fitted.model, c, settings).predictedClv ?? 0;
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
}

// ---------------------------------------------------------------------------------------------
// End to end on the full CDNOW master log, beside lifetimes.

const FIT_RUNS = 5;
const masterCsv = (): string => {
  const text = gunzipSync(
    readFileSync(path.join(root, 'test', 'fixtures', 'cdnow', 'CDNOW_master.txt.gz')),
  ).toString('utf8');
  const rows = text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [id, d, , dollars] = line.trim().split(/\s+/) as [string, string, string, string];
      return `${Number(id)},${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)},${dollars}`;
    });
  return `client_id,date,amount\n${rows.join('\n')}\n`;
};
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const csv = masterCsv();
const masterTransactions = csv
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [clientId, date, amount] = line.split(',') as [string, string, string];
    return { clientId, at: `${date}T00:00:00.000Z`, amount: Number(amount) };
  });
const calibration = summariseTransactions(masterTransactions, {
  asOf: CDNOW_CALIBRATION_END,
  timeUnit: 'week',
});

const ours: Record<
  string,
  { ms: number[]; cpuMs: number | null; params: unknown; logLikelihood: number }
> = {};
// The machine is shared: its load average beside each side's timings says how polluted they are.
const load = () => loadavg()[0]!.toFixed(2);
const loads: Record<string, string> = {};
const STATE = 'clv-models';
let workspaceId: string | undefined;
const api = await startLocalApi(STATE, await freePort());
try {
  const ws = await http(api.base, '/v1/workspaces', api.admin, {
    name: 'bench',
    database: 'primary',
  });
  workspaceId = ws.id;
  const imported = await fetch(`${api.base}/v1/import/transactions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'text/csv' },
    body: csv,
  });
  if (!imported.ok) throw new Error(`import: ${imported.status} ${await imported.text()}`);
  loads.oursBefore = load();
  for (const model of ['bgnbd', 'pnbd'] as const) {
    const body = { asOf: '1997-10-01', timeUnit: 'week', model };
    await http(api.base, '/v1/clv/model/fit', ws.secretKey, body);
    const ms: number[] = [];
    let last: { params: unknown; logLikelihood: number; customers: number } | null = null;
    const cpu0 = api.serverCpuMs();
    for (let i = 0; i < FIT_RUNS; i++) {
      const t = performance.now();
      last = await http(api.base, '/v1/clv/model/fit', ws.secretKey, body);
      ms.push(performance.now() - t);
    }
    const cpu1 = api.serverCpuMs();
    if (last!.customers !== calibration.length)
      throw new Error(`fitted ${last!.customers} customers, expected ${calibration.length}`);
    ours[model] = {
      ms,
      // The server's CPU per fit, averaged over the runs (the clock ticks are 10 ms).
      cpuMs: cpu0 === null || cpu1 === null ? null : (cpu1 - cpu0) / FIT_RUNS,
      params: last!.params,
      logLikelihood: last!.logLikelihood,
    };
  }
  loads.oursAfter = load();
} finally {
  api.stop();
}

// What the fit reads, whatever the load: the rows (and their bytes as JSON) that D1 hands the
// Worker, for the grouped read the fits use and for the per-purchase-day read they used before
// (the very worker functions, run in Node on the same D1 file once the server is down).
const d1 = sqliteD1(findPrimarySqlite(path.join(root, 'bench', '.tmp', STATE, 'v3', 'd1')), {
  migrate: false,
});
const grouped = (await loadPurchaseHistories(d1, workspaceId!, CDNOW_CALIBRATION_END)).histories;
const perDay = await loadPurchases(d1, workspaceId!, CDNOW_CALIBRATION_END);

const pythonPath = process.env.LIFETIMES_PYTHONPATH;
let lifetimes: Record<string, { ms: number[]; cpuMs: number[]; params: unknown }> | null = null;
let skipped = '';
if (!pythonPath) skipped = 'LIFETIMES_PYTHONPATH is not set';
else {
  const summaryCsv = `frequency,recency,T\n${calibration.map((c) => `${c.x},${c.tx},${c.T}`).join('\n')}\n`;
  loads.lifetimesBefore = load();
  const run = spawnSync(
    process.env.LIFETIMES_PYTHON ?? '/usr/bin/python3',
    [path.join(root, 'bench', 'lifetimes-fit.py'), String(FIT_RUNS)],
    {
      input: summaryCsv,
      env: { ...process.env, PYTHONPATH: path.resolve(pythonPath) },
      encoding: 'utf8',
    },
  );
  loads.lifetimesAfter = load();
  if (run.status === 0) lifetimes = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
  else
    skipped = `lifetimes did not run: ${(run.stderr || String(run.error)).trim().split('\n').at(-1)}`;
}

console.log(
  `\nFull CDNOW master log (${masterTransactions.length.toLocaleString('en')} purchases, ${calibration.length.toLocaleString('en')} customers, calibration to 1997-09-30, weeks): median of ${FIT_RUNS} fits after one warm-up.\n`,
);
console.log(
  '| model | ours: POST /v1/clv/model/fit, end to end (ms) | lifetimes: fit only (ms) | ratio | ours: server CPU per fit (ms) | lifetimes: CPU per fit (ms) | CPU ratio | our log-likelihood | params (ours / lifetimes) |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
const short = (p: unknown) =>
  Object.entries(p as Record<string, number>)
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(', ');
for (const model of ['bgnbd', 'pnbd'] as const) {
  const mine = medianOf(ours[model]!.ms);
  const theirs = lifetimes ? medianOf(lifetimes[model]!.ms) : null;
  const myCpu = ours[model]!.cpuMs;
  const theirCpu = lifetimes ? medianOf(lifetimes[model]!.cpuMs) : null;
  const cells = [
    model,
    mine.toFixed(0),
    theirs === null ? 'skipped' : theirs.toFixed(0),
    theirs === null ? '–' : (mine / theirs).toFixed(3),
    myCpu === null ? '–' : myCpu.toFixed(0),
    theirCpu === null ? 'skipped' : theirCpu.toFixed(0),
    myCpu === null || theirCpu === null ? '–' : (myCpu / theirCpu).toFixed(3),
    ours[model]!.logLikelihood.toFixed(1),
    `${short(ours[model]!.params)}${lifetimes ? ` / ${short(lifetimes[model]!.params)}` : ''}`,
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
if (skipped) console.log(`\nlifetimes step skipped: ${skipped}.`);
console.log(
  `\nLoad average (1 min) of the 2-core machine: ${loads.oursBefore}–${loads.oursAfter} during our fits${lifetimes ? `, ${loads.lifetimesBefore}–${loads.lifetimesAfter} during lifetimes'` : ''}.`,
);
const bytes = (x: unknown) => JSON.stringify(x).length.toLocaleString('en');
console.log(
  `What D1 hands the Worker for a continuous-time fit (asOf 1997-10-01): ${grouped.length.toLocaleString('en')} rows (${bytes(grouped)} bytes as JSON) of customers grouped by identical history, for ${grouped.reduce((n, g) => n + g.customers, 0).toLocaleString('en')} customers; the per-purchase-day read it replaced: ${perDay.length.toLocaleString('en')} rows (${bytes(perDay)} bytes).`,
);
