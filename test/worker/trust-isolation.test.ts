import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteSpec } from '../../worker/route.ts';
import { routes } from '../../worker/routes/index.ts';
import {
  ADMIN,
  call,
  callJson,
  createWorkspace,
  expectProblem,
  postEvents,
  type Workspace,
} from './helpers.ts';

/**
 * Tenant isolation over every route the API serves (new routes are picked up automatically):
 * workspace B's keys aimed at workspace A's objects never see, change or confirm A's data, and a
 * publishable key or widget session never reaches a route that needs a secret key.
 */

const ORIGIN = 'https://portal.example';
const MARKERS = ['TENANT-A-NAME-7c1e', 'TENANT-A-NOTE-52d9', 'TENANT-A-TAG-0b8f'];
let a: Workspace;
let b: Workspace;
let aKeyId: string;
let aWebhookId: string;

const keyed = routes.filter(
  (r): r is RouteSpec & { access: { keys: readonly string[] } } => typeof r.access === 'object',
);
const secretOnly = keyed.filter((r) => !r.access.keys.includes('publishable'));
const widget = keyed.filter((r) => r.access.keys.includes('publishable'));
const label = (r: RouteSpec) => `${r.method} ${r.path}`;

/** A's object for each path parameter: its key under /v1/keys, its webhook under /v1/webhooks, else its client. */
const pathFor = (r: RouteSpec) =>
  r.path.replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent(
      r.path.startsWith('/v1/keys')
        ? aKeyId
        : r.path.startsWith('/v1/webhooks')
          ? name === 'id'
            ? aWebhookId
            : 'msg_0000000000000tenanta'
          : 'tenant-a-client',
    ),
  );
const hasParams = (r: RouteSpec) => r.path.includes(':');
const request = (r: RouteSpec, key: string, origin?: string) =>
  call(pathFor(r), {
    method: r.method,
    key,
    origin,
    ...(r.body ? { body: r.examples?.body ?? {} } : {}),
    ...(r.bodyMediaType
      ? {
          contentType: r.bodyMediaType,
          raw: typeof r.examples?.body === 'string' ? r.examples.body : '',
        }
      : {}),
  });

async function snapshotOf(workspaceId: string): Promise<string> {
  const tables = (
    await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name",
    ).all<{ name: string }>()
  ).results;
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const columns = (
      await env.DB.prepare(`SELECT name FROM pragma_table_info('${name}')`).all<{ name: string }>()
    ).results.map((c) => c.name);
    const column = columns.includes('workspace_id')
      ? 'workspace_id'
      : columns.includes('scope')
        ? 'scope'
        : name === 'workspaces'
          ? 'id'
          : null;
    if (column)
      out[name] = (
        await env.DB.prepare(`SELECT * FROM ${name} WHERE ${column} = ?1 ORDER BY 1, 2`)
          .bind(workspaceId)
          .all()
      ).results;
  }
  return JSON.stringify(out);
}

beforeAll(async () => {
  a = await createWorkspace({ allowedOrigins: [ORIGIN] });
  b = await createWorkspace({ allowedOrigins: [ORIGIN] });
  await call('/v1/clients/tenant-a-client', {
    method: 'PUT',
    key: a.secretKey,
    body: { name: MARKERS[0], tags: [MARKERS[2]] },
  });
  await postEvents(a.secretKey, [
    {
      id: 'a-ev-1',
      clientId: 'tenant-a-client',
      type: 'purchase',
      at: '2024-03-01',
      amount: 777,
      note: MARKERS[1],
    },
    {
      id: 'a-ev-2',
      clientId: 'tenant-a-client',
      type: 'contact',
      at: '2024-03-05',
      sentiment: 'positive',
    },
  ]);
  aKeyId = (await callJson('/v1/keys', { key: a.secretKey })).body.data[0].id;
  aWebhookId = (
    await callJson('/v1/webhooks', {
      key: a.secretKey,
      body: { url: 'https://hooks.example.com/a', events: ['client.stage_changed'] },
    })
  ).body.id;
});

