import {
  type ConversionConfig,
  type JsonSchema,
  toJsonSchema,
  toJsonSchemaDefs,
} from '@valibot/to-json-schema';
import * as v from 'valibot';
import * as clients from '../schema/clients.ts';
import * as common from '../schema/common.ts';
import * as events from '../schema/events.ts';
import * as jobs from '../schema/jobs.ts';
import * as keys from '../schema/keys.ts';
import * as lifecycle from '../schema/lifecycle.ts';
import * as segments from '../schema/segments.ts';
import * as settings from '../schema/settings.ts';
import * as value from '../schema/value.ts';
import * as workspaces from '../schema/workspaces.ts';
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_TTL_HOURS, REPLAYED_HEADER } from './idempotency.ts';
import { problemType } from './problem.ts';
import { route, type RouteSpec } from './route.ts';
import { MAX_JSON_BODY_BYTES, MAX_JSON_DEPTH } from './validate.ts';

/**
 * The OpenAPI 3.1 document, built from the route specs and the very valibot schemas the router
 * validates with. Pure (no I/O, nothing workerd-specific), so tests can build and check it anywhere.
 */

type Schema = v.GenericSchema;
type Json = Record<string, unknown>;

/** Every exported `XSchema` of the schema modules becomes the component `X`; unused ones are dropped. */
function namedSchemas(modules: readonly Record<string, unknown>[]): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const module of modules) {
    for (const [name, x] of Object.entries(module)) {
      if (
        !name.endsWith('Schema') ||
        typeof x !== 'object' ||
        x === null ||
        (x as { kind?: unknown }).kind !== 'schema'
      )
        continue;
      const short = name.slice(0, -'Schema'.length);
      if (out[short] && out[short] !== x)
        throw new Error(
          `Two schema modules export ${name}; rename one so the OpenAPI components stay unambiguous`,
        );
      out[short] = x as Schema;
    }
  }
  return out;
}

const NAMED = namedSchemas([
  common,
  clients,
  events,
  lifecycle,
  settings,
  workspaces,
  keys,
  segments,
  value,
  jobs,
]);

/** Hand-written annotations for named schemas whose checks JSON Schema cannot express. */
const ANNOTATIONS: Record<string, Json> = {
  Instant: {
    description: `An ISO 8601 date (midnight UTC) or date-time with an optional offset, from ${common.MIN_INSTANT} (inclusive) to ${common.MAX_INSTANT} (exclusive); answers always use UTC with milliseconds.`,
    examples: ['2024-01-31', '2024-01-31T12:30:00Z', '2024-01-31T15:30:00+03:00'],
  },
  Id: { examples: ['acme', 'order-2024-0001'] },
  Money: { examples: [1250.5] },
};

/** Valibot messages phrased as rules ("must be 1 to 128 characters") document what JSON Schema cannot. */
function withRule(schema: JsonSchema, message: unknown): JsonSchema {
  if (typeof message !== 'string' || !message.startsWith('must')) return schema;
  const current = typeof schema.description === 'string' ? schema.description : '';
  if (current.toLowerCase().includes(message.toLowerCase())) return schema;
  return {
    ...schema,
    description: current
      ? `${current}; ${message}`
      : `${message[0]!.toUpperCase()}${message.slice(1)}`,
  };
}

const CONVERSION: ConversionConfig = {
  target: 'draft-2020-12',
  errorMode: 'ignore',
  definitions: NAMED,
  overrideRef: ({ referenceId }) => `#/components/schemas/${referenceId}`,
  overrideAction: ({ valibotAction, jsonSchema }) =>
    withRule(jsonSchema, (valibotAction as { message?: unknown }).message),
};

/** Inline (no component refs): for query strings, whose properties each become a parameter. */
function convertInline(schema: Schema): Json {
  const {
    $schema: _s,
    $defs: _d,
    ...rest
  } = toJsonSchema(schema, { ...CONVERSION, definitions: undefined }) as Json;
  return rest;
}

type Convert = (schema: Schema) => Json;

/**
 * Converts every schema the document needs in one pass: each conversion with definitions also
 * converts all the definitions, so one call over a wrapper object costs a fraction of one per schema.
 */
