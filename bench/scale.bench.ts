// Widget reads at 10,000, 100,000 and (with BENCH_SIZES) 1,000,000 clients. The workspace is
// created over HTTP; its clients are seeded straight into wrangler's local D1 file with the
// Worker's own write SQL (client rows with their attributes and segment rollups, then
// writeDerivedStatements: spells, marks, aggregates, periods and every rollup) through
// better-sqlite3 while the server is down, then swept as the scheduled handler does. Then, per
// endpoint:
// - rows read: the Worker's own fetch handler run in Node against the same file through wrangler's
//   platform proxy (the local D1 that `wrangler dev` uses), summing `meta.rows_read`;
// - heap: the same request through the same handler in Node, heap used after the request minus
//   heap used after a forced GC before it (nothing collected in between is counted: a lower bound
//   on the peak, an upper bound on what the answer keeps);
// - median latency and answer bytes: over HTTP through `wrangler dev` on the same file.
// The snapshot job runs (over HTTP) before the reads; its longest queued step (wall time and
// clients, as the job records it in the snapshot's row, migration 0022) is read from the file
// afterwards. Then the month-end snapshots of two past months are computed from history by the
// same queued job, started by GET /v1/segments/migrations (202 until they are done): the time
// from its first 202 to its 200. Endpoints that still read every client are timed once, and are
// skipped above BENCH_FULL_MAX clients (default 100,000).
import { timingSafeEqual as nodeTimingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
// The Workers types as module imports: the benchmarks run in Node, without the Workers globals.
import type { D1Database, D1PreparedStatement } from '@cloudflare/workers-types';
import { getPlatformProxy } from 'wrangler';
import { deriveClient, type DerivedClient, foldKey } from '../core/lifecycle/derive.ts';
import { defaultSettings } from '../schema/settings.ts';
import { writeDerivedStatements } from '../worker/db/derived.ts';
import { planInsert } from '../worker/db/plan.ts';
import { sweepStatements } from '../worker/db/rollups.ts';
import { segmentDeltaStatements } from '../worker/db/segment-rollups.ts';
import worker from '../worker/index.ts';
import { syntheticAttributes, syntheticEvents } from '../test/fixtures/portfolio.ts';
import { fmt, http, startLocalApi, timeIt } from './harness.ts';
import { findPrimarySqlite, sqliteD1 } from './sqlite-d1.ts';

// The one Workers extension the handler uses that Node lacks: the same comparison, Node's.
type Bytes = ArrayBufferView | ArrayBuffer;
const subtle = crypto.subtle as typeof crypto.subtle & {
  timingSafeEqual?: (a: Bytes, b: Bytes) => boolean;
};
const bytes = (x: Bytes) =>
  ArrayBuffer.isView(x) ? new Uint8Array(x.buffer, x.byteOffset, x.byteLength) : new Uint8Array(x);
subtle.timingSafeEqual ??= (a: Bytes, b: Bytes) => nodeTimingSafeEqual(bytes(a), bytes(b));

const sizes = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const fullMax = Number(process.env.BENCH_FULL_MAX ?? 100_000);
// BENCH_REUSE=1: measure again on a workspace an earlier run seeded (a million clients take a
// while to seed), keeping its state folder.
const reuse = process.env.BENCH_REUSE === '1';
// BENCH_JOBS=0 (with BENCH_REUSE): read the snapshot an earlier run left, without running the job
// or the month-ends again (at a million clients they take most of an hour on this machine).
const jobs = process.env.BENCH_JOBS !== '0';
const now = new Date().toISOString();
const settings = defaultSettings();
/** Two past months of the synthetic portfolio's busy years: their month-ends come from history. */
const MIGRATIONS_URL = '/v1/segments/migrations?dimension=abc&from=2024-06&to=2024-07';

/**
 * Every widget endpoint there is: add a line when one lands. `full`: still reads every client
 * (timed once, skipped on the largest workspaces).
 */
const endpoints: { name: string; url: string; full?: boolean }[] = [
  { name: 'funnel (now)', url: '/v1/lifecycle/funnel' },
  { name: 'funnel (asOf today, after the sweep)', url: `/v1/lifecycle/funnel?asOf=${now}` },
  {
    name: 'funnel (asOf 2024-06-15, before the sweep)',
    url: '/v1/lifecycle/funnel?asOf=2024-06-15T12:00:00Z&from=2024-01-01&to=2024-06-01',
  },
  { name: 'segment conversion by channel', url: '/v1/segments/conversion?by=channel' },
  { name: 'segment conversion by manager', url: '/v1/segments/conversion?by=manager' },
  { name: 'clients (one page of 50)', url: '/v1/clients?limit=50' },
  { name: 'managers', url: '/v1/managers' },
  { name: 'portfolio (snapshot)', url: '/v1/portfolio' },
  { name: 'ABC-XYZ (snapshot)', url: '/v1/segments/abc-xyz' },
  { name: 'RFM (snapshot)', url: '/v1/segments/rfm' },
  { name: 'types (snapshot)', url: '/v1/segments/types' },
  { name: 'cohorts (24 monthly cohorts, 2023–2024)', url: '/v1/cohorts?from=2023-01&to=2024-12' },
  { name: 'client profile (one seeded client)', url: '/v1/clients/c0000007' },
  {
    name: 'ABC migrations 2024-06 → 2024-07 (month-end snapshots)',
    url: MIGRATIONS_URL,
  },
];

/** A port nobody listens on now (other engineers' servers share this machine). */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** A D1 binding that adds up `meta.rows_read` of every statement run through it. */
function metered(db: D1Database) {
  const counter = { rows: 0 };
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const w = {
      bind: (...values: unknown[]) => wrap(stmt.bind(...values)),
      all: async () => {
        const r = await stmt.all();
        counter.rows += r.meta.rows_read ?? 0;
        return r;
      },
      run: async () => {
        const r = await stmt.run();
        counter.rows += r.meta.rows_read ?? 0;
        return r;
      },
      first: async (column?: string) => {
        const r = await stmt.all<Record<string, unknown>>();
        counter.rows += r.meta.rows_read ?? 0;
        const row = r.results[0] ?? null;
        return column === undefined ? row : (row?.[column] ?? null);
      },
    } as unknown as D1PreparedStatement;
    real.set(w, stmt);
    return w;
  };
  const binding = {
    prepare: (sql: string) => wrap(db.prepare(sql)),
    batch: async (statements: D1PreparedStatement[]) => {
      const results = await db.batch(statements.map((s) => real.get(s) ?? s));
      for (const r of results) counter.rows += r.meta.rows_read ?? 0;
      return results;
    },
  } as unknown as D1Database;
  return { binding, counter };
}

