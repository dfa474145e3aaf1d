// Each segmentation endpoint at 1,000, 10,000 and 100,000 clients (about 10 purchases each, over
// two years), through wrangler dev (HTTP + workerd + local D1), beside the same ABC-XYZ computed
// directly in SQLite (better-sqlite3) from the same rows. The rows are written by the very same
// ingestion code running in-process on the local D1 file, which is only the setup here.
import path from 'node:path';
import * as v from 'valibot';
import { prng } from '../core/random.ts';
import { EventSchema, type ClientEvent } from '../schema/events.ts';
import { defaultSettings } from '../schema/settings.ts';
import { ingestEvents } from '../worker/ingest.ts';
import { fmt, http, startLocalApi, timeIt } from './harness.ts';
import { findPrimarySqlite, sqliteD1 } from './sqlite-d1.ts';

const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const end = '2026-11-01T00:00:00.000Z';
const DAY = 86_400_000;

function purchases(clients: number, seed = 11): ClientEvent[] {
  const r = prng(seed);
  const out: ClientEvent[] = [];
  const start = Date.parse(end) - 730 * DAY;
  for (let c = 0; c < clients; c++) {
    const n = r.int(5, 15);
    const scale = 50 + r.exp(400);
    for (let k = 0; k < n; k++) {
      const at = new Date(start + r.next() * 729 * DAY).toISOString();
      out.push(
        v.parse(EventSchema, {
          id: `p${c}-${k}`,
          clientId: `c${String(c).padStart(6, '0')}`,
          type: 'purchase',
          at,
          amount: Math.round(scale * (0.5 + r.next()) * 100) / 100,
          margin: Math.round(scale * 0.2 * 100) / 100,
          product: r.pick(['core', 'support', 'analytics']),
        }),
      );
    }
  }
  return out;
}

/** ABC-XYZ in one SQL statement: per-client sum and sum of squares over the 12 months, cumulative share by window function. */
const ABC_XYZ_SQL = `
WITH per AS (
  SELECT client_id, SUM(revenue) AS total, SUM(revenue * revenue) AS sq
  FROM client_periods WHERE workspace_id = ? AND period >= ? AND period < ?
  GROUP BY client_id HAVING total > 0
), ranked AS (
  SELECT client_id, total, sq,
         SUM(total) OVER (ORDER BY total DESC, client_id ROWS UNBOUNDED PRECEDING) - total AS above,
         SUM(total) OVER () AS grand
  FROM per
)
SELECT client_id, total,
       CASE WHEN above / grand < 0.8 THEN 'A' WHEN above / grand < 0.95 THEN 'B' ELSE 'C' END AS abc,
       CASE WHEN sq / 12.0 - (total / 12.0) * (total / 12.0) <= 0.01 * (total / 12.0) * (total / 12.0) THEN 'X'
            WHEN sq / 12.0 - (total / 12.0) * (total / 12.0) <= 0.0625 * (total / 12.0) * (total / 12.0) THEN 'Y' ELSE 'Z' END AS xyz
FROM ranked`;

const endpoints = [
  ['abc-xyz', '/v1/segments/abc-xyz?from=2025-11-01&to=2026-11-01'],
  ['rfm', `/v1/segments/rfm?asOf=${end}`],
  ['types', `/v1/segments/types?asOf=${end}`],
  ['portfolio', `/v1/portfolio?asOf=${end}`],
  ['conversion', '/v1/segments/conversion?by=channel'],
] as const;

const results: { clients: number; name: string; ms: number }[] = [];
const floors: { clients: number; ms: number; agree: boolean }[] = [];
let port = 8810;
for (const n of sizes) {
  const api = await startLocalApi(`segments-${n}`, port++);
  try {
    const ws = await http(api.base, '/v1/workspaces', api.admin, {
      name: `bench ${n}`,
      database: 'primary',
    });
    const file = findPrimarySqlite(path.join(import.meta.dirname, '.tmp', `segments-${n}`));
    const db = sqliteD1(file, { migrate: false });
    const events = purchases(n);
    process.stderr.write(`${n} clients, ${events.length} purchases: writing… `);
    for (let i = 0; i < events.length; i += 1000)
      await ingestEvents(db, ws.id, defaultSettings(), events.slice(i, i + 1000), { now: end });
    process.stderr.write('done\n');
    const floor = await timeIt(
      () => db.raw.prepare(ABC_XYZ_SQL).all(ws.id, '2025-11', '2026-11'),
      9,
    );
    const sqlRows = db.raw.prepare(ABC_XYZ_SQL).all(ws.id, '2025-11', '2026-11') as {
      client_id: string;
      abc: string;
      xyz: string;
    }[];
    const api1 = await http(api.base, endpoints[0][1], ws.secretKey);
    const apiClasses = new Map(
      api1.clients.map((c: { id: string; abc: string; xyz: string }) => [c.id, `${c.abc}${c.xyz}`]),
    );
    const agree =
      sqlRows.length === apiClasses.size &&
      sqlRows.every((r) => apiClasses.get(r.client_id) === `${r.abc}${r.xyz}`);
    floors.push({ clients: n, ms: floor.median, agree });
    db.raw.close();
    for (const [name, url] of endpoints) {
      const t = await timeIt(() => http(api.base, url, ws.secretKey), n >= 100_000 ? 3 : 7);
      results.push({ clients: n, name, ms: t.median });
    }
  } finally {
    api.stop();
  }
}

console.log(
  `| endpoint | ${sizes.map((n) => `${n.toLocaleString('en-US')} clients (ms)`).join(' | ')} |`,
);
console.log(`|---|${sizes.map(() => '---:').join('|')}|`);
for (const [name] of endpoints)
  console.log(
    `| GET ${name} | ${sizes.map((n) => fmt(results.find((r) => r.clients === n && r.name === name)!.ms)).join(' | ')} |`,
  );
console.log(
  `| ABC-XYZ in SQLite directly (floor) | ${sizes.map((n) => fmt(floors.find((f) => f.clients === n)!.ms)).join(' | ')} |`,
);
console.log(
  `| ratio abc-xyz endpoint / floor | ${sizes.map((n) => fmt(results.find((r) => r.clients === n && r.name === 'abc-xyz')!.ms / floors.find((f) => f.clients === n)!.ms, 1)).join(' | ')} |`,
);
console.log(
  `\nSQL floor and endpoint classify every client identically: ${floors.every((f) => f.agree) ? 'yes' : 'NO'}`,
);