function converterFor(schemas: readonly Schema[]): Convert {
  const unique = [...new Set(schemas)];
  const root = toJsonSchema(
    v.object(Object.fromEntries(unique.map((schema, i) => [`s${i}`, schema]))),
    CONVERSION,
  ) as { properties: Record<string, Json> };
  const converted = new Map(unique.map((schema, i) => [schema, root.properties[`s${i}`]!]));
  return (schema) => converted.get(schema) ?? convertInline(schema);
}

const schemasOf = (spec: RouteSpec): Schema[] => [
  ...Object.values(spec.params ?? {}),
  ...(spec.body ? [spec.body] : []),
  ...Object.values(spec.responses ?? {}).filter((x): x is Schema => x !== null && x !== undefined),
];

const problem = (status: number, detail: string, errors?: { path: string; message: string }[]) => ({
  type: problemType(status),
  title: {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Content',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  }[status],
  status,
  detail,
  ...(errors && { errors }),
});

/** The errors the router itself produces, by status, with what they mean. */
const ROUTER_ERRORS: Record<number, { description: string; example: Json }> = {
  400: {
    description:
      'A parameter, the query or the body is invalid; `errors` names every offending field',
    example: problem(400, 'Invalid events.0.amount', [
      { path: 'events.0.amount', message: 'must not be negative' },
    ]),
  },
  401: {
    description: 'The key or token is missing, unknown, revoked or expired',
    example: problem(401, 'The API key is not valid or has been revoked'),
  },
  403: {
    description:
      'The key may not make this call (e.g. a publishable key on a secret route, a key from an origin not allowed, a secret key sent with an Origin header)',
    example: problem(
      403,
      'A publishable key may only read widget data; this call needs a secret key',
    ),
  },
  404: {
    description:
      "No such object in the caller's workspace (another workspace's objects are 404 too: their existence is not revealed)",
    example: problem(404, 'No client "acme" in this workspace'),
  },
  409: {
    description: `A request with the same ${IDEMPOTENCY_HEADER} is still running; retry shortly`,
    example: problem(
      409,
      `A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry shortly`,
    ),
  },
  413: {
    description: `The body is larger than ${MAX_JSON_BODY_BYTES} bytes`,
    example: problem(413, `The body exceeds the limit of ${MAX_JSON_BODY_BYTES} bytes`),
  },
  415: {
    description: 'The body was sent with the wrong content-type',
    example: problem(415, 'The body must be JSON, sent with content-type: application/json'),
  },
  422: {
    description: `The ${IDEMPOTENCY_HEADER} was used in the last ${IDEMPOTENCY_TTL_HOURS} hours with another body or endpoint`,
    example: problem(
      422,
      `This ${IDEMPOTENCY_HEADER} was already used with a different request; use a new key for a new request`,
      [
        {
          path: IDEMPOTENCY_HEADER,
          message: 'was used with another request body or endpoint in the last 24 hours',
        },
      ],
    ),
  },
  500: {
    description:
      'An unexpected error; the body says nothing of internals, the `request-id` header identifies the logged details',
    example: problem(
      500,
      'Something went wrong on our side. Quote request id req_Zx81Qa7 if you report it.',
    ),
  },
  503: {
    description:
      'The database was briefly unavailable and nothing was stored; retry after `Retry-After` seconds',
    example: problem(
      503,
      'The database is briefly unavailable; nothing was stored. Retry shortly.',
    ),
  },
};

const SECURITY_SCHEMES = {
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      'The admin token (Worker secret `ADMIN_TOKEN`): creates workspaces and reads the job runs of every workspace.',
  },
  secretKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A secret key `sk_…`: everything within its workspace, from servers only (refused with a browser `Origin` header).',
  },
  publishableKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      "A publishable key `pk_…`: read-only widget endpoints, only from the workspace's `allowedOrigins`.",
  },
  widgetSession: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A widget session token `wst_…` minted by `POST /v1/widget-sessions`: like a publishable key, short-lived, optionally limited to one manager or one client.',
  },
};

function securityOf(spec: RouteSpec): Json[] {
  if (spec.access === 'public') return [];
  if (spec.access === 'admin') return [{ adminToken: [] }];
  const schemes: Json[] = spec.access.admin ? [{ adminToken: [] }] : [];
  if (spec.access.keys.includes('secret')) schemes.push({ secretKey: [] });
  if (spec.access.keys.includes('publishable'))
    schemes.push({ publishableKey: [] }, { widgetSession: [] });
  return schemes;
}