interface Row {
  clients: number;
  name: string;
  ms: number | null;
  bytes: number | null;
  rows: number | null;
  heapMb: number | null;
}
const results: Row[] = [];
const seeding: { clients: number; s: number }[] = [];
const snapshots: { clients: number; s: number }[] = [];
const longestSteps: { clients: number; step: string; ms: number; handled: number | null }[] = [];
const monthEnds: { clients: number; s: number }[] = [];

/** The snapshot run's longest queued step, as the job recorded it (read from the file). */
function longestStepOf(file: string, id: string) {
  const db = sqliteD1(file, { migrate: false });
  try {
    return db.raw
      .prepare(
        'SELECT longest_step AS step, longest_step_ms AS ms, longest_step_clients AS handled FROM snapshots WHERE id = ?',
      )
      .get(id) as { step: string; ms: number; handled: number | null } | undefined;
  } finally {
    db.raw.close();
  }
}

async function seed(file: string, workspaceId: string, n: number) {
  const db = sqliteD1(file, { migrate: false });
  const t0 = performance.now();
  for (let first = 0; first < n; first += 1000) {
    const derived = new Map<string, DerivedClient>();
    for (let k = first; k < Math.min(first + 1000, n); k++) {
      const events = syntheticEvents(k);
      derived.set(events[0]!.clientId, deriveClient(events, settings.lifecycle));
    }
    const ids = [...derived.keys()];
    await db.batch([
      ...planInsert(
        db,
        'INSERT INTO clients (workspace_id, id, name, attributes, created_at, updated_at)',
        6,
        ids.map((id) => [
          workspaceId,
          id,
          `Client ${id}`,
          JSON.stringify(syntheticAttributes(Number(id.slice(1)))),
          now,
          now,
        ]),
      ),
      ...segmentDeltaStatements(db, workspaceId, ids, 1),
      ...writeDerivedStatements(db, workspaceId, derived, foldKey(settings.lifecycle)),
    ]);
    if (first % 50_000 === 0 && first > 0)
      console.error(`seeded ${first} of ${n} in ${fmt((performance.now() - t0) / 1000)} s`);
  }
  await db.batch(sweepStatements(db, workspaceId, Date.parse(now)));
  seeding.push({ clients: n, s: (performance.now() - t0) / 1000 });
  db.raw.close();
}

