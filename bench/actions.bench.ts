// The work list on the demo portfolio: the pure engine in Node, the same over SQLite (the floor),
// and GET /v1/actions, GET /v1/managers and POST done through wrangler dev (HTTP + workerd + D1).
// D1's type from the module: the benchmarks run in Node, without the Workers globals.
import type { D1Database } from '@cloudflare/workers-types';
import path from 'node:path';
import { gatherFacts } from '../core/actions/facts.ts';
import { deriveActions } from '../core/actions/engine.ts';
import { generateDemo } from '../scripts/demo-data.ts';
import { EventSchema } from '../schema/events.ts';
import { defaultSettings } from '../schema/settings.ts';
import { ingestEvents } from '../worker/ingest.ts';
import { loadAllSnapshots, upsertClientStatements } from '../worker/db/clients.ts';
import { loadReviewDates } from '../worker/db/dossier.ts';
import { fmt, http, startLocalApi, timeIt } from './harness.ts';
import { findPrimarySqlite, sqliteD1 } from './sqlite-d1.ts';
import { parse } from 'valibot';

const end = '2026-11-01T00:00:00.000Z';
const asOf = '2026-10-31T12:00:00.000Z';
const sizes = (process.env.BENCH_SIZES ?? '2500,10000').split(',').map(Number);
const settings = defaultSettings();

async function seed(db: D1Database, ws: string, clients: number) {
  const demo = generateDemo({ clients, end });
  for (const c of demo.clients)
    await db.batch(
      upsertClientStatements(
        db,
        ws,
        {
          id: c.id,
          name: c.name,
          attributes: c.attributes,
          tags: c.tags,
          manualTypes: c.manualTypes,
          acquisitionCost: c.acquisitionCost,
          updatedAt: end,
        },
        end,
      ),
    );
  const events = demo.events.map((e) => parse(EventSchema, e));
  for (let i = 0; i < events.length; i += 1000)
    await ingestEvents(db, ws, settings, events.slice(i, i + 1000), { now: end });
  return { clients: demo.clients.length, events: events.length };
}

const rows: string[] = [];
let port = 8840;
for (const n of sizes) {
  const api = await startLocalApi(`actions-${n}`, port++);
  try {
    const ws = await http(api.base, '/v1/workspaces', api.admin, {
      name: `bench ${n}`,
      database: 'primary',
    });
    const db = sqliteD1(findPrimarySqlite(path.join(import.meta.dirname, '.tmp', `actions-${n}`)), {
      migrate: false,
    });
    process.stderr.write(`${n} clients: seeding… `);
    const size = await seed(db, ws.id, n);
    process.stderr.write(`${size.events} events\n`);
    const snapshots = await loadAllSnapshots(db, ws.id, asOf);
    const reviews = await loadReviewDates(db, ws.id);
    const s = settings;
    const facts = gatherFacts(
      snapshots,
      { segments: s.segments, model: s.lifecycle.model, actions: s.actions },
      reviews,
      asOf,
    );
    const items = deriveActions(facts, s.actions, asOf);
    const byKind = Object.entries(Object.groupBy(items, (i) => i.kind))
      .map(([k, v]) => `${k} ${v.length}`)
      .join(', ');
    const pure = await timeIt(
      () =>
        deriveActions(
          gatherFacts(
            snapshots,
            { segments: s.segments, model: s.lifecycle.model, actions: s.actions },
            reviews,
            asOf,
          ),
          s.actions,
          asOf,
        ),
      9,
    );
    const engineOnly = await timeIt(() => deriveActions(facts, s.actions, asOf), 9);
    const floor = await timeIt(async () => {
      const snaps = await loadAllSnapshots(db, ws.id, asOf);
      const rev = await loadReviewDates(db, ws.id);
      return deriveActions(
        gatherFacts(
          snaps,
          { segments: s.segments, model: s.lifecycle.model, actions: s.actions },
          rev,
          asOf,
        ),
        s.actions,
        asOf,
      );
    }, 9);
    db.raw.close();
    const list = await timeIt(
      () => http(api.base, `/v1/actions?asOf=${asOf}&limit=100`, ws.secretKey),
      9,
    );
    const mine = await timeIt(
      () => http(api.base, `/v1/actions?asOf=${asOf}&manager=anna&limit=100`, ws.secretKey),
      9,
    );
    const managers = await timeIt(
      () => http(api.base, `/v1/managers?asOf=${asOf}`, ws.secretKey),
      9,
    );
    const open = (
      await http(
        api.base,
        `/v1/actions?limit=500&kind=wake_sleeping,win_back_lost,loyal_touch`,
        ws.secretKey,
      )
    ).data as { id: string }[];
    let k = 0;
    const done = await timeIt(
      () =>
        http(api.base, `/v1/actions/${encodeURIComponent(open[k++]!.id)}/done`, ws.secretKey, {}),
      7,
    );
    rows.push(
      `| ${n.toLocaleString('en-US')} | ${size.events.toLocaleString('en-US')} | ${items.length.toLocaleString('en-US')} | ${fmt(engineOnly.median)} | ${fmt(pure.median)} | ${fmt(floor.median)} | ${fmt(list.median)} | ${fmt(mine.median)} | ${fmt(managers.median)} | ${fmt(done.median)} |`,
    );
    console.error(`items by kind at ${n}: ${byKind}`);
  } finally {
    api.stop();
  }
}
console.log(
  '| clients | events | items | rules only (ms) | segmentation + rules (ms) | + reads, better-sqlite3 floor (ms) | GET /v1/actions limit=100 (ms) | GET /v1/actions?manager= (ms) | GET /v1/managers (ms) | POST done (ms) |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
