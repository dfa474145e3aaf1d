import { AutoRouter, type IRequest } from 'itty-router';
import { authenticate, requireAdmin } from './auth.ts';
import { corsify, preflight } from './cors.ts';
import { randomToken } from './crypto.ts';
import type { Env } from './env.ts';
import { ApiError, problemResponse } from './problem.ts';
import type { RouteSpec } from './route.ts';
import { routes } from './routes/index.ts';

type RequestState = IRequest;

/** Per-request facts the final step needs (kept off the request: itty's proxy rejects null fields). */
const state = new WeakMap<Request, { requestId: string; allowedOrigins: readonly string[] | null }>();
const stateOf = (request: Request) => state.get(request) ?? { requestId: 'req_unknown', allowedOrigins: null };

/** `/v1/clients/:id` → a RegExp for the 405 check (which methods exist for a path). */
const patternOf = (path: string) => new RegExp(`^${path.replace(/:[^/]+/g, '[^/]+')}$`);
const patterns = routes.map((r) => ({ method: r.method, re: patternOf(r.path) }));

function handlerFor(spec: RouteSpec) {
  return async (request: RequestState, env: Env, ctx: ExecutionContext) => {
    const now = new Date().toISOString();
    if (spec.access === 'admin') await requireAdmin(request, env);
    if (spec.access === 'public' || spec.access === 'admin') return spec.handle({ request, env, ctx, now } as never);
    const auth = await authenticate(request, env, spec.access);
    stateOf(request).allowedOrigins = auth.workspace.allowedOrigins;
    return spec.handle({ request, env, ctx, now, auth } as never);
  };
}

/** Maps any thrown value to a problem+json answer; unexpected errors say nothing of internals. */
function toProblem(error: unknown, request: RequestState): Response {
  if (error instanceof ApiError) return problemResponse(error.status, error.detail, error.extra);
  const { requestId } = stateOf(request);
  console.error(JSON.stringify({ requestId, method: request.method, url: request.url, error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error) }));
  return problemResponse(500, `Something went wrong on our side. Quote request id ${requestId} if you report it.`);
}

async function missing(_response: undefined, request: RequestState, env: Env): Promise<Response> {
  const { pathname } = new URL(request.url);
  const allowed = patterns.filter((p) => p.re.test(pathname)).map((p) => p.method);
  if (allowed.length > 0) {
    return problemResponse(405, `${request.method} is not allowed on ${pathname}; use ${allowed.join(', ')}`, { headers: { allow: allowed.join(', ') } });
  }
  if (env.ASSETS && request.method === 'GET' && !pathname.startsWith('/v1/')) {
    const asset = await env.ASSETS.fetch(request);
    if (asset.status !== 404) return asset;
  }
  return problemResponse(404, `No route ${request.method} ${pathname}`);
}

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
});

for (const spec of routes) {
  router[spec.method.toLowerCase() as 'get'](spec.path, handlerFor(spec) as never);
}
