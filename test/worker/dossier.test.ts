import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../worker/crypto.ts';
import { findKeyByHash, insertKeyStatement } from '../../worker/db/keys.ts';
import { mintKey } from '../../worker/keys.ts';
import {
  call,
  callJson,
  createWorkspace,
  expectProblem,
  postEvents,
  type Workspace,
} from './helpers.ts';

/**
 * The key-client dossier: who may read and write it (secret key; restricted key of the client's
 * manager or of their supervisor; nobody else), its validation, its 90-day review on the work list,
 * and lead qualification on the client.
 */

const ORIGIN = 'https://intranet.example';
let ws: Workspace;
const keys: Record<string, string> = {};

async function restrictedKey(scope: Record<string, unknown>): Promise<string> {
  const minted = await mintKey(ws.id, 'restricted', new Date().toISOString(), {
    scope,
    label: 'test',
  });
  await insertKeyStatement(env.DB, minted.row, minted.hash).run();
  return minted.plain;
}

const dossier = {
  decisionMakers: [
    { name: 'Olga Petrova', role: 'CFO', influence: 'decides', attitude: 'supporter' },
  ],
  needs: ['Deliveries without stock-outs'],
  business: 'Retail chain, 40 stores',
  plans: 'Ten more stores in 2026',
  competitors: [{ name: 'Nord Supply', activity: 'Offered 7% off' }],
  history: [{ at: '2024-05-01', text: 'First order' }],
  opportunities: [{ text: 'Supply the new stores', value: 120000 }],
  relationship: [
    { criterion: 'Delivery on time', score: 4 },
    { criterion: 'Price', score: 2 },
  ],
  qualification: {
    need: { met: true },
    abilityToPay: { met: true },
    authority: { met: null, note: 'Board above 1M' },
  },
  reviewedAt: '2025-01-10T00:00:00Z',
};

const put = (id: string, body: unknown, key = ws.secretKey) =>
  callJson(`/v1/clients/${id}/dossier`, { method: 'PUT', key, body });
const get = (id: string, key = ws.secretKey, origin?: string) =>
  call(`/v1/clients/${id}/dossier`, { key, origin });

beforeAll(async () => {
  ws = await createWorkspace({
    allowedOrigins: [ORIGIN],
    settings: { actions: { supervisors: { irina: ['anna'], oleg: ['boris'] } } },
  });
  await call('/v1/clients/acme', {
    method: 'PUT',
    key: ws.secretKey,
    body: { name: 'Acme', attributes: { manager: 'anna' } },
  });
  await call('/v1/clients/globex', {
    method: 'PUT',
    key: ws.secretKey,
    body: { name: 'Globex', attributes: { manager: 'boris' } },
  });
  await call('/v1/clients/lead', {
    method: 'PUT',
    key: ws.secretKey,
    body: {
      name: 'Lead Ltd',
      attributes: { manager: 'anna', email: 'buy@lead.example', wishToBuy: true, budget: 5000 },
    },
  });
  await postEvents(ws.secretKey, [
    { id: 'acme-1', clientId: 'acme', type: 'purchase', at: '2024-06-01', amount: 9000 },
    { id: 'globex-1', clientId: 'globex', type: 'purchase', at: '2024-06-01', amount: 1000 },
    { id: 'lead-1', clientId: 'lead', type: 'request', at: '2025-01-05' },
  ]);
  keys.anna = await restrictedKey({ manager: 'anna' });
  keys.boris = await restrictedKey({ manager: 'boris' });
  keys.irina = await restrictedKey({ supervisor: 'irina' });
  keys.oleg = await restrictedKey({ supervisor: 'oleg' });
  keys.listed = await restrictedKey({ supervisorOf: ['anna'] });
  keys.unscoped = await restrictedKey({});
});

