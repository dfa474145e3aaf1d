// The funnel and the cohort triangle at 10,000 and 100,000 clients (BENCH_SIZES to change), through
// wrangler dev (HTTP + workerd + local D1 on disk), beside an endpoint that still reads every client. The workspace is
// created over HTTP; its clients are seeded straight into wrangler's local D1 file with the
// Worker's own write SQL (client rows, then writeDerivedStatements: spells, marks, aggregates,
// periods and every rollup) through better-sqlite3, then swept as the scheduled handler does.
// The heap a request needs is measured by running the same read code in Node on the same file.
import { readdirSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { deriveClient, type DerivedClient, foldKey } from '../core/lifecycle/derive.ts';
import { stageModel } from '../core/lifecycle/models.ts';
import { defaultSettings } from '../schema/settings.ts';
import { writeDerivedStatements } from '../worker/db/derived.ts';
import { cohortCells } from '../worker/db/cohorts.ts';
import { funnelCounts } from '../worker/db/funnel.ts';
import { planInsert } from '../worker/db/plan.ts';
import { sweepStatements } from '../worker/db/rollups.ts';
import { syntheticEvents } from '../test/fixtures/portfolio.ts';
import { fmt, http, startLocalApi, timeIt } from './harness.ts';
import { sqliteD1 } from './sqlite-d1.ts';

const sizes = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const now = new Date().toISOString();
const settings = defaultSettings();

const findSqlite = (dir: string): string => {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      const found = findSqlite(p);
      if (found) return found;
    } else if (name.endsWith('.sqlite') && !p.includes('metadata')) return p;
  }
  return '';
};

const endpoints = [
  ['funnel (now)', '/v1/lifecycle/funnel'],
  ['funnel (asOf after the sweep)', `/v1/lifecycle/funnel?asOf=${now.slice(0, 10)}T23:59:59Z`],
  ['funnel (asOf 2024-06-15, before the sweep)', '/v1/lifecycle/funnel?asOf=2024-06-15'],
  ['cohorts (24 monthly cohorts, 2023–2024)', '/v1/cohorts?from=2023-01&to=2024-12'],
  ['portfolio (still reads every client)', '/v1/portfolio'],
] as const;

interface Row {
  clients: number;
  name: string;
  ms: number;
  bytes: number;
}
const results: Row[] = [];
const heaps: { clients: number; mb: number }[] = [];
const cohortRows: { clients: number; rows: number; buyers: number }[] = [];
const seeding: { clients: number; s: number }[] = [];
/** A port nobody listens on now (other engineers' servers share this machine). */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
for (const n of sizes) {
  // Seeded with the server down (workerd holds the file open), then served from the same file.
  const setup = await startLocalApi(`scale-${n}`, await freePort());
  let ws: { id: string; secretKey: string };
  try {
    ws = (await http(setup.base, '/v1/workspaces', setup.admin, { name: `scale ${n}` })) as {
      id: string;
      secretKey: string;
    };
  } finally {
    setup.stop();
  }
  await new Promise((r) => setTimeout(r, 2000));
  {
    const db = sqliteD1(findSqlite(path.join(import.meta.dirname, '.tmp', `scale-${n}`)), {
      migrate: false,
    });
    const t0 = performance.now();
    for (let first = 0; first < n; first += 1000) {
      const derived = new Map<string, DerivedClient>();
      for (let k = first; k < Math.min(first + 1000, n); k++) {
        const events = syntheticEvents(k);
        derived.set(events[0]!.clientId, deriveClient(events, settings.lifecycle));
      }
      await db.batch([
        ...planInsert(
          db,
          'INSERT INTO clients (workspace_id, id, name, created_at, updated_at)',
          5,
          [...derived.keys()].map((id) => [ws.id, id, `Client ${id}`, now, now]),
        ),
        ...writeDerivedStatements(db, ws.id, derived, foldKey(settings.lifecycle)),
      ]);
    }
    await db.batch(sweepStatements(db, ws.id, Date.parse(now)));
    seeding.push({ clients: n, s: (performance.now() - t0) / 1000 });

    // The heap the funnel's read code allocates in one request, on the same data.
    const model = stageModel(settings.lifecycle.model);
    const pathStages = model.stages.filter((s) => !model.dormantStages.includes(s));
    const window = {
      asOf: now,
      from: new Date(Date.parse(now) - 365 * 86_400_000).toISOString(),
      to: now,
    };
    await funnelCounts(db, ws.id, pathStages, window);
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    await funnelCounts(db, ws.id, pathStages, window);
    heaps.push({ clients: n, mb: (process.memoryUsage().heapUsed - before) / 2 ** 20 });
    // What the cohort read touches: the triangle's cells, whatever the number of buyers in it.
    const cells = await cohortCells(db, ws.id, 'month', '2023-01', '2024-12');
    cohortRows.push({
      clients: n,
      rows: cells.length,
      buyers: cells.filter((c) => c.cohort === c.period).reduce((sum, c) => sum + c.clients, 0),
    });
    db.raw.close();
  }
  const api = await startLocalApi(`scale-${n}`, await freePort(), { keepState: true });
  try {
    for (const [name, url] of endpoints) {
      let bytes = 0;
      const t = await timeIt(
        async () => {
          const res = await fetch(`${api.base}${url}`, {
            headers: { authorization: `Bearer ${ws.secretKey}` },
          });
          bytes = (await res.arrayBuffer()).byteLength;
          if (!res.ok) throw new Error(`${url}: ${res.status}`);
        },
        name.startsWith('portfolio') || name.includes('before') ? 3 : 15,
      );
      results.push({ clients: n, name, ms: t.median, bytes });
    }
  } finally {
    api.stop();
  }
}

const cols = sizes.map((n) => n.toLocaleString('en-US'));
console.log(
  `| endpoint | ${cols.map((c) => `${c} clients: median ms`).join(' | ')} | answer bytes |`,
);
console.log(`|---|${sizes.map(() => '---:').join('|')}|---:|`);
for (const [name] of endpoints) {
  const row = sizes.map((n) => results.find((r) => r.clients === n && r.name === name)!);
  console.log(`| GET ${name} | ${row.map((r) => fmt(r.ms)).join(' | ')} | ${row.at(-1)!.bytes} |`);
}
console.log(
  `\nHeap allocated by one funnel read in Node (same code, same file): ${heaps.map((h) => `${h.clients.toLocaleString('en-US')}: ${fmt(h.mb, 2)} MB`).join(', ')}`,
);
console.log(
  `Cohort triangle, 24 monthly cohorts: ${cohortRows.map((c) => `${c.clients.toLocaleString('en-US')} clients (${c.buyers.toLocaleString('en-US')} buyers in those cohorts): ${c.rows} cohort cells read`).join(', ')}`,
);
console.log(
  `Seeding (Worker write SQL into the local D1 file, incl. rollups, then one sweep): ${seeding.map((s) => `${s.clients.toLocaleString('en-US')}: ${fmt(s.s)} s`).join(', ')}`,
);
