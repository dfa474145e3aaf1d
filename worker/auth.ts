import { constantTimeEqual, sha256Hex } from './crypto.ts';
import { findKeyByHash, type KeyKind, type KeyRow } from './db/keys.ts';
import { getWorkspace, type WorkspaceRow } from './db/workspaces.ts';
import type { Env } from './env.ts';
import { ApiError } from './problem.ts';

/** Who may call a route: nobody needs a key, only the admin token, or keys of these kinds. */
export type Access = 'public' | 'admin' | { keys: readonly KeyKind[] };

export const SECRET = { keys: ['secret'] } as const satisfies Access;
/** Widget reads: a server's secret key or a browser's publishable key from an allowed origin. */
export const WIDGET = { keys: ['secret', 'publishable'] } as const satisfies Access;

export interface AuthContext {
  workspace: WorkspaceRow;
  key: KeyRow;
}

const KEY_PREFIX: Record<string, KeyKind> = { sk_: 'secret', pk_: 'publishable', rk_: 'restricted' };

const unauthorized = (detail: string) => new ApiError(401, detail, { headers: { 'www-authenticate': 'Bearer realm="clientfolio"' } });

export function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

export async function requireAdmin(request: Request, env: Env): Promise<void> {
  const token = bearerToken(request);
  if (!token) throw unauthorized('An admin token is required: Authorization: Bearer <ADMIN_TOKEN>');
  if (!env.ADMIN_TOKEN || !(await constantTimeEqual(token, env.ADMIN_TOKEN))) {
    if (KEY_PREFIX[token.slice(0, 3)]) throw new ApiError(403, 'Only the admin token may create workspaces');
    throw unauthorized('The admin token is not valid');
  }
}

/** Resolves the key on the request and checks that it may call a route with `access`. */
export async function authenticate(request: Request, env: Env, access: { keys: readonly KeyKind[] }): Promise<AuthContext> {
  const token = bearerToken(request);
  if (!token) throw unauthorized('An API key is required: Authorization: Bearer <key>');
  const kind = KEY_PREFIX[token.slice(0, 3)];
  if (!kind) throw unauthorized('The API key is not valid');
  const key = await findKeyByHash(env.DB, await sha256Hex(token));
  // The hash lookup already proved equality; the constant-time check keeps timing flat anyway.
  if (!key || key.revokedAt !== null || !(await constantTimeEqual(key.hash, await sha256Hex(token)))) throw unauthorized('The API key is not valid or has been revoked');
  const workspace = await getWorkspace(env.DB, key.workspaceId);
  if (!workspace) throw unauthorized('The API key is not valid');
  const origin = request.headers.get('origin');
  if (key.kind === 'secret' && origin !== null) {
    throw new ApiError(403, 'A secret key must never be used from a browser; use a publishable key or a widget session there, and rotate this secret key');
  }
  if (!access.keys.includes(key.kind)) {
    throw new ApiError(403, key.kind === 'publishable' ? 'A publishable key may only read widget data; this call needs a secret key' : 'This key may not make this call');
  }
  if (key.kind === 'publishable' && (origin === null || !workspace.allowedOrigins.includes(origin))) {
    throw new ApiError(403, `A publishable key works only from the workspace's allowed origins${origin ? `; ${origin} is not one of them` : ''}`);
  }
  return { workspace, key: { ...key } };
}
