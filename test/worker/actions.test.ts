import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertKeyStatement } from '../../worker/db/keys.ts';
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
 * The work list through the Worker: items derived from the stored clients at `asOf`, filters and
 * pagination, marking done as an event, and who sees what.
 */

const ORIGIN = 'https://intranet.example';
let ws: Workspace;

/** A restricted key as the key route will mint it: hashed in api_keys with its scope. */
export async function restrictedKey(
  workspaceId: string,
  scope: Record<string, unknown>,
): Promise<string> {
  const minted = await mintKey(workspaceId, 'restricted', new Date().toISOString(), {
    scope,
    label: 'test',
  });
  await insertKeyStatement(env.DB, minted.row, minted.hash).run();
  return minted.plain;
}

const months = (clientId: string, amount: number, from = 2024, count = 12) =>
  Array.from({ length: count }, (_, i) => ({
    id: `${clientId}-p${i}`,
    clientId,
    type: 'purchase',
    at: `${from + Math.floor((i + 2) / 12)}-${String(((i + 2) % 12) + 1).padStart(2, '0')}-05`,
    amount,
  }));

const list = (query: string, key = ws.secretKey, origin?: string) =>
  callJson(`/v1/actions?${query}`, { key, origin });

beforeAll(async () => {
  ws = await createWorkspace({
    allowedOrigins: [ORIGIN],
    settings: { actions: { supervisors: { irina: ['anna', 'boris'] } } },
  });
  const clients: [string, string, string | null][] = [
    ['k-anna-1', 'Alfa Trade', 'anna'],
    ['k-anna-2', 'Vega Group', 'anna'],
    ['k-anna-3', 'Orion Med', 'anna'],
    ['k-anna-4', 'Terra Soft', 'anna'],
    ['k-boris', 'Delta Prom', 'boris'],
    ['sleepy', 'Polar Market', 'dina'],
    ['nobody', 'Kama Service', null],
  ];
  for (const [id, name, manager] of clients) {
    await call(`/v1/clients/${id}`, {
      method: 'PUT',
      key: ws.secretKey,
      body: { name, attributes: manager ? { manager } : {} },
    });
  }
  // Five equal buyers from March 2024 to February 2025: each brings 20% of the year's revenue, so all are key.
  const events = [
    ...['k-anna-1', 'k-anna-2', 'k-anna-3', 'k-anna-4', 'k-boris'].flatMap((id) =>
      months(id, 1000),
    ),
    ...['k-anna-1', 'k-anna-2', 'k-anna-3', 'k-anna-4', 'k-boris'].map((clientId) => ({
      id: `${clientId}-c`,
      clientId,
      type: 'contact',
      at: '2025-03-01T09:00:00Z',
      sentiment: 'positive',
    })),
    // Three small monthly purchases, then silence: asleep from February 2025 (3 × the median gap of ~30 days).
    ...['2024-09-10', '2024-10-10', '2024-11-10'].map((at, i) => ({
      id: `sleepy-${i}`,
      clientId: 'sleepy',
      type: 'purchase',
      at,
      amount: 10,
    })),
    { id: 'nobody-1', clientId: 'nobody', type: 'outreach', at: '2025-01-01' },
  ];
  for (let i = 0; i < events.length; i += 1000)
    expect((await postEvents(ws.secretKey, events.slice(i, i + 1000))).status).toBe(200);
});

