import { describe, expect, it } from 'vitest';
import { call, callJson, createWorkspace, expectProblem } from './helpers.ts';

describe('browser origins and static pages', () => {
  it('a same-origin page (no Origin header, Sec-Fetch-Site: same-origin) may use its publishable key', async () => {
    const ws = await createWorkspace({ allowedOrigins: ['https://api.test'] });
    const res = await call('/v1/lifecycle/funnel', { key: ws.publishableKey, headers: { 'sec-fetch-site': 'same-origin' } });
    expect(res.status).toBe(200);
    // Without the browser's word for it, a keyed request with no origin is still refused.
    await expectProblem(await call('/v1/lifecycle/funnel', { key: ws.publishableKey }), 403);
    // And a same-origin request to another workspace's origin list is refused.
    const other = await createWorkspace({ allowedOrigins: ['https://intranet.example'] });
    await expectProblem(await call('/v1/lifecycle/funnel', { key: other.publishableKey, headers: { 'sec-fetch-site': 'same-origin' } }), 403);
  });

  it('names Origin in Vary once', async () => {
    await createWorkspace({ allowedOrigins: ['https://a.example'] });
    const res = await call('/v1/lifecycle/funnel', { method: 'OPTIONS', origin: 'https://a.example' });
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
    await expectProblem(await call('/v1/settings', { method: 'PATCH', key: ws.secretKey, body: [null] }), 400);
    const { body } = await callJson('/v1/settings', { key: ws.secretKey });
    expect(body.lifecycle.model).toBe('portfolio');
  });
});
