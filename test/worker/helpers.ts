import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';

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
  return exports.default.fetch(
    new Request(`https://api.test${path}`, {
      method: opts.method ?? (body !== undefined ? 'POST' : 'GET'),
      headers,
      body,
    }),
  );
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
  secretKey: string;
  publishableKey: string;
}

export async function createWorkspace(body: Record<string, unknown> = {}): Promise<Workspace> {
  const { status, body: ws } = await callJson('/v1/workspaces', {
    key: ADMIN,
    body: { name: 'Test workspace', ...body },
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