describe('GET /v1/actions', () => {
  it('keeps the 10-day cadence of every key client: nothing the day before, due the day of, overdue the day after', async () => {
    const before = await list('kind=keep_cadence&asOf=2025-03-11T08:59:59Z');
    expect(before.status).toBe(200);
    expect(before.body.data).toEqual([]);
    const dayOf = await list('kind=keep_cadence&asOf=2025-03-11T09:00:00Z');
    // Names and the currency of the reasons' money come with the list: no profile to fetch.
    expect(dayOf.body.currency).toBe('USD');
    expect(dayOf.body.data.map((i: { clientId: string }) => i.clientId)).toEqual([
      'k-anna-1',
      'k-anna-2',
      'k-anna-3',
      'k-anna-4',
      'k-boris',
    ]);
    expect(dayOf.body.data[0]).toMatchObject({
      id: 'keep_cadence:2025-03-11:k-anna-1',
      kind: 'keep_cadence',
      clientName: 'Alfa Trade',
      manager: 'anna',
      priority: 1,
      dueAt: '2025-03-11T09:00:00.000Z',
      overdueDays: 0,
      canMarkDone: true,
      reason: {
        code: 'keep_cadence',
        params: { daysSinceContact: 10 },
        rule: {
          code: 'rule_keep_cadence',
          params: { days: 10 },
          text: 'A key client needs a positive contact at least every 10 days',
        },
      },
    });
    expect(dayOf.body.data[0].reason.signals[0]).toMatchObject({
      code: 'key_revenue_share',
      text: expect.stringMatching(/of revenue/),
    });
    const after = await list('kind=keep_cadence&asOf=2025-03-12T09:00:00Z');
    expect(after.body.data[0].overdueDays).toBe(1);
  });

  it('lists the other rules with their reasons: a manager over 3 key clients, a sleeping client, key clients without a dossier, loyal ones to ask for referrals', async () => {
    const { body } = await list('asOf=2025-03-15');
    const kinds = new Set(body.data.map((i: { kind: string }) => i.kind));
    // A year of monthly orders also makes the key clients loyal: a referral is asked once a quarter.
    expect([...kinds].sort()).toEqual([
      'ask_referral',
      'keep_cadence',
      'rebalance_manager',
      'review_dossier',
      'wake_sleeping',
    ]);
    const rebalance = body.data.find((i: { kind: string }) => i.kind === 'rebalance_manager');
    expect(rebalance).toMatchObject({
      clientId: null,
      manager: 'anna',
      canMarkDone: false,
      reason: { params: { keyClients: 4, maxKeyClients: 3 } },
    });
    const sleepy = body.data.find((i: { kind: string }) => i.kind === 'wake_sleeping');
    expect(sleepy).toMatchObject({ clientId: 'sleepy', manager: 'dina', priority: 2 });
    expect(sleepy.reason.text).toMatch(
      /^sleeping since Feb \d\d?, 2025; last purchase 125 days ago; 3 orders worth \$30\.00 so far$/,
    );
    expect(body.total).toBe(body.data.length);
  });

  it('filters by kind, client, manager and due date', async () => {
    const ids = async (q: string) =>
      (await list(`asOf=2025-03-15&${q}`)).body.data.map((i: { id: string }) => i.id);
    expect(await ids('kind=wake_sleeping,rebalance_manager')).toEqual([
      'rebalance_manager:2025-03-31:anna',
      expect.stringMatching(/^wake_sleeping:2025-02-\d\d:sleepy$/),
    ]);
    expect((await ids('clientId=k-boris')).every((id: string) => id.endsWith(':k-boris'))).toBe(
      true,
    );
    expect((await ids('manager=boris')).map((id: string) => id.split(':')[0]).sort()).toEqual([
      'ask_referral',
      'keep_cadence',
      'review_dossier',
    ]);
    // Key clients without a dossier were due from their first purchase (March 2024); the sleeper from February 2025.
    expect(await ids('dueBefore=2025-01-01')).toEqual(
      ['k-anna-1', 'k-anna-2', 'k-anna-3', 'k-anna-4', 'k-boris'].map(
        (c) => `review_dossier:2024-03-05:${c}`,
      ),
    );
    expect(await ids('dueBefore=2025-03-01&kind=wake_sleeping')).toEqual([
      expect.stringMatching(/^wake_sleeping:2025-02/),
    ]);
  });

  it('pages with a signed cursor that belongs to its query', async () => {
    const all = (await list('asOf=2025-03-15&limit=500')).body.data.map(
      (i: { id: string }) => i.id,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; nextCursor: string | null } } = await list(
        `asOf=2025-03-15&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.body.data.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    const first = await list('asOf=2025-03-15&limit=1');
    await expectProblem(
      await call(
        `/v1/actions?asOf=2025-03-16&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
        { key: ws.secretKey },
      ),
      400,
      ['cursor'],
    );
  });

  it.each([
    ['kind=dance', 'kind'],
    ['kind=keep_cadence,', 'kind'],
    ['clientId=', 'clientId'],
    ['manager=', 'manager'],
    ['dueBefore=soon', 'dueBefore'],
    ['asOf=2025-02-30T25:00', 'asOf'],
    ['limit=0', 'limit'],
    ['limit=many', 'limit'],
    ['cursor=abc', 'cursor'],
    ['sort=due', 'sort'],
  ])('%s is a 400 naming %s', async (query, field) => {
    await expectProblem(await call(`/v1/actions?${query}`, { key: ws.secretKey }), 400, [field]);
  });
});

