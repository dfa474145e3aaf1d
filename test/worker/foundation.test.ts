import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  call,
  callJson,
  createWorkspace,
  expectProblem,
  postEvents,
  tableCounts,
} from './helpers.ts';

describe('health and routing', () => {
  it('answers health without a key', async () => {
    const { status, body } = await callJson('/v1/health');
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true });
  });
  it('unknown route is a 404 problem, wrong method a 405 with Allow', async () => {
    await expectProblem(await call('/v1/nothing-here'), 404);
    const res = await call('/v1/health', { method: 'DELETE' });
    expect(res.headers.get('allow')).toBe('GET');
    await expectProblem(res, 405);
  });
});

describe('workspaces and keys', () => {
  it('creates a workspace with keys shown once', async () => {
    const ws = await createWorkspace({ allowedOrigins: ['https://intranet.example.com'] });
    expect(ws.secretKey).toMatch(/^sk_/);
    expect(ws.publishableKey).toMatch(/^pk_/);
    const { body } = await callJson('/v1/settings', { key: ws.secretKey });
    expect(body.lifecycle.model).toBe('portfolio');
  });
  it('refuses to create a workspace without the admin token', async () => {
    await expectProblem(await call('/v1/workspaces', { body: { name: 'x' } }), 401);
    await expectProblem(await call('/v1/workspaces', { key: 'wrong', body: { name: 'x' } }), 401);
    const ws = await createWorkspace();
    await expectProblem(
      await call('/v1/workspaces', { key: ws.secretKey, body: { name: 'x' } }),
      403,
    );
  });
  it('a wrong key is 401, a publishable key on a secret route is 403', async () => {
    await expectProblem(await call('/v1/settings', { key: 'sk_nope' }), 401);
    await expectProblem(await call('/v1/settings'), 401);
    const ws = await createWorkspace({ allowedOrigins: ['https://a.example'] });
    await expectProblem(
      await call('/v1/settings', { key: ws.publishableKey, origin: 'https://a.example' }),
      403,
    );
  });
  it('a publishable key reads the funnel only from an allowed origin, with CORS headers', async () => {
    const ws = await createWorkspace({ allowedOrigins: ['https://a.example'] });
    const ok = await call('/v1/lifecycle/funnel', {
      key: ws.publishableKey,
      origin: 'https://a.example',
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(ok.headers.get('vary')).toContain('Origin');
    const bad = await call('/v1/lifecycle/funnel', {
      key: ws.publishableKey,
      origin: 'https://evil.example',
    });
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    await expectProblem(bad, 403);
  });
  it('answers a preflight only for a known origin', async () => {
    await createWorkspace({ allowedOrigins: ['https://a.example'] });
    const known = await call('/v1/lifecycle/funnel', {
      method: 'OPTIONS',
      origin: 'https://a.example',
    });
    expect(known.status).toBe(204);
    expect(known.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(known.headers.get('access-control-allow-headers')).toContain('authorization');
    const unknown = await call('/v1/lifecycle/funnel', {
      method: 'OPTIONS',
      origin: 'https://evil.example',
    });
    expect(unknown.headers.get('access-control-allow-origin')).toBeNull();
  });
  it('validates workspace creation and names the fields', async () => {
    const before = await tableCounts();
    const res = await call('/v1/workspaces', {
      key: 'test-admin-token',
      body: {
        name: '',
        allowedOrigins: ['not an origin'],
        settings: { lifecycle: { model: 'x' } },
      },
    });
    await expectProblem(res, 400, ['name', 'allowedOrigins.0', 'settings.lifecycle.model']);
    expect(await tableCounts()).toEqual(before);
  });
});

describe('settings', () => {
  it('merges a patch, validates the whole, and names the field on error', async () => {
    const ws = await createWorkspace();
    const { status, body } = await callJson('/v1/settings', {
      method: 'PATCH',
      key: ws.secretKey,
      body: { lifecycle: { sleepingAfterDays: 60 } },
    });
    expect(status).toBe(200);
    expect(body.lifecycle).toMatchObject({
      sleepingAfterDays: 60,
      lostAfterDays: 365,
      model: 'portfolio',
    });
    await expectProblem(
      await call('/v1/settings', {
        method: 'PATCH',
        key: ws.secretKey,
        body: { lifecycle: { lostAfterDays: 30 } },
      }),
      400,
      ['lifecycle.lostAfterDays'],
    );
    await expectProblem(
      await call('/v1/settings', {
        method: 'PATCH',
        key: ws.secretKey,
        body: { lifecycle: { nope: 1 } },
      }),
      400,
      ['lifecycle.nope'],
    );
    const after = await callJson('/v1/settings', { key: ws.secretKey });
    expect(after.body.lifecycle.sleepingAfterDays).toBe(60);
  });
});

describe('events', () => {
  const batch = (prefix: string) => [
    { id: `${prefix}-1`, clientId: 'acme', type: 'outreach', at: '2024-01-01' },
    { id: `${prefix}-2`, clientId: 'acme', type: 'response', at: '2024-01-03' },
    { id: `${prefix}-3`, clientId: 'acme', type: 'purchase', at: '2024-02-01', amount: 120 },
    {
      id: `${prefix}-4`,
      clientId: 'globex',
      type: 'purchase',
      at: '2024-02-02T10:00:00+03:00',
      amount: 50,
      margin: 10,
    },
  ];

  it('stores a batch, and the same batch again stores nothing and reports duplicates', async () => {
    const ws = await createWorkspace();
    expect((await postEvents(ws.secretKey, batch('a'))).body).toEqual({
      accepted: 4,
      duplicates: 0,
    });
    const before = await tableCounts();
    expect((await postEvents(ws.secretKey, batch('a'))).body).toEqual({
      accepted: 0,
      duplicates: 4,
    });
    expect(await tableCounts()).toEqual(before);
  });

  it('a batch with one invalid event stores nothing and names the field', async () => {
    const ws = await createWorkspace();
    const before = await tableCounts();
    const events = [
      ...batch('b'),
      { id: 'b-5', clientId: 'acme', type: 'purchase', at: '2024-03-01', amount: -5 },
    ];
    const res = await call('/v1/events', { key: ws.secretKey, body: { events } });
    await expectProblem(res, 400, ['events.4.amount']);
    expect(await tableCounts()).toEqual(before);
  });

  it('an event id re-sent with other content is a conflict naming it; nothing stored', async () => {
    const ws = await createWorkspace();
    await postEvents(ws.secretKey, batch('c'));
    const before = await tableCounts();
    const res = await call('/v1/events', {
      key: ws.secretKey,
      body: {
        events: [
          { id: 'c-new', clientId: 'x', type: 'outreach', at: '2024-01-01' },
          { ...batch('c')[2], amount: 999 },
        ],
      },
    });
    await expectProblem(res, 409, ['events.1.id']);
    expect(await tableCounts()).toEqual(before);
  });

  it.each([
    ['empty batch', { events: [] }, ['events']],
    [
      'too many events',
      {
        events: Array.from({ length: 1001 }, (_, i) => ({
          id: `e${i}`,
          clientId: 'c',
          type: 'outreach',
          at: '2024-01-01',
        })),
      },
      ['events'],
    ],
    [
      'unknown type',
      { events: [{ id: 'e', clientId: 'c', type: 'dance', at: '2024-01-01' }] },
      ['events.0.type'],
    ],
    [
      'bad date',
      { events: [{ id: 'e', clientId: 'c', type: 'outreach', at: '2024-13-45' }] },
      ['events.0.at'],
    ],
    [
      'missing amount',
      { events: [{ id: 'e', clientId: 'c', type: 'purchase', at: '2024-01-01' }] },
      ['events.0.amount'],
    ],
    [
      'unknown field',
      { events: [{ id: 'e', clientId: 'c', type: 'outreach', at: '2024-01-01', colour: 'red' }] },
      ['events.0.colour'],
    ],
    [
      'empty id',
      { events: [{ id: '', clientId: 'c', type: 'outreach', at: '2024-01-01' }] },
      ['events.0.id'],
    ],
    [
      'stage outside the model',
      {
        events: [
          { id: 'e', clientId: 'c', type: 'stage_override', at: '2024-01-01', stage: 'loyalty' },
        ],
      },
      ['events.0.stage'],
    ],
  ])('%s is a 400 naming the field', async (_name, body, paths) => {
    const ws = await createWorkspace();
    await expectProblem(await call('/v1/events', { key: ws.secretKey, body }), 400, paths);
  });

  it('bad JSON, wrong content type and oversized bodies are 4xx problems', async () => {
    const ws = await createWorkspace();
    await expectProblem(await call('/v1/events', { key: ws.secretKey, raw: '{"events": [' }), 400);
    await expectProblem(
      await call('/v1/events', { key: ws.secretKey, raw: '{}', contentType: 'text/plain' }),
      415,
    );
    await expectProblem(
      await call('/v1/events', {
        key: ws.secretKey,
        raw: JSON.stringify({
          events: [
            {
              id: 'e',
              clientId: 'c',
              type: 'outreach',
              at: '2024-01-01',
              note: 'x'.repeat(1_100_000),
            },
          ],
        }),
      }),
      413,
    );
  });

  it('an event for an unknown client creates it; its stage follows the events', async () => {
    const ws = await createWorkspace();
    await postEvents(ws.secretKey, batch('d'));
    const { status, body } = await callJson('/v1/clients/acme/history?asOf=2024-02-15', {
      key: ws.secretKey,
    });
    expect(status).toBe(200);
    expect(body.stage).toBe('developing');
    expect(body.stages.map((s: { stage: string }) => s.stage)).toEqual([
      'prospect',
      'potential',
      'developing',
    ]);
    expect(body.milestones.map((m: { kind: string }) => m.kind)).toEqual(['deal_purchase']);
  });

  it('out-of-order arrival gives the same stages', async () => {
    const events = [
      { id: 'o1', clientId: 'c', type: 'outreach', at: '2023-01-01' },
      { id: 'o2', clientId: 'c', type: 'meeting', at: '2023-01-10' },
      { id: 'o3', clientId: 'c', type: 'purchase', at: '2023-02-01', amount: 10 },
      { id: 'o4', clientId: 'c', type: 'purchase', at: '2023-03-01', amount: 10 },
      { id: 'o5', clientId: 'c', type: 'purchase', at: '2023-04-01', amount: 10 },
      { id: 'o6', clientId: 'c', type: 'purchase', at: '2023-12-01', amount: 10 },
    ];
    const inOrder = await createWorkspace();
    for (const e of events) await postEvents(inOrder.secretKey, [e]);
    const shuffled = await createWorkspace();
    for (const e of [events[5], events[2], events[0], events[4], events[1], events[3]])
      await postEvents(shuffled.secretKey, [e]);
    const a = await callJson('/v1/clients/c/history', { key: inOrder.secretKey });
    const b = await callJson('/v1/clients/c/history', { key: shuffled.secretKey });
    expect(b.body.stages).toEqual(a.body.stages);
    expect(a.body.stages.map((s: { stage: string }) => s.stage)).toContain('sleeping');
  });
});

describe('clients', () => {
  it('PUT creates then updates; GET shows the profile; another workspace gets 404', async () => {
    const ws = await createWorkspace();
    const created = await callJson('/v1/clients/acme', {
      method: 'PUT',
      key: ws.secretKey,
      body: { name: 'Acme', attributes: { channel: 'web', size: 'large' }, tags: ['x'] },
    });
    expect(created.status).toBe(201);
    const updated = await callJson('/v1/clients/acme', {
      method: 'PUT',
      key: ws.secretKey,
      body: { acquisitionCost: 300 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'Acme',
      attributes: { channel: 'web' },
      acquisitionCost: 300,
    });
    await postEvents(ws.secretKey, [
      { id: 'p1', clientId: 'acme', type: 'purchase', at: new Date().toISOString(), amount: 200 },
    ]);
    const profile = await callJson('/v1/clients/acme', { key: ws.secretKey });
    expect(profile.body).toMatchObject({
      id: 'acme',
      name: 'Acme',
      stage: 'developing',
      aggregates: { orders: 1, revenue: 200 },
    });
    expect(profile.body.recentEvents).toHaveLength(1);
    const other = await createWorkspace();
    await expectProblem(await call('/v1/clients/acme', { key: other.secretKey }), 404);
    await expectProblem(await call('/v1/clients/acme/history', { key: other.secretKey }), 404);
    await expectProblem(
      await call('/v1/clients/acme', { method: 'DELETE', key: other.secretKey }),
      404,
    );
  });

  it('validates PUT bodies and ids', async () => {
    const ws = await createWorkspace();
    await expectProblem(
      await call('/v1/clients/acme', {
        method: 'PUT',
        key: ws.secretKey,
        body: { name: 5, acquisitionCost: -1 },
      }),
      400,
      ['name', 'acquisitionCost'],
    );
    await expectProblem(
      await call(`/v1/clients/${'x'.repeat(129)}`, { method: 'PUT', key: ws.secretKey, body: {} }),
      400,
      ['id'],
    );
  });

  it('lists with cursor pagination, filters by stage, refuses a tampered cursor', async () => {
    const ws = await createWorkspace();
    const now = Date.now();
    const events = Array.from({ length: 7 }, (_, i) => ({
      id: `l${i}`,
      clientId: `client-${i}`,
      type: i < 3 ? 'outreach' : 'purchase',
      at: new Date(now - 1000).toISOString(),
      ...(i >= 3 && { amount: 5 }),
    }));
    await postEvents(ws.secretKey, events);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const { body } = await callJson(`/v1/clients?limit=3${q}`, { key: ws.secretKey });
      seen.push(...body.data.map((c: { id: string }) => c.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(events.map((e) => e.clientId));
    const prospects = await callJson('/v1/clients?stage=prospect', { key: ws.secretKey });
    expect(prospects.body.data.map((c: { id: string }) => c.id)).toEqual([
      'client-0',
      'client-1',
      'client-2',
    ]);
    const first = await callJson('/v1/clients?limit=2', { key: ws.secretKey });
    const tampered = `${first.body.nextCursor.slice(0, -2)}AA`;
    await expectProblem(
      await call(`/v1/clients?cursor=${encodeURIComponent(tampered)}`, { key: ws.secretKey }),
      400,
      ['cursor'],
    );
    const other = await createWorkspace();
    await expectProblem(
      await call(`/v1/clients?cursor=${encodeURIComponent(first.body.nextCursor)}`, {
        key: other.secretKey,
      }),
      400,
      ['cursor'],
    );
    await expectProblem(await call('/v1/clients?limit=0', { key: ws.secretKey }), 400, ['limit']);
    await expectProblem(await call('/v1/clients?stage=nirvana', { key: ws.secretKey }), 400, [
      'stage',
    ]);
  });

  it('DELETE erases the client, its events and everything derived', async () => {
    const ws = await createWorkspace();
    await postEvents(ws.secretKey, [
      { id: 'd1', clientId: 'gone', type: 'purchase', at: '2024-01-01', amount: 10 },
      { id: 'd2', clientId: 'kept', type: 'purchase', at: '2024-01-01', amount: 10 },
    ]);
    const res = await call('/v1/clients/gone', { method: 'DELETE', key: ws.secretKey });
    expect(res.status).toBe(204);
    await expectProblem(await call('/v1/clients/gone', { key: ws.secretKey }), 404);
    for (const table of ['events', 'client_aggregates', 'client_periods', 'stage_spells']) {
      const gone = await env.DB.prepare(
        `SELECT COUNT(*) AS n FROM ${table} WHERE workspace_id = ?1 AND client_id = ?2`,
      )
        .bind(ws.id, 'gone')
        .first<{ n: number }>();
      const kept = await env.DB.prepare(
        `SELECT COUNT(*) AS n FROM ${table} WHERE workspace_id = ?1 AND client_id = ?2`,
      )
        .bind(ws.id, 'kept')
        .first<{ n: number }>();
      expect([table, gone?.n]).toEqual([table, 0]);
      expect(kept?.n, table).toBeGreaterThan(0);
    }
  });
});
