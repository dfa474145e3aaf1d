import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  callJson,
  createWorkspace,
  expectProblem,
  postEvents,
  type Workspace,
} from './helpers.ts';

const ORIGIN = 'https://intranet.example';
let ws: Workspace;

const mint = async (body: Record<string, unknown> = {}) => {
  const res = await callJson('/v1/widget-sessions', { key: ws.secretKey, body });
  expect(res.status).toBe(201);
  return res.body as {
    id: string;
    token: string;
    expiresAt: string;
    scope: Record<string, string>;
  };
};
const read = (path: string, token: string, origin: string | null = ORIGIN) =>
  call(path, { key: token, origin: origin ?? undefined });

beforeAll(async () => {
  ws = await createWorkspace({ allowedOrigins: [ORIGIN] });
  for (const [id, manager] of [
    ['acme', 'olga'],
    ['globex', 'ivan'],
    ['initech', 'olga'],
  ] as const) {
    await call(`/v1/clients/${id}`, {
      method: 'PUT',
      key: ws.secretKey,
      body: { name: id.toUpperCase(), attributes: { manager } },
    });
  }
  await postEvents(ws.secretKey, [
    { id: 'e1', clientId: 'acme', type: 'purchase', at: '2024-01-01', amount: 10 },
  ]);
});

describe('widget sessions', () => {
  it('mints a wst_ token with a 15-minute default lifetime, stored only as a hash', async () => {
    const before = Date.now();
    const s = await mint();
    expect(s.token).toMatch(/^wst_[A-Za-z0-9_-]{32}$/);
    const ttl = Date.parse(s.expiresAt) - before;
    expect(ttl).toBeGreaterThan(899_000);
    expect(ttl).toBeLessThan(901_000);
    const rows = await env.DB.prepare('SELECT * FROM widget_sessions WHERE id = ?1')
      .bind(s.id)
      .all();
    expect(JSON.stringify(rows.results)).not.toContain(s.token.slice(4));
  });

  it('reads what a publishable key reads, only from an allowed origin', async () => {
    const { token } = await mint();
    expect((await read('/v1/lifecycle/funnel', token)).status).toBe(200);
    expect((await read('/v1/clients/acme', token)).status).toBe(200);
    const ok = await read('/v1/clients/acme', token);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    await expectProblem(await read('/v1/lifecycle/funnel', token, 'https://evil.example'), 403);
    await expectProblem(await read('/v1/lifecycle/funnel', token, null), 403);
  });

  it('is refused on every route that needs a secret key', async () => {
    const { token } = await mint();
    await expectProblem(await read('/v1/settings', token), 403);
    await expectProblem(await read('/v1/clients', token), 403);
    await expectProblem(await read('/v1/clients/acme/history', token), 403);
    await expectProblem(
      await call('/v1/events', {
        key: token,
        origin: ORIGIN,
        body: { events: [{ id: 'x', clientId: 'acme', type: 'outreach', at: '2024-01-01' }] },
      }),
      403,
    );
    await expectProblem(
      await call('/v1/widget-sessions', { key: token, origin: ORIGIN, body: {} }),
      403,
    );
    await expectProblem(
      await call('/v1/clients/acme', { method: 'DELETE', key: token, origin: ORIGIN }),
      403,
    );
  });

  it('scoped to one client: that client only; any other is 404 and portfolio reads are 403', async () => {
    const s = await mint({ scope: { clientId: 'acme' } });
    expect(s.scope).toEqual({ clientId: 'acme' });
    const own = await read('/v1/clients/acme', s.token);
    expect(own.status).toBe(200);
    expect((await own.json<{ id: string }>()).id).toBe('acme');
    const other = await expectProblem(await read('/v1/clients/globex', s.token), 404);
    const missing = await expectProblem(await read('/v1/clients/no-such-client', s.token), 404);
    expect(other.detail.replace('globex', 'X')).toBe(missing.detail.replace('no-such-client', 'X'));
    await expectProblem(await read('/v1/lifecycle/funnel', s.token), 403);
  });

  it("scoped to one manager: that manager's clients only", async () => {
    const { token } = await mint({ scope: { manager: 'olga' } });
    expect((await read('/v1/clients/acme', token)).status).toBe(200);
    expect((await read('/v1/clients/initech', token)).status).toBe(200);
    await expectProblem(await read('/v1/clients/globex', token), 404);
    await expectProblem(await read('/v1/lifecycle/funnel', token), 403);
  });

  it('expires', async () => {
    const s = await mint({ ttlSeconds: 60 });
    expect((await read('/v1/lifecycle/funnel', s.token)).status).toBe(200);
    await env.DB.prepare('UPDATE widget_sessions SET expires_at = ?2 WHERE id = ?1')
      .bind(s.id, new Date(Date.now() - 1).toISOString())
      .run();
    await expectProblem(await read('/v1/lifecycle/funnel', s.token), 401);
  });

  it('is unknown to another workspace and to forged tokens', async () => {
    const other = await createWorkspace({ allowedOrigins: [ORIGIN] });
    const theirs = await callJson('/v1/widget-sessions', { key: other.secretKey, body: {} });
    const res = await read('/v1/clients/acme', theirs.body.token);
    await expectProblem(res, 404);
    await expectProblem(
      await read('/v1/lifecycle/funnel', 'wst_forgedforgedforgedforgedforged'),
      401,
    );
  });

  it.each([
    ['a lifetime over 24 hours', { ttlSeconds: 86_401 }, ['ttlSeconds']],
    ['a lifetime under a minute', { ttlSeconds: 59 }, ['ttlSeconds']],
    ['a fractional lifetime', { ttlSeconds: 90.5 }, ['ttlSeconds']],
    ['both scopes at once', { scope: { manager: 'olga', clientId: 'acme' } }, ['scope']],
    ['an unknown field', { scope: { clientId: 'acme' }, admin: true }, ['admin']],
  ])('refuses %s', async (_name, body, paths) => {
    await expectProblem(await call('/v1/widget-sessions', { key: ws.secretKey, body }), 400, paths);
  });

  it('refuses a client scope naming no client of the workspace', async () => {
    await expectProblem(
      await call('/v1/widget-sessions', {
        key: ws.secretKey,
        body: { scope: { clientId: 'ghost' } },
      }),
      404,
      ['scope.clientId'],
    );
  });

  it('sweeps expired sessions of the workspace when minting', async () => {
    const s = await mint();
    await env.DB.prepare('UPDATE widget_sessions SET expires_at = ?2 WHERE id = ?1')
      .bind(s.id, '2020-01-01T00:00:00.000Z')
      .run();
    await mint();
    expect(
      await env.DB.prepare('SELECT id FROM widget_sessions WHERE id = ?1').bind(s.id).first(),
    ).toBeNull();
  });
});
