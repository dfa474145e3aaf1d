import { describe, expect, it } from 'vitest';
import { call, callJson, createWorkspace, expectProblem, postEvents } from './helpers.ts';

const pad = (n: number) => String(n).padStart(3, '0');

describe('pagination under concurrent inserts', () => {
  it.each([
    ['all clients', ''],
    ['one stage', '&stage=prospect'],
  ])(
    'walking %s returns every existing row exactly once while new ones arrive on both sides of the cursor',
    async (_name, filter) => {
      const ws = await createWorkspace();
      const existing = Array.from({ length: 60 }, (_, i) => `c-${pad(i * 2)}`);
      await postEvents(
        ws.secretKey,
        existing.map((id, i) => ({
          id: `e-${i}`,
          clientId: id,
          type: 'outreach',
          at: '2024-01-01',
        })),
      );

      const seen: string[] = [];
      const inserted: string[] = [];
      let cursor: string | null = null;
      let page = 0;
      do {
        // The page is read while three new clients are written: before the cursor, just after it, far after it.
        const last = seen.at(-1) ?? 'c-000';
        const fresh = [`${last}-before`.replace('c-', 'b-'), `${last}a`, `z-${pad(page)}`];
        inserted.push(...fresh);
        const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const [{ body }] = await Promise.all([
          callJson(`/v1/clients?limit=7${filter}${q}`, { key: ws.secretKey }),
          ...fresh.map((id, i) =>
            postEvents(ws.secretKey, [
              { id: `new-${page}-${i}`, clientId: id, type: 'outreach', at: '2024-01-01' },
            ]),
          ),
        ]);
        seen.push(...body.data.map((c: { id: string }) => c.id));
        cursor = body.nextCursor;
        page++;
      } while (cursor && page < 100);

      expect(page).toBeGreaterThan(8);
      for (const id of existing)
        expect(
          seen.filter((x) => x === id),
          id,
        ).toHaveLength(1);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual(seen);
      expect(seen.filter((id) => !existing.includes(id)).every((id) => inserted.includes(id))).toBe(
        true,
      );
    },
  );

  it('refuses a tampered cursor, another workspace’s, another filter’s, and garbage, with 400 naming cursor', async () => {
    const [a, b] = await Promise.all([createWorkspace(), createWorkspace()]);
    await postEvents(
      a.secretKey,
      Array.from({ length: 5 }, (_, i) => ({
        id: `e${i}`,
        clientId: `c${i}`,
        type: 'outreach',
        at: '2024-01-01',
      })),
    );
    const first = await callJson('/v1/clients?limit=2', { key: a.secretKey });
    const cursor = first.body.nextCursor as string;
    const [payload, signature] = cursor.split('.');
    const forged = `${btoa(JSON.stringify({ w: a.id, s: 'clients::', p: 'c3' })).replace(/=+$/, '')}.${signature}`;
    const bad = [
      `${cursor.slice(0, -2)}AA`,
      forged,
      `${payload}.`,
      `${payload}.${signature}.x`,
      'not-a-cursor',
      '%%%',
    ];
    for (const c of bad)
      await expectProblem(
        await call(`/v1/clients?limit=2&cursor=${encodeURIComponent(c)}`, { key: a.secretKey }),
        400,
        ['cursor'],
      );
    await expectProblem(
      await call(`/v1/clients?cursor=${encodeURIComponent(cursor)}`, { key: b.secretKey }),
      400,
      ['cursor'],
    );
    await expectProblem(
      await call(`/v1/clients?stage=prospect&cursor=${encodeURIComponent(cursor)}`, {
        key: a.secretKey,
      }),
      400,
      ['cursor'],
    );
    const next = await callJson(`/v1/clients?limit=2&cursor=${encodeURIComponent(cursor)}`, {
      key: a.secretKey,
    });
    expect(next.body.data.map((c: { id: string }) => c.id)).toEqual(['c2', 'c3']);
  });
});
