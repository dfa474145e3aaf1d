// Ingestion through POST /v1/events (batches of 1,000) and the funnel's latency, on the demo
// portfolio and on a 100,000-client generated one: through wrangler dev (HTTP + workerd + local
// D1) and, as the floor, the very same worker code on better-sqlite3 in-process.
import * as v from 'valibot';
import { generateDemo } from '../scripts/demo-data.ts';
import { EventSchema, type ClientEvent } from '../schema/events.ts';
import { defaultSettings } from '../schema/settings.ts';
import { ingestEvents } from '../worker/ingest.ts';
import { funnelCounts } from '../worker/db/funnel.ts';
import { fmt, http, startLocalApi, timeIt } from './harness.ts';
import { sqliteD1 } from './sqlite-d1.ts';

const PATH = ['prospect', 'potential', 'developing', 'developed'] as const;
const end = '2026-11-01T00:00:00.000Z';
const big = Number(process.env.BENCH_CLIENTS ?? 100_000);

interface Row {
  portfolio: string;
  clients: number;
  events: number;
  path: string;
  eventsPerSec: number;
  funnelMs: number;
}
const rows: Row[] = [];

async function floor(label: string, clients: number, events: ClientEvent[]) {
  const db = sqliteD1();
  await db
    .prepare("INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'bench', ?1)")
    .bind(end)
    .run();
  const settings = defaultSettings();
  const t = performance.now();
  for (let i = 0; i < events.length; i += 1000)
    await ingestEvents(db, 'w', settings, events.slice(i, i + 1000), { now: end });
  const secs = (performance.now() - t) / 1000;
  const funnel = await timeIt(
    () => funnelCounts(db, 'w', PATH, { asOf: end, from: '2025-11-01T00:00:00.000Z', to: end }),
    9,
  );
  rows.push({
    portfolio: label,
    clients,
    events: events.length,
    path: 'better-sqlite3 (floor)',
    eventsPerSec: events.length / secs,
    funnelMs: funnel.median,
  });
  db.raw.close();
}

async function viaD1(label: string, clients: number, events: unknown[], port: number) {
  const api = await startLocalApi(`ingest-${clients}`, port);
  try {
    const ws = await http(api.base, '/v1/workspaces', api.admin, { name: 'bench' });
    const t = performance.now();
    for (let i = 0; i < events.length; i += 1000) {
      await http(api.base, '/v1/events', ws.secretKey, { events: events.slice(i, i + 1000) });
      if ((i / 1000) % 50 === 49) process.stderr.write(`  ${label}: ${i + 1000} events\n`);
    }
    const secs = (performance.now() - t) / 1000;
    const funnel = await timeIt(
      () => http(api.base, `/v1/lifecycle/funnel?asOf=${end}`, ws.secretKey),
      9,
    );
    rows.push({
      portfolio: label,
      clients,
      events: events.length,
      path: 'POST /v1/events, wrangler dev + local D1',
      eventsPerSec: events.length / secs,
      funnelMs: funnel.median,
    });
  } finally {
    api.stop();
  }
}

for (const [label, n] of [
  ['demo', 2500],
  [`generated ${big.toLocaleString('en-US')}`, big],
] as const) {
  const demo = generateDemo({ clients: n, end });
  const parsed = demo.events.map((e) => v.parse(EventSchema, e));
  process.stderr.write(`${label}: ${n} clients, ${parsed.length} events\n`);
  await floor(label, n, parsed);
  await viaD1(label, n, demo.events, 8801);
}

console.log('| portfolio | clients | events | path | ingestion (events/s) | funnel median (ms) |');
console.log('|---|---:|---:|---|---:|---:|');
for (const r of rows)
  console.log(
    `| ${r.portfolio} | ${r.clients.toLocaleString('en-US')} | ${r.events.toLocaleString('en-US')} | ${r.path} | ${fmt(r.eventsPerSec, 0)} | ${fmt(r.funnelMs)} |`,
  );
for (const label of new Set(rows.map((r) => r.portfolio))) {
  const [f, d] = [
    rows.find((r) => r.portfolio === label && r.path.startsWith('better')),
    rows.find((r) => r.portfolio === label && r.path.startsWith('POST')),
  ];
  if (f && d)
    console.log(
      `\n${label}: D1 path ingests at ${fmt(d.eventsPerSec / f.eventsPerSec, 2)}× the floor's rate; funnel takes ${fmt(d.funnelMs / f.funnelMs, 1)}× the floor's time.`,
    );
}