describe('PUT and GET /v1/clients/{id}/dossier', () => {
  it('creates the dossier (201), reads it back with the review due 90 days after reviewedAt and the relationship gaps', async () => {
    const created = await put('acme', dossier);
    expect(created.status).toBe(201);
    const res = await get('acme');
    expect(res.status).toBe(200);
    const body = await res.json<Record<string, any>>();
    expect(body).toMatchObject({
      clientId: 'acme',
      needs: ['Deliveries without stock-outs'],
      reviewedAt: '2025-01-10T00:00:00.000Z',
      reviewDueAt: '2025-04-10T00:00:00.000Z',
      reviewDue: true,
      qualificationMet: 2,
      relationshipScore: {
        average: 3,
        max: 4,
        gaps: [
          { criterion: 'Price', score: 2, gap: 2 },
          { criterion: 'Delivery on time', score: 4, gap: 0 },
        ],
      },
    });
    expect(body.decisionMakers[0]).toEqual(dossier.decisionMakers[0]);
    expect(body.history).toEqual([{ at: '2024-05-01T00:00:00.000Z', text: 'First order' }]);
  });

  it('a PUT replaces it (200) and, without reviewedAt, counts as a review now', async () => {
    const before = Date.now();
    const { status, body } = await put('acme', { needs: ['Faster invoices'] });
    expect(status).toBe(200);
    expect(body.needs).toEqual(['Faster invoices']);
    expect(body.competitors).toEqual([]);
    expect(Date.parse(body.reviewedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(body.reviewDue).toBe(false);
    await put('acme', dossier);
  });

  it('every bad value is a 400 naming the field, and nothing is stored', async () => {
    const res = await call('/v1/clients/acme/dossier', {
      method: 'PUT',
      key: ws.secretKey,
      body: {
        relationship: [{ criterion: 'Price', score: 5 }],
        qualification: { need: { met: 'yes' } },
        decisionMakers: [{ name: '' }],
        history: [{ at: 'then', text: 'x' }],
        extra: 1,
      },
    });
    await expectProblem(res, 400, [
      'relationship.0.score',
      'qualification.need.met',
      'decisionMakers.0.name',
      'history.0.at',
      'extra',
    ]);
    await expectProblem(
      await call('/v1/clients/acme/dossier', {
        method: 'PUT',
        key: ws.secretKey,
        body: { reviewedAt: '2099-01-01' },
      }),
      400,
      ['reviewedAt'],
    );
    expect((await (await get('acme')).json<{ reviewedAt: string }>()).reviewedAt).toBe(
      '2025-01-10T00:00:00.000Z',
    );
  });

  it('a client without a dossier, and a client that does not exist, are 404', async () => {
    const none = await expectProblem(await get('globex'), 404);
    expect(none.detail).toMatch(/no dossier yet/);
    await expectProblem(await get('nobody'), 404);
    await expectProblem(
      await call('/v1/clients/nobody/dossier', { method: 'PUT', key: ws.secretKey, body: {} }),
      404,
    );
  });
});

describe('who may read and write the dossier', () => {
  it.each([
    ['the secret key', () => ws.secretKey, 200],
    ["the client's manager (restricted key { manager })", () => keys.anna!, 200],
    [
      "the manager's supervisor (restricted key { supervisor }, team from the settings)",
      () => keys.irina!,
      200,
    ],
    ['a restricted key listing the manager ({ supervisorOf })', () => keys.listed!, 200],
    ['another manager', () => keys.boris!, 404],
    ["another manager's supervisor", () => keys.oleg!, 404],
    ['a restricted key without a scope', () => keys.unscoped!, 404],
  ])('%s: %i', async (_label, key, status) => {
    const res = await get('acme', key());
    expect(res.status).toBe(status);
    if (status === 404) {
      // Exactly the answer for a client that does not exist: nothing about the client leaks.
      const body = await res.json<{ detail: string }>();
      expect(body.detail).toBe('No client "acme" in this workspace');
      expect(JSON.stringify(body)).not.toContain('Olga');
    }
  });

  it('a publishable key and a widget session are refused (403), even from an allowed origin', async () => {
    await expectProblem(await get('acme', ws.publishableKey, ORIGIN), 403);
    const session = (
      await callJson('/v1/widget-sessions', {
        key: ws.secretKey,
        body: { scope: { manager: 'anna' } },
      })
    ).body.token;
    await expectProblem(await get('acme', session, ORIGIN), 403);
    await expectProblem(
      await call('/v1/clients/acme/dossier', {
        method: 'PUT',
        key: ws.publishableKey,
        origin: ORIGIN,
        body: {},
      }),
      403,
    );
  });

  it('the manager may write it; another manager may not, and learns nothing', async () => {
    expect((await put('acme', { ...dossier, plans: 'Twelve stores' }, keys.anna)).status).toBe(200);
    await expectProblem(
      await call('/v1/clients/acme/dossier', {
        method: 'PUT',
        key: keys.boris,
        body: { plans: 'hijacked' },
      }),
      404,
    );
    expect((await (await get('acme')).json<{ plans: string }>()).plans).toBe('Twelve stores');
    await put('acme', dossier);
  });

  it('a revoked restricted key is 401', async () => {
    const key = await restrictedKey({ manager: 'anna' });
    const row = await findKeyByHash(env.DB, await sha256Hex(key));
    await env.DB.prepare('UPDATE api_keys SET revoked_at = ?3 WHERE workspace_id = ?1 AND id = ?2')
      .bind(ws.id, row!.id, '2025-01-01T00:00:00.000Z')
      .run();
    await expectProblem(await get('acme', key), 401);
  });
});

describe('restricted keys from POST /v1/keys', () => {
  it('a secret key issues one for a manager or a supervisor; it works at once and is listed as restricted', async () => {
    const made = await callJson('/v1/keys', {
      key: ws.secretKey,
      body: { kind: 'restricted', label: 'Anna, sales', scope: { manager: 'anna' } },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      kind: 'restricted',
      label: 'Anna, sales',
      key: expect.stringMatching(/^rk_/),
    });
    expect((await get('acme', made.body.key)).status).toBe(200);
    await expectProblem(await get('globex', made.body.key), 404);
    const boss = await callJson('/v1/keys', {
      key: ws.secretKey,
      body: { kind: 'restricted', scope: { supervisor: 'irina' } },
    });
    expect((await get('acme', boss.body.key)).status).toBe(200);
    const listed = (await callJson('/v1/keys', { key: ws.secretKey })).body.data.filter(
      (k: { id: string }) => k.id === made.body.id,
    );
    expect(listed).toMatchObject([{ kind: 'restricted', revokedAt: null }]);
  });

  it.each([
    ['no scope', { kind: 'restricted' }, ['scope']],
    ['an empty manager', { kind: 'restricted', scope: { manager: '' } }, ['scope.manager']],
    ['an unknown scope', { kind: 'restricted', scope: { team: 'x' } }, ['scope']],
    [
      'an empty supervisorOf',
      { kind: 'restricted', scope: { supervisorOf: [] } },
      ['scope.supervisorOf'],
    ],
    ['an unknown kind', { kind: 'admin' }, ['kind']],
  ])('%s is a 400 naming the field', async (_label, body, fields) => {
    await expectProblem(await call('/v1/keys', { key: ws.secretKey, body }), 400, fields);
  });

  it('a restricted key may not issue keys', async () => {
    await expectProblem(
      await call('/v1/keys', {
        key: keys.anna,
        body: { kind: 'restricted', scope: { manager: 'anna' } },
      }),
      403,
    );
  });
});

describe('the review on the work list', () => {
  const reviewItems = async (asOf: string) =>
    (
      await callJson(`/v1/actions?kind=review_dossier&clientId=acme&asOf=${asOf}`, {
        key: ws.secretKey,
      })
    ).body.data as { id: string; overdueDays: number }[];
  it.each([
    ['the day before the review falls due', '2025-04-09T00:00:00Z', []],
    [
      'the day it falls due (90 days after 2025-01-10)',
      '2025-04-10T00:00:00Z',
      [{ id: 'review_dossier:2025-04-10:acme', overdueDays: 0 }],
    ],
    [
      'the day after',
      '2025-04-11T00:00:00Z',
      [{ id: 'review_dossier:2025-04-10:acme', overdueDays: 1 }],
    ],
  ])('%s', async (_label, asOf, expected) => {
    expect((await reviewItems(asOf)).map(({ id, overdueDays }) => ({ id, overdueDays }))).toEqual(
      expected,
    );
  });

  it('follows the workspace review interval', async () => {
    await callJson('/v1/settings', {
      method: 'PATCH',
      key: ws.secretKey,
      body: { actions: { rules: { review_dossier: { days: 30 } } } },
    });
    expect((await reviewItems('2025-02-09T00:00:00Z')).map((i) => i.id)).toEqual([
      'review_dossier:2025-02-09:acme',
    ]);
    const { body } = await callJson('/v1/clients/acme/dossier', { key: ws.secretKey });
    expect(body.reviewDueAt).toBe('2025-02-09T00:00:00.000Z');
    await callJson('/v1/settings', {
      method: 'PATCH',
      key: ws.secretKey,
      body: { actions: { rules: { review_dossier: { days: 90 } } } },
    });
  });
});

describe('GET /v1/clients/{id}/qualification', () => {
  it('a lead has contact data, a wish to buy and a budget', async () => {
    const { status, body } = await callJson('/v1/clients/lead/qualification', {
      key: ws.secretKey,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      clientId: 'lead',
      buyer: false,
      lead: true,
      missing: [],
      contact: { via: ['email'] },
      wish: { via: 'attribute' },
      budget: { amount: 5000 },
    });
    const acme = await callJson('/v1/clients/acme/qualification', { key: ws.secretKey });
    expect(acme.body).toMatchObject({
      buyer: true,
      lead: false,
      missing: ['contact', 'wish', 'budget'],
    });
  });

  it('readable by widgets and by the manager, not by another manager', async () => {
    expect(
      (await call('/v1/clients/lead/qualification', { key: ws.publishableKey, origin: ORIGIN }))
        .status,
    ).toBe(200);
    expect((await call('/v1/clients/lead/qualification', { key: keys.anna })).status).toBe(200);
    await expectProblem(await call('/v1/clients/lead/qualification', { key: keys.boris }), 404);
    await expectProblem(await call('/v1/clients/nobody/qualification', { key: ws.secretKey }), 404);
  });

  it('a qualified inquirer gets a high-priority follow-up on the work list', async () => {
    const { body } = await callJson('/v1/actions?clientId=lead&asOf=2025-01-07', {
      key: ws.secretKey,
    });
    expect(body.data).toMatchObject([
      { kind: 'follow_up_lead', priority: 1, dueAt: '2025-01-06T00:00:00.000Z' },
    ]);
    expect(body.data[0].reason.text).toMatch(
      /^Qualified lead: contact data: email, wish to buy stated \(wishToBuy\), budget 5,000/,
    );
  });
});

describe('erasure', () => {
  it('deleting a client deletes its dossier', async () => {
    await call('/v1/clients/temp', {
      method: 'PUT',
      key: ws.secretKey,
      body: { attributes: { manager: 'anna' } },
    });
    expect((await put('temp', { needs: ['x'] })).status).toBe(201);
    expect((await call('/v1/clients/temp', { method: 'DELETE', key: ws.secretKey })).status).toBe(
      204,
    );
    const left = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM client_dossiers WHERE workspace_id = ?1 AND client_id = ?2',
    )
      .bind(ws.id, 'temp')
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
  });
});