const pathParams = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const operationId = (spec: RouteSpec) =>
  spec.method.toLowerCase() +
  spec.path
    .split('/')
    .filter((s) => s && s !== 'v1')
    .map((s) =>
      s.startsWith(':')
        ? `By${capital(s.slice(1))}`
        : s
            .replace(/\.json$/, 'Json')
            .split('-')
            .map(capital)
            .join(''),
    )
    .join('');

/** The error statuses a route can answer, from what it declares. */
function errorStatuses(spec: RouteSpec): number[] {
  const out = new Set<number>([500]);
  if (spec.params || spec.query || spec.body || spec.idempotent) out.add(400);
  if (spec.access !== 'public') out.add(401).add(403).add(503);
  if (pathParams(spec.path).length > 0) out.add(404);
  if (spec.body) out.add(413).add(415);
  if (spec.idempotent) out.add(409).add(422);
  for (const status of Object.keys(spec.errors ?? {})) out.add(Number(status));
  return [...out].sort((a, b) => a - b);
}

const requestIdHeader = {
  description: 'Identifies the request in the server logs; quote it when reporting a problem',
  schema: { type: 'string' },
};

function operation(spec: RouteSpec, convert: Convert): Json {
  const parameters: Json[] = pathParams(spec.path).map((name) => {
    const schema = spec.params?.[name];
    return {
      name,
      in: 'path',
      required: true,
      schema: schema ? convert(schema) : { type: 'string' },
    };
  });
  if (spec.query) {
    // Inline, so that each property becomes its own parameter even when the query schema is named.
    const query = convertInline(spec.query) as {
      properties?: Record<string, Json>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      parameters.push({
        name,
        in: 'query',
        required: query.required?.includes(name) ?? false,
        schema,
        ...(typeof schema.description === 'string' && { description: schema.description }),
      });
    }
  }
  if (spec.idempotent) {
    parameters.push({
      name: IDEMPOTENCY_HEADER,
      in: 'header',
      required: false,
      description: `Makes a retry safe: the first successful answer for this key is replayed (with \`${REPLAYED_HEADER}: true\`) to any request with the same key and body for ${IDEMPOTENCY_TTL_HOURS} hours; the same key with another body is 422.`,
      schema: convert(keys.IdempotencyKeySchema),
      example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
    });
  }
  const responses: Json = {};
  for (const [status, schema] of Object.entries(spec.responses ?? {})) {
    const headers: Json = { 'request-id': requestIdHeader };
    if (spec.idempotent)
      headers[REPLAYED_HEADER] = {
        description:
          'Present (`true`) when this is a stored answer replayed for a repeated Idempotency-Key',
        schema: { type: 'string', enum: ['true'] },
      };
    responses[status] = {
      description: status === '201' ? 'Created' : status === '204' ? 'No content' : 'OK',
      headers,
      ...(schema && {
        content: {
          'application/json': {
            schema: convert(schema),
            ...(spec.examples?.response !== undefined && { example: spec.examples.response }),
          },
        },
      }),
    };
  }
  for (const status of errorStatuses(spec)) {
    const specific = spec.errors?.[status];
    responses[String(status)] = specific
      ? {
          description: specific,
          headers: { 'request-id': requestIdHeader },
          content: {
            'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
          },
        }
      : { $ref: `#/components/responses/Problem${status}` };
  }
  const mediaType = spec.bodyMediaType ?? 'application/json';
  return {
    operationId: operationId(spec),
    summary: spec.summary,
    ...(spec.description && { description: spec.description }),
    tags: spec.tags ?? [
      spec.path
        .split('/')
        .filter((s) => s && s !== 'v1')[0]
        ?.replace(/\.json$/, '') ?? 'meta',
    ],
    security: securityOf(spec),
    ...(parameters.length > 0 && { parameters }),
    ...(spec.body && {
      requestBody: {
        required: true,
        content: {
          [mediaType]: {
            schema: convert(spec.body),
            ...(spec.examples?.body !== undefined && { example: spec.examples.body }),
          },
        },
      },
    }),
    responses,
  };
}

