// The receiver the README shows, run as a real local HTTP server: it accepts what the Worker signs
// (worker/webhook-sign.ts) and rejects a tampered signature or body. The README quotes this file
// whole, so the code people copy is the code tested here.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWebhookSecret, signMessage } from '../worker/webhook-sign.ts';
// @ts-expect-error -- plain JavaScript people copy into their own receiver; it carries no types
import { webhookReceiver } from './webhook-receiver.mjs';

const root = path.join(import.meta.dirname, '..');
const secret = newWebhookSecret();
const received: unknown[] = [];
// eslint-disable-next-line @typescript-eslint/no-unsafe-call -- see the import above
const server = webhookReceiver(secret, (e: unknown) =>
  received.push(e),
) as import('node:http').Server;
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const payload = JSON.stringify({
  type: 'client.stage_changed',
  timestamp: '2026-12-01T03:17:00.000Z',
  data: {
    clientId: 'acme',
    previous: 'developed',
    current: 'sleeping',
    at: '2026-11-30T00:00:00.000Z',
  },
});

async function post(body: string, headers: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return res.status;
}

describe('the README webhook receiver', () => {
  it('is quoted whole in the README', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const code = readFileSync(path.join(root, 'scripts/webhook-receiver.mjs'), 'utf8');
    expect(readme).toContain('```js\n' + code + '```');
  });

  it('accepts a message the Worker signed, once per webhook-id', async () => {
    const now = Math.floor(Date.now() / 1000);
    const headers = await signMessage(secret, 'msg_receiver_ok', now, payload);
    expect(await post(payload, { ...headers })).toBe(204);
    // A retry carries the same webhook-id (and a fresh signature): acknowledged, not handled twice.
    const retry = await signMessage(secret, 'msg_receiver_ok', now + 5, payload);
    expect(await post(payload, { ...retry })).toBe(204);
    expect(received).toEqual([JSON.parse(payload)]);
  });

  it('rejects a tampered signature, a tampered body and another secret', async () => {
    const now = Math.floor(Date.now() / 1000);
    const headers = await signMessage(secret, 'msg_receiver_bad', now, payload);
    const sig = headers['webhook-signature'];
    const flipped = sig.slice(0, -3) + (sig.at(-3) === 'A' ? 'B' : 'A') + sig.slice(-2);
    expect(await post(payload, { ...headers, 'webhook-signature': flipped })).toBe(400);
    expect(await post(payload.replace('sleeping', 'developed'), { ...headers })).toBe(400);
    const other = await signMessage(newWebhookSecret(), 'msg_receiver_bad', now, payload);
    expect(await post(payload, { ...other })).toBe(400);
    // An old message replayed: outside the five-minute window even with its true signature.
    const stale = await signMessage(secret, 'msg_receiver_bad', now - 3600, payload);
    expect(await post(payload, { ...stale })).toBe(400);
    expect(received).toHaveLength(1);
  });
});
