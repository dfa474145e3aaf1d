import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, createWorkspace, expectProblem, postEvents } from './helpers.ts';

// This file breaks its own database on purpose (storage is isolated per test file).
describe('unexpected errors', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answer a 500 problem that says nothing of internals, logged under the request id the response carries', async () => {
    const ws = await createWorkspace();
    await postEvents(ws.secretKey, [
      { id: 'e1', clientId: 'acme', type: 'purchase', at: '2024-01-01', amount: 5 },
    ]);
    await env.DB.prepare('DROP TABLE client_periods').run();
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation(
      (...args: unknown[]) => void logged.push(args.map(String).join(' ')),
    );

    const res = await call('/v1/clients/acme', { key: ws.secretKey });
    const requestId = res.headers.get('request-id');
    expect(requestId).toMatch(/^req_[A-Za-z0-9_-]+$/);
    const body = await expectProblem(res, 500);
    expect(body.detail).toContain(requestId);
    const text = JSON.stringify(body);
    for (const internal of ['client_periods', 'SQL', 'D1', 'stack', 'at ', '.ts'])
      expect(text).not.toContain(internal);
    expect(Object.keys(body).sort()).toEqual(['detail', 'status', 'title', 'type']);
    expect(
      logged.some((line) => line.includes(requestId!) && line.includes('client_periods')),
    ).toBe(true);
  });

  it('carry a distinct request id on every answer, successes included', async () => {
    const ids = await Promise.all(
      [call('/v1/health'), call('/v1/health'), call('/v1/nowhere')].map(async (p) =>
        (await p).headers.get('request-id'),
      ),
    );
    expect(new Set(ids).size).toBe(3);
  });
});
