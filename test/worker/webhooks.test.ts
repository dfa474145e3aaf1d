import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../schema/settings.ts';
import { MAX_ATTEMPTS, RETRY_DELAYS_SECONDS } from '../../schema/webhooks.ts';
import { insertWebhookStatement } from '../../worker/db/webhooks.ts';
import worker from '../../worker/index.ts';
import { announceClassChanges } from '../../worker/announce-classes.ts';
import { ingestEvents } from '../../worker/ingest.ts';
import { sweepWorkspace } from '../../worker/sweep.ts';
import type { DeliveryMessage } from '../../worker/webhook-delivery.ts';
import { webhookUrlProblem } from '../../worker/webhook-url.ts';
import {
  call,
  callJson,
  createWorkspace,
  callWithBindings,
  expectProblem,
  recordingQueue,
} from './helpers.ts';

const RECEIVER = 'http://127.0.0.1:8788/hooks';
const QUEUE = 'clientfolio-webhooks';

/** Calls the Worker as a client would, with the delivery queue replaced by a recording one. */
const callWithQueue = (queue: Queue, path: string, key: string, body?: unknown, method?: string) =>
  callWithBindings({ WEBHOOK_QUEUE: queue }, path, key, body, method);

interface Received {
  headers: Record<string, string>;
  body: string;
}

/**
 * A local receiver behind the Worker's outbound fetch: it answers with `answers` in turn (the last
 * one repeats), records every request, and verifies each with the `standardwebhooks` reference
 * implementation, answering 400 to anything that does not verify.
 */
function receiver(secret: string, answers: number[]) {
  const received: Received[] = [];
  const verified: unknown[] = [];
  const wh = new Webhook(secret);
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    expect(request.url).toBe(RECEIVER);
    const body = await request.text();
    const headers = Object.fromEntries(request.headers);
    received.push({ headers, body });
    try {
      verified.push(wh.verify(body, headers));
    } catch {
      return new Response(null, { status: 400 });
    }
    return new Response(null, { status: answers[Math.min(received.length, answers.length) - 1] });
  });
  return { received, verified };
}

/**
 * Runs the Worker's queue consumer on one message, as the queue would on its `attempts`-th try.
 * The batch is `createMessageBatch`'s, with each message's `retry` options recorded on the way
 * (getQueueResult reports that a message was retried, not after what delay).
 */
