import { constantTimeEqual, sha256Hex } from './crypto.ts';
import { findKeyByHash, type KeyKind, type KeyRow } from './db/keys.ts';
import { findLiveSession } from './db/sessions.ts';
import { getWorkspace, type WorkspaceRow } from './db/workspaces.ts';
import { ApiError } from './problem.ts';

/**
 * Who may call a route: nobody needs a key, only the admin token, or keys of these kinds (and,
 * with `admin: true`, the admin token too: it then answers for every workspace).
 */
export type Access = 'public' | 'admin' | { keys: readonly KeyKind[]; admin?: true };

export const SECRET = { keys: ['secret'] } as const satisfies Access;
/** Widget reads: a server's secret key or a browser's publishable key from an allowed origin. */
export const WIDGET = { keys: ['secret', 'publishable'] } as const satisfies Access;
/** Operator reads: the admin token for every workspace, or a secret key for its own. */
export const ADMIN_OR_SECRET = { keys: ['secret'], admin: true } as const satisfies Access;

export interface AuthContext {
  workspace: WorkspaceRow;
  /** The key used; for a widget session, the session described as the publishable key it stands in for. */
  key: KeyRow;
  /** Set when the caller sent a widget session token (`wst_…`) instead of a key. */
  session?: WidgetSessionScope & { id: string; expiresAt: string };
}

/** A widget session limited to one manager's clients or one client; both null: all widget data. */
export interface WidgetSessionScope {
  manager: string | null;
  clientId: string | null;
}

const KEY_PREFIX: Record<string, KeyKind> = {
  sk_: 'secret',
  pk_: 'publishable',
  rk_: 'restricted',
};
/** `ws_` already prefixes workspace ids, so widget session tokens take `wst_`. */
export const SESSION_PREFIX = 'wst_';

const unauthorized = (detail: string) =>
  new ApiError(401, detail, { headers: { 'www-authenticate': 'Bearer realm="clientfolio"' } });

export function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** Whether the bearer token is shaped like an API key or a widget session rather than the admin token. */
export function carriesKey(request: Request): boolean {
  const token = bearerToken(request);
  return (
    token !== null &&
    (token.startsWith(SESSION_PREFIX) || KEY_PREFIX[token.slice(0, 3)] !== undefined)
  );
}

export async function requireAdmin(request: Request, env: Env): Promise<void> {
  const token = bearerToken(request);
  if (!token) throw unauthorized('An admin token is required: Authorization: Bearer <ADMIN_TOKEN>');
  if (!env.ADMIN_TOKEN || !(await constantTimeEqual(token, env.ADMIN_TOKEN))) {
    if (KEY_PREFIX[token.slice(0, 3)])
      throw new ApiError(403, 'Only the admin token may create workspaces');
    throw unauthorized('The admin token is not valid');
  }
}

/** Resolves the key (or widget session) on the request and checks that it may call a route with `access`. */
export async function authenticate(
  request: Request,
  env: Env,
  access: { keys: readonly KeyKind[] },
  now = new Date().toISOString(),
): Promise<AuthContext> {
  const token = bearerToken(request);
  if (!token) throw unauthorized('An API key is required: Authorization: Bearer <key>');
  if (token.startsWith(SESSION_PREFIX))
    return authenticateSession(request, env, access, token, now);
  const kind = KEY_PREFIX[token.slice(0, 3)];
  if (!kind) throw unauthorized('The API key is not valid');
  const key = await findKeyByHash(env.DB, await sha256Hex(token));
  // The hash lookup already proved equality; the constant-time check keeps timing flat anyway.
  if (
    !key ||
    key.revokedAt !== null ||
    !(await constantTimeEqual(key.hash, await sha256Hex(token)))
  )
    throw unauthorized('The API key is not valid or has been revoked');
  const workspace = await getWorkspace(env.DB, key.workspaceId);
  if (!workspace) throw unauthorized('The API key is not valid');
  const origin = request.headers.get('origin');
  if (key.kind === 'secret' && origin !== null) {
    throw new ApiError(
      403,
      'A secret key must never be used from a browser; use a publishable key or a widget session there, and rotate this secret key',
    );
  }
  if (!access.keys.includes(key.kind)) {
    throw new ApiError(
      403,
      key.kind === 'publishable'
        ? 'A publishable key may only read widget data; this call needs a secret key'
        : 'This key may not make this call',
    );
  }
  if (key.kind === 'publishable') requireAllowedOrigin(request, workspace, 'A publishable key');
  const { hash: _hash, ...row } = key;
  return { workspace, key: row };
}

/** A widget session stands in for a publishable key: the same endpoints and the same origin rule. */
async function authenticateSession(
  request: Request,
  env: Env,
  access: { keys: readonly KeyKind[] },
  token: string,
  now: string,
): Promise<AuthContext> {
  const session = await findLiveSession(env.DB, await sha256Hex(token), now);
  if (!session)
    throw unauthorized(
      'The widget session is not valid, has expired, or its key was revoked; mint a new one',
    );
  const workspace = await getWorkspace(env.DB, session.workspaceId);
  if (!workspace) throw unauthorized('The widget session is not valid');
  if (!access.keys.includes('publishable'))
    throw new ApiError(
      403,
      'A widget session may only read widget data; this call needs a secret key',
    );
  requireAllowedOrigin(request, workspace, 'A widget session');
  const scope = { manager: session.manager, clientId: session.clientId };
  return {
    workspace,
    key: {
      id: session.id,
      workspaceId: workspace.id,
      kind: 'publishable',
      label: 'widget session',
      scope: { ...scope },
      createdAt: session.createdAt,
      revokedAt: null,
    },
    session: { id: session.id, expiresAt: session.expiresAt, ...scope },
  };
}

/**
 * The page's origin: the Origin header, or for a same-origin GET (where browsers send none) the
 * request's own origin, vouched for by Sec-Fetch-Site, which page scripts cannot set.
 */
export function requestOrigin(request: Request): string | null {
  const origin = request.headers.get('origin');
  if (origin !== null) return origin;
  return request.headers.get('sec-fetch-site') === 'same-origin'
    ? new URL(request.url).origin
    : null;
}

function requireAllowedOrigin(request: Request, workspace: WorkspaceRow, what: string): void {
  const origin = requestOrigin(request);
  if (origin === null || !workspace.allowedOrigins.includes(origin)) {
    throw new ApiError(
      403,
      `${what} works only from the workspace's allowed origins${origin ? `; ${origin} is not one of them` : ''}`,
    );
  }
}
