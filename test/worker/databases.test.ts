import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DATABASE_NAMES } from '../../schema/workspaces.ts';
import { defaultSettings } from '../../schema/settings.ts';
import worker from '../../worker/index.ts';
import { ingestEvents } from '../../worker/ingest.ts';
import { announce, nightly } from '../../worker/scheduled.ts';
import { dueSnapshots } from '../../worker/snapshots.ts';
import type { DeliveryMessage } from '../../worker/webhook-delivery.ts';
import {
  ADMIN,
  call,
  callJson,
  callWithBindings,
  createWorkspace,
  expectProblem,
  postEvents,
  recordingQueue,
  type Workspace,
} from './helpers.ts';

// Workspaces on both data databases (docs/scaling.md): `primary` is env.DB (also the control
// database), `secondary` is env.DB_2.
/** Tables of the control database: they never hold a row on DB_2. */
const CONTROL_TABLES = [
  'workspaces',
  'workspace_origins',
  'api_keys',
  'widget_sessions',
  'idempotency_keys',
  'job_runs',
  'job_run_workspaces',
];
const NOW = '2026-11-30T03:17:00.000Z';
const RECEIVER = 'http://127.0.0.1:8788/hooks';

/** Every table with a `workspace_id` column: the workspace data tables (and a few control ones). */
async function workspaceTables(): Promise<string[]> {
  // D1 refuses pragma functions: the column is found in each table's definition instead.
  const rows = await env.DB.prepare(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  ).all<{ name: string; sql: string }>();
  return rows.results.filter((r) => /\bworkspace_id\b/.test(r.sql)).map((r) => r.name);
}
const dataTables = async () => (await workspaceTables()).filter((t) => !CONTROL_TABLES.includes(t));

