import { describe, expect, it } from 'vitest';
import { call, callJson, createWorkspace, expectProblem } from './helpers.ts';

describe('browser origins and static pages', () => {
  it('a same-origin page (no Origin header, Sec-Fetch-Site: same-origin) may use its publishable key', async () => {
    const ws = await createWorkspace({ allowedOrigins: ['https://api.test'] });
    const res = await call('/v1/lifecycle/funnel', {
      key: ws.publishableKey,
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(res.status).toBe(200);
    // Without the browser's word for it, a keyed request with no origin is still refused.
    await expectProblem(await call('/v1/lifecycle/funnel', { key: ws.publishableKey }), 403);
    // And a same-origin request to another workspace's origin list is refused.
    const other = await createWorkspace({ allowedOrigins: ['https://intranet.example'] });
    await expectProblem(
      await call('/v1/lifecycle/funnel', {
        key: other.publishableKey,
        headers: { 'sec-fetch-site': 'same-origin' },
      }),
      403,
    );
  });

  it('names Origin in Vary once', async () => {
    await createWorkspace({ allowedOrigins: ['https://a.example'] });
    const res = await call('/v1/lifecycle/funnel', {
      method: 'OPTIONS',
      origin: 'https://a.example',
    });
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('serves the demo pages and answers unknown paths with a problem', async () => {
    const page = await call('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('folio-stage-funnel');
    await expectProblem(await call('/no-such-page.html'), 404);
  });

  it('refuses a settings patch that is not a JSON object', async () => {
    const ws = await createWorkspace();
    await expectProblem(
      await call('/v1/settings', { method: 'PATCH', key: ws.secretKey, body: [null] }),
      400,
    );
    const { body } = await callJson('/v1/settings', { key: ws.secretKey });
    expect(body.lifecycle.model).toBe('portfolio');
  });
});

describe('the workspace itself', () => {
  it('replaces its allowed origins, effective at once, and names bad ones', async () => {
    const ws = await createWorkspace({ allowedOrigins: ['https://old.example'] });
    const patched = await callJson('/v1/workspace', {
      method: 'PATCH',
      key: ws.secretKey,
      body: { allowedOrigins: ['https://new.example'] },
    });
    expect(patched.body).toMatchObject({ id: ws.id, allowedOrigins: ['https://new.example'] });
    expect(
      (
        await call('/v1/lifecycle/funnel', {
          key: ws.publishableKey,
          origin: 'https://new.example',
        })
      ).status,
    ).toBe(200);
    await expectProblem(
      await call('/v1/lifecycle/funnel', { key: ws.publishableKey, origin: 'https://old.example' }),
      403,
    );
    const preflight = await call('/v1/lifecycle/funnel', {
      method: 'OPTIONS',
      origin: 'https://old.example',
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    await expectProblem(
      await call('/v1/workspace', {
        method: 'PATCH',
        key: ws.secretKey,
        body: { allowedOrigins: ['https://x.example/path'] },
      }),
      400,
      ['allowedOrigins.0'],
    );
    await expectProblem(
      await call('/v1/workspace', {
        method: 'PATCH',
        key: ws.publishableKey,
        origin: 'https://new.example',
        body: { name: 'x' },
      }),
      403,
    );
    expect((await callJson('/v1/workspace', { key: ws.secretKey })).body.allowedOrigins).toEqual([
      'https://new.example',
    ]);
  });
});
