import { isKnownOrigin } from './db/workspaces.ts';

const ALLOW_HEADERS = 'authorization, content-type, idempotency-key';
const EXPOSE_HEADERS = 'request-id, retry-after, location';

/**
 * CORS with origins allowed per workspace. A preflight carries no key, so it is answered for an
 * origin that some workspace allows; the real request then checks the origin against its own
 * workspace. (itty-router's `cors()` takes a static origin list and, in v6, drops the status of
 * the responses it wraps, so this small module does the job instead.)
 */
export async function preflight(request: Request, env: Env): Promise<Response> {
  const origin = request.headers.get('origin');
  const headers = new Headers({ vary: 'Origin' });
  if (origin && (await isKnownOrigin(env.DB, origin))) {
    headers.set('access-control-allow-origin', origin);
    headers.set('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
    headers.set('access-control-allow-headers', ALLOW_HEADERS);
    headers.set('access-control-max-age', '600');
  }
  return new Response(null, { status: 204, headers });
}

/** Adds CORS headers to a response when the request came from an origin its workspace allows. */
export function corsify(
  response: Response,
  origin: string | null,
  allowedOrigins: readonly string[] | null,
): Response {
  const headers = new Headers(response.headers);
  if (!/\borigin\b/i.test(headers.get('vary') ?? '')) headers.append('vary', 'Origin');
  if (origin && allowedOrigins?.includes(origin)) {
    headers.set('access-control-allow-origin', origin);
    headers.set('access-control-expose-headers', EXPOSE_HEADERS);
  }
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