/**
 * Rows read and heap of each request through the Worker's handler in Node, on the same file (one
 * platform proxy per workspace size).
 */
async function inNode(state: string, key: string, urls: readonly string[]) {
  const proxy = await getPlatformProxy<{ DB: D1Database }>({
    persist: { path: path.join(state, 'v3') },
  });
  try {
    const call = async (db: D1Database, url: string) => {
      const res = await worker.fetch(
        new Request(`https://bench.test${url}`, { headers: { authorization: `Bearer ${key}` } }),
        { ...proxy.env, DB: db, ADMIN_TOKEN: 'bench-admin-token' },
        proxy.ctx,
      );
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${url}: ${res.status}`);
    };
    const out = new Map<string, { rows: number; heapMb: number }>();
    for (const url of urls) {
      console.error(`in Node: ${url}`);
      const m = metered(proxy.env.DB);
      await call(m.binding, url);
      globalThis.gc?.();
      const before = process.memoryUsage().heapUsed;
      await call(proxy.env.DB, url);
      out.set(url, {
        rows: m.counter.rows,
        heapMb: (process.memoryUsage().heapUsed - before) / 2 ** 20,
      });
    }
    return out;
  } finally {
    await proxy.dispose();
  }
}

for (const n of sizes) {
  const name = `scale-${n}`;
  const state = path.join(import.meta.dirname, '.tmp', name);
  const marker = path.join(state, 'seeded.json');
  let ws: { id: string; secretKey: string };
  if (reuse && existsSync(marker)) {
    // A workspace seeded by an earlier run: new migrations still apply when the server starts.
    ws = JSON.parse(readFileSync(marker, 'utf8')) as typeof ws;
    console.error(`${name}: reusing the workspace seeded earlier (${marker})`);
  } else {
    const setup = await startLocalApi(name, await freePort());
    try {
      ws = (await http(setup.base, '/v1/workspaces', setup.admin, {
        name,
        database: 'primary',
      })) as typeof ws;
    } finally {
      setup.stop();
    }
    await new Promise((r) => setTimeout(r, 2000));
    await seed(findPrimarySqlite(state), ws.id, n);
    writeFileSync(marker, JSON.stringify({ id: ws.id, secretKey: ws.secretKey }));
    console.error(`${name}: seeded in ${fmt(seeding.at(-1)!.s)} s`);
  }
  const run = endpoints.filter(
    (e) => (!e.full || n <= fullMax) && (jobs || e.url !== MIGRATIONS_URL),
  );
  const api = await startLocalApi(name, await freePort(), { keepState: true });
  const timed = new Map<string, { ms: number; bytes: number }>();
  let runId: string | undefined;
  try {
    // The snapshot job (queued steps of at most 10,000 clients) first: ABC-XYZ, RFM and types read it.
    if (jobs) {
      const t0 = performance.now();
      const started = (await http(api.base, '/v1/snapshots', ws.secretKey, {})) as { id: string };
      for (;;) {
        const s = (await http(api.base, `/v1/snapshots/${started.id}`, ws.secretKey)) as {
          status: string;
        };
        if (s.status === 'failed') throw new Error(`snapshot ${started.id} failed`);
        if (s.status === 'done') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      snapshots.push({ clients: n, s: (performance.now() - t0) / 1000 });
      console.error(`${name}: snapshot done in ${fmt((performance.now() - t0) / 1000)} s`);
      runId = started.id;
      // Month-end snapshots from history: the migrations read answers 202 while the job computes
      // them (a reused workspace may already have them: then the first answer is 200).
      const m0 = performance.now();
      let first = 0;
      for (;;) {
        const res = await fetch(`${api.base}${MIGRATIONS_URL}`, {
          headers: { authorization: `Bearer ${ws.secretKey}` },
        });
        await res.arrayBuffer();
        if (res.status === 200) break;
        if (res.status !== 202) throw new Error(`${MIGRATIONS_URL}: ${res.status}`);
        first ||= performance.now();
        await new Promise((r) => setTimeout(r, 500));
      }
      if (first) {
        monthEnds.push({ clients: n, s: (performance.now() - first) / 1000 });
        console.error(`${name}: month-end snapshots done in ${fmt(monthEnds.at(-1)!.s)} s`);
      } else
        console.error(
          `${name}: month-end snapshots were there already (${fmt((performance.now() - m0) / 1000)} s)`,
        );
    }
    for (const e of run) {
      console.error(`${name}: timing ${e.url}`);
      let bytes = 0;
      const t = await timeIt(
        async () => {
          const res = await fetch(`${api.base}${e.url}`, {
            headers: { authorization: `Bearer ${ws.secretKey}` },
          });
          bytes = (await res.arrayBuffer()).byteLength;
          if (!res.ok) throw new Error(`${e.url}: ${res.status}`);
        },
        e.full ? 1 : 15,
      );
      timed.set(e.url, { ms: t.median, bytes });
    }
  } finally {
    api.stop();
  }
  await new Promise((r) => setTimeout(r, 2000));
  // Read with the server down: the job wrote the run's longest step with its last batches.
  const step = runId && longestStepOf(findPrimarySqlite(state), runId);
  if (step) longestSteps.push({ clients: n, ...step });
  const measured = await inNode(
    state,
    ws.secretKey,
    run.map((e) => e.url),
  );
  for (const e of endpoints) {
    const t = timed.get(e.url);
    const m = measured.get(e.url);
    results.push({
      clients: n,
      name: e.name,
      ms: t?.ms ?? null,
      bytes: t?.bytes ?? null,
      rows: m?.rows ?? null,
      heapMb: m?.heapMb ?? null,
    });
  }
}

const cell = (x: number | null, digits = 1) => (x === null ? 'not run' : fmt(x, digits));
const int = (x: number | null) => (x === null ? 'not run' : x.toLocaleString('en-US'));
console.log('| endpoint | clients | median ms | rows read | answer bytes | heap MB |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const e of endpoints)
  for (const n of sizes) {
    const r = results.find((x) => x.clients === n && x.name === e.name)!;
    console.log(
      `| GET ${e.name}${e.full ? ' (reads every client)' : ''} | ${n.toLocaleString('en-US')} | ${cell(r.ms)} | ${int(r.rows)} | ${int(r.bytes)} | ${cell(r.heapMb, 2)} |`,
    );
  }
console.log(
  `\nSnapshot job (POST /v1/snapshots until done, through wrangler dev's local queue): ${snapshots.map((s) => `${s.clients.toLocaleString('en-US')}: ${fmt(s.s)} s`).join(', ')}`,
);
console.log(
  `Snapshot job's longest queued step (recorded by the job: wall time from the step's start to its batch): ${longestSteps.map((s) => `${s.clients.toLocaleString('en-US')}: ${s.step}, ${fmt(s.ms / 1000, 2)} s, ${s.handled === null ? 'ordered index reads, no client loaded' : `${s.handled.toLocaleString('en-US')} clients`}`).join('; ') || 'not recorded'}`,
);
console.log(
  `Month-end snapshots from history (two months, 2024-06 and 2024-07: GET ${MIGRATIONS_URL} from its first 202 to its 200): ${monthEnds.map((s) => `${s.clients.toLocaleString('en-US')}: ${fmt(s.s)} s`).join(', ') || 'already there (BENCH_REUSE)'}`,
);
console.log(
  `Seeding (Worker write SQL into the local D1 file, incl. rollups, then one sweep): ${seeding.map((s) => `${s.clients.toLocaleString('en-US')}: ${fmt(s.s)} s`).join(', ')}`,
);