describe('POST /v1/actions/{id}/done', () => {
  const id = 'keep_cadence:2025-03-11:k-boris';
  const done = (actionId: string, body: unknown = {}, key = ws.secretKey) =>
    callJson(`/v1/actions/${encodeURIComponent(actionId)}/done`, { key, body });

  it('records an action_done event; the item leaves the list until the cadence falls due again', async () => {
    const res = await done(id, { at: '2025-03-12T10:00:00Z', note: 'Lunch with the CFO' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      kind: 'keep_cadence',
      clientId: 'k-boris',
      doneAt: '2025-03-12T10:00:00.000Z',
      duplicate: false,
      eventId: expect.stringMatching(/^done_/),
    });
    const stored = await env.DB.prepare(
      'SELECT body FROM events WHERE workspace_id = ?1 AND id = ?2',
    )
      .bind(ws.id, res.body.eventId)
      .first<{ body: string }>();
    expect(JSON.parse(stored!.body)).toMatchObject({
      type: 'action_done',
      actionKind: 'keep_cadence',
      actionId: id,
      note: 'Lunch with the CFO',
    });

    const cadence = (asOf: string) =>
      list(`kind=keep_cadence&clientId=k-boris&asOf=${asOf}`).then((r) =>
        r.body.data.map((i: { id: string }) => i.id),
      );
    expect(await cadence('2025-03-13')).toEqual([]);
    expect(await cadence('2025-03-22T09:59:59Z')).toEqual([]);
    expect(await cadence('2025-03-22T10:00:00Z')).toEqual(['keep_cadence:2025-03-22:k-boris']);

    // Marking it again stores nothing.
    const again = await done(id, { at: '2025-03-12T11:00:00Z' });
    expect(again.body).toMatchObject({
      duplicate: true,
      doneAt: '2025-03-12T10:00:00.000Z',
      eventId: res.body.eventId,
    });
  });

  it('ids carry any client id: slashes, spaces, colons and non-ASCII survive the path', async () => {
    const odd = 'acme/north: ü 1';
    await postEvents(
      ws.secretKey,
      ['2024-09-10', '2024-10-10', '2024-11-10'].map((at, i) => ({
        id: `odd-${i}`,
        clientId: odd,
        type: 'purchase',
        at,
        amount: 5,
      })),
    );
    const item = (
      await list(`kind=wake_sleeping&clientId=${encodeURIComponent(odd)}&asOf=2025-03-15`)
    ).body.data[0];
    expect(item.id).toBe(`wake_sleeping:${item.dueAt.slice(0, 10)}:${odd}`);
    const res = await done(item.id, { at: '2025-03-15' });
    expect(res.body).toMatchObject({ clientId: odd, duplicate: false });
  });

  it('an action_done sent through POST /v1/events counts the same', async () => {
    const res = await postEvents(ws.secretKey, [
      {
        id: 'manual-done',
        clientId: 'k-anna-1',
        type: 'action_done',
        at: '2025-03-12T00:00:00Z',
        actionKind: 'keep_cadence',
      },
    ]);
    expect(res.status).toBe(200);
    const { body } = await list('kind=keep_cadence&clientId=k-anna-1&asOf=2025-03-13');
    expect(body.data).toEqual([]);
  });

  it('refuses what is not an open item, and every bad value names its field', async () => {
    await expectProblem(
      await call('/v1/actions/keep_cadence:2025-03-11:nobody-here/done', {
        key: ws.secretKey,
        body: { at: '2025-03-12' },
      }),
      404,
    );
    await expectProblem(
      await call('/v1/actions/keep_cadence:2020-01-01:k-anna-2/done', {
        key: ws.secretKey,
        body: { at: '2025-03-12' },
      }),
      404,
    );
    await expectProblem(
      await call('/v1/actions/rebalance_manager:2025-03-31:anna/done', {
        key: ws.secretKey,
        body: {},
      }),
      409,
    );
    await expectProblem(
      await call('/v1/actions/not-an-id/done', { key: ws.secretKey, body: {} }),
      400,
      ['id'],
    );
    await expectProblem(
      await call('/v1/actions/dance:2025-03-11:k-anna-2/done', { key: ws.secretKey, body: {} }),
      400,
      ['id'],
    );
    await expectProblem(
      await call('/v1/actions/keep_cadence:2025-03-11:k-anna-2/done', {
        key: ws.secretKey,
        body: { at: 'monday', colour: 'red' },
      }),
      400,
      ['at', 'colour'],
    );
    await expectProblem(
      await call('/v1/actions/keep_cadence:2025-03-11:k-anna-2/done', {
        key: ws.secretKey,
        body: { note: 'x'.repeat(1001) },
      }),
      400,
      ['note'],
    );
    await expectProblem(
      await call('/v1/actions/keep_cadence:2025-03-11:k-anna-2/done', {
        key: ws.secretKey,
        body: { at: '2099-01-01' },
      }),
      400,
      ['at'],
    );
  });
});

