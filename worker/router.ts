import { AutoRouter, type IRequest, type RouterType } from 'itty-router';
import { type AuthContext, authenticate, carriesKey, requireAdmin } from './auth.ts';
import { corsify, preflight } from './cors.ts';
import { randomToken } from './crypto.ts';
import { dataDatabase } from './databases.ts';
import { getClient } from './db/clients.ts';
import { DatabaseUnavailableError } from './db/retry.ts';
import { explainedJson } from './explain.ts';
import {
  answerSecret,
  type Claim,
  claim,
  idempotencyKeyOf,
  release,
  requestHash,
  settle,
} from './idempotency.ts';
import { ApiError, problemResponse } from './problem.ts';
import { flushOutbox } from './webhook-delivery.ts';
import { json, type RouteSpec } from './route.ts';
import { routes } from './routes/index.ts';
import { parseQuery, parseValue, pathId, readJson, readText } from './validate.ts';

type RequestState = IRequest;

/** Per-request facts the final step needs (kept off the request: itty's proxy rejects null fields). */
const state = new WeakMap<
  Request,
  { requestId: string; allowedOrigins: readonly string[] | null }
>();
const stateOf = (request: Request) =>
  state.get(request) ?? { requestId: 'req_unknown', allowedOrigins: null };

/** `/v1/clients/:id` → a RegExp for the 405 check (which methods exist for a path). */
const patternOf = (path: string) => new RegExp(`^${path.replace(/:[^/]+/g, '[^/]+')}$`);
const patterns = routes.map((r) => ({ method: r.method, re: patternOf(r.path) }));

/** Validates what the spec declares (path parameters, query, body) in that order, before the handler runs. */
async function readInput(spec: RouteSpec, request: RequestState) {
  const params: Record<string, string> = {};
  for (const [name, schema] of Object.entries(spec.params ?? {}))
    params[name] = pathId(request, name, schema);
  const query = spec.query ? parseQuery(request, spec.query) : undefined;
  let raw: unknown;
  let body: unknown;
  if (spec.body && !spec.streamed) {
    raw = spec.bodyMediaType
      ? await readText(request, spec.bodyMediaType)
      : await readJson(request);
    body = parseValue(raw, spec.body);
  }
  return { raw, parsed: { params, query, body } };
}

/** A widget session limited to one client or one manager reaches only routes that honour that limit. */
async function enforceSessionScope(
  spec: RouteSpec,
  auth: AuthContext,
  params: Record<string, string>,
  db: D1Database,
): Promise<void> {
  const session = auth.session;
  if (!session || (session.manager === null && session.clientId === null)) return;
  const rule = spec.widgetScope;
  if (rule === 'stateless' || rule === 'filtered') return;
  if (!rule) {
    throw new ApiError(
      403,
      `This widget session is limited to ${session.clientId !== null ? 'one client' : "one manager's clients"}; this endpoint reads the whole workspace`,
    );
  }
  const clientId = params[rule.clientParam] ?? '';
  // The same answer as for a client that does not exist: a scoped session learns nothing beyond its scope.
  const notFound = new ApiError(404, `No client ${JSON.stringify(clientId)} in this workspace`);
  if (session.clientId !== null && clientId !== session.clientId) throw notFound;
  if (
    session.manager !== null &&
    (await getClient(db, auth.workspace.id, clientId))?.attributes.manager !== session.manager
  )
    throw notFound;
}

async function handOver(env: Env, db: D1Database, workspaceId: string): Promise<void> {
  try {
    await flushOutbox(db, env.WEBHOOK_QUEUE, workspaceId);
  } catch (error) {
    console.error(JSON.stringify({ step: 'webhook-outbox', workspaceId, error: String(error) }));
  }
}

const toResponse = (result: unknown) => (result instanceof Response ? result : json(result));