/** Every `$ref` target under `node`. */
function refsIn(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const x of node) refsIn(x, out);
  else if (node !== null && typeof node === 'object') {
    for (const [k, x] of Object.entries(node)) {
      if (k === '$ref' && typeof x === 'string') out.add(x);
      else refsIn(x, out);
    }
  }
  return out;
}

/** The named schemas that `roots` reach, directly or through each other. */
function reachableSchemas(roots: unknown, all: Record<string, Json>): Record<string, Json> {
  const prefix = '#/components/schemas/';
  const kept: Record<string, Json> = {};
  const queue = [...refsIn(roots)];
  while (queue.length > 0) {
    const ref = queue.pop()!;
    const name = ref.startsWith(prefix) ? ref.slice(prefix.length) : null;
    if (name === null || kept[name] || !all[name]) continue;
    kept[name] = all[name];
    queue.push(...refsIn(all[name]));
  }
  return Object.fromEntries(Object.entries(kept).sort(([a], [b]) => a.localeCompare(b)));
}

/** What a caller must know before the first request, limits first. */
export const LIMITS = {
  maxBodyBytes: MAX_JSON_BODY_BYTES,
  maxJsonDepth: MAX_JSON_DEPTH,
  maxEventsPerBatch: events.MAX_EVENTS_PER_BATCH,
  idLength: { min: 1, max: 128 },
  instant: { min: common.MIN_INSTANT, maxExclusive: common.MAX_INSTANT },
  idempotencyKeyHours: IDEMPOTENCY_TTL_HOURS,
  widgetSessionSeconds: {
    default: keys.WIDGET_SESSION_DEFAULT_TTL_SECONDS,
    min: keys.WIDGET_SESSION_MIN_TTL_SECONDS,
    max: keys.WIDGET_SESSION_MAX_TTL_SECONDS,
  },
};

const DESCRIPTION = `Clientfolio: client lifecycle and client portfolio over HTTP.

**Authentication.** \`Authorization: Bearer <token>\` on every request except \`GET /v1/health\` and \`GET /openapi.json\`. The admin token creates workspaces and reads every job run; a secret key (\`sk_…\`) does everything within its workspace from a server; a publishable key (\`pk_…\`) or a widget session (\`wst_…\`) reads widget data from the workspace's allowed origins. A missing or wrong key is 401, a key used outside its rights 403, another workspace's object 404.

**Errors.** Every error is \`application/problem+json\` (RFC 9457) with \`type\`, \`title\`, \`status\`, \`detail\`, and for validation errors \`errors: [{ path, message }]\` naming each offending field. An unknown path is 404, a known path with another method 405 with \`Allow\`. Every answer carries a \`request-id\` header.

**Limits.**

| limit | value |
|---|---|
| request body | ${MAX_JSON_BODY_BYTES} bytes (413 beyond) |
| JSON nesting | ${MAX_JSON_DEPTH} levels |
| events per batch | 1 to ${events.MAX_EVENTS_PER_BATCH} |
| ids (clients, events) | 1 to 128 characters, no control characters |
| dates | ${common.MIN_INSTANT} to ${common.MAX_INSTANT} (exclusive) |
| strings | lengths as each schema states (names and short texts 200, notes 1000) |
| money | finite, at most 1e12 in absolute value |
| page size (\`limit\`) | as each list endpoint states |
| Idempotency-Key | 1 to 255 printable ASCII characters, remembered ${IDEMPOTENCY_TTL_HOURS} hours |
| widget session lifetime | ${keys.WIDGET_SESSION_MIN_TTL_SECONDS} s to ${keys.WIDGET_SESSION_MAX_TTL_SECONDS} s, default ${keys.WIDGET_SESSION_DEFAULT_TTL_SECONDS} s |

Strings must be well-formed Unicode (a lone surrogate is a 400). The same limits are in \`x-limits\`.`;

