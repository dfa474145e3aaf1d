import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, callJson, createWorkspace, expectProblem } from './helpers.ts';

const ORIGIN = 'https://shop.example';

describe('keys: create, list, revoke, rotate', () => {
  it('creates a key shown once; the list never shows keys or hashes', async () => {
    const ws = await createWorkspace();
    const created = await callJson('/v1/keys', {
      key: ws.secretKey,
      body: { kind: 'secret', label: 'billing server' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^key_/),
      kind: 'secret',
      label: 'billing server',
      revokedAt: null,
      key: expect.stringMatching(/^sk_/),
    });
    expect((await call('/v1/settings', { key: created.body.key })).status).toBe(200);

    const listed = await callJson('/v1/keys', { key: ws.secretKey });
    expect(listed.body.data.map((k: { kind: string }) => k.kind).sort()).toEqual([
      'publishable',
      'secret',
      'secret',
    ]);
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(created.body.key);
    expect(text).not.toContain(ws.secretKey);
    for (const row of listed.body.data)
      expect(Object.keys(row).sort()).toEqual(['createdAt', 'id', 'kind', 'label', 'revokedAt']);
    const stored = await env.DB.prepare('SELECT key_hash FROM api_keys WHERE id = ?1')
      .bind(created.body.id)
      .first<{ key_hash: string }>();
    expect(stored?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.key_hash).not.toContain(created.body.key.slice(3));
  });

  it('refuses a revoked key from the very next request, and widget sessions it minted', async () => {
    const ws = await createWorkspace({ allowedOrigins: [ORIGIN] });
    const second = await callJson('/v1/keys', { key: ws.secretKey, body: { kind: 'secret' } });
    const session = await callJson('/v1/widget-sessions', { key: second.body.key, body: {} });
    expect(
      (await call('/v1/lifecycle/funnel', { key: session.body.token, origin: ORIGIN })).status,
    ).toBe(200);
    const revoked = await callJson(`/v1/keys/${second.body.id}`, {
      method: 'DELETE',
      key: ws.secretKey,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    await expectProblem(await call('/v1/settings', { key: second.body.key }), 401);
    await expectProblem(
      await call('/v1/lifecycle/funnel', { key: session.body.token, origin: ORIGIN }),
      401,
    );
    // Revoking again answers the same revoked key.
    const again = await callJson(`/v1/keys/${second.body.id}`, {
      method: 'DELETE',
      key: ws.secretKey,
    });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
  });

  it('rotates a publishable key: create, switch, revoke the old one', async () => {
    const ws = await createWorkspace({ allowedOrigins: [ORIGIN] });
    const fresh = await callJson('/v1/keys', {
      key: ws.secretKey,
      body: { kind: 'publishable', label: 'rotated' },
    });
    expect(fresh.body.key).toMatch(/^pk_/);
    const old = (await callJson('/v1/keys', { key: ws.secretKey })).body.data.find(
      (k: { kind: string; id: string }) => k.kind === 'publishable' && k.id !== fresh.body.id,
    );
    await callJson(`/v1/keys/${old.id}`, { method: 'DELETE', key: ws.secretKey });
    await expectProblem(
      await call('/v1/lifecycle/funnel', { key: ws.publishableKey, origin: ORIGIN }),
      401,
    );
    expect(
      (await call('/v1/lifecycle/funnel', { key: fresh.body.key, origin: ORIGIN })).status,
    ).toBe(200);
  });

  it('refuses to revoke the last active secret key, even under concurrent revocations', async () => {
    const ws = await createWorkspace();
    const list = async () =>
      (await callJson('/v1/keys', { key: ws.secretKey })).body.data as {
        id: string;
        kind: string;
        revokedAt: string | null;
      }[];
    const first = (await list()).find((k) => k.kind === 'secret')!;
    await expectProblem(
      await call(`/v1/keys/${first.id}`, { method: 'DELETE', key: ws.secretKey }),
      409,
      ['id'],
    );

    const second = await callJson('/v1/keys', { key: ws.secretKey, body: { kind: 'secret' } });
    const results = await Promise.all(
      [first.id, second.body.id].map((id) =>
        call(`/v1/keys/${id}`, { method: 'DELETE', key: second.body.key }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(
      (
        await env.DB.prepare(
          "SELECT COUNT(*) AS n FROM api_keys WHERE workspace_id = ?1 AND kind = 'secret' AND revoked_at IS NULL",
        )
          .bind(ws.id)
          .first<{ n: number }>()
      )?.n,
    ).toBe(1);
  });

  it.each([
    ['an unknown kind', { kind: 'master' }, ['kind']],
    ['a restricted key without its scope', { kind: 'restricted' }, ['scope']],
    ['an unknown field', { kind: 'secret', scopes: ['*'] }, ['scopes']],
    ['an empty label', { kind: 'secret', label: '' }, ['label']],
    ['a label of 201 characters', { kind: 'publishable', label: 'x'.repeat(201) }, ['label']],
  ])('refuses %s with a 400 naming the field', async (_name, body, paths) => {
    const ws = await createWorkspace();
    await expectProblem(await call('/v1/keys', { key: ws.secretKey, body }), 400, paths);
  });

  it("keeps keys to their workspace: another workspace's key id is 404, a publishable key is 403", async () => {
    const a = await createWorkspace({ allowedOrigins: [ORIGIN] });
    const b = await createWorkspace();
    const aKey = (await callJson('/v1/keys', { key: a.secretKey })).body.data[0];
    await expectProblem(
      await call(`/v1/keys/${aKey.id}`, { method: 'DELETE', key: b.secretKey }),
      404,
    );
    expect(
      (await callJson('/v1/keys', { key: b.secretKey })).body.data.map((k: { id: string }) => k.id),
    ).not.toContain(aKey.id);
    await expectProblem(await call('/v1/keys', { key: a.publishableKey, origin: ORIGIN }), 403);
    await expectProblem(
      await call('/v1/keys', { key: a.publishableKey, origin: ORIGIN, body: { kind: 'secret' } }),
      403,
    );
    await expectProblem(
      await call('/v1/keys/not-a-key-id', { method: 'DELETE', key: a.secretKey }),
      400,
      ['id'],
    );
    expect(
      (await callJson('/v1/keys', { key: a.secretKey })).body.data.every(
        (k: { revokedAt: null }) => k.revokedAt === null,
      ),
    ).toBe(true);
  });

  it('refuses a secret key sent with a browser Origin, even on key routes', async () => {
    const ws = await createWorkspace({ allowedOrigins: [ORIGIN] });
    await expectProblem(await call('/v1/keys', { key: ws.secretKey, origin: ORIGIN }), 403);
  });
});
