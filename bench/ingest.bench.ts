// Ingestion at scale (issue 11): POST /v1/events and POST /v1/import/events through wrangler dev
// (HTTP + workerd + local D1), beside the raw-SQLite floor: the same events inserted by
// better-sqlite3 in-process into the same events table, plus one upserted monthly aggregate per
// event, one transaction per 1,000. At the demo size and at BENCH_EVENTS (default 1,000,000).
import Database from 'better-sqlite3';
import { readFileSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { generateDemo } from '../scripts/demo-data.ts';
import { EventSchema } from '../schema/events.ts';
import { MAX_IMPORT_BYTES } from '../schema/import.ts';
import { fmt, http, root, startLocalApi } from './harness.ts';

const end = '2026-11-01T00:00:00.000Z';
const big = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const port = 8800 + Math.floor(Math.random() * 1000);

type Event = { id: string; clientId: string; at: string; type: string; amount?: number };

/** At least `n` events of the demo generator (whole clients, then cut at n). */
function portfolio(n: number | null): { clients: number; events: Event[] } {
  if (n === null) {
    const d = generateDemo({ clients: 2500, end });
    return { clients: 2500, events: d.events };
  }
  let clients = Math.ceil(n / 12);
  for (;;) {
    const d = generateDemo({ clients, end });
    if (d.events.length >= n) {
      const events = (d.events as Event[]).slice(0, n);
      return { clients: new Set(events.map((e) => e.clientId)).size, events };
    }
    clients = Math.ceil((clients * n) / d.events.length) + 100;
  }
}

/** Plain inserts of the events (the project's events table) + a monthly upsert, 1,000 per transaction. */
function floor(events: Event[]): number {
  const dir = path.join(root, 'bench', '.tmp', 'floor');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = new Database(path.join(dir, 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const init = readFileSync(path.join(root, 'schema', 'migrations', '0001_init.sql'), 'utf8');
  db.exec(init);
  db.exec(`CREATE TABLE client_months (workspace_id TEXT, client_id TEXT, period TEXT, events INTEGER,
    revenue REAL, PRIMARY KEY (workspace_id, client_id, period)) WITHOUT ROWID`);
  const insert = db.prepare(
    'INSERT INTO events (workspace_id, id, client_id, type, at, body, body_hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const upsert = db.prepare(`INSERT INTO client_months VALUES (?, ?, ?, 1, ?)
    ON CONFLICT DO UPDATE SET events = events + 1, revenue = revenue + excluded.revenue`);
  const t = performance.now();
  for (let i = 0; i < events.length; i += 1000)
    db.transaction(() => {
      for (const e of events.slice(i, i + 1000)) {
        insert.run('w', e.id, e.clientId, e.type, e.at, JSON.stringify(e), '', end);
        upsert.run('w', e.clientId, e.at.slice(0, 7), e.amount ?? 0);
      }
    })();
  const secs = (performance.now() - t) / 1000;
  db.close();
  return events.length / secs;
}

async function viaApi(name: string, run: (base: string, key: string) => Promise<void>) {
  const api = await startLocalApi(name, port);
  try {
    const ws = await http(api.base, '/v1/workspaces', api.admin, {
      name: 'bench',
      database: 'primary',
    });
    const t = performance.now();
    await run(api.base, ws.secretKey);
    return (performance.now() - t) / 1000;
  } finally {
    api.stop();
    await new Promise((r) => setTimeout(r, 1500));
  }
}

/**
 * NDJSON files of at most 45 MiB and 100,000 lines: how the README says to split an import (one
 * file of 250,000 lines outlasted fetch's 5-minute wait for an answer on the loaded machine).
 */
function ndjsonFiles(events: Event[]): string[] {
  const files: string[] = [];
  let lines: string[] = [];
  let bytes = 0;
  for (const e of events) {
    const line = JSON.stringify(e);
    if (
      lines.length > 0 &&
      (bytes + line.length + 1 > 0.9 * MAX_IMPORT_BYTES || lines.length === 100_000)
    ) {
      files.push(lines.join('\n'));
      lines = [];
      bytes = 0;
    }
    lines.push(line);
    bytes += line.length + 1;
  }
  if (lines.length > 0) files.push(lines.join('\n'));
  return files;
}

interface Row {
  label: string;
  clients: number;
  events: number;
  floor: number;
  events_: number;
  import_: number;
}
const rows: Row[] = [];

for (const size of [null, big]) {
  const { clients, events } = portfolio(size);
  const label = size === null ? 'demo' : `generated ${events.length.toLocaleString('en-US')}`;
  events.forEach((e) => v.parse(EventSchema, e));
  // A stream in time order: what POST /v1/events sees when a system sends events as they happen.
  const stream = [...events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  process.stderr.write(`${label}: ${clients} clients, ${events.length} events\n`);
  // The floor is taken before, between and after the API runs, and the fastest kept: on a
  // shared machine this keeps the ratios on the side of caution.
  const floors = [floor(stream)];
  process.stderr.write(`  floor: ${fmt(floors[0]!, 0)} events/s\n`);
  const eventsSecs = await viaApi(`ingest-events-${events.length}`, async (base, key) => {
    for (let i = 0; i < stream.length; i += 1000) {
      await http(base, '/v1/events', key, { events: stream.slice(i, i + 1000) });
      if ((i / 1000) % 100 === 99) process.stderr.write(`  events: ${i + 1000}\n`);
    }
  });
  process.stderr.write(`  POST /v1/events: ${fmt(events.length / eventsSecs, 0)} events/s\n`);
  floors.push(floor(stream));
  // The import takes the file as the generator writes it (client by client, as a CRM exports).
  const importSecs = await viaApi(`ingest-import-${events.length}`, async (base, key) => {
    for (const file of ndjsonFiles(events)) {
      const res = await fetch(`${base}/v1/import/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
        body: file,
      });
      if (!res.ok) throw new Error(`import: ${res.status} ${(await res.text()).slice(0, 300)}`);
      process.stderr.write(`  import: ${JSON.stringify(await res.json())}\n`);
    }
  });
  process.stderr.write(`  import: ${fmt(events.length / importSecs, 0)} events/s\n`);
  floors.push(floor(stream));
  const floorRate = Math.max(...floors);
  process.stderr.write(`  floors: ${floors.map((f) => fmt(f, 0)).join(', ')} events/s\n`);
  rows.push({
    label,
    clients,
    events: events.length,
    floor: floorRate,
    events_: events.length / eventsSecs,
    import_: events.length / importSecs,
  });
}

console.log(
  '| portfolio | clients | events | floor (events/s) | POST /v1/events (events/s) | × floor | POST /v1/import/events (events/s) | × floor |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows)
  console.log(
    `| ${r.label} | ${r.clients.toLocaleString('en-US')} | ${r.events.toLocaleString('en-US')} | ${fmt(r.floor, 0)} | ${fmt(r.events_, 0)} | ${fmt(r.floor / r.events_, 1)} | ${fmt(r.import_, 0)} | ${fmt(r.floor / r.import_, 1)} |`,
  );
