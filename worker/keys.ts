import { randomToken, sha256Hex } from './crypto.ts';
import { KEY_PREFIXES, type KeyKind } from '../schema/keys.ts';
import type { KeyRow } from './db/keys.ts';

/** A new key: the plain text is returned once to the caller; only its hash is ever stored. */
export async function mintKey(
  workspaceId: string,
  kind: KeyKind,
  now: string,
  extra: { label?: string | null; scope?: Record<string, unknown> } = {},
) {
  const plain = `${KEY_PREFIXES[kind]}${randomToken(24)}`;
  const row: KeyRow = {
    id: `key_${randomToken(9)}`,
    workspaceId,
    kind,
    label: extra.label ?? null,
    scope: extra.scope ?? {},
    createdAt: now,
    revokedAt: null,
  };
  return { row, plain, hash: await sha256Hex(plain) };
}
