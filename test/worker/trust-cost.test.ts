import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientEvents } from '../../worker/db/events.ts';
import { planInsert } from '../../worker/db/plan.ts';
import { router } from '../../worker/router.ts';
import { createWorkspace, postEvents, type Workspace } from './helpers.ts';

/**
 * Cost: a client's timeline must read rows in proportion to that client's events, not to the
 * event table. Every D1 call of a request is counted through a wrapped binding (D1 reports
 * `meta.rows_read` per statement), so an index regression anywhere on the path fails here.
 */

/** A D1 binding that adds up `meta.rows_read` of every statement run through it. */
function countingDb(db: D1Database) {
  const tally = { rowsRead: 0, statements: 0 };
  const record = <T>(result: D1Result<T>) => {
    tally.rowsRead += result.meta.rows_read;
    tally.statements++;
    return result;
  };
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement =>
    ({
      inner: stmt,
      bind: (...values: unknown[]) => wrap(stmt.bind(...values)),
      all: async () => record(await stmt.all()),
      run: async () => record(await stmt.run()),
      // first() hides the meta, so it is read through all(): same row, same rows read.
      first: async (column?: string) => {
        const row = record(await stmt.all<Record<string, unknown>>()).results[0] ?? null;
        return column === undefined ? row : (row?.[column] ?? null);
      },
      raw: () => stmt.raw(),
    }) as unknown as D1PreparedStatement;
  const counted = {
    prepare: (sql: string) => wrap(db.prepare(sql)),
    batch: async (statements: D1PreparedStatement[]) =>
      (
        await db.batch(
          statements.map((s) => (s as unknown as { inner: D1PreparedStatement }).inner),
        )
      ).map(record),
    exec: (sql: string) => db.exec(sql),
  } as unknown as D1Database;
  return { db: counted, tally };
}

async function measured(path: string, key: string) {
  const { db, tally } = countingDb(env.DB);
  const ctx = createExecutionContext();
  const res = await router.fetch(
    new Request(`https://api.test${path}`, { headers: { authorization: `Bearer ${key}` } }),
    { ...env, DB: db },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return {
    status: res.status,
    body: (await res.json()) as { stages: unknown[]; recentEvents?: unknown[] },
    ...tally,
  };
}

const OTHER_EVENTS = 6000;
const OWN_EVENTS = 12;
let ws: Workspace;

beforeAll(async () => {
  ws = await createWorkspace();
  const other = await createWorkspace();
  // The crowd, written straight into the table: 6,000 events of 600 other clients here, as many in another workspace.
  const rows = [ws.id, other.id].flatMap((w) =>
    Array.from({ length: OTHER_EVENTS }, (_, i) => {
      const at = new Date(Date.UTC(2023, 0, 1) + i * 3_600_000).toISOString();
      const body = JSON.stringify({
        at,
        clientId: `crowd-${i % 600}`,
        id: `crowd-${i}`,
        type: 'outreach',
      });
      return [w, `crowd-${i}`, `crowd-${i % 600}`, 'outreach', at, body, 'x', at];
    }),
  );
  const statements = planInsert(
    env.DB,
    'INSERT INTO events (workspace_id, id, client_id, type, at, body, body_hash, received_at)',
    8,
    rows,
  );
  for (let i = 0; i < statements.length; i += 200) await env.DB.batch(statements.slice(i, i + 200));
  await postEvents(
    ws.secretKey,
    Array.from({ length: OWN_EVENTS }, (_, i) => ({
      id: `own-${i}`,
      clientId: 'target',
      type: i % 3 === 2 ? 'purchase' : 'contact',
      at: `2024-0${1 + (i % 9)}-1${i % 10}`,
      ...(i % 3 === 2 ? { amount: 10 } : { sentiment: 'positive' }),
    })),
  );
});

describe('reads in proportion to the client, not the table', () => {
  it("GET /v1/clients/{id}/history reads about the client's own events", async () => {
    const { status, body, rowsRead, statements } = await measured(
      '/v1/clients/target/history',
      ws.secretKey,
    );
    expect(status).toBe(200);
    expect(body.stages.length).toBeGreaterThan(0);
    expect(statements).toBeGreaterThan(2);
    expect(rowsRead).toBeLessThanOrEqual(2 * OWN_EVENTS + 10);
  });

  it('GET /v1/clients/{id} (the profile) too', async () => {
    const { status, body, rowsRead } = await measured('/v1/clients/target', ws.secretKey);
    expect(status).toBe(200);
    expect(body.recentEvents).toHaveLength(10);
    expect(rowsRead).toBeLessThanOrEqual(4 * OWN_EVENTS + 20);
  });

  it('and the bound bites: without the (workspace, client, at) index the same read scans the table', async () => {
    const indexed = await clientEvents(env.DB, ws.id, 'target');
    expect(indexed.events).toHaveLength(OWN_EVENTS);
    expect(indexed.rowsRead).toBeLessThanOrEqual(2 * OWN_EVENTS);
    await env.DB.prepare('DROP INDEX events_by_client').run();
    try {
      const scanned = await clientEvents(env.DB, ws.id, 'target');
      expect(scanned.events).toEqual(indexed.events);
      expect(scanned.rowsRead).toBeGreaterThan(OTHER_EVENTS);
      expect((await measured('/v1/clients/target/history', ws.secretKey)).rowsRead).toBeGreaterThan(
        2 * OWN_EVENTS + 10,
      );
    } finally {
      await env.DB.prepare(
        'CREATE INDEX events_by_client ON events (workspace_id, client_id, at)',
      ).run();
    }
  });
});
