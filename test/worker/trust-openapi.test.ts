import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { buildOpenApi, documentationGaps } from '../../worker/openapi.ts';
import { router } from '../../worker/router.ts';
import { routes } from '../../worker/routes/index.ts';
import { call, callJson } from './helpers.ts';

type Doc = {
  paths: Record<string, Record<string, any>>;
  components: {
    schemas: Record<string, any>;
    responses: Record<string, any>;
    securitySchemes: Record<string, unknown>;
  };
  [k: string]: any;
};
const doc = buildOpenApi(routes) as Doc;
const deref = (node: any): any =>
  node?.$ref ? deref(doc.components.schemas[String(node.$ref).split('/').at(-1)!]) : node;
const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ path, method, op })),
);

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document according to a real validator', async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents every route the router serves, and nothing else', () => {
    const served = (router.routes as unknown as [string, RegExp, unknown[], string][])
      .map(([method, , , path]) => `${method} ${String(path).replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = ops.map(({ path, method }) => `${method.toUpperCase()} ${path}`).sort();
    expect(served.length).toBeGreaterThan(10);
    expect(documented).toEqual(served);
  });

  it('has no documentation gaps: schemas, parameters and valid examples on every route', () => {
    expect(documentationGaps(routes)).toEqual([]);
  });

  it('names a route without schemas, parameter schemas or a valid example', () => {
    const bare = {
      method: 'POST',
      path: '/v1/things/:thingId',
      access: 'public',
      summary: 'x',
      handle: () => null,
    } as const;
    const events = routes.find((r) => r.path === '/v1/events')!;
    const gaps = documentationGaps([
      bare,
      { ...events, examples: { body: { events: [] } } },
      { ...events, idempotent: true, streamed: true },
      { ...events, examples: {} },
    ]);
    expect(gaps).toEqual([
      expect.stringContaining('POST /v1/things/:thingId: no success response'),
      expect.stringContaining('path parameter :thingId has no schema'),
      expect.stringContaining('POST /v1/things/:thingId: no body schema'),
      expect.stringContaining('POST /v1/events: examples.body does not pass the body schema'),
      expect.stringContaining('POST /v1/events: idempotent and streamed do not combine'),
      expect.stringContaining('POST /v1/events: no request example'),
    ]);
  });

  it('declares the four bearer schemes and uses them per route', () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      'adminToken',
      'publishableKey',
      'secretKey',
      'widgetSession',
    ]);
    expect(doc.paths['/v1/workspaces']!.post.security).toEqual([{ adminToken: [] }]);
    expect(doc.paths['/v1/settings']!.get.security).toEqual([{ secretKey: [] }]);
    expect(doc.paths['/v1/lifecycle/funnel']!.get.security).toEqual([
      { secretKey: [] },
      { publishableKey: [] },
      { widgetSession: [] },
    ]);
    expect(doc.paths['/v1/health']!.get.security).toEqual([]);
  });

  it('documents every error as problem+json, including the router’s own', () => {
    for (const { path, method, op } of ops) {
      const statuses = Object.keys(op.responses);
      expect(statuses, `${method} ${path}`).toContain('500');
      if (op.security.length > 0)
        expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(['401', '403']));
      if (path.includes('{')) expect(statuses, `${method} ${path}`).toContain('404');
      if (op.requestBody)
        expect(statuses, `${method} ${path}`).toEqual(
          expect.arrayContaining(['400', '413', '415']),
        );
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        const response = op.responses[status].$ref
          ? doc.components.responses[op.responses[status].$ref.split('/').at(-1)]
          : op.responses[status];
        expect(
          response.content['application/problem+json'].schema,
          `${method} ${path} ${status}`,
        ).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    }
    expect(doc.paths['/v1/events']!.post.responses['409'].description).toMatch(/events\.N\.id/);
    expect(doc.paths['/v1/keys/{id}']!.delete.responses['409'].description).toMatch(
      /last active secret key/,
    );
  });

  it('states the limits: body size, batch size, page limit, string lengths, date bounds', () => {
    const limits = doc['x-limits'];
    expect(limits).toMatchObject({
      maxBodyBytes: 1_048_576,
      maxEventsPerBatch: 1000,
      instant: { min: '1970-01-01T00:00:00.000Z', maxExclusive: '2100-01-01T00:00:00.000Z' },
    });
    expect(doc.info.description).toContain('1048576 bytes');
    expect(doc.components.responses.Problem413.description).toContain('1048576');
    const batch = deref(
      doc.paths['/v1/events']!.post.requestBody.content['application/json'].schema,
    );
    expect(batch.properties.events).toMatchObject({ minItems: 1, maxItems: 1000 });
    const limit = doc.paths['/v1/clients']!.get.parameters.find(
      (p: { name: string }) => p.name === 'limit',
    );
    expect(limit.description).toMatch(/from 1 to 500/);
    expect(doc.components.schemas.Id).toMatchObject({ minLength: 1, maxLength: 128 });
    expect((doc.components.schemas.Instant as { description: string }).description).toContain(
      '2100-01-01',
    );
  });

  it('offers Idempotency-Key on the creating POSTs only', () => {
    const withHeader = ops
      .filter(({ op }) =>
        op.parameters?.some((p: { name: string }) => p.name === 'Idempotency-Key'),
      )
      .map(({ method, path }) => `${method} ${path}`);
    expect(withHeader.sort()).toEqual(
      expect.arrayContaining(['post /v1/keys', 'post /v1/widget-sessions', 'post /v1/workspaces']),
    );
    expect(withHeader).not.toContain('post /v1/events');
  });

  it('is served publicly at /openapi.json', async () => {
    const { status, body, res } = await callJson('/openapi.json');
    expect(status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(body).toEqual(JSON.parse(JSON.stringify(doc)));
    expect((await call('/openapi.json', { method: 'POST', body: {} })).status).toBe(405);
  });
});
