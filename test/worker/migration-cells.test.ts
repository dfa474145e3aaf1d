import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../schema/settings.ts';
import { listMovedClients } from '../../worker/db/class-migrations.ts';
import { startSnapshot } from '../../worker/snapshots.ts';
import { call, callJson, createWorkspace, expectProblem, postEvents, purchase } from './helpers.ts';
import { meteredCall } from './meter.ts';

const DIMENSIONS = ['stage', 'abc', 'xyz', 'rfm', 'type'] as const;
type Dimension = (typeof DIMENSIONS)[number];
interface Cell {
  from: string | null;
  to: string | null;
  clients: number;
  revenue: number;
  list: string;
}

/**
 * A hand-built half year: steady, one-off and late buyers, a prospect, a client that first appears
 * in June, so that the end of March and the end of June differ in every dimension. `p` prefixes
 * the ids, so that copies of the history keep each copy's clients together in id order.
 */
const history = (p = '') => [
  ...['01', '02', '03', '04', '05', '06'].map((m, i) =>
    purchase(`${p}a-${m}`, `${p}a`, `2024-${m}-03`, 900 + i * 10),
  ),
  purchase(`${p}b-1`, `${p}b`, '2024-01-20', 2000),
  purchase(`${p}c-1`, `${p}c`, '2024-02-02', 50),
  purchase(`${p}c-2`, `${p}c`, '2024-05-02', 60),
  purchase(`${p}c-3`, `${p}c`, '2024-05-25', 70),
  purchase(`${p}d-1`, `${p}d`, '2024-03-15', 300),
  purchase(`${p}d-2`, `${p}d`, '2024-06-10', 10),
  { id: `${p}e-o`, clientId: `${p}e`, type: 'outreach', at: '2024-02-11' },
  purchase(`${p}f-1`, `${p}f`, '2024-05-05', 120),
  { id: `${p}g-o`, clientId: `${p}g`, type: 'contact', sentiment: 'neutral', at: '2024-06-05' },
  purchase(`${p}h-1`, `${p}h`, '2024-01-09', 400),
  purchase(`${p}h-2`, `${p}h`, '2024-02-09', 400),
  purchase(`${p}h-3`, `${p}h`, '2024-03-09', 400),
];

const MATRIX = (dimension: Dimension) =>
  `/v1/segments/migrations?dimension=${dimension}&from=2024-03&to=2024-06`;

/** Asks for the matrix until its month-end snapshots are done (the queue runs in the test's Worker). */
async function matrix(key: string, dimension: Dimension): Promise<Cell[]> {
  for (let i = 0; i < 400; i++) {
    const res = await callJson(MATRIX(dimension), { key });
    if (res.status === 200) return res.body.cells;
    expect(res.status).toBe(202);
    await scheduler.wait(25);
  }
  throw new Error('month-end snapshots never finished');
}

