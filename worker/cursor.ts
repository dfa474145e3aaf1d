import { timingSafeEqual } from './crypto.ts';
import { ApiError } from './problem.ts';

const encoder = new TextEncoder();
const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromB64url = (s: string) =>
  Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

async function hmacKey(secret: string) {
  return crypto.subtle.importKey(
    'raw',
    encoder.encode(`cursor:${secret}`),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
}

/**
 * Opaque pagination cursors: the position plus the workspace and the query they belong to,
 * signed so that a cursor edited by hand or taken from another workspace is refused.
 */
export async function encodeCursor(
  secret: string,
  workspaceId: string,
  scope: string,
  position: string,
): Promise<string> {
  const payload = encoder.encode(JSON.stringify({ w: workspaceId, s: scope, p: position }));
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), payload));
  return `${b64url(payload)}.${b64url(sig.slice(0, 16))}`;
}

export async function decodeCursor(
  secret: string,
  workspaceId: string,
  scope: string,
  cursor: string,
): Promise<string> {
  const invalid = () =>
    new ApiError(400, 'The cursor is not valid for this query', {
      errors: [{ path: 'cursor', message: 'is not a cursor this query returned' }],
    });
  const [payloadPart, sigPart, extra] = cursor.split('.');
  if (!payloadPart || !sigPart || extra !== undefined) throw invalid();
  let payload: Uint8Array;
  let sig: Uint8Array;
  try {
    payload = fromB64url(payloadPart);
    sig = fromB64url(sigPart);
  } catch {
    throw invalid();
  }
  const expected = new Uint8Array(
    await crypto.subtle.sign('HMAC', await hmacKey(secret), payload),
  ).slice(0, 16);
  if (sig.length !== expected.length || !timingSafeEqual(sig, expected)) throw invalid();
  const decoded = JSON.parse(new TextDecoder().decode(payload)) as {
    w: string;
    s: string;
    p: string;
  };
  if (decoded.w !== workspaceId || decoded.s !== scope) throw invalid();
  return decoded.p;
}