describe('tenant isolation on every endpoint', () => {
  it("B's secret key never reads, changes or confirms A's objects", async () => {
    const before = await snapshotOf(a.id);
    // Reads and deletes first: B's own writes (PUT creates B's own client of that id) would mask them.
    const rank = (r: RouteSpec) => (r.method === 'GET' ? 0 : r.method === 'DELETE' ? 1 : 2);
    const ordered = [...keyed].sort((x, y) => rank(x) - rank(y));
    for (const r of ordered.filter((x) => x.access.keys.includes('secret'))) {
      const res = await request(r, b.secretKey);
      const text = await res.text();
      expect(res.status, label(r)).toBeLessThan(500);
      // A 404 may echo the id the caller sent; anything else of A's is a leak.
      const markers = [
        ...MARKERS,
        a.id,
        ...[aKeyId, aWebhookId].filter((id) => !pathFor(r).includes(id)),
      ];
      for (const marker of markers)
        expect(text, `${label(r)} leaks ${marker}`).not.toContain(marker);
      if (hasParams(r) && (r.method === 'GET' || r.method === 'DELETE'))
        expect(res.status, label(r)).toBe(404);
    }
    expect(await snapshotOf(a.id)).toBe(before);
    const list = await callJson('/v1/clients', { key: b.secretKey });
    expect(list.body.data.map((c: { name: string }) => c.name)).not.toContain(MARKERS[0]);
  });

  it("B's publishable key and widget sessions never reach A's data either", async () => {
    // A workspace of its own: B has by now written a client of the same id as A's.
    const c = await createWorkspace({ allowedOrigins: [ORIGIN] });
    const session = (await callJson('/v1/widget-sessions', { key: c.secretKey, body: {} })).body
      .token as string;
    for (const key of [c.publishableKey, session]) {
      for (const r of widget) {
        const res = await request(r, key, ORIGIN);
        const text = await res.text();
        expect(res.status, label(r)).toBeLessThan(500);
        for (const marker of [...MARKERS, a.id])
          expect(text, `${label(r)} leaks ${marker}`).not.toContain(marker);
        if (hasParams(r)) expect(res.status, label(r)).toBe(404);
      }
    }
    const funnel = await callJson('/v1/lifecycle/funnel', {
      key: c.publishableKey,
      origin: ORIGIN,
    });
    expect(funnel.body.total).toBe(0);
  });

  it('a publishable key or widget session on any secret-only route is 403, even of the same workspace', async () => {
    const session = (await callJson('/v1/widget-sessions', { key: a.secretKey, body: {} })).body
      .token as string;
    expect(secretOnly.length).toBeGreaterThan(5);
    for (const key of [a.publishableKey, session]) {
      for (const r of secretOnly) await expectProblem(await request(r, key, ORIGIN), 403);
    }
  });

  it('no key is 401 and a key on the admin route is 403, on every route that needs one', async () => {
    for (const r of routes.filter((x) => x.access !== 'public'))
      await expectProblem(await request(r, ''), 401);
    for (const r of routes.filter((x) => x.access === 'admin')) {
      await expectProblem(await request(r, a.secretKey), 403);
      await expectProblem(await request(r, a.publishableKey, ORIGIN), 403);
    }
  });

  it("A's own publishable key is refused from an origin only B allows", async () => {
    const c = await createWorkspace({ allowedOrigins: ['https://only-c.example'] });
    await expectProblem(
      await call('/v1/lifecycle/funnel', {
        key: a.publishableKey,
        origin: 'https://only-c.example',
      }),
      403,
    );
    expect(
      (
        await call('/v1/lifecycle/funnel', {
          key: c.publishableKey,
          origin: 'https://only-c.example',
        })
      ).status,
    ).toBe(200);
    await expectProblem(
      await call('/v1/workspaces', {
        key: ADMIN,
        body: { name: 'x', allowedOrigins: ['https://x.example/path'] },
      }),
      400,
      ['allowedOrigins.0'],
    );
  });
});