/** Every page of a list, `limit` at a time: the ids in the order visited. */
async function allPages(list: string, key: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const path: string = `${list}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await callJson(path, { key });
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.data.map((c: { id: string }) => c.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  return ids;
}

/** The finished month-end snapshots of March and June 2024, newest of each. */
async function monthEnds(workspaceId: string): Promise<[string, string]> {
  const { results } = await env.DB.prepare(
    `SELECT as_of, id FROM snapshots WHERE workspace_id = ?1 AND kind = 'month_end' AND status = 'done' ORDER BY started_at`,
  )
    .bind(workspaceId)
    .all<{ as_of: string; id: string }>();
  const newest = new Map(results.map((r) => [r.as_of, r.id]));
  return [newest.get('2024-04-01T00:00:00.000Z')!, newest.get('2024-07-01T00:00:00.000Z')!];
}

/**
 * The matrix recounted in JavaScript from the two snapshots' stored class rows: each client's
 * class at both month-ends, then the clients of every cell. What the cache and the lists must equal.
 */
async function recount(workspaceId: string, dimension: Dimension) {
  const [earlier, later] = await monthEnds(workspaceId);
  const classesIn = async (snapshot: string) => {
    const rows = (
      await env.DB.prepare(
        `SELECT client_id, stage, abc, xyz, rfm_segment, revenue FROM client_classes
         WHERE workspace_id = ?1 AND snapshot_id = ?2 AND stage IS NOT NULL`,
      )
        .bind(workspaceId, snapshot)
        .all<Record<string, string | number | null>>()
    ).results;
    const types = (
      await env.DB.prepare(
        'SELECT client_id, type FROM client_class_types WHERE workspace_id = ?1 AND snapshot_id = ?2',
      )
        .bind(workspaceId, snapshot)
        .all<{ client_id: string; type: string }>()
    ).results;
    const out = new Map<string, { cls: string; revenue: number }>();
    for (const r of rows) {
      const mine = types.filter((t) => t.client_id === r.client_id).map((t) => t.type);
      const cls =
        dimension === 'type'
          ? mine.sort().join('+') || 'none'
          : String(
              r[{ stage: 'stage', abc: 'abc', xyz: 'xyz', rfm: 'rfm_segment' }[dimension]] ??
                'none',
            );
      out.set(String(r.client_id), { cls, revenue: Number(r.revenue) });
    }
    return out;
  };
  const a = await classesIn(earlier);
  const b = await classesIn(later);
  const cells = new Map<
    string,
    { from: string | null; to: string | null; ids: string[]; cents: number }
  >();
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const from = a.get(id)?.cls ?? null;
    const to = b.get(id)?.cls ?? null;
    const key = `${from}→${to}`;
    const cell = cells.get(key) ?? { from, to, ids: [], cents: 0 };
    cell.ids.push(id);
    cell.cents += Math.round((b.get(id) ?? a.get(id))!.revenue * 100);
    cells.set(key, cell);
  }
  return [...cells.values()].map((c) => ({ ...c, ids: c.ids.sort() }));
}

/**
 * Rows read that do not depend on the portfolio. SQLite may read one row past the end of an index
 * range to find its end, and whether there is one depends on where the workspace's random id
 * sorts among the others' rows: a difference of a row or two per answer, not of clients.
 */
const expectSameCost = (large: number, small: number) =>
  expect(Math.abs(large - small)).toBeLessThanOrEqual(2);

const asCounts = (
  cells: { from: string | null; to: string | null; clients: number; revenue: number }[],
) => Object.fromEntries(cells.map((c) => [`${c.from}→${c.to}`, [c.clients, c.revenue]]));
const recounted = (cells: Awaited<ReturnType<typeof recount>>) =>
  Object.fromEntries(cells.map((c) => [`${c.from}→${c.to}`, [c.ids.length, c.cents / 100]]));

/** Two workspaces with the same history, 3 and 30 copies of it: ten times the clients. */
async function smallAndLarge() {
  const small = await createWorkspace();
  const large = await createWorkspace();
  const copies = (n: number) =>
    Array.from({ length: n }, (_, k) => history(`${String(k).padStart(2, '0')}-`)).flat();
  await postEvents(small.secretKey, copies(3));
  const many = copies(30);
  for (let i = 0; i < many.length; i += 200)
    await postEvents(large.secretKey, many.slice(i, i + 200));
  return [small, large] as const;
}

describe('the clients behind a migration cell (GET /v1/clients?movedDimension=…)', () => {
  it('lists each cell of every dimension: its count, its clients, every client once at any page size', async () => {
    const ws = await createWorkspace();
    const key = ws.secretKey;
    await postEvents(key, history());
    // Sets of types, set by hand: the type classes "partner" and "partner+status".
    for (const [id, manualTypes] of [
      ['a', ['status', 'partner']],
      ['c', ['partner']],
    ] as const)
      expect(
        (await call(`/v1/clients/${id}`, { key, method: 'PUT', body: { manualTypes } })).status,
      ).toBe(200);

    // Before the month-ends exist, a list starts them as the matrix does.
    const early = await call(
      '/v1/clients?movedDimension=stage&movedFrom=2024-03&movedTo=2024-06&fromClass=&toClass=prospect',
      { key },
    );
    expect(early.status).toBe(202);
    expect(early.headers.get('retry-after')).toBe('30');
    expect((await early.json<{ snapshots: string[] }>()).snapshots).toHaveLength(2);

    for (const dimension of DIMENSIONS) {
      const cells = await matrix(key, dimension);
      const expected = await recount(ws.id, dimension);
      expect(asCounts(cells)).toEqual(recounted(expected));
      const seen: string[] = [];
      for (const cell of cells) {
        const ids = expected.find((c) => c.from === cell.from && c.to === cell.to)!.ids;
        expect(cell.list).toBe(
          `/v1/clients?movedDimension=${dimension}&movedFrom=2024-03&movedTo=2024-06&fromClass=${encodeURIComponent(cell.from ?? '')}&toClass=${encodeURIComponent(cell.to ?? '')}`,
        );
        for (const limit of [1, 2, 50]) expect(await allPages(cell.list, key, limit)).toEqual(ids);
        seen.push(...ids);
      }
      // Every client of either month-end is in exactly one cell.
      expect(seen.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
      if (dimension === 'type') {
        expect(cells.flatMap((c) => [c.from, c.to]).some((c) => c?.includes('+'))).toBe(true);
      }
      if (dimension === 'stage')
        expect(cells).toContainEqual(
          expect.objectContaining({ from: null, to: 'potential', clients: 1 }),
        );
    }

    // A class the matrix has no client in is an empty list, not an error.
    const empty = await callJson(
      '/v1/clients?movedDimension=abc&movedFrom=2024-03&movedTo=2024-06&fromClass=C&toClass=A',
      { key },
    );
    expect(empty.body).toEqual({ data: [], nextCursor: null });
  }, 120_000);

  it('names the field of a bad cell, and refuses a cursor from another cell', async () => {
    const ws = await createWorkspace();
    const key = ws.secretKey;
    const cell = 'movedDimension=abc&movedFrom=2024-03&movedTo=2024-06';
    const bad = async (query: string, path: string) =>
      expectProblem(await call(`/v1/clients?${query}`, { key }), 400, [path]);
    await bad('movedFrom=2024-03&movedTo=2024-06&fromClass=A&toClass=B', 'movedDimension');
    await bad('movedDimension=abc&movedFrom=2024-03&fromClass=A&toClass=B', 'movedTo');
    await bad(`${cell}&fromClass=A`, 'toClass');
    await bad(`${cell}&fromClass=Q&toClass=A`, 'fromClass');
    await bad(`${cell}&fromClass=A&toClass=developing`, 'toClass');
    await bad(`${cell}&fromClass=&toClass=`, 'toClass');
    await bad(
      'movedDimension=stage&movedFrom=2024-03&movedTo=2024-06&fromClass=none&toClass=lost',
      'fromClass',
    );
    await bad(
      'movedDimension=type&movedFrom=2024-03&movedTo=2024-06&fromClass=status%2Bpartner&toClass=none',
      'fromClass',
    );
    await bad(
      'movedDimension=rfm&movedFrom=2024-03&movedTo=2024-06&fromClass=fans&toClass=none',
      'fromClass',
    );
    await bad(
      'movedDimension=abc&movedFrom=2024-06&movedTo=2024-06&fromClass=A&toClass=B',
      'movedTo',
    );
    await bad(
      'movedDimension=abc&movedFrom=2024-07&movedTo=2024-06&fromClass=A&toClass=B',
      'movedTo',
    );
    await bad(
      'movedDimension=abc&movedFrom=2024-03&movedTo=2999-01&fromClass=A&toClass=B',
      'movedTo',
    );
    await bad(
      'movedDimension=colour&movedFrom=2024-03&movedTo=2024-06&fromClass=A&toClass=B',
      'movedDimension',
    );
    await bad(`${cell}&fromClass=A&toClass=B&stage=developed`, 'stage');
    await bad(`${cell}&fromClass=A&toClass=B&sort=revenue`, 'sort');
    // Nothing was started for a refused query.
    const runs = await env.DB.prepare('SELECT COUNT(*) AS n FROM snapshots WHERE workspace_id = ?1')
      .bind(ws.id)
      .first<{ n: number }>();
    expect(runs!.n).toBe(0);

    await postEvents(key, history());
    await matrix(key, 'abc');
    const page = await callJson(`/v1/clients?${cell}&fromClass=A&toClass=A&limit=1`, { key });
    expect(page.body.nextCursor).toEqual(expect.any(String));
    await expectProblem(
      await call(
        `/v1/clients?${cell}&fromClass=A&toClass=B&cursor=${encodeURIComponent(page.body.nextCursor)}`,
        { key },
      ),
      400,
      ['cursor'],
    );
  }, 60_000);

  it('reads a page by the cell, not the portfolio: the same rows at 10 times the clients', async () => {
    const [small, large] = await smallAndLarge();
    // The matrices first: the cells are counted once per pair (one pass), and pages read them.
    for (const { secretKey } of [small, large])
      for (const dimension of ['stage', 'abc'] as const) await matrix(secretKey, dimension);
    const cost = async (key: string, query: string) => {
      const res = await meteredCall(`/v1/clients?${query}&limit=2`, key);
      expect(res.status).toBe(200);
      return { rows: res.rowsRead, page: JSON.parse(res.body) };
    };
    for (const [query, size] of [
      // Walks March's "developing" index, probing June for each client.
      [
        'movedDimension=stage&movedFrom=2024-03&movedTo=2024-06&fromClass=developing&toClass=developing',
        2,
      ],
      // New since March: walks June's "potential" index, probing March.
      ['movedDimension=stage&movedFrom=2024-03&movedTo=2024-06&fromClass=&toClass=potential', 2],
      ['movedDimension=abc&movedFrom=2024-03&movedTo=2024-06&fromClass=A&toClass=A', 2],
      // No one is new among June's prospects: the kept cells say so before any class is walked.
      ['movedDimension=stage&movedFrom=2024-03&movedTo=2024-06&fromClass=&toClass=prospect', 0],
    ] as const) {
      const a = await cost(small.secretKey, query);
      const b = await cost(large.secretKey, query);
      expect(b.page.data).toHaveLength(size);
      expect(b.page.nextCursor === null).toBe(size === 0);
      expectSameCost(b.rows, a.rows);
    }
  }, 120_000);
});

describe('a cell page', () => {
  it('walks a class index from the cursor for every kind of cell (the "none" type class: the snapshot key)', async () => {
    const cases = [
      ['stage', 'developing', 'developed', 'client_classes_by_stage'],
      ['stage', null, 'potential', 'client_classes_by_stage'],
      ['abc', 'none', null, 'client_classes_by_abc'],
      ['xyz', 'X', 'Y', 'client_classes_by_xyz'],
      ['rfm', 'loyal', 'at_risk', 'client_classes_by_segment'],
      [
        'type',
        'golden+partner',
        'none',
        'PRIMARY KEY (workspace_id=? AND snapshot_id=? AND type=?',
      ],
      ['type', 'none', 'golden', 'PRIMARY KEY (workspace_id=? AND snapshot_id=? AND type=?'],
      ['type', 'none', 'none', 'PRIMARY KEY (workspace_id=? AND snapshot_id=? AND client_id>?)'],
    ] as const;
    for (const [dimension, fromClass, toClass, walk] of cases) {
      // The statement the page runs, captured, then explained by SQLite.
      let statement: [string, unknown[]] = ['', []];
      const capture = {
        prepare: (sql: string) => ({
          bind: (...values: unknown[]) => {
            statement = [sql, values];
            return { all: async () => ({ results: [] }) };
          },
        }),
      } as unknown as D1Database;
      await listMovedClients(
        capture,
        'w',
        { from: 's1', to: 's2' },
        { dimension, fromClass, toClass },
        { afterId: 'k', limit: 2 },
      );
      const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement[0]}`)
        .bind(...statement[1])
        .all<{ detail: string }>();
      const first = plan.results[0]!.detail;
      expect(first).toMatch(/^SEARCH w/);
      expect(first).toContain(walk);
      expect(first).toContain('client_id>?');
      expect(plan.results.map((r) => r.detail).join('\n')).not.toMatch(/\bSCAN (w|o|c)\b/);
    }
  });
});

