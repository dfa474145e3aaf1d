import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../schema/import.ts';
import {
  call,
  callJson,
  createWorkspace,
  expectProblem,
  postEvents,
  tableCounts,
} from './helpers.ts';

const ndjson = (events: unknown[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';
const importNdjson = (key: string, body: string, contentType = 'application/x-ndjson') =>
  call('/v1/import/events', { key, raw: body, contentType });

const history = [
  { id: 'o1', clientId: 'acme', type: 'outreach', at: '2024-01-02' },
  { id: 'o2', clientId: 'acme', type: 'purchase', at: '2024-01-15', amount: 1200, margin: 300 },
  { id: 'o3', clientId: 'globex', type: 'purchase', at: '2024-02-10T09:30:00Z', amount: 99.9 },
  { id: 'o4', clientId: 'acme', type: 'purchase', at: '2024-03-02', amount: 450.5 },
  { id: 'o5', clientId: 'globex', type: 'contact', at: '2024-01-20', sentiment: 'positive' },
];

/** What ingestion derived for a workspace, to compare two ways of storing the same events. */
const derived = async (ws: string) =>
  (
    await env.DB.prepare(
      `SELECT 'a' AS t, client_id, data AS v FROM client_aggregates WHERE workspace_id = ?1
       UNION ALL SELECT 's', client_id, seq || stage || entered_at || COALESCE(left_at, '') FROM stage_spells WHERE workspace_id = ?1
       UNION ALL SELECT 'p', client_id, period || ':' || revenue || ':' || orders FROM client_periods WHERE workspace_id = ?1
       ORDER BY 1, 2, 3`,
    )
      .bind(ws)
      .all()
  ).results;

describe('POST /v1/import/events (NDJSON)', () => {
  it('imports a history in any line order, as POST /v1/events would store it, and a re-import stores nothing twice', async () => {
    const [viaImport, viaEvents] = [await createWorkspace(), await createWorkspace()];
    const first = await callJson('/v1/import/events', {
      key: viaImport.secretKey,
      raw: `\n${ndjson(history)}\n\n`,
      contentType: 'application/x-ndjson',
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ imported: 5, duplicates: 0 });
    await postEvents(viaEvents.secretKey, history);
    expect(await derived(viaImport.id)).toEqual(await derived(viaEvents.id));

    // Again, with one event more and one repeated inside the file: only the new one is stored.
    const more = { id: 'o6', clientId: 'acme', type: 'purchase', at: '2024-05-01', amount: 10 };
    const again = await callJson('/v1/import/events', {
      key: viaImport.secretKey,
      raw: ndjson([...history, more, history[0]]),
      contentType: 'application/x-ndjson',
    });
    expect(again.body).toEqual({ imported: 1, duplicates: 6 });
    await postEvents(viaEvents.secretKey, [more]);
    expect(await derived(viaImport.id)).toEqual(await derived(viaEvents.id));
  });

  it('validates every line before storing anything, naming line and field', async () => {
    const ws = await createWorkspace();
    const before = await tableCounts();
    const body = [
      JSON.stringify(history[0]),
      JSON.stringify({ id: 'x1', clientId: 'acme', type: 'purchase', at: '2024-01-15' }),
      '{"id": "x2", "clientId": ',
      JSON.stringify({ id: 'x3', clientId: 'acme', type: 'purchase', at: 'soon', amount: -5 }),
      JSON.stringify({
        id: 'x4',
        clientId: 'acme',
        type: 'stage_override',
        at: '2024-01-01',
        stage: 'awareness',
      }),
    ].join('\n');
    const problem = await expectProblem(await importNdjson(ws.secretKey, body), 400, [
      'line.2.amount',
      'line.3',
      'line.4.at',
      'line.4.amount',
      'line.5.stage',
    ]);
    expect(problem.errors!.map((e) => e.path)).not.toContain('line.1');
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses an id repeated with other content, in the file or already stored, storing nothing', async () => {
    const ws = await createWorkspace();
    const changed = { ...history[1], amount: 1 };
    const inFile = await expectProblem(
      await importNdjson(ws.secretKey, ndjson([...history, changed])),
      409,
      ['line.6.id'],
    );
    expect(inFile.errors).toHaveLength(1);
    await postEvents(ws.secretKey, [history[1]]);
    const before = await tableCounts();
    await expectProblem(
      await importNdjson(ws.secretKey, ndjson([history[0], changed, history[2]])),
      409,
      ['line.2.id'],
    );
    expect(await tableCounts()).toEqual(before);
  });

  it('needs NDJSON with at least one event', async () => {
    const ws = await createWorkspace();
    await expectProblem(await importNdjson(ws.secretKey, ndjson(history), 'application/json'), 415);
    await expectProblem(await importNdjson(ws.secretKey, '\n\n'), 400, ['line.1']);
    await expectProblem(await importNdjson(ws.secretKey, '[1, 2]\n'), 400, ['line.1.type']);
  });

  it('refuses a body over 50 MiB with a 413 naming the body, storing nothing', async () => {
    const ws = await createWorkspace();
    const before = await tableCounts();
    // Valid events first: the limit holds however good the lines before it are.
    const body = ndjson(history) + '\n'.repeat(MAX_IMPORT_BYTES);
    const problem = await expectProblem(await importNdjson(ws.secretKey, body), 413, ['(body)']);
    expect(problem.detail).toContain(String(MAX_IMPORT_BYTES));
    expect(await tableCounts()).toEqual(before);
  });

  it('shares its path with the CSV import: purchases imported from CSV re-sent as NDJSON are duplicates', async () => {
    const ws = await createWorkspace();
    const csv = await callJson('/v1/import/transactions', {
      key: ws.secretKey,
      raw: 'client_id,date,amount\nacme,2024-01-15,1200.00\nacme,2024-03-02,450.50\nglobex,2024-02-10,99.90\n',
      contentType: 'text/csv',
    });
    expect(csv.body).toEqual({ imported: 3, duplicates: 0, rows: 3, clients: 2 });
    const stored = (
      await env.DB.prepare('SELECT body FROM events WHERE workspace_id = ?1')
        .bind(ws.id)
        .all<{ body: string }>()
    ).results.map((r) => r.body);
    const again = await callJson('/v1/import/events', {
      key: ws.secretKey,
      raw: stored.join('\n'),
      contentType: 'application/x-ndjson',
    });
    expect(again.body).toEqual({ imported: 0, duplicates: 3 });
  });
});
