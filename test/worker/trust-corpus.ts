import { prng } from '../../core/random.ts';
import * as v from 'valibot';
import { mergePatch } from '../../core/merge.ts';
import { defaultSettings, SettingsSchema } from '../../schema/settings.ts';
import type { RouteSpec } from '../../worker/route.ts';
import { MAX_JSON_BODY_BYTES } from '../../worker/validate.ts';

/**
 * A deterministic corpus of malformed requests over every route spec. Each request starts from a
 * valid one (the route's example body, valid path parameters) and gets one to three defects. A
 * request is kept only when it must be refused: a defect the transport layer always refuses
 * (bad JSON, wrong media type, nesting, lone surrogates, size, method, credentials), or values
 * that the route's own schemas reject. So every request must get a 4xx and store nothing.
 */

export interface HostileRequest {
  family: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Credentials {
  secretKey: string;
  adminToken: string;
}

const HOSTILE_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  -0.0001,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  99_999_999_999_999,
  '',
  ' ',
  'x'.repeat(129),
  'x'.repeat(201),
  'x'.repeat(1001),
  'x'.repeat(70_000),
  '\u202eevil\u202c',
  'مرحبا بالعالم',
  'שלום עולם',
  '😀'.repeat(120),
  'e\u0301\u0301\u0301',
  '\u200b',
  '\u0000',
  'a\u001fb',
  '\u007f',
  '\ufeff',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '0x10',
  '١٢٣',
  '2024-02-30',
  '2024-13-01',
  '0000-01-01',
  '9999-12-31T23:59:59Z',
  '1969-12-31T23:59:59Z',
  '2100-01-01',
  '2024-01-01T25:61:00Z',
  'yesterday',
  '<script>alert(1)</script>',
  "'; DROP TABLE clients; --",
  '../../etc/passwd',
  '%00',
  '{{7*7}}',
  '${jndi:ldap://x}',
  [],
  [null],
  {},
  { nested: { deeper: true } },
  ['x'.repeat(10)],
  Array.from({ length: 60 }, (_, i) => `t${i}`),
  Array.from({ length: 1001 }, () => 1),
];

const HOSTILE_SEGMENTS: readonly string[] = [
  'x'.repeat(129),
  'x'.repeat(3000),
  '%00',
  '%1F',
  '%7F',
  '%ZZ',
  '%',
  '%ED%A0%80',
  '%C0%AF',
  '%E2%80%AE%20rtl',
  '%F0%9F%98%80'.repeat(70),
  '%0A',
  '%0D%0Ainjected',
  'a%00b',
  '..%2F..%2Fetc',
  encodeURIComponent('\u0000'),
  encodeURIComponent('\u001b[31m'),
  'key_%00',
  'key_',
  'key_has space',
];

const HOSTILE_QUERY_VALUES: readonly string[] = [
  '',
  ' ',
  '-1',
  '0',
  '1e999',
  'NaN',
  'Infinity',
  '٣',
  '9'.repeat(30),
  '1.5',
  'true',
  '[]',
  '{}',
  'x'.repeat(5000),
  '\u202e',
  '2024-13-45',
  '2024-02-30',
  '0000-01-01',
  '2100-01-01',
  '1969-12-31',
  'yesterday',
  '<script>',
  "' OR 1=1 --",
  '\u0000',
  'nirvana',
  '10000',
  '501',
];

const BAD_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/json',
  'application/jsonp',
  'application/xml',
  '',
];
const BAD_AUTH = [
  'Bearer',
  'Bearer ',
  'Basic dXNlcjpwYXNz',
  'Bearer sk_',
  'Bearer pk_nope',
  'Bearer wst_nope',
  'Bearer rk_nope',
  `Bearer sk_${'x'.repeat(4000)}`,
  'bearer  sk_a sk_b',
  'Token abc',
];
const BAD_IDEMPOTENCY_KEYS = ['x'.repeat(256), 'two words', '\t', 'tab\there'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

type Path = (string | number)[];

function leafPaths(value: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(value)) value.forEach((x, i) => out.push(...leafPaths(x, [...at, i])));
  else if (value !== null && typeof value === 'object')
    for (const [k, x] of Object.entries(value)) out.push(...leafPaths(x, [...at, k]));
  return out;
}

function setAt(
  root: unknown,
  path: Path,
  fn: (parent: any, key: string | number) => void,
): unknown {
  if (path.length === 0) return root;
  const copy = structuredClone(root);
  let node: any = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  fn(node, path.at(-1)!);
  return copy;
}

/** Schemas the route validates with; PATCH /v1/settings validates its merge with the stored (here default) settings. */
function bodyRejected(spec: RouteSpec, body: unknown): boolean {
  const parsed = spec.body ? v.safeParse(spec.body, body) : null;
  if (!parsed?.success) return true;
  // The handler merges the schema's output (not the raw JSON) into the stored settings.
  if (spec.method === 'PATCH' && spec.path === '/v1/settings')
    return !v.safeParse(SettingsSchema, mergePatch(defaultSettings(), parsed.output)).success;
  return false;
}