describe('migration cells kept per pair of month-end snapshots', () => {
  it('cost the cells on a second read, the same at 10 times the clients', async () => {
    const [small, large] = await smallAndLarge();
    for (const { secretKey } of [small, large]) await matrix(secretKey, 'abc');
    const reads = async (key: string) => {
      const first = await meteredCall(MATRIX('rfm'), key);
      const second = await meteredCall(MATRIX('rfm'), key);
      expect(second.body).toBe(first.body);
      const cells = JSON.parse(second.body).cells.length;
      const cached = [...second.bySql].find(([sql]) => sql.includes('FROM migration_matrices'))![1];
      return { first: first.rowsRead, second: second.rowsRead, cells, cached };
    };
    const a = await reads(small.secretKey);
    const b = await reads(large.secretKey);
    // The first read passes over both snapshots' rows; the second reads the kept cells.
    expect(b.first).toBeGreaterThan(5 * a.first);
    expectSameCost(b.second, a.second);
    expect(b.cached).toBeLessThanOrEqual(b.cells + 2);
    expect(b.second).toBeLessThan(a.first);
  }, 120_000);

  it('stay a recount after erasures, in every dimension, and are not reused for a month-end computed again', async () => {
    const ws = await createWorkspace();
    const key = ws.secretKey;
    await postEvents(key, history());
    expect(
      (await call('/v1/clients/c', { key, method: 'PUT', body: { manualTypes: ['partner'] } }))
        .status,
    ).toBe(200);
    for (const dimension of DIMENSIONS) await matrix(key, dimension);
    for (const id of ['a', 'g', 'd'])
      expect((await call(`/v1/clients/${id}`, { key, method: 'DELETE' })).status).toBe(204);
    const stored = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM migration_matrices WHERE workspace_id = ?1',
    )
      .bind(ws.id)
      .first<{ n: number }>();
    // Updated in place, not dropped: the answers below come from the kept cells.
    expect(stored!.n).toBe(DIMENSIONS.length);
    for (const dimension of DIMENSIONS) {
      const cells = await matrix(key, dimension);
      expect(asCounts(cells)).toEqual(recounted(await recount(ws.id, dimension)));
      expect(cells.reduce((n, c) => n + c.clients, 0)).toBe(5);
    }

    // March is computed again after a late-arriving purchase: the new snapshot has its own cells.
    const before = await matrix(key, 'stage');
    await postEvents(key, [purchase('late-1', 'late', '2024-03-20', 75)]);
    const settings = defaultSettings();
    const rerun = await startSnapshot(env.DB, ws.id, settings.segments, {
      kind: 'month_end',
      asOf: '2024-04-01T00:00:00.000Z',
      now: new Date().toISOString(),
    });
    await env.SNAPSHOTS.send(rerun);
    let after = before;
    for (let i = 0; i < 400 && JSON.stringify(after) === JSON.stringify(before); i++) {
      await scheduler.wait(25);
      after = await matrix(key, 'stage');
    }
    expect(asCounts(after)).toEqual(recounted(await recount(ws.id, 'stage')));
    expect(after.reduce((n, c) => n + c.clients, 0)).toBe(6);
    // June was not computed again, so the late client is "gone since" there: its own list.
    const gone = after.find((c) => c.to === null)!;
    expect(gone).toMatchObject({ from: 'developing', clients: 1, revenue: 75 });
    expect(await allPages(gone.list, key, 1)).toEqual(['late']);
  }, 120_000);
});
