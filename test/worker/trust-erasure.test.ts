import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { routes } from '../../worker/routes/index.ts';
import { call, callJson, createWorkspace, expectProblem, postEvents } from './helpers.ts';

const ORIGIN = 'https://crm.example';
const ERASED = 'erase-me-7f3a';
const NAME = 'Erasable Person 9c2d';
const EMAIL = 'erasable-9c2d@example.com';

/** The data databases by name (worker/databases.ts); `primary` is also the control database. */
const DATABASES = { primary: env.DB, secondary: env.DB_2 } as const;

/** Every row of every table of every database (whatever later migrations add) that mentions any of `needles`. */
async function mentions(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const [database, db] of Object.entries(DATABASES)) {
    const tables = (
      await db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
        )
        .all<{ name: string }>()
    ).results;
    for (const { name } of tables) {
      for (const row of (await db.prepare(`SELECT * FROM ${name}`).all()).results) {
        const text = JSON.stringify(row);
        for (const needle of needles)
          if (text.includes(needle)) found.push(`${database}.${name}: ${text.slice(0, 200)}`);
      }
    }
  }
  return found;
}

describe('erasure', () => {
  // On the second database the erasure is two batches (data, then the control database's sessions
  // and idempotency records): both must leave nothing.
  it.each(['primary', 'secondary'] as const)(
    'leaves no row anywhere that mentions the erased client (workspace on %s)',
    async (database) => {
      const ws = await createWorkspace({ allowedOrigins: [ORIGIN], database });
      const key = ws.secretKey;
      // Everything a client-scoped write route stores about a client (dossiers and whatever comes later).
      const clientWrites = routes.filter(
        (r) => r.path.startsWith('/v1/clients/:id') && ['PUT', 'POST', 'PATCH'].includes(r.method),
      );
      expect(clientWrites.length).toBeGreaterThan(0);
      for (const r of clientWrites) {
        const res = await call(r.path.replace(':id', ERASED), {
          method: r.method,
          key,
          body: r.examples?.body ?? {},
        });
        expect(res.status, `${r.method} ${r.path}`).toBeLessThan(300);
      }
      await call(`/v1/clients/${ERASED}`, {
        method: 'PUT',
        key,
        body: { name: NAME, attributes: { email: EMAIL, manager: 'olga' }, tags: ['vip'] },
      });
      await call('/v1/clients/referrer', { method: 'PUT', key, body: { name: 'Referrer' } });
      const referral = {
        id: 'ref-1',
        clientId: 'referrer',
        type: 'referral',
        at: '2024-03-01',
        referredClientId: ERASED,
        note: 'brought a friend',
      };
      await postEvents(key, [
        { id: 'x-1', clientId: ERASED, type: 'outreach', at: '2024-01-01' },
        {
          id: 'x-2',
          clientId: ERASED,
          type: 'purchase',
          at: '2024-02-01',
          amount: 100,
          margin: 20,
          product: 'Plan',
        },
        {
          id: 'x-3',
          clientId: ERASED,
          type: 'contact',
          at: '2024-02-10',
          sentiment: 'negative',
          note: `spoke to ${NAME}`,
        },
        { id: 'x-4', clientId: ERASED, type: 'interest', at: '2024-02-12' },
        { id: 'r-1', clientId: 'referrer', type: 'purchase', at: '2024-02-01', amount: 50 },
        referral,
      ]);
      const session = await callJson('/v1/widget-sessions', {
        key,
        headers: { 'idempotency-key': 'card-for-x' },
        body: { scope: { clientId: ERASED } },
      });
      expect(session.status).toBe(201);
      expect(
        (await call(`/v1/clients/${ERASED}`, { key: session.body.token, origin: ORIGIN })).status,
      ).toBe(200);
      expect((await mentions([ERASED])).length).toBeGreaterThan(5);

      expect((await call(`/v1/clients/${ERASED}`, { method: 'DELETE', key })).status).toBe(204);

      expect(await mentions([ERASED, NAME, EMAIL])).toEqual([]);
      await expectProblem(await call(`/v1/clients/${ERASED}`, { key }), 404);
      await expectProblem(
        await call(`/v1/clients/${ERASED}`, { key: session.body.token, origin: ORIGIN }),
        401,
      );

      // The referrer keeps its referral (and its counts), minus whom it named; re-sending it stores nothing.
      const kept = await DATABASES[database]
        .prepare("SELECT body FROM events WHERE workspace_id = ?1 AND id = 'ref-1'")
        .bind(ws.id)
        .first<{ body: string }>();
      expect(JSON.parse(kept!.body)).toEqual({
        id: 'ref-1',
        clientId: 'referrer',
        type: 'referral',
        at: '2024-03-01T00:00:00.000Z',
        note: 'brought a friend',
      });
      expect((await callJson('/v1/clients/referrer', { key })).body.aggregates).toMatchObject({
        referrals: 1,
        orders: 1,
      });
      expect((await postEvents(key, [referral])).body).toEqual({ accepted: 0, duplicates: 1 });
      expect(await mentions([ERASED])).toEqual([]);
    },
  );

  it("touches no other workspace's client of the same id", async () => {
    const [a, b] = await Promise.all([createWorkspace(), createWorkspace()]);
    for (const ws of [a, b])
      await postEvents(ws.secretKey, [
        { id: 'same', clientId: 'twin', type: 'purchase', at: '2024-01-01', amount: 1 },
        {
          id: 'ref',
          clientId: 'other',
          type: 'referral',
          at: '2024-01-02',
          referredClientId: 'twin',
        },
      ]);
    await callJson('/v1/keys', {
      key: b.secretKey,
      headers: { 'idempotency-key': 'kept' },
      body: { kind: 'secret' },
    });
    expect((await call('/v1/clients/twin', { method: 'DELETE', key: a.secretKey })).status).toBe(
      204,
    );
    expect((await call('/v1/clients/twin', { key: b.secretKey })).status).toBe(200);
    const ref = await env.DB.prepare(
      "SELECT body FROM events WHERE workspace_id = ?1 AND id = 'ref'",
    )
      .bind(b.id)
      .first<{ body: string }>();
    expect(JSON.parse(ref!.body).referredClientId).toBe('twin');
    expect(
      await env.DB.prepare('SELECT COUNT(*) AS n FROM idempotency_keys WHERE scope = ?1')
        .bind(b.id)
        .first<{ n: number }>(),
    ).toEqual({ n: 1 });
  });
});