function validParam(schema: v.GenericSchema<string> | undefined): string {
  return (
    ['acme', 'key_doesnotexist1', 'x'].find((c) => !schema || v.safeParse(schema, c).success) ??
    'acme'
  );
}

/** A segment counts as refused when it cannot be decoded, fails its schema, or changes which route matches. */
function segmentRejected(schema: v.GenericSchema<string> | undefined, raw: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return true;
  }
  return !schema || !v.safeParse(schema, decoded).success;
}

function queryRejected(spec: RouteSpec, params: [string, string][]): boolean {
  const keys = params.map(([k]) => k);
  if (new Set(keys).size !== keys.length) return true;
  return !!spec.query && !v.safeParse(spec.query, Object.fromEntries(params)).success;
}

const queryKeys = (spec: RouteSpec): string[] => {
  const s = spec.query as
    | { entries?: Record<string, unknown>; pipe?: { entries?: Record<string, unknown> }[] }
    | undefined;
  return Object.keys(s?.entries ?? s?.pipe?.[0]?.entries ?? {});
};

/** Builds one hostile request for `spec`, or null when the draw happened to stay valid. */
function draw(
  spec: RouteSpec,
  routes: readonly RouteSpec[],
  creds: Credentials,
  r: ReturnType<typeof prng>,
): HostileRequest | null {
  const params = Object.fromEntries(
    [...spec.path.matchAll(/:(\w+)/g)].map(([, name]) => [
      name!,
      encodeURIComponent(validParam(spec.params?.[name!])),
    ]),
  );
  let query: [string, string][] = [];
  let body: unknown = spec.body ? structuredClone(spec.examples?.body ?? {}) : undefined;
  let raw: string | undefined;
  let method: string = spec.method;
  const headers: Record<string, string> = {};
  if (spec.access === 'admin') headers.authorization = `Bearer ${creds.adminToken}`;
  else if (spec.access !== 'public') headers.authorization = `Bearer ${creds.secretKey}`;
  if (spec.body) headers['content-type'] = spec.bodyMediaType ?? 'application/json';

  const families: string[] = ['method'];
  if (spec.body && !spec.bodyMediaType)
    families.push(
      'value',
      'value',
      'value',
      'value',
      'drop',
      'extra',
      'root',
      'syntax',
      'syntax',
      'surrogate',
      'deep',
      'number-literal',
      'content-type',
    );
  if (spec.params) families.push('segment', 'segment');
  if (spec.query) families.push('query', 'query', 'query-key', 'query-twice');
  if (spec.access !== 'public') families.push('auth');
  if (spec.idempotent) families.push('idempotency-key');

  const defects = 1 + r.int(0, 3 - 1);
  const applied: string[] = [];
  let guaranteed = false;
  for (let d = 0; d < defects; d++) {
    const family = r.pick(families);
    applied.push(family);
    switch (family) {
      case 'method': {
        const path = spec.path;
        const served = routes.filter((x) => x.path === path).map((x) => x.method);
        const others = METHODS.filter((m) => !served.includes(m));
        if (others.length === 0) break;
        method = r.pick(others);
        guaranteed = true;
        break;
      }
      case 'value': {
        const path = r.pick(leafPaths(body));
        const value = r.pick(HOSTILE_VALUES);
        body = path.length === 0 ? value : setAt(body, path, (p, k) => (p[k] = value));
        break;
      }
      case 'drop': {
        const path = r.pick(
          leafPaths(body).filter((p) => p.length > 0 && typeof p.at(-1) === 'string'),
        );
        if (path) body = setAt(body, path, (p, k) => delete p[k]);
        break;
      }
      case 'extra': {
        const objects = leafPaths(body).filter((p) => {
          const node = p.reduce<any>((n, k) => n?.[k], body);
          return node !== null && typeof node === 'object' && !Array.isArray(node);
        });
        const path = objects.length ? r.pick(objects) : null;
        if (path)
          body =
            path.length === 0
              ? { ...(body as object), __proto_pollution__: { admin: true } }
              : setAt(
                  body,
                  [...path, `unknown_${r.int(0, 99 - 1)}`],
                  (p, k) => (p[k] = r.pick(HOSTILE_VALUES)),
                );
        break;
      }
      case 'root':
        body = r.pick([null, [], 'string', 42, true, [spec.examples?.body]]);
        break;
      case 'syntax': {
        const text = JSON.stringify(body);
        raw = r.pick([
          text.slice(0, Math.max(1, r.int(0, text.length - 1))),
          `${text}x`,
          `${text}}`,
          `/* c */${text}`,
          text.replace(/"/g, "'"),
          text.replace(/:/, ':NaN,"x":'),
          text.replace(/:/, ':Infinity,"x":'),
          '{',
          '',
          'undefined',
          '{"a":}',
        ]);
        break;
      }
      case 'surrogate': {
        const text = raw ?? JSON.stringify(body);
        raw = text.includes('":"')
          ? text.replace('":"', r.next() < 0.5 ? '":"\\ud800' : '":"\\udfff\\ud83d')
          : text.replace('{', '{"\\ud800key":1,');
        break;
      }
      case 'deep': {
        let nested: unknown = 'bottom';
        for (let i = 0; i < 21 + r.int(0, 200 - 1); i++)
          nested = r.next() < 0.5 ? [nested] : { n: nested };
        const objects = leafPaths(body).filter((p) => p.length > 0);
        body = objects.length
          ? setAt(body, r.pick(objects), (p, k) => (p[k] = nested))
          : { deep: nested };
        break;
      }
      case 'number-literal': {
        const text = raw ?? JSON.stringify(body);
        raw = /:-?\d/.test(text)
          ? text.replace(/:(-?[\d.e+]+)/, ':1e999')
          : text.replace('{', '{"n":-1e999,');
        break;
      }
      case 'content-type':
        headers['content-type'] = r.pick(BAD_CONTENT_TYPES);
        guaranteed = true;
        break;
      case 'segment': {
        const names = Object.keys(params);
        params[r.pick(names)] = r.pick(HOSTILE_SEGMENTS);
        break;
      }
      case 'query':
      case 'query-key': {
        const keys = queryKeys(spec);
        const key =
          family === 'query-key' || keys.length === 0
            ? r.pick(['unknown', 'limit[]', '__proto__', 'constructor', 'x'.repeat(300)])
            : r.pick(keys);
        query.push([key, r.pick(HOSTILE_QUERY_VALUES)]);
        break;
      }
      case 'query-twice': {
        const key = r.pick(queryKeys(spec).length ? queryKeys(spec) : ['limit']);
        query = [...query, [key, '1'], [key, '2']];
        guaranteed = true;
        break;
      }
      case 'auth':
        headers.authorization = r.pick(BAD_AUTH);
        guaranteed = true;
        break;
      case 'idempotency-key':
        headers['idempotency-key'] = r.pick(BAD_IDEMPOTENCY_KEYS);
        guaranteed = true;
        break;
    }
  }

  const segments = Object.values(params);
  if (segments.some((s) => ['.', '..', '%2e', '%2E', '%2e%2e', '%2E%2E'].includes(s))) return null;
  const path = spec.path.replace(/:(\w+)/g, (_, name: string) => params[name]!);
  if (!guaranteed) {
    const refused =
      Object.entries(params).some(([name, value]) => segmentRejected(spec.params?.[name], value)) ||
      queryRejected(spec, query) ||
      (spec.body !== undefined &&
        spec.body !== null &&
        textRejected(spec, raw ?? JSON.stringify(body)));
    if (!refused) return null;
  }
  const search = query.length
    ? `?${query.map(([k, x]) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`).join('&')}`
    : '';
  const hasBody = method !== 'GET' && (spec.body || method !== spec.method);
  return {
    family: applied.join('+'),
    method,
    path: `${path}${search}`,
    headers: hasBody
      ? { 'content-type': 'application/json', ...headers }
      : Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'content-type')),
    ...(hasBody && { body: raw ?? JSON.stringify(body ?? { junk: r.pick(HOSTILE_VALUES) }) }),
  };
}

/** The transport checks (JSON syntax, nesting, Unicode) and then the schemas, over the text actually sent. */
function textRejected(spec: RouteSpec, text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return true;
  }
  return nesting(parsed) > 20 || !wellFormed(parsed) || bodyRejected(spec, parsed);
}

const nesting = (x: unknown): number =>
  x !== null && typeof x === 'object' ? 1 + Math.max(0, ...Object.values(x).map(nesting)) : 0;
const wellFormed = (x: unknown): boolean =>
  typeof x === 'string'
    ? x.isWellFormed()
    : x !== null && typeof x === 'object'
      ? Object.entries(x).every(([k, y]) => k.isWellFormed() && wellFormed(y))
      : true;

/** `count` hostile requests spread evenly over `routes`, the same for the same seed. */
export function hostileCorpus(
  routes: readonly RouteSpec[],
  creds: Credentials,
  { seed, count }: { seed: number; count: number },
): HostileRequest[] {
  const r = prng(seed);
  const out: HostileRequest[] = [];
  // Two oversized bodies per body route: each 413 costs a megabyte, so they are few and fixed.
  for (const spec of routes.filter((x) => x.body)) {
    for (const filler of ['x', 'é']) {
      const body = JSON.stringify({
        pad: filler.repeat(
          Math.ceil(MAX_JSON_BODY_BYTES / new TextEncoder().encode(filler).length) + 1,
        ),
      });
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        authorization: `Bearer ${spec.access === 'admin' ? creds.adminToken : creds.secretKey}`,
      };
      out.push({
        family: 'oversize',
        method: spec.method,
        path: spec.path.replace(/:(\w+)/g, 'acme'),
        headers,
        body,
      });
    }
  }
  for (let i = 0; out.length < count; i++) {
    const spec = routes[i % routes.length]!;
    for (let attempt = 0; attempt < 20; attempt++) {
      const request = draw(spec, routes, creds, r);
      if (request) {
        out.push(request);
        break;
      }
    }
  }
  return out;
}