function handlerFor(spec: RouteSpec) {
  return async (request: RequestState, env: Env, ctx: ExecutionContext) => {
    const now = new Date().toISOString();
    let auth: AuthContext | undefined;
    if (spec.access === 'admin') await requireAdmin(request, env);
    else if (spec.access !== 'public' && spec.access.admin && !carriesKey(request))
      await requireAdmin(request, env);
    else if (spec.access !== 'public') {
      auth = await authenticate(request, env, spec.access, now);
      stateOf(request).allowedOrigins = auth.workspace.allowedOrigins;
    }
    // Resolved once: the workspace's data database, where every query of its data goes.
    const caller = auth
      ? { auth, db: dataDatabase(env, auth.workspace.database) }
      : { auth: undefined, db: undefined };
    const { raw, parsed } = await readInput(spec, request);
    if (caller.auth) await enforceSessionScope(spec, caller.auth, parsed.params, caller.db);
    // async: a handler that throws synchronously still becomes a rejected promise.
    const run = async () => {
      const result: unknown = await spec.handle({ request, env, ctx, now, ...caller, ...parsed });
      // A write may have put webhook messages in the outbox (in its own batch): hand them to the
      // delivery queue now; the hourly cron takes any this misses.
      if (caller.auth && request.method !== 'GET')
        ctx.waitUntil(handOver(env, caller.db, caller.auth.workspace.id));
      if (result instanceof Response || result === undefined) return result;
      // Reasons get their text in the reader's language (worker/explain.ts).
      return explainedJson(
        result,
        request.headers.get('accept-language'),
        auth?.workspace.settings.currency ?? 'USD',
      );
    };

    const key = spec.idempotent ? idempotencyKeyOf(request) : null;
    if (key === null) return run();
    const c: Claim = {
      scope: auth?.workspace.id ?? 'admin',
      key,
      requestHash: await requestHash(request.method, new URL(request.url).pathname, raw),
      secret: answerSecret(env),
    };
    const replay = await claim(env.DB, c, now);
    if (replay) return replay;
    let response: Response;
    try {
      response = toResponse(await run());
    } catch (error) {
      await release(env.DB, c);
      throw error;
    }
    return settle(env.DB, c, response);
  };
}

/** Maps any thrown value to a problem+json answer; unexpected errors say nothing of internals. */
function toProblem(error: unknown, request: RequestState): Response {
  if (error instanceof ApiError) return problemResponse(error.status, error.detail, error.extra);
  if (error instanceof DatabaseUnavailableError)
    return problemResponse(503, error.message, {
      headers: { 'retry-after': String(error.retryAfterSeconds) },
    });
  const { requestId } = stateOf(request);
  console.error(
    JSON.stringify({
      requestId,
      method: request.method,
      url: request.url,
      error:
        error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error),
    }),
  );
  return problemResponse(
    500,
    `Something went wrong on our side. Quote request id ${requestId} if you report it.`,
  );
}

async function missing(_response: undefined, request: RequestState, env: Env): Promise<Response> {
  const { pathname } = new URL(request.url);
  const allowed = patterns.filter((p) => p.re.test(pathname)).map((p) => p.method);
  if (allowed.length > 0) {
    return problemResponse(
      405,
      `${request.method} is not allowed on ${pathname}; use ${allowed.join(', ')}`,
      { headers: { allow: allowed.join(', ') } },
    );
  }
  if (env.ASSETS && request.method === 'GET' && !pathname.startsWith('/v1/')) {
    // itty-router hands handlers a Proxy of the request; the assets binding needs a real one.
    const asset = await env.ASSETS.fetch(new Request(request.url, { headers: request.headers }));
    if (asset.status !== 404) return asset;
  }
  return problemResponse(404, `No route ${request.method} ${pathname}`);
}

// Typed here: itty-router's own declaration of AutoRouter's result imports a path that does not
// resolve (`types/RouterType`), which would leave the router untyped.
export const router = AutoRouter({
  before: [
    (request: RequestState, env: Env) => {
      state.set(request, { requestId: `req_${randomToken(9)}`, allowedOrigins: null });
      if (request.method === 'OPTIONS') return preflight(request, env);
    },
  ],
  missing: missing as never,
  catch: toProblem as never,
  finally: [
    (response: Response, request: RequestState) => {
      const { requestId, allowedOrigins } = stateOf(request);
      const out = corsify(response, request.headers.get('origin'), allowedOrigins);
      out.headers.set('request-id', requestId);
      out.headers.set('x-content-type-options', 'nosniff');
      return out;
    },
  ],
}) as RouterType<IRequest, [Env, ExecutionContext]>;

for (const spec of routes) {
  router[spec.method.toLowerCase() as 'get'](spec.path, handlerFor(spec) as never);
}
