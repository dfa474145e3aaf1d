import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import * as v from 'valibot';
import { expect } from 'vitest';
import worker from '../../worker/index.ts';
import { issuesToErrors } from '../../worker/problem.ts';
import type { RouteSpec } from '../../worker/route.ts';
import { routes } from '../../worker/routes/index.ts';

export const ADMIN = 'test-admin-token';

export interface CallOptions {
  method?: string;
  key?: string;
  body?: unknown;
  /** Sent verbatim (for malformed-body tests). */
  raw?: string;
  contentType?: string;
  origin?: string;
  headers?: Record<string, string>;
}

/** Calls the Worker through its real `fetch` entry point, as a client would. */
export async function call(path: string, opts: CallOptions = {}): Promise<Response> {
  const headers = new Headers(opts.headers);
  if (opts.key) headers.set('authorization', `Bearer ${opts.key}`);
  if (opts.origin) headers.set('origin', opts.origin);
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers.set('content-type', opts.contentType ?? 'application/json');
  const method = opts.method ?? (body !== undefined ? 'POST' : 'GET');
  const url = `https://api.test${path}`;
  const res = await exports.default.fetch(new Request(url, { method, headers, body }));
  await expectDeclaredAnswer(method, new URL(url).pathname, res);
  return res;
}

const specs = routes.map((spec) => ({
  spec,
  re: new RegExp(`^${spec.path.replace(/:[^/]+/g, '[^/]+')}$`),
}));

const specFor = (method: string, pathname: string): RouteSpec | undefined =>
  specs.find((s) => s.spec.method === method && s.re.test(pathname))?.spec;

/**
 * Every success answer must be one its route declares, in the declared shape: the OpenAPI
 * document is built from the same specs, so it cannot drift from what the API answers. (Error
 * answers are problem+json, which `expectProblem` checks.)
 */
export async function expectDeclaredAnswer(
  method: string,
  pathname: string,
  res: Response,
): Promise<void> {
  const spec = specFor(method, pathname);
  if (!spec?.responses || res.status >= 300) return;
  const where = `${method} ${spec.path} answered ${res.status}`;
  expect(Object.keys(spec.responses), `${where}, a status its spec does not declare`).toContain(
    String(res.status),
  );
  const schema = spec.responses[res.status as 200 | 201 | 202 | 204];
  if (!schema || !(res.headers.get('content-type') ?? '').includes('json')) return;
  const result = v.safeParse(schema, await res.clone().json());
  expect(
    result.success ? [] : issuesToErrors(result.issues),
    `${where}, not in the declared shape`,
  ).toEqual([]);
}

export async function callJson<T = any>(
  path: string,
  opts: CallOptions = {},
): Promise<{ status: number; body: T; res: Response }> {
  const res = await call(path, opts);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, res };
}

export interface Workspace {
  id: string;
  database: string;
  secretKey: string;
  publishableKey: string;
}

/**
 * Creates a workspace on the `primary` database (the control database, `env.DB`) unless the body
 * names another: the existing tests read `env.DB` directly, and default placement (the least used
 * database) would otherwise move every other workspace to `secondary`. Tests of placement and of
 * the second database (databases.test.ts) pass `database` themselves.
 */
export async function createWorkspace(body: Record<string, unknown> = {}): Promise<Workspace> {
  const { status, body: ws } = await callJson('/v1/workspaces', {
    key: ADMIN,
    body: { name: 'Test workspace', database: 'primary', ...body },
  });
  expect(status).toBe(201);
  return ws;
}

export async function postEvents(key: string, events: unknown[]) {
  return callJson('/v1/events', { key, body: { events } });
}

/** Asserts an RFC 9457 answer with the status and, when given, the offending field paths. */
export async function expectProblem(res: Response, status: number, paths?: string[]) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = await res.json<{
    type: string;
    title: string;
    status: number;
    detail: string;
    errors?: { path: string }[];
  }>();
  expect(body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  if (paths) expect(body.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(paths));
  return body;
}

/** Counts of every table, to prove that a failed request stored nothing. */
export async function tableCounts(): Promise<Record<string, number>> {
  const tables = [
    'workspaces',
    'api_keys',
    'clients',
    'events',
    'client_aggregates',
    'client_periods',
    'stage_spells',
    'workspace_origins',
    'write_guard',
  ];
  const out: Record<string, number> = {};
  for (const t of tables)
    out[t] =
      (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<{ n: number }>())?.n ?? 0;
  return out;
}

/** A purchase event, with a margin when one is given. */
export const purchase = (
  id: string,
  clientId: string,
  at: string,
  amount: number,
  margin?: number,
) => ({ id, clientId, type: 'purchase', at, amount, ...(margin === undefined ? {} : { margin }) });

/** Stands in for a queue: what was sent to it, in order. */
export function recordingQueue<T>() {
  const sent: T[] = [];
  const queue = {
    send: (body: T) => Promise.resolve(void sent.push(body)),
    sendBatch: (batch: Iterable<{ body: T }>) =>
      Promise.resolve(void sent.push(...[...batch].map((m) => m.body))),
  } as unknown as Queue;
  return { queue, sent };
}

/**
 * Calls the Worker as a client would, with some bindings replaced (e.g. a queue by a recording
 * one), and waits for its background work; the answer is checked against its route's schema.
 */
export async function callWithBindings(
  over: Partial<Env>,
  path: string,
  key: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
) {
  const ctx = createExecutionContext();
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await worker.fetch(
    new Request(`https://api.test${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { ...env, ...over },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  await expectDeclaredAnswer(method, path.split('?')[0]!, res);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