describe('who sees what', () => {
  it("a manager's restricted key sees and marks only that manager's items", async () => {
    const anna = await restrictedKey(ws.id, { manager: 'anna' });
    const { status, body } = await list('asOf=2025-03-15', anna);
    expect(status).toBe(200);
    expect(new Set(body.data.map((i: { manager: string }) => i.manager))).toEqual(
      new Set(['anna']),
    );
    expect(body.data.some((i: { kind: string }) => i.kind === 'rebalance_manager')).toBe(true);
    await expectProblem(
      await call('/v1/actions/keep_cadence:2025-03-11:k-boris/done', {
        key: anna,
        body: { at: '2025-03-12' },
      }),
      404,
    );
    const own = await callJson('/v1/actions/keep_cadence:2025-03-11:k-anna-2/done', {
      key: anna,
      body: { at: '2025-03-12' },
    });
    expect(own.status).toBe(200);
  });

  it("a supervisor's restricted key sees the team named in the settings", async () => {
    const irina = await restrictedKey(ws.id, { supervisor: 'irina' });
    const { body } = await list('asOf=2025-03-15', irina);
    expect(new Set(body.data.map((i: { manager: string }) => i.manager))).toEqual(
      new Set(['anna', 'boris']),
    );
    const managers = await callJson('/v1/managers?asOf=2025-03-15', { key: irina });
    expect(managers.body.managers.map((m: { manager: string }) => m.manager)).toEqual([
      'anna',
      'boris',
    ]);
    expect(managers.body.unassignedKeyClients).toEqual([]);
  });

  it('a publishable key reads the list from an allowed origin but cannot mark anything; a manager-scoped widget session reads that manager’s', async () => {
    const open = await list('asOf=2025-03-15', ws.publishableKey, ORIGIN);
    expect(open.status).toBe(200);
    expect(open.body.data.length).toBeGreaterThan(5);
    await expectProblem(
      await call('/v1/actions/wake_sleeping:2025-02-10:sleepy/done', {
        key: ws.publishableKey,
        origin: ORIGIN,
        body: {},
      }),
      403,
    );
    const session = (
      await callJson('/v1/widget-sessions', {
        key: ws.secretKey,
        body: { scope: { manager: 'dina' } },
      })
    ).body.token;
    const dina = await list('asOf=2025-03-15', session, ORIGIN);
    expect(dina.body.data.map((i: { clientId: string }) => i.clientId)).toEqual(['sleepy']);
  });

  it("the manager's restricted key works from the intranet page, as <folio-action-list> uses it", async () => {
    const boris = await restrictedKey(ws.id, { manager: 'boris' });
    const preflight = await call('/v1/actions/x/done', {
      method: 'OPTIONS',
      origin: ORIGIN,
      headers: {
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const page = await list('asOf=2025-03-15', boris, ORIGIN);
    expect(page.res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const id = page.body.data.find((i: { kind: string }) => i.kind === 'ask_referral').id as string;
    const res = await call(`/v1/actions/${encodeURIComponent(id)}/done`, {
      key: boris,
      origin: ORIGIN,
      body: { at: '2025-03-15' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('a restricted key reaches no other route', async () => {
    const anna = await restrictedKey(ws.id, { manager: 'anna' });
    await expectProblem(await call('/v1/settings', { key: anna }), 403);
    await expectProblem(await call('/v1/clients/k-anna-1', { key: anna }), 403);
  });
});

describe('settings', () => {
  it('every threshold is a setting; a bad one is a 400 naming it and changes nothing', async () => {
    const patch = (body: unknown) =>
      call('/v1/settings', { method: 'PATCH', key: ws.secretKey, body });
    await expectProblem(await patch({ actions: { rules: { keep_cadence: { days: 0 } } } }), 400, [
      'actions.rules.keep_cadence.days',
    ]);
    await expectProblem(
      await patch({ actions: { rules: { loyal_touch: { period: 'decade' } } } }),
      400,
      ['actions.rules.loyal_touch.period'],
    );
    await expectProblem(
      await patch({ actions: { supervisors: { irina: ['anna'], oleg: ['anna'] } } }),
      400,
      ['actions.supervisors'],
    );
    const { body } = await callJson('/v1/settings', { key: ws.secretKey });
    expect(body.actions.rules.keep_cadence).toEqual({ enabled: true, priority: 1, days: 10 });
    expect(body.actions.supervisors).toEqual({ irina: ['anna', 'boris'] });
  });

  it('a changed cadence moves the due dates', async () => {
    await callJson('/v1/settings', {
      method: 'PATCH',
      key: ws.secretKey,
      body: { actions: { rules: { keep_cadence: { days: 7 } } } },
    });
    const { body } = await list('kind=keep_cadence&clientId=k-anna-3&asOf=2025-03-08T09:00:00Z');
    expect(body.data).toMatchObject([
      { dueAt: '2025-03-08T09:00:00.000Z', reason: { rule: { params: { days: 7 } } } },
    ]);
    await callJson('/v1/settings', {
      method: 'PATCH',
      key: ws.secretKey,
      body: { actions: { rules: { keep_cadence: { days: 10 } } } },
    });
  });
});

describe('GET /v1/managers', () => {
  it('shows the key clients per manager and warns about the manager over the limit', async () => {
    const { status, body } = await callJson('/v1/managers?asOf=2025-03-15', { key: ws.secretKey });
    expect(status).toBe(200);
    expect(body.maxKeyClients).toBe(3);
    expect(
      body.managers.map(
        (m: {
          manager: string;
          supervisor: string | null;
          clients: number;
          keyClients: unknown[];
          overloaded: boolean;
        }) => [m.manager, m.supervisor, m.clients, m.keyClients.length, m.overloaded],
      ),
    ).toEqual([
      ['anna', 'irina', 4, 4, true],
      ['boris', 'irina', 1, 1, false],
      ['dina', null, 1, 0, false],
    ]);
    expect(body.warnings).toEqual([
      {
        code: 'manager_overloaded',
        params: { manager: 'anna', keyClients: 4, maxKeyClients: 3 },
        text: 'anna holds 4 key clients; one manager handles at most 3',
        manager: 'anna',
      },
    ]);
    await expectProblem(await call('/v1/managers?asOf=yesterday', { key: ws.secretKey }), 400, [
      'asOf',
    ]);
  });
});
