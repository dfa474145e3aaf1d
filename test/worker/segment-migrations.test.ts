import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, callJson, createWorkspace, expectProblem, postEvents, purchase } from './helpers.ts';

/** Waits for the queue to carry the month-end runs to their end (the consumer runs in the test's Worker). */
async function waitForSnapshots(ids: string[], key: string) {
  for (const id of ids) {
    for (let i = 0; ; i++) {
      const { body } = await callJson(`/v1/snapshots/${id}`, { key });
      if (body.status === 'done') break;
      if (body.status === 'failed' || i === 400) throw new Error(`snapshot ${id}: ${body.status}`);
      await scheduler.wait(25);
    }
  }
}

describe('GET /v1/segments/migrations', () => {
  it('computes missing month-ends off the request (202), then pins who moved where with their revenue', async () => {
    const ws = await createWorkspace();
    const key = ws.secretKey;
    await postEvents(key, [
      // Prospect at the end of January, developing (first order) at the end of February.
      { id: 'p1-o', clientId: 'p1', type: 'outreach', at: '2024-01-10' },
      purchase('p1-1', 'p1', '2024-02-05', 200),
      // Developing in January, developed at its third order in February.
      purchase('d1-1', 'd1', '2024-01-03', 100),
      purchase('d1-2', 'd1', '2024-02-01', 100),
      purchase('d1-3', 'd1', '2024-02-10', 100),
      // Developing at both month-ends.
      purchase('d2-1', 'd2', '2024-01-04', 50),
      // Not in the portfolio at the end of January: its first event is in February.
      { id: 'n1-o', clientId: 'n1', type: 'outreach', at: '2024-02-15' },
      // Erased: gone from every snapshot, so from every cell.
      purchase('e1-1', 'e1', '2024-01-06', 900),
    ]);
    expect((await call('/v1/clients/e1', { key, method: 'DELETE' })).status).toBe(204);

    const first = await callJson(
      '/v1/segments/migrations?dimension=stage&from=2024-01&to=2024-02',
      {
        key,
      },
    );
    expect(first.status).toBe(202);
    expect(first.res.headers.get('retry-after')).toBe('30');
    expect(first.body.status).toBe('running');
    expect(first.body.snapshots).toHaveLength(2);
    await waitForSnapshots(first.body.snapshots, key);

    const stage = await callJson(
      '/v1/segments/migrations?dimension=stage&from=2024-01&to=2024-02',
      {
        key,
      },
    );
    expect(stage.status).toBe(200);
    expect(stage.body).toMatchObject({ dimension: 'stage', from: '2024-01', to: '2024-02' });
    expect(stage.body.computedAt).toEqual(expect.any(String));
    expect(stage.body.cells[0].list).toBe(
      '/v1/clients?movedDimension=stage&movedFrom=2024-01&movedTo=2024-02&fromClass=&toClass=prospect',
    );
    expect(stage.body.cells.map(({ list: _, ...cell }: { list: string }) => cell)).toEqual([
      { from: null, to: 'prospect', clients: 1, revenue: 0 },
      { from: 'developing', to: 'developed', clients: 1, revenue: 300 },
      { from: 'developing', to: 'developing', clients: 1, revenue: 50 },
      { from: 'prospect', to: 'developing', clients: 1, revenue: 200 },
    ]);

    // The same month-ends serve every dimension: no new run, an answer at once.
    const abc = await callJson('/v1/segments/migrations?dimension=abc&from=2024-01&to=2024-02', {
      key,
    });
    expect(abc.status).toBe(200);
    const clients = abc.body.cells.reduce((s: number, c: { clients: number }) => s + c.clients, 0);
    expect(clients).toBe(4);
    expect(abc.body.cells).toContainEqual(
      expect.objectContaining({ from: null, to: 'none', clients: 1, revenue: 0 }),
    );
    expect(abc.body.cells).toContainEqual(
      expect.objectContaining({ from: 'none', to: 'A', clients: 1, revenue: 200 }),
    );
  }, 60_000);

  it('names the field of a bad query and starts nothing', async () => {
    const ws = await createWorkspace();
    const key = ws.secretKey;
    const bad = async (query: string, path: string) =>
      expectProblem(await call(`/v1/segments/migrations?${query}`, { key }), 400, [path]);
    await bad('dimension=colour&from=2024-01&to=2024-02', 'dimension');
    await bad('dimension=stage&from=2024-13&to=2025-02', 'from');
    await bad('dimension=stage&from=2024-03&to=2024-02', 'to');
    await bad('dimension=stage&from=2024-01', 'to');
    await bad('dimension=stage&from=2024-01&to=2999-01', 'to');
    const runs = await env.DB.prepare('SELECT COUNT(*) AS n FROM snapshots WHERE workspace_id = ?1')
      .bind(ws.id)
      .first<{ n: number }>();
    expect(runs!.n).toBe(0);
  });
});
