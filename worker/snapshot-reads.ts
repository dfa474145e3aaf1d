import { decodeCursor, encodeCursor } from './cursor.ts';

/** Signed keyset cursors of one list: the scope names the list (and the snapshot it pages). */
export function pager(env: Env, workspaceId: string, scope: string) {
  const secret = env.ADMIN_TOKEN ?? 'clientfolio-dev';
  return {
    read: (cursor: string | undefined) =>
      cursor ? decodeCursor(secret, workspaceId, scope, cursor) : Promise.resolve(null),
    next: (position: string | null) =>
      position === null
        ? Promise.resolve(null)
        : encodeCursor(secret, workspaceId, scope, position),
  };
}

/** `value:id` keyset positions. */
export const keyPosition = (key: number, id: string) => `${key}:${id}`;
export function parseKeyPosition(p: string | null): { key: number; clientId: string } | null {
  if (p === null) return null;
  const colon = p.indexOf(':');
  const key = Number(p.slice(0, colon));
  if (colon < 0 || !Number.isFinite(key)) return null;
  return { key, clientId: p.slice(colon + 1) };
}
