import * as v from 'valibot';
import { ApiError, validationError } from './problem.ts';

/** Requests larger than this are refused before parsing (1,000 events of a few hundred bytes fit easily). */
export const MAX_JSON_BODY_BYTES = 1_048_576;
export const MAX_JSON_DEPTH = 20;

function depthOf(value: unknown, limit: number): number {
  let depth = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, d] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    depth = Math.max(depth, d);
    if (depth > limit) return depth;
    for (const child of Object.values(node)) stack.push([child, d + 1]);
  }
  return depth;
}

export async function readBody(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes)
    throw new ApiError(413, `The body exceeds the limit of ${maxBytes} bytes`);
  const text = await request.text();
  if (new TextEncoder().encode(text).length > maxBytes)
    throw new ApiError(413, `The body exceeds the limit of ${maxBytes} bytes`);
  return text;
}

/** The first string (or object key) holding a lone UTF-16 surrogate, which no storage round-trips faithfully. */
function illFormedPath(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      if (!node.isWellFormed()) return path || '(body)';
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    for (const [key, child] of Object.entries(node)) {
      const childPath = path ? `${path}.${key}` : key;
      if (!key.isWellFormed()) return childPath;
      stack.push([child, childPath]);
    }
  }
  return null;
}

async function readJsonOnce(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new ApiError(415, 'The body must be JSON, sent with content-type: application/json');
  }
  const text = await readBody(request);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'The body is not valid JSON', {
      errors: [{ path: '(body)', message: 'is not valid JSON' }],
    });
  }
  if (depthOf(raw, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new ApiError(400, `The body is nested deeper than ${MAX_JSON_DEPTH} levels`, {
      errors: [{ path: '(body)', message: `must not nest deeper than ${MAX_JSON_DEPTH} levels` }],
    });
  }
  const bad = illFormedPath(raw);
  if (bad !== null)
    throw new ApiError(400, `Invalid ${bad}`, {
      errors: [{ path: bad, message: 'must be well-formed Unicode (it holds a lone surrogate)' }],
    });
  return raw;
}

const bodies = new WeakMap<object, Promise<unknown>>();

/**
 * Reads a JSON body once per request and checks its media type, size, syntax, depth and Unicode,
 * without validating its shape. The router reads a route's declared body this way and a handler
 * that still calls `parseJson` gets the same value instead of a spent stream.
 */
export function readJson(request: Request): Promise<unknown> {
  let body = bodies.get(request);
  if (!body) {
    body = readJsonOnce(request);
    bodies.set(request, body);
  }
  return body;
}

/** Reads a JSON body and validates it; every failure is a 4xx naming what is wrong. */
export async function parseJson<const S extends v.GenericSchema>(
  request: Request,
  schema: S,
): Promise<v.InferOutput<S>> {
  return parseValue(await readJson(request), schema);
}

/** Reads a non-JSON body (e.g. text/csv) of the given media type, once per request. */
export function readText(request: Request, mediaType: string): Promise<string> {
  let body = bodies.get(request) as Promise<string> | undefined;
  if (!body) {
    const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    body =
      type === mediaType
        ? readBody(request)
        : Promise.reject(
            new ApiError(415, `The body must be sent with content-type: ${mediaType}`),
          );
    bodies.set(request, body);
  }
  return body;
}

export function parseValue<const S extends v.GenericSchema>(
  raw: unknown,
  schema: S,
  prefix = '',
): v.InferOutput<S> {
  const result = v.safeParse(schema, raw);
  if (!result.success) throw validationError(result.issues, prefix);
  return result.output;
}

/** Validates the query string; a parameter given twice is an error rather than a silent pick. */
export function parseQuery<const S extends v.GenericSchema>(
  request: Request,
  schema: S,
): v.InferOutput<S> {
  const params = new URL(request.url).searchParams;
  const raw: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in raw)
      throw new ApiError(400, `Query parameter ${key} is given more than once`, {
        errors: [{ path: key, message: 'must be given once' }],
      });
    raw[key] = value;
  }
  return parseValue(raw, schema);
}

/** Path parameters arrive percent-encoded; ids are validated like any other input. */
export function pathId(
  request: { params: Record<string, string | undefined> },
  name: string,
  schema: v.GenericSchema<string>,
): string {
  let raw: string;
  try {
    raw = decodeURIComponent(request.params[name] ?? '');
  } catch {
    throw new ApiError(400, `Invalid ${name}`, {
      errors: [{ path: name, message: 'is not valid percent-encoding' }],
    });
  }
  return parseValue(raw, schema, name);
}
