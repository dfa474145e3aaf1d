import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { purgeAllExpiredSessionsStatement } from '../../worker/db/sessions.ts';
import { purgeExpiredIdempotencyStatement } from '../../worker/db/idempotency.ts';
import { requestHash } from '../../worker/idempotency.ts';
import { ADMIN, call, callJson, createWorkspace, expectProblem } from './helpers.ts';

const count = async (sql: string, ...args: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...args)
      .first<{ n: number }>()
  )?.n ?? 0;
const keysOf = (workspaceId: string) =>
  count('SELECT COUNT(*) AS n FROM api_keys WHERE workspace_id = ?1', workspaceId);
const withKey = (key: string) => ({ 'idempotency-key': key });

describe('Idempotency-Key on creating POSTs', () => {
  it('replays the first answer for the same key and body, whatever the key order; stores once', async () => {
    const before = await count('SELECT COUNT(*) AS n FROM workspaces');
    const first = await callJson('/v1/workspaces', {
      key: ADMIN,
      headers: withKey('ws-create-1'),
      body: { name: 'Replay Ltd', allowedOrigins: ['https://a.example'] },
    });
    const again = await callJson('/v1/workspaces', {
      key: ADMIN,
      headers: withKey('ws-create-1'),
      raw: '{ "allowedOrigins": ["https://a.example"],\n "name": "Replay Ltd" }',
    });
    expect(first.status).toBe(201);
    expect(first.res.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(201);
    expect(again.res.headers.get('idempotent-replayed')).toBe('true');
    expect(again.res.headers.get('content-type')).toContain('application/json');
    expect(again.body).toEqual(first.body);
    expect(await count('SELECT COUNT(*) AS n FROM workspaces')).toBe(before + 1);
    // The replayed keys are the live keys of that one workspace.
    expect((await call('/v1/settings', { key: again.body.secretKey })).status).toBe(200);
  });

  it('answers 422 naming the header when the key comes back with another body or on another endpoint', async () => {
    const ws = await createWorkspace();
    await callJson('/v1/keys', {
      key: ws.secretKey,
      headers: withKey('k-1'),
      body: { kind: 'secret' },
    });
    const keys = await keysOf(ws.id);
    await expectProblem(
      await call('/v1/keys', {
        key: ws.secretKey,
        headers: withKey('k-1'),
        body: { kind: 'publishable' },
      }),
      422,
      ['Idempotency-Key'],
    );
    await expectProblem(
      await call('/v1/widget-sessions', { key: ws.secretKey, headers: withKey('k-1'), body: {} }),
      422,
      ['Idempotency-Key'],
    );
    expect(await keysOf(ws.id)).toBe(keys);
    expect(
      await count('SELECT COUNT(*) AS n FROM widget_sessions WHERE workspace_id = ?1', ws.id),
    ).toBe(0);
  });

  it('scopes keys to the workspace: the same key in two workspaces is two requests', async () => {
    const [a, b] = await Promise.all([createWorkspace(), createWorkspace()]);
    const ka = await callJson('/v1/keys', {
      key: a.secretKey,
      headers: withKey('shared'),
      body: { kind: 'secret' },
    });
    const kb = await callJson('/v1/keys', {
      key: b.secretKey,
      headers: withKey('shared'),
      body: { kind: 'secret' },
    });
    expect(kb.res.headers.get('idempotent-replayed')).toBeNull();
    expect(kb.body.id).not.toBe(ka.body.id);
    expect(await keysOf(a.id)).toBe(3);
    expect(await keysOf(b.id)).toBe(3);
  });

  it('runs concurrent retries once: one creates, the others replay it or are told to retry', async () => {
    const ws = await createWorkspace();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        callJson('/v1/keys', {
          key: ws.secretKey,
          headers: withKey('storm'),
          body: { kind: 'publishable', label: 'storm' },
        }),
      ),
    );
    expect(await keysOf(ws.id)).toBe(3);
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect(a.status).toBe(409);
      expect(a.res.headers.get('retry-after')).toBe('1');
    }
    const late = await callJson('/v1/keys', {
      key: ws.secretKey,
      headers: withKey('storm'),
      body: { label: 'storm', kind: 'publishable' },
    });
    expect(late.body.id).toBe(created[0]!.body.id);
  });

  it('keeps no answer for a failed request, so a corrected retry with the same key runs', async () => {
    const ws = await createWorkspace();
    await expectProblem(
      await call('/v1/keys', {
        key: ws.secretKey,
        headers: withKey('fix-me'),
        body: { kind: 'master' },
      }),
      400,
      ['kind'],
    );
    await expectProblem(
      await call('/v1/widget-sessions', {
        key: ws.secretKey,
        headers: withKey('fix-me-2'),
        body: { scope: { clientId: 'ghost' } },
      }),
      404,
    );
    expect(await count('SELECT COUNT(*) AS n FROM idempotency_keys WHERE scope = ?1', ws.id)).toBe(
      0,
    );
    expect(
      (
        await call('/v1/keys', {
          key: ws.secretKey,
          headers: withKey('fix-me'),
          body: { kind: 'secret' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call('/v1/widget-sessions', {
          key: ws.secretKey,
          headers: withKey('fix-me-2'),
          body: {},
        })
      ).status,
    ).toBe(201);
  });

  it('forgets a key after 24 hours, and takes over a key whose request died', async () => {
    const ws = await createWorkspace();
    const first = await callJson('/v1/keys', {
      key: ws.secretKey,
      headers: withKey('old'),
      body: { kind: 'secret' },
    });
    await env.DB.prepare(
      "UPDATE idempotency_keys SET expires_at = '2020-01-02T00:00:00.000Z' WHERE scope = ?1 AND key = 'old'",
    )
      .bind(ws.id)
      .run();
    const later = await callJson('/v1/keys', {
      key: ws.secretKey,
      headers: withKey('old'),
      body: { kind: 'publishable' },
    });
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    await env.DB.prepare(
      "INSERT INTO idempotency_keys (scope, key, request_hash, created_at, expires_at, locked_until) VALUES (?1, 'running', 'h', ?2, ?3, ?3)",
    )
      .bind(ws.id, new Date().toISOString(), future)
      .run();
    await expectProblem(
      await call('/v1/keys', {
        key: ws.secretKey,
        headers: withKey('running'),
        body: { kind: 'secret' },
      }),
      422,
      ['Idempotency-Key'],
    );
    // The same request as the one holding the lock: told to retry while the lock lasts.
    await env.DB.prepare(
      "UPDATE idempotency_keys SET request_hash = ?2 WHERE scope = ?1 AND key = 'running'",
    )
      .bind(ws.id, await requestHash('POST', '/v1/keys', { kind: 'publishable' }))
      .run();
    await expectProblem(
      await call('/v1/keys', {
        key: ws.secretKey,
        headers: withKey('running'),
        body: { kind: 'publishable' },
      }),
      409,
    );
    await env.DB.prepare(
      "UPDATE idempotency_keys SET locked_until = '2020-01-01T00:00:00.000Z' WHERE scope = ?1 AND key = 'running'",
    )
      .bind(ws.id)
      .run();
    expect(
      (
        await call('/v1/keys', {
          key: ws.secretKey,
          headers: withKey('running'),
          body: { kind: 'publishable' },
        })
      ).status,
    ).toBe(201);
  });

  it('stores answers sealed: no key or token in plain text at rest', async () => {
    const ws = await createWorkspace();
    const key = await callJson('/v1/keys', {
      key: ws.secretKey,
      headers: withKey('sealed-1'),
      body: { kind: 'secret' },
    });
    const session = await callJson('/v1/widget-sessions', {
      key: ws.secretKey,
      headers: withKey('sealed-2'),
      body: {},
    });
    const rows = JSON.stringify(
      (await env.DB.prepare('SELECT * FROM idempotency_keys WHERE scope = ?1').bind(ws.id).all())
        .results,
    );
    expect(rows).toContain('sealed-1');
    expect(rows).not.toContain(key.body.key.slice(3));
    expect(rows).not.toContain(session.body.token.slice(4));
    const replay = await callJson('/v1/widget-sessions', {
      key: ws.secretKey,
      headers: withKey('sealed-2'),
      body: {},
    });
    expect(replay.body.token).toBe(session.body.token);
  });

  it.each([
    ['too long', 'x'.repeat(256)],
    ['with a space', 'two words'],
    ['empty', ''],
  ])('refuses a header value %s with a 400 naming it', async (_name, value) => {
    const ws = await createWorkspace();
    await expectProblem(
      await call('/v1/keys', {
        key: ws.secretKey,
        headers: withKey(value),
        body: { kind: 'secret' },
      }),
      400,
      ['Idempotency-Key'],
    );
  });

  it('without the header, each POST creates anew; on POST /v1/events the header is not needed', async () => {
    const ws = await createWorkspace();
    await call('/v1/keys', { key: ws.secretKey, body: { kind: 'secret' } });
    await call('/v1/keys', { key: ws.secretKey, body: { kind: 'secret' } });
    expect(await keysOf(ws.id)).toBe(4);
    const events = { events: [{ id: 'e1', clientId: 'c', type: 'outreach', at: '2024-01-01' }] };
    expect(
      (await callJson('/v1/events', { key: ws.secretKey, headers: withKey('ev'), body: events }))
        .body,
    ).toEqual({ accepted: 1, duplicates: 0 });
    expect(
      (await callJson('/v1/events', { key: ws.secretKey, headers: withKey('ev'), body: events }))
        .body,
    ).toEqual({ accepted: 0, duplicates: 1 });
  });

  it('lets the nightly job purge expired records and sessions of every workspace, and nothing else', async () => {
    const ws = await createWorkspace();
    await call('/v1/keys', {
      key: ws.secretKey,
      headers: withKey('purge-old'),
      body: { kind: 'secret' },
    });
    await call('/v1/keys', {
      key: ws.secretKey,
      headers: withKey('purge-new'),
      body: { kind: 'secret' },
    });
    const session = await callJson('/v1/widget-sessions', { key: ws.secretKey, body: {} });
    await callJson('/v1/widget-sessions', { key: ws.secretKey, body: {} });
    await env.DB.prepare(
      "UPDATE idempotency_keys SET expires_at = '2020-01-02T00:00:00.000Z' WHERE scope = ?1 AND key = 'purge-old'",
    )
      .bind(ws.id)
      .run();
    await env.DB.prepare(
      "UPDATE widget_sessions SET expires_at = '2020-01-02T00:00:00.000Z' WHERE id = ?1",
    )
      .bind(session.body.id)
      .run();
    const now = new Date().toISOString();
    await env.DB.batch([
      purgeExpiredIdempotencyStatement(env.DB, now),
      purgeAllExpiredSessionsStatement(env.DB, now),
    ]);
    expect(
      (await env.DB.prepare('SELECT key FROM idempotency_keys WHERE scope = ?1').bind(ws.id).all())
        .results,
    ).toEqual([{ key: 'purge-new' }]);
    expect(
      await count('SELECT COUNT(*) AS n FROM widget_sessions WHERE workspace_id = ?1', ws.id),
    ).toBe(1);
  });
});