/** Rows of the workspace per data table on one database (tables with none left out). */
async function rowsOn(db: D1Database, workspaceId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of await dataTables()) {
    const n = await db
      .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE workspace_id = ?1`)
      .bind(workspaceId)
      .first<{ n: number }>();
    if (n!.n > 0) out[table] = n!.n;
  }
  return out;
}

/**
 * A tripwire: on the database a workspace does not live on, any insert or update of its rows in
 * a data table aborts. A query routed to the wrong database then fails the request loudly.
 */
async function forbidWritesOf(db: D1Database, workspaceId: string) {
  for (const table of await dataTables())
    for (const op of ['INSERT', 'UPDATE'])
      await db
        .prepare(
          `CREATE TRIGGER "wrong_db_${op}_${table}_${workspaceId}" BEFORE ${op} ON ${table}
           WHEN NEW.workspace_id = '${workspaceId}' BEGIN SELECT RAISE(ABORT, 'wrong database'); END`,
        )
        .run();
}

const history = (prefix: string, clients: number) =>
  Array.from({ length: clients }, (_, i) => [
    { id: `${prefix}o${i}`, clientId: `c${i}`, type: 'outreach', at: '2026-01-05' },
    {
      id: `${prefix}p${i}`,
      clientId: `c${i}`,
      type: 'purchase',
      at: '2026-02-10',
      amount: 100 + i,
    },
    { id: `${prefix}q${i}`, clientId: `c${i}`, type: 'purchase', at: '2026-04-02', amount: 40 + i },
  ]).flat();

/** Runs the Worker's queue handler on messages of one queue, as the platform would. */
async function consume(queueName: string, bodies: unknown[], over: Partial<Env> = {}) {
  const batch = createMessageBatch(
    queueName,
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: Date.now(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...over }, ctx);
  return getQueueResult(batch, ctx);
}

const countsPerDatabase = async () => {
  const rows = await env.DB.prepare(
    'SELECT data_database AS name, COUNT(*) AS n FROM workspaces GROUP BY data_database',
  ).all<{ name: string; n: number }>();
  const counts: Record<string, number> = Object.fromEntries(DATABASE_NAMES.map((n) => [n, 0]));
  for (const r of rows.results) counts[r.name] = r.n;
  return counts as { primary: number; secondary: number };
};

afterEach(() => vi.restoreAllMocks());

describe('placement', () => {
  it('places a new workspace on the least used database by default, the first on a tie', async () => {
    // Storage is shared by this file's tests: even out the counts first, then tip them.
    let counts = await countsPerDatabase();
    while (counts.primary !== counts.secondary) {
      await createWorkspace({
        database: counts.primary < counts.secondary ? 'primary' : 'secondary',
      });
      counts = await countsPerDatabase();
    }
    const tie = await callJson('/v1/workspaces', { key: ADMIN, body: { name: 'On a tie' } });
    expect(tie.status).toBe(201);
    expect(tie.body.database).toBe('primary');
    const next = await callJson('/v1/workspaces', { key: ADMIN, body: { name: 'Next' } });
    expect(next.body.database).toBe('secondary');
    await createWorkspace({ database: 'secondary' });
    const third = await callJson('/v1/workspaces', { key: ADMIN, body: { name: 'Third' } });
    expect(third.body.database).toBe('primary');
    expect(await countsPerDatabase()).toEqual({
      primary: counts.primary + 2,
      secondary: counts.secondary + 2,
    });
  });

  it('takes the database named, shows it, and refuses an unknown name naming `database`', async () => {
    const ws = await createWorkspace({ database: 'secondary' });
    expect(ws.database).toBe('secondary');
    const shown = await callJson('/v1/workspace', { key: ws.secretKey });
    expect(shown.body).toMatchObject({ id: ws.id, database: 'secondary' });
    const before = await countsPerDatabase();
    await expectProblem(
      await call('/v1/workspaces', { key: ADMIN, body: { name: 'x', database: 'tertiary' } }),
      400,
      ['database'],
    );
    expect(await countsPerDatabase()).toEqual(before);
  });
});

describe('two workspaces on different databases', () => {
  let a: Workspace;
  let b: Workspace;

  beforeAll(async () => {
    a = await createWorkspace({ name: 'A', database: 'primary' });
    b = await createWorkspace({ name: 'B', database: 'secondary' });
    await forbidWritesOf(env.DB, b.id);
    await forbidWritesOf(env.DB_2, a.id);
    // The same event and client ids in both: only the workspace tells them apart.
    expect((await postEvents(a.secretKey, history('e', 3))).status).toBe(200);
    expect((await postEvents(b.secretKey, history('e', 5))).status).toBe(200);
  });

  it('keep their events, clients and rollups each on its own database only', async () => {
    const onA = await rowsOn(env.DB, a.id);
    const onB = await rowsOn(env.DB_2, b.id);
    for (const table of ['events', 'clients', 'client_aggregates', 'stage_spells', 'stage_flows'])
      expect([table, onA[table] ?? 0, onB[table] ?? 0]).toEqual([
        table,
        expect.any(Number),
        expect.any(Number),
      ]);
    expect(onA.events).toBe(9);
    expect(onB.events).toBe(15);
    expect(onB.stage_flows).toBeGreaterThan(0);
    expect(await rowsOn(env.DB_2, a.id)).toEqual({});
    expect(await rowsOn(env.DB, b.id)).toEqual({});
    // Control rows stay on the control database.
    for (const table of CONTROL_TABLES) {
      const n = await env.DB_2.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>();
      expect([table, n!.n]).toEqual([table, 0]);
    }
  });

  it('read only their own data', async () => {
    const listA = await callJson('/v1/clients?limit=100', { key: a.secretKey });
    const listB = await callJson('/v1/clients?limit=100', { key: b.secretKey });
    expect(listA.body.data).toHaveLength(3);
    expect(listB.body.data).toHaveLength(5);
    const funnelB = await callJson('/v1/lifecycle/funnel', { key: b.secretKey });
    expect(funnelB.status).toBe(200);
    expect(JSON.stringify(funnelB.body)).toContain('5');
    const c4 = await callJson('/v1/clients/c4', { key: b.secretKey });
    expect(c4.status).toBe(200);
    expect(c4.body.aggregates).toMatchObject({ orders: 2 });
    await expectProblem(await call('/v1/clients/c4', { key: a.secretKey }), 404);
    // A re-sent batch is a duplicate on its own database, not on the other.
    expect((await postEvents(b.secretKey, history('e', 1))).body).toMatchObject({
      accepted: 0,
      duplicates: 3,
    });
  });

  it('take snapshots through the queue, each on its own database', async () => {
    const { queue, sent } = recordingQueue<unknown>();
    const started = await callWithBindings({ SNAPSHOTS: queue }, '/v1/snapshots', b.secretKey, {});
    expect(started.status).toBe(202);
    // The queue carries the job on: each step may send the next ones.
    for (let i = 0; sent.length > 0 && i < 50; i++)
      await consume('clientfolio-snapshots', sent.splice(0), { SNAPSHOTS: queue });
    const run = await callJson(`/v1/snapshots/${started.body.id}`, { key: b.secretKey });
    expect(run.body).toMatchObject({ status: 'done', clients: 5 });
    expect((await rowsOn(env.DB_2, b.id)).client_classes).toBe(5);
    expect((await rowsOn(env.DB, b.id)).snapshots).toBeUndefined();
    const abc = await callJson('/v1/segments/abc-xyz', { key: b.secretKey });
    expect(abc.status).toBe(200);
    expect(abc.body.computedAt).not.toBeNull();
  });

  it('are both in the hourly cron: due snapshots start on each workspace’s database', async () => {
    const due = await dueSnapshots(env, NOW);
    const forB = due.filter((m) => m.workspaceId === b.id);
    expect(forB.length).toBeGreaterThan(0);
    const run = await env.DB_2.prepare('SELECT COUNT(*) AS n FROM snapshots WHERE id = ?1')
      .bind(forB[0]!.snapshotId)
      .first<{ n: number }>();
    expect(run!.n).toBe(1);
    expect(due.some((m) => m.workspaceId === a.id)).toBe(true);
  });

  it('are both in the nightly job, fitted and re-derived on their own databases', async () => {
    const versions = async (db: D1Database, id: string) =>
      (await db
        .prepare('SELECT SUM(version) AS n FROM clients WHERE workspace_id = ?1')
        .bind(id)
        .first<{ n: number }>())!.n;
    const before = [await versions(env.DB, a.id), await versions(env.DB_2, b.id)];
    const summary = await nightly(env, NOW);
    expect(
      summary.failures.filter((f) => f.workspaceId === a.id || f.workspaceId === b.id),
    ).toEqual([]);
    expect(await versions(env.DB, a.id)).toBeGreaterThan(before[0]!);
    expect(await versions(env.DB_2, b.id)).toBeGreaterThan(before[1]!);
    expect((await rowsOn(env.DB_2, b.id)).clv_models).toBe(1);
    // The run is recorded in the control database, with b's part in it.
    const part = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM job_run_workspaces WHERE run_id = ?1 AND workspace_id = ?2',
    )
      .bind(summary.runId, b.id)
      .first<{ n: number }>();
    expect(part!.n).toBe(1);
  });

  it('deliver webhooks from the second database: after a write, and from the hourly cron', async () => {
    const { queue, sent } = recordingQueue<DeliveryMessage>();
    const hook = await callWithBindings({ WEBHOOK_QUEUE: queue }, '/v1/webhooks', b.secretKey, {
      url: RECEIVER,
      events: ['client.stage_changed'],
    });
    expect(hook.status).toBe(201);
    const posted = await callWithBindings({ WEBHOOK_QUEUE: queue }, '/v1/events', b.secretKey, {
      events: [{ id: 'new-1', clientId: 'fresh', type: 'outreach', at: '2026-03-01' }],
    });
    expect(posted.status).toBe(200);
    // The write's hand-over found the message in the workspace's own outbox.
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((m) => m.workspaceId === b.id)).toBe(true);
    const received: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      received.push(new Request(input).url);
      return new Response(null, { status: 204 });
    });
    const result = await consume('clientfolio-webhooks', sent.splice(0));
    expect(result.retryMessages).toEqual([]);
    expect(received.length).toBeGreaterThan(0);
    const delivered = await env.DB_2.prepare(
      "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE workspace_id = ?1 AND status = 'delivered'",
    )
      .bind(b.id)
      .first<{ n: number }>();
    expect(delivered!.n).toBe(received.length);

    // A message a write did not hand over (written here without a request) goes out with the cron.
    await ingestEvents(
      env.DB_2,
      b.id,
      defaultSettings(),
      [{ id: 'new-2', clientId: 'fresher', type: 'outreach', at: '2026-03-02T00:00:00.000Z' }],
      { now: NOW },
    );
    await announce({ ...env, WEBHOOK_QUEUE: queue }, NOW);
    expect(sent.some((m) => m.workspaceId === b.id)).toBe(true);
  });

  it('mint, use and revoke keys and widget sessions of the workspace on the second database', async () => {
    const second = await callJson('/v1/keys', { key: b.secretKey, body: { kind: 'secret' } });
    expect(second.status).toBe(201);
    expect((await callJson('/v1/clients/c1', { key: second.body.key })).status).toBe(200);
    // A session scoped to a client checks that client on the workspace's database.
    const scoped = await callJson('/v1/widget-sessions', {
      key: second.body.key,
      body: { scope: { clientId: 'c1' } },
    });
    expect(scoped.status).toBe(201);
    await expectProblem(
      await call('/v1/widget-sessions', { key: b.secretKey, body: { scope: { clientId: 'c9' } } }),
      404,
    );
    const revoked = await callJson(`/v1/keys/${second.body.id}`, {
      method: 'DELETE',
      key: b.secretKey,
    });
    expect(revoked.status).toBe(200);
    await expectProblem(await call('/v1/clients/c1', { key: second.body.key }), 401);
    expect((await callJson('/v1/clients/c1', { key: b.secretKey })).status).toBe(200);
    // Keys and sessions live in the control database only.
    const keys = await env.DB.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE workspace_id = ?1')
      .bind(b.id)
      .first<{ n: number }>();
    expect(keys!.n).toBe(3);
  });

  it('are watched by tripwires that fail any write on the wrong database', async () => {
    // Sanity of the fixture itself: the tripwires fire on a misrouted write.
    await expect(
      env.DB.prepare(
        "INSERT INTO clients (workspace_id, id, name, attributes, tags, created_at, updated_at) VALUES (?1, 'x', 'x', '{}', '[]', ?2, ?2)",
      )
        .bind(b.id, NOW)
        .run(),
    ).rejects.toThrow(/wrong database/);
  });
});

/**
 * Steps 2 to 5 of *Moving a workspace* (docs/scaling.md), done with plain SQL as `wrangler d1
 * export`/`execute` would: copy every data row of the workspace as it is, switch its placement in
 * the control database, delete the old rows.
 */
async function moveWorkspace(from: D1Database, to: D1Database, workspaceId: string, name: string) {
  const defs = await env.DB.prepare(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%'",
  ).all<{ name: string; sql: string }>();
  for (const table of await dataTables()) {
    const sql = defs.results.find((d) => d.name === table)!.sql;
    // Generated columns are computed again on the target; they cannot be inserted.
    const generated = new Set(
      [...sql.matchAll(/(\w+)\s+\w+\s+GENERATED ALWAYS/gi)].map((m) => m[1]),
    );
    const rows = (
      await from.prepare(`SELECT * FROM ${table} WHERE workspace_id = ?1`).bind(workspaceId).all()
    ).results;
    const inserts = rows.map((row) => {
      const cols = Object.keys(row).filter((c) => !generated.has(c));
      return to
        .prepare(
          `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `?${i + 1}`).join(', ')})`,
        )
        .bind(...cols.map((c) => row[c]));
    });
    for (let i = 0; i < inserts.length; i += 50) await to.batch(inserts.slice(i, i + 50));
  }
  await env.DB.prepare('UPDATE workspaces SET data_database = ?2 WHERE id = ?1')
    .bind(workspaceId, name)
    .run();
  for (const table of await dataTables())
    await from.prepare(`DELETE FROM ${table} WHERE workspace_id = ?1`).bind(workspaceId).run();
}

/** Fields of an answer that follow the reading instant (`now`), not the stored rows. */
const CLOCK_FIELDS = new Set(['asOf', 'from', 'to', 'tenureDays']);

describe('moving a workspace', () => {
  it('answers the same after its rows are copied to the other database and its placement switched', async () => {
    const ws = await createWorkspace({ name: 'Mover', database: 'primary' });
    expect((await postEvents(ws.secretKey, history('m', 6))).status).toBe(200);
    await call('/v1/clients/c2', {
      method: 'PUT',
      key: ws.secretKey,
      body: { name: 'Second', attributes: { manager: 'olga' } },
    });
    const { queue, sent } = recordingQueue<unknown>();
    const snap = await callWithBindings({ SNAPSHOTS: queue }, '/v1/snapshots', ws.secretKey, {});
    for (let i = 0; sent.length > 0 && i < 50; i++)
      await consume('clientfolio-snapshots', sent.splice(0), { SNAPSHOTS: queue });
    expect(snap.status).toBe(202);
    const reads = [
      '/v1/clients?limit=100',
      '/v1/clients/c2',
      '/v1/lifecycle/funnel',
      '/v1/segments/abc-xyz',
      '/v1/segments/types',
      '/v1/clients?manager=olga',
    ];
    const answers = async () => {
      const out: unknown[] = [];
      for (const path of reads) {
        const res = await callJson(path, { key: ws.secretKey });
        // Read twice at different instants: what follows the clock is left out.
        const timeless = JSON.parse(
          JSON.stringify(res.body, (k, v: unknown) => (CLOCK_FIELDS.has(k) ? undefined : v)),
        ) as unknown;
        out.push([path, res.status, timeless]);
      }
      return out;
    };
    const before = await answers();
    const rowsBefore = await rowsOn(env.DB, ws.id);

    await moveWorkspace(env.DB, env.DB_2, ws.id, 'secondary');

    expect(await rowsOn(env.DB_2, ws.id)).toEqual(rowsBefore);
    expect(await rowsOn(env.DB, ws.id)).toEqual({});
    expect((await callJson('/v1/workspace', { key: ws.secretKey })).body.database).toBe(
      'secondary',
    );
    expect(await answers()).toEqual(before);
    // Writes after the switch land on the new database, continuing the copied state.
    await forbidWritesOf(env.DB, ws.id);
    const more = await postEvents(ws.secretKey, [
      { id: 'late', clientId: 'c2', type: 'purchase', at: '2026-05-01', amount: 10 },
    ]);
    expect(more.body).toEqual({ accepted: 1, duplicates: 0 });
    expect((await callJson('/v1/clients/c2', { key: ws.secretKey })).body.aggregates).toMatchObject(
      { orders: 3 },
    );
  }, 30_000);
});