async function consume(message: DeliveryMessage, attempts: number) {
  const batch = createMessageBatch<DeliveryMessage>(QUEUE, [
    { id: `q-${attempts}`, timestamp: Date.now(), attempts, body: message },
  ]);
  const delays: (number | undefined)[] = [];
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (options?: QueueRetryOptions) => {
      delays.push(options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  return { ...result, delaySeconds: delays[0] };
}

async function subscribe(key: string, queue: Queue) {
  const created = await callWithQueue(queue, '/v1/webhooks', key, {
    url: RECEIVER,
    events: ['client.stage_changed'],
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; secret: string };
}

afterEach(() => vi.restoreAllMocks());

describe('webhooks', () => {
  it('a stage change is put in the outbox with the write, delivered once, signed and verified', async () => {
    const ws = await createWorkspace();
    const { queue, sent } = recordingQueue<DeliveryMessage>();
    const hook = await subscribe(ws.secretKey, queue);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    // The secret is shown once: the list and the webhook itself never carry it.
    const listed = await callJson('/v1/webhooks', { key: ws.secretKey });
    expect(listed.body.data).toEqual([
      {
        id: hook.id,
        url: RECEIVER,
        events: ['client.stage_changed'],
        createdAt: expect.any(String),
      },
    ]);

    const events = [
      { id: 'e1', clientId: 'acme', type: 'response', at: '2026-11-01T10:00:00Z' },
      { id: 'e2', clientId: 'acme', type: 'purchase', at: '2026-11-20T10:00:00Z', amount: 500 },
    ];
    expect((await callWithQueue(queue, '/v1/events', ws.secretKey, { events })).status).toBe(200);
    // The same events again change nothing, so nothing more is announced.
    await callWithQueue(queue, '/v1/events', ws.secretKey, { events });
    expect(sent).toHaveLength(1);

    const { received, verified } = receiver(hook.secret, [204]);
    const result = await consume(sent[0]!, 1);
    expect(result.explicitAcks).toEqual(['q-1']);
    const profile = await callJson('/v1/clients/acme', { key: ws.secretKey });
    expect(verified).toEqual([
      {
        type: 'client.stage_changed',
        timestamp: expect.any(String),
        data: {
          clientId: 'acme',
          previous: null,
          current: profile.body.stage,
          at: expect.any(String),
        },
      },
    ]);
    expect(received[0]!.headers['webhook-id']).toBe(sent[0]!.deliveryId);

    // A second hand-over of the same message (two flushers raced) finds it delivered: no second POST.
    await consume(sent[0]!, 1);
    expect(received).toHaveLength(1);

    // A later purchase moves the client on: one more message, with the previous stage.
    await callWithQueue(queue, '/v1/events', ws.secretKey, {
      events: [
        { id: 'e3', clientId: 'acme', type: 'purchase', at: '2026-11-25T10:00:00Z', amount: 90 },
        { id: 'e4', clientId: 'acme', type: 'purchase', at: '2026-11-28T10:00:00Z', amount: 90 },
      ],
    });
    const after = await callJson('/v1/clients/acme', { key: ws.secretKey });
    if (after.body.stage !== profile.body.stage) {
      expect(sent).toHaveLength(2);
      await consume(sent[1]!, 1);
      expect(verified[1]).toMatchObject({
        data: { previous: profile.body.stage, current: after.body.stage },
      });
    } else expect(sent).toHaveLength(1);

    const log = await callJson(`/v1/webhooks/${hook.id}/deliveries`, { key: ws.secretKey });
    expect(log.body.data.at(-1)).toMatchObject({
      id: sent[0]!.deliveryId,
      status: 'delivered',
      attempts: [{ attempt: 1, status: 204, error: null }],
    });
    // Erasing the client erases the messages about it, sent or not.
    expect((await call('/v1/clients/acme', { key: ws.secretKey, method: 'DELETE' })).status).toBe(
      204,
    );
    const erased = await callJson(`/v1/webhooks/${hook.id}/deliveries`, { key: ws.secretKey });
    expect(erased.body.data).toEqual([]);
    const attempts = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM webhook_attempts WHERE workspace_id = ?1',
    )
      .bind(ws.id)
      .first<{ n: number }>();
    expect(attempts?.n).toBe(0);
  });

  it('a failing receiver is retried with growing delays and the same webhook-id until it answers 2xx', async () => {
    const ws = await createWorkspace();
    const { queue, sent } = recordingQueue<DeliveryMessage>();
    const hook = await subscribe(ws.secretKey, queue);
    await callWithQueue(queue, '/v1/events', ws.secretKey, {
      events: [{ id: 'e1', clientId: 'beta', type: 'response', at: '2026-11-01T10:00:00Z' }],
    });
    expect(sent).toHaveLength(1);
    const { received, verified } = receiver(hook.secret, [503, 500, 429, 200]);
    const delays: (number | undefined)[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const result = await consume(sent[0]!, attempt);
      if (attempt < 4) {
        expect(result.explicitAcks).toEqual([]);
        expect(result.retryMessages).toEqual([{ msgId: `q-${attempt}` }]);
        delays.push(result.delaySeconds);
      } else expect(result.explicitAcks).toEqual([`q-4`]);
    }
    expect(delays).toEqual(RETRY_DELAYS_SECONDS.slice(0, 3));
    expect(new Set(received.map((r) => r.headers['webhook-id']))).toEqual(
      new Set([sent[0]!.deliveryId]),
    );
    // Every attempt is signed afresh, and each verifies.
    expect(verified).toHaveLength(4);
    const log = await callJson(`/v1/webhooks/${hook.id}/deliveries`, { key: ws.secretKey });
    expect(log.body.data[0]).toMatchObject({ status: 'delivered' });
    expect(log.body.data[0].attempts.map((a: { status: number }) => a.status)).toEqual([
      503, 500, 429, 200,
    ]);
  });

  it('a receiver that never answers 2xx gets 8 attempts, then the delivery is failed; a resend starts over with the same id', async () => {
    const ws = await createWorkspace();
    const { queue, sent } = recordingQueue<DeliveryMessage>();
    const hook = await subscribe(ws.secretKey, queue);
    await callWithQueue(queue, '/v1/events', ws.secretKey, {
      events: [{ id: 'e1', clientId: 'gamma', type: 'response', at: '2026-11-01T10:00:00Z' }],
    });
    const { received } = receiver(hook.secret, [500]);
    const outcomes = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++)
      outcomes.push(await consume(sent[0]!, attempt));
    expect(MAX_ATTEMPTS).toBeGreaterThanOrEqual(8);
    expect(outcomes.map((o) => (o.explicitAcks.length > 0 ? 'ack' : o.delaySeconds))).toEqual([
      ...RETRY_DELAYS_SECONDS,
      'ack',
    ]);
    // The delays add up to about a day.
    expect(RETRY_DELAYS_SECONDS.reduce((a, b) => a + b, 0) / 3600).toBeGreaterThan(24);
    const log = await callJson(`/v1/webhooks/${hook.id}/deliveries`, { key: ws.secretKey });
    expect(log.body.data[0]).toMatchObject({ status: 'failed', finishedAt: expect.any(String) });
    expect(log.body.data[0].attempts).toHaveLength(MAX_ATTEMPTS);

    const resent = await callWithQueue(
      queue,
      `/v1/webhooks/${hook.id}/deliveries/${sent[0]!.deliveryId}/resend`,
      ws.secretKey,
      undefined,
      'POST',
    );
    expect(resent.status).toBe(202);
    expect(sent.map((m) => m.deliveryId)).toEqual([sent[0]!.deliveryId, sent[0]!.deliveryId]);
    await consume(sent[1]!, 1);
    expect(received.at(-1)!.headers['webhook-id']).toBe(sent[0]!.deliveryId);
    expect(received).toHaveLength(MAX_ATTEMPTS + 1);
  });

  it('a client falling asleep is announced by the sweep that passes the instant, once', async () => {
    const ws = await createWorkspace();
    const settings = defaultSettings();
    const t0 = '2025-01-10T00:00:00.000Z';
    // Created before the transition (a webhook hears only of changes after it existed).
    await insertWebhookStatement(env.DB, ws.id, {
      id: 'wh_sleep',
      url: RECEIVER,
      events: ['client.stage_changed'],
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      createdAt: t0,
    }).run();
    const purchases = ['2025-01-02', '2025-01-05'].map((at, i) => ({
      id: `p${i}`,
      clientId: 'sleepy',
      type: 'purchase' as const,
      at: `${at}T00:00:00.000Z`,
      amount: 100,
    }));
    await ingestEvents(env.DB, ws.id, settings, purchases, { now: t0 });
    const stored = () =>
      env.DB.prepare(
        "SELECT payload FROM webhook_deliveries WHERE workspace_id = ?1 AND json_extract(payload, '$.data.current') = 'sleeping'",
      )
        .bind(ws.id)
        .all<{ payload: string }>();
    // The sleep is stored ahead (90 days without a purchase) but not announced before its time.
    await sweepWorkspace(env.DB, ws.id, '2025-02-01T00:00:00.000Z');
    expect((await stored()).results).toEqual([]);
    await sweepWorkspace(env.DB, ws.id, '2025-06-01T00:00:00.000Z');
    await sweepWorkspace(env.DB, ws.id, '2025-07-01T00:00:00.000Z');
    const rows = (await stored()).results.map((r) => JSON.parse(r.payload));
    expect(rows).toEqual([
      {
        type: 'client.stage_changed',
        timestamp: '2025-06-01T00:00:00.000Z',
        data: {
          clientId: 'sleepy',
          previous: expect.any(String),
          current: 'sleeping',
          at: expect.stringMatching(/^2025-0[45]-/),
        },
      },
    ]);
    expect(rows[0].data.previous).not.toBe('sleeping');
  });

  it('types and mono-client changes are announced by the nightly comparison, once, after a silent first one', async () => {
    const ws = await createWorkspace();
    const { queue } = recordingQueue<DeliveryMessage>();
    const created = await callWithQueue(queue, '/v1/webhooks', ws.secretKey, {
      url: RECEIVER,
      events: ['client.types_changed', 'portfolio.mono_client'],
    });
    expect(created.status).toBe(201);
    const buy = (id: string, clientId: string, at: string, amount: number) => ({
      id,
      clientId,
      type: 'purchase',
      at,
      amount,
    });
    await callWithQueue(queue, '/v1/events', ws.secretKey, {
      events: [
        buy('m1', 'major', '2026-10-01', 9000),
        buy('m2', 'major', '2026-11-01', 9000),
        buy('s1', 'small', '2026-10-05', 100),
      ],
    });
    const messages = async () =>
      (
        await env.DB.prepare(
          'SELECT event_type, payload FROM webhook_deliveries WHERE workspace_id = ?1 ORDER BY event_type, dedup',
        )
          .bind(ws.id)
          .all<{ event_type: string; payload: string }>()
      ).results.map((r) => JSON.parse(r.payload));
    const settings = defaultSettings();
    const now = new Date().toISOString();
    expect(await announceClassChanges(env.DB, ws.id, settings, now)).toBe(0);
    expect(await messages()).toEqual([]);

    // A new client outgrows the old mono-client: one stops being one, the other becomes one.
    await callWithQueue(queue, '/v1/events', ws.secretKey, {
      events: [buy('g1', 'giant', '2026-11-10', 80_000)],
    });
    const later = new Date(Date.now() + 1000).toISOString();
    const announced = await announceClassChanges(env.DB, ws.id, settings, later);
    const all = await messages();
    expect(all).toHaveLength(announced);
    const mono = all.filter((m) => m.type === 'portfolio.mono_client').map((m) => m.data);
    expect(mono).toEqual(
      expect.arrayContaining([
        { clientId: 'giant', previous: false, current: true, at: later },
        { clientId: 'major', previous: true, current: false, at: later },
      ]),
    );
    expect(mono).toHaveLength(2);
    const typed = all.filter((m) => m.type === 'client.types_changed');
    expect(typed.length).toBeGreaterThan(0);
    for (const m of typed) {
      expect(m.data.current).not.toEqual(m.data.previous);
      const profile = await callJson(`/v1/clients/${m.data.clientId}`, { key: ws.secretKey });
      expect(m.data.current).toEqual(
        profile.body.types.map((t: { type: string }) => t.type).sort(),
      );
    }
    // Nothing changed since: nothing more to say.
    expect(await announceClassChanges(env.DB, ws.id, settings, later)).toBe(0);
  });

  it('refuses URLs a deployed Worker must not call, naming the field', async () => {
    const ws = await createWorkspace();
    for (const url of [
      'http://10.0.0.7/x',
      'http://example.com/x',
      'ftp://example.com/x',
      'nope',
    ]) {
      const res = await call('/v1/webhooks', {
        key: ws.secretKey,
        body: { url, events: ['client.stage_changed'] },
      });
      await expectProblem(res, 400, ['url']);
    }
    await expectProblem(
      await call('/v1/webhooks', { key: ws.secretKey, body: { url: RECEIVER, events: ['nope'] } }),
      400,
      ['events.0'],
    );
    expect((await callJson('/v1/webhooks', { key: ws.secretKey })).body.data).toEqual([]);
    const deployed = (u: string) => webhookUrlProblem(u, 'production');
    expect(deployed('https://hooks.example.com/in')).toBeNull();
    for (const u of [
      'http://hooks.example.com/in',
      'https://127.0.0.1/',
      'https://localhost/',
      'https://10.1.2.3/',
      'https://172.20.0.1/',
      'https://192.168.1.1/',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/',
      'https://[fd00::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://intranet/',
      'https://db.internal/',
      'https://user:pw@hooks.example.com/',
    ])
      expect(deployed(u), u).not.toBeNull();
    expect(webhookUrlProblem('http://localhost:9999/', 'development')).toBeNull();
    expect(webhookUrlProblem('http://10.0.0.7/', 'development')).not.toBeNull();
  });

  it("another workspace's webhook is a 404, and a deleted webhook delivers nothing more", async () => {
    const a = await createWorkspace();
    const b = await createWorkspace();
    const { queue, sent } = recordingQueue<DeliveryMessage>();
    const hook = await subscribe(a.secretKey, queue);
    expect((await callJson(`/v1/webhooks/${hook.id}`, { key: b.secretKey })).status).toBe(404);
    expect(
      (await callJson(`/v1/webhooks/${hook.id}/deliveries`, { key: b.secretKey })).status,
    ).toBe(404);
    await callWithQueue(queue, '/v1/events', a.secretKey, {
      events: [{ id: 'e1', clientId: 'delta', type: 'response', at: '2026-11-01T10:00:00Z' }],
    });
    expect(
      (await callJson(`/v1/webhooks/${hook.id}`, { key: a.secretKey, method: 'DELETE' })).status,
    ).toBe(204);
    const { received } = receiver(hook.secret, [204]);
    expect((await consume(sent[0]!, 1)).explicitAcks).toEqual(['q-1']);
    expect(received).toEqual([]);
  });
});
