import { IdempotencyKeySchema } from '../schema/keys.ts';
import { sha256Hex } from './crypto.ts';
import {
  claimIdempotencyKey,
  getIdempotencyRecord,
  releaseIdempotencyKey,
  storeIdempotentAnswer,
} from './db/idempotency.ts';
import { canonicalJson } from './ingest.ts';
import { ApiError } from './problem.ts';
import { parseValue } from './validate.ts';

/**
 * Idempotency-Key for creating POSTs, with Stripe's semantics: the first successful answer to a
 * key is kept for 24 hours and replayed to every retry with the same body; the same key with
 * another body (or on another endpoint) is a 422. Errors are not kept, so a retry after one runs
 * again. While the first request runs, a concurrent one with the same key gets 409.
 */
export const IDEMPOTENCY_TTL_HOURS = 24;
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'idempotent-replayed';
/** A request that crashed between claiming a key and settling it holds the key this long at most. */
const LOCK_MS = 60_000;

export interface Claim {
  /** The workspace id, or `admin` for the admin token. */
  scope: string;
  key: string;
  requestHash: string;
  secret: string;
}

/** The validated Idempotency-Key header, or null when the request has none. */
export function idempotencyKeyOf(request: Request): string | null {
  const raw = request.headers.get(IDEMPOTENCY_HEADER);
  return raw === null ? null : parseValue(raw, IdempotencyKeySchema, IDEMPOTENCY_HEADER);
}

/** What makes two requests "the same": endpoint and body (key order and whitespace aside). */
export const requestHash = (method: string, pathname: string, body: unknown) =>
  sha256Hex(
    `${method} ${pathname}\n${typeof body === 'string' ? body : canonicalJson(body ?? null)}`,
  );

/** Stored answers are sealed with a key derived from this Worker secret: they hold keys and tokens. */
export function answerSecret(env: Env): string {
  if (!env.ADMIN_TOKEN)
    throw new ApiError(
      503,
      `${IDEMPOTENCY_HEADER} is unavailable: the server secret ADMIN_TOKEN is not configured`,
    );
  return env.ADMIN_TOKEN;
}

const addMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/**
 * Claims the key for this request, or answers for it: the stored answer (replayed), a 422 when
 * the key was used with another request, a 409 while that request still runs. Null: claimed, run
 * the handler and `settle`.
 */
export async function claim(db: D1Database, c: Claim, now: string): Promise<Response | null> {
  const claimed = await claimIdempotencyKey(
    db,
    c,
    now,
    addMs(now, IDEMPOTENCY_TTL_HOURS * 3_600_000),
    addMs(now, LOCK_MS),
  );
  if (claimed) return null;

  const row = await getIdempotencyRecord(db, c.scope, c.key);
  if (row && row.requestHash !== c.requestHash) {
    throw new ApiError(
      422,
      `This ${IDEMPOTENCY_HEADER} was already used with a different request; use a new key for a new request`,
      {
        errors: [
          {
            path: IDEMPOTENCY_HEADER,
            message: 'was used with another request body or endpoint in the last 24 hours',
          },
        ],
      },
    );
  }
  if (!row || row.status === null || row.answer === null) {
    throw new ApiError(
      409,
      `A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry shortly`,
      { headers: { 'retry-after': '1' } },
    );
  }
  let answer: { status: number; contentType: string | null; body: string };
  try {
    answer = JSON.parse(await unseal(c, row.answer)) as typeof answer;
  } catch {
    // Sealed under a server secret that has since been rotated: it can be neither replayed nor redone safely.
    throw new ApiError(
      409,
      `The answer stored for this ${IDEMPOTENCY_HEADER} can no longer be replayed; check whether the first request took effect, then use a new key`,
    );
  }
  const headers = new Headers({ [REPLAYED_HEADER]: 'true' });
  if (answer.contentType) headers.set('content-type', answer.contentType);
  return new Response(answer.status === 204 ? null : answer.body, {
    status: answer.status,
    headers,
  });
}

/** Keeps a successful answer for replay, or releases the key after an error so a retry runs again. */
export async function settle(db: D1Database, c: Claim, response: Response): Promise<Response> {
  if (response.status >= 300) {
    await release(db, c);
    return response;
  }
  const body = await response.text();
  const sealed = await seal(
    c,
    JSON.stringify({
      status: response.status,
      contentType: response.headers.get('content-type'),
      body,
    }),
  );
  await storeIdempotentAnswer(db, c, response.status, sealed);
  return new Response(response.status === 204 ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

export const release = (db: D1Database, c: Claim): Promise<void> => releaseIdempotencyKey(db, c);

const encoder = new TextEncoder();

function toB64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
const fromB64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));

async function sealingKey(secret: string): Promise<CryptoKey> {
  const material = await crypto.subtle.digest(
    'SHA-256',
    encoder.encode(`idempotency-answer:${secret}`),
  );
  return crypto.subtle.importKey('raw', material, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** AES-GCM, bound to its scope and key so a sealed answer cannot be moved to another record. */
async function seal(c: Claim, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(`${c.scope}\n${c.key}`) },
    await sealingKey(c.secret),
    encoder.encode(plain),
  );
  return `${toB64(iv)}.${toB64(new Uint8Array(sealed))}`;
}

async function unseal(c: Claim, stored: string): Promise<string> {
  const [iv, data] = stored.split('.');
  const plain = await crypto.subtle.decrypt(
    {
      name: 'AES-GCM',
      iv: fromB64(iv ?? ''),
      additionalData: encoder.encode(`${c.scope}\n${c.key}`),
    },
    await sealingKey(c.secret),
    fromB64(data ?? ''),
  );
  return new TextDecoder().decode(plain);
}