/** Builds the whole document from the route specs. */
export function buildOpenApi(routes: readonly RouteSpec[]): Json {
  const convert = converterFor([keys.IdempotencyKeySchema, ...routes.flatMap(schemasOf)]);
  const paths: Record<string, Json> = {};
  for (const spec of routes) {
    const path = openApiPath(spec.path);
    paths[path] = { ...paths[path], [spec.method.toLowerCase()]: operation(spec, convert) };
  }
  const responses = Object.fromEntries(
    Object.entries(ROUTER_ERRORS).map(([status, { description, example }]) => [
      `Problem${status}`,
      {
        description,
        headers: {
          'request-id': requestIdHeader,
          ...(status === '503' || status === '409'
            ? {
                'retry-after': {
                  description: 'Seconds to wait before retrying',
                  schema: { type: 'string' },
                },
              }
            : {}),
        },
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' }, example },
        },
      },
    ]),
  );
  const all = toJsonSchemaDefs(NAMED, CONVERSION) as Record<string, Json>;
  for (const [name, extra] of Object.entries(ANNOTATIONS))
    if (all[name]) all[name] = { ...all[name], ...extra };
  const schemas = reachableSchemas(
    [paths, responses, { $ref: '#/components/schemas/Problem' }],
    all,
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Clientfolio API',
      version: '1',
      description: DESCRIPTION,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/' }],
    'x-limits': LIMITS,
    paths,
    components: { schemas, responses, securitySchemes: SECURITY_SCHEMES },
  };
}

/** Examples a schema carries itself (`v.examples([…])` or `v.metadata({ examples })` in its pipe). */
function schemaExamples(schema: Schema): unknown[] {
  const pipe =
    (
      schema as {
        pipe?: readonly {
          type?: string;
          examples?: unknown[];
          metadata?: { examples?: unknown[] };
        }[];
      }
    ).pipe ?? [];
  return pipe.flatMap((item) =>
    item.type === 'examples'
      ? (item.examples ?? [])
      : item.type === 'metadata'
        ? (item.metadata?.examples ?? [])
        : [],
  );
}

/**
 * Why a route would be missing from the document or documented wrongly: one line per gap, naming
 * the route and the field to add, so a new route without schemas fails its test with a clear message.
 */
export function documentationGaps(routes: readonly RouteSpec[]): string[] {
  const gaps: string[] = [];
  for (const spec of routes) {
    const name = `${spec.method} ${spec.path}`;
    const successes = Object.entries(spec.responses ?? {});
    if (successes.length === 0)
      gaps.push(
        `${name}: no success response; add responses: { 200: XSchema } (or 204: null) to its route spec`,
      );
    for (const param of pathParams(spec.path))
      if (!spec.params?.[param])
        gaps.push(
          `${name}: path parameter :${param} has no schema; add params: { ${param}: XSchema }`,
        );
    if (spec.method !== 'GET' && spec.method !== 'DELETE' && spec.body === undefined)
      gaps.push(`${name}: no body schema; add body: XSchema (or body: null if it takes none)`);
    if (spec.idempotent && spec.streamed)
      gaps.push(
        `${name}: idempotent and streamed do not combine: an Idempotency-Key is matched on the request body, which a streamed route never buffers`,
      );
    const bodyExamples = spec.body
      ? spec.examples?.body !== undefined
        ? [spec.examples.body]
        : schemaExamples(spec.body)
      : [];
    if (spec.body && bodyExamples.length === 0)
      gaps.push(
        `${name}: no request example; add examples: { body: … } (or v.examples([…]) to the body schema)`,
      );
    for (const example of spec.body ? bodyExamples : []) {
      const check = v.safeParse(spec.body!, example);
      if (!check.success)
        gaps.push(
          `${name}: examples.body does not pass the body schema: ${check.issues.map((i) => i.message).join('; ')}`,
        );
    }
    const [, responseSchema] = successes[0] ?? [];
    if (responseSchema && spec.examples?.response !== undefined) {
      const check = v.safeParse(responseSchema, spec.examples.response);
      if (!check.success)
        gaps.push(
          `${name}: examples.response does not pass the response schema: ${check.issues.map((i) => `${(i.path ?? []).map((p) => String(p.key)).join('.')} ${i.message}`).join('; ')}`,
        );
    }
  }
  return gaps;
}

/** `GET /openapi.json`; takes the route list lazily because the list includes this route. */
export const openApiRoutes = (allRoutes: () => readonly RouteSpec[]) => {
  let document: Json | undefined;
  return [
    route({
      method: 'GET',
      path: '/openapi.json',
      access: 'public',
      summary: 'This OpenAPI 3.1 document, generated from the schemas that validate requests',
      tags: ['meta'],
      responses: { 200: v.record(v.string(), v.unknown()) },
      handle: () => (document ??= buildOpenApi(allRoutes())),
    }),
  ];
};
